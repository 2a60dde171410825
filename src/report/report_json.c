/* What the report's readers share (see report_json.h). */
#include "report_json.h"

tiso__json_limits tiso__report_json_limits(const tiso_report_options *opts, uint64_t max_bytes)
{
    tiso__report_limits l;
    tiso__report_limits_from(&l, opts);
    return (tiso__json_limits){max_bytes, l.max_depth, l.max_string_bytes};
}

tiso_status tiso__report_call_public(void *user, const tiso_connection *c, const tiso__report_record *rec,
                                     const tiso_error *problem)
{
    (void)rec;
    const tiso__report_public_fn *p = user;
    return p->fn(p->user, c, problem);
}
