/* test-query-retry.c: retries, back-off, pausing, network modes, focus and
 * reconnect refetches, refetch intervals (TANSTACK.md §1.4, §1.5, §1.11,
 * §1.15).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-util.h"

/* Helpers. */

static gint64
now (Fixture *f)
{
  return quarry_clock_get_monotonic_time (f->clock);
}

static void
reject_code (Fetcher    *fetcher,
             guint       index,
             gint        code,
             const char *message)
{
  quarry_fetch_context_return_error_literal (fetcher_take (fetcher, index),
                                             G_IO_ERROR, code, message);
}

/* Records the actions of ::state-changed, in order. */
static void
record_action_cb (QuarryQuery       *query,
                  QuarryQueryAction  action,
                  GArray            *actions)
{
  g_array_append_val (actions, action);
}

static gboolean
has_action (GArray            *actions,
            QuarryQueryAction  action)
{
  for (guint i = 0; i < actions->len; i++)
    if (g_array_index (actions, QuarryQueryAction, i) == action)
      return TRUE;
  return FALSE;
}

/* Asserts the observer's state while a failed attempt waits for its retry. */
static void
assert_retrying (QuarryQuery *query,
                 guint        failure_count)
{
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  g_assert_null (quarry_query_get_error (query));
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, failure_count);
  g_assert_nonnull (quarry_query_get_failure_reason (query));
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);
  g_assert_true (quarry_query_get_is_fetching (query));
  g_assert_cmpuint (quarry_query_get_error_update_count (query), ==, 0);
}

/* Default retry: 3 retries, 1 s, 2 s, 4 s apart. */

static void
test_default_retry (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"retry\"]", fetcher);
  static const gint64 times[] = { 0, 1000, 3000, 7000 };

  g_assert_cmpint (quarry_query_get_retry (query), ==, 3);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpint (now (f), ==, times[0]);
  g_assert_true (quarry_query_get_is_loading (query));

  for (guint i = 1; i < G_N_ELEMENTS (times); i++)
    {
      fetcher_reject (fetcher, i - 1, "boom");
      quarry_clock_flush (f->clock);
      assert_retrying (query, i);
      g_assert_cmpstr (quarry_query_get_failure_reason (query)->message, ==, "boom");

      /* The retry waits its whole delay, to the millisecond. */
      quarry_clock_advance (f->clock, times[i] - now (f) - 1);
      g_assert_cmpuint (fetcher->calls, ==, i);
      assert_retrying (query, i);
      quarry_clock_advance (f->clock, 1);
      g_assert_cmpuint (fetcher->calls, ==, i + 1);
      g_assert_cmpint (now (f), ==, times[i]);
      g_assert_cmpuint (quarry_fetch_context_get_attempt (fetcher_take (fetcher, i)), ==, i + 1);
    }

  fetcher_reject (fetcher, 3, "final");
  quarry_clock_flush (f->clock);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_error (quarry_query_get_error (query), G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (quarry_query_get_error (query)->message, ==, "final");
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 4);
  g_assert_error (quarry_query_get_failure_reason (query), G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (quarry_query_get_error_update_count (query), ==, 1);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpint (quarry_query_get_data_updated_at (query), ==, 0);
  g_assert_cmpint (quarry_query_get_error_updated_at (query), ==, 1700000000000 + 7000);
  g_assert_true (quarry_query_get_is_loading_error (query));
  g_assert_null (quarry_query_get_value (query));

  /* No fifth attempt. */
  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (fetcher->calls, ==, 4);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* retry 0: one call, the error at once. */
static void
test_retry_zero (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"retry\"]", fetcher);

  quarry_query_set_retry (query, 0);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_flush (f->clock);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 1);
  g_assert_cmpuint (quarry_query_get_error_update_count (query), ==, 1);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0); /* no retry pending */

  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* retry 1: two calls, 1 s apart; the final failure count is 2. */
static void
test_retry_one (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"retry\"]", fetcher);

  quarry_query_set_retry (query, 1);
  quarry_clock_flush (f->clock);

  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_flush (f->clock);
  assert_retrying (query, 1);

  quarry_clock_advance (f->clock, 999);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  fetcher_reject (fetcher, 1, "boom");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 2);
  g_assert_cmpuint (quarry_query_get_error_update_count (query), ==, 1);

  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* Infinite retry keeps going, with the delay capped at 30 s, until the fetch
 * is cancelled. */
static void
test_retry_infinite (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"retry\"]", fetcher);
  static const gint64 delays[] = { 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000 };

  quarry_query_set_retry (query, QUARRY_RETRY_INFINITE);
  quarry_clock_flush (f->clock);

  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    {
      fetcher_reject (fetcher, i, "boom");
      quarry_clock_flush (f->clock);
      assert_retrying (query, i + 1);
      quarry_clock_advance (f->clock, delays[i] - 1);
      g_assert_cmpuint (fetcher->calls, ==, i + 1);
      quarry_clock_advance (f->clock, 1);
      g_assert_cmpuint (fetcher->calls, ==, i + 2);
    }

  /* Fail once more and cancel while the retry waits. */
  fetcher_reject (fetcher, G_N_ELEMENTS (delays), "boom");
  quarry_clock_flush (f->clock);
  assert_retrying (query, G_N_ELEMENTS (delays) + 1);

  quarry_query_client_cancel_queries (f->client, NULL);
  quarry_clock_flush (f->clock);

  /* Reverted to the state before the fetch: pending, idle, no error. */
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_null (quarry_query_get_error (query));
  g_assert_cmpuint (quarry_query_get_error_update_count (query), ==, 0);

  quarry_clock_advance (f->clock, 10 * 60000);
  g_assert_cmpuint (fetcher->calls, ==, G_N_ELEMENTS (delays) + 1);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* A fixed retry delay replaces the back-off. */
static void
test_retry_delay_fixed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"retry\"]", fetcher);

  quarry_query_set_retry (query, 2);
  quarry_query_set_retry_delay (query, 500);
  quarry_clock_flush (f->clock);

  for (guint i = 0; i < 2; i++)
    {
      fetcher_reject (fetcher, i, "boom");
      quarry_clock_flush (f->clock);
      quarry_clock_advance (f->clock, 499);
      g_assert_cmpuint (fetcher->calls, ==, i + 1);
      quarry_clock_advance (f->clock, 1);
      g_assert_cmpuint (fetcher->calls, ==, i + 2);
    }
  g_assert_cmpint (now (f), ==, 1000);

  fetcher_reject (fetcher, 2, "boom");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 3);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* A retry function sees the failure count before the increment, from 0, and
 * the error; here it retries only timeouts. */
typedef struct
{
  GArray *counts;
  GArray *codes;
} RetryLog;

static gboolean
retry_timeouts_only (guint         failure_count,
                     const GError *error,
                     gpointer      user_data)
{
  RetryLog *log = user_data;
  gint code = error->code;

  g_array_append_val (log->counts, failure_count);
  g_array_append_val (log->codes, code);
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static void
test_retry_func (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"retry\"]", fetcher);
  RetryLog log = { g_array_new (FALSE, FALSE, sizeof (guint)), g_array_new (FALSE, FALSE, sizeof (gint)) };

  quarry_query_set_retry_func (query, retry_timeouts_only, &log, NULL);
  quarry_clock_flush (f->clock);

  reject_code (fetcher, 0, G_IO_ERROR_TIMED_OUT, "slow");
  quarry_clock_flush (f->clock);
  assert_retrying (query, 1);
  quarry_clock_advance (f->clock, 1000);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  reject_code (fetcher, 1, G_IO_ERROR_TIMED_OUT, "slow");
  quarry_clock_flush (f->clock);
  assert_retrying (query, 2);
  quarry_clock_advance (f->clock, 2000);
  g_assert_cmpuint (fetcher->calls, ==, 3);

  /* Not a timeout: no retry, whatever the count. */
  reject_code (fetcher, 2, G_IO_ERROR_PERMISSION_DENIED, "no");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_error (quarry_query_get_error (query), G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 3);

  g_assert_cmpuint (log.counts->len, ==, 3);
  g_assert_cmpuint (g_array_index (log.counts, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (log.counts, guint, 1), ==, 1);
  g_assert_cmpuint (g_array_index (log.counts, guint, 2), ==, 2);
  g_assert_cmpint (g_array_index (log.codes, gint, 2), ==, G_IO_ERROR_PERMISSION_DENIED);

  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (fetcher->calls, ==, 3);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
  g_array_unref (log.counts);
  g_array_unref (log.codes);
}

/* The retry-delay function gets the pre-increment count and the error. */
static gint64
linear_delay (guint         failure_count,
              const GError *error,
              gpointer      user_data)
{
  GArray *counts = user_data;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_array_append_val (counts, failure_count);
  return (failure_count + 1) * 100;
}

static void
test_retry_delay_func (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"retry\"]", fetcher);
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));

  quarry_query_set_retry (query, 2);
  quarry_query_set_retry_delay_func (query, linear_delay, counts, NULL);
  quarry_clock_flush (f->clock);

  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_advance (f->clock, 99);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  fetcher_reject (fetcher, 1, "boom");
  quarry_clock_advance (f->clock, 199);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_cmpint (now (f), ==, 300);

  fetcher_reject (fetcher, 2, "boom");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);

  /* Called for the two retries only, not for the final failure. */
  g_assert_cmpuint (counts->len, ==, 2);
  g_assert_cmpuint (g_array_index (counts, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (counts, guint, 1), ==, 1);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* Success after two failures clears the failure count and reason. */
static void
test_success_after_failures (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"retry\"]", fetcher);

  quarry_clock_flush (f->clock);
  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_advance (f->clock, 1000);
  fetcher_reject (fetcher, 1, "boom");
  quarry_clock_advance (f->clock, 2000);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_retrying (query, 2);

  fetcher_resolve_int (fetcher, 2, 42);
  quarry_clock_flush (f->clock);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 42);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 0);
  g_assert_null (quarry_query_get_failure_reason (query));
  g_assert_null (quarry_query_get_error (query));
  g_assert_cmpuint (quarry_query_get_error_update_count (query), ==, 0);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpint (quarry_query_get_data_updated_at (query), ==, 1700000000000 + 3000);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* A failed refetch keeps the data: a refetch error. The entry is
 * invalidated by the error. */
static void
test_error_keeps_data (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"retry\"]");
  QuarryQuery *query = quarry_query_new (f->client, key, fetcher_func, fetcher, NULL);
  g_autoptr(QuarryQueryState) state = NULL;

  quarry_query_set_retry (query, 0);
  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);

  state = quarry_query_client_get_query_state (f->client, key);
  g_assert_false (quarry_query_state_get_is_invalidated (state));
  g_clear_pointer (&state, quarry_query_state_unref);

  quarry_clock_advance (f->clock, 10);
  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  /* A refetch with data keeps the status. */
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_true (quarry_query_get_is_refetching (query));

  fetcher_reject (fetcher, 1, "down");
  quarry_clock_flush (f->clock);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_true (quarry_query_get_is_refetch_error (query));
  g_assert_false (quarry_query_get_is_loading_error (query));
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 1);
  g_assert_cmpint (quarry_query_get_data_updated_at (query), ==, 1700000000000);
  g_assert_cmpint (quarry_query_get_error_updated_at (query), ==, 1700000000010);
  g_assert_error (quarry_query_get_error (query), G_IO_ERROR, G_IO_ERROR_FAILED);

  state = quarry_query_client_get_query_state (f->client, key);
  g_assert_true (quarry_query_state_get_is_invalidated (state));
  g_assert_true (quarry_query_state_has_data (state));
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpuint (quarry_query_state_get_data_update_count (state), ==, 1);
  g_assert_cmpuint (quarry_query_state_get_error_update_count (state), ==, 1);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* A retry waits while the client is unfocused, paused, and goes on when the
 * focus comes back. */
static void
test_pause_unfocused (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"retry\"]", fetcher);
  g_autoptr(GArray) actions = g_array_new (FALSE, FALSE, sizeof (QuarryQueryAction));

  g_signal_connect (query, "state-changed", G_CALLBACK (record_action_cb), actions);
  quarry_clock_flush (f->clock);
  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_flush (f->clock);
  assert_retrying (query, 1);

  quarry_query_client_set_focused (f->client, FALSE);
  /* Still fetching during the delay: the retryer checks after sleeping. */
  quarry_clock_advance (f->clock, 999);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);
  g_assert_false (has_action (actions, QUARRY_QUERY_ACTION_PAUSE));

  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_PAUSED);
  g_assert_true (quarry_query_get_is_paused (query));
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 1);
  g_assert_true (has_action (actions, QUARRY_QUERY_ACTION_PAUSE));
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 0);

  /* Time alone does not resume it. */
  quarry_clock_advance (f->clock, 10 * 60000);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_false (has_action (actions, QUARRY_QUERY_ACTION_CONTINUE));

  quarry_query_client_set_focused (f->client, TRUE);
  g_assert_true (has_action (actions, QUARRY_QUERY_ACTION_CONTINUE));
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 1);

  fetcher_resolve_int (fetcher, 1, 7);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* ONLINE (default): a fetch started offline is paused before its first
 * attempt and starts when the client comes online. */
static void
test_offline_online_mode (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query;

  quarry_query_client_set_online (f->client, FALSE);
  query = make_query (f, "[\"retry\"]", fetcher);
  g_assert_cmpint (quarry_query_get_network_mode (query), ==, QUARRY_NETWORK_MODE_ONLINE);
  quarry_clock_flush (f->clock);

  g_assert_cmpuint (fetcher->calls, ==, 0);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_PAUSED);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  g_assert_false (quarry_query_get_is_loading (query));

  quarry_clock_advance (f->clock, 10 * 60000);
  g_assert_cmpuint (fetcher->calls, ==, 0);

  /* Unfocused does not matter for the first attempt. */
  quarry_query_client_set_focused (f->client, FALSE);
  quarry_query_client_set_online (f->client, TRUE);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);

  fetcher_resolve_int (fetcher, 0, 3);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* ONLINE: a retry offline waits for the network. */
static void
test_offline_retry_online_mode (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"retry\"]", fetcher);

  quarry_clock_flush (f->clock);
  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_flush (f->clock);

  quarry_query_client_set_online (f->client, FALSE);
  quarry_clock_advance (f->clock, 1000);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_PAUSED);

  quarry_query_client_set_online (f->client, TRUE);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* OFFLINE_FIRST: the first attempt runs offline; its retries wait for the
 * network. */
static void
test_offline_first (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query;

  quarry_query_client_set_online (f->client, FALSE);
  query = make_query (f, "[\"retry\"]", fetcher);
  quarry_query_set_network_mode (query, QUARRY_NETWORK_MODE_OFFLINE_FIRST);
  quarry_clock_flush (f->clock);

  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);

  fetcher_reject (fetcher, 0, "offline");
  quarry_clock_flush (f->clock);
  assert_retrying (query, 1);
  quarry_clock_advance (f->clock, 1000);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_PAUSED);

  quarry_clock_advance (f->clock, 10 * 60000);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  quarry_query_client_set_online (f->client, TRUE);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);

  fetcher_resolve_int (fetcher, 1, 5);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 0);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* ALWAYS ignores the network, but its retries still wait for focus; it does
 * not refetch on reconnect by default. */
static void
test_network_always (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query;

  quarry_query_client_set_online (f->client, FALSE);
  query = make_query (f, "[\"retry\"]", fetcher);
  quarry_query_set_network_mode (query, QUARRY_NETWORK_MODE_ALWAYS);
  g_assert_cmpint (quarry_query_get_refetch_on_reconnect (query), ==, QUARRY_REFETCH_MODE_NEVER);
  quarry_clock_flush (f->clock);

  g_assert_cmpuint (fetcher->calls, ==, 1);
  fetcher_reject (fetcher, 0, "boom");
  quarry_clock_advance (f->clock, 1000);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);

  quarry_query_client_set_focused (f->client, FALSE);
  fetcher_reject (fetcher, 1, "boom");
  quarry_clock_advance (f->clock, 2000);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_PAUSED);

  /* Coming online does not matter to it. */
  quarry_query_client_set_online (f->client, TRUE);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_PAUSED);
  quarry_query_client_set_online (f->client, FALSE);

  quarry_query_client_set_focused (f->client, TRUE);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);

  fetcher_resolve_int (fetcher, 2, 9);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);

  /* Stale, but reconnecting does not refetch it. */
  quarry_query_client_set_online (f->client, TRUE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* Reconnect and focus refetches. */

typedef enum
{
  EVENT_RECONNECT,
  EVENT_FOCUS,
} Event;

static void
toggle (Fixture *f,
        Event    event)
{
  if (event == EVENT_RECONNECT)
    {
      quarry_query_client_set_online (f->client, FALSE);
      quarry_clock_flush (f->clock);
      quarry_query_client_set_online (f->client, TRUE);
    }
  else
    {
      quarry_query_client_set_focused (f->client, FALSE);
      quarry_clock_flush (f->clock);
      quarry_query_client_set_focused (f->client, TRUE);
    }
  quarry_clock_flush (f->clock);
}

static void
set_mode (QuarryQuery       *query,
          Event              event,
          QuarryRefetchMode  mode)
{
  if (event == EVENT_RECONNECT)
    quarry_query_set_refetch_on_reconnect (query, mode);
  else
    quarry_query_set_refetch_on_window_focus (query, mode);
}

/* Mounts a query, loads it, and returns it idle with data 1. */
static QuarryQuery *
loaded_query (Fixture    *f,
              Fetcher    *fetcher,
              const char *key_json,
              gint64      stale_time)
{
  QuarryQuery *query = make_query (f, key_json, fetcher);
  guint calls = fetcher->calls;

  quarry_query_set_stale_time (query, stale_time);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, calls + 1);
  fetcher_resolve_int (fetcher, fetcher->calls - 1, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  return query;
}

static void
test_event_refetch (Fixture       *f,
                    gconstpointer  data)
{
  Event event = GPOINTER_TO_INT (data);
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query;

  /* Stale: refetches. */
  query = loaded_query (f, fetcher, "[\"stale\"]", 0);
  g_assert_true (quarry_query_get_is_stale (query));
  toggle (f, event);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_true (quarry_query_get_is_refetching (query));
  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query)), ==, 2);

  /* Losing the event alone does nothing. */
  if (event == EVENT_RECONNECT)
    quarry_query_client_set_online (f->client, FALSE);
  else
    quarry_query_client_set_focused (f->client, FALSE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  if (event == EVENT_RECONNECT)
    quarry_query_client_set_online (f->client, TRUE);
  else
    quarry_query_client_set_focused (f->client, TRUE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  fetcher_resolve_int (fetcher, 2, 3);
  quarry_clock_flush (f->clock);

  /* NEVER: no refetch, though stale. */
  set_mode (query, event, QUARRY_REFETCH_MODE_NEVER);
  toggle (f, event);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);

  /* A disabled query does not refetch either. */
  set_mode (query, event, QUARRY_REFETCH_MODE_ALWAYS);
  quarry_query_set_enabled (query, FALSE);
  toggle (f, event);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_finalize_object (query);

  /* Fresh: no refetch. */
  query = loaded_query (f, fetcher, "[\"fresh\"]", 60000);
  g_assert_cmpuint (fetcher->calls, ==, 4);
  g_assert_false (quarry_query_get_is_stale (query));
  toggle (f, event);
  g_assert_cmpuint (fetcher->calls, ==, 4);

  /* ALWAYS: refetches even when fresh. */
  set_mode (query, event, QUARRY_REFETCH_MODE_ALWAYS);
  toggle (f, event);
  g_assert_cmpuint (fetcher->calls, ==, 5);
  fetcher_resolve_int (fetcher, 4, 2);
  quarry_clock_flush (f->clock);

  /* Once fresh data goes stale with time, IF_STALE refetches. */
  set_mode (query, event, QUARRY_REFETCH_MODE_IF_STALE);
  quarry_clock_advance (f->clock, 60001);
  g_assert_true (quarry_query_get_is_stale (query));
  toggle (f, event);
  g_assert_cmpuint (fetcher->calls, ==, 6);
  fetcher_resolve_int (fetcher, 5, 3);
  quarry_clock_flush (f->clock);

  /* STATIC: never, not even with ALWAYS, not even invalidated. */
  quarry_query_set_stale_time (query, QUARRY_STALE_TIME_STATIC);
  set_mode (query, event, QUARRY_REFETCH_MODE_ALWAYS);
  toggle (f, event);
  g_assert_cmpuint (fetcher->calls, ==, 6);
  quarry_query_client_invalidate_queries (f->client, NULL, QUARRY_REFETCH_TYPE_NONE);
  toggle (f, event);
  g_assert_cmpuint (fetcher->calls, ==, 6);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* A stale query that is fetching when the event comes shares that fetch. */
static void
test_event_refetch_dedups (Fixture       *f,
                           gconstpointer  data)
{
  Event event = GPOINTER_TO_INT (data);
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = loaded_query (f, fetcher, "[\"stale\"]", 0);
  QuarryFetchContext *context;

  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  context = fetcher_take (fetcher, 1);

  toggle (f, event);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_false (g_cancellable_is_cancelled (quarry_fetch_context_get_cancellable (context)));

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* Refetch interval. */

static void
test_refetch_interval (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(QuarryKey) key = key_new ("[\"interval\"]");
  QuarryQuery *query;

  instant_fetch_reset ();
  query = quarry_query_new (f->client, key, instant_fetch, (gpointer) "1", NULL);
  quarry_query_set_refetch_interval (query, 1000);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (instant_fetch_calls (), ==, 1);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);

  quarry_clock_advance (f->clock, 999);
  g_assert_cmpuint (instant_fetch_calls (), ==, 1);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (instant_fetch_calls (), ==, 2);
  quarry_clock_advance (f->clock, 2000);
  g_assert_cmpuint (instant_fetch_calls (), ==, 4);

  /* Not in the background. */
  quarry_query_client_set_focused (f->client, FALSE);
  quarry_clock_advance (f->clock, 3000);
  g_assert_cmpuint (instant_fetch_calls (), ==, 4);

  /* Unless told to. */
  quarry_query_set_refetch_interval_in_background (query, TRUE);
  quarry_clock_advance (f->clock, 3000);
  g_assert_cmpuint (instant_fetch_calls (), ==, 7);

  /* Interval 0 means none. */
  quarry_query_set_refetch_interval (query, 0);
  quarry_clock_advance (f->clock, 3000);
  g_assert_cmpuint (instant_fetch_calls (), ==, 7);

  g_assert_finalize_object (query);

  /* Unmounted: no ticks, and no timers but the gc. */
  quarry_clock_advance (f->clock, 3000);
  g_assert_cmpuint (instant_fetch_calls (), ==, 7);
}

/* An interval tick shares a fetch in flight; it never cancels it. */
static void
test_refetch_interval_dedups (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = loaded_query (f, fetcher, "[\"interval\"]", 0);

  quarry_query_set_refetch_interval (query, 1000);
  quarry_clock_advance (f->clock, 1000);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  /* The fetch hangs across several intervals. */
  quarry_clock_advance (f->clock, 3500);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_false (g_cancellable_is_cancelled (quarry_fetch_context_get_cancellable (fetcher_take (fetcher, 1))));

  /* Counting restarts from the update. */
  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_advance (f->clock, 999);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (fetcher->calls, ==, 3);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* No result: an unset value, or a context dropped without completion. */

static void
unset_value_fetch (QuarryFetchContext *context,
                   gpointer            user_data)
{
  GValue value = G_VALUE_INIT;
  guint *calls = user_data;

  (*calls)++;
  quarry_fetch_context_return_value (context, &value);
}

static void
dropping_fetch (QuarryFetchContext *context,
                gpointer            user_data)
{
  guint *calls = user_data;

  (*calls)++;
}

static void
test_no_result (Fixture       *f,
                gconstpointer  data)
{
  QuarryFetchFunc func = data;
  g_autoptr(QuarryKey) key = key_new ("[\"none\"]");
  guint calls = 0;
  QuarryQuery *query = quarry_query_new (f->client, key, func, &calls, NULL);

  quarry_query_set_retry (query, 0);
  quarry_clock_flush (f->clock);

  g_assert_cmpuint (calls, ==, 1);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_error (quarry_query_get_error (query), QUARRY_ERROR, QUARRY_ERROR_NO_RESULT);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_null (quarry_query_get_value (query));
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 1);

  g_assert_finalize_object (query);
}

/* With retries, a missing result is retried like any error. */
static void
test_no_result_retried (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(QuarryKey) key = key_new ("[\"none\"]");
  guint calls = 0;
  QuarryQuery *query = quarry_query_new (f->client, key, dropping_fetch, &calls, NULL);

  quarry_query_set_retry (query, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (calls, ==, 1);
  assert_retrying (query, 1);
  g_assert_error (quarry_query_get_failure_reason (query), QUARRY_ERROR, QUARRY_ERROR_NO_RESULT);
  quarry_clock_advance (f->clock, 1000);
  g_assert_cmpuint (calls, ==, 2);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 2);

  g_assert_finalize_object (query);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_DATA(path, data, func) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("/Quarry/Retry/default", test_default_retry);
  ADD ("/Quarry/Retry/zero", test_retry_zero);
  ADD ("/Quarry/Retry/one", test_retry_one);
  ADD ("/Quarry/Retry/infinite", test_retry_infinite);
  ADD ("/Quarry/Retry/delay-fixed", test_retry_delay_fixed);
  ADD ("/Quarry/Retry/func", test_retry_func);
  ADD ("/Quarry/Retry/delay-func", test_retry_delay_func);
  ADD ("/Quarry/Retry/success-after-failures", test_success_after_failures);
  ADD ("/Quarry/Retry/error-keeps-data", test_error_keeps_data);
  ADD ("/Quarry/Retry/pause-unfocused", test_pause_unfocused);
  ADD ("/Quarry/Retry/offline/online-mode", test_offline_online_mode);
  ADD ("/Quarry/Retry/offline/online-mode-retry", test_offline_retry_online_mode);
  ADD ("/Quarry/Retry/offline/offline-first", test_offline_first);
  ADD ("/Quarry/Retry/offline/always", test_network_always);
  ADD_DATA ("/Quarry/Retry/reconnect-refetch", GINT_TO_POINTER (EVENT_RECONNECT), test_event_refetch);
  ADD_DATA ("/Quarry/Retry/focus-refetch", GINT_TO_POINTER (EVENT_FOCUS), test_event_refetch);
  ADD_DATA ("/Quarry/Retry/reconnect-refetch-dedups", GINT_TO_POINTER (EVENT_RECONNECT), test_event_refetch_dedups);
  ADD_DATA ("/Quarry/Retry/focus-refetch-dedups", GINT_TO_POINTER (EVENT_FOCUS), test_event_refetch_dedups);
  ADD ("/Quarry/Retry/refetch-interval", test_refetch_interval);
  ADD ("/Quarry/Retry/refetch-interval-dedups", test_refetch_interval_dedups);
  ADD_DATA ("/Quarry/Retry/no-result/unset-value", unset_value_fetch, test_no_result);
  ADD_DATA ("/Quarry/Retry/no-result/dropped-context", dropping_fetch, test_no_result);
  ADD ("/Quarry/Retry/no-result/retried", test_no_result_retried);

#undef ADD
#undef ADD_DATA

  return g_test_run ();
}
