/* The batch calls allocate nothing (batch.h): with every allocation made to
 * fail, a batch over a policy and over a policy set still decides every
 * request, and the failure points count no allocation attempt at all. */
#include <string.h>

#include "sweep.h"

static const char POLICY_C[] = "{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
                               "{\"tenantId\": \"" FABRIKAM "\", \"direction\": {\"outbound\": true}}]}";

#define N 4

static void requests(tiso_request *r)
{
    memset(r, 0, N * sizeof *r);
    const char *targets[N] = {FABRIKAM, TENANT_A, CONTOSO, FABRIKAM};
    for (size_t i = 0; i < N; i++) {
        r[i].creator = tt_id(CONTOSO);
        r[i].target = tt_id(targets[i]);
        r[i].direction = TISO_DIRECTION_AUTO;
    }
    r[3].connector = "shared_visualstudioteamservices";
}

static void audit(void *user, const tiso_audit_record *record)
{
    (void)record;
    ++*(int *)user;
}

static void batches_do_not_allocate(void **state)
{
    (void)state;
    tiso_policy *p = tt_load(POLICY_C, NULL);
    tiso_policy_set *set = NULL;
    int audited = 0;
    assert_int_equal(tiso_policy_set_new(&set, TISO_SET_UNKNOWN_ISOLATED, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_put(set, p, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_set_audit(set, audit, &audited, NULL), TISO_OK);
    tiso_request r[N];
    requests(r);
    tiso_decision out[N];
    tiso_set_decision set_out[N];
    tiso_status st[N], set_st[N];

    hs_arm(1);
    tiso_status s1 = tiso_evaluate_batch(out, st, p, r, N);
    tiso_status s2 = tiso_policy_set_decide_batch(set_out, set_st, set, r, N);
    assert_int_equal(hs_disarm(), 0);

    assert_int_equal(s1, TISO_OK);
    assert_int_equal(s2, TISO_OK);
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(st[i], TISO_OK);
        assert_int_equal(set_st[i], TISO_OK);
    }
    tt_assert_decision(&out[0], TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    tt_assert_decision(&out[1], TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_int_equal(set_out[0].decision.verdict, TISO_DENY); /* Fabrikam is unknown: isolated */
    assert_int_equal(set_out[3].decision.reason, TISO_REASON_NOT_EVALUATED_NON_ENTRA);
    assert_int_equal(audited, N);
    tiso_policy_set_free(set);
    tiso_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(batches_do_not_allocate)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
