/* Provenance: source, load time and a content hash that only what affects a
 * decision can change; decisions name the policy that made them
 * (tiso_policy_provenance, tiso_decision.policy_id). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "test_util.h"

#define ENTRY(id, in, out) "{\"tenantId\": \"" id "\", \"direction\": {\"inbound\": " in ", \"outbound\": " out "}}"

static const char BASE[] = "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
                           ENTRY(FABRIKAM, "true", "false") "," ENTRY(TENANT_A, "false", "true") "]}}";

static tiso_provenance provenance_of(const char *json)
{
    tiso_policy *p = tt_load(json, NULL);
    tiso_provenance pv;
    assert_int_equal(tiso_policy_provenance(&pv, p), TISO_OK);
    tiso_policy_free(p);
    pv.source = NULL; /* borrowed from the freed policy */
    return pv;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void fields_are_consistent(void **state)
{
    (void)state;
    int64_t before = now_ns();
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    opts.source = "contoso.json";
    tiso_policy *p = tt_load(BASE, &opts);
    int64_t after = now_ns();
    tiso_provenance pv;
    assert_int_equal(tiso_policy_provenance(&pv, p), TISO_OK);
    assert_string_equal(pv.source, "contoso.json");
    assert_true(pv.loaded_at_ns >= before - 1000000000 && pv.loaded_at_ns <= after + 1000000000);
    char hex[65];
    for (size_t i = 0; i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", pv.sha256[i]);
    }
    assert_string_equal(pv.sha256_hex, hex);
    uint64_t id = 0;
    for (size_t i = 0; i < 8; i++) {
        id = (id << 8) | pv.sha256[i];
    }
    assert_true(pv.id == id);
    assert_true(pv.id != 0);
    tiso_policy_free(p);
}

static void hash_ignores_formatting_names_and_unknown_keys(void **state)
{
    (void)state;
    tiso_provenance a = provenance_of(BASE);
    tiso_provenance b = provenance_of(
        "{\"tenantId\": \"C0A7B3E1-5D4F-4E2A-9B1C-000000C07050\",\n  \"isDisabled\": false, \"x\": 1,\n"
        " \"allowedTenants\": [{\"tenantDisplayName\": \"Fabrikam\", \"tenantId\": \"" FABRIKAM "\","
        " \"direction\": {\"outbound\": false, \"inbound\": true}, \"note\": 2},\n"
        ENTRY(TENANT_A, "false", "true") "]}");
    assert_memory_equal(a.sha256, b.sha256, 32);
    assert_true(a.id == b.id);
}

static void hash_follows_what_decides(void **state)
{
    (void)state;
    tiso_provenance base = provenance_of(BASE);
    const char *changed[] = {
        /* isolation off */
        "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": true, \"allowedTenants\": ["
        ENTRY(FABRIKAM, "true", "false") "," ENTRY(TENANT_A, "false", "true") "]}}",
        /* another home */
        "{\"properties\": {\"tenantId\": \"" TENANT_B "\", \"isDisabled\": false, \"allowedTenants\": ["
        ENTRY(FABRIKAM, "true", "false") "," ENTRY(TENANT_A, "false", "true") "]}}",
        /* a direction */
        "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
        ENTRY(FABRIKAM, "true", "true") "," ENTRY(TENANT_A, "false", "true") "]}}",
        /* the order */
        "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
        ENTRY(TENANT_A, "false", "true") "," ENTRY(FABRIKAM, "true", "false") "]}}",
        /* the extension */
        "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"evaluateNonEntraConnectors\": true,"
        " \"allowedTenants\": [" ENTRY(FABRIKAM, "true", "false") "," ENTRY(TENANT_A, "false", "true") "]}}",
        /* one entry fewer */
        "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
        ENTRY(FABRIKAM, "true", "false") "]}}",
    };
    for (size_t i = 0; i < sizeof changed / sizeof changed[0]; i++) {
        tiso_provenance pv = provenance_of(changed[i]);
        if (memcmp(pv.sha256, base.sha256, 32) == 0) {
            fail_msg("change %zu did not change the hash", i);
        }
    }
}

static void builder_and_loader_agree(void **state)
{
    (void)state;
    tiso_policy_builder *b = NULL;
    tiso_tenant_id home = tt_id(CONTOSO), f = tt_id(FABRIKAM), a = tt_id(TENANT_A);
    assert_int_equal(tiso_policy_builder_new(&b, NULL), TISO_OK);
    assert_int_equal(tiso_policy_builder_set_home(b, &home), TISO_OK);
    assert_int_equal(tiso_policy_builder_add(b, &f, TISO_ALLOW_INBOUND, "Fabrikam", NULL, NULL), TISO_OK);
    assert_int_equal(tiso_policy_builder_add(b, &a, TISO_ALLOW_OUTBOUND, NULL, NULL, NULL), TISO_OK);
    tiso_policy *built = NULL;
    assert_int_equal(tiso_policy_builder_build(&built, b, NULL), TISO_OK);
    tiso_provenance pb, pl = provenance_of(BASE);
    assert_int_equal(tiso_policy_provenance(&pb, built), TISO_OK);
    assert_string_equal(pb.source, "<builder>");
    assert_memory_equal(pb.sha256, pl.sha256, 32);
    tiso_policy_free(built);
    tiso_policy_builder_free(b);
}

static void decisions_carry_the_policy_id(void **state)
{
    (void)state;
    tiso_policy *p = tt_load(BASE, NULL);
    tiso_provenance pv;
    assert_int_equal(tiso_policy_provenance(&pv, p), TISO_OK);
    tiso_decision d;
    assert_int_equal(tiso_evaluate(&d, p, FABRIKAM, CONTOSO, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(d.reason, TISO_REASON_ALLOWLISTED);
    assert_true(d.policy_id == pv.id);
    assert_int_equal(tiso_evaluate(&d, p, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(d.reason, TISO_REASON_NOT_ALLOWLISTED);
    assert_true(d.policy_id == pv.id);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate(&d, p, "bad", CONTOSO, TISO_DIRECTION_AUTO), TISO_E_INVALID_TENANT);
    assert_true(d.policy_id == 0);
    tiso_policy_free(p);
}

static void set_decisions_name_the_deciding_policy(void **state)
{
    (void)state;
    tiso_policy *contoso = tt_load(BASE, NULL);
    tiso_policy *fabrikam = tt_load("{\"tenantId\": \"" FABRIKAM "\", \"isDisabled\": false, \"allowedTenants\": []}", NULL);
    tiso_policy_set *set = NULL;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_put(set, contoso, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_put(set, fabrikam, NULL), TISO_OK);
    tiso_provenance pf;
    assert_int_equal(tiso_policy_provenance(&pf, fabrikam), TISO_OK);
    tiso_decision d;
    /* Fabrikam -> Contoso: Fabrikam's outbound side blocks */
    assert_int_equal(tiso_policy_set_evaluate(&d, set, FABRIKAM, CONTOSO, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(d.verdict, TISO_DENY);
    assert_true(d.policy_id == pf.id);
    tiso_policy_set_free(set);
    tiso_policy_free(contoso);
    tiso_policy_free(fabrikam);
}

static void null_arguments(void **state)
{
    (void)state;
    tiso_provenance pv;
    tiso_policy *p = tt_load(BASE, NULL);
    assert_int_equal(tiso_policy_provenance(&pv, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_provenance(NULL, p), TISO_E_INVALID_ARGUMENT);
    tiso_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_are_consistent),
        cmocka_unit_test(hash_ignores_formatting_names_and_unknown_keys),
        cmocka_unit_test(hash_follows_what_decides),
        cmocka_unit_test(builder_and_loader_agree),
        cmocka_unit_test(decisions_carry_the_policy_id),
        cmocka_unit_test(set_decisions_name_the_deciding_policy),
        cmocka_unit_test(null_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
