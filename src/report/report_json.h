/* JSON for the report's readers and writers: the one record decoder, over
 * the library's validator and walker (json_input.h, json_walk.h). */
#ifndef TISO_REPORT_JSON_H
#define TISO_REPORT_JSON_H

#include <string.h>

#include "json_input.h"
#include "json_keys.h"
#include "json_walk.h"
#include "report_internal.h"

/* ---- report_record.c: one decoder for every record, page entry or
 * inventory line: its members in order, as written, and the members its
 * form names (its slots) decoded. The writers print from it. ---- */
#define TISO__RECORD_SLOTS 10
#define TISO__RECORD_SMALL 16

/* One member of a record as written: its name between the quotes, its
 * value (a string with its quotes). */
typedef struct tiso__report_member {
    const char *key;
    size_t key_len;
    const char *value;
    size_t value_len;
} tiso__report_member;

/* Room for decoded strings: inline for most records. */
typedef struct tiso__report_text {
    char *data;
    size_t cap;
    char small[256];
} tiso__report_text;

typedef struct tiso__report_record {
    const char *value[TISO__RECORD_SLOTS]; /* a string member, decoded; NULL: absent or not a string */
    const char *type[TISO__RECORD_SLOTS];  /* "missing", "null", "a string", ... */
    tiso__report_member *member;           /* every member, in order */
    tiso__json_key *name;                  /* its name as meant (escapes decoded) */
    size_t count, cap;
    tiso__report_text names, values;                      /* the decoded names (of names with escapes), slot values */
    tiso__report_member small_member[TISO__RECORD_SMALL]; /* most records need no more */
    tiso__json_key small_name[TISO__RECORD_SMALL];
} tiso__report_record;

/* Readies `r` (no allocation); tiso__report_record_free releases it. A
 * record is reused from one decode to the next. */
void tiso__report_record_init(tiso__report_record *r);
void tiso__report_record_free(tiso__report_record *r);

/* Decodes the JSON text[0..len) within `lim`: the members named in `slots`
 * (NULL-terminated, fewer than TISO__RECORD_SLOTS). Fails, filling
 * `problem` (may be NULL), for malformed JSON or a limit (TISO_E_SYNTAX,
 * TISO_E_LIMIT, with line and column), something other than an object or a
 * repeated key (TISO_E_SCHEMA, `prefix` before the key in the path), or
 * TISO_E_NOMEM. `r->count` is 0 unless the text is an object. */
tiso_status tiso__report_record_decode(tiso__report_record *r, const char *text, size_t len, const char *const *slots,
                                       const char *prefix, const tiso__json_limits *lim, tiso_error *problem);

/* The same for the object at text[at] of text already validated (a page's
 * entry), which ends by text[len]: only a repeated key fails, or
 * TISO_E_NOMEM. */
tiso_status tiso__report_record_read(tiso__report_record *r, const char *text, size_t len, size_t at,
                                     const char *const *slots, const char *prefix, tiso_error *problem);

/* Checks that slot `slot` (named `key`) is a string, or, unless `required`,
 * absent or null; else TISO_E_SCHEMA at `prefix``key` in `problem`. */
tiso_status tiso__report_record_string(const tiso__report_record *r, int slot, const char *prefix, const char *key,
                                       bool required, tiso_error *problem);

/* The connector by the one rule: the first string of the connector keys,
 * which are slots first, first + 1, first + 2; each, when present and not
 * null, must be a string (else `*s` gets TISO_E_SCHEMA, `*s` is TISO_OK on entry). */
const char *tiso__report_record_connector(const tiso__report_record *r, int first, const char *prefix,
                                          tiso_error *problem, tiso_status *s);

/* Receives a reader's record with the connection read from it (see
 * tiso_record_fn): `rec` NULL when the text was no object. */
typedef tiso_status (*tiso__report_entry_fn)(void *user, const tiso_connection *c, const tiso__report_record *rec,
                                             const tiso_error *problem);

/* The public readers, handing over the decoded record too. */
tiso_status tiso__report_read_page(const char *json, size_t len, const char *source, const tiso_report_options *opts,
                                   tiso_page_info *info, tiso__report_entry_fn fn, void *user, tiso_error *err);
tiso_status tiso__report_read_line(const char *line, size_t len, const char *source, uint64_t line_no,
                                   const tiso_report_options *opts, tiso__report_entry_fn fn, void *user);

/* The public readers' callback, called with user = this: drops the record. */
typedef struct tiso__report_public_fn {
    tiso_record_fn fn;
    void *user;
} tiso__report_public_fn;
tiso_status tiso__report_call_public(void *user, const tiso_connection *c, const tiso__report_record *rec,
                                     const tiso_error *problem);

/* A member name and its length, for the writers' tables of names. */
typedef struct tiso__report_name {
    const char *name;
    size_t len;
} tiso__report_name;
// clang-format off
#define TISO__REPORT_NAME(s) {s, sizeof s - 1}
// clang-format on

/* Whether member `i`'s name (as meant) is name[0..n). */
static inline bool tiso__report_member_is(const tiso__report_record *r, size_t i, const char *name, size_t n)
{
    return r->name[i].len == n && memcmp(r->name[i].s, name, n) == 0;
}

#endif /* TISO_REPORT_JSON_H */
