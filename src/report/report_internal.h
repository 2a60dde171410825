/* The inside of a report: shared by the report's files (adding, tallying,
 * resolving, reading inputs, suggesting, writing). Never installed. */
#ifndef TISO_REPORT_INTERNAL_H
#define TISO_REPORT_INTERNAL_H

#include <string.h>

#include "hash_index.h"
#include "internal.h"
#include "json_scan.h"
#include "tenantiso/report.h"

/* ---- report_tally.c: counts per (home, external tenant), found by hash. ----
 * Direction index: 0 inbound, 1 outbound (as the id table's rule[]). */
typedef struct tiso__report_tally_row {
    tiso_tenant_id home;
    tiso_tenant_id external;
    uint64_t connections[2];
    uint64_t blocked[2];
    unsigned needs;       /* TISO_ALLOW_* bits home's policy must add */
    size_t label;         /* arena ref of a name for the tenant; 0 none */
    bool label_is_domain; /* the label is a domain from the input, not a display name */
    size_t first_blocked; /* order in which a need first appeared, for stable output */
} tiso__report_tally_row;

typedef struct tiso__report_tally_ref {
    uint32_t row;
    uint32_t dir; /* 0 inbound, 1 outbound */
} tiso__report_tally_ref;

typedef struct tiso__report_tally {
    tiso__report_tally_row *rows;
    size_t count, cap;
    tiso__hash_index index;
    tiso__report_tally_ref *order; /* public summary rows, first-seen order */
    size_t order_count, order_cap;
    size_t needs_seen; /* counter behind first_blocked */
} tiso__report_tally;

/* The row for (home, external), created (zeroed) when absent; `*created`
 * says which. NULL when out of memory. */
tiso__report_tally_row *tiso__report_tally_get(tiso__report_tally *t, const tiso_tenant_id *home,
                                               const tiso_tenant_id *external, bool *created);
/* The row for (home, external), or NULL: a pure read. */
const tiso__report_tally_row *tiso__report_tally_find(const tiso__report_tally *t, const tiso_tenant_id *home,
                                                      const tiso_tenant_id *external);
/* Counts one decided connection in direction index `dir`. TISO_E_NOMEM. */
tiso_status tiso__report_tally_count(tiso__report_tally *t, tiso__report_tally_row *row, uint32_t row_index,
                                     unsigned dir, bool blocked);
void tiso__report_tally_free(tiso__report_tally *t);

/* ---- report_names.c: tenant names (IDs or domains) to IDs, with a cache
 * of resolved domains so a million lines cost a handful of look-ups. ---- */
typedef struct tiso__report_name_entry {
    size_t name; /* arena ref of the normalized domain */
    uint64_t hash;
    tiso_tenant_id id; /* nil when the look-up failed */
    tiso_status status;
    size_t message; /* arena ref of the failure's message; 0 none */
} tiso__report_name_entry;

typedef struct tiso__report_names {
    tiso__report_name_entry *entries;
    size_t count, cap;
    tiso__hash_index index;
    tiso__arena strings;
} tiso__report_names;

/* Resolves `name`; `*domain` gets the normalized domain (borrowed from the
 * cache until the next call) when it was one, else NULL. Failures fill
 * `err`: TISO_E_INVALID_TENANT, TISO_E_INVALID_DOMAIN, a resolver's status,
 * TISO_E_NOMEM. */
tiso_status tiso__report_names_resolve(tiso__report_names *n, tiso_resolver *resolver, const char *name,
                                       tiso_tenant_id *out, const char **domain, tiso_error *err);
void tiso__report_names_free(tiso__report_names *n);

/* ---- the report ---- */
typedef struct tiso__report_problem {
    tiso_status status;
    size_t source, path, message; /* arena refs */
    uint64_t line;
    int64_t index;
} tiso__report_problem;

typedef struct tiso__report_input {
    tiso_report_input info; /* `source` is filled in by the getter */
    size_t source;          /* arena ref */
} tiso__report_input;

/* One side of an evaluation: a single policy or a policy set. */
typedef struct tiso__report_judge {
    tiso_policy *policy;
    tiso_policy_set *set;
} tiso__report_judge;

struct tiso_report {
    tiso__report_judge after;  /* the (proposed) policy */
    tiso__report_judge before; /* diff only */
    tiso_report_options opts;
    tiso_report_observer observer;
    void *observer_user;
    tiso_report_totals totals;
    tiso__report_tally tally;
    tiso__report_names names;
    tiso__arena strings; /* problems, sources, labels */
    tiso__report_problem *problems;
    size_t problem_count, problem_cap;
    tiso__report_input *inputs;
    size_t input_count, input_cap;
    size_t current_input;    /* index + 1 of the input being read; 0 none */
    size_t last_source_ref;  /* the source most recently copied */
    char message[TISO_ERROR_MESSAGE_MAX];     /* the current result's error text */
    const tiso_connection *record_of;         /* the connection being added by a reader, */
    const struct tiso__report_record *record; /* and the record it was read from (or NULL) */
};

/* ---- report_add.c ---- */

/* Whether a side of a result allows: an error counts as deny (fail closed,
 * as a gateway would), in the diff's count and in every writer. */
static inline bool tiso__report_allows(tiso_status status, const tiso_decision *d)
{
    return status == TISO_OK && d->verdict == TISO_ALLOW;
}

/* The tenant whose policy decided a connection in `dir`: the policy's home,
 * or in a set the creator's (outbound) or the target's (inbound). */
tiso_tenant_id tiso__report_home_of(const tiso_report *r, const tiso_connection_result *res, tiso_direction dir);

/* ---- report_results.c: problems, inputs, labels, and the getters ---- */

/* Keeps a problem (the first max_problems) and returns TISO_OK or
 * TISO_E_NOMEM. */
tiso_status tiso__report_keep_problem(tiso_report *r, const tiso_connection *c, tiso_status status, const char *path,
                                      const char *message);

/* Starts counting records into a new input entry (r->current_input, which
 * the reader sets to 0 at the input's end). */
tiso_status tiso__report_begin_input(tiso_report *r, const char *source, const tiso_page_info *page);

/* ---- report_suggest.c ---- */

/* The tally rows that need allowlist entries (of every
 * home), in the order their first block was seen. The caller frees `*out`
 * with tiso__free. TISO_E_NOMEM. */
tiso_status tiso__report_needed_rows(const tiso_report *r, const tiso__report_tally_row ***out, size_t *n);

/* ---- report.c: the readers' limits and input format ---- */

/* The readers' limits, from `opts` (NULL: defaults): the JSON reader's
 * without a size limit (a reader sets the size of what it reads). */
typedef struct tiso__report_limits {
    uint64_t max_page_bytes;
    uint32_t max_line_bytes;
    tiso__json_limits json;
} tiso__report_limits;
void tiso__report_limits_from(tiso__report_limits *out, const tiso_report_options *opts);
/* The input format `opts` asks for (NULL or version 1: AUTO). */
tiso_input_format tiso__report_input_format(const tiso_report_options *opts);

#endif /* TISO_REPORT_INTERNAL_H */
