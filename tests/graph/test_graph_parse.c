/* Unit tests of the Graph client's pure parsers (src/graph/graph_parse.c):
 * Graph tenant information, OpenID discovery, token responses, error bodies,
 * Retry-After, and the text helpers; and the token renewal rule
 * (graph_token.c), whose five-minute branch a live test could only see by
 * waiting five minutes. Every body is passed in an exact-size
 * heap copy without a NUL, so ASan catches any read past its end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "graph/graph_internal.h"
#include "graph/graph_parse.h"
#include "internal.h"

/* An exact-size copy of `s` without its NUL. */
static char *exact(const char *s, size_t *len)
{
    *len = strlen(s);
    char *p = malloc(*len ? *len : 1);
    assert_non_null(p);
    memcpy(p, s, *len);
    return p;
}

static tiso_status tenant_info(tiso_graph_tenant_info *out, const char *body, tiso_error *err)
{
    size_t n;
    char *b = exact(body, &n);
    tiso_status st = tiso__parse_tenant_info(out, b, n, err);
    free(b);
    return st;
}

static tiso_status openid(tiso_tenant_id *out, const char *body, tiso_error *err)
{
    size_t n;
    char *b = exact(body, &n);
    tiso_status st = tiso__parse_openid_config(out, b, n, err);
    free(b);
    return st;
}

static tiso_status token(char **tok, uint64_t *life, const char *body, tiso_error *err)
{
    size_t n;
    char *b = exact(body, &n);
    tiso_status st = tiso__parse_token_response(tok, life, b, n, err);
    free(b);
    return st;
}

static void expect_message(const tiso_error *err, const char *part)
{
    if (strstr(err->message, part) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err->message, part);
}

#define TID "72f988bf-86f1-41af-91ab-2d7cd011db47"

static void tenant_info_valid(void **state)
{
    (void)state;
    tiso_graph_tenant_info info;
    tiso_error err;
    assert_int_equal(tenant_info(&info,
                                 "{\"@odata.context\": \"x\", \"tenantId\": \"72F988BF-86F1-41AF-91AB-2D7CD011DB47\", "
                                 "\"federationBrandName\": null, \"displayName\": \"Microsoft\", "
                                 "\"defaultDomainName\": \"microsoft.onmicrosoft.com\", \"extra\": [1, {}]}\r\n",
                                 &err),
                     TISO_OK);
    char id[TISO_TENANT_ID_LEN + 1];
    tiso_tenant_id_format(id, &info.tenant_id);
    assert_string_equal(id, TID);
    assert_string_equal(info.display_name, "Microsoft");
    assert_string_equal(info.default_domain, "microsoft.onmicrosoft.com");
    assert_string_equal(info.federation_brand_name, "");
    /* An escaped backslash followed by the text u0000 is no NUL. */
    assert_int_equal(tenant_info(&info, "{\"tenantId\": \"" TID "\", \"displayName\": \"a\\\\u0000\"}", &err), TISO_OK);
    assert_string_equal(info.display_name, "a\\u0000");

    /* Control characters go, long UTF-8 names are cut at a character boundary. */
    char doc[2048];
    char name[700] = "";
    for (int i = 0; i < 200; i++)
        strcat(name, "\xc3\xa9"); /* é: 2 bytes each, 400 in all */
    snprintf(doc, sizeof doc, "{\"tenantId\": \"" TID "\", \"displayName\": \"a\\tb\\u0001c%s\"}", name);
    assert_int_equal(tenant_info(&info, doc, &err), TISO_OK);
    assert_int_equal(strncmp(info.display_name, "a b", 3), 0);
    size_t n = strlen(info.display_name);
    assert_true(n <= TISO_GRAPH_NAME_MAX);
    assert_true((unsigned char)info.display_name[n - 1] == 0xa9 || info.display_name[n - 1] == 'b');
}

static void tenant_info_invalid(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        const char *part;
    } cases[] = {
        {"", "empty"},
        {"{\"tenantId\": \"" TID "\"", "not valid JSON"},
        {"{\"tenantId\": \"" TID "\"} x", "trailing characters"},
        {"[\"" TID "\"]", "not an object"},
        {"\"" TID "\"", "not an object"},
        {"{}", "no tenantId"},
        {"{\"tenantId\": null}", "no tenantId"},
        {"{\"tenantid\": \"" TID "\"}", "no tenantId"}, /* keys are case-sensitive */
        {"{\"tenantId\": 7}", "not a string"},
        {"{\"tenantId\": \"not-a-guid\"}", "'not-a-guid' is not a tenant ID"},
        {"{\"tenantId\": \"{" TID "}\"}", "is not a tenant ID"},
        {"{\"tenantId\": \"00000000-0000-0000-0000-000000000000\"}", "is not a tenant ID"},
        {"{\"tenantId\": \"" TID " \"}", "is not a tenant ID"},
        {"{\"tenantId\": \"a\\nb\\u0001\"}", "'a b ' is not a tenant ID"},
        {"{\"tenantId\": \"" TID "\\u0000junk\"}", "escaped NUL"},
        /* cJSON reads a malformed \u escape as a NUL and cuts the string there */
        {"{\"tenantId\": \"" TID "\\u00zzjunk\"}", "invalid \\u escape"},
        {"{\"displayName\": \"x\\u0000\", \"tenantId\": \"" TID "\"}", "escaped NUL"},
        {"\xef\xbb\xbf{}", "no tenantId"}, /* cJSON skips a BOM */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tiso_graph_tenant_info info;
        tiso_error err;
        tiso_status st = tenant_info(&info, cases[i].body, &err);
        if (st != TISO_E_BAD_RESPONSE)
            fail_msg("case %zu: %s", i, tiso_status_name(st));
        expect_message(&err, cases[i].part);
        assert_true(tiso_tenant_id_is_nil(&info.tenant_id));
    }
    /* Deep nesting is refused by cJSON's own limit, without a crash. */
    size_t depth = 5000;
    char *deep = malloc(depth * 2 + 1);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    tiso_graph_tenant_info info;
    tiso_error err;
    assert_int_equal(tiso__parse_tenant_info(&info, deep, depth * 2, &err), TISO_E_BAD_RESPONSE);
    free(deep);
    assert_int_equal(tiso__parse_tenant_info(&info, NULL, 0, &err), TISO_E_BAD_RESPONSE);
}

static void openid_config(void **state)
{
    (void)state;
    tiso_tenant_id id;
    tiso_error err;
    char s[TISO_TENANT_ID_LEN + 1];
    assert_int_equal(openid(&id,
                            "{\"token_endpoint\": \"https://login.microsoftonline.com/" TID "/oauth2/v2.0/token\","
                            " \"issuer\": \"https://login.microsoftonline.com/" TID "/v2.0\"}",
                            &err),
                     TISO_OK);
    tiso_tenant_id_format(s, &id);
    assert_string_equal(s, TID);
    assert_int_equal(openid(&id, "{\"issuer\": \"https://sts.windows.net/" TID "/\"}", &err), TISO_OK);
    assert_int_equal(openid(&id, "{\"token_endpoint\": \"https://login.partner.microsoftonline.cn/" TID "\"}", &err),
                     TISO_OK);
    static const struct {
        const char *body;
        const char *part;
    } bad[] = {
        {"{}", "neither issuer nor token_endpoint"},
        {"{\"issuer\": null, \"token_endpoint\": 5}", "neither issuer nor token_endpoint"},
        {"{\"issuer\": \"https://login.microsoftonline.com/{tenantid}/v2.0\"}", "issuer"},
        {"{\"issuer\": \"https://login.microsoftonline.com/common/v2.0\"}", "carries no tenant ID"},
        {"{\"issuer\": \"" TID "\"}", "carries no tenant ID"},
        {"{\"issuer\": \"https://x/\"}", "carries no tenant ID"},
        {"{\"issuer\": \"https://x\"}", "carries no tenant ID"},
        {"{\"issuer\": \"https://x/" TID "/v2.0\", "
         "\"token_endpoint\": \"https://x/11111111-1111-1111-1111-111111111111/oauth2\"}",
         "different tenants"},
        {"{\"issuer\": \"https://x/" TID "/v2.0\", \"token_endpoint\": \"https://x/nope/oauth2\"}", "token_endpoint"},
        {"not json", "not valid JSON"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tiso_status st = openid(&id, bad[i].body, &err);
        if (st != TISO_E_BAD_RESPONSE)
            fail_msg("case %zu: %s", i, tiso_status_name(st));
        expect_message(&err, bad[i].part);
        assert_true(tiso_tenant_id_is_nil(&id));
    }
}

static void token_response(void **state)
{
    (void)state;
    char *tok = NULL;
    uint64_t life = 0;
    tiso_error err;
    assert_int_equal(token(&tok, &life,
                           "{\"token_type\": \"Bearer\", \"expires_in\": 3599, \"access_token\": \"eyJ.a-b_c.d\"}",
                           &err),
                     TISO_OK);
    assert_string_equal(tok, "eyJ.a-b_c.d");
    assert_int_equal(life, 3599);
    tiso__free(tok);
    assert_int_equal(
        token(&tok, &life, "{\"token_type\": \"bearer\", \"expires_in\": \"86399\", \"access_token\": \"x\"}", &err),
        TISO_OK);
    assert_int_equal(life, 86399);
    tiso__free(tok);
    assert_int_equal(token(&tok, &life, "{\"expires_in\": 0, \"access_token\": \"x\"}", &err), TISO_OK);
    assert_int_equal(life, 0);
    tiso__free(tok);

    static const struct {
        const char *body;
        const char *part;
    } bad[] = {
        {"{\"expires_in\": 10}", "no access_token"},
        {"{\"access_token\": 5, \"expires_in\": 10}", "no access_token"},
        {"{\"access_token\": \"\", \"expires_in\": 10}", "empty"},
        {"{\"access_token\": \"SECRET TOKEN\", \"expires_in\": 10}", "not printable"},
        {"{\"access_token\": \"SECRET\\r\\nX: y\", \"expires_in\": 10}", "not printable"},
        {"{\"access_token\": \"SECRETTOKEN\", \"token_type\": \"mac\", \"expires_in\": 10}", "not Bearer"},
        {"{\"access_token\": \"SECRETTOKEN\", \"token_type\": null, \"expires_in\": 10}", "not Bearer"},
        {"{\"access_token\": \"SECRETTOKEN\"}", "no expires_in"},
        {"{\"access_token\": \"SECRETTOKEN\", \"expires_in\": -1}", "out of range"},
        {"{\"access_token\": \"SECRETTOKEN\", \"expires_in\": 1e12}", "out of range"},
        {"{\"access_token\": \"SECRETTOKEN\", \"expires_in\": \"\"}", "not a number"},
        {"{\"access_token\": \"SECRETTOKEN\", \"expires_in\": \"12a\"}", "not a number"},
        {"{\"access_token\": \"SECRETTOKEN\", \"expires_in\": \"-5\"}", "not a number"},
        {"{\"access_token\": \"SECRETTOKEN\", \"expires_in\": \"99999999999\"}", "not a number"},
        {"{\"access_token\": \"SECRETTOKEN\", \"expires_in\": true}", "no expires_in"},
        {"{\"access_token\": \"SECRETTOKEN\"", "not valid JSON"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tiso_status st = token(&tok, &life, bad[i].body, &err);
        if (st != TISO_E_BAD_RESPONSE)
            fail_msg("case %zu: %s", i, tiso_status_name(st));
        expect_message(&err, bad[i].part);
        assert_null(tok);
        assert_null(strstr(err.message, "SECRET"));
    }
}

static void service_errors(void **state)
{
    (void)state;
    tiso__service_error e;
    char buf[512];
    const char *login = "{\"error\":\"invalid_tenant\",\"error_description\":\"AADSTS90002: Tenant 'x.com' not "
                        "found.\\r\\nTrace ID: 1\\r\\nCorrelation ID: 2\",\"error_codes\":[90002],\"timestamp\":\"t\"}";
    assert_true(tiso__parse_service_error(&e, login, strlen(login)));
    assert_string_equal(e.code, "invalid_tenant");
    assert_string_equal(e.description, "AADSTS90002: Tenant 'x.com' not found.");
    assert_int_equal(e.aadsts, 90002);
    assert_true(tiso__service_error_is_unknown_tenant(&e));
    assert_string_equal(tiso__service_error_text(&e, buf, sizeof buf),
                        "invalid_tenant: AADSTS90002: Tenant 'x.com' not found.");

    const char *nocodes =
        "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret.\"}";
    assert_true(tiso__parse_service_error(&e, nocodes, strlen(nocodes)));
    assert_int_equal(e.aadsts, 7000215);
    assert_false(tiso__service_error_is_unknown_tenant(&e));

    const char *graph =
        "{\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"Resource 'x' does not exist.\","
        "\"innerError\":{\"date\":\"d\"}}}";
    assert_true(tiso__parse_service_error(&e, graph, strlen(graph)));
    assert_string_equal(e.code, "Request_ResourceNotFound");
    assert_string_equal(tiso__service_error_text(&e, buf, sizeof buf),
                        "Request_ResourceNotFound: Resource 'x' does not exist.");
    assert_false(tiso__service_error_is_unknown_tenant(&e));

    const char *only_code = "{\"error\":\"invalid_tenant\"}";
    assert_true(tiso__parse_service_error(&e, only_code, strlen(only_code)));
    assert_true(tiso__service_error_is_unknown_tenant(&e));
    assert_string_equal(tiso__service_error_text(&e, buf, sizeof buf), "invalid_tenant");

    static const char *const none[] = {"",    "<html>502 Bad Gateway</html>", "{}", "{\"error\": 5}",
                                       "[1]", "{\"error\": {\"code\": 1}}"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        assert_false(tiso__parse_service_error(&e, none[i], strlen(none[i])));
        assert_string_equal(tiso__service_error_text(&e, buf, sizeof buf), "");
    }
    assert_false(tiso__parse_service_error(&e, NULL, 0));
}

static void retry_after(void **state)
{
    (void)state;
    uint64_t ms;
    static const struct {
        const char *v;
        uint64_t ms;
    } ok[] = {
        {"120", 120000}, {" 2.128 ", 2128}, {"0.35", 350}, {"1.0001", 1001},
        {"0", 0},        {"0.000", 0},      {"3.5", 3500}, {"99999999999999999999", 31536000000u},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (!tiso__parse_retry_after(&ms, ok[i].v, strlen(ok[i].v), 0))
            fail_msg("'%s' refused", ok[i].v);
        if (ms != ok[i].ms)
            fail_msg("'%s': %llu ms", ok[i].v, (unsigned long long)ms);
    }
    /* 1994-11-06 08:49:37 UTC is 784111777, in all three HTTP-date forms. */
    const int64_t t = 784111777;
    static const char *const dates[] = {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                                        "Sun Nov  6 08:49:37 1994"};
    for (size_t i = 0; i < 3; i++) {
        assert_true(tiso__parse_retry_after(&ms, dates[i], strlen(dates[i]), t - 10));
        assert_int_equal(ms, 10000);
        assert_true(tiso__parse_retry_after(&ms, dates[i], strlen(dates[i]), t + 10));
        assert_int_equal(ms, 0); /* in the past: now */
    }
    const char *y2k = "Sat, 01 Jan 2000 00:00:00 GMT";
    assert_true(tiso__parse_retry_after(&ms, y2k, strlen(y2k), 946684800 - 2));
    assert_int_equal(ms, 2000);
    const char *leap = "Thu, 29 Feb 2024 12:00:00 GMT";
    assert_true(tiso__parse_retry_after(&ms, leap, strlen(leap), 1709208000 - 1));
    assert_int_equal(ms, 1000);

    static const char *const bad[] = {"",
                                      "   ",
                                      "-1",
                                      "1e3",
                                      "1.",
                                      ".5",
                                      "abc",
                                      "1 2",
                                      "0x10",
                                      "+5",
                                      "Sun, 06 Nov 1994 08:49:37 UTC",
                                      "Sun, 6 Nov 1994 08:49:37 GMT",
                                      "Sun, 06 Nov 1994 25:49:37 GMT",
                                      "Sun, 00 Nov 1994 08:49:37 GMT",
                                      "Xyz, 06 Nov 1994 08:49:37 GMT",
                                      "Sun, 06 Nov 1994 08:49:37 GMT x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (tiso__parse_retry_after(&ms, bad[i], strlen(bad[i]), t))
            fail_msg("'%s' accepted", bad[i]);
    assert_false(tiso__parse_retry_after(&ms, NULL, 0, t));
    /* Not NUL-terminated: only `len` bytes count. */
    assert_true(tiso__parse_retry_after(&ms, "12345", 2, 0));
    assert_int_equal(ms, 12000);
}

static void text_helpers(void **state)
{
    (void)state;
    char out[16];
    tiso__sanitize_text(out, sizeof out,
                        "ab\tc\x7f"
                        "d\r\nsecond",
                        17);
    assert_string_equal(out, "ab c d");
    tiso__sanitize_text(out, sizeof out, "\xff\xc3(ok", 5);
    assert_string_equal(out, "?"
                             "?(ok");
    tiso__sanitize_text(out, 6, "abcd\xc3\xa9", 6); /* é would not fit whole */
    assert_string_equal(out, "abcd");
    tiso__sanitize_text(out, 7, "abcd\xc3\xa9", 6);
    assert_string_equal(out, "abcd\xc3\xa9");
    tiso__sanitize_text(out, sizeof out, "\xed\xa0\x80x", 4); /* a UTF-16 surrogate */
    assert_string_equal(out, "???x");
    tiso__sanitize_text(out, sizeof out, NULL, 0);
    assert_string_equal(out, "");
    tiso__copy_utf8(out, sizeof out, "line1\nline2");
    assert_string_equal(out, "line1 line2");
    tiso__copy_utf8(out, sizeof out, NULL);
    assert_string_equal(out, "");

    assert_true(tiso__token_chars_ok("eyJ0eXAi.x-y_z~+/=", 18));
    assert_false(tiso__token_chars_ok("a b", 3));
    assert_false(tiso__token_chars_ok("a\r", 2));
    assert_false(tiso__token_chars_ok("\xc3\xa9", 2));
    assert_false(tiso__token_chars_ok("", 0));
    assert_false(tiso__token_chars_ok(NULL, 1));
}

/* Allocation-failure injection over each parser (the library's own
 * allocations; cJSON allocates through its global hooks, which a library
 * must leave alone): for every N, the Nth allocation and all after it fail.
 * Each parse must succeed or say TISO_E_NOMEM, and hand out nothing then. */
static void parsers_under_allocation_failure(void **state)
{
    (void)state;
    static const char info_body[] =
        "{\"tenantId\": \"" TID "\", \"displayName\": \"Contoso\", "
        "\"defaultDomainName\": \"contoso.onmicrosoft.com\", \"federationBrandName\": \"C\"}";
    static const char openid_body[] =
        "{\"issuer\": \"https://login.microsoftonline.com/" TID "/v2.0\", "
        "\"token_endpoint\": \"https://login.microsoftonline.com/" TID "/oauth2/v2.0/token\"}";
    static const char token_body[] =
        "{\"token_type\": \"Bearer\", \"expires_in\": \"3599\", \"access_token\": \"eyJ.a\"}";
    for (int which = 0; which < 3; which++) {
        size_t n = 1, made;
        for (;; n++) {
            tiso_error err;
            tiso_graph_tenant_info info;
            tiso_tenant_id id;
            char *tok = NULL;
            uint64_t life = 0;
            tiso__test_fail_alloc_after(n);
            tiso_status st = which == 0   ? tenant_info(&info, info_body, &err)
                             : which == 1 ? openid(&id, openid_body, &err)
                                          : token(&tok, &life, token_body, &err);
            made = tiso__test_fail_alloc_after(0);
            if (st != TISO_OK && st != TISO_E_NOMEM)
                fail_msg("parser %d, allocation %zu failing: %s (%s)", which, n, tiso_status_name(st), err.message);
            if (st == TISO_E_NOMEM && tok != NULL)
                fail_msg("parser %d handed out a token after running out of memory", which);
            tiso__free(tok);
            if (made < n) { /* every allocation succeeded: the sweep is complete */
                assert_int_equal(st, TISO_OK);
                break;
            }
        }
        printf("parser %d: %zu allocation counts swept\n", which, n);
    }
}

/* Renewal, counted from when the token was requested: five minutes before it
 * expires; at half its lifetime when it lives under ten minutes. */
static void token_renewal_rule(void **state)
{
    (void)state;
    const uint64_t S = 1000000000u;
    /* Under ten minutes: at half the lifetime (the margin in whole seconds). */
    assert_true(tiso__token_renew_after_ns(0) == 0);
    assert_true(tiso__token_renew_after_ns(1) == 1 * S);
    assert_true(tiso__token_renew_after_ns(2) == 1 * S); /* the live test's short-lived tenant */
    assert_true(tiso__token_renew_after_ns(3) == 2 * S);
    assert_true(tiso__token_renew_after_ns(301) == 151 * S);
    assert_true(tiso__token_renew_after_ns(598) == 299 * S);
    assert_true(tiso__token_renew_after_ns(599) == 300 * S);
    /* From ten minutes on: five minutes before it expires. */
    assert_true(tiso__token_renew_after_ns(600) == 300 * S);
    assert_true(tiso__token_renew_after_ns(601) == 301 * S);
    assert_true(tiso__token_renew_after_ns(3599) == 3299 * S); /* Entra's usual token */
    assert_true(tiso__token_renew_after_ns(86399) == 86099 * S);
    assert_true(tiso__token_renew_after_ns(315360000u) == (315360000u - 300u) * S); /* the parser's cap */
    /* Everywhere: never after expiry, never before half the lifetime, never
     * sooner for a longer-lived token, and at most five minutes early. */
    uint64_t prev = 0;
    for (uint64_t life = 0; life <= 4000; life++) {
        uint64_t at = tiso__token_renew_after_ns(life);
        if (at > life * S || 2 * at < life * S || at < prev || life * S - at > 300 * S)
            fail_msg("lifetime %llu s: renewed after %llu ns", (unsigned long long)life, (unsigned long long)at);
        if (life >= 600 && at != (life - 300) * S)
            fail_msg("lifetime %llu s: not five minutes early", (unsigned long long)life);
        prev = at;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tenant_info_valid),  cmocka_unit_test(tenant_info_invalid),
        cmocka_unit_test(openid_config),      cmocka_unit_test(token_response),
        cmocka_unit_test(service_errors),     cmocka_unit_test(retry_after),
        cmocka_unit_test(text_helpers),       cmocka_unit_test(parsers_under_allocation_failure),
        cmocka_unit_test(token_renewal_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
