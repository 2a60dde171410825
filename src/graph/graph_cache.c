/* The domain -> tenant cache: a chained hash table under a read-write lock,
 * so cached look-ups from many threads run in parallel. Entries carry their
 * own expiry: found names live cache_ttl_s, names the service called unknown
 * negative_ttl_s. When the table is full, expired entries are swept; if that
 * frees nothing, the table is emptied (simple, bounded, and a cache miss is
 * only a request). */
#include <string.h>

#include "graph_internal.h"

struct tiso__cache_entry {
    tiso__cache_entry *next;
    uint64_t hash;
    uint64_t expires_ns;
    tiso_tenant_id tenant; /* nil: the name is unknown (negative entry) */
    size_t len;
    char name[];
};

static uint64_t hash_name(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3u;
    }
    return h ^ (h >> 29);
}

tiso_status tiso__cache_init(tiso__cache *c, size_t max_entries, uint64_t ttl_s, uint64_t negative_ttl_s, bool disabled)
{
    memset(c, 0, sizeof *c);
    c->max_entries = max_entries;
    c->ttl_ns = ttl_s * 1000000000u;
    c->negative_ttl_ns = negative_ttl_s * 1000000000u;
    c->disabled = disabled;
    c->bucket_count = 64;
    c->buckets = tiso__calloc(c->bucket_count, sizeof *c->buckets);
    if (c->buckets == NULL)
        return TISO_E_NOMEM;
    if (pthread_rwlock_init(&c->lock, NULL) != 0) {
        tiso__free(c->buckets);
        c->buckets = NULL;
        return TISO_E_NOMEM;
    }
    return TISO_OK;
}

static void free_all(tiso__cache *c)
{
    for (size_t i = 0; i < c->bucket_count; i++) {
        tiso__cache_entry *e = c->buckets[i];
        while (e != NULL) {
            tiso__cache_entry *next = e->next;
            tiso__free(e);
            e = next;
        }
        c->buckets[i] = NULL;
    }
    c->count = 0;
}

void tiso__cache_destroy(tiso__cache *c)
{
    if (c->buckets == NULL)
        return;
    free_all(c);
    tiso__free(c->buckets);
    c->buckets = NULL;
    pthread_rwlock_destroy(&c->lock);
}

tiso__cache_hit tiso__cache_get(tiso__cache *c, const char *name, size_t len, tiso_tenant_id *out)
{
    if (c->disabled)
        return TISO__CACHE_MISS;
    uint64_t h = hash_name(name, len);
    uint64_t now = tiso__now_ns();
    tiso__cache_hit hit = TISO__CACHE_MISS;
    pthread_rwlock_rdlock(&c->lock);
    for (tiso__cache_entry *e = c->buckets[h & (c->bucket_count - 1)]; e != NULL; e = e->next) {
        if (e->hash == h && e->len == len && memcmp(e->name, name, len) == 0) {
            if (now < e->expires_ns) {
                if (tiso__id_nil(&e->tenant)) {
                    hit = TISO__CACHE_NOT_FOUND;
                } else {
                    *out = e->tenant;
                    hit = TISO__CACHE_FOUND;
                }
            }
            break;
        }
    }
    pthread_rwlock_unlock(&c->lock);
    return hit;
}

/* Under the write lock. */
static void sweep_expired(tiso__cache *c, uint64_t now)
{
    for (size_t i = 0; i < c->bucket_count; i++) {
        tiso__cache_entry **pp = &c->buckets[i];
        while (*pp != NULL) {
            tiso__cache_entry *e = *pp;
            if (now >= e->expires_ns) {
                *pp = e->next;
                tiso__free(e);
                c->count--;
            } else {
                pp = &e->next;
            }
        }
    }
}

/* Under the write lock. Doubles the table; keeps the old one on failure. */
static void grow(tiso__cache *c)
{
    size_t n = c->bucket_count * 2;
    tiso__cache_entry **b = tiso__calloc(n, sizeof *b);
    if (b == NULL)
        return;
    for (size_t i = 0; i < c->bucket_count; i++) {
        tiso__cache_entry *e = c->buckets[i];
        while (e != NULL) {
            tiso__cache_entry *next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    tiso__free(c->buckets);
    c->buckets = b;
    c->bucket_count = n;
}

void tiso__cache_put(tiso__cache *c, const char *name, size_t len, const tiso_tenant_id *tenant)
{
    if (c->disabled || c->max_entries == 0)
        return;
    uint64_t h = hash_name(name, len);
    uint64_t now = tiso__now_ns();
    uint64_t expires = now + (tenant ? c->ttl_ns : c->negative_ttl_ns);
    tiso_tenant_id value = {{0}};
    if (tenant != NULL)
        value = *tenant;
    pthread_rwlock_wrlock(&c->lock);
    tiso__cache_entry **slot = &c->buckets[h & (c->bucket_count - 1)];
    for (tiso__cache_entry *e = *slot; e != NULL; e = e->next) {
        if (e->hash == h && e->len == len && memcmp(e->name, name, len) == 0) {
            e->tenant = value;
            e->expires_ns = expires;
            pthread_rwlock_unlock(&c->lock);
            return;
        }
    }
    if (c->count >= c->max_entries) {
        sweep_expired(c, now);
        if (c->count >= c->max_entries)
            free_all(c);
    }
    if (c->count >= c->bucket_count && c->bucket_count < ((size_t)1 << 30))
        grow(c);
    tiso__cache_entry *e = tiso__malloc(sizeof *e + len + 1);
    if (e != NULL) {
        e->hash = h;
        e->expires_ns = expires;
        e->tenant = value;
        e->len = len;
        memcpy(e->name, name, len);
        e->name[len] = '\0';
        slot = &c->buckets[h & (c->bucket_count - 1)];
        e->next = *slot;
        *slot = e;
        c->count++;
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
