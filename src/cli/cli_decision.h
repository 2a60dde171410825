/* A decision as the CLI prints it: the eval JSON object of SPEC 7, or two
 * lines for a person. */
#ifndef TISO_CLI_DECISION_H
#define TISO_CLI_DECISION_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "tenantiso.h"

/* Adds {"verdict", "reason", "direction", "externalTenant", "rule",
 * "message"} and "blockedBy" when `with_blocked_by` (a policy set) to `obj`
 * (--batch lines start with "line"). Returns 0, or -1 when out of memory. */
int cli_decision_add_to(cJSON *obj, const tiso_decision *d, int with_blocked_by);

/* Prints "deny  not_allowlisted  outbound  external=<id>  rule=-" (and
 * "  blocked_by=<id>" for a set) and the message on the next line. Returns 0,
 * or -1 when out of memory. */
int cli_decision_print_text(FILE *out, const tiso_decision *d, int with_blocked_by);

/* The canonical form of `id` in `buf`, or `none` for the nil ID. */
const char *cli_tenant_text(const tiso_tenant_id *id, char buf[TISO_TENANT_ID_LEN + 1], const char *none);

#endif /* TISO_CLI_DECISION_H */
