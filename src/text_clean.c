/* Text made safe to show (see internal.h): one rule for the CLI's lines and
 * the Graph client's copies of what a service said. UTF-8 is judged by the
 * rule every input passes (json_scan.h). */
#include <string.h>

#include "internal.h"
#include "json_scan.h"

/* What control byte `c` is shown as. */
static char control_as(unsigned char c, unsigned how)
{
    bool blank = c == '\n' || c == '\r' || c == '\t' || !(how & TISO__TEXT_MARK_CONTROLS);
    return blank ? ' ' : '?';
}

void tiso__text_clean(char *dst, size_t size, const char *src, size_t len, unsigned how)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0, o = 0;
    if (size == 0)
        return;
    while (src != NULL && i < len) {
        if ((how & TISO__TEXT_FIRST_LINE) && (s[i] == '\r' || s[i] == '\n'))
            break;
        size_t n = s[i] < 0x80 ? 1 : tiso__utf8_len(s + i, len - i);
        if (o + (n ? n : 1) > size - 1)
            break; /* never cut a character in half */
        if (n == 0) {
            dst[o++] = '?'; /* one bad byte becomes one '?' */
            i++;
        } else if (n == 1 && (s[i] < 0x20 || s[i] == 0x7f)) {
            dst[o++] = control_as(s[i++], how);
        } else {
            memcpy(dst + o, s + i, n);
            o += n;
            i += n;
        }
    }
    dst[o] = '\0';
}
