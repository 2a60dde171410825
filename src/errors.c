/* Status names, descriptions, and filling the caller's tiso_error. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_scan.h"

typedef struct status_info {
    const char *name;
    const char *text;
} status_info;

/* Indexed by tiso_status; the numbers never change. */
static const status_info STATUS[] = {
    [TISO_OK] = {"ok", "success"},
    [TISO_E_INVALID_ARGUMENT] = {"invalid_argument", "invalid argument"},
    [TISO_E_NOMEM] = {"out_of_memory", "out of memory"},
    [TISO_E_INVALID_TENANT] = {"invalid_tenant", "not a valid tenant ID"},
    [TISO_E_INVALID_DOMAIN] = {"invalid_domain", "not a valid domain name"},
    [TISO_E_SYNTAX] = {"syntax", "malformed JSON"},
    [TISO_E_SCHEMA] = {"schema", "JSON of the wrong shape"},
    [TISO_E_LIMIT] = {"limit", "a size limit was exceeded"},
    [TISO_E_IO] = {"io", "input/output error"},
    [TISO_E_NOT_FOUND] = {"not_found", "not found"},
    [TISO_E_RESOLVE] = {"resolve", "could not resolve the name"},
    [TISO_E_NO_HOME_TENANT] = {"no_home_tenant", "the policy has no home tenant"},
    [TISO_E_INCONSISTENT_DIRECTION] = {"inconsistent_direction",
                                       "the direction contradicts the policy's home tenant"},
    [TISO_E_UNAUTHORIZED] = {"unauthorized", "the credentials were rejected"},
    [TISO_E_THROTTLED] = {"throttled", "still throttled after every retry"},
    [TISO_E_TIMEOUT] = {"timeout", "timed out"},
    [TISO_E_TLS] = {"tls", "TLS failure"},
    [TISO_E_BAD_RESPONSE] = {"bad_response", "the server's response was unusable"},
    [TISO_E_TRANSPORT] = {"transport", "network failure"},
    [TISO_E_UNSUPPORTED] = {"unsupported", "not supported by this build"},
    [TISO_E_BUFFER_TOO_SMALL] = {"buffer_too_small", "the buffer is too small"},
    [TISO_E_CONFLICT] = {"conflict", "two sources claim one thing"},
};

static const status_info *info(tiso_status status)
{
    size_t i = (size_t)status;
    if (i >= sizeof STATUS / sizeof STATUS[0] || !STATUS[i].name)
        return NULL;
    return &STATUS[i];
}

const char *tiso_status_name(tiso_status status)
{
    const status_info *s = info(status);
    return s ? s->name : "unknown";
}

const char *tiso_strerror(tiso_status status)
{
    const status_info *s = info(status);
    return s ? s->text : "unknown status";
}

void tiso_error_clear(tiso_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

static void copy_trunc(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    tiso__utf8_cut(dst);
}

void tiso__vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    vsnprintf(buf, size, fmt, ap);
    tiso__utf8_cut(buf);
}

tiso_status tiso__fail(tiso_error *err, tiso_status status, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tiso__vfail(err, status, path, fmt, ap);
    va_end(ap);
    return status;
}

tiso_status tiso__vfail(tiso_error *err, tiso_status status, const char *path, const char *fmt, va_list ap)
{
    if (!err)
        return status;
    memset(err, 0, sizeof *err);
    err->status = status;
    if (path)
        copy_trunc(err->path, sizeof err->path, path);
    char msg[TISO_ERROR_MESSAGE_MAX];
    tiso__vformat(msg, sizeof msg, fmt, ap);
    if (path && *path)
        snprintf(err->message, sizeof err->message, "%s: %s", err->path, msg);
    else
        copy_trunc(err->message, sizeof err->message, msg);
    tiso__utf8_cut(err->message);
    return status;
}

void tiso__error_locate(tiso_error *err, const char *text, size_t len, size_t offset)
{
    if (!err)
        return;
    if (offset > len)
        offset = len;
    uint32_t line = 1, col = 1;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    err->line = line;
    err->column = col;
    err->offset = offset;
}

void tiso__error_prefix_source(tiso_error *err, const char *source)
{
    if (!err || !source || !*source)
        return;
    char msg[TISO_ERROR_MESSAGE_MAX];
    if (err->line)
        snprintf(msg, sizeof msg, "%s:%u:%u: %s", source, err->line, err->column, err->message);
    else
        snprintf(msg, sizeof msg, "%s: %s", source, err->message);
    tiso__utf8_cut(msg);
    memcpy(err->message, msg, sizeof msg);
}
