/* diff --json (SPEC 6): {"policies", "changed": [...], "totals", "errors"}.
 * Only connections whose verdict changes are listed, streamed as found; an
 * error counts as a deny on either side (fail closed). */
#include "report_decision_json.h"

static tiso_status begin(tiso_report_writer *w)
{
    cJSON *policies = cJSON_CreateObject();
    if (!policies || !tiso__report_add_item(policies, "before", tiso__report_judge_summary(&w->report->before)) ||
        !tiso__report_add_item(policies, "after", tiso__report_judge_summary(&w->report->after))) {
        cJSON_Delete(policies);
        return TISO_E_NOMEM;
    }
    tiso__report_out_str(&w->out, "{\n\"policies\": ");
    tiso_status s = tiso__report_out_cjson(&w->out, policies);
    cJSON_Delete(policies);
    tiso__report_out_str(&w->out, ",\n\"changed\": [");
    return s;
}

static const char *verdict_of(tiso_status status, const tiso_decision *d)
{
    return status == TISO_OK && d->verdict == TISO_ALLOW ? "allow" : "deny";
}

/* The side that names a direction and external tenant: after, else before. */
static const tiso_decision *directed(const tiso_connection_result *res)
{
    if (res->status == TISO_OK && res->decision.direction != TISO_DIRECTION_NONE)
        return &res->decision;
    return &res->before;
}

static void out_change(tiso_report_writer *w, const tiso_connection_result *res)
{
    tiso__report_out *o = &w->out;
    const tiso_decision *d = directed(res);
    tiso__report_out_key(o, "before");
    tiso__report_out_json_string(o, verdict_of(res->before_status, &res->before));
    tiso__report_out_key(o, "after");
    tiso__report_out_json_string(o, verdict_of(res->status, &res->decision));
    tiso__report_out_key(o, "reasonBefore");
    tiso__report_out_json_string(o, tiso__report_reason_text(res->before_status, &res->before));
    tiso__report_out_key(o, "reasonAfter");
    tiso__report_out_json_string(o, tiso__report_reason_text(res->status, &res->decision));
    tiso__report_out_key(o, "direction");
    tiso__report_out_json_string(o, d->direction == TISO_DIRECTION_NONE ? NULL : tiso_direction_name(d->direction));
    tiso__report_out_key(o, "externalTenant");
    tiso__report_out_json_id(o, &d->external_tenant);
    if (res->status != TISO_OK || res->before_status != TISO_OK) {
        tiso_status s = res->status != TISO_OK ? res->status : res->before_status;
        tiso__report_out_key(o, "error");
        tiso__report_out_str(o, "{\"code\":");
        tiso__report_out_json_string(o, tiso_status_name(s));
        tiso__report_out_key(o, "message");
        tiso__report_out_json_string(o, res->error && *res->error ? res->error : tiso_strerror(s));
        tiso__report_out_bytes(o, "}", 1);
    }
}

/* Streamed as report --format json's rows are (report_decision_json.c). */
static void row(tiso_report_writer *w, const tiso_connection_result *res)
{
    if (res->changed)
        tiso__report_out_json_row(w, res, out_change);
}

static tiso_status end(tiso_report_writer *w)
{
    cJSON *totals = tiso__report_totals_json(w->report, true), *errors = tiso__report_problems_json(w->report);
    tiso_status s = totals && errors ? TISO_OK : TISO_E_NOMEM;
    tiso__report_out_str(&w->out, w->rows ? "\n],\n\"totals\": " : "],\n\"totals\": ");
    if (s == TISO_OK)
        s = tiso__report_out_cjson(&w->out, totals);
    tiso__report_out_str(&w->out, ",\n\"errors\": ");
    if (s == TISO_OK)
        s = tiso__report_out_cjson(&w->out, errors);
    tiso__report_out_str(&w->out, "\n}\n");
    cJSON_Delete(totals);
    cJSON_Delete(errors);
    return s;
}

const tiso__report_format tiso__report_format_diff_json = {begin, row, end, NULL};
