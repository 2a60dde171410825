/* Resolvers: static maps (JSON and built in code), callbacks, resolution of
 * tenant ID strings, "*" and bad names (resolver.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

typedef struct callback_log {
    int calls;
    char last[TISO_DOMAIN_MAX + 1];
    tiso_status reply;
    tiso_tenant_id answer;
} callback_log;

static tiso_status logging_callback(void *user, const char *domain, tiso_tenant_id *out,
                                    tiso_error *err)
{
    callback_log *log = user;
    assert_non_null(err);
    log->calls++;
    strncpy(log->last, domain, sizeof log->last - 1);
    if (log->reply == TISO_OK) {
        *out = log->answer;
    } else if (log->reply == TISO_E_TIMEOUT) {
        snprintf(err->message, sizeof err->message, "graph timed out after 3 s");
    }
    return log->reply;
}

static tiso_resolver *load_map(const char *json)
{
    tiso_resolver *r = NULL;
    tiso_error err;
    tiso_status s = tiso_resolver_load_map_json(&r, json, strlen(json), &err);
    if (s != TISO_OK) {
        fail_msg("map failed: %s: %s", tiso_status_name(s), err.message);
    }
    return r;
}

static tiso_error map_fails(const char *json, tiso_status want)
{
    tiso_resolver *r = NULL;
    tiso_error err;
    tiso_status s = tiso_resolver_load_map_json(&r, json, strlen(json), &err);
    if (s != want) {
        tiso_resolver_free(r);
        fail_msg("'%s': %s, expected %s (%s)", json, tiso_status_name(s), tiso_status_name(want),
                 err.message);
    }
    assert_null(r);
    tt_assert_error(&err, want);
    return err;
}

static void assert_resolves(tiso_resolver *r, const char *name, const char *want)
{
    tiso_tenant_id id, expected = tt_id(want);
    tiso_error err;
    tiso_status s = tiso_resolver_resolve(&id, r, name, &err);
    if (s != TISO_OK) {
        fail_msg("resolving '%s': %s: %s", name, tiso_status_name(s), err.message);
    }
    assert_true(tiso_tenant_id_equal(&id, &expected));
}

static void assert_resolve_fails(tiso_resolver *r, const char *name, tiso_status want)
{
    tiso_tenant_id id;
    tiso_error err;
    tiso_status s = tiso_resolver_resolve(&id, r, name, &err);
    if (s != want) {
        fail_msg("resolving '%s': %s, expected %s", name, tiso_status_name(s), tiso_status_name(want));
    }
    tt_assert_error(&err, want);
}

static void static_map_from_json(void **state)
{
    (void)state;
    tiso_resolver *r = load_map("{\"Contoso.COM.\": \"C0A7B3E1-5D4F-4E2A-9B1C-000000C07050\",\n"
                                " \"fabrikam.onmicrosoft.com\": \"" FABRIKAM "\"}");
    assert_resolves(r, "contoso.com", CONTOSO);
    assert_resolves(r, "CONTOSO.com.", CONTOSO);
    assert_resolves(r, "fabrikam.onmicrosoft.com", FABRIKAM);
    assert_resolve_fails(r, "unknown.example", TISO_E_NOT_FOUND);
    assert_resolve_fails(r, "fabrikam.com", TISO_E_NOT_FOUND);
    tiso_resolver_free(r);
}

static void empty_map_is_fine(void **state)
{
    (void)state;
    tiso_resolver *r = load_map("{}");
    assert_resolve_fails(r, "contoso.com", TISO_E_NOT_FOUND);
    assert_resolves(r, TENANT_A, TENANT_A);
    tiso_resolver_free(r);
}

static void map_syntax_error_has_line_and_column(void **state)
{
    (void)state;
    tiso_error err = map_fails("{\n  \"contoso.com\": \"" CONTOSO "\",\n  \"x.com\" \"y\"\n}",
                               TISO_E_SYNTAX);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 11);
    map_fails("", TISO_E_SYNTAX);
    map_fails("{\"contoso.com\": \"" CONTOSO "\"", TISO_E_SYNTAX);
    map_fails("{} []", TISO_E_SYNTAX);
}

static void map_schema_errors_name_the_key(void **state)
{
    (void)state;
    tiso_error err = map_fails("{\n  \"contoso.com\": 5\n}", TISO_E_SCHEMA);
    tt_assert_contains(err.message, "contoso.com");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    map_fails("[]", TISO_E_SCHEMA);
    map_fails("\"contoso.com\"", TISO_E_SCHEMA);
    map_fails("{\"contoso.com\": null}", TISO_E_SCHEMA);
    map_fails("{\"contoso.com\": [\"" CONTOSO "\"]}", TISO_E_SCHEMA);
    /* the same domain twice, different tenants */
    map_fails("{\"contoso.com\": \"" CONTOSO "\", \"CONTOSO.com\": \"" FABRIKAM "\"}",
              TISO_E_SCHEMA);
}

static void map_bad_domain_and_tenant(void **state)
{
    (void)state;
    tiso_error err = map_fails("{\n  \"evil.com/x\": \"" CONTOSO "\"\n}", TISO_E_INVALID_DOMAIN);
    tt_assert_contains(err.message, "evil.com/x");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    map_fails("{\"*\": \"" CONTOSO "\"}", TISO_E_INVALID_DOMAIN);
    map_fails("{\"localhost\": \"" CONTOSO "\"}", TISO_E_INVALID_DOMAIN);
    err = map_fails("{\n  \"contoso.com\": \"not-a-guid\"}", TISO_E_INVALID_TENANT);
    tt_assert_contains(err.message, "contoso.com");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    map_fails("{\"contoso.com\": \"" NIL_GUID "\"}", TISO_E_INVALID_TENANT);
    map_fails("{\"contoso.com\": \"{" CONTOSO "}\"}", TISO_E_INVALID_TENANT);
}

static void static_add_validates(void **state)
{
    (void)state;
    tiso_resolver *r = NULL;
    tiso_error err;
    tiso_tenant_id c = tt_id(CONTOSO), f = tt_id(FABRIKAM), nil;
    memset(&nil, 0, sizeof nil);
    assert_int_equal(tiso_resolver_new_static(&r, &err), TISO_OK);
    assert_int_equal(tiso_resolver_static_add(r, "Contoso.com.", &c, &err), TISO_OK);
    assert_int_equal(tiso_resolver_static_add(r, "contoso.com", &c, &err), TISO_OK);
    assert_int_equal(tiso_resolver_static_add(r, "CONTOSO.COM", &f, &err), TISO_E_SCHEMA);
    tt_assert_error(&err, TISO_E_SCHEMA);
    assert_int_equal(tiso_resolver_static_add(r, "bad domain.com", &c, &err), TISO_E_INVALID_DOMAIN);
    assert_int_equal(tiso_resolver_static_add(r, "*", &c, &err), TISO_E_INVALID_DOMAIN);
    assert_int_equal(tiso_resolver_static_add(r, "", &c, &err), TISO_E_INVALID_DOMAIN);
    assert_int_equal(tiso_resolver_static_add(r, "fabrikam.com", &nil, &err), TISO_E_INVALID_TENANT);
    assert_int_equal(tiso_resolver_static_add(NULL, "fabrikam.com", &f, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_resolver_static_add(r, NULL, &f, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_resolver_static_add(r, "fabrikam.com", NULL, &err), TISO_E_INVALID_ARGUMENT);
    assert_resolves(r, "contoso.com", CONTOSO);
    assert_resolve_fails(r, "fabrikam.com", TISO_E_NOT_FOUND); /* nothing half-added */
    tiso_resolver_free(r);
}

static void static_add_refuses_a_callback_resolver(void **state)
{
    (void)state;
    callback_log log = {0};
    tiso_resolver *r = NULL;
    tiso_tenant_id c = tt_id(CONTOSO);
    tiso_error err;
    assert_int_equal(tiso_resolver_new_callback(&r, logging_callback, &log, NULL), TISO_OK);
    assert_int_equal(tiso_resolver_static_add(r, "contoso.com", &c, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    tiso_resolver_free(r);
}

static void callback_gets_user_pointer_and_normalized_name(void **state)
{
    (void)state;
    callback_log log = {0};
    log.reply = TISO_OK;
    log.answer = tt_id(FABRIKAM);
    tiso_resolver *r = NULL;
    assert_int_equal(tiso_resolver_new_callback(&r, logging_callback, &log, NULL), TISO_OK);
    assert_resolves(r, "Fabrikam.COM.", FABRIKAM);
    assert_int_equal(log.calls, 1);
    assert_string_equal(log.last, "fabrikam.com");
    tiso_resolver_free(r);
}

static void callback_errors_propagate(void **state)
{
    (void)state;
    callback_log log = {0};
    tiso_resolver *r = NULL;
    tiso_tenant_id id;
    tiso_error err;
    assert_int_equal(tiso_resolver_new_callback(&r, logging_callback, &log, NULL), TISO_OK);
    log.reply = TISO_E_NOT_FOUND;
    assert_resolve_fails(r, "nobody.example", TISO_E_NOT_FOUND);
    log.reply = TISO_E_TIMEOUT;
    assert_int_equal(tiso_resolver_resolve(&id, r, "slow.example", &err), TISO_E_TIMEOUT);
    tt_assert_error(&err, TISO_E_TIMEOUT);
    tt_assert_contains(err.message, "timed out");
    log.reply = TISO_OK;
    memset(&log.answer, 0, sizeof log.answer); /* nil with OK */
    assert_resolve_fails(r, "nil.example", TISO_E_BAD_RESPONSE);
    assert_int_equal(log.calls, 3);
    tiso_resolver_free(r);
}

static void tenant_ids_and_bad_names_skip_the_callback(void **state)
{
    (void)state;
    callback_log log = {0};
    tiso_resolver *r = NULL;
    assert_int_equal(tiso_resolver_new_callback(&r, logging_callback, &log, NULL), TISO_OK);
    assert_resolves(r, "C0A7B3E1-5D4F-4E2A-9B1C-000000C07050", CONTOSO);
    assert_resolve_fails(r, "*", TISO_E_INVALID_TENANT);
    assert_resolve_fails(r, "evil.com/path", TISO_E_INVALID_DOMAIN);
    assert_resolve_fails(r, "a b.com", TISO_E_INVALID_DOMAIN);
    assert_resolve_fails(r, NIL_GUID, TISO_E_INVALID_TENANT);
    /* Near-GUIDs are broken tenant IDs, not bad domains. */
    assert_resolve_fails(r, "11111111-1111-1111-1111-11111111111", TISO_E_INVALID_TENANT);
    assert_resolve_fails(r, "11111111_1111-1111-1111-111111111111", TISO_E_INVALID_TENANT);
    assert_resolve_fails(r, "{11111111-1111-1111-1111-111111111111}", TISO_E_INVALID_TENANT);
    assert_resolve_fails(r, "{abc}", TISO_E_INVALID_TENANT);
    assert_resolve_fails(r, "contoso", TISO_E_INVALID_DOMAIN);
    assert_int_equal(log.calls, 0);
    tiso_resolver_free(r);
}

static void null_resolver_resolves_only_ids(void **state)
{
    (void)state;
    assert_resolves(NULL, TENANT_A, TENANT_A);
    assert_resolve_fails(NULL, "contoso.com", TISO_E_RESOLVE);
    assert_resolve_fails(NULL, "*", TISO_E_INVALID_TENANT);
}

static void resolve_null_pointers(void **state)
{
    (void)state;
    tiso_tenant_id id;
    tiso_error err;
    assert_int_equal(tiso_resolver_resolve(NULL, NULL, TENANT_A, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_resolver_resolve(&id, NULL, NULL, &err), TISO_E_INVALID_ARGUMENT);
    /* An empty name is a name, and not a tenant (tiso_name_classify). */
    assert_int_equal(tiso_resolver_resolve(&id, NULL, "", &err), TISO_E_INVALID_TENANT);
    tt_assert_error(&err, TISO_E_INVALID_TENANT);
}

static void constructors_null_pointers(void **state)
{
    (void)state;
    tiso_resolver *r = NULL;
    tiso_error err;
    assert_int_equal(tiso_resolver_new_static(NULL, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_resolver_new_callback(NULL, logging_callback, NULL, &err),
                     TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_resolver_new_callback(&r, NULL, NULL, &err), TISO_E_INVALID_ARGUMENT);
    assert_null(r);
    assert_int_equal(tiso_resolver_load_map_json(NULL, "{}", 2, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_resolver_load_map_json(&r, NULL, 2, &err), TISO_E_INVALID_ARGUMENT);
    assert_null(r);
    assert_int_equal(tiso_resolver_load_map_file(NULL, "x.json", &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_resolver_load_map_file(&r, NULL, &err), TISO_E_INVALID_ARGUMENT);
    assert_null(r);
    tiso_resolver_free(NULL);
}

static void map_files(void **state)
{
    (void)state;
    static const char text[] = "{\"contoso.com\": \"" CONTOSO "\"}";
    char *path = tt_write_temp(text, sizeof text - 1);
    tiso_resolver *r = NULL;
    tiso_error err;
    assert_int_equal(tiso_resolver_load_map_file(&r, path, &err), TISO_OK);
    assert_resolves(r, "contoso.com", CONTOSO);
    tiso_resolver_free(r);
    r = NULL;
    unlink(path);
    assert_int_equal(tiso_resolver_load_map_file(&r, path, &err), TISO_E_IO);
    tt_assert_error(&err, TISO_E_IO);
    tt_assert_contains(err.message, path);
    free(path);
    assert_int_equal(tiso_resolver_load_map_file(&r, "/tmp", &err), TISO_E_IO);
    tt_assert_contains(err.message, "/tmp");
    tiso_status s = tiso_resolver_load_map_file(&r, "", &err);
    assert_true(s == TISO_E_IO || s == TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_resolver_load_map_file(&r, "/dev/null", &err), TISO_E_SYNTAX);
    assert_null(r);
}

static void map_document_size_limit(void **state)
{
    (void)state;
    size_t n = (size_t)64 * 1024 * 1024 + 1;
    char *big = tt_repeat(' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    tiso_resolver *r = NULL;
    tiso_error err;
    assert_int_equal(tiso_resolver_load_map_json(&r, big, n, &err), TISO_E_LIMIT);
    tt_assert_error(&err, TISO_E_LIMIT);
    assert_null(r);
    assert_int_equal(tiso_resolver_load_map_json(&r, big, n - 1, &err), TISO_E_SYNTAX);
    big[n - 2] = '}';
    assert_int_equal(tiso_resolver_load_map_json(&r, big, n - 1, &err), TISO_OK); /* just under */
    tiso_resolver_free(r);
    free(big);
}

/* {"d0000000.ex": "00000001-0000-4000-8000-000000000001", ...} with `n` names. */
static char *map_with_names(size_t n, size_t *len)
{
    char *s = malloc(n * 64 + 16);
    assert_non_null(s);
    size_t l = 0;
    s[l++] = '{';
    for (size_t i = 0; i < n; i++) {
        l += (size_t)sprintf(s + l, "%s\"d%07zu.ex\":\"%08zx-0000-4000-8000-000000000001\"", i ? "," : "", i,
                             i + 1);
    }
    s[l++] = '}';
    s[l] = '\0';
    *len = l;
    return s;
}

static void map_name_count_limit(void **state)
{
    (void)state;
    size_t len;
    tiso_resolver *r = NULL;
    tiso_error err;
    char *ok = map_with_names(1000000, &len);
    assert_int_equal(tiso_resolver_load_map_json(&r, ok, len, &err), TISO_OK);
    assert_resolves(r, "d0999999.ex", "000f4240-0000-4000-8000-000000000001");
    tiso_resolver_free(r);
    r = NULL;
    free(ok);
    char *over = map_with_names(1000001, &len);
    assert_int_equal(tiso_resolver_load_map_json(&r, over, len, &err), TISO_E_LIMIT);
    tt_assert_error(&err, TISO_E_LIMIT);
    assert_null(r);
    free(over);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(static_map_from_json),
        cmocka_unit_test(empty_map_is_fine),
        cmocka_unit_test(map_syntax_error_has_line_and_column),
        cmocka_unit_test(map_schema_errors_name_the_key),
        cmocka_unit_test(map_bad_domain_and_tenant),
        cmocka_unit_test(static_add_validates),
        cmocka_unit_test(static_add_refuses_a_callback_resolver),
        cmocka_unit_test(callback_gets_user_pointer_and_normalized_name),
        cmocka_unit_test(callback_errors_propagate),
        cmocka_unit_test(tenant_ids_and_bad_names_skip_the_callback),
        cmocka_unit_test(null_resolver_resolves_only_ids),
        cmocka_unit_test(resolve_null_pointers),
        cmocka_unit_test(constructors_null_pointers),
        cmocka_unit_test(map_files),
        cmocka_unit_test(map_document_size_limit),
        cmocka_unit_test(map_name_count_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
