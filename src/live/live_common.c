/* What the live client needs in every build: each cloud's BAP and Power
 * Platform API hosts and token scopes (SPEC 12, the Terraform provider's
 * table), option defaults, and when two policies say the same to the
 * service. Nothing here needs libcurl. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "live_internal.h"

typedef struct live_cloud {
    const char *bap_url;
    const char *bap_scope;
    const char *pp_url;
    const char *pp_scope;
} live_cloud;

static const live_cloud clouds[] = {
    [TISO_CLOUD_GLOBAL] = {"https://api.bap.microsoft.com", "https://service.powerapps.com/.default",
                           "https://api.powerplatform.com", "https://api.powerplatform.com/.default"},
    [TISO_CLOUD_GCC] = {"https://gov.api.bap.microsoft.us", "https://gov.service.powerapps.us/.default",
                        "https://api.gov.powerplatform.microsoft.us",
                        "https://api.gov.powerplatform.microsoft.us/.default"},
    [TISO_CLOUD_USGOV] = {"https://high.api.bap.microsoft.us", "https://high.service.powerapps.us/.default",
                          "https://api.appsplatform.us", "https://api.appsplatform.us/.default"},
    [TISO_CLOUD_DOD] = {"https://api.bap.appsplatform.us", "https://service.apps.appsplatform.us/.default",
                        "https://api.appsplatform.us", "https://api.appsplatform.us/.default"},
    [TISO_CLOUD_CHINA] = {"https://api.bap.partner.microsoftonline.cn", "https://service.powerapps.cn/.default",
                          "https://api.powerplatform.partner.microsoftonline.cn",
                          "https://api.powerplatform.partner.microsoftonline.cn/.default"},
};

static const live_cloud *lookup(tiso_cloud cloud)
{
    unsigned i = (unsigned)cloud;
    return i < sizeof clouds / sizeof clouds[0] ? &clouds[i] : NULL;
}

/* One field of the cloud's row (at `offset`), or NULL for an unknown cloud. */
static const char *field(tiso_cloud cloud, size_t offset)
{
    const live_cloud *c = lookup(cloud);
    return c ? *(const char *const *)(const void *)((const char *)c + offset) : NULL;
}

const char *tiso_cloud_bap_url(tiso_cloud cloud)
{
    return field(cloud, offsetof(live_cloud, bap_url));
}

const char *tiso_cloud_bap_scope(tiso_cloud cloud)
{
    return field(cloud, offsetof(live_cloud, bap_scope));
}

const char *tiso_cloud_powerplatform_url(tiso_cloud cloud)
{
    return field(cloud, offsetof(live_cloud, pp_url));
}

const char *tiso_cloud_powerplatform_scope(tiso_cloud cloud)
{
    return field(cloud, offsetof(live_cloud, pp_scope));
}

void tiso_live_options_init(tiso_live_options *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = TISO_LIVE_OPTIONS_VERSION;
    tiso_graph_options_init(&opts->http);
    opts->operation_timeout_ms = TISO_LIVE_DEFAULT_OPERATION_TIMEOUT_MS;
    opts->poll_floor_ms = TISO_LIVE_POLL_FLOOR_MS;
}

void tiso_live_policy_clear(tiso_live_policy *p)
{
    if (p == NULL)
        return;
    tiso__free(p->body);
    tiso_policy_free(p->policy);
    memset(p, 0, sizeof *p);
}

void tiso_live_page_clear(tiso_live_page *p)
{
    if (p == NULL)
        return;
    tiso__free(p->body);
    tiso__free(p->next_link);
    memset(p, 0, sizeof *p);
}

int tiso_live_policy_same(const tiso_policy *a, const tiso_policy *b)
{
    if (a == NULL || b == NULL)
        return 0;
    tiso_tenant_id ha, hb;
    int has_a = tiso_policy_home_tenant(&ha, a), has_b = tiso_policy_home_tenant(&hb, b);
    if (has_a != has_b || (has_a && !tiso__id_eq(&ha, &hb)))
        return 0;
    if (tiso_policy_isolation_enabled(a) != tiso_policy_isolation_enabled(b))
        return 0;
    size_t n = tiso_policy_entry_count(a);
    if (n != tiso_policy_entry_count(b))
        return 0;
    for (size_t i = 0; i < n; i++) {
        tiso_policy_entry ea, eb;
        if (tiso_policy_entry_at(&ea, a, i) != TISO_OK || tiso_policy_entry_at(&eb, b, i) != TISO_OK)
            return 0;
        if (ea.is_wildcard != eb.is_wildcard || ea.directions != eb.directions ||
            (!ea.is_wildcard && !tiso__id_eq(&ea.tenant, &eb.tenant)))
            return 0;
    }
    return 1;
}

static bool hex64(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char ch = s[n];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
            return false;
    }
    return n == 64;
}

tiso_status tiso_live_policy_check_pushable(const tiso_policy *policy, const tiso_tenant_id *tenant,
                                            const char *expect, tiso_error *err)
{
    if (policy == NULL || tenant == NULL)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "NULL argument to tiso_live_policy_check_pushable");
    tiso_tenant_id home;
    char want[TISO_TENANT_ID_LEN + 1], got[TISO_TENANT_ID_LEN + 1];
    tiso__tenant_id_format(tenant, want);
    if (!tiso_policy_home_tenant(&home, policy))
        return tiso__fail(err, TISO_E_CONFLICT, "properties.tenantId",
                          "the policy names no home tenant; it would be pushed to tenant %s: nothing pushed", want);
    if (!tiso__id_eq(&home, tenant)) {
        tiso__tenant_id_format(&home, got);
        return tiso__fail(err, TISO_E_CONFLICT, "properties.tenantId",
                          "the policy's home tenant is %s, not tenant %s it would be pushed to: nothing pushed", got,
                          want);
    }
    size_t n = tiso_policy_entry_count(policy);
    if (n > TISO_LIVE_MAX_RULES)
        return tiso__fail(err, TISO_E_LIMIT, "properties.allowedTenants",
                          "the policy has %zu allowlist rules; Power Platform accepts at most %u: nothing pushed", n,
                          TISO_LIVE_MAX_RULES);
    if (expect != NULL && !hex64(expect))
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                          "the expected SHA-256 must be 64 hexadecimal digits (as plan prints it): nothing pushed");
    return TISO_OK;
}

