/* Time for the Graph client: the monotonic clock (token renewal, cache
 * expiry, batch deadlines), sleeping between retries, and the random numbers
 * that jitter those waits (the library's hash mix, hash_index.h). Depends on
 * nothing else in src/graph/. */
#include <errno.h>
#include <time.h>

#include "graph_internal.h"

uint64_t tiso__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void tiso__sleep_ms(uint64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000u), (long)(ms % 1000u) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

uint64_t tiso__random_next(atomic_uint_fast64_t *state)
{
    /* splitmix64 over an atomic counter: cheap, thread-safe, good enough for jitter. */
    uint64_t z = (uint64_t)atomic_fetch_add_explicit(state, 0x9e3779b97f4a7c15u, memory_order_relaxed);
    return tiso__hash_mix(z + 0x9e3779b97f4a7c15u);
}
