/* w8-http-json.c: W8 of shared/bench/WORKLOADS.md
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fetches a 5 MB JSON list through the HTTP layer from a SoupServer on
 * loopback, which runs in a thread of its own so that serving does not
 * count against the client. A 1 ms timer on the client's main loop
 * measures the longest stall: the longest gap between two of its ticks
 * while the fetch runs. Prints one JSON line per figure set.
 */

#include <quarry.h>

#define TARGET_BYTES (5 * 1024 * 1024)
#define RUNS 7

typedef struct
{
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  GBytes *body;
  GBytes *changed;               /* the same list with its last todo done */
  gboolean serve_changed;
  guint port;
  GMutex lock;
  GCond ready;
} Server;

static void
serve_cb (SoupServer        *soup_server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Server *server = user_data;
  GBytes *body = g_atomic_int_get (&server->serve_changed) ? server->changed : server->body;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static gpointer
server_thread (gpointer data)
{
  Server *server = data;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  g_main_context_push_thread_default (server->context);

  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, NULL, serve_cb, server, NULL);
  if (!soup_server_listen (server->server, address, 0, NULL))
    g_error ("Cannot listen on loopback");
  uris = soup_server_get_uris (server->server);
  g_mutex_lock (&server->lock);
  server->port = g_uri_get_port (uris->data);
  g_cond_signal (&server->ready);
  g_mutex_unlock (&server->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (server->loop);

  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

/* About TARGET_BYTES of todos, as a REST API lists them. */
static GBytes *
make_body (guint *n_items)
{
  GString *json = g_string_sized_new (TARGET_BYTES + 1024);
  guint i;

  g_string_append_c (json, '[');
  for (i = 0; json->len < TARGET_BYTES; i++)
    g_string_append_printf (json,
                            "%s{\"id\":%u,\"title\":\"Todo number %u: water the plants and then the garden\","
                            "\"done\":%s,\"priority\":%u,\"tags\":[\"home\",\"garden\"],"
                            "\"created_at\":\"2026-11-%02uT10:%02u:00Z\"}",
                            i > 0 ? "," : "", i, i, i % 3 == 0 ? "true" : "false", i % 5,
                            1 + i % 28, i % 60);
  g_string_append_c (json, ']');
  *n_items = i;
  return g_string_free_to_bytes (json);
}

typedef struct
{
  gint64 last_tick;
  gint64 max_gap;
  gboolean done;
} Watch;

static gboolean
tick_cb (gpointer data)
{
  Watch *watch = data;
  gint64 now = g_get_monotonic_time ();

  watch->max_gap = MAX (watch->max_gap, now - watch->last_tick);
  watch->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
settled_cb (GObject    *object,
            GParamSpec *pspec,
            gpointer    data)
{
  Watch *watch = data;

  if (quarry_query_get_fetch_status (QUARRY_QUERY (object)) == QUARRY_FETCH_STATUS_IDLE)
    watch->done = TRUE;
}

/* One fetch; returns its wall time in seconds and the longest stall. */
static double
run_fetch (QuarryQueryClient *client,
           QuarryHttpClient  *http,
           guint              n_items,
           gint64            *max_stall)
{
  g_autoptr(QuarryKey) key = quarry_key_new_from_string ("[\"todos\"]", NULL);
  g_autoptr(QuarryQuery) query = NULL;
  Watch watch = { 0 };
  GSource *ticker;
  gint64 start;
  const GValue *data;

  ticker = g_timeout_source_new (1);
  g_source_set_callback (ticker, tick_cb, &watch, NULL);
  g_source_attach (ticker, NULL);

  start = watch.last_tick = g_get_monotonic_time ();
  query = quarry_query_new (client, key, quarry_http_fetch_func,
                            quarry_http_client_endpoint (http, "GET", "/todos"), g_object_unref);
  g_signal_connect (query, "notify::fetch-status", G_CALLBACK (settled_cb), &watch);
  while (!watch.done)
    g_main_context_iteration (NULL, TRUE);
  tick_cb (&watch);

  g_source_destroy (ticker);
  g_source_unref (ticker);

  data = quarry_query_get_value (query);
  if (quarry_query_get_error (query) != NULL)
    g_error ("W8 fetch failed: %s", quarry_query_get_error (query)->message);
  if (!G_VALUE_HOLDS (data, JSON_TYPE_NODE) ||
      json_array_get_length (json_node_get_array (g_value_get_boxed (data))) != n_items)
    g_error ("W8 fetch returned the wrong data");

  *max_stall = watch.max_gap;
  return (g_get_monotonic_time () - start) / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  Server server = { 0 };
  GThread *thread;
  g_autofree char *base = NULL;
  double seconds[RUNS];
  gint64 worst_stall = 0, refetch_stall = 0, changed_stall = 0;
  guint n_items;

  server.context = g_main_context_new ();
  server.loop = g_main_loop_new (server.context, FALSE);
  server.body = make_body (&n_items);
  {
    /* The last todo's priority changes: the comparison with the cached
     * list only finds the difference at its very end. */
    gsize size = g_bytes_get_size (server.body);
    char *text = g_memdup2 (g_bytes_get_data (server.body, NULL), size);
    char *priority = g_strrstr_len (text, size, "\"priority\":") + strlen ("\"priority\":");

    *priority = *priority == '9' ? '8' : '9';
    server.changed = g_bytes_new_take (text, size);
  }
  g_mutex_init (&server.lock);
  g_cond_init (&server.ready);

  g_mutex_lock (&server.lock);
  thread = g_thread_new ("w8-server", server_thread, &server);
  while (server.port == 0)
    g_cond_wait (&server.ready, &server.lock);
  g_mutex_unlock (&server.lock);
  base = g_strdup_printf ("http://127.0.0.1:%u", server.port);

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(QuarryQueryClient) client = quarry_query_client_new ();
      g_autoptr(QuarryHttpClient) http = quarry_http_client_new (base);
      gint64 stall;

      seconds[run] = run_fetch (client, http, n_items, &stall);
      worst_stall = MAX (worst_stall, stall);

      quarry_query_client_clear (client);
    }

  /* The same list again into the cached entry: it is compared with the
   * cached one in the worker thread. */
  {
    g_autoptr(QuarryQueryClient) client = quarry_query_client_new ();
    g_autoptr(QuarryHttpClient) http = quarry_http_client_new (base);
    gint64 stall;

    run_fetch (client, http, n_items, &stall);
    run_fetch (client, http, n_items, &refetch_stall);
    g_atomic_int_set (&server.serve_changed, TRUE);
    run_fetch (client, http, n_items, &changed_stall);
    quarry_query_client_clear (client);
  }

  qsort (seconds, RUNS, sizeof seconds[0], compare_doubles);
  g_print ("{\"workload\":\"W8-http-json\",\"side\":\"quarry\",\"bytes\":%" G_GSIZE_FORMAT ","
           "\"items\":%u,\"runs\":%d,\"seconds\":%.4f,\"max_stall_ms\":%.2f,"
           "\"refetch_max_stall_ms\":%.2f,\"changed_refetch_max_stall_ms\":%.2f}\n",
           g_bytes_get_size (server.body), n_items, RUNS, seconds[RUNS / 2],
           worst_stall / 1000.0, refetch_stall / 1000.0, changed_stall / 1000.0);

  g_main_loop_quit (server.loop);
  g_main_context_wakeup (server.context);
  g_thread_join (thread);
  g_main_loop_unref (server.loop);
  g_main_context_unref (server.context);
  g_bytes_unref (server.body);
  g_bytes_unref (server.changed);
  return 0;
}
