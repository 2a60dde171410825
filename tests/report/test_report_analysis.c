/* The analysis (report.h): guests, non-Entra connectors, names that do not
 * resolve, evaluation errors, diffs, policy sets, the observer, the problem
 * list and misuse. */
#include <stdio.h>
#include <string.h>

#include "report_test_util.h"

static const char *const ENTRIES[] = {TA ":i", TB ":o", NULL};

static tiso_report_totals totals(const tiso_report *r)
{
    tiso_report_totals t;
    assert_int_equal(tiso_report_get_totals(&t, r), TISO_OK);
    return t;
}

/* A guest from another tenant works in Contoso's environment: the
 * connection is Contoso's own (creator == target), whatever userTenantId. */
static void guest_user_is_same_tenant(void **state)
{
    (void)state;
    tiso_policy *p = rt_build(HOME, 1, NULL);
    tiso_report *r = rt_report(p, NULL, NULL);
    const char *line = "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"" HOME "\","
                       " \"userTenantId\": \"" FAB "\", \"connector\": \"shared_sharepointonline\"}\n";
    assert_int_equal(tiso_report_read_inventory(r, line, strlen(line), "guests.jsonl", NULL), TISO_OK);
    tiso_report_totals t = totals(r);
    assert_int_equal(t.connections, 1);
    assert_int_equal(t.allowed, 1);
    assert_int_equal(t.blocked, 0);
    assert_int_equal(tiso_report_tenant_count(r), 0);
    tiso_connection_result res = rt_add(r, HOME, HOME, NULL);
    assert_int_equal(res.decision.reason, TISO_REASON_SAME_TENANT);
    assert_int_equal(res.outcome, TISO_OUTCOME_ALLOWED);
    tiso_report_free(r);
    tiso_policy_free(p);
}

/* Azure DevOps runs its own OAuth flow: not covered, not blocked, not in
 * the summary -- unless the policy asks to evaluate such connectors. */
static void non_entra_not_covered(void **state)
{
    (void)state;
    tiso_policy *p = rt_build(HOME, 1, NULL);
    tiso_report *r = rt_report(p, NULL, NULL);
    tiso_connection_result res = rt_add(r, HOME, TA, "shared_visualstudioteamservices");
    assert_int_equal(res.outcome, TISO_OUTCOME_NOT_COVERED);
    assert_int_equal(res.decision.reason, TISO_REASON_NOT_EVALUATED_NON_ENTRA);
    res = rt_add(r, TA, HOME, "/providers/Microsoft.PowerApps/apis/shared_visualstudioteamservices");
    assert_int_equal(res.outcome, TISO_OUTCOME_NOT_COVERED);
    /* The caller can also say so itself. */
    tiso_connection c = {.creator = HOME, .target = TB, .connector = "my_custom", .auth = TISO_AUTH_NON_ENTRA, .index = -1};
    assert_int_equal(tiso_report_add(&res, r, &c, NULL), TISO_OK);
    assert_int_equal(res.outcome, TISO_OUTCOME_NOT_COVERED);
    tiso_report_totals t = totals(r);
    assert_int_equal(t.not_covered, 3);
    assert_int_equal(t.allowed + t.blocked + t.errors, 0);
    assert_int_equal(tiso_report_tenant_count(r), 0);
    assert_int_equal(tiso_report_suggested_count(r, NULL), 0);
    tiso_report_free(r);
    tiso_policy_free(p);

    p = rt_policy("{\"tenantId\": \"" HOME "\", \"isDisabled\": false, \"evaluateNonEntraConnectors\": true,"
                  " \"allowedTenants\": []}");
    r = rt_report(p, NULL, NULL);
    res = rt_add(r, HOME, TA, "shared_visualstudioteamservices");
    assert_int_equal(res.outcome, TISO_OUTCOME_BLOCKED);
    tiso_report_free(r);
    tiso_policy_free(p);
}

/* Names: domains through the resolver (asked once each), IDs in any case;
 * what cannot be resolved is an error with where it was, and reading goes on. */
static int g_lookups;

static tiso_status count_lookups(void *user, const char *domain, tiso_tenant_id *out, tiso_error *err)
{
    (void)user;
    (void)err;
    g_lookups++;
    if (strcmp(domain, "fabrikam.com") == 0) {
        *out = rt_id(FAB);
        return TISO_OK;
    }
    return TISO_E_NOT_FOUND;
}

static void names(void **state)
{
    (void)state;
    tiso_resolver *res = NULL;
    assert_int_equal(tiso_resolver_new_callback(&res, count_lookups, NULL, NULL), TISO_OK);
    tiso_policy *p = rt_build(HOME, 1, NULL);
    tiso_report *r = rt_report(p, NULL, res);
    g_lookups = 0;
    const char *inv = "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"Fabrikam.COM.\"}\n"
                      "{\"creatorTenantId\": \"fabrikam.com\", \"targetTenantId\": \"C0A7B3E1-5D4F-4E2A-9B1C-000000C07050\"}\n"
                      "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"nowhere.example\"}\n"
                      "{\"creatorTenantId\": \"" HOME "\", \"targetTenantId\": \"nowhere.example\"}\n"
                      "{\"creatorTenantId\": \"{" HOME "}\", \"targetTenantId\": \"" TA "\"}\n"
                      "{\"creatorTenantId\": \"00000000-0000-0000-0000-000000000000\", \"targetTenantId\": \"" TA "\"}\n"
                      "{\"creatorTenantId\": \"bad domain\", \"targetTenantId\": \"" TA "\"}\n"
                      "{\"creatorTenantId\": \"*\", \"targetTenantId\": \"" TA "\"}\n"
                      "{\"creatorTenantId\": \"\", \"targetTenantId\": \"" TA "\"}\n";
    assert_int_equal(tiso_report_read_inventory(r, inv, strlen(inv), "inv.jsonl", NULL), TISO_OK);
    tiso_report_totals t = totals(r);
    assert_int_equal(t.connections, 9);
    assert_int_equal(t.blocked, 2);
    assert_int_equal(t.errors, 7);
    assert_int_equal(g_lookups, 2); /* fabrikam.com and nowhere.example, once each */
    assert_int_equal(tiso_report_problem_count(r), 7);
    tiso_report_problem pr;
    assert_int_equal(tiso_report_problem_at(&pr, r, 0), TISO_OK);
    assert_int_equal(pr.line, 3);
    assert_int_equal(pr.status, TISO_E_NOT_FOUND);
    assert_string_equal(pr.source, "inv.jsonl");
    rt_contains(pr.message, "target tenant 'nowhere.example'");
    tiso_report_problem_at(&pr, r, 2);
    assert_int_equal(pr.status, TISO_E_INVALID_TENANT);
    tiso_report_problem_at(&pr, r, 3);
    assert_int_equal(pr.status, TISO_E_INVALID_TENANT);
    tiso_report_problem_at(&pr, r, 4);
    assert_int_equal(pr.status, TISO_E_INVALID_DOMAIN);
    assert_int_equal(tiso_report_problem_at(&pr, r, 7), TISO_E_INVALID_ARGUMENT);
    /* The domain an input used names the tenant in the summary. */
    tiso_report_tenant row;
    assert_int_equal(tiso_report_tenant_at(&row, r, 0), TISO_OK);
    assert_string_equal(row.label, "fabrikam.com");
    tiso_report_free(r);
    /* Without a resolver, domains are errors, IDs still work. */
    r = rt_report(p, NULL, NULL);
    tiso_connection_result x = rt_add(r, HOME, "fabrikam.com", NULL);
    assert_int_equal(x.status, TISO_E_RESOLVE);
    assert_int_equal(x.outcome, TISO_OUTCOME_ERROR);
    assert_int_equal(x.decision.verdict, TISO_DENY); /* fail closed */
    tiso_report_free(r);
    tiso_policy_free(p);
    tiso_resolver_free(res);
}

/* A policy without a home tenant cannot tell directions: every cross-tenant
 * connection is an error that says why, never a verdict. */
static void no_home_is_an_error(void **state)
{
    (void)state;
    tiso_policy *p = rt_policy("{\"isDisabled\": false, \"allowedTenants\": []}");
    tiso_report *r = rt_report(p, NULL, NULL);
    tiso_connection_result res = rt_add(r, TA, TB, NULL);
    assert_int_equal(res.status, TISO_E_NO_HOME_TENANT);
    rt_contains(res.error, "no home tenant");
    res = rt_add(r, TA, TA, NULL);
    assert_int_equal(res.outcome, TISO_OUTCOME_ALLOWED);
    assert_int_equal(totals(r).errors, 1);
    tiso_policy *s = NULL;
    assert_int_equal(tiso_report_suggested_policy(&s, r, NULL, NULL, 0, NULL), TISO_E_NO_HOME_TENANT);
    tiso_report_free(r);
    tiso_policy_free(p);
}

/* Isolation off allows all, yet the summary still shows who is involved. */
static void isolation_off(void **state)
{
    (void)state;
    tiso_policy *p = rt_build(HOME, 0, NULL);
    tiso_report *r = rt_report(p, NULL, NULL);
    tiso_connection_result res = rt_add(r, HOME, TA, NULL);
    assert_int_equal(res.decision.reason, TISO_REASON_ISOLATION_DISABLED);
    assert_int_equal(tiso_report_tenant_count(r), 1);
    tiso_policy *s = NULL;
    assert_int_equal(tiso_report_suggested_policy(&s, r, NULL, NULL, 0, NULL), TISO_OK);
    assert_false(tiso_policy_isolation_enabled(s)); /* left as it was */
    assert_int_equal(tiso_policy_entry_count(s), 0);
    tiso_policy_free(s);
    tiso_report_free(r);
    tiso_policy_free(p);
}

/* Diff: counts worked out by hand. Before: A inbound, B outbound. After:
 * A both, nothing for B. */
static void diff(void **state)
{
    (void)state;
    tiso_policy *before = rt_build(HOME, 1, ENTRIES);
    const char *const after_entries[] = {TA ":io", NULL};
    tiso_policy *after = rt_build(HOME, 1, after_entries);
    tiso_report *r = rt_report(after, before, NULL);
    assert_true(tiso_report_is_diff(r));
    tiso_connection_result res = rt_add(r, TA, HOME, NULL); /* allowed both: unchanged */
    assert_false(res.changed);
    res = rt_add(r, HOME, TA, NULL); /* deny -> allow */
    assert_true(res.changed);
    assert_int_equal(res.before.verdict, TISO_DENY);
    assert_int_equal(res.decision.verdict, TISO_ALLOW);
    res = rt_add(r, HOME, TB, NULL); /* allow -> deny */
    assert_true(res.changed);
    assert_int_equal(res.before_outcome, TISO_OUTCOME_ALLOWED);
    assert_int_equal(res.outcome, TISO_OUTCOME_BLOCKED);
    rt_add(r, TC, HOME, NULL);    /* deny both */
    rt_add(r, HOME, "x..y", NULL); /* error both: unchanged */
    tiso_report_totals t = totals(r);
    assert_int_equal(t.connections, 5);
    assert_int_equal(t.changed, 2);
    assert_int_equal(t.newly_blocked, 1);
    assert_int_equal(t.newly_allowed, 1);
    assert_int_equal(t.errors, 1);
    tiso_report_free(r);
    /* A policy with no home in the new version: errors count as deny. */
    tiso_policy *homeless = rt_policy("{\"isDisabled\": false, \"allowedTenants\": []}");
    r = rt_report(homeless, before, NULL);
    res = rt_add(r, HOME, TB, NULL);
    assert_true(res.changed);
    assert_int_equal(totals(r).newly_blocked, 1);
    tiso_report_free(r);
    tiso_policy_free(homeless);
    tiso_policy_free(before);
    tiso_policy_free(after);
}

/* Two-sided: A -> B must pass A's outbound and B's inbound. When both
 * block, each side's suggestion covers its own half. */
static void policy_set(void **state)
{
    (void)state;
    tiso_policy *pa = rt_build(TA, 1, NULL), *pb = rt_build(TB, 1, NULL);
    tiso_policy_set *set = NULL;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_put(set, pa, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_put(set, pb, NULL), TISO_OK);
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.policy_set = set;
    tiso_report *r = NULL;
    assert_int_equal(tiso_report_new(&r, &opts, NULL), TISO_OK);
    assert_null(tiso_report_policy(r));
    tiso_connection c = {.creator = TA, .target = TB, .index = -1};
    tiso_connection_result res;
    assert_int_equal(tiso_report_add(&res, r, &c, NULL), TISO_OK);
    assert_int_equal(res.outcome, TISO_OUTCOME_BLOCKED);
    c.creator = TC; /* C has no policy: only B's inbound decides */
    assert_int_equal(tiso_report_add(&res, r, &c, NULL), TISO_OK);
    assert_int_equal(res.outcome, TISO_OUTCOME_BLOCKED);
    {
        tiso_tenant_id b = rt_id(TB);
        assert_true(tiso_tenant_id_equal(&res.decision.blocked_by, &b));
    }
    tiso_policy *sa = NULL, *sb = NULL;
    tiso_tenant_id a = rt_id(TA), b = rt_id(TB);
    assert_int_equal(tiso_report_suggested_policy(&sa, r, NULL, NULL, 0, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_suggested_policy(&sa, r, &a, NULL, 0, NULL), TISO_OK);
    assert_int_equal(tiso_report_suggested_policy(&sb, r, &b, NULL, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_entry_count(sa), 1); /* B outbound */
    assert_int_equal(tiso_policy_entry_count(sb), 2); /* A inbound, C inbound */
    assert_int_equal(tiso_report_suggested_count(r, &b), 2);
    /* Fed back in, nothing is blocked. */
    tiso_policy_set *fixed = NULL;
    assert_int_equal(tiso_policy_set_new(&fixed, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_put(fixed, sa, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_put(fixed, sb, NULL), TISO_OK);
    tiso_report *again = NULL;
    opts.policy_set = fixed;
    assert_int_equal(tiso_report_new(&again, &opts, NULL), TISO_OK);
    c.creator = TA;
    tiso_report_add(&res, again, &c, NULL);
    c.creator = TC;
    tiso_report_add(&res, again, &c, NULL);
    assert_int_equal(totals(again).blocked, 0);
    assert_int_equal(totals(again).allowed, 2);
    tiso_report_free(again);
    tiso_policy_set_free(fixed);
    tiso_policy_free(sa);
    tiso_policy_free(sb);
    tiso_report_free(r);
    tiso_policy_set_free(set);
    tiso_policy_free(pa);
    tiso_policy_free(pb);
}

static void count_audit(void *user, const tiso_audit_record *record)
{
    (void)record;
    ++*(int *)user;
}

/* A report over a set asks the set once per connection: both sides come
 * with the decision, so an audit hook sees each connection once (it saw a
 * connection blocked by its creator twice). */
static void policy_set_is_asked_once(void **state)
{
    (void)state;
    tiso_policy *pa = rt_build(TA, 1, NULL), *pb = rt_build(TB, 1, NULL);
    tiso_policy_set *set = NULL;
    int calls = 0;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_add(set, pa, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_add(set, pb, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_set_audit(set, count_audit, &calls, NULL), TISO_OK);
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.policy_set = set;
    tiso_report *r = NULL;
    assert_int_equal(tiso_report_new(&r, &opts, NULL), TISO_OK);
    tiso_connection c = {.creator = TA, .target = TB, .index = -1};
    tiso_connection_result res;
    for (int i = 0; i < 3; i++)
        assert_int_equal(tiso_report_add(&res, r, &c, NULL), TISO_OK);
    assert_int_equal(res.outcome, TISO_OUTCOME_BLOCKED);
    assert_int_equal(calls, 3);
    tiso_tenant_id b = rt_id(TB);
    assert_int_equal(tiso_report_suggested_count(r, &b), 1); /* B's inbound side still counted */
    tiso_report_free(r);
    tiso_policy_set_free(set);
    tiso_policy_free(pa);
    tiso_policy_free(pb);
}

/* The observer sees every connection once, in order; problems are counted
 * beyond what is kept. */
typedef struct seen {
    int count;
    tiso_outcome last;
} seen;

static void observe(void *user, const tiso_connection_result *res)
{
    seen *s = user;
    s->count++;
    s->last = res->outcome;
    assert_non_null(res->connection);
    assert_non_null(res->error);
}

static void observer_and_problem_cap(void **state)
{
    (void)state;
    tiso_policy *p = rt_build(HOME, 1, NULL);
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.policy = p;
    opts.max_problems = 2;
    tiso_report *r = NULL;
    assert_int_equal(tiso_report_new(&r, &opts, NULL), TISO_OK);
    seen s = {0, TISO_OUTCOME_ALLOWED};
    assert_int_equal(tiso_report_set_observer(r, observe, &s), TISO_OK);
    for (int i = 0; i < 5; i++)
        rt_add(r, "nope", TA, NULL);
    rt_add(r, HOME, TA, NULL);
    tiso_error problem;
    tiso_error_clear(&problem);
    problem.status = TISO_E_SCHEMA;
    snprintf(problem.message, sizeof problem.message, "made up");
    tiso_connection where = {.source = "x", .line = 3, .index = -1};
    assert_int_equal(tiso_report_add_problem(r, &where, &problem, NULL), TISO_OK);
    assert_int_equal(s.count, 7);
    assert_int_equal(s.last, TISO_OUTCOME_ERROR);
    assert_int_equal(totals(r).errors, 6);
    assert_int_equal(tiso_report_problem_count(r), 2);
    /* A connection without names is a problem too, not a crash. */
    tiso_connection nameless = {.index = -1};
    assert_int_equal(tiso_report_add(NULL, r, &nameless, NULL), TISO_OK);
    assert_int_equal(totals(r).errors, 7);
    tiso_report_free(r);
    tiso_policy_free(p);
}

static void misuse(void **state)
{
    (void)state;
    tiso_policy *p = rt_build(HOME, 1, NULL);
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    tiso_report *r = NULL;
    tiso_error err;
    assert_int_equal(tiso_report_new(&r, &opts, &err), TISO_E_INVALID_ARGUMENT); /* no policy */
    rt_contains(err.message, "exactly one");
    opts.policy = p;
    opts.version = 99;
    assert_int_equal(tiso_report_new(&r, &opts, &err), TISO_E_INVALID_ARGUMENT);
    opts.version = TISO_REPORT_OPTIONS_VERSION;
    tiso_policy_set *set = NULL;
    tiso_policy_set_new(&set, 0, NULL);
    opts.policy_set = set;
    assert_int_equal(tiso_report_new(&r, &opts, &err), TISO_E_INVALID_ARGUMENT);
    opts.policy_set = NULL;
    opts.before_policy = p;
    opts.before_set = set;
    assert_int_equal(tiso_report_new(&r, &opts, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_new(NULL, &opts, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_new(&r, NULL, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_add(NULL, NULL, NULL, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_add_problem(NULL, NULL, NULL, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_read_page(NULL, "", 0, NULL, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_read_inventory(NULL, "", 0, NULL, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_read_fd(NULL, 0, NULL, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_read_file(NULL, "x", NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_get_totals(NULL, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_set_observer(NULL, NULL, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_report_tenant_count(NULL), 0);
    assert_int_equal(tiso_report_problem_count(NULL), 0);
    assert_int_equal(tiso_report_input_count(NULL), 0);
    assert_false(tiso_report_is_diff(NULL));
    assert_string_equal(tiso_outcome_name(TISO_OUTCOME_NOT_COVERED), "not_covered");
    assert_string_equal(tiso_outcome_name((tiso_outcome)42), "unknown");
    tiso_report_options_init(NULL);
    tiso_report_free(NULL);
    opts.before_set = NULL;
    opts.before_policy = NULL;
    assert_int_equal(tiso_report_new(&r, &opts, &err), TISO_OK);
    assert_int_equal(tiso_report_read_file(r, "/nonexistent/file", &err), TISO_E_IO);
    assert_int_equal(tiso_report_read_file(r, "/", &err), TISO_E_IO);
    rt_contains(err.message, "directory");
    tiso_report_free(r);
    tiso_policy_set_free(set);
    tiso_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(guest_user_is_same_tenant),
        cmocka_unit_test(non_entra_not_covered),
        cmocka_unit_test(names),
        cmocka_unit_test(no_home_is_an_error),
        cmocka_unit_test(isolation_off),
        cmocka_unit_test(diff),
        cmocka_unit_test(policy_set),
        cmocka_unit_test(policy_set_is_asked_once),
        cmocka_unit_test(observer_and_problem_cap),
        cmocka_unit_test(misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
