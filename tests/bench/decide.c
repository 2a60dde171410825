/* Decision figures: ns per decision on parsed IDs and on strings.
 *
 * Each timed batch runs the decision over every precomputed request in order,
 * as a gateway would with independent connection attempts. The verdicts are
 * summed and the sum is checked, so the calls cannot be dropped and a wrong
 * answer cannot hide behind a fast one. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "clock.h"

/* One pass over r[begin, end); returns the number of allows. */
typedef uint64_t (*pass_fn)(const tiso_policy *p, const bench_requests *r, size_t begin, size_t end);

static uint64_t pass_ids(const tiso_policy *p, const bench_requests *r, size_t begin, size_t end)
{
    uint64_t allows = 0;
    tiso_decision d;
    for (size_t i = begin; i < end; i++) {
        tiso_evaluate_ids(&d, p, &r->req[i].creator, &r->req[i].target, TISO_DIRECTION_AUTO);
        allows += (uint64_t)d.verdict;
    }
    return allows;
}

static uint64_t pass_strings(const tiso_policy *p, const bench_requests *r, size_t begin, size_t end)
{
    uint64_t allows = 0;
    tiso_decision d;
    for (size_t i = begin; i < end; i++) {
        const char *t = r->text + i * 2 * BENCH_STR_STRIDE;
        tiso_evaluate(&d, p, t, t + BENCH_STR_STRIDE, TISO_DIRECTION_AUTO);
        allows += (uint64_t)d.verdict;
    }
    return allows;
}

/* Every request must get its expected verdict, through both entry points.
 * Returns the number of allows, or UINT64_MAX after printing the first miss. */
static uint64_t check_all(const tiso_policy *p, const bench_requests *r)
{
    uint64_t allows = 0;
    for (size_t i = 0; i < r->n; i++) {
        tiso_decision a, b;
        tiso_status sa = tiso_evaluate_ids(&a, p, &r->req[i].creator, &r->req[i].target, TISO_DIRECTION_AUTO);
        const char *t = r->text + i * 2 * BENCH_STR_STRIDE;
        tiso_status sb = tiso_evaluate(&b, p, t, t + BENCH_STR_STRIDE, TISO_DIRECTION_AUTO);
        if (sa != TISO_OK || sb != TISO_OK || a.verdict != r->expect[i] || b.verdict != r->expect[i]) {
            fprintf(stderr, "tenantiso_bench: request %zu (%s -> %s): expected %s, got %s (%s) / %s (%s)\n", i, t,
                    t + BENCH_STR_STRIDE, tiso_verdict_name((tiso_verdict)r->expect[i]), tiso_verdict_name(a.verdict),
                    tiso_status_name(sa), tiso_verdict_name(b.verdict), tiso_status_name(sb));
            return UINT64_MAX;
        }
        allows += (uint64_t)a.verdict;
    }
    return allows;
}

/* Median ns per decision over `reps` timed passes, by the wall clock and by
 * the thread's CPU clock (`*cpu`); NaN if a pass's allow count differs from
 * the checked one. */
static double time_passes(pass_fn pass, const tiso_policy *p, const bench_requests *r, int reps, uint64_t allows,
                          double *cpu)
{
    double *ns = malloc(2 * (size_t)reps * sizeof *ns);
    if (!ns)
        return BENCH_NAN;
    double *cpu_ns = ns + reps;
    pass(p, r, 0, r->n); /* warm caches and branch predictors */
    int ok = 1;
    for (int k = 0; k < reps; k++) {
        double c0 = bench_cpu_ns(), t0 = bench_now_ns();
        uint64_t got = pass(p, r, 0, r->n);
        ns[k] = (bench_now_ns() - t0) / (double)r->n;
        cpu_ns[k] = (bench_cpu_ns() - c0) / (double)r->n;
        ok &= got == allows;
    }
    double m = ok ? bench_median(ns, (size_t)reps) : BENCH_NAN;
    *cpu = ok ? bench_median(cpu_ns, (size_t)reps) : BENCH_NAN;
    free(ns);
    return m;
}

/* A policy of `entries` entries and cfg->batch requests against it. */
static tiso_policy *setup(const bench_config *cfg, size_t entries, bench_allowlist *a, bench_requests *r)
{
    bench_rng rng = {0x853c49e6748fea9bULL ^ entries};
    if (bench_allowlist_make(a, entries, &rng) != 0)
        return NULL;
    if (bench_requests_make(r, a, cfg->batch, &rng) != 0) {
        bench_allowlist_free(a);
        return NULL;
    }
    tiso_policy *p = bench_policy_build(a);
    if (!p) {
        bench_requests_free(r);
        bench_allowlist_free(a);
    }
    return p;
}

int bench_decisions(const bench_config *cfg, size_t index, bench_figures *f)
{
    bench_allowlist a;
    bench_requests r;
    size_t entries = cfg->sizes[index];
    tiso_policy *p = setup(cfg, entries, &a, &r);
    if (!p) {
        fprintf(stderr, "tenantiso_bench: cannot set up %zu entries\n", entries);
        return -1;
    }
    uint64_t allows = check_all(p, &r);
    if (allows != UINT64_MAX) {
        f->allow_frac[index] = (double)allows / (double)r.n;
        f->ids_ns[index] = time_passes(pass_ids, p, &r, cfg->reps, allows, &f->ids_cpu_ns[index]);
        f->str_ns[index] = time_passes(pass_strings, p, &r, cfg->reps, allows, &f->str_cpu_ns[index]);
    }
    tiso_policy_free(p);
    bench_requests_free(&r);
    bench_allowlist_free(&a);
    return allows == UINT64_MAX || isnan(f->ids_ns[index]) || isnan(f->str_ns[index]) ? -1 : 0;
}

/* ---- 1 vs 2 threads ---- */

typedef struct worker {
    const tiso_policy *p;
    const bench_requests *r;
    int passes;
    uint64_t allows;
    double start, end, cpu; /* wall clock; the thread's own CPU time */
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    double c0 = bench_cpu_ns();
    w->start = bench_now_ns();
    for (int k = 0; k < w->passes; k++)
        w->allows += pass_ids(w->p, w->r, 0, w->r->n);
    w->end = bench_now_ns();
    w->cpu = bench_cpu_ns() - c0;
    return NULL;
}

/* Decisions per second with `n` threads deciding at once on one policy, by
 * the wall clock, and in `*per_cpu_s` per second of the threads' CPU time:
 * on a host busy with other work the wall figure shows how much CPU the
 * threads got, the CPU figure whether they slowed each other down. */
static double throughput(const tiso_policy *p, const bench_requests *r, int n, int passes, double *per_cpu_s)
{
    pthread_t tid[2];
    worker w[2];
    for (int i = 0; i < n; i++) {
        w[i] = (worker){p, r, passes, 0, 0, 0, 0};
        if (pthread_create(&tid[i], NULL, work, &w[i]) != 0)
            return BENCH_NAN;
    }
    double start = 0, end = 0, cpu = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(tid[i], NULL);
        start = i == 0 || w[i].start < start ? w[i].start : start;
        end = w[i].end > end ? w[i].end : end;
        cpu += w[i].cpu;
    }
    double decisions = (double)n * passes * (double)r->n;
    *per_cpu_s = decisions / (cpu / 1e9);
    return decisions / ((end - start) / 1e9);
}

int bench_threads(const bench_config *cfg, bench_figures *f)
{
    bench_allowlist a;
    bench_requests r;
    tiso_policy *p = setup(cfg, cfg->thread_entries, &a, &r);
    if (!p)
        return -1;
    double *t = malloc(4 * (size_t)cfg->reps * sizeof *t);
    if (t) {
        double *t1 = t, *t2 = t + cfg->reps, *c1 = t2 + cfg->reps, *c2 = c1 + cfg->reps;
        /* Alternate 1 and 2 threads so slow spells of the host hit both. */
        for (int k = 0; k < cfg->reps; k++) {
            t1[k] = throughput(p, &r, 1, 2, &c1[k]);
            t2[k] = throughput(p, &r, 2, 2, &c2[k]);
        }
        f->thr1 = bench_median(t1, (size_t)cfg->reps);
        f->thr2 = bench_median(t2, (size_t)cfg->reps);
        /* With a core per thread, n threads would decide n * (per CPU second). */
        f->thr_cpu_ratio = 2 * bench_median(c2, (size_t)cfg->reps) / bench_median(c1, (size_t)cfg->reps);
    }
    free(t);
    tiso_policy_free(p);
    bench_requests_free(&r);
    bench_allowlist_free(&a);
    return isnan(f->thr1) || isnan(f->thr2) ? -1 : 0;
}
