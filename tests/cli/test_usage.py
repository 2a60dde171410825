"""--version, --help, COMMAND --help, resolve, and usage errors (SPEC 7)."""

import json
import os
import unittest

from cli_support import CONTOSO, DOMAINS, FABRIKAM, POLICY, CliTestCase, WITH_GRAPH, run


class VersionAndHelpTests(CliTestCase):
    def test_version(self):
        r = run("--version")
        self.assertEqual(r.rc, 0, r)
        self.assertRegex(r.out, r"^tenantiso \d+\.\d+\.\d+\n$")
        self.assertEqual(r.err, "")

    def test_help_lists_the_commands_of_this_version(self):
        r = run("--help")
        self.assertEqual(r.rc, 0, r)
        for command in ("check", "eval", "resolve", "test", "report", "suggest", "diff", "--batch",
                        "--domains"):
            self.assertIn(command, r.out)

    def test_command_help(self):
        for command in ("check", "eval", "resolve", "test", "report", "suggest", "diff"):
            with self.subTest(command=command):
                r = run(command, "--help")
                self.assertEqual(r.rc, 0, r)
                self.assertTrue(r.out.startswith("Usage: tenantiso " + command), r)
                self.assertEqual(r.err, "")
        # Help wins over missing arguments.
        self.assertEqual(run("eval", "-h").rc, 0)

    def test_no_arguments_is_a_usage_error(self):
        r = run()
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(r.out, "")
        self.assertEqual(r.err, "tenantiso: no command given (run 'tenantiso --help')\n")


class UsageErrorTests(CliTestCase):
    def test_unknown_commands(self):
        for command in ("frobnicate", "Eval", "reports"):
            with self.subTest(command=command):
                self.assertFails(run(command, POLICY), 2, "unknown command", command, "--help")

    def test_unknown_flags_name_the_flag_and_hint_help(self):
        self.assertFails(run("--frob"), 2, "--frob", "--help")
        self.assertFails(run("eval", POLICY, "--frob", "--creator", CONTOSO, "--target", CONTOSO),
                         2, "'--frob'", "tenantiso eval --help")
        self.assertFails(run("check", POLICY, "--creator", CONTOSO), 2, "--creator")
        self.assertFails(run("test", POLICY, "--json"), 2, "--json")
        self.assertFails(run("eval", POLICY, "-x"), 2, "-x")

    def test_option_values(self):
        self.assertFails(run("eval", POLICY, "--creator"), 2, "--creator", "value")
        self.assertFails(run("eval", POLICY, "--creator", "--target", CONTOSO), 2, "--creator")
        self.assertFails(run("eval", POLICY, "--creator", CONTOSO, "--creator", CONTOSO,
                             "--target", CONTOSO), 2, "more than once")
        self.assertFails(run("eval", POLICY, "--json=yes"), 2, "--json")
        self.assertFails(run("eval", POLICY, "--creator="), 2, "--creator")
        self.assertFails(run("check", POLICY, "--cloud", "mars"), 2, "--cloud", "mars")
        self.assertFails(run("check", POLICY, "--timeout", "soon"), 2, "--timeout")
        self.assertFails(run("check", POLICY, "--timeout", "-1"), 2, "--timeout")

    def test_resolution_options_are_accepted_by_every_command(self):
        common = ["--domains", DOMAINS, "--cloud", "usgov", "--graph-url", "http://127.0.0.1:9",
                  "--login-url", "http://127.0.0.1:9", "--ca-file", "/dev/null",
                  "--timeout", "2.5"]
        self.assertEqual(run("check", POLICY, *common).rc, 0)
        self.assertEqual(run("eval", POLICY, "--creator=contoso.com", "--target=fabrikam.com",
                             *common).rc, 0)
        self.assertEqual(run("resolve", "contoso.com", *common).rc, 0)

    def test_eval_needs_policy_creator_and_target(self):
        self.assertFails(run("eval", "--creator", CONTOSO, "--target", FABRIKAM), 2, "POLICY")
        self.assertFails(run("eval", POLICY, "--creator", CONTOSO), 2, "--target")

    def test_usage_errors_with_json_are_json(self):
        r = run("eval", POLICY, "--json", "--frob")
        self.assertJsonError(r, 2, "invalid_argument", "--frob")

    def test_double_dash_ends_options(self):
        # After "--" a name starting with a dash is a positional argument: a
        # file that does not exist, so an I/O error rather than a usage error.
        r = run("check", "--", "--not-an-option")
        self.assertFails(r, 3, "--not-an-option")


class ResolveTests(CliTestCase):
    def test_tenant_id_prints_canonical_form(self):
        r = run("resolve", CONTOSO.upper())
        self.assertEqual((r.rc, r.out), (0, CONTOSO + "\n"), r)

    def test_domains_through_the_map(self):
        r = run("resolve", "Contoso.COM.", "fabrikam.com", FABRIKAM, "--domains", DOMAINS)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.out.splitlines(), ["contoso.com " + CONTOSO, "fabrikam.com " + FABRIKAM,
                                              FABRIKAM])

    def test_json(self):
        r = run("resolve", "contoso.com", CONTOSO, "--domains", DOMAINS, "--json")
        self.assertEqual(r.rc, 0, r)
        out = json.loads(r.out)
        self.assertEqual(out, [
            {"name": "contoso.com", "tenantId": CONTOSO, "domain": "contoso.com"},
            {"name": CONTOSO, "tenantId": CONTOSO, "domain": None}])

    def test_unknown_names(self):
        self.assertFails(run("resolve", "nope.example", "--domains", DOMAINS), 2, "nope.example")
        r = run("resolve", "contoso.com", "--login-url", "http://127.0.0.1:1", "--timeout", "2")
        if WITH_GRAPH:
            self.assertFails(r, 3, "contoso.com", "127.0.0.1")
        else:
            self.assertFails(r, 2, "contoso.com", "--domains", "no Graph client")
        r = run("resolve", "contoso.com", "nope.example", "--domains", DOMAINS, "--json")
        self.assertJsonError(r, 2, "not_found", "nope.example")
        self.assertFails(run("resolve", "bad/name.com", "--domains", DOMAINS), 2, "bad/name.com")
        self.assertFails(run("resolve"), 2, "NAME")

    def test_bad_domain_map(self):
        self.assertFails(run("resolve", "x.com", "--domains",
                             os.path.join(self.tmp, "none.json")), 3, "none.json")
        path = self.write("map.json", {"contoso.com": "not-a-guid"})
        self.assertFails(run("resolve", "x.com", "--domains", path), 2, "map.json")


if __name__ == "__main__":
    unittest.main()
