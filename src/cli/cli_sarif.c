/* SARIF 2.1.0 for `check` (see cli_sarif.h). */
#include "cli_sarif.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

/* What each warning code means, indexed by code - 1. */
static const char *const WARNING_TEXT[] = {
    "A tenant is listed more than once: the directions of its entries add up.",
    "An entry allows neither inbound nor outbound: it grants nothing.",
    "The home tenant is on its own allowlist: connections within a tenant are always allowed.",
    "A key the library does not know is ignored.",
    "The document has no isDisabled: it is read as isolation on.",
    "Further warnings were not kept.",
    "More allowlist rules than Power Platform accepts (500): the service would refuse the policy.",
};
#define WARNING_KINDS (sizeof WARNING_TEXT / sizeof WARNING_TEXT[0])

/* What each failure status means for a policy, indexed by status - 1. */
static const char *const ERROR_TEXT[] = {
    "Invalid argument.",
    "Out of memory.",
    "Not a tenant ID (8-4-4-4-12 hex), or the nil GUID.",
    "Not a valid domain name.",
    "Malformed JSON, invalid UTF-8 or a NUL byte.",
    "Well-formed JSON of the wrong shape or type: not a valid policy.",
    "A size, count, length or depth limit was passed.",
    "The file could not be read.",
    "A domain is unknown to the resolver.",
    "A domain could not be resolved.",
    "No home tenant.",
    "The direction contradicts the home tenant.",
    "The resolver's credentials were rejected.",
    "The resolver was still throttled after every retry.",
    "The resolver timed out.",
    "TLS handshake or certificate verification failed.",
    "A server answered with something unusable.",
    "The connection to a server failed.",
    "The feature is not in this build.",
    "A buffer was too small.",
    "Two sources claim one thing.",
};
#define ERROR_KINDS (sizeof ERROR_TEXT / sizeof ERROR_TEXT[0])

/* A rule's ID into `buf`; its index in tool.driver.rules, or -1 for a code
 * this table does not know. */
static int rule_of(char *buf, size_t size, int is_error, int code)
{
    if (is_error) {
        snprintf(buf, size, "error.%s", tiso_status_name((tiso_status)code));
        return code >= 1 && (size_t)code <= ERROR_KINDS ? (int)WARNING_KINDS + code - 1 : -1;
    }
    snprintf(buf, size, "warning.%s", tiso_warning_code_name((tiso_warning_code)code));
    return code >= 1 && (size_t)code <= WARNING_KINDS ? code - 1 : -1;
}

/* A new object as `key` of `obj`, or as the one item of a new array `key`. */
static cJSON *add_object(int *bad, cJSON *obj, const char *key)
{
    return cli_json_need(bad, cJSON_AddObjectToObject(obj, key));
}

static cJSON *add_one_item(int *bad, cJSON *obj, const char *key)
{
    return cli_json_push_object(bad, cli_json_need(bad, cJSON_AddArrayToObject(obj, key)));
}

/* "key": {"text": text}, SARIF's message form. */
static void add_text(int *bad, cJSON *obj, const char *key, const char *text)
{
    cli_json_add_string(bad, add_object(bad, obj, key), "text", text);
}

static void add_rule(int *bad, cJSON *rules, int is_error, int code, const char *text)
{
    char id[64];
    rule_of(id, sizeof id, is_error, code);
    cJSON *rule = cli_json_push_object(bad, rules);
    cli_json_add_string(bad, rule, "id", id);
    add_text(bad, rule, "shortDescription", text);
    cli_json_add_string(bad, add_object(bad, rule, "defaultConfiguration"), "level", is_error ? "error" : "warning");
}

static void add_tool(int *bad, cJSON *run)
{
    cJSON *driver = add_object(bad, add_object(bad, run, "tool"), "driver");
    cli_json_add_string(bad, driver, "name", "tenantiso");
    cli_json_add_string(bad, driver, "version", tiso_version());
    cJSON *rules = cli_json_need(bad, cJSON_AddArrayToObject(driver, "rules"));
    for (size_t i = 0; i < WARNING_KINDS; i++) {
        add_rule(bad, rules, 0, (int)i + 1, WARNING_TEXT[i]);
    }
    for (size_t i = 0; i < ERROR_KINDS; i++) {
        add_rule(bad, rules, 1, (int)i + 1, ERROR_TEXT[i]);
    }
}

/* The last member or index of a JSON path: "tenantId", "[3]". */
static const char *last_component(const char *json_path)
{
    const char *dot = strrchr(json_path, '.');
    const char *bracket = strrchr(json_path, '[');
    const char *start = dot != NULL ? dot + 1 : json_path;
    return bracket != NULL && bracket >= start ? bracket : start;
}

/* One result: a warning (`err` NULL) or the load error `err`, located in
 * the file `uri` at its JSON path (and line and column, when known). */
static void add_result(int *bad, cJSON *results, const char *uri, const tiso_warning *w, const tiso_error *err)
{
    int is_error = w == NULL, code = is_error ? (int)err->status : (int)w->code;
    const char *json_path = is_error ? err->path : w->path, *message = is_error ? err->message : w->message;
    char id[64];
    int index = rule_of(id, sizeof id, is_error, code);
    cJSON *result = cli_json_push_object(bad, results);
    cli_json_add_string(bad, result, "ruleId", id);
    if (index >= 0) {
        cli_json_add_number(bad, result, "ruleIndex", index);
    }
    cli_json_add_string(bad, result, "level", is_error ? "error" : "warning");
    add_text(bad, result, "message", message != NULL ? message : "");
    cJSON *loc = add_one_item(bad, result, "locations");
    cJSON *phys = add_object(bad, loc, "physicalLocation");
    cJSON *artifact = add_object(bad, phys, "artifactLocation");
    cli_json_add_string(bad, artifact, "uri", uri);
    cli_json_add_number(bad, artifact, "index", 0);
    if (is_error && err->line != 0) {
        cJSON *region = add_object(bad, phys, "region");
        cli_json_add_number(bad, region, "startLine", err->line);
        if (err->column != 0) {
            cli_json_add_number(bad, region, "startColumn", err->column);
        }
    }
    if (json_path != NULL && json_path[0] != '\0') {
        cJSON *item = add_one_item(bad, loc, "logicalLocations");
        cli_json_add_string(bad, item, "name", last_component(json_path));
        cli_json_add_string(bad, item, "fullyQualifiedName", json_path);
    }
}

static void add_findings(int *bad, cJSON *results, const char *uri, const tiso_policy *policy, const tiso_error *err)
{
    size_t n = policy != NULL ? tiso_policy_warning_count(policy) : 0;
    if (policy == NULL) {
        add_result(bad, results, uri, NULL, err);
    }
    for (size_t i = 0; i < n; i++) {
        tiso_warning w;
        if (tiso_policy_warning_at(&w, policy, i) == TISO_OK) {
            add_result(bad, results, uri, &w, NULL);
        }
    }
}

int cli_sarif_format(const cli_ctx *ctx, const char *format, int *sarif)
{
    *sarif = format != NULL && strcmp(format, "sarif") == 0;
    if (format != NULL && !*sarif && strcmp(format, "text") != 0) {
        return cli_usage(ctx, "--format: '%.64s' is not one of text, sarif", format);
    }
    if (*sarif && ctx->json) {
        return cli_usage(ctx, "--json and --format sarif each choose the output: give one");
    }
    return 0;
}

/* {"$schema", "version", "runs": [{"tool", "artifacts", "results"}]}. */
int cli_sarif_print_check(const cli_ctx *ctx, const char *path, const tiso_policy *policy, const tiso_error *err)
{
    /* `path` as a URI reference: all but '/' and unreserved bytes encoded
     * (a ':' in the first segment would read as a scheme). */
    char *uri = tiso__url_encode(path, strlen(path), "/");
    int bad = uri == NULL;
    cJSON *log = cli_json_need(&bad, cJSON_CreateObject());
    cli_json_add_string(&bad, log, "$schema", SARIF_SCHEMA);
    cli_json_add_string(&bad, log, "version", "2.1.0");
    cJSON *run = add_one_item(&bad, log, "runs");
    add_tool(&bad, run);
    cli_json_add_string(&bad, add_object(&bad, add_one_item(&bad, run, "artifacts"), "location"), "uri", uri);
    add_findings(&bad, cli_json_need(&bad, cJSON_AddArrayToObject(run, "results")), uri, policy, err);
    int rc = cli_json_print(ctx, log, bad, 1);
    tiso__free(uri);
    return rc != 0 || policy != NULL ? rc : cli_exit_code(err->status);
}
