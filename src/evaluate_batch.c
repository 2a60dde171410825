/* The batch calls (batch.h): many requests, one call, one decision and one
 * status each. They add nothing to the rules: each request is decided by
 * the single-request path, so a batch and a loop cannot disagree. */
#include "evaluator.h"

/* Misuse: every slot that can be written says so and denies. */
static tiso_status refuse(tiso_decision *out, tiso_set_decision *set_out, tiso_status *statuses, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (out)
            tiso__deny_error(&out[i], TISO_E_INVALID_ARGUMENT);
        if (set_out)
            tiso__set_decision_fail_closed(&set_out[i], TISO_E_INVALID_ARGUMENT);
        if (statuses)
            statuses[i] = TISO_E_INVALID_ARGUMENT;
    }
    return TISO_E_INVALID_ARGUMENT;
}

tiso_status tiso_evaluate_batch(tiso_decision *out, tiso_status *statuses, const tiso_policy *policy,
                                const tiso_request *requests, size_t count)
{
    if (count == 0)
        return TISO_OK;
    if (!out || !statuses || !policy || !requests)
        return refuse(out, NULL, statuses, count);
    for (size_t i = 0; i < count; i++)
        statuses[i] = tiso_evaluate_request(&out[i], policy, &requests[i]);
    return TISO_OK;
}

tiso_status tiso_policy_set_decide_batch(tiso_set_decision *out, tiso_status *statuses, tiso_policy_set *set,
                                         const tiso_request *requests, size_t count)
{
    if (count == 0)
        return TISO_OK;
    if (!out || !statuses || !set || !requests)
        return refuse(NULL, out, statuses, count);
    tiso__policy_set_decide_each(out, statuses, set, requests, count);
    return TISO_OK;
}
