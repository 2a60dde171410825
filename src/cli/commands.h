/* The CLI's commands. Each takes the parsed arguments (main has checked
 * their number) and returns the exit code; each reports its own failures
 * through cli_output. */
#ifndef TISO_CLI_COMMANDS_H
#define TISO_CLI_COMMANDS_H

#include "cli_args.h"
#include "cli_output.h"

int cmd_check(const cli_ctx *ctx, const cli_args *args);
int cmd_eval(const cli_ctx *ctx, const cli_args *args);
int cmd_resolve(const cli_ctx *ctx, const cli_args *args);
int cmd_test(const cli_ctx *ctx, const cli_args *args);
int cmd_report(const cli_ctx *ctx, const cli_args *args);
int cmd_suggest(const cli_ctx *ctx, const cli_args *args);
int cmd_diff(const cli_ctx *ctx, const cli_args *args);
int cmd_pull(const cli_ctx *ctx, const cli_args *args);
int cmd_plan(const cli_ctx *ctx, const cli_args *args);
int cmd_push(const cli_ctx *ctx, const cli_args *args);
int cmd_fetch_report(const cli_ctx *ctx, const cli_args *args);

/* eval --batch: called by cmd_eval once the policies are loaded. */
struct cli_policies;
struct cli_resolution;
int cmd_batch(const cli_ctx *ctx, const char *input, const struct cli_policies *policies,
              const struct cli_resolution *res);

#endif /* TISO_CLI_COMMANDS_H */
