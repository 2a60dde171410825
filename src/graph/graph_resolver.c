/* The Graph client as a tiso_resolver (resolver.h), so that policy loading
 * and requests given by domain resolve through Graph. The resolver holds a
 * reference to its client. */
#include "graph_internal.h"

static tiso_status graph_resolve(void *impl, const char *domain, tiso_tenant_id *out, tiso_error *err)
{
    /* The core hands over a normalized domain; "*" never reaches here. */
    return tiso__resolve_normalized(impl, domain, out, err);
}

static void graph_destroy(void *impl)
{
    tiso_graph_client_free(impl);
}

static const tiso__resolver_ops graph_ops = {graph_resolve, graph_destroy};

tiso_status tiso_resolver_new_graph(tiso_resolver **out, tiso_graph_client *client, tiso_error *err)
{
    if (out == NULL || client == NULL)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "out and client must not be NULL");
    tiso__client_ref(client);
    return tiso__resolver_wrap(out, &graph_ops, client, err);
}

tiso_status tiso_resolver_new_graph_options(tiso_resolver **out, const tiso_graph_options *opts, tiso_error *err)
{
    if (out == NULL)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "out must not be NULL");
    tiso_graph_client *client = NULL;
    tiso_status st = tiso_graph_client_new(&client, opts, err);
    if (st != TISO_OK)
        return st;
    st = tiso_resolver_new_graph(out, client, err);
    tiso_graph_client_free(client); /* the resolver keeps its own reference */
    return st;
}

tiso_graph_client *tiso_resolver_graph_client(tiso_resolver *resolver)
{
    if (resolver == NULL || resolver->ops != &graph_ops)
        return NULL;
    return resolver->impl;
}
