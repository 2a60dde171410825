/* The JSON validator (see json_scan.h): RFC 8259 syntax plus this library's
 * rules, in one pass that builds no values. For paths it keeps, for each
 * open container, whether it is an object, the current key (as a span of
 * the text) or array index. */
#include <stdio.h>
#include <string.h>

#include "json_scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct frame {
    bool object;
    bool has_key;
    uint32_t index;   /* arrays: the current element */
    size_t key_off, key_len;
} frame;

/* What the validator expects next. */
typedef enum expect {
    EXPECT_VALUE,
    EXPECT_FIRST_KEY,   /* just after '{': a key or '}' */
    EXPECT_KEY,         /* after ',' in an object */
    EXPECT_COLON,
    EXPECT_OBJECT_NEXT, /* ',' or '}' */
    EXPECT_FIRST_VALUE, /* just after '[': a value or ']' */
    EXPECT_ARRAY_NEXT,  /* ',' or ']' */
    EXPECT_END          /* the document is complete: only white space */
} expect;

typedef struct scan {
    const char *text;
    size_t len;
    const tiso__json_limits *lim;
    frame stack[TISO_JSON_SCAN_MAX_DEPTH + 1];
    uint32_t depth;
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

/* The first byte from `i` on that a string's content cannot simply pass:
 * a control character, '"', '\\', or a non-ASCII byte (checked as UTF-8).
 * Most of a policy document is string content (tenant IDs, keys), so this
 * runs 16 bytes at a time where SSE2 exists. */
size_t tiso__json_skip_plain(const char *t, size_t i, size_t len)
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

/* A value starts at `i`; in locate mode, is it the one looked for? */
static void value_starts(scan *s, size_t i)
{
    if (!s->target || s->found != SIZE_MAX)
        return;
    char path[TISO_ERROR_PATH_MAX];
    current_path(s, path, sizeof path);
    if (strcmp(path, s->target) == 0)
        s->found = i;
}

static tiso_status truncated(const scan *s, tiso_error *err)
{
    return fail_at(s, err, TISO_E_SYNTAX, s->len, "malformed JSON: unexpected end of input (truncated?)");
}

/* A byte that cannot stand where it is: named as precisely as it can be. */
static tiso_status bad_byte(const scan *s, size_t i, tiso_error *err)
{
    unsigned char c = (unsigned char)s->text[i];
    if (c == 0)
        return fail_at(s, err, TISO_E_SYNTAX, i, "NUL byte in JSON text");
    if (c >= 0x80 && !tiso__utf8_len((const unsigned char *)s->text + i, s->len - i))
        return fail_at(s, err, TISO_E_SYNTAX, i, "invalid UTF-8");
    return fail_at(s, err, TISO_E_SYNTAX, i, "malformed JSON");
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int hex4(const char *t)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        char c = t[k];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A \u escape at t[i] ('\\'): 6 bytes, or 12 for a surrogate pair. Escaped
 * NULs are refused (cJSON would cut the string there: "isDisabled\u0000x"
 * would read as "isDisabled"), and so are lone surrogates. */
static tiso_status unicode_escape(const scan *s, size_t i, size_t *next, tiso_error *err)
{
    if (s->len - i < 6)
        return truncated(s, err);
    int cp = hex4(s->text + i + 2);
    if (cp < 0)
        return fail_at(s, err, TISO_E_SYNTAX, i, "malformed JSON: invalid \\u escape");
    if (cp == 0)
        return fail_at(s, err, TISO_E_SYNTAX, i, "escaped NUL (\\u0000) in a string");
    if (cp >= 0xdc00 && cp <= 0xdfff)
        return fail_at(s, err, TISO_E_SYNTAX, i, "malformed JSON: lone surrogate escape in a string");
    if (cp >= 0xd800 && cp <= 0xdbff) {
        size_t left = s->len - i - 6; /* after the high half */
        const char *low_at = s->text + i + 6;
        if (left < 6 && (left == 0 || (low_at[0] == '\\' && (left == 1 || low_at[1] == 'u'))))
            return truncated(s, err); /* the text ends where the low half would be */
        int low = left >= 6 && low_at[0] == '\\' && low_at[1] == 'u' ? hex4(low_at + 2) : -1;
        if (low < 0xdc00 || low > 0xdfff)
            return fail_at(s, err, TISO_E_SYNTAX, i, "malformed JSON: lone surrogate escape in a string");
        *next = i + 12;
        return TISO_OK;
    }
    *next = i + 6;
    return TISO_OK;
}

/* The string whose opening quote is at *pos; *pos ends after its closing
 * quote. A key is remembered in the top frame, for paths. */
static tiso_status scan_string(scan *s, size_t *pos, bool key, tiso_error *err)
{
    const char *t = s->text;
    size_t start = *pos + 1, i = start;
    for (;;) {
        i = tiso__json_skip_plain(t, i, s->len);
        if (i >= s->len)
            return truncated(s, err);
        unsigned char c = (unsigned char)t[i];
        if (c == '"')
            break;
        if (c == '\\') {
            if (i + 1 >= s->len)
                return truncated(s, err);
            char e = t[i + 1];
            if (e == 'u') {
                tiso_status st = unicode_escape(s, i, &i, err);
                if (st != TISO_OK)
                    return st;
            } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                i += 2;
            } else {
                return fail_at(s, err, TISO_E_SYNTAX, i, "malformed JSON: invalid escape in a string");
            }
        } else if (c == 0) {
            return fail_at(s, err, TISO_E_SYNTAX, i, "NUL byte in JSON text");
        } else if (c < 0x20) {
            return fail_at(s, err, TISO_E_SYNTAX, i, "control character in a string (escape it)");
        } else {
            size_t n = tiso__utf8_len((const unsigned char *)t + i, s->len - i);
            if (!n)
                return fail_at(s, err, TISO_E_SYNTAX, i, "invalid UTF-8");
            i += n;
        }
    }
    if (i - start > s->lim->max_string_bytes) {
        char what[96];
        snprintf(what, sizeof what, "JSON string longer than %u bytes", s->lim->max_string_bytes);
        return fail_at(s, err, TISO_E_LIMIT, start, what);
    }
    if (key) {
        frame *f = &s->stack[s->depth];
        f->key_off = start;
        f->key_len = i - start;
        f->has_key = true;
    }
    *pos = i + 1;
    return TISO_OK;
}

static size_t skip_digits(const char *t, size_t i, size_t len)
{
    while (i < len && t[i] >= '0' && t[i] <= '9')
        i++;
    return i;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at *pos. */
static tiso_status scan_number(scan *s, size_t *pos, tiso_error *err)
{
    const char *t = s->text;
    size_t i = *pos, len = s->len;
    if (t[i] == '-')
        i++;
    if (i >= len)
        return truncated(s, err);
    if (t[i] == '0')
        i++;
    else if (t[i] >= '1' && t[i] <= '9')
        i = skip_digits(t, i, len);
    else
        return bad_byte(s, i, err);
    if (i < len && t[i] == '.') {
        if (++i >= len)
            return truncated(s, err);
        if (t[i] < '0' || t[i] > '9')
            return bad_byte(s, i, err);
        i = skip_digits(t, i, len);
    }
    if (i < len && (t[i] == 'e' || t[i] == 'E')) {
        if (++i < len && (t[i] == '+' || t[i] == '-'))
            i++;
        if (i >= len)
            return truncated(s, err);
        if (t[i] < '0' || t[i] > '9')
            return bad_byte(s, i, err);
        i = skip_digits(t, i, len);
    }
    *pos = i;
    return TISO_OK;
}

static tiso_status scan_literal(scan *s, size_t *pos, const char *word, tiso_error *err)
{
    size_t i = *pos;
    for (const char *w = word; *w; w++, i++) {
        if (i >= s->len)
            return truncated(s, err);
        if (s->text[i] != *w)
            return bad_byte(s, i, err);
    }
    *pos = i;
    return TISO_OK;
}

static tiso_status open_container(scan *s, size_t i, bool object, tiso_error *err)
{
    if (s->depth + 1 > s->lim->max_depth) {
        char what[96];
        snprintf(what, sizeof what, "JSON nested deeper than %u levels", s->lim->max_depth);
        return fail_at(s, err, TISO_E_LIMIT, i, what);
    }
    s->stack[++s->depth] = (frame){.object = object};
    return TISO_OK;
}

/* What comes after a complete value. */
static expect after_value(const scan *s)
{
    if (s->depth == 0)
        return EXPECT_END;
    return s->stack[s->depth].object ? EXPECT_OBJECT_NEXT : EXPECT_ARRAY_NEXT;
}

/* One value starting at *pos: a scalar is read whole, a container opened. */
static tiso_status scan_value(scan *s, size_t *pos, expect *next, tiso_error *err)
{
    size_t i = *pos;
    value_starts(s, i);
    tiso_status st;
    switch (s->text[i]) {
    case '"':
        st = scan_string(s, pos, false, err);
        break;
    case '{':
    case '[':
        st = open_container(s, i, s->text[i] == '{', err);
        *pos = i + 1;
        *next = s->text[i] == '{' ? EXPECT_FIRST_KEY : EXPECT_FIRST_VALUE;
        return st;
    case 't':
        st = scan_literal(s, pos, "true", err);
        break;
    case 'f':
        st = scan_literal(s, pos, "false", err);
        break;
    case 'n':
        st = scan_literal(s, pos, "null", err);
        break;
    default:
        st = s->text[i] == '-' || (s->text[i] >= '0' && s->text[i] <= '9') ? scan_number(s, pos, err)
                                                                           : bad_byte(s, i, err);
        break;
    }
    *next = after_value(s);
    return st;
}

static tiso_status scan_key(scan *s, size_t *pos, expect *want, tiso_error *err)
{
    if (s->text[*pos] != '"')
        return bad_byte(s, *pos, err);
    *want = EXPECT_COLON;
    return scan_string(s, pos, true, err);
}

/* One token at *pos (not white space), given what is expected there. */
static tiso_status step(scan *s, size_t *pos, expect *want, tiso_error *err)
{
    size_t i = *pos;
    char c = s->text[i];
    frame *top = &s->stack[s->depth];
    switch (*want) {
    case EXPECT_FIRST_VALUE:
    case EXPECT_FIRST_KEY:
        if (c == (*want == EXPECT_FIRST_KEY ? '}' : ']')) {
            s->depth--;
            *pos = i + 1;
            *want = after_value(s);
            return TISO_OK;
        }
        if (*want == EXPECT_FIRST_VALUE)
            return scan_value(s, pos, want, err);
        return scan_key(s, pos, want, err);
    case EXPECT_KEY:
        return scan_key(s, pos, want, err);
    case EXPECT_COLON:
        if (c != ':')
            return bad_byte(s, i, err);
        *pos = i + 1;
        *want = EXPECT_VALUE;
        return TISO_OK;
    case EXPECT_VALUE:
        return scan_value(s, pos, want, err);
    case EXPECT_OBJECT_NEXT:
    case EXPECT_ARRAY_NEXT:
        if (c == ',') {
            if (*want == EXPECT_ARRAY_NEXT)
                top->index++;
            else
                top->has_key = false; /* until the next key: errors name the object */
            *want = *want == EXPECT_ARRAY_NEXT ? EXPECT_VALUE : EXPECT_KEY;
            *pos = i + 1;
            return TISO_OK;
        }
        if (c != (*want == EXPECT_OBJECT_NEXT ? '}' : ']'))
            return bad_byte(s, i, err);
        s->depth--;
        *pos = i + 1;
        *want = after_value(s);
        return TISO_OK;
    case EXPECT_END:
        break;
    }
    if (c == 0 || (unsigned char)c >= 0x80)
        return bad_byte(s, i, err);
    return fail_at(s, err, TISO_E_SYNTAX, i, "trailing characters after the JSON document");
}

static tiso_status run(scan *s, tiso_error *err)
{
    expect want = EXPECT_VALUE;
    /* A byte order mark before the document is allowed (RFC 8259, 8.1), as
     * cJSON skips it: Windows tools write one. */
    for (size_t i = s->len >= 3 && memcmp(s->text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;;) {
        while (i < s->len && is_ws(s->text[i]))
            i++;
        if (i == s->len)
            return want == EXPECT_END ? TISO_OK : truncated(s, err);
        tiso_status st = step(s, &i, &want, err);
        if (st != TISO_OK || (s->target && s->found != SIZE_MAX))
            return st;
    }
}

static void scan_init(scan *s, const char *text, size_t len, const tiso__json_limits *lim)
{
    s->text = text;
    s->len = len;
    s->lim = lim;
    s->depth = 0;
    s->stack[0] = (frame){.object = false};
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
