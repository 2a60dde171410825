"""Runs tenantiso_gateway as a process: audit lines, reload on SIGHUP and on
file change, an invalid replacement keeping the old policy, many threads.

    TENANTISO_GATEWAY=../../build/examples/gateway/tenantiso_gateway \\
        python3 -m unittest -v test_gateway

Environment:
    TENANTISO_GATEWAY   the gateway program (required)
    TENANTISO_EXAMPLES  the repository's examples/ directory (default: ..)
"""

from __future__ import annotations

import json
import os
import pathlib
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
from typing import Any, Optional

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE / "data"
EXAMPLES = pathlib.Path(os.environ.get("TENANTISO_EXAMPLES") or HERE.parent)
GATEWAY = os.environ.get("TENANTISO_GATEWAY", "")
TIMEOUT = 30.0  # generous: sanitized builds are slow

CONTOSO = "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
FABRIKAM = "fab41ca0-7e3d-4c1b-8a2f-0000000fab41"
NORTHWIND = "4e0b7a12-96c3-4d5e-8f21-7a3b9c0d1e2f"
AUDIT_KEYS = {"time", "line", "creator", "target", "verdict", "reason", "direction",
              "externalTenant", "blockedBy", "rule", "policy"}
TO_NORTHWIND = {"creator": "contoso.com", "target": "northwindtraders.com"}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Runs the gateway to completion."""
    return subprocess.run([GATEWAY, *args], input=stdin, capture_output=True, text=True,
                          timeout=TIMEOUT * 4)


def audit_lines(stdout: str) -> dict[int, dict[str, Any]]:
    """The audit lines by input line number (workers answer out of order)."""
    records = [json.loads(line) for line in stdout.splitlines()]
    by_line = {r["line"]: r for r in records}
    assert len(by_line) == len(records), "one audit line per input line"
    return by_line


class Gateway:
    """A gateway process fed one request at a time through a pipe."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([GATEWAY, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, bufsize=1)
        self.out: queue.Queue[str] = queue.Queue()
        self.err: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        self._pumps = [threading.Thread(target=self._pump, args=(stream, q), daemon=True)
                       for stream, q in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for t in self._pumps:
            t.start()
        # SIGHUP before the gateway blocks it would end the process: wait.
        self.expect_err(r"ready: \d+ policies")

    @staticmethod
    def _pump(stream: Any, q: queue.Queue[str]) -> None:
        for line in stream:
            q.put(line.rstrip("\n"))

    def expect_err(self, pattern: str) -> str:
        """Waits for a stderr line matching `pattern`; returns it."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.err.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.stderr.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no stderr line matching {pattern!r}; got {self.stderr}")

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        """Sends one attempt and returns its audit line."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.out.get(timeout=TIMEOUT))

    def hangup(self) -> None:
        """SIGHUP, then waits until the reload is over."""
        self.proc.send_signal(signal.SIGHUP)
        self.expect_err("reload done")

    def results(self, count: int) -> list[dict[str, Any]]:
        """The next `count` audit lines."""
        return [json.loads(self.out.get(timeout=TIMEOUT)) for _ in range(count)]

    def close(self) -> int:
        """Ends the input; returns the exit status."""
        assert self.proc.stdin is not None
        if not self.proc.stdin.closed:
            self.proc.stdin.close()
        status = self.proc.wait(timeout=TIMEOUT * 4)
        self.expect_err(r"\d+ allowed, \d+ denied, \d+ errors")
        return status

    def kill(self) -> None:
        """Ends the process if it still runs, and releases the pipes."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for t in self._pumps:
            t.join()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream and not stream.closed:
                stream.close()


@unittest.skipUnless(GATEWAY, "TENANTISO_GATEWAY is not set")
class TestBatch(unittest.TestCase):
    """The whole input at once, as a file or on stdin."""

    def test_example_data(self) -> None:
        result = run("-t", "3", "-d", str(DATA / "domains.json"), "-i", str(DATA / "requests.jsonl"),
                     str(DATA / "contoso.json"), str(DATA / "fabrikam.json"))
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = audit_lines(result.stdout)
        self.assertEqual(sorted(lines), [1, 2, 3, 4, 6, 7, 8, 9])  # line 5 is blank
        for record in lines.values():
            self.assertLessEqual(AUDIT_KEYS, set(record))
            self.assertRegex(record["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        want = {
            1: ("allow", "allowlisted", "outbound", None),
            2: ("deny", "not_allowlisted", "outbound", FABRIKAM),
            3: ("deny", "not_allowlisted", "outbound", CONTOSO),
            4: ("deny", "not_allowlisted", "inbound", FABRIKAM),
            6: ("allow", "not_evaluated_non_entra", None, None),
            7: ("allow", "same_tenant", None, None),
        }
        for n, expected in want.items():
            r = lines[n]
            self.assertEqual((r["verdict"], r["reason"], r["direction"], r["blockedBy"]), expected,
                             f"line {n}")
            self.assertNotIn("error", r)
        self.assertEqual(lines[1]["rule"], 0)
        self.assertEqual(lines[1]["connector"], "shared_sharepointonline")
        self.assertEqual(lines[2]["policy"]["source"], str(DATA / "fabrikam.json"))
        self.assertRegex(lines[2]["policy"]["sha256"], r"^[0-9a-f]{64}$")
        # Failures are denials with the reason, never allows.
        self.assertEqual((lines[8]["verdict"], lines[8]["error"]["code"]), ("deny", "not_found"))
        self.assertIn("tailspintoys.com", lines[8]["error"]["message"])
        self.assertEqual((lines[9]["verdict"], lines[9]["error"]["code"]), ("deny", "syntax"))
        self.assertIn("3 allowed, 3 denied, 2 errors", result.stderr)

    def test_output_file_and_unknown_isolated(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            out = pathlib.Path(tmp) / "audit.jsonl"
            result = run("-u", "-o", str(out), str(DATA / "fabrikam.json"),
                         stdin=json.dumps({"creator": CONTOSO, "target": NORTHWIND}) + "\n")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stdout, "")
            (record,) = audit_lines(out.read_text()).values()
        # Neither tenant has a policy; -u isolates them anyway.
        self.assertEqual((record["verdict"], record["blockedBy"]), ("deny", CONTOSO))

    def test_long_line_is_refused(self) -> None:
        long_line = json.dumps({"creator": "x" * 70000, "target": CONTOSO})
        result = run(str(DATA / "contoso.json"), stdin=long_line + "\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        (record,) = audit_lines(result.stdout).values()
        self.assertEqual((record["verdict"], record["error"]["code"]), ("deny", "limit"))

    def test_contoso_example(self) -> None:
        contoso = EXAMPLES / "contoso"
        files = [contoso / n for n in ("policy.json", "fabrikam-policy.json", "domains.json",
                                       "requests.jsonl")]
        if not all(f.exists() for f in files):
            self.skipTest("examples/contoso is not there")
        requests = files[3].read_text()
        result = run("-d", str(files[2]), str(files[0]), str(files[1]), stdin=requests)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = audit_lines(result.stdout)
        self.assertEqual(len(lines), sum(1 for line in requests.splitlines() if line.strip()))
        for record in lines.values():
            self.assertNotIn("error", record)
            self.assertEqual(record["blockedBy"] is None, record["verdict"] == "allow")

    def test_usage_and_startup_errors(self) -> None:
        self.assertEqual(run().returncode, 2)
        self.assertEqual(run("-t", "0", str(DATA / "contoso.json")).returncode, 2)
        with tempfile.TemporaryDirectory() as tmp:
            bad = pathlib.Path(tmp) / "bad.json"
            bad.write_text('{"properties": {')
            result = run(str(bad))
            self.assertEqual(result.returncode, 2)
            self.assertIn(str(bad), result.stderr)
            result = run("-W", str(DATA / "contoso-northwind.json"))  # a domain, no -d
            self.assertEqual(result.returncode, 2)
            self.assertIn("northwindtraders.com", result.stderr)
            result = run("-i", str(pathlib.Path(tmp) / "missing.jsonl"), str(DATA / "contoso.json"))
            self.assertEqual(result.returncode, 3)

    def test_direction_in_a_request_cannot_narrow_the_set(self) -> None:
        # SPEC 3.1: requests come from callers a gateway does not trust; an
        # "outbound" must not skip the target's inbound rules (it did).
        with tempfile.TemporaryDirectory() as tmp:
            open_h = pathlib.Path(tmp) / "northwind-open.json"
            open_h.write_text(json.dumps({"tenantId": NORTHWIND, "isDisabled": True, "allowedTenants": []}))
            stdin = "".join(json.dumps({"creator": NORTHWIND, "target": FABRIKAM, "direction": d}) + "\n"
                            for d in ("outbound", "inbound", "auto"))
            for watch in ((), ("-W",)):
                result = run(*watch, str(open_h), str(DATA / "fabrikam.json"), stdin=stdin)
                self.assertEqual(result.returncode, 0, result.stderr)
                for n, record in audit_lines(result.stdout).items():
                    self.assertEqual((record["verdict"], record["blockedBy"]), ("deny", FABRIKAM), n)

    def test_two_policies_for_one_home_are_refused(self) -> None:
        # SPEC 3.1: the verdict followed the order of the files.
        with tempfile.TemporaryDirectory() as tmp:
            other = pathlib.Path(tmp) / "contoso-open.json"
            other.write_text(json.dumps({"tenantId": CONTOSO, "isDisabled": True, "allowedTenants": []}))
            for watch in ((), ("-W",)):
                for files in ((DATA / "contoso.json", other), (other, DATA / "contoso.json")):
                    result = run(*watch, *map(str, files), stdin="")
                    self.assertEqual(result.returncode, 2, (watch, files, result.stderr))
                    self.assertIn(CONTOSO, result.stderr)
                    self.assertIn(str(other), result.stderr)


@unittest.skipUnless(GATEWAY, "TENANTISO_GATEWAY is not set")
class TestReload(unittest.TestCase):
    """Changing a policy file under a running gateway."""

    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="tenantiso-gw-")
        self.dir = pathlib.Path(self._tmp.name)
        self.policy = self.dir / "contoso.json"
        shutil.copy(DATA / "contoso.json", self.policy)
        self.gateway: Optional[Gateway] = None

    def tearDown(self) -> None:
        if self.gateway:
            self.gateway.kill()
        self._tmp.cleanup()

    def start(self, *args: str) -> Gateway:
        self.gateway = Gateway("-t", "2", "-d", str(DATA / "domains.json"), *args, str(self.policy))
        return self.gateway

    def replace(self, source: Optional[pathlib.Path] = None, text: Optional[str] = None) -> None:
        """Replaces the policy file the way editors and deploy tools do: write, then rename."""
        staging = self.dir / "staging.tmp"
        staging.write_text(text if text is not None else source.read_text())  # type: ignore[union-attr]
        os.replace(staging, self.policy)

    def test_sighup_reload(self) -> None:
        gw = self.start("-W")  # no watching: only SIGHUP reloads
        before = gw.ask(TO_NORTHWIND)
        self.assertEqual((before["verdict"], before["blockedBy"]), ("deny", CONTOSO))

        self.replace(DATA / "contoso-northwind.json")
        time.sleep(0.5)
        self.assertEqual(gw.ask(TO_NORTHWIND)["verdict"], "deny", "reloaded without SIGHUP")
        gw.hangup()
        after = gw.ask(TO_NORTHWIND)
        self.assertEqual((after["verdict"], after["reason"], after["rule"]), ("allow", "allowlisted", 1))
        self.assertNotEqual(after["policy"]["sha256"], before["policy"]["sha256"])

        self.replace(text='{"properties": {"tenantId": ')  # truncated: invalid
        gw.proc.send_signal(signal.SIGHUP)
        line = gw.expect_err("keeping the previous policy")
        self.assertIn(str(self.policy), line)
        gw.expect_err("reload done")
        kept = gw.ask(TO_NORTHWIND)
        self.assertEqual(kept["verdict"], "allow")
        self.assertEqual(kept["policy"]["sha256"], after["policy"]["sha256"])
        self.assertEqual(gw.close(), 0)

    def test_watch_reload(self) -> None:
        gw = self.start()
        self.assertEqual(gw.ask(TO_NORTHWIND)["verdict"], "deny")

        self.replace(DATA / "contoso-northwind.json")
        gw.expect_err(f"loaded {re.escape(str(self.policy))}$")
        self.assertEqual(gw.ask(TO_NORTHWIND)["verdict"], "allow")

        self.replace(text='{"isDisabled": false}')  # a policy without a home tenant: refused
        self.assertIn("tenantId", gw.expect_err("keeping the previous policy"))
        self.assertEqual(gw.ask(TO_NORTHWIND)["verdict"], "allow")
        self.policy.unlink()  # gone: refused too
        gw.expect_err("keeping the previous policy")
        self.assertEqual(gw.ask(TO_NORTHWIND)["verdict"], "allow")

        self.replace(DATA / "contoso.json")  # recreated
        gw.expect_err(f"loaded {re.escape(str(self.policy))}$")
        self.assertEqual(gw.ask(TO_NORTHWIND)["verdict"], "deny")
        gw.hangup()  # SIGHUP also works while watching
        self.assertEqual(gw.ask(TO_NORTHWIND)["verdict"], "deny")
        self.assertEqual(gw.close(), 0)

    def test_reload_under_load(self) -> None:
        """Many threads decide while SIGHUP swaps the policy back and forth:
        every decision is the old policy's or the new one's, none is lost."""
        count = 20000
        requests = "".join(json.dumps(TO_NORTHWIND if i % 2 else
                                      {"creator": "contoso.com", "target": "fabrikam.com"}) + "\n"
                           for i in range(count))
        gw = self.start("-t", "8", "-W")  # -W: only SIGHUP reloads, so we know how many ran

        def feed() -> None:  # in slices, so that the swaps land mid-stream
            assert gw.proc.stdin is not None
            for i in range(0, len(requests), 4000):
                gw.proc.stdin.write(requests[i:i + 4000])
                gw.proc.stdin.flush()
                time.sleep(0.01)

        feeder = threading.Thread(target=feed)
        feeder.start()
        versions = [DATA / "contoso-northwind.json", DATA / "contoso.json"]
        for k in range(20):
            self.replace(versions[k % 2])
            gw.hangup()
        feeder.join()
        lines = {r["line"]: r for r in gw.results(count)}
        self.assertEqual(gw.close(), 0, gw.stderr[-5:])
        self.assertEqual(sorted(lines), list(range(1, count + 1)))
        self.assertEqual(gw.out.qsize(), 0, "more audit lines than input lines")
        seen = set()
        for r in lines.values():
            if r["target"] == NORTHWIND:  # either version's answer
                seen.add((r["verdict"], r["blockedBy"]))
            else:  # both versions allow Fabrikam
                self.assertEqual(r["verdict"], "allow", r)
        self.assertLessEqual(seen, {("deny", CONTOSO), ("allow", None)})
        print(f"\n  answers seen for Northwind: {sorted(v for v, _ in seen)}", end=" ")
        self.assertFalse([line for line in gw.stderr if "keeping the previous policy" in line])


if __name__ == "__main__":
    unittest.main()
