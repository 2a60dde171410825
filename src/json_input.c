/* Reading untrusted JSON safely (see json_input.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_input.h"

/* ---- files ---- */

static tiso_status read_all(int fd, uint64_t max_bytes, char **out, size_t *out_len, const char *path,
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

tiso_status tiso__read_file(const char *path, uint64_t max_bytes, char **out, size_t *out_len, tiso_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tiso__fail(err, TISO_E_IO, NULL, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    tiso_status s = TISO_OK;
    if (fstat(fd, &st) != 0)
        s = tiso__fail(err, TISO_E_IO, NULL, "%s: cannot stat: %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        s = tiso__fail(err, TISO_E_IO, NULL, "%s: is a directory, not a file", path);
    else if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_bytes)
        s = tiso__fail(err, TISO_E_LIMIT, NULL, "%s: %llu bytes, larger than the limit of %llu bytes", path,
                       (unsigned long long)st.st_size, (unsigned long long)max_bytes);
    else
        s = read_all(fd, max_bytes, out, out_len, path, err);
    close(fd);
    return s;
}

/* ---- the pre-scan ---- */

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if invalid
 * (overlong forms, surrogates and code points past U+10FFFF are invalid). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return len;
}

typedef struct scan_state {
    bool in_string, escaped;
    uint32_t depth;
    size_t string_start;
} scan_state;

static tiso_status scan_fail(tiso_error *err, tiso_status status, const char *text, size_t len, size_t at,
                             const char *what)
{
    tiso__fail(err, status, NULL, "%s", what);
    tiso__error_locate(err, text, len, at);
    return status;
}

/* One byte outside multi-byte sequences: tracks strings and nesting. */
static tiso_status scan_byte(scan_state *st, const char *text, size_t len, size_t i,
                             const tiso__json_limits *lim, tiso_error *err)
{
    char c = text[i];
    if (st->in_string) {
        if ((unsigned char)c < 0x20)
            return scan_fail(err, TISO_E_SYNTAX, text, len, i, "control character in a string (escape it)");
        if (st->escaped)
            st->escaped = false;
        else if (c == '\\')
            st->escaped = true;
        else if (c == '"') {
            st->in_string = false;
            if (i - st->string_start > lim->max_string_bytes) {
                tiso__fail(err, TISO_E_LIMIT, NULL, "JSON string longer than %u bytes", lim->max_string_bytes);
                tiso__error_locate(err, text, len, st->string_start);
                return TISO_E_LIMIT;
            }
        }
        return TISO_OK;
    }
    if (c == '"') {
        st->in_string = true;
        st->string_start = i + 1;
    } else if (c == '{' || c == '[') {
        if (++st->depth > lim->max_depth) {
            tiso__fail(err, TISO_E_LIMIT, NULL, "JSON nested deeper than %u levels", lim->max_depth);
            tiso__error_locate(err, text, len, i);
            return TISO_E_LIMIT;
        }
    } else if ((c == '}' || c == ']') && st->depth > 0) {
        st->depth--;
    }
    return TISO_OK;
}

static tiso_status prescan(const char *text, size_t len, const tiso__json_limits *lim, tiso_error *err)
{
    scan_state st = {0};
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)text[i];
        if (c == 0)
            return scan_fail(err, TISO_E_SYNTAX, text, len, i, "NUL byte in JSON text");
        if (c >= 0x80) {
            size_t n = utf8_len((const unsigned char *)text + i, len - i);
            if (!n)
                return scan_fail(err, TISO_E_SYNTAX, text, len, i, "invalid UTF-8");
            i += n;
            continue;
        }
        tiso_status s = scan_byte(&st, text, len, i, lim, err);
        if (s != TISO_OK)
            return s;
        i++;
    }
    return TISO_OK;
}

static bool only_space(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return false;
    return true;
}

tiso_status tiso__json_parse(cJSON **out, const char *text, size_t len, const tiso__json_limits *lim,
                             tiso_error *err)
{
    if ((uint64_t)len > lim->max_bytes)
        return tiso__fail(err, TISO_E_LIMIT, NULL, "document of %zu bytes is larger than the limit of %llu bytes",
                          len, (unsigned long long)lim->max_bytes);
    if (only_space(text, text + len))
        return tiso__fail(err, TISO_E_SYNTAX, NULL, "empty document: expected a JSON object");
    tiso_status s = prescan(text, len, lim, err);
    if (s != TISO_OK)
        return s;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t at = end && end >= text ? (size_t)(end - text) : len;
        const char *what = at >= len ? "malformed JSON: unexpected end of input (truncated?)" : "malformed JSON";
        return scan_fail(err, TISO_E_SYNTAX, text, len, at, what);
    }
    if (end && !only_space(end, text + len)) {
        while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
            end++; /* point at the first stray character, not the space before it */
        cJSON_Delete(root);
        return scan_fail(err, TISO_E_SYNTAX, text, len, (size_t)(end - text),
                         "trailing characters after the JSON document");
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

const char *tiso__json_type_name(const cJSON *item)
{
    if (!item)
        return "missing";
    if (cJSON_IsString(item))
        return "a string";
    if (cJSON_IsNumber(item))
        return "a number";
    if (cJSON_IsBool(item))
        return "a boolean";
    if (cJSON_IsNull(item))
        return "null";
    if (cJSON_IsArray(item))
        return "an array";
    if (cJSON_IsObject(item))
        return "an object";
    return "an invalid value";
}
