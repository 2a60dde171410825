"""Shared helpers for the CLI integration tests: where things are, how to run
the binary, and the assertions every test makes about errors (SPEC 7: exit
code, and exactly one stderr line "tenantiso: <what>: <why>")."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

CLI = os.environ.get("TENANTISO_CLI", "")
SOURCE_DIR = os.environ.get("TENANTISO_SOURCE_DIR", "")
FIXTURES = os.environ.get("TENANTISO_FIXTURES", "")
# Under ASan the process keeps freed memory in quarantine, so memory-growth
# measurements mean nothing there.
SANITIZED = os.environ.get("TENANTISO_SANITIZED", "") not in ("", "0", "OFF")
# A core-only build (TENANTISO_WITH_GRAPH=OFF) has no Graph client: a domain
# without a map is then an input error (exit 2) naming the missing --domains.
WITH_GRAPH = os.environ.get("TENANTISO_WITH_GRAPH", "1") not in ("", "0", "OFF")

EXAMPLE = os.path.join(SOURCE_DIR, "examples", "contoso")
POLICY = os.path.join(EXAMPLE, "policy.json")
FABRIKAM_POLICY = os.path.join(EXAMPLE, "fabrikam-policy.json")
DOMAINS = os.path.join(EXAMPLE, "domains.json")
DATA = os.path.join(SOURCE_DIR, "tests", "cli", "data")

CONTOSO = "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
FABRIKAM = "fab41ca0-7e3d-4c1b-8a2f-0000000fab41"
NORTHWIND = "4e0b7a12-96c3-4d5e-8f21-7a3b9c0d1e2f"
WOODGROVE = "9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
TAILSPIN = "7c1e5a93-2d4b-4f6a-b8c0-d2e4f6a8b0c2"

EVAL_KEYS = {"verdict", "reason", "direction", "externalTenant", "rule", "message"}
REASONS = {"same_tenant", "not_evaluated_non_entra", "not_applicable",
           "isolation_disabled", "allowlisted", "wildcard", "not_allowlisted"}


class Result:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.out_bytes = proc.stdout
        self.err_bytes = proc.stderr
        self.out = proc.stdout.decode("utf-8", "replace")
        self.err = proc.stderr.decode("utf-8", "replace")

    def __repr__(self):
        return "rc=%d\nstdout=%r\nstderr=%r" % (self.rc, self.out[:2000], self.err[:2000])


def run(*args, stdin=None, timeout=120, env=None):
    """Runs the CLI with `args`; `stdin` is bytes or str; `env` adds to the
    environment."""
    if isinstance(stdin, str):
        stdin = stdin.encode("utf-8")
    proc = subprocess.run([CLI, *[a if isinstance(a, bytes) else str(a) for a in args]],
                          input=stdin, env=dict(os.environ, **(env or {})),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    check_sanitizers(proc.stderr)
    return Result(proc)


SANITIZER_MARKS = (b"ERROR: AddressSanitizer", b"ERROR: LeakSanitizer", b"runtime error:")


def check_sanitizers(stderr):
    """A sanitizer report fails the test whatever the exit code: a leak under
    LSan exits 1, which a deny or a failed case would also give."""
    for mark in SANITIZER_MARKS:
        if mark in stderr:
            raise AssertionError("sanitizer report:\n" + stderr.decode("utf-8", "replace")[:4000])


def policy_doc(entries=(), home=CONTOSO, disabled=False, **extra):
    props = {"tenantId": home, "isDisabled": disabled, "allowedTenants": list(entries)}
    props.update(extra)
    return {"properties": props}


def entry(tenant, inbound, outbound, **extra):
    e = {"tenantId": tenant, "direction": {"inbound": inbound, "outbound": outbound}}
    e.update(extra)
    return e


class CliTestCase(unittest.TestCase):
    """Base class: a temporary directory per test, and error assertions."""

    def setUp(self):
        self.assertTrue(CLI and os.path.exists(CLI), "TENANTISO_CLI must name the built binary")
        self.tmp = tempfile.mkdtemp(prefix="tiso-cli-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, content):
        """Writes `content` (str, bytes, or a JSON-able object) to a temp file."""
        path = os.path.join(self.tmp, name)
        if isinstance(content, (dict, list)):
            content = json.dumps(content)
        if isinstance(content, str):
            content = content.encode("utf-8")
        with open(path, "wb") as f:
            f.write(content)
        return path

    def assertFails(self, result, code, *fragments):
        """Exit `code`, nothing on stdout, exactly one stderr line starting
        'tenantiso: ' that contains every fragment."""
        self.assertEqual(result.rc, code, result)
        self.assertEqual(result.out, "", result)
        lines = result.err.splitlines()
        self.assertEqual(len(lines), 1, result)
        self.assertTrue(result.err.endswith("\n"), result)
        self.assertTrue(lines[0].startswith("tenantiso: "), result)
        for fragment in fragments:
            self.assertIn(fragment, lines[0], result)
        return lines[0]

    def assertJsonError(self, result, code, status, *fragments):
        """Exit `code`, stdout exactly one {"error": {"code", "message"}} object,
        stderr empty."""
        self.assertEqual(result.rc, code, result)
        self.assertEqual(result.err, "", result)
        self.assertEqual(len(result.out.splitlines()), 1, result)
        doc = json.loads(result.out)
        self.assertEqual(set(doc), {"error"}, result)
        self.assertEqual(set(doc["error"]), {"code", "message"}, result)
        self.assertEqual(doc["error"]["code"], status, result)
        for fragment in fragments:
            self.assertIn(fragment, doc["error"]["message"], result)
        return doc["error"]

    def assertDecision(self, obj, verdict, reason, direction, external, rule):
        self.assertEqual(obj["verdict"], verdict, obj)
        self.assertEqual(obj["reason"], reason, obj)
        self.assertEqual(obj["direction"], direction, obj)
        self.assertEqual(obj["externalTenant"], external, obj)
        self.assertEqual(obj["rule"], rule, obj)
        self.assertIsInstance(obj["message"], str)
        self.assertGreater(len(obj["message"]), 20, obj)
        self.assertNotIn("\n", obj["message"])
