/* bench-stats.h: latency histograms and readings of a server process. */
#pragma once

#include <glib.h>

/* Latencies in microseconds: 10 µs steps up to 100 ms, then 1 ms steps up
 * to 120 s; anything longer lands in the last bucket.
 */
typedef struct {
  guint64 *fine;
  guint64 *coarse;
  guint64  count;
  gint64   max_us;
} BenchHistogram;

void    bench_histogram_init       (BenchHistogram *histogram);
void    bench_histogram_clear      (BenchHistogram *histogram);
void    bench_histogram_reset      (BenchHistogram *histogram);
void    bench_histogram_record     (BenchHistogram *histogram,
                                    gint64          microseconds);
/* Returns the latency at @quantile (0..1) in milliseconds, or -1 when empty. */
double  bench_histogram_quantile   (const BenchHistogram *histogram,
                                    double                quantile);

/* One reading of a process from /proc. */
typedef struct {
  gint64 taken_at_us;
  double cpu_seconds;   /* user + system since the process started */
  gint64 rss_kb;
  gint64 pss_kb;
  double generator_cpu_seconds;   /* the load generator's own CPU time, taken with this reading */
} BenchProcessSample;

gboolean bench_process_sample      (int                 pid,
                                    BenchProcessSample *sample);
/* Returns the cores used between two samples (1.0 = one core busy). */
double   bench_process_cpu_between (const BenchProcessSample *before,
                                    const BenchProcessSample *after);
