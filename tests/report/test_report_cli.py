#!/usr/bin/env python3
"""`tenantiso report`, `suggest` and `diff`, driven as a user would: every
expected number comes from report_model.py, an independent model of SPEC 3
and 6, never from the tool itself.

Run: TENANTISO_CLI=path/to/tenantiso python3 -m unittest test_report_cli
(TISO_SANITIZED=1 skips the memory-bound test, which means nothing under
AddressSanitizer.)"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import report_model  # noqa: E402

BIN = os.environ.get("TENANTISO_CLI", "tenantiso")
DATA = os.path.join(HERE, "data")
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
EXAMPLE = os.path.join(ROOT, "examples", "contoso")


def data(name):
    return os.path.join(DATA, name)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def run(*args, stdin=None):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=300)


DOMAINS = json.loads(read(data("domains.json")))
INPUTS = [data("page1.json"), data("page2.json"), data("inventory.jsonl")]
BASE = ["--domains", data("domains.json")]


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tiso_report_cli_")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def report_json(self, policy, inputs=INPUTS, code=None):
        r = run("report", policy, *inputs, "--format", "json", *BASE)
        if code is not None:
            self.assertEqual(r.returncode, code, r.stderr)
        return json.loads(r.stdout), r

    def test_readme_quick_start(self):
        """The README's main job, on the bundled example (numbers counted by hand)."""
        r = run("report", os.path.join(EXAMPLE, "policy.json"), os.path.join(EXAMPLE, "connections-report.json"),
                "--domains", os.path.join(EXAMPLE, "domains.json"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Summary: 16 connections: 7 allowed, 8 blocked, 1 not covered by isolation, 0 errors", r.stdout)
        self.assertIn("add 5 allowlist entries", r.stdout)
        self.assertEqual(r.stdout.count("\nBLOCKED "), 8)
        self.assertEqual(r.stdout.count("\nNOT COVERED "), 1)

    def test_json_against_the_model(self):
        policy = report_model.Policy(data("policy.json"), DOMAINS)
        decisions, totals, rows, needs = report_model.expected(policy, INPUTS, DOMAINS)
        doc, r = self.report_json(data("policy.json"), code=2)  # 2: some records are bad
        self.assertEqual(doc["totals"], totals)
        self.assertEqual(doc["policy"]["tenantId"], policy.home)
        self.assertEqual(doc["policy"]["isolation"], "on")
        self.assertEqual(len(doc["connections"]), totals["connections"])
        for got, want in zip(doc["connections"], decisions):
            if want is None:
                self.assertEqual(got["outcome"], "error")
                self.assertEqual(got["verdict"], "deny")  # fail closed
                continue
            self.assertEqual((got["verdict"], got["reason"], got["direction"]), want[:3], got)
            self.assertEqual(got["externalTenant"], want[3])
        got_rows = {(x["tenantId"], x["direction"]): [x["connections"], x["blocked"]] for x in doc["byTenant"]}
        self.assertEqual(got_rows, {k: v for k, v in rows.items()})
        self.assertEqual(len(doc["errors"]), totals["errors"])
        # The input's own fields are echoed; a clashing name is kept aside.
        inv9 = [c for c in doc["connections"] if c.get("connectionId") == "inv-9"][0]
        self.assertEqual(inv9["input.verdict"], "input says allow")
        self.assertEqual(inv9["verdict"], "allow")
        owner = [c for c in doc["connections"] if c.get("connectionId") == "inv-10"][0]
        self.assertEqual(owner["owner"], "Jörg Müller")
        # The suggestion adds exactly the needed entries.
        sugg = doc["suggestedPolicy"]["properties"]
        self.assertFalse(sugg["isDisabled"])
        added = sugg["allowedTenants"][len(policy.entries):]
        got_needs = {e["tenantId"]: {d for d in ("inbound", "outbound") if e["direction"][d]} for e in added}
        self.assertEqual(got_needs, needs)
        self.assertTrue(all(e["tenantId"] != "*" for e in added))

    def test_suggested_policy_blocks_nothing_and_is_minimal(self):
        doc, _ = self.report_json(data("policy.json"))
        path = os.path.join(self.tmp, "suggested.json")
        write(path, json.dumps(doc["suggestedPolicy"]))
        again, _ = self.report_json(path)
        self.assertEqual(again["totals"]["blocked"], 0)
        base = len(report_model.Policy(data("policy.json"), DOMAINS).entries)
        entries = doc["suggestedPolicy"]["properties"]["allowedTenants"]
        for i in range(base, len(entries)):
            for drop in ("inbound", "outbound"):
                if not entries[i]["direction"][drop]:
                    continue
                fewer = json.loads(json.dumps(doc["suggestedPolicy"]))
                fewer["properties"]["allowedTenants"][i]["direction"][drop] = False
                write(path, json.dumps(fewer))
                less, _ = self.report_json(path)
                self.assertGreater(less["totals"]["blocked"], 0, (i, drop))

    def test_csv_parsed_back(self):
        r = run("report", data("policy.json"), *INPUTS, "--format", "csv", *BASE)
        self.assertEqual(r.returncode, 2, r.stderr)
        rows = list(csv.DictReader(io.StringIO(r.stdout, newline="")))
        doc, _ = self.report_json(data("policy.json"))
        self.assertEqual(len(rows), len(doc["connections"]))
        for row, conn in zip(rows, doc["connections"]):
            self.assertEqual(row["verdict"], conn["verdict"])
            self.assertEqual(row["reason"], conn["reason"])
            self.assertEqual(row["outcome"], conn["outcome"])
            self.assertEqual(row["direction"], conn["direction"] or "")
            self.assertEqual(row["externalTenant"], conn["externalTenant"] or "")
        quoted = [row for row in rows if row["connectionId"].startswith("id,with")]
        self.assertEqual(quoted[0]["connectionId"], 'id,with "quotes"\nand a newline')
        self.assertEqual(quoted[0]["creator"], "contoso.com")
        self.assertEqual(quoted[0]["creatorTenantId"], DOMAINS["contoso.com"])
        owner = [row for row in rows if row["connectionId"] == "inv-10"][0]
        self.assertEqual(json.loads(owner["extra"]), {"owner": "Jörg Müller"})

    def test_text_lists_blocked_and_not_covered(self):
        r = run("report", data("policy.json"), *INPUTS, *BASE)
        self.assertEqual(r.returncode, 2)
        _, totals, _, _ = report_model.expected(report_model.Policy(data("policy.json"), DOMAINS), INPUTS, DOMAINS)
        self.assertEqual(r.stdout.count("\nBLOCKED "), totals["blocked"])
        self.assertEqual(r.stdout.count("\nNOT COVERED "), totals["notCovered"])
        self.assertEqual(r.stdout.count("\nERROR "), totals["errors"])
        self.assertIn("inventory.jsonl:7: column", r.stdout)
        self.assertIn("page2.json[3]: connections[3].connectionType", r.stdout)
        self.assertIn("Alpha & Sons", r.stdout)  # the policy's display name

    def test_a_connector_is_shown_as_the_rules_name_it(self):
        # Only the API path form is shortened: a connector that merely ends in
        # Azure DevOps' name is not it (the decision blocks it), and the text
        # and HTML rows must not show it as if it were.
        odd = "https://evil.example/x/shared_visualstudioteamservices"
        path = os.path.join(self.tmp, "odd.jsonl")
        write(path, '{"creatorTenantId": "contoso.com", "targetTenantId": "tailspintoys.com", "connector": "%s"}\n'
              '{"creatorTenantId": "contoso.com", "targetTenantId": "tailspintoys.com", '
              '"connector": "/providers/Microsoft.PowerApps/apis/shared_teams"}\n' % odd)
        r = run("report", data("policy.json"), path, *BASE)
        self.assertEqual(r.returncode, 0, r.stderr)
        blocked = [line for line in r.stdout.splitlines() if line.startswith("BLOCKED ")]
        self.assertEqual(len(blocked), 2, r.stdout)
        self.assertIn("  " + odd + "  at ", blocked[0])
        self.assertIn("  shared_teams  at ", blocked[1])
        html = run("report", data("policy.json"), path, "--format", "html", *BASE)
        self.assertIn("<td>" + odd + "</td>", html.stdout)

    def test_fail_on_blocked(self):
        example = [os.path.join(EXAMPLE, "policy.json"), os.path.join(EXAMPLE, "connections-report.json"),
                   "--domains", os.path.join(EXAMPLE, "domains.json")]
        r = run("report", *example, "--fail-on-blocked")
        self.assertEqual(r.returncode, 1)
        self.assertIn("8 of 16 connections would be blocked", r.stderr)
        doc = json.loads(run("report", *example, "--format", "json").stdout)
        path = os.path.join(self.tmp, "fixed.json")
        write(path, json.dumps(doc["suggestedPolicy"]))
        example[0] = path
        r = run("report", *example, "--fail-on-blocked")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_a_problem_is_placed_alike_in_text_and_html(self):
        # A page that cannot be read is one problem placed by its source alone.
        args = ["report", data("policy.json"), data("bad-page.json"), *BASE]
        text = run(*args)
        self.assertIn("\nERROR        " + data("bad-page.json") + ": ", text.stdout)
        html = run(*args, "--format", "html")
        self.assertIn("<tr><td>" + data("bad-page.json") + "</td><td>", html.stdout)

    def test_bad_page_is_counted_and_the_rest_read(self):
        r = run("report", data("policy.json"), data("bad-page.json"), data("page1.json"), "--format", "json", *BASE)
        self.assertEqual(r.returncode, 2)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["totals"]["connections"], 7 + 1)
        self.assertEqual(doc["totals"]["errors"], 1)
        self.assertEqual(doc["errors"][0]["source"], data("bad-page.json"))
        self.assertIn("bad-page.json:3:", r.stderr)
        self.assertIn("skipped", r.stderr)

    def test_missing_input_fails_before_output(self):
        out = os.path.join(self.tmp, "out.json")
        r = run("report", data("policy.json"), data("page1.json"), os.path.join(self.tmp, "nope.jsonl"),
                "--output", out, *BASE)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(r.stdout, "")
        self.assertRegex(r.stderr, r"^tenantiso: .*nope\.jsonl: cannot open")
        self.assertFalse(os.path.exists(out))

    def test_output_file(self):
        out = os.path.join(self.tmp, "report.html")
        write(out, "old")
        r = run("report", data("policy.json"), data("page1.json"), "--format", "html", "--output", out, *BASE)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")
        page = read(out)
        self.assertTrue(page.startswith("<!DOCTYPE html>"))
        self.assertEqual(os.listdir(self.tmp), ["report.html"])  # no temporary left behind
        r = run("report", data("policy.json"), data("page1.json"), "--output", "/nonexistent/dir/r.txt", *BASE)
        self.assertEqual(r.returncode, 3)

    def test_page_fields_cut_mid_character_stay_valid_json(self):
        # "status" and "reportId" are kept in fixed-size fields: a value cut
        # inside a UTF-8 character was written raw, and the report was not
        # JSON (bb9e737).
        page = json.loads(read(data("page1.json")))
        page["status"] = "C" * 62 + "\u00e9x"
        page["reportId"] = "R" * 126 + "\u00e9x"
        path = os.path.join(self.tmp, "long.json")
        write(path, json.dumps(page, ensure_ascii=False))
        r = subprocess.run([BIN, "report", data("policy.json"), path, "--format", "json", *BASE],
                           capture_output=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        source = json.loads(r.stdout.decode("utf-8"))["inputs"][0]
        self.assertTrue(source["status"].startswith("C" * 62), source["status"])
        self.assertTrue(source["reportId"].startswith("R" * 126), source["reportId"])

    def test_an_over_long_line_is_reported_alike_from_a_file_and_a_pipe(self):
        # A line longer than the limit that did not fit in the read buffer was
        # reported with the length buffered so far ("line of 2097016 bytes"
        # for a 3,000,010-byte line, another number after 5,000 lines), so
        # the message depended on buffering, and it was wrong (8fc1c6f).
        head = read(data("inventory.jsonl"))
        long_line = '{"creatorTenantId": "' + "x" * 3000000 + '"}'
        text = head + long_line + "\n" + head
        path = os.path.join(self.tmp, "long.jsonl")
        write(path, text)
        outs = [run("report", data("policy.json"), path, "--format", "json", *BASE),
                run("report", data("policy.json"), "-", "--format", "json", *BASE, stdin=text)]
        messages = []
        for r in outs:
            errors = [c["error"]["message"] for c in json.loads(r.stdout)["connections"]
                      if c["outcome"] == "error" and c["error"]["code"] == "limit"]
            self.assertEqual(len(errors), 1, r.stdout[-2000:])
            messages.append(errors[0])
        self.assertEqual(messages[0], messages[1])
        self.assertIn("longer than the limit of 1048576 bytes", messages[0])
        self.assertNotRegex(messages[0], r"line of (?!%d )\d+ bytes" % len(long_line))

    def test_html_escapes_input(self):
        r = run("report", data("policy.json"), data("page1.json"), "--format", "html", *BASE)
        self.assertIn("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", r.stdout)
        self.assertNotIn("<script", r.stdout)
        self.assertIn("Alpha &amp; Sons", r.stdout)

    def test_stdin(self):
        inv = read(data("inventory.jsonl"))
        a = run("report", data("policy.json"), "-", "--format", "json", *BASE, stdin=inv)
        b = run("report", data("policy.json"), data("inventory.jsonl"), "--format", "json", *BASE)
        self.assertEqual(json.loads(a.stdout)["totals"], json.loads(b.stdout)["totals"])

    def test_usage_errors(self):
        for args in (["report", data("policy.json")], ["report", data("policy.json"), data("page1.json"),
                                                        "--format", "pdf"],
                     ["report", data("policy.json"), data("page1.json"), "--json"],
                     ["report", data("policy.json"), "-", "-"], ["suggest"], ["diff", "a", "b"]):
            r = run(*args, *BASE)  # --domains: never the network
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertTrue(r.stderr.startswith("tenantiso: "), r.stderr)
        r = run("report", data("bad-page.json"), data("page1.json"), *BASE)
        self.assertEqual(r.returncode, 2)  # the policy itself is malformed

    def test_isolation_off_note(self):
        path = os.path.join(self.tmp, "off.json")
        doc = json.loads(read(data("policy.json")))
        doc["properties"]["isDisabled"] = True
        write(path, json.dumps(doc))
        r = run("report", path, data("page1.json"), *BASE)
        self.assertIn("isolation is off", r.stdout)
        self.assertIn(" 0 blocked", r.stdout)

    @unittest.skipIf(os.environ.get("TISO_SANITIZED"), "memory figures mean nothing under sanitizers")
    def test_streaming_memory_stays_flat(self):
        """300,000 lines in text, CSV and JSON without holding them: the peak
        stays far below the input's size (about 100 MB)."""
        inv = os.path.join(self.tmp, "big.jsonl")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_inventory.py"), "300000", inv], check=True)
        size = os.path.getsize(inv)
        for fmt in ("text", "csv", "json"):
            peak_kb = peak_rss_kb([BIN, "report", os.path.join(EXAMPLE, "policy.json"), inv, "--format", fmt,
                                   "--domains", os.path.join(EXAMPLE, "domains.json")])
            self.assertLess(peak_kb * 1024, size / 5, fmt)

    @unittest.skipIf(os.environ.get("TISO_SANITIZED"), "memory figures mean nothing under sanitizers")
    def test_page_memory_at_most_four_times_its_size(self):
        """SPEC 6 and 9: a report page (about 20 MB here) peaks at no more
        than 4 times its size: it is never one cJSON tree."""
        page = os.path.join(self.tmp, "big-page.json")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_inventory.py"), "61000", page, "--page"], check=True)
        size = os.path.getsize(page)
        peak_kb = peak_rss_kb([BIN, "report", os.path.join(EXAMPLE, "policy.json"), page, "--format", "json",
                               "--domains", os.path.join(EXAMPLE, "domains.json")])
        self.assertLessEqual(peak_kb * 1024, 4 * size, "peak %d KB for a page of %d bytes" % (peak_kb, size))


def peak_rss_kb(argv):
    """The peak resident set of `argv`, measured in a fresh Python process
    whose only child it is (RUSAGE_CHILDREN keeps the largest child's)."""
    probe = ("import resource, subprocess, sys\n"
             "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
             "assert p.returncode == 0, p.returncode\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise AssertionError(out.stderr)
    return int(out.stdout)


class SuggestTest(unittest.TestCase):
    def needs(self, paths, home):
        """External tenant -> directions seen, counted independently."""
        seen = {}
        for rec in report_model.records(paths, DOMAINS):
            ids = rec and (report_model.resolve(rec[0], DOMAINS), report_model.resolve(rec[1], DOMAINS))
            if not rec or None in ids or ids[0] == ids[1]:
                continue
            if (rec[2] or "").rsplit("/", 1)[-1] in report_model.NON_ENTRA:
                continue
            if ids[0] == home:
                seen.setdefault(ids[1], set()).add("outbound")
            elif ids[1] == home:
                seen.setdefault(ids[0], set()).add("inbound")
        return seen

    def entries(self, stdout):
        doc = json.loads(stdout)["properties"]
        return doc, {e["tenantId"]: {d for d in ("inbound", "outbound") if e["direction"][d]}
                     for e in doc["allowedTenants"]}

    def test_home_from_pages(self):
        r = run("suggest", data("page1.json"), data("page2.json"), *BASE)
        self.assertEqual(r.returncode, 2, r.stderr)  # page2 has bad entries
        doc, entries = self.entries(r.stdout)
        home = DOMAINS["contoso.com"]
        self.assertEqual(doc["tenantId"], home)
        self.assertFalse(doc["isDisabled"])
        self.assertEqual(entries, self.needs([data("page1.json"), data("page2.json")], home))

    def test_home_from_inventory_and_given(self):
        inv = os.path.join(tempfile.mkdtemp(), "inv.jsonl")
        write(inv, "".join(l for l in read(data("inventory.jsonl")).splitlines(True) if "elsewhere" not in l))
        r = run("suggest", inv, *BASE)
        self.assertEqual(r.returncode, 2, r.stderr)
        doc, entries = self.entries(r.stdout)
        self.assertEqual(doc["tenantId"], DOMAINS["contoso.com"])
        self.assertEqual(entries, self.needs([inv], DOMAINS["contoso.com"]))
        r2 = run("suggest", inv, "--home", "contoso.com", *BASE)
        self.assertEqual(r2.stdout, r.stdout)
        # A connection that does not involve contoso: no tenant is in all of them.
        r = run("suggest", data("inventory.jsonl"), *BASE)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--home", r.stderr)
        r = run("suggest", "-", *BASE, stdin=read(inv))
        self.assertEqual(r.returncode, 2)
        self.assertIn("--home", r.stderr)
        r = run("suggest", "-", "--home", DOMAINS["contoso.com"], *BASE, stdin=read(inv))
        self.assertEqual(self.entries(r.stdout)[1], entries)

    def test_suggestion_keeps_everything_working(self):
        r = run("suggest", os.path.join(EXAMPLE, "connections-report.json"))
        self.assertEqual(r.returncode, 0, r.stderr)
        path = os.path.join(tempfile.mkdtemp(), "s.json")
        write(path, r.stdout)
        rep = run("report", path, os.path.join(EXAMPLE, "connections-report.json"), "--format", "json")
        self.assertEqual(json.loads(rep.stdout)["totals"]["blocked"], 0)


class DiffTest(unittest.TestCase):
    def test_diff_json_against_the_model(self):
        before = report_model.Policy(data("policy.json"), DOMAINS)
        after = report_model.Policy(data("policy-open.json"), DOMAINS)
        old, _, _, _ = report_model.expected(before, INPUTS, DOMAINS)
        new, _, _, _ = report_model.expected(after, INPUTS, DOMAINS)
        changes = [(a[0], b[0]) for a, b in zip(old, new) if a and b and a[0] != b[0]]
        r = run("diff", data("policy.json"), data("policy-open.json"), *INPUTS, "--json", *BASE)
        self.assertEqual(r.returncode, 2, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["totals"]["changed"], len(changes))
        self.assertEqual(doc["totals"]["newlyAllowed"], sum(1 for c in changes if c[1] == "allow"))
        self.assertEqual(doc["totals"]["newlyBlocked"], sum(1 for c in changes if c[1] == "deny"))
        for c in doc["changed"]:
            self.assertEqual((c["before"], c["after"]), ("deny", "allow"))
            self.assertEqual(c["reasonBefore"], "not_allowlisted")
            self.assertEqual(c["reasonAfter"], "wildcard")
        r = run("diff", data("policy.json"), data("policy-open.json"), *INPUTS, *BASE)
        self.assertIn("NEWLY ALLOWED", r.stdout)
        self.assertIn("change verdict (0 newly blocked, %d newly allowed)" % len(changes), r.stdout)


if __name__ == "__main__":
    unittest.main()
