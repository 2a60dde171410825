/* Text made safe to show (tiso__text_clean): each way of showing control
 * characters, invalid UTF-8, the first-line cut and cutting to fit.
 * Links tenantiso_internal: the function is internal. */
#include <string.h>

#include "internal.h"
#include "test_util.h"

static void clean(char *out, size_t size, const char *text, size_t len, unsigned how)
{
    memset(out, 'X', size);
    tiso__text_clean(out, size, text, len, how);
}

static void controls_become_spaces_or_marks(void **state)
{
    (void)state;
    char out[32];
    clean(out, sizeof out, "a\tb\r\nc\x1b[1m\x7f" "d", 12, 0);
    assert_string_equal(out, "a b  c [1m d");
    clean(out, sizeof out, "a\tb\r\nc\x1b[1m\x7f" "d", 12, TISO__TEXT_MARK_CONTROLS);
    assert_string_equal(out, "a b  c?[1m?d");
    clean(out, sizeof out, "ab\tc\x7f" "d\r\nsecond", 17, TISO__TEXT_FIRST_LINE);
    assert_string_equal(out, "ab c d");
    clean(out, sizeof out, "x\0y", 3, TISO__TEXT_MARK_CONTROLS); /* a NUL is a control byte */
    assert_string_equal(out, "x?y");
}

static void bad_utf8_bytes_become_marks(void **state)
{
    (void)state;
    char out[16];
    clean(out, sizeof out, "\xff\xc3(ok", 5, 0);
    assert_string_equal(out, "?" "?(ok"); /* split: no trigraph */
    clean(out, sizeof out, "\xed\xa0\x80x", 4, TISO__TEXT_MARK_CONTROLS); /* a UTF-16 surrogate */
    assert_string_equal(out, "???x");
    clean(out, sizeof out, "\xc3\xa9\xf0\x9f\x98\x80", 6, 0);
    assert_string_equal(out, "\xc3\xa9\xf0\x9f\x98\x80");
}

static void cuts_at_a_whole_character(void **state)
{
    (void)state;
    char out[8];
    clean(out, 6, "abcd\xc3\xa9", 6, 0); /* the é would not fit whole */
    assert_string_equal(out, "abcd");
    clean(out, 7, "abcd\xc3\xa9", 6, 0);
    assert_string_equal(out, "abcd\xc3\xa9");
    clean(out, 4, "abcdef", 6, 0);
    assert_string_equal(out, "abc");
    clean(out, sizeof out, NULL, 5, 0);
    assert_string_equal(out, "");
    out[0] = 'X';
    tiso__text_clean(out, 0, "abc", 3, 0); /* size 0: nothing written */
    assert_int_equal(out[0], 'X');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(controls_become_spaces_or_marks),
        cmocka_unit_test(bad_utf8_bytes_become_marks),
        cmocka_unit_test(cuts_at_a_whole_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
