/* The slow local discovery server (see slow_server.h). One thread polls the
 * listening socket, a wake-up pipe and every connection; a request that has
 * fully arrived gets its answer once its delay has passed, so any number of
 * requests wait at once, as they would on the real service. */
#include "slow_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"

#define MAX_CONNS 512
#define REQUEST_MAX 4096

typedef struct conn {
    int fd;
    size_t len;
    double due;     /* when the answer goes out; 0 while the request is arriving */
    char reply[768];
    size_t reply_len;
    char buf[REQUEST_MAX];
} conn;

struct bench_server {
    int listen_fd;
    int wake[2];
    pthread_t thread;
    double delay_ns;
    atomic_size_t requests;
    char url[64];
    conn *conns[MAX_CONNS];
    size_t nconns;
};

tiso_tenant_id bench_server_tenant(const char *domain, size_t len)
{
    uint64_t h[2] = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL}; /* FNV-1a, twice */
    for (size_t i = 0; i < len; i++) {
        h[0] = (h[0] ^ (unsigned char)domain[i]) * 0x100000001b3ULL;
        h[1] = (h[1] ^ (unsigned char)domain[i]) * 0x1000193ULL + 1;
    }
    tiso_tenant_id id;
    memcpy(id.bytes, h, 16);
    id.bytes[6] = (uint8_t)((id.bytes[6] & 0x0f) | 0x40);
    id.bytes[8] = (uint8_t)((id.bytes[8] & 0x3f) | 0x80);
    return id;
}

/* The answer to one request line "GET /{domain}/v2.0/... HTTP/1.1". */
static void make_reply(conn *c)
{
    const char *path = c->buf + 4;
    size_t n = strncmp(c->buf, "GET /", 5) == 0 ? strcspn(path + 1, "/ ") : 0;
    char body[400], id[TISO_TENANT_ID_LEN + 1];
    int blen;
    if (n == 0) {
        blen = snprintf(body, sizeof body, "{\"error\":\"invalid_request\"}");
    } else {
        tiso_tenant_id t = bench_server_tenant(path + 1, n);
        tiso_tenant_id_format(id, &t);
        blen = snprintf(body, sizeof body,
                        "{\"issuer\":\"https://login.microsoftonline.com/%s/v2.0\","
                        "\"token_endpoint\":\"https://login.microsoftonline.com/%s/oauth2/v2.0/token\"}",
                        id, id);
    }
    int len = snprintf(c->reply, sizeof c->reply,
                       "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                       "Cache-Control: max-age=86400, private\r\n\r\n%s",
                       n ? "200 OK" : "400 Bad Request", blen, body);
    c->reply_len = (size_t)len;
}

static void drop(bench_server *s, size_t i)
{
    close(s->conns[i]->fd);
    free(s->conns[i]);
    s->conns[i] = s->conns[--s->nconns];
}

static void accept_one(bench_server *s)
{
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0)
        return;
    conn *c = s->nconns < MAX_CONNS ? calloc(1, sizeof *c) : NULL;
    if (!c) {
        close(fd);
        return;
    }
    c->fd = fd;
    s->conns[s->nconns++] = c;
}

/* Reads what has arrived; schedules the answer once the headers are in.
 * Returns -1 when the connection is closed or broken. */
static int read_some(bench_server *s, conn *c)
{
    ssize_t got = read(c->fd, c->buf + c->len, REQUEST_MAX - 1 - c->len);
    if (got <= 0)
        return -1;
    c->len += (size_t)got;
    c->buf[c->len] = '\0';
    if (strstr(c->buf, "\r\n\r\n")) {
        make_reply(c);
        c->due = bench_now_ns() + s->delay_ns;
    } else if (c->len == REQUEST_MAX - 1) {
        return -1;
    }
    return 0;
}

/* Sends the answer (small: one write) and waits for the next request. */
static int answer(bench_server *s, conn *c)
{
    ssize_t put = write(c->fd, c->reply, c->reply_len);
    atomic_fetch_add(&s->requests, 1);
    c->len = 0;
    c->due = 0;
    return put == (ssize_t)c->reply_len ? 0 : -1;
}

/* Milliseconds until the next answer is due; -1 when none is waiting. */
static int next_timeout(const bench_server *s, double now)
{
    double soonest = -1;
    for (size_t i = 0; i < s->nconns; i++)
        if (s->conns[i]->due > 0 && (soonest < 0 || s->conns[i]->due < soonest))
            soonest = s->conns[i]->due;
    if (soonest < 0)
        return -1;
    return soonest <= now ? 0 : (int)((soonest - now) / 1e6) + 1;
}

/* One round: wait for input or a due answer, then serve. Returns 0 to stop. */
static int serve_round(bench_server *s)
{
    struct pollfd pfd[MAX_CONNS + 2];
    pfd[0] = (struct pollfd){.fd = s->listen_fd, .events = POLLIN};
    pfd[1] = (struct pollfd){.fd = s->wake[0], .events = POLLIN};
    for (size_t i = 0; i < s->nconns; i++)
        pfd[i + 2] = (struct pollfd){.fd = s->conns[i]->fd, .events = s->conns[i]->due > 0 ? 0 : POLLIN};
    size_t n = s->nconns;
    if (poll(pfd, n + 2, next_timeout(s, bench_now_ns())) < 0)
        return errno == EINTR;
    if (pfd[1].revents)
        return 0;
    double now = bench_now_ns();
    /* Backwards, so dropping (which moves the last connection into the
     * hole) never skips one that has not been looked at. */
    for (size_t i = n; i-- > 0;) {
        conn *c = s->conns[i];
        int rc = 0;
        if (pfd[i + 2].revents & (POLLIN | POLLHUP | POLLERR))
            rc = read_some(s, c);
        if (rc == 0 && c->due > 0 && c->due <= now)
            rc = answer(s, c);
        if (rc != 0)
            drop(s, i);
    }
    if (pfd[0].revents & POLLIN)
        accept_one(s);
    return 1;
}

static void *serve(void *arg)
{
    bench_server *s = arg;
    while (serve_round(s))
        ;
    while (s->nconns)
        drop(s, s->nconns - 1);
    return NULL;
}

static int listen_loopback(bench_server *s)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof addr;
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(s->listen_fd, 1024) != 0 || getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen) != 0)
        return -1;
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u", (unsigned)ntohs(addr.sin_port));
    return 0;
}

bench_server *bench_server_start(unsigned delay_ms)
{
    bench_server *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->listen_fd = s->wake[0] = s->wake[1] = -1;
    s->delay_ns = delay_ms * 1e6;
    atomic_init(&s->requests, 0);
    if (listen_loopback(s) != 0 || pipe(s->wake) != 0 || pthread_create(&s->thread, NULL, serve, s) != 0) {
        perror("tenantiso_bench: local server");
        if (s->listen_fd >= 0)
            close(s->listen_fd);
        free(s);
        return NULL;
    }
    return s;
}

const char *bench_server_url(const bench_server *s)
{
    return s->url;
}

size_t bench_server_requests(bench_server *s)
{
    return atomic_load(&s->requests);
}

void bench_server_stop(bench_server *s)
{
    if (!s)
        return;
    if (write(s->wake[1], "x", 1) != 1)
        perror("tenantiso_bench: stopping the local server");
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
    close(s->wake[0]);
    close(s->wake[1]);
    free(s);
}
