/* A connection's decision as JSON members (report --format json). */
#include "report_decision_json.h"

cJSON *tiso__id_json(const tiso_tenant_id *id)
{
    char text[TISO_TENANT_ID_LEN + 1];
    if (tiso__id_nil(id))
        return cJSON_CreateNull();
    tiso__tenant_id_format(id, text);
    return cJSON_CreateString(text);
}

bool tiso__add_item(cJSON *obj, const char *key, cJSON *item)
{
    if (item && cJSON_AddItemToObject(obj, key, item))
        return true;
    cJSON_Delete(item);
    return false;
}

static bool add_error(cJSON *obj, const tiso_connection_result *res)
{
    cJSON *e = cJSON_AddObjectToObject(obj, "error");
    return e && cJSON_AddStringToObject(e, "code", tiso_status_name(res->status)) &&
           tiso__add_text(e, "message", res->error ? res->error : "");
}

bool tiso__add_decision(cJSON *obj, const tiso_report *r, const tiso_connection_result *res)
{
    const tiso_decision *d = &res->decision;
    bool decided = res->status == TISO_OK;
    bool ok = cJSON_AddStringToObject(obj, "outcome", tiso_outcome_name(res->outcome)) &&
              cJSON_AddStringToObject(obj, "verdict", tiso_verdict_name(d->verdict)) &&
              cJSON_AddStringToObject(obj, "reason", tiso__reason_text(res->status, d)) &&
              tiso__add_item(obj, "direction", d->direction == TISO_DIRECTION_NONE ? cJSON_CreateNull()
                                                                         : cJSON_CreateString(tiso_direction_name(d->direction))) &&
              tiso__add_item(obj, "externalTenant", tiso__id_json(&d->external_tenant)) &&
              tiso__add_item(obj, "rule", d->rule >= 0 ? cJSON_CreateNumber(d->rule) : cJSON_CreateNull());
    if (ok && r->after.set)
        ok = tiso__add_item(obj, "blockedBy", tiso__id_json(&d->blocked_by));
    if (ok && decided) {
        char msg[1024];
        tiso_decision_message(d, msg, sizeof msg);
        ok = cJSON_AddStringToObject(obj, "message", msg) != NULL;
    } else if (ok) {
        ok = add_error(obj, res);
    }
    return ok;
}
