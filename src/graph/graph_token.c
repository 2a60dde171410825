/* Credentials. Client-secret tokens are fetched from the login service,
 * cached, and renewed five minutes before they expire (at half their
 * lifetime when they live under ten minutes); however many threads need a
 * token at once, one refreshes and the others wait for its outcome. Secrets
 * and tokens are wiped when freed and never written into a message. */
#include <stdio.h>
#include <string.h>

#include "graph_internal.h"

#define BEARER_PREFIX "Authorization: Bearer "
#define RENEW_MARGIN_S 300u
#define MAX_CLIENT_ID 256u
#define MAX_SECRET 4096u

void tiso__wipe_free(char *s)
{
    if (s == NULL)
        return;
    volatile char *p = s;
    while (*p)
        *p++ = 0;
    tiso__free(s);
}

static char *dup_str(const char *s)
{
    return tiso__strndup(s, strlen(s));
}

static bool given(const char *s)
{
    return s != NULL;
}

/* Frees (wiping the secrets) what `t` holds and zeroes it: both when its
 * setup fails half way and when it is destroyed. */
static void free_strings(tiso__token_source *t)
{
    tiso__free(t->tenant);
    tiso__free(t->client_id);
    tiso__wipe_free(t->secret);
    tiso__wipe_free(t->static_token);
    tiso__wipe_free(t->token);
    memset(t, 0, sizeof *t);
}

tiso_status tiso__token_init(tiso__token_source *t, const tiso_graph_options *o, tiso_error *err)
{
    memset(t, 0, sizeof *t);
    bool secret = given(o->tenant_id) || given(o->client_id) || given(o->client_secret);
    bool fixed = given(o->access_token);
    bool callback = o->token_fn != NULL;
    if ((int)secret + (int)fixed + (int)callback > 1)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                          "give one kind of credentials: client credentials, an access token, or a "
                          "token callback");
    if (secret) {
        if (!given(o->tenant_id) || !given(o->client_id) || !given(o->client_secret) || !o->tenant_id[0] ||
            !o->client_id[0] || !o->client_secret[0])
            return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                              "client credentials need a tenant ID, a client ID and a client secret");
        size_t cid = strlen(o->client_id);
        if (cid > MAX_CLIENT_ID || !tiso__token_chars_ok(o->client_id, cid))
            return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                              "the client ID must be at most %u printable ASCII characters without spaces",
                              MAX_CLIENT_ID);
        if (strlen(o->client_secret) > MAX_SECRET)
            return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "the client secret is longer than %u bytes",
                              MAX_SECRET);
        /* A tenant ID or a domain, by the one rule for names. */
        tiso_name name;
        tiso_error nerr;
        if (tiso_name_classify(&name, o->tenant_id, strlen(o->tenant_id), &nerr) != TISO_OK)
            return tiso__fail(err, TISO_E_INVALID_TENANT, NULL,
                              "the credentials' tenant is neither a tenant ID nor a domain: %s", nerr.message);
        char tenant[TISO_DOMAIN_MAX + 1];
        if (name.kind == TISO_NAME_TENANT_ID)
            tiso__tenant_id_format(&name.tenant_id, tenant);
        else
            memcpy(tenant, name.domain, sizeof tenant);
        t->kind = TISO__CRED_SECRET;
        t->tenant = dup_str(tenant);
        t->client_id = dup_str(o->client_id);
        t->secret = dup_str(o->client_secret);
        if (t->tenant == NULL || t->client_id == NULL || t->secret == NULL)
            goto nomem;
    } else if (fixed) {
        size_t n = strlen(o->access_token);
        if (n > TISO_GRAPH_TOKEN_MAX || !tiso__token_chars_ok(o->access_token, n))
            return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                              "the access token is empty, longer than %d bytes, or not printable ASCII",
                              TISO_GRAPH_TOKEN_MAX);
        t->kind = TISO__CRED_STATIC;
        t->static_token = dup_str(o->access_token);
        if (t->static_token == NULL)
            goto nomem;
    } else if (callback) {
        t->kind = TISO__CRED_CALLBACK;
        t->fn = o->token_fn;
        t->user = o->token_user;
    }
    if (pthread_mutex_init(&t->lock, NULL) != 0)
        goto nomem;
    if (pthread_cond_init(&t->cond, NULL) != 0) {
        pthread_mutex_destroy(&t->lock);
        goto nomem;
    }
    return TISO_OK;
nomem:
    free_strings(t);
    return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory copying credentials");
}

void tiso__token_destroy(tiso__token_source *t)
{
    pthread_cond_destroy(&t->cond);
    pthread_mutex_destroy(&t->lock);
    free_strings(t);
}

static tiso_status make_header(char **out, const char *token, tiso_error *err)
{
    size_t n = sizeof BEARER_PREFIX + strlen(token);
    char *h = tiso__malloc(n);
    if (h == NULL)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    snprintf(h, n, "%s%s", BEARER_PREFIX, token);
    *out = h;
    return TISO_OK;
}

/* Every occurrence of `secret` in `msg` becomes "***", in one pass over the
 * original (a replacement is never searched again), never past `cap`. */
static void replace_all(char *msg, size_t cap, const char *secret, size_t n)
{
    char out[TISO_ERROR_MESSAGE_MAX];
    size_t o = 0;
    for (const char *p = msg; *p != '\0' && o + 1 < sizeof out;) {
        if (strncmp(p, secret, n) == 0) {
            for (const char *r = "***"; *r != '\0' && o + 1 < sizeof out; r++)
                out[o++] = *r;
            p += n;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    snprintf(msg, cap, "%s", out);
}

/* A message cut short by truncation may end in the first bytes of the
 * secret: 4 or more of them become "***" too. */
static void cut_tail(char *msg, size_t cap, const char *secret, size_t n)
{
    size_t len = strlen(msg);
    for (size_t tail = len < n ? len : n - 1; tail >= 4; tail--)
        if (memcmp(msg + len - tail, secret, tail) == 0) {
            snprintf(msg + len - tail, cap - (len - tail), "***");
            return;
        }
}

static void redact_one(char *msg, size_t cap, const char *secret)
{
    size_t n = secret ? strlen(secret) : 0;
    if (n == 0)
        return;
    if (strstr(msg, secret) != NULL)
        replace_all(msg, cap, secret, n);
    cut_tail(msg, cap, secret, n);
}

/* Keeps the client secret, as sent and as URL-encoded, out of the message. */
static void redact(tiso_error *err, const char *secret, const char *encoded)
{
    if (err == NULL)
        return;
    redact_one(err->message, sizeof err->message, secret);
    if (encoded != NULL && secret != NULL && strcmp(encoded, secret) != 0)
        redact_one(err->message, sizeof err->message, encoded);
}

static tiso_status fetch_token(tiso_graph_client *c, tiso__token_source *t, const char *scope_text, char **token,
                               uint64_t *lifetime_s, tiso_error *err)
{
    char what[TISO_DOMAIN_MAX + 128];
    snprintf(what, sizeof what, "requesting a token for tenant '%s' from %s", t->tenant, c->login_host);
    char *cid = tiso__url_encode(t->client_id, strlen(t->client_id), "");
    char *sec = tiso__url_encode(t->secret, strlen(t->secret), "");
    char *scope = tiso__url_encode(scope_text, strlen(scope_text), "");
    size_t url_n = strlen(c->login_url) + strlen(t->tenant) + sizeof "//oauth2/v2.0/token";
    char *url = tiso__malloc(url_n);
    size_t body_n = (cid ? strlen(cid) : 0) + (sec ? strlen(sec) : 0) + (scope ? strlen(scope) : 0) + 96;
    char *body = tiso__malloc(body_n);
    tiso_status st = TISO_OK;
    if (cid == NULL || sec == NULL || scope == NULL || url == NULL || body == NULL) {
        st = tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", what);
        goto out;
    }
    snprintf(url, url_n, "%s/%s/oauth2/v2.0/token", c->login_url, t->tenant);
    snprintf(body, body_n, "grant_type=client_credentials&client_id=%s&client_secret=%s&scope=%s", cid, sec, scope);
    tiso__http_call call;
    memset(&call, 0, sizeof call);
    call.url = url;
    call.post_fields = body;
    call.loopback = c->login_loopback;
    call.what = what;
    st = tiso__http_run(c, &call, err);
    if (st == TISO_OK) {
        long code = call.resp.status;
        char desc[480];
        tiso__service_error se;
        if (code == 200) {
            st = tiso__parse_token_response(token, lifetime_s, call.resp.body, call.resp.len, err);
            if (st != TISO_OK && err != NULL) {
                char inner[TISO_ERROR_MESSAGE_MAX];
                snprintf(inner, sizeof inner, "%s", err->message);
                tiso__fail(err, st, NULL, "%s: %s", what, inner);
            }
        } else if (code == 400 || code == 401 || code == 403) {
            st = tiso__fail(err, TISO_E_UNAUTHORIZED, NULL, "%s: refused (%s)", what,
                            tiso__http_describe(&call, &se, desc, sizeof desc));
        } else {
            st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "%s: unexpected answer (%s)", what,
                            tiso__http_describe(&call, &se, desc, sizeof desc));
        }
    }
    tiso__http_call_cleanup(&call);
out:
    redact(err, t->secret, sec);
    tiso__free(cid);
    tiso__wipe_free(sec);
    tiso__free(scope);
    tiso__free(url);
    tiso__wipe_free(body);
    return st;
}

uint64_t tiso__token_renew_after_ns(uint64_t lifetime_s)
{
    uint64_t margin = lifetime_s / 2 < RENEW_MARGIN_S ? lifetime_s / 2 : RENEW_MARGIN_S;
    return (lifetime_s - margin) * 1000000000u;
}

static tiso_status secret_header(tiso_graph_client *c, tiso__token_source *t, const char *scope, char **out,
                                 tiso_error *err)
{
    pthread_mutex_lock(&t->lock);
    for (;;) {
        if (t->token != NULL && tiso__now_ns() < t->renew_at_ns) {
            tiso_status st = make_header(out, t->token, err);
            pthread_mutex_unlock(&t->lock);
            return st;
        }
        if (!t->refreshing)
            break;
        uint64_t gen = t->generation;
        while (t->refreshing)
            pthread_cond_wait(&t->cond, &t->lock);
        if (t->generation != gen && t->last_status != TISO_OK) {
            /* The refresh we waited for failed: share its outcome rather
             * than queueing one more doomed request per waiting thread. */
            tiso_status st = t->last_status;
            if (err != NULL)
                *err = t->last_error;
            pthread_mutex_unlock(&t->lock);
            return st;
        }
        if (t->generation != gen && t->token != NULL) {
            /* Fresh from the refresh we waited for: use it even if short-lived. */
            tiso_status st = make_header(out, t->token, err);
            pthread_mutex_unlock(&t->lock);
            return st;
        }
    }
    t->refreshing = true;
    pthread_mutex_unlock(&t->lock);

    uint64_t started = tiso__now_ns();
    char *token = NULL;
    uint64_t lifetime = 0;
    tiso_error local;
    tiso_error_clear(&local);
    tiso_status st = fetch_token(c, t, scope, &token, &lifetime, &local);
    if (st == TISO_OK)
        st = make_header(out, token, &local);

    pthread_mutex_lock(&t->lock);
    t->refreshing = false;
    t->generation++;
    t->last_status = st;
    if (token != NULL) {
        tiso__wipe_free(t->token);
        t->token = token;
        t->renew_at_ns = started + tiso__token_renew_after_ns(lifetime);
    }
    if (st != TISO_OK)
        t->last_error = local;
    pthread_cond_broadcast(&t->cond);
    pthread_mutex_unlock(&t->lock);
    if (st != TISO_OK && err != NULL)
        *err = local;
    return st;
}

static tiso_status callback_header(tiso__token_source *t, const char *scope, char **out, tiso_error *err)
{
    size_t size = TISO_GRAPH_TOKEN_MAX + 1;
    char *buf = tiso__calloc(1, size);
    if (buf == NULL)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    tiso_error cerr;
    tiso_error_clear(&cerr);
    tiso_status st = t->fn(t->user, scope, buf, size, &cerr);
    buf[size - 1] = '\0';
    if (st != TISO_OK) {
        tiso__fail(err, st, NULL, "the token callback failed: %s", cerr.message[0] ? cerr.message : tiso_strerror(st));
    } else if (!tiso__token_chars_ok(buf, strlen(buf))) {
        st = tiso__fail(err, TISO_E_UNAUTHORIZED, NULL,
                        "the token callback returned an empty, too long or non-printable token");
    } else {
        st = make_header(out, buf, err);
    }
    /* The buffer is wiped in full: the callback may have written past the NUL. */
    volatile char *p = buf;
    for (size_t i = 0; i < size; i++)
        p[i] = 0;
    tiso__free(buf);
    return st;
}

tiso_status tiso__token_header_for(tiso_graph_client *c, tiso__token_source *t, const char *scope,
                                   const char *service, char **out, tiso_error *err)
{
    *out = NULL;
    switch (t->kind) {
    case TISO__CRED_STATIC:
        return make_header(out, t->static_token, err);
    case TISO__CRED_CALLBACK:
        return callback_header(t, scope, out, err);
    case TISO__CRED_SECRET:
        return secret_header(c, t, scope, out, err);
    case TISO__CRED_NONE:
    default:
        return tiso__fail(err, TISO_E_UNAUTHORIZED, NULL, "%s needs credentials and none are configured", service);
    }
}

tiso_status tiso__token_header(tiso_graph_client *c, char **out, tiso_error *err)
{
    return tiso__token_header_for(c, &c->token, c->scope, "Microsoft Graph", out, err);
}

void tiso__token_invalidate(tiso_graph_client *c, const char *header)
{
    tiso__token_invalidate_for(&c->token, header);
}

void tiso__token_invalidate_for(tiso__token_source *t, const char *header)
{
    if (t->kind != TISO__CRED_SECRET || header == NULL)
        return;
    size_t k = sizeof BEARER_PREFIX - 1;
    pthread_mutex_lock(&t->lock);
    if (t->token != NULL && strlen(header) > k && strcmp(header + k, t->token) == 0) {
        tiso__wipe_free(t->token);
        t->token = NULL;
    }
    pthread_mutex_unlock(&t->lock);
}
