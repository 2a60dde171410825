/* Building policies in code (tiso_policy_builder_*). */
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static tiso_policy_builder *new_builder(void)
{
    tiso_policy_builder *b = NULL;
    assert_int_equal(tiso_policy_builder_new(&b, NULL), TISO_OK);
    assert_non_null(b);
    return b;
}

static tiso_policy *build(const tiso_policy_builder *b)
{
    tiso_policy *p = NULL;
    tiso_error err;
    tiso_status s = tiso_policy_builder_build(&p, b, &err);
    if (s != TISO_OK) {
        fail_msg("build: %s: %s", tiso_status_name(s), err.message);
    }
    return p;
}

static void empty_builder_defaults(void **state)
{
    (void)state;
    tiso_policy_builder *b = new_builder();
    tiso_policy *p = build(b);
    tiso_tenant_id id;
    assert_int_equal(tiso_policy_home_tenant(&id, p), 0);
    assert_int_equal(tiso_policy_isolation_enabled(p), 1);
    assert_int_equal(tiso_policy_evaluates_non_entra(p), 0);
    assert_int_equal(tiso_policy_entry_count(p), 0);
    assert_string_equal(tiso_policy_source(p), "<builder>");
    tiso_policy_free(p);
    tiso_policy_builder_free(b);
}

static void builds_what_was_set(void **state)
{
    (void)state;
    tiso_policy_builder *b = new_builder();
    tiso_tenant_id home = tt_id(CONTOSO), f = tt_id(FABRIKAM), got;
    tiso_error err;
    assert_int_equal(tiso_policy_builder_set_home(b, &home), TISO_OK);
    assert_int_equal(tiso_policy_builder_set_isolation(b, 0), TISO_OK);
    assert_int_equal(tiso_policy_builder_set_evaluate_non_entra(b, 1), TISO_OK);
    assert_int_equal(tiso_policy_builder_add(b, &f, TISO_ALLOW_INBOUND, "Fabrikam", "Fabrikam.COM", &err), TISO_OK);
    assert_int_equal(tiso_policy_builder_add(b, NULL, TISO_ALLOW_OUTBOUND, NULL, NULL, &err), TISO_OK);
    assert_int_equal(tiso_policy_builder_add(b, &f, 0, NULL, NULL, &err), TISO_OK);
    tiso_policy *p = build(b);
    assert_int_equal(tiso_policy_home_tenant(&got, p), 1);
    assert_true(tiso_tenant_id_equal(&got, &home));
    assert_int_equal(tiso_policy_isolation_enabled(p), 0);
    assert_int_equal(tiso_policy_evaluates_non_entra(p), 1);
    assert_int_equal(tiso_policy_entry_count(p), 3);
    tiso_policy_entry e;
    assert_int_equal(tiso_policy_entry_at(&e, p, 0), TISO_OK);
    assert_true(tiso_tenant_id_equal(&e.tenant, &f));
    assert_int_equal(e.directions, TISO_ALLOW_INBOUND);
    assert_string_equal(e.display_name, "Fabrikam");
    assert_string_equal(e.domain, "fabrikam.com");
    assert_int_equal(tiso_policy_entry_at(&e, p, 1), TISO_OK);
    assert_int_equal(e.is_wildcard, 1);
    assert_true(tiso_tenant_id_is_nil(&e.tenant));
    assert_int_equal(e.directions, TISO_ALLOW_OUTBOUND);
    assert_int_equal(tiso_policy_entry_at(&e, p, 2), TISO_OK);
    assert_int_equal(e.directions, 0);
    tiso_policy_free(p);
    tiso_policy_builder_free(b);
}

static void strings_are_copied(void **state)
{
    (void)state;
    tiso_policy_builder *b = new_builder();
    tiso_tenant_id f = tt_id(FABRIKAM);
    char name[] = "Fabrikam", domain[] = "fabrikam.com";
    assert_int_equal(tiso_policy_builder_add(b, &f, TISO_ALLOW_INBOUND, name, domain, NULL), TISO_OK);
    memset(name, 'X', sizeof name - 1);
    memset(domain, 'x', sizeof domain - 1);
    tiso_policy *p = build(b);
    tiso_policy_builder_free(b); /* the policy owns its own copies */
    tiso_policy_entry e;
    assert_int_equal(tiso_policy_entry_at(&e, p, 0), TISO_OK);
    assert_string_equal(e.display_name, "Fabrikam");
    assert_string_equal(e.domain, "fabrikam.com");
    tiso_policy_free(p);
}

static void builder_is_reusable(void **state)
{
    (void)state;
    tiso_policy_builder *b = new_builder();
    tiso_tenant_id home = tt_id(CONTOSO), f = tt_id(FABRIKAM), a = tt_id(TENANT_A);
    assert_int_equal(tiso_policy_builder_set_home(b, &home), TISO_OK);
    assert_int_equal(tiso_policy_builder_add(b, &f, TISO_ALLOW_OUTBOUND, NULL, NULL, NULL), TISO_OK);
    tiso_policy *first = build(b);
    assert_int_equal(tiso_policy_builder_add(b, &a, TISO_ALLOW_OUTBOUND, NULL, NULL, NULL), TISO_OK);
    tiso_policy *second = build(b);
    assert_int_equal(tiso_policy_entry_count(first), 1);
    assert_int_equal(tiso_policy_entry_count(second), 2);
    tiso_decision d;
    assert_int_equal(tiso_evaluate(&d, first, CONTOSO, TENANT_A, TISO_DIRECTION_AUTO), TISO_OK);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_int_equal(tiso_evaluate(&d, second, CONTOSO, TENANT_A, TISO_DIRECTION_AUTO), TISO_OK);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_int_equal(d.rule, 1);
    assert_int_equal(tiso_policy_builder_set_home(b, NULL), TISO_OK); /* clears it */
    tiso_policy *third = build(b);
    assert_int_equal(tiso_policy_home_tenant(&home, third), 0);
    tiso_policy_free(first);
    tiso_policy_free(second);
    tiso_policy_free(third);
    tiso_policy_builder_free(b);
}

static void rejects_bad_input(void **state)
{
    (void)state;
    tiso_policy_builder *b = new_builder();
    tiso_tenant_id nil, f = tt_id(FABRIKAM);
    memset(&nil, 0, sizeof nil);
    tiso_error err;
    assert_int_equal(tiso_policy_builder_set_home(b, &nil), TISO_E_INVALID_TENANT);
    assert_int_equal(tiso_policy_builder_add(b, &nil, TISO_ALLOW_INBOUND, NULL, NULL, &err), TISO_E_INVALID_TENANT);
    tt_assert_error(&err, TISO_E_INVALID_TENANT);
    assert_int_equal(tiso_policy_builder_add(b, &f, 0x4u, NULL, NULL, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_builder_add(b, &f, TISO_ALLOW_INBOUND, NULL, "evil.com/x", &err),
                     TISO_E_INVALID_DOMAIN);
    tt_assert_error(&err, TISO_E_INVALID_DOMAIN);
    assert_int_equal(tiso_policy_builder_add(b, &f, TISO_ALLOW_INBOUND, NULL, "", &err),
                     TISO_E_INVALID_DOMAIN);
    /* The loader refuses "*" with a domain, so the builder must too: what is
     * built is written back out and read again. */
    assert_int_equal(tiso_policy_builder_add(b, NULL, TISO_ALLOW_INBOUND, NULL, "fabrikam.com", &err),
                     TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    tiso_policy *p = build(b); /* nothing half-added */
    assert_int_equal(tiso_policy_entry_count(p), 0);
    tiso_policy_free(p);
    tiso_policy_builder_free(b);
}

static void display_name_length_limit(void **state)
{
    (void)state;
    tiso_policy_builder *b = new_builder();
    tiso_tenant_id f = tt_id(FABRIKAM);
    char *ok = tt_repeat('n', TISO_DEFAULT_MAX_STRING_BYTES);
    char *over = tt_repeat('n', TISO_DEFAULT_MAX_STRING_BYTES + 1);
    tiso_error err;
    assert_int_equal(tiso_policy_builder_add(b, &f, TISO_ALLOW_INBOUND, ok, NULL, &err), TISO_OK);
    assert_int_equal(tiso_policy_builder_add(b, &f, TISO_ALLOW_INBOUND, over, NULL, &err), TISO_E_LIMIT);
    tt_assert_error(&err, TISO_E_LIMIT);
    free(ok);
    free(over);
    tiso_policy_builder_free(b);
}

static void entry_count_limit(void **state)
{
    (void)state;
    tiso_policy_builder *b = new_builder();
    tiso_tenant_id id;
    memset(&id, 0, sizeof id);
    id.bytes[0] = 0x42;
    for (uint32_t i = 0; i < TISO_DEFAULT_MAX_ENTRIES; i++) {
        memcpy(id.bytes + 12, &i, sizeof i);
        if (tiso_policy_builder_add(b, &id, TISO_ALLOW_INBOUND, NULL, NULL, NULL) != TISO_OK) {
            fail_msg("entry %u refused", (unsigned)i);
        }
    }
    tiso_error err;
    assert_int_equal(tiso_policy_builder_add(b, NULL, TISO_ALLOW_INBOUND, NULL, NULL, &err), TISO_E_LIMIT);
    tt_assert_error(&err, TISO_E_LIMIT);
    tiso_policy *p = build(b);
    assert_int_equal(tiso_policy_entry_count(p), TISO_DEFAULT_MAX_ENTRIES);
    tiso_policy_free(p);
    tiso_policy_builder_free(b);
}

static void null_arguments(void **state)
{
    (void)state;
    tiso_policy_builder *b = new_builder();
    tiso_policy *p = NULL;
    tiso_tenant_id f = tt_id(FABRIKAM);
    tiso_error err;
    assert_int_equal(tiso_policy_builder_new(NULL, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_builder_set_home(NULL, &f), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_builder_set_isolation(NULL, 1), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_builder_set_evaluate_non_entra(NULL, 1), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_builder_add(NULL, &f, TISO_ALLOW_INBOUND, NULL, NULL, &err),
                     TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_builder_build(NULL, b, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_builder_build(&p, NULL, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_null(p);
    tiso_policy_builder_free(NULL);
    tiso_policy_builder_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_builder_defaults),
        cmocka_unit_test(builds_what_was_set),
        cmocka_unit_test(strings_are_copied),
        cmocka_unit_test(builder_is_reusable),
        cmocka_unit_test(rejects_bad_input),
        cmocka_unit_test(display_name_length_limit),
        cmocka_unit_test(entry_count_limit),
        cmocka_unit_test(null_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
