/* libtenantiso: resolvers turn domain names into tenant IDs.
 *
 * The evaluator never touches the network: a policy entry or a request given
 * by domain is resolved beforehand through a resolver. This header offers a
 * static map (from a {"domain": "tenant-id"} JSON document, or built in code)
 * and a resolver that calls the caller back. The Graph client (graph.h) adds a
 * network resolver with the same interface.
 *
 * Thread safety: tiso_resolver_resolve may be called from any number of
 * threads at once on a static-map resolver that is no longer being added to;
 * tiso_resolver_static_add must not run concurrently with anything else on
 * the same resolver. A callback resolver is as thread-safe as its callback. */
#ifndef TENANTISO_RESOLVER_H
#define TENANTISO_RESOLVER_H

#include "common.h"
#include "tenant.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tiso_resolver tiso_resolver;

/* Caller-supplied resolution. `domain` is already normalized (see
 * tiso_domain_normalize) and NUL-terminated; `user` is the pointer given to
 * tiso_resolver_new_callback. Return TISO_OK and fill `*out`, or return
 * TISO_E_NOT_FOUND for an unknown domain, or any other status for a failure
 * (filling `err`, which is never NULL, if you have detail). A nil `*out` with
 * TISO_OK is treated as TISO_E_BAD_RESPONSE. */
typedef tiso_status (*tiso_resolve_fn)(void *user, const char *domain, tiso_tenant_id *out,
                                       tiso_error *err);

/* Creates an empty static-map resolver. The caller owns `*out` and frees it
 * with tiso_resolver_free. Returns TISO_OK, TISO_E_NOMEM or
 * TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_resolver_new_static(tiso_resolver **out, tiso_error *err);

/* Adds `domain` -> `tenant` to a static-map resolver. The domain is validated
 * and normalized; adding the same domain twice with a different tenant fails
 * with TISO_E_SCHEMA. Returns TISO_OK, TISO_E_INVALID_DOMAIN,
 * TISO_E_INVALID_TENANT (nil), TISO_E_SCHEMA, TISO_E_NOMEM or
 * TISO_E_INVALID_ARGUMENT (NULL, or `r` is not a static-map resolver). */
TISO_API tiso_status tiso_resolver_static_add(tiso_resolver *r, const char *domain,
                                              const tiso_tenant_id *tenant, tiso_error *err);

/* Creates a static-map resolver from a JSON object {"domain": "tenant-id", ...}
 * of `len` bytes (need not be NUL-terminated). Errors name the key and its
 * line and column. Returns TISO_OK, TISO_E_SYNTAX, TISO_E_SCHEMA,
 * TISO_E_INVALID_DOMAIN, TISO_E_INVALID_TENANT, TISO_E_LIMIT (64 MiB,
 * 1,000,000 names), TISO_E_NOMEM or TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_resolver_load_map_json(tiso_resolver **out, const char *json, size_t len,
                                                 tiso_error *err);

/* Same as tiso_resolver_load_map_json, reading the file at `path`.
 * Adds TISO_E_IO for a file that cannot be read (missing, a directory). */
TISO_API tiso_status tiso_resolver_load_map_file(tiso_resolver **out, const char *path,
                                                 tiso_error *err);

/* Creates a resolver that calls `fn(user, ...)` for each name. `user` stays
 * the caller's; it must outlive the resolver. Returns TISO_OK, TISO_E_NOMEM
 * or TISO_E_INVALID_ARGUMENT (`fn` NULL). */
TISO_API tiso_status tiso_resolver_new_callback(tiso_resolver **out, tiso_resolve_fn fn, void *user,
                                                tiso_error *err);

/* Resolves `name`, a NUL-terminated tenant ID or domain, classified by
 * tiso_name_classify: a tenant ID is parsed and returned without consulting
 * anything; "*", "" and broken tenant IDs fail with TISO_E_INVALID_TENANT;
 * a domain is validated, normalized and looked up. `r` may be NULL, in
 * which case only tenant IDs succeed and a domain fails with
 * TISO_E_RESOLVE. Returns TISO_OK, TISO_E_INVALID_DOMAIN,
 * TISO_E_INVALID_TENANT, TISO_E_NOT_FOUND, TISO_E_RESOLVE,
 * TISO_E_INVALID_ARGUMENT (NULL pointer), or whatever a callback or network
 * resolver returns. */
TISO_API tiso_status tiso_resolver_resolve(tiso_tenant_id *out, tiso_resolver *r, const char *name, tiso_error *err);

/* Frees a resolver. NULL is fine. A resolver must outlive any call using it,
 * but not the policies loaded through it (they keep only tenant IDs). */
TISO_API void tiso_resolver_free(tiso_resolver *r);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_RESOLVER_H */
