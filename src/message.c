/* Names of enum values, and the sentence a person reads for a decision. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "json_scan.h"

const char *tiso__name_of(const char *const *names, size_t count, int value)
{
    return value >= 0 && (size_t)value < count && names[value] ? names[value] : "unknown";
}

int tiso__name_index(const char *const *names, size_t count, const char *text, size_t len)
{
    for (size_t i = 0; text && i < count; i++)
        if (strlen(names[i]) == len && strncasecmp(names[i], text, len) == 0)
            return (int)i;
    return -1;
}

static const char *const REASON_NAMES[] = {
    [TISO_REASON_NONE] = "none",
    [TISO_REASON_SAME_TENANT] = "same_tenant",
    [TISO_REASON_NOT_EVALUATED_NON_ENTRA] = "not_evaluated_non_entra",
    [TISO_REASON_NOT_APPLICABLE] = "not_applicable",
    [TISO_REASON_ISOLATION_DISABLED] = "isolation_disabled",
    [TISO_REASON_ALLOWLISTED] = "allowlisted",
    [TISO_REASON_WILDCARD] = "wildcard",
    [TISO_REASON_NOT_ALLOWLISTED] = "not_allowlisted",
};
_Static_assert(TISO_NAME_COUNT(REASON_NAMES) == TISO_REASON_NOT_ALLOWLISTED + 1, "a name for every reason");

static const char *const VERDICT_NAMES[] = {[TISO_DENY] = "deny", [TISO_ALLOW] = "allow"};

static const char *const DIRECTION_NAMES[] = {
    [TISO_DIRECTION_NONE] = "none",
    [TISO_DIRECTION_INBOUND] = "inbound",
    [TISO_DIRECTION_OUTBOUND] = "outbound",
    [TISO_DIRECTION_AUTO] = "auto",
};
_Static_assert(TISO_NAME_COUNT(DIRECTION_NAMES) == TISO_DIRECTION_AUTO + 1, "a name for every direction");

const char *tiso_reason_name(tiso_reason reason)
{
    return TISO_NAME_OF(REASON_NAMES, reason);
}

const char *tiso_verdict_name(tiso_verdict verdict)
{
    return TISO_NAME_OF(VERDICT_NAMES, verdict);
}

const char *tiso_direction_name(tiso_direction direction)
{
    return TISO_NAME_OF(DIRECTION_NAMES, direction);
}

tiso_status tiso_direction_parse(tiso_direction *out, const char *text, size_t len)
{
    /* inbound, outbound, auto: every direction but none */
    int i = tiso__name_index(DIRECTION_NAMES + 1, TISO_NAME_COUNT(DIRECTION_NAMES) - 1, text, len);
    if (!out || i < 0)
        return TISO_E_INVALID_ARGUMENT;
    *out = (tiso_direction)(i + 1);
    return TISO_OK;
}

/* The home side of a decision: who owns the rules that applied. */
static const tiso_tenant_id *home_side(const tiso_decision *d)
{
    return d->direction == TISO_DIRECTION_INBOUND ? &d->target : &d->creator;
}

static const char *capitalized(tiso_direction d)
{
    return d == TISO_DIRECTION_INBOUND ? "Inbound" : "Outbound";
}

size_t tiso_decision_message(char *buf, size_t size, const tiso_decision *d)
{
    if (!d)
        return 0;
    if (!buf)
        size = 0;
    char c[TISO_TENANT_ID_LEN + 1], t[TISO_TENANT_ID_LEN + 1], h[TISO_TENANT_ID_LEN + 1], x[TISO_TENANT_ID_LEN + 1];
    tiso__tenant_id_format(&d->creator, c);
    tiso__tenant_id_format(&d->target, t);
    tiso__tenant_id_format(home_side(d), h);
    tiso__tenant_id_format(&d->external_tenant, x);
    const char *dir = tiso_direction_name(d->direction);
    int n;
    switch (d->reason) {
    case TISO_REASON_SAME_TENANT:
        n = snprintf(buf, size,
                     "Connection within tenant %s is allowed: creator and target are the same tenant, so tenant "
                     "isolation does not apply.", c);
        break;
    case TISO_REASON_NOT_EVALUATED_NON_ENTRA:
        n = snprintf(buf, size,
                     "Connection from tenant %s to tenant %s is allowed: its connector does not use Microsoft "
                     "Entra ID tokens, so tenant isolation does not cover it.", c, t);
        break;
    case TISO_REASON_NOT_APPLICABLE:
        n = snprintf(buf, size,
                     "Connection from tenant %s to tenant %s is allowed: neither tenant is this policy's home "
                     "tenant, so the policy has no say.", c, t);
        break;
    case TISO_REASON_ISOLATION_DISABLED:
        n = snprintf(buf, size, "%s connection from tenant %s to tenant %s is allowed: tenant isolation is off for %s.",
                     capitalized(d->direction), c, t, h);
        break;
    case TISO_REASON_ALLOWLISTED:
        n = snprintf(buf, size,
                     "%s connection from tenant %s to tenant %s is allowed: %s is on the %s allowlist of %s "
                     "(allowedTenants[%d]).", capitalized(d->direction), c, t, x, dir, h, (int)d->rule);
        break;
    case TISO_REASON_WILDCARD:
        n = snprintf(buf, size,
                     "%s connection from tenant %s to tenant %s is allowed: the %s allowlist of %s has a \"*\" "
                     "entry (allowedTenants[%d]) that allows every tenant.", capitalized(d->direction), c, t, dir, h,
                     (int)d->rule);
        break;
    case TISO_REASON_NOT_ALLOWLISTED:
        n = snprintf(buf, size,
                     "%s connection from tenant %s to tenant %s is blocked: tenant isolation is on for %s and %s is "
                     "not on its %s allowlist. An administrator of %s can add it in Policies > Tenant isolation.",
                     capitalized(d->direction), c, t, h, x, dir, h);
        break;
    case TISO_REASON_NONE:
    default:
        n = snprintf(buf, size, "No decision was made: the request could not be evaluated, so it is denied.");
        break;
    }
    if (n >= 0 && (size_t)n >= size && size > 0)
        tiso__utf8_cut(buf); /* a cut message stays whole characters */
    return n < 0 ? 0 : (size_t)n;
}
