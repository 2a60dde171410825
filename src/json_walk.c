/* Walking validated JSON text (see json_walk.h). */
#include <string.h>

#include "json_walk.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

size_t tiso__json_skip_space(const char *t, size_t len, size_t i)
{
    while (i < len && tiso__json_is_space(t[i]))
        i++;
    return i;
}

/* What a scan stops at: '"' always; within a string also '\\' (a string's
 * content ends or escapes there), between values also '{', '}', '[' and ']'
 * (what a container's end is found by). */
enum stop { STOP_IN_STRING, STOP_STRUCTURAL };

/* Setting bit 0x20 takes '[' to '{' and ']' to '}', and no other byte to either. */
static bool stops_at(char ch, enum stop s)
{
    if (s == STOP_IN_STRING)
        return ch == '"' || ch == '\\';
    return ch == '"' || (ch | 0x20) == '{' || (ch | 0x20) == '}';
}

/* The next byte at or after i that `s` stops at (len if none): a string's
 * content is most of a document, so this runs 16 bytes at a time where SSE2
 * exists. */
static inline size_t next_stop(const char *t, size_t len, size_t i, enum stop s)
{
#if defined(__SSE2__)
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        __m128i hit = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
        if (s == STOP_IN_STRING) {
            hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
        } else {
            __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
            hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{')),
                                                 _mm_cmpeq_epi8(folded, _mm_set1_epi8('}'))));
        }
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return i + (unsigned)__builtin_ctz(m);
    }
#endif
    while (i < len && !stops_at(t[i], s))
        i++;
    return i;
}

/* The offset after the string whose opening quote is at i. */
static size_t string_end(const char *t, size_t len, size_t i)
{
    for (i++; (i = next_stop(t, len, i, STOP_IN_STRING)) < len; i += 2)
        if (t[i] == '"')
            return i + 1;
    return len;
}

size_t tiso__json_value_end(const char *t, size_t len, size_t i)
{
    if (i >= len)
        return len;
    if (t[i] == '"')
        return string_end(t, len, i);
    if (t[i] != '{' && t[i] != '[') {
        while (i < len && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' && t[i] != '\t' && t[i] != '\n' &&
               t[i] != '\r')
            i++;
        return i;
    }
    size_t depth = 0;
    while ((i = next_stop(t, len, i, STOP_STRUCTURAL)) < len) {
        char c = t[i];
        if (c == '"') {
            i = string_end(t, len, i);
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if (--depth == 0)
            return i + 1;
        i++;
    }
    return len;
}

bool tiso__json_next(const char *t, size_t len, size_t *pos, tiso__json_member *m)
{
    size_t i = tiso__json_skip_space(t, len, *pos);
    if (i >= len || t[i] == '}' || t[i] == ']') {
        *pos = i < len ? i + 1 : len;
        return false;
    }
    i = tiso__json_skip_space(t, len, i + 1); /* past '{', '[' or ',' */
    if (i >= len || t[i] == '}' || t[i] == ']') {
        *pos = i < len ? i + 1 : len;
        return false;
    }
    if (m) {
        size_t end = string_end(t, len, i);
        m->key = t + i + 1;
        m->key_len = end > i + 1 ? end - i - 2 : 0;
        m->key_escaped = memchr(m->key, '\\', m->key_len) != NULL;
        i = tiso__json_skip_space(t, len, tiso__json_skip_space(t, len, end) + 1); /* past ':' */
        m->value = i;
    }
    *pos = i;
    return true;
}

static unsigned hex4(const char *t)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++)
        v = v * 16 + (unsigned)(t[k] <= '9' ? t[k] - '0' : (t[k] | 0x20) - 'a' + 10);
    return v;
}

/* Writes code point `cp` as UTF-8; returns the bytes written. */
static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

size_t tiso__json_string(const char *t, size_t len, size_t at, char *out)
{
    size_t n = 0;
    for (size_t i = at + 1; i < len;) {
        size_t j = next_stop(t, len, i, STOP_IN_STRING);
        memcpy(out + n, t + i, j - i);
        n += j - i;
        if (j + 1 >= len || t[j] == '"')
            break;
        char e = t[j + 1];
        i = j + 2;
        if (e != 'u') {
            const char *from = "bfnrt", *to = "\b\f\n\r\t";
            const char *k = strchr(from, e);
            out[n++] = k ? to[k - from] : e; /* " \\ / stand for themselves */
            continue;
        }
        if (len - i < 4)
            break;
        unsigned cp = hex4(t + i);
        i += 4;
        if (cp >= 0xd800 && cp <= 0xdbff && len - i >= 6 && t[i] == '\\' && t[i + 1] == 'u') {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (hex4(t + i + 2) - 0xdc00);
            i += 6;
        }
        n += put_utf8(out + n, cp);
    }
    out[n] = '\0';
    return n;
}

size_t tiso__json_start(const char *t, size_t len)
{
    return tiso__json_skip_space(t, len, len >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0 ? 3 : 0);
}

const char *tiso__json_kind_name(char c)
{
    switch (c) {
    case '"':
        return "a string";
    case '{':
        return "an object";
    case '[':
        return "an array";
    case 't':
    case 'f':
        return "a boolean";
    case 'n':
        return "null";
    default:
        return "a number";
    }
}
