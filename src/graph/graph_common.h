/* What graph_common.c (built with and without the Graph client) shares with
 * the client's files. */
#ifndef TISO_GRAPH_COMMON_H
#define TISO_GRAPH_COMMON_H

#include <stdbool.h>
#include <stddef.h>

/* true if the `n` bytes at `text` equal `lower` (lowercase ASCII) when ASCII
 * letters are compared without case; no locale involved. */
bool tiso__ascii_ieq(const char *text, size_t n, const char *lower);

/* true if NUL-terminated `a` and `b` are equal when ASCII letters are
 * compared without case; no locale involved. */
bool tiso__ascii_case_eq(const char *a, const char *b);

#endif /* TISO_GRAPH_COMMON_H */
