"""Prints `tenantiso eval --batch` output as a table beside its requests.

Usage: tenantiso eval ... --batch REQUESTS | python3 show_decisions.py REQUESTS
"""
import json
import sys


def short(name: str) -> str:
    """A tenant ID shortened for a table; domains as they are."""
    return name[:8] + "…" if len(name) == 36 and name.count("-") == 4 else name


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        requests = [json.loads(line) for line in f if line.strip()]
    rows = [("#", "creator", "target", "connector", "verdict", "reason", "direction", "rule")]
    blocked = 0
    for line in sys.stdin:
        d = json.loads(line)
        req = requests[d["line"] - 1]
        if "error" in d:
            rows.append((str(d["line"]), short(req.get("creator", "")), short(req.get("target", "")),
                         req.get("connector", ""), "error", d["error"]["code"], "", ""))
            continue
        blocked += d["verdict"] == "deny"
        rows.append((str(d["line"]), short(req["creator"]), short(req["target"]), req.get("connector", ""),
                     d["verdict"], d["reason"], d["direction"] or "-",
                     "-" if d["rule"] is None else str(d["rule"])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    print(f"\n{len(rows) - 1} connections, {blocked} blocked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
