/* SARIF 2.1.0 for `check` (see cli_sarif.h). */
#include "cli_sarif.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

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

static cJSON *text_object(const char *text)
{
    cJSON *obj = cJSON_CreateObject();
    if (obj != NULL && cJSON_AddStringToObject(obj, "text", text) == NULL) {
        cJSON_Delete(obj);
        obj = NULL;
    }
    return obj;
}

static int add_rule(cJSON *rules, int is_error, int code, const char *text)
{
    char id[64];
    rule_of(id, sizeof id, is_error, code);
    cJSON *rule = cJSON_CreateObject();
    if (rule == NULL || !cJSON_AddItemToArray(rules, rule)) {
        cJSON_Delete(rule);
        return -1;
    }
    cJSON *desc = cJSON_AddStringToObject(rule, "id", id) != NULL ? text_object(text) : NULL;
    if (desc == NULL) {
        return -1;
    }
    cJSON_AddItemToObject(rule, "shortDescription", desc);
    cJSON *config = cJSON_AddObjectToObject(rule, "defaultConfiguration");
    return config != NULL && cJSON_AddStringToObject(config, "level", is_error ? "error" : "warning") != NULL ? 0 : -1;
}

static cJSON *tool_object(void)
{
    cJSON *tool = cJSON_CreateObject();
    cJSON *driver = cJSON_CreateObject();
    cJSON *rules = cJSON_CreateArray();
    if (tool == NULL || driver == NULL || rules == NULL) {
        cJSON_Delete(tool);
        cJSON_Delete(driver);
        cJSON_Delete(rules);
        return NULL;
    }
    cJSON_AddItemToObject(tool, "driver", driver);
    int bad = cJSON_AddStringToObject(driver, "name", "tenantiso") == NULL ||
              cJSON_AddStringToObject(driver, "version", tiso_version()) == NULL;
    cJSON_AddItemToObject(driver, "rules", rules);
    for (size_t i = 0; !bad && i < WARNING_KINDS; i++) {
        bad = add_rule(rules, 0, (int)i + 1, WARNING_TEXT[i]) != 0;
    }
    for (size_t i = 0; !bad && i < ERROR_KINDS; i++) {
        bad = add_rule(rules, 1, (int)i + 1, ERROR_TEXT[i]) != 0;
    }
    if (bad) {
        cJSON_Delete(tool);
        return NULL;
    }
    return tool;
}

/* `path` as a URI reference: every byte but unreserved ones and '/' is
 * percent-encoded (a ':' in the first segment would read as a scheme). */
static void uri_of(char *buf, size_t size, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t used = 0;
    for (const unsigned char *p = (const unsigned char *)path; *p != '\0' && used + 4 < size; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p) != NULL) {
            buf[used++] = (char)*p;
        } else {
            buf[used++] = '%';
            buf[used++] = hex[*p >> 4];
            buf[used++] = hex[*p & 15];
        }
    }
    buf[used] = '\0';
}

/* The last member or index of a JSON path: "tenantId", "[3]". */
static const char *last_component(const char *json_path)
{
    const char *dot = strrchr(json_path, '.');
    const char *bracket = strrchr(json_path, '[');
    const char *start = dot != NULL ? dot + 1 : json_path;
    return bracket != NULL && bracket >= start ? bracket : start;
}

static cJSON *location_object(const char *uri, const char *json_path, uint32_t line, uint32_t column)
{
    cJSON *loc = cJSON_CreateObject();
    cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
    cJSON *artifact = cJSON_AddObjectToObject(phys, "artifactLocation");
    int bad = artifact == NULL || cJSON_AddStringToObject(artifact, "uri", uri) == NULL ||
              cJSON_AddNumberToObject(artifact, "index", 0) == NULL;
    if (!bad && line != 0) {
        cJSON *region = cJSON_AddObjectToObject(phys, "region");
        bad = region == NULL || cJSON_AddNumberToObject(region, "startLine", line) == NULL ||
              (column != 0 && cJSON_AddNumberToObject(region, "startColumn", column) == NULL);
    }
    if (!bad && json_path != NULL && json_path[0] != '\0') {
        cJSON *logical = cJSON_AddArrayToObject(loc, "logicalLocations");
        cJSON *item = cJSON_CreateObject();
        if (logical == NULL || item == NULL || !cJSON_AddItemToArray(logical, item)) {
            cJSON_Delete(item);
            bad = 1;
        } else {
            bad = cJSON_AddStringToObject(item, "name", last_component(json_path)) == NULL ||
                  cJSON_AddStringToObject(item, "fullyQualifiedName", json_path) == NULL;
        }
    }
    if (bad) {
        cJSON_Delete(loc);
        return NULL;
    }
    return loc;
}

typedef struct finding {
    int is_error;
    int code;
    const char *message;
    const char *json_path;
    uint32_t line, column;
} finding;

static int add_result(cJSON *results, const char *uri, const finding *f)
{
    char id[64];
    int index = rule_of(id, sizeof id, f->is_error, f->code);
    cJSON *result = cJSON_CreateObject();
    if (result == NULL || !cJSON_AddItemToArray(results, result)) {
        cJSON_Delete(result);
        return -1;
    }
    if (cJSON_AddStringToObject(result, "ruleId", id) == NULL ||
        (index >= 0 && cJSON_AddNumberToObject(result, "ruleIndex", index) == NULL) ||
        cJSON_AddStringToObject(result, "level", f->is_error ? "error" : "warning") == NULL) {
        return -1;
    }
    cJSON *message = text_object(f->message != NULL ? f->message : "");
    if (message == NULL) {
        return -1;
    }
    cJSON_AddItemToObject(result, "message", message);
    cJSON *locations = cJSON_AddArrayToObject(result, "locations");
    cJSON *loc = location_object(uri, f->json_path, f->line, f->column);
    if (locations == NULL || loc == NULL) {
        cJSON_Delete(loc);
        return -1;
    }
    cJSON_AddItemToArray(locations, loc);
    return 0;
}

static int add_findings(cJSON *results, const char *uri, const tiso_policy *policy, const tiso_error *err)
{
    if (policy == NULL) {
        finding f = {1, (int)err->status, err->message, err->path, err->line, err->column};
        return add_result(results, uri, &f);
    }
    size_t n = tiso_policy_warning_count(policy);
    for (size_t i = 0; i < n; i++) {
        tiso_warning w;
        if (tiso_policy_warning_at(&w, policy, i) != TISO_OK) {
            continue;
        }
        finding f = {0, (int)w.code, w.message, w.path, 0, 0};
        if (add_result(results, uri, &f) != 0) {
            return -1;
        }
    }
    return 0;
}

/* {"$schema", "version", "runs": [{"tool", "artifacts", "results"}]}. */
static cJSON *sarif_log(const char *path, const tiso_policy *policy, const tiso_error *err)
{
    char uri[4 * TISO_ERROR_PATH_MAX];
    uri_of(uri, sizeof uri, path);
    cJSON *log = cJSON_CreateObject();
    cJSON *runs = NULL, *run = cJSON_CreateObject();
    if (log == NULL || run == NULL || cJSON_AddStringToObject(log, "$schema", SARIF_SCHEMA) == NULL ||
        cJSON_AddStringToObject(log, "version", "2.1.0") == NULL ||
        (runs = cJSON_AddArrayToObject(log, "runs")) == NULL || !cJSON_AddItemToArray(runs, run)) {
        cJSON_Delete(run);
        cJSON_Delete(log);
        return NULL;
    }
    cJSON *tool = tool_object();
    if (tool == NULL) {
        cJSON_Delete(log);
        return NULL;
    }
    cJSON_AddItemToObject(run, "tool", tool);
    cJSON *artifacts = cJSON_AddArrayToObject(run, "artifacts");
    cJSON *artifact = cJSON_CreateObject();
    if (artifacts == NULL || artifact == NULL || !cJSON_AddItemToArray(artifacts, artifact)) {
        cJSON_Delete(artifact);
        cJSON_Delete(log);
        return NULL;
    }
    cJSON *artifact_loc = cJSON_AddObjectToObject(artifact, "location");
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    if (artifact_loc == NULL || cJSON_AddStringToObject(artifact_loc, "uri", uri) == NULL || results == NULL ||
        add_findings(results, uri, policy, err) != 0) {
        cJSON_Delete(log);
        return NULL;
    }
    return log;
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

int cli_sarif_print_check(const cli_ctx *ctx, const char *path, const tiso_policy *policy, const tiso_error *err)
{
    cJSON *log = sarif_log(path, policy, err);
    if (log == NULL) {
        return cli_fail_nomem(ctx);
    }
    int rc = cli_print_json(ctx, log, 1);
    cJSON_Delete(log);
    return rc != 0 || policy != NULL ? rc : cli_exit_code(err->status);
}
