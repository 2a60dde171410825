/* The policy loader: the admin API's JSON document -> a builder -> an indexed
 * policy. Every error names its JSON path; unknown keys are kept as warnings
 * because the API adds fields over time.
 *
 * The validated text is walked (json_walk.h), not made into one tree: the
 * document's own members are found in place, an unknown member's value is
 * stepped over, and each allowedTenants entry is parsed on its own. A large
 * unknown member costs a pass over its bytes, not a tree many times its size. */
#include <stdio.h>
#include <string.h>

#include "json_input.h"
#include "json_walk.h"
#include "policy_internal.h"

typedef struct load_ctx {
    tiso_policy_builder *b;
    tiso_resolver *resolver;
    tiso_error *err;
    const char *text; /* the validated document */
    size_t len;
} load_ctx;

/* Where a value sits, as a chain from the document's root. A load visits
 * several values per allowlist entry and nearly all of them are fine, so the
 * path text is written only when a message needs it. */
typedef struct jpath {
    const struct jpath *up;
    const char *name; /* a member's name; NULL at the root */
    size_t index;     /* an array element's index; SIZE_MAX if not one */
} jpath;

#define JPATH_MEMBER(parent, member) ((jpath){(parent), (member), SIZE_MAX})

/* Appends the path of `p` to out[*n], keeping room for one index. */
static void render_into(char *out, size_t *n, const jpath *p)
{
    if (!p->name)
        return;
    if (p->up)
        render_into(out, n, p->up);
    if (*n && *n < TISO_ERROR_PATH_MAX - 24)
        out[(*n)++] = '.';
    for (const char *q = p->name; *q && *n < TISO_ERROR_PATH_MAX - 24; q++)
        out[(*n)++] = *q;
    out[*n] = '\0';
    *n = tiso__utf8_cut(out); /* a name cut short ends at a whole character */
    if (p->index != SIZE_MAX && *n <= TISO_ERROR_PATH_MAX - 24)
        *n += (size_t)snprintf(out + *n, 24, "[%zu]", p->index);
}

/* The path of `p` as text ("properties.allowedTenants[3].tenantId"; "" at
 * the root), cut to fit TISO_ERROR_PATH_MAX bytes. */
static const char *render(char out[TISO_ERROR_PATH_MAX], const jpath *p)
{
    size_t n = 0;
    render_into(out, &n, p);
    out[n] = '\0';
    return out;
}

/* One known key of an object, found at most once. */
typedef struct known_key {
    const char *name;
    const cJSON *item;
} known_key;

/* Sorts an object's members into `keys`; a repeated known key is an error
 * (two parsers could disagree on which one counts), an unknown key a warning. */
static tiso_status collect_keys(load_ctx *c, const cJSON *obj, const jpath *at, known_key *keys, size_t nkeys)
{
    for (const cJSON *m = obj->child; m; m = m->next) {
        size_t k = 0;
        while (k < nkeys && strcmp(keys[k].name, m->string) != 0)
            k++;
        if (k < nkeys && !keys[k].item) {
            keys[k].item = m;
            continue;
        }
        char where[TISO_ERROR_PATH_MAX];
        jpath member = JPATH_MEMBER(at, m->string);
        render(where, &member);
        if (k < nkeys)
            return tiso__fail(c->err, TISO_E_SCHEMA, where, "duplicate key \"%s\"", m->string);
        if (tiso__warn(&c->b->warnings, TISO_WARN_UNKNOWN_KEY, where, "unknown key \"%s\" is ignored", m->string) !=
            TISO_OK)
            return tiso__fail(c->err, TISO_E_NOMEM, NULL, "out of memory");
    }
    return TISO_OK;
}

static tiso_status wrong_type(load_ctx *c, const jpath *at, const cJSON *item, const char *expected)
{
    char where[TISO_ERROR_PATH_MAX];
    return tiso__fail(c->err, TISO_E_SCHEMA, render(where, at), "expected %s, found %s", expected,
                      tiso__json_type_name(item));
}

/* Fails with status `s` at `at`, keeping the message a callee left in err. */
static tiso_status fail_keeping_message(load_ctx *c, tiso_status s, const jpath *at)
{
    char where[TISO_ERROR_PATH_MAX], msg[TISO_ERROR_MESSAGE_MAX];
    snprintf(msg, sizeof msg, "%s", c->err ? c->err->message : "");
    return tiso__fail(c->err, s, render(where, at), "%s", msg);
}

static tiso_status read_bool(load_ctx *c, const jpath *at, const cJSON *item, bool *out)
{
    if (!cJSON_IsBool(item))
        return wrong_type(c, at, item, "true or false");
    *out = cJSON_IsTrue(item);
    return TISO_OK;
}

static tiso_status read_tenant(load_ctx *c, const jpath *at, const cJSON *item, tiso_tenant_id *out)
{
    if (!cJSON_IsString(item))
        return wrong_type(c, at, item, "a tenant ID string");
    const char *s = item->valuestring;
    tiso_status st = tiso_tenant_id_parse_ex(out, s, strlen(s), c->err);
    return st == TISO_OK ? TISO_OK : fail_keeping_message(c, st, at);
}

/* ---- one allowedTenants entry ---- */

static tiso_status read_direction(load_ctx *c, const jpath *entry, const cJSON *dir, unsigned *dirs)
{
    if (!dir) {
        char where[TISO_ERROR_PATH_MAX];
        return tiso__fail(c->err, TISO_E_SCHEMA, render(where, entry),
                          "missing \"direction\" ({\"inbound\": ..., \"outbound\": ...})");
    }
    jpath at = JPATH_MEMBER(entry, "direction");
    if (!cJSON_IsObject(dir))
        return wrong_type(c, &at, dir, "an object");
    known_key keys[] = {{"inbound", NULL}, {"outbound", NULL}};
    tiso_status s = collect_keys(c, dir, &at, keys, 2);
    bool in = false, out = false; /* absent: not allowed (fail closed) */
    if (s == TISO_OK && keys[0].item)
        s = read_bool(c, &JPATH_MEMBER(&at, "inbound"), keys[0].item, &in);
    if (s == TISO_OK && keys[1].item)
        s = read_bool(c, &JPATH_MEMBER(&at, "outbound"), keys[1].item, &out);
    *dirs = (in ? TISO_ALLOW_INBOUND : 0u) | (out ? TISO_ALLOW_OUTBOUND : 0u);
    return s;
}

/* An entry that gives both an ID and a domain must agree where the domain
 * resolves (SPEC 4): a display showing one tenant while the rule allows
 * another is refused. A domain that cannot be resolved (no resolver, not
 * found, the service down) leaves the ID standing and the domain a note. */
static tiso_status check_agreement(load_ctx *c, const jpath *entry, const tiso_tenant_id *tenant,
                                   const char *domain)
{
    tiso_tenant_id resolved;
    tiso_error ignored;
    if (!c->resolver || tiso__resolver_lookup(c->resolver, domain, &resolved, &ignored) != TISO_OK ||
        tiso_tenant_id_equal(&resolved, tenant))
        return TISO_OK;
    char where[TISO_ERROR_PATH_MAX], given[TISO_TENANT_ID_LEN + 1], found[TISO_TENANT_ID_LEN + 1];
    tiso__tenant_id_format(tenant, given);
    tiso__tenant_id_format(&resolved, found);
    return tiso__fail(c->err, TISO_E_CONFLICT, render(where, entry),
                      "\"tenantId\" %s disagrees with \"domain\" \"%s\", which resolves to %s", given, domain, found);
}

/* The entry's tenant: an ID, "*", or a domain resolved now. `tenant` stays
 * nil for "*"; `domain` gets the normalized domain when one was given. */
static tiso_status read_entry_tenant(load_ctx *c, const jpath *entry, const cJSON *id, const cJSON *dom,
                                     tiso_tenant_id *tenant, char *domain)
{
    char where[TISO_ERROR_PATH_MAX];
    if (!id && !dom)
        return tiso__fail(c->err, TISO_E_SCHEMA, render(where, entry), "entry has neither \"tenantId\" nor \"domain\"");
    jpath dom_at = JPATH_MEMBER(entry, "domain"), id_at = JPATH_MEMBER(entry, "tenantId");
    if (dom) {
        if (!cJSON_IsString(dom))
            return wrong_type(c, &dom_at, dom, "a domain name string");
        tiso_status s = tiso_domain_normalize(domain, dom->valuestring, strlen(dom->valuestring), c->err);
        if (s != TISO_OK)
            return fail_keeping_message(c, s, &dom_at);
    }
    if (id && cJSON_IsString(id) && strcmp(id->valuestring, "*") == 0)
        return dom ? tiso__fail(c->err, TISO_E_SCHEMA, render(where, &id_at), "\"*\" cannot have a domain") : TISO_OK;
    if (id) {
        tiso_status s = read_tenant(c, &id_at, id, tenant);
        return s == TISO_OK && dom ? check_agreement(c, entry, tenant, domain) : s;
    }
    tiso_status s = tiso__resolver_lookup(c->resolver, domain, tenant, c->err);
    if (s != TISO_OK) {
        char msg[TISO_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "%s", c->err ? c->err->message : "");
        return tiso__fail(c->err, s, render(where, &dom_at), "cannot resolve \"%s\": %s", domain, msg);
    }
    return TISO_OK;
}

static tiso_status read_entry(load_ctx *c, const jpath *list, const cJSON *e, size_t index)
{
    jpath at = {list->up, list->name, index};
    if (!cJSON_IsObject(e))
        return wrong_type(c, &at, e, "an object");
    known_key keys[] = {{"tenantId", NULL}, {"domain", NULL}, {"tenantDisplayName", NULL}, {"direction", NULL}};
    tiso_status s = collect_keys(c, e, &at, keys, 4);
    tiso_tenant_id tenant = {{0}};
    char domain[TISO_DOMAIN_MAX + 1] = "";
    unsigned dirs = 0;
    if (s == TISO_OK)
        s = read_entry_tenant(c, &at, keys[0].item, keys[1].item, &tenant, domain);
    if (s == TISO_OK)
        s = read_direction(c, &at, keys[3].item, &dirs);
    const cJSON *name = keys[2].item;
    if (s == TISO_OK && name && !cJSON_IsString(name) && !cJSON_IsNull(name))
        s = wrong_type(c, &JPATH_MEMBER(&at, "tenantDisplayName"), name, "a string");
    if (s != TISO_OK)
        return s;
    const char *n = cJSON_IsString(name) ? name->valuestring : NULL;
    s = tiso__builder_add(c->b, &tenant, dirs, n, n ? strlen(n) : 0, *domain ? domain : NULL, strlen(domain), c->err);
    if (s != TISO_OK && c->err)
        return fail_keeping_message(c, s, &at);
    return s;
}

/* The entry-count limit, as if checked before any entry was read: `n`
 * entries are known to end at `pos`, the rest are counted now. */
static tiso_status entry_limit(load_ctx *c, const jpath *at, size_t n, size_t pos, tiso_status otherwise)
{
    for (; tiso__json_next(c->text, c->len, &pos, NULL); n++)
        pos = tiso__json_value_end(c->text, c->len, pos);
    if (n <= c->b->max_entries)
        return otherwise;
    char where[TISO_ERROR_PATH_MAX];
    return tiso__fail(c->err, TISO_E_LIMIT, render(where, at), "%zu entries, more than the limit of %u", n,
                      c->b->max_entries);
}

/* Each entry is parsed on its own: exactly one value, and where it ends. A list past the entry limit fails on the limit, whatever
 * its entries hold (counted only when something fails). */
static tiso_status read_entries(load_ctx *c, const jpath *props, size_t list)
{
    jpath at = JPATH_MEMBER(props, "allowedTenants");
    if (c->text[list] != '[') {
        char where[TISO_ERROR_PATH_MAX];
        return tiso__fail(c->err, TISO_E_SCHEMA, render(where, &at), "expected an array, found %s",
                          tiso__json_kind_name(c->text[list]));
    }
    size_t pos = list;
    for (size_t i = 0; tiso__json_next(c->text, c->len, &pos, NULL); i++) {
        if (i == c->b->max_entries)
            return entry_limit(c, &at, i + 1, tiso__json_value_end(c->text, c->len, pos), TISO_OK);
        size_t end = 0;
        cJSON *e = tiso__json_value_at(c->text, c->len, pos, &end);
        if (!e)
            return tiso__fail(c->err, TISO_E_NOMEM, NULL, "out of memory");
        tiso_status s = read_entry(c, &at, e, i);
        cJSON_Delete(e);
        pos = end;
        if (s != TISO_OK)
            return entry_limit(c, &at, i + 1, pos, s);
    }
    return TISO_OK;
}

/* ---- the document ---- */

/* One member the reader knows, found at most once: where its value starts. */
typedef struct known_span {
    const char *name;
    size_t value;
    bool found;
} known_span;

/* The member's name as meant: escapes decoded (the text is validated). The
 * caller frees it with tiso__free. */
static char *member_name(const load_ctx *c, const tiso__json_member *m)
{
    if (!m->key_escaped)
        return tiso__strndup(m->key, m->key_len);
    cJSON *k = tiso__json_value_at(c->text, c->len, (size_t)(m->key - 1 - c->text), NULL);
    char *name = k && k->valuestring ? tiso__strndup(k->valuestring, strlen(k->valuestring)) : NULL;
    cJSON_Delete(k);
    return name;
}

/* Sorts the members of the object at text[obj] into `keys`, as collect_keys
 * does for a tree: a repeated known key is an error, an unknown key a
 * warning, and its value is stepped over. */
static tiso_status collect_spans(load_ctx *c, size_t obj, const jpath *at, known_span *keys, size_t nkeys)
{
    size_t pos = obj;
    tiso__json_member m;
    while (tiso__json_next(c->text, c->len, &pos, &m)) {
        size_t k = 0;
        while (k < nkeys && (m.key_escaped || strlen(keys[k].name) != m.key_len ||
                             memcmp(keys[k].name, m.key, m.key_len) != 0))
            k++;
        if (k < nkeys && !keys[k].found) {
            keys[k].found = true;
            keys[k].value = m.value;
        } else {
            char *name = member_name(c, &m);
            if (!name)
                return tiso__fail(c->err, TISO_E_NOMEM, NULL, "out of memory");
            for (k = 0; k < nkeys && strcmp(keys[k].name, name) != 0;)
                k++; /* an escaped spelling of a known name is that name */
            if (k < nkeys && !keys[k].found) {
                keys[k].found = true;
                keys[k].value = m.value;
                tiso__free(name);
                pos = tiso__json_value_end(c->text, c->len, m.value);
                continue;
            }
            char where[TISO_ERROR_PATH_MAX];
            jpath member = JPATH_MEMBER(at, name);
            render(where, &member);
            tiso_status s = k < nkeys ? tiso__fail(c->err, TISO_E_SCHEMA, where, "duplicate key \"%s\"", name)
                            : tiso__warn(&c->b->warnings, TISO_WARN_UNKNOWN_KEY, where, "unknown key \"%s\" is ignored",
                                         name) != TISO_OK ? tiso__fail(c->err, TISO_E_NOMEM, NULL, "out of memory")
                                                          : TISO_OK;
            tiso__free(name);
            if (s != TISO_OK)
                return s;
        }
        pos = tiso__json_value_end(c->text, c->len, m.value);
    }
    return TISO_OK;
}

/* A scalar member's value as a cJSON item (a container as an empty one of
 * its kind: enough to name its type in a message). NULL: out of memory. */
static cJSON *scalar_at(const load_ctx *c, size_t at)
{
    if (c->text[at] == '{')
        return cJSON_CreateObject();
    if (c->text[at] == '[')
        return cJSON_CreateArray();
    return tiso__json_value_at(c->text, c->len, at, NULL);
}

typedef tiso_status (*scalar_reader)(load_ctx *c, const jpath *at, const cJSON *item, void *out);

static tiso_status read_scalar(load_ctx *c, const jpath *at, size_t value, scalar_reader read, void *out)
{
    cJSON *item = scalar_at(c, value);
    if (!item)
        return tiso__fail(c->err, TISO_E_NOMEM, NULL, "out of memory");
    tiso_status s = read(c, at, item, out);
    cJSON_Delete(item);
    return s;
}

static tiso_status tenant_reader(load_ctx *c, const jpath *at, const cJSON *item, void *out)
{
    return read_tenant(c, at, item, out);
}

static tiso_status bool_reader(load_ctx *c, const jpath *at, const cJSON *item, void *out)
{
    return read_bool(c, at, item, out);
}

/* SPEC 4: a document with neither "isDisabled" nor "allowedTenants" is not a
 * policy (a saved error response, another API object). Reading it as
 * "isolation on, nothing allowed" would block a tenant and call it fine. */
static tiso_status not_a_policy(load_ctx *c, size_t obj, const jpath *at)
{
    known_span keys[] = {{"error", 0, false}};
    tiso__json_member m;
    size_t pos = obj;
    while (!keys[0].found && tiso__json_next(c->text, c->len, &pos, &m)) {
        if (!m.key_escaped && m.key_len == 5 && memcmp(m.key, "error", 5) == 0)
            keys[0] = (known_span){"error", m.value, true};
        pos = tiso__json_value_end(c->text, c->len, m.value);
    }
    char where[TISO_ERROR_PATH_MAX];
    render(where, at);
    /* an error body is small: parse it when it is an object of sane size */
    size_t end = keys[0].found ? tiso__json_value_end(c->text, c->len, keys[0].value) : 0;
    cJSON *error = keys[0].found && c->text[keys[0].value] == '{' && end - keys[0].value <= 65536
                       ? tiso__json_value_at(c->text, c->len, keys[0].value, NULL)
                       : NULL;
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(error, "code");
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(error, "message");
    tiso_status s;
    if (cJSON_IsString(code) || cJSON_IsString(message))
        s = tiso__fail(c->err, TISO_E_SCHEMA, where, "not a tenant isolation policy: the service's error response (%s: %s)",
                       cJSON_IsString(code) ? code->valuestring : "no code",
                       cJSON_IsString(message) ? message->valuestring : "no message");
    else
        s = tiso__fail(c->err, TISO_E_SCHEMA, where,
                       "not a tenant isolation policy: it has neither \"isDisabled\" nor \"allowedTenants\"");
    cJSON_Delete(error);
    return s;
}

static tiso_status read_properties(load_ctx *c, const jpath *at, size_t props)
{
    known_span keys[] = {{"tenantId", 0, false}, {"isDisabled", 0, false}, {"allowedTenants", 0, false},
                         {"evaluateNonEntraConnectors", 0, false}};
    tiso_status s = collect_spans(c, props, at, keys, 4);
    if (s == TISO_OK && !keys[1].found && !keys[2].found)
        return not_a_policy(c, props, at);
    if (s == TISO_OK && keys[0].found) {
        s = read_scalar(c, &JPATH_MEMBER(at, "tenantId"), keys[0].value, tenant_reader, &c->b->home);
        c->b->has_home = s == TISO_OK;
    }
    if (s == TISO_OK && keys[1].found) {
        bool disabled = false;
        s = read_scalar(c, &JPATH_MEMBER(at, "isDisabled"), keys[1].value, bool_reader, &disabled);
        if (s == TISO_OK)
            c->b->isolation = !disabled;
    } else if (s == TISO_OK) {
        char where[TISO_ERROR_PATH_MAX];
        if (tiso__warn(&c->b->warnings, TISO_WARN_MISSING_IS_DISABLED, render(where, &JPATH_MEMBER(at, "isDisabled")),
                       "no \"isDisabled\": read as isolation on (fail closed)") != TISO_OK)
            s = tiso__fail(c->err, TISO_E_NOMEM, NULL, "out of memory");
    }
    if (s == TISO_OK && keys[3].found)
        s = read_scalar(c, &JPATH_MEMBER(at, "evaluateNonEntraConnectors"), keys[3].value, bool_reader,
                        &c->b->evaluate_non_entra);
    if (s == TISO_OK && keys[2].found)
        s = read_entries(c, at, keys[2].value); /* no allowlist: nothing is allowed across tenants */
    return s;
}

static tiso_status read_document(load_ctx *c)
{
    const jpath doc = {NULL, NULL, SIZE_MAX};
    char where[TISO_ERROR_PATH_MAX];
    size_t root = tiso__json_start(c->text, c->len);
    if (c->text[root] != '{')
        return tiso__fail(c->err, TISO_E_SCHEMA, render(where, &doc), "expected a JSON object, found %s",
                          tiso__json_kind_name(c->text[root]));
    known_span keys[] = {{"properties", 0, false}};
    tiso__json_member m;
    for (size_t pos = root; !keys[0].found && tiso__json_next(c->text, c->len, &pos, &m);) {
        if (!m.key_escaped && m.key_len == 10 && memcmp(m.key, "properties", 10) == 0)
            keys[0] = (known_span){"properties", m.value, true};
        pos = tiso__json_value_end(c->text, c->len, m.value);
    }
    if (!keys[0].found)
        return read_properties(c, &doc, root); /* the bare inner object */
    const jpath inner = JPATH_MEMBER(&doc, "properties");
    if (c->text[keys[0].value] != '{')
        return tiso__fail(c->err, TISO_E_SCHEMA, render(where, &inner), "expected an object, found %s",
                          tiso__json_kind_name(c->text[keys[0].value]));
    keys[0].found = false;
    tiso_status s = collect_spans(c, root, &doc, keys, 1);
    c->b->path_prefix = "properties.";
    return s == TISO_OK ? read_properties(c, &inner, keys[0].value) : s;
}

static void limits_from(const tiso_load_options *o, tiso__json_limits *lim, tiso_policy_builder *b)
{
    lim->max_bytes = o && o->max_document_bytes ? o->max_document_bytes : TISO_DEFAULT_MAX_DOCUMENT_BYTES;
    lim->max_depth = o && o->max_depth ? o->max_depth : TISO_DEFAULT_MAX_DEPTH;
    if (lim->max_depth > 512)
        lim->max_depth = 512; /* below cJSON's own nesting limit, so ours speaks first */
    lim->max_string_bytes = o && o->max_string_bytes ? o->max_string_bytes : TISO_DEFAULT_MAX_STRING_BYTES;
    b->max_entries = o && o->max_entries ? o->max_entries : TISO_DEFAULT_MAX_ENTRIES;
    b->max_string_bytes = lim->max_string_bytes;
}

static tiso_status load(tiso_policy **out, const char *json, size_t len, const tiso_load_options *opts,
                        const char *source, const char *origin, tiso_error *err)
{
    tiso_policy_builder b;
    tiso__builder_init(&b);
    b.source = source;
    b.origin = origin;
    tiso__json_limits lim;
    limits_from(opts, &lim, &b);
    tiso_status s = tiso__json_validate(json, len, &lim, err);
    if (s == TISO_OK) {
        load_ctx c = {&b, opts ? opts->resolver : NULL, err, json, len};
        s = read_document(&c);
        if (s != TISO_OK && err && !err->line)
            tiso__json_locate_path(err, json, len, err->path); /* schema errors get a line too */
    }
    if (s == TISO_OK)
        s = tiso__builder_build(out, &b, err);
    tiso__builder_clear(&b);
    if (s != TISO_OK)
        tiso__error_prefix_source(err, source);
    return s;
}

void tiso_load_options_init(tiso_load_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = TISO_LOAD_OPTIONS_VERSION;
    opts->max_entries = TISO_DEFAULT_MAX_ENTRIES;
    opts->max_document_bytes = TISO_DEFAULT_MAX_DOCUMENT_BYTES;
    opts->max_string_bytes = TISO_DEFAULT_MAX_STRING_BYTES;
    opts->max_depth = TISO_DEFAULT_MAX_DEPTH;
}

static tiso_status check_options(const tiso_load_options *opts, tiso_error *err)
{
    if (opts && opts->version != TISO_LOAD_OPTIONS_VERSION)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                          "load options: version %u, expected %d (call tiso_load_options_init)", opts->version,
                          TISO_LOAD_OPTIONS_VERSION);
    return TISO_OK;
}

tiso_status tiso_policy_load_json(tiso_policy **out, const char *json, size_t len, const tiso_load_options *opts,
                                  tiso_error *err)
{
    if (!out || !json)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "policy: NULL pointer");
    tiso_status s = check_options(opts, err);
    if (s != TISO_OK)
        return s;
    return load(out, json, len, opts, opts && opts->source ? opts->source : "<memory>", NULL, err);
}

tiso_status tiso_policy_load_file(tiso_policy **out, const char *path, const tiso_load_options *opts,
                                  tiso_error *err)
{
    if (!out || !path)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "policy: NULL pointer");
    if (!*path)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "policy: empty file name");
    tiso_status s = check_options(opts, err);
    if (s != TISO_OK)
        return s;
    uint64_t max = opts && opts->max_document_bytes ? opts->max_document_bytes : TISO_DEFAULT_MAX_DOCUMENT_BYTES;
    char *text = NULL;
    size_t len = 0;
    s = tiso__read_file(path, max, &text, &len, err);
    if (s != TISO_OK)
        return s;
    s = load(out, text, len, opts, opts && opts->source ? opts->source : path, path, err);
    tiso__free(text);
    return s;
}
