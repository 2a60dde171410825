/* Error reporting and JSON output (see cli_output.h). */
#include "cli_output.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int cli_exit_code(tiso_status status)
{
    switch (status) {
    case TISO_OK:
        return CLI_EXIT_OK;
    case TISO_E_IO:
    case TISO_E_NOMEM:
    case TISO_E_TRANSPORT:
    case TISO_E_TIMEOUT:
    case TISO_E_TLS:
    case TISO_E_THROTTLED:
    case TISO_E_UNAUTHORIZED:
    case TISO_E_BAD_RESPONSE:
        return CLI_EXIT_RUNTIME;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* The one place a failure is written out, as text or as JSON. */
static int report(const cli_ctx *ctx, tiso_status status, const char *message)
{
    char clean[CLI_MESSAGE_MAX];
    tiso__text_clean(clean, sizeof clean, message, strlen(message), TISO__TEXT_MARK_CONTROLS);
    if (ctx != NULL && ctx->json) {
        int bad = 0;
        cJSON *root = cli_json_need(&bad, cJSON_CreateObject());
        cli_json_add_error(&bad, root, status, clean);
        char *text = bad ? NULL : cJSON_PrintUnformatted(root);
        cJSON_Delete(root);
        if (text != NULL) {
            printf("%s\n", text);
            cJSON_free(text);
            fflush(stdout);
            return cli_exit_code(status);
        }
        /* Out of memory while reporting: fall back to the text line. */
    }
    fprintf(stderr, "tenantiso: %s\n", clean);
    return cli_exit_code(status);
}

int cli_fail(const cli_ctx *ctx, tiso_status status, const char *fmt, ...)
{
    char message[CLI_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return report(ctx, status, message);
}

int cli_usage(const cli_ctx *ctx, const char *fmt, ...)
{
    char why[CLI_MESSAGE_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (ctx != NULL && ctx->command != NULL) {
        return cli_fail(ctx, TISO_E_INVALID_ARGUMENT, "%s: %s (run 'tenantiso %s --help')", ctx->command, why,
                        ctx->command);
    }
    return cli_fail(ctx, TISO_E_INVALID_ARGUMENT, "%s (run 'tenantiso --help')", why);
}

int cli_fail_nomem(const cli_ctx *ctx)
{
    return cli_fail(ctx, TISO_E_NOMEM, "%s: out of memory",
                    ctx != NULL && ctx->command != NULL ? ctx->command : "tenantiso");
}

void cli_append(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
    if (*used >= size) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *used, size - *used, fmt, ap);
    va_end(ap);
    if (n > 0) {
        *used += (size_t)n < size - *used ? (size_t)n : size - *used - 1;
    }
}

void cli_format_error(char *buf, size_t size, const char *source, const tiso_error *err)
{
    const char *msg = err->message[0] != '\0' ? err->message : tiso_strerror(err->status);
    size_t used = 0;
    buf[0] = '\0';
    /* The library may already prefix its message with the source (and line
     * and column); only add the location when it does not. */
    if (source != NULL && source[0] != '\0' && strncmp(msg, source, strlen(source)) != 0) {
        cli_append(buf, size, &used, "%s", source);
        if (err->line != 0) {
            cli_append(buf, size, &used, ":%u:%u", (unsigned)err->line, (unsigned)err->column);
        }
        cli_append(buf, size, &used, ": ");
    }
    if (err->path[0] != '\0' && strstr(msg, err->path) == NULL) {
        cli_append(buf, size, &used, "%s: ", err->path);
    }
    cli_append(buf, size, &used, "%s", msg);
}

int cli_fail_error(const cli_ctx *ctx, const char *source, const tiso_error *err)
{
    char message[CLI_MESSAGE_MAX];
    cli_format_error(message, sizeof message, source, err);
    tiso_status status = err->status != TISO_OK ? err->status : TISO_E_INVALID_ARGUMENT;
    return report(ctx, status, message);
}

void cli_warn(const char *fmt, ...)
{
    char message[CLI_MESSAGE_MAX], clean[CLI_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    tiso__text_clean(clean, sizeof clean, message, strlen(message), TISO__TEXT_MARK_CONTROLS);
    fprintf(stderr, "tenantiso: warning: %s\n", clean);
}

cJSON *cli_json_need(int *bad, cJSON *item)
{
    *bad |= item == NULL;
    return item;
}

cJSON *cli_json_push_object(int *bad, cJSON *array)
{
    cJSON *item = cJSON_CreateObject();
    if (item != NULL && !cJSON_AddItemToArray(array, item)) {
        cJSON_Delete(item);
        item = NULL;
    }
    return cli_json_need(bad, item);
}

void cli_json_add_string(int *bad, cJSON *obj, const char *key, const char *value)
{
    cli_json_need(bad, value != NULL ? cJSON_AddStringToObject(obj, key, value) : cJSON_AddNullToObject(obj, key));
}

void cli_json_add_number(int *bad, cJSON *obj, const char *key, double value)
{
    cli_json_need(bad, cJSON_AddNumberToObject(obj, key, value));
}

cJSON *cli_json_add_error(int *bad, cJSON *obj, tiso_status status, const char *message)
{
    char clean[CLI_MESSAGE_MAX];
    tiso__text_clean(clean, sizeof clean, message, strlen(message), TISO__TEXT_MARK_CONTROLS);
    cJSON *error = cli_json_need(bad, cJSON_AddObjectToObject(obj, "error"));
    cli_json_add_string(bad, error, "code", tiso_status_name(status));
    cli_json_add_string(bad, error, "message", clean);
    return error;
}

int cli_json_print(const cli_ctx *ctx, cJSON *doc, int bad, int pretty)
{
    char *text = bad ? NULL : pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (text == NULL) {
        return cli_fail_nomem(ctx);
    }
    fputs(text, stdout);
    fputc('\n', stdout);
    cJSON_free(text);
    return CLI_EXIT_OK;
}

/* Set once a failure of standard output has been reported: every later
 * write to it fails too, and one line says so. */
static int stdout_failed;

int cli_fail_write(const cli_ctx *ctx, const char *path, int errnum)
{
    const char *why = strerror(errnum != 0 ? errnum : EIO);
    if (path != NULL) {
        return cli_fail(ctx, TISO_E_IO, "%s: cannot write: %s", path, why);
    }
    if (!stdout_failed) {
        stdout_failed = 1;
        fprintf(stderr, "tenantiso: standard output: cannot write: %s\n", why);
    }
    return CLI_EXIT_RUNTIME;
}

int cli_stdout_finish(const cli_ctx *ctx)
{
    if (stdout_failed) {
        return CLI_EXIT_RUNTIME;
    }
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout)) {
        return 0;
    }
    return cli_fail_write(ctx, NULL, errno);
}

void cli_progress_show(cli_progress *p, unsigned long long count, int final)
{
    time_t now = time(NULL);
    if (p->on && (final ? p->last != 0 : now != p->last)) {
        fprintf(stderr, "\rtenantiso: %s: %llu %s%s", p->command, count, p->what, final ? "\n" : "");
        p->last = now;
    }
}

int cli_output_check_not_input(const cli_ctx *ctx, const char *option, const char *output, const char *const *inputs,
                               size_t count)
{
    struct stat out;
    if (stat(output, &out) != 0) {
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        /* An input that cannot be looked at is not read either, and nothing
         * can be overwritten through it. */
        struct stat in;
        if (inputs[i] != NULL && (strcmp(inputs[i], "-") == 0 ? fstat(STDIN_FILENO, &in) : stat(inputs[i], &in)) == 0 &&
            in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
            return cli_fail(ctx, TISO_E_INVALID_ARGUMENT,
                            "%s %s is also an input (%s): refusing to overwrite it", option, output,
                            strcmp(inputs[i], "-") == 0 ? "standard input" : inputs[i]);
        }
    }
    return 0;
}
