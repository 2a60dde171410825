/* Small text helpers for the CLI: UTF-8 checks and one-line sanitizing.
 * Anything the CLI prints that may carry user input goes through here, so a
 * hostile argument or input line can neither split an error line in two nor
 * put invalid UTF-8 into JSON output. */
#ifndef TISO_CLI_TEXT_H
#define TISO_CLI_TEXT_H

#include <stddef.h>

/* Returns `len` if `text` is valid UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF), otherwise the byte offset of the first bad sequence. */
size_t cli_utf8_check(const char *text, size_t len);

/* Offset of the first escaped NUL (\u0000) inside a JSON string in `text`,
 * or `len` if there is none. cJSON cuts a string at such an escape, so
 * "isDisabled\u0000x" would read as "isDisabled": the CLI refuses them
 * before parsing, as the library does. */
size_t cli_json_escaped_nul(const char *text, size_t len);

/* Copies NUL-terminated `text` into `out` (of `size` bytes, > 0) as one
 * printable line: control characters become spaces or '?', invalid UTF-8
 * bytes become '?', and the result is cut at a character boundary to fit. */
void cli_text_one_line(char *out, size_t size, const char *text);

/* 1 if `text` holds only JSON whitespace (or nothing). */
int cli_text_is_blank(const char *text, size_t len);

/* The offset of the first byte at or after `offset` that is not JSON
 * whitespace (`len` if none): where trailing garbage really starts. */
size_t cli_text_skip_blank(const char *text, size_t len, size_t offset);

/* The 1-based line and column (in bytes) of byte `offset` of `text`. */
void cli_text_locate(const char *text, size_t offset, size_t *line, size_t *column);

/* 1 if `text` begins with `prefix`. */
int cli_text_starts_with(const char *text, const char *prefix);

#endif /* TISO_CLI_TEXT_H */
