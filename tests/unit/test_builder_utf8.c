/* Builder strings that tiso_policy_to_json cannot write back as valid JSON. */
#include <string.h>

#include "test_util.h"

/* policy.h: a policy "can be built in code and written back out in the same
 * JSON". A display name with invalid UTF-8 is accepted by the builder, and
 * to_json writes it raw: the library's own loader then rejects the output. */
static void invalid_utf8_display_name_round_trips_or_is_refused(void **state)
{
    (void)state;
    tiso_policy_builder *b = NULL;
    tiso_tenant_id f = tt_id(FABRIKAM);
    assert_int_equal(tiso_policy_builder_new(&b, NULL), TISO_OK);
    tiso_status s = tiso_policy_builder_add(b, &f, TISO_ALLOW_INBOUND, "Fab\xffrikam", NULL, NULL);
    if (s == TISO_OK) {
        tiso_policy *p = NULL, *again = NULL;
        char *json = NULL;
        size_t len = 0;
        assert_int_equal(tiso_policy_builder_build(&p, b, NULL), TISO_OK);
        assert_int_equal(tiso_policy_to_json(&json, &len, p, 0, NULL), TISO_OK);
        tiso_error err;
        s = tiso_policy_load_json(&again, json, len, NULL, &err);
        tiso_free(json);
        tiso_policy_free(p);
        tiso_policy_free(again);
        if (s != TISO_OK) {
            fail_msg("to_json output does not load: %s: %s", tiso_status_name(s), err.message);
        }
    }
    tiso_policy_builder_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(invalid_utf8_display_name_round_trips_or_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
