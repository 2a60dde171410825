"""tenantiso test: expected-decision cases (SPEC 7), over the seed fixtures,
the Contoso example, a deliberately failing file and malformed files."""

import json
import os
import resource
import signal
import subprocess
import unittest
import xml.etree.ElementTree as ET

from cli_support import (CLI, CONTOSO, DATA, DOMAINS, EXAMPLE, FABRIKAM, FIXTURES, POLICY,
                         CliTestCase, policy_doc, run)
from schema_check import xsd_errors

SEED = os.path.join(FIXTURES, "seed-scenarios.json")
FAILING = os.path.join(DATA, "failing-cases.json")


def a_case(**overrides):
    case = {"scenario": "s", "policy": {"properties": {"tenantId": CONTOSO, "isDisabled": False,
                                                       "allowedTenants": []}},
            "creator": CONTOSO, "target": FABRIKAM,
            "expect": {"verdict": "deny", "reason": "not_allowlisted", "direction": "outbound"}}
    case.update(overrides)
    return case


class TestCommandTests(CliTestCase):
    def test_seed_scenarios_all_pass(self):
        r = run("test", SEED)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.out, "14 passed, 0 failed\n", r)
        self.assertEqual(r.err, "", r)

    def test_contoso_example_cases_all_pass(self):
        path = os.path.join(EXAMPLE, "cases.json")
        with open(path, encoding="utf-8") as f:
            count = len(json.load(f)["cases"])
        r = run("test", path)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.out, "%d passed, 0 failed\n" % count, r)

    def test_several_files_add_up(self):
        r = run("test", SEED, os.path.join(EXAMPLE, "cases.json"), SEED)
        self.assertEqual(r.rc, 0, r)
        self.assertRegex(r.out, r"^\d+ passed, 0 failed\n$")
        self.assertEqual(int(r.out.split()[0]), 14 * 2 + 16)

    def test_failing_cases_are_reported_one_line_each(self):
        r = run("test", FAILING)
        self.assertEqual(r.rc, 1, r)
        lines = r.out.splitlines()
        self.assertEqual(lines[-1], "2 passed, 3 failed")
        failures = lines[:-1]
        self.assertEqual(len(failures), 3, r)
        for line, index in zip(failures, (1, 2, 4)):
            self.assertIn("failing-cases.json", line)
            self.assertIn("cases[%d]" % index, line)
            self.assertIn("expected", line)
            self.assertIn("got", line)
        self.assertIn("wrong verdict", failures[0])
        self.assertIn("rule=7", failures[1])
        self.assertIn("rule=0", failures[1])
        self.assertIn("error=invalid_tenant", failures[2])

    def test_a_failure_in_any_file_fails_the_run(self):
        r = run("test", SEED, FAILING)
        self.assertEqual(r.rc, 1, r)
        self.assertEqual(r.out.splitlines()[-1], "16 passed, 3 failed")

    def test_policy_paths_are_relative_to_the_cases_file(self):
        sub = os.path.join(self.tmp, "sub")
        os.mkdir(sub)
        with open(os.path.join(sub, "p.json"), "w", encoding="utf-8") as f:
            json.dump({"properties": {"tenantId": CONTOSO, "isDisabled": False,
                                      "allowedTenants": []}}, f)
        path = self.write("sub/cases.json", {"cases": [a_case(policy="p.json")]})
        r = run("test", path)
        self.assertEqual((r.rc, r.out), (0, "1 passed, 0 failed\n"), r)

    def test_domains_option_adds_to_the_file_map(self):
        case = a_case(target="fabrikam.com")
        path = self.write("cases.json", {"cases": [case]})
        r = run("test", path)  # the file has no domains: an error where a verdict was expected
        self.assertEqual(r.rc, 1, r)
        self.assertIn("error=resolve", r.out)
        r = run("test", path, "--domains", DOMAINS)
        self.assertEqual((r.rc, r.out), (0, "1 passed, 0 failed\n"), r)

    def test_policy_set_case_with_blocked_by(self):
        case = a_case(policies=[POLICY, os.path.join(EXAMPLE, "fabrikam-policy.json")],
                      expect={"verdict": "deny", "blockedBy": FABRIKAM})
        del case["policy"]
        case["target"] = FABRIKAM
        path = self.write("cases.json", {"cases": [case]})
        r = run("test", path, "--domains", DOMAINS)
        self.assertEqual((r.rc, r.out), (0, "1 passed, 0 failed\n"), r)

    def test_expected_error_that_does_not_happen_fails(self):
        path = self.write("cases.json", {"cases": [a_case(expect={"error": "invalid_tenant"})]})
        r = run("test", path)
        self.assertEqual(r.rc, 1, r)
        self.assertIn("expected error=invalid_tenant, got verdict=deny", r.out)

    def test_malformed_cases_files_exit_2(self):
        bad = {
            "not-object.json": [1, 2],
            "no-cases.json": {"domains": {}},
            "cases-not-array.json": {"cases": {}},
            "case-not-object.json": {"cases": [3]},
            "unknown-key.json": {"cases": [a_case(expcet={})]},
            "no-expect.json": {"cases": [{k: v for k, v in a_case().items() if k != "expect"}]},
            "bad-verdict.json": {"cases": [a_case(expect={"verdict": "maybe"})]},
            "bad-reason.json": {"cases": [a_case(expect={"verdict": "deny", "reason": "nah"})]},
            "bad-expect-key.json": {"cases": [a_case(expect={"verdict": "deny", "reson": "x"})]},
            "bad-error-name.json": {"cases": [a_case(expect={"error": "kaput"})]},
            "error-and-verdict.json": {"cases": [a_case(expect={"error": "invalid_tenant",
                                                                "verdict": "deny"})]},
            "bad-rule.json": {"cases": [a_case(expect={"verdict": "deny", "rule": -1})]},
            "both-policy-kinds.json": {"cases": [a_case(policies=[])]},
            "empty-policies.json": {"cases": [dict((k, v) for k, v in a_case(policies=[]).items()
                                                   if k != "policy")]},
            "missing-creator.json": {"cases": [{k: v for k, v in a_case().items()
                                                if k != "creator"}]},
            "bad-domains.json": {"domains": {"contoso.com": "nope"}, "cases": []},
            "bad-domain-key.json": {"domains": {"con toso.com": CONTOSO}, "cases": []},
        }
        for name, doc in bad.items():
            with self.subTest(name=name):
                path = self.write(name, doc)
                self.assertFails(run("test", path), 2, name)

    def test_unreadable_and_invalid_json_cases_files(self):
        self.assertFails(run("test", os.path.join(self.tmp, "missing.json")), 3, "missing.json")
        self.assertFails(run("test", self.tmp), 3, "directory")
        self.assertFails(run("test", "/dev/null"), 2, "/dev/null")
        path = self.write("trunc.json", '{"cases": [')
        self.assertFails(run("test", path), 2, "trunc.json:1:")
        path = self.write("garbage.json", '{"cases": []} x')
        self.assertFails(run("test", path), 2, "garbage.json:1:15")
        path = self.write("utf8.json", b'{"cases": [], "about": "\xc3\x28"}')
        self.assertFails(run("test", path), 2, "utf8.json", "UTF-8")

    def test_needs_a_file(self):
        self.assertFails(run("test"), 2, "test", "--help")


class JunitTests(CliTestCase):
    """--junit FILE (SPEC 13): the same run as JUnit XML, valid under the
    JUnit schema; the text output and the exit code stay as they are."""

    def junit(self, *args):
        out = os.path.join(self.tmp, "junit.xml")
        r = run("test", *args, "--junit", out)
        plain = run("test", *args)
        self.assertEqual((r.rc, r.out), (plain.rc, plain.out), r)
        self.assertTrue(os.path.exists(out), r)
        self.assertIsNone(xsd_errors(out))
        return r, ET.parse(out).getroot()

    def counts(self, element):
        return tuple(int(element.get(k)) for k in ("tests", "failures", "errors"))

    def test_one_test_case_per_case_with_failures_and_errors(self):
        r, root = self.junit(SEED, FAILING)
        self.assertEqual(r.rc, 1, r)
        self.assertEqual(root.tag, "testsuites")
        self.assertEqual(self.counts(root), (19, 2, 1))
        self.assertGreaterEqual(float(root.get("time")), 0.0)
        seed, failing = root.findall("testsuite")
        self.assertEqual((seed.get("name"), failing.get("name")), (SEED, FAILING))
        self.assertEqual(self.counts(seed), (14, 0, 0))
        self.assertEqual(self.counts(failing), (5, 2, 1))
        cases = failing.findall("testcase")
        self.assertEqual([c.get("name").split(":")[0] for c in cases], ["cases[%d]" % i for i in range(5)])
        self.assertEqual(cases[1].get("name"), "cases[1]: fails: wrong verdict (inbound is not allowlisted)")
        self.assertEqual({c.get("classname") for c in cases}, {FAILING})
        self.assertEqual([len(c) for c in cases], [0, 1, 1, 0, 1])
        wrong_verdict = cases[1].find("failure")
        self.assertEqual(wrong_verdict.get("type"), "decision")
        self.assertIn("expected verdict=allow reason=allowlisted direction=inbound", wrong_verdict.get("message"))
        self.assertIn("got verdict=deny reason=not_allowlisted direction=inbound", wrong_verdict.get("message"))
        self.assertIn("actual decision: deny  not_allowlisted  inbound", wrong_verdict.text)
        self.assertIn("rule=0", cases[2].find("failure").get("message"))
        # A case that expected a decision but could not be decided is an error.
        invalid = cases[4].find("error")
        self.assertEqual(invalid.get("type"), "invalid_tenant")
        self.assertIn("properties.tenantId", invalid.get("message"))

    def test_any_case_name_is_escaped(self):
        name = "a<b>&\"q\" 'x' \x01\x08\x0b\x1b[31m\x7f tab\tnl\nend \ufffe\uffff \u00e9 \U0001f600 ]]>"
        path = self.write("names.json", {"cases": [a_case(scenario=name),
                                                   a_case(scenario=name, expect={"verdict": "allow"})]})
        r, root = self.junit(path)
        self.assertEqual(r.rc, 1, r)
        cases = root.find("testsuite").findall("testcase")
        for case in cases:
            got = case.get("name")
            self.assertIn('a<b>&"q" \'x\'', got)
            self.assertIn("\u00e9 \U0001f600 ]]>", got)
            self.assertFalse(any(ord(ch) < 0x20 or ch in "\ufffe\uffff" for ch in got), repr(got))
        self.assertIn("Policies > Tenant isolation", cases[1].find("failure").text)

    def test_a_malformed_case_is_an_error_and_the_report_is_still_written(self):
        path = self.write("bad.json", {"cases": [a_case(), a_case(surprise=1), a_case()]})
        r, root = self.junit(path)
        self.assertEqual(r.rc, 2, r)
        suite = root.find("testsuite")
        self.assertEqual(self.counts(suite), (2, 0, 1))
        bad = suite.findall("testcase")[1]
        self.assertEqual(bad.get("name"), "cases[1]")
        self.assertEqual(bad.find("error").get("type"), "schema")
        self.assertIn("cases[1].surprise", bad.find("error").get("message"))

    def test_a_cases_file_that_cannot_run_is_an_error(self):
        r, root = self.junit(SEED, os.path.join(self.tmp, "missing.json"))
        self.assertEqual(r.rc, 3, r)
        self.assertEqual(self.counts(root), (15, 0, 1))
        missing = root.findall("testsuite")[1]
        self.assertEqual(missing.find("testcase").get("name"), "(cases file)")
        self.assertIsNotNone(missing.find("testcase/error"))

    def test_the_report_never_overwrites_a_cases_file(self):
        path = self.write("cases.json", {"cases": [a_case()]})
        with open(path, "rb") as f:
            before = f.read()
        hard, soft = os.path.join(self.tmp, "hard.xml"), os.path.join(self.tmp, "soft.xml")
        os.link(path, hard)
        os.symlink(path, soft)
        for report in (path, hard, soft):
            r = run("test", path, "--junit", report)
            self.assertFails(r, 2, "--junit", report)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), before)

    def test_the_report_never_overwrites_any_input(self):
        """Every file the run reads, as --output's rule has it (SPEC 6): the
        --domains map, and a cases file read from standard input (both were
        overwritten with the report)."""
        cases = self.write("cases.json", {"cases": [a_case()]})
        domains = self.write("domains.json", {"contoso.com": CONTOSO})
        for args, path in ((["test", cases, "--domains", domains, "--junit", domains], domains),
                           (["test", "-", "--junit", cases], cases)):
            with open(path, "rb") as f:
                before = f.read()
            with open(cases, "rb") as stdin:
                proc = subprocess.run([CLI, *args], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      timeout=60)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), before, args)
            self.assertEqual((proc.returncode, proc.stdout), (2, b""), args)
            self.assertEqual(proc.stderr.decode(), "tenantiso: --junit %s is also an input (%s): refusing to overwrite it\n"
                             % (path, "standard input" if "-" in args else path))

    def test_the_report_never_overwrites_a_policy_file_a_case_reads(self):
        """A case's policy path (relative to its cases file, or through
        another name) is an input too: the run goes on, the report is refused
        and nothing written (it replaced the policy)."""
        policy = self.write("policy.json", policy_doc())
        sub = os.path.join(self.tmp, "sub")
        os.mkdir(sub)
        with open(policy, "rb") as f:
            before = f.read()
        in_a_set = a_case(policies=[policy_doc(home=FABRIKAM), policy])
        del in_a_set["policy"], in_a_set["expect"]["reason"]
        cases = self.write("cases.json", {"cases": [a_case(policy="policy.json"), in_a_set]})
        for report in (policy, os.path.join(sub, "..", "policy.json")):
            r = run("test", cases, "--junit", report)
            with open(policy, "rb") as f:
                self.assertEqual(f.read(), before)
            self.assertEqual((r.rc, r.out), (2, "2 passed, 0 failed\n"), r)
            self.assertEqual(r.err, "tenantiso: --junit %s is also an input (%s): refusing to overwrite it\n"
                             % (report, os.path.join(self.tmp, "policy.json")), r)

    def test_an_unwritable_report_is_a_runtime_failure(self):
        path = os.path.join(self.tmp, "no-such-dir", "junit.xml")
        r = run("test", SEED, "--junit", path)
        self.assertEqual(r.rc, 3, r)
        self.assertEqual(len(r.err.splitlines()), 1, r)
        self.assertIn(path, r.err)
        self.assertIn("No such file or directory", r.err)
        for target, why in (("/dev/full", "No space left on device"), (self.tmp, "Is a directory")):
            r = run("test", SEED, "--junit", target)
            self.assertEqual((r.rc, r.err), (3, "tenantiso: %s: cannot write: %s\n" % (target, why)), r)

    def test_a_report_that_cannot_be_written_leaves_the_old_one(self):
        """A file that cannot take the report (RLIMIT_FSIZE, as a full disk
        would): one line with the cause, the previous report untouched, no
        temporary file left (it was truncated and half written)."""
        out = os.path.join(self.tmp, "junit.xml")
        with open(out, "w") as f:
            f.write("the previous report\n")

        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))

        proc = subprocess.run([CLI, "test", SEED, "--junit", out], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, preexec_fn=limit, timeout=60)
        err = proc.stderr.decode()
        with open(out) as f:
            self.assertEqual(f.read(), "the previous report\n")
        self.assertEqual(proc.returncode, 3, err)
        self.assertEqual(err, "tenantiso: %s: cannot write: %s\n" % (out, os.strerror(27)))  # EFBIG
        self.assertEqual(sorted(os.listdir(self.tmp)), ["junit.xml"])

    def test_the_schema_check_can_fail(self):
        self.junit(SEED)
        path = os.path.join(self.tmp, "junit.xml")
        with open(path, encoding="utf-8") as f:
            good = f.read()
        for old, new in (('tests="14"', 'tests="many"'), ("<testcase ", "<case "), ('time="', 'duration="')):
            with open(path, "w", encoding="utf-8") as f:
                f.write(good.replace(old, new, 1))
            self.assertIsNotNone(xsd_errors(path), new)

    def test_junit_is_only_for_test(self):
        self.assertFails(run("check", POLICY, "--junit", "x.xml"), 2, "unknown option '--junit'")


if __name__ == "__main__":
    unittest.main()
