/* test-query-races.c: deduplication, cancellation, superseded and late
 * results, garbage collection, concurrency (TANSTACK.md §1.4, §1.14).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-util.h"

#define GC_TIME (5 * 60 * 1000)

/* Helpers. */

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

/* A cancel during the first load goes back to pending and idle, without an
 * error; a waiter of that fetch fails with G_IO_ERROR_CANCELLED. */
static void
test_cancel_initial_load (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"cancel\"]");
  QuarryQuery *query = make_query (f, "[\"cancel\"]", fetcher);
  g_autoptr(QuarryQueryState) state = NULL;
  FetchResult r = { 0, };

  quarry_clock_flush (f->clock);
  g_assert_true (quarry_query_get_is_loading (query));
  quarry_query_client_fetch_query_async (f->client, key, NULL, NULL, NULL, NULL,
                                         NULL, fetch_query_cb, &r);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  quarry_query_client_cancel_queries (f->client, NULL);
  quarry_clock_flush (f->clock);

  g_assert_true (context_cancelled (fetcher, 0));
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_null (quarry_query_get_error (query));
  g_assert_null (quarry_query_get_value (query));
  g_assert_cmpuint (quarry_query_get_error_update_count (query), ==, 0);
  g_assert_cmpuint (r.done, ==, 1);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (r.value);

  /* The late answer does not count. */
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_null (quarry_query_get_value (query));
  state = quarry_query_client_get_query_state (f->client, key);
  g_assert_cmpuint (quarry_query_state_get_data_update_count (state), ==, 0);
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_PENDING);

  /* Nothing refetches on its own. */
  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  g_clear_error (&r.error);
  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* A waiter of a cancelled refetch gets the data reverted to. */
static void
test_cancel_resolves_waiter (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"cancel\"]");
  QuarryQuery *query = loaded_query (f, fetcher, "[\"cancel\"]", 1);
  FetchResult r = { 0, };

  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  /* Data is stale: the fetch shares the refetch in flight. */
  quarry_query_client_fetch_query_async (f->client, key, NULL, NULL, NULL, NULL,
                                         NULL, fetch_query_cb, &r);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  quarry_query_client_cancel_queries (f->client, NULL);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (r.done, ==, 1);
  g_assert_no_error (r.error);
  g_assert_cmpint (value_get_int (r.value), ==, 1);

  g_clear_pointer (&r.value, value_free);
  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* A superseded fetch never writes: a refetch cancels the fetch in flight
 * (which has data) and starts over; the old result, arriving last, is
 * dropped. */
static void
test_superseded_last (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = loaded_query (f, fetcher, "[\"switch\"]", 1);

  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_false (quarry_fetch_context_is_completed (fetcher_take (fetcher, 1)));

  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_true (context_cancelled (fetcher, 1));
  g_assert_false (context_cancelled (fetcher, 2));
  g_assert_true (quarry_query_get_is_refetching (query));

  fetcher_resolve_int (fetcher, 2, 3);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 3);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);

  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 3);
  g_assert_cmpint (value_get_int (cached_data (f, "[\"switch\"]")), ==, 3);
  g_assert_cmpuint (fetcher->calls, ==, 3);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* The superseded result arriving first does not end the new fetch. */
static void
test_superseded_first (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = loaded_query (f, fetcher, "[\"switch\"]", 1);

  quarry_query_refetch (query);
  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 3);

  fetcher_reject (fetcher, 1, "old");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 0);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);

  fetcher_resolve_int (fetcher, 2, 3);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 3);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* The caller of a superseded refetch piggybacks on the fetch that replaced
 * it. */
static void
refetch_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  FetchResult *r = user_data;

  r->value = quarry_query_refetch_finish (QUARRY_QUERY (object), result, &r->error);
  r->done++;
}

static void
test_superseded_waiter (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = loaded_query (f, fetcher, "[\"switch\"]", 1);
  FetchResult first = { 0, };
  FetchResult second = { 0, };

  quarry_query_refetch_async (query, NULL, refetch_cb, &first);
  quarry_query_refetch_async (query, NULL, refetch_cb, &second);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (first.done, ==, 0);

  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (first.done, ==, 0);

  fetcher_resolve_int (fetcher, 2, 3);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (first.done, ==, 1);
  g_assert_cmpuint (second.done, ==, 1);
  g_assert_no_error (first.error);
  g_assert_no_error (second.error);
  g_assert_cmpint (value_get_int (first.value), ==, 3);
  g_assert_cmpint (value_get_int (second.value), ==, 3);

  g_clear_pointer (&first.value, value_free);
  g_clear_pointer (&second.value, value_free);
  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* cancelRefetch never restarts an initial load. */
static void
test_initial_load_not_restarted (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"initial\"]", fetcher);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  quarry_query_refetch (query);
  quarry_query_refetch (query);
  quarry_query_client_refetch_queries (f->client, NULL);
  quarry_query_client_invalidate_queries (f->client, NULL, QUARRY_REFETCH_TYPE_ALL);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_false (context_cancelled (fetcher, 0));
  g_assert_true (quarry_query_get_is_loading (query));

  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* Out of order after a key change: the query shows the new key's data;
 * the old key's late result lands only in the old key's entry. */
static void
test_key_change_out_of_order (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key_a = key_new ("[\"item\",1]");
  g_autoptr(QuarryKey) key_b = key_new ("[\"item\",2]");
  QuarryQuery *query = quarry_query_new (f->client, key_a, fetcher_func, fetcher, NULL);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  quarry_query_set_key (query, key_b);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_true (quarry_key_equal (g_ptr_array_index (fetcher->keys, 0), key_a));
  g_assert_true (quarry_key_equal (g_ptr_array_index (fetcher->keys, 1), key_b));
  g_assert_true (quarry_query_get_is_loading (query));

  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 2);

  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 2);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (value_get_int (quarry_query_client_get_query_data (f->client, key_a)), ==, 1);
  g_assert_cmpint (value_get_int (quarry_query_client_get_query_data (f->client, key_b)), ==, 2);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* Invalidation during a fetch with data cancels it and starts over. */
static void
test_invalidate_during_fetch (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query;
  g_autoptr(QuarryQueryState) state = NULL;

  set_data_int (f, "[\"inv\"]", 1);
  query = make_query (f, "[\"inv\"]", fetcher);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_true (quarry_query_get_is_refetching (query));

  quarry_query_client_invalidate_queries (f->client, NULL, QUARRY_REFETCH_TYPE_DEFAULT);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_true (context_cancelled (fetcher, 0));
  g_assert_true (quarry_query_get_is_refetching (query));

  fetcher_resolve_int (fetcher, 0, 5);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);
  g_assert_true (quarry_query_get_is_fetching (query));

  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 2);
  state = cached_state (f, "[\"inv\"]");
  g_assert_false (quarry_query_state_get_is_invalidated (state));
  g_assert_cmpint (quarry_query_state_get_fetch_status (state), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* A manual write during a fetch is what a cancel reverts to. */
static void
test_manual_write_revert (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query;

  set_data_int (f, "[\"manual\"]", 1);
  query = make_query (f, "[\"manual\"]", fetcher);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  set_data_int (f, "[\"manual\"]", 5);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 5);
  /* A manual write leaves the fetch running. */
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);

  quarry_query_client_cancel_queries (f->client, NULL);
  g_assert_true (context_cancelled (fetcher, 0));
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 5);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);

  fetcher_resolve_int (fetcher, 0, 9);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 5);

  /* The revert state is the state the manual write made, not the current
   * one: a failed attempt after the write is undone by the cancel. */
  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  set_data_int (f, "[\"manual\"]", 6);
  fetcher_reject (fetcher, 1, "boom");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 1);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);

  quarry_query_client_cancel_queries (f->client, NULL);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 6);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 0);
  g_assert_null (quarry_query_get_failure_reason (query));
  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* Garbage collection. */

static void
test_gc_after_unmount (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = loaded_query (f, fetcher, "[\"gc\"]", 1);

  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
  quarry_clock_advance (f->clock, 2 * GC_TIME);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);

  g_assert_finalize_object (query);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
  quarry_clock_advance (f->clock, GC_TIME - 1);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
  g_assert_nonnull (cached_data (f, "[\"gc\"]"));
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);
  g_assert_null (cached_data (f, "[\"gc\"]"));
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);

  g_clear_pointer (&fetcher, fetcher_free);
}

/* An entry with a fetch in flight is not collected; it goes gc-time after
 * its fetch ends. */
static void
test_gc_not_during_fetch (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"gc\"]", fetcher);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_finalize_object (query);

  quarry_clock_advance (f->clock, GC_TIME);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
  quarry_clock_advance (f->clock, 3 * GC_TIME);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);

  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (cached_data (f, "[\"gc\"]")), ==, 1);

  quarry_clock_advance (f->clock, GC_TIME - 1);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);

  g_clear_pointer (&fetcher, fetcher_free);
}

/* The same with an entry that only fetch_query_async made. */
static void
test_gc_not_during_imperative_fetch (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"gc\"]");
  FetchResult r = { 0, };

  quarry_query_client_fetch_query_async (f->client, key, fetcher_func, fetcher, NULL, NULL,
                                         NULL, fetch_query_cb, &r);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  quarry_clock_advance (f->clock, 2 * GC_TIME);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
  g_assert_cmpuint (r.done, ==, 0);

  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (r.done, ==, 1);
  g_assert_cmpint (value_get_int (r.value), ==, 1);

  quarry_clock_advance (f->clock, GC_TIME - 1);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);

  g_clear_pointer (&r.value, value_free);
  g_clear_pointer (&fetcher, fetcher_free);
}

/* A query arriving before gc-time cancels the removal. */
static void
test_gc_cancelled_by_new_query (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = loaded_query (f, fetcher, "[\"gc\"]", 1);

  g_assert_finalize_object (query);
  quarry_clock_advance (f->clock, GC_TIME / 2);

  query = make_query (f, "[\"gc\"]", fetcher);
  /* The cached data shows at once while it revalidates. */
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  fetcher_resolve_int (fetcher, 1, 2);

  quarry_clock_advance (f->clock, 2 * GC_TIME);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 2);

  g_assert_finalize_object (query);
  quarry_clock_advance (f->clock, GC_TIME);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);

  g_clear_pointer (&fetcher, fetcher_free);
}

/* Concurrency EXHAUST: triggers during a fetch coalesce into one trailing
 * fetch. */
static void
test_exhaust (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query;
  FetchResult r = { 0, };

  set_data_int (f, "[\"exhaust\"]", 1);
  query = make_query (f, "[\"exhaust\"]", fetcher);
  quarry_query_set_concurrency (query, QUARRY_CONCURRENCY_EXHAUST);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  quarry_query_refetch (query);
  quarry_query_refetch_async (query, NULL, refetch_cb, &r);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_false (context_cancelled (fetcher, 0));

  fetcher_resolve_int (fetcher, 0, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 2);
  g_assert_true (quarry_query_get_is_refetching (query));
  g_assert_cmpuint (r.done, ==, 0);

  fetcher_resolve_int (fetcher, 1, 3);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 3);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpuint (r.done, ==, 1);
  g_assert_no_error (r.error);
  g_assert_cmpint (value_get_int (r.value), ==, 3);

  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  g_clear_pointer (&r.value, value_free);
  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* The library logs with the structured API (G_LOG_USE_STRUCTURED), which
 * g_test_expect_message () does not see, so expected warnings are caught by
 * a writer function: it swallows the next @expected_warnings Quarry
 * warnings matching @expected_pattern and passes everything else on. */
static guint expected_warnings;
static const char *expected_pattern;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if (expected_warnings > 0 && (log_level & G_LOG_LEVEL_WARNING))
    {
      const char *domain = NULL;
      const char *message = NULL;

      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
            domain = fields[i].value;
          else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
            message = fields[i].value;
        }

      if (g_strcmp0 (domain, "Quarry") == 0 && message != NULL &&
          g_pattern_match_simple (expected_pattern, message))
        {
          expected_warnings--;
          return G_LOG_WRITER_HANDLED;
        }
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
expect_warning (const char *pattern)
{
  g_assert_cmpuint (expected_warnings, ==, 0);
  expected_pattern = pattern;
  expected_warnings = 1;
}

static void
assert_expected_warnings (void)
{
  g_assert_cmpuint (expected_warnings, ==, 0);
}

/* Completing a context twice warns and changes nothing. */
static void
test_complete_twice (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"twice\"]", fetcher);

  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);

  expect_warning ("*more than once*");
  fetcher_resolve_int (fetcher, 0, 2);
  assert_expected_warnings ();
  expect_warning ("*more than once*");
  fetcher_reject (fetcher, 0, "late");
  assert_expected_warnings ();

  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);
  g_assert_null (quarry_query_get_error (query));

  /* Also after the result was delivered. */
  expect_warning ("*more than once*");
  fetcher_resolve_int (fetcher, 0, 3);
  assert_expected_warnings ();
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* A completion after the query and its entry are gone does nothing. */
static void
test_complete_after_removal (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"gone\"]", fetcher);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_finalize_object (query);

  quarry_query_client_remove_queries (f->client, NULL);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 0);
  g_assert_true (context_cancelled (fetcher, 0));

  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);
  g_assert_null (cached_data (f, "[\"gone\"]"));
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);

  g_clear_pointer (&fetcher, fetcher_free);
}

/* A query whose entry is removed under it: the old fetch's result does not
 * reach the entry that replaces it. */
static void
test_complete_after_removal_observed (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"gone\"]", fetcher);
  g_autoptr(QuarryQueryState) state = NULL;

  quarry_clock_flush (f->clock);
  quarry_query_client_remove_queries (f->client, NULL);
  g_assert_true (context_cancelled (fetcher, 0));
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_null (quarry_query_get_value (query));

  fetcher_reject (fetcher, 0, "late");
  quarry_clock_flush (f->clock);
  g_assert_null (quarry_query_get_error (query));
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  state = cached_state (f, "[\"gone\"]");
  if (state != NULL)
    {
      g_assert_cmpuint (quarry_query_state_get_error_update_count (state), ==, 0);
      g_assert_cmpuint (quarry_query_state_get_data_update_count (state), ==, 0);
    }

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* Unmounting while fetching. */

/* A fetch that never read its cancellable finishes and is cached. */
static void
test_unmount_fetch_finishes (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"unmount\"]", fetcher);
  g_autoptr(QuarryQueryState) state = NULL;

  quarry_clock_flush (f->clock);
  g_assert_finalize_object (query);

  state = cached_state (f, "[\"unmount\"]");
  g_assert_cmpint (quarry_query_state_get_fetch_status (state), ==, QUARRY_FETCH_STATUS_FETCHING);
  g_clear_pointer (&state, quarry_query_state_unref);

  fetcher_resolve_int (fetcher, 0, 4);
  quarry_clock_flush (f->clock);
  g_assert_false (context_cancelled (fetcher, 0));
  g_assert_cmpint (value_get_int (cached_data (f, "[\"unmount\"]")), ==, 4);
  state = cached_state (f, "[\"unmount\"]");
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (quarry_query_state_get_fetch_status (state), ==, QUARRY_FETCH_STATUS_IDLE);

  g_clear_pointer (&fetcher, fetcher_free);
}

/* A fetch that read its cancellable is cancelled and reverted. */
static void
consuming_fetch (QuarryFetchContext *context,
                 gpointer            user_data)
{
  g_assert_nonnull (quarry_fetch_context_get_cancellable (context));
  fetcher_func (context, user_data);
}

static void
test_unmount_consumed_cancels (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"unmount\"]");
  QuarryQuery *query = quarry_query_new (f->client, key, consuming_fetch, fetcher, NULL);
  g_autoptr(QuarryQueryState) state = NULL;

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_false (context_cancelled (fetcher, 0));
  g_assert_finalize_object (query);

  g_assert_true (context_cancelled (fetcher, 0));
  state = quarry_query_client_get_query_state (f->client, key);
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_PENDING);
  g_assert_cmpint (quarry_query_state_get_fetch_status (state), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_null (quarry_query_state_get_error (state));
  g_clear_pointer (&state, quarry_query_state_unref);

  fetcher_resolve_int (fetcher, 0, 4);
  quarry_clock_flush (f->clock);
  g_assert_null (quarry_query_client_get_query_data (f->client, key));

  /* It is collected gc-time after the unmount. */
  quarry_clock_advance (f->clock, GC_TIME);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);

  g_clear_pointer (&fetcher, fetcher_free);
}

/* With data, the consumed fetch reverts to that data. */
static void
test_unmount_consumed_reverts_data (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"unmount\"]");
  QuarryQuery *query;
  g_autoptr(QuarryQueryState) state = NULL;

  set_data_int (f, "[\"unmount\"]", 1);
  query = quarry_query_new (f->client, key, consuming_fetch, fetcher, NULL);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_finalize_object (query);

  g_assert_true (context_cancelled (fetcher, 0));
  state = quarry_query_client_get_query_state (f->client, key);
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (quarry_query_state_get_fetch_status (state), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpint (value_get_int (quarry_query_state_get_value (state)), ==, 1);

  fetcher_resolve_int (fetcher, 0, 4);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_client_get_query_data (f->client, key)), ==, 1);

  g_clear_pointer (&fetcher, fetcher_free);
}

/* Unmounting stops the retries of a fetch that goes on. */
static void
test_unmount_cancels_retries (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"unmount\"]");
  QuarryQuery *query = quarry_query_new (f->client, key, fetcher_func, fetcher, NULL);
  g_autoptr(QuarryQueryState) state = NULL;

  quarry_clock_flush (f->clock);
  g_assert_finalize_object (query);

  /* The attempt in flight fails: no retry. */
  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_flush (f->clock);
  state = quarry_query_client_get_query_state (f->client, key);
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpint (quarry_query_state_get_fetch_status (state), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpuint (quarry_query_state_get_failure_count (state), ==, 1);
  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  g_clear_pointer (&fetcher, fetcher_free);
}

/* Unmounting while a retry waits: the retry does not run, the fetch fails
 * when its delay ends. */
static void
test_unmount_during_retry_delay (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"unmount\"]");
  QuarryQuery *query = quarry_query_new (f->client, key, fetcher_func, fetcher, NULL);
  g_autoptr(QuarryQueryState) state = NULL;

  quarry_clock_flush (f->clock);
  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 1);
  g_assert_finalize_object (query);

  quarry_clock_advance (f->clock, 1000);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  state = quarry_query_client_get_query_state (f->client, key);
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpint (quarry_query_state_get_fetch_status (state), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpuint (quarry_query_state_get_failure_count (state), ==, 2);
  g_assert_cmpuint (quarry_query_state_get_error_update_count (state), ==, 1);

  g_clear_pointer (&fetcher, fetcher_free);
}

/* A query that mounts again before the retry re-enables retrying on the
 * same fetch. */
static void
test_remount_reenables_retries (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"unmount\"]");
  QuarryQuery *query = quarry_query_new (f->client, key, fetcher_func, fetcher, NULL);

  quarry_clock_flush (f->clock);
  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (query);

  quarry_clock_advance (f->clock, 500);
  query = quarry_query_new (f->client, key, fetcher_func, fetcher, NULL);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 1);
  g_assert_true (quarry_query_get_is_fetching (query));

  quarry_clock_advance (f->clock, 500);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  fetcher_resolve_int (fetcher, 1, 8);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 8);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* A retry paused for focus whose query unmounts fails when the focus
 * returns, without another attempt. */
static void
test_unmount_paused_retry (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"unmount\"]");
  QuarryQuery *query = quarry_query_new (f->client, key, fetcher_func, fetcher, NULL);
  g_autoptr(QuarryQueryState) state = NULL;

  quarry_clock_flush (f->clock);
  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_flush (f->clock);
  quarry_query_client_set_focused (f->client, FALSE);
  quarry_clock_advance (f->clock, 1000);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_PAUSED);
  g_assert_finalize_object (query);

  /* Paused, it is not collected. */
  quarry_clock_advance (f->clock, 2 * GC_TIME);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);

  quarry_query_client_set_focused (f->client, TRUE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  state = quarry_query_client_get_query_state (f->client, key);
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpint (quarry_query_state_get_fetch_status (state), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_error (quarry_query_state_get_error (state), G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (quarry_query_state_get_error (state)->message, ==, "boom");
  g_assert_cmpuint (quarry_query_state_get_failure_count (state), ==, 2);

  quarry_clock_advance (f->clock, GC_TIME);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);

  g_clear_pointer (&fetcher, fetcher_free);
}

/* An initial fetch paused offline is cancelled when its query unmounts. */
static void
test_unmount_paused_initial (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"unmount\"]");
  QuarryQuery *query;
  g_autoptr(QuarryQueryState) state = NULL;

  quarry_query_client_set_online (f->client, FALSE);
  query = quarry_query_new (f->client, key, fetcher_func, fetcher, NULL);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_PAUSED);
  g_assert_finalize_object (query);

  state = quarry_query_client_get_query_state (f->client, key);
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_PENDING);
  g_assert_cmpint (quarry_query_state_get_fetch_status (state), ==, QUARRY_FETCH_STATUS_IDLE);

  quarry_query_client_set_online (f->client, TRUE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 0);

  quarry_clock_advance (f->clock, GC_TIME);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);

  g_clear_pointer (&fetcher, fetcher_free);
}

/* Going back to a key whose fetch still runs shares that fetch. */
static void
test_key_change_back (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key_a = key_new ("[\"item\",1]");
  g_autoptr(QuarryKey) key_b = key_new ("[\"item\",2]");
  QuarryQuery *query = quarry_query_new (f->client, key_a, fetcher_func, fetcher, NULL);

  quarry_clock_flush (f->clock);
  quarry_query_set_key (query, key_b);
  quarry_clock_flush (f->clock);
  quarry_query_set_key (query, key_a);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_true (quarry_query_get_is_loading (query));

  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);
  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);
  g_assert_cmpint (value_get_int (quarry_query_client_get_query_data (f->client, key_b)), ==, 2);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* Removing an entry while a retry waits disarms the retry. */
static void
test_remove_during_retry_delay (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"gone\"]", fetcher);

  quarry_clock_flush (f->clock);
  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (query);

  quarry_query_client_remove_queries (f->client, NULL);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);
  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  g_clear_pointer (&fetcher, fetcher_free);
}

/* A refetch while a retry of a refetch waits starts over (switch). */
static void
test_refetch_during_retry_delay (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = loaded_query (f, fetcher, "[\"switch\"]", 1);

  quarry_query_refetch (query);
  fetcher_reject (fetcher, 1, "boom");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 1);

  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 0);
  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (fetcher->calls, ==, 3);

  fetcher_resolve_int (fetcher, 2, 3);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 3);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* Removing an entry whose first fetch waits offline. */
static void
test_remove_paused_offline (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"gone\"]");
  FetchResult r = { 0, };

  quarry_query_client_set_online (f->client, FALSE);
  quarry_query_client_fetch_query_async (f->client, key, fetcher_func, fetcher, NULL, NULL,
                                         NULL, fetch_query_cb, &r);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 0);
  g_assert_cmpuint (r.done, ==, 0);

  quarry_query_client_remove_queries (f->client, NULL);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (r.done, ==, 1);
  g_assert_error (r.error, QUARRY_ERROR, QUARRY_ERROR_REMOVED);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);

  quarry_query_client_set_online (f->client, TRUE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 0);

  g_clear_error (&r.error);
  g_clear_pointer (&fetcher, fetcher_free);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/Quarry/Races/dedup", test_dedup);
  ADD ("/Quarry/Races/dedup-fetch-first", test_dedup_fetch_first);
  ADD ("/Quarry/Races/dedup-thousand", test_dedup_thousand);
  ADD ("/Quarry/Races/cancel/reverts", test_cancel_reverts);
  ADD ("/Quarry/Races/cancel/initial-load", test_cancel_initial_load);
  ADD ("/Quarry/Races/cancel/resolves-waiter", test_cancel_resolves_waiter);
  ADD ("/Quarry/Races/superseded/old-last", test_superseded_last);
  ADD ("/Quarry/Races/superseded/old-first", test_superseded_first);
  ADD ("/Quarry/Races/superseded/waiter", test_superseded_waiter);
  ADD ("/Quarry/Races/initial-load-not-restarted", test_initial_load_not_restarted);
  ADD ("/Quarry/Races/key-change-out-of-order", test_key_change_out_of_order);
  ADD ("/Quarry/Races/invalidate-during-fetch", test_invalidate_during_fetch);
  ADD ("/Quarry/Races/manual-write-revert", test_manual_write_revert);
  ADD ("/Quarry/Races/gc/after-unmount", test_gc_after_unmount);
  ADD ("/Quarry/Races/gc/not-during-fetch", test_gc_not_during_fetch);
  ADD ("/Quarry/Races/gc/not-during-imperative-fetch", test_gc_not_during_imperative_fetch);
  ADD ("/Quarry/Races/gc/cancelled-by-new-query", test_gc_cancelled_by_new_query);
  ADD ("/Quarry/Races/exhaust", test_exhaust);
  ADD ("/Quarry/Races/complete/twice", test_complete_twice);
  ADD ("/Quarry/Races/complete/after-removal", test_complete_after_removal);
  ADD ("/Quarry/Races/complete/after-removal-observed", test_complete_after_removal_observed);
  ADD ("/Quarry/Races/unmount/fetch-finishes", test_unmount_fetch_finishes);
  ADD ("/Quarry/Races/unmount/consumed-cancels", test_unmount_consumed_cancels);
  ADD ("/Quarry/Races/unmount/consumed-reverts-data", test_unmount_consumed_reverts_data);
  ADD ("/Quarry/Races/unmount/cancels-retries", test_unmount_cancels_retries);
  ADD ("/Quarry/Races/unmount/during-retry-delay", test_unmount_during_retry_delay);
  ADD ("/Quarry/Races/unmount/remount-reenables-retries", test_remount_reenables_retries);
  ADD ("/Quarry/Races/unmount/paused-retry", test_unmount_paused_retry);
  ADD ("/Quarry/Races/unmount/paused-initial", test_unmount_paused_initial);
  ADD ("/Quarry/Races/key-change-back", test_key_change_back);
  ADD ("/Quarry/Races/complete/remove-during-retry-delay", test_remove_during_retry_delay);
  ADD ("/Quarry/Races/complete/remove-paused-offline", test_remove_paused_offline);
  ADD ("/Quarry/Races/superseded/during-retry-delay", test_refetch_during_retry_delay);

#undef ADD

  return g_test_run ();
}
