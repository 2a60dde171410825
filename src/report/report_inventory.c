/* Reading one line of a JSON Lines connection inventory (a pure function
 * over bytes, so it can be fuzzed):
 *   {"creatorTenantId", "targetTenantId", "connector", "connectionId",
 *    "environmentId", "userTenantId", ...more kept}
 * userTenantId is the signed-in user's home tenant. It decides nothing: a
 * guest from another tenant working in its host's environment creates a
 * connection of the host, same creator and target. */
#include <stdio.h>
#include <string.h>

#include "report_json.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const char *const CONNECTOR_KEYS[] = {"connector", "connectorId", "apiId", NULL};

/* Checks the members the decision needs. */
static tiso_status check_record(const cJSON *root, tiso_error *problem)
{
    if (!cJSON_IsObject(root))
        return tiso__fail(problem, TISO_E_SCHEMA, NULL, "expected a JSON object, found %s",
                          tiso__json_type_name(root));
    tiso_status s = tiso__json_check_string(root, "", "creatorTenantId", true, problem);
    if (s == TISO_OK)
        s = tiso__json_check_string(root, "", "targetTenantId", true, problem);
    for (size_t i = 0; s == TISO_OK && CONNECTOR_KEYS[i]; i++)
        s = tiso__json_check_string(root, "", CONNECTOR_KEYS[i], false, problem);
    return s;
}

static tiso_status parse(cJSON **root, const char *line, size_t len, uint64_t line_no,
                         const tiso_report_options *opts, tiso_error *problem)
{
    tiso__report_limits l;
    tiso__report_limits_from(&l, opts);
    if (len > l.max_line_bytes)
        return tiso__fail(problem, TISO_E_LIMIT, NULL, "line of %zu bytes is longer than the limit of %u bytes",
                          len, l.max_line_bytes);
    tiso__json_limits lim = tiso__report_json_limits(opts, l.max_line_bytes);
    tiso_status s = tiso__json_parse(root, line, len, &lim, problem);
    if (s != TISO_OK && problem->column) {
        /* The parser counts within the line; say where in the file. */
        char msg[TISO_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "column %u: %s", problem->column, problem->message);
        memcpy(problem->message, msg, sizeof msg);
        problem->line = line_no > UINT32_MAX ? 0 : (uint32_t)line_no;
    }
    return s;
}

tiso_status tiso_read_inventory_line(const char *line, size_t len, const char *source, uint64_t line_no,
                                     const tiso_report_options *opts, tiso_record_fn fn, void *user)
{
    if (!fn || (!line && len))
        return TISO_E_INVALID_ARGUMENT;
    while (len && is_space(line[len - 1]))
        len--;
    while (len && is_space(*line)) {
        line++;
        len--;
    }
    if (!len)
        return TISO_OK; /* a blank line, often the last: nothing to report */
    tiso_connection c = {.source = source, .line = line_no, .index = -1};
    tiso_error problem;
    tiso_error_clear(&problem);
    cJSON *root = NULL;
    tiso_status s = parse(&root, line, len, line_no, opts, &problem);
    if (s == TISO_OK) {
        c.fields = cJSON_IsObject(root) ? line : NULL;
        c.fields_len = c.fields ? len : 0;
        s = check_record(root, &problem);
    }
    if (s != TISO_OK) {
        cJSON_Delete(root);
        return fn(user, &c, &problem);
    }
    c.creator = tiso__json_string(root, "creatorTenantId");
    c.target = tiso__json_string(root, "targetTenantId");
    c.connector = tiso__json_first_string(root, CONNECTOR_KEYS);
    c.connection_id = tiso__json_string(root, "connectionId");
    c.environment_id = tiso__json_string(root, "environmentId");
    s = fn(user, &c, NULL);
    cJSON_Delete(root);
    return s;
}
