/* Watching policy files and reloading them into a policy set (see watch.h).
 *
 * One thread per watcher waits on inotify (watching each file's directory,
 * because editors and deploy tools replace files by rename) and on a pipe
 * that tiso_watcher_free writes to. A change marks its file dirty; once no
 * change has come for the debounce period, dirty files are reloaded.
 *
 * The dirty mark is atomic: the watcher thread sets it while a manual reload
 * (tiso_watcher_reload, on another thread) may be loading the same file. A
 * reload takes the mark off (atomic exchange) before it reads the file, never
 * after: a change that lands during the load then leaves the mark set, and
 * the watcher's next debounced reload loads the file again. */
#include <stdatomic.h>
#include <string.h>

#include "policy_internal.h"

void tiso_watch_options_init(tiso_watch_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = TISO_WATCH_OPTIONS_VERSION;
    opts->debounce_ms = 200;
}

#if defined(__linux__)

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

typedef struct watched_file {
    char *path;
    char *dir;
    const char *name; /* points into path */
    int wd;
    atomic_bool dirty; /* changed since the last reload began reading it */
    bool has_home;
    tiso_tenant_id home;
} watched_file;

struct tiso_watcher {
    tiso_policy_set *set;
    tiso_load_options load;
    bool has_load;
    tiso_reload_fn on_reload;
    void *user;
    uint32_t debounce_ms;
    watched_file *files;
    size_t count;
    int inotify_fd;
    int stop_pipe[2];
    pthread_t thread;
    bool running;
    pthread_mutex_t reload_lock; /* the watcher thread and tiso_watcher_reload take turns */
};

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB)

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- reloading ---- */

static const tiso_load_options *load_options(const tiso_watcher *w)
{
    return w->has_load ? &w->load : NULL;
}

/* Loads one file into the set. A file replaces only the policy it gave
 * itself: when its home tenant changed, the old home's policy leaves the
 * set with it; when the new home holds another file's policy, nothing
 * changes and the reload fails with TISO_E_CONFLICT. The caller has taken
 * the file's dirty mark off before this reads it. */
static tiso_status reload_file(tiso_watcher *w, watched_file *f, tiso_error *err)
{
    tiso_policy *p = NULL;
    tiso_status s = tiso_policy_load_file(&p, f->path, load_options(w), err);
    if (s == TISO_OK)
        s = tiso__policy_set_put_file(w->set, p, f->has_home ? &f->home : NULL, err);
    if (s == TISO_OK)
        f->has_home = tiso_policy_home_tenant(&f->home, p);
    tiso_policy_free(p);
    if (w->on_reload)
        w->on_reload(w->user, f->path, s, err);
    return s;
}

static tiso_status reload(tiso_watcher *w, bool dirty_only, tiso_error *err)
{
    tiso_status first = TISO_OK;
    pthread_mutex_lock(&w->reload_lock);
    for (size_t i = 0; i < w->count; i++) {
        /* Take the mark off before reading, so a change from now on marks the
         * file again (and is reloaded next time) instead of being erased. */
        bool was_dirty = atomic_exchange(&w->files[i].dirty, false);
        if (dirty_only && !was_dirty)
            continue;
        tiso_error e;
        tiso_error_clear(&e);
        tiso_status s = reload_file(w, &w->files[i], &e);
        if (s != TISO_OK && first == TISO_OK) {
            first = s;
            if (err)
                *err = e;
        }
    }
    pthread_mutex_unlock(&w->reload_lock);
    return first;
}

/* ---- the thread ---- */

/* Marks the files an inotify event names. Returns true if any. */
static bool mark_dirty(tiso_watcher *w, const struct inotify_event *ev)
{
    bool any = false;
    for (size_t i = 0; i < w->count; i++) {
        watched_file *f = &w->files[i];
        if ((ev->mask & IN_Q_OVERFLOW) || (ev->wd == f->wd && ev->len && strcmp(ev->name, f->name) == 0)) {
            atomic_store(&f->dirty, true);
            any = true;
        }
    }
    return any;
}

static bool drain_events(tiso_watcher *w)
{
    _Alignas(struct inotify_event) char buf[8192];
    bool any = false;
    for (;;) {
        ssize_t n = read(w->inotify_fd, buf, sizeof buf);
        if (n <= 0)
            return any;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
            any |= mark_dirty(w, ev);
            p += sizeof *ev + ev->len;
        }
    }
}

static void *watch_thread(void *arg)
{
    tiso_watcher *w = arg;
    int64_t deadline = -1; /* when to reload; -1: nothing pending */
    for (;;) {
        struct pollfd fds[2] = {{w->inotify_fd, POLLIN, 0}, {w->stop_pipe[0], POLLIN, 0}};
        int timeout = deadline < 0 ? -1 : (int)(deadline > now_ms() ? deadline - now_ms() : 0);
        int n = poll(fds, 2, timeout);
        if (n < 0 && errno != EINTR)
            break;
        if (fds[1].revents)
            break;
        if (n > 0 && (fds[0].revents & POLLIN) && drain_events(w))
            deadline = now_ms() + w->debounce_ms; /* wait for the writer to finish */
        if (deadline >= 0 && now_ms() >= deadline) {
            reload(w, true, NULL);
            deadline = -1;
        }
    }
    return NULL;
}

/* ---- setting up ---- */

static tiso_status add_file(tiso_watcher *w, watched_file *f, const char *path, tiso_error *err)
{
    f->wd = -1;
    atomic_init(&f->dirty, false);
    f->path = tiso__strndup(path, strlen(path));
    const char *slash = strrchr(path, '/');
    f->dir = slash ? tiso__strndup(path, slash == path ? 1 : (size_t)(slash - path)) : tiso__strndup(".", 1);
    if (!f->path || !f->dir)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    f->name = slash ? f->path + (slash - path) + 1 : f->path;
    if (!*f->name)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "%s: not a file name", path);
    f->wd = inotify_add_watch(w->inotify_fd, f->dir, WATCH_MASK);
    if (f->wd < 0)
        return tiso__fail(err, TISO_E_IO, NULL, "%s: cannot watch directory %s: %s", path, f->dir, strerror(errno));
    return TISO_OK;
}

/* The first load, all or nothing: every file is read before any policy is
 * put, and what was put is taken out again if a put fails (two files for
 * one home tenant: the second put is a conflict). */
static tiso_status first_load(tiso_watcher *w, tiso_error *err)
{
    tiso_policy **loaded = tiso__calloc(w->count, sizeof *loaded);
    if (!loaded)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    tiso_status s = TISO_OK;
    for (size_t i = 0; s == TISO_OK && i < w->count; i++)
        s = tiso_policy_load_file(&loaded[i], w->files[i].path, load_options(w), err);
    size_t put = 0;
    for (; s == TISO_OK && put < w->count; put++)
        s = tiso__policy_set_put_file(w->set, loaded[put], NULL, err);
    for (size_t i = 0; i < w->count; i++) {
        watched_file *f = &w->files[i];
        if (s == TISO_OK)
            f->has_home = tiso_policy_home_tenant(&f->home, loaded[i]);
        else if (i + 1 < put)
            tiso_policy_set_remove(w->set, &loaded[i]->home, NULL);
        tiso_policy_free(loaded[i]);
    }
    tiso__free(loaded);
    for (size_t i = 0; s == TISO_OK && w->on_reload && i < w->count; i++)
        w->on_reload(w->user, w->files[i].path, TISO_OK, err);
    return s;
}

static tiso_status start(tiso_watcher *w, const char *const *paths, size_t count, tiso_error *err)
{
    w->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->inotify_fd < 0 || pipe(w->stop_pipe) != 0)
        return tiso__fail(err, TISO_E_IO, NULL, "cannot start watching files: %s", strerror(errno));
    w->files = tiso__calloc(count, sizeof *w->files);
    if (!w->files)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    for (size_t i = 0; i < count; i++) {
        w->count = i + 1;
        tiso_status s = paths[i] ? add_file(w, &w->files[i], paths[i], err)
                                 : tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "watcher: NULL path");
        if (s != TISO_OK)
            return s;
    }
    tiso_status s = first_load(w, err);
    if (s != TISO_OK)
        return s;
    if (pthread_create(&w->thread, NULL, watch_thread, w) != 0)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "cannot start the watcher thread");
    w->running = true;
    return TISO_OK;
}

tiso_status tiso_watcher_new(tiso_watcher **out, tiso_policy_set *set, const char *const *paths, size_t count,
                             const tiso_watch_options *opts, tiso_error *err)
{
    if (!out || !set || !paths || count == 0)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "watcher: NULL pointer or no files");
    if (opts && opts->version != TISO_WATCH_OPTIONS_VERSION)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "watch options: call tiso_watch_options_init");
    tiso_watcher *w = tiso__calloc(1, sizeof *w);
    if (!w)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    w->set = set;
    w->inotify_fd = w->stop_pipe[0] = w->stop_pipe[1] = -1;
    w->debounce_ms = opts && opts->debounce_ms ? opts->debounce_ms : 200;
    w->on_reload = opts ? opts->on_reload : NULL;
    w->user = opts ? opts->user : NULL;
    if (opts && opts->load) {
        w->load = *opts->load;
        w->has_load = true;
    }
    pthread_mutex_init(&w->reload_lock, NULL);
    tiso_status s = start(w, paths, count, err);
    if (s != TISO_OK) {
        tiso_watcher_free(w);
        return s;
    }
    *out = w;
    return TISO_OK;
}

tiso_status tiso_watcher_reload(tiso_watcher *w, tiso_error *err)
{
    if (!w)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "watcher: NULL pointer");
    return reload(w, false, err);
}

void tiso_watcher_free(tiso_watcher *w)
{
    if (!w)
        return;
    if (w->running) {
        ssize_t ignored = write(w->stop_pipe[1], "x", 1);
        (void)ignored;
        pthread_join(w->thread, NULL);
    }
    int fds[] = {w->inotify_fd, w->stop_pipe[0], w->stop_pipe[1]};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    for (size_t i = 0; i < w->count; i++) {
        tiso__free(w->files[i].path);
        tiso__free(w->files[i].dir);
    }
    tiso__free(w->files);
    pthread_mutex_destroy(&w->reload_lock);
    tiso__free(w);
}

#else /* !__linux__ */

tiso_status tiso_watcher_new(tiso_watcher **out, tiso_policy_set *set, const char *const *paths, size_t count,
                             const tiso_watch_options *opts, tiso_error *err)
{
    (void)out, (void)set, (void)paths, (void)count, (void)opts;
    return tiso__fail(err, TISO_E_UNSUPPORTED, NULL, "watching files needs Linux inotify");
}

tiso_status tiso_watcher_reload(tiso_watcher *w, tiso_error *err)
{
    (void)w;
    return tiso__fail(err, TISO_E_UNSUPPORTED, NULL, "watching files needs Linux inotify");
}

void tiso_watcher_free(tiso_watcher *w)
{
    (void)w;
}

#endif
