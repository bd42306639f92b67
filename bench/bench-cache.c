/* bench-cache.c: W1-set, W2-get and W3-invalidate-prefix, the cache
 * operations without observers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "bench-todo.h"
#include "bench-workloads.h"

#define W1_N 100000
#define W3_N 100000
#define W3_INVALIDATIONS 100

typedef struct
{
  const BenchOptions *options;
  guint n;
  guint hits;
} CacheRun;

/* Every W1 entry: the key and the data built afresh, as the schema says. */
static void
set_todos (QuarryQueryClient *client,
           BenchKeyFrom       key_from,
           guint              n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuarryKey) key = bench_todo_key (key_from, i);

      bench_set_json (client, key, bench_todo_data (i));
    }
}

/* W1-set */

static double
w1_run (gpointer data)
{
  CacheRun *run = data;
  g_autoptr(QuarryQueryClient) client = bench_client_new ();
  double start, seconds;

  start = bench_now ();
  set_todos (client, run->options->key_from, run->n);
  seconds = bench_now () - start;

  if (quarry_query_client_get_n_entries (client) != run->n)
    bench_fail ("W1-set", "%u entries, not %u", quarry_query_client_get_n_entries (client), run->n);

  return seconds;
}

void
bench_w1_set (const BenchOptions *options)
{
  CacheRun run = { options, bench_options_scale (options, W1_N), 0 };
  g_autoptr(GArray) runs = bench_time_runs (options, "W1-set", w1_run, &run);
  g_autoptr(BenchLine) line = bench_line_new ("W1-set");

  bench_line_add_runs (line, runs);
  bench_line_add_uint (line, "n", run.n);
  bench_line_add_double (line, "per_op_us", bench_median (runs) / run.n * 1e6);
  bench_line_add_string (line, "key_from", bench_key_from_to_string (options->key_from));
  bench_line_print (line);
}

/* W2-get */

static double
w2_run (gpointer data)
{
  CacheRun *run = data;
  g_autoptr(QuarryQueryClient) client = bench_client_new ();
  double start, seconds;
  guint hits = 0;

  set_todos (client, run->options->key_from, run->n);

  start = bench_now ();
  for (guint i = 0; i < run->n; i++)
    {
      g_autoptr(QuarryKey) key = bench_todo_key (run->options->key_from, i);

      if (quarry_query_client_get_query_data (client, key) != NULL)
        hits++;
    }
  seconds = bench_now () - start;

  if (hits != run->n)
    bench_fail ("W2-get", "%u hits, not %u", hits, run->n);
  run->hits = hits;

  return seconds;
}

void
bench_w2_get (const BenchOptions *options)
{
  CacheRun run = { options, bench_options_scale (options, W1_N), 0 };
  g_autoptr(GArray) runs = bench_time_runs (options, "W2-get", w2_run, &run);
  g_autoptr(BenchLine) line = bench_line_new ("W2-get");

  bench_line_add_runs (line, runs);
  bench_line_add_uint (line, "n", run.n);
  bench_line_add_uint (line, "hits", run.hits);
  bench_line_add_double (line, "per_op_us", bench_median (runs) / run.n * 1e6);
  bench_line_add_string (line, "key_from", bench_key_from_to_string (options->key_from));
  bench_line_print (line);
}

/* W3-invalidate-prefix */

typedef struct
{
  guint n;
  guint matched;
} InvalidateRun;

static QuarryKey *
prefix_key (guint i,
            gboolean with_index)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_sized_new (2);
  char segment[16];

  g_snprintf (segment, sizeof segment, "p%u", i % 100);
  json_array_add_string_element (array, segment);
  if (with_index)
    json_array_add_int_element (array, i);
  json_node_take_array (node, array);
  return quarry_key_new_from_json (node, NULL);
}

static double
w3_run (gpointer data)
{
  InvalidateRun *run = data;
  g_autoptr(QuarryQueryClient) client = bench_client_new ();
  double start, seconds;

  for (guint i = 0; i < run->n; i++)
    {
      g_autoptr(QuarryKey) key = prefix_key (i, TRUE);

      bench_set_json (client, key, bench_todo_data (i));
    }

  start = bench_now ();
  for (guint i = 0; i < W3_INVALIDATIONS; i++)
    {
      static const char * const p7[] = { "p7", NULL };
      g_autoptr(QuarryKey) key = quarry_key_new_from_strv (p7);
      g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (key);

      quarry_query_client_invalidate_queries (client, filter, QUARRY_REFETCH_TYPE_DEFAULT);
    }
  seconds = bench_now () - start;

  /* What one invalidation matched, counted apart. */
    {
      g_autoptr(QuarryKey) key = prefix_key (7, FALSE);
      g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (key);
      g_autoptr(GPtrArray) keys = quarry_query_client_find_keys (client, filter);

      run->matched = keys->len;
      if (keys->len != run->n / 100)
        bench_fail ("W3-invalidate-prefix", "[\"p7\"] matches %u entries, not %u",
                    keys->len, run->n / 100);
    }

  return seconds;
}

void
bench_w3_invalidate_prefix (const BenchOptions *options)
{
  InvalidateRun run = { bench_options_scale (options, W3_N), 0 };
  g_autoptr(GArray) runs = bench_time_runs (options, "W3-invalidate-prefix", w3_run, &run);
  g_autoptr(BenchLine) line = bench_line_new ("W3-invalidate-prefix");

  bench_line_add_runs (line, runs);
  bench_line_add_uint (line, "n", run.n);
  bench_line_add_uint (line, "invalidations", W3_INVALIDATIONS);
  bench_line_add_uint (line, "matched", run.matched);
  bench_line_add_double (line, "per_invalidation_us", bench_median (runs) / W3_INVALIDATIONS * 1e6);
  bench_line_print (line);
}
