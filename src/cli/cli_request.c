/* Requests from text and JSON (see cli_request.h). */
#include "cli_request.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli_output.h"
#include "cli_policies.h"
#include "json_keys.h"

tiso_status cli_field_error(tiso_error *err, tiso_status status, const char *prefix, const char *key, const char *fmt,
                            ...)
{
    char path[TISO_ERROR_PATH_MAX];
    snprintf(path, sizeof path, "%s%s", prefix, key);
    va_list ap;
    va_start(ap, fmt);
    tiso__vfail(err, status, path, fmt, ap);
    va_end(ap);
    return status;
}

/* Resolves one tenant field, naming the field in any error. */
static tiso_status resolve_field(tiso_tenant_id *out, const char *name, const char *prefix, const char *key,
                                 const cli_resolution *res, tiso_error *err)
{
    tiso_error detail;
    tiso_status s = cli_resolve_name(res, name, out, &detail);
    if (s == TISO_OK) {
        return TISO_OK;
    }
    const char *why = detail.message[0] != '\0' ? detail.message : tiso_strerror(s);
    /* Quote the name unless the library's message already does. */
    if (strstr(why, name) != NULL) {
        return cli_field_error(err, s, prefix, key, "%s", why);
    }
    return cli_field_error(err, s, prefix, key, "'%.80s%s': %s", name, strlen(name) > 80 ? "..." : "", why);
}

tiso_status cli_request_build(tiso_request *out, const cli_request_text *in, const cli_resolution *res, tiso_error *err)
{
    const char *prefix = in->label_prefix != NULL ? in->label_prefix : "";
    memset(out, 0, sizeof *out);
    out->direction = TISO_DIRECTION_AUTO;
    out->auth = TISO_AUTH_UNKNOWN;
    tiso_status s = resolve_field(&out->creator, in->creator, prefix, "creator", res, err);
    if (s != TISO_OK) {
        return s;
    }
    s = resolve_field(&out->target, in->target, prefix, "target", res, err);
    if (s != TISO_OK) {
        return s;
    }
    if (in->direction != NULL &&
        tiso_direction_parse(&out->direction, in->direction, strlen(in->direction)) != TISO_OK) {
        return cli_field_error(err, TISO_E_INVALID_ARGUMENT, prefix, "direction",
                               "'%.40s' is not auto, inbound or outbound", in->direction);
    }
    out->connector = in->connector;
    return TISO_OK;
}

tiso_status cli_request_decide(tiso_decision *out, char *why, size_t size, const cli_request_text *in,
                               const cli_policies *p, const cli_resolution *res)
{
    tiso_request request;
    tiso_error err;
    tiso_status s = cli_request_build(&request, in, res, &err);
    if (s != TISO_OK) {
        snprintf(why, size, "%s", err.message);
    } else {
        s = cli_policies_evaluate(out, why, size, p, &request);
    }
    return s;
}

/* Reads optional string key `key` of `obj` (whose keys are all different);
 * null counts as absent. */
static tiso_status get_string(const char **out, const cJSON *obj, const char *key, int required, const char *prefix,
                              tiso_error *err)
{
    const cJSON *found = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (found == NULL || (cJSON_IsNull(found) && !required)) {
        return required ? cli_field_error(err, TISO_E_SCHEMA, prefix, key, "missing") : TISO_OK;
    }
    if (!cJSON_IsString(found) || found->valuestring == NULL) {
        return cli_field_error(err, TISO_E_SCHEMA, prefix, key, "must be a string");
    }
    *out = found->valuestring;
    return TISO_OK;
}

tiso_status cli_request_text_from_json(cli_request_text *out, const cJSON *obj, const char *label_prefix,
                                       tiso_error *err)
{
    const char *prefix = label_prefix != NULL ? label_prefix : "";
    memset(out, 0, sizeof *out);
    out->label_prefix = prefix;
    if (!cJSON_IsObject(obj)) {
        return tiso__fail(err, TISO_E_SCHEMA, NULL, "%sa request must be a JSON object", prefix);
    }
    /* Any key twice, as in every record the library reads: which one would
     * be meant is unclear. */
    const cJSON *dup = NULL;
    tiso_status s = tiso__json_object_duplicate(&dup, obj);
    if (s != TISO_OK) {
        return cli_field_error(err, s, prefix, "request", "out of memory");
    }
    if (dup != NULL) {
        return cli_field_error(err, TISO_E_SCHEMA, prefix, dup->string, "duplicate key");
    }
    s = get_string(&out->creator, obj, "creator", 1, prefix, err);
    if (s == TISO_OK) {
        s = get_string(&out->target, obj, "target", 1, prefix, err);
    }
    if (s == TISO_OK) {
        s = get_string(&out->direction, obj, "direction", 0, prefix, err);
    }
    if (s == TISO_OK) {
        s = get_string(&out->connector, obj, "connector", 0, prefix, err);
    }
    return s;
}
