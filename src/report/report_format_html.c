/* report --format html: one self-contained page -- inline CSS and SVG, no
 * script, no external style, font or image, and a Content-Security-Policy
 * that forbids loading anything -- with the totals, a chart of what would
 * break, the suggested entries, and tables. Everything taken from the input
 * is HTML-escaped. The page is written at the end, so the writer keeps the
 * first ROWS_MAX blocked and not covered connections (the rest are counted). */
#include <stdio.h>
#include <string.h>

#include "report_html.h"

#define ROWS_MAX 2000
#define TABLE_MAX 500

/* The rows kept, as they will stand in the page: written at once. */
typedef struct list {
    tiso__report_scratch html;
    size_t count;
    uint64_t total;
} list;

typedef struct html_state {
    list blocked, uncovered;
    tiso__report_out rows; /* writes a row into its list's html */
} html_state;

static int append(void *user, const char *data, size_t len)
{
    tiso__report_scratch *sc = user;
    if (tiso__grow(&sc->data, &sc->cap, sc->len + len, 1) != TISO_OK)
        return -1;
    memcpy(sc->data + sc->len, data, len);
    sc->len += len;
    return 0;
}

static tiso_status begin(tiso_report_writer *w)
{
    html_state *st = tiso__calloc(1, sizeof *st);
    if (st)
        st->rows.fn = append;
    w->state = st;
    return st ? TISO_OK : TISO_E_NOMEM;
}

/* A table row: each value a cell; a tenant ID in the ID style ("-" when
 * nil), a string escaped (none: empty). */
static void cells(tiso__report_out *o, const tiso__report_value *v, size_t n)
{
    tiso__report_out_str(o, "<tr>");
    for (size_t i = 0; i < n; i++) {
        tiso__report_out_str(o, v[i].kind == TISO__V_ID ? "<td class=\"id\">" : "<td>");
        if (v[i].kind == TISO__V_ID)
            tiso__report_out_id(o, v[i].id);
        else if (v[i].kind == TISO__V_NUM)
            tiso__report_out_int(o, v[i].n);
        else
            tiso__report_out_html(o, v[i].s);
        tiso__report_out_str(o, "</td>");
    }
    tiso__report_out_str(o, "</tr>\n");
}

/* The source (cut to 512 bytes) and its place in it, or "" without a source. */
static const char *where(char out[600], const char *source, uint64_t line, int64_t index)
{
    char place[24];
    snprintf(out, 600, "%.512s%s", source ? source : "", source ? tiso__report_place(place, line, index) : "");
    return out;
}

/* Opens section `id`: its heading (`title`, and `count` unless it is
 * negative) and `intro`; then a table with the `header` cells, or, without
 * `rows`, `none` and the section's end. Returns whether rows follow. */
static bool section(tiso__report_out *o, const char *id, const char *title, long long count, const char *intro,
                    bool rows, const char *none, const char *header)
{
    tiso__report_out_printf(o, "<section id=\"%s\">\n<h2>%s", id, title);
    if (count >= 0)
        tiso__report_out_printf(o, " (%lld)", count);
    if (rows)
        tiso__report_out_printf(o, "</h2>\n%s<table>\n<tr>%s</tr>\n", intro, header);
    else
        tiso__report_out_printf(o, "</h2>\n%s%s</section>\n", intro, none);
    return rows;
}

/* Blocked rows show the external tenant and direction (home is implied);
 * not covered rows, which have no direction, show creator and target. */
static bool keep(tiso_report_writer *w, list *l, const tiso_connection_result *res, bool blocked)
{
    tiso__report_out *o = &((html_state *)w->state)->rows;
    l->total++;
    if (l->count >= ROWS_MAX)
        return true;
    const tiso_connection *c = res->connection;
    o->user = &l->html;
    char pos[600];
    const tiso__report_value v[] = {
        TISO__STR(NULL, tiso_direction_name(res->decision.direction)),
        blocked ? TISO__ID(NULL, &res->decision.external_tenant) : TISO__ID(NULL, &res->creator),
        blocked ? TISO__STR(NULL, tiso__report_result_label(w->report, res)) : TISO__ID(NULL, &res->target),
        TISO__STR(NULL, tiso__connector_identifier(c->connector)),
        TISO__STR(NULL, c->connection_id),
        TISO__STR(NULL, c->environment_id),
        TISO__STR(NULL, where(pos, c->source, c->line, c->index))};
    cells(o, v + !blocked, TISO_NAME_COUNT(v) - !blocked); /* no direction without a block */
    tiso__report_out_flush(o);
    l->count++;
    return o->status == TISO_OK;
}

static void row(tiso_report_writer *w, const tiso_connection_result *res)
{
    html_state *st = w->state;
    bool ok = true;
    if (res->outcome == TISO_OUTCOME_BLOCKED)
        ok = keep(w, &st->blocked, res, true);
    else if (res->outcome == TISO_OUTCOME_NOT_COVERED)
        ok = keep(w, &st->uncovered, res, false);
    if (!ok)
        w->failed = TISO_E_NOMEM;
}

/* ---- the page ---- */

static void card(tiso__report_out *o, const char *cls, uint64_t n, const char *what)
{
    tiso__report_out_printf(o, "<div class=\"card %s\"><span class=\"n\">%llu</span>%s</div>\n", cls,
                            (unsigned long long)n, what);
}

static void head(tiso_report_writer *w)
{
    tiso__report_out *o = &w->out;
    tiso__report_out_str(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
                            "'unsafe-inline'\">\n<title>Tenant isolation impact report</title>\n<style>\n");
    tiso__report_out_str(o, tiso__report_html_style);
    tiso__report_out_str(o, "</style>\n</head>\n<body>\n<header>\n<h1>Tenant isolation impact report</h1>\n"
                            "<p class=\"policy\">Policy: ");
    tiso_tenant_id home;
    const tiso_policy *p = w->report->after.policy;
    tiso__report_out_html(o, tiso_policy_source(p));
    if (tiso_policy_home_tenant(&home, p)) {
        tiso__report_out_str(o, " &#183; home tenant <code>");
        tiso__report_out_id(o, &home);
        tiso__report_out_str(o, "</code>");
    }
    tiso__report_out_printf(o, " &#183; isolation <strong>%s</strong> &#183; %zu allowlist entries</p>\n</header>\n",
                            tiso_policy_isolation_enabled(p) ? "on" : "off", tiso_policy_entry_count(p));
}

static void cards(tiso_report_writer *w)
{
    tiso_report_totals t;
    tiso_report_get_totals(&t, w->report);
    tiso__report_out *o = &w->out;
    tiso__report_out_str(o, "<section class=\"cards\">\n");
    card(o, "total", t.connections, "connections");
    card(o, "allowed", t.allowed, "allowed");
    card(o, "blocked", t.blocked, "would break");
    card(o, "uncovered", t.not_covered, "not covered by isolation");
    card(o, "errors", t.errors, "could not be evaluated");
    tiso__report_out_str(o, "</section>\n");
    if (!tiso_policy_isolation_enabled(w->report->after.policy))
        tiso__report_out_str(o, "<p class=\"note\">Isolation is off in this policy (isDisabled: true), so nothing is "
                                "blocked. Set isDisabled to false to see what switching it on would break.</p>\n");
}

static tiso_status suggestions(tiso_report_writer *w)
{
    tiso__report_out *o = &w->out;
    const tiso__report_tally_row **rows;
    size_t n;
    if (tiso__report_needed_rows(w->report, &rows, &n) != TISO_OK)
        return TISO_E_NOMEM;
    tiso__report_out_str(o, "<section id=\"suggested\">\n<h2>Suggested allowlist entries</h2>\n");
    if (!n)
        tiso__report_out_str(o, "<p class=\"good\">None needed: nothing would be blocked.</p>\n");
    else
        tiso__report_out_printf(o,
                                "<p>Adding these %zu entries keeps every blocked connection working (and nothing "
                                "more: each is needed).</p>\n<table>\n<tr><th>Tenant</th><th>Name</th><th>Inbound</th>"
                                "<th>Outbound</th></tr>\n",
                                n);
    for (size_t i = 0; i < n; i++) {
        const tiso__report_value v[] = {TISO__ID(NULL, &rows[i]->external),
                                        TISO__STR(NULL, tiso__arena_get(&w->report->strings, rows[i]->label)),
                                        TISO__STR(NULL, rows[i]->needs & TISO_ALLOW_INBOUND ? "yes" : "no"),
                                        TISO__STR(NULL, rows[i]->needs & TISO_ALLOW_OUTBOUND ? "yes" : "no")};
        cells(o, v, TISO_NAME_COUNT(v));
    }
    if (n)
        tiso__report_out_str(o, "</table>\n");
    tiso__free((void *)rows);
    tiso_policy *suggested = NULL;
    char *json = NULL;
    tiso_status s = tiso_report_suggested_policy(&suggested, w->report, NULL, NULL, 0, &w->error);
    if (s == TISO_OK)
        s = tiso_policy_to_json(&json, NULL, suggested, 1, NULL);
    if (s == TISO_OK) {
        tiso__report_out_str(o, "<details><summary>The suggested policy document</summary>\n<pre>");
        tiso__report_out_html(o, json);
        tiso__report_out_str(o, "</pre>\n</details>\n");
    }
    tiso_free(json);
    tiso_policy_free(suggested);
    tiso__report_out_str(o, "</section>\n");
    return s == TISO_E_NO_HOME_TENANT ? TISO_OK : s;
}

static void connection_table(tiso_report_writer *w, const char *id, const char *title, const char *intro, const list *l,
                             bool blocked)
{
    tiso__report_out *o = &w->out;
#define CONNECTION_CELLS "<th>Connector</th><th>Connection</th><th>Environment</th><th>Where</th>"
    const char *header = blocked ? "<th>Direction</th><th>External tenant</th><th>Name</th>" CONNECTION_CELLS
                                 : "<th>Creator</th><th>Target</th>" CONNECTION_CELLS;
    if (!section(o, id, title, (long long)l->total, intro, l->count, "<p>None.</p>\n", header))
        return;
    tiso__report_out_bytes(o, l->html.data, l->html.len);
    tiso__report_out_str(o, "</table>\n");
    if (l->total > l->count)
        tiso__report_out_printf(
            o, "<p class=\"note\">The first %zu of %llu are listed; --format csv lists them all.</p>\n", l->count,
            (unsigned long long)l->total);
    tiso__report_out_str(o, "</section>\n");
}

static void problems(tiso_report_writer *w)
{
    tiso__report_out *o = &w->out;
    tiso_report_totals t;
    tiso_report_get_totals(&t, w->report);
    size_t n = tiso_report_problem_count(w->report);
    if (!section(o, "errors", "Could not be evaluated", (long long)t.errors, "", n, "<p>None.</p>\n",
                 "<th>Where</th><th>Problem</th>"))
        return;
    for (size_t i = 0; i < n; i++) {
        tiso_report_problem p;
        tiso_report_problem_at(&p, w->report, i);
        char pos[600];
        const tiso__report_value v[] = {TISO__STR(NULL, where(pos, p.source, p.line, p.index)),
                                        TISO__STR(NULL, p.message)};
        cells(o, v, 2);
    }
    tiso__report_out_str(o, "</table>\n</section>\n");
}

static void tenant_table(tiso__report_out *o, const tiso_report_tenant *rows, size_t n)
{
    if (!section(o, "by-tenant", "By external tenant and direction", -1, "", n,
                 "<p>No connection crosses into or out of the home tenant.</p>\n",
                 "<th>Tenant</th><th>Name</th><th>Direction</th><th>Connections</th><th>Blocked</th>"))
        return;
    for (size_t i = 0; i < n && i < TABLE_MAX; i++) {
        const tiso__report_value v[] = {TISO__ID(NULL, &rows[i].tenant), TISO__STR(NULL, rows[i].label),
                                        TISO__STR(NULL, tiso_direction_name(rows[i].direction)),
                                        TISO__NUM(NULL, rows[i].connections), TISO__NUM(NULL, rows[i].blocked)};
        cells(o, v, TISO_NAME_COUNT(v));
    }
    tiso__report_out_str(o, "</table>\n");
    if (n > TABLE_MAX)
        tiso__report_out_printf(o, "<p class=\"note\">%zu more rows are in --format json.</p>\n", n - TABLE_MAX);
    tiso__report_out_str(o, "</section>\n");
}

static void inputs(tiso_report_writer *w)
{
    tiso__report_out *o = &w->out;
    size_t n = tiso_report_input_count(w->report);
    tiso__report_out_str(o, "<section id=\"inputs\">\n<h2>Inputs</h2>\n<ul>\n");
    for (size_t i = 0; i < n; i++) {
        tiso_report_input in;
        tiso_report_input_at(&in, w->report, i);
        tiso__report_out_str(o, "<li><code>");
        tiso__report_out_html(o, in.source);
        tiso__report_out_str(o,
                             in.is_page ? "</code>: cross-tenant connection report" : "</code>: connection inventory");
        if (in.is_page) {
            tiso__report_out_str(o, " for tenant <code>");
            tiso__report_out_html(o, in.tenant_id);
            tiso__report_out_str(o, "</code>, ");
            tiso__report_out_html(o, in.start_date);
            tiso__report_out_str(o, " to ");
            tiso__report_out_html(o, in.end_date);
            tiso__report_out_str(o, ", status ");
            tiso__report_out_html(o, in.status[0] ? in.status : "unknown");
        }
        tiso__report_out_printf(o, ": %llu connections, %llu errors</li>\n", (unsigned long long)in.connections,
                                (unsigned long long)in.errors);
    }
    tiso__report_out_str(o, "</ul>\n</section>\n");
}

static tiso_status end(tiso_report_writer *w)
{
    html_state *st = w->state;
    tiso_report_tenant *rows;
    size_t n;
    if (tiso__report_sorted_tenants(w->report, &rows, &n) != TISO_OK)
        return TISO_E_NOMEM;
    head(w);
    cards(w);
    tiso__report_out_str(&w->out,
                         "<section id=\"chart\">\n<h2>Connections that would break, per tenant and direction</h2>\n");
    tiso__report_html_chart(&w->out, rows, n);
    tiso__report_out_str(&w->out, "</section>\n");
    tiso_status s = suggestions(w);
    connection_table(w, "blocked", "Blocked connections", "", &st->blocked, true);
    connection_table(w, "not-covered", "Not covered by isolation",
                     "<p>These connectors do not use Microsoft Entra ID tokens (Azure DevOps runs its own OAuth "
                     "flow), so tenant isolation does not see them and cannot block them.</p>\n",
                     &st->uncovered, false);
    problems(w);
    tenant_table(&w->out, rows, n);
    inputs(w);
    tiso__report_out_printf(&w->out, "<footer>Generated by libtenantiso %s.</footer>\n</body>\n</html>\n",
                            tiso_version());
    tiso__free(rows);
    return s;
}

static void destroy(tiso_report_writer *w)
{
    html_state *st = w->state;
    if (!st)
        return;
    tiso__free(st->blocked.html.data);
    tiso__free(st->uncovered.html.data);
    tiso__free(st);
    w->state = NULL;
}

const tiso__report_format tiso__report_format_html = {begin, row, end, destroy};
