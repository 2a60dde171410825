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

/* Refuses an output `path` (given as `option`) that is a file the command
 * of `args` reads: its arguments, the domain map, the CA file
 * (cli_output_check_not_input). Returns 0, or reports it and returns 2. */
int cli_output_check_args(const cli_ctx *ctx, const char *option, const char *path, const cli_args *args);

/* Writes `data` (`len` bytes), then `tail` (may be NULL), to `path`
 * (replaced only when all was written) or, for NULL, standard output.
 * Returns 0, or reports the failure and returns 3. */
int cli_write_file(const cli_ctx *ctx, const char *path, const char *data, size_t len, const char *tail);

/* Checks `inputs`, then reads them, with progress, into a new report of
 * `after` (a diff from `before` unless it is NULL; the report takes its
 * own references), with the resolver of `res` and the input format of
 * `args`, and a writer of `*format` (NULL: none, nothing written) into
 * args->output (NULL: standard output; never one of the files the command
 * reads), replaced only when all went well. `*out` gets the report, which
 * the caller frees, also on failure. Returns 0, or reports the failure and
 * returns its exit code. */
int cli_report_over(const cli_ctx *ctx, const cli_args *args, const cli_resolution *res, tiso_policy *before,
                    tiso_policy *after, const char *const *inputs, size_t n, const tiso_report_format *format,
                    tiso_report **out);

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
