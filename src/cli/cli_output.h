/* Error reporting and JSON output for the CLI (SPEC 7).
 *
 * Every failure ends in exactly one report: one line "tenantiso: <what>: <why>"
 * on stderr, or with --json one {"error": {"code", "message"}} object on
 * stdout. The exit code follows from the library status. */
#ifndef TISO_CLI_OUTPUT_H
#define TISO_CLI_OUTPUT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "tenantiso.h"

#if defined(__GNUC__)
#define CLI_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CLI_PRINTF(fmt, args)
#endif

/* Exit codes, the same for every command. */
enum {
    CLI_EXIT_OK = 0,     /* success, allowed */
    CLI_EXIT_DENIED = 1, /* denied (eval), a failed case (test) */
    CLI_EXIT_USAGE = 2,  /* invalid input or usage */
    CLI_EXIT_RUNTIME = 3 /* I/O, network, out of memory */
};

/* Longest error line we compose; longer text is cut. */
#define CLI_MESSAGE_MAX 1024

/* What every command knows about how to report. */
typedef struct cli_ctx {
    const char *command; /* "eval", ...; NULL outside a command */
    int json;            /* --json given: errors go to stdout as JSON */
} cli_ctx;

/* The exit code for a library status: 3 for I/O, network and memory
 * failures, 2 for everything else that is not TISO_OK. */
int cli_exit_code(tiso_status status);

/* Reports a failure of kind `status` (formatted text: "<what>: <why>") and
 * returns the exit code to use. */
int cli_fail(const cli_ctx *ctx, tiso_status status, const char *fmt, ...) CLI_PRINTF(3, 4);

/* Reports a usage error (status invalid_argument) with a hint to run --help;
 * returns CLI_EXIT_USAGE. */
int cli_usage(const cli_ctx *ctx, const char *fmt, ...) CLI_PRINTF(2, 3);

/* Reports a library error from `err`, located at `source` (a file name, or
 * NULL), and returns the exit code for err->status. */
int cli_fail_error(const cli_ctx *ctx, const char *source, const tiso_error *err);

/* Composes "<source>[:line:col]: [<json path>: ]<message>" from a library
 * error into `buf`, leaving out what the library's message already says. */
void cli_format_error(char *buf, size_t size, const char *source, const tiso_error *err);

/* Appends formatted text to `buf` (of `size` bytes, holding `*used`),
 * cutting what does not fit. */
void cli_append(char *buf, size_t size, size_t *used, const char *fmt, ...) CLI_PRINTF(4, 5);

/* Prints "tenantiso: warning: <text>" on stderr. */
void cli_warn(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Building JSON without a check per call: each of these notes in `*bad`
 * that memory ran out (an item is NULL), and takes the NULL parent such a
 * failure leaves (cJSON's Add functions ignore it); the caller drops the
 * whole document when `*bad` is set. cli_json_push_object adds a new
 * object at the end of `array`; cli_json_add_string adds null for a NULL
 * `value`. */
cJSON *cli_json_need(int *bad, cJSON *item);
cJSON *cli_json_push_object(int *bad, cJSON *array);
void cli_json_add_string(int *bad, cJSON *obj, const char *key, const char *value);
void cli_json_add_number(int *bad, cJSON *obj, const char *key, double value);

/* Adds "error": {"code": <status name>, "message": <message, one line>} to
 * `obj` as the cli_json_* functions add; returns the error object. */
cJSON *cli_json_add_error(int *bad, cJSON *obj, tiso_status status, const char *message);

/* Prints `doc` and a newline on stdout, compact or `pretty`, unless `bad`
 * (memory ran out building it), and frees it. Returns 0, or reports an
 * out-of-memory failure and returns its exit code. */
int cli_json_print(const cli_ctx *ctx, cJSON *doc, int bad, int pretty);

/* Reports "out of memory" and returns its exit code. */
int cli_fail_nomem(const cli_ctx *ctx);

/* Reports that writing to `path` (NULL: standard output) failed with
 * `errnum`: one line naming the cause ("No space left on device"). A failure
 * of standard output goes to stderr even with --json (standard output is
 * what failed) and is reported once per process. Returns CLI_EXIT_RUNTIME. */
int cli_fail_write(const cli_ctx *ctx, const char *path, int errnum);

/* Flushes standard output and reports a failure (cli_fail_write) unless one
 * was reported already. Returns 0, or CLI_EXIT_RUNTIME once it failed. */
int cli_stdout_finish(const cli_ctx *ctx);

/* A count on stderr for a person watching (stderr a terminal: `on`),
 * "tenantiso: <command>: <count> <what>", shown about once a second. */
typedef struct cli_progress {
    const char *command, *what;
    time_t last; /* 0 until a count was shown */
    int on;
} cli_progress;

/* Shows `count` unless one was shown this second; `final`: the last count
 * and a newline, when a count was shown before. */
void cli_progress_show(cli_progress *p, unsigned long long count, int final);

/* Refuses to write `output` (given as `option`, "--output") when it is one
 * of the `count` input paths ("-" is standard input): the same file by
 * device and inode, however its path is spelled (another name, a hard or
 * symbolic link). A path that does not exist yet is no input. Returns 0, or
 * reports it and returns CLI_EXIT_USAGE: nothing has been written. */
int cli_output_check_not_input(const cli_ctx *ctx, const char *option, const char *output, const char *const *inputs,
                               size_t count);

#endif /* TISO_CLI_OUTPUT_H */
