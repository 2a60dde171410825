"""A stand-in for Microsoft Graph and the Entra login service that misbehaves
on demand, for the Graph client's tests. Standard library only.

It serves, on 127.0.0.1 and free ports, over HTTP and HTTPS:

  GET  /v1.0/tenantRelationships/findTenantInformationByDomainName(domainName='D')
  GET  /v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='T')
  GET  /D/v2.0/.well-known/openid-configuration
  POST /T/oauth2/v2.0/token

The scenario is chosen per request by the domain's first label, up to its
first '-': "ok-1.example.com" answers, "notfound-1.example.com" is unknown,
"r429int-1.example.com" is throttled once, "r502504-1.example.com" answers
502, then 504, then the tenant, "delay300-1.example.com" answers after
300 ms, and so on (see Handler.lookup). Counters are kept per domain, so
every test uses names of its own.

The token endpoint checks grant_type, the scope (exactly this server's own
base URL + "/.default": tests point login and Graph at the same server), the
client ID and the secret. Application tenants with a behaviour of their own:
"short-lived.example" (expires_in "2", a string), "slowtoken.example" (answers
in 300 ms), "unknown-tenant.example" (AADSTS90002), and any tenant whose name
starts with "echo" (401 invalid_client whose error_description echoes the
client_secret received, decoded and as sent, URL-encoded: what a careless
server might do; the client must keep it out of its messages).

Control endpoints: GET /_stats (JSON counters), GET /_reset, GET
/_config?delay_ms=N (every look-up waits N ms first), GET /_revoke (every
token issued so far becomes invalid), GET /_tenant/D (the tenant ID served
for domain D).
"""

import hashlib
import json
import os
import re
import socket
import ssl
import subprocess
import threading
import time
import urllib.parse
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLIENT_ID = "test-client-id"
CLIENT_SECRET = "s3cret&value=+/%?"  # characters that must be URL-encoded
STATIC_TOKEN = "static-test-token.abc"

GRAPH_DOMAIN = re.compile(r"^/v1\.0/tenantRelationships/findTenantInformationByDomainName\(domainName='([^']*)'\)$")
GRAPH_TENANT = re.compile(r"^/v1\.0/tenantRelationships/findTenantInformationByTenantId\(tenantId='([^']*)'\)$")
OIDC = re.compile(r"^/([^/]+)/v2\.0/\.well-known/openid-configuration$")
TOKEN = re.compile(r"^/([^/]+)/oauth2/v2\.0/token$")

UNKNOWN_TENANT_ID = "00000000-0000-0000-0000-00000000dead"


def tenant_for(domain):
    h = hashlib.sha256(domain.encode()).hexdigest()
    return f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()
        self.delay_ms = 0

    def reset(self):
        with getattr(self, "lock", threading.Lock()):
            self.total = 0
            self.kinds = {}
            self.domains = {}
            self.inflight = 0
            self.max_inflight = 0
            self.tokens = {}  # token -> expiry (time.time())
            self.token_seq = 0
            self.auth_headers = []

    def stats(self):
        with self.lock:
            return {
                "total": self.total,
                "kinds": dict(self.kinds),
                "domains": dict(self.domains),
                "max_inflight": self.max_inflight,
                "tokens_issued": self.token_seq,
                "delay_ms": self.delay_ms,
            }


STATE = State()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "tenantiso-test/1"
    disable_nagle_algorithm = True  # else Nagle and delayed ACKs add 40 ms per answer

    def log_message(self, fmt, *args):  # quiet
        pass

    # ---- plumbing ----
    def send_body(self, code, body, ctype="application/json", headers=None):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def count(self, kind, domain=None):
        with STATE.lock:
            STATE.total += 1
            STATE.kinds[kind] = STATE.kinds.get(kind, 0) + 1
            n = 0
            if domain is not None:
                n = STATE.domains.get(domain, 0) + 1
                STATE.domains[domain] = n
            return n

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urllib.parse.unquote(self.path.split("?", 1)[0])
        query = urllib.parse.parse_qs(self.path.split("?", 1)[1]) if "?" in self.path else {}
        if path.startswith("/_"):
            return self.control(path, query)
        with STATE.lock:
            STATE.inflight += 1
            STATE.max_inflight = max(STATE.max_inflight, STATE.inflight)
        try:
            self.route(path, body)
        finally:
            with STATE.lock:
                STATE.inflight -= 1

    def control(self, path, query):
        if path == "/_stats":
            return self.send_body(200, STATE.stats())
        if path == "/_reset":
            STATE.reset()
            return self.send_body(200, {"ok": True})
        if path == "/_config":
            STATE.delay_ms = int(query.get("delay_ms", ["0"])[0])
            return self.send_body(200, {"ok": True})
        if path == "/_revoke":
            with STATE.lock:
                STATE.tokens.clear()
            return self.send_body(200, {"ok": True})
        if path.startswith("/_tenant/"):
            return self.send_body(200, tenant_for(path[len("/_tenant/"):]).encode(), "text/plain")
        if path == "/elsewhere":
            self.count("elsewhere")
            return self.send_body(200, {"tenantId": tenant_for("elsewhere")})
        return self.send_body(404, {"error": "no such control"})

    def route(self, path, body):
        m = TOKEN.match(path)
        if m and self.command == "POST":
            return self.token(m.group(1), body)
        m = GRAPH_DOMAIN.match(path)
        if m:
            domain = m.group(1)
            n = self.count("graph", domain)
            if not self.authorized():
                return
            return self.lookup(domain, n, graph=True)
        m = GRAPH_TENANT.match(path)
        if m:
            tid = m.group(1)
            self.count("info", tid)
            if not self.authorized():
                return
            if tid == UNKNOWN_TENANT_ID:
                return self.send_body(404, {"error": {"code": "Request_ResourceNotFound",
                                                      "message": f"Tenant '{tid}' does not exist."}})
            return self.send_body(200, {"tenantId": tid, "displayName": f"Tenant {tid[:8]}",
                                        "defaultDomainName": f"t{tid[:8]}.onmicrosoft.com",
                                        "federationBrandName": None})
        m = OIDC.match(path)
        if m:
            domain = m.group(1)
            n = self.count("oidc", domain)
            return self.lookup(domain, n, graph=False)
        self.count("unknown")
        return self.send_body(404, {"error": {"code": "UnknownPath", "message": path}})

    # ---- credentials ----
    def token(self, tenant, body):
        self.count("token", tenant)
        form = urllib.parse.parse_qs(body.decode())
        get = lambda k: form.get(k, [""])[0]
        if tenant == "slowtoken.example":
            time.sleep(0.3)
        if tenant == "unknown-tenant.example":
            return self.send_body(400, {
                "error": "invalid_tenant",
                "error_description": f"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have "
                                     "the correct tenant ID.\r\nTrace ID: 1\r\nCorrelation ID: 2",
                "error_codes": [90002]})
        if get("grant_type") != "client_credentials" or get("scope") != self.server.base_url + "/.default":
            return self.send_body(400, {"error": "invalid_request",
                                        "error_description": "AADSTS900144: bad grant_type or scope",
                                        "error_codes": [900144]})
        if tenant.startswith("echo"):
            # The secret as it came on the wire (form-encoded), and decoded.
            sent = next((kv[len("client_secret="):] for kv in body.decode().split("&")
                         if kv.startswith("client_secret=")), "")
            return self.send_body(401, {
                "error": "invalid_client",
                "error_description": f"AADSTS7000215: Invalid client secret provided: '{get('client_secret')}' "
                                     f"(sent as '{sent}') for app '{get('client_id')}' in tenant '{tenant}'."
                                     "\r\nTrace ID: e1\r\nCorrelation ID: e2",
                "error_codes": [7000215]})
        if get("client_id") != CLIENT_ID or get("client_secret") != CLIENT_SECRET:
            return self.send_body(401, {
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being "
                                     f"sent in the request is the client secret value, not the client secret "
                                     f"ID, for a secret added to app '{CLIENT_ID}'.\r\nTrace ID: 0b1c\r\n"
                                     "Correlation ID: 77aa\r\nTimestamp: 2026-01-01 00:00:00Z",
                "error_codes": [7000215]})
        with STATE.lock:
            STATE.token_seq += 1
            tok = f"tok-{STATE.token_seq}-{os.urandom(6).hex()}"
            lifetime = 2 if tenant == "short-lived.example" else 3599
            STATE.tokens[tok] = time.time() + lifetime
        # expires_in as a string for the short-lived tenant, as a number otherwise
        expires = str(lifetime) if lifetime == 2 else lifetime
        return self.send_body(200, {"token_type": "Bearer", "expires_in": expires, "ext_expires_in": expires,
                                    "access_token": tok})

    def authorized(self):
        auth = self.headers.get("Authorization", "")
        tok = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        with STATE.lock:
            ok = tok == STATIC_TOKEN or (tok in STATE.tokens and STATE.tokens[tok] > time.time())
        if not ok:
            self.send_body(401, {"error": {"code": "InvalidAuthenticationToken",
                                           "message": "Access token has expired or is not yet valid."}})
        return ok

    # ---- look-ups ----
    def not_found(self, domain, graph):
        if graph:
            return self.send_body(404, {"error": {"code": "Request_ResourceNotFound",
                                                  "message": f"Resource '{domain}' does not exist."}})
        return self.send_body(400, {
            "error": "invalid_tenant",
            "error_description": f"AADSTS90002: Tenant '{domain}' not found. Check to make sure you have the "
                                 "correct tenant ID and are signing into the correct cloud.\r\nTrace ID: 5\r\n"
                                 "Correlation ID: 6\r\nTimestamp: 2026-01-01 00:00:00Z",
            "error_codes": [90002], "timestamp": "2026-01-01 00:00:00Z"})

    def found(self, domain, graph, tid=None):
        tid = tid or tenant_for(domain)
        if graph:
            return self.send_body(200, {
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.tenantInformation",
                "tenantId": tid, "federationBrandName": None, "displayName": f"Tenant {domain}",
                "defaultDomainName": domain})
        base = f"https://login.microsoftonline.com/{tid}"
        return self.send_body(200, {
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "issuer": f"{base}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "tenant_region_scope": "EU"})

    def lookup(self, domain, n, graph):
        if STATE.delay_ms:
            time.sleep(STATE.delay_ms / 1000.0)
        scenario = domain.split(".", 1)[0].split("-", 1)[0]
        if scenario == "ok":
            return self.found(domain, graph)
        if scenario == "notfound":
            return self.not_found(domain, graph)
        if scenario in ("r429int", "r429frac", "r429date") and n == 1:
            after = {"r429int": "1", "r429frac": "0.35",
                     "r429date": formatdate(time.time() + 2, usegmt=True)}[scenario]
            return self.send_body(429, {"error": {"code": "TooManyRequests", "message": "Slow down."}},
                                  headers={"Retry-After": after})
        if scenario in ("r429int", "r429frac", "r429date"):
            return self.found(domain, graph)
        if scenario == "throttle":
            return self.send_body(429, {"error": {"code": "TooManyRequests", "message": "Slow down."}},
                                  headers={"Retry-After": "0.05"})
        if scenario == "throttlelong":
            return self.send_body(429, {"error": {"code": "TooManyRequests", "message": "Slow down."}},
                                  headers={"Retry-After": "120"})
        if scenario == "r503":
            if n <= 2:
                return self.send_body(503, {"error": {"code": "serviceNotAvailable", "message": "Busy."}})
            return self.found(domain, graph)
        if scenario == "r502504":
            if n == 1:
                return self.send_body(502, b"<html><body>502 Bad Gateway</body></html>", "text/html")
            if n == 2:
                return self.send_body(504, {"error": {"code": "GatewayTimeout", "message": "Upstream timed out."}})
            return self.found(domain, graph)
        if scenario == "fail504":
            return self.send_body(504, {"error": {"code": "GatewayTimeout", "message": "Upstream timed out."}})
        if scenario.startswith("delay") and scenario[len("delay"):].isdigit():
            time.sleep(min(int(scenario[len("delay"):]), 10000) / 1000.0)
            return self.found(domain, graph)
        if scenario == "fail500":
            return self.send_body(500, {"error": {"code": "generalException", "message": "It broke."}})
        if scenario == "stall":
            time.sleep(6)
            return self.found(domain, graph)
        if scenario == "badjson":
            return self.send_body(200, b'{"tenantId": "1b2c', "application/json")
        if scenario == "notenant":
            return self.send_body(200, {"displayName": "No ID here", "issuer": None})
        if scenario == "badguid":
            if graph:
                return self.send_body(200, {"tenantId": "not-a-guid\"<script>", "displayName": "x"})
            return self.send_body(200, {"issuer": "https://login.microsoftonline.com/common/v2.0"})
        if scenario == "niltenant":
            return self.found(domain, graph, tid="00000000-0000-0000-0000-000000000000")
        if scenario == "huge":
            return self.send_body(200, b'{"tenantId": "' + b"x" * (2 * 1024 * 1024) + b'"}')
        if scenario == "hugechunk":
            # No Content-Length: the size shows only while the body arrives.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                self.wfile.write(b'{"tenantId": "')
                chunk = b"y" * 65536
                for _ in range(40):
                    self.wfile.write(chunk)
            except OSError:
                pass
            return
        if scenario == "trunc":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "500")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b'{"tenantId": "1b2c3d4e')
            self.wfile.flush()
            self.close_connection = True
            return
        if scenario == "redirect":
            port = self.server.redirect_port
            return self.send_body(302, {"moved": True},
                                  headers={"Location": f"http://localhost:{port}/elsewhere"})
        return self.not_found(domain, graph)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        # A client that gave up (timeout, body cap, TLS refusal) is expected here.
        import sys
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def make_certs(directory):
    """A test CA, a server certificate for 127.0.0.1 and one for the wrong name."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, cwd=directory,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=tenantiso test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    for name, san in (("good", "IP:127.0.0.1"), ("wrong", "DNS:wrong.example")):
        with open(os.path.join(directory, f"{name}.ext"), "w") as f:
            f.write(f"subjectAltName={san}\nbasicConstraints=CA:FALSE\n"
                    "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n")
        run("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name} server")
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext")
    return {n: os.path.join(directory, f"{n}.pem") for n in ("ca", "good", "wrong")}


def serve(httpd):
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    return t


def start(cert_dir):
    """Starts every server; returns a dict of base URLs and the CA file."""
    certs = make_certs(cert_dir)
    plain = Server(("127.0.0.1", 0), Handler)
    servers = [plain]
    for name in ("good", "wrong"):
        httpd = Server(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(cert_dir, f"{name}.pem"), os.path.join(cert_dir, f"{name}.key"))
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
        servers.append(httpd)
    for s, scheme in zip(servers, ("http", "https", "https")):
        s.redirect_port = plain.server_address[1]
        s.base_url = f"{scheme}://127.0.0.1:{s.server_address[1]}"
        serve(s)
    # A port with nothing listening: bound, then closed.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        refused_port = s.getsockname()[1]
    return {
        "TISO_TEST_HTTP": f"http://127.0.0.1:{plain.server_address[1]}",
        "TISO_TEST_HTTPS": f"https://127.0.0.1:{servers[1].server_address[1]}",
        "TISO_TEST_HTTPS_WRONG": f"https://127.0.0.1:{servers[2].server_address[1]}",
        "TISO_TEST_REFUSED": f"http://127.0.0.1:{refused_port}",
        "TISO_TEST_CA_FILE": certs["ca"],
        "TISO_TEST_CLIENT_ID": CLIENT_ID,
        "TISO_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "TISO_TEST_STATIC_TOKEN": STATIC_TOKEN,
    }, servers
