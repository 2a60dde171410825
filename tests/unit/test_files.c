/* Policies from files: missing files, directories, /dev/null, empty files,
 * and messages that name the file (tiso_policy_load_file). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static const char GOOD[] = "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false,"
                           " \"allowedTenants\": []}}";

static tiso_error load_file_fails(const char *path, tiso_status want)
{
    tiso_policy *p = NULL;
    tiso_error err;
    tiso_status s = tiso_policy_load_file(&p, path, NULL, &err);
    if (s != want) {
        tiso_policy_free(p);
        fail_msg("%s: %s, expected %s (%s)", path, tiso_status_name(s), tiso_status_name(want),
                 err.message);
    }
    assert_null(p);
    tt_assert_error(&err, want);
    return err;
}

static void loads_a_file_and_remembers_its_path(void **state)
{
    (void)state;
    char *path = tt_write_temp(GOOD, sizeof GOOD - 1);
    tiso_policy *p = NULL;
    assert_int_equal(tiso_policy_load_file(&p, path, NULL, NULL), TISO_OK);
    assert_string_equal(tiso_policy_source(p), path);
    assert_int_equal(tiso_policy_isolation_enabled(p), 1);
    tiso_policy_free(p);
    unlink(path);
    free(path);
}

static void missing_file_is_io_naming_the_path(void **state)
{
    (void)state;
    tiso_error err = load_file_fails("/nonexistent/tiso/policy.json", TISO_E_IO);
    tt_assert_contains(err.message, "/nonexistent/tiso/policy.json");
}

static void directory_is_io(void **state)
{
    (void)state;
    tiso_error err = load_file_fails("/tmp", TISO_E_IO);
    tt_assert_contains(err.message, "/tmp");
}

static void dev_null_is_an_empty_document(void **state)
{
    (void)state;
    tiso_error err = load_file_fails("/dev/null", TISO_E_SYNTAX);
    tt_assert_contains(err.message, "/dev/null");
}

static void empty_file_is_syntax(void **state)
{
    (void)state;
    char *path = tt_write_temp("", 0);
    tiso_error err = load_file_fails(path, TISO_E_SYNTAX);
    tt_assert_contains(err.message, path);
    unlink(path);
    free(path);
}

static void syntax_error_in_a_file_names_file_line_and_column(void **state)
{
    (void)state;
    static const char bad[] = "{\n  \"properties\": {\n    \"tenantId\": ,\n  }\n}\n";
    char *path = tt_write_temp(bad, sizeof bad - 1);
    tiso_error err = load_file_fails(path, TISO_E_SYNTAX);
    tt_assert_contains(err.message, path);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 17);
    unlink(path);
    free(path);
}

static void schema_error_in_a_file_names_file_and_path(void **state)
{
    (void)state;
    static const char bad[] = "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false,"
                              " \"allowedTenants\": {}}}";
    char *path = tt_write_temp(bad, sizeof bad - 1);
    tiso_error err = load_file_fails(path, TISO_E_SCHEMA);
    tt_assert_contains(err.message, path);
    assert_string_equal(err.path, "properties.allowedTenants");
    unlink(path);
    free(path);
}

static void file_size_limit(void **state)
{
    (void)state;
    char *path = tt_write_temp(GOOD, sizeof GOOD - 1);
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    opts.max_document_bytes = sizeof GOOD - 2;
    tiso_policy *p = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_load_file(&p, path, &opts, &err), TISO_E_LIMIT);
    tt_assert_error(&err, TISO_E_LIMIT);
    opts.max_document_bytes = sizeof GOOD - 1;
    assert_int_equal(tiso_policy_load_file(&p, path, &opts, &err), TISO_OK);
    tiso_policy_free(p);
    unlink(path);
    free(path);
}

static void null_and_empty_arguments(void **state)
{
    (void)state;
    tiso_policy *p = NULL;
    tiso_error err;
    assert_int_equal(tiso_policy_load_file(NULL, "/dev/null", NULL, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_load_file(&p, NULL, NULL, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    tiso_status s = tiso_policy_load_file(&p, "", NULL, &err);
    assert_true(s == TISO_E_INVALID_ARGUMENT || s == TISO_E_IO);
    tt_assert_error(&err, s);
    assert_null(p);
    assert_int_equal(tiso_policy_load_json(NULL, GOOD, sizeof GOOD - 1, NULL, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_policy_load_json(&p, NULL, 10, NULL, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    s = tiso_policy_load_json(&p, "", 0, NULL, &err);
    assert_true(s == TISO_E_SYNTAX || s == TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, s);
    assert_null(p);
    /* err may be NULL everywhere */
    assert_int_equal(tiso_policy_load_json(&p, "{", 1, NULL, NULL), TISO_E_SYNTAX);
    assert_int_equal(tiso_policy_load_file(&p, "/nonexistent", NULL, NULL), TISO_E_IO);
    assert_null(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_a_file_and_remembers_its_path),
        cmocka_unit_test(missing_file_is_io_naming_the_path),
        cmocka_unit_test(directory_is_io),
        cmocka_unit_test(dev_null_is_an_empty_document),
        cmocka_unit_test(empty_file_is_syntax),
        cmocka_unit_test(syntax_error_in_a_file_names_file_line_and_column),
        cmocka_unit_test(schema_error_in_a_file_names_file_and_path),
        cmocka_unit_test(file_size_limit),
        cmocka_unit_test(null_and_empty_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
