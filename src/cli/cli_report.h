/* What the impact-analysis commands (report, suggest, diff) share: loading
 * a policy, checking and reading the inputs, progress on a terminal, and an
 * output that is either standard output or a file replaced only when the
 * whole report was written. */
#ifndef TISO_CLI_REPORT_H
#define TISO_CLI_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "cli_args.h"
#include "cli_output.h"
#include "cli_resolution.h"
#include "tenantiso.h"
#include "tenantiso/report.h"

/* Loads the policy file at `path`, resolving domain entries through `res`.
 * Returns 0, or reports the failure and returns its exit code. */
int cli_report_load_policy(const cli_ctx *ctx, const char *path, const cli_resolution *res,
                           tiso_policy **out);

/* Initializes report options for a command: the resolver of `res`, the
 * input format of `args` (already checked by the parser). */
void cli_report_options(tiso_report_options *opts, const cli_args *args, const cli_resolution *res);

/* Checks, before anything is written, that every input can be opened ("-"
 * is standard input, allowed once; a directory stands for its *.json
 * pages, in name order, as fetch-report writes them). Returns 0 or reports and returns 2 or 3. */
int cli_report_check_inputs(const cli_ctx *ctx, const char *const *paths, size_t n);

/* Reads each input into `report`. A page that cannot be read as a whole
 * (malformed, not a page) is counted as one error, reported on stderr, and
 * the other inputs are still read (`quiet`: counted, not reported). Returns
 * 0, or reports a failure that stops everything (I/O, memory) and returns
 * its exit code. */
int cli_report_read_inputs(const cli_ctx *ctx, tiso_report *report, const char *const *paths,
                           size_t n, int quiet);

/* Runs a report to its end: creates it from `opts` with a writer of
 * `format` (a tiso_report_format; negative: no writer, nothing written)
 * into args->output (NULL `args` or output: standard output; never one of
 * the files the command reads, see cli_sink_open), reads `inputs` with
 * progress, finishes and closes the output (a file is replaced only when
 * all went well). `*report` gets the report, which the caller frees, also
 * on failure. Returns 0, or reports the failure and returns its exit code. */
int cli_report_write(const cli_ctx *ctx, const tiso_report_options *opts, int format, const cli_args *args,
                     const char *const *inputs, size_t n, tiso_report **report);

/* Where output goes. With a path, bytes go to a temporary file beside it,
 * renamed over it by cli_sink_close only when everything went well (over a
 * symbolic link's target, not the link); a path that is a device or a FIFO
 * (/dev/full, a terminal) is written in place.
 * A failed write is remembered with its errno, so that it is reported once,
 * with its cause. */
typedef struct cli_sink {
    FILE *fp;
    const char *path; /* NULL: standard output */
    char *tmp_path;   /* owned; NULL when written in place */
    char *target;     /* owned; the file a symbolic link `path` names, else NULL */
    int error;        /* errno of the first failed write; 0 none */
} cli_sink;

/* Opens the output: standard output for NULL or "-", else `path`, which must
 * not be one of the command's `count` inputs (cli_output_check_not_input).
 * Returns 0, or reports why not and returns 2 (an input) or 3. */
int cli_sink_open(cli_sink *s, const cli_ctx *ctx, const char *path, const char *const *inputs, size_t count);

/* A tiso_write_fn over a cli_sink (`user`). */
int cli_sink_write(void *user, const char *data, size_t len);

/* Finishes `writer`, which writes into `s`: returns 0, or reports its
 * failure (a write's cause when one failed) and returns the exit code. */
int cli_sink_finish(cli_sink *s, const cli_ctx *ctx, tiso_report_writer *writer);

/* Finishes the output: with `commit`, flushes and renames into place;
 * otherwise removes the temporary file (the failure that stopped it is
 * reported by whoever found it). Returns 0, or reports a write failure and
 * its cause and returns 3. */
int cli_sink_close(cli_sink *s, const cli_ctx *ctx, int commit);

/* Writes `data` (`len` bytes), then `tail` (may be NULL), to `path`
 * (replaced only when all was written) or, for NULL, standard output.
 * Returns 0, or reports the failure and returns 3. */
int cli_write_file(const cli_ctx *ctx, const char *path, const char *data, size_t len, const char *tail);

/* Feeds a writer (may be NULL) and, when stderr is a terminal, shows how
 * many connections have been read, about once a second. */
typedef struct cli_progress {
    const char *command;
    tiso_report_writer *writer;
    void (*also)(void *user, const tiso_connection_result *res); /* may be NULL */
    void *also_user;
    uint64_t seen;
    time_t last;
    int on;
} cli_progress;

void cli_progress_init(cli_progress *p, const char *command, tiso_report_writer *writer);

/* The tiso_report_observer; `user` is the cli_progress. */
void cli_progress_observe(void *user, const tiso_connection_result *res);

/* Ends the progress line, if one was shown. */
void cli_progress_done(cli_progress *p);

/* Reads `inputs` (checked first) into a new diff report between `before`
 * and `after` (the report takes its own references), written in `format`
 * (a tiso_report_format) to standard output as it goes, or not written at
 * all when `format` is negative. Returns 0 with the report in `*out` (the
 * caller frees it), or reports the failure and returns its exit code. */
int cli_report_diff(const cli_ctx *ctx, tiso_policy *before, tiso_policy *after, const cli_resolution *res,
                    const char *const *inputs, size_t n, int format, tiso_report **out);

/* Warns on stderr about pages whose report is not complete, or that belong
 * to another tenant than `home` (may be NULL). */
void cli_report_warn_inputs(const tiso_report *report, const tiso_tenant_id *home);

/* Runs `report` (`npolicies` 1: POLICY INPUT...) or `diff` (2: OLD NEW
 * INPUT...): loads the policies, checks and reads the inputs, writes `format`,
 * warns about the pages (against the policy's home tenant for a report) and
 * returns the exit code (cli_report_exit_code with `fail_on_blocked`). */
int cli_report_run(const cli_ctx *ctx, const cli_args *args, size_t npolicies, tiso_report_format format,
                   int fail_on_blocked);

/* The next input from `*i` on that is a report page: 1 with it in `*in` and
 * `*i` past it, or 0 when no page is left. */
int cli_report_next_page(tiso_report_input *in, const tiso_report *report, size_t *i);

/* The exit code once the output is written: 1 with `fail_on_blocked` when
 * something is blocked, 2 when records could not be read, else 0; a line
 * on stderr says why when it is not 0. */
int cli_report_exit_code(const cli_ctx *ctx, const tiso_report *report, int fail_on_blocked);

#endif /* TISO_CLI_REPORT_H */
