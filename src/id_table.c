/* Building the tenant ID index (see id_table.h for its layout). */
#include "id_table.h"
#include "hash_index.h"

tiso_status tiso__id_table_init(tiso__id_table *t, size_t capacity)
{
    memset(t, 0, sizeof *t);
    /* groups = ceil(capacity / (16 * 0.8)); at least one, so there is always an empty slot */
    uint64_t ngroups = ((uint64_t)capacity * 5 + 63) / 64;
    if (ngroups == 0)
        ngroups = 1;
    size_t nslots = (size_t)ngroups * TISO_GROUP;
    t->ctrl = tiso__malloc(nslots);
    t->slots = tiso__malloc(nslots * sizeof *t->slots);
    if (!t->ctrl || !t->slots) {
        tiso__id_table_free(t);
        return TISO_E_NOMEM;
    }
    memset(t->ctrl, TISO_CTRL_EMPTY, nslots);
    t->ngroups = ngroups;
    t->capacity = nslots;
    tiso__hash_seed(t->seed, 2, t);
    return TISO_OK;
}

tiso__id_slot *tiso__id_table_upsert(tiso__id_table *t, const tiso_tenant_id *key, bool *inserted)
{
    const tiso__id_slot *found = tiso__id_table_find(t, key);
    *inserted = false;
    if (found)
        return (tiso__id_slot *)(uintptr_t)found;
    uint64_t h = tiso__id_hash(t, key);
    uint64_t g = (uint64_t)(((tiso__u128)h * t->ngroups) >> 64);
    for (;;) {
        uint8_t *ctrl = t->ctrl + g * TISO_GROUP;
        for (unsigned i = 0; i < TISO_GROUP; i++) {
            if (ctrl[i] != TISO_CTRL_EMPTY)
                continue;
            ctrl[i] = (uint8_t)(h & 0x7f);
            tiso__id_slot *s = &t->slots[g * TISO_GROUP + i];
            s->key = *key;
            s->rule[0] = s->rule[1] = -1;
            t->count++;
            *inserted = true;
            return s;
        }
        if (++g == t->ngroups)
            g = 0;
    }
}

void tiso__id_table_free(tiso__id_table *t)
{
    tiso__free(t->ctrl);
    tiso__free(t->slots);
    t->ctrl = NULL;
    t->slots = NULL;
    t->ngroups = 0;
    t->count = 0;
}
