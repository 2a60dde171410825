/* Buffered output with escaping. Every escaper repairs invalid UTF-8 (one
 * U+FFFD per bad byte), so whatever a hostile input holds, a JSON, CSV or
 * HTML output stays well-formed and an HTML page stays inert. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_scan.h"
#include "report_writer.h"

static const char REPLACEMENT[] = "\xef\xbf\xbd";

void tiso__out_flush(tiso__out *o)
{
    if (o->len && o->status == TISO_OK && o->fn(o->user, o->buf, o->len) != 0)
        o->status = TISO_E_IO;
    o->len = 0;
}

void tiso__out_bytes(tiso__out *o, const char *s, size_t n)
{
    if (o->status != TISO_OK)
        return;
    if (o->len + n > sizeof o->buf) {
        tiso__out_flush(o);
        if (n > sizeof o->buf) {
            if (o->status == TISO_OK && o->fn(o->user, s, n) != 0)
                o->status = TISO_E_IO;
            return;
        }
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

void tiso__out_str(tiso__out *o, const char *s)
{
    tiso__out_bytes(o, s, strlen(s));
}

void tiso__out_printf(tiso__out *o, const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n > 0)
        tiso__out_bytes(o, small, (size_t)n < sizeof small ? (size_t)n : sizeof small - 1);
}

void tiso__out_id(tiso__out *o, const tiso_tenant_id *id)
{
    char text[TISO_TENANT_ID_LEN + 1];
    if (tiso__id_nil(id)) {
        tiso__out_str(o, "-");
        return;
    }
    tiso__tenant_id_format(id, text);
    tiso__out_bytes(o, text, TISO_TENANT_ID_LEN);
}

/* Length of the valid UTF-8 sequence at NUL-terminated `p`, 0 if invalid.
 * The decoder stops at the first byte that is not a continuation, so it
 * never reads past the terminating NUL. */
static size_t utf8_at(const unsigned char *p)
{
    return *p < 0x80 ? 1 : tiso__utf8_len(p, 4);
}

char *tiso__utf8_repair(const char *s, size_t n)
{
    /* At most three bytes out for each byte in. */
    char *out = n < SIZE_MAX / 3 ? tiso__malloc(n * 3 + 1) : NULL;
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : tiso__utf8_len((const unsigned char *)s + i, n - i);
        if (len && i + len <= n) {
            memcpy(out + o, s + i, len);
            o += len;
            i += len;
        } else {
            memcpy(out + o, REPLACEMENT, 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

/* Writes `s` with `escape` choosing, per ASCII byte, a replacement (or NULL
 * to copy it); multi-byte characters are copied when valid. */
static void escaped(tiso__out *o, const char *s, const char *(*escape)(unsigned char c, char tmp[8]))
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *run = p;
        size_t n;
        char tmp[8];
        const char *rep = NULL;
        while (*p && (n = utf8_at(p)) != 0 && (n > 1 || !(rep = escape(*p, tmp))))
            p += n;
        tiso__out_bytes(o, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        tiso__out_str(o, rep ? rep : REPLACEMENT);
        p++;
    }
}

static const char *json_escape(unsigned char c, char tmp[8])
{
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    default:
        break;
    }
    if (c >= 0x20)
        return NULL;
    snprintf(tmp, 8, "\\u%04x", c);
    return tmp;
}

void tiso__out_json_string(tiso__out *o, const char *s)
{
    if (!s) {
        tiso__out_str(o, "null");
        return;
    }
    tiso__out_bytes(o, "\"", 1);
    escaped(o, s, json_escape);
    tiso__out_bytes(o, "\"", 1);
}

static const char *html_escape(unsigned char c, char tmp[8])
{
    (void)tmp;
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        /* Control characters have no business in a page: show them as '?'. */
        return c < 0x20 && c != '\n' && c != '\t' ? "?" : NULL;
    }
}

void tiso__out_html(tiso__out *o, const char *s)
{
    if (s)
        escaped(o, s, html_escape);
}

static const char *csv_escape(unsigned char c, char tmp[8])
{
    (void)tmp;
    return c == '"' ? "\"\"" : NULL;
}

void tiso__out_csv(tiso__out *o, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        escaped(o, s, csv_escape);
        return;
    }
    tiso__out_bytes(o, "\"", 1);
    escaped(o, s, csv_escape);
    tiso__out_bytes(o, "\"", 1);
}

static const char *plain_escape(unsigned char c, char tmp[8])
{
    (void)tmp;
    return c < 0x20 || c == 0x7f ? "?" : NULL;
}

void tiso__out_plain(tiso__out *o, const char *s)
{
    if (s)
        escaped(o, s, plain_escape);
}
