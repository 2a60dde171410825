/* libtenantiso: tenant IDs and domain names.
 *
 * A tenant ID is a Microsoft Entra tenant's GUID. It is parsed once into 128
 * bits and compared as bytes from then on. Domains are validated and
 * normalized before they can reach a resolver or a URL.
 *
 * All functions here are pure: safe from any number of threads at once. */
#ifndef TENANTISO_TENANT_H
#define TENANTISO_TENANT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A parsed tenant ID: the 16 bytes in the order the hex digits appear in the
 * text form ("00112233-4455-..." gives bytes 0x00, 0x11, 0x22, ...). All zero
 * (the nil GUID) means "none" wherever a field may be absent; it is never a
 * valid tenant. */
typedef struct tiso_tenant_id {
    uint8_t bytes[16];
} tiso_tenant_id;

/* Length of the canonical text form, without the terminating NUL. */
#define TISO_TENANT_ID_LEN 36
/* Longest normalized domain, without the terminating NUL. */
#define TISO_DOMAIN_MAX 253

/* Parses exactly `len` bytes of `text` as a tenant ID: 8-4-4-4-12 hex digits
 * in either case, no braces, no surrounding space, not the nil GUID.
 * `text` need not be NUL-terminated. On failure `*out` is left unchanged.
 * Returns TISO_OK, TISO_E_INVALID_TENANT, or TISO_E_INVALID_ARGUMENT when
 * `out` or `text` is NULL. This is on the hot path: no allocation, no locale. */
TISO_API tiso_status tiso_tenant_id_parse(tiso_tenant_id *out, const char *text, size_t len);

/* Like tiso_tenant_id_parse, but explains a failure in `err`
 * ("character 14 is 'g', not a hex digit", "the nil GUID is not a tenant"). */
TISO_API tiso_status tiso_tenant_id_parse_ex(tiso_tenant_id *out, const char *text, size_t len,
                                            tiso_error *err);

/* Writes the canonical lowercase form and a NUL into `out`, which must hold
 * TISO_TENANT_ID_LEN + 1 bytes. Returns TISO_E_INVALID_ARGUMENT for NULL. */
TISO_API tiso_status tiso_tenant_id_format(const tiso_tenant_id *id, char *out);

/* 1 if the two IDs are equal, 0 otherwise (0 when either is NULL). */
TISO_API int tiso_tenant_id_equal(const tiso_tenant_id *a, const tiso_tenant_id *b);

/* 1 if `id` is the nil GUID (all zero) or NULL, 0 otherwise. */
TISO_API int tiso_tenant_id_is_nil(const tiso_tenant_id *id);

/* Validates `len` bytes of `text` as a domain name and writes its normalized
 * form (lowercase, one trailing dot dropped) and a NUL into `out`, which must
 * hold TISO_DOMAIN_MAX + 1 bytes. Rules: at most 253 characters, at least two
 * labels, each label 1 to 63 of a-z 0-9 '-' not starting or ending with '-';
 * international names only in their xn-- form. Anything else (quotes,
 * slashes, spaces, '?', '..', '@', empty) is rejected before it can reach a
 * URL. Returns TISO_OK, TISO_E_INVALID_DOMAIN (with the reason and position
 * in `err`) or TISO_E_INVALID_ARGUMENT for NULL pointers. */
TISO_API tiso_status tiso_domain_normalize(char *out, const char *text, size_t len, tiso_error *err);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_TENANT_H */
