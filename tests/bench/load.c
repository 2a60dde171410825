/* Load-and-index time and memory per entry.
 *
 * The document is generated in memory first, so the figure is parsing,
 * validating and indexing, not disk I/O. Memory is measured, not computed:
 * the allocator's count of live bytes (mallinfo2: arena bytes in use plus
 * mmap'ed blocks, where a large index lands) after the load, minus before.
 * By then the loader has freed cJSON's parse tree; the document text is live
 * on both sides of the difference, so neither is counted. */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "clock.h"

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#define HAVE_MALLINFO2 1
#endif

/* Live heap bytes, or 0 where the allocator cannot say. */
static double heap_in_use(void)
{
#ifdef HAVE_MALLINFO2
    struct mallinfo2 mi = mallinfo2();
    return (double)mi.uordblks + (double)mi.hblkhd;
#else
    return 0;
#endif
}

static tiso_status load(tiso_policy **out, const char *doc, size_t len)
{
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    /* A 1,000,000-entry document is ~85 MB, past the 64 MiB default. */
    opts.max_document_bytes = len + 1;
    tiso_error err;
    tiso_status s = tiso_policy_load_json(out, doc, len, &opts, &err);
    if (s != TISO_OK)
        fprintf(stderr, "tenantiso_bench: load: %s\n", err.message);
    return s;
}

/* Loads `doc` `reps` times; the median time and, from the first load, the
 * live bytes per entry (NaN when the allocator cannot tell). */
static int time_loads(const char *doc, size_t len, size_t entries, int reps, double *ms, double *per_entry)
{
    double *t = malloc((size_t)reps * sizeof *t);
    if (!t)
        return -1;
    int rc = 0;
    for (int k = 0; k < reps && rc == 0; k++) {
        tiso_policy *p = NULL;
        double before = heap_in_use();
        double t0 = bench_now_ns();
        rc = load(&p, doc, len) == TISO_OK ? 0 : -1;
        t[k] = (bench_now_ns() - t0) / 1e6;
        double live = heap_in_use() - before;
        if (k == 0)
            *per_entry = live > 0 ? live / (double)entries : BENCH_NAN;
        if (rc == 0 && tiso_policy_entry_count(p) != entries)
            rc = -1;
        tiso_policy_free(p);
    }
    *ms = rc == 0 ? bench_median(t, (size_t)reps) : BENCH_NAN;
    free(t);
    return rc;
}

int bench_load(const bench_config *cfg, bench_figures *f)
{
    for (size_t i = 0; i < BENCH_LOAD_SIZES; i++) {
        bench_allowlist a;
        bench_rng rng = {0x2545f4914f6cdd1dULL ^ cfg->load_sizes[i]};
        if (bench_allowlist_make(&a, cfg->load_sizes[i], &rng) != 0)
            return -1;
        size_t len;
        char *doc = bench_policy_json(&a, &len);
        int rc = doc ? time_loads(doc, len, a.n, cfg->load_reps, &f->load_ms[i], &f->mem_per_entry[i]) : -1;
        free(doc);
        bench_allowlist_free(&a);
        if (rc != 0) {
            fprintf(stderr, "tenantiso_bench: loading a %zu-entry document failed\n", cfg->load_sizes[i]);
            return -1;
        }
    }
    return 0;
}
