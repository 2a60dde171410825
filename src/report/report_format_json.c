/* report --format json (SPEC 6). The connections are streamed as they are
 * decided, one object a line (report_decision_json.c), so memory stays flat
 * however long the input; what is only known at the end (totals, byTenant,
 * the suggested policy) follows them. Key order carries no meaning in JSON;
 * tools read by key. */
#include "report_decision_json.h"

static tiso_status begin(tiso_report_writer *w)
{
    cJSON *policy = tiso__report_policy_summary(w->report->after.policy);
    if (!policy)
        return TISO_E_NOMEM;
    tiso__report_out_str(&w->out, "{\n\"policy\": ");
    tiso_status s = tiso__report_out_cjson(&w->out, policy);
    cJSON_Delete(policy);
    tiso__report_out_str(&w->out, ",\n\"connections\": [");
    return s;
}

static void row(tiso_report_writer *w, const tiso_connection_result *res)
{
    tiso__report_out_json_row(w, res, tiso__report_out_decision);
}

/* Writes `"key": [` then one item a line, then `]`. */
static tiso_status write_list(tiso__report_out *o, const char *key, cJSON *items)
{
    if (!items)
        return TISO_E_NOMEM;
    tiso__report_out_printf(o, ",\n\"%s\": [", key);
    tiso_status s = TISO_OK;
    size_t i = 0;
    for (const cJSON *it = items->child; it && s == TISO_OK; it = it->next, i++) {
        tiso__report_out_str(o, i ? ",\n" : "\n");
        s = tiso__report_out_cjson(o, it);
    }
    tiso__report_out_str(o, i ? "\n]" : "]");
    cJSON_Delete(items);
    return s;
}

/* byTenant, a row a line. There is a row per external tenant and direction
 * seen -- hundreds of thousands in a large inventory -- so rows are written
 * as they are, as report_decision_json.c writes connections. */
static tiso_status write_tenants(tiso__report_out *o, const tiso_report *r)
{
    tiso_report_tenant *rows;
    size_t n;
    if (tiso__report_sorted_tenants(r, &rows, &n) != TISO_OK)
        return TISO_E_NOMEM;
    tiso__report_out_str(o, ",\n\"byTenant\": [");
    for (size_t i = 0; i < n; i++) {
        const tiso_report_tenant *t = &rows[i];
        tiso__report_out_str(o, i ? ",\n{\"tenantId\":" : "\n{\"tenantId\":");
        tiso__report_out_json_id(o, &t->tenant);
        tiso__report_out_key(o, "direction");
        tiso__report_out_json_string(o, tiso_direction_name(t->direction));
        tiso__report_out_key(o, "connections");
        tiso__report_out_int(o, (long long)t->connections);
        tiso__report_out_key(o, "blocked");
        tiso__report_out_int(o, (long long)t->blocked);
        if (t->label) {
            tiso__report_out_key(o, "label");
            tiso__report_out_json_string(o, t->label);
        }
        if (r->after.set) {
            tiso__report_out_key(o, "homeTenantId");
            tiso__report_out_json_id(o, &t->home);
        }
        tiso__report_out_bytes(o, "}", 1);
    }
    tiso__report_out_str(o, n ? "\n]" : "]");
    tiso__free(rows);
    return TISO_OK;
}

static bool add_page_fields(cJSON *obj, const tiso_report_input *in)
{
    const char *keys[] = {"tenantId", "reportId", "status", "startDate", "endDate"};
    const char *values[] = {in->tenant_id, in->report_id, in->status, in->start_date, in->end_date};
    for (size_t i = 0; i < 5; i++)
        if (values[i][0] && !cJSON_AddStringToObject(obj, keys[i], values[i]))
            return false;
    return true;
}

static cJSON *inputs_json(const tiso_report *r)
{
    cJSON *list = cJSON_CreateArray();
    size_t n = tiso_report_input_count(r);
    for (size_t i = 0; list && i < n; i++) {
        tiso_report_input in;
        tiso_report_input_at(&in, r, i);
        cJSON *obj = cJSON_CreateObject();
        if (!obj || !cJSON_AddItemToArray(list, obj)) {
            cJSON_Delete(obj);
            obj = NULL;
        }
        bool ok = obj && tiso__report_add_text(obj, "source", in.source) &&
                  cJSON_AddStringToObject(obj, "kind", in.is_page ? "report" : "inventory") &&
                  cJSON_AddNumberToObject(obj, "connections", (double)in.connections) &&
                  cJSON_AddNumberToObject(obj, "errors", (double)in.errors) && add_page_fields(obj, &in);
        if (!ok) {
            cJSON_Delete(list);
            list = NULL;
        }
    }
    return list;
}

/* Writes `,\n"key": <item>` and frees the item. */
static tiso_status write_member(tiso__report_out *o, const char *key, cJSON *item)
{
    if (!item)
        return TISO_E_NOMEM;
    tiso__report_out_printf(o, ",\n\"%s\": ", key);
    tiso_status s = tiso__report_out_cjson(o, item);
    cJSON_Delete(item);
    return s;
}

static tiso_status end(tiso_report_writer *w)
{
    const tiso_report *r = w->report;
    tiso__report_out_str(&w->out, w->rows ? "\n]" : "]");
    tiso_policy *suggested = NULL;
    tiso_status s = write_member(&w->out, "totals", tiso__report_totals_json(r, false));
    if (s == TISO_OK)
        s = write_tenants(&w->out, r);
    if (s == TISO_OK)
        s = write_list(&w->out, "errors", tiso__report_problems_json(r));
    if (s == TISO_OK)
        s = write_list(&w->out, "inputs", inputs_json(r));
    if (s == TISO_OK)
        s = tiso__report_suggested(w, &suggested);
    const tiso_policy *document = suggested;
    if (s == TISO_E_NO_HOME_TENANT) { /* nothing decided, nothing to suggest: the policy as it is */
        document = r->after.policy;
        s = TISO_OK;
    }
    if (s == TISO_OK) {
        tiso__report_out_str(&w->out, ",\n\"suggestedPolicy\": ");
        s = tiso__report_out_policy_document(&w->out, document);
    } else if (s == TISO_E_LIMIT) {
        /* The document stays whole; the caller hears the cause from finish. */
        tiso__report_out_str(&w->out, ",\n\"suggestedPolicy\": null,\n\"suggestedPolicyError\": ");
        tiso__report_out_str(&w->out, "{\"code\":");
        tiso__report_out_json_string(&w->out, tiso_status_name(s));
        tiso__report_out_str(&w->out, ",\"message\":");
        tiso__report_out_json_string(&w->out, w->error.message);
        tiso__report_out_str(&w->out, "}");
    }
    tiso_policy_free(suggested);
    tiso__report_out_str(&w->out, "\n}\n");
    return s;
}

const tiso__report_format tiso__report_format_json = {begin, row, end, NULL};
