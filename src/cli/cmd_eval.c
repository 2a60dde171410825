/* tenantiso eval POLICY... : decide one connection, or a --batch of them
 * (SPEC 3, 3.1, 7). One POLICY is evaluated alone; several form a policy set
 * and the decision says which side blocked. */
#include <stdio.h>

#include <cjson/cJSON.h>

#include "cli_decision.h"
#include "cli_policies.h"
#include "cli_request.h"
#include "cli_resolution.h"
#include "commands.h"

/* The request options and --batch exclude each other. */
static int check_usage(const cli_ctx *ctx, const cli_args *args)
{
    if (args->batch != NULL &&
        (args->creator != NULL || args->target != NULL || args->direction != NULL || args->connector != NULL)) {
        return cli_usage(ctx, "--batch takes the requests from its input; "
                              "--creator, --target, --direction and --connector "
                              "cannot be combined with it");
    }
    if (args->batch == NULL && (args->creator == NULL || args->target == NULL)) {
        return cli_usage(ctx, "needs --creator and --target (or --batch FILE)");
    }
    return 0;
}

static int eval_one(const cli_ctx *ctx, const cli_args *args, const cli_policies *policies, const cli_resolution *res)
{
    cli_request_text text = {args->creator, args->target, args->direction, args->connector, "--"};
    tiso_request request;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = cli_request_build(&request, &text, res, &err);
    if (s != TISO_OK) {
        return cli_fail_error(ctx, NULL, &err);
    }
    tiso_decision d;
    char why[CLI_MESSAGE_MAX / 2];
    s = cli_policies_evaluate(&d, why, sizeof why, policies, &request);
    if (s != TISO_OK) {
        return cli_fail(ctx, s, "eval: %s", why);
    }
    int rc = 0;
    if (ctx->json) {
        cJSON *obj = cJSON_CreateObject();
        rc = cli_json_print(ctx, obj, obj == NULL || cli_decision_add_to(obj, &d, policies->as_set) != 0, 0);
    } else if (cli_decision_print_text(stdout, &d, policies->as_set) != 0) {
        rc = cli_fail_nomem(ctx);
    }
    return rc != 0 ? rc : d.verdict == TISO_ALLOW ? CLI_EXIT_OK : CLI_EXIT_DENIED;
}

int cmd_eval(const cli_ctx *ctx, const cli_args *args)
{
    int rc = check_usage(ctx, args);
    if (rc != 0) {
        return rc;
    }
    cli_resolution res;
    cli_policies policies;
    cli_policies_init(&policies, args->positional_count > 1);
    rc = cli_resolution_open(&res, ctx, &args->resolution);
    for (size_t i = 0; rc == 0 && i < args->positional_count; i++) {
        tiso_error err;
        tiso_error_clear(&err);
        if (cli_policies_load(&policies, args->positional[i], NULL, 0, res.resolver, &err) != TISO_OK) {
            rc = cli_fail_error(ctx, args->positional[i], &err);
        }
    }
    if (rc == 0) {
        rc = args->batch != NULL ? cmd_batch(ctx, args->batch, &policies, &res) : eval_one(ctx, args, &policies, &res);
    }
    cli_policies_free(&policies);
    cli_resolution_close(&res);
    return rc;
}
