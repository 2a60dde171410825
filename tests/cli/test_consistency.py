"""Every surface gives the same input the same answer (issue 10 item 6,
SPEC 6): a table of names and records run through `tenantiso eval`,
`eval --batch`, `report` (a JSON Lines inventory and a report page),
`suggest`, `diff`, `resolve --domains` and the Python module (evaluate and
evaluate_many; and, without a domain map, the Go and Node.js bindings,
through consistency_records.json: see shared_records). For each
record every surface must give the same status code (`ok` or the error's)
and the same decision (verdict and reason), and that must be the row's
expected outcome.

Each record has one side given in an odd form (the row's name) and Contoso,
the policy's home tenant, on the other side, so a report page can hold it
too. The Python module runs in a child interpreter (this file with
--python-surface), so a sanitized library can be preloaded there."""

import json
import os
import subprocess
import sys
import unittest

from cli_support import (CONTOSO, FABRIKAM, NORTHWIND, TAILSPIN, WOODGROVE, CliTestCase, entry,
                         policy_doc, run)

DEVOPS = "shared_visualstudioteamservices"
API = "/providers/Microsoft.PowerApps/apis/"
NIL = "00000000-0000-0000-0000-000000000000"

MAP = {
    "contoso.com": CONTOSO,
    "fabrikam.com": FABRIKAM,
    "northwindtraders.com": NORTHWIND,
    "xn--bcher-kva.example": WOODGROVE,
    "tailspintoys.com": TAILSPIN,
}

# Contoso's policy: Fabrikam both ways, Northwind outbound, Woodgrove inbound.
POLICY = policy_doc([entry(FABRIKAM, True, True), entry(NORTHWIND, False, True),
                     entry(WOODGROVE, True, False)])
# Fabrikam's policy, for the policy sets: Contoso outbound only, so Contoso's
# connections that use Fabrikam's data (inbound to Fabrikam) are blocked on
# Fabrikam's side though Contoso's policy allows them.
FABRIKAM_SIDE = policy_doc([entry(CONTOSO, False, True)], home=FABRIKAM)
# The same home with isolation off: everything allowed, for `diff`.
POLICY_OFF = policy_doc([], disabled=True)

ALLOWLISTED = ("ok", "allow", "allowlisted")
NOT_ALLOWLISTED = ("ok", "deny", "not_allowlisted")
SAME_TENANT = ("ok", "allow", "same_tenant")
NON_ENTRA = ("ok", "allow", "not_evaluated_non_entra")
BAD_TENANT = ("invalid_tenant", None, None)
BAD_DOMAIN = ("invalid_domain", None, None)
NOT_FOUND = ("not_found", None, None)

# (name, side the name is on, connector or None, expected (status, verdict, reason)).
OUT, IN = "target", "creator"
ROWS = [
    # tenant IDs in every form
    (FABRIKAM, OUT, None, ALLOWLISTED),
    (FABRIKAM.upper(), OUT, None, ALLOWLISTED),
    ("Fab41CA0-7e3D-4C1b-8a2F-0000000FAB41", OUT, None, ALLOWLISTED),
    (TAILSPIN, OUT, None, NOT_ALLOWLISTED),
    (CONTOSO.upper(), OUT, None, SAME_TENANT),
    ("{" + FABRIKAM + "}", OUT, None, BAD_TENANT),
    ("{" + FABRIKAM.upper() + "}", OUT, None, BAD_TENANT),
    ("{" + FABRIKAM, OUT, None, BAD_TENANT),
    (FABRIKAM + " ", OUT, None, BAD_TENANT),
    (" " + FABRIKAM, OUT, None, BAD_TENANT),
    (FABRIKAM + "1", OUT, None, BAD_TENANT),
    (FABRIKAM[:-1], OUT, None, BAD_TENANT),
    (FABRIKAM.replace("-", ""), OUT, None, BAD_TENANT),
    (FABRIKAM.replace("-", "", 1), OUT, None, BAD_TENANT),
    ("g" + FABRIKAM[1:], OUT, None, BAD_TENANT),
    (FABRIKAM.replace("-", "_", 1), OUT, None, BAD_TENANT),
    (FABRIKAM + "\t", OUT, None, BAD_TENANT),
    (NIL, OUT, None, BAD_TENANT),
    ("*", OUT, None, BAD_TENANT),
    ("", OUT, None, BAD_TENANT),
    # domains in every form
    ("fabrikam.com", OUT, None, ALLOWLISTED),
    ("Fabrikam.COM", OUT, None, ALLOWLISTED),
    ("fabrikam.com.", OUT, None, ALLOWLISTED),
    ("FABRIKAM.COM.", OUT, None, ALLOWLISTED),
    ("northwindtraders.com", OUT, None, ALLOWLISTED),
    ("xn--bcher-kva.example", OUT, None, NOT_ALLOWLISTED),
    ("XN--BCHER-KVA.Example.", OUT, None, NOT_ALLOWLISTED),
    ("tailspintoys.com", OUT, None, NOT_ALLOWLISTED),
    ("contoso.com", OUT, None, SAME_TENANT),
    ("nobody.example", OUT, None, NOT_FOUND),
    (FABRIKAM + ".example", OUT, None, NOT_FOUND),
    ("fabrikam.com..", OUT, None, BAD_DOMAIN),
    ("fabrikam..com", OUT, None, BAD_DOMAIN),
    (".fabrikam.com", OUT, None, BAD_DOMAIN),
    ('"fabrikam.com"', OUT, None, BAD_DOMAIN),
    ("'fabrikam.com'", OUT, None, BAD_DOMAIN),
    ("fabrikam.com/x", OUT, None, BAD_DOMAIN),
    ("https://fabrikam.com", OUT, None, BAD_DOMAIN),
    ("fabrikam .com", OUT, None, BAD_DOMAIN),
    (" fabrikam.com", OUT, None, BAD_DOMAIN),
    ("fabrikam.com ", OUT, None, BAD_DOMAIN),
    ("fabrikam.com:443", OUT, None, BAD_DOMAIN),
    ("user@fabrikam.com", OUT, None, BAD_DOMAIN),
    ("*.fabrikam.com", OUT, None, BAD_DOMAIN),
    ("-fabrikam.com", OUT, None, BAD_DOMAIN),
    ("a" * 64 + ".com", OUT, None, BAD_DOMAIN),
    ("fabrikam", OUT, None, BAD_DOMAIN),
    ("b\u00fccher.example", OUT, None, BAD_DOMAIN),
    ("fabrikam.com\\x", OUT, None, BAD_DOMAIN),
    # the odd name as the creator (inbound)
    ("fabrikam.com", IN, None, ALLOWLISTED),
    ("XN--bcher-kva.example", IN, None, ALLOWLISTED),
    (NORTHWIND, IN, None, NOT_ALLOWLISTED),
    ("*", IN, None, BAD_TENANT),
    (FABRIKAM + " ", IN, None, BAD_TENANT),
    ("{" + NORTHWIND + "}", IN, None, BAD_TENANT),
    ("fabrikam..com", IN, None, BAD_DOMAIN),
    # every connector form: only the connector itself is exempt (rule 3)
    (TAILSPIN, OUT, DEVOPS, NON_ENTRA),
    (TAILSPIN, OUT, DEVOPS.upper(), NON_ENTRA),
    (TAILSPIN, OUT, API + DEVOPS, NON_ENTRA),
    (TAILSPIN, OUT, API.upper() + "Shared_VisualStudioTeamServices", NON_ENTRA),
    ("tailspintoys.com", OUT, DEVOPS, NON_ENTRA),
    (TAILSPIN, OUT, "shared_office365/" + DEVOPS, NOT_ALLOWLISTED),
    (TAILSPIN, OUT, "https://evil.example/x/" + DEVOPS, NOT_ALLOWLISTED),
    (TAILSPIN, OUT, "https://api.powerapps.com" + API + DEVOPS, NOT_ALLOWLISTED),
    (TAILSPIN, OUT, API + DEVOPS + "/", NOT_ALLOWLISTED),
    (TAILSPIN, OUT, DEVOPS + " ", NOT_ALLOWLISTED),
    (TAILSPIN, OUT, API + "shared_office365", NOT_ALLOWLISTED),
    (TAILSPIN, OUT, "shared_office365", NOT_ALLOWLISTED),
    (TAILSPIN, OUT, "", NOT_ALLOWLISTED),
    (FABRIKAM, OUT, DEVOPS, NON_ENTRA),
    ("contoso.com", OUT, DEVOPS, SAME_TENANT),
    # a bad name is an error whatever the connector (rule 1 before rule 3)
    ("*", OUT, DEVOPS, BAD_TENANT),
    (FABRIKAM + " ", OUT, API + DEVOPS, BAD_TENANT),
    ("fabrikam..com", OUT, DEVOPS, BAD_DOMAIN),
]


RECORDS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "consistency_records.json")


def records_document(records, outcomes, set_outcomes):
    """RECORDS_FILE's content: the policies, and each record with its outcome
    under `policy` and under the set of `policy` and `fabrikam`."""
    rows = []
    for (creator, target, connector), (status, verdict, reason), s in zip(records, outcomes, set_outcomes):
        rows.append({"creator": creator, "target": target, "connector": connector,
                     "status": status, "verdict": verdict, "reason": reason,
                     "set": dict(zip(("status", "verdict", "reason", "blockedBy"), s))})
    return {"comment": "generated by tests/cli/test_consistency.py (TENANTISO_WRITE_RECORDS=1): "
                       "each record under `policy`, and under the policy set of `policy` and "
                       "`fabrikam`, with no domain map",
            "policy": POLICY, "fabrikam": FABRIKAM_SIDE, "records": rows}


def record(row):
    """(creator, target, connector) of a row."""
    name, side, connector, _ = row
    return (CONTOSO, name, connector) if side == OUT else (name, CONTOSO, connector)


def outcome_of(obj):
    """(status, verdict, reason) of a decision or error object."""
    if "error" in obj:
        return (obj["error"]["code"], None, None)
    return ("ok", obj["verdict"], obj["reason"])


def set_outcome_of(obj):
    """(status, verdict, reason, blockedBy) of a policy set's decision or error."""
    return outcome_of(obj) + (obj.get("blockedBy") if "error" not in obj else None,)


def one_line(text):
    """`text` as a warning line shows it (tiso__text_clean, TISO__TEXT_MARK_CONTROLS)."""
    return "".join(" " if c in "\t\r\n" else "?" if ord(c) < 0x20 or c == "\x7f" else c for c in text)


# ---- the Python module, in a child interpreter ----

def python_surface(request):
    """Runs every row through tenantiso.py: Policy.evaluate with a DomainMap
    and without one, evaluate_many without one, tenantiso.resolve for each
    name, and a PolicySet's evaluate and evaluate_many without a map."""
    import tenantiso

    def as_object(d):
        """A decision (of evaluate_many: its error_code) as eval --json shows it."""
        if d.error_code:
            return {"error": {"code": d.error_code}}
        return {"verdict": d.verdict, "reason": d.reason, "blockedBy": d.blocked_by}

    def evaluate(policy, creator, target, connector, domains):
        try:
            return as_object(policy.evaluate(creator, target, connector=connector, domains=domains))
        except tenantiso.TenantIsoError as e:
            return {"error": {"code": e.code}}

    out = {"evaluate": [], "resolve": [], "no map": [], "evaluate_many": []}
    with tenantiso.DomainMap(request["map"]) as domains, \
            tenantiso.Policy.from_file(request["policy"]) as policy:
        for creator, target, connector in request["records"]:
            out["evaluate"].append(evaluate(policy, creator, target, connector, domains))
            out["no map"].append(evaluate(policy, creator, target, connector, None))
        many = policy.evaluate_many([{"creator": c, "target": t, "connector": k}
                                     for c, t, k in request["records"]])
        out["evaluate_many"] = [as_object(d) for d in many]
        for name in request["names"]:
            try:
                out["resolve"].append({"tenantId": tenantiso.resolve(name, domains)})
            except tenantiso.TenantIsoError as e:
                out["resolve"].append({"error": {"code": e.code}})
    with tenantiso.PolicySet.from_files([request["policy"], request["fabrikam"]]) as policies:
        out["set"] = [evaluate(policies, c, t, k, None) for c, t, k in request["records"]]
        many = policies.evaluate_many([{"creator": c, "target": t, "connector": k}
                                       for c, t, k in request["records"]])
        out["set evaluate_many"] = [as_object(d) for d in many]
    return out


def run_python_surface(request):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(os.environ["TENANTISO_SOURCE_DIR"], "examples", "python")
    preload = os.environ.get("TENANTISO_PY_PRELOAD", "")
    if preload:  # a sanitized library: its runtime first (examples/python/CMakeLists.txt)
        env.update(LD_PRELOAD=preload, PYTHONMALLOC="malloc", ASAN_OPTIONS="detect_leaks=0:abort_on_error=1")
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--python-surface"],
                          input=json.dumps(request).encode(), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if proc.returncode != 0:
        raise AssertionError("the Python surface failed:\n" + proc.stderr.decode(errors="replace"))
    return json.loads(proc.stdout)


class ConsistencyTests(CliTestCase):
    def setUp(self):
        super().setUp()
        self.assertGreaterEqual(len(ROWS), 40)
        self.assertTrue(os.environ.get("TENANTISO_LIBRARY"), "TENANTISO_LIBRARY must name the library")
        self.policy = self.write("policy.json", POLICY)
        self.policy_off = self.write("policy-off.json", POLICY_OFF)
        self.fabrikam = self.write("fabrikam.json", FABRIKAM_SIDE)
        self.map = self.write("domains.json", MAP)
        self.records = [record(r) for r in ROWS]

    def opts(self):
        return ("--domains", self.map)

    # ---- the surfaces: each returns one (status, verdict, reason) per row ----

    def surface_eval(self, opts=None):
        results = []
        for creator, target, connector in self.records:
            args = ["eval", self.policy, "--creator=" + creator, "--target=" + target, "--json"]
            if connector is not None:
                args.append("--connector=" + connector)
            r = run(*args, *(self.opts() if opts is None else opts))
            got = outcome_of(json.loads(r.out))
            want_rc = 2 if got[0] != "ok" else (0 if got[1] == "allow" else 1)
            self.assertEqual(r.rc, want_rc, r)
            results.append(got)
        return results

    def jsonl(self, name, creator_key, target_key):
        """The records as a JSON Lines file with these keys."""
        lines = []
        for creator, target, connector in self.records:
            obj = {creator_key: creator, target_key: target}
            if connector is not None:
                obj["connector"] = connector
            lines.append(json.dumps(obj))
        return self.write(name, "\n".join(lines) + "\n")

    def surface_batch(self):
        path = self.jsonl("requests.jsonl", "creator", "target")
        r = run("eval", self.policy, "--batch", path, *self.opts())
        self.assertEqual(r.rc, 0, r)
        out = [json.loads(line) for line in r.out.splitlines()]
        self.assertEqual([o["line"] for o in out], list(range(1, len(ROWS) + 1)))
        return [outcome_of(o) for o in out]

    def inventory(self):
        return self.jsonl("inventory.jsonl", "creatorTenantId", "targetTenantId")

    def page(self):
        connections = []
        for name, side, connector, _ in ROWS:
            c = {"tenantId": name, "connectionType": "Outbound" if side == OUT else "Inbound"}
            if connector is not None:
                c["connectorId"] = connector
            connections.append(c)
        return self.write("page.json", {"tenantId": CONTOSO, "reportId": "r", "status": "Completed",
                                        "connections": connections})

    def report_json(self, path):
        r = run("report", self.policy, path, "--format", "json", *self.opts())
        self.assertEqual(r.rc, 2, r)  # some records are errors
        return json.loads(r.out)

    def surface_report(self, path, where):
        doc = self.report_json(path)
        conns = doc["connections"]
        self.assertEqual(len(conns), len(ROWS))
        self.assertEqual([c["position"][where] for c in conns],
                         list(range(1, len(ROWS) + 1)) if where == "line" else list(range(len(ROWS))))
        return [("ok", c["verdict"], c["reason"]) if c["outcome"] != "error" else outcome_of(c)
                for c in conns]

    def surface_diff(self, path, where, report):
        """diff POLICY POLICY_OFF: every record the policy denies changes to
        allow (reasonBefore is its reason); the errors are listed with their
        codes. Gives each row's outcome as far as diff shows it, filling the
        reasons of unchanged allowed records from `report`."""
        r = run("diff", self.policy, self.policy_off, path, "--json", *self.opts())
        self.assertEqual(r.rc, 2, r)
        doc = json.loads(r.out)
        first = 1 if where == "line" else 0
        changed = {c["position"][where] - first: c for c in doc["changed"]}
        errors = {e[where] - first: e["code"] for e in doc["errors"]}
        out = []
        for i in range(len(ROWS)):
            if i in errors:
                out.append((errors[i], None, None))
            elif i in changed:
                c = changed[i]
                self.assertEqual((c["before"], c["after"]), ("deny", "allow"), c)
                out.append(("ok", "deny", c["reasonBefore"]))
            else:  # unchanged: allowed under both; diff does not say why
                self.assertEqual(report[i][:2], ("ok", "allow"), (ROWS[i], report[i]))
                out.append(report[i])
        return out

    def suggest(self, path, where, report_doc):
        """suggest warns about exactly the records the report could not
        evaluate, with the same message, and suggests exactly the external
        tenants and directions the report decided (minus same-tenant and
        non-Entra connections)."""
        r = run("suggest", path, "--home", CONTOSO, *self.opts())
        self.assertEqual(r.rc, 2, r)
        lines = r.err.splitlines()
        summary = "%d of %d records could not be evaluated" % (len(report_doc["errors"]), len(ROWS))
        self.assertTrue(lines and lines[-1].endswith(summary), r.err)
        # The first records' warnings are shown, then "and more".
        shown = [w for w in lines[:-1] if not w.endswith("and more records that could not be evaluated")]
        self.assertGreaterEqual(len(shown), min(len(report_doc["errors"]), 20), r.err)
        for line, e in zip(shown, report_doc["errors"]):
            self.assertIn(":%d: " % e["line"] if where == "line" else "[%d]" % e["index"], line)
            self.assertIn(one_line(e["message"]), line)
        entries = json.loads(r.out)["properties"]["allowedTenants"]
        suggested = {(e["tenantId"], d) for e in entries for d, on in e["direction"].items() if on}
        decided = {(c["externalTenant"], c["direction"]) for c in report_doc["connections"]
                   if c["outcome"] != "error" and c["direction"] is not None}
        self.assertEqual(suggested, decided)

    def surface_resolve(self):
        """The row's name through `tenantiso resolve`: its status must be the
        row's status (the name is the only thing that can fail); a resolved
        name must be the tenant the decision was about."""
        out = []
        for name, _, _, _ in ROWS:
            r = run("resolve", *self.opts(), "--json", "--", name)
            doc = json.loads(r.out)
            out.append(("ok", doc[0]["tenantId"]) if isinstance(doc, list) else (doc["error"]["code"], None))
        return out

    # ---- the test ----

    def test_every_surface_agrees(self):
        expected = [r[3] for r in ROWS]
        inventory, page = self.inventory(), self.page()
        report_inv_doc = self.report_json(inventory)
        report_page_doc = self.report_json(page)
        report_inv = self.surface_report(inventory, "line")
        report_page = self.surface_report(page, "index")
        py = run_python_surface({"map": self.map, "policy": self.policy, "fabrikam": self.fabrikam,
                                 "records": self.records, "names": [r[0] for r in ROWS]})
        surfaces = {
            "eval": self.surface_eval(),
            "eval --batch": self.surface_batch(),
            "report (inventory)": report_inv,
            "report (page)": report_page,
            "diff (inventory)": self.surface_diff(inventory, "line", report_inv),
            "diff (page)": self.surface_diff(page, "index", report_page),
            "python": [outcome_of(o) for o in py["evaluate"]],
        }
        self.shared_records([outcome_of(o) for o in py["no map"]],
                            [outcome_of(o) for o in py["evaluate_many"]], py)
        for label, got in surfaces.items():
            for row, want, have in zip(ROWS, expected, got):
                with self.subTest(surface=label, name=row[0], side=row[1], connector=row[2]):
                    self.assertEqual(have, want)
        self.suggest(inventory, "line", report_inv_doc)
        self.suggest(page, "index", report_page_doc)
        resolved = self.surface_resolve()
        py_resolved = [("ok", o["tenantId"]) if "tenantId" in o else (o["error"]["code"], None)
                       for o in py["resolve"]]
        # A page's record carries both sides resolved (the inventory's keeps its text).
        for row, want, cli, pyr, decided in zip(ROWS, expected, resolved, py_resolved,
                                                report_page_doc["connections"]):
            with self.subTest(surface="resolve", name=row[0]):
                self.assertEqual(cli[0], want[0])
                self.assertEqual(pyr, cli)
                if cli[0] == "ok":
                    side = "targetTenantId" if row[1] == OUT else "creatorTenantId"
                    self.assertEqual(cli[1], decided[side])

    def surface_set(self, empty_map):
        """`eval POLICY FABRIKAM` per record and as one --batch, with an empty
        map: (status, verdict, reason, blockedBy) each, the same from both."""
        single = []
        for creator, target, connector in self.records:
            args = ["eval", self.policy, self.fabrikam, "--creator=" + creator, "--target=" + target, "--json"]
            r = run(*args, *(["--connector=" + connector] if connector is not None else []),
                    "--domains", empty_map)
            single.append(set_outcome_of(json.loads(r.out)))
        path = self.jsonl("set-requests.jsonl", "creator", "target")
        r = run("eval", self.policy, self.fabrikam, "--batch", path, "--domains", empty_map)
        with self.subTest(surface="eval --batch (set, empty map)"):
            self.assertEqual([set_outcome_of(json.loads(line)) for line in r.out.splitlines()], single)
        return single

    def shared_sets(self, no_map, py):
        """The set's outcomes: Python's evaluate and evaluate_many and `eval`
        agree, and no record passes the set that its creator's side (Contoso's
        policy alone) denies; some record is denied by Fabrikam's side only."""
        sets = [set_outcome_of(o) for o in py["set"]]
        with self.subTest(surface="python PolicySet.evaluate_many (no map)"):
            self.assertEqual([set_outcome_of(o) for o in py["set evaluate_many"]], sets)
        resolve = ("resolve", None, None, None)
        with self.subTest(surface="eval with a set (empty map)"):
            self.assertEqual(self.surface_set(self.write("empty-set.json", {})),
                             [("not_found", None, None, None) if o == resolve else o for o in sets])
        for row, one, both in zip(ROWS, no_map, sets):
            with self.subTest(surface="set never easier than a side", name=row[0]):
                self.assertFalse(both[1] == "allow" and one[1] != "allow", (one, both))
                self.assertEqual(both[0], one[0])
        self.assertTrue(any(one[1] == "allow" and both[1] == "deny" and both[3] == FABRIKAM
                            for one, both in zip(no_map, sets)))
        return sets

    def shared_records(self, no_map, many, py):
        """The Go and Node.js bindings have no domain map: their tests
        (examples/go, examples/node) read RECORDS_FILE, these records with
        what Python's evaluate without a map gives them, and must give the
        same. Here: without a resolver the only change is that a well-formed
        domain is `resolve`; evaluate_many agrees; `eval` with an empty map
        agrees, with `not_found` for `resolve`; and the file is this table's."""
        expected = [r[3] for r in ROWS]
        resolve = ("resolve", None, None)
        for row, want, have in zip(ROWS, expected, no_map):
            with self.subTest(surface="python (no map)", name=row[0]):
                self.assertTrue(have == want or (have == resolve and want[0] in ("ok", "not_found")), have)
        with self.subTest(surface="python evaluate_many (no map)"):
            self.assertEqual(many, no_map)
        empty = self.surface_eval(opts=("--domains", self.write("empty.json", {})))
        with self.subTest(surface="eval (empty map)"):
            self.assertEqual(empty, [("not_found", None, None) if o == resolve else o for o in no_map])
        doc = records_document(self.records, no_map, self.shared_sets(no_map, py))
        if os.environ.get("TENANTISO_WRITE_RECORDS") == "1":
            with open(RECORDS_FILE, "w", encoding="utf-8") as f:
                json.dump(doc, f, indent=1, ensure_ascii=True)
                f.write("\n")
        with open(RECORDS_FILE, encoding="utf-8") as f:
            self.assertEqual(json.load(f), doc, "regenerate: TENANTISO_WRITE_RECORDS=1 ctest -R cli_test_consistency")

    def test_repeated_keys_are_an_error_everywhere(self):
        """A record with a key twice is an error for that record on every
        surface that reads records (SPEC 6), never "first wins": the same
        three records as --batch lines, inventory lines and page entries."""
        twice = [  # (batch line, inventory line, page entry): JSON text, a key repeated in each
            ('{"creator": "%s", "creator": "%s", "target": "%s"}' % (TAILSPIN, CONTOSO, TAILSPIN),
             '{"creatorTenantId": "%s", "creatorTenantId": "%s", "targetTenantId": "%s"}'
             % (TAILSPIN, CONTOSO, TAILSPIN),
             '{"tenantId": "%s", "tenantId": "%s", "connectionType": "Outbound"}' % (TAILSPIN, CONTOSO)),
            ('{"creator": "%s", "target": "%s", "connector": "%s", "connector": "shared_sql"}'
             % (CONTOSO, TAILSPIN, DEVOPS),
             '{"creatorTenantId": "%s", "targetTenantId": "%s", "connector": "%s", "connector": "shared_sql"}'
             % (CONTOSO, TAILSPIN, DEVOPS),
             '{"tenantId": "%s", "connectionType": "Outbound", "connectorId": "%s", "connectorId": "x"}'
             % (TAILSPIN, DEVOPS)),
            ('{"creator": "%s", "target": "%s", "note": 1, "note": 2}' % (CONTOSO, TAILSPIN),
             '{"creatorTenantId": "%s", "targetTenantId": "%s", "note": 1, "note": 2}' % (CONTOSO, TAILSPIN),
             '{"tenantId": "%s", "connectionType": "Outbound", "note": 1, "note": 2}' % TAILSPIN),
        ]
        batch = self.write("twice.jsonl", "\n".join(t[0] for t in twice) + "\n")
        inventory = self.write("twice-inventory.jsonl", "\n".join(t[1] for t in twice) + "\n")
        page = self.write("twice-page.json", '{"tenantId": "%s", "reportId": "r", "status": "Completed", '
                          '"connections": [%s]}' % (CONTOSO, ", ".join(t[2] for t in twice)))
        r = run("eval", self.policy, "--batch", batch, *self.opts())
        got = {"eval --batch": [outcome_of(json.loads(line)) for line in r.out.splitlines()]}
        for label, path in (("report (inventory)", inventory), ("report (page)", page)):
            got[label] = [outcome_of(c) if c["outcome"] == "error" else ("ok", c["verdict"], c["reason"])
                          for c in self.report_json(path)["connections"]]
            d = run("diff", self.policy, self.policy_off, path, "--json", *self.opts())
            got[label.replace("report", "diff")] = [(e["code"], None, None) for e in json.loads(d.out)["errors"]]
            s = run("suggest", path, "--home", CONTOSO, *self.opts())
            self.assertIn("%d of %d records could not be evaluated" % (len(twice), len(twice)), s.err)
        for label, outcomes in got.items():
            with self.subTest(surface=label):
                self.assertEqual(outcomes, [("schema", None, None)] * len(twice))

if __name__ == "__main__":
    if sys.argv[1:] == ["--python-surface"]:
        json.dump(python_surface(json.load(sys.stdin)), sys.stdout)
        sys.exit(0)
    unittest.main()
