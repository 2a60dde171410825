/* `tenantiso check --format sarif`: the check's findings as a SARIF 2.1.0
 * log (SPEC 13), so CI systems show them natively.
 *
 * Each warning and the load error, if any, is one result. Rule IDs are
 * stable: "warning.<code>" from tiso_warning_code_name and "error.<status>"
 * from tiso_status_name; tool.driver.rules lists every one of them. */
#ifndef TISO_CLI_SARIF_H
#define TISO_CLI_SARIF_H

#include "cli_output.h"
#include "tenantiso.h"

/* Reads check's --format (NULL or "text": the usual output; "sarif") into
 * `*sarif`. Returns 0, or reports a usage error and returns its exit code. */
int cli_sarif_format(const cli_ctx *ctx, const char *format, int *sarif);

/* Prints on stdout the SARIF log of checking the policy file `path`: the
 * warnings of `policy`, or, when `policy` is NULL, the load error `err`
 * (its JSON path, line and column as the location). Returns the check's
 * exit code: 0 for a policy, the error's for a load error; an output
 * failure is reported and gives its own. */
int cli_sarif_print_check(const cli_ctx *ctx, const char *path, const tiso_policy *policy, const tiso_error *err);

#endif /* TISO_CLI_SARIF_H */
