/* Reading a page of the list of reports (tiso_live_report_list_each). */
#include <stdio.h>
#include <string.h>

#include "test_util.h"

/* Each report as "id|status|start|end", "-" for NULL. */
static void record(void *user, const tiso_live_report_info *r)
{
    tt_calls_add(user, "%s|%s|%s|%s", r->report_id ? r->report_id : "-", r->status ? r->status : "-",
                 r->start_date ? r->start_date : "-", r->end_date ? r->end_date : "-");
}

/* Reads `json` as a page of the list; the calls go to `calls`. */
static tiso_status read_list(tt_calls *calls, const char *json, tiso_error *err)
{
    static char body[1024];
    snprintf(body, sizeof body, "%s", json);
    tiso_live_page page;
    memset(&page, 0, sizeof page);
    page.body = body;
    page.len = strlen(body);
    memset(calls, 0, sizeof *calls);
    return tiso_live_report_list_each(record, calls, &page, err);
}

static void each_report_in_order(void **state)
{
    (void)state;
    static const struct {
        const char *json, *calls;
    } cases[] = {
        {"{\"value\": [{\"reportId\": \"r1\", \"status\": \"Completed\", \"startDate\": \"2026-01-01\", \"endDate\": "
         "\"2026-01-31\"}, {\"reportId\": \"r2\", \"status\": \"InProgress\"}], \"@odata.nextLink\": \"https://x/n\"}",
         "r1|Completed|2026-01-01|2026-01-31\nr2|InProgress|-|-\n"},
        /* "reportStatus" when "status" is no string; a number is no string;
         * an element that is no object has no fields. */
        {"{\"value\": [{\"reportId\": \"a\", \"reportStatus\": \"Failed\"}, {\"reportId\": 7, \"status\": 1, "
         "\"reportStatus\": \"Received\"}, {\"status\": \"x\", \"reportStatus\": \"y\"}, 42]}",
         "a|Failed|-|-\n-|Received|-|-\n-|x|-|-\n-|-|-|-\n"},
        /* No "value", or an empty one: no reports. */
        {"{}", ""},
        {"{\"value\": []}", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tt_calls calls;
        tiso_error err;
        assert_int_equal(read_list(&calls, cases[i].json, &err), TISO_OK);
        assert_string_equal(calls.text, cases[i].calls);
    }
}

static void errors_before_any_call(void **state)
{
    (void)state;
    tt_calls calls;
    tiso_error err;
    assert_int_equal(read_list(&calls, "{\"value\": [{\"reportId\": \"r1\"}", &err), TISO_E_BAD_RESPONSE);
    tt_assert_error(&err, TISO_E_BAD_RESPONSE);
    tt_assert_contains(err.message, "not JSON");
    assert_int_equal(calls.len, 0);
    tiso_live_page empty;
    memset(&empty, 0, sizeof empty);
    assert_int_equal(tiso_live_report_list_each(record, &calls, &empty, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_live_report_list_each(record, &calls, NULL, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_live_report_list_each(NULL, &calls, &empty, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(calls.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_report_in_order),
        cmocka_unit_test(errors_before_any_call),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
