/* The outputs (report.h): SPEC 6's JSON shapes, CSV quoting, the text for
 * people, and an HTML page that stays inert whatever the input holds. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report_test_util.h"

static const char *const ENTRIES[] = {TA ":i", TB ":o", NULL};

/* Four lines: blocked, allowed, not covered, a bad line; one with fields
 * that need quoting and a member named like one the report writes. */
static const char INVENTORY[] =
    "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TA "\", \"connectionId\": \"c,1 \\\"q\\\"\\nnext\","
    " \"note\": \"kept\", \"verdict\": \"from input\"}\n"
    "{\"creatorTenantId\": \"" TA "\", \"targetTenantId\": \"" HOME "\", \"connector\": \"shared_teams\"}\n"
    "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TC "\", \"connector\": \"shared_visualstudioteamservices\"}\n"
    "{not json\n";

static tiso_report *contoso(tiso_policy **p)
{
    *p = rt_build(HOME, 1, ENTRIES);
    return rt_report(*p, NULL, NULL);
}

static const cJSON *get(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item)
        fail_msg("no \"%s\" in %s", key, cJSON_PrintUnformatted(obj));
    return item;
}

static void json_shape(void **state)
{
    (void)state;
    tiso_policy *p;
    tiso_report *r = contoso(&p);
    char *out = rt_write(r, TISO_FORMAT_JSON, INVENTORY);
    cJSON *doc = cJSON_Parse(out);
    if (!doc)
        fail_msg("not JSON:\n%s", out);
    const cJSON *policy = get(doc, "policy");
    assert_string_equal(get(policy, "tenantId")->valuestring, HOME);
    assert_string_equal(get(policy, "isolation")->valuestring, "on");
    const cJSON *t = get(doc, "totals");
    assert_int_equal(get(t, "connections")->valueint, 4);
    assert_int_equal(get(t, "allowed")->valueint, 1);
    assert_int_equal(get(t, "blocked")->valueint, 1);
    assert_int_equal(get(t, "notCovered")->valueint, 1);
    assert_int_equal(get(t, "errors")->valueint, 1);
    const cJSON *rows = get(doc, "byTenant");
    assert_int_equal(cJSON_GetArraySize(rows), 2);
    const cJSON *first = cJSON_GetArrayItem(rows, 0); /* most blocked first */
    assert_string_equal(get(first, "tenantId")->valuestring, TA);
    assert_string_equal(get(first, "direction")->valuestring, "outbound");
    assert_int_equal(get(first, "connections")->valueint, 1);
    assert_int_equal(get(first, "blocked")->valueint, 1);
    const cJSON *conns = get(doc, "connections");
    assert_int_equal(cJSON_GetArraySize(conns), 4);
    const cJSON *c0 = cJSON_GetArrayItem(conns, 0);
    assert_string_equal(get(c0, "verdict")->valuestring, "deny");
    assert_string_equal(get(c0, "reason")->valuestring, "not_allowlisted");
    assert_string_equal(get(c0, "note")->valuestring, "kept");              /* the input's fields */
    assert_string_equal(get(c0, "input.verdict")->valuestring, "from input"); /* not overwritten */
    assert_string_equal(get(c0, "connectionId")->valuestring, "c,1 \"q\"\nnext");
    assert_int_equal(get(get(c0, "position"), "line")->valueint, 1);
    const cJSON *c2 = cJSON_GetArrayItem(conns, 2);
    assert_string_equal(get(c2, "outcome")->valuestring, "not_covered");
    assert_string_equal(get(c2, "reason")->valuestring, "not_evaluated_non_entra");
    const cJSON *c3 = cJSON_GetArrayItem(conns, 3);
    assert_string_equal(get(c3, "outcome")->valuestring, "error");
    assert_string_equal(get(get(c3, "error"), "code")->valuestring, "syntax");
    assert_int_equal(cJSON_GetArraySize(get(doc, "errors")), 1);
    /* The suggested policy is a policy document that loads. */
    char *sugg = cJSON_PrintUnformatted(get(doc, "suggestedPolicy"));
    tiso_policy *s = rt_policy(sugg);
    assert_int_equal(tiso_policy_entry_count(s), 3);
    tiso_policy_free(s);
    free(sugg);
    cJSON_Delete(doc);
    free(out);
    tiso_report_free(r);
    tiso_policy_free(p);
}

static void diff_json_shape(void **state)
{
    (void)state;
    tiso_policy *before = rt_build(HOME, 1, ENTRIES);
    const char *const after_entries[] = {TA ":io", NULL};
    tiso_policy *after = rt_build(HOME, 1, after_entries);
    tiso_report *r = rt_report(after, before, NULL);
    char *out = rt_write(r, TISO_FORMAT_DIFF_JSON,
                         "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TA "\", \"k\": 1}\n"
                         "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TB "\"}\n"
                         "{\"creatorTenantId\": \"" TC "\", \"targetTenantId\": \"" HOME "\"}\n");
    cJSON *doc = cJSON_Parse(out);
    if (!doc)
        fail_msg("not JSON:\n%s", out);
    const cJSON *t = get(doc, "totals");
    assert_int_equal(get(t, "changed")->valueint, 2);
    assert_int_equal(get(t, "newlyBlocked")->valueint, 1);
    assert_int_equal(get(t, "newlyAllowed")->valueint, 1);
    const cJSON *changed = get(doc, "changed");
    assert_int_equal(cJSON_GetArraySize(changed), 2);
    const cJSON *c0 = cJSON_GetArrayItem(changed, 0);
    assert_string_equal(get(c0, "before")->valuestring, "deny");
    assert_string_equal(get(c0, "after")->valuestring, "allow");
    assert_string_equal(get(c0, "reasonBefore")->valuestring, "not_allowlisted");
    assert_string_equal(get(c0, "reasonAfter")->valuestring, "allowlisted");
    assert_int_equal(get(c0, "k")->valueint, 1);
    cJSON_Delete(doc);
    free(out);
    out = rt_write(r, TISO_FORMAT_DIFF_TEXT, NULL);
    rt_contains(out, "Summary: 3 connections: 2 change verdict (1 newly blocked, 1 newly allowed)");
    free(out);
    tiso_report_free(r);
    tiso_policy_free(before);
    tiso_policy_free(after);
}

static void csv_rows(void **state)
{
    (void)state;
    tiso_policy *p;
    tiso_report *r = contoso(&p);
    char *out = rt_write(r, TISO_FORMAT_CSV, INVENTORY);
    assert_true(strncmp(out, "source,line,index,creator,target,", 33) == 0);
    rt_contains(out, ",\"c,1 \"\"q\"\"\nnext\","); /* RFC 4180 quoting */
    rt_contains(out, "\r\n");
    size_t rows = 0;
    for (const char *s = out; (s = strstr(s, "\r\n")) != NULL; s += 2)
        rows++;
    assert_int_equal(rows, 5); /* header + 4 */
    free(out);
    tiso_report_free(r);
    tiso_policy_free(p);
}

/* Cells that a spreadsheet would run as a formula get a leading ', inside
 * the quotes when the cell has them (OWASP CSV injection). */
static void csv_cells_inert(void **state)
{
    (void)state;
    tiso_policy *p;
    tiso_report *r = contoso(&p);
    char *out = rt_write(r, TISO_FORMAT_CSV,
                         "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TA "\", \"connectionId\": "
                         "\"=HYPERLINK(1,2)\", \"environmentId\": \"@SUM(1)\", \"connector\": \"+x\", "
                         "\"userTenantId\": \"-2\"}\n");
    rt_contains(out, ",'+x,\"'=HYPERLINK(1,2)\",'@SUM(1),'-2,");
    assert_null(strstr(out, ",=H"));
    free(out);
    tiso_report_free(r);
    tiso_policy_free(p);
}

static void text_for_people(void **state)
{
    (void)state;
    tiso_policy *p;
    tiso_report *r = contoso(&p);
    char *out = rt_write(r, TISO_FORMAT_TEXT, INVENTORY);
    rt_contains(out, "BLOCKED      outbound to   " TA);
    rt_contains(out, "NOT COVERED  " HOME " -> " TC "  shared_visualstudioteamservices");
    rt_contains(out, "ERROR        inventory.jsonl:4:");
    rt_contains(out, "Summary: 4 connections: 1 allowed, 1 blocked, 1 not covered by isolation, 1 error");
    rt_contains(out, "add 1 allowlist entry");
    assert_null(strstr(out, "ALLOWED"));
    free(out);
    tiso_report_free(r);
    tiso_policy_free(p);
}

/* Hostile input cannot script the page or make it fetch anything, and
 * invalid UTF-8 from a caller is repaired. */
static void html_is_inert(void **state)
{
    (void)state;
    tiso_policy *p = rt_build(HOME, 1, NULL);
    tiso_report *r = rt_report(p, NULL, NULL);
    const char *inv = "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TA "\","
                      " \"connectionId\": \"<script>alert(1)</script>\", \"environmentId\": \"<img src=x onerror=alert(2)>\","
                      " \"connector\": \"a\\\"b'<c>&d\"}\n"
                      "{\"creatorTenantId\": \"<b>bold</b>\", \"targetTenantId\": \"" TA "\"}\n";
    char *out = rt_write(r, TISO_FORMAT_HTML, inv);
    rt_contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;");
    rt_contains(out, "&lt;img src=x onerror=alert(2)&gt;");
    rt_contains(out, "&lt;b&gt;bold&lt;/b&gt;");
    assert_null(strstr(out, "<script"));
    assert_null(strstr(out, "<img"));
    assert_null(strstr(out, "<b>"));
    assert_null(strstr(out, "https://"));
    assert_null(strstr(out, "url("));
    assert_null(strstr(out, "@import"));
    assert_null(strstr(out, " href="));
    rt_contains(out, "<svg");
    rt_contains(out, TA);
    free(out);
    tiso_report_free(r);
    tiso_policy_free(p);
}

typedef struct sink {
    char data[65536];
    size_t len;
    int fail_after; /* calls allowed before failing; -1 never */
} sink;

static int sink_write(void *user, const char *data, size_t len)
{
    sink *s = user;
    if (s->fail_after == 0)
        return -1;
    if (s->fail_after > 0)
        s->fail_after--;
    if (s->len + len < sizeof s->data) {
        memcpy(s->data + s->len, data, len);
        s->len += len;
        s->data[s->len] = '\0';
    }
    return 0;
}

static void invalid_utf8_repaired(void **state)
{
    (void)state;
    tiso_policy *p = rt_build(HOME, 1, NULL);
    for (int f = TISO_FORMAT_TEXT; f <= TISO_FORMAT_HTML; f++) {
        tiso_report *r = rt_report(p, NULL, NULL);
        static sink s;
        memset(&s, 0, sizeof s);
        s.fail_after = -1;
        tiso_report_writer *w = NULL;
        assert_int_equal(tiso_report_writer_new(&w, r, (tiso_report_format)f, sink_write, &s, NULL), TISO_OK);
        tiso_report_set_observer(r, tiso_report_writer_observe, w);
        tiso_connection c = {.creator = HOME, .target = TA, .connection_id = "bad\xff\xfe", .connector = "x\xc3",
                             .source = "src\x80", .line = 1, .index = -1, .fields = "{\"k\": \"v\xff\"}", .fields_len = 12};
        assert_int_equal(tiso_report_add(NULL, r, &c, NULL), TISO_OK);
        assert_int_equal(tiso_report_writer_finish(w, NULL), TISO_OK);
        rt_contains(s.data, f == TISO_FORMAT_JSON ? "src\xef\xbf\xbd" : "bad\xef\xbf\xbd\xef\xbf\xbd");
        for (size_t i = 0; i < s.len; i++)
            assert_true((unsigned char)s.data[i] != 0xff && (unsigned char)s.data[i] != 0xfe &&
                        (unsigned char)s.data[i] != 0x80);
        tiso_report_writer_free(w);
        tiso_report_free(r);
    }
    tiso_policy_free(p);
}

/* A failing write is reported, once, as TISO_E_IO. */
static void write_failures(void **state)
{
    (void)state;
    tiso_policy *p = rt_build(HOME, 1, NULL);
    tiso_report *r = rt_report(p, NULL, NULL);
    static sink s;
    memset(&s, 0, sizeof s);
    tiso_report_writer *w = NULL;
    tiso_error err;
    s.fail_after = 0;
    assert_int_equal(tiso_report_writer_new(&w, r, TISO_FORMAT_TEXT, sink_write, &s, &err), TISO_E_IO);
    assert_null(w);
    s.fail_after = 1;
    assert_int_equal(tiso_report_writer_new(&w, r, TISO_FORMAT_TEXT, sink_write, &s, &err), TISO_OK);
    tiso_report_set_observer(r, tiso_report_writer_observe, w);
    rt_add(r, HOME, TA, NULL);
    assert_int_equal(tiso_report_writer_finish(w, &err), TISO_E_IO);
    assert_int_equal(tiso_report_writer_finish(w, &err), TISO_E_INVALID_ARGUMENT); /* once */
    tiso_report_writer_free(w);
    tiso_report_free(r);
    tiso_policy_free(p);
}

static void formats_and_misuse(void **state)
{
    (void)state;
    tiso_report_format f;
    assert_int_equal(tiso_report_format_parse(&f, "HTML", 4), TISO_OK);
    assert_int_equal(f, TISO_FORMAT_HTML);
    assert_int_equal(tiso_report_format_parse(&f, "csv", 3), TISO_OK);
    assert_int_equal(tiso_report_format_parse(&f, "pdf", 3), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_format_parse(&f, "json", 3), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_format_parse(NULL, "json", 4), TISO_E_INVALID_ARGUMENT);
    tiso_policy *p = rt_build(HOME, 1, NULL);
    tiso_report *r = rt_report(p, NULL, NULL), *d = rt_report(p, p, NULL);
    static sink s;
    memset(&s, 0, sizeof s);
    s.fail_after = -1;
    tiso_report_writer *w = NULL;
    assert_int_equal(tiso_report_writer_new(&w, r, TISO_FORMAT_DIFF_JSON, sink_write, &s, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_writer_new(&w, d, TISO_FORMAT_CSV, sink_write, &s, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_writer_new(&w, r, (tiso_report_format)77, sink_write, &s, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_writer_new(&w, r, TISO_FORMAT_TEXT, NULL, &s, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_writer_finish(NULL, NULL), TISO_E_INVALID_ARGUMENT);
    tiso_report_writer_observe(NULL, NULL);
    tiso_report_writer_free(NULL);
    tiso_policy_set *set = NULL;
    tiso_policy_set_new(&set, 0, NULL);
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.policy_set = set;
    tiso_report *sr = NULL;
    assert_int_equal(tiso_report_new(&sr, &opts, NULL), TISO_OK);
    assert_int_equal(tiso_report_writer_new(&w, sr, TISO_FORMAT_JSON, sink_write, &s, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_writer_new(&w, sr, TISO_FORMAT_TEXT, sink_write, &s, NULL), TISO_OK);
    tiso_report_writer_free(w);
    tiso_report_free(sr);
    tiso_policy_set_free(set);
    tiso_report_free(r);
    tiso_report_free(d);
    tiso_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_shape),
        cmocka_unit_test(diff_json_shape),
        cmocka_unit_test(csv_rows),
        cmocka_unit_test(csv_cells_inert),
        cmocka_unit_test(text_for_people),
        cmocka_unit_test(html_is_inert),
        cmocka_unit_test(invalid_utf8_repaired),
        cmocka_unit_test(write_failures),
        cmocka_unit_test(formats_and_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
