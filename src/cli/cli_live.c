/* The live service for the CLI (see cli_live.h). */
#include "cli_live.h"

#include "cli_policies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The device-code prompt goes to stderr: stdout carries the command's output. */
static void prompt(void *user, const char *uri, const char *code, const char *message)
{
    (void)user;
    if (message[0] != '\0')
        fprintf(stderr, "tenantiso: %s\n", message);
    else
        fprintf(stderr, "tenantiso: to sign in, open %s and enter the code %s\n", uri, code);
}

static void live_options(tiso_live_options *o, const cli_args *args, const char *tenant)
{
    tiso_live_options_init(o);
    cli_http_options(&o->http, &args->resolution);
    if (args->device_code) {
        /* A person signs in: TENANTISO_CLIENT_ID names the public client. */
        o->device_client_id = cli_env("TENANTISO_CLIENT_ID");
        o->device_tenant = tenant;
        o->device_prompt = prompt;
    } else {
        cli_credentials(&o->http);
        o->bap_token = cli_env("TENANTISO_BAP_ACCESS_TOKEN");
        o->powerplatform_token = cli_env("TENANTISO_POWERPLATFORM_ACCESS_TOKEN");
    }
    o->bap_url = args->bap_url;
    o->powerplatform_url = args->powerplatform_url;
    if (args->wait > 0)
        o->operation_timeout_ms = cli_ms_of(args->wait);
    const char *floor = cli_env(CLI_TEST_POLL_FLOOR_ENV);
    if (floor != NULL) {
        long v = strtol(floor, NULL, 10);
        if (v > 0 && v <= (long)TISO_LIVE_POLL_FLOOR_MS)
            o->poll_floor_ms = (uint32_t)v;
    }
}

int cli_live_open(cli_live *out, const cli_ctx *ctx, const cli_args *args, const cli_resolution *res)
{
    memset(out, 0, sizeof *out);
    const char *tenant = args->tenant ? args->tenant : cli_env("TENANTISO_TENANT_ID");
    if (tenant == NULL)
        return cli_usage(ctx, "which tenant? pass --tenant T or set TENANTISO_TENANT_ID");
    tiso_error err;
    tiso_status st = cli_resolve_name(res, tenant, &out->tenant, &err);
    if (st != TISO_OK)
        return cli_fail(ctx, st, "--tenant '%.260s': %s", tenant, err.message);
    tiso_tenant_id_format(out->tenant_text, &out->tenant);
    if (args->device_code && cli_env("TENANTISO_CLIENT_ID") == NULL)
        return cli_usage(ctx, "--device-code needs TENANTISO_CLIENT_ID, the public client to sign in with");
    tiso_live_options o;
    live_options(&o, args, out->tenant_text);
    tiso_error_clear(&err);
    if (tiso_live_client_new(&out->client, &o, &err) != TISO_OK)
        return cli_fail_error(ctx, "live-service client", &err);
    return 0;
}

int cli_live_start(cli_live *live, cli_resolution *res, const cli_ctx *ctx, const cli_args *args)
{
    memset(live, 0, sizeof *live);
    int rc = cli_resolution_open(res, ctx, &args->resolution);
    return rc != 0 ? rc : cli_live_open(live, ctx, args, res);
}

void cli_live_end(cli_live *live, cli_resolution *res)
{
    tiso_live_client_free(live->client);
    memset(live, 0, sizeof *live);
    cli_resolution_close(res);
}

int cli_live_get(const cli_ctx *ctx, cli_live *live, tiso_live_policy *out, tiso_policy **applied)
{
    *applied = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    if (tiso_live_policy_get(out, live->client, &live->tenant, &err) != TISO_OK)
        return cli_fail_error(ctx, NULL, &err);
    if (out->found) {
        *applied = tiso_policy_ref(out->policy);
        return 0;
    }
    tiso_status st = cli_policy_empty(applied, &live->tenant, 0, &err);
    return st == TISO_OK ? 0 : cli_fail(ctx, st, "building the policy of a tenant without one: %s", err.message);
}
