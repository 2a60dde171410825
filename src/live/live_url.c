/* Pure helpers of the live client: the policy URL, the rule that keeps the
 * bearer token on the configured host, the poll wait, an operation's
 * outcome. No network, no clock (the caller passes the time); unit-tested. */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "graph/graph_internal.h"
#include "json_input.h"
#include "live_internal.h"

#define POLICY_PATH "/providers/PowerPlatform.Governance/v1/tenants/%s/tenantIsolationPolicy?api-version=%s"

char *tiso__live_policy_url(const char *bap_url, const tiso_tenant_id *tenant)
{
    char id[TISO_TENANT_ID_LEN + 1];
    tiso__tenant_id_format(tenant, id);
    size_t n = strlen(bap_url) + sizeof POLICY_PATH + sizeof id + sizeof TISO_LIVE_POLICY_API_VERSION;
    char *url = tiso__malloc(n);
    if (url == NULL)
        return NULL;
    snprintf(url, n, "%s" POLICY_PATH, bap_url, id, TISO_LIVE_POLICY_API_VERSION);
    return url;
}

/* The scheme, host and port of `url`, with the scheme's default port. */
typedef struct origin {
    char *scheme, *host, *port;
} origin;

static bool origin_of(origin *o, const char *url)
{
    memset(o, 0, sizeof *o);
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return false;
    CURLU *u = curl_url();
    if (u == NULL)
        return false;
    char *user = NULL, *password = NULL;
    bool ok = curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_SCHEME, &o->scheme, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_HOST, &o->host, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_PORT, &o->port, CURLU_DEFAULT_PORT) == CURLUE_OK;
    /* Credentials in a URL never reach a request. */
    if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK && user != NULL)
        ok = false;
    if (curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK && password != NULL)
        ok = false;
    curl_free(user);
    curl_free(password);
    curl_url_cleanup(u);
    return ok;
}

static void origin_free(origin *o)
{
    curl_free(o->scheme);
    curl_free(o->host);
    curl_free(o->port);
}

bool tiso__live_same_origin(const char *url, const char *base)
{
    if (url == NULL || base == NULL)
        return false;
    origin a, b;
    memset(&b, 0, sizeof b); /* freed below even when `url` alone is parsed */
    bool ok = origin_of(&a, url) && origin_of(&b, base);
    ok = ok && tiso__ascii_case_eq(a.scheme, b.scheme) && tiso__ascii_case_eq(a.host, b.host) &&
         strcmp(a.port, b.port) == 0;
    origin_free(&a);
    origin_free(&b);
    return ok;
}

uint64_t tiso__live_poll_wait_ms(const char *retry_after, int64_t now_unix, uint32_t floor_ms)
{
    uint64_t wait = floor_ms;
    if (retry_after != NULL && !tiso__parse_retry_after(&wait, retry_after, strlen(retry_after), now_unix))
        wait = floor_ms;
    if (wait < floor_ms)
        wait = floor_ms;
    if (wait > TISO_LIVE_POLL_CAP_MS)
        wait = TISO_LIVE_POLL_CAP_MS;
    return wait;
}

bool tiso__live_operation_failed(const char *body, size_t len, char *detail, size_t size)
{
    static const tiso__json_limits lim = {1024u * 1024u, 32, 64u * 1024u};
    detail[0] = '\0';
    cJSON *root = NULL;
    if (body == NULL || len == 0 || tiso__json_parse(&root, body, len, &lim, NULL) != TISO_OK)
        return false;
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(root, "status");
    bool failed = cJSON_IsString(status) && (tiso__ascii_case_eq(status->valuestring, "Failed") ||
                                             tiso__ascii_case_eq(status->valuestring, "Canceled"));
    if (failed) {
        tiso__service_error se;
        tiso__parse_service_error(&se, body, len);
        tiso__service_error_text(&se, detail, size);
    }
    cJSON_Delete(root);
    return failed;
}
