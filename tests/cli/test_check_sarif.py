"""tenantiso check --format sarif (SPEC 13): each warning and error a SARIF
2.1.0 result with a stable rule ID and its JSON path as the location, valid
under the SARIF schema; and the warning past Power Platform's 500-rule limit
(SPEC 4) in every output of check."""

import json
import os
import unittest

from cli_support import CONTOSO, DOMAINS, FABRIKAM, POLICY, CliTestCase, entry, policy_doc, run
from schema_check import json_schema_errors

WARNING_KINDS = ["duplicate_tenant", "empty_entry", "home_tenant_listed", "unknown_key",
                 "missing_is_disabled", "more_warnings", "over_service_limit"]


def many_tenants(n):
    return [entry("00000000-0000-0000-0000-%012x" % (i + 1), False, True) for i in range(n)]


class SarifTests(CliTestCase):
    def sarif(self, *args, rc=0):
        r = run("check", *args, "--format", "sarif")
        self.assertEqual(r.rc, rc, r)
        self.assertEqual(r.err, "", r)
        log = json.loads(r.out)
        self.assertIsNone(json_schema_errors(log))
        self.assertEqual(log["version"], "2.1.0")
        self.assertEqual(len(log["runs"]), 1)
        run_ = log["runs"][0]
        rules = run_["tool"]["driver"]["rules"]
        ids = [rule["id"] for rule in rules]
        self.assertEqual(len(ids), len(set(ids)), ids)
        for result in run_["results"]:
            self.assertEqual(rules[result["ruleIndex"]]["id"], result["ruleId"], result)
        return run_

    def test_every_warning_is_a_result_located_by_its_json_path(self):
        doc = policy_doc([entry(FABRIKAM, True, False), entry(FABRIKAM, False, True),
                          entry(CONTOSO, True, True), entry("*", False, False)], surpriseKey=1)
        del doc["properties"]["isDisabled"]
        path = self.write("warn.json", doc)
        text = run("check", path, "--json")
        expected = [(w["code"], w["path"], w["message"]) for w in json.loads(text.out)["warnings"]]
        self.assertGreaterEqual(len(expected), 5, text)
        run_ = self.sarif(path)
        got = []
        for result in run_["results"]:
            self.assertEqual(result["level"], "warning")
            (loc,) = result["locations"]
            self.assertEqual(loc["physicalLocation"]["artifactLocation"]["uri"], path)
            self.assertNotIn("region", loc["physicalLocation"])
            logical = loc["logicalLocations"][0]
            got.append((result["ruleId"].split(".", 1)[1], logical["fullyQualifiedName"],
                        result["message"]["text"]))
            self.assertTrue(result["ruleId"].startswith("warning."), result)
        self.assertEqual(got, expected)
        self.assertIn("properties.surpriseKey", [g[1] for g in got])
        self.assertIn("properties.allowedTenants[1]", [g[1] for g in got])
        self.assertEqual(run_["artifacts"], [{"location": {"uri": path}}])

    def test_rules_list_every_kind_with_a_description(self):
        run_ = self.sarif(POLICY, "--domains", DOMAINS)
        self.assertEqual(run_["results"], [])  # the example is clean
        driver = run_["tool"]["driver"]
        self.assertEqual(driver["name"], "tenantiso")
        ids = [rule["id"] for rule in driver["rules"]]
        self.assertEqual(ids[:len(WARNING_KINDS)], ["warning." + k for k in WARNING_KINDS])
        for status in ("syntax", "schema", "limit", "io", "invalid_tenant", "invalid_domain",
                       "not_found", "resolve", "conflict"):
            self.assertIn("error." + status, ids)
        for rule in driver["rules"]:
            self.assertTrue(rule["shortDescription"]["text"], rule)
            self.assertEqual(rule["defaultConfiguration"]["level"],
                             "error" if rule["id"].startswith("error.") else "warning")

    def test_a_syntax_error_is_an_error_result_with_line_and_column(self):
        path = self.write("syntax.json", '{\n  "properties": {\n    "tenantId": ,\n  }\n}\n')
        run_ = self.sarif(path, rc=2)
        (result,) = run_["results"]
        self.assertEqual((result["ruleId"], result["level"]), ("error.syntax", "error"))
        region = result["locations"][0]["physicalLocation"]["region"]
        self.assertEqual(region["startLine"], 3)
        self.assertGreater(region["startColumn"], 1)

    def test_a_schema_error_is_located_by_its_json_path(self):
        path = self.write("bad.json", policy_doc([entry(FABRIKAM, True, False), entry("nope", True, False)]))
        run_ = self.sarif(path, rc=2)
        (result,) = run_["results"]
        self.assertEqual(result["ruleId"], "error.invalid_tenant")
        logical = result["locations"][0]["logicalLocations"][0]
        self.assertEqual(logical["fullyQualifiedName"], "properties.allowedTenants[1].tenantId")
        self.assertEqual(logical["name"], "tenantId")

    def test_an_unreadable_file_is_an_error_result(self):
        run_ = self.sarif(os.path.join(self.tmp, "missing.json"), rc=3)
        self.assertEqual([r["ruleId"] for r in run_["results"]], ["error.io"])

    def test_the_file_name_is_a_uri_reference(self):
        path = self.write("a b%c:d#e?.json", policy_doc([entry(FABRIKAM, False, False)]))
        run_ = self.sarif(path)
        uri = run_["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        self.assertTrue(uri.endswith("/a%20b%25c%3Ad%23e%3F.json"), uri)

    def test_a_long_file_name_is_the_whole_uri(self):
        # 400 bytes that each take three as %XX: the URI outgrew a fixed
        # 1,024-byte buffer and was cut, naming another file.
        os.makedirs(os.path.join(self.tmp, "%" * 200, "%" * 200))
        path = self.write("%" * 200 + "/" + "%" * 200 + "/p.json", policy_doc([entry(FABRIKAM, False, False)]))
        run_ = self.sarif(path)
        uri = run_["artifacts"][0]["location"]["uri"]
        self.assertTrue(uri.endswith("/" + "%25" * 200 + "/" + "%25" * 200 + "/p.json"), uri)
        self.assertEqual(run_["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], uri)

    def test_the_schema_check_can_fail(self):
        path = self.write("empty.json", policy_doc([entry(FABRIKAM, False, False)]))
        log = json.loads(run("check", path, "--format", "sarif").out)
        self.assertIsNone(json_schema_errors(log))
        for broken in ({"level": "warn"}, {"ruleIndex": -2}, {"locations": []}, {"rule_id": "x"}):
            bad = json.loads(json.dumps(log))
            bad["runs"][0]["results"][0].update(broken)
            self.assertIsNotNone(json_schema_errors(bad), broken)

    def test_format_is_checked(self):
        self.assertFails(run("check", POLICY, "--format", "xml"), 2, "--format", "sarif")
        self.assertJsonError(run("check", POLICY, "--format", "sarif", "--json"), 2, "invalid_argument", "--json")
        self.assertFails(run("eval", POLICY, "--format", "sarif"), 2, "unknown option '--format'")


class ServiceRuleLimitTests(CliTestCase):
    """Power Platform accepts at most 500 allowlist rules: check warns past it."""

    def test_500_rules_pass_clean(self):
        path = self.write("p500.json", policy_doc(many_tenants(500)))
        r = run("check", path)
        self.assertEqual((r.rc, r.err), (0, ""), r)

    def test_501_rules_warn_in_every_output(self):
        path = self.write("p501.json", policy_doc(many_tenants(501)))
        r = run("check", path)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.err.count("\n"), 1, r)
        self.assertIn("properties.allowedTenants: 501 allowlist rules", r.err)
        self.assertIn("at most 500", r.err)
        (w,) = json.loads(run("check", path, "--json").out)["warnings"]
        self.assertEqual((w["code"], w["path"]), ("over_service_limit", "properties.allowedTenants"))
        (result,) = SarifTests.sarif(self, path)["results"]
        self.assertEqual(result["ruleId"], "warning.over_service_limit")
        self.assertEqual(result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
                         "properties.allowedTenants")


if __name__ == "__main__":
    unittest.main()
