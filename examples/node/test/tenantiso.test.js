'use strict';
// node --test: the Node.js binding against the built library (TENANTISO_LIBRARY).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const tenantiso = require('../tenantiso');

const CONTOSO = 'c0a7b3e1-5d4f-4e2a-9b1c-000000c07050';
const FABRIKAM = 'fab41ca0-7e3d-4c1b-8a2f-0000000fab41';
const A = '11111111-1111-1111-1111-111111111111';
const B = '22222222-2222-2222-2222-222222222222';

function policyJson(home, outbound = [], inbound = []) {
  const tenants = [...new Set([...outbound, ...inbound])];
  return JSON.stringify({
    tenantId: home, isDisabled: false,
    allowedTenants: tenants.map((t) => ({ tenantId: t, direction: { inbound: inbound.includes(t), outbound: outbound.includes(t) } })),
  });
}

const REQUESTS = [
  [CONTOSO, FABRIKAM],
  [CONTOSO, B],
  [A, CONTOSO, 'inbound'],
  [CONTOSO, B, 'INBOUND'],
  { creator: CONTOSO, target: B, connector: 'shared_visualstudioteamservices' },
  { creator: CONTOSO, target: B, connector: 'shared_visualstudioteamservices\0x' },
  { creator: CONTOSO, target: B, direction: 'outbound', connector: 'shared_office365' },
  [CONTOSO, CONTOSO],
  [FABRIKAM, CONTOSO],
  ['not-a-tenant', FABRIKAM],
  [CONTOSO, '00000000-0000-0000-0000-000000000000'],
  [CONTOSO, FABRIKAM, 'sideways'],
  [null, FABRIKAM],
  42,
  [CONTOSO],
];

function alone(evaluator, r) {
  let args;
  if (Array.isArray(r) && (r.length === 2 || r.length === 3)) args = [r[0], r[1], r.length === 3 ? { direction: r[2] } : {}];
  else if (r && typeof r === 'object' && !Array.isArray(r)) args = [r.creator, r.target, { direction: r.direction, connector: r.connector }];
  else return { code: 'invalid_argument' };
  if (args[2].direction === undefined) delete args[2].direction;
  try {
    return { decision: evaluator.evaluate(...args) };
  } catch (e) {
    assert.ok(e instanceof tenantiso.TenantIsoError);
    return { code: e.code };
  }
}

function check(evaluator) {
  const got = evaluator.evaluateMany(REQUESTS);
  assert.strictEqual(got.length, REQUESTS.length);
  REQUESTS.forEach((r, i) => {
    const { decision, code } = alone(evaluator, r);
    if (decision) {
      assert.strictEqual(got[i].errorCode, null, `request ${i}`);
      assert.deepStrictEqual(got[i].toJSON(), decision.toJSON(), `request ${i}`);
    } else {
      assert.strictEqual(got[i].errorCode, code, `request ${i}`);
      assert.strictEqual(got[i].allowed, false);
      assert.ok(got[i].errorMessage);
    }
  });
  return got;
}

test('load from a file and evaluate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiso-node-'));
  const file = path.join(dir, 'policy.json');
  fs.writeFileSync(file, policyJson(CONTOSO, [FABRIKAM]));
  const p = tenantiso.Policy.fromFile(file);
  const d = p.evaluate(CONTOSO, FABRIKAM);
  assert.deepStrictEqual([d.allowed, d.reason, d.direction, d.rule, d.externalTenant], [true, 'allowlisted', 'outbound', 0, FABRIKAM]);
  assert.match(p.evaluate(CONTOSO, B).message, new RegExp(B));
  p.close();
  fs.rmSync(dir, { recursive: true });
});

test('errors are TenantIsoError with the library code', () => {
  assert.throws(() => tenantiso.Policy.fromJson('{\n "tenantId": 5'), (e) => e instanceof tenantiso.TenantIsoError && e.code === 'syntax' && e.line === 2);
  assert.throws(() => tenantiso.Policy.fromFile('/nonexistent/policy.json'), { code: 'io' });
  const p = tenantiso.Policy.fromJson(policyJson(CONTOSO));
  assert.throws(() => p.evaluate('x', FABRIKAM), { code: 'invalid_domain' });
  assert.throws(() => p.evaluate(CONTOSO, B, { direction: 'inbound' }), { code: 'inconsistent_direction' });
  p.close();
  assert.throws(() => p.evaluate(CONTOSO, B), { code: 'invalid_argument' });
  p.close(); // twice is fine
});

test('evaluateMany on a policy is each request alone', () => {
  const p = tenantiso.Policy.fromJson(policyJson(CONTOSO, [FABRIKAM], [A]));
  const got = check(p);
  assert.deepStrictEqual(got.slice(0, 3).map((d) => d.allowed), [true, false, true]);
  assert.strictEqual(got[5].errorCode, 'invalid_argument'); // a NUL in the connector name
  p.close();
});

test('evaluateMany on a set is each request alone, with blockedBy', () => {
  const set = new tenantiso.PolicySet();
  const p = tenantiso.Policy.fromJson(policyJson(CONTOSO, [FABRIKAM], [A]));
  set.add(p);
  set.add(tenantiso.Policy.fromJson(policyJson(FABRIKAM, [], [CONTOSO])));
  assert.throws(() => set.add(p), { code: 'conflict' });
  assert.strictEqual(set.size, 2);
  const got = check(set);
  assert.strictEqual(got[8].blockedBy, FABRIKAM);
  set.remove(FABRIKAM);
  assert.throws(() => set.remove(FABRIKAM), { code: 'not_found' });
  set.close();
  p.close();
});

test('TenantId objects stand for their strings', () => {
  const p = tenantiso.Policy.fromJson(policyJson(CONTOSO, [FABRIKAM]));
  const c = tenantiso.TenantId.parse(CONTOSO.toUpperCase());
  assert.strictEqual(String(c), CONTOSO);
  const f = tenantiso.TenantId.parse(FABRIKAM);
  const got = p.evaluateMany([[c, f], [f, c], { creator: c, target: FABRIKAM }, [c, {}]]);
  assert.deepStrictEqual(got.map((d) => d.errorCode ?? d.verdict), ['allow', 'deny', 'allow', 'invalid_argument']);
  assert.throws(() => tenantiso.TenantId.parse('nope'), { code: 'invalid_tenant' });
  p.close();
});

test('ids are parsed once', () => {
  const p = tenantiso.Policy.fromJson(policyJson(CONTOSO, [FABRIKAM]));
  const ids = new tenantiso.TenantIdCache();
  p.evaluateMany(Array(100).fill([CONTOSO, FABRIKAM]).concat(Array(100).fill([CONTOSO, B])), ids);
  assert.strictEqual(ids.size, 3);
  assert.deepStrictEqual(p.evaluateMany([]), []);
  p.close();
});

test('replace between batches: each batch sees one version', () => {
  const set = new tenantiso.PolicySet();
  const open = policyJson(CONTOSO, [FABRIKAM, A, B]);
  const closed = policyJson(CONTOSO);
  const batch = [];
  for (let i = 0; i < 50; i++) batch.push([CONTOSO, FABRIKAM], [CONTOSO, A], [CONTOSO, B]);
  for (let n = 0; n < 20; n++) {
    const p = tenantiso.Policy.fromJson(n % 2 ? open : closed);
    set.replace(p);
    p.close(); // the set keeps its own reference
    const verdicts = new Set(set.evaluateMany(batch).map((d) => d.allowed));
    assert.deepStrictEqual([...verdicts], [n % 2 === 1]);
  }
  set.close();
});

// Every field of a decision, for comparing one from a batch with the one-at-a-time call's.
function fields(d) {
  return {
    status: d.status, errorCode: d.errorCode, errorMessage: d.errorMessage, allowed: d.allowed, verdict: d.verdict,
    reason: d.reason, direction: d.direction, rule: d.rule, externalTenant: d.externalTenant, creator: d.creator,
    target: d.target, blockedBy: d.blockedBy, policyId: d.policyId, message: d.message,
  };
}

// The one-at-a-time call for a request of any shape evaluateMany takes: its decision, or its error code.
function single(evaluator, r) {
  let creator; let target; let options = {};
  if (Array.isArray(r) && (r.length === 2 || r.length === 3)) {
    [creator, target] = r;
    if (r.length === 3) options = { direction: r[2] };
  } else if (r && typeof r === 'object' && !Array.isArray(r)) {
    ({ creator, target } = r);
    for (const k of ['direction', 'connector', 'auth']) if (r[k] !== undefined) options[k] = r[k];
  } else {
    return { code: 'invalid_argument' };
  }
  try {
    return { decision: evaluator.evaluate(creator, target, options) };
  } catch (e) {
    assert.ok(e instanceof tenantiso.TenantIsoError);
    return { code: e.code };
  }
}

// Requests of every kind, good and bad, in a fixed pseudo-random order: more
// than one buffer's worth (1,024), IDs repeated, in any case, as TenantIds.
function mixedBatch(count) {
  const c = tenantiso.TenantId.parse(CONTOSO);
  const f = tenantiso.TenantId.parse(FABRIKAM);
  const kinds = [
    ...REQUESTS,
    [CONTOSO.toUpperCase(), FABRIKAM], [c, f], [f, c, 'inbound'], { creator: c, target: B, auth: 'non_entra' },
    { creator: CONTOSO, target: B, auth: 'entra' }, { creator: CONTOSO, target: B, auth: 'nope' },
    ['__proto__', FABRIKAM], [CONTOSO, 'toString'], [CONTOSO, 'constructor'], [`${CONTOSO}\0`, FABRIKAM],
    [CONTOSO, FABRIKAM, 'constructor'], { creator: CONTOSO, target: FABRIKAM, auth: 'toString' },
    [CONTOSO, FABRIKAM, undefined], [CONTOSO, 5], undefined, { creator: CONTOSO }, [A, CONTOSO], [CONTOSO, A],
  ];
  const batch = [];
  let x = 12345;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    batch.push(kinds[x % kinds.length]);
  }
  return batch.concat(kinds);
}

function eachAlone(evaluator, batch, got) {
  assert.strictEqual(got.length, batch.length);
  const seen = new Set();
  batch.forEach((r, i) => {
    const { decision, code } = single(evaluator, r);
    if (decision) {
      assert.deepStrictEqual(fields(got[i]), fields(decision), `request ${i}`);
    } else {
      assert.strictEqual(got[i].errorCode, code, `request ${i}`);
      assert.deepStrictEqual([got[i].allowed, got[i].verdict], [false, 'deny'], `request ${i}`);
    }
    seen.add(got[i].errorCode ?? got[i].verdict);
  });
  return seen;
}

test('a mixed batch of good and bad requests: each decision is the one-at-a-time call\'s, field by field', () => {
  const p = tenantiso.Policy.fromJson(policyJson(CONTOSO, [FABRIKAM], [A]));
  const batch = mixedBatch(3000);
  const seen = eachAlone(p, batch, p.evaluateMany(batch));
  assert.deepStrictEqual([...seen].sort(), ['allow', 'deny', 'inconsistent_direction', 'invalid_argument', 'invalid_domain', 'invalid_tenant']);
  const set = new tenantiso.PolicySet();
  set.add(p);
  set.add(tenantiso.Policy.fromJson(policyJson(FABRIKAM, [], [CONTOSO])));
  eachAlone(set, batch, set.evaluateMany(batch));
  set.close();
  p.close();
});

test('names an object has are no tenant, direction or auth kind', () => {
  const p = tenantiso.Policy.fromJson(policyJson(CONTOSO, [FABRIKAM]));
  for (const auth of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
    assert.throws(() => p.evaluate(CONTOSO, FABRIKAM, { auth }), { code: 'invalid_argument' }, auth);
    assert.throws(() => p.evaluate(CONTOSO, FABRIKAM, { auth, connector: 'shared_office365' }), { code: 'invalid_argument' }, auth);
    assert.throws(() => p.evaluate(CONTOSO, FABRIKAM, { direction: auth }), { code: 'invalid_argument' }, auth);
    assert.throws(() => p.evaluate(auth, FABRIKAM), { code: 'invalid_domain' }, auth);
  }
  assert.strictEqual(p.evaluate(CONTOSO, FABRIKAM).allowed, true);
  p.close();
});

test('decisions keep their values after later batches', () => {
  const p = tenantiso.Policy.fromJson(policyJson(CONTOSO, [FABRIKAM], [A]));
  const set = new tenantiso.PolicySet();
  set.add(p);
  const first = p.evaluateMany(mixedBatch(500));
  const firstSet = set.evaluateMany(mixedBatch(500));
  const before = [first.map(fields), firstSet.map(fields)];
  const other = mixedBatch(5000).reverse();
  p.evaluateMany(other);
  set.evaluateMany(other);
  p.evaluateMany([[CONTOSO, B]]);
  assert.deepStrictEqual([first.map(fields), firstSet.map(fields)], before);
  set.close();
  p.close();
});

test('a tenant ID cache that starts over gives the same decisions', () => {
  const p = tenantiso.Policy.fromJson(policyJson(CONTOSO, [FABRIKAM], [A]));
  const ids = new tenantiso.TenantIdCache(3);
  const batch = mixedBatch(2000);
  assert.deepStrictEqual(p.evaluateMany(batch, ids).map(fields), p.evaluateMany(batch).map(fields));
  assert.ok(ids.size <= 3);
  p.close();
});

test('thousands of distinct tenant IDs: each decision is the one-at-a-time call\'s', () => {
  const id = (i) => `${(0x10000000 + i).toString(16)}-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const ids = Array.from({ length: 5000 }, (_, i) => id(i));
  const allowed = ids.filter((_, i) => i % 7 === 0);
  const p = tenantiso.Policy.fromJson(policyJson(CONTOSO, allowed, allowed.filter((_, i) => i % 2 === 0)));
  const batch = ids.flatMap((t, i) => [[CONTOSO, t], i % 3 ? [t, CONTOSO] : [t.toUpperCase(), CONTOSO]]);
  const cache = new tenantiso.TenantIdCache();
  const got = p.evaluateMany(batch, cache);
  assert.strictEqual(cache.size, new Set(batch.flat()).size); // each string parsed once, the cache grown past 64
  eachAlone(p, batch, got);
  assert.strictEqual(got.filter((d) => d.allowed).length, allowed.length + Math.ceil(allowed.length / 2));
  p.close();
});

test('the README example runs', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.strictEqual(blocks.length, 1);
  const source = blocks[0].replace("require('tenantiso')", "require('../tenantiso')");
  new Function('require', source)(require); // eslint-disable-line no-new-func
});

// The library's one classifier names what a creator or target that is no
// tenant ID is, as for the CLI and Python (tests/cli/test_consistency.py):
// the binding used to answer invalid_tenant for every one of them.
const NAME_CODES = [
  ['bad', 'invalid_domain'],
  ['contoso.com', 'resolve'], // a domain, and no resolver
  ['-bad-.com', 'invalid_domain'],
  ['*', 'invalid_tenant'],
  ['', 'invalid_tenant'],
  [`{${CONTOSO}}`, 'invalid_tenant'],
  [`${CONTOSO} `, 'invalid_tenant'],
  ['00000000-0000-0000-0000-000000000000', 'invalid_tenant'],
  ['a\0b', 'invalid_argument'],
];

test('a name that is no tenant ID gets the classifier\'s status, alone and in a batch', () => {
  const p = tenantiso.Policy.fromJson(policyJson(CONTOSO, [FABRIKAM]));
  const set = new tenantiso.PolicySet();
  set.add(p);
  for (const [name, code] of NAME_CODES) {
    for (const ev of [p, set]) {
      assert.throws(() => ev.evaluate(name, FABRIKAM), { code }, name);
      assert.throws(() => ev.evaluate(CONTOSO, name), { code }, name);
      const got = ev.evaluateMany([[name, FABRIKAM], { creator: CONTOSO, target: name }, [CONTOSO, FABRIKAM]]);
      assert.deepStrictEqual(got.map((d) => [d.allowed, d.errorCode]), [[false, code], [false, code], [true, null]], name);
    }
  }
  assert.strictEqual(p.evaluate(CONTOSO.toUpperCase(), FABRIKAM).allowed, true);
  set.close();
  p.close();
});

// The cross-surface table (tests/cli/test_consistency.py): every record as the
// CLI and Python decide it without a domain map. Only in the repository.
const RECORDS = path.join(__dirname, '..', '..', '..', 'tests', 'cli', 'consistency_records.json');

// Each record through evaluate and evaluateMany of `decider`, as
// [status, verdict, reason(, blockedBy)], against want(record).
function checkRecords(records, decider, label, want, withBlocked) {
  const outcome = (d) => {
    const o = d.errorCode ? [d.errorCode, null, null] : ['ok', d.verdict, d.reason];
    return withBlocked ? [...o, d.errorCode ? null : d.blockedBy] : o;
  };
  const many = decider.evaluateMany(records.map(({ creator, target, connector }) => ({ creator, target, connector })));
  records.forEach((r, i) => {
    let one;
    try {
      one = outcome(decider.evaluate(r.creator, r.target, { connector: r.connector }));
    } catch (e) {
      if (!(e instanceof tenantiso.TenantIsoError)) throw e;
      one = withBlocked ? [e.code, null, null, null] : [e.code, null, null];
    }
    assert.deepStrictEqual(one, want(r), `${label} evaluate, record ${i}: ${JSON.stringify(r)}`);
    assert.deepStrictEqual(outcome(many[i]), want(r), `${label} evaluateMany, record ${i}: ${JSON.stringify(r)}`);
  });
}

test('the cross-surface records get the CLI\'s and Python\'s answers', { skip: !fs.existsSync(RECORDS) }, () => {
  const doc = JSON.parse(fs.readFileSync(RECORDS, 'utf8'));
  assert.ok(doc.records.length >= 40);
  const p = tenantiso.Policy.fromJson(JSON.stringify(doc.policy));
  checkRecords(doc.records, p, 'policy', (r) => [r.status, r.verdict, r.reason], false);
  const set = new tenantiso.PolicySet();
  set.add(p);
  const fabrikam = tenantiso.Policy.fromJson(JSON.stringify(doc.fabrikam));
  set.add(fabrikam);
  checkRecords(doc.records, set, 'set', (r) => [r.set.status, r.set.verdict, r.set.reason, r.set.blockedBy], true);
  set.close();
  fabrikam.close();
  p.close();
});
