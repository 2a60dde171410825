/* tenantiso push POLICY [INPUT...] [--tenant T] --yes [--expect SHA256]
 *                [--allow-breaking] [--wait SECONDS]
 * Safe by construction (SPEC 12): domains resolved first; a policy for
 * another tenant, past 500 rules or invalid is refused; the plan is shown,
 * and without --yes nothing more happens; --expect refuses when the live
 * policy is no longer the reviewed one; with INPUT, connections that newly
 * break refuse the push unless --allow-breaking; the library waits for the
 * service's operation and reads the policy back. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_plan.h"
#include "commands.h"

static void progress(void *user, unsigned polls, uint64_t next_wait_ms)
{
    (void)user;
    fprintf(stderr, "\rtenantiso: push: waiting for the service (%u polls, next in %.0f s)   ", polls,
            (double)next_wait_ms / 1000.0);
}

/* With INPUT: a record without a verdict could hide a break (fail closed),
 * and connections that newly break need --allow-breaking. */
static int breaking(const cli_ctx *ctx, const cli_plan *plan, const cli_args *args)
{
    tiso_report_totals t;
    if (plan->report == NULL || tiso_report_get_totals(&t, plan->report) != TISO_OK)
        return 0;
    if (t.errors > 0) {
        fprintf(stderr,
                "tenantiso: %s: %llu of %llu records of the input could not be evaluated (listed above), so what "
                "would break is not known: nothing pushed\n",
                ctx->command, (unsigned long long)t.errors, (unsigned long long)t.connections);
        return CLI_EXIT_USAGE;
    }
    if (t.newly_blocked == 0 || args->allow_breaking)
        return 0;
    fprintf(stderr,
            "tenantiso: %s: %llu of %llu connections of the input would newly break under this policy "
            "(listed above): nothing pushed; --allow-breaking pushes anyway\n",
            ctx->command, (unsigned long long)t.newly_blocked, (unsigned long long)t.connections);
    return CLI_EXIT_DENIED;
}

static int push(const cli_ctx *ctx, cli_live *live, const tiso_policy *policy, const cli_args *args)
{
    tiso_live_policy after;
    tiso_error err;
    tiso_error_clear(&err);
    int tty = isatty(STDERR_FILENO);
    tiso_status st = tiso_live_policy_push(&after, live->client, &live->tenant, policy, args->expect,
                                           tty ? progress : NULL, NULL, &err);
    if (tty)
        fputs("\r\033[K", stderr);
    int rc = 0;
    if (st != TISO_OK)
        rc = cli_fail_error(ctx, NULL, &err);
    else
        printf("pushed: the service holds this policy now (read back: SHA-256 %s)\n", after.sha256);
    tiso_live_policy_clear(&after);
    return rc;
}

static int decide(const cli_ctx *ctx, const cli_args *args, cli_live *live, const tiso_policy *policy,
                  const cli_plan *plan)
{
    if (plan->in_sync) {
        printf("nothing pushed: the live policy already says this\n");
        return CLI_EXIT_OK;
    }
    if (!args->yes) {
        printf("not pushed: review the plan above, then pass --yes (and --expect %s)\n", plan->live.sha256);
        return CLI_EXIT_DENIED;
    }
    int rc = breaking(ctx, plan, args);
    if (rc != 0)
        return rc;
    fflush(stdout);
    return push(ctx, live, policy, args);
}

int cmd_push(const cli_ctx *ctx, const cli_args *args)
{
    return cli_plan_command(ctx, args, decide);
}
