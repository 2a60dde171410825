/* One decoder for every input record, page entry or inventory line (see
 * report_json.h): the members a form names, decoded, by one rule.
 *
 * This runs once per record of inputs of millions, so the common record --
 * printable ASCII within the limits -- is checked in one tight pass and,
 * when the walk of report_json.h vouches for it, read without a cJSON tree.
 * Any other record goes to cJSON as it is, and anything else through the
 * full pre-scan, which also says what is wrong. */
#include <stdio.h>
#include <string.h>

#include "report_json.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* 1 if s[0..n) holds only bytes 0x20 to 0x7f: eight at a time, since this
 * looks at every byte of every record. (w - 0x20..) & ~w has a high bit set
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
 * only the validator may judge them; a false alarm only sends the text
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
static cJSON *quick_parse(const char *text, size_t len, const tiso__json_limits *lim)
{
    if (!quick_check(text, len, lim))
        return NULL;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    while (root && end && end < text + len && is_space(*end))
        end++;
    if (root && end == text + len)
        return root;
    cJSON_Delete(root);
    return NULL;
}

/* ---- good records without a tree ---- */

/* Keys a walked record may have; one with more is read through cJSON. */
#define WALK_KEYS_MAX 32

typedef struct walked {
    const char *const *slots;
    size_t slot_len[TISO__RECORD_SLOTS];
    tiso__report_member member[TISO__RECORD_SLOTS];
    bool seen[TISO__RECORD_SLOTS];
    bool declined; /* a name that might be one of ours in disguise, or too many names */
    tiso__json_key keys[WALK_KEYS_MAX];
    size_t nkeys;
} walked;

static void walk_pick(void *user, const tiso__report_member *m)
{
    walked *wk = user;
    wk->declined |= m->key_escaped || wk->nkeys == WALK_KEYS_MAX;
    if (!wk->declined)
        wk->keys[wk->nkeys++] = (tiso__json_key){m->key, m->key_len};
    for (int i = 0; wk->slots[i]; i++) {
        if (!wk->seen[i] && m->key_len == wk->slot_len[i] && memcmp(m->key, wk->slots[i], m->key_len) == 0) {
            wk->member[i] = *m;
            wk->seen[i] = true;
            break;
        }
    }
}

/* What tiso__json_type_name says of a value cJSON reads as the walk did. */
static const char *walked_type(const tiso__report_member *m)
{
    switch (m->value[0]) {
    case '"':
        return "a string";
    case '{':
        return "an object";
    case '[':
        return "an array";
    case 't':
    case 'f':
        return "a boolean";
    case 'n':
        return "null";
    default:
        return "a number";
    }
}

/* Reads a record the walk vouches for; false when cJSON must read it. */
static bool read_walked(tiso__report_record *r, const char *text, size_t len, const char *const *slots)
{
    walked wk;
    wk.slots = slots;
    wk.declined = false;
    wk.nkeys = 0;
    for (int i = 0; slots[i]; i++) {
        wk.slot_len[i] = strlen(slots[i]);
        wk.seen[i] = false;
    }
    size_t dup;
    if (tiso__report_walk_object(text, len, walk_pick, &wk) == TISO__WALK_OTHER || wk.declined ||
        tiso__json_keys_duplicate(&dup, wk.keys, wk.nkeys) != TISO_OK || dup < wk.nkeys)
        return false;
    size_t need = 0; /* a decoded string and its NUL take no more than its quoted text */
    for (int i = 0; slots[i]; i++)
        need += wk.seen[i] ? wk.member[i].value_len : 0;
    if (need > sizeof r->names)
        return false;
    size_t used = 0;
    for (int i = 0; slots[i]; i++) {
        r->type[i] = wk.seen[i] ? walked_type(&wk.member[i]) : "missing";
        if (wk.seen[i] && tiso__report_member_string(&wk.member[i], r->names + used)) {
            r->value[i] = r->names + used;
            used += strlen(r->value[i]) + 1;
        }
    }
    return true;
}

/* ---- any record, through cJSON ---- */

static tiso_status parse(cJSON **root, const char *text, size_t len, const tiso__json_limits *lim, tiso_error *problem)
{
    if ((*root = quick_parse(text, len, lim)) != NULL)
        return TISO_OK;
    tiso_status s = tiso__json_parse(root, text, len, lim, problem);
    if (s != TISO_OK && problem->column) {
        /* The parser counts within the record; the reader says where it is. */
        char msg[TISO_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "column %u: %s", problem->column, problem->message);
        memcpy(problem->message, msg, sizeof msg);
    }
    return s;
}

tiso_status tiso__report_record_decode(tiso__report_record *r, const char *text, size_t len, const char *const *slots,
                                       const char *prefix, const tiso__json_limits *lim, tiso_error *problem)
{
    /* Not the names buffer: this runs for every record. */
    memset(r->value, 0, sizeof r->value);
    r->root = NULL;
    if (quick_check(text, len, lim) && read_walked(r, text, len, slots))
        return TISO_OK;
    memset(r->value, 0, sizeof r->value);
    tiso_status s = parse(&r->root, text, len, lim, problem);
    if (s != TISO_OK)
        return s;
    if (!cJSON_IsObject(r->root))
        return tiso__fail(problem, TISO_E_SCHEMA, NULL, "expected a JSON object, found %s",
                          tiso__json_type_name(r->root));
    return tiso__report_record_from_tree(r, r->root, slots, prefix, problem);
}

tiso_status tiso__report_record_from_tree(tiso__report_record *r, const cJSON *obj, const char *const *slots,
                                          const char *prefix, tiso_error *problem)
{
    const cJSON *dup;
    if (tiso__json_object_duplicate(&dup, obj) != TISO_OK)
        return TISO_E_NOMEM;
    if (dup) {
        char path[TISO_ERROR_PATH_MAX];
        snprintf(path, sizeof path, "%s%s", prefix, dup->string);
        return tiso__fail(problem, TISO_E_SCHEMA, path, "duplicate key \"%.100s\"", dup->string);
    }
    for (int i = 0; slots[i]; i++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, slots[i]);
        r->type[i] = tiso__json_type_name(item);
        r->value[i] = cJSON_IsString(item) ? item->valuestring : NULL;
    }
    return TISO_OK;
}

void tiso__report_record_free(tiso__report_record *r)
{
    cJSON_Delete(r->root);
    r->root = NULL;
}

tiso_status tiso__report_record_string(const tiso__report_record *r, int slot, const char *prefix, const char *key,
                                       bool required, tiso_error *problem)
{
    const char *type = r->type[slot];
    if (r->value[slot] || (!required && (strcmp(type, "missing") == 0 || strcmp(type, "null") == 0)))
        return TISO_OK;
    char path[TISO_ERROR_PATH_MAX];
    snprintf(path, sizeof path, "%s%s", prefix, key);
    if (strcmp(type, "missing") == 0)
        return tiso__fail(problem, TISO_E_SCHEMA, path, "missing: expected a tenant ID or a domain");
    return tiso__fail(problem, TISO_E_SCHEMA, path, "expected a string, found %s", type);
}

const char *tiso__report_record_connector(const tiso__report_record *r, int first, const char *prefix,
                                          tiso_error *problem, tiso_status *s)
{
    const char *connector = NULL;
    for (int i = 0; *s == TISO_OK && tiso__report_connector_keys[i]; i++) {
        *s = tiso__report_record_string(r, first + i, prefix, tiso__report_connector_keys[i], false, problem);
        connector = connector ? connector : r->value[first + i];
    }
    return connector;
}
