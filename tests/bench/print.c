/* Printing the figures: a markdown table with SPEC 9's targets for people,
 * "key size value" lines for tests/bench/run.sh, which adds the floor and
 * Cedar beside them. */
#include <math.h>
#include <stdio.h>

#include "bench.h"

/* SPEC 9 targets; a figure with none prints "-". */
#define TARGET_IDS_10K_NS 25.0
#define TARGET_STR_10K_NS 50.0
#define TARGET_IDS_1M_NS 60.0
#define TARGET_THREADS 1.8
#define TARGET_LOAD_100K_MS 100.0
#define TARGET_MEM_BYTES 64.0
#define TARGET_CACHED_NS 1000.0
#define TARGET_BATCH_MS 3000.0
#define TARGET_REPORT_MS 2000.0
#define TARGET_PEAK_RATIO 4.0

static void row(const char *figure, size_t entries, double value, const char *unit, const char *note, double target,
                int below)
{
    char size[32] = "-";
    if (entries)
        snprintf(size, sizeof size, "%zu", entries);
    if (isnan(value)) {
        printf("| %s | %s | n/a (%s) | - | - |\n", figure, size, note ? note : "not measured");
        return;
    }
    if (isnan(target)) {
        printf("| %s | %s | %.2f %s | - | - |\n", figure, size, value, unit);
        return;
    }
    int met = below ? value < target : value >= target;
    printf("| %s | %s | %.2f %s | %s %.4g %s | %s |\n", figure, size, value, unit, below ? "<" : ">=", target, unit,
           met ? "yes" : "NO");
}

/* The target for a decision figure at `entries`, if SPEC 9 sets one. */
static double decision_target(size_t entries, int strings)
{
    if (entries == 10000)
        return strings ? TARGET_STR_10K_NS : TARGET_IDS_10K_NS;
    if (entries == 1000000 && !strings)
        return TARGET_IDS_1M_NS;
    return BENCH_NAN;
}

void bench_print_table(const bench_config *cfg, const bench_figures *f)
{
    printf("| figure | entries | median | target | met |\n|---|---:|---:|---|---|\n");
    for (size_t i = 0; i < cfg->nsizes; i++)
        row("decision, parsed IDs", cfg->sizes[i], f->ids_ns[i], "ns", NULL, decision_target(cfg->sizes[i], 0), 1);
    for (size_t i = 0; i < cfg->nsizes; i++)
        row("decision, strings", cfg->sizes[i], f->str_ns[i], "ns", NULL, decision_target(cfg->sizes[i], 1), 1);
    row("throughput, 2 threads / 1", cfg->thread_entries, f->thr2 / f->thr1, "x", NULL, TARGET_THREADS, 0);
    row("the same by the threads' CPU time", cfg->thread_entries, f->thr_cpu_ratio, "x", NULL, BENCH_NAN, 0);
    row("decision through a policy set, no audit hook", cfg->thread_entries, f->set_ns, "ns", NULL, BENCH_NAN, 1);
    row("the same with an audit hook", cfg->thread_entries, f->set_audit_ns, "ns", NULL, BENCH_NAN, 1);
    row("decision through tiso_evaluate_batch", cfg->thread_entries, f->batch_ns, "ns", NULL, BENCH_NAN, 1);
    for (size_t i = 0; i < BENCH_LOAD_SIZES; i++)
        row("load and index", cfg->load_sizes[i], f->load_ms[i], "ms", NULL,
            cfg->load_sizes[i] == 100000 ? TARGET_LOAD_100K_MS : BENCH_NAN, 1);
    for (size_t i = 0; i < BENCH_LOAD_SIZES; i++)
        row("memory per entry", cfg->load_sizes[i], f->mem_per_entry[i], "B", "allocator cannot say",
            TARGET_MEM_BYTES, 1);
    row("cached domain resolution", 0, f->graph_cached_ns, "ns", f->graph_note, TARGET_CACHED_NS, 1);
    row("batch resolution", cfg->graph_names, f->graph_batch_ms, "ms", f->graph_note, TARGET_BATCH_MS, 1);
    row("report (text) over connections", cfg->report_connections, f->report_ms, "ms", NULL,
        cfg->report_connections == 1000000 ? TARGET_REPORT_MS : BENCH_NAN, 1);
    row("report (JSON) over connections", cfg->report_connections, f->report_json_ms, "ms", NULL,
        BENCH_NAN, 1);
    char name[96];
    snprintf(name, sizeof name, "peak memory of `check` / size of a %.1f MB policy", f->mem_policy_bytes / 1e6);
    row(name, 0, f->mem_policy_ratio, "x", NULL, TARGET_PEAK_RATIO, 1);
    snprintf(name, sizeof name, "peak memory of `report` / size of a %.1f MB page", f->mem_page_bytes / 1e6);
    row(name, 0, f->mem_page_ratio, "x", NULL, TARGET_PEAK_RATIO, 1);
    printf("\nWorkload: allow fraction");
    for (size_t i = 0; i < cfg->nsizes; i++)
        printf(" %.3f", f->allow_frac[i]);
    printf("; %zu decisions per batch, median of %d batches; 2 threads on a %zu-entry policy;"
           " Graph batch against a local server answering in %u ms.\n",
           cfg->batch, cfg->reps, cfg->thread_entries, cfg->graph_delay_ms);
}

static void kv(const char *key, size_t size, double value)
{
    printf("%s %zu %.4f\n", key, size, value);
}

void bench_print_kv(const bench_config *cfg, const bench_figures *f)
{
    for (size_t i = 0; i < cfg->nsizes; i++) {
        kv("ids_ns", cfg->sizes[i], f->ids_ns[i]);
        kv("str_ns", cfg->sizes[i], f->str_ns[i]);
        kv("ids_cpu_ns", cfg->sizes[i], f->ids_cpu_ns[i]);
        kv("str_cpu_ns", cfg->sizes[i], f->str_cpu_ns[i]);
        kv("allow_frac", cfg->sizes[i], f->allow_frac[i]);
    }
    kv("thr1_per_s", cfg->thread_entries, f->thr1);
    kv("thr2_per_s", cfg->thread_entries, f->thr2);
    kv("thr_ratio", cfg->thread_entries, f->thr2 / f->thr1);
    kv("thr_cpu_ratio", cfg->thread_entries, f->thr_cpu_ratio);
    kv("set_ns", cfg->thread_entries, f->set_ns);
    kv("set_audit_ns", cfg->thread_entries, f->set_audit_ns);
    kv("batch_ns", cfg->thread_entries, f->batch_ns);
    kv("batch_cpu_ns", cfg->thread_entries, f->batch_cpu_ns);
    for (size_t i = 0; i < BENCH_LOAD_SIZES; i++) {
        kv("load_ms", cfg->load_sizes[i], f->load_ms[i]);
        kv("mem_bytes_per_entry", cfg->load_sizes[i], f->mem_per_entry[i]);
    }
    kv("graph_cached_ns", 0, f->graph_cached_ns);
    kv("graph_batch_ms", cfg->graph_names, f->graph_batch_ms);
    kv("report_ms", cfg->report_connections, f->report_ms);
    kv("report_json_ms", cfg->report_connections, f->report_json_ms);
    kv("peak_policy_ratio", isnan(f->mem_policy_bytes) ? 0 : (size_t)f->mem_policy_bytes, f->mem_policy_ratio);
    kv("peak_page_ratio", isnan(f->mem_page_bytes) ? 0 : (size_t)f->mem_page_bytes, f->mem_page_ratio);
    if (f->graph_note)
        printf("note graph %s\n", f->graph_note);
}
