/* Option parsing (see cli_args.h). */
#include "cli_args.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum opt_id {
    OPT_JSON,
    OPT_CREATOR,
    OPT_TARGET,
    OPT_DIRECTION,
    OPT_CONNECTOR,
    OPT_BATCH,
    OPT_DOMAINS,
    OPT_CLOUD,
    OPT_GRAPH_URL,
    OPT_LOGIN_URL,
    OPT_CA_FILE,
    OPT_TIMEOUT,
    OPT_FORMAT,
    OPT_OUTPUT,
    OPT_FAIL_ON_BLOCKED,
    OPT_HOME,
    OPT_JUNIT,
    OPT_INPUT_FORMAT,
    OPT_TENANT,
    OPT_BAP_URL,
    OPT_POWERPLATFORM_URL,
    OPT_YES,
    OPT_EXPECT,
    OPT_ALLOW_BREAKING,
    OPT_WAIT,
    OPT_REPORT,
    OPT_LIST,
    OPT_OUTPUT_DIR,
    OPT_DEVICE_CODE
} opt_id;

typedef struct opt_spec {
    const char *name;
    opt_id id;
    unsigned group; /* 0: every command */
    int takes_value;
} opt_spec;

static const opt_spec OPTIONS[] = {
    {"--json", OPT_JSON, CLI_OPTS_JSON, 0},
    {"--creator", OPT_CREATOR, CLI_OPTS_REQUEST, 1},
    {"--target", OPT_TARGET, CLI_OPTS_REQUEST, 1},
    {"--direction", OPT_DIRECTION, CLI_OPTS_REQUEST, 1},
    {"--connector", OPT_CONNECTOR, CLI_OPTS_REQUEST, 1},
    {"--batch", OPT_BATCH, CLI_OPTS_REQUEST, 1},
    {"--domains", OPT_DOMAINS, 0, 1},
    {"--cloud", OPT_CLOUD, 0, 1},
    {"--graph-url", OPT_GRAPH_URL, 0, 1},
    {"--login-url", OPT_LOGIN_URL, 0, 1},
    {"--ca-file", OPT_CA_FILE, 0, 1},
    {"--timeout", OPT_TIMEOUT, 0, 1},
    {"--format", OPT_FORMAT, CLI_OPTS_REPORT | CLI_OPTS_FORMAT, 1},
    {"--output", OPT_OUTPUT, CLI_OPTS_REPORT | CLI_OPTS_OUTPUT, 1},
    {"--fail-on-blocked", OPT_FAIL_ON_BLOCKED, CLI_OPTS_REPORT, 0},
    {"--home", OPT_HOME, CLI_OPTS_HOME, 1},
    {"--junit", OPT_JUNIT, CLI_OPTS_JUNIT, 1},
    {"--input-format", OPT_INPUT_FORMAT, CLI_OPTS_INPUT, 1},
    {"--tenant", OPT_TENANT, CLI_OPTS_LIVE, 1},
    {"--bap-url", OPT_BAP_URL, CLI_OPTS_LIVE, 1},
    {"--powerplatform-url", OPT_POWERPLATFORM_URL, CLI_OPTS_LIVE, 1},
    {"--yes", OPT_YES, CLI_OPTS_PUSH, 0},
    {"--expect", OPT_EXPECT, CLI_OPTS_PUSH, 1},
    {"--allow-breaking", OPT_ALLOW_BREAKING, CLI_OPTS_PUSH, 0},
    {"--wait", OPT_WAIT, CLI_OPTS_PUSH | CLI_OPTS_FETCH, 1},
    {"--report", OPT_REPORT, CLI_OPTS_FETCH, 1},
    {"--list", OPT_LIST, CLI_OPTS_FETCH, 0},
    {"--output-dir", OPT_OUTPUT_DIR, CLI_OPTS_FETCH, 1},
    {"--device-code", OPT_DEVICE_CODE, CLI_OPTS_LIVE, 0},
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

/* The library knows the clouds' names. */
static int check_cloud(const cli_ctx *ctx, const char *value)
{
    tiso_cloud cloud;
    if (tiso_cloud_parse(&cloud, value, strlen(value)) == TISO_OK) {
        return 0;
    }
    return cli_usage(ctx, "--cloud: '%.64s' is not one of global, gcc, gcchigh (usgov), dod, china", value);
}

/* A number of seconds for `name`, above 0 and at most a day: beyond any
 * sensible network timeout or wait; a typo is likelier. */
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

/* Stores one string option; each may be given once. */
static int set_once(const cli_ctx *ctx, const char **slot, const char *name, const char *value)
{
    if (*slot != NULL) {
        return cli_usage(ctx, "%s given more than once", name);
    }
    if (value[0] == '\0') {
        return cli_usage(ctx, "%s needs a non-empty value", name);
    }
    *slot = value;
    return 0;
}

/* Stores a value that is data rather than a setting (a tenant name, a
 * connector), given once. An empty one is judged as in a --batch line or an
 * inventory: an empty name is an invalid tenant (tiso_name_classify), an
 * empty connector is none. */
static int set_data_once(const cli_ctx *ctx, const char **slot, const char *name, const char *value)
{
    if (*slot != NULL) {
        return cli_usage(ctx, "%s given more than once", name);
    }
    *slot = value;
    return 0;
}

static int apply(cli_args *a, const cli_ctx *ctx, const opt_spec *o, const char *value)
{
    switch (o->id) {
    case OPT_JSON:
        a->json = 1;
        return 0;
    case OPT_CREATOR:
        return set_data_once(ctx, &a->creator, o->name, value);
    case OPT_TARGET:
        return set_data_once(ctx, &a->target, o->name, value);
    case OPT_DIRECTION:
        return set_once(ctx, &a->direction, o->name, value);
    case OPT_CONNECTOR:
        return set_data_once(ctx, &a->connector, o->name, value);
    case OPT_BATCH:
        return set_once(ctx, &a->batch, o->name, value);
    case OPT_DOMAINS:
        return set_once(ctx, &a->resolution.domains, o->name, value);
    case OPT_CLOUD: {
        int rc = set_once(ctx, &a->resolution.cloud, o->name, value);
        return rc != 0 ? rc : check_cloud(ctx, value);
    }
    case OPT_FORMAT:
        return set_once(ctx, &a->format, o->name, value);
    case OPT_OUTPUT:
        return set_once(ctx, &a->output, o->name, value);
    case OPT_FAIL_ON_BLOCKED:
        a->fail_on_blocked = 1;
        return 0;
    case OPT_HOME:
        return set_data_once(ctx, &a->home, o->name, value);
    case OPT_JUNIT:
        return set_once(ctx, &a->junit, o->name, value);
    case OPT_INPUT_FORMAT: {
        tiso_input_format f;
        if (tiso_input_format_parse(&f, value, strlen(value)) != TISO_OK) {
            return cli_usage(ctx, "%s: '%.64s' is not one of page, jsonl, auto", o->name, value);
        }
        return set_once(ctx, &a->input_format, o->name, value);
    }
    case OPT_GRAPH_URL:
        return set_once(ctx, &a->resolution.graph_url, o->name, value);
    case OPT_LOGIN_URL:
        return set_once(ctx, &a->resolution.login_url, o->name, value);
    case OPT_CA_FILE:
        return set_once(ctx, &a->resolution.ca_file, o->name, value);
    case OPT_TIMEOUT:
        return parse_seconds(ctx, o->name, value, &a->resolution.timeout);
    case OPT_TENANT:
        return set_once(ctx, &a->tenant, o->name, value);
    case OPT_BAP_URL:
        return set_once(ctx, &a->bap_url, o->name, value);
    case OPT_POWERPLATFORM_URL:
        return set_once(ctx, &a->powerplatform_url, o->name, value);
    case OPT_YES:
        a->yes = 1;
        return 0;
    case OPT_EXPECT:
        return set_once(ctx, &a->expect, o->name, value);
    case OPT_ALLOW_BREAKING:
        a->allow_breaking = 1;
        return 0;
    case OPT_WAIT:
        return parse_seconds(ctx, o->name, value, &a->wait);
    case OPT_REPORT:
        return set_once(ctx, &a->report, o->name, value);
    case OPT_LIST:
        a->list = 1;
        return 0;
    case OPT_OUTPUT_DIR:
        return set_once(ctx, &a->output_dir, o->name, value);
    case OPT_DEVICE_CODE:
        a->device_code = 1;
        a->resolution.public_client = 1;
        return 0;
    }
    return cli_usage(ctx, "%s: not handled", o->name);
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
    if (!o->takes_value) {
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
    return 0;
}

void cli_args_free(cli_args *args)
{
    free(args->positional);
    args->positional = NULL;
    args->positional_count = 0;
}
