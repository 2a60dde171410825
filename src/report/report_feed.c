/* Feeding a report from inputs: a page or an inventory held in memory, or a
 * file descriptor read to its end. An inventory from a descriptor is read
 * in bounded chunks, one line at a time, so its length costs no memory. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_json.h"

#define CHUNK (1024u * 1024u)

tiso_status tiso__report_take_record(void *user, const tiso_connection *c, const tiso_error *problem)
{
    tiso_report *r = user;
    return problem ? tiso_report_add_problem(r, c, problem, NULL) : tiso_report_add(r, c, NULL, NULL);
}

/* ---- pages ---- */

typedef struct page_feed {
    tiso_report *report;
    const char *source;
    tiso_page_info info; /* filled by the reader before the first entry */
    bool begun;
} page_feed;

static tiso_status take_page_record(void *user, const tiso_connection *c, const tiso_error *problem)
{
    page_feed *f = user;
    if (!f->begun) {
        if (tiso__report_begin_input(f->report, f->source, &f->info) != TISO_OK)
            return TISO_E_NOMEM;
        f->begun = true;
    }
    return tiso__report_take_record(f->report, c, problem);
}

tiso_status tiso_report_read_page(tiso_report *r, const char *json, size_t len, const char *source, tiso_error *err)
{
    if (!r || !json)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_read_page: NULL pointer");
    page_feed f = {.report = r, .source = source ? source : "<memory>"};
    tiso_status s = tiso_read_report_page(json, len, f.source, &r->opts, &f.info, take_page_record, &f, err);
    if (s == TISO_OK && !f.begun)
        s = tiso__report_begin_input(r, f.source, &f.info); /* a page without connections */
    tiso__report_end_input(r);
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
        tiso_status s = tiso_read_inventory_line(text + pos, end - pos, source, *line_no, &r->opts,
                                                 tiso__report_take_record, r);
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
    tiso__report_end_input(r);
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
    void *buf = f->buf;
    if (tiso__grow(&buf, &f->cap, want + 1, 1) != TISO_OK)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", f->source);
    f->buf = buf;
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

static size_t skip_space(const char *s, size_t len, size_t pos)
{
    while (pos < len && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\n'))
        pos++;
    return pos;
}

/* 1 if text[pos..) up to the next newline is one JSON object; `*has_connections`
 * says whether it has a "connections" member. */
static bool line_is_object(const tiso_report *r, const char *text, size_t len, size_t pos, bool *has_connections)
{
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    /* Only the kind is decided here: whatever the line's length (at most a
     * chunk), the limits apply when it is read for real. */
    tiso__json_limits lim = tiso__report_json_limits(&r->opts, UINT64_MAX);
    cJSON *root = NULL;
    bool ok = tiso__json_parse(&root, text + pos, end - pos, &lim, NULL) == TISO_OK && cJSON_IsObject(root);
    *has_connections = ok && cJSON_GetObjectItemCaseSensitive(root, "connections") != NULL;
    cJSON_Delete(root);
    return ok;
}

/* Decides by content: a page is one JSON document whose object has
 * "connections"; an inventory is one object per line. A pretty-printed
 * page's first line is no complete value, so a first line that does not
 * parse means a page -- unless the second line is an object, in which case
 * it is an inventory whose first line is bad. */
static bool looks_like_page(const tiso_report *r, const char *text, size_t len, size_t start)
{
    bool has_connections;
    if (line_is_object(r, text, len, start, &has_connections))
        return has_connections;
    const char *nl = memchr(text + start, '\n', len - start);
    if (!nl)
        return true;
    size_t second = skip_space(text, len, (size_t)(nl - text) + 1);
    return second >= len || !line_is_object(r, text, len, second, &has_connections) || has_connections;
}

static tiso_status read_page_fd(tiso_report *r, feeder *f, size_t start, tiso_error *err)
{
    uint64_t max = r->opts.max_page_bytes ? r->opts.max_page_bytes : TISO_REPORT_DEFAULT_MAX_PAGE_BYTES;
    while (!f->eof) {
        if (f->len > max)
            return tiso__fail(err, TISO_E_LIMIT, NULL, "%s: larger than the page limit of %llu bytes", f->source,
                              (unsigned long long)max);
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
    s = tiso_read_inventory_line(text + *used, len - *used, f->source, ++*line_no, &r->opts,
                                 tiso__report_take_record, r);
    *used = len;
    *skipping = true;
    return s;
}

/* Streams lines: holds at most one chunk plus one line. */
static tiso_status read_inventory_fd(tiso_report *r, feeder *f, size_t start, tiso_error *err)
{
    uint32_t max_line = r->opts.max_line_bytes ? r->opts.max_line_bytes : TISO_REPORT_DEFAULT_MAX_LINE_BYTES;
    uint64_t line_no = 0;
    bool skipping = false; /* inside an over-long line, already reported */
    tiso_status s = tiso__report_begin_input(r, f->source, NULL);
    if (s != TISO_OK)
        return tiso__fail(err, s, NULL, "%s: out of memory", f->source);
    while (s == TISO_OK) {
        size_t used = 0;
        s = consume(r, f, start, max_line, &line_no, &skipping, &used);
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
    tiso__report_end_input(r);
    return s;
}

tiso_status tiso_report_read_fd(tiso_report *r, int fd, const char *source, tiso_error *err)
{
    if (!r || fd < 0)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_read_fd: no report or a bad descriptor");
    feeder f = {.fd = fd, .source = source ? source : "<input>"};
    tiso_status s = fill(&f, CHUNK, err);
    size_t start = 0;
    if (s == TISO_OK && f.len >= 2 && ((f.buf[0] == '\xff' && f.buf[1] == '\xfe') || (f.buf[0] == '\xfe' && f.buf[1] == '\xff')))
        s = tiso__fail(err, TISO_E_SYNTAX, NULL,
                       "%s: the file is UTF-16 text; save it as UTF-8 (PowerShell: Out-File -Encoding utf8)",
                       f.source);
    if (s == TISO_OK && f.len >= 3 && memcmp(f.buf, "\xef\xbb\xbf", 3) == 0)
        start = 3; /* a UTF-8 byte order mark, as Windows PowerShell writes */
    if (s == TISO_OK) {
        f.buf[f.len] = '\0';
        start = skip_space(f.buf, f.len, start);
        if (start >= f.len && f.eof) /* nothing at all: an empty inventory */
            s = read_inventory_fd(r, &f, start, err);
        else
            s = looks_like_page(r, f.buf, f.len, start) ? read_page_fd(r, &f, start, err)
                                                     : read_inventory_fd(r, &f, start, err);
    }
    tiso__free(f.buf);
    return s;
}

tiso_status tiso_report_read_file(tiso_report *r, const char *path, tiso_error *err)
{
    if (!r || !path)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_read_file: NULL pointer");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tiso__fail(err, TISO_E_IO, NULL, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    tiso_status s;
    if (fstat(fd, &st) != 0)
        s = tiso__fail(err, TISO_E_IO, NULL, "%s: cannot stat: %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        s = tiso__fail(err, TISO_E_IO, NULL, "%s: is a directory, not a file", path);
    else
        s = tiso_report_read_fd(r, fd, path, err);
    close(fd);
    return s;
}
