/* test-query-client.c: the cache and its bulk operations.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "quarry-test-util.h"

#include "quarry-query-client-private.h"

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

static gboolean
has_entry (Fixture    *f,
           const char *key_json)
{
  g_autoptr(QuarryKey) key = key_new (key_json);

  return _quarry_query_client_lookup_entry (f->client, key) != NULL;
}

/* Entries written at different times, with one gc-time, share one timer
 * and still each go at its own time. */
static void
test_gc_queue (Fixture       *f,
               gconstpointer  data)
{
  g_object_set (quarry_query_client_get_default_options (f->client), "gc-time", (gint64) 1000, NULL);

  set_int (f, "[\"a\"]", 1);
  quarry_clock_advance (f->clock, 100);
  set_int (f, "[\"b\"]", 2);
  quarry_clock_advance (f->clock, 100);
  set_int (f, "[\"c\"]", 3);
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 1);

  /* Writing again does not start the gc-time over: only observers and
   * fetches do. */
  set_int (f, "[\"a\"]", 10);

  quarry_clock_advance (f->clock, 799);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 3);
  quarry_clock_advance (f->clock, 1);
  g_assert_false (has_entry (f, "[\"a\"]"));
  g_assert_true (has_entry (f, "[\"b\"]"));
  quarry_clock_advance (f->clock, 99);
  g_assert_true (has_entry (f, "[\"b\"]"));
  quarry_clock_advance (f->clock, 1);
  g_assert_false (has_entry (f, "[\"b\"]"));
  g_assert_true (has_entry (f, "[\"c\"]"));
  quarry_clock_advance (f->clock, 100);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);
}

/* An entry observed again leaves the queue; when its last query goes, its
 * gc-time starts over, behind the entries that became unobserved before. */
static void
test_gc_reactivated (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(QuarryKey) a = key_new ("[\"a\"]");
  QuarryQuery *query;

  instant_fetch_reset ();
  g_object_set (quarry_query_client_get_default_options (f->client),
                "gc-time", (gint64) 1000, "stale-time", QUARRY_TIME_INFINITE, NULL);

  set_int (f, "[\"a\"]", 1);                /* a would go at 1000 */
  quarry_clock_advance (f->clock, 100);
  set_int (f, "[\"b\"]", 2);                /* b at 1100 */

  quarry_clock_advance (f->clock, 400);     /* 500 */
  query = quarry_query_new (f->client, a, instant_fetch, (gpointer) "1", NULL);
  quarry_clock_advance (f->clock, 300);     /* 800: a observed */
  g_assert_finalize_object (query);         /* a goes at 1800 */

  quarry_clock_advance (f->clock, 299);     /* 1099 */
  g_assert_true (has_entry (f, "[\"a\"]"));
  g_assert_true (has_entry (f, "[\"b\"]"));
  quarry_clock_advance (f->clock, 1);       /* 1100 */
  g_assert_false (has_entry (f, "[\"b\"]"));
  g_assert_true (has_entry (f, "[\"a\"]"));

  /* Observed and left once more: the gc-time starts over again. */
  quarry_clock_advance (f->clock, 500);     /* 1600 */
  query = quarry_query_new (f->client, a, instant_fetch, (gpointer) "1", NULL);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (query);         /* a goes at 2600 */
  set_int (f, "[\"c\"]", 3);                /* c at 2600 too, queued after a */

  quarry_clock_advance (f->clock, 999);     /* 2599 */
  g_assert_true (has_entry (f, "[\"a\"]"));
  quarry_clock_advance (f->clock, 1);       /* 2600 */
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);
  g_assert_cmpint (instant_fetch_calls (), ==, 0);
}

/* Entries with different gc-times queue apart; a query that leaves folds a
 * longer gc-time in, which moves the entry to another queue. */
static void
test_gc_times (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(QuarryKey) a = key_new ("[\"a\"]");
  QuarryQuery *query;

  g_object_set (quarry_query_client_get_default_options (f->client),
                "gc-time", (gint64) 1000, "stale-time", QUARRY_TIME_INFINITE, NULL);
  set_int (f, "[\"a\"]", 1);

  /* Keys with defaults of their own: a gc-time of their own. */
  {
    g_autoptr(QuarryKey) b = key_new ("[\"b\"]");
    g_autoptr(QuarryQueryOptions) options = quarry_query_options_new ();

    g_object_set (options, "gc-time", (gint64) 300, NULL);
    quarry_query_client_set_query_defaults (f->client, b, options);
  }
  set_int (f, "[\"b\"]", 2);                /* b goes at 300 */
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 2);

  query = quarry_query_new (f->client, a, instant_fetch, (gpointer) "1", NULL);
  quarry_query_set_gc_time (query, 5000);
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 1);
  quarry_clock_advance (f->clock, 100);
  g_assert_finalize_object (query);         /* a: gc-time 5000, goes at 5100 */
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 2);
  quarry_clock_advance (f->clock, 199);     /* 299 */
  g_assert_true (has_entry (f, "[\"b\"]"));
  quarry_clock_advance (f->clock, 1);       /* 300 */
  g_assert_false (has_entry (f, "[\"b\"]"));
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 1);

  quarry_clock_advance (f->clock, 700);     /* 1000 */
  g_assert_true (has_entry (f, "[\"a\"]"));
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 1);

  /* A shorter gc-time does not shorten it. */
  query = quarry_query_new (f->client, a, instant_fetch, (gpointer) "1", NULL);
  quarry_query_set_gc_time (query, 10);
  g_assert_finalize_object (query);         /* 1000: goes at 6000 */
  quarry_clock_advance (f->clock, 4999);
  g_assert_true (has_entry (f, "[\"a\"]"));
  quarry_clock_advance (f->clock, 1);
  g_assert_false (has_entry (f, "[\"a\"]"));
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);

  /* An infinite gc-time arms nothing. */
  g_object_set (quarry_query_client_get_default_options (f->client), "gc-time", QUARRY_TIME_INFINITE, NULL);
  set_int (f, "[\"forever\"]", 1);
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);
  quarry_clock_advance (f->clock, G_MAXINT32);
  g_assert_true (has_entry (f, "[\"forever\"]"));
}

/* What an entry does not use, it does not hold: a written entry has no
 * observers, options, fetch or error parts until it needs them. */
static void
test_lazy_parts (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(QuarryKey) key = key_new ("[\"lazy\"]");
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(JsonNode) node = json_from_string ("{\"id\":1}", NULL);
  GValue value = G_VALUE_INIT;
  QuarryEntry *entry;
  QuarryQuery *query;

  /* The node is cached as it is, sealed. */
  g_value_init (&value, JSON_TYPE_NODE);
  g_value_take_boxed (&value, json_node_ref (node));
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, NULL));
  g_value_unset (&value);
  g_assert_true (g_value_get_boxed (quarry_query_client_get_query_data (f->client, key)) == node);
  g_assert_true (json_node_is_immutable (node));

  entry = _quarry_query_client_lookup_entry (f->client, key);
  g_assert_nonnull (entry);
  g_assert_null (entry->extra);
  g_assert_null (entry->state.extra);
  g_assert_cmpuint (_quarry_entry_get_n_observers (entry), ==, 0);
  g_assert_cmpint (_quarry_entry_get_options (entry)->retry, ==, 3);

  /* A query brings observers and options; a failed fetch, the error part. */
  query = make_query (f, "[\"lazy\"]", fetcher);
  quarry_query_set_retry (query, 0);
  g_assert_nonnull (entry->extra);
  g_assert_cmpuint (_quarry_entry_get_n_observers (entry), ==, 1);
  g_assert_cmpint (_quarry_entry_get_options (entry)->retry, ==, 0);
  quarry_clock_flush (f->clock);
  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_flush (f->clock);
  g_assert_nonnull (entry->state.extra);
  g_assert_cmpuint (_quarry_state_data_get_error_update_count (&entry->state), ==, 1);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpstr (quarry_query_get_error (query)->message, ==, "boom");
  /* The data stays, as the error's companion. */
  g_assert_true (g_value_get_boxed (quarry_query_get_value (query)) == node);

  /* A snapshot copies the parts it has. */
  {
    g_autoptr(QuarryQueryState) state = quarry_query_client_get_query_state (f->client, key);

    g_assert_cmpstr (quarry_query_state_get_error (state)->message, ==, "boom");
    g_assert_cmpuint (quarry_query_state_get_error_update_count (state), ==, 1);
    g_assert_cmpuint (quarry_query_state_get_failure_count (state), ==, 1);
  }

  g_assert_finalize_object (query);
  g_assert_cmpuint (_quarry_entry_get_n_observers (entry), ==, 0);
}

/* Matches come in insertion order whatever order the index keeps them in,
 * for prefixes and tags; a predicate may remove entries while matching. */
static gboolean
remove_others (QuarryKey        *key,
               QuarryQueryState *state,
               gpointer          user_data)
{
  Fixture *f = user_data;

  /* The first match removes every other entry; they are not matched. */
  if (quarry_query_client_get_n_entries (f->client) > 1)
    {
      g_autoptr(GPtrArray) keys = quarry_query_client_find_keys (f->client, NULL);

      for (guint i = 0; i < keys->len; i++)
        if (!quarry_key_equal (g_ptr_array_index (keys, i), key))
          {
            g_autoptr(QuarryQueryFilter) one = quarry_query_filter_new (g_ptr_array_index (keys, i));

            quarry_query_filter_set_exact (one, TRUE);
            quarry_query_client_remove_queries (f->client, one);
          }
    }
  return TRUE;
}

static void
test_match_order (Fixture       *f,
                  gconstpointer  data)
{
  const guint n = 600;
  g_autoptr(QuarryKey) prefix = key_new ("[\"p\"]");
  g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (prefix);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *order = g_new (guint, n);
  const char *tags[] = { "t", NULL };
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_object_unref);

  /* Keys made in a shuffled order, so that insertion order is neither the
   * keys' order nor any hash order. */
  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint i = n - 1; i > 0; i--)
    {
      guint j = g_test_rand_int_range (0, i + 1);
      guint t = order[i];

      order[i] = order[j];
      order[j] = t;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = g_strdup_printf ("[\"p\", %u]", order[i]);

      set_int (f, json, i);
      g_ptr_array_add (expected, g_strdup_printf ("[\"p\",%u]", order[i]));
    }

  keys = find (f, filter);
  g_assert_cmpuint (keys->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (quarry_key_to_string (g_ptr_array_index (keys, i)), ==, g_ptr_array_index (expected, i));
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* Tags: queries carrying one, made in reverse insertion order. */
  for (guint i = n; i > n - 40; i--)
    {
      g_autoptr(QuarryKey) key = key_new (g_ptr_array_index (expected, i - 1));
      QuarryQuery *query = quarry_query_new (f->client, key, NULL, NULL, NULL);

      quarry_query_set_tags (query, tags);
      g_ptr_array_add (queries, query);
    }
  g_clear_object (&filter);
  filter = quarry_query_filter_new (NULL);
  quarry_query_filter_set_tag (filter, "t");
  keys = find (f, filter);
  g_assert_cmpuint (keys->len, ==, 40);
  for (guint i = 0; i < 40; i++)
    g_assert_cmpstr (quarry_key_to_string (g_ptr_array_index (keys, i)), ==,
                     g_ptr_array_index (expected, n - 40 + i));
  g_clear_pointer (&keys, g_ptr_array_unref);
  g_ptr_array_unref (queries);

  /* A predicate that removes the other candidates while they are being
   * matched: only what is still cached matches. */
  g_clear_object (&filter);
  filter = quarry_query_filter_new (prefix);
  quarry_query_filter_set_predicate (filter, remove_others, f, NULL);
  keys = find (f, filter);
  g_assert_cmpuint (keys->len, ==, 1);
  g_assert_cmpstr (quarry_key_to_string (g_ptr_array_index (keys, 0)), ==, g_ptr_array_index (expected, 0));
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
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
  ADD ("/Quarry/QueryClient/gc/queue", test_gc_queue);
  ADD ("/Quarry/QueryClient/gc/reactivated", test_gc_reactivated);
  ADD ("/Quarry/QueryClient/gc/times", test_gc_times);
  ADD ("/Quarry/QueryClient/lazy-parts", test_lazy_parts);
  ADD ("/Quarry/QueryClient/match-order", test_match_order);
#undef ADD

  return g_test_run ();
}
