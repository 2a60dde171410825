"""tenantiso check: normalized policy on stdout, warnings on stderr, --json
(SPEC 4, 7)."""

import json
import os
import subprocess
import sys
import unittest

from cli_support import (CLI, SANITIZED, WITH_GRAPH, CONTOSO, DOMAINS, FABRIKAM, NORTHWIND, POLICY, CliTestCase, entry,
                         policy_doc, run)


class CheckTests(CliTestCase):
    def test_example_policy_is_valid_and_normalized(self):
        r = run("check", POLICY, "--domains", DOMAINS)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.err, "", r)  # the example is clean: no warnings
        doc = json.loads(r.out)
        props = doc["properties"]
        self.assertEqual(props["tenantId"], CONTOSO)
        self.assertIs(props["isDisabled"], False)
        self.assertEqual(len(props["allowedTenants"]), 5)
        northwind = props["allowedTenants"][1]
        self.assertEqual(northwind["tenantId"], NORTHWIND)  # the domain entry, resolved
        self.assertEqual(northwind["domain"], "northwindtraders.com")
        self.assertEqual(northwind["direction"], {"inbound": False, "outbound": True})

    def test_ids_come_out_lowercase(self):
        path = self.write("upper.json", policy_doc([entry(FABRIKAM.upper(), True, False)],
                                                   home=CONTOSO.upper()))
        r = run("check", path)
        self.assertEqual(r.rc, 0, r)
        props = json.loads(r.out)["properties"]
        self.assertEqual(props["tenantId"], CONTOSO)
        self.assertEqual(props["allowedTenants"][0]["tenantId"], FABRIKAM)

    def test_bare_inner_object_is_accepted(self):
        path = self.write("bare.json", policy_doc([entry(FABRIKAM, True, True)])["properties"])
        r = run("check", path)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(json.loads(r.out)["properties"]["tenantId"], CONTOSO)

    def test_unresolvable_domain_entry_names_the_entry(self):
        empty_map = self.write("empty-map.json", {})
        r = run("check", POLICY, "--domains", empty_map)  # a map without the entry's domain
        self.assertFails(r, 2, "policy.json", "allowedTenants[1]", "northwindtraders.com",
                         "--domains")

    def test_unreachable_resolver_is_a_runtime_failure_naming_the_entry(self):
        # No map: the Graph client resolves, here against a port that refuses.
        r = run("check", POLICY, "--login-url", "http://127.0.0.1:1", "--timeout", "2")
        if WITH_GRAPH:
            self.assertFails(r, 3, "policy.json", "allowedTenants[1]", "northwindtraders.com")
        else:
            self.assertFails(r, 2, "policy.json", "allowedTenants[1]", "northwindtraders.com",
                             "--domains", "no Graph client")

    def test_warnings_go_to_stderr_and_do_not_fail(self):
        doc = policy_doc([entry(FABRIKAM, True, False), entry(FABRIKAM, False, True),
                          entry(CONTOSO, True, True)], surpriseKey=1)
        del doc["properties"]["isDisabled"]
        path = self.write("warn.json", doc)
        r = run("check", path)
        self.assertEqual(r.rc, 0, r)
        json.loads(r.out)
        warnings = r.err.splitlines()
        self.assertGreaterEqual(len(warnings), 4, r)  # duplicate, home listed, unknown key, isDisabled
        for line in warnings:
            self.assertTrue(line.startswith("tenantiso: warning: "), line)
        self.assertTrue(any("allowedTenants[" in w for w in warnings), warnings)
        self.assertTrue(any("surpriseKey" in w for w in warnings), warnings)

    def test_json_output(self):
        doc = policy_doc([entry(FABRIKAM, False, False)])
        path = self.write("empty-entry.json", doc)
        r = run("check", path, "--json")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.err, "", r)
        out = json.loads(r.out)
        self.assertEqual(set(out), {"valid", "policy", "warnings"})
        self.assertIs(out["valid"], True)
        self.assertEqual(out["policy"]["properties"]["tenantId"], CONTOSO)
        self.assertEqual(len(out["warnings"]), 1, out)
        w = out["warnings"][0]
        self.assertEqual(set(w), {"code", "path", "message"})
        self.assertEqual(w["code"], "empty_entry")
        self.assertIn("allowedTenants[0]", w["path"])

    def test_json_output_for_an_invalid_policy(self):
        path = self.write("bad.json", '{"properties": {"tenantId": "nope", "isDisabled": false,'
                                      ' "allowedTenants": []}}')
        r = run("check", path, "--json")
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(r.err, "", r)
        self.assertEqual(r.out.count("\n"), 1, r)
        out = json.loads(r.out)
        self.assertIs(out["valid"], False)
        self.assertEqual(out["error"]["code"], "invalid_tenant")
        self.assertIn("properties.tenantId", out["error"]["message"])

    def test_syntax_error_has_line_and_column(self):
        path = self.write("syntax.json", '{\n  "properties": {\n    "tenantId": ,\n  }\n}\n')
        line = self.assertFails(run("check", path), 2, "syntax.json:3:")
        self.assertRegex(line, r"syntax\.json:3:\d+")

    def test_error_body_is_not_a_policy(self):
        # Finding 17: a saved error response passed as "valid, isolation on".
        path = self.write("error.json", {"error": {"code": "BadRequest",
                                                   "message": "Invalid tenant ID format",
                                                   "target": "tenantId"}})
        self.assertFails(run("check", path), 2, "error.json", "not a tenant isolation policy",
                         "BadRequest", "Invalid tenant ID format")
        r = run("check", path, "--json")
        self.assertEqual(r.rc, 2, r)
        out = json.loads(r.out)
        self.assertIs(out["valid"], False)
        self.assertEqual(out["error"]["code"], "schema")
        self.assertIn("BadRequest", out["error"]["message"])

    def test_other_api_object_is_not_a_policy(self):
        # Finding 17: the BAP tenant object, from the Terraform provider's test data.
        path = self.write("tenant.json", {"id": "/providers/Microsoft.BusinessAppPlatform/tenant",
                                          "tenantId": CONTOSO, "state": "Enabled"})
        self.assertFails(run("check", path), 2, "tenant.json", "not a tenant isolation policy",
                         "isDisabled", "allowedTenants")
        wrapped = self.write("wrapped.json", {"properties": {"tenantId": CONTOSO}})
        self.assertFails(run("check", wrapped), 2, "wrapped.json", "not a tenant isolation policy")

    def test_tenant_id_and_domain_must_agree(self):
        # Finding 15: the map resolves fabrikam.com to Northwind, the entry says Fabrikam.
        domains = self.write("map.json", {"fabrikam.com": NORTHWIND})
        path = self.write("both.json", policy_doc([entry(NORTHWIND, True, True),
                                                   entry(FABRIKAM, True, True, domain="fabrikam.com")]))
        self.assertFails(run("check", path, "--domains", domains), 2, "both.json",
                         "allowedTenants[1]", "fabrikam.com", FABRIKAM, NORTHWIND)
        agree = self.write("agree.json", policy_doc([entry(NORTHWIND, True, True, domain="Fabrikam.com")]))
        r = run("check", agree, "--domains", domains)
        self.assertEqual(r.rc, 0, r)
        # a domain the map does not know cannot be checked: the ID stands, the domain is a note
        unknown = self.write("unknown.json", policy_doc([entry(FABRIKAM, True, True, domain="other.example")]))
        r = run("check", unknown, "--domains", domains)
        self.assertEqual(r.rc, 0, r)

    def test_json_output_with_long_non_ascii_paths_is_valid_utf8(self):
        # Finding 7: a long warning path was cut in the middle of a UTF-8 character.
        doc = policy_doc([])
        doc["properties"]["\u00fc" * 101] = {"x": 1}
        doc["properties"]["\u00e9" * 300] = 1
        path = self.write("utf8.json", json.dumps(doc, ensure_ascii=False))
        r = run("check", path, "--json")
        self.assertEqual(r.rc, 0, r)
        out = json.loads(r.out_bytes.decode("utf-8"))  # strict: raises on a cut character
        self.assertEqual(len(out["warnings"]), 2, out)
        for w in out["warnings"]:
            self.assertTrue(w["path"].startswith("properties."), w)
        syntax = self.write("utf8-syntax.json", ('{"' + "\u00e9" * 200 + '": {"' + "\u00e8" * 200
                                                 + '": tru}}').encode("utf-8"))
        r = run("check", syntax, "--json")
        self.assertEqual(r.rc, 2, r)
        out = json.loads(r.out_bytes.decode("utf-8"))
        self.assertEqual(out["error"]["code"], "syntax")
        r = run("check", syntax)
        r.err_bytes.decode("utf-8")  # the text error line too

    @unittest.skipIf(SANITIZED, "the sanitizers' own memory hides the figure")
    def test_peak_memory_is_at_most_four_times_the_document(self):
        # Finding 9: a policy whose bulk is an unknown member was made into one
        # cJSON tree (2.4 GB for 60 MB). SPEC 9: at most 4 times the document.
        head = json.dumps(policy_doc([entry(FABRIKAM, True, False)]))[:-2]
        body = head + ', "bulk": [' + ",".join(["1"] * 5_000_000) + "]}}"
        path = self.write("big.json", body)
        probe = ("import resource, subprocess, sys\n"
                 "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
                 "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
        out = subprocess.run([sys.executable, "-c", probe, CLI, "check", path], check=True,
                             stdout=subprocess.PIPE, text=True).stdout.split()
        rc, peak_kib = int(out[0]), int(out[1])
        self.assertEqual(rc, 0)
        size = os.path.getsize(path)
        self.assertLessEqual(peak_kib * 1024, 4 * size, "peak %d KiB for %d bytes" % (peak_kib, size))

    def test_exactly_one_policy(self):
        self.assertFails(run("check"), 2, "check", "--help")
        self.assertFails(run("check", POLICY, POLICY), 2, "check")


if __name__ == "__main__":
    unittest.main()
