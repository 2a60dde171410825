/* Watching policy files: initial load, reload on demand and on change, the
 * last good policy kept when a file turns bad (watch.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"

#define CONTOSO_OPEN "{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": true, \"allowedTenants\": []}"
#define CONTOSO_CLOSED "{\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": []}"

static void replace_file(const char *path, const char *text)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    FILE *f = fopen(tmp, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
    assert_int_equal(rename(tmp, path), 0); /* as editors do */
}

static tiso_verdict verdict_of(tiso_policy_set *set, const char *creator, const char *target)
{
    tiso_decision d;
    assert_int_equal(tiso_policy_set_evaluate(&d, set, creator, target, TISO_DIRECTION_AUTO), TISO_OK);
    return d.verdict;
}

static tiso_verdict verdict(tiso_policy_set *set)
{
    return verdict_of(set, CONTOSO, FABRIKAM);
}

typedef struct reload_log {
    volatile int calls;
    volatile tiso_status last;
} reload_log;

static void on_reload(void *user, const char *path, tiso_status status, const tiso_error *err)
{
    reload_log *log = user;
    (void)path;
    (void)err;
    __atomic_store_n(&log->last, status, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&log->calls, 1, __ATOMIC_SEQ_CST);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void reload_on_demand_keeps_last_good(void **state)
{
    (void)state;
    char *path = tt_write_temp(CONTOSO_OPEN, strlen(CONTOSO_OPEN));
    tiso_policy_set *set = NULL;
    tiso_watcher *w = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    const char *paths[] = {path};
    assert_int_equal(tiso_watcher_new(&w, set, paths, 1, NULL, &err), TISO_OK);
    assert_int_equal(tiso_policy_set_count(set), 1);
    assert_int_equal(verdict(set), TISO_ALLOW);
    replace_file(path, "{ not json");
    assert_int_equal(tiso_watcher_reload(w, &err), TISO_E_SYNTAX);
    tt_assert_error(&err, TISO_E_SYNTAX);
    assert_int_equal(verdict(set), TISO_ALLOW);
    replace_file(path, CONTOSO_CLOSED);
    assert_int_equal(tiso_watcher_reload(w, &err), TISO_OK);
    assert_int_equal(verdict(set), TISO_DENY);
    tiso_watcher_free(w);
    assert_int_equal(tiso_policy_set_count(set), 1); /* the set keeps its policies */
    tiso_policy_set_free(set);
    unlink(path);
    free(path);
}

static void reloads_when_the_file_changes(void **state)
{
    (void)state;
    char *path = tt_write_temp(CONTOSO_OPEN, strlen(CONTOSO_OPEN));
    tiso_policy_set *set = NULL;
    tiso_watcher *w = NULL;
    reload_log log = {0, TISO_OK};
    tiso_watch_options opts;
    tiso_watch_options_init(&opts);
    opts.debounce_ms = 20;
    opts.on_reload = on_reload;
    opts.user = &log;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    const char *paths[] = {path};
    tiso_status s = tiso_watcher_new(&w, set, paths, 1, &opts, NULL);
    if (s == TISO_E_UNSUPPORTED) {
        skip();
    }
    assert_int_equal(s, TISO_OK);
    replace_file(path, CONTOSO_CLOSED);
    for (int i = 0; i < 1000 && verdict(set) != TISO_DENY; i++) {
        sleep_ms(10);
    }
    assert_int_equal(verdict(set), TISO_DENY);
    /* The first load counts as a reload too, and the callback of the one
     * that applied the change may still be on its way: wait for the outcome
     * asked for, not for a number of calls. */
    replace_file(path, "{\"tenantId\": 5}");
    for (int i = 0; i < 1000 && __atomic_load_n(&log.last, __ATOMIC_SEQ_CST) != TISO_E_SCHEMA; i++) {
        sleep_ms(10);
    }
    tiso_watcher_free(w);
    assert_true(__atomic_load_n(&log.calls, __ATOMIC_SEQ_CST) >= 2);
    assert_int_equal(log.last, TISO_E_SCHEMA);
    assert_int_equal(verdict(set), TISO_DENY); /* last good kept */
    tiso_policy_set_free(set);
    unlink(path);
    free(path);
}

static void bad_arguments(void **state)
{
    (void)state;
    tiso_policy_set *set = NULL;
    tiso_watcher *w = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    const char *missing[] = {"/nonexistent/tiso/policy.json"};
    assert_int_equal(tiso_watcher_new(&w, set, missing, 1, NULL, &err), TISO_E_IO);
    tt_assert_contains(err.message, "/nonexistent/tiso/policy.json");
    assert_null(w);
    assert_int_equal(tiso_watcher_new(NULL, set, missing, 1, NULL, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_watcher_new(&w, NULL, missing, 1, NULL, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_watcher_new(&w, set, NULL, 1, NULL, &err), TISO_E_INVALID_ARGUMENT);
    const char *with_null[] = {NULL};
    assert_int_equal(tiso_watcher_new(&w, set, with_null, 1, NULL, &err), TISO_E_INVALID_ARGUMENT);
    assert_null(w);
    assert_int_equal(tiso_watcher_reload(NULL, &err), TISO_E_INVALID_ARGUMENT);
    tiso_watcher_free(NULL);
    tiso_watch_options_init(NULL);
    tiso_policy_set_free(set);
}

#define HOME_OF(id, disabled) "{\"tenantId\": \"" id "\", \"isDisabled\": " disabled ", \"allowedTenants\": []}"

/* SPEC 3.1: a reload replaces only what it owns. Watching h.json (home H)
 * and x.json (home X), x.json turns to home H and back: H's policy, which
 * only h.json gives, must stay (it left the set, and H -> Y was allowed). */
static void home_flip_keeps_another_files_policy(void **state)
{
    (void)state;
    char *h = tt_write_temp(HOME_OF(CONTOSO, "false"), strlen(HOME_OF(CONTOSO, "false")));
    char *x = tt_write_temp(HOME_OF(FABRIKAM, "false"), strlen(HOME_OF(FABRIKAM, "false")));
    tiso_policy_set *set = NULL;
    tiso_watcher *w = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    const char *paths[] = {h, x};
    tiso_status s = tiso_watcher_new(&w, set, paths, 2, NULL, &err);
    if (s == TISO_E_UNSUPPORTED)
        skip();
    assert_int_equal(s, TISO_OK);
    assert_int_equal(verdict_of(set, CONTOSO, TENANT_C), TISO_DENY);
    replace_file(x, HOME_OF(CONTOSO, "true"));
    assert_int_equal(tiso_watcher_reload(w, &err), TISO_E_CONFLICT);
    tt_assert_error(&err, TISO_E_CONFLICT);
    tt_assert_contains(err.message, x);
    tt_assert_contains(err.message, h);
    assert_int_equal(verdict_of(set, CONTOSO, TENANT_C), TISO_DENY); /* h.json's policy, not x.json's */
    assert_int_equal(verdict_of(set, FABRIKAM, TENANT_C), TISO_DENY); /* x.json's last good */
    replace_file(x, HOME_OF(FABRIKAM, "false"));
    assert_int_equal(tiso_watcher_reload(w, &err), TISO_OK);
    assert_int_equal(tiso_policy_set_count(set), 2);
    assert_int_equal(verdict_of(set, CONTOSO, TENANT_C), TISO_DENY);
    /* a file may move to a home nobody holds: its old home leaves with it */
    replace_file(x, HOME_OF(TENANT_A, "false"));
    assert_int_equal(tiso_watcher_reload(w, &err), TISO_OK);
    assert_int_equal(tiso_policy_set_count(set), 2);
    assert_int_equal(verdict_of(set, FABRIKAM, TENANT_C), TISO_ALLOW);
    assert_int_equal(verdict_of(set, TENANT_A, TENANT_C), TISO_DENY);
    tiso_watcher_free(w);
    tiso_policy_set_free(set);
    unlink(h);
    unlink(x);
    free(h);
    free(x);
}

/* Two watched files for one home: refused up front, and nothing is put in
 * the set (the verdict would follow whichever was written last). */
static void two_files_one_home_are_refused(void **state)
{
    (void)state;
    char *a = tt_write_temp(HOME_OF(CONTOSO, "false"), strlen(HOME_OF(CONTOSO, "false")));
    char *b = tt_write_temp(HOME_OF(CONTOSO, "true"), strlen(HOME_OF(CONTOSO, "true")));
    char *c = tt_write_temp(HOME_OF(FABRIKAM, "false"), strlen(HOME_OF(FABRIKAM, "false")));
    tiso_policy_set *set = NULL;
    tiso_watcher *w = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_set_new(&set, 0, NULL), TISO_OK);
    const char *paths[] = {c, a, b};
    tiso_status s = tiso_watcher_new(&w, set, paths, 3, NULL, &err);
    if (s == TISO_E_UNSUPPORTED)
        skip();
    assert_int_equal(s, TISO_E_CONFLICT);
    tt_assert_contains(err.message, a);
    tt_assert_contains(err.message, b);
    assert_null(w);
    assert_int_equal(tiso_policy_set_count(set), 0);
    tiso_policy_set_free(set);
    unlink(a);
    unlink(b);
    unlink(c);
    free(a);
    free(b);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reload_on_demand_keeps_last_good),
        cmocka_unit_test(reloads_when_the_file_changes),
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(home_flip_keeps_another_files_policy),
        cmocka_unit_test(two_files_one_home_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
