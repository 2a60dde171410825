/* Policy-set figures (issue 5): ns per two-sided decision through a
 * tiso_policy_set holding the cfg->thread_entries-entry policy, with no audit
 * hook and with one set. The hook does what a cheap real one does: counts
 * decisions and folds in the verdict and the deciding policy, so the record
 * is read and the call cannot be dropped. Verdicts are checked as elsewhere. */
#include <stdint.h>
#include <stdlib.h>

#include "bench.h"
#include "clock.h"

typedef struct audit_tally {
    uint64_t calls, allows;
    uintptr_t policies;
} audit_tally;

static void audit(void *user, const tiso_audit_record *rec)
{
    audit_tally *t = user;
    t->calls++;
    t->allows += (uint64_t)rec->decision->verdict;
    t->policies ^= (uintptr_t)rec->outbound_policy ^ (uintptr_t)rec->inbound_policy;
}

/* One pass; the number of allows, UINT64_MAX on a failed evaluation. */
static uint64_t pass(tiso_policy_set *set, const tiso_request *req, size_t n)
{
    uint64_t allows = 0;
    tiso_decision d;
    for (size_t i = 0; i < n; i++) {
        if (tiso_policy_set_evaluate_request(&d, set, &req[i]) != TISO_OK)
            return UINT64_MAX;
        allows += (uint64_t)d.verdict;
    }
    return allows;
}

/* Median ns per decision over cfg->reps passes; NaN on a wrong allow count. */
static double timed(const bench_config *cfg, tiso_policy_set *set, const tiso_request *req, size_t n,
                    uint64_t allows)
{
    double *ns = malloc((size_t)cfg->reps * sizeof *ns);
    if (!ns || pass(set, req, n) != allows) {
        free(ns);
        return BENCH_NAN;
    }
    int ok = 1;
    for (int k = 0; k < cfg->reps; k++) {
        double t0 = bench_now_ns();
        ok &= pass(set, req, n) == allows;
        ns[k] = (bench_now_ns() - t0) / (double)n;
    }
    double m = ok ? bench_median(ns, (size_t)cfg->reps) : BENCH_NAN;
    free(ns);
    return m;
}

static void measure(const bench_config *cfg, tiso_policy *p, const bench_requests *r, bench_figures *f)
{
    tiso_request *req = malloc(r->n * sizeof *req);
    tiso_policy_set *set = NULL;
    if (!req || tiso_policy_set_new(&set, 0, NULL) != TISO_OK || tiso_policy_set_put(set, p, NULL) != TISO_OK)
        goto out;
    uint64_t allows = 0;
    for (size_t i = 0; i < r->n; i++) {
        req[i] = (tiso_request){r->req[i].creator, r->req[i].target, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_UNKNOWN};
        allows += r->expect[i] == TISO_ALLOW;
    }
    f->set_ns = timed(cfg, set, req, r->n, allows);
    audit_tally tally = {0};
    if (tiso_policy_set_set_audit(set, audit, &tally, NULL) != TISO_OK)
        goto out;
    f->set_audit_ns = timed(cfg, set, req, r->n, allows);
    /* Every decision reached the hook, with its verdict. */
    if (tally.calls != (uint64_t)(cfg->reps + 1) * r->n || tally.allows != (uint64_t)(cfg->reps + 1) * allows)
        f->set_audit_ns = BENCH_NAN;
out:
    tiso_policy_set_free(set);
    free(req);
}

int bench_set(const bench_config *cfg, bench_figures *f)
{
    bench_allowlist a;
    bench_requests r;
    bench_rng rng = {0x2545f4914f6cdd1dULL};
    if (bench_allowlist_make(&a, cfg->thread_entries, &rng) != 0)
        return -1;
    if (bench_requests_make(&r, &a, cfg->batch, &rng) == 0) {
        tiso_policy *p = bench_policy_build(&a);
        if (p)
            measure(cfg, p, &r, f);
        tiso_policy_free(p);
        bench_requests_free(&r);
    }
    bench_allowlist_free(&a);
    return isnan(f->set_ns) || isnan(f->set_audit_ns) ? -1 : 0;
}
