/* What the output formats share: sorted summary rows, labels, positions,
 * the input's members for rows, and the JSON pieces (policies, problems). */
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
    tiso_tenant_id home = {{0}};
    if (r->after.set)
        home = d->direction == TISO_DIRECTION_OUTBOUND ? res->creator : res->target;
    else
        tiso_policy_home_tenant(&home, r->after.policy);
    const tiso__report_tally_row *row = tiso__report_tally_find(&r->tally, &home, &d->external_tenant);
    return row ? tiso__arena_get(&r->strings, row->label) : NULL;
}

void tiso__report_out_position(tiso__report_out *o, const tiso_connection *c)
{
    if (!c->source)
        return;
    tiso__report_out_plain(o, c->source);
    if (c->line)
        tiso__report_out_printf(o, ":%llu", (unsigned long long)c->line);
    else if (c->index >= 0)
        tiso__report_out_printf(o, "[%lld]", (long long)c->index);
}

void tiso__report_out_details(tiso__report_out *o, const tiso_connection *c, bool connection_id)
{
    if (c->connector) {
        tiso__report_out_str(o, "  ");
        tiso__report_out_plain(o, tiso__report_connector_name(c->connector));
    }
    if (connection_id && c->connection_id) {
        tiso__report_out_str(o, "  connection ");
        tiso__report_out_plain(o, c->connection_id);
    }
    if (c->source) {
        tiso__report_out_str(o, "  at ");
        tiso__report_out_position(o, c);
    }
    tiso__report_out_str(o, "\n");
}

void tiso__report_out_error_line(tiso__report_out *o, const char *label, const tiso_connection_result *res)
{
    tiso__report_out_str(o, label);
    if (res->connection->source) {
        tiso__report_out_position(o, res->connection);
        tiso__report_out_str(o, ": ");
    }
    tiso__report_out_plain(o, res->error);
    tiso__report_out_str(o, "\n");
}

const char *tiso__report_connector_name(const char *connector)
{
    const char *slash = connector ? strrchr(connector, '/') : NULL;
    return slash && slash[1] ? slash + 1 : connector;
}

const char *tiso__report_message(tiso_report_writer *w, const tiso_decision *d)
{
    /* Bytes compared, padding and all: at worst a needless miss. */
    if (!w->message.valid || memcmp(&w->message.decision, d, sizeof *d) != 0) {
        tiso_decision_message(w->message.text, sizeof w->message.text, d);
        w->message.decision = *d;
        w->message.valid = true;
    }
    return w->message.text;
}

const char *tiso__report_reason_text(tiso_status status, const tiso_decision *d)
{
    return status == TISO_OK ? tiso_reason_name(d->reason) : "error";
}

tiso_status tiso__report_scratch_room(tiso__report_scratch *s, size_t need)
{
    void *data = s->data;
    tiso_status st = tiso__grow(&data, &s->cap, need, 1);
    s->data = data;
    return st;
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
    tiso__json_limits lim = tiso__report_json_limits(&r->opts, UINT64_MAX);
    /* Text that is no JSON object leaves the row without the input's members. */
    if (tiso__report_record_decode(&w->record, text, strlen(text), none, "", &lim, NULL) == TISO_E_NOMEM)
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
        } else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
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

/* Adds `s` as a string, repaired to valid UTF-8 (NULL: null). */
bool tiso__report_add_text(cJSON *obj, const char *key, const char *s)
{
    if (!s)
        return cJSON_AddNullToObject(obj, key) != NULL;
    char *text = tiso__report_utf8_repair(s, strlen(s));
    bool ok = text && cJSON_AddStringToObject(obj, key, text) != NULL;
    tiso__free(text);
    return ok;
}

cJSON *tiso__report_policy_summary(const tiso_policy *p)
{
    tiso_tenant_id home;
    tiso_provenance prov;
    char id[TISO_TENANT_ID_LEN + 1];
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj != NULL && tiso_policy_provenance(&prov, p) == TISO_OK;
    if (ok && tiso_policy_home_tenant(&home, p)) {
        tiso__tenant_id_format(&home, id);
        ok = cJSON_AddStringToObject(obj, "tenantId", id) != NULL;
    } else if (ok) {
        ok = cJSON_AddNullToObject(obj, "tenantId") != NULL;
    }
    ok = ok && cJSON_AddStringToObject(obj, "isolation", tiso_policy_isolation_enabled(p) ? "on" : "off") &&
         cJSON_AddNumberToObject(obj, "entries", (double)tiso_policy_entry_count(p)) &&
         tiso__report_add_text(obj, "source", prov.source ? prov.source : "") &&
         cJSON_AddStringToObject(obj, "sha256", prov.sha256_hex);
    if (!ok) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

tiso_status tiso__report_out_policy_document(tiso__report_out *o, const tiso_policy *p)
{
    char *text = NULL;
    size_t len = 0;
    if (tiso_policy_to_json(&text, &len, p, 0, NULL) != TISO_OK)
        return TISO_E_NOMEM;
    tiso__report_out_bytes(o, text, len);
    tiso_free(text);
    return TISO_OK;
}

cJSON *tiso__report_problem_object(const tiso_report_problem *p)
{
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj && cJSON_AddStringToObject(obj, "code", tiso_status_name(p->status)) &&
              (p->source ? tiso__report_add_text(obj, "source", p->source) : true);
    if (ok && p->line)
        ok = cJSON_AddNumberToObject(obj, "line", (double)p->line) != NULL;
    if (ok && p->index >= 0)
        ok = cJSON_AddNumberToObject(obj, "index", (double)p->index) != NULL;
    if (ok && p->path && *p->path)
        ok = cJSON_AddStringToObject(obj, "path", p->path) != NULL;
    ok = ok && tiso__report_add_text(obj, "message", p->message ? p->message : "");
    if (!ok) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

cJSON *tiso__report_problems_json(const tiso_report *r)
{
    cJSON *list = cJSON_CreateArray();
    size_t n = tiso_report_problem_count(r);
    for (size_t i = 0; list && i < n; i++) {
        tiso_report_problem p;
        tiso_report_problem_at(&p, r, i);
        cJSON *item = tiso__report_problem_object(&p);
        if (!item || !cJSON_AddItemToArray(list, item)) {
            cJSON_Delete(item);
            cJSON_Delete(list);
            list = NULL;
        }
    }
    return list;
}

tiso_status tiso__report_out_cjson(tiso__report_out *o, const cJSON *item)
{
    char *text = cJSON_PrintUnformatted(item);
    if (!text)
        return TISO_E_NOMEM;
    tiso__report_out_str(o, text);
    cJSON_free(text);
    return TISO_OK;
}

tiso_status tiso__report_suggested(tiso_report_writer *w, tiso_policy **out)
{
    return tiso_report_suggested_policy(out, w->report, NULL, NULL, 0, &w->error);
}

void tiso__report_out_policy_line(tiso__report_out *o, const tiso_policy *p)
{
    tiso_tenant_id home;
    tiso__report_out_plain(o, tiso_policy_source(p));
    if (tiso_policy_home_tenant(&home, p)) {
        tiso__report_out_str(o, " (home tenant ");
        tiso__report_out_id(o, &home);
    } else {
        tiso__report_out_str(o, " (no home tenant");
    }
    size_t n = tiso_policy_entry_count(p);
    tiso__report_out_printf(o, ", isolation %s, %zu allowlist entr%s)", tiso_policy_isolation_enabled(p) ? "on" : "off",
                            n, n == 1 ? "y" : "ies");
}

cJSON *tiso__report_judge_summary(const tiso__report_judge *j)
{
    if (j->policy)
        return tiso__report_policy_summary(j->policy);
    cJSON *obj = cJSON_CreateObject();
    if (obj && cJSON_AddTrueToObject(obj, "policySet") &&
        cJSON_AddNumberToObject(obj, "policies", (double)tiso_policy_set_count(j->set)))
        return obj;
    cJSON_Delete(obj);
    return NULL;
}

void tiso__report_out_judge_line(tiso__report_out *o, const tiso__report_judge *j)
{
    if (j->policy)
        tiso__report_out_policy_line(o, j->policy);
    else
        tiso__report_out_printf(o, "a set of %zu policies (both sides must allow)", tiso_policy_set_count(j->set));
}
