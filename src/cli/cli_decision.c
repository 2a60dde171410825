/* Printing decisions (see cli_decision.h). */
#include "cli_decision.h"

#include <stdlib.h>

#include "cli_output.h"

/* The decision's message (tiso_decision_message), malloc'd; NULL when out
 * of memory. The library reports the full length like snprintf: ask, then
 * fetch. */
static char *decision_message(const tiso_decision *d)
{
    size_t need = tiso_decision_message(NULL, 0, d);
    char *buf = malloc(need + 1);
    if (buf != NULL) {
        tiso_decision_message(buf, need + 1, d);
    }
    return buf;
}

const char *cli_tenant_text(const tiso_tenant_id *id, char buf[TISO_TENANT_ID_LEN + 1], const char *none)
{
    if (tiso_tenant_id_is_nil(id)) {
        return none;
    }
    tiso_tenant_id_format(buf, id);
    return buf;
}

/* A direction is null when the rules decided before one applied (same
 * tenant, non-Entra connector, not applicable); so is a nil tenant. */
int cli_decision_add_to(cJSON *obj, const tiso_decision *d, int with_blocked_by)
{
    char *message = decision_message(d);
    char external[TISO_TENANT_ID_LEN + 1], blocked[TISO_TENANT_ID_LEN + 1];
    int bad = message == NULL;
    cli_json_add_string(&bad, obj, "verdict", tiso_verdict_name(d->verdict));
    cli_json_add_string(&bad, obj, "reason", tiso_reason_name(d->reason));
    cli_json_add_string(&bad, obj, "direction",
                        d->direction == TISO_DIRECTION_NONE ? NULL : tiso_direction_name(d->direction));
    cli_json_add_string(&bad, obj, "externalTenant", cli_tenant_text(&d->external_tenant, external, NULL));
    cli_json_need(&bad,
                  d->rule < 0 ? cJSON_AddNullToObject(obj, "rule") : cJSON_AddNumberToObject(obj, "rule", d->rule));
    cli_json_add_string(&bad, obj, "message", message);
    if (with_blocked_by) {
        cli_json_add_string(&bad, obj, "blockedBy", cli_tenant_text(&d->blocked_by, blocked, NULL));
    }
    free(message);
    return bad ? -1 : 0;
}

int cli_decision_print_text(FILE *out, const tiso_decision *d, int with_blocked_by)
{
    char *message = decision_message(d);
    if (message == NULL) {
        return -1;
    }
    char external[TISO_TENANT_ID_LEN + 1], blocked[TISO_TENANT_ID_LEN + 1];
    fprintf(out, "%s  %s  %s  external=%s  rule=", tiso_verdict_name(d->verdict), tiso_reason_name(d->reason),
            d->direction == TISO_DIRECTION_NONE ? "-" : tiso_direction_name(d->direction),
            cli_tenant_text(&d->external_tenant, external, "-"));
    if (d->rule < 0) {
        fputc('-', out);
    } else {
        fprintf(out, "%ld", (long)d->rule);
    }
    if (with_blocked_by) {
        fprintf(out, "  blocked_by=%s", cli_tenant_text(&d->blocked_by, blocked, "-"));
    }
    fprintf(out, "\n%s\n", message);
    free(message);
    return 0;
}
