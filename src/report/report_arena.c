/* Small storage helpers for the report: a string arena addressed by offset
 * and a growth step for arrays. */
#include <string.h>
#include <time.h>

#include "report_internal.h"

tiso_status tiso__report_grow(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return TISO_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return TISO_E_NOMEM;
        ncap *= 2;
    }
    void *p = tiso__realloc(*items, ncap * size);
    if (!p)
        return TISO_E_NOMEM;
    *items = p;
    *cap = ncap;
    return TISO_OK;
}

tiso_status tiso__report_arena_add(tiso__report_arena *a, const char *s, size_t len, size_t *ref)
{
    void *data = a->data;
    if (len > SIZE_MAX / 4 || tiso__report_grow(&data, &a->cap, a->len + len + 1, 1) != TISO_OK)
        return TISO_E_NOMEM;
    a->data = data;
    memcpy(a->data + a->len, s, len);
    a->data[a->len + len] = '\0';
    *ref = a->len + 1;
    a->len += len + 1;
    return TISO_OK;
}

void tiso__report_arena_free(tiso__report_arena *a)
{
    tiso__free(a->data);
    memset(a, 0, sizeof *a);
}

static inline uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t tiso__report_hash(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = mix(h ^ w);
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    memcpy(&tail, p, len);
    return mix(h ^ tail ^ 0xff);
}

uint64_t tiso__report_seed(const void *table)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return mix((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)(uintptr_t)table);
}
