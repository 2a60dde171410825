/* Allocation-failure sweeps over impact analysis, for what
 * tests/report/test_report_alloc_fail.c does not take: a report over a
 * policy set (two-sided, unknown tenants isolated) with a `before` set,
 * inputs read from files (a page, and an inventory in bounded chunks),
 * problems added directly, suggestions for a tenant in the set, for one
 * without a policy and for a chosen subset. Every failed run must end in
 * TISO_E_NOMEM; the run that succeeds must count exactly what a run
 * without injection counts (no failure swallowed on the way). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tenantiso/report.h>

#include "sweep.h"

static const char PAGE[] =
    "{\"tenantId\": \"" CONTOSO "\", \"reportId\": \"r1\", \"status\": \"Completed\", \"connections\": ["
    "{\"tenantId\": \"" TENANT_A "\", \"connectionType\": \"Outbound\", \"connectorId\": \"shared_sql\"},"
    "{\"tenantId\": \"fabrikam.com\", \"connectionType\": \"Inbound\"},"
    "{\"tenantId\": \"" TENANT_B "\", \"connectionType\": \"Inbound\", \"apiId\": \"shared_visualstudioteamservices\"},"
    "{\"connectionType\": \"Outbound\"}]}";
static const char INVENTORY[] =
    "{\"creatorTenantId\": \"" FABRIKAM "\", \"targetTenantId\": \"" TENANT_C "\", \"connectionId\": \"c1\"}\n"
    "{\"creatorTenantId\": \"" TENANT_D "\", \"targetTenantId\": \"contoso.com\"}\n"
    "\n"
    "not json\n"
    "{\"creatorTenantId\": \"" CONTOSO "\", \"targetTenantId\": \"" CONTOSO "\", \"userTenantId\": \"" FABRIKAM "\"}";

typedef struct fixture {
    tiso_policy_set *set, *before;
    tiso_resolver *resolver;
    char *page_path, *inventory_path;
    tiso_report_totals want;
} fixture;

static int discard(void *user, const char *data, size_t len)
{
    (void)user;
    (void)data;
    (void)len;
    return 0;
}

static tiso_status suggest_all(const tiso_report *r, tiso_error *err)
{
    tiso_tenant_id contoso = tt_id(CONTOSO), unknown = tt_id(TENANT_D), only = tt_id(TENANT_A);
    tiso_policy *p = NULL;
    tiso_status s = tiso_report_suggested_policy(&p, r, &contoso, NULL, 0, err);
    tiso_policy_free(p);
    p = NULL;
    if (s == TISO_OK)
        s = tiso_report_suggested_policy(&p, r, &unknown, NULL, 0, err); /* no policy: starts empty */
    tiso_policy_free(p);
    p = NULL;
    if (s == TISO_OK)
        s = tiso_report_suggested_policy(&p, r, &contoso, &only, 1, err);
    tiso_policy_free(p);
    return s;
}

/* The whole analysis with one writer; `totals` gets the counts. */
static tiso_status analyse(const fixture *fx, tiso_report_format format, tiso_report_totals *totals, tiso_error *err)
{
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.policy_set = fx->set;
    int diff = format == TISO_FORMAT_DIFF_TEXT || format == TISO_FORMAT_DIFF_JSON;
    opts.before_set = diff ? fx->before : NULL; /* a diff has its own formats */
    opts.resolver = fx->resolver;
    tiso_report *r = NULL;
    tiso_report_writer *w = NULL;
    tiso_status s = tiso_report_new(&r, &opts, err);
    if (s == TISO_OK)
        s = tiso_report_writer_new(&w, r, format, discard, NULL, err);
    if (s == TISO_OK)
        s = tiso_report_set_observer(r, tiso_report_writer_observe, w);
    if (s == TISO_OK)
        s = tiso_report_read_file(r, fx->page_path, err);
    if (s == TISO_OK)
        s = tiso_report_read_file(r, fx->inventory_path, err);
    if (s == TISO_OK) {
        tiso_connection c = {.source = "direct", .line = 7, .index = -1};
        tiso_error problem;
        tiso_error_clear(&problem);
        problem.status = TISO_E_SCHEMA;
        snprintf(problem.message, sizeof problem.message, "a record the caller could not read");
        s = tiso_report_add_problem(r, &c, &problem, err);
    }
    if (s == TISO_OK)
        s = tiso_report_writer_finish(w, err);
    if (s == TISO_OK)
        s = suggest_all(r, err);
    if (s == TISO_OK)
        assert_int_equal(tiso_report_get_totals(totals, r), TISO_OK);
    tiso_report_writer_free(w);
    tiso_report_free(r);
    return s;
}

static tiso_status op_analysis(void *ctx, size_t n, tiso_error *err)
{
    fixture *fx = ctx;
    static const tiso_report_format formats[] = {TISO_FORMAT_TEXT, TISO_FORMAT_CSV, TISO_FORMAT_DIFF_TEXT,
                                                 TISO_FORMAT_DIFF_JSON};
    tiso_status s = TISO_OK;
    for (size_t i = 0; s == TISO_OK && i < sizeof formats / sizeof formats[0]; i++) {
        tiso_report_totals got;
        hs_arm(n);
        s = analyse(fx, formats[i], &got, err);
        hs_disarm();
        got.changed = got.newly_allowed = got.newly_blocked = 0; /* only a diff has these */
        if (s == TISO_OK && memcmp(&got, &fx->want, sizeof got) != 0)
            fail_msg("format %d succeeded with allocation %zu failing but counted otherwise", (int)formats[i], n);
    }
    return s;
}

static void report_over_a_set(void **state)
{
    fixture *fx = *state;
    tiso_error err;
    assert_int_equal(analyse(fx, TISO_FORMAT_TEXT, &fx->want, &err), TISO_OK);
    /* 4 page entries, 4 inventory lines (one blank line is no record), 1 problem */
    print_message("%llu connections: %llu allowed, %llu blocked, %llu not covered, %llu errors, %llu changed\n",
                  (unsigned long long)fx->want.connections, (unsigned long long)fx->want.allowed,
                  (unsigned long long)fx->want.blocked, (unsigned long long)fx->want.not_covered,
                  (unsigned long long)fx->want.errors, (unsigned long long)fx->want.changed);
    assert_true(fx->want.connections == 9 && fx->want.errors == 3 && fx->want.not_covered == 1);
    assert_true(hs_sweep("report over a policy set, from files", op_analysis, fx) > 0);
}

static tiso_policy_set *set_of(const char *a, const char *b)
{
    tiso_policy_set *set = NULL;
    assert_int_equal(tiso_policy_set_new(&set, TISO_SET_UNKNOWN_ISOLATED, NULL), TISO_OK);
    const char *docs[] = {a, b};
    for (size_t i = 0; i < 2; i++) {
        tiso_policy *p = tt_load(docs[i], NULL);
        assert_int_equal(tiso_policy_set_put(set, p, NULL), TISO_OK);
        tiso_policy_free(p);
    }
    return set;
}

static int setup(void **state)
{
    static fixture fx;
    fx.set = set_of("{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
                    "{\"tenantId\": \"" TENANT_A "\", \"direction\": {\"outbound\": true}}]}",
                    "{\"tenantId\": \"" FABRIKAM "\", \"isDisabled\": false}");
    fx.before = set_of("{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": true}",
                       "{\"tenantId\": \"" FABRIKAM "\", \"isDisabled\": true}");
    assert_int_equal(tiso_resolver_new_static(&fx.resolver, NULL), TISO_OK);
    tiso_tenant_id c = tt_id(CONTOSO), f = tt_id(FABRIKAM);
    assert_int_equal(tiso_resolver_static_add(fx.resolver, "contoso.com", &c, NULL), TISO_OK);
    assert_int_equal(tiso_resolver_static_add(fx.resolver, "fabrikam.com", &f, NULL), TISO_OK);
    fx.page_path = tt_write_temp(PAGE, sizeof PAGE - 1);
    fx.inventory_path = tt_write_temp(INVENTORY, sizeof INVENTORY - 1);
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    unlink(fx->page_path);
    unlink(fx->inventory_path);
    free(fx->page_path);
    free(fx->inventory_path);
    tiso_resolver_free(fx->resolver);
    tiso_policy_set_free(fx->set);
    tiso_policy_set_free(fx->before);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(report_over_a_set)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
