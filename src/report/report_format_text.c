/* report --format text: for a person at a terminal. Each connection that
 * would break, is not covered, or could not be read gets one line as it is
 * found (so a million-line inventory streams); the summary, the table by
 * tenant and the suggested entries follow once everything is read. */
#include <string.h>
#include <strings.h>

#include "report_writer.h"

/* Rows of the tenant table shown; the rest are in the JSON and CSV. */
#define TABLE_MAX 50

static tiso_status begin(tiso_report_writer *w)
{
    const tiso_report *r = w->report;
    tiso__report_out_str(&w->out, "Tenant isolation impact report\nPolicy: ");
    tiso__report_out_judge_line(&w->out, &r->after);
    tiso__report_out_str(&w->out, "\n\n");
    return TISO_OK;
}

static void blocked_line(tiso_report_writer *w, const tiso_connection_result *res)
{
    const tiso_decision *d = &res->decision;
    bool outbound = d->direction == TISO_DIRECTION_OUTBOUND;
    tiso__report_out_str(&w->out, outbound ? "BLOCKED      outbound to   " : "BLOCKED      inbound from  ");
    tiso__report_out_id(&w->out, &d->external_tenant);
    const char *label = tiso__report_result_label(w->report, res);
    if (label) {
        tiso__report_out_str(&w->out, " (");
        tiso__report_out_plain(&w->out, label);
        tiso__report_out_str(&w->out, ")");
    }
    if (w->report->after.set) {
        tiso__report_out_str(&w->out, "  by the policy of ");
        tiso__report_out_id(&w->out, &d->blocked_by);
    }
    tiso__report_out_details(&w->out, res->connection, true);
}

static void not_covered_line(tiso_report_writer *w, const tiso_connection_result *res)
{
    tiso__report_out_str(&w->out, "NOT COVERED  ");
    tiso__report_out_id(&w->out, &res->creator);
    tiso__report_out_str(&w->out, " -> ");
    tiso__report_out_id(&w->out, &res->target);
    tiso__report_out_details(&w->out, res->connection, true);
}

static void row(tiso_report_writer *w, const tiso_connection_result *res)
{
    switch (res->outcome) {
    case TISO_OUTCOME_BLOCKED:
        blocked_line(w, res);
        break;
    case TISO_OUTCOME_NOT_COVERED:
        not_covered_line(w, res);
        break;
    case TISO_OUTCOME_ERROR:
        tiso__report_out_error_line(&w->out, "ERROR        ", res);
        break;
    case TISO_OUTCOME_ALLOWED:
        return;
    }
    w->rows++;
}

/* "N thing" or "N things". */
static void counted(tiso__report_out *o, uint64_t n, const char *thing)
{
    tiso__report_out_printf(o, "%llu %s%s", (unsigned long long)n, thing, n == 1 ? "" : "s");
}

static void summary(tiso_report_writer *w)
{
    tiso_report_totals t;
    tiso_report_get_totals(&t, w->report);
    tiso__report_out_str(&w->out, w->rows ? "\nSummary: " : "Summary: ");
    counted(&w->out, t.connections, "connection");
    tiso__report_out_printf(&w->out, ": %llu allowed, %llu blocked, %llu not covered by isolation, ",
                            (unsigned long long)t.allowed, (unsigned long long)t.blocked,
                            (unsigned long long)t.not_covered);
    counted(&w->out, t.errors, "error");
    tiso__report_out_str(&w->out, "\n");
    const tiso_policy *p = w->report->after.policy;
    if (p && !tiso_policy_isolation_enabled(p))
        tiso__report_out_str(&w->out,
                             "Note: isolation is off in this policy (isDisabled: true), so nothing is blocked. Set "
                             "isDisabled to false to see what switching it on would break.\n");
    if (t.not_covered)
        tiso__report_out_str(&w->out,
                             "Not covered: connectors that do not use Entra ID tokens (such as Azure DevOps) are "
                             "not evaluated by tenant isolation; it cannot block them.\n");
}

static tiso_status tenant_table(tiso_report_writer *w)
{
    tiso_report_tenant *rows;
    size_t n;
    if (tiso__report_sorted_tenants(w->report, &rows, &n) != TISO_OK)
        return TISO_E_NOMEM;
    if (n) {
        tiso__report_out_str(&w->out,
                             "\nBy external tenant and direction (most blocked first):\n"
                             "  TENANT                                DIRECTION  CONNECTIONS    BLOCKED  NAME\n");
    }
    for (size_t i = 0; i < n && i < TABLE_MAX; i++) {
        tiso__report_out_str(&w->out, "  ");
        tiso__report_out_id(&w->out, &rows[i].tenant);
        tiso__report_out_printf(&w->out, "  %-9s  %11llu  %9llu", tiso_direction_name(rows[i].direction),
                                (unsigned long long)rows[i].connections, (unsigned long long)rows[i].blocked);
        if (rows[i].label) {
            tiso__report_out_str(&w->out, "  ");
            tiso__report_out_plain(&w->out, rows[i].label);
        }
        tiso__report_out_str(&w->out, "\n");
    }
    if (n > TABLE_MAX)
        tiso__report_out_printf(&w->out, "  ... and %zu more rows (all of them are in --format json or csv)\n",
                                n - TABLE_MAX);
    tiso__free(rows);
    return TISO_OK;
}

static tiso_status suggestions(tiso_report_writer *w)
{
    const tiso__report_tally_row **rows;
    size_t n;
    if (tiso__report_needed_rows(w->report, &rows, &n) != TISO_OK)
        return TISO_E_NOMEM;
    bool set = w->report->after.set != NULL;
    if (!n)
        tiso__report_out_str(&w->out, "\nNothing would be blocked: the allowlist needs no new entries.\n");
    else
        tiso__report_out_printf(&w->out,
                                "\nTo keep every blocked connection working, add %zu allowlist entr%s:\n"
                                "  %-36s  INBOUND  OUTBOUND%s  NAME\n",
                                n, n == 1 ? "y" : "ies", "TENANT", set ? "  IN THE POLICY OF                    " : "");
    for (size_t i = 0; i < n; i++) {
        tiso__report_out_str(&w->out, "  ");
        tiso__report_out_id(&w->out, &rows[i]->external);
        const char *out = rows[i]->needs & TISO_ALLOW_OUTBOUND ? "yes" : "no";
        const char *label = tiso__arena_get(&w->report->strings, rows[i]->label);
        tiso__report_out_printf(&w->out, "  %-7s  %s", rows[i]->needs & TISO_ALLOW_INBOUND ? "yes" : "no", out);
        if (set || label) /* pad only when a column follows: no trailing blanks */
            tiso__report_out_printf(&w->out, "%*s", (int)(8 - strlen(out)), "");
        if (set) {
            tiso__report_out_str(&w->out, "  ");
            tiso__report_out_id(&w->out, &rows[i]->home);
        }
        if (label) {
            tiso__report_out_str(&w->out, "  ");
            tiso__report_out_plain(&w->out, label);
        }
        tiso__report_out_str(&w->out, "\n");
    }
    if (n && !set)
        tiso__report_out_str(&w->out,
                             "The whole suggested policy document is in --format json (\"suggestedPolicy\").\n");
    tiso__free((void *)rows);
    return TISO_OK;
}

static void input_line(tiso_report_writer *w, const tiso_report_input *in)
{
    tiso__report_out_str(&w->out, "  ");
    tiso__report_out_plain(&w->out, in->source);
    if (in->is_page) {
        tiso__report_out_str(&w->out, ": report page");
        if (in->report_id[0]) {
            tiso__report_out_str(&w->out, " ");
            tiso__report_out_plain(&w->out, in->report_id);
        }
        tiso__report_out_str(&w->out, " for tenant ");
        tiso__report_out_plain(&w->out, in->tenant_id);
        if (in->start_date[0] || in->end_date[0]) {
            tiso__report_out_str(&w->out, ", ");
            tiso__report_out_plain(&w->out, in->start_date);
            tiso__report_out_str(&w->out, " to ");
            tiso__report_out_plain(&w->out, in->end_date);
        }
    } else {
        tiso__report_out_str(&w->out, ": inventory");
    }
    tiso__report_out_str(&w->out, ": ");
    counted(&w->out, in->connections, "connection");
    tiso__report_out_str(&w->out, ", ");
    counted(&w->out, in->errors, "error");
    tiso__report_out_str(&w->out, "\n");
    if (in->is_page && in->status[0] && strcasecmp(in->status, "Completed") != 0) {
        tiso__report_out_str(&w->out, "  warning: the report's status is \"");
        tiso__report_out_plain(&w->out, in->status);
        tiso__report_out_str(&w->out, "\", not \"Completed\": it may not list every connection yet\n");
    }
}

static tiso_status end(tiso_report_writer *w)
{
    summary(w);
    tiso_status s = tenant_table(w);
    if (s == TISO_OK)
        s = suggestions(w);
    size_t n = tiso_report_input_count(w->report);
    if (n)
        tiso__report_out_str(&w->out, "\nInputs:\n");
    for (size_t i = 0; i < n; i++) {
        tiso_report_input in;
        tiso_report_input_at(&in, w->report, i);
        input_line(w, &in);
    }
    return s;
}

const tiso__report_format tiso__report_format_text = {begin, row, end, NULL};
