/* Every tests/data/policies/invalid/<name>.json must fail to load with what
 * <name>.expect says: {"status": "<tiso_status_name>", "path"?: "...",
 * "line"?: N, "column"?: N, "message"?: ["substring", ...],
 * "domains"?: {...}, "limits"?: {"max_depth": N, ...}}.
 * Usage: run_invalid DIR */
#include <stdio.h>
#include <string.h>

#include "expect_file.h"

static void check_location(const tt_data_case *c, const tiso_error *err)
{
    const char *path = tt_json_str(c->expect, "path");
    if (path != NULL && strcmp(path, err->path) != 0) {
        fail_msg("%s: path '%s', expected '%s' (%s)", c->name, err->path, path, err->message);
    }
    const cJSON *line = cJSON_GetObjectItemCaseSensitive(c->expect, "line");
    if (line != NULL && err->line != (uint32_t)line->valueint) {
        fail_msg("%s: line %u, expected %d (%s)", c->name, (unsigned)err->line, line->valueint,
                 err->message);
    }
    const cJSON *column = cJSON_GetObjectItemCaseSensitive(c->expect, "column");
    if (column != NULL && err->column != (uint32_t)column->valueint) {
        fail_msg("%s: column %u, expected %d (%s)", c->name, (unsigned)err->column,
                 column->valueint, err->message);
    }
    const cJSON *part;
    cJSON_ArrayForEach(part, cJSON_GetObjectItemCaseSensitive(c->expect, "message"))
    {
        tt_assert_contains(err->message, part->valuestring);
    }
}

static void check_invalid(tt_data_case *c)
{
    const char *want = tt_json_str(c->expect, "status");
    assert_non_null(want);
    tiso_policy *p = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = tiso_policy_load_json(&p, c->input, c->input_len, &c->opts, &err);
    if (strcmp(tiso_status_name(s), want) != 0) {
        tiso_policy_free(p);
        fail_msg("%s: %s, expected %s (%s)", c->name, tiso_status_name(s), want, err.message);
    }
    assert_null(p);
    tt_assert_error(&err, s);
    check_location(c, &err);
    /* the same without an error struct */
    assert_int_equal(tiso_policy_load_json(&p, c->input, c->input_len, &c->opts, NULL), s);
    assert_null(p);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    return tt_run_data_dir("invalid_policies", argv[1], check_invalid);
}
