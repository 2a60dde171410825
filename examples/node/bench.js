'use strict';
// Node.js figures for SPEC 9: decisions against a 10,000-entry policy, one
// call at a time and through evaluateMany (the batch call), and through a
// policy set's evaluateMany (both sides of each request). Prints one line
// per figure: "node <what> <ns per decision> <CPU ns per decision>" (the
// process's CPU time shows the cost on a busy host). Usage: node bench.js [rounds]
const tenantiso = require('./tenantiso');

const N = 10000;
const rounds = Number(process.argv[2] || 20);
const home = 'c0a7b3e1-5d4f-4e2a-9b1c-000000c07050';
const hex = (prefix, i) => `${prefix}000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const entries = [];
const requests = [];
for (let i = 1; i <= N; i++) {
  entries.push({ tenantId: hex('5a', i), direction: { inbound: true, outbound: true } });
  requests.push([home, hex('5a', i)], [hex('6b', i), home]); // a hit outbound, a miss inbound
}
const policy = tenantiso.Policy.fromJson(JSON.stringify({ tenantId: home, isDisabled: false, allowedTenants: entries }));

function measure(what, decisionsPerRound, fn) {
  fn(); // warm the tenant ID cache and the JIT
  const wall = [];
  const cpu = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (let k = 0; k < rounds; k++) fn();
    const c = process.cpuUsage(c0);
    wall.push(Number(process.hrtime.bigint() - t0) / (rounds * decisionsPerRound));
    cpu.push(((c.user + c.system) * 1000) / (rounds * decisionsPerRound));
  }
  const median = (v) => v.sort((a, b) => a - b)[2].toFixed(1);
  console.log(`node ${what} ${median(wall)} ${median(cpu)}`); // medians of five runs
}

let sink = 0;
measure('evaluate_one_at_a_time', requests.length / 10, () => {
  for (let i = 0; i < requests.length; i += 10) sink += policy.evaluate(requests[i][0], requests[i][1]).allowed ? 1 : 0;
});
measure('evaluate_many', requests.length, () => {
  for (const d of policy.evaluateMany(requests)) sink += d.allowed ? 1 : 0;
});
const parsed = requests.map(([cr, tg]) => [tenantiso.TenantId.parse(cr), tenantiso.TenantId.parse(tg)]);
measure('evaluate_many_parsed_ids', parsed.length, () => {
  for (const d of policy.evaluateMany(parsed)) sink += d.allowed ? 1 : 0;
});
const set = new tenantiso.PolicySet();
set.add(policy);
measure('set_evaluate_many', requests.length, () => {
  for (const d of set.evaluateMany(requests)) sink += d.allowed ? 1 : 0;
});
if (sink < 0) console.log(sink);
set.close();
policy.close();
