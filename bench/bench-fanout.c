/* bench-fanout.c: W4-fanout, one key with many live queries
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * K queries observe one key, each with a notify::data handler counting its
 * own notifications; R updates write distinct data with
 * quarry_query_client_set_query_data(). The queries are made with data in
 * the cache and an infinite stale time, so that mounting fetches nothing.
 * Notifications are synchronous: each lands inside the timed section.
 */

#include "bench-workloads.h"

#define W4_K 10000
#define W4_R 100

typedef struct
{
  guint k;
  guint64 notifications;
} FanoutRun;

static void
notify_data_cb (QuarryQuery *query,
                GParamSpec  *pspec,
                guint       *count)
{
  (*count)++;
}

static JsonNode *
update_data (guint r)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;

  json_object_set_int_member (object, "update", r);
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

static double
w4_run (gpointer data)
{
  FanoutRun *run = data;
  g_autoptr(QuarryQueryClient) client = bench_client_new ();
  g_autoptr(QuarryKey) key = bench_key_parse ("[\"fanout\"]");
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree guint *counts = g_new0 (guint, run->k);
  double start, seconds;

  bench_set_json (client, key, update_data (0));
  for (guint i = 0; i < run->k; i++)
    {
      QuarryQuery *query = quarry_query_new (client, key, NULL, NULL, NULL);

      quarry_query_set_stale_time (query, QUARRY_TIME_INFINITE);
      g_signal_connect (query, "notify::data", G_CALLBACK (notify_data_cb), &counts[i]);
      g_ptr_array_add (queries, query);
    }
  bench_drain ();

  start = bench_now ();
  for (guint r = 1; r <= W4_R; r++)
    bench_set_json (client, key, update_data (r));
  seconds = bench_now () - start;

  run->notifications = 0;
  for (guint i = 0; i < run->k; i++)
    {
      if (counts[i] != W4_R)
        {
          bench_fail ("W4-fanout", "query %u was told of %u updates, not %u", i, counts[i], W4_R);
          break;
        }
    }
  for (guint i = 0; i < run->k; i++)
    run->notifications += counts[i];
  if (run->notifications != (guint64) run->k * W4_R)
    bench_fail ("W4-fanout", "%" G_GUINT64_FORMAT " notifications, not %u",
                run->notifications, run->k * W4_R);

  for (guint i = 0; i < run->k; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (queries, i), &counts[i]);

  return seconds;
}

void
bench_w4_fanout (const BenchOptions *options)
{
  FanoutRun run = { bench_options_scale (options, W4_K), 0 };
  g_autoptr(GArray) runs = bench_time_runs (options, "W4-fanout", w4_run, &run);
  g_autoptr(BenchLine) line = bench_line_new ("W4-fanout");
  double seconds = bench_median (runs);

  bench_line_add_runs (line, runs);
  bench_line_add_uint (line, "observers", run.k);
  bench_line_add_uint (line, "updates", W4_R);
  bench_line_add_uint (line, "notifications", run.notifications);
  bench_line_add_double (line, "per_notification_us", seconds / ((double) run.k * W4_R) * 1e6);
  bench_line_print (line);
}
