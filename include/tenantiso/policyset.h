/* libtenantiso: policy sets and two-sided evaluation (SPEC 3.1).
 *
 * A cross-tenant connection must pass both tenants' policies: the creator's
 * outbound rules and the target's inbound rules. A policy set holds one
 * policy per home tenant and allows a connection only if both sides allow.
 * A tenant with no policy in the set behaves as isolation off (Power
 * Platform's default) unless the set treats unknown tenants as isolated.
 *
 * A set is never easier to pass than its two sides:
 *   - Both sides, always. A request's direction cannot narrow the check:
 *     an explicit INBOUND or OUTBOUND gets the same two-sided decision as
 *     AUTO (requests reach a gateway from callers it does not trust).
 *   - One policy per home tenant. Adding a second policy for a home is
 *     TISO_E_CONFLICT (tiso_policy_set_add, tiso_policy_set_load_file, the
 *     watcher); only tiso_policy_set_put replaces, because its caller says so.
 *   - A reload replaces only what it owns: a file may replace the policy it
 *     gave itself, never one that came from another file.
 *
 * Thread safety: evaluation takes no lock and may run on any number of
 * threads while another thread puts or removes policies. Each evaluation sees
 * the whole set either before or after a change, never a mix; a replaced
 * policy is released once no evaluation still uses it. Writers (put, remove)
 * are serialized with each other by an internal mutex. */
#ifndef TENANTISO_POLICYSET_H
#define TENANTISO_POLICYSET_H

#include "common.h"
#include "eval.h"
#include "policy.h"
#include "tenant.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tiso_policy_set tiso_policy_set;

/* Set behaviour flags. */
#define TISO_SET_UNKNOWN_ISOLATED 0x1u /* a tenant without a policy is isolated with an empty allowlist */

/* Creates an empty set with `flags` (TISO_SET_* bits). The caller owns `*out`
 * and frees it with tiso_policy_set_free. Returns TISO_OK, TISO_E_NOMEM or
 * TISO_E_INVALID_ARGUMENT (unknown flag bits). */
TISO_API tiso_status tiso_policy_set_new(tiso_policy_set **out, unsigned flags, tiso_error *err);

/* Adds `policy` for its home tenant, which must have no policy in the set
 * yet. The set takes its own reference; the caller keeps theirs. Returns
 * TISO_OK, TISO_E_CONFLICT (the home has a policy: the set is unchanged and
 * `err` names both sources), TISO_E_NO_HOME_TENANT (the policy has none),
 * TISO_E_NOMEM (the set is unchanged) or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_policy_set_add(tiso_policy_set *set, tiso_policy *policy, tiso_error *err);

/* Adds `policy` for its home tenant, or atomically replaces the policy that
 * tenant had: the explicit replacement, for a caller that means it. The set
 * takes its own reference; the caller keeps theirs. Returns TISO_OK,
 * TISO_E_NO_HOME_TENANT (the policy has none), TISO_E_NOMEM (the set is
 * unchanged) or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_policy_set_put(tiso_policy_set *set, tiso_policy *policy, tiso_error *err);

/* Removes the policy of `home`, atomically. Returns TISO_OK, TISO_E_NOT_FOUND
 * (no such policy), TISO_E_NOMEM or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_policy_set_remove(tiso_policy_set *set, const tiso_tenant_id *home,
                                            tiso_error *err);

/* Gives the caller a new reference to the policy of `home` (free it with
 * tiso_policy_free). Returns TISO_OK, TISO_E_NOT_FOUND or
 * TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_policy_set_get(tiso_policy **out, tiso_policy_set *set, const tiso_tenant_id *home);

/* Number of policies in the set (0 for NULL). */
TISO_API size_t tiso_policy_set_count(tiso_policy_set *set);

/* A two-sided decision with both of its sides. */
typedef struct tiso_set_decision {
    tiso_decision decision; /* the connection's: what tiso_policy_set_evaluate_request gives */
    tiso_decision outbound; /* the creator's policy (or default) on the outbound side */
    tiso_decision inbound;  /* the target's policy (or default) on the inbound side */
} tiso_set_decision;

/* Two-sided evaluation on parsed IDs, with an optional connector. Both
 * sides are always decided: the request's direction is checked to be AUTO,
 * INBOUND or OUTBOUND and then changes nothing (see above). The connection
 * is allowed only if both sides allow. `out->decision` is the first side
 * that denies, the creator's first, with `blocked_by` naming that tenant;
 * for an allow, the side that matched an allowlist or wildcard entry if
 * only one did, else the outbound side. The same tenant on both sides is
 * allowed as TISO_REASON_SAME_TENANT on all three. Returns TISO_OK,
 * TISO_E_INVALID_TENANT (a nil ID), TISO_E_INVALID_ARGUMENT (NULL, a bad
 * direction or auth kind); on any error all three decisions are the
 * fail-closed deny. The audit hook, if set, is called exactly once. */
TISO_API tiso_status tiso_policy_set_decide(tiso_set_decision *out, tiso_policy_set *set,
                                            const tiso_request *request);

/* The same, giving only the connection's decision (`decision` above). */
TISO_API tiso_status tiso_policy_set_evaluate_request(tiso_decision *out, tiso_policy_set *set,
                                                      const tiso_request *request);

/* The same from NUL-terminated tenant ID strings, with no connector. */
TISO_API tiso_status tiso_policy_set_evaluate(tiso_decision *out, tiso_policy_set *set,
                                              const char *creator, const char *target,
                                              tiso_direction direction);

/* Loads the policy file at `path` and adds it to the set, or replaces the
 * policy that the same file (the same `path`) gave earlier: a reload. The
 * new document is parsed and validated first, so when it is invalid the set
 * keeps the policy it had and `err` says why. When the home tenant holds a
 * policy from anywhere else (another file, tiso_policy_set_put or _add),
 * the set is unchanged and the call fails with TISO_E_CONFLICT. Returns
 * TISO_OK, TISO_E_CONFLICT, or any status of tiso_policy_load_file and
 * tiso_policy_set_add. */
TISO_API tiso_status tiso_policy_set_load_file(tiso_policy_set *set, const char *path,
                                               const tiso_load_options *opts, tiso_error *err);

/* What an audit hook receives for each decision. Everything is borrowed for
 * the duration of the call only: copy what you keep. */
typedef struct tiso_audit_record {
    const tiso_request *request;         /* the request as evaluated */
    const tiso_decision *decision;       /* the decision returned to the caller */
    tiso_status status;                  /* TISO_OK, or the error that made the decision a deny */
    const tiso_policy *outbound_policy;  /* the creator's policy, or NULL when it has none */
    const tiso_policy *inbound_policy;   /* the target's policy, or NULL when it has none */
    const tiso_decision *outbound;       /* the outbound side's decision (see tiso_set_decision) */
    const tiso_decision *inbound;        /* the inbound side's decision */
} tiso_audit_record;

/* Called on the evaluating thread, after the decision is made and before
 * the evaluation returns. It may run on many threads at once. It must not
 * put, remove or set the audit hook of the same set (that would wait for
 * itself). */
typedef void (*tiso_audit_fn)(void *user, const tiso_audit_record *record);

/* Sets the hook that receives every decision of tiso_policy_set_evaluate*
 * (`fn` NULL removes it; `user` is passed back and stays the caller's). The
 * change is atomic like a put: an evaluation uses the old hook or the new.
 * With no hook set, evaluation pays one predictable branch. Returns TISO_OK,
 * TISO_E_NOMEM or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_policy_set_set_audit(tiso_policy_set *set, tiso_audit_fn fn, void *user,
                                               tiso_error *err);

/* Frees the set and drops its references. No evaluation may be running on
 * it. NULL is fine. */
TISO_API void tiso_policy_set_free(tiso_policy_set *set);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_POLICYSET_H */
