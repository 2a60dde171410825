/* `tenantiso test --junit FILE`: the run as JUnit XML (SPEC 13), the form
 * Jenkins, GitLab and GitHub's test reporters read: one <testsuite> per cases
 * file, one <testcase> per case; a case whose decision differs from the
 * expected one has a <failure> with both decisions, a case (or a cases file)
 * that could not run has an <error>. Nothing is written until
 * cli_junit_finish, since the root element carries the totals. */
#ifndef TISO_CLI_JUNIT_H
#define TISO_CLI_JUNIT_H

#include <stddef.h>

#include "cli_args.h"
#include "cli_case.h"
#include "cli_output.h"

typedef struct cli_junit cli_junit;

/* Starts a report for the file args->junit; none gives a NULL report, and
 * every function below does nothing with a NULL report. The report may not
 * overwrite a file the run reads (cli_output_check_args). Returns 0, or
 * reports the failure and returns its exit code. */
int cli_junit_open(cli_junit **out, const cli_ctx *ctx, const cli_args *args);

/* Starts the suite of one cases file (ending the previous one). */
void cli_junit_suite(cli_junit *j, const char *cases_path);

/* Records case `c` with its outcome `o`, the seconds it took, and whether it
 * passed; `why` is cli_case_check's text when it did not. */
void cli_junit_case(cli_junit *j, const cli_case *c, const cli_case_outcome *o, double seconds, int passed,
                    const char *why);

/* Checks that the report would not overwrite a policy file case `c` of the
 * cases file `cases_path` reads: if it would, reports that now, and
 * cli_junit_finish writes nothing and returns the exit code. */
void cli_junit_inputs(cli_junit *j, const cli_ctx *ctx, const cli_case *c, const char *cases_path);

/* Records an <error> test case named `name`: something that could not run. */
void cli_junit_error(cli_junit *j, const char *name, const char *type, const char *message);

/* Writes the report as cli_write_file does (replacing the file only once
 * it is whole) and frees it. Returns 0, or reports why the file could not
 * be written (or memory ran out) and returns the exit code. */
int cli_junit_finish(cli_junit *j, const cli_ctx *ctx);

#endif /* TISO_CLI_JUNIT_H */
