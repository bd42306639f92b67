/* test-query.c: the query observer's lifecycle.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-util.h"

static void
test_first_load (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"todos\"]", fetcher);
  g_autofree char *json = NULL;

  /* Before the main loop runs the query is attached but has not mounted. */
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpuint (fetcher->calls, ==, 0);
  g_assert_true (quarry_query_get_is_stale (query));

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);
  g_assert_true (quarry_query_get_is_loading (query));
  g_assert_false (quarry_query_get_is_refetching (query));
  g_assert_true (quarry_query_get_is_pending (query));
  g_assert_null (quarry_query_get_value (query));
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 1);

  fetcher_resolve_json (fetcher, 0, "[{\"id\":1}]");
  /* The result reaches the cache on a later iteration, never synchronously. */
  g_assert_true (quarry_query_get_is_fetching (query));
  quarry_clock_flush (f->clock);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_true (quarry_query_get_is_success (query));
  g_assert_false (quarry_query_get_is_loading (query));
  g_assert_true (quarry_query_get_is_fetched (query));
  g_assert_true (quarry_query_get_is_fetched_after_mount (query));
  g_assert_true (quarry_query_get_is_stale (query));   /* stale-time 0 */
  g_assert_cmpint (quarry_query_get_data_updated_at (query), ==, 1700000000000);
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 0);
  json = value_to_json (quarry_query_get_value (query));
  g_assert_cmpstr (json, ==, "[{\"id\":1}]");

  g_assert_finalize_object (query);
}

typedef struct
{
  GHashTable *counts;
  guint transitions;
  QuarryQueryAction last_action;
  gboolean consistent;
} Watch;

static void
state_changed_cb (QuarryQuery       *query,
                  QuarryQueryAction  action,
                  Watch             *watch)
{
  watch->transitions++;
  watch->last_action = action;
}

/* In the notify::status handler, the rest of the state is already final. */
static void
status_consistency_cb (QuarryQuery *query,
                       GParamSpec  *pspec,
                       Watch       *watch)
{
  if (quarry_query_get_status (query) == QUARRY_STATUS_SUCCESS)
    watch->consistent = quarry_query_get_value (query) != NULL &&
                        quarry_query_get_fetch_status (query) == QUARRY_FETCH_STATUS_IDLE &&
                        !quarry_query_get_is_loading (query);
}

static void
test_notify_batch (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  Watch watch = { g_hash_table_new (g_str_hash, g_str_equal), 0, -1, FALSE };
  QuarryQuery *query = make_query (f, "[\"todos\"]", fetcher);

  g_signal_connect (query, "notify", G_CALLBACK (count_notify_cb), watch.counts);
  g_signal_connect (query, "state-changed", G_CALLBACK (state_changed_cb), &watch);
  g_signal_connect (query, "notify::status", G_CALLBACK (status_consistency_cb), &watch);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (watch.transitions, ==, 1);
  g_assert_cmpint (watch.last_action, ==, QUARRY_QUERY_ACTION_FETCH);
  g_assert_cmpuint (count_of (watch.counts, "fetch-status"), ==, 1);
  g_assert_cmpuint (count_of (watch.counts, "is-fetching"), ==, 1);
  g_assert_cmpuint (count_of (watch.counts, "is-loading"), ==, 1);
  g_assert_cmpuint (count_of (watch.counts, "status"), ==, 0);
  g_assert_cmpuint (count_of (watch.counts, "data"), ==, 0);

  fetcher_resolve_int (fetcher, 0, 42);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (watch.transitions, ==, 2);
  g_assert_cmpint (watch.last_action, ==, QUARRY_QUERY_ACTION_SUCCESS);
  g_assert_true (watch.consistent);
  g_assert_cmpuint (count_of (watch.counts, "status"), ==, 1);
  g_assert_cmpuint (count_of (watch.counts, "data"), ==, 1);
  g_assert_cmpuint (count_of (watch.counts, "fetch-status"), ==, 2);
  g_assert_cmpuint (count_of (watch.counts, "is-success"), ==, 1);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 42);

  /* Equal data from a refetch: data is not notified again. */
  quarry_clock_advance (f->clock, 10);
  quarry_query_refetch (query);
  quarry_clock_flush (f->clock);
  g_assert_true (quarry_query_get_is_refetching (query));
  fetcher_resolve_int (fetcher, 1, 42);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (count_of (watch.counts, "data"), ==, 1);
  g_assert_cmpuint (count_of (watch.counts, "is-refetching"), ==, 2);
  g_assert_cmpuint (count_of (watch.counts, "data-updated-at"), ==, 2);

  g_assert_finalize_object (query);
  g_hash_table_unref (watch.counts);
}

static void
test_stale_while_revalidate (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"todos\"]");
  QuarryQuery *first = make_query (f, "[\"todos\"]", fetcher);
  QuarryQuery *second;

  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);

  /* A second query of the key shows the cached data at once, and
   * revalidates it in the background because it is stale. */
  quarry_clock_advance (f->clock, 1000);
  second = make_query (f, "[\"todos\"]", fetcher);
  g_assert_cmpint (quarry_query_get_status (second), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (value_get_int (quarry_query_get_value (second)), ==, 1);
  g_assert_false (quarry_query_get_is_fetched_after_mount (second));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_true (quarry_query_get_is_refetching (first));
  g_assert_true (quarry_query_get_is_refetching (second));
  g_assert_cmpint (value_get_int (quarry_query_get_value (second)), ==, 1);

  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (first)), ==, 2);
  g_assert_cmpint (value_get_int (quarry_query_get_value (second)), ==, 2);
  g_assert_true (quarry_query_get_is_fetched_after_mount (second));
  g_assert_cmpint (value_get_int (quarry_query_client_get_query_data (f->client, key)), ==, 2);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);

  g_assert_finalize_object (first);
  g_assert_finalize_object (second);
}

static void
test_stale_time (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"todos\"]", fetcher);
  QuarryQuery *other;

  quarry_query_set_stale_time (query, 1000);
  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_query_get_is_stale (query));

  /* Fresh data: a new query mounting does not refetch. */
  other = make_query (f, "[\"todos\"]", fetcher);
  quarry_query_set_stale_time (other, 1000);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  /* The stale timer flips is-stale exactly after stale-time. */
  quarry_clock_advance (f->clock, 999);
  g_assert_false (quarry_query_get_is_stale (query));
  quarry_clock_advance (f->clock, 2);
  g_assert_true (quarry_query_get_is_stale (query));
  g_assert_cmpuint (fetcher->calls, ==, 1);

  g_assert_finalize_object (other);
  g_assert_finalize_object (query);
}

static void
test_disabled (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, NULL, fetcher);
  g_autoptr(QuarryKey) key = key_new ("[\"user\", 1]");

  /* No key: disabled, pending, idle, never stale, never fetching. */
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 0);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  g_assert_false (quarry_query_get_is_loading (query));
  g_assert_false (quarry_query_get_is_stale (query));
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);

  /* enabled = FALSE: attached, but no automatic fetch; refetch works. */
  quarry_query_set_enabled (query, FALSE);
  quarry_query_set_key (query, key);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 0);
  g_assert_false (quarry_query_get_is_stale (query));

  quarry_query_refetch (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  fetcher_resolve_int (fetcher, 0, 7);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 7);

  /* Becoming enabled with stale data fetches. */
  quarry_query_set_enabled (query, TRUE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  g_assert_finalize_object (query);
}

static void
test_key_change (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) page2 = key_new ("[\"todos\", {\"page\": 2}]");
  g_autoptr(QuarryKey) page1 = key_new ("[\"todos\", {\"page\": 1}]");
  QuarryQuery *query = make_query (f, "[\"todos\", {\"page\": 1}]", fetcher);

  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);

  /* Without keep-previous-data the view goes back to pending. */
  quarry_query_set_key (query, page2);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  g_assert_null (quarry_query_get_value (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_true (quarry_key_equal (g_ptr_array_index (fetcher->keys, 1), page2));
  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 2);

  /* Back to page 1: cached data at once, revalidated because stale. */
  quarry_query_set_key (query, page1);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_true (quarry_query_get_is_refetching (query));
  fetcher_resolve_int (fetcher, 2, 10);
  quarry_clock_flush (f->clock);

  g_assert_finalize_object (query);
}

static void
test_keep_previous_data (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) page2 = key_new ("[\"todos\", {\"page\": 2}]");
  QuarryQuery *query = make_query (f, "[\"todos\", {\"page\": 1}]", fetcher);

  quarry_query_set_keep_previous_data (query, TRUE);
  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_query_get_is_placeholder_data (query));

  quarry_query_set_key (query, page2);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_true (quarry_query_get_is_placeholder_data (query));
  g_assert_true (quarry_query_get_is_fetching (query));
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);
  /* Placeholder data is never written into the cache. */
  g_assert_null (quarry_query_client_get_query_data (f->client, page2));

  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_query_get_is_placeholder_data (query));
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 2);

  g_assert_finalize_object (query);
}

static void
test_placeholder_vs_initial (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) placeholder_key = key_new ("[\"placeholder\"]");
  g_autoptr(QuarryKey) initial_key = key_new ("[\"initial\"]");
  g_autoptr(QuarryQueryState) state = NULL;
  GValue value = G_VALUE_INIT;
  QuarryQuery *placeholder = quarry_query_new (f->client, NULL, fetcher_func, fetcher, NULL);
  QuarryQuery *initial = quarry_query_new (f->client, NULL, fetcher_func, fetcher, NULL);

  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, 99);
  quarry_query_set_placeholder_data (placeholder, &value);
  quarry_query_set_initial_data (initial, &value);
  quarry_query_set_stale_time (initial, 60000);
  g_value_unset (&value);

  quarry_query_set_key (placeholder, placeholder_key);
  quarry_query_set_key (initial, initial_key);

  /* Placeholder: shown as success, not cached, fetched. */
  g_assert_cmpint (quarry_query_get_status (placeholder), ==, QUARRY_STATUS_SUCCESS);
  g_assert_true (quarry_query_get_is_placeholder_data (placeholder));
  g_assert_cmpint (value_get_int (quarry_query_get_value (placeholder)), ==, 99);
  g_assert_null (quarry_query_client_get_query_data (f->client, placeholder_key));

  /* Initial data: real cache data, fresh under its stale time, not an update. */
  g_assert_false (quarry_query_get_is_placeholder_data (initial));
  g_assert_cmpint (value_get_int (quarry_query_client_get_query_data (f->client, initial_key)), ==, 99);
  state = quarry_query_client_get_query_state (f->client, initial_key);
  g_assert_cmpuint (quarry_query_state_get_data_update_count (state), ==, 0);
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_SUCCESS);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_true (quarry_key_equal (g_ptr_array_index (fetcher->keys, 0), placeholder_key));

  /* Reset goes back to the initial data. */
  quarry_clock_advance (f->clock, 5);
  {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_INT64);
    g_value_set_int64 (&v, 5);
    g_assert_true (quarry_query_client_set_query_data (f->client, initial_key, &v, NULL));
    g_value_unset (&v);
  }
  g_assert_cmpint (value_get_int (quarry_query_get_value (initial)), ==, 5);
  {
    g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (initial_key);

    quarry_query_client_reset_queries (f->client, filter);
  }
  g_assert_cmpint (value_get_int (quarry_query_get_value (initial)), ==, 99);

  g_assert_finalize_object (placeholder);
  g_assert_finalize_object (initial);
}

static void
select_double (const GValue  *data,
               GValue        *out,
               gpointer       user_data,
               GError       **error)
{
  guint *calls = user_data;

  (*calls)++;
  if (value_get_int (data) < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "negative");
      return;
    }

  g_value_init (out, G_TYPE_INT64);
  g_value_set_int64 (out, value_get_int (data) * 2);
}

static void
test_select (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"n\"]");
  QuarryQuery *query = make_query (f, "[\"n\"]", fetcher);
  guint calls = 0;
  GValue v = G_VALUE_INIT;

  quarry_query_set_select_func (query, select_double, &calls, NULL);
  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 21);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 42);
  g_assert_cmpint (value_get_int (quarry_query_client_get_query_data (f->client, key)), ==, 21);
  g_assert_cmpuint (calls, ==, 1);

  /* Memoized: a transition that does not change the data does not rerun it. */
  quarry_query_refetch (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (calls, ==, 1);

  /* A select error becomes the query's error; the entry stays successful
   * and the last good output stays on show. */
  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, -1);
  quarry_query_client_set_query_data (f->client, key, &v, NULL);
  g_value_unset (&v);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_error (quarry_query_get_error (query), G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 42);
  {
    g_autoptr(QuarryQueryState) state = quarry_query_client_get_query_state (f->client, key);

    g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_SUCCESS);
  }

  fetcher_resolve_int (fetcher, 1, 4);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_null (quarry_query_get_error (query));
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 8);

  g_assert_finalize_object (query);
}

static void
test_query_defaults (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) prefix = key_new ("[\"todos\"]");
  g_autoptr(QuarryQueryOptions) todo_options = quarry_query_options_new ();
  QuarryQuery *todo, *user;

  g_object_set (quarry_query_client_get_default_options (f->client), "retry", 1, NULL);
  g_object_set (todo_options, "stale-time", (gint64) 5000, NULL);
  g_assert_true (quarry_query_options_is_set (todo_options, "stale-time"));
  g_assert_false (quarry_query_options_is_set (todo_options, "retry"));
  quarry_query_client_set_query_defaults (f->client, prefix, todo_options);

  todo = make_query (f, "[\"todos\", 1]", fetcher);
  user = make_query (f, "[\"user\"]", fetcher);

  g_assert_cmpint (quarry_query_get_stale_time (todo), ==, 5000);
  g_assert_cmpint (quarry_query_get_retry (todo), ==, 1);
  g_assert_cmpint (quarry_query_get_stale_time (user), ==, 0);
  g_assert_cmpint (quarry_query_get_retry (user), ==, 1);
  g_assert_cmpint (quarry_query_get_gc_time (user), ==, 300000);

  /* Set on the query wins. */
  quarry_query_set_stale_time (todo, 10);
  g_assert_cmpint (quarry_query_get_stale_time (todo), ==, 10);

  /* Network mode "always" defaults refetch-on-reconnect to never. */
  quarry_query_set_network_mode (user, QUARRY_NETWORK_MODE_ALWAYS);
  g_assert_cmpint (quarry_query_get_refetch_on_reconnect (user), ==, QUARRY_REFETCH_MODE_NEVER);

  quarry_clock_flush (f->clock);
  g_assert_finalize_object (todo);
  g_assert_finalize_object (user);
}

static void
test_tags (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (NULL);
  const char * const todo_tags[] = { "todo", NULL };
  QuarryQuery *a = make_query (f, "[\"a\"]", fetcher);
  QuarryQuery *b = make_query (f, "[\"b\"]", fetcher);

  quarry_query_set_tags (a, todo_tags);
  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  fetcher_resolve_int (fetcher, 1, 1);
  quarry_clock_flush (f->clock);

  quarry_query_filter_set_tag (filter, "todo");
  quarry_query_client_invalidate_queries (f->client, filter, QUARRY_REFETCH_TYPE_DEFAULT);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_true (quarry_key_equal (g_ptr_array_index (fetcher->keys, 2), quarry_query_get_key (a)));
  g_assert_false (quarry_query_get_is_fetching (b));

  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
}

static void
test_key_debounce (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"search\", \"\"]", fetcher);

  quarry_query_set_key_debounce (query, 300);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *json = g_strdup_printf ("[\"search\", \"%.*s\"]", i, "quarry");
      g_autoptr(QuarryKey) key = key_new (json);

      quarry_query_set_key (query, key);
      quarry_clock_advance (f->clock, 100);
    }
  /* Typing five characters 100 ms apart moves only once, 300 ms after the last. */
  g_assert_cmpuint (fetcher->calls, ==, 1);
  quarry_clock_advance (f->clock, 200);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_cmpstr (quarry_key_to_string (quarry_query_get_key (query)), ==, "[\"search\",\"quarr\"]");

  g_assert_finalize_object (query);
}

static void
test_refetch_async (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"x\"]", fetcher);
  GAsyncResult *result = NULL;
  GError *error = NULL;
  GValue *value;

  quarry_query_set_retry (query, 1);
  quarry_query_refetch_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  /* The mount shares the refetch's fetch. */
  g_assert_cmpuint (fetcher->calls, ==, 1);
  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_flush (f->clock);
  g_assert_null (result);
  quarry_clock_advance (f->clock, 1000);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  fetcher_reject (fetcher, 1, "boom again");
  quarry_clock_flush (f->clock);

  g_assert_nonnull (result);
  value = quarry_query_refetch_finish (query, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "boom again");
  g_assert_null (value);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 2);

  quarry_query_refetch_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 2, 3);
  quarry_clock_flush (f->clock);
  value = quarry_query_refetch_finish (query, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (value_get_int (value), ==, 3);
  g_value_unset (value);
  g_free (value);
  g_clear_object (&result);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);

  g_assert_finalize_object (query);
}

/* TanStack's subscribed option: an unsubscribed query leaves its entry,
 * keeps its last state, and resubscribes like a mount. */
static void
test_subscribed (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"todos\"]", fetcher);
  g_autoptr(QuarryKey) key = key_new ("[\"todos\"]");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GValue) two = G_VALUE_INIT;

  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_true (quarry_query_get_subscribed (query));
  g_signal_connect (query, "notify", G_CALLBACK (count_notify_cb), counts);

  quarry_query_set_subscribed (query, FALSE);
  g_assert_false (quarry_query_get_subscribed (query));
  g_assert_cmpuint (count_of (counts, "subscribed"), ==, 1);
  quarry_query_set_subscribed (query, FALSE);
  g_assert_cmpuint (count_of (counts, "subscribed"), ==, 1);

  /* The cache changes; the unsubscribed query keeps showing what it had. */
  g_value_init (&two, G_TYPE_INT64);
  g_value_set_int64 (&two, 2);
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &two, NULL));
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);
  g_assert_cmpuint (count_of (counts, "data"), ==, 0);

  /* Focus and invalidation do not fetch for it. */
  quarry_query_client_set_focused (f->client, FALSE);
  quarry_query_client_set_focused (f->client, TRUE);
  quarry_query_client_invalidate_queries (f->client, NULL, QUARRY_REFETCH_TYPE_ACTIVE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  /* Subscribing shows the cache at once and fetches the stale data. */
  quarry_query_set_subscribed (query, TRUE);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 2);
  g_assert_cmpuint (count_of (counts, "data"), ==, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  fetcher_resolve_int (fetcher, 1, 3);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 3);

  /* Unsubscribed, it does not keep its entry from garbage collection
   * (gc-time 5 minutes); subscribing again then loads from scratch. */
  quarry_query_set_subscribed (query, FALSE);
  quarry_clock_advance (f->clock, 5 * 60 * 1000 + 1);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 3);
  quarry_query_set_subscribed (query, TRUE);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_true (quarry_query_get_is_loading (query));

  fetcher_resolve_int (fetcher, 2, 4);
  quarry_clock_flush (f->clock);

  /* An explicit refetch still fetches, as TanStack's does; the result
   * shows once subscribed. */
  quarry_clock_advance (f->clock, 10);
  quarry_query_set_subscribed (query, FALSE);
  quarry_query_refetch (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 4);
  fetcher_resolve_int (fetcher, 3, 5);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 4);
  quarry_query_set_subscribed (query, TRUE);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 5);

  /* A new key while unsubscribed does not show the old key's data. */
  {
    g_autoptr(QuarryKey) other = key_new ("[\"other\"]");

    quarry_query_set_subscribed (query, FALSE);
    quarry_query_set_key (query, other);
    g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
    g_assert_null (quarry_query_get_value (query));
    quarry_clock_flush (f->clock);
    g_assert_cmpuint (fetcher->calls, ==, 4);
    quarry_query_set_key (query, key);
    g_assert_null (quarry_query_get_value (query));
    quarry_query_set_subscribed (query, TRUE);
    g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 5);
  }

  /* Unsubscribing before the mount idle runs cancels the mount fetch. */
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 5);   /* the remount of the stale data */
  fetcher_resolve_int (fetcher, 4, 6);
  quarry_clock_advance (f->clock, 10);
  quarry_query_set_subscribed (query, FALSE);
  quarry_query_set_subscribed (query, TRUE);
  quarry_query_set_subscribed (query, FALSE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 5);

  g_assert_finalize_object (query);
}

/* Notification order and consistency */

typedef struct
{
  GString *log;             /* notified names, "|" after each ::state-changed */
  char *seen;               /* the state the current batch's handlers saw */
  gboolean consistent;
} Batch;

/* Everything a handler can read, in one string. */
static char *
describe (QuarryQuery *query)
{
  const GValue *value = quarry_query_get_value (query);
  g_autofree char *json = value ? g_strdup_value_contents (value) : g_strdup ("-");
  const GError *error = quarry_query_get_error (query);

  return g_strdup_printf ("%d %d %s %s %" G_GINT64_FORMAT " %u %d%d%d%d%d%d%d%d%d%d%d%d%d",
                          quarry_query_get_status (query),
                          quarry_query_get_fetch_status (query),
                          json, error ? error->message : "-",
                          quarry_query_get_data_updated_at (query),
                          quarry_query_get_failure_count (query),
                          quarry_query_get_is_stale (query),
                          quarry_query_get_is_fetching (query),
                          quarry_query_get_is_paused (query),
                          quarry_query_get_is_pending (query),
                          quarry_query_get_is_success (query),
                          quarry_query_get_is_error (query),
                          quarry_query_get_is_loading (query),
                          quarry_query_get_is_refetching (query),
                          quarry_query_get_is_loading_error (query),
                          quarry_query_get_is_refetch_error (query),
                          quarry_query_get_is_placeholder_data (query),
                          quarry_query_get_is_fetched (query),
                          quarry_query_get_is_fetched_after_mount (query));
}

/* Every handler of one batch sees the same, final state. */
static void
batch_check (Batch       *batch,
             QuarryQuery *query)
{
  g_autofree char *now = describe (query);

  if (batch->seen == NULL)
    batch->seen = g_steal_pointer (&now);
  else if (g_strcmp0 (batch->seen, now) != 0)
    batch->consistent = FALSE;
}

static void
batch_notify_cb (QuarryQuery *query,
                 GParamSpec  *pspec,
                 Batch       *batch)
{
  if (batch->log->len > 0 && batch->log->str[batch->log->len - 1] != '|')
    g_string_append_c (batch->log, ' ');
  g_string_append (batch->log, pspec->name);
  batch_check (batch, query);
}

static void
batch_changed_cb (QuarryQuery       *query,
                  QuarryQueryAction  action,
                  Batch             *batch)
{
  g_autofree char *now = describe (query);

  batch_check (batch, query);
  /* The batch showed the state the query has now. */
  if (g_strcmp0 (batch->seen, now) != 0)
    batch->consistent = FALSE;
  g_string_append (batch->log, "|");
  g_clear_pointer (&batch->seen, g_free);
}

static void
batch_watch (Batch       *batch,
             QuarryQuery *query)
{
  batch->log = g_string_new (NULL);
  batch->seen = NULL;
  batch->consistent = TRUE;
  g_signal_connect (query, "notify", G_CALLBACK (batch_notify_cb), batch);
  g_signal_connect (query, "state-changed", G_CALLBACK (batch_changed_cb), batch);
}

static void
batch_clear (Batch       *batch,
             QuarryQuery *query)
{
  g_signal_handlers_disconnect_by_data (query, batch);
  g_string_free (batch->log, TRUE);
  g_clear_pointer (&batch->seen, g_free);
}

/* Properties are notified one after the other in a fixed order, status
 * last, and every handler already reads the whole new state. */
static void
test_notify_order (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"todos\"]", fetcher);
  Batch batch;

  quarry_query_set_retry (query, 1);
  quarry_query_set_retry_delay (query, 10);
  batch_watch (&batch, query);

  quarry_clock_flush (f->clock);
  g_assert_cmpstr (batch.log->str, ==, "is-loading is-fetching fetch-status|");
  g_string_truncate (batch.log, 0);

  fetcher_reject (fetcher, 0, "first");
  quarry_clock_flush (f->clock);
  g_assert_cmpstr (batch.log->str, ==, "failure-reason failure-count|");
  g_string_truncate (batch.log, 0);

  quarry_clock_advance (f->clock, 10);
  fetcher_resolve_int (fetcher, 1, 7);
  quarry_clock_flush (f->clock);
  g_assert_cmpstr (batch.log->str, ==,
                   "is-fetched-after-mount is-fetched is-loading is-success is-pending "
                   "is-fetching failure-reason failure-count data-updated-at data fetch-status status|");
  g_string_truncate (batch.log, 0);

  quarry_query_refetch (query);
  quarry_clock_flush (f->clock);
  fetcher_reject (fetcher, 2, "second");
  quarry_clock_advance (f->clock, 10);
  fetcher_reject (fetcher, 3, "third");
  quarry_clock_flush (f->clock);
  g_assert_cmpstr (batch.log->str, ==,
                   "is-refetching is-fetching fetch-status|"
                   "failure-reason failure-count|"
                   "is-refetch-error is-refetching is-error is-success is-fetching "
                   "failure-reason failure-count error-update-count error-updated-at error fetch-status status|");
  g_assert_true (batch.consistent);

  batch_clear (&batch, query);
  g_assert_finalize_object (query);
}

/* A handler that writes new data in the middle of a batch: the nested
 * batch runs at once, and the rest of the outer one shows the newest state;
 * every query ends on the last data, told of it once. */
typedef struct
{
  Fixture *f;
  guint writes;
} Rewriter;

static void
rewrite_cb (QuarryQuery *query,
            GParamSpec  *pspec,
            Rewriter    *rewriter)
{
  GValue value = G_VALUE_INIT;

  if (rewriter->writes++ > 0)
    return;

  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, 2);
  g_assert_true (quarry_query_client_set_query_data (rewriter->f->client, quarry_query_get_key (query),
                                                     &value, NULL));
  g_value_unset (&value);
}

static void
test_notify_reentrant (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(QuarryKey) key = key_new ("[\"todos\"]");
  g_autoptr(GHashTable) first_counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) second_counts = g_hash_table_new (g_str_hash, g_str_equal);
  Rewriter rewriter = { f, 0 };
  QuarryQuery *first, *second;
  GValue value = G_VALUE_INIT;
  Batch batch;

  g_object_set (quarry_query_client_get_default_options (f->client),
                "stale-time", QUARRY_TIME_INFINITE, NULL);
  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, 0);
  quarry_query_client_set_query_data (f->client, key, &value, NULL);
  first = quarry_query_new (f->client, key, instant_fetch, (gpointer) "0", NULL);
  second = quarry_query_new (f->client, key, instant_fetch, (gpointer) "0", NULL);
  quarry_clock_flush (f->clock);

  g_signal_connect (first, "notify::data", G_CALLBACK (rewrite_cb), &rewriter);
  g_signal_connect (first, "notify", G_CALLBACK (count_notify_cb), first_counts);
  g_signal_connect (second, "notify", G_CALLBACK (count_notify_cb), second_counts);
  batch_watch (&batch, second);

  quarry_clock_advance (f->clock, 5);
  g_value_set_int64 (&value, 1);
  quarry_query_client_set_query_data (f->client, key, &value, NULL);
  g_value_unset (&value);

  g_assert_cmpuint (rewriter.writes, ==, 2);
  g_assert_cmpint (value_get_int (quarry_query_get_value (first)), ==, 2);
  g_assert_cmpint (value_get_int (quarry_query_get_value (second)), ==, 2);
  /* GObject's ::notify does not recurse: the nested notify::data restarts
   * the outer emission, so the handlers after rewrite_cb run once. */
  g_assert_cmpuint (count_of (first_counts, "data"), ==, 1);
  g_assert_cmpuint (count_of (first_counts, "data-updated-at"), ==, 1);
  /* The second query was told once, of the last data. */
  g_assert_cmpuint (count_of (second_counts, "data"), ==, 1);
  g_assert_cmpstr (batch.log->str, ==, "is-fetched-after-mount data-updated-at data|");
  g_assert_true (batch.consistent);

  batch_clear (&batch, second);
  g_signal_handlers_disconnect_by_data (first, &rewriter);
  g_signal_handlers_disconnect_by_data (first, first_counts);
  g_signal_handlers_disconnect_by_data (second, second_counts);
  g_assert_finalize_object (first);
  g_assert_finalize_object (second);
}

/* Each query shows its own snapshot of the data: an unsubscribed one keeps
 * its node while the cache moves on, and a query shows the node the cache
 * holds, not a copy. */
static void
test_data_snapshot (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(QuarryKey) key = key_new ("[\"todos\"]");
  g_autoptr(JsonNode) one = json_from_string ("[1]", NULL);
  g_autoptr(JsonNode) two = json_from_string ("[2]", NULL);
  QuarryQuery *shown, *hidden;
  const GValue *value;
  GValue v = G_VALUE_INIT;

  g_object_set (quarry_query_client_get_default_options (f->client),
                "stale-time", QUARRY_TIME_INFINITE, NULL);
  g_value_init (&v, JSON_TYPE_NODE);
  g_value_take_boxed (&v, json_node_ref (one));
  quarry_query_client_set_query_data (f->client, key, &v, NULL);
  g_value_unset (&v);

  shown = quarry_query_new (f->client, key, instant_fetch, (gpointer) "[0]", NULL);
  hidden = quarry_query_new (f->client, key, instant_fetch, (gpointer) "[0]", NULL);
  quarry_clock_flush (f->clock);
  value = quarry_query_get_value (shown);
  g_assert_true (g_value_get_boxed (value) == one);
  /* Asking again gives the same value. */
  g_assert_true (quarry_query_get_value (shown) == value);

  quarry_query_set_subscribed (hidden, FALSE);
  g_value_init (&v, JSON_TYPE_NODE);
  g_value_take_boxed (&v, json_node_ref (two));
  quarry_query_client_set_query_data (f->client, key, &v, NULL);
  g_value_unset (&v);

  g_assert_true (g_value_get_boxed (quarry_query_get_value (shown)) == two);
  g_assert_true (g_value_get_boxed (quarry_query_get_value (hidden)) == one);

  /* Subscribed again, it catches up. */
  quarry_query_set_subscribed (hidden, TRUE);
  g_assert_true (g_value_get_boxed (quarry_query_get_value (hidden)) == two);

  g_assert_finalize_object (shown);
  g_assert_finalize_object (hidden);
}

/* The stale timer follows the data's time and the stale time; options
 * that have nothing to do with it leave it be. */
static void
test_stale_timer (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(QuarryKey) key = key_new ("[\"todos\"]");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  QuarryQuery *query;
  GValue value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, 1);
  quarry_query_client_set_query_data (f->client, key, &value, NULL);
  query = quarry_query_new (f->client, key, instant_fetch, (gpointer) "1", NULL);
  quarry_query_set_stale_time (query, 1000);
  quarry_clock_flush (f->clock);
  g_signal_connect (query, "notify", G_CALLBACK (count_notify_cb), counts);
  g_assert_false (quarry_query_get_is_stale (query));

  /* New data at 600: stale after 1600. */
  quarry_clock_advance (f->clock, 600);
  g_value_set_int64 (&value, 2);
  quarry_query_client_set_query_data (f->client, key, &value, NULL);
  quarry_query_set_gc_time (query, 60000);
  quarry_query_set_retry (query, 5);
  g_assert_cmpuint (count_of (counts, "is-stale"), ==, 0);

  /* A longer stale time at 700: stale after 2600. */
  quarry_clock_advance (f->clock, 100);
  quarry_query_set_stale_time (query, 2000);
  quarry_clock_advance (f->clock, 1900);    /* 2600 */
  g_assert_false (quarry_query_get_is_stale (query));
  quarry_clock_advance (f->clock, 1);
  g_assert_true (quarry_query_get_is_stale (query));
  g_assert_cmpuint (count_of (counts, "is-stale"), ==, 1);

  /* Fresh again, then the stale time shortened into the past: stale now. */
  g_value_set_int64 (&value, 3);
  quarry_query_client_set_query_data (f->client, key, &value, NULL);
  g_value_unset (&value);
  g_assert_false (quarry_query_get_is_stale (query));
  quarry_clock_advance (f->clock, 50);
  quarry_query_set_stale_time (query, 10);
  g_assert_true (quarry_query_get_is_stale (query));
  g_assert_cmpuint (count_of (counts, "is-stale"), ==, 3);

  g_signal_handlers_disconnect_by_data (query, counts);
  g_assert_finalize_object (query);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/Quarry/Query/first-load", test_first_load);
  ADD ("/Quarry/Query/notify-batch", test_notify_batch);
  ADD ("/Quarry/Query/stale-while-revalidate", test_stale_while_revalidate);
  ADD ("/Quarry/Query/stale-time", test_stale_time);
  ADD ("/Quarry/Query/disabled", test_disabled);
  ADD ("/Quarry/Query/subscribed", test_subscribed);
  ADD ("/Quarry/Query/key-change", test_key_change);
  ADD ("/Quarry/Query/keep-previous-data", test_keep_previous_data);
  ADD ("/Quarry/Query/placeholder-vs-initial", test_placeholder_vs_initial);
  ADD ("/Quarry/Query/select", test_select);
  ADD ("/Quarry/Query/query-defaults", test_query_defaults);
  ADD ("/Quarry/Query/tags", test_tags);
  ADD ("/Quarry/Query/key-debounce", test_key_debounce);
  ADD ("/Quarry/Query/refetch-async", test_refetch_async);
  ADD ("/Quarry/Query/notify-order", test_notify_order);
  ADD ("/Quarry/Query/notify-reentrant", test_notify_reentrant);
  ADD ("/Quarry/Query/data-snapshot", test_data_snapshot);
  ADD ("/Quarry/Query/stale-timer", test_stale_timer);
#undef ADD

  return g_test_run ();
}
