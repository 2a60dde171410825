/* Walking validated JSON text (see json_walk.h). */
#include <string.h>

#include "json_walk.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static size_t skip_space(const char *t, size_t len, size_t i)
{
    while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

/* The next '"' or '\\' at or after i (len if none): a string's content is
 * most of a document, so this runs 16 bytes at a time where SSE2 exists. */
static size_t next_quote_or_escape(const char *t, size_t len, size_t i)
{
#if defined(__SSE2__)
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
        if (m)
            return i + (unsigned)__builtin_ctz(m);
    }
#endif
    while (i < len && t[i] != '"' && t[i] != '\\')
        i++;
    return i;
}

/* The next '"', '{', '}', '[' or ']' at or after i (len if none): what a
 * container's end is found by. Setting bit 0x20 takes '[' to '{' and ']'
 * to '}', and no other byte to either. */
static size_t next_structural(const char *t, size_t len, size_t i)
{
#if defined(__SSE2__)
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20)); /* '[' -> '{', ']' -> '}' */
        __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                   _mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{')),
                                                _mm_cmpeq_epi8(folded, _mm_set1_epi8('}'))));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return i + (unsigned)__builtin_ctz(m);
    }
#endif
    while (i < len && t[i] != '"' && t[i] != '{' && t[i] != '}' && t[i] != '[' && t[i] != ']')
        i++;
    return i;
}

/* The offset after the string whose opening quote is at i. */
static size_t string_end(const char *t, size_t len, size_t i)
{
    for (i++; (i = next_quote_or_escape(t, len, i)) < len; i += 2)
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
        while (i < len && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' && t[i] != '\t' &&
               t[i] != '\n' && t[i] != '\r')
            i++;
        return i;
    }
    size_t depth = 0;
    while ((i = next_structural(t, len, i)) < len) {
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
    size_t i = skip_space(t, len, *pos);
    if (i >= len || t[i] == '}' || t[i] == ']') {
        *pos = i < len ? i + 1 : len;
        return false;
    }
    i = skip_space(t, len, i + 1); /* past '{', '[' or ',' */
    if (i >= len || t[i] == '}' || t[i] == ']') {
        *pos = i < len ? i + 1 : len;
        return false;
    }
    if (m) {
        size_t end = string_end(t, len, i);
        m->key = t + i + 1;
        m->key_len = end > i + 1 ? end - i - 2 : 0;
        m->key_escaped = memchr(m->key, '\\', m->key_len) != NULL;
        i = skip_space(t, len, skip_space(t, len, end) + 1); /* past ':' */
        m->value = i;
    }
    *pos = i;
    return true;
}

size_t tiso__json_start(const char *t, size_t len)
{
    return skip_space(t, len, len >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0 ? 3 : 0);
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
