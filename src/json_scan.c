/* The JSON scanner (see json_scan.h). It tracks just enough structure to
 * name paths: for each open container, whether it is an object, the current
 * key (as a span of the text) or array index. It does not build values. */
#include <stdio.h>
#include <string.h>

#include "json_scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct frame {
    bool object;
    bool want_key; /* objects: the next string is a key */
    bool has_key;
    uint32_t index;   /* arrays: the current element */
    size_t key_off, key_len;
} frame;

typedef struct scan {
    const char *text;
    size_t len;
    const tiso__json_limits *lim;
    frame stack[TISO_JSON_SCAN_MAX_DEPTH + 1];
    uint32_t depth;
    bool in_string, escaped, string_is_key, expect_value;
    size_t string_start;
    const char *target; /* locate mode: the path looked for */
    size_t found;       /* locate mode: its offset, or SIZE_MAX */
} scan;

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if invalid
 * (overlong forms, surrogates and code points past U+10FFFF are invalid). */
size_t tiso__utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len == 0 || n < len)
        return 0;
    uint32_t cp = c & (len == 2 ? 0x1fu : len == 3 ? 0x0fu : 0x07u);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return len;
}

/* The path of the value at the current position. */
static void current_path(const scan *s, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (uint32_t d = 1; d <= s->depth && n < cap; d++) {
        const frame *f = &s->stack[d];
        int w;
        if (f->object && !f->has_key)
            break;
        if (f->object)
            w = snprintf(buf + n, cap - n, "%s%.*s", n ? "." : "", (int)f->key_len, s->text + f->key_off);
        else
            w = snprintf(buf + n, cap - n, "[%u]", f->index);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    tiso__utf8_cut(buf);
}

static tiso_status fail_at(const scan *s, tiso_error *err, tiso_status status, size_t at, const char *what)
{
    char path[TISO_ERROR_PATH_MAX];
    current_path(s, path, sizeof path);
    tiso__fail(err, status, path, "%s", what);
    tiso__error_locate(err, s->text, s->len, at);
    return status;
}

/* A value starts at `i`; in locate mode, is it the one looked for? */
static void value_starts(scan *s, size_t i)
{
    s->expect_value = false;
    if (!s->target || s->found != SIZE_MAX)
        return;
    char path[TISO_ERROR_PATH_MAX];
    current_path(s, path, sizeof path);
    if (strcmp(path, s->target) == 0)
        s->found = i;
}

static tiso_status string_byte(scan *s, size_t i, tiso_error *err)
{
    unsigned char c = (unsigned char)s->text[i];
    if (c < 0x20)
        return fail_at(s, err, TISO_E_SYNTAX, i, "control character in a string (escape it)");
    if (s->escaped) {
        s->escaped = false;
        /* cJSON would cut the string at an escaped NUL: "isDisabled\u0000x"
         * would read as "isDisabled". Refuse it outright. */
        if (c == 'u' && s->len - i > 4 && memcmp(s->text + i + 1, "0000", 4) == 0)
            return fail_at(s, err, TISO_E_SYNTAX, i - 1, "escaped NUL (\\u0000) in a string");
    } else if (c == '\\') {
        s->escaped = true;
    } else if (c == '"') {
        s->in_string = false;
        if (i - s->string_start > s->lim->max_string_bytes) {
            char what[96];
            snprintf(what, sizeof what, "JSON string longer than %u bytes", s->lim->max_string_bytes);
            return fail_at(s, err, TISO_E_LIMIT, s->string_start, what);
        }
        if (s->string_is_key) {
            frame *f = &s->stack[s->depth];
            f->key_off = s->string_start;
            f->key_len = i - s->string_start;
            f->has_key = true;
            f->want_key = false;
        }
    }
    return TISO_OK;
}

static tiso_status open_container(scan *s, size_t i, bool object, tiso_error *err)
{
    value_starts(s, i);
    if (s->depth + 1 > s->lim->max_depth) {
        char what[96];
        snprintf(what, sizeof what, "JSON nested deeper than %u levels", s->lim->max_depth);
        return fail_at(s, err, TISO_E_LIMIT, i, what);
    }
    s->stack[++s->depth] = (frame){.object = object, .want_key = object};
    s->expect_value = !object;
    return TISO_OK;
}

/* One byte outside strings: structure, and where values start. */
static tiso_status structure_byte(scan *s, size_t i, tiso_error *err)
{
    char c = s->text[i];
    frame *top = &s->stack[s->depth];
    switch (c) {
    case '"':
        s->in_string = true;
        s->string_start = i + 1;
        s->string_is_key = s->depth > 0 && top->object && top->want_key;
        if (!s->string_is_key)
            value_starts(s, i);
        return TISO_OK;
    case '{':
    case '[':
        return open_container(s, i, c == '{', err);
    case '}':
    case ']':
        if (s->depth > 0)
            s->depth--;
        return TISO_OK;
    case ',':
        if (s->depth > 0 && top->object)
            top->want_key = true;
        else if (s->depth > 0)
            top->index++;
        s->expect_value = s->depth > 0 && !top->object;
        return TISO_OK;
    case ':':
        s->expect_value = true;
        return TISO_OK;
    case ' ':
    case '\t':
    case '\n':
    case '\r':
        return TISO_OK;
    default:
        if (s->expect_value)
            value_starts(s, i); /* a number, true, false or null */
        return TISO_OK;
    }
}

/* The first byte from `i` on that a string's content cannot simply pass:
 * a control character, '"', '\\', or a non-ASCII byte (checked as UTF-8).
 * Most of a policy document is string content (tenant IDs, keys), so this
 * runs 16 bytes at a time where SSE2 exists. */
static size_t skip_plain(const char *t, size_t i, size_t len)
{
#if defined(__SSE2__)
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        /* signed compare: bytes of 0x80 and up are negative, so below 0x20 */
        __m128i stop = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                                    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
        unsigned m = (unsigned)_mm_movemask_epi8(stop);
        if (m)
            return i + (unsigned)__builtin_ctz(m);
    }
#endif
    for (; i < len; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
            break;
    }
    return i;
}

static tiso_status run(scan *s, tiso_error *err)
{
    for (size_t i = 0; i < s->len;) {
        if (s->in_string && !s->escaped) {
            i = skip_plain(s->text, i, s->len);
            if (i == s->len)
                break;
        }
        unsigned char c = (unsigned char)s->text[i];
        if (c == 0)
            return fail_at(s, err, TISO_E_SYNTAX, i, "NUL byte in JSON text");
        if (c >= 0x80) {
            size_t n = tiso__utf8_len((const unsigned char *)s->text + i, s->len - i);
            if (!n)
                return fail_at(s, err, TISO_E_SYNTAX, i, "invalid UTF-8");
            i += n;
            continue;
        }
        tiso_status st = s->in_string ? string_byte(s, i, err) : structure_byte(s, i, err);
        if (st != TISO_OK || (s->target && s->found != SIZE_MAX))
            return st;
        i++;
    }
    return TISO_OK;
}

static void scan_init(scan *s, const char *text, size_t len, const tiso__json_limits *lim)
{
    s->text = text;
    s->len = len;
    s->lim = lim;
    s->depth = 0;
    s->in_string = s->escaped = s->string_is_key = false;
    s->expect_value = true;
    s->target = NULL;
    s->found = SIZE_MAX;
}

/* The scanner's frames take 20 KiB: on the heap, not the caller's stack. */
tiso_status tiso__json_prescan(const char *text, size_t len, const tiso__json_limits *lim, tiso_error *err)
{
    scan *s = tiso__malloc(sizeof *s);
    if (!s)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    scan_init(s, text, len, lim);
    tiso_status st = run(s, err);
    tiso__free(s);
    return st;
}

void tiso__json_locate_path(tiso_error *err, const char *text, size_t len, const char *path)
{
    static const tiso__json_limits lim = {UINT64_MAX, TISO_JSON_SCAN_MAX_DEPTH, UINT32_MAX};
    scan *s = err && path ? tiso__malloc(sizeof *s) : NULL;
    if (!s)
        return;
    scan_init(s, text, len, &lim);
    s->target = path;
    tiso_error ignored;
    run(s, &ignored);
    if (s->found != SIZE_MAX)
        tiso__error_locate(err, text, len, s->found);
    tiso__free(s);
}

size_t tiso__utf8_cut(char *s)
{
    size_t n = strlen(s), lead = n;
    while (lead > 0 && n - lead < 4 && ((unsigned char)s[lead - 1] & 0xc0) == 0x80)
        lead--; /* back over continuation bytes to the character's first byte */
    if (lead == 0 || (unsigned char)s[lead - 1] < 0xc0)
        return n;
    unsigned char c = (unsigned char)s[--lead];
    size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    if (n - lead < need) {
        s[lead] = '\0';
        return lead;
    }
    return n;
}

bool tiso__utf8_valid(const char *text, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = (unsigned char)text[i] < 0x80 ? 1 : tiso__utf8_len((const unsigned char *)text + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}
