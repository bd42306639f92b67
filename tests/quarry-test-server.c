/* quarry-test-server.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-server.h"

static void
test_request_free (gpointer data)
{
  TestRequest *request = data;

  g_free (request->method);
  g_free (request->path);
  g_free (request->raw_path);
  g_free (request->query);
  soup_message_headers_unref (request->headers);
  g_bytes_unref (request->body);
  g_free (request);
}

TestServer *
test_server_new (void)
{
  TestServer *server = g_new0 (TestServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  server->server = soup_server_new ("server-header", "quarry-test-server", NULL);
  server->requests = g_ptr_array_new_with_free_func (test_request_free);

  soup_server_listen (server->server, address, 0, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server->server);
  g_assert_nonnull (uris);
  server->base_uri = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

void
test_server_free (TestServer *server)
{
  soup_server_disconnect (server->server);
  g_object_unref (server->server);
  g_ptr_array_unref (server->requests);
  g_free (server->base_uri);
  g_free (server);
}

TestRequest *
test_server_record (TestServer        *server,
                    SoupServerMessage *msg)
{
  TestRequest *request = g_new0 (TestRequest, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (body);

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_uri_unescape_string (g_uri_get_path (uri), NULL);
  request->raw_path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  {
    SoupMessageHeadersIter iter;
    const char *name, *value;

    soup_message_headers_iter_init (&iter, headers);
    while (soup_message_headers_iter_next (&iter, &name, &value))
      soup_message_headers_append (request->headers, name, value);
  }
  request->body = g_bytes_ref (flat);

  g_ptr_array_add (server->requests, request);
  return request;
}

guint
test_server_count (TestServer *server,
                   const char *path)
{
  guint count = 0;

  for (guint i = 0; i < server->requests->len; i++)
    {
      TestRequest *request = g_ptr_array_index (server->requests, i);

      if (path == NULL || g_strcmp0 (request->path, path) == 0)
        count++;
    }
  return count;
}

void
test_server_respond_json (SoupServerMessage *msg,
                          guint              status,
                          const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  if (json != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      json, strlen (json));
}

static gboolean
wait_too_long_cb (gpointer data)
{
  g_error ("Waited 20 s of real time for a condition that never came");
  return G_SOURCE_REMOVE;
}

void
test_wait_for (gboolean *flag)
{
  GSource *guard = g_timeout_source_new_seconds (20);

  g_source_set_callback (guard, wait_too_long_cb, NULL, NULL);
  g_source_attach (guard, g_main_context_get_thread_default ());

  while (!*flag)
    g_main_context_iteration (g_main_context_get_thread_default (), TRUE);

  g_source_destroy (guard);
  g_source_unref (guard);
}

typedef struct
{
  GSocket *socket;
  gboolean *closed;
} HoldWatch;

static void
hold_watch_free (gpointer data)
{
  HoldWatch *watch = data;

  g_object_unref (watch->socket);
  g_free (watch);
}

static gboolean
hold_socket_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  HoldWatch *watch = user_data;
  char byte;
  GInputVector vector = { &byte, 1 };
  gint flags = G_SOCKET_MSG_PEEK;
  g_autoptr(GError) error = NULL;
  gssize n;

  /* Peek, so that a byte of a next request would stay for libsoup. */
  n = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags, NULL, &error);
  if (n > 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;

  /* End of stream, or a reset: the client closed the connection. */
  *watch->closed = TRUE;
  return G_SOURCE_REMOVE;
}

static void
hold_source_destroy (gpointer data)
{
  g_source_destroy (data);
  g_source_unref (data);
}

void
test_server_hold (SoupServerMessage *msg,
                  gboolean          *closed)
{
  HoldWatch *watch = g_new0 (HoldWatch, 1);
  GSource *source;

  watch->socket = g_object_ref (soup_server_message_get_socket (msg));
  watch->closed = closed;

  soup_server_message_pause (msg);

  /* The watch goes with the message, at the latest when the server is
   * freed. */
  source = g_socket_create_source (watch->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (hold_socket_cb), watch, hold_watch_free);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_object_set_data_full (G_OBJECT (msg), "test-server-hold", source, hold_source_destroy);
}

TestServer *
test_server_new_raw_paths (void)
{
  TestServer *server = g_new0 (TestServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  server->server = soup_server_new ("server-header", "quarry-test-server",
                                    "raw-paths", TRUE,
                                    NULL);
  server->requests = g_ptr_array_new_with_free_func (test_request_free);

  soup_server_listen (server->server, address, 0, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server->server);
  g_assert_nonnull (uris);
  server->base_uri = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

/* TestTodo */

enum { TODO_PROP_0, TODO_PROP_ID, TODO_PROP_TITLE, TODO_PROP_DONE, TODO_PROP_PRIORITY };

G_DEFINE_FINAL_TYPE (TestTodo, test_todo, G_TYPE_OBJECT)

static void
test_todo_finalize (GObject *object)
{
  TestTodo *self = TEST_TODO (object);

  g_free (self->title);
  G_OBJECT_CLASS (test_todo_parent_class)->finalize (object);
}

static void
test_todo_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TestTodo *self = TEST_TODO (object);

  switch (prop_id)
    {
    case TODO_PROP_ID:
      g_value_set_int (value, self->id);
      break;
    case TODO_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case TODO_PROP_DONE:
      g_value_set_boolean (value, self->done);
      break;
    case TODO_PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_todo_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TestTodo *self = TEST_TODO (object);

  switch (prop_id)
    {
    case TODO_PROP_ID:
      self->id = g_value_get_int (value);
      break;
    case TODO_PROP_TITLE:
      g_free (self->title);
      self->title = g_value_dup_string (value);
      break;
    case TODO_PROP_DONE:
      self->done = g_value_get_boolean (value);
      break;
    case TODO_PROP_PRIORITY:
      self->priority = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_todo_class_init (TestTodoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = test_todo_finalize;
  object_class->get_property = test_todo_get_property;
  object_class->set_property = test_todo_set_property;

  g_object_class_install_property (object_class, TODO_PROP_ID,
                                   g_param_spec_int ("id", NULL, NULL, 0, G_MAXINT, 0, rw));
  g_object_class_install_property (object_class, TODO_PROP_TITLE,
                                   g_param_spec_string ("title", NULL, NULL, NULL, rw));
  g_object_class_install_property (object_class, TODO_PROP_DONE,
                                   g_param_spec_boolean ("done", NULL, NULL, FALSE, rw));
  g_object_class_install_property (object_class, TODO_PROP_PRIORITY,
                                   g_param_spec_int ("priority", NULL, NULL, 0, 10, 0, rw));
}

static void
test_todo_init (TestTodo *self)
{
}
