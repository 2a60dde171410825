/* Epoch-based reclamation for policy sets: readers never lock, writers wait
 * until no reader can still hold what they replaced.
 *
 * Readers register in one of two counters (the current epoch's) on one of
 * many cache-line-sized stripes (chosen per thread, so readers on different
 * threads do not fight over one line), then re-check that the epoch did not
 * move. A writer publishes the new snapshot, flips the epoch, and waits for
 * the old epoch's counters to drain. Readers that arrive after the flip count
 * on the other side and see only the new snapshot, so the wait ends even
 * under constant load. Writers must be serialized by the caller.
 *
 * Why one flip suffices: a reader that read the old snapshot re-checked the
 * epoch before that read, so before the writer's publish. The first flip
 * after its re-check starts from the reader's epoch and waits for it; no
 * later writer starts before that flip's wait has ended. */
#ifndef TISO_EPOCH_H
#define TISO_EPOCH_H

#include <stdatomic.h>

#include "internal.h"

#define TISO_EPOCH_STRIPES 32

typedef struct tiso__epoch_stripe {
    _Alignas(64) atomic_long readers[2];
} tiso__epoch_stripe;

typedef struct tiso__epoch {
    _Alignas(64) atomic_uint epoch;
    tiso__epoch_stripe stripes[TISO_EPOCH_STRIPES];
} tiso__epoch;

typedef struct tiso__epoch_guard {
    unsigned stripe, side;
} tiso__epoch_guard;

void tiso__epoch_init(tiso__epoch *e);
unsigned tiso__epoch_thread_stripe(void);

static inline tiso__epoch_guard tiso__epoch_enter(tiso__epoch *e)
{
    tiso__epoch_guard g = {tiso__epoch_thread_stripe(), 0};
    for (;;) {
        g.side = atomic_load(&e->epoch) & 1u;
        atomic_fetch_add(&e->stripes[g.stripe].readers[g.side], 1);
        if ((atomic_load(&e->epoch) & 1u) == g.side)
            return g;
        atomic_fetch_sub(&e->stripes[g.stripe].readers[g.side], 1); /* a writer flipped: retry */
    }
}

static inline void tiso__epoch_leave(tiso__epoch *e, tiso__epoch_guard g)
{
    atomic_fetch_sub_explicit(&e->stripes[g.stripe].readers[g.side], 1, memory_order_release);
}

/* After publishing a new snapshot: returns once no reader can hold the old. */
void tiso__epoch_synchronize(tiso__epoch *e);

#endif /* TISO_EPOCH_H */
