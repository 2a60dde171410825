/* Comparing two policies tenant by tenant (tiso_policy_compare). */
#include <string.h>

#include "test_util.h"

#define HOME "{\"tenantId\": \"" CONTOSO "\", "
#define ENTRY(who, in, out) "{" who ", \"direction\": {\"inbound\": " #in ", \"outbound\": " #out "}}"
#define ID(t) "\"tenantId\": \"" t "\""

/* Each change as "<kind> <tenant> <before>><after> <label>". */
static void record(void *user, const tiso_policy_change *c)
{
    char id[TISO_TENANT_ID_LEN + 1] = "*";
    if (!c->is_wildcard)
        tiso_tenant_id_format(id, &c->tenant);
    tt_calls_add(user, "%c %s %u>%u %s", " +-~"[c->kind], id, c->before, c->after, c->label ? c->label : "-");
}

/* Compares two policies given as JSON; fills `s` and returns the counts. */
static tiso_policy_comparison compare(tt_calls *s, const char *before, const char *after)
{
    tiso_policy *a = tt_load(before, NULL), *b = tt_load(after, NULL);
    tiso_policy_comparison out;
    tiso_error err;
    memset(s, 0, sizeof *s);
    assert_int_equal(tiso_policy_compare(&out, record, s, a, b, &err), TISO_OK);
    tiso_policy_free(a);
    tiso_policy_free(b);
    return out;
}

static void duplicate_entries_merge_into_one_grant(void **state)
{
    (void)state;
    tt_calls s;
    tiso_policy_comparison c =
        compare(&s, HOME "\"allowedTenants\": [" ENTRY(ID(TENANT_A), true, false) "]}",
                HOME "\"allowedTenants\": [" ENTRY(ID(TENANT_A), false, true) "," ENTRY(ID(TENANT_A), true, false) "]}");
    assert_string_equal(s.text, "~ " TENANT_A " 1>3 -\n");
    assert_true(c.changed == 1 && c.added == 0 && c.removed == 0);
    /* Two entries granting what one did: no change. */
    c = compare(&s, HOME "\"allowedTenants\": [" ENTRY(ID(TENANT_A), true, true) "]}",
                HOME "\"allowedTenants\": [" ENTRY(ID(TENANT_A), true, false) "," ENTRY(ID(TENANT_A), false, true) "]}");
    assert_int_equal(s.len, 0);
    assert_int_equal(c.changed, 0);
}

static void wildcard_first_then_by_tenant_id(void **state)
{
    (void)state;
    tt_calls s;
    tiso_policy_comparison c =
        compare(&s, HOME "\"allowedTenants\": [" ENTRY(ID(TENANT_C), true, true) "]}",
                HOME "\"allowedTenants\": [" ENTRY(ID(TENANT_B), true, false) "," ENTRY(ID("*"), false, true) ","
                     ENTRY(ID(TENANT_A), false, false) "]}");
    assert_string_equal(s.text, "+ * 0>2 -\n"
                                "+ " TENANT_A " 0>0 -\n" /* listed with no direction: still listed */
                                "+ " TENANT_B " 0>1 -\n"
                                "- " TENANT_C " 3>0 -\n");
    assert_true(c.added == 3 && c.removed == 1 && c.changed == 0);
}

static void entry_order_does_not_matter(void **state)
{
    (void)state;
    tt_calls s;
    tiso_policy_comparison c = compare(
        &s,
        HOME "\"allowedTenants\": [" ENTRY(ID(TENANT_A), true, false) "," ENTRY(ID("*"), true, false) ","
             ENTRY(ID(TENANT_B), false, true) "]}",
        HOME "\"allowedTenants\": [" ENTRY(ID(TENANT_B), false, true) "," ENTRY(ID(TENANT_A), true, false) ","
             ENTRY(ID("*"), true, false) "]}");
    assert_int_equal(s.len, 0);
    assert_true(c.added == 0 && c.removed == 0 && c.changed == 0);
    assert_true(c.isolation_before == 1 && c.isolation_after == 1);
}

static void labels_come_from_the_first_entry_with_one(void **state)
{
    (void)state;
    tt_calls s;
    const char *before = HOME "\"allowedTenants\": [" ENTRY(ID(TENANT_A) ", \"tenantDisplayName\": \"Old A\"", true, false)
        "," ENTRY(ID(TENANT_B) ", \"tenantDisplayName\": \"Old B\"", true, false) ","
        ENTRY(ID(TENANT_C) ", \"domain\": \"c.example\"", true, false) "]}";
    const char *after = HOME "\"allowedTenants\": [" ENTRY(ID(TENANT_A), false, true) ","
        ENTRY(ID(TENANT_A) ", \"domain\": \"a.example\"", false, false) ","
        ENTRY(ID(TENANT_A) ", \"tenantDisplayName\": \"New A\"", false, false) ","
        ENTRY(ID(TENANT_B), true, true) ","
        ENTRY(ID(TENANT_D) ", \"tenantDisplayName\": \"D\", \"domain\": \"d.example\"", true, false) "]}";
    compare(&s, before, after);
    /* Changed: the first label of `after` (a domain before a later name);
     * changed, with none in `after`: `before`'s; removed: `before`'s, here
     * a domain; one entry with both: its display name. */
    assert_string_equal(s.text, "~ " TENANT_A " 1>2 a.example\n"
                                "~ " TENANT_B " 1>3 Old B\n"
                                "- " TENANT_C " 1>0 c.example\n"
                                "+ " TENANT_D " 0>1 D\n");
}

static void empty_policies_and_isolation(void **state)
{
    (void)state;
    tt_calls s;
    tiso_policy_comparison c = compare(&s, HOME "\"isDisabled\": true, \"allowedTenants\": []}",
                                       HOME "\"isDisabled\": false, \"allowedTenants\": []}");
    assert_int_equal(s.len, 0);
    assert_true(c.added == 0 && c.removed == 0 && c.changed == 0);
    assert_true(c.isolation_before == 0 && c.isolation_after == 1);
    /* No callback: only the counts. */
    tiso_policy *a = tt_load(HOME "\"allowedTenants\": []}", NULL);
    tiso_policy *b = tt_load(HOME "\"allowedTenants\": [" ENTRY(ID(TENANT_A), true, false) "]}", NULL);
    assert_int_equal(tiso_policy_compare(&c, NULL, NULL, a, b, NULL), TISO_OK);
    assert_int_equal(c.added, 1);
    tiso_policy_free(a);
    tiso_policy_free(b);
}

static void null_argument_is_an_error(void **state)
{
    (void)state;
    tiso_policy *p = tt_load(HOME "\"allowedTenants\": [" ENTRY(ID(TENANT_A), true, false) "]}", NULL);
    tiso_policy_comparison c;
    tiso_error err;
    tt_calls s;
    memset(&s, 0, sizeof s);
    memset(&c, 0xff, sizeof c);
    assert_int_equal(tiso_policy_compare(&c, record, &s, NULL, p, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    tt_assert_contains(err.message, "tiso_policy_compare");
    assert_true(c.added == 0 && c.removed == 0 && c.changed == 0 && c.isolation_after == 0);
    assert_int_equal(tiso_policy_compare(&c, record, &s, p, NULL, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_compare(NULL, record, &s, p, p, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(s.len, 0);
    tiso_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(duplicate_entries_merge_into_one_grant),
        cmocka_unit_test(wildcard_first_then_by_tenant_id),
        cmocka_unit_test(entry_order_does_not_matter),
        cmocka_unit_test(labels_come_from_the_first_entry_with_one),
        cmocka_unit_test(empty_policies_and_isolation),
        cmocka_unit_test(null_argument_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
