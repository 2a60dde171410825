/* Reading untrusted JSON: bounded file reads, and the one way text becomes
 * JSON values in this library: the validator (json_scan.h), then cJSON. No
 * other code calls cJSON_Parse on untrusted text. */
#ifndef TISO_JSON_INPUT_H
#define TISO_JSON_INPUT_H

#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "json_scan.h"

/* Opens the file at `path` for reading: `*fd` (the caller closes it) and its
 * `*st`. TISO_E_IO, saying why, for a file that cannot be opened or is a
 * directory. */
tiso_status tiso__open_file(int *fd, struct stat *st, const char *path, tiso_error *err);
/* The `*st` of the open descriptor `fd`, checked the same way (`path` names
 * it in messages). */
tiso_status tiso__stat_file(int fd, struct stat *st, const char *path, tiso_error *err);
/* Reads the whole file at `path` (at most `max_bytes`) into a NUL-terminated
 * buffer the caller frees with tiso__free. TISO_E_IO or TISO_E_LIMIT. */
tiso_status tiso__read_file(const char *path, uint64_t max_bytes, char **out, size_t *out_len, tiso_error *err);

/* Checks that `len` bytes of `text` are one JSON document within `limits`
 * (size, then the validator): TISO_E_LIMIT, TISO_E_SYNTAX with line, column
 * and path, or TISO_E_NOMEM. Text it accepts may be walked (json_walk.h). */
tiso_status tiso__json_validate(const char *text, size_t len, const tiso__json_limits *limits, tiso_error *err);

/* Reads `fd` to its end (at most `max_bytes`; a pipe is fine), the same way:
 * `path` names it in messages. The caller closes `fd`. */
tiso_status tiso__read_fd(int fd, const char *path, uint64_t max_bytes, char **out, size_t *out_len,
                          tiso_error *err);

/* Validates and parses one JSON document of `len` bytes. On failure `err`
 * carries the line and column. The caller frees `*out` with cJSON_Delete. */
tiso_status tiso__json_parse(cJSON **out, const char *text, size_t len, const tiso__json_limits *limits,
                             tiso_error *err);

/* The one value starting at text[at], in text tiso__json_validate accepted
 * (a part of a walked document), as a cJSON tree the caller frees with
 * cJSON_Delete; `*end` (if not NULL) gets the offset after it. NULL only
 * when memory runs out. */
cJSON *tiso__json_value_at(const char *text, size_t len, size_t at, size_t *end);

/* Adds to `err` the line and column of the first occurrence of the object
 * key `key` in `text`: cJSON keeps no positions, and for a document whose
 * keys are unique (a domain map) the first occurrence is the one. */
void tiso__json_locate_key(tiso_error *err, const char *text, size_t len, const char *key);

/* Lowers a JSON type to words for messages: "a string", "null", ... */
const char *tiso__json_type_name(const cJSON *item);

#endif /* TISO_JSON_INPUT_H */
