/* Reading one page of Power Platform's cross-tenant connection report (a
 * pure function over bytes, so it can be fuzzed). connectionType is from the
 * report owner's side: an Outbound entry's tenantId is the target and the
 * page's tenantId the creator; an Inbound entry's tenantId is the creator
 * and the page's the target.
 *
 * A page may be hundreds of megabytes: it is never a tree. The validator
 * checks the whole page first (a page that cannot be read adds nothing);
 * then the page object and each element of "connections" are decoded in
 * turn by the record decoder, over the walker. Memory is the text and one
 * entry's member spans. */
#include <stdio.h>
#include <string.h>

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
 * borrowed from `r`. */
static tiso_status read_header(const tiso__report_record *r, tiso_page_info *info, const char **tenant, tiso_error *err)
{
    const char *list = r->type[H_CONNECTIONS];
    if (strcmp(list, "missing") == 0)
        return tiso__fail(err, TISO_E_SCHEMA, "connections", "missing: not a cross-tenant connection report page");
    if (strcmp(list, "an array") != 0)
        return tiso__fail(err, TISO_E_SCHEMA, "connections", "expected an array, found %s", list);
    tiso_status s = tiso__report_record_string(r, H_TENANT, "", "tenantId", true, err);
    if (s != TISO_OK)
        return s;
    memset(info, 0, sizeof *info);
    copy(info->tenant_id, sizeof info->tenant_id, r->value[H_TENANT]);
    copy(info->report_id, sizeof info->report_id, r->value[H_REPORT]);
    copy(info->status, sizeof info->status, first(r, H_STATUS));
    copy(info->start_date, sizeof info->start_date, r->value[H_START]);
    copy(info->end_date, sizeof info->end_date, r->value[H_END]);
    *tenant = r->value[H_TENANT];
    return TISO_OK;
}

/* Checks one entry; on success points the connection's tenants at the
 * right sides. */
enum { TENANT, TYPE, CONNECTOR, CONNECTION = CONNECTOR + 3, NAME, ENVIRONMENT, ENVIRONMENT_NAME };
static const char *const SLOTS[] = {"tenantId",     "connectionType", "connector",     "connectorId", "apiId",
                                    "connectionId", "name",           "environmentId", "environment", NULL};

static tiso_status read_entry(const tiso__report_record *r, const char *page_tenant, const char *prefix,
                              tiso_connection *c, tiso_error *problem)
{
    tiso_status s = TISO_OK;
    c->connector = tiso__report_record_connector(r, CONNECTOR, prefix, problem, &s);
    if (s == TISO_OK)
        s = tiso__report_record_string(r, TENANT, prefix, "tenantId", true, problem);
    if (s != TISO_OK)
        return s;
    const char *type = r->value[TYPE];
    char path[TISO_ERROR_PATH_MAX];
    snprintf(path, sizeof path, "%sconnectionType", prefix);
    if (!type)
        return tiso__fail(problem, TISO_E_SCHEMA, path,
                          "missing or not a string: expected \"Inbound\" or \"Outbound\"");
    tiso_direction dir; /* the direction names, in any case */
    if (tiso_direction_parse(&dir, type, strlen(type)) != TISO_OK || dir == TISO_DIRECTION_AUTO)
        return tiso__fail(problem, TISO_E_SCHEMA, path, "\"%.60s\" is neither \"Inbound\" nor \"Outbound\"", type);
    bool outbound = dir == TISO_DIRECTION_OUTBOUND;
    c->creator = outbound ? page_tenant : r->value[TENANT];
    c->target = outbound ? r->value[TENANT] : page_tenant;
    c->connection_id = first(r, CONNECTION);
    c->environment_id = first(r, ENVIRONMENT);
    return TISO_OK;
}

/* Decodes each element of the array at json[list] in turn and hands it on. */
static tiso_status each_entry(const char *json, size_t len, size_t list, const char *page_tenant, const char *source,
                              tiso__report_entry_fn fn, void *user)
{
    tiso__report_record r;
    tiso__report_record_init(&r);
    tiso_status s = TISO_OK;
    size_t pos = list;
    for (int64_t index = 0; s == TISO_OK && tiso__json_next(json, len, &pos, NULL); index++) {
        tiso_connection c = {.source = source, .index = index};
        char prefix[64];
        snprintf(prefix, sizeof prefix, "connections[%lld].", (long long)index);
        tiso_error problem;
        tiso_error_clear(&problem);
        size_t end = tiso__json_value_end(json, len, pos);
        bool object = json[pos] == '{';
        if (object) {
            c.fields = json + pos;
            c.fields_len = end - pos;
            s = tiso__report_record_read(&r, json, end, pos, SLOTS, prefix, &problem);
        } else {
            s = tiso__fail(&problem, TISO_E_SCHEMA, NULL, "expected an object, found %s",
                           tiso__json_kind_name(json[pos]));
        }
        if (s == TISO_OK)
            s = read_entry(&r, page_tenant, prefix, &c, &problem);
        if (s != TISO_E_NOMEM)
            s = fn(user, &c, object ? &r : NULL, s == TISO_OK ? NULL : &problem);
        pos = end;
    }
    tiso__report_record_free(&r);
    return s;
}

tiso_status tiso__report_read_page(const char *json, size_t len, const char *source, const tiso_report_options *opts,
                                   tiso_page_info *info, tiso__report_entry_fn fn, void *user, tiso_error *err)
{
    if (!json || !fn)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "read_report_page: NULL pointer");
    tiso__report_record hdr;
    tiso__report_record_init(&hdr);
    tiso_page_info page;
    const char *tenant = NULL;
    tiso__report_limits l;
    tiso__report_limits_from(&l, opts);
    l.json.max_bytes = l.max_page_bytes;
    tiso_status s = tiso__report_record_decode(&hdr, json, len, HEADER, "", &l.json, err);
    if (s == TISO_OK)
        s = read_header(&hdr, &page, &tenant, err);
    if (s != TISO_OK && s != TISO_E_NOMEM)
        tiso__error_prefix_source(err, source);
    if (s == TISO_OK) {
        size_t list = 0, pos;
        for (size_t i = 0; i < hdr.count; i++)
            if (tiso__report_member_is(&hdr, i, "connections", 11))
                list = (size_t)(hdr.member[i].value - json);
        page.entries = 0;
        for (pos = list; tiso__json_next(json, len, &pos, NULL); page.entries++)
            pos = tiso__json_value_end(json, len, pos);
        if (info)
            *info = page;
        s = each_entry(json, len, list, tenant, source, fn, user);
    }
    tiso__report_record_free(&hdr);
    if (s == TISO_E_NOMEM)
        return tiso__fail(err, s, NULL, "out of memory reading a report page");
    return s;
}

tiso_status tiso_read_report_page(tiso_page_info *info, tiso_record_fn fn, void *user, const char *json, size_t len,
                                  const char *source, const tiso_report_options *opts, tiso_error *err)
{
    tiso__report_public_fn p = {fn, user};
    return tiso__report_read_page(json, len, source, opts, info, fn ? tiso__report_call_public : NULL, &p, err);
}
