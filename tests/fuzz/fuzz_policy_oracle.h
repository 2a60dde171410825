/* A reference model of SPEC 3's decision, computed from a loaded policy's
 * public view (its entries, home tenant and switches), for fuzz targets to
 * check the library's indexed evaluator against. */
#ifndef TISO_FUZZ_POLICY_ORACLE_H
#define TISO_FUZZ_POLICY_ORACLE_H

#include <tenantiso.h>

/* Evaluates creator -> target in `direction` (AUTO, INBOUND or OUTBOUND)
 * with `tiso_evaluate_ids` and with the model, and aborts unless both agree
 * on the status and on every field of the decision; also checks that the
 * decision is consistent in itself (reason vs verdict, rule vs reason). */
void fuzz_oracle_check(const tiso_policy *p, const tiso_tenant_id *creator, const tiso_tenant_id *target,
                       tiso_direction direction);

/* Runs fuzz_oracle_check over a grid of requests: the home tenant, the
 * first entries' tenants and an outsider, as creator and target, in every
 * direction. */
void fuzz_oracle_check_grid(const tiso_policy *p);

/* Aborts unless a decision is consistent in itself: an allow has an allow
 * reason, a deny has not_allowlisted (or none, for an error), a rule only
 * with allowlisted or wildcard. */
void fuzz_check_decision_shape(const tiso_decision *d, tiso_status status);

#endif /* TISO_FUZZ_POLICY_ORACLE_H */
