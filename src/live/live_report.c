/* The cross-tenant connection report on the Power Platform API (SPEC 12):
 * create or find today's report, read one or the list, wait until it is
 * done, and follow @odata.nextLink on the same host only. Bodies are kept
 * as received (the CLI writes them to files) and read through the library's
 * JSON intake for what they say. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json_input.h"
#include "live_client.h"

#define REPORTS_PATH "/governance/crossTenantConnectionReports"
#define MAX_REPORT_ID 127u

static void copy_string(char *dst, size_t size, const cJSON *root, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    if (cJSON_IsString(v))
        tiso__sanitize_text(dst, size, v->valuestring, strlen(v->valuestring));
}

/* What the body of a 200 or 202 says, into `out`, which takes the body. */
static tiso_status take_page(tiso_live_page *out, tiso__http_call *call, tiso_live_client *c, tiso_error *err)
{
    const tiso__json_limits lim = {c->http->max_body_bytes, 64, c->http->max_body_bytes};
    cJSON *root = NULL;
    tiso_error jerr;
    tiso_error_clear(&jerr);
    const char *body = call->resp.body ? call->resp.body : "";
    if (tiso__json_parse(&root, body, call->resp.len, &lim, &jerr) != TISO_OK || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "%s: the answer is not a JSON object%s%s", call->what,
                          jerr.message[0] ? ": " : "", jerr.message);
    }
    copy_string(out->status, sizeof out->status, root, "status");
    if (out->status[0] == '\0')
        copy_string(out->status, sizeof out->status, root, "reportStatus");
    copy_string(out->report_id, sizeof out->report_id, root, "reportId");
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(root, "@odata.nextLink");
    tiso_status st = TISO_OK;
    if (cJSON_IsString(next) && next->valuestring[0] != '\0') {
        out->next_link = tiso__strndup(next->valuestring, strlen(next->valuestring));
        if (out->next_link == NULL)
            st = tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", call->what);
    }
    if (cJSON_GetObjectItemCaseSensitive(root, "error") != NULL) {
        tiso__service_error se;
        tiso__parse_service_error(&se, body, call->resp.len);
        tiso__service_error_text(&se, out->error, sizeof out->error);
    }
    cJSON_Delete(root);
    if (st != TISO_OK)
        return st;
    out->body = call->resp.body;
    out->len = call->resp.len;
    call->resp.body = NULL; /* now the caller's */
    if (out->body == NULL && (out->body = tiso__strndup("", 0)) == NULL)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", call->what);
    return TISO_OK;
}

/* One request to the Power Platform API: `url` (on its host), POST when
 * `post`. The answer goes into `out`. */
static tiso_status exchange(tiso_live_page *out, tiso_live_client *c, const char *url, bool post, const char *what,
                            tiso_error *err)
{
    tiso__http_call call;
    memset(&call, 0, sizeof call);
    call.url = url;
    call.what = what;
    if (post) {
        call.post_fields = "";
        call.content_type = "application/json";
    }
    tiso_status st = tiso__live_send(c, &c->pp, &call, err);
    if (st == TISO_OK) {
        long code = call.resp.status;
        char desc[480];
        if (code == 200 || code == 201 || code == 202)
            st = take_page(out, &call, c, err);
        else if (code == 401 || code == 403)
            st = tiso__fail(err, TISO_E_UNAUTHORIZED, NULL, "%s: refused (%s)", what,
                            tiso__live_describe(&call, desc, sizeof desc));
        else
            st = tiso__fail(err, code == 404 ? TISO_E_NOT_FOUND : TISO_E_BAD_RESPONSE, NULL, "%s: %s (%s)", what,
                            code >= 400 && code < 500 ? "refused" : "unexpected answer",
                            tiso__live_describe(&call, desc, sizeof desc));
    }
    tiso__http_call_cleanup(&call);
    if (st != TISO_OK)
        tiso_live_page_clear(out);
    return st;
}

static bool report_id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > MAX_REPORT_ID)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = id[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '_' || ch == '.'))
            return false;
    }
    return strcmp(id, ".") != 0 && strcmp(id, "..") != 0;
}

/* {pp}/governance/crossTenantConnectionReports[/{id}]?api-version=... */
static char *reports_url(const tiso_live_client *c, const char *report_id)
{
    size_t n = strlen(c->pp.url) + sizeof REPORTS_PATH + (report_id ? strlen(report_id) + 1 : 0) +
               sizeof "?api-version=" + sizeof TISO_LIVE_REPORT_API_VERSION;
    char *url = tiso__malloc(n);
    if (url != NULL)
        snprintf(url, n, "%s%s%s%s?api-version=%s", c->pp.url, REPORTS_PATH, report_id ? "/" : "",
                 report_id ? report_id : "", TISO_LIVE_REPORT_API_VERSION);
    return url;
}

static tiso_status report_call(tiso_live_page *out, tiso_live_client *c, const char *report_id, bool post,
                               tiso_error *err)
{
    tiso_status st = tiso__live_begin(out, sizeof *out, out != NULL && c != NULL, "NULL argument", err);
    if (st != TISO_OK)
        return st;
    if (report_id != NULL && !report_id_ok(report_id))
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                          "a report ID is 1 to %u letters, digits, '-', '_' or '.': nothing sent", MAX_REPORT_ID);
    char what[300];
    if (post)
        snprintf(what, sizeof what, "Power Platform API (%s): creating or finding today's cross-tenant connection "
                                    "report", c->pp.host);
    else if (report_id)
        snprintf(what, sizeof what, "Power Platform API (%s): reading cross-tenant connection report %s", c->pp.host,
                 report_id);
    else
        snprintf(what, sizeof what, "Power Platform API (%s): listing the cross-tenant connection reports",
                 c->pp.host);
    char *url = reports_url(c, report_id);
    if (url == NULL)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", what);
    st = exchange(out, c, url, post, what, err);
    tiso__free(url);
    if (st == TISO_OK && post && out->report_id[0] == '\0') {
        tiso_live_page_clear(out);
        st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "%s: the answer has no reportId", what);
    }
    return st;
}

tiso_status tiso_live_report_create(tiso_live_page *out, tiso_live_client *client, tiso_error *err)
{
    return report_call(out, client, NULL, true, err);
}

tiso_status tiso_live_report_get(tiso_live_page *out, tiso_live_client *client, const char *report_id,
                                 tiso_error *err)
{
    return report_call(out, client, report_id, false, err);
}

tiso_status tiso_live_report_wait(tiso_live_page *out, tiso_live_client *client, const char *report_id,
                                  tiso_live_progress_fn progress, void *progress_user, tiso_error *err)
{
    if (client == NULL)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "NULL argument");
    uint64_t deadline = tiso__now_ns() + (uint64_t)client->operation_timeout_ms * 1000000u;
    uint64_t wait = client->poll_floor_ms;
    for (unsigned polls = 0;; polls++) {
        tiso_status st = tiso_live_report_get(out, client, report_id, err);
        if (st != TISO_OK)
            return st;
        if (tiso__ascii_case_eq(out->status, "Completed"))
            return TISO_OK;
        if (tiso__ascii_case_eq(out->status, "Failed"))
            return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL,
                              "Power Platform API (%s): cross-tenant connection report %s failed (%s)",
                              client->pp.host, report_id, out->error[0] ? out->error : "no reason given");
        if (tiso__now_ns() + wait * 1000000u > deadline) {
            char status[sizeof out->status];
            snprintf(status, sizeof status, "%s", out->status);
            tiso_live_page_clear(out);
            return tiso__fail(err, TISO_E_TIMEOUT, NULL,
                              "Power Platform API (%s): cross-tenant connection report %s is still '%s' after %u s "
                              "(%u polls); fetch it later with --report %s",
                              client->pp.host, report_id, status, client->operation_timeout_ms / 1000u, polls + 1,
                              report_id);
        }
        tiso_live_page_clear(out);
        if (progress != NULL)
            progress(progress_user, polls + 1, wait);
        tiso__sleep_ms(wait);
    }
}

tiso_status tiso_live_report_next(tiso_live_page *out, tiso_live_client *client, const char *next_link,
                                  tiso_error *err)
{
    tiso_status st =
        tiso__live_begin(out, sizeof *out, out != NULL && client != NULL && next_link != NULL, "NULL argument", err);
    if (st != TISO_OK)
        return st;
    char what[200];
    snprintf(what, sizeof what, "Power Platform API (%s): reading the next page", client->pp.host);
    if (!tiso__live_same_origin(next_link, client->pp.url))
        return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL,
                          "%s: its @odata.nextLink is not on %s: refused, not followed (the token goes to the "
                          "configured hosts only)",
                          what, client->pp.host);
    return exchange(out, client, next_link, false, what, err);
}
