/* tenantiso report POLICY INPUT... [--format text|json|csv|html]
 *                  [--output FILE] [--fail-on-blocked] [--input-format page|jsonl]
 * What would break under POLICY, for the connections in each INPUT (a
 * cross-tenant connection report page or a JSON Lines inventory), and the
 * allowlist entries that keep it working (SPEC 6, 7). The output streams:
 * memory does not grow with the number of connections for text, JSON and
 * CSV. */
#include <string.h>

#include "cli_report.h"
#include "commands.h"

int cmd_report(const cli_ctx *ctx, const cli_args *args)
{
    if (args->positional_count < 2) {
        return cli_usage(ctx, "expects a POLICY file and at least one INPUT, got %zu arguments",
                         args->positional_count);
    }
    const char *format_name = args->format;
    tiso_report_format format = TISO_FORMAT_TEXT;
    if (format_name != NULL && tiso_report_format_parse(&format, format_name, strlen(format_name)) != TISO_OK) {
        return cli_usage(ctx, "--format: '%.64s' is not one of text, json, csv, html", format_name);
    }
    cli_resolution res;
    tiso_policy *policy = NULL;
    tiso_report *report = NULL;
    int rc = cli_resolution_open(&res, ctx, &args->resolution);
    if (rc == 0) {
        rc = cli_report_load_policy(ctx, args->positional[0], &res, &policy);
    }
    if (rc == 0) {
        rc = cli_report_check_inputs(ctx, args->positional + 1, args->positional_count - 1);
    }
    if (rc == 0) {
        tiso_report_options opts;
        cli_report_options(&opts, args, &res);
        opts.policy = policy;
        rc = cli_report_write(ctx, &opts, format, args, args->positional + 1, args->positional_count - 1,
                              &report);
    }
    if (rc == 0) {
        tiso_tenant_id home;
        cli_report_warn_inputs(report, tiso_policy_home_tenant(&home, policy) ? &home : NULL);
        rc = cli_report_exit_code(ctx, report, args->fail_on_blocked);
    }
    tiso_report_free(report);
    tiso_policy_free(policy);
    cli_resolution_close(&res);
    return rc;
}
