/* The evaluator: SPEC 3's rules in order. This is the hot path of every
 * connection a gateway makes: no allocation, no lock, one hash lookup. */
#include <string.h>

#include "evaluator.h"

tiso_status tiso__deny_error(tiso_decision *out, tiso_status status)
{
    if (out) {
        memset(out, 0, sizeof *out);
        out->verdict = TISO_DENY;
        out->reason = TISO_REASON_NONE;
        out->rule = -1;
    }
    return status;
}

/* Rule 4: which side is external, or why the policy has no say. */
static inline tiso_status pick_direction(const tiso_policy *p, const tiso_tenant_id *creator,
                                         const tiso_tenant_id *target, tiso_direction *dir)
{
    switch (*dir) {
    case TISO_DIRECTION_AUTO:
        if (!p->has_home)
            return TISO_E_NO_HOME_TENANT;
        *dir = tiso__id_eq(creator, &p->home)   ? TISO_DIRECTION_OUTBOUND
               : tiso__id_eq(target, &p->home) ? TISO_DIRECTION_INBOUND
                                               : TISO_DIRECTION_NONE;
        return TISO_OK;
    case TISO_DIRECTION_OUTBOUND:
        return p->has_home && !tiso__id_eq(creator, &p->home) ? TISO_E_INCONSISTENT_DIRECTION : TISO_OK;
    case TISO_DIRECTION_INBOUND:
        return p->has_home && !tiso__id_eq(target, &p->home) ? TISO_E_INCONSISTENT_DIRECTION : TISO_OK;
    case TISO_DIRECTION_NONE:
        break;
    }
    return TISO_E_INVALID_ARGUMENT; /* the callers refused it already; fail closed all the same */
}

tiso_status tiso__decide(tiso_decision *out, const tiso_policy *p, const tiso_tenant_id *creator,
                         const tiso_tenant_id *target, tiso_direction direction, bool non_entra)
{
    out->creator = *creator;
    out->target = *target;
    out->policy_id = p->id;
    if (tiso__id_eq(creator, target))
        return tiso__decision_set(out, TISO_ALLOW, TISO_REASON_SAME_TENANT, TISO_DIRECTION_NONE, -1, &tiso__no_tenant,
                                  &tiso__no_tenant);
    if (non_entra && !p->evaluate_non_entra)
        return tiso__decision_set(out, TISO_ALLOW, TISO_REASON_NOT_EVALUATED_NON_ENTRA, TISO_DIRECTION_NONE, -1,
                                  &tiso__no_tenant, &tiso__no_tenant);
    tiso_status s = pick_direction(p, creator, target, &direction);
    if (TISO_UNLIKELY(s != TISO_OK))
        return tiso__deny_error(out, s);
    if (direction == TISO_DIRECTION_NONE)
        return tiso__decision_set(out, TISO_ALLOW, TISO_REASON_NOT_APPLICABLE, TISO_DIRECTION_NONE, -1,
                                  &tiso__no_tenant, &tiso__no_tenant);
    bool inbound = direction == TISO_DIRECTION_INBOUND;
    const tiso_tenant_id *external = inbound ? creator : target;
    if (!p->isolation)
        return tiso__decision_set(out, TISO_ALLOW, TISO_REASON_ISOLATION_DISABLED, direction, -1, external,
                                  &tiso__no_tenant);
    const tiso__id_slot *slot = tiso__id_table_find(&p->index, external);
    if (slot && slot->rule[!inbound] >= 0)
        return tiso__decision_set(out, TISO_ALLOW, TISO_REASON_ALLOWLISTED, direction, slot->rule[!inbound], external,
                                  &tiso__no_tenant);
    if (p->wildcard_rule[!inbound] >= 0)
        return tiso__decision_set(out, TISO_ALLOW, TISO_REASON_WILDCARD, direction, p->wildcard_rule[!inbound],
                                  external, &tiso__no_tenant);
    return tiso__decision_set(out, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, direction, -1, external,
                              inbound ? target : creator);
}

/* The arguments, before any rule: a bad direction is an error even where
 * rule 2 would allow. */
static inline tiso_status check_ids(const tiso_decision *out, const tiso_policy *p, const tiso_tenant_id *c,
                                    const tiso_tenant_id *t, tiso_direction direction)
{
    if (TISO_UNLIKELY(!out || !p || !c || !t))
        return TISO_E_INVALID_ARGUMENT;
    if (TISO_UNLIKELY(tiso__id_nil(c) || tiso__id_nil(t)))
        return TISO_E_INVALID_TENANT;
    return TISO_LIKELY(tiso__direction_valid(direction)) ? TISO_OK : TISO_E_INVALID_ARGUMENT;
}

tiso_status tiso_evaluate_ids(tiso_decision *out, const tiso_policy *policy, const tiso_tenant_id *creator,
                              const tiso_tenant_id *target, tiso_direction direction)
{
    tiso_status s = check_ids(out, policy, creator, target, direction);
    if (TISO_UNLIKELY(s != TISO_OK))
        return tiso__deny_error(out, s);
    return tiso__decide(out, policy, creator, target, direction, false);
}

/* Parses a NUL-terminated tenant ID without reading past its end. */
static inline tiso_status parse_cstr(tiso_tenant_id *out, const char *s)
{
    return tiso__tenant_id_parse(out, s, strnlen(s, TISO_TENANT_ID_LEN + 1));
}

tiso_status tiso_evaluate(tiso_decision *out, const tiso_policy *policy, const char *creator, const char *target,
                          tiso_direction direction)
{
    if (TISO_UNLIKELY(!out || !policy || !creator || !target))
        return tiso__deny_error(out, TISO_E_INVALID_ARGUMENT);
    tiso_tenant_id c, t;
    if (TISO_UNLIKELY(parse_cstr(&c, creator) != TISO_OK || parse_cstr(&t, target) != TISO_OK))
        return tiso__deny_error(out, TISO_E_INVALID_TENANT);
    if (TISO_UNLIKELY(!tiso__direction_valid(direction)))
        return tiso__deny_error(out, TISO_E_INVALID_ARGUMENT);
    return tiso__decide(out, policy, &c, &t, direction, false);
}

bool tiso__request_non_entra(const tiso_request *r, tiso_status *status)
{
    *status = TISO_OK;
    switch (r->auth) {
    case TISO_AUTH_UNKNOWN:
        return tiso__connector_is_non_entra(r->connector);
    case TISO_AUTH_ENTRA:
        return false;
    case TISO_AUTH_NON_ENTRA:
        return true;
    }
    *status = TISO_E_INVALID_ARGUMENT;
    return false;
}

tiso_status tiso_evaluate_request(tiso_decision *out, const tiso_policy *policy, const tiso_request *request)
{
    if (!request)
        return tiso__deny_error(out, TISO_E_INVALID_ARGUMENT);
    tiso_status s = check_ids(out, policy, &request->creator, &request->target, request->direction);
    bool non_entra = s == TISO_OK ? tiso__request_non_entra(request, &s) : false;
    if (s != TISO_OK)
        return tiso__deny_error(out, s);
    return tiso__decide(out, policy, &request->creator, &request->target, request->direction, non_entra);
}
