/* bench-util.c: timing, main-loop spinning and JSON lines for quarry-bench
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-util.h"

static gboolean failed;

guint
bench_options_scale (const BenchOptions *options,
                     guint               size)
{
  return options->quick ? MAX (size / 10, 1) : size;
}

const char *
bench_key_from_to_string (BenchKeyFrom key_from)
{
  switch (key_from)
    {
    case BENCH_KEY_FROM_JSON:
      return "json";
    case BENCH_KEY_FROM_STRING:
      return "string";
    case BENCH_KEY_FROM_VARIANT:
      return "variant";
    case BENCH_KEY_FROM_BUILDER:
      return "builder";
    default:
      g_assert_not_reached ();
    }
}

double
bench_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

GArray *
bench_time_runs (const BenchOptions *options,
                 const char         *workload,
                 BenchRunFunc        run,
                 gpointer            data)
{
  GArray *runs = g_array_sized_new (FALSE, FALSE, sizeof (double), options->runs);

  g_printerr ("%s: warm-up\n", workload);
  run (data);

  for (guint i = 0; i < options->runs; i++)
    {
      double seconds = run (data);

      g_printerr ("%s: run %u: %.6f s\n", workload, i + 1, seconds);
      g_array_append_val (runs, seconds);
    }

  return runs;
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
bench_spin_until (BenchCondition  condition,
                  gpointer        data,
                  double          timeout_seconds,
                  const char     *what)
{
  GMainContext *context = g_main_context_ref_thread_default ();
  gboolean timed_out = FALSE;
  GSource *timeout = g_timeout_source_new ((guint) (timeout_seconds * 1000));

  g_source_set_callback (timeout, timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  g_source_unref (timeout);
  g_main_context_unref (context);

  if (timed_out && !condition (data))
    {
      g_printerr ("timed out after %.0f s waiting for %s\n", timeout_seconds, what);
      return FALSE;
    }
  return TRUE;
}

void
bench_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

QuarryQueryClient *
bench_client_new (void)
{
  QuarryQueryClient *client = quarry_query_client_new ();

  quarry_query_client_set_network_monitor (client, NULL);
  return client;
}

QuarryKey *
bench_key_parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  QuarryKey *key = quarry_key_new_from_string (json, &error);

  if (key == NULL)
    g_error ("bad key %s: %s", json, error->message);
  return key;
}

void
bench_set_json (QuarryQueryClient *client,
                QuarryKey         *key,
                JsonNode          *node)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_take_boxed (&value, node);
  if (!quarry_query_client_set_query_data (client, key, &value, &error))
    g_error ("set_query_data: %s", error->message);
}

void
bench_fail (const char *workload,
            const char *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: FAILED: %s\n", workload, message);
  failed = TRUE;
}

gboolean
bench_failed (void)
{
  return failed;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return da < db ? -1 : da > db ? 1 : 0;
}

double
bench_median (GArray *runs)
{
  g_autofree double *sorted = NULL;
  guint n = runs->len;

  g_return_val_if_fail (n > 0, 0);

  sorted = g_memdup2 (runs->data, n * sizeof (double));
  qsort (sorted, n, sizeof (double), compare_doubles);
  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/* JSON lines */

struct _BenchLine
{
  GString *text;
};

static void
append_name (BenchLine  *self,
             const char *name)
{
  g_string_append_printf (self->text, ", \"%s\": ", name);
}

static void
append_double (GString *text,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (text, g_ascii_formatd (buffer, sizeof buffer, "%.9g", value));
}

BenchLine *
bench_line_new (const char *workload)
{
  BenchLine *self = g_new0 (BenchLine, 1);

  self->text = g_string_new (NULL);
  g_string_append_printf (self->text, "{\"workload\": \"%s\", \"side\": \"quarry\"", workload);
  return self;
}

void
bench_line_add_runs (BenchLine *self,
                     GArray    *runs)
{
  append_name (self, "seconds");
  append_double (self->text, bench_median (runs));
  append_name (self, "runs");
  g_string_append_c (self->text, '[');
  for (guint i = 0; i < runs->len; i++)
    {
      if (i > 0)
        g_string_append (self->text, ", ");
      append_double (self->text, g_array_index (runs, double, i));
    }
  g_string_append_c (self->text, ']');
}

void
bench_line_add_no_runs (BenchLine *self)
{
  g_string_append (self->text, ", \"seconds\": null, \"runs\": []");
}

void
bench_line_add_uint (BenchLine  *self,
                     const char *name,
                     guint64     value)
{
  append_name (self, name);
  g_string_append_printf (self->text, "%" G_GUINT64_FORMAT, value);
}

void
bench_line_add_double (BenchLine  *self,
                       const char *name,
                       double      value)
{
  append_name (self, name);
  append_double (self->text, value);
}

void
bench_line_add_string (BenchLine  *self,
                       const char *name,
                       const char *value)
{
  /* Only the runner's own identifiers: nothing to escape. */
  g_assert (strpbrk (value, "\"\\") == NULL);

  append_name (self, name);
  g_string_append_printf (self->text, "\"%s\"", value);
}

void
bench_line_print (BenchLine *self)
{
  fprintf (stdout, "%s}\n", self->text->str);
  fflush (stdout);
}

void
bench_line_free (BenchLine *self)
{
  g_string_free (self->text, TRUE);
  g_free (self);
}
