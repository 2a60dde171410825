/* Reading lines from a file or a descriptor (see lines.h). */
#include "lines.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "json_input.h"

#define CHUNK_SIZE (64u * 1024u)

struct tiso__lines {
    int fd;
    bool owns_fd;
    bool eof;
    void (*before_wait)(void);
    size_t start, end; /* unread bytes of chunk */
    size_t max_line;
    char chunk[CHUNK_SIZE];
    char *line; /* max_line + 1 bytes */
};

/* A reader of `fd`, which the caller has checked. */
static tiso_status make(tiso__lines **out, int fd, const char *name, size_t max_line, void (*before_wait)(void),
                        tiso_error *err)
{
    tiso__lines *r = tiso__calloc(1, sizeof *r);
    char *line = max_line < SIZE_MAX ? tiso__malloc(max_line + 1) : NULL;
    if (r == NULL || line == NULL) {
        tiso__free(r);
        tiso__free(line);
        return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", name);
    }
    r->fd = fd;
    r->before_wait = before_wait;
    r->max_line = max_line;
    r->line = line;
    *out = r;
    return TISO_OK;
}

tiso_status tiso__lines_open_fd(tiso__lines **out, int fd, const char *name, size_t max_line,
                                void (*before_wait)(void), tiso_error *err)
{
    struct stat st;
    tiso_status s = tiso__stat_file(fd, &st, name, err);
    return s == TISO_OK ? make(out, fd, name, max_line, before_wait, err) : s;
}

tiso_status tiso__lines_open(tiso__lines **out, const char *path, size_t max_line, void (*before_wait)(void),
                             tiso_error *err)
{
    int fd;
    struct stat st;
    tiso_status s = tiso__open_file(&fd, &st, path, err);
    if (s != TISO_OK)
        return s;
    s = make(out, fd, path, max_line, before_wait, err);
    if (s != TISO_OK)
        close(fd);
    else
        (*out)->owns_fd = true;
    return s;
}

/* Refills the chunk. Returns 1 with bytes, 0 at end of input, -1 on error. */
static int refill(tiso__lines *r)
{
    if (r->eof)
        return 0;
    if (r->before_wait != NULL)
        r->before_wait();
    ssize_t n;
    do {
        n = read(r->fd, r->chunk, sizeof r->chunk); /* again when a signal interrupts it */
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (n == 0) {
        r->eof = true;
        return 0;
    }
    r->start = 0;
    r->end = (size_t)n;
    return 1;
}

/* Appends the chunk's bytes up to the next newline (or its end) to the line
 * of `*used` bytes, past `max_line` only counting them. Returns whether it
 * took the newline. */
static bool take(tiso__lines *r, size_t *used, bool *cut)
{
    const char *p = r->chunk + r->start;
    size_t avail = r->end - r->start;
    const char *nl = memchr(p, '\n', avail);
    size_t part = nl != NULL ? (size_t)(nl - p) : avail;
    size_t room = r->max_line - *used;
    if (part > room)
        *cut = true; /* keep reading to the line's end, dropping the rest */
    size_t keep = part < room ? part : room;
    memcpy(r->line + *used, p, keep);
    *used += keep;
    r->start += part + (nl != NULL);
    return nl != NULL;
}

int tiso__lines_next(tiso__lines *r, const char **line, size_t *len, int *too_long)
{
    size_t used = 0;
    bool started = false, cut = false, ended = false;
    while (!ended) {
        if (r->start == r->end) {
            int rc = refill(r);
            if (rc < 0)
                return -1;
            if (rc == 0 && !started)
                return 0;
            if (rc == 0)
                break; /* a last line without a newline */
        }
        started = true;
        ended = take(r, &used, &cut);
    }
    if (!cut && used > 0 && r->line[used - 1] == '\r')
        used--;
    r->line[used] = '\0';
    *line = r->line;
    *len = used;
    *too_long = cut;
    return 1;
}

void tiso__lines_close(tiso__lines *r)
{
    if (r == NULL)
        return;
    if (r->owns_fd)
        close(r->fd);
    tiso__free(r->line);
    tiso__free(r);
}
