/* Measures (prints, asserts nothing) the Graph client's two SPEC 9 figures
 * against the test server: the cost of a cached domain resolution, and the
 * time to resolve 1,000 domains against a server that answers each in 20 ms.
 * Run it through the runner, which starts the server:
 *
 *     python3 tests/graph/run_graph_tests.py build/tests/graph/graph_measure [N_CACHED]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "tenantiso.h"
#include "tenantiso/graph.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

static int control(const char *base, const char *path)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", base, path);
    CURL *e = curl_easy_init();
    if (e == NULL)
        return -1;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    CURLcode rc = curl_easy_perform(e);
    curl_easy_cleanup(e);
    return rc == CURLE_OK ? 0 : -1;
}

static double batch_seconds(tiso_graph_client *c, const char *prefix, size_t n, size_t *failed)
{
    char(*names)[64] = malloc(n * sizeof *names);
    const char **ptrs = malloc(n * sizeof *ptrs);
    tiso_graph_result *r = malloc(n * sizeof *r);
    if (names == NULL || ptrs == NULL || r == NULL)
        exit(3);
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "ok-%s%zu.example.com", prefix, i);
        ptrs[i] = names[i];
    }
    double t0 = now_s();
    tiso_status st = tiso_graph_resolve_batch(r, c, ptrs, n, NULL);
    double took = now_s() - t0;
    *failed = 0;
    for (size_t i = 0; i < n; i++)
        if (st != TISO_OK || r[i].status != TISO_OK)
            (*failed)++;
    free(names);
    free(ptrs);
    free(r);
    return took;
}

int main(int argc, char **argv)
{
    const char *http = getenv("TISO_TEST_HTTP");
    if (http == NULL) {
        fprintf(stderr, "run me through run_graph_tests.py, which starts the test server\n");
        return 2;
    }
    long n_cached = argc > 1 ? atol(argv[1]) : 2000000;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    tiso_graph_options o;
    tiso_graph_options_init(&o);
    o.login_url = o.graph_url = http;
    tiso_graph_client *c = NULL;
    tiso_error err;
    if (tiso_graph_client_new(&c, &o, &err) != TISO_OK) {
        fprintf(stderr, "client: %s\n", err.message);
        return 3;
    }

    /* 1. Cached look-ups, through the client and through the resolver. */
    tiso_tenant_id id;
    if (tiso_graph_resolve_domain(&id, c, "ok-measure.example.com", &err) != TISO_OK) {
        fprintf(stderr, "resolve: %s\n", err.message);
        return 3;
    }
    double t0 = now_s();
    for (long i = 0; i < n_cached; i++)
        tiso_graph_resolve_domain(&id, c, "ok-measure.example.com", NULL);
    double client_ns = (now_s() - t0) / (double)n_cached * 1e9;
    tiso_resolver *r = NULL;
    tiso_resolver_new_graph(&r, c, NULL);
    t0 = now_s();
    for (long i = 0; i < n_cached; i++)
        tiso_resolver_resolve(&id, r, "ok-measure.example.com", NULL);
    double resolver_ns = (now_s() - t0) / (double)n_cached * 1e9;
    tiso_resolver_free(r);

    /* 2. 1,000 names, the server answering each in 20 ms. */
    if (control(http, "/_config?delay_ms=20") != 0)
        return 3;
    size_t failed_d = 0, failed_g = 0;
    double disc_s = batch_seconds(c, "md", 1000, &failed_d);
    tiso_graph_options g = o;
    g.tenant_id = "measure-app.example";
    g.client_id = getenv("TISO_TEST_CLIENT_ID");
    g.client_secret = getenv("TISO_TEST_CLIENT_SECRET");
    tiso_graph_client *gc = NULL;
    double graph_s = -1;
    if (tiso_graph_client_new(&gc, &g, &err) == TISO_OK)
        graph_s = batch_seconds(gc, "mg", 1000, &failed_g);
    /* The same 1,000 names one after another would take at least 20 s. */
    size_t failed_s = 0;
    tiso_graph_options s1 = o;
    s1.max_concurrency = 1;
    tiso_graph_client *sc = NULL;
    double serial_s = -1;
    if (tiso_graph_client_new(&sc, &s1, &err) == TISO_OK)
        serial_s = batch_seconds(sc, "ms", 50, &failed_s);
    control(http, "/_config?delay_ms=0");

    printf("Graph client figures (SPEC 9)                          measured     target\n");
    printf("cached domain resolution, tiso_graph_resolve_domain    %8.1f ns   < 1000 ns\n", client_ns);
    printf("cached domain resolution, tiso_resolver_resolve        %8.1f ns   < 1000 ns\n", resolver_ns);
    printf("1,000 domains, 20 ms server, OpenID discovery (batch)  %8.3f s    < 3 s   (%zu failed)\n", disc_s,
           failed_d);
    printf("1,000 domains, 20 ms server, Graph + token (batch)     %8.3f s    < 3 s   (%zu failed)\n", graph_s,
           failed_g);
    printf("for scale: 50 domains one at a time (concurrency 1)    %8.3f s    (%zu failed)\n", serial_s, failed_s);
    tiso_graph_client_free(sc);
    tiso_graph_client_free(gc);
    tiso_graph_client_free(c);
    curl_global_cleanup();
    return failed_d || failed_g || failed_s ? 1 : 0;
}
