/* tenantiso: the command-line tool (SPEC 7). This file only dispatches:
 * global flags, the command table, and a last check that stdout was really
 * written (a full disk or a closed pipe must not look like success). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli_args.h"
#include "cli_help.h"
#include "cli_output.h"
#include "commands.h"
#include "tenantiso.h"

/* How a usage error about the number of arguments ends. */
enum { SAY_NOTHING, SAY_COUNT, SAY_ARGUMENTS };

typedef struct command {
    const char *name;
    unsigned groups; /* CLI_OPTS_* accepted besides the resolution options */
    int (*run)(const cli_ctx *ctx, const cli_args *args);
    size_t min_args, max_args; /* positional arguments */
    const char *expects;       /* the usage error otherwise, then ", got N" (SAY_COUNT) or N "arguments" */
    int say;
} command;

#define MANY SIZE_MAX

static const command COMMANDS[] = {
    {"check", CLI_OPTS_JSON | CLI_OPTS_FORMAT, cmd_check, 1, 1, "expects exactly one POLICY file", SAY_COUNT},
    {"eval", CLI_OPTS_JSON | CLI_OPTS_REQUEST, cmd_eval, 1, MANY, "expects at least one POLICY file", SAY_NOTHING},
    {"resolve", CLI_OPTS_JSON, cmd_resolve, 1, MANY, "expects at least one NAME (a domain or a tenant ID)",
     SAY_NOTHING},
    {"test", CLI_OPTS_JUNIT, cmd_test, 1, MANY, "expects at least one CASES.json file", SAY_NOTHING},
    {"report", CLI_OPTS_REPORT | CLI_OPTS_INPUT, cmd_report, 2, MANY, "expects a POLICY file and at least one INPUT",
     SAY_ARGUMENTS},
    {"suggest", CLI_OPTS_HOME | CLI_OPTS_INPUT, cmd_suggest, 1, MANY, "expects at least one INPUT", SAY_NOTHING},
    {"diff", CLI_OPTS_JSON | CLI_OPTS_INPUT, cmd_diff, 3, MANY,
     "expects OLD and NEW policy files and at least one INPUT", SAY_ARGUMENTS},
    {"pull", CLI_OPTS_LIVE | CLI_OPTS_OUTPUT, cmd_pull, 0, 0, "takes no arguments besides its options", SAY_COUNT},
    {"plan", CLI_OPTS_LIVE | CLI_OPTS_JSON, cmd_plan, 1, MANY, "expects a POLICY file, then optional INPUT files",
     SAY_NOTHING},
    {"push", CLI_OPTS_LIVE | CLI_OPTS_PUSH, cmd_push, 1, MANY, "expects a POLICY file, then optional INPUT files",
     SAY_NOTHING},
    {"fetch-report", CLI_OPTS_LIVE | CLI_OPTS_FETCH, cmd_fetch_report, 0, 0, "takes no arguments besides its options",
     SAY_COUNT},
};

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++) {
        if (strcmp(COMMANDS[i].name, name) == 0) {
            return &COMMANDS[i];
        }
    }
    return NULL;
}

static int run_command(const command *cmd, int argc, char **argv)
{
    cli_ctx ctx = {cmd->name, 0};
    if (cli_args_want_help(argc, argv, 2)) {
        cli_help(stdout, cmd->name);
        return CLI_EXIT_OK;
    }
    ctx.json = (cmd->groups & CLI_OPTS_JSON) != 0 && cli_args_want_json(argc, argv, 2);
    cli_args args;
    int rc = cli_args_parse(&args, &ctx, argc, argv, 2, cmd->groups);
    size_t n = args.positional_count;
    if (rc == 0 && (n < cmd->min_args || n > cmd->max_args)) {
        rc = cmd->say == SAY_NOTHING
                 ? cli_usage(&ctx, "%s", cmd->expects)
                 : cli_usage(&ctx, "%s, got %zu%s", cmd->expects, n, cmd->say == SAY_ARGUMENTS ? " arguments" : "");
    } else if (rc == 0) {
        rc = cmd->run(&ctx, &args);
    }
    cli_args_free(&args);
    return rc;
}

/* Flags that stand for the whole tool rather than a command. */
static int run_global(int argc, char **argv)
{
    cli_ctx ctx = {NULL, 0};
    const char *flag = argv[1];
    if (strcmp(flag, "--help") == 0 || strcmp(flag, "-h") == 0) {
        cli_help(stdout, NULL);
        return CLI_EXIT_OK;
    }
    if (strcmp(flag, "--version") == 0) {
        if (argc > 2) {
            return cli_usage(&ctx, "--version takes no arguments");
        }
        printf("tenantiso %s\n", tiso_version());
        return CLI_EXIT_OK;
    }
    return cli_usage(&ctx, "unknown option '%.64s'", flag);
}

int main(int argc, char **argv)
{
    int rc;
    if (argc < 2) {
        return cli_usage(NULL, "no command given");
    }
    if (argv[1][0] == '-') {
        rc = run_global(argc, argv);
    } else {
        const command *cmd = find_command(argv[1]);
        rc = cmd != NULL ? run_command(cmd, argc, argv) : cli_usage(NULL, "unknown command '%.64s'", argv[1]);
    }
    int out = cli_stdout_finish(NULL);
    return out != 0 ? out : rc;
}
