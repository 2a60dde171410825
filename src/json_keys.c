/* The one duplicate-key check (see json_keys.h). */
#include <stdlib.h>
#include <string.h>

#include "json_keys.h"

/* Below this many keys pairwise comparison beats sorting. */
#define PAIRWISE_MAX 12

static bool same(const tiso__json_key *a, const tiso__json_key *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

typedef struct sorted_key {
    const tiso__json_key *key;
    size_t index;
} sorted_key;

static int compare(const void *pa, const void *pb)
{
    const sorted_key *a = pa, *b = pb;
    size_t n = a->key->len < b->key->len ? a->key->len : b->key->len;
    int c = memcmp(a->key->s, b->key->s, n);
    if (c == 0 && a->key->len != b->key->len)
        c = a->key->len < b->key->len ? -1 : 1;
    if (c == 0)
        c = a->index < b->index ? -1 : 1;
    return c;
}

tiso_status tiso__json_keys_duplicate(size_t *dup, const tiso__json_key *keys, size_t n)
{
    *dup = n;
    if (n <= PAIRWISE_MAX) {
        for (size_t i = 1; i < n && *dup == n; i++)
            for (size_t j = 0; j < i; j++)
                if (same(&keys[i], &keys[j])) {
                    *dup = i;
                    break;
                }
        return TISO_OK;
    }
    sorted_key *order = tiso__calloc(n, sizeof *order);
    if (!order)
        return TISO_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        order[i] = (sorted_key){&keys[i], i};
    qsort(order, n, sizeof *order, compare);
    /* Equal keys are adjacent, in document order: a run's second member is
     * its key's second occurrence. */
    for (size_t i = 1; i < n; i++)
        if (same(order[i].key, order[i - 1].key) && order[i].index < *dup)
            *dup = order[i].index;
    tiso__free(order);
    return TISO_OK;
}

tiso_status tiso__json_object_duplicate(const cJSON **dup, const cJSON *obj)
{
    *dup = NULL;
    size_t n = 0;
    for (const cJSON *m = obj ? obj->child : NULL; m; m = m->next)
        n++;
    tiso__json_key small[PAIRWISE_MAX] = {{NULL, 0}};
    tiso__json_key *keys = n <= PAIRWISE_MAX ? small : tiso__calloc(n, sizeof *keys);
    if (!keys)
        return TISO_E_NOMEM;
    size_t i = 0;
    for (const cJSON *m = obj ? obj->child : NULL; m; m = m->next, i++)
        keys[i] = (tiso__json_key){m->string ? m->string : "", m->string ? strlen(m->string) : 0};
    size_t at;
    tiso_status s = tiso__json_keys_duplicate(&at, keys, n);
    if (keys != small)
        tiso__free(keys);
    if (s == TISO_OK && at < n) {
        const cJSON *m = obj->child;
        while (at--)
            m = m->next;
        *dup = m;
    }
    return s;
}
