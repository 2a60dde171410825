/* Fuzz target: the policy document loader (tiso_policy_load_json), with a
 * static resolver that knows a few domains. The input is the document.
 *
 * Invariants:
 *   - a failed load leaves *out untouched and says why (status, message);
 *   - a loaded policy decides a grid of requests exactly as a reference
 *     model of SPEC 3 does (fuzz_policy_oracle.c), and every decision's
 *     reason matches its verdict;
 *   - tiso_policy_to_json's output (compact and pretty) loads again, with
 *     no resolver, to an equivalent policy: same provenance hash, same
 *     switches, same entries; writing that again gives the same text;
 *   - loading with tight limits and no resolver may only fail where the
 *     defaults succeed, never the other way round, and agrees when both
 *     succeed. */
#include "fuzz_policy_oracle.h"
#include "fuzz_util.h"

static const char *const DOMAINS[][2] = {
    {"contoso.com", "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"},
    {"fabrikam.com", "fab41ca0-7e3d-4c1b-8a2f-0000000fab41"},
    {"northwindtraders.com", "4e0b7a12-96c3-4d5e-8f21-7a3b9c0d1e2f"},
};

static tiso_resolver *resolver(void)
{
    static tiso_resolver *r;
    if (r == NULL) {
        FUZZ_CHECK(tiso_resolver_new_static(&r, NULL) == TISO_OK, "setup");
        for (size_t i = 0; i < sizeof DOMAINS / sizeof DOMAINS[0]; i++) {
            tiso_tenant_id id;
            FUZZ_CHECK(tiso_tenant_id_parse(&id, DOMAINS[i][1], TISO_TENANT_ID_LEN) == TISO_OK, "setup");
            FUZZ_CHECK(tiso_resolver_static_add(r, DOMAINS[i][0], &id, NULL) == TISO_OK, "setup");
        }
    }
    return r;
}

static int same_string(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Two policies say the same: switches, entries and the provenance hash. */
static void check_equivalent(const tiso_policy *a, const tiso_policy *b, int with_strings)
{
    tiso_provenance pa, pb;
    FUZZ_CHECK(tiso_policy_provenance(&pa, a) == TISO_OK && tiso_policy_provenance(&pb, b) == TISO_OK, "provenance");
    FUZZ_CHECK(memcmp(pa.sha256, pb.sha256, 32) == 0 && pa.id == pb.id, "hash %s became %s", pa.sha256_hex,
               pb.sha256_hex);
    tiso_tenant_id ha, hb;
    int has_a = tiso_policy_home_tenant(&ha, a), has_b = tiso_policy_home_tenant(&hb, b);
    FUZZ_CHECK(has_a == has_b && (!has_a || tiso_tenant_id_equal(&ha, &hb)), "home tenant differs");
    FUZZ_CHECK(tiso_policy_isolation_enabled(a) == tiso_policy_isolation_enabled(b), "isolation differs");
    FUZZ_CHECK(tiso_policy_evaluates_non_entra(a) == tiso_policy_evaluates_non_entra(b), "non-Entra differs");
    size_t n = tiso_policy_entry_count(a);
    FUZZ_CHECK(n == tiso_policy_entry_count(b), "%zu entries became %zu", n, tiso_policy_entry_count(b));
    for (size_t i = 0; i < n; i++) {
        tiso_policy_entry ea, eb;
        FUZZ_CHECK(tiso_policy_entry_at(&ea, a, i) == TISO_OK && tiso_policy_entry_at(&eb, b, i) == TISO_OK, "entry");
        FUZZ_CHECK(ea.is_wildcard == eb.is_wildcard && ea.directions == eb.directions &&
                       tiso_tenant_id_equal(&ea.tenant, &eb.tenant),
                   "entry %zu differs", i);
        FUZZ_CHECK(!with_strings ||
                       (same_string(ea.display_name, eb.display_name) && same_string(ea.domain, eb.domain)),
                   "entry %zu: display name or domain differs", i);
    }
}

static void check_round_trip(const tiso_policy *p, int pretty)
{
    char *json = NULL, *again = NULL;
    size_t len = 0, len2 = 0;
    FUZZ_CHECK(tiso_policy_to_json(&json, &len, p, pretty, NULL) == TISO_OK && json != NULL, "to_json failed");
    FUZZ_CHECK(strlen(json) == len, "to_json length %zu, strlen %zu", len, strlen(json));
    tiso_policy *q = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = tiso_policy_load_json(&q, json, len, NULL, &err);
    FUZZ_CHECK(s == TISO_OK, "to_json output does not load: %s: %s\n%s", tiso_status_name(s), err.message, json);
    check_equivalent(p, q, 1);
    FUZZ_CHECK(tiso_policy_to_json(&again, &len2, q, pretty, NULL) == TISO_OK, "to_json failed");
    FUZZ_CHECK(len == len2 && memcmp(json, again, len) == 0, "to_json is not a fixed point:\n%s\n%s", json, again);
    tiso_free(again);
    tiso_free(json);
    tiso_policy_free(q);
}

static void check_loaded(const tiso_policy *p)
{
    for (size_t i = 0; i < tiso_policy_warning_count(p); i++) {
        tiso_warning w;
        FUZZ_CHECK(tiso_policy_warning_at(&w, p, i) == TISO_OK && w.path != NULL && w.message != NULL &&
                       w.message[0] != '\0',
                   "warning %zu", i);
    }
    FUZZ_CHECK(tiso_policy_warning_count(p) <= 1001, "%zu warnings", tiso_policy_warning_count(p));
    FUZZ_CHECK(strcmp(tiso_policy_source(p), "<memory>") == 0, "source '%s'", tiso_policy_source(p));
    fuzz_oracle_check_grid(p);
    check_round_trip(p, 0);
    check_round_trip(p, 1);
}

/* Tight limits and no resolver: may fail where the defaults passed, but
 * must not pass where they failed, and must agree when both pass. The one
 * exception needs the resolver: an entry whose domain resolves to another
 * tenant than its tenantId is a conflict only where the domain can be
 * resolved (SPEC 4); without a resolver the tenantId stands. */
static void check_tight(const char *json, size_t len, const tiso_policy *loose, tiso_status loose_status)
{
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    opts.max_depth = 5; /* the wrapped document's direction objects sit at depth 5 */
    opts.max_string_bytes = 48;
    opts.max_entries = 3;
    opts.max_document_bytes = 1024;
    tiso_policy *p = NULL;
    tiso_status s = tiso_policy_load_json(&p, json, len, &opts, NULL); /* err may be NULL */
    FUZZ_CHECK(s == TISO_OK || p == NULL, "failed load set *out");
    if (s != TISO_OK)
        return;
    FUZZ_CHECK(loose != NULL || loose_status == TISO_E_CONFLICT, "tight limits loaded what the defaults refused (%s)",
               tiso_status_name(loose_status));
    if (loose != NULL)
        check_equivalent(loose, p, 1);
    tiso_policy_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *json = fuzz_copy(data, size);
    if (json == NULL)
        return 0;
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    opts.resolver = resolver();
    static char marker; /* tiso_policy is opaque: any distinct address will do */
    tiso_policy *const untouched = (tiso_policy *)(void *)&marker;
    tiso_policy *p = untouched;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = tiso_policy_load_json(&p, json, size, &opts, &err);
    if (s == TISO_OK) {
        FUZZ_CHECK(p != NULL && p != untouched, "OK without a policy");
        check_loaded(p);
    } else {
        FUZZ_CHECK(p == untouched, "a failed load (%s) changed *out", tiso_status_name(s));
        fuzz_check_error(&err, s);
        FUZZ_CHECK(s == TISO_E_SYNTAX || s == TISO_E_SCHEMA || s == TISO_E_INVALID_TENANT ||
                       s == TISO_E_INVALID_DOMAIN || s == TISO_E_NOT_FOUND || s == TISO_E_LIMIT ||
                       s == TISO_E_CONFLICT, /* an entry's tenantId and domain disagree */
                   "unexpected status %s: %s", tiso_status_name(s), err.message);
        p = NULL;
    }
    check_tight(json, size, p, s);
    tiso_policy_free(p);
    free(json);
    return 0;
}
