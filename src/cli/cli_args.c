/* Option parsing (see cli_args.h). */
#include "cli_args.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* How an option's value is stored in its field of cli_args. */
typedef enum opt_kind {
    OPT_FLAG,    /* no value: the int field becomes 1 */
    OPT_SETTING, /* a non-empty string, given once; `check`ed after */
    OPT_DATA,    /* a string, given once, judged later (may be empty) */
    OPT_CHOICE,  /* a setting whose value is `check`ed first */
    OPT_SECONDS  /* a number of seconds, given once */
} opt_kind;

typedef struct opt_spec {
    const char *name;
    opt_kind kind;
    unsigned group;                                                        /* 0: every command */
    size_t offset;                                                         /* of the field in cli_args */
    int (*check)(const cli_ctx *ctx, const char *name, const char *value); /* may be NULL */
} opt_spec;

/* The library knows the clouds' names and the input formats. */
static int check_cloud(const cli_ctx *ctx, const char *name, const char *value)
{
    tiso_cloud cloud;
    if (tiso_cloud_parse(&cloud, value, strlen(value)) == TISO_OK) {
        return 0;
    }
    return cli_usage(ctx, "%s: '%.64s' is not one of global, gcc, gcchigh (usgov), dod, china", name, value);
}

static int check_input_format(const cli_ctx *ctx, const char *name, const char *value)
{
    tiso_input_format f;
    if (tiso_input_format_parse(&f, value, strlen(value)) == TISO_OK) {
        return 0;
    }
    return cli_usage(ctx, "%s: '%.64s' is not one of page, jsonl, auto", name, value);
}

/* The table, by option group (cli_args.h). */
static const opt_spec OPTIONS[] = {
    /* every command: how names are resolved */
    {"--domains", OPT_SETTING, 0, offsetof(cli_args, resolution.domains), NULL},
    {"--cloud", OPT_SETTING, 0, offsetof(cli_args, resolution.cloud), check_cloud},
    {"--graph-url", OPT_SETTING, 0, offsetof(cli_args, resolution.graph_url), NULL},
    {"--login-url", OPT_SETTING, 0, offsetof(cli_args, resolution.login_url), NULL},
    {"--ca-file", OPT_SETTING, 0, offsetof(cli_args, resolution.ca_file), NULL},
    {"--timeout", OPT_SECONDS, 0, offsetof(cli_args, resolution.timeout), NULL},
    /* output */
    {"--json", OPT_FLAG, CLI_OPTS_JSON, offsetof(cli_args, json), NULL},
    {"--format", OPT_SETTING, CLI_OPTS_REPORT | CLI_OPTS_FORMAT, offsetof(cli_args, format), NULL},
    {"--output", OPT_SETTING, CLI_OPTS_REPORT | CLI_OPTS_OUTPUT, offsetof(cli_args, output), NULL},
    {"--fail-on-blocked", OPT_FLAG, CLI_OPTS_REPORT, offsetof(cli_args, fail_on_blocked), NULL},
    {"--junit", OPT_SETTING, CLI_OPTS_JUNIT, offsetof(cli_args, junit), NULL},
    /* a request */
    {"--creator", OPT_DATA, CLI_OPTS_REQUEST, offsetof(cli_args, creator), NULL},
    {"--target", OPT_DATA, CLI_OPTS_REQUEST, offsetof(cli_args, target), NULL},
    {"--direction", OPT_SETTING, CLI_OPTS_REQUEST, offsetof(cli_args, direction), NULL},
    {"--connector", OPT_DATA, CLI_OPTS_REQUEST, offsetof(cli_args, connector), NULL},
    {"--batch", OPT_SETTING, CLI_OPTS_REQUEST, offsetof(cli_args, batch), NULL},
    /* the inputs of an impact analysis */
    {"--input-format", OPT_CHOICE, CLI_OPTS_INPUT, offsetof(cli_args, input_format), check_input_format},
    {"--home", OPT_DATA, CLI_OPTS_HOME, offsetof(cli_args, home), NULL},
    /* the live service */
    {"--tenant", OPT_SETTING, CLI_OPTS_LIVE, offsetof(cli_args, tenant), NULL},
    {"--bap-url", OPT_SETTING, CLI_OPTS_LIVE, offsetof(cli_args, bap_url), NULL},
    {"--powerplatform-url", OPT_SETTING, CLI_OPTS_LIVE, offsetof(cli_args, powerplatform_url), NULL},
    {"--device-code", OPT_FLAG, CLI_OPTS_LIVE, offsetof(cli_args, device_code), NULL},
    {"--wait", OPT_SECONDS, CLI_OPTS_PUSH | CLI_OPTS_FETCH, offsetof(cli_args, wait), NULL},
    /* push */
    {"--yes", OPT_FLAG, CLI_OPTS_PUSH, offsetof(cli_args, yes), NULL},
    {"--expect", OPT_SETTING, CLI_OPTS_PUSH, offsetof(cli_args, expect), NULL},
    {"--allow-breaking", OPT_FLAG, CLI_OPTS_PUSH, offsetof(cli_args, allow_breaking), NULL},
    /* fetch-report */
    {"--report", OPT_SETTING, CLI_OPTS_FETCH, offsetof(cli_args, report), NULL},
    {"--list", OPT_FLAG, CLI_OPTS_FETCH, offsetof(cli_args, list), NULL},
    {"--output-dir", OPT_SETTING, CLI_OPTS_FETCH, offsetof(cli_args, output_dir), NULL},
};

static int scan_for(int argc, char **argv, int first, const char *a, const char *b)
{
    for (int i = first; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            return 0;
        }
        if (strcmp(argv[i], a) == 0 || (b != NULL && strcmp(argv[i], b) == 0)) {
            return 1;
        }
    }
    return 0;
}

int cli_args_want_help(int argc, char **argv, int first)
{
    return scan_for(argc, argv, first, "--help", "-h");
}

int cli_args_want_json(int argc, char **argv, int first)
{
    return scan_for(argc, argv, first, "--json", NULL);
}

/* The spec for `arg` ("--name" or "--name=value"), or NULL if unknown. */
static const opt_spec *find_option(const char *arg, unsigned groups)
{
    size_t len = strcspn(arg, "=");
    for (size_t i = 0; i < sizeof OPTIONS / sizeof OPTIONS[0]; i++) {
        const opt_spec *o = &OPTIONS[i];
        if (strlen(o->name) == len && strncmp(o->name, arg, len) == 0) {
            return (o->group == 0 || (o->group & groups) != 0) ? o : NULL;
        }
    }
    return NULL;
}

/* A number of seconds above 0 and at most a day: beyond any sensible
 * network timeout or wait; a typo is likelier. */
static int parse_seconds(const cli_ctx *ctx, const char *name, const char *value, double *out)
{
    char *end = NULL;
    double t = strtod(value, &end);
    if (*out != 0.0) {
        return cli_usage(ctx, "%s given more than once", name);
    }
    if (end == value || *end != '\0' || !isfinite(t) || t <= 0.0 || t > 86400.0) {
        return cli_usage(ctx, "%s: '%.64s' is not a number of seconds between 0 and 86400", name, value);
    }
    *out = t;
    return 0;
}

/* Stores one option's value (NULL for a flag). A data value (a tenant name,
 * a connector) may be empty: it is judged as in a --batch line or an
 * inventory, where an empty name is an invalid tenant (tiso_name_classify)
 * and an empty connector is none. */
static int apply(cli_args *a, const cli_ctx *ctx, const opt_spec *o, const char *value)
{
    char *field = (char *)a + o->offset;
    const char **slot = (const char **)(void *)field;
    if (o->kind == OPT_FLAG) {
        *(int *)(void *)field = 1;
        return 0;
    }
    if (o->kind == OPT_SECONDS) {
        return parse_seconds(ctx, o->name, value, (double *)(void *)field);
    }
    int rc = o->kind == OPT_CHOICE ? o->check(ctx, o->name, value) : 0;
    if (rc == 0 && *slot != NULL) {
        rc = cli_usage(ctx, "%s given more than once", o->name);
    }
    if (rc == 0 && o->kind != OPT_DATA && value[0] == '\0') {
        rc = cli_usage(ctx, "%s needs a non-empty value", o->name);
    }
    if (rc == 0 && o->kind == OPT_SETTING && o->check != NULL) {
        rc = o->check(ctx, o->name, value);
    }
    if (rc == 0) {
        *slot = value;
    }
    return rc;
}

/* Handles argv[*i], an option; may consume the next argument as its value. */
static int parse_option(cli_args *a, const cli_ctx *ctx, int argc, char **argv, int *i, unsigned groups)
{
    const char *arg = argv[*i];
    const opt_spec *o = find_option(arg, groups);
    if (o == NULL) {
        size_t len = strcspn(arg, "=");
        return cli_usage(ctx, "unknown option '%.*s'", (int)(len > 64 ? 64 : len), arg);
    }
    const char *eq = strchr(arg, '=');
    if (o->kind == OPT_FLAG) {
        return eq != NULL ? cli_usage(ctx, "%s takes no value", o->name) : apply(a, ctx, o, NULL);
    }
    if (eq != NULL) {
        return apply(a, ctx, o, eq + 1);
    }
    /* "--creator --target x" is a forgotten value, not a creator "--target". */
    if (*i + 1 >= argc || strncmp(argv[*i + 1], "--", 2) == 0) {
        return cli_usage(ctx, "%s needs a value", o->name);
    }
    *i += 1;
    return apply(a, ctx, o, argv[*i]);
}

int cli_args_parse(cli_args *out, const cli_ctx *ctx, int argc, char **argv, int first, unsigned groups)
{
    memset(out, 0, sizeof *out);
    size_t room = argc > first ? (size_t)(argc - first) : 1;
    out->positional = calloc(room, sizeof *out->positional);
    if (out->positional == NULL) {
        return cli_fail_nomem(ctx);
    }
    int options_done = 0;
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        if (!options_done && strcmp(arg, "--") == 0) {
            options_done = 1;
        } else if (!options_done && arg[0] == '-' && arg[1] != '\0') {
            int rc = parse_option(out, ctx, argc, argv, &i, groups);
            if (rc != 0) {
                return rc;
            }
        } else {
            out->positional[out->positional_count++] = arg;
        }
    }
    /* A person's device-code sign-in is a public client, for Graph too. */
    out->resolution.public_client = out->device_code;
    return 0;
}

void cli_args_free(cli_args *args)
{
    free(args->positional);
    args->positional = NULL;
    args->positional_count = 0;
}
