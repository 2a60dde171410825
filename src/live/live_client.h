/* The live client object and its one authorized exchange, for the files of
 * src/live/ built with the Graph client. Never installed. */
#ifndef TISO_LIVE_CLIENT_H
#define TISO_LIVE_CLIENT_H

#include "graph/graph_internal.h"
#include "live_internal.h"

/* One audience: a service's base URL and the token for it. */
typedef struct tiso__live_service {
    const char *name;  /* "BAP", "Power Platform API": for messages */
    char *url;         /* no trailing slash */
    char *host;        /* host[:port], for messages */
    bool loopback;
    const char *scope; /* the cloud's, static */
    tiso__token_source token;
    bool token_ok;     /* `token` was initialized */
} tiso__live_service;

struct tiso_live_client {
    tiso_graph_client *http; /* login service, TLS, timeouts, retries, handle pool */
    tiso__live_service bap;
    tiso__live_service pp;
    uint32_t operation_timeout_ms;
    uint32_t poll_floor_ms;
    char *device_client_id; /* NULL: no device-code sign-in */
    char *device_tenant;
    tiso_live_device_prompt_fn device_prompt;
    void *device_prompt_user;
};

/* live_device.c: signs a person in for `service` with the device
 * authorization grant; on TISO_OK the service's token source holds the
 * token (in memory only). */
tiso_status tiso__live_device_sign_in(tiso_live_client *c, tiso__live_service *service, tiso_error *err);

/* How a call that fills a result starts: zeroes `out` (`size` bytes) when it
 * is there, so a failure leaves nothing behind, then refuses with
 * TISO_E_INVALID_ARGUMENT and `message` unless the arguments the call needs
 * are there (`given`). */
tiso_status tiso__live_begin(void *out, size_t size, bool given, const char *message, tiso_error *err);

/* Sends `call` (url, method, body and `what` set by the caller) to
 * `service` with a bearer token for its audience, through the Graph client's
 * retries. The URL must be on the service's host (checked: the token goes
 * nowhere else). A 401 gets one new token and one more try. TISO_OK means a
 * final HTTP answer is in call->resp; the caller interprets it and calls
 * tiso__http_call_cleanup either way. */
tiso_status tiso__live_send(tiso_live_client *c, tiso__live_service *service, tiso__http_call *call,
                            tiso_error *err);

/* "HTTP 400, code: message" of a final answer, into `buf`. */
const char *tiso__live_describe(const tiso__http_call *call, char *buf, size_t size);

#endif /* TISO_LIVE_CLIENT_H */
