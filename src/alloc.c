/* The library's only allocator. One indirection so that tests can make the
 * Nth allocation fail and prove every path ends in TISO_E_NOMEM, not a crash
 * or a leak. The counters are plain globals: injection is a single-threaded
 * test facility, and when it is off the cost is one predictable branch. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static size_t alloc_count; /* allocations since the last tiso__test_fail_alloc_after */
static size_t fail_at;     /* 0: never fail; else fail from this allocation on */

static bool should_fail(void)
{
    alloc_count++;
    return TISO_UNLIKELY(fail_at != 0) && alloc_count >= fail_at;
}

size_t tiso__test_fail_alloc_after(size_t n)
{
    size_t made = alloc_count;
    alloc_count = 0;
    fail_at = n;
    return made;
}

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
