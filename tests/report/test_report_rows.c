/* The rows of the JSON, CSV and diff JSON outputs, written straight from
 * the input record's text, against the rows cJSON built before they were
 * streamed: a reference written here the way the writers were (parse the
 * record, rename the members the report writes itself, add the report's,
 * print). Over hand-picked records and random ones -- valid, unusual (every
 * escape, number form, white space, nesting, duplicate and disguised
 * names) and broken -- each row must be byte for byte the reference's. The
 * inventory reader, which reads good lines without cJSON, must read every
 * line as its full pre-scan path does. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report_test_util.h"

/* ---- helpers ---- */

static void add_bytes(rt_buffer *b, const char *s, size_t n)
{
    rt_append(b, s, n);
}

static void add_str(rt_buffer *b, const char *s)
{
    rt_append(b, s, strlen(s));
}

/* Each byte that does not start valid UTF-8 as U+FFFD, as the writers do;
 * written apart from the library's scanner so the test has its own oracle. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len = c < 0x80                 ? 1
                 : c >= 0xc2 && c <= 0xdf ? 2
                 : c >= 0xe0 && c <= 0xef ? 3
                 : c >= 0xf0 && c <= 0xf4 ? 4
                                          : 0;
    if (len == 0 || n < len)
        return 0;
    uint32_t cp = len == 1 ? c : c & (len == 2 ? 0x1fu : len == 3 ? 0x0fu : 0x07u);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return len;
}

static char *repaired(const char *s, size_t n)
{
    rt_buffer b = {0};
    add_bytes(&b, "", 0);
    for (size_t i = 0; i < n;) {
        size_t len = utf8_len((const unsigned char *)s + i, n - i);
        if (len) {
            add_bytes(&b, s + i, len);
            i += len;
        } else {
            add_str(&b, "\xef\xbf\xbd");
            i++;
        }
    }
    return b.data;
}

/* ---- the connection under test, through a writer ---- */

typedef struct subject {
    const char *fields;
    size_t fields_len;
    int64_t index; /* -1: an inventory line; else a report page entry */
} subject;

/* Writes one connection (HOME -> TA) in `format`; a diff's policies make it
 * change verdict. Returns the whole output (free()). */
static char *write_one(const subject *s, tiso_report_format format)
{
    const char *const allow_ta[] = {TA ":o", NULL};
    tiso_policy *after = rt_build(HOME, 1, format == TISO_FORMAT_DIFF_JSON ? allow_ta : NULL);
    tiso_policy *before = format == TISO_FORMAT_DIFF_JSON ? rt_build(HOME, 1, NULL) : NULL;
    tiso_report *r = rt_report(after, before, NULL);
    rt_buffer b = {0};
    add_bytes(&b, "", 0);
    tiso_report_writer *w = NULL;
    assert_int_equal(tiso_report_writer_new(&w, r, format, rt_append, &b, NULL), TISO_OK);
    tiso_report_set_observer(r, tiso_report_writer_observe, w);
    tiso_connection c = {.creator = HOME,
                         .target = TA,
                         .connector = "shared_sql",
                         .fields = s->fields,
                         .fields_len = s->fields_len,
                         .source = "in\"put",
                         .line = s->index < 0 ? 7 : 0,
                         .index = s->index};
    assert_int_equal(tiso_report_add(NULL, r, &c, NULL), TISO_OK);
    assert_int_equal(tiso_report_writer_finish(w, NULL), TISO_OK);
    tiso_report_writer_free(w);
    tiso_report_free(r);
    tiso_policy_free(after);
    tiso_policy_free(before);
    return b.data;
}

/* The one row of a JSON output: the line after `opening`. */
static char *json_row(const char *out, const char *opening)
{
    const char *start = strstr(out, opening);
    assert_non_null(start);
    start += strlen(opening);
    const char *end = strstr(start, "\n]");
    assert_non_null(end);
    char *row = malloc((size_t)(end - start) + 1);
    memcpy(row, start, (size_t)(end - start));
    row[end - start] = '\0';
    return row;
}

static const char *const RESERVED[] = {"position",       "outcome", "verdict",      "reason",      "direction",
                                       "externalTenant", "rule",    "blockedBy",    "message",     "error",
                                       "before",         "after",   "reasonBefore", "reasonAfter", NULL};

/* The input's members as the writers had them: repaired, parsed, an object
 * or nothing, the names the report writes itself renamed. */
static cJSON *reference_fields(const subject *s)
{
    char *text = s->fields ? repaired(s->fields, s->fields_len) : NULL;
    cJSON *obj = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        obj = cJSON_CreateObject();
    }
    for (cJSON *item = obj->child; item; item = item->next) {
        for (size_t i = 0; RESERVED[i]; i++) {
            if (strcmp(item->string, RESERVED[i]) == 0) {
                char *name = malloc(strlen(item->string) + 7);
                sprintf(name, "input.%s", item->string);
                cJSON_free(item->string);
                item->string = name;
                break;
            }
        }
    }
    return obj;
}

/* The row is the reference's members, then the report's own, named in
 * `own` (NULL-terminated; "?" for the tenants, added only when the input
 * has none) -- each printed as cJSON prints it. */
static void check_json_row(const subject *s, tiso_report_format format, const char *const *own)
{
    char *out = write_one(s, format);
    char *row = json_row(out, format == TISO_FORMAT_JSON ? "\"connections\": [\n" : "\"changed\": [\n");
    cJSON *want = reference_fields(s);
    cJSON *got = cJSON_Parse(row);
    if (!cJSON_IsObject(got))
        fail_msg("row is not a JSON object: %s", row);
    int n = cJSON_GetArraySize(want);
    const cJSON *tail = got->child;
    for (int i = 0; i < n && tail; i++)
        tail = tail->next;
    const char *const tenants[] = {"creatorTenantId", "targetTenantId"};
    for (size_t t = 0; t < 2; t++) {
        if (cJSON_GetObjectItemCaseSensitive(want, tenants[t]))
            continue;
        if (!tail || strcmp(tail->string, tenants[t]) != 0)
            fail_msg("no %s added in: %s", tenants[t], row);
        cJSON_AddItemToObject(want, tenants[t], cJSON_Duplicate(tail, 1));
        tail = tail->next;
    }
    for (size_t i = 0; own[i]; i++, tail = tail->next) {
        if (!tail || strcmp(tail->string, own[i]) != 0)
            fail_msg("expected \"%s\" next in: %s", own[i], row);
        cJSON_AddItemToObject(want, own[i], cJSON_Duplicate(tail, 1));
    }
    if (tail)
        fail_msg("more members than expected in: %s", row);
    char *text = cJSON_PrintUnformatted(want);
    if (strcmp(text, row) != 0)
        fail_msg("fields %.*s\nrow:       %s\nreference: %s", (int)s->fields_len, s->fields ? s->fields : "", row,
                 text);
    cJSON_free(text);
    cJSON_Delete(want);
    cJSON_Delete(got);
    free(row);
    free(out);
}

/* The fields of the second CSV record (after the header) in `out`. */
static size_t csv_fields(const char *out, char fields[32][8192])
{
    const char *p = strstr(out, "\r\n");
    assert_non_null(p);
    p += 2;
    size_t n = 0, len = 0;
    bool quoted = false;
    for (;; p++) {
        assert_true(*p != '\0' && n < 32 && len < 8191);
        if (quoted && *p == '"' && p[1] == '"') {
            fields[n][len++] = *p++;
        } else if (*p == '"') {
            quoted = !quoted;
        } else if (!quoted && (*p == ',' || (*p == '\r' && p[1] == '\n'))) {
            fields[n++][len] = '\0';
            len = 0;
            if (*p == '\r')
                return n;
        } else {
            fields[n][len++] = *p;
        }
    }
}

/* userTenantId, connectionType and extra as the CSV writer had them. */
static void check_csv_row(const subject *s)
{
    static char got[32][8192];
    char *out = write_one(s, TISO_FORMAT_CSV);
    assert_int_equal(csv_fields(out, got), 21);
    cJSON *obj = s->fields ? cJSON_ParseWithLength(s->fields, s->fields_len) : NULL;
    const char *want[3] = {"", "", ""};
    char *extra = NULL;
    if (cJSON_IsObject(obj)) {
        const cJSON *user = cJSON_GetObjectItemCaseSensitive(obj, "userTenantId");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(obj, "connectionType");
        want[0] = cJSON_IsString(user) ? user->valuestring : "";
        want[1] = cJSON_IsString(type) ? type->valuestring : "";
        cJSON *rest = cJSON_Duplicate(obj, 1);
        const char *const known[] = {"creatorTenantId", "targetTenantId", "connector",    "connectorId",    "apiId",
                                     "connectionId",    "environmentId",  "userTenantId", "connectionType", NULL};
        for (size_t i = 0; known[i]; i++)
            cJSON_DeleteItemFromObjectCaseSensitive(rest, known[i]);
        if (s->index >= 0)
            cJSON_DeleteItemFromObjectCaseSensitive(rest, "tenantId");
        extra = rest->child ? cJSON_PrintUnformatted(rest) : NULL;
        want[2] = extra ? extra : "";
        cJSON_Delete(rest);
    }
    const size_t columns[3] = {10, 11, 20};
    for (size_t i = 0; i < 3; i++) {
        char *w = repaired(want[i], strlen(want[i]));
        if (strcmp(w, got[columns[i]]) != 0)
            fail_msg("fields %.*s\ncolumn %zu: %s\nreference: %s", (int)s->fields_len, s->fields ? s->fields : "",
                     columns[i], got[columns[i]], w);
        free(w);
    }
    cJSON_free(extra);
    cJSON_Delete(obj);
    free(out);
}

static void check_all(const char *fields, size_t len)
{
    static const char *const report_own[] = {"position",       "outcome", "verdict", "reason", "direction",
                                             "externalTenant", "rule",    "message", NULL};
    static const char *const diff_own[] = {"position",    "before",    "after",          "reasonBefore",
                                           "reasonAfter", "direction", "externalTenant", NULL};
    for (int64_t index = -1; index <= 0; index++) {
        subject s = {fields, len, index};
        check_json_row(&s, TISO_FORMAT_JSON, report_own);
        check_json_row(&s, TISO_FORMAT_DIFF_JSON, diff_own);
        check_csv_row(&s);
    }
}

/* ---- the inventory reader: quick path against the full pre-scan ---- */

typedef struct first {
    int calls;
    tiso_status status;
    char names[5][300];
    const char *fields;
    size_t fields_len;
} first;

static tiso_status keep_first(void *user, const tiso_connection *c, const tiso_error *problem)
{
    first *f = user;
    if (f->calls++)
        return TISO_OK;
    f->status = problem ? problem->status : TISO_OK;
    const char *names[5] = {c->creator, c->target, c->connector, c->connection_id, c->environment_id};
    for (size_t i = 0; i < 5; i++)
        snprintf(f->names[i], sizeof f->names[i], "%s", names[i] ? names[i] : "(none)");
    f->fields = c->fields;
    f->fields_len = c->fields_len;
    return TISO_OK;
}

static void check_reader(const char *line, size_t len)
{
    if (len < 3)
        return;
    tiso_report_options full;
    tiso_report_options_init(&full);
    full.max_string_bytes = (uint32_t)(len - 1); /* the quick path is off */
    first quick = {0}, slow = {0};
    tiso_read_inventory_line(keep_first, &quick, line, len, "t", 1, NULL);
    tiso_read_inventory_line(keep_first, &slow, line, len, "t", 1, &full);
    assert_int_equal(quick.calls, slow.calls);
    if (quick.status != slow.status)
        fail_msg("quick path %s, full path %s for: %.*s", tiso_status_name(quick.status), tiso_status_name(slow.status),
                 (int)len, line);
    for (size_t i = 0; i < 5; i++)
        if (strcmp(quick.names[i], slow.names[i]) != 0)
            fail_msg("quick path read \"%s\", full path \"%s\" from: %.*s", quick.names[i], slow.names[i], (int)len,
                     line);
    assert_true(quick.fields == slow.fields && quick.fields_len == slow.fields_len);
}

/* ---- the records ---- */

static const char *const CASES[] = {
    "{}",
    " { } ",
    "{\"a\":1}",
    "{ \"a\" : 1 , \"b\" : [ 1 , { \"c\" : \"d e\" } ] ,\"e\":{ } }\t\r\n",
    "{\"verdict\":\"mine\",\"position\":{\"x\":1},\"reason\":null,\"rule\":[],\"before\":1,\"reasonAfter\":2}",
    "{\"creatorTenantId\":\"someone\",\"targetTenantId\":null}",
    "{\"creatorTenantId\":5}",
    "{\"userTenantId\":\"" TB "\",\"connectionType\":\"Outbound\",\"tenantId\":\"" TC "\",\"x\":true}",
    "{\"userTenantId\":1,\"userTenantId\":\"" TB "\",\"connectionType\":\"in\\\\\\\"bound\\n\"}",
    "{\"tenantId\":1,\"tenantId\":2,\"connector\":\"a\",\"connector\":\"b\",\"apiId\":\"c\"}",
    "{\"verd\\u0069ct\":1,\"creator\\u0054enantId\":\"x\",\"k\\/\":\"\\/\"}",
    "{\"s\":\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\\u001F\\u0008\\u000a\\u007f\\u00e9\\u20ac\\ud83d\\ude00\"}",
    "{\"k\":\"\\/\"}",
    "{\"s\":\"\\u001F\"}",
    "{\"s\":\"\\u0008\"}",
    "{\"s\":\"\\u00e9\"}",
    "{\"n\":1234567890}",
    "{\"n\":-0}",
    "{\"n\":1.0}",
    "{\"s\":\"\\u0000\"}",
    "{\"s\":\"\\ud800\"}",
    "{\"s\":\"\\x\"}",
    ("{\"n\":[0,-0,1,-1,01,1.0,1.5,-1.5e3,1e5,1E+5,1e-5,123456789,1234567890,-123456789,2147483647,-2147483648,"
     "2147483648,1e400,-1e400,0.1,1.,.5,+1,1e,-,00]}"), /* one element: () says so to clang */
    "{\"n\":12345678901234567890123456789012345678901234567890123456789012345678901234567890}",
    "{\"t\":true,\"f\":false,\"z\":null,\"bad\":nul}",
    "{\"a\":1,}",
    "{\"a\":1} trailing",
    "{\"a\":1}{\"b\":2}",
    "{\"a\" 1}",
    "{\"a\":1",
    "{\"a\":\"unterminated}",
    "[1,2]",
    "\"just a string\"",
    "",
    "null",
    "{\"s\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}",
    "{\"s\":\"bad \xff \xc3 \xed\xa0\x80 \xc0\x80\"}",
    "{\"bad\xfe\":1}",
    "{\"s\":\"raw\ttab and\x01 control\"}",
    "{\"s\":\"del\x7f\"}",
    "{\x0b\"a\":1}",
    "{\"deep\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
};

/* A record of random members, now and then broken: names from the ones the
 * writers and readers care about, values in every form. */
static size_t random_record(char *out, size_t cap, const char *first_members, unsigned *seed)
{
    static const char *const keys[] = {
        "\"creatorTenantId\"", "\"targetTenantId\"", "\"connector\"",      "\"apiId\"",    "\"connectionId\"",
        "\"environmentId\"",   "\"userTenantId\"",   "\"connectionType\"", "\"tenantId\"", "\"verdict\"",
        "\"position\"",        "\"message\"",        "\"reasonBefore\"",   "\"note\"",     "\"\"",
        "\"we\\\"ird\"",       "\"verd\\u0069ct\"",  "\"caf\xc3\xa9\"",    "\"x\\/y\""};
    static const char *const values[] = {"\"" HOME "\"",
                                         "\"" TB "\"",
                                         "\"fabrikam.com\"",
                                         "\"shared_sql\"",
                                         "\"a,b\\\"c\\nd\"",
                                         "\"\\u00e9\\u0041\"",
                                         "\"\\/\\b\\f\\t\\u001f\"",
                                         "\"\xe2\x82\xac\"",
                                         "\"\xff\"",
                                         "0",
                                         "-0",
                                         "7",
                                         "123456789",
                                         "1234567890",
                                         "-5",
                                         "1.5",
                                         "2e3",
                                         "true",
                                         "false",
                                         "null",
                                         "[]",
                                         "{}",
                                         "[ 1 , \"x\" , null ]",
                                         "{ \"k\" : [ { } ] }",
                                         "{\"verdict\":1,\"creatorTenantId\":2}",
                                         "\"\"",
                                         "\"Inbound\"",
                                         "\"Outbound\""};
    static const char *const spaces[] = {"", "", "", " ", "\t", "\r\n ", "  "};
    size_t n = 0;
#define PUT(s) (n += (size_t)snprintf(out + n, cap - n, "%s", (s)))
#define PICK(a) (a)[(size_t)rand_r(seed) % (sizeof(a) / sizeof((a)[0]))]
    PUT(PICK(spaces));
    PUT("{");
    PUT(first_members);
    int members = rand_r(seed) % 8;
    for (int i = 0; i < members; i++) {
        PUT(i || *first_members ? "," : "");
        PUT(PICK(spaces));
        PUT(PICK(keys));
        PUT(PICK(spaces));
        PUT(":");
        PUT(PICK(spaces));
        PUT(PICK(values));
        PUT(PICK(spaces));
    }
    PUT("}");
    PUT(PICK(spaces));
#undef PUT
#undef PICK
    if (n >= cap)
        n = cap - 1;
    switch (rand_r(seed) % 16) { /* now and then, break it */
    case 0:
        n = n ? (size_t)rand_r(seed) % n : 0;
        break;
    case 1:
        if (n)
            out[(size_t)rand_r(seed) % n] = "\"{}[],:\\x\x01\xff "[rand_r(seed) % 12];
        break;
    default:
        break;
    }
    out[n] = '\0';
    return n;
}

static void hand_picked(void **state)
{
    (void)state;
    check_all(NULL, 0);
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        check_all(CASES[i], strlen(CASES[i]));
    /* A caller's fields need not end where a NUL does. */
    check_all("{\"a\":\"x\0y\"}", 11);
    check_all("{\"a\":1}\0garbage", 15);
}

static void deep_nesting(void **state)
{
    (void)state;
    /* cJSON reads at most 1000 levels; the walk stops where it does. */
    for (size_t levels = 998; levels <= 1001; levels++) {
        rt_buffer b = {0};
        add_str(&b, "{\"a\":");
        for (size_t i = 1; i < levels; i++)
            add_str(&b, "[");
        for (size_t i = 1; i < levels; i++)
            add_str(&b, "]");
        add_str(&b, "}");
        check_all(b.data, b.len);
        free(b.data);
    }
}

static void random_records(void **state)
{
    (void)state;
    unsigned seed = 20260501;
    for (int i = 0; i < 3000; i++) {
        char fields[2048];
        size_t len = random_record(fields, sizeof fields, "", &seed);
        subject s = {fields, len, i % 5 == 0 ? 3 : -1};
        static const char *const report_own[] = {"position",       "outcome", "verdict", "reason", "direction",
                                                 "externalTenant", "rule",    "message", NULL};
        check_json_row(&s, TISO_FORMAT_JSON, report_own);
        check_csv_row(&s);
    }
}

/* Lines that name both tenants, with random members around them, read the
 * same through the quick path (the walk, or cJSON) as through the pre-scan. */
static void reader_paths(void **state)
{
    (void)state;
    unsigned seed = 7;
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        check_reader(CASES[i], strlen(CASES[i]));
    for (int i = 0; i < 20000; i++) {
        char line[2048];
        const char *tenants = i % 3 == 0   ? "\"creatorTenantId\":\"" HOME "\",\"targetTenantId\":\"fabrikam.com\""
                              : i % 3 == 1 ? "\"targetTenantId\" : \"" TA "\" , \"creatorTenantId\":\"" HOME "\""
                                           : "";
        check_reader(line, random_record(line, sizeof line, tenants, &seed));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_picked),
        cmocka_unit_test(deep_nesting),
        cmocka_unit_test(random_records),
        cmocka_unit_test(reader_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
