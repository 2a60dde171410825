/* cJSON helpers shared by the report's readers and writers. */
#include <stdio.h>
#include <string.h>

#include "report_json.h"

tiso__json_limits tiso__report_json_limits(const tiso_report_options *opts, uint64_t max_bytes)
{
    tiso__report_limits l;
    tiso__report_limits_from(&l, opts);
    return (tiso__json_limits){max_bytes, l.max_depth, l.max_string_bytes};
}

const char *tiso__json_string(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

const char *tiso__json_first_string(const cJSON *obj, const char *const *keys)
{
    for (; *keys; keys++) {
        const char *s = tiso__json_string(obj, *keys);
        if (s)
            return s;
    }
    return NULL;
}

tiso_status tiso__json_check_string(const cJSON *obj, const char *prefix, const char *key, bool required,
                                    tiso_error *problem)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsString(item) || (!required && (!item || cJSON_IsNull(item))))
        return TISO_OK;
    char path[TISO_ERROR_PATH_MAX];
    snprintf(path, sizeof path, "%s%s", prefix, key);
    if (!item)
        return tiso__fail(problem, TISO_E_SCHEMA, path, "missing: expected a tenant ID or a domain");
    return tiso__fail(problem, TISO_E_SCHEMA, path, "expected a string, found %s", tiso__json_type_name(item));
}
