/* bench-dedup.c: W6-dedup, concurrent fetches of one key share one fetch
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * M quarry_query_client_fetch_query_async() calls for one key, started from
 * one main-loop iteration (an idle callback), each with the fetch function;
 * the fetch function completes after a real 10 ms timer. Timed from the
 * first call to the last callback.
 */

#include <stdlib.h>

#include "bench-workloads.h"

#define W6_M 1000
#define W6_FETCH_MS 10

typedef struct
{
  QuarryQueryClient *client;
  QuarryKey *key;
  guint m;
  guint fetcher_calls;
  guint callbacks;
  guint missing;
  double start;
  double end;
} DedupRun;

static gboolean
complete_cb (gpointer data)
{
  QuarryFetchContext *context = data;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "title", "fetched");
  json_node_take_object (node, object);
  quarry_fetch_context_return_json (context, node);
  return G_SOURCE_REMOVE;
}

static void
fetch_cb (QuarryFetchContext *context,
          gpointer            user_data)
{
  DedupRun *run = user_data;

  run->fetcher_calls++;
  g_timeout_add_full (G_PRIORITY_DEFAULT, W6_FETCH_MS, complete_cb,
                      g_object_ref (context), g_object_unref);
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  DedupRun *run = user_data;
  g_autoptr(GError) error = NULL;
  GValue *value = quarry_query_client_fetch_query_finish (QUARRY_QUERY_CLIENT (source), result, &error);

  if (value == NULL)
    {
      g_printerr ("W6-dedup: fetch failed: %s\n", error->message);
      run->missing++;
    }
  else
    {
      g_value_unset (value);
      g_free (value);
    }

  if (++run->callbacks == run->m)
    run->end = bench_now ();
}

static gboolean
start_cb (gpointer data)
{
  DedupRun *run = data;

  run->start = bench_now ();
  for (guint i = 0; i < run->m; i++)
    quarry_query_client_fetch_query_async (run->client, run->key, fetch_cb, run, NULL,
                                           NULL, NULL, fetched_cb, run);
  return G_SOURCE_REMOVE;
}

static gboolean
all_called_back (gpointer data)
{
  DedupRun *run = data;

  return run->callbacks == run->m;
}

static double
w6_run (gpointer data)
{
  DedupRun *run = data;
  g_autoptr(QuarryQueryClient) client = bench_client_new ();
  g_autoptr(QuarryKey) key = bench_key_parse ("[\"dedup\"]");

  run->client = client;
  run->key = key;
  run->fetcher_calls = 0;
  run->callbacks = 0;
  run->missing = 0;

  g_idle_add (start_cb, run);
  if (!bench_spin_until (all_called_back, run, 30, "W6's callbacks"))
    {
      bench_fail ("W6-dedup", "%u of %u callbacks", run->callbacks, run->m);
      /* Late callbacks would find this run's state gone. */
      exit (1);
    }

  if (run->fetcher_calls != 1)
    bench_fail ("W6-dedup", "%u fetcher calls, not 1", run->fetcher_calls);
  if (run->missing > 0)
    bench_fail ("W6-dedup", "%u fetches failed", run->missing);

  run->client = NULL;
  run->key = NULL;
  return run->end - run->start;
}

void
bench_w6_dedup (const BenchOptions *options)
{
  DedupRun run = { .m = bench_options_scale (options, W6_M) };
  g_autoptr(GArray) runs = bench_time_runs (options, "W6-dedup", w6_run, &run);
  g_autoptr(BenchLine) line = bench_line_new ("W6-dedup");

  bench_line_add_runs (line, runs);
  bench_line_add_uint (line, "m", run.m);
  bench_line_add_uint (line, "fetcher_calls", run.fetcher_calls);
  bench_line_add_uint (line, "fetch_ms", W6_FETCH_MS);
  bench_line_print (line);
}
