/* Buffered output with escaping. Every escaper repairs invalid UTF-8 (one
 * U+FFFD per bad byte), so whatever a hostile input holds, a JSON, CSV or
 * HTML output stays well-formed and an HTML page stays inert. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_scan.h"
#include "report_writer.h"

static const char REPLACEMENT[] = "\xef\xbf\xbd";

void tiso__report_out_flush(tiso__report_out *o)
{
    if (o->len && o->status == TISO_OK && o->fn(o->user, o->buf, o->len) != 0)
        o->status = TISO_E_IO;
    o->len = 0;
}

void tiso__report_out_bytes_slow(tiso__report_out *o, const char *s, size_t n)
{
    if (o->status != TISO_OK)
        return;
    if (o->len + n > sizeof o->buf) {
        tiso__report_out_flush(o);
        if (n > sizeof o->buf) {
            if (o->status == TISO_OK && o->fn(o->user, s, n) != 0)
                o->status = TISO_E_IO;
            return;
        }
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

void tiso__report_out_printf(tiso__report_out *o, const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n > 0)
        tiso__report_out_bytes(o, small, (size_t)n < sizeof small ? (size_t)n : sizeof small - 1);
}

void tiso__report_out_int(tiso__report_out *o, long long n)
{
    char text[24];
    char *p = text + sizeof text;
    unsigned long long u = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (n < 0)
        *--p = '-';
    tiso__report_out_bytes(o, p, (size_t)(text + sizeof text - p));
}

void tiso__report_out_id(tiso__report_out *o, const tiso_tenant_id *id)
{
    char text[TISO_TENANT_ID_LEN + 1];
    if (tiso__id_nil(id)) {
        tiso__report_out_str(o, "-");
        return;
    }
    tiso__tenant_id_format(id, text);
    tiso__report_out_bytes(o, text, TISO_TENANT_ID_LEN);
}

char *tiso__report_utf8_repair(const char *s, size_t n)
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
 * to copy it); multi-byte characters are copied when valid. An escaper
 * that is `plain_quiet` copies every plain byte (printable ASCII, DEL too,
 * but '"' and '\\'), so runs of them are passed over (tiso__json_skip_plain)
 * without asking it byte by byte. */
static void escaped(tiso__report_out *o, const char *s, const char *(*escape)(unsigned char c, char tmp[8]),
                    bool plain_quiet)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    const unsigned char *run = p; /* from here on, bytes to copy as they are */
    while (p < end) {
        if (plain_quiet) {
            p += tiso__json_skip_plain((const char *)p, 0, (size_t)(end - p));
            if (p == end)
                break;
        }
        char tmp[8];
        const char *rep;
        if (*p >= 0x80) {
            size_t n = tiso__utf8_len(p, (size_t)(end - p));
            if (n) {
                p += n;
                continue;
            }
            rep = REPLACEMENT;
        } else if ((rep = escape(*p, tmp)) == NULL) {
            p++;
            continue;
        }
        tiso__report_out_bytes(o, (const char *)run, (size_t)(p - run));
        tiso__report_out_str(o, rep);
        run = ++p;
    }
    tiso__report_out_bytes(o, (const char *)run, (size_t)(p - run));
}

static const char *json_escape(unsigned char c, char tmp[8])
{
    static const char *const named[] = {['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['\r'] = "\\r",
                                        ['\t'] = "\\t", ['\b'] = "\\b",  ['\f'] = "\\f"};
    if (c < sizeof named / sizeof named[0] && named[c])
        return named[c];
    if (c >= 0x20)
        return NULL;
    snprintf(tmp, 8, "\\u%04x", c);
    return tmp;
}

void tiso__report_out_json_string(tiso__report_out *o, const char *s)
{
    if (!s) {
        tiso__report_out_str(o, "null");
        return;
    }
    tiso__report_out_bytes(o, "\"", 1);
    escaped(o, s, json_escape, true);
    tiso__report_out_bytes(o, "\"", 1);
}

static const char *html_escape(unsigned char c, char tmp[8])
{
    (void)tmp;
    static const char *const named[] = {
        ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"};
    if (c < sizeof named / sizeof named[0] && named[c])
        return named[c];
    /* Control characters have no business in a page: show them as '?'. */
    return c < 0x20 && c != '\n' && c != '\t' ? "?" : NULL;
}

void tiso__report_out_html(tiso__report_out *o, const char *s)
{
    if (s)
        escaped(o, s, html_escape, false);
}

static const char *csv_escape(unsigned char c, char tmp[8])
{
    (void)tmp;
    return c == '"' ? "\"\"" : NULL;
}

void tiso__report_out_csv(tiso__report_out *o, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    /* OWASP's CSV injection advice: a cell a spreadsheet would read as a
     * formula gets a leading ' (inside the quotes, when there are any). */
    bool formula = n && strchr("=+-@", s[0]);
    bool quoted = strpbrk(s, ",\"\r\n") != NULL;
    if (quoted)
        tiso__report_out_bytes(o, "\"", 1);
    if (formula)
        tiso__report_out_bytes(o, "'", 1);
    escaped(o, s, csv_escape, true); /* most fields are plain bytes, passed over as a run */
    if (quoted)
        tiso__report_out_bytes(o, "\"", 1);
}

static const char *plain_escape(unsigned char c, char tmp[8])
{
    (void)tmp;
    return c < 0x20 || c == 0x7f ? "?" : NULL;
}

void tiso__report_out_plain(tiso__report_out *o, const char *s)
{
    if (s) /* DEL is no plain byte here */
        escaped(o, s, plain_escape, false);
}
