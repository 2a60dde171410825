/* Every tests/data/policies/warnings/<name>.json must load, with exactly the
 * warnings <name>.expect lists (in any order):
 * {"warnings": [{"code": "<tiso_warning_code_name>", "path": "..."}],
 *  "domains"?: {...}}. Usage: run_warnings DIR */
#include <stdio.h>
#include <string.h>

#include "expect_file.h"

static int matches(const tiso_warning *w, const cJSON *want)
{
    const char *code = tt_json_str(want, "code");
    const char *path = tt_json_str(want, "path");
    return code != NULL && strcmp(code, tiso_warning_code_name(w->code)) == 0 &&
           (path == NULL || (w->path != NULL && strcmp(path, w->path) == 0));
}

static void describe(const tiso_policy *p, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < tiso_policy_warning_count(p) && used < size; i++) {
        tiso_warning w;
        tiso_policy_warning_at(&w, p, i);
        used += (size_t)snprintf(buf + used, size - used, " [%s %s]", tiso_warning_code_name(w.code),
                                 w.path ? w.path : "(null)");
    }
}

static void check_warnings(tt_data_case *c)
{
    tiso_policy *p = NULL;
    tiso_error err;
    tiso_status s = tiso_policy_load_json(&p, c->input, c->input_len, &c->opts, &err);
    if (s != TISO_OK) {
        fail_msg("%s: %s: %s", c->name, tiso_status_name(s), err.message);
    }
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(c->expect, "warnings");
    size_t n = tiso_policy_warning_count(p);
    char got[2048];
    describe(p, got, sizeof got);
    if (n != (size_t)cJSON_GetArraySize(want)) {
        fail_msg("%s: %zu warnings, expected %d:%s", c->name, n, cJSON_GetArraySize(want), got);
    }
    unsigned char used[64] = {0};
    assert_true(n <= sizeof used);
    const cJSON *w;
    cJSON_ArrayForEach(w, want)
    {
        size_t i = 0;
        tiso_warning have;
        for (; i < n; i++) {
            assert_int_equal(tiso_policy_warning_at(&have, p, i), TISO_OK);
            if (!used[i] && matches(&have, w)) {
                break;
            }
        }
        if (i == n) {
            fail_msg("%s: no warning %s at '%s'; got:%s", c->name, tt_json_str(w, "code"),
                     tt_json_str(w, "path"), got);
        }
        used[i] = 1;
        assert_true(have.message != NULL && have.message[0] != '\0');
    }
    tiso_policy_free(p);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    return tt_run_data_dir("policy_warnings", argv[1], check_warnings);
}
