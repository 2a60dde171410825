/* libtenantiso: impact analysis (SPEC 6).
 *
 * Before switching isolation on, an administrator wants to know which
 * existing connections would break, and which allowlist entries would keep
 * them working. A report answers that: feed it connections (read from Power
 * Platform's cross-tenant connection report pages, from JSON Lines
 * inventories, or built in code) and it decides each one under a proposed
 * policy (or policy set), counts the outcomes, groups them by external tenant
 * and direction, and works out the fewest allowlist entries that keep every
 * blocked connection working. Given a second, `before` policy it also says
 * which connections change verdict between the two (diff).
 *
 * Memory does not grow with the number of connections: a report keeps
 * counts per (tenant, direction), a bounded list of problems and a cache of
 * resolved domains, never the connections themselves. Whoever needs each
 * connection's decision (an output writer, a progress display) sets an
 * observer, which is called once per connection as it is added.
 *
 * Counting. Every record read is one connection, in exactly one of:
 *   allowed      the policy allows it (same tenant, not applicable, isolation
 *                off, allowlisted, wildcard);
 *   blocked      the policy denies it (not_allowlisted);
 *   not covered  its connector does not use Entra ID tokens (Azure DevOps),
 *                so isolation cannot see it (reason not_evaluated_non_entra);
 *   errors       no decision: a malformed record, a name that is neither a
 *                tenant ID nor a resolvable domain, an evaluation error.
 * A caller that must turn an error into a verdict turns it into a deny.
 *
 * Ownership: tiso_report_new and tiso_report_writer_new give the caller an
 * object freed with the matching _free (NULL is fine). Everything a getter or
 * an observer receives is borrowed: from the report, until it is freed, or
 * for the duration of the call where so noted.
 *
 * Thread safety: a report and a writer are not thread-safe; use each from one
 * thread at a time. Different reports may run on different threads, and may
 * share policies, policy sets and (thread-safe) resolvers. The readers
 * (tiso_read_*) are pure functions, safe from any number of threads. */
#ifndef TENANTISO_REPORT_H
#define TENANTISO_REPORT_H

#include "common.h"
#include "eval.h"
#include "policy.h"
#include "policyset.h"
#include "resolver.h"
#include "tenant.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tiso_report tiso_report;
typedef struct tiso_report_writer tiso_report_writer;

/* ---- Connections ---- */

/* One connection, as read from an input or built by the caller. Every
 * pointer is borrowed for the duration of the call it is passed to. */
typedef struct tiso_connection {
    const char *creator;       /* creator tenant: a tenant ID or a domain, NUL-terminated */
    const char *target;        /* target tenant: a tenant ID or a domain */
    const char *connector;     /* e.g. "shared_office365" or an API path; NULL: unknown */
    tiso_auth_kind auth;       /* UNKNOWN: decided from `connector` (eval.h) */
    const char *connection_id; /* for people reading the outputs; NULL: none */
    const char *environment_id;/* likewise; NULL: none */
    const char *fields;        /* the input record's own members as the text of one JSON
                                  object, echoed in the outputs; NULL: none */
    size_t fields_len;         /* bytes of `fields` (need not be NUL-terminated) */
    const char *source;        /* the input's name, for messages; NULL: none */
    uint64_t line;             /* 1-based line in `source`; 0: unknown */
    int64_t index;             /* 0-based index in a report page's "connections"; -1: none */
} tiso_connection;

/* What became of one connection. */
typedef enum tiso_outcome {
    TISO_OUTCOME_ERROR = 0,      /* no decision (see tiso_connection_result.status) */
    TISO_OUTCOME_ALLOWED = 1,
    TISO_OUTCOME_BLOCKED = 2,
    TISO_OUTCOME_NOT_COVERED = 3 /* a non-Entra connector: isolation cannot block it */
} tiso_outcome;

/* The decision for one connection, as an observer receives it. Borrowed for
 * the duration of the observer call only. */
typedef struct tiso_connection_result {
    const tiso_connection *connection; /* the connection as added */
    tiso_outcome outcome;              /* under the report's policy */
    tiso_status status;                /* TISO_OK, or why there is no decision */
    const char *error;                 /* the problem in words when status is not TISO_OK, else "" */
    tiso_decision decision;            /* the decision; the fail-closed deny when status is not OK */
    tiso_tenant_id creator;            /* the creator, resolved; nil if it could not be */
    tiso_tenant_id target;             /* the target, resolved; nil if it could not be */
    /* Only for a report with a `before` policy (a diff); zero otherwise: */
    tiso_outcome before_outcome;
    tiso_status before_status;
    tiso_decision before;              /* the decision under the `before` policy */
    int changed;                       /* 1 if the verdict differs (an error counts as a deny) */
} tiso_connection_result;

/* Name of an outcome: "error", "allowed", "blocked", "not_covered";
 * "unknown" outside the enum. Static storage. */
TISO_API const char *tiso_outcome_name(tiso_outcome outcome);

/* ---- Creating a report ---- */

/* 2 added `input_format`; a version 1 struct is still accepted (read as
 * TISO_INPUT_AUTO). */
#define TISO_REPORT_OPTIONS_VERSION 2
#define TISO_REPORT_DEFAULT_MAX_PROBLEMS 1000u
#define TISO_REPORT_DEFAULT_MAX_PAGE_BYTES (256u * 1024u * 1024u)
#define TISO_REPORT_DEFAULT_MAX_LINE_BYTES (1024u * 1024u)
#define TISO_REPORT_DEFAULT_MAX_STRING_BYTES (64u * 1024u)
#define TISO_REPORT_DEFAULT_MAX_DEPTH 64u

/* The kind of an input file (SPEC 6). */
typedef enum tiso_input_format {
    TISO_INPUT_AUTO = 0,  /* by content: one JSON document that is an object with a "connections"
                             array is a page, anything else a JSON Lines inventory; a record
                             that could be either is an error naming the input and line */
    TISO_INPUT_PAGE = 1,  /* a cross-tenant connection report page */
    TISO_INPUT_JSONL = 2  /* a JSON Lines inventory: a record's "connections" member is kept as
                             any other member */
} tiso_input_format;

/* Parses "auto", "page" or "jsonl" (ASCII case-insensitive, `len` bytes).
 * Returns TISO_OK or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_input_format_parse(tiso_input_format *out, const char *text, size_t len);

/* Options for a report and for the readers. Initialize with
 * tiso_report_options_init, then set what you need; a zero limit means the
 * default. Exactly one of `policy` and `policy_set` must be set; at most one
 * of `before_policy` and `before_set`. */
typedef struct tiso_report_options {
    uint32_t version;             /* TISO_REPORT_OPTIONS_VERSION */
    uint32_t max_problems;        /* problems kept for the outputs (all are counted); default 1,000 */
    tiso_policy *policy;          /* the proposed policy; the report takes its own reference */
    tiso_policy_set *policy_set;  /* or a policy set (two-sided); borrowed: must outlive the report */
    tiso_policy *before_policy;   /* diff: the policy to compare with; a reference is taken */
    tiso_policy_set *before_set;  /* diff: or a policy set; borrowed */
    tiso_resolver *resolver;      /* borrowed: resolves domains in the input; NULL: IDs only */
    uint64_t max_page_bytes;      /* one report page; default 256 MiB */
    uint32_t max_line_bytes;      /* one inventory line; default 1 MiB */
    uint32_t max_string_bytes;    /* any one JSON string; default 64 KiB */
    uint32_t max_depth;           /* JSON nesting; default 64 */
    tiso_input_format input_format; /* (version 2) the kind of what tiso_report_read_fd and
                                       tiso_report_read_file read; AUTO: by content */
} tiso_report_options;

/* Fills `opts` with the defaults (no policy). NULL is fine. */
TISO_API void tiso_report_options_init(tiso_report_options *opts);

/* Creates an empty report. The caller owns `*out` (free it with
 * tiso_report_free). Returns TISO_OK, TISO_E_NOMEM, or
 * TISO_E_INVALID_ARGUMENT (NULL, an unknown options version, no policy or
 * two, two `before` policies). */
TISO_API tiso_status tiso_report_new(tiso_report **out, const tiso_report_options *opts,
                                     tiso_error *err);

/* Frees a report and drops its policy references. NULL is fine. */
TISO_API void tiso_report_free(tiso_report *report);

/* Called once per connection added, in the order they are added, with its
 * decision. `user` is the pointer given to tiso_report_set_observer. */
typedef void (*tiso_report_observer)(void *user, const tiso_connection_result *result);

/* Sets the observer (`fn` NULL removes it). A writer's observer is
 * tiso_report_writer_observe. Returns TISO_OK or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_report_set_observer(tiso_report *report, tiso_report_observer fn,
                                              void *user);

/* ---- Feeding connections ---- */

/* Resolves, decides and counts one connection, then calls the observer.
 * `*out` (may be NULL) receives the result; its pointers are borrowed from
 * `c` and from the report until the next call. A connection that gets no
 * decision (a bad name, an evaluation error) is not a failure of this call:
 * it is counted in the errors and its result says why. Returns TISO_OK,
 * TISO_E_NOMEM (the connection may be partly counted: discard the report)
 * or TISO_E_INVALID_ARGUMENT (NULL report or connection). */
TISO_API tiso_status tiso_report_add(tiso_connection_result *out, tiso_report *report, const tiso_connection *c,
                                     tiso_error *err);

/* Counts a record that could not be read at all (its position in `c`, which
 * may have NULL names) as an error, keeps `problem` for the outputs and
 * calls the observer. Returns TISO_OK, TISO_E_NOMEM or
 * TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_report_add_problem(tiso_report *report, const tiso_connection *c,
                                             const tiso_error *problem, tiso_error *err);

/* Reads `len` bytes of one cross-tenant connection report page (see
 * tiso_read_report_page) and adds each entry; a bad entry is added as a
 * problem and reading goes on. `source` names the page (NULL: "<memory>").
 * Returns TISO_OK, or, when the page as a whole cannot be read (nothing is
 * added then): TISO_E_SYNTAX, TISO_E_SCHEMA, TISO_E_LIMIT, TISO_E_NOMEM,
 * TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_report_read_page(tiso_report *report, const char *json, size_t len,
                                           const char *source, tiso_error *err);

/* Reads `len` bytes of a JSON Lines inventory (see tiso_read_inventory_line)
 * and adds each line's connection; a bad line is added as a problem and
 * reading goes on. Returns TISO_OK, TISO_E_NOMEM or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_report_read_inventory(tiso_report *report, const char *text, size_t len,
                                                const char *source, tiso_error *err);

/* Reads an input from an open file descriptor to its end, of the report's
 * `input_format`; by default its kind is decided by content: one JSON
 * document whose top level is an object with a "connections" array is a
 * report page; anything else is a JSON Lines inventory, which is read in
 * bounded chunks (memory does not grow with its length). A record that
 * could be either is an error naming the input and line: a one-document
 * input with "connections" and a creatorTenantId or targetTenantId fails as
 * a whole (TISO_E_SCHEMA), and an inventory line with a "connections" array
 * is a bad record (see tiso_read_inventory_line). `source` names it in
 * messages. The descriptor is not closed. Returns TISO_OK, TISO_E_IO (a
 * read failed), TISO_E_SCHEMA (the kind is unclear), or a page's whole-page
 * statuses (see tiso_report_read_page). */
TISO_API tiso_status tiso_report_read_fd(tiso_report *report, int fd, const char *source,
                                         tiso_error *err);

/* The same for the file at `path`. Adds TISO_E_IO for a file that cannot be
 * opened (missing, unreadable, a directory). */
TISO_API tiso_status tiso_report_read_file(tiso_report *report, const char *path, tiso_error *err);

/* ---- Results ---- */

typedef struct tiso_report_totals {
    uint64_t connections;   /* allowed + blocked + not_covered + errors */
    uint64_t allowed;
    uint64_t blocked;
    uint64_t not_covered;
    uint64_t errors;
    /* With a `before` policy (diff); zero otherwise: */
    uint64_t changed;       /* newly_blocked + newly_allowed */
    uint64_t newly_blocked; /* allowed before, denied (or an error) now */
    uint64_t newly_allowed; /* denied (or an error) before, allowed now */
} tiso_report_totals;

/* Fills `*out`. Returns TISO_OK or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_report_get_totals(tiso_report_totals *out, const tiso_report *report);

/* 1 if the report has a `before` policy (it is a diff), 0 otherwise. */
TISO_API int tiso_report_is_diff(const tiso_report *report);

/* One row of the summary: the connections with one external tenant in one
 * direction, as seen by the policy of `home`. */
typedef struct tiso_report_tenant {
    tiso_tenant_id tenant;    /* the external tenant */
    tiso_tenant_id home;      /* whose policy decided: the single policy's home tenant,
                                 or in a set the creator (outbound) or target (inbound) */
    tiso_direction direction; /* INBOUND or OUTBOUND */
    uint64_t connections;     /* decided connections with this tenant in this direction */
    uint64_t blocked;         /* of which denied */
    const char *label;        /* borrowed: the policy's display name for the tenant, or a
                                 domain it was given by in the input; NULL: none */
} tiso_report_tenant;

/* Number of summary rows, one per (home, external tenant, direction) that
 * the policy decided for at least one connection (not for same-tenant, not
 * applicable or not covered connections). */
TISO_API size_t tiso_report_tenant_count(const tiso_report *report);

/* Fills `*out` with row `index`, in the order the rows were first seen.
 * Returns TISO_OK or TISO_E_INVALID_ARGUMENT (NULL, or out of range). */
TISO_API tiso_status tiso_report_tenant_at(tiso_report_tenant *out, const tiso_report *report, size_t index);

/* A record that got no decision, kept for the outputs. */
typedef struct tiso_report_problem {
    tiso_status status;
    const char *source;  /* borrowed; NULL when the record had none */
    uint64_t line;       /* 1-based line; 0: none */
    int64_t index;       /* page entry index; -1: none */
    const char *path;    /* borrowed: JSON path within the record, e.g. "creatorTenantId"; "" */
    const char *message; /* borrowed: one line for a person */
} tiso_report_problem;

/* Number of problems kept (at most max_problems; all are counted in the
 * totals' errors). */
TISO_API size_t tiso_report_problem_count(const tiso_report *report);

/* Fills `*out` with problem `index`. Returns TISO_OK or
 * TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_report_problem_at(tiso_report_problem *out, const tiso_report *report, size_t index);

/* What an input was. Page metadata is copied from the page, cut to fit. */
typedef struct tiso_report_input {
    const char *source;      /* borrowed */
    int is_page;             /* 1: a cross-tenant connection report page; 0: an inventory */
    char tenant_id[TISO_DOMAIN_MAX + 1]; /* page: the report's "tenantId" as written; "" */
    char report_id[128];     /* page: "reportId"; "" when absent */
    char status[64];         /* page: "status" (or the older "reportStatus"); "" */
    char start_date[64];     /* page: "startDate"; "" */
    char end_date[64];       /* page: "endDate"; "" */
    uint64_t connections;    /* records read from it (including errors) */
    uint64_t errors;         /* of which without a decision */
} tiso_report_input;

/* Number of inputs read through tiso_report_read_*. */
TISO_API size_t tiso_report_input_count(const tiso_report *report);

/* Fills `*out` with input `index`. Returns TISO_OK or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_report_input_at(tiso_report_input *out, const tiso_report *report, size_t index);

/* The report's policy (borrowed; NULL when it has a policy set), and its
 * `before` policy (NULL when none or a set). */
TISO_API const tiso_policy *tiso_report_policy(const tiso_report *report);
TISO_API const tiso_policy *tiso_report_before_policy(const tiso_report *report);

/* ---- The suggested policy ---- */

/* Builds the policy of `home` (NULL: the report's single policy's home) plus
 * the fewest allowlist entries that keep every blocked connection it decided
 * working: one new entry per blocked external tenant, with exactly the
 * directions in which it was blocked. The existing entries are kept as they
 * are, isolation stays as it is, and "*" is never suggested. `only` (may be
 * NULL when `only_count` is 0) limits the new entries to those tenants: the
 * chosen subset to keep working. In a policy set, `home` must be given; a
 * tenant without a policy starts from an empty, isolated one. The caller
 * owns `*out`. Returns TISO_OK, TISO_E_NOMEM, TISO_E_NO_HOME_TENANT (NULL
 * `home` and the policy has none) or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_report_suggested_policy(tiso_policy **out, const tiso_report *report,
                                                  const tiso_tenant_id *home, const tiso_tenant_id *only,
                                                  size_t only_count, tiso_error *err);

/* Number of entries tiso_report_suggested_policy adds for `home` (NULL as
 * there) with no `only` filter; 0 for NULL or unknown. */
TISO_API size_t tiso_report_suggested_count(const tiso_report *report, const tiso_tenant_id *home);

/* ---- Readers: pure functions over bytes ---- */

/* Receives each record a reader finds: a connection (`problem` NULL), or a
 * record that could not be read (`problem` says why; `c` still carries its
 * position and, where known, its fields). Both are borrowed for the call.
 * Return TISO_OK to go on; any other status stops the reader, which returns
 * it. */
typedef tiso_status (*tiso_record_fn)(void *user, const tiso_connection *c,
                                      const tiso_error *problem);

/* A report page's own fields, copied (cut to fit). */
typedef struct tiso_page_info {
    char tenant_id[TISO_DOMAIN_MAX + 1];
    char report_id[128];
    char status[64];         /* "status", or the older "reportStatus" */
    char start_date[64];
    char end_date[64];
    uint64_t entries;        /* length of its "connections" array */
} tiso_page_info;

/* Reads one page of Power Platform's cross-tenant connection report:
 *   {"tenantId", "reportId", "status" | "reportStatus", "startDate", "endDate",
 *    "connections": [{"tenantId", "connectionType": "Inbound" | "Outbound", ...}]}
 * connectionType is from the report owner's side: an Outbound entry's
 * tenantId is the target and the page's tenantId the creator; an Inbound
 * entry's tenantId is the creator and the page's the target. A connector is
 * taken from "connector", "connectorId" or "apiId", a connection ID from
 * "connectionId" or "name", an environment from "environmentId" or
 * "environment". `fn` gets one call per entry, with the entry's text as written
 * as `fields`; a bad entry (not an object, a repeated key, no tenantId,
 * an unknown connectionType) is passed as a problem with its index. `opts` gives the
 * limits (NULL: defaults); `info` (may be NULL) receives the page's fields.
 * Returns TISO_OK, fn's status, or for the page as a whole (before any call
 * of `fn`): TISO_E_SYNTAX (malformed JSON, with line and column), TISO_E_SCHEMA
 * (not an object, no "connections" array, no string "tenantId", a
 * repeated member), TISO_E_LIMIT,
 * TISO_E_NOMEM, TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_read_report_page(tiso_page_info *info, tiso_record_fn fn, void *user, const char *json,
                                           size_t len, const char *source, const tiso_report_options *opts,
                                           tiso_error *err);

/* Reads one line of a JSON Lines inventory, `len` bytes without its newline:
 *   {"creatorTenantId", "targetTenantId", "connector", "connectionId",
 *    "environmentId", "userTenantId", ...}
 * Tenants may be tenant IDs or domains. userTenantId is kept but does not
 * decide anything: a guest user's connection (same creator and target, user
 * from elsewhere) is same_tenant. A line of only white space calls nothing;
 * any other line calls `fn` exactly once, with the connection or with the
 * problem (malformed JSON, not an object, a repeated key, a missing or
 * non-string tenant or connector, a line over the limit, and unless `opts`
 * says TISO_INPUT_JSONL a "connections" array, which makes the line look
 * like a report page). The connector is the first present of "connector",
 * "connectorId", "apiId", in that order. `line_no` and `source` give the position.
 * Returns TISO_OK, fn's status, or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_read_inventory_line(tiso_record_fn fn, void *user, const char *line, size_t len,
                                              const char *source, uint64_t line_no, const tiso_report_options *opts);

/* ---- Writing a report out ---- */

typedef enum tiso_report_format {
    TISO_FORMAT_TEXT = 0,     /* for people: problems, blocked and not covered connections, summary */
    TISO_FORMAT_JSON = 1,     /* SPEC 6: policy, connections, totals, byTenant, suggestedPolicy */
    TISO_FORMAT_CSV = 2,      /* RFC 4180, a header row, one row per connection */
    TISO_FORMAT_HTML = 3,     /* one self-contained page with an SVG chart */
    TISO_FORMAT_DIFF_TEXT = 4,/* a diff for people: the connections that change verdict */
    TISO_FORMAT_DIFF_JSON = 5 /* SPEC 6: {"totals": {...}, "changed": [...]} */
} tiso_report_format;

/* Receives output bytes. Return 0 on success, anything else on failure
 * (the writer then stops writing and reports TISO_E_IO). */
typedef int (*tiso_write_fn)(void *user, const char *data, size_t len);

/* Parses "text", "json", "csv" or "html" (ASCII case-insensitive, `len`
 * bytes). Returns TISO_OK or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_report_format_parse(tiso_report_format *out, const char *text, size_t len);

/* Creates a writer of `format` for `report`, which must outlive it, sending
 * bytes to `fn(user, ...)`. Connections reach the writer through
 * tiso_report_writer_observe (set it as the report's observer, or call it
 * from yours); the writer streams what it can (JSON, CSV and text as the
 * connections come) and keeps only what its format shows at the end (HTML
 * keeps the first few thousand blocked, not covered and failed rows). The
 * caller owns `*out`. Returns TISO_OK, TISO_E_NOMEM, TISO_E_IO (the first
 * write failed), or TISO_E_INVALID_ARGUMENT (a diff format for a report
 * without a `before` policy, CSV or HTML for a diff, a policy set with a
 * format that prints a single suggested policy: JSON and HTML, or NULLs). */
TISO_API tiso_status tiso_report_writer_new(tiso_report_writer **out, const tiso_report *report,
                                            tiso_report_format format, tiso_write_fn fn,
                                            void *user, tiso_error *err);

/* The observer that feeds a writer: pass the writer as `user`. Failures are
 * kept and returned by tiso_report_writer_finish. */
TISO_API void tiso_report_writer_observe(void *writer, const tiso_connection_result *result);

/* Writes what comes after the connections (totals, summary, suggested
 * policy; the whole page for HTML) and flushes. Call it once, after the last
 * connection. Returns TISO_OK, TISO_E_IO (a write failed, now or earlier),
 * TISO_E_NOMEM or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_report_writer_finish(tiso_report_writer *writer, tiso_error *err);

/* Frees a writer (without writing anything more). NULL is fine. */
TISO_API void tiso_report_writer_free(tiso_report_writer *writer);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_REPORT_H */
