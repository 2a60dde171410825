/* The SIGHUP thread. */
#include "reload.h"

#include <signal.h>
#include <stdio.h>
#include <time.h>

void gw_reload_block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

void gw_reload_report(void *user, const char *path, tiso_status status, const tiso_error *err)
{
    (void)user;
    if (status == TISO_OK) /* `err` is not filled on success */
        fprintf(stderr, "tenantiso_gateway: loaded %s\n", path);
    else
        fprintf(stderr, "tenantiso_gateway: %s: %s; keeping the previous policy\n", path,
                err && err->message[0] ? err->message : tiso_strerror(status));
}

static void reload_all(gw_reloader *r)
{
    fprintf(stderr, "tenantiso_gateway: SIGHUP: reloading %zu file(s)\n", r->count);
    if (r->watcher) {
        tiso_watcher_reload(r->watcher, NULL); /* reports each file through gw_reload_report */
    } else {
        for (size_t i = 0; i < r->count; i++) {
            tiso_error err;
            tiso_status s = tiso_policy_set_load_file(r->set, r->paths[i], r->load, &err);
            gw_reload_report(NULL, r->paths[i], s, &err);
        }
    }
    fprintf(stderr, "tenantiso_gateway: reload done\n");
}

/* Waits in short slices so that gw_reloader_stop needs no signal of its own. */
static void *reloader_main(void *arg)
{
    gw_reloader *r = arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    const struct timespec slice = {0, 100L * 1000L * 1000L};
    while (!atomic_load(&r->stop)) {
        if (sigtimedwait(&set, NULL, &slice) == SIGHUP)
            reload_all(r);
    }
    return NULL;
}

int gw_reloader_start(gw_reloader *r)
{
    atomic_init(&r->stop, false);
    return pthread_create(&r->thread, NULL, reloader_main, r) == 0 ? 0 : -1;
}

void gw_reloader_stop(gw_reloader *r)
{
    atomic_store(&r->stop, true);
    pthread_join(r->thread, NULL);
}
