/* Fuzz target: domain maps (tiso_resolver_load_map_json), the
 * {"domain": "tenant-id"} documents behind --domains.
 *
 * Invariants: a failed load leaves *out untouched and says why; a loaded
 * map resolves every key of the document (normalized) to the tenant its
 * value names, resolves tenant IDs to themselves and nothing else: a
 * well-formed domain that is not a key is "not found".
 *
 * Found: a key shaped like "aaaaaaaa-aaaa-aaaa.bbbbbbbbbbbbbbbbb" loaded but
 * never resolved (see fuzz_domain.c); kept as
 * corpus/domain_map/regress-guid-shaped-domain.json. */
#include <cjson/cJSON.h>

#include "fuzz_util.h"

static void check_member(tiso_resolver *r, const cJSON *m)
{
    char norm[TISO_DOMAIN_MAX + 1];
    tiso_tenant_id want, got;
    FUZZ_CHECK(m->string != NULL && cJSON_IsString(m) && m->valuestring != NULL, "a loaded map had a non-string");
    FUZZ_CHECK(tiso_domain_normalize(norm, m->string, strlen(m->string), NULL) == TISO_OK, "key '%s' is not a domain",
               m->string);
    FUZZ_CHECK(tiso_tenant_id_parse(&want, m->valuestring, strlen(m->valuestring)) == TISO_OK,
               "value '%s' is not a tenant ID", m->valuestring);
    tiso_error err;
    tiso_status s = tiso_resolver_resolve(&got, r, m->string, &err);
    FUZZ_CHECK(s == TISO_OK, "'%s' does not resolve: %s", m->string, tiso_status_name(s));
    FUZZ_CHECK(tiso_tenant_id_equal(&got, &want), "'%s' resolves to another tenant", m->string);
}

static void check_loaded(tiso_resolver *r, const char *json, size_t len)
{
    /* The library accepted it, so cJSON parses it too: walk the members. */
    cJSON *root = cJSON_ParseWithLength(json, len);
    FUZZ_CHECK(cJSON_IsObject(root), "accepted map is not an object to cJSON");
    for (const cJSON *m = root->child; m != NULL; m = m->next)
        check_member(r, m);
    cJSON_Delete(root);
    tiso_tenant_id got;
    tiso_error err;
    tiso_status s = tiso_resolver_resolve(&got, r, "not-a-key.invalid", &err);
    FUZZ_CHECK(s == TISO_E_NOT_FOUND || s == TISO_OK, "unknown name: %s", tiso_status_name(s));
    if (s != TISO_OK)
        fuzz_check_error(&err, s);
    FUZZ_CHECK(tiso_resolver_resolve(&got, r, "*", &err) == TISO_E_INVALID_TENANT, "\"*\" was resolved");
    FUZZ_CHECK(tiso_resolver_resolve(&got, r, "11111111-2222-3333-4444-555555555555", &err) == TISO_OK,
               "a tenant ID did not resolve to itself");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *json = fuzz_copy(data, size);
    if (json == NULL)
        return 0;
    static char marker; /* tiso_resolver is opaque: any distinct address will do */
    tiso_resolver *const untouched = (tiso_resolver *)(void *)&marker;
    tiso_resolver *r = untouched;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = tiso_resolver_load_map_json(&r, json, size, &err);
    if (s == TISO_OK) {
        FUZZ_CHECK(r != NULL && r != untouched, "OK without a resolver");
        check_loaded(r, json, size);
        tiso_resolver_free(r);
    } else {
        FUZZ_CHECK(r == untouched, "a failed load (%s) changed *out", tiso_status_name(s));
        fuzz_check_error(&err, s);
        FUZZ_CHECK(s == TISO_E_SYNTAX || s == TISO_E_SCHEMA || s == TISO_E_INVALID_TENANT ||
                       s == TISO_E_INVALID_DOMAIN || s == TISO_E_LIMIT,
                   "unexpected status %s: %s", tiso_status_name(s), err.message);
    }
    free(json);
    return 0;
}
