/* quarry-test-util.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-util.h"

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->clock = quarry_clock_new_manual (1700000000000);
  f->client = quarry_query_client_new_with_clock (f->clock);
  g_assert_true (quarry_query_client_get_online (f->client));
  g_assert_true (quarry_query_client_get_focused (f->client));
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  quarry_query_client_clear (f->client);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (f->client);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);
  g_assert_finalize_object (f->clock);
}

Fetcher *
fetcher_new (void)
{
  Fetcher *fetcher = g_new0 (Fetcher, 1);

  fetcher->pending = g_ptr_array_new_with_free_func (g_object_unref);
  fetcher->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) quarry_key_unref);
  return fetcher;
}

void
fetcher_free (Fetcher *fetcher)
{
  for (guint i = 0; i < fetcher->pending->len; i++)
    {
      QuarryFetchContext *context = g_ptr_array_index (fetcher->pending, i);

      if (context != NULL && !quarry_fetch_context_is_completed (context))
        quarry_fetch_context_return_error_literal (context, G_IO_ERROR, G_IO_ERROR_CANCELLED, "test over");
    }
  g_ptr_array_unref (fetcher->pending);
  g_ptr_array_unref (fetcher->keys);
  g_free (fetcher);
}

void
fetcher_func (QuarryFetchContext *context,
              gpointer            user_data)
{
  Fetcher *fetcher = user_data;

  fetcher->calls++;
  g_ptr_array_add (fetcher->pending, g_object_ref (context));
  g_ptr_array_add (fetcher->keys, quarry_key_ref (quarry_fetch_context_get_key (context)));
}

QuarryFetchContext *
fetcher_take (Fetcher *fetcher,
              guint    index)
{
  g_assert_cmpuint (index, <, fetcher->pending->len);
  return g_ptr_array_index (fetcher->pending, index);
}

void
fetcher_resolve_int (Fetcher *fetcher,
                     guint    index,
                     gint64   v)
{
  GValue value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, v);
  quarry_fetch_context_return_value (fetcher_take (fetcher, index), &value);
  g_value_unset (&value);
}

void
fetcher_resolve_json (Fetcher    *fetcher,
                      guint       index,
                      const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  quarry_fetch_context_return_json (fetcher_take (fetcher, index), node);
}

void
fetcher_reject (Fetcher    *fetcher,
                guint       index,
                const char *message)
{
  quarry_fetch_context_return_error_literal (fetcher_take (fetcher, index),
                                             G_IO_ERROR, G_IO_ERROR_FAILED, message);
}

Mutator *
mutator_new (void)
{
  Mutator *mutator = g_new0 (Mutator, 1);

  mutator->pending = g_ptr_array_new_with_free_func (g_object_unref);
  mutator->variables = g_ptr_array_new_with_free_func (g_free);
  return mutator;
}

void
mutator_free (Mutator *mutator)
{
  for (guint i = 0; i < mutator->pending->len; i++)
    {
      QuarryFetchContext *context = g_ptr_array_index (mutator->pending, i);

      if (!quarry_fetch_context_is_completed (context))
        quarry_fetch_context_return_error_literal (context, G_IO_ERROR, G_IO_ERROR_CANCELLED, "test over");
    }
  g_ptr_array_unref (mutator->pending);
  g_ptr_array_unref (mutator->variables);
  g_free (mutator);
}

void
mutator_func (QuarryFetchContext *context,
              const GValue       *variables,
              gpointer            user_data)
{
  Mutator *mutator = user_data;

  mutator->calls++;
  g_ptr_array_add (mutator->pending, g_object_ref (context));
  g_ptr_array_add (mutator->variables, variables ? value_to_json (variables) : g_strdup ("null"));
}

void
mutator_resolve_json (Mutator    *mutator,
                      guint       index,
                      const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_cmpuint (index, <, mutator->pending->len);
  g_assert_nonnull (node);
  quarry_fetch_context_return_json (g_ptr_array_index (mutator->pending, index), node);
}

void
mutator_reject (Mutator    *mutator,
                guint       index,
                const char *message)
{
  g_assert_cmpuint (index, <, mutator->pending->len);
  quarry_fetch_context_return_error_literal (g_ptr_array_index (mutator->pending, index),
                                             G_IO_ERROR, G_IO_ERROR_FAILED, message);
}

static guint instant_calls;

void
instant_fetch (QuarryFetchContext *context,
               gpointer            user_data)
{
  const char *json = user_data;

  instant_calls++;
  if (json[0] == '!')
    quarry_fetch_context_return_error_literal (context, G_IO_ERROR, G_IO_ERROR_FAILED, json + 1);
  else
    {
      g_autoptr(JsonNode) node = json_from_string (json, NULL);

      quarry_fetch_context_return_json (context, node);
    }
}

guint
instant_fetch_calls (void)
{
  return instant_calls;
}

void
instant_fetch_reset (void)
{
  instant_calls = 0;
}

QuarryKey *
key_new (const char *json)
{
  g_autoptr(GError) error = NULL;
  QuarryKey *key = quarry_key_new_from_string (json, &error);

  g_assert_no_error (error);
  return key;
}

GValue *
value_new_int (gint64 v)
{
  GValue *value = g_new0 (GValue, 1);

  g_value_init (value, G_TYPE_INT64);
  g_value_set_int64 (value, v);
  return value;
}

gint64
value_get_int (const GValue *value)
{
  g_assert_nonnull (value);
  if (G_VALUE_HOLDS (value, JSON_TYPE_NODE))
    return json_node_get_int (g_value_get_boxed (value));
  g_assert_true (G_VALUE_HOLDS_INT64 (value));
  return g_value_get_int64 (value);
}

char *
value_to_json (const GValue *value)
{
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS (value, JSON_TYPE_NODE));
  return json_to_string (g_value_get_boxed (value), FALSE);
}

QuarryQuery *
make_query (Fixture    *f,
            const char *key_json,
            Fetcher    *fetcher)
{
  g_autoptr(QuarryKey) key = key_json ? key_new (key_json) : NULL;

  return quarry_query_new (f->client, key, fetcher_func, fetcher, NULL);
}

void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  GHashTable *counts = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

guint
count_of (GHashTable *counts,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}
