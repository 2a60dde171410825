/* Shared helpers for the unit tests: cmocka's prerequisites, well-known
 * tenant IDs, and small assertions used by every module's tests. */
#ifndef TISO_TEST_UTIL_H
#define TISO_TEST_UTIL_H

/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <tenantiso.h>

/* Tenants of SPEC 3.2 and a few more. */
#define CONTOSO "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
#define FABRIKAM "fab41ca0-7e3d-4c1b-8a2f-0000000fab41"
#define TENANT_A "11111111-1111-1111-1111-111111111111"
#define TENANT_B "22222222-2222-2222-2222-222222222222"
#define TENANT_C "33333333-3333-3333-3333-333333333333"
#define TENANT_D "44444444-4444-4444-4444-444444444444"
#define NIL_GUID "00000000-0000-0000-0000-000000000000"

/* The two sides of the policy-set tests: Contoso (isolation on, Fabrikam
 * outbound, A inbound) and Fabrikam (isolation on, Contoso inbound). */
#define CONTOSO_POLICY                                                                            \
    "{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["                \
    "{\"tenantId\": \"" FABRIKAM "\", \"direction\": {\"inbound\": false, \"outbound\": true}},"  \
    "{\"tenantId\": \"" TENANT_A "\", \"direction\": {\"inbound\": true, \"outbound\": false}}]}"
#define FABRIKAM_POLICY                                                                           \
    "{\"tenantId\": \"" FABRIKAM "\", \"isDisabled\": false, \"allowedTenants\": ["               \
    "{\"tenantId\": \"" CONTOSO "\", \"direction\": {\"inbound\": true, \"outbound\": false}}]}"

/* Parses `text` as a tenant ID or fails the current test. */
tiso_tenant_id tt_id(const char *text);

/* Loads a policy from a NUL-terminated JSON string with `opts` (NULL for
 * defaults) or fails the current test, showing the library's message. */
tiso_policy *tt_load(const char *json, const tiso_load_options *opts);

/* Loads and expects `status`; returns the error for further checks. */
tiso_error tt_load_fail(const char *json, const tiso_load_options *opts, tiso_status status);

/* Fails the test unless `err` carries `status` and a non-empty message. */
void tt_assert_error(const tiso_error *err, tiso_status status);

/* Fails the test unless `haystack` contains `needle`. */
void tt_assert_contains(const char *haystack, const char *needle);

/* Fills a decision with a plausible allow, so that a fail-closed check
 * proves the library overwrote it. */
void tt_poison_decision(tiso_decision *d);

/* Fails the test unless `d` is the fail-closed deny: DENY, REASON_NONE. */
void tt_assert_fail_closed(const tiso_decision *d);

/* Fails the test unless `d` has this verdict, reason and direction. */
void tt_assert_decision(const tiso_decision *d, tiso_verdict verdict, tiso_reason reason,
                        tiso_direction direction);

/* Reads a whole file into a NUL-terminated buffer (free with free()).
 * Returns NULL if it cannot be read. */
char *tt_read_file(const char *path, size_t *len);

/* Writes `len` bytes to a new temporary file; returns its malloc'ed path. */
char *tt_write_temp(const char *data, size_t len);

/* A malloc'ed string of `n` copies of `c`. */
char *tt_repeat(char c, size_t n);

/* What a callback under test was called with: one line per call, in order. */
typedef struct tt_calls {
    char text[2048];
    size_t len;
} tt_calls;

/* Appends one formatted line to `c`; fails the test when it is full. */
void tt_calls_add(tt_calls *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* TISO_TEST_UTIL_H */
