/* Writing policies back out: load -> to_json -> load gives the same policy
 * (SPEC 4 "written back out in the same JSON", tiso_policy_to_json). */
#include <cjson/cJSON.h>
#include <string.h>

#include "test_util.h"

static const char FULL[] =
    "{\"properties\": {\"tenantId\": \"C0A7B3E1-5D4F-4E2A-9B1C-000000C07050\", \"isDisabled\": false,\n"
    " \"evaluateNonEntraConnectors\": true, \"someFutureField\": 1,\n"
    " \"allowedTenants\": [\n"
    "  {\"tenantId\": \"" FABRIKAM "\", \"tenantDisplayName\": \"Fabrikam \\\"Ltd\\\" \\u00e9\","
    "   \"direction\": {\"inbound\": true, \"outbound\": false}},\n"
    "  {\"tenantId\": \"" TENANT_A "\", \"direction\": {\"inbound\": false, \"outbound\": false}},\n"
    "  {\"tenantId\": \"*\", \"direction\": {\"inbound\": false, \"outbound\": true}},\n"
    "  {\"tenantId\": \"" FABRIKAM "\", \"direction\": {\"inbound\": false, \"outbound\": true}}]}}";

static void assert_same_entries(const tiso_policy *a, const tiso_policy *b)
{
    assert_int_equal(tiso_policy_entry_count(a), tiso_policy_entry_count(b));
    for (size_t i = 0; i < tiso_policy_entry_count(a); i++) {
        tiso_policy_entry ea, eb;
        assert_int_equal(tiso_policy_entry_at(&ea, a, i), TISO_OK);
        assert_int_equal(tiso_policy_entry_at(&eb, b, i), TISO_OK);
        assert_memory_equal(ea.tenant.bytes, eb.tenant.bytes, 16);
        assert_int_equal(ea.is_wildcard, eb.is_wildcard);
        assert_int_equal(ea.directions, eb.directions);
        assert_int_equal(ea.display_name == NULL, eb.display_name == NULL);
        if (ea.display_name != NULL) {
            assert_string_equal(ea.display_name, eb.display_name);
        }
        assert_int_equal(ea.domain == NULL, eb.domain == NULL);
        if (ea.domain != NULL) {
            assert_string_equal(ea.domain, eb.domain);
        }
    }
}

static void assert_same_policy(const tiso_policy *a, const tiso_policy *b)
{
    tiso_tenant_id ha, hb;
    int has_a = tiso_policy_home_tenant(&ha, a), has_b = tiso_policy_home_tenant(&hb, b);
    assert_int_equal(has_a, has_b);
    if (has_a) {
        assert_true(tiso_tenant_id_equal(&ha, &hb));
    }
    assert_int_equal(tiso_policy_isolation_enabled(a), tiso_policy_isolation_enabled(b));
    assert_int_equal(tiso_policy_evaluates_non_entra(a), tiso_policy_evaluates_non_entra(b));
    assert_same_entries(a, b);
}

static tiso_policy *reload(const tiso_policy *p, int pretty, const tiso_load_options *opts)
{
    char *json = NULL;
    size_t len = 0;
    tiso_error err;
    assert_int_equal(tiso_policy_to_json(&json, &len, p, pretty, &err), TISO_OK);
    assert_non_null(json);
    assert_int_equal(strlen(json), len);
    tiso_policy *again = NULL;
    tiso_status s = tiso_policy_load_json(&again, json, len, opts, &err);
    if (s != TISO_OK) {
        fail_msg("reloading %s failed: %s: %s", json, tiso_status_name(s), err.message);
    }
    tiso_free(json);
    return again;
}

static void round_trip_keeps_everything(void **state)
{
    (void)state;
    tiso_policy *p = tt_load(FULL, NULL);
    for (int pretty = 0; pretty <= 1; pretty++) {
        tiso_policy *again = reload(p, pretty, NULL);
        assert_same_policy(p, again);
        tiso_policy *third = reload(again, pretty, NULL);
        assert_same_policy(p, third);
        tiso_policy_free(third);
        tiso_policy_free(again);
    }
    tiso_policy_free(p);
}

static void output_is_the_normalized_admin_document(void **state)
{
    (void)state;
    tiso_policy *p = tt_load(FULL, NULL);
    char *json = NULL;
    assert_int_equal(tiso_policy_to_json(&json, NULL, p, 0, NULL), TISO_OK);
    cJSON *root = cJSON_Parse(json);
    assert_non_null(root);
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(root, "properties");
    assert_true(cJSON_IsObject(props));
    const cJSON *home = cJSON_GetObjectItemCaseSensitive(props, "tenantId");
    assert_true(cJSON_IsString(home));
    assert_string_equal(home->valuestring, CONTOSO); /* canonical lowercase */
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(props, "isDisabled")));
    assert_null(cJSON_GetObjectItemCaseSensitive(props, "someFutureField"));
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(props, "allowedTenants");
    assert_int_equal(cJSON_GetArraySize(list), 4);
    const cJSON *star = cJSON_GetArrayItem(list, 2);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(star, "tenantId")->valuestring, "*");
    const cJSON *dir = cJSON_GetObjectItemCaseSensitive(star, "direction");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(dir, "inbound")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(dir, "outbound")));
    cJSON_Delete(root);
    tiso_free(json);
    tiso_policy_free(p);
}

static void isolation_off_round_trips(void **state)
{
    (void)state;
    tiso_policy *p = tt_load("{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": true, \"allowedTenants\": []}", NULL);
    tiso_policy *again = reload(p, 1, NULL);
    assert_int_equal(tiso_policy_isolation_enabled(again), 0);
    assert_same_policy(p, again);
    tiso_policy_free(again);
    tiso_policy_free(p);
}

static void domain_entries_round_trip(void **state)
{
    (void)state;
    tiso_resolver *r = NULL;
    tiso_tenant_id f = tt_id(FABRIKAM);
    assert_int_equal(tiso_resolver_new_static(&r, NULL), TISO_OK);
    assert_int_equal(tiso_resolver_static_add(r, "fabrikam.com", &f, NULL), TISO_OK);
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    opts.resolver = r;
    tiso_policy *p = tt_load("{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
                             "{\"domain\": \"Fabrikam.com\", \"direction\": {\"inbound\": true, \"outbound\": true}}]}",
                             &opts);
    tiso_policy *again = reload(p, 0, &opts);
    assert_same_policy(p, again);
    tiso_policy_free(again);
    tiso_policy_free(p);
    tiso_resolver_free(r);
}

static void policy_without_home_round_trips(void **state)
{
    (void)state;
    tiso_policy_builder *b = NULL;
    tiso_policy *p = NULL;
    tiso_tenant_id a = tt_id(TENANT_A);
    assert_int_equal(tiso_policy_builder_new(&b, NULL), TISO_OK);
    assert_int_equal(tiso_policy_builder_add(b, &a, TISO_ALLOW_INBOUND, NULL, NULL, NULL), TISO_OK);
    assert_int_equal(tiso_policy_builder_build(&p, b, NULL), TISO_OK);
    tiso_policy *again = reload(p, 0, NULL);
    assert_same_policy(p, again);
    tiso_policy_free(again);
    tiso_policy_free(p);
    tiso_policy_builder_free(b);
}

static void bad_arguments(void **state)
{
    (void)state;
    tiso_policy *p = tt_load(FULL, NULL);
    char *json = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_to_json(&json, NULL, NULL, 0, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_null(json);
    assert_int_equal(tiso_policy_to_json(NULL, NULL, p, 0, &err), TISO_E_INVALID_ARGUMENT);
    tiso_free(NULL);
    tiso_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_keeps_everything),
        cmocka_unit_test(output_is_the_normalized_admin_document),
        cmocka_unit_test(isolation_off_round_trips),
        cmocka_unit_test(domain_entries_round_trip),
        cmocka_unit_test(policy_without_home_round_trips),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
