/* Small helpers the report's readers and writers share for cJSON. */
#ifndef TISO_REPORT_JSON_H
#define TISO_REPORT_JSON_H

#include "json_input.h"
#include "report_internal.h"

/* The JSON reader's limits for a document of at most `max_bytes`. */
tiso__json_limits tiso__report_json_limits(const tiso_report_options *opts, uint64_t max_bytes);

/* The string member `key` of `obj`, or NULL when absent, null or not a string. */
const char *tiso__json_string(const cJSON *obj, const char *key);

/* The first of `keys` (NULL-terminated) present as a string in `obj`, or NULL. */
const char *tiso__json_first_string(const cJSON *obj, const char *const *keys);

/* Checks that `key`, when present and not null, is a string. Returns TISO_OK
 * or fills `problem` (TISO_E_SCHEMA, with `path` prefixed to the key). */
tiso_status tiso__json_check_string(const cJSON *obj, const char *prefix, const char *key, bool required,
                                    tiso_error *problem);

#endif /* TISO_REPORT_JSON_H */
