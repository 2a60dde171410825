/* Building a policy: collect entries, then index them once. The loader goes
 * through the same steps, so a document and code build identical policies. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json_scan.h"
#include "policy_internal.h"
#include "sha256.h"

tiso_status tiso__warn(tiso__warnings *w, tiso_warning_code code, const char *path, const char *fmt, ...)
{
    if (w->count >= TISO_MAX_WARNINGS) {
        w->dropped++;
        return TISO_OK;
    }
    void *items = w->items;
    if (tiso__grow(&items, &w->cap, w->count + 1, sizeof *w->items) != TISO_OK)
        return TISO_E_NOMEM;
    w->items = items;
    char msg[TISO_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    tiso__vformat(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *p = tiso__strndup(path, strlen(path));
    char *m = tiso__strndup(msg, strlen(msg));
    if (!p || !m) {
        tiso__free(p);
        tiso__free(m);
        return TISO_E_NOMEM;
    }
    w->items[w->count++] = (tiso__warning){code, p, m};
    return TISO_OK;
}

void tiso__warnings_free(tiso__warnings *w)
{
    for (size_t i = 0; i < w->count; i++) {
        tiso__free(w->items[i].path);
        tiso__free(w->items[i].message);
    }
    tiso__free(w->items);
    memset(w, 0, sizeof *w);
}

void tiso__builder_init(tiso_policy_builder *b)
{
    memset(b, 0, sizeof *b);
    b->isolation = true;
    b->path_prefix = "";
    b->max_entries = TISO_DEFAULT_MAX_ENTRIES;
    b->max_string_bytes = TISO_DEFAULT_MAX_STRING_BYTES;
    b->source = "<builder>";
}

void tiso__builder_clear(tiso_policy_builder *b)
{
    tiso__free(b->entries);
    tiso__arena_free(&b->strings);
    tiso__warnings_free(&b->warnings);
    tiso__builder_init(b);
}

/* Copies a string into the builder's arena; 0 for none. */
static tiso_status arena_put(tiso_policy_builder *b, const char *s, size_t len, uint32_t *ref)
{
    *ref = 0;
    if (!s)
        return TISO_OK;
    if (b->strings.len + len + 1 > UINT32_MAX - 1)
        return TISO_E_LIMIT;
    size_t at;
    tiso_status st = tiso__arena_add(&b->strings, s, len, &at);
    *ref = (uint32_t)at;
    return st;
}

static tiso_status grow_entries(tiso_policy_builder *b)
{
    void *entries = b->entries;
    tiso_status s = tiso__grow(&entries, &b->cap, b->count + 1, sizeof *b->entries);
    b->entries = entries;
    return s;
}

tiso_status tiso__builder_add(tiso_policy_builder *b, const tiso_tenant_id *tenant, unsigned dirs,
                              const char *name, size_t name_len, const char *domain, size_t domain_len,
                              tiso_error *err)
{
    if (b->count >= b->max_entries)
        return tiso__fail(err, TISO_E_LIMIT, NULL, "more than %u allowlist entries", b->max_entries);
    if ((name && name_len > b->max_string_bytes) || (domain && domain_len > b->max_string_bytes))
        return tiso__fail(err, TISO_E_LIMIT, NULL, "string longer than %u bytes", b->max_string_bytes);
    tiso__draft_entry e = {.dirs = (uint8_t)dirs};
    if (tenant)
        e.tenant = *tenant;
    tiso_status s = grow_entries(b);
    if (s == TISO_OK)
        s = arena_put(b, name, name_len, &e.name);
    if (s == TISO_OK)
        s = arena_put(b, domain, domain_len, &e.domain);
    if (s != TISO_OK)
        return tiso__fail(err, s, NULL, "%s", s == TISO_E_NOMEM ? "out of memory" : "strings too large");
    b->entries[b->count++] = e;
    return TISO_OK;
}

/* ---- build: index the entries and note what looks like a mistake ---- */

static tiso_status copy_warnings(tiso__warnings *dst, const tiso__warnings *src)
{
    for (size_t i = 0; i < src->count; i++) {
        const tiso__warning *w = &src->items[i];
        if (tiso__warn(dst, w->code, w->path, "%s", w->message) != TISO_OK)
            return TISO_E_NOMEM;
    }
    dst->dropped += src->dropped;
    return TISO_OK;
}

static void entry_path(char *buf, size_t cap, const tiso_policy_builder *b, size_t i)
{
    snprintf(buf, cap, "%sallowedTenants[%zu]", b->path_prefix, i);
}

/* Warnings about one entry: nothing granted, the home tenant, a repeat. The
 * path is written only when there is something to say: most entries are fine. */
static tiso_status check_entry(tiso__warnings *w, const tiso_policy_builder *b, size_t i, size_t first)
{
    const tiso__draft_entry *e = &b->entries[i];
    bool empty = e->dirs == 0, home = b->has_home && tiso__id_eq(&e->tenant, &b->home), repeat = first != i;
    if (TISO_LIKELY(!empty && !home && !repeat))
        return TISO_OK;
    char path[64];
    entry_path(path, sizeof path, b, i);
    tiso_status s = TISO_OK;
    if (empty)
        s = tiso__warn(w, TISO_WARN_EMPTY_ENTRY, path, "entry allows neither inbound nor outbound: it grants nothing");
    if (s == TISO_OK && home)
        s = tiso__warn(w, TISO_WARN_HOME_TENANT_LISTED, path,
                       "the home tenant is on its own allowlist: connections within a tenant are always allowed");
    if (s == TISO_OK && repeat)
        s = tiso__warn(w, TISO_WARN_DUPLICATE_TENANT, path,
                       "%s is also listed at %sallowedTenants[%zu]: the directions of both entries add up",
                       tiso__id_nil(&e->tenant) ? "\"*\"" : "this tenant", b->path_prefix, first);
    return s;
}

/* Indexes entry i. `first_of` maps a slot to the first entry that used it
 * and `first_wildcard` is the first "*" entry, so repeats can be reported. */
static void index_entry(tiso_policy *p, const tiso_policy_builder *b, size_t i, uint32_t *first_of,
                        size_t *first_wildcard, size_t *first)
{
    const tiso__draft_entry *d = &b->entries[i];
    tiso__entry *e = &p->entries[i];
    *e = (tiso__entry){TISO_NO_SLOT, d->name, d->domain, d->dirs};
    int32_t *rules = p->wildcard_rule;
    if (tiso__id_nil(&d->tenant)) {
        if (*first_wildcard == SIZE_MAX)
            *first_wildcard = i;
        *first = *first_wildcard;
    } else {
        bool inserted;
        tiso__id_slot *slot = tiso__id_table_upsert(&p->index, &d->tenant, &inserted);
        e->slot = (uint32_t)(slot - p->index.slots);
        if (inserted)
            first_of[e->slot] = (uint32_t)i;
        *first = first_of[e->slot];
        rules = slot->rule;
    }
    /* Additive: the first entry granting a direction is the one reported. */
    if ((d->dirs & TISO_ALLOW_INBOUND) && rules[0] < 0)
        rules[0] = (int32_t)i;
    if ((d->dirs & TISO_ALLOW_OUTBOUND) && rules[1] < 0)
        rules[1] = (int32_t)i;
}

static tiso_status index_all(tiso_policy *p, const tiso_policy_builder *b, tiso__warnings *w)
{
    tiso_status s = tiso__id_table_init(&p->index, b->count);
    if (s != TISO_OK)
        return s;
    uint32_t *first_of = tiso__malloc((size_t)p->index.capacity * sizeof *first_of);
    if (!first_of)
        return TISO_E_NOMEM;
    size_t first_wildcard = SIZE_MAX;
    for (size_t i = 0; i < b->count && s == TISO_OK; i++) {
        size_t first;
        index_entry(p, b, i, first_of, &first_wildcard, &first);
        s = check_entry(w, b, i, first);
    }
    tiso__free(first_of);
    return s;
}

/* Power Platform's own rule limit (SPEC 4). Warned before anything else so a
 * full warning list never drops it. */
static tiso_status check_service_limit(tiso__warnings *w, const tiso_policy_builder *b)
{
    if (b->count <= TISO_SERVICE_MAX_RULES)
        return TISO_OK;
    char path[64];
    snprintf(path, sizeof path, "%sallowedTenants", b->path_prefix);
    return tiso__warn(w, TISO_WARN_OVER_SERVICE_LIMIT, path,
                      "%zu allowlist rules: Power Platform accepts at most %d, so the service would refuse this policy",
                      b->count, TISO_SERVICE_MAX_RULES);
}

static tiso_status finish_warnings(tiso_policy *p, tiso__warnings *w)
{
    if (w->dropped) {
        /* dropped > 0 means the list is full: its last warning gives its
         * place to a summary of the rest. */
        tiso__warning *last = &w->items[--w->count];
        tiso__free(last->path);
        tiso__free(last->message);
        size_t dropped = w->dropped + 1;
        w->dropped = 0;
        if (tiso__warn(w, TISO_WARN_MORE, "", "%zu more warnings were not kept", dropped) != TISO_OK)
            return TISO_E_NOMEM;
    }
    p->warnings = w->items;
    p->warning_count = w->count;
    memset(w, 0, sizeof *w);
    return TISO_OK;
}

static tiso_status copy_header(tiso_policy *p, const tiso_policy_builder *b)
{
    p->home = b->home;
    p->has_home = b->has_home;
    p->isolation = b->isolation;
    p->evaluate_non_entra = b->evaluate_non_entra;
    p->wildcard_rule[0] = p->wildcard_rule[1] = -1;
    atomic_init(&p->refs, 1);
    p->entry_count = b->count;
    p->strings_len = b->strings.len;
    p->source = tiso__strndup(b->source, strlen(b->source));
    p->origin = b->origin ? tiso__strndup(b->origin, strlen(b->origin)) : NULL;
    p->entries = tiso__malloc(b->count * sizeof *p->entries);
    p->strings = tiso__malloc(b->strings.len);
    if (!p->source || (b->origin && !p->origin) || !p->entries || !p->strings)
        return TISO_E_NOMEM;
    if (b->strings.len)
        memcpy(p->strings, b->strings.data, b->strings.len);
    return TISO_OK;
}

/* The content hash covers exactly what can change a decision. */
static void hash_content(tiso_policy *p, const tiso_policy_builder *b)
{
    static const char tag[] = "tenantiso-policy-v1";
    tiso__sha256 h;
    tiso__sha256_init(&h);
    tiso__sha256_update(&h, tag, sizeof tag);
    uint8_t head[17] = {(uint8_t)(b->has_home | b->isolation << 1 | b->evaluate_non_entra << 2)};
    if (b->has_home)
        memcpy(head + 1, b->home.bytes, 16);
    tiso__sha256_update(&h, head, sizeof head);
    for (size_t i = 0; i < b->count; i++) {
        uint8_t rec[17];
        memcpy(rec, b->entries[i].tenant.bytes, 16);
        rec[16] = b->entries[i].dirs;
        tiso__sha256_update(&h, rec, sizeof rec);
    }
    tiso__sha256_final(&h, p->sha256);
    p->id = 0;
    for (unsigned i = 0; i < 8; i++)
        p->id = p->id << 8 | p->sha256[i];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    p->loaded_at_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

tiso_status tiso__builder_build(tiso_policy **out, const tiso_policy_builder *b, tiso_error *err)
{
    tiso_policy *p = tiso__calloc(1, sizeof *p);
    if (!p)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory building the policy");
    tiso__warnings w = {0};
    tiso_status s = copy_header(p, b);
    if (s == TISO_OK)
        s = check_service_limit(&w, b);
    if (s == TISO_OK)
        s = copy_warnings(&w, &b->warnings);
    if (s == TISO_OK)
        s = index_all(p, b, &w);
    if (s == TISO_OK)
        s = finish_warnings(p, &w);
    if (s == TISO_OK)
        hash_content(p, b);
    if (s != TISO_OK) {
        tiso__warnings_free(&w);
        tiso_policy_free(p);
        return tiso__fail(err, s, NULL, "out of memory building the policy");
    }
    *out = p;
    return TISO_OK;
}

/* ---- the public builder ---- */

tiso_status tiso_policy_builder_new(tiso_policy_builder **out, tiso_error *err)
{
    if (!out)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "builder: NULL out pointer");
    tiso_policy_builder *b = tiso__malloc(sizeof *b);
    if (!b)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory");
    tiso__builder_init(b);
    *out = b;
    return TISO_OK;
}

tiso_status tiso_policy_builder_set_home(tiso_policy_builder *b, const tiso_tenant_id *home)
{
    if (!b)
        return TISO_E_INVALID_ARGUMENT;
    if (home && tiso__id_nil(home))
        return TISO_E_INVALID_TENANT;
    b->has_home = home != NULL;
    if (home)
        b->home = *home;
    return TISO_OK;
}

tiso_status tiso_policy_builder_set_isolation(tiso_policy_builder *b, int enabled)
{
    if (!b)
        return TISO_E_INVALID_ARGUMENT;
    b->isolation = enabled != 0;
    return TISO_OK;
}

tiso_status tiso_policy_builder_set_evaluate_non_entra(tiso_policy_builder *b, int enabled)
{
    if (!b)
        return TISO_E_INVALID_ARGUMENT;
    b->evaluate_non_entra = enabled != 0;
    return TISO_OK;
}

tiso_status tiso_policy_builder_add(tiso_policy_builder *b, const tiso_tenant_id *tenant, unsigned directions,
                                    const char *display_name, const char *domain, tiso_error *err)
{
    if (!b)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "builder: NULL pointer");
    if (directions & ~(TISO_ALLOW_INBOUND | TISO_ALLOW_OUTBOUND))
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "unknown direction bits 0x%x", directions);
    if (tenant && tiso__id_nil(tenant))
        return tiso__fail(err, TISO_E_INVALID_TENANT, NULL, "the nil GUID is not a tenant");
    /* Whatever is built must be writable as JSON and readable back. */
    if (display_name && (!tiso__utf8_valid(display_name, strlen(display_name))))
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "display name is not valid UTF-8");
    if (!tenant && domain)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "the \"*\" entry cannot have a domain");
    char norm[TISO_DOMAIN_MAX + 1];
    if (domain) {
        tiso_status s = tiso_domain_normalize(norm, domain, strlen(domain), err);
        if (s != TISO_OK)
            return s;
    }
    return tiso__builder_add(b, tenant, directions, display_name, display_name ? strlen(display_name) : 0,
                             domain ? norm : NULL, domain ? strlen(norm) : 0, err);
}

tiso_status tiso_policy_builder_build(tiso_policy **out, const tiso_policy_builder *b, tiso_error *err)
{
    if (!out || !b)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "builder: NULL pointer");
    return tiso__builder_build(out, b, err);
}

void tiso_policy_builder_free(tiso_policy_builder *b)
{
    if (!b)
        return;
    tiso__builder_clear(b);
    tiso__free(b);
}
