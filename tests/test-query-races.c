/* test-query-races.c: deduplication, cancellation, superseded and late
 * results, garbage collection, concurrency (TANSTACK.md §1.4, §1.14).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-util.h"

#define GC_TIME (5 * 60 * 1000)

/* Helpers. */

static QuarryQuery *
make_query (Fixture    *f,
            const char *key_json,
            Fetcher    *fetcher)
{
  g_autoptr(QuarryKey) key = key_new (key_json);

  return quarry_query_new (f->client, key, fetcher_func, fetcher, NULL);
}

static void
value_free (GValue *value)
{
  if (G_IS_VALUE (value))
    g_value_unset (value);
  g_free (value);
}

static void
set_data_int (Fixture    *f,
              const char *key_json,
              gint64      v)
{
  g_autoptr(QuarryKey) key = key_new (key_json);
  g_autoptr(GError) error = NULL;
  GValue *value = value_new_int (v);

  g_assert_true (quarry_query_client_set_query_data (f->client, key, value, &error));
  g_assert_no_error (error);
  value_free (value);
}

static const GValue *
cached_data (Fixture    *f,
             const char *key_json)
{
  g_autoptr(QuarryKey) key = key_new (key_json);

  return quarry_query_client_get_query_data (f->client, key);
}

static QuarryQueryState *
cached_state (Fixture    *f,
              const char *key_json)
{
  g_autoptr(QuarryKey) key = key_new (key_json);

  return quarry_query_client_get_query_state (f->client, key);
}

static gboolean
context_cancelled (Fetcher *fetcher,
                   guint    index)
{
  return g_cancellable_is_cancelled (quarry_fetch_context_get_cancellable (fetcher_take (fetcher, index)));
}

/* Mounts a query on @key_json and loads it with @v. */
static QuarryQuery *
loaded_query (Fixture    *f,
              Fetcher    *fetcher,
              const char *key_json,
              gint64      v)
{
  QuarryQuery *query = make_query (f, key_json, fetcher);
  guint calls = fetcher->calls;

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, calls + 1);
  fetcher_resolve_int (fetcher, calls, v);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, v);
  return query;
}

/* Deduplication. */

typedef struct
{
  guint done;
  GValue *value;
  GError *error;
} FetchResult;

static void
fetch_query_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  FetchResult *r = user_data;

  r->value = quarry_query_client_fetch_query_finish (QUARRY_QUERY_CLIENT (object), result, &r->error);
  r->done++;
}

static void
test_dedup (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"dedup\"]");
  QuarryQuery *queries[3];
  FetchResult r = { 0, };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    queries[i] = quarry_query_new (f->client, key, fetcher_func, fetcher, NULL);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  quarry_query_client_fetch_query_async (f->client, key, fetcher_func, fetcher, NULL, NULL,
                                         NULL, fetch_query_cb, &r);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpuint (r.done, ==, 0);

  fetcher_resolve_int (fetcher, 0, 11);
  quarry_clock_flush (f->clock);

  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpuint (r.done, ==, 1);
  g_assert_no_error (r.error);
  g_assert_cmpint (value_get_int (r.value), ==, 11);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_assert_cmpint (quarry_query_get_status (queries[i]), ==, QUARRY_STATUS_SUCCESS);
      g_assert_cmpint (value_get_int (quarry_query_get_value (queries[i])), ==, 11);
    }
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);

  g_clear_pointer (&r.value, value_free);
  g_clear_pointer (&fetcher, fetcher_free);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    g_assert_finalize_object (queries[i]);
}

/* fetch_query_async first, then the queries mount: still one call. */
static void
test_dedup_fetch_first (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"dedup\"]");
  QuarryQuery *queries[3];
  FetchResult r = { 0, };

  quarry_query_client_fetch_query_async (f->client, key, fetcher_func, fetcher, NULL, NULL,
                                         NULL, fetch_query_cb, &r);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    queries[i] = quarry_query_new (f->client, key, fetcher_func, fetcher, NULL);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    g_assert_true (quarry_query_get_is_loading (queries[i]));

  fetcher_resolve_int (fetcher, 0, 12);
  quarry_clock_flush (f->clock);

  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpuint (r.done, ==, 1);
  g_assert_cmpint (value_get_int (r.value), ==, 12);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    g_assert_cmpint (value_get_int (quarry_query_get_value (queries[i])), ==, 12);

  g_clear_pointer (&r.value, value_free);
  g_clear_pointer (&fetcher, fetcher_free);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    g_assert_finalize_object (queries[i]);
}

/* W6: a thousand queries of one key make one call. */
static void
test_dedup_thousand (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"w6\"]");
  g_autoptr(GPtrArray) queries = g_ptr_array_new ();

  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (queries, quarry_query_new (f->client, key, fetcher_func, fetcher, NULL));

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 1);

  fetcher_resolve_int (fetcher, 0, 6);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  for (guint i = 0; i < queries->len; i++)
    g_assert_cmpint (value_get_int (quarry_query_get_value (g_ptr_array_index (queries, i))), ==, 6);

  g_clear_pointer (&fetcher, fetcher_free);
  for (guint i = 0; i < queries->len; i++)
    g_assert_finalize_object (g_ptr_array_index (queries, i));
}

/* Cancellation. */

/* Cancelling a refetch reverts to the data and idle; the late result is
 * dropped. */
static void
test_cancel_reverts (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = loaded_query (f, fetcher, "[\"cancel\"]", 1);
  g_autoptr(QuarryQueryState) state = NULL;

  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_true (quarry_query_get_is_refetching (query));

  quarry_query_client_cancel_queries (f->client, NULL);
  g_assert_true (context_cancelled (fetcher, 1));
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);
  g_assert_null (quarry_query_get_error (query));
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 0);

  /* The fetch function ignores the cancellable and answers later. */
  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  state = cached_state (f, "[\"cancel\"]");
  g_assert_cmpuint (quarry_query_state_get_data_update_count (state), ==, 1);
  g_assert_cmpint (value_get_int (quarry_query_state_get_value (state)), ==, 1);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}
