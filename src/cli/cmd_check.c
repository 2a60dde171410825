/* tenantiso check POLICY: validate a policy, print it normalized and list its
 * warnings (SPEC 4, 7). */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli_policies.h"
#include "cli_resolution.h"
#include "cli_sarif.h"
#include "commands.h"
#include "json_input.h"

/* {"valid": false, "error": {...}} for --json, or the usual error line. */
static int report_invalid(const cli_ctx *ctx, const char *path, const tiso_error *err)
{
    if (!ctx->json) {
        return cli_fail_error(ctx, path, err);
    }
    char message[CLI_MESSAGE_MAX];
    cli_format_error(message, sizeof message, path, err);
    int bad = 0;
    cJSON *root = cli_json_need(&bad, cJSON_CreateObject());
    cli_json_need(&bad, cJSON_AddFalseToObject(root, "valid"));
    cJSON *error = cli_json_add_error(&bad, root, err->status, message);
    if (err->path[0] != '\0') {
        cli_json_add_string(&bad, error, "path", err->path);
    }
    if (err->line != 0) {
        cli_json_add_number(&bad, error, "line", (double)err->line);
        cli_json_add_number(&bad, error, "column", (double)err->column);
    }
    int rc = cli_json_print(ctx, root, bad, 0); /* one line, like every other --json error */
    return rc != 0 ? rc : cli_exit_code(err->status);
}

/* Each warning: a line on stderr, or with `list` an object added to it. */
static void show_warnings(const tiso_policy *policy, int *bad, cJSON *list)
{
    size_t n = tiso_policy_warning_count(policy);
    for (size_t i = 0; i < n; i++) {
        tiso_warning w;
        if (tiso_policy_warning_at(&w, policy, i) != TISO_OK) {
            continue;
        }
        const char *path = w.path != NULL ? w.path : "", *message = w.message != NULL ? w.message : "";
        if (list != NULL) {
            cJSON *item = cli_json_push_object(bad, list);
            cli_json_add_string(bad, item, "code", tiso_warning_code_name(w.code));
            cli_json_add_string(bad, item, "path", path);
            cli_json_add_string(bad, item, "message", message);
        } else if (path[0] != '\0') {
            cli_warn("%s: %s", path, message);
        } else {
            cli_warn("%s", message);
        }
    }
}

/* {"valid": true, "policy": {...}, "warnings": [...]}, or the policy as
 * text on stdout and its warnings on stderr. */
static int print_valid(const cli_ctx *ctx, const tiso_policy *policy, const char *text)
{
    if (!ctx->json) {
        size_t len = strlen(text);
        fputs(text, stdout);
        if (len == 0 || text[len - 1] != '\n') {
            fputc('\n', stdout);
        }
        show_warnings(policy, NULL, NULL);
        return 0;
    }
    /* The library's own output, read back through its one JSON reader. */
    const tiso__json_limits lim = {UINT64_MAX, TISO_JSON_SCAN_MAX_DEPTH, UINT32_MAX};
    cJSON *doc = NULL;
    tiso__json_parse(&doc, text, strlen(text), &lim, NULL);
    int bad = 0;
    cJSON *root = cli_json_need(&bad, cJSON_CreateObject());
    cli_json_need(&bad, cJSON_AddTrueToObject(root, "valid"));
    if (doc != NULL && !cJSON_AddItemToObject(root, "policy", doc)) {
        cJSON_Delete(doc);
        doc = NULL;
    }
    cli_json_need(&bad, doc);
    show_warnings(policy, &bad, cli_json_need(&bad, cJSON_AddArrayToObject(root, "warnings")));
    return cli_json_print(ctx, root, bad, 1);
}

int cmd_check(const cli_ctx *ctx, const cli_args *args)
{
    const char *path = args->positional[0];
    int sarif = 0;
    cli_resolution res;
    memset(&res, 0, sizeof res);
    tiso_policy *policy = NULL;
    char *text = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    int rc = cli_sarif_format(ctx, args->format, &sarif);
    if (rc == 0) {
        rc = cli_resolution_open(&res, ctx, &args->resolution);
    }
    if (rc == 0 && cli_policy_load(&policy, path, NULL, 0, res.resolver, &err) != TISO_OK) {
        rc = sarif ? cli_sarif_print_check(ctx, path, NULL, &err) : report_invalid(ctx, path, &err);
    } else if (rc == 0 && sarif) {
        rc = cli_sarif_print_check(ctx, path, policy, NULL);
    } else if (rc == 0) {
        rc = tiso_policy_to_json(&text, NULL, policy, 1, &err) == TISO_OK ? print_valid(ctx, policy, text)
                                                                          : cli_fail_error(ctx, path, &err);
    }
    tiso_free(text);
    tiso_policy_free(policy);
    cli_resolution_close(&res);
    return rc;
}
