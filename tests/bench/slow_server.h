/* A local OpenID discovery server that answers every request after a fixed
 * delay, as the real login service does over a network. It serves
 * GET /{domain}/v2.0/.well-known/openid-configuration with an issuer and a
 * token_endpoint naming bench_server_tenant(domain), over plain HTTP/1.1 on
 * 127.0.0.1 with keep-alive, many connections at once on one thread. */
#ifndef BENCH_SLOW_SERVER_H
#define BENCH_SLOW_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include <tenantiso.h>

typedef struct bench_server bench_server;

/* Starts a server on an ephemeral port; NULL on failure (message on stderr). */
bench_server *bench_server_start(unsigned delay_ms);

/* "http://127.0.0.1:PORT", valid until the server stops. */
const char *bench_server_url(const bench_server *s);

/* Requests answered so far. */
size_t bench_server_requests(bench_server *s);

void bench_server_stop(bench_server *s);

/* The tenant the server gives `domain` (`len` bytes): a v4 GUID from a hash
 * of the name, so the client's answers can be checked. */
tiso_tenant_id bench_server_tenant(const char *domain, size_t len);

#endif /* BENCH_SLOW_SERVER_H */
