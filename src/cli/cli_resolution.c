/* Resolution for the CLI (see cli_resolution.h). */
#include "cli_resolution.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The callback the library calls for each domain: ask each resolver in turn
 * until one knows the name or fails for a reason other than "not found". */
static tiso_status resolve_chain(void *user, const char *domain, tiso_tenant_id *out, tiso_error *err)
{
    const cli_resolution *res = user;
    for (size_t i = 0; i < res->count; i++) {
        tiso_status s = tiso_resolver_resolve(res->chain[i], out, domain, err);
        if (s != TISO_E_NOT_FOUND) {
            return s;
        }
    }
    /* The library names the domain around this message; say only why. */
    tiso_error_clear(err);
    if (res->count == 0) {
        err->status = TISO_E_RESOLVE;
        snprintf(err->message, sizeof err->message,
                 "no resolver: pass --domains MAP.json%s",
                 tiso_features() & TISO_FEATURE_GRAPH ? " or a Graph option such as --cloud global"
                                                      : " (this build has no Graph client)");
        return TISO_E_RESOLVE;
    }
    err->status = TISO_E_NOT_FOUND;
    int n = snprintf(err->message, sizeof err->message, "not in %s", res->origin[0]);
    for (size_t i = 1; i < res->count && n > 0 && (size_t)n < sizeof err->message; i++) {
        n += snprintf(err->message + n, sizeof err->message - (size_t)n, " nor in %s", res->origin[i]);
    }
    return TISO_E_NOT_FOUND;
}

/* Whether a Graph option or credential asks for the network. */
static int graph_requested(const cli_resolution_opts *opts)
{
    const char *env[] = {"TENANTISO_ACCESS_TOKEN", "TENANTISO_TENANT_ID", "TENANTISO_CLIENT_ID",
                         "TENANTISO_CLIENT_SECRET"};
    int credentials = 0;
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++)
        credentials |= getenv(env[i]) != NULL && *getenv(env[i]) != '\0';
    return credentials || opts->cloud || opts->graph_url || opts->login_url || opts->ca_file || opts->timeout > 0;
}

/* Graph resolves what a --domains map cannot, when asked to, or by default
 * when there is no map at all (so `resolve contoso.com` and a policy's
 * domain entries just work). A --domains map alone means "no network", and
 * `test` never goes to the network unless asked: expected-decision cases
 * must give the same answer in any CI. */
static int wants_graph(const cli_ctx *ctx, const cli_resolution_opts *opts)
{
    if (!(tiso_features() & TISO_FEATURE_GRAPH))
        return 0;
    if (graph_requested(opts))
        return 1;
    return opts->domains == NULL && !(ctx->command && strcmp(ctx->command, "test") == 0);
}

/* Credentials from the environment: a token, or a client secret's triple. */
static void graph_credentials(tiso_graph_options *go)
{
    const char *tok = getenv("TENANTISO_ACCESS_TOKEN");
    if (tok && *tok) {
        go->access_token = tok;
        return;
    }
    go->tenant_id = getenv("TENANTISO_TENANT_ID");
    go->client_id = getenv("TENANTISO_CLIENT_ID");
    go->client_secret = getenv("TENANTISO_CLIENT_SECRET");
}

static int add_graph(cli_resolution *out, const cli_ctx *ctx, const cli_resolution_opts *opts)
{
    tiso_graph_options go;
    tiso_graph_options_init(&go);
    if (opts->cloud && tiso_cloud_parse(&go.cloud, opts->cloud, strlen(opts->cloud)) != TISO_OK)
        return cli_usage(ctx, "--cloud must be global, usgov, dod or china, not '%s'", opts->cloud);
    go.login_url = opts->login_url;
    go.graph_url = opts->graph_url;
    go.ca_file = opts->ca_file;
    if (opts->timeout > 0) {
        go.timeout_ms = (uint32_t)(opts->timeout * 1000.0 + 0.5);
        if (go.timeout_ms == 0)
            go.timeout_ms = 1;
        if (go.timeout_ms < go.connect_timeout_ms)
            go.connect_timeout_ms = go.timeout_ms;
    }
    graph_credentials(&go);
    tiso_error err;
    tiso_error_clear(&err);
    tiso_resolver *graph = NULL;
    if (tiso_resolver_new_graph_options(&graph, &go, &err) != TISO_OK)
        return cli_fail_error(ctx, "Graph client", &err);
    out->chain[out->count] = graph;
    out->origin[out->count] = "Microsoft Graph";
    out->count++;
    return 0;
}

int cli_resolution_open(cli_resolution *out, const cli_ctx *ctx, const cli_resolution_opts *opts)
{
    memset(out, 0, sizeof *out);
    tiso_error err;
    tiso_error_clear(&err);
    if (tiso_resolver_new_callback(&out->resolver, resolve_chain, out, &err) != TISO_OK) {
        return cli_fail_error(ctx, "resolver", &err);
    }
    if (opts->domains != NULL) {
        tiso_resolver *map = NULL;
        if (tiso_resolver_load_map_file(&map, opts->domains, &err) != TISO_OK) {
            return cli_fail_error(ctx, opts->domains, &err);
        }
        out->chain[0] = map;
        out->origin[0] = "the --domains map";
        out->count = 1;
    }
    if (wants_graph(ctx, opts))
        return add_graph(out, ctx, opts);
    return 0;
}

tiso_status cli_resolution_push_front(cli_resolution *res, tiso_resolver *map, const char *origin)
{
    if (res->count == CLI_RESOLVERS_MAX) {
        tiso_resolver_free(map);
        return TISO_E_LIMIT;
    }
    memmove(res->chain + 1, res->chain, res->count * sizeof res->chain[0]);
    memmove(res->origin + 1, res->origin, res->count * sizeof res->origin[0]);
    res->chain[0] = map;
    res->origin[0] = origin;
    res->count++;
    return TISO_OK;
}

/* 1 if `name` has the 8-4-4-4-12 shape of a GUID, braces allowed, whatever
 * its characters: such a name was meant as a tenant ID, never a domain. */
static int looks_like_guid(const char *name)
{
    size_t len = strlen(name);
    if (len == 38 && name[0] == '{' && name[37] == '}') {
        name++;
        len = 36;
    } else if (name[0] == '{') {
        return 1;
    }
    return len == 36 && name[8] == '-' && name[13] == '-' && name[18] == '-' && name[23] == '-' &&
           memchr(name, '.', len) == NULL; /* a domain always has a dot */
}

tiso_status cli_resolve_name(const cli_resolution *res, const char *name, tiso_tenant_id *out, tiso_error *err)
{
    tiso_error_clear(err);
    if (looks_like_guid(name)) {
        return tiso_tenant_id_parse_ex(out, name, strlen(name), err);
    }
    return tiso_resolver_resolve(res->resolver, out, name, err);
}

void cli_resolution_close(cli_resolution *res)
{
    tiso_resolver_free(res->resolver);
    for (size_t i = 0; i < res->count; i++) {
        tiso_resolver_free(res->chain[i]);
    }
    memset(res, 0, sizeof *res);
}
