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
 * tight pass and, when it is a good record, read by the walk of
 * report_json.h without a cJSON tree. Any other such line goes to cJSON as
 * it is, and anything else through the full pre-scan, which also says what
 * is wrong. */
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

/* Whether `s` may hold a \u escape: cJSON reads "\u0000", and also a
 * malformed one such as "\u00zz", as a NUL and cuts the string there, so
 * only the validator may judge them; a false alarm only sends the line
 * through the full pre-scan. */
static bool maybe_escaped_nul(const char *s, size_t n)
{
    for (const char *p = s, *end = s + n; (p = memchr(p, '\\', (size_t)(end - p))) != NULL; p++)
        if (end - p >= 2 && p[1] == 'u')
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

/* ---- good records without a tree ---- */

/* Room for a walked record's names, decoded; a record whose names need more
 * is read through cJSON. */
#define NAMES_MAX 1024

/* The members the report uses, as the walk found them; the first of a
 * repeated name counts, as in pick() below. */
enum { CREATOR, TARGET, CONNECTOR, CONNECTION, ENVIRONMENT, SLOTS };

typedef struct walked {
    tiso__member member[SLOTS];
    bool seen[SLOTS];
    bool escaped_key; /* a name that might be one of ours in disguise */
} walked;

static int slot_of(const tiso__member *m)
{
    if (tiso__member_is(m, "creatorTenantId"))
        return CREATOR;
    if (tiso__member_is(m, "targetTenantId"))
        return TARGET;
    if (tiso__member_is(m, "connector") || tiso__member_is(m, "connectorId") || tiso__member_is(m, "apiId"))
        return CONNECTOR;
    if (tiso__member_is(m, "connectionId"))
        return CONNECTION;
    return tiso__member_is(m, "environmentId") ? ENVIRONMENT : -1;
}

static void walk_pick(void *user, const tiso__member *m)
{
    walked *wk = user;
    int i = slot_of(m);
    wk->escaped_key |= m->key_escaped;
    if (i >= 0 && !wk->seen[i]) {
        wk->member[i] = *m;
        wk->seen[i] = true;
    }
}

static const tiso__member *slot(const walked *wk, int i)
{
    return wk->seen[i] ? &wk->member[i] : NULL;
}

static bool is_string(const tiso__member *m)
{
    return m && m->value[0] == '"';
}

/* Decodes a string member into names[*used..), or NULL when it is absent
 * or not a string. */
static const char *decode(const tiso__member *m, char *names, size_t *used)
{
    if (!is_string(m))
        return NULL;
    char *out = names + *used;
    tiso__member_string(m, out);
    *used += strlen(out) + 1;
    return out;
}

/* Reads a line the walk vouches for into `c`, its names decoded into
 * `names`. false when cJSON must read it: the walk declined, or the record
 * has a problem, which cJSON's reading puts in words. */
static bool read_walked(const char *line, size_t len, tiso_connection *c, char names[NAMES_MAX])
{
    walked wk = {0};
    if (tiso__walk_object(line, len, walk_pick, &wk) == TISO__WALK_OTHER || wk.escaped_key)
        return false;
    const tiso__member *connector = slot(&wk, CONNECTOR);
    bool connector_ok = !connector || is_string(connector) ||
                        (connector->value_len == 4 && memcmp(connector->value, "null", 4) == 0);
    if (!is_string(slot(&wk, CREATOR)) || !is_string(slot(&wk, TARGET)) || !connector_ok)
        return false;
    size_t need = 0; /* a decoded string and its NUL take no more than its quoted text */
    for (int i = 0; i < SLOTS; i++)
        need += wk.seen[i] ? wk.member[i].value_len : 0;
    if (need > NAMES_MAX)
        return false;
    size_t used = 0;
    c->creator = decode(slot(&wk, CREATOR), names, &used);
    c->target = decode(slot(&wk, TARGET), names, &used);
    c->connector = decode(connector, names, &used);
    c->connection_id = decode(slot(&wk, CONNECTION), names, &used);
    c->environment_id = decode(slot(&wk, ENVIRONMENT), names, &used);
    c->fields = line;
    c->fields_len = len;
    return true;
}

/* ---- any record, through cJSON ---- */

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
    tiso__report_limits l;
    tiso__report_limits_from(&l, opts);
    tiso__json_limits lim = tiso__report_json_limits(opts, l.max_line_bytes);
    char names[NAMES_MAX];
    if (len <= l.max_line_bytes && quick_check(line, len, &lim) && read_walked(line, len, &c, names))
        return fn(user, &c, NULL);
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
