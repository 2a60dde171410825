/* Test cases: parsing, running, comparing (see cli_case.h). */
#include "cli_case.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_decision.h"
#include "cli_output.h"
#include "json_keys.h"
#include "cli_policies.h"

/* ---- parsing ---- */

/* Rejects keys of `obj` not in `known` (NULL-terminated) and duplicates;
 * `prefix` ("cases[3].") goes before a key in the JSON path. */
static tiso_status check_keys(const cJSON *obj, const char *const *known, const char *prefix, tiso_error *err)
{
    char path[TISO_ERROR_PATH_MAX];
    const cJSON *dup = NULL;
    if (tiso__json_object_duplicate(&dup, obj) != TISO_OK) {
        return tiso__fail(err, TISO_E_SCHEMA, prefix, "out of memory");
    }
    if (dup != NULL) {
        snprintf(path, sizeof path, "%s%.64s", prefix, dup->string);
        return tiso__fail(err, TISO_E_SCHEMA, path, "duplicate key");
    }
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        const char *key = c->string != NULL ? c->string : "";
        size_t k = 0;
        while (known[k] != NULL && strcmp(known[k], key) != 0) {
            k++;
        }
        if (known[k] == NULL) {
            snprintf(path, sizeof path, "%s%.64s", prefix, key);
            return tiso__fail(err, TISO_E_SCHEMA, path, "unknown key");
        }
    }
    return TISO_OK;
}

/* The optional members of an expected decision: each one's reader (0 when
 * the value is not one) and what it must be. */
static int read_reason(cli_case_expect *e, const cJSON *v)
{
    for (int r = TISO_REASON_SAME_TENANT; r <= TISO_REASON_NOT_ALLOWLISTED && cJSON_IsString(v); r++) {
        if (strcmp(tiso_reason_name((tiso_reason)r), v->valuestring) == 0) {
            e->reason = (tiso_reason)r;
            return e->has_reason = 1;
        }
    }
    return 0;
}

static int read_direction(cli_case_expect *e, const cJSON *v)
{
    e->has_direction = 1;
    e->direction = TISO_DIRECTION_NONE;
    if (cJSON_IsString(v) && strcmp(v->valuestring, "inbound") == 0) {
        e->direction = TISO_DIRECTION_INBOUND;
    } else if (cJSON_IsString(v) && strcmp(v->valuestring, "outbound") == 0) {
        e->direction = TISO_DIRECTION_OUTBOUND;
    }
    return e->direction != TISO_DIRECTION_NONE || cJSON_IsNull(v);
}

static int read_rule(cli_case_expect *e, const cJSON *v)
{
    e->has_rule = 1;
    e->rule = -1;
    if (!cJSON_IsNumber(v) || v->valuedouble < 0.0 || v->valuedouble > 2147483647.0 ||
        floor(v->valuedouble) != v->valuedouble) {
        return cJSON_IsNull(v);
    }
    e->rule = (int32_t)v->valuedouble;
    return 1;
}

static int read_blocked_by(cli_case_expect *e, const cJSON *v)
{
    e->has_blocked_by = 1;
    memset(&e->blocked_by, 0, sizeof e->blocked_by);
    return cJSON_IsNull(v) || (cJSON_IsString(v) &&
                               tiso_tenant_id_parse(&e->blocked_by, v->valuestring, strlen(v->valuestring)) == TISO_OK);
}

static const struct {
    const char *key;
    int (*read)(cli_case_expect *e, const cJSON *v);
    const char *must;
} EXPECT_MEMBERS[] = {
    {"reason", read_reason, "must be a reason name such as \"allowlisted\""},
    {"direction", read_direction, "must be \"inbound\", \"outbound\" or null"},
    {"rule", read_rule, "must be an entry index (0, 1, ...) or null"},
    {"blockedBy", read_blocked_by, "must be a tenant ID or null"},
};

/* 1 if `name` is the name of a failure status of the library. */
static int is_status_name(const char *name)
{
    for (int s = 1; s < 64; s++) {
        const char *known = tiso_status_name((tiso_status)s);
        if (strcmp(known, "unknown") != 0 && strcmp(known, name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* `prefix` is "cases[3].expect.". */
static tiso_status parse_decision_expect(cli_case_expect *e, const cJSON *expect, const char *prefix, tiso_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(expect, "verdict");
    if (!cJSON_IsString(v) || (strcmp(v->valuestring, "allow") != 0 && strcmp(v->valuestring, "deny") != 0)) {
        return cli_field_error(err, TISO_E_SCHEMA, prefix, "verdict",
                               "must be \"allow\" or \"deny\" (or give \"error\")");
    }
    e->verdict = strcmp(v->valuestring, "allow") == 0 ? TISO_ALLOW : TISO_DENY;
    for (size_t i = 0; i < sizeof EXPECT_MEMBERS / sizeof EXPECT_MEMBERS[0]; i++) {
        v = cJSON_GetObjectItemCaseSensitive(expect, EXPECT_MEMBERS[i].key);
        if (v != NULL && !EXPECT_MEMBERS[i].read(e, v)) {
            return cli_field_error(err, TISO_E_SCHEMA, prefix, EXPECT_MEMBERS[i].key, "%s", EXPECT_MEMBERS[i].must);
        }
    }
    return TISO_OK;
}

static tiso_status parse_expect(cli_case_expect *e, const cJSON *expect, const char *prefix, tiso_error *err)
{
    static const char *const keys[] = {"verdict", "reason", "direction", "rule", "blockedBy", "error", NULL};
    memset(e, 0, sizeof *e);
    tiso_status s = check_keys(expect, keys, prefix, err);
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(expect, "error");
    if (s != TISO_OK || error == NULL) {
        return s != TISO_OK ? s : parse_decision_expect(e, expect, prefix, err);
    }
    if (!cJSON_IsString(error) || !is_status_name(error->valuestring)) {
        return cli_field_error(err, TISO_E_SCHEMA, prefix, "error", "must be a status name such as \"invalid_tenant\"");
    }
    if (cJSON_GetArraySize(expect) != 1) {
        return cli_field_error(err, TISO_E_SCHEMA, prefix, "error", "an expected error cannot come with a verdict");
    }
    e->error = error->valuestring;
    return TISO_OK;
}

/* A policy is an inline document (object) or a path (string). */
static int is_policy_value(const cJSON *v)
{
    return cJSON_IsObject(v) || (cJSON_IsString(v) && v->valuestring[0] != '\0');
}

static tiso_status parse_policies(cli_case *c, const cJSON *obj, tiso_error *err)
{
    c->policy = cJSON_GetObjectItemCaseSensitive(obj, "policy");
    c->policies = cJSON_GetObjectItemCaseSensitive(obj, "policies");
    if ((c->policy == NULL) == (c->policies == NULL)) {
        return tiso__fail(err, TISO_E_SCHEMA, c->label, "needs exactly one of \"policy\" and \"policies\"");
    }
    if (c->policy != NULL && !is_policy_value(c->policy)) {
        return cli_field_error(err, TISO_E_SCHEMA, c->prefix, "policy", "must be a policy document or a file path");
    }
    if (c->policies != NULL && (!cJSON_IsArray(c->policies) || cJSON_GetArraySize(c->policies) == 0)) {
        return cli_field_error(err, TISO_E_SCHEMA, c->prefix, "policies", "must be a non-empty array");
    }
    int i = 0;
    for (const cJSON *p = c->policies != NULL ? c->policies->child : NULL; p != NULL; p = p->next, i++) {
        if (!is_policy_value(p)) {
            char key[32];
            snprintf(key, sizeof key, "policies[%d]", i);
            return cli_field_error(err, TISO_E_SCHEMA, c->prefix, key, "must be a policy document or a file path");
        }
    }
    return TISO_OK;
}

tiso_status cli_case_parse(cli_case *out, const cJSON *obj, size_t index, tiso_error *err)
{
    static const char *const keys[] = {"scenario", "description", "comment",   "policy", "policies", "creator",
                                       "target",   "direction",   "connector", "expect", NULL};
    memset(out, 0, sizeof *out);
    snprintf(out->label, sizeof out->label, "cases[%zu]", index);
    snprintf(out->prefix, sizeof out->prefix, "cases[%zu].", index);
    if (!cJSON_IsObject(obj)) {
        return tiso__fail(err, TISO_E_SCHEMA, out->label, "a case must be a JSON object");
    }
    tiso_status s = check_keys(obj, keys, out->prefix, err);
    if (s != TISO_OK) {
        return s;
    }
    const cJSON *scenario = cJSON_GetObjectItemCaseSensitive(obj, "scenario");
    if (scenario != NULL && !cJSON_IsString(scenario)) {
        return cli_field_error(err, TISO_E_SCHEMA, out->prefix, "scenario", "must be a string");
    }
    out->scenario = scenario != NULL ? scenario->valuestring : "";
    s = parse_policies(out, obj, err);
    if (s == TISO_OK) {
        s = cli_request_text_from_json(&out->request, obj, out->prefix, err);
    }
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(obj, "expect");
    if (s == TISO_OK && !cJSON_IsObject(expect)) {
        return cli_field_error(err, TISO_E_SCHEMA, out->prefix, "expect", "missing, or not an object");
    }
    if (s == TISO_OK) {
        char prefix[TISO_ERROR_PATH_MAX];
        snprintf(prefix, sizeof prefix, "%sexpect.", out->prefix);
        s = parse_expect(&out->expect, expect, prefix, err);
    }
    return s;
}

/* ---- running ---- */

char *cli_case_policy_file(const cJSON *v, const char *cases_path)
{
    const char *rel = v->valuestring, *slash = strrchr(cases_path, '/');
    /* The cases file's directory: "." without a slash, "/" for one in the root. */
    const char *dir = slash == NULL ? "." : cases_path;
    int dir_len = rel[0] == '/' ? 0 : slash == NULL || slash == cases_path ? 1 : (int)(slash - cases_path);
    size_t size = (size_t)dir_len + strlen(rel) + 2;
    char *path = malloc(size);
    if (path != NULL) {
        snprintf(path, size, "%.*s%s%s", dir_len, dir, rel[0] == '/' ? "" : "/", rel);
    }
    return path;
}

/* Loads one policy value (inline object or relative path) into `p`. */
static tiso_status load_policy(cli_policies *p, const cJSON *v, const char *label, const char *cases_path,
                               const cli_resolution *res, cli_case_outcome *o)
{
    tiso_error err;
    tiso_error_clear(&err);
    char *path = cJSON_IsString(v) ? cli_case_policy_file(v, cases_path) : NULL;
    char *json = !cJSON_IsString(v) ? cJSON_PrintUnformatted(v) : NULL;
    tiso_status s = path == NULL && json == NULL ? tiso__fail(&err, TISO_E_NOMEM, NULL, "out of memory") : TISO_OK;
    if (path != NULL) {
        s = cli_policies_load(p, path, NULL, 0, res->resolver, &err);
    } else if (json != NULL) {
        s = cli_policies_load(p, label, json, strlen(json), res->resolver, &err);
    }
    if (s != TISO_OK) {
        o->status = s;
        cli_format_error(o->message, sizeof o->message, path != NULL ? path : label, &err);
    }
    free(path);
    cJSON_free(json);
    return s;
}

static tiso_status load_policies(cli_policies *p, const cli_case *c, const char *cases_path, const cli_resolution *res,
                                 cli_case_outcome *o)
{
    char label[TISO_ERROR_PATH_MAX];
    if (c->policy != NULL) {
        snprintf(label, sizeof label, "%spolicy", c->prefix);
        return load_policy(p, c->policy, label, cases_path, res, o);
    }
    int i = 0;
    for (const cJSON *v = c->policies->child; v != NULL; v = v->next, i++) {
        snprintf(label, sizeof label, "%spolicies[%d]", c->prefix, i);
        tiso_status s = load_policy(p, v, label, cases_path, res, o);
        if (s != TISO_OK) {
            return s;
        }
    }
    return TISO_OK;
}

void cli_case_run(const cli_case *c, const char *cases_path, const cli_resolution *res, cli_case_outcome *out)
{
    memset(out, 0, sizeof *out);
    out->as_set = c->policies != NULL;
    cli_policies policies;
    cli_policies_init(&policies, out->as_set);
    if (load_policies(&policies, c, cases_path, res, out) == TISO_OK) {
        out->status =
            cli_request_decide(&out->decision, out->message, sizeof out->message, &c->request, &policies, res);
    }
    cli_policies_free(&policies);
}

/* ---- comparing ---- */

/* Text built up in a fixed buffer (cli_append). */
typedef struct text_buf {
    char *buf;
    size_t size, used;
} text_buf;

#define put(t, ...) cli_append((t)->buf, (t)->size, &(t)->used, __VA_ARGS__)

/* Describes an expectation, or an outcome through the same keys, so the two
 * halves of a failure line read side by side. */
static void describe(text_buf *t, const cli_case_expect *e, const cli_case_outcome *o)
{
    if (o != NULL && o->status != TISO_OK) {
        put(t, "error=%s (%s)", tiso_status_name(o->status), o->message);
        return;
    }
    if (o == NULL && e->error != NULL) {
        put(t, "error=%s", e->error);
        return;
    }
    const tiso_decision *d = o != NULL ? &o->decision : NULL;
    put(t, "verdict=%s", tiso_verdict_name(d != NULL ? d->verdict : e->verdict));
    if (e->has_reason || e->error != NULL) {
        put(t, " reason=%s", tiso_reason_name(d != NULL ? d->reason : e->reason));
    }
    tiso_direction direction = d != NULL ? d->direction : e->direction;
    if (e->has_direction || e->error != NULL) {
        put(t, " direction=%s", direction == TISO_DIRECTION_NONE ? "null" : tiso_direction_name(direction));
    }
    if (e->has_rule) {
        int32_t rule = d != NULL ? d->rule : e->rule;
        if (rule < 0) {
            put(t, " rule=null");
        } else {
            put(t, " rule=%ld", (long)rule);
        }
    }
    if (e->has_blocked_by) {
        char text[TISO_TENANT_ID_LEN + 1];
        put(t, " blockedBy=%s", cli_tenant_text(d != NULL ? &d->blocked_by : &e->blocked_by, text, "null"));
    }
}

static int matches(const cli_case_expect *e, const cli_case_outcome *o)
{
    if (e->error != NULL || o->status != TISO_OK) {
        return e->error != NULL && o->status != TISO_OK && strcmp(e->error, tiso_status_name(o->status)) == 0;
    }
    const tiso_decision *d = &o->decision;
    return d->verdict == e->verdict && (!e->has_reason || d->reason == e->reason) &&
           (!e->has_direction || d->direction == e->direction) &&
           (!e->has_rule || (d->rule < 0 ? -1 : d->rule) == e->rule) &&
           (!e->has_blocked_by || tiso_tenant_id_equal(&d->blocked_by, &e->blocked_by));
}

int cli_case_check(const cli_case *c, const cli_case_outcome *o, char *buf, size_t size)
{
    if (matches(&c->expect, o)) {
        return 1;
    }
    text_buf t = {buf, size, 0};
    buf[0] = '\0';
    put(&t, "expected ");
    describe(&t, &c->expect, NULL);
    put(&t, ", got ");
    describe(&t, &c->expect, o);
    return 0;
}
