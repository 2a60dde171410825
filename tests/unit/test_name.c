/* tiso_name_classify: the one rule telling tenant IDs, broken tenant IDs,
 * the wildcard and domains apart (SPEC 6, issue 10 finding 11). */
#include <string.h>

#include "test_util.h"

typedef struct row {
    const char *text;
    tiso_status status;
    tiso_name_kind kind; /* when status is TISO_OK */
    const char *value;   /* the canonical tenant ID or the normalized domain */
    const char *says;    /* a fragment of the error message, or NULL */
} row;

/* Grouped by what goes wrong, the tenant-ID form beside the domain form:
 * the same slip gets the status of what the name was meant to be. */
static const row TABLE[] = {
    /* case, and the root's dot */
    {FABRIKAM, TISO_OK, TISO_NAME_TENANT_ID, FABRIKAM, NULL},
    {"FAB41CA0-7E3D-4C1B-8A2F-0000000FAB41", TISO_OK, TISO_NAME_TENANT_ID, FABRIKAM, NULL},
    {"contoso.com", TISO_OK, TISO_NAME_DOMAIN, "contoso.com", NULL},
    {"Fab41ca0-7E3D-4c1b-8A2F-0000000fAB41", TISO_OK, TISO_NAME_TENANT_ID, FABRIKAM, NULL},
    {"Contoso.COM", TISO_OK, TISO_NAME_DOMAIN, "contoso.com", NULL},
    {"contoso.com.", TISO_OK, TISO_NAME_DOMAIN, "contoso.com", NULL},
    {"XN--BCHER-KVA.example", TISO_OK, TISO_NAME_DOMAIN, "xn--bcher-kva.example", NULL},
    /* nothing, the wildcard, the nil GUID */
    {"", TISO_E_INVALID_TENANT, 0, NULL, "empty"},
    {"*", TISO_E_INVALID_TENANT, 0, NULL, "wildcard"},
    {"*.contoso.com", TISO_E_INVALID_DOMAIN, 0, NULL, "'*'"},
    {NIL_GUID, TISO_E_INVALID_TENANT, 0, NULL, "nil GUID"},
    {".", TISO_E_INVALID_DOMAIN, 0, NULL, "empty"},
    /* braces and quotes */
    {"{" FABRIKAM "}", TISO_E_INVALID_TENANT, 0, NULL, "braces"},
    {"\"contoso.com\"", TISO_E_INVALID_DOMAIN, 0, NULL, "'\"'"},
    {"{" FABRIKAM, TISO_E_INVALID_TENANT, 0, NULL, "braces"},
    {"{contoso.com}", TISO_E_INVALID_TENANT, 0, NULL, "braces"},
    /* spaces */
    {FABRIKAM " ", TISO_E_INVALID_TENANT, 0, NULL, "37 characters"},
    {"a b.com", TISO_E_INVALID_DOMAIN, 0, NULL, "byte 0x20"},
    {" " FABRIKAM, TISO_E_INVALID_TENANT, 0, NULL, "37 characters"},
    {"fab41ca0-7e3d-4c1b-8a2f-0000000fab4\t", TISO_E_INVALID_TENANT, 0, NULL, "byte 0x09"},
    /* too long, too short, missing separators */
    {FABRIKAM "1", TISO_E_INVALID_TENANT, 0, NULL, "37 characters"},
    {"fab41ca0-7e3d-4c1b-8a2f-0000000fab4", TISO_E_INVALID_TENANT, 0, NULL, "35 characters"},
    {"contoso", TISO_E_INVALID_DOMAIN, 0, NULL, "two labels"},
    {"fab41ca07e3d4c1b8a2f0000000fab41", TISO_E_INVALID_TENANT, 0, NULL, "32 characters"},
    {"fab41ca0-7e3d4c1b-8a2f-0000000fab41", TISO_E_INVALID_TENANT, 0, NULL, "35 characters"},
    {"1-2-3", TISO_E_INVALID_DOMAIN, 0, NULL, "two labels"},
    /* wrong characters */
    {"fab41ca0_7e3d-4c1b-8a2f-0000000fab41", TISO_E_INVALID_TENANT, 0, NULL, "character 9"},
    {"gab41ca0-7e3d-4c1b-8a2f-0000000fab41", TISO_E_INVALID_TENANT, 0, NULL, "character 1 is 'g'"},
    {"evil.com/path", TISO_E_INVALID_DOMAIN, 0, NULL, "'/'"},
    {"b\xc3\xbc" "cher.example", TISO_E_INVALID_DOMAIN, 0, NULL, "xn--"},
    {"-contoso.com", TISO_E_INVALID_DOMAIN, 0, NULL, "'-'"},
    /* empty labels */
    {"contoso..com", TISO_E_INVALID_DOMAIN, 0, NULL, "empty label"},
    {"contoso.com..", TISO_E_INVALID_DOMAIN, 0, NULL, "empty label"},
    /* a GUID-like label with a dot is a domain: domains have dots */
    {FABRIKAM ".example", TISO_OK, TISO_NAME_DOMAIN, FABRIKAM ".example", NULL},
    {"a-b-c-d.example.com", TISO_OK, TISO_NAME_DOMAIN, "a-b-c-d.example.com", NULL},
    {"contoso.onmicrosoft.com", TISO_OK, TISO_NAME_DOMAIN, "contoso.onmicrosoft.com", NULL},
};

static void check_row(const row *r)
{
    tiso_name name;
    memset(&name, 0x5a, sizeof name);
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = tiso_name_classify(&name, r->text, strlen(r->text), &err);
    if (s != r->status) {
        fail_msg("'%s': %s (%s), expected %s", r->text, tiso_status_name(s), err.message,
                 tiso_status_name(r->status));
    }
    if (s != TISO_OK) {
        tt_assert_error(&err, s);
        tt_assert_contains(err.message, r->says);
        /* Unchanged on failure. */
        assert_int_equal(((unsigned char *)&name)[0], 0x5a);
        return;
    }
    assert_int_equal(name.kind, r->kind);
    if (r->kind == TISO_NAME_TENANT_ID) {
        char text[TISO_TENANT_ID_LEN + 1];
        assert_int_equal(tiso_tenant_id_format(text, &name.tenant_id), TISO_OK);
        assert_string_equal(text, r->value);
        assert_string_equal(name.domain, "");
    } else {
        assert_string_equal(name.domain, r->value);
        assert_true(tiso_tenant_id_is_nil(&name.tenant_id));
    }
}

static void the_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++)
        check_row(&TABLE[i]);
}

/* The length is what counts, not a NUL: a valid ID followed by more bytes
 * is not a valid ID, and a NUL inside is refused. */
static void length_not_nul(void **state)
{
    (void)state;
    tiso_name name;
    tiso_error err;
    const char longer[] = FABRIKAM "xyz";
    assert_int_equal(tiso_name_classify(&name, longer, TISO_TENANT_ID_LEN, &err), TISO_OK);
    assert_int_equal(name.kind, TISO_NAME_TENANT_ID);
    assert_int_equal(tiso_name_classify(&name, "contoso.comXX", 11, &err), TISO_OK);
    assert_string_equal(name.domain, "contoso.com");
    static const char with_nul[] = "fab41ca0-7e3d-4c1b-8a2f-0000000fab4\0";
    assert_int_equal(tiso_name_classify(&name, with_nul, TISO_TENANT_ID_LEN, &err), TISO_E_INVALID_TENANT);
    tt_assert_contains(err.message, "byte 0x00");
    static const char domain_nul[] = "contoso.com\0.evil.example";
    assert_int_equal(tiso_name_classify(&name, domain_nul, sizeof domain_nul - 1, &err), TISO_E_INVALID_DOMAIN);
}

/* The longest domain fits; one byte more is refused (and never overflows
 * the struct's buffer). */
static void domain_lengths(void **state)
{
    (void)state;
    char text[TISO_DOMAIN_MAX + 2];
    /* 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 */
    memset(text, 'a', sizeof text);
    text[63] = text[127] = text[191] = '.';
    text[TISO_DOMAIN_MAX] = '\0';
    tiso_name name;
    tiso_error err;
    assert_int_equal(tiso_name_classify(&name, text, TISO_DOMAIN_MAX, &err), TISO_OK);
    assert_int_equal(strlen(name.domain), TISO_DOMAIN_MAX);
    text[TISO_DOMAIN_MAX] = 'a';
    assert_int_equal(tiso_name_classify(&name, text, TISO_DOMAIN_MAX + 1, &err), TISO_E_INVALID_DOMAIN);
    text[TISO_DOMAIN_MAX] = '.';
    assert_int_equal(tiso_name_classify(&name, text, TISO_DOMAIN_MAX + 1, &err), TISO_OK);
}

static void null_arguments(void **state)
{
    (void)state;
    tiso_name name;
    tiso_error err;
    assert_int_equal(tiso_name_classify(NULL, "contoso.com", 11, &err), TISO_E_INVALID_ARGUMENT);
    tt_assert_error(&err, TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_name_classify(&name, NULL, 0, &err), TISO_E_INVALID_ARGUMENT);
    /* err may be NULL */
    assert_int_equal(tiso_name_classify(&name, "*", 1, NULL), TISO_E_INVALID_TENANT);
    assert_int_equal(tiso_name_classify(&name, "contoso.com", 11, NULL), TISO_OK);
}

/* tiso_resolver_resolve classifies with the same rule. */
static void resolver_agrees(void **state)
{
    (void)state;
    tiso_resolver *r = NULL;
    assert_int_equal(tiso_resolver_new_static(&r, NULL), TISO_OK);
    tiso_tenant_id fab = tt_id(FABRIKAM);
    assert_int_equal(tiso_resolver_static_add(r, "fabrikam.com", &fab, NULL), TISO_OK);
    for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++) {
        const row *t = &TABLE[i];
        tiso_tenant_id id;
        tiso_error err;
        tiso_status s = tiso_resolver_resolve(&id, r, t->text, &err);
        tiso_status want = t->status == TISO_OK && t->kind == TISO_NAME_DOMAIN ? TISO_E_NOT_FOUND : t->status;
        if (s != want) {
            fail_msg("resolve '%s': %s, expected %s", t->text, tiso_status_name(s), tiso_status_name(want));
        }
    }
    tiso_tenant_id id;
    assert_int_equal(tiso_resolver_resolve(&id, r, "FabriKam.com.", NULL), TISO_OK);
    assert_true(tiso_tenant_id_equal(&id, &fab));
    tiso_resolver_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_table),     cmocka_unit_test(length_not_nul), cmocka_unit_test(domain_lengths),
        cmocka_unit_test(null_arguments), cmocka_unit_test(resolver_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
