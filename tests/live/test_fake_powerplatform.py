"""Checks the fake Power Platform service (fake_powerplatform.py) itself, over
its own TLS with urllib, so the live-service tests can trust what it plays.

    python3 -m unittest tests/live/test_fake_powerplatform.py -v
"""

import email.utils
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from collections import namedtuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fake_powerplatform as fake  # noqa: E402

HOME = fake.HOME_TENANT
OTHER = "99999999-9999-4999-8999-999999999999"
BAP = "https://service.powerapps.com/.default"
PPAPI = "https://api.powerplatform.com/.default"
POLICY = f"/providers/PowerPlatform.Governance/v1/tenants/{HOME}/tenantIsolationPolicy"
REPORTS = "/governance/crossTenantConnectionReports"
PV = "?api-version=2020-06-01"
RV = "?api-version=2022-03-01-preview"
TA = "11111111-1111-1111-1111-111111111111"
TB = "22222222-2222-2222-2222-222222222222"

Resp = namedtuple("Resp", "status headers body")


def policy_doc(tenant=HOME, entries=((TA, True, False), (TB, False, True)), disabled=False):
    return {"properties": {"tenantId": tenant, "isDisabled": disabled, "allowedTenants": [
        {"tenantId": t, "direction": {"inbound": i, "outbound": o}} for t, i, o in entries]}}


def jbody(resp):
    return json.loads(resp.body)


class FakeServiceTest(unittest.TestCase):
    """One fake for the whole class; every test starts from a reset."""

    @classmethod
    def setUpClass(cls):
        cls.svc = fake.start_server(http=True)
        cls.ctx = ssl.create_default_context(cafile=cls.svc.ca_file)

    @classmethod
    def tearDownClass(cls):
        cls.svc.stop()

    def setUp(self):
        self.control("POST", "/_fake/reset")

    # ---- helpers ----
    def call(self, method, url, body=None, token=None, headers=None, timeout=10, ctx=None, form=None):
        """(status, headers, body) of one request, whatever the status."""
        if not url.startswith("http"):
            url = self.svc.url + url
        hdrs = dict(headers or {})
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        elif isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        elif body is not None:
            data = body.encode() if isinstance(body, str) else body
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                             urllib.request.HTTPSHandler(context=ctx or self.ctx))
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with opener.open(req, timeout=timeout) as r:
                return Resp(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Resp(e.code, e.headers, e.read())

    def control(self, method, path, body=None, expect=200):
        resp = self.call(method, path, body)
        self.assertEqual(resp.status, expect, resp.body)
        return jbody(resp)

    def config(self, **knobs):
        return self.control("POST", "/_fake/config", knobs)

    def fail(self, **fault):
        return self.control("POST", "/_fake/fail", fault)

    def stats(self):
        return self.control("GET", "/_fake/stats")

    def token(self, scope=BAP, tenant=HOME, secret=fake.CLIENT_SECRET):
        return self.call("POST", f"/{tenant}/oauth2/v2.0/token", form={
            "grant_type": "client_credentials", "client_id": fake.CLIENT_ID, "client_secret": secret,
            "scope": scope})

    def access(self, scope=BAP, tenant=HOME):
        resp = self.token(scope, tenant)
        self.assertEqual(resp.status, 200, resp.body)
        return jbody(resp)["access_token"]

    def put_policy(self, doc, token=None):
        return self.call("PUT", POLICY + PV, doc, token or self.access())

    def get_policy(self, token=None):
        return self.call("GET", POLICY + PV, token=token or self.access())


class LoginTest(FakeServiceTest):
    def test_client_credentials_token_remembers_its_scope_and_tenant(self):
        resp = self.token(PPAPI)
        self.assertEqual(resp.status, 200)
        body = jbody(resp)
        self.assertEqual((body["token_type"], body["expires_in"]), ("Bearer", 3599))
        self.assertTrue(body["access_token"])
        (tok,) = self.stats()["tokens"]
        self.assertEqual((tok["scope"], tok["tenant"], tok["grant"]), (PPAPI, HOME, "client_credentials"))

    def test_wrong_secret_is_invalid_client(self):
        resp = self.token(secret="not-it")
        self.assertEqual(resp.status, 401)
        body = jbody(resp)
        self.assertEqual(body["error"], "invalid_client")
        self.assertTrue(body["error_description"].startswith("AADSTS7000215: Invalid client secret provided."))
        self.assertNotIn(b"not-it", resp.body)

    def test_unknown_client_and_bad_scope_and_grant(self):
        resp = self.call("POST", f"/{HOME}/oauth2/v2.0/token", form={
            "grant_type": "client_credentials", "client_id": "someone", "client_secret": "x", "scope": BAP})
        self.assertEqual((resp.status, jbody(resp)["error"]), (400, "unauthorized_client"))
        resp = self.token(scope="https://service.powerapps.com/user_impersonation")
        self.assertEqual((resp.status, jbody(resp)["error"]), (400, "invalid_scope"))
        resp = self.call("POST", f"/{HOME}/oauth2/v2.0/token", form={"grant_type": "password"})
        self.assertEqual((resp.status, jbody(resp)["error"]), (400, "unsupported_grant_type"))

    def test_sign_in_at_organizations_gets_the_default_tenant(self):
        self.access(BAP, tenant="organizations")
        self.assertEqual(self.stats()["tokens"][0]["tenant"], HOME)

    def start_device(self, scope=BAP):
        resp = self.call("POST", f"/{HOME}/oauth2/v2.0/devicecode",
                         form={"client_id": fake.PUBLIC_CLIENT_ID, "scope": scope})
        self.assertEqual(resp.status, 200, resp.body)
        return jbody(resp)

    def poll(self, device_code, client_id=fake.PUBLIC_CLIENT_ID):
        return self.call("POST", f"/{HOME}/oauth2/v2.0/token", form={
            "grant_type": fake.DEVICE_GRANT, "client_id": client_id, "device_code": device_code})

    def test_device_code_answer(self):
        body = self.start_device()
        for key in ("device_code", "user_code", "verification_uri", "expires_in", "interval", "message"):
            self.assertIn(key, body)
        self.assertEqual(body["interval"], 1)
        self.assertIn(body["user_code"], body["message"])
        resp = self.call("POST", f"/{HOME}/oauth2/v2.0/devicecode", form={"client_id": "nobody", "scope": BAP})
        self.assertEqual((resp.status, jbody(resp)["error"]), (400, "unauthorized_client"))

    def test_device_script_pending_slow_down_then_granted_with_waits_recorded(self):
        self.config(device_script=["authorization_pending", "slow_down", "authorization_pending", "grant"],
                    slow_down_increment=1)
        code = self.start_device()["device_code"]
        outcomes = []
        for wait in (1.05, 0, 2.05, 1.05):  # on time, too early, on time (2 s after slow_down), too early
            time.sleep(wait)
            resp = self.poll(code)
            outcomes.append(jbody(resp).get("error") or "token")
        self.assertEqual(outcomes, ["authorization_pending", "slow_down", "authorization_pending", "token"])
        self.assertTrue(jbody(resp)["access_token"])
        polls = self.stats()["device_polls"]
        self.assertEqual([p["required"] for p in polls], [1, 1, 2, 2])
        self.assertEqual([p["early"] for p in polls], [False, True, False, True])
        self.assertGreaterEqual(polls[2]["gap"], 2.0)
        self.assertEqual(jbody(self.poll(code))["error"], "invalid_grant")  # redeemed already
        tok = self.stats()["tokens"][0]
        self.assertEqual((tok["scope"], tok["grant"]), (BAP, fake.DEVICE_GRANT))

    def test_device_script_ends_expired_or_denied_and_repeats_its_last_step(self):
        for last in ("expired_token", "access_denied", "authorization_declined"):
            self.config(device_script=["authorization_pending", last], device_interval=0)
            code = self.start_device()["device_code"]
            errors = [jbody(self.poll(code))["error"] for _ in range(3)]
            self.assertEqual(errors, ["authorization_pending", last, last])
        self.assertEqual(jbody(self.poll("no-such-code"))["error"], "bad_verification_code")

    def test_early_poll_can_be_answered_slow_down(self):
        self.config(device_script=["grant"], device_early_slow_down=True, slow_down_increment=0)
        code = self.start_device()["device_code"]
        self.assertEqual(jbody(self.poll(code))["error"], "slow_down")  # at once: too early
        time.sleep(1.05)
        self.assertIn("access_token", jbody(self.poll(code)))
        self.assertEqual([p["outcome"] for p in self.stats()["device_polls"]], ["slow_down", "grant"])

    def test_device_code_expires_by_time(self):
        self.config(device_expires_in=0, device_interval=0)
        code = self.start_device()["device_code"]
        self.assertEqual(jbody(self.poll(code))["error"], "expired_token")

    def test_refresh_token_gets_another_audience(self):
        self.config(device_script=["grant"], device_interval=0)
        code = self.start_device(BAP + " offline_access")["device_code"]
        granted = jbody(self.poll(code))
        self.assertIn("refresh_token", granted)
        resp = self.call("POST", f"/{HOME}/oauth2/v2.0/token", form={
            "grant_type": "refresh_token", "client_id": fake.PUBLIC_CLIENT_ID,
            "refresh_token": granted["refresh_token"], "scope": PPAPI})
        self.assertEqual(resp.status, 200, resp.body)
        self.assertEqual(self.call("POST", REPORTS + RV, token=jbody(resp)["access_token"]).status, 202)
        resp = self.call("POST", f"/{HOME}/oauth2/v2.0/token", form={
            "grant_type": "refresh_token", "client_id": fake.PUBLIC_CLIENT_ID, "refresh_token": "x",
            "scope": PPAPI})
        self.assertEqual(jbody(resp)["error"], "invalid_grant")

    def test_other_clouds_scopes_are_configurable(self):
        self.config(bap_scope="https://high.service.powerapps.us/.default")
        self.assertEqual(self.get_policy(self.access(BAP)).status, 401)
        self.assertEqual(self.get_policy(self.access("https://high.service.powerapps.us/.default")).status, 404)


class PolicyTest(FakeServiceTest):
    def test_no_policy_is_404_with_a_service_error(self):
        resp = self.get_policy()
        self.assertEqual(resp.status, 404)
        err = jbody(resp)["error"]
        self.assertTrue(err["code"] and err["message"])

    def test_api_version_must_be_the_configured_one(self):
        tok = self.access()
        self.assertEqual(jbody(self.call("GET", POLICY, token=tok))["error"]["code"], "MissingApiVersionParameter")
        resp = self.call("GET", POLICY + "?api-version=2019-01-01", token=tok)
        self.assertEqual((resp.status, jbody(resp)["error"]["code"]), (400, "InvalidApiVersionParameter"))
        self.config(policy_api_version="2021-01-01")
        self.assertEqual(self.call("GET", POLICY + PV, token=tok).status, 400)
        self.assertEqual(self.call("GET", POLICY + "?api-version=2021-01-01", token=tok).status, 404)
        self.config(policy_api_version=None, put_mode="async")  # as the Terraform provider calls it
        self.assertEqual(self.call("GET", POLICY, token=tok).status, 404)
        location = self.put_policy(policy_doc(), tok).headers["Location"]
        self.assertNotIn("?", location)

    def test_tokens_are_checked_for_presence_audience_and_tenant(self):
        self.assertEqual(self.call("GET", POLICY + PV).status, 401)
        self.assertEqual(self.call("GET", POLICY + PV, token="made-up").status, 401)
        resp = self.get_policy(self.access(PPAPI))
        self.assertEqual((resp.status, jbody(resp)["error"]["code"]), (401, "InvalidAuthenticationTokenAudience"))
        self.assertEqual(self.get_policy(self.access(BAP, tenant=OTHER)).status, 403)
        recs = self.stats()["requests"]
        policy = [r for r in recs if r["route"] == "policy"]
        self.assertEqual([r["auth"] for r in policy], ["none", "unknown", "bearer", "bearer"])
        self.assertEqual(policy[2]["scope_ok"], False)
        self.assertEqual(policy[2]["expected_scope"], BAP)

    def test_put_sync_echoes_other_bytes_and_get_is_stable(self):
        sent = json.dumps(policy_doc()).encode()
        resp = self.put_policy(sent)
        self.assertEqual(resp.status, 200, resp.body)
        self.assertNotEqual(resp.body, sent)
        self.assertEqual(jbody(resp)["properties"], policy_doc()["properties"])
        first, second = self.get_policy(), self.get_policy()
        self.assertEqual(first.status, 200)
        self.assertEqual(first.body, second.body)
        self.assertEqual(jbody(first)["properties"], policy_doc()["properties"])

    def test_put_refuses_bad_bodies(self):
        tok = self.access()
        cases = [b"{not json", json.dumps({"tenantId": HOME}).encode(), json.dumps(policy_doc(OTHER)).encode(),
                 json.dumps(policy_doc(entries=(("fabrikam.com", True, True),))).encode(),
                 json.dumps({"properties": {"tenantId": HOME, "allowedTenants": [{"domain": "fabrikam.com"}]}})]
        for body in cases:
            resp = self.call("PUT", POLICY + PV, body, tok)
            self.assertEqual(resp.status, 400, body)
            self.assertTrue(jbody(resp)["error"]["message"])
        many = policy_doc(entries=[(f"{i:08x}-0000-4000-8000-000000000000", True, True) for i in range(501)])
        resp = self.call("PUT", POLICY + PV, many, tok)
        self.assertEqual(resp.status, 400)
        self.assertIn("threshold limit for rules is 500", jbody(resp)["error"]["message"])
        self.assertEqual(self.get_policy(tok).status, 404)  # nothing stored

    def poll_until_done(self, url, tok, limit=10):
        statuses = []
        for _ in range(limit):
            resp = self.call("GET", url, token=tok)
            statuses.append(resp.status)
            if resp.status not in (202, 409):
                return statuses, resp
        self.fail("the operation never finished")

    def test_put_async_202_then_409_then_200_policy_visible_when_done(self):
        self.config(put_mode="async", op_pending=[202, 409], retry_after="0")
        tok = self.access()
        resp = self.put_policy(policy_doc(), tok)
        self.assertEqual(resp.status, 202)
        self.assertEqual(resp.headers["Retry-After"], "0")
        self.assertIsNone(resp.headers["Operation-Location"])
        location = resp.headers["Location"]
        self.assertTrue(location.startswith(self.svc.url + POLICY + "/operations/"), location)
        self.assertEqual(self.get_policy(tok).status, 404)  # not yet
        statuses, done = self.poll_until_done(location, tok)
        self.assertEqual(statuses, [202, 409, 200])
        self.assertEqual(jbody(done)["status"], "Succeeded")
        self.assertEqual(jbody(self.get_policy(tok))["properties"], policy_doc()["properties"])
        stats = self.stats()
        self.assertEqual(stats["operations"][0]["polls"], 3)
        path = urllib.parse.urlsplit(location)
        self.assertEqual(stats["hits"][f"GET {path.path}?{path.query}"], 3)

    def test_stats_show_how_long_the_client_waited_between_polls(self):
        self.config(put_mode="async", op_pending=[202, 202])
        tok = self.access()
        location = self.put_policy(policy_doc(), tok).headers["Location"]
        for wait in (0, 0.3, 0.1):
            time.sleep(wait)
            self.call("GET", location, token=tok)
        polls = [r for r in self.stats()["requests"] if r["route"] == "operation"]
        self.assertIsNone(polls[0]["gap"])
        self.assertGreaterEqual(polls[1]["gap"], 0.3)
        self.assertGreaterEqual(polls[2]["gap"], 0.1)

    def test_operation_location_only_or_both_and_visible_at_put(self):
        self.config(put_mode="async", async_header="Operation-Location", visible_at="put")
        tok = self.access()
        resp = self.put_policy(policy_doc(), tok)
        self.assertIsNone(resp.headers["Location"])
        self.assertEqual(self.get_policy(tok).status, 200)  # already visible
        self.assertEqual(self.poll_until_done(resp.headers["Operation-Location"], tok)[0], [202, 200])
        self.config(async_header="both")
        resp = self.put_policy(policy_doc(disabled=True), tok)
        self.assertEqual(resp.headers["Location"], resp.headers["Operation-Location"])

    def test_operation_can_fail_and_the_policy_stays(self):
        tok = self.access()
        self.put_policy(policy_doc(entries=()), tok)
        before = self.get_policy(tok).body
        self.config(put_mode="async", op_pending=[], op_result="failed", visible_at="put")
        _, done = self.poll_until_done(self.put_policy(policy_doc(), tok).headers["Location"], tok)
        self.assertEqual((done.status, jbody(done)["status"]), (200, "Failed"))
        self.assertTrue(jbody(done)["error"]["message"])
        self.assertEqual(self.get_policy(tok).body, before)
        self.config(op_result=500)
        statuses, done = self.poll_until_done(self.put_policy(policy_doc(), tok).headers["Location"], tok)
        self.assertEqual(statuses, [500])
        self.assertEqual(self.get_policy(tok).body, before)

    def test_retry_after_variants(self):
        self.config(put_mode="async", op_pending=[202])
        tok = self.access()
        for value, check in ((86400, "86400"), (0.5, "0.5"), ("Soon", "Soon")):
            self.config(retry_after=value)
            self.assertEqual(self.put_policy(policy_doc(), tok).headers["Retry-After"], check)
        self.config(retry_after="date+120")
        when = email.utils.parsedate_to_datetime(self.put_policy(policy_doc(), tok).headers["Retry-After"])
        self.assertAlmostEqual(when.timestamp() - time.time(), 120, delta=5)
        self.config(retry_after=None)
        location = self.put_policy(policy_doc(), tok).headers["Location"]
        resp = self.call("GET", location, token=tok)
        self.assertEqual(resp.status, 202)
        self.assertIsNone(resp.headers["Retry-After"])

    def test_operation_url_on_a_foreign_host(self):
        self.config(put_mode="async", op_base_url="https://evil.example:8443")
        location = self.put_policy(policy_doc()).headers["Location"]
        self.assertTrue(location.startswith("https://evil.example:8443/providers/"), location)

    def test_operation_of_another_tenant_or_unknown_is_404(self):
        self.config(put_mode="async")
        location = self.put_policy(policy_doc()).headers["Location"]
        other = location.replace(HOME, OTHER)
        self.assertEqual(self.call("GET", other, token=self.access(BAP, OTHER)).status, 404)

    def test_someone_else_changes_the_policy(self):
        tok = self.access()
        self.put_policy(policy_doc(), tok)
        before = self.get_policy(tok).body
        theirs = policy_doc(entries=((TA, True, True),))
        self.control("PUT", f"/_fake/policy/{HOME}", theirs)
        after = self.get_policy(tok)
        self.assertNotEqual(after.body, before)
        self.assertEqual(jbody(after)["properties"], theirs["properties"])
        self.assertEqual(self.control("GET", f"/_fake/policy/{HOME}"), theirs)
        self.control("DELETE", f"/_fake/policy/{HOME}")
        self.assertEqual(self.get_policy(tok).status, 404)
        self.control("GET", f"/_fake/policy/{HOME}", expect=404)

    def test_tampering_service_echoes_what_was_pushed_but_holds_less(self):
        self.config(tamper="drop_last_entry")
        tok = self.access()
        resp = self.put_policy(policy_doc(), tok)
        self.assertEqual(len(jbody(resp)["properties"]["allowedTenants"]), 2)  # the echo
        self.assertEqual(len(jbody(self.get_policy(tok))["properties"]["allowedTenants"]), 1)  # the truth
        self.config(tamper="flip_disabled")
        self.put_policy(policy_doc(), tok)
        self.assertTrue(jbody(self.get_policy(tok))["properties"]["isDisabled"])

    def test_lowercase_ids_and_extra_fields(self):
        self.config(lowercase_ids=True)
        self.put_policy(policy_doc(entries=(("AAAAAAAA-1111-1111-1111-111111111111", True, True),)))
        got = jbody(self.get_policy())
        self.assertEqual(got["properties"]["allowedTenants"][0]["tenantId"], "aaaaaaaa-1111-1111-1111-111111111111")
        self.assertIn("id", got)
        self.config(echo_extra=False)
        self.assertNotIn("id", jbody(self.get_policy()))


class ReportTest(FakeServiceTest):
    def post(self, tok):
        return self.call("POST", REPORTS + RV, token=tok)

    def test_one_report_per_tenant_per_day(self):
        tok = self.access(PPAPI)
        first = self.post(tok)
        self.assertEqual(first.status, 202)
        body = jbody(first)
        self.assertEqual((body["status"], body["tenantId"]), ("Received", HOME))
        for key in ("reportId", "requestDate", "startDate", "endDate"):
            self.assertIn(key, body)
        again = self.post(tok)
        self.assertEqual((again.status, jbody(again)["reportId"]), (200, body["reportId"]))
        other = self.post(self.access(PPAPI, OTHER))
        self.assertNotEqual(jbody(other)["reportId"], body["reportId"])
        self.config(today="2099-01-02", report_create_status=200)
        tomorrow = self.post(tok)
        self.assertEqual(tomorrow.status, 200)
        self.assertNotEqual(jbody(tomorrow)["reportId"], body["reportId"])

    def read_all_pages(self, url, tok):
        pages = []
        while url:
            resp = self.call("GET", url, token=tok)
            self.assertEqual(resp.status, 200, resp.body)
            pages.append(jbody(resp))
            url = pages[-1].get("@odata.nextLink")
        return pages

    def test_report_goes_received_inprogress_completed_and_pages(self):
        self.config(report_connection_count=7, report_page_size=3)
        tok = self.access(PPAPI)
        rid = jbody(self.post(tok))["reportId"]
        url = f"{REPORTS}/{rid}{RV}"
        statuses = [jbody(self.call("GET", url, token=tok))["status"] for _ in range(3)]
        self.assertEqual(statuses, ["InProgress", "Completed", "Completed"])
        pages = self.read_all_pages(self.svc.url + url, tok)
        self.assertEqual([len(p["connections"]) for p in pages], [3, 3, 1])
        for page in pages:
            self.assertEqual((page["reportId"], page["tenantId"], page["status"]), (rid, HOME, "Completed"))
        entries = [c for p in pages for c in p["connections"]]
        self.assertEqual(entries, fake.sample_connections(7, HOME))
        self.assertEqual({c["connectionType"] for c in entries}, {"Inbound", "Outbound"})
        self.assertTrue(pages[0]["@odata.nextLink"].startswith(self.svc.url + f"{REPORTS}/{rid}?api-version="))

    def test_report_fails_with_a_message(self):
        self.config(report_script=["Received", "Failed"], report_error="Out of quota.")
        tok = self.access(PPAPI)
        rid = jbody(self.post(tok))["reportId"]
        body = jbody(self.call("GET", f"{REPORTS}/{rid}{RV}", token=tok))
        self.assertEqual((body["status"], body["error"]["message"]), ("Failed", "Out of quota."))
        self.assertNotIn("connections", body)

    def test_older_field_name_and_custom_connections(self):
        mine = [{"tenantId": TA, "connectionType": "Outbound"}]
        self.config(report_status_field="reportStatus", report_script=["Completed"], report_connections=mine)
        tok = self.access(PPAPI)
        rid = jbody(self.post(tok))["reportId"]
        body = jbody(self.call("GET", f"{REPORTS}/{rid}{RV}", token=tok))
        self.assertNotIn("status", body)
        self.assertEqual((body["reportStatus"], body["connections"]), ("Completed", mine))

    def test_next_link_on_a_foreign_host(self):
        self.config(report_script=["Completed"], report_page_size=2, next_link_base="https://evil.example")
        tok = self.access(PPAPI)
        rid = jbody(self.post(tok))["reportId"]
        body = jbody(self.call("GET", f"{REPORTS}/{rid}{RV}", token=tok))
        self.assertTrue(body["@odata.nextLink"].startswith("https://evil.example/governance/"))

    def test_listing_pages(self):
        ids = [self.control("POST", "/_fake/reports", {"day": f"2025-05-0{d}"})["reportId"] for d in range(1, 6)]
        self.control("POST", "/_fake/reports", {"tenantId": OTHER})
        self.config(list_page_size=2)
        pages = self.read_all_pages(self.svc.url + REPORTS + RV, self.access(PPAPI))
        self.assertEqual([len(p["value"]) for p in pages], [2, 2, 1])
        self.assertEqual([r["reportId"] for p in pages for r in p["value"]], ids)
        self.assertNotIn("connections", pages[0]["value"][0])

    def test_seeded_report_by_id_and_errors(self):
        rid = self.control("POST", "/_fake/reports", {"connection_count": 2, "reportId": "my-report"})["reportId"]
        tok = self.access(PPAPI)
        body = jbody(self.call("GET", f"{REPORTS}/{rid}{RV}", token=tok))
        self.assertEqual((body["reportId"], len(body["connections"])), ("my-report", 2))
        self.assertEqual(self.call("GET", f"{REPORTS}/nope{RV}", token=tok).status, 404)
        self.assertEqual(self.call("GET", f"{REPORTS}/{rid}{RV}", token=self.access(PPAPI, OTHER)).status, 404)
        self.assertEqual(self.call("GET", f"{REPORTS}/{rid}", token=tok).status, 400)
        self.assertEqual(self.call("GET", f"{REPORTS}/{rid}{RV}", token=self.access(BAP)).status, 401)
        self.assertEqual(self.call("GET", f"{REPORTS}/{rid}{RV}&$skiptoken=x", token=tok).status, 400)


class FaultTest(FakeServiceTest):
    def test_429_with_each_kind_of_retry_after_then_normal(self):
        tok = self.access()
        for value in (2, 0.25, "date+3"):
            self.fail(path=POLICY, kind="status", status=429, retry_after=value, times=2)
            first, second, third = (self.get_policy(tok) for _ in range(3))
            self.assertEqual((first.status, second.status, third.status), (429, 429, 404))
            self.assertEqual(jbody(first)["error"]["code"], "TooManyRequests")
            header = first.headers["Retry-After"]
            if value == "date+3":
                self.assertIsNotNone(email.utils.parsedate_to_datetime(header))
            else:
                self.assertEqual(header, str(value))

    def test_each_error_status_once(self):
        tok = self.access()
        for status in (404, 409, 500, 502, 503, 504, 403):
            self.fail(path=POLICY, status=status)
            resp = self.get_policy(tok)
            self.assertEqual(resp.status, status)
            self.assertTrue(jbody(resp)["error"]["code"])
        self.assertIn("does not have permission to access the path", jbody(resp)["error"]["message"])

    def test_method_skip_and_global_faults(self):
        tok = self.access()
        self.fail(path=POLICY, method="GET", skip=1, status=500)
        self.assertEqual(self.put_policy(policy_doc(), tok).status, 200)  # a PUT: not this fault
        self.assertEqual(self.get_policy(tok).status, 200)  # skipped
        self.assertEqual(self.get_policy(tok).status, 500)
        self.fail(status=503, times=-1)  # every path, the login service too
        self.assertEqual(self.token().status, 503)
        self.assertEqual(self.get_policy(tok).status, 503)
        self.control("DELETE", "/_fake/fail")
        self.assertEqual(self.token().status, 200)
        recs = self.stats()["requests"]
        self.assertEqual([(r["route"], r["fault"]) for r in recs[-3:]],
                         [(None, "status"), (None, "status"), ("token", None)])  # a fault answers before routing

    def test_stall_never_answers_until_reset(self):
        self.fail(path=POLICY, kind="stall")
        started = time.monotonic()
        with self.assertRaises((TimeoutError, socket.timeout, urllib.error.URLError)):
            self.call("GET", POLICY + PV, timeout=0.5)
        self.assertLess(time.monotonic() - started, 3)
        self.control("POST", "/_fake/reset")  # lets the stalled handler go
        self.assertEqual(self.get_policy().status, 404)

    def test_delay_answers_late(self):
        self.fail(path=POLICY, kind="delay", delay_ms=300)
        tok = self.access()
        started = time.monotonic()
        self.assertEqual(self.get_policy(tok).status, 404)
        self.assertGreaterEqual(time.monotonic() - started, 0.3)

    def test_truncated_body(self):
        self.fail(path=POLICY, kind="truncate")
        with self.assertRaises((http.client.IncompleteRead, ssl.SSLError, ConnectionError)):
            self.get_policy()

    def test_oversized_body(self):
        tok = self.access()
        self.fail(path=POLICY, kind="oversize")
        resp = self.get_policy(tok)
        self.assertEqual((resp.status, len(resp.body)), (200, 5 * 1024 * 1024))
        self.assertEqual(resp.headers["Content-Length"], str(5 * 1024 * 1024))
        self.fail(path=POLICY, kind="oversize", size=100000, chunked=True)
        resp = self.get_policy(tok)
        self.assertEqual(len(resp.body), 100000)
        self.assertIsNone(resp.headers["Content-Length"])

    def test_html_and_empty_and_close(self):
        tok = self.access()
        self.fail(path=POLICY, kind="html")
        resp = self.get_policy(tok)
        self.assertEqual((resp.status, resp.headers.get_content_type()), (502, "text/html"))
        self.assertTrue(resp.body.startswith(b"<!DOCTYPE html>"))
        self.fail(path=POLICY, kind="html", status=200, content_type="application/json")
        resp = self.get_policy(tok)
        self.assertEqual(resp.status, 200)
        with self.assertRaises(ValueError):
            json.loads(resp.body)
        self.fail(path=POLICY, kind="empty")
        resp = self.get_policy(tok)
        self.assertEqual((resp.status, resp.body), (200, b""))
        self.fail(path=POLICY, kind="close")
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError, urllib.error.URLError)):
            self.get_policy(tok)

    def test_custom_body(self):
        self.fail(path=f"/{HOME}/oauth2", status=400, body={"error": "invalid_request"})
        self.assertEqual(jbody(self.token()), {"error": "invalid_request"})


class ControlTest(FakeServiceTest):
    def test_config_refuses_typos_and_reset_restores(self):
        self.assertIn("unknown", self.control("POST", "/_fake/config", {"put_mod": "async"}, expect=400)["error"])
        self.control("POST", "/_fake/config", {"put_mode": "later"}, expect=400)
        self.control("POST", "/_fake/config", {"op_result": 200}, expect=400)
        self.control("POST", "/_fake/fail", {"kind": "explode"}, expect=400)
        self.control("POST", "/_fake/fail", {"path": 7}, expect=400)
        self.control("POST", "/_fake/reports", {"tenantId": 7}, expect=400)
        self.assertEqual(self.config(put_mode="async")["put_mode"], "async")
        self.control("POST", "/_fake/reset")
        self.assertEqual(self.control("GET", "/_fake/config"), fake.DEFAULTS)

    def test_stats_record_every_request_without_secrets(self):
        raw = self.access()
        self.get_policy(raw)
        self.get_policy(raw)
        # A careless client putting the secret in a URL: recorded, redacted.
        self.call("GET", f"/nowhere?client_secret={urllib.parse.quote(fake.CLIENT_SECRET)}&t={raw}")
        stats = self.stats()
        text = json.dumps(stats)
        for secret in (raw, fake.CLIENT_SECRET, urllib.parse.quote(fake.CLIENT_SECRET, safe="")):
            self.assertNotIn(secret, text)
        recs = stats["requests"]
        self.assertEqual([r["route"] for r in recs], ["token", "policy", "policy", "unknown"])
        self.assertEqual(recs[0]["auth"], "none")  # no bearer token sent to the login service
        self.assertEqual({r["token_id"] for r in recs[1:3]}, {stats["tokens"][0]["id"]})
        self.assertTrue(all(r["scope_ok"] for r in recs[1:3]))
        self.assertEqual(recs[1]["query"], "api-version=2020-06-01")
        self.assertLess(recs[0]["t"], recs[1]["t"])
        self.assertIn("[REDACTED]", recs[3]["query"])
        self.assertEqual(stats["hits"][f"GET {POLICY}{PV}"], 2)

    def test_minted_caller_token_and_revoke(self):
        minted = self.control("POST", "/_fake/token", {"scope": BAP})
        self.assertEqual(self.get_policy(minted["access_token"]).status, 404)
        self.control("POST", "/_fake/revoke")
        self.assertEqual(self.get_policy(minted["access_token"]).status, 401)

    def test_info_and_plain_http(self):
        info = self.control("GET", "/_fake/info")
        self.assertEqual((info["https"], info["ca_file"]), (self.svc.url, self.svc.ca_file))
        resp = self.call("GET", info["http"] + POLICY + PV, token=self.access())
        self.assertEqual(resp.status, 404)
        self.assertEqual(self.stats()["requests"][-1]["listener"], "http")

    def test_location_follows_the_host_the_client_used(self):
        self.config(put_mode="async")
        url = self.svc.url.replace("127.0.0.1", "localhost")
        resp = self.call("PUT", url + POLICY + PV, policy_doc(), self.access())
        self.assertTrue(resp.headers["Location"].startswith(url + "/providers/"), resp.headers["Location"])


class TransportTest(FakeServiceTest):
    def test_keep_alive_serves_several_requests_on_one_connection(self):
        tok = self.access()
        host, port = urllib.parse.urlsplit(self.svc.url).netloc.split(":")
        conn = http.client.HTTPSConnection(host, int(port), context=self.ctx, timeout=10)
        try:
            for _ in range(3):
                conn.request("GET", POLICY + PV, headers={"Authorization": f"Bearer {tok}"})
                resp = conn.getresponse()
                self.assertEqual(resp.status, 404)
                resp.read()
            conn.request("PUT", POLICY + PV, body=json.dumps(policy_doc()),
                         headers={"Authorization": f"Bearer {tok}", "Content-Type": "application/json"})
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            resp.read()
        finally:
            conn.close()

    def test_parallel_clients(self):
        tok = self.access()
        results = []

        def worker():
            results.append(self.get_policy(tok).status)

        threads = [threading.Thread(target=worker) for _ in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(results, [404] * 24)
        stats = self.stats()
        self.assertEqual(stats["hits"][f"GET {POLICY}{PV}"], 24)
        self.assertEqual(len({r["seq"] for r in stats["requests"]}), 25)

    def test_chunked_request_body(self):
        tok = self.access()
        chunks = iter([json.dumps(policy_doc()).encode()[:40], json.dumps(policy_doc()).encode()[40:]])
        resp = self.call("PUT", POLICY + PV, chunks, tok, headers={"Content-Type": "application/json",
                                                                    "Transfer-Encoding": "chunked"})
        self.assertEqual(resp.status, 200, resp.body)


class TlsTest(FakeServiceTest):
    def test_only_the_test_ca_is_trusted(self):
        with self.assertRaises(urllib.error.URLError) as cm:
            self.call("GET", "/_fake/info", ctx=ssl.create_default_context())
        self.assertIsInstance(cm.exception.reason, ssl.SSLCertVerificationError)

    def test_untrusted_and_wrong_name_certificates_on_request(self):
        for mode in ("untrusted", "wrong_name"):
            self.config(tls_cert=mode)
            with self.assertRaises(urllib.error.URLError) as cm:
                self.call("GET", "/_fake/info")
            self.assertIsInstance(cm.exception.reason, ssl.SSLCertVerificationError)
            self.call("POST", self.svc.http_url + "/_fake/reset")
        rogue = ssl.create_default_context(cafile=self.svc.untrusted_ca_file)
        self.config(tls_cert="untrusted")
        self.assertEqual(self.call("GET", "/_fake/info", ctx=rogue).status, 200)  # a sound cert, other CA
        self.call("POST", self.svc.http_url + "/_fake/reset")
        self.assertEqual(self.call("GET", "/_fake/info").status, 200)


class ProgramTest(unittest.TestCase):
    def test_port_file_and_sigterm(self):
        with tempfile.TemporaryDirectory() as tmp:
            port_file = os.path.join(tmp, "port.json")
            proc = subprocess.Popen([sys.executable, os.path.join(HERE, "fake_powerplatform.py"),
                                     "--port-file", port_file, "--http", "--config", '{"put_mode": "async"}'],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                deadline = time.monotonic() + 30
                while not os.path.exists(port_file) and time.monotonic() < deadline:
                    time.sleep(0.05)
                with open(port_file) as f:
                    info = json.load(f)
                ctx = ssl.create_default_context(cafile=info["ca_file"])
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                     urllib.request.HTTPSHandler(context=ctx))
                form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": info["client_id"],
                                               "client_secret": info["client_secret"], "scope": BAP}).encode()
                with opener.open(f"{info['https']}/{HOME}/oauth2/v2.0/token", data=form, timeout=10) as r:
                    raw = json.load(r)["access_token"]
                with opener.open(f"{info['https']}/_fake/config", timeout=10) as r:
                    self.assertEqual(json.load(r)["put_mode"], "async")
                self.assertTrue(info["http"].startswith("http://127.0.0.1:"))
            finally:
                proc.send_signal(signal.SIGTERM)
                out, err = proc.communicate(timeout=15)
            self.assertEqual(proc.returncode, 0, err)
            self.assertFalse(os.path.exists(port_file))
            self.assertFalse(os.path.exists(info["ca_file"]))  # its temporary directory went too
            for secret in (raw, info["client_secret"]):
                self.assertNotIn(secret.encode(), out + err)


if __name__ == "__main__":
    unittest.main()
