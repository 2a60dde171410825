/* Shared helpers for the unit tests. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

tiso_tenant_id tt_id(const char *text)
{
    tiso_tenant_id id;
    memset(&id, 0, sizeof id);
    tiso_status s = tiso_tenant_id_parse(&id, text, strlen(text));
    if (s != TISO_OK) {
        fail_msg("test setup: '%s' is not a tenant ID (%s)", text, tiso_status_name(s));
    }
    return id;
}

tiso_policy *tt_load(const char *json, const tiso_load_options *opts)
{
    tiso_policy *p = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = tiso_policy_load_json(&p, json, strlen(json), opts, &err);
    if (s != TISO_OK) {
        fail_msg("loading failed: %s: %s (path '%s')", tiso_status_name(s), err.message, err.path);
    }
    assert_non_null(p);
    return p;
}

tiso_error tt_load_fail(const char *json, const tiso_load_options *opts, tiso_status status)
{
    tiso_policy *p = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = tiso_policy_load_json(&p, json, strlen(json), opts, &err);
    if (s != status) {
        tiso_policy_free(p);
        fail_msg("expected %s, got %s: %s", tiso_status_name(status), tiso_status_name(s),
                 err.message);
    }
    assert_null(p);
    tt_assert_error(&err, status);
    return err;
}

void tt_assert_error(const tiso_error *err, tiso_status status)
{
    if (err->status != status) {
        fail_msg("err.status is %s, expected %s", tiso_status_name(err->status),
                 tiso_status_name(status));
    }
    if (err->message[0] == '\0') {
        fail_msg("err.message is empty for %s", tiso_status_name(status));
    }
    assert_non_null(memchr(err->message, '\0', sizeof err->message));
    assert_non_null(memchr(err->path, '\0', sizeof err->path));
}

void tt_assert_contains(const char *haystack, const char *needle)
{
    assert_non_null(haystack);
    if (strstr(haystack, needle) == NULL) {
        fail_msg("'%s' does not contain '%s'", haystack, needle);
    }
}

void tt_poison_decision(tiso_decision *d)
{
    memset(d, 0x5a, sizeof *d);
    d->verdict = TISO_ALLOW;
    d->reason = TISO_REASON_ALLOWLISTED;
    d->direction = TISO_DIRECTION_OUTBOUND;
    d->rule = 7;
}

void tt_assert_fail_closed(const tiso_decision *d)
{
    if (d->verdict != TISO_DENY || d->reason != TISO_REASON_NONE) {
        fail_msg("not fail-closed: verdict %s, reason %s", tiso_verdict_name(d->verdict),
                 tiso_reason_name(d->reason));
    }
}

void tt_assert_decision(const tiso_decision *d, tiso_verdict verdict, tiso_reason reason,
                        tiso_direction direction)
{
    if (d->verdict != verdict || d->reason != reason || d->direction != direction) {
        fail_msg("got %s/%s/%s, expected %s/%s/%s", tiso_verdict_name(d->verdict),
                 tiso_reason_name(d->reason), tiso_direction_name(d->direction),
                 tiso_verdict_name(verdict), tiso_reason_name(reason),
                 tiso_direction_name(direction));
    }
}

char *tt_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            char *bigger = realloc(buf, cap + 1);
            if (bigger == NULL) {
                free(buf);
            }
            buf = bigger;
        }
    }
    fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

char *tt_write_temp(const char *data, size_t len)
{
    char tmpl[] = "/tmp/tiso-unit-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    char *path = malloc(sizeof tmpl);
    assert_non_null(path);
    memcpy(path, tmpl, sizeof tmpl);
    return path;
}

char *tt_repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

void tt_calls_add(tt_calls *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(c->text + c->len, sizeof c->text - c->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n + 1 >= sizeof c->text - c->len) {
        fail_msg("tt_calls: more calls than fit");
    }
    c->len += (size_t)n;
    c->text[c->len++] = '\n';
    c->text[c->len] = '\0';
}
