/* The live service for the CLI (SPEC 12): a live client from the command
 * line and the environment, and the tenant it works on. */
#ifndef TISO_CLI_LIVE_H
#define TISO_CLI_LIVE_H

#include "cli_args.h"
#include "cli_output.h"
#include "cli_resolution.h"
#include "tenantiso.h"

/* FOR TESTS ONLY: the lower clamp of the wait between polls of a push's
 * long operation, in milliseconds (production: always 2 s). */
#define CLI_TEST_POLL_FLOOR_ENV "TENANTISO_TEST_POLL_FLOOR_MS"

typedef struct cli_live {
    tiso_live_client *client; /* owned */
    tiso_tenant_id tenant;    /* --tenant, or TENANTISO_TENANT_ID, resolved */
    char tenant_text[TISO_TENANT_ID_LEN + 1];
} cli_live;

/* Opens the client: --cloud, --login-url, --ca-file, --timeout, --bap-url,
 * --powerplatform-url, --wait (a push's overall deadline); credentials from
 * the environment (the client-secret triple; TENANTISO_BAP_ACCESS_TOKEN and
 * TENANTISO_POWERPLATFORM_ACCESS_TOKEN are caller tokens per audience;
 * TENANTISO_ACCESS_TOKEN stays Graph's), or with --device-code a person's
 * sign-in (TENANTISO_CLIENT_ID the public client, the prompt on stderr). The tenant is --tenant, else
 * TENANTISO_TENANT_ID, resolved through `res` when it is a domain. Returns 0,
 * or reports the failure and returns its exit code. End it either way
 * (cli_live_end). */
int cli_live_open(cli_live *out, const cli_ctx *ctx, const cli_args *args, const cli_resolution *res);

/* Opens the resolution of `args`, then the client through it; returns 0,
 * or reports the failure and returns its exit code. End it either way:
 * cli_live_end closes both. */
int cli_live_start(cli_live *live, cli_resolution *res, const cli_ctx *ctx, const cli_args *args);
void cli_live_end(cli_live *live, cli_resolution *res);

/* Reads the live policy into `*out` and, into `*applied`, the policy the
 * service applies: the one read, or for a tenant without one (GET 404) its
 * equivalent, `tenant`'s with isolation off and no entries. Returns 0, or
 * reports the failure ("pull: BAP (...): ...") and returns its exit code.
 * Clear `*out` and free `*applied` either way. */
int cli_live_get(const cli_ctx *ctx, cli_live *live, tiso_live_policy *out, tiso_policy **applied);

#endif /* TISO_CLI_LIVE_H */
