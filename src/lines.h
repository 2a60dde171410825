/* Reading JSON Lines one bounded line at a time, so memory does not grow
 * with the input (a whole file is tiso__read_file). Reads with read(2), not
 * stdio: fread on a pipe waits until its whole buffer is full, which would
 * stall a writer that sends one line and waits for the answer. */
#ifndef TISO_LINES_H
#define TISO_LINES_H

#include <stddef.h>

#include "tenantiso.h"

typedef struct tiso__lines tiso__lines;

/* Opens the file at `path` (through tiso__open_file) for lines of at most
 * `max_line` bytes. `before_wait`, if not NULL, is called before every read
 * that may block, so the caller can flush what it has written (a process at
 * the other end of a pipe sees answers as soon as its lines are read). The
 * caller frees `*out` with tiso__lines_close. TISO_E_IO or TISO_E_NOMEM;
 * `path` names the file in messages. */
tiso_status tiso__lines_open(tiso__lines **out, const char *path, size_t max_line, void (*before_wait)(void),
                             tiso_error *err);

/* The same for the descriptor `fd` (a pipe is fine; a directory or a closed
 * descriptor is TISO_E_IO), which stays open: the caller closes it after
 * tiso__lines_close. `name` names it in messages. */
tiso_status tiso__lines_open_fd(tiso__lines **out, int fd, const char *name, size_t max_line,
                                void (*before_wait)(void), tiso_error *err);

/* The next line, without its "\n" or "\r\n", NUL-terminated in a buffer the
 * reader owns until the next call (a NUL byte in the line is kept: `*len`
 * counts it). A line longer than `max_line` is read to its end and returned
 * cut to `max_line` bytes, with `*too_long` set. Returns 1 for a line, 0 at
 * the end of input, -1 on a read error (errno set). */
int tiso__lines_next(tiso__lines *r, const char **line, size_t *len, int *too_long);

/* Frees the reader and closes the file tiso__lines_open opened. NULL is fine. */
void tiso__lines_close(tiso__lines *r);

#endif /* TISO_LINES_H */
