/* Impact analysis limits (report.h) at their boundaries, where
 * tests/report/test_report_readers.c checks only the failing side: page
 * size, line length, string length and nesting depth, just under and just
 * over, read from memory and from files (the streaming reader), each
 * failure naming the limit and where. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tenantiso/report.h>

#include "limit_util.h"

#define PAGE_HEAD                                                                                                      \
    "{\"tenantId\": \"" CONTOSO "\", \"connections\": [{\"tenantId\": \"" TENANT_A                                     \
    "\", \"connectionType\": \"Outbound\""
#define LINE_HEAD "{\"creatorTenantId\": \"" CONTOSO "\", \"targetTenantId\": \"" TENANT_A "\""

typedef struct records {
    size_t connections, problems;
    tiso_error last; /* the last problem */
} records;

static tiso_status collect(void *user, const tiso_connection *c, const tiso_error *problem)
{
    records *r = user;
    (void)c;
    if (problem) {
        r->problems++;
        r->last = *problem;
    } else {
        r->connections++;
    }
    return TISO_OK;
}

static tiso_report_options options(void)
{
    tiso_report_options o;
    tiso_report_options_init(&o);
    return o;
}

/* A page whose one connection has `extra` (text of a member) after its
 * fields, padded with spaces to `size` bytes if that is larger. */
static char *page(const char *extra, size_t size, size_t *len)
{
    size_t need = strlen(PAGE_HEAD) + strlen(extra) + 8;
    char *s = malloc((size > need ? size : need) + 1);
    assert_non_null(s);
    *len = (size_t)sprintf(s, PAGE_HEAD "%s}]}", extra);
    if (size > *len) {
        memset(s + *len, ' ', size - *len);
        *len = size;
        s[size] = '\0';
    }
    return s;
}

static tiso_status read_page(const char *text, size_t len, const tiso_report_options *o, records *r, tiso_error *err)
{
    memset(r, 0, sizeof *r);
    tiso_error_clear(err);
    return tiso_read_report_page(NULL, collect, r, text, len, "page.json", o, err);
}

static void page_size(void **state)
{
    (void)state;
    size_t len;
    char *p = page("", 300, &len);
    tiso_report_options o = options();
    records r;
    tiso_error err;
    o.max_page_bytes = len;
    assert_int_equal(read_page(p, len, &o, &r, &err), TISO_OK);
    assert_int_equal(r.connections, 1);
    o.max_page_bytes = len - 1;
    assert_int_equal(read_page(p, len, &o, &r, &err), TISO_E_LIMIT);
    lu_assert_names(&err, TISO_E_LIMIT, (const char *const[]){"299", NULL});
    assert_int_equal(r.connections + r.problems, 0);
    free(p);
}

/* A string of exactly the limit in a page and in a line, then one more. */
static void string_length(void **state)
{
    (void)state;
    for (int over = 0; over <= 1; over++) {
        size_t n = TISO_REPORT_DEFAULT_MAX_STRING_BYTES + (size_t)over;
        char *value = tt_repeat('v', n);
        char *extra = malloc(n + 32);
        assert_non_null(extra);
        sprintf(extra, ", \"note\": \"%s\"", value);
        size_t len;
        char *p = page(extra, 0, &len);
        records r;
        tiso_error err;
        tiso_status s = read_page(p, len, NULL, &r, &err);
        assert_int_equal(s, over ? TISO_E_LIMIT : TISO_OK);
        if (over)
            lu_assert_names(&err, TISO_E_LIMIT, (const char *const[]){"65536", "connections[0].note", NULL});
        char *line = malloc(n + 256);
        assert_non_null(line);
        len = (size_t)sprintf(line, LINE_HEAD ", \"note\": \"%s\"}", value);
        memset(&r, 0, sizeof r);
        assert_int_equal(tiso_read_inventory_line(collect, &r, line, len, "inv.jsonl", 3, NULL), TISO_OK);
        assert_int_equal(over ? r.problems : r.connections, 1);
        if (over)
            lu_assert_names(&r.last, TISO_E_LIMIT, (const char *const[]){"65536", NULL});
        free(line);
        free(p);
        free(extra);
        free(value);
    }
}

/* `depth` containers deep, counting the page (or line) object as 1. */
static char *nested(size_t depth)
{
    size_t arrays = depth - 3; /* page, connections array, connection object */
    char *extra = malloc(2 * arrays + 16);
    assert_non_null(extra);
    strcpy(extra, ", \"x\": ");
    size_t l = strlen(extra);
    memset(extra + l, '[', arrays);
    memset(extra + l + arrays, ']', arrays);
    extra[l + 2 * arrays] = '\0';
    return extra;
}

static void nesting_depth(void **state)
{
    (void)state;
    for (int over = 0; over <= 1; over++) {
        char *extra = nested(TISO_REPORT_DEFAULT_MAX_DEPTH + (size_t)over);
        size_t len;
        char *p = page(extra, 0, &len);
        records r;
        tiso_error err;
        assert_int_equal(read_page(p, len, NULL, &r, &err), over ? TISO_E_LIMIT : TISO_OK);
        if (over)
            lu_assert_names(&err, TISO_E_LIMIT, (const char *const[]){"64", "connections[0].x", NULL});
        free(p);
        free(extra);
    }
}

/* Lines through a report from a file (read in chunks): a line of exactly
 * max_line_bytes is a connection, one byte more is one problem naming the
 * line, and reading goes on with the next line. */
static void line_length_streamed(void **state)
{
    (void)state;
    const size_t max = TISO_REPORT_DEFAULT_MAX_LINE_BYTES;
    char *text = malloc(2 * max + 1024);
    assert_non_null(text);
    size_t len = 0;
    for (size_t i = 0; i < 2; i++) {
        size_t start = len;
        /* Lines of max and max + 1 bytes, padded inside the object: white
         * space around a line is trimmed before its length counts. */
        len += (size_t)sprintf(text + len, LINE_HEAD);
        memset(text + len, ' ', max + i - 1 - (len - start));
        len = start + max + i - 1;
        text[len++] = '}';
        text[len++] = '\n';
    }
    len += (size_t)sprintf(text + len, LINE_HEAD "}\n");
    char *path = tt_write_temp(text, len);
    tiso_policy *policy = tt_load("{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false}", NULL);
    tiso_report_options o = options();
    o.policy = policy;
    tiso_report *r = NULL;
    tiso_error err;
    assert_int_equal(tiso_report_new(&r, &o, NULL), TISO_OK);
    assert_int_equal(tiso_report_read_file(r, path, &err), TISO_OK);
    tiso_report_totals t;
    assert_int_equal(tiso_report_get_totals(&t, r), TISO_OK);
    assert_true(t.connections == 3 && t.errors == 1 && t.blocked == 2);
    tiso_report_problem pr;
    assert_int_equal(tiso_report_problem_at(&pr, r, 0), TISO_OK);
    assert_true(pr.status == TISO_E_LIMIT && pr.line == 2);
    tt_assert_contains(pr.message, "1048576");
    tiso_report_free(r);
    tiso_policy_free(policy);
    unlink(path);
    free(path);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_size),
        cmocka_unit_test(string_length),
        cmocka_unit_test(nesting_depth),
        cmocka_unit_test(line_length_streamed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
