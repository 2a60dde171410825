/* What the output formats share: sorted summary rows, labels, positions,
 * and the JSON pieces (records, policies, problems). */
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

tiso_status tiso__sorted_tenants(const tiso_report *r, tiso_report_tenant **out, size_t *n)
{
    *n = tiso_report_tenant_count(r);
    *out = tiso__calloc(*n ? *n : 1, sizeof **out);
    if (!*out)
        return TISO_E_NOMEM;
    for (size_t i = 0; i < *n; i++)
        tiso_report_tenant_at(r, i, &(*out)[i]);
    qsort(*out, *n, sizeof **out, by_impact);
    return TISO_OK;
}

const char *tiso__result_label(const tiso_report *r, const tiso_connection_result *res)
{
    const tiso_decision *d = &res->decision;
    if (res->status != TISO_OK || d->direction == TISO_DIRECTION_NONE)
        return NULL;
    tiso_tenant_id home = {{0}};
    if (r->after.set)
        home = d->direction == TISO_DIRECTION_OUTBOUND ? res->creator : res->target;
    else
        tiso_policy_home_tenant(r->after.policy, &home);
    const tiso__tally_row *row = tiso__tally_find(&r->tally, &home, &d->external_tenant);
    return row ? tiso__arena_get(&r->strings, row->label) : NULL;
}

void tiso__out_position(tiso__out *o, const tiso_connection *c)
{
    if (!c->source)
        return;
    tiso__out_plain(o, c->source);
    if (c->line)
        tiso__out_printf(o, ":%llu", (unsigned long long)c->line);
    else if (c->index >= 0)
        tiso__out_printf(o, "[%lld]", (long long)c->index);
}

const char *tiso__connector_name(const char *connector)
{
    const char *slash = connector ? strrchr(connector, '/') : NULL;
    return slash && slash[1] ? slash + 1 : connector;
}

const char *tiso__reason_text(tiso_status status, const tiso_decision *d)
{
    return status == TISO_OK ? tiso_reason_name(d->reason) : "error";
}

/* Names the report writes into a record itself; an input member with one of
 * them is kept as "input.<name>" rather than overwritten or duplicated. */
static const char *const RESERVED[] = {"position", "outcome", "verdict", "reason", "direction",
                                       "externalTenant", "rule", "blockedBy", "message", "error",
                                       "before", "after", "reasonBefore", "reasonAfter", NULL};

static bool reserved(const char *name)
{
    for (size_t i = 0; RESERVED[i]; i++)
        if (strcmp(name, RESERVED[i]) == 0)
            return true;
    return false;
}

static bool rename_reserved(cJSON *obj)
{
    for (cJSON *item = obj->child; item; item = item->next) {
        if (!item->string || !reserved(item->string))
            continue;
        size_t n = strlen(item->string) + sizeof "input.";
        char *name = cJSON_malloc(n);
        if (!name)
            return false;
        memcpy(name, "input.", 6);
        memcpy(name + 6, item->string, n - 6);
        cJSON_free(item->string);
        item->string = name;
    }
    return true;
}

/* The input's members as an object (empty when it had none). Readers hand
 * over valid UTF-8; a caller's own fields are repaired first. */
static cJSON *fields_object(const tiso_connection *c)
{
    char *text = c->fields ? tiso__utf8_repair(c->fields, c->fields_len) : NULL;
    cJSON *obj = text ? cJSON_Parse(text) : NULL;
    tiso__free(text);
    if (obj && !cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        obj = NULL;
    }
    return obj ? obj : cJSON_CreateObject();
}

/* Adds `s` as a string, repaired to valid UTF-8 (NULL: null). */
bool tiso__add_text(cJSON *obj, const char *key, const char *s)
{
    if (!s)
        return cJSON_AddNullToObject(obj, key) != NULL;
    char *text = tiso__utf8_repair(s, strlen(s));
    bool ok = text && cJSON_AddStringToObject(obj, key, text) != NULL;
    tiso__free(text);
    return ok;
}

static bool add_tenant(cJSON *obj, const char *key, const tiso_tenant_id *id, const char *given)
{
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        return true;
    char text[TISO_TENANT_ID_LEN + 1];
    if (!tiso__id_nil(id)) {
        tiso__tenant_id_format(id, text);
        return cJSON_AddStringToObject(obj, key, text) != NULL;
    }
    return tiso__add_text(obj, key, given);
}

static bool add_position(cJSON *obj, const tiso_connection *c)
{
    cJSON *pos = cJSON_AddObjectToObject(obj, "position");
    if (!pos)
        return false;
    bool ok = c->source ? tiso__add_text(pos, "source", c->source) : true;
    if (ok && c->line)
        ok = cJSON_AddNumberToObject(pos, "line", (double)c->line) != NULL;
    else if (ok && c->index >= 0)
        ok = cJSON_AddNumberToObject(pos, "index", (double)c->index) != NULL;
    return ok;
}

cJSON *tiso__record_object(const tiso_report *r, const tiso_connection_result *res)
{
    (void)r;
    const tiso_connection *c = res->connection;
    cJSON *obj = fields_object(c);
    if (!obj || !rename_reserved(obj) || !add_tenant(obj, "creatorTenantId", &res->creator, c->creator) ||
        !add_tenant(obj, "targetTenantId", &res->target, c->target) || !add_position(obj, c)) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

cJSON *tiso__policy_summary(const tiso_policy *p)
{
    tiso_tenant_id home;
    tiso_provenance prov;
    char id[TISO_TENANT_ID_LEN + 1];
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj != NULL && tiso_policy_provenance(p, &prov) == TISO_OK;
    if (ok && tiso_policy_home_tenant(p, &home)) {
        tiso__tenant_id_format(&home, id);
        ok = cJSON_AddStringToObject(obj, "tenantId", id) != NULL;
    } else if (ok) {
        ok = cJSON_AddNullToObject(obj, "tenantId") != NULL;
    }
    ok = ok && cJSON_AddStringToObject(obj, "isolation", tiso_policy_isolation_enabled(p) ? "on" : "off") &&
         cJSON_AddNumberToObject(obj, "entries", (double)tiso_policy_entry_count(p)) &&
         tiso__add_text(obj, "source", prov.source ? prov.source : "") &&
         cJSON_AddStringToObject(obj, "sha256", prov.sha256_hex);
    if (!ok) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

cJSON *tiso__policy_document(const tiso_policy *p)
{
    char *text = NULL;
    if (tiso_policy_to_json(p, 0, &text, NULL, NULL) != TISO_OK)
        return NULL;
    cJSON *doc = cJSON_Parse(text);
    tiso_free(text);
    return doc;
}

cJSON *tiso__problem_object(const tiso_report_problem *p)
{
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj && cJSON_AddStringToObject(obj, "code", tiso_status_name(p->status)) &&
              (p->source ? tiso__add_text(obj, "source", p->source) : true);
    if (ok && p->line)
        ok = cJSON_AddNumberToObject(obj, "line", (double)p->line) != NULL;
    if (ok && p->index >= 0)
        ok = cJSON_AddNumberToObject(obj, "index", (double)p->index) != NULL;
    if (ok && p->path && *p->path)
        ok = cJSON_AddStringToObject(obj, "path", p->path) != NULL;
    ok = ok && tiso__add_text(obj, "message", p->message ? p->message : "");
    if (!ok) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

cJSON *tiso__problems_json(const tiso_report *r)
{
    cJSON *list = cJSON_CreateArray();
    size_t n = tiso_report_problem_count(r);
    for (size_t i = 0; list && i < n; i++) {
        tiso_report_problem p;
        tiso_report_problem_at(r, i, &p);
        cJSON *item = tiso__problem_object(&p);
        if (!item || !cJSON_AddItemToArray(list, item)) {
            cJSON_Delete(item);
            cJSON_Delete(list);
            list = NULL;
        }
    }
    return list;
}

tiso_status tiso__out_cjson(tiso__out *o, const cJSON *item)
{
    char *text = cJSON_PrintUnformatted(item);
    if (!text)
        return TISO_E_NOMEM;
    tiso__out_str(o, text);
    cJSON_free(text);
    return TISO_OK;
}

tiso_status tiso__suggested(const tiso_report *r, tiso_policy **out)
{
    return tiso_report_suggested_policy(r, NULL, NULL, 0, out, NULL);
}

void tiso__out_policy_line(tiso__out *o, const tiso_policy *p)
{
    tiso_tenant_id home;
    tiso__out_plain(o, tiso_policy_source(p));
    if (tiso_policy_home_tenant(p, &home)) {
        tiso__out_str(o, " (home tenant ");
        tiso__out_id(o, &home);
    } else {
        tiso__out_str(o, " (no home tenant");
    }
    size_t n = tiso_policy_entry_count(p);
    tiso__out_printf(o, ", isolation %s, %zu allowlist entr%s)", tiso_policy_isolation_enabled(p) ? "on" : "off", n,
                     n == 1 ? "y" : "ies");
}

cJSON *tiso__judge_summary(const tiso__judge *j)
{
    if (j->policy)
        return tiso__policy_summary(j->policy);
    cJSON *obj = cJSON_CreateObject();
    if (obj && cJSON_AddTrueToObject(obj, "policySet") &&
        cJSON_AddNumberToObject(obj, "policies", (double)tiso_policy_set_count(j->set)))
        return obj;
    cJSON_Delete(obj);
    return NULL;
}

void tiso__out_judge_line(tiso__out *o, const tiso__judge *j)
{
    if (j->policy)
        tiso__out_policy_line(o, j->policy);
    else
        tiso__out_printf(o, "a set of %zu policies (both sides must allow)", tiso_policy_set_count(j->set));
}
