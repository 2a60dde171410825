"""`tenantiso pull`, `plan` and `push` against the fake Power Platform service
(fake_powerplatform.py) over HTTPS with its test CA (SPEC 12, issue 11).

    TENANTISO_CLI=build/default/src/cli/tenantiso python3 -m unittest tests/live/test_live_cli.py -v

Every push refusal, every polling path, the bearer-token host check, the
token scope of every request (the fake's stats) and a policy changed by
"someone else" between plan and push. TENANTISO_TEST_POLL_FLOOR_MS (the
wait floor, for tests only) keeps most polling tests fast; one test runs
with the real 2 s floor.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fake_powerplatform as fake  # noqa: E402

CLI = os.environ.get("TENANTISO_CLI", "")
HOME = fake.HOME_TENANT
OTHER = "99999999-9999-4999-8999-999999999999"
TA = "11111111-1111-1111-1111-111111111111"
TB = "22222222-2222-2222-2222-222222222222"
TC = "33333333-3333-3333-3333-333333333333"
BAP_SCOPE = "https://service.powerapps.com/.default"
PP_SCOPE = "https://api.powerplatform.com/.default"
POLICY_PATH = f"/providers/PowerPlatform.Governance/v1/tenants/{HOME}/tenantIsolationPolicy"
EMPTY_SHA = hashlib.sha256(b"").hexdigest()
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def policy_doc(entries=((TA, True, False), (TB, False, True)), disabled=False, tenant=HOME):
    return {"properties": {"tenantId": tenant, "isDisabled": disabled, "allowedTenants": [
        {"tenantId": t, "direction": {"inbound": i, "outbound": o}} for t, i, o in entries]}}


def load(path):
    with open(path) as f:
        return json.load(f)


def page(connections, tenant=HOME):
    """A cross-tenant connection report page (SPEC 6): (external tenant,
    "Inbound" or "Outbound") pairs."""
    return {"tenantId": tenant, "reportId": "r1", "status": "Completed", "connections": [
        {"tenantId": t, "connectionType": kind, "connectorId": "/providers/Microsoft.PowerApps/apis/shared_sql"}
        for t, kind in connections]}


@unittest.skipUnless(CLI and os.path.exists(CLI), "TENANTISO_CLI must name the built binary")
class LiveCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = fake.start_server(http=True)
        cls.tmp = tempfile.TemporaryDirectory(prefix="tiso-live-")

    @classmethod
    def tearDownClass(cls):
        cls.svc.stop()
        cls.tmp.cleanup()

    def setUp(self):
        self.control("POST", "/_fake/reset")

    # ---- helpers ----
    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.svc.http_url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with NO_PROXY.open(req, timeout=10) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def config(self, **knobs):
        self.control("POST", "/_fake/config", knobs)

    def arm_fault(self, **spec):
        self.control("POST", "/_fake/fail", spec)

    def stored(self):
        """What the service holds now (None: no policy)."""
        try:
            return self.control("GET", f"/_fake/policy/{HOME}")
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            raise

    def set_stored(self, doc):
        self.control("PUT", f"/_fake/policy/{HOME}", doc)

    def stats(self):
        return self.control("GET", "/_fake/stats")

    def requests(self, route=None, method=None):
        return [r for r in self.stats()["requests"]
                if (route is None or r["route"] == route) and (method is None or r["method"] == method)]

    def write(self, name, doc):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
        return path

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("TENANTISO_")}
        env.update({"TENANTISO_TENANT_ID": HOME, "TENANTISO_CLIENT_ID": fake.CLIENT_ID,
                    "TENANTISO_CLIENT_SECRET": fake.CLIENT_SECRET, "TENANTISO_TEST_POLL_FLOOR_MS": "50"})
        env.update(extra)
        return {k: v for k, v in env.items() if v is not None}

    def run_cli(self, *args, env=None, timeout=120, cli_timeout="10"):
        urls = ["--bap-url", self.svc.url, "--login-url", self.svc.url, "--ca-file", self.svc.ca_file,
                "--timeout", cli_timeout]
        if args[0] == "fetch-report":
            urls += ["--powerplatform-url", self.svc.url]
        p = subprocess.run([CLI, *args, *urls], env=env or self.env(), capture_output=True, text=True,
                           timeout=timeout)
        for secret in (fake.CLIENT_SECRET, "s3cret"):
            self.assertNotIn(secret, p.stdout + p.stderr, "a secret in the output")
        return p

    def one_line_error(self, p, *words):
        lines = p.stderr.strip().splitlines()
        self.assertTrue(lines, p)
        self.assertTrue(lines[-1].startswith("tenantiso: "), p.stderr)
        for w in words:
            self.assertIn(w, lines[-1], p.stderr)

    def plan_sha(self, policy_file):
        p = self.run_cli("plan", policy_file, "--json")
        self.assertIn(p.returncode, (0, 1), p)
        return json.loads(p.stdout)["liveSha256"]

    # ---- pull ----
    def test_pull_without_policy_says_isolation_off(self):
        out = os.path.join(self.tmp.name, "pulled-none.json")
        p = self.run_cli("pull", "--output", out)
        self.assertEqual(p.returncode, 0, p)
        self.assertIn("no tenant isolation policy", p.stderr)
        self.assertIn("isolation off", p.stderr)
        with open(out) as f:
            doc = json.load(f)
        self.assertEqual(doc["properties"], {"tenantId": HOME, "isDisabled": True, "allowedTenants": []})
        # The equivalent document is in sync with the tenant without a policy.
        p = self.run_cli("plan", out, "--json")
        self.assertEqual(p.returncode, 0, p)
        got = json.loads(p.stdout)
        self.assertEqual((got["inSync"], got["liveFound"], got["liveSha256"]), (True, False, EMPTY_SHA))

    def test_pull_writes_the_body_as_received_and_plan_hashes_it(self):
        self.set_stored(policy_doc())
        p = self.run_cli("pull", "--tenant", HOME)
        self.assertEqual(p.returncode, 0, p)
        body = p.stdout.encode()
        self.assertEqual(json.loads(body)["properties"]["allowedTenants"][0]["tenantId"], TA)
        self.assertEqual(body, fake.render_policy(HOME, policy_doc(), True))
        pol = self.write("pulled.json", p.stdout)
        self.assertEqual(self.plan_sha(pol), hashlib.sha256(body).hexdigest())

    def test_pull_to_a_full_standard_output_says_so_once(self):
        # Larger than stdio's buffer, so the write itself fails, not the
        # final flush; --output - is standard output as much as no --output.
        many = [(f"{i:08x}-1111-4111-8111-111111111111", True, True) for i in range(200)]
        self.set_stored(policy_doc(entries=many))
        urls = ["--bap-url", self.svc.url, "--login-url", self.svc.url, "--ca-file", self.svc.ca_file]
        for output in ([], ["--output", "-"]):
            with open("/dev/full", "w") as full:
                p = subprocess.run([CLI, "pull", *output, *urls], env=self.env(), stdout=full,
                                   stderr=subprocess.PIPE, text=True, timeout=120)
            self.assertEqual(p.returncode, 3, p)
            self.assertEqual(p.stderr, "tenantiso: standard output: cannot write: No space left on device\n",
                             output)

    def test_pull_tenant_from_option_or_environment(self):
        p = self.run_cli("pull", env=self.env(TENANTISO_TENANT_ID=None, TENANTISO_CLIENT_ID=None,
                                              TENANTISO_CLIENT_SECRET=None))
        self.assertEqual(p.returncode, 2, p)
        self.one_line_error(p, "--tenant")
        # A caller token for the BAP audience alone is enough.
        tok = self.control("POST", "/_fake/token", {"scope": BAP_SCOPE, "tenant": HOME})["access_token"]
        p = self.run_cli("pull", "--tenant", HOME, env=self.env(
            TENANTISO_TENANT_ID=None, TENANTISO_CLIENT_ID=None, TENANTISO_CLIENT_SECRET=None,
            TENANTISO_BAP_ACCESS_TOKEN=tok))
        self.assertEqual(p.returncode, 0, p)
        self.assertNotIn(tok, p.stdout + p.stderr)

    def test_pull_retries_5xx_and_429(self):
        self.set_stored(policy_doc())
        self.arm_fault(path=POLICY_PATH, method="GET", kind="status", status=503, times=1)
        self.arm_fault(path=POLICY_PATH, method="GET", kind="status", status=429, retry_after="0", times=1)
        p = self.run_cli("pull")
        self.assertEqual(p.returncode, 0, p)
        statuses = [r["status"] for r in self.requests(method="GET") if r["path"] == POLICY_PATH]
        self.assertEqual(statuses, [503, 429, 200])

    def test_pull_service_errors_are_one_line_exit_3(self):
        self.arm_fault(path=POLICY_PATH, method="GET", kind="status", status=503, times=-1)
        p = self.run_cli("pull")
        self.assertEqual(p.returncode, 3, p)
        self.one_line_error(p, "BAP", "reading the tenant isolation policy", "503")
        self.control("DELETE", "/_fake/fail")
        self.arm_fault(path=POLICY_PATH, method="GET", kind="status", status=403, times=-1)
        p = self.run_cli("pull")
        self.assertEqual(p.returncode, 3, p)
        self.one_line_error(p, "BAP", "403", "does not have permission")
        self.control("DELETE", "/_fake/fail")
        self.arm_fault(path=POLICY_PATH, method="GET", kind="html", status=200, times=-1)
        p = self.run_cli("pull")
        self.assertEqual(p.returncode, 3, p)
        self.one_line_error(p, "BAP", "not a policy")
        for kind, words in (("truncate", ("closed before the whole response",)),
                            ("oversize", ("larger than the",)), ("empty", ("not a policy",)),
                            ("close", ("closed the connection without answering",))):
            self.control("DELETE", "/_fake/fail")
            self.arm_fault(path=POLICY_PATH, method="GET", kind=kind, times=-1)
            p = self.run_cli("pull")
            self.assertEqual(p.returncode, 3, (kind, p))
            self.one_line_error(p, "BAP", *words)

    def test_a_stalled_service_times_out_in_one_line(self):
        # The BAP takes the request and never answers: --timeout bounds each
        # attempt, the retries are bounded, and the failure says so (exit 3).
        self.set_stored(policy_doc())
        self.arm_fault(path=POLICY_PATH, method="GET", kind="stall", times=-1)
        start = time.monotonic()
        p = self.run_cli("pull", cli_timeout="1")
        elapsed = time.monotonic() - start
        self.control("POST", "/_fake/reset")  # releases the stalled requests
        self.assertEqual(p.returncode, 3, p)
        self.one_line_error(p, "BAP", "reading the tenant isolation policy", "timed out")
        self.assertLess(elapsed, 20, p)
        self.assertEqual(p.stdout, "", p)

    def test_every_request_carries_a_token_of_its_scope_fetched_once(self):
        self.config(put_mode="async", op_pending=[202, 409])
        pol = self.write("scope.json", policy_doc())
        p = self.run_cli("push", pol, "--yes")
        self.assertEqual(p.returncode, 0, p)
        st = self.stats()
        bap = [r for r in st["requests"] if r["route"] in ("policy", "operation")]
        self.assertGreaterEqual(len(bap), 6)  # GET (plan), PUT, 3 polls, GET (read-back)
        self.assertTrue(all(r["scope_ok"] and r["token_scope"] == BAP_SCOPE for r in bap), bap)
        self.assertEqual(len({r["token_id"] for r in bap}), 1, "one token, reused")
        self.assertEqual([t["scope"] for t in st["tokens"]], [BAP_SCOPE])

    # ---- plan ----
    def test_plan_lists_changes_and_exits_1(self):
        self.set_stored(policy_doc(entries=((TA, True, False), (TB, False, True))))
        pol = self.write("plan.json", policy_doc(entries=((TA, True, True), (TC, True, False))))
        p = self.run_cli("plan", pol)
        self.assertEqual(p.returncode, 1, p)
        self.assertIn(f"+ {TC}: inbound", p.stdout)
        self.assertIn(f"- {TB}: outbound", p.stdout)
        self.assertIn(f"~ {TA}: inbound -> inbound, outbound", p.stdout)
        self.assertIn("isolation: on (unchanged)", p.stdout)
        p = self.run_cli("plan", pol, "--json")
        got = json.loads(p.stdout)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(got["inSync"], False)
        self.assertEqual([e["tenantId"] for e in got["added"]], [TC])
        self.assertEqual([e["tenantId"] for e in got["removed"]], [TB])
        self.assertEqual(got["changed"][0]["to"], {"inbound": True, "outbound": True})
        # In sync whatever the order and the display names.
        same = self.write("same.json", policy_doc(entries=((TB, False, True), (TA, True, False))))
        p = self.run_cli("plan", same)
        self.assertEqual(p.returncode, 0, p)
        self.assertIn("in sync", p.stdout)
        self.assertEqual(self.requests(method="PUT"), [], "plan never writes")

    def test_plan_with_input_shows_connections_that_change_verdict(self):
        self.set_stored(policy_doc(entries=((TA, True, True),)))
        pol = self.write("tighter.json", policy_doc(entries=()))
        inp = self.write("page.json", page([(TA, "Outbound"), (TA, "Inbound"), (TB, "Outbound")]))
        p = self.run_cli("plan", pol, inp, "--json")
        self.assertEqual(p.returncode, 1, p)
        got = json.loads(p.stdout)
        self.assertEqual(got["connections"]["newlyBlocked"], 2, got)
        p = self.run_cli("plan", pol, inp)
        self.assertEqual(p.returncode, 1, p)
        self.assertIn(TA, p.stdout.split("connections of the input", 1)[1])

    # ---- push: refusals (nothing sent) ----
    def assert_nothing_written(self):
        self.assertEqual(self.requests(method="PUT"), [])

    def test_push_refuses_another_home_tenant(self):
        pol = self.write("other.json", policy_doc(tenant=OTHER))
        p = self.run_cli("push", pol, "--yes")
        self.assertEqual(p.returncode, 2, p)
        self.one_line_error(p, OTHER, HOME, "nothing pushed")
        self.assertEqual(self.stats()["requests"], [], "refused before any request")

    def test_push_refuses_more_than_500_rules(self):
        entries = [(f"{i:08x}-0000-4000-8000-000000000000", True, False) for i in range(1, 502)]
        pol = self.write("big.json", policy_doc(entries=entries))
        p = self.run_cli("push", pol, "--yes")
        self.assertEqual(p.returncode, 2, p)
        self.one_line_error(p, "501", "500", "nothing pushed")
        self.assertEqual(self.stats()["requests"], [])

    def test_push_refuses_an_invalid_policy(self):
        for doc in ('{"properties": {"tenantId": "' + HOME + '", "isDisabled": fals', '{"error": {"code": "x"}}',
                    {"properties": {"tenantId": HOME, "allowedTenants": [{"tenantId": "not-a-guid",
                                                                          "direction": {}}]}}):
            pol = self.write("bad.json", doc)
            p = self.run_cli("push", pol, "--yes")
            self.assertEqual(p.returncode, 2, p)
            self.one_line_error(p, "bad.json")
        self.assertEqual(self.stats()["requests"], [])

    def test_push_resolves_domains_first(self):
        doms = self.write("domains.json", {"fabrikam.example": TA})
        pol = self.write("dom.json", {"properties": {"tenantId": HOME, "isDisabled": False, "allowedTenants": [
            {"domain": "fabrikam.example", "direction": {"inbound": True, "outbound": False}}]}})
        p = self.run_cli("push", pol, "--yes", "--domains", doms)
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual(self.stored()["properties"]["allowedTenants"][0]["tenantId"], TA)
        # A domain that resolves nowhere: nothing goes to the BAP.
        self.control("POST", "/_fake/reset")
        pol = self.write("dom2.json", {"properties": {"tenantId": HOME, "isDisabled": False, "allowedTenants": [
            {"domain": "unknown.example", "direction": {"inbound": True, "outbound": False}}]}})
        p = self.run_cli("push", pol, "--yes", "--domains", doms, "--graph-url", self.svc.url)
        self.assertEqual(p.returncode, 2, p)
        self.one_line_error(p, "unknown.example")
        self.assertEqual([r for r in self.stats()["requests"] if r["route"] in ("policy", "operation")], [])

    def test_push_without_yes_only_plans(self):
        pol = self.write("noyes.json", policy_doc())
        p = self.run_cli("push", pol)
        self.assertEqual(p.returncode, 1, p)
        self.assertIn("not pushed", p.stdout)
        self.assertIn(f"--expect {EMPTY_SHA}", p.stdout)
        self.assert_nothing_written()
        self.assertIsNone(self.stored())

    def test_push_expect_refuses_when_someone_else_changed_the_policy(self):
        self.set_stored(policy_doc(entries=((TA, True, False),)))
        pol = self.write("mine.json", policy_doc(entries=((TA, True, False), (TB, True, True))))
        reviewed = self.plan_sha(pol)
        # Someone edits the policy in the admin centre after the review.
        theirs = policy_doc(entries=((TC, True, True),))
        self.set_stored(theirs)
        p = self.run_cli("push", pol, "--yes", "--expect", reviewed)
        self.assertEqual(p.returncode, 2, p)
        self.one_line_error(p, "changed since the plan", reviewed, "nothing pushed")
        self.assert_nothing_written()
        self.assertEqual(self.stored(), theirs)
        # With the hash of what is there now, it goes through.
        p = self.run_cli("push", pol, "--yes", "--expect", self.plan_sha(pol))
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual(len(self.stored()["properties"]["allowedTenants"]), 2)

    def test_push_expect_must_be_a_sha256(self):
        pol = self.write("exp.json", policy_doc())
        p = self.run_cli("push", pol, "--yes", "--expect", "abc")
        self.assertEqual(p.returncode, 2, p)
        self.one_line_error(p, "64 hexadecimal digits")
        self.assertEqual(self.stats()["requests"], [])

    def test_push_refuses_to_break_connections_unless_allowed(self):
        self.set_stored(policy_doc(entries=((TA, True, True),)))
        pol = self.write("break.json", policy_doc(entries=((TB, True, True),)))
        inp = self.write("break-page.json", page([(TA, "Outbound"), (TB, "Outbound")]))
        p = self.run_cli("push", pol, inp, "--yes")
        self.assertEqual(p.returncode, 1, p)
        self.one_line_error(p, "1 of 2 connections", "newly break", "nothing pushed", "--allow-breaking")
        self.assert_nothing_written()
        p = self.run_cli("push", pol, inp, "--yes", "--allow-breaking")
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual(self.stored()["properties"]["allowedTenants"][0]["tenantId"], TB)

    def test_push_refuses_when_input_records_cannot_be_evaluated(self):
        """A record without a verdict could hide a break: fail closed."""
        pol = self.write("err.json", policy_doc())
        inp = self.write("err-page.json", {"tenantId": HOME, "status": "Completed", "connections": [
            {"connectionType": "Outbound"}]})
        p = self.run_cli("push", pol, inp, "--yes", "--allow-breaking")
        self.assertEqual(p.returncode, 2, p)
        self.one_line_error(p, "could not be evaluated", "nothing pushed")
        self.assert_nothing_written()

    def test_push_in_sync_writes_nothing(self):
        self.set_stored(policy_doc())
        pol = self.write("sync.json", policy_doc())
        p = self.run_cli("push", pol, "--yes")
        self.assertEqual(p.returncode, 0, p)
        self.assertIn("nothing pushed", p.stdout)
        self.assert_nothing_written()

    # ---- push: the write and its polling paths ----
    def push_ok(self, **knobs):
        if knobs:
            self.config(**knobs)
        pol = self.write("push.json", policy_doc())
        p = self.run_cli("push", pol, "--yes")
        self.assertEqual(p.returncode, 0, p)
        self.assertIn("pushed", p.stdout)
        self.assertEqual(self.stored()["properties"]["allowedTenants"][1]["tenantId"], TB)
        return p

    def test_push_200(self):
        self.push_ok()
        self.assertEqual(len(self.requests(method="PUT")), 1)
        gets = [r for r in self.requests(route="policy", method="GET")]
        self.assertEqual(len(gets), 2, "the plan's GET and the read-back")

    def test_push_202_location(self):
        self.push_ok(put_mode="async", async_header="Location", op_pending=[202, 202], retry_after="0")
        self.assertEqual(len(self.requests(route="operation")), 3)

    def test_push_202_operation_location(self):
        self.push_ok(put_mode="async", async_header="Operation-Location", op_pending=[202], retry_after=None)
        self.assertEqual(len(self.requests(route="operation")), 2)

    def test_push_409_then_200(self):
        self.push_ok(put_mode="async", async_header="both", op_pending=[409, 409], retry_after="0")
        self.assertEqual([r["status"] for r in self.requests(route="operation")], [409, 409, 200])

    def test_push_honours_retry_after(self):
        self.push_ok(put_mode="async", op_pending=[202], retry_after="1.5")
        gaps = [r["gap"] for r in self.requests(route="operation")]
        self.assertGreaterEqual(gaps[1], 1.4, gaps)
        put = self.requests(method="PUT")[0]
        first = self.requests(route="operation")[0]
        self.assertGreaterEqual(first["wall"] - put["wall"], 1.4)

    def test_push_real_floor_clamps_retry_after_to_2_seconds(self):
        self.config(put_mode="async", op_pending=[202], retry_after="0")
        pol = self.write("floor.json", policy_doc())
        p = self.run_cli("push", pol, "--yes", env=self.env(TENANTISO_TEST_POLL_FLOOR_MS=None))
        self.assertEqual(p.returncode, 0, p)
        ops = self.requests(route="operation")
        self.assertGreaterEqual(ops[1]["gap"], 1.95, ops)

    def test_push_deadline(self):
        self.config(put_mode="async", op_pending=[202] * 200, retry_after="0")
        pol = self.write("deadline.json", policy_doc())
        t0 = time.monotonic()
        p = self.run_cli("push", pol, "--yes", "--wait", "1", env=self.env(TENANTISO_TEST_POLL_FLOOR_MS="200"))
        self.assertLess(time.monotonic() - t0, 20)
        self.assertEqual(p.returncode, 3, p)
        self.one_line_error(p, "not finished within", "the service now holds")

    def test_push_refuses_an_operation_url_on_another_host(self):
        for base in (self.svc.http_url, "https://evil.example:8443", self.svc.url.replace("127.0.0.1", "localhost")):
            self.control("POST", "/_fake/reset")
            self.config(put_mode="async", op_base_url=base, async_header="Operation-Location")
            pol = self.write("evil.json", policy_doc())
            p = self.run_cli("push", pol, "--yes")
            self.assertEqual(p.returncode, 3, p)
            self.one_line_error(p, "refused, not followed", "the service now holds")
            self.assertEqual(self.requests(route="operation"), [], base)

    def test_push_operation_failed(self):
        self.config(put_mode="async", op_result="failed", retry_after="0")
        pol = self.write("opfail.json", policy_doc())
        p = self.run_cli("push", pol, "--yes")
        self.assertEqual(p.returncode, 3, p)
        self.one_line_error(p, "the operation failed", "TenantIsolationPolicyUpdateFailed",
                            "the service now holds no policy")

    def test_push_refused_by_the_service_says_what_it_holds(self):
        self.set_stored(policy_doc(entries=((TC, True, True),)))
        self.config(max_rules=1)
        pol = self.write("svc400.json", policy_doc())
        p = self.run_cli("push", pol, "--yes")
        self.assertEqual(p.returncode, 3, p)
        self.one_line_error(p, "BAP", "writing the tenant isolation policy", "HTTP 400", "BadRequest",
                            "threshold limit", "another policy than the pushed one")

    def test_push_read_back_must_equal_what_was_pushed(self):
        for mode in ("drop_last_entry", "flip_disabled"):
            self.control("POST", "/_fake/reset")
            self.config(tamper=mode)
            pol = self.write("tamper.json", policy_doc())
            p = self.run_cli("push", pol, "--yes")
            self.assertEqual(p.returncode, 3, p)
            self.one_line_error(p, "not the one pushed")


    # ---- fetch-report ----
    def fetch_dir(self, name):
        d = os.path.join(self.tmp.name, name)
        os.makedirs(d)
        return d

    def test_fetch_report_waits_pages_and_report_reads_the_directory(self):
        self.config(report_connection_count=250, report_page_size=100)
        d = self.fetch_dir("pages")
        p = self.run_cli("fetch-report", "--output-dir", d)
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual(sorted(os.listdir(d)), ["page-0001.json", "page-0002.json", "page-0003.json"])
        self.assertIn("3 pages written", p.stderr)
        counts = [len(load(os.path.join(d, f))["connections"]) for f in sorted(os.listdir(d))]
        self.assertEqual(counts, [100, 100, 50])
        st = self.stats()
        statuses = [r["status"] for r in st["requests"] if r["route"] == "report"]
        self.assertEqual(len(statuses), 4, "two polls until Completed, then two more pages")
        pp = [r for r in st["requests"] if r["route"] in ("reports", "report")]
        self.assertTrue(all(r["scope_ok"] and r["token_scope"] == PP_SCOPE for r in pp), pp)
        self.assertEqual([t["scope"] for t in st["tokens"]], [PP_SCOPE], "one token for the audience, reused")
        pol = self.write("report-policy.json", policy_doc())
        r = subprocess.run([CLI, "report", pol, d, "--format", "json"], capture_output=True, text=True, timeout=60)
        self.assertIn(r.returncode, (0, 1), r)
        self.assertEqual(json.loads(r.stdout)["totals"]["connections"], 250)
        r = subprocess.run([CLI, "suggest", d], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(json.loads(r.stdout)["properties"]["tenantId"], HOME)
        r = subprocess.run([CLI, "diff", pol, pol, d, "--json"], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r)
        # Today's report exists now: fetch-report finds it (POST answers 200).
        d2 = self.fetch_dir("pages-again")
        p = self.run_cli("fetch-report", "--output-dir", d2)
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual(len(os.listdir(d2)), 3)

    def test_fetch_report_makes_a_missing_output_dir(self):
        d = os.path.join(self.tmp.name, "new-pages")
        p = self.run_cli("fetch-report", "--output-dir", d)
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual(sorted(os.listdir(d)), ["page-0001.json"])
        p = self.run_cli("fetch-report", "--output-dir", os.path.join(self.tmp.name, "no", "such"))
        self.assertEqual(p.returncode, 3, p)
        self.one_line_error(p, "cannot create the directory", "No such file or directory")

    def test_fetch_report_failed_is_exit_3_with_the_service_words(self):
        self.config(report_script=["Received", "InProgress", "Failed"], report_error="The report ran out of luck.")
        p = self.run_cli("fetch-report", "--output-dir", self.fetch_dir("failed"))
        self.assertEqual(p.returncode, 3, p)
        self.one_line_error(p, "Power Platform API", "failed", "ReportGenerationFailed", "ran out of luck")

    def test_fetch_report_older_status_field(self):
        self.config(report_status_field="reportStatus", report_connection_count=3)
        d = self.fetch_dir("older")
        p = self.run_cli("fetch-report", "--output-dir", d)
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual(os.listdir(d), ["page-0001.json"])

    def test_fetch_report_refuses_a_next_link_on_another_host(self):
        self.config(report_connection_count=150, report_page_size=100, next_link_base=self.svc.http_url)
        d = self.fetch_dir("foreign")
        p = self.run_cli("fetch-report", "--output-dir", d)
        self.assertEqual(p.returncode, 3, p)
        self.one_line_error(p, "@odata.nextLink", "refused, not followed")
        self.assertEqual([r for r in self.stats()["requests"] if r["listener"] == "http"], [])

    def test_fetch_report_by_id_list_and_unknown(self):
        ids = [self.control("POST", "/_fake/reports", {"day": day, "status": "Completed", "connection_count": 2})
               ["reportId"] for day in ("2026-01-01", "2026-01-02", "2026-01-03")]
        d = self.fetch_dir("by-id")
        p = self.run_cli("fetch-report", "--report", ids[1], "--output-dir", d)
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual(load(os.path.join(d, "page-0001.json"))["reportId"], ids[1])
        self.config(list_page_size=2)
        p = self.run_cli("fetch-report", "--list")
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual([line.split()[0] for line in p.stdout.splitlines()], ids)
        self.assertTrue(all(line.split()[1] == "Completed" for line in p.stdout.splitlines()))
        p = self.run_cli("fetch-report", "--report", "no-such-report", "--output-dir", d)
        self.assertEqual(p.returncode, 2, p)
        self.one_line_error(p, "no-such-report", "404")
        p = self.run_cli("fetch-report", "--report", "../x", "--output-dir", d)
        self.assertEqual(p.returncode, 2, p)
        self.assertEqual([r for r in self.stats()["requests"] if "x" in r["path"].split("/")[-1:]], [])

    def test_fetch_report_by_an_id_too_long_fetches_nothing(self):
        # --report was copied into 128 bytes: an ID of 130 characters was cut
        # to its first 127 and another report, named so, was fetched.
        short = "a" * 127
        self.control("POST", "/_fake/reports", {"day": "2026-01-01", "status": "Completed", "connection_count": 2,
                                                "reportId": short})
        d = self.fetch_dir("too-long")
        p = self.run_cli("fetch-report", "--report", short + "bcd", "--output-dir", d)
        self.assertEqual(p.returncode, 2, p)
        self.one_line_error(p, "1 to 127", "nothing sent")
        self.assertEqual(os.listdir(d), [])
        self.assertEqual([r for r in self.stats()["requests"] if r["route"] in ("report", "reports")], [])

    def test_fetch_report_list_prints_the_service_text_as_one_safe_line(self):
        # --list printed the service's reportId and status as they came:
        # terminal escapes reached the terminal and a newline forged a row.
        self.control("POST", "/_fake/reports", {"day": "2026-01-01", "status": "Completed\u001b[2J",
                                                "reportId": "r1\u001b]0;owned\u0007\nforged  Completed"})
        p = self.run_cli("fetch-report", "--list")
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual(len(p.stdout.splitlines()), 1, p.stdout)
        self.assertFalse(any(c in p.stdout for c in "\u001b\u0007"), repr(p.stdout))
        self.assertTrue(p.stdout.startswith("r1"), repr(p.stdout))

    def test_fetch_report_deadline(self):
        self.config(report_script=["Received", "InProgress"])
        p = self.run_cli("fetch-report", "--output-dir", self.fetch_dir("slow"), "--wait", "1",
                         env=self.env(TENANTISO_TEST_POLL_FLOOR_MS="200"))
        self.assertEqual(p.returncode, 3, p)
        self.one_line_error(p, "still 'InProgress'", "--report")


    # ---- device-code sign-in ----
    def device_env(self):
        return self.env(TENANTISO_CLIENT_ID=fake.PUBLIC_CLIENT_ID, TENANTISO_CLIENT_SECRET=None)

    def test_device_code_pending_then_granted(self):
        self.set_stored(policy_doc())
        p = self.run_cli("pull", "--device-code", env=self.device_env())
        self.assertEqual(p.returncode, 0, p)
        self.assertIn("https://microsoft.com/devicelogin", p.stderr)
        self.assertRegex(p.stderr, r"FK\d{7}")
        self.assertNotIn("FK", p.stdout, "the prompt goes to stderr")
        st = self.stats()
        polls = st["device_polls"]
        self.assertEqual([d["outcome"] for d in polls], ["authorization_pending", "grant"])
        self.assertFalse(any(d["early"] for d in polls), polls)
        self.assertEqual([(t["scope"], t["grant"]) for t in st["tokens"]],
                         [(BAP_SCOPE, "urn:ietf:params:oauth:grant-type:device_code")])
        bap = [r for r in st["requests"] if r["route"] == "policy"]
        self.assertTrue(bap and all(r["scope_ok"] for r in bap))

    def test_device_code_slow_down_waits_longer(self):
        self.config(device_script=["slow_down", "grant"], slow_down_increment=2)
        p = self.run_cli("pull", "--device-code", env=self.device_env())
        self.assertEqual(p.returncode, 0, p)
        polls = self.stats()["device_polls"]
        self.assertEqual([d["outcome"] for d in polls], ["slow_down", "grant"])
        self.assertFalse(any(d["early"] for d in polls), polls)
        self.assertGreaterEqual(polls[1]["gap"], 3.0, "slow_down: at least the raised interval")

    def test_device_code_expired_or_denied(self):
        for outcome, words in (("expired_token", "expired"), ("access_denied", "sign-in was declined"),
                               ("authorization_declined", "sign-in was declined")):
            self.control("POST", "/_fake/reset")
            self.config(device_script=["authorization_pending", outcome])
            p = self.run_cli("pull", "--device-code", env=self.device_env())
            self.assertEqual(p.returncode, 3, p)
            self.one_line_error(p, "device-code sign-in", words, outcome)
            self.assertEqual([r for r in self.stats()["requests"] if r["route"] == "policy"], [])

    def test_device_code_needs_a_client_id(self):
        p = self.run_cli("pull", "--device-code", env=self.env(TENANTISO_CLIENT_ID=None))
        self.assertEqual(p.returncode, 2, p)
        self.one_line_error(p, "TENANTISO_CLIENT_ID")


if __name__ == "__main__":
    unittest.main()
