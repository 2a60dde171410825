/* Allocation-failure injection: make the 1st, 2nd, ... allocation fail in
 * each main path until it succeeds. Every failed run must report
 * TISO_E_NOMEM, leave `*out` alone and leak nothing (ASan/LSan check that).
 * Links tenantiso_internal for tiso__test_fail_alloc_after. */
#include <string.h>

#include "internal.h"
#include "test_util.h"

#define MAX_ATTEMPTS 100000

static const char POLICY[] =
    "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"unknownKey\": 1,"
    " \"allowedTenants\": ["
    "{\"domain\": \"fabrikam.com\", \"tenantDisplayName\": \"Fabrikam\","
    " \"direction\": {\"inbound\": true, \"outbound\": true}},"
    "{\"tenantId\": \"" TENANT_A "\", \"direction\": {\"inbound\": true, \"outbound\": false}},"
    "{\"tenantId\": \"" TENANT_A "\", \"direction\": {\"inbound\": false, \"outbound\": true}},"
    "{\"tenantId\": \"*\", \"direction\": {\"inbound\": false, \"outbound\": false}}]}}";

/* One operation under test: returns its status; `ctx` is the fixture. */
typedef tiso_status (*operation)(void *ctx);

/* Runs `op` with the nth allocation failing, n = 1, 2, ... until it
 * succeeds; returns the number of failed runs. */
static size_t run_until_success(const char *what, operation op, void *ctx)
{
    for (size_t n = 1; n <= MAX_ATTEMPTS; n++) {
        tiso__test_fail_alloc_after(n);
        tiso_status s = op(ctx);
        tiso__test_fail_alloc_after(0);
        if (s == TISO_OK) {
            print_message("%s: %zu runs failed cleanly before it succeeded\n", what, n - 1);
            return n - 1;
        }
        if (s != TISO_E_NOMEM) {
            fail_msg("%s with allocation %zu failing: %s, expected nomem", what, n, tiso_status_name(s));
        }
    }
    fail_msg("%s never succeeded", what);
    return 0;
}

typedef struct fixture {
    tiso_resolver *resolver;
    tiso_policy *policy;
    tiso_policy_builder *builder;
    tiso_policy_builder *builder_empty;
    tiso_policy_set *set;
    tiso_policy *result; /* what an operation produced, freed by the caller */
    tiso_error err;
} fixture;

static tiso_status op_load(void *ctx)
{
    fixture *f = ctx;
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    opts.resolver = f->resolver;
    tiso_policy *p = NULL;
    tiso_status s = tiso_policy_load_json(&p, POLICY, sizeof POLICY - 1, &opts, &f->err);
    if (s != TISO_OK) {
        assert_null(p);
        tt_assert_error(&f->err, s);
    }
    f->result = p;
    return s;
}

static tiso_status op_build(void *ctx)
{
    fixture *f = ctx;
    tiso_policy *p = NULL;
    tiso_status s = tiso_policy_builder_build(&p, f->builder, &f->err);
    if (s != TISO_OK) {
        assert_null(p);
    }
    f->result = p;
    return s;
}

static tiso_status op_builder_from_scratch(void *ctx)
{
    fixture *f = ctx;
    tiso_policy_builder *b = NULL;
    tiso_tenant_id home = tt_id(CONTOSO), a = tt_id(TENANT_A);
    tiso_status s = tiso_policy_builder_new(&b, &f->err);
    if (s == TISO_OK) {
        s = tiso_policy_builder_set_home(b, &home);
    }
    for (int i = 0; s == TISO_OK && i < 20; i++) {
        s = tiso_policy_builder_add(b, i % 2 ? &a : NULL, TISO_ALLOW_INBOUND, "display", i % 2 ? "a.example" : NULL,
                                    &f->err);
    }
    tiso_policy *p = NULL;
    if (s == TISO_OK) {
        s = tiso_policy_builder_build(&p, b, &f->err);
    }
    tiso_policy_free(p);
    tiso_policy_builder_free(b);
    return s;
}

static tiso_status op_to_json(void *ctx)
{
    fixture *f = ctx;
    char *json = NULL;
    size_t len = 0;
    for (int pretty = 0; pretty <= 1; pretty++) {
        tiso_status s = tiso_policy_to_json(&json, &len, f->policy, pretty, &f->err);
        if (s != TISO_OK) {
            assert_null(json);
            return s;
        }
        tiso_free(json);
        json = NULL;
    }
    return TISO_OK;
}

static tiso_status op_set_put(void *ctx)
{
    fixture *f = ctx;
    tiso_policy_set *set = NULL;
    tiso_status s = tiso_policy_set_new(&set, 0, &f->err);
    if (s == TISO_OK) {
        s = tiso_policy_set_put(set, f->policy, &f->err);
        if (s != TISO_OK) {
            assert_int_equal(tiso_policy_set_count(set), 0); /* unchanged */
        }
    }
    tiso_policy_set_free(set);
    return s;
}

static tiso_status op_set_replace(void *ctx)
{
    fixture *f = ctx;
    size_t before = tiso_policy_set_count(f->set);
    tiso_status s = tiso_policy_set_put(f->set, f->policy, &f->err);
    assert_int_equal(tiso_policy_set_count(f->set), before);
    return s;
}

static tiso_status op_resolver_map(void *ctx)
{
    fixture *f = ctx;
    static const char map[] = "{\"contoso.com\": \"" CONTOSO "\", \"fabrikam.com\": \"" FABRIKAM "\"}";
    tiso_resolver *r = NULL;
    tiso_status s = tiso_resolver_load_map_json(&r, map, sizeof map - 1, &f->err);
    if (s != TISO_OK) {
        assert_null(r);
    }
    tiso_resolver_free(r);
    return s;
}

static void count_change(void *user, const tiso_policy_change *change)
{
    (void)change;
    ++*(size_t *)user;
}

/* The policy against an empty one: a failure calls nothing, counts nothing. */
static tiso_status op_compare(void *ctx)
{
    fixture *f = ctx;
    tiso_policy *empty = NULL;
    tiso_status s = tiso_policy_builder_build(&empty, f->builder_empty, &f->err);
    tiso_policy_comparison c;
    memset(&c, 0xff, sizeof c);
    size_t calls = 0;
    if (s == TISO_OK) {
        s = tiso_policy_compare(&c, count_change, &calls, f->policy, empty, &f->err);
        assert_int_equal(c.removed, s == TISO_OK ? 3 : 0);
    }
    tiso_policy_free(empty);
    assert_int_equal(calls, s == TISO_OK ? 3 : 0);
    return s;
}

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    tiso_tenant_id fab = tt_id(FABRIKAM), a = tt_id(TENANT_A), home = tt_id(CONTOSO);
    assert_int_equal(tiso_resolver_new_static(&f.resolver, NULL), TISO_OK);
    assert_int_equal(tiso_resolver_static_add(f.resolver, "fabrikam.com", &fab, NULL), TISO_OK);
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    opts.resolver = f.resolver;
    f.policy = tt_load(POLICY, &opts);
    assert_int_equal(tiso_policy_builder_new(&f.builder, NULL), TISO_OK);
    assert_int_equal(tiso_policy_builder_set_home(f.builder, &home), TISO_OK);
    for (int i = 0; i < 50; i++) {
        assert_int_equal(tiso_policy_builder_add(f.builder, i % 5 ? &a : NULL, TISO_ALLOW_OUTBOUND,
                                                 "A", i % 5 ? "a.example" : NULL, NULL), TISO_OK);
    }
    assert_int_equal(tiso_policy_builder_new(&f.builder_empty, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_new(&f.set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_put(f.set, f.policy, NULL), TISO_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tiso_policy_set_free(f->set);
    tiso_policy_builder_free(f->builder);
    tiso_policy_builder_free(f->builder_empty);
    tiso_policy_free(f->policy);
    tiso_resolver_free(f->resolver);
    return 0;
}

static void load_policy_with_domain(void **state)
{
    fixture *f = *state;
    assert_true(run_until_success("load", op_load, f) > 0);
    assert_int_equal(tiso_policy_entry_count(f->result), 4);
    assert_int_equal(tiso_policy_warning_count(f->result), 3);
    tiso_policy_free(f->result);
    f->result = NULL;
}

static void build_from_builder(void **state)
{
    fixture *f = *state;
    assert_true(run_until_success("build", op_build, f) > 0);
    assert_int_equal(tiso_policy_entry_count(f->result), 50);
    tiso_policy_free(f->result);
    f->result = NULL;
    assert_true(run_until_success("builder", op_builder_from_scratch, f) > 0);
}

static void policy_to_json(void **state)
{
    assert_true(run_until_success("to_json", op_to_json, *state) > 0);
}

static void policy_set_put(void **state)
{
    assert_true(run_until_success("set_put", op_set_put, *state) > 0);
    fixture *f = *state;
    run_until_success("set_replace", op_set_replace, f);
    tiso_decision d;
    assert_int_equal(tiso_policy_set_evaluate(&d, f->set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(d.verdict, TISO_ALLOW);
}

static void policy_compare(void **state)
{
    assert_true(run_until_success("compare", op_compare, *state) > 0);
}

static void resolver_from_map(void **state)
{
    assert_true(run_until_success("map", op_resolver_map, *state) > 0);
}

/* The hot path allocates nothing, so injection cannot touch it. */
static void evaluation_does_not_allocate(void **state)
{
    fixture *f = *state;
    tiso_tenant_id c = tt_id(CONTOSO), fab = tt_id(FABRIKAM);
    tiso_decision d;
    tiso__test_fail_alloc_after(1);
    assert_int_equal(tiso_evaluate_ids(&d, f->policy, &c, &fab, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(tiso_evaluate(&d, f->policy, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(tiso_policy_set_evaluate(&d, f->set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(tiso__test_fail_alloc_after(0), 0);
    assert_int_equal(d.verdict, TISO_ALLOW);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(load_policy_with_domain),
        cmocka_unit_test(build_from_builder),
        cmocka_unit_test(policy_to_json),
        cmocka_unit_test(policy_set_put),
        cmocka_unit_test(policy_compare),
        cmocka_unit_test(resolver_from_map),
        cmocka_unit_test(evaluation_does_not_allocate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
