/* Fuzz target: `tenantiso eval --batch` request lines.
 *
 * The request parser is not a library function: it is the CLI's own code
 * (cmd_batch.c, cli_request.c, ...) over the library's line reader
 * (lines.c). This target links those CLI source files as they are and
 * drives cmd_batch itself, so it fuzzes exactly what the command runs:
 * line splitting, the byte checks, the JSON parse, the request fields,
 * name resolution through a --domains map and the output. The input is
 * the batch file; it runs once against a single policy and once against a
 * policy set.
 *
 * Invariants (SPEC 7): exit code 0 whatever the lines say; exactly one
 * output line per input line, each a JSON object with "line": N in order;
 * each either {"error": {"code", "message"}} with a known code and a
 * non-empty message, or a decision whose reason matches its verdict (and
 * with "blockedBy" for a set); a line with an escaped NUL (\u0000, where
 * cJSON would cut a name short) is an error; output is valid UTF-8.
 *
 * Resolution never touches the network: the Graph client is only used when
 * no --domains map is given or TENANTISO_* credentials are set, and this
 * target gives a map and clears those variables. Needs Linux (/proc).
 *
 * Found: lines with an escaped NUL were decided for the name cut short at
 * it ("contoso.com\u0000.evil" as contoso.com), a fail-open; fixed in
 * cmd_batch.c, kept as corpus/batch/regress-escaped-nul.jsonl. */
#include <fcntl.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli_policies.h"
#include "cli_resolution.h"
#include "json_scan.h"
#include "commands.h"
#include "fuzz_util.h"

#define CONTOSO "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
#define FABRIKAM "fab41ca0-7e3d-4c1b-8a2f-0000000fab41"

static const char MAP[] = "{\"contoso.com\": \"" CONTOSO "\", \"fabrikam.com\": \"" FABRIKAM "\","
                          " \"northwindtraders.com\": \"4e0b7a12-96c3-4d5e-8f21-7a3b9c0d1e2f\"}";
static const char CONTOSO_POLICY[] =
    "{\"properties\": {\"tenantId\": \"" CONTOSO "\", \"isDisabled\": false, \"allowedTenants\": ["
    "{\"tenantId\": \"" FABRIKAM "\", \"direction\": {\"inbound\": true, \"outbound\": false}},"
    "{\"domain\": \"northwindtraders.com\", \"direction\": {\"inbound\": false, \"outbound\": true}},"
    "{\"tenantId\": \"*\", \"direction\": {\"inbound\": false, \"outbound\": false}}]}}";
static const char FABRIKAM_POLICY[] =
    "{\"tenantId\": \"" FABRIKAM "\", \"isDisabled\": false, \"evaluateNonEntraConnectors\": true,"
    " \"allowedTenants\": [{\"tenantId\": \"" CONTOSO "\", \"direction\": {\"inbound\": true, \"outbound\": true}}]}";

typedef struct harness {
    char in_path[64], out_path[64];
    int in_fd, out_fd;
    cli_resolution res;
    cli_policies single, set;
} harness;

static int temp_file(char *path, size_t size, const char *data, size_t len)
{
    const char *dir = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
    snprintf(path, size, "%.40s/tiso-fuzz-XXXXXX", dir);
    int fd = mkstemp(path);
    FUZZ_CHECK(fd >= 0 && write(fd, data, len) == (ssize_t)len, "cannot make a temporary file in %s", dir);
    return fd;
}

static void load(cli_policies *p, const char *json, const harness *h)
{
    tiso_error err;
    tiso_status s = cli_policies_load(p, "fuzz", json, strlen(json), h->res.resolver, &err);
    FUZZ_CHECK(s == TISO_OK, "setup: %s", err.message);
}

/* Once per process: the map, the policies, and stdout into a file. */
static harness *setup(void)
{
    static harness h;
    static int ready;
    if (ready)
        return &h;
    unsetenv("TENANTISO_ACCESS_TOKEN");
    unsetenv("TENANTISO_TENANT_ID");
    unsetenv("TENANTISO_CLIENT_ID");
    unsetenv("TENANTISO_CLIENT_SECRET");
    char map_path[64];
    int map_fd = temp_file(map_path, sizeof map_path, MAP, sizeof MAP - 1);
    cli_ctx ctx = {"eval", 0};
    cli_resolution_opts opts = {.domains = map_path};
    FUZZ_CHECK(cli_resolution_open(&h.res, &ctx, &opts) == 0 && h.res.count == 1, "setup: resolution");
    close(map_fd);
    unlink(map_path);
    cli_policies_init(&h.single, 0);
    cli_policies_init(&h.set, 1);
    load(&h.single, CONTOSO_POLICY, &h);
    load(&h.set, CONTOSO_POLICY, &h);
    load(&h.set, FABRIKAM_POLICY, &h);
    /* Unlinked at once, so nothing is left behind; cmd_batch opens the
     * input again through /proc, which reaches an unlinked file. */
    h.in_fd = temp_file(h.in_path, sizeof h.in_path, "", 0);
    h.out_fd = temp_file(h.out_path, sizeof h.out_path, "", 0);
    unlink(h.in_path);
    unlink(h.out_path);
    snprintf(h.in_path, sizeof h.in_path, "/proc/self/fd/%d", h.in_fd);
    fflush(stdout);
    FUZZ_CHECK(dup2(h.out_fd, STDOUT_FILENO) == STDOUT_FILENO, "setup: stdout");
    ready = 1;
    return &h;
}

static size_t count_lines(const uint8_t *data, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n';
    return n + (size > 0 && data[size - 1] != '\n');
}

static void check_decision(const cJSON *obj, int as_set)
{
    const cJSON *verdict = cJSON_GetObjectItemCaseSensitive(obj, "verdict");
    const cJSON *reason = cJSON_GetObjectItemCaseSensitive(obj, "reason");
    FUZZ_CHECK(cJSON_IsString(verdict) && cJSON_IsString(reason), "decision without verdict or reason");
    int deny = strcmp(verdict->valuestring, "deny") == 0;
    FUZZ_CHECK(deny || strcmp(verdict->valuestring, "allow") == 0, "verdict '%s'", verdict->valuestring);
    FUZZ_CHECK(deny == (strcmp(reason->valuestring, "not_allowlisted") == 0), "%s with reason %s", verdict->valuestring,
               reason->valuestring);
    const cJSON *blocked = cJSON_GetObjectItemCaseSensitive(obj, "blockedBy");
    FUZZ_CHECK(!as_set || (deny ? cJSON_IsString(blocked) : cJSON_IsNull(blocked)), "blockedBy wrong for a set");
}

/* Which input lines hold an escaped NUL; NULL when none does. */
static unsigned char *lines_with_nul(const uint8_t *data, size_t size, size_t lines)
{
    unsigned char *flags = calloc(lines + 1, 1);
    FUZZ_CHECK(flags != NULL, "out of memory");
    const char *text = (const char *)data;
    for (size_t start = 0, i = 0; start < size; i++) {
        const char *nl = memchr(text + start, '\n', size - start);
        size_t end = nl != NULL ? (size_t)(nl - text) : size;
        flags[i] = (unsigned char)fuzz_has_escaped_nul(text + start, end - start);
        start = end + 1;
    }
    return flags;
}

static void check_line(const char *line, size_t len, size_t number, int as_set, int must_fail)
{
    FUZZ_CHECK(tiso__utf8_valid(line, len), "output line %zu is not UTF-8", number);
    cJSON *obj = cJSON_ParseWithLength(line, len);
    FUZZ_CHECK(cJSON_IsObject(obj), "output line %zu is not a JSON object: %.*s", number, (int)len, line);
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, "line");
    FUZZ_CHECK(cJSON_IsNumber(n) && n->valuedouble == (double)number, "output line %zu has the wrong number", number);
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(obj, "error");
    if (error != NULL) {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(error, "code");
        const cJSON *message = cJSON_GetObjectItemCaseSensitive(error, "message");
        FUZZ_CHECK(cJSON_IsString(code) && strcmp(code->valuestring, "unknown") != 0 &&
                       strcmp(code->valuestring, "ok") != 0,
                   "line %zu: bad error code", number);
        FUZZ_CHECK(cJSON_IsString(message) && message->valuestring[0] != '\0', "line %zu: empty message", number);
    } else {
        FUZZ_CHECK(!must_fail, "line %zu holds an escaped NUL but was decided: %.*s", number, (int)len, line);
        check_decision(obj, as_set);
    }
    cJSON_Delete(obj);
}

static void check_output(const harness *h, size_t want_lines, const unsigned char *nul, int as_set)
{
    off_t size = lseek(h->out_fd, 0, SEEK_END);
    FUZZ_CHECK(size >= 0, "output size");
    char *out = malloc((size_t)size + 1);
    FUZZ_CHECK(out != NULL && pread(h->out_fd, out, (size_t)size, 0) == (ssize_t)size, "reading the output");
    size_t lines = 0;
    for (size_t start = 0; start < (size_t)size;) {
        const char *nl = memchr(out + start, '\n', (size_t)size - start);
        FUZZ_CHECK(nl != NULL, "last output line has no newline");
        lines++;
        check_line(out + start, (size_t)(nl - (out + start)), lines, as_set, lines <= want_lines && nul[lines - 1]);
        start = (size_t)(nl - out) + 1;
    }
    FUZZ_CHECK(lines == want_lines, "%zu input lines, %zu output lines", want_lines, lines);
    free(out);
}

static void run(harness *h, const cli_policies *policies, size_t want_lines, const unsigned char *nul)
{
    FUZZ_CHECK(ftruncate(h->out_fd, 0) == 0 && lseek(STDOUT_FILENO, 0, SEEK_SET) == 0, "resetting stdout");
    clearerr(stdout);
    cli_ctx ctx = {"eval", 0};
    int rc = cmd_batch(&ctx, h->in_path, policies, &h->res);
    FUZZ_CHECK(fflush(stdout) == 0, "flushing stdout");
    FUZZ_CHECK(rc == 0, "eval --batch exited %d", rc);
    check_output(h, want_lines, nul, policies->as_set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness *h = setup();
    FUZZ_CHECK(ftruncate(h->in_fd, 0) == 0 && pwrite(h->in_fd, data, size, 0) == (ssize_t)size, "writing the input");
    size_t lines = count_lines(data, size);
    unsigned char *nul = lines_with_nul(data, size, lines);
    run(h, &h->single, lines, nul);
    run(h, &h->set, lines, nul);
    free(nul);
    return 0;
}
