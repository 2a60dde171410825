/* The decision on parsed IDs, shared by single policies and policy sets. */
#ifndef TISO_EVALUATOR_H
#define TISO_EVALUATOR_H

#include "policy_internal.h"

/* Whether `d` may be asked for: AUTO, INBOUND or OUTBOUND. The public entry
 * points check it before anything else is decided (rule 2 included). */
static inline bool tiso__direction_valid(tiso_direction d)
{
    return d == TISO_DIRECTION_AUTO || d == TISO_DIRECTION_INBOUND || d == TISO_DIRECTION_OUTBOUND;
}

/* The all-zero tenant ID: "none" in a decision's external_tenant and
 * blocked_by. Static, so the compiler stores zeros instead of loading it. */
static const tiso_tenant_id tiso__no_tenant = {{0}};

/* Fills every field of `out` but creator, target and policy_id, with plain
 * stores: this runs on every decision (twice for a set), and a memset or a
 * compound literal of the whole struct compiles to a slow string
 * instruction. Returns TISO_OK. */
static inline tiso_status tiso__decision_set(tiso_decision *out, tiso_verdict v, tiso_reason r, tiso_direction d,
                                             int32_t rule, const tiso_tenant_id *external,
                                             const tiso_tenant_id *blocked_by)
{
    out->verdict = v;
    out->reason = r;
    out->direction = d;
    out->rule = rule;
    out->external_tenant = *external;
    out->blocked_by = *blocked_by;
    return TISO_OK;
}

/* Applies SPEC 3's rules 2 to 8 to valid (non-nil) IDs and a valid
 * direction. `non_entra` says the connector does not use Entra ID tokens.
 * On error `*out` is a deny. */
tiso_status tiso__decide(tiso_decision *out, const tiso_policy *p, const tiso_tenant_id *creator,
                         const tiso_tenant_id *target, tiso_direction direction, bool non_entra);

/* Sets `*out` to the fail-closed decision for an error and returns `status`. */
tiso_status tiso__deny_error(tiso_decision *out, tiso_status status);

/* Resolves a request's auth kind to "not an Entra connector"; false and
 * TISO_E_INVALID_ARGUMENT in *status for a bad enum value. */
bool tiso__request_non_entra(const tiso_request *r, tiso_status *status);

#endif /* TISO_EVALUATOR_H */
