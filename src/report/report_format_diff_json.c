/* diff --json (SPEC 6): {"policies", "changed": [...], "totals", "errors"}.
 * Only connections whose verdict changes are listed, streamed as found; an
 * error counts as a deny on either side (fail closed). */
#include "report_decision_json.h"

static tiso_status begin(tiso_report_writer *w)
{
    const tiso__report_judge *sides[] = {&w->report->before, &w->report->after};
    for (int i = 0; i < 2; i++) {
        tiso__report_out_str(&w->out, i ? ",\"after\":" : "{\n\"policies\": {\"before\":");
        tiso__report_out_judge_summary(&w->out, sides[i]);
    }
    tiso__report_out_str(&w->out, "},\n\"changed\": [");
    return TISO_OK;
}

static const char *verdict_of(tiso_status status, const tiso_decision *d)
{
    return tiso__report_allows(status, d) ? "allow" : "deny";
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
    const tiso_decision *d = directed(res);
    tiso_status error = res->status != TISO_OK ? res->status : res->before_status;
    const tiso__report_value v[] = {
        TISO__STR("before", verdict_of(res->before_status, &res->before)),
        TISO__STR("after", verdict_of(res->status, &res->decision)),
        TISO__STR("reasonBefore", tiso__report_reason_text(res->before_status, &res->before)),
        TISO__STR("reasonAfter", tiso__report_reason_text(res->status, &res->decision)),
        TISO__STR("direction", d->direction == TISO_DIRECTION_NONE ? NULL : tiso_direction_name(d->direction)),
        TISO__ID("externalTenant", &d->external_tenant),
        TISO__ERR(error != TISO_OK ? "error" : NULL, error,
                  res->error && *res->error ? res->error : tiso_strerror(error))};
    tiso__report_out_members(&w->out, v, TISO_NAME_COUNT(v));
}

/* Streamed as report --format json's rows are (report_decision_json.c). */
static void row(tiso_report_writer *w, const tiso_connection_result *res)
{
    if (res->changed)
        tiso__report_out_json_row(w, res, out_change);
}

static tiso_status end(tiso_report_writer *w)
{
    tiso__report_out_str(&w->out, w->rows ? "\n],\n\"totals\": " : "],\n\"totals\": ");
    tiso__report_out_totals(&w->out, w->report, true);
    tiso__report_out_str(&w->out, ",\n\"errors\": ");
    tiso__report_out_problems(&w->out, w->report, false);
    tiso__report_out_str(&w->out, "\n}\n");
    return TISO_OK;
}

const tiso__report_format tiso__report_format_diff_json = {begin, row, end, NULL};
