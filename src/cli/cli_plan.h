/* What pushing a policy would change (SPEC 12 `plan`, and what `push`
 * shows first): isolation on or off, allowlist entries added, removed, or
 * with other directions, compared with the live policy; with INPUT, the
 * connections that change verdict, through the library's diff report. */
#ifndef TISO_CLI_PLAN_H
#define TISO_CLI_PLAN_H

#include <stddef.h>

#include "cli_live.h"
#include "cli_resolution.h"
#include "tenantiso.h"

typedef struct cli_plan {
    tiso_live_policy live;    /* as received; owned */
    tiso_policy *before;      /* the live policy, or isolation off when there is none; owned */
    tiso_policy_comparison diff; /* the live policy (before) -> the proposed one */
    int in_sync;              /* nothing to push: same isolation, same entries and directions */
    tiso_report *report;      /* with INPUT: the diff before -> proposed; owned; NULL otherwise */
} cli_plan;

/* What plan and push share: POLICY (args->positional[0]) loaded with its
 * domains resolved, the live client opened, the library's refusals of a
 * policy that could not be pushed (another home tenant, past 500 rules, an
 * --expect that is not a SHA-256) before anything is sent, the plan run
 * (printed) over the INPUTs, then `then` with all of it, whose exit code is
 * returned; or the first failure reported and its exit code. */
typedef int (*cli_plan_then)(const cli_ctx *ctx, const cli_args *args, cli_live *live, const tiso_policy *policy,
                             const cli_plan *plan);
int cli_plan_command(const cli_ctx *ctx, const cli_args *args, cli_plan_then then);

#endif /* TISO_CLI_PLAN_H */
