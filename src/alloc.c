/* The library's only allocator, and the growth step and string arena built
 * on it. One indirection so that tests can make the Nth allocation fail and
 * prove every path ends in TISO_E_NOMEM, not a crash or a leak. The failure points exist only in the static test build
 * (TISO_ALLOC_FAILPOINTS): the shared library calls malloc directly. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifdef TISO_ALLOC_FAILPOINTS
static atomic_size_t alloc_count; /* allocations since the last tiso__test_fail_alloc_after */
static atomic_size_t fail_at;     /* 0: never fail; else fail from this allocation on */

static bool should_fail(void)
{
    size_t n = atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed) + 1;
    size_t at = atomic_load_explicit(&fail_at, memory_order_relaxed);
    return TISO_UNLIKELY(at != 0) && n >= at;
}

size_t tiso__test_fail_alloc_after(size_t n)
{
    size_t made = atomic_exchange(&alloc_count, 0);
    atomic_store(&fail_at, n);
    return made;
}
#else
static inline bool should_fail(void)
{
    return false;
}
#endif

void *tiso__malloc(size_t size)
{
    return should_fail() ? NULL : malloc(size ? size : 1);
}

void *tiso__calloc(size_t count, size_t size)
{
    return should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *tiso__realloc(void *ptr, size_t size)
{
    return should_fail() ? NULL : realloc(ptr, size ? size : 1);
}

void tiso__free(void *ptr)
{
    free(ptr);
}

char *tiso__strndup(const char *s, size_t len)
{
    char *copy = tiso__malloc(len + 1);
    if (copy) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

tiso_status tiso__grow(void *array, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return TISO_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return TISO_E_NOMEM;
        ncap *= 2;
    }
    void *items; /* the T * at `array`, read and written as bytes: no T ** to void ** cast */
    memcpy(&items, array, sizeof items);
    void *p = tiso__realloc(items, ncap * size);
    if (!p)
        return TISO_E_NOMEM;
    memcpy(array, &p, sizeof p);
    *cap = ncap;
    return TISO_OK;
}

tiso_status tiso__arena_add(tiso__arena *a, const char *s, size_t len, size_t *ref)
{
    void *data = a->data;
    if (len > SIZE_MAX / 4 || tiso__grow(&data, &a->cap, a->len + len + 1, 1) != TISO_OK)
        return TISO_E_NOMEM;
    a->data = data;
    memcpy(a->data + a->len, s, len);
    a->data[a->len + len] = '\0';
    *ref = a->len + 1;
    a->len += len + 1;
    return TISO_OK;
}

void tiso__arena_free(tiso__arena *a)
{
    tiso__free(a->data);
    memset(a, 0, sizeof *a);
}

void tiso_free(void *ptr)
{
    tiso__free(ptr);
}
