/* The live-service client's internals (include/tenantiso/live.h), shared by
 * the files of src/live/. Never installed. One file per concern:
 *   live_common.c    the clouds' BAP and Power Platform hosts and scopes,
 *                    options defaults, policy comparison (every build)
 *   live_url.c       pure helpers: URLs, the same-host rule, the poll wait
 *   live_client.c    the client: a Graph client for the HTTP machinery, one
 *                    token source per audience, one authorized exchange
 *   live_policy.c    GET, PUT, the long operation and the read-back
 *   live_device.c    the device authorization grant (a person at a terminal)
 *   live_report.c    the cross-tenant connection reports: create, read, wait, next page
 * In a build without the Graph client, src/clients_disabled.c answers the API. */
#ifndef TISO_LIVE_INTERNAL_H
#define TISO_LIVE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h"
#include "tenantiso/live.h"

/* ---- live_url.c (pure; no network) ---- */

/* "{bap}/providers/PowerPlatform.Governance/v1/tenants/{tenant}/tenantIsolationPolicy?api-version=2020-06-01",
 * tiso__malloc'd; NULL when out of memory. `bap_url` has no trailing slash. */
char *tiso__live_policy_url(const char *bap_url, const tiso_tenant_id *tenant);

/* True when absolute `url` has the scheme, host and port of `base` (ASCII
 * case-insensitive, default ports filled in) and carries no user or
 * password: the only URLs the bearer token may be sent to. False for
 * anything that does not parse. */
bool tiso__live_same_origin(const char *url, const char *base);

/* How long to wait before the next poll: the Retry-After value (seconds or
 * an HTTP date relative to `now_unix`; NULL or unparsable: none) clamped to
 * [floor_ms, TISO_LIVE_POLL_CAP_MS]; floor_ms when there is none. */
uint64_t tiso__live_poll_wait_ms(const char *retry_after, int64_t now_unix, uint32_t floor_ms);

/* An operation's final body: "Failed" (or "Canceled") as status means it
 * failed; any other body, or none, is success. On failure `detail` gets
 * "code: message" from its "error" (or ""). Parsed through the library's
 * JSON intake. Returns true when the operation failed. */
bool tiso__live_operation_failed(const char *body, size_t len, char *detail, size_t size);

#endif /* TISO_LIVE_INTERNAL_H */
