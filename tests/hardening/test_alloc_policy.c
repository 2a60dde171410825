/* Allocation-failure sweeps over the loader, the builder and the resolvers,
 * for the paths tests/unit/test_alloc_fail.c does not take: a callback
 * resolver, more than 1,000 warnings (the cap and its summary), the bare
 * document, reading a file, the builder's own warnings, domain-map files
 * with repeats, a static map grown name by name, callback resolvers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep.h"

static const char DOMAINS_POLICY[] =
    "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
    "{\"domain\": \"fabrikam.com\", \"tenantDisplayName\": \"Fabrikam\", \"direction\": {\"inbound\": true}},"
    "{\"domain\": \"a.example\", \"direction\": {\"outbound\": true}},"
    "{\"domain\": \"b.example\", \"tenantId\": \"" TENANT_B "\", \"direction\": {\"outbound\": true}}]}}";

/* The callback resolver's answers: fabrikam.com and a.example. */
static tiso_status resolve_cb(void *user, const char *domain, tiso_tenant_id *out, tiso_error *err)
{
    (void)user;
    (void)err;
    if (strcmp(domain, "fabrikam.com") == 0)
        *out = tt_id(FABRIKAM);
    else if (strcmp(domain, "a.example") == 0)
        *out = tt_id(TENANT_A);
    else
        return TISO_E_NOT_FOUND;
    return TISO_OK;
}

/* Loads `json` with `opts`; a failure must leave *out alone. */
static tiso_status load_checked(const char *json, size_t len, const tiso_load_options *opts, size_t n, tiso_error *err,
                                size_t want_warnings)
{
    tiso_policy *p = NULL;
    hs_arm(n);
    tiso_status s = tiso_policy_load_json(&p, json, len, opts, err);
    hs_disarm();
    if (s != TISO_OK) {
        assert_null(p);
        return s;
    }
    assert_int_equal(tiso_policy_warning_count(p), want_warnings);
    tiso_warning last;
    assert_int_equal(tiso_policy_warning_at(&last, p, want_warnings - 1), TISO_OK);
    assert_int_equal(last.code, TISO_WARN_MORE);
    tiso_policy_free(p);
    return s;
}

static tiso_status op_load_callback(void *ctx, size_t n, tiso_error *err)
{
    (void)ctx;
    tiso_resolver *r = NULL;
    tiso_policy *p = NULL;
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    hs_arm(n);
    tiso_status s = tiso_resolver_new_callback(&r, resolve_cb, NULL, err);
    if (s == TISO_OK) {
        opts.resolver = r;
        s = tiso_policy_load_json(&p, DOMAINS_POLICY, sizeof DOMAINS_POLICY - 1, &opts, err);
    }
    hs_disarm();
    if (s == TISO_OK) {
        tiso_policy_entry e;
        tiso_tenant_id fab = tt_id(FABRIKAM);
        assert_int_equal(tiso_policy_entry_at(&e, p, 0), TISO_OK);
        assert_true(tiso_tenant_id_equal(&e.tenant, &fab));
    } else {
        assert_null(p);
    }
    tiso_policy_free(p);
    tiso_resolver_free(r);
    return s;
}

/* A bare document (no "properties", no isDisabled, an unknown key) whose
 * 520 empty "*" entries give two warnings each: past the cap of 1,000. */
static char *many_warnings(size_t *len)
{
    static const char entry[] = "{\"tenantId\": \"*\", \"direction\": {}},";
    size_t cap = 128 + 520 * sizeof entry;
    char *doc = malloc(cap);
    assert_non_null(doc);
    size_t l = (size_t)snprintf(doc, cap, "{\"tenantId\": \"%s\", \"x\": 1, \"allowedTenants\": [", CONTOSO);
    for (size_t i = 0; i < 520; i++)
        l += (size_t)snprintf(doc + l, cap - l, "%s", entry);
    snprintf(doc + l - 1, cap - l + 1, "]}");
    *len = strlen(doc);
    return doc;
}

static tiso_status op_load_many_warnings(void *ctx, size_t n, tiso_error *err)
{
    size_t len;
    char *doc = many_warnings(&len);
    (void)ctx;
    tiso_status s = load_checked(doc, len, NULL, n, err, 1000); /* 999 kept and the summary */
    free(doc);
    return s;
}

static tiso_status op_load_file(void *ctx, size_t n, tiso_error *err)
{
    const char *path = ctx;
    tiso_policy *p = NULL;
    hs_arm(n);
    tiso_status s = tiso_policy_load_file(&p, path, NULL, err);
    hs_disarm();
    if (s != TISO_OK)
        assert_null(p);
    tiso_policy_free(p);
    return s;
}

/* The builder finds its own warnings at build time: 1,050 repeats. */
static tiso_status op_build_many_warnings(void *ctx, size_t n, tiso_error *err)
{
    const tiso_policy_builder *b = ctx;
    tiso_policy *p = NULL;
    hs_arm(n);
    tiso_status s = tiso_policy_builder_build(&p, b, err);
    hs_disarm();
    if (s != TISO_OK) {
        assert_null(p);
        return s;
    }
    assert_int_equal(tiso_policy_warning_count(p), 1000); /* 999 kept and the summary */
    tiso_policy_free(p);
    return s;
}

static tiso_status op_map_file(void *ctx, size_t n, tiso_error *err)
{
    const char *path = ctx;
    tiso_resolver *r = NULL;
    hs_arm(n);
    tiso_status s = tiso_resolver_load_map_file(&r, path, err);
    hs_disarm();
    if (s != TISO_OK) {
        assert_null(r);
        return s;
    }
    tiso_tenant_id id;
    assert_int_equal(tiso_resolver_resolve(&id, r, "d39.example", NULL), TISO_OK);
    tiso_resolver_free(r);
    return s;
}

/* A static map grown one name at a time past its first capacity. */
static tiso_status op_static_add(void *ctx, size_t n, tiso_error *err)
{
    (void)ctx;
    tiso_resolver *r = NULL;
    tiso_tenant_id id = tt_id(TENANT_C);
    hs_arm(n);
    tiso_status s = tiso_resolver_new_static(&r, err);
    for (int i = 40; s == TISO_OK && i > 0; i--) {
        char name[32];
        snprintf(name, sizeof name, "D%d.Example.", i);
        s = tiso_resolver_static_add(r, name, &id, err);
    }
    hs_disarm();
    if (s == TISO_OK) {
        tiso_tenant_id got;
        assert_int_equal(tiso_resolver_resolve(&got, r, "d17.example", NULL), TISO_OK);
    }
    tiso_resolver_free(r);
    return s;
}

static void loader_paths(void **state)
{
    (void)state;
    assert_true(hs_sweep("load with a callback resolver", op_load_callback, NULL) > 0);
    assert_true(hs_sweep("load with 1,040 warnings", op_load_many_warnings, NULL) > 1000);
    static const char doc[] = "{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": true, \"allowedTenants\": ["
                              "{\"tenantId\": \"" TENANT_A "\", \"direction\": {\"inbound\": true}}]}";
    char *path = tt_write_temp(doc, sizeof doc - 1);
    assert_true(hs_sweep("load_file", op_load_file, path) > 0);
    unlink(path);
    free(path);
}

static void builder_warnings(void **state)
{
    (void)state;
    tiso_policy_builder *b = NULL;
    assert_int_equal(tiso_policy_builder_new(&b, NULL), TISO_OK);
    tiso_tenant_id a = tt_id(TENANT_A);
    for (int i = 0; i < 1050; i++)
        assert_int_equal(tiso_policy_builder_add(b, &a, TISO_ALLOW_INBOUND, "A", NULL, NULL), TISO_OK);
    assert_true(hs_sweep("build with 1,049 warnings", op_build_many_warnings, b) > 1000);
    tiso_policy_builder_free(b);
}

static void resolver_paths(void **state)
{
    (void)state;
    char map[8192]; /* 80 names of about 70 bytes */
    size_t l = (size_t)snprintf(map, sizeof map, "{");
    for (int i = 0; i < 40; i++) /* every name twice: the sort drops the repeats */
        l += (size_t)snprintf(map + l, sizeof map - l, "\"d%d.example\": \"%s\", \"D%d.EXAMPLE.\": \"%s\",", i,
                              TENANT_A, i, TENANT_A);
    snprintf(map + l - 1, sizeof map - l + 1, "}");
    char *path = tt_write_temp(map, strlen(map));
    assert_true(hs_sweep("map file with repeats", op_map_file, path) > 0);
    unlink(path);
    free(path);
    assert_true(hs_sweep("static map, 40 names", op_static_add, NULL) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loader_paths),
        cmocka_unit_test(builder_warnings),
        cmocka_unit_test(resolver_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
