/* Helpers shared by the impact-analysis tests: cmocka's prerequisites,
 * well-known tenants, and a record collector for the readers. */
#ifndef TISO_REPORT_TEST_UTIL_H
#define TISO_REPORT_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <tenantiso.h>
#include <tenantiso/report.h>

#define HOME "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
#define FAB "fab41ca0-7e3d-4c1b-8a2f-0000000fab41"
#define TA "11111111-1111-1111-1111-111111111111"
#define TB "22222222-2222-2222-2222-222222222222"
#define TC "33333333-3333-3333-3333-333333333333"
#define TD "44444444-4444-4444-4444-444444444444"

/* One record as a reader handed it over, copied. */
typedef struct rt_record {
    int problem; /* 1: a problem record */
    tiso_status status;
    char creator[300], target[300], connector[300], connection_id[300], environment_id[300];
    char fields[4096];
    char message[TISO_ERROR_MESSAGE_MAX];
    char path[TISO_ERROR_PATH_MAX];
    uint64_t line;
    int64_t index;
} rt_record;

typedef struct rt_records {
    rt_record items[64];
    size_t count;
} rt_records;

/* A tiso_record_fn that appends to an rt_records (`user`). */
tiso_status rt_collect(void *user, const tiso_connection *c, const tiso_error *problem);

/* Parses a tenant ID or fails the test. */
tiso_tenant_id rt_id(const char *text);

/* Loads a policy from JSON or fails the test. */
tiso_policy *rt_policy(const char *json);

/* A policy for `home` with isolation `on` and entries "tenant:dirs" where
 * dirs is "i", "o" or "io" ("*:i" is the wildcard), NULL-terminated. */
tiso_policy *rt_build(const char *home, int on, const char *const *entries);

/* A report of `policy` (and `before`, may be NULL), with `resolver`. */
tiso_report *rt_report(tiso_policy *policy, tiso_policy *before, tiso_resolver *resolver);

/* Adds a connection or fails the test; returns its result. */
tiso_connection_result rt_add(tiso_report *r, const char *creator, const char *target, const char *connector);

/* A growing NUL-terminated byte buffer (free data with free()). */
typedef struct rt_buffer {
    char *data;
    size_t len, cap;
} rt_buffer;

/* A tiso_write_fn-shaped sink that appends to an rt_buffer (`user`). */
int rt_append(void *user, const char *data, size_t len);

/* Writes the report in `format` to a malloc'd NUL-terminated string (free()),
 * feeding it `inventory` (JSON Lines, may be NULL) first. */
char *rt_write(tiso_report *r, tiso_report_format format, const char *inventory);

/* Fails unless `haystack` contains `needle`. */
void rt_contains(const char *haystack, const char *needle);

#endif /* TISO_REPORT_TEST_UTIL_H */
