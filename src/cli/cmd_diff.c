/* tenantiso diff OLD NEW INPUT... [--json]
 * Which connections of INPUT change verdict between policy OLD and policy
 * NEW, and how many become blocked or allowed (SPEC 6, 7). An error counts
 * as a deny on either side: fail closed, as a gateway would. */
#include "cli_report.h"
#include "commands.h"

int cmd_diff(const cli_ctx *ctx, const cli_args *args)
{
    return cli_report_run(ctx, args, 2, ctx->json ? TISO_FORMAT_DIFF_JSON : TISO_FORMAT_DIFF_TEXT, 0);
}
