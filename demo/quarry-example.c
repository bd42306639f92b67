/* quarry-example.c: Quarry's query lifecycle, in a terminal.
 *
 * A "server" that answers from a worker thread, a query that loads it,
 * shows cached data while it revalidates, retries a failure, and an
 * invalidation that refetches. Run it with the README's first command.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <quarry.h>

static guint request_count;

/* The blocking part, in a worker thread: pretend to ask a server. The second
 * request fails once, to show a retry. */
static void
load_todos (GCancellable  *cancellable,
            GValue        *value,
            gpointer       user_data,
            GError       **error)
{
  guint request = GPOINTER_TO_UINT (user_data);
  g_autofree char *json = NULL;
  JsonNode *node;

  g_usleep (100 * 1000);

  if (request == 2)
    {
      g_set_error_literal (error, QUARRY_HTTP_ERROR, QUARRY_HTTP_ERROR_SERVICE_UNAVAILABLE,
                           "Service unavailable (simulated)");
      return;
    }

  json = g_strdup_printf ("[{\"id\": 1, \"title\": \"Buy milk\", \"done\": %s},"
                          " {\"id\": 2, \"title\": \"Write Quarry\", \"done\": false}]",
                          request >= 3 ? "true" : "false");
  node = json_from_string (json, error);
  if (node == NULL)
    return;

  g_value_init (value, JSON_TYPE_NODE);
  g_value_take_boxed (value, node);
}

static void
fetch_todos (QuarryFetchContext *context,
             gpointer            user_data)
{
  guint request = ++request_count;

  g_print ("  -> fetch #%u of %s\n", request, quarry_key_to_string (quarry_fetch_context_get_key (context)));
  quarry_fetch_context_run_in_thread (context, load_todos, GUINT_TO_POINTER (request), NULL);
}

static void
print_state (QuarryQuery *query)
{
  static const char *status[] = { "pending", "error", "success" };
  static const char *fetch_status[] = { "idle", "fetching", "paused" };
  const GValue *value = quarry_query_get_value (query);
  const GError *error = quarry_query_get_failure_reason (query);
  g_autofree char *data = NULL;

  if (value != NULL)
    data = json_to_string (g_value_get_boxed (value), FALSE);

  g_print ("  status=%-7s fetch-status=%-8s failures=%u%s%s data=%s\n",
           status[quarry_query_get_status (query)],
           fetch_status[quarry_query_get_fetch_status (query)],
           quarry_query_get_failure_count (query),
           error ? " reason=" : "", error ? error->message : "",
           data ? data : "(none)");
}

static void
state_changed_cb (QuarryQuery       *query,
                  QuarryQueryAction  action,
                  gpointer           user_data)
{
  print_state (query);
}

static void
run_until (GMainContext *context,
           QuarryQuery  *query,
           gboolean    (*done) (QuarryQuery *))
{
  while (!done (query))
    g_main_context_iteration (context, TRUE);
}

static gboolean
settled (QuarryQuery *query)
{
  return quarry_query_get_fetch_status (query) == QUARRY_FETCH_STATUS_IDLE &&
         quarry_query_get_status (query) != QUARRY_STATUS_PENDING;
}

int
main (void)
{
  g_autoptr(QuarryQueryClient) client = quarry_query_client_new ();
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(QuarryQuery) query = NULL;
  g_autoptr(QuarryQuery) second = NULL;
  g_autoptr(GError) error = NULL;
  GMainContext *context = g_main_context_default ();

  /* This example runs without a network: do not wait for one. */
  quarry_query_client_set_network_monitor (client, NULL);
  quarry_query_client_set_online (client, TRUE);

  key = quarry_key_new_from_string ("[\"todos\", {\"list\": \"home\"}]", &error);
  g_assert_no_error (error);

  g_print ("1. A query loads its data:\n");
  query = quarry_query_new (client, key, fetch_todos, NULL, NULL);
  quarry_query_set_retry_delay (query, 200);
  g_signal_connect (query, "state-changed", G_CALLBACK (state_changed_cb), NULL);
  run_until (context, query, settled);

  g_print ("\n2. A second query of the same key shows the cached data at once and\n"
           "   revalidates it, because it is stale (stale-time 0); the first attempt\n"
           "   fails and is retried:\n");
  second = quarry_query_new (client, key, fetch_todos, NULL, NULL);
  quarry_query_set_retry_delay (second, 200);
  print_state (second);
  g_main_context_iteration (context, FALSE);
  run_until (context, query, settled);

  g_print ("\n3. Invalidating the todos refetches the active queries, once for both:\n");
  {
    g_autoptr(QuarryKey) prefix = quarry_key_new_from_string ("[\"todos\"]", NULL);
    g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (prefix);

    quarry_query_client_invalidate_queries (client, filter, QUARRY_REFETCH_TYPE_DEFAULT);
  }
  run_until (context, query, settled);

  g_print ("\n%u requests for two queries of one key. Done.\n", request_count);
  return 0;
}
