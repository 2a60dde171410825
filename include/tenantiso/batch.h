/* libtenantiso: many decisions in one call, for bindings and bulk callers.
 *
 * A call from another language costs far more than a decision (a ctypes call
 * is microseconds, a decision tens of nanoseconds), so these take arrays of
 * parsed requests (tiso_request, see eval.h: fixed layout, tenant IDs as 16
 * bytes) and fill an array of decisions and an array of statuses, one each
 * per request, in order.
 *
 * A bad request denies that request only: its status says why (as
 * tiso_evaluate_request or tiso_policy_set_decide would) and its decision is
 * the fail-closed deny; the others are decided as if asked one at a time.
 *
 * Ownership: every array is the caller's. The library reads `requests`
 * (and each request's `connector` string) and writes `out` and `statuses`
 * during the call only; it keeps no pointer to any of them. The arrays must
 * not overlap.
 *
 * No allocation, no lock: the cost per request is that of one decision. */
#ifndef TENANTISO_BATCH_H
#define TENANTISO_BATCH_H

#include "common.h"
#include "eval.h"
#include "policyset.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decides `count` requests against one policy: out[i] and statuses[i] are
 * what tiso_evaluate_request gives for requests[i]. Returns TISO_OK when the
 * call was made properly, whatever the requests' own statuses (read
 * `statuses`); TISO_E_INVALID_ARGUMENT when `count` is not 0 and `out`,
 * `statuses`, `policy` or `requests` is NULL: then every out[i] that can be
 * written is a deny and every statuses[i] TISO_E_INVALID_ARGUMENT. `count` 0
 * does nothing and returns TISO_OK. Any number of threads may call this on
 * one policy at once. */
TISO_API tiso_status tiso_evaluate_batch(tiso_decision *out, tiso_status *statuses, const tiso_policy *policy,
                                         const tiso_request *requests, size_t count);

/* Decides `count` requests against a policy set, both sides each (see
 * tiso_policy_set_decide): out[i] and statuses[i] are what it gives for
 * requests[i], and the audit hook, if set, is called once per request. The
 * whole batch sees one version of the set: a put or remove on another thread
 * lands before the batch or after it, never in the middle (the writer waits
 * for the batch to end, as it waits for any evaluation). Returns as
 * tiso_evaluate_batch, with `set` for `policy`. */
TISO_API tiso_status tiso_policy_set_decide_batch(tiso_set_decision *out, tiso_status *statuses,
                                                  tiso_policy_set *set, const tiso_request *requests,
                                                  size_t count);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_BATCH_H */
