/* tenantiso diff OLD NEW INPUT... [--json]
 * Which connections of INPUT change verdict between policy OLD and policy
 * NEW, and how many become blocked or allowed (SPEC 6, 7). An error counts
 * as a deny on either side: fail closed, as a gateway would. */
#include <string.h>

#include "cli_report.h"
#include "commands.h"

typedef struct diff_run {
    cli_resolution res;
    tiso_policy *before, *after;
    tiso_report *report;
    tiso_report_writer *writer;
    cli_sink sink;
} diff_run;

static int start(const cli_ctx *ctx, const cli_args *args, diff_run *run)
{
    tiso_report_options opts;
    cli_report_options(&opts, args, &run->res);
    opts.policy = run->after;
    opts.before_policy = run->before;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_report_format format = ctx->json ? TISO_FORMAT_DIFF_JSON : TISO_FORMAT_DIFF_TEXT;
    if (tiso_report_new(&run->report, &opts, &err) != TISO_OK ||
        tiso_report_writer_new(&run->writer, run->report, format, cli_sink_write, &run->sink,
                               &err) != TISO_OK) {
        return cli_fail_error(ctx, NULL, &err);
    }
    return 0;
}

static int produce(const cli_ctx *ctx, diff_run *run, const char *const *inputs, size_t n)
{
    cli_progress progress;
    cli_progress_init(&progress, ctx->command, run->writer);
    tiso_report_set_observer(run->report, cli_progress_observe, &progress);
    int rc = cli_report_read_inputs(ctx, run->report, inputs, n, 0);
    cli_progress_done(&progress);
    tiso_error err;
    tiso_error_clear(&err);
    if (rc == 0 && tiso_report_writer_finish(run->writer, &err) != TISO_OK) {
        rc = cli_fail_error(ctx, NULL, &err);
    }
    return rc;
}

int cmd_diff(const cli_ctx *ctx, const cli_args *args)
{
    if (args->positional_count < 3) {
        return cli_usage(ctx, "expects OLD and NEW policy files and at least one INPUT, got %zu arguments",
                         args->positional_count);
    }
    diff_run run;
    memset(&run, 0, sizeof run);
    int rc = cli_resolution_open(&run.res, ctx, &args->resolution);
    if (rc == 0) {
        rc = cli_report_load_policy(ctx, args->positional[0], &run.res, &run.before);
    }
    if (rc == 0) {
        rc = cli_report_load_policy(ctx, args->positional[1], &run.res, &run.after);
    }
    if (rc == 0) {
        rc = cli_report_check_inputs(ctx, args->positional + 2, args->positional_count - 2);
    }
    if (rc == 0 && (rc = cli_sink_open(&run.sink, ctx, NULL)) == 0) {
        rc = start(ctx, args, &run);
        if (rc == 0) {
            rc = produce(ctx, &run, args->positional + 2, args->positional_count - 2);
        }
        int close_rc = cli_sink_close(&run.sink, ctx, rc == 0);
        rc = rc != 0 ? rc : close_rc;
    }
    if (rc == 0) {
        cli_report_warn_inputs(run.report, NULL);
        rc = cli_report_exit_code(ctx, run.report, 0);
    }
    tiso_report_writer_free(run.writer);
    tiso_report_free(run.report);
    tiso_policy_free(run.before);
    tiso_policy_free(run.after);
    cli_resolution_close(&run.res);
    return rc;
}
