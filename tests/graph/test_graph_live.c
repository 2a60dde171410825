/* The Graph client against a real, misbehaving HTTP(S) server on 127.0.0.1
 * (graph_server.py, started by run_graph_tests.py, which passes its
 * addresses in TISO_TEST_* variables). Every case checks the status, the
 * message, a bound on the time taken and, through the server's /_stats, how
 * many requests were made. Each case uses names of its own: the server keeps
 * its counters per name. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "tenantiso.h"
#include "tenantiso/graph.h"

static const char *HTTP, *HTTPS, *HTTPS_WRONG, *REFUSED, *CA_FILE, *CLIENT_ID, *SECRET, *STATIC_TOKEN;

/* ---- helpers ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
    char **buf = ud;
    size_t old = *buf ? strlen(*buf) : 0;
    char *b = realloc(*buf, old + size * n + 1);
    if (b == NULL)
        return 0;
    memcpy(b + old, p, size * n);
    b[old + size * n] = '\0';
    *buf = b;
    return size * n;
}

/* GET {HTTP}{path} at the test server's control side; the body, malloc'd. */
static char *control(const char *path)
{
    char url[512];
    char *body = NULL;
    snprintf(url, sizeof url, "%s%s", HTTP, path);
    CURL *e = curl_easy_init();
    assert_non_null(e);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
    CURLcode rc = curl_easy_perform(e);
    curl_easy_cleanup(e);
    assert_int_equal(rc, CURLE_OK);
    assert_non_null(body);
    return body;
}

static long stat_of(const char *group, const char *key)
{
    char *body = control("/_stats");
    cJSON *root = cJSON_Parse(body);
    free(body);
    assert_non_null(root);
    const cJSON *g = group ? cJSON_GetObjectItemCaseSensitive(root, group) : root;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(g, key);
    long n = cJSON_IsNumber(v) ? (long)v->valuedouble : 0;
    cJSON_Delete(root);
    return n;
}

static long kind_count(const char *kind)
{
    return stat_of("kinds", kind);
}
static long domain_count(const char *domain)
{
    return stat_of("domains", domain);
}
static long total_requests(void)
{
    return stat_of(NULL, "total");
}

static void expected_tenant(const char *domain, tiso_tenant_id *out)
{
    char path[300];
    snprintf(path, sizeof path, "/_tenant/%s", domain);
    char *body = control(path);
    assert_int_equal(tiso_tenant_id_parse(out, body, strlen(body)), TISO_OK);
    free(body);
}

static void set_delay(int ms)
{
    char path[64];
    snprintf(path, sizeof path, "/_config?delay_ms=%d", ms);
    free(control(path));
}

static void base_options(tiso_graph_options *o)
{
    tiso_graph_options_init(o);
    o->login_url = HTTP;
    o->graph_url = HTTP;
    o->connect_timeout_ms = 5000;
    o->timeout_ms = 5000;
    o->retry_base_ms = 10;
    o->retry_max_ms = 3000;
}

static void with_secret(tiso_graph_options *o, const char *app_tenant)
{
    o->tenant_id = app_tenant ? app_tenant : "contoso-app.example";
    o->client_id = CLIENT_ID;
    o->client_secret = SECRET;
}

static tiso_graph_client *new_client(const tiso_graph_options *o)
{
    tiso_graph_client *c = NULL;
    tiso_error err;
    tiso_status st = tiso_graph_client_new(&c, o, &err);
    if (st != TISO_OK)
        fail_msg("tiso_graph_client_new: %s: %s", tiso_status_name(st), err.message);
    return c;
}

/* The message must say what happened, and never carry a secret or a token. */
static void check_message(const tiso_error *err, const char *part)
{
    if (part != NULL && strstr(err->message, part) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err->message, part);
    if (strstr(err->message, SECRET) != NULL || strstr(err->message, "s3cret") != NULL ||
        strstr(err->message, STATIC_TOKEN) != NULL || strstr(err->message, "tok-") != NULL)
        fail_msg("message \"%s\" leaks a secret or a token", err->message);
}

/* Resolves `domain` and checks the outcome. */
static double expect(tiso_graph_client *c, const char *domain, tiso_status want, const char *part, double min_s,
                     double max_s)
{
    tiso_tenant_id id;
    tiso_error err;
    tiso_error_clear(&err);
    double t0 = now_s();
    tiso_status st = tiso_graph_resolve_domain(&id, c, domain, &err);
    double took = now_s() - t0;
    if (getenv("TISO_TEST_VERBOSE") != NULL)
        print_message("    %-28s %-14s %6.3f s  %s\n", domain, tiso_status_name(st), took, err.message);
    if (st != want)
        fail_msg("%s: got %s (%s), want %s", domain, tiso_status_name(st), err.message, tiso_status_name(want));
    if (took < min_s || took > max_s)
        fail_msg("%s: took %.3f s, want %.3f..%.3f s", domain, took, min_s, max_s);
    if (want == TISO_OK) {
        tiso_tenant_id exp;
        char norm[TISO_DOMAIN_MAX + 1];
        assert_int_equal(tiso_domain_normalize(norm, domain, strlen(domain), NULL), TISO_OK);
        expected_tenant(norm, &exp);
        assert_true(tiso_tenant_id_equal(&id, &exp));
    } else {
        assert_int_equal(err.status, want);
        assert_true(tiso_tenant_id_is_nil(&id));
        check_message(&err, part);
    }
    return took;
}

/* ---- success, caching ---- */

static void discovery_success_and_cache(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    assert_int_equal(tiso_graph_client_uses_graph(c), 0); /* no credentials: discovery */
    long before = kind_count("oidc");
    expect(c, "ok-disc.example.com", TISO_OK, NULL, 0, 5);
    expect(c, "OK-Disc.Example.COM.", TISO_OK, NULL, 0, 1); /* normalized: same name, cached */
    for (int i = 0; i < 100; i++)
        expect(c, "ok-disc.example.com", TISO_OK, NULL, 0, 1);
    assert_int_equal(kind_count("oidc") - before, 1);
    assert_int_equal(domain_count("ok-disc.example.com"), 1);
    assert_int_equal(tiso_graph_cache_size(c), 1);
    tiso_graph_cache_clear(c);
    assert_int_equal(tiso_graph_cache_size(c), 0);
    expect(c, "ok-disc.example.com", TISO_OK, NULL, 0, 5);
    assert_int_equal(domain_count("ok-disc.example.com"), 2);
    tiso_graph_client_free(c);
}

static void graph_success_with_client_secret(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    with_secret(&o, "graph-app.example");
    tiso_graph_client *c = new_client(&o);
    assert_int_equal(tiso_graph_client_uses_graph(c), 1);
    long tokens = domain_count("graph-app.example");
    expect(c, "ok-graph.example.com", TISO_OK, NULL, 0, 5);
    assert_int_equal(domain_count("ok-graph.example.com"), 1);
    assert_int_equal(domain_count("graph-app.example") - tokens, 1);

    /* Many more look-ups: one token for all of them. */
    char name[64];
    for (int i = 0; i < 30; i++) {
        snprintf(name, sizeof name, "ok-graph%d.example.com", i);
        expect(c, name, TISO_OK, NULL, 0, 5);
    }
    assert_int_equal(domain_count("graph-app.example") - tokens, 1);

    /* Everything Graph knows, by domain and by tenant ID. */
    tiso_graph_tenant_info info;
    tiso_error err;
    assert_int_equal(tiso_graph_tenant_info_by_domain(&info, c, "ok-graph.example.com", &err), TISO_OK);
    assert_string_equal(info.display_name, "Tenant ok-graph.example.com");
    assert_string_equal(info.default_domain, "ok-graph.example.com");
    assert_string_equal(info.federation_brand_name, "");
    tiso_tenant_id id = info.tenant_id;
    assert_int_equal(tiso_graph_tenant_info_by_id(&info, c, &id, &err), TISO_OK);
    assert_true(tiso_tenant_id_equal(&info.tenant_id, &id));
    assert_non_null(strstr(info.display_name, "Tenant "));
    assert_non_null(strstr(info.default_domain, ".onmicrosoft.com"));

    tiso_tenant_id unknown;
    assert_int_equal(tiso_tenant_id_parse(&unknown, "00000000-0000-0000-0000-00000000dead", 36), TISO_OK);
    assert_int_equal(tiso_graph_tenant_info_by_id(&info, c, &unknown, &err), TISO_E_NOT_FOUND);
    check_message(&err, "Request_ResourceNotFound");
    assert_int_equal(domain_count("graph-app.example") - tokens, 1);
    tiso_graph_client_free(c);
}

static void non_global_cloud_uses_discovery(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    with_secret(&o, "usgov-app.example");
    o.cloud = TISO_CLOUD_USGOV;
    tiso_graph_client *c = new_client(&o);
    assert_int_equal(tiso_graph_client_uses_graph(c), 0); /* Graph's look-up is global only */
    expect(c, "ok-usgov.example.com", TISO_OK, NULL, 0, 5);
    assert_int_equal(domain_count("ok-usgov.example.com"), 1);
    assert_int_equal(domain_count("usgov-app.example"), 0); /* no token needed */
    tiso_graph_tenant_info info;
    tiso_error err;
    tiso_tenant_id id;
    expected_tenant("ok-usgov.example.com", &id);
    assert_int_equal(tiso_graph_tenant_info_by_id(&info, c, &id, &err), TISO_E_UNSUPPORTED);
    check_message(&err, "global cloud");
    tiso_graph_client_free(c);
}

static void tenant_info_needs_credentials(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    tiso_graph_tenant_info info;
    tiso_error err;
    tiso_tenant_id id;
    expected_tenant("ok-x.example.com", &id);
    long before = total_requests();
    assert_int_equal(tiso_graph_tenant_info_by_id(&info, c, &id, &err), TISO_E_UNAUTHORIZED);
    check_message(&err, "needs credentials");
    /* By domain, without credentials: discovery, only the tenant ID. */
    assert_int_equal(tiso_graph_tenant_info_by_domain(&info, c, "ok-infodisc.example.com", &err), TISO_OK);
    assert_string_equal(info.display_name, "");
    assert_int_equal(total_requests() - before, 1); /* the info by domain only */
    tiso_graph_client_free(c);
}

/* ---- unknown names ---- */

static void unknown_domain_graph_404(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    with_secret(&o, NULL);
    tiso_graph_client *c = new_client(&o);
    expect(c, "notfound-g.example.com", TISO_E_NOT_FOUND, "Request_ResourceNotFound", 0, 5);
    expect(c, "notfound-g.example.com", TISO_E_NOT_FOUND, "cached", 0, 1);
    assert_int_equal(domain_count("notfound-g.example.com"), 1);
    tiso_graph_client_free(c);
}

static void unknown_domain_login_aadsts90002(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    expect(c, "notfound-l.example.com", TISO_E_NOT_FOUND, "AADSTS90002", 0, 5);
    tiso_tenant_id id;
    tiso_error err;
    assert_int_equal(tiso_graph_resolve_domain(&id, c, "notfound-l.example.com", &err), TISO_E_NOT_FOUND);
    assert_int_equal(domain_count("notfound-l.example.com"), 1);
    tiso_graph_client_free(c);
}

static void cache_ttls_are_their_own(void **state)
{
    (void)state;
    struct timespec ts = {1, 200000000};
    tiso_graph_options o;
    base_options(&o);
    o.cache_ttl_s = 1; /* found names expire fast, unknown ones do not */
    o.negative_ttl_s = 600;
    tiso_graph_client *c = new_client(&o);
    o.cache_ttl_s = 600; /* and the other way round */
    o.negative_ttl_s = 1;
    tiso_graph_client *n = new_client(&o);
    expect(c, "ok-ttl1.example.com", TISO_OK, NULL, 0, 5);
    expect(c, "notfound-ttl1.example.com", TISO_E_NOT_FOUND, "AADSTS90002", 0, 5);
    expect(n, "ok-ttl2.example.com", TISO_OK, NULL, 0, 5);
    expect(n, "notfound-ttl2.example.com", TISO_E_NOT_FOUND, "AADSTS90002", 0, 5);
    expect(c, "ok-ttl1.example.com", TISO_OK, NULL, 0, 1);
    expect(n, "notfound-ttl2.example.com", TISO_E_NOT_FOUND, "cached", 0, 1);
    nanosleep(&ts, NULL);
    expect(c, "ok-ttl1.example.com", TISO_OK, NULL, 0, 5);                         /* expired: asked again */
    expect(c, "notfound-ttl1.example.com", TISO_E_NOT_FOUND, "cached", 0, 1);      /* still cached */
    expect(n, "ok-ttl2.example.com", TISO_OK, NULL, 0, 1);                         /* still cached */
    expect(n, "notfound-ttl2.example.com", TISO_E_NOT_FOUND, "AADSTS90002", 0, 5); /* expired */
    assert_int_equal(domain_count("ok-ttl1.example.com"), 2);
    assert_int_equal(domain_count("notfound-ttl1.example.com"), 1);
    assert_int_equal(domain_count("ok-ttl2.example.com"), 1);
    assert_int_equal(domain_count("notfound-ttl2.example.com"), 2);
    tiso_graph_client_free(c);
    tiso_graph_client_free(n);
}

static void cache_is_bounded(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    o.cache_max_entries = 3;
    tiso_graph_client *c = new_client(&o);
    char name[64];
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof name, "ok-bound%d.example.com", i);
        expect(c, name, TISO_OK, NULL, 0, 5);
        assert_true(tiso_graph_cache_size(c) <= 3);
    }
    expect(c, "ok-bound9.example.com", TISO_OK, NULL, 0, 1);
    assert_int_equal(domain_count("ok-bound9.example.com"), 1); /* the newest entry stays */
    tiso_graph_client_free(c);
}

static void no_cache_flag(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    o.flags = TISO_GRAPH_NO_CACHE;
    tiso_graph_client *c = new_client(&o);
    expect(c, "ok-nocache.example.com", TISO_OK, NULL, 0, 5);
    expect(c, "ok-nocache.example.com", TISO_OK, NULL, 0, 5);
    assert_int_equal(domain_count("ok-nocache.example.com"), 2);
    tiso_graph_client_free(c);
}

/* ---- throttling and server errors ---- */

static void retry_after_integer(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    with_secret(&o, NULL);
    tiso_graph_client *c = new_client(&o);
    expect(c, "r429int-a.example.com", TISO_OK, NULL, 0.95, 8);
    assert_int_equal(domain_count("r429int-a.example.com"), 2);
    tiso_graph_client_free(c);
}

static void retry_after_fraction(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    expect(c, "r429frac-a.example.com", TISO_OK, NULL, 0.34, 6);
    assert_int_equal(domain_count("r429frac-a.example.com"), 2);
    tiso_graph_client_free(c);
}

static void retry_after_http_date(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    expect(c, "r429date-a.example.com", TISO_OK, NULL, 0.9, 8);
    assert_int_equal(domain_count("r429date-a.example.com"), 2);
    tiso_graph_client_free(c);
}

static void throttled_forever(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    expect(c, "throttle-a.example.com", TISO_E_THROTTLED, "after 4 attempts", 0.15, 6);
    assert_int_equal(domain_count("throttle-a.example.com"), 4);
    o.max_attempts = 2;
    tiso_graph_client *c2 = new_client(&o);
    expect(c2, "throttle-b.example.com", TISO_E_THROTTLED, "HTTP 429", 0.05, 6);
    assert_int_equal(domain_count("throttle-b.example.com"), 2);
    tiso_graph_client_free(c);
    tiso_graph_client_free(c2);
}

static void retry_after_beyond_cap(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    expect(c, "throttlelong-a.example.com", TISO_E_THROTTLED, "retry after 120 s", 0, 3);
    assert_int_equal(domain_count("throttlelong-a.example.com"), 1);
    tiso_graph_client_free(c);
}

static void server_error_then_success(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    with_secret(&o, NULL);
    tiso_graph_client *c = new_client(&o);
    expect(c, "r503-a.example.com", TISO_OK, NULL, 0.01, 6);
    assert_int_equal(domain_count("r503-a.example.com"), 3);
    tiso_graph_client_free(c);
}

static void server_error_forever(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    with_secret(&o, NULL);
    tiso_graph_client *c = new_client(&o);
    expect(c, "fail500-a.example.com", TISO_E_TRANSPORT,
           "server error after 4 attempts (HTTP 500, generalException: It broke.)", 0.03, 6);
    assert_int_equal(domain_count("fail500-a.example.com"), 4);
    tiso_graph_client_free(c);
}

static void bad_gateway_then_gateway_timeout(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *d = new_client(&o);
    with_secret(&o, "gateway-app.example");
    tiso_graph_client *g = new_client(&o);
    /* 502, then 504, then the answer: two retries, by discovery and through Graph. */
    expect(d, "r502504-d.example.com", TISO_OK, NULL, 0.01, 6);
    assert_int_equal(domain_count("r502504-d.example.com"), 3);
    expect(g, "r502504-g.example.com", TISO_OK, NULL, 0.01, 6);
    assert_int_equal(domain_count("r502504-g.example.com"), 3);
    /* The same in a batch, beside a name that answers at once. */
    const char *names[] = {"r502504-b1.example.com", "ok-gw.example.com", "r502504-b2.example.com"};
    tiso_graph_result r[3];
    assert_int_equal(tiso_graph_resolve_batch(r, g, names, 3, NULL), TISO_OK);
    for (int i = 0; i < 3; i++) {
        if (r[i].status != TISO_OK)
            fail_msg("%s: %s (%s)", names[i], tiso_status_name(r[i].status), r[i].error.message);
        tiso_tenant_id exp;
        expected_tenant(names[i], &exp);
        assert_true(tiso_tenant_id_equal(&r[i].tenant_id, &exp));
    }
    assert_int_equal(domain_count("r502504-b1.example.com"), 3);
    assert_int_equal(domain_count("r502504-b2.example.com"), 3);
    assert_int_equal(domain_count("ok-gw.example.com"), 1);
    /* 504 every time: a transport failure once the attempts are spent. */
    expect(d, "fail504-d.example.com", TISO_E_TRANSPORT, "after 4 attempts (HTTP 504", 0.03, 6);
    assert_int_equal(domain_count("fail504-d.example.com"), 4);
    tiso_graph_client_free(d);
    tiso_graph_client_free(g);
}

/* ---- transport faults ---- */

static void stalled_response_times_out(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    o.timeout_ms = 1000;
    tiso_graph_client *c = new_client(&o);
    expect(c, "stall-a.example.com", TISO_E_TIMEOUT, "timed out", 0.95, 4);
    assert_int_equal(domain_count("stall-a.example.com"), 1); /* a timeout is not retried */
    tiso_graph_client_free(c);
}

static void refused_connection(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    o.login_url = REFUSED;
    tiso_graph_client *c = new_client(&o);
    expect(c, "ok-refused.example.com", TISO_E_TRANSPORT, "could not connect", 0, 6);
    tiso_tenant_id id;
    tiso_error err;
    assert_int_equal(tiso_graph_resolve_domain(&id, c, "ok-refused.example.com", &err), TISO_E_TRANSPORT);
    check_message(&err, "after 4 attempts");
    assert_int_equal(tiso_graph_cache_size(c), 0); /* failures are not cached */
    tiso_graph_client_free(c);
}

static void malformed_json(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    expect(c, "badjson-a.example.com", TISO_E_BAD_RESPONSE, "not valid JSON", 0, 5);
    with_secret(&o, NULL);
    tiso_graph_client *g = new_client(&o);
    expect(g, "badjson-b.example.com", TISO_E_BAD_RESPONSE, "not valid JSON", 0, 5);
    assert_int_equal(domain_count("badjson-a.example.com"), 1);
    tiso_graph_client_free(c);
    tiso_graph_client_free(g);
}

static void missing_or_invalid_tenant_id(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *d = new_client(&o);
    with_secret(&o, NULL);
    tiso_graph_client *g = new_client(&o);
    expect(g, "notenant-g.example.com", TISO_E_BAD_RESPONSE, "no tenantId", 0, 5);
    expect(d, "notenant-d.example.com", TISO_E_BAD_RESPONSE, "neither issuer nor token_endpoint", 0, 5);
    expect(g, "badguid-g.example.com", TISO_E_BAD_RESPONSE, "is not a tenant ID", 0, 5);
    expect(d, "badguid-d.example.com", TISO_E_BAD_RESPONSE, "carries no tenant ID", 0, 5);
    expect(g, "niltenant-g.example.com", TISO_E_BAD_RESPONSE, "is not a tenant ID", 0, 5);
    expect(d, "niltenant-d.example.com", TISO_E_BAD_RESPONSE, "carries no tenant ID", 0, 5);
    assert_int_equal(tiso_graph_cache_size(g) + tiso_graph_cache_size(d), 0);
    tiso_graph_client_free(d);
    tiso_graph_client_free(g);
}

static void oversized_body(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    expect(c, "huge-a.example.com", TISO_E_BAD_RESPONSE, "larger than the 1048576-byte cap", 0, 5);
    expect(c, "hugechunk-a.example.com", TISO_E_BAD_RESPONSE, "larger than the 1048576-byte cap", 0, 5);
    assert_int_equal(domain_count("huge-a.example.com"), 1);
    assert_int_equal(domain_count("hugechunk-a.example.com"), 1);
    tiso_graph_client_free(c);
}

static void truncated_body(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    expect(c, "trunc-a.example.com", TISO_E_TRANSPORT, "closed before the whole response arrived", 0, 6);
    assert_int_equal(domain_count("trunc-a.example.com"), 4);
    tiso_graph_client_free(c);
}

static void redirect_not_followed(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    long elsewhere = kind_count("elsewhere");
    expect(c, "redirect-a.example.com", TISO_E_BAD_RESPONSE, "redirects are not followed", 0, 5);
    expect(c, "redirect-b.example.com", TISO_E_BAD_RESPONSE, "http://localhost:", 0, 5);
    assert_int_equal(kind_count("elsewhere"), elsewhere);
    assert_int_equal(domain_count("redirect-a.example.com"), 1);
    tiso_graph_client_free(c);
}

/* ---- credentials ---- */

static void wrong_client_secret(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    o.tenant_id = "wrongsecret-app.example";
    o.client_id = CLIENT_ID;
    o.client_secret = "s3cret-but-wrong";
    tiso_graph_client *c = new_client(&o);
    expect(c, "ok-ws.example.com", TISO_E_UNAUTHORIZED, "invalid_client", 0, 5);
    tiso_tenant_id id;
    tiso_error err;
    assert_int_equal(tiso_graph_resolve_domain(&id, c, "ok-ws2.example.com", &err), TISO_E_UNAUTHORIZED);
    check_message(&err, "AADSTS7000215: Invalid client secret provided.");
    assert_null(strstr(err.message, "Trace ID")); /* first line only */
    assert_null(strstr(err.message, "s3cret-but-wrong"));
    assert_int_equal(domain_count("ok-ws.example.com"), 0); /* Graph never asked */
    tiso_graph_client_free(c);

    /* An unknown application tenant. */
    with_secret(&o, "unknown-tenant.example");
    c = new_client(&o);
    expect(c, "ok-ws3.example.com", TISO_E_UNAUTHORIZED, "AADSTS90002", 0, 5);
    tiso_graph_client_free(c);
}

/* The token endpoint checks the scope exactly ({graph base URL}/.default,
 * the test server's own base URL): every client-credentials test passes it;
 * a client whose Graph URL is elsewhere sends another scope and is refused. */
static void token_scope_is_exact(void **state)
{
    (void)state;
    char graph[300];
    snprintf(graph, sizeof graph, "%s/not-this-server", HTTP);
    tiso_graph_options o;
    base_options(&o);
    with_secret(&o, "scope-app.example");
    o.graph_url = graph;
    tiso_graph_client *c = new_client(&o);
    expect(c, "ok-scope.example.com", TISO_E_UNAUTHORIZED, "AADSTS900144", 0, 5);
    assert_int_equal(domain_count("scope-app.example"), 1);
    assert_int_equal(domain_count("ok-scope.example.com"), 0);
    tiso_graph_client_free(c);
}

/* Checks a failure caused by a token endpoint that echoes the secret. */
static void check_echo_failure(tiso_status st, const tiso_error *err, const char *secret, const char *encoded,
                               const char *case_name)
{
    if (getenv("TISO_TEST_VERBOSE") != NULL)
        print_message("    %-40.40s %s: %s\n", case_name, tiso_status_name(st), err->message);
    if (st != TISO_E_UNAUTHORIZED || err->status != TISO_E_UNAUTHORIZED)
        fail_msg("%s: got %s (%s), want unauthorized", case_name, tiso_status_name(st), err->message);
    if (memchr(err->message, '\0', sizeof err->message) == NULL)
        fail_msg("%s: the message is not NUL-terminated within its buffer", case_name);
    check_message(err, NULL);
    if (strlen(secret) > 1 && strstr(err->message, secret) != NULL)
        fail_msg("%s: the secret is in \"%s\"", case_name, err->message);
    if (strlen(encoded) > 1 && strstr(err->message, encoded) != NULL)
        fail_msg("%s: the URL-encoded secret is in \"%s\"", case_name, err->message);
    if (strcmp(secret, "o") == 0 && strchr(err->message, 'o') != NULL)
        fail_msg("%s: an 'o' (the whole secret) is in \"%s\"", case_name, err->message);
}

/* A token endpoint that echoes the client secret it received, decoded and
 * as sent (URL-encoded), in its error_description: the secret must never
 * reach the message, however short (one character: every occurrence in the
 * text goes, which makes the message grow) or long, and the message must
 * stay within its buffer (this overflowed it once; ASan runs this too). */
static void echoed_secret_never_in_message(void **state)
{
    (void)state;
    char many_o[200]; /* "echo" + 56 'o', 60 'o', 60 'o', ".example": 190 characters */
    snprintf(many_o, sizeof many_o, "echo%.56s.%.60s.%.60s.example",
             "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo",
             "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo",
             "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo");
    assert_int_equal(strlen(many_o), 190);
    static const char LONG_SECRET[] = "s3cret/+ &=value-long-enough";
    static const char LONG_ENCODED[] = "s3cret%2F%2B%20%26%3Dvalue-long-enough";
    const struct {
        const char *tenant, *secret, *encoded;
    } cases[] = {
        {many_o, "o", "o"},
        {"echosecret.example", "o", "o"},
        {many_o, "*", "%2A"},
        {"echosecret.example", "*", "%2A"},
        {many_o, LONG_SECRET, LONG_ENCODED},
        {"echosecret.example", LONG_SECRET, LONG_ENCODED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "ok-echo%zu.example.com", i);
        char what[96];
        snprintf(what, sizeof what, "%.20s.. secret '%.12s'", cases[i].tenant, cases[i].secret);
        tiso_graph_options o;
        base_options(&o);
        o.tenant_id = cases[i].tenant;
        o.client_id = CLIENT_ID;
        o.client_secret = cases[i].secret;
        tiso_graph_client *c = new_client(&o);
        long before = kind_count("token");
        tiso_tenant_id id;
        tiso_error err;
        memset(&err, 0x55, sizeof err); /* no NUL unless the client writes one */
        tiso_status st = tiso_graph_resolve_domain(&id, c, name, &err);
        check_echo_failure(st, &err, cases[i].secret, cases[i].encoded, what);
        assert_int_equal(kind_count("token") - before, 1); /* the server did answer with the echo */
        if (strlen(cases[i].secret) > 1 || cases[i].tenant != many_o)
            check_message(&err, "AADSTS7000215");
        /* A batch and a tenant look-up fail the same way. */
        const char *names[] = {name, "ok-echo-b.example.com"};
        tiso_graph_result r[2];
        memset(r, 0x55, sizeof r);
        assert_int_equal(tiso_graph_resolve_batch(r, c, names, 2, NULL), TISO_OK);
        for (int k = 0; k < 2; k++)
            check_echo_failure(r[k].status, &r[k].error, cases[i].secret, cases[i].encoded, what);
        tiso_graph_tenant_info info;
        expected_tenant("ok-echo-t.example.com", &id);
        memset(&err, 0x55, sizeof err);
        st = tiso_graph_tenant_info_by_id(&info, c, &id, &err);
        check_echo_failure(st, &err, cases[i].secret, cases[i].encoded, what);
        tiso_graph_client_free(c);
    }
}

static void token_expiry_and_renewal(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    with_secret(&o, "short-lived.example"); /* expires_in "2": renewed after 1 s */
    tiso_graph_client *c = new_client(&o);
    expect(c, "ok-exp1.example.com", TISO_OK, NULL, 0, 5);
    expect(c, "ok-exp2.example.com", TISO_OK, NULL, 0, 5);
    assert_int_equal(domain_count("short-lived.example"), 1);
    struct timespec ts = {1, 300000000};
    nanosleep(&ts, NULL);
    expect(c, "ok-exp3.example.com", TISO_OK, NULL, 0, 5);
    assert_int_equal(domain_count("short-lived.example"), 2);
    tiso_graph_client_free(c);
}

static void revoked_token_renewed_once(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    with_secret(&o, "revoke-app.example");
    tiso_graph_client *c = new_client(&o);
    expect(c, "ok-rev1.example.com", TISO_OK, NULL, 0, 5);
    free(control("/_revoke"));
    expect(c, "ok-rev2.example.com", TISO_OK, NULL, 0, 5);
    assert_int_equal(domain_count("revoke-app.example"), 2);
    assert_int_equal(domain_count("ok-rev2.example.com"), 2); /* 401, then the retry */
    tiso_graph_client_free(c);
}

typedef struct thread_arg {
    tiso_graph_client *c;
    int index;
    tiso_status st;
} thread_arg;

static void *resolve_thread(void *p)
{
    thread_arg *a = p;
    char name[64];
    snprintf(name, sizeof name, "ok-thr%d.example.com", a->index);
    tiso_tenant_id id;
    a->st = tiso_graph_resolve_domain(&id, a->c, name, NULL);
    return NULL;
}

static void one_token_refresh_across_threads(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    with_secret(&o, "slowtoken.example"); /* the token endpoint answers in 300 ms */
    tiso_graph_client *c = new_client(&o);
    enum { N = 12 };
    pthread_t t[N];
    thread_arg a[N];
    for (int i = 0; i < N; i++) {
        a[i] = (thread_arg){c, i, TISO_E_INVALID_ARGUMENT};
        assert_int_equal(pthread_create(&t[i], NULL, resolve_thread, &a[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].st, TISO_OK);
    }
    assert_int_equal(domain_count("slowtoken.example"), 1);
    tiso_graph_client_free(c);
}

static void static_bearer_token(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    o.access_token = STATIC_TOKEN;
    tiso_graph_client *c = new_client(&o);
    long tokens = kind_count("token");
    expect(c, "ok-static.example.com", TISO_OK, NULL, 0, 5);
    assert_int_equal(domain_count("ok-static.example.com"), 1); /* through Graph */
    assert_int_equal(kind_count("token"), tokens);
    tiso_graph_client_free(c);

    o.access_token = "tok-not-issued";
    c = new_client(&o);
    expect(c, "ok-static2.example.com", TISO_E_UNAUTHORIZED, "InvalidAuthenticationToken", 0, 5);
    assert_int_equal(domain_count("ok-static2.example.com"), 1); /* no second try with the same token */
    tiso_graph_client_free(c);

    o.access_token = "bad token\r\nX-Injected: 1";
    tiso_error err;
    assert_int_equal(tiso_graph_client_new(&c, &o, &err), TISO_E_INVALID_ARGUMENT);
    assert_null(strstr(err.message, "Injected"));
}

typedef struct cb_state {
    int calls;
    int fail;
} cb_state;

static tiso_status token_cb(void *user, const char *scope, char *token, size_t size, tiso_error *err)
{
    cb_state *s = user;
    s->calls++;
    if (s->fail) {
        snprintf(err->message, sizeof err->message, "the vault is sealed");
        return TISO_E_UNAUTHORIZED;
    }
    assert_non_null(strstr(scope, "/.default"));
    snprintf(token, size, "%s", STATIC_TOKEN);
    return TISO_OK;
}

static void token_callback(void **state)
{
    (void)state;
    cb_state s = {0, 0};
    tiso_graph_options o;
    base_options(&o);
    o.token_fn = token_cb;
    o.token_user = &s;
    tiso_graph_client *c = new_client(&o);
    expect(c, "ok-cb1.example.com", TISO_OK, NULL, 0, 5);
    expect(c, "ok-cb2.example.com", TISO_OK, NULL, 0, 5);
    assert_int_equal(s.calls, 2);
    s.fail = 1;
    expect(c, "ok-cb3.example.com", TISO_E_UNAUTHORIZED, "the vault is sealed", 0, 1);
    assert_int_equal(domain_count("ok-cb3.example.com"), 0);
    tiso_graph_client_free(c);
}

/* ---- TLS ---- */

static void tls_with_ca_file(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    o.login_url = o.graph_url = HTTPS;
    o.ca_file = CA_FILE;
    tiso_graph_client *c = new_client(&o);
    expect(c, "ok-tls.example.com", TISO_OK, NULL, 0, 5);
    with_secret(&o, "tls-app.example");
    tiso_graph_client *g = new_client(&o);
    expect(g, "ok-tls2.example.com", TISO_OK, NULL, 0, 5);
    assert_int_equal(domain_count("tls-app.example"), 1);
    tiso_graph_client_free(c);
    tiso_graph_client_free(g);
}

static void tls_refused_without_ca_file(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    o.login_url = o.graph_url = HTTPS;
    tiso_graph_client *c = new_client(&o);
    expect(c, "ok-tls3.example.com", TISO_E_TLS, "TLS failed", 0, 5);
    assert_int_equal(domain_count("ok-tls3.example.com"), 0);
    tiso_graph_client_free(c);
}

static void tls_refused_for_wrong_host_name(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    o.login_url = o.graph_url = HTTPS_WRONG;
    o.ca_file = CA_FILE;
    tiso_graph_client *c = new_client(&o);
    expect(c, "ok-tls4.example.com", TISO_E_TLS, "subject name", 0, 5);
    assert_int_equal(domain_count("ok-tls4.example.com"), 0);
    tiso_graph_client_free(c);
}

/* ---- options ---- */

static void option_checks(void **state)
{
    (void)state;
    tiso_graph_options o;
    tiso_graph_client *c = NULL;
    tiso_error err;
    static const char *const bad_urls[] = {"http://example.com",
                                           "http://10.0.0.1:80",
                                           "ftp://127.0.0.1/",
                                           "https://user:pw@graph.example",
                                           "https://graph.example/?q=1",
                                           "https://graph.example/#f",
                                           "not a url",
                                           "",
                                           "https://"};
    for (size_t i = 0; i < sizeof bad_urls / sizeof bad_urls[0]; i++) {
        base_options(&o);
        o.graph_url = bad_urls[i];
        tiso_status st = tiso_graph_client_new(&c, &o, &err);
        if (st != TISO_E_INVALID_ARGUMENT)
            fail_msg("%s: %s", bad_urls[i], tiso_status_name(st));
        assert_null(strstr(err.message, "pw"));
    }
    static const char *const good_urls[] = {"http://127.0.0.1:1", "http://127.1.2.3/", "http://[::1]:8080",
                                            "http://LOCALHOST:9/base/", "https://graph.example/prefix"};
    for (size_t i = 0; i < sizeof good_urls / sizeof good_urls[0]; i++) {
        base_options(&o);
        o.graph_url = good_urls[i];
        tiso_status st = tiso_graph_client_new(&c, &o, &err);
        if (st != TISO_OK)
            fail_msg("%s: %s", good_urls[i], err.message);
        tiso_graph_client_free(c);
    }
    base_options(&o);
    o.version = 99;
    assert_int_equal(tiso_graph_client_new(&c, &o, &err), TISO_E_INVALID_ARGUMENT);
    base_options(&o);
    o.cloud = (tiso_cloud)9;
    assert_int_equal(tiso_graph_client_new(&c, &o, &err), TISO_E_INVALID_ARGUMENT);
    base_options(&o);
    with_secret(&o, NULL);
    o.access_token = STATIC_TOKEN;
    assert_int_equal(tiso_graph_client_new(&c, &o, &err), TISO_E_INVALID_ARGUMENT);
    check_message(&err, "one kind of credentials");
    base_options(&o);
    o.client_id = CLIENT_ID;
    assert_int_equal(tiso_graph_client_new(&c, &o, &err), TISO_E_INVALID_ARGUMENT);
    base_options(&o);
    with_secret(&o, "bad tenant/..");
    assert_int_equal(tiso_graph_client_new(&c, &o, &err), TISO_E_INVALID_TENANT);
    base_options(&o);
    o.ca_file = "/nonexistent/ca.pem";
    assert_int_equal(tiso_graph_client_new(&c, &o, &err), TISO_E_IO);
    check_message(&err, "/nonexistent/ca.pem");
    assert_int_equal(tiso_graph_client_new(NULL, &o, &err), TISO_E_INVALID_ARGUMENT);
    /* Defaults: the global cloud, nothing sent at creation. */
    assert_int_equal(tiso_graph_client_new(&c, NULL, &err), TISO_OK);
    tiso_graph_client_free(c);
    tiso_graph_client_free(NULL);

    tiso_cloud cl;
    assert_int_equal(tiso_cloud_parse(&cl, "GCCHigh", 7), TISO_OK);
    assert_int_equal(cl, TISO_CLOUD_USGOV);
    assert_int_equal(tiso_cloud_parse(&cl, "dod", 3), TISO_OK);
    assert_string_equal(tiso_cloud_graph_url(cl), "https://dod-graph.microsoft.us");
    assert_string_equal(tiso_cloud_login_url(TISO_CLOUD_CHINA), "https://login.chinacloudapi.cn");
    assert_int_equal(tiso_cloud_parse(&cl, "mars", 4), TISO_E_INVALID_ARGUMENT);
    assert_true(tiso_features() & TISO_FEATURE_GRAPH);
}

/* ---- names ---- */

static const char *const bad_names[] = {
    "",          "*",         "contoso",          "contoso..com", "con toso.com", "contoso.com/x",
    "a/b.com",   "\"q\".com", "it's.com",         "x.com?a=b",    "x.com#frag",   "-lead.com",
    "..",        ".",         "x.com%2f",         "user@x.com",   "tab\t.com",    "new\nline.com",
    "x.com:443", "[::1]",     "a.b.c.d.e.f.g.h-", "ü.com"};

static void bad_names_never_sent(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    long before = total_requests();
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        tiso_tenant_id id;
        tiso_error err;
        tiso_status st = tiso_graph_resolve_domain(&id, c, bad_names[i], &err);
        if (st != TISO_E_INVALID_DOMAIN)
            fail_msg("'%s': %s", bad_names[i], tiso_status_name(st));
    }
    tiso_graph_result r[sizeof bad_names / sizeof bad_names[0]];
    assert_int_equal(tiso_graph_resolve_batch(r, c, bad_names, sizeof bad_names / sizeof bad_names[0], NULL), TISO_OK);
    /* A batch takes names, not domains: "" and "*" are no tenant (tiso_name_classify). */
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++)
        assert_int_equal(r[i].status, i < 2 ? TISO_E_INVALID_TENANT : TISO_E_INVALID_DOMAIN);
    tiso_tenant_id id;
    assert_int_equal(tiso_graph_resolve_domain(&id, c, NULL, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_graph_resolve_domain(NULL, c, "ok.example.com", NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(total_requests(), before); /* control requests are not counted */
    tiso_graph_client_free(c);
}

/* ---- batches ---- */

static void batch_concurrency(void **state)
{
    (void)state;
    enum { N = 200 };
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    static char names[N][64];
    const char *ptrs[N];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "ok-conc%d.example.com", i);
        ptrs[i] = names[i];
    }
    static tiso_graph_result r[N];
    set_delay(20);
    free(control("/_reset"));
    double t0 = now_s();
    tiso_status st = tiso_graph_resolve_batch(r, c, ptrs, N, NULL);
    double took = now_s() - t0;
    set_delay(0);
    assert_int_equal(st, TISO_OK);
    for (int i = 0; i < N; i++) {
        if (r[i].status != TISO_OK)
            fail_msg("%s: %s", names[i], r[i].error.message);
        tiso_tenant_id exp;
        expected_tenant(names[i], &exp);
        assert_true(tiso_tenant_id_equal(&r[i].tenant_id, &exp));
    }
    long inflight = stat_of(NULL, "max_inflight");
    print_message("    200 names, server answering in 20 ms: %.3f s (serial would be >= 4 s); "
                  "at most %ld requests in flight\n",
                  took, inflight);
    assert_true(took < 2.0);
    assert_true(inflight > 4 && inflight <= 32);
    assert_int_equal(kind_count("oidc"), N);
    /* Again: all from the cache, no request. */
    t0 = now_s();
    assert_int_equal(tiso_graph_resolve_batch(r, c, ptrs, N, NULL), TISO_OK);
    assert_true(now_s() - t0 < 0.5);
    assert_int_equal(kind_count("oidc"), N);
    tiso_graph_client_free(c);
}

static void batch_mixed(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    with_secret(&o, "batch-app.example");
    o.max_concurrency = 4;
    tiso_graph_client *c = new_client(&o);
    const char *names[] = {"ok-b1.example.com",
                           "11111111-2222-3333-4444-555555555555",
                           "notfound-b2.example.com",
                           "bad name",
                           "OK-B1.example.com",
                           "r429frac-b3.example.com",
                           "*",
                           NULL,
                           "fail500-b4.example.com",
                           "ok-b1.example.com.",
                           "badjson-b5.example.com",
                           "ok-b6.example.com"};
    enum { N = sizeof names / sizeof names[0] };
    tiso_graph_result r[N];
    double t0 = now_s();
    assert_int_equal(tiso_graph_resolve_batch(r, c, names, N, NULL), TISO_OK);
    double took = now_s() - t0;
    static const tiso_status want[N] = {TISO_OK,          TISO_OK, TISO_E_NOT_FOUND,      TISO_E_INVALID_DOMAIN,
                                        TISO_OK,          TISO_OK, TISO_E_INVALID_TENANT, TISO_E_INVALID_ARGUMENT,
                                        TISO_E_TRANSPORT, TISO_OK, TISO_E_BAD_RESPONSE,   TISO_OK};
    for (int i = 0; i < N; i++) {
        if (r[i].status != want[i])
            fail_msg("%d (%s): %s (%s)", i, names[i] ? names[i] : "NULL", tiso_status_name(r[i].status),
                     r[i].error.message);
        if (r[i].status != TISO_OK) {
            assert_int_equal(r[i].error.status, r[i].status);
            assert_true(tiso_tenant_id_is_nil(&r[i].tenant_id));
            check_message(&r[i].error, NULL);
        }
    }
    check_message(&r[2].error, "Request_ResourceNotFound");
    check_message(&r[8].error, "after 4 attempts");
    check_message(&r[10].error, "not valid JSON");
    assert_true(tiso_tenant_id_equal(&r[0].tenant_id, &r[4].tenant_id));
    assert_true(tiso_tenant_id_equal(&r[0].tenant_id, &r[9].tenant_id));
    assert_int_equal(domain_count("ok-b1.example.com"), 1); /* asked for three times, requested once */
    assert_int_equal(domain_count("r429frac-b3.example.com"), 2);
    assert_int_equal(domain_count("fail500-b4.example.com"), 4);
    assert_int_equal(domain_count("batch-app.example"), 1); /* one token for the batch */
    assert_true(took > 0.34 && took < 8);
    tiso_graph_client_free(c);
}

static void batch_token_failure(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    o.tenant_id = "batchfail-app.example";
    o.client_id = CLIENT_ID;
    o.client_secret = "not-the-secret";
    tiso_graph_client *c = new_client(&o);
    const char *names[] = {"ok-bf1.example.com", "ok-bf2.example.com", "ok-bf3.example.com", "ok-bf4.example.com",
                           "ok-bf5.example.com"};
    tiso_graph_result r[5];
    assert_int_equal(tiso_graph_resolve_batch(r, c, names, 5, NULL), TISO_OK);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(r[i].status, TISO_E_UNAUTHORIZED);
        check_message(&r[i].error, "AADSTS7000215");
    }
    assert_int_equal(domain_count("batchfail-app.example"), 1);
    assert_int_equal(tiso_graph_resolve_batch(r, c, names, 0, NULL), TISO_OK);
    assert_int_equal(tiso_graph_resolve_batch(NULL, c, names, 5, NULL), TISO_E_INVALID_ARGUMENT);
    tiso_graph_client_free(c);
}

static void batch_larger_than_a_chunk(void **state)
{
    (void)state;
    enum { N = 4500 }; /* the batch works in chunks of 2048 names */
    tiso_graph_options o;
    base_options(&o);
    tiso_graph_client *c = new_client(&o);
    static char names[N][64];
    static const char *ptrs[N];
    static tiso_graph_result r[N];
    for (int i = 0; i < N; i++) {
        if (i % 1000 == 999)
            snprintf(names[i], sizeof names[i], "bad name %d", i);
        else
            snprintf(names[i], sizeof names[i], "ok-chunk%d.example.com", i % 3000); /* repeats across chunks */
        ptrs[i] = names[i];
    }
    long before = kind_count("oidc");
    assert_int_equal(tiso_graph_resolve_batch(r, c, ptrs, N, NULL), TISO_OK);
    for (int i = 0; i < N; i++) {
        tiso_status want = i % 1000 == 999 ? TISO_E_INVALID_DOMAIN : TISO_OK;
        if (r[i].status != want)
            fail_msg("%s: %s", names[i], r[i].error.message);
    }
    assert_true(tiso_tenant_id_equal(&r[5].tenant_id, &r[3005].tenant_id));
    assert_int_equal(kind_count("oidc") - before, 3000 - 3); /* each distinct good name once */
    tiso_graph_client_free(c);
}

/* ---- the resolver adapter ---- */

static void resolver_adapter_and_policy_load(void **state)
{
    (void)state;
    tiso_graph_options o;
    base_options(&o);
    tiso_resolver *r = NULL;
    tiso_error err;
    assert_int_equal(tiso_resolver_new_graph_options(&r, &o, &err), TISO_OK);
    assert_non_null(tiso_resolver_graph_client(r));
    tiso_tenant_id id, exp;
    assert_int_equal(tiso_resolver_resolve(&id, r, "ok-res.example.com", &err), TISO_OK);
    expected_tenant("ok-res.example.com", &exp);
    assert_true(tiso_tenant_id_equal(&id, &exp));
    assert_int_equal(tiso_resolver_resolve(&id, r, "notfound-res.example.com", &err), TISO_E_NOT_FOUND);
    assert_int_equal(tiso_resolver_resolve(&id, r, "*", &err), TISO_E_INVALID_TENANT);

    const char *doc = "{\"properties\": {\"tenantId\": \"00000000-0000-0000-0000-000000000001\", "
                      "\"isDisabled\": false, \"allowedTenants\": ["
                      "{\"domain\": \"ok-pol.example.com\", \"direction\": {\"inbound\": true, \"outbound\": true}},"
                      "{\"tenantId\": \"*\", \"direction\": {\"inbound\": false, \"outbound\": false}}]}}";
    tiso_load_options lo;
    tiso_load_options_init(&lo);
    lo.resolver = r;
    tiso_policy *p = NULL;
    assert_int_equal(tiso_policy_load_json(&p, doc, strlen(doc), &lo, &err), TISO_OK);
    tiso_policy_entry e;
    assert_int_equal(tiso_policy_entry_at(&e, p, 0), TISO_OK);
    expected_tenant("ok-pol.example.com", &exp);
    assert_true(tiso_tenant_id_equal(&e.tenant, &exp));
    tiso_policy_free(p);

    const char *bad = "{\"tenantId\": \"00000000-0000-0000-0000-000000000001\", \"isDisabled\": false, "
                      "\"allowedTenants\": [{\"domain\": \"notfound-pol.example.com\", "
                      "\"direction\": {\"inbound\": true, \"outbound\": true}}]}";
    assert_int_equal(tiso_policy_load_json(&p, bad, strlen(bad), &lo, &err), TISO_E_NOT_FOUND);
    check_message(&err, "notfound-pol.example.com");
    tiso_resolver_free(r);

    /* The resolver keeps its client alive after the caller lets go. */
    tiso_graph_client *c = new_client(&o);
    assert_int_equal(tiso_resolver_new_graph(&r, c, &err), TISO_OK);
    tiso_graph_client_free(c);
    assert_int_equal(tiso_resolver_resolve(&id, r, "ok-res2.example.com", &err), TISO_OK);
    assert_non_null(tiso_resolver_graph_client(r));
    tiso_resolver_free(r);
    assert_int_equal(tiso_resolver_new_graph(NULL, NULL, &err), TISO_E_INVALID_ARGUMENT);
    assert_null(tiso_resolver_graph_client(NULL));
}

static int setup_env(void)
{
    HTTP = getenv("TISO_TEST_HTTP");
    HTTPS = getenv("TISO_TEST_HTTPS");
    HTTPS_WRONG = getenv("TISO_TEST_HTTPS_WRONG");
    REFUSED = getenv("TISO_TEST_REFUSED");
    CA_FILE = getenv("TISO_TEST_CA_FILE");
    CLIENT_ID = getenv("TISO_TEST_CLIENT_ID");
    SECRET = getenv("TISO_TEST_CLIENT_SECRET");
    STATIC_TOKEN = getenv("TISO_TEST_STATIC_TOKEN");
    if (!HTTP || !HTTPS || !HTTPS_WRONG || !REFUSED || !CA_FILE || !CLIENT_ID || !SECRET || !STATIC_TOKEN) {
        fprintf(stderr, "run me through run_graph_tests.py, which starts the test server\n");
        return -1;
    }
    return 0;
}

int main(void)
{
    if (setup_env() != 0)
        return 2;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(discovery_success_and_cache),
        cmocka_unit_test(graph_success_with_client_secret),
        cmocka_unit_test(non_global_cloud_uses_discovery),
        cmocka_unit_test(tenant_info_needs_credentials),
        cmocka_unit_test(unknown_domain_graph_404),
        cmocka_unit_test(unknown_domain_login_aadsts90002),
        cmocka_unit_test(cache_ttls_are_their_own),
        cmocka_unit_test(cache_is_bounded),
        cmocka_unit_test(no_cache_flag),
        cmocka_unit_test(retry_after_integer),
        cmocka_unit_test(retry_after_fraction),
        cmocka_unit_test(retry_after_http_date),
        cmocka_unit_test(throttled_forever),
        cmocka_unit_test(retry_after_beyond_cap),
        cmocka_unit_test(server_error_then_success),
        cmocka_unit_test(server_error_forever),
        cmocka_unit_test(bad_gateway_then_gateway_timeout),
        cmocka_unit_test(stalled_response_times_out),
        cmocka_unit_test(refused_connection),
        cmocka_unit_test(malformed_json),
        cmocka_unit_test(missing_or_invalid_tenant_id),
        cmocka_unit_test(oversized_body),
        cmocka_unit_test(truncated_body),
        cmocka_unit_test(redirect_not_followed),
        cmocka_unit_test(wrong_client_secret),
        cmocka_unit_test(token_scope_is_exact),
        cmocka_unit_test(echoed_secret_never_in_message),
        cmocka_unit_test(token_expiry_and_renewal),
        cmocka_unit_test(revoked_token_renewed_once),
        cmocka_unit_test(one_token_refresh_across_threads),
        cmocka_unit_test(static_bearer_token),
        cmocka_unit_test(token_callback),
        cmocka_unit_test(tls_with_ca_file),
        cmocka_unit_test(tls_refused_without_ca_file),
        cmocka_unit_test(tls_refused_for_wrong_host_name),
        cmocka_unit_test(option_checks),
        cmocka_unit_test(bad_names_never_sent),
        cmocka_unit_test(batch_mixed),
        cmocka_unit_test(batch_token_failure),
        cmocka_unit_test(batch_concurrency),
        cmocka_unit_test(batch_larger_than_a_chunk),
        cmocka_unit_test(resolver_adapter_and_policy_load),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
