/* libtenantiso: decide whether a cross-tenant connection may be made under a
 * Microsoft Power Platform tenant isolation policy.
 *
 * Include this header; it includes the rest:
 *   tenantiso/common.h     export macro, status codes, tiso_error
 *   tenantiso/version.h    version numbers and feature flags
 *   tenantiso/tenant.h     tenant IDs and domain names
 *   tenantiso/resolver.h   domain -> tenant ID resolution (static map, callback)
 *   tenantiso/policy.h     loading, reading, building and writing policies
 *   tenantiso/eval.h       the decision
 *   tenantiso/policyset.h  one policy per tenant, two-sided evaluation, audit
 *   tenantiso/batch.h      many requests in one call (for bindings and bulk callers)
 *   tenantiso/watch.h      reloading a policy set when its files change
 *   tenantiso/graph.h      Microsoft Graph client: domains to tenant IDs (declared in every build)
 *   tenantiso/report.h     impact analysis: connections, verdicts, reports
 *   tenantiso/live.h       the live service: pull and push the policy (declared in every build)
 *
 * A minimal use:
 *
 *     tiso_policy *p = NULL;
 *     tiso_error err;
 *     if (tiso_policy_load_file(&p, "policy.json", NULL, &err) != TISO_OK) {
 *         fprintf(stderr, "%s\n", err.message);
 *         return 2;
 *     }
 *     tiso_decision d;
 *     tiso_status s = tiso_evaluate(&d, p, creator, target, TISO_DIRECTION_AUTO);
 *     int allowed = s == TISO_OK && d.verdict == TISO_ALLOW;  // fail closed
 *     tiso_policy_free(p);
 */
#ifndef TENANTISO_H
#define TENANTISO_H

#include "tenantiso/common.h"
#include "tenantiso/version.h"
#include "tenantiso/tenant.h"
#include "tenantiso/resolver.h"
#include "tenantiso/policy.h"
#include "tenantiso/eval.h"
#include "tenantiso/policyset.h"
#include "tenantiso/batch.h"
#include "tenantiso/watch.h"
#include "tenantiso/graph.h"
#include "tenantiso/report.h"
#include "tenantiso/live.h"

#endif /* TENANTISO_H */
