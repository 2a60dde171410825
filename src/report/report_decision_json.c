/* A connection's row in the JSON outputs (report --format json, diff
 * --json). Rows are written straight to the output, the input's members
 * as written, from the decoded record: a cJSON tree per row cost several
 * times what deciding the connection does. */
#include <string.h>

#include "report_decision_json.h"

/* Names the report writes into a record itself; an input member with one of
 * them is kept as "input.<name>" rather than overwritten or duplicated. */
static const tiso__report_name RESERVED[] = {
    TISO__REPORT_NAME("position"),     TISO__REPORT_NAME("outcome"),    TISO__REPORT_NAME("verdict"),
    TISO__REPORT_NAME("reason"),       TISO__REPORT_NAME("direction"),  TISO__REPORT_NAME("externalTenant"),
    TISO__REPORT_NAME("rule"),         TISO__REPORT_NAME("blockedBy"),  TISO__REPORT_NAME("message"),
    TISO__REPORT_NAME("error"),        TISO__REPORT_NAME("before"),     TISO__REPORT_NAME("after"),
    TISO__REPORT_NAME("reasonBefore"), TISO__REPORT_NAME("reasonAfter")};

static bool reserved(const tiso__report_record *rec, size_t m)
{
    for (size_t i = 0; i < sizeof RESERVED / sizeof RESERVED[0]; i++)
        if (tiso__report_member_is(rec, m, RESERVED[i].name, RESERVED[i].len))
            return true;
    return false;
}

/* A tenant ID as a JSON string, or null for the nil GUID. */
static void json_id(tiso__report_out *o, const tiso_tenant_id *id)
{
    if (tiso__id_nil(id)) {
        tiso__report_out_bytes(o, "null", 4);
        return;
    }
    char text[TISO_TENANT_ID_LEN + 2];
    text[0] = '"';
    tiso__tenant_id_format(id, text + 1);
    text[TISO_TENANT_ID_LEN + 1] = '"';
    tiso__report_out_bytes(o, text, sizeof text);
}

/* ---- values ---- */

/* The values that have a key, each as `"key":value`, a comma before all
 * but the first of an object (`first`: none written yet). */
static void members(tiso__report_out *o, const tiso__report_value *v, size_t n, bool first)
{
    for (size_t i = 0; i < n; i++) {
        if (!v[i].key)
            continue;
        tiso__report_out_str(o, first ? "\"" : ",\"");
        first = false;
        tiso__report_out_str(o, v[i].key);
        tiso__report_out_bytes(o, "\":", 2);
        if (v[i].kind == TISO__V_NUM)
            tiso__report_out_int(o, v[i].n);
        else if (v[i].kind == TISO__V_ID)
            json_id(o, v[i].id);
        else if (v[i].kind == TISO__V_ERROR)
            tiso__report_out_error_object(o, (tiso_status)v[i].n, v[i].s);
        else
            tiso__report_out_json_string(o, v[i].kind != TISO__V_NONE ? v[i].s : NULL);
    }
}

void tiso__report_out_members(tiso__report_out *o, const tiso__report_value *v, size_t n)
{
    members(o, v, n, false);
}

void tiso__report_out_object(tiso__report_out *o, const tiso__report_value *v, size_t n)
{
    tiso__report_out_bytes(o, "{", 1);
    members(o, v, n, true);
    tiso__report_out_bytes(o, "}", 1);
}

/* ---- the record ---- */

/* A tenant the input named: resolved, else as given (NULL: null). */
static tiso__report_value tenant(const char *key, const tiso_tenant_id *id, const char *given)
{
    return tiso__id_nil(id) ? TISO__STR(key, given) : TISO__ID(key, id);
}

static void emit(void *user, const char *run, size_t len)
{
    tiso__report_out_bytes(user, run, len);
}

/* Writes "{", the input's members (one named like a member the report
 * writes is kept as "input.<name>"), creatorTenantId and targetTenantId
 * when the input had none (resolved IDs, else as given), and "position".
 * TISO_E_NOMEM, before anything is written. */
static tiso_status out_record(tiso_report_writer *w, const tiso_connection_result *res)
{
    const tiso_connection *c = res->connection;
    const tiso__report_record *rec = tiso__report_fields(w, c);
    if (!rec)
        return TISO_E_NOMEM;
    tiso__report_out *o = &w->out;
    tiso__report_out_bytes(o, "{", 1);
    bool has_creator = false, has_target = false;
    for (size_t i = 0; i < rec->count; i++) {
        if (i)
            tiso__report_out_bytes(o, ",", 1);
        tiso__report_member_text(&rec->member[i], reserved(rec, i) ? "input." : "", emit, o);
        has_creator |= tiso__report_member_is(rec, i, "creatorTenantId", 15);
        has_target |= tiso__report_member_is(rec, i, "targetTenantId", 14);
    }
    const tiso__report_value tenants[] = {tenant(has_creator ? NULL : "creatorTenantId", &res->creator, c->creator),
                                          tenant(has_target ? NULL : "targetTenantId", &res->target, c->target)};
    /* cJSON printed line and index as integers up to 10^15, past any real input. */
    const tiso__report_value position[] = {TISO__STR(c->source ? "source" : NULL, c->source),
                                           TISO__NUM(c->line ? "line" : NULL, c->line),
                                           TISO__NUM(!c->line && c->index >= 0 ? "index" : NULL, c->index)};
    members(o, tenants, 2, rec->count == 0);
    tiso__report_out_str(o, ",\"position\":");
    tiso__report_out_object(o, position, 3);
    return TISO_OK;
}

void tiso__report_out_json_row(tiso_report_writer *w, const tiso_connection_result *res,
                               void (*own)(tiso_report_writer *w, const tiso_connection_result *res))
{
    tiso__report_out_str(&w->out, w->rows++ ? ",\n" : "\n");
    w->failed = out_record(w, res);
    if (w->failed != TISO_OK)
        return;
    own(w, res);
    tiso__report_out_bytes(&w->out, "}", 1);
}

/* ---- the decision ---- */

void tiso__report_out_decision(tiso_report_writer *w, const tiso_connection_result *res)
{
    tiso__report_value v[TISO__DECISION_VALUES];
    tiso__report_decision_values(w, res, v);
    if (!w->report->after.set)
        v[TISO__DECISION_BLOCKED_BY].key = NULL; /* blockedBy: only a set's decision says more than its home */
    tiso__report_out_members(&w->out, v, TISO__DECISION_VALUES);
}

/* ---- what is written once per report ---- */

void tiso__report_out_error_object(tiso__report_out *o, tiso_status status, const char *message)
{
    const tiso__report_value v[] = {TISO__STR("code", tiso_status_name(status)), TISO__STR("message", message)};
    tiso__report_out_object(o, v, 2);
}

void tiso__report_out_judge_summary(tiso__report_out *o, const tiso__report_judge *j)
{
    if (!j->policy) {
        tiso__report_out_str(o, "{\"policySet\":true,\"policies\":");
        tiso__report_out_int(o, (long long)tiso_policy_set_count(j->set));
        tiso__report_out_bytes(o, "}", 1);
        return;
    }
    tiso_tenant_id home = {{0}}; /* nil: null */
    tiso_policy_home_tenant(&home, j->policy);
    tiso_provenance prov;
    tiso_policy_provenance(&prov, j->policy);
    const tiso__report_value v[] = {
        TISO__ID("tenantId", &home), TISO__STR("isolation", tiso_policy_isolation_enabled(j->policy) ? "on" : "off"),
        TISO__NUM("entries", tiso_policy_entry_count(j->policy)), TISO__STR("source", prov.source ? prov.source : ""),
        TISO__STR("sha256", prov.sha256_hex)};
    tiso__report_out_object(o, v, TISO_NAME_COUNT(v));
}

void tiso__report_out_totals(tiso__report_out *o, const tiso_report *r, bool diff)
{
    tiso_report_totals t;
    tiso_report_get_totals(&t, r);
    const tiso__report_value v[2][5] = {{TISO__NUM("connections", t.connections), TISO__NUM("allowed", t.allowed),
                                         TISO__NUM("blocked", t.blocked), TISO__NUM("notCovered", t.not_covered),
                                         TISO__NUM("errors", t.errors)},
                                        {TISO__NUM("changed", t.changed), TISO__NUM("newlyBlocked", t.newly_blocked),
                                         TISO__NUM("newlyAllowed", t.newly_allowed),
                                         TISO__NUM("connections", t.connections), TISO__NUM("errors", t.errors)}};
    tiso__report_out_object(o, v[diff], 5);
}

void tiso__report_out_problems(tiso__report_out *o, const tiso_report *r, bool lines)
{
    size_t n = tiso_report_problem_count(r);
    tiso__report_out_bytes(o, "[", 1);
    for (size_t i = 0; i < n; i++) {
        tiso_report_problem p;
        tiso_report_problem_at(&p, r, i);
        tiso__report_out_str(o, i ? (lines ? ",\n" : ",") : (lines ? "\n" : ""));
        const tiso__report_value v[] = {TISO__STR("code", tiso_status_name(p.status)),
                                        TISO__STR(p.source ? "source" : NULL, p.source),
                                        TISO__NUM(p.line ? "line" : NULL, p.line),
                                        TISO__NUM(p.index >= 0 ? "index" : NULL, p.index),
                                        TISO__STR(p.path && *p.path ? "path" : NULL, p.path),
                                        TISO__STR("message", p.message ? p.message : "")};
        tiso__report_out_object(o, v, TISO_NAME_COUNT(v));
    }
    tiso__report_out_str(o, lines && n ? "\n]" : "]");
}
