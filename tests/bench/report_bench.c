/* The impact-analysis figures: what `tenantiso report POLICY INVENTORY
 * [--format json]` does, in process. An inventory of cfg->report_connections
 * JSON Lines (the decision figures' request mix, with a connector and
 * connection and environment IDs) is generated in memory; the timed part
 * reads it, decides and counts every connection under a 10,000-entry policy
 * and streams the text (then JSON) report to a sink that only counts bytes. The totals
 * are checked against the verdicts the workload expects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tenantiso/report.h>

#include "bench.h"
#include "clock.h"

#define POLICY_ENTRIES 10000
#define LINE_MAX_BYTES 256

static int count_bytes(void *user, const char *data, size_t len)
{
    (void)data;
    *(size_t *)user += len;
    return 0;
}

/* The inventory text; `*allows` gets how many lines the policy must allow. */
static char *make_inventory(const bench_requests *r, size_t *len, size_t *allows)
{
    char *text = malloc(r->n * LINE_MAX_BYTES);
    size_t n = 0;
    *allows = 0;
    for (size_t i = 0; text && i < r->n; i++) {
        const char *t = r->text + i * 2 * BENCH_STR_STRIDE;
        n += (size_t)snprintf(text + n, LINE_MAX_BYTES,
                              "{\"creatorTenantId\":\"%s\",\"targetTenantId\":\"%s\",\"connector\":\"shared_office365\","
                              "\"connectionId\":\"conn-%zu\",\"environmentId\":\"env-%zu\"}\n",
                              t, t + BENCH_STR_STRIDE, i, i % 100);
        *allows += r->expect[i] == TISO_ALLOW;
    }
    *len = n;
    return text;
}

/* One report over the inventory; its time in ms, NaN if the totals are wrong. */
static double one_report(tiso_policy *p, tiso_report_format format, const char *text, size_t len, size_t lines,
                         size_t allows)
{
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.policy = p;
    tiso_report *rep = NULL;
    tiso_report_writer *w = NULL;
    tiso_report_totals t = {0};
    size_t out_bytes = 0;
    tiso_error err;
    double t0 = bench_now_ns();
    tiso_status s = tiso_report_new(&rep, &opts, &err);
    if (s == TISO_OK)
        s = tiso_report_writer_new(&w, rep, format, count_bytes, &out_bytes, &err);
    if (s == TISO_OK)
        s = tiso_report_set_observer(rep, tiso_report_writer_observe, w);
    if (s == TISO_OK)
        s = tiso_report_read_inventory(rep, text, len, "bench-inventory", &err);
    if (s == TISO_OK)
        s = tiso_report_writer_finish(w, &err);
    double ms = (bench_now_ns() - t0) / 1e6;
    if (s == TISO_OK)
        s = tiso_report_get_totals(&t, rep);
    tiso_report_writer_free(w);
    tiso_report_free(rep);
    if (s != TISO_OK || t.connections != lines || t.errors != 0 || t.allowed != allows) {
        fprintf(stderr, "tenantiso_bench: report: %s; %llu connections, %llu allowed (expected %zu), %llu errors\n",
                s == TISO_OK ? "wrong totals" : err.message, (unsigned long long)t.connections,
                (unsigned long long)t.allowed, allows, (unsigned long long)t.errors);
        return BENCH_NAN;
    }
    return ms;
}

/* The median of up to 3 reports in `format` (each takes about a second). */
static double median_report(const bench_config *cfg, tiso_policy *p, tiso_report_format format, const char *text,
                            size_t len, size_t lines, size_t allows)
{
    int reps = cfg->load_reps < 3 ? cfg->load_reps : 3;
    double ms[3];
    for (int k = 0; k < reps; k++)
        ms[k] = one_report(p, format, text, len, lines, allows);
    for (int k = 0; k < reps; k++)
        if (isnan(ms[k]))
            return BENCH_NAN;
    return bench_median(ms, (size_t)reps);
}

static void measure(const bench_config *cfg, tiso_policy *p, const bench_requests *r, bench_figures *f)
{
    size_t len, allows;
    char *text = make_inventory(r, &len, &allows);
    if (!text)
        return;
    f->report_ms = median_report(cfg, p, TISO_FORMAT_TEXT, text, len, r->n, allows);
    f->report_json_ms = median_report(cfg, p, TISO_FORMAT_JSON, text, len, r->n, allows);
    free(text);
}

int bench_report(const bench_config *cfg, bench_figures *f)
{
    bench_allowlist a;
    bench_requests r;
    bench_rng rng = {0x9e3779b97f4a7c15ULL};
    if (bench_allowlist_make(&a, POLICY_ENTRIES, &rng) != 0)
        return -1;
    tiso_policy *p = NULL;
    if (bench_requests_make(&r, &a, cfg->report_connections, &rng) == 0) {
        p = bench_policy_build(&a);
        if (p)
            measure(cfg, p, &r, f);
        bench_requests_free(&r);
    }
    tiso_policy_free(p);
    bench_allowlist_free(&a);
    return isnan(f->report_ms) || isnan(f->report_json_ms) ? -1 : 0;
}
