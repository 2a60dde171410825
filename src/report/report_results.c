/* What a report keeps besides its counts -- problems, inputs, labels -- and
 * the getters that hand its results out. */
#include <stdio.h>
#include <string.h>

#include "policy_internal.h"
#include "report_internal.h"

/* A stable arena ref for `source` (the last one is reused). 0 for NULL. */
static tiso_status source_ref(tiso_report *r, const char *source, size_t *ref)
{
    *ref = 0;
    if (!source)
        return TISO_OK;
    /* Records of one input share one source string: store it once. */
    if (r->last_source_ref && strcmp(source, tiso__arena_get(&r->strings, r->last_source_ref)) == 0) {
        *ref = r->last_source_ref;
        return TISO_OK;
    }
    tiso_status s = tiso__arena_add(&r->strings, source, strlen(source), ref);
    if (s == TISO_OK)
        r->last_source_ref = *ref;
    return s;
}

tiso_status tiso__report_keep_problem(tiso_report *r, const tiso_connection *c, tiso_status status, const char *path,
                                      const char *message)
{
    if (r->problem_count >= r->opts.max_problems)
        return TISO_OK;
    if (tiso__grow(&r->problems, &r->problem_cap, r->problem_count + 1, sizeof *r->problems) != TISO_OK)
        return TISO_E_NOMEM;
    tiso__report_problem p = {.status = status, .line = c->line, .index = c->index};
    if (source_ref(r, c->source, &p.source) != TISO_OK ||
        tiso__arena_add(&r->strings, path ? path : "", path ? strlen(path) : 0, &p.path) != TISO_OK ||
        tiso__arena_add(&r->strings, message, strlen(message), &p.message) != TISO_OK)
        return TISO_E_NOMEM;
    r->problems[r->problem_count++] = p;
    return TISO_OK;
}

tiso_status tiso__report_begin_input(tiso_report *r, const char *source, const tiso_page_info *page)
{
    if (tiso__grow(&r->inputs, &r->input_cap, r->input_count + 1, sizeof *r->inputs) != TISO_OK)
        return TISO_E_NOMEM;
    tiso__report_input *in = &r->inputs[r->input_count];
    memset(in, 0, sizeof *in);
    if (source_ref(r, source, &in->source) != TISO_OK)
        return TISO_E_NOMEM;
    if (page) {
        in->info.is_page = 1;
        snprintf(in->info.tenant_id, sizeof in->info.tenant_id, "%s", page->tenant_id);
        snprintf(in->info.report_id, sizeof in->info.report_id, "%s", page->report_id);
        snprintf(in->info.status, sizeof in->info.status, "%s", page->status);
        snprintf(in->info.start_date, sizeof in->info.start_date, "%s", page->start_date);
        snprintf(in->info.end_date, sizeof in->info.end_date, "%s", page->end_date);
    }
    r->current_input = ++r->input_count;
    return TISO_OK;
}

/* ---- getters ---- */

tiso_status tiso_report_get_totals(tiso_report_totals *out, const tiso_report *r)
{
    if (!r || !out)
        return TISO_E_INVALID_ARGUMENT;
    *out = r->totals;
    return TISO_OK;
}

size_t tiso_report_tenant_count(const tiso_report *r)
{
    return r ? r->tally.order_count : 0;
}

tiso_status tiso_report_tenant_at(tiso_report_tenant *out, const tiso_report *r, size_t index)
{
    if (!out || index >= tiso_report_tenant_count(r))
        return TISO_E_INVALID_ARGUMENT;
    tiso__report_tally_ref ref = r->tally.order[index];
    const tiso__report_tally_row *row = &r->tally.rows[ref.row];
    out->tenant = row->external;
    out->home = row->home;
    out->direction = ref.dir ? TISO_DIRECTION_OUTBOUND : TISO_DIRECTION_INBOUND;
    out->connections = row->connections[ref.dir];
    out->blocked = row->blocked[ref.dir];
    out->label = tiso__arena_get(&r->strings, row->label);
    return TISO_OK;
}

size_t tiso_report_problem_count(const tiso_report *r)
{
    return r ? r->problem_count : 0;
}

tiso_status tiso_report_problem_at(tiso_report_problem *out, const tiso_report *r, size_t index)
{
    if (!out || index >= tiso_report_problem_count(r))
        return TISO_E_INVALID_ARGUMENT;
    const tiso__report_problem *p = &r->problems[index];
    out->status = p->status;
    out->source = tiso__arena_get(&r->strings, p->source);
    out->line = p->line;
    out->index = p->index;
    out->path = tiso__arena_get(&r->strings, p->path);
    out->message = tiso__arena_get(&r->strings, p->message);
    return TISO_OK;
}

size_t tiso_report_input_count(const tiso_report *r)
{
    return r ? r->input_count : 0;
}

tiso_status tiso_report_input_at(tiso_report_input *out, const tiso_report *r, size_t index)
{
    bool valid = out && index < tiso_report_input_count(r);
    if (valid) {
        *out = r->inputs[index].info;
        out->source = tiso__arena_get(&r->strings, r->inputs[index].source);
    }
    return valid ? TISO_OK : TISO_E_INVALID_ARGUMENT;
}
