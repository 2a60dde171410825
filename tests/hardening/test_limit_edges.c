/* SPEC 10's limits at their boundaries, where tests/unit/test_limits.c and
 * test_resolver.c stop: each limit's message names the limit and where;
 * the default entry count (1,000,000) itself; documents read through a
 * pipe, where no size is known up front; the domain map's string length,
 * nesting depth and file size. Just under passes the limit, just over
 * fails with TISO_E_LIMIT and nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "limit_util.h"

#define WRAP_HEAD "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
#define ENTRY "{\"tenantId\": \"" TENANT_A "\", \"direction\": {\"inbound\": true}}"

static tiso_load_options options(void)
{
    tiso_load_options o;
    tiso_load_options_init(&o);
    return o;
}

static tiso_status load(const char *doc, size_t len, const tiso_load_options *o, tiso_error *err)
{
    tiso_policy *p = NULL;
    tiso_error_clear(err);
    tiso_status s = tiso_policy_load_json(&p, doc, len, o, err);
    assert_true(s == TISO_OK ? p != NULL : p == NULL);
    tiso_policy_free(p);
    return s;
}

static void loader_messages_name_limit_and_place(void **state)
{
    (void)state;
    size_t len;
    char *doc = lu_join(WRAP_HEAD, ENTRY, ",", 9, "]}}", &len);
    tiso_load_options o = options();
    tiso_error err;
    o.max_document_bytes = len;
    assert_int_equal(load(doc, len, &o, &err), TISO_OK);
    o.max_document_bytes = len - 1;
    assert_int_equal(load(doc, len, &o, &err), TISO_E_LIMIT);
    char n[32];
    snprintf(n, sizeof n, "%zu", len - 1);
    lu_assert_names(&err, TISO_E_LIMIT, (const char *const[]){n, "<memory>", NULL});
    o = options();
    o.max_entries = 9;
    assert_int_equal(load(doc, len, &o, &err), TISO_OK);
    o.max_entries = 8;
    assert_int_equal(load(doc, len, &o, &err), TISO_E_LIMIT);
    lu_assert_names(&err, TISO_E_LIMIT, (const char *const[]){"8", "properties.allowedTenants", NULL});
    o = options();
    o.max_string_bytes = 36; /* the longest string: the tenant IDs */
    assert_int_equal(load(doc, len, &o, &err), TISO_OK);
    o.max_string_bytes = 35;
    assert_int_equal(load(doc, len, &o, &err), TISO_E_LIMIT);
    lu_assert_names(&err, TISO_E_LIMIT, (const char *const[]){"35", "properties.tenantId", NULL});
    assert_true(err.line == 1 && err.column > 0);
    o = options();
    o.max_depth = 5; /* properties.allowedTenants[i].direction */
    assert_int_equal(load(doc, len, &o, &err), TISO_OK);
    o.max_depth = 4;
    assert_int_equal(load(doc, len, &o, &err), TISO_E_LIMIT);
    lu_assert_names(&err, TISO_E_LIMIT, (const char *const[]){"4", "properties.allowedTenants[0]", NULL});
    free(doc);
}

/* The default of 1,000,000 entries, on a cheap document: the count is
 * checked before any entry is read, so 1,000,000 zeros pass the limit and
 * fail on the first entry's type, and 1,000,001 fail on the limit. */
static void default_entry_count(void **state)
{
    (void)state;
    tiso_load_options o = options();
    o.max_document_bytes = 4u * 1024 * 1024; /* the zeros only */
    tiso_error err;
    size_t len;
    char *at = lu_join(WRAP_HEAD, "0", ",", TISO_DEFAULT_MAX_ENTRIES, "]}}", &len);
    assert_int_equal(load(at, len, &o, &err), TISO_E_SCHEMA);
    assert_string_equal(err.path, "properties.allowedTenants[0]");
    free(at);
    char *over = lu_join(WRAP_HEAD, "0", ",", TISO_DEFAULT_MAX_ENTRIES + 1, "]}}", &len);
    assert_int_equal(load(over, len, &o, &err), TISO_E_LIMIT);
    lu_assert_names(&err, TISO_E_LIMIT, (const char *const[]){"1000000", "properties.allowedTenants", NULL});
    free(over);
}

/* A pipe has no size: the read loop must stop at the limit by itself,
 * including where its buffer grows (64 KiB). */
static void documents_through_a_pipe(void **state)
{
    (void)state;
    static const char head[] = "{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false}";
    static const size_t sizes[] = {sizeof head - 1, 65535, 65536, 65537, 200000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t size = sizes[i];
        char *doc = tt_repeat(' ', size);
        memcpy(doc, head, sizeof head - 1);
        for (int over = 0; over <= 1; over++) {
            tiso_load_options o = options();
            o.max_document_bytes = size - (size_t)over;
            lu_pipe *p = lu_pipe_start(doc, size);
            tiso_policy *policy = NULL;
            tiso_error err;
            tiso_status s = tiso_policy_load_file(&policy, lu_pipe_path(p), &o, &err);
            lu_pipe_finish(p);
            if (s != (over ? TISO_E_LIMIT : TISO_OK))
                fail_msg("%zu bytes, limit %zu: %s (%s)", size, size - (size_t)over, tiso_status_name(s), err.message);
            if (over)
                lu_assert_names(&err, TISO_E_LIMIT, (const char *const[]){"limit", "/proc/self/fd/", NULL});
            tiso_policy_free(policy);
        }
        free(doc);
    }
}

static tiso_status load_map(const char *json, tiso_error *err)
{
    tiso_resolver *r = NULL;
    tiso_error_clear(err);
    tiso_status s = tiso_resolver_load_map_json(&r, json, strlen(json), err);
    assert_true(s == TISO_OK ? r != NULL : r == NULL);
    tiso_resolver_free(r);
    return s;
}

static void domain_map_string_and_depth(void **state)
{
    (void)state;
    tiso_error err;
    char *key = tt_repeat('a', TISO_DEFAULT_MAX_STRING_BYTES + 1);
    char *doc = malloc(TISO_DEFAULT_MAX_STRING_BYTES + 128);
    assert_non_null(doc);
    key[TISO_DEFAULT_MAX_STRING_BYTES] = '\0'; /* 1,024 bytes: too long for a domain, not for the scanner */
    sprintf(doc, "{\n\"%s\": \"%s\"}", key, CONTOSO);
    assert_int_equal(load_map(doc, &err), TISO_E_INVALID_DOMAIN);
    key[TISO_DEFAULT_MAX_STRING_BYTES] = 'a';
    sprintf(doc, "{\n\"%s\": \"%s\"}", key, CONTOSO);
    assert_int_equal(load_map(doc, &err), TISO_E_LIMIT);
    lu_assert_names(&err, TISO_E_LIMIT, (const char *const[]){"1024", NULL});
    assert_true(err.line == 2 && err.column == 2);
    free(doc);
    free(key);
    /* Nesting: a map is flat, but its limit (8) is checked before its shape. */
    assert_int_equal(load_map("{\"a.example\": [[[[[[[1]]]]]]]}", &err), TISO_E_SCHEMA);
    assert_int_equal(load_map("{\"a.example\": [[[[[[[[1]]]]]]]]}", &err), TISO_E_LIMIT);
    lu_assert_names(&err, TISO_E_LIMIT, (const char *const[]){"8", "a.example", NULL});
}

/* Sparse files: 64 MiB is read (and fails on its NUL bytes), one byte more
 * is refused from its size alone. */
static void domain_map_file_size(void **state)
{
    (void)state;
    const size_t limit = TISO_DEFAULT_MAX_DOCUMENT_BYTES;
    tiso_resolver *r = NULL;
    tiso_error err;
    char *at = lu_sparse_file("{}", limit);
    assert_int_equal(tiso_resolver_load_map_file(&r, at, &err), TISO_E_SYNTAX);
    char *over = lu_sparse_file("{}", limit + 1);
    assert_int_equal(tiso_resolver_load_map_file(&r, over, &err), TISO_E_LIMIT);
    lu_assert_names(&err, TISO_E_LIMIT, (const char *const[]){"67108864", over, NULL});
    assert_null(r);
    unlink(at);
    unlink(over);
    free(at);
    free(over);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loader_messages_name_limit_and_place),
        cmocka_unit_test(default_entry_count),
        cmocka_unit_test(documents_through_a_pipe),
        cmocka_unit_test(domain_map_string_and_depth),
        cmocka_unit_test(domain_map_file_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
