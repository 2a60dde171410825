/* libtenantiso: the decision.
 *
 * Rules (SPEC section 3), applied in order; the first that applies decides:
 *   1. an invalid tenant ID is an error, never a verdict;
 *   2. creator == target: allow, TISO_REASON_SAME_TENANT;
 *   3. a connector that does not use Entra ID tokens: allow,
 *      TISO_REASON_NOT_EVALUATED_NON_ENTRA (unless the policy sets
 *      evaluateNonEntraConnectors);
 *   4. direction: auto picks outbound (creator is home) or inbound (target is
 *      home), or allows with TISO_REASON_NOT_APPLICABLE when neither is; an
 *      explicit direction that contradicts the home tenant is an error;
 *   5. isolation off: allow, TISO_REASON_ISOLATION_DISABLED;
 *   6. the external tenant is allowlisted for the direction: allow,
 *      TISO_REASON_ALLOWLISTED, with the entry's index;
 *   7. a "*" entry allows the direction: allow, TISO_REASON_WILDCARD;
 *   8. otherwise deny, TISO_REASON_NOT_ALLOWLISTED.
 *
 * Fail closed: when a function here returns anything but TISO_OK, `*out` is
 * set to a deny with TISO_REASON_NONE, so a caller that ignores the status
 * still denies.
 *
 * Thread safety: a loaded policy is immutable; any number of threads may
 * evaluate it at once. Evaluation takes no lock and allocates nothing. */
#ifndef TENANTISO_EVAL_H
#define TENANTISO_EVAL_H

#include "common.h"
#include "tenant.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tiso_policy tiso_policy;

typedef enum tiso_verdict { TISO_DENY = 0, TISO_ALLOW = 1 } tiso_verdict;

/* Why. The names (tiso_reason_name) are the exact strings of SPEC 3. */
typedef enum tiso_reason {
    TISO_REASON_NONE = 0, /* no decision was made (an error) */
    TISO_REASON_SAME_TENANT = 1,
    TISO_REASON_NOT_EVALUATED_NON_ENTRA = 2,
    TISO_REASON_NOT_APPLICABLE = 3,
    TISO_REASON_ISOLATION_DISABLED = 4,
    TISO_REASON_ALLOWLISTED = 5,
    TISO_REASON_WILDCARD = 6,
    TISO_REASON_NOT_ALLOWLISTED = 7
} tiso_reason;

/* Seen from the home tenant. AUTO is accepted only as input. */
typedef enum tiso_direction {
    TISO_DIRECTION_NONE = 0,
    TISO_DIRECTION_INBOUND = 1,
    TISO_DIRECTION_OUTBOUND = 2,
    TISO_DIRECTION_AUTO = 3
} tiso_direction;

/* How a connector authenticates. UNKNOWN means "look the connector up in the
 * library's list of known non-Entra connectors; Entra if absent". */
typedef enum tiso_auth_kind {
    TISO_AUTH_UNKNOWN = 0,
    TISO_AUTH_ENTRA = 1,
    TISO_AUTH_NON_ENTRA = 2
} tiso_auth_kind;

typedef struct tiso_decision {
    tiso_verdict verdict;           /* TISO_DENY = 0, TISO_ALLOW = 1 */
    tiso_reason reason;             /* TISO_REASON_SAME_TENANT, ... (section 3) */
    tiso_direction direction;       /* NONE, INBOUND or OUTBOUND */
    int32_t rule;                   /* index in allowedTenants, -1 for none */
    tiso_tenant_id external_tenant; /* all zero for none */
    /* Fields beyond the fixed core: */
    tiso_tenant_id creator;         /* the request's creator tenant */
    tiso_tenant_id target;          /* the request's target tenant */
    tiso_tenant_id blocked_by;      /* deny: the tenant whose policy blocked; all zero otherwise */
    uint64_t policy_id;             /* provenance ID of the policy that decided (see
                                       tiso_policy_provenance); 0 when no policy did */
} tiso_decision;

/* A full request, for what the short forms cannot say. */
typedef struct tiso_request {
    tiso_tenant_id creator;
    tiso_tenant_id target;
    tiso_direction direction;  /* AUTO, INBOUND or OUTBOUND */
    const char *connector;     /* e.g. "shared_office365" or an API path ending in it; NULL: none */
    tiso_auth_kind auth;       /* UNKNOWN: decided by the known list from `connector` */
} tiso_request;

/* Evaluates a connection from `creator` to `target` (NUL-terminated tenant
 * IDs, not domains: resolve domains first with a tiso_resolver).
 * Returns TISO_OK with a verdict in `*out`, or, with a deny in `*out`:
 *   TISO_E_INVALID_TENANT         creator or target is not a tenant ID;
 *   TISO_E_NO_HOME_TENANT         direction AUTO and the policy has no home;
 *   TISO_E_INCONSISTENT_DIRECTION the explicit direction contradicts it;
 *   TISO_E_INVALID_ARGUMENT       a NULL pointer or a bad direction. */
TISO_API tiso_status tiso_evaluate(tiso_decision *out, const tiso_policy *policy, const char *creator,
                                   const char *target, tiso_direction direction);

/* The hot path: the same on parsed IDs. No parsing, no allocation, no lock;
 * the cost does not depend on the number of allowlist entries. The nil GUID
 * gives TISO_E_INVALID_TENANT. Other statuses as tiso_evaluate. */
TISO_API tiso_status tiso_evaluate_ids(tiso_decision *out, const tiso_policy *policy,
                                       const tiso_tenant_id *creator, const tiso_tenant_id *target,
                                       tiso_direction direction);

/* The same with a connector and its authentication kind (rule 3).
 * Statuses as tiso_evaluate_ids, plus TISO_E_INVALID_ARGUMENT for a bad
 * `auth` value. */
TISO_API tiso_status tiso_evaluate_request(tiso_decision *out, const tiso_policy *policy,
                                           const tiso_request *request);

/* Writes the decision's one-sentence explanation (two for a deny: what was
 * blocked, and who can change it) into `buf`, NUL-terminated and truncated to
 * `size` bytes. Returns the length the full message needs (without the NUL),
 * like snprintf, or 0 when `d` is NULL. `buf` may be NULL when `size` is 0. */
TISO_API size_t tiso_decision_message(char *buf, size_t size, const tiso_decision *d);

/* Exact names of SPEC 3 and 7: "same_tenant", ... ; "none" for NONE;
 * "allow"/"deny"; "inbound"/"outbound"/"auto"/"none". Static storage; "unknown"
 * for a value outside the enum. */
TISO_API const char *tiso_reason_name(tiso_reason reason);
TISO_API const char *tiso_verdict_name(tiso_verdict verdict);
TISO_API const char *tiso_direction_name(tiso_direction direction);

/* Parses "auto", "inbound" or "outbound" (ASCII case-insensitive, `len`
 * bytes). Returns TISO_OK or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_direction_parse(tiso_direction *out, const char *text, size_t len);

/* The authentication kind the library knows for a connector: NON_ENTRA for
 * connectors with their own OAuth flow (the Azure DevOps connector,
 * shared_visualstudioteamservices), ENTRA otherwise. Matches the bare
 * identifier ("shared_x") or the connector's API path
 * ("/providers/Microsoft.PowerApps/apis/shared_x"), ASCII case-insensitive,
 * and nothing else: no host or URL in front, nothing after, no other path
 * ending in the name. NULL or empty gives ENTRA. */
TISO_API tiso_auth_kind tiso_connector_auth_kind(const char *connector);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_EVAL_H */
