/* The inside of a policy and of its builder. Shared by the loader, the
 * builder, the writer, the evaluator and policy sets; never installed. */
#ifndef TISO_POLICY_INTERNAL_H
#define TISO_POLICY_INTERNAL_H

#include <stdatomic.h>

#include "id_table.h"
#include "internal.h"

#define TISO_MAX_WARNINGS 1000
#define TISO_NO_SLOT UINT32_MAX

/* One allowedTenants entry as kept after loading: 16 bytes. The tenant ID
 * lives once, in the index slot; strings live in one arena. */
typedef struct tiso__entry {
    uint32_t slot;   /* index of the tenant's slot; TISO_NO_SLOT for "*" */
    uint32_t name;   /* offset + 1 of tenantDisplayName in the arena; 0 none */
    uint32_t domain; /* offset + 1 of the domain in the arena; 0 none */
    uint8_t dirs;    /* TISO_ALLOW_* bits */
} tiso__entry;

typedef struct tiso__warning {
    tiso_warning_code code;
    char *path;
    char *message;
} tiso__warning;

typedef struct tiso__warnings {
    tiso__warning *items;
    size_t count, cap;
    size_t dropped; /* warnings past TISO_MAX_WARNINGS */
} tiso__warnings;

struct tiso_policy {
    /* Read by every decision: kept together at the front. */
    tiso__id_table index;
    tiso_tenant_id home;
    bool has_home;
    bool isolation;
    bool evaluate_non_entra;
    int32_t wildcard_rule[2]; /* first "*" entry allowing [0] inbound, [1] outbound; -1 none */
    uint64_t id;              /* provenance ID: first 8 bytes of sha256 */
    /* Cold: for readers, writers and reports. */
    atomic_size_t refs;
    tiso__entry *entries;
    size_t entry_count;
    char *strings;
    size_t strings_len;
    tiso__warning *warnings;
    size_t warning_count;
    char *source;
    char *origin; /* the file it was loaded from (NULL otherwise): what owns it in a set */
    int64_t loaded_at_ns;
    uint8_t sha256[32];
};

/* An entry as the builder collects it, before indexing. */
typedef struct tiso__draft_entry {
    tiso_tenant_id tenant; /* nil for "*" */
    uint32_t name, domain; /* offset + 1 into the builder's arena; 0 none */
    uint8_t dirs;
} tiso__draft_entry;

struct tiso_policy_builder {
    tiso_tenant_id home;
    bool has_home;
    bool isolation;
    bool evaluate_non_entra;
    tiso__draft_entry *entries;
    size_t count, cap;
    tiso__arena strings;
    tiso__warnings warnings;   /* found by the loader; copied into the policy */
    const char *path_prefix;   /* "properties." when the document had the wrapper */
    uint32_t max_entries;
    uint32_t max_string_bytes;
    const char *source;        /* borrowed */
    const char *origin;        /* borrowed: the file read, NULL for a document in memory */
};

/* Adds a warning; formats the message. Returns TISO_E_NOMEM on failure. */
tiso_status tiso__warn(tiso__warnings *w, tiso_warning_code code, const char *path, const char *fmt, ...)
    TISO_PRINTF(4, 5);
void tiso__warnings_free(tiso__warnings *w);

/* Builder steps shared by the public builder and the loader. */
void tiso__builder_init(tiso_policy_builder *b);
void tiso__builder_clear(tiso_policy_builder *b);
tiso_status tiso__builder_add(tiso_policy_builder *b, const tiso_tenant_id *tenant, unsigned dirs,
                              const char *name, size_t name_len, const char *domain, size_t domain_len,
                              tiso_error *err);
tiso_status tiso__builder_build(tiso_policy **out, const tiso_policy_builder *b, tiso_error *err);

/* policy_set.c: puts `policy`, read from a file, into `set`, replacing only
 * a policy the same file gave (TISO_E_CONFLICT otherwise). When `old_home`
 * (may be NULL) is another home that holds a policy from that file, it
 * leaves the set in the same atomic change. For the watcher. */
tiso_status tiso__policy_set_put_file(tiso_policy_set *set, tiso_policy *policy, const tiso_tenant_id *old_home,
                                      tiso_error *err);

/* policy_set.c: decides requests[0..count) one by one (as
 * tiso_policy_set_decide, arguments already checked) inside one epoch, so
 * the whole batch sees one snapshot of the set. */
void tiso__policy_set_decide_each(tiso_set_decision *out, tiso_status *statuses, tiso_policy_set *set,
                                  const tiso_request *requests, size_t count);

/* policy_set.c: sets all three decisions of `out` to the fail-closed deny. */
void tiso__set_decision_fail_closed(tiso_set_decision *out, tiso_status st);

/* The arena string at `ref` (offset + 1), or NULL for 0. */
static inline const char *tiso__arena_str(const char *arena, uint32_t ref)
{
    return ref ? arena + ref - 1 : NULL;
}

#endif /* TISO_POLICY_INTERNAL_H */
