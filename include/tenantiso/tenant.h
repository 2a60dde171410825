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
TISO_API tiso_status tiso_tenant_id_format(char *out, const tiso_tenant_id *id);

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

/* What a name given for a tenant is: a tenant ID or a domain. */
typedef enum tiso_name_kind {
    TISO_NAME_TENANT_ID = 1,
    TISO_NAME_DOMAIN = 2
} tiso_name_kind;

/* A classified name. Fixed layout; allocate it yourself (on the stack is
 * fine). Exactly one of the two values is set, as `kind` says. */
typedef struct tiso_name {
    tiso_name_kind kind;
    tiso_tenant_id tenant_id;          /* TISO_NAME_TENANT_ID: the parsed ID; nil for a domain */
    char domain[TISO_DOMAIN_MAX + 1];  /* TISO_NAME_DOMAIN: the normalized domain; "" for an ID */
} tiso_name;

/* Classifies `len` bytes of `text` (need not be NUL-terminated), a name
 * given where a tenant is expected: a request's creator or target, an
 * inventory's or report page's tenant, a name to resolve. Every command of
 * the CLI, the report and the Python module classify names here, so a name
 * gets the same answer everywhere. The one rule, in this order:
 *   - empty: TISO_E_INVALID_TENANT;
 *   - "*": TISO_E_INVALID_TENANT (the wildcard is a policy entry, never a
 *     tenant to evaluate or resolve);
 *   - a tenant ID (tiso_tenant_id_parse: 8-4-4-4-12 hex digits, either
 *     case): kind TISO_NAME_TENANT_ID;
 *   - text that looks like a tenant ID but is not one: a leading '{', or 32
 *     to 40 bytes without a dot holding three dashes or more or only hex
 *     digits and dashes (the nil GUID, braces, a trailing space, 37
 *     characters, dashes missing): TISO_E_INVALID_TENANT, `err` saying what
 *     is wrong with it as a tenant ID;
 *   - anything else is a domain: kind TISO_NAME_DOMAIN, normalized as
 *     tiso_domain_normalize does, or TISO_E_INVALID_DOMAIN with its reason.
 * On failure `*out` is left unchanged. Returns TISO_OK,
 * TISO_E_INVALID_TENANT, TISO_E_INVALID_DOMAIN, or TISO_E_INVALID_ARGUMENT
 * when `out` or `text` is NULL. No allocation; safe from any thread. */
TISO_API tiso_status tiso_name_classify(tiso_name *out, const char *text, size_t len, tiso_error *err);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_TENANT_H */
