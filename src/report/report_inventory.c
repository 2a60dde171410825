/* Reading one line of a JSON Lines connection inventory (a pure function
 * over bytes, so it can be fuzzed):
 *   {"creatorTenantId", "targetTenantId", "connector", "connectionId",
 *    "environmentId", "userTenantId", ...more kept}
 * userTenantId is the signed-in user's home tenant. It decides nothing: a
 * guest from another tenant working in its host's environment creates a
 * connection of the host, same creator and target. The record is decoded
 * by report_record.c, as a page entry is. */
#include <stdio.h>
#include <string.h>

#include "report_json.h"

enum { CREATOR, TARGET, CONNECTOR, CONNECTION = CONNECTOR + 3, ENVIRONMENT, CONNECTIONS };
static const char *const SLOTS[] = {"creatorTenantId", "targetTenantId", "connector",   "connectorId", "apiId",
                                    "connectionId",    "environmentId",  "connections", NULL};

/* Fills the connection from the decoded record, or says what is wrong with it. */
static tiso_status read_record(const tiso__report_record *r, tiso_input_format format, tiso_connection *c,
                               tiso_error *problem)
{
    tiso_status s = TISO_OK;
    c->connector = tiso__report_record_connector(r, CONNECTOR, "", problem, &s);
    if (s == TISO_OK && format != TISO_INPUT_JSONL && strcmp(r->type[CONNECTIONS], "an array") == 0)
        return tiso__fail(problem, TISO_E_SCHEMA, "connections",
                          "a \"connections\" array, as a report page has: an inventory line or a page? "
                          "(choose with --input-format jsonl|page)");
    if (s == TISO_OK)
        s = tiso__report_record_string(r, CREATOR, "", "creatorTenantId", true, problem);
    if (s == TISO_OK)
        s = tiso__report_record_string(r, TARGET, "", "targetTenantId", true, problem);
    c->creator = r->value[CREATOR];
    c->target = r->value[TARGET];
    c->connection_id = r->value[CONNECTION];
    c->environment_id = r->value[ENVIRONMENT];
    return s;
}

tiso_status tiso__report_read_line(const char *line, size_t len, const char *source, uint64_t line_no,
                                   const tiso_report_options *opts, tiso__report_entry_fn fn, void *user)
{
    if (!fn || (!line && len))
        return TISO_E_INVALID_ARGUMENT;
    while (len && tiso__json_is_space(line[len - 1]))
        len--;
    if (!len)
        return TISO_OK; /* a blank line, often the last: nothing to report */
    size_t lead = tiso__json_skip_space(line, len, 0); /* less than len: line[len - 1] is no space */
    line += lead;
    len -= lead;
    tiso_connection c = {.source = source, .line = line_no, .index = -1};
    tiso__report_limits l;
    tiso__report_limits_from(&l, opts);
    l.json.max_bytes = l.max_line_bytes;
    tiso_error problem;
    tiso_error_clear(&problem);
    tiso__report_record r;
    tiso__report_record_init(&r);
    /* No length: a descriptor's reader sees only the part it buffered. */
    tiso_status s = len > l.max_line_bytes
                        ? tiso__fail(&problem, TISO_E_LIMIT, NULL, "line longer than the limit of %u bytes",
                                     l.max_line_bytes)
                        : tiso__report_record_decode(&r, line, len, SLOTS, "", &l.json, &problem);
    if (s != TISO_OK && problem.column) { /* the validator counts within the line; say where it is */
        problem.line = line_no > UINT32_MAX ? 0 : (uint32_t)line_no;
        char msg[TISO_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "column %u: %s", problem.column, problem.message);
        memcpy(problem.message, msg, sizeof msg);
    }
    bool object = s == TISO_OK || (s == TISO_E_SCHEMA && r.count); /* a repeated key too: members echoed */
    if (object) {
        c.fields = line;
        c.fields_len = len;
    }
    if (s == TISO_OK)
        s = read_record(&r, tiso__report_input_format(opts), &c, &problem);
    if (s != TISO_E_NOMEM)
        s = fn(user, &c, object ? &r : NULL, s == TISO_OK ? NULL : &problem);
    tiso__report_record_free(&r);
    return s;
}

tiso_status tiso__report_call_public(void *user, const tiso_connection *c, const tiso__report_record *rec,
                                     const tiso_error *problem)
{
    (void)rec;
    const tiso__report_public_fn *p = user;
    return p->fn(p->user, c, problem);
}

tiso_status tiso_read_inventory_line(tiso_record_fn fn, void *user, const char *line, size_t len, const char *source,
                                     uint64_t line_no, const tiso_report_options *opts)
{
    tiso__report_public_fn p = {fn, user};
    return fn ? tiso__report_read_line(line, len, source, line_no, opts, tiso__report_call_public, &p)
              : TISO_E_INVALID_ARGUMENT;
}
