/* tenantiso resolve NAME... : a domain is resolved through the configured
 * resolution and prints "<domain> <tenant-id>"; a tenant ID prints its
 * canonical form, or, when the Graph resolver has credentials (global
 * cloud), "<tenant-id> <default-domain> <display name>" from Graph's
 * findTenantInformationByTenantId. With Graph as the only resolver the
 * domains are resolved concurrently (cli_resolve_names). All names are
 * resolved before anything is printed, so the output is complete or absent;
 * a failure is reported for the first failing name in argument order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli_resolution.h"
#include "internal.h"
#include "commands.h"

typedef struct resolved {
    char domain[TISO_DOMAIN_MAX + 1]; /* normalized; "" for a tenant ID */
    char tenant[TISO_TENANT_ID_LEN + 1];
    tiso_graph_tenant_info *info; /* a tenant ID's information from Graph; NULL when not looked up */
} resolved;

/* Fills `out` for a name that resolved to `id`: a domain is shown in its
 * normalized form, a tenant ID without one. */
static void describe(const char *name, const tiso_tenant_id *id, resolved *out)
{
    tiso_tenant_id_format(out->tenant, id);
    tiso_name classified;
    if (tiso_name_classify(&classified, name, strlen(name), NULL) == TISO_OK && classified.kind == TISO_NAME_DOMAIN) {
        memcpy(out->domain, classified.domain, sizeof out->domain); /* else "": items are zeroed */
    }
}

/* Looks up the information of every tenant ID among items[0..count), in
 * order, stopping at the first failure (returned, with its index and error;
 * both are left alone on success). Graph's
 * strings are made printable on one line (valid UTF-8, no control
 * characters) before they reach a terminal or the JSON output. */
static tiso_status look_up_tenants(tiso_graph_client *graph, const tiso_tenant_id *ids, resolved *items, size_t count,
                                   size_t *failed, tiso_error *err)
{
    for (size_t i = 0; i < count; i++) {
        if (items[i].domain[0] != '\0')
            continue;
        tiso_graph_tenant_info *info = items[i].info = malloc(sizeof *info);
        tiso_error e;
        tiso_error_clear(&e);
        tiso_status s =
            info != NULL ? tiso_graph_tenant_info_by_id(info, graph, &ids[i], &e) : (e.status = TISO_E_NOMEM);
        if (s != TISO_OK) {
            *failed = i;
            *err = e;
            return s;
        }
        char *fields[] = {info->display_name, info->default_domain, info->federation_brand_name};
        for (size_t f = 0; f < 3; f++) {
            char buf[TISO_GRAPH_NAME_MAX + 1];
            tiso__text_clean(buf, sizeof buf, fields[f], strlen(fields[f]), TISO__TEXT_MARK_CONTROLS);
            strcpy(fields[f], buf); /* no longer than before */
        }
    }
    return TISO_OK;
}

/* null for what is empty. */
static void add_text(int *bad, cJSON *item, const char *key, const char *value)
{
    cli_json_add_string(bad, item, key, value[0] != '\0' ? value : NULL);
}

static int print_json(const cli_ctx *ctx, const cli_args *args, const resolved *items)
{
    int bad = 0;
    cJSON *list = cli_json_need(&bad, cJSON_CreateArray());
    for (size_t i = 0; i < args->positional_count; i++) {
        cJSON *item = cli_json_push_object(&bad, list);
        cli_json_add_string(&bad, item, "name", args->positional[i]);
        cli_json_add_string(&bad, item, "tenantId", items[i].tenant);
        add_text(&bad, item, "domain", items[i].domain);
        const tiso_graph_tenant_info *info = items[i].info;
        if (info != NULL) {
            add_text(&bad, item, "displayName", info->display_name);
            add_text(&bad, item, "defaultDomainName", info->default_domain);
            add_text(&bad, item, "federationBrandName", info->federation_brand_name);
        }
    }
    return cli_json_print(ctx, list, bad, 0);
}

static void print_text(const cli_args *args, const resolved *items)
{
    for (size_t i = 0; i < args->positional_count; i++) {
        const tiso_graph_tenant_info *info = items[i].info;
        if (items[i].domain[0] != '\0') {
            printf("%s %s\n", items[i].domain, items[i].tenant);
        } else if (info != NULL) {
            /* The display name last: it may hold spaces. "-" for what Graph left out. */
            printf("%s %s %s\n", items[i].tenant, info->default_domain[0] ? info->default_domain : "-",
                   info->display_name[0] ? info->display_name : "-");
        } else {
            printf("%s\n", items[i].tenant);
        }
    }
}

int cmd_resolve(const cli_ctx *ctx, const cli_args *args)
{
    size_t count = args->positional_count;
    resolved *items = calloc(count, sizeof *items);
    tiso_tenant_id *ids = calloc(count, sizeof *ids);
    if (items == NULL || ids == NULL) {
        free(items);
        free(ids);
        return cli_fail_nomem(ctx);
    }
    cli_resolution res;
    int rc = cli_resolution_open(&res, ctx, &args->resolution);
    if (rc == 0) {
        tiso_error err;
        size_t failed = count;
        tiso_status s = cli_resolve_names(&res, args->positional, count, ids, &failed, &err);
        size_t done = s == TISO_OK ? count : failed;
        for (size_t i = 0; i < done; i++) {
            describe(args->positional[i], &ids[i], &items[i]);
        }
        /* Tenant IDs before the first failure get their information, when
         * Graph can give it; a failure among them comes first in order. */
        tiso_graph_client *graph = cli_resolution_tenant_info_client(&res);
        tiso_status is = graph != NULL ? look_up_tenants(graph, ids, items, done, &failed, &err) : TISO_OK;
        s = is != TISO_OK ? is : s;
        if (s != TISO_OK) {
            rc = cli_fail(ctx, s, "resolve: '%.80s': %s", args->positional[failed],
                          err.message[0] != '\0' ? err.message : tiso_strerror(s));
        } else if (ctx->json) {
            rc = print_json(ctx, args, items);
        } else {
            print_text(args, items);
        }
    }
    cli_resolution_close(&res);
    for (size_t i = 0; i < count; i++) {
        free(items[i].info);
    }
    free(items);
    free(ids);
    return rc;
}
