/* Reading untrusted JSON: bounded file reads, a pre-scan for what cJSON does
 * not check (UTF-8, NUL bytes, nesting, string lengths), and parse errors with
 * line and column. */
#ifndef TISO_JSON_INPUT_H
#define TISO_JSON_INPUT_H

#include <cjson/cJSON.h>

#include "json_scan.h"

/* Reads the whole file at `path` (at most `max_bytes`) into a NUL-terminated
 * buffer the caller frees with tiso__free. TISO_E_IO or TISO_E_LIMIT. */
tiso_status tiso__read_file(const char *path, uint64_t max_bytes, char **out, size_t *out_len, tiso_error *err);

/* Validates and parses one JSON document of `len` bytes. On failure `err`
 * carries the line and column. The caller frees `*out` with cJSON_Delete. */
tiso_status tiso__json_parse(cJSON **out, const char *text, size_t len, const tiso__json_limits *limits,
                             tiso_error *err);

/* Adds to `err` the line and column of the first occurrence of the object
 * key `key` in `text`: cJSON keeps no positions, and for a document whose
 * keys are unique (a domain map) the first occurrence is the one. */
void tiso__json_locate_key(tiso_error *err, const char *text, size_t len, const char *key);

/* Lowers a JSON type to words for messages: "a string", "null", ... */
const char *tiso__json_type_name(const cJSON *item);

#endif /* TISO_JSON_INPUT_H */
