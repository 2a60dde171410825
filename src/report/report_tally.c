/* Counts per (home, external tenant): the summary rows and the allowlist
 * entries a suggestion needs. The number of rows grows with the number of
 * distinct tenants, never with the number of connections. */
#include <string.h>

#include "report_internal.h"

typedef struct key {
    const tiso__report_tally *t;
    tiso_tenant_id pair[2]; /* home, external */
} key;

static uint64_t row_hash(const void *rows, size_t row, uint64_t seed)
{
    const tiso__report_tally_row *r = (const tiso__report_tally_row *)rows + row;
    tiso_tenant_id pair[2] = {r->home, r->external};
    return tiso__hash_bytes(pair, sizeof pair, seed);
}

static bool row_is(const void *k, size_t row)
{
    const key *want = k;
    const tiso__report_tally_row *r = &want->t->rows[row];
    return tiso__id_eq(&r->home, &want->pair[0]) && tiso__id_eq(&r->external, &want->pair[1]);
}

static size_t find(const tiso__report_tally *t, const tiso_tenant_id *home, const tiso_tenant_id *external,
                   size_t *slot)
{
    key k = {t, {*home, *external}};
    return tiso__hash_index_find(&t->index, tiso__hash_bytes(k.pair, sizeof k.pair, t->index.seed), row_is, &k, slot);
}

tiso__report_tally_row *tiso__report_tally_get(tiso__report_tally *t, const tiso_tenant_id *home,
                                               const tiso_tenant_id *external, bool *created)
{
    *created = false;
    if (tiso__hash_index_room(&t->index, t->count, row_hash, t->rows) != TISO_OK)
        return NULL;
    size_t slot, row = find(t, home, external, &slot);
    if (row != SIZE_MAX)
        return &t->rows[row];
    if (tiso__grow(&t->rows, &t->cap, t->count + 1, sizeof *t->rows) != TISO_OK)
        return NULL;
    tiso__report_tally_row *r = &t->rows[t->count];
    memset(r, 0, sizeof *r);
    r->home = *home;
    r->external = *external;
    t->index.slots[slot] = (uint32_t)(++t->count);
    *created = true;
    return r;
}

const tiso__report_tally_row *tiso__report_tally_find(const tiso__report_tally *t, const tiso_tenant_id *home,
                                                      const tiso_tenant_id *external)
{
    size_t row = find(t, home, external, NULL);
    return row == SIZE_MAX ? NULL : &t->rows[row];
}

tiso_status tiso__report_tally_count(tiso__report_tally *t, tiso__report_tally_row *row, uint32_t row_index,
                                     unsigned dir, bool blocked)
{
    if (row->connections[dir] == 0) {
        /* A new public summary row: remember when it appeared. */
        if (tiso__grow(&t->order, &t->order_cap, t->order_count + 1, sizeof *t->order) != TISO_OK)
            return TISO_E_NOMEM;
        t->order[t->order_count++] = (tiso__report_tally_ref){row_index, dir};
    }
    row->connections[dir]++;
    if (blocked)
        row->blocked[dir]++;
    return TISO_OK;
}

void tiso__report_tally_free(tiso__report_tally *t)
{
    tiso__free(t->rows);
    tiso__hash_index_free(&t->index);
    tiso__free(t->order);
    memset(t, 0, sizeof *t);
}
