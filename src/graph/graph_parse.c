/* Pure parsers for what Graph and the login service send back. No I/O, no
 * clock, no globals: everything they need comes in through the arguments. */
#include "graph_parse.h"
#include "graph_common.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "json_input.h"

/* ---- text helpers ---- */

void tiso__sanitize_text(char *dst, size_t size, const char *src, size_t len)
{
    tiso__text_clean(dst, size, src, len, TISO__TEXT_FIRST_LINE);
}

void tiso__copy_utf8(char *dst, size_t size, const char *src)
{
    tiso__text_clean(dst, size, src, src ? strlen(src) : 0, 0);
}

bool tiso__token_chars_ok(const char *s, size_t len)
{
    if (s == NULL || len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x21 || c > 0x7e)
            return false;
    }
    return true;
}

/* ---- JSON ---- */

/* Parses exactly `len` bytes as one JSON object through the library's JSON
 * reader (json_input.h), the validator every untrusted document passes:
 * escaped NULs (cJSON would cut "<tenant ID>\u0000junk" to the tenant ID),
 * malformed escapes, bad UTF-8, trailing data and deep nesting are refused. */
static cJSON *parse_json(const char *body, size_t len, tiso_status *status, tiso_error *err)
{
    cJSON *root = NULL;
    const tiso__json_limits lim = {len, TISO_DEFAULT_MAX_DEPTH, len > UINT32_MAX ? UINT32_MAX : (uint32_t)len};
    tiso_error why;
    tiso_error_clear(&why);
    tiso_status s = body == NULL || len == 0 ? TISO_E_SYNTAX : tiso__json_parse(&root, body, len, &lim, &why);
    if (body == NULL || len == 0)
        *status = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "the response body is empty");
    else if (s == TISO_E_NOMEM)
        *status = tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    else if (s != TISO_OK)
        *status = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "the response is not valid JSON (at byte %zu of %zu): %s",
                             why.offset, len, why.message);
    else if (!cJSON_IsObject(root))
        *status = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "the response is JSON but not an object");
    else
        *status = TISO_OK;
    if (*status == TISO_OK)
        return root;
    cJSON_Delete(root);
    return NULL;
}

static const char *get_string(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- error bodies ---- */

/* The number after the first "AADSTS" in `s`, or 0. */
static uint32_t find_aadsts(const char *s)
{
    const char *p = s ? strstr(s, "AADSTS") : NULL;
    if (p == NULL)
        return 0;
    p += 6;
    uint32_t v = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 9) {
        v = v * 10u + (uint32_t)(*p - '0');
        p++;
        digits++;
    }
    return digits ? v : 0;
}

bool tiso__parse_service_error(tiso__service_error *out, const char *body, size_t len)
{
    memset(out, 0, sizeof *out);
    if (body == NULL || len == 0)
        return false;
    tiso_status parsed;
    cJSON *root = parse_json(body, len, &parsed, NULL);
    if (root == NULL)
        return false;
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(root, "error");
    if (cJSON_IsString(error)) {
        /* The login service (OAuth2 error response). */
        tiso__sanitize_text(out->code, sizeof out->code, error->valuestring, strlen(error->valuestring));
        const char *desc = get_string(root, "error_description");
        if (desc != NULL)
            tiso__sanitize_text(out->description, sizeof out->description, desc, strlen(desc));
        const cJSON *codes = cJSON_GetObjectItemCaseSensitive(root, "error_codes");
        const cJSON *first = cJSON_IsArray(codes) ? cJSON_GetArrayItem(codes, 0) : NULL;
        if (cJSON_IsNumber(first) && first->valuedouble >= 1 && first->valuedouble < 1e9)
            out->aadsts = (uint32_t)first->valuedouble;
        else
            out->aadsts = find_aadsts(desc);
    } else if (cJSON_IsObject(error)) {
        /* Microsoft Graph ({"error": {"code", "message"}}). */
        const char *code = get_string(error, "code");
        const char *msg = get_string(error, "message");
        if (code != NULL)
            tiso__sanitize_text(out->code, sizeof out->code, code, strlen(code));
        if (msg != NULL)
            tiso__sanitize_text(out->description, sizeof out->description, msg, strlen(msg));
        out->aadsts = find_aadsts(msg);
    }
    cJSON_Delete(root);
    return out->code[0] != '\0' || out->description[0] != '\0';
}

bool tiso__service_error_is_unknown_tenant(const tiso__service_error *e)
{
    return strcmp(e->code, "invalid_tenant") == 0 || e->aadsts == 90002;
}

const char *tiso__service_error_text(const tiso__service_error *e, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (e->code[0] && e->description[0] && strstr(e->description, e->code) == NULL)
        snprintf(buf, size, "%s: %s", e->code, e->description);
    else if (e->description[0])
        snprintf(buf, size, "%s", e->description);
    else if (e->code[0])
        snprintf(buf, size, "%s", e->code);
    return buf;
}

/* ---- tenant information (Graph) ---- */

static tiso_status parse_tenant_field(tiso_tenant_id *out, const char *s, const char *name, tiso_error *err)
{
    if (tiso_tenant_id_parse(out, s, strlen(s)) == TISO_OK)
        return TISO_OK;
    char shown[80];
    tiso__copy_utf8(shown, sizeof shown, s);
    return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "the response's %s '%s' is not a tenant ID", name, shown);
}

tiso_status tiso__parse_tenant_info(tiso_graph_tenant_info *out, const char *body, size_t len, tiso_error *err)
{
    memset(out, 0, sizeof *out);
    tiso_status st;
    cJSON *root = parse_json(body, len, &st, err);
    if (root == NULL)
        return st;
    const cJSON *tid = cJSON_GetObjectItemCaseSensitive(root, "tenantId");
    if (tid == NULL || cJSON_IsNull(tid)) {
        st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "the response has no tenantId");
    } else if (!cJSON_IsString(tid)) {
        st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "the response's tenantId is not a string");
    } else {
        st = parse_tenant_field(&out->tenant_id, tid->valuestring, "tenantId", err);
    }
    if (st == TISO_OK) {
        tiso__copy_utf8(out->display_name, sizeof out->display_name, get_string(root, "displayName"));
        tiso__copy_utf8(out->default_domain, sizeof out->default_domain, get_string(root, "defaultDomainName"));
        tiso__copy_utf8(out->federation_brand_name, sizeof out->federation_brand_name,
                        get_string(root, "federationBrandName"));
    } else {
        memset(out, 0, sizeof *out);
    }
    cJSON_Delete(root);
    return st;
}

/* ---- OpenID discovery ---- */

/* The tenant ID in the first path segment of an absolute https URL. */
static tiso_status tenant_from_url(tiso_tenant_id *out, const char *url, const char *name, tiso_error *err)
{
    char shown[120];
    const char *p = strstr(url, "://");
    if (p != NULL)
        p = strchr(p + 3, '/');
    if (p != NULL) {
        p++;
        size_t n = strcspn(p, "/?#");
        if (tiso_tenant_id_parse(out, p, n) == TISO_OK)
            return TISO_OK;
    }
    tiso__copy_utf8(shown, sizeof shown, url);
    return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "the discovery document's %s '%s' carries no tenant ID", name,
                      shown);
}

tiso_status tiso__parse_openid_config(tiso_tenant_id *out, const char *body, size_t len, tiso_error *err)
{
    tiso_status st;
    memset(out, 0, sizeof *out);
    cJSON *root = parse_json(body, len, &st, err);
    if (root == NULL)
        return st;
    const char *issuer = get_string(root, "issuer");
    const char *token_ep = get_string(root, "token_endpoint");
    tiso_tenant_id a = {{0}}, b = {{0}};
    if (issuer == NULL && token_ep == NULL) {
        st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "the discovery document has neither issuer nor token_endpoint");
    }
    if (st == TISO_OK && issuer != NULL)
        st = tenant_from_url(&a, issuer, "issuer", err);
    if (st == TISO_OK && token_ep != NULL)
        st = tenant_from_url(&b, token_ep, "token_endpoint", err);
    if (st == TISO_OK && issuer != NULL && token_ep != NULL && !tiso__id_eq(&a, &b)) {
        st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL,
                        "the discovery document's issuer and token_endpoint name different tenants");
    }
    if (st == TISO_OK)
        *out = issuer != NULL ? a : b;
    cJSON_Delete(root);
    return st;
}

/* ---- token response ---- */

/* 10 years: anything longer is not a token lifetime. */
#define MAX_EXPIRES_IN_S 315360000u

tiso_status tiso__parse_token_response(char **token, uint64_t *expires_in_s, const char *body, size_t len,
                                       tiso_error *err)
{
    *token = NULL;
    *expires_in_s = 0;
    tiso_status st;
    cJSON *root = parse_json(body, len, &st, err);
    if (root == NULL)
        return st;
    const char *type = get_string(root, "token_type");
    const char *tok = get_string(root, "access_token");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(root, "expires_in");
    uint64_t lifetime = 0;
    if (tok == NULL) {
        st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "the token response has no access_token");
    } else if (!tiso__token_chars_ok(tok, strlen(tok)) || strlen(tok) > TISO_GRAPH_TOKEN_MAX) {
        st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL,
                        "the token response's access_token is empty, too long or not printable ASCII");
    } else if (cJSON_GetObjectItemCaseSensitive(root, "token_type") != NULL &&
               (type == NULL || !tiso__ascii_case_eq(type, "bearer"))) {
        st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "the token response's token_type is not Bearer");
    } else if (cJSON_IsNumber(exp)) {
        double d = exp->valuedouble;
        if (!(d >= 0 && d <= (double)MAX_EXPIRES_IN_S)) {
            st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "the token response's expires_in is out of range");
        } else {
            lifetime = (uint64_t)d;
        }
    } else if (cJSON_IsString(exp)) {
        const char *s = exp->valuestring;
        size_t n = strlen(s);
        bool ok = n > 0 && n <= 10;
        for (size_t i = 0; ok && i < n; i++) {
            if (s[i] < '0' || s[i] > '9')
                ok = false;
            else
                lifetime = lifetime * 10u + (uint64_t)(s[i] - '0');
        }
        if (!ok || lifetime > MAX_EXPIRES_IN_S) {
            st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL,
                            "the token response's expires_in is not a number of seconds");
        }
    } else {
        st = tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "the token response has no expires_in");
    }
    if (st == TISO_OK) {
        *token = tiso__strndup(tok, strlen(tok));
        if (*token == NULL)
            st = tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory copying a token");
        else
            *expires_in_s = lifetime;
    }
    cJSON_Delete(root);
    return st;
}

/* ---- Retry-After ---- */

static const char *const month_names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const day_names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const day_names_long[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                              "Friday", "Saturday", "Sunday"};

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Reads exactly `n` digits at *p. */
static bool read_digits(const char **p, const char *end, int n, int64_t *out)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        if (*p >= end || **p < '0' || **p > '9')
            return false;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    *out = v;
    return true;
}

static bool read_lit(const char **p, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
        return false;
    *p += n;
    return true;
}

static bool read_name(const char **p, const char *end, const char *const *names, int count, int *out)
{
    for (int i = 0; i < count; i++) {
        const char *q = *p;
        if (read_lit(&q, end, names[i])) {
            *p = q;
            *out = i;
            return true;
        }
    }
    return false;
}

static bool read_time(const char **p, const char *end, int64_t *secs)
{
    int64_t h, mi, s;
    if (!read_digits(p, end, 2, &h) || !read_lit(p, end, ":") || !read_digits(p, end, 2, &mi) ||
        !read_lit(p, end, ":") || !read_digits(p, end, 2, &s))
        return false;
    if (h > 23 || mi > 59 || s > 60)
        return false;
    *secs = h * 3600 + mi * 60 + s;
    return true;
}

/* The three HTTP-date forms of RFC 9110 section 5.6.7, as Unix seconds. */
static bool parse_http_date(const char *p, const char *end, int64_t *out)
{
    int wd, mon;
    int64_t day, year, secs;
    const char *q = p;
    /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
    if (read_name(&q, end, day_names, 7, &wd) && read_lit(&q, end, ", ") && read_digits(&q, end, 2, &day) &&
        read_lit(&q, end, " ") && read_name(&q, end, month_names, 12, &mon) && read_lit(&q, end, " ") &&
        read_digits(&q, end, 4, &year) && read_lit(&q, end, " ") && read_time(&q, end, &secs) &&
        read_lit(&q, end, " GMT") && q == end)
        goto done;
    /* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
    q = p;
    if (read_name(&q, end, day_names_long, 7, &wd) && read_lit(&q, end, ", ") && read_digits(&q, end, 2, &day) &&
        read_lit(&q, end, "-") && read_name(&q, end, month_names, 12, &mon) && read_lit(&q, end, "-") &&
        read_digits(&q, end, 2, &year) && read_lit(&q, end, " ") && read_time(&q, end, &secs) &&
        read_lit(&q, end, " GMT") && q == end) {
        year += year < 70 ? 2000 : 1900;
        goto done;
    }
    /* asctime: Sun Nov  6 08:49:37 1994 */
    q = p;
    if (read_name(&q, end, day_names, 7, &wd) && read_lit(&q, end, " ") && read_name(&q, end, month_names, 12, &mon) &&
        read_lit(&q, end, " ")) {
        if (q < end && *q == ' ') {
            q++;
            if (!read_digits(&q, end, 1, &day))
                return false;
        } else if (!read_digits(&q, end, 2, &day)) {
            return false;
        }
        if (read_lit(&q, end, " ") && read_time(&q, end, &secs) && read_lit(&q, end, " ") &&
            read_digits(&q, end, 4, &year) && q == end)
            goto done;
    }
    return false;
done:
    if (day < 1 || day > 31)
        return false;
    *out = days_from_civil(year, mon + 1, day) * 86400 + secs;
    return true;
}

/* A year: no Retry-After worth waiting for is longer. */
#define MAX_RETRY_AFTER_S 31536000u

bool tiso__parse_retry_after(uint64_t *delay_ms, const char *value, size_t len, int64_t now_unix)
{
    if (value == NULL)
        return false;
    const char *p = value, *end = value + len;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (p == end)
        return false;
    if (*p >= '0' && *p <= '9') {
        uint64_t secs = 0;
        while (p < end && *p >= '0' && *p <= '9') {
            if (secs < MAX_RETRY_AFTER_S)
                secs = secs * 10u + (uint64_t)(*p - '0');
            p++;
        }
        if (secs > MAX_RETRY_AFTER_S)
            secs = MAX_RETRY_AFTER_S;
        uint64_t ms = secs * 1000u;
        if (p < end && *p == '.') {
            p++;
            if (p == end)
                return false;
            uint64_t scale = 100, frac = 0;
            bool rest = false;
            while (p < end && *p >= '0' && *p <= '9') {
                if (scale > 0) {
                    frac += (uint64_t)(*p - '0') * scale;
                    scale /= 10u;
                } else if (*p != '0') {
                    rest = true;
                }
                p++;
            }
            ms += frac + (rest ? 1u : 0u); /* round up: never retry early */
        }
        if (p != end)
            return false;
        *delay_ms = ms;
        return true;
    }
    int64_t when;
    if (!parse_http_date(p, end, &when))
        return false;
    int64_t diff = when - now_unix;
    if (diff < 0)
        diff = 0;
    if (diff > (int64_t)MAX_RETRY_AFTER_S)
        diff = MAX_RETRY_AFTER_S;
    *delay_ms = (uint64_t)diff * 1000u;
    return true;
}
