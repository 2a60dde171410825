/* Audit lines: one JSON object per decision, written by the library's audit
 * hook on the evaluating thread, or by a worker for a line that never
 * reached evaluation (bad JSON, an unknown domain). */
#ifndef GATEWAY_AUDIT_H
#define GATEWAY_AUDIT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include <tenantiso.h>

typedef struct gw_audit {
    FILE *out;
    pthread_mutex_t lock; /* one whole line at a time, flushed, so readers see it at once */
    atomic_ulong allowed, denied, errors;
} gw_audit;

void gw_audit_init(gw_audit *a, FILE *out);
void gw_audit_destroy(gw_audit *a);

/* Tells the hook, on this thread, which input line the next evaluation
 * answers: the hook's `user` pointer is per set, not per call. */
void gw_audit_set_line(unsigned long line);

/* The tiso_audit_fn given to tiso_policy_set_set_audit; `user` is a gw_audit. */
void gw_audit_hook(void *user, const tiso_audit_record *record);

/* A line that was denied before evaluation: fail closed, with the reason.
 * `creator` and `target` are the input's text, or NULL when absent. */
void gw_audit_error(gw_audit *a, unsigned long line, const char *creator, const char *target, tiso_status status,
                    const char *message);

#endif /* GATEWAY_AUDIT_H */
