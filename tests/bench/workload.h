/* The benchmark's workload, the same as the peers' (../shared/peers/common):
 * random version-4 tenant IDs; each entry inbound-only, outbound-only or both
 * with equal chance; requests 40%
 * outbound, 40% inbound (half to or from a listed tenant, half unlisted), 10%
 * same tenant, 10% neither tenant home. Everything is generated up front, so
 * the timed loops only decide. */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include <tenantiso.h>

/* Bytes between two GUID strings in a request's text form. */
#define BENCH_STR_STRIDE 40

typedef struct bench_request {
    tiso_tenant_id creator;
    tiso_tenant_id target;
} bench_request;

typedef struct bench_allowlist {
    tiso_tenant_id home;
    tiso_tenant_id *ids; /* n entries */
    uint8_t *dirs;       /* TISO_ALLOW_* bits per entry */
    size_t n;
} bench_allowlist;

typedef struct bench_requests {
    bench_request *req; /* n requests */
    char *text;         /* per request: creator then target, NUL-terminated, BENCH_STR_STRIDE apart */
    uint8_t *expect;    /* the verdict each request must get (TISO_ALLOW or TISO_DENY) */
    size_t n;
} bench_requests;

/* A seeded splitmix64 generator, so every run decides the same requests. */
typedef struct bench_rng {
    uint64_t state;
} bench_rng;

uint64_t bench_rng_next(bench_rng *r);

/* Returns 0, or -1 when out of memory. */
int bench_allowlist_make(bench_allowlist *a, size_t n, bench_rng *rng);
void bench_allowlist_free(bench_allowlist *a);

/* `n` requests against `a`, with their expected verdicts. Returns 0 or -1. */
int bench_requests_make(bench_requests *r, const bench_allowlist *a, size_t n, bench_rng *rng);
void bench_requests_free(bench_requests *r);

/* Builds the policy in code (isolation on, the entries). The peers add a
 * "*" entry granting nothing; it changes no verdict and would push a
 * 1,000,000-entry policy past the default entry limit, so there is none.
 * Returns NULL on failure, with a message on stderr. */
tiso_policy *bench_policy_build(const bench_allowlist *a);

/* The admin API document for `a`, NUL-terminated, in `*len` bytes; NULL when
 * out of memory. Free with free(). */
char *bench_policy_json(const bench_allowlist *a, size_t *len);

#endif /* BENCH_WORKLOAD_H */
