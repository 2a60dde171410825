/* Command-line option parsing shared by every command.
 *
 * Each command says which option groups it accepts; the resolution options
 * and --help are accepted everywhere. Options may come before, between or
 * after the positional arguments, as "--name value" or "--name=value"; "--"
 * ends the options and "-" alone is a positional argument (standard input). */
#ifndef TISO_CLI_ARGS_H
#define TISO_CLI_ARGS_H

#include <stddef.h>

#include "cli_output.h"

/* Option groups a command can accept besides the resolution options. */
#define CLI_OPTS_JSON 0x1u    /* --json */
#define CLI_OPTS_REQUEST 0x2u /* --creator --target --direction --connector --batch */
#define CLI_OPTS_REPORT 0x4u  /* --format --output --fail-on-blocked */
#define CLI_OPTS_HOME 0x8u    /* --home */
#define CLI_OPTS_FORMAT 0x10u /* --format alone (check) */
#define CLI_OPTS_JUNIT 0x20u  /* --junit (test) */
#define CLI_OPTS_INPUT 0x40u  /* --input-format */
#define CLI_OPTS_LIVE 0x80u   /* --tenant --bap-url --powerplatform-url --device-code: the live service */
#define CLI_OPTS_PUSH 0x100u  /* --yes --expect --allow-breaking --wait */
#define CLI_OPTS_OUTPUT 0x200u /* --output alone */
#define CLI_OPTS_FETCH 0x400u /* --report --list --output-dir --wait */

/* How names are turned into tenant IDs; every command accepts these. */
typedef struct cli_resolution_opts {
    const char *domains;   /* --domains MAP.json */
    const char *cloud;     /* --cloud global|gcc|gcchigh|usgov|dod|china */
    const char *graph_url; /* --graph-url URL */
    const char *login_url; /* --login-url URL */
    const char *ca_file;   /* --ca-file PATH */
    double timeout;        /* --timeout SECONDS; 0 when not given */
    int public_client;     /* --device-code: TENANTISO_CLIENT_ID is a public client, no secret */
} cli_resolution_opts;

typedef struct cli_args {
    cli_resolution_opts resolution;
    int json;
    const char *creator;
    const char *target;
    const char *direction;
    const char *connector;
    const char *batch;
    const char *format;
    const char *output;
    int fail_on_blocked;
    const char *home;
    const char *junit;
    const char *input_format; /* "auto", "page" or "jsonl" (checked); NULL: auto */
    const char *tenant;            /* --tenant T */
    const char *bap_url;           /* --bap-url URL */
    const char *powerplatform_url; /* --powerplatform-url URL */
    int device_code;               /* --device-code */
    int yes;                       /* --yes */
    const char *expect;            /* --expect SHA256 */
    int allow_breaking;            /* --allow-breaking */
    double wait;                   /* --wait SECONDS; 0 when not given */
    const char *report;            /* --report ID */
    int list;                      /* --list */
    const char *output_dir;        /* --output-dir DIR */
    const char **positional; /* owned array of strings borrowed from argv */
    size_t positional_count;
} cli_args;

/* 1 if `--help` or `-h` appears among argv[first..argc) before any "--". */
int cli_args_want_help(int argc, char **argv, int first);

/* 1 if `--json` appears among argv[first..argc) before any "--"; lets errors
 * found while parsing already be reported as JSON. */
int cli_args_want_json(int argc, char **argv, int first);

/* Parses argv[first..argc) for a command accepting `groups`. Returns 0, or
 * reports a usage error and returns its exit code. Free with cli_args_free
 * either way. */
int cli_args_parse(cli_args *out, const cli_ctx *ctx, int argc, char **argv, int first, unsigned groups);

void cli_args_free(cli_args *args);

#endif /* TISO_CLI_ARGS_H */
