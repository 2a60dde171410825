/* tenantiso test CASES.json... : run expected-decision cases (the format of
 * fixtures/seed-scenarios.json), print each failure on one line and close
 * with "N passed, N failed". Exit 1 on any failure; 2 when a cases file is
 * malformed; 3 when it cannot be read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli_case.h"
#include "cli_junit.h"
#include "cli_resolution.h"
#include "internal.h"
#include "commands.h"
#include "json_input.h"

/* A cases file holds inline policies, so allow what a policy may be. */
#define CASES_MAX_BYTES ((size_t)TISO_DEFAULT_MAX_DOCUMENT_BYTES)

typedef struct counts {
    unsigned long passed, failed;
} counts;

/* Reads the file ("-": standard input) and parses it through the library's
 * JSON reader, the validator every document goes through; reports and
 * returns nonzero on failure. */
static int load_document(const cli_ctx *ctx, const char *path, cJSON **out)
{
    static const tiso__json_limits lim = {CASES_MAX_BYTES, TISO_JSON_SCAN_MAX_DEPTH, UINT32_MAX};
    char *text = NULL;
    size_t len = 0;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = strcmp(path, "-") == 0 ? tiso__read_fd(STDIN_FILENO, path, CASES_MAX_BYTES, &text, &len, &err)
                                           : tiso__read_file(path, CASES_MAX_BYTES, &text, &len, &err);
    if (s == TISO_OK) {
        s = tiso__json_parse(out, text, len, &lim, &err);
    }
    tiso__free(text);
    return s == TISO_OK ? 0 : cli_fail_error(ctx, path, &err);
}

/* The file's own "domains" map, read by the library's map loader, as a
 * resolver put in front of --domains. */
static int add_file_domains(const cli_ctx *ctx, const char *path, const cJSON *domains, cli_resolution *res)
{
    if (domains == NULL) {
        return 0;
    }
    char *json = cJSON_PrintUnformatted(domains);
    tiso_resolver *map = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = json != NULL ? tiso_resolver_load_map_json(&map, json, strlen(json), &err) : TISO_E_NOMEM;
    cJSON_free(json);
    if (s != TISO_OK) {
        /* Where in the cases file: the map's line and column are of its copy. */
        return s == TISO_E_NOMEM
                   ? cli_fail_nomem(ctx)
                   : cli_fail(ctx, s, "%s: domains%s%s", path, err.path[0] != '\0' ? "." : ": ", err.message);
    }
    if (cli_resolution_push_front(res, map, "the cases file's \"domains\"") != TISO_OK) {
        return cli_fail(ctx, TISO_E_LIMIT, "%s: too many domain maps", path);
    }
    return 0;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static int run_cases(const cli_ctx *ctx, const char *path, const cJSON *cases, const cli_resolution *res, counts *total,
                     cli_junit *junit)
{
    int rc = 0;
    size_t index = 0;
    for (const cJSON *c = cases->child; c != NULL && rc == 0; c = c->next, index++) {
        cli_case tc;
        cli_case_outcome outcome;
        tiso_error err;
        tiso_error_clear(&err);
        if (cli_case_parse(&tc, c, index, &err) != TISO_OK) {
            char message[CLI_MESSAGE_MAX];
            cli_format_error(message, sizeof message, path, &err);
            cli_junit_error(junit, tc.label, tiso_status_name(err.status), message);
            rc = cli_fail_error(ctx, path, &err);
            break;
        }
        cli_junit_inputs(junit, ctx, &tc, path);
        struct timespec start;
        clock_gettime(CLOCK_MONOTONIC, &start);
        cli_case_run(&tc, path, res, &outcome);
        char why[2 * CLI_MESSAGE_MAX];
        int passed = cli_case_check(&tc, &outcome, why, sizeof why);
        cli_junit_case(junit, &tc, &outcome, seconds_since(&start), passed, why);
        if (passed) {
            total->passed++;
        } else {
            total->failed++;
            char line[3 * CLI_MESSAGE_MAX];
            snprintf(line, sizeof line, "FAIL %s: %s (%s): %s", path, tc.label, tc.scenario, why);
            char clean[3 * CLI_MESSAGE_MAX];
            tiso__text_clean(clean, sizeof clean, line, strlen(line), TISO__TEXT_MARK_CONTROLS);
            printf("%s\n", clean);
        }
    }
    return rc;
}

static int run_file(const cli_ctx *ctx, const cli_args *args, const char *path, counts *total, cli_junit *junit)
{
    cli_junit_suite(junit, path);
    cJSON *doc = NULL;
    int rc = load_document(ctx, path, &doc);
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(doc, "cases");
    if (rc == 0 && !cJSON_IsObject(doc)) {
        rc = cli_fail(ctx, TISO_E_SCHEMA, "%s: the top level must be an object with \"cases\"", path);
    } else if (rc == 0 && !cJSON_IsArray(cases)) {
        rc = cli_fail(ctx, TISO_E_SCHEMA, "%s: cases: missing, or not an array", path);
    }
    cli_resolution res;
    memset(&res, 0, sizeof res);
    if (rc == 0) {
        rc = cli_resolution_open(&res, ctx, &args->resolution);
    }
    if (rc == 0) {
        rc = add_file_domains(ctx, path, cJSON_GetObjectItemCaseSensitive(doc, "domains"), &res);
    }
    if (rc == 0) {
        rc = run_cases(ctx, path, cases, &res, total, junit);
    } else {
        cli_junit_error(junit, "(cases file)", "cases_file",
                        "the cases file could not be run: see tenantiso's error output");
    }
    cli_resolution_close(&res);
    cJSON_Delete(doc);
    return rc;
}

int cmd_test(const cli_ctx *ctx, const cli_args *args)
{
    cli_junit *junit = NULL;
    int rc = cli_junit_open(&junit, ctx, args);
    counts total = {0, 0};
    for (size_t i = 0; i < args->positional_count && rc == 0; i++) {
        rc = run_file(ctx, args, args->positional[i], &total, junit);
    }
    if (rc == 0) {
        printf("%lu passed, %lu failed\n", total.passed, total.failed);
        fflush(stdout);
    }
    int junit_rc = cli_junit_finish(junit, ctx);
    rc = rc != 0 ? rc : junit_rc;
    return rc != 0 ? rc : total.failed == 0 ? CLI_EXIT_OK : CLI_EXIT_DENIED;
}
