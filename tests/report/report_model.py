"""An independent model of SPEC 3 and 6 for the CLI tests: it reads the
same inputs as `tenantiso report` and says, without the library, what each
connection's verdict and reason must be, the totals, the rows by tenant, and
the entries a suggestion needs."""
import json
import re

NON_ENTRA = {"shared_visualstudioteamservices"}
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class Policy:
    def __init__(self, path, domains):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        props = doc.get("properties", doc)
        self.home = props["tenantId"].lower()
        self.on = not props.get("isDisabled", False)
        self.non_entra = props.get("evaluateNonEntraConnectors", False)
        self.entries = []
        for e in props.get("allowedTenants", []):
            tenant = e.get("tenantId") or domains[e["domain"].lower()]
            d = e["direction"]
            self.entries.append((tenant.lower(), d.get("inbound", False), d.get("outbound", False)))


def resolve(name, domains):
    """The tenant ID for a name, or None when it is neither an ID nor a known domain."""
    if GUID.match(name):
        return name.lower()
    return domains.get(name.lower().rstrip("."))


def decide(policy, creator, target, connector):
    """(verdict, reason, direction, external) per SPEC 3 for one policy."""
    if creator == target:
        return "allow", "same_tenant", None, None
    name = (connector or "").rsplit("/", 1)[-1].lower()
    if name in NON_ENTRA and not policy.non_entra:
        return "allow", "not_evaluated_non_entra", None, None
    if creator == policy.home:
        direction, external, index = "outbound", target, 2
    elif target == policy.home:
        direction, external, index = "inbound", creator, 1
    else:
        return "allow", "not_applicable", None, None
    if not policy.on:
        return "allow", "isolation_disabled", direction, external
    if any(e[0] == external and e[index] for e in policy.entries):
        return "allow", "allowlisted", direction, external
    if any(e[0] == "*" and e[index] for e in policy.entries):
        return "allow", "wildcard", direction, external
    return "deny", "not_allowlisted", direction, external


def records(paths, domains):
    """(creator, target, connector) per record of the inputs, None for a bad one."""
    out = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            doc = json.loads(text)
        except ValueError:
            doc = None
        if isinstance(doc, dict) and "connections" in doc:
            page = doc["tenantId"]
            for e in doc["connections"]:
                kind = e.get("connectionType", "").lower()
                if kind not in ("inbound", "outbound"):
                    out.append(None)
                    continue
                creator, target = (page, e["tenantId"]) if kind == "outbound" else (e["tenantId"], page)
                out.append((creator, target, e.get("connector") or e.get("connectorId")))
            continue
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                out.append(None)
                continue
            if not isinstance(rec, dict):
                out.append(None)
                continue
            out.append((rec["creatorTenantId"], rec["targetTenantId"], rec.get("connector")))
    return out


def expected(policy, paths, domains):
    """Per-record decisions (None for errors), totals and rows by tenant."""
    decisions, rows = [], {}
    totals = {"connections": 0, "allowed": 0, "blocked": 0, "notCovered": 0, "errors": 0}
    needs = {}
    for rec in records(paths, domains):
        totals["connections"] += 1
        ids = rec and (resolve(rec[0], domains), resolve(rec[1], domains))
        if not rec or None in ids:
            totals["errors"] += 1
            decisions.append(None)
            continue
        d = decide(policy, ids[0], ids[1], rec[2])
        decisions.append(d)
        if d[1] == "not_evaluated_non_entra":
            totals["notCovered"] += 1
        elif d[0] == "allow":
            totals["allowed"] += 1
        else:
            totals["blocked"] += 1
            needs.setdefault(d[3], set()).add(d[2])
        if d[2]:
            row = rows.setdefault((d[3], d[2]), [0, 0])
            row[0] += 1
            row[1] += d[0] == "deny"
    return decisions, totals, rows, needs
