/* Helpers for the impact-analysis tests (see report_test_util.h). */
#include "report_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy(char *dst, size_t cap, const char *src, size_t len)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

tiso_status rt_collect(void *user, const tiso_connection *c, const tiso_error *problem)
{
    rt_records *rs = user;
    assert_true(rs->count < sizeof rs->items / sizeof rs->items[0]);
    rt_record *r = &rs->items[rs->count++];
    memset(r, 0, sizeof *r);
    r->problem = problem != NULL;
    r->status = problem ? problem->status : TISO_OK;
    copy(r->creator, sizeof r->creator, c->creator, c->creator ? strlen(c->creator) : 0);
    copy(r->target, sizeof r->target, c->target, c->target ? strlen(c->target) : 0);
    copy(r->connector, sizeof r->connector, c->connector, c->connector ? strlen(c->connector) : 0);
    copy(r->connection_id, sizeof r->connection_id, c->connection_id,
         c->connection_id ? strlen(c->connection_id) : 0);
    copy(r->environment_id, sizeof r->environment_id, c->environment_id,
         c->environment_id ? strlen(c->environment_id) : 0);
    copy(r->fields, sizeof r->fields, c->fields, c->fields_len);
    if (problem) {
        copy(r->message, sizeof r->message, problem->message, strlen(problem->message));
        copy(r->path, sizeof r->path, problem->path, strlen(problem->path));
        assert_true(problem->message[0] != '\0');
    }
    r->line = c->line;
    r->index = c->index;
    return TISO_OK;
}

tiso_tenant_id rt_id(const char *text)
{
    tiso_tenant_id id;
    if (tiso_tenant_id_parse(&id, text, strlen(text)) != TISO_OK)
        fail_msg("not a tenant ID: %s", text);
    return id;
}

tiso_policy *rt_policy(const char *json)
{
    tiso_policy *p = NULL;
    tiso_error err;
    if (tiso_policy_load_json(&p, json, strlen(json), NULL, &err) != TISO_OK)
        fail_msg("policy does not load: %s", err.message);
    return p;
}

tiso_policy *rt_build(const char *home, int on, const char *const *entries)
{
    tiso_policy_builder *b = NULL;
    assert_int_equal(tiso_policy_builder_new(&b, NULL), TISO_OK);
    tiso_tenant_id h = rt_id(home);
    assert_int_equal(tiso_policy_builder_set_home(b, &h), TISO_OK);
    assert_int_equal(tiso_policy_builder_set_isolation(b, on), TISO_OK);
    for (size_t i = 0; entries && entries[i]; i++) {
        const char *colon = strchr(entries[i], ':');
        assert_non_null(colon);
        unsigned dirs = (strchr(colon, 'i') ? TISO_ALLOW_INBOUND : 0u) | (strchr(colon, 'o') ? TISO_ALLOW_OUTBOUND : 0u);
        if (entries[i][0] == '*') {
            assert_int_equal(tiso_policy_builder_add(b, NULL, dirs, NULL, NULL, NULL), TISO_OK);
        } else {
            char id[64];
            copy(id, sizeof id, entries[i], (size_t)(colon - entries[i]));
            tiso_tenant_id t = rt_id(id);
            assert_int_equal(tiso_policy_builder_add(b, &t, dirs, NULL, NULL, NULL), TISO_OK);
        }
    }
    tiso_policy *p = NULL;
    assert_int_equal(tiso_policy_builder_build(&p, b, NULL), TISO_OK);
    tiso_policy_builder_free(b);
    return p;
}

tiso_report *rt_report(tiso_policy *policy, tiso_policy *before, tiso_resolver *resolver)
{
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.policy = policy;
    opts.before_policy = before;
    opts.resolver = resolver;
    tiso_report *r = NULL;
    tiso_error err;
    if (tiso_report_new(&r, &opts, &err) != TISO_OK)
        fail_msg("report_new: %s", err.message);
    return r;
}

tiso_connection_result rt_add(tiso_report *r, const char *creator, const char *target, const char *connector)
{
    tiso_connection c = {.creator = creator, .target = target, .connector = connector, .index = -1};
    tiso_connection_result res;
    tiso_error err;
    if (tiso_report_add(&res, r, &c, &err) != TISO_OK)
        fail_msg("report_add: %s", err.message);
    res.connection = NULL; /* points at the local above */
    return res;
}

int rt_append(void *user, const char *data, size_t len)
{
    rt_buffer *b = user;
    if (b->len + len + 1 > b->cap) {
        b->cap = (b->len + len + 1) * 2;
        b->data = realloc(b->data, b->cap);
        assert_non_null(b->data);
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

char *rt_write(tiso_report *r, tiso_report_format format, const char *inventory)
{
    rt_buffer b = {NULL, 0, 0};
    rt_append(&b, "", 0);
    tiso_report_writer *w = NULL;
    tiso_error err;
    if (tiso_report_writer_new(&w, r, format, rt_append, &b, &err) != TISO_OK)
        fail_msg("writer_new: %s", err.message);
    assert_int_equal(tiso_report_set_observer(r, tiso_report_writer_observe, w), TISO_OK);
    if (inventory)
        assert_int_equal(tiso_report_read_inventory(r, inventory, strlen(inventory), "inventory.jsonl", &err), TISO_OK);
    if (tiso_report_writer_finish(w, &err) != TISO_OK)
        fail_msg("writer_finish: %s", err.message);
    tiso_report_set_observer(r, NULL, NULL);
    tiso_report_writer_free(w);
    return b.data;
}

void rt_contains(const char *haystack, const char *needle)
{
    if (!haystack || !strstr(haystack, needle))
        fail_msg("expected to find \"%s\" in:\n%s", needle, haystack ? haystack : "(null)");
}
