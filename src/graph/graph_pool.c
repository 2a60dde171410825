/* A small pool of idle curl easy handles, so that consecutive look-ups of a
 * client reuse their connections. Depends on nothing else in src/graph/. */
#include "graph_internal.h"

bool tiso__pool_init(tiso__easy_pool *p)
{
    p->count = 0;
    return pthread_mutex_init(&p->lock, NULL) == 0;
}

void tiso__pool_destroy(tiso__easy_pool *p)
{
    for (size_t i = 0; i < p->count; i++)
        curl_easy_cleanup(p->idle[i]);
    p->count = 0;
    pthread_mutex_destroy(&p->lock);
}

CURL *tiso__easy_acquire(tiso__easy_pool *p)
{
    CURL *e = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->count > 0)
        e = p->idle[--p->count];
    pthread_mutex_unlock(&p->lock);
    if (e != NULL) {
        curl_easy_reset(e); /* keeps live connections, drops every option */
        return e;
    }
    return curl_easy_init();
}

void tiso__easy_release(tiso__easy_pool *p, CURL *easy)
{
    if (easy == NULL)
        return;
    pthread_mutex_lock(&p->lock);
    if (p->count < sizeof p->idle / sizeof p->idle[0]) {
        p->idle[p->count++] = easy;
        easy = NULL;
    }
    pthread_mutex_unlock(&p->lock);
    if (easy != NULL)
        curl_easy_cleanup(easy);
}
