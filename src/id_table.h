/* A hash index from tenant ID to two allowlist rule indexes, built once when
 * a policy is loaded and only read afterwards.
 *
 * Layout (after SwissTable): control bytes in groups of 16 beside an array of
 * slots. A control byte is 0x80 for an empty slot or a 7-bit tag from the
 * hash. A lookup compares the tag against a whole group at once (SSE2) and
 * touches a slot only on a tag match, so a miss is settled by the control
 * bytes alone (1.25 bytes per entry: in L2 even at 1,000,000 entries) and a
 * hit costs one more cache line. The group comes from the hash's high bits
 * and the tag from its low bits: drawn from the same bits, every key of a
 * group would share one tag and every lookup would compare every slot.
 * Groups are probed linearly; the table is sized for a load of at most 0.8,
 * so nearly every lookup ends in its first group. The hash is keyed with a
 * per-table random seed (tiso__hash_seed), so an allowlist cannot be crafted
 * to collide.
 *
 * Every other table in the library is the one generic index, hash_index.h.
 * This one stays apart for speed: it is probed on every decision, and its
 * key is always 16 bytes, which one 64x64->128-bit multiply hashes; the
 * generic byte hash takes three dependent mix rounds for the same key (tried
 * here: 23.5 -> 28.2 ns per decision at 10,000 entries, past SPEC 9's
 * 25 ns), and the generic index a callback per probe. */
#ifndef TISO_ID_TABLE_H
#define TISO_ID_TABLE_H

#include <string.h>

#include "internal.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define TISO_GROUP 16
#define TISO_CTRL_EMPTY 0x80

typedef struct tiso__id_slot {
    tiso_tenant_id key;
    int32_t rule[2]; /* first entry allowing [0] inbound, [1] outbound; -1 none */
} tiso__id_slot;

typedef struct tiso__id_table {
    uint8_t *ctrl;         /* ngroups * 16 control bytes */
    tiso__id_slot *slots;  /* ngroups * 16 slots */
    uint64_t ngroups;
    uint64_t capacity;     /* slots: ngroups * 16 */
    uint64_t seed[2];
    size_t count;
} tiso__id_table;

__extension__ typedef unsigned __int128 tiso__u128;

static inline uint64_t tiso__id_hash(const tiso__id_table *t, const tiso_tenant_id *id)
{
    uint64_t a, b;
    memcpy(&a, id->bytes, 8);
    memcpy(&b, id->bytes + 8, 8);
    tiso__u128 m = (tiso__u128)(a ^ t->seed[0]) * (b ^ t->seed[1]);
    return (uint64_t)m ^ (uint64_t)(m >> 64);
}

/* Bit i set when control byte i of the group equals `tag`; and the empties. */
static inline unsigned tiso__group_match(const uint8_t *ctrl, uint8_t tag, unsigned *empty)
{
#if defined(__SSE2__)
    __m128i c = _mm_loadu_si128((const __m128i *)(const void *)ctrl);
    *empty = (unsigned)_mm_movemask_epi8(c);
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(c, _mm_set1_epi8((char)tag)));
#else
    unsigned m = 0, e = 0;
    for (unsigned i = 0; i < TISO_GROUP; i++) {
        m |= (unsigned)(ctrl[i] == tag) << i;
        e |= (unsigned)(ctrl[i] == TISO_CTRL_EMPTY) << i;
    }
    *empty = e;
    return m;
#endif
}

/* The slot holding `key`, or NULL. Pure reads: safe from any thread. */
static inline const tiso__id_slot *tiso__id_table_find(const tiso__id_table *t, const tiso_tenant_id *key)
{
    uint64_t h = tiso__id_hash(t, key);
    uint64_t g = (uint64_t)(((tiso__u128)h * t->ngroups) >> 64);
    uint8_t tag = (uint8_t)(h & 0x7f); /* low bits: the group took the high ones */
    for (;;) {
        const uint8_t *ctrl = t->ctrl + g * TISO_GROUP;
        unsigned empty;
        unsigned m = tiso__group_match(ctrl, tag, &empty);
        while (m) {
            const tiso__id_slot *s = &t->slots[g * TISO_GROUP + (unsigned)__builtin_ctz(m)];
            if (TISO_LIKELY(tiso__id_eq(&s->key, key)))
                return s;
            m &= m - 1;
        }
        if (TISO_LIKELY(empty))
            return NULL;
        if (++g == t->ngroups)
            g = 0;
    }
}

/* Allocates an empty table sized for `capacity` keys. */
tiso_status tiso__id_table_init(tiso__id_table *t, size_t capacity);
/* The slot for `key`, inserting it (rules -1) if absent; *inserted says which. */
tiso__id_slot *tiso__id_table_upsert(tiso__id_table *t, const tiso_tenant_id *key, bool *inserted);
void tiso__id_table_free(tiso__id_table *t);

#endif /* TISO_ID_TABLE_H */
