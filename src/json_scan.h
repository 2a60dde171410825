/* The JSON validator every untrusted document goes through, in one pass that
 * builds no values: the whole JSON grammar (strings and their escapes,
 * numbers, literals, structure, truncation, trailing data), UTF-8, and this
 * library's rules (no NUL bytes, no escaped NUL \u0000 and no lone surrogate
 * escapes, nesting and string-length limits). It knows the JSON path of every
 * byte, so an error names both where it is in the text and in the document.
 * Text it accepts is safe to walk with json_walk.h and to parse with cJSON. */
#ifndef TISO_JSON_SCAN_H
#define TISO_JSON_SCAN_H

#include "internal.h"

typedef struct tiso__json_limits {
    uint64_t max_bytes;
    uint32_t max_depth; /* at most TISO_JSON_SCAN_MAX_DEPTH */
    uint32_t max_string_bytes;
} tiso__json_limits;

#define TISO_JSON_SCAN_MAX_DEPTH 512

/* Checks that `text` is one JSON document within `lim`. On failure `err` has
 * the status (TISO_E_SYNTAX or TISO_E_LIMIT; TISO_E_NOMEM), the line and
 * column, and the JSON path. */
tiso_status tiso__json_prescan(const char *text, size_t len, const tiso__json_limits *lim, tiso_error *err);

/* Sets err->line/column/offset to where the value at JSON path `path`
 * ("properties.allowedTenants[3].tenantId"; "" for the whole document)
 * starts in `text`, if it is there. For messages only. */
void tiso__json_locate_path(tiso_error *err, const char *text, size_t len, const char *path);

/* The first byte of t[i..len) that a JSON string's content cannot simply
 * pass (json_scan.c says which). */
size_t tiso__json_skip_plain(const char *t, size_t i, size_t len);
/* Length of the valid multi-byte UTF-8 sequence at s[0..n), or 0 if invalid. */
size_t tiso__utf8_len(const unsigned char *s, size_t n);
/* Shortens the NUL-terminated `s`, valid UTF-8 cut short at any byte (by
 * snprintf, or to fit a buffer), so that it does not end inside a character;
 * returns its new length. Messages and paths that name untrusted keys stay
 * valid UTF-8 (JSON output of them must be). */
size_t tiso__utf8_cut(char *s);
/* Whether `len` bytes of `text` are valid UTF-8 (NUL bytes included). */
bool tiso__utf8_valid(const char *text, size_t len);

#endif /* TISO_JSON_SCAN_H */
