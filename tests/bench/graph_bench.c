/* Domain resolution figures, against the slow local server (slow_server.h):
 *   - a cached tiso_graph_resolve_domain: what a gateway pays per request
 *     given by domain once the name is known;
 *   - tiso_graph_resolve_batch over cfg->graph_names new domains, each
 *     answered after cfg->graph_delay_ms: concurrency, not the network,
 *     decides this one.
 * The client has no credentials, so it uses OpenID discovery, which the
 * server speaks. Every answer is checked against the server's tenant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tenantiso/graph.h>

#include "bench.h"
#include "clock.h"
#include "slow_server.h"

#define CACHED_CALLS 65536
#define NAME_MAX_LEN 64

static tiso_graph_client *client_for(bench_server *srv)
{
    tiso_graph_options opts;
    tiso_graph_options_init(&opts);
    opts.login_url = bench_server_url(srv);
    opts.graph_url = bench_server_url(srv);
    tiso_graph_client *c = NULL;
    tiso_error err;
    if (tiso_graph_client_new(&c, &opts, &err) != TISO_OK)
        fprintf(stderr, "tenantiso_bench: Graph client: %s\n", err.message);
    return c;
}

static int same_tenant(const tiso_tenant_id *got, const char *domain)
{
    tiso_tenant_id want = bench_server_tenant(domain, strlen(domain));
    return memcmp(got->bytes, want.bytes, 16) == 0;
}

/* Median ns of one cached look-up of a name resolved once beforehand. */
static double time_cached(tiso_graph_client *c, int reps)
{
    static const char domain[] = "contoso.example.com";
    tiso_tenant_id id;
    tiso_error err;
    if (tiso_graph_resolve_domain(&id, c, domain, &err) != TISO_OK || !same_tenant(&id, domain)) {
        fprintf(stderr, "tenantiso_bench: resolving %s: %s\n", domain, err.message);
        return BENCH_NAN;
    }
    double *ns = malloc((size_t)reps * sizeof *ns);
    if (!ns)
        return BENCH_NAN;
    unsigned bad = 0;
    for (int k = 0; k < reps; k++) {
        double t0 = bench_now_ns();
        for (int i = 0; i < CACHED_CALLS; i++)
            bad |= (unsigned)tiso_graph_resolve_domain(&id, c, domain, NULL);
        ns[k] = (bench_now_ns() - t0) / CACHED_CALLS;
    }
    double m = bad ? BENCH_NAN : bench_median(ns, (size_t)reps);
    free(ns);
    return m;
}

/* `count` domain names, new for pass `pass`, so none is in the cache. */
static char *make_names(const char **names, size_t count, int pass)
{
    char *text = malloc(count * NAME_MAX_LEN);
    for (size_t i = 0; text && i < count; i++) {
        names[i] = text + i * NAME_MAX_LEN;
        snprintf(text + i * NAME_MAX_LEN, NAME_MAX_LEN, "tenant-%d-%zu.example.com", pass, i);
    }
    return text;
}

/* Resolves `count` new names in one batch; its time in ms, NaN on any miss. */
static double time_batch(tiso_graph_client *c, size_t count, int pass)
{
    const char **names = malloc(count * sizeof *names);
    tiso_graph_result *res = malloc(count * sizeof *res);
    char *text = names ? make_names(names, count, pass) : NULL;
    double ms = BENCH_NAN;
    if (text && res) {
        double t0 = bench_now_ns();
        tiso_status s = tiso_graph_resolve_batch(res, c, names, count, NULL);
        ms = (bench_now_ns() - t0) / 1e6;
        for (size_t i = 0; i < count && s == TISO_OK; i++)
            if (res[i].status != TISO_OK || !same_tenant(&res[i].tenant_id, names[i]))
                s = res[i].status != TISO_OK ? res[i].status : TISO_E_BAD_RESPONSE;
        if (s != TISO_OK) {
            fprintf(stderr, "tenantiso_bench: batch resolution: %s\n", tiso_status_name(s));
            ms = BENCH_NAN;
        }
    }
    free(text);
    free(res);
    free(names);
    return ms;
}

static void measure(const bench_config *cfg, bench_server *srv, tiso_graph_client *c, bench_figures *f)
{
    f->graph_cached_ns = time_cached(c, cfg->reps);
    int reps = cfg->load_reps < 3 ? cfg->load_reps : 3; /* each pass takes ~1 s */
    double ms[3];
    size_t before = bench_server_requests(srv);
    for (int k = 0; k < reps; k++)
        ms[k] = time_batch(c, cfg->graph_names, k);
    f->graph_batch_ms = bench_median(ms, (size_t)reps);
    size_t asked = bench_server_requests(srv) - before;
    if (asked != (size_t)reps * cfg->graph_names)
        fprintf(stderr, "tenantiso_bench: the server answered %zu requests for %zu names\n", asked,
                (size_t)reps * cfg->graph_names);
}

int bench_graph(const bench_config *cfg, bench_figures *f)
{
    if (!(tiso_features() & TISO_FEATURE_GRAPH)) {
        f->graph_note = "library built without the Graph client";
        return 0;
    }
    bench_server *srv = bench_server_start(cfg->graph_delay_ms);
    tiso_graph_client *c = srv ? client_for(srv) : NULL;
    if (c)
        measure(cfg, srv, c, f);
    tiso_graph_client_free(c);
    bench_server_stop(srv);
    return isnan(f->graph_cached_ns) || isnan(f->graph_batch_ms) ? -1 : 0;
}
