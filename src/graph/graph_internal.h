/* The Graph client's internals, shared by the files of src/graph/. Never
 * installed. One file per concern:
 *   graph_common.c    clouds and option defaults (also in builds without Graph)
 *   graph_clock.c     the monotonic clock, sleeping, jitter random numbers
 *   graph_pool.c      the pool of idle curl handles
 *   graph_client.c    the client object: options, URLs, reference count
 *   graph_http.c      one HTTP exchange with libcurl: options, callbacks, retry policy
 *   graph_token.c     credentials: client-secret tokens (cached), bearer, callback
 *   graph_cache.c     the domain -> tenant cache (positive and negative)
 *   graph_lookup.c    what to ask for a domain or tenant, and what the answer means
 *   graph_batch.c     many look-ups at once with curl multi
 *   graph_resolver.c  the tiso_resolver adapter
 *   graph_parse.c     pure response parsers (graph_parse.h)
 * Uses go one way: clock and pool use nothing here; cache, http and the
 * client build on them; token on http; lookup on cache, token and http;
 * batch and resolver on lookup. */
#ifndef TISO_GRAPH_INTERNAL_H
#define TISO_GRAPH_INTERNAL_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "graph_common.h"
#include "graph_parse.h"
#include "hash_index.h"
#include "internal.h"
#include "tenantiso/graph.h"

/* ---- graph_clock.c ---- */
uint64_t tiso__now_ns(void); /* monotonic */
void tiso__sleep_ms(uint64_t ms);
/* The next random number from `state` (jitter for retries); thread-safe. */
uint64_t tiso__random_next(atomic_uint_fast64_t *state);

/* ---- graph_pool.c ---- */
typedef struct tiso__easy_pool {
    pthread_mutex_t lock;
    CURL *idle[8]; /* idle easy handles: they keep their connections */
    size_t count;
} tiso__easy_pool;

/* false if the pool's mutex cannot be created. */
bool tiso__pool_init(tiso__easy_pool *p);
/* Closes the idle handles. */
void tiso__pool_destroy(tiso__easy_pool *p);
/* An idle handle (reset: options dropped, connections kept) or a new one;
 * NULL when out of memory. */
CURL *tiso__easy_acquire(tiso__easy_pool *p);
/* Gives `easy` back (closed when the pool is full). NULL is fine. */
void tiso__easy_release(tiso__easy_pool *p, CURL *easy);

/* ---- graph_cache.c ---- */
typedef struct tiso__cache_row tiso__cache_row;
typedef struct tiso__cache {
    pthread_rwlock_t lock;
    tiso__cache_row *rows; /* the entries, in no order */
    size_t count, cap;
    tiso__hash_index index; /* over rows */
    size_t max_entries;
    uint64_t ttl_ns;
    uint64_t negative_ttl_ns;
    bool disabled;
} tiso__cache;

typedef enum tiso__cache_hit { TISO__CACHE_MISS = 0, TISO__CACHE_FOUND = 1, TISO__CACHE_NOT_FOUND = 2 } tiso__cache_hit;

tiso_status tiso__cache_init(tiso__cache *c, size_t max_entries, uint64_t ttl_s, uint64_t negative_ttl_s,
                             bool disabled);
void tiso__cache_destroy(tiso__cache *c);
/* `name` is a normalized domain. */
tiso__cache_hit tiso__cache_get(tiso__cache *c, const char *name, size_t len, tiso_tenant_id *out);
/* `tenant` NULL records "not found". Out of memory just skips caching. */
void tiso__cache_put(tiso__cache *c, const char *name, size_t len, const tiso_tenant_id *tenant);
size_t tiso__cache_size(tiso__cache *c);
void tiso__cache_clear(tiso__cache *c);

/* ---- graph_token.c ---- */
typedef enum tiso__cred_kind {
    TISO__CRED_NONE = 0,
    TISO__CRED_SECRET = 1, /* client credentials */
    TISO__CRED_STATIC = 2, /* a bearer token given as is */
    TISO__CRED_CALLBACK = 3
} tiso__cred_kind;

typedef struct tiso__token_source {
    tiso__cred_kind kind;
    char *tenant;       /* SECRET: the app's tenant, canonical ID or normalized domain */
    char *client_id;    /* SECRET */
    char *secret;       /* SECRET; wiped on free */
    char *static_token; /* STATIC; wiped on free */
    tiso_graph_token_fn fn;
    void *user;
    /* The cached token (SECRET), under `lock`. */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char *token;          /* wiped on free */
    uint64_t renew_at_ns; /* monotonic: renew from then on (expiry - 5 min) */
    bool refreshing;      /* one refresh at a time */
    uint64_t generation;  /* counts finished refreshes */
    tiso_status last_status;
    tiso_error last_error; /* of the last failed refresh, for threads that waited on it */
} tiso__token_source;

tiso_status tiso__token_init(tiso__token_source *t, const tiso_graph_options *o, tiso_error *err);
void tiso__token_destroy(tiso__token_source *t);
/* A header line "Authorization: Bearer <token>" (tiso__malloc; free it with
 * tiso__wipe_free). Fetches or renews the token when needed. */
tiso_status tiso__token_header(tiso_graph_client *c, char **out, tiso_error *err);
/* Forgets the cached token if it is the one in `header` (after a 401). */
void tiso__token_invalidate(tiso_graph_client *c, const char *header);
/* The same for another audience: a token from source `t` (initialized with
 * tiso__token_init) for `scope`, fetched through `c`'s login service and
 * HTTP settings. `service` names the audience in "needs credentials". */
tiso_status tiso__token_header_for(tiso_graph_client *c, tiso__token_source *t, const char *scope,
                                   const char *service, char **out, tiso_error *err);
void tiso__token_invalidate_for(tiso__token_source *t, const char *header);
/* Overwrites a secret's bytes before freeing it. NULL is fine. */
void tiso__wipe_free(char *s);
/* The renewal rule: how long after it was requested a client-secret token
 * that lives `lifetime_s` seconds (expires_in, at most 10 years) is renewed,
 * in nanoseconds: five minutes before it expires, or at half its lifetime
 * when it lives under ten minutes. Pure; the unit tests check both branches. */
uint64_t tiso__token_renew_after_ns(uint64_t lifetime_s);

/* ---- graph_http.c ---- */
typedef struct tiso__http_response {
    long status; /* HTTP status, 0 before one arrived */
    char *body;  /* NUL-terminated; tiso__malloc */
    size_t len, cap;
    size_t max;    /* body cap */
    bool overflow; /* the body passed the cap */
    bool nomem;
    bool has_retry_after;
    char retry_after[64];
    char location[200];
    /* Where a long-running operation is polled (Location, Operation-Location),
     * raw; `*_long` when the header did not fit (then the URL is ""). */
    char op_location[1024];
    char operation_location[1024];
    bool op_location_long;
    bool operation_location_long;
} tiso__http_response;

typedef struct tiso__http_call {
    /* Set by the caller before tiso__http_call_setup. */
    const char *url;
    const char *post_fields; /* NULL: GET */
    const char *method;       /* NULL: GET or POST (post_fields); "PUT" sends post_fields with PUT */
    const char *content_type; /* NULL: a form (curl's default); else the body's Content-Type */
    const char *auth_header; /* NULL: none */
    bool loopback;           /* the URL's host is a loopback address: http allowed */
    const char *what;        /* "resolving 'x' through Microsoft Graph": message prefix */
    /* State. */
    CURL *easy;
    struct curl_slist *headers;
    tiso__http_response resp;
    unsigned attempts; /* attempts finished */
    char errbuf[CURL_ERROR_SIZE];
} tiso__http_call;

typedef enum tiso__http_next {
    TISO__HTTP_DONE = 0,  /* a final HTTP answer is in call->resp (any status but retryable ones) */
    TISO__HTTP_RETRY = 1, /* try again after *delay_ms */
    TISO__HTTP_FAIL = 2   /* gave up: status and message are in err */
} tiso__http_next;

/* Configures `easy` (which the call now uses) for the call. */
tiso_status tiso__http_call_setup(tiso_graph_client *c, tiso__http_call *call, CURL *easy, tiso_error *err);
/* Clears the response before an attempt. */
void tiso__http_attempt_begin(tiso__http_call *call);
/* Classifies a finished attempt (rc from curl). */
tiso__http_next tiso__http_attempt_end(tiso_graph_client *c, tiso__http_call *call, CURLcode rc, uint64_t *delay_ms,
                                       tiso_status *status, tiso_error *err);
/* Frees the call's headers and body; does not touch the easy handle. */
void tiso__http_call_cleanup(tiso__http_call *call);
/* Runs the call to the end on this thread (attempts, waits) with an easy
 * handle from the client's pool. TISO_OK means a final HTTP answer is in
 * call->resp. */
tiso_status tiso__http_run(tiso_graph_client *c, tiso__http_call *call, tiso_error *err);
/* A message for a non-2xx final answer: "HTTP 404 (code: description)". */
const char *tiso__http_describe(const tiso__http_call *call, tiso__service_error *se, char *buf, size_t size);

/* ---- graph_client.c ---- */
struct tiso_graph_client {
    atomic_uint refs;
    tiso_cloud cloud;
    char *login_url; /* no trailing slash */
    char *graph_url;
    char *login_host; /* host[:port], for messages */
    char *graph_host;
    bool login_loopback;
    bool graph_loopback;
    char *ca_file;
    char *scope; /* {graph}/.default */
    uint32_t connect_timeout_ms;
    uint32_t timeout_ms;
    uint32_t max_attempts;
    uint32_t retry_base_ms;
    uint32_t retry_max_ms;
    uint32_t max_body_bytes;
    uint32_t max_concurrency;
    bool use_graph_for_domains; /* credentials and the global cloud */
    tiso__cache cache;
    tiso__token_source token;
    tiso__easy_pool pool;
    atomic_uint_fast64_t rng; /* tiso__random_next's state */
};

/* Checks a base URL (https, or http to a loopback host; no user, query or
 * fragment) and fills its copy without a trailing slash (`*norm`), its
 * host[:port] (`*hostport`), both tiso__malloc'd, and `*loopback`.
 * `which` names it in messages ("login", "Graph", "BAP"). */
tiso_status tiso__check_base_url(const char *url, const char *which, char **norm, char **hostport, bool *loopback,
                                 tiso_error *err);
tiso_graph_client *tiso__client_ref(tiso_graph_client *c);

/* ---- graph_lookup.c ---- */
typedef enum tiso__lookup_kind {
    TISO__LOOKUP_DOMAIN = 0,      /* domain -> tenant ID (Graph or discovery) */
    TISO__LOOKUP_DOMAIN_INFO = 1, /* domain -> tenant information */
    TISO__LOOKUP_TENANT_INFO = 2  /* tenant ID -> tenant information */
} tiso__lookup_kind;

typedef struct tiso__lookup {
    tiso__lookup_kind kind;
    char domain[TISO_DOMAIN_MAX + 1]; /* normalized (DOMAIN, DOMAIN_INFO) */
    tiso_tenant_id tenant;            /* TENANT_INFO input */
    bool via_graph;
    bool reauthed; /* a 401 already led to a new token */
    char what[TISO_DOMAIN_MAX + 96];
    char *url;
    char *auth; /* wiped */
    tiso__http_call call;
    /* Outcome. */
    tiso_graph_tenant_info info;
} tiso__lookup;

typedef enum tiso__lookup_next {
    TISO__LOOKUP_FINISHED = 0, /* the status returned is the outcome */
    TISO__LOOKUP_RESTART = 1   /* prepared again (new token): run the call again */
} tiso__lookup_next;

/* Fills in the look-up for `kind` (domain already normalized, or tenant)
 * and prepares its request (URL, token). Does not set up an easy handle. */
tiso_status tiso__lookup_prepare(tiso_graph_client *c, tiso__lookup *lk, tiso_error *err);
/* Interprets a final HTTP answer in lk->call.resp; caches domain outcomes. */
tiso_status tiso__lookup_complete(tiso_graph_client *c, tiso__lookup *lk, tiso__lookup_next *next, tiso_error *err);
/* Records a failure of the transfer itself (caching nothing). */
void tiso__lookup_cleanup(tiso__lookup *lk);
/* Runs a prepared look-up on this thread. */
tiso_status tiso__lookup_run(tiso_graph_client *c, tiso__lookup *lk, tiso_error *err);
/* Resolves a normalized domain (cache, then network). */
tiso_status tiso__resolve_normalized(tiso_graph_client *c, const char *domain, tiso_tenant_id *out, tiso_error *err);

#endif /* TISO_GRAPH_INTERNAL_H */
