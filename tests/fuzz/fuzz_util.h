/* Helpers shared by the fuzz targets in this directory.
 *
 * An invariant that does not hold is a finding, just like a crash: the
 * target prints what broke and aborts, which libFuzzer reports as a crash
 * (and saves the input), and which fails the replay test in CTest. */
#ifndef TISO_FUZZ_UTIL_H
#define TISO_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tenantiso.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                                                          \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "invariant failed at %s:%d: %s\n  ", __FILE__, __LINE__, #cond);                           \
            fprintf(stderr, __VA_ARGS__);                                                                              \
            fputc('\n', stderr);                                                                                       \
            abort();                                                                                                   \
        }                                                                                                              \
    } while (0)

/* An exact-size heap copy of the input, so that ASan catches any read past
 * its end (libFuzzer's own buffer may have slack). Not NUL-terminated. */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1);
    if (copy != NULL && size > 0)
        memcpy(copy, data, size);
    else if (copy != NULL)
        copy[0] = '\0'; /* never read, but gcc cannot tell */
    return copy;
}

/* The same, NUL-terminated: for APIs that take C strings. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (copy != NULL) {
        if (size > 0)
            memcpy(copy, data, size);
        copy[size] = '\0';
    }
    return copy;
}

/* A failure must say what went wrong: status set, message non-empty and
 * both strings terminated inside their arrays. */
static inline void fuzz_check_error(const tiso_error *err, tiso_status status)
{
    FUZZ_CHECK(err->status == status, "err.status %s, returned %s", tiso_status_name(err->status),
               tiso_status_name(status));
    FUZZ_CHECK(memchr(err->message, '\0', sizeof err->message) != NULL, "message not terminated");
    FUZZ_CHECK(memchr(err->path, '\0', sizeof err->path) != NULL, "path not terminated");
    FUZZ_CHECK(err->message[0] != '\0', "empty message for %s", tiso_status_name(status));
}

/* 1 if `len` bytes of `a` and `b` are equal, ASCII case-insensitively. */
static inline int fuzz_equal_nocase(const char *a, const char *b, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

/* 1 if `text` holds the JSON escape \u0000 (a backslash that is not itself
 * escaped, then u0000). cJSON cuts a string there, so
 * "contoso.com\u0000.evil" would read as "contoso.com": every reader must
 * refuse such input, as the policy loader does. */
static inline int fuzz_has_escaped_nul(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '\\')
            continue;
        if (i + 5 < len && text[i + 1] == 'u' && memcmp(text + i + 2, "0000", 4) == 0)
            return 1;
        i++; /* the escaped character, which may be a backslash */
    }
    return 0;
}

#endif /* TISO_FUZZ_UTIL_H */
