/* The rows of the JSON, CSV and diff JSON outputs, written straight from
 * the decoded input record, against a reference written here: the input's
 * members as written (escapes and number forms kept, SPEC 6), white space
 * between tokens left out, the names the report writes itself (as meant,
 * escapes decoded) kept as "input.<name>", then the report's own members
 * as cJSON prints them. A record the library's reader refuses (malformed
 * JSON, a limit, no object) has no members in a row either. Over
 * hand-picked records and random ones -- valid, unusual (every escape,
 * number form, white space, nesting, duplicate and disguised names) and
 * broken -- each row must be byte for byte the reference's. */
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

/* ---- the reference: an object's members as written ---- */

typedef struct ref_member {
    char *name; /* as meant (cJSON decodes it) */
    char *text; /* "name as written":value, white space between tokens left out */
    char *value;
} ref_member;

/* Whether the library's inventory reader reads `s` as an object (the one
 * rule the writers decode a caller's fields by). */
static tiso_status is_object(void *user, const tiso_connection *c, const tiso_error *problem)
{
    (void)problem;
    *(bool *)user = c->fields != NULL;
    return TISO_OK;
}

/* The members of the object in s[0..n) (repaired, up to a NUL), or -1 when
 * the reader refuses it as an object. Free with free_members. */
static int ref_members(const char *s, size_t n, ref_member *out, int max)
{
    bool object = false;
    n = strnlen(s, n);
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.input_format = TISO_INPUT_JSONL;
    tiso_read_inventory_line(is_object, &object, s, n, "t", 1, &opts);
    if (!object)
        return -1;
    int count = 0;
    size_t i = (size_t)(strchr(s, '{') - s) + 1;
    for (;;) {
        while (strchr(" \t\r\n,", s[i]))
            i++;
        if (s[i] == '}')
            return count;
        assert_true(count < max && s[i] == '"');
        rt_buffer text = {0}, value = {0};
        size_t key = i;
        for (i++; s[i] != '"'; i++)
            i += s[i] == '\\';
        i++;
        cJSON *name = cJSON_ParseWithLength(s + key, i - key);
        assert_non_null(name);
        add_bytes(&text, s + key, i - key);
        while (s[i] != ':')
            i++;
        add_str(&text, ":");
        for (i++; s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n';)
            i++;
        int depth = 0;
        bool in_string = false;
        for (; in_string || depth || (s[i] != ',' && s[i] != '}'); i++) {
            if (!in_string && strchr(" \t\r\n", s[i]))
                continue;
            add_bytes(&value, s + i, 1);
            if (in_string && s[i] == '\\')
                add_bytes(&value, s + ++i, 1);
            else if (s[i] == '"')
                in_string = !in_string;
            else if (!in_string)
                depth += (s[i] == '[' || s[i] == '{') - (s[i] == ']' || s[i] == '}');
        }
        add_bytes(&value, "", 0);
        add_bytes(&text, value.data, value.len);
        out[count].name = strdup(name->valuestring);
        out[count].text = text.data;
        out[count++].value = value.data;
        cJSON_Delete(name);
    }
}

static void free_members(ref_member *m, int n)
{
    for (int i = 0; i < n; i++) {
        free(m[i].name);
        free(m[i].text);
        free(m[i].value);
    }
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

static bool is_reserved(const char *name)
{
    for (size_t i = 0; RESERVED[i]; i++)
        if (strcmp(name, RESERVED[i]) == 0)
            return true;
    return false;
}

/* The row is "{", the reference's members, then the report's own, named in
 * `own` (NULL-terminated; the tenants are added only when the input has
 * none), each printed as cJSON prints it. */
static void check_json_row(const subject *s, tiso_report_format format, const char *const *own)
{
    char *out = write_one(s, format);
    char *row = json_row(out, format == TISO_FORMAT_JSON ? "\"connections\": [\n" : "\"changed\": [\n");
    char *text = s->fields ? repaired(s->fields, s->fields_len) : NULL;
    ref_member m[64];
    int n = text ? ref_members(text, strlen(text), m, 64) : -1;
    rt_buffer want = {0};
    add_str(&want, "{");
    bool tenant[2] = {false, false};
    for (int i = 0; i < n; i++) {
        add_str(&want, i ? "," : "");
        if (is_reserved(m[i].name)) {
            add_str(&want, "\"input.");
            add_str(&want, m[i].text + 1);
        } else {
            add_str(&want, m[i].text);
        }
        tenant[0] |= strcmp(m[i].name, "creatorTenantId") == 0;
        tenant[1] |= strcmp(m[i].name, "targetTenantId") == 0;
    }
    if (strncmp(row, want.data, want.len) != 0)
        fail_msg("fields %.*s\nrow:       %s\nreference: %s...", (int)s->fields_len, s->fields ? s->fields : "", row,
                 want.data);
    /* The rest, the report's own members, as cJSON prints them. */
    rt_buffer rest = {0};
    add_str(&rest, "{");
    add_str(&rest, row + want.len + (n > 0 && row[want.len] == ','));
    cJSON *got = cJSON_Parse(rest.data);
    if (!cJSON_IsObject(got))
        fail_msg("row is not a JSON object: %s", row);
    const cJSON *tail = got->child;
    const char *const tenants[] = {"creatorTenantId", "targetTenantId"};
    for (size_t t = 0; t < 2; t++) {
        if (tenant[t])
            continue;
        if (!tail || strcmp(tail->string, tenants[t]) != 0)
            fail_msg("no %s added in: %s", tenants[t], row);
        tail = tail->next;
    }
    for (size_t i = 0; own[i]; i++, tail = tail->next)
        if (!tail || strcmp(tail->string, own[i]) != 0)
            fail_msg("expected \"%s\" next in: %s", own[i], row);
    if (tail)
        fail_msg("more members than expected in: %s", row);
    char *printed = cJSON_PrintUnformatted(got);
    if (strcmp(printed, rest.data) != 0)
        fail_msg("row's own members: %s\nas cJSON prints them: %s", rest.data, printed);
    cJSON_free(printed);
    free(text);
    free(want.data);
    free(rest.data);
    cJSON_Delete(got);
    free(row);
    free(out);
    if (n > 0)
        free_members(m, n);
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

/* The first member named `name`, decoded if a string, else "". */
static char *first_string(const ref_member *m, int n, const char *name)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(m[i].name, name) != 0)
            continue;
        cJSON *v = cJSON_Parse(m[i].value);
        char *out = strdup(cJSON_IsString(v) ? v->valuestring : "");
        cJSON_Delete(v);
        return out;
    }
    return strdup("");
}

/* userTenantId, connectionType and extra: the members without a column of
 * their own (all but the first of each known name, and of a page entry's
 * tenantId), as written. */
static void check_csv_row(const subject *s)
{
    static char got[32][8192];
    char *out = write_one(s, TISO_FORMAT_CSV);
    assert_int_equal(csv_fields(out, got), 21);
    char *text = s->fields ? repaired(s->fields, s->fields_len) : NULL;
    ref_member m[64];
    int n = text ? ref_members(text, strlen(text), m, 64) : -1;
    char *want[3] = {first_string(m, n, "userTenantId"), first_string(m, n, "connectionType"), NULL};
    const char *const known[] = {
        "creatorTenantId", "targetTenantId", "connector",      "connectorId", "apiId", "connectionId",
        "environmentId",   "userTenantId",   "connectionType", "tenantId",    NULL};
    bool seen[10] = {false};
    rt_buffer extra = {0};
    add_str(&extra, "");
    for (int i = 0; i < n; i++) {
        size_t k = 0;
        while (known[k] && (strcmp(m[i].name, known[k]) != 0 || seen[k] || (k == 9 && s->index < 0)))
            k++;
        if (known[k]) {
            seen[k] = true;
            continue;
        }
        add_str(&extra, extra.len ? "," : "{");
        add_str(&extra, m[i].text);
    }
    add_str(&extra, extra.len ? "}" : "");
    want[2] = extra.data;
    const size_t columns[3] = {10, 11, 20};
    for (size_t i = 0; i < 3; i++)
        if (strcmp(want[i], got[columns[i]]) != 0)
            fail_msg("fields %.*s\ncolumn %zu: %s\nreference: %s", (int)s->fields_len, s->fields ? s->fields : "",
                     columns[i], got[columns[i]], want[i]);
    for (size_t i = 0; i < 3; i++)
        free(want[i]);
    if (n > 0)
        free_members(m, n);
    free(text);
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
    /* Past the nesting limit a record has no members in a row. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_picked),
        cmocka_unit_test(deep_nesting),
        cmocka_unit_test(random_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
