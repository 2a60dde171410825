/* The policy or policies a command evaluates against: one policy
 * (tiso_evaluate_request) or a policy set (tiso_policy_set_*, SPEC 3.1),
 * behind one evaluate call so eval, --batch and test share it. */
#ifndef TISO_CLI_POLICIES_H
#define TISO_CLI_POLICIES_H

#include <stddef.h>

#include "tenantiso.h"

typedef struct cli_policies {
    int as_set;           /* evaluate two-sided through `set` */
    tiso_policy *single;  /* owned; when !as_set */
    tiso_policy_set *set; /* owned; when as_set */
} cli_policies;

/* Starts empty. `as_set` nonzero: every policy goes into a policy set and
 * decisions carry blockedBy; zero: exactly one policy. */
void cli_policies_init(cli_policies *p, int as_set);

/* Loads a policy: the file `source` when `json` is NULL, else `len` bytes
 * of `json` that `source` names in messages; domain entries are resolved
 * through `resolver` (may be NULL). Errors as tiso_policy_load_file and
 * tiso_policy_load_json. */
tiso_status cli_policy_load(tiso_policy **out, const char *source, const char *json, size_t len,
                            tiso_resolver *resolver, tiso_error *err);

/* Loads a policy as cli_policy_load does and adds it. Errors as
 * cli_policy_load; TISO_E_INVALID_ARGUMENT for a second policy where one
 * was expected; in a set each policy needs a home tenant
 * (TISO_E_NO_HOME_TENANT) and two may not share one (TISO_E_CONFLICT, from
 * tiso_policy_set_add). */
tiso_status cli_policies_load(cli_policies *p, const char *source, const char *json, size_t len,
                              tiso_resolver *resolver, tiso_error *err);

/* A policy of `home` without entries, isolation on or off. Errors as
 * tiso_policy_builder_build. */
tiso_status cli_policy_empty(tiso_policy **out, const tiso_tenant_id *home, int isolation, tiso_error *err);

/* Evaluates `request`; fails closed like the library (a deny in `*out` on
 * any error) and then says why in `why` (`size` bytes): the library's
 * evaluation calls return only a status, so the CLI words the detail a
 * person needs (which tenant is home, what to pass instead). */
tiso_status cli_policies_evaluate(tiso_decision *out, char *why, size_t size, const cli_policies *p,
                                  const tiso_request *request);

void cli_policies_free(cli_policies *p);

#endif /* TISO_CLI_POLICIES_H */
