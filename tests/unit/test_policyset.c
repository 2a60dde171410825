/* Policy sets: two-sided evaluation (SPEC 3.1, policyset.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

/* B: isolation off (CONTOSO_POLICY and FABRIKAM_POLICY: test_util.h). */
#define FABRIKAM_CLOSED "{\"tenantId\": \"" FABRIKAM "\", \"isDisabled\": false, \"allowedTenants\": []}"
#define B_POLICY "{\"tenantId\": \"" TENANT_B "\", \"isDisabled\": true, \"allowedTenants\": []}"

static tiso_policy_set *new_set(unsigned flags, const char *const *docs, size_t n)
{
    tiso_policy_set *set = NULL;
    assert_int_equal(tiso_policy_set_new(&set, flags, NULL), TISO_OK);
    for (size_t i = 0; i < n; i++) {
        tiso_policy *p = tt_load(docs[i], NULL);
        assert_int_equal(tiso_policy_set_put(set, p, NULL), TISO_OK);
        tiso_policy_free(p); /* the set holds its own reference */
    }
    assert_int_equal(tiso_policy_set_count(set), n);
    return set;
}

static tiso_policy_set *standard_set(unsigned flags)
{
    static const char *const docs[] = {CONTOSO_POLICY, FABRIKAM_POLICY, B_POLICY};
    return new_set(flags, docs, 3);
}

static tiso_decision set_eval(tiso_policy_set *set, const char *creator, const char *target,
                              tiso_direction dir)
{
    tiso_decision d;
    tt_poison_decision(&d);
    tiso_status s = tiso_policy_set_evaluate(&d, set, creator, target, dir);
    if (s != TISO_OK) {
        fail_msg("%s -> %s: %s", creator, target, tiso_status_name(s));
    }
    tiso_request rq;
    memset(&rq, 0, sizeof rq);
    rq.creator = tt_id(creator);
    rq.target = tt_id(target);
    rq.direction = dir;
    tiso_decision same;
    assert_int_equal(tiso_policy_set_evaluate_request(&same, set, &rq), TISO_OK);
    assert_int_equal(same.verdict, d.verdict);
    assert_int_equal(same.reason, d.reason);
    assert_memory_equal(same.blocked_by.bytes, d.blocked_by.bytes, 16);
    return d;
}

static void assert_blocked_by(const tiso_decision *d, const char *tenant)
{
    if (tenant == NULL) {
        assert_true(tiso_tenant_id_is_nil(&d->blocked_by));
    } else {
        tiso_tenant_id id = tt_id(tenant);
        assert_true(tiso_tenant_id_equal(&d->blocked_by, &id));
    }
}

static void both_sides_allow(void **state)
{
    (void)state;
    tiso_policy_set *set = standard_set(0);
    tiso_decision d = set_eval(set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO);
    assert_int_equal(d.verdict, TISO_ALLOW);
    assert_true(d.reason == TISO_REASON_ALLOWLISTED);
    assert_blocked_by(&d, NULL);
    tiso_policy_set_free(set);
}

static void target_blocks_inbound(void **state)
{
    (void)state;
    static const char *const docs[] = {CONTOSO_POLICY, FABRIKAM_CLOSED};
    tiso_policy_set *set = new_set(0, docs, 2);
    tiso_decision d = set_eval(set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_INBOUND);
    assert_blocked_by(&d, FABRIKAM);
    tiso_tenant_id c = tt_id(CONTOSO);
    assert_true(tiso_tenant_id_equal(&d.external_tenant, &c));
    tiso_policy_set_free(set);
}

static void creator_blocks_outbound_and_is_checked_first(void **state)
{
    (void)state;
    tiso_policy_set *set = standard_set(0);
    /* Fabrikam -> Contoso: Fabrikam has no outbound entry for Contoso, and
     * Contoso has no inbound entry for Fabrikam: both block, creator named. */
    tiso_decision d = set_eval(set, FABRIKAM, CONTOSO, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_blocked_by(&d, FABRIKAM);
    tiso_policy_set_free(set);
}

static void unknown_tenants_default_to_isolation_off(void **state)
{
    (void)state;
    tiso_policy_set *set = standard_set(0);
    /* A has no policy: its outbound side is open; Contoso lists A inbound. */
    tiso_decision d = set_eval(set, TENANT_A, CONTOSO, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_INBOUND);
    assert_int_equal(d.rule, 1);
    assert_blocked_by(&d, NULL);
    /* C has no policy, Contoso does not list it outbound */
    d = set_eval(set, CONTOSO, TENANT_C, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_blocked_by(&d, CONTOSO);
    /* neither has a policy */
    d = set_eval(set, TENANT_C, TENANT_D, TISO_DIRECTION_AUTO);
    assert_int_equal(d.verdict, TISO_ALLOW);
    assert_blocked_by(&d, NULL);
    /* B's policy is off both ways */
    d = set_eval(set, TENANT_B, TENANT_C, TISO_DIRECTION_AUTO);
    assert_int_equal(d.verdict, TISO_ALLOW);
    assert_int_equal(d.reason, TISO_REASON_ISOLATION_DISABLED);
    tiso_policy_set_free(set);
}

static void unknown_tenants_isolated_on_request(void **state)
{
    (void)state;
    tiso_policy_set *set = standard_set(TISO_SET_UNKNOWN_ISOLATED);
    tiso_decision d = set_eval(set, TENANT_A, CONTOSO, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_blocked_by(&d, TENANT_A);
    d = set_eval(set, CONTOSO, TENANT_C, TISO_DIRECTION_AUTO);
    assert_int_equal(d.verdict, TISO_DENY);
    assert_blocked_by(&d, CONTOSO);
    d = set_eval(set, TENANT_C, TENANT_D, TISO_DIRECTION_AUTO);
    assert_int_equal(d.verdict, TISO_DENY);
    assert_blocked_by(&d, TENANT_C);
    d = set_eval(set, TENANT_C, TENANT_C, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_SAME_TENANT, TISO_DIRECTION_NONE);
    tiso_policy_set_free(set);
}

static void put_replaces_atomically(void **state)
{
    (void)state;
    static const char *const docs[] = {CONTOSO_POLICY, FABRIKAM_POLICY};
    tiso_policy_set *set = new_set(0, docs, 2);
    tiso_decision d = set_eval(set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO);
    assert_int_equal(d.verdict, TISO_ALLOW);
    tiso_tenant_id f = tt_id(FABRIKAM);
    tiso_policy *old = NULL;
    assert_int_equal(tiso_policy_set_get(&old, set, &f), TISO_OK);
    tiso_policy *closed = tt_load(FABRIKAM_CLOSED, NULL);
    assert_int_equal(tiso_policy_set_put(set, closed, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_count(set), 2);
    d = set_eval(set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO);
    assert_int_equal(d.verdict, TISO_DENY);
    assert_blocked_by(&d, FABRIKAM);
    tiso_policy *now = NULL;
    assert_int_equal(tiso_policy_set_get(&now, set, &f), TISO_OK);
    assert_ptr_equal(now, closed);
    /* the old policy stays valid for whoever still holds it */
    assert_int_equal(tiso_policy_entry_count(old), 1);
    tiso_policy_free(old);
    tiso_policy_free(now);
    tiso_policy_free(closed);
    tiso_policy_set_free(set);
}

static void remove_and_get(void **state)
{
    (void)state;
    tiso_policy_set *set = standard_set(0);
    tiso_tenant_id f = tt_id(FABRIKAM), a = tt_id(TENANT_A);
    tiso_policy *p = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_set_get(&p, set, &a), TISO_E_NOT_FOUND);
    assert_null(p);
    assert_int_equal(tiso_policy_set_remove(set, &f, &err), TISO_OK);
    assert_int_equal(tiso_policy_set_count(set), 2);
    assert_int_equal(tiso_policy_set_remove(set, &f, &err), TISO_E_NOT_FOUND);
    tt_assert_error(&err, TISO_E_NOT_FOUND);
    assert_int_equal(tiso_policy_set_get(&p, set, &f), TISO_E_NOT_FOUND);
    /* Fabrikam now behaves as isolation off */
    tiso_decision d = set_eval(set, FABRIKAM, TENANT_C, TISO_DIRECTION_AUTO);
    assert_int_equal(d.verdict, TISO_ALLOW);
    tiso_policy_set_free(set);
}

static void policy_without_home_is_refused(void **state)
{
    (void)state;
    tiso_policy_set *set = NULL;
    tiso_policy_builder *b = NULL;
    tiso_policy *p = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_builder_new(&b, NULL), TISO_OK);
    assert_int_equal(tiso_policy_builder_build(&p, b, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_put(set, p, &err), TISO_E_NO_HOME_TENANT);
    tt_assert_error(&err, TISO_E_NO_HOME_TENANT);
    assert_int_equal(tiso_policy_set_count(set), 0);
    tiso_policy_free(p);
    tiso_policy_builder_free(b);
    tiso_policy_set_free(set);
}

static void non_entra_connector_in_a_set(void **state)
{
    (void)state;
    static const char *const docs[] = {CONTOSO_POLICY, FABRIKAM_CLOSED};
    tiso_policy_set *set = new_set(0, docs, 2);
    tiso_request rq;
    memset(&rq, 0, sizeof rq);
    rq.creator = tt_id(CONTOSO);
    rq.target = tt_id(FABRIKAM);
    rq.direction = TISO_DIRECTION_AUTO;
    rq.connector = "shared_visualstudioteamservices";
    tiso_decision d;
    assert_int_equal(tiso_policy_set_evaluate_request(&d, set, &rq), TISO_OK);
    assert_int_equal(d.verdict, TISO_ALLOW);
    assert_int_equal(d.reason, TISO_REASON_NOT_EVALUATED_NON_ENTRA);
    assert_blocked_by(&d, NULL);
    tiso_policy_set_free(set);
}

static void errors_fail_closed(void **state)
{
    (void)state;
    tiso_policy_set *set = standard_set(0);
    tiso_decision d;
    tiso_request rq;
    memset(&rq, 0, sizeof rq);
    rq.creator = tt_id(CONTOSO);
    rq.direction = TISO_DIRECTION_AUTO;
    tt_poison_decision(&d);
    assert_int_equal(tiso_policy_set_evaluate_request(&d, set, &rq), TISO_E_INVALID_TENANT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_policy_set_evaluate(&d, set, "nope", CONTOSO, TISO_DIRECTION_AUTO),
                     TISO_E_INVALID_TENANT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_policy_set_evaluate(&d, set, NIL_GUID, NIL_GUID, TISO_DIRECTION_AUTO),
                     TISO_E_INVALID_TENANT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_policy_set_evaluate(&d, NULL, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO),
                     TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_policy_set_evaluate(&d, set, NULL, FABRIKAM, TISO_DIRECTION_AUTO),
                     TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_policy_set_evaluate(&d, set, CONTOSO, FABRIKAM, (tiso_direction)5),
                     TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_policy_set_evaluate_request(&d, set, NULL), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    assert_int_equal(tiso_policy_set_evaluate(NULL, set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO),
                     TISO_E_INVALID_ARGUMENT);
    tiso_policy_set_free(set);
}

static void null_arguments(void **state)
{
    (void)state;
    tiso_policy_set *set = NULL;
    tiso_policy *p = tt_load(CONTOSO_POLICY, NULL);
    tiso_tenant_id c = tt_id(CONTOSO);
    tiso_error err;
    assert_int_equal(tiso_policy_set_new(NULL, 0, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_set_new(&set, 0x2u, &err), TISO_E_INVALID_ARGUMENT);
    assert_null(set);
    assert_int_equal(tiso_policy_set_new(&set, 0, &err), TISO_OK);
    assert_int_equal(tiso_policy_set_put(NULL, p, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_set_put(set, NULL, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_set_remove(NULL, &c, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_set_remove(set, NULL, &err), TISO_E_INVALID_ARGUMENT);
    tiso_policy *out = NULL;
    assert_int_equal(tiso_policy_set_get(&out, NULL, &c), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_set_get(&out, set, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_set_get(NULL, set, &c), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_set_count(NULL), 0);
    tiso_policy_set_free(NULL);
    tiso_policy_set_free(set);
    tiso_policy_free(p);
}

/* SPEC 3.1: a request's direction cannot narrow a set's check. H's policy
 * is off, X's isolates: H -> X must be denied by X whatever the request
 * says its direction is (it was allowed with OUTBOUND: only H was asked). */
static void explicit_direction_cannot_narrow_a_set(void **state)
{
    (void)state;
    static const char *const docs[] = {B_POLICY, FABRIKAM_CLOSED};
    tiso_policy_set *set = new_set(0, docs, 2);
    const tiso_direction dirs[] = {TISO_DIRECTION_AUTO, TISO_DIRECTION_OUTBOUND, TISO_DIRECTION_INBOUND};
    for (size_t i = 0; i < 3; i++) {
        tiso_decision d = set_eval(set, TENANT_B, FABRIKAM, dirs[i]);
        tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_INBOUND);
        assert_blocked_by(&d, FABRIKAM);
        /* and the other way round: X's outbound side blocks */
        d = set_eval(set, FABRIKAM, TENANT_B, dirs[i]);
        tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
        assert_blocked_by(&d, FABRIKAM);
    }
    tiso_policy_set_free(set);
}

/* Both sides are in the decision; the summary is the first side that
 * blocked (the creator's), else the side that matched an entry. */
static void decide_reports_both_sides(void **state)
{
    (void)state;
    tiso_policy_set *set = standard_set(0);
    tiso_request rq;
    memset(&rq, 0, sizeof rq);
    rq.creator = tt_id(FABRIKAM);
    rq.target = tt_id(CONTOSO);
    rq.direction = TISO_DIRECTION_AUTO;
    tiso_set_decision sd;
    assert_int_equal(tiso_policy_set_decide(&sd, set, &rq), TISO_OK);
    tt_assert_decision(&sd.decision, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_blocked_by(&sd.decision, FABRIKAM);
    tt_assert_decision(&sd.outbound, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    tt_assert_decision(&sd.inbound, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_INBOUND);
    assert_blocked_by(&sd.inbound, CONTOSO);
    /* Contoso -> Fabrikam: both allow, through entries of their own */
    rq.creator = tt_id(CONTOSO);
    rq.target = tt_id(FABRIKAM);
    assert_int_equal(tiso_policy_set_decide(&sd, set, &rq), TISO_OK);
    tt_assert_decision(&sd.outbound, TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    tt_assert_decision(&sd.inbound, TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_INBOUND);
    assert_int_equal(sd.decision.verdict, TISO_ALLOW);
    /* an error fails all three closed */
    memset(&rq.target, 0, sizeof rq.target);
    assert_int_equal(tiso_policy_set_decide(&sd, set, &rq), TISO_E_INVALID_TENANT);
    tt_assert_fail_closed(&sd.decision);
    tt_assert_fail_closed(&sd.outbound);
    tt_assert_fail_closed(&sd.inbound);
    assert_int_equal(tiso_policy_set_decide(NULL, set, &rq), TISO_E_INVALID_ARGUMENT);
    tiso_policy_set_free(set);
}

/* What an audit hook saw: the summary and both sides, copied. */
typedef struct seen {
    tiso_decision decision, outbound, inbound;
    size_t calls;
} seen;

static void keep(void *user, const tiso_audit_record *r)
{
    seen *s = user;
    s->decision = *r->decision;
    s->outbound = *r->outbound;
    s->inbound = *r->inbound;
    s->calls++;
}

/* One request through every path: the summary-only call (which may skip the
 * target's side and fills the caller's decision in place), the two-sided
 * call, the batch, and each again with a hook. Every field of every
 * decision must agree, and the hook must see what the two-sided call
 * returns. */
static void same_answer_on_every_path(tiso_policy_set *set, const tiso_request *rq)
{
    tiso_set_decision whole, batch;
    tiso_decision summary;
    tiso_status st_whole, st_batch;
    /* A different poison in each output: a field one path leaves unset differs. */
    memset(&whole, 0xa5, sizeof whole);
    memset(&batch, 0x5a, sizeof batch);
    memset(&summary, 0x3c, sizeof summary);
    st_whole = tiso_policy_set_decide(&whole, set, rq);
    assert_int_equal(tiso_policy_set_decide_batch(&batch, &st_batch, set, rq, 1), TISO_OK);
    assert_int_equal(st_batch, st_whole);
    assert_memory_equal(&batch, &whole, sizeof whole);
    assert_int_equal(tiso_policy_set_evaluate_request(&summary, set, rq), st_whole);
    assert_memory_equal(&summary, &whole.decision, sizeof summary);
    seen s = {.calls = 0};
    assert_int_equal(tiso_policy_set_set_audit(set, keep, &s, NULL), TISO_OK);
    memset(&summary, 0xc3, sizeof summary);
    assert_int_equal(tiso_policy_set_evaluate_request(&summary, set, rq), st_whole);
    assert_int_equal(s.calls, 1);
    assert_memory_equal(&summary, &whole.decision, sizeof summary);
    assert_memory_equal(&s.decision, &whole.decision, sizeof summary);
    assert_memory_equal(&s.outbound, &whole.outbound, sizeof summary);
    assert_memory_equal(&s.inbound, &whole.inbound, sizeof summary);
    memset(&whole, 0x96, sizeof whole);
    assert_int_equal(tiso_policy_set_decide(&whole, set, rq), st_whole);
    assert_int_equal(s.calls, 2);
    assert_memory_equal(&s, &whole, sizeof whole);
    assert_int_equal(tiso_policy_set_set_audit(set, NULL, NULL, NULL), TISO_OK);
}

static void every_path_gives_one_answer(void **state)
{
    (void)state;
    static const char *const tenants[] = {CONTOSO, FABRIKAM, TENANT_A, TENANT_B, TENANT_C};
    static const char *const connectors[] = {NULL, "shared_visualstudioteamservices", "shared_office365"};
    static const tiso_direction dirs[] = {TISO_DIRECTION_AUTO, TISO_DIRECTION_INBOUND, TISO_DIRECTION_OUTBOUND,
                                          TISO_DIRECTION_NONE};
    for (unsigned flags = 0; flags <= TISO_SET_UNKNOWN_ISOLATED; flags += TISO_SET_UNKNOWN_ISOLATED) {
        tiso_policy_set *set = standard_set(flags);
        for (size_t c = 0; c < 5; c++)
            for (size_t t = 0; t < 5; t++)
                for (size_t k = 0; k < 3; k++)
                    for (size_t d = 0; d < 4; d++) {
                        tiso_request rq = {tt_id(tenants[c]), tt_id(tenants[t]), dirs[d], connectors[k],
                                           TISO_AUTH_UNKNOWN};
                        same_answer_on_every_path(set, &rq);
                    }
        tiso_request nil = {tt_id(CONTOSO), {{0}}, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_UNKNOWN};
        same_answer_on_every_path(set, &nil);
        tiso_policy_set_free(set);
    }
}

/* SPEC 3.1: one policy per home tenant. A second policy for a home is a
 * conflict, not a silent replacement, unless it comes from the same file
 * (a reload) or is put explicitly. */
static void second_policy_for_a_home_is_a_conflict(void **state)
{
    (void)state;
    char *open_path = tt_write_temp(B_POLICY, strlen(B_POLICY));
    const char *closed_doc = "{\"tenantId\": \"" TENANT_B "\", \"isDisabled\": false, \"allowedTenants\": []}";
    char *closed_path = tt_write_temp(closed_doc, strlen(closed_doc));
    tiso_policy_set *set = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_load_file(set, closed_path, NULL, &err), TISO_OK);
    assert_int_equal(tiso_policy_set_load_file(set, open_path, NULL, &err), TISO_E_CONFLICT);
    tt_assert_error(&err, TISO_E_CONFLICT);
    tt_assert_contains(err.message, open_path);
    tt_assert_contains(err.message, closed_path);
    assert_int_equal(set_eval(set, TENANT_B, TENANT_C, TISO_DIRECTION_AUTO).verdict, TISO_DENY);
    /* the same file again is a reload: it replaces its own policy */
    assert_int_equal(tiso_policy_set_load_file(set, closed_path, NULL, &err), TISO_OK);
    assert_int_equal(tiso_policy_set_count(set), 1);
    /* add refuses, put replaces */
    tiso_policy *open = tt_load(B_POLICY, NULL);
    assert_int_equal(tiso_policy_set_add(set, open, &err), TISO_E_CONFLICT);
    tt_assert_error(&err, TISO_E_CONFLICT);
    assert_int_equal(set_eval(set, TENANT_B, TENANT_C, TISO_DIRECTION_AUTO).verdict, TISO_DENY);
    assert_int_equal(tiso_policy_set_put(set, open, &err), TISO_OK);
    assert_int_equal(set_eval(set, TENANT_B, TENANT_C, TISO_DIRECTION_AUTO).verdict, TISO_ALLOW);
    tiso_policy *c = tt_load(CONTOSO_POLICY, NULL);
    assert_int_equal(tiso_policy_set_add(set, c, &err), TISO_OK);
    assert_int_equal(tiso_policy_set_add(NULL, c, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_set_count(set), 2);
    tiso_policy_free(c);
    tiso_policy_free(open);
    tiso_policy_set_free(set);
    unlink(open_path);
    unlink(closed_path);
    free(open_path);
    free(closed_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(both_sides_allow),
        cmocka_unit_test(target_blocks_inbound),
        cmocka_unit_test(creator_blocks_outbound_and_is_checked_first),
        cmocka_unit_test(unknown_tenants_default_to_isolation_off),
        cmocka_unit_test(unknown_tenants_isolated_on_request),
        cmocka_unit_test(put_replaces_atomically),
        cmocka_unit_test(remove_and_get),
        cmocka_unit_test(policy_without_home_is_refused),
        cmocka_unit_test(non_entra_connector_in_a_set),
        cmocka_unit_test(errors_fail_closed),
        cmocka_unit_test(null_arguments),
        cmocka_unit_test(explicit_direction_cannot_narrow_a_set),
        cmocka_unit_test(decide_reports_both_sides),
        cmocka_unit_test(every_path_gives_one_answer),
        cmocka_unit_test(second_policy_for_a_home_is_a_conflict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
