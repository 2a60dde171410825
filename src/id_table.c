/* Building the tenant ID index (see id_table.h for its layout). */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "id_table.h"

/* Seeds from the kernel's random source; falls back to the clock and the
 * table's address, which still keeps seeds apart between processes. */
static void seed_table(tiso__id_table *t)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    bool ok = false;
    if (fd >= 0) {
        ok = read(fd, t->seed, sizeof t->seed) == (ssize_t)sizeof t->seed;
        close(fd);
    }
    if (!ok) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        t->seed[0] = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)t;
        t->seed[1] = (uint64_t)ts.tv_sec * 0xbf58476d1ce4e5b9ULL ^ 0x94d049bb133111ebULL;
    }
    /* A zero factor would send every key with that half to one group. */
    t->seed[0] |= 1;
    t->seed[1] |= 1;
}

tiso_status tiso__id_table_init(tiso__id_table *t, size_t capacity)
{
    memset(t, 0, sizeof *t);
    /* capacity / 0.6, and always at least one empty slot to end every probe */
    uint64_t slots = (uint64_t)capacity * 5 / 3 + 1;
    t->slots = tiso__calloc((size_t)slots, sizeof *t->slots);
    if (!t->slots)
        return TISO_E_NOMEM;
    t->capacity = slots;
    seed_table(t);
    return TISO_OK;
}

tiso__id_slot *tiso__id_table_upsert(tiso__id_table *t, const tiso_tenant_id *key, bool *inserted)
{
    uint64_t i = tiso__id_home_slot(t, key);
    for (;;) {
        tiso__id_slot *s = &t->slots[i];
        if (tiso__id_eq(&s->key, key)) {
            *inserted = false;
            return s;
        }
        if (tiso__id_nil(&s->key)) {
            s->key = *key;
            s->rule[0] = s->rule[1] = -1;
            t->count++;
            *inserted = true;
            return s;
        }
        if (++i == t->capacity)
            i = 0;
    }
}

void tiso__id_table_free(tiso__id_table *t)
{
    tiso__free(t->slots);
    t->slots = NULL;
    t->capacity = 0;
    t->count = 0;
}

size_t tiso__id_table_bytes(const tiso__id_table *t)
{
    return (size_t)t->capacity * sizeof(tiso__id_slot);
}
