#!/usr/bin/env python3
"""Starts the misbehaving Graph/login test server (graph_server.py) on
127.0.0.1, makes its test CA and certificates in a temporary directory, and
runs a test program against it with the servers' addresses in the
environment (TISO_TEST_HTTP, TISO_TEST_HTTPS, TISO_TEST_HTTPS_WRONG,
TISO_TEST_REFUSED, TISO_TEST_CA_FILE, ...).

    run_graph_tests.py PROGRAM [ARGS...]

Exits with the program's exit status."""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import graph_server  # noqa: E402


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="tiso-graph-") as tmp:
        env_add, servers = graph_server.start(tmp)
        env = dict(os.environ)
        for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            env.pop(k, None)
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost,::1"
        env.update(env_add)
        try:
            proc = subprocess.run(sys.argv[1:], env=env, timeout=900)
            rc = proc.returncode
        except subprocess.TimeoutExpired:
            print("run_graph_tests: the test program timed out", file=sys.stderr)
            rc = 1
        for s in servers:
            s.shutdown()
            s.server_close()
        return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    sys.exit(main())
