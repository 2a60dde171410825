/* Peak memory per input document (SPEC 9: at most 4 times its size).
 *
 * Two documents are written to temporary files: a policy whose bulk is a
 * member the loader does not know (an array of small numbers, the shape that
 * costs a parse tree the most per byte) and a report page of connections.
 * Each is then read by a fresh process, the benchmark itself run again as
 * `--memory-child`, doing what `tenantiso check` and `tenantiso report` do in
 * process; its peak resident set comes from wait4(). A fresh exec, unlike a
 * fork, starts without the parent's pages, so the figure is the document's
 * cost plus a small program's. */
#define _DEFAULT_SOURCE 1 /* wait4 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tenantiso.h>
#include <tenantiso/report.h>

#include "bench.h"

#define PAGE_POLICY_ENTRIES 10000
#define BULK_ITEM "7,"

static int write_all(FILE *fp, const char *s, size_t n)
{
    return fwrite(s, 1, n, fp) == n ? 0 : -1;
}

#define GUID_SIZE (TISO_TENANT_ID_LEN + 1)

static char *guid_text(const tiso_tenant_id *id, char buf[GUID_SIZE])
{
    tiso_tenant_id_format(buf, id);
    return buf;
}

/* A policy of 1,000 entries whose other `bytes` are one unknown member. */
static int write_policy(FILE *fp, const bench_allowlist *a, size_t bytes)
{
    char home[GUID_SIZE], id[GUID_SIZE];
    int rc = fprintf(fp, "{\"properties\":{\"tenantId\":\"%s\",\"isDisabled\":false,\"allowedTenants\":[",
                     guid_text(&a->home, home)) < 0;
    for (size_t i = 0; i < a->n && !rc; i++)
        rc = fprintf(fp, "%s{\"tenantId\":\"%s\",\"direction\":{\"inbound\":true,\"outbound\":true}}", i ? "," : "",
                     guid_text(&a->ids[i], id)) < 0;
    rc = rc || fputs("],\"exportAudit\":[", fp) < 0;
    for (long pos = ftell(fp); !rc && (size_t)pos < bytes; pos += 2)
        rc = write_all(fp, BULK_ITEM, 2);
    return rc || fputs("0]}}\n", fp) < 0 ? -1 : 0;
}

/* A report page of about `bytes` whose connections name the listed tenants
 * and unlisted ones in turn, in both directions. */
static int write_page(FILE *fp, const bench_allowlist *a, size_t bytes, bench_rng *rng)
{
    char home[GUID_SIZE], id[GUID_SIZE];
    int rc = fprintf(fp, "{\"tenantId\":\"%s\",\"reportId\":\"bench\",\"status\":\"Completed\",\"connections\":[",
                     guid_text(&a->home, home)) < 0;
    for (size_t i = 0; !rc && (size_t)ftell(fp) < bytes; i++) {
        tiso_tenant_id other = a->ids[bench_rng_next(rng) % a->n];
        if (i % 2)
            other.bytes[0] ^= 0x5a; /* not listed */
        rc = fprintf(fp,
                     "%s{\"tenantId\":\"%s\",\"connectionType\":\"%s\",\"connectorId\":\"shared_office365\","
                     "\"environmentId\":\"env-%zu\",\"connectionId\":\"conn-%zu\"}",
                     i ? "," : "", guid_text(&other, id), i % 4 < 2 ? "Outbound" : "Inbound", i % 100, i) < 0;
    }
    return rc || fputs("]}\n", fp) < 0 ? -1 : 0;
}

/* Writes a document with `fill` into a new temporary file; its path in `path`. */
static int make_file(char path[64], size_t *size, int (*fill)(FILE *, const bench_allowlist *, size_t, bench_rng *),
                     const bench_allowlist *a, size_t bytes, bench_rng *rng)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, 64, "%s/tiso-bench-XXXXXX", dir && strlen(dir) < 40 ? dir : "/tmp");
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int rc = fill(fp, a, bytes, rng);
    long end = ftell(fp);
    rc = fclose(fp) != 0 || rc || end < 0 ? -1 : 0;
    *size = (size_t)end;
    return rc;
}

static int fill_policy(FILE *fp, const bench_allowlist *a, size_t bytes, bench_rng *rng)
{
    (void)rng;
    return write_policy(fp, a, bytes);
}

/* Runs `argv` as a child; its peak resident set in bytes, or NaN. */
static double child_peak(char *const argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
        return BENCH_NAN;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "tenantiso_bench: memory: %s %s failed\n", argv[2], argv[3]);
        return BENCH_NAN;
    }
    return (double)ru.ru_maxrss * 1024.0; /* Linux reports kilobytes */
}

static void measure(const bench_config *cfg, const bench_allowlist *small, const bench_allowlist *big,
                    bench_figures *f)
{
    bench_rng rng = {0x51ed270b27c8a9d3ULL};
    char policy[64] = "", page[64] = "", page_policy[64] = "";
    size_t size = 0, ignored;
    if (make_file(policy, &size, fill_policy, small, cfg->memory_policy_bytes, &rng) == 0) {
        char *argv[] = {"tenantiso_bench", "--memory-child", "policy", policy, NULL};
        f->mem_policy_bytes = (double)size;
        f->mem_policy_ratio = child_peak(argv) / (double)size;
    }
    if (make_file(page_policy, &ignored, fill_policy, big, 0, &rng) == 0 &&
        make_file(page, &size, write_page, big, cfg->memory_page_bytes, &rng) == 0) {
        char *argv[] = {"tenantiso_bench", "--memory-child", "page", page, page_policy, NULL};
        f->mem_page_bytes = (double)size;
        f->mem_page_ratio = child_peak(argv) / (double)size;
    }
    const char *made[] = {policy, page, page_policy};
    for (size_t i = 0; i < sizeof made / sizeof *made; i++)
        if (made[i][0])
            unlink(made[i]);
}

int bench_memory(const bench_config *cfg, bench_figures *f)
{
    bench_allowlist small, big;
    bench_rng rng = {0x6a09e667f3bcc908ULL};
    if (bench_allowlist_make(&small, 1000, &rng) != 0)
        return -1;
    if (bench_allowlist_make(&big, PAGE_POLICY_ENTRIES, &rng) == 0) {
        measure(cfg, &small, &big, f);
        bench_allowlist_free(&big);
    }
    bench_allowlist_free(&small);
    return isnan(f->mem_policy_ratio) || isnan(f->mem_page_ratio) ? -1 : 0;
}

/* ---- the child: one document, as the CLI reads it ---- */

static tiso_status load_policy(tiso_policy **out, const char *path, tiso_error *err)
{
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    opts.max_document_bytes = (size_t)1 << 30; /* the figure, not the limit, is measured */
    return tiso_policy_load_file(out, path, &opts, err);
}

/* `check`: load, then write the normalized policy. */
static tiso_status child_policy(const char *path, tiso_error *err)
{
    tiso_policy *p = NULL;
    char *json = NULL;
    tiso_status s = load_policy(&p, path, err);
    if (s == TISO_OK)
        s = tiso_policy_to_json(&json, NULL, p, 1, err);
    tiso_free(json);
    tiso_policy_free(p);
    return s;
}

static int sink(void *user, const char *data, size_t len)
{
    (void)data;
    *(size_t *)user += len;
    return 0;
}

/* `report POLICY PAGE`: the text report, streamed to a sink. */
static tiso_status child_page(const char *page, const char *policy_path, tiso_error *err)
{
    tiso_policy *p = NULL;
    tiso_report *rep = NULL;
    tiso_report_writer *w = NULL;
    tiso_report_options opts;
    size_t bytes = 0;
    tiso_status s = load_policy(&p, policy_path, err);
    tiso_report_options_init(&opts);
    opts.policy = p;
    if (s == TISO_OK)
        s = tiso_report_new(&rep, &opts, err);
    if (s == TISO_OK)
        s = tiso_report_writer_new(&w, rep, TISO_FORMAT_TEXT, sink, &bytes, err);
    if (s == TISO_OK)
        s = tiso_report_set_observer(rep, tiso_report_writer_observe, w);
    if (s == TISO_OK)
        s = tiso_report_read_file(rep, page, err);
    if (s == TISO_OK)
        s = tiso_report_writer_finish(w, err);
    tiso_report_writer_free(w);
    tiso_report_free(rep);
    tiso_policy_free(p);
    return s;
}

int bench_memory_child(int argc, char **argv)
{
    tiso_error err;
    tiso_status s;
    if (argc == 2 && strcmp(argv[0], "policy") == 0)
        s = child_policy(argv[1], &err);
    else if (argc == 3 && strcmp(argv[0], "page") == 0)
        s = child_page(argv[1], argv[2], &err);
    else
        return 2;
    if (s != TISO_OK)
        fprintf(stderr, "tenantiso_bench: memory child: %s\n", err.message);
    return s == TISO_OK ? 0 : 1;
}
