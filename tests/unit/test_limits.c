/* Limits at their boundaries: document size, entry count, string length and
 * nesting depth (SPEC 4, tiso_load_options). Big inputs are made here in
 * memory rather than committed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define HEAD "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
#define TAIL "]}}"

/* A policy with `n` distinct entries. */
static char *policy_with_entries(size_t n)
{
    static const char fmt[] = "{\"tenantId\": \"%08zx-0000-4000-8000-000000000001\","
                              " \"direction\": {\"inbound\": true, \"outbound\": true}}";
    size_t cap = sizeof HEAD + sizeof TAIL + n * (sizeof fmt + 16);
    char *s = malloc(cap);
    assert_non_null(s);
    size_t len = (size_t)snprintf(s, cap, "%s", HEAD);
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(s + len, cap - len, fmt, i + 1);
        if (i + 1 < n) {
            s[len++] = ',';
        }
    }
    snprintf(s + len, cap - len, "%s", TAIL);
    return s;
}

/* A policy whose deepest point is `depth` containers deep (the outer object
 * counts as 1), the nesting sitting in an unknown key. */
static char *policy_with_depth(size_t depth)
{
    static const char head[] = "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"x\": ";
    assert_true(depth >= 3);
    size_t arrays = depth - 2;
    char *s = malloc(sizeof head + 2 * arrays + 4);
    assert_non_null(s);
    strcpy(s, head);
    size_t len = strlen(s);
    memset(s + len, '[', arrays);
    memset(s + len + arrays, ']', arrays);
    strcpy(s + len + 2 * arrays, "}}");
    return s;
}

static tiso_load_options options(void)
{
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    return opts;
}

static void document_size_at_the_boundary(void **state)
{
    (void)state;
    char *doc = policy_with_entries(3);
    tiso_load_options opts = options();
    opts.max_document_bytes = strlen(doc);
    tiso_policy_free(tt_load(doc, &opts));
    opts.max_document_bytes = strlen(doc) - 1;
    tt_load_fail(doc, &opts, TISO_E_LIMIT);
    free(doc);
}

static void default_document_size(void **state)
{
    (void)state;
    size_t n = (size_t)TISO_DEFAULT_MAX_DOCUMENT_BYTES + 1;
    char *big = tt_repeat(' ', n);
    static const char doc[] = "{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false}";
    memcpy(big, doc, sizeof doc - 1);
    tiso_policy *p = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_load_json(&p, big, n, NULL, &err), TISO_E_LIMIT);
    tt_assert_error(&err, TISO_E_LIMIT);
    assert_null(p);
    assert_int_equal(tiso_policy_load_json(&p, big, n - 1, NULL, &err), TISO_OK); /* just under */
    tiso_policy_free(p);
    free(big);
}

static void entry_count_at_the_boundary(void **state)
{
    (void)state;
    char *doc = policy_with_entries(10);
    tiso_load_options opts = options();
    opts.max_entries = 10;
    tiso_policy *p = tt_load(doc, &opts);
    assert_int_equal(tiso_policy_entry_count(p), 10);
    tiso_policy_free(p);
    opts.max_entries = 9;
    tiso_error err = tt_load_fail(doc, &opts, TISO_E_LIMIT);
    tt_assert_contains(err.path, "allowedTenants");
    opts.max_entries = 1;
    tt_load_fail(doc, &opts, TISO_E_LIMIT);
    free(doc);
}

static void string_length_at_the_boundary(void **state)
{
    (void)state;
    for (uint32_t limit = 40; limit <= TISO_DEFAULT_MAX_STRING_BYTES; limit += TISO_DEFAULT_MAX_STRING_BYTES - 40) {
        char *name = tt_repeat('n', limit + 1);
        char *doc = malloc(strlen(name) + 512);
        assert_non_null(doc);
        tiso_load_options opts = options();
        if (limit != TISO_DEFAULT_MAX_STRING_BYTES) {
            opts.max_string_bytes = limit;
        }
        name[limit] = '\0'; /* exactly at the limit */
        sprintf(doc, HEAD "{\"tenantId\": \"" FABRIKAM "\", \"tenantDisplayName\": \"%s\","
                     " \"direction\": {\"inbound\": true, \"outbound\": false}}" TAIL, name);
        tiso_policy_free(tt_load(doc, &opts));
        name[limit] = 'n'; /* one over */
        sprintf(doc, HEAD "{\"tenantId\": \"" FABRIKAM "\", \"tenantDisplayName\": \"%s\","
                     " \"direction\": {\"inbound\": true, \"outbound\": false}}" TAIL, name);
        tiso_error err = tt_load_fail(doc, &opts, TISO_E_LIMIT);
        /* located by JSON path or by line and column */
        const char *name_at = strstr(doc, "\"nnn");
        if (strstr(err.path, "allowedTenants[0]") == NULL &&
            (err.line != 1 || err.column != (uint32_t)(name_at - doc) + 2)) {
            fail_msg("limit error not located: path '%s', %u:%u", err.path, (unsigned)err.line,
                     (unsigned)err.column);
        }
        free(doc);
        free(name);
    }
}

static void over_long_tenant_id_string(void **state)
{
    (void)state;
    char *junk = tt_repeat('a', 5000);
    char *doc = malloc(strlen(junk) + 100);
    assert_non_null(doc);
    sprintf(doc, "{\"tenantId\": \"%s\", \"isDisabled\": false}", junk);
    tiso_policy *p = NULL;
    tiso_status s = tiso_policy_load_json(&p, doc, strlen(doc), NULL, NULL);
    assert_true(s == TISO_E_LIMIT || s == TISO_E_INVALID_TENANT);
    assert_null(p);
    free(doc);
    free(junk);
}

static void depth_at_the_boundary(void **state)
{
    (void)state;
    tiso_load_options opts = options();
    opts.max_depth = 8;
    char *ok = policy_with_depth(8), *over = policy_with_depth(9);
    tiso_policy_free(tt_load(ok, &opts));
    tt_load_fail(over, &opts, TISO_E_LIMIT);
    free(ok);
    free(over);
    ok = policy_with_depth(TISO_DEFAULT_MAX_DEPTH);
    over = policy_with_depth(TISO_DEFAULT_MAX_DEPTH + 1);
    tiso_policy_free(tt_load(ok, NULL));
    tt_load_fail(over, NULL, TISO_E_LIMIT);
    free(ok);
    free(over);
}

static void very_deep_nesting_is_a_limit_not_a_crash(void **state)
{
    (void)state;
    size_t depths[] = {1000, 1001, 100000};
    for (size_t i = 0; i < 3; i++) {
        char *doc = policy_with_depth(depths[i]);
        tt_load_fail(doc, NULL, TISO_E_LIMIT);
        /* unbalanced: opening brackets only */
        char *open = tt_repeat('[', depths[i]);
        tiso_policy *p = NULL;
        tiso_status s = tiso_policy_load_json(&p, open, depths[i], NULL, NULL);
        assert_true(s == TISO_E_LIMIT || s == TISO_E_SYNTAX);
        free(open);
        free(doc);
    }
}

static void warnings_are_capped(void **state)
{
    (void)state;
    /* 1,100 entries for the same tenant: 1,099 duplicate warnings */
    size_t n = 1100;
    static const char entry[] = "{\"tenantId\": \"" FABRIKAM "\", \"direction\": {\"inbound\": true, \"outbound\": false}},";
    char *doc = malloc(sizeof HEAD + sizeof TAIL + n * sizeof entry);
    assert_non_null(doc);
    strcpy(doc, HEAD);
    for (size_t i = 0; i < n; i++) {
        strcat(doc, entry);
    }
    doc[strlen(doc) - 1] = '\0';
    strcat(doc, TAIL);
    tiso_policy *p = tt_load(doc, NULL);
    size_t count = tiso_policy_warning_count(p);
    assert_true(count <= 1001);
    assert_true(count >= 1000);
    tiso_warning w;
    assert_int_equal(tiso_policy_warning_at(&w, p, count - 1), TISO_OK);
    assert_int_equal(w.code, TISO_WARN_MORE);
    assert_true(w.message != NULL && w.message[0] != '\0');
    tiso_policy_free(p);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(document_size_at_the_boundary),
        cmocka_unit_test(default_document_size),
        cmocka_unit_test(entry_count_at_the_boundary),
        cmocka_unit_test(string_length_at_the_boundary),
        cmocka_unit_test(over_long_tenant_id_string),
        cmocka_unit_test(depth_at_the_boundary),
        cmocka_unit_test(very_deep_nesting_is_a_limit_not_a_crash),
        cmocka_unit_test(warnings_are_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
