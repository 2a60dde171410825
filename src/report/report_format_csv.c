/* report --format csv: RFC 4180 (CRLF line ends, fields quoted when they
 * hold a comma, a quote or a line break, quotes doubled), a header row, one
 * row per connection, streamed. Members of the input record beyond the
 * known columns go, as one JSON object, into the last column, "extra". */
#include <string.h>

#include "report_writer.h"

static const char *const HEADER[] = {"source",         "line",
                                     "index",          "creator",
                                     "target",         "creatorTenantId",
                                     "targetTenantId", "connector",
                                     "connectionId",   "environmentId",
                                     "userTenantId",   "connectionType",
                                     "outcome",        "verdict",
                                     "reason",         "direction",
                                     "externalTenant", "rule",
                                     "blockedBy",      "message",
                                     "extra",          NULL};

/* Input members with a column of their own; everything else is "extra".
 * A page entry's tenantId is shown as its creator or target. */
static const tiso__report_name KNOWN[] = {
    TISO__REPORT_NAME("creatorTenantId"), TISO__REPORT_NAME("targetTenantId"), TISO__REPORT_NAME("connector"),
    TISO__REPORT_NAME("connectorId"),     TISO__REPORT_NAME("apiId"),          TISO__REPORT_NAME("connectionId"),
    TISO__REPORT_NAME("environmentId"),   TISO__REPORT_NAME("userTenantId"),   TISO__REPORT_NAME("connectionType")};

static tiso_status begin(tiso_report_writer *w)
{
    for (size_t i = 0; HEADER[i]; i++) {
        tiso__report_out_str(&w->out, i ? "," : "");
        tiso__report_out_str(&w->out, HEADER[i]);
    }
    tiso__report_out_str(&w->out, "\r\n");
    return TISO_OK;
}

static void field(tiso__report_out *o, const char *s)
{
    tiso__report_out_csv(o, s ? s : "");
    tiso__report_out_str(o, ",");
}

static void id_field(tiso__report_out *o, const tiso_tenant_id *id)
{
    if (!tiso__id_nil(id))
        tiso__report_out_id(o, id);
    tiso__report_out_str(o, ",");
}

static void number_field(tiso__report_out *o, bool present, long long n)
{
    if (present)
        tiso__report_out_int(o, n);
    tiso__report_out_str(o, ",");
}

/* The input's members as the row needs them, gathered in the writer's
 * scratch buffer by one walk of the record's text (tiso__report_fields_walk): the
 * first userTenantId and connectionType, decoded, and `extra` -- what
 * cJSON printed when the first member of each known name (and a page
 * entry's first tenantId) was deleted from a copy of the record -- built
 * from the members that are left. */
typedef struct split {
    tiso__report_scratch *sc;
    bool page;
    unsigned known_seen; /* a bit per KNOWN name: its first member met */
    bool tenant_seen;
    size_t extra_len; /* extra from sc->data on */
    size_t decoded;   /* the next decoded string from here on */
    const char *user_tenant, *connection_type;
    bool has_user_tenant, has_connection_type;
} split;

/* For a text of `len` bytes, extra and its NUL take at most len + 1 bytes
 * (each member copied into at most its share of the text); the two decoded
 * strings, members inside the braces, at most len - 2 more. */
static bool start(void *user, size_t len)
{
    split *sp = user;
    *sp = (split){.sc = sp->sc, .page = sp->page, .decoded = len + 2};
    return tiso__report_scratch_room(sp->sc, 2 * len + 4) == TISO_OK;
}

static void append(void *user, const char *run, size_t len)
{
    split *sp = user;
    memcpy(sp->sc->data + sp->extra_len, run, len);
    sp->extra_len += len;
}

/* A member's value, decoded, if it is a string; else NULL. */
static const char *decode(split *sp, const tiso__report_member *m)
{
    char *out = sp->sc->data + sp->decoded;
    if (!tiso__report_member_string(m, out))
        return NULL;
    sp->decoded += strlen(out) + 1;
    return out;
}

/* Whether `m` is the first member of a name with a column of its own. */
static bool first_known(split *sp, const tiso__report_member *m)
{
    for (unsigned i = 0; i < sizeof KNOWN / sizeof KNOWN[0]; i++) {
        if (!(sp->known_seen & (1u << i)) && tiso__report_member_is_n(m, KNOWN[i].name, KNOWN[i].len)) {
            sp->known_seen |= 1u << i;
            return true;
        }
    }
    if (sp->page && !sp->tenant_seen && tiso__report_member_is(m, "tenantId"))
        return sp->tenant_seen = true;
    return false;
}

static void take_member(void *user, const tiso__report_member *m)
{
    split *sp = user;
    if (!sp->has_user_tenant && tiso__report_member_is(m, "userTenantId")) {
        sp->has_user_tenant = true;
        sp->user_tenant = decode(sp, m);
    } else if (!sp->has_connection_type && tiso__report_member_is(m, "connectionType")) {
        sp->has_connection_type = true;
        sp->connection_type = decode(sp, m);
    }
    if (first_known(sp, m))
        return;
    append(sp, sp->extra_len ? "," : "{", 1);
    append(sp, "\"", 1);
    append(sp, m->key, m->key_len);
    append(sp, "\":", 2);
    if (m->value_spaced)
        tiso__report_json_compact(m->value, m->value_len, append, sp);
    else
        append(sp, m->value, m->value_len);
}

static void decision_fields(tiso_report_writer *w, const tiso_connection_result *res)
{
    const tiso_decision *d = &res->decision;
    tiso__report_out *o = &w->out;
    field(o, tiso_outcome_name(res->outcome));
    field(o, tiso_verdict_name(d->verdict));
    field(o, tiso__report_reason_text(res->status, d));
    field(o, d->direction == TISO_DIRECTION_NONE ? "" : tiso_direction_name(d->direction));
    id_field(o, &d->external_tenant);
    number_field(o, d->rule >= 0, d->rule);
    id_field(o, &d->blocked_by);
    field(o, res->status == TISO_OK ? tiso__report_message(w, d) : res->error);
}

static void row(tiso_report_writer *w, const tiso_connection_result *res)
{
    const tiso_connection *c = res->connection;
    tiso__report_out *o = &w->out;
    split sp = {.sc = &w->scratch, .page = c->index >= 0};
    tiso__report_gather g = {start, take_member, &sp};
    w->failed = tiso__report_fields_walk(c, false, &g);
    if (w->failed != TISO_OK)
        return;
    if (sp.extra_len)
        append(&sp, "}", 1);
    sp.sc->data[sp.extra_len] = '\0';
    field(o, c->source);
    number_field(o, c->line != 0, (long long)c->line);
    number_field(o, c->index >= 0, (long long)c->index);
    field(o, c->creator);
    field(o, c->target);
    id_field(o, &res->creator);
    id_field(o, &res->target);
    field(o, c->connector);
    field(o, c->connection_id);
    field(o, c->environment_id);
    field(o, sp.user_tenant);
    field(o, sp.connection_type);
    decision_fields(w, res);
    tiso__report_out_csv(o, sp.sc->data);
    tiso__report_out_str(o, "\r\n");
    w->rows++;
}

static tiso_status end(tiso_report_writer *w)
{
    (void)w;
    return TISO_OK;
}

const tiso__report_format tiso__report_format_csv = {begin, row, end, NULL};
