/* quarry-bench.c: the Quarry side of the shared benchmark workloads
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs W1–W6, S1 and S2 of shared/bench/WORKLOADS.md on Quarry's public API
 * and prints one JSON line per workload on stdout (progress goes to
 * stderr). The TanStack side is bench/node/run.mjs; bench/run runs both.
 *
 *   quarry-bench [--only W1-set,W4-fanout] [--runs N] [--quick]
 *                [--key-from builder|json|string|variant]
 *
 * Exits with 1 when an invariant of a workload fails (W2's hits, W4's
 * notifications, W6's single fetch, S2's notifications…), after printing
 * its line; with 2 for bad options.
 */

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "bench-workloads.h"

typedef struct
{
  const char *id;
  void (*run) (const BenchOptions *options);
} Workload;

static const Workload workloads[] = {
  { "W1-set", bench_w1_set },
  { "W2-get", bench_w2_get },
  { "W3-invalidate-prefix", bench_w3_invalidate_prefix },
  { "W4-fanout", bench_w4_fanout },
  { "W5-memory", bench_w5_memory },
  { "W6-dedup", bench_w6_dedup },
  { "S1-idle-wakeups", bench_s1_idle_wakeups },
  { "S2-invalidate-active", bench_s2_invalidate_active },
};

static const Workload *
find_workload (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (workloads); i++)
    if (strcmp (workloads[i].id, id) == 0)
      return &workloads[i];
  return NULL;
}

static gboolean
parse_key_from (const char    *text,
                BenchKeyFrom  *key_from)
{
  for (BenchKeyFrom k = BENCH_KEY_FROM_JSON; k <= BENCH_KEY_FROM_BUILDER; k++)
    {
      if (strcmp (text, bench_key_from_to_string (k)) == 0)
        {
          *key_from = k;
          return TRUE;
        }
    }
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *only = NULL;
  g_autofree char *key_from = NULL;
  g_autoptr(GPtrArray) selected = g_ptr_array_new ();
  BenchOptions options = { .runs = 5, .quick = FALSE, .key_from = BENCH_KEY_FROM_BUILDER };
  int runs = 5;
  GOptionEntry entries[] = {
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "Run only these workloads", "W1-set,W4-fanout,…" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs per workload, after a warm-up (5)", "N" },
    { "quick", 0, 0, G_OPTION_ARG_NONE, &options.quick, "A tenth of every size, for a smoke test", NULL },
    { "key-from", 0, 0, G_OPTION_ARG_STRING, &key_from, "How W1 and W2 build keys (builder)", "builder|json|string|variant" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("— Quarry's side of the shared benchmark workloads");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("quarry-bench: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("quarry-bench: unexpected argument “%s”\n", argv[1]);
      return 2;
    }
  if (runs < 1)
    {
      g_printerr ("quarry-bench: --runs must be at least 1\n");
      return 2;
    }
  options.runs = runs;
  if (key_from != NULL && !parse_key_from (key_from, &options.key_from))
    {
      g_printerr ("quarry-bench: --key-from takes json, string or variant, not “%s”\n", key_from);
      return 2;
    }

  if (only != NULL)
    {
      g_auto(GStrv) ids = g_strsplit (only, ",", -1);

      for (guint i = 0; ids[i] != NULL; i++)
        {
          const char *id = g_strstrip (ids[i]);
          const Workload *workload = find_workload (id);

          if (*id == '\0')
            continue;
          if (workload == NULL)
            {
              g_printerr ("quarry-bench: no workload “%s”; the workloads are:", id);
              for (guint j = 0; j < G_N_ELEMENTS (workloads); j++)
                g_printerr (" %s", workloads[j].id);
              g_printerr ("\n");
              return 2;
            }
          g_ptr_array_add (selected, (gpointer) workload);
        }
      if (selected->len == 0)
        {
          g_printerr ("quarry-bench: --only names no workload\n");
          return 2;
        }
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (workloads); i++)
        g_ptr_array_add (selected, (gpointer) &workloads[i]);
    }

  for (guint i = 0; i < selected->len; i++)
    {
      const Workload *workload = g_ptr_array_index (selected, i);

      workload->run (&options);
    }

  return bench_failed () ? EXIT_FAILURE : EXIT_SUCCESS;
}
