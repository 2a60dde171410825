/* Tenant names in inputs: a tenant ID is parsed on the spot; a domain is
 * validated, normalized and resolved once, then answered from a cache (the
 * failures too), so an inventory that names the same few domains a million
 * times asks the resolver a handful of times. */
#include <string.h>

#include "report_internal.h"

/* Past this many distinct domains the cache stops growing: later names are
 * still resolved, just not remembered. */
#define NAMES_MAX 100000u

typedef struct key {
    const tiso__report_names *n;
    const char *domain;
    size_t len;
    uint64_t hash;
} key;

static uint64_t entry_hash(const void *entries, size_t row, uint64_t seed)
{
    (void)seed; /* kept with the entry */
    return ((const tiso__report_name_entry *)entries)[row].hash;
}

static bool entry_is(const void *k, size_t row)
{
    const key *want = k;
    const tiso__report_name_entry *e = &want->n->entries[row];
    const char *stored = tiso__arena_get(&want->n->strings, e->name);
    return e->hash == want->hash && strlen(stored) == want->len && memcmp(stored, want->domain, want->len) == 0;
}

static const tiso__report_name_entry *find(const tiso__report_names *n, const key *k, size_t *slot)
{
    size_t row = tiso__hash_index_find(&n->index, k->hash, entry_is, k, slot);
    return row == SIZE_MAX ? NULL : &n->entries[row];
}

/* Remembers a look-up's outcome. Out of memory only costs the caching. */
static void remember(tiso__report_names *n, const key *k, tiso_status status, const tiso_tenant_id *id,
                     const char *message)
{
    size_t slot;
    if (n->count >= NAMES_MAX || tiso__hash_index_room(&n->index, n->count, entry_hash, n->entries) != TISO_OK ||
        find(n, k, &slot))
        return;
    if (tiso__grow(&n->entries, &n->cap, n->count + 1, sizeof *n->entries) != TISO_OK)
        return;
    tiso__report_name_entry e = {.hash = k->hash, .status = status, .id = *id};
    if (tiso__arena_add(&n->strings, k->domain, k->len, &e.name) != TISO_OK)
        return;
    if (status != TISO_OK && message && tiso__arena_add(&n->strings, message, strlen(message), &e.message) != TISO_OK)
        return;
    n->entries[n->count] = e;
    n->index.slots[slot] = (uint32_t)(++n->count);
}

static tiso_status answer(const tiso__report_names *n, const tiso__report_name_entry *e, tiso_tenant_id *out,
                          const char **domain, tiso_error *err)
{
    *domain = tiso__arena_get(&n->strings, e->name);
    if (e->status == TISO_OK) {
        *out = e->id;
        return TISO_OK;
    }
    const char *msg = tiso__arena_get(&n->strings, e->message);
    return tiso__fail(err, e->status, NULL, "%s", msg ? msg : tiso_strerror(e->status));
}

static tiso_status resolve_domain(tiso__report_names *n, tiso_resolver *resolver, const char *norm, tiso_tenant_id *out,
                                  const char **domain, tiso_error *err)
{
    if (!n->index.seed)
        tiso__hash_seed(&n->index.seed, 1, n);
    size_t nlen = strlen(norm);
    key k = {n, norm, nlen, tiso__hash_bytes(norm, nlen, n->index.seed)};
    const tiso__report_name_entry *hit = find(n, &k, NULL);
    if (hit)
        return answer(n, hit, out, domain, err);
    tiso_tenant_id id = {{0}};
    tiso_error e;
    tiso_error_clear(&e);
    tiso_status s = tiso__resolver_lookup(resolver, norm, &id, &e);
    if (s == TISO_OK && tiso__id_nil(&id))
        s = tiso__fail(&e, TISO_E_BAD_RESPONSE, NULL, "the resolver answered the nil GUID");
    if (s != TISO_OK && !e.message[0])
        tiso__fail(&e, s, NULL, "cannot resolve domain '%s': %s", norm, tiso_strerror(s));
    if (s == TISO_E_NOMEM)
        return tiso__fail(err, s, NULL, "%s", e.message);
    remember(n, &k, s, &id, e.message);
    /* Answered from the look-up; the domain from the cache, which may have
     * failed to store it. */
    const tiso__report_name_entry *stored = find(n, &k, NULL);
    *domain = stored ? tiso__arena_get(&n->strings, stored->name) : NULL;
    if (s != TISO_OK)
        return tiso__fail(err, s, NULL, "%s", e.message);
    *out = id;
    return TISO_OK;
}

tiso_status tiso__report_names_resolve(tiso__report_names *n, tiso_resolver *resolver, const char *name,
                                       tiso_tenant_id *out, const char **domain, tiso_error *err)
{
    *domain = NULL;
    tiso_name classified;
    tiso_status s = tiso_name_classify(&classified, name, strlen(name), err);
    if (s != TISO_OK)
        return s;
    if (classified.kind == TISO_NAME_TENANT_ID) {
        *out = classified.tenant_id;
        return TISO_OK;
    }
    return resolve_domain(n, resolver, classified.domain, out, domain, err);
}

void tiso__report_names_free(tiso__report_names *n)
{
    tiso__free(n->entries);
    tiso__hash_index_free(&n->index);
    tiso__arena_free(&n->strings);
    memset(n, 0, sizeof *n);
}
