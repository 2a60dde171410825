/* The library's hash table (see hash_index.h). */
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hash_index.h"

uint64_t tiso__hash_bytes(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = tiso__hash_mix(h ^ w);
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    memcpy(&tail, p, len);
    return tiso__hash_mix(h ^ tail ^ 0xff);
}

void tiso__hash_seed(uint64_t *seed, size_t n, const void *table)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    bool ok = false;
    if (fd >= 0) {
        ok = read(fd, seed, n * sizeof *seed) == (ssize_t)(n * sizeof *seed);
        close(fd);
    }
    if (!ok) {
        struct timespec ts;
        timespec_get(&ts, TIME_UTC);
        uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)(uintptr_t)table;
        for (size_t i = 0; i < n; i++)
            seed[i] = tiso__hash_mix(x += 0x9e3779b97f4a7c15ULL);
    }
    /* Odd: a zero multiplier would send every key to one place. */
    for (size_t i = 0; i < n; i++)
        seed[i] |= 1;
}

/* ---- the index ---- */

size_t tiso__hash_index_find(const tiso__hash_index *x, uint64_t hash, tiso__hash_row_is same, const void *key,
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

static void insert_all(uint32_t *slots, size_t nslots, size_t count, tiso__hash_row_hash hash_of, const void *rows,
                       uint64_t seed)
{
    for (size_t i = 0; i < count; i++) {
        size_t s = hash_of(rows, i, seed) & (nslots - 1);
        while (slots[s])
            s = (s + 1) & (nslots - 1);
        slots[s] = (uint32_t)(i + 1);
    }
}

tiso_status tiso__hash_index_room(tiso__hash_index *x, size_t count, tiso__hash_row_hash hash_of, const void *rows)
{
    if (!x->seed)
        tiso__hash_seed(&x->seed, 1, x);
    if (count >= UINT32_MAX - 1)
        return TISO_E_NOMEM;
    if ((count + 1) * 2 <= x->nslots) /* load stays under a half */
        return TISO_OK;
    size_t nslots = x->nslots ? x->nslots * 2 : 64;
    uint32_t *slots = tiso__calloc(nslots, sizeof *slots);
    if (!slots)
        return TISO_E_NOMEM;
    insert_all(slots, nslots, count, hash_of, rows, x->seed);
    tiso__free(x->slots);
    x->slots = slots;
    x->nslots = nslots;
    return TISO_OK;
}

void tiso__hash_index_rebuild(tiso__hash_index *x, size_t count, tiso__hash_row_hash hash_of, const void *rows)
{
    if (!x->nslots)
        return;
    memset(x->slots, 0, x->nslots * sizeof *x->slots);
    insert_all(x->slots, x->nslots, count, hash_of, rows, x->seed);
}

void tiso__hash_index_free(tiso__hash_index *x)
{
    tiso__free(x->slots);
    memset(x, 0, sizeof *x);
}
