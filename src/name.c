/* Names given for a tenant: tenant ID, broken tenant ID, wildcard or
 * domain (tiso_name_classify). The one place this is decided, so that every
 * surface gives a name the same status. */
#include <string.h>

#include "internal.h"

static bool is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* A brace first, or about a GUID's length without the dot every domain
 * has, with three dashes or more or nothing but hex digits and dashes:
 * meant as a tenant ID, so its error says what is wrong with it as one
 * rather than "not a domain". */
static bool looks_like_tenant_id(const char *text, size_t len)
{
    if (text[0] == '{')
        return true;
    if (len < TISO_TENANT_ID_LEN - 4 || len > TISO_TENANT_ID_LEN + 4 || memchr(text, '.', len))
        return false;
    size_t dashes = 0, hex = 0;
    for (size_t i = 0; i < len; i++) {
        dashes += text[i] == '-';
        hex += is_hex((unsigned char)text[i]);
    }
    return dashes >= 3 || dashes + hex == len;
}

tiso_status tiso_name_classify(tiso_name *out, const char *text, size_t len, tiso_error *err)
{
    if (!out || !text)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "name: NULL pointer");
    tiso_tenant_id id;
    if (tiso__tenant_id_parse(&id, text, len) == TISO_OK) {
        out->kind = TISO_NAME_TENANT_ID;
        out->tenant_id = id;
        out->domain[0] = '\0';
        return TISO_OK;
    }
    if (len == 0)
        return tiso__fail(err, TISO_E_INVALID_TENANT, NULL, "empty name: expected a tenant ID or a domain");
    if (len == 1 && text[0] == '*')
        return tiso__fail(err, TISO_E_INVALID_TENANT, NULL,
                          "'*' is the allowlist's wildcard, not a tenant: it is never evaluated or resolved");
    if (looks_like_tenant_id(text, len))
        return tiso_tenant_id_parse_ex(&id, text, len, err);
    char domain[TISO_DOMAIN_MAX + 1];
    tiso_status s = tiso_domain_normalize(domain, text, len, err);
    if (s != TISO_OK)
        return s;
    out->kind = TISO_NAME_DOMAIN;
    memset(&out->tenant_id, 0, sizeof out->tenant_id);
    memcpy(out->domain, domain, strlen(domain) + 1);
    return TISO_OK;
}
