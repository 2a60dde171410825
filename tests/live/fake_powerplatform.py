#!/usr/bin/env python3
"""A fake Power Platform service for the live-service tests (SPEC 12, issue 11).
Standard library only. One process plays, on 127.0.0.1, over HTTPS (and
optionally plain HTTP), every host the client talks to:

  login     POST /{tenant}/oauth2/v2.0/token        client_credentials,
                                                    device_code, refresh_token
            POST /{tenant}/oauth2/v2.0/devicecode
  BAP       GET|PUT /providers/PowerPlatform.Governance/v1/tenants/{t}/tenantIsolationPolicy
            GET     .../tenantIsolationPolicy/operations/{id}   (the 202's Location)
  PP API    POST|GET /governance/crossTenantConnectionReports
            GET      /governance/crossTenantConnectionReports/{reportId}

Access tokens are opaque random strings remembered here with their scope and
tenant, so each resource endpoint checks that the token is for its audience
(the BAP wants the Power Apps service scope, the reports the Power Platform
API scope) and stats can show which token reached which URL without ever
holding a raw token in anything printed.

Tests steer it through /_fake/ control endpoints (plain JSON, no token): see
README.md beside this file. Run as a program it writes its addresses to a
port file and serves until SIGTERM:

    python3 fake_powerplatform.py --port-file PATH [--http] [--config JSON]

or, imported: start_server() -> FakePowerPlatform (.url, .ca_file, .stop()).
"""

import argparse
import copy
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from datetime import date, datetime, timedelta, timezone
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOME_TENANT = "00000000-0000-0000-0000-000000000001"
CLIENT_ID = "c11e0000-0000-4000-8000-000000000001"  # the confidential app registration
CLIENT_SECRET = "fake~s3cret&value=+/%?"  # characters a client must form-encode
PUBLIC_CLIENT_ID = "c11e0000-0000-4000-8000-000000000002"  # the device-code public client

CLIENT_CREDENTIALS = "client_credentials"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REFRESH_GRANT = "refresh_token"
OIDC_SCOPES = {"openid", "profile", "offline_access", "email"}
MAX_BODY = 16 * 1024 * 1024
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

TOKEN_RE = re.compile(r"^/([^/]+)/oauth2/v2\.0/token$")
DEVICE_RE = re.compile(r"^/([^/]+)/oauth2/v2\.0/devicecode$")
POLICY_PATH = "/providers/PowerPlatform.Governance/v1/tenants/{}/tenantIsolationPolicy"
POLICY_RE = re.compile(r"^/providers/PowerPlatform\.Governance/v1/tenants/([^/]+)/tenantIsolationPolicy$")
OP_RE = re.compile(r"^/providers/PowerPlatform\.Governance/v1/tenants/([^/]+)/tenantIsolationPolicy"
                   r"/operations/([^/]+)$")
REPORTS_PATH = "/governance/crossTenantConnectionReports"
REPORT_RE = re.compile(r"^/governance/crossTenantConnectionReports/([^/]+)$")

# Every knob, with its default. POST /_fake/config changes any of them;
# POST /_fake/reset brings these back.
DEFAULTS = {
    # login service
    "client_id": CLIENT_ID,
    "client_secret": CLIENT_SECRET,
    "public_client_id": PUBLIC_CLIENT_ID,
    "default_tenant": HOME_TENANT,  # the tenant of a sign-in at /organizations, /common or a domain
    "token_lifetime": 3599,
    "device_interval": 1,  # seconds; small so tests are fast
    "slow_down_increment": 5,  # RFC 8628 3.5: +5 s after slow_down; tests may set 1
    "device_expires_in": 900,
    "device_script": ["authorization_pending", "grant"],
    "device_early_slow_down": False,  # answer slow_down to a poll that came too early (RFC 8628 3.5)
    # audiences (other clouds have other scopes)
    "bap_scope": "https://service.powerapps.com/.default",
    "ppapi_scope": "https://api.powerplatform.com/.default",
    # tenant isolation policy
    "policy_api_version": "2020-06-01",  # None: not checked (the Terraform provider sends none)
    "put_mode": "sync",  # sync: 200 with the policy; async: 202 and an operation to poll
    "async_header": "Location",  # Location, Operation-Location or both
    "visible_at": "done",  # put: the new policy shows at once; done: when the operation completes
    "op_pending": [202],  # what the operation answers before it is done, one status per poll
    "op_result": "ok",  # ok, failed (200 with status Failed) or an HTTP status (400..599)
    "retry_after": "1",  # on the 202 and every pending poll: None, seconds, "date+N" or any text
    "op_base_url": None,  # e.g. "https://evil.example:8443": the operation URL on a foreign host
    "tamper": None,  # drop_last_entry or flip_disabled: the service silently stores something else
    "echo_extra": True,  # add id/name/type to the policy as served
    "lowercase_ids": False,  # the service lowercases the tenant IDs it stores
    "max_rules": 500,
    # cross-tenant connection reports
    "report_api_version": "2022-03-01-preview",  # None: not checked
    "report_create_status": 202,  # status of a POST that creates today's report (200 when it exists)
    "report_script": ["Received", "InProgress", "Completed"],  # one step per GET of the report
    "report_error": "The cross-tenant connection report could not be generated.",
    "report_status_field": "status",  # or reportStatus, as older versions name it
    "report_connection_count": 6,
    "report_connections": None,  # a list of entries instead of the generated ones
    "report_page_size": 100,
    "list_page_size": 50,
    "next_link_base": None,  # e.g. "https://evil.example": every @odata.nextLink on a foreign host
    "today": None,  # YYYY-MM-DD instead of today's UTC date
    "report_window_days": 30,
    # transport
    "stall_max_s": 30,  # a stalled request gives up (closes, unanswered) after this
    "tls_cert": "good",  # good, untrusted (another CA) or wrong_name; for connections accepted after
}

CHOICES = {
    "put_mode": ("sync", "async"),
    "async_header": ("Location", "Operation-Location", "both"),
    "visible_at": ("put", "done"),
    "tamper": (None, "drop_last_entry", "flip_disabled"),
    "report_status_field": ("status", "reportStatus"),
    "tls_cert": ("good", "untrusted", "wrong_name"),
}

FAULT_DEFAULTS = {
    "path": None,  # prefix of the request path; None: every non-control request
    "method": None,
    "times": 1,  # how many requests it answers; -1: all
    "skip": 0,  # matching requests let through first
    "kind": "status",
    "status": None,
    "retry_after": None,
    "delay_ms": 0,
    "size": 5 * 1024 * 1024,
    "chunked": False,
    "body": None,
    "content_type": None,
}
FAULT_STATUS = {"status": 503, "html": 502, "empty": 200, "truncate": 200, "oversize": 200}
FAULT_KINDS = set(FAULT_STATUS) | {"stall", "delay", "close"}

ERROR_CODES = {
    400: ("BadRequest", "The request is invalid."),
    401: ("Unauthorized", "The request is not authenticated."),
    403: ("Forbidden", "The service principal does not have permission to access the path "
                       "'/providers/PowerPlatform.Governance/v1/tenants' in tenant '{}'.".format(HOME_TENANT)),
    404: ("NotFound", "The requested resource was not found."),
    409: ("Conflict", "Another operation is in progress. Try again later."),
    429: ("TooManyRequests", "Rate limit is exceeded. Try again later."),
    500: ("InternalServerError", "An internal server error occurred."),
    502: ("BadGateway", "The gateway received an invalid response."),
    503: ("ServiceUnavailable", "The service is temporarily unavailable."),
    504: ("GatewayTimeout", "The gateway timed out."),
}

HTML_PAGE = ("<!DOCTYPE html><html><head><title>{0} Error</title></head>"
             "<body><h1>{0}</h1><p>The service is unavailable. Please try again later.</p></body></html>")

DEVICE_ERRORS = {
    "authorization_pending": ("AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. "
                              "Continue polling.", [70016]),
    "slow_down": ("The client is polling too often. Wait longer between requests.", []),
    "expired_token": ("The device code has expired. Start the sign-in again.", []),
    "access_denied": ("The user denied the authorization request.", []),
    "authorization_declined": ("The user declined the authorization request.", []),
    "bad_verification_code": ("The device_code sent to the token endpoint was not recognised.", []),
    "invalid_grant": ("The device code has already been redeemed or is not valid.", []),
}


def service_error(code, message, details=None):
    """The resource services' error body: {"error": {"code", "message"}}."""
    err = {"code": code, "message": message}
    if details:
        err["details"] = details
    return {"error": err}


def status_error(status):
    code, message = ERROR_CODES.get(status, ("Error", f"The service answered {status}."))
    return service_error(code, message)


def retry_after_value(v):
    """A Retry-After header value from a knob: None (no header), seconds
    (int or float), "date+N" (an HTTP-date N seconds from now) or any text."""
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError("retry_after must be a number or text")
    if isinstance(v, (int, float)):
        return repr(v) if isinstance(v, float) else str(v)
    v = str(v)
    if v.startswith("date+"):
        return formatdate(time.time() + float(v[5:]), usegmt=True)
    return v


def guid(prefix, n):
    return f"{prefix}-0000-4000-8000-{n:012x}"


def today(cfg):
    return cfg["today"] or datetime.now(timezone.utc).date().isoformat()


def render_policy(tenant, doc, extra):
    """The policy as the service serves it: keys sorted, indented, with the
    resource's own fields added, so it never equals the client's bytes."""
    out = copy.deepcopy(doc)
    if extra and isinstance(out, dict):
        out.setdefault("id", POLICY_PATH.format(tenant))
        out.setdefault("name", tenant)
        out.setdefault("type", "PowerPlatform.Governance/tenantIsolationPolicies")
    return (json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def check_entry(i, entry):
    """None, or (code, message, details) for a bad allowedTenants entry."""
    where = f"properties.allowedTenants[{i}]"
    if not isinstance(entry, dict):
        return "BadRequest", f"{where} must be an object.", None
    tid = entry.get("tenantId")
    if not isinstance(tid, str) or not (tid == "*" or GUID.match(tid)):
        return "BadRequest", "Invalid tenant ID format", [
            {"code": "ValidationError", "message": f"{where}.tenantId must be a valid GUID or '*'."}]
    direction = entry.get("direction")
    if not isinstance(direction, dict):
        return "BadRequest", f"{where}.direction must be an object.", None
    for side in ("inbound", "outbound"):
        if side in direction and not isinstance(direction[side], bool):
            return "BadRequest", f"{where}.direction.{side} must be a boolean.", None
    return None


def validate_policy(body, tenant, max_rules):
    """(document, None) or (None, (code, message, details)) for a PUT body."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        return None, ("InvalidRequestContent", f"The request content is not valid JSON: {e}", None)
    props = doc.get("properties") if isinstance(doc, dict) else None
    if not isinstance(props, dict):
        return None, ("InvalidRequestContent", "The request content must be an object with 'properties'.", None)
    tid = props.get("tenantId")
    if not isinstance(tid, str) or tid.lower() != tenant:
        return None, ("TenantIdMismatch", "properties.tenantId must be the tenant of the request path.", None)
    if "isDisabled" in props and not isinstance(props["isDisabled"], bool):
        return None, ("BadRequest", "properties.isDisabled must be a boolean.", None)
    entries = props.get("allowedTenants", [])
    if not isinstance(entries, list):
        return None, ("BadRequest", "properties.allowedTenants must be an array.", None)
    if len(entries) > max_rules:
        return None, ("BadRequest", f"The threshold limit for rules is {max_rules}; "
                                    f"the policy has {len(entries)}.", None)
    for i, entry in enumerate(entries):
        problem = check_entry(i, entry)
        if problem:
            return None, problem
    return doc, None


def normalise(doc, lowercase):
    out = copy.deepcopy(doc)
    if lowercase:
        props = out["properties"]
        props["tenantId"] = props["tenantId"].lower()
        for entry in props.get("allowedTenants", []):
            entry["tenantId"] = entry["tenantId"].lower()
    return out


def tamper(doc, mode):
    """What a service that silently changed the pushed policy would hold."""
    out = copy.deepcopy(doc)
    props = out["properties"]
    if mode == "drop_last_entry" and props.get("allowedTenants"):
        props["allowedTenants"].pop()
    elif mode in ("drop_last_entry", "flip_disabled"):
        props["isDisabled"] = not props.get("isDisabled", False)
    return out


CONNECTORS = ("/providers/Microsoft.PowerApps/apis/shared_sharepointonline",
              "/providers/Microsoft.PowerApps/apis/shared_office365",
              "/providers/Microsoft.PowerApps/apis/shared_sql")


def sample_connections(n, tenant):
    """n deterministic report entries, alternately Outbound and Inbound."""
    out = []
    for i in range(n):
        other = f"{0xa0000000 + i % 7:08x}-0000-4000-8000-{i % 7:012x}"
        out.append({
            "tenantId": other,
            "connectionType": "Outbound" if i % 2 == 0 else "Inbound",
            "connectorId": CONNECTORS[i % len(CONNECTORS)],
            "environmentId": f"Default-{tenant}" if i % 2 == 0 else f"Default-{other}",
            "connectionId": f"shared-conn-{i:05d}",
            "lastAttemptedTime": "2025-05-01T12:00:00Z",
            "blocked": i % 3 == 2,
        })
    return out


def check_config(updates):
    """None, or why the updates are refused (a typo must not pass silently)."""
    if not isinstance(updates, dict):
        return "the body must be a JSON object"
    unknown = sorted(set(updates) - set(DEFAULTS))
    if unknown:
        return "unknown config keys: " + ", ".join(unknown)
    for key, value in updates.items():
        if key in CHOICES and value not in CHOICES[key]:
            return f"{key} must be one of {list(CHOICES[key])}"
    result = updates.get("op_result", "ok")
    if result not in ("ok", "failed") and not (isinstance(result, int) and 400 <= result <= 599):
        return "op_result must be ok, failed or a status 400..599"
    for key in ("device_script", "report_script", "op_pending"):
        value = updates.get(key, DEFAULTS[key])
        if not isinstance(value, list) or (key != "op_pending" and not value):
            return f"{key} must be a list" + ("" if key == "op_pending" else " of one or more steps")
    try:
        retry_after_value(updates.get("retry_after"))
    except ValueError as e:
        return f"retry_after: {e}"
    return None


def check_fault(spec):
    """(fault, None) or (None, why)."""
    if not isinstance(spec, dict):
        return None, "the body must be a JSON object"
    unknown = sorted(set(spec) - set(FAULT_DEFAULTS))
    if unknown:
        return None, "unknown fault fields: " + ", ".join(unknown)
    fault = dict(FAULT_DEFAULTS, **spec)
    if fault["kind"] not in FAULT_KINDS:
        return None, f"kind must be one of {sorted(FAULT_KINDS)}"
    if fault["path"] is not None and not (isinstance(fault["path"], str) and fault["path"].startswith("/")):
        return None, "path must be null or a path prefix starting with /"
    if not isinstance(fault["times"], int) or not (fault["times"] >= 1 or fault["times"] == -1):
        return None, "times must be 1 or more, or -1 for always"
    try:
        retry_after_value(fault["retry_after"])
    except ValueError as e:
        return None, f"retry_after: {e}"
    fault["fired"] = 0
    return fault, None


class State:
    """Everything the fake knows, behind one lock. Both listeners share it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.t0 = time.monotonic()
        self.release = threading.Event()
        self.info = {}
        self.reset()

    def reset(self):
        with self.lock:
            self.release.set()  # wakes every stalled request
            self.release = threading.Event()
            self.config = copy.deepcopy(DEFAULTS)
            self.tokens = {}  # raw access token -> its record
            self.refresh = {}  # raw refresh token -> its record
            self.devices = {}  # device_code -> its record
            self.policies = {}  # tenant (lowercase) -> document
            self.operations = {}
            self.reports = []
            self.faults = []
            self.requests = []
            self.hits = {}
            self.last_hit = {}  # "METHOD url" -> monotonic time of its latest request
            self.device_polls = []
            self.seq = 0  # for IDs
            self.request_seq = 0

    def next(self):
        self.seq += 1
        return self.seq

    def now(self):
        return round(time.monotonic() - self.t0, 6)

    # ---- configuration ----
    def snapshot(self):
        with self.lock:
            return copy.deepcopy(self.config)

    def update_config(self, updates):
        why = check_config(updates)
        if why is None:
            with self.lock:
                self.config.update(copy.deepcopy(updates))
        return why

    def tls_cert(self):
        with self.lock:
            return self.config["tls_cert"]

    # ---- secrets ----
    def _redact(self, text):
        """text without any secret, token or device code this fake knows."""
        secret = self.config["client_secret"]
        known = [secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)]
        for value in [*known, *self.tokens, *self.refresh, *self.devices]:
            if value and value in text:
                text = text.replace(value, "[REDACTED]")
        return text

    def redact(self, text):
        with self.lock:
            return self._redact(text)

    def mint(self, scope, tenant, client_id, grant):
        raw = "fake." + secrets.token_urlsafe(32)
        with self.lock:
            n = self.next()
            self.tokens[raw] = {"id": f"tok{n}", "scope": scope, "tenant": tenant, "client_id": client_id,
                                "grant": grant, "expires": time.monotonic() + self.config["token_lifetime"]}
            return raw, f"tok{n}"

    def mint_refresh(self, tenant, client_id):
        raw = "fake-refresh." + secrets.token_urlsafe(32)
        with self.lock:
            self.refresh[raw] = {"id": f"rt{self.next()}", "tenant": tenant, "client_id": client_id}
        return raw

    def refresh_record(self, raw):
        with self.lock:
            rec = self.refresh.get(raw)
            return dict(rec) if rec else None

    def check_token(self, header):
        """(token record or None, how the request authenticated)."""
        if header is None:
            return None, "none"
        if not header.startswith("Bearer "):
            return None, "malformed"
        with self.lock:
            rec = self.tokens.get(header[len("Bearer "):])
            if rec is None:
                return None, "unknown"
            if rec["expires"] <= time.monotonic():
                return dict(rec), "expired"
            return dict(rec), "bearer"

    def revoke(self):
        with self.lock:
            self.tokens.clear()
            self.refresh.clear()

    # ---- requests and faults ----
    def record(self, scheme, method, path, query, host, body_len):
        """A new entry of the request log. "gap" is how long since the
        previous request for the same method and URL: how long a poller waited."""
        with self.lock:
            self.request_seq += 1
            path, query, now = self._redact(path), self._redact(query), time.monotonic()
            key = f"{method} {path}" + (f"?{query}" if query else "")
            last = self.last_hit.get(key)
            rec = {"seq": self.request_seq, "t": self.now(), "wall": time.time(), "listener": scheme,
                   "method": method, "path": path, "query": query, "host": host, "body_bytes": body_len,
                   "gap": None if last is None else round(now - last, 6), "route": None, "auth": None,
                   "token_id": None, "token_scope": None, "token_tenant": None, "expected_scope": None,
                   "scope_ok": None, "status": None, "fault": None}
            self.requests.append(rec)
            self.hits[key] = self.hits.get(key, 0) + 1
            self.last_hit[key] = now
            return rec

    def note(self, rec, **fields):
        if rec is not None:
            with self.lock:
                rec.update(fields)

    def add_fault(self, fault):
        with self.lock:
            fault["id"] = f"fault{self.next()}"
            self.faults.append(fault)
            return fault["id"]

    def take_fault(self, method, path):
        """The fault that answers this request, if any; counts it down."""
        with self.lock:
            for fault in self.faults:
                if fault["path"] is not None and not path.startswith(fault["path"]):
                    continue
                if fault["method"] and fault["method"] != method:
                    continue
                if fault["skip"] > 0:
                    fault["skip"] -= 1
                    continue
                fault["fired"] += 1
                if fault["times"] > 0:
                    fault["times"] -= 1
                    if fault["times"] == 0:
                        self.faults.remove(fault)
                return dict(fault)
        return None

    # ---- device authorization grant ----
    def new_device(self, scope, offline, tenant, client_id):
        code = secrets.token_urlsafe(24)
        with self.lock:
            n = self.next()
            cfg = self.config
            now = time.monotonic()
            self.devices[code] = {
                "id": f"dev{n}", "user_code": f"FK{n:07d}", "scope": scope, "offline": offline,
                "tenant": tenant, "client_id": client_id, "script": list(cfg["device_script"]), "pos": 0,
                "interval": cfg["device_interval"], "issued": now, "last": now,
                "expires": now + cfg["device_expires_in"], "redeemed": False}
            return code, dict(self.devices[code])

    def poll_device(self, code, client_id):
        """The scripted outcome of one token poll; records how long the
        client waited since its previous poll (or the device code)."""
        now = time.monotonic()
        with self.lock:
            dev = self.devices.get(code)
            if dev is None:
                return "bad_verification_code", None
            gap, required = now - dev["last"], dev["interval"]
            dev["last"] = now
            early = gap + 0.005 < required
            if dev["client_id"] != client_id or dev["redeemed"]:
                outcome = "invalid_grant"
            elif now >= dev["expires"]:
                outcome = "expired_token"
            elif early and self.config["device_early_slow_down"]:
                outcome = "slow_down"  # the script waits for a poll on time
            else:
                outcome = dev["script"][min(dev["pos"], len(dev["script"]) - 1)]
                dev["pos"] += 1
            if outcome == "slow_down":
                dev["interval"] += self.config["slow_down_increment"]
            dev["redeemed"] = dev["redeemed"] or outcome == "grant"
            self.device_polls.append({"device": dev["id"], "t": self.now(), "gap": round(gap, 6),
                                      "required": required, "early": early,
                                      "outcome": outcome})
            return outcome, dict(dev)

    # ---- tenant isolation policy ----
    def get_policy(self, tenant):
        with self.lock:
            return copy.deepcopy(self.policies.get(tenant))

    def set_policy(self, tenant, doc):
        with self.lock:
            if doc is None:
                self.policies.pop(tenant, None)
            else:
                self.policies[tenant] = copy.deepcopy(doc)

    def new_operation(self, tenant, doc, cfg):
        with self.lock:
            op = {"id": guid("0b000000", self.next()), "tenant": tenant, "doc": doc,
                  "previous": self.policies.get(tenant), "pending": list(cfg["op_pending"]),
                  "result": cfg["op_result"], "visible_at": cfg["visible_at"], "polls": 0, "done": False}
            if op["visible_at"] == "put":
                self.policies[tenant] = doc
            self.operations[op["id"]] = op
            return op["id"]

    def poll_operation(self, tenant, op_id):
        """None (no such operation), ("pending", status) or ("done", result)."""
        with self.lock:
            op = self.operations.get(op_id)
            if op is None or op["tenant"] != tenant:
                return None
            op["polls"] += 1
            if op["pending"]:
                return "pending", op["pending"].pop(0)
            if not op["done"]:
                self._finish(op)
            return "done", op["result"]

    def _finish(self, op):
        op["done"] = True
        if op["result"] == "ok":
            self.policies[op["tenant"]] = op["doc"]
        elif op["visible_at"] == "put":  # a failed operation leaves what was there before
            if op["previous"] is None:
                self.policies.pop(op["tenant"], None)
            else:
                self.policies[op["tenant"]] = op["previous"]

    # ---- reports ----
    def add_report(self, tenant, day, script, connections, error=None, report_id=None):
        with self.lock:
            return self._add_report(tenant, day, script, connections, error, report_id)

    def _add_report(self, tenant, day, script, connections, error, report_id):
        start = date.fromisoformat(day) - timedelta(days=self.config["report_window_days"])
        clock = datetime.now(timezone.utc).strftime("%H:%M:%S")
        report = {"reportId": report_id or guid("7e000000", self.next()), "tenantId": tenant, "day": day,
                  "requestDate": f"{day}T{clock}Z", "startDate": f"{start.isoformat()}T00:00:00Z",
                  "endDate": f"{day}T00:00:00Z", "script": list(script), "pos": 0,
                  "connections": copy.deepcopy(connections), "error": error or self.config["report_error"],
                  "gets": 0}
        self.reports.append(report)
        return copy.deepcopy(report)

    def create_report(self, tenant, cfg):
        """(report, created): today's report of the tenant, made if need be."""
        day = today(cfg)
        with self.lock:
            for report in self.reports:
                if report["tenantId"] == tenant and report["day"] == day:
                    return copy.deepcopy(report), False
            connections = cfg["report_connections"]
            if connections is None:
                connections = sample_connections(cfg["report_connection_count"], tenant)
            return self._add_report(tenant, day, cfg["report_script"], connections, None, None), True

    def reports_of(self, tenant):
        with self.lock:
            return [copy.deepcopy(r) for r in self.reports if r["tenantId"] == tenant]

    def read_report(self, tenant, report_id, advance):
        """The report (a copy), one status step further when advance."""
        with self.lock:
            for report in self.reports:
                if report["reportId"] == report_id and report["tenantId"] == tenant:
                    if advance:
                        report["pos"] = min(report["pos"] + 1, len(report["script"]) - 1)
                        report["gets"] += 1
                    return copy.deepcopy(report)
        return None

    # ---- stats ----
    def stats(self):
        with self.lock:
            return {
                "requests": copy.deepcopy(self.requests),
                "hits": dict(self.hits),
                "tokens": [{k: v for k, v in t.items() if k != "expires"} for t in self.tokens.values()],
                "device_polls": copy.deepcopy(self.device_polls),
                "operations": [{"id": o["id"], "tenant": o["tenant"], "polls": o["polls"], "done": o["done"],
                                "result": o["result"], "pending": list(o["pending"])}
                               for o in self.operations.values()],
                "reports": [report_summary(r, "status") | {"gets": r["gets"]} for r in self.reports],
                "faults": copy.deepcopy(self.faults),
            }


def report_status(report):
    return report["script"][report["pos"]]


def report_summary(report, field):
    out = {"reportId": report["reportId"], "tenantId": report["tenantId"], field: report_status(report),
           "requestDate": report["requestDate"], "startDate": report["startDate"], "endDate": report["endDate"]}
    if report_status(report) == "Failed":
        out["error"] = {"code": "ReportGenerationFailed", "message": report["error"]}
    return out


def parse_form(body):
    try:
        form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return {}
    return {k: v[0] for k, v in form.items()}


def split_scope(value):
    """(resource scopes, whether offline_access was asked for)."""
    parts = value.split()
    return [p for p in parts if p not in OIDC_SCOPES], "offline_access" in parts


class Plumbing(BaseHTTPRequestHandler):
    """Reading requests, writing answers and noting them in the stats."""

    protocol_version = "HTTP/1.1"
    server_version = "fake-powerplatform/1"
    sys_version = ""
    disable_nagle_algorithm = True  # else Nagle and delayed ACKs add 40 ms per answer
    timeout = 30  # an idle or silent client is dropped

    def log_message(self, fmt, *args):
        pass  # request lines may carry secrets: print nothing

    def note(self, **fields):
        self.state.note(self.rec, **fields)

    def reply(self, status, body=b"", headers=None, ctype="application/json; charset=utf-8"):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.sent = True
        self.note(status=status)
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, code, message, details=None, headers=None):
        self.reply(status, service_error(code, message, details), headers)

    def read_body(self):
        """The request body, or None after answering 413."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self.read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self.error(413, "RequestEntityTooLarge", "The request body is too large or its length is invalid.")
            return None
        return self.rfile.read(length) if length else b""

    def read_chunked(self):
        body = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return body
            if len(body) + size > MAX_BODY:
                self.close_connection = True
                self.error(413, "RequestEntityTooLarge", "The request body is too large.")
                return None
            body += self.rfile.read(size)
            self.rfile.readline()

    def base(self):
        """This server's own origin, as the client named it (so a Location
        stays on the host the client trusts), else its canonical URL."""
        host = self.headers.get("Host", "")
        port = self.server.server_address[1]
        if host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            return f"{self.server.scheme}://{host}"
        return self.server.base_url

    def json_body(self, body):
        try:
            return json.loads(body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return None


class Faults(Plumbing):
    """Misbehaviour on demand (armed with POST /_fake/fail)."""

    def apply_fault(self, fault):
        """True when the fault has answered (or dropped) the request."""
        self.note(fault=fault["kind"])
        kind = fault["kind"]
        if kind == "delay":
            self.state.release.wait(fault["delay_ms"] / 1000.0)
            return False
        if kind in ("stall", "close"):
            if kind == "stall":
                self.state.release.wait(self.cfg["stall_max_s"])
            self.close_connection = True
            return True
        status = fault["status"] or FAULT_STATUS[kind]
        headers = {}
        retry_after = retry_after_value(fault["retry_after"])
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        getattr(self, "fault_" + kind)(fault, status, headers)
        return True

    def fault_status(self, fault, status, headers):
        body = fault["body"]
        if body is None:
            body = status_error(status)
        elif isinstance(body, str):
            body = body.encode()
        self.reply(status, body, headers, fault["content_type"] or "application/json; charset=utf-8")

    def fault_html(self, fault, status, headers):
        self.reply(status, HTML_PAGE.format(status).encode(), headers, fault["content_type"] or "text/html")

    def fault_empty(self, fault, status, headers):
        self.reply(status, b"", headers, fault["content_type"] or "application/json; charset=utf-8")

    def fault_truncate(self, fault, status, headers):
        part = b'{"properties": {"tenantId": "' + HOME_TENANT[:12].encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(part) + 512))  # promises more than it sends
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(part)
        self.wfile.flush()
        self.close_connection = True
        self.note(status=status)

    def fault_oversize(self, fault, status, headers):
        size = max(int(fault["size"]), 16)
        head, tail = b'{"padding": "', b'"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name, value)
        if fault["chunked"]:  # no length: the size shows only while the body arrives
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        self.note(status=status)
        try:
            self.wfile.write(head)
            left = size - len(head) - len(tail)
            while left > 0:
                n = min(left, 65536)
                self.wfile.write(b"x" * n)
                left -= n
            self.wfile.write(tail)
        except OSError:
            self.close_connection = True  # the client stopped reading: expected


class Login(Plumbing):
    """The Entra token and device-code endpoints."""

    def login_error(self, status, error, description, codes=()):
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")
        trace, corr = guid("7ace0000", 1), guid("c0de0000", 2)
        self.reply(status, {
            "error": error,
            "error_description": f"{description}\r\nTrace ID: {trace}\r\nCorrelation ID: {corr}\r\nTimestamp: {stamp}",
            "error_codes": list(codes), "timestamp": stamp, "trace_id": trace, "correlation_id": corr})

    def login_tenant(self, segment):
        return segment.lower() if GUID.match(segment) else self.cfg["default_tenant"]

    def issue(self, scope, tenant, client_id, grant, offline=False):
        raw, token_id = self.state.mint(scope, tenant, client_id, grant)
        lifetime = self.cfg["token_lifetime"]
        body = {"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": raw}
        if grant != CLIENT_CREDENTIALS:
            body["scope"] = scope
        if offline:
            body["refresh_token"] = self.state.mint_refresh(tenant, client_id)
        self.note(token_issued=token_id)
        self.reply(200, body, {"Cache-Control": "no-store", "Pragma": "no-cache"})

    def token(self, segment, body):
        form = parse_form(body)
        grant = form.get("grant_type", "")
        self.note(route="token", grant_type=grant,
                  auth="none" if self.headers.get("Authorization") is None else "present")
        if self.command != "POST":
            return self.login_error(405, "invalid_request", "AADSTS900561: The endpoint only accepts POST requests.",
                                    [900561])
        handlers = {CLIENT_CREDENTIALS: self.client_credentials, DEVICE_GRANT: self.device_token,
                    REFRESH_GRANT: self.refresh_token}
        handler = handlers.get(grant)
        if handler is None:
            return self.login_error(400, "unsupported_grant_type",
                                    "AADSTS70003: The app requested an unsupported grant type.", [70003])
        handler(self.login_tenant(segment), form)

    def unknown_client(self):
        self.login_error(400, "unauthorized_client", "AADSTS700016: Application with the given identifier was not "
                                                     "found in the directory.", [700016])

    def client_credentials(self, tenant, form):
        cfg = self.cfg
        if form.get("client_id") != cfg["client_id"]:
            return self.unknown_client()
        if form.get("client_secret") != cfg["client_secret"]:
            return self.login_error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure "
                                    "the secret being sent in the request is the client secret value, not the "
                                    "client secret ID, for a secret added to the app.", [7000215])
        resources, _ = split_scope(form.get("scope", ""))
        if len(resources) != 1 or not resources[0].endswith("/.default"):
            return self.login_error(400, "invalid_scope", "AADSTS1002012: The provided value for scope is not "
                                    "valid. Client credential flows must have a scope value with /.default "
                                    "suffixed to the resource identifier (application ID URI).", [1002012])
        self.issue(resources[0], tenant, cfg["client_id"], CLIENT_CREDENTIALS)

    def device_code(self, segment, body):
        form = parse_form(body)
        self.note(route="devicecode", auth="none" if self.headers.get("Authorization") is None else "present")
        if self.command != "POST":
            return self.login_error(405, "invalid_request", "AADSTS900561: The endpoint only accepts POST requests.",
                                    [900561])
        if form.get("client_id") != self.cfg["public_client_id"]:
            return self.unknown_client()
        resources, offline = split_scope(form.get("scope", ""))
        if len(resources) != 1:
            return self.login_error(400, "invalid_scope", "AADSTS70011: The provided request must include exactly "
                                    "one resource scope.", [70011])
        code, dev = self.state.new_device(resources[0], offline, self.login_tenant(segment), form["client_id"])
        self.note(device=dev["id"])
        uri = "https://microsoft.com/devicelogin"
        self.reply(200, {
            "user_code": dev["user_code"], "device_code": code, "verification_uri": uri,
            "expires_in": self.cfg["device_expires_in"], "interval": self.cfg["device_interval"],
            "message": f"To sign in, use a web browser to open the page {uri} and enter the code "
                       f"{dev['user_code']} to authenticate."})

    def device_token(self, tenant, form):
        outcome, dev = self.state.poll_device(form.get("device_code", ""), form.get("client_id"))
        if dev:
            self.note(device=dev["id"], outcome=outcome)
        if outcome == "grant":
            return self.issue(dev["scope"], dev["tenant"], dev["client_id"], DEVICE_GRANT, dev["offline"])
        description, codes = DEVICE_ERRORS.get(outcome, (f"Device flow error: {outcome}.", []))
        self.login_error(400, outcome, description, codes)

    def refresh_token(self, tenant, form):
        rec = self.state.refresh_record(form.get("refresh_token", ""))
        if rec is None or rec["client_id"] != form.get("client_id"):
            return self.login_error(400, "invalid_grant", "AADSTS9002313: The refresh token is not valid.",
                                    [9002313])
        resources, offline = split_scope(form.get("scope", ""))
        if len(resources) != 1:
            return self.login_error(400, "invalid_scope", "AADSTS70011: The provided request must include exactly "
                                    "one resource scope.", [70011])
        self.issue(resources[0], rec["tenant"], rec["client_id"], REFRESH_GRANT, offline)


class Resources(Plumbing):
    """What the BAP and the Power Platform API share: tokens, api-version."""

    def authorize(self, scope_key, tenant=None):
        """The caller's token record, or None after answering 401/403."""
        expected = self.cfg[scope_key]
        rec, how = self.state.check_token(self.headers.get("Authorization"))
        self.note(auth=how, expected_scope=expected, token_id=rec and rec["id"],
                  token_scope=rec and rec["scope"], token_tenant=rec and rec["tenant"],
                  scope_ok=bool(rec) and rec["scope"] == expected)
        challenge = {"WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common"'}
        if how != "bearer":
            codes = {"none": "MissingAuthenticationToken", "expired": "ExpiredAuthenticationToken"}
            self.error(401, codes.get(how, "InvalidAuthenticationToken"),
                       "The access token is missing, invalid or expired.", headers=challenge)
            return None
        if rec["scope"] != expected:
            self.error(401, "InvalidAuthenticationTokenAudience",
                       "The access token has been obtained for the wrong audience or resource.", headers=challenge)
            return None
        if tenant is not None and rec["tenant"] != tenant.lower():
            self.error(403, "Forbidden", "The caller's tenant does not match the tenant of the request.")
            return None
        return rec

    def api_version_ok(self, key):
        want = self.cfg[key]
        got = self.query.get("api-version")
        if want is None:
            return True
        if not got:
            self.error(400, "MissingApiVersionParameter",
                       "The api-version query parameter (?api-version=) is required for all requests.")
            return False
        if got != [want]:
            self.error(400, "InvalidApiVersionParameter",
                       f"The api-version is invalid. The supported version is '{want}'.")
            return False
        return True

    def method_not_allowed(self, allowed):
        self.error(405, "MethodNotAllowed", f"The method {self.command} is not allowed here.",
                   headers={"Allow": ", ".join(allowed)})

    def skiptoken(self, total):
        """The page offset asked for, or None after answering 400."""
        raw = self.query.get("$skiptoken", ["0"])[0]
        if not raw.isdigit() or int(raw) > total:
            self.error(400, "InvalidSkipToken", "The $skiptoken is not valid.")
            return None
        return int(raw)

    def next_link(self, path, key, offset):
        base = self.cfg["next_link_base"] or self.base()
        version = f"api-version={self.cfg[key]}&" if self.cfg[key] else ""
        return f"{base}{path}?{version}$skiptoken={offset}"


class Policy(Resources):
    """GET and PUT of the tenant isolation policy, and its operations."""

    def policy(self, tenant, body):
        self.note(route="policy")
        if self.command not in ("GET", "PUT"):
            return self.method_not_allowed(["GET", "PUT"])
        if not self.authorize("bap_scope", tenant) or not self.api_version_ok("policy_api_version"):
            return
        (self.get_policy if self.command == "GET" else self.put_policy)(tenant.lower(), body)

    def get_policy(self, tenant, _body=None):
        doc = self.state.get_policy(tenant)
        if doc is None:
            return self.error(404, "TenantIsolationPolicyNotFound",
                              f"No tenant isolation policy exists for tenant '{tenant}'.")
        self.reply(200, render_policy(tenant, doc, self.cfg["echo_extra"]))

    def put_policy(self, tenant, body):
        cfg = self.cfg
        doc, problem = validate_policy(body, tenant, cfg["max_rules"])
        self.note(body_sha256=hashlib.sha256(body).hexdigest())
        if problem:
            return self.error(400, *problem)
        pushed = normalise(doc, cfg["lowercase_ids"])
        stored = tamper(pushed, cfg["tamper"]) if cfg["tamper"] else pushed
        if cfg["put_mode"] == "sync":
            self.state.set_policy(tenant, stored)
            # The echo is what was accepted, even when tampered: only a
            # separate read-back can tell what the service really holds.
            return self.reply(200, render_policy(tenant, pushed, cfg["echo_extra"]))
        op_id = self.state.new_operation(tenant, stored, cfg)
        url = f"{cfg['op_base_url'] or self.base()}{POLICY_PATH.format(tenant)}/operations/{op_id}"
        if cfg["policy_api_version"]:
            url += f"?api-version={cfg['policy_api_version']}"
        self.note(operation=op_id)
        self.reply(202, b"", self.async_headers(url))

    def async_headers(self, url):
        headers = {}
        if self.cfg["async_header"] in ("Location", "both"):
            headers["Location"] = url
        if self.cfg["async_header"] in ("Operation-Location", "both"):
            headers["Operation-Location"] = url
        retry_after = retry_after_value(self.cfg["retry_after"])
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        return headers

    def operation(self, tenant, op_id):
        self.note(route="operation", operation=op_id)
        if self.command != "GET":
            return self.method_not_allowed(["GET"])
        if not self.authorize("bap_scope", tenant):
            return
        result = self.state.poll_operation(tenant.lower(), op_id)
        if result is None:
            return self.error(404, "OperationNotFound", f"The operation '{op_id}' was not found.")
        phase, value = result
        if phase == "pending":
            return self.operation_pending(op_id, value)
        if value == "ok":
            return self.reply(200, {"id": op_id, "status": "Succeeded"})
        if value == "failed":
            return self.reply(200, {"id": op_id, "status": "Failed", "error": {
                "code": "TenantIsolationPolicyUpdateFailed",
                "message": "The tenant isolation policy could not be updated."}})
        self.reply(value, status_error(value))

    def operation_pending(self, op_id, status):
        headers = {}
        retry_after = retry_after_value(self.cfg["retry_after"])
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        if status == 409:
            return self.error(409, "Conflict", "The operation is still in progress.", headers=headers)
        self.reply(status, {"id": op_id, "status": "Running"}, headers)


class Reports(Resources):
    """The cross-tenant connection reports of the Power Platform API."""

    def reports(self, body):
        self.note(route="reports")
        if self.command not in ("GET", "POST"):
            return self.method_not_allowed(["GET", "POST"])
        rec = self.authorize("ppapi_scope")
        if not rec or not self.api_version_ok("report_api_version"):
            return
        if self.command == "GET":
            return self.list_reports(rec["tenant"])
        report, created = self.state.create_report(rec["tenant"], self.cfg)
        self.note(report=report["reportId"], created=created)
        status = self.cfg["report_create_status"] if created else 200
        self.reply(status, report_summary(report, self.cfg["report_status_field"]))

    def list_reports(self, tenant):
        items = self.state.reports_of(tenant)
        start = self.skiptoken(len(items))
        if start is None:
            return
        size = max(1, self.cfg["list_page_size"])
        field = self.cfg["report_status_field"]
        body = {"value": [report_summary(r, field) for r in items[start:start + size]]}
        if start + size < len(items):
            body["@odata.nextLink"] = self.next_link(REPORTS_PATH, "report_api_version", start + size)
        self.reply(200, body)

    def report(self, report_id):
        self.note(route="report", report=report_id)
        if self.command != "GET":
            return self.method_not_allowed(["GET"])
        rec = self.authorize("ppapi_scope")
        if not rec or not self.api_version_ok("report_api_version"):
            return
        paging = "$skiptoken" in self.query
        report = self.state.read_report(rec["tenant"], report_id, advance=not paging)
        if report is None:
            return self.error(404, "ReportNotFound", f"The report '{report_id}' was not found.")
        body = report_summary(report, self.cfg["report_status_field"])
        if report_status(report) != "Completed":
            if paging:
                return self.error(400, "ReportNotCompleted", "The report has no pages until it is completed.")
            return self.reply(200, body)
        start = self.skiptoken(len(report["connections"]))
        if start is not None:
            self.reply(200, self.report_page(report, body, start))

    def report_page(self, report, body, start):
        size = max(1, self.cfg["report_page_size"])
        connections = report["connections"]
        body["connections"] = connections[start:start + size]
        if start + size < len(connections):
            path = f"{REPORTS_PATH}/{report['reportId']}"
            body["@odata.nextLink"] = self.next_link(path, "report_api_version", start + size)
        return body


class Control(Plumbing):
    """/_fake/...: the tests' side door. No token; never recorded in stats."""

    def control(self, body):
        path, method = self.route_path, self.command
        if path.startswith("/_fake/policy/"):
            return self.control_policy(path[len("/_fake/policy/"):].lower(), method, body)
        action = {
            ("POST", "/_fake/reset"): lambda: self.ok(self.state.reset()),
            ("GET", "/_fake/config"): lambda: self.reply(200, self.state.snapshot()),
            ("POST", "/_fake/config"): lambda: self.control_config(body),
            ("POST", "/_fake/fail"): lambda: self.control_fail(body),
            ("GET", "/_fake/fail"): lambda: self.reply(200, self.state.stats()["faults"]),
            ("DELETE", "/_fake/fail"): lambda: self.ok(self.clear_faults()),
            ("POST", "/_fake/reports"): lambda: self.control_reports(body),
            ("GET", "/_fake/stats"): lambda: self.reply(200, self.state.stats()),
            ("POST", "/_fake/token"): lambda: self.control_token(body),
            ("POST", "/_fake/revoke"): lambda: self.ok(self.state.revoke()),
            ("GET", "/_fake/info"): lambda: self.reply(200, self.state.info),
        }.get((method, path))
        if action is None:
            return self.reply(404, {"error": f"no control endpoint {method} {path}"})
        action()

    def ok(self, _=None, **extra):
        self.reply(200, {"ok": True, **extra})

    def bad(self, why):
        self.reply(400, {"error": why})

    def clear_faults(self):
        with self.state.lock:
            self.state.faults.clear()

    def control_config(self, body):
        updates = self.json_body(body)
        why = self.state.update_config(updates) if updates is not None else "the body is not JSON"
        return self.bad(why) if why else self.reply(200, self.state.snapshot())

    def control_policy(self, tenant, method, body):
        if method == "GET":
            doc = self.state.get_policy(tenant)
            return self.reply(404, {"error": "no policy"}) if doc is None else self.reply(200, doc)
        if method == "DELETE":
            return self.ok(self.state.set_policy(tenant, None))
        if method == "PUT":
            doc = self.json_body(body)
            if doc is None:
                return self.bad("the body is not JSON")
            return self.ok(self.state.set_policy(tenant, doc))
        self.reply(405, {"error": "GET, PUT or DELETE"})

    def control_fail(self, body):
        fault, why = check_fault(self.json_body(body))
        if why:
            return self.bad(why)
        self.ok(id=self.state.add_fault(fault))

    def control_reports(self, body):
        spec = self.json_body(body)
        allowed = {"tenantId", "day", "status", "script", "connections", "connection_count", "error", "reportId"}
        if not isinstance(spec, dict) or set(spec) - allowed or not isinstance(spec.get("tenantId", ""), str):
            return self.bad(f"a JSON object with fields from {sorted(allowed)}")
        cfg, tenant = self.cfg, spec.get("tenantId", HOME_TENANT).lower()
        script = spec.get("script") or [spec.get("status", "Completed")]
        connections = spec.get("connections")
        if connections is None:
            connections = sample_connections(spec.get("connection_count", cfg["report_connection_count"]), tenant)
        report = self.state.add_report(tenant, spec.get("day", today(cfg)), script, connections,
                                       spec.get("error"), spec.get("reportId"))
        self.ok(reportId=report["reportId"])

    def control_token(self, body):
        """A token minted without signing in: the caller-token case."""
        spec = self.json_body(body)
        if not isinstance(spec, dict) or not isinstance(spec.get("scope"), str):
            return self.bad('a JSON object with "scope" (and optionally "tenant")')
        raw, token_id = self.state.mint(spec["scope"], spec.get("tenant", HOME_TENANT).lower(), "caller", "caller")
        self.reply(200, {"access_token": raw, "id": token_id})


class Handler(Control, Faults, Login, Policy, Reports):
    """One request: control, or recorded, perhaps faulted, then routed."""

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def do_PATCH(self):
        self.dispatch()

    def dispatch(self):
        self.state, self.rec, self.sent = self.server.state, None, False
        self.cfg = self.state.snapshot()
        split = urllib.parse.urlsplit(self.path)
        self.route_path = urllib.parse.unquote(split.path)
        self.query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        try:
            body = self.read_body()
            if body is None:
                return
            if self.route_path.startswith("/_fake/"):
                return self.control(body)
            self.rec = self.state.record(self.server.scheme, self.command, self.route_path, split.query,
                                         self.headers.get("Host"), len(body))
            fault = self.state.take_fault(self.command, self.route_path)
            if fault and self.apply_fault(fault):
                return
            self.route(body)
        except OSError:
            self.close_connection = True  # the client went away
        except Exception:  # a bug here: say so, without any secret, and answer 500
            sys.stderr.write(self.state.redact(traceback.format_exc()))
            if not self.sent:
                self.error(500, "FakeServerBug", "The fake service failed; see its stderr.")
            self.close_connection = True

    def route(self, body):
        path = self.route_path
        for pattern, handler in ((TOKEN_RE, self.token), (DEVICE_RE, self.device_code)):
            m = pattern.match(path)
            if m:
                return handler(m.group(1), body)
        m = POLICY_RE.match(path)
        if m:
            return self.policy(m.group(1), body)
        m = OP_RE.match(path)
        if m:
            return self.operation(m.group(1), m.group(2))
        if path == REPORTS_PATH:
            return self.reports(body)
        m = REPORT_RE.match(path)
        if m:
            return self.report(m.group(1))
        self.note(route="unknown")
        self.error(404, "NotFound", "No such resource.")


class Listener(ThreadingHTTPServer):
    """One port, plain or TLS; the TLS handshake runs in the request's own
    thread, so a client that stalls it blocks nobody else."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, state, scheme, contexts=None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.state, self.scheme, self.contexts = state, scheme, contexts
        self.base_url = f"{scheme}://127.0.0.1:{self.server_address[1]}"
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def get_request(self):
        sock, addr = super().get_request()
        if self.contexts:  # the certificate is chosen per connection (tls_cert)
            ctx = self.contexts[self.state.tls_cert()]
            sock = ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def finish_request(self, request, client_address):
        if self.contexts:
            request.settimeout(10)
            request.do_handshake()
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):  # refused certificates, resets, timeouts: expected
            return
        sys.stderr.write(self.state.redact(traceback.format_exc()))


def make_certs(directory):
    """Two CAs (ours and a stranger's) and three server certificates: for
    127.0.0.1/localhost from each CA, and one for the wrong name from ours."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, cwd=directory,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for ca in ("ca", "rogue_ca"):
        run("req", "-x509", *ec, "-keyout", f"{ca}.key", "-out", f"{ca}.pem", "-days", "2",
            "-subj", f"/CN=fake Power Platform {ca}",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    servers = (("good", "ca", "IP:127.0.0.1,DNS:localhost"),
               ("untrusted", "rogue_ca", "IP:127.0.0.1,DNS:localhost"),
               ("wrong_name", "ca", "DNS:wrong.example"))
    for name, ca, san in servers:
        with open(os.path.join(directory, f"{name}.ext"), "w") as f:
            f.write(f"subjectAltName={san}\nbasicConstraints=CA:FALSE\n"
                    "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n")
        run("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name} server")
        run("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
            "-set_serial", str(secrets.randbits(62)), "-out", f"{name}.pem", "-days", "2",
            "-extfile", f"{name}.ext")
    return {name: os.path.join(directory, f"{name}.pem") for name in ("ca", "rogue_ca", "good", "untrusted",
                                                                      "wrong_name")}


def server_contexts(directory):
    contexts = {}
    for name in ("good", "untrusted", "wrong_name"):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(directory, f"{name}.pem"), os.path.join(directory, f"{name}.key"))
        contexts[name] = ctx
    return contexts


class FakePowerPlatform:
    """The running fake: .url (HTTPS), .http_url, .ca_file, .state, .stop()."""

    def __init__(self, http=True, cert_dir=None, config=None):
        self._own_dir = cert_dir is None
        self.cert_dir = cert_dir or tempfile.mkdtemp(prefix="fake-pp-")
        certs = make_certs(self.cert_dir)
        self.ca_file, self.untrusted_ca_file = certs["ca"], certs["rogue_ca"]
        self.state = State()
        self.https = Listener(self.state, "https", server_contexts(self.cert_dir))
        self.httpd = Listener(self.state, "http") if http else None
        self.url = self.https.base_url
        self.http_url = self.httpd.base_url if self.httpd else None
        self.state.info = self.info()
        if config:
            why = self.state.update_config(config)
            if why:
                self.stop()
                raise ValueError(why)

    def info(self):
        return {"https": self.url, "http": self.http_url, "ca_file": self.ca_file,
                "untrusted_ca_file": self.untrusted_ca_file, "home_tenant": HOME_TENANT,
                "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "public_client_id": PUBLIC_CLIENT_ID}

    def stop(self):
        self.state.release.set()
        for listener in (self.https, self.httpd):
            if listener:
                listener.shutdown()
                listener.server_close()
        if self._own_dir:
            shutil.rmtree(self.cert_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def start_server(http=True, cert_dir=None, config=None):
    return FakePowerPlatform(http=http, cert_dir=cert_dir, config=config)


def write_atomically(path, data):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)  # a runner polling for the file never reads half of it


def main(argv=None):
    parser = argparse.ArgumentParser(description="A fake Power Platform service on 127.0.0.1.")
    parser.add_argument("--port-file", required=True, help="where to write the addresses (JSON)")
    parser.add_argument("--http", action="store_true", help="also serve plain HTTP")
    parser.add_argument("--cert-dir", help="where to make the certificates (default: a temporary directory)")
    parser.add_argument("--config", help="initial knobs, as a JSON object")
    args = parser.parse_args(argv)
    config = json.loads(args.config) if args.config else None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with start_server(http=args.http, cert_dir=args.cert_dir, config=config) as fake:
        write_atomically(args.port_file, fake.info())
        print(f"fake_powerplatform: serving {fake.url}" + (f" and {fake.http_url}" if fake.http_url else ""),
              file=sys.stderr, flush=True)
        while not stop.wait(0.2):
            pass
        try:
            os.remove(args.port_file)
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
