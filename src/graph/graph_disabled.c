/* The Graph client's API in a build without it (TENANTISO_WITH_GRAPH off):
 * every function exists, so programs and bindings link the same way, and
 * answers TISO_E_UNSUPPORTED. Clouds and option defaults (graph_common.c)
 * work in both builds. */
#include <string.h>

#include "internal.h"
#include "tenantiso/graph.h"

#define GRAPH_OFF "this build of libtenantiso has no Microsoft Graph client (TENANTISO_WITH_GRAPH=OFF)"

/* Clears a look-up's `out` (of `size` bytes) and says why there is no answer. */
static tiso_status graph_off(void *out, size_t size, tiso_error *err)
{
    if (out != NULL)
        memset(out, 0, size);
    return tiso__fail(err, TISO_E_UNSUPPORTED, NULL, GRAPH_OFF);
}

tiso_status tiso_graph_client_new(tiso_graph_client **out, const tiso_graph_options *opts, tiso_error *err)
{
    (void)out;
    (void)opts;
    return tiso__fail(err, TISO_E_UNSUPPORTED, NULL, GRAPH_OFF);
}

void tiso_graph_client_free(tiso_graph_client *client)
{
    (void)client;
}

tiso_status tiso_graph_resolve_domain(tiso_tenant_id *out, tiso_graph_client *client, const char *domain,
                                      tiso_error *err)
{
    (void)client;
    (void)domain;
    return graph_off(out, sizeof *out, err);
}

tiso_status tiso_graph_tenant_info_by_id(tiso_graph_tenant_info *out, tiso_graph_client *client,
                                         const tiso_tenant_id *tenant, tiso_error *err)
{
    (void)client;
    (void)tenant;
    return graph_off(out, sizeof *out, err);
}

tiso_status tiso_graph_tenant_info_by_domain(tiso_graph_tenant_info *out, tiso_graph_client *client, const char *domain,
                                             tiso_error *err)
{
    (void)client;
    (void)domain;
    return graph_off(out, sizeof *out, err);
}

tiso_status tiso_graph_resolve_batch(tiso_graph_result *out, tiso_graph_client *client, const char *const *names,
                                     size_t count, tiso_error *err)
{
    (void)client;
    (void)names;
    for (size_t i = 0; out != NULL && i < count; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].status = graph_off(NULL, 0, &out[i].error);
    }
    return tiso__fail(err, TISO_E_UNSUPPORTED, NULL, GRAPH_OFF);
}

int tiso_graph_client_uses_graph(const tiso_graph_client *client)
{
    (void)client;
    return 0;
}

size_t tiso_graph_cache_size(tiso_graph_client *client)
{
    (void)client;
    return 0;
}

void tiso_graph_cache_clear(tiso_graph_client *client)
{
    (void)client;
}

tiso_status tiso_resolver_new_graph(tiso_resolver **out, tiso_graph_client *client, tiso_error *err)
{
    (void)out;
    (void)client;
    return tiso__fail(err, TISO_E_UNSUPPORTED, NULL, GRAPH_OFF);
}

tiso_status tiso_resolver_new_graph_options(tiso_resolver **out, const tiso_graph_options *opts, tiso_error *err)
{
    (void)out;
    (void)opts;
    return tiso__fail(err, TISO_E_UNSUPPORTED, NULL, GRAPH_OFF);
}

tiso_graph_client *tiso_resolver_graph_client(tiso_resolver *resolver)
{
    (void)resolver;
    return NULL;
}
