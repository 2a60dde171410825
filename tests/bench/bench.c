/* tenantiso_bench: prints SPEC 9's performance table.
 *
 *   tenantiso_bench            full sizes (10 .. 1,000,000 entries); ~30 s
 *   tenantiso_bench --smoke    tiny sizes, a few seconds: proves it builds and runs
 *   tenantiso_bench --kv       "key size value" lines instead of the table (run.sh)
 *   tenantiso_bench --reps N   timed batches per figure (default 11)
 *   tenantiso_bench --only decisions|threads|set|batch|load|graph|report|memory [--size N]...
 *                              one part, at the given allowlist sizes (profiling)
 *
 * Exit status: 0 when every figure was measured and every verdict was right
 * (whether or not a target was met), 1 otherwise, 2 for a usage error. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const bench_config full = {
    .sizes = {10, 1000, 10000, 100000, 1000000},
    .nsizes = 5,
    .batch = 1u << 20,
    .reps = 11,
    .thread_entries = 10000,
    .load_sizes = {100000, 1000000},
    .load_reps = 5,
    .graph_names = 1000,
    .graph_delay_ms = 20,
    .report_connections = 1000000,
    .memory_policy_bytes = 60000000,
    .memory_page_bytes = 40000000,
};

static const bench_config smoke = {
    .sizes = {10, 1000},
    .nsizes = 2,
    .batch = 1u << 12,
    .reps = 3,
    .thread_entries = 1000,
    .load_sizes = {1000, 10000},
    .load_reps = 2,
    .graph_names = 20,
    .graph_delay_ms = 20,
    .report_connections = 10000,
    .memory_policy_bytes = 600000,
    .memory_page_bytes = 400000,
};

static int usage(void)
{
    fprintf(stderr, "usage: tenantiso_bench [--smoke] [--kv] [--reps N]"
                    " [--only decisions|threads|set|batch|load|graph|report|memory]"
                    " [--size N]...\n");
    return 2;
}

static void clear(bench_figures *f)
{
    for (size_t i = 0; i < BENCH_MAX_SIZES; i++)
        f->ids_ns[i] = f->str_ns[i] = f->ids_cpu_ns[i] = f->str_cpu_ns[i] = f->allow_frac[i] = BENCH_NAN;
    f->thr1 = f->thr2 = f->thr_cpu_ratio = BENCH_NAN;
    f->set_ns = f->set_audit_ns = f->batch_ns = f->batch_cpu_ns = BENCH_NAN;
    for (size_t i = 0; i < BENCH_LOAD_SIZES; i++)
        f->load_ms[i] = f->mem_per_entry[i] = BENCH_NAN;
    f->graph_cached_ns = f->graph_batch_ms = BENCH_NAN;
    f->graph_note = NULL;
    f->report_ms = BENCH_NAN;
    f->report_json_ms = BENCH_NAN;
    f->mem_policy_bytes = f->mem_policy_ratio = f->mem_page_bytes = f->mem_page_ratio = BENCH_NAN;
}

/* Runs every part, or only the one named `only`. */
static int run(const bench_config *cfg, const char *only, bench_figures *f)
{
    int rc = 0;
    for (size_t i = 0; i < cfg->nsizes && (!only || strcmp(only, "decisions") == 0); i++) {
        fprintf(stderr, "tenantiso_bench: decisions, %zu entries\n", cfg->sizes[i]);
        rc |= bench_decisions(cfg, i, f);
    }
    if (!only || strcmp(only, "threads") == 0) {
        fprintf(stderr, "tenantiso_bench: 1 vs 2 threads\n");
        rc |= bench_threads(cfg, f);
    }
    if (!only || strcmp(only, "set") == 0) {
        fprintf(stderr, "tenantiso_bench: policy set, audit hook unset and set\n");
        rc |= bench_set(cfg, f);
    }
    if (!only || strcmp(only, "batch") == 0) {
        fprintf(stderr, "tenantiso_bench: the batch call\n");
        rc |= bench_batch(cfg, f);
    }
    if (!only || strcmp(only, "load") == 0) {
        fprintf(stderr, "tenantiso_bench: load and index\n");
        rc |= bench_load(cfg, f);
    }
    if (!only || strcmp(only, "graph") == 0) {
        fprintf(stderr, "tenantiso_bench: domain resolution\n");
        rc |= bench_graph(cfg, f);
    }
    if (!only || strcmp(only, "report") == 0) {
        fprintf(stderr, "tenantiso_bench: report\n");
        rc |= bench_report(cfg, f);
    }
    if (!only || strcmp(only, "memory") == 0) {
        fprintf(stderr, "tenantiso_bench: peak memory per document\n");
        rc |= bench_memory(cfg, f);
    }
    return rc;
}

/* --size N replaces the allowlist sizes of every part with the ones given. */
static int add_size(bench_config *cfg, size_t *given, const char *text)
{
    char *end;
    unsigned long long n = strtoull(text, &end, 10);
    if (*end || n == 0 || n > TISO_DEFAULT_MAX_ENTRIES || *given == BENCH_MAX_SIZES)
        return -1;
    cfg->sizes[(*given)++] = (size_t)n;
    cfg->nsizes = *given;
    cfg->thread_entries = cfg->load_sizes[0] = cfg->load_sizes[1] = (size_t)n;
    return 0;
}

int main(int argc, char **argv)
{
    bench_config cfg = full;
    int as_kv = 0, reps = 0;
    const char *only = NULL;
    size_t given = 0;
    if (argc > 1 && strcmp(argv[1], "--memory-child") == 0)
        return bench_memory_child(argc - 2, argv + 2);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--smoke") == 0)
            cfg = smoke;
        else if (strcmp(argv[i], "--kv") == 0)
            as_kv = 1;
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc && add_size(&cfg, &given, argv[i + 1]) == 0)
            i++;
        else
            return usage();
    }
    if (reps)
        cfg.reps = reps;
    bench_figures f;
    clear(&f);
    int rc = run(&cfg, only, &f);
    if (as_kv)
        bench_print_kv(&cfg, &f);
    else
        bench_print_table(&cfg, &f);
    return rc == 0 ? 0 : 1;
}
