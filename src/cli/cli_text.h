/* Small text helpers for the CLI: one-line sanitizing. Anything the CLI
 * prints that may carry user input goes through here, so a hostile argument
 * or input line can neither split an error line in two nor put invalid
 * UTF-8 into JSON output. (UTF-8 checks, NUL and JSON rules are the
 * library's: json_scan.h, json_input.h.) */
#ifndef TISO_CLI_TEXT_H
#define TISO_CLI_TEXT_H

#include <stddef.h>

/* Copies NUL-terminated `text` into `out` (of `size` bytes, > 0) as one
 * printable line: control characters become spaces or '?', invalid UTF-8
 * bytes become '?', and the result is cut at a character boundary to fit. */
void cli_text_one_line(char *out, size_t size, const char *text);

#endif /* TISO_CLI_TEXT_H */
