/* diff as text: one line per connection whose verdict changes between the
 * `before` and the (proposed) policy, one per record that could not be
 * read, then the totals. An error counts as a deny (fail closed). */
#include "report_writer.h"

static tiso_status begin(tiso_report_writer *w)
{
    tiso__out_str(&w->out, "Tenant isolation policy diff\nBefore: ");
    tiso__out_judge_line(&w->out, &w->report->before);
    tiso__out_str(&w->out, "\nAfter:  ");
    tiso__out_judge_line(&w->out, &w->report->after);
    tiso__out_str(&w->out, "\n\n");
    return TISO_OK;
}

static void change_line(tiso_report_writer *w, const tiso_connection_result *res)
{
    tiso__out *o = &w->out;
    const tiso_connection *c = res->connection;
    bool now_allowed = res->status == TISO_OK && res->decision.verdict == TISO_ALLOW;
    tiso__out_str(o, now_allowed ? "NEWLY ALLOWED  " : "NEWLY BLOCKED  ");
    tiso__out_id(o, &res->creator);
    tiso__out_str(o, " -> ");
    tiso__out_id(o, &res->target);
    tiso__out_printf(o, "  %s -> %s", tiso__reason_text(res->before_status, &res->before),
                     tiso__reason_text(res->status, &res->decision));
    if (c->connector) {
        tiso__out_str(o, "  ");
        tiso__out_plain(o, tiso__connector_name(c->connector));
    }
    if (c->source) {
        tiso__out_str(o, "  at ");
        tiso__out_position(o, c);
    }
    tiso__out_str(o, "\n");
}

static void row(tiso_report_writer *w, const tiso_connection_result *res)
{
    if (res->changed) {
        change_line(w, res);
        w->rows++;
    } else if (res->outcome == TISO_OUTCOME_ERROR) {
        tiso__out_str(&w->out, "ERROR          ");
        if (res->connection->source) {
            tiso__out_position(&w->out, res->connection);
            tiso__out_str(&w->out, ": ");
        }
        tiso__out_plain(&w->out, res->error);
        tiso__out_str(&w->out, "\n");
        w->rows++;
    }
}

static tiso_status end(tiso_report_writer *w)
{
    tiso_report_totals t;
    tiso_report_get_totals(w->report, &t);
    tiso__out_printf(&w->out, "%sSummary: %llu connections: %llu change verdict (%llu newly blocked, %llu newly "
                              "allowed), %llu errors\n",
                     w->rows ? "\n" : "", (unsigned long long)t.connections, (unsigned long long)t.changed,
                     (unsigned long long)t.newly_blocked, (unsigned long long)t.newly_allowed,
                     (unsigned long long)t.errors);
    return TISO_OK;
}

const tiso__format tiso__format_diff_text = {begin, row, end, NULL};
