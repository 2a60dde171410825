/* tenantiso eval POLICY... --batch FILE|- : JSON Lines in, JSON Lines out
 * (SPEC 7). Exactly one output line per input line, each with "line": N; a
 * bad line gets an error object and the batch goes on. Memory stays flat:
 * one bounded line and one small JSON object at a time. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli_decision.h"
#include "cli_policies.h"
#include "cli_request.h"
#include "cli_resolution.h"
#include "commands.h"
#include "json_input.h"
#include "lines.h"

/* Longest --batch line, without its newline. */
#define CLI_LINE_MAX (64u * 1024u)

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

/* Parses one line through the library's JSON reader, the validator every
 * other document goes through (UTF-8, NULs, escapes, depth, trailing data):
 * a line is a small document, and its errors say the column. */
static cJSON *parse_line(line_result *r, const char *line, size_t len, int too_long)
{
    static const tiso__json_limits lim = {CLI_LINE_MAX, TISO_DEFAULT_MAX_DEPTH, CLI_LINE_MAX};
    cJSON *root = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    r->status = too_long ? TISO_E_LIMIT : tiso__json_parse(&root, line, len, &lim, &err);
    if (too_long) {
        snprintf(r->message, sizeof r->message, "line is longer than %u bytes", (unsigned)CLI_LINE_MAX);
    } else if (r->status != TISO_OK && err.line != 0) {
        snprintf(r->message, sizeof r->message, "column %u: %s", err.column, err.message);
    } else if (r->status != TISO_OK) {
        set_error(r, r->status, err.message);
    }
    return root;
}

static void answer_line(line_result *r, const char *line, size_t len, int too_long, const cli_policies *policies,
                        const cli_resolution *res)
{
    cJSON *root = parse_line(r, line, len, too_long);
    if (root == NULL) {
        return;
    }
    cli_request_text text;
    tiso_error err;
    tiso_status s = cli_request_text_from_json(&text, root, "", &err);
    if (s != TISO_OK) {
        set_error(r, s, err.message);
    } else {
        r->status = cli_request_decide(&r->decision, r->message, sizeof r->message, &text, policies, res);
    }
    cJSON_Delete(root);
}

/* Writes {"line": N, ...decision...} or {"line": N, "error": {...}}. */
static int write_result(const cli_ctx *ctx, unsigned long long number, const line_result *r, int with_blocked_by)
{
    int bad = 0;
    cJSON *obj = cli_json_need(&bad, cJSON_CreateObject());
    cli_json_add_number(&bad, obj, "line", (double)number);
    if (r->status == TISO_OK) {
        bad |= cli_decision_add_to(obj, &r->decision, with_blocked_by) != 0;
    } else {
        cli_json_add_error(&bad, obj, r->status, r->message);
    }
    return cli_json_print(ctx, obj, bad, 0);
}

int cmd_batch(const cli_ctx *ctx, const char *input, const cli_policies *policies, const cli_resolution *res)
{
    tiso__lines *reader = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = strcmp(input, "-") == 0
                        ? tiso__lines_open_fd(&reader, STDIN_FILENO, input, CLI_LINE_MAX, flush_stdout, &err)
                        : tiso__lines_open(&reader, input, CLI_LINE_MAX, flush_stdout, &err);
    if (s != TISO_OK) {
        return cli_fail_error(ctx, NULL, &err);
    }
    cli_progress progress = {ctx->command, "lines answered", 0, isatty(STDERR_FILENO)};
    unsigned long long number = 0;
    line_result result;
    const char *line;
    size_t len;
    int too_long, more = 0, rc = CLI_EXIT_OK;
    while (rc == CLI_EXIT_OK && (more = tiso__lines_next(reader, &line, &len, &too_long)) == 1) {
        number++;
        answer_line(&result, line, len, too_long, policies, res);
        rc = write_result(ctx, number, &result, policies->as_set);
        if ((number & 0xFFFu) == 0) {
            cli_progress_show(&progress, number, 0);
        }
    }
    if (rc == CLI_EXIT_OK && more < 0) {
        rc = cli_fail(ctx, TISO_E_IO, "%s: read error after line %llu: %s", input, number, strerror(errno));
    }
    cli_progress_show(&progress, number, 1);
    tiso__lines_close(reader);
    return rc;
}
