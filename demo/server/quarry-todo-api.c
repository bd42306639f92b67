/* quarry-todo-api.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-todo-api.h"
#include "quarry-todo-api-error.h"
#include "quarry-todo-input.h"
#include "quarry-todo-listing.h"

/*
 * The /todos resources: GET and POST on /todos, GET, PATCH and DELETE on
 * /todos/{id}, as the API contract (demo/server/README.md) describes.
 * Every answer is computed from the store when the request is handled;
 * the server around it adds latency, injected failures and idempotency.
 */

static gboolean
is_read (QuarryTodoRequest *request)
{
  return g_str_equal (request->method, "GET") || g_str_equal (request->method, "HEAD");
}

static QuarryTodoResponse *
error_response (QuarryTodoApiError  code,
                const char         *format,
                ...) G_GNUC_PRINTF (2, 3);

static QuarryTodoResponse *
error_response (QuarryTodoApiError  code,
                const char         *format,
                ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (QUARRY_TODO_API_ERROR, code, format, args);
  va_end (args);

  return quarry_todo_response_new_error (error);
}

static QuarryTodoResponse *
method_not_allowed (QuarryTodoRequest *request,
                    const char        *allow)
{
  QuarryTodoResponse *response;

  response = error_response (QUARRY_TODO_API_ERROR_METHOD_NOT_ALLOWED,
                             "%s is not allowed on %s; use %s",
                             request->method, request->path, allow);
  response->allow = g_strdup (allow);
  return response;
}

static QuarryTodoResponse *
not_found (QuarryTodoRequest *request)
{
  return error_response (QUARRY_TODO_API_ERROR_NOT_FOUND, "There is nothing at %s", request->path);
}

/* A store error, other than an unknown id, is the server's fault. */
static QuarryTodoResponse *
store_error_response (QuarryTodoRequest *request,
                      const GError      *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return not_found (request);
  return error_response (QUARRY_TODO_API_ERROR_STORAGE, "%s", error->message);
}

static JsonNode *
todo_to_node (const QuarryTodo *todo)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  quarry_todo_build (todo, builder);
  return json_builder_get_root (builder);
}

/**
 * quarry_todo_api_get:
 * @request: a GET or HEAD request
 * @etag_prefix: what makes the ETag differ between versions of the
 *   store, "v<revision>"
 * @response: (transfer full): the representation, a 200 response
 *
 * Gives @response a strong ETag, `"<prefix>-<hash of the body>"`, or
 * answers with a 304 instead when the request's If-None-Match has it.
 *
 * Returns: (transfer full): the response
 */
QuarryTodoResponse *
quarry_todo_api_get (QuarryTodoRequest  *request,
                     const char         *etag_prefix,
                     QuarryTodoResponse *response)
{
  g_autofree char *hash = NULL;
  g_autofree char *etag = NULL;
  QuarryTodoResponse *not_modified;

  hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, response->body);
  etag = g_strdup_printf ("\"%s-%.16s\"", etag_prefix, hash);

  if (quarry_todo_request_matches_etag (request, etag))
    {
      quarry_todo_response_unref (response);
      not_modified = quarry_todo_response_new (SOUP_STATUS_NOT_MODIFIED);
      not_modified->etag = g_steal_pointer (&etag);
      return not_modified;
    }

  response->etag = g_steal_pointer (&etag);
  return response;
}

static QuarryTodoResponse *
read_response (QuarryTodoStore   *store,
               QuarryTodoRequest *request,
               JsonNode          *node)
{
  g_autofree char *prefix = g_strdup_printf ("v%" G_GUINT64_FORMAT,
                                             quarry_todo_store_get_revision (store));

  return quarry_todo_api_get (request, prefix, quarry_todo_response_new_json (SOUP_STATUS_OK, node));
}

static QuarryTodoResponse *
list_todos (QuarryTodoStore   *store,
            QuarryTodoRequest *request)
{
  g_autoptr(QuarryTodoListing) listing = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  listing = quarry_todo_listing_new_from_query (request->query, &error);
  if (listing == NULL)
    return quarry_todo_response_new_error (error);

  node = quarry_todo_listing_run (listing, store);
  return read_response (store, request, node);
}

static QuarryTodoResponse *
create_todo (QuarryTodoStore   *store,
             QuarryTodoRequest *request)
{
  g_auto(QuarryTodoInput) input = { NULL, -1 };
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const QuarryTodo *todo;
  QuarryTodoResponse *response;

  body = quarry_todo_request_parse_body (request, &error);
  if (body == NULL || !quarry_todo_input_parse (&input, body, TRUE, &error))
    return quarry_todo_response_new_error (error);

  todo = quarry_todo_store_create (store, input.title, input.done == TRUE, &error);
  if (todo == NULL)
    return store_error_response (request, error);

  node = todo_to_node (todo);
  response = quarry_todo_response_new_json (SOUP_STATUS_CREATED, node);
  response->location = g_strdup_printf ("/todos/%" G_GINT64_FORMAT, todo->id);
  return response;
}

static QuarryTodoResponse *
handle_todos (QuarryTodoStore   *store,
              QuarryTodoRequest *request)
{
  if (is_read (request))
    return list_todos (store, request);
  if (g_str_equal (request->method, "POST"))
    return create_todo (store, request);
  return method_not_allowed (request, "GET, HEAD, POST");
}

static QuarryTodoResponse *
update_todo (QuarryTodoStore   *store,
             QuarryTodoRequest *request,
             gint64             id)
{
  g_auto(QuarryTodoInput) input = { NULL, -1 };
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const QuarryTodo *todo;

  body = quarry_todo_request_parse_body (request, &error);
  if (body == NULL || !quarry_todo_input_parse (&input, body, FALSE, &error))
    return quarry_todo_response_new_error (error);

  todo = quarry_todo_store_update (store, id, input.title, input.done, &error);
  if (todo == NULL)
    return store_error_response (request, error);

  node = todo_to_node (todo);
  return quarry_todo_response_new_json (SOUP_STATUS_OK, node);
}

static QuarryTodoResponse *
delete_todo (QuarryTodoStore   *store,
             QuarryTodoRequest *request,
             gint64             id)
{
  g_autoptr(GError) error = NULL;

  /* A DELETE needs no body, and what one says is ignored; but it is
   * still held to the size limit and to a JSON Content-Type. */
  if (g_bytes_get_size (request->body) > 0)
    {
      g_autoptr(JsonNode) body = quarry_todo_request_parse_body (request, &error);

      if (body == NULL
          && !g_error_matches (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_JSON))
        return quarry_todo_response_new_error (error);
      g_clear_error (&error);
    }

  if (!quarry_todo_store_delete (store, id, &error))
    return store_error_response (request, error);

  return quarry_todo_response_new (SOUP_STATUS_NO_CONTENT);
}

static QuarryTodoResponse *
handle_todo (QuarryTodoStore   *store,
             QuarryTodoRequest *request,
             const char        *id_text)
{
  const QuarryTodo *todo;
  gint64 id;

  if (!quarry_todo_parse_id (id_text, &id) || (todo = quarry_todo_store_lookup (store, id)) == NULL)
    {
      if (!is_read (request) && !g_str_equal (request->method, "PATCH")
          && !g_str_equal (request->method, "DELETE"))
        return method_not_allowed (request, "GET, HEAD, PATCH, DELETE");
      return error_response (QUARRY_TODO_API_ERROR_NOT_FOUND, "There is no todo “%s”", id_text);
    }

  if (is_read (request))
    {
      g_autoptr(JsonNode) node = todo_to_node (todo);

      return read_response (store, request, node);
    }
  if (g_str_equal (request->method, "PATCH"))
    return update_todo (store, request, id);
  if (g_str_equal (request->method, "DELETE"))
    return delete_todo (store, request, id);
  return method_not_allowed (request, "GET, HEAD, PATCH, DELETE");
}

/**
 * quarry_todo_api_handle:
 * @store: the todos
 * @request: a request whose path is /todos or starts with /todos/
 *
 * Answers a request to the todo resources.
 *
 * Returns: (transfer full): the response
 */
QuarryTodoResponse *
quarry_todo_api_handle (QuarryTodoStore   *store,
                        QuarryTodoRequest *request)
{
  g_return_val_if_fail (QUARRY_IS_TODO_STORE (store), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  if (g_str_equal (request->path, "/todos"))
    return handle_todos (store, request);

  if (g_str_has_prefix (request->path, "/todos/"))
    {
      const char *id_text = request->path + strlen ("/todos/");

      if (id_text[0] != '\0' && strchr (id_text, '/') == NULL)
        return handle_todo (store, request, id_text);
    }

  return not_found (request);
}
