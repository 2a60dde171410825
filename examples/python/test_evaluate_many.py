"""evaluate_many (SPEC 13): the batch call from Python, on an installed package.

Environment: TENANTISO_LIBRARY (the built library); when
TENANTISO_EXPECT_INSTALLED_IN is set, the module must come from there (the
package test installs it with pip and runs this file away from the sources).
"""

import os
import re
import threading
import unittest

import tenantiso

CONTOSO = "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
FABRIKAM = "fab41ca0-7e3d-4c1b-8a2f-0000000fab41"
A = "11111111-1111-1111-1111-111111111111"
B = "22222222-2222-2222-2222-222222222222"


def policy_json(home, outbound=(), inbound=()):
    entries = [{"tenantId": t, "direction": {"inbound": t in inbound, "outbound": t in outbound}}
               for t in sorted(set(outbound) | set(inbound))]
    import json
    return json.dumps({"tenantId": home, "isDisabled": False, "allowedTenants": entries})


CONTOSO_POLICY = policy_json(CONTOSO, outbound=[FABRIKAM], inbound=[A])
FABRIKAM_POLICY = policy_json(FABRIKAM, inbound=[CONTOSO])

# Good and bad requests of every shape, with what evaluate() makes of them.
REQUESTS = [
    (CONTOSO, FABRIKAM),
    (CONTOSO, B),
    (A, CONTOSO, "inbound"),
    (CONTOSO, B, "INBOUND"),                       # inconsistent for the policy
    {"creator": CONTOSO, "target": B, "connector": "shared_visualstudioteamservices"},
    {"creator": CONTOSO, "target": B, "direction": "outbound", "connector": "shared_office365"},
    {"creator": CONTOSO.upper(), "target": FABRIKAM},
    (CONTOSO, CONTOSO),
    (FABRIKAM, CONTOSO),
    ("not-a-tenant", FABRIKAM),
    (CONTOSO, "00000000-0000-0000-0000-000000000000"),
    (CONTOSO, FABRIKAM, "sideways"),
    {"creator": CONTOSO, "target": B, "connector": 5},
    {"creator": CONTOSO, "target": B, "connector": "shared_\0visualstudioteamservices"},
    (None, FABRIKAM),
    42,
    (CONTOSO,),
]


def alone(evaluator, request):
    """(decision key, None) from evaluate(), or (None, error code)."""
    if isinstance(request, dict):
        args = dict(request)
        creator, target = args.pop("creator"), args.pop("target")
    elif isinstance(request, tuple) and len(request) in (2, 3):
        creator, target, args = request[0], request[1], {}
        if len(request) == 3:
            args["direction"] = request[2]
    else:
        return None, "invalid_argument"  # no shape evaluate() could be called with
    try:
        return evaluator.evaluate(creator, target, **args).key(), None
    except tenantiso.TenantIsoError as exc:
        return None, exc.code


class EvaluateMany(unittest.TestCase):
    def setUp(self):
        self.policy = tenantiso.Policy.from_json(CONTOSO_POLICY)
        self.pset = tenantiso.PolicySet([self.policy, tenantiso.Policy.from_json(FABRIKAM_POLICY)])

    def tearDown(self):
        self.pset.close()
        self.policy.close()

    def test_installed_package(self):
        where = os.environ.get("TENANTISO_EXPECT_INSTALLED_IN")
        if not where:
            self.skipTest("not the package test")
        self.assertTrue(os.path.realpath(tenantiso.__file__).startswith(os.path.realpath(where)),
                        tenantiso.__file__)

    def check_like_evaluate(self, evaluator):
        got = evaluator.evaluate_many(REQUESTS)
        self.assertEqual(len(got), len(REQUESTS))
        for request, decision in zip(REQUESTS, got):
            key, code = alone(evaluator, request)
            with self.subTest(request=request):
                if code is None:
                    self.assertIsNone(decision.error_code)
                    self.assertEqual(decision.key(), key)
                else:
                    self.assertEqual(decision.error_code, code)
                    self.assertFalse(decision.allowed)
                    self.assertEqual(decision.verdict, "deny")
                    self.assertTrue(decision.error_message)

    def test_policy_like_evaluate(self):
        self.check_like_evaluate(self.policy)

    def test_set_like_evaluate(self):
        self.check_like_evaluate(self.pset)
        d = self.pset.evaluate_many([(FABRIKAM, CONTOSO)])[0]
        self.assertEqual(d.blocked_by, FABRIKAM)  # Fabrikam's own policy keeps it in

    def test_bad_request_denies_only_itself(self):
        got = self.policy.evaluate_many([(CONTOSO, FABRIKAM), ("x", FABRIKAM), (CONTOSO, FABRIKAM)])
        self.assertEqual([d.allowed for d in got], [True, False, True])
        self.assertEqual([d.error_code for d in got], [None, "invalid_domain", None])  # "x": a (bad) domain

    def test_empty_and_generators(self):
        self.assertEqual(self.policy.evaluate_many([]), [])
        got = self.policy.evaluate_many((CONTOSO, t) for t in (FABRIKAM, B))
        self.assertEqual([d.allowed for d in got], [True, False])

    def test_ids_parsed_once(self):
        ids = tenantiso.TenantIdCache()
        self.policy.evaluate_many([(CONTOSO, FABRIKAM)] * 100 + [(CONTOSO, B)] * 100, ids=ids)
        self.assertEqual(len(ids), 3)
        ids.max_size = 2  # bounded: a full cache starts again
        self.policy.evaluate_many([(A, FABRIKAM)], ids=ids)
        self.assertLessEqual(len(ids), 2)

    def test_closed_raises(self):
        self.policy.close()
        with self.assertRaises(tenantiso.TenantIsoError):
            self.policy.evaluate_many([(CONTOSO, FABRIKAM)])

    def test_batches_see_one_version_while_replaced(self):
        open_doc = policy_json(CONTOSO, outbound=[FABRIKAM, A, B])
        closed_doc = policy_json(CONTOSO)
        stop, failures = threading.Event(), []

        def replacer():
            n = 0
            while not stop.is_set():
                with tenantiso.Policy.from_json(open_doc if n % 2 else closed_doc) as p:
                    self.pset.replace(p)
                n += 1

        with tenantiso.Policy.from_json(open_doc) as p:  # only the two versions from here on
            self.pset.replace(p)
        batch = [(CONTOSO, t) for t in (FABRIKAM, A, B)] * 50
        t = threading.Thread(target=replacer)
        t.start()
        try:
            for _ in range(200):
                verdicts = {d.allowed for d in self.pset.evaluate_many(batch)}
                if len(verdicts) != 1:
                    failures.append(verdicts)
        finally:
            stop.set()
            t.join()
        self.assertEqual(failures, [])

    def test_readme_example(self):
        readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")
        with open(readme, encoding="utf-8") as f:
            blocks = re.findall(r"```python\n(.*?)```", f.read(), re.S)
        example = [b for b in blocks if "evaluate_many" in b]
        self.assertEqual(len(example), 1)
        exec(compile(example[0], readme, "exec"), {})


if __name__ == "__main__":
    unittest.main()
