/* bench-stats.c: latency histograms and readings of a server process. */
#include "bench-stats.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FINE_STEP_US    10
#define FINE_BUCKETS    10000      /* 0 .. 100 ms */
#define COARSE_STEP_US  1000
#define COARSE_BUCKETS  120000     /* 100 ms .. 120 s */

void
bench_histogram_init (BenchHistogram *histogram)
{
  histogram->fine = g_new0 (guint64, FINE_BUCKETS);
  histogram->coarse = g_new0 (guint64, COARSE_BUCKETS);
  histogram->count = 0;
  histogram->max_us = 0;
}

void
bench_histogram_clear (BenchHistogram *histogram)
{
  g_clear_pointer (&histogram->fine, g_free);
  g_clear_pointer (&histogram->coarse, g_free);
}

void
bench_histogram_reset (BenchHistogram *histogram)
{
  memset (histogram->fine, 0, sizeof (guint64) * FINE_BUCKETS);
  memset (histogram->coarse, 0, sizeof (guint64) * COARSE_BUCKETS);
  histogram->count = 0;
  histogram->max_us = 0;
}

void
bench_histogram_record (BenchHistogram *histogram,
                        gint64          microseconds)
{
  gint64 fine_limit = (gint64) FINE_STEP_US * FINE_BUCKETS;

  if (microseconds < 0)
    microseconds = 0;

  if (microseconds < fine_limit)
    histogram->fine[microseconds / FINE_STEP_US]++;
  else
    histogram->coarse[MIN ((microseconds - fine_limit) / COARSE_STEP_US, COARSE_BUCKETS - 1)]++;

  histogram->count++;
  histogram->max_us = MAX (histogram->max_us, microseconds);
}

double
bench_histogram_quantile (const BenchHistogram *histogram,
                          double                quantile)
{
  guint64 wanted;
  guint64 seen = 0;

  if (histogram->count == 0)
    return -1;

  /* The rank of the quantile, counted from 1, as the nearest-rank method does. */
  wanted = (guint64) (quantile * histogram->count);
  if (wanted < 1)
    wanted = 1;

  for (guint i = 0; i < FINE_BUCKETS; i++)
    {
      seen += histogram->fine[i];
      if (seen >= wanted)
        return (i + 1) * FINE_STEP_US / 1000.0;
    }

  for (guint i = 0; i < COARSE_BUCKETS; i++)
    {
      seen += histogram->coarse[i];
      if (seen >= wanted)
        return (FINE_STEP_US * FINE_BUCKETS + (i + 1) * (gint64) COARSE_STEP_US) / 1000.0;
    }

  return histogram->max_us / 1000.0;
}

static gboolean
read_cpu_seconds (int     pid,
                  double *seconds)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  unsigned long utime, stime;
  const char *after_name;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;

  /* The command name may hold spaces, so the fields start after its ')'. */
  after_name = strrchr (contents, ')');
  if (after_name == NULL)
    return FALSE;

  if (sscanf (after_name + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
              &utime, &stime) != 2)
    return FALSE;

  *seconds = (double) (utime + stime) / sysconf (_SC_CLK_TCK);
  return TRUE;
}

static gint64
find_kb (const char *contents,
         const char *key)
{
  const char *at = strstr (contents, key);

  if (at == NULL)
    return -1;

  return g_ascii_strtoll (at + strlen (key), NULL, 10);
}

gboolean
bench_process_sample (int                 pid,
                      BenchProcessSample *sample)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/smaps_rollup", pid);
  g_autofree char *contents = NULL;

  sample->taken_at_us = g_get_monotonic_time ();

  if (!read_cpu_seconds (pid, &sample->cpu_seconds))
    return FALSE;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;

  sample->rss_kb = find_kb (contents, "\nRss:");
  sample->pss_kb = find_kb (contents, "\nPss:");

  return sample->rss_kb >= 0 && sample->pss_kb >= 0;
}

double
bench_process_cpu_between (const BenchProcessSample *before,
                           const BenchProcessSample *after)
{
  double wall = (after->taken_at_us - before->taken_at_us) / (double) G_USEC_PER_SEC;

  if (wall <= 0)
    return 0;

  return (after->cpu_seconds - before->cpu_seconds) / wall;
}
