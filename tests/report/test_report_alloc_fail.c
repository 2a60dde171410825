/* Allocation failure, injected at every allocation in turn of a whole
 * analysis -- creating a report, reading a page and an inventory, writing
 * every format, suggesting a policy: each run ends in TISO_OK or a clean
 * TISO_E_NOMEM, never a crash, and (under ASan) never a leak. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "report_test_util.h"

static const char PAGE[] = "{\"tenantId\": \"" HOME "\", \"status\": \"Completed\", \"connections\": ["
                           "{\"tenantId\": \"" TA "\", \"connectionType\": \"Outbound\", \"x\": 1},"
                           "{\"tenantId\": \"fabrikam.com\", \"connectionType\": \"Inbound\"},"
                           "{\"tenantId\": \"" TB "\", \"connectionType\": \"Nope\"}]}";

static const char INVENTORY[] = "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TC "\", \"verdict\": 1}\n"
                                "{\"creatorTenantId\": \"nowhere.example\", \"targetTenantId\": \"" HOME "\"}\n"
                                "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TA "\","
                                " \"connector\": \"shared_visualstudioteamservices\"}\n"
                                "{broken\n";

static int discard(void *user, const char *data, size_t len)
{
    (void)user;
    (void)data;
    (void)len;
    return 0;
}

static tiso_status one_format(tiso_policy *p, tiso_policy *before, tiso_resolver *res, tiso_report_format f)
{
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.policy = p;
    opts.before_policy = before;
    opts.resolver = res;
    tiso_report *r = NULL;
    tiso_report_writer *w = NULL;
    tiso_policy *sugg = NULL;
    tiso_status s = tiso_report_new(&r, &opts, NULL);
    if (s == TISO_OK)
        s = tiso_report_writer_new(&w, r, f, discard, NULL, NULL);
    if (s == TISO_OK) {
        tiso_report_set_observer(r, tiso_report_writer_observe, w);
        s = tiso_report_read_page(r, PAGE, sizeof PAGE - 1, "page.json", NULL);
    }
    if (s == TISO_OK)
        s = tiso_report_read_inventory(r, INVENTORY, sizeof INVENTORY - 1, "inv.jsonl", NULL);
    if (s == TISO_OK)
        s = tiso_report_writer_finish(w, NULL);
    if (s == TISO_OK)
        s = tiso_report_suggested_policy(&sugg, r, NULL, NULL, 0, NULL);
    tiso_policy_free(sugg);
    tiso_report_writer_free(w);
    tiso_report_free(r);
    return s;
}

static tiso_status scenario(tiso_policy *p, tiso_policy *before, tiso_resolver *res)
{
    static const tiso_report_format formats[] = {TISO_FORMAT_TEXT, TISO_FORMAT_JSON, TISO_FORMAT_CSV,
                                                 TISO_FORMAT_HTML};
    tiso_status s = TISO_OK;
    for (size_t i = 0; s == TISO_OK && i < sizeof formats / sizeof formats[0]; i++)
        s = one_format(p, NULL, res, formats[i]);
    if (s == TISO_OK)
        s = one_format(p, before, res, TISO_FORMAT_DIFF_JSON);
    if (s == TISO_OK)
        s = one_format(p, before, res, TISO_FORMAT_DIFF_TEXT);
    return s;
}

static void every_allocation(void **state)
{
    (void)state;
    tiso_policy *p = rt_build(HOME, 1, NULL);
    const char *const entries[] = {TA ":o", NULL};
    tiso_policy *before = rt_build(HOME, 1, entries);
    tiso_resolver *res = NULL;
    assert_int_equal(tiso_resolver_new_static(&res, NULL), TISO_OK);
    tiso_tenant_id fab = rt_id(FAB);
    assert_int_equal(tiso_resolver_static_add(res, "fabrikam.com", &fab, NULL), TISO_OK);
    tiso__test_fail_alloc_after(0);
    assert_int_equal(scenario(p, before, res), TISO_OK);
    size_t total = tiso__test_fail_alloc_after(0);
    assert_true(total > 10);
    size_t failed = 0;
    for (size_t n = 1; n <= total; n++) {
        tiso__test_fail_alloc_after(n);
        tiso_status s = scenario(p, before, res);
        tiso__test_fail_alloc_after(0);
        if (s != TISO_OK && s != TISO_E_NOMEM)
            fail_msg("allocation %zu failing gave %s", n, tiso_status_name(s));
        failed += s == TISO_E_NOMEM;
    }
    assert_true(failed > 0);
    print_message("%zu allocations; %zu runs ended in a clean out-of-memory\n", total, failed);
    tiso_resolver_free(res);
    tiso_policy_free(before);
    tiso_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_allocation)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
