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

void tiso__report_out_json_id(tiso__report_out *o, const tiso_tenant_id *id)
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

/* ---- the record ---- */

/* `"key":` as the record's next member. */
static void record_key(tiso__report_out *o, bool *first, const char *key)
{
    tiso__report_out_str(o, *first ? "\"" : ",\"");
    *first = false;
    tiso__report_out_str(o, key);
    tiso__report_out_bytes(o, "\":", 2);
}

/* A tenant the input named: resolved, else as given (NULL: null). */
static void tenant(tiso__report_out *o, const tiso_tenant_id *id, const char *given)
{
    if (tiso__id_nil(id))
        tiso__report_out_json_string(o, given);
    else
        tiso__report_out_json_id(o, id);
}

static void position(tiso__report_out *o, const tiso_connection *c)
{
    bool first = true;
    tiso__report_out_bytes(o, "{", 1);
    if (c->source) {
        record_key(o, &first, "source");
        tiso__report_out_json_string(o, c->source);
    }
    /* cJSON printed these as integers up to 10^15, past any real input. */
    if (c->line) {
        record_key(o, &first, "line");
        tiso__report_out_int(o, (long long)c->line);
    } else if (c->index >= 0) {
        record_key(o, &first, "index");
        tiso__report_out_int(o, (long long)c->index);
    }
    tiso__report_out_bytes(o, "}", 1);
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
    bool first = rec->count == 0;
    if (!has_creator) {
        record_key(o, &first, "creatorTenantId");
        tenant(o, &res->creator, c->creator);
    }
    if (!has_target) {
        record_key(o, &first, "targetTenantId");
        tenant(o, &res->target, c->target);
    }
    record_key(o, &first, "position");
    position(o, c);
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
    tiso__report_out *o = &w->out;
    const tiso_decision *d = &res->decision;
    tiso__report_out_string_member(o, "outcome", tiso_outcome_name(res->outcome));
    tiso__report_out_string_member(o, "verdict", tiso_verdict_name(d->verdict));
    tiso__report_out_string_member(o, "reason", tiso__report_reason_text(res->status, d));
    tiso__report_out_string_member(o, "direction",
                                   d->direction == TISO_DIRECTION_NONE ? NULL : tiso_direction_name(d->direction));
    tiso__report_out_key(o, "externalTenant");
    tiso__report_out_json_id(o, &d->external_tenant);
    tiso__report_out_key(o, "rule");
    if (d->rule >= 0)
        tiso__report_out_int(o, d->rule);
    else
        tiso__report_out_bytes(o, "null", 4);
    if (w->report->after.set) {
        tiso__report_out_key(o, "blockedBy");
        tiso__report_out_json_id(o, &d->blocked_by);
    }
    if (res->status == TISO_OK) {
        tiso__report_out_string_member(o, "message", tiso__report_message(w, d));
    } else {
        tiso__report_out_key(o, "error");
        tiso__report_out_error_object(o, res->status, res->error ? res->error : "");
    }
}

/* ---- what is written once per report ---- */

void tiso__report_out_error_object(tiso__report_out *o, tiso_status status, const char *message)
{
    tiso__report_out_str(o, "{\"code\":");
    tiso__report_out_json_string(o, tiso_status_name(status));
    tiso__report_out_string_member(o, "message", message);
    tiso__report_out_bytes(o, "}", 1);
}

void tiso__report_out_judge_summary(tiso__report_out *o, const tiso__report_judge *j)
{
    if (!j->policy) {
        tiso__report_out_str(o, "{\"policySet\":true,\"policies\":");
        tiso__report_out_int(o, (long long)tiso_policy_set_count(j->set));
        tiso__report_out_bytes(o, "}", 1);
        return;
    }
    tiso_tenant_id home;
    char id[TISO_TENANT_ID_LEN + 1];
    tiso_provenance prov;
    tiso_policy_provenance(&prov, j->policy);
    bool has_home = tiso_policy_home_tenant(&home, j->policy);
    if (has_home)
        tiso__tenant_id_format(&home, id);
    tiso__report_out_str(o, "{\"tenantId\":");
    tiso__report_out_json_string(o, has_home ? id : NULL);
    tiso__report_out_string_member(o, "isolation", tiso_policy_isolation_enabled(j->policy) ? "on" : "off");
    tiso__report_out_key(o, "entries");
    tiso__report_out_int(o, (long long)tiso_policy_entry_count(j->policy));
    tiso__report_out_string_member(o, "source", prov.source ? prov.source : "");
    tiso__report_out_string_member(o, "sha256", prov.sha256_hex);
    tiso__report_out_bytes(o, "}", 1);
}

void tiso__report_out_totals(tiso__report_out *o, const tiso_report *r, bool diff)
{
    tiso_report_totals t;
    tiso_report_get_totals(&t, r);
    static const char *const keys[2][5] = {{"connections", "allowed", "blocked", "notCovered", "errors"},
                                           {"changed", "newlyBlocked", "newlyAllowed", "connections", "errors"}};
    const uint64_t values[2][5] = {{t.connections, t.allowed, t.blocked, t.not_covered, t.errors},
                                   {t.changed, t.newly_blocked, t.newly_allowed, t.connections, t.errors}};
    for (size_t i = 0; i < 5; i++) {
        tiso__report_out_str(o, i ? ",\"" : "{\"");
        tiso__report_out_str(o, keys[diff][i]);
        tiso__report_out_bytes(o, "\":", 2);
        tiso__report_out_int(o, (long long)values[diff][i]);
    }
    tiso__report_out_bytes(o, "}", 1);
}

void tiso__report_out_problems(tiso__report_out *o, const tiso_report *r, bool lines)
{
    size_t n = tiso_report_problem_count(r);
    tiso__report_out_bytes(o, "[", 1);
    for (size_t i = 0; i < n; i++) {
        tiso_report_problem p;
        tiso_report_problem_at(&p, r, i);
        tiso__report_out_str(o, i ? (lines ? ",\n" : ",") : (lines ? "\n" : ""));
        tiso__report_out_str(o, "{\"code\":");
        tiso__report_out_json_string(o, tiso_status_name(p.status));
        if (p.source)
            tiso__report_out_string_member(o, "source", p.source);
        if (p.line) {
            tiso__report_out_key(o, "line");
            tiso__report_out_int(o, (long long)p.line);
        }
        if (p.index >= 0) {
            tiso__report_out_key(o, "index");
            tiso__report_out_int(o, (long long)p.index);
        }
        if (p.path && *p.path)
            tiso__report_out_string_member(o, "path", p.path);
        tiso__report_out_string_member(o, "message", p.message ? p.message : "");
        tiso__report_out_bytes(o, "}", 1);
    }
    tiso__report_out_str(o, lines && n ? "\n]" : "]");
}
