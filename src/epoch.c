/* Epoch-based reclamation (see epoch.h for the argument). */
#include <sched.h>

#include "epoch.h"

static atomic_uint next_stripe;
static _Thread_local unsigned thread_stripe; /* stripe + 1; 0 until first use */

unsigned tiso__epoch_thread_stripe(void)
{
    if (TISO_UNLIKELY(thread_stripe == 0))
        thread_stripe = atomic_fetch_add_explicit(&next_stripe, 1, memory_order_relaxed) % TISO_EPOCH_STRIPES + 1;
    return thread_stripe - 1;
}

void tiso__epoch_init(tiso__epoch *e)
{
    atomic_init(&e->epoch, 0);
    for (unsigned i = 0; i < TISO_EPOCH_STRIPES; i++) {
        atomic_init(&e->stripes[i].readers[0], 0);
        atomic_init(&e->stripes[i].readers[1], 0);
    }
}

void tiso__epoch_synchronize(tiso__epoch *e)
{
    unsigned old = atomic_fetch_add(&e->epoch, 1) & 1u;
    for (unsigned i = 0; i < TISO_EPOCH_STRIPES; i++) {
        unsigned spins = 0;
        while (atomic_load(&e->stripes[i].readers[old]) != 0) {
            /* Readers hold the old side only for one evaluation: spin briefly, then yield. */
            if (++spins > 64)
                sched_yield();
        }
    }
}
