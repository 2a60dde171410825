/* Walking JSON text that the validator (json_scan.h) has accepted, without
 * building a tree: a reader takes the members it knows and steps over the
 * rest, so a document's unknown bulk costs a pass, not a tree. Given text
 * the validator did not accept, the results are meaningless (but stay in
 * bounds). */
#ifndef TISO_JSON_WALK_H
#define TISO_JSON_WALK_H

#include "internal.h"

/* One object member: its name as written (between the quotes) and where its
 * value starts. */
typedef struct tiso__json_member {
    const char *key;
    size_t key_len;
    bool key_escaped; /* the name holds an escape: as written is not as meant */
    size_t value;     /* offset of the value's first byte */
} tiso__json_member;

/* Steps to the next member of an object (`m` given) or element of an array
 * (`m` NULL). `*pos` is at the container's '{' or '[' for the first call,
 * then after the previous value. Returns true with `*pos` at the value's
 * first byte, or false with `*pos` after the container. */
bool tiso__json_next(const char *text, size_t len, size_t *pos, tiso__json_member *m);

/* The offset of the document's value: after a byte order mark, if any, and
 * white space. */
size_t tiso__json_start(const char *text, size_t len);

/* Whether `c` is JSON white space (space, tab, CR, LF). */
static inline bool tiso__json_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The offset of the first byte at or after text[i] that is not JSON white
 * space, or `len`. */
size_t tiso__json_skip_space(const char *text, size_t len, size_t i);
/* The offset just after the value starting at text[pos]. */
size_t tiso__json_value_end(const char *text, size_t len, size_t pos);

/* Decodes the string whose opening quote is at text[at] into `out` (room
 * for its quoted length is enough), NUL-terminated; returns the decoded
 * length. Escapes, surrogate pairs included, become UTF-8. */
size_t tiso__json_string(const char *text, size_t len, size_t at, char *out);

/* Lowers the JSON value starting with byte `c` to words: "a string", ... */
const char *tiso__json_kind_name(char c);

#endif /* TISO_JSON_WALK_H */
