/* The library's hash table: a seeded hash of bytes, a per-table seed, and
 * an open-addressing index over rows a table keeps in an array of its own
 * (the report's tally and name cache, the Graph client's domain cache).
 * The evaluator's tenant ID index (id_table.h) is the one other table, a
 * probe specialised for speed; it takes its seed from here. */
#ifndef TISO_HASH_INDEX_H
#define TISO_HASH_INDEX_H

#include "internal.h"

/* splitmix64's finalizer: every output bit depends on every input bit. */
static inline uint64_t tiso__hash_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* A seeded 64-bit hash of `len` bytes. */
uint64_t tiso__hash_bytes(const void *data, size_t len, uint64_t seed);

/* Fills `seed` with `n` fresh, odd (never zero) per-table seeds: from the
 * kernel's random source, else from the clock and `table`'s address. Either
 * way crafted input cannot aim at one table's slots. */
void tiso__hash_seed(uint64_t *seed, size_t n, const void *table);

/* The index: slots hold row + 1, 0 is empty; the load stays under a half. */
typedef struct tiso__hash_index {
    uint32_t *slots;
    size_t nslots; /* a power of two, or 0 before the first _room */
    uint64_t seed; /* for the rows' hashes; set by the first _room if not before */
} tiso__hash_index;

/* Whether row `row` holds `key`; the hash of row `row` of `rows`. */
typedef bool (*tiso__hash_row_is)(const void *key, size_t row);
typedef uint64_t (*tiso__hash_row_hash)(const void *rows, size_t row, uint64_t seed);

/* The row for a key of hash `hash`, or SIZE_MAX with `*slot` (may be NULL)
 * the empty slot it would take. Pure reads. */
size_t tiso__hash_index_find(const tiso__hash_index *x, uint64_t hash, tiso__hash_row_is same, const void *key,
                             size_t *slot);
/* Makes room for one more row than `count` (rehashing those). TISO_E_NOMEM,
 * also past UINT32_MAX - 2 rows; the index is unchanged then. */
tiso_status tiso__hash_index_room(tiso__hash_index *x, size_t count, tiso__hash_row_hash hash_of, const void *rows);
/* Indexes rows 0 .. count - 1 afresh, in the slots it has (after rows were
 * dropped or moved: never more rows than before). */
void tiso__hash_index_rebuild(tiso__hash_index *x, size_t count, tiso__hash_row_hash hash_of, const void *rows);
void tiso__hash_index_free(tiso__hash_index *x);

#endif /* TISO_HASH_INDEX_H */
