/* diff as text: one line per connection whose verdict changes between the
 * `before` and the (proposed) policy, one per record that could not be
 * read, then the totals. An error counts as a deny (fail closed). */
#include "report_writer.h"

static tiso_status begin(tiso_report_writer *w)
{
    tiso__report_out_str(&w->out, "Tenant isolation policy diff\nBefore: ");
    tiso__report_out_judge_line(&w->out, &w->report->before);
    tiso__report_out_str(&w->out, "\nAfter:  ");
    tiso__report_out_judge_line(&w->out, &w->report->after);
    tiso__report_out_str(&w->out, "\n\n");
    return TISO_OK;
}

static void change_line(tiso_report_writer *w, const tiso_connection_result *res)
{
    tiso__report_out *o = &w->out;
    const tiso_connection *c = res->connection;
    bool now_allowed = tiso__report_allows(res->status, &res->decision);
    tiso__report_out_str(o, now_allowed ? "NEWLY ALLOWED  " : "NEWLY BLOCKED  ");
    tiso__report_out_id(o, &res->creator);
    tiso__report_out_str(o, " -> ");
    tiso__report_out_id(o, &res->target);
    tiso__report_out_printf(o, "  %s -> %s", tiso__report_reason_text(res->before_status, &res->before),
                            tiso__report_reason_text(res->status, &res->decision));
    tiso__report_out_details(o, c, false);
}

static void row(tiso_report_writer *w, const tiso_connection_result *res)
{
    if (res->changed) {
        change_line(w, res);
        w->rows++;
    } else if (res->outcome == TISO_OUTCOME_ERROR) {
        tiso__report_out_error_line(&w->out, "ERROR          ", res);
        w->rows++;
    }
}

static tiso_status end(tiso_report_writer *w)
{
    tiso_report_totals t;
    tiso_report_get_totals(&t, w->report);
    tiso__report_out_printf(&w->out,
                            "%sSummary: %llu connections: %llu change verdict (%llu newly blocked, %llu newly "
                            "allowed), %llu errors\n",
                            w->rows ? "\n" : "", (unsigned long long)t.connections, (unsigned long long)t.changed,
                            (unsigned long long)t.newly_blocked, (unsigned long long)t.newly_allowed,
                            (unsigned long long)t.errors);
    return TISO_OK;
}

const tiso__report_format tiso__report_format_diff_text = {begin, row, end, NULL};
