/* Generating allowlists, requests and policy documents (see workload.h). */
#include "workload.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t bench_rng_next(bench_rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A uniform double in [0, 1). */
static double unit(bench_rng *r)
{
    return (double)(bench_rng_next(r) >> 11) * 0x1.0p-53;
}

/* A random version-4 GUID, as Entra issues them. Never nil. */
static tiso_tenant_id random_guid(bench_rng *r)
{
    tiso_tenant_id id;
    uint64_t a = bench_rng_next(r), b = bench_rng_next(r);
    memcpy(id.bytes, &a, 8);
    memcpy(id.bytes + 8, &b, 8);
    id.bytes[6] = (uint8_t)((id.bytes[6] & 0x0f) | 0x40);
    id.bytes[8] = (uint8_t)((id.bytes[8] & 0x3f) | 0x80);
    return id;
}

int bench_allowlist_make(bench_allowlist *a, size_t n, bench_rng *rng)
{
    static const uint8_t kinds[3] = {TISO_ALLOW_INBOUND, TISO_ALLOW_OUTBOUND,
                                     TISO_ALLOW_INBOUND | TISO_ALLOW_OUTBOUND};
    a->n = n;
    a->home = random_guid(rng);
    a->ids = malloc(n * sizeof *a->ids);
    a->dirs = malloc(n);
    if (!a->ids || !a->dirs) {
        bench_allowlist_free(a);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        a->ids[i] = random_guid(rng);
        a->dirs[i] = kinds[bench_rng_next(rng) % 3];
    }
    return 0;
}

void bench_allowlist_free(bench_allowlist *a)
{
    free(a->ids);
    free(a->dirs);
    memset(a, 0, sizeof *a);
}

/* The external side of a request: a listed tenant (half the time) or an
 * unlisted one. `*dirs` gets what the allowlist grants it (0: unlisted). */
static tiso_tenant_id other_tenant(const bench_allowlist *a, bench_rng *rng, unsigned *dirs)
{
    if (a->n > 0 && unit(rng) < 0.5) {
        size_t i = (size_t)(bench_rng_next(rng) % a->n);
        *dirs = a->dirs[i];
        return a->ids[i];
    }
    *dirs = 0;
    return random_guid(rng);
}

/* One request of the peers' mix, and the verdict SPEC 3 gives it. */
static bench_request one_request(const bench_allowlist *a, bench_rng *rng, uint8_t *expect)
{
    bench_request q;
    unsigned dirs, unused;
    double x = unit(rng);
    if (x < 0.4) { /* outbound: allowed iff the target may be reached */
        q.creator = a->home;
        q.target = other_tenant(a, rng, &dirs);
        *expect = (dirs & TISO_ALLOW_OUTBOUND) ? TISO_ALLOW : TISO_DENY;
    } else if (x < 0.8) { /* inbound: allowed iff the creator may come in */
        q.creator = other_tenant(a, rng, &dirs);
        q.target = a->home;
        *expect = (dirs & TISO_ALLOW_INBOUND) ? TISO_ALLOW : TISO_DENY;
    } else if (x < 0.9) { /* same tenant */
        q.creator = unit(rng) < 0.5 ? a->home : other_tenant(a, rng, &unused);
        q.target = q.creator;
        *expect = TISO_ALLOW;
    } else { /* neither side is home: not applicable */
        q.creator = other_tenant(a, rng, &unused);
        q.target = other_tenant(a, rng, &unused);
        *expect = TISO_ALLOW;
    }
    return q;
}

int bench_requests_make(bench_requests *r, const bench_allowlist *a, size_t n, bench_rng *rng)
{
    r->n = n;
    r->req = malloc(n * sizeof *r->req);
    r->text = malloc(n * 2 * BENCH_STR_STRIDE);
    r->expect = malloc(n);
    if (!r->req || !r->text || !r->expect) {
        bench_requests_free(r);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        r->req[i] = one_request(a, rng, &r->expect[i]);
        char *t = r->text + i * 2 * BENCH_STR_STRIDE;
        tiso_tenant_id_format(t, &r->req[i].creator);
        tiso_tenant_id_format(t + BENCH_STR_STRIDE, &r->req[i].target);
    }
    return 0;
}

void bench_requests_free(bench_requests *r)
{
    free(r->req);
    free(r->text);
    free(r->expect);
    memset(r, 0, sizeof *r);
}

tiso_policy *bench_policy_build(const bench_allowlist *a)
{
    tiso_policy_builder *b = NULL;
    tiso_policy *p = NULL;
    tiso_error err;
    tiso_status s = tiso_policy_builder_new(&b, &err);
    if (s == TISO_OK)
        s = tiso_policy_builder_set_home(b, &a->home);
    for (size_t i = 0; s == TISO_OK && i < a->n; i++)
        s = tiso_policy_builder_add(b, &a->ids[i], a->dirs[i], NULL, NULL, &err);
    if (s == TISO_OK)
        s = tiso_policy_builder_build(&p, b, &err);
    if (s != TISO_OK)
        fprintf(stderr, "tenantiso_bench: building a %zu-entry policy: %s\n", a->n, tiso_status_name(s));
    tiso_policy_builder_free(b);
    return p;
}

static const char *json_bool(unsigned set)
{
    return set ? "true" : "false";
}

/* Appends one allowedTenants entry at `out`; returns the bytes written. */
static size_t put_entry(char *out, const char *tenant, unsigned dirs, bool last)
{
    int len = sprintf(out, "{\"tenantId\":\"%s\",\"direction\":{\"inbound\":%s,\"outbound\":%s}}%s", tenant,
                      json_bool(dirs & TISO_ALLOW_INBOUND), json_bool(dirs & TISO_ALLOW_OUTBOUND), last ? "" : ",");
    return (size_t)len;
}

/* Room for one entry, with margin: 36-char ID, "false" twice, punctuation. */
#define ENTRY_MAX 128

char *bench_policy_json(const bench_allowlist *a, size_t *len)
{
    char *doc = malloc((a->n + 2) * ENTRY_MAX + 256);
    if (!doc)
        return NULL;
    char id[TISO_TENANT_ID_LEN + 1];
    tiso_tenant_id_format(id, &a->home);
    size_t n = (size_t)sprintf(doc, "{\"properties\":{\"tenantId\":\"%s\",\"isDisabled\":false,\"allowedTenants\":[",
                               id);
    for (size_t i = 0; i < a->n; i++) {
        tiso_tenant_id_format(id, &a->ids[i]);
        n += put_entry(doc + n, id, a->dirs[i], i + 1 == a->n);
    }
    n += (size_t)sprintf(doc + n, "]}}");
    *len = n;
    return doc;
}
