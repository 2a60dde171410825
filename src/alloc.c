/* The library's only allocator. One indirection so that tests can make the
 * Nth allocation fail and prove every path ends in TISO_E_NOMEM, not a crash
 * or a leak. The failure points exist only in the static test build
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

void tiso_free(void *ptr)
{
    tiso__free(ptr);
}
