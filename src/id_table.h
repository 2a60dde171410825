/* A hash index from tenant ID to two allowlist rule indexes, built once when
 * a policy is loaded and only read afterwards.
 *
 * Open addressing with linear probing over 24-byte slots that hold the key
 * and both rules inline, so a lookup touches one cache line (rarely two) and
 * a hit needs no second memory access. The nil GUID, which is never a
 * tenant, marks an empty slot. The table is sized for a load of 0.6 exactly
 * (the hash is mapped onto any capacity by a multiply, not a mask), which
 * keeps probes short (about 1.75 slots for a hit and 3.6 for a miss) and the
 * index near 40 bytes per tenant. The hash is keyed with a per-table random
 * seed, so an allowlist cannot be crafted to collide. */
#ifndef TISO_ID_TABLE_H
#define TISO_ID_TABLE_H

#include <string.h>

#include "internal.h"

typedef struct tiso__id_slot {
    tiso_tenant_id key; /* nil: empty */
    int32_t rule[2];    /* first entry allowing [0] inbound, [1] outbound; -1 none */
} tiso__id_slot;

typedef struct tiso__id_table {
    tiso__id_slot *slots;
    uint64_t capacity;
    uint64_t seed[2];
    size_t count;
} tiso__id_table;

__extension__ typedef unsigned __int128 tiso__u128;

/* The slot where the probe for `id` starts: a seeded multiply-fold hash,
 * mapped onto [0, capacity) with a multiply-shift. */
static inline uint64_t tiso__id_home_slot(const tiso__id_table *t, const tiso_tenant_id *id)
{
    uint64_t a, b;
    memcpy(&a, id->bytes, 8);
    memcpy(&b, id->bytes + 8, 8);
    tiso__u128 m = (tiso__u128)(a ^ t->seed[0]) * (b ^ t->seed[1]);
    uint64_t h = (uint64_t)m ^ (uint64_t)(m >> 64);
    return (uint64_t)(((tiso__u128)h * t->capacity) >> 64);
}

/* The slot holding `key` (not nil), or NULL. Pure reads: safe from any thread. */
static inline const tiso__id_slot *tiso__id_table_find(const tiso__id_table *t, const tiso_tenant_id *key)
{
    uint64_t i = tiso__id_home_slot(t, key);
    for (;;) {
        const tiso__id_slot *s = &t->slots[i];
        if (tiso__id_eq(&s->key, key))
            return s;
        if (tiso__id_nil(&s->key))
            return NULL;
        if (TISO_UNLIKELY(++i == t->capacity))
            i = 0;
    }
}

/* Allocates an empty table sized for `capacity` keys. TISO_E_NOMEM. */
tiso_status tiso__id_table_init(tiso__id_table *t, size_t capacity);
/* The slot for `key` (not nil), inserting it (rules -1) if absent; *inserted
 * says which. The table must have been sized for every key inserted. */
tiso__id_slot *tiso__id_table_upsert(tiso__id_table *t, const tiso_tenant_id *key, bool *inserted);
void tiso__id_table_free(tiso__id_table *t);
/* Bytes the table holds on the heap. */
size_t tiso__id_table_bytes(const tiso__id_table *t);

#endif /* TISO_ID_TABLE_H */
