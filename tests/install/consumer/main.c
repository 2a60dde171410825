/* A program built against an installed libtenantiso, as a user would build
 * it: only <tenantiso.h> and the library. Exits 0 when the decisions are right. */
#include <stdio.h>
#include <string.h>

#include <tenantiso.h>

#define CONTOSO "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
#define FABRIKAM "fab41ca0-7e3d-4c1b-8a2f-0000000fab41"
#define OTHER "11111111-1111-1111-1111-111111111111"

static const char POLICY[] =
    "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
    "{\"tenantId\": \"" FABRIKAM "\", \"direction\": {\"inbound\": false, \"outbound\": true}}]}}";

static int expect(const tiso_policy *p, const char *creator, const char *target, tiso_verdict verdict,
                  tiso_reason reason)
{
    tiso_decision d;
    tiso_status s = tiso_evaluate(&d, p, creator, target, TISO_DIRECTION_AUTO);
    if (s != TISO_OK || d.verdict != verdict || d.reason != reason) {
        fprintf(stderr, "consumer: %s -> %s: %s, %s/%s\n", creator, target, tiso_status_name(s),
                tiso_verdict_name(d.verdict), tiso_reason_name(d.reason));
        return 1;
    }
    return 0;
}

int main(void)
{
    if (strcmp(tiso_version(), TISO_VERSION_STRING) != 0) {
        fprintf(stderr, "consumer: header %s, library %s\n", TISO_VERSION_STRING, tiso_version());
        return 1;
    }
    tiso_policy *p = NULL;
    tiso_error err;
    if (tiso_policy_load_json(&p, POLICY, sizeof POLICY - 1, NULL, &err) != TISO_OK) {
        fprintf(stderr, "consumer: %s\n", err.message);
        return 1;
    }
    int bad = expect(p, CONTOSO, FABRIKAM, TISO_ALLOW, TISO_REASON_ALLOWLISTED) +
              expect(p, FABRIKAM, CONTOSO, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED) +
              expect(p, CONTOSO, OTHER, TISO_DENY, TISO_REASON_NOT_ALLOWLISTED) +
              expect(p, OTHER, OTHER, TISO_ALLOW, TISO_REASON_SAME_TENANT);
    tiso_policy_free(p);
    if (bad == 0) {
        printf("consumer: libtenantiso %s decides correctly\n", tiso_version());
    }
    return bad != 0;
}
