/* The one duplicate-key check for untrusted JSON objects: a repeated key is
 * an error wherever a record is read (two parsers could disagree on which
 * one counts), never "first wins". */
#ifndef TISO_JSON_KEYS_H
#define TISO_JSON_KEYS_H

#include <cjson/cJSON.h>

#include "internal.h"

/* An object key as written or decoded: `len` bytes at `s`. */
typedef struct tiso__json_key {
    const char *s;
    size_t len;
} tiso__json_key;

/* Whether any key occurs twice among keys[0..n): `*dup` gets the index of
 * the earliest second occurrence, or n when every key differs. O(n log n)
 * (a small object is compared pairwise). TISO_E_NOMEM. */
tiso_status tiso__json_keys_duplicate(size_t *dup, const tiso__json_key *keys, size_t n);

/* The same for the members of a cJSON object: `*dup` gets the first repeated
 * member, or NULL. TISO_E_NOMEM. */
tiso_status tiso__json_object_duplicate(const cJSON **dup, const cJSON *obj);

#endif /* TISO_JSON_KEYS_H */
