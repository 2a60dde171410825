/* Counts per (home, external tenant): the summary rows and the allowlist
 * entries a suggestion needs. The number of rows grows with the number of
 * distinct tenants, never with the number of connections. */
#include <string.h>

#include "report_internal.h"

static uint64_t key_hash(const tiso__report_tally *t, const tiso_tenant_id *home, const tiso_tenant_id *ext)
{
    tiso_tenant_id key[2] = {*home, *ext};
    return tiso__report_hash(key, sizeof key, t->seed);
}

/* Rebuilds the slot array at twice the size (load stays under a half). */
static tiso_status rehash(tiso__report_tally *t)
{
    size_t nslots = t->nslots ? t->nslots * 2 : 64;
    uint32_t *slots = tiso__calloc(nslots, sizeof *slots);
    if (!slots)
        return TISO_E_NOMEM;
    for (size_t i = 0; i < t->count; i++) {
        size_t s = key_hash(t, &t->rows[i].home, &t->rows[i].external) & (nslots - 1);
        while (slots[s])
            s = (s + 1) & (nslots - 1);
        slots[s] = (uint32_t)(i + 1);
    }
    tiso__free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return TISO_OK;
}

tiso__report_tally_row *tiso__report_tally_get(tiso__report_tally *t, const tiso_tenant_id *home,
                                               const tiso_tenant_id *external, bool *created)
{
    *created = false;
    if (!t->seed)
        t->seed = tiso__report_seed(t) | 1;
    if ((t->count + 1) * 2 > t->nslots && rehash(t) != TISO_OK)
        return NULL;
    size_t s = key_hash(t, home, external) & (t->nslots - 1);
    for (; t->slots[s]; s = (s + 1) & (t->nslots - 1)) {
        tiso__report_tally_row *row = &t->rows[t->slots[s] - 1];
        if (tiso__id_eq(&row->home, home) && tiso__id_eq(&row->external, external))
            return row;
    }
    void *rows = t->rows;
    if (t->count >= UINT32_MAX - 1 || tiso__report_grow(&rows, &t->cap, t->count + 1, sizeof *t->rows) != TISO_OK)
        return NULL;
    t->rows = rows;
    tiso__report_tally_row *row = &t->rows[t->count];
    memset(row, 0, sizeof *row);
    row->home = *home;
    row->external = *external;
    t->slots[s] = (uint32_t)(++t->count);
    *created = true;
    return row;
}

const tiso__report_tally_row *tiso__report_tally_find(const tiso__report_tally *t, const tiso_tenant_id *home,
                                                      const tiso_tenant_id *external)
{
    if (!t->nslots)
        return NULL;
    size_t s = key_hash(t, home, external) & (t->nslots - 1);
    for (; t->slots[s]; s = (s + 1) & (t->nslots - 1)) {
        const tiso__report_tally_row *row = &t->rows[t->slots[s] - 1];
        if (tiso__id_eq(&row->home, home) && tiso__id_eq(&row->external, external))
            return row;
    }
    return NULL;
}

tiso_status tiso__report_tally_count(tiso__report_tally *t, tiso__report_tally_row *row, uint32_t row_index,
                                     unsigned dir, bool blocked)
{
    if (row->connections[dir] == 0) {
        /* A new public summary row: remember when it appeared. */
        void *order = t->order;
        if (tiso__report_grow(&order, &t->order_cap, t->order_count + 1, sizeof *t->order) != TISO_OK)
            return TISO_E_NOMEM;
        t->order = order;
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
    tiso__free(t->slots);
    tiso__free(t->order);
    memset(t, 0, sizeof *t);
}
