/* Domain names: validation and normalization before they reach a URL
 * (SPEC 2, tiso_domain_normalize). */
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static void assert_normalizes(const char *text, size_t len, const char *want)
{
    char out[TISO_DOMAIN_MAX + 1];
    tiso_error err;
    memset(out, 'x', sizeof out);
    tiso_status s = tiso_domain_normalize(out, text, len, &err);
    if (s != TISO_OK) {
        fail_msg("'%.*s': %s: %s", (int)len, text, tiso_status_name(s), err.message);
    }
    assert_string_equal(out, want);
}

static void assert_valid(const char *text, const char *want)
{
    assert_normalizes(text, strlen(text), want);
}

static void assert_invalid_len(const char *text, size_t len)
{
    char out[TISO_DOMAIN_MAX + 1];
    tiso_error err;
    tiso_status s = tiso_domain_normalize(out, text, len, &err);
    if (s != TISO_E_INVALID_DOMAIN) {
        fail_msg("'%.*s' (len %zu): %s, expected invalid_domain", (int)len, text, len,
                 tiso_status_name(s));
    }
    tt_assert_error(&err, TISO_E_INVALID_DOMAIN);
    /* err may also be NULL */
    assert_int_equal(tiso_domain_normalize(out, text, len, NULL), TISO_E_INVALID_DOMAIN);
}

static void assert_invalid(const char *text)
{
    assert_invalid_len(text, strlen(text));
}

/* "aaa...a" labels joined by dots, `total` characters long, last label shortest. */
static char *name_of_length(size_t total)
{
    char *s = tt_repeat('a', total);
    for (size_t i = 63; i < total; i += 64) {
        s[i] = '.';
    }
    return s;
}

static void valid_names(void **state)
{
    (void)state;
    assert_valid("contoso.com", "contoso.com");
    assert_valid("contoso.onmicrosoft.com", "contoso.onmicrosoft.com");
    assert_valid("a.b", "a.b");
    assert_valid("a-b.c0", "a-b.c0");
    assert_valid("a--b.com", "a--b.com");
    assert_valid("123.456", "123.456");
    assert_valid("xn--bcher-kva.example", "xn--bcher-kva.example");
    assert_valid("sub.xn--80ak6aa92e.com", "sub.xn--80ak6aa92e.com");
}

static void uppercase_is_lowered(void **state)
{
    (void)state;
    assert_valid("Contoso.COM", "contoso.com");
    assert_valid("XN--BCHER-KVA.EXAMPLE", "xn--bcher-kva.example");
    assert_valid("ABCDEFGHIJKLMNOPQRSTUVWXYZ.com", "abcdefghijklmnopqrstuvwxyz.com");
}

static void one_trailing_dot_is_dropped(void **state)
{
    (void)state;
    assert_valid("contoso.com.", "contoso.com");
    assert_valid("Fabrikam.Com.", "fabrikam.com");
    assert_invalid("contoso.com..");
}

static void reads_exactly_len_bytes(void **state)
{
    (void)state;
    assert_normalizes("contoso.com/evil", 11, "contoso.com");
    assert_invalid_len("contoso.com/evil", 12);
}

static void rejects_url_characters(void **state)
{
    (void)state;
    const char *bad[] = {"\"contoso.com\"", "'contoso.com'", "contoso.com/", "con/toso.com",
                         "contoso.com\\x", "con\\toso.com", "conto so.com", " contoso.com",
                         "contoso.com ", "contoso.com?x=1", "contoso.com#frag", "user@contoso.com",
                         "contoso.com:443", "contoso.com%2f", "contoso..com", "../etc.passwd",
                         "contoso.com\t", "con\ntoso.com", "contoso.com;", "contoso.com&a",
                         "contoso.com)", "<contoso.com>", "contoso.com,", "*.contoso.com",
                         "*", "con+toso.com", "con=toso.com", "contoso.com~"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_invalid(bad[i]);
    }
}

static void rejects_bad_dots(void **state)
{
    (void)state;
    assert_invalid(".contoso.com");
    assert_invalid("contoso..com");
    assert_invalid(".");
    assert_invalid("..");
    assert_invalid("contoso.com..");
}

static void rejects_single_label(void **state)
{
    (void)state;
    assert_invalid("localhost");
    assert_invalid("com.");
    assert_invalid("xn--bcher-kva");
}

static void rejects_bad_hyphens_and_underscore(void **state)
{
    (void)state;
    assert_invalid("-contoso.com");
    assert_invalid("contoso-.com");
    assert_invalid("contoso.-com");
    assert_invalid("contoso.com-");
    assert_invalid("con_toso.com");
    assert_invalid("_dmarc.contoso.com");
    assert_invalid("xn--.com");
}

static void rejects_non_ascii(void **state)
{
    (void)state;
    assert_invalid("b\xc3\xbc" "cher.example"); /* UTF-8 u-umlaut: must be xn-- */
    assert_invalid("contoso.c\xc3\xb6m");
    assert_invalid("\x80.com");
    assert_invalid("contoso.\xff");
    assert_invalid_len("con\0toso.com", 12);
}

static void label_length_boundary(void **state)
{
    (void)state;
    char *l63 = tt_repeat('a', 63), *l64 = tt_repeat('a', 64);
    char buf[200];
    strcpy(buf, l63);
    strcat(buf, ".com");
    assert_valid(buf, buf);
    strcpy(buf, l64);
    strcat(buf, ".com");
    assert_invalid(buf);
    strcpy(buf, "x.");
    strcat(buf, l64);
    assert_invalid(buf);
    free(l63);
    free(l64);
}

static void name_length_boundary(void **state)
{
    (void)state;
    char *n253 = name_of_length(253), *n254 = name_of_length(254);
    char dotted[300];
    assert_valid(n253, n253);
    assert_invalid(n254);
    strcpy(dotted, n253);
    strcat(dotted, ".");
    assert_valid(dotted, n253); /* 254 with the trailing dot is still 253 */
    strcpy(dotted, n254);
    strcat(dotted, ".");
    assert_invalid(dotted);
    free(n253);
    free(n254);
}

static void rejects_empty_and_null(void **state)
{
    (void)state;
    char out[TISO_DOMAIN_MAX + 1];
    tiso_error err;
    assert_invalid_len("", 0);
    assert_int_equal(tiso_domain_normalize(NULL, "contoso.com", 11, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_domain_normalize(out, NULL, 11, &err), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_domain_normalize(out, NULL, 0, NULL), TISO_E_INVALID_ARGUMENT);
}

static void error_names_the_position(void **state)
{
    (void)state;
    char out[TISO_DOMAIN_MAX + 1];
    tiso_error err;
    assert_int_equal(tiso_domain_normalize(out, "contoso.c/m", 11, &err), TISO_E_INVALID_DOMAIN);
    tt_assert_error(&err, TISO_E_INVALID_DOMAIN);
    /* the reason and where: either a column or the position in the text */
    if (err.column != 10 && strstr(err.message, "10") == NULL && strstr(err.message, "9") == NULL) {
        fail_msg("no position in '%s' (column %u)", err.message, (unsigned)err.column);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_names),
        cmocka_unit_test(uppercase_is_lowered),
        cmocka_unit_test(one_trailing_dot_is_dropped),
        cmocka_unit_test(reads_exactly_len_bytes),
        cmocka_unit_test(rejects_url_characters),
        cmocka_unit_test(rejects_bad_dots),
        cmocka_unit_test(rejects_single_label),
        cmocka_unit_test(rejects_bad_hyphens_and_underscore),
        cmocka_unit_test(rejects_non_ascii),
        cmocka_unit_test(label_length_boundary),
        cmocka_unit_test(name_length_boundary),
        cmocka_unit_test(rejects_empty_and_null),
        cmocka_unit_test(error_names_the_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
