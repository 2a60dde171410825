/* Helpers for the limit tests: big inputs made in memory, and inputs
 * served through a pipe (no size known up front: the read loop itself
 * must stop at the limit). */
#ifndef TISO_HARDENING_LIMIT_UTIL_H
#define TISO_HARDENING_LIMIT_UTIL_H

#include <stddef.h>

#include "test_util.h"

/* A pipe fed with a copy of `len` bytes of `data` by a thread. */
typedef struct lu_pipe lu_pipe;

/* Starts the feeding thread; lu_pipe_path gives a path that opens the
 * pipe's read end ("/proc/self/fd/N"). */
lu_pipe *lu_pipe_start(const char *data, size_t len);
const char *lu_pipe_path(const lu_pipe *p);

/* Waits for the thread (which stops early if the reader goes away) and
 * frees everything. */
void lu_pipe_finish(lu_pipe *p);

/* A sparse temporary file of `size` bytes starting with `head` (the rest
 * reads as NUL bytes). Returns its malloc'ed path. */
char *lu_sparse_file(const char *head, size_t size);

/* `count` copies of `item`, joined by `sep`, between `head` and `tail`. */
char *lu_join(const char *head, const char *item, const char *sep, size_t count, const char *tail, size_t *len);

/* Fails unless `err` is `status` with a message containing every one of
 * the NULL-terminated `parts` (the limit, and where). */
void lu_assert_names(const tiso_error *err, tiso_status status, const char *const *parts);

#endif /* TISO_HARDENING_LIMIT_UTIL_H */
