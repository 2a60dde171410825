/* The client object: options checked and copied, base URLs validated (https,
 * or http to loopback only), a reference count (a Graph resolver keeps its
 * client alive); it owns a cache, a token source and a pool of curl handles. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "graph_internal.h"

/* ---- libcurl's one-time global set-up ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_OK;

static void curl_init_once(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- base URLs ---- */

static bool is_loopback_host(const char *host)
{
    unsigned char addr[16];
    char buf[64];
    size_t n = strlen(host);
    if (tiso__ascii_ieq(host, n, "localhost"))
        return true;
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof buf) {
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = '\0';
        if (inet_pton(AF_INET6, buf, addr) != 1)
            return false;
        for (int i = 0; i < 15; i++)
            if (addr[i] != 0)
                return false;
        return addr[15] == 1;
    }
    if (inet_pton(AF_INET, host, addr) == 1)
        return addr[0] == 127;
    return false;
}

static bool url_part_present(CURLU *u, CURLUPart part)
{
    char *v = NULL;
    CURLUcode rc = curl_url_get(u, part, &v, 0);
    bool present = rc == CURLUE_OK && v != NULL && v[0] != '\0';
    curl_free(v);
    return present;
}

tiso_status tiso__check_base_url(const char *url, const char *which, char **norm, char **hostport, bool *loopback,
                                  tiso_error *err)
{
    size_t n = strlen(url);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)url[i];
        if (ch <= 0x20 || ch >= 0x7f)
            return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                              "the %s URL contains a space or a non-ASCII character", which);
    }
    CURLU *u = curl_url();
    if (u == NULL)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory checking the %s URL", which);
    tiso_status st = TISO_OK;
    char *scheme = NULL, *host = NULL, *port = NULL;
    if (n == 0 || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        st = tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "the %s URL is not a valid absolute URL", which);
        goto out;
    }
    if (url_part_present(u, CURLUPART_USER) || url_part_present(u, CURLUPART_PASSWORD) ||
        url_part_present(u, CURLUPART_QUERY) || url_part_present(u, CURLUPART_FRAGMENT)) {
        st = tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                        "the %s URL must not carry a user, a password, a query or a fragment", which);
        goto out;
    }
    *loopback = is_loopback_host(host);
    if (strcmp(scheme, "https") != 0 && !(strcmp(scheme, "http") == 0 && *loopback)) {
        st = tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                        "the %s URL must use https (plain http is accepted only for a loopback host "
                        "such as 127.0.0.1, ::1 or localhost)",
                        which);
        goto out;
    }
    while (n > 0 && url[n - 1] == '/')
        n--;
    *norm = tiso__strndup(url, n);
    (void)curl_url_get(u, CURLUPART_PORT, &port, 0);
    size_t hp_len = strlen(host) + (port ? strlen(port) + 1 : 0) + 1;
    *hostport = tiso__malloc(hp_len);
    if (*norm == NULL || *hostport == NULL) {
        tiso__free(*norm);
        tiso__free(*hostport);
        *norm = *hostport = NULL;
        st = tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory copying the %s URL", which);
        goto out;
    }
    snprintf(*hostport, hp_len, "%s%s%s", host, port ? ":" : "", port ? port : "");
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return st;
}

/* ---- the client ---- */

/* The parts of a client that were set up: one teardown serves both a
 * finished client and one whose creation failed half way. */
enum { HAS_POOL = 1u, HAS_TOKEN = 2u, HAS_CACHE = 4u, HAS_ALL = 7u };

static void client_teardown(tiso_graph_client *c, unsigned parts)
{
    if (parts & HAS_POOL)
        tiso__pool_destroy(&c->pool);
    if (parts & HAS_CACHE)
        tiso__cache_destroy(&c->cache);
    if (parts & HAS_TOKEN)
        tiso__token_destroy(&c->token);
    char *strings[] = {c->login_url, c->graph_url, c->login_host, c->graph_host, c->ca_file, c->scope};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        tiso__free(strings[i]);
    tiso__free(c);
}

static uint32_t or_default(uint32_t v, uint32_t def)
{
    return v != 0 ? v : def;
}

tiso_status tiso_graph_client_new(tiso_graph_client **out, const tiso_graph_options *opts, tiso_error *err)
{
    tiso_graph_options defaults;
    if (out == NULL)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "out is NULL");
    if (opts == NULL) {
        tiso_graph_options_init(&defaults);
        opts = &defaults;
    }
    if (opts->version != TISO_GRAPH_OPTIONS_VERSION)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                          "unknown Graph options version %u (this library knows %d); "
                          "initialize options with tiso_graph_options_init",
                          opts->version, TISO_GRAPH_OPTIONS_VERSION);
    const char *cloud_login = tiso_cloud_login_url(opts->cloud);
    const char *cloud_graph = tiso_cloud_graph_url(opts->cloud);
    if (cloud_login == NULL || cloud_graph == NULL)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "unknown cloud %d", (int)opts->cloud);
    if (opts->ca_file != NULL) {
        FILE *f = fopen(opts->ca_file, "rb");
        if (f == NULL)
            return tiso__fail(err, TISO_E_IO, NULL, "cannot read the CA file '%s': %s", opts->ca_file, strerror(errno));
        fclose(f);
    }
    pthread_once(&curl_once, curl_init_once);
    if (curl_init_rc != CURLE_OK)
        return tiso__fail(err, TISO_E_TRANSPORT, NULL, "libcurl could not be initialized: %s",
                          curl_easy_strerror(curl_init_rc));

    tiso_graph_client *c = tiso__calloc(1, sizeof *c);
    if (c == NULL)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory creating a Graph client");
    atomic_init(&c->refs, 1u);
    atomic_init(&c->rng, (uint_fast64_t)tiso__now_ns() ^ (uint_fast64_t)(uintptr_t)c);
    c->cloud = opts->cloud;
    c->connect_timeout_ms = or_default(opts->connect_timeout_ms, TISO_GRAPH_DEFAULT_CONNECT_TIMEOUT_MS);
    c->timeout_ms = or_default(opts->timeout_ms, TISO_GRAPH_DEFAULT_TIMEOUT_MS);
    c->max_attempts = or_default(opts->max_attempts, TISO_GRAPH_DEFAULT_MAX_ATTEMPTS);
    c->retry_base_ms = or_default(opts->retry_base_ms, TISO_GRAPH_DEFAULT_RETRY_BASE_MS);
    c->retry_max_ms = or_default(opts->retry_max_ms, TISO_GRAPH_DEFAULT_RETRY_MAX_MS);
    c->max_body_bytes = or_default(opts->max_body_bytes, TISO_GRAPH_DEFAULT_MAX_BODY_BYTES);
    c->max_concurrency = or_default(opts->max_concurrency, TISO_GRAPH_DEFAULT_MAX_CONCURRENCY);
    if (c->max_concurrency > 1024)
        c->max_concurrency = 1024;

    /* Each part is set up in turn; `parts` says which, for the teardown. */
    unsigned parts = tiso__pool_init(&c->pool) ? HAS_POOL : 0u;
    tiso_status st = parts ? TISO_OK : tiso__fail(err, TISO_E_NOMEM, NULL, "cannot create a mutex");
    if (st == TISO_OK) {
        st = tiso__check_base_url(opts->login_url ? opts->login_url : cloud_login, "login", &c->login_url, &c->login_host,
                            &c->login_loopback, err);
    }
    if (st == TISO_OK) {
        st = tiso__check_base_url(opts->graph_url ? opts->graph_url : cloud_graph, "Graph", &c->graph_url, &c->graph_host,
                            &c->graph_loopback, err);
    }
    if (st == TISO_OK && opts->ca_file != NULL) {
        c->ca_file = tiso__strndup(opts->ca_file, strlen(opts->ca_file));
        if (c->ca_file == NULL)
            st = tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    }
    if (st == TISO_OK) {
        size_t n = strlen(c->graph_url) + sizeof "/.default";
        c->scope = tiso__malloc(n);
        if (c->scope == NULL)
            st = tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
        else
            snprintf(c->scope, n, "%s/.default", c->graph_url);
    }
    if (st == TISO_OK) {
        st = tiso__token_init(&c->token, opts, err);
        parts |= st == TISO_OK ? HAS_TOKEN : 0u;
    }
    if (st == TISO_OK) {
        st = tiso__cache_init(&c->cache, or_default(opts->cache_max_entries, TISO_GRAPH_DEFAULT_CACHE_MAX_ENTRIES),
                              or_default(opts->cache_ttl_s, TISO_GRAPH_DEFAULT_CACHE_TTL_S),
                              or_default(opts->negative_ttl_s, TISO_GRAPH_DEFAULT_NEGATIVE_TTL_S),
                              (opts->flags & TISO_GRAPH_NO_CACHE) != 0);
        if (st != TISO_OK)
            tiso__fail(err, st, NULL, "out of memory creating the Graph cache");
        parts |= st == TISO_OK ? HAS_CACHE : 0u;
    }
    if (st != TISO_OK) {
        client_teardown(c, parts);
        return st;
    }
    c->use_graph_for_domains = c->token.kind != TISO__CRED_NONE && c->cloud == TISO_CLOUD_GLOBAL;
    *out = c;
    return TISO_OK;
}

tiso_graph_client *tiso__client_ref(tiso_graph_client *c)
{
    atomic_fetch_add_explicit(&c->refs, 1u, memory_order_relaxed);
    return c;
}

void tiso_graph_client_free(tiso_graph_client *client)
{
    if (client == NULL)
        return;
    if (atomic_fetch_sub_explicit(&client->refs, 1u, memory_order_acq_rel) == 1u)
        client_teardown(client, HAS_ALL);
}

/* ---- cache, public ---- */

int tiso_graph_client_uses_graph(const tiso_graph_client *client)
{
    return client != NULL && client->use_graph_for_domains;
}

size_t tiso_graph_cache_size(tiso_graph_client *client)
{
    return client ? tiso__cache_size(&client->cache) : 0;
}

void tiso_graph_cache_clear(tiso_graph_client *client)
{
    if (client != NULL)
        tiso__cache_clear(&client->cache);
}
