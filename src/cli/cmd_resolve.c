/* tenantiso resolve NAME... : a tenant ID prints its canonical form; a domain
 * is resolved through the configured resolution (today the --domains map)
 * and prints "<domain> <tenant-id>". All names are resolved before anything
 * is printed, so the output is complete or absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "cli_resolution.h"
#include "commands.h"

typedef struct resolved {
    char domain[TISO_DOMAIN_MAX + 1]; /* normalized; "" for a tenant ID */
    char tenant[TISO_TENANT_ID_LEN + 1];
} resolved;

static tiso_status resolve_one(const cli_resolution *res, const char *name, resolved *out, tiso_error *err)
{
    tiso_tenant_id id;
    tiso_status s = cli_resolve_name(res, name, &id, err);
    if (s != TISO_OK) {
        return s;
    }
    tiso_tenant_id_format(&id, out->tenant);
    out->domain[0] = '\0';
    /* A name that parses as a tenant ID was one; anything else that resolved
     * was a domain, shown in its normalized form. */
    tiso_tenant_id parsed;
    if (tiso_tenant_id_parse(&parsed, name, strlen(name)) != TISO_OK) {
        tiso_error ignored;
        if (tiso_domain_normalize(out->domain, name, strlen(name), &ignored) != TISO_OK) {
            snprintf(out->domain, sizeof out->domain, "%s", name);
        }
    }
    return TISO_OK;
}

static int print_json(const cli_ctx *ctx, const cli_args *args, const resolved *items)
{
    cJSON *list = cJSON_CreateArray();
    int ok = list != NULL;
    for (size_t i = 0; ok && i < args->positional_count; i++) {
        cJSON *item = cJSON_CreateObject();
        ok = item != NULL && cJSON_AddItemToArray(list, item) &&
             cJSON_AddStringToObject(item, "name", args->positional[i]) != NULL &&
             cJSON_AddStringToObject(item, "tenantId", items[i].tenant) != NULL &&
             (items[i].domain[0] == '\0' ? cJSON_AddNullToObject(item, "domain")
                                         : cJSON_AddStringToObject(item, "domain", items[i].domain)) != NULL;
    }
    int rc = ok ? cli_print_json(ctx, list, 0) : cli_fail_nomem(ctx);
    cJSON_Delete(list);
    return rc;
}

static void print_text(const cli_args *args, const resolved *items)
{
    for (size_t i = 0; i < args->positional_count; i++) {
        if (items[i].domain[0] == '\0') {
            printf("%s\n", items[i].tenant);
        } else {
            printf("%s %s\n", items[i].domain, items[i].tenant);
        }
    }
}

int cmd_resolve(const cli_ctx *ctx, const cli_args *args)
{
    if (args->positional_count == 0) {
        return cli_usage(ctx, "expects at least one NAME (a domain or a tenant ID)");
    }
    resolved *items = calloc(args->positional_count, sizeof *items);
    if (items == NULL) {
        return cli_fail_nomem(ctx);
    }
    cli_resolution res;
    int rc = cli_resolution_open(&res, ctx, &args->resolution);
    for (size_t i = 0; rc == 0 && i < args->positional_count; i++) {
        tiso_error err;
        tiso_error_clear(&err);
        tiso_status s = resolve_one(&res, args->positional[i], &items[i], &err);
        if (s != TISO_OK) {
            rc = cli_fail(ctx, s, "resolve: '%.80s': %s", args->positional[i],
                          err.message[0] != '\0' ? err.message : tiso_strerror(s));
        }
    }
    if (rc == 0) {
        if (ctx->json) {
            rc = print_json(ctx, args, items);
        } else {
            print_text(args, items);
        }
    }
    cli_resolution_close(&res);
    free(items);
    return rc;
}
