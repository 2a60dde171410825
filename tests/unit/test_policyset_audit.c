/* Policy sets: loading files into a set (the last good policy stays) and
 * the audit hook (tiso_policy_set_load_file, tiso_policy_set_set_audit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#define CONTOSO_OPEN "{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": true, \"allowedTenants\": []}"
#define CONTOSO_CLOSED "{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": []}"
#define FABRIKAM_IN                                                                               \
    "{\"tenantId\": \"" FABRIKAM "\", \"isDisabled\": false, \"allowedTenants\": ["               \
    "{\"tenantId\": \"" CONTOSO "\", \"direction\": {\"inbound\": true, \"outbound\": false}}]}"

static void rewrite(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
}

static tiso_verdict verdict(tiso_policy_set *set, const char *creator, const char *target)
{
    tiso_decision d;
    assert_int_equal(tiso_policy_set_evaluate(&d, set, creator, target, TISO_DIRECTION_AUTO), TISO_OK);
    return d.verdict;
}

static void load_file_keeps_the_last_good_policy(void **state)
{
    (void)state;
    char *path = tt_write_temp(CONTOSO_OPEN, strlen(CONTOSO_OPEN));
    tiso_policy_set *set = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_load_file(set, path, NULL, &err), TISO_OK);
    assert_int_equal(tiso_policy_set_count(set), 1);
    assert_int_equal(verdict(set, CONTOSO, FABRIKAM), TISO_ALLOW);
    rewrite(path, "{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": fa");
    assert_int_equal(tiso_policy_set_load_file(set, path, NULL, &err), TISO_E_SYNTAX);
    tt_assert_error(&err, TISO_E_SYNTAX);
    tt_assert_contains(err.message, path);
    assert_int_equal(verdict(set, CONTOSO, FABRIKAM), TISO_ALLOW); /* old policy kept */
    rewrite(path, CONTOSO_CLOSED);
    assert_int_equal(tiso_policy_set_load_file(set, path, NULL, &err), TISO_OK);
    assert_int_equal(tiso_policy_set_count(set), 1);
    assert_int_equal(verdict(set, CONTOSO, FABRIKAM), TISO_DENY);
    rewrite(path, "{\"isDisabled\": true, \"allowedTenants\": []}");
    assert_int_equal(tiso_policy_set_load_file(set, path, NULL, &err), TISO_E_NO_HOME_TENANT);
    tt_assert_error(&err, TISO_E_NO_HOME_TENANT);
    assert_int_equal(verdict(set, CONTOSO, FABRIKAM), TISO_DENY);
    unlink(path);
    assert_int_equal(tiso_policy_set_load_file(set, path, NULL, &err), TISO_E_IO);
    tt_assert_contains(err.message, path);
    assert_int_equal(tiso_policy_set_count(set), 1);
    free(path);
    assert_int_equal(tiso_policy_set_load_file(NULL, "/dev/null", NULL, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_set_load_file(set, NULL, NULL, &err), TISO_E_INVALID_ARGUMENT);
    tiso_policy_set_free(set);
}

typedef struct audit_log {
    int calls;
    tiso_request request;
    tiso_decision decision;
    tiso_status status;
    const tiso_policy *outbound, *inbound;
    tiso_decision side_out, side_in;
} audit_log;

static void record(void *user, const tiso_audit_record *r)
{
    audit_log *log = user;
    log->calls++;
    assert_non_null(r);
    assert_non_null(r->request);
    assert_non_null(r->decision);
    log->request = *r->request;
    log->decision = *r->decision;
    log->status = r->status;
    log->outbound = r->outbound_policy;
    log->inbound = r->inbound_policy;
    assert_non_null(r->outbound);
    assert_non_null(r->inbound);
    log->side_out = *r->outbound;
    log->side_in = *r->inbound;
}

typedef struct audit_fixture {
    tiso_policy_set *set;
    tiso_policy *contoso, *fabrikam;
    audit_log log;
} audit_fixture;

static int audit_setup(void **state)
{
    static audit_fixture f;
    memset(&f, 0, sizeof f);
    f.contoso = tt_load(CONTOSO_OPEN, NULL);
    f.fabrikam = tt_load(FABRIKAM_IN, NULL);
    assert_int_equal(tiso_policy_set_new(&f.set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_put(f.set, f.contoso, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_put(f.set, f.fabrikam, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_set_audit(f.set, record, &f.log, NULL), TISO_OK);
    *state = &f;
    return 0;
}

static int audit_teardown(void **state)
{
    audit_fixture *f = *state;
    tiso_policy_set_free(f->set);
    tiso_policy_free(f->contoso);
    tiso_policy_free(f->fabrikam);
    return 0;
}

static void hook_sees_each_decision_and_both_policies(void **state)
{
    audit_fixture *f = *state;
    f->log.calls = 0;
    tiso_decision d;
    assert_int_equal(tiso_policy_set_evaluate(&d, f->set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(f->log.calls, 1);
    assert_int_equal(f->log.status, TISO_OK);
    tiso_tenant_id c = tt_id(CONTOSO), fab = tt_id(FABRIKAM);
    assert_true(tiso_tenant_id_equal(&f->log.request.creator, &c));
    assert_true(tiso_tenant_id_equal(&f->log.request.target, &fab));
    assert_int_equal(f->log.decision.verdict, d.verdict);
    assert_int_equal(f->log.decision.reason, d.reason);
    assert_ptr_equal(f->log.outbound, f->contoso);
    assert_ptr_equal(f->log.inbound, f->fabrikam);
}

static void hook_sees_which_side_blocked(void **state)
{
    audit_fixture *f = *state;
    f->log.calls = 0;
    tiso_decision d;
    assert_int_equal(tiso_policy_set_evaluate(&d, f->set, FABRIKAM, CONTOSO, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(d.verdict, TISO_DENY);
    assert_int_equal(f->log.calls, 1);
    assert_memory_equal(f->log.decision.blocked_by.bytes, d.blocked_by.bytes, 16);
    assert_ptr_equal(f->log.outbound, f->fabrikam);
}

static void side_without_a_policy_is_null(void **state)
{
    audit_fixture *f = *state;
    f->log.calls = 0;
    tiso_decision d;
    /* no policy for A: its side is NULL whatever the request's direction;
     * the other side is consulted all the same (SPEC 3.1) */
    assert_int_equal(tiso_policy_set_evaluate(&d, f->set, TENANT_A, CONTOSO, TISO_DIRECTION_OUTBOUND), TISO_OK);
    assert_int_equal(f->log.calls, 1);
    assert_null(f->log.outbound);
    assert_ptr_equal(f->log.inbound, f->contoso);
    assert_int_equal(tiso_policy_set_evaluate(&d, f->set, CONTOSO, TENANT_A, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(f->log.calls, 2);
    assert_ptr_equal(f->log.outbound, f->contoso);
    assert_null(f->log.inbound);
    assert_int_equal(tiso_policy_set_evaluate(&d, f->set, TENANT_A, TENANT_B, TISO_DIRECTION_AUTO), TISO_OK);
    assert_null(f->log.outbound);
    assert_null(f->log.inbound);
}

/* The hook gets both sides' decisions, once per decision: a report reads
 * them there instead of asking the set a second time. */
static void hook_sees_both_sides_once(void **state)
{
    audit_fixture *f = *state;
    f->log.calls = 0;
    tiso_set_decision sd;
    tiso_request rq;
    memset(&rq, 0, sizeof rq);
    rq.creator = tt_id(FABRIKAM);
    rq.target = tt_id(CONTOSO);
    rq.direction = TISO_DIRECTION_AUTO;
    assert_int_equal(tiso_policy_set_decide(&sd, f->set, &rq), TISO_OK);
    assert_int_equal(f->log.calls, 1);
    assert_int_equal(f->log.side_out.verdict, sd.outbound.verdict);
    assert_int_equal(f->log.side_out.reason, sd.outbound.reason);
    assert_int_equal(f->log.side_in.verdict, sd.inbound.verdict);
    assert_int_equal(f->log.side_in.reason, sd.inbound.reason);
    assert_int_equal(sd.outbound.verdict, TISO_DENY); /* Fabrikam lists Contoso inbound only */
    assert_int_equal(sd.inbound.verdict, TISO_ALLOW); /* Contoso's isolation is off */
}

static void hook_can_be_removed(void **state)
{
    audit_fixture *f = *state;
    f->log.calls = 0;
    tiso_decision d;
    assert_int_equal(tiso_policy_set_set_audit(f->set, NULL, NULL, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_evaluate(&d, f->set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(f->log.calls, 0);
    assert_int_equal(tiso_policy_set_set_audit(f->set, record, &f->log, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_evaluate(&d, f->set, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(f->log.calls, 1);
}

static void errors_reach_the_hook_as_denies(void **state)
{
    audit_fixture *f = *state;
    f->log.calls = 0;
    tiso_decision d;
    tiso_request rq;
    memset(&rq, 0, sizeof rq);
    rq.creator = tt_id(CONTOSO);
    rq.direction = TISO_DIRECTION_AUTO; /* nil target */
    assert_int_equal(tiso_policy_set_evaluate_request(&d, f->set, &rq), TISO_E_INVALID_TENANT);
    assert_true(f->log.calls <= 1);
    if (f->log.calls == 1) {
        assert_int_equal(f->log.status, TISO_E_INVALID_TENANT);
        tt_assert_fail_closed(&f->log.decision);
    }
    tiso_error err;
    assert_int_equal(tiso_policy_set_set_audit(NULL, record, NULL, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest files[] = {
        cmocka_unit_test(load_file_keeps_the_last_good_policy),
    };
    const struct CMUnitTest audit[] = {
        cmocka_unit_test(hook_sees_each_decision_and_both_policies),
        cmocka_unit_test(hook_sees_which_side_blocked),
        cmocka_unit_test(side_without_a_policy_is_null),
        cmocka_unit_test(hook_sees_both_sides_once),
        cmocka_unit_test(hook_can_be_removed),
        cmocka_unit_test(errors_reach_the_hook_as_denies),
    };
    int failed = cmocka_run_group_tests(files, NULL, NULL);
    return failed + cmocka_run_group_tests(audit, audit_setup, audit_teardown);
}
