"""Python figures for SPEC 9: decisions against a 10,000-entry policy through
tenantiso.py, one call at a time and through evaluate_many (the batch call).
Prints "python <what> <ns per decision> <CPU ns per decision>" lines (the
medians of five runs; the process's CPU time shows the cost on a busy host).

Usage: TENANTISO_LIBRARY=... python3 bench_python.py MODULE_DIR [rounds]"""

import json
import sys
import time

sys.path.insert(0, sys.argv[1])
import tenantiso  # noqa: E402

N = 10000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
HOME = "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"


def tid(prefix, i):
    return f"{prefix}000000-0000-4000-8000-{i:012d}"


entries = [{"tenantId": tid("5a", i), "direction": {"inbound": True, "outbound": True}}
           for i in range(1, N + 1)]
requests = []
for i in range(1, N + 1):
    requests += [(HOME, tid("5a", i)), (tid("6b", i), HOME)]  # a hit outbound, a miss inbound
policy = tenantiso.Policy.from_json(json.dumps(
    {"tenantId": HOME, "isDisabled": False, "allowedTenants": entries}))


def measure(what, per_round, fn):
    fn()  # warms the tenant ID cache
    runs, cpu = [], []
    for _ in range(5):
        t0, c0 = time.perf_counter_ns(), time.process_time_ns()
        for _ in range(ROUNDS):
            fn()
        runs.append((time.perf_counter_ns() - t0) / (ROUNDS * per_round))
        cpu.append((time.process_time_ns() - c0) / (ROUNDS * per_round))
    print(f"python {what} {sorted(runs)[2]:.1f} {sorted(cpu)[2]:.1f}")


SAMPLE = requests[::5]  # every fifth: hits and misses alike, and a run of bearable length


def one_at_a_time():
    allows = sum(policy.evaluate(c, t).allowed for c, t in SAMPLE)
    assert allows == len(SAMPLE) // 2


def many():
    allows = sum(d.allowed for d in policy.evaluate_many(requests))
    assert allows == N


measure("evaluate_one_at_a_time", len(SAMPLE), one_at_a_time)
measure("evaluate_many", len(requests), many)
