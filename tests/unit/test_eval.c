/* The decision: every rule of SPEC 3 in order, with rule indexes, external
 * tenant, direction and fail-closed errors (eval.h). */
#include <string.h>

#include "test_util.h"

/* Contoso, isolation on: [0] A inbound, [1] B outbound, [2] C both,
 * [3] D inbound, [4] "*" inbound, [5] D outbound (additive with [3]). */
#define POLICY_BODY(is_disabled, extra)                                                           \
    "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": " is_disabled extra ","     \
    " \"allowedTenants\": ["                                                                      \
    "{\"tenantId\": \"" TENANT_A "\", \"direction\": {\"inbound\": true, \"outbound\": false}},"  \
    "{\"tenantId\": \"" TENANT_B "\", \"direction\": {\"inbound\": false, \"outbound\": true}},"  \
    "{\"tenantId\": \"" TENANT_C "\", \"direction\": {\"inbound\": true, \"outbound\": true}},"   \
    "{\"tenantId\": \"" TENANT_D "\", \"direction\": {\"inbound\": true, \"outbound\": false}},"  \
    "{\"tenantId\": \"*\", \"direction\": {\"inbound\": true, \"outbound\": false}},"             \
    "{\"tenantId\": \"" TENANT_D "\", \"direction\": {\"inbound\": false, \"outbound\": true}}]}}"

static tiso_policy *g_on, *g_off, *g_non_entra, *g_no_home;

static int setup(void **state)
{
    (void)state;
    g_on = tt_load(POLICY_BODY("false", ""), NULL);
    g_off = tt_load(POLICY_BODY("true", ""), NULL);
    g_non_entra = tt_load(POLICY_BODY("false", ", \"evaluateNonEntraConnectors\": true"), NULL);
    tiso_policy_builder *b = NULL;
    tiso_tenant_id a = tt_id(TENANT_A);
    assert_int_equal(tiso_policy_builder_new(&b, NULL), TISO_OK);
    assert_int_equal(tiso_policy_builder_add(b, &a, TISO_ALLOW_OUTBOUND, NULL, NULL, NULL), TISO_OK);
    assert_int_equal(tiso_policy_builder_build(&g_no_home, b, NULL), TISO_OK);
    tiso_policy_builder_free(b);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tiso_policy_free(g_on);
    tiso_policy_free(g_off);
    tiso_policy_free(g_non_entra);
    tiso_policy_free(g_no_home);
    return 0;
}

static tiso_decision eval_ok(const tiso_policy *p, const char *creator, const char *target,
                             tiso_direction dir)
{
    tiso_decision d;
    tt_poison_decision(&d);
    tiso_status s = tiso_evaluate(&d, p, creator, target, dir);
    if (s != TISO_OK) {
        fail_msg("%s -> %s: %s", creator, target, tiso_status_name(s));
    }
    tiso_decision by_id;
    tiso_tenant_id c = tt_id(creator), t = tt_id(target);
    tt_poison_decision(&by_id);
    assert_int_equal(tiso_evaluate_ids(&by_id, p, &c, &t, dir), TISO_OK);
    assert_int_equal(by_id.verdict, d.verdict);
    assert_int_equal(by_id.reason, d.reason);
    assert_int_equal(by_id.direction, d.direction);
    assert_int_equal(by_id.rule, d.rule);
    assert_memory_equal(by_id.external_tenant.bytes, d.external_tenant.bytes, 16);
    assert_true(tiso_tenant_id_equal(&d.creator, &c));
    assert_true(tiso_tenant_id_equal(&d.target, &t));
    assert_true(tiso_tenant_id_is_nil(&d.blocked_by) || d.verdict == TISO_DENY);
    return d;
}

static tiso_decision eval_conn(const tiso_policy *p, const char *creator, const char *target,
                               const char *connector, tiso_auth_kind auth, tiso_status want)
{
    tiso_request rq;
    memset(&rq, 0, sizeof rq);
    rq.creator = tt_id(creator);
    rq.target = tt_id(target);
    rq.direction = TISO_DIRECTION_AUTO;
    rq.connector = connector;
    rq.auth = auth;
    tiso_decision d;
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_request(&d, p, &rq), want);
    return d;
}

static void assert_external(const tiso_decision *d, const char *want)
{
    if (want == NULL) {
        assert_true(tiso_tenant_id_is_nil(&d->external_tenant));
    } else {
        tiso_tenant_id id = tt_id(want);
        assert_true(tiso_tenant_id_equal(&d->external_tenant, &id));
    }
}

static void eval_fails(const tiso_policy *p, const char *creator, const char *target,
                       tiso_direction dir, tiso_status want)
{
    tiso_decision d;
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate(&d, p, creator, target, dir), want);
    tt_assert_fail_closed(&d);
}

/* Rule 1: an invalid tenant is an error, even when both sides are equal. */
static void rule1_invalid_tenant_is_an_error(void **state)
{
    (void)state;
    eval_fails(g_on, "not-a-tenant", CONTOSO, TISO_DIRECTION_AUTO, TISO_E_INVALID_TENANT);
    eval_fails(g_on, CONTOSO, "", TISO_DIRECTION_AUTO, TISO_E_INVALID_TENANT);
    eval_fails(g_on, NIL_GUID, NIL_GUID, TISO_DIRECTION_AUTO, TISO_E_INVALID_TENANT);
    eval_fails(g_on, "{" CONTOSO "}", "{" CONTOSO "}", TISO_DIRECTION_AUTO, TISO_E_INVALID_TENANT);
    eval_fails(g_on, "contoso.com", CONTOSO, TISO_DIRECTION_AUTO, TISO_E_INVALID_TENANT);
    eval_fails(g_off, CONTOSO, CONTOSO "x", TISO_DIRECTION_AUTO, TISO_E_INVALID_TENANT);
    tiso_tenant_id nil, c = tt_id(CONTOSO);
    memset(&nil, 0, sizeof nil);
    tiso_decision d;
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_ids(&d, g_on, &nil, &nil, TISO_DIRECTION_AUTO), TISO_E_INVALID_TENANT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_ids(&d, g_on, &c, &nil, TISO_DIRECTION_AUTO), TISO_E_INVALID_TENANT);
    tt_assert_fail_closed(&d);
}

/* Rule 2: same tenant, before everything else, in any policy. */
static void rule2_same_tenant(void **state)
{
    (void)state;
    const tiso_policy *all[] = {g_on, g_off, g_non_entra, g_no_home};
    for (size_t i = 0; i < 4; i++) {
        tiso_decision d = eval_ok(all[i], TENANT_B, TENANT_B, TISO_DIRECTION_AUTO);
        tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_SAME_TENANT, TISO_DIRECTION_NONE);
        assert_int_equal(d.rule, -1);
        assert_external(&d, NULL);
        d = eval_ok(all[i], CONTOSO, "C0A7B3E1-5D4F-4E2A-9B1C-000000C07050", TISO_DIRECTION_AUTO);
        tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_SAME_TENANT, TISO_DIRECTION_NONE);
    }
    /* before direction checks: an explicit direction cannot make it an error */
    tiso_decision d = eval_ok(g_on, TENANT_B, TENANT_B, TISO_DIRECTION_OUTBOUND);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_SAME_TENANT, TISO_DIRECTION_NONE);
    d = eval_ok(g_on, TENANT_B, TENANT_B, TISO_DIRECTION_INBOUND);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_SAME_TENANT, TISO_DIRECTION_NONE);
    /* and before the connector */
    d = eval_conn(g_on, CONTOSO, CONTOSO, "shared_visualstudioteamservices", TISO_AUTH_UNKNOWN, TISO_OK);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_SAME_TENANT, TISO_DIRECTION_NONE);
}

/* Rule 3: non-Entra connectors are not evaluated, unless the policy asks. */
static void rule3_non_entra_connector(void **state)
{
    (void)state;
    tiso_decision d = eval_conn(g_on, CONTOSO, FABRIKAM, "shared_visualstudioteamservices",
                                TISO_AUTH_UNKNOWN, TISO_OK);
    assert_int_equal(d.verdict, TISO_ALLOW);
    assert_int_equal(d.reason, TISO_REASON_NOT_EVALUATED_NON_ENTRA);
    assert_int_equal(d.rule, -1);
    d = eval_conn(g_on, FABRIKAM, CONTOSO,
                  "/providers/Microsoft.PowerApps/apis/Shared_VisualStudioTeamServices",
                  TISO_AUTH_UNKNOWN, TISO_OK);
    assert_int_equal(d.reason, TISO_REASON_NOT_EVALUATED_NON_ENTRA);
    d = eval_conn(g_on, CONTOSO, FABRIKAM, NULL, TISO_AUTH_NON_ENTRA, TISO_OK);
    assert_int_equal(d.reason, TISO_REASON_NOT_EVALUATED_NON_ENTRA);
    d = eval_conn(g_on, CONTOSO, FABRIKAM, "shared_office365", TISO_AUTH_NON_ENTRA, TISO_OK);
    assert_int_equal(d.reason, TISO_REASON_NOT_EVALUATED_NON_ENTRA);
    /* an explicit Entra kind overrides the known list */
    d = eval_conn(g_on, CONTOSO, FABRIKAM, "shared_visualstudioteamservices", TISO_AUTH_ENTRA, TISO_OK);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    /* Entra connectors are evaluated */
    d = eval_conn(g_on, CONTOSO, FABRIKAM, "shared_office365", TISO_AUTH_UNKNOWN, TISO_OK);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    d = eval_conn(g_on, CONTOSO, FABRIKAM, "shared_visualstudioteamservicesx", TISO_AUTH_UNKNOWN, TISO_OK);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
}

static void rule3_extension_evaluates_non_entra(void **state)
{
    (void)state;
    tiso_decision d = eval_conn(g_non_entra, CONTOSO, FABRIKAM, "shared_visualstudioteamservices",
                                TISO_AUTH_UNKNOWN, TISO_OK);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    d = eval_conn(g_non_entra, CONTOSO, TENANT_B, NULL, TISO_AUTH_NON_ENTRA, TISO_OK);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_int_equal(d.rule, 1);
}

/* Rule 3 comes before rule 4: no direction error for a non-Entra connector. */
static void rule3_before_direction_errors(void **state)
{
    (void)state;
    tiso_decision d = eval_conn(g_no_home, TENANT_A, TENANT_B, "shared_visualstudioteamservices",
                                TISO_AUTH_UNKNOWN, TISO_OK);
    assert_int_equal(d.reason, TISO_REASON_NOT_EVALUATED_NON_ENTRA);
    tiso_request rq;
    memset(&rq, 0, sizeof rq);
    rq.creator = tt_id(FABRIKAM);
    rq.target = tt_id(TENANT_A);
    rq.direction = TISO_DIRECTION_OUTBOUND; /* creator is not home: inconsistent */
    rq.auth = TISO_AUTH_NON_ENTRA;
    assert_int_equal(tiso_evaluate_request(&d, g_on, &rq), TISO_OK);
    assert_int_equal(d.reason, TISO_REASON_NOT_EVALUATED_NON_ENTRA);
}

/* Rule 4: direction. */
static void rule4_auto_direction(void **state)
{
    (void)state;
    tiso_decision d = eval_ok(g_on, CONTOSO, TENANT_B, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_external(&d, TENANT_B);
    d = eval_ok(g_on, TENANT_A, CONTOSO, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_INBOUND);
    assert_external(&d, TENANT_A);
}

static void rule4_not_applicable(void **state)
{
    (void)state;
    const tiso_policy *all[] = {g_on, g_off, g_non_entra};
    for (size_t i = 0; i < 3; i++) {
        tiso_decision d = eval_ok(all[i], TENANT_A, TENANT_B, TISO_DIRECTION_AUTO);
        tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_NOT_APPLICABLE, TISO_DIRECTION_NONE);
        assert_int_equal(d.rule, -1);
        assert_external(&d, NULL);
    }
}

static void rule4_explicit_direction(void **state)
{
    (void)state;
    tiso_decision d = eval_ok(g_on, CONTOSO, TENANT_A, TISO_DIRECTION_OUTBOUND);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_external(&d, TENANT_A);
    d = eval_ok(g_on, TENANT_A, CONTOSO, TISO_DIRECTION_INBOUND);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_INBOUND);
    assert_int_equal(d.rule, 0);
    /* without a home tenant the direction names the external side */
    d = eval_ok(g_no_home, TENANT_B, TENANT_A, TISO_DIRECTION_OUTBOUND);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_external(&d, TENANT_A);
    assert_int_equal(d.rule, 0);
    d = eval_ok(g_no_home, TENANT_A, TENANT_B, TISO_DIRECTION_INBOUND);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_INBOUND);
    assert_external(&d, TENANT_A);
}

static void rule4_inconsistent_direction_is_an_error(void **state)
{
    (void)state;
    /* outbound but creator is not home; inbound but target is not home */
    eval_fails(g_on, TENANT_A, CONTOSO, TISO_DIRECTION_OUTBOUND, TISO_E_INCONSISTENT_DIRECTION);
    eval_fails(g_on, CONTOSO, TENANT_A, TISO_DIRECTION_INBOUND, TISO_E_INCONSISTENT_DIRECTION);
    eval_fails(g_on, TENANT_A, TENANT_B, TISO_DIRECTION_OUTBOUND, TISO_E_INCONSISTENT_DIRECTION);
    eval_fails(g_on, TENANT_A, TENANT_B, TISO_DIRECTION_INBOUND, TISO_E_INCONSISTENT_DIRECTION);
    /* rule 4 comes before rule 5 */
    eval_fails(g_off, TENANT_A, CONTOSO, TISO_DIRECTION_OUTBOUND, TISO_E_INCONSISTENT_DIRECTION);
}

static void rule4_auto_needs_a_home_tenant(void **state)
{
    (void)state;
    eval_fails(g_no_home, TENANT_A, TENANT_B, TISO_DIRECTION_AUTO, TISO_E_NO_HOME_TENANT);
    tiso_policy_builder *b = NULL;
    tiso_policy *off = NULL;
    assert_int_equal(tiso_policy_builder_new(&b, NULL), TISO_OK);
    assert_int_equal(tiso_policy_builder_set_isolation(b, 0), TISO_OK);
    assert_int_equal(tiso_policy_builder_build(&off, b, NULL), TISO_OK);
    eval_fails(off, TENANT_A, TENANT_B, TISO_DIRECTION_AUTO, TISO_E_NO_HOME_TENANT);
    tiso_policy_free(off);
    tiso_policy_builder_free(b);
}

/* Rule 5: isolation off allows, keeping direction and external tenant. */
static void rule5_isolation_disabled(void **state)
{
    (void)state;
    tiso_decision d = eval_ok(g_off, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_ISOLATION_DISABLED, TISO_DIRECTION_OUTBOUND);
    assert_int_equal(d.rule, -1);
    assert_external(&d, FABRIKAM);
    d = eval_ok(g_off, TENANT_B, CONTOSO, TISO_DIRECTION_INBOUND);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_ISOLATION_DISABLED, TISO_DIRECTION_INBOUND);
    /* even for an allowlisted tenant: rule 5 before rule 6 */
    d = eval_ok(g_off, CONTOSO, TENANT_B, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_ISOLATION_DISABLED, TISO_DIRECTION_OUTBOUND);
    assert_int_equal(d.rule, -1);
}

/* Rule 6: allowlisted for this direction, with the entry's index. */
static void rule6_allowlisted_with_index(void **state)
{
    (void)state;
    struct {
        const char *creator, *target, *external;
        int32_t rule;
        tiso_direction dir;
    } rows[] = {
        {TENANT_A, CONTOSO, TENANT_A, 0, TISO_DIRECTION_INBOUND},
        {CONTOSO, TENANT_B, TENANT_B, 1, TISO_DIRECTION_OUTBOUND},
        {CONTOSO, TENANT_C, TENANT_C, 2, TISO_DIRECTION_OUTBOUND},
        {TENANT_C, CONTOSO, TENANT_C, 2, TISO_DIRECTION_INBOUND},
        {TENANT_D, CONTOSO, TENANT_D, 3, TISO_DIRECTION_INBOUND},  /* additive: [3] inbound */
        {CONTOSO, TENANT_D, TENANT_D, 5, TISO_DIRECTION_OUTBOUND}, /* additive: [5] outbound */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tiso_decision d = eval_ok(g_on, rows[i].creator, rows[i].target, TISO_DIRECTION_AUTO);
        tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_ALLOWLISTED, rows[i].dir);
        if (d.rule != rows[i].rule) {
            fail_msg("row %zu: rule %d, expected %d", i, (int)d.rule, (int)rows[i].rule);
        }
        assert_external(&d, rows[i].external);
        assert_true(tiso_tenant_id_is_nil(&d.blocked_by));
    }
}

/* Rule 7: the wildcard, only for its direction, after specific entries. */
static void rule7_wildcard_with_index(void **state)
{
    (void)state;
    tiso_decision d = eval_ok(g_on, FABRIKAM, CONTOSO, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_WILDCARD, TISO_DIRECTION_INBOUND);
    assert_int_equal(d.rule, 4);
    assert_external(&d, FABRIKAM);
    /* B is listed outbound only: inbound falls through to the wildcard */
    d = eval_ok(g_on, TENANT_B, CONTOSO, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_WILDCARD, TISO_DIRECTION_INBOUND);
    assert_int_equal(d.rule, 4);
    /* a specific entry wins over an earlier wildcard */
    tiso_policy *p = tt_load("{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
                             "{\"tenantId\": \"*\", \"direction\": {\"inbound\": true, \"outbound\": true}},"
                             "{\"tenantId\": \"" FABRIKAM "\", \"direction\": {\"inbound\": true, \"outbound\": true}}]}",
                             NULL);
    d = eval_ok(p, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_int_equal(d.rule, 1);
    d = eval_ok(p, CONTOSO, TENANT_A, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_ALLOW, TISO_REASON_WILDCARD, TISO_DIRECTION_OUTBOUND);
    assert_int_equal(d.rule, 0);
    tiso_policy_free(p);
}

/* Rule 8: otherwise deny. */
static void rule8_not_allowlisted(void **state)
{
    (void)state;
    tiso_decision d = eval_ok(g_on, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_int_equal(d.rule, -1);
    assert_external(&d, FABRIKAM);
    /* A is listed inbound only */
    d = eval_ok(g_on, CONTOSO, TENANT_A, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    assert_external(&d, TENANT_A);
}

static void empty_entry_grants_nothing(void **state)
{
    (void)state;
    tiso_policy *p = tt_load("{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
                             "{\"tenantId\": \"" FABRIKAM "\", \"direction\": {\"inbound\": false, \"outbound\": false}},"
                             "{\"tenantId\": \"*\", \"direction\": {\"inbound\": false, \"outbound\": false}}]}",
                             NULL);
    tiso_decision d = eval_ok(p, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_OUTBOUND);
    d = eval_ok(p, FABRIKAM, CONTOSO, TISO_DIRECTION_AUTO);
    tt_assert_decision(&d, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED, TISO_DIRECTION_INBOUND);
    tiso_policy_free(p);
}

static void bad_arguments_fail_closed(void **state)
{
    (void)state;
    tiso_decision d;
    tiso_tenant_id c = tt_id(CONTOSO), f = tt_id(FABRIKAM);
    assert_int_equal(tiso_evaluate(NULL, g_on, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_E_INVALID_ARGUMENT);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate(&d, NULL, CONTOSO, FABRIKAM, TISO_DIRECTION_AUTO), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate(&d, g_on, NULL, FABRIKAM, TISO_DIRECTION_AUTO), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate(&d, g_on, CONTOSO, NULL, TISO_DIRECTION_AUTO), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate(&d, g_on, CONTOSO, FABRIKAM, (tiso_direction)7), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate(&d, g_on, CONTOSO, FABRIKAM, TISO_DIRECTION_NONE), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    assert_int_equal(tiso_evaluate_ids(NULL, g_on, &c, &f, TISO_DIRECTION_AUTO), TISO_E_INVALID_ARGUMENT);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_ids(&d, NULL, &c, &f, TISO_DIRECTION_AUTO), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_ids(&d, g_on, NULL, &f, TISO_DIRECTION_AUTO), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_ids(&d, g_on, &c, NULL, TISO_DIRECTION_AUTO), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_ids(&d, g_on, &c, &f, (tiso_direction)-1), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    /* A bad direction is an error even where rule 2 would allow. */
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate(&d, g_on, CONTOSO, CONTOSO, (tiso_direction)99), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_ids(&d, g_on, &c, &c, TISO_DIRECTION_NONE), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
}

static void bad_requests_fail_closed(void **state)
{
    (void)state;
    tiso_decision d;
    tiso_request rq;
    memset(&rq, 0, sizeof rq);
    rq.creator = tt_id(CONTOSO);
    rq.target = tt_id(FABRIKAM);
    rq.direction = TISO_DIRECTION_AUTO;
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_request(&d, g_on, NULL), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    assert_int_equal(tiso_evaluate_request(NULL, g_on, &rq), TISO_E_INVALID_ARGUMENT);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_request(&d, NULL, &rq), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    rq.auth = (tiso_auth_kind)3;
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_request(&d, g_on, &rq), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    rq.auth = TISO_AUTH_UNKNOWN;
    rq.direction = (tiso_direction)9;
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_request(&d, g_on, &rq), TISO_E_INVALID_ARGUMENT);
    tt_assert_fail_closed(&d);
    rq.direction = TISO_DIRECTION_AUTO;
    memset(&rq.target, 0, sizeof rq.target);
    tt_poison_decision(&d);
    assert_int_equal(tiso_evaluate_request(&d, g_on, &rq), TISO_E_INVALID_TENANT);
    tt_assert_fail_closed(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rule1_invalid_tenant_is_an_error),
        cmocka_unit_test(rule2_same_tenant),
        cmocka_unit_test(rule3_non_entra_connector),
        cmocka_unit_test(rule3_extension_evaluates_non_entra),
        cmocka_unit_test(rule3_before_direction_errors),
        cmocka_unit_test(rule4_auto_direction),
        cmocka_unit_test(rule4_not_applicable),
        cmocka_unit_test(rule4_explicit_direction),
        cmocka_unit_test(rule4_inconsistent_direction_is_an_error),
        cmocka_unit_test(rule4_auto_needs_a_home_tenant),
        cmocka_unit_test(rule5_isolation_disabled),
        cmocka_unit_test(rule6_allowlisted_with_index),
        cmocka_unit_test(rule7_wildcard_with_index),
        cmocka_unit_test(rule8_not_allowlisted),
        cmocka_unit_test(empty_entry_grants_nothing),
        cmocka_unit_test(bad_arguments_fail_closed),
        cmocka_unit_test(bad_requests_fail_closed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
