/* The bounded queue: a ring buffer under one mutex and two conditions. */
#include "queue.h"

#include <stdlib.h>

int gw_queue_init(gw_queue *q, size_t capacity)
{
    q->slots = calloc(capacity, sizeof *q->slots);
    if (!q->slots)
        return -1;
    q->capacity = capacity;
    q->head = q->count = 0;
    q->closed = false;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    return 0;
}

void gw_queue_destroy(gw_queue *q)
{
    for (size_t i = 0; i < q->count; i++)
        free(q->slots[(q->head + i) % q->capacity].text);
    free(q->slots);
    pthread_cond_destroy(&q->not_full);
    pthread_cond_destroy(&q->not_empty);
    pthread_mutex_destroy(&q->lock);
}

int gw_queue_push(gw_queue *q, gw_job job)
{
    pthread_mutex_lock(&q->lock);
    while (q->count == q->capacity && !q->closed)
        pthread_cond_wait(&q->not_full, &q->lock);
    if (q->closed) {
        pthread_mutex_unlock(&q->lock);
        return -1;
    }
    q->slots[(q->head + q->count) % q->capacity] = job;
    q->count++;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->lock);
    return 0;
}

bool gw_queue_pop(gw_queue *q, gw_job *out)
{
    pthread_mutex_lock(&q->lock);
    while (q->count == 0 && !q->closed)
        pthread_cond_wait(&q->not_empty, &q->lock);
    bool got = q->count > 0;
    if (got) {
        *out = q->slots[q->head];
        q->head = (q->head + 1) % q->capacity;
        q->count--;
        pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->lock);
    return got;
}

void gw_queue_close(gw_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = true;
    pthread_cond_broadcast(&q->not_empty);
    pthread_cond_broadcast(&q->not_full);
    pthread_mutex_unlock(&q->lock);
}
