/* Expected-decision case runner shared by the seed and the cases runners. */
#include "case_runner.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

typedef struct case_file {
    const char *path;
    cJSON *root;
    tiso_resolver *resolver; /* from the file's "domains"; NULL without */
} case_file;

typedef struct case_ref {
    const case_file *file;
    const cJSON *json;
    char name[300];
} case_ref;

/* The outcome of one evaluation, whatever path produced it. */
typedef struct outcome {
    tiso_status status;
    tiso_decision d;
} outcome;

static const char *str_field(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static tiso_status load_policy(const case_ref *c, const cJSON *pj, tiso_policy **out,
                               tiso_error *err)
{
    char *text = cJSON_PrintUnformatted(pj);
    assert_non_null(text);
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    opts.resolver = c->file->resolver;
    opts.source = c->name;
    tiso_status s = tiso_policy_load_json(out, text, strlen(text), &opts, err);
    cJSON_free(text);
    return s;
}

static tiso_direction case_direction(const cJSON *cj, tiso_status *status)
{
    const char *dir = str_field(cj, "direction");
    tiso_direction d = TISO_DIRECTION_AUTO;
    *status = TISO_OK;
    if (dir != NULL) {
        *status = tiso_direction_parse(&d, dir, strlen(dir));
    }
    return d;
}

static void assert_same_decision(const tiso_decision *a, const tiso_decision *b, const char *what)
{
    if (a->verdict != b->verdict || a->reason != b->reason || a->direction != b->direction ||
        a->rule != b->rule || !tiso_tenant_id_equal(&a->external_tenant, &b->external_tenant) ||
        memcmp(a->blocked_by.bytes, b->blocked_by.bytes, 16) != 0) {
        fail_msg("%s disagrees with the request API: %s/%s vs %s/%s", what,
                 tiso_reason_name(a->reason), tiso_direction_name(a->direction),
                 tiso_reason_name(b->reason), tiso_direction_name(b->direction));
    }
}

/* Cross-checks the string entry points against the request entry point. */
static void cross_check_strings(const outcome *o, const tiso_policy *p, tiso_policy_set *set,
                                const tiso_request *rq)
{
    char creator[TISO_TENANT_ID_LEN + 1], target[TISO_TENANT_ID_LEN + 1];
    tiso_decision d;
    tiso_status s;
    assert_int_equal(tiso_tenant_id_format(creator, &rq->creator), TISO_OK);
    assert_int_equal(tiso_tenant_id_format(target, &rq->target), TISO_OK);
    if (set != NULL) {
        s = tiso_policy_set_evaluate(&d, set, creator, target, rq->direction);
    } else {
        s = tiso_evaluate(&d, p, creator, target, rq->direction);
        assert_int_equal(s, o->status);
        assert_same_decision(&d, &o->d, "tiso_evaluate");
        s = tiso_evaluate_ids(&d, p, &rq->creator, &rq->target, rq->direction);
    }
    assert_int_equal(s, o->status);
    assert_same_decision(&d, &o->d, "the string/ID entry point");
}

static outcome evaluate(const case_ref *c, const tiso_policy *p, tiso_policy_set *set)
{
    outcome o;
    tiso_error err;
    tiso_request rq;
    memset(&rq, 0, sizeof rq);
    tt_poison_decision(&o.d);
    const char *creator = str_field(c->json, "creator");
    const char *target = str_field(c->json, "target");
    assert_non_null(creator);
    assert_non_null(target);
    rq.direction = case_direction(c->json, &o.status);
    if (o.status != TISO_OK) {
        o.d.verdict = TISO_DENY; /* a bad direction is the case's own error */
        o.d.reason = TISO_REASON_NONE;
        return o;
    }
    o.status = tiso_resolver_resolve(&rq.creator, c->file->resolver, creator, &err);
    if (o.status == TISO_OK) {
        o.status = tiso_resolver_resolve(&rq.target, c->file->resolver, target, &err);
    }
    if (o.status != TISO_OK) {
        /* The evaluators must refuse the raw strings as well, closed. */
        tiso_status s = set != NULL ? tiso_policy_set_evaluate(&o.d, set, creator, target, rq.direction)
                                    : tiso_evaluate(&o.d, p, creator, target, rq.direction);
        assert_int_not_equal(s, TISO_OK);
        tt_assert_fail_closed(&o.d);
        return o;
    }
    rq.connector = str_field(c->json, "connector");
    rq.auth = TISO_AUTH_UNKNOWN;
    o.status = set != NULL ? tiso_policy_set_evaluate_request(&o.d, set, &rq)
                           : tiso_evaluate_request(&o.d, p, &rq);
    if (rq.connector == NULL) {
        cross_check_strings(&o, p, set, &rq);
    }
    return o;
}

static void check_error(const case_ref *c, const outcome *o, const char *expected)
{
    if (strcmp(tiso_status_name(o->status), expected) != 0) {
        fail_msg("%s: expected error %s, got %s (%s/%s)", c->name, expected,
                 tiso_status_name(o->status), tiso_verdict_name(o->d.verdict),
                 tiso_reason_name(o->d.reason));
    }
    tt_assert_fail_closed(&o->d);
}

static const char *direction_text(tiso_direction d)
{
    return d == TISO_DIRECTION_NONE ? NULL : tiso_direction_name(d);
}

static void check_optional_fields(const case_ref *c, const outcome *o, const cJSON *expect)
{
    const cJSON *rule = cJSON_GetObjectItemCaseSensitive(expect, "rule");
    if (rule != NULL) {
        int32_t want = cJSON_IsNumber(rule) ? (int32_t)rule->valueint : -1;
        if (o->d.rule != want) {
            fail_msg("%s: rule %d, expected %d", c->name, (int)o->d.rule, (int)want);
        }
    }
    const cJSON *blocked = cJSON_GetObjectItemCaseSensitive(expect, "blockedBy");
    if (blocked != NULL) {
        tiso_tenant_id want;
        memset(&want, 0, sizeof want);
        if (cJSON_IsString(blocked)) {
            assert_int_equal(tiso_resolver_resolve(&want, c->file->resolver, blocked->valuestring, NULL), TISO_OK);
        }
        char got[TISO_TENANT_ID_LEN + 1] = "null";
        if (!tiso_tenant_id_is_nil(&o->d.blocked_by)) {
            tiso_tenant_id_format(got, &o->d.blocked_by);
        }
        if (memcmp(want.bytes, o->d.blocked_by.bytes, 16) != 0) {
            fail_msg("%s: blockedBy %s, expected %s", c->name, got,
                     cJSON_IsString(blocked) ? blocked->valuestring : "null");
        }
    }
}

static void check_decision(const case_ref *c, const outcome *o, const cJSON *expect)
{
    if (o->status != TISO_OK) {
        fail_msg("%s: expected a decision, got error %s", c->name, tiso_status_name(o->status));
    }
    const char *verdict = str_field(expect, "verdict");
    const char *reason = str_field(expect, "reason");
    const char *dir = str_field(expect, "direction");
    const char *got_dir = direction_text(o->d.direction);
    assert_non_null(verdict);
    assert_non_null(reason);
    if (strcmp(verdict, tiso_verdict_name(o->d.verdict)) != 0 ||
        strcmp(reason, tiso_reason_name(o->d.reason)) != 0 ||
        (dir == NULL) != (got_dir == NULL) || (dir != NULL && strcmp(dir, got_dir) != 0)) {
        fail_msg("%s: got %s/%s/%s, expected %s/%s/%s", c->name, tiso_verdict_name(o->d.verdict),
                 tiso_reason_name(o->d.reason), got_dir ? got_dir : "null", verdict, reason,
                 dir ? dir : "null");
    }
    if (o->d.verdict == TISO_ALLOW) {
        assert_true(tiso_tenant_id_is_nil(&o->d.blocked_by));
    }
    char msg[TISO_ERROR_MESSAGE_MAX];
    assert_true(tiso_decision_message(msg, sizeof msg, &o->d) > 0);
    check_optional_fields(c, o, expect);
}

static void check_outcome(const case_ref *c, const outcome *o)
{
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(c->json, "expect");
    assert_true(cJSON_IsObject(expect));
    const char *error = str_field(expect, "error");
    if (error != NULL) {
        check_error(c, o, error);
    } else {
        check_decision(c, o, expect);
    }
}

/* Loads the case's policies; on a load error the outcome is that error. */
static void run_with_set(const case_ref *c, const cJSON *list)
{
    tiso_policy_set *set = NULL;
    outcome o;
    tiso_error err;
    tt_poison_decision(&o.d);
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    o.status = TISO_OK;
    const cJSON *pj;
    cJSON_ArrayForEach(pj, list)
    {
        tiso_policy *p = NULL;
        o.status = load_policy(c, pj, &p, &err);
        if (o.status == TISO_OK) {
            o.status = tiso_policy_set_add(set, p, &err);
        }
        tiso_policy_free(p);
        if (o.status != TISO_OK) {
            o.d.verdict = TISO_DENY; /* no decision: the runner fails closed too */
            o.d.reason = TISO_REASON_NONE;
            break;
        }
    }
    if (o.status == TISO_OK) {
        o = evaluate(c, NULL, set);
    }
    tiso_policy_set_free(set);
    check_outcome(c, &o);
}

static void run_with_policy(const case_ref *c, const cJSON *pj)
{
    tiso_policy *p = NULL;
    tiso_error err;
    outcome o;
    tt_poison_decision(&o.d);
    o.status = load_policy(c, pj, &p, &err);
    if (o.status == TISO_OK) {
        o = evaluate(c, p, NULL);
    } else {
        o.d.verdict = TISO_DENY;
        o.d.reason = TISO_REASON_NONE;
    }
    tiso_policy_free(p);
    check_outcome(c, &o);
}

static void run_case(void **state)
{
    const case_ref *c = *state;
    const cJSON *policy = cJSON_GetObjectItemCaseSensitive(c->json, "policy");
    const cJSON *policies = cJSON_GetObjectItemCaseSensitive(c->json, "policies");
    if (cJSON_IsObject(policy)) {
        run_with_policy(c, policy);
    } else if (cJSON_IsArray(policies)) {
        run_with_set(c, policies);
    } else {
        fail_msg("%s: neither \"policy\" nor \"policies\"", c->name);
    }
}

static tiso_resolver *resolver_from(const cJSON *domains, const char *path)
{
    if (domains == NULL) {
        return NULL;
    }
    char *text = cJSON_PrintUnformatted(domains);
    tiso_resolver *r = NULL;
    tiso_error err;
    tiso_status s = tiso_resolver_load_map_json(&r, text, strlen(text), &err);
    cJSON_free(text);
    if (s != TISO_OK) {
        fprintf(stderr, "%s: domains: %s\n", path, err.message);
        return NULL;
    }
    return r;
}

static int open_file(case_file *f, const char *path)
{
    size_t len = 0;
    char *text = tt_read_file(path, &len);
    f->path = path;
    f->root = text != NULL ? cJSON_ParseWithLength(text, len) : NULL;
    free(text);
    f->resolver = NULL;
    if (f->root == NULL) {
        fprintf(stderr, "%s: cannot read or parse\n", path);
        return -1;
    }
    const cJSON *domains = cJSON_GetObjectItemCaseSensitive(f->root, "domains");
    f->resolver = resolver_from(domains, path);
    return domains != NULL && f->resolver == NULL ? -1 : 0;
}

static size_t count_cases(const case_file *files, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        total += (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(files[i].root, "cases"));
    }
    return total;
}

static void fill_refs(case_ref *refs, struct CMUnitTest *tests, const case_file *files, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *base = strrchr(files[i].path, '/');
        base = base != NULL ? base + 1 : files[i].path;
        int index = 0;
        const cJSON *cj;
        cJSON_ArrayForEach(cj, cJSON_GetObjectItemCaseSensitive(files[i].root, "cases"))
        {
            const char *scenario = str_field(cj, "scenario");
            refs[k].file = &files[i];
            refs[k].json = cj;
            snprintf(refs[k].name, sizeof refs[k].name, "%s#%d %s", base, index++,
                     scenario != NULL ? scenario : "");
            tests[k].name = refs[k].name;
            tests[k].test_func = run_case;
            tests[k].setup_func = NULL;
            tests[k].teardown_func = NULL;
            tests[k].initial_state = &refs[k];
            k++;
        }
    }
}

static void close_files(case_file *files, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cJSON_Delete(files[i].root);
        tiso_resolver_free(files[i].resolver);
    }
    free(files);
}

int tt_run_case_files(const char *group, char *const *paths, size_t n_paths, size_t expected_cases)
{
    case_file *files = calloc(n_paths ? n_paths : 1, sizeof *files);
    int failed = files == NULL;
    for (size_t i = 0; !failed && i < n_paths; i++) {
        failed = open_file(&files[i], paths[i]) != 0;
    }
    size_t total = failed ? 0 : count_cases(files, n_paths);
    if (!failed && (total == 0 || (expected_cases > 0 && total != expected_cases))) {
        fprintf(stderr, "%s: %zu cases, expected %zu\n", group, total, expected_cases);
        failed = 1;
    }
    if (failed) {
        if (files != NULL) {
            close_files(files, n_paths);
        }
        return 1;
    }
    case_ref *refs = calloc(total, sizeof *refs);
    struct CMUnitTest *tests = calloc(total, sizeof *tests);
    int rc = 1;
    if (refs != NULL && tests != NULL) {
        fill_refs(refs, tests, files, n_paths);
        rc = _cmocka_run_group_tests(group, tests, total, NULL, NULL);
    }
    free(tests);
    free(refs);
    close_files(files, n_paths);
    return rc;
}
