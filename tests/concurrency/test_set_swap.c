/* Stress: threads evaluate a policy set while another thread swaps the home
 * tenant's policy between two versions thousands of times. Every decision
 * must be exactly what one of the two versions answers for that request;
 * anything else is a torn read or a use after free (which ASan and TSan,
 * running this same test, would also report).
 *
 * Usage: test_set_swap [readers] [evaluations-per-reader] [minimum-swaps] */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tenantiso.h>

#define HOME "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
#define NPEERS 64

static tiso_policy_set *set;
static tiso_policy *version[2];
static tiso_tenant_id home, peers[NPEERS];
static atomic_int readers_done;
static atomic_long mismatches, evaluations;

static tiso_tenant_id peer_id(unsigned i)
{
    char text[40];
    snprintf(text, sizeof text, "%08x-1111-4111-8111-%012x", 0x10000000u + i, i + 1);
    tiso_tenant_id id;
    if (tiso_tenant_id_parse(&id, text, strlen(text)) != TISO_OK)
        abort();
    return id;
}

/* Version v allows peers whose index has parity v, in both directions. */
static tiso_policy *make_version(unsigned v)
{
    tiso_policy_builder *b = NULL;
    tiso_policy *p = NULL;
    if (tiso_policy_builder_new(&b, NULL) != TISO_OK || tiso_policy_builder_set_home(b, &home) != TISO_OK)
        abort();
    for (unsigned i = v; i < NPEERS; i += 2)
        if (tiso_policy_builder_add(b, &peers[i], TISO_ALLOW_INBOUND | TISO_ALLOW_OUTBOUND, NULL, NULL, NULL) != TISO_OK)
            abort();
    if (tiso_policy_builder_build(&p, b, NULL) != TISO_OK)
        abort();
    tiso_policy_builder_free(b);
    return p;
}

static int same(const tiso_decision *a, const tiso_decision *b)
{
    return a->verdict == b->verdict && a->reason == b->reason && a->direction == b->direction &&
           a->rule == b->rule && tiso_tenant_id_equal(&a->external_tenant, &b->external_tenant);
}

static void *reader(void *arg)
{
    long n = *(const long *)arg;
    unsigned seed = (unsigned)(uintptr_t)&n;
    for (long i = 0; i < n; i++) {
        unsigned k = (unsigned)rand_r(&seed) % NPEERS;
        int inbound = rand_r(&seed) & 1;
        tiso_request r = {.creator = inbound ? peers[k] : home, .target = inbound ? home : peers[k],
                          .direction = TISO_DIRECTION_AUTO};
        tiso_decision got, want[2];
        if (tiso_policy_set_evaluate_request(&got, set, &r) != TISO_OK ||
            tiso_evaluate_request(&want[0], version[0], &r) != TISO_OK ||
            tiso_evaluate_request(&want[1], version[1], &r) != TISO_OK || !(same(&got, &want[0]) || same(&got, &want[1])))
            atomic_fetch_add(&mismatches, 1);
        atomic_fetch_add_explicit(&evaluations, 1, memory_order_relaxed);
    }
    atomic_fetch_add(&readers_done, 1);
    return NULL;
}

int main(int argc, char **argv)
{
    int readers = argc > 1 ? atoi(argv[1]) : 3;
    long per_reader = argc > 2 ? atol(argv[2]) : 300000;
    long swaps = argc > 3 ? atol(argv[3]) : 3000;
    if (tiso_tenant_id_parse(&home, HOME, strlen(HOME)) != TISO_OK || readers < 1 || readers > 64)
        return 2;
    for (unsigned i = 0; i < NPEERS; i++)
        peers[i] = peer_id(i);
    version[0] = make_version(0);
    version[1] = make_version(1);
    if (tiso_policy_set_new(&set, 0, NULL) != TISO_OK || tiso_policy_set_put(set, version[0], NULL) != TISO_OK)
        return 2;
    pthread_t threads[64];
    for (int i = 0; i < readers; i++)
        pthread_create(&threads[i], NULL, reader, &per_reader);
    /* Swap at least `swaps` times, and for as long as any reader runs. */
    long done = 0;
    for (; done < swaps || atomic_load(&readers_done) < readers; done++)
        if (tiso_policy_set_put(set, version[(done + 1) & 1], NULL) != TISO_OK)
            atomic_fetch_add(&mismatches, 1);
    for (int i = 0; i < readers; i++)
        pthread_join(threads[i], NULL);
    printf("%d readers, %ld evaluations, %ld swaps, %ld mismatches\n", readers, atomic_load(&evaluations), done,
           atomic_load(&mismatches));
    tiso_policy_set_free(set);
    tiso_policy_free(version[0]);
    tiso_policy_free(version[1]);
    return atomic_load(&mismatches) == 0 ? 0 : 1;
}
