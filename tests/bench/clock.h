/* Timing helpers: wall and thread CPU clocks in nanoseconds and the median of a few
 * repetitions (robust against the odd slow one on a shared machine). */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

#include <stddef.h>

double bench_now_ns(void);

/* CPU time of the calling thread: unlike the wall clock it leaves out the
 * time other processes had the CPU, so it shows when a busy host, not the
 * code, made a figure slow. */
double bench_cpu_ns(void);

/* Sorts `v` in place and returns its median; NaN for n == 0. */
double bench_median(double *v, size_t n);

#endif /* BENCH_CLOCK_H */
