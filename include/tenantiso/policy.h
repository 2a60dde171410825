/* libtenantiso: tenant isolation policies.
 *
 * A policy is read from the Power Platform admin API's own document (what
 * GET .../tenantIsolationPolicy returns and Get-PowerAppTenantIsolationPolicy
 * prints), with or without the outer "properties" object, or built in code.
 * Loading parses, validates, resolves domains and indexes the allowlist in a
 * hash table once; the result is immutable.
 *
 * An allowedTenants entry names its tenant by "tenantId" (a GUID, or "*" for
 * every tenant) or by "domain", resolved through the load options' resolver.
 * An entry with both (as tiso_policy_to_json writes a domain entry) uses its
 * tenantId and keeps the domain as a note, without resolving it again. An
 * absent "inbound" or "outbound" is false (fail closed).
 *
 * Ownership: a policy is reference counted. Every function that hands out a
 * policy through `**out` gives the caller one reference, dropped with
 * tiso_policy_free. tiso_policy_ref adds one (a policy set takes its own).
 *
 * Thread safety: a loaded policy may be read and evaluated from any number of
 * threads at once; tiso_policy_ref and tiso_policy_free are atomic. A builder
 * is not thread-safe. */
#ifndef TENANTISO_POLICY_H
#define TENANTISO_POLICY_H

#include "common.h"
#include "resolver.h"
#include "tenant.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tiso_policy tiso_policy;
typedef struct tiso_policy_builder tiso_policy_builder;

/* Direction bits of an allowlist entry. */
#define TISO_ALLOW_INBOUND 0x1u
#define TISO_ALLOW_OUTBOUND 0x2u

#define TISO_DEFAULT_MAX_DOCUMENT_BYTES (64u * 1024u * 1024u)
#define TISO_DEFAULT_MAX_ENTRIES 1000000u
#define TISO_DEFAULT_MAX_STRING_BYTES 1024u
#define TISO_DEFAULT_MAX_DEPTH 64u

#define TISO_LOAD_OPTIONS_VERSION 1

/* Options for loading. Initialize with tiso_load_options_init, then change
 * what you need; a zero limit means the default. */
typedef struct tiso_load_options {
    uint32_t version;            /* TISO_LOAD_OPTIONS_VERSION */
    uint32_t max_entries;        /* allowedTenants entries; default 1,000,000 */
    uint64_t max_document_bytes; /* default 64 MiB */
    uint32_t max_string_bytes;   /* any one JSON string; default 1024 */
    uint32_t max_depth;          /* JSON nesting; default 64 */
    tiso_resolver *resolver;     /* borrowed; resolves "domain" entries. NULL: such entries fail */
    const char *source;          /* borrowed; names the input in messages (a file's path by default) */
} tiso_load_options;

/* Fills `opts` with the defaults. NULL is fine. */
TISO_API void tiso_load_options_init(tiso_load_options *opts);

/* Loads a policy from `len` bytes of JSON (need not be NUL-terminated).
 * `opts` may be NULL for the defaults. On success the caller owns `*out`.
 * Returns TISO_OK or, with `*out` untouched and detail in `err` (JSON path,
 * and line and column for syntax errors):
 *   TISO_E_SYNTAX          malformed or truncated JSON, trailing garbage,
 *                          invalid UTF-8, a NUL byte;
 *   TISO_E_SCHEMA          a field of the wrong type, a missing required
 *                          field (an entry's "direction"), an entry with
 *                          neither tenantId nor domain, a duplicate key,
 *                          a document with neither "isDisabled" nor
 *                          "allowedTenants" (not a policy; for the service's
 *                          error body {"error": {"code", "message"}} the
 *                          message quotes its code and message);
 *   TISO_E_INVALID_TENANT  a tenant ID that is not one (or the nil GUID);
 *   TISO_E_INVALID_DOMAIN  a domain that is not one;
 *   TISO_E_NOT_FOUND, TISO_E_RESOLVE, ...  a domain entry could not be
 *                          resolved (the resolver's status);
 *   TISO_E_CONFLICT        an entry's "tenantId" and "domain" disagree (the
 *                          domain resolves to another tenant; a domain that
 *                          cannot be resolved leaves the ID standing);
 *   TISO_E_LIMIT           document size, entry count, string length or depth;
 *   TISO_E_NOMEM, TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_policy_load_json(tiso_policy **out, const char *json, size_t len,
                                           const tiso_load_options *opts, tiso_error *err);

/* Same, reading the file at `path`. Adds TISO_E_IO for a file that cannot be
 * read (missing, unreadable, a directory). An empty file is TISO_E_SYNTAX. */
TISO_API tiso_status tiso_policy_load_file(tiso_policy **out, const char *path,
                                           const tiso_load_options *opts, tiso_error *err);

/* Adds a reference; returns `policy`. NULL is fine (returns NULL). */
TISO_API tiso_policy *tiso_policy_ref(tiso_policy *policy);

/* Drops a reference; the last one frees the policy. NULL is fine. */
TISO_API void tiso_policy_free(tiso_policy *policy);

/* ---- Reading a policy. All getters borrow from `policy`. ---- */

/* 1 and the home tenant in `*out` if the policy has one, 0 otherwise (and for
 * NULL). A flag, not a status: no home is an answer, not a failure. */
TISO_API int tiso_policy_home_tenant(tiso_tenant_id *out, const tiso_policy *policy);

/* 1 if tenant isolation is on (isDisabled false or absent), 0 if off. */
TISO_API int tiso_policy_isolation_enabled(const tiso_policy *policy);

/* 1 if the policy sets evaluateNonEntraConnectors, 0 otherwise. */
TISO_API int tiso_policy_evaluates_non_entra(const tiso_policy *policy);

/* Number of allowedTenants entries, in document order (0 for NULL). */
TISO_API size_t tiso_policy_entry_count(const tiso_policy *policy);

/* One allowlist entry. Strings are borrowed from the policy; NULL if absent. */
typedef struct tiso_policy_entry {
    tiso_tenant_id tenant;    /* all zero for the "*" entry */
    int is_wildcard;          /* 1 for "*" */
    unsigned directions;      /* TISO_ALLOW_INBOUND | TISO_ALLOW_OUTBOUND */
    const char *display_name; /* tenantDisplayName */
    const char *domain;       /* the domain the entry was given by, normalized */
} tiso_policy_entry;

/* Fills `*out` with entry `index`. Returns TISO_OK or TISO_E_INVALID_ARGUMENT
 * (NULL, or `index` out of range). */
TISO_API tiso_status tiso_policy_entry_at(tiso_policy_entry *out, const tiso_policy *policy, size_t index);

/* Warnings found while loading: things that load but are probably not what
 * the author meant. */
typedef enum tiso_warning_code {
    TISO_WARN_DUPLICATE_TENANT = 1,  /* a tenant listed twice: the directions add up */
    TISO_WARN_EMPTY_ENTRY = 2,       /* an entry that allows neither direction */
    TISO_WARN_HOME_TENANT_LISTED = 3,/* the home tenant on its own allowlist: meaningless */
    TISO_WARN_UNKNOWN_KEY = 4,       /* a key the library does not know: ignored */
    TISO_WARN_MISSING_IS_DISABLED = 5,/* no isDisabled: read as isolation on */
    TISO_WARN_MORE = 6,              /* further warnings were dropped (see the message) */
    TISO_WARN_OVER_SERVICE_LIMIT = 7 /* more allowlist rules than Power Platform accepts */
} tiso_warning_code;

/* Power Platform accepts at most this many allowlist rules ("the threshold
 * limit for rules is 500"). A longer allowlist still loads (the library's own
 * limit is far higher, for policy sets and tests) but carries the warning
 * TISO_WARN_OVER_SERVICE_LIMIT, and the service refuses it. */
#define TISO_SERVICE_MAX_RULES 500

typedef struct tiso_warning {
    tiso_warning_code code;
    const char *path;    /* borrowed: JSON path, e.g. "properties.allowedTenants[2]" */
    const char *message; /* borrowed: one line for a person */
} tiso_warning;

/* Number of warnings kept (at most 1,000; then one TISO_WARN_MORE). */
TISO_API size_t tiso_policy_warning_count(const tiso_policy *policy);

/* Fills `*out` with warning `index`. Returns TISO_OK or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_policy_warning_at(tiso_warning *out, const tiso_policy *policy, size_t index);

/* Stable identifier for a warning code, e.g. "duplicate_tenant". Static storage. */
TISO_API const char *tiso_warning_code_name(tiso_warning_code code);

/* Where the policy came from: the source name given at load ("<memory>",
 * a file path, or "<builder>"); borrowed from the policy. */
TISO_API const char *tiso_policy_source(const tiso_policy *policy);

/* Where a policy came from and what it says, so a decision can name the
 * policy that made it. */
typedef struct tiso_provenance {
    const char *source;   /* borrowed: as tiso_policy_source */
    int64_t loaded_at_ns; /* when it was loaded or built: Unix time in nanoseconds */
    uint8_t sha256[32];   /* content hash: SHA-256 of everything that affects a decision (home tenant,
                             isolation, extensions, each entry's tenant and directions, in order);
                             formatting, display names and unknown keys do not change it */
    char sha256_hex[65];  /* the same in lowercase hex */
    uint64_t id;          /* the hash's first 8 bytes, big-endian: tiso_decision.policy_id */
} tiso_provenance;

/* Fills `*out` with the policy's provenance. Returns TISO_OK or
 * TISO_E_INVALID_ARGUMENT (NULL). */
TISO_API tiso_status tiso_policy_provenance(tiso_provenance *out, const tiso_policy *policy);

/* Writes the policy as a normalized admin-API document
 * {"properties": {"tenantId", "isDisabled", "allowedTenants": [...]}}, with
 * canonical lowercase IDs, entries in their original order, display names and
 * domains kept, unknown keys dropped. `*out` is NUL-terminated, owned by the
 * caller and freed with tiso_free; `*out_len` (may be NULL) gets its length.
 * `pretty` nonzero indents it. Returns TISO_OK, TISO_E_NOMEM or
 * TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_policy_to_json(char **out, size_t *out_len, const tiso_policy *policy, int pretty,
                                         tiso_error *err);

/* ---- Comparing two policies, as the service applies them. ---- */

/* How one tenant's (or "*"'s) grant differs from `before` to `after`. */
typedef enum tiso_policy_change_kind {
    TISO_CHANGE_ADDED = 1,   /* only `after` lists the tenant */
    TISO_CHANGE_REMOVED = 2, /* only `before` lists it */
    TISO_CHANGE_CHANGED = 3  /* both list it, granting other directions */
} tiso_policy_change_kind;

typedef struct tiso_policy_change {
    tiso_policy_change_kind kind;
    tiso_tenant_id tenant; /* all zero for "*" */
    int is_wildcard;       /* 1 for "*" */
    unsigned before;       /* directions `before` grants it (TISO_ALLOW_* bits; 0 when added) */
    unsigned after;        /* directions `after` grants it (0 when removed) */
    const char *label;     /* borrowed from the policies, valid while they are: the display name, else the
                              domain, of the tenant's first entry with either in `after`, else in `before`;
                              NULL if none has one */
} tiso_policy_change;

/* Called once per change, `change` valid only during the call. */
typedef void (*tiso_policy_change_fn)(void *user, const tiso_policy_change *change);

typedef struct tiso_policy_comparison {
    size_t added, removed, changed; /* changes of each kind */
    int isolation_before;           /* tiso_policy_isolation_enabled(before) */
    int isolation_after;            /* tiso_policy_isolation_enabled(after) */
} tiso_policy_comparison;

/* Compares the allowlists of `before` and `after` tenant by tenant, as the
 * service applies them: a tenant's grant is the union of the directions of
 * all its entries (so entry order and repeats do not matter), and a tenant
 * listed with no direction is still listed. Calls `fn` (may be NULL: only
 * counts) once per tenant whose grant differs, "*" first, then by tenant ID
 * bytes, and fills `*out` with the counts and both isolation flags. The home
 * tenant, evaluateNonEntraConnectors and labels are not compared. Returns
 * TISO_OK, or before any call of `fn` and with `*out` zeroed:
 * TISO_E_INVALID_ARGUMENT (a NULL `out`, `before` or `after`) or
 * TISO_E_NOMEM. */
TISO_API tiso_status tiso_policy_compare(tiso_policy_comparison *out, tiso_policy_change_fn fn, void *user,
                                         const tiso_policy *before, const tiso_policy *after, tiso_error *err);

/* ---- Building a policy in code (for harnesses and tools). ---- */

/* Creates an empty builder: no home tenant, isolation on, no entries.
 * The caller owns `*out`. Returns TISO_OK, TISO_E_NOMEM or
 * TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_policy_builder_new(tiso_policy_builder **out, tiso_error *err);

/* Sets the home tenant; NULL clears it. Returns TISO_OK,
 * TISO_E_INVALID_TENANT (nil) or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_policy_builder_set_home(tiso_policy_builder *b, const tiso_tenant_id *home);

/* Turns isolation on (nonzero) or off (0). Returns TISO_OK or
 * TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_policy_builder_set_isolation(tiso_policy_builder *b, int enabled);

/* Sets the evaluateNonEntraConnectors extension: nonzero evaluates non-Entra
 * connectors too (rule 3). Returns TISO_OK or TISO_E_INVALID_ARGUMENT (NULL
 * builder). */
TISO_API tiso_status tiso_policy_builder_set_evaluate_non_entra(tiso_policy_builder *b, int enabled);

/* Appends an allowlist entry for `tenant`, or the "*" entry when `tenant` is
 * NULL, with `directions` (TISO_ALLOW_* bits) and an optional display name and
 * domain (both copied; may be NULL). Returns TISO_OK, TISO_E_INVALID_TENANT
 * (nil), TISO_E_INVALID_DOMAIN, TISO_E_LIMIT (1,000,000 entries or a string
 * over 1024 bytes), TISO_E_NOMEM or TISO_E_INVALID_ARGUMENT (NULL builder,
 * unknown bits, a display name that is not valid UTF-8, or a domain on the
 * "*" entry). */
TISO_API tiso_status tiso_policy_builder_add(tiso_policy_builder *b, const tiso_tenant_id *tenant,
                                             unsigned directions, const char *display_name,
                                             const char *domain, tiso_error *err);

/* Builds an immutable, indexed policy from the builder's current content.
 * The builder is left as it was and may be built again or freed. The caller
 * owns `*out`. Returns TISO_OK, TISO_E_NOMEM or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_policy_builder_build(tiso_policy **out, const tiso_policy_builder *b,
                                               tiso_error *err);

/* Frees a builder. NULL is fine. */
TISO_API void tiso_policy_builder_free(tiso_policy_builder *b);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_POLICY_H */
