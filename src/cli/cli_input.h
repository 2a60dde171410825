/* Reading JSON Lines for the CLI one bounded line at a time, so memory does
 * not grow with the input (a whole file is the library's tiso__read_file). */
#ifndef TISO_CLI_INPUT_H
#define TISO_CLI_INPUT_H

#include <stddef.h>

#include "tenantiso.h"

/* Longest --batch line, without its newline. */
#define CLI_LINE_MAX (64u * 1024u)

typedef struct cli_line_reader cli_line_reader;

/* Opens `path` ("-": standard input) for reading lines. `before_wait`, if not
 * NULL, is called before every read that may block, so the caller can flush
 * what it has written (a process at the other end of a pipe sees answers as
 * soon as its requests are read). Returns TISO_OK, TISO_E_IO or TISO_E_NOMEM. */
tiso_status cli_lines_open(cli_line_reader **out, const char *path, void (*before_wait)(void), tiso_error *err);

/* The next line, without its "\n" or "\r\n", NUL-terminated in a buffer the
 * reader owns until the next call. A line longer than CLI_LINE_MAX is read
 * to its end and returned cut, with `*too_long` set. Returns 1 for a line,
 * 0 at the end of input, -1 on a read error (errno set). */
int cli_lines_next(cli_line_reader *r, const char **line, size_t *len, int *too_long);

void cli_lines_close(cli_line_reader *r);

#endif /* TISO_CLI_INPUT_H */
