/* quarry-rest-example.c: queries and a mutation over a JSON REST API.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Starts a small todo API on 127.0.0.1 (a SoupServer, in this process),
 * then lists the todos, reads one, marks it done with a PATCH that
 * invalidates the list, revalidates the list with its ETag (a 304 keeps
 * the cached data), and shows what a 404 looks like.
 */

#include <quarry.h>

/* The server side: three todos, an ETag that changes with them. */

static JsonNode *todos;
static guint version = 1;

static JsonObject *
find_todo (gint64 id)
{
  JsonArray *array = json_node_get_array (todos);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *todo = json_array_get_object_element (array, i);

      if (json_object_get_int_member (todo, "id") == id)
        return todo;
    }
  return NULL;
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         JsonNode          *body)
{
  g_autofree char *text = json_to_string (body, FALSE);
  g_autofree char *etag = g_strdup_printf ("\"v%u\"", version);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
todo_api (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  const char *method = soup_server_message_get_method (msg);
  const char *if_none_match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "If-None-Match");
  g_autofree char *etag = g_strdup_printf ("\"v%u\"", version);
  JsonObject *todo;

  g_print ("  server: %s %s%s\n", method, path, if_none_match ? " (If-None-Match)" : "");

  if (g_str_equal (path, "/todos"))
    {
      if (g_strcmp0 (if_none_match, etag) == 0)
        soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      else
        respond (msg, SOUP_STATUS_OK, todos);
      return;
    }

  todo = find_todo (g_ascii_strtoll (path + strlen ("/todos/"), NULL, 10));
  if (todo == NULL)
    {
      g_autoptr(JsonNode) error = json_from_string ("{\"message\": \"There is no such todo\"}", NULL);

      respond (msg, SOUP_STATUS_NOT_FOUND, error);
      return;
    }

  if (g_str_equal (method, "PATCH"))
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autoptr(JsonNode) patch = json_from_string (g_bytes_get_data (body, NULL), NULL);

      json_object_set_boolean_member (todo, "done",
                                      json_object_get_boolean_member (json_node_get_object (patch), "done"));
      version++;
    }

  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), todo);

    respond (msg, SOUP_STATUS_OK, node);
  }
}

/* The client side. */

static void
wait_until_idle (QuarryQuery *query)
{
  quarry_clock_flush (quarry_query_client_get_clock (quarry_query_get_client (query)));
  while (quarry_query_get_fetch_status (query) != QUARRY_FETCH_STATUS_IDLE)
    g_main_context_iteration (NULL, TRUE);
}

static void
show (const char  *what,
      QuarryQuery *query)
{
  const GError *error = quarry_query_get_error (query);
  g_autofree char *text = NULL;

  if (error != NULL)
    {
      g_print ("%s: error: %s\n", what, error->message);
      return;
    }
  text = json_to_string (g_value_get_boxed (quarry_query_get_value (query)), FALSE);
  g_print ("%s: %s\n", what, text);
}

int
main (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(QuarryQueryClient) client = quarry_query_client_new ();
  g_autoptr(QuarryHttpClient) http = NULL;
  g_autoptr(QuarryMutation) mark_done = NULL;
  g_autoptr(QuarryKey) list_key = quarry_key_new_from_string ("[\"todos\"]", NULL);
  g_autoptr(QuarryKey) todo_key = quarry_key_new_from_string ("[\"todos\", {\"id\": 2}]", NULL);
  g_autoptr(QuarryKey) missing_key = quarry_key_new_from_string ("[\"todos\", {\"id\": 99}]", NULL);
  g_autoptr(QuarryQuery) list = NULL;
  g_autoptr(QuarryQuery) todo = NULL;
  g_autoptr(QuarryQuery) missing = NULL;
  g_autoptr(JsonNode) patch = json_from_string ("{\"id\": 2, \"done\": true}", NULL);
  g_auto(GValue) variables = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  GSList *uris;
  gint64 updated_at;

  todos = json_from_string ("[{\"id\": 1, \"title\": \"Buy milk\", \"done\": false},"
                            " {\"id\": 2, \"title\": \"Water the plants\", \"done\": false},"
                            " {\"id\": 3, \"title\": \"Call mum\", \"done\": true}]", NULL);
  soup_server_add_handler (server, "/todos", todo_api, NULL, NULL);
  if (!soup_server_listen (server, address, 0, &error))
    g_error ("Cannot start the example server: %s", error->message);
  uris = soup_server_get_uris (server);
  base = g_strdup_printf ("http://127.0.0.1:%d/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* One client per API: base URI, headers, timeout. Endpoints are fetch
   * and mutation functions. */
  http = quarry_http_client_new (base);
  quarry_http_client_set_header (http, "Authorization", "Bearer example-token");

  list = quarry_query_new (client, list_key, quarry_http_fetch_func,
                           quarry_http_client_endpoint (http, "GET", "/todos"), g_object_unref);
  wait_until_idle (list);
  show ("list", list);

  /* {id} comes from the key's object. */
  todo = quarry_query_new (client, todo_key, quarry_http_fetch_func,
                           quarry_http_client_endpoint (http, "GET", "/todos/{id}"), g_object_unref);
  wait_until_idle (todo);
  show ("todo 2", todo);

  /* PATCH /todos/2 with {"done": true}: {id} is taken from the variables,
   * the rest is the body. Success invalidates the list, which refetches. */
  mark_done = quarry_mutation_new (client, NULL, quarry_http_mutation_func,
                                   quarry_http_client_endpoint (http, "PATCH", "/todos/{id}"),
                                   g_object_unref);
  quarry_mutation_options_add_invalidate_key (quarry_mutation_get_options (mark_done), list_key);
  g_value_init (&variables, JSON_TYPE_NODE);
  g_value_set_boxed (&variables, patch);
  quarry_mutation_mutate (mark_done, &variables, NULL, NULL, NULL);
  while (quarry_mutation_get_status (mark_done) == QUARRY_MUTATION_STATUS_PENDING ||
         quarry_query_get_fetch_status (list) != QUARRY_FETCH_STATUS_IDLE)
    g_main_context_iteration (NULL, TRUE);
  show ("after PATCH", list);

  /* Nothing changed since: the server answers 304 to the list's ETag, the
   * cached list stays as it is and counts as fresh. */
  updated_at = quarry_query_get_data_updated_at (list);
  quarry_query_client_invalidate_queries (client, NULL, QUARRY_REFETCH_TYPE_DEFAULT);
  wait_until_idle (list);
  g_print ("revalidated: data-updated-at moved by %" G_GINT64_FORMAT " ms, data unchanged\n",
           quarry_query_get_data_updated_at (list) - updated_at);

  /* An HTTP error carries the status and the server's message; a 404 is
   * not retried. */
  missing = quarry_query_new (client, missing_key, quarry_http_fetch_func,
                              quarry_http_client_endpoint (http, "GET", "/todos/{id}"), g_object_unref);
  wait_until_idle (missing);
  show ("todo 99", missing);
  g_assert (g_error_matches (quarry_query_get_error (missing), QUARRY_HTTP_ERROR, 404));

  quarry_query_client_clear (client);
  g_clear_object (&http);
  while (g_main_context_iteration (NULL, FALSE));
  soup_server_disconnect (server);
  json_node_unref (todos);
  return 0;
}
