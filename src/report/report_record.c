/* One decoder for every input record, page entry or inventory line (see
 * report_json.h): the library's validator checks the text, its walker finds
 * the members, and the members a form names are decoded by one rule. No
 * tree is built: a record is its text and the spans of its members. */
#include <stdio.h>
#include <string.h>

#include "report_json.h"

void tiso__report_record_init(tiso__report_record *r)
{
    r->member = r->small_member;
    r->name = r->small_name;
    r->cap = TISO__RECORD_SMALL;
    r->count = 0;
    r->names = (tiso__report_text){.data = r->names.small, .cap = sizeof r->names.small};
    r->values = (tiso__report_text){.data = r->values.small, .cap = sizeof r->values.small};
}

static void text_free(tiso__report_text *t)
{
    if (t->data != t->small)
        tiso__free(t->data);
}

void tiso__report_record_free(tiso__report_record *r)
{
    if (r->member != r->small_member)
        tiso__free(r->member); /* and the names, in the same block */
    text_free(&r->names);
    text_free(&r->values);
    tiso__report_record_init(r);
}

/* Room for one more member: the members and their names grow as one
 * block, the names after the members. */
static bool member_room(tiso__report_record *r)
{
    if (r->count < r->cap)
        return true;
    size_t cap = r->cap * 2;
    tiso__report_member *m = tiso__calloc(cap, sizeof *m + sizeof *r->name);
    if (!m)
        return false;
    _Static_assert(sizeof *m % _Alignof(tiso__json_key) == 0, "the names start aligned");
    tiso__json_key *n = (tiso__json_key *)(m + cap);
    memcpy(m, r->member, r->count * sizeof *m);
    memcpy(n, r->name, r->count * sizeof *n);
    if (r->member != r->small_member)
        tiso__free(r->member);
    r->member = m;
    r->name = n;
    r->cap = cap;
    return true;
}

/* Room for `need` bytes (what is there is dropped). */
static bool text_room(tiso__report_text *t, size_t need)
{
    if (need <= t->cap)
        return true;
    char *data = tiso__malloc(need);
    if (!data)
        return false;
    text_free(t);
    t->data = data;
    t->cap = need;
    return true;
}

/* The record's members, their names decoded: a decoded string and its NUL
 * take no more than its quoted text. */
static tiso_status read_members(tiso__report_record *r, const char *text, size_t len, size_t at)
{
    r->count = 0;
    size_t escaped = 0; /* the quoted text of names with escapes */
    tiso__json_member m;
    for (size_t pos = at; tiso__json_next(text, len, &pos, &m);) {
        if (!member_room(r))
            return TISO_E_NOMEM;
        pos = tiso__json_value_end(text, len, m.value);
        r->member[r->count] = (tiso__report_member){m.key, m.key_len, text + m.value, pos - m.value};
        r->name[r->count++] = (tiso__json_key){m.key, m.key_len};
        escaped += m.key_escaped ? m.key_len + 2 : 0;
    }
    if (!text_room(&r->names, escaped))
        return TISO_E_NOMEM;
    char *out = r->names.data;
    for (size_t i = 0; escaped && i < r->count; i++) {
        if (!memchr(r->name[i].s, '\\', r->name[i].len))
            continue;
        size_t n = tiso__json_string(text, len, (size_t)(r->name[i].s - 1 - text), out);
        r->name[i] = (tiso__json_key){out, n};
        out += n + 1;
    }
    return TISO_OK;
}

tiso_status tiso__report_record_read(tiso__report_record *r, const char *text, size_t len, size_t at,
                                     const char *const *slots, const char *prefix, tiso_error *problem)
{
    if (read_members(r, text, len, at) != TISO_OK)
        return TISO_E_NOMEM;
    size_t found[TISO__RECORD_SLOTS], need = 0;
    for (int i = 0; slots[i]; i++) {
        size_t k = 0, n = strlen(slots[i]);
        while (k < r->count && !tiso__report_member_is(r, k, slots[i], n))
            k++;
        found[i] = k;
        need += k < r->count ? r->member[k].value_len : 0;
    }
    if (!text_room(&r->values, need))
        return TISO_E_NOMEM;
    char *out = r->values.data;
    for (int i = 0; slots[i]; i++) {
        const char *v = found[i] < r->count ? r->member[found[i]].value : NULL;
        r->type[i] = v ? tiso__json_kind_name(*v) : "missing";
        r->value[i] = NULL;
        if (v && *v == '"') {
            r->value[i] = out;
            out += tiso__json_string(text, len, (size_t)(v - text), out) + 1;
        }
    }
    size_t dup;
    if (tiso__json_keys_duplicate(&dup, r->name, r->count) != TISO_OK)
        return TISO_E_NOMEM;
    if (dup < r->count) {
        char path[TISO_ERROR_PATH_MAX];
        snprintf(path, sizeof path, "%s%.*s", prefix, (int)r->name[dup].len, r->name[dup].s);
        return tiso__fail(problem, TISO_E_SCHEMA, path, "duplicate key \"%.100s\"", path + strlen(prefix));
    }
    return TISO_OK;
}

tiso_status tiso__report_record_decode(tiso__report_record *r, const char *text, size_t len, const char *const *slots,
                                       const char *prefix, const tiso__json_limits *lim, tiso_error *problem)
{
    r->count = 0;
    tiso_status s = tiso__json_validate(text, len, lim, problem);
    if (s != TISO_OK)
        return s;
    size_t at = tiso__json_start(text, len);
    if (text[at] != '{')
        return tiso__fail(problem, TISO_E_SCHEMA, NULL, "expected a JSON object, found %s",
                          tiso__json_kind_name(text[at]));
    return tiso__report_record_read(r, text, len, at, slots, prefix, problem);
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

/* The keys a connector is read from, in their precedence (not their order
 * in the record), for page entries and inventory lines alike. */
static const char *const CONNECTOR_KEYS[] = {"connector", "connectorId", "apiId", NULL};

const char *tiso__report_record_connector(const tiso__report_record *r, int first, const char *prefix,
                                          tiso_error *problem, tiso_status *s)
{
    const char *connector = NULL;
    for (int i = 0; *s == TISO_OK && CONNECTOR_KEYS[i]; i++) {
        *s = tiso__report_record_string(r, first + i, prefix, CONNECTOR_KEYS[i], false, problem);
        connector = connector ? connector : r->value[first + i];
    }
    return connector;
}
