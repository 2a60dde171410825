/* The decision model (see fuzz_policy_oracle.h). It scans the entries in
 * order, as SPEC 3 reads: no hash table, so it shares no code and no
 * mistakes with the evaluator. */
#include "fuzz_policy_oracle.h"

#include "fuzz_util.h"

#define GRID_ENTRIES 6

void fuzz_check_decision_shape(const tiso_decision *d, tiso_status status)
{
    if (status != TISO_OK) {
        FUZZ_CHECK(d->verdict == TISO_DENY && d->reason == TISO_REASON_NONE && d->rule == -1,
                   "an error (%s) did not fail closed", tiso_status_name(status));
        return;
    }
    int allow_reason = d->reason >= TISO_REASON_SAME_TENANT && d->reason <= TISO_REASON_WILDCARD;
    FUZZ_CHECK(d->verdict == TISO_ALLOW ? allow_reason : d->reason == TISO_REASON_NOT_ALLOWLISTED,
               "verdict %s with reason %s", tiso_verdict_name(d->verdict), tiso_reason_name(d->reason));
    int with_rule = d->reason == TISO_REASON_ALLOWLISTED || d->reason == TISO_REASON_WILDCARD;
    FUZZ_CHECK(with_rule ? d->rule >= 0 : d->rule == -1, "reason %s with rule %d", tiso_reason_name(d->reason),
               (int)d->rule);
}

/* The model's rule 6 and 7: the first entry granting `bit` to `ext`, else
 * the first "*" entry granting it; -1 if none. `*wildcard` says which. */
static int32_t model_rule(const tiso_policy *p, const tiso_tenant_id *ext, unsigned bit, int *wildcard)
{
    size_t n = tiso_policy_entry_count(p);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            tiso_policy_entry e;
            FUZZ_CHECK(tiso_policy_entry_at(&e, p, i) == TISO_OK, "entry %zu", i);
            int match = pass ? e.is_wildcard : !e.is_wildcard && tiso_tenant_id_equal(&e.tenant, ext);
            if (match && (e.directions & bit)) {
                *wildcard = pass;
                return (int32_t)i;
            }
        }
    }
    return -1;
}

/* SPEC 3, rules 2 to 8, for valid IDs and an Entra connector. */
static tiso_status model(tiso_decision *d, const tiso_policy *p, const tiso_tenant_id *c, const tiso_tenant_id *t,
                         tiso_direction dir)
{
    memset(d, 0, sizeof *d);
    d->verdict = TISO_ALLOW;
    d->rule = -1;
    tiso_tenant_id home;
    int has_home = tiso_policy_home_tenant(&home, p);
    if (tiso_tenant_id_equal(c, t)) {
        d->reason = TISO_REASON_SAME_TENANT;
        return TISO_OK;
    }
    if (dir == TISO_DIRECTION_AUTO && !has_home)
        return TISO_E_NO_HOME_TENANT;
    if (dir == TISO_DIRECTION_AUTO)
        dir = tiso_tenant_id_equal(c, &home)   ? TISO_DIRECTION_OUTBOUND
              : tiso_tenant_id_equal(t, &home) ? TISO_DIRECTION_INBOUND
                                               : TISO_DIRECTION_NONE;
    else if (has_home && !tiso_tenant_id_equal(dir == TISO_DIRECTION_OUTBOUND ? c : t, &home))
        return TISO_E_INCONSISTENT_DIRECTION;
    if (dir == TISO_DIRECTION_NONE) {
        d->reason = TISO_REASON_NOT_APPLICABLE;
        return TISO_OK;
    }
    int inbound = dir == TISO_DIRECTION_INBOUND;
    d->direction = dir;
    d->external_tenant = inbound ? *c : *t;
    if (!tiso_policy_isolation_enabled(p)) {
        d->reason = TISO_REASON_ISOLATION_DISABLED;
        return TISO_OK;
    }
    int wildcard = 0;
    d->rule = model_rule(p, &d->external_tenant, inbound ? TISO_ALLOW_INBOUND : TISO_ALLOW_OUTBOUND, &wildcard);
    d->reason = d->rule < 0 ? TISO_REASON_NOT_ALLOWLISTED : wildcard ? TISO_REASON_WILDCARD : TISO_REASON_ALLOWLISTED;
    if (d->rule < 0) {
        d->verdict = TISO_DENY;
        d->blocked_by = inbound ? *t : *c;
    }
    return TISO_OK;
}

void fuzz_oracle_check(const tiso_policy *p, const tiso_tenant_id *creator, const tiso_tenant_id *target,
                       tiso_direction direction)
{
    tiso_decision got, want;
    tiso_status s = tiso_evaluate_ids(&got, p, creator, target, direction);
    tiso_status ws = model(&want, p, creator, target, direction);
    fuzz_check_decision_shape(&got, s);
    FUZZ_CHECK(s == ws, "direction %s: status %s, the model %s", tiso_direction_name(direction), tiso_status_name(s),
               tiso_status_name(ws));
    if (s != TISO_OK)
        return;
    FUZZ_CHECK(got.verdict == want.verdict && got.reason == want.reason && got.rule == want.rule &&
                   got.direction == want.direction,
               "direction %s: %s/%s/rule %d/%s, the model %s/%s/rule %d/%s", tiso_direction_name(direction),
               tiso_verdict_name(got.verdict), tiso_reason_name(got.reason), (int)got.rule,
               tiso_direction_name(got.direction), tiso_verdict_name(want.verdict), tiso_reason_name(want.reason),
               (int)want.rule, tiso_direction_name(want.direction));
    FUZZ_CHECK(tiso_tenant_id_equal(&got.external_tenant, &want.external_tenant) ||
                   (tiso_tenant_id_is_nil(&got.external_tenant) && tiso_tenant_id_is_nil(&want.external_tenant)),
               "external tenant differs from the model");
    FUZZ_CHECK(tiso_tenant_id_equal(&got.blocked_by, &want.blocked_by) ||
                   (tiso_tenant_id_is_nil(&got.blocked_by) && tiso_tenant_id_is_nil(&want.blocked_by)),
               "blocked_by differs from the model");
    /* The string entry point must agree with the parsed one. */
    char c[TISO_TENANT_ID_LEN + 1], t[TISO_TENANT_ID_LEN + 1];
    tiso_tenant_id_format(c, creator);
    tiso_tenant_id_format(t, target);
    tiso_decision again;
    FUZZ_CHECK(tiso_evaluate(&again, p, c, t, direction) == s && again.verdict == got.verdict &&
                   again.reason == got.reason && again.rule == got.rule,
               "tiso_evaluate differs from tiso_evaluate_ids");
}

void fuzz_oracle_check_grid(const tiso_policy *p)
{
    tiso_tenant_id ids[GRID_ENTRIES + 2];
    size_t n = 0;
    if (tiso_policy_home_tenant(&ids[n], p))
        n++;
    for (size_t i = 0; i < tiso_policy_entry_count(p) && n < GRID_ENTRIES; i++) {
        tiso_policy_entry e;
        if (tiso_policy_entry_at(&e, p, i) == TISO_OK && !e.is_wildcard)
            ids[n++] = e.tenant;
    }
    /* A tenant no document in the corpus names. */
    static const char outsider[] = "0badc0de-0000-4000-8000-00000000beef";
    FUZZ_CHECK(tiso_tenant_id_parse(&ids[n++], outsider, sizeof outsider - 1) == TISO_OK, "setup");
    static const tiso_direction dirs[] = {TISO_DIRECTION_AUTO, TISO_DIRECTION_INBOUND, TISO_DIRECTION_OUTBOUND};
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++)
            for (size_t d = 0; d < 3; d++)
                fuzz_oracle_check(p, &ids[a], &ids[b], dirs[d]);
}
