/* Clouds and option defaults. Built with and without the Graph client: it
 * needs nothing from libcurl. */
#include <string.h>

#include "graph_common.h"
#include "internal.h"
#include "tenantiso/graph.h"

typedef struct cloud_hosts {
    const char *name;
    const char *login_url;
    const char *graph_url;
} cloud_hosts;

static const cloud_hosts clouds[] = {
    [TISO_CLOUD_GLOBAL] = {"global", "https://login.microsoftonline.com", "https://graph.microsoft.com"},
    [TISO_CLOUD_USGOV] = {"usgov", "https://login.microsoftonline.us", "https://graph.microsoft.us"},
    [TISO_CLOUD_DOD] = {"dod", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us"},
    [TISO_CLOUD_CHINA] = {"china", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"},
    /* US Government GCC signs in and reaches Graph in the global cloud; only
     * its Power Platform hosts differ (live.h). */
    [TISO_CLOUD_GCC] = {"gcc", "https://login.microsoftonline.com", "https://graph.microsoft.com"},
};

/* The cloud's entry; for a value outside the enum, one with no URLs. */
static const cloud_hosts *lookup(tiso_cloud cloud)
{
    static const cloud_hosts unknown = {"unknown", NULL, NULL};
    unsigned i = (unsigned)cloud;
    return i < sizeof clouds / sizeof clouds[0] ? &clouds[i] : &unknown;
}

static char ascii_lower(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
}

bool tiso__ascii_ieq(const char *text, size_t n, const char *lower)
{
    if (strlen(lower) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(text[i]) != lower[i])
            return false;
    return true;
}

bool tiso__ascii_case_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower(*a) != ascii_lower(*b))
            return false;
    return *a == *b;
}

tiso_status tiso_cloud_parse(tiso_cloud *out, const char *text, size_t len)
{
    if (out == NULL || text == NULL)
        return TISO_E_INVALID_ARGUMENT;
    for (size_t i = 0; i < sizeof clouds / sizeof clouds[0]; i++) {
        if (tiso__ascii_ieq(text, len, clouds[i].name)) {
            *out = (tiso_cloud)i;
            return TISO_OK;
        }
    }
    if (tiso__ascii_ieq(text, len, "gcchigh")) {
        *out = TISO_CLOUD_USGOV;
        return TISO_OK;
    }
    return TISO_E_INVALID_ARGUMENT;
}

const char *tiso_cloud_name(tiso_cloud cloud)
{
    return lookup(cloud)->name;
}

const char *tiso_cloud_login_url(tiso_cloud cloud)
{
    return lookup(cloud)->login_url;
}

const char *tiso_cloud_graph_url(tiso_cloud cloud)
{
    return lookup(cloud)->graph_url;
}

void tiso_graph_options_init(tiso_graph_options *opts)
{
    if (opts == NULL)
        return;
    *opts = (tiso_graph_options){.version = TISO_GRAPH_OPTIONS_VERSION,
                                 .cloud = TISO_CLOUD_GLOBAL,
                                 .connect_timeout_ms = TISO_GRAPH_DEFAULT_CONNECT_TIMEOUT_MS,
                                 .timeout_ms = TISO_GRAPH_DEFAULT_TIMEOUT_MS,
                                 .max_attempts = TISO_GRAPH_DEFAULT_MAX_ATTEMPTS,
                                 .retry_base_ms = TISO_GRAPH_DEFAULT_RETRY_BASE_MS,
                                 .retry_max_ms = TISO_GRAPH_DEFAULT_RETRY_MAX_MS,
                                 .max_body_bytes = TISO_GRAPH_DEFAULT_MAX_BODY_BYTES,
                                 .cache_ttl_s = TISO_GRAPH_DEFAULT_CACHE_TTL_S,
                                 .negative_ttl_s = TISO_GRAPH_DEFAULT_NEGATIVE_TTL_S,
                                 .cache_max_entries = TISO_GRAPH_DEFAULT_CACHE_MAX_ENTRIES,
                                 .max_concurrency = TISO_GRAPH_DEFAULT_MAX_CONCURRENCY};
}
