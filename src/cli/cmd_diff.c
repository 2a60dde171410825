/* tenantiso diff OLD NEW INPUT... [--json]
 * Which connections of INPUT change verdict between policy OLD and policy
 * NEW, and how many become blocked or allowed (SPEC 6, 7). An error counts
 * as a deny on either side: fail closed, as a gateway would. */
#include <string.h>

#include "cli_report.h"
#include "commands.h"

int cmd_diff(const cli_ctx *ctx, const cli_args *args)
{
    if (args->positional_count < 3) {
        return cli_usage(ctx, "expects OLD and NEW policy files and at least one INPUT, got %zu arguments",
                         args->positional_count);
    }
    cli_resolution res;
    tiso_policy *before = NULL, *after = NULL;
    tiso_report *report = NULL;
    int rc = cli_resolution_open(&res, ctx, &args->resolution);
    if (rc == 0) {
        rc = cli_report_load_policy(ctx, args->positional[0], &res, &before);
    }
    if (rc == 0) {
        rc = cli_report_load_policy(ctx, args->positional[1], &res, &after);
    }
    if (rc == 0) {
        rc = cli_report_diff(ctx, before, after, &res, args->positional + 2, args->positional_count - 2,
                             ctx->json ? TISO_FORMAT_DIFF_JSON : TISO_FORMAT_DIFF_TEXT, &report);
    }
    if (rc == 0) {
        cli_report_warn_inputs(report, NULL);
        rc = cli_report_exit_code(ctx, report, 0);
    }
    tiso_report_free(report);
    tiso_policy_free(before);
    tiso_policy_free(after);
    cli_resolution_close(&res);
    return rc;
}
