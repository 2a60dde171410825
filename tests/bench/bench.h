/* The benchmark's parts and the figures they fill in (SPEC section 9).
 * A figure that could not be measured is NaN and printed with its reason. */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <math.h>
#include <stddef.h>

#include "workload.h"

/* NAN is a float; a double keeps -Wdouble-promotion quiet. */
#define BENCH_NAN ((double)NAN)

#define BENCH_MAX_SIZES 5
#define BENCH_LOAD_SIZES 2

typedef struct bench_config {
    size_t sizes[BENCH_MAX_SIZES];           /* allowlist entries per decision figure */
    size_t nsizes;
    size_t batch;                            /* decisions per timed batch (and requests generated) */
    int reps;                                /* timed batches per figure; the median is reported */
    size_t thread_entries;                   /* policy size for the 1 vs 2 threads figure */
    size_t load_sizes[BENCH_LOAD_SIZES];     /* documents to load and index */
    int load_reps;
    size_t graph_names;                      /* names in the batch-resolution figure */
    unsigned graph_delay_ms;                 /* the local server's answer time */
    size_t report_connections;               /* inventory lines in the report figure */
    size_t memory_policy_bytes;              /* the policy of the peak-memory figure */
    size_t memory_page_bytes;                /* the report page of the peak-memory figure */
} bench_config;

typedef struct bench_figures {
    double ids_ns[BENCH_MAX_SIZES];   /* median ns per decision, tiso_evaluate_ids */
    double str_ns[BENCH_MAX_SIZES];   /* median ns per decision, tiso_evaluate */
    double ids_cpu_ns[BENCH_MAX_SIZES]; /* the same by the thread's CPU clock */
    double str_cpu_ns[BENCH_MAX_SIZES];
    double allow_frac[BENCH_MAX_SIZES];
    double thr1, thr2;                /* decisions per second, 1 and 2 threads */
    double thr_cpu_ratio;             /* 2 threads / 1 by the threads' CPU time: a core each */
    double set_ns, set_audit_ns;      /* through a policy set, audit hook unset and set */
    double batch_ns, batch_cpu_ns;    /* through tiso_evaluate_batch, in chunks of 1,024; by the thread's CPU clock */
    double load_ms[BENCH_LOAD_SIZES]; /* tiso_policy_load_json, median */
    double mem_per_entry[BENCH_LOAD_SIZES]; /* live heap bytes of the loaded policy / entries */
    double graph_cached_ns;           /* one cached tiso_graph_resolve_domain */
    double graph_batch_ms;            /* tiso_graph_resolve_batch over graph_names domains */
    const char *graph_note;           /* why the Graph figures are missing, or NULL */
    double report_ms;                 /* the text report over cfg->report_connections connections */
    double report_json_ms;            /* the same report written as JSON */
    double mem_policy_bytes, mem_policy_ratio; /* a policy's size; peak RSS of `check` / size */
    double mem_page_bytes, mem_page_ratio;     /* a report page's size; peak RSS of `report` / size */
} bench_figures;

/* Decision figures: median ns per decision over cfg->reps batches of
 * cfg->batch decisions, after an untimed pass that checks every verdict.
 * Return 0, or -1 after printing why (a wrong verdict, out of memory). */
int bench_decisions(const bench_config *cfg, size_t index, bench_figures *f);
int bench_threads(const bench_config *cfg, bench_figures *f);

/* Two-sided decisions through a policy set of the cfg->thread_entries
 * policy, with no audit hook and with one. */
int bench_set(const bench_config *cfg, bench_figures *f);

/* Decisions through tiso_evaluate_batch on the cfg->thread_entries policy. */
int bench_batch(const bench_config *cfg, bench_figures *f);

/* Load and index documents; measure the loaded policy's heap. */
int bench_load(const bench_config *cfg, bench_figures *f);

/* Cached and batch domain resolution against a local slow server, when the
 * library has the Graph client; otherwise NaN and a note. */
int bench_graph(const bench_config *cfg, bench_figures *f);

/* Impact analysis over an inventory of cfg->report_connections connections,
 * written as text and as JSON. */
int bench_report(const bench_config *cfg, bench_figures *f);

/* Peak memory of reading one policy and one report page, each in a fresh
 * process (the benchmark run again as --memory-child), over the document's
 * size. bench_memory_child is that child: argv is "policy FILE" or
 * "page FILE POLICY"; it returns the exit status. */
int bench_memory(const bench_config *cfg, bench_figures *f);
int bench_memory_child(int argc, char **argv);

/* Output: a markdown table for people, or "key value" lines for run.sh. */
void bench_print_table(const bench_config *cfg, const bench_figures *f);
void bench_print_kv(const bench_config *cfg, const bench_figures *f);

#endif /* BENCH_BENCH_H */
