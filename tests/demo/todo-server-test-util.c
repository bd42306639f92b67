/* todo-server-test-util.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>

#include "todo-server-test-util.h"

static gboolean
wait_too_long_cb (gpointer data)
{
  g_error ("Waited 20 s of real time for a condition that never came");
  return G_SOURCE_REMOVE;
}

void
todo_wait_until (gboolean (*condition) (gpointer data),
                 gpointer   data)
{
  GMainContext *context = g_main_context_get_thread_default ();
  GSource *guard = g_timeout_source_new_seconds (20);

  g_source_set_callback (guard, wait_too_long_cb, NULL, NULL);
  g_source_attach (guard, context);

  while (!condition (data))
    g_main_context_iteration (context, TRUE);

  g_source_destroy (guard);
  g_source_unref (guard);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

void
todo_wait_for (gboolean *flag)
{
  todo_wait_until (flag_is_set, flag);
}

static void
start_server (TodoFixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->server = quarry_todo_server_new (fixture->data_path, &error);
  g_assert_no_error (error);
  quarry_todo_server_listen (fixture->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);

  g_free (fixture->uri);
  fixture->uri = g_strdup (quarry_todo_server_get_uri (fixture->server));
}

void
todo_fixture_set_up (TodoFixture   *fixture,
                     gconstpointer  seed)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("quarry-todo-server-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_path = g_build_filename (fixture->dir, "todos.json", NULL);
  fixture->session = soup_session_new ();

  start_server (fixture);
  quarry_todo_server_seed (fixture->server, GPOINTER_TO_UINT (seed), &error);
  g_assert_no_error (error);
}

void
todo_fixture_set_up_with_file (TodoFixture *fixture,
                               const char  *contents)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("quarry-todo-server-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_path = g_build_filename (fixture->dir, "todos.json", NULL);
  g_file_set_contents (fixture->data_path, contents, -1, &error);
  g_assert_no_error (error);
  fixture->session = soup_session_new ();

  start_server (fixture);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

void
todo_fixture_tear_down (TodoFixture   *fixture,
                        gconstpointer  seed)
{
  g_clear_object (&fixture->session);
  g_assert_finalize_object (fixture->server);
  fixture->server = NULL;

  /* Let the closed connections go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->data_path, g_free);
  g_clear_pointer (&fixture->uri, g_free);
}

/* A new server over the same file, as after a restart. */
void
todo_fixture_restart (TodoFixture *fixture)
{
  soup_session_abort (fixture->session);
  g_assert_finalize_object (fixture->server);
  fixture->server = NULL;
  while (g_main_context_iteration (NULL, FALSE))
    ;

  start_server (fixture);
}

void
todo_response_free (TodoResponse *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->text, g_free);
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_error (&response->error);
  g_free (response);
}

typedef struct
{
  TodoResponse *response;
  gboolean done;
} Sending;

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sending *sending = user_data;

  sending->response->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                               &sending->response->error);
  sending->done = TRUE;
}

TodoResponse *
todo_request_full (SoupSession         *session,
                   const char          *base_uri,
                   const char          *method,
                   const char          *path,
                   const char          *content_type,
                   GBytes              *body,
                   gboolean             chunked,
                   const char * const  *headers)
{
  g_autofree char *text = g_strconcat (base_uri, path[0] == '/' ? path + 1 : path, NULL);
  /* Relaxed, to send bad percent-encoding as it is. */
  g_autoptr(GUri) uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS | G_URI_FLAGS_PARSE_RELAXED, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  TodoResponse *response = g_new0 (TodoResponse, 1);
  Sending sending = { response, FALSE };
  SoupMessageHeaders *request_headers;
  gint64 start;

  g_assert_nonnull (uri);
  msg = soup_message_new_from_uri (method, uri);
  request_headers = soup_message_get_request_headers (msg);

  if (body != NULL && chunked)
    {
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (body);

      soup_message_set_request_body (msg, NULL, stream, -1);
    }
  else if (body != NULL)
    {
      soup_message_set_request_body_from_bytes (msg, NULL, body);
    }
  if (content_type != NULL)
    soup_message_headers_replace (request_headers, "Content-Type", content_type);
  else
    soup_message_headers_remove (request_headers, "Content-Type");

  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);

  start = g_get_monotonic_time ();
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &sending);
  todo_wait_for (&sending.done);
  response->elapsed_us = g_get_monotonic_time () - start;

  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  response->text = g_strdup ("");
  if (response->body != NULL && g_bytes_get_size (response->body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize length;
      const char *data = g_bytes_get_data (response->body, &length);

      g_free (response->text);
      response->text = g_strndup (data, length);
      if (json_parser_load_from_data (parser, data, length, NULL))
        response->json = json_node_ref (json_parser_get_root (parser));
    }

  return response;
}

TodoResponse *
todo_request (TodoFixture *fixture,
              const char  *method,
              const char  *path,
              const char  *body,
              ...)
{
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  const char *name;
  va_list args;

  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      g_ptr_array_add (headers, (gpointer) name);
      g_ptr_array_add (headers, va_arg (args, char *));
    }
  va_end (args);
  g_ptr_array_add (headers, NULL);

  if (body != NULL)
    bytes = g_bytes_new (body, strlen (body));

  return todo_request_full (fixture->session, fixture->uri, method, path,
                            body != NULL ? "application/json" : NULL, bytes, FALSE,
                            (const char * const *) headers->pdata);
}

const char *
todo_response_header (TodoResponse *response,
                      const char   *name)
{
  return soup_message_headers_get_one (response->headers, name);
}

/* The body as a string ("" for none). */
const char *
todo_response_text (TodoResponse *response)
{
  return response->text;
}

JsonObject *
todo_response_object (TodoResponse *response)
{
  g_assert_no_error (response->error);
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

void
todo_assert_error (TodoResponse *response,
                   guint         status,
                   const char   *code)
{
  JsonObject *error;

  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==,
                   "application/json");
  g_assert_true (json_object_has_member (todo_response_object (response), "error"));
  error = json_object_get_object_member (todo_response_object (response), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 0);
}

gint64
todo_create (TodoFixture *fixture,
             const char  *title,
             gboolean     done)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autoptr(TodoResponse) response = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "done");
  json_builder_add_boolean_value (builder, done);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  response = todo_request (fixture, "POST", "/todos", body, NULL);
  g_assert_cmpuint (response->status, ==, 201);
  return json_object_get_int_member (todo_response_object (response), "id");
}

char *
todo_snapshot (TodoFixture *fixture)
{
  g_autoptr(TodoResponse) response = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_autofree char *file = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (response->status, ==, 200);
  g_file_get_contents (fixture->data_path, &file, NULL, &error);
  g_assert_no_error (error);

  return g_strconcat (todo_response_text (response), "\n--- file ---\n", file, NULL);
}

void
todo_set_settings (TodoFixture *fixture,
                   const char  *json)
{
  g_autoptr(TodoResponse) response = todo_request (fixture, "PATCH", "/settings", json, NULL);

  g_assert_cmpuint (response->status, ==, 200);
}

GArray *
todo_item_ids (JsonObject *object)
{
  JsonArray *items = json_object_get_array_member (object, "items");
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (items, i), "id");

      g_array_append_val (ids, id);
    }
  return ids;
}
