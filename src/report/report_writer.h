/* The inside of report writers: buffered output with escaping for each
 * format, the per-format operations, and helpers the formats share. */
#ifndef TISO_REPORT_WRITER_H
#define TISO_REPORT_WRITER_H

#include <string.h>

#include "report_json.h"

/* ---- report_out.c: buffered output; the first failure sticks. ---- */
typedef struct tiso__report_out {
    tiso_write_fn fn;
    void *user;
    tiso_status status; /* TISO_OK until a write fails */
    size_t len;
    char buf[64 * 1024];
} tiso__report_out;

/* Rows are written a few bytes at a time, so the common case -- room in
 * the buffer -- is inline; the rest (flushing, failures) is not. */
void tiso__report_out_bytes_slow(tiso__report_out *o, const char *s, size_t n);
static inline void tiso__report_out_bytes(tiso__report_out *o, const char *s, size_t n)
{
    if (n <= sizeof o->buf - o->len && o->status == TISO_OK) {
        memcpy(o->buf + o->len, s, n);
        o->len += n;
    } else {
        tiso__report_out_bytes_slow(o, s, n);
    }
}
static inline void tiso__report_out_str(tiso__report_out *o, const char *s)
{
    tiso__report_out_bytes(o, s, strlen(s));
}
void tiso__report_out_printf(tiso__report_out *o, const char *fmt, ...) TISO_PRINTF(2, 3);
void tiso__report_out_flush(tiso__report_out *o);
/* `n` in decimal, as "%lld" writes it (without printf's cost per row). */
void tiso__report_out_int(tiso__report_out *o, long long n);
/* A tenant ID in canonical form; "-" for the nil GUID. */
void tiso__report_out_id(tiso__report_out *o, const tiso_tenant_id *id);
/* `s` quoted as a JSON string (NULL: null), escaped as cJSON does. */
void tiso__report_out_json_string(tiso__report_out *o, const char *s);
/* `s` as HTML text or attribute value: & < > " ' escaped. */
void tiso__report_out_html(tiso__report_out *o, const char *s);
/* `s` as one RFC 4180 field: quoted when it holds , " CR or LF; a leading
 * = + - or @ made inert with a ' before it (OWASP CSV injection). */
void tiso__report_out_csv(tiso__report_out *o, const char *s);
/* `s` for a terminal: control characters shown as '?'. */
void tiso__report_out_plain(tiso__report_out *o, const char *s);
/* A copy of s[0..n) with each invalid UTF-8 byte replaced by U+FFFD, for
 * a caller's own record text before it is decoded. Free with tiso__free;
 * NULL when out of memory. */
char *tiso__report_utf8_repair(const char *s, size_t n);
/* Every escaper passes valid UTF-8 through and turns each invalid byte into
 * U+FFFD, so no output is ever invalid UTF-8. */

/* ---- values, written as JSON members, CSV cells or HTML cells ---- */

/* What a value holds. TISO__V_NONE, a NULL string or a nil ID is none: null
 * in JSON, an empty CSV cell (HTML shows a nil ID as "-"). */
typedef enum tiso__value_kind {
    TISO__V_NONE,
    TISO__V_STR,  /* `s` */
    TISO__V_NUM,  /* `n` */
    TISO__V_ID,   /* `id` */
    TISO__V_ERROR /* `s` its message, `n` its status */
} tiso__value_kind;

/* One value of a row or an object, under `key` in JSON (NULL: left out of
 * JSON). */
typedef struct tiso__report_value {
    const char *key;
    tiso__value_kind kind;
    const char *s;
    long long n;
    const tiso_tenant_id *id;
} tiso__report_value;
#define TISO__STR(k, v) ((tiso__report_value){(k), TISO__V_STR, (v), 0, NULL})
#define TISO__NUM(k, v) ((tiso__report_value){(k), TISO__V_NUM, NULL, (long long)(v), NULL})
#define TISO__NONE(k) ((tiso__report_value){(k), TISO__V_NONE, NULL, 0, NULL})
#define TISO__ID(k, v) ((tiso__report_value){(k), TISO__V_ID, NULL, 0, (v)})
#define TISO__ERR(k, status, message) ((tiso__report_value){(k), TISO__V_ERROR, (message), (long long)(status), NULL})

/* ---- the writer ---- */

/* A buffer a row's pieces are gathered in, kept from row to row. */
typedef struct tiso__report_scratch {
    char *data;
    size_t cap, len;
} tiso__report_scratch;

typedef struct tiso__report_format {
    tiso_status (*begin)(tiso_report_writer *w);
    void (*row)(tiso_report_writer *w, const tiso_connection_result *res);
    tiso_status (*end)(tiso_report_writer *w); /* NULL: nothing to add */
    void (*destroy)(tiso_report_writer *w);
} tiso__report_format;

struct tiso_report_writer {
    const tiso_report *report;
    const tiso__report_format *ops;
    void *state;        /* the format's own, freed by ops->destroy */
    tiso_status failed; /* TISO_E_NOMEM met while writing a row */
    uint64_t rows;      /* rows written */
    bool finished;
    tiso_error error;             /* what a failure of ops->end was, when it says more than its status */
    tiso__report_scratch scratch; /* for the formats' rows */
    tiso__report_record record;   /* a caller's own connection's fields, decoded (tiso__report_fields) */
    char *fields_text;            /* and their text, repaired */
    struct {                      /* the last decision's message (message_of) */
        bool valid;
        tiso_decision decision;
        char text[1024];
    } message;
    tiso__report_out out;
};

extern const tiso__report_format tiso__report_format_text;
extern const tiso__report_format tiso__report_format_json;
extern const tiso__report_format tiso__report_format_csv;
extern const tiso__report_format tiso__report_format_html;
extern const tiso__report_format tiso__report_format_diff_text;
extern const tiso__report_format tiso__report_format_diff_json;

/* ---- report_write_common.c ---- */

/* The summary rows for people: most blocked first, then most connections,
 * then by tenant and direction. The caller frees `*out` with tiso__free. */
tiso_status tiso__report_sorted_tenants(const tiso_report *r, tiso_report_tenant **out, size_t *n);

/* The label of the external tenant of a decided connection, or NULL. */
const char *tiso__report_result_label(const tiso_report *r, const tiso_connection_result *res);

/* Where in its source a record is: ":line", "[index]" (a page entry), or ""
 * (the whole source). Returns `out`. */
const char *tiso__report_place(char out[24], uint64_t line, int64_t index);

/* For a text row: "  connector", "  connection ID" (when `connection_id`),
 * "  at position", each when known, and the line's end. */
void tiso__report_out_details(tiso__report_out *o, const tiso_connection *c, bool connection_id);

/* `label`, "position: " when known, the connection's error, the line's end. */
void tiso__report_out_error_line(tiso__report_out *o, const char *label, const tiso_connection_result *res);

/* The decision's values: outcome, verdict, reason, direction,
 * externalTenant, rule, blockedBy (at TISO__DECISION_BLOCKED_BY), and message
 * (or the error, for a connection without a decision): the JSON members and
 * the CSV columns. The message is valid until the next call. */
#define TISO__DECISION_VALUES 8
#define TISO__DECISION_BLOCKED_BY 6
void tiso__report_decision_values(tiso_report_writer *w, const tiso_connection_result *res,
                                  tiso__report_value v[TISO__DECISION_VALUES]);

/* The decision's reason for output: "error" when there was no decision. */
const char *tiso__report_reason_text(tiso_status status, const tiso_decision *d);

/* The record the connection was read from: the reader's, handed over
 * with it, or else (a caller's own connection) its fields decoded now,
 * repaired to valid UTF-8 first. No members when the fields are no JSON
 * object. Valid until the next call; NULL when out of memory. */
const tiso__report_record *tiso__report_fields(tiso_report_writer *w, const tiso_connection *c);

/* Passes the member to `emit` as `"<name_prefix><name>":<value>`, name and
 * value as written, less the white space between the value's tokens. */
void tiso__report_member_text(const tiso__report_member *m, const char *name_prefix,
                              void (*emit)(void *user, const char *run, size_t len), void *user);

/* "SOURCE (...)" of a side's policy, or "a set of N policies". */
void tiso__report_out_judge_line(tiso__report_out *o, const tiso__report_judge *j);

#endif /* TISO_REPORT_WRITER_H */
