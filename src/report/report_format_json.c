/* report --format json (SPEC 6). The connections are streamed as they are
 * decided, one object a line (report_decision_json.c), so memory stays flat
 * however long the input; what is only known at the end (totals, byTenant,
 * the suggested policy) follows them. Key order carries no meaning in JSON;
 * tools read by key. */
#include "report_decision_json.h"

static tiso_status begin(tiso_report_writer *w)
{
    tiso__report_out_str(&w->out, "{\n\"policy\": ");
    tiso__report_out_judge_summary(&w->out, &w->report->after);
    tiso__report_out_str(&w->out, ",\n\"connections\": [");
    return TISO_OK;
}

static void row(tiso_report_writer *w, const tiso_connection_result *res)
{
    tiso__report_out_json_row(w, res, tiso__report_out_decision);
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
        tiso__report_out_string_member(o, "direction", tiso_direction_name(t->direction));
        tiso__report_out_key(o, "connections");
        tiso__report_out_int(o, (long long)t->connections);
        tiso__report_out_key(o, "blocked");
        tiso__report_out_int(o, (long long)t->blocked);
        if (t->label) {
            tiso__report_out_string_member(o, "label", t->label);
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

static void write_inputs(tiso__report_out *o, const tiso_report *r)
{
    size_t n = tiso_report_input_count(r);
    tiso__report_out_str(o, ",\n\"inputs\": [");
    for (size_t i = 0; i < n; i++) {
        tiso_report_input in;
        tiso_report_input_at(&in, r, i);
        tiso__report_out_str(o, i ? ",\n{\"source\":" : "\n{\"source\":");
        tiso__report_out_json_string(o, in.source);
        tiso__report_out_string_member(o, "kind", in.is_page ? "report" : "inventory");
        tiso__report_out_key(o, "connections");
        tiso__report_out_int(o, (long long)in.connections);
        tiso__report_out_key(o, "errors");
        tiso__report_out_int(o, (long long)in.errors);
        const char *keys[] = {"tenantId", "reportId", "status", "startDate", "endDate"};
        const char *values[] = {in.tenant_id, in.report_id, in.status, in.start_date, in.end_date};
        for (size_t k = 0; k < 5; k++)
            if (values[k][0])
                tiso__report_out_string_member(o, keys[k], values[k]);
        tiso__report_out_bytes(o, "}", 1);
    }
    tiso__report_out_str(o, n ? "\n]" : "]");
}

static tiso_status end(tiso_report_writer *w)
{
    const tiso_report *r = w->report;
    tiso__report_out *o = &w->out;
    tiso__report_out_str(o, w->rows ? "\n],\n\"totals\": " : "],\n\"totals\": ");
    tiso__report_out_totals(o, r, false);
    tiso_policy *suggested = NULL;
    tiso_status s = write_tenants(o, r);
    if (s == TISO_OK) {
        tiso__report_out_str(o, ",\n\"errors\": ");
        tiso__report_out_problems(o, r, true);
        write_inputs(o, r);
        s = tiso_report_suggested_policy(&suggested, r, NULL, NULL, 0, &w->error);
    }
    const tiso_policy *document = suggested;
    if (s == TISO_E_NO_HOME_TENANT) { /* nothing decided, nothing to suggest: the policy as it is */
        document = r->after.policy;
        s = TISO_OK;
    }
    char *text = NULL;
    size_t len = 0;
    if (s == TISO_OK && tiso_policy_to_json(&text, &len, document, 0, NULL) != TISO_OK)
        s = TISO_E_NOMEM;
    if (s == TISO_OK) {
        tiso__report_out_str(o, ",\n\"suggestedPolicy\": ");
        tiso__report_out_bytes(o, text, len);
    } else if (s == TISO_E_LIMIT) {
        /* The document stays whole; the caller hears the cause from finish. */
        tiso__report_out_str(o, ",\n\"suggestedPolicy\": null,\n\"suggestedPolicyError\": ");
        tiso__report_out_error_object(o, s, w->error.message);
    }
    tiso_free(text);
    tiso_policy_free(suggested);
    tiso__report_out_str(o, "\n}\n");
    return s;
}

const tiso__report_format tiso__report_format_json = {begin, row, end, NULL};
