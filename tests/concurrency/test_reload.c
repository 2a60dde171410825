/* Reloading: on demand (tiso_policy_set_load_file) and by watching files
 * (tiso_watcher), plus the audit hook. A valid change is applied; an invalid
 * one is refused while the old policy keeps answering; a file replaced by
 * rename, truncated, deleted and re-created is followed; a file replaced
 * while a manual reload is loading it is loaded again. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <tenantiso.h>

#define HOME "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
#define PEER_A "aaaaaaaa-5d4f-4e2a-9b1c-00000000000a"
#define PEER_B "bbbbbbbb-5d4f-4e2a-9b1c-00000000000b"
#define PEER_C "cccccccc-5d4f-4e2a-9b1c-00000000000c"

static char dir[256];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A policy for HOME that allows `peer` outbound. */
static void write_policy(const char *path, const char *peer)
{
    char doc[512];
    snprintf(doc, sizeof doc,
             "{\"properties\": {\"tenantId\": \"" HOME "\", \"isDisabled\": false, \"allowedTenants\": "
             "[{\"tenantId\": \"%s\", \"direction\": {\"inbound\": false, \"outbound\": true}}]}}",
             peer);
    write_file(path, doc);
}

/* Writes next to `path` and renames over it, as deploy tools do. */
static void replace_policy(const char *path, const char *peer)
{
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    write_policy(tmp, peer);
    assert_int_equal(rename(tmp, path), 0);
}

static int allows(tiso_policy_set *set, const char *peer)
{
    tiso_decision d;
    assert_int_equal(tiso_policy_set_evaluate(&d, set, HOME, peer, TISO_DIRECTION_AUTO), TISO_OK);
    return d.verdict == TISO_ALLOW;
}

/* Waits up to 20 s (a loaded machine, sanitizers) for the set to allow
 * `peer` (the watcher reloads asynchronously, after its debounce period). */
static int eventually_allows(tiso_policy_set *set, const char *peer)
{
    for (int i = 0; i < 2000; i++) {
        if (allows(set, peer))
            return 1;
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    return 0;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tiso-reload-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static void path_in_dir(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static void test_load_file_keeps_old_on_invalid(void **state)
{
    (void)state;
    char path[300];
    path_in_dir(path, sizeof path, "ondemand.json");
    write_policy(path, PEER_A);
    tiso_policy_set *set = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_load_file(set, path, NULL, &err), TISO_OK);
    assert_true(allows(set, PEER_A));
    write_file(path, "{\"properties\": {\"tenantId\": \"" HOME "\", \"isDisabled\": fals");
    assert_int_equal(tiso_policy_set_load_file(set, path, NULL, &err), TISO_E_SYNTAX);
    assert_non_null(strstr(err.message, "ondemand.json"));
    assert_true(allows(set, PEER_A)); /* the last good policy still answers */
    write_policy(path, PEER_B);
    assert_int_equal(tiso_policy_set_load_file(set, path, NULL, &err), TISO_OK);
    assert_true(allows(set, PEER_B));
    assert_false(allows(set, PEER_A));
    tiso_policy_set_free(set);
}

static atomic_int reloads_ok, reloads_failed;

static void on_reload(void *user, const char *path, tiso_status status, const tiso_error *err)
{
    (void)user, (void)path, (void)err;
    atomic_fetch_add(status == TISO_OK ? &reloads_ok : &reloads_failed, 1);
}

static void wait_for_failures(int n)
{
    for (int i = 0; i < 2000 && atomic_load(&reloads_failed) < n; i++)
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    assert_true(atomic_load(&reloads_failed) >= n);
}

static void test_watcher_follows_file(void **state)
{
    (void)state;
    char path[300];
    path_in_dir(path, sizeof path, "watched.json");
    write_policy(path, PEER_A);
    tiso_policy_set *set = NULL;
    tiso_watcher *w = NULL;
    tiso_error err;
    tiso_watch_options opts;
    tiso_watch_options_init(&opts);
    opts.debounce_ms = 50;
    opts.on_reload = on_reload;
    const char *paths[] = {path};
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_watcher_new(&w, set, paths, 1, &opts, &err), TISO_OK);
    assert_true(allows(set, PEER_A));

    replace_policy(path, PEER_B); /* replaced by rename */
    assert_true(eventually_allows(set, PEER_B));

    int failed = atomic_load(&reloads_failed);
    write_file(path, ""); /* truncated: refused, old policy kept */
    wait_for_failures(failed + 1);
    assert_true(allows(set, PEER_B));

    failed = atomic_load(&reloads_failed);
    assert_int_equal(unlink(path), 0); /* deleted: refused, old policy kept */
    wait_for_failures(failed + 1);
    assert_true(allows(set, PEER_B));

    write_policy(path, PEER_A); /* re-created */
    assert_true(eventually_allows(set, PEER_A));

    assert_int_equal(tiso_watcher_reload(w, &err), TISO_OK);
    tiso_watcher_free(w);
    tiso_policy_set_free(set);
}

static void test_watcher_refuses_bad_first_load(void **state)
{
    (void)state;
    char path[300];
    path_in_dir(path, sizeof path, "missing.json");
    tiso_policy_set *set = NULL;
    tiso_watcher *w = NULL;
    tiso_error err;
    const char *paths[] = {path};
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_watcher_new(&w, set, paths, 1, NULL, &err), TISO_E_IO);
    assert_null(w);
    assert_non_null(strstr(err.message, "missing.json"));
    tiso_policy_set_free(set);
}

/* ---- a change that lands while a manual reload is loading the file ---- */

/* A callback resolver that can hold a load in the middle: the loader has read
 * the whole file and is resolving a "domain" entry when it calls us. While
 * the gate is armed, the call says it has entered and waits to be released. */
typedef struct load_gate {
    atomic_int armed;
    atomic_int entered;
    atomic_int released;
} load_gate;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000 * 1000}, NULL);
}

/* Polls `flag` every 5 ms until it is set or `deadline_ms` has passed. */
static int wait_flag(atomic_int *flag, int64_t deadline_ms)
{
    while (!atomic_load(flag)) {
        if (now_ms() > deadline_ms)
            return 0;
        sleep_ms(5);
    }
    return 1;
}

static tiso_status gate_resolve(void *user, const char *domain, tiso_tenant_id *out, tiso_error *err)
{
    (void)domain, (void)err;
    load_gate *g = user;
    if (atomic_exchange(&g->armed, 0)) {
        atomic_store(&g->entered, 1);
        wait_flag(&g->released, now_ms() + 60 * 1000); /* the test releases us; never hang for good */
    }
    return tiso_tenant_id_parse(out, PEER_C, strlen(PEER_C));
}

typedef struct manual_reload {
    tiso_watcher *w;
    tiso_status status;
} manual_reload;

static void *manual_reload_main(void *arg)
{
    manual_reload *m = arg;
    m->status = tiso_watcher_reload(m->w, NULL);
    return NULL;
}

/* Polls (every 10 ms, up to 20 s: a loaded machine, sanitizers) until the set
 * allows `yes` and denies `no` for HOME's outbound connections. */
static int eventually_answers_from(tiso_policy_set *set, const char *yes, const char *no)
{
    for (int64_t deadline = now_ms() + 20 * 1000;; sleep_ms(10)) {
        if (allows(set, yes) && !allows(set, no))
            return 1;
        if (now_ms() > deadline)
            return 0;
    }
}

/* A manual reload (SIGHUP in the gateway example) reads the old file; while it
 * is still loading, the file is replaced by rename and the watcher thread sees
 * the change. The change must not be lost: once the manual reload is done, the
 * watcher loads the new file. (The bug: the manual reload cleared the file's
 * dirty mark after its load, erasing the mark the watcher set meanwhile, so
 * the watcher's debounced reload skipped the file and the old policy stayed.) */
static void test_change_during_manual_reload(void **state)
{
    (void)state;
    char path[300];
    path_in_dir(path, sizeof path, "raced.json");
    /* The old version allows PEER_A and, through a domain entry, PEER_C. */
    write_file(path, "{\"properties\": {\"tenantId\": \"" HOME "\", \"isDisabled\": false, \"allowedTenants\": ["
                     "{\"tenantId\": \"" PEER_A "\", \"direction\": {\"inbound\": false, \"outbound\": true}},"
                     "{\"domain\": \"gate.example.com\", \"direction\": {\"inbound\": false, \"outbound\": true}}]}}");
    load_gate gate = {0};
    tiso_resolver *resolver = NULL;
    tiso_policy_set *set = NULL;
    tiso_watcher *w = NULL;
    tiso_error err;
    tiso_load_options load;
    tiso_load_options_init(&load);
    tiso_watch_options opts;
    tiso_watch_options_init(&opts);
    opts.debounce_ms = 50;
    opts.load = &load;
    const char *paths[] = {path};
    assert_int_equal(tiso_resolver_new_callback(&resolver, gate_resolve, &gate, &err), TISO_OK);
    load.resolver = resolver;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_watcher_new(&w, set, paths, 1, &opts, &err), TISO_OK);
    assert_true(allows(set, PEER_A));
    assert_true(allows(set, PEER_C));

    /* A manual reload reads the old file and stops in the middle of loading it. */
    atomic_store(&gate.armed, 1);
    manual_reload m = {w, TISO_E_INVALID_ARGUMENT}; /* until it returns */
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, manual_reload_main, &m), 0);
    int entered = wait_flag(&gate.entered, now_ms() + 20 * 1000);
    if (!entered)
        atomic_store(&gate.released, 1); /* let the thread finish before failing */
    assert_true(entered);

    /* Meanwhile the file is replaced by a version that allows only PEER_B.
     * The pause gives the watcher thread time to see the rename while the
     * load is still held, so that before the fix the lost mark is (almost)
     * always hit; the test does not depend on it to pass. */
    replace_policy(path, PEER_B);
    sleep_ms(300);
    atomic_store(&gate.released, 1);
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_int_equal(m.status, TISO_OK); /* it loaded the old version */

    /* The watcher saw a change during that load, so it loads the new file. */
    assert_true(eventually_answers_from(set, PEER_B, PEER_A));
    assert_false(allows(set, PEER_C));

    tiso_watcher_free(w);
    tiso_policy_set_free(set);
    tiso_resolver_free(resolver);
}

typedef struct audit_log {
    atomic_int calls;
    atomic_int denies;
    uint64_t last_policy;
} audit_log;

static void audit(void *user, const tiso_audit_record *rec)
{
    audit_log *log = user;
    atomic_fetch_add(&log->calls, 1);
    if (rec->decision->verdict == TISO_DENY)
        atomic_fetch_add(&log->denies, 1);
    tiso_provenance prov;
    if (rec->outbound_policy && tiso_policy_provenance(&prov, rec->outbound_policy) == TISO_OK)
        log->last_policy = prov.id;
}

static void test_audit_hook(void **state)
{
    (void)state;
    char path[300];
    path_in_dir(path, sizeof path, "audited.json");
    write_policy(path, PEER_A);
    tiso_policy_set *set = NULL;
    audit_log log = {0};
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    assert_int_equal(tiso_policy_set_load_file(set, path, NULL, NULL), TISO_OK);
    assert_true(allows(set, PEER_A));
    assert_int_equal(atomic_load(&log.calls), 0);
    assert_int_equal(tiso_policy_set_set_audit(set, audit, &log, NULL), TISO_OK);
    assert_true(allows(set, PEER_A));
    assert_false(allows(set, PEER_B));
    tiso_decision d;
    assert_int_equal(tiso_policy_set_evaluate(&d, set, "not-a-tenant", HOME, TISO_DIRECTION_AUTO),
                     TISO_E_INVALID_TENANT);
    assert_int_equal(atomic_load(&log.calls), 3); /* errors are audited too */
    assert_int_equal(atomic_load(&log.denies), 2);
    tiso_policy *p = NULL;
    tiso_tenant_id home;
    tiso_provenance prov;
    assert_int_equal(tiso_tenant_id_parse(&home, HOME, strlen(HOME)), TISO_OK);
    assert_int_equal(tiso_policy_set_get(&p, set, &home), TISO_OK);
    assert_int_equal(tiso_policy_provenance(&prov, p), TISO_OK);
    assert_int_equal(log.last_policy, prov.id);
    assert_string_equal(prov.source, path);
    assert_int_equal(strlen(prov.sha256_hex), 64);
    assert_int_equal(tiso_policy_set_evaluate(&d, set, HOME, PEER_A, TISO_DIRECTION_AUTO), TISO_OK);
    assert_int_equal(d.policy_id, prov.id);
    tiso_policy_free(p);
    assert_int_equal(tiso_policy_set_set_audit(set, NULL, NULL, NULL), TISO_OK);
    assert_true(allows(set, PEER_A));
    assert_int_equal(atomic_load(&log.calls), 4);
    tiso_policy_set_free(set);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_file_keeps_old_on_invalid),
        cmocka_unit_test(test_watcher_follows_file),
        cmocka_unit_test(test_watcher_refuses_bad_first_load),
        cmocka_unit_test(test_change_during_manual_reload),
        cmocka_unit_test(test_audit_hook),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
