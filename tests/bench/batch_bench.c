/* The batch call's figure: ns per decision through tiso_evaluate_batch on
 * the cfg->thread_entries policy, in chunks of BATCH_CHUNK requests (what a
 * binding hands over per call). The C figure beside the bindings' rows
 * (tests/bench/bindings.sh). */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "clock.h"

#define BATCH_CHUNK 1024

typedef struct batch_buffers {
    tiso_request *req;
    tiso_decision out[BATCH_CHUNK];
    tiso_status st[BATCH_CHUNK];
} batch_buffers;

/* One pass over every request; the number of allows, or UINT64_MAX when a
 * request failed. */
static uint64_t batch_pass(const tiso_policy *p, batch_buffers *b, size_t n)
{
    uint64_t allows = 0;
    for (size_t begin = 0; begin < n; begin += BATCH_CHUNK) {
        size_t count = n - begin < BATCH_CHUNK ? n - begin : BATCH_CHUNK;
        if (tiso_evaluate_batch(b->out, b->st, p, b->req + begin, count) != TISO_OK)
            return UINT64_MAX;
        for (size_t i = 0; i < count; i++) {
            if (b->st[i] != TISO_OK)
                return UINT64_MAX;
            allows += (uint64_t)b->out[i].verdict;
        }
    }
    return allows;
}

int bench_batch(const bench_config *cfg, bench_figures *f)
{
    bench_rng rng = {0x853c49e6748fea9bULL ^ cfg->thread_entries};
    bench_allowlist a;
    bench_requests r;
    if (bench_allowlist_make(&a, cfg->thread_entries, &rng) != 0)
        return -1;
    if (bench_requests_make(&r, &a, cfg->batch, &rng) != 0) {
        bench_allowlist_free(&a);
        return -1;
    }
    tiso_policy *p = bench_policy_build(&a);
    batch_buffers *b = malloc(sizeof *b);
    double *ns = malloc(2 * (size_t)cfg->reps * sizeof *ns);
    int rc = -1;
    if (p && b && ns && (b->req = calloc(r.n, sizeof *b->req)) != NULL) {
        uint64_t expect = 0;
        for (size_t i = 0; i < r.n; i++) {
            b->req[i] = (tiso_request){.creator = r.req[i].creator, .target = r.req[i].target,
                                       .direction = TISO_DIRECTION_AUTO};
            expect += r.expect[i] == TISO_ALLOW;
        }
        rc = batch_pass(p, b, r.n) == expect ? 0 : -1; /* checks every verdict, warms the caches */
        double *cpu = ns + cfg->reps;
        for (int k = 0; k < cfg->reps && rc == 0; k++) {
            double c0 = bench_cpu_ns(), t0 = bench_now_ns();
            rc = batch_pass(p, b, r.n) == expect ? 0 : -1;
            ns[k] = (bench_now_ns() - t0) / (double)r.n;
            cpu[k] = (bench_cpu_ns() - c0) / (double)r.n;
        }
        if (rc == 0) {
            f->batch_ns = bench_median(ns, (size_t)cfg->reps);
            f->batch_cpu_ns = bench_median(cpu, (size_t)cfg->reps);
        }
        else
            fprintf(stderr, "tenantiso_bench: the batch call gave a wrong verdict or an error\n");
        free(b->req);
    }
    free(ns);
    free(b);
    tiso_policy_free(p);
    bench_requests_free(&r);
    bench_allowlist_free(&a);
    return rc;
}
