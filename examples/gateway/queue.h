/* A bounded, blocking queue of input lines, from the reader to the workers.
 * Bounded so that a fast input cannot grow memory without limit: the reader
 * waits while the workers catch up. */
#ifndef GATEWAY_QUEUE_H
#define GATEWAY_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* One connection attempt as read: its line number and its text (owned). */
typedef struct gw_job {
    unsigned long line;
    char *text;
} gw_job;

typedef struct gw_queue {
    pthread_mutex_t lock;
    pthread_cond_t not_empty;
    pthread_cond_t not_full;
    gw_job *slots;
    size_t capacity, head, count;
    bool closed;
} gw_queue;

/* Returns 0, or -1 when out of memory. */
int gw_queue_init(gw_queue *q, size_t capacity);
void gw_queue_destroy(gw_queue *q);

/* Adds `job`, waiting while the queue is full. The queue owns job.text from
 * then on. Returns 0, or -1 if the queue is closed (job.text is not taken). */
int gw_queue_push(gw_queue *q, gw_job job);

/* Takes the oldest job into `*out`, waiting while the queue is empty.
 * Returns true, or false once the queue is closed and drained. */
bool gw_queue_pop(gw_queue *q, gw_job *out);

/* No more pushes: wakes every waiting worker so they can drain and stop. */
void gw_queue_close(gw_queue *q);

#endif /* GATEWAY_QUEUE_H */
