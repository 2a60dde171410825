/* Stress: threads make two-sided decisions on a policy set while another
 * thread keeps replacing the policies of its two home tenants with freshly
 * built ones, thousands of times, and drops its own reference right after each
 * put. The set then holds the only reference, so every replaced policy is
 * freed (once the set's epoch says no reader still uses it) while the readers
 * go on evaluating: a use after free or a torn read shows up as a wrong
 * decision here, and as a report under ASan or TSan, which run this same test.
 *
 * The expected answers come from a model of the two versions of each home's
 * policy written here (which tenants each version lists, in which directions,
 * at which index), not from the library's evaluator. The set moves through a
 * cycle of four states, one put each: (H0, H1) versions (0,0) (1,0) (1,1)
 * (0,1). Around each evaluation a reader reads the number of the last state
 * the swapper finished putting; the decision must be exactly the model's
 * answer in one of the states that can have been current meanwhile (from the
 * first number read to one past the second). A decision that mixes versions
 * no single state had, or that any state would have answered differently,
 * is a failure.
 *
 * Usage: test_set_swap [readers] [evaluations-per-reader] [minimum-swaps] */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tenantiso.h>

#define NHOMES 2
#define NTENANTS 34 /* tenants 0 and 1 are the homes, the others have no policy */
#define NSTATES 4   /* the cycle of version pairs */

static const char *const ID_TEXT[2] = {"c0a7b3e1-5d4f-4e2a-9b1c-000000c07050", "c0a7b3e1-5d4f-4e2a-9b1c-000000c07051"};

static char tenant_text[NTENANTS][40];
static tiso_tenant_id tenant[NTENANTS];

/* ---- the model ---- */

/* Directions (TISO_ALLOW_* bits) of the entry that version `v` of home `h`'s
 * policy has for tenant `t`; 0: no entry. Every tenant's directions differ
 * between the two versions. */
static unsigned model_bits(unsigned h, unsigned v, unsigned t)
{
    return t == h ? 0u : (t * 5u + h * 3u + v) & 3u;
}

/* Version 1 of H1 ends with a "*" entry that allows every outbound connection. */
static int model_wildcard_out(unsigned h, unsigned v)
{
    return h == 1 && v == 1;
}

/* Index in allowedTenants of the entry for `t` (entries are listed by tenant
 * number, skipping tenants with no directions), or of the "*" entry for
 * t == NTENANTS. */
static int32_t model_index(unsigned h, unsigned v, unsigned t)
{
    int32_t n = 0;
    for (unsigned u = 0; u < t; u++)
        n += model_bits(h, v, u) != 0;
    return n;
}

/* The versions of H0 and H1 in state `k` of the cycle. */
static unsigned state_version(unsigned k, unsigned h)
{
    static const unsigned v[NSTATES][NHOMES] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    return v[k % NSTATES][h];
}

static uint64_t version_id[NHOMES][2]; /* provenance IDs: which policy decided */

/* One side of a two-sided decision, per SPEC 3: the policy of `home` (or none)
 * decides the connection from `c` to `t` in direction `dir`. */
static tiso_decision model_side(unsigned c, unsigned t, unsigned state, tiso_direction dir)
{
    int inbound = dir == TISO_DIRECTION_INBOUND;
    unsigned home = inbound ? t : c, other = inbound ? c : t;
    unsigned bit = inbound ? TISO_ALLOW_INBOUND : TISO_ALLOW_OUTBOUND;
    tiso_decision d;
    memset(&d, 0, sizeof d);
    d.creator = tenant[c];
    d.target = tenant[t];
    d.direction = dir;
    d.external_tenant = tenant[other];
    d.rule = -1;
    if (home >= NHOMES) { /* no policy: isolation off */
        d.verdict = TISO_ALLOW;
        d.reason = TISO_REASON_ISOLATION_DISABLED;
        return d;
    }
    unsigned v = state_version(state, home);
    d.policy_id = version_id[home][v];
    if (model_bits(home, v, other) & bit) {
        d.verdict = TISO_ALLOW;
        d.reason = TISO_REASON_ALLOWLISTED;
        d.rule = model_index(home, v, other);
    } else if (!inbound && model_wildcard_out(home, v)) {
        d.verdict = TISO_ALLOW;
        d.reason = TISO_REASON_WILDCARD;
        d.rule = model_index(home, v, NTENANTS);
    } else {
        d.verdict = TISO_DENY;
        d.reason = TISO_REASON_NOT_ALLOWLISTED;
        d.blocked_by = tenant[home];
    }
    return d;
}

static int matched_entry(const tiso_decision *d)
{
    return d->reason == TISO_REASON_ALLOWLISTED || d->reason == TISO_REASON_WILDCARD;
}

/* Two-sided: the creator's outbound side first; when both allow, the side
 * that matched an entry if only the inbound one did, else the outbound. */
static tiso_decision model_decide(unsigned c, unsigned t, unsigned state)
{
    tiso_decision out = model_side(c, t, state, TISO_DIRECTION_OUTBOUND);
    if (out.verdict == TISO_DENY)
        return out;
    tiso_decision in = model_side(c, t, state, TISO_DIRECTION_INBOUND);
    return in.verdict == TISO_DENY || (matched_entry(&in) && !matched_entry(&out)) ? in : out;
}

/* expected[state][creator][target], filled once before the run. */
static tiso_decision expected[NSTATES][NTENANTS][NTENANTS];

static int same(const tiso_decision *a, const tiso_decision *b)
{
    return a->verdict == b->verdict && a->reason == b->reason && a->direction == b->direction && a->rule == b->rule &&
           a->policy_id == b->policy_id && tiso_tenant_id_equal(&a->external_tenant, &b->external_tenant) &&
           tiso_tenant_id_equal(&a->blocked_by, &b->blocked_by) && tiso_tenant_id_equal(&a->creator, &b->creator) &&
           tiso_tenant_id_equal(&a->target, &b->target);
}

/* ---- building the versions ---- */

static tiso_policy *build_version(unsigned h, unsigned v)
{
    tiso_policy_builder *b = NULL;
    tiso_policy *p = NULL;
    if (tiso_policy_builder_new(&b, NULL) != TISO_OK || tiso_policy_builder_set_home(b, &tenant[h]) != TISO_OK)
        abort();
    for (unsigned t = 0; t < NTENANTS; t++)
        if (model_bits(h, v, t) &&
            tiso_policy_builder_add(b, &tenant[t], model_bits(h, v, t), NULL, NULL, NULL) != TISO_OK)
            abort();
    if (model_wildcard_out(h, v) && tiso_policy_builder_add(b, NULL, TISO_ALLOW_OUTBOUND, NULL, NULL, NULL) != TISO_OK)
        abort();
    if (tiso_policy_builder_build(&p, b, NULL) != TISO_OK)
        abort();
    tiso_policy_builder_free(b);
    return p;
}

static uint64_t id_of(const tiso_policy *p)
{
    tiso_provenance prov;
    if (tiso_policy_provenance(&prov, p) != TISO_OK)
        abort();
    return prov.id;
}

/* ---- the run ---- */

static tiso_policy_set *set;
static atomic_long state_done; /* the last state whose put has returned */
static atomic_int readers_done;
static atomic_long failures, evaluations;

static void report(unsigned c, unsigned t, long first, long last, const tiso_decision *got, tiso_status st)
{
    static atomic_int reported;
    if (atomic_fetch_add(&reported, 1) >= 5)
        return;
    fprintf(stderr, "mismatch: %u -> %u, states %ld..%ld, status %d: got %s %s rule %d\n", c, t, first, last, (int)st,
            tiso_verdict_name(got->verdict), tiso_reason_name(got->reason), (int)got->rule);
}

typedef struct reader_arg {
    long count;
    unsigned seed;
} reader_arg;

static void *reader(void *arg)
{
    const reader_arg *a = arg;
    unsigned seed = a->seed;
    long bad = 0;
    for (long i = 0; i < a->count; i++) {
        /* A third home to home, a third home to other, a third other to home. */
        unsigned r = (unsigned)rand_r(&seed), h = r & 1u, other = NHOMES + (r >> 1) % (NTENANTS - NHOMES);
        unsigned c, t;
        switch ((r >> 8) % 3) {
        case 0:
            c = h, t = 1 - h;
            break;
        case 1:
            c = h, t = other;
            break;
        default:
            c = other, t = h;
            break;
        }
        tiso_decision got;
        long first = atomic_load(&state_done);
        tiso_status st = tiso_policy_set_evaluate(&got, set, tenant_text[c], tenant_text[t], TISO_DIRECTION_AUTO);
        long last = atomic_load(&state_done) + 1; /* the next put may have published already */
        if (last - first >= NSTATES)
            last = first + NSTATES - 1;
        int ok = 0;
        for (long k = first; st == TISO_OK && !ok && k <= last; k++)
            ok = same(&got, &expected[k % NSTATES][c][t]);
        if (!ok) {
            report(c, t, first, last, &got, st);
            bad++;
        }
    }
    atomic_fetch_add(&failures, bad);
    atomic_fetch_add(&evaluations, a->count);
    atomic_fetch_add(&readers_done, 1);
    return NULL;
}

int main(int argc, char **argv)
{
    int readers = argc > 1 ? atoi(argv[1]) : 3;
    long per_reader = argc > 2 ? atol(argv[2]) : 1000000;
    long swaps = argc > 3 ? atol(argv[3]) : 5000;
    if (readers < 1 || readers > 64 || per_reader < 1)
        return 2;
    for (unsigned i = 0; i < NTENANTS; i++) {
        if (i < NHOMES)
            snprintf(tenant_text[i], sizeof tenant_text[i], "%s", ID_TEXT[i]);
        else
            snprintf(tenant_text[i], sizeof tenant_text[i], "%08x-1111-4111-8111-%012x", 0x10000000u + i, i + 1);
        if (tiso_tenant_id_parse(&tenant[i], tenant_text[i], strlen(tenant_text[i])) != TISO_OK)
            return 2;
    }
    /* The set starts in state 0: version 0 of both homes. */
    if (tiso_policy_set_new(&set, 0, NULL) != TISO_OK)
        return 2;
    for (unsigned h = 0; h < NHOMES; h++) {
        for (unsigned v = 0; v < 2; v++) {
            tiso_policy *p = build_version(h, v);
            version_id[h][v] = id_of(p);
            if (v == 0 && tiso_policy_set_put(set, p, NULL) != TISO_OK)
                return 2;
            tiso_policy_free(p);
        }
    }
    if (version_id[0][0] == version_id[0][1] || version_id[1][0] == version_id[1][1])
        return 2;
    for (unsigned k = 0; k < NSTATES; k++)
        for (unsigned c = 0; c < NTENANTS; c++)
            for (unsigned t = 0; t < NTENANTS; t++)
                if (c != t)
                    expected[k][c][t] = model_decide(c, t, k);
    atomic_init(&state_done, 0);

    pthread_t threads[64];
    reader_arg args[64];
    for (int i = 0; i < readers; i++) {
        args[i] = (reader_arg){per_reader, 0x9e3779b9u * (unsigned)(i + 1)};
        if (pthread_create(&threads[i], NULL, reader, &args[i]) != 0)
            return 2;
    }
    /* Put state k+1 (one home's other version, freshly built), drop our
     * reference, then say state k+1 is done. At least `swaps` times, and for
     * as long as any reader runs. */
    long k = 0;
    for (; k < swaps || atomic_load(&readers_done) < readers; k++) {
        unsigned h = state_version((unsigned)k, 0) != state_version((unsigned)k + 1, 0) ? 0 : 1;
        unsigned v = state_version((unsigned)k + 1, h);
        tiso_policy *p = build_version(h, v);
        if (id_of(p) != version_id[h][v] || tiso_policy_set_put(set, p, NULL) != TISO_OK)
            atomic_fetch_add(&failures, 1);
        tiso_policy_free(p); /* the set now holds the only reference */
        atomic_store(&state_done, k + 1);
    }
    for (int i = 0; i < readers; i++)
        pthread_join(threads[i], NULL);
    int final_ok = tiso_policy_set_count(set) == NHOMES;
    printf("%d readers, %ld two-sided evaluations, %ld swaps (each freeing the replaced policy), %ld failures%s\n",
           readers, atomic_load(&evaluations), k, atomic_load(&failures), final_ok ? "" : ", wrong policy count");
    tiso_policy_set_free(set);
    return atomic_load(&failures) == 0 && final_ok ? 0 : 1;
}
