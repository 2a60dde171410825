/* One-line sanitizing (see cli_text.h). UTF-8 is judged by the library's own
 * rule (json_scan.h), the one every input passes. */
#include "cli_text.h"

#include <string.h>

#include "json_scan.h"

void cli_text_one_line(char *out, size_t size, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text);
    size_t i = 0, o = 0;
    while (i < len) {
        size_t n = s[i] < 0x80 ? 1 : tiso__utf8_len(s + i, len - i);
        if (n == 0) {
            n = 1; /* one bad byte becomes one '?' */
        }
        if (o + n >= size) {
            break; /* never cut a character in half */
        }
        if (n == 1 && (s[i] < 0x20 || s[i] >= 0x7F)) {
            out[o++] = (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') ? ' ' : '?';
        } else {
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    out[o] = '\0';
}
