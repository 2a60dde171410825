/* Resolution for the CLI (see cli_resolution.h). */
#include "cli_resolution.h"

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Why no resolver of the chain knew a domain: none is configured, or each
 * said "not found". The library names the domain around this message; say
 * only why. */
static tiso_status chain_failure(const cli_resolution *res, tiso_error *err)
{
    if (res->count == 0) {
        return tiso__fail(err, TISO_E_RESOLVE, NULL, "no resolver: pass --domains MAP.json%s",
                          tiso_features() & TISO_FEATURE_GRAPH ? " or a Graph option such as --cloud global"
                                                               : " (this build has no Graph client)");
    }
    tiso_error_clear(err);
    err->status = TISO_E_NOT_FOUND;
    size_t used = 0;
    for (size_t i = 0; i < res->count; i++) {
        cli_append(err->message, sizeof err->message, &used, i == 0 ? "not in %s" : " nor in %s", res->origin[i]);
    }
    return TISO_E_NOT_FOUND;
}

/* The callback the library calls for each domain: ask each resolver in turn
 * until one knows the name or fails for a reason other than "not found". */
static tiso_status resolve_chain(void *user, const char *domain, tiso_tenant_id *out, tiso_error *err)
{
    const cli_resolution *res = user;
    for (size_t i = 0; i < res->count; i++) {
        tiso_status s = tiso_resolver_resolve(out, res->chain[i], domain, err);
        if (s != TISO_E_NOT_FOUND) {
            return s;
        }
    }
    return chain_failure(res, err);
}

/* Whether a Graph option on the command line asks for the network. */
static int graph_option_given(const cli_resolution_opts *opts)
{
    return opts->cloud || opts->graph_url || opts->login_url || opts->ca_file || opts->timeout > 0;
}

const char *cli_env(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

/* Graph resolves what a --domains map cannot only when a Graph option on
 * the command line asks for it; credentials in the environment alone do not
 * (SPEC 7: a --domains map means no network). Without a map, Graph is the
 * default (so `resolve contoso.com` and a policy's domain entries just
 * work), except for `test`, which never goes to the network unless a Graph
 * option or credential asks: expected-decision cases must give the same
 * answer in any CI. */
static int wants_graph(const cli_ctx *ctx, const cli_resolution_opts *opts)
{
    if (!(tiso_features() & TISO_FEATURE_GRAPH))
        return 0;
    if (opts->domains != NULL || graph_option_given(opts))
        return graph_option_given(opts);
    return cli_env("TENANTISO_ACCESS_TOKEN") || cli_env("TENANTISO_TENANT_ID") || cli_env("TENANTISO_CLIENT_ID") ||
           cli_env("TENANTISO_CLIENT_SECRET") || !(ctx->command && strcmp(ctx->command, "test") == 0);
}

void cli_credentials(tiso_graph_options *go)
{
    const char *tok = cli_env("TENANTISO_ACCESS_TOKEN");
    if (tok != NULL) {
        go->access_token = tok;
        return;
    }
    go->tenant_id = cli_env("TENANTISO_TENANT_ID");
    go->client_id = cli_env("TENANTISO_CLIENT_ID");
    go->client_secret = cli_env("TENANTISO_CLIENT_SECRET");
}

uint32_t cli_ms_of(double seconds)
{
    uint32_t ms = (uint32_t)(seconds * 1000.0 + 0.5);
    return ms ? ms : 1;
}

void cli_http_options(tiso_graph_options *go, const cli_resolution_opts *opts)
{
    if (opts->cloud)
        (void)tiso_cloud_parse(&go->cloud, opts->cloud, strlen(opts->cloud)); /* checked by cli_args */
    go->login_url = opts->login_url;
    go->ca_file = opts->ca_file;
    if (opts->timeout > 0) {
        go->timeout_ms = cli_ms_of(opts->timeout);
        if (go->timeout_ms < go->connect_timeout_ms)
            go->connect_timeout_ms = go->timeout_ms;
    }
}

static int add_graph(cli_resolution *out, const cli_ctx *ctx, const cli_resolution_opts *opts)
{
    tiso_graph_options go;
    tiso_graph_options_init(&go);
    cli_http_options(&go, opts);
    go.graph_url = opts->graph_url;
    if (!opts->public_client)
        cli_credentials(&go); /* a person's device-code sign-in is not Graph's: discovery */
    tiso_error err;
    tiso_error_clear(&err);
    tiso_resolver *graph = NULL;
    if (tiso_resolver_new_graph_options(&graph, &go, &err) != TISO_OK)
        return cli_fail_error(ctx, "Graph client", &err);
    out->chain[out->count] = graph;
    out->origin[out->count] = tiso_graph_client_uses_graph(tiso_resolver_graph_client(graph))
                                  ? "Microsoft Graph"
                                  : "the login service's OpenID discovery";
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

/* The library classifies the name (tiso_name_classify). */
tiso_status cli_resolve_name(const cli_resolution *res, const char *name, tiso_tenant_id *out, tiso_error *err)
{
    tiso_error_clear(err);
    return tiso_resolver_resolve(out, res->resolver, name, err);
}

/* The Graph client when it is the chain's only resolver: then every domain
 * goes to it, and many can go at once. */
static tiso_graph_client *sole_graph_client(const cli_resolution *res)
{
    return res->count == 1 ? tiso_resolver_graph_client(res->chain[0]) : NULL;
}

tiso_graph_client *cli_resolution_tenant_info_client(const cli_resolution *res)
{
    for (size_t i = 0; i < res->count; i++) {
        tiso_graph_client *c = tiso_resolver_graph_client(res->chain[i]);
        if (c != NULL)
            return tiso_graph_client_uses_graph(c) ? c : NULL;
    }
    return NULL;
}

#define CLI_PROGRESS_NAMES 256u /* more than this on a terminal: show progress */

/* One chunk, names[at..at+n): the names before the first one that is
 * invalid on its face resolved in one batch (the library classifies each
 * as tiso_name_classify does: tenant IDs need no look-up). Returns TISO_OK,
 * or the first failure in argument order with its index in `*failed`. */
static tiso_status resolve_chunk(const cli_resolution *res, tiso_graph_client *graph, tiso_graph_result *results,
                                 const char *const *names, size_t at, size_t n, tiso_tenant_id *out, size_t *failed,
                                 tiso_error *err)
{
    size_t valid = 0;
    tiso_status first = TISO_OK;
    for (; valid < n; valid++) {
        tiso_name name;
        tiso_error_clear(err);
        first = tiso_name_classify(&name, names[at + valid], strlen(names[at + valid]), err);
        if (first != TISO_OK) {
            *failed = at + valid; /* names after it need no look-up: it is reported anyway */
            break;
        }
    }
    /* Every result has its own status, whatever the batch returns. */
    if (valid > 0)
        (void)tiso_graph_resolve_batch(results, graph, names + at, valid, NULL);
    for (size_t k = 0; k < valid; k++) {
        const tiso_graph_result *r = &results[k];
        if (r->status == TISO_OK) {
            out[at + k] = r->tenant_id;
            continue;
        }
        /* Earlier than the invalid name, if any. */
        *failed = at + k;
        if (r->status == TISO_E_NOT_FOUND)
            return chain_failure(res, err); /* as when the chain asks Graph */
        *err = r->error;
        if (err->message[0] == '\0')
            snprintf(err->message, sizeof err->message, "%s", tiso_strerror(r->status));
        err->status = r->status;
        return r->status;
    }
    return first;
}

tiso_status cli_resolve_names(const cli_resolution *res, const char *const *names, size_t count, tiso_tenant_id *out,
                              size_t *failed, tiso_error *err)
{
    *failed = count;
    tiso_error_clear(err);
    tiso_graph_client *graph = sole_graph_client(res);
    if (graph == NULL || count == 0) {
        for (size_t i = 0; i < count; i++) {
            tiso_status s = cli_resolve_name(res, names[i], &out[i], err);
            if (s != TISO_OK) {
                *failed = i;
                return s;
            }
        }
        return TISO_OK;
    }
    /* Bounded memory for the per-name results, as the library's own chunks. */
    size_t chunk = count < TISO_GRAPH_BATCH_CHUNK ? count : TISO_GRAPH_BATCH_CHUNK;
    tiso_graph_result *results = malloc(chunk * sizeof *results);
    tiso_status s = TISO_OK;
    if (results == NULL) {
        *failed = 0;
        s = tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory for %zu names", count);
    }
    /* On a terminal, many names are resolved in smaller chunks so progress
     * can be shown between them. */
    int progress = count > CLI_PROGRESS_NAMES && isatty(STDERR_FILENO);
    if (progress && chunk > CLI_PROGRESS_NAMES)
        chunk = CLI_PROGRESS_NAMES;
    for (size_t at = 0; s == TISO_OK && at < count; at += chunk) {
        size_t n = count - at < chunk ? count - at : chunk;
        s = resolve_chunk(res, graph, results, names, at, n, out, failed, err);
        if (progress)
            fprintf(stderr, "\rtenantiso: resolve: %zu of %zu names%s", at + n, count, at + n < count ? "" : "\n");
    }
    free(results);
    return s;
}

void cli_resolution_close(cli_resolution *res)
{
    tiso_resolver_free(res->resolver);
    for (size_t i = 0; i < res->count; i++) {
        tiso_resolver_free(res->chain[i]);
    }
    memset(res, 0, sizeof *res);
}
