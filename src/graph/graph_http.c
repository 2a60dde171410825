/* One HTTP exchange with libcurl, and the retry policy around it.
 *
 * Every handle is configured the same careful way (curl's
 * libcurl-security.md): no signals, https only (http only to loopback),
 * redirects never followed, TLS peer and host verification on, timeouts, a
 * body cap enforced while receiving. An attempt ends in one of three ways:
 * a final HTTP answer for the caller to interpret, a retry after a delay
 * (429, 500, 502, 503, 504, transport errors; Retry-After or backoff), or a
 * failure with its own status and message. The same functions serve the
 * blocking path (tiso__http_run) and the curl multi batch. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "graph_internal.h"

#define USER_AGENT "libtenantiso/" TISO_VERSION_STRING

/* ---- callbacks ---- */

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    tiso__http_response *r = userdata;
    size_t n = size * nmemb;
    if (n > r->max - r->len) {
        r->overflow = true;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 1024;
        while (cap < r->len + n + 1)
            cap *= 2;
        if (cap > r->max + 1)
            cap = r->max + 1;
        char *b = tiso__realloc(r->body, cap);
        if (b == NULL) {
            r->nomem = true;
            return 0;
        }
        r->body = b;
        r->cap = cap;
    }
    memcpy(r->body + r->len, ptr, n);
    r->len += n;
    r->body[r->len] = '\0';
    return n;
}

static bool header_is(const char *line, size_t n, const char *name, size_t *value_at)
{
    size_t k = strlen(name);
    if (n <= k || line[k] != ':' || !tiso__ascii_ieq(line, k, name))
        return false;
    size_t v = k + 1;
    while (v < n && (line[v] == ' ' || line[v] == '\t'))
        v++;
    *value_at = v;
    return true;
}

/* A URL header kept whole or not at all: a cut URL is never polled. */
static void keep_url(char *dst, size_t size, bool *too_long, const char *src, size_t len)
{
    *too_long = len >= size;
    dst[0] = '\0';
    if (!*too_long) {
        memcpy(dst, src, len);
        dst[len] = '\0';
    }
}

static size_t header_cb(char *buffer, size_t size, size_t nitems, void *userdata)
{
    tiso__http_response *r = userdata;
    size_t n = size * nitems;
    size_t end = n;
    while (end > 0 && (buffer[end - 1] == '\r' || buffer[end - 1] == '\n' || buffer[end - 1] == ' '))
        end--;
    size_t v;
    if (n >= 5 && memcmp(buffer, "HTTP/", 5) == 0) {
        /* A new response (after a 1xx): forget the previous one's headers. */
        r->has_retry_after = false;
        r->retry_after[0] = '\0';
        r->location[0] = '\0';
        r->op_location[0] = r->operation_location[0] = '\0';
        r->op_location_long = r->operation_location_long = false;
    } else if (header_is(buffer, end, "retry-after", &v)) {
        size_t len = end - v;
        if (len < sizeof r->retry_after) {
            memcpy(r->retry_after, buffer + v, len);
            r->retry_after[len] = '\0';
            r->has_retry_after = true;
        }
    } else if (header_is(buffer, end, "location", &v)) {
        tiso__sanitize_text(r->location, sizeof r->location, buffer + v, end - v);
        keep_url(r->op_location, sizeof r->op_location, &r->op_location_long, buffer + v, end - v);
    } else if (header_is(buffer, end, "operation-location", &v)) {
        keep_url(r->operation_location, sizeof r->operation_location, &r->operation_location_long, buffer + v,
                 end - v);
    }
    return n;
}

/* ---- set-up ---- */

tiso_status tiso__http_call_setup(tiso_graph_client *c, tiso__http_call *call, CURL *easy, tiso_error *err)
{
    call->easy = easy;
    call->resp.max = c->max_body_bytes;
    if (call->headers == NULL) {
        struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
        if (h != NULL && call->auth_header != NULL) {
            struct curl_slist *h2 = curl_slist_append(h, call->auth_header);
            if (h2 == NULL)
                curl_slist_free_all(h);
            h = h2;
        }
        if (h != NULL && call->content_type != NULL) {
            char line[128];
            snprintf(line, sizeof line, "Content-Type: %s", call->content_type);
            struct curl_slist *h2 = curl_slist_append(h, line);
            if (h2 == NULL)
                curl_slist_free_all(h);
            h = h2;
        }
        if (h != NULL) {
            /* No "Expect: 100-continue" for small form posts. */
            struct curl_slist *h2 = curl_slist_append(h, "Expect:");
            if (h2 == NULL)
                curl_slist_free_all(h);
            h = h2;
        }
        if (h == NULL)
            return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", call->what);
        call->headers = h;
    }
    CURLcode rc = CURLE_OK;
/* Stops at the first option libcurl refuses. */
#define SET(opt, val)                                                                                                  \
    do {                                                                                                               \
        if (rc == CURLE_OK)                                                                                            \
            rc = curl_easy_setopt(easy, opt, val);                                                                     \
    } while (0)
    SET(CURLOPT_URL, call->url);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_PROTOCOLS_STR, call->loopback ? "http,https" : "https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    if (c->ca_file != NULL) {
        /* Only this bundle: not the system's directory of CAs as well. */
        SET(CURLOPT_CAINFO, c->ca_file);
        SET(CURLOPT_CAPATH, (char *)NULL);
    }
    SET(CURLOPT_CONNECTTIMEOUT_MS, (long)c->connect_timeout_ms);
    SET(CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_body_bytes);
    SET(CURLOPT_WRITEFUNCTION, write_cb);
    SET(CURLOPT_WRITEDATA, &call->resp);
    SET(CURLOPT_HEADERFUNCTION, header_cb);
    SET(CURLOPT_HEADERDATA, &call->resp);
    SET(CURLOPT_ERRORBUFFER, call->errbuf);
    SET(CURLOPT_HTTPHEADER, call->headers);
    SET(CURLOPT_USERAGENT, USER_AGENT);
    SET(CURLOPT_PRIVATE, (void *)call);
    if (call->loopback)
        SET(CURLOPT_NOPROXY, "*"); /* a local test server is never behind a proxy */
    if (call->post_fields != NULL) {
        SET(CURLOPT_POSTFIELDSIZE, (long)strlen(call->post_fields));
        SET(CURLOPT_POSTFIELDS, call->post_fields);
        if (call->method != NULL)
            SET(CURLOPT_CUSTOMREQUEST, call->method);
    } else {
        SET(CURLOPT_HTTPGET, 1L);
    }
#undef SET
    if (rc != CURLE_OK)
        return tiso__fail(err, rc == CURLE_OUT_OF_MEMORY ? TISO_E_NOMEM : TISO_E_TRANSPORT, NULL,
                          "%s: libcurl refused an option: %s", call->what, curl_easy_strerror(rc));
    return TISO_OK;
}

void tiso__http_attempt_begin(tiso__http_call *call)
{
    tiso__http_response *r = &call->resp;
    r->status = 0;
    r->len = 0;
    if (r->body != NULL)
        r->body[0] = '\0';
    r->overflow = false;
    r->nomem = false;
    r->has_retry_after = false;
    r->retry_after[0] = '\0';
    r->location[0] = '\0';
    r->op_location[0] = r->operation_location[0] = '\0';
    r->op_location_long = r->operation_location_long = false;
    call->errbuf[0] = '\0';
}

void tiso__http_call_cleanup(tiso__http_call *call)
{
    /* curl_slist_append copied the Authorization line: wipe the copy too. */
    for (struct curl_slist *h = call->headers; h != NULL; h = h->next) {
        volatile char *p = h->data;
        while (*p)
            *p++ = 0;
    }
    curl_slist_free_all(call->headers);
    call->headers = NULL;
    tiso__free(call->resp.body);
    memset(&call->resp, 0, sizeof call->resp);
}

/* ---- classification ---- */

static tiso_status map_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        return TISO_E_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return TISO_E_TLS;
    case CURLE_OUT_OF_MEMORY:
        return TISO_E_NOMEM;
    default:
        return TISO_E_TRANSPORT;
    }
}

static const char *curl_category(CURLcode rc)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        return "timed out";
    case CURLE_COULDNT_CONNECT:
        return "could not connect";
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return "host name not resolved";
    case CURLE_PARTIAL_FILE:
        return "the connection closed before the whole response arrived";
    case CURLE_GOT_NOTHING:
        return "the server closed the connection without answering";
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        return "the connection failed";
    default:
        return map_curl(rc) == TISO_E_TLS ? "TLS failed" : "transport failed";
    }
}

static bool retryable_status(long code)
{
    return code == 429 || code == 500 || code == 502 || code == 503 || code == 504;
}

/* Exponential backoff with jitter: base * 2^(n-1), capped, then a random
 * point in its upper half. */
static uint64_t backoff_ms(tiso_graph_client *c, unsigned attempts)
{
    uint64_t d = c->retry_base_ms;
    for (unsigned i = 1; i < attempts && d < c->retry_max_ms; i++)
        d *= 2;
    if (d > c->retry_max_ms)
        d = c->retry_max_ms;
    uint64_t half = d / 2;
    return half + tiso__random_next(&c->rng) % (d - half + 1);
}

const char *tiso__http_describe(const tiso__http_call *call, tiso__service_error *se, char *buf, size_t size)
{
    char detail[400];
    tiso__parse_service_error(se, call->resp.body, call->resp.len);
    tiso__service_error_text(se, detail, sizeof detail);
    if (detail[0])
        snprintf(buf, size, "HTTP %ld, %s", call->resp.status, detail);
    else
        snprintf(buf, size, "HTTP %ld", call->resp.status);
    return buf;
}

static void after_attempts(char *buf, size_t size, unsigned attempts)
{
    if (attempts > 1)
        snprintf(buf, size, " after %u attempts", attempts);
    else
        buf[0] = '\0';
}

tiso__http_next tiso__http_attempt_end(tiso_graph_client *c, tiso__http_call *call, CURLcode rc, uint64_t *delay_ms,
                                       tiso_status *status, tiso_error *err)
{
    tiso__http_response *r = &call->resp;
    char tail[40];
    call->attempts++;
    bool more = call->attempts < c->max_attempts;
    *delay_ms = 0;
    if (r->nomem) {
        *status = tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory receiving the response", call->what);
        return TISO__HTTP_FAIL;
    }
    if (rc != CURLE_OK) {
        if (r->overflow || rc == CURLE_FILESIZE_EXCEEDED) {
            *status = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL,
                                 "%s: the response is larger than the %u-byte cap; transfer aborted", call->what,
                                 c->max_body_bytes);
            return TISO__HTTP_FAIL;
        }
        tiso_status st = map_curl(rc);
        if (st == TISO_E_TRANSPORT && more) {
            *delay_ms = backoff_ms(c, call->attempts);
            return TISO__HTTP_RETRY;
        }
        after_attempts(tail, sizeof tail, call->attempts);
        *status = tiso__fail(err, st, NULL, "%s: %s%s: %s", call->what, curl_category(rc), tail,
                             call->errbuf[0] ? call->errbuf : curl_easy_strerror(rc));
        return TISO__HTTP_FAIL;
    }
    long code = 0;
    curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE, &code);
    r->status = code;
    if (!retryable_status(code))
        return TISO__HTTP_DONE;

    uint64_t wait = 0;
    bool asked = r->has_retry_after &&
                 tiso__parse_retry_after(&wait, r->retry_after, strlen(r->retry_after), (int64_t)time(NULL));
    tiso_status st = code == 429 ? TISO_E_THROTTLED : TISO_E_TRANSPORT;
    char what_happened[480];
    tiso__service_error se;
    tiso__http_describe(call, &se, what_happened, sizeof what_happened);
    if (more && asked && wait > c->retry_max_ms) {
        *status = tiso__fail(
            err, st, NULL, "%s: %s (%s); the server asks to retry after %s s, longer than the %u ms cap", call->what,
            code == 429 ? "throttled" : "server error", what_happened, r->retry_after, c->retry_max_ms);
        return TISO__HTTP_FAIL;
    }
    if (more) {
        *delay_ms = asked ? wait : backoff_ms(c, call->attempts);
        return TISO__HTTP_RETRY;
    }
    after_attempts(tail, sizeof tail, call->attempts);
    *status = tiso__fail(err, st, NULL, "%s: %s%s (%s)", call->what, code == 429 ? "still throttled" : "server error",
                         tail, what_happened);
    return TISO__HTTP_FAIL;
}

/* ---- the blocking path ---- */

tiso_status tiso__http_run(tiso_graph_client *c, tiso__http_call *call, tiso_error *err)
{
    CURL *easy = tiso__easy_acquire(&c->pool);
    if (easy == NULL)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", call->what);
    tiso_status st = tiso__http_call_setup(c, call, easy, err);
    while (st == TISO_OK) {
        tiso__http_attempt_begin(call);
        CURLcode rc = curl_easy_perform(easy);
        uint64_t delay = 0;
        tiso_status fail = TISO_OK;
        tiso__http_next next = tiso__http_attempt_end(c, call, rc, &delay, &fail, err);
        if (next == TISO__HTTP_DONE)
            break;
        if (next == TISO__HTTP_FAIL) {
            st = fail;
            break;
        }
        tiso__sleep_ms(delay);
    }
    tiso__easy_release(&c->pool, easy);
    call->easy = NULL;
    return st;
}
