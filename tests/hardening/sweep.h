/* Allocation-failure sweeps: run an operation with its 1st, 2nd, 3rd, ...
 * allocation failing until it succeeds (nghttp2's failmalloc_test does the
 * same). Every failed run must end in TISO_E_NOMEM, with `err` saying so,
 * and leak nothing (ASan/LSan check that in the asan preset). */
#ifndef TISO_HARDENING_SWEEP_H
#define TISO_HARDENING_SWEEP_H

#include "test_util.h"

/* One operation under test. It sets up what it needs, calls hs_arm(n)
 * right before the calls under test and hs_disarm() right after, checks
 * what a failure must leave unchanged, and frees everything it made.
 * Returns the status of the calls under test. */
typedef tiso_status (*hs_operation)(void *ctx, size_t n, tiso_error *err);

/* Runs `op` for n = 1, 2, ... until it returns TISO_OK; fails the test if
 * a run returns anything but TISO_E_NOMEM (with a message) first, or if
 * it never succeeds. Returns the number of runs that failed cleanly. */
size_t hs_sweep(const char *what, hs_operation op, void *ctx);

/* Makes the nth allocation from now on fail (and all after it). */
void hs_arm(size_t n);

/* Stops injecting; returns how many allocations were made since hs_arm. */
size_t hs_disarm(void);

#endif /* TISO_HARDENING_SWEEP_H */
