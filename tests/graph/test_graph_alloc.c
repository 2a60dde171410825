/* Allocation-failure injection over the Graph client's main paths, against
 * the test server (run through run_graph_tests.py): client creation, a
 * client-secret token, a Graph look-up, tenant information, a batch, the
 * resolver adapter. For every N, the Nth allocation and all after it fail;
 * each call must then return TISO_E_NOMEM (or succeed, where a failed
 * allocation only skips caching), never crash, and leak nothing (ASan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "tenantiso/graph.h"

static const char *HTTP, *CLIENT_ID, *SECRET;

static void check(tiso_status st, const char *what, size_t n)
{
    if (st != TISO_OK && st != TISO_E_NOMEM)
        fail_msg("allocation %zu failing: %s returned %s", n, what, tiso_status_name(st));
}

/* One pass over the paths. Returns 1 if everything succeeded. */
static int one_pass(size_t n)
{
    tiso_graph_options o;
    tiso_graph_options_init(&o);
    o.login_url = o.graph_url = HTTP;
    o.retry_base_ms = 1;
    o.tenant_id = "alloc-app.example";
    o.client_id = CLIENT_ID;
    o.client_secret = SECRET;
    int all_ok = 1;
    tiso_graph_client *c = NULL;
    tiso_error err;
    tiso_status st = tiso_graph_client_new(&c, &o, &err);
    check(st, "tiso_graph_client_new", n);
    if (st != TISO_OK)
        return 0;

    tiso_tenant_id id;
    st = tiso_graph_resolve_domain(&id, c, "ok-alloc1.example.com", &err);
    check(st, "tiso_graph_resolve_domain", n);
    all_ok &= st == TISO_OK;
    st = tiso_graph_resolve_domain(&id, c, "notfound-alloc.example.com", &err);
    if (st != TISO_E_NOT_FOUND)
        check(st, "tiso_graph_resolve_domain (unknown)", n);
    all_ok &= st == TISO_E_NOT_FOUND;

    tiso_graph_tenant_info info;
    st = tiso_graph_tenant_info_by_domain(&info, c, "ok-alloc2.example.com", &err);
    check(st, "tiso_graph_tenant_info_by_domain", n);
    all_ok &= st == TISO_OK;
    if (st == TISO_OK) {
        st = tiso_graph_tenant_info_by_id(&info, c, &info.tenant_id, &err);
        check(st, "tiso_graph_tenant_info_by_id", n);
        all_ok &= st == TISO_OK;
    }

    const char *names[] = {"ok-alloc3.example.com", "ok-alloc4.example.com", "ok-alloc3.example.com",
                           "11111111-2222-3333-4444-555555555555", "r503-alloc.example.com"};
    tiso_graph_result r[5];
    st = tiso_graph_resolve_batch(r, c, names, 5, &err);
    check(st, "tiso_graph_resolve_batch", n);
    all_ok &= st == TISO_OK;
    for (int i = 0; i < 5; i++) {
        check(r[i].status, names[i], n);
        all_ok &= r[i].status == TISO_OK;
    }

    tiso_resolver *res = NULL;
    st = tiso_resolver_new_graph(&res, c, &err);
    check(st, "tiso_resolver_new_graph", n);
    all_ok &= st == TISO_OK;
    if (st == TISO_OK) {
        st = tiso_resolver_resolve(&id, res, "ok-alloc5.example.com", &err);
        check(st, "tiso_resolver_resolve", n);
        all_ok &= st == TISO_OK;
    }
    tiso_graph_client_free(c);
    tiso_resolver_free(res);
    return all_ok;
}

static void every_allocation_fails_in_turn(void **state)
{
    (void)state;
    size_t passes = 0;
    for (size_t n = 1; n < 100000; n++) {
        tiso__test_fail_alloc_after(n);
        int ok = one_pass(n);
        size_t made = tiso__test_fail_alloc_after(0);
        passes++;
        if (ok && made < n)
            break; /* nothing failed: every path is covered */
    }
    print_message("    %zu passes, each failing one more allocation\n", passes);
    assert_true(passes > 20);
}

int main(void)
{
    HTTP = getenv("TISO_TEST_HTTP");
    CLIENT_ID = getenv("TISO_TEST_CLIENT_ID");
    SECRET = getenv("TISO_TEST_CLIENT_SECRET");
    if (!HTTP || !CLIENT_ID || !SECRET) {
        fprintf(stderr, "run me through run_graph_tests.py, which starts the test server\n");
        return 2;
    }
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_allocation_fails_in_turn)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
