/* Golden cases for the analysis, with every expected number computed here,
 * by a small model of SPEC 3 written for this test, never by the code under
 * test: random policies (isolation on or off, entries in one or both
 * directions, duplicates, "*") and random connections (same tenant, guests,
 * neither side home, non-Entra connectors, names as IDs in any case or as
 * domains). For each: the totals, every summary row, the suggested entries,
 * that the suggested policy fed back in blocks nothing, and that it is
 * minimal -- without any one new entry, or any one of its directions,
 * something is blocked again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_test_util.h"

#define NT 12       /* tenants; 0 is home */
#define ROUNDS 60
#define CONNECTIONS 300

enum { IN = 1, OUT = 2 };

typedef struct model {
    int on;
    unsigned dirs[NT]; /* allowlisted directions per tenant */
    unsigned wildcard;
    unsigned evaluate_non_entra;
} model;

typedef struct expect {
    uint64_t allowed, blocked, not_covered;
    uint64_t connections[NT][3], blocked_by[NT][3]; /* [tenant][IN or OUT] */
    unsigned need[NT];
} expect;

static char g_ids[NT][40];
static uint64_t g_seed = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
    g_seed ^= g_seed << 13;
    g_seed ^= g_seed >> 7;
    g_seed ^= g_seed << 17;
    return (unsigned)(g_seed % n);
}

static void make_ids(void)
{
    for (int i = 0; i < NT; i++)
        snprintf(g_ids[i], sizeof g_ids[i], "%08x-1234-4abc-8def-%012x", 0xc0000000u + (unsigned)i, (unsigned)i * 7919u);
}

/* The model: SPEC 3 for a single policy whose home is tenant 0. */
static void model_decide(const model *m, int c, int t, int non_entra, expect *e)
{
    if (c == t) { /* rule 2, same tenant: before anything else */
        e->allowed++;
        return;
    }
    if (non_entra && !m->evaluate_non_entra) { /* rule 3, before the direction */
        e->not_covered++;
        return;
    }
    if (c != 0 && t != 0) { /* rule 4: neither side is home, not applicable */
        e->allowed++;
        return;
    }
    unsigned dir = c == 0 ? OUT : IN;
    int ext = c == 0 ? t : c;
    e->connections[ext][dir]++;
    if (!m->on || (m->dirs[ext] & dir) || (m->wildcard & dir)) {
        e->allowed++;
        return;
    }
    e->blocked++;
    e->blocked_by[ext][dir]++;
    e->need[ext] |= dir;
}

static model random_model(void)
{
    model m;
    memset(&m, 0, sizeof m);
    m.on = rnd(5) != 0;
    m.evaluate_non_entra = rnd(6) == 0;
    for (int i = 1; i < NT; i++)
        m.dirs[i] = rnd(3) == 0 ? rnd(4) : 0;
    m.wildcard = rnd(5) == 0 ? 1u + rnd(2) : 0;
    return m;
}

/* The model as a policy; some entries split in two (additive duplicates). */
static tiso_policy *model_policy(const model *m)
{
    tiso_policy_builder *b = NULL;
    assert_int_equal(tiso_policy_builder_new(&b, NULL), TISO_OK);
    tiso_tenant_id home = rt_id(g_ids[0]);
    tiso_policy_builder_set_home(b, &home);
    tiso_policy_builder_set_isolation(b, m->on);
    tiso_policy_builder_set_evaluate_non_entra(b, (int)m->evaluate_non_entra);
    for (int i = 1; i < NT; i++) {
        if (!m->dirs[i] && rnd(4))
            continue;
        tiso_tenant_id t = rt_id(g_ids[i]);
        if (m->dirs[i] == (IN | OUT) && rnd(2)) {
            assert_int_equal(tiso_policy_builder_add(b, &t, TISO_ALLOW_INBOUND, NULL, NULL, NULL), TISO_OK);
            assert_int_equal(tiso_policy_builder_add(b, &t, TISO_ALLOW_OUTBOUND, NULL, NULL, NULL), TISO_OK);
        } else {
            /* IN and OUT match TISO_ALLOW_INBOUND and TISO_ALLOW_OUTBOUND. */
            assert_int_equal(tiso_policy_builder_add(b, &t, m->dirs[i], NULL, NULL, NULL), TISO_OK);
        }
    }
    if (m->wildcard)
        assert_int_equal(tiso_policy_builder_add(b, NULL, m->wildcard, NULL, NULL, NULL), TISO_OK);
    tiso_policy *p = NULL;
    assert_int_equal(tiso_policy_builder_build(&p, b, NULL), TISO_OK);
    tiso_policy_builder_free(b);
    return p;
}

typedef struct conn {
    int c, t, non_entra;
    char creator[64], target[64];
    const char *connector;
} conn;

/* A tenant's name as an input might give it: the ID, upper-cased, or a domain. */
static void name_of(int i, char *out, size_t size)
{
    unsigned how = rnd(4);
    if (how == 0) {
        snprintf(out, size, "t%d.example.com", i);
    } else {
        snprintf(out, size, "%s", g_ids[i]);
        for (char *p = out; how == 1 && *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p);
    }
}

static void random_conns(conn *cs, size_t n)
{
    static const char *const entra[] = {"shared_office365", "/providers/Microsoft.PowerApps/apis/shared_teams", NULL};
    static const char *const non_entra[] = {"shared_visualstudioteamservices",
                                            "/providers/Microsoft.PowerApps/apis/shared_visualstudioteamservices"};
    for (size_t i = 0; i < n; i++) {
        conn *x = &cs[i];
        x->c = rnd(3) == 0 ? 0 : (int)rnd(NT);
        x->t = rnd(2) == 0 ? 0 : (int)rnd(NT);
        x->non_entra = rnd(10) == 0;
        x->connector = x->non_entra ? non_entra[rnd(2)] : entra[rnd(3)];
        name_of(x->c, x->creator, sizeof x->creator);
        name_of(x->t, x->target, sizeof x->target);
    }
}

static tiso_resolver *domains(void)
{
    tiso_resolver *r = NULL;
    assert_int_equal(tiso_resolver_new_static(&r, NULL), TISO_OK);
    for (int i = 0; i < NT; i++) {
        char d[64];
        snprintf(d, sizeof d, "t%d.example.com", i);
        tiso_tenant_id id = rt_id(g_ids[i]);
        assert_int_equal(tiso_resolver_static_add(r, d, &id, NULL), TISO_OK);
    }
    return r;
}

static tiso_report *run(tiso_policy *p, const conn *cs, size_t n, tiso_resolver *res)
{
    tiso_report *r = rt_report(p, NULL, res);
    for (size_t i = 0; i < n; i++)
        rt_add(r, cs[i].creator, cs[i].target, cs[i].connector);
    return r;
}

static int index_of(const tiso_tenant_id *id)
{
    char text[TISO_TENANT_ID_LEN + 1];
    tiso_tenant_id_format(text, id);
    for (int i = 0; i < NT; i++)
        if (strcmp(text, g_ids[i]) == 0)
            return i;
    fail_msg("unknown tenant %s", text);
    return -1;
}

static void check_totals(const tiso_report *r, const expect *e, size_t n)
{
    tiso_report_totals t;
    assert_int_equal(tiso_report_get_totals(&t, r), TISO_OK);
    assert_int_equal(t.connections, n);
    assert_int_equal(t.allowed, e->allowed);
    assert_int_equal(t.blocked, e->blocked);
    assert_int_equal(t.not_covered, e->not_covered);
    assert_int_equal(t.errors, 0);
}

static void check_rows(const tiso_report *r, const expect *e)
{
    size_t expected_rows = 0;
    for (int i = 1; i < NT; i++)
        expected_rows += (size_t)(e->connections[i][IN] != 0) + (size_t)(e->connections[i][OUT] != 0);
    assert_int_equal(tiso_report_tenant_count(r), expected_rows);
    for (size_t k = 0; k < expected_rows; k++) {
        tiso_report_tenant row;
        assert_int_equal(tiso_report_tenant_at(&row, r, k), TISO_OK);
        int i = index_of(&row.tenant);
        unsigned dir = row.direction == TISO_DIRECTION_OUTBOUND ? OUT : IN;
        assert_string_equal(g_ids[index_of(&row.home)], g_ids[0]);
        assert_int_equal(row.connections, e->connections[i][dir]);
        assert_int_equal(row.blocked, e->blocked_by[i][dir]);
    }
}

/* The suggestion: the original entries unchanged, then exactly one entry
 * per tenant the model says needs one, with exactly those directions. */
static void check_suggestion(const tiso_policy *orig, const tiso_policy *sugg, const expect *e)
{
    size_t n0 = tiso_policy_entry_count(orig), n1 = tiso_policy_entry_count(sugg);
    size_t needed = 0;
    for (int i = 0; i < NT; i++)
        needed += (size_t)(e->need[i] != 0);
    assert_int_equal(n1, n0 + needed);
    assert_int_equal(tiso_policy_isolation_enabled(sugg), tiso_policy_isolation_enabled(orig));
    for (size_t k = 0; k < n1; k++) {
        tiso_policy_entry a, b;
        assert_int_equal(tiso_policy_entry_at(&b, sugg, k), TISO_OK);
        if (k < n0) {
            assert_int_equal(tiso_policy_entry_at(&a, orig, k), TISO_OK);
            assert_int_equal(a.is_wildcard, b.is_wildcard);
            assert_int_equal(a.directions, b.directions);
            assert_true(a.is_wildcard || tiso_tenant_id_equal(&a.tenant, &b.tenant));
            continue;
        }
        assert_false(b.is_wildcard); /* "*" is never suggested */
        int i = index_of(&b.tenant);
        assert_int_equal(b.directions, e->need[i]);
    }
    assert_int_equal(tiso_report_suggested_count(NULL, NULL), 0);
}

/* Builds the suggestion without new entry `skip`, or with `drop` removed
 * from its directions (drop 0: the entry goes entirely). */
static tiso_policy *without(const tiso_policy *sugg, size_t skip, unsigned drop)
{
    tiso_policy_builder *b = NULL;
    tiso_tenant_id home;
    assert_int_equal(tiso_policy_builder_new(&b, NULL), TISO_OK);
    assert_true(tiso_policy_home_tenant(&home, sugg));
    tiso_policy_builder_set_home(b, &home);
    tiso_policy_builder_set_isolation(b, tiso_policy_isolation_enabled(sugg));
    tiso_policy_builder_set_evaluate_non_entra(b, tiso_policy_evaluates_non_entra(sugg));
    for (size_t k = 0; k < tiso_policy_entry_count(sugg); k++) {
        tiso_policy_entry e;
        tiso_policy_entry_at(&e, sugg, k);
        unsigned dirs = k == skip ? (drop ? e.directions & ~drop : 0u) : e.directions;
        if (k == skip && !dirs)
            continue;
        assert_int_equal(tiso_policy_builder_add(b, e.is_wildcard ? NULL : &e.tenant, dirs, NULL, NULL, NULL), TISO_OK);
    }
    tiso_policy *p = NULL;
    assert_int_equal(tiso_policy_builder_build(&p, b, NULL), TISO_OK);
    tiso_policy_builder_free(b);
    return p;
}

static uint64_t blocked_under(tiso_policy *p, const conn *cs, size_t n, tiso_resolver *res)
{
    tiso_report *r = run(p, cs, n, res);
    tiso_report_totals t;
    tiso_report_get_totals(&t, r);
    tiso_report_free(r);
    return t.blocked;
}

static void check_minimal(tiso_policy *orig, tiso_policy *sugg, const conn *cs, size_t n, tiso_resolver *res)
{
    assert_int_equal(blocked_under(sugg, cs, n, res), 0);
    for (size_t k = tiso_policy_entry_count(orig); k < tiso_policy_entry_count(sugg); k++) {
        tiso_policy_entry e;
        tiso_policy_entry_at(&e, sugg, k);
        for (unsigned drop = 0; drop <= OUT; drop++) {
            if (drop && !(e.directions & drop))
                continue;
            tiso_policy *less = without(sugg, k, drop);
            if (blocked_under(less, cs, n, res) == 0)
                fail_msg("entry %zu (drop %u) of the suggestion is not needed", k, drop);
            tiso_policy_free(less);
        }
    }
}

static void random_rounds(void **state)
{
    (void)state;
    make_ids();
    tiso_resolver *res = domains();
    static conn cs[CONNECTIONS];
    for (int round = 0; round < ROUNDS; round++) {
        model m = random_model();
        tiso_policy *p = model_policy(&m);
        size_t n = 1 + rnd(CONNECTIONS);
        random_conns(cs, n);
        expect e;
        memset(&e, 0, sizeof e);
        for (size_t i = 0; i < n; i++)
            model_decide(&m, cs[i].c, cs[i].t, cs[i].non_entra, &e);
        tiso_report *r = run(p, cs, n, res);
        check_totals(r, &e, n);
        check_rows(r, &e);
        tiso_policy *sugg = NULL;
        assert_int_equal(tiso_report_suggested_policy(&sugg, r, NULL, NULL, 0, NULL), TISO_OK);
        check_suggestion(p, sugg, &e);
        size_t needed = 0;
        for (int i = 0; i < NT; i++)
            needed += (size_t)(e.need[i] != 0);
        assert_int_equal(tiso_report_suggested_count(r, NULL), needed);
        check_minimal(p, sugg, cs, n, res);
        tiso_policy_free(sugg);
        tiso_report_free(r);
        tiso_policy_free(p);
    }
    tiso_resolver_free(res);
}

/* A chosen subset: only the named tenants' entries are suggested. */
static void subset(void **state)
{
    (void)state;
    tiso_policy *p = rt_build(HOME, 1, NULL);
    tiso_report *r = rt_report(p, NULL, NULL);
    rt_add(r, HOME, TA, NULL);
    rt_add(r, TB, HOME, NULL);
    rt_add(r, HOME, TB, NULL);
    tiso_tenant_id only = rt_id(TB);
    tiso_policy *s = NULL;
    assert_int_equal(tiso_report_suggested_policy(&s, r, NULL, &only, 1, NULL), TISO_OK);
    assert_int_equal(tiso_policy_entry_count(s), 1);
    tiso_policy_entry e;
    tiso_policy_entry_at(&e, s, 0);
    assert_true(tiso_tenant_id_equal(&e.tenant, &only));
    assert_int_equal(e.directions, TISO_ALLOW_INBOUND | TISO_ALLOW_OUTBOUND);
    tiso_policy_free(s);
    assert_int_equal(tiso_report_suggested_policy(&s, r, NULL, NULL, 1, NULL), TISO_E_INVALID_ARGUMENT);
    tiso_report_free(r);
    tiso_policy_free(p);
}

/* The hand-checked example: tests/report/data/contoso-page.json against the
 * Contoso policy (Fabrikam both ways, Northwind out, Woodgrove in, Adventure
 * Works out, Litware both). Counted by hand from the page: 16 connections;
 * allowed: Fabrikam out+in, Northwind out, Woodgrove in, Adventure Works out,
 * Litware out+in = 7; not covered: the Azure DevOps one = 1; blocked: the
 * other 8 (Northwind in, Woodgrove out, Tailspin out x2 + in, Adventure
 * Works in, Proseware out + in). */
static void contoso_by_hand(void **state)
{
    const char *dir = *state;
    char path[1024];
    snprintf(path, sizeof path, "%s/../../examples/contoso/connections-report.json", dir);
    tiso_policy *p = rt_policy("{\"properties\": {\"tenantId\": \"" HOME "\", \"isDisabled\": false, \"allowedTenants\": ["
                               "{\"tenantId\": \"" FAB "\", \"direction\": {\"inbound\": true, \"outbound\": true}},"
                               "{\"tenantId\": \"4e0b7a12-96c3-4d5e-8f21-7a3b9c0d1e2f\", \"direction\": {\"inbound\": false, \"outbound\": true}},"
                               "{\"tenantId\": \"9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d\", \"direction\": {\"inbound\": true, \"outbound\": false}},"
                               "{\"tenantId\": \"a1b2c3d4-e5f6-4789-9abc-def012345678\", \"direction\": {\"inbound\": false, \"outbound\": true}},"
                               "{\"tenantId\": \"2b4d6f80-1a3c-4e5f-9071-82a4c6e8f0b1\", \"direction\": {\"inbound\": true, \"outbound\": true}}]}}");
    tiso_report *r = rt_report(p, NULL, NULL);
    tiso_error err;
    if (tiso_report_read_file(r, path, &err) != TISO_OK)
        fail_msg("%s", err.message);
    tiso_report_totals t;
    tiso_report_get_totals(&t, r);
    assert_int_equal(t.connections, 16);
    assert_int_equal(t.allowed, 7);
    assert_int_equal(t.blocked, 8);
    assert_int_equal(t.not_covered, 1);
    assert_int_equal(t.errors, 0);
    assert_int_equal(tiso_report_suggested_count(r, NULL), 5);
    tiso_report_input in;
    assert_int_equal(tiso_report_input_at(&in, r, 0), TISO_OK);
    assert_true(in.is_page);
    assert_string_equal(in.status, "Completed");
    assert_int_equal(in.connections, 16);
    tiso_report_free(r);
    tiso_policy_free(p);
}

int main(int argc, char **argv)
{
    /* argv[1]: this test's source directory, to find the example. */
    void *dir = argc > 1 ? argv[1] : (char *)"tests/report";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_rounds),
        cmocka_unit_test(subset),
        cmocka_unit_test_prestate(contoso_by_hand, dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
