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
    const char *format_name = args->format;
    tiso_report_format format = TISO_FORMAT_TEXT;
    if (format_name != NULL && tiso_report_format_parse(&format, format_name, strlen(format_name)) != TISO_OK) {
        return cli_usage(ctx, "--format: '%.64s' is not one of text, json, csv, html", format_name);
    }
    return cli_report_run(ctx, args, 1, format, args->fail_on_blocked);
}
