/* test-query-client.c: the cache and its bulk operations.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "quarry-test-util.h"

static gboolean
set_int (Fixture    *f,
         const char *key_json,
         gint64      v)
{
  g_autoptr(QuarryKey) key = key_new (key_json);
  GValue value = G_VALUE_INIT;
  gboolean ret;

  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, v);
  ret = quarry_query_client_set_query_data (f->client, key, &value, NULL);
  g_value_unset (&value);
  return ret;
}

static gint64
get_int (Fixture    *f,
         const char *key_json)
{
  g_autoptr(QuarryKey) key = key_new (key_json);

  return value_get_int (quarry_query_client_get_query_data (f->client, key));
}

static void
count_cb (gpointer  instance,
          gpointer  arg,
          guint    *count)
{
  (*count)++;
}

static void
count_updated_cb (QuarryQueryClient *client,
                  QuarryKey         *key,
                  QuarryQueryAction  action,
                  guint             *count)
{
  (*count)++;
}

static void
test_set_get (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(QuarryKey) key = key_new ("[\"todos\", {\"id\": 1}]");
  g_autoptr(QuarryKey) same = key_new ("[\"todos\",{\"id\":1.0}]");
  g_autoptr(QuarryQueryState) state = NULL;
  g_autoptr(JsonNode) node = json_from_string ("{\"title\":\"x\",\"done\":false}", NULL);
  g_autoptr(JsonNode) equal = json_from_string ("{\"done\":false,\"title\":\"x\"}", NULL);
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;
  guint updates = 0, added = 0;
  const GValue *stored;

  g_signal_connect (f->client, "query-updated", G_CALLBACK (count_updated_cb), &updates);
  g_signal_connect (f->client, "query-added", G_CALLBACK (count_cb), &added);

  g_assert_null (quarry_query_client_get_query_data (f->client, key));
  g_assert_null (quarry_query_client_get_query_state (f->client, key));

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, node);
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, &error));
  g_assert_no_error (error);
  g_value_unset (&value);
  g_assert_cmpuint (added, ==, 1);
  g_assert_cmpuint (updates, ==, 1);

  stored = quarry_query_client_get_query_data (f->client, same);
  g_assert_nonnull (stored);
  g_assert_true (json_node_equal (g_value_get_boxed (stored), node));
  /* What the cache holds is sealed. */
  g_assert_true (json_node_is_immutable (g_value_get_boxed (stored)));

  state = quarry_query_client_get_query_state (f->client, key);
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (quarry_query_state_get_fetch_status (state), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpuint (quarry_query_state_get_data_update_count (state), ==, 1);
  g_assert_cmpint (quarry_query_state_get_data_updated_at (state), ==, 1700000000000);
  g_assert_false (quarry_query_state_get_is_invalidated (state));

  /* Equal data (member order differs): no change, nothing notified. */
  quarry_clock_advance (f->clock, 10);
  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, equal);
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, NULL));
  g_value_unset (&value);
  g_assert_cmpuint (updates, ==, 1);
  g_clear_pointer (&state, quarry_query_state_unref);
  state = quarry_query_client_get_query_state (f->client, key);
  g_assert_cmpuint (quarry_query_state_get_data_update_count (state), ==, 1);
  g_assert_cmpint (quarry_query_state_get_data_updated_at (state), ==, 1700000000000);

  /* An unset value is refused with an error, and nothing changes. */
  g_assert_false (quarry_query_client_set_query_data (f->client, key, &value, &error));
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_NO_RESULT);
  g_assert_cmpuint (updates, ==, 1);
  g_assert_nonnull (quarry_query_client_get_query_data (f->client, key));

  g_signal_handlers_disconnect_by_data (f->client, &updates);
  g_signal_handlers_disconnect_by_data (f->client, &added);
}

static void
increment (const GValue *previous,
           GValue       *next,
           gpointer      user_data)
{
  if (previous == NULL)
    return;

  g_value_init (next, G_TYPE_INT64);
  g_value_set_int64 (next, value_get_int (previous) + 1);
}

static void
test_updater (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(QuarryKey) key = key_new ("[\"counter\"]");

  /* No data: the updater returns NULL and no entry is made. */
  g_assert_true (quarry_query_client_set_query_data_with_updater (f->client, key, increment, NULL, NULL));
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);

  set_int (f, "[\"counter\"]", 1);
  g_assert_true (quarry_query_client_set_query_data_with_updater (f->client, key, increment, NULL, NULL));
  g_assert_cmpint (get_int (f, "[\"counter\"]"), ==, 2);
}

static GPtrArray *
find (Fixture           *f,
      QuarryQueryFilter *filter)
{
  return quarry_query_client_find_keys (f->client, filter);
}

static void
assert_keys (GPtrArray  *keys,
             const char *expected)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < keys->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, quarry_key_to_string (g_ptr_array_index (keys, i)));
    }
  g_assert_cmpstr (s->str, ==, expected);
}

static gboolean
only_even (QuarryKey        *key,
           QuarryQueryState *state,
           gpointer          user_data)
{
  const GValue *value = quarry_query_state_get_value (state);

  return value != NULL && value_get_int (value) % 2 == 0;
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(QuarryKey) todos = key_new ("[\"todos\"]");
  g_autoptr(QuarryKey) page = key_new ("[\"todos\", {\"page\": 2}]");
  g_autoptr(QuarryQueryFilter) filter = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query;

  set_int (f, "[\"todos\", {\"page\": 1, \"size\": 10}]", 1);
  set_int (f, "[\"user\"]", 2);
  set_int (f, "[\"todos\", {\"page\": 2, \"size\": 10}]", 3);
  set_int (f, "[\"todos\"]", 4);
  set_int (f, "[\"todos\", \"done\"]", 6);

  keys = find (f, NULL);
  assert_keys (keys, "[\"todos\",{\"page\":1,\"size\":10}] [\"user\"] [\"todos\",{\"page\":2,\"size\":10}] [\"todos\"] [\"todos\",\"done\"]");
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* Prefix, in creation order. */
  filter = quarry_query_filter_new (todos);
  keys = find (f, filter);
  assert_keys (keys, "[\"todos\",{\"page\":1,\"size\":10}] [\"todos\",{\"page\":2,\"size\":10}] [\"todos\"] [\"todos\",\"done\"]");
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* Exact. */
  quarry_query_filter_set_exact (filter, TRUE);
  keys = find (f, filter);
  assert_keys (keys, "[\"todos\"]");
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* Partial object matching. */
  quarry_query_filter_set_exact (filter, FALSE);
  quarry_query_filter_set_key (filter, page);
  keys = find (f, filter);
  assert_keys (keys, "[\"todos\",{\"page\":2,\"size\":10}]");
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* Predicate runs last. */
  quarry_query_filter_set_key (filter, todos);
  quarry_query_filter_set_predicate (filter, only_even, NULL, NULL);
  keys = find (f, filter);
  assert_keys (keys, "[\"todos\"] [\"todos\",\"done\"]");
  g_clear_pointer (&keys, g_ptr_array_unref);
  quarry_query_filter_set_predicate (filter, NULL, NULL, NULL);

  /* Active / inactive: one query observes ["todos","done"]. */
  {
    g_autoptr(QuarryKey) done = key_new ("[\"todos\", \"done\"]");

    query = quarry_query_new (f->client, done, fetcher_func, fetcher, NULL);
    quarry_query_set_stale_time (query, QUARRY_TIME_INFINITE);
  }
  quarry_query_filter_set_query_type (filter, QUARRY_QUERY_TYPE_ACTIVE);
  keys = find (f, filter);
  assert_keys (keys, "[\"todos\",\"done\"]");
  g_clear_pointer (&keys, g_ptr_array_unref);
  quarry_query_filter_set_query_type (filter, QUARRY_QUERY_TYPE_INACTIVE);
  keys = find (f, filter);
  g_assert_cmpuint (keys->len, ==, 3);
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* Staleness: inactive entries with data are fresh whatever their age;
   * the observed one is fresh under its infinite stale time. */
  quarry_clock_advance (f->clock, 3600 * 1000);
  quarry_query_filter_set_query_type (filter, QUARRY_QUERY_TYPE_ALL);
  quarry_query_filter_set_staleness (filter, QUARRY_STALENESS_STALE);
  keys = find (f, filter);
  g_assert_cmpuint (keys->len, ==, 0);
  g_clear_pointer (&keys, g_ptr_array_unref);
  quarry_query_client_invalidate_queries (f->client, filter, QUARRY_REFETCH_TYPE_NONE);
  keys = find (f, filter);
  g_assert_cmpuint (keys->len, ==, 0);   /* the staleness filter saw only fresh entries */
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* Fetch status. */
  quarry_query_filter_set_staleness (filter, QUARRY_STALENESS_ANY);
  quarry_query_filter_set_fetch_status (filter, QUARRY_FETCH_STATUS_FETCHING);
  keys = find (f, filter);
  g_assert_cmpuint (keys->len, ==, 0);
  g_clear_pointer (&keys, g_ptr_array_unref);

  quarry_clock_flush (f->clock);
  g_assert_finalize_object (query);
}

static void
test_invalidate (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) todos = key_new ("[\"todos\"]");
  g_autoptr(QuarryKey) active_key = key_new ("[\"todos\", 1]");
  g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (todos);
  g_autoptr(QuarryQueryState) state = NULL;
  QuarryQuery *query;

  set_int (f, "[\"todos\", 2]", 2);
  query = quarry_query_new (f->client, active_key, fetcher_func, fetcher, NULL);
  quarry_query_set_stale_time (query, QUARRY_TIME_INFINITE);
  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_query_get_is_stale (query));

  /* Default refetch type: only the active entry refetches. */
  quarry_query_client_invalidate_queries (f->client, filter, QUARRY_REFETCH_TYPE_DEFAULT);
  g_assert_true (quarry_query_get_is_stale (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  {
    g_autoptr(QuarryKey) inactive = key_new ("[\"todos\", 2]");

    state = quarry_query_client_get_query_state (f->client, inactive);
    g_assert_true (quarry_query_state_get_is_invalidated (state));
    g_assert_cmpint (quarry_query_state_get_fetch_status (state), ==, QUARRY_FETCH_STATUS_IDLE);
  }
  fetcher_resolve_int (fetcher, 1, 10);
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_query_get_is_stale (query));
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 10);

  /* Static data ignores invalidation. */
  quarry_query_set_stale_time (query, QUARRY_STALE_TIME_STATIC);
  quarry_query_client_invalidate_queries (f->client, filter, QUARRY_REFETCH_TYPE_ALL);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_false (quarry_query_get_is_stale (query));

  g_assert_finalize_object (query);
}

static void
test_remove_and_reset (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(QuarryKey) todos = key_new ("[\"todos\"]");
  g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (todos);
  guint removed = 0;

  g_signal_connect (f->client, "query-removed", G_CALLBACK (count_cb), &removed);
  set_int (f, "[\"todos\", 1]", 1);
  set_int (f, "[\"todos\", 2]", 2);
  set_int (f, "[\"user\"]", 3);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 3);

  quarry_query_client_reset_queries (f->client, filter);
  {
    g_autoptr(QuarryKey) one = key_new ("[\"todos\", 1]");
    g_autoptr(QuarryQueryState) state = quarry_query_client_get_query_state (f->client, one);

    g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_PENDING);
    g_assert_false (quarry_query_state_has_data (state));
  }

  quarry_query_client_remove_queries (f->client, filter);
  g_assert_cmpuint (removed, ==, 2);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
  g_assert_cmpint (get_int (f, "[\"user\"]"), ==, 3);

  quarry_query_client_clear (f->client);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);
  g_assert_cmpuint (removed, ==, 3);
  g_signal_handlers_disconnect_by_data (f->client, &removed);
}

typedef struct
{
  GValue *value;
  GError *error;
  gboolean done;
} AsyncResult;

static void
fetch_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncResult *r = user_data;

  r->value = quarry_query_client_fetch_query_finish (QUARRY_QUERY_CLIENT (object), result, &r->error);
  r->done = TRUE;
}

static void
ensure_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncResult *r = user_data;

  r->value = quarry_query_client_ensure_query_data_finish (QUARRY_QUERY_CLIENT (object), result, &r->error);
  r->done = TRUE;
}

static void
prefetch_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AsyncResult *r = user_data;

  quarry_query_client_prefetch_query_finish (QUARRY_QUERY_CLIENT (object), result);
  r->done = TRUE;
}

static void
async_result_clear (AsyncResult *r)
{
  if (r->value != NULL)
    {
      g_value_unset (r->value);
      g_free (r->value);
    }
  g_clear_error (&r->error);
  memset (r, 0, sizeof *r);
}

static void
test_fetch_query (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(QuarryKey) key = key_new ("[\"config\"]");
  g_autoptr(QuarryKey) bad = key_new ("[\"bad\"]");
  g_autoptr(QuarryQueryOptions) fresh = quarry_query_options_new ();
  AsyncResult r = { 0 };

  instant_fetch_reset ();

  quarry_query_client_fetch_query_async (f->client, key, instant_fetch, (gpointer) "5", NULL,
                                         NULL, NULL, fetch_done_cb, &r);
  quarry_clock_flush (f->clock);
  g_assert_true (r.done);
  g_assert_no_error (r.error);
  g_assert_cmpint (value_get_int (r.value), ==, 5);
  async_result_clear (&r);

  /* stale-time 0: fetched again; with a fresh stale time: served from cache. */
  g_object_set (fresh, "stale-time", (gint64) 60000, NULL);
  quarry_query_client_fetch_query_async (f->client, key, instant_fetch, (gpointer) "6", NULL,
                                         fresh, NULL, fetch_done_cb, &r);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (instant_fetch_calls (), ==, 1);
  g_assert_cmpint (value_get_int (r.value), ==, 5);
  async_result_clear (&r);

  /* Errors reach fetch_query, without retries, and keep nothing. */
  quarry_query_client_fetch_query_async (f->client, bad, instant_fetch, (gpointer) "!nope", NULL,
                                         NULL, NULL, fetch_done_cb, &r);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (instant_fetch_calls (), ==, 2);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (r.error->message, ==, "nope");
  async_result_clear (&r);

  /* prefetch swallows it. */
  quarry_query_client_prefetch_query_async (f->client, bad, instant_fetch, (gpointer) "!nope", NULL,
                                            NULL, NULL, prefetch_done_cb, &r);
  quarry_clock_flush (f->clock);
  g_assert_true (r.done);
  async_result_clear (&r);

  /* ensure: cached data whatever its age (within gc-time). */
  quarry_clock_advance (f->clock, 60 * 1000);
  quarry_query_client_ensure_query_data_async (f->client, key, instant_fetch, (gpointer) "7", NULL,
                                               NULL, NULL, ensure_done_cb, &r);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (r.value), ==, 5);
  g_assert_cmpuint (instant_fetch_calls (), ==, 3);
  async_result_clear (&r);

  /* After gc-time without observers the entry is gone, so ensure fetches. */
  quarry_clock_advance (f->clock, 300 * 1000);
  g_assert_null (quarry_query_client_get_query_data (f->client, key));
  quarry_query_client_ensure_query_data_async (f->client, key, instant_fetch, (gpointer) "7", NULL,
                                               NULL, NULL, ensure_done_cb, &r);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (r.value), ==, 7);
  async_result_clear (&r);

  /* A missing fetch function is a clear error. */
  {
    g_autoptr(QuarryKey) none = key_new ("[\"none\"]");

    quarry_query_client_fetch_query_async (f->client, none, NULL, NULL, NULL,
                                           NULL, NULL, fetch_done_cb, &r);
    quarry_clock_flush (f->clock);
    g_assert_error (r.error, QUARRY_ERROR, QUARRY_ERROR_MISSING_FETCH_FUNC);
    async_result_clear (&r);
  }
}

static void
test_is_fetching (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) a = key_new ("[\"a\"]");
  g_autoptr(QuarryKey) b = key_new ("[\"b\"]");
  g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (a);
  QuarryQuery *qa = quarry_query_new (f->client, a, fetcher_func, fetcher, NULL);
  QuarryQuery *qb = quarry_query_new (f->client, b, fetcher_func, fetcher, NULL);
  guint notifies = 0;

  g_signal_connect (f->client, "notify::is-fetching", G_CALLBACK (count_cb), &notifies);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 2);
  g_assert_cmpuint (quarry_query_client_count_fetching (f->client, filter), ==, 1);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 1);
  fetcher_resolve_int (fetcher, 1, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 0);
  g_assert_cmpuint (notifies, ==, 4);

  /* Paused fetches do not count. */
  quarry_query_client_set_online (f->client, FALSE);
  quarry_query_refetch (qa);
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 0);
  g_assert_true (quarry_query_get_is_paused (qa));
  g_assert_cmpuint (fetcher->calls, ==, 2);
  /* Back online: the paused fetch continues, and the other stale active
   * query refetches on reconnect. */
  quarry_query_client_set_online (f->client, TRUE);
  g_assert_cmpuint (fetcher->calls, ==, 4);
  fetcher_resolve_int (fetcher, 2, 2);
  fetcher_resolve_int (fetcher, 3, 2);
  quarry_clock_flush (f->clock);

  g_signal_handlers_disconnect_by_data (f->client, &notifies);
  g_assert_finalize_object (qa);
  g_assert_finalize_object (qb);
}

static void
test_refetch_queries_async (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) a = key_new ("[\"a\"]");
  g_autoptr(QuarryKey) b = key_new ("[\"b\"]");
  QuarryQuery *qa = quarry_query_new (f->client, a, fetcher_func, fetcher, NULL);
  QuarryQuery *qb = quarry_query_new (f->client, b, fetcher_func, fetcher, NULL);
  GAsyncResult *result = NULL;
  GError *error = NULL;

  quarry_query_set_retry (qb, 0);
  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  fetcher_resolve_int (fetcher, 1, 1);
  quarry_clock_flush (f->clock);

  quarry_query_client_refetch_queries_async (f->client, NULL, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 4);
  fetcher_resolve_int (fetcher, 2, 2);
  quarry_clock_flush (f->clock);
  g_assert_null (result);

  /* A failed refetch settles too, and does not fail the operation. */
  fetcher_reject (fetcher, 3, "down");
  quarry_clock_flush (f->clock);
  g_assert_nonnull (result);
  g_assert_true (quarry_query_client_refetch_queries_finish (f->client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (quarry_query_get_is_refetch_error (qb));

  g_assert_finalize_object (qa);
  g_assert_finalize_object (qb);
}

static void
test_invalid_input (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  QuarryKey *key;

  key = quarry_key_new_from_string ("{\"not\": \"an array\"}", &error);
  g_assert_null (key);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY);
  g_clear_error (&error);

  if (g_test_undefined ())
    {
      g_test_expect_message ("Quarry", G_LOG_LEVEL_CRITICAL, "*key != NULL*");
      g_assert_null (quarry_query_client_get_query_data (f->client, NULL));
      g_test_assert_expected_messages ();

      g_test_expect_message ("Quarry", G_LOG_LEVEL_CRITICAL, "*QUARRY_IS_QUERY_CLIENT*");
      g_assert_cmpuint (quarry_query_client_get_n_entries (NULL), ==, 0);
      g_test_assert_expected_messages ();
    }
}

static void
test_short_gc_time (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"short\"]", fetcher);

  /* The entry takes the gc-time of the query that made it, even below the
   * 5 minute default; later queries can only make it longer. */
  quarry_query_set_gc_time (query, 1000);
  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (query);
  quarry_clock_advance (f->clock, 999);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);

  /* set_query_data takes the client's default gc-time. */
  g_object_set (quarry_query_client_get_default_options (f->client), "gc-time", (gint64) 50, NULL);
  set_int (f, "[\"written\"]", 1);
  quarry_clock_advance (f->clock, 50);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);
}

static void
invalidate_on_success_cb (QuarryQuery       *query,
                          QuarryQueryAction  action,
                          Fixture           *f)
{
  if (action == QUARRY_QUERY_ACTION_SUCCESS && quarry_query_get_failure_count (query) == 0 &&
      g_object_get_data (G_OBJECT (query), "armed"))
    {
      g_object_set_data (G_OBJECT (query), "armed", NULL);
      quarry_query_client_invalidate_queries (f->client, NULL, QUARRY_REFETCH_TYPE_DEFAULT);
    }
}

static void
test_is_fetching_reentrant (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"r\"]", fetcher);

  /* A handler that refetches during the success dispatch: the count stays
   * exact, and returns to 0 once everything settled. */
  g_object_set_data (G_OBJECT (query), "armed", GINT_TO_POINTER (1));
  g_signal_connect (query, "state-changed", G_CALLBACK (invalidate_on_success_cb), f);
  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 1);
  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 0);

  g_assert_finalize_object (query);
}

static void
remove_added_cb (QuarryQueryClient *client,
                 QuarryKey         *key,
                 gpointer           user_data)
{
  g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (key);

  quarry_query_filter_set_exact (filter, TRUE);
  quarry_query_client_remove_queries (client, filter);
}

static void
test_handler_removes_new_entry (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query;
  gulong id;

  /* A ::query-added handler that evicts the entry at once. */
  id = g_signal_connect (f->client, "query-added", G_CALLBACK (remove_added_cb), NULL);
  query = make_query (f, "[\"evicted\"]", fetcher);
  g_assert_true (set_int (f, "[\"also-evicted\"]", 1));
  g_signal_handler_disconnect (f->client, id);

  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 0);

  g_assert_finalize_object (query);
}

static void
record_cb (QuarryQueryClient *client,
           QuarryKey         *key,
           GString           *log)
{
  g_string_append (log, g_signal_get_invocation_hint (client)->signal_id ==
                        g_signal_lookup ("query-added", QUARRY_TYPE_QUERY_CLIENT) ? "+" : "-");
}

static void
test_remove_observed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  QuarryQuery *query = make_query (f, "[\"observed\"]", fetcher);

  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);

  /* The query moves to a fresh entry and fetches it; the old entry's removal
   * is announced before the new one's arrival. */
  g_signal_connect (f->client, "query-added", G_CALLBACK (record_cb), log);
  g_signal_connect (f->client, "query-removed", G_CALLBACK (record_cb), log);
  quarry_query_client_clear (f->client);
  g_assert_cmpstr (log->str, ==, "-+");
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 2);
  g_signal_handlers_disconnect_by_data (f->client, log);

  g_assert_finalize_object (query);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/Quarry/QueryClient/set-get", test_set_get);
  ADD ("/Quarry/QueryClient/updater", test_updater);
  ADD ("/Quarry/QueryClient/filters", test_filters);
  ADD ("/Quarry/QueryClient/invalidate", test_invalidate);
  ADD ("/Quarry/QueryClient/remove-and-reset", test_remove_and_reset);
  ADD ("/Quarry/QueryClient/fetch-query", test_fetch_query);
  ADD ("/Quarry/QueryClient/is-fetching", test_is_fetching);
  ADD ("/Quarry/QueryClient/refetch-queries-async", test_refetch_queries_async);
  ADD ("/Quarry/QueryClient/invalid-input", test_invalid_input);
  ADD ("/Quarry/QueryClient/short-gc-time", test_short_gc_time);
  ADD ("/Quarry/QueryClient/is-fetching-reentrant", test_is_fetching_reentrant);
  ADD ("/Quarry/QueryClient/handler-removes-new-entry", test_handler_removes_new_entry);
  ADD ("/Quarry/QueryClient/remove-observed", test_remove_observed);
#undef ADD

  return g_test_run ();
}
