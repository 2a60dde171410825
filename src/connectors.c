/* Connectors that do not authenticate with Microsoft Entra ID tokens, which
 * tenant isolation therefore cannot see (Power Platform's documented gap). */
#include <string.h>
#include <strings.h>

#include "internal.h"

static const char *const NON_ENTRA[] = {
    "shared_visualstudioteamservices", /* Azure DevOps: runs its own OAuth flow */
};

/* The connector's API path as Power Platform writes it (a report's
 * connectorId): this prefix, then the identifier. */
static const char API_PATH[] = "/providers/Microsoft.PowerApps/apis/";

/* The identifier a connector is named by: the text itself, or what follows
 * the API path. Anything else that merely ends in a known name
 * ("shared_office365/shared_x", "https://evil.example/x/shared_x") is not
 * that connector: rule 3's exemption is an allow, so it is given narrowly. */
const char *tiso__connector_identifier(const char *connector)
{
    size_t n = sizeof API_PATH - 1;
    if (connector && strncasecmp(connector, API_PATH, n) == 0)
        return connector + n;
    return connector;
}

bool tiso__connector_is_non_entra(const char *connector)
{
    if (!connector || !*connector)
        return false;
    const char *name = tiso__connector_identifier(connector);
    for (size_t i = 0; i < sizeof NON_ENTRA / sizeof NON_ENTRA[0]; i++)
        if (strcasecmp(name, NON_ENTRA[i]) == 0)
            return true;
    return false;
}

tiso_auth_kind tiso_connector_auth_kind(const char *connector)
{
    return tiso__connector_is_non_entra(connector) ? TISO_AUTH_NON_ENTRA : TISO_AUTH_ENTRA;
}
