/* bench-invalidate-active.c: S2-invalidate-active, invalidating many active
 * queries at once
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Q queries, one per key ["s", i], each with a fetch function that
 * completes on the next main-loop iteration (an idle callback) with data
 * carrying a generation number. Once every query shows generation 0, the
 * timed section invalidates the prefix ["s"] (which refetches the active
 * entries) and runs the main loop until every query has been notified of
 * its generation 1 data.
 */

#include <stdlib.h>

#include "bench-workloads.h"

#define S2_QUERIES 1000

typedef struct _InvalidateRun InvalidateRun;

typedef struct
{
  InvalidateRun *run;
  guint index;
  guint notified;               /* in this phase */
} Slot;

struct _InvalidateRun
{
  guint n;
  Slot *slots;
  guint generation;
  guint fetcher_calls;
  guint notifications;          /* every notify::data */
  guint notified;               /* queries notified at least once */
  double end;
};

typedef struct
{
  QuarryFetchContext *context;
  Slot *slot;
} Completion;

static gboolean
complete_cb (gpointer data)
{
  Completion *completion = data;
  JsonObject *object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "index", completion->slot->index);
  json_object_set_int_member (object, "generation", completion->slot->run->generation);
  json_node_take_object (node, object);
  quarry_fetch_context_return_json (completion->context, node);

  g_object_unref (completion->context);
  g_free (completion);
  return G_SOURCE_REMOVE;
}

static void
fetch_cb (QuarryFetchContext *context,
          gpointer            user_data)
{
  Slot *slot = user_data;
  Completion *completion = g_new (Completion, 1);

  slot->run->fetcher_calls++;
  completion->context = g_object_ref (context);
  completion->slot = slot;
  g_idle_add (complete_cb, completion);
}

static void
notify_data_cb (QuarryQuery *query,
                GParamSpec  *pspec,
                Slot        *slot)
{
  InvalidateRun *run = slot->run;

  run->notifications++;
  if (slot->notified++ == 0 && ++run->notified == run->n)
    run->end = bench_now ();
}

static gboolean
all_notified (gpointer data)
{
  InvalidateRun *run = data;

  return run->notified == run->n;
}

static void
start_phase (InvalidateRun *run,
             guint          generation)
{
  run->generation = generation;
  run->fetcher_calls = 0;
  run->notifications = 0;
  run->notified = 0;
  run->end = 0;
  for (guint i = 0; i < run->n; i++)
    run->slots[i].notified = 0;
}

static double
s2_run (gpointer data)
{
  InvalidateRun *run = data;
  g_autoptr(QuarryQueryClient) client = bench_client_new ();
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(QuarryQueryFilter) filter = NULL;
  static const char * const prefix[] = { "s", NULL };
  g_autoptr(QuarryKey) prefix_key = NULL;
  double start;

  start_phase (run, 0);
  for (guint i = 0; i < run->n; i++)
    {
      g_autofree char *json = g_strdup_printf ("[\"s\", %u]", i);
      g_autoptr(QuarryKey) key = bench_key_parse (json);
      QuarryQuery *query = quarry_query_new (client, key, fetch_cb, &run->slots[i], NULL);

      g_signal_connect (query, "notify::data", G_CALLBACK (notify_data_cb), &run->slots[i]);
      g_ptr_array_add (queries, query);
    }
  if (!bench_spin_until (all_notified, run, 30, "S2's first fetches"))
    {
      bench_fail ("S2-invalidate-active", "%u of %u queries loaded", run->notified, run->n);
      exit (1);
    }

  start_phase (run, 1);
  start = bench_now ();
  prefix_key = quarry_key_new_from_strv (prefix);
  filter = quarry_query_filter_new (prefix_key);
  quarry_query_client_invalidate_queries (client, filter, QUARRY_REFETCH_TYPE_DEFAULT);
  if (!bench_spin_until (all_notified, run, 30, "S2's refetches"))
    {
      bench_fail ("S2-invalidate-active", "%u of %u queries notified", run->notified, run->n);
      exit (1);
    }

  if (run->fetcher_calls != run->n)
    bench_fail ("S2-invalidate-active", "%u fetcher calls, not %u", run->fetcher_calls, run->n);
  for (guint i = 0; i < run->n; i++)
    {
      QuarryQuery *query = g_ptr_array_index (queries, i);
      const GValue *value = quarry_query_get_value (query);
      JsonNode *node = value != NULL && G_VALUE_HOLDS (value, JSON_TYPE_NODE) ? g_value_get_boxed (value) : NULL;

      if (node == NULL || json_object_get_int_member (json_node_get_object (node), "generation") != 1)
        {
          bench_fail ("S2-invalidate-active", "query %u does not show the refetched data", i);
          break;
        }
    }

  for (guint i = 0; i < run->n; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (queries, i), &run->slots[i]);

  return run->end - start;
}

void
bench_s2_invalidate_active (const BenchOptions *options)
{
  InvalidateRun run = { .n = bench_options_scale (options, S2_QUERIES) };
  g_autoptr(GArray) runs = NULL;
  g_autoptr(BenchLine) line = bench_line_new ("S2-invalidate-active");

  run.slots = g_new0 (Slot, run.n);
  for (guint i = 0; i < run.n; i++)
    run.slots[i] = (Slot) { &run, i };

  runs = bench_time_runs (options, "S2-invalidate-active", s2_run, &run);

  bench_line_add_runs (line, runs);
  bench_line_add_uint (line, "queries", run.n);
  bench_line_add_uint (line, "notifications", run.notifications);
  bench_line_add_uint (line, "fetcher_calls", run.fetcher_calls);
  bench_line_print (line);

  g_free (run.slots);
}
