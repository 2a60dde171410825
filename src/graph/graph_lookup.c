/* Look-ups: what to ask for a domain or a tenant (Graph with credentials in
 * the global cloud, OpenID discovery otherwise), and what the answer means
 * (found, not found, refused, unusable). The single look-ups of the public
 * API run here on the calling thread; graph_batch.c drives the same
 * look-ups concurrently. */
#include <stdio.h>
#include <string.h>

#include "graph_internal.h"

void tiso__lookup_cleanup(tiso__lookup *lk)
{
    tiso__http_call_cleanup(&lk->call);
    tiso__free(lk->url);
    tiso__wipe_free(lk->auth);
    lk->url = NULL;
    lk->auth = NULL;
}

static char *concat3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = tiso__malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

tiso_status tiso__lookup_prepare(tiso_graph_client *c, tiso__lookup *lk, tiso_error *err)
{
    tiso__lookup_cleanup(lk);
    memset(&lk->call, 0, sizeof lk->call);
    char id[TISO_TENANT_ID_LEN + 1];
    bool graph_only = lk->kind == TISO__LOOKUP_TENANT_INFO;
    lk->via_graph = graph_only || c->use_graph_for_domains;
    const char *host = lk->via_graph ? c->graph_host : c->login_host;
    if (graph_only) {
        tiso__tenant_id_format(&lk->tenant, id);
        snprintf(lk->what, sizeof lk->what, "looking up tenant %s through Microsoft Graph at %s", id, host);
        if (c->token.kind == TISO__CRED_NONE)
            return tiso__fail(err, TISO_E_UNAUTHORIZED, NULL,
                              "%s: this needs credentials (client credentials, an access token or a "
                              "token callback) and none are configured",
                              lk->what);
        if (c->cloud != TISO_CLOUD_GLOBAL)
            return tiso__fail(err, TISO_E_UNSUPPORTED, NULL,
                              "%s: Microsoft Graph serves tenant look-ups in the global cloud only, not in %s",
                              lk->what, tiso_cloud_name(c->cloud));
        lk->url = concat3(c->graph_url, "/v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='", id);
        if (lk->url != NULL) {
            char *u = concat3(lk->url, "')", "");
            tiso__free(lk->url);
            lk->url = u;
        }
    } else {
        snprintf(lk->what, sizeof lk->what, "resolving '%s' through %s at %s", lk->domain,
                 lk->via_graph ? "Microsoft Graph" : "OpenID discovery", host);
        /* The name is a validated domain (a-z 0-9 . -); encoded anyway. */
        char *enc = tiso__url_encode(lk->domain, strlen(lk->domain), "");
        if (enc == NULL)
            return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", lk->what);
        if (lk->via_graph) {
            char *u =
                concat3(c->graph_url, "/v1.0/tenantRelationships/findTenantInformationByDomainName(domainName='", enc);
            lk->url = u ? concat3(u, "')", "") : NULL;
            tiso__free(u);
        } else {
            char *u = concat3(c->login_url, "/", enc);
            lk->url = u ? concat3(u, "/v2.0/.well-known/openid-configuration", "") : NULL;
            tiso__free(u);
        }
        tiso__free(enc);
    }
    if (lk->url == NULL)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", lk->what);
    if (lk->via_graph) {
        tiso_error terr;
        tiso_error_clear(&terr);
        tiso_status st = tiso__token_header(c, &lk->auth, &terr);
        if (st != TISO_OK) {
            /* A token request says what it asked for; a caller's callback does not. */
            if (c->token.kind == TISO__CRED_SECRET) {
                if (err != NULL)
                    *err = terr;
                return st;
            }
            return tiso__fail(err, st, NULL, "%s: %s", lk->what, terr.message);
        }
    }
    lk->call.url = lk->url;
    lk->call.auth_header = lk->auth;
    lk->call.loopback = lk->via_graph ? c->graph_loopback : c->login_loopback;
    lk->call.what = lk->what;
    return TISO_OK;
}

static bool is_domain_kind(const tiso__lookup *lk)
{
    return lk->kind == TISO__LOOKUP_DOMAIN || lk->kind == TISO__LOOKUP_DOMAIN_INFO;
}

static void remember(tiso_graph_client *c, const tiso__lookup *lk, const tiso_tenant_id *tenant)
{
    if (is_domain_kind(lk))
        tiso__cache_put(&c->cache, lk->domain, strlen(lk->domain), tenant);
}

tiso_status tiso__lookup_complete(tiso_graph_client *c, tiso__lookup *lk, tiso__lookup_next *next, tiso_error *err)
{
    const tiso__http_response *r = &lk->call.resp;
    long code = r->status;
    char desc[480];
    tiso__service_error se;
    *next = TISO__LOOKUP_FINISHED;
    if (code >= 200 && code <= 299) {
        tiso_error inner;
        tiso_error_clear(&inner);
        tiso_status st;
        if (lk->via_graph) {
            st = tiso__parse_tenant_info(&lk->info, r->body, r->len, &inner);
        } else {
            memset(&lk->info, 0, sizeof lk->info);
            st = tiso__parse_openid_config(&lk->info.tenant_id, r->body, r->len, &inner);
        }
        if (st != TISO_OK)
            return tiso__fail(err, st, NULL, "%s: %s", lk->what, inner.message);
        if (lk->kind == TISO__LOOKUP_TENANT_INFO && !tiso__id_eq(&lk->info.tenant_id, &lk->tenant)) {
            memset(&lk->info, 0, sizeof lk->info);
            return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "%s: the answer is about another tenant", lk->what);
        }
        remember(c, lk, &lk->info.tenant_id);
        return TISO_OK;
    }
    if (code == 401 && lk->via_graph && c->token.kind == TISO__CRED_SECRET && !lk->reauthed) {
        /* The token may have been revoked or expired early: one new one. */
        tiso__token_invalidate(c, lk->auth);
        lk->reauthed = true;
        *next = TISO__LOOKUP_RESTART;
        return TISO_OK;
    }
    tiso__http_describe(&lk->call, &se, desc, sizeof desc);
    if (code >= 300 && code <= 399) {
        return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "%s: redirected (%s) to '%s'; redirects are not followed",
                          lk->what, desc, r->location[0] ? r->location : "(no Location)");
    }
    if (code == 401 || code == 403)
        return tiso__fail(err, TISO_E_UNAUTHORIZED, NULL, "%s: refused (%s)", lk->what, desc);
    bool unknown = code == 404 || (!lk->via_graph && code == 400 && tiso__service_error_is_unknown_tenant(&se));
    if (unknown) {
        remember(c, lk, NULL);
        if (lk->kind == TISO__LOOKUP_TENANT_INFO)
            return tiso__fail(err, TISO_E_NOT_FOUND, NULL, "%s: no such tenant (%s)", lk->what, desc);
        return tiso__fail(err, TISO_E_NOT_FOUND, NULL, "%s: no tenant has this domain (%s)", lk->what, desc);
    }
    return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "%s: unexpected answer (%s)", lk->what, desc);
}

tiso_status tiso__lookup_run(tiso_graph_client *c, tiso__lookup *lk, tiso_error *err)
{
    tiso_status st = tiso__lookup_prepare(c, lk, err);
    while (st == TISO_OK) {
        st = tiso__http_run(c, &lk->call, err);
        if (st != TISO_OK)
            break;
        tiso__lookup_next next;
        st = tiso__lookup_complete(c, lk, &next, err);
        if (next != TISO__LOOKUP_RESTART)
            break;
        st = tiso__lookup_prepare(c, lk, err);
    }
    tiso__lookup_cleanup(lk);
    return st;
}

static tiso_status cached_not_found(tiso_graph_client *c, const char *domain, tiso_error *err)
{
    return tiso__fail(err, TISO_E_NOT_FOUND, NULL, "resolving '%s': no tenant has this domain (cached answer of %s)",
                      domain, c->use_graph_for_domains ? "Microsoft Graph" : "the login service");
}

tiso_status tiso__resolve_normalized(tiso_graph_client *c, const char *domain, tiso_tenant_id *out, tiso_error *err)
{
    size_t len = strlen(domain);
    switch (tiso__cache_get(&c->cache, domain, len, out)) {
    case TISO__CACHE_FOUND:
        return TISO_OK;
    case TISO__CACHE_NOT_FOUND:
        return cached_not_found(c, domain, err);
    case TISO__CACHE_MISS:
    default:
        break;
    }
    tiso__lookup lk;
    memset(&lk, 0, sizeof lk);
    lk.kind = TISO__LOOKUP_DOMAIN;
    memcpy(lk.domain, domain, len + 1);
    tiso_status st = tiso__lookup_run(c, &lk, err);
    if (st == TISO_OK)
        *out = lk.info.tenant_id;
    return st;
}

/* Validates and normalizes a caller's domain; "*" is refused by name. */
static tiso_status normalize(char *out, const char *domain, tiso_error *err)
{
    if (strcmp(domain, "*") == 0)
        return tiso__fail(err, TISO_E_INVALID_DOMAIN, NULL, "'*' is the allowlist's wildcard; it is never resolved");
    return tiso_domain_normalize(out, domain, strlen(domain), err);
}

/* Clears `out` (of `size` bytes), checks what every domain look-up takes and
 * normalizes the domain into `norm`. */
static tiso_status domain_args(void *out, size_t size, const tiso_graph_client *client, const char *domain, char *norm,
                               tiso_error *err)
{
    if (out != NULL)
        memset(out, 0, size);
    if (out == NULL || client == NULL || domain == NULL)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "out, client and domain must not be NULL");
    return normalize(norm, domain, err);
}

tiso_status tiso_graph_resolve_domain(tiso_tenant_id *out, tiso_graph_client *client, const char *domain,
                                      tiso_error *err)
{
    char norm[TISO_DOMAIN_MAX + 1];
    tiso_status st = domain_args(out, sizeof *out, client, domain, norm, err);
    if (st != TISO_OK)
        return st;
    st = tiso__resolve_normalized(client, norm, out, err);
    if (st != TISO_OK)
        memset(out, 0, sizeof *out);
    return st;
}

tiso_status tiso_graph_tenant_info_by_domain(tiso_graph_tenant_info *out, tiso_graph_client *client, const char *domain,
                                             tiso_error *err)
{
    tiso__lookup lk;
    memset(&lk, 0, sizeof lk);
    lk.kind = TISO__LOOKUP_DOMAIN_INFO;
    tiso_status st = domain_args(out, sizeof *out, client, domain, lk.domain, err);
    if (st != TISO_OK)
        return st;
    st = tiso__lookup_run(client, &lk, err);
    if (st == TISO_OK)
        *out = lk.info;
    return st;
}

tiso_status tiso_graph_tenant_info_by_id(tiso_graph_tenant_info *out, tiso_graph_client *client,
                                         const tiso_tenant_id *tenant, tiso_error *err)
{
    if (out == NULL || client == NULL || tenant == NULL) {
        if (out != NULL)
            memset(out, 0, sizeof *out);
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "out, client and tenant must not be NULL");
    }
    tiso__lookup lk;
    memset(&lk, 0, sizeof lk);
    lk.kind = TISO__LOOKUP_TENANT_INFO;
    lk.tenant = *tenant; /* before clearing `out`: `tenant` may point into it */
    memset(out, 0, sizeof *out);
    if (tiso__id_nil(&lk.tenant))
        return tiso__fail(err, TISO_E_INVALID_TENANT, NULL, "the nil GUID is not a tenant");
    tiso_status st = tiso__lookup_run(client, &lk, err);
    if (st == TISO_OK)
        *out = lk.info;
    return st;
}
