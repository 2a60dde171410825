"""Tests of tenantiso.py, the ctypes module over libtenantiso's C ABI.

Run from this directory with the library built:

    TENANTISO_LIBRARY=../../build/src/libtenantiso.so python3 -m unittest -v test_tenantiso

Environment:
    TENANTISO_LIBRARY         the library to test (else the system's loader finds it)
    TENANTISO_SEED_SCENARIOS  seed-scenarios.json (default: the repository's copy)
    TENANTISO_LAYOUT          a program printing the C structs' layout (CTest builds it)
    TENANTISO_TEST_SANITIZED  set when the library is built with AddressSanitizer:
                              smaller loops, and no RSS check (ASan's quarantine grows it)
"""

from __future__ import annotations

import gc
import json
import os
import pathlib
import pickle
import resource
import subprocess
import tempfile
import threading
import time
import unittest
from typing import Any, Optional

import tenantiso
from tenantiso import Policy, PolicySet, TenantIsoError

HERE = pathlib.Path(__file__).resolve().parent
SEED = pathlib.Path(os.environ.get("TENANTISO_SEED_SCENARIOS")
                    or HERE.parent.parent / "tests/data/fixtures/seed-scenarios.json")
SANITIZED = bool(os.environ.get("TENANTISO_TEST_SANITIZED"))

CONTOSO = "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
FABRIKAM = "fab41ca0-7e3d-4c1b-8a2f-0000000fab41"
NORTHWIND = "00000000-0000-4000-8000-0000000000a1"
WOODGROVE = "00000000-0000-4000-8000-0000000000b2"


def document(home: Optional[str], entries: list[dict[str, Any]], disabled: Optional[bool] = False,
             **extra: Any) -> str:
    """A policy document in the admin API's shape."""
    props: dict[str, Any] = {"allowedTenants": entries, **extra}
    if home is not None:
        props["tenantId"] = home
    if disabled is not None:
        props["isDisabled"] = disabled
    return json.dumps({"properties": props})


def entry(tenant: str, inbound: bool, outbound: bool, **extra: Any) -> dict[str, Any]:
    key = "domain" if "." in tenant else "tenantId"
    return {key: tenant, "direction": {"inbound": inbound, "outbound": outbound}, **extra}


def rss_bytes() -> int:
    """Resident set size now (Linux /proc), else the peak from getrusage."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class TempFiles(unittest.TestCase):
    """A test case with a private directory for policy files."""

    def setUp(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="tenantiso-py-")
        self.dir = pathlib.Path(self._dir.name)

    def tearDown(self) -> None:
        self._dir.cleanup()

    def write(self, name: str, text: str) -> str:
        path = self.dir / name
        path.write_text(text)
        return str(path)


class TestModule(unittest.TestCase):
    def test_version(self) -> None:
        self.assertRegex(tenantiso.version(), r"^\d+\.\d+\.\d+")
        self.assertEqual(tenantiso.abi_version(), 1)

    def test_library_found_through_environment(self) -> None:
        expected = os.environ.get("TENANTISO_LIBRARY")
        if not expected:
            self.skipTest("TENANTISO_LIBRARY not set: the system loader found the library")
        self.assertEqual(tenantiso.library_path(), expected)

    def test_parse_tenant_id(self) -> None:
        self.assertEqual(tenantiso.parse_tenant_id(CONTOSO.upper()), CONTOSO)
        with self.assertRaises(TenantIsoError) as cm:
            tenantiso.parse_tenant_id("{" + CONTOSO + "}")
        self.assertEqual(cm.exception.code, "invalid_tenant")
        self.assertIn("braces", cm.exception.message)

    def test_parse_tenant_id_rejects_nil_and_nul(self) -> None:
        with self.assertRaises(TenantIsoError) as cm:
            tenantiso.parse_tenant_id("00000000-0000-0000-0000-000000000000")
        self.assertEqual(cm.exception.code, "invalid_tenant")
        self.assertIn("nil", cm.exception.message)
        for bad in (CONTOSO + "\0", CONTOSO[:35] + "\0", CONTOSO + "\0junk", "", "é" * 36):
            with self.subTest(bad=bad), self.assertRaises(TenantIsoError) as cm:
                tenantiso.parse_tenant_id(bad)
            self.assertEqual(cm.exception.code, "invalid_tenant")
        with self.assertRaises(TenantIsoError) as cm:
            tenantiso.parse_tenant_id(42)  # type: ignore[arg-type]
        self.assertEqual(cm.exception.code, "invalid_argument")

    def test_struct_layout_matches_headers(self) -> None:
        program = os.environ.get("TENANTISO_LAYOUT")
        if not program:
            self.skipTest("TENANTISO_LAYOUT not set")
        layout = json.loads(subprocess.run([program], check=True, capture_output=True,
                                           text=True).stdout)
        self.assertEqual(set(layout), set(tenantiso._STRUCTS))
        for name, cls in tenantiso._STRUCTS.items():
            with self.subTest(struct=name):
                fields = {f[0]: getattr(cls, f[0]).offset for f in cls._fields_}
                self.assertEqual(fields, layout[name]["fields"])
                self.assertEqual(__import__("ctypes").sizeof(cls), layout[name]["size"])


class TestSeedScenarios(unittest.TestCase):
    """SPEC 3.2's rows, from the shared fixture."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.seed = json.loads(SEED.read_text())

    def test_fourteen_cases(self) -> None:
        self.assertEqual(len(self.seed["cases"]), 14)

    def test_policy_answers(self) -> None:
        for i, case in enumerate(self.seed["cases"]):
            with self.subTest(i=i, scenario=case["scenario"]), \
                    Policy.from_json(json.dumps(case["policy"])) as policy:
                d = policy.evaluate(case["creator"], case["target"])
                want = case["expect"]
                self.assertEqual((d.verdict, d.reason, d.direction),
                                 (want["verdict"], want["reason"], want["direction"]))
                self.assertEqual(d.allowed, want["verdict"] == "allow")
                self.assertTrue(d.message)

    def test_policy_set_agrees_on_verdicts(self) -> None:
        # Fabrikam has no policy: in a set it is isolation off, so the set's
        # verdict is Contoso's.
        for i, case in enumerate(self.seed["cases"]):
            with self.subTest(i=i), Policy.from_json(json.dumps(case["policy"])) as policy, \
                    PolicySet([policy]) as pset:
                d = pset.evaluate(case["creator"], case["target"])
                self.assertEqual(d.verdict, case["expect"]["verdict"])
                self.assertEqual(d.blocked_by, CONTOSO if not d.allowed else None)

    def test_domains_map_from_fixture(self) -> None:
        doc = document(CONTOSO, [entry("fabrikam.com", True, False)])
        with Policy.from_json(doc, domains=self.seed["domains"]) as policy:
            self.assertEqual(policy.entries[0].tenant, FABRIKAM)
            self.assertEqual(policy.entries[0].domain, "fabrikam.com")
            self.assertTrue(policy.evaluate(FABRIKAM, CONTOSO).allowed)


class TestPolicy(TempFiles):
    DOC = document(CONTOSO, [
        entry(FABRIKAM, True, False, tenantDisplayName="Fabrikam"),
        entry("*", False, True),
        entry(NORTHWIND, True, True),
    ])

    def test_from_file_and_properties(self) -> None:
        path = self.write("contoso.json", self.DOC)
        with Policy.from_file(path) as policy:
            self.assertEqual(policy.home_tenant, CONTOSO)
            self.assertTrue(policy.isolation_enabled)
            self.assertFalse(policy.evaluates_non_entra)
            self.assertEqual(policy.source, path)
            self.assertEqual(policy.warnings, [])
            self.assertEqual(policy.entries, [
                tenantiso.PolicyEntry(FABRIKAM, True, False, "Fabrikam", None),
                tenantiso.PolicyEntry("*", False, True, None, None),
                tenantiso.PolicyEntry(NORTHWIND, True, True, None, None),
            ])
            self.assertIn(CONTOSO, repr(policy))

    def test_from_file_accepts_pathlib(self) -> None:
        with Policy.from_file(pathlib.Path(self.write("p.json", self.DOC))) as policy:
            self.assertEqual(policy.home_tenant, CONTOSO)

    def test_from_json_bytes_and_source(self) -> None:
        with Policy.from_json(self.DOC.encode(), source="inline") as policy:
            self.assertEqual(policy.source, "inline")
        with self.assertRaises(TenantIsoError) as cm:
            Policy.from_json("{", source="inline")
        self.assertTrue(cm.exception.message.startswith("inline:"), cm.exception.message)

    def test_evaluate_reasons(self) -> None:
        with Policy.from_json(self.DOC) as policy:
            d = policy.evaluate(FABRIKAM, CONTOSO)
            self.assertEqual((d.reason, d.direction, d.rule, d.external_tenant),
                             ("allowlisted", "inbound", 0, FABRIKAM))
            d = policy.evaluate(CONTOSO, WOODGROVE)
            self.assertEqual((d.reason, d.direction, d.rule), ("wildcard", "outbound", 1))
            d = policy.evaluate(WOODGROVE, CONTOSO)
            self.assertEqual((d.verdict, d.reason, d.blocked_by), ("deny", "not_allowlisted", CONTOSO))
            self.assertIn("inbound allowlist", d.message)
            d = policy.evaluate(FABRIKAM, WOODGROVE)
            self.assertEqual((d.reason, d.direction, d.external_tenant), ("not_applicable", None, None))
            d = policy.evaluate(CONTOSO.upper(), CONTOSO)
            self.assertEqual((d.reason, d.creator, d.target), ("same_tenant", CONTOSO, CONTOSO))

    def test_explicit_direction(self) -> None:
        with Policy.from_json(document(None, [entry(FABRIKAM, False, True)])) as policy:
            self.assertIsNone(policy.home_tenant)
            self.assertTrue(policy.evaluate(CONTOSO, FABRIKAM, direction="outbound").allowed)
            self.assertFalse(policy.evaluate(FABRIKAM, CONTOSO, direction="INBOUND").allowed)

    def test_connectors(self) -> None:
        devops = "shared_visualstudioteamservices"
        with Policy.from_json(document(CONTOSO, [])) as policy:
            self.assertEqual(policy.evaluate(CONTOSO, FABRIKAM, connector=devops).reason,
                             "not_evaluated_non_entra")
            self.assertEqual(policy.evaluate(CONTOSO, FABRIKAM, connector="shared_office365").reason,
                             "not_allowlisted")
            self.assertEqual(policy.evaluate(CONTOSO, FABRIKAM, connector=devops, auth="entra").reason,
                             "not_allowlisted")
            self.assertEqual(policy.evaluate(CONTOSO, FABRIKAM, auth="non_entra").reason,
                             "not_evaluated_non_entra")
        doc = document(CONTOSO, [], evaluateNonEntraConnectors=True)
        with Policy.from_json(doc) as policy:
            self.assertTrue(policy.evaluates_non_entra)
            self.assertFalse(policy.evaluate(CONTOSO, FABRIKAM, connector=devops).allowed)

    def test_isolation_off(self) -> None:
        with Policy.from_json(document(CONTOSO, [], disabled=True)) as policy:
            self.assertFalse(policy.isolation_enabled)
            self.assertEqual(policy.evaluate(CONTOSO, FABRIKAM).reason, "isolation_disabled")

    def test_warnings(self) -> None:
        doc = document(CONTOSO, [entry(FABRIKAM, True, False), entry(FABRIKAM, False, True)],
                       disabled=None, futureField=1)
        with Policy.from_json(doc) as policy:
            codes = {w.code for w in policy.warnings}
            self.assertLessEqual({"duplicate_tenant", "unknown_key", "missing_is_disabled"}, codes)
            self.assertTrue(all(w.path and w.message for w in policy.warnings))
            self.assertTrue(policy.isolation_enabled)  # fail closed without isDisabled

    def test_domains_from_file(self) -> None:
        domains = self.write("domains.json", json.dumps({"Fabrikam.COM.": FABRIKAM}))
        doc = document(CONTOSO, [entry("fabrikam.com", True, True)])
        with Policy.from_json(doc, domains=domains) as policy:
            self.assertEqual(policy.entries[0].tenant, FABRIKAM)

    def test_to_json_round_trip(self) -> None:
        with Policy.from_json(self.DOC) as policy:
            text = policy.to_json()
            self.assertEqual(json.loads(policy.to_json(pretty=True)), json.loads(text))
            with Policy.from_json(text) as again:
                self.assertEqual(again.entries, policy.entries)
                self.assertEqual(again.home_tenant, policy.home_tenant)

    def test_provenance(self) -> None:
        with Policy.from_json(self.DOC, source="a") as a, Policy.from_json(self.DOC, source="b") as b:
            self.assertEqual(a.provenance.source, "a")
            self.assertEqual(a.provenance.sha256, b.provenance.sha256)  # same content
            self.assertRegex(a.provenance.sha256, r"^[0-9a-f]{64}$")
            self.assertGreater(a.provenance.loaded_at_ns, 0)
            self.assertEqual(a.evaluate(WOODGROVE, CONTOSO).policy_id, a.provenance.id)

    def test_decision_helpers(self) -> None:
        with Policy.from_json(self.DOC) as policy:
            d1, d2 = policy.evaluate(WOODGROVE, CONTOSO), policy.evaluate(WOODGROVE, CONTOSO)
            self.assertEqual(d1, d2)
            self.assertEqual(hash(d1), hash(d2))
            self.assertNotEqual(d1, policy.evaluate(FABRIKAM, CONTOSO))
            self.assertEqual(set(d1.as_dict()), {"verdict", "reason", "direction", "externalTenant",
                                                 "rule", "message", "blockedBy"})
            self.assertIn("not_allowlisted", repr(d1))

    def test_close_is_idempotent_and_fails_closed(self) -> None:
        policy = Policy.from_json(self.DOC)
        policy.close()
        policy.close()
        self.assertTrue(policy.closed)
        self.assertEqual(repr(policy), "Policy(<closed>)")
        with self.assertRaises(TenantIsoError) as cm:
            policy.evaluate(CONTOSO, FABRIKAM)
        self.assertEqual(cm.exception.code, "invalid_argument")

    def test_freed_exactly_once(self) -> None:
        policy = Policy.from_json(self.DOC)
        handle = policy._handle
        del policy  # collected: the finalizer drops the C reference
        gc.collect()
        self.assertFalse(handle._finalizer.alive)
        policy = Policy.from_json(self.DOC)
        handle = policy._handle
        with policy:
            pass
        self.assertFalse(handle._finalizer.alive)  # closed by the with block...
        del policy
        gc.collect()  # ...and not freed again when collected (ASan would see it)


class TestErrors(TempFiles):
    """Every failure raises TenantIsoError with the library's code and message."""

    def assertError(self, code: str, func: Any, *args: Any, **kwargs: Any) -> TenantIsoError:
        with self.assertRaises(TenantIsoError) as cm:
            func(*args, **kwargs)
        err = cm.exception
        self.assertEqual(err.code, code, err.message)
        self.assertTrue(err.message)
        self.assertIn(err.message, str(err))
        return err

    def test_bad_json_has_line_and_column(self) -> None:
        path = self.write("bad.json", '{"properties": {\n  "tenantId": "x",\n  "isDisabled": fals}}')
        err = self.assertError("syntax", Policy.from_file, path)
        self.assertEqual(err.line, 3)
        self.assertIsNotNone(err.column)
        self.assertIn(f"{path}:3:{err.column}", err.message)

    def test_truncated_and_empty_json(self) -> None:
        self.assertError("syntax", Policy.from_json, '{"properties": {')
        self.assertError("syntax", Policy.from_json, "")

    def test_schema_error_names_path(self) -> None:
        err = self.assertError("schema", Policy.from_json, '{"properties": {"isDisabled": "no"}}')
        self.assertEqual(err.path, "properties.isDisabled")

    def test_invalid_tenant_in_document(self) -> None:
        err = self.assertError("invalid_tenant", Policy.from_json,
                               document(CONTOSO, [entry("not-a-guid", True, True)]))
        self.assertEqual(err.path, "properties.allowedTenants[0].tenantId")

    def test_invalid_tenant_in_request(self) -> None:
        with Policy.from_json(document(CONTOSO, [])) as policy:
            err = self.assertError("invalid_tenant", policy.evaluate, CONTOSO[:-1] + "g", FABRIKAM)
            self.assertIn("creator", err.message)
            self.assertIn("'g'", err.message)
            # A domain is a name like any other: without a map it cannot be resolved.
            err = self.assertError("resolve", policy.evaluate, CONTOSO, "fabrikam.com")
            self.assertIn("target", err.message)

    def test_nil_guid(self) -> None:
        nil = "00000000-0000-0000-0000-000000000000"
        with Policy.from_json(document(CONTOSO, [])) as policy:
            err = self.assertError("invalid_tenant", policy.evaluate, nil, CONTOSO)
            self.assertIn("nil", err.message)
        self.assertError("invalid_tenant", Policy.from_json, document(nil, []))

    def test_missing_file(self) -> None:
        path = str(self.dir / "missing.json")
        err = self.assertError("io", Policy.from_file, path)
        self.assertIn(path, err.message)
        self.assertError("io", Policy.from_file, str(self.dir))  # a directory
        self.assertError("io", Policy.from_json, "{}", domains=path)

    def test_inconsistent_direction(self) -> None:
        with Policy.from_json(document(CONTOSO, [])) as policy:
            self.assertError("inconsistent_direction", policy.evaluate, FABRIKAM, CONTOSO, "outbound")
            self.assertError("inconsistent_direction", policy.evaluate, CONTOSO, FABRIKAM, "inbound")

    def test_no_home_tenant(self) -> None:
        with Policy.from_json(document(None, [])) as policy:
            self.assertError("no_home_tenant", policy.evaluate, CONTOSO, FABRIKAM)
            with PolicySet() as pset:
                self.assertError("no_home_tenant", pset.replace, policy)

    def test_misuse(self) -> None:
        with Policy.from_json(document(CONTOSO, [])) as policy:
            self.assertError("invalid_argument", policy.evaluate, CONTOSO, FABRIKAM, "sideways")
            self.assertError("invalid_argument", policy.evaluate, CONTOSO, FABRIKAM, None)
            self.assertError("invalid_argument", policy.evaluate, None, FABRIKAM)
            self.assertError("invalid_argument", policy.evaluate, CONTOSO, FABRIKAM, auth="oauth")
            # A NUL would cut the name short into the known non-Entra connector.
            self.assertError("invalid_argument", policy.evaluate, CONTOSO, FABRIKAM,
                             connector="shared_visualstudioteamservices\0x")

    def test_unresolvable_domain(self) -> None:
        doc = document(CONTOSO, [entry("unknown.example", True, True)])
        self.assertError("not_found", Policy.from_json, doc, domains={"fabrikam.com": FABRIKAM})
        self.assertError("resolve", Policy.from_json, doc)  # no resolver at all
        self.assertError("invalid_domain", Policy.from_json, "{}", domains={"a b": FABRIKAM})
        self.assertError("invalid_tenant", Policy.from_json, "{}", domains={"a.com": "nope"})

    def test_limit(self) -> None:
        long_name = "x" * 5000
        self.assertError("limit", Policy.from_json,
                         document(CONTOSO, [entry(FABRIKAM, True, True, tenantDisplayName=long_name)]))

    def test_error_is_an_exception_with_status(self) -> None:
        err = self.assertError("syntax", Policy.from_json, "[")
        self.assertIsInstance(err, Exception)
        self.assertEqual(err.status, 5)
        copy = pickle.loads(pickle.dumps(err))
        self.assertEqual((copy.code, copy.message, copy.line), (err.code, err.message, err.line))


class TestNames(TempFiles):
    """Names go through the library's one classifier (tiso_name_classify), so
    Python gives a name the status every tenantiso command gives it."""

    MAP = {"fabrikam.com": FABRIKAM, "xn--bcher-kva.example": CONTOSO}

    def code_of(self, func: Any, *args: Any, **kwargs: Any) -> str:
        with self.assertRaises(TenantIsoError) as cm:
            func(*args, **kwargs)
        return cm.exception.code

    def test_statuses(self) -> None:
        rows = {
            "*": "invalid_tenant", "": "invalid_tenant", FABRIKAM + " ": "invalid_tenant",
            FABRIKAM + "1": "invalid_tenant", "{" + FABRIKAM + "}": "invalid_tenant",
            "00000000-0000-0000-0000-000000000000": "invalid_tenant",
            FABRIKAM.replace("-", ""): "invalid_tenant", "contoso": "invalid_domain",
            "a..com": "invalid_domain", "evil.com/x": "invalid_domain", "nobody.example": "not_found",
        }
        with tenantiso.DomainMap(self.MAP) as domains, Policy.from_json(document(CONTOSO, [])) as policy:
            for name, code in rows.items():
                with self.subTest(name=name):
                    self.assertEqual(self.code_of(domains.resolve, name), code)
                    self.assertEqual(self.code_of(tenantiso.resolve, name, self.MAP), code)
                    self.assertEqual(self.code_of(policy.evaluate, CONTOSO, name, domains=domains), code)

    def test_domains_evaluate(self) -> None:
        path = self.write("map.json", json.dumps(self.MAP))
        doc = document(CONTOSO, [entry(FABRIKAM, False, True)])
        with Policy.from_json(doc) as policy, tenantiso.DomainMap(path) as domains:
            for given in (domains, path, self.MAP):
                decision = policy.evaluate(CONTOSO, "Fabrikam.COM.", domains=given)
                self.assertEqual((decision.verdict, decision.reason), ("allow", "allowlisted"))
                self.assertEqual(decision.external_tenant, FABRIKAM)
            self.assertEqual(domains.resolve("XN--BCHER-KVA.example."), CONTOSO)
            self.assertEqual(tenantiso.resolve(FABRIKAM.upper()), FABRIKAM)
            self.assertEqual(self.code_of(tenantiso.resolve, "fabrikam.com"), "resolve")
            with PolicySet([policy]) as pset:
                self.assertFalse(pset.evaluate("fabrikam.com", CONTOSO, domains=domains).allowed)
            # A DomainMap loads policies too, and stays open afterwards.
            with Policy.from_json(document(CONTOSO, [entry("fabrikam.com", True, True)]),
                                  domains=domains) as loaded:
                self.assertEqual(loaded.entries[0].tenant, FABRIKAM)
            self.assertFalse(domains.closed)
        self.assertTrue(domains.closed)
        self.assertEqual(self.code_of(domains.resolve, "fabrikam.com"), "invalid_argument")

    def test_bad_maps(self) -> None:
        self.assertEqual(self.code_of(tenantiso.DomainMap, {"a b.com": FABRIKAM}), "invalid_domain")
        self.assertEqual(self.code_of(tenantiso.DomainMap, {"a.com": "*"}), "invalid_tenant")
        self.assertEqual(self.code_of(tenantiso.DomainMap, str(self.dir / "none.json")), "io")
        self.assertEqual(self.code_of(tenantiso.resolve, 7), "invalid_argument")


class TestPolicySet(TempFiles):
    def setUp(self) -> None:
        super().setUp()
        self.contoso = self.write("contoso.json", document(CONTOSO, [entry(FABRIKAM, False, True)]))
        self.fabrikam = self.write("fabrikam.json", document(FABRIKAM, [entry(NORTHWIND, True, True)]))

    def test_from_files_and_blocked_by(self) -> None:
        with PolicySet.from_files([self.contoso, pathlib.Path(self.fabrikam)]) as pset:
            self.assertEqual(len(pset), 2)
            self.assertIn(CONTOSO, pset)
            self.assertNotIn(WOODGROVE, pset)
            self.assertNotIn("not a tenant", pset)
            self.assertNotIn(None, pset)
            # Contoso allows Fabrikam outbound, Fabrikam does not allow Contoso inbound.
            d = pset.evaluate(CONTOSO, FABRIKAM)
            self.assertEqual((d.verdict, d.direction, d.blocked_by), ("deny", "inbound", FABRIKAM))
            # Contoso's outbound rules block Northwind before Northwind is asked.
            d = pset.evaluate(CONTOSO, NORTHWIND)
            self.assertEqual((d.verdict, d.direction, d.blocked_by), ("deny", "outbound", CONTOSO))
            # Northwind has no policy (isolation off); Fabrikam allows it inbound.
            d = pset.evaluate(NORTHWIND, FABRIKAM)
            self.assertEqual((d.verdict, d.reason, d.blocked_by), ("allow", "allowlisted", None))
            # A direction cannot narrow a set's check: both sides, always (SPEC 3.1).
            for direction in ("outbound", "inbound", "auto"):
                d = pset.evaluate(CONTOSO, FABRIKAM, direction=direction)
                self.assertEqual((d.verdict, d.blocked_by), ("deny", FABRIKAM), direction)
            self.assertTrue(pset.evaluate(NORTHWIND, WOODGROVE).allowed)

    def test_one_policy_per_home_tenant(self) -> None:
        # SPEC 3.1: a second policy for a home is an error, whatever the order.
        other = self.write("contoso-open.json", document(CONTOSO, [], disabled=True))
        for paths in ([self.contoso, other], [other, self.contoso]):
            with self.assertRaises(TenantIsoError) as cm:
                PolicySet.from_files(paths)
            self.assertEqual(cm.exception.code, "conflict")
            self.assertIn(CONTOSO, cm.exception.message)
        with Policy.from_file(self.contoso) as a, Policy.from_file(other) as b:
            with self.assertRaises(TenantIsoError) as cm:
                PolicySet([a, b])
            self.assertEqual(cm.exception.code, "conflict")
        with PolicySet.from_files([self.contoso]) as pset:
            with self.assertRaises(TenantIsoError) as cm:
                pset.load_file(other)
            self.assertEqual(cm.exception.code, "conflict")
            self.assertFalse(pset.evaluate(CONTOSO, WOODGROVE).allowed)
            pset.load_file(self.contoso)  # the same file again: a reload
            self.assertEqual(len(pset), 1)

    def test_unknown_isolated(self) -> None:
        with PolicySet.from_files([self.contoso], unknown_isolated=True) as pset:
            d = pset.evaluate(NORTHWIND, WOODGROVE)
            self.assertEqual((d.verdict, d.blocked_by), ("deny", NORTHWIND))

    def test_replace_remove_get(self) -> None:
        with PolicySet.from_files([self.contoso, self.fabrikam]) as pset:
            self.assertFalse(pset.evaluate(CONTOSO, FABRIKAM).allowed)
            with Policy.from_json(document(FABRIKAM, [entry(CONTOSO, True, False)])) as open_fab:
                pset.replace(open_fab)
            # The Python wrapper is closed; the set holds its own reference.
            self.assertEqual(len(pset), 2)
            self.assertTrue(pset.evaluate(CONTOSO, FABRIKAM).allowed)
            with pset.get(FABRIKAM) as held:  # type: ignore[union-attr]
                self.assertEqual(held.entries[0].tenant, CONTOSO)
                pset.remove(FABRIKAM)
                self.assertEqual(held.home_tenant, FABRIKAM)  # still alive: our reference
            self.assertIsNone(pset.get(FABRIKAM))
            self.assertEqual(len(pset), 1)
            with self.assertRaises(TenantIsoError) as cm:
                pset.remove(FABRIKAM)
            self.assertEqual(cm.exception.code, "not_found")
            with self.assertRaises(TenantIsoError) as cm:
                pset.remove("nope")
            self.assertEqual(cm.exception.code, "invalid_tenant")

    def test_invalid_replacement_keeps_the_old_policy(self) -> None:
        with PolicySet.from_files([self.contoso]) as pset:
            before = pset.evaluate(CONTOSO, FABRIKAM)
            broken = self.write("broken.json", '{"properties": [')
            with self.assertRaises(TenantIsoError):
                pset.replace(Policy.from_file(broken))
            with self.assertRaises(TenantIsoError) as cm:
                pset.load_file(broken)
            self.assertEqual(cm.exception.code, "syntax")
            self.assertEqual(pset.evaluate(CONTOSO, FABRIKAM), before)

    def test_load_file(self) -> None:
        with PolicySet() as pset:
            pset.load_file(self.contoso)
            self.assertEqual(len(pset), 1)
            self.write("contoso.json", document(CONTOSO, [entry("fabrikam.com", False, False)]))
            with self.assertRaises(TenantIsoError) as cm:
                pset.load_file(self.contoso)  # a domain entry and no resolver
            self.assertEqual(cm.exception.code, "resolve")
            self.assertTrue(pset.evaluate(CONTOSO, FABRIKAM).allowed)  # the old policy
            pset.load_file(self.contoso, domains={"fabrikam.com": FABRIKAM})
            self.assertFalse(pset.evaluate(CONTOSO, FABRIKAM).allowed)
            with pset.get(CONTOSO) as policy:  # type: ignore[union-attr]
                self.assertEqual(policy.provenance.source, self.contoso)

    def test_from_files_names_the_bad_file(self) -> None:
        bad = self.write("bad.json", "{")
        with self.assertRaises(TenantIsoError) as cm:
            PolicySet.from_files([self.contoso, bad])
        self.assertEqual(cm.exception.code, "syntax")
        self.assertIn(bad, cm.exception.message)

    def test_errors_and_close(self) -> None:
        pset = PolicySet.from_files([self.contoso])
        with self.assertRaises(TenantIsoError) as cm:
            pset.evaluate(CONTOSO, "x")
        self.assertEqual(cm.exception.code, "invalid_domain")  # as `tenantiso eval` says
        self.assertEqual(pset.evaluate(FABRIKAM, FABRIKAM).reason, "same_tenant")
        self.assertEqual(repr(pset), "PolicySet(1 policies)")
        pset.close()
        pset.close()
        self.assertTrue(pset.closed)
        with self.assertRaises(TenantIsoError):
            len(pset)

    def test_set_outlives_dropped_policies(self) -> None:
        pset = PolicySet([Policy.from_json(document(CONTOSO, []))])
        gc.collect()  # the Policy wrapper is gone; the set's reference is not
        self.assertFalse(pset.evaluate(CONTOSO, FABRIKAM).allowed)
        self.assertEqual(pset.get(CONTOSO).home_tenant, CONTOSO)  # type: ignore[union-attr]


class TestThreads(unittest.TestCase):
    """Evaluation on several threads while another replaces a policy."""

    SWAPS = 500 if SANITIZED else 5000
    READERS = 4
    REQUESTS = [(CONTOSO, FABRIKAM), (FABRIKAM, CONTOSO), (CONTOSO, NORTHWIND),
                (NORTHWIND, CONTOSO), (WOODGROVE, FABRIKAM), (CONTOSO, CONTOSO)]

    def setUp(self) -> None:
        # Two versions of Contoso's policy that disagree on most requests.
        self.a = Policy.from_json(document(CONTOSO, [entry(FABRIKAM, True, True)]), source="a")
        self.b = Policy.from_json(document(CONTOSO, [entry(NORTHWIND, False, True)]), source="b")
        self.fab = Policy.from_json(document(FABRIKAM, [entry("*", True, True)]))

    def tearDown(self) -> None:
        for p in (self.a, self.b, self.fab):
            p.close()

    def expected(self, pset_of: Any) -> list[set[tuple[Any, ...]]]:
        """Per request, the keys a decision may have: policy a's or b's."""
        answers: list[set[tuple[Any, ...]]] = [set() for _ in self.REQUESTS]
        for policy in (self.a, self.b):
            with pset_of(policy) as pset:
                for i, (c, t) in enumerate(self.REQUESTS):
                    answers[i].add(pset.evaluate(c, t).key())
        self.assertTrue(any(len(s) == 2 for s in answers), "the two policies must disagree")
        return answers

    def run_readers(self, evaluate: Any, answers: list[set[tuple[Any, ...]]],
                    swap: Any) -> None:
        done = threading.Event()
        failures: list[str] = []
        counts = [0] * self.READERS

        def reader(n: int) -> None:
            i = n
            try:
                while not done.is_set():
                    c, t = self.REQUESTS[i % len(self.REQUESTS)]
                    key = evaluate(c, t).key()
                    if key not in answers[i % len(self.REQUESTS)]:
                        failures.append(f"{c}->{t}: {key}")
                        return
                    i += 1
            except Exception as exc:  # any error is a failure, never an allow
                failures.append(repr(exc))
            finally:
                counts[n] = i - n

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(self.READERS)]
        for t in threads:
            t.start()
        try:
            for k in range(self.SWAPS):
                swap(self.a if k % 2 else self.b)
        finally:
            done.set()
            for t in threads:
                t.join()
        self.assertEqual(failures, [])
        self.assertTrue(all(counts), counts)

    def test_set_evaluate_while_replacing(self) -> None:
        def pset_of(policy: Policy) -> PolicySet:
            return PolicySet([policy, self.fab])

        answers = self.expected(pset_of)
        with pset_of(self.a) as pset:
            self.run_readers(pset.evaluate, answers, pset.replace)

    def test_replace_with_fresh_policies(self) -> None:
        # Each swap loads a new policy and drops the wrapper at once, so the
        # set's reference is the only one left: freed when replaced.
        texts = {id(self.a): self.a.to_json(), id(self.b): self.b.to_json()}

        def swap(policy: Policy) -> None:
            with Policy.from_json(texts[id(policy)]) as fresh:
                pset.replace(fresh)

        answers = self.expected(lambda p: PolicySet([p, self.fab]))
        with PolicySet([self.a, self.fab]) as pset:
            self.run_readers(pset.evaluate, answers, swap)

    def test_one_policy_on_many_threads(self) -> None:
        answers = [{self.a.evaluate(c, t).key()} for c, t in self.REQUESTS]
        self.run_readers(self.a.evaluate, answers, lambda policy: None)


class TestMemory(unittest.TestCase):
    """A million calls do not grow the process."""

    CALLS = 100_000 if SANITIZED else 1_000_000
    SLACK = 4 * 1024 * 1024

    def test_no_growth_over_a_million_calls(self) -> None:
        policy = Policy.from_json(document(CONTOSO, [entry(FABRIKAM, True, False), entry("*", False, True)]))
        pset = PolicySet([policy])
        requests = [(CONTOSO, FABRIKAM), (FABRIKAM, CONTOSO), (NORTHWIND, CONTOSO)]

        def burst(n: int) -> None:
            for i in range(n // 4):
                c, t = requests[i % 3]
                policy.evaluate(c, t)
                pset.evaluate(c, t, connector="shared_office365")
                if i % 10 == 0:
                    _ = policy.evaluate(c, t).message
                    try:
                        policy.evaluate(c, "bad")
                    except TenantIsoError:
                        pass
                else:
                    pset.evaluate(t, c).blocked_by
                policy.evaluate(t, c, direction="auto").external_tenant

        burst(40_000)  # warm up: caches, arenas, the first page faults
        gc.collect()
        before = rss_bytes()
        started = time.monotonic()
        burst(self.CALLS)
        gc.collect()
        grown = rss_bytes() - before
        elapsed = time.monotonic() - started
        pset.close()
        policy.close()
        print(f"\n  {self.CALLS} calls in {elapsed:.1f} s, RSS grew {grown / 1024:.0f} KiB", end=" ")
        if SANITIZED:
            return  # ASan keeps freed memory in quarantine: RSS says nothing
        self.assertLess(grown, self.SLACK)


if __name__ == "__main__":
    unittest.main()
