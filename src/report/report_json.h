/* JSON for the report's readers and writers: the one record decoder, and a
 * walk over an object's members that needs no tree. */
#ifndef TISO_REPORT_JSON_H
#define TISO_REPORT_JSON_H

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "json_input.h"
#include "json_keys.h"
#include "report_internal.h"

/* The JSON reader's limits for a document of at most `max_bytes`. */
tiso__json_limits tiso__report_json_limits(const tiso_report_options *opts, uint64_t max_bytes);

/* The keys a connector is read from, in their precedence (not their order
 * in the record), for page entries and inventory lines alike. */
extern const char *const tiso__report_connector_keys[];

/* ---- report_record.c: one decoder for every record, page entry or
 * inventory line ---- */
#define TISO__RECORD_SLOTS 10

/* A record's members that its form names (its slots), decoded. */
typedef struct tiso__report_record {
    const char *value[TISO__RECORD_SLOTS]; /* a string member, decoded; NULL: absent or not a string */
    const char *type[TISO__RECORD_SLOTS];  /* as tiso__json_type_name says it: "missing", "null", ... */
    cJSON *root;                           /* the tree, when cJSON had to read the record */
    char names[1024];                      /* the strings decoded without a tree */
} tiso__report_record;

/* Decodes the JSON object text[0..len) within `lim`: the members named in
 * `slots` (NULL-terminated, fewer than TISO__RECORD_SLOTS). Fails, filling
 * `problem`, for malformed JSON or a limit (TISO_E_SYNTAX, TISO_E_LIMIT,
 * "column N: " before the message), something other than an object or a
 * repeated key (TISO_E_SCHEMA, `prefix` before the key in the path), or
 * TISO_E_NOMEM. Free with tiso__report_record_free, whatever it returned. */
tiso_status tiso__report_record_decode(tiso__report_record *r, const char *text, size_t len, const char *const *slots,
                                       const char *prefix, const tiso__json_limits *lim, tiso_error *problem);
void tiso__report_record_free(tiso__report_record *r);

/* The same for an object already parsed (a page entry): `obj` is borrowed
 * and must outlive `r`; only a repeated key fails. */
tiso_status tiso__report_record_from_tree(tiso__report_record *r, const cJSON *obj, const char *const *slots,
                                          const char *prefix, tiso_error *problem);

/* Checks that slot `slot` (named `key`) is a string, or, unless `required`,
 * absent or null; else TISO_E_SCHEMA at `prefix``key` in `problem`. */
tiso_status tiso__report_record_string(const tiso__report_record *r, int slot, const char *prefix, const char *key,
                                       bool required, tiso_error *problem);

/* The connector by the one rule: the first string of the connector keys,
 * which are slots first, first + 1, first + 2; each, when present and not
 * null, must be a string (else `*s` gets TISO_E_SCHEMA, `*s` is TISO_OK on entry). */
const char *tiso__report_record_connector(const tiso__report_record *r, int first, const char *prefix,
                                          tiso_error *problem, tiso_status *s);

/* ---- Walking an object's members without a tree ----
 * An inventory holds millions of records, and a tree per record costs
 * several times what deciding it does. The walk finds the top-level members
 * of an object in one pass over its text. It takes only JSON it can vouch
 * that cJSON reads the same way, leaving anything else (malformed,
 * surrogate or NUL escapes, raw control characters, numbers cJSON cuts
 * short) to cJSON, so a caller's fast path never accepts what cJSON would
 * refuse or read differently. */
typedef enum tiso__report_walk {
    TISO__WALK_OTHER = 0, /* not walked: let cJSON decide */
    TISO__WALK_READ,      /* one object, whose members cJSON reads as found */
    TISO__WALK_EXACT      /* and cJSON_PrintUnformatted writes it back as this text, less white space */
} tiso__report_walk;

/* One top-level member, as written. */
typedef struct tiso__report_member {
    const char *key; /* the name, between its quotes */
    size_t key_len;
    bool key_escaped;  /* the name holds an escape: as written is not as meant */
    const char *value; /* the value (a string with its quotes) */
    size_t value_len;
    bool value_spaced; /* white space between the value's tokens */
} tiso__report_member;

typedef void (*tiso__report_member_fn)(void *user, const tiso__report_member *m);

/* Walks the object in s[0..n) (white space around it allowed), passing each
 * top-level member in order to `fn` (NULL: none). A walk that ends in OTHER
 * may have passed some. */
tiso__report_walk tiso__report_walk_object(const char *s, size_t n, tiso__report_member_fn fn, void *user);

/* A member name and its length, for the writers' tables of names. */
typedef struct tiso__report_name {
    const char *name;
    size_t len;
} tiso__report_name;
// clang-format off
#define TISO__REPORT_NAME(s) {s, sizeof s - 1}
// clang-format on

/* Whether the member's name is name[0..n) (never for a name with escapes). */
static inline bool tiso__report_member_is_n(const tiso__report_member *m, const char *name, size_t n)
{
    return m->key_len == n && !m->key_escaped && memcmp(m->key, name, n) == 0;
}

/* The same for a NUL-terminated name (its length is folded for a literal). */
static inline bool tiso__report_member_is(const tiso__report_member *m, const char *name)
{
    return tiso__report_member_is_n(m, name, strlen(name));
}

/* Decodes a walked string value into `out` (value_len bytes at least),
 * NUL-terminated. false when the value is not a string. */
bool tiso__report_member_string(const tiso__report_member *m, char *out);

#if defined(__SSE2__)
/* A bit per byte of `v` that is not plain. Adding 0x60 takes 0x20..0x7e to
 * -128..-34 and every other byte above: one signed compare finds them. */
static inline unsigned tiso__report_not_plain(__m128i v)
{
    __m128i odd = _mm_cmpgt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x60)), _mm_set1_epi8(-34));
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"')), backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(odd, _mm_or_si128(quote, backslash)));
}
#endif

/* Length of the run of plain bytes that s[0..n) starts with: printable
 * ASCII (0x20 to 0x7e) other than '"' and '\\'. That is most of every
 * string, and neither the walk nor an escaper but HTML's looks twice at
 * such a byte, so runs are found 16 bytes at a time where SSE2 exists, and
 * inline, as strings are short and many. */
static inline size_t tiso__report_plain_run(const char *s, size_t n)
{
    size_t i = 0;
#if defined(__SSE2__)
    if (n >= 16) {
        for (; i + 16 <= n; i += 16) {
            unsigned m = tiso__report_not_plain(_mm_loadu_si128((const __m128i *)(const void *)(s + i)));
            if (m)
                return i + (unsigned)__builtin_ctz(m);
        }
        if (i == n)
            return n;
        /* The last 16 bytes, of which those before i are known plain. */
        unsigned m =
            tiso__report_not_plain(_mm_loadu_si128((const __m128i *)(const void *)(s + n - 16))) >> (16 - (n - i));
        return m ? i + (unsigned)__builtin_ctz(m) : n;
    }
#endif
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
            break;
    }
    return i;
}

/* Passes walked JSON text s[0..n) to `emit` in runs, leaving out the white
 * space between tokens, as cJSON prints. */
void tiso__report_json_compact(const char *s, size_t n, void (*emit)(void *user, const char *run, size_t len),
                               void *user);

#endif /* TISO_REPORT_JSON_H */
