/* Reading one page of Power Platform's cross-tenant connection report (a
 * pure function over bytes, so it can be fuzzed). connectionType is from the
 * report owner's side: an Outbound entry's tenantId is the target and the
 * page's tenantId the creator; an Inbound entry's tenantId is the creator
 * and the page's the target.
 *
 * A page may be hundreds of megabytes: it is never one cJSON tree. After the
 * pre-scan, the page object's members are read one at a time, and the
 * elements of "connections" one at a time, each by cJSON from where it
 * starts: once to check the whole page (a page that cannot be read adds
 * nothing), once more to read the entries. Memory is the text and one
 * entry's tree. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "report_json.h"

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

/* The page's own members (the header), and the one rule for reading them. */
enum { H_TENANT, H_REPORT, H_STATUS, H_START = H_STATUS + 2, H_END, H_CONNECTIONS };
static const char *const HEADER[] = {"tenantId",  "reportId", "status",      "reportStatus",
                                     "startDate", "endDate",  "connections", NULL};

static const char *first(const tiso__report_record *r, int slot)
{
    return r->value[slot] ? r->value[slot] : r->value[slot + 1];
}

/* Fails when the header is not a page's; `*tenant` gets the page's tenant,
 * borrowed from `header`. */
static tiso_status read_header(const cJSON *header, tiso_page_info *info, const char **tenant, tiso_error *err)
{
    tiso__report_record r;
    tiso_status s = tiso__report_record_from_tree(&r, header, HEADER, "", err);
    const char *list = s == TISO_OK ? r.type[H_CONNECTIONS] : "";
    if (s == TISO_OK && strcmp(list, "missing") == 0)
        return tiso__fail(err, TISO_E_SCHEMA, "connections", "missing: not a cross-tenant connection report page");
    if (s == TISO_OK && strcmp(list, "an array") != 0)
        return tiso__fail(err, TISO_E_SCHEMA, "connections", "expected an array, found %s", list);
    if (s == TISO_OK)
        s = tiso__report_record_string(&r, H_TENANT, "", "tenantId", true, err);
    if (s != TISO_OK)
        return s;
    memset(info, 0, sizeof *info);
    copy(info->tenant_id, sizeof info->tenant_id, r.value[H_TENANT]);
    copy(info->report_id, sizeof info->report_id, r.value[H_REPORT]);
    copy(info->status, sizeof info->status, first(&r, H_STATUS));
    copy(info->start_date, sizeof info->start_date, r.value[H_START]);
    copy(info->end_date, sizeof info->end_date, r.value[H_END]);
    *tenant = r.value[H_TENANT];
    return TISO_OK;
}

/* Checks one entry; on success points the connection's tenants at the
 * right sides. */
enum { TENANT, TYPE, CONNECTOR, CONNECTION = CONNECTOR + 3, NAME, ENVIRONMENT, ENVIRONMENT_NAME };
static const char *const SLOTS[] = {"tenantId",     "connectionType", "connector",     "connectorId", "apiId",
                                    "connectionId", "name",           "environmentId", "environment", NULL};

/* Checks one entry; on success points the connection's tenants at the
 * right sides. */
static tiso_status read_entry(const cJSON *entry, const char *page_tenant, const char *prefix, tiso_connection *c,
                              tiso_error *problem)
{
    if (!cJSON_IsObject(entry))
        return tiso__fail(problem, TISO_E_SCHEMA, NULL, "expected an object, found %s", tiso__json_type_name(entry));
    tiso__report_record r;
    tiso_status s = tiso__report_record_from_tree(&r, entry, SLOTS, prefix, problem);
    if (s == TISO_OK)
        c->connector = tiso__report_record_connector(&r, CONNECTOR, prefix, problem, &s);
    if (s == TISO_OK)
        s = tiso__report_record_string(&r, TENANT, prefix, "tenantId", true, problem);
    if (s != TISO_OK)
        return s;
    const char *type = r.value[TYPE];
    char path[TISO_ERROR_PATH_MAX];
    snprintf(path, sizeof path, "%sconnectionType", prefix);
    if (!type)
        return tiso__fail(problem, TISO_E_SCHEMA, path,
                          "missing or not a string: expected \"Inbound\" or \"Outbound\"");
    bool outbound = strcasecmp(type, "Outbound") == 0;
    if (!outbound && strcasecmp(type, "Inbound") != 0)
        return tiso__fail(problem, TISO_E_SCHEMA, path, "\"%.60s\" is neither \"Inbound\" nor \"Outbound\"", type);
    c->creator = outbound ? page_tenant : r.value[TENANT];
    c->target = outbound ? r.value[TENANT] : page_tenant;
    c->connection_id = first(&r, CONNECTION);
    c->environment_id = first(&r, ENVIRONMENT);
    return TISO_OK;
}

/* ---- the page's text, a value at a time ---- */

typedef struct cursor {
    const char *text, *p, *end;
} cursor;

static void skip_space(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static tiso_status syntax_at(tiso_error *err, const cursor *c, const char *at, const char *what)
{
    tiso__fail(err, TISO_E_SYNTAX, NULL, "%s", what);
    tiso__error_locate(err, c->text, (size_t)(c->end - c->text), (size_t)(at - c->text));
    return TISO_E_SYNTAX;
}

/* Expects byte `ch` (after white space) and steps over it. */
static tiso_status expect(cursor *c, char ch, tiso_error *err)
{
    skip_space(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return TISO_OK;
    }
    return syntax_at(err, c, c->p,
                     c->p < c->end ? "malformed JSON" : "malformed JSON: unexpected end of input (truncated?)");
}

/* One JSON value at the cursor (after white space), parsed by cJSON; the
 * cursor moves past it. Only a byte that can start a value may start one:
 * cJSON would skip a byte order mark at the start of what it is given. */
static tiso_status parse_value(cursor *c, cJSON **out, tiso_error *err)
{
    skip_space(c);
    *out = NULL;
    if (c->p >= c->end)
        return syntax_at(err, c, c->p, "malformed JSON: unexpected end of input (truncated?)");
    if (!*c->p || !strchr("{[\"-0123456789tfn", *c->p))
        return syntax_at(err, c, c->p, "malformed JSON");
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(c->p, (size_t)(c->end - c->p), &end, 0);
    if (!v) {
        const char *at = end && end >= c->p && end <= c->end ? end : c->end;
        return syntax_at(err, c, at,
                         at >= c->end ? "malformed JSON: unexpected end of input (truncated?)" : "malformed JSON");
    }
    if (!end || end < c->p || end > c->end) { /* cannot happen; fail closed */
        cJSON_Delete(v);
        return syntax_at(err, c, c->p, "malformed JSON");
    }
    c->p = end;
    *out = v;
    return TISO_OK;
}

/* After one element or member: true for one more, false at `close`. */
static tiso_status next(cursor *c, char close, bool *more, tiso_error *err)
{
    skip_space(c);
    if (c->p < c->end && (*c->p == ',' || *c->p == close)) {
        *more = *c->p++ == ',';
        return TISO_OK;
    }
    return expect(c, close, err);
}

static bool is_header_key(const char *key)
{
    for (size_t i = 0; HEADER[i]; i++)
        if (strcmp(HEADER[i], key) == 0)
            return true;
    return false;
}

/* Calls `fn` for each element of the array at the cursor (its '[' next);
 * with `fn` NULL only checks them and counts them in `*count`. */
typedef tiso_status (*element_fn)(void *user, const cJSON *element, const char *text, size_t len, int64_t index);

static tiso_status each_element(cursor *c, element_fn fn, void *user, uint64_t *count, tiso_error *err)
{
    tiso_status s = expect(c, '[', err);
    skip_space(c);
    bool more = c->p < c->end && *c->p != ']';
    if (s == TISO_OK && !more)
        c->p++;
    for (int64_t index = 0; s == TISO_OK && more; index++) {
        cJSON *element;
        skip_space(c);
        const char *start = c->p;
        s = parse_value(c, &element, err);
        if (s == TISO_OK && fn)
            s = fn(user, element, start, (size_t)(c->p - start), index);
        cJSON_Delete(element);
        if (s == TISO_OK)
            s = next(c, ']', &more, err);
        *count += s == TISO_OK;
    }
    return s;
}

/* Checks the whole page and reads its own members into `header` (the known
 * ones, and "connections" as an empty array when it is one, else as it is);
 * `*list` gets where the connections array starts. */
static tiso_status check_page(cursor *c, cJSON *header, const char **list, uint64_t *entries, tiso_error *err)
{
    skip_space(c);
    if (c->p >= c->end || *c->p != '{') {
        cJSON *root = NULL;
        tiso_status s = parse_value(c, &root, err);
        if (s == TISO_OK)
            s = tiso__fail(err, TISO_E_SCHEMA, NULL, "a report page must be a JSON object, found %s",
                           tiso__json_type_name(root));
        cJSON_Delete(root);
        return s;
    }
    c->p++;
    skip_space(c);
    bool more = c->p < c->end && *c->p != '}';
    tiso_status s = more ? TISO_OK : expect(c, '}', err);
    while (s == TISO_OK && more) {
        cJSON *key = NULL, *value = NULL;
        skip_space(c);
        s = c->p < c->end && *c->p == '"' ? parse_value(c, &key, err) : expect(c, '"', err);
        if (s == TISO_OK)
            s = expect(c, ':', err);
        skip_space(c);
        bool connections = s == TISO_OK && strcmp(key->valuestring, "connections") == 0;
        if (s == TISO_OK && connections && c->p < c->end && *c->p == '[') {
            *list = c->p;
            s = each_element(c, NULL, NULL, entries, err);
            value = s == TISO_OK ? cJSON_CreateArray() : NULL;
            s = s == TISO_OK && !value ? TISO_E_NOMEM : s;
        } else if (s == TISO_OK) {
            s = parse_value(c, &value, err);
        }
        if (s == TISO_OK && is_header_key(key->valuestring)) {
            cJSON_AddItemToObject(header, key->valuestring, value); /* cannot fail for an object */
            value = NULL;
        }
        cJSON_Delete(value);
        cJSON_Delete(key);
        if (s == TISO_OK)
            s = next(c, '}', &more, err);
    }
    skip_space(c);
    if (s == TISO_OK && c->p < c->end)
        s = syntax_at(err, c, c->p, "trailing characters after the JSON document");
    return s;
}

typedef struct entries {
    const char *page_tenant, *source;
    tiso_record_fn fn;
    void *user;
} entries;

static tiso_status take_entry(void *user, const cJSON *entry, const char *text, size_t len, int64_t index)
{
    entries *e = user;
    tiso_connection c = {.source = e->source, .index = index};
    char prefix[64];
    snprintf(prefix, sizeof prefix, "connections[%lld].", (long long)index);
    if (cJSON_IsObject(entry)) {
        c.fields = text;
        c.fields_len = len;
    }
    tiso_error problem;
    tiso_error_clear(&problem);
    tiso_status s = read_entry(entry, e->page_tenant, prefix, &c, &problem);
    if (s != TISO_E_NOMEM)
        s = e->fn(e->user, &c, s == TISO_OK ? NULL : &problem);
    return s;
}

tiso_status tiso_read_report_page(tiso_page_info *info, tiso_record_fn fn, void *user, const char *json, size_t len,
                                  const char *source, const tiso_report_options *opts, tiso_error *err)
{
    if (!json || !fn)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "read_report_page: NULL pointer");
    tiso__report_limits l;
    tiso__report_limits_from(&l, opts);
    tiso__json_limits lim = tiso__report_json_limits(opts, l.max_page_bytes);
    cursor c = {json, json, json + len};
    skip_space(&c);
    tiso_status s = TISO_OK;
    if ((uint64_t)len > lim.max_bytes)
        s = tiso__fail(err, TISO_E_LIMIT, NULL, "document of %zu bytes is larger than the limit of %llu bytes", len,
                       (unsigned long long)lim.max_bytes);
    else if (c.p == c.end)
        s = tiso__fail(err, TISO_E_SYNTAX, NULL, "empty document: expected a JSON object");
    else
        s = tiso__json_prescan(json, len, &lim, err);
    cJSON *header = s == TISO_OK ? cJSON_CreateObject() : NULL;
    s = s == TISO_OK && !header ? TISO_E_NOMEM : s;
    const char *list = NULL;
    tiso_page_info page;
    uint64_t count = 0;
    if (s == TISO_OK)
        s = check_page(&c, header, &list, &count, err);
    const char *tenant = NULL;
    if (s == TISO_OK)
        s = read_header(header, &page, &tenant, err);
    if (s != TISO_OK && s != TISO_E_NOMEM) {
        tiso__error_prefix_source(err, source);
        cJSON_Delete(header);
        return s;
    }
    if (s == TISO_OK) {
        page.entries = count;
        if (info)
            *info = page;
        entries e = {tenant, source, fn, user};
        c.p = list;
        s = each_element(&c, take_entry, &e, &count, err);
    }
    cJSON_Delete(header);
    if (s == TISO_E_NOMEM)
        return tiso__fail(err, s, NULL, "out of memory reading a report page");
    return s;
}
