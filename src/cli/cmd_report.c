/* tenantiso report POLICY INPUT... [--format text|json|csv|html]
 *                  [--output FILE] [--fail-on-blocked]
 * What would break under POLICY, for the connections in each INPUT (a
 * cross-tenant connection report page or a JSON Lines inventory), and the
 * allowlist entries that keep it working (SPEC 6, 7). The output streams:
 * memory does not grow with the number of connections for text, JSON and
 * CSV. */
#include <string.h>

#include "cli_report.h"
#include "commands.h"

typedef struct report_run {
    cli_resolution res;
    tiso_policy *policy;
    tiso_report *report;
    tiso_report_writer *writer;
    cli_sink sink;
    int sink_open;
} report_run;

static void run_free(report_run *run)
{
    tiso_report_writer_free(run->writer);
    tiso_report_free(run->report);
    tiso_policy_free(run->policy);
    cli_resolution_close(&run->res);
}

static int parse_format(const cli_ctx *ctx, const char *text, tiso_report_format *out)
{
    *out = TISO_FORMAT_TEXT;
    if (text != NULL && tiso_report_format_parse(out, text, strlen(text)) != TISO_OK) {
        return cli_usage(ctx, "--format: '%.64s' is not one of text, json, csv, html", text);
    }
    return 0;
}

/* Creates the report and its writer, feeding the sink. */
static int start(const cli_ctx *ctx, const cli_args *args, report_run *run, tiso_report_format format)
{
    tiso_report_options opts;
    cli_report_options(&opts, args, &run->res);
    opts.policy = run->policy;
    tiso_error err;
    tiso_error_clear(&err);
    if (tiso_report_new(&run->report, &opts, &err) != TISO_OK ||
        tiso_report_writer_new(&run->writer, run->report, format, cli_sink_write, &run->sink,
                               &err) != TISO_OK) {
        return cli_fail_error(ctx, NULL, &err);
    }
    return 0;
}

/* Reads everything and finishes the output; returns 0 or an exit code. */
static int produce(const cli_ctx *ctx, report_run *run, const char *const *inputs, size_t n)
{
    cli_progress progress;
    cli_progress_init(&progress, ctx->command, run->writer);
    tiso_report_set_observer(run->report, cli_progress_observe, &progress);
    int rc = cli_report_read_inputs(ctx, run->report, inputs, n, 0);
    cli_progress_done(&progress);
    tiso_error err;
    tiso_error_clear(&err);
    if (rc == 0 && tiso_report_writer_finish(run->writer, &err) != TISO_OK) {
        rc = cli_fail_error(ctx, run->sink.path, &err);
    }
    return rc;
}

int cmd_report(const cli_ctx *ctx, const cli_args *args)
{
    if (args->positional_count < 2) {
        return cli_usage(ctx, "expects a POLICY file and at least one INPUT, got %zu arguments",
                         args->positional_count);
    }
    tiso_report_format format;
    int rc = parse_format(ctx, args->format, &format);
    const char *const *inputs = args->positional + 1;
    size_t n = args->positional_count - 1;
    report_run run;
    memset(&run, 0, sizeof run);
    if (rc == 0) {
        rc = cli_resolution_open(&run.res, ctx, &args->resolution);
    }
    if (rc == 0) {
        rc = cli_report_load_policy(ctx, args->positional[0], &run.res, &run.policy);
    }
    if (rc == 0) {
        rc = cli_report_check_inputs(ctx, inputs, n);
    }
    if (rc == 0 && (rc = cli_sink_open(&run.sink, ctx, args->output)) == 0) {
        run.sink_open = 1;
        rc = start(ctx, args, &run, format);
    }
    if (rc == 0) {
        rc = produce(ctx, &run, inputs, n);
    }
    if (run.sink_open) {
        int close_rc = cli_sink_close(&run.sink, ctx, rc == 0);
        rc = rc != 0 ? rc : close_rc;
    }
    if (rc == 0) {
        tiso_tenant_id home;
        cli_report_warn_inputs(run.report, tiso_policy_home_tenant(run.policy, &home) ? &home : NULL);
        rc = cli_report_exit_code(ctx, run.report, args->fail_on_blocked);
    }
    run_free(&run);
    return rc;
}
