/* Unit tests of the live client's pure parts (src/live/live_url.c,
 * live_common.c): the policy URL, the rule that keeps the bearer token on
 * the configured host, the clamp of the wait between polls, an operation's
 * outcome, what a push refuses before sending anything, and when two
 * policies say the same to the service. No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "live/live_internal.h"

#define HOME "00000000-0000-0000-0000-000000000001"
#define TA "11111111-1111-1111-1111-111111111111"

static tiso_tenant_id tid(const char *s)
{
    tiso_tenant_id t;
    assert_int_equal(tiso_tenant_id_parse(&t, s, strlen(s)), TISO_OK);
    return t;
}

static tiso_policy *load(const char *json)
{
    tiso_policy *p = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_load_json(&p, json, strlen(json), NULL, &err), TISO_OK);
    return p;
}

static void policy_url(void **state)
{
    (void)state;
    tiso_tenant_id t = tid("00000000-0000-0000-0000-00000000000A");
    char *url = tiso__live_policy_url("https://api.bap.microsoft.com", &t);
    assert_string_equal(url, "https://api.bap.microsoft.com/providers/PowerPlatform.Governance/v1/tenants/"
                             "00000000-0000-0000-0000-00000000000a/tenantIsolationPolicy?api-version=2020-06-01");
    tiso__free(url);
}

static void same_origin(void **state)
{
    (void)state;
    const char *base = "https://api.bap.microsoft.com";
    assert_true(tiso__live_same_origin("https://api.bap.microsoft.com/x/operations/1?api-version=1", base));
    assert_true(tiso__live_same_origin("HTTPS://API.BAP.MICROSOFT.COM:443/x", base));
    assert_true(tiso__live_same_origin("http://127.0.0.1:8080/op", "http://127.0.0.1:8080"));
    /* Another host, scheme or port; look-alikes; credentials; junk. */
    assert_false(tiso__live_same_origin("https://evil.example/x", base));
    assert_false(tiso__live_same_origin("https://api.bap.microsoft.com.evil.example/x", base));
    assert_false(tiso__live_same_origin("https://evil.example/api.bap.microsoft.com", base));
    assert_false(tiso__live_same_origin("https://api.bap.microsoft.com@evil.example/x", base));
    assert_false(tiso__live_same_origin("https://user:pw@api.bap.microsoft.com/x", base));
    assert_false(tiso__live_same_origin("http://api.bap.microsoft.com/x", base));
    assert_false(tiso__live_same_origin("https://api.bap.microsoft.com:8443/x", base));
    assert_false(tiso__live_same_origin("http://127.0.0.1:8081/op", "http://127.0.0.1:8080"));
    assert_false(tiso__live_same_origin("http://localhost:8080/op", "http://127.0.0.1:8080"));
    assert_false(tiso__live_same_origin("/relative/operations/1", base));
    assert_false(tiso__live_same_origin("https://api.bap.microsoft.com/a b", base));
    assert_false(tiso__live_same_origin("", base));
    assert_false(tiso__live_same_origin(NULL, base));
}

static void poll_wait_clamped(void **state)
{
    (void)state;
    const uint32_t floor = TISO_LIVE_POLL_FLOOR_MS;
    assert_int_equal(tiso__live_poll_wait_ms(NULL, 0, floor), 2000);
    assert_int_equal(tiso__live_poll_wait_ms("0", 0, floor), 2000);
    assert_int_equal(tiso__live_poll_wait_ms("1", 0, floor), 2000);
    assert_int_equal(tiso__live_poll_wait_ms("2.5", 0, floor), 2500);
    assert_int_equal(tiso__live_poll_wait_ms("30", 0, floor), 30000);
    assert_int_equal(tiso__live_poll_wait_ms("61", 0, floor), 60000);
    assert_int_equal(tiso__live_poll_wait_ms("86400", 0, floor), 60000);
    assert_int_equal(tiso__live_poll_wait_ms("soon", 0, floor), 2000);
    /* An HTTP date 10 s after "now" (Sun, 06 Nov 1994 08:49:37 GMT = 784111777). */
    assert_int_equal(tiso__live_poll_wait_ms("Sun, 06 Nov 1994 08:49:47 GMT", 784111777, floor), 10000);
    assert_int_equal(tiso__live_poll_wait_ms("Sun, 06 Nov 1994 08:49:47 GMT", 784111800, floor), 2000);
    /* The test-only floor lowers only the floor, never the cap. */
    assert_int_equal(tiso__live_poll_wait_ms("0", 0, 50), 50);
    assert_int_equal(tiso__live_poll_wait_ms("100000", 0, 50), 60000);
}

static void operation_outcome(void **state)
{
    (void)state;
    char d[200];
    const char *ok = "{\"id\": \"1\", \"status\": \"Succeeded\"}";
    assert_false(tiso__live_operation_failed(ok, strlen(ok), d, sizeof d));
    assert_false(tiso__live_operation_failed("", 0, d, sizeof d));
    const char *failed = "{\"status\": \"Failed\", \"error\": {\"code\": \"X1\", \"message\": \"could not\"}}";
    assert_true(tiso__live_operation_failed(failed, strlen(failed), d, sizeof d));
    assert_string_equal(d, "X1: could not");
    const char *canceled = "{\"status\": \"canceled\"}";
    assert_true(tiso__live_operation_failed(canceled, strlen(canceled), d, sizeof d));
    assert_string_equal(d, "");
}

static void pushable(void **state)
{
    (void)state;
    tiso_tenant_id home = tid(HOME), other = tid(TA);
    tiso_policy *p = load("{\"properties\": {\"tenantId\": \"" HOME "\", \"isDisabled\": false, \"allowedTenants\": []}}");
    tiso_error err;
    assert_int_equal(tiso_live_policy_check_pushable(p, &home, NULL, &err), TISO_OK);
    assert_int_equal(tiso_live_policy_check_pushable(p, &other, NULL, &err), TISO_E_CONFLICT);
    assert_non_null(strstr(err.message, "nothing pushed"));
    assert_int_equal(tiso_live_policy_check_pushable(p, &home, "abc", &err), TISO_E_INVALID_ARGUMENT);
    char sha[65];
    memset(sha, 'A', 64);
    sha[64] = '\0';
    assert_int_equal(tiso_live_policy_check_pushable(p, &home, sha, &err), TISO_OK);
    tiso_policy_free(p);
    /* 500 rules pass, 501 do not. */
    tiso_policy_builder *b = NULL;
    assert_int_equal(tiso_policy_builder_new(&b, &err), TISO_OK);
    assert_int_equal(tiso_policy_builder_set_home(b, &home), TISO_OK);
    for (unsigned i = 1; i <= 501; i++) {
        tiso_tenant_id t = home;
        t.bytes[14] = (uint8_t)(i >> 8);
        t.bytes[15] = (uint8_t)(i & 0xff);
        t.bytes[0] = 0x42;
        assert_int_equal(tiso_policy_builder_add(b, &t, TISO_ALLOW_INBOUND, NULL, NULL, &err), TISO_OK);
        if (i >= 500) {
            assert_int_equal(tiso_policy_builder_build(&p, b, &err), TISO_OK);
            assert_int_equal(tiso_live_policy_check_pushable(p, &home, NULL, &err), i == 500 ? TISO_OK : TISO_E_LIMIT);
            tiso_policy_free(p);
        }
    }
    tiso_policy_builder_free(b);
}

static void same_policy(void **state)
{
    (void)state;
    tiso_policy *a = load("{\"properties\": {\"tenantId\": \"" HOME "\", \"isDisabled\": false, \"allowedTenants\": ["
                          "{\"tenantId\": \"" TA "\", \"tenantDisplayName\": \"F\", \"direction\": {\"inbound\": true}}]}}");
    tiso_policy *b = load("{\"id\": \"x\", \"properties\": {\"tenantId\": \"" HOME "\", \"isDisabled\": false, "
                          "\"allowedTenants\": [{\"tenantId\": \"" TA "\", \"direction\": {\"inbound\": true, "
                          "\"outbound\": false}}]}}");
    tiso_policy *c = load("{\"properties\": {\"tenantId\": \"" HOME "\", \"isDisabled\": true, \"allowedTenants\": ["
                          "{\"tenantId\": \"" TA "\", \"direction\": {\"inbound\": true}}]}}");
    tiso_policy *d = load("{\"properties\": {\"tenantId\": \"" HOME "\", \"isDisabled\": false, \"allowedTenants\": ["
                          "{\"tenantId\": \"" TA "\", \"direction\": {\"inbound\": true, \"outbound\": true}}]}}");
    assert_true(tiso_live_policy_same(a, b));
    assert_false(tiso_live_policy_same(a, c));
    assert_false(tiso_live_policy_same(a, d));
    assert_false(tiso_live_policy_same(a, NULL));
    tiso_policy_free(a);
    tiso_policy_free(b);
    tiso_policy_free(c);
    tiso_policy_free(d);
}

static void clouds(void **state)
{
    (void)state;
    tiso_cloud c;
    assert_int_equal(tiso_cloud_parse(&c, "gcc", 3), TISO_OK);
    assert_string_equal(tiso_cloud_bap_url(c), "https://gov.api.bap.microsoft.us");
    assert_string_equal(tiso_cloud_login_url(c), "https://login.microsoftonline.com");
    assert_string_equal(tiso_cloud_bap_scope(TISO_CLOUD_GLOBAL), "https://service.powerapps.com/.default");
    assert_string_equal(tiso_cloud_powerplatform_scope(TISO_CLOUD_GLOBAL), "https://api.powerplatform.com/.default");
    assert_string_equal(tiso_cloud_bap_url(TISO_CLOUD_USGOV), "https://high.api.bap.microsoft.us");
    assert_string_equal(tiso_cloud_bap_url(TISO_CLOUD_DOD), "https://api.bap.appsplatform.us");
    assert_string_equal(tiso_cloud_powerplatform_url(TISO_CLOUD_CHINA),
                        "https://api.powerplatform.partner.microsoftonline.cn");
    assert_null(tiso_cloud_bap_url((tiso_cloud)99));
    tiso_live_options o;
    tiso_live_options_init(&o);
    assert_int_equal(o.poll_floor_ms, TISO_LIVE_POLL_FLOOR_MS);
    /* The bap URL is checked like Graph's: https, or http to loopback only. */
    o.bap_url = "http://bap.example";
    tiso_live_client *cl = NULL;
    tiso_error err;
    assert_int_equal(tiso_live_client_new(&cl, &o, &err), TISO_E_INVALID_ARGUMENT);
    assert_null(cl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(policy_url),     cmocka_unit_test(same_origin), cmocka_unit_test(poll_wait_clamped),
        cmocka_unit_test(operation_outcome), cmocka_unit_test(pushable), cmocka_unit_test(same_policy),
        cmocka_unit_test(clouds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
