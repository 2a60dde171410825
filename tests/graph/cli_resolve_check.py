#!/usr/bin/env python3
"""`tenantiso resolve` through the Graph client, against the test server
(run through run_graph_tests.py, which sets TISO_TEST_*).

    cli_resolve_check.py PATH-TO-tenantiso

Exits 0 when the CLI resolves through the test server as it should, 1 when
it does not, 77 (skipped) while the CLI has no Graph resolution yet.

Besides single names: several names in one call are resolved concurrently
(the server counts the requests in flight, and names that each take their
own time finish in about the time of the slowest) and printed in argument
order; a tenant ID prints Graph's information about it when credentials are
configured, and only its canonical form otherwise; the first failing name,
in argument order, is the one reported."""

import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.request

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def tenant_for(domain):
    h = hashlib.sha256(domain.encode()).hexdigest()
    return f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def run(cli, args, env_add=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TENANTISO_")}
    env.update(env_add or {})
    t0 = time.monotonic()
    p = subprocess.run([cli, *args], env=env, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


def control(path):
    """GET a control endpoint of the test server (not counted in its stats)."""
    with NO_PROXY.open(os.environ["TISO_TEST_HTTP"] + path, timeout=10) as r:
        return json.loads(r.read().decode())


def info_line(tid):
    """What the test server says about a tenant ID, as `resolve` prints it."""
    return f"{tid} t{tid[:8]}.onmicrosoft.com Tenant {tid[:8]}"


def main():
    cli = sys.argv[1]
    http = os.environ["TISO_TEST_HTTP"]
    urls = ["--login-url", http, "--graph-url", http, "--timeout", "5"]
    failures = []

    def expect(cond, what, out):
        if not cond:
            failures.append(f"{what}: {out!r}")

    rc, out, err, _ = run(cli, ["resolve", "ok-cli.example.com", *urls])
    if rc != 0 and "not available in this version" in err:
        print(f"skipped: this tenantiso has no Graph resolution yet ({err.strip()})")
        return 77
    expect(rc == 0 and out.split() == ["ok-cli.example.com", tenant_for("ok-cli.example.com")],
           "resolve a domain by OpenID discovery", (rc, out, err))

    # An empty credential variable counts as unset (issue 11 item 2, as Azure
    # Identity's EnvironmentCredential): OpenID discovery, not "client
    # credentials need a tenant ID, a client ID and a client secret".
    for empty in ({"TENANTISO_CLIENT_SECRET": ""},
                  {"TENANTISO_TENANT_ID": "", "TENANTISO_CLIENT_ID": "", "TENANTISO_CLIENT_SECRET": ""},
                  {"TENANTISO_ACCESS_TOKEN": ""}):
        rc, out, err, _ = run(cli, ["resolve", "ok-cli.example.com", *urls], empty)
        expect(rc == 0 and out.split() == ["ok-cli.example.com", tenant_for("ok-cli.example.com")],
               f"empty credential variables {sorted(empty)} count as unset", (rc, out, err))

    rc, out, err, _ = run(cli, ["resolve", "notfound-cli.example.com", *urls])
    expect(rc in (2, 3) and "notfound-cli.example.com" in err and out == "", "an unknown domain", (rc, out, err))

    rc, out, err, _ = run(cli, ["resolve", "bad name", *urls])
    expect(rc == 2 and out == "", "an invalid name is a usage error", (rc, out, err))

    creds = {"TENANTISO_TENANT_ID": "cli-app.example", "TENANTISO_CLIENT_ID": os.environ["TISO_TEST_CLIENT_ID"],
             "TENANTISO_CLIENT_SECRET": os.environ["TISO_TEST_CLIENT_SECRET"]}
    names = [f"ok-cli{i}.example.com" for i in range(20)]
    rc, out, err, took = run(cli, ["resolve", *names, *urls], creds)
    want = [f"{n} {tenant_for(n)}" for n in names]
    expect(rc == 0 and out.splitlines() == want, "20 names through Graph with client credentials", (rc, out, err))

    bad = dict(creds, TENANTISO_CLIENT_SECRET="wrong-secret-value")
    rc, out, err, _ = run(cli, ["resolve", "ok-cli-bad.example.com", *urls], bad)
    expect(rc == 3 and "AADSTS7000215" in err and "wrong-secret-value" not in err + out,
           "a wrong client secret", (rc, out, err))

    rc, out, err, _ = run(cli, ["resolve", "ok-cli-tok.example.com", *urls],
                          {"TENANTISO_ACCESS_TOKEN": os.environ["TISO_TEST_STATIC_TOKEN"]})
    expect(rc == 0 and out.split() == ["ok-cli-tok.example.com", tenant_for("ok-cli-tok.example.com")],
           "a bearer token from TENANTISO_ACCESS_TOKEN", (rc, out, err))

    rc, out, err, _ = run(cli, ["resolve", "ok-cli.example.com", "--cloud", "mars", *urls])
    expect(rc == 2, "an unknown --cloud", (rc, out, err))

    rc, out, err, _ = run(cli, ["resolve", "ok-cli-tls.example.com", "--login-url",
                                os.environ["TISO_TEST_HTTPS"], "--ca-file", os.environ["TISO_TEST_CA_FILE"]])
    expect(rc == 0, "https with --ca-file", (rc, out, err))
    rc, out, err, _ = run(cli, ["resolve", "ok-cli-tls2.example.com", "--login-url", os.environ["TISO_TEST_HTTPS"]])
    expect(rc == 3 and "certificate" in err, "https without --ca-file", (rc, out, err))

    concurrency_checks(cli, urls, creds, expect)
    tenant_info_checks(cli, urls, creds, expect)
    first_failure_checks(cli, urls, creds, expect)

    # A token endpoint that echoes the secret: the CLI's message must not carry it.
    long_secret = "s3cret/+ &=value-long-enough"
    echo = dict(creds, TENANTISO_TENANT_ID="echosecret.example", TENANTISO_CLIENT_SECRET=long_secret)
    for args in (["resolve", "ok-cli-echo.example.com"], ["resolve", tenant_for("echo"), "--json"]):
        rc, out, err, _ = run(cli, [*args, *urls], echo)
        expect(rc == 3 and "AADSTS7000215" in out + err and "s3cret" not in out + err
               and "s3cret%2F%2B%20%26%3Dvalue-long-enough" not in out + err and "value-long-enough" not in out + err,
               f"a token endpoint echoing the secret ({args[-1]})", (rc, out, err))

    for f in failures:
        print("FAIL", f)
    print(f"{'ok' if not failures else 'FAILED'}: tenantiso resolve through the Graph client")
    return 1 if failures else 0


def concurrency_checks(cli, urls, creds, expect):
    """Several names in one call go out at once, and print in argument order."""
    # Each name answers after its own delay: the first argument answers last.
    delays = [1500, 300, 1000, 0, 600, 1200, 1500, 900]
    serial = sum(delays) / 1000.0
    for label, env, extra in (("discovery", {}, []), ("Graph", creds, []), ("Graph --json", creds, ["--json"])):
        tag = "".join(c for c in label.lower() if c.isalpha())
        names = [f"delay{d}-conc{i}{tag}.example.com" if d else f"ok-conc{i}{tag}.example.com"
                 for i, d in enumerate(delays)]
        names.append(names[1].upper())  # the same name again: asked for once, printed twice
        control("/_reset")
        rc, out, err, took = run(cli, ["resolve", *names, *urls, *extra], env)
        stats = control("/_stats")
        if extra:
            try:
                got = [(o["name"], o["tenantId"], o["domain"]) for o in json.loads(out)]
            except (ValueError, KeyError, TypeError):
                got = None
            want = [(n, tenant_for(n.lower()), n.lower()) for n in names]
        else:
            got = out.splitlines()
            want = [f"{n.lower()} {tenant_for(n.lower())}" for n in names]
        expect(rc == 0 and got == want, f"{label}: {len(names)} names, output in argument order", (rc, out, err))
        kind = "graph" if env else "oidc"
        expect(stats["kinds"].get(kind) == len(delays) and all(stats["domains"].get(n) == 1 for n in names[:-1]),
               f"{label}: one request per distinct name", stats)
        # Serially, at most one request would ever be in flight.
        expect(stats["max_inflight"] >= 4, f"{label}: requests in flight at once", stats)
        print(f"{label}: {len(names)} names (the slowest answers in 1.5 s, {serial:.1f} s one after another) "
              f"in {took:.2f} s, {stats['max_inflight']} requests in flight at most")
        expect(1.4 <= took < 0.7 * serial, f"{label}: about the time of the slowest name, not the sum", took)


def tenant_info_checks(cli, urls, creds, expect):
    """A tenant ID: Graph's information with credentials, the canonical ID without."""
    tid = tenant_for("info-cli.example")
    tid2 = tenant_for("info-cli2.example")
    token = {"TENANTISO_ACCESS_TOKEN": os.environ["TISO_TEST_STATIC_TOKEN"]}
    for label, env in (("client credentials", creds), ("an access token", token)):
        rc, out, err, _ = run(cli, ["resolve", tid.upper(), *urls], env)
        expect(rc == 0 and out == info_line(tid) + "\n", f"a tenant ID with {label}", (rc, out, err))

    rc, out, err, _ = run(cli, ["resolve", tid, "--json", *urls], creds)
    want = [{"name": tid, "tenantId": tid, "domain": None, "displayName": f"Tenant {tid[:8]}",
             "defaultDomainName": f"t{tid[:8]}.onmicrosoft.com", "federationBrandName": None}]
    expect(rc == 0 and json.loads(out or "null") == want, "a tenant ID with credentials, --json", (rc, out, err))

    # Mixed with domains, in argument order.
    names = ["ok-info1.example.com", tid2, "ok-info2.example.com", tid]
    rc, out, err, _ = run(cli, ["resolve", *names, *urls], creds)
    want = [f"ok-info1.example.com {tenant_for('ok-info1.example.com')}", info_line(tid2),
            f"ok-info2.example.com {tenant_for('ok-info2.example.com')}", info_line(tid)]
    expect(rc == 0 and out.splitlines() == want, "tenant IDs and domains together", (rc, out, err))

    # Without credentials (or outside the global cloud): the canonical ID, and no request.
    before = control("/_stats")["kinds"].get("info", 0)
    rc, out, err, _ = run(cli, ["resolve", tid.upper(), *urls])
    expect(rc == 0 and out == tid + "\n", "a tenant ID without credentials", (rc, out, err))
    rc, out, err, _ = run(cli, ["resolve", tid, "--json", *urls])
    expect(rc == 0 and json.loads(out or "null") == [{"name": tid, "tenantId": tid, "domain": None}],
           "a tenant ID without credentials, --json: no tenant information keys", (rc, out, err))
    rc, out, err, _ = run(cli, ["resolve", tid, "--cloud", "usgov", *urls], creds)
    expect(rc == 0 and out == tid + "\n", "a tenant ID in the usgov cloud", (rc, out, err))
    expect(control("/_stats")["kinds"].get("info", 0) == before, "no tenant look-up without credentials",
           control("/_stats"))

    # An unknown tenant: "not found", like an unknown domain.
    dead = "00000000-0000-0000-0000-00000000dead"
    rc, out, err, _ = run(cli, ["resolve", tid, dead, *urls], creds)
    expect(rc == 2 and out == "" and f"'{dead}'" in err and "no such tenant" in err, "an unknown tenant ID",
           (rc, out, err))
    rc, out, err, _ = run(cli, ["resolve", dead, "--json", *urls], creds)
    expect(rc == 2 and json.loads(out or "null").get("error", {}).get("code") == "not_found",
           "an unknown tenant ID, --json", (rc, out, err))


def first_failure_checks(cli, urls, creds, expect):
    """The first failing name in argument order is reported; nothing is printed."""
    for label, env in (("discovery", {}), ("Graph", creds)):
        tag = "g" if env else "d"
        names = [f"delay500-ff1{tag}.example.com", f"notfound-ff2{tag}.example.com", f"fail500-ff3{tag}.example.com"]
        rc, out, err, _ = run(cli, ["resolve", *names, *urls], env)
        where = "Microsoft Graph" if env else "the login service's OpenID discovery"
        expect(rc == 2 and out == "" and err == f"tenantiso: resolve: '{names[1]}': not in {where}\n",
               f"{label}: the first failure in argument order", (rc, out, err))
        control("/_reset")
        names = [f"ok-ff4{tag}.example.com", "bad name", f"ok-ff5{tag}.example.com"]
        rc, out, err, _ = run(cli, ["resolve", *names, *urls, "--json"], env)
        stats = control("/_stats")
        expect(rc == 2 and json.loads(out or "null").get("error", {}).get("code") == "invalid_domain"
               and "'bad name'" in out, f"{label}: an invalid name among valid ones", (rc, out, err))
        expect(stats["domains"].get(names[2]) is None, f"{label}: no look-up after an invalid name", stats)


if __name__ == "__main__":
    sys.exit(main())
