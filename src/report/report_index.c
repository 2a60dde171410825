/* The report's table hashing: a seeded hash, a per-table seed, and the one
 * hash index its tables (the tally, the name cache) share. */
#include <string.h>
#include <time.h>

#include "report_internal.h"

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

/* ---- the index ---- */

size_t tiso__report_index_find(const tiso__report_index *x, uint64_t hash, tiso__report_row_is same, const void *key,
                               size_t *slot)
{
    if (!x->nslots)
        return SIZE_MAX;
    size_t s = hash & (x->nslots - 1);
    for (; x->slots[s]; s = (s + 1) & (x->nslots - 1))
        if (same(key, x->slots[s] - 1))
            return x->slots[s] - 1;
    if (slot)
        *slot = s;
    return SIZE_MAX;
}

tiso_status tiso__report_index_room(tiso__report_index *x, size_t count, tiso__report_row_hash hash_of,
                                    const void *rows)
{
    if (!x->seed)
        x->seed = tiso__report_seed(x) | 1;
    if (count >= UINT32_MAX - 1)
        return TISO_E_NOMEM;
    if ((count + 1) * 2 <= x->nslots) /* load stays under a half */
        return TISO_OK;
    size_t nslots = x->nslots ? x->nslots * 2 : 64;
    uint32_t *slots = tiso__calloc(nslots, sizeof *slots);
    if (!slots)
        return TISO_E_NOMEM;
    for (size_t i = 0; i < count; i++) {
        size_t s = hash_of(rows, i, x->seed) & (nslots - 1);
        while (slots[s])
            s = (s + 1) & (nslots - 1);
        slots[s] = (uint32_t)(i + 1);
    }
    tiso__free(x->slots);
    x->slots = slots;
    x->nslots = nslots;
    return TISO_OK;
}

void tiso__report_index_free(tiso__report_index *x)
{
    tiso__free(x->slots);
    memset(x, 0, sizeof *x);
}
