/* The live client's API in a build without the Graph client
 * (TENANTISO_WITH_GRAPH off): every function exists, so programs and
 * bindings link the same way, and the network ones answer
 * TISO_E_UNSUPPORTED. Clouds, option defaults and policy comparison
 * (live_common.c) work in both builds. */
#include <string.h>

#include "live_internal.h"

#define LIVE_OFF "this build of libtenantiso has no live-service client (TENANTISO_WITH_GRAPH=OFF)"

tiso_status tiso_live_client_new(tiso_live_client **out, const tiso_live_options *opts, tiso_error *err)
{
    (void)out;
    (void)opts;
    return tiso__fail(err, TISO_E_UNSUPPORTED, NULL, LIVE_OFF);
}

void tiso_live_client_free(tiso_live_client *client)
{
    (void)client;
}

tiso_status tiso_live_policy_get(tiso_live_policy *out, tiso_live_client *client, const tiso_tenant_id *tenant,
                                 tiso_error *err)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    (void)client;
    (void)tenant;
    return tiso__fail(err, TISO_E_UNSUPPORTED, NULL, LIVE_OFF);
}

tiso_status tiso_live_policy_push(tiso_live_policy *after, tiso_live_client *client, const tiso_tenant_id *tenant,
                                  const tiso_policy *policy, const char *expect_sha256, tiso_live_progress_fn progress,
                                  void *progress_user, tiso_error *err)
{
    if (after != NULL)
        memset(after, 0, sizeof *after);
    (void)client;
    (void)tenant;
    (void)policy;
    (void)expect_sha256;
    (void)progress;
    (void)progress_user;
    return tiso__fail(err, TISO_E_UNSUPPORTED, NULL, LIVE_OFF);
}

tiso_status tiso_live_report_create(tiso_live_page *out, tiso_live_client *client, tiso_error *err)
{
    return tiso_live_report_get(out, client, NULL, err);
}

tiso_status tiso_live_report_get(tiso_live_page *out, tiso_live_client *client, const char *report_id,
                                 tiso_error *err)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    (void)client;
    (void)report_id;
    return tiso__fail(err, TISO_E_UNSUPPORTED, NULL, LIVE_OFF);
}

tiso_status tiso_live_report_wait(tiso_live_page *out, tiso_live_client *client, const char *report_id,
                                  tiso_live_progress_fn progress, void *progress_user, tiso_error *err)
{
    (void)progress;
    (void)progress_user;
    return tiso_live_report_get(out, client, report_id, err);
}

tiso_status tiso_live_report_next(tiso_live_page *out, tiso_live_client *client, const char *next_link,
                                  tiso_error *err)
{
    return tiso_live_report_get(out, client, next_link, err);
}
