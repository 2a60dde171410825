"""tenantiso eval: one decision, text and --json shapes, exit codes, policy
sets (SPEC 3, 3.1, 7)."""

import json
import unittest

from cli_support import (CONTOSO, DOMAINS, EVAL_KEYS, FABRIKAM, FABRIKAM_POLICY, NORTHWIND,
                         POLICY, REASONS, TAILSPIN, WOODGROVE, CliTestCase, entry, policy_doc,
                         run)


class EvalTextTests(CliTestCase):
    def test_deny_prints_two_readable_lines_and_exits_1(self):
        r = run("eval", POLICY, "--domains", DOMAINS, "--creator", "contoso.com",
                "--target", "tailspintoys.com")
        self.assertEqual(r.rc, 1, r)
        self.assertEqual(r.err, "", r)
        lines = r.out.splitlines()
        self.assertEqual(len(lines), 2, r)
        self.assertEqual(lines[0].split(),
                         ["deny", "not_allowlisted", "outbound", "external=" + TAILSPIN, "rule=-"])
        self.assertIn(CONTOSO, lines[1])
        self.assertIn(TAILSPIN, lines[1])
        self.assertIn("blocked", lines[1])

    def test_allow_exits_0_with_rule_index(self):
        r = run("eval", POLICY, "--domains", DOMAINS, "--creator", "contoso.com",
                "--target", "northwindtraders.com")
        self.assertEqual(r.rc, 0, r)
        first = r.out.splitlines()[0].split()
        self.assertEqual(first, ["allow", "allowlisted", "outbound", "external=" + NORTHWIND,
                                 "rule=1"])

    def test_a_domains_map_means_no_network_even_with_credentials(self):
        # SPEC 7: --domains is a static map, no network; credentials in the
        # environment alone do not bring Graph in (a Graph option would).
        r = run("eval", POLICY, "--domains", DOMAINS, "--creator", "unmapped.example",
                "--target", CONTOSO, env={"TENANTISO_ACCESS_TOKEN": "not-a-real-token"})
        self.assertEqual(r.rc, 2, r)
        self.assertIn("not in", r.err)
        self.assertNotIn("Graph", r.err)
        self.assertNotIn("not-a-real-token", r.err)

    def test_same_tenant_has_no_direction(self):
        r = run("eval", POLICY, "--domains", DOMAINS, "--creator", CONTOSO, "--target",
                CONTOSO.upper())
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.out.splitlines()[0].split(),
                         ["allow", "same_tenant", "-", "external=-", "rule=-"])


class EvalJsonTests(CliTestCase):
    def eval_json(self, *args):
        r = run("eval", POLICY, "--domains", DOMAINS, "--json", *args)
        self.assertEqual(r.err, "", r)
        self.assertEqual(len(r.out.splitlines()), 1, r)
        return r, json.loads(r.out)

    def test_exact_keys_for_a_single_policy(self):
        r, d = self.eval_json("--creator", "contoso.com", "--target", "fabrikam.com")
        self.assertEqual(r.rc, 0)
        self.assertEqual(set(d), EVAL_KEYS)  # no blockedBy without a policy set
        self.assertDecision(d, "allow", "allowlisted", "outbound", FABRIKAM, 0)

    def test_deny_inbound_json(self):
        r, d = self.eval_json("--creator", "northwindtraders.com", "--target", CONTOSO)
        self.assertEqual(r.rc, 1)
        self.assertDecision(d, "deny", "not_allowlisted", "inbound", NORTHWIND, None)

    def test_inbound_only_entry(self):
        r, d = self.eval_json("--creator", WOODGROVE, "--target", "contoso.com")
        self.assertEqual(r.rc, 0)
        self.assertDecision(d, "allow", "allowlisted", "inbound", WOODGROVE, 2)
        r, d = self.eval_json("--creator", "contoso.com", "--target", WOODGROVE)
        self.assertEqual(r.rc, 1)
        self.assertDecision(d, "deny", "not_allowlisted", "outbound", WOODGROVE, None)

    def test_null_fields_for_same_tenant(self):
        r, d = self.eval_json("--creator", "contoso.com", "--target", "contoso.onmicrosoft.com")
        self.assertEqual(r.rc, 0)
        self.assertDecision(d, "allow", "same_tenant", None, None, None)

    def test_azure_devops_connector_is_not_evaluated(self):
        r, d = self.eval_json("--creator", "contoso.com", "--target", "tailspintoys.com",
                              "--connector", "shared_visualstudioteamservices")
        self.assertEqual(r.rc, 0)
        self.assertEqual(d["verdict"], "allow")
        self.assertEqual(d["reason"], "not_evaluated_non_entra")

    def test_only_the_connector_itself_is_exempt(self):
        """Rule 3 exempts the bare identifier and the connector's own API path
        (any case), nothing that merely ends in its name (issue 10, finding 12)."""
        devops = "shared_visualstudioteamservices"
        exempt = [devops, devops.upper(), "/providers/Microsoft.PowerApps/apis/" + devops,
                  "/PROVIDERS/microsoft.powerapps/APIS/Shared_VisualStudioTeamServices"]
        evaluated = ["shared_office365/" + devops, "https://evil.example/x/" + devops,
                     "/x/" + devops, "/apis/" + devops, "providers/Microsoft.PowerApps/apis/" + devops,
                     "/providers/Microsoft.Web/apis/" + devops,
                     "https://api.powerapps.com/providers/Microsoft.PowerApps/apis/" + devops,
                     "/providers/Microsoft.PowerApps/apis/" + devops + "/",
                     "/providers/Microsoft.PowerApps/apis//" + devops,
                     devops + "/", devops + " ", " " + devops, devops + "x", "x" + devops]
        for connector in exempt + evaluated:
            with self.subTest(connector=connector):
                r, d = self.eval_json("--creator", "contoso.com", "--target", "tailspintoys.com",
                                      "--connector", connector)
                if connector in exempt:
                    self.assertEqual((r.rc, d["reason"]), (0, "not_evaluated_non_entra"), r)
                else:
                    self.assertEqual((r.rc, d["verdict"], d["reason"]), (1, "deny", "not_allowlisted"), r)

    def test_not_applicable(self):
        r, d = self.eval_json("--creator", "fabrikam.com", "--target", "tailspintoys.com")
        self.assertEqual(r.rc, 0)
        self.assertEqual(d["reason"], "not_applicable")
        self.assertIsNone(d["direction"])

    def test_explicit_direction(self):
        r, d = self.eval_json("--creator", "contoso.com", "--target", "adventure-works.com",
                              "--direction", "OUTBOUND")
        self.assertEqual(r.rc, 0)
        self.assertEqual((d["reason"], d["direction"], d["rule"]),
                         ("allowlisted", "outbound", 3))

    def test_inconsistent_direction_is_an_error_not_a_verdict(self):
        r = run("eval", POLICY, "--domains", DOMAINS, "--json", "--creator", "fabrikam.com",
                "--target", "contoso.com", "--direction", "outbound")
        self.assertJsonError(r, 2, "inconsistent_direction", CONTOSO)
        r = run("eval", POLICY, "--domains", DOMAINS, "--creator", "fabrikam.com",
                "--target", "contoso.com", "--direction", "outbound")
        self.assertFails(r, 2, "outbound", CONTOSO)

    def test_no_home_tenant_with_auto_direction(self):
        doc = policy_doc([entry(FABRIKAM, True, True)])
        del doc["properties"]["tenantId"]
        path = self.write("nohome.json", doc)
        r = run("eval", path, "--creator", CONTOSO, "--target", FABRIKAM, "--json")
        self.assertJsonError(r, 2, "no_home_tenant")
        r = run("eval", path, "--creator", CONTOSO, "--target", FABRIKAM,
                "--direction", "outbound", "--json")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(json.loads(r.out)["reason"], "allowlisted")

    def test_isolation_off_and_wildcard(self):
        off = self.write("off.json", policy_doc([], disabled=True))
        r = run("eval", off, "--creator", CONTOSO, "--target", FABRIKAM, "--json")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(json.loads(r.out)["reason"], "isolation_disabled")
        wild = self.write("wild.json", policy_doc([
            {"tenantId": "*", "direction": {"inbound": False, "outbound": True}}]))
        r = run("eval", wild, "--creator", CONTOSO, "--target", FABRIKAM, "--json")
        self.assertEqual(r.rc, 0, r)
        d = json.loads(r.out)
        self.assertEqual((d["reason"], d["rule"]), ("wildcard", 0))
        r = run("eval", wild, "--creator", FABRIKAM, "--target", CONTOSO, "--json")
        self.assertEqual(r.rc, 1, r)
        self.assertEqual(json.loads(r.out)["reason"], "not_allowlisted")

    def test_reasons_are_spec_names(self):
        seen = set()
        for creator, target in [("contoso.com", "fabrikam.com"), ("contoso.com", "contoso.com"),
                                ("contoso.com", "tailspintoys.com"),
                                ("fabrikam.com", "tailspintoys.com")]:
            _, d = self.eval_json("--creator", creator, "--target", target)
            seen.add(d["reason"])
        self.assertTrue(seen <= REASONS, seen)
        self.assertEqual(len(seen), 4)


class PolicySetTests(CliTestCase):
    def eval_set(self, creator, target, *extra):
        r = run("eval", POLICY, FABRIKAM_POLICY, "--domains", DOMAINS, "--json",
                "--creator", creator, "--target", target, *extra)
        self.assertEqual(r.err, "", r)
        return r, json.loads(r.out)

    def test_blocked_by_the_target_side(self):
        r, d = self.eval_set("contoso.com", "fabrikam.com")
        self.assertEqual(r.rc, 1)
        self.assertEqual(set(d), EVAL_KEYS | {"blockedBy"})
        self.assertEqual(d["verdict"], "deny")
        self.assertEqual(d["blockedBy"], FABRIKAM)
        self.assertEqual(d["direction"], "inbound")

    def test_blocked_by_the_creator_side(self):
        r, d = self.eval_set("contoso.com", "tailspintoys.com")
        self.assertEqual(r.rc, 1)
        self.assertEqual(d["blockedBy"], CONTOSO)
        self.assertEqual(d["reason"], "not_allowlisted")

    def test_allowed_by_both_has_null_blocked_by(self):
        r, d = self.eval_set("fabrikam.com", "contoso.com")
        self.assertEqual(r.rc, 0)
        self.assertIn("blockedBy", d)
        self.assertIsNone(d["blockedBy"])
        self.assertEqual(d["verdict"], "allow")

    def test_text_output_names_the_blocking_tenant(self):
        r = run("eval", POLICY, FABRIKAM_POLICY, "--domains", DOMAINS,
                "--creator", "contoso.com", "--target", "fabrikam.com")
        self.assertEqual(r.rc, 1, r)
        self.assertIn("blocked_by=" + FABRIKAM, r.out.splitlines()[0])

    def test_a_policy_without_home_tenant_cannot_join_a_set(self):
        doc = policy_doc([])
        del doc["properties"]["tenantId"]
        path = self.write("nohome.json", doc)
        r = run("eval", POLICY, path, "--domains", DOMAINS, "--creator", CONTOSO,
                "--target", FABRIKAM)
        self.assertFails(r, 2, "nohome.json", "home tenant")

    def test_two_policies_for_one_tenant_are_refused(self):
        copy = self.write("copy.json", open(POLICY, encoding="utf-8").read())
        r = run("eval", POLICY, copy, "--domains", DOMAINS, "--creator", CONTOSO,
                "--target", FABRIKAM)
        self.assertFails(r, 2, "copy.json", CONTOSO)

    def test_an_explicit_direction_cannot_narrow_a_set(self):
        # SPEC 3.1: H's policy is off, X's isolates. Whatever direction the
        # request names, both sides are asked and X blocks (with outbound
        # only H's side used to be asked: an allow).
        h = self.write("h_open.json", policy_doc([], home=NORTHWIND, disabled=True))
        x = self.write("x_closed.json", policy_doc([], home=WOODGROVE))
        for direction in ("auto", "outbound", "inbound"):
            r = run("eval", h, x, "--json", "--creator", NORTHWIND, "--target", WOODGROVE,
                    "--direction", direction)
            self.assertEqual(r.rc, 1, (direction, r))
            d = json.loads(r.out)
            self.assertEqual((d["verdict"], d["blockedBy"], d["direction"]),
                             ("deny", WOODGROVE, "inbound"), direction)
        lines = "".join(json.dumps({"creator": NORTHWIND, "target": WOODGROVE, "direction": d}) + "\n"
                        for d in ("outbound", "inbound", "auto"))
        r = run("eval", h, x, "--batch", "-", stdin=lines)
        self.assertEqual(r.rc, 0, r)
        for line in r.out.splitlines():
            d = json.loads(line)
            self.assertEqual((d["verdict"], d["blockedBy"]), ("deny", WOODGROVE), d)

    def test_two_policies_for_one_tenant_are_a_conflict(self):
        copy = self.write("copy.json", open(POLICY, encoding="utf-8").read())
        r = run("eval", POLICY, copy, "--domains", DOMAINS, "--json", "--creator", CONTOSO,
                "--target", FABRIKAM)
        self.assertJsonError(r, 2, "conflict", "copy.json", CONTOSO)


if __name__ == "__main__":
    unittest.main()
