/* The Graph figures when the library is built without its Graph client (or
 * before the client exists): reported as not measured, with the reason. */
#include <math.h>

#include "bench.h"

int bench_graph(const bench_config *cfg, bench_figures *f)
{
    (void)cfg;
    f->graph_cached_ns = f->graph_batch_ms = BENCH_NAN;
    f->graph_note = "library built without the Graph client";
    return 0;
}
