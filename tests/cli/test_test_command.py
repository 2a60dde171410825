"""tenantiso test: expected-decision cases (SPEC 7), over the seed fixtures,
the Contoso example, a deliberately failing file and malformed files."""

import json
import os
import unittest

from cli_support import (CONTOSO, DATA, DOMAINS, EXAMPLE, FABRIKAM, FIXTURES, POLICY,
                         CliTestCase, run)

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


if __name__ == "__main__":
    unittest.main()
