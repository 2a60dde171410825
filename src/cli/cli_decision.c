/* Printing decisions (see cli_decision.h). */
#include "cli_decision.h"

#include <stdlib.h>

char *cli_decision_message(const tiso_decision *d)
{
    /* The library reports the full length like snprintf: ask, then fetch. */
    size_t need = tiso_decision_message(NULL, 0, d);
    char *buf = malloc(need + 1);
    if (buf != NULL) {
        tiso_decision_message(buf, need + 1, d);
    }
    return buf;
}

/* Adds `id` as a canonical string, or null for the nil ID ("none"). */
static cJSON *add_tenant(cJSON *obj, const char *key, const tiso_tenant_id *id)
{
    if (tiso_tenant_id_is_nil(id)) {
        return cJSON_AddNullToObject(obj, key);
    }
    char text[TISO_TENANT_ID_LEN + 1];
    tiso_tenant_id_format(text, id);
    return cJSON_AddStringToObject(obj, key, text);
}

/* "direction": "inbound"|"outbound", or null when the rules decided before
 * a direction applied (same tenant, non-Entra connector, not applicable). */
static cJSON *add_direction(cJSON *obj, tiso_direction direction)
{
    if (direction == TISO_DIRECTION_NONE) {
        return cJSON_AddNullToObject(obj, "direction");
    }
    return cJSON_AddStringToObject(obj, "direction", tiso_direction_name(direction));
}

static cJSON *add_rule(cJSON *obj, int32_t rule)
{
    if (rule < 0) {
        return cJSON_AddNullToObject(obj, "rule");
    }
    return cJSON_AddNumberToObject(obj, "rule", (double)rule);
}

int cli_decision_add_to(cJSON *obj, const tiso_decision *d, int with_blocked_by)
{
    char *message = cli_decision_message(d);
    int ok = message != NULL;
    ok = ok && cJSON_AddStringToObject(obj, "verdict", tiso_verdict_name(d->verdict)) != NULL;
    ok = ok && cJSON_AddStringToObject(obj, "reason", tiso_reason_name(d->reason)) != NULL;
    ok = ok && add_direction(obj, d->direction) != NULL;
    ok = ok && add_tenant(obj, "externalTenant", &d->external_tenant) != NULL;
    ok = ok && add_rule(obj, d->rule) != NULL;
    ok = ok && cJSON_AddStringToObject(obj, "message", message) != NULL;
    ok = ok && (!with_blocked_by || add_tenant(obj, "blockedBy", &d->blocked_by) != NULL);
    free(message);
    return ok ? 0 : -1;
}

/* The canonical form of `id`, or "-" for none, in `buf`. */
static const char *tenant_or_dash(const tiso_tenant_id *id, char buf[TISO_TENANT_ID_LEN + 1])
{
    if (tiso_tenant_id_is_nil(id)) {
        return "-";
    }
    tiso_tenant_id_format(buf, id);
    return buf;
}

int cli_decision_print_text(FILE *out, const tiso_decision *d, int with_blocked_by)
{
    char *message = cli_decision_message(d);
    if (message == NULL) {
        return -1;
    }
    char external[TISO_TENANT_ID_LEN + 1], blocked[TISO_TENANT_ID_LEN + 1];
    fprintf(out, "%s  %s  %s  external=%s  rule=", tiso_verdict_name(d->verdict), tiso_reason_name(d->reason),
            d->direction == TISO_DIRECTION_NONE ? "-" : tiso_direction_name(d->direction),
            tenant_or_dash(&d->external_tenant, external));
    if (d->rule < 0) {
        fputc('-', out);
    } else {
        fprintf(out, "%ld", (long)d->rule);
    }
    if (with_blocked_by) {
        fprintf(out, "  blocked_by=%s", tenant_or_dash(&d->blocked_by, blocked));
    }
    fprintf(out, "\n%s\n", message);
    free(message);
    return 0;
}
