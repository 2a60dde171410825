/* Feeding a report from inputs: a page or an inventory held in memory, or a
 * file descriptor read to its end. An inventory from a descriptor is read
 * in bounded chunks, one line at a time, so its length costs no memory. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "report_json.h"

#define CHUNK (1024u * 1024u)

/* The record callback that adds to a report (user = report). The writers
 * print the connection's members from the record the reader decoded. */
static tiso_status take_record(void *user, const tiso_connection *c, const tiso__report_record *rec,
                               const tiso_error *problem)
{
    tiso_report *r = user;
    r->record_of = c;
    r->record = rec;
    tiso_status s = problem ? tiso_report_add_problem(r, c, problem, NULL) : tiso_report_add(NULL, r, c, NULL);
    r->record_of = NULL;
    r->record = NULL;
    return s;
}

/* ---- pages ---- */

typedef struct page_feed {
    tiso_report *report;
    const char *source;
    tiso_page_info info; /* filled by the reader before the first entry */
    bool begun;
} page_feed;

static tiso_status take_page_record(void *user, const tiso_connection *c, const tiso__report_record *rec,
                                    const tiso_error *problem)
{
    page_feed *f = user;
    if (!f->begun) {
        if (tiso__report_begin_input(f->report, f->source, &f->info) != TISO_OK)
            return TISO_E_NOMEM;
        f->begun = true;
    }
    return take_record(f->report, c, rec, problem);
}

tiso_status tiso_report_read_page(tiso_report *r, const char *json, size_t len, const char *source, tiso_error *err)
{
    if (!r || !json)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_read_page: NULL pointer");
    page_feed f = {.report = r, .source = source ? source : "<memory>"};
    tiso_status s = tiso__report_read_page(json, len, f.source, &r->opts, &f.info, take_page_record, &f, err);
    if (s == TISO_OK && !f.begun)
        s = tiso__report_begin_input(r, f.source, &f.info); /* a page without connections */
    r->current_input = 0;
    if (s == TISO_E_NOMEM)
        return tiso__fail(err, s, NULL, "out of memory reading %s", f.source);
    return s;
}

/* ---- inventories ---- */

/* Reads the complete lines of text[0..len) from line number *line_no on.
 * Returns the bytes used (up to the last newline, or all when `final`). */
static tiso_status read_lines(tiso_report *r, const char *text, size_t len, bool final, const char *source,
                              uint64_t *line_no, size_t *used)
{
    size_t pos = 0;
    for (;;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        if (!nl && !(final && pos < len))
            break;
        size_t end = nl ? (size_t)(nl - text) : len;
        ++*line_no;
        tiso_status s = tiso__report_read_line(text + pos, end - pos, source, *line_no, &r->opts, take_record, r);
        if (s != TISO_OK)
            return s;
        pos = nl ? end + 1 : len;
    }
    *used = pos;
    return TISO_OK;
}

tiso_status tiso_report_read_inventory(tiso_report *r, const char *text, size_t len, const char *source,
                                       tiso_error *err)
{
    if (!r || (!text && len))
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_read_inventory: NULL pointer");
    source = source ? source : "<memory>";
    tiso_status s = tiso__report_begin_input(r, source, NULL);
    uint64_t line_no = 0;
    size_t used;
    if (s == TISO_OK)
        s = read_lines(r, text ? text : "", len, true, source, &line_no, &used);
    r->current_input = 0;
    if (s != TISO_OK)
        return tiso__fail(err, s, NULL, "out of memory reading %s", source);
    return TISO_OK;
}

/* ---- descriptors ---- */

typedef struct feeder {
    int fd;
    const char *source;
    char *buf;
    size_t len, cap;
    bool eof;
} feeder;

/* Reads until the buffer holds `want` bytes or the input ends. */
static tiso_status fill(feeder *f, size_t want, tiso_error *err)
{
    if (tiso__grow(&f->buf, &f->cap, want + 1, 1) != TISO_OK)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", f->source);
    while (!f->eof && f->len < want) {
        ssize_t n = read(f->fd, f->buf + f->len, want - f->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return tiso__fail(err, TISO_E_IO, NULL, "%s: cannot read: %s", f->source, strerror(errno));
        f->eof = n == 0;
        f->len += (size_t)n;
    }
    return TISO_OK;
}

/* Whether text[pos..) up to the next newline is one JSON object; what it
 * has that a page or an inventory line has. */
typedef struct line_kind {
    bool object, connections, tenants; /* a "connections" array; creatorTenantId or targetTenantId */
} line_kind;

static line_kind kind_of_line(const tiso_report *r, const char *text, size_t len, size_t pos)
{
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    /* Only the kind is decided here: whatever the line's length (at most a
     * chunk), the limits apply when it is read for real. */
    tiso__report_limits l;
    tiso__report_limits_from(&l, &r->opts);
    static const char *const slots[] = {"connections", "creatorTenantId", "targetTenantId", NULL};
    tiso__report_record rec;
    tiso__report_record_init(&rec);
    line_kind k = {0};
    tiso_status s = tiso__report_record_decode(&rec, text + pos, end - pos, slots, "", &l.json, NULL);
    k.object = s == TISO_OK || (s == TISO_E_SCHEMA && rec.count); /* a repeated key is still an object */
    k.connections = k.object && strcmp(rec.type[0], "an array") == 0;
    k.tenants = k.object && (strcmp(rec.type[1], "missing") != 0 || strcmp(rec.type[2], "missing") != 0);
    tiso__report_record_free(&rec);
    return k;
}

/* Whether anything but white space follows the line at `start`, reading
 * on as far as it takes. */
static tiso_status more_after_line(feeder *f, size_t start, bool *more, tiso_error *err)
{
    const char *nl = memchr(f->buf + start, '\n', f->len - start);
    size_t pos = nl ? (size_t)(nl - f->buf) : f->len;
    for (;;) {
        pos = tiso__json_skip_space(f->buf, f->len, pos);
        if (pos < f->len || f->eof) {
            *more = pos < f->len;
            return TISO_OK;
        }
        tiso_status s = fill(f, f->len + CHUNK, err);
        if (s != TISO_OK)
            return s;
    }
}

/* Decides the kind by content (SPEC 6): a page is one JSON document whose
 * object has a "connections" array; anything else is an inventory, whose
 * lines with such an array are errors of their own. One object that could
 * be either fails as a whole. A pretty-printed page's first line is no
 * complete value: a first line that does not parse means a page, unless
 * the second line is an object, in which case it is an inventory whose
 * first line is bad. */
static tiso_status decide_kind(tiso_report *r, feeder *f, size_t start, bool *page, tiso_error *err)
{
    tiso_input_format format = r->opts.input_format;
    *page = format == TISO_INPUT_PAGE;
    if (format != TISO_INPUT_AUTO || start >= f->len)
        return TISO_OK;
    line_kind first = kind_of_line(r, f->buf, f->len, start);
    if (!first.object) {
        const char *nl = memchr(f->buf + start, '\n', f->len - start);
        size_t second = nl ? tiso__json_skip_space(f->buf, f->len, (size_t)(nl - f->buf) + 1) : f->len;
        *page = second >= f->len || !kind_of_line(r, f->buf, f->len, second).object;
        return TISO_OK;
    }
    bool more = false;
    tiso_status s = first.connections ? more_after_line(f, start, &more, err) : TISO_OK;
    if (s != TISO_OK || !first.connections || more)
        return s;
    if (first.tenants) {
        s = tiso__fail(err, TISO_E_SCHEMA, NULL,
                       "%s:1: one object with a \"connections\" array and creatorTenantId or targetTenantId: "
                       "a report page or a one-line inventory? (choose with --input-format page|jsonl)",
                       f->source);
        err->line = 1;
        return s;
    }
    *page = true;
    return TISO_OK;
}

static tiso_status read_page_fd(tiso_report *r, feeder *f, size_t start, tiso_error *err)
{
    tiso__report_limits l;
    tiso__report_limits_from(&l, &r->opts);
    while (!f->eof) {
        if (f->len > l.max_page_bytes)
            return tiso__fail(err, TISO_E_LIMIT, NULL, "%s: larger than the page limit of %llu bytes", f->source,
                              (unsigned long long)l.max_page_bytes);
        tiso_status s = fill(f, f->len + CHUNK, err);
        if (s != TISO_OK)
            return s;
    }
    return tiso_report_read_page(r, f->buf + start, f->len - start, f->source, err);
}

/* Consumes what the buffer holds from `start`: complete lines (all of it at
 * the end of input), or, when a line runs past the limit without a newline,
 * reports it once and skips to its end. Returns the bytes used. */
static tiso_status consume(tiso_report *r, feeder *f, size_t start, uint32_t max_line, uint64_t *line_no,
                           bool *skipping, size_t *used)
{
    const char *text = f->buf + start;
    size_t len = f->len - start;
    if (*skipping) {
        const char *nl = memchr(text, '\n', len);
        *skipping = !nl;
        *used = nl ? (size_t)(nl - text) + 1 : len;
        return TISO_OK;
    }
    tiso_status s = read_lines(r, text, len, f->eof, f->source, line_no, used);
    if (s != TISO_OK || len - *used <= max_line)
        return s;
    s = tiso__report_read_line(text + *used, len - *used, f->source, ++*line_no, &r->opts, take_record, r);
    *used = len;
    *skipping = true;
    return s;
}

/* Streams lines: holds at most one chunk plus one line. */
static tiso_status read_inventory_fd(tiso_report *r, feeder *f, size_t start, tiso_error *err)
{
    tiso__report_limits l;
    tiso__report_limits_from(&l, &r->opts);
    uint64_t line_no = 0;
    bool skipping = false; /* inside an over-long line, already reported */
    tiso_status s = tiso__report_begin_input(r, f->source, NULL);
    if (s != TISO_OK)
        return tiso__fail(err, s, NULL, "%s: out of memory", f->source);
    while (s == TISO_OK) {
        size_t used = 0;
        s = consume(r, f, start, l.max_line_bytes, &line_no, &skipping, &used);
        if (s != TISO_OK) {
            tiso__fail(err, s, NULL, "%s: out of memory", f->source);
            break;
        }
        start += used;
        if (f->eof && start >= f->len)
            break;
        memmove(f->buf, f->buf + start, f->len - start);
        f->len -= start;
        start = 0;
        s = fill(f, f->len + CHUNK, err);
    }
    r->current_input = 0;
    return s;
}

tiso_status tiso_report_read_fd(tiso_report *r, int fd, const char *source, tiso_error *err)
{
    if (!r || fd < 0)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_read_fd: no report or a bad descriptor");
    feeder f = {.fd = fd, .source = source ? source : "<input>"};
    tiso_status s = fill(&f, CHUNK, err);
    size_t start = 0;
    if (s == TISO_OK && f.len >= 2 &&
        ((f.buf[0] == '\xff' && f.buf[1] == '\xfe') || (f.buf[0] == '\xfe' && f.buf[1] == '\xff')))
        s = tiso__fail(err, TISO_E_SYNTAX, NULL,
                       "%s: the file is UTF-16 text; save it as UTF-8 (PowerShell: Out-File -Encoding utf8)", f.source);
    bool page = false;
    if (s == TISO_OK) {
        f.buf[f.len] = '\0';
        start = tiso__json_start(f.buf, f.len); /* past a UTF-8 byte order mark (PowerShell's) and white space */
        s = decide_kind(r, &f, start, &page, err);
    }
    if (s == TISO_OK)
        s = page ? read_page_fd(r, &f, start, err) : read_inventory_fd(r, &f, start, err);
    tiso__free(f.buf);
    return s;
}

tiso_status tiso_report_read_file(tiso_report *r, const char *path, tiso_error *err)
{
    if (!r || !path)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_read_file: NULL pointer");
    int fd;
    struct stat st;
    tiso_status s = tiso__open_file(&fd, &st, path, err);
    if (s != TISO_OK)
        return s;
    s = tiso_report_read_fd(r, fd, path, err);
    close(fd);
    return s;
}
