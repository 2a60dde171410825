/* The list of a tenant's cross-tenant connection reports (see
 * tiso_live_report_list_each): pure reading of a page already received, so
 * it works in every build. */
#include <string.h>

#include "json_input.h"
#include "tenantiso/live.h"

static const char *string_of(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

tiso_status tiso_live_report_list_each(tiso_live_report_fn fn, void *user, const tiso_live_page *page,
                                       tiso_error *err)
{
    if (!fn || !page || !page->body)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "NULL argument to tiso_live_report_list_each");
    /* The client bounded the body; its strings are as long as it allows. */
    size_t len = page->len;
    const tiso__json_limits lim = {len, TISO_DEFAULT_MAX_DEPTH, len > UINT32_MAX ? UINT32_MAX : (uint32_t)len};
    cJSON *root = NULL;
    tiso_error jerr;
    tiso_error_clear(&jerr);
    tiso_status st = tiso__json_parse(&root, page->body, len, &lim, &jerr);
    if (st != TISO_OK)
        return tiso__fail(err, st == TISO_E_NOMEM ? st : TISO_E_BAD_RESPONSE, NULL,
                          "the list of reports is not JSON: %s", jerr.message);
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(root, "value"))
    {
        tiso_live_report_info r = {string_of(item, "reportId"), string_of(item, "status"), string_of(item, "startDate"),
                                   string_of(item, "endDate")};
        if (r.status == NULL)
            r.status = string_of(item, "reportStatus");
        fn(user, &r);
    }
    cJSON_Delete(root);
    return TISO_OK;
}
