/* The OAuth 2.0 device authorization grant (RFC 8628) for a person at a
 * terminal (SPEC 12): ask the login service for a device code, show the
 * user code and where to enter it, then poll the token endpoint at the
 * interval it gave, through authorization_pending and slow_down (five more
 * seconds each time, RFC 8628 3.5, or what the service asks), until a token,
 * expired_token or access_denied (authorization_declined, as Entra ID
 * names it). The token lives in memory only. */
#include <stdio.h>
#include <string.h>

#include "json_input.h"
#include "live_client.h"

#define DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"
#define MAX_DEVICE_CODE 4096u

typedef struct device_code {
    char *code; /* wiped */
    char user_code[64];
    char uri[256];
    char message[400];
    uint64_t interval_s;
    uint64_t expires_s;
} device_code;

static uint64_t number_of(const cJSON *v, uint64_t def)
{
    return cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble < 86400 ? (uint64_t)v->valuedouble : def;
}

static tiso_status parse_device_code(device_code *out, const tiso__http_call *call, tiso_error *err)
{
    static const tiso__json_limits lim = {64u * 1024u, 16, MAX_DEVICE_CODE};
    cJSON *root = NULL;
    tiso_error jerr;
    tiso_error_clear(&jerr);
    if (tiso__json_parse(&root, call->resp.body ? call->resp.body : "", call->resp.len, &lim, &jerr) != TISO_OK)
        return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "%s: the answer is not JSON: %s", call->what,
                          jerr.message);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "device_code");
    const cJSON *user = cJSON_GetObjectItemCaseSensitive(root, "user_code");
    const cJSON *uri = cJSON_GetObjectItemCaseSensitive(root, "verification_uri");
    tiso_status st = TISO_OK;
    if (!cJSON_IsString(code) || !cJSON_IsString(user) || !cJSON_IsString(uri) ||
        !tiso__token_chars_ok(code->valuestring, strlen(code->valuestring))) {
        st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL,
                        "%s: the answer lacks a device_code, user_code or verification_uri", call->what);
    } else {
        tiso__sanitize_text(out->user_code, sizeof out->user_code, user->valuestring, strlen(user->valuestring));
        tiso__sanitize_text(out->uri, sizeof out->uri, uri->valuestring, strlen(uri->valuestring));
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(root, "message");
        if (cJSON_IsString(msg))
            tiso__sanitize_text(out->message, sizeof out->message, msg->valuestring, strlen(msg->valuestring));
        out->interval_s = number_of(cJSON_GetObjectItemCaseSensitive(root, "interval"), 5);
        out->expires_s = number_of(cJSON_GetObjectItemCaseSensitive(root, "expires_in"), 900);
        out->code = tiso__strndup(code->valuestring, strlen(code->valuestring));
        if (out->code == NULL)
            st = tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", call->what);
    }
    cJSON_Delete(root);
    return st;
}

/* A form POST to the login service. */
static tiso_status login_post(tiso_live_client *c, const char *path, const char *form, const char *what,
                              tiso__http_call *call, char *url, size_t url_size, tiso_error *err)
{
    snprintf(url, url_size, "%s/%s", c->http->login_url, path);
    memset(call, 0, sizeof *call);
    call->url = url;
    call->post_fields = form;
    call->loopback = c->http->login_loopback;
    call->what = what;
    return tiso__http_run(c->http, call, err);
}

static tiso_status request_code(tiso_live_client *c, const tiso__live_service *s, device_code *out,
                                tiso_error *err)
{
    char what[300], url[600], form[1024], path[300];
    snprintf(what, sizeof what, "%s: asking for a device code for %s", c->http->login_host, s->scope);
    char *cid = tiso__url_encode(c->device_client_id, strlen(c->device_client_id), "");
    char *scope = tiso__url_encode(s->scope, strlen(s->scope), "");
    if (cid == NULL || scope == NULL) {
        tiso__free(cid);
        tiso__free(scope);
        return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", what);
    }
    snprintf(form, sizeof form, "client_id=%s&scope=%s", cid, scope);
    snprintf(path, sizeof path, "%s/oauth2/v2.0/devicecode", c->device_tenant);
    tiso__free(cid);
    tiso__free(scope);
    tiso__http_call call;
    tiso_status st = login_post(c, path, form, what, &call, url, sizeof url, err);
    if (st == TISO_OK) {
        char desc[480];
        if (call.resp.status == 200)
            st = parse_device_code(out, &call, err);
        else
            st = tiso__fail(err, TISO_E_UNAUTHORIZED, NULL, "%s: refused (%s)", what,
                            tiso__live_describe(&call, desc, sizeof desc));
    }
    tiso__http_call_cleanup(&call);
    return st;
}

/* Polls until a token (`*token`, wiped by the caller) or a final error. */
static tiso_status poll_token(tiso_live_client *c, device_code *dc, char **token, tiso_error *err)
{
    char what[300], url[600], path[300];
    snprintf(what, sizeof what, "%s: waiting for the device-code sign-in", c->http->login_host);
    snprintf(path, sizeof path, "%s/oauth2/v2.0/token", c->device_tenant);
    char *cid = tiso__url_encode(c->device_client_id, strlen(c->device_client_id), "");
    char *code = tiso__url_encode(dc->code, strlen(dc->code), "");
    size_t n = (cid ? strlen(cid) : 0) + (code ? strlen(code) : 0) + sizeof DEVICE_GRANT + 64;
    char *form = tiso__malloc(n);
    tiso_status st = TISO_OK;
    if (cid == NULL || code == NULL || form == NULL) {
        st = tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", what);
        goto out;
    }
    snprintf(form, n, "grant_type=%s&client_id=%s&device_code=%s", DEVICE_GRANT, cid, code);
    uint64_t deadline = tiso__now_ns() + dc->expires_s * 1000000000u;
    uint64_t interval = dc->interval_s;
    for (;;) {
        if (tiso__now_ns() + interval * 1000000000u > deadline) {
            st = tiso__fail(err, TISO_E_UNAUTHORIZED, NULL, "%s: the code expired before the sign-in", what);
            break;
        }
        tiso__sleep_ms(interval * 1000u); /* never before the interval: RFC 8628 3.5 */
        tiso__http_call call;
        st = login_post(c, path, form, what, &call, url, sizeof url, err);
        if (st == TISO_OK && call.resp.status == 200) {
            uint64_t lifetime = 0;
            st = tiso__parse_token_response(token, &lifetime, call.resp.body, call.resp.len, err);
            tiso__http_call_cleanup(&call);
            break;
        }
        tiso__service_error se;
        if (st == TISO_OK)
            tiso__parse_service_error(&se, call.resp.body, call.resp.len);
        bool pending = st == TISO_OK && strcmp(se.code, "authorization_pending") == 0;
        bool slow = st == TISO_OK && strcmp(se.code, "slow_down") == 0;
        if (slow)
            interval += 5;
        if (st == TISO_OK && !pending && !slow) {
            char desc[480];
            /* RFC 8628 says access_denied; Entra ID answers authorization_declined. */
            bool declined = strcmp(se.code, "access_denied") == 0 || strcmp(se.code, "authorization_declined") == 0;
            const char *why = strcmp(se.code, "expired_token") == 0 ? "the code expired before the sign-in"
                              : declined                            ? "the sign-in was declined"
                                                                    : "refused";
            st = tiso__fail(err, TISO_E_UNAUTHORIZED, NULL, "%s: %s (%s)", what, why,
                            tiso__live_describe(&call, desc, sizeof desc));
        }
        tiso__http_call_cleanup(&call);
        if (st != TISO_OK)
            break;
    }
out:
    tiso__free(cid);
    tiso__wipe_free(code);
    tiso__wipe_free(form);
    return st;
}

tiso_status tiso__live_device_sign_in(tiso_live_client *c, tiso__live_service *s, tiso_error *err)
{
    device_code dc;
    memset(&dc, 0, sizeof dc);
    tiso_status st = request_code(c, s, &dc, err);
    if (st == TISO_OK) {
        if (c->device_prompt != NULL)
            c->device_prompt(c->device_prompt_user, dc.uri, dc.user_code, dc.message);
        char *token = NULL;
        st = poll_token(c, &dc, &token, err);
        if (st == TISO_OK) {
            /* From now on the service's token is this one, in memory only. */
            s->token.kind = TISO__CRED_STATIC;
            s->token.static_token = token;
        }
    }
    tiso__wipe_free(dc.code);
    return st;
}
