/* Reading one page of Power Platform's cross-tenant connection report (a
 * pure function over bytes, so it can be fuzzed). connectionType is from the
 * report owner's side: an Outbound entry's tenantId is the target and the
 * page's tenantId the creator; an Inbound entry's tenantId is the creator
 * and the page's the target. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "report_json.h"

static const char *const CONNECTION_KEYS[] = {"connectionId", "name", NULL};
static const char *const ENVIRONMENT_KEYS[] = {"environmentId", "environment", NULL};
static const char *const STATUS_KEYS[] = {"status", "reportStatus", NULL};

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

/* The page's own members; fails when it is not a page at all. */
static tiso_status read_header(const cJSON *root, tiso_page_info *info, tiso_error *err)
{
    if (!cJSON_IsObject(root))
        return tiso__fail(err, TISO_E_SCHEMA, NULL, "a report page must be a JSON object, found %s",
                          tiso__json_type_name(root));
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "connections");
    if (!list)
        return tiso__fail(err, TISO_E_SCHEMA, "connections", "missing: not a cross-tenant connection report page");
    if (!cJSON_IsArray(list))
        return tiso__fail(err, TISO_E_SCHEMA, "connections", "expected an array, found %s",
                          tiso__json_type_name(list));
    tiso_status s = tiso__json_check_string(root, "", "tenantId", true, err);
    if (s != TISO_OK)
        return s;
    memset(info, 0, sizeof *info);
    copy(info->tenant_id, sizeof info->tenant_id, tiso__json_string(root, "tenantId"));
    copy(info->report_id, sizeof info->report_id, tiso__json_string(root, "reportId"));
    copy(info->status, sizeof info->status, tiso__json_first_string(root, STATUS_KEYS));
    copy(info->start_date, sizeof info->start_date, tiso__json_string(root, "startDate"));
    copy(info->end_date, sizeof info->end_date, tiso__json_string(root, "endDate"));
    info->entries = (uint64_t)cJSON_GetArraySize(list);
    return TISO_OK;
}

/* Checks one entry; on success points the connection's tenants at the
 * right sides. */
static tiso_status read_entry(const cJSON *entry, const char *page_tenant, const char *prefix, tiso_connection *c,
                              tiso_error *problem)
{
    if (!cJSON_IsObject(entry))
        return tiso__fail(problem, TISO_E_SCHEMA, NULL, "expected an object, found %s", tiso__json_type_name(entry));
    tiso_status s = tiso__report_check_record(entry, prefix, problem);
    if (s == TISO_OK)
        s = tiso__json_check_string(entry, prefix, "tenantId", true, problem);
    if (s != TISO_OK)
        return s;
    const char *tenant = tiso__json_string(entry, "tenantId");
    const char *type = tiso__json_string(entry, "connectionType");
    char path[TISO_ERROR_PATH_MAX];
    snprintf(path, sizeof path, "%sconnectionType", prefix);
    if (!type)
        return tiso__fail(problem, TISO_E_SCHEMA, path, "missing or not a string: expected \"Inbound\" or \"Outbound\"");
    if (strcasecmp(type, "Outbound") == 0) {
        c->creator = page_tenant;
        c->target = tenant;
    } else if (strcasecmp(type, "Inbound") == 0) {
        c->creator = tenant;
        c->target = page_tenant;
    } else {
        return tiso__fail(problem, TISO_E_SCHEMA, path, "\"%.60s\" is neither \"Inbound\" nor \"Outbound\"", type);
    }
    c->connector = tiso__json_first_string(entry, tiso__report_connector_keys);
    c->connection_id = tiso__json_first_string(entry, CONNECTION_KEYS);
    c->environment_id = tiso__json_first_string(entry, ENVIRONMENT_KEYS);
    return TISO_OK;
}

static tiso_status each_entry(const cJSON *list, const char *page_tenant, const char *source, tiso_record_fn fn,
                              void *user)
{
    int64_t index = 0;
    for (const cJSON *entry = list->child; entry; entry = entry->next, index++) {
        tiso_connection c = {.source = source, .index = index};
        char prefix[64];
        snprintf(prefix, sizeof prefix, "connections[%lld].", (long long)index);
        char *fields = cJSON_IsObject(entry) ? cJSON_PrintUnformatted(entry) : NULL;
        if (cJSON_IsObject(entry) && !fields)
            return TISO_E_NOMEM;
        c.fields = fields;
        c.fields_len = fields ? strlen(fields) : 0;
        tiso_error problem;
        tiso_error_clear(&problem);
        tiso_status s = read_entry(entry, page_tenant, prefix, &c, &problem);
        if (s != TISO_E_NOMEM)
            s = fn(user, &c, s == TISO_OK ? NULL : &problem);
        cJSON_free(fields);
        if (s != TISO_OK)
            return s;
    }
    return TISO_OK;
}

tiso_status tiso_read_report_page(const char *json, size_t len, const char *source,
                                  const tiso_report_options *opts, tiso_page_info *info, tiso_record_fn fn,
                                  void *user, tiso_error *err)
{
    if (!json || !fn)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "read_report_page: NULL pointer");
    tiso__report_limits l;
    tiso__report_limits_from(&l, opts);
    tiso__json_limits lim = tiso__report_json_limits(opts, l.max_page_bytes);
    cJSON *root = NULL;
    tiso_page_info page;
    tiso_status s = tiso__json_parse(&root, json, len, &lim, err);
    if (s == TISO_OK)
        s = read_header(root, &page, err);
    if (s != TISO_OK) {
        tiso__error_prefix_source(err, source);
        cJSON_Delete(root);
        return s;
    }
    if (info)
        *info = page;
    s = each_entry(cJSON_GetObjectItemCaseSensitive(root, "connections"), tiso__json_string(root, "tenantId"),
                   source, fn, user);
    cJSON_Delete(root);
    if (s == TISO_E_NOMEM)
        return tiso__fail(err, s, NULL, "out of memory reading a report page");
    return s;
}
