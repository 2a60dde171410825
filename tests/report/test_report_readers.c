/* The readers (report.h): cross-tenant connection report pages and JSON
 * Lines inventory lines, as pure functions over bytes -- the side each
 * connectionType means, the fields kept for echoing, and every bad page,
 * entry and line reported with where it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_test_util.h"

static tiso_status read_page(const char *json, rt_records *rs, tiso_page_info *info, tiso_error *err)
{
    memset(rs, 0, sizeof *rs);
    return tiso_read_report_page(info, rt_collect, rs, json, strlen(json), "page.json", NULL, err);
}

static rt_record read_line(const char *line, uint64_t no, size_t *count)
{
    rt_records rs;
    memset(&rs, 0, sizeof rs);
    assert_int_equal(tiso_read_inventory_line(rt_collect, &rs, line, strlen(line), "inv.jsonl", no, NULL), TISO_OK);
    *count = rs.count;
    return rs.items[0];
}

/* An Outbound entry's tenantId is the target, the page's the creator;
 * Inbound the other way round (SPEC 6). */
static void page_sides(void **state)
{
    (void)state;
    rt_records rs;
    tiso_page_info info;
    tiso_error err;
    const char *page = "{\"tenantId\": \"" HOME "\", \"reportId\": \"r-1\", \"status\": \"Completed\","
                       " \"startDate\": \"2025-04-01\", \"endDate\": \"2025-04-30\", \"connections\": ["
                       "{\"tenantId\": \"" TA "\", \"connectionType\": \"Outbound\", \"connectorId\": \"/apis/shared_sql\","
                       " \"environmentId\": \"env-1\", \"connectionId\": \"c-1\", \"extra\": [1, 2]},"
                       "{\"tenantId\": \"" TB "\", \"connectionType\": \"inbound\"}]}";
    assert_int_equal(read_page(page, &rs, &info, &err), TISO_OK);
    assert_int_equal(rs.count, 2);
    assert_string_equal(rs.items[0].creator, HOME);
    assert_string_equal(rs.items[0].target, TA);
    assert_string_equal(rs.items[0].connector, "/apis/shared_sql");
    assert_string_equal(rs.items[0].environment_id, "env-1");
    assert_string_equal(rs.items[0].connection_id, "c-1");
    rt_contains(rs.items[0].fields, "\"extra\": [1, 2]}"); /* the entry as written, as an inventory line */
    assert_int_equal(rs.items[0].index, 0);
    assert_string_equal(rs.items[1].creator, TB);
    assert_string_equal(rs.items[1].target, HOME);
    assert_int_equal(rs.items[1].index, 1);
    assert_string_equal(info.tenant_id, HOME);
    assert_string_equal(info.report_id, "r-1");
    assert_string_equal(info.status, "Completed");
    assert_string_equal(info.start_date, "2025-04-01");
    assert_string_equal(info.end_date, "2025-04-30");
    assert_int_equal(info.entries, 2);
}

/* Older versions of the API call the status "reportStatus". */
static void page_report_status(void **state)
{
    (void)state;
    rt_records rs;
    tiso_page_info info;
    tiso_error err;
    assert_int_equal(read_page("{\"tenantId\": \"" HOME "\", \"reportStatus\": \"Pending\", \"connections\": []}",
                               &rs, &info, &err),
                     TISO_OK);
    assert_string_equal(info.status, "Pending");
    assert_int_equal(rs.count, 0);
}

/* Bad entries are reported with their index; the good ones still come. */
static void page_bad_entries(void **state)
{
    (void)state;
    rt_records rs;
    tiso_error err;
    const char *page = "{\"tenantId\": \"" HOME "\", \"connections\": ["
                       "42,"
                       "{\"connectionType\": \"Outbound\"},"
                       "{\"tenantId\": \"" TA "\", \"connectionType\": \"Sideways\"},"
                       "{\"tenantId\": 7, \"connectionType\": \"Inbound\"},"
                       "{\"tenantId\": \"" TA "\"},"
                       "{\"tenantId\": \"" TA "\", \"connectionType\": \"Outbound\", \"connector\": 5},"
                       "{\"tenantId\": \"" TA "\", \"connectionType\": \"Outbound\"}]}";
    assert_int_equal(read_page(page, &rs, NULL, &err), TISO_OK);
    assert_int_equal(rs.count, 7);
    for (size_t i = 0; i < 6; i++) {
        assert_true(rs.items[i].problem);
        assert_int_equal(rs.items[i].status, TISO_E_SCHEMA);
        assert_int_equal(rs.items[i].index, (int64_t)i);
    }
    rt_contains(rs.items[0].message, "expected an object, found a number");
    assert_string_equal(rs.items[1].path, "connections[1].tenantId");
    rt_contains(rs.items[2].message, "Sideways");
    assert_string_equal(rs.items[2].path, "connections[2].connectionType");
    rt_contains(rs.items[3].message, "expected a string, found a number");
    assert_string_equal(rs.items[4].path, "connections[4].connectionType");
    assert_string_equal(rs.items[5].path, "connections[5].connector");
    assert_false(rs.items[6].problem);
    /* A bad entry that is an object is still echoed. */
    rt_contains(rs.items[2].fields, "Sideways");
}

/* A page that is not one fails as a whole, before any record, saying where. */
static void page_whole_failures(void **state)
{
    (void)state;
    rt_records rs;
    tiso_error err;
    assert_int_equal(read_page("{\"tenantId\": \"" HOME "\",\n \"connections\": [,]}", &rs, NULL, &err), TISO_E_SYNTAX);
    assert_int_equal(err.line, 2);
    rt_contains(err.message, "page.json:2:");
    assert_int_equal(rs.count, 0);
    assert_int_equal(read_page("[1, 2]", &rs, NULL, &err), TISO_E_SCHEMA);
    assert_int_equal(read_page("{\"tenantId\": \"" HOME "\"}", &rs, NULL, &err), TISO_E_SCHEMA);
    rt_contains(err.message, "not a cross-tenant connection report page");
    assert_int_equal(read_page("{\"connections\": []}", &rs, NULL, &err), TISO_E_SCHEMA);
    assert_string_equal(err.path, "tenantId");
    assert_int_equal(read_page("{\"tenantId\": \"" HOME "\", \"connections\": {}}", &rs, NULL, &err), TISO_E_SCHEMA);
    assert_int_equal(read_page("", &rs, NULL, &err), TISO_E_SYNTAX);
    assert_int_equal(read_page("{\"tenantId\": \"" HOME "\", \"connections\": []", &rs, NULL, &err), TISO_E_SYNTAX);
    assert_int_equal(tiso_read_report_page(NULL, rt_collect, &rs, NULL, 0, "x", NULL, &err), TISO_E_INVALID_ARGUMENT);
}

/* Limits hold for pages: nesting and size. */
static void page_limits(void **state)
{
    (void)state;
    char deep[400];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof deep, "{\"tenantId\": \"x\", \"connections\": [");
    for (int i = 0; i < 80; i++)
        deep[n++] = '[';
    deep[n] = '\0';
    rt_records rs;
    tiso_error err;
    assert_int_equal(read_page(deep, &rs, NULL, &err), TISO_E_LIMIT);
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.max_page_bytes = 10;
    const char *page = "{\"tenantId\": \"" HOME "\", \"connections\": []}";
    assert_int_equal(tiso_read_report_page(NULL, rt_collect, &rs, page, strlen(page), "p", &opts, &err), TISO_E_LIMIT);
}

static void inventory_good_line(void **state)
{
    (void)state;
    size_t n;
    rt_record r = read_line("  {\"creatorTenantId\": \"contoso.com\", \"targetTenantId\": \"" TA "\","
                            " \"connector\": \"shared_teams\", \"connectionId\": \"c-9\", \"environmentId\": \"e\","
                            " \"userTenantId\": \"" TB "\", \"note\": \"kept\"}\r",
                            12, &n);
    assert_int_equal(n, 1);
    assert_false(r.problem);
    assert_string_equal(r.creator, "contoso.com");
    assert_string_equal(r.target, TA);
    assert_string_equal(r.connector, "shared_teams");
    assert_string_equal(r.connection_id, "c-9");
    assert_string_equal(r.environment_id, "e");
    assert_int_equal(r.line, 12);
    assert_int_equal(r.index, -1);
    rt_contains(r.fields, "\"note\": \"kept\"");
    assert_true(r.fields[0] == '{'); /* trimmed */
    /* connectorId and apiId name the connector too. */
    r = read_line("{\"creatorTenantId\": \"" TA "\", \"targetTenantId\": \"" TB "\", \"apiId\": \"/apis/x\"}", 1, &n);
    assert_string_equal(r.connector, "/apis/x");
}

static void inventory_blank_lines(void **state)
{
    (void)state;
    size_t n;
    read_line("", 1, &n);
    assert_int_equal(n, 0);
    read_line(" \t\r", 2, &n);
    assert_int_equal(n, 0);
}

static void inventory_bad_lines(void **state)
{
    (void)state;
    size_t n;
    rt_record r = read_line("{\"creatorTenantId\": \"" TA "\", \"targetTenantId\": ", 7, &n);
    assert_int_equal(n, 1);
    assert_true(r.problem);
    assert_int_equal(r.status, TISO_E_SYNTAX);
    assert_int_equal(r.line, 7);
    rt_contains(r.message, "column");
    r = read_line("[1]", 8, &n);
    assert_int_equal(r.status, TISO_E_SCHEMA);
    rt_contains(r.message, "expected a JSON object");
    r = read_line("{\"targetTenantId\": \"" TA "\"}", 9, &n);
    assert_string_equal(r.path, "creatorTenantId");
    rt_contains(r.fields, "targetTenantId"); /* still echoed */
    r = read_line("{\"creatorTenantId\": \"" TA "\", \"targetTenantId\": null}", 10, &n);
    assert_string_equal(r.path, "targetTenantId");
    r = read_line("{\"creatorTenantId\": \"" TA "\", \"targetTenantId\": \"" TB "\", \"connector\": []}", 11, &n);
    assert_string_equal(r.path, "connector");
    r = read_line("{\"creatorTenantId\": \"" TA "\"} {}", 12, &n);
    assert_int_equal(r.status, TISO_E_SYNTAX);
    r = read_line("{\"creatorTenantId\": \"\xff\", \"targetTenantId\": \"" TB "\"}", 13, &n);
    assert_int_equal(r.status, TISO_E_SYNTAX);
    rt_contains(r.message, "UTF-8");
    char nul[] = "{\"creatorTenantId\": \"a\0b\", \"targetTenantId\": \"b\"}";
    rt_records rs;
    memset(&rs, 0, sizeof rs);
    assert_int_equal(tiso_read_inventory_line(rt_collect, &rs, nul, sizeof nul - 1, "inv", 14, NULL), TISO_OK);
    assert_int_equal(rs.count, 1);
    assert_int_equal(rs.items[0].status, TISO_E_SYNTAX);
}

/* A repeated key is an error for its record (never "first wins"), in a
 * small record and in one of thousands of members, as in a page entry. */
static void duplicate_keys(void **state)
{
    (void)state;
    size_t n;
    rt_record r = read_line("{\"creatorTenantId\": \"" TA "\", \"creatorTenantId\": \"" TB "\", "
                            "\"targetTenantId\": \"" TA "\"}", 3, &n);
    assert_true(r.problem);
    assert_int_equal(r.status, TISO_E_SCHEMA);
    assert_string_equal(r.path, "creatorTenantId");
    rt_contains(r.message, "duplicate key");
    enum { MEMBERS = 20000 };
    char *big = malloc(MEMBERS * 16 + 200);
    assert_non_null(big);
    size_t len = (size_t)sprintf(big, "{\"creatorTenantId\": \"" TA "\", \"targetTenantId\": \"" TB "\"");
    for (int i = 0; i < MEMBERS; i++)
        len += (size_t)sprintf(big + len, ",\"k%d\":%d", i, i);
    strcpy(big + len, ",\"k7\":0}");
    r = read_line(big, 4, &n);
    assert_int_equal(r.status, TISO_E_SCHEMA);
    assert_string_equal(r.path, "k7");
    big[len] = '}';
    big[len + 1] = '\0';
    r = read_line(big, 5, &n);
    assert_false(r.problem);
    free(big);
    rt_records rs;
    tiso_error err;
    assert_int_equal(read_page("{\"tenantId\": \"" HOME "\", \"connections\": [{\"tenantId\": \"" TA "\", "
                               "\"connectionType\": \"Outbound\", \"connectionType\": \"Inbound\"}]}",
                               &rs, NULL, &err),
                     TISO_OK);
    assert_int_equal(rs.count, 1);
    assert_string_equal(rs.items[0].path, "connections[0].connectionType");
    /* The page's own members too: a second "connections" is not ignored. */
    assert_int_equal(read_page("{\"tenantId\": \"" HOME "\", \"connections\": [], \"connections\": [{\"tenantId\": \"" TA
                               "\", \"connectionType\": \"Outbound\"}]}",
                               &rs, NULL, &err),
                     TISO_E_SCHEMA);
    assert_string_equal(err.path, "connections");
    assert_int_equal(rs.count, 0);
}

/* A non-ASCII line takes the full path and reads the same. */
static void inventory_unicode(void **state)
{
    (void)state;
    size_t n;
    rt_record r = read_line("{\"creatorTenantId\": \"" TA "\", \"targetTenantId\": \"" TB "\", \"owner\": \"J\xc3\xb6rg\"}",
                            3, &n);
    assert_false(r.problem);
    rt_contains(r.fields, "J\xc3\xb6rg");
}

static void inventory_limits(void **state)
{
    (void)state;
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.max_line_bytes = 40;
    rt_records rs;
    memset(&rs, 0, sizeof rs);
    const char *line = "{\"creatorTenantId\": \"" TA "\", \"targetTenantId\": \"" TB "\"}";
    assert_int_equal(tiso_read_inventory_line(rt_collect, &rs, line, strlen(line), "inv", 1, &opts), TISO_OK);
    assert_int_equal(rs.items[0].status, TISO_E_LIMIT);
    char deep[200] = "{\"creatorTenantId\": \"a\", \"targetTenantId\": \"b\", \"x\": ";
    for (int i = 0; i < 70; i++)
        strcat(deep, "[");
    assert_int_equal(tiso_read_inventory_line(rt_collect, &rs, deep, strlen(deep), "inv", 2, NULL), TISO_OK);
    assert_int_equal(rs.items[1].status, TISO_E_LIMIT);
    assert_int_equal(tiso_read_inventory_line(rt_collect, &rs, NULL, 3, "inv", 3, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_read_inventory_line(NULL, &rs, "{}", 2, "inv", 3, NULL), TISO_E_INVALID_ARGUMENT);
}

/* The callback can stop a reader; the reader returns its status. */
static tiso_status stop(void *user, const tiso_connection *c, const tiso_error *problem)
{
    (void)c;
    (void)problem;
    (*(int *)user)++;
    return TISO_E_NOMEM;
}

static void callback_stops(void **state)
{
    (void)state;
    int calls = 0;
    const char *page = "{\"tenantId\": \"" HOME "\", \"connections\": [{\"tenantId\": \"" TA "\", \"connectionType\":"
                       " \"Outbound\"}, {\"tenantId\": \"" TA "\", \"connectionType\": \"Inbound\"}]}";
    tiso_error err;
    assert_int_equal(tiso_read_report_page(NULL, stop, &calls, page, strlen(page), "p", NULL, &err), TISO_E_NOMEM);
    assert_int_equal(calls, 1);
}

/* Reading from a descriptor decides page or inventory by content. */
static int temp_fd(const char *content)
{
    char path[] = "/tmp/tiso_report_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    lseek(fd, 0, SEEK_SET);
    return fd;
}

/* Reads `content` through a descriptor into a report of options version
 * `version` and input format `format`; `err` (may be NULL) gets the error. */
static tiso_report_totals read_fd_as(const char *content, uint32_t version, tiso_input_format format,
                                     tiso_status expect, tiso_report_input *input, tiso_error *err)
{
    tiso_policy *p = rt_build(HOME, 1, NULL);
    tiso_report_options o;
    tiso_report_options_init(&o);
    o.policy = p;
    o.version = version;
    o.input_format = format;
    tiso_report *r;
    tiso_error e;
    assert_int_equal(tiso_report_new(&r, &o, &e), TISO_OK);
    int fd = temp_fd(content);
    assert_int_equal(tiso_report_read_fd(r, fd, "input", err ? err : &e), expect);
    close(fd);
    tiso_report_totals t;
    tiso_report_get_totals(&t, r);
    if (input) {
        memset(input, 0, sizeof *input);
        if (tiso_report_input_count(r))
            tiso_report_input_at(input, r, 0);
    }
    tiso_report_free(r);
    tiso_policy_free(p);
    return t;
}

static tiso_report_totals read_fd_totals(const char *content, tiso_status expect, tiso_report_input *input)
{
    return read_fd_as(content, TISO_REPORT_OPTIONS_VERSION, TISO_INPUT_AUTO, expect, input, NULL);
}

static void fd_detects_kind(void **state)
{
    (void)state;
    tiso_report_input in;
    /* A pretty-printed page, after a UTF-8 byte order mark. */
    tiso_report_totals t = read_fd_totals("\xef\xbb\xbf{\n  \"tenantId\": \"" HOME "\",\n  \"connections\": [\n"
                                          "    {\"tenantId\": \"" TA "\", \"connectionType\": \"Outbound\"}\n  ]\n}\n",
                                          TISO_OK, &in);
    assert_int_equal(t.connections, 1);
    assert_int_equal(t.blocked, 1);
    assert_true(in.is_page);
    /* A page on one line. */
    t = read_fd_totals("{\"tenantId\": \"" HOME "\", \"connections\": [{\"tenantId\": \"" TA
                       "\", \"connectionType\": \"Inbound\"}]}",
                       TISO_OK, &in);
    assert_int_equal(t.blocked, 1);
    assert_true(in.is_page);
    /* An inventory, last line without a newline, a blank line between. */
    t = read_fd_totals("{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TA "\"}\n\n"
                       "{\"creatorTenantId\": \"" TA "\", \"targetTenantId\": \"" TA "\"}",
                       TISO_OK, &in);
    assert_int_equal(t.connections, 2);
    assert_int_equal(t.blocked, 1);
    assert_int_equal(t.allowed, 1);
    assert_false(in.is_page);
    /* An inventory whose first line is bad: still an inventory. */
    t = read_fd_totals("{oops\n{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TA "\"}\n", TISO_OK, &in);
    assert_int_equal(t.connections, 2);
    assert_int_equal(t.errors, 1);
    assert_false(in.is_page);
    /* A one-object input that could be a page or a one-line inventory. */
    read_fd_totals("{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TA "\", \"tenantId\": \"" HOME
                   "\", \"connections\": []}\n",
                   TISO_E_SCHEMA, NULL);
    /* An inventory whose first line has "connections": that line is an error. */
    t = read_fd_totals("{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TA "\", \"connections\": []}\n"
                       "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TA "\"}\n",
                       TISO_OK, &in);
    assert_true(t.connections == 2 && t.errors == 1 && t.blocked == 1 && !in.is_page);
    /* Empty: an empty inventory. */
    t = read_fd_totals("", TISO_OK, &in);
    assert_int_equal(t.connections, 0);
    /* Neither: a malformed page fails as a whole. */
    t = read_fd_totals("{\n\"tenantId\": \n", TISO_E_SYNTAX, NULL);
    assert_int_equal(t.connections, 0);
    /* UTF-16, as Windows PowerShell writes by default. */
    read_fd_totals("\xff\xfe{\0}\0", TISO_E_SYNTAX, NULL);
}

/* The input format forces the kind; a version 1 options struct (which
 * ends before it) still works, by content; an unknown format is refused. */
static void fd_forced_kind(void **state)
{
    (void)state;
    static const char both[] = "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TA "\", \"tenantId\": \"" HOME
                               "\", \"connections\": []}\n";
    tiso_report_totals t = read_fd_as(both, TISO_REPORT_OPTIONS_VERSION, TISO_INPUT_JSONL, TISO_OK, NULL, NULL);
    assert_int_equal(t.connections, 1);
    assert_int_equal(t.blocked, 1);
    t = read_fd_as(both, TISO_REPORT_OPTIONS_VERSION, TISO_INPUT_PAGE, TISO_OK, NULL, NULL);
    assert_int_equal(t.connections, 0);
    tiso_error err;
    read_fd_as(both, 1, TISO_INPUT_JSONL, TISO_E_SCHEMA, NULL, &err); /* version 1: by content */
    rt_contains(err.message, "--input-format");
    tiso_input_format f;
    assert_int_equal(tiso_input_format_parse(&f, "JSONL", 5), TISO_OK);
    assert_int_equal(f, TISO_INPUT_JSONL);
    assert_int_equal(tiso_input_format_parse(&f, "xml", 3), TISO_E_INVALID_ARGUMENT);
    tiso_report_options o;
    tiso_report_options_init(&o);
    o.policy = rt_build(HOME, 1, NULL);
    o.input_format = (tiso_input_format)7;
    tiso_report *r = NULL;
    assert_int_equal(tiso_report_new(&r, &o, &err), TISO_E_INVALID_ARGUMENT);
    tiso_policy_free(o.policy);
}

/* A line longer than the limit is one error; the next line is read. */
static void fd_long_line(void **state)
{
    (void)state;
    tiso_policy *p = rt_build(HOME, 1, NULL);
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.policy = p;
    opts.max_line_bytes = 200;
    tiso_report *r = NULL;
    assert_int_equal(tiso_report_new(&r, &opts, NULL), TISO_OK);
    char content[4096] = "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" TA "\"}\n{\"x\": \"";
    for (int i = 0; i < 3000; i++)
        strcat(content, "y");
    strcat(content, "\"}\n{\"creatorTenantId\": \"" TA "\", \"targetTenantId\": \"" TA "\"}\n");
    int fd = temp_fd(content);
    assert_int_equal(tiso_report_read_fd(r, fd, "long", NULL), TISO_OK);
    close(fd);
    tiso_report_totals t;
    tiso_report_get_totals(&t, r);
    assert_int_equal(t.connections, 3);
    assert_int_equal(t.errors, 1);
    tiso_report_problem pr;
    assert_int_equal(tiso_report_problem_at(&pr, r, 0), TISO_OK);
    assert_int_equal(pr.status, TISO_E_LIMIT);
    assert_int_equal(pr.line, 2);
    tiso_report_free(r);
    tiso_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_sides),
        cmocka_unit_test(page_report_status),
        cmocka_unit_test(page_bad_entries),
        cmocka_unit_test(page_whole_failures),
        cmocka_unit_test(page_limits),
        cmocka_unit_test(inventory_good_line),
        cmocka_unit_test(inventory_blank_lines),
        cmocka_unit_test(inventory_bad_lines),
        cmocka_unit_test(duplicate_keys),
        cmocka_unit_test(inventory_unicode),
        cmocka_unit_test(inventory_limits),
        cmocka_unit_test(callback_stops),
        cmocka_unit_test(fd_detects_kind),
        cmocka_unit_test(fd_forced_kind),
        cmocka_unit_test(fd_long_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
