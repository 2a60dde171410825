/* Policy sets: one policy per home tenant, two-sided decisions, and atomic
 * replacement under concurrent evaluation.
 *
 * The set points at an immutable snapshot (an index of home tenants and the
 * policies it holds a reference to). A writer builds a new snapshot, publishes
 * it with one atomic store, waits for readers of the old one to leave (see
 * epoch.h), then drops the old snapshot and its references. Readers never
 * lock: they enter the epoch, load the snapshot pointer, decide, and leave. */
#include <pthread.h>
#include <string.h>

#include "epoch.h"
#include "evaluator.h"

/* An index slot's rule[0] holds the policy's position in `policies`. The
 * audit hook lives here too, so changing it is as atomic as a put. */
typedef struct snapshot {
    tiso__id_table index;
    tiso_policy **policies;
    size_t count;
    tiso_audit_fn audit;
    void *audit_user;
} snapshot;

struct tiso_policy_set {
    _Atomic(snapshot *) current;
    unsigned flags;
    pthread_mutex_t writer;
    tiso__epoch epoch;
};

static void snapshot_free(snapshot *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++)
        tiso_policy_free(s->policies[i]);
    tiso__free(s->policies);
    tiso__id_table_free(&s->index);
    tiso__free(s);
}

static void snapshot_add(snapshot *s, tiso_policy *p)
{
    bool inserted;
    tiso__id_slot *slot = tiso__id_table_upsert(&s->index, &p->home, &inserted);
    if (!inserted) {
        tiso_policy_free(s->policies[slot->rule[0]]);
        s->policies[slot->rule[0]] = tiso_policy_ref(p);
        return;
    }
    slot->rule[0] = (int32_t)s->count;
    s->policies[s->count++] = tiso_policy_ref(p);
}

/* A copy of `old` with `put` added or replaced and `drop` left out. */
static tiso_status snapshot_derive(snapshot **out, const snapshot *old, tiso_policy *put, const tiso_tenant_id *drop)
{
    size_t cap = (old ? old->count : 0) + (put ? 1 : 0);
    snapshot *s = tiso__calloc(1, sizeof *s);
    if (!s)
        return TISO_E_NOMEM;
    s->policies = tiso__malloc(cap * sizeof *s->policies);
    if (!s->policies || tiso__id_table_init(&s->index, cap) != TISO_OK) {
        snapshot_free(s);
        return TISO_E_NOMEM;
    }
    for (size_t i = 0; old && i < old->count; i++)
        if (!drop || !tiso__id_eq(&old->policies[i]->home, drop))
            snapshot_add(s, old->policies[i]);
    if (put)
        snapshot_add(s, put);
    if (old) {
        s->audit = old->audit;
        s->audit_user = old->audit_user;
    }
    *out = s;
    return TISO_OK;
}

static const tiso_policy *policy_of(const snapshot *s, const tiso_tenant_id *tenant)
{
    const tiso__id_slot *slot = tiso__id_table_find(&s->index, tenant);
    return slot ? s->policies[slot->rule[0]] : NULL;
}

tiso_status tiso_policy_set_new(tiso_policy_set **out, unsigned flags, tiso_error *err)
{
    if (!out || (flags & ~TISO_SET_UNKNOWN_ISOLATED))
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "policy set: NULL pointer or unknown flags 0x%x", flags);
    tiso_policy_set *set = tiso__calloc(1, sizeof *set);
    snapshot *empty = NULL;
    if (!set || snapshot_derive(&empty, NULL, NULL, NULL) != TISO_OK) {
        tiso__free(set);
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    }
    set->flags = flags;
    pthread_mutex_init(&set->writer, NULL);
    tiso__epoch_init(&set->epoch);
    atomic_init(&set->current, empty);
    *out = set;
    return TISO_OK;
}

/* Publishes `next` and frees what it replaced once no reader holds it. */
static void publish(tiso_policy_set *set, snapshot *next)
{
    snapshot *old = atomic_exchange(&set->current, next);
    tiso__epoch_synchronize(&set->epoch);
    snapshot_free(old);
}

/* When a put may replace the policy its home has (SPEC 3.1: one policy
 * per home tenant; a reload replaces only what it owns). */
typedef enum put_rule {
    PUT_REPLACE,  /* always: an explicit replacement */
    PUT_IF_ABSENT,/* never: the home must have no policy yet */
    PUT_IF_OWNED  /* only a policy read from the same file as `put` */
} put_rule;

/* What a writer changes: a policy to put, a tenant to drop, or the hook. */
typedef struct edit {
    tiso_policy *put;
    put_rule rule;
    const tiso_tenant_id *drop;    /* must be in the set */
    const tiso_tenant_id *release; /* dropped if it holds a policy from put's file */
    bool set_audit;
    tiso_audit_fn audit;
    void *audit_user;
} edit;

static bool same_file(const tiso_policy *a, const tiso_policy *b)
{
    return a->origin && b->origin && strcmp(a->origin, b->origin) == 0;
}

static tiso_status conflict(tiso_error *err, const tiso_policy *put, const tiso_policy *held)
{
    char id[TISO_TENANT_ID_LEN + 1];
    tiso__tenant_id_format(&put->home, id);
    return tiso__fail(err, TISO_E_CONFLICT, NULL,
                      "%s: home tenant %s already has a policy in the set, from %s (one policy per home tenant)",
                      tiso_policy_source(put), id, tiso_policy_source(held));
}

/* Checks `e` against the snapshot it would change. */
static tiso_status admit(const snapshot *old, edit *e, tiso_error *err)
{
    if (e->drop && !tiso__id_table_find(&old->index, e->drop))
        return tiso__fail(err, TISO_E_NOT_FOUND, NULL, "the set has no policy for that tenant");
    const tiso_policy *held = e->put ? policy_of(old, &e->put->home) : NULL;
    if (held && (e->rule == PUT_IF_ABSENT || (e->rule == PUT_IF_OWNED && !same_file(held, e->put))))
        return conflict(err, e->put, held);
    if (e->release) {
        const tiso_policy *released = policy_of(old, e->release);
        bool mine = released && same_file(released, e->put) && !tiso__id_eq(e->release, &e->put->home);
        e->drop = mine ? e->release : NULL;
    }
    return TISO_OK;
}

static tiso_status change(tiso_policy_set *set, edit *e, tiso_error *err)
{
    pthread_mutex_lock(&set->writer);
    snapshot *old = atomic_load(&set->current), *next = NULL;
    tiso_status s = admit(old, e, err);
    if (s == TISO_OK && snapshot_derive(&next, old, e->put, e->drop) != TISO_OK)
        s = tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory; the set is unchanged");
    if (s == TISO_OK && e->set_audit) {
        next->audit = e->audit;
        next->audit_user = e->audit_user;
    }
    if (s == TISO_OK)
        publish(set, next);
    pthread_mutex_unlock(&set->writer);
    return s;
}

/* `release`: see edit; NULL for none. */
static tiso_status put(tiso_policy_set *set, tiso_policy *policy, put_rule rule, const tiso_tenant_id *release,
                       tiso_error *err)
{
    if (!set || !policy)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "policy set: NULL pointer");
    if (!policy->has_home)
        return tiso__fail(err, TISO_E_NO_HOME_TENANT, NULL,
                          "%s: a policy in a set needs its home tenant (properties.tenantId)", tiso_policy_source(policy));
    return change(set, &(edit){.put = policy, .rule = rule, .release = release}, err);
}

tiso_status tiso_policy_set_put(tiso_policy_set *set, tiso_policy *policy, tiso_error *err)
{
    return put(set, policy, PUT_REPLACE, NULL, err);
}

tiso_status tiso_policy_set_add(tiso_policy_set *set, tiso_policy *policy, tiso_error *err)
{
    return put(set, policy, PUT_IF_ABSENT, NULL, err);
}

tiso_status tiso__policy_set_put_file(tiso_policy_set *set, tiso_policy *policy, const tiso_tenant_id *old_home,
                                      tiso_error *err)
{
    return put(set, policy, PUT_IF_OWNED, old_home, err);
}

tiso_status tiso_policy_set_remove(tiso_policy_set *set, const tiso_tenant_id *home, tiso_error *err)
{
    if (!set || !home)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "policy set: NULL pointer");
    return change(set, &(edit){.drop = home}, err);
}

tiso_status tiso_policy_set_set_audit(tiso_policy_set *set, tiso_audit_fn fn, void *user, tiso_error *err)
{
    if (!set)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "policy set: NULL pointer");
    return change(set, &(edit){.set_audit = true, .audit = fn, .audit_user = user}, err);
}

tiso_status tiso_policy_set_load_file(tiso_policy_set *set, const char *path, const tiso_load_options *opts,
                                      tiso_error *err)
{
    if (!set || !path)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "policy set: NULL pointer");
    tiso_policy *p = NULL;
    tiso_status s = tiso_policy_load_file(&p, path, opts, err);
    if (s == TISO_OK)
        s = put(set, p, PUT_IF_OWNED, NULL, err);
    tiso_policy_free(p);
    return s;
}

tiso_status tiso_policy_set_get(tiso_policy **out, tiso_policy_set *set, const tiso_tenant_id *home)
{
    if (!set || !home || !out)
        return TISO_E_INVALID_ARGUMENT;
    tiso__epoch_guard g = tiso__epoch_enter(&set->epoch);
    const snapshot *s = atomic_load(&set->current);
    const tiso__id_slot *slot = tiso__id_table_find(&s->index, home);
    if (slot)
        *out = tiso_policy_ref(s->policies[slot->rule[0]]);
    tiso__epoch_leave(&set->epoch, g);
    return slot ? TISO_OK : TISO_E_NOT_FOUND;
}

size_t tiso_policy_set_count(tiso_policy_set *set)
{
    if (!set)
        return 0;
    tiso__epoch_guard g = tiso__epoch_enter(&set->epoch);
    size_t n = atomic_load(&set->current)->count;
    tiso__epoch_leave(&set->epoch, g);
    return n;
}

/* ---- two-sided decisions ---- */

/* One side: the policy of `home` decides `dir`; a tenant without a policy is
 * off by default, or isolated with an empty allowlist. */
static tiso_status decide_side(tiso_decision *out, const tiso_policy_set *set, const snapshot *s,
                               const tiso_request *r, tiso_direction dir, bool non_entra, const tiso_policy **used)
{
    bool inbound = dir == TISO_DIRECTION_INBOUND;
    const tiso_tenant_id *home = inbound ? &r->target : &r->creator;
    const tiso_policy *p = policy_of(s, home);
    *used = p;
    if (p)
        return tiso__decide(out, p, &r->creator, &r->target, dir, non_entra);
    out->creator = r->creator;
    out->target = r->target;
    out->policy_id = 0;
    if (non_entra)
        return tiso__decision_set(out, TISO_ALLOW, TISO_REASON_NOT_EVALUATED_NON_ENTRA, TISO_DIRECTION_NONE, -1,
                                  &tiso__no_tenant, &tiso__no_tenant);
    const tiso_tenant_id *external = inbound ? &r->creator : &r->target;
    if (set->flags & TISO_SET_UNKNOWN_ISOLATED)
        return tiso__decision_set(out, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, dir, -1, external, home);
    return tiso__decision_set(out, TISO_ALLOW, TISO_REASON_ISOLATION_DISABLED, dir, -1, external, &tiso__no_tenant);
}

static bool matched_entry(const tiso_decision *d)
{
    return d->reason == TISO_REASON_ALLOWLISTED || d->reason == TISO_REASON_WILDCARD;
}

/* Where a set decision goes: the summary and the two sides. A caller that
 * reads only the summary (no audit hook either) passes `outbound` as the
 * summary itself and `both` false: a denying creator's side then is the
 * answer as it stands, with no copy and no look-up of the inbound side. */
typedef struct set_out {
    tiso_decision *summary, *outbound, *inbound;
    bool both;
} set_out;

static void take(const set_out *o, const tiso_decision *side)
{
    if (o->summary != side)
        *o->summary = *side;
}

/* Both sides, always: the request's direction never narrows a set's check
 * (SPEC 3.1), since requests reach a gateway from callers it does not
 * trust. The summary is the first side that denies (the creator's), else
 * the side that matched an entry, else the outbound side. Without `both` a
 * denying creator's side ends it: the inbound side cannot change a deny,
 * so its look-up is skipped and the inbound side is left unset. */
static tiso_status set_decide(const set_out *o, const tiso_policy_set *set, const snapshot *s, const tiso_request *r,
                              bool non_entra, const tiso_policy *used[2])
{
    tiso_status st = decide_side(o->outbound, set, s, r, TISO_DIRECTION_OUTBOUND, non_entra, &used[0]);
    if (st != TISO_OK)
        return st;
    if (!o->both && o->outbound->verdict == TISO_DENY) {
        take(o, o->outbound);
        return TISO_OK;
    }
    st = decide_side(o->inbound, set, s, r, TISO_DIRECTION_INBOUND, non_entra, &used[1]);
    if (st != TISO_OK)
        return st;
    const tiso_decision *ob = o->outbound, *ib = o->inbound;
    bool take_in = ob->verdict == TISO_ALLOW && (ib->verdict == TISO_DENY || (matched_entry(ib) && !matched_entry(ob)));
    take(o, take_in ? ib : ob);
    return TISO_OK;
}

static void fail_closed(const set_out *o, tiso_status st)
{
    tiso__deny_error(o->summary, st);
    tiso__deny_error(o->outbound, st);
    tiso__deny_error(o->inbound, st);
}

static void same_tenant(const set_out *o, const tiso_request *r)
{
    tiso_decision *d = o->summary;
    d->creator = r->creator;
    d->target = r->target;
    d->policy_id = 0;
    tiso__decision_set(d, TISO_ALLOW, TISO_REASON_SAME_TENANT, TISO_DIRECTION_NONE, -1, &tiso__no_tenant,
                       &tiso__no_tenant);
    if (o->both)
        *o->outbound = *o->inbound = *d;
}

static void audit(const snapshot *s, const tiso_request *r, const set_out *o, tiso_status st,
                  const tiso_policy *used[2])
{
    tiso_audit_record rec = {r, o->summary, st, used[0], used[1], o->outbound, o->inbound};
    s->audit(s->audit_user, &rec);
}

/* Everything but the set: IDs, direction, connector kind. */
static tiso_status check_request(const tiso_request *r, bool *non_entra)
{
    *non_entra = false;
    if (tiso__id_nil(&r->creator) || tiso__id_nil(&r->target))
        return TISO_E_INVALID_TENANT;
    if (!tiso__direction_valid(r->direction))
        return TISO_E_INVALID_ARGUMENT;
    tiso_status st;
    *non_entra = tiso__request_non_entra(r, &st);
    return st;
}

/* One request against the snapshot `s`, inside the caller's epoch. An audit
 * hook needs o->both (both sides, apart from the summary). */
static tiso_status decide_in(const set_out *o, const tiso_policy_set *set, const snapshot *s, const tiso_request *r)
{
    bool non_entra;
    tiso_status st = check_request(r, &non_entra);
    const tiso_policy *used[2] = {NULL, NULL};
    if (st == TISO_OK && tiso__id_eq(&r->creator, &r->target))
        same_tenant(o, r);
    else if (st == TISO_OK)
        st = set_decide(o, set, s, r, non_entra, used);
    if (st != TISO_OK)
        fail_closed(o, st);
    if (TISO_UNLIKELY(s->audit != NULL))
        audit(s, r, o, st, used);
    return st;
}

/* The whole decision into `out`. */
static tiso_status decide_all_in(tiso_set_decision *out, const tiso_policy_set *set, const snapshot *s,
                                 const tiso_request *r)
{
    return decide_in(&(set_out){&out->decision, &out->outbound, &out->inbound, true}, set, s, r);
}

tiso_status tiso_policy_set_decide(tiso_set_decision *out, tiso_policy_set *set, const tiso_request *r)
{
    if (!out || !set || !r) {
        if (out)
            tiso__set_decision_fail_closed(out, TISO_E_INVALID_ARGUMENT);
        return TISO_E_INVALID_ARGUMENT;
    }
    tiso__epoch_guard g = tiso__epoch_enter(&set->epoch);
    tiso_status st = decide_all_in(out, set, atomic_load(&set->current), r);
    tiso__epoch_leave(&set->epoch, g);
    return st;
}

void tiso__policy_set_decide_each(tiso_set_decision *out, tiso_status *statuses, tiso_policy_set *set,
                                  const tiso_request *requests, size_t count)
{
    tiso__epoch_guard g = tiso__epoch_enter(&set->epoch);
    const snapshot *s = atomic_load(&set->current);
    for (size_t i = 0; i < count; i++)
        statuses[i] = decide_all_in(&out[i], set, s, &requests[i]);
    tiso__epoch_leave(&set->epoch, g);
}

/* A whole set decision that denies, for callers outside this file. */
void tiso__set_decision_fail_closed(tiso_set_decision *out, tiso_status st)
{
    fail_closed(&(set_out){&out->decision, &out->outbound, &out->inbound, true}, st);
}

tiso_status tiso_policy_set_evaluate_request(tiso_decision *out, tiso_policy_set *set, const tiso_request *r)
{
    if (!out || !set || !r)
        return tiso__deny_error(out, TISO_E_INVALID_ARGUMENT);
    tiso_decision sides[2]; /* what the caller does not read, but a hook does */
    tiso__epoch_guard g = tiso__epoch_enter(&set->epoch);
    const snapshot *s = atomic_load(&set->current);
    bool hook = s->audit != NULL;
    tiso_status st = decide_in(&(set_out){out, hook ? &sides[0] : out, &sides[1], hook}, set, s, r);
    tiso__epoch_leave(&set->epoch, g);
    return st;
}

tiso_status tiso_policy_set_evaluate(tiso_decision *out, tiso_policy_set *set, const char *creator,
                                     const char *target, tiso_direction direction)
{
    if (!out || !set || !creator || !target)
        return tiso__deny_error(out, TISO_E_INVALID_ARGUMENT);
    /* An ID that does not parse stays nil, which the request check refuses
     * (and the audit hook sees). */
    tiso_request r = {.direction = direction};
    if (tiso__tenant_id_parse(&r.creator, creator, strnlen(creator, TISO_TENANT_ID_LEN + 1)) != TISO_OK)
        memset(&r.creator, 0, sizeof r.creator);
    if (tiso__tenant_id_parse(&r.target, target, strnlen(target, TISO_TENANT_ID_LEN + 1)) != TISO_OK)
        memset(&r.target, 0, sizeof r.target);
    return tiso_policy_set_evaluate_request(out, set, &r);
}

void tiso_policy_set_free(tiso_policy_set *set)
{
    if (!set)
        return;
    snapshot_free(atomic_load(&set->current));
    pthread_mutex_destroy(&set->writer);
    tiso__free(set);
}
