/* Unit tests of the Graph client's domain cache (src/graph/graph_cache.c)
 * through its internal interface: found and unknown names, their own TTLs,
 * the bound (expired rows go first, else everything), updates in place, a
 * table grown well past its first size, and readers and writers on several
 * threads at once (run under TSan by the tsan preset). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "graph/graph_internal.h"
#include "internal.h"

/* A tenant ID made from `n` (never nil). */
static tiso_tenant_id tenant(unsigned n)
{
    tiso_tenant_id t = {{0}};
    memcpy(t.bytes, &n, sizeof n);
    t.bytes[15] = 0x5a;
    return t;
}

static void make(tiso__cache *c, size_t max_entries, uint64_t ttl_s, uint64_t negative_ttl_s, bool disabled)
{
    assert_int_equal(tiso__cache_init(c, max_entries, ttl_s, negative_ttl_s, disabled), TISO_OK);
}

static void put(tiso__cache *c, const char *name, const tiso_tenant_id *t)
{
    tiso__cache_put(c, name, strlen(name), t);
}

static tiso__cache_hit get(tiso__cache *c, const char *name, tiso_tenant_id *out)
{
    return tiso__cache_get(c, name, strlen(name), out);
}

static void found_and_unknown_names(void **state)
{
    (void)state;
    tiso__cache c;
    make(&c, 100, 600, 600, false);
    tiso_tenant_id x = tenant(7), out = {{0}};
    put(&c, "contoso.com", &x);
    put(&c, "unknown.example", NULL);
    assert_int_equal(get(&c, "contoso.com", &out), TISO__CACHE_FOUND);
    assert_memory_equal(out.bytes, x.bytes, 16);
    assert_int_equal(get(&c, "unknown.example", &out), TISO__CACHE_NOT_FOUND);
    assert_int_equal(get(&c, "contoso.co", &out), TISO__CACHE_MISS); /* a prefix is another name */
    assert_int_equal(get(&c, "fabrikam.com", &out), TISO__CACHE_MISS);
    assert_int_equal(tiso__cache_size(&c), 2);
    /* A put of a known name updates it in place. */
    put(&c, "contoso.com", NULL);
    assert_int_equal(get(&c, "contoso.com", &out), TISO__CACHE_NOT_FOUND);
    assert_int_equal(tiso__cache_size(&c), 2);
    tiso__cache_destroy(&c);
}

static void each_kind_has_its_ttl(void **state)
{
    (void)state;
    tiso__cache c;
    tiso_tenant_id x = tenant(1), out;
    make(&c, 100, 0, 600, false); /* found names expire at once */
    put(&c, "found.example", &x);
    put(&c, "unknown.example", NULL);
    assert_int_equal(get(&c, "found.example", &out), TISO__CACHE_MISS);
    assert_int_equal(get(&c, "unknown.example", &out), TISO__CACHE_NOT_FOUND);
    assert_int_equal(tiso__cache_size(&c), 2); /* expired rows count until swept */
    tiso__cache_destroy(&c);
    make(&c, 100, 600, 0, false); /* and the other way round */
    put(&c, "found.example", &x);
    put(&c, "unknown.example", NULL);
    assert_int_equal(get(&c, "found.example", &out), TISO__CACHE_FOUND);
    assert_int_equal(get(&c, "unknown.example", &out), TISO__CACHE_MISS);
    tiso__cache_destroy(&c);
}

static void full_sweeps_expired_rows_first(void **state)
{
    (void)state;
    tiso__cache c;
    tiso_tenant_id x = tenant(2), out;
    make(&c, 3, 0, 600, false);
    put(&c, "kept.example", NULL); /* lives 600 s */
    put(&c, "gone1.example", &x);  /* expired at once */
    put(&c, "gone2.example", &x);
    assert_int_equal(tiso__cache_size(&c), 3);
    put(&c, "new.example", NULL); /* full: the two expired rows go, the live one stays */
    assert_int_equal(tiso__cache_size(&c), 2);
    assert_int_equal(get(&c, "kept.example", &out), TISO__CACHE_NOT_FOUND);
    assert_int_equal(get(&c, "new.example", &out), TISO__CACHE_NOT_FOUND);
    assert_int_equal(get(&c, "gone1.example", &out), TISO__CACHE_MISS);
    tiso__cache_destroy(&c);
}

static void full_without_expired_rows_empties(void **state)
{
    (void)state;
    tiso__cache c;
    tiso_tenant_id out;
    make(&c, 3, 600, 600, false);
    char name[32];
    for (unsigned i = 0; i < 3; i++) {
        tiso_tenant_id t = tenant(i + 1);
        snprintf(name, sizeof name, "n%u.example", i);
        put(&c, name, &t);
    }
    tiso_tenant_id t = tenant(99);
    put(&c, "last.example", &t);
    assert_int_equal(tiso__cache_size(&c), 1);
    assert_int_equal(get(&c, "last.example", &out), TISO__CACHE_FOUND);
    assert_memory_equal(out.bytes, t.bytes, 16);
    assert_int_equal(get(&c, "n0.example", &out), TISO__CACHE_MISS);
    tiso__cache_destroy(&c);
}

static void grows_and_clears(void **state)
{
    (void)state;
    tiso__cache c;
    tiso_tenant_id out;
    char name[32];
    make(&c, 100000, 600, 600, false);
    for (unsigned i = 0; i < 5000; i++) {
        tiso_tenant_id t = tenant(i + 1);
        snprintf(name, sizeof name, "host%u.example", i);
        put(&c, name, i % 3 ? &t : NULL);
    }
    assert_int_equal(tiso__cache_size(&c), 5000);
    for (unsigned i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "host%u.example", i);
        tiso_tenant_id t = tenant(i + 1);
        assert_int_equal(get(&c, name, &out), i % 3 ? TISO__CACHE_FOUND : TISO__CACHE_NOT_FOUND);
        if (i % 3)
            assert_memory_equal(out.bytes, t.bytes, 16);
    }
    tiso__cache_clear(&c);
    assert_int_equal(tiso__cache_size(&c), 0);
    assert_int_equal(get(&c, "host1.example", &out), TISO__CACHE_MISS);
    put(&c, "host1.example", NULL); /* usable after a clear */
    assert_int_equal(get(&c, "host1.example", &out), TISO__CACHE_NOT_FOUND);
    tiso__cache_destroy(&c);
}

static void disabled_or_zero_sized_keeps_nothing(void **state)
{
    (void)state;
    tiso__cache c;
    tiso_tenant_id x = tenant(3), out;
    make(&c, 100, 600, 600, true);
    put(&c, "a.example", &x);
    assert_int_equal(get(&c, "a.example", &out), TISO__CACHE_MISS);
    assert_int_equal(tiso__cache_size(&c), 0);
    tiso__cache_destroy(&c);
    make(&c, 0, 600, 600, false);
    put(&c, "a.example", &x);
    assert_int_equal(tiso__cache_size(&c), 0);
    tiso__cache_destroy(&c);
}

/* Threads: half put, half get, over more names than the cache holds, so
 * sweeps and emptying run while others read. A hit must be the name's own. */
typedef struct worker {
    tiso__cache *c;
    unsigned id, wrong; /* odd ids put, even ones get; gets that saw another name's answer */
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    char name[32];
    for (unsigned i = 0; i < 20000; i++) {
        unsigned n = (i * 7919u + w->id * 104729u) % 300u;
        snprintf(name, sizeof name, "t%u.example", n);
        tiso_tenant_id want = tenant(n + 1), out = {{0}};
        if (w->id % 2) {
            put(w->c, name, n % 5 ? &want : NULL);
        } else {
            tiso__cache_hit h = get(w->c, name, &out);
            w->wrong += (h == TISO__CACHE_FOUND && memcmp(out.bytes, want.bytes, 16) != 0) ||
                        (h == TISO__CACHE_FOUND && n % 5 == 0) || (h == TISO__CACHE_NOT_FOUND && n % 5 != 0);
        }
    }
    return NULL;
}

static void threads_read_while_others_write(void **state)
{
    (void)state;
    tiso__cache c;
    make(&c, 64, 600, 600, false);
    pthread_t th[4];
    worker w[4];
    for (unsigned i = 0; i < 4; i++) {
        w[i] = (worker){&c, i, 0};
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (unsigned i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].wrong, 0);
    }
    assert_true(tiso__cache_size(&c) <= 64);
    tiso__cache_destroy(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(found_and_unknown_names),
        cmocka_unit_test(each_kind_has_its_ttl),
        cmocka_unit_test(full_sweeps_expired_rows_first),
        cmocka_unit_test(full_without_expired_rows_empties),
        cmocka_unit_test(grows_and_clears),
        cmocka_unit_test(disabled_or_zero_sized_keeps_nothing),
        cmocka_unit_test(threads_read_while_others_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
