/* The domain -> tenant cache: rows in an array, found through the library's
 * hash index (hash_index.h), under a read-write lock so cached look-ups from
 * many threads run in parallel. Rows carry their own expiry: found names
 * live cache_ttl_s, names the service called unknown negative_ttl_s. When
 * the table is full, expired rows are swept; if that frees nothing, the
 * table is emptied (simple, bounded, and a cache miss is only a request). */
#include <string.h>

#include "graph_internal.h"

struct tiso__cache_row {
    char *name; /* owned, NUL-terminated */
    size_t len;
    uint64_t expires_ns;
    tiso_tenant_id tenant; /* nil: the name is unknown (negative entry) */
};

/* A name looked for in `c`. */
typedef struct probe {
    const tiso__cache *c;
    const char *name;
    size_t len;
} probe;

static uint64_t row_hash(const void *rows, size_t row, uint64_t seed)
{
    const tiso__cache_row *r = (const tiso__cache_row *)rows + row;
    return tiso__hash_bytes(r->name, r->len, seed);
}

static bool row_is(const void *p, size_t row)
{
    const probe *want = p;
    const tiso__cache_row *r = &want->c->rows[row];
    return r->len == want->len && memcmp(r->name, want->name, r->len) == 0;
}

/* The row holding the name, or NULL with `*slot` (may be NULL) where it goes. */
static tiso__cache_row *find(const probe *p, size_t *slot)
{
    uint64_t hash = tiso__hash_bytes(p->name, p->len, p->c->index.seed);
    size_t row = tiso__hash_index_find(&p->c->index, hash, row_is, p, slot);
    return row == SIZE_MAX ? NULL : &p->c->rows[row];
}

tiso_status tiso__cache_init(tiso__cache *c, size_t max_entries, uint64_t ttl_s, uint64_t negative_ttl_s, bool disabled)
{
    memset(c, 0, sizeof *c);
    c->max_entries = max_entries;
    c->ttl_ns = ttl_s * 1000000000u;
    c->negative_ttl_ns = negative_ttl_s * 1000000000u;
    c->disabled = disabled;
    /* Seeded now: look-ups hash under the read lock and never write it. */
    tiso__hash_seed(&c->index.seed, 1, c);
    return pthread_rwlock_init(&c->lock, NULL) == 0 ? TISO_OK : TISO_E_NOMEM;
}

/* Under the write lock. */
static void free_all(tiso__cache *c)
{
    for (size_t i = 0; i < c->count; i++)
        tiso__free(c->rows[i].name);
    c->count = 0;
    tiso__hash_index_rebuild(&c->index, 0, row_hash, c->rows);
}

void tiso__cache_destroy(tiso__cache *c)
{
    free_all(c);
    tiso__free(c->rows);
    tiso__hash_index_free(&c->index);
    pthread_rwlock_destroy(&c->lock);
    memset(c, 0, sizeof *c);
}

tiso__cache_hit tiso__cache_get(tiso__cache *c, const char *name, size_t len, tiso_tenant_id *out)
{
    if (c->disabled)
        return TISO__CACHE_MISS;
    probe k = {c, name, len};
    uint64_t now = tiso__now_ns();
    tiso__cache_hit hit = TISO__CACHE_MISS;
    pthread_rwlock_rdlock(&c->lock);
    const tiso__cache_row *r = find(&k, NULL);
    if (r && now < r->expires_ns) {
        if (tiso__id_nil(&r->tenant)) {
            hit = TISO__CACHE_NOT_FOUND;
        } else {
            *out = r->tenant;
            hit = TISO__CACHE_FOUND;
        }
    }
    pthread_rwlock_unlock(&c->lock);
    return hit;
}

/* Under the write lock: drops expired rows, keeping the others in order. */
static void sweep_expired(tiso__cache *c, uint64_t now)
{
    size_t kept = 0;
    for (size_t i = 0; i < c->count; i++) {
        if (now >= c->rows[i].expires_ns)
            tiso__free(c->rows[i].name);
        else
            c->rows[kept++] = c->rows[i];
    }
    c->count = kept;
    tiso__hash_index_rebuild(&c->index, kept, row_hash, c->rows);
}

/* Under the write lock: a new row for `k` (its slot found afresh, since
 * making room may move it); false when out of memory. */
static bool add_row(tiso__cache *c, const probe *k, const tiso_tenant_id *value, uint64_t expires)
{
    size_t slot;
    void *rows = c->rows;
    if (tiso__hash_index_room(&c->index, c->count, row_hash, c->rows) != TISO_OK ||
        tiso__grow(&rows, &c->cap, c->count + 1, sizeof *c->rows) != TISO_OK)
        return false;
    c->rows = rows;
    char *name = tiso__strndup(k->name, k->len);
    if (!name)
        return false;
    find(k, &slot);
    c->rows[c->count] = (tiso__cache_row){name, k->len, expires, *value};
    c->index.slots[slot] = (uint32_t)(++c->count);
    return true;
}

void tiso__cache_put(tiso__cache *c, const char *name, size_t len, const tiso_tenant_id *tenant)
{
    if (c->disabled || c->max_entries == 0)
        return;
    probe k = {c, name, len};
    uint64_t now = tiso__now_ns();
    uint64_t expires = now + (tenant ? c->ttl_ns : c->negative_ttl_ns);
    tiso_tenant_id value = {{0}};
    if (tenant != NULL)
        value = *tenant;
    pthread_rwlock_wrlock(&c->lock);
    tiso__cache_row *r = find(&k, NULL);
    if (r) {
        r->tenant = value;
        r->expires_ns = expires;
    } else {
        if (c->count >= c->max_entries) {
            sweep_expired(c, now);
            if (c->count >= c->max_entries)
                free_all(c);
        }
        add_row(c, &k, &value, expires); /* out of memory only skips caching */
    }
    pthread_rwlock_unlock(&c->lock);
}

size_t tiso__cache_size(tiso__cache *c)
{
    pthread_rwlock_rdlock(&c->lock);
    size_t n = c->count;
    pthread_rwlock_unlock(&c->lock);
    return n;
}

void tiso__cache_clear(tiso__cache *c)
{
    pthread_rwlock_wrlock(&c->lock);
    free_all(c);
    pthread_rwlock_unlock(&c->lock);
}
