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

typedef struct kept {
    tiso_tenant_id creator, target, external;
    tiso_direction direction;
    size_t label, connector, connection, environment, position; /* arena refs */
} kept;

typedef struct list {
    kept *items;
    size_t count, cap;
    uint64_t total;
} list;

typedef struct html_state {
    list blocked, uncovered;
    tiso__arena strings;
} html_state;

static tiso_status begin(tiso_report_writer *w)
{
    w->state = tiso__calloc(1, sizeof(html_state));
    return w->state ? TISO_OK : TISO_E_NOMEM;
}

static bool keep_string(html_state *st, const char *s, size_t *ref)
{
    *ref = 0;
    return !s || tiso__arena_add(&st->strings, s, strlen(s), ref) == TISO_OK;
}

static bool keep(tiso_report_writer *w, list *l, const tiso_connection_result *res)
{
    html_state *st = w->state;
    l->total++;
    if (l->count >= ROWS_MAX)
        return true;
    if (tiso__report_grow(&l->items, &l->cap, l->count + 1, sizeof *l->items) != TISO_OK)
        return false;
    const tiso_connection *c = res->connection;
    kept *k = &l->items[l->count];
    *k = (kept){res->creator, res->target, res->decision.external_tenant, res->decision.direction, 0, 0, 0, 0, 0};
    char pos[600] = "";
    if (c->source && c->line)
        snprintf(pos, sizeof pos, "%.512s:%llu", c->source, (unsigned long long)c->line);
    else if (c->source && c->index >= 0)
        snprintf(pos, sizeof pos, "%.512s[%lld]", c->source, (long long)c->index);
    bool ok = keep_string(st, tiso__report_result_label(w->report, res), &k->label) &&
              keep_string(st, tiso__report_connector_name(c->connector), &k->connector) &&
              keep_string(st, c->connection_id, &k->connection) &&
              keep_string(st, c->environment_id, &k->environment) && keep_string(st, pos, &k->position);
    l->count += ok;
    return ok;
}

static void row(tiso_report_writer *w, const tiso_connection_result *res)
{
    html_state *st = w->state;
    bool ok = true;
    if (res->outcome == TISO_OUTCOME_BLOCKED)
        ok = keep(w, &st->blocked, res);
    else if (res->outcome == TISO_OUTCOME_NOT_COVERED)
        ok = keep(w, &st->uncovered, res);
    if (!ok)
        w->failed = TISO_E_NOMEM;
}

/* ---- the page ---- */

static void text(tiso__report_out *o, const char *s)
{
    tiso__report_out_html(o, s ? s : "");
}

static void id_cell(tiso__report_out *o, const tiso_tenant_id *id)
{
    tiso__report_out_str(o, "<td class=\"id\">");
    tiso__report_out_id(o, id);
    tiso__report_out_str(o, "</td>");
}

static void cell(tiso__report_out *o, const char *s)
{
    tiso__report_out_str(o, "<td>");
    text(o, s);
    tiso__report_out_str(o, "</td>");
}

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
    char line[1024];
    tiso_tenant_id home;
    const tiso_policy *p = w->report->after.policy;
    text(o, tiso_policy_source(p));
    if (tiso_policy_home_tenant(&home, p)) {
        tiso__report_out_str(o, " &#183; home tenant <code>");
        tiso__report_out_id(o, &home);
        tiso__report_out_str(o, "</code>");
    }
    snprintf(line, sizeof line, " &#183; isolation <strong>%s</strong> &#183; %zu allowlist entries</p>\n</header>\n",
             tiso_policy_isolation_enabled(p) ? "on" : "off", tiso_policy_entry_count(p));
    tiso__report_out_str(o, line);
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
        tiso__report_out_str(o, "<tr>");
        id_cell(o, &rows[i]->external);
        cell(o, tiso__arena_get(&w->report->strings, rows[i]->label));
        cell(o, rows[i]->needs & TISO_ALLOW_INBOUND ? "yes" : "no");
        cell(o, rows[i]->needs & TISO_ALLOW_OUTBOUND ? "yes" : "no");
        tiso__report_out_str(o, "</tr>\n");
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
        text(o, json);
        tiso__report_out_str(o, "</pre>\n</details>\n");
    }
    tiso_free(json);
    tiso_policy_free(suggested);
    tiso__report_out_str(o, "</section>\n");
    return s == TISO_E_NO_HOME_TENANT ? TISO_OK : s;
}

/* Blocked rows show the external tenant and direction (home is implied);
 * not covered rows, which have no direction, show creator and target. */
static void connection_row(tiso__report_out *o, const html_state *st, const kept *k, bool blocked)
{
    tiso__report_out_str(o, "<tr>");
    if (blocked) {
        cell(o, tiso_direction_name(k->direction));
        id_cell(o, &k->external);
        cell(o, tiso__arena_get(&st->strings, k->label));
    } else {
        id_cell(o, &k->creator);
        id_cell(o, &k->target);
    }
    cell(o, tiso__arena_get(&st->strings, k->connector));
    cell(o, tiso__arena_get(&st->strings, k->connection));
    cell(o, tiso__arena_get(&st->strings, k->environment));
    cell(o, tiso__arena_get(&st->strings, k->position));
    tiso__report_out_str(o, "</tr>\n");
}

static void connection_table(tiso_report_writer *w, const char *id, const char *title, const char *intro, const list *l,
                             bool blocked)
{
    html_state *st = w->state;
    tiso__report_out *o = &w->out;
    tiso__report_out_printf(o, "<section id=\"%s\">\n<h2>%s (%llu)</h2>\n%s", id, title, (unsigned long long)l->total,
                            intro);
    if (!l->count) {
        tiso__report_out_str(o, "<p>None.</p>\n</section>\n");
        return;
    }
    tiso__report_out_str(o, blocked ? "<table>\n<tr><th>Direction</th><th>External tenant</th><th>Name</th>"
                                    : "<table>\n<tr><th>Creator</th><th>Target</th>");
    tiso__report_out_str(o, "<th>Connector</th><th>Connection</th><th>Environment</th><th>Where</th></tr>\n");
    for (size_t i = 0; i < l->count; i++)
        connection_row(o, st, &l->items[i], blocked);
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
    tiso__report_out_printf(o, "<section id=\"errors\">\n<h2>Could not be evaluated (%llu)</h2>\n",
                            (unsigned long long)t.errors);
    if (!n) {
        tiso__report_out_str(o, "<p>None.</p>\n</section>\n");
        return;
    }
    tiso__report_out_str(o, "<table>\n<tr><th>Where</th><th>Problem</th></tr>\n");
    for (size_t i = 0; i < n; i++) {
        tiso_report_problem p;
        char pos[600] = "";
        tiso_report_problem_at(&p, w->report, i);
        if (p.source && p.line)
            snprintf(pos, sizeof pos, "%.512s:%llu", p.source, (unsigned long long)p.line);
        else if (p.source && p.index >= 0)
            snprintf(pos, sizeof pos, "%.512s[%lld]", p.source, (long long)p.index);
        tiso__report_out_str(o, "<tr>");
        cell(o, pos);
        cell(o, p.message);
        tiso__report_out_str(o, "</tr>\n");
    }
    tiso__report_out_str(o, "</table>\n</section>\n");
}

static void tenant_table(tiso__report_out *o, const tiso_report_tenant *rows, size_t n)
{
    tiso__report_out_str(o, "<section id=\"by-tenant\">\n<h2>By external tenant and direction</h2>\n");
    if (!n) {
        tiso__report_out_str(o, "<p>No connection crosses into or out of the home tenant.</p>\n</section>\n");
        return;
    }
    tiso__report_out_str(o, "<table>\n<tr><th>Tenant</th><th>Name</th><th>Direction</th><th>Connections</th>"
                            "<th>Blocked</th></tr>\n");
    for (size_t i = 0; i < n && i < TABLE_MAX; i++) {
        tiso__report_out_str(o, "<tr>");
        id_cell(o, &rows[i].tenant);
        cell(o, rows[i].label);
        cell(o, tiso_direction_name(rows[i].direction));
        tiso__report_out_printf(o, "<td>%llu</td><td>%llu</td></tr>\n", (unsigned long long)rows[i].connections,
                                (unsigned long long)rows[i].blocked);
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
        text(o, in.source);
        tiso__report_out_str(o,
                             in.is_page ? "</code>: cross-tenant connection report" : "</code>: connection inventory");
        if (in.is_page) {
            tiso__report_out_str(o, " for tenant <code>");
            text(o, in.tenant_id);
            tiso__report_out_str(o, "</code>, ");
            text(o, in.start_date);
            tiso__report_out_str(o, " to ");
            text(o, in.end_date);
            tiso__report_out_str(o, ", status ");
            text(o, in.status[0] ? in.status : "unknown");
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
    tiso__free(st->blocked.items);
    tiso__free(st->uncovered.items);
    tiso__arena_free(&st->strings);
    tiso__free(st);
    w->state = NULL;
}

const tiso__report_format tiso__report_format_html = {begin, row, end, destroy};
