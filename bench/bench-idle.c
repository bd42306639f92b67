/* bench-idle.c: S1-idle-wakeups, what many idle queries cost the main loop
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Q subscribed queries, each on a key of its own with data in the cache and
 * stale and gc times of 5 minutes, so that every one has its stale timer
 * armed. Then the main loop idles for 2 s, with a poll function counting
 * each time it wakes up. The wake-up that ends the idle period (a timeout of
 * the benchmark's own) is not counted.
 */

#include "bench-todo.h"
#include "bench-workloads.h"

#define S1_QUERIES 100000
#define S1_STALE_MS (5 * 60 * 1000)
#define S1_GC_MS (5 * 60 * 1000)

typedef struct
{
  guint fetcher_calls;
  guint polls;
  gboolean idle_over;
} IdleRun;

static IdleRun *counting_run;

static int
counting_poll (GPollFD *fds,
               guint    n_fds,
               int      timeout)
{
  counting_run->polls++;
  return g_poll (fds, n_fds, timeout);
}

static void
fetch_cb (QuarryFetchContext *context,
          gpointer            user_data)
{
  IdleRun *run = user_data;

  /* Not expected: the data is fresh. */
  run->fetcher_calls++;
  quarry_fetch_context_return_error_literal (context, G_IO_ERROR, G_IO_ERROR_FAILED,
                                             "S1 fetched fresh data");
}

static gboolean
idle_over_cb (gpointer data)
{
  IdleRun *run = data;

  run->idle_over = TRUE;
  return G_SOURCE_REMOVE;
}

void
bench_s1_idle_wakeups (const BenchOptions *options)
{
  g_autoptr(QuarryQueryClient) client = bench_client_new ();
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(BenchLine) line = bench_line_new ("S1-idle-wakeups");
  GMainContext *context = g_main_context_default ();
  GPollFunc default_poll = g_main_context_get_poll_func (context);
  guint n = bench_options_scale (options, S1_QUERIES);
  double idle = options->quick ? 0.5 : 2.0;
  IdleRun run = { 0, };
  double start, setup_seconds, idle_seconds;
  guint timers;

  g_printerr ("S1-idle-wakeups: %u queries\n", n);
  start = bench_now ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuarryKey) key = bench_todo_key (BENCH_KEY_FROM_JSON, i);
      QuarryQuery *query;

      bench_set_json (client, key, bench_todo_data (i));
      query = quarry_query_new (client, key, fetch_cb, &run, NULL);
      quarry_query_set_stale_time (query, S1_STALE_MS);
      quarry_query_set_gc_time (query, S1_GC_MS);
      g_ptr_array_add (queries, query);
    }
  bench_drain ();
  setup_seconds = bench_now () - start;
  timers = quarry_clock_get_n_timers (quarry_query_client_get_clock (client));

  g_printerr ("S1-idle-wakeups: idle for %.1f s\n", idle);
  counting_run = &run;
  g_main_context_set_poll_func (context, counting_poll);
  g_timeout_add ((guint) (idle * 1000), idle_over_cb, &run);
  start = bench_now ();
  while (!run.idle_over)
    g_main_context_iteration (context, TRUE);
  idle_seconds = bench_now () - start;
  g_main_context_set_poll_func (context, default_poll);
  counting_run = NULL;

  if (run.fetcher_calls > 0)
    bench_fail ("S1-idle-wakeups", "%u fetches of fresh data", run.fetcher_calls);

  bench_line_add_no_runs (line);
  bench_line_add_uint (line, "queries", n);
  bench_line_add_double (line, "idle_seconds", idle_seconds);
  bench_line_add_uint (line, "wakeups", run.polls - 1);
  bench_line_add_double (line, "wakeups_per_second", (run.polls - 1) / idle_seconds);
  bench_line_add_uint (line, "timers", timers);
  bench_line_add_double (line, "setup_seconds", setup_seconds);
  bench_line_print (line);
}
