/* Writing a policy back out as the admin API's document, normalized. */
#include <string.h>

#include <cjson/cJSON.h>

#include "policy_internal.h"

static bool add_id(cJSON *obj, const char *key, const tiso_tenant_id *id)
{
    char text[TISO_TENANT_ID_LEN + 1];
    tiso__tenant_id_format(id, text);
    return cJSON_AddStringToObject(obj, key, text) != NULL;
}

static cJSON *entry_json(const tiso_policy *p, size_t i)
{
    tiso_policy_entry e;
    tiso_policy_entry_at(&e, p, i);
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj != NULL;
    if (ok)
        ok = e.is_wildcard ? cJSON_AddStringToObject(obj, "tenantId", "*") != NULL : add_id(obj, "tenantId", &e.tenant);
    if (ok && e.domain)
        ok = cJSON_AddStringToObject(obj, "domain", e.domain) != NULL;
    if (ok && e.display_name)
        ok = cJSON_AddStringToObject(obj, "tenantDisplayName", e.display_name) != NULL;
    cJSON *dir = ok ? cJSON_AddObjectToObject(obj, "direction") : NULL;
    ok = dir && cJSON_AddBoolToObject(dir, "inbound", (e.directions & TISO_ALLOW_INBOUND) != 0) &&
         cJSON_AddBoolToObject(dir, "outbound", (e.directions & TISO_ALLOW_OUTBOUND) != 0);
    if (!ok) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

static cJSON *policy_json(const tiso_policy *p)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *props = root ? cJSON_AddObjectToObject(root, "properties") : NULL;
    bool ok = props != NULL;
    if (ok && p->has_home)
        ok = add_id(props, "tenantId", &p->home);
    if (ok)
        ok = cJSON_AddBoolToObject(props, "isDisabled", !p->isolation) != NULL;
    if (ok && p->evaluate_non_entra)
        ok = cJSON_AddBoolToObject(props, "evaluateNonEntraConnectors", 1) != NULL;
    cJSON *list = ok ? cJSON_AddArrayToObject(props, "allowedTenants") : NULL;
    ok = list != NULL;
    for (size_t i = 0; ok && i < p->entry_count; i++) {
        cJSON *e = entry_json(p, i);
        ok = e && cJSON_AddItemToArray(list, e);
        if (e && !ok)
            cJSON_Delete(e);
    }
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

tiso_status tiso_policy_to_json(char **out, size_t *out_len, const tiso_policy *policy, int pretty, tiso_error *err)
{
    if (!policy || !out)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "policy_to_json: NULL pointer");
    cJSON *root = policy_json(policy);
    char *text = root ? (pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root)) : NULL;
    cJSON_Delete(root);
    if (!text)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory writing the policy");
    /* cJSON's buffer comes from its allocator; hand out one from ours, so
     * tiso_free is always the right way to release it. */
    size_t len = strlen(text);
    *out = tiso__strndup(text, len);
    cJSON_free(text);
    if (!*out)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory writing the policy");
    if (out_len)
        *out_len = len;
    return TISO_OK;
}
