/* report --format csv: RFC 4180 (CRLF line ends, fields quoted when they
 * hold a comma, a quote or a line break, quotes doubled), a header row, one
 * row per connection, streamed. Members of the input record beyond the
 * known columns go, as one JSON object, into the last column, "extra". */
#include <string.h>

#include "report_writer.h"

static const char *const HEADER[] = {
    "source",   "line",   "index",  "creator",     "target",      "creatorTenantId", "targetTenantId",
    "connector", "connectionId", "environmentId", "userTenantId", "connectionType",  "outcome",
    "verdict",  "reason", "direction", "externalTenant", "rule",    "blockedBy",       "message",
    "extra",    NULL};

/* Input members with a column of their own; everything else is "extra".
 * A page entry's tenantId is shown as its creator or target. */
static const char *const KNOWN[] = {"creatorTenantId", "targetTenantId", "connector",    "connectorId",
                                    "apiId",           "connectionId",   "environmentId", "userTenantId",
                                    "connectionType",  NULL};

static tiso_status begin(tiso_report_writer *w)
{
    for (size_t i = 0; HEADER[i]; i++) {
        tiso__out_str(&w->out, i ? "," : "");
        tiso__out_str(&w->out, HEADER[i]);
    }
    tiso__out_str(&w->out, "\r\n");
    return TISO_OK;
}

static void field(tiso__out *o, const char *s)
{
    tiso__out_csv(o, s ? s : "");
    tiso__out_str(o, ",");
}

static void id_field(tiso__out *o, const tiso_tenant_id *id)
{
    if (!tiso__id_nil(id))
        tiso__out_id(o, id);
    tiso__out_str(o, ",");
}

static void number_field(tiso__out *o, bool present, long long n)
{
    if (present)
        tiso__out_printf(o, "%lld", n);
    tiso__out_str(o, ",");
}

/* The input's members: the known ones by name, the rest printed to `extra`. */
static bool split_fields(const tiso_connection *c, cJSON **obj, char **extra)
{
    *obj = c->fields ? cJSON_ParseWithLength(c->fields, c->fields_len) : NULL;
    *extra = NULL;
    if (!cJSON_IsObject(*obj))
        return true;
    cJSON *rest = cJSON_Duplicate(*obj, 1);
    if (!rest)
        return false;
    for (size_t i = 0; KNOWN[i]; i++)
        cJSON_DeleteItemFromObjectCaseSensitive(rest, KNOWN[i]);
    if (c->index >= 0)
        cJSON_DeleteItemFromObjectCaseSensitive(rest, "tenantId");
    *extra = rest->child ? cJSON_PrintUnformatted(rest) : NULL;
    bool ok = !rest->child || *extra;
    cJSON_Delete(rest);
    return ok;
}

static const char *member(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static void decision_fields(tiso_report_writer *w, const tiso_connection_result *res)
{
    const tiso_decision *d = &res->decision;
    tiso__out *o = &w->out;
    field(o, tiso_outcome_name(res->outcome));
    field(o, tiso_verdict_name(d->verdict));
    field(o, tiso__reason_text(res->status, d));
    field(o, d->direction == TISO_DIRECTION_NONE ? "" : tiso_direction_name(d->direction));
    id_field(o, &d->external_tenant);
    number_field(o, d->rule >= 0, d->rule);
    id_field(o, &d->blocked_by);
    if (res->status == TISO_OK) {
        char msg[1024];
        tiso_decision_message(d, msg, sizeof msg);
        field(o, msg);
    } else {
        field(o, res->error);
    }
}

static void row(tiso_report_writer *w, const tiso_connection_result *res)
{
    const tiso_connection *c = res->connection;
    tiso__out *o = &w->out;
    cJSON *obj;
    char *extra;
    if (!split_fields(c, &obj, &extra)) {
        cJSON_Delete(obj);
        w->failed = TISO_E_NOMEM;
        return;
    }
    field(o, c->source);
    number_field(o, c->line != 0, (long long)c->line);
    number_field(o, c->index >= 0, (long long)c->index);
    field(o, c->creator);
    field(o, c->target);
    id_field(o, &res->creator);
    id_field(o, &res->target);
    field(o, c->connector);
    field(o, c->connection_id);
    field(o, c->environment_id);
    field(o, member(obj, "userTenantId"));
    field(o, member(obj, "connectionType"));
    decision_fields(w, res);
    tiso__out_csv(o, extra ? extra : "");
    tiso__out_str(o, "\r\n");
    cJSON_free(extra);
    cJSON_Delete(obj);
    w->rows++;
}

static tiso_status end(tiso_report_writer *w)
{
    (void)w;
    return TISO_OK;
}

const tiso__format tiso__format_csv = {begin, row, end, NULL};
