/* Usage texts: `tenantiso --help` and `tenantiso COMMAND --help`. */
#ifndef TISO_CLI_HELP_H
#define TISO_CLI_HELP_H

#include <stdio.h>

void cli_help_main(FILE *out);
void cli_help_check(FILE *out);
void cli_help_eval(FILE *out);
void cli_help_resolve(FILE *out);
void cli_help_test(FILE *out);
void cli_help_report(FILE *out);
void cli_help_suggest(FILE *out);
void cli_help_diff(FILE *out);
void cli_help_pull(FILE *out);
void cli_help_plan(FILE *out);
void cli_help_push(FILE *out);
void cli_help_fetch_report(FILE *out);

#endif /* TISO_CLI_HELP_H */
