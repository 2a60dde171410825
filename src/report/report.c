/* A report's life: options, creation, the two sides it evaluates with, the
 * observer, and freeing. */
#include <stddef.h>
#include <string.h>

#include "report_internal.h"

void tiso_report_options_init(tiso_report_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = TISO_REPORT_OPTIONS_VERSION;
}

void tiso__report_limits_from(tiso__report_limits *out, const tiso_report_options *o)
{
    out->max_page_bytes = o && o->max_page_bytes ? o->max_page_bytes : TISO_REPORT_DEFAULT_MAX_PAGE_BYTES;
    out->max_line_bytes = o && o->max_line_bytes ? o->max_line_bytes : TISO_REPORT_DEFAULT_MAX_LINE_BYTES;
    out->json.max_bytes = UINT64_MAX;
    out->json.max_string_bytes = o && o->max_string_bytes ? o->max_string_bytes : TISO_REPORT_DEFAULT_MAX_STRING_BYTES;
    out->json.max_depth = o && o->max_depth ? o->max_depth : TISO_REPORT_DEFAULT_MAX_DEPTH;
}

tiso_status tiso_input_format_parse(tiso_input_format *out, const char *text, size_t len)
{
    static const char *const names[] = {"auto", "page", "jsonl"};
    int i = tiso__name_index(names, TISO_NAME_COUNT(names), text, len);
    if (!out || i < 0)
        return TISO_E_INVALID_ARGUMENT;
    *out = (tiso_input_format)i;
    return TISO_OK;
}

tiso_input_format tiso__report_input_format(const tiso_report_options *o)
{
    return o && o->version >= 2 && o->input_format <= TISO_INPUT_JSONL ? o->input_format : TISO_INPUT_AUTO;
}

static tiso_status check_options(const tiso_report_options *o, tiso_error *err)
{
    if (o->version != TISO_REPORT_OPTIONS_VERSION && o->version != 1)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                          "report options version %u is not %u: call tiso_report_options_init", o->version,
                          TISO_REPORT_OPTIONS_VERSION);
    if (o->version >= 2 && (unsigned)o->input_format > TISO_INPUT_JSONL)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report options: input format %u is unknown",
                          (unsigned)o->input_format);
    if ((o->policy != NULL) == (o->policy_set != NULL))
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                          "a report needs exactly one of a policy and a policy set");
    if (o->before_policy && o->before_set)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                          "a diff compares with one policy or one policy set, not both");
    return TISO_OK;
}

tiso_status tiso_report_new(tiso_report **out, const tiso_report_options *opts, tiso_error *err)
{
    if (!out || !opts)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_new: NULL pointer");
    tiso_status s = check_options(opts, err);
    if (s != TISO_OK)
        return s;
    tiso_report *r = tiso__calloc(1, sizeof *r);
    if (!r)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory creating a report");
    /* A version 1 caller's struct ends before input_format. */
    memcpy(&r->opts, opts, opts->version == 1 ? offsetof(tiso_report_options, input_format) : sizeof *opts);
    r->opts.version = TISO_REPORT_OPTIONS_VERSION;
    r->opts.input_format = tiso__report_input_format(opts);
    if (!r->opts.max_problems)
        r->opts.max_problems = TISO_REPORT_DEFAULT_MAX_PROBLEMS;
    r->after = (tiso__report_judge){tiso_policy_ref(opts->policy), opts->policy_set};
    r->before = (tiso__report_judge){tiso_policy_ref(opts->before_policy), opts->before_set};
    *out = r;
    return TISO_OK;
}

void tiso_report_free(tiso_report *r)
{
    if (!r)
        return;
    tiso_policy_free(r->after.policy);
    tiso_policy_free(r->before.policy);
    tiso__report_tally_free(&r->tally);
    tiso__report_names_free(&r->names);
    tiso__arena_free(&r->strings);
    tiso__free(r->problems);
    tiso__free(r->inputs);
    tiso__free(r);
}

tiso_status tiso_report_set_observer(tiso_report *r, tiso_report_observer fn, void *user)
{
    if (!r)
        return TISO_E_INVALID_ARGUMENT;
    r->observer = fn;
    r->observer_user = fn ? user : NULL;
    return TISO_OK;
}

const char *tiso_outcome_name(tiso_outcome outcome)
{
    static const char *const names[] = {"error", "allowed", "blocked", "not_covered"};
    return TISO_NAME_OF(names, outcome);
}

int tiso_report_is_diff(const tiso_report *r)
{
    return r && (r->before.policy || r->before.set);
}

const tiso_policy *tiso_report_policy(const tiso_report *r)
{
    return r ? r->after.policy : NULL;
}

const tiso_policy *tiso_report_before_policy(const tiso_report *r)
{
    return r ? r->before.policy : NULL;
}
