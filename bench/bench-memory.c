/* bench-memory.c: W5-memory, bytes per cached entry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * glibc's mallinfo2().uordblks (bytes in allocated chunks, headers
 * included) before and after caching W1's N entries, divided by N, with the
 * data kept alive by the cache. A first pass, dropped, settles the
 * allocator's pools.
 *
 * It runs in a child process with G_SLICE=always-malloc. GLib 2.74's slice
 * allocator keeps freed chunks in its magazines, where malloc still counts
 * them as in use: after the warm-up pass (or earlier workloads) the
 * measured pass would reuse them unseen, and W1's entries measured 918
 * bytes instead of 1754 (1761 with always-malloc; resident memory grew by
 * 1825 and 1879 bytes per entry). Without the warm-up, slices and malloc
 * give the same figure within 1 %: always-malloc changes what is counted,
 * not what is used.
 *
 * The measured pass goes in steps, so that the total splits into:
 * - key_bytes: the N keys, built as W1 builds them;
 * - data_bytes: the N JSON objects {"id", "title", "done"};
 * - entry_bytes: what caching them adds: the entry and its state, the
 *   stored (sealed) copy of the data node, the hash table, the prefix index
 *   and the gc timer.
 * Then the benchmark drops its own references to keys and data, so that
 * only the cache holds them; bytes_per_entry is the total after that.
 */

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench-todo.h"
#include "bench-workloads.h"

#define W5_N 100000

static gint64
heap_bytes (void)
{
  struct mallinfo2 info = mallinfo2 ();

  /* Chunks in the heap and the large blocks glibc maps on their own (big
   * hash table and index arrays). */
  return (gint64) (info.uordblks + info.hblkhd);
}

static gint64
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size, resident;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;
  return (gint64) resident * sysconf (_SC_PAGESIZE);
}

typedef struct
{
  gint64 keys;
  gint64 data;
  gint64 entries;
  gint64 total;
  gint64 resident;
} Figures;

static void
fill (guint               n,
      const BenchOptions *options,
      Figures            *figures)
{
  g_autoptr(QuarryQueryClient) client = bench_client_new ();
  g_autoptr(GPtrArray) keys = g_ptr_array_new_full (n, (GDestroyNotify) quarry_key_unref);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_full (n, (GDestroyNotify) json_node_unref);
  gint64 start, after_keys, after_data, after_entries, end;
  gint64 resident_start;

  malloc_trim (0);
  resident_start = resident_bytes ();
  start = heap_bytes ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (keys, bench_todo_key (options->key_from, i));
  after_keys = heap_bytes ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (nodes, bench_todo_data (i));
  after_data = heap_bytes ();

  for (guint i = 0; i < n; i++)
    bench_set_json (client, g_ptr_array_index (keys, i),
                    json_node_ref (g_ptr_array_index (nodes, i)));
  after_entries = heap_bytes ();

  /* Only the cache holds them now. */
  g_ptr_array_set_size (keys, 0);
  g_ptr_array_set_size (nodes, 0);
  end = heap_bytes ();

  if (end - start <= 0)
    bench_fail ("W5-memory", "mallinfo2() counted nothing (a memory checker replaces malloc?)");
  if (quarry_query_client_get_n_entries (client) != n)
    bench_fail ("W5-memory", "%u entries, not %u", quarry_query_client_get_n_entries (client), n);

  figures->keys = after_keys - start;
  figures->data = after_data - after_keys;
  figures->entries = after_entries - after_data;
  figures->total = end - start;
  figures->resident = resident_bytes () - resident_start;
}

/* Runs W5 alone in a child process with G_SLICE=always-malloc, whose line
 * goes to the same stdout. */
static void
run_child (const BenchOptions *options)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "G_SLICE", "always-malloc", TRUE);
  g_autoptr(GError) error = NULL;
  const char *argv[] = {
    self, "--only", "W5-memory", "--key-from", bench_key_from_to_string (options->key_from),
    options->quick ? "--quick" : NULL, NULL
  };
  int status;

  if (self == NULL)
    g_error ("W5-memory: cannot find its own executable");

  fflush (stdout);
  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    bench_fail ("W5-memory", "%s", error->message);
}

void
bench_w5_memory (const BenchOptions *options)
{
  g_autoptr(BenchLine) line = NULL;
  guint n = bench_options_scale (options, W5_N);
  Figures figures;

  if (g_strcmp0 (g_getenv ("G_SLICE"), "always-malloc") != 0)
    {
      run_child (options);
      return;
    }

  line = bench_line_new ("W5-memory");
  g_printerr ("W5-memory: warm-up\n");
  fill (n, options, &figures);
  g_printerr ("W5-memory: measuring\n");
  fill (n, options, &figures);

  bench_line_add_no_runs (line);
  bench_line_add_uint (line, "n", n);
  bench_line_add_double (line, "bytes_per_entry", (double) figures.total / n);
  bench_line_add_string (line, "method", "mallinfo2 uordblks+hblkhd, G_SLICE=always-malloc");
  bench_line_add_double (line, "key_bytes", (double) figures.keys / n);
  bench_line_add_double (line, "data_bytes", (double) figures.data / n);
  bench_line_add_double (line, "entry_bytes", (double) figures.entries / n);
  bench_line_add_double (line, "rss_bytes_per_entry", (double) figures.resident / n);
  bench_line_print (line);
}
