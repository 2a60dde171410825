/* Input files (see cli_input.h). Uses read(2) on the descriptor rather than
 * stdio: fread on a pipe waits until its whole buffer is full, which would
 * stall a caller that writes one request and waits for the answer. */
#include "cli_input.h"

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK_SIZE (64u * 1024u)

struct cli_line_reader {
    int fd;
    int owns_fd;
    int eof;
    void (*before_wait)(void);
    size_t start, end; /* unread bytes of chunk */
    char chunk[CHUNK_SIZE];
    char line[CLI_LINE_MAX + 1];
};

tiso_status cli_lines_open(cli_line_reader **out, const char *path, void (*before_wait)(void), tiso_error *err)
{
    cli_line_reader *r = calloc(1, sizeof *r);
    if (r == NULL) {
        return tiso__fail(err, TISO_E_NOMEM, NULL, "%s: out of memory", path);
    }
    r->owns_fd = strcmp(path, "-") != 0;
    r->fd = r->owns_fd ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
    struct stat st;
    const char *why = r->fd < 0 || fstat(r->fd, &st) != 0 ? strerror(errno)
                      : S_ISDIR(st.st_mode)               ? "is a directory"
                                                          : NULL;
    if (why != NULL) {
        if (r->fd >= 0) {
            close(r->fd);
        }
        free(r);
        return tiso__fail(err, TISO_E_IO, NULL, "%s: %s", path, why);
    }
    r->before_wait = before_wait;
    *out = r;
    return TISO_OK;
}

/* Refills the chunk. Returns 1 with bytes, 0 at end of input, -1 on error. */
static int refill(cli_line_reader *r)
{
    if (r->eof) {
        return 0;
    }
    if (r->before_wait != NULL) {
        r->before_wait();
    }
    ssize_t n;
    do {
        n = read(r->fd, r->chunk, sizeof r->chunk); /* again when a signal interrupts it */
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return -1;
    }
    if (n == 0) {
        r->eof = 1;
        return 0;
    }
    r->start = 0;
    r->end = (size_t)n;
    return 1;
}

int cli_lines_next(cli_line_reader *r, const char **line, size_t *len, int *too_long)
{
    size_t used = 0;
    int started = 0, cut = 0;
    for (;;) {
        if (r->start == r->end) {
            int rc = refill(r);
            if (rc < 0) {
                return -1;
            }
            if (rc == 0) {
                if (!started) {
                    return 0;
                }
                break; /* a last line without a newline */
            }
        }
        started = 1;
        const char *p = r->chunk + r->start;
        size_t avail = r->end - r->start;
        const char *nl = memchr(p, '\n', avail);
        size_t take = nl != NULL ? (size_t)(nl - p) : avail;
        size_t room = CLI_LINE_MAX - used;
        if (take > room) {
            cut = 1; /* keep reading to the line's end, dropping the rest */
        }
        size_t keep = take < room ? take : room;
        memcpy(r->line + used, p, keep);
        used += keep;
        r->start += take;
        if (nl != NULL) {
            r->start++;
            break;
        }
    }
    if (!cut && used > 0 && r->line[used - 1] == '\r') {
        used--;
    }
    r->line[used] = '\0';
    *line = r->line;
    *len = used;
    *too_long = cut;
    return 1;
}

void cli_lines_close(cli_line_reader *r)
{
    if (r != NULL && r->owns_fd) {
        close(r->fd);
    }
    free(r);
}
