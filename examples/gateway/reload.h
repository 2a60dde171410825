/* Reloading policies on SIGHUP.
 *
 * SIGHUP is blocked in every thread (gw_reload_block_signals, before any
 * thread starts) and taken synchronously by one thread with sigtimedwait, so
 * the reload runs as ordinary code: no async-signal-safety limits, no flag
 * to poll on the hot path. With a watcher the library reloads on file
 * changes by itself and SIGHUP asks it to reload every file now; without one
 * (-W) each file is reloaded with tiso_policy_set_load_file. Either way a
 * file is parsed before it replaces anything, so an invalid file leaves the
 * last good policy in place. */
#ifndef GATEWAY_RELOAD_H
#define GATEWAY_RELOAD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include <tenantiso.h>

typedef struct gw_reloader {
    tiso_policy_set *set;
    tiso_watcher *watcher; /* NULL: reload file by file */
    const char *const *paths;
    size_t count;
    const tiso_load_options *load;
    atomic_bool stop;
    pthread_t thread;
} gw_reloader;

/* Blocks SIGHUP in the calling thread and every thread it creates later. */
void gw_reload_block_signals(void);

/* Says on stderr how loading one file went: the tiso_reload_fn of the
 * watcher, also used for reloads without one. */
void gw_reload_report(void *user, const char *path, tiso_status status, const tiso_error *err);

/* Starts the thread that waits for SIGHUP. `r`'s fields above `stop` must be
 * set and outlive it. Returns 0 or -1. */
int gw_reloader_start(gw_reloader *r);

/* Stops and joins the thread (within a fraction of a second). */
void gw_reloader_stop(gw_reloader *r);

#endif /* GATEWAY_RELOAD_H */
