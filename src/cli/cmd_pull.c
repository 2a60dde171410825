/* tenantiso pull [--tenant T] [--output FILE]
 * The live policy as the service's document, byte for byte as received
 * (SPEC 12). A tenant without a policy (GET 404) has isolation off: pull
 * says so on stderr and writes the equivalent document (its tenant,
 * isolation off, no entries), which plan and push read as "no change". */
#include <string.h>

#include "cli_live.h"
#include "cli_report.h"
#include "commands.h"

int cmd_pull(const cli_ctx *ctx, const cli_args *args)
{
    char *none = NULL; /* the document of a tenant without a policy */
    size_t len = 0;
    cli_resolution res;
    cli_live live;
    tiso_live_policy got;
    memset(&got, 0, sizeof got);
    tiso_policy *applied = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    int rc = cli_live_start(&live, &res, ctx, args);
    if (rc == 0)
        rc = cli_live_get(ctx, &live, &got, &applied);
    if (rc == 0 && got.found) {
        rc = cli_write_file(ctx, args->output, got.body, got.len, NULL);
    } else if (rc == 0 && tiso_policy_to_json(&none, &len, applied, 1, &err) != TISO_OK) {
        rc = cli_fail_error(ctx, NULL, &err);
    } else if (rc == 0) {
        cli_warn("pull: tenant %s has no tenant isolation policy (the service answered 404: isolation off); "
                 "writing the equivalent document: isolation off, no entries",
                 live.tenant_text);
        rc = cli_write_file(ctx, args->output, none, len, "\n");
    }
    tiso_free(none);
    tiso_policy_free(applied);
    tiso_live_policy_clear(&got);
    cli_live_end(&live, &res);
    return rc;
}
