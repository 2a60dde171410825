/* Domain names: validated and normalized before they reach a resolver or a
 * URL. The rules are deliberately narrower than DNS allows: LDH labels only,
 * so nothing that could change a URL's meaning ever gets through. */
#include <string.h>

#include "internal.h"

static bool is_ldh(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static tiso_status bad(tiso_error *err, const char *why, size_t pos, unsigned char c)
{
    if (c >= 0x21 && c < 0x7f)
        return tiso__fail(err, TISO_E_INVALID_DOMAIN, NULL, "not a domain name: %s ('%c' at character %zu)",
                          why, c, pos + 1);
    return tiso__fail(err, TISO_E_INVALID_DOMAIN, NULL,
                      "not a domain name: %s (byte 0x%02x at character %zu)", why, c, pos + 1);
}

/* Checks one label [start, end) of the already lowercased name. */
static tiso_status check_label(const char *s, size_t start, size_t end, tiso_error *err)
{
    size_t n = end - start;
    if (n == 0)
        return tiso__fail(err, TISO_E_INVALID_DOMAIN, NULL,
                          "not a domain name: empty label at character %zu", start + 1);
    if (n > 63)
        return tiso__fail(err, TISO_E_INVALID_DOMAIN, NULL,
                          "not a domain name: label at character %zu is %zu characters long (at most 63)",
                          start + 1, n);
    if (s[start] == '-' || s[end - 1] == '-')
        return tiso__fail(err, TISO_E_INVALID_DOMAIN, NULL,
                          "not a domain name: label at character %zu starts or ends with '-'", start + 1);
    return TISO_OK;
}

tiso_status tiso_domain_normalize(char *out, const char *text, size_t len, tiso_error *err)
{
    if (!out || !text)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "domain: NULL pointer");
    if (len > 0 && text[len - 1] == '.')
        len--; /* the root's dot: "contoso.com." is "contoso.com" */
    if (len == 0)
        return tiso__fail(err, TISO_E_INVALID_DOMAIN, NULL, "not a domain name: empty");
    if (len > TISO_DOMAIN_MAX)
        return tiso__fail(err, TISO_E_INVALID_DOMAIN, NULL,
                          "not a domain name: %zu characters long (at most %d)", len, TISO_DOMAIN_MAX);
    char buf[TISO_DOMAIN_MAX + 1];
    size_t labels = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || text[i] == '.') {
            tiso_status s = check_label(buf, start, i, err);
            if (s != TISO_OK)
                return s;
            labels++;
            start = i + 1;
            if (i < len)
                buf[i] = '.';
            continue;
        }
        unsigned char c = (unsigned char)text[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + ('a' - 'A'));
        if (!is_ldh(c))
            return bad(err, c >= 0x80 ? "non-ASCII byte (use the xn-- form)" : "character not allowed", i, c);
        buf[i] = (char)c;
    }
    if (labels < 2)
        return tiso__fail(err, TISO_E_INVALID_DOMAIN, NULL,
                          "not a domain name: needs at least two labels (\"contoso.com\")");
    memcpy(out, buf, len);
    out[len] = '\0';
    return TISO_OK;
}
