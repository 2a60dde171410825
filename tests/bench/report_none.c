/* The report figure when the library is built without impact analysis
 * (include/tenantiso/report.h and src/report/ not part of the build yet):
 * reported as not measured, with the reason. */
#include "bench.h"

int bench_report(const bench_config *cfg, bench_figures *f)
{
    (void)cfg;
    f->report_ms = BENCH_NAN;
    f->report_json_ms = BENCH_NAN;
    f->report_note = "report not built";
    return 0;
}
