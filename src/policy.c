/* A loaded policy: reference counting and the read-only getters. */
#include <string.h>

#include "policy_internal.h"

tiso_policy *tiso_policy_ref(tiso_policy *policy)
{
    if (policy)
        atomic_fetch_add_explicit(&policy->refs, 1, memory_order_relaxed);
    return policy;
}

void tiso_policy_free(tiso_policy *policy)
{
    if (!policy)
        return;
    /* acq_rel: the last owner must see every other owner's reads finished. */
    if (atomic_fetch_sub_explicit(&policy->refs, 1, memory_order_acq_rel) != 1)
        return;
    tiso__id_table_free(&policy->index);
    for (size_t i = 0; i < policy->warning_count; i++) {
        tiso__free(policy->warnings[i].path);
        tiso__free(policy->warnings[i].message);
    }
    tiso__free(policy->warnings);
    tiso__free(policy->entries);
    tiso__free(policy->strings);
    tiso__free(policy->source);
    tiso__free(policy->origin);
    tiso__free(policy);
}

int tiso_policy_home_tenant(tiso_tenant_id *out, const tiso_policy *policy)
{
    if (!policy || !policy->has_home)
        return 0;
    if (out)
        *out = policy->home;
    return 1;
}

int tiso_policy_isolation_enabled(const tiso_policy *policy)
{
    return policy ? policy->isolation : 1;
}

int tiso_policy_evaluates_non_entra(const tiso_policy *policy)
{
    return policy && policy->evaluate_non_entra;
}

size_t tiso_policy_entry_count(const tiso_policy *policy)
{
    return policy ? policy->entry_count : 0;
}

tiso_status tiso_policy_entry_at(tiso_policy_entry *out, const tiso_policy *policy, size_t index)
{
    if (!policy || !out || index >= policy->entry_count)
        return TISO_E_INVALID_ARGUMENT;
    const tiso__entry *e = &policy->entries[index];
    memset(out, 0, sizeof *out);
    out->is_wildcard = e->slot == TISO_NO_SLOT;
    if (!out->is_wildcard)
        out->tenant = policy->index.slots[e->slot].key;
    out->directions = e->dirs;
    out->display_name = tiso__arena_str(policy->strings, e->name);
    out->domain = tiso__arena_str(policy->strings, e->domain);
    return TISO_OK;
}

size_t tiso_policy_warning_count(const tiso_policy *policy)
{
    return policy ? policy->warning_count : 0;
}

tiso_status tiso_policy_warning_at(tiso_warning *out, const tiso_policy *policy, size_t index)
{
    if (!policy || !out || index >= policy->warning_count)
        return TISO_E_INVALID_ARGUMENT;
    const tiso__warning *w = &policy->warnings[index];
    *out = (tiso_warning){w->code, w->path, w->message};
    return TISO_OK;
}

const char *tiso_warning_code_name(tiso_warning_code code)
{
    switch (code) {
    case TISO_WARN_DUPLICATE_TENANT:
        return "duplicate_tenant";
    case TISO_WARN_EMPTY_ENTRY:
        return "empty_entry";
    case TISO_WARN_HOME_TENANT_LISTED:
        return "home_tenant_listed";
    case TISO_WARN_UNKNOWN_KEY:
        return "unknown_key";
    case TISO_WARN_MISSING_IS_DISABLED:
        return "missing_is_disabled";
    case TISO_WARN_MORE:
        return "more_warnings";
    case TISO_WARN_OVER_SERVICE_LIMIT:
        return "over_service_limit";
    }
    return "unknown";
}

const char *tiso_policy_source(const tiso_policy *policy)
{
    return policy && policy->source ? policy->source : "";
}

tiso_status tiso_policy_provenance(tiso_provenance *out, const tiso_policy *policy)
{
    if (!policy || !out)
        return TISO_E_INVALID_ARGUMENT;
    static const char digits[] = "0123456789abcdef";
    memset(out, 0, sizeof *out);
    out->source = tiso_policy_source(policy);
    out->loaded_at_ns = policy->loaded_at_ns;
    memcpy(out->sha256, policy->sha256, sizeof out->sha256);
    for (unsigned i = 0; i < 32; i++) {
        out->sha256_hex[2 * i] = digits[policy->sha256[i] >> 4];
        out->sha256_hex[2 * i + 1] = digits[policy->sha256[i] & 15];
    }
    out->id = policy->id;
    return TISO_OK;
}
