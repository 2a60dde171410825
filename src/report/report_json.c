/* JSON helpers shared by the report's readers and writers (see
 * report_json.h). */
#include <stdio.h>
#include <string.h>

#include "report_json.h"

tiso__json_limits tiso__report_json_limits(const tiso_report_options *opts, uint64_t max_bytes)
{
    tiso__report_limits l;
    tiso__report_limits_from(&l, opts);
    return (tiso__json_limits){max_bytes, l.max_depth, l.max_string_bytes};
}

const char *const tiso__report_connector_keys[] = {"connector", "connectorId", "apiId", NULL};

/* ---- the walk ---- */

/* cJSON refuses objects and arrays nested deeper than this; so does the
 * walk, so that whatever cJSON prints can be walked again. */
#define WALK_MAX_DEPTH CJSON_NESTING_LIMIT

typedef struct walker {
    const char *p, *end;
    bool exact;  /* cJSON would print what was walked so far as it is */
    bool spaced; /* white space skipped since last cleared */
} walker;

static bool json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The next byte, or NUL at the end (a NUL is never valid outside strings). */
static char peek(const walker *w)
{
    return w->p < w->end ? *w->p : '\0';
}

static void skip_space(walker *w)
{
    const char *p = w->p;
    while (p < w->end && json_space(*p))
        p++;
    w->spaced |= p != w->p;
    w->p = p;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The escape at w->p (its backslash). cJSON prints \" \\ \b \f \n \r \t
 * and \u00xx (lowercase) for the other control characters, everything else
 * as the character itself. It cuts a string at an escaped NUL, and the
 * pre-scan refuses one; surrogates are left to cJSON. */
static bool walk_escape(walker *w)
{
    if (w->end - w->p < 2)
        return false;
    char c = w->p[1];
    if (c != '\0' && memchr("\"\\bfnrt", c, 7)) {
        w->p += 2;
        return true;
    }
    if (c == '/') {
        w->exact = false;
        w->p += 2;
        return true;
    }
    if (c != 'u' || w->end - w->p < 6)
        return false;
    unsigned code = 0;
    for (int i = 2; i < 6; i++) {
        int d = hex_digit(w->p[i]);
        if (d < 0)
            return false;
        code = code * 16 + (unsigned)d;
    }
    if (code == 0 || (code >= 0xd800 && code <= 0xdfff))
        return false;
    char printed[8];
    snprintf(printed, sizeof printed, "\\u%04x", code);
    if (code >= 0x20 || memchr("\b\f\n\r\t", (int)code, 5) || memcmp(w->p, printed, 6) != 0)
        w->exact = false;
    w->p += 6;
    return true;
}

/* The string at w->p (its opening quote). cJSON copies raw bytes as they
 * are; a writer repairs invalid UTF-8 first, so only valid UTF-8 is exact.
 * Raw control characters are cJSON's to judge. */
static bool walk_string(walker *w, bool *escaped)
{
    const char *p = w->p + 1, *end = w->end;
    for (;;) {
        p += tiso__report_plain_run(p, (size_t)(end - p));
        if (p >= end)
            return false;
        unsigned char c = (unsigned char)*p;
        if (c == 0x7f) {
            p++;
            continue;
        }
        if (c == '"') {
            w->p = p + 1;
            return true;
        }
        if (c == '\\') {
            *escaped = true;
            w->p = p;
            if (!walk_escape(w))
                return false;
            p = w->p;
            continue;
        }
        if (c < 0x20)
            return false;
        size_t n = tiso__utf8_len((const unsigned char *)p, (size_t)(end - p));
        if (n == 0) {
            w->exact = false;
            n = 1;
        }
        p += n;
    }
}

static const char *skip_digits(const char *p, const char *end)
{
    while (p < end && is_digit(*p))
        p++;
    return p;
}

/* A number in JSON's grammar. cJSON reads at most 63 of its characters, and
 * prints an integer in int's range as written except for "-0". */
static bool walk_number(walker *w)
{
    const char *start = w->p, *end = w->end;
    const char *digits = start + (*start == '-');
    if (digits >= end || !is_digit(*digits))
        return false;
    const char *p = *digits == '0' ? digits + 1 : skip_digits(digits, end);
    bool integer = true;
    if (p < end && *p == '.') {
        if (++p >= end || !is_digit(*p))
            return false;
        p = skip_digits(p, end);
        integer = false;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p += p + 1 < end && (p[1] == '+' || p[1] == '-') ? 2 : 1;
        if (p >= end || !is_digit(*p))
            return false;
        p = skip_digits(p, end);
        integer = false;
    }
    if (p - start > 63)
        return false;
    if (!integer || (p - digits) > 9 || (*start == '-' && *digits == '0'))
        w->exact = false;
    w->p = p;
    return true;
}

static bool walk_word(walker *w, const char *word, size_t n)
{
    if ((size_t)(w->end - w->p) < n || memcmp(w->p, word, n) != 0)
        return false;
    w->p += n;
    return true;
}

static bool walk_scalar(walker *w)
{
    bool escaped = false;
    switch (peek(w)) {
    case '"':
        return walk_string(w, &escaped);
    case 't':
        return walk_word(w, "true", 4);
    case 'f':
        return walk_word(w, "false", 5);
    case 'n':
        return walk_word(w, "null", 4);
    default:
        return peek(w) == '-' || is_digit(peek(w)) ? walk_number(w) : false;
    }
}

/* A member's name and colon; `m` (may be NULL) gets the name. */
static bool walk_key(walker *w, tiso__report_member *m)
{
    if (peek(w) != '"')
        return false;
    const char *key = w->p + 1;
    bool escaped = false;
    if (!walk_string(w, &escaped))
        return false;
    if (m) {
        m->key = key;
        m->key_len = (size_t)(w->p - 1 - key);
        m->key_escaped = escaped;
    }
    skip_space(w);
    if (peek(w) != ':')
        return false;
    w->p++;
    skip_space(w);
    return true;
}

/* One value at w->p, a member's of the object walked, so one level deep
 * already. Containers inside are walked without recursion: a bit per level
 * says whether the container there is an object. */
static bool walk_value(walker *w)
{
    if (peek(w) != '{' && peek(w) != '[') /* most values */
        return walk_scalar(w);
    uint64_t object[WALK_MAX_DEPTH / 64 + 1] = {0};
    unsigned depth = 0; /* containers open inside the value */
    bool want_value = true;
    for (;;) {
        if (want_value) {
            char c = peek(w);
            if (c != '{' && c != '[') {
                if (!walk_scalar(w))
                    return false;
                want_value = false;
                continue;
            }
            if (depth + 2 > WALK_MAX_DEPTH)
                return false;
            if (c == '{')
                object[depth / 64] |= 1ull << (depth % 64);
            else
                object[depth / 64] &= ~(1ull << (depth % 64));
            depth++;
            w->p++;
            skip_space(w);
            if (peek(w) == (c == '{' ? '}' : ']')) {
                w->p++;
                depth--;
                want_value = false;
            } else if (c == '{' && !walk_key(w, NULL)) {
                return false;
            }
            continue;
        }
        if (depth == 0)
            return true;
        skip_space(w);
        bool in_object = (object[(depth - 1) / 64] >> ((depth - 1) % 64)) & 1;
        char c = peek(w);
        if (c == (in_object ? '}' : ']')) {
            w->p++;
            depth--;
            continue;
        }
        if (c != ',')
            return false;
        w->p++;
        skip_space(w);
        if (in_object && !walk_key(w, NULL))
            return false;
        want_value = true;
    }
}

tiso__report_walk tiso__report_walk_object(const char *s, size_t n, tiso__report_member_fn fn, void *user)
{
    walker w = {.p = s, .end = s + n, .exact = true};
    skip_space(&w);
    if (peek(&w) != '{')
        return TISO__WALK_OTHER;
    w.p++;
    skip_space(&w);
    bool more = peek(&w) != '}';
    if (!more)
        w.p++;
    while (more) {
        tiso__report_member m;
        if (!walk_key(&w, &m))
            return TISO__WALK_OTHER;
        m.value = w.p;
        w.spaced = false;
        if (!walk_value(&w))
            return TISO__WALK_OTHER;
        m.value_len = (size_t)(w.p - m.value);
        m.value_spaced = w.spaced;
        if (fn)
            fn(user, &m);
        skip_space(&w);
        char c = peek(&w);
        if (c != ',' && c != '}')
            return TISO__WALK_OTHER;
        w.p++;
        more = c == ',';
        skip_space(&w);
    }
    skip_space(&w);
    if (w.p != w.end)
        return TISO__WALK_OTHER;
    return w.exact ? TISO__WALK_EXACT : TISO__WALK_READ;
}

/* The walk let through only escapes it knows, and no NUL or surrogate. */
bool tiso__report_member_string(const tiso__report_member *m, char *out)
{
    if (m->value_len < 2 || m->value[0] != '"')
        return false;
    const char *p = m->value + 1, *end = m->value + m->value_len - 1;
    while (p < end) {
        const char *bs = memchr(p, '\\', (size_t)(end - p));
        size_t run = (size_t)((bs ? bs : end) - p);
        memcpy(out, p, run);
        out += run;
        p += run;
        if (!bs)
            break;
        char c = p[1];
        p += 2;
        switch (c) {
        case 'b':
            *out++ = '\b';
            break;
        case 'f':
            *out++ = '\f';
            break;
        case 'n':
            *out++ = '\n';
            break;
        case 'r':
            *out++ = '\r';
            break;
        case 't':
            *out++ = '\t';
            break;
        case 'u': {
            unsigned code = 0;
            for (int i = 0; i < 4; i++)
                code = code * 16 + (unsigned)hex_digit(p[i]);
            p += 4;
            if (code < 0x80) {
                *out++ = (char)code;
            } else if (code < 0x800) {
                *out++ = (char)(0xc0 | (code >> 6));
                *out++ = (char)(0x80 | (code & 0x3f));
            } else {
                *out++ = (char)(0xe0 | (code >> 12));
                *out++ = (char)(0x80 | ((code >> 6) & 0x3f));
                *out++ = (char)(0x80 | (code & 0x3f));
            }
            break;
        }
        default: /* " \ / */
            *out++ = c;
            break;
        }
    }
    *out = '\0';
    return true;
}

void tiso__report_json_compact(const char *s, size_t n, void (*emit)(void *user, const char *run, size_t len),
                               void *user)
{
    size_t run = 0; /* from here on, bytes not yet emitted */
    for (size_t i = 0; i < n;) {
        char c = s[i++];
        if (c == '"') { /* a string, passed over to its closing quote */
            while (i < n) {
                i += tiso__report_plain_run(s + i, n - i);
                if (i < n && s[i] == '"') {
                    i++;
                    break;
                }
                i += i < n && s[i] == '\\' ? 2 : 1;
            }
        } else if (json_space(c)) {
            if (i - 1 > run)
                emit(user, s + run, i - 1 - run);
            run = i;
        }
    }
    if (n > run)
        emit(user, s + run, n - run);
}
