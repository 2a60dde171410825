/* libtenantiso: keeping a policy set in step with policy files.
 *
 * A watcher loads each file into a policy set, then watches the files (Linux
 * inotify, on their directories, so an editor's write-and-rename, a
 * truncation, or a delete and re-create are all seen) and reloads a file a
 * short quiet period after it last changed. A reload parses the new document
 * first: when it is invalid (or the file is gone) the set keeps the last good
 * policy and the callback is told why. Evaluation never waits for a reload. */
#ifndef TENANTISO_WATCH_H
#define TENANTISO_WATCH_H

#include "common.h"
#include "policy.h"
#include "policyset.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tiso_watcher tiso_watcher;

/* Told about every reload attempt, on the watcher's own thread (and about
 * each file of a successful first load, on the caller's): `status` is
 * TISO_OK when the new policy is in the set, otherwise `err` says why the old
 * one was kept (TISO_E_CONFLICT: the file now names another file's home). `path` and `err` are borrowed for the call. */
typedef void (*tiso_reload_fn)(void *user, const char *path, tiso_status status, const tiso_error *err);

#define TISO_WATCH_OPTIONS_VERSION 1

typedef struct tiso_watch_options {
    uint32_t version;              /* TISO_WATCH_OPTIONS_VERSION */
    uint32_t debounce_ms;          /* quiet period before a reload; default 200 */
    const tiso_load_options *load; /* borrowed; NULL for the defaults. Its resolver must outlive the watcher */
    tiso_reload_fn on_reload;      /* may be NULL */
    void *user;                    /* passed to on_reload; stays the caller's */
} tiso_watch_options;

/* Fills `opts` with the defaults. NULL is fine. */
TISO_API void tiso_watch_options_init(tiso_watch_options *opts);

/* Loads each of the `count` files at `paths` into `set` now, then starts a
 * thread that reloads them when they change. The first load is all or
 * nothing: every file is read and checked before any policy is put, and on
 * failure nothing is watched and the set is as it was. A file owns the
 * policy it gave (SPEC 3.1): when its home tenant changes, the old home's
 * policy leaves the set with it; a reload that names a home held by another
 * file (or put in the set by other means) changes nothing and reports
 * TISO_E_CONFLICT. The set must outlive the watcher. The caller owns `*out`.
 * Returns TISO_OK; TISO_E_CONFLICT (two files, or a file and the set, for
 * one home tenant); any status of tiso_policy_load_file for a file that
 * fails its first load; TISO_E_IO when the files cannot be watched;
 * TISO_E_UNSUPPORTED on systems without inotify; TISO_E_NOMEM;
 * TISO_E_INVALID_ARGUMENT. */
TISO_API tiso_status tiso_watcher_new(tiso_watcher **out, tiso_policy_set *set, const char *const *paths,
                                      size_t count, const tiso_watch_options *opts, tiso_error *err);

/* Reloads every watched file now (for a SIGHUP handler's thread, say), as a
 * change would. Returns TISO_OK if every file reloaded, else the first
 * failure's status with `err` (the set keeps the old policies). */
TISO_API tiso_status tiso_watcher_reload(tiso_watcher *w, tiso_error *err);

/* Stops the watcher's thread and frees it. The set keeps its policies.
 * NULL is fine. */
TISO_API void tiso_watcher_free(tiso_watcher *w);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_WATCH_H */
