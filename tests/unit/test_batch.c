/* The batch calls (batch.h): each request decided exactly as alone, a bad
 * request denying only itself, misuse refused fail-closed, the audit hook
 * once per request. */
#include <string.h>

#include "test_util.h"

#define NREQ 14

static tiso_request req(const char *creator, const char *target, tiso_direction dir, const char *connector,
                        tiso_auth_kind auth)
{
    tiso_request r;
    memset(&r, 0, sizeof r);
    if (creator)
        r.creator = tt_id(creator);
    if (target)
        r.target = tt_id(target);
    r.direction = dir;
    r.connector = connector;
    r.auth = auth;
    return r;
}

/* Good and bad requests mixed: every rule, every kind of refusal. */
static void requests(tiso_request *r)
{
    size_t i = 0;
    r[i++] = req(CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_UNKNOWN);     /* allow */
    r[i++] = req(NULL, FABRIKAM, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_UNKNOWN);        /* nil creator */
    r[i++] = req(CONTOSO, TENANT_B, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_UNKNOWN);     /* deny */
    r[i++] = req(CONTOSO, TENANT_B, (tiso_direction)0, NULL, TISO_AUTH_UNKNOWN);       /* bad direction */
    r[i++] = req(TENANT_A, CONTOSO, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_UNKNOWN);     /* inbound allow */
    r[i++] = req(CONTOSO, TENANT_B, TISO_DIRECTION_INBOUND, NULL, TISO_AUTH_UNKNOWN);  /* inconsistent */
    r[i++] = req(CONTOSO, TENANT_B, TISO_DIRECTION_AUTO, "shared_visualstudioteamservices",
                 TISO_AUTH_UNKNOWN);                                                   /* non-Entra */
    r[i++] = req(CONTOSO, TENANT_B, TISO_DIRECTION_AUTO, NULL, (tiso_auth_kind)7);     /* bad auth */
    r[i++] = req(CONTOSO, CONTOSO, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_UNKNOWN);      /* same tenant */
    r[i++] = req(TENANT_C, TENANT_D, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_UNKNOWN);    /* not applicable */
    r[i++] = req(FABRIKAM, CONTOSO, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_UNKNOWN);     /* deny inbound */
    r[i++] = req(CONTOSO, NULL, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_UNKNOWN);         /* nil target */
    r[i++] = req(CONTOSO, FABRIKAM, (tiso_direction)99, NULL, TISO_AUTH_UNKNOWN);      /* bad direction */
    r[i++] = req(CONTOSO, TENANT_B, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_NON_ENTRA);   /* non-Entra */
    assert_int_equal(i, NREQ);
}

static void assert_same_decision(const tiso_decision *a, const tiso_decision *b)
{
    assert_int_equal(a->verdict, b->verdict);
    assert_int_equal(a->reason, b->reason);
    assert_int_equal(a->direction, b->direction);
    assert_int_equal(a->rule, b->rule);
    assert_memory_equal(&a->external_tenant, &b->external_tenant, sizeof a->external_tenant);
    assert_memory_equal(&a->creator, &b->creator, sizeof a->creator);
    assert_memory_equal(&a->target, &b->target, sizeof a->target);
    assert_memory_equal(&a->blocked_by, &b->blocked_by, sizeof a->blocked_by);
    assert_true(a->policy_id == b->policy_id);
}

static tiso_policy_set *two_policy_set(void)
{
    tiso_policy_set *set = NULL;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    const char *docs[] = {CONTOSO_POLICY, FABRIKAM_POLICY};
    for (size_t i = 0; i < 2; i++) {
        tiso_policy *p = tt_load(docs[i], NULL);
        assert_int_equal(tiso_policy_set_add(set, p, NULL), TISO_OK);
        tiso_policy_free(p);
    }
    return set;
}

static void policy_batch_is_each_request_alone(void **state)
{
    (void)state;
    tiso_policy *p = tt_load(CONTOSO_POLICY, NULL);
    tiso_request r[NREQ];
    requests(r);
    tiso_decision out[NREQ];
    tiso_status st[NREQ];
    for (size_t i = 0; i < NREQ; i++)
        tt_poison_decision(&out[i]);
    assert_int_equal(tiso_evaluate_batch(out, st, p, r, NREQ), TISO_OK);
    size_t failed = 0;
    for (size_t i = 0; i < NREQ; i++) {
        tiso_decision alone;
        assert_int_equal(st[i], tiso_evaluate_request(&alone, p, &r[i]));
        assert_same_decision(&out[i], &alone);
        if (st[i] != TISO_OK) {
            tt_assert_fail_closed(&out[i]);
            failed++;
        }
    }
    assert_int_equal(failed, 6);
    /* A bad request denies only itself: its neighbours are allowed. */
    assert_int_equal(st[1], TISO_E_INVALID_TENANT);
    assert_int_equal(st[3], TISO_E_INVALID_ARGUMENT);
    assert_int_equal(st[5], TISO_E_INCONSISTENT_DIRECTION);
    assert_int_equal(st[7], TISO_E_INVALID_ARGUMENT);
    tt_assert_decision(&out[0], TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    tt_assert_decision(&out[2], TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    tt_assert_decision(&out[4], TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_INBOUND);
    tiso_policy_free(p);
}

static void set_batch_is_each_request_alone(void **state)
{
    (void)state;
    tiso_policy_set *set = two_policy_set();
    tiso_request r[NREQ];
    requests(r);
    tiso_set_decision out[NREQ];
    tiso_status st[NREQ];
    memset(out, 0xa5, sizeof out);
    assert_int_equal(tiso_policy_set_decide_batch(out, st, set, r, NREQ), TISO_OK);
    size_t failed = 0;
    for (size_t i = 0; i < NREQ; i++) {
        tiso_set_decision alone;
        assert_int_equal(st[i], tiso_policy_set_decide(&alone, set, &r[i]));
        assert_same_decision(&out[i].decision, &alone.decision);
        assert_same_decision(&out[i].outbound, &alone.outbound);
        assert_same_decision(&out[i].inbound, &alone.inbound);
        if (st[i] != TISO_OK) {
            tt_assert_fail_closed(&out[i].decision);
            tt_assert_fail_closed(&out[i].outbound);
            tt_assert_fail_closed(&out[i].inbound);
            failed++;
        }
    }
    /* A set ignores the direction once it is valid: no inconsistent_direction. */
    assert_int_equal(failed, 5);
    tt_assert_decision(&out[0].decision, TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    tiso_tenant_id fab = tt_id(FABRIKAM);
    assert_int_equal(out[10].decision.verdict, TISO_DENY); /* Fabrikam may not go out to Contoso */
    assert_memory_equal(&out[10].decision.blocked_by, &fab, sizeof fab);
    tiso_policy_set_free(set);
}

static void misuse_fails_closed(void **state)
{
    (void)state;
    tiso_policy *p = tt_load(CONTOSO_POLICY, NULL);
    tiso_policy_set *set = two_policy_set();
    tiso_request r[2] = {req(CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_UNKNOWN),
                         req(CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO, NULL, TISO_AUTH_UNKNOWN)};
    tiso_decision out[2];
    tiso_set_decision set_out[2];
    tiso_status st[2];

    /* Each NULL in turn: refused, and what can be written denies. */
    for (int which = 0; which < 3; which++) {
        for (size_t i = 0; i < 2; i++) {
            tt_poison_decision(&out[i]);
            st[i] = TISO_OK;
        }
        tiso_status s = tiso_evaluate_batch(out, which == 0 ? NULL : st, which == 1 ? NULL : p,
                                            which == 2 ? NULL : r, 2);
        assert_int_equal(s, TISO_E_INVALID_ARGUMENT);
        for (size_t i = 0; i < 2; i++) {
            tt_assert_fail_closed(&out[i]);
            if (which != 0)
                assert_int_equal(st[i], TISO_E_INVALID_ARGUMENT);
        }
        memset(set_out, 0xa5, sizeof set_out);
        s = tiso_policy_set_decide_batch(set_out, which == 0 ? NULL : st, which == 1 ? NULL : set,
                                         which == 2 ? NULL : r, 2);
        assert_int_equal(s, TISO_E_INVALID_ARGUMENT);
        for (size_t i = 0; i < 2; i++) {
            tt_assert_fail_closed(&set_out[i].decision);
            tt_assert_fail_closed(&set_out[i].outbound);
            tt_assert_fail_closed(&set_out[i].inbound);
        }
    }
    assert_int_equal(tiso_evaluate_batch(NULL, st, p, r, 2), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(st[0], TISO_E_INVALID_ARGUMENT);
    /* Nothing to do is no error, whatever the pointers. */
    assert_int_equal(tiso_evaluate_batch(NULL, NULL, NULL, NULL, 0), TISO_OK);
    assert_int_equal(tiso_policy_set_decide_batch(NULL, NULL, NULL, NULL, 0), TISO_OK);
    tiso_policy_set_free(set);
    tiso_policy_free(p);
}

static void count_audit(void *user, const tiso_audit_record *rec)
{
    size_t *n = user;
    assert_non_null(rec->decision);
    n[rec->status == TISO_OK ? 0 : 1]++;
}

static void set_batch_audits_each_request(void **state)
{
    (void)state;
    tiso_policy_set *set = two_policy_set();
    size_t seen[2] = {0, 0};
    assert_int_equal(tiso_policy_set_set_audit(set, count_audit, seen, NULL), TISO_OK);
    tiso_request r[NREQ];
    requests(r);
    tiso_set_decision out[NREQ];
    tiso_status st[NREQ];
    assert_int_equal(tiso_policy_set_decide_batch(out, st, set, r, NREQ), TISO_OK);
    assert_int_equal(seen[0], NREQ - 5);
    assert_int_equal(seen[1], 5);
    tiso_policy_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(policy_batch_is_each_request_alone),
        cmocka_unit_test(set_batch_is_each_request_alone),
        cmocka_unit_test(misuse_fails_closed),
        cmocka_unit_test(set_batch_audits_each_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
