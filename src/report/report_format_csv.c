/* report --format csv: RFC 4180 (CRLF line ends, fields quoted when they
 * hold a comma, a quote or a line break, quotes doubled), a header row, one
 * row per connection, streamed. Members of the input record beyond the
 * known columns go, as one JSON object, into the last column, "extra". */
#include <string.h>

#include "report_writer.h"

/* Input members with a column of their own; everything else is "extra".
 * A page entry's tenantId is shown as its creator or target. The last two
 * are decoded for their columns. */
enum { KNOWN_USER_TENANT = 7 };
static const tiso__report_name KNOWN[] = {
    TISO__REPORT_NAME("creatorTenantId"), TISO__REPORT_NAME("targetTenantId"), TISO__REPORT_NAME("connector"),
    TISO__REPORT_NAME("connectorId"),     TISO__REPORT_NAME("apiId"),          TISO__REPORT_NAME("connectionId"),
    TISO__REPORT_NAME("environmentId"),   TISO__REPORT_NAME("userTenantId"),   TISO__REPORT_NAME("connectionType")};

static tiso_status begin(tiso_report_writer *w)
{
    tiso__report_out_str(&w->out, "source,line,index,creator,target,creatorTenantId,targetTenantId,connector,"
                                  "connectionId,environmentId,userTenantId,connectionType,outcome,verdict,reason,"
                                  "direction,externalTenant,rule,blockedBy,message,extra\r\n");
    return TISO_OK;
}

/* Each value as a field and its comma: none is an empty field. */
static void fields(tiso__report_out *o, const tiso__report_value *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i].kind == TISO__V_NUM)
            tiso__report_out_int(o, v[i].n);
        else if (v[i].kind == TISO__V_ID && !tiso__id_nil(v[i].id))
            tiso__report_out_id(o, v[i].id);
        else if (v[i].kind == TISO__V_STR || v[i].kind == TISO__V_ERROR)
            tiso__report_out_csv(o, v[i].s);
        tiso__report_out_str(o, ",");
    }
}

/* The input's members as the row needs them: the first userTenantId and
 * connectionType, decoded, and `extra`, the members without a column of
 * their own (all but the first of each known name, and of a page entry's
 * tenantId) as one JSON object, written to the writer's scratch buffer. */
typedef struct split {
    const char *decoded[2]; /* userTenantId, connectionType */
    const char *extra;      /* "" when none */
} split;

/* The index in KNOWN (KNOWN_COUNT for a page entry's tenantId) of member
 * `m` when it is the first of its name; else -1. */
#define KNOWN_COUNT (sizeof KNOWN / sizeof KNOWN[0])
static int first_known(const tiso__report_record *rec, size_t m, unsigned *seen, bool page)
{
    for (unsigned i = 0; i <= KNOWN_COUNT; i++) {
        bool is = i < KNOWN_COUNT ? tiso__report_member_is(rec, m, KNOWN[i].name, KNOWN[i].len)
                                  : page && tiso__report_member_is(rec, m, "tenantId", 8);
        if (is && !(*seen & (1u << i))) {
            *seen |= 1u << i;
            return (int)i;
        }
    }
    return -1;
}

static void append(void *user, const char *run, size_t len)
{
    tiso__report_scratch *sc = user;
    memcpy(sc->data + sc->len, run, len);
    sc->len += len;
}

/* Fills `sp` from the record, in the writer's scratch buffer: extra first
 * (each member no longer than its text and a separator, the braces), then,
 * past room for all of extra, the two decoded strings (no longer than their
 * values' text). */
static tiso_status split_fields(tiso_report_writer *w, const tiso__report_record *rec, bool page, split *sp)
{
    size_t room = 3;
    for (size_t i = 0; i < rec->count; i++)
        room += rec->member[i].key_len + rec->member[i].value_len + 4;
    tiso__report_scratch *sc = &w->scratch;
    if (tiso__grow(&sc->data, &sc->cap, 2 * room, 1) != TISO_OK)
        return TISO_E_NOMEM;
    sc->len = 0;
    char *strings = sc->data + room;
    unsigned seen = 0;
    *sp = (split){{NULL, NULL}, sc->data};
    for (size_t i = 0; i < rec->count; i++) {
        const tiso__report_member *m = &rec->member[i];
        int k = first_known(rec, i, &seen, page);
        if (k < 0) {
            append(sc, sc->len ? "," : "{", 1);
            tiso__report_member_text(m, "", append, sc);
        } else if (k >= KNOWN_USER_TENANT && k < (int)KNOWN_COUNT && m->value[0] == '"') {
            sp->decoded[k - KNOWN_USER_TENANT] = strings;
            strings += tiso__json_string(m->value, m->value_len, 0, strings) + 1;
        }
    }
    if (sc->len)
        append(sc, "}", 1);
    append(sc, "", 1);
    return TISO_OK;
}

static void row(tiso_report_writer *w, const tiso_connection_result *res)
{
    const tiso_connection *c = res->connection;
    const tiso__report_record *rec = tiso__report_fields(w, c);
    split sp;
    w->failed = rec ? split_fields(w, rec, c->index >= 0, &sp) : TISO_E_NOMEM;
    if (w->failed != TISO_OK)
        return;
    const tiso__report_value v[] = {TISO__STR(NULL, c->source),
                                    c->line ? TISO__NUM(NULL, c->line) : TISO__NONE(NULL),
                                    c->index >= 0 ? TISO__NUM(NULL, c->index) : TISO__NONE(NULL),
                                    TISO__STR(NULL, c->creator),
                                    TISO__STR(NULL, c->target),
                                    TISO__ID(NULL, &res->creator),
                                    TISO__ID(NULL, &res->target),
                                    TISO__STR(NULL, c->connector),
                                    TISO__STR(NULL, c->connection_id),
                                    TISO__STR(NULL, c->environment_id),
                                    TISO__STR(NULL, sp.decoded[0]),
                                    TISO__STR(NULL, sp.decoded[1])};
    tiso__report_value decision[TISO__DECISION_VALUES];
    tiso__report_decision_values(w, res, decision);
    fields(&w->out, v, TISO_NAME_COUNT(v));
    fields(&w->out, decision, TISO__DECISION_VALUES);
    tiso__report_out_csv(&w->out, sp.extra);
    tiso__report_out_str(&w->out, "\r\n");
    w->rows++;
}

const tiso__report_format tiso__report_format_csv = {begin, row, NULL, NULL};
