/* Percent-encoding (tiso__url_encode): what stays, what is encoded, the
 * `keep` set, and a failed allocation. Links tenantiso_internal: the
 * function is internal. */
#include <string.h>

#include "internal.h"
#include "test_util.h"

static void encodes_all_but_unreserved(void **state)
{
    (void)state;
    char *e = tiso__url_encode("a b/\xc3\xbc-._~'()*", 14, "");
    assert_string_equal(e, "a%20b%2F%C3%BC-._~%27%28%29%2A");
    tiso__free(e);
    e = tiso__url_encode("", 0, "");
    assert_string_equal(e, "");
    tiso__free(e);
    e = tiso__url_encode("x\0y", 3, "/"); /* a NUL is a byte like any other */
    assert_string_equal(e, "x%00y");
    tiso__free(e);
}

static void keeps_what_it_is_told(void **state)
{
    (void)state;
    char *e = tiso__url_encode("/tmp/a b%c:d#e?/p.json", 22, "/");
    assert_string_equal(e, "/tmp/a%20b%25c%3Ad%23e%3F/p.json");
    tiso__free(e);
}

static void fails_cleanly_out_of_memory(void **state)
{
    (void)state;
    tiso__test_fail_alloc_after(1);
    assert_null(tiso__url_encode("abc", 3, ""));
    tiso__test_fail_alloc_after(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encodes_all_but_unreserved),
        cmocka_unit_test(keeps_what_it_is_told),
        cmocka_unit_test(fails_cleanly_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
