/* UTF-8 validation and one-line sanitizing (see cli_text.h). */
#include "cli_text.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at `s` (at most `avail` bytes), or 0 if
 * the bytes there are not one. Follows RFC 3629's table of well-formed
 * sequences, so overlong forms and UTF-16 surrogates are rejected. */
static size_t utf8_sequence_length(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        return 1;
    }
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) {
            lo = 0xA0;
        } else if (c == 0xED) {
            hi = 0x9F;
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) {
            lo = 0x90;
        } else if (c == 0xF4) {
            hi = 0x8F;
        }
    } else {
        return 0;
    }
    if (avail < n || s[1] < lo || s[1] > hi) {
        return 0;
    }
    for (size_t i = 2; i < n; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF) {
            return 0;
        }
    }
    return n;
}

size_t cli_utf8_check(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_sequence_length(s + i, len - i);
        if (n == 0) {
            return i;
        }
        i += n;
    }
    return len;
}

void cli_text_one_line(char *out, size_t size, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text);
    size_t i = 0, o = 0;
    while (i < len) {
        size_t n = utf8_sequence_length(s + i, len - i);
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

int cli_text_is_blank(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r' && text[i] != '\n') {
            return 0;
        }
    }
    return 1;
}

int cli_text_starts_with(const char *text, const char *prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

void cli_text_locate(const char *text, size_t offset, size_t *line, size_t *column)
{
    size_t l = 1, line_start = 0;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            l++;
            line_start = i + 1;
        }
    }
    *line = l;
    *column = offset - line_start + 1;
}

size_t cli_text_skip_blank(const char *text, size_t len, size_t offset)
{
    while (offset < len && cli_text_is_blank(text + offset, 1)) {
        offset++;
    }
    return offset;
}

size_t cli_json_escaped_nul(const char *text, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (text[i] != '\\')
            continue;
        if (text[i + 1] == 'u' && len - i >= 6 && memcmp(text + i + 2, "0000", 4) == 0)
            return i;
        i++; /* the escaped character is never the start of another escape */
    }
    return len;
}
