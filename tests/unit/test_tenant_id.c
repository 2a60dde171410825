/* Tenant IDs: parsing, formatting, comparison (SPEC 2, tenant.h). */
#include <string.h>

#include "test_util.h"

static const char VALID[] = "00112233-4455-6677-8899-aabbccddeeff";

static void assert_parse_fails(const char *text, size_t len)
{
    tiso_tenant_id id;
    memset(&id, 0xa5, sizeof id);
    tiso_status s = tiso_tenant_id_parse(&id, text, len);
    if (s != TISO_E_INVALID_TENANT) {
        fail_msg("'%.*s' (len %zu): %s, expected invalid_tenant", (int)len, text, len,
                 tiso_status_name(s));
    }
    for (size_t i = 0; i < sizeof id.bytes; i++) {
        assert_int_equal(id.bytes[i], 0xa5); /* left unchanged on failure */
    }
}

static void parse_gives_bytes_in_text_order(void **state)
{
    (void)state;
    tiso_tenant_id id;
    assert_int_equal(tiso_tenant_id_parse(&id, VALID, strlen(VALID)), TISO_OK);
    static const uint8_t want[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                     0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    assert_memory_equal(id.bytes, want, 16);
}

static void parse_accepts_both_cases(void **state)
{
    (void)state;
    tiso_tenant_id lower, upper, mixed;
    assert_int_equal(tiso_tenant_id_parse(&lower, VALID, 36), TISO_OK);
    assert_int_equal(tiso_tenant_id_parse(&upper, "00112233-4455-6677-8899-AABBCCDDEEFF", 36), TISO_OK);
    assert_int_equal(tiso_tenant_id_parse(&mixed, "00112233-4455-6677-8899-AaBbCcDdEeFf", 36), TISO_OK);
    assert_true(tiso_tenant_id_equal(&lower, &upper));
    assert_true(tiso_tenant_id_equal(&lower, &mixed));
}

static void parse_reads_exactly_len_bytes(void **state)
{
    (void)state;
    char buf[64];
    memcpy(buf, VALID, 36);
    memcpy(buf + 36, "ZZZZ", 4); /* not NUL-terminated; junk after */
    tiso_tenant_id id;
    assert_int_equal(tiso_tenant_id_parse(&id, buf, 36), TISO_OK);
    assert_true(tiso_tenant_id_equal(&id, &(tiso_tenant_id){{0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
                                                            0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
                                                            0xcc, 0xdd, 0xee, 0xff}}));
}

static int is_hyphen_position(size_t i)
{
    return i == 8 || i == 13 || i == 18 || i == 23;
}

/* Every position, with characters just outside the hex ranges. */
static void parse_rejects_bad_char_at_every_position(void **state)
{
    (void)state;
    static const char bad_hex[] = {'g', 'G', '/', ':', '@', '`', '-', ' ', '{', '\0', '\x80', '\xff'};
    static const char bad_hyphen[] = {'0', 'a', '_', ' ', '+', '\0'};
    char text[37];
    for (size_t i = 0; i < 36; i++) {
        const char *bad = is_hyphen_position(i) ? bad_hyphen : bad_hex;
        size_t n = is_hyphen_position(i) ? sizeof bad_hyphen : sizeof bad_hex;
        for (size_t k = 0; k < n; k++) {
            memcpy(text, VALID, 37);
            text[i] = bad[k];
            assert_parse_fails(text, 36);
        }
    }
}

static void parse_rejects_wrong_lengths(void **state)
{
    (void)state;
    char text[64];
    memset(text, 0, sizeof text);
    for (size_t len = 0; len < 36; len++) {
        assert_parse_fails(VALID, len); /* every prefix */
    }
    memcpy(text, VALID, 36);
    text[36] = '0';
    assert_parse_fails(text, 37);
    memcpy(text, VALID, 36);
    text[36] = '\0';
    assert_parse_fails(text, 37); /* a NUL counted in len */
    assert_parse_fails("0011223-34455-6677-8899-aabbccddeeff", 36);   /* hyphen moved */
    assert_parse_fails("00112233445566778899aabbccddeeff", 32);       /* no hyphens */
    assert_parse_fails("00112233-4455-6677-8899-aabbccddeef", 35);
    assert_parse_fails("00112233-4455-6677-8899-aabbccddeeff0", 37);
}

static void parse_rejects_braces_and_spaces(void **state)
{
    (void)state;
    const char *cases[] = {"{00112233-4455-6677-8899-aabbccddeeff}",
                           " 00112233-4455-6677-8899-aabbccddeeff",
                           "00112233-4455-6677-8899-aabbccddeeff ",
                           "\t00112233-4455-6677-8899-aabbccddeeff",
                           "00112233-4455-6677-8899-aabbccddeeff\n",
                           "urn:uuid:00112233-4455-6677-8899-aabbccddeeff",
                           "(00112233-4455-6677-8899-aabbccddeeff)",
                           "0x112233-4455-6677-8899-aabbccddeeff",
                           "+0112233-4455-6677-8899-aabbccddeeff",
                           "*",
                           "contoso.com"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_parse_fails(cases[i], strlen(cases[i]));
    }
}

static void parse_rejects_nil_guid(void **state)
{
    (void)state;
    assert_parse_fails(NIL_GUID, 36);
    tiso_tenant_id id;
    tiso_error err;
    assert_int_equal(tiso_tenant_id_parse_ex(&id, NIL_GUID, 36, &err), TISO_E_INVALID_TENANT);
    tt_assert_error(&err, TISO_E_INVALID_TENANT);
    tt_assert_contains(err.message, "nil");
}

static void parse_null_pointers(void **state)
{
    (void)state;
    tiso_tenant_id id;
    assert_int_equal(tiso_tenant_id_parse(NULL, VALID, 36), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_tenant_id_parse(&id, NULL, 36), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_tenant_id_parse(&id, NULL, 0), TISO_E_INVALID_ARGUMENT);
    tiso_error err;
    assert_int_equal(tiso_tenant_id_parse_ex(NULL, VALID, 36, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_tenant_id_parse_ex(&id, NULL, 36, NULL), TISO_E_INVALID_ARGUMENT);
}

static void parse_empty_string(void **state)
{
    (void)state;
    assert_parse_fails("", 0);
    tiso_tenant_id id;
    tiso_error err;
    assert_int_equal(tiso_tenant_id_parse_ex(&id, "", 0, &err), TISO_E_INVALID_TENANT);
    tt_assert_error(&err, TISO_E_INVALID_TENANT);
}

static void parse_ex_explains_the_position(void **state)
{
    (void)state;
    tiso_tenant_id id;
    tiso_error err;
    /* 'g' as the 15th character (offset 14). */
    const char *text = "00112233-4455-g677-8899-aabbccddeeff";
    assert_int_equal(tiso_tenant_id_parse_ex(&id, text, 36, &err), TISO_E_INVALID_TENANT);
    tt_assert_error(&err, TISO_E_INVALID_TENANT);
    tt_assert_contains(err.message, "'g'");
    assert_int_equal(tiso_tenant_id_parse_ex(&id, VALID, 36, &err), TISO_OK);
}

static void format_round_trips_lowercase(void **state)
{
    (void)state;
    const char *upper = "C0A7B3E1-5D4F-4E2A-9B1C-000000C07050";
    tiso_tenant_id id, again;
    char out[TISO_TENANT_ID_LEN + 1];
    memset(out, 'x', sizeof out);
    assert_int_equal(tiso_tenant_id_parse(&id, upper, 36), TISO_OK);
    assert_int_equal(tiso_tenant_id_format(out, &id), TISO_OK);
    assert_string_equal(out, CONTOSO);
    assert_int_equal(tiso_tenant_id_parse(&again, out, strlen(out)), TISO_OK);
    assert_true(tiso_tenant_id_equal(&id, &again));
}

static void format_every_byte_value(void **state)
{
    (void)state;
    for (unsigned v = 0; v < 256; v++) {
        tiso_tenant_id id, again;
        memset(id.bytes, (int)v, sizeof id.bytes);
        id.bytes[0] = 1; /* never nil */
        char out[TISO_TENANT_ID_LEN + 1];
        assert_int_equal(tiso_tenant_id_format(out, &id), TISO_OK);
        assert_int_equal(strlen(out), TISO_TENANT_ID_LEN);
        assert_int_equal(tiso_tenant_id_parse(&again, out, TISO_TENANT_ID_LEN), TISO_OK);
        assert_memory_equal(id.bytes, again.bytes, 16);
    }
}

static void format_null_pointers(void **state)
{
    (void)state;
    tiso_tenant_id id = tt_id(CONTOSO);
    char out[TISO_TENANT_ID_LEN + 1];
    assert_int_equal(tiso_tenant_id_format(out, NULL), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_tenant_id_format(NULL, &id), TISO_E_INVALID_ARGUMENT);
}

static void equal_and_is_nil(void **state)
{
    (void)state;
    tiso_tenant_id a = tt_id(TENANT_A), a2 = tt_id(TENANT_A), b = tt_id(TENANT_B);
    tiso_tenant_id nil;
    memset(&nil, 0, sizeof nil);
    assert_int_equal(tiso_tenant_id_equal(&a, &a2), 1);
    assert_int_equal(tiso_tenant_id_equal(&a, &b), 0);
    assert_int_equal(tiso_tenant_id_equal(&a, NULL), 0);
    assert_int_equal(tiso_tenant_id_equal(NULL, &a), 0);
    assert_int_equal(tiso_tenant_id_equal(NULL, NULL), 0);
    b = a;
    b.bytes[15] ^= 1; /* the last byte counts */
    assert_int_equal(tiso_tenant_id_equal(&a, &b), 0);
    assert_int_equal(tiso_tenant_id_is_nil(&nil), 1);
    assert_int_equal(tiso_tenant_id_is_nil(NULL), 1);
    assert_int_equal(tiso_tenant_id_is_nil(&a), 0);
    nil.bytes[15] = 1;
    assert_int_equal(tiso_tenant_id_is_nil(&nil), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_gives_bytes_in_text_order),
        cmocka_unit_test(parse_accepts_both_cases),
        cmocka_unit_test(parse_reads_exactly_len_bytes),
        cmocka_unit_test(parse_rejects_bad_char_at_every_position),
        cmocka_unit_test(parse_rejects_wrong_lengths),
        cmocka_unit_test(parse_rejects_braces_and_spaces),
        cmocka_unit_test(parse_rejects_nil_guid),
        cmocka_unit_test(parse_null_pointers),
        cmocka_unit_test(parse_empty_string),
        cmocka_unit_test(parse_ex_explains_the_position),
        cmocka_unit_test(format_round_trips_lowercase),
        cmocka_unit_test(format_every_byte_value),
        cmocka_unit_test(format_null_pointers),
        cmocka_unit_test(equal_and_is_nil),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
