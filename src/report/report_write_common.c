/* What the output formats share: sorted summary rows, labels, positions,
 * the input's members for rows, and the line that names a policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_writer.h"

static int by_impact(const void *a, const void *b)
{
    const tiso_report_tenant *x = a, *y = b;
    if (x->blocked != y->blocked)
        return x->blocked < y->blocked ? 1 : -1;
    if (x->connections != y->connections)
        return x->connections < y->connections ? 1 : -1;
    int c = memcmp(x->tenant.bytes, y->tenant.bytes, 16);
    if (c)
        return c;
    c = memcmp(x->home.bytes, y->home.bytes, 16);
    return c ? c : (int)x->direction - (int)y->direction;
}

tiso_status tiso__report_sorted_tenants(const tiso_report *r, tiso_report_tenant **out, size_t *n)
{
    *n = tiso_report_tenant_count(r);
    *out = tiso__calloc(*n ? *n : 1, sizeof **out);
    if (!*out)
        return TISO_E_NOMEM;
    for (size_t i = 0; i < *n; i++)
        tiso_report_tenant_at(&(*out)[i], r, i);
    qsort(*out, *n, sizeof **out, by_impact);
    return TISO_OK;
}

const char *tiso__report_result_label(const tiso_report *r, const tiso_connection_result *res)
{
    const tiso_decision *d = &res->decision;
    if (res->status != TISO_OK || d->direction == TISO_DIRECTION_NONE)
        return NULL;
    tiso_tenant_id home = tiso__report_home_of(r, res, d->direction);
    const tiso__report_tally_row *row = tiso__report_tally_find(&r->tally, &home, &d->external_tenant);
    return row ? tiso__arena_get(&r->strings, row->label) : NULL;
}

const char *tiso__report_place(char out[24], uint64_t line, int64_t index)
{
    out[0] = '\0';
    if (line)
        snprintf(out, 24, ":%llu", (unsigned long long)line);
    else if (index >= 0)
        snprintf(out, 24, "[%lld]", (long long)index);
    return out;
}

/* The source and its place in it; nothing without a source. */
static void out_position(tiso__report_out *o, const tiso_connection *c)
{
    char place[24];
    if (!c->source)
        return;
    tiso__report_out_plain(o, c->source);
    tiso__report_out_str(o, tiso__report_place(place, c->line, c->index));
}

void tiso__report_out_details(tiso__report_out *o, const tiso_connection *c, bool connection_id)
{
    if (c->connector) {
        tiso__report_out_str(o, "  ");
        tiso__report_out_plain(o, tiso__connector_identifier(c->connector));
    }
    if (connection_id && c->connection_id) {
        tiso__report_out_str(o, "  connection ");
        tiso__report_out_plain(o, c->connection_id);
    }
    if (c->source) {
        tiso__report_out_str(o, "  at ");
        out_position(o, c);
    }
    tiso__report_out_str(o, "\n");
}

void tiso__report_out_error_line(tiso__report_out *o, const char *label, const tiso_connection_result *res)
{
    tiso__report_out_str(o, label);
    if (res->connection->source) {
        out_position(o, res->connection);
        tiso__report_out_str(o, ": ");
    }
    tiso__report_out_plain(o, res->error);
    tiso__report_out_str(o, "\n");
}

/* The decision in words (tiso_decision_message), for a row. Rows often
 * follow one another with the same decision -- a tenant's own connections
 * come in runs -- and the words cost as much as the rest of a row, so the
 * writer keeps the last. Valid until the next call. */
static const char *message_of(tiso_report_writer *w, const tiso_decision *d)
{
    /* Bytes compared, padding and all: at worst a needless miss. */
    if (!w->message.valid || memcmp(&w->message.decision, d, sizeof *d) != 0) {
        tiso_decision_message(w->message.text, sizeof w->message.text, d);
        w->message.decision = *d;
        w->message.valid = true;
    }
    return w->message.text;
}

void tiso__report_decision_values(tiso_report_writer *w, const tiso_connection_result *res,
                                  tiso__report_value v[TISO__DECISION_VALUES])
{
    const tiso_decision *d = &res->decision;
    const char *direction = d->direction == TISO_DIRECTION_NONE ? NULL : tiso_direction_name(d->direction);
    const tiso__report_value values[TISO__DECISION_VALUES] = {
        TISO__STR("outcome", tiso_outcome_name(res->outcome)),
        TISO__STR("verdict", tiso_verdict_name(d->verdict)),
        TISO__STR("reason", tiso__report_reason_text(res->status, d)),
        TISO__STR("direction", direction),
        TISO__ID("externalTenant", &d->external_tenant),
        d->rule >= 0 ? TISO__NUM("rule", d->rule) : TISO__NONE("rule"),
        TISO__ID("blockedBy", &d->blocked_by),
        res->status == TISO_OK ? TISO__STR("message", message_of(w, d))
                               : TISO__ERR("error", res->status, res->error ? res->error : "")};
    memcpy(v, values, sizeof values);
}

const char *tiso__report_reason_text(tiso_status status, const tiso_decision *d)
{
    return status == TISO_OK ? tiso_reason_name(d->reason) : "error";
}

const tiso__report_record *tiso__report_fields(tiso_report_writer *w, const tiso_connection *c)
{
    const tiso_report *r = w->report;
    if (r->record_of == c && r->record)
        return r->record;
    w->record.count = 0;
    if (!c->fields || r->record_of == c) /* none, or the reader found no object */
        return &w->record;
    char *text = tiso__report_utf8_repair(c->fields, c->fields_len);
    if (!text)
        return NULL;
    tiso__free(w->fields_text);
    w->fields_text = text;
    static const char *const none[] = {NULL};
    tiso__report_limits l;
    tiso__report_limits_from(&l, &r->opts);
    /* Text that is no JSON object leaves the row without the input's members. */
    if (tiso__report_record_decode(&w->record, text, strlen(text), none, "", &l.json, NULL) == TISO_E_NOMEM)
        return NULL;
    return &w->record;
}

void tiso__report_member_text(const tiso__report_member *m, const char *name_prefix,
                              void (*emit)(void *user, const char *run, size_t len), void *user)
{
    emit(user, "\"", 1);
    emit(user, name_prefix, strlen(name_prefix));
    emit(user, m->key, m->key_len);
    emit(user, "\":", 2);
    const char *s = m->value;
    size_t n = m->value_len, run = 0; /* s[run..i) not yet passed on */
    for (size_t i = 0; i < n;) {
        if (s[i] == '"') {
            i = tiso__json_value_end(s, n, i);
        } else if (tiso__json_is_space(s[i])) {
            if (i > run)
                emit(user, s + run, i - run);
            run = ++i;
        } else {
            i++;
        }
    }
    if (n > run)
        emit(user, s + run, n - run);
}

void tiso__report_out_judge_line(tiso__report_out *o, const tiso__report_judge *j)
{
    if (!j->policy) {
        tiso__report_out_printf(o, "a set of %zu policies (both sides must allow)", tiso_policy_set_count(j->set));
        return;
    }
    tiso_tenant_id home;
    tiso__report_out_plain(o, tiso_policy_source(j->policy));
    if (tiso_policy_home_tenant(&home, j->policy)) {
        tiso__report_out_str(o, " (home tenant ");
        tiso__report_out_id(o, &home);
    } else {
        tiso__report_out_str(o, " (no home tenant");
    }
    size_t n = tiso_policy_entry_count(j->policy);
    tiso__report_out_printf(o, ", isolation %s, %zu allowlist entr%s)",
                            tiso_policy_isolation_enabled(j->policy) ? "on" : "off", n, n == 1 ? "y" : "ies");
}
