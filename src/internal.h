/* Internal declarations shared by the library's source files. Never installed. */
#ifndef TISO_INTERNAL_H
#define TISO_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tenantiso.h"

#if defined(__GNUC__)
#define TISO_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define TISO_LIKELY(x) __builtin_expect(!!(x), 1)
#define TISO_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define TISO_PRINTF(fmt, args)
#define TISO_LIKELY(x) (x)
#define TISO_UNLIKELY(x) (x)
#endif

/* ---- alloc.c: every allocation goes through here, so tests can make the
 * Nth one fail (allocation-failure injection). ---- */
void *tiso__malloc(size_t size);
void *tiso__calloc(size_t count, size_t size);
void *tiso__realloc(void *ptr, size_t size);
void tiso__free(void *ptr);
char *tiso__strndup(const char *s, size_t len);
/* Grows the array whose pointer is at `array` (a `T **`, any T; `*cap`
 * elements of `size` bytes) to hold `need`, doubling from 16. TISO_E_NOMEM
 * (also on overflow) leaves it as it was. */
tiso_status tiso__grow(void *array, size_t *cap, size_t need, size_t size);
/* A growable string store addressed by offset, so stored strings survive the
 * buffer moving. Ref 0 means "none". */
typedef struct tiso__arena {
    char *data;
    size_t len, cap;
} tiso__arena;
/* Copies `len` bytes and a NUL; `*ref` gets offset + 1. TISO_E_NOMEM. */
tiso_status tiso__arena_add(tiso__arena *a, const char *s, size_t len, size_t *ref);
static inline const char *tiso__arena_get(const tiso__arena *a, size_t ref)
{
    return ref ? a->data + ref - 1 : NULL;
}
void tiso__arena_free(tiso__arena *a);
/* Test hook, in the static test build only (TISO_ALLOC_FAILPOINTS): the
 * `n`th allocation from now (1-based) and all after it fail; 0 turns
 * injection off. Returns how many allocations were made since the last call. */
size_t tiso__test_fail_alloc_after(size_t n);

/* ---- message.c: names of enum values ---- */
/* names[value], or "unknown" outside the table or for a value it does not
 * name. TISO_NAME_OF takes the table itself, so its size cannot be wrong. */
const char *tiso__name_of(const char *const *names, size_t count, int value);
/* The index of text[0..len) among `count` names, in any case; -1 when it is
 * none of them (or NULL). */
int tiso__name_index(const char *const *names, size_t count, const char *text, size_t len);
#define TISO_NAME_COUNT(names) (sizeof(names) / sizeof((names)[0]))
#define TISO_NAME_OF(names, value) tiso__name_of((names), TISO_NAME_COUNT(names), (int)(value))

/* ---- text_clean.c ---- */
/* Stop at the first line break (else a line break becomes a space). */
#define TISO__TEXT_FIRST_LINE 1u
/* Control characters but tab, CR and LF become '?' (else a space). */
#define TISO__TEXT_MARK_CONTROLS 2u
/* Copies s[0..len) (NULL: nothing) into `dst` (of `size` bytes) as text one
 * can show: control characters become spaces or '?' as `how` says, each
 * byte of invalid UTF-8 a '?'; cut at a whole character to fit. Always
 * NUL-terminates when size > 0. */
void tiso__text_clean(char *dst, size_t size, const char *src, size_t len, unsigned how);

/* ---- url_encode.c ---- */
/* Percent-encodes every byte of s[0..len) but A-Z a-z 0-9 - . _ ~ (RFC 3986
 * unreserved) and those in `keep` ("" for a query value, "/" for a URI
 * path). Returns a NUL-terminated tiso__malloc'd string, or NULL when out of
 * memory. */
char *tiso__url_encode(const char *s, size_t len, const char *keep);

/* ---- errors.c ---- */
/* Fills `err` (if not NULL) and returns `status`. `path` may be NULL. */
tiso_status tiso__fail(tiso_error *err, tiso_status status, const char *path, const char *fmt, ...)
    TISO_PRINTF(4, 5);
tiso_status tiso__vfail(tiso_error *err, tiso_status status, const char *path, const char *fmt, va_list ap)
    TISO_PRINTF(4, 0);
/* vsnprintf into `buf`, then cut at a whole UTF-8 character. */
void tiso__vformat(char *buf, size_t size, const char *fmt, va_list ap) TISO_PRINTF(3, 0);
/* Adds line, column and offset of `offset` within `text` to `err`. */
void tiso__error_locate(tiso_error *err, const char *text, size_t len, size_t offset);
/* Prefixes err->message with "source: " (and ":line:col" when known). */
void tiso__error_prefix_source(tiso_error *err, const char *source);

/* ---- tenant_id.c ---- */
static inline bool tiso__id_eq(const tiso_tenant_id *a, const tiso_tenant_id *b)
{
    uint64_t a0, a1, b0, b1;
    __builtin_memcpy(&a0, a->bytes, 8);
    __builtin_memcpy(&a1, a->bytes + 8, 8);
    __builtin_memcpy(&b0, b->bytes, 8);
    __builtin_memcpy(&b1, b->bytes + 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}
static inline bool tiso__id_nil(const tiso_tenant_id *a)
{
    uint64_t a0, a1;
    __builtin_memcpy(&a0, a->bytes, 8);
    __builtin_memcpy(&a1, a->bytes + 8, 8);
    return (a0 | a1) == 0;
}
/* Parses without the NULL checks, for callers that already hold valid pointers. */
tiso_status tiso__tenant_id_parse(tiso_tenant_id *out, const char *text, size_t len);
void tiso__tenant_id_format(const tiso_tenant_id *id, char out[TISO_TENANT_ID_LEN + 1]);

/* ---- resolver.c: the interface every resolver implements. ---- */
typedef struct tiso__resolver_ops {
    /* `domain` is normalized and NUL-terminated; `err` is never NULL. */
    tiso_status (*resolve)(void *impl, const char *domain, tiso_tenant_id *out, tiso_error *err);
    void (*destroy)(void *impl);
} tiso__resolver_ops;

struct tiso_resolver {
    const tiso__resolver_ops *ops;
    void *impl;
};
/* Looks a normalized domain up; NULL `r` gives TISO_E_RESOLVE. `err` may be NULL. */
tiso_status tiso__resolver_lookup(tiso_resolver *r, const char *domain, tiso_tenant_id *out, tiso_error *err);
/* Wraps `impl` with `ops` into a resolver the caller owns. The resolver owns
 * `impl` from here on: a failure destroys it (ops->destroy). */
tiso_status tiso__resolver_wrap(tiso_resolver **out, const tiso__resolver_ops *ops, void *impl,
                                tiso_error *err);

/* ---- connectors.c ---- */
bool tiso__connector_is_non_entra(const char *connector);
/* The identifier rule 3 names `connector` by: what follows the API path
 * ("/providers/Microsoft.PowerApps/apis/shared_teams" -> "shared_teams"),
 * else the text itself (a pointer into it); NULL for NULL. */
const char *tiso__connector_identifier(const char *connector);

#endif /* TISO_INTERNAL_H */
