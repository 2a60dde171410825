/* tenantiso eval POLICY... --batch FILE|- : JSON Lines in, JSON Lines out
 * (SPEC 7). Exactly one output line per input line, each with "line": N; a
 * bad line gets an error object and the batch goes on. Memory stays flat:
 * one bounded line and one small JSON object at a time. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli_decision.h"
#include "cli_input.h"
#include "cli_policies.h"
#include "cli_request.h"
#include "cli_resolution.h"
#include "cli_text.h"
#include "commands.h"

/* Called before the reader may block: whoever feeds us through a pipe gets
 * every answer for what it has sent so far. */
static void flush_stdout(void)
{
    fflush(stdout);
}

typedef struct line_result {
    tiso_status status; /* TISO_OK: `decision` holds the answer */
    char message[TISO_ERROR_MESSAGE_MAX];
    tiso_decision decision;
} line_result;

static void set_error(line_result *r, tiso_status status, const char *message)
{
    r->status = status;
    snprintf(r->message, sizeof r->message, "%s", message);
}

/* Checks the raw bytes before they reach the JSON parser, which accepts
 * neither NULs nor (reliably) bad UTF-8. */
static int check_bytes(line_result *r, const char *line, size_t len, int too_long)
{
    char why[128];
    if (too_long) {
        snprintf(why, sizeof why, "line is longer than %u bytes", (unsigned)CLI_LINE_MAX);
        set_error(r, TISO_E_LIMIT, why);
        return -1;
    }
    if (cli_text_is_blank(line, len)) {
        set_error(r, TISO_E_SYNTAX, "empty line: expected a JSON request object");
        return -1;
    }
    const char *nul = memchr(line, '\0', len);
    if (nul != NULL) {
        snprintf(why, sizeof why, "column %zu: NUL byte", (size_t)(nul - line) + 1);
        set_error(r, TISO_E_SYNTAX, why);
        return -1;
    }
    size_t bad = cli_utf8_check(line, len);
    if (bad != len) {
        snprintf(why, sizeof why, "column %zu: invalid UTF-8", bad + 1);
        set_error(r, TISO_E_SYNTAX, why);
        return -1;
    }
    return 0;
}

/* Parses one line as exactly one JSON value (trailing garbage is an error). */
static cJSON *parse_line(line_result *r, const char *line, size_t len)
{
    const char *end = NULL;
    char why[128];
    size_t nul = cli_json_escaped_nul(line, len);
    if (nul != len) {
        snprintf(why, sizeof why, "column %zu: escaped NUL (\\u0000) in a string", nul + 1);
        set_error(r, TISO_E_SYNTAX, why);
        return NULL;
    }
    cJSON *root = cJSON_ParseWithLengthOpts(line, len, &end, 0);
    size_t at = end != NULL && end >= line ? (size_t)(end - line) : 0;
    if (root == NULL) {
        snprintf(why, sizeof why, "column %zu: malformed JSON", at + 1);
        set_error(r, TISO_E_SYNTAX, why);
        return NULL;
    }
    at = cli_text_skip_blank(line, len, at);
    if (at != len) {
        cJSON_Delete(root);
        snprintf(why, sizeof why, "column %zu: trailing data after the JSON value", at + 1);
        set_error(r, TISO_E_SYNTAX, why);
        return NULL;
    }
    return root;
}

static void answer_line(line_result *r, const char *line, size_t len, int too_long, const cli_policies *policies,
                        const cli_resolution *res)
{
    r->status = TISO_OK;
    if (check_bytes(r, line, len, too_long) != 0) {
        return;
    }
    cJSON *root = parse_line(r, line, len);
    if (root == NULL) {
        return;
    }
    cli_request_text text;
    tiso_request request;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = cli_request_text_from_json(&text, root, "", &err);
    if (s == TISO_OK) {
        s = cli_request_build(&request, &text, res, &err);
    }
    if (s != TISO_OK) {
        set_error(r, s, err.message);
    } else {
        s = cli_policies_evaluate(policies, &request, &r->decision);
        if (s != TISO_OK) {
            r->status = s;
            cli_policies_explain(policies, &request, s, r->message, sizeof r->message);
        }
    }
    cJSON_Delete(root);
}

/* Writes {"line": N, ...decision...} or {"line": N, "error": {...}}. */
static int write_result(const cli_ctx *ctx, unsigned long long number, const line_result *r, int with_blocked_by)
{
    cJSON *obj = cJSON_CreateObject();
    int ok = obj != NULL && cJSON_AddNumberToObject(obj, "line", (double)number) != NULL;
    if (ok && r->status == TISO_OK) {
        ok = cli_decision_add_to(obj, &r->decision, with_blocked_by) == 0;
    } else if (ok) {
        cJSON *error = cli_error_object(r->status, r->message);
        ok = error != NULL && cJSON_AddItemToObject(obj, "error", error);
        if (!ok) {
            cJSON_Delete(error);
        }
    }
    int rc = ok ? cli_print_json(ctx, obj, 0) : cli_fail_nomem(ctx);
    cJSON_Delete(obj);
    return rc;
}

/* A count on stderr about once a second, only for a person watching. */
static void show_progress(unsigned long long lines, time_t *last, int final)
{
    time_t now = time(NULL);
    if (final) {
        if (*last != 0) {
            fprintf(stderr, "\rtenantiso: eval: %llu lines answered\n", lines);
        }
        return;
    }
    if (now != *last) {
        fprintf(stderr, "\rtenantiso: eval: %llu lines answered", lines);
        *last = now;
    }
}

int cmd_batch(const cli_ctx *ctx, const char *input, const cli_policies *policies, const cli_resolution *res)
{
    cli_line_reader *reader = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    if (cli_lines_open(&reader, input, flush_stdout, &err) != TISO_OK) {
        return cli_fail_error(ctx, NULL, &err);
    }
    int progress = isatty(STDERR_FILENO);
    time_t last = 0;
    unsigned long long number = 0;
    line_result result;
    const char *line;
    size_t len;
    int too_long, more = 0, rc = CLI_EXIT_OK;
    while (rc == CLI_EXIT_OK && (more = cli_lines_next(reader, &line, &len, &too_long)) == 1) {
        number++;
        answer_line(&result, line, len, too_long, policies, res);
        rc = write_result(ctx, number, &result, policies->as_set);
        if (progress && (number & 0xFFFu) == 0) {
            show_progress(number, &last, 0);
        }
    }
    if (rc == CLI_EXIT_OK && more < 0) {
        rc = cli_fail(ctx, TISO_E_IO, "%s: read error after line %llu: %s", input, number, strerror(errno));
    }
    if (progress) {
        show_progress(number, &last, 1);
    }
    cli_lines_close(reader);
    return rc;
}
