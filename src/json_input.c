/* Reading untrusted JSON safely (see json_input.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_input.h"
#include "json_walk.h"

/* ---- files ---- */

tiso_status tiso__read_fd(int fd, const char *path, uint64_t max_bytes, char **out, size_t *out_len,
                          tiso_error *err)
{
    size_t cap = 65536, len = 0;
    char *buf = tiso__malloc(cap + 1);
    if (!buf)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", path);
    for (;;) {
        if (len == cap) {
            size_t ncap = cap * 2;
            char *nbuf = (uint64_t)len > max_bytes ? NULL : tiso__realloc(buf, ncap + 1);
            if (!nbuf) {
                tiso__free(buf);
                return (uint64_t)len > max_bytes
                           ? tiso__fail(err, TISO_E_LIMIT, NULL, "%s: larger than the limit of %llu bytes",
                                        path, (unsigned long long)max_bytes)
                           : tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", path);
            }
            buf = nbuf;
            cap = ncap;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            tiso__free(buf);
            return tiso__fail(err, TISO_E_IO, NULL, "%s: cannot read: %s", path, strerror(e));
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    if ((uint64_t)len > max_bytes) {
        tiso__free(buf);
        return tiso__fail(err, TISO_E_LIMIT, NULL, "%s: larger than the limit of %llu bytes", path,
                          (unsigned long long)max_bytes);
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return TISO_OK;
}

tiso_status tiso__stat_file(int fd, struct stat *st, const char *path, tiso_error *err)
{
    if (fstat(fd, st) != 0)
        return tiso__fail(err, TISO_E_IO, NULL, "%s: cannot stat: %s", path, strerror(errno));
    if (S_ISDIR(st->st_mode))
        return tiso__fail(err, TISO_E_IO, NULL, "%s: is a directory, not a file", path);
    return TISO_OK;
}

tiso_status tiso__open_file(int *fd, struct stat *st, const char *path, tiso_error *err)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return tiso__fail(err, TISO_E_IO, NULL, "%s: cannot open: %s", path, strerror(errno));
    tiso_status s = tiso__stat_file(*fd, st, path, err);
    if (s != TISO_OK)
        close(*fd);
    return s;
}

tiso_status tiso__read_file(const char *path, uint64_t max_bytes, char **out, size_t *out_len, tiso_error *err)
{
    int fd;
    struct stat st;
    tiso_status s = tiso__open_file(&fd, &st, path, err);
    if (s != TISO_OK)
        return s;
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_bytes)
        s = tiso__fail(err, TISO_E_LIMIT, NULL, "%s: %llu bytes, larger than the limit of %llu bytes", path,
                       (unsigned long long)st.st_size, (unsigned long long)max_bytes);
    else
        s = tiso__read_fd(fd, path, max_bytes, out, out_len, err);
    close(fd);
    return s;
}

static tiso_status syntax_at(tiso_error *err, const char *text, size_t len, size_t at, const char *what)
{
    tiso__fail(err, TISO_E_SYNTAX, NULL, "%s", what);
    tiso__error_locate(err, text, len, at);
    return TISO_E_SYNTAX;
}

static bool only_space(const char *p, const char *end)
{
    for (; p < end; p++)
        if (!tiso__json_is_space(*p))
            return false;
    return true;
}

tiso_status tiso__json_validate(const char *text, size_t len, const tiso__json_limits *lim, tiso_error *err)
{
    if ((uint64_t)len > lim->max_bytes)
        return tiso__fail(err, TISO_E_LIMIT, NULL, "document of %zu bytes is larger than the limit of %llu bytes",
                          len, (unsigned long long)lim->max_bytes);
    if (only_space(text, text + len))
        return tiso__fail(err, TISO_E_SYNTAX, NULL, "empty document: expected a JSON object");
    return tiso__json_prescan(text, len, lim, err);
}

cJSON *tiso__json_value_at(const char *text, size_t len, size_t at, size_t *end)
{
    const char *stop = NULL;
    cJSON *item = cJSON_ParseWithLengthOpts(text + at, len - at, &stop, 0);
    if (item && end)
        *end = (size_t)(stop - text);
    return item;
}

tiso_status tiso__json_parse(cJSON **out, const char *text, size_t len, const tiso__json_limits *lim,
                             tiso_error *err)
{
    tiso_status s = tiso__json_validate(text, len, lim, err);
    if (s != TISO_OK)
        return s;
    /* The validator has accepted the text, so cJSON fails only for memory;
     * its own verdict is still checked, never trusted blindly. */
    size_t end = 0; /* from the value on: cJSON skips a byte order mark only in longer texts */
    cJSON *root = tiso__json_value_at(text, len, tiso__json_start(text, len), &end);
    if (!root)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    if (!only_space(text + end, text + len)) {
        while (tiso__json_is_space(text[end]))
            end++; /* point at the first stray character, not the space before it */
        cJSON_Delete(root);
        return syntax_at(err, text, len, end, "trailing characters after the JSON document");
    }
    *out = root;
    return TISO_OK;
}

void tiso__json_locate_key(tiso_error *err, const char *text, size_t len, const char *key)
{
    if (!err || !key)
        return;
    size_t klen = strlen(key);
    for (size_t i = 0; i + klen + 2 <= len; i++) {
        if (text[i] == '"' && memcmp(text + i + 1, key, klen) == 0 && text[i + 1 + klen] == '"') {
            tiso__error_locate(err, text, len, i);
            return;
        }
    }
}

/* cJSON's type tests, each with the words a message uses for the type. */
static const struct json_type {
    cJSON_bool (*is)(const cJSON *item);
    const char *name;
} json_types[] = {
    {cJSON_IsString, "a string"}, {cJSON_IsNumber, "a number"}, {cJSON_IsBool, "a boolean"},
    {cJSON_IsNull, "null"},       {cJSON_IsArray, "an array"},  {cJSON_IsObject, "an object"},
};

const char *tiso__json_type_name(const cJSON *item)
{
    if (!item)
        return "missing";
    for (size_t i = 0; i < sizeof json_types / sizeof json_types[0]; i++)
        if (json_types[i].is(item))
            return json_types[i].name;
    return "an invalid value";
}
