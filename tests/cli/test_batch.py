"""tenantiso eval --batch: JSON Lines in, one JSON line out per input line,
bad lines answered with errors, streaming (SPEC 7)."""

import json
import os
import subprocess
import sys
import threading
import unittest

from cli_support import (CLI, CONTOSO, DOMAINS, EVAL_KEYS, EXAMPLE, FABRIKAM, FABRIKAM_POLICY,
                         POLICY, SANITIZED, TAILSPIN, CliTestCase, check_sanitizers, run)


def lines_of(result):
    return [json.loads(line) for line in result.out.splitlines()]


class BatchTests(CliTestCase):
    def batch(self, content, *extra, policies=(POLICY,)):
        path = self.write("requests.jsonl", content)
        r = run("eval", *policies, "--domains", DOMAINS, "--batch", path, *extra)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.err, "", r)
        return lines_of(r)

    def assertLineError(self, obj, number, code, *fragments):
        self.assertEqual(set(obj), {"line", "error"}, obj)
        self.assertEqual(obj["line"], number)
        self.assertEqual(set(obj["error"]), {"code", "message"}, obj)
        self.assertEqual(obj["error"]["code"], code, obj)
        for fragment in fragments:
            self.assertIn(fragment, obj["error"]["message"], obj)

    def test_example_requests(self):
        path = os.path.join(EXAMPLE, "requests.jsonl")
        r = run("eval", POLICY, "--domains", DOMAINS, "--batch", path)
        self.assertEqual(r.rc, 0, r)
        out = lines_of(r)
        with open(path, encoding="utf-8") as f:
            count = len(f.read().splitlines())
        self.assertEqual(len(out), count)
        self.assertEqual([o["line"] for o in out], list(range(1, count + 1)))
        for o in out:
            self.assertEqual(set(o), EVAL_KEYS | {"line"}, o)
        verdicts = {o["verdict"] for o in out}
        self.assertEqual(verdicts, {"allow", "deny"})  # exit 0 whatever the verdicts

    def test_bad_lines_are_answered_and_processing_goes_on(self):
        good = json.dumps({"creator": "contoso.com", "target": "fabrikam.com"})
        deny = json.dumps({"creator": CONTOSO, "target": TAILSPIN, "connector": "shared_sql"})
        content = "\n".join([
            good,                                               # 1
            "",                                                 # 2 empty
            "{not json",                                        # 3 malformed
            json.dumps({"creator": "contoso.com"}),             # 4 missing target
            json.dumps({"creator": 5, "target": CONTOSO}),      # 5 wrong type
            good + " trailing",                                 # 6 trailing garbage
            json.dumps({"creator": "{" + CONTOSO + "}", "target": FABRIKAM}),  # 7 braces
            json.dumps({"creator": CONTOSO, "target": "bad domain.com"}),      # 8
            json.dumps({"creator": CONTOSO, "target": FABRIKAM, "direction": "sideways"}),  # 9
            "[1, 2]",                                           # 10 not an object
            "   ",                                              # 11 blank
            deny,                                               # 12
            json.dumps({"creator": "fabrikam.com", "target": "contoso.com",
                        "direction": "outbound"}),              # 13 inconsistent
            json.dumps({"creator": "unknown.example", "target": CONTOSO}),  # 14 not found
            good + "\r",                                        # 15 CRLF
        ]) + "\n"
        out = self.batch(content)
        self.assertEqual(len(out), 15)
        self.assertEqual([o["line"] for o in out], list(range(1, 16)))
        self.assertEqual(out[0]["verdict"], "allow")
        self.assertLineError(out[1], 2, "syntax", "empty")
        self.assertLineError(out[2], 3, "syntax", "column")
        self.assertLineError(out[3], 4, "schema", "target")
        self.assertLineError(out[4], 5, "schema", "creator")
        self.assertLineError(out[5], 6, "syntax")
        self.assertLineError(out[6], 7, "invalid_tenant", "creator")
        self.assertLineError(out[7], 8, "invalid_domain", "target")
        self.assertLineError(out[8], 9, "invalid_argument", "direction")
        self.assertLineError(out[9], 10, "schema")
        self.assertLineError(out[10], 11, "syntax")
        self.assertEqual((out[11]["verdict"], out[11]["line"]), ("deny", 12))
        self.assertLineError(out[12], 13, "inconsistent_direction")
        self.assertLineError(out[13], 14, "not_found", "unknown.example")
        self.assertEqual((out[14]["verdict"], out[14]["line"]), ("allow", 15))

    def test_over_long_line_is_an_error_for_that_line_only(self):
        long_line = json.dumps({"creator": CONTOSO, "target": FABRIKAM,
                                "connector": "x" * 70000})
        good = json.dumps({"creator": CONTOSO, "target": FABRIKAM})
        out = self.batch(good + "\n" + long_line + "\n" + good + "\n")
        self.assertEqual(len(out), 3)
        self.assertEqual(out[0]["verdict"], "allow")
        self.assertLineError(out[1], 2, "limit", "longer")
        self.assertEqual((out[2]["line"], out[2]["verdict"]), (3, "allow"))

    def test_line_of_exactly_the_limit_is_accepted(self):
        base = {"creator": CONTOSO, "target": FABRIKAM, "connector": ""}
        pad = 64 * 1024 - len(json.dumps(base))
        base["connector"] = "x" * pad
        line = json.dumps(base)
        self.assertEqual(len(line), 64 * 1024)
        out = self.batch(line + "\n")
        self.assertEqual(out[0]["verdict"], "allow", out[0].get("error"))

    def test_nul_and_invalid_utf8_lines(self):
        good = json.dumps({"creator": CONTOSO, "target": FABRIKAM}).encode()
        content = (good[:-1] + b', "connector": "a\x00b"}\n'
                   + good[:-1] + b', "connector": "\xff\xfe"}\n'
                   + good + b"\n")
        out = self.batch(content)
        self.assertEqual(len(out), 3)
        self.assertLineError(out[0], 1, "syntax", "NUL")
        self.assertLineError(out[1], 2, "syntax", "UTF-8")
        self.assertEqual(out[2]["verdict"], "allow")

    def test_any_repeated_key_is_an_error(self):
        # A repeated key the batch does not read is refused as well: every
        # record the tool reads has one duplicate-key rule (SPEC 6).
        body = '"creator": "%s", "target": "%s"' % (CONTOSO, FABRIKAM)
        out = self.batch("{%s, \"note\": 1, \"note\": 2}\n{%s, \"creator\": \"%s\"}\n"
                         % (body, body, FABRIKAM))
        self.assertLineError(out[0], 1, "schema", "note", "duplicate key")
        self.assertLineError(out[1], 2, "schema", "creator", "duplicate key")

    def test_deeply_nested_line_gets_the_depth_limit(self):
        # Finding 16: this was "column 1001: malformed JSON" (cJSON's own limit).
        good = json.dumps({"creator": CONTOSO, "target": FABRIKAM})
        deep = '{"creator": ' + "[" * 30000 + "]" * 30000 + "}"
        out = self.batch("[" * 60000 + "\n" + deep + "\n" + good + "\n")
        self.assertEqual(len(out), 3)
        self.assertLineError(out[0], 1, "limit", "nested deeper than", "column 65")
        self.assertLineError(out[1], 2, "limit", "nested deeper than")
        self.assertNotIn("malformed", out[1]["error"]["message"])
        self.assertEqual(out[2]["verdict"], "allow")

    def test_malformed_unicode_escape_is_refused(self):
        # cJSON reads "\u00zz" as a NUL that cuts the name: "contoso.com\u00zz.evil" was contoso.com.
        line = '{"creator": "contoso.com\\u00zz.evil.example", "target": "fabrikam.com"}'
        out = self.batch(line + "\n")
        self.assertLineError(out[0], 1, "syntax", "column 25", "escape")

    def test_last_line_without_newline_and_empty_input(self):
        good = json.dumps({"creator": CONTOSO, "target": FABRIKAM})
        self.assertEqual(len(self.batch(good)), 1)
        self.assertEqual(self.batch(""), [])
        # Two empty lines are two answers: output lines match input lines.
        self.assertEqual(len(self.batch("\n\n")), 2)

    def test_stdin(self):
        good = json.dumps({"creator": "contoso.com", "target": "fabrikam.com"})
        r = run("eval", POLICY, "--domains", DOMAINS, "--batch", "-", stdin=good + "\n{\n")
        self.assertEqual(r.rc, 0, r)
        out = lines_of(r)
        self.assertEqual(out[0]["verdict"], "allow")
        self.assertLineError(out[1], 2, "syntax")

    def test_policy_set_lines_carry_blocked_by(self):
        line = json.dumps({"creator": "contoso.com", "target": "fabrikam.com"})
        out = self.batch(line + "\n", policies=(POLICY, FABRIKAM_POLICY))
        self.assertEqual(set(out[0]), EVAL_KEYS | {"line", "blockedBy"})
        self.assertEqual(out[0]["blockedBy"], FABRIKAM)

    def test_streams_one_answer_per_request_through_a_pipe(self):
        # Write a request, read its answer, and only then write the next: the
        # CLI must answer without waiting for more input or for EOF.
        proc = subprocess.Popen([CLI, "eval", POLICY, "--domains", DOMAINS, "--batch", "-"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        watchdog = threading.Timer(30, proc.kill)
        watchdog.start()
        try:
            for i, target in enumerate(["fabrikam.com", "tailspintoys.com", "nope"], start=1):
                proc.stdin.write((json.dumps({"creator": "contoso.com", "target": target})
                                  + "\n").encode())
                proc.stdin.flush()
                answer = proc.stdout.readline()
                self.assertTrue(answer, "no answer to line %d before more input" % i)
                self.assertEqual(json.loads(answer)["line"], i)
            proc.stdin.close()
            self.assertEqual(proc.stdout.read(), b"")
            self.assertEqual(proc.wait(), 0)
            check_sanitizers(proc.stderr.read())
        finally:
            watchdog.cancel()
            proc.kill()
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()

    def test_fatal_errors_only_for_the_inputs_themselves(self):
        r = run("eval", POLICY, "--domains", DOMAINS, "--batch",
                os.path.join(self.tmp, "missing.jsonl"))
        self.assertFails(r, 3, "missing.jsonl")
        r = run("eval", POLICY, "--domains", DOMAINS, "--batch", self.tmp)
        self.assertFails(r, 3, "directory")
        r = run("eval", os.path.join(self.tmp, "nopolicy.json"), "--batch", "-", stdin="")
        self.assertFails(r, 3, "nopolicy.json")
        r = run("eval", POLICY, "--batch", "/dev/null", "--domains", DOMAINS)
        self.assertEqual((r.rc, r.out, r.err), (0, "", ""))

    def test_open_errors_worded_as_for_every_other_input(self):
        # The batch file is opened by the library's one file opener, so a
        # missing file or a directory reads as it does for a domain map.
        missing = os.path.join(self.tmp, "missing.jsonl")
        for path, why in ((missing, "cannot open: No such file or directory"),
                          (self.tmp, "is a directory, not a file")):
            batch = run("eval", POLICY, "--domains", DOMAINS, "--batch", path)
            self.assertFails(batch, 3)
            self.assertEqual(batch.err, "tenantiso: %s: %s\n" % (path, why))
            domains = run("eval", POLICY, "--domains", path, "--creator", CONTOSO, "--target", FABRIKAM)
            self.assertEqual(domains.err, batch.err)

    def test_batch_excludes_single_request_options(self):
        r = run("eval", POLICY, "--batch", "-", "--creator", CONTOSO, stdin="")
        self.assertFails(r, 2, "--batch", "--help")

    @unittest.skipIf(SANITIZED, "ASan keeps freed memory in quarantine")
    @unittest.skipUnless(os.path.exists("/proc/self/status"), "needs Linux /proc")
    def test_memory_does_not_grow_with_the_number_of_lines(self):
        # Feed requests through a pipe and read the resident size of the
        # process while it waits for more input: after 10,000 lines and after
        # 200,000 it must be the same, give or take allocator noise.
        proc = subprocess.Popen([CLI, "eval", POLICY, "--domains", DOMAINS, "--batch", "-"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        answered = [0]
        done = threading.Condition()

        def reader():
            for _ in proc.stdout:
                with done:
                    answered[0] += 1
                    done.notify_all()

        def feed_until(total):
            line = (json.dumps({"creator": CONTOSO, "target": TAILSPIN}) + "\n").encode()
            while answered[0] < total:
                with done:
                    sent = answered[0]
                proc.stdin.write(line * min(1000, total - sent))
                proc.stdin.flush()
                with done:
                    done.wait_for(lambda: answered[0] >= min(total, sent + 1000), timeout=60)

        def resident_kib():
            with open("/proc/%d/status" % proc.pid, encoding="ascii") as f:
                for row in f:
                    if row.startswith("VmRSS:"):
                        return int(row.split()[1])
            raise AssertionError("no VmRSS")

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        try:
            feed_until(10000)
            early = resident_kib()
            feed_until(200000)
            late = resident_kib()
            self.assertEqual(answered[0], 200000)
            self.assertLess(late - early, 2048, (early, late))
        finally:
            proc.stdin.close()
            self.assertEqual(proc.wait(timeout=60), 0)
            thread.join(timeout=60)
            proc.stdout.close()

if __name__ == "__main__":
    unittest.main()
