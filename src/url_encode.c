/* Percent-encoding (RFC 3986): one rule for a query's values (Graph, Entra
 * sign-in) and for a file's URI in SARIF. */
#include <stdint.h>
#include <string.h>

#include "internal.h"

char *tiso__url_encode(const char *s, size_t len, const char *keep)
{
    static const char hex[] = "0123456789ABCDEF";
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    char *out = tiso__malloc(len * 3 + 1);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~' || (c != '\0' && strchr(keep, c) != NULL)) {
            out[o++] = (char)c;
        } else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 0xfu];
        }
    }
    out[o] = '\0';
    return out;
}
