/* libtenantiso: the Microsoft Graph client. Domains to tenant IDs, tenant IDs
 * to display names, over HTTPS with libcurl (SPEC section 5).
 *
 * How a domain is resolved:
 *   - with credentials in the global cloud: Microsoft Graph,
 *     GET {graph}/v1.0/tenantRelationships/findTenantInformationByDomainName(domainName='{domain}');
 *   - otherwise (no credentials, or the usgov, dod and china clouds, where
 *     Graph does not serve this look-up): the anonymous OpenID discovery
 *     document, GET {login}/{domain}/v2.0/.well-known/openid-configuration,
 *     whose issuer and token_endpoint carry the tenant ID.
 * An unknown domain (Graph 404; login 400 invalid_tenant / AADSTS90002) is
 * TISO_E_NOT_FOUND. Names are validated with tiso_domain_normalize before any
 * URL is built; "*" is never sent anywhere.
 *
 * Credentials, one of: OAuth2 client credentials (tenant, client ID, secret:
 * POST {login}/{tenant}/oauth2/v2.0/token with scope {graph}/.default; the
 * token is cached and renewed five minutes before it expires, or at half its
 * lifetime if it lives under ten minutes; one refresh at a time however many
 * threads need it; a Graph 401 gets one new token and one more try), a
 * bearer token given as is, or a callback that returns one. Secrets and
 * tokens never appear in any message.
 *
 * Under faults: connect and total timeouts (a timeout is not retried: it
 * already took its time); retries on HTTP 429, 500, 502, 503, 504 and on
 * transport errors (refused, reset, truncated), honouring
 * Retry-After (seconds, fractional seconds, or an HTTP date) up to a cap, else
 * exponential backoff with jitter; a bounded number of attempts; bodies capped
 * (1 MiB); TLS peer and host verification always on; plain http:// only for
 * loopback hosts (127.0.0.0/8, ::1, localhost); redirects are never followed.
 *
 * Statuses any network call here may return, each with a message in `err`
 * saying what happened (for the login service, its error code and AADSTS
 * description):
 *   TISO_E_NOT_FOUND      the domain or tenant is unknown;
 *   TISO_E_UNAUTHORIZED   credentials rejected (HTTP 401/403, token refused),
 *                         or the call needs credentials and there are none;
 *   TISO_E_THROTTLED      still HTTP 429 after every attempt, or the server
 *                         asked to wait longer than the retry cap;
 *   TISO_E_TIMEOUT        the connect or total timeout passed;
 *   TISO_E_TLS            TLS handshake or certificate verification failed;
 *   TISO_E_BAD_RESPONSE   malformed JSON, a missing or invalid tenantId, a
 *                         body over the cap, a redirect, an unexpected status;
 *   TISO_E_TRANSPORT      refused, reset or truncated connection, DNS failure,
 *                         HTTP 5xx after every attempt;
 *   TISO_E_NOMEM, TISO_E_INVALID_ARGUMENT.
 *
 * When the library is built without the Graph client (TENANTISO_WITH_GRAPH
 * off; tiso_features() lacks TISO_FEATURE_GRAPH), every function here exists
 * and returns TISO_E_UNSUPPORTED (tiso_cloud_*, tiso_graph_options_init and
 * the _free functions still do their plain work).
 *
 * Thread safety: a client may be used from any number of threads at once;
 * its cache and token are shared and locked. Batch resolution runs on the
 * calling thread. libcurl is initialized (curl_global_init) once, on the
 * first tiso_graph_client_new, and is used with CURLOPT_NOSIGNAL, as a
 * multi-threaded program needs: such a program should ignore SIGPIPE. */
#ifndef TENANTISO_GRAPH_H
#define TENANTISO_GRAPH_H

#include "common.h"
#include "resolver.h"
#include "tenant.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tiso_graph_client tiso_graph_client;

/* National clouds: each is a pair of login and Graph hosts. */
typedef enum tiso_cloud {
    TISO_CLOUD_GLOBAL = 0, /* login.microsoftonline.com, graph.microsoft.com */
    TISO_CLOUD_USGOV = 1,  /* US Government GCC High: login.microsoftonline.us, graph.microsoft.us */
    TISO_CLOUD_DOD = 2,    /* US DoD: login.microsoftonline.us, dod-graph.microsoft.us */
    TISO_CLOUD_CHINA = 3,  /* 21Vianet: login.chinacloudapi.cn, microsoftgraph.chinacloudapi.cn */
    TISO_CLOUD_GCC = 4     /* US Government GCC: the global login and Graph hosts, its own
                              Power Platform hosts (live.h) */
} tiso_cloud;

/* Parses "global", "usgov", "dod", "china" or "gcc" (ASCII
 * case-insensitive, `len` bytes; "gcchigh" is accepted for usgov). Returns
 * TISO_OK or TISO_E_INVALID_ARGUMENT. Works in every build. */
TISO_API tiso_status tiso_cloud_parse(tiso_cloud *out, const char *text, size_t len);

/* "global", "usgov", "dod", "china", "gcc"; "unknown" otherwise. Static storage. */
TISO_API const char *tiso_cloud_name(tiso_cloud cloud);

/* The cloud's base URLs, e.g. "https://login.microsoftonline.com" and
 * "https://graph.microsoft.com" (no trailing slash); NULL for an unknown
 * value. Static storage. */
TISO_API const char *tiso_cloud_login_url(tiso_cloud cloud);
TISO_API const char *tiso_cloud_graph_url(tiso_cloud cloud);

/* A token callback: write a bearer token for `scope` (e.g.
 * "https://graph.microsoft.com/.default"), NUL-terminated, into `token`,
 * which holds `size` bytes (TISO_GRAPH_TOKEN_MAX + 1), and return TISO_OK;
 * or return a failure status (normally TISO_E_UNAUTHORIZED), filling `err`
 * (never NULL) if you have detail. It is called for every request that needs
 * a token, possibly from several threads at once: cache in the callback.
 * `user` is the pointer given in the options. Tokens must be printable ASCII
 * without spaces; anything else is refused with TISO_E_UNAUTHORIZED. */
typedef tiso_status (*tiso_graph_token_fn)(void *user, const char *scope, char *token, size_t size, tiso_error *err);

#define TISO_GRAPH_TOKEN_MAX 16383
#define TISO_GRAPH_NAME_MAX 256

#define TISO_GRAPH_DEFAULT_CONNECT_TIMEOUT_MS 10000u
#define TISO_GRAPH_DEFAULT_TIMEOUT_MS 30000u
#define TISO_GRAPH_DEFAULT_MAX_ATTEMPTS 4u     /* 1 + 3 retries, as the Graph SDKs */
#define TISO_GRAPH_DEFAULT_RETRY_BASE_MS 500u  /* first backoff; doubles each retry */
#define TISO_GRAPH_DEFAULT_RETRY_MAX_MS 30000u /* cap on any one wait */
#define TISO_GRAPH_DEFAULT_MAX_BODY_BYTES (1024u * 1024u)
#define TISO_GRAPH_DEFAULT_CACHE_TTL_S 86400u /* the login service's own max-age */
#define TISO_GRAPH_DEFAULT_NEGATIVE_TTL_S 86400u
#define TISO_GRAPH_DEFAULT_CACHE_MAX_ENTRIES 100000u
#define TISO_GRAPH_DEFAULT_MAX_CONCURRENCY 32u

/* Flags for tiso_graph_options.flags. */
#define TISO_GRAPH_NO_CACHE 0x1u /* never cache, neither found nor not-found names */

#define TISO_GRAPH_OPTIONS_VERSION 1

/* Options for a client. Initialize with tiso_graph_options_init, then change
 * what you need. A zero number means the default. Every string is copied by
 * tiso_graph_client_new; none needs to outlive that call (except through the
 * callback's `token_user`, which stays the caller's). Credentials: set
 * tenant_id + client_id + client_secret, or access_token, or token_fn; at
 * most one kind, or none (then only OpenID discovery is used). */
typedef struct tiso_graph_options {
    uint32_t version;            /* TISO_GRAPH_OPTIONS_VERSION */
    tiso_cloud cloud;            /* default TISO_CLOUD_GLOBAL */
    const char *login_url;       /* NULL: the cloud's; e.g. "https://login.example" or "http://127.0.0.1:8080" */
    const char *graph_url;       /* NULL: the cloud's */
    const char *ca_file;         /* PEM bundle to trust instead of the system's; NULL: the system's */
    uint32_t connect_timeout_ms; /* default 10 s */
    uint32_t timeout_ms;         /* whole request, per attempt; default 30 s */
    uint32_t max_attempts;       /* tries per request, first included; default 4 */
    uint32_t retry_base_ms;      /* first backoff, doubled each retry, with jitter; default 500 ms */
    uint32_t retry_max_ms;       /* cap on one wait; a longer Retry-After ends the retries; default 30 s */
    uint32_t max_body_bytes;     /* a larger response aborts the transfer; default 1 MiB */
    uint32_t cache_ttl_s;        /* found names; default 86400 s */
    uint32_t negative_ttl_s;     /* names reported unknown; default 86400 s */
    uint32_t cache_max_entries;  /* default 100,000; when full, expired entries go, then all */
    uint32_t max_concurrency;    /* batch: transfers in flight at once; default 32 */
    uint32_t flags;              /* TISO_GRAPH_NO_CACHE */
    /* Client credentials. tenant_id is the application's tenant (an ID or a domain). */
    const char *tenant_id;
    const char *client_id;
    const char *client_secret; /* never echoed */
    /* Or a bearer token used as is (never echoed). */
    const char *access_token;
    /* Or a callback. */
    tiso_graph_token_fn token_fn;
    void *token_user;
} tiso_graph_options;

/* Fills `opts` with the defaults: version set, global cloud, no credentials,
 * every number at its default. NULL is fine. Works in every build. */
TISO_API void tiso_graph_options_init(tiso_graph_options *opts);

/* Creates a client. `opts` may be NULL for the defaults (global cloud, no
 * credentials). The caller owns `*out` and frees it with
 * tiso_graph_client_free. Returns TISO_OK, or with `*out` untouched:
 *   TISO_E_INVALID_ARGUMENT  NULL `out`, an unknown options version or cloud,
 *                            a URL that is not https:// (or http:// to a
 *                            loopback host) or carries a user, query or
 *                            fragment, incomplete or conflicting credentials,
 *                            a token that is not printable ASCII;
 *   TISO_E_INVALID_TENANT / TISO_E_INVALID_DOMAIN  a bad credentials tenant;
 *   TISO_E_IO                the CA file cannot be read;
 *   TISO_E_NOMEM; TISO_E_UNSUPPORTED (built without Graph). */
TISO_API tiso_status tiso_graph_client_new(tiso_graph_client **out, const tiso_graph_options *opts, tiso_error *err);

/* Drops the caller's reference. A resolver made with tiso_resolver_new_graph
 * holds its own, so the client lives on until that resolver is freed too. No
 * call may be running on it through this reference. NULL is fine. */
TISO_API void tiso_graph_client_free(tiso_graph_client *client);

/* Resolves one domain to its tenant ID, through the cache. `domain` is
 * NUL-terminated; it is validated and normalized first (TISO_E_INVALID_DOMAIN,
 * no request made; "*" included). Cached answers, found or not found, come
 * back without a request until their TTL passes. Returns TISO_OK with
 * `*out` set, TISO_E_INVALID_DOMAIN, or a network status (see the top of
 * this file). On failure `*out` is all zero. Thread-safe. */
TISO_API tiso_status tiso_graph_resolve_domain(tiso_tenant_id *out, tiso_graph_client *client, const char *domain,
                                               tiso_error *err);

/* What Graph knows about a tenant. Fixed layout; strings are NUL-terminated,
 * UTF-8, truncated to fit at a character boundary, "" when unknown. */
typedef struct tiso_graph_tenant_info {
    tiso_tenant_id tenant_id;
    char display_name[TISO_GRAPH_NAME_MAX + 1];
    char default_domain[TISO_DOMAIN_MAX + 1];
    char federation_brand_name[TISO_GRAPH_NAME_MAX + 1];
} tiso_graph_tenant_info;

/* Looks up a tenant by ID through Graph's findTenantInformationByTenantId
 * (display name, default domain). Not cached. Needs credentials and the
 * global cloud. Returns TISO_OK with `*out` filled, TISO_E_UNAUTHORIZED (no
 * credentials, or refused), TISO_E_UNSUPPORTED (another cloud), or a network
 * status. Thread-safe. */
TISO_API tiso_status tiso_graph_tenant_info_by_id(tiso_graph_tenant_info *out, tiso_graph_client *client,
                                                  const tiso_tenant_id *tenant, tiso_error *err);

/* Looks up a domain's tenant with everything Graph knows about it (with
 * credentials in the global cloud), or only its tenant ID (OpenID discovery;
 * the strings are then ""). Not cached (but a found tenant ID is put in the
 * cache). Statuses as tiso_graph_resolve_domain. Thread-safe. */
TISO_API tiso_status tiso_graph_tenant_info_by_domain(tiso_graph_tenant_info *out, tiso_graph_client *client,
                                                      const char *domain, tiso_error *err);

/* One name's outcome in a batch. */
typedef struct tiso_graph_result {
    tiso_status status;       /* TISO_OK, or why this name failed */
    tiso_tenant_id tenant_id; /* all zero unless status is TISO_OK */
    tiso_error error;         /* detail when status is not TISO_OK */
} tiso_graph_result;

/* Resolves `count` names at once, each classified by tiso_name_classify:
 * tenant IDs are parsed and returned as they are; "*", "" and broken tenant
 * IDs get TISO_E_INVALID_TENANT, bad domains TISO_E_INVALID_DOMAIN; domains
 * are normalized, taken from the cache when there, and the rest
 * requested concurrently (at most max_concurrency transfers in flight, a name
 * asked for twice requested once), with the same retries as single look-ups.
 * `out` must hold `count` results; result i belongs to names[i] and has its
 * own status. Runs on the calling thread until every name is answered.
 * Returns TISO_OK once every name has a result (look at each one's status;
 * a failed name's tenant_id is all zero, so a caller that skips the statuses
 * still fails closed), TISO_E_INVALID_ARGUMENT with no result filled (NULL
 * `out`, `client` or `names` with count > 0; a NULL name is only that
 * result's TISO_E_INVALID_ARGUMENT), or TISO_E_NOMEM / TISO_E_TRANSPORT (curl
 * multi failed) with every unanswered result carrying that status.
 * Thread-safe (several batches may run on one client at once). Names go in
 * chunks of TISO_GRAPH_BATCH_CHUNK, so that memory stays bounded (a few MiB)
 * however many there are; a caller that bounds its own memory for results
 * the same way passes at most that many at once. */
#define TISO_GRAPH_BATCH_CHUNK 2048u
TISO_API tiso_status tiso_graph_resolve_batch(tiso_graph_result *out, tiso_graph_client *client,
                                              const char *const *names, size_t count, tiso_error *err);

/* Nonzero when the client resolves domains through Microsoft Graph (it has
 * credentials and the global cloud), which also serves tiso_graph_tenant_info_*;
 * 0 when it uses OpenID discovery, or for NULL. */
TISO_API int tiso_graph_client_uses_graph(const tiso_graph_client *client);

/* Number of entries in the client's cache, expired ones included until they
 * are swept (0 for NULL). */
TISO_API size_t tiso_graph_cache_size(tiso_graph_client *client);

/* Empties the client's cache. NULL is fine. Thread-safe. */
TISO_API void tiso_graph_cache_clear(tiso_graph_client *client);

/* A resolver (resolver.h) that resolves through `client`, so that policy
 * loading and requests given by domain go through Graph. The resolver takes
 * its own reference to the client: the caller may free its client at once.
 * Free the resolver with tiso_resolver_free. Returns TISO_OK, TISO_E_NOMEM,
 * TISO_E_INVALID_ARGUMENT or TISO_E_UNSUPPORTED. */
TISO_API tiso_status tiso_resolver_new_graph(tiso_resolver **out, tiso_graph_client *client, tiso_error *err);

/* Convenience for tools: a client from `opts` wrapped in a resolver, in one
 * call (what the command line does with --cloud, --graph-url, --login-url,
 * --ca-file, --timeout and the TENANTISO_* credentials). Statuses as
 * tiso_graph_client_new. */
TISO_API tiso_status tiso_resolver_new_graph_options(tiso_resolver **out, const tiso_graph_options *opts,
                                                     tiso_error *err);

/* The client behind a resolver made by tiso_resolver_new_graph(_options),
 * borrowed (it lives as long as the resolver), for batch look-ups; NULL for
 * any other resolver, or NULL. */
TISO_API tiso_graph_client *tiso_resolver_graph_client(tiso_resolver *resolver);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_GRAPH_H */
