/* Response parsers of the Graph client: pure functions over bytes, no I/O,
 * no globals, no clock (the caller passes the time). Unit-tested and fuzzed
 * apart from the transport. Bodies need not be NUL-terminated. */
#ifndef TISO_GRAPH_PARSE_H
#define TISO_GRAPH_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tenantiso.h"
#include "tenantiso/graph.h"

/* An error body of the login service ({"error": "invalid_tenant",
 * "error_description": "AADSTS90002: ...", "error_codes": [90002]}) or of
 * Graph ({"error": {"code": "Request_ResourceNotFound", "message": "..."}}).
 * Strings are sanitized: printable, first line only, truncated. */
typedef struct tiso__service_error {
    char code[64];         /* "invalid_tenant", "Request_ResourceNotFound"; "" if none */
    char description[320]; /* "AADSTS90002: Tenant 'x' not found. ..."; "" if none */
    uint32_t aadsts;       /* the AADSTS number (from error_codes or the description); 0 if none */
} tiso__service_error;

/* Parses an error body. Returns true if it found an error code or a
 * description; `*out` is always initialized (empty strings when false). */
bool tiso__parse_service_error(tiso__service_error *out, const char *body, size_t len);

/* True for the login service's "this tenant or domain does not exist":
 * error invalid_tenant or AADSTS90002. */
bool tiso__service_error_is_unknown_tenant(const tiso__service_error *e);

/* Writes "code: description" (or whichever is present) into `buf`; "" when
 * neither. Returns `buf`. */
const char *tiso__service_error_text(const tiso__service_error *e, char *buf, size_t size);

/* Graph's tenantInformation: {"tenantId": GUID, "displayName": ...,
 * "defaultDomainName": ..., "federationBrandName": ...}; the strings may be
 * null or absent. Returns TISO_OK, or TISO_E_BAD_RESPONSE (not JSON, not an
 * object, no or a non-string tenantId, a tenantId that is not a tenant ID)
 * with the reason in `err` (not prefixed). `*out` is zeroed first. */
tiso_status tiso__parse_tenant_info(tiso_graph_tenant_info *out, const char *body, size_t len, tiso_error *err);

/* An OpenID discovery document: the tenant ID is the first path segment of
 * "issuer" and of "token_endpoint" (https://login.../{tenant}/v2.0). At
 * least one must be present; when both are, they must agree. Returns TISO_OK
 * or TISO_E_BAD_RESPONSE with the reason in `err`. */
tiso_status tiso__parse_openid_config(tiso_tenant_id *out, const char *body, size_t len, tiso_error *err);

/* An OAuth2 token response: {"token_type": "Bearer", "access_token": "...",
 * "expires_in": 3599 or "3599"}. On TISO_OK, `*token` is a NUL-terminated
 * copy (tiso__malloc; the caller wipes and frees it) and `*expires_in_s` the
 * lifetime. Returns TISO_E_BAD_RESPONSE (missing, empty or non-printable
 * token, a token_type other than Bearer, a missing, negative or non-numeric
 * expires_in) or TISO_E_NOMEM. The message never contains the token. */
tiso_status tiso__parse_token_response(char **token, uint64_t *expires_in_s, const char *body, size_t len,
                                       tiso_error *err);

/* A Retry-After value: whole seconds ("120"), fractional seconds ("2.128"),
 * or an HTTP date (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT"), the latter
 * relative to `now_unix` (seconds since 1970, UTC). Surrounding spaces are
 * allowed. A date in the past gives 0. Large values saturate. Returns false
 * for anything else (the caller falls back to its own backoff). */
bool tiso__parse_retry_after(uint64_t *delay_ms, const char *value, size_t len, int64_t now_unix);

/* True if `len` bytes are a usable bearer token: 1 byte or more, printable
 * ASCII without spaces (so it cannot break a header line). */
bool tiso__token_chars_ok(const char *s, size_t len);

/* Copies text for a message: control characters become spaces, the copy
 * stops at the first line break, and it is truncated to `size` - 1 bytes at
 * a UTF-8 character boundary. Always NUL-terminates (when size > 0). */
void tiso__sanitize_text(char *dst, size_t size, const char *src, size_t len);

/* Copies a JSON string value into a fixed field: truncated to `size` - 1
 * bytes at a UTF-8 character boundary, NUL-terminated. */
void tiso__copy_utf8(char *dst, size_t size, const char *src);

#endif /* TISO_GRAPH_PARSE_H */
