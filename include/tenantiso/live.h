/* libtenantiso: the live service (SPEC 12). Reads and writes a tenant's
 * isolation policy in Power Platform, through the BAP admin endpoint
 *   GET/PUT {bap}/providers/PowerPlatform.Governance/v1/tenants/{tenant}/tenantIsolationPolicy?api-version=2020-06-01
 * with the same HTTP, TLS, retry, timeout and secret hygiene as the Graph
 * client (graph.h): the client is built from a tiso_graph_options, whose
 * cloud, login URL, CA file, timeouts, retries, body cap and credentials it
 * uses.
 *
 * Tokens are per audience: the BAP wants a token for the Power Apps service
 * (https://service.powerapps.com/.default in the global cloud), the Power
 * Platform API one for https://api.powerplatform.com/.default. With client
 * credentials (or a token callback) each audience's token is fetched once and
 * reused (renewed five minutes before it expires), in memory only; a caller
 * token is given per audience (`bap_token`), or a person signs in with the
 * device authorization grant (`device_client_id`): authorization_pending
 * and slow_down are waited through, expired_token and access_denied end it
 * (TISO_E_UNAUTHORIZED). Graph's own `access_token` is never sent to the
 * BAP. No token or secret appears in any message.
 *
 * The bearer token goes only to the configured BAP host: a 202's Location or
 * Operation-Location that points at another scheme, host or port is refused
 * (TISO_E_BAD_RESPONSE), never followed.
 *
 * Statuses of the network calls (detail in `err`: the service, the
 * operation, the HTTP status, the service's error code and message):
 *   TISO_E_UNAUTHORIZED   a token refused (HTTP 401, 403) or no credentials;
 *   TISO_E_THROTTLED, TISO_E_TIMEOUT, TISO_E_TLS, TISO_E_TRANSPORT  as graph.h
 *                         (429 and 5xx are retried first, honouring Retry-After);
 *   TISO_E_BAD_RESPONSE   any other unexpected status (the service refused the
 *                         request: 400 with its code and message), a body that
 *                         is not a policy, a foreign or cut operation URL, a
 *                         failed operation, a read-back that differs;
 *   TISO_E_NOMEM, TISO_E_INVALID_ARGUMENT.
 *
 * In a build without the Graph client (TENANTISO_WITH_GRAPH off) every
 * function exists; tiso_live_client_new, tiso_live_policy_get and
 * tiso_live_policy_push return TISO_E_UNSUPPORTED (the tiso_cloud_* look-ups,
 * tiso_live_options_init and the _free functions do their plain work).
 *
 * Thread safety: a client may be used from several threads at once (its
 * tokens are locked), except that a device-code sign-in must finish (one
 * first call per service) before other threads use that service; a push should not race another push of the same
 * tenant, here or anywhere (the service keeps the last write). */
#ifndef TENANTISO_LIVE_H
#define TENANTISO_LIVE_H

#include "common.h"
#include "graph.h"
#include "policy.h"
#include "tenant.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tiso_live_client tiso_live_client;

/* The BAP's own limit on allowlist rules ("the threshold limit for rules is
 * 500"); tiso_live_policy_push refuses more. */
#define TISO_LIVE_MAX_RULES 500u
/* How long to wait between polls of a long operation: the service's
 * Retry-After clamped to [2 s, 60 s] (2 s without one). */
#define TISO_LIVE_POLL_FLOOR_MS 2000u
#define TISO_LIVE_POLL_CAP_MS 60000u
/* How long a push waits for its operation, in all, by default. */
#define TISO_LIVE_DEFAULT_OPERATION_TIMEOUT_MS 600000u
#define TISO_LIVE_POLICY_API_VERSION "2020-06-01"

#define TISO_LIVE_OPTIONS_VERSION 1

/* Shows a person where to sign in: open `verification_uri` and enter
 * `user_code`; `message` is the login service's own sentence ("" when
 * none). Called once per device-code sign-in, on the calling thread. */
typedef void (*tiso_live_device_prompt_fn)(void *user, const char *verification_uri, const char *user_code,
                                           const char *message);

/* Options. Initialize with tiso_live_options_init, then change what you
 * need; a zero number means the default. Strings are copied by
 * tiso_live_client_new. */
typedef struct tiso_live_options {
    uint32_t version;          /* TISO_LIVE_OPTIONS_VERSION */
    tiso_graph_options http;   /* cloud, login_url, ca_file, timeouts, retries, body cap and
                                  credentials (client secret triple or token_fn), as for Graph */
    const char *bap_url;       /* NULL: the cloud's (tiso_cloud_bap_url); a host, not a scope */
    const char *bap_token;     /* a caller token for the Power Apps service audience (never
                                  echoed); instead of http's client credentials or callback */
    const char *powerplatform_url;   /* NULL: the cloud's (tiso_cloud_powerplatform_url) */
    const char *powerplatform_token; /* a caller token for the Power Platform API audience */
    uint32_t operation_timeout_ms; /* overall deadline of a push's long operation; default 10 min */
    /* Device-code sign-in (a person at a terminal): with `device_client_id`
     * (the public client) and no other credentials for a service, its first
     * request asks the login service for a device code, shows it through
     * `device_prompt`, and waits for the person to sign in. */
    const char *device_client_id;
    const char *device_tenant; /* where to sign in; NULL: "organizations" */
    tiso_live_device_prompt_fn device_prompt;
    void *device_prompt_user;
    uint32_t poll_floor_ms;    /* FOR TESTS ONLY: the lower clamp of a poll's wait (default,
                                  and the only value for production, TISO_LIVE_POLL_FLOOR_MS) */
} tiso_live_options;

/* Fills `opts` with the defaults (global cloud, no credentials). NULL is
 * fine. Works in every build. */
TISO_API void tiso_live_options_init(tiso_live_options *opts);

/* Each cloud's BAP and Power Platform API base URLs and token scopes (the
 * Terraform provider's table, SPEC 12), e.g. "https://api.bap.microsoft.com"
 * and "https://service.powerapps.com/.default"; NULL for an unknown cloud.
 * TISO_CLOUD_USGOV is GCC High. Static storage. Work in every build. */
TISO_API const char *tiso_cloud_bap_url(tiso_cloud cloud);
TISO_API const char *tiso_cloud_bap_scope(tiso_cloud cloud);
TISO_API const char *tiso_cloud_powerplatform_url(tiso_cloud cloud);
TISO_API const char *tiso_cloud_powerplatform_scope(tiso_cloud cloud);

/* Creates a client. `opts` may be NULL for the defaults. Nothing is sent.
 * The caller owns `*out` and frees it with tiso_live_client_free. Returns
 * TISO_OK, or with `*out` untouched: TISO_E_INVALID_ARGUMENT (NULL `out`,
 * unknown options version or cloud, a bad URL, conflicting credentials),
 * TISO_E_IO (the CA file), TISO_E_NOMEM, TISO_E_UNSUPPORTED (built without
 * the Graph client). */
TISO_API tiso_status tiso_live_client_new(tiso_live_client **out, const tiso_live_options *opts, tiso_error *err);

/* Frees the client and wipes its tokens. NULL is fine. */
TISO_API void tiso_live_client_free(tiso_live_client *client);

/* A policy as the service holds it. */
typedef struct tiso_live_policy {
    int found;          /* 0: the tenant has no policy (GET answered 404: isolation off) */
    char *body;         /* the response body as received, NUL-terminated; NULL when !found.
                           Owned: free with tiso_live_policy_clear */
    size_t len;
    tiso_policy *policy; /* the body loaded (tiso_policy_load_json); NULL when !found. Owned */
    char sha256[65];    /* lowercase hex SHA-256 of the body as received; of zero bytes
                           when !found, so "no policy" has a hash too */
} tiso_live_policy;

/* Frees what `p` owns and zeroes it. NULL is fine. */
TISO_API void tiso_live_policy_clear(tiso_live_policy *p);

/* Reads `tenant`'s policy. `*out` is zeroed first; on TISO_OK it is filled
 * (found or not) and the caller clears it with tiso_live_policy_clear; on
 * failure it holds nothing. Statuses: the network ones above; a body that is
 * not a policy is TISO_E_BAD_RESPONSE naming the loader's reason. */
TISO_API tiso_status tiso_live_policy_get(tiso_live_policy *out, tiso_live_client *client,
                                          const tiso_tenant_id *tenant, tiso_error *err);

/* What a push refuses before sending anything: a policy whose home tenant
 * is not `tenant` (or that has none) is TISO_E_CONFLICT, more than
 * TISO_LIVE_MAX_RULES entries TISO_E_LIMIT, an `expect_sha256` (may be NULL)
 * that is not 64 hex digits TISO_E_INVALID_ARGUMENT; each message ends
 * "nothing pushed". TISO_OK otherwise. Pure; works in every build. */
TISO_API tiso_status tiso_live_policy_check_pushable(const tiso_policy *policy, const tiso_tenant_id *tenant,
                                                     const char *expect_sha256, tiso_error *err);

/* Called while a push waits for its operation: `polls` so far and the wait
 * before the next, for progress. May be NULL. */
typedef void (*tiso_live_progress_fn)(void *user, unsigned polls, uint64_t next_wait_ms);

/* Pushes `policy` as `tenant`'s policy, safely:
 *   1. refuses, sending nothing, what tiso_live_policy_check_pushable
 *      refuses; domain entries must already be resolved (a loaded policy's
 *      are);
 *   2. with `expect_sha256` (64 hex digits; NULL: no check), reads the live
 *      policy and refuses (TISO_E_CONFLICT) when its SHA-256 is another
 *      (someone changed it since the reviewed plan);
 *   3. PUTs tiso_policy_to_json(policy): 200 is done; 202 is polled at its
 *      Operation-Location or Location (same host only) while it answers 202
 *      or 409, waiting Retry-After clamped to [2 s, 60 s], until 200 or the
 *      operation deadline (TISO_E_TIMEOUT); a 200 whose body says
 *      "status": "Failed" is TISO_E_BAD_RESPONSE with the service's error;
 *   4. reads the policy back; it must equal `policy` (home tenant, isolation,
 *      entries with their tenants and directions, in order), otherwise
 *      TISO_E_BAD_RESPONSE saying what the service holds.
 * `*after` (may be NULL) receives the read-back when step 4 ran (whether or
 * not it matched); clear it with tiso_live_policy_clear. A failure before
 * step 3 means nothing was sent; the message of one after it says what the
 * service now holds when that could be read. */
TISO_API tiso_status tiso_live_policy_push(tiso_live_policy *after, tiso_live_client *client,
                                           const tiso_tenant_id *tenant, const tiso_policy *policy,
                                           const char *expect_sha256, tiso_live_progress_fn progress,
                                           void *progress_user, tiso_error *err);

/* ---- The cross-tenant connection report (Power Platform API) ---- */

#define TISO_LIVE_REPORT_API_VERSION "2022-03-01-preview"

/* One answer of the report endpoints, as received, and what it says. */
typedef struct tiso_live_page {
    char *body;          /* the body as received, NUL-terminated; owned (tiso_live_page_clear) */
    size_t len;
    char status[32];     /* "status" (or the older "reportStatus"); "" when absent */
    char report_id[128]; /* "reportId"; "" when absent */
    char *next_link;     /* "@odata.nextLink"; owned; NULL when there is none */
    char error[400];     /* a Failed report's "error" as "code: message"; "" */
} tiso_live_page;

/* Frees what `p` owns and zeroes it. NULL is fine. */
TISO_API void tiso_live_page_clear(tiso_live_page *p);

/* POST {ppapi}/governance/crossTenantConnectionReports: creates today's
 * report, or returns the existing one (one per tenant per day); 200 or 202.
 * `*out` is zeroed first and, on TISO_OK, holds the answer (clear it).
 * Statuses: the network ones; an answer without a reportId, or not a JSON
 * object, is TISO_E_BAD_RESPONSE. */
TISO_API tiso_status tiso_live_report_create(tiso_live_page *out, tiso_live_client *client, tiso_error *err);

/* GET one report (`report_id`: letters, digits, '-', '_', '.'; else
 * TISO_E_INVALID_ARGUMENT, nothing sent), whose first page of connections
 * comes with it once it is Completed; or, with `report_id` NULL, the first
 * page of the list of the tenant's reports ("value"). As create. */
TISO_API tiso_status tiso_live_report_get(tiso_live_page *out, tiso_live_client *client, const char *report_id,
                                          tiso_error *err);

/* Polls report `report_id` until it is Completed (TISO_OK, `*out` its first
 * page) or Failed (TISO_E_BAD_RESPONSE with the service's words; `*out`
 * its answer), waiting the poll floor (2 s) between polls, in all at most
 * the operation timeout (TISO_E_TIMEOUT). `progress` (may be NULL) sees each
 * wait. */
TISO_API tiso_status tiso_live_report_wait(tiso_live_page *out, tiso_live_client *client, const char *report_id,
                                           tiso_live_progress_fn progress, void *progress_user, tiso_error *err);

/* GET the page that a previous page's next link names. A link to any other
 * scheme, host or port than the Power Platform API's is refused
 * (TISO_E_BAD_RESPONSE), never followed: the token goes nowhere else. */
TISO_API tiso_status tiso_live_report_next(tiso_live_page *out, tiso_live_client *client, const char *next_link,
                                           tiso_error *err);

/* One report of the list of a tenant's reports: its fields as the service
 * wrote them, borrowed for the call; NULL when absent or not a string. Not
 * sanitized: they may hold control characters. */
typedef struct tiso_live_report_info {
    const char *report_id;  /* "reportId" */
    const char *status;     /* "status", or (when that is no string) the older "reportStatus" */
    const char *start_date; /* "startDate" */
    const char *end_date;   /* "endDate" */
} tiso_live_report_info;

typedef void (*tiso_live_report_fn)(void *user, const tiso_live_report_info *report);

/* Calls `fn` once per element of the "value" of `page`, a page of the list
 * of reports (tiso_live_report_get with no report ID, or the pages its next
 * links name), in order; an element that is no object gives a call with
 * every field NULL. Returns TISO_OK (also for a page without "value"), or
 * before any call: TISO_E_INVALID_ARGUMENT (NULL `page`, `fn` or body),
 * TISO_E_BAD_RESPONSE (a body that is not JSON, with the reason),
 * TISO_E_NOMEM. Works in every build. */
TISO_API tiso_status tiso_live_report_list_each(tiso_live_report_fn fn, void *user, const tiso_live_page *page,
                                                tiso_error *err);

/* 1 when `a` and `b` say the same thing to the service: the same home
 * tenant, isolation, and entries (tenant or "*", directions) in the same
 * order; display names, domains, unknown keys and the library's own
 * extensions (evaluateNonEntraConnectors) aside. 0 otherwise, or for
 * NULL. Works in every build. */
TISO_API int tiso_live_policy_same(const tiso_policy *a, const tiso_policy *b);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_LIVE_H */
