/* The tenant isolation policy on the BAP: GET, and a push that refuses
 * before sending anything when it should, waits for the service's long
 * operation, and reads the policy back (SPEC 12). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "live_client.h"
#include "sha256.h"

static void sha256_hex(const char *data, size_t len, char hex[65])
{
    tiso__sha256 h;
    uint8_t d[32];
    tiso__sha256_init(&h);
    tiso__sha256_update(&h, data, len);
    tiso__sha256_final(&h, d);
    for (size_t i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static void what_of(char *buf, size_t size, const tiso_live_client *c, const char *op, const tiso_tenant_id *tenant)
{
    char id[TISO_TENANT_ID_LEN + 1];
    tiso__tenant_id_format(tenant, id);
    snprintf(buf, size, "BAP (%s): %s the tenant isolation policy of tenant %s", c->bap.host, op, id);
}

/* A final answer that is not the one hoped for. */
static tiso_status answer_failure(const tiso__http_call *call, tiso_error *err)
{
    char desc[480];
    tiso__live_describe(call, desc, sizeof desc);
    long code = call->resp.status;
    if (code == 401 || code == 403)
        return tiso__fail(err, TISO_E_UNAUTHORIZED, NULL, "%s: refused (%s)", call->what, desc);
    return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "%s: %s (%s)", call->what,
                      code >= 400 && code < 500 ? "refused" : "unexpected answer", desc);
}

/* The body of a 200 as a policy of `tenant`, moved into `out`. */
static tiso_status take_policy(tiso_live_policy *out, tiso__http_call *call, const tiso_tenant_id *tenant,
                               tiso_error *err)
{
    tiso_load_options lo;
    tiso_load_options_init(&lo);
    lo.source = "the live policy (BAP)";
    lo.max_entries = 100000;
    tiso_error lerr;
    tiso_error_clear(&lerr);
    tiso_policy *p = NULL;
    const char *body = call->resp.body ? call->resp.body : "";
    if (tiso_policy_load_json(&p, body, call->resp.len, &lo, &lerr) != TISO_OK)
        return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "%s: the answer is not a policy: %s%s%s", call->what,
                          lerr.path, lerr.path[0] ? ": " : "", lerr.message);
    tiso_tenant_id home;
    if (!tiso_policy_home_tenant(&home, p) || !tiso__id_eq(&home, tenant)) {
        tiso_policy_free(p);
        return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "%s: the answer is the policy of another tenant",
                          call->what);
    }
    out->found = 1;
    out->policy = p;
    out->len = call->resp.len;
    out->body = call->resp.body;
    if (out->body == NULL) {
        out->body = tiso__strndup("", 0);
        if (out->body == NULL) {
            tiso_live_policy_clear(out);
            return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", call->what);
        }
    }
    call->resp.body = NULL; /* now the caller's */
    sha256_hex(out->body, out->len, out->sha256);
    return TISO_OK;
}

/* One request to the tenant's policy: GET, or PUT of `body`. `what` names
 * it in messages. The caller interprets call->resp, then cleans up `call`
 * and frees `*url` (NULL when nothing was sent for want of memory). */
static tiso_status policy_request(tiso_live_client *c, const tiso_tenant_id *tenant, const char *body, char *what,
                                  size_t size, char **url, tiso__http_call *call, tiso_error *err)
{
    what_of(what, size, c, body ? "writing" : "reading", tenant);
    memset(call, 0, sizeof *call);
    *url = tiso__live_policy_url(c->bap.url, tenant);
    if (*url == NULL)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", what);
    call->url = *url;
    call->what = what;
    if (body != NULL) {
        call->method = "PUT";
        call->post_fields = body;
        call->content_type = "application/json";
    }
    return tiso__live_send(c, &c->bap, call, err);
}

tiso_status tiso_live_policy_get(tiso_live_policy *out, tiso_live_client *client, const tiso_tenant_id *tenant,
                                 tiso_error *err)
{
    tiso_status st = tiso__live_begin(out, sizeof *out, out != NULL && client != NULL && tenant != NULL,
                                      "NULL argument to tiso_live_policy_get", err);
    if (st != TISO_OK)
        return st;
    char what[200];
    char *url = NULL;
    tiso__http_call call;
    st = policy_request(client, tenant, NULL, what, sizeof what, &url, &call, err);
    if (st == TISO_OK) {
        if (call.resp.status == 200) {
            st = take_policy(out, &call, tenant, err);
        } else if (call.resp.status == 404) {
            sha256_hex("", 0, out->sha256); /* no policy: isolation off */
        } else {
            st = answer_failure(&call, err);
        }
    }
    tiso__http_call_cleanup(&call);
    tiso__free(url);
    return st;
}

/* ---- push ---- */

/* Step 2: the live policy must still be the reviewed one. */
static tiso_status check_expected(tiso_live_client *c, const tiso_tenant_id *tenant, const char *expect,
                                  tiso_error *err)
{
    tiso_live_policy live;
    tiso_status st = tiso_live_policy_get(&live, c, tenant, err);
    if (st != TISO_OK) {
        char inner[TISO_ERROR_MESSAGE_MAX];
        snprintf(inner, sizeof inner, "%s", err ? err->message : "");
        return tiso__fail(err, st, NULL, "%s; nothing pushed", inner);
    }
    char what[200];
    what_of(what, sizeof what, c, "checking", tenant);
    if (!tiso__ascii_case_eq(live.sha256, expect))
        st = tiso__fail(err, TISO_E_CONFLICT, NULL,
                        "%s: it changed since the plan (its SHA-256 is now %s, not %.64s: someone changed it, or "
                        "the plan was another tenant's): nothing pushed; run plan again",
                        what, live.sha256, expect);
    tiso_live_policy_clear(&live);
    return st;
}

/* What the service holds now, in words, after a failure past the PUT. */
static void holding(char *buf, size_t size, tiso_live_client *c, const tiso_tenant_id *tenant,
                    const tiso_policy *pushed)
{
    tiso_live_policy now;
    tiso_error e;
    tiso_error_clear(&e);
    if (tiso_live_policy_get(&now, c, tenant, &e) != TISO_OK) {
        snprintf(buf, size, "what the service now holds could not be read (%s)", e.message);
        return;
    }
    if (!now.found)
        snprintf(buf, size, "the service now holds no policy (isolation off)");
    else
        snprintf(buf, size, "the service now holds %s (SHA-256 %s: isolation %s, %zu entries)",
                 tiso_live_policy_same(now.policy, pushed) ? "the pushed policy" : "another policy than the pushed one",
                 now.sha256, tiso_policy_isolation_enabled(now.policy) ? "on" : "off",
                 tiso_policy_entry_count(now.policy));
    tiso_live_policy_clear(&now);
}

/* The URL a 202 names to poll: Operation-Location first, else Location. */
static tiso_status operation_url(const tiso__http_call *put, const tiso__live_service *bap, const char **url,
                                 tiso_error *err)
{
    const tiso__http_response *r = &put->resp;
    if (r->operation_location_long || r->op_location_long)
        return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL,
                          "%s: accepted (HTTP 202), but its operation URL is longer than 1023 bytes: not followed",
                          put->what);
    *url = r->operation_location[0] ? r->operation_location : r->op_location;
    if ((*url)[0] == '\0')
        return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL,
                          "%s: accepted (HTTP 202) without a Location or Operation-Location to poll", put->what);
    if (!tiso__live_same_origin(*url, bap->url))
        return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL,
                          "%s: accepted (HTTP 202), but the operation URL in its %s header is not on %s: refused, "
                          "not followed (the token goes to the configured hosts only)",
                          put->what, r->operation_location[0] ? "Operation-Location" : "Location", bap->host);
    return TISO_OK;
}

static const char *retry_after_of(const tiso__http_response *r)
{
    return r->has_retry_after ? r->retry_after : NULL;
}

/* Step 3b: polls the operation until it is done, fails, or the deadline. */
static tiso_status wait_operation(tiso_live_client *c, const tiso__http_call *put, tiso_live_progress_fn progress,
                                  void *user, tiso_error *err)
{
    const char *op = NULL;
    tiso_status st = operation_url(put, &c->bap, &op, err);
    if (st != TISO_OK)
        return st;
    char url[sizeof put->resp.operation_location];
    snprintf(url, sizeof url, "%s", op);
    char what[300];
    snprintf(what, sizeof what, "BAP (%s): waiting for the policy update", c->bap.host);
    uint64_t deadline = tiso__now_ns() + (uint64_t)c->operation_timeout_ms * 1000000u;
    uint64_t wait = tiso__live_poll_wait_ms(retry_after_of(&put->resp), (int64_t)time(NULL), c->poll_floor_ms);
    for (unsigned polls = 0;; polls++) {
        if (tiso__now_ns() + wait * 1000000u > deadline)
            return tiso__fail(err, TISO_E_TIMEOUT, NULL,
                              "%s: not finished within %u s (%u polls); the service may still apply it", what,
                              c->operation_timeout_ms / 1000u, polls);
        if (progress != NULL)
            progress(user, polls, wait);
        tiso__sleep_ms(wait);
        tiso__http_call call;
        memset(&call, 0, sizeof call);
        call.url = url;
        call.what = what;
        st = tiso__live_send(c, &c->bap, &call, err);
        long code = call.resp.status;
        if (st == TISO_OK && (code == 202 || code == 409)) {
            wait = tiso__live_poll_wait_ms(retry_after_of(&call.resp), (int64_t)time(NULL), c->poll_floor_ms);
            tiso__http_call_cleanup(&call);
            continue;
        }
        if (st == TISO_OK && code == 200) {
            char detail[400];
            if (tiso__live_operation_failed(call.resp.body, call.resp.len, detail, sizeof detail))
                st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "%s: the operation failed (%s)", what,
                                detail[0] ? detail : "no reason given");
        } else if (st == TISO_OK) {
            st = answer_failure(&call, err);
        }
        tiso__http_call_cleanup(&call);
        return st;
    }
}

/* Step 3: the PUT, and the operation when the service answers 202.
 * `*sent`: the request went out (or may have). */
static tiso_status put_policy(tiso_live_client *c, const tiso_tenant_id *tenant, const char *body,
                              tiso_live_progress_fn progress, void *user, bool *sent, tiso_error *err)
{
    char what[200];
    char *url = NULL;
    tiso__http_call call;
    tiso_status st = policy_request(c, tenant, body, what, sizeof what, &url, &call, err);
    *sent = url != NULL;
    if (st == TISO_OK) {
        long code = call.resp.status;
        if (code == 202)
            st = wait_operation(c, &call, progress, user, err);
        else if (code != 200 && code != 201)
            st = answer_failure(&call, err);
    }
    tiso__http_call_cleanup(&call);
    tiso__free(url);
    return st;
}

/* Appends "; <what the service holds>" to the message in `err`. */
static void add_holding(tiso_error *err, tiso_live_client *c, const tiso_tenant_id *tenant, const tiso_policy *pushed)
{
    if (err == NULL)
        return;
    char now[TISO_ERROR_MESSAGE_MAX], inner[TISO_ERROR_MESSAGE_MAX];
    holding(now, sizeof now, c, tenant, pushed);
    snprintf(inner, sizeof inner, "%s", err->message);
    tiso__fail(err, err->status, NULL, "%.300s; %s", inner, now);
}

tiso_status tiso_live_policy_push(tiso_live_policy *after, tiso_live_client *client, const tiso_tenant_id *tenant,
                                  const tiso_policy *policy, const char *expect_sha256, tiso_live_progress_fn progress,
                                  void *progress_user, tiso_error *err)
{
    tiso_status st = tiso__live_begin(after, sizeof *after, client != NULL && tenant != NULL && policy != NULL,
                                      "NULL argument to tiso_live_policy_push", err);
    if (st == TISO_OK)
        st = tiso_live_policy_check_pushable(policy, tenant, expect_sha256, err);
    if (st == TISO_OK && expect_sha256 != NULL)
        st = check_expected(client, tenant, expect_sha256, err);
    if (st != TISO_OK)
        return st;
    char *body = NULL;
    st = tiso_policy_to_json(&body, NULL, policy, 0, err);
    if (st != TISO_OK)
        return st;
    bool sent = false;
    st = put_policy(client, tenant, body, progress, progress_user, &sent, err);
    tiso_free(body);
    if (st != TISO_OK) {
        if (sent)
            add_holding(err, client, tenant, policy);
        return st;
    }
    tiso_live_policy back;
    st = tiso_live_policy_get(&back, client, tenant, err);
    if (st != TISO_OK) {
        char inner[TISO_ERROR_MESSAGE_MAX];
        snprintf(inner, sizeof inner, "%s", err ? err->message : "");
        return tiso__fail(err, st, NULL, "the push was accepted, but reading it back failed: %s", inner);
    }
    if (!back.found || !tiso_live_policy_same(back.policy, policy)) {
        char now[TISO_ERROR_MESSAGE_MAX];
        if (!back.found)
            snprintf(now, sizeof now, "it holds no policy (isolation off)");
        else
            snprintf(now, sizeof now, "it holds another policy (SHA-256 %s: isolation %s, %zu entries, %zu pushed)",
                     back.sha256, tiso_policy_isolation_enabled(back.policy) ? "on" : "off",
                     tiso_policy_entry_count(back.policy), tiso_policy_entry_count(policy));
        st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL,
                        "BAP (%s): the service accepted the push but the policy read back is not the one pushed: %s",
                        client->bap.host, now);
    }
    if (after != NULL)
        *after = back;
    else
        tiso_live_policy_clear(&back);
    return st;
}
