/* The live client: a Graph client for the HTTP machinery (login service,
 * TLS, timeouts, retries, the handle pool), and one token source per
 * audience, so that each service gets a token of its own scope, fetched once
 * and reused. The bearer token is only ever sent to its service's host. */
#include <stdio.h>
#include <string.h>

#include "live_client.h"

static void service_destroy(tiso__live_service *s)
{
    if (s->token_ok)
        tiso__token_destroy(&s->token);
    tiso__free(s->url);
    tiso__free(s->host);
    memset(s, 0, sizeof *s);
}

/* The service's URL checked and copied, and its token source: the caller
 * token given for it, else the client credentials or callback of `http`.
 * Graph's own access token is never used for it. */
static tiso_status service_init(tiso__live_service *s, const char *name, const char *url, const char *scope,
                                const tiso_graph_options *http, const char *caller_token, tiso_error *err)
{
    s->name = name;
    s->scope = scope;
    tiso_status st = tiso__check_base_url(url, name, &s->url, &s->host, &s->loopback, err);
    if (st != TISO_OK)
        return st;
    tiso_graph_options o = *http;
    o.access_token = caller_token;
    if (caller_token != NULL) {
        o.tenant_id = o.client_id = o.client_secret = NULL;
        o.token_fn = NULL;
    }
    st = tiso__token_init(&s->token, &o, err);
    s->token_ok = st == TISO_OK;
    return st;
}

void tiso_live_client_free(tiso_live_client *client)
{
    if (client == NULL)
        return;
    service_destroy(&client->bap);
    service_destroy(&client->pp);
    tiso_graph_client_free(client->http);
    tiso__free(client->device_client_id);
    tiso__free(client->device_tenant);
    tiso__free(client);
}

tiso_status tiso_live_client_new(tiso_live_client **out, const tiso_live_options *opts, tiso_error *err)
{
    tiso_live_options defaults;
    if (out == NULL)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "out is NULL");
    if (opts == NULL) {
        tiso_live_options_init(&defaults);
        opts = &defaults;
    }
    if (opts->version != TISO_LIVE_OPTIONS_VERSION)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                          "unknown live options version %u (this library knows %d); "
                          "initialize options with tiso_live_options_init",
                          opts->version, TISO_LIVE_OPTIONS_VERSION);
    tiso_cloud cloud = opts->http.cloud;
    if (tiso_cloud_bap_url(cloud) == NULL)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "unknown cloud %d", (int)cloud);
    tiso_live_client *c = tiso__calloc(1, sizeof *c);
    if (c == NULL)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory creating a live-service client");
    c->operation_timeout_ms = opts->operation_timeout_ms ? opts->operation_timeout_ms
                                                         : TISO_LIVE_DEFAULT_OPERATION_TIMEOUT_MS;
    c->poll_floor_ms = opts->poll_floor_ms ? opts->poll_floor_ms : TISO_LIVE_POLL_FLOOR_MS;
    c->device_prompt = opts->device_prompt;
    c->device_prompt_user = opts->device_prompt_user;
    tiso_status st = TISO_OK;
    if (opts->device_client_id != NULL) {
        const char *tenant = opts->device_tenant ? opts->device_tenant : "organizations";
        size_t cl = strlen(opts->device_client_id), tl = strlen(tenant);
        c->device_client_id = tiso__strndup(opts->device_client_id, cl);
        c->device_tenant = tiso__strndup(tenant, tl);
        if (c->device_client_id == NULL || c->device_tenant == NULL)
            st = tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
        else if (cl == 0 || cl > 256 || !tiso__token_chars_ok(opts->device_client_id, cl) || tl == 0 || tl > 253 ||
                 !tiso__token_chars_ok(tenant, tl) || strchr(tenant, '/') != NULL || strchr(tenant, '?') != NULL)
            st = tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                            "the device-code client ID or tenant is empty, too long or not printable ASCII");
    }
    if (st == TISO_OK)
        st = tiso_graph_client_new(&c->http, &opts->http, err);
    if (st == TISO_OK)
        st = service_init(&c->bap, "BAP", opts->bap_url ? opts->bap_url : tiso_cloud_bap_url(cloud),
                          tiso_cloud_bap_scope(cloud), &opts->http, opts->bap_token, err);
    if (st == TISO_OK)
        st = service_init(&c->pp, "Power Platform API",
                          opts->powerplatform_url ? opts->powerplatform_url : tiso_cloud_powerplatform_url(cloud),
                          tiso_cloud_powerplatform_scope(cloud), &opts->http, opts->powerplatform_token, err);
    if (st != TISO_OK) {
        tiso_live_client_free(c);
        return st;
    }
    *out = c;
    return TISO_OK;
}

const char *tiso__live_describe(const tiso__http_call *call, char *buf, size_t size)
{
    tiso__service_error se;
    return tiso__http_describe(call, &se, buf, size);
}

static tiso_status send_once(tiso_live_client *c, tiso__live_service *s, tiso__http_call *call, char **auth,
                             tiso_error *err)
{
    char service[96];
    snprintf(service, sizeof service, "the %s (%s)", s->name, s->host);
    tiso_status st = tiso__token_header_for(c->http, &s->token, s->scope, service, auth, err);
    if (st != TISO_OK) {
        char inner[TISO_ERROR_MESSAGE_MAX];
        snprintf(inner, sizeof inner, "%s", err ? err->message : "");
        return tiso__fail(err, st, NULL, "%s: no token for %s: %s", call->what, s->scope, inner);
    }
    call->auth_header = *auth;
    call->loopback = s->loopback;
    return tiso__http_run(c->http, call, err);
}

tiso_status tiso__live_begin(void *out, size_t size, bool given, const char *message, tiso_error *err)
{
    if (out != NULL)
        memset(out, 0, size);
    return given ? TISO_OK : tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "%s", message);
}

tiso_status tiso__live_send(tiso_live_client *c, tiso__live_service *s, tiso__http_call *call, tiso_error *err)
{
    if (!tiso__live_same_origin(call->url, s->url))
        return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL,
                          "%s: refused to send the token to a URL outside %s (%s): not followed", call->what,
                          s->host, s->name);
    if (s->token.kind == TISO__CRED_NONE && c->device_client_id != NULL) {
        tiso_status st = tiso__live_device_sign_in(c, s, err);
        if (st != TISO_OK)
            return st;
    }
    char *auth = NULL;
    tiso_status st = send_once(c, s, call, &auth, err);
    if (st == TISO_OK && call->resp.status == 401 && s->token.kind == TISO__CRED_SECRET) {
        /* The token may have been revoked: one new token, one more try. */
        tiso__token_invalidate_for(&s->token, auth);
        tiso__wipe_free(auth);
        auth = NULL;
        tiso__http_call_cleanup(call);
        st = send_once(c, s, call, &auth, err);
    }
    call->auth_header = NULL;
    tiso__wipe_free(auth);
    return st;
}
