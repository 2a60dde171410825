/* A report writer: picks the format, buffers the bytes, and keeps the first
 * failure so the caller hears of it once, at the end. */
#include "report_writer.h"

tiso_status tiso_report_format_parse(tiso_report_format *out, const char *text, size_t len)
{
    static const char *const names[] = {"text", "json", "csv", "html"};
    int i = tiso__name_index(names, TISO_NAME_COUNT(names), text, len);
    if (!out || i < 0)
        return TISO_E_INVALID_ARGUMENT;
    *out = (tiso_report_format)i;
    return TISO_OK;
}

static const tiso__report_format *ops_for(tiso_report_format f)
{
    static const tiso__report_format *const ops[] = {[TISO_FORMAT_TEXT] = &tiso__report_format_text,
                                                     [TISO_FORMAT_JSON] = &tiso__report_format_json,
                                                     [TISO_FORMAT_CSV] = &tiso__report_format_csv,
                                                     [TISO_FORMAT_HTML] = &tiso__report_format_html,
                                                     [TISO_FORMAT_DIFF_TEXT] = &tiso__report_format_diff_text,
                                                     [TISO_FORMAT_DIFF_JSON] = &tiso__report_format_diff_json};
    return (unsigned)f < TISO_NAME_COUNT(ops) ? ops[f] : NULL;
}

/* Which formats make sense for which report. */
static tiso_status check_format(const tiso_report *r, tiso_report_format f, tiso_error *err)
{
    bool diff_format = f == TISO_FORMAT_DIFF_TEXT || f == TISO_FORMAT_DIFF_JSON;
    if (!ops_for(f))
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "unknown report format %d", (int)f);
    if (diff_format && !tiso_report_is_diff(r))
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "a diff format needs a report with a `before` policy");
    if (!diff_format && f != TISO_FORMAT_TEXT && tiso_report_is_diff(r))
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "a diff is written as text or JSON only");
    if ((f == TISO_FORMAT_JSON || f == TISO_FORMAT_HTML) && r->after.set)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                          "JSON and HTML reports show one suggested policy: give the report a single policy");
    return TISO_OK;
}

tiso_status tiso_report_writer_new(tiso_report_writer **out, const tiso_report *r, tiso_report_format format,
                                   tiso_write_fn fn, void *user, tiso_error *err)
{
    if (!out || !r || !fn)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_writer_new: NULL pointer");
    tiso_status s = check_format(r, format, err);
    const tiso__report_format *ops = ops_for(format);
    if (s != TISO_OK || !ops)
        return s != TISO_OK ? s : TISO_E_INVALID_ARGUMENT;
    tiso_report_writer *w = tiso__calloc(1, sizeof *w);
    if (!w)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory creating a report writer");
    tiso__report_record_init(&w->record);
    w->report = r;
    w->ops = ops;
    w->out.fn = fn;
    w->out.user = user;
    s = w->ops->begin(w);
    if (s == TISO_OK)
        tiso__report_out_flush(&w->out); /* a reader of the stream sees the header at once */
    if (s == TISO_OK && w->out.status != TISO_OK)
        s = w->out.status;
    if (s != TISO_OK) {
        tiso_report_writer_free(w);
        return tiso__fail(err, s, NULL,
                          s == TISO_E_IO ? "cannot write the report" : "out of memory writing the report");
    }
    *out = w;
    return TISO_OK;
}

void tiso_report_writer_observe(void *writer, const tiso_connection_result *res)
{
    tiso_report_writer *w = writer;
    if (!w || !res || w->finished || w->failed != TISO_OK || w->out.status != TISO_OK)
        return;
    w->ops->row(w, res);
}

tiso_status tiso_report_writer_finish(tiso_report_writer *w, tiso_error *err)
{
    if (!w || w->finished)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_writer_finish: no writer, or finished already");
    w->finished = true;
    tiso_status s = w->failed;
    if (s == TISO_OK && w->out.status == TISO_OK && w->ops->end)
        s = w->ops->end(w);
    tiso__report_out_flush(&w->out);
    if (s == TISO_OK)
        s = w->out.status;
    if (s == TISO_E_IO)
        return tiso__fail(err, s, NULL, "cannot write the report");
    if (s != TISO_OK && w->error.status == s) {
        if (err)
            *err = w->error;
        return s;
    }
    if (s != TISO_OK)
        return tiso__fail(err, s, NULL, "out of memory writing the report");
    return TISO_OK;
}

void tiso_report_writer_free(tiso_report_writer *w)
{
    if (!w)
        return;
    if (w->ops && w->ops->destroy)
        w->ops->destroy(w);
    tiso__free(w->scratch.data);
    tiso__report_record_free(&w->record);
    tiso__free(w->fields_text);
    tiso__free(w);
}
