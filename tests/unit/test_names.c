/* Stable names: statuses, reasons, verdicts, directions, warning codes,
 * direction parsing, connector kinds and version getters. */
#include <ctype.h>
#include <string.h>

#include "test_util.h"

static void assert_identifier(const char *s)
{
    assert_non_null(s);
    assert_true(s[0] != '\0');
    for (const char *p = s; *p; p++) {
        if (!(islower((unsigned char)*p) || *p == '_')) {
            fail_msg("'%s' is not a lowercase identifier", s);
        }
    }
}

static void status_names_are_stable(void **state)
{
    (void)state;
    static const char *const want[] = {
        "ok", "invalid_argument", "out_of_memory", "invalid_tenant", "invalid_domain", "syntax", "schema",
        "limit", "io", "not_found", "resolve", "no_home_tenant", "inconsistent_direction",
        "unauthorized", "throttled", "timeout", "tls", "bad_response", "transport", "unsupported",
        "buffer_too_small", "conflict"};
    for (int s = 0; s <= TISO_E_CONFLICT; s++) {
        const char *name = tiso_status_name((tiso_status)s);
        assert_identifier(name);
        if (strcmp(name, want[s]) != 0) {
            fail_msg("status %d is '%s', expected '%s'", s, name, want[s]);
        }
        const char *text = tiso_strerror((tiso_status)s);
        assert_non_null(text);
        assert_true(strlen(text) > 1);
    }
    assert_string_equal(tiso_status_name((tiso_status)22), "unknown");
    assert_string_equal(tiso_status_name((tiso_status)-1), "unknown");
    assert_non_null(tiso_strerror((tiso_status)999));
}

static void status_names_are_distinct(void **state)
{
    (void)state;
    for (int a = 0; a <= TISO_E_CONFLICT; a++) {
        for (int b = a + 1; b <= TISO_E_CONFLICT; b++) {
            assert_string_not_equal(tiso_status_name((tiso_status)a), tiso_status_name((tiso_status)b));
            assert_string_not_equal(tiso_strerror((tiso_status)a), tiso_strerror((tiso_status)b));
        }
    }
}

static void reason_names_are_spec_names(void **state)
{
    (void)state;
    assert_string_equal(tiso_reason_name(TISO_REASON_NONE), "none");
    assert_string_equal(tiso_reason_name(TISO_REASON_SAME_TENANT), "same_tenant");
    assert_string_equal(tiso_reason_name(TISO_REASON_NOT_EVALUATED_NON_ENTRA), "not_evaluated_non_entra");
    assert_string_equal(tiso_reason_name(TISO_REASON_NOT_APPLICABLE), "not_applicable");
    assert_string_equal(tiso_reason_name(TISO_REASON_ISOLATION_DISABLED), "isolation_disabled");
    assert_string_equal(tiso_reason_name(TISO_REASON_ALLOWLISTED), "allowlisted");
    assert_string_equal(tiso_reason_name(TISO_REASON_WILDCARD), "wildcard");
    assert_string_equal(tiso_reason_name(TISO_REASON_NOT_ALLOWLISTED), "not_allowlisted");
    assert_string_equal(tiso_reason_name((tiso_reason)8), "unknown");
    assert_string_equal(tiso_reason_name((tiso_reason)-1), "unknown");
}

static void verdict_and_direction_names(void **state)
{
    (void)state;
    assert_string_equal(tiso_verdict_name(TISO_ALLOW), "allow");
    assert_string_equal(tiso_verdict_name(TISO_DENY), "deny");
    assert_string_equal(tiso_verdict_name((tiso_verdict)2), "unknown");
    assert_string_equal(tiso_direction_name(TISO_DIRECTION_NONE), "none");
    assert_string_equal(tiso_direction_name(TISO_DIRECTION_INBOUND), "inbound");
    assert_string_equal(tiso_direction_name(TISO_DIRECTION_OUTBOUND), "outbound");
    assert_string_equal(tiso_direction_name(TISO_DIRECTION_AUTO), "auto");
    assert_string_equal(tiso_direction_name((tiso_direction)4), "unknown");
}

static void warning_code_names(void **state)
{
    (void)state;
    assert_string_equal(tiso_warning_code_name(TISO_WARN_DUPLICATE_TENANT), "duplicate_tenant");
    assert_string_equal(tiso_warning_code_name(TISO_WARN_EMPTY_ENTRY), "empty_entry");
    assert_string_equal(tiso_warning_code_name(TISO_WARN_HOME_TENANT_LISTED), "home_tenant_listed");
    assert_string_equal(tiso_warning_code_name(TISO_WARN_UNKNOWN_KEY), "unknown_key");
    assert_string_equal(tiso_warning_code_name(TISO_WARN_MISSING_IS_DISABLED), "missing_is_disabled");
    assert_string_equal(tiso_warning_code_name(TISO_WARN_MORE), "more_warnings");
    assert_string_equal(tiso_warning_code_name(TISO_WARN_OVER_SERVICE_LIMIT), "over_service_limit");
    assert_non_null(tiso_warning_code_name((tiso_warning_code)0));
    assert_non_null(tiso_warning_code_name((tiso_warning_code)99));
}

static void direction_parse(void **state)
{
    (void)state;
    struct {
        const char *text;
        tiso_direction want;
    } ok[] = {{"auto", TISO_DIRECTION_AUTO},       {"inbound", TISO_DIRECTION_INBOUND},
              {"outbound", TISO_DIRECTION_OUTBOUND}, {"AUTO", TISO_DIRECTION_AUTO},
              {"InBound", TISO_DIRECTION_INBOUND},   {"OUTBOUND", TISO_DIRECTION_OUTBOUND}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        tiso_direction d = TISO_DIRECTION_NONE;
        assert_int_equal(tiso_direction_parse(&d, ok[i].text, strlen(ok[i].text)), TISO_OK);
        assert_int_equal(d, ok[i].want);
    }
    const char *bad[] = {"", "none", "in", "outbound ", " auto", "sideways", "inbound\0x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tiso_direction d = TISO_DIRECTION_OUTBOUND;
        size_t len = i == 6 ? 9 : strlen(bad[i]);
        assert_int_equal(tiso_direction_parse(&d, bad[i], len), TISO_E_INVALID_ARGUMENT);
    }
    tiso_direction d;
    assert_int_equal(tiso_direction_parse(&d, "inboundXYZ", 7), TISO_OK); /* exactly len bytes */
    assert_int_equal(d, TISO_DIRECTION_INBOUND);
    assert_int_equal(tiso_direction_parse(NULL, "auto", 4), TISO_E_INVALID_ARGUMENT);
    assert_int_equal(tiso_direction_parse(&d, NULL, 4), TISO_E_INVALID_ARGUMENT);
}

static void connector_auth_kinds(void **state)
{
    (void)state;
    assert_int_equal(tiso_connector_auth_kind("shared_visualstudioteamservices"), TISO_AUTH_NON_ENTRA);
    assert_int_equal(tiso_connector_auth_kind("Shared_VisualStudioTeamServices"), TISO_AUTH_NON_ENTRA);
    assert_int_equal(tiso_connector_auth_kind(
                         "/providers/Microsoft.PowerApps/apis/shared_visualstudioteamservices"),
                     TISO_AUTH_NON_ENTRA);
    assert_int_equal(tiso_connector_auth_kind("shared_office365"), TISO_AUTH_ENTRA);
    assert_int_equal(tiso_connector_auth_kind("shared_sharepointonline"), TISO_AUTH_ENTRA);
    assert_int_equal(tiso_connector_auth_kind("shared_visualstudioteamservicesx"), TISO_AUTH_ENTRA);
    assert_int_equal(tiso_connector_auth_kind("xshared_visualstudioteamservices"), TISO_AUTH_ENTRA);
    assert_int_equal(tiso_connector_auth_kind("/apis/xshared_visualstudioteamservices"), TISO_AUTH_ENTRA);
    assert_int_equal(tiso_connector_auth_kind(""), TISO_AUTH_ENTRA);
    assert_int_equal(tiso_connector_auth_kind(NULL), TISO_AUTH_ENTRA);
    /* Only the identifier or its own API path: not any path ending in it. */
    static const char *const not_it[] = {
        "shared_office365/shared_visualstudioteamservices",
        "https://evil.example/x/shared_visualstudioteamservices",
        "/apis/shared_visualstudioteamservices",
        "/providers/Microsoft.Web/apis/shared_visualstudioteamservices",
        "providers/Microsoft.PowerApps/apis/shared_visualstudioteamservices",
        "https://api.powerapps.com/providers/Microsoft.PowerApps/apis/shared_visualstudioteamservices",
        "/providers/Microsoft.PowerApps/apis/shared_visualstudioteamservices/",
        "/providers/Microsoft.PowerApps/apis/",
        "/providers/Microsoft.PowerApps/apis/shared_office365",
    };
    for (size_t i = 0; i < sizeof not_it / sizeof not_it[0]; i++)
        if (tiso_connector_auth_kind(not_it[i]) != TISO_AUTH_ENTRA)
            fail_msg("'%s' is taken for a non-Entra connector", not_it[i]);
    assert_int_equal(tiso_connector_auth_kind("/PROVIDERS/microsoft.powerapps/APIS/SHARED_visualstudioteamservices"),
                     TISO_AUTH_NON_ENTRA);
}

static void version_getters_match_the_header(void **state)
{
    (void)state;
    assert_string_equal(tiso_version(), TISO_VERSION_STRING);
    assert_int_equal(tiso_version_number(), TISO_VERSION_NUMBER);
    assert_int_equal(tiso_abi_version(), TISO_ABI_VERSION);
    assert_int_equal(TISO_VERSION_NUMBER,
                     TISO_MAKE_VERSION(TISO_VERSION_MAJOR, TISO_VERSION_MINOR, TISO_VERSION_PATCH));
#if defined(TISO_TEST_WITH_GRAPH) && TISO_TEST_WITH_GRAPH
    assert_int_equal(tiso_features() & TISO_FEATURE_GRAPH, TISO_FEATURE_GRAPH);
#else
    assert_int_equal(tiso_features() & TISO_FEATURE_GRAPH, 0);
#endif
}

static void error_clear(void **state)
{
    (void)state;
    tiso_error err;
    memset(&err, 'x', sizeof err);
    tiso_error_clear(&err);
    assert_int_equal(err.status, TISO_OK);
    assert_int_equal(err.line, 0);
    assert_int_equal(err.column, 0);
    assert_string_equal(err.path, "");
    assert_string_equal(err.message, "");
    tiso_error_clear(NULL);
    tiso_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_names_are_stable),
        cmocka_unit_test(status_names_are_distinct),
        cmocka_unit_test(reason_names_are_spec_names),
        cmocka_unit_test(verdict_and_direction_names),
        cmocka_unit_test(warning_code_names),
        cmocka_unit_test(direction_parse),
        cmocka_unit_test(connector_auth_kinds),
        cmocka_unit_test(version_getters_match_the_header),
        cmocka_unit_test(error_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
