/* A build without the Graph client (TENANTISO_WITH_GRAPH=OFF): every
 * function of graph.h and live.h that needs the network exists and answers
 * TISO_E_UNSUPPORTED, naming the build option, and clears the result it
 * would have filled; the getters answer "nothing" (graph.h, live.h). */
#include <string.h>

#include "test_util.h"

#define FILLED 0xA5
#define GRAPH "Microsoft Graph client"
#define LIVE "live-service client"

/* The status and the error of a refused call. */
static void assert_off(tiso_status st, const tiso_error *err, const char *client)
{
    assert_int_equal(st, TISO_E_UNSUPPORTED);
    assert_int_equal(err->status, TISO_E_UNSUPPORTED);
    assert_non_null(strstr(err->message, client));
    assert_non_null(strstr(err->message, "TENANTISO_WITH_GRAPH=OFF"));
}

static void assert_zero(const void *p, size_t size)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < size; i++)
        assert_int_equal(b[i], 0);
}

/* Fills `size` bytes at `out` so that a cleared result shows. */
static void *filled(void *out, size_t size)
{
    return memset(out, FILLED, size);
}

static void graph_api_refuses(void **state)
{
    (void)state;
    tiso_error err;
    tiso_tenant_id contoso = tt_id(CONTOSO), id;
    assert_off(tiso_graph_resolve_domain(filled(&id, sizeof id), NULL, "contoso.com", &err), &err, GRAPH);
    assert_zero(&id, sizeof id);
    tiso_graph_tenant_info info;
    assert_off(tiso_graph_tenant_info_by_id(filled(&info, sizeof info), NULL, &contoso, &err), &err, GRAPH);
    assert_zero(&info, sizeof info);
    assert_off(tiso_graph_tenant_info_by_domain(filled(&info, sizeof info), NULL, "contoso.com", &err), &err, GRAPH);
    assert_zero(&info, sizeof info);

    const char *names[2] = {"contoso.com", CONTOSO};
    tiso_graph_result results[2];
    assert_off(tiso_graph_resolve_batch(filled(results, sizeof results), NULL, names, 2, &err), &err, GRAPH);
    for (size_t i = 0; i < 2; i++) {
        assert_off(results[i].status, &results[i].error, GRAPH);
        assert_zero(&results[i].tenant_id, sizeof results[i].tenant_id);
    }

    /* No client can be made, so there is nothing to free or ask. */
    tiso_graph_options opts;
    tiso_graph_options_init(&opts);
    tiso_graph_client *client = NULL;
    assert_off(tiso_graph_client_new(&client, &opts, &err), &err, GRAPH);
    tiso_resolver *r = NULL;
    assert_off(tiso_resolver_new_graph(&r, client, &err), &err, GRAPH);
    assert_off(tiso_resolver_new_graph_options(&r, &opts, &err), &err, GRAPH);
    assert_null(client);
    assert_null(r);
    assert_int_equal(tiso_graph_client_uses_graph(NULL), 0);
    assert_int_equal(tiso_graph_cache_size(NULL), 0);
    tiso_graph_cache_clear(NULL);
    tiso_graph_client_free(NULL);
    assert_int_equal(tiso_resolver_new_static(&r, &err), TISO_OK);
    assert_null(tiso_resolver_graph_client(r));
    tiso_resolver_free(r);
}

static void live_api_refuses(void **state)
{
    (void)state;
    tiso_error err;
    tiso_tenant_id contoso = tt_id(CONTOSO);
    tiso_live_policy policy;
    assert_off(tiso_live_policy_get(filled(&policy, sizeof policy), NULL, &contoso, &err), &err, LIVE);
    assert_zero(&policy, sizeof policy);
    tiso_policy *p = tt_load("{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": []}", NULL);
    assert_off(tiso_live_policy_push(filled(&policy, sizeof policy), NULL, &contoso, p, NULL, NULL, NULL, &err), &err,
               LIVE);
    assert_zero(&policy, sizeof policy);
    tiso_policy_free(p);

    tiso_live_page page;
    assert_off(tiso_live_report_create(filled(&page, sizeof page), NULL, &err), &err, LIVE);
    assert_zero(&page, sizeof page);
    assert_off(tiso_live_report_get(filled(&page, sizeof page), NULL, "r1", &err), &err, LIVE);
    assert_zero(&page, sizeof page);
    assert_off(tiso_live_report_wait(filled(&page, sizeof page), NULL, "r1", NULL, NULL, &err), &err, LIVE);
    assert_zero(&page, sizeof page);
    assert_off(tiso_live_report_next(filled(&page, sizeof page), NULL, "https://api.powerplatform.com/x", &err), &err,
               LIVE);
    assert_zero(&page, sizeof page);

    tiso_live_options opts;
    tiso_live_options_init(&opts);
    tiso_live_client *client = NULL;
    assert_off(tiso_live_client_new(&client, &opts, &err), &err, LIVE);
    assert_null(client);
    tiso_live_client_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(graph_api_refuses),
        cmocka_unit_test(live_api_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
