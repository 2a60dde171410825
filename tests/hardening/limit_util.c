/* Helpers for the limit tests (see limit_util.h). */
#include "limit_util.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct lu_pipe {
    int fds[2];
    char *data;
    size_t len;
    pthread_t thread;
    char path[64];
};

static void *feed(void *arg)
{
    lu_pipe *p = arg;
    for (size_t off = 0; off < p->len;) {
        ssize_t n = write(p->fds[1], p->data + off, p->len - off);
        if (n <= 0)
            break; /* the reader stopped at its limit and closed */
        off += (size_t)n;
    }
    close(p->fds[1]);
    return NULL;
}

lu_pipe *lu_pipe_start(const char *data, size_t len)
{
    signal(SIGPIPE, SIG_IGN); /* a reader that stops early must not kill the test */
    lu_pipe *p = calloc(1, sizeof *p);
    assert_non_null(p);
    assert_int_equal(pipe(p->fds), 0);
    p->data = malloc(len ? len : 1);
    assert_non_null(p->data);
    memcpy(p->data, data, len);
    p->len = len;
    snprintf(p->path, sizeof p->path, "/proc/self/fd/%d", p->fds[0]);
    assert_int_equal(pthread_create(&p->thread, NULL, feed, p), 0);
    return p;
}

const char *lu_pipe_path(const lu_pipe *p)
{
    return p->path;
}

void lu_pipe_finish(lu_pipe *p)
{
    close(p->fds[0]); /* unblocks a writer the reader left behind */
    pthread_join(p->thread, NULL);
    free(p->data);
    free(p);
}

char *lu_sparse_file(const char *head, size_t size)
{
    char *path = tt_write_temp(head, strlen(head));
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)size), 0);
    close(fd);
    return path;
}

char *lu_join(const char *head, const char *item, const char *sep, size_t count, const char *tail, size_t *len)
{
    size_t hl = strlen(head), il = strlen(item), sl = strlen(sep), tl = strlen(tail);
    size_t total = hl + count * il + (count ? count - 1 : 0) * sl + tl;
    char *s = malloc(total + 1);
    assert_non_null(s);
    char *p = s;
    memcpy(p, head, hl);
    p += hl;
    for (size_t i = 0; i < count; i++) {
        if (i) {
            memcpy(p, sep, sl);
            p += sl;
        }
        memcpy(p, item, il);
        p += il;
    }
    memcpy(p, tail, tl + 1);
    *len = total;
    return s;
}

void lu_assert_names(const tiso_error *err, tiso_status status, const char *const *parts)
{
    tt_assert_error(err, status);
    for (; *parts; parts++) {
        if (strstr(err->message, *parts) == NULL && strstr(err->path, *parts) == NULL)
            fail_msg("'%s' (path '%s') does not name '%s'", err->message, err->path, *parts);
    }
}
