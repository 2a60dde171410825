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
        const tiso__report_value v[] = {TISO__ID("tenantId", &t->tenant),
                                        TISO__STR("direction", tiso_direction_name(t->direction)),
                                        TISO__NUM("connections", t->connections),
                                        TISO__NUM("blocked", t->blocked),
                                        TISO__STR(t->label ? "label" : NULL, t->label),
                                        TISO__ID(r->after.set ? "homeTenantId" : NULL, &t->home)};
        tiso__report_out_str(o, i ? ",\n" : "\n");
        tiso__report_out_object(o, v, TISO_NAME_COUNT(v));
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
        const tiso__report_value v[] = {
            TISO__STR("source", in.source),
            TISO__STR("kind", in.is_page ? "report" : "inventory"),
            TISO__NUM("connections", in.connections),
            TISO__NUM("errors", in.errors),
            /* a page's own members, when it had them */ TISO__STR(in.tenant_id[0] ? "tenantId" : NULL, in.tenant_id),
            TISO__STR(in.report_id[0] ? "reportId" : NULL, in.report_id),
            TISO__STR(in.status[0] ? "status" : NULL, in.status),
            TISO__STR(in.start_date[0] ? "startDate" : NULL, in.start_date),
            TISO__STR(in.end_date[0] ? "endDate" : NULL, in.end_date)};
        tiso__report_out_str(o, i ? ",\n" : "\n");
        tiso__report_out_object(o, v, TISO_NAME_COUNT(v));
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
