/* The suggested policy: the given policy plus, for each external tenant it
 * blocked, one entry with exactly the directions in which it was blocked.
 * Nothing fewer works: a blocked connection's tenant had no entry for that
 * direction (else it would not have been blocked), so each needs one; and
 * nothing more is added, so removing any new entry or direction blocks a
 * connection again. Existing entries stay as they are, isolation is not
 * touched, and "*" is never suggested: it would open the door to everyone. */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static bool wanted(const tiso__report_tally_row *row, const tiso_tenant_id *home, const tiso_tenant_id *only,
                   size_t only_count)
{
    if (!row->needs || !tiso__id_eq(&row->home, home))
        return false;
    if (!only_count)
        return true;
    for (size_t i = 0; i < only_count; i++)
        if (tiso__id_eq(&only[i], &row->external))
            return true;
    return false;
}

size_t tiso_report_suggested_count(const tiso_report *r, const tiso_tenant_id *home)
{
    tiso_tenant_id h;
    if (!r)
        return 0;
    if (!home) {
        if (!r->after.policy || !tiso_policy_home_tenant(&h, r->after.policy))
            return 0;
        home = &h;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->tally.count; i++)
        n += wanted(&r->tally.rows[i], home, NULL, 0);
    return n;
}

/* The policy the suggestion starts from: the report's own, the set's
 * policy for `home` (a new reference), or NULL for a tenant without one. */
static tiso_status base_policy(const tiso_report *r, const tiso_tenant_id *home, tiso_policy **base, tiso_error *err)
{
    *base = NULL;
    if (r->after.set) {
        tiso_status s = tiso_policy_set_get(base, r->after.set, home);
        return s == TISO_E_NOT_FOUND ? TISO_OK : s;
    }
    tiso_tenant_id own;
    if (!tiso_policy_home_tenant(&own, r->after.policy) || !tiso__id_eq(&own, home))
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "the report's policy is not the policy of that tenant");
    *base = tiso_policy_ref(r->after.policy);
    return TISO_OK;
}

static tiso_status copy_policy(tiso_policy_builder *b, const tiso_policy *base, const tiso_tenant_id *home,
                               tiso_error *err)
{
    tiso_status s = tiso_policy_builder_set_home(b, home);
    if (s == TISO_OK)
        s = tiso_policy_builder_set_isolation(b, base ? tiso_policy_isolation_enabled(base) : 1);
    if (s == TISO_OK)
        s = tiso_policy_builder_set_evaluate_non_entra(b, tiso_policy_evaluates_non_entra(base));
    size_t n = tiso_policy_entry_count(base);
    for (size_t i = 0; s == TISO_OK && i < n; i++) {
        tiso_policy_entry e;
        tiso_policy_entry_at(&e, base, i);
        s = tiso_policy_builder_add(b, e.is_wildcard ? NULL : &e.tenant, e.directions, e.display_name, e.domain, err);
    }
    return s;
}

static int by_first_blocked(const void *a, const void *b)
{
    const tiso__report_tally_row *x = *(const tiso__report_tally_row *const *)a,
                                 *y = *(const tiso__report_tally_row *const *)b;
    return (x->first_blocked > y->first_blocked) - (x->first_blocked < y->first_blocked);
}

tiso_status tiso__report_needed_rows(const tiso_report *r, const tiso__report_tally_row ***out, size_t *n)
{
    *n = 0;
    const tiso__report_tally_row **rows = tiso__calloc(r->tally.count ? r->tally.count : 1, sizeof *rows);
    if (!rows)
        return TISO_E_NOMEM;
    for (size_t i = 0; i < r->tally.count; i++)
        if (r->tally.rows[i].needs)
            rows[(*n)++] = &r->tally.rows[i];
    qsort((void *)rows, *n, sizeof *rows, by_first_blocked);
    *out = rows;
    return TISO_OK;
}

/* Appends the needed entries in the order their first block was seen. */
static tiso_status add_needs(const tiso_report *r, tiso_policy_builder *b, const tiso_tenant_id *home,
                             const tiso_tenant_id *only, size_t only_count, tiso_error *err)
{
    const tiso__report_tally_row **rows;
    size_t n;
    if (tiso__report_needed_rows(r, &rows, &n) != TISO_OK)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory suggesting a policy");
    tiso_status s = TISO_OK;
    for (size_t i = 0; s == TISO_OK && i < n; i++) {
        if (!wanted(rows[i], home, only, only_count))
            continue;
        const char *label = tiso__arena_get(&r->strings, rows[i]->label);
        const char *name = rows[i]->label_is_domain ? NULL : label;
        const char *domain = rows[i]->label_is_domain ? label : NULL;
        s = tiso_policy_builder_add(b, &rows[i]->external, rows[i]->needs, name, domain, err);
    }
    tiso__free((void *)rows);
    return s;
}

tiso_status tiso_report_suggested_policy(tiso_policy **out, const tiso_report *r, const tiso_tenant_id *home,
                                         const tiso_tenant_id *only, size_t only_count, tiso_error *err)
{
    if (!r || !out || (only_count && !only))
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_suggested_policy: NULL pointer");
    tiso_tenant_id h;
    if (!home && r->after.set)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "a policy set's suggestion needs the home tenant");
    if (!home && !tiso_policy_home_tenant(&h, r->after.policy))
        return tiso__fail(err, TISO_E_NO_HOME_TENANT, NULL,
                          "the policy has no home tenant (properties.tenantId) to suggest entries for");
    if (!home)
        home = &h;
    tiso_policy *base = NULL;
    tiso_policy_builder *b = NULL;
    tiso_status s = base_policy(r, home, &base, err);
    if (s == TISO_OK)
        s = tiso_policy_builder_new(&b, err);
    if (s == TISO_OK)
        s = copy_policy(b, base, home, err);
    if (s == TISO_OK)
        s = add_needs(r, b, home, only, only_count, err);
    if (s == TISO_OK)
        s = tiso_policy_builder_build(out, b, err);
    if (s == TISO_E_LIMIT) /* say which limit, and that it is the suggestion that meets it */
        tiso__fail(err, s, NULL, "the suggested policy would need more allowlist entries than the entry limit of %u",
                   TISO_DEFAULT_MAX_ENTRIES);
    tiso_policy_builder_free(b);
    tiso_policy_free(base);
    return s;
}
