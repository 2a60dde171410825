#!/usr/bin/env python3
"""`tenantiso resolve` through the Graph client, against the test server
(run through run_graph_tests.py, which sets TISO_TEST_*).

    cli_resolve_check.py PATH-TO-tenantiso

Exits 0 when the CLI resolves through the test server as it should, 1 when
it does not, 77 (skipped) while the CLI has no Graph resolution yet."""

import hashlib
import os
import subprocess
import sys
import time


def tenant_for(domain):
    h = hashlib.sha256(domain.encode()).hexdigest()
    return f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def run(cli, args, env_add=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TENANTISO_")}
    env.update(env_add or {})
    t0 = time.monotonic()
    p = subprocess.run([cli, *args], env=env, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


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

    for f in failures:
        print("FAIL", f)
    print(f"{'ok' if not failures else 'FAILED'}: tenantiso resolve through the Graph client")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
