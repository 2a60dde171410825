/* Resolvers: the static map, the caller's callback, and the common entry
 * point that validates names before any resolver sees them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_input.h"

/* ---- static map: a sorted array, searched by binary search ---- */

typedef struct map_entry {
    char *domain;
    tiso_tenant_id tenant;
} map_entry;

typedef struct static_map {
    map_entry *items;
    size_t count, cap;
} static_map;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const map_entry *)a)->domain, ((const map_entry *)b)->domain);
}

/* Index of `domain`, or of where it would go (with *found false). */
static size_t map_find(const static_map *m, const char *domain, bool *found)
{
    size_t lo = 0, hi = m->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->items[mid].domain, domain);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

static tiso_status map_resolve(void *impl, const char *domain, tiso_tenant_id *out, tiso_error *err)
{
    const static_map *m = impl;
    bool found;
    size_t i = map_find(m, domain, &found);
    if (!found)
        return tiso__fail(err, TISO_E_NOT_FOUND, NULL, "domain \"%s\" is not in the domain map", domain);
    *out = m->items[i].tenant;
    return TISO_OK;
}

static void map_destroy(void *impl)
{
    static_map *m = impl;
    for (size_t i = 0; i < m->count; i++)
        tiso__free(m->items[i].domain);
    tiso__free(m->items);
    tiso__free(m);
}

static const tiso__resolver_ops STATIC_OPS = {map_resolve, map_destroy};

/* Inserts at `at`, keeping the array sorted. */
static tiso_status map_insert(static_map *m, size_t at, const char *domain, const tiso_tenant_id *tenant)
{
    void *items = m->items;
    if (tiso__grow(&items, &m->cap, m->count + 1, sizeof *m->items) != TISO_OK)
        return TISO_E_NOMEM;
    m->items = items;
    char *copy = tiso__strndup(domain, strlen(domain));
    if (!copy)
        return TISO_E_NOMEM;
    memmove(&m->items[at + 1], &m->items[at], (m->count - at) * sizeof *m->items);
    m->items[at] = (map_entry){copy, *tenant};
    m->count++;
    return TISO_OK;
}

tiso_status tiso__resolver_wrap(tiso_resolver **out, const tiso__resolver_ops *ops, void *impl, tiso_error *err)
{
    tiso_resolver *r = tiso__malloc(sizeof *r);
    if (!r) {
        ops->destroy(impl);
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    }
    r->ops = ops;
    r->impl = impl;
    *out = r;
    return TISO_OK;
}

tiso_status tiso_resolver_new_static(tiso_resolver **out, tiso_error *err)
{
    if (!out)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "resolver: NULL out pointer");
    static_map *m = tiso__calloc(1, sizeof *m);
    if (!m)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    return tiso__resolver_wrap(out, &STATIC_OPS, m, err);
}

static tiso_status map_add(static_map *m, const char *path, const char *domain, size_t len,
                           const tiso_tenant_id *tenant, tiso_error *err)
{
    char norm[TISO_DOMAIN_MAX + 1];
    tiso_status s = tiso_domain_normalize(norm, domain, len, err);
    if (s != TISO_OK) {
        char msg[TISO_ERROR_MESSAGE_MAX];
        memcpy(msg, err ? err->message : "", err ? sizeof msg : 1);
        return tiso__fail(err, s, path, "%s", msg);
    }
    if (tiso__id_nil(tenant))
        return tiso__fail(err, TISO_E_INVALID_TENANT, path, "the nil GUID is not a tenant");
    bool found;
    size_t at = map_find(m, norm, &found);
    if (found && !tiso__id_eq(&m->items[at].tenant, tenant))
        return tiso__fail(err, TISO_E_SCHEMA, path, "domain \"%s\" is mapped to two different tenants", norm);
    if (found)
        return TISO_OK;
    s = map_insert(m, at, norm, tenant);
    return s == TISO_OK ? s : tiso__fail(err, s, path, "out of memory");
}

tiso_status tiso_resolver_static_add(tiso_resolver *r, const char *domain, const tiso_tenant_id *tenant,
                                     tiso_error *err)
{
    if (!r || !domain || !tenant || r->ops != &STATIC_OPS)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "static_add: NULL pointer or not a static-map resolver");
    return map_add(r->impl, NULL, domain, strlen(domain), tenant, err);
}

/* ---- the {"domain": "tenant-id"} document ---- */

/* Appends without keeping order; map_sort restores it. */
static tiso_status map_append(static_map *m, const char *key, const cJSON *item, tiso_error *err)
{
    if (!cJSON_IsString(item))
        return tiso__fail(err, TISO_E_SCHEMA, key, "expected a tenant ID string, found %s",
                          tiso__json_type_name(item));
    tiso_tenant_id id;
    if (tiso_tenant_id_parse_ex(&id, item->valuestring, strlen(item->valuestring), err) != TISO_OK)
        return tiso__fail(err, TISO_E_INVALID_TENANT, key, "not a tenant ID: \"%.40s\"", item->valuestring);
    char norm[TISO_DOMAIN_MAX + 1];
    tiso_status s = tiso_domain_normalize(norm, key, strlen(key), err);
    if (s != TISO_OK) {
        char msg[TISO_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "%s", err ? err->message : "");
        return tiso__fail(err, s, key, "%s", msg);
    }
    s = map_insert(m, m->count, norm, &id);
    return s == TISO_OK ? s : tiso__fail(err, s, key, "out of memory");
}

/* Sorts, drops exact repeats, and refuses a domain given two tenants. */
static tiso_status map_sort(static_map *m, tiso_error *err)
{
    if (m->count > 1)
        qsort(m->items, m->count, sizeof *m->items, cmp_entry);
    size_t kept = 0;
    for (size_t i = 0; i < m->count; i++) {
        if (kept > 0 && strcmp(m->items[kept - 1].domain, m->items[i].domain) == 0) {
            if (!tiso__id_eq(&m->items[kept - 1].tenant, &m->items[i].tenant)) {
                tiso__fail(err, TISO_E_SCHEMA, m->items[i].domain,
                           "domain \"%s\" is mapped to two different tenants", m->items[i].domain);
                /* Keep every remaining domain owned exactly once for map_destroy. */
                memmove(&m->items[kept], &m->items[i], (m->count - i) * sizeof *m->items);
                m->count = kept + (m->count - i);
                return TISO_E_SCHEMA;
            }
            tiso__free(m->items[i].domain);
            continue;
        }
        m->items[kept++] = m->items[i];
    }
    m->count = kept;
    return TISO_OK;
}

static tiso_status map_from_json(static_map *m, const cJSON *root, tiso_error *err)
{
    if (!cJSON_IsObject(root))
        return tiso__fail(err, TISO_E_SCHEMA, "", "expected an object {\"domain\": \"tenant-id\"}, found %s",
                          tiso__json_type_name(root));
    size_t n = 0;
    for (const cJSON *item = root->child; item; item = item->next)
        n++;
    if (n > TISO_DEFAULT_MAX_ENTRIES)
        return tiso__fail(err, TISO_E_LIMIT, "", "%zu names, more than the limit of %u", n, TISO_DEFAULT_MAX_ENTRIES);
    for (const cJSON *item = root->child; item; item = item->next) {
        tiso_status s = map_append(m, item->string, item, err);
        if (s != TISO_OK)
            return s;
    }
    return map_sort(m, err);
}

tiso_status tiso_resolver_load_map_json(tiso_resolver **out, const char *json, size_t len, tiso_error *err)
{
    if (!out || !json)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "domain map: NULL pointer");
    static const tiso__json_limits lim = {TISO_DEFAULT_MAX_DOCUMENT_BYTES, 8, TISO_DEFAULT_MAX_STRING_BYTES};
    cJSON *root = NULL;
    tiso_status s = tiso__json_parse(&root, json, len, &lim, err);
    if (s != TISO_OK)
        return s;
    tiso_resolver *r = NULL;
    s = tiso_resolver_new_static(&r, err);
    if (s == TISO_OK)
        s = map_from_json(r->impl, root, err);
    if (s != TISO_OK && err && err->path[0])
        tiso__json_locate_key(err, json, len, err->path);
    cJSON_Delete(root);
    if (s != TISO_OK) {
        tiso_resolver_free(r);
        return s;
    }
    *out = r;
    return TISO_OK;
}

tiso_status tiso_resolver_load_map_file(tiso_resolver **out, const char *path, tiso_error *err)
{
    if (!out || !path || !*path)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "domain map: NULL pointer or empty file name");
    char *text = NULL;
    size_t len = 0;
    tiso_status s = tiso__read_file(path, TISO_DEFAULT_MAX_DOCUMENT_BYTES, &text, &len, err);
    if (s != TISO_OK)
        return s;
    s = tiso_resolver_load_map_json(out, text, len, err);
    tiso__free(text);
    if (s != TISO_OK)
        tiso__error_prefix_source(err, path);
    return s;
}

/* ---- callback ---- */

typedef struct callback_impl {
    tiso_resolve_fn fn;
    void *user;
} callback_impl;

static tiso_status callback_resolve(void *impl, const char *domain, tiso_tenant_id *out, tiso_error *err)
{
    const callback_impl *c = impl;
    tiso_error_clear(err);
    tiso_tenant_id id = {{0}};
    tiso_status s = c->fn(c->user, domain, &id, err);
    if (s == TISO_OK && tiso__id_nil(&id))
        return tiso__fail(err, TISO_E_BAD_RESPONSE, NULL, "resolver callback gave the nil GUID for \"%s\"", domain);
    if (s != TISO_OK && !err->message[0])
        return tiso__fail(err, s, NULL, "resolver callback failed for \"%s\": %s", domain, tiso_strerror(s));
    if (s != TISO_OK)
        err->status = s; /* the callback may have written only a message */
    if (s == TISO_OK)
        *out = id;
    return s;
}

static void callback_destroy(void *impl)
{
    tiso__free(impl);
}

static const tiso__resolver_ops CALLBACK_OPS = {callback_resolve, callback_destroy};

tiso_status tiso_resolver_new_callback(tiso_resolver **out, tiso_resolve_fn fn, void *user, tiso_error *err)
{
    if (!out || !fn)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "callback resolver: NULL pointer");
    callback_impl *c = tiso__malloc(sizeof *c);
    if (!c)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    *c = (callback_impl){fn, user};
    return tiso__resolver_wrap(out, &CALLBACK_OPS, c, err);
}

/* ---- resolving ---- */

tiso_status tiso__resolver_lookup(tiso_resolver *r, const char *domain, tiso_tenant_id *out, tiso_error *err)
{
    if (!r)
        return tiso__fail(err, TISO_E_RESOLVE, NULL,
                          "\"%s\" is a domain and no resolver is configured (give a domain map or use Graph)", domain);
    tiso_error local;
    return r->ops->resolve(r->impl, domain, out, err ? err : &local);
}

tiso_status tiso_resolver_resolve(tiso_tenant_id *out, tiso_resolver *r, const char *name, tiso_error *err)
{
    if (!out || !name)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "resolve: NULL pointer");
    tiso_name n;
    tiso_status s = tiso_name_classify(&n, name, strlen(name), err);
    if (s == TISO_OK && n.kind == TISO_NAME_TENANT_ID)
        *out = n.tenant_id; /* given, not looked up */
    else if (s == TISO_OK)
        s = tiso__resolver_lookup(r, n.domain, out, err);
    return s;
}

void tiso_resolver_free(tiso_resolver *r)
{
    if (!r)
        return;
    if (r->ops->destroy)
        r->ops->destroy(r->impl);
    tiso__free(r);
}
