/* The Microsoft Graph and live-service clients' API in a build without them
 * (TENANTISO_WITH_GRAPH off): every function of graph.h and live.h exists, so
 * programs and bindings link the same way. What would make a client or use
 * the network answers TISO_E_UNSUPPORTED and clears the result it would have
 * filled; the getters answer "nothing". Clouds, option defaults and policy
 * comparison (graph_common.c, live_common.c) work in both builds. */
#include <string.h>

#include "internal.h"
#include "tenantiso/graph.h"
#include "tenantiso/live.h"

static const char graph_off[] = "this build of libtenantiso has no Microsoft Graph client (TENANTISO_WITH_GRAPH=OFF)";
static const char live_off[] = "this build of libtenantiso has no live-service client (TENANTISO_WITH_GRAPH=OFF)";

/* Clears a call's result `out` (`size` bytes; none when NULL) and says which
 * client this build lacks. */
static tiso_status unsupported(void *out, size_t size, const char *off, tiso_error *err)
{
    if (out != NULL)
        memset(out, 0, size);
    return tiso__fail(err, TISO_E_UNSUPPORTED, NULL, "%s", off);
}

/* ---- No client to make (`*out` is left as it is) ---- */

tiso_status tiso_graph_client_new(tiso_graph_client **out, const tiso_graph_options *opts, tiso_error *err)
{
    (void)out, (void)opts;
    return unsupported(NULL, 0, graph_off, err);
}

tiso_status tiso_resolver_new_graph(tiso_resolver **out, tiso_graph_client *client, tiso_error *err)
{
    (void)out, (void)client;
    return unsupported(NULL, 0, graph_off, err);
}

tiso_status tiso_resolver_new_graph_options(tiso_resolver **out, const tiso_graph_options *opts, tiso_error *err)
{
    (void)out, (void)opts;
    return unsupported(NULL, 0, graph_off, err);
}

tiso_status tiso_live_client_new(tiso_live_client **out, const tiso_live_options *opts, tiso_error *err)
{
    (void)out, (void)opts;
    return unsupported(NULL, 0, live_off, err);
}

/* ---- So nothing to free, clear or ask ---- */

void tiso_graph_client_free(tiso_graph_client *client)
{
    (void)client;
}

int tiso_graph_client_uses_graph(const tiso_graph_client *client)
{
    (void)client;
    return 0;
}

void tiso_graph_cache_clear(tiso_graph_client *client)
{
    (void)client;
}

size_t tiso_graph_cache_size(tiso_graph_client *client)
{
    (void)client;
    return 0;
}

void tiso_live_client_free(tiso_live_client *client)
{
    (void)client;
}

tiso_graph_client *tiso_resolver_graph_client(tiso_resolver *resolver)
{
    (void)resolver;
    return NULL;
}

/* ---- No look-up and no service call: the result is cleared ---- */

tiso_status tiso_graph_resolve_domain(tiso_tenant_id *out, tiso_graph_client *client, const char *domain,
                                      tiso_error *err)
{
    (void)client, (void)domain;
    return unsupported(out, sizeof *out, graph_off, err);
}

tiso_status tiso_graph_tenant_info_by_id(tiso_graph_tenant_info *out, tiso_graph_client *client,
                                         const tiso_tenant_id *tenant, tiso_error *err)
{
    (void)client, (void)tenant;
    return unsupported(out, sizeof *out, graph_off, err);
}

tiso_status tiso_graph_tenant_info_by_domain(tiso_graph_tenant_info *out, tiso_graph_client *client, const char *domain,
                                             tiso_error *err)
{
    (void)client, (void)domain;
    return unsupported(out, sizeof *out, graph_off, err);
}

/* Each name's result says so too. */
tiso_status tiso_graph_resolve_batch(tiso_graph_result *out, tiso_graph_client *client, const char *const *names,
                                     size_t count, tiso_error *err)
{
    (void)client, (void)names;
    for (size_t i = 0; out != NULL && i < count; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].status = unsupported(NULL, 0, graph_off, &out[i].error);
    }
    return unsupported(NULL, 0, graph_off, err);
}

tiso_status tiso_live_policy_get(tiso_live_policy *out, tiso_live_client *client, const tiso_tenant_id *tenant,
                                 tiso_error *err)
{
    (void)client, (void)tenant;
    return unsupported(out, sizeof *out, live_off, err);
}

tiso_status tiso_live_policy_push(tiso_live_policy *after, tiso_live_client *client, const tiso_tenant_id *tenant,
                                  const tiso_policy *policy, const char *expect_sha256, tiso_live_progress_fn progress,
                                  void *progress_user, tiso_error *err)
{
    (void)client, (void)tenant, (void)policy, (void)expect_sha256, (void)progress, (void)progress_user;
    return unsupported(after, sizeof *after, live_off, err);
}

tiso_status tiso_live_report_get(tiso_live_page *out, tiso_live_client *client, const char *report_id,
                                 tiso_error *err)
{
    (void)client, (void)report_id;
    return unsupported(out, sizeof *out, live_off, err);
}

/* The other report calls answer as tiso_live_report_get does. */
tiso_status tiso_live_report_create(tiso_live_page *out, tiso_live_client *client, tiso_error *err)
{
    return tiso_live_report_get(out, client, NULL, err);
}

tiso_status tiso_live_report_wait(tiso_live_page *out, tiso_live_client *client, const char *report_id,
                                  tiso_live_progress_fn progress, void *progress_user, tiso_error *err)
{
    (void)progress, (void)progress_user;
    return tiso_live_report_get(out, client, report_id, err);
}

tiso_status tiso_live_report_next(tiso_live_page *out, tiso_live_client *client, const char *next_link,
                                  tiso_error *err)
{
    return tiso_live_report_get(out, client, next_link, err);
}
