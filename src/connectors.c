/* Connectors that do not authenticate with Microsoft Entra ID tokens, which
 * tenant isolation therefore cannot see (Power Platform's documented gap). */
#include <string.h>
#include <strings.h>

#include "internal.h"

static const char *const NON_ENTRA[] = {
    "shared_visualstudioteamservices", /* Azure DevOps: runs its own OAuth flow */
};

/* "…/apis/shared_x" and "shared_x" name the same connector. */
static const char *basename_of(const char *connector)
{
    const char *slash = strrchr(connector, '/');
    return slash ? slash + 1 : connector;
}

bool tiso__connector_is_non_entra(const char *connector)
{
    if (!connector || !*connector)
        return false;
    const char *name = basename_of(connector);
    for (size_t i = 0; i < sizeof NON_ENTRA / sizeof NON_ENTRA[0]; i++)
        if (strcasecmp(name, NON_ENTRA[i]) == 0)
            return true;
    return false;
}

tiso_auth_kind tiso_connector_auth_kind(const char *connector)
{
    return tiso__connector_is_non_entra(connector) ? TISO_AUTH_NON_ENTRA : TISO_AUTH_ENTRA;
}
