"""evaluate_many (SPEC 13): the batch call from Python, on an installed package.

Environment: TENANTISO_LIBRARY (the built library); when
TENANTISO_EXPECT_INSTALLED_IN is set, the module must come from there (the
package test installs it with pip and runs this file away from the sources).
"""

import gc
import os
import pickle
import re
import threading
import unittest
import unittest.mock

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

    def check_every_attribute(self, evaluator, requests):
        """Each decision of evaluate_many has every attribute evaluate()'s has
        for the same request, or evaluate()'s error code."""
        got = evaluator.evaluate_many(requests)
        self.assertIs(type(got), list)
        self.assertEqual(len(got), len(requests))
        for request, decision in zip(requests, got):
            with self.subTest(request=request):
                self.assertIsInstance(decision, tenantiso.Decision)
                self.assertIs(type(decision.allowed), bool)
                self.assertEqual(decision.allowed, decision.verdict == "allow")
                key, code = alone(evaluator, request)
                self.assertEqual(decision.error_code, code)
                if code is not None:
                    self.assertIs(decision.allowed, False)
                    self.assertEqual(decision.verdict, "deny")
                    continue
                creator, target, args = request[0], request[1], {}
                if len(request) == 3:
                    args["direction"] = request[2]
                want = evaluator.evaluate(creator, target, **args)
                self.assertIsNone(decision.error_message)
                for name in ("allowed", "verdict", "reason", "direction", "rule",
                             "external_tenant", "creator", "target", "blocked_by", "policy_id",
                             "message"):
                    self.assertEqual(getattr(decision, name), getattr(want, name), name)
                self.assertEqual(decision.as_dict(), want.as_dict())
                self.assertEqual(decision, want)

    def test_tuples_of_str_like_evaluate_every_attribute(self):
        # Tuples of str only: the batch packed without a Python loop once each
        # request was seen (the second round), good and bad requests mixed.
        requests = [(CONTOSO, FABRIKAM), (CONTOSO, B), (A, CONTOSO, "inbound"),
                    (CONTOSO, FABRIKAM, "Outbound"), (CONTOSO, B, "INBOUND"), (CONTOSO, CONTOSO),
                    (FABRIKAM, CONTOSO), (CONTOSO.upper(), FABRIKAM), ("not-a-tenant", FABRIKAM),
                    (CONTOSO, "contoso.com"), (CONTOSO, "*"), (CONTOSO, ""),
                    (CONTOSO, "{%s}" % FABRIKAM), (CONTOSO, FABRIKAM + "\0"),
                    ("00000000-0000-0000-0000-000000000000", FABRIKAM),
                    (CONTOSO, FABRIKAM, "sideways"), (CONTOSO, FABRIKAM, "")]
        for evaluator in (self.policy, self.pset):
            for ids in (None, tenantiso.TenantIdCache()):
                for _ in range(2):  # the first round fills the cache, the second uses it
                    with self.subTest(evaluator=evaluator, shared=ids is None):
                        self.check_every_attribute(evaluator, requests)
                        self.check_every_attribute(evaluator, requests * 3 + requests[::-1])

    def test_every_shape_twice_like_evaluate(self):
        # Mappings, bad shapes and tuples in one batch, before and after their
        # tuples are cached; and tuples alone after the mixed batch.
        for evaluator in (self.policy, self.pset):
            for _ in range(2):
                self.check_like_evaluate(evaluator)
            tuples = [r for r in REQUESTS if type(r) is tuple and all(type(x) is str for x in r)
                      and len(r) in (2, 3)]
            self.assertEqual([d.key() for d in evaluator.evaluate_many(tuples)],
                             [d.key() for d in evaluator.evaluate_many(tuples)])

    def test_a_request_is_its_own_strings_not_what_it_claims_to_equal(self):
        # A lookup in a table compares with ==: an object claiming to equal a
        # tenant ID seen before must not be decided as that tenant.
        class Claims(str):
            def __eq__(self, other):
                return True

            def __hash__(self):
                return hash(FABRIKAM)

        class Anything:
            def __eq__(self, other):
                return True

            def __hash__(self):
                return hash(FABRIKAM)

        class ClaimsTuple(tuple):
            def __eq__(self, other):
                return True

            def __hash__(self):
                return hash((CONTOSO, FABRIKAM))

        for evaluator in (self.policy, self.pset):
            with self.subTest(evaluator=evaluator):
                evaluator.evaluate_many([(CONTOSO, FABRIKAM)] * 3)  # seen: in the tables
                got = evaluator.evaluate_many([(CONTOSO, Claims("not-a-tenant")),
                                               (CONTOSO, Anything()),
                                               ClaimsTuple(("x", FABRIKAM)),
                                               (CONTOSO, Claims(B)),
                                               (CONTOSO, FABRIKAM)])
                self.assertEqual([d.error_code for d in got],
                                 ["invalid_domain", "invalid_argument", "invalid_domain", None,
                                  None])
                self.assertEqual([d.allowed for d in got], [False, False, False, False, True])
                self.assertEqual(got[3].target, B)

    def test_one_cache_on_many_threads_while_it_starts_again(self):
        # A cache too small for the batches: threads clear it under each
        # other's look-ups; each batch is still decided as evaluate() does.
        ids = tenantiso.TenantIdCache(max_size=3)
        batches = [[(CONTOSO, FABRIKAM), (CONTOSO, B), (A, CONTOSO, "inbound"), ("x", B)] * 25,
                   [(CONTOSO, A), (CONTOSO, FABRIKAM, "outbound"), (B, CONTOSO)] * 25]
        want = [[alone(self.policy, r) for r in batch] for batch in batches]
        failures = []

        def run(i):
            for _ in range(100):
                got = [(d.key(), None) if d.error_code is None else (None, d.error_code)
                       for d in self.policy.evaluate_many(batches[i], ids=ids)]
                if got != want[i]:
                    failures.append(i)

        threads = [threading.Thread(target=run, args=(i % 2,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])

    def test_decisions_are_immutable(self):
        for d in (self.policy.evaluate(CONTOSO, B), self.policy.evaluate_many([(CONTOSO, B)])[0],
                  self.policy.evaluate_many([("x", B)])[0]):
            for name in ("allowed", "verdict", "rule", "error_code", "other"):
                with self.subTest(decision=d, name=name):
                    with self.assertRaises(AttributeError):
                        setattr(d, name, True)
            with self.assertRaises((AttributeError, TypeError)):
                del d.allowed
            self.assertIs(d.allowed, False)

    def test_decisions_pickle(self):
        got = self.policy.evaluate_many([(CONTOSO, FABRIKAM), ("x", FABRIKAM)])
        for d in got + [self.policy.evaluate(CONTOSO, B)]:
            copy = pickle.loads(pickle.dumps(d))
            self.assertEqual((copy.key(), copy.allowed, copy.creator, copy.target, copy.error_code,
                              copy.error_message),
                             (d.key(), d.allowed, d.creator, d.target, d.error_code,
                              d.error_message))

    def test_batch_sizes(self):
        # The arrays are rounded up in size, and a thread's buffer of packed
        # requests is written again by each batch (a smaller batch after a
        # larger one leaves the larger one's requests behind its own): only the
        # batch's own decisions come back.
        sizes = (1, 2, 15, 16, 17, 31, 33, 1000, 1025, 3, 1024, 1)
        for keep in (tenantiso._KEEP_BYTES, 0):  # the buffer kept, or made anew each time
            for n in sizes:
                with self.subTest(n=n, keep=keep), \
                        unittest.mock.patch.object(tenantiso, "_KEEP_BYTES", keep):
                    requests = [(CONTOSO, FABRIKAM if (i + n) % 2 else B) for i in range(n)]
                    for evaluator in (self.policy, self.pset):
                        got = evaluator.evaluate_many(requests)
                        self.assertEqual(len(got), n)
                        self.assertEqual([d.allowed for d in got],
                                         [bool((i + n) % 2) for i in range(n)])
                        self.assertEqual([d.target for d in got], [r[1] for r in requests])

    def test_garbage_collector_state_is_kept(self):
        was = gc.isenabled()
        try:
            for enabled in (False, True):
                (gc.enable if enabled else gc.disable)()
                self.policy.evaluate_many([(CONTOSO, FABRIKAM)] * 100)
                self.assertEqual(gc.isenabled(), enabled)
        finally:
            (gc.enable if was else gc.disable)()

    def test_decisions_outlive_everything_else(self):
        got = self.pset.evaluate_many([(CONTOSO, FABRIKAM), (FABRIKAM, CONTOSO)] * 50)
        self.pset.close()
        self.policy.close()
        gc.collect()
        self.assertEqual([d.blocked_by for d in got[:2]], [None, FABRIKAM])
        self.assertEqual(got[-1].creator, FABRIKAM)

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
