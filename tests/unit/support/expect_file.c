/* Data-case files for the invalid-policy and warning runners. */
#include "expect_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_list.h"

typedef struct data_ref {
    tt_data_case c;
    void (*check)(tt_data_case *c);
} data_ref;

const char *tt_json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void apply_limits(tt_data_case *c)
{
    const cJSON *limits = cJSON_GetObjectItemCaseSensitive(c->expect, "limits");
    const cJSON *v;
    if ((v = cJSON_GetObjectItemCaseSensitive(limits, "max_depth")) != NULL) {
        c->opts.max_depth = (uint32_t)v->valueint;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(limits, "max_entries")) != NULL) {
        c->opts.max_entries = (uint32_t)v->valueint;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(limits, "max_string_bytes")) != NULL) {
        c->opts.max_string_bytes = (uint32_t)v->valueint;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(limits, "max_document_bytes")) != NULL) {
        c->opts.max_document_bytes = (uint64_t)v->valuedouble;
    }
}

static void open_resolver(tt_data_case *c)
{
    const cJSON *domains = cJSON_GetObjectItemCaseSensitive(c->expect, "domains");
    if (domains == NULL) {
        return;
    }
    char *text = cJSON_PrintUnformatted(domains);
    tiso_error err;
    tiso_status s = tiso_resolver_load_map_json(&c->resolver, text, strlen(text), &err);
    cJSON_free(text);
    if (s != TISO_OK) {
        fail_msg("%s: domains: %s", c->expect_path, err.message);
    }
}

void tt_data_case_open(tt_data_case *c)
{
    size_t len = 0;
    char *expect = tt_read_file(c->expect_path, &len);
    if (expect == NULL) {
        fail_msg("%s: missing sidecar", c->expect_path);
    }
    c->expect = cJSON_ParseWithLength(expect, len);
    free(expect);
    if (c->expect == NULL) {
        fail_msg("%s: not JSON", c->expect_path);
    }
    c->input = tt_read_file(c->json_path, &c->input_len);
    if (c->input == NULL) {
        fail_msg("%s: unreadable", c->json_path);
    }
    tiso_load_options_init(&c->opts);
    apply_limits(c);
    open_resolver(c);
    c->opts.resolver = c->resolver;
}

void tt_data_case_close(tt_data_case *c)
{
    cJSON_Delete(c->expect);
    free(c->input);
    tiso_resolver_free(c->resolver);
    c->expect = NULL;
    c->input = NULL;
    c->resolver = NULL;
}

static void run_one(void **state)
{
    data_ref *ref = *state;
    tt_data_case_open(&ref->c);
    ref->check(&ref->c);
    tt_data_case_close(&ref->c);
}

int tt_run_data_dir(const char *group, const char *dir, void (*check)(tt_data_case *c))
{
    tt_dir_list files, expects;
    if (tt_dir_list_read(&files, dir, ".json") != 0 || files.count == 0) {
        fprintf(stderr, "%s: no .json cases\n", dir);
        return 1;
    }
    if (tt_dir_list_read(&expects, dir, ".expect") != 0 || expects.count != files.count) {
        fprintf(stderr, "%s: %zu .json but %zu .expect files\n", dir, files.count, expects.count);
        tt_dir_list_free(&files);
        tt_dir_list_free(&expects);
        return 1;
    }
    data_ref *refs = calloc(files.count, sizeof *refs);
    struct CMUnitTest *tests = calloc(files.count, sizeof *tests);
    char **expect_paths = calloc(files.count, sizeof *expect_paths);
    int rc = 1;
    if (refs != NULL && tests != NULL && expect_paths != NULL) {
        for (size_t i = 0; i < files.count; i++) {
            expect_paths[i] = tt_path_join(dir, files.names[i], ".expect");
            refs[i].c.name = files.names[i];
            refs[i].c.json_path = files.paths[i];
            refs[i].c.expect_path = expect_paths[i];
            refs[i].check = check;
            tests[i].name = files.names[i];
            tests[i].test_func = run_one;
            tests[i].initial_state = &refs[i];
        }
        rc = _cmocka_run_group_tests(group, tests, files.count, NULL, NULL);
        for (size_t i = 0; i < files.count; i++) {
            free(expect_paths[i]);
        }
    }
    free(expect_paths);
    free(tests);
    free(refs);
    tt_dir_list_free(&files);
    tt_dir_list_free(&expects);
    return rc;
}
