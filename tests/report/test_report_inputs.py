#!/usr/bin/env python3
"""Reading the inputs and writing the outputs by one rule (SPEC 6): the same
record gives the same verdict as a page entry and as an inventory line, a
record that repeats a key or could be either kind is an error naming where,
`--input-format` forces the kind, the JSON output names the entry limit,
and CSV cells cannot start a formula.

Run: TENANTISO_CLI=path/to/tenantiso python3 -m unittest test_report_inputs"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BIN = os.environ.get("TENANTISO_CLI", "tenantiso")
HERE = os.path.dirname(os.path.abspath(__file__))
H = "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
X = "33333333-3333-3333-3333-333333333333"
Y = "44444444-4444-4444-4444-444444444444"
POLICY = {"properties": {"tenantId": H, "isDisabled": False, "allowedTenants": []}}


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600)


class InputsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tiso_report_inputs_")
        self.policy = self.write("policy.json", json.dumps(POLICY))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def report(self, path, *extra):
        r = run("report", self.policy, path, "--format", "json", *extra)
        self.assertIn(r.returncode, (0, 1, 2), r.stderr)
        return json.loads(r.stdout), r

    def verdicts(self, doc):
        return [(c["verdict"], c["reason"]) for c in doc["connections"]]

    # ---- finding 6: a repeated key is an error for its record ----
    def test_duplicate_key_in_an_inventory_line_is_an_error(self):
        line = '{"creatorTenantId":"%s","creatorTenantId":"%s","targetTenantId":"%s"}\n' % (X, H, X)
        doc, r = self.report(self.write("dup.jsonl", line))
        self.assertEqual(doc["totals"]["errors"], 1, r.stdout)
        self.assertEqual(doc["totals"]["allowed"], 0, r.stdout)
        self.assertEqual([(e["line"], e["path"]) for e in doc["errors"]], [(1, "creatorTenantId")])
        self.assertIn("duplicate key", doc["errors"][0]["message"])

    def test_duplicate_unknown_key_is_an_error_too(self):
        line = '{"creatorTenantId":"%s","targetTenantId":"%s","x":1,"x":2}\n' % (H, X)
        doc, r = self.report(self.write("dup2.jsonl", line))
        self.assertEqual(doc["totals"]["errors"], 1, r.stdout)

    def test_duplicate_key_in_a_page_entry_is_an_error(self):
        page = ('{"tenantId":"%s","connections":[{"tenantId":"%s","tenantId":"%s","connectionType":"Outbound"},'
                '{"tenantId":"%s","connectionType":"Outbound"}]}' % (H, H, X, Y))
        doc, r = self.report(self.write("dup.json", page))
        self.assertEqual(doc["totals"]["errors"], 1, r.stdout)
        self.assertEqual(doc["totals"]["blocked"], 1, r.stdout)
        self.assertEqual([e["path"] for e in doc["errors"]], ["connections[0].tenantId"])
        self.assertIn("duplicate key", doc["errors"][0]["message"])

    # ---- finding 5: one connector rule for both forms ----
    def test_connector_precedence_not_order(self):
        line = ('{"creatorTenantId":"%s","targetTenantId":"%s","apiId":"shared_office365",'
                '"connector":"shared_visualstudioteamservices"}\n' % (H, X))
        page = ('{"tenantId":"%s","connections":[{"tenantId":"%s","connectionType":"Outbound",'
                '"apiId":"shared_office365","connector":"shared_visualstudioteamservices"}]}' % (H, X))
        inv, _ = self.report(self.write("c.jsonl", line))
        pg, _ = self.report(self.write("c.json", page))
        self.assertEqual(self.verdicts(inv), self.verdicts(pg))
        self.assertEqual(self.verdicts(inv), [("allow", "not_evaluated_non_entra")])
        # connectorId before connector, and connectorId over apiId
        line2 = ('{"creatorTenantId":"%s","targetTenantId":"%s","apiId":"shared_visualstudioteamservices",'
                 '"connectorId":"shared_office365"}\n' % (H, X))
        inv2, _ = self.report(self.write("c2.jsonl", line2))
        self.assertEqual(self.verdicts(inv2), [("deny", "not_allowlisted")])

    # ---- finding 4: the kind of an input ----
    def test_one_record_inventory_with_connections_is_an_error(self):
        line = '{"creatorTenantId":"%s","targetTenantId":"%s","tenantId":"%s","connections":[]}\n' % (H, X, H)
        path = self.write("one.jsonl", line)
        r = run("report", self.policy, path, "--fail-on-blocked")
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("one.jsonl", r.stderr)
        self.assertIn("--input-format", r.stderr)
        r = run("report", self.policy, path, "--fail-on-blocked", "--input-format", "jsonl")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        r = run("report", self.policy, path, "--input-format", "page", "--format", "json")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(json.loads(r.stdout)["totals"]["connections"], 0)

    def test_inventory_whose_first_record_has_connections(self):
        text = ('{"creatorTenantId":"%s","targetTenantId":"%s","connections":[]}\n'
                '{"creatorTenantId":"%s","targetTenantId":"%s"}\n' % (H, X, H, Y))
        path = self.write("first.jsonl", text)
        doc, r = self.report(path)
        self.assertEqual(doc["totals"]["connections"], 2, r.stdout)
        self.assertEqual(doc["totals"]["errors"], 1, r.stdout)
        self.assertEqual(doc["totals"]["blocked"], 1, r.stdout)
        self.assertEqual([(e["source"], e["line"], e["path"]) for e in doc["errors"]], [(path, 1, "connections")])
        self.assertIn("--input-format", doc["errors"][0]["message"])
        doc, r = self.report(path, "--input-format", "jsonl")
        self.assertEqual(doc["totals"]["blocked"], 2, r.stdout)

    def test_input_format_flag(self):
        page = '{"tenantId":"%s","connections":[{"tenantId":"%s","connectionType":"Outbound"}]}' % (H, X)
        path = self.write("p.json", page)
        doc, _ = self.report(path)
        self.assertEqual(doc["totals"]["blocked"], 1)
        doc, _ = self.report(path, "--input-format", "page")
        self.assertEqual(doc["totals"]["blocked"], 1)
        doc, r = self.report(path, "--input-format", "jsonl")  # one record without tenants
        self.assertEqual(doc["totals"]["errors"], 1, r.stdout)
        r = run("report", self.policy, path, "--input-format", "xml")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--input-format", r.stderr)
        for cmd in (["suggest", path, "--home", H], ["diff", self.policy, self.policy, path]):
            r = run(*cmd, "--input-format", "page")
            self.assertEqual(r.returncode, 0, r.stderr)
        r = run("suggest", path, "--home", H, "--input-format", "jsonl")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--input-format", run("report", "--help").stdout)

    # ---- finding 8: the entry limit ----
    def test_json_report_over_the_entry_limit(self):
        path = os.path.join(self.tmp, "many.jsonl")
        n = 1000001
        subprocess.run([sys.executable, os.path.join(HERE, "gen_inventory.py"), str(n), path,
                        "--distinct-outbound"], check=True)
        out = os.path.join(self.tmp, "out.json")
        r = run("report", self.policy, path, "--format", "json", "--output", out)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("limit", r.stderr)
        self.assertIn("1000000", r.stderr.replace(",", ""))
        self.assertNotIn("out of memory", r.stderr)
        if os.path.exists(out):
            with open(out, encoding="utf-8") as f:
                json.load(f)  # never a cut-off document
        r = run("report", self.policy, path, "--format", "json")
        self.assertNotEqual(r.returncode, 0)
        if r.stdout:
            json.loads(r.stdout)

    # ---- finding 13: CSV cells never start a formula ----
    def test_csv_cells_are_inert(self):
        lines = []
        for i, lead in enumerate("=+-@"):
            lines.append(json.dumps({"creatorTenantId": H, "targetTenantId": X, "connector": "shared_office365",
                                     "connectionId": lead + "cmd|' /C calc'!A%d" % i,
                                     "environmentId": lead + "env"}))
        path = self.write("csv.jsonl", "\n".join(lines) + "\n")
        r = run("report", self.policy, path, "--format", "csv")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = list(csv.reader(io.StringIO(r.stdout)))
        self.assertEqual(len(rows), 5)
        for row in rows[1:]:
            for cell in row:
                self.assertFalse(cell[:1] in ("=", "+", "-", "@"), row)
        self.assertTrue(any(cell == "'=env" for cell in rows[1]), rows[1])


if __name__ == "__main__":
    unittest.main()
