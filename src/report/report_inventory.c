/* Reading one line of a JSON Lines connection inventory (a pure function
 * over bytes, so it can be fuzzed):
 *   {"creatorTenantId", "targetTenantId", "connector", "connectionId",
 *    "environmentId", "userTenantId", ...more kept}
 * userTenantId is the signed-in user's home tenant. It decides nothing: a
 * guest from another tenant working in its host's environment creates a
 * connection of the host, same creator and target.
 *
 * This runs once per line of inventories of millions of lines, so the
 * common line -- printable ASCII within the limits -- is checked in one
 * tight pass and its members are picked out in one walk; anything else goes
 * through the full pre-scan, which also says what is wrong. */
#include <stdio.h>
#include <string.h>

#include "report_json.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* 1 if s[0..n) holds only bytes 0x20 to 0x7f: eight at a time, since this
 * looks at every byte of every line. (w - 0x20..) & ~w has a high bit set
 * in a byte below 0x20; w itself has one in a byte of 0x80 or more. */
static bool printable_ascii(const char *s, size_t n)
{
    const uint64_t high = 0x8080808080808080ULL, spaces = 0x2020202020202020ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if ((w | ((w - spaces) & ~w)) & high)
            return false;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

static size_t count_char(const char *s, size_t n, char c)
{
    size_t count = 0;
    for (const char *p = s, *end = s + n; (p = memchr(p, c, (size_t)(end - p))) != NULL; p++)
        count++;
    return count;
}

/* Whether `s` may hold an escaped NUL (\u0000), which cJSON would cut a
 * string at; a false alarm only sends the line through the full pre-scan. */
static bool maybe_escaped_nul(const char *s, size_t n)
{
    for (const char *p = s, *end = s + n; (p = memchr(p, '\\', (size_t)(end - p))) != NULL; p++)
        if (end - p >= 6 && memcmp(p + 1, "u0000", 5) == 0)
            return true;
    return false;
}

/* Conditions under which the full pre-scan cannot find anything: only
 * printable ASCII (so valid UTF-8, no NUL, no raw control character in a
 * string), no more brackets in all than the nesting limit, and no more
 * bytes than a string may have. */
static bool quick_check(const char *s, size_t n, const tiso__json_limits *lim)
{
    return n <= lim->max_string_bytes && printable_ascii(s, n) &&
           count_char(s, n, '{') + count_char(s, n, '[') <= lim->max_depth && !maybe_escaped_nul(s, n);
}

/* One JSON value and nothing after it, or NULL. */
static cJSON *quick_parse(const char *line, size_t len, const tiso__json_limits *lim)
{
    if (!quick_check(line, len, lim))
        return NULL;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(line, len, &end, 0);
    while (root && end && end < line + len && is_space(*end))
        end++;
    if (root && end == line + len)
        return root;
    cJSON_Delete(root);
    return NULL;
}

static tiso_status parse(cJSON **root, const char *line, size_t len, uint64_t line_no,
                         const tiso_report_options *opts, tiso_error *problem)
{
    tiso__report_limits l;
    tiso__report_limits_from(&l, opts);
    if (len > l.max_line_bytes)
        return tiso__fail(problem, TISO_E_LIMIT, NULL, "line of %zu bytes is longer than the limit of %u bytes",
                          len, l.max_line_bytes);
    tiso__json_limits lim = tiso__report_json_limits(opts, l.max_line_bytes);
    if ((*root = quick_parse(line, len, &lim)) != NULL)
        return TISO_OK;
    tiso_status s = tiso__json_parse(root, line, len, &lim, problem);
    if (s != TISO_OK && problem->column) {
        /* The parser counts within the line; say where in the file. */
        char msg[TISO_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "column %u: %s", problem->column, problem->message);
        memcpy(problem->message, msg, sizeof msg);
        problem->line = line_no > UINT32_MAX ? 0 : (uint32_t)line_no;
    }
    return s;
}

/* The members the report uses; the first of a repeated name counts. */
typedef struct members {
    const cJSON *creator, *target, *connector, *connection, *environment;
} members;

static void pick(members *m, const cJSON *item)
{
    const char *k = item->string;
    const cJSON **slot = NULL;
    switch (k[0]) { /* most members are none of ours: one comparison rules them out */
    case 'c':
        if (strcmp(k, "creatorTenantId") == 0)
            slot = &m->creator;
        else if (strcmp(k, "connector") == 0 || strcmp(k, "connectorId") == 0)
            slot = &m->connector;
        else if (strcmp(k, "connectionId") == 0)
            slot = &m->connection;
        break;
    case 't':
        slot = strcmp(k, "targetTenantId") == 0 ? &m->target : NULL;
        break;
    case 'a':
        slot = strcmp(k, "apiId") == 0 ? &m->connector : NULL;
        break;
    case 'e':
        slot = strcmp(k, "environmentId") == 0 ? &m->environment : NULL;
        break;
    default:
        break;
    }
    if (slot && !*slot)
        *slot = item;
}

static tiso_status need_string(const cJSON *item, const char *key, bool required, tiso_error *problem)
{
    if (cJSON_IsString(item) || (!required && (!item || cJSON_IsNull(item))))
        return TISO_OK;
    if (!item)
        return tiso__fail(problem, TISO_E_SCHEMA, key, "missing: expected a tenant ID or a domain");
    return tiso__fail(problem, TISO_E_SCHEMA, key, "expected a string, found %s", tiso__json_type_name(item));
}

static const char *string_of(const cJSON *item)
{
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* Fills the connection from the record, or says what is wrong with it. */
static tiso_status read_record(const cJSON *root, tiso_connection *c, tiso_error *problem)
{
    if (!cJSON_IsObject(root))
        return tiso__fail(problem, TISO_E_SCHEMA, NULL, "expected a JSON object, found %s",
                          tiso__json_type_name(root));
    members m = {0};
    for (const cJSON *item = root->child; item; item = item->next)
        if (item->string)
            pick(&m, item);
    tiso_status s = need_string(m.creator, "creatorTenantId", true, problem);
    if (s == TISO_OK)
        s = need_string(m.target, "targetTenantId", true, problem);
    if (s == TISO_OK)
        s = need_string(m.connector, m.connector ? m.connector->string : "connector", false, problem);
    if (s != TISO_OK)
        return s;
    c->creator = m.creator->valuestring;
    c->target = m.target->valuestring;
    c->connector = string_of(m.connector);
    c->connection_id = string_of(m.connection);
    c->environment_id = string_of(m.environment);
    return TISO_OK;
}

tiso_status tiso_read_inventory_line(const char *line, size_t len, const char *source, uint64_t line_no,
                                     const tiso_report_options *opts, tiso_record_fn fn, void *user)
{
    if (!fn || (!line && len))
        return TISO_E_INVALID_ARGUMENT;
    while (len && is_space(line[len - 1]))
        len--;
    while (len && is_space(*line)) {
        line++;
        len--;
    }
    if (!len)
        return TISO_OK; /* a blank line, often the last: nothing to report */
    tiso_connection c = {.source = source, .line = line_no, .index = -1};
    tiso_error problem;
    problem.message[0] = '\0';
    cJSON *root = NULL;
    tiso_status s = parse(&root, line, len, line_no, opts, &problem);
    if (s == TISO_OK) {
        c.fields = cJSON_IsObject(root) ? line : NULL;
        c.fields_len = c.fields ? len : 0;
        s = read_record(root, &c, &problem);
    }
    s = fn(user, &c, s == TISO_OK ? NULL : &problem);
    cJSON_Delete(root);
    return s;
}
