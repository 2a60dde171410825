'use strict';
// Node.js bindings for libtenantiso over its C ABI, through koffi (no native
// build step). The library is the one named by TENANTISO_LIBRARY (a path),
// else the system loader's libtenantiso.so.1.
//
// Every evaluation goes through the batch calls (tiso_evaluate_batch,
// tiso_policy_set_decide_batch): requests are packed into one buffer of C
// structs, decisions are read from one buffer, and fields are decoded only
// when read. Errors: TenantIsoError, with the library's code and message.

const koffi = require('koffi');

const ABI_VERSION = 1;

function loadLibrary() {
  const name = process.env.TENANTISO_LIBRARY || 'libtenantiso.so.1';
  try {
    return { lib: koffi.load(name), name };
  } catch (e) {
    throw new Error(`tenantiso: cannot load the library ${name}: ${e.message} (set TENANTISO_LIBRARY to its path)`);
  }
}

const { lib, name: libraryPath } = loadLibrary();

// The C structs this module reads or writes, as in include/tenantiso/*.h.
const TenantIdT = koffi.struct('tiso_tenant_id', { bytes: koffi.array('uint8_t', 16) });
const ErrorT = koffi.struct('tiso_error', {
  status: 'int', line: 'uint32_t', column: 'uint32_t', offset: 'uint64_t',
  path: koffi.array('char', 256, 'String'), message: koffi.array('char', 512, 'String'),
});
const DecisionT = koffi.struct('tiso_decision', {
  verdict: 'int', reason: 'int', direction: 'int', rule: 'int32_t', external_tenant: TenantIdT,
  creator: TenantIdT, target: TenantIdT, blocked_by: TenantIdT, policy_id: 'uint64_t',
});
const RequestT = koffi.struct('tiso_request', {
  creator: TenantIdT, target: TenantIdT, direction: 'int', connector: 'const char *', auth: 'int',
});
const SetDecisionT = koffi.struct('tiso_set_decision', { decision: DecisionT, outbound: DecisionT, inbound: DecisionT });
koffi.opaque('tiso_policy');
koffi.opaque('tiso_policy_set');

const c = {
  abi: lib.func('int tiso_abi_version(void)'),
  statusName: lib.func('const char *tiso_status_name(int status)'),
  strerror: lib.func('const char *tiso_strerror(int status)'),
  reasonName: lib.func('const char *tiso_reason_name(int reason)'),
  directionName: lib.func('const char *tiso_direction_name(int direction)'),
  idParse: lib.func('int tiso_tenant_id_parse(_Out_ uint8_t *out, const char *text, size_t len)'),
  resolve: lib.func('int tiso_resolver_resolve(_Out_ tiso_tenant_id *out, void *resolver, const char *name, _Out_ tiso_error *err)'),
  idParseEx: lib.func('int tiso_tenant_id_parse_ex(_Out_ tiso_tenant_id *out, const char *text, size_t len, _Out_ tiso_error *err)'),
  authKind: lib.func('int tiso_connector_auth_kind(const char *connector)'),
  loadFile: lib.func('int tiso_policy_load_file(_Out_ tiso_policy **out, const char *path, void *opts, _Out_ tiso_error *err)'),
  loadJson: lib.func('int tiso_policy_load_json(_Out_ tiso_policy **out, const char *json, size_t len, void *opts, _Out_ tiso_error *err)'),
  policyFree: lib.func('void tiso_policy_free(tiso_policy *p)'),
  homeTenant: lib.func('int tiso_policy_home_tenant(_Out_ tiso_tenant_id *out, tiso_policy *p)'),
  evaluateBatch: lib.func('int tiso_evaluate_batch(void *out, void *statuses, tiso_policy *p, const void *requests, size_t count)'),
  message: lib.func('size_t tiso_decision_message(_Out_ uint8_t *buf, size_t size, const void *d)'),
  setNew: lib.func('int tiso_policy_set_new(_Out_ tiso_policy_set **out, unsigned int flags, _Out_ tiso_error *err)'),
  setAdd: lib.func('int tiso_policy_set_add(tiso_policy_set *s, tiso_policy *p, _Out_ tiso_error *err)'),
  setPut: lib.func('int tiso_policy_set_put(tiso_policy_set *s, tiso_policy *p, _Out_ tiso_error *err)'),
  setLoadFile: lib.func('int tiso_policy_set_load_file(tiso_policy_set *s, const char *path, void *opts, _Out_ tiso_error *err)'),
  setRemove: lib.func('int tiso_policy_set_remove(tiso_policy_set *s, const tiso_tenant_id *home, _Out_ tiso_error *err)'),
  setCount: lib.func('size_t tiso_policy_set_count(tiso_policy_set *s)'),
  setDecideBatch: lib.func('int tiso_policy_set_decide_batch(void *out, void *statuses, tiso_policy_set *s, const void *requests, size_t count)'),
  setFree: lib.func('void tiso_policy_set_free(tiso_policy_set *s)'),
};

if (c.abi() !== ABI_VERSION) {
  throw new Error(`tenantiso: ${libraryPath} has ABI ${c.abi()}, this module needs ${ABI_VERSION}`);
}

const OK = 0;
const E_INVALID_ARGUMENT = 1;
const BAD_ENUM = 0x7fff; // no direction's or auth kind's value: the library refuses the request
// Maps, not objects: 'toString' or 'constructor' is no direction or auth kind.
const DIRECTIONS = new Map([['auto', 3], ['inbound', 1], ['outbound', 2]]);
const AUTH_KINDS = new Map([['entra', 1], ['non_entra', 2]]);
const REQUEST_SIZE = koffi.sizeof(RequestT);
const REQ_TARGET = koffi.offsetof(RequestT, 'target');
const REQ_DIRECTION = koffi.offsetof(RequestT, 'direction');
const REQ_AUTH = koffi.offsetof(RequestT, 'auth');
const DECISION_SIZE = koffi.sizeof(DecisionT);
const SET_DECISION_SIZE = koffi.sizeof(SetDecisionT);
const D = Object.fromEntries(['verdict', 'reason', 'direction', 'rule', 'external_tenant', 'creator', 'target', 'blocked_by', 'policy_id']
  .map((f) => [f, koffi.offsetof(DecisionT, f)]));
const REASONS = Array.from({ length: 8 }, (_, i) => c.reasonName(i));
const DIRECTION_NAMES = Array.from({ length: 4 }, (_, i) => c.directionName(i));

/** A libtenantiso failure: no decision was made (treat it as a deny). */
class TenantIsoError extends Error {
  constructor(status, message, detail = {}) {
    const code = c.statusName(status);
    super(`${code}: ${message || c.strerror(status)}`);
    this.name = 'TenantIsoError';
    this.status = status;
    this.code = code;
    this.detail = message || c.strerror(status);
    this.path = detail.path || null;
    this.line = detail.line || null;
    this.column = detail.column || null;
  }
}

function raise(status, err) {
  throw new TenantIsoError(status, err && err.message, err ? { path: err.path, line: err.line, column: err.column } : {});
}

function misuse(message) {
  return new TenantIsoError(E_INVALID_ARGUMENT, message);
}

// ---- tenant IDs, parsed once per distinct string ----

const ID_OUT = Buffer.alloc(16); // tiso_tenant_id_parse's output, copied at once
const ID_OUT_WORDS = new Int32Array(ID_OUT.buffer, ID_OUT.byteOffset, 4);

/**
 * Tenant ID strings parsed once, by the library's parser: text -> 16 bytes.
 * The bytes live in one Int32Array (`pool`, four words a slot) and `slots`
 * holds a slot's word offset, so packing a request copies words without
 * touching an object per ID. `slots` is an object without prototype, which
 * V8 keeps as a hash table of internalized strings: packing a request of two
 * strings took 42 ns with it, 71 with a Map (bench.js's requests; the
 * look-ups are most of a batch's cost). Offset 0 is the nil
 * ID: the slot of every string the library refuses, which then refuses the
 * request as it refuses the string alone. Bounded: past maxSize strings it
 * starts over.
 */
class TenantIdCache {
  constructor(maxSize = 1 << 17) {
    this.slots = Object.create(null);
    this.count = 0;
    this.pool = new Int32Array(4 * 64);
    this.next = 4;
    this.maxSize = maxSize;
  }

  get size() { return this.count; }

  /** The word offset in `pool` of the string's 16 bytes (0, all zero, when it is not a tenant ID). */
  slot(text) {
    const at = this.slots[text];
    return at === undefined ? this.add(text) : at;
  }

  add(text) {
    if (this.count >= this.maxSize) {
      this.slots = Object.create(null);
      this.count = 0;
      this.next = 4;
    }
    const bytes = Buffer.from(text, 'utf8');
    let at = 0;
    if (c.idParse(ID_OUT, bytes, bytes.length) === OK) {
      at = this.next;
      this.next += 4;
      if (this.next > this.pool.length) {
        const pool = new Int32Array(this.pool.length * 2);
        pool.set(this.pool);
        this.pool = pool;
      }
      this.pool.set(ID_OUT_WORDS, at);
    }
    this.slots[text] = at;
    this.count++;
    return at;
  }

  /** A copy of the string's 16 bytes as four words (all zero when it is not a tenant ID). */
  words(text) {
    const at = this.slot(text);
    return this.pool.slice(at, at + 4);
  }
}

const sharedIds = new TenantIdCache();

/**
 * A parsed tenant ID, for callers that reuse IDs: requests may carry these
 * instead of strings, which skips even the cache lookup. TenantId.parse
 * throws invalid_tenant.
 */
class TenantId {
  constructor(words, text) {
    this.words = words; // the 16 bytes as four 32-bit words, as the library takes them
    this.text = text;
    Object.freeze(this);
  }

  static parse(text) {
    const canonical = parseTenantId(text);
    return new TenantId(sharedIds.words(canonical), canonical);
  }

  toString() { return this.text; }
}

/** Validates a tenant ID; returns its canonical lowercase form. Throws invalid_tenant. */
function parseTenantId(text) {
  if (typeof text !== 'string') throw misuse('a tenant ID must be a string');
  const bytes = Buffer.from(text, 'utf8');
  const out = {};
  const err = {};
  const st = c.idParseEx(out, bytes, bytes.length, err);
  if (st !== OK) raise(st, err);
  return formatId(Buffer.from(out.bytes), 0);
}

function formatId(buf, off) {
  const h = buf.toString('hex', off, off + 16);
  if (h === '00000000000000000000000000000000') return null;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- decisions, read from the output buffer when asked ----

/** One decision. Fields are decoded from the library's struct on access. */
class Decision {
  // `batch` holds the call's output (see output()): the tiso_decisions'
  // bytes (`buf`, and `view` as 32-bit words) and the statuses.
  constructor(batch, index) {
    this._batch = batch;
    this._index = index;
  }

  get _buf() { return this._batch.buf; }
  get _off() { return this._index * DECISION_SIZE; }
  /** The library's status for this request: 0 when decided. */
  get status() { return this._batch.statuses[this._index]; }
  /** The status name of a request that could not be decided (a deny), else null. */
  get errorCode() { return this.status === OK ? null : c.statusName(this.status); }
  /** What went wrong, beside errorCode; else null. */
  get errorMessage() { return this.status === OK ? null : c.strerror(this.status); }

  get allowed() { return this._batch.view[this._index * DW_SIZE + DW_VERDICT] === 1; }
  get verdict() { return this.allowed ? 'allow' : 'deny'; }
  get reason() { return REASONS[this._buf.readInt32LE(this._off + D.reason)] || 'unknown'; }
  get direction() {
    const d = this._buf.readInt32LE(this._off + D.direction);
    return d === 0 ? null : DIRECTION_NAMES[d];
  }
  get rule() {
    const r = this._buf.readInt32LE(this._off + D.rule);
    return r < 0 ? null : r;
  }
  get externalTenant() { return formatId(this._buf, this._off + D.external_tenant); }
  get creator() { return formatId(this._buf, this._off + D.creator); }
  get target() { return formatId(this._buf, this._off + D.target); }
  get blockedBy() { return formatId(this._buf, this._off + D.blocked_by); }
  get policyId() { return this._buf.readBigUInt64LE(this._off + D.policy_id); }

  /** One or two sentences a person can act on. */
  get message() {
    const d = this._buf.subarray(this._off, this._off + DECISION_SIZE);
    let out = Buffer.alloc(1024);
    const need = Number(c.message(out, out.length, d));
    if (need >= out.length) {
      out = Buffer.alloc(need + 1);
      c.message(out, out.length, d);
    }
    return out.toString('utf8', 0, Math.min(need, out.length - 1));
  }

  toJSON() {
    return {
      verdict: this.verdict, reason: this.reason, direction: this.direction, externalTenant: this.externalTenant,
      rule: this.rule, blockedBy: this.blockedBy, errorCode: this.errorCode,
    };
  }
}

// ---- requests, packed as C structs ----

function authOf(connector, auth, cache) {
  if (auth !== undefined && auth !== null) return AUTH_KINDS.get(auth) || BAD_ENUM;
  if (connector === undefined || connector === null) return 0;
  if (typeof connector !== 'string' || connector.includes('\0')) return BAD_ENUM;
  // The library's own table decides; the request then carries the kind.
  let kind = cache.get(connector);
  if (kind === undefined) {
    kind = c.authKind(connector);
    cache.set(connector, kind);
  }
  return kind;
}

function directionOf(direction) {
  if (direction === 'auto') return AUTO;
  return (typeof direction === 'string' && DIRECTIONS.get(direction.toLowerCase())) || BAD_ENUM;
}

// Writes are 32-bit words: every field of tiso_request is 4-byte aligned.
const W_SIZE = REQUEST_SIZE / 4;
const W_TARGET = REQ_TARGET / 4;
const W_DIRECTION = REQ_DIRECTION / 4;
const W_AUTH = REQ_AUTH / 4;
const AUTO = DIRECTIONS.get('auto');
const DW_VERDICT = D.verdict / 4;

// Buffers the library uses during a call only are reused by every call, up
// to this size (a larger batch gets its own): fresh memory costs a page fault
// per 4 KiB, and a 20,000-request batch about 40 ns a decision in system time.
const SCRATCH_BYTES = 8 << 20;

// Int32Array `old` if it holds `length` words, else a new one, kept for the
// next call when small enough.
function scratchOf(old, length, keep) {
  if (old.length >= length) return old;
  const fresh = new Int32Array(length);
  if (length * 4 <= SCRATCH_BYTES) keep(fresh);
  return fresh;
}

// The requests of a call, as tiso_request structs, in a reused buffer. Its
// connector pointers stay NULL (a connector goes in as its auth kind) and
// pack writes every other field the library reads, so nothing of an earlier
// batch is read.
let requestScratch = new Int32Array(W_SIZE * 1024);

// Writes the 16 bytes of `tenant` (a string, through the cache, or a
// TenantId) at words[at..at+3]; false for anything else.
function putId(words, at, tenant, ids) {
  let src;
  let k = 0;
  if (typeof tenant === 'string') {
    k = ids.slots[tenant];
    if (k === undefined) k = ids.add(tenant);
    src = ids.pool;
  } else if (tenant instanceof TenantId) {
    src = tenant.words;
  } else {
    return false;
  }
  words[at] = src[k]; words[at + 1] = src[k + 1]; words[at + 2] = src[k + 2]; words[at + 3] = src[k + 3];
  return true;
}

// The requests as tiso_request structs (`words`), and the indexes of misused
// ones (not a request, or a tenant that is neither a string nor a TenantId).
function pack(requests, n, ids) {
  const words = scratchOf(requestScratch, n * W_SIZE, (w) => { requestScratch = w; });
  const misused = [];
  let kinds = null;
  for (let i = 0; i < n; i++) {
    const r = requests[i];
    const w = i * W_SIZE;
    let creator; let target; let direction = AUTO; let auth = 0;
    if (Array.isArray(r)) {
      creator = r[0];
      target = r[1];
      if (r.length === 3) {
        if (r[2] !== undefined) direction = directionOf(r[2]); // undefined: auto, as in evaluate()
      } else if (r.length !== 2) {
        creator = undefined;
      }
    } else if (r && typeof r === 'object') {
      ({ creator, target } = r);
      if (r.direction !== undefined) direction = directionOf(r.direction);
      const { connector, auth: kind } = r;
      if (connector !== undefined || kind !== undefined) auth = authOf(connector, kind, kinds || (kinds = new Map()));
    }
    if (!putId(words, w, creator, ids) || !putId(words, w + W_TARGET, target, ids)) {
      misused.push(i); // not strings: misuse, as evaluate() says; the nil IDs make the library refuse it
      words.fill(0, w, w + 4);
      words.fill(0, w + W_TARGET, w + W_TARGET + 4);
    }
    words[w + W_DIRECTION] = direction;
    words[w + W_AUTH] = auth;
  }
  return { words, misused };
}

// A batch's output, which its Decisions keep: n tiso_decisions then n
// statuses, in one uninitialized buffer that the library (or decideSet)
// fills, every decision and status (a bad request's is the fail-closed deny).
function output(n) {
  const size = n * (DECISION_SIZE + 4);
  // A small one (a single evaluate) from Node's shared pool, whose slices are
  // 8-byte aligned, rather than a malloc for each call.
  let buf = size < Buffer.poolSize >>> 1 ? Buffer.allocUnsafe(size) : null;
  if (buf === null || buf.byteOffset % 8 !== 0) buf = Buffer.allocUnsafeSlow(size);
  const view = new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
  return { buf, view, statuses: view.subarray((n * DECISION_SIZE) >> 2) };
}

function decidePolicy(ptr, words, n) {
  const out = output(n);
  const st = c.evaluateBatch(out.buf, out.statuses, ptr, words, n);
  if (st !== OK) raise(st);
  return out;
}

// A set's decision is the summary and both sides, and a Decision reads the
// summary only: the library writes the set decisions into a reused buffer
// and the summaries are copied out, a third of the fresh memory.
let setScratch = new Int32Array(0);
const SW_SIZE = SET_DECISION_SIZE / 4;
const SW_SUMMARY = koffi.offsetof(SetDecisionT, 'decision') / 4;
const DW_SIZE = DECISION_SIZE / 4;

function decideSet(ptr, words, n) {
  const all = scratchOf(setScratch, n * SW_SIZE, (w) => { setScratch = w; });
  const out = output(n);
  const st = c.setDecideBatch(all, out.statuses, ptr, words, n);
  if (st !== OK) raise(st);
  const { view } = out;
  for (let i = 0, from = SW_SUMMARY, to = 0; i < n; i++, from += SW_SIZE, to += DW_SIZE) {
    for (let k = 0; k < DW_SIZE; k++) view[to + k] = all[from + k];
  }
  return out;
}

function decideMany(decide, ptr, requests, ids) {
  if (!Array.isArray(requests)) requests = Array.from(requests);
  const n = requests.length;
  if (n === 0) return [];
  const { words, misused } = pack(requests, n, ids || sharedIds);
  const batch = decide(ptr, words, n);
  for (const i of misused) batch.statuses[i] = E_INVALID_ARGUMENT;
  const { statuses } = batch;
  for (let i = 0; i < n; i++) {
    if (statuses[i] !== OK) statuses[i] = requestStatus(requests[i], statuses[i]);
  }
  const decisions = new Array(n);
  for (let i = 0; i < n; i++) decisions[i] = new Decision(batch, i);
  return decisions;
}

// The status a refused request gets, as evaluate() in Python and the CLI
// give it: misuse for a tenant that is neither a string nor a TenantId, else
// the library's classifier's status for a name that is no tenant ID (the
// creator's first: the batch only saw the nil ID), else the batch's own.
function requestStatus(r, status) {
  let tenants = [undefined, undefined];
  if (Array.isArray(r) && (r.length === 2 || r.length === 3)) tenants = r;
  else if (r && typeof r === 'object' && !Array.isArray(r)) tenants = [r.creator, r.target];
  for (const t of tenants.slice(0, 2)) {
    if (!(t instanceof TenantId) && typeof t !== 'string') return E_INVALID_ARGUMENT;
  }
  return nameStatus(tenants[0]) || nameStatus(tenants[1]) || status;
}

function nameStatus(name) {
  if (name instanceof TenantId) return OK;
  if (name.includes('\0')) return E_INVALID_ARGUMENT; // a C string would end there
  return c.resolve({}, null, name, {});
}

// The one decision of a batch of one, or its error thrown.
function one(decisions) {
  const d = decisions[0];
  if (d.status !== OK) throw new TenantIsoError(d.status);
  return d;
}

const registry = new FinalizationRegistry(({ free, ptr }) => free(ptr));

/** A loaded policy: immutable. close() frees it; a finalizer frees a forgotten one. */
class Policy {
  constructor(ptr) {
    this._ptr = ptr;
    registry.register(this, { free: c.policyFree, ptr }, this);
  }

  static fromFile(path) {
    const out = [null];
    const err = {};
    const st = c.loadFile(out, String(path), null, err);
    if (st !== OK) raise(st, err);
    return new Policy(out[0]);
  }

  static fromJson(text) {
    const bytes = Buffer.isBuffer(text) ? text : Buffer.from(String(text), 'utf8');
    const out = [null];
    const err = {};
    const st = c.loadJson(out, bytes, bytes.length, null, err);
    if (st !== OK) raise(st, err);
    return new Policy(out[0]);
  }

  ptr() {
    if (this._ptr === null) throw misuse('the policy is closed');
    return this._ptr;
  }

  get homeTenant() {
    const out = {};
    return c.homeTenant(out, this.ptr()) ? formatId(Buffer.from(out.bytes), 0) : null;
  }

  /** Decides a connection; throws TenantIsoError when no decision can be made. */
  evaluate(creator, target, { direction = 'auto', connector, auth } = {}) {
    return one(this.evaluateMany([{ creator, target, direction, connector, auth }]));
  }

  /**
   * Decides many requests in one call: [creator, target(, direction)] arrays or
   * {creator, target, direction, connector} objects. A bad request gives a deny
   * with errorCode; it throws nothing.
   */
  evaluateMany(requests, ids) {
    return decideMany(decidePolicy, this.ptr(), requests, ids);
  }

  close() {
    if (this._ptr !== null) {
      registry.unregister(this);
      c.policyFree(this._ptr);
      this._ptr = null;
    }
  }
}

/** One policy per home tenant; two-sided decisions (SPEC 3.1). */
class PolicySet {
  constructor({ unknownIsolated = false } = {}) {
    const out = [null];
    const err = {};
    const st = c.setNew(out, unknownIsolated ? 1 : 0, err);
    if (st !== OK) raise(st, err);
    this._ptr = out[0];
    registry.register(this, { free: c.setFree, ptr: this._ptr }, this);
  }

  static fromFiles(paths, options) {
    const set = new PolicySet(options);
    try {
      for (const p of paths) set.loadFile(p);
    } catch (e) {
      set.close();
      throw e;
    }
    return set;
  }

  ptr() {
    if (this._ptr === null) throw misuse('the policy set is closed');
    return this._ptr;
  }

  _write(fn, ...args) {
    const err = {};
    const st = fn(this.ptr(), ...args, err);
    if (st !== OK) raise(st, err);
  }

  /** Adds a policy for a home tenant that has none (else conflict). */
  add(policy) { this._write(c.setAdd, policy.ptr()); }

  /** Puts a policy for its home tenant, atomically replacing the one it had. */
  replace(policy) { this._write(c.setPut, policy.ptr()); }

  /** Loads (or reloads) a policy file into the set; an invalid file changes nothing. */
  loadFile(path) { this._write(c.setLoadFile, String(path), null); }

  /** Removes the policy of a home tenant (a string or TenantId; not_found if none). */
  remove(tenant) {
    let words;
    if (tenant instanceof TenantId) words = tenant.words;
    else if (typeof tenant === 'string') words = sharedIds.words(tenant);
    else throw misuse('a tenant ID must be a string or a TenantId');
    if (!words.some(Boolean)) parseTenantId(tenant); // throws invalid_tenant with the reason
    this._write(c.setRemove, { bytes: Array.from(new Uint8Array(words.buffer, words.byteOffset, 16)) });
  }

  get size() { return Number(c.setCount(this.ptr())); }

  /** The two-sided decision; blockedBy names the tenant whose policy denied. */
  evaluate(creator, target, { direction = 'auto', connector, auth } = {}) {
    return one(this.evaluateMany([{ creator, target, direction, connector, auth }]));
  }

  /** Two-sided decisions of many requests; the batch sees one version of the set. */
  evaluateMany(requests, ids) {
    return decideMany(decideSet, this.ptr(), requests, ids);
  }

  close() {
    if (this._ptr !== null) {
      registry.unregister(this);
      c.setFree(this._ptr);
      this._ptr = null;
    }
  }
}

module.exports = { Policy, PolicySet, Decision, TenantId, TenantIsoError, TenantIdCache, parseTenantId, libraryPath };
