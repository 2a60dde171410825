/* Decision messages: one sentence a person can act on, naming the tenants
 * (SPEC 3, tiso_decision_message). */
#include <string.h>

#include "test_util.h"

static tiso_policy *g_policy;

static int setup(void **state)
{
    (void)state;
    g_policy = tt_load("{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
                       "{\"tenantId\": \"" TENANT_A "\", \"direction\": {\"inbound\": true, \"outbound\": true}}]}",
                       NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tiso_policy_free(g_policy);
    return 0;
}

/* The message of a decision, checked to be complete and consistent with
 * the returned length. */
static void message_of(const char *creator, const char *target, char *buf, size_t size)
{
    tiso_decision d;
    assert_int_equal(tiso_evaluate(&d, g_policy, creator, target, TISO_DIRECTION_AUTO), TISO_OK);
    size_t need = tiso_decision_message(buf, size, &d);
    assert_true(need > 0);
    assert_true(need < size);
    assert_int_equal(strlen(buf), need);
    assert_int_equal(tiso_decision_message(NULL, 0, &d), need);
}

static void outbound_deny_names_both_tenants_and_the_fix(void **state)
{
    (void)state;
    char msg[1024];
    message_of(CONTOSO, FABRIKAM, msg, sizeof msg);
    tt_assert_contains(msg, "utbound");
    tt_assert_contains(msg, CONTOSO);
    tt_assert_contains(msg, FABRIKAM);
    tt_assert_contains(msg, "blocked");
    tt_assert_contains(msg, "allowlist");
    tt_assert_contains(msg, "administrator");
}

static void inbound_deny_says_inbound(void **state)
{
    (void)state;
    char msg[1024];
    message_of(FABRIKAM, CONTOSO, msg, sizeof msg);
    tt_assert_contains(msg, "nbound");
    tt_assert_contains(msg, CONTOSO);
    tt_assert_contains(msg, FABRIKAM);
    tt_assert_contains(msg, "blocked");
    tt_assert_contains(msg, "inbound allowlist");
}

static void allows_say_allowed(void **state)
{
    (void)state;
    char msg[1024];
    message_of(CONTOSO, TENANT_A, msg, sizeof msg);
    tt_assert_contains(msg, "llowed"); /* Allowed or allowed */
    tt_assert_contains(msg, TENANT_A);
    message_of(CONTOSO, CONTOSO, msg, sizeof msg);
    tt_assert_contains(msg, "llowed"); /* Allowed or allowed */
    message_of(TENANT_A, TENANT_B, msg, sizeof msg);
    tt_assert_contains(msg, "llowed"); /* Allowed or allowed */
}

static void wildcard_allow_is_described(void **state)
{
    (void)state;
    tiso_policy *p = tt_load("{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
                             "{\"tenantId\": \"*\", \"direction\": {\"inbound\": false, \"outbound\": true}}]}",
                             NULL);
    tiso_decision d;
    char msg[1024];
    assert_int_equal(tiso_evaluate(&d, p, CONTOSO, TENANT_B, TISO_DIRECTION_AUTO), TISO_OK);
    assert_true(tiso_decision_message(msg, sizeof msg, &d) < sizeof msg);
    tt_assert_contains(msg, "llowed"); /* Allowed or allowed */
    tt_assert_contains(msg, TENANT_B);
    tt_assert_contains(msg, "*");
    tiso_policy_free(p);
}

static void truncates_like_snprintf(void **state)
{
    (void)state;
    tiso_decision d;
    assert_int_equal(tiso_evaluate(&d, g_policy, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_OK);
    size_t need = tiso_decision_message(NULL, 0, &d);
    char small[11];
    memset(small, 'x', sizeof small);
    assert_int_equal(tiso_decision_message(small, 10, &d), need);
    assert_int_equal(strlen(small), 9);
    assert_int_equal(small[10], 'x'); /* nothing written past size */
    char one[1] = {'x'};
    assert_int_equal(tiso_decision_message(one, 1, &d), need);
    assert_int_equal(one[0], '\0');
}

static void error_decision_and_null(void **state)
{
    (void)state;
    tiso_decision d;
    char msg[512];
    assert_int_equal(tiso_evaluate(&d, g_policy, "bad", CONTOSO, TISO_DIRECTION_AUTO),
                     TISO_E_INVALID_TENANT);
    size_t n = tiso_decision_message(msg, sizeof msg, &d); /* must not crash or say "allowed" */
    assert_int_equal(strlen(msg), n < sizeof msg ? n : sizeof msg - 1);
    assert_null(strstr(msg, " is allowed"));
    assert_int_equal(tiso_decision_message(msg, sizeof msg, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(outbound_deny_names_both_tenants_and_the_fix),
        cmocka_unit_test(inbound_deny_says_inbound),
        cmocka_unit_test(allows_say_allowed),
        cmocka_unit_test(wildcard_allow_is_described),
        cmocka_unit_test(truncates_like_snprintf),
        cmocka_unit_test(error_decision_and_null),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
