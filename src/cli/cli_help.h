/* Usage texts: `tenantiso --help` and `tenantiso COMMAND --help`. */
#ifndef TISO_CLI_HELP_H
#define TISO_CLI_HELP_H

#include <stdio.h>

/* Prints the usage text of `command` (NULL: the tool's own) on `out`;
 * nothing for a name without one. */
void cli_help(FILE *out, const char *command);

#endif /* TISO_CLI_HELP_H */
