/* Allocation-failure sweeps over policy sets and the watcher, for what
 * tests/unit/test_alloc_fail.c does not take: a set treating unknown
 * tenants as isolated, remove, the audit hook, loading a file into a set
 * (the old policy must stay when that fails), starting a watcher and
 * reloading through it. A failed call must leave the set as it was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep.h"

static const char POLICY_C[] = "{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": []}";
static const char POLICY_C2[] = "{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": true, \"allowedTenants\": ["
                                "{\"tenantId\": \"" TENANT_A "\", \"direction\": {\"inbound\": true}}]}";
static const char POLICY_F[] = "{\"tenantId\": \"" FABRIKAM "\", \"isDisabled\": false}";

typedef struct fixture {
    tiso_policy *c, *c2, *f;
    char *path_c2, *path_f;
} fixture;

static void audit(void *user, const tiso_audit_record *record)
{
    (void)record;
    ++*(int *)user;
}

/* A set holding `first` (and `second` if not NULL), made without injection. */
static tiso_policy_set *set_of(tiso_policy *first, tiso_policy *second, unsigned flags)
{
    tiso_policy_set *set = NULL;
    assert_int_equal(tiso_policy_set_new(&set, flags, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_put(set, first, NULL), TISO_OK);
    if (second)
        assert_int_equal(tiso_policy_set_put(set, second, NULL), TISO_OK);
    return set;
}

/* 1 if the set holds exactly `p` for its home tenant. */
static int holds(tiso_policy_set *set, const tiso_policy *p)
{
    tiso_tenant_id home;
    tiso_policy *got = NULL;
    assert_true(tiso_policy_home_tenant(&home, p));
    if (tiso_policy_set_get(&got, set, &home) != TISO_OK)
        return 0;
    int same = got == p;
    tiso_policy_free(got);
    return same;
}

static tiso_status op_new_put_two(void *ctx, size_t n, tiso_error *err)
{
    fixture *fx = ctx;
    tiso_policy_set *set = NULL;
    hs_arm(n);
    tiso_status s = tiso_policy_set_new(&set, TISO_SET_UNKNOWN_ISOLATED, err);
    if (s == TISO_OK)
        s = tiso_policy_set_put(set, fx->c, err);
    if (s == TISO_OK)
        s = tiso_policy_set_put(set, fx->f, err);
    hs_disarm();
    if (s == TISO_OK) {
        tiso_decision d; /* unknown tenants are isolated: Contoso denies outbound to them */
        assert_int_equal(tiso_policy_set_evaluate(&d, set, CONTOSO, TENANT_D, TISO_DIRECTION_AUTO), TISO_OK);
        assert_int_equal(d.verdict, TISO_DENY);
    }
    tiso_policy_set_free(set);
    return s;
}

static tiso_status op_remove(void *ctx, size_t n, tiso_error *err)
{
    fixture *fx = ctx;
    tiso_policy_set *set = set_of(fx->c, fx->f, 0);
    tiso_tenant_id home = tt_id(CONTOSO);
    hs_arm(n);
    tiso_status s = tiso_policy_set_remove(set, &home, err);
    hs_disarm();
    assert_int_equal(tiso_policy_set_count(set), s == TISO_OK ? 1 : 2);
    assert_true(holds(set, fx->f));
    assert_true(s == TISO_OK || holds(set, fx->c));
    tiso_policy_set_free(set);
    return s;
}

static tiso_status op_set_audit(void *ctx, size_t n, tiso_error *err)
{
    fixture *fx = ctx;
    tiso_policy_set *set = set_of(fx->c, NULL, 0);
    int calls = 0;
    hs_arm(n);
    tiso_status s = tiso_policy_set_set_audit(set, audit, &calls, err);
    hs_disarm();
    tiso_decision d;
    assert_int_equal(tiso_policy_set_evaluate(&d, set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(calls, s == TISO_OK ? 1 : 0); /* a failed set leaves no hook */
    if (s == TISO_OK) {
        hs_arm(1); /* evaluating with a hook allocates nothing */
        assert_int_equal(tiso_policy_set_evaluate(&d, set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_OK);
        assert_int_equal(hs_disarm(), 0);
    }
    tiso_policy_set_free(set);
    return s;
}

static tiso_status op_clear_audit(void *ctx, size_t n, tiso_error *err)
{
    fixture *fx = ctx;
    tiso_policy_set *set = set_of(fx->c, NULL, 0);
    int calls = 0;
    assert_int_equal(tiso_policy_set_set_audit(set, audit, &calls, NULL), TISO_OK);
    hs_arm(n);
    tiso_status s = tiso_policy_set_set_audit(set, NULL, NULL, err);
    hs_disarm();
    tiso_decision d;
    assert_int_equal(tiso_policy_set_evaluate(&d, set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(calls, s == TISO_OK ? 0 : 1); /* a failed removal keeps the hook */
    tiso_policy_set_free(set);
    return s;
}

/* A reload of the file the set's policy came from. */
static tiso_status op_set_load_file(void *ctx, size_t n, tiso_error *err)
{
    fixture *fx = ctx;
    tiso_policy_set *set = NULL;
    tiso_tenant_id home = tt_id(CONTOSO);
    tiso_policy *before = NULL, *after = NULL;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_load_file(set, fx->path_c2, NULL, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_get(&before, set, &home), TISO_OK);
    hs_arm(n);
    tiso_status s = tiso_policy_set_load_file(set, fx->path_c2, NULL, err);
    hs_disarm();
    assert_int_equal(tiso_policy_set_count(set), 1);
    assert_int_equal(tiso_policy_set_get(&after, set, &home), TISO_OK);
    if (s != TISO_OK)
        assert_ptr_equal(after, before); /* the last good policy stays */
    else
        assert_ptr_not_equal(after, before);
    tiso_policy_free(before);
    tiso_policy_free(after);
    tiso_policy_set_free(set);
    return s;
}

static tiso_status op_watcher_new(void *ctx, size_t n, tiso_error *err)
{
    fixture *fx = ctx;
    tiso_policy_set *set = NULL;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    const char *paths[] = {fx->path_c2, fx->path_f};
    tiso_watch_options opts;
    tiso_watch_options_init(&opts);
    tiso_watcher *w = NULL;
    hs_arm(n);
    tiso_status s = tiso_watcher_new(&w, set, paths, 2, &opts, err);
    hs_disarm();
    if (s == TISO_OK)
        assert_int_equal(tiso_policy_set_count(set), 2);
    else
        assert_null(w);
    tiso_watcher_free(w);
    tiso_policy_set_free(set);
    return s;
}

static tiso_status op_watcher_reload(void *ctx, size_t n, tiso_error *err)
{
    tiso_watcher *w = ((void **)ctx)[0];
    tiso_policy_set *set = ((void **)ctx)[1];
    hs_arm(n);
    tiso_status s = tiso_watcher_reload(w, err);
    hs_disarm();
    assert_int_equal(tiso_policy_set_count(set), 2); /* nothing lost on the way */
    return s;
}

static void set_operations(void **state)
{
    fixture *fx = *state;
    assert_true(hs_sweep("set new (unknown isolated) and two puts", op_new_put_two, fx) > 0);
    assert_true(hs_sweep("set remove", op_remove, fx) > 0);
    assert_true(hs_sweep("set audit hook", op_set_audit, fx) > 0);
    hs_sweep("clear audit hook", op_clear_audit, fx);
    assert_true(hs_sweep("set load_file", op_set_load_file, fx) > 0);
}

static void watcher(void **state)
{
    fixture *fx = *state;
    assert_true(hs_sweep("watcher_new on two files", op_watcher_new, fx) > 0);
    tiso_policy_set *set = NULL;
    tiso_watcher *w = NULL;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    const char *paths[] = {fx->path_c2, fx->path_f};
    assert_int_equal(tiso_watcher_new(&w, set, paths, 2, NULL, NULL), TISO_OK);
    void *ctx[] = {w, set};
    assert_true(hs_sweep("watcher_reload", op_watcher_reload, ctx) > 0);
    tiso_watcher_free(w);
    tiso_policy_set_free(set);
}

static int setup(void **state)
{
    static fixture fx;
    fx.c = tt_load(POLICY_C, NULL);
    fx.c2 = tt_load(POLICY_C2, NULL);
    fx.f = tt_load(POLICY_F, NULL);
    fx.path_c2 = tt_write_temp(POLICY_C2, sizeof POLICY_C2 - 1);
    fx.path_f = tt_write_temp(POLICY_F, sizeof POLICY_F - 1);
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    unlink(fx->path_c2);
    unlink(fx->path_f);
    free(fx->path_c2);
    free(fx->path_f);
    tiso_policy_free(fx->c);
    tiso_policy_free(fx->c2);
    tiso_policy_free(fx->f);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_operations),
        cmocka_unit_test(watcher),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
