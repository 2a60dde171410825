/* tenantiso plan POLICY [INPUT...] [--tenant T] [--json]
 * What pushing POLICY would change, against the live policy; with INPUT,
 * which connections change verdict. Prints the SHA-256 of the live policy
 * as received, for `push --expect`. Exit 0 in sync, 1 differs (SPEC 12). */
#include <string.h>

#include "cli_plan.h"
#include "cli_report.h"
#include "commands.h"

static int exit_code(const cli_ctx *ctx, const cli_args *args, cli_live *live, const tiso_policy *policy,
                     const cli_plan *plan)
{
    (void)args;
    (void)live;
    (void)policy;
    if (plan->report != NULL) {
        int rc = cli_report_exit_code(ctx, plan->report, 0); /* records without a verdict: 2 */
        if (rc != 0)
            return rc;
    }
    return plan->in_sync ? CLI_EXIT_OK : CLI_EXIT_DENIED;
}

int cmd_plan(const cli_ctx *ctx, const cli_args *args)
{
    return cli_plan_command(ctx, args, exit_code);
}
