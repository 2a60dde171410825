/* Stress: threads decide batches on a policy set while another thread keeps
 * replacing the home tenant's policy with freshly built ones and drops its
 * own reference after each put, so every replaced policy is freed under the
 * readers (once the set's epoch lets it). Run by every preset and alone
 * under ThreadSanitizer and AddressSanitizer.
 *
 * The home's policy alternates between two versions: one that allows every
 * tenant of the batch outbound, one that allows none. A batch must see one
 * version of the set (batch.h): all its decisions allow, with the same
 * policy ID, or all deny, blocked by the home. A batch that mixes them, an
 * error status, or a decision from neither version is a failure.
 *
 * Usage: test_batch_swap [readers] [batches-per-reader] [minimum-swaps] */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tenantiso.h>

#define HOME "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
#define NTARGETS 64
#define BATCH 256

static tiso_tenant_id home, targets[NTARGETS];
static char policy_open[NTARGETS * 96 + 256];
static const char policy_closed[] = "{\"tenantId\": \"" HOME "\", \"isDisabled\": false, \"allowedTenants\": []}";
static atomic_long swaps;
static atomic_int stop, failures;

static void fail(const char *what, long batch, size_t i)
{
    if (atomic_fetch_add(&failures, 1) < 10)
        fprintf(stderr, "test_batch_swap: batch %ld, request %zu: %s\n", batch, i, what);
}

static void make_tenants(void)
{
    tiso_tenant_id_parse(&home, HOME, strlen(HOME));
    size_t n = (size_t)snprintf(policy_open, sizeof policy_open,
                                "{\"tenantId\": \"%s\", \"isDisabled\": false, \"allowedTenants\": [", HOME);
    for (int i = 0; i < NTARGETS; i++) {
        char text[40];
        snprintf(text, sizeof text, "5a000000-0000-4000-8000-%012d", i + 1);
        tiso_tenant_id_parse(&targets[i], text, strlen(text));
        n += (size_t)snprintf(policy_open + n, sizeof policy_open - n,
                              "%s{\"tenantId\": \"%s\", \"direction\": {\"outbound\": true}}", i ? "," : "", text);
    }
    snprintf(policy_open + n, sizeof policy_open - n, "]}");
}

static int put(tiso_policy_set *set, const char *doc)
{
    tiso_policy *p = NULL;
    tiso_error err;
    if (tiso_policy_load_json(&p, doc, strlen(doc), NULL, &err) != TISO_OK ||
        tiso_policy_set_put(set, p, &err) != TISO_OK) {
        fprintf(stderr, "test_batch_swap: %s\n", err.message);
        tiso_policy_free(p);
        return -1;
    }
    tiso_policy_free(p); /* the set holds the only reference now */
    return 0;
}

typedef struct reader_arg {
    tiso_policy_set *set;
    long batches;
} reader_arg;

/* Checks that one batch saw one version of the set. */
static void check_batch(const tiso_set_decision *out, const tiso_status *st, long b)
{
    int allowed = out[0].decision.verdict == TISO_ALLOW;
    for (size_t i = 0; i < BATCH; i++) {
        const tiso_decision *d = &out[i].decision;
        if (st[i] != TISO_OK)
            fail(tiso_status_name(st[i]), b, i);
        else if ((d->verdict == TISO_ALLOW) != allowed || d->policy_id != out[0].decision.policy_id)
            fail("the batch mixes two versions of the set", b, i);
        else if (allowed && d->reason != TISO_REASON_ALLOWLISTED)
            fail("an allow that is not the open version's", b, i);
        else if (!allowed && (d->reason != TISO_REASON_NOT_ALLOWLISTED || !tiso_tenant_id_equal(&d->blocked_by, &home)))
            fail("a deny that is not the closed version's", b, i);
    }
}

static void *reader(void *p)
{
    reader_arg *a = p;
    static _Thread_local tiso_request req[BATCH];
    static _Thread_local tiso_set_decision out[BATCH];
    static _Thread_local tiso_status st[BATCH];
    for (size_t i = 0; i < BATCH; i++) {
        memset(&req[i], 0, sizeof req[i]);
        req[i].creator = home;
        req[i].target = targets[i % NTARGETS];
        req[i].direction = TISO_DIRECTION_AUTO;
    }
    for (long b = 0; b < a->batches && atomic_load(&failures) == 0; b++) {
        if (tiso_policy_set_decide_batch(out, st, a->set, req, BATCH) != TISO_OK)
            fail("the batch call failed", b, 0);
        check_batch(out, st, b);
    }
    return NULL;
}

static void *swapper(void *p)
{
    tiso_policy_set *set = p;
    for (long n = 0; !atomic_load(&stop); n++) {
        if (put(set, n % 2 ? policy_open : policy_closed) != 0) {
            atomic_fetch_add(&failures, 1);
            break;
        }
        atomic_fetch_add(&swaps, 1);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int readers = argc > 1 ? atoi(argv[1]) : 2;
    long batches = argc > 2 ? atol(argv[2]) : 2000;
    long min_swaps = argc > 3 ? atol(argv[3]) : 200;
    if (readers < 1 || readers > 16 || batches < 1 || min_swaps < 0) {
        fprintf(stderr, "usage: test_batch_swap [readers 1-16] [batches] [minimum-swaps]\n");
        return 2;
    }
    make_tenants();
    tiso_policy_set *set = NULL;
    if (tiso_policy_set_new(&set, 0, NULL) != TISO_OK || put(set, policy_open) != 0)
        return 1;
    pthread_t w, r[16];
    reader_arg arg = {set, batches};
    pthread_create(&w, NULL, swapper, set);
    for (int i = 0; i < readers; i++)
        pthread_create(&r[i], NULL, reader, &arg);
    for (int i = 0; i < readers; i++)
        pthread_join(r[i], NULL);
    /* The swaps must have overlapped the batches; keep swapping until enough. */
    while (atomic_load(&swaps) < min_swaps && atomic_load(&failures) == 0)
        arg.batches = 1, reader(&arg);
    atomic_store(&stop, 1);
    pthread_join(w, NULL);
    tiso_policy_set_free(set);
    long s = atomic_load(&swaps);
    int f = atomic_load(&failures);
    printf("test_batch_swap: %d readers x %ld batches of %d, %ld swaps, %d failures\n", readers, batches, BATCH, s,
           f);
    return f == 0 && s >= min_swaps ? 0 : 1;
}
