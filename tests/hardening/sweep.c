/* Allocation-failure sweeps (see sweep.h). */
#include "sweep.h"

#include "internal.h"

#define HS_MAX_RUNS 200000

void hs_arm(size_t n)
{
    tiso__test_fail_alloc_after(n);
}

size_t hs_disarm(void)
{
    return tiso__test_fail_alloc_after(0);
}

size_t hs_sweep(const char *what, hs_operation op, void *ctx)
{
    for (size_t n = 1; n <= HS_MAX_RUNS; n++) {
        tiso_error err;
        tiso_error_clear(&err);
        tiso_status s = op(ctx, n, &err);
        hs_disarm();
        if (s == TISO_OK) {
            print_message("%s: %zu runs failed cleanly before it succeeded\n", what, n - 1);
            return n - 1;
        }
        if (s != TISO_E_NOMEM) {
            fail_msg("%s with allocation %zu failing: %s (%s), expected nomem", what, n, tiso_status_name(s),
                     err.message);
        }
        if (err.status != TISO_E_NOMEM || err.message[0] == '\0') {
            fail_msg("%s with allocation %zu failing: err says %s, '%s'", what, n, tiso_status_name(err.status),
                     err.message);
        }
    }
    fail_msg("%s never succeeded", what);
    return 0;
}
