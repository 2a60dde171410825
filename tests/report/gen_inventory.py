#!/usr/bin/env python3
"""Writes a synthetic JSON Lines connection inventory for a home tenant.

Usage: gen_inventory.py LINES OUT.jsonl [--seed N] [--distinct-outbound | --page]

Deterministic for a seed. About 70% of the connections stay inside the home
tenant (some by guest users from other tenants), the rest cross to or from
200 external tenants; 3% use the Azure DevOps connector (not covered by
isolation); a few use domains from the Contoso example's domain map. Used by
the performance measurement and the large-input tests.

With --distinct-outbound every line is an outbound connection from the home
tenant to a tenant of its own (tenant i is ...-<i as 12 hex digits>): as
many blocked tenants as lines, for the entry-limit tests. With --page the
connections that cross the home tenant's border are written as one report
page of the home tenant instead, pretty-printed as the service sends it, for
the memory measurement.
"""
import json
import random
import sys

HOME = "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
DOMAINS = ["fabrikam.com", "northwindtraders.com", "woodgrovebank.com", "tailspintoys.com"]
CONNECTORS = ["shared_office365", "shared_sharepointonline", "shared_onedriveforbusiness", "shared_teams",
              "shared_sql", "shared_commondataserviceforapps"]


def main():
    lines, out = int(sys.argv[1]), sys.argv[2]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    if "--distinct-outbound" in sys.argv:
        with open(out, "w") as f:
            f.writelines('{"creatorTenantId":"%s","targetTenantId":"11111111-2222-4333-8444-%012x"}\n' % (HOME, i + 1)
                         for i in range(lines))
        return
    rnd = random.Random(seed)
    externals = ["%08x-%04x-4%03x-8%03x-%012x" % (rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(12),
                                                  rnd.getrandbits(12), rnd.getrandbits(48)) for _ in range(200)]
    envs = ["Default-" + HOME] + ["%08x-0000-4000-8000-%012x" % (i, i) for i in range(1, 20)]
    page = "--page" in sys.argv
    with open(out, "w") as f:
        if page:
            f.write('{\n  "tenantId": "%s",\n  "reportId": "00000000-0000-4000-8000-000000000001",\n'
                    '  "status": "Completed",\n  "connections": [\n' % HOME)
        for i in range(lines):
            r = rnd.random()
            ext = rnd.choice(externals) if rnd.random() > 0.02 else rnd.choice(DOMAINS)
            if r < 0.7:
                creator, target = HOME, HOME
                user = HOME if rnd.random() > 0.1 else rnd.choice(externals)
            elif r < 0.85:
                creator, target, user = HOME, ext, HOME
            else:
                creator, target, user = ext, HOME, ext
            connector = "shared_visualstudioteamservices" if rnd.random() < 0.03 else rnd.choice(CONNECTORS)
            rec = {"creatorTenantId": creator, "targetTenantId": target, "connector": connector,
                   "connectionId": "%032x" % rnd.getrandbits(128), "environmentId": rnd.choice(envs),
                   "userTenantId": user, "createdTime": "2025-04-%02dT10:00:00Z" % (1 + i % 28)}
            if not page:
                f.write(json.dumps(rec, separators=(",", ":")) + "\n")
                continue
            del rec["creatorTenantId"], rec["targetTenantId"]
            rec = {"tenantId": target if creator == HOME else creator,
                   "connectionType": "Outbound" if creator == HOME else "Inbound", **rec}
            f.write(("" if i == 0 else ",\n") + "    " + json.dumps(rec))
        if page:
            f.write("\n  ]\n}\n")


if __name__ == "__main__":
    main()
