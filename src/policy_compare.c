/* Comparing two policies tenant by tenant (see tiso_policy_compare). The
 * index already holds one slot per tenant whose rules merge the directions
 * of all its entries (the builder's additive semantics); this only puts the
 * slots in a fixed order, "*" first, and walks both policies side by side. */
#include <stdlib.h>
#include <string.h>

#include "policy_internal.h"

/* One tenant's merged grant. */
typedef struct grant {
    const tiso_tenant_id *tenant; /* NULL for "*" */
    unsigned dirs;
    const char *label; /* borrowed; NULL */
    bool listed;
} grant;

static unsigned dirs_of(const int32_t rule[2])
{
    return (rule[0] >= 0 ? TISO_ALLOW_INBOUND : 0u) | (rule[1] >= 0 ? TISO_ALLOW_OUTBOUND : 0u);
}

static int grant_cmp(const void *a, const void *b)
{
    const grant *x = a, *y = b;
    if (x->tenant == NULL || y->tenant == NULL)
        return (y->tenant == NULL) - (x->tenant == NULL);
    return memcmp(x->tenant->bytes, y->tenant->bytes, sizeof x->tenant->bytes);
}

/* The policy's grants, one per listed tenant, sorted. Indexed first by slot
 * ([0] is "*"), so the entries, walked in order, give each its first label. */
static tiso_status grants_of(grant **out, size_t *n, const tiso_policy *p)
{
    size_t cap = (size_t)p->index.capacity + 1;
    grant *g = tiso__calloc(cap, sizeof *g);
    if (!g)
        return TISO_E_NOMEM;
    for (size_t i = 0; i < p->entry_count; i++) {
        const tiso__entry *e = &p->entries[i];
        bool wild = e->slot == TISO_NO_SLOT;
        grant *r = &g[wild ? 0 : (size_t)e->slot + 1];
        if (!r->listed) {
            r->listed = true;
            r->tenant = wild ? NULL : &p->index.slots[e->slot].key;
            r->dirs = dirs_of(wild ? p->wildcard_rule : p->index.slots[e->slot].rule);
        }
        if (!r->label)
            r->label = tiso__arena_str(p->strings, e->name ? e->name : e->domain);
    }
    *n = 0;
    for (size_t i = 0; i < cap; i++)
        if (g[i].listed)
            g[(*n)++] = g[i];
    qsort(g, *n, sizeof *g, grant_cmp);
    *out = g;
    return TISO_OK;
}

/* Reports a tenant in `a` only (c < 0), in `b` only (c > 0) or in both. */
static void report(tiso_policy_comparison *out, tiso_policy_change_fn fn, void *user, const grant *a,
                   const grant *b, int c)
{
    tiso_policy_change ch = {.before = c <= 0 ? a->dirs : 0u, .after = c >= 0 ? b->dirs : 0u};
    if (c == 0 && ch.before == ch.after)
        return;
    const grant *g = c < 0 ? a : b;
    ch.kind = c < 0 ? TISO_CHANGE_REMOVED : c > 0 ? TISO_CHANGE_ADDED : TISO_CHANGE_CHANGED;
    ch.is_wildcard = g->tenant == NULL;
    if (g->tenant)
        ch.tenant = *g->tenant;
    ch.label = g->label != NULL || c != 0 ? g->label : a->label;
    (*(c < 0 ? &out->removed : c > 0 ? &out->added : &out->changed))++;
    if (fn)
        fn(user, &ch);
}

tiso_status tiso_policy_compare(tiso_policy_comparison *out, tiso_policy_change_fn fn, void *user,
                                const tiso_policy *before, const tiso_policy *after, tiso_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!out || !before || !after)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "NULL argument to tiso_policy_compare");
    grant *a = NULL, *b = NULL;
    size_t na, nb;
    if (grants_of(&a, &na, before) != TISO_OK || grants_of(&b, &nb, after) != TISO_OK) {
        tiso__free(a);
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory comparing policies");
    }
    out->isolation_before = before->isolation;
    out->isolation_after = after->isolation;
    for (size_t i = 0, j = 0; i < na || j < nb;) {
        int c = i == na ? 1 : j == nb ? -1 : grant_cmp(&a[i], &b[j]);
        report(out, fn, user, i < na ? &a[i] : NULL, j < nb ? &b[j] : NULL, c);
        i += c <= 0;
        j += c >= 0;
    }
    tiso__free(a);
    tiso__free(b);
    return TISO_OK;
}
