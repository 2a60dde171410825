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
