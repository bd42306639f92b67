/* quarry-todo-response.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-todo-api-error.h"
#include "quarry-todo-response.h"

static void
quarry_todo_response_clear (gpointer data)
{
  QuarryTodoResponse *self = data;

  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->etag, g_free);
  g_clear_pointer (&self->location, g_free);
  g_clear_pointer (&self->allow, g_free);
}

/* A response without a body: 204, 304. */
QuarryTodoResponse *
quarry_todo_response_new (guint status)
{
  QuarryTodoResponse *self = g_rc_box_new0 (QuarryTodoResponse);

  self->status = status;
  return self;
}

QuarryTodoResponse *
quarry_todo_response_new_json (guint     status,
                               JsonNode *node)
{
  QuarryTodoResponse *self = quarry_todo_response_new (status);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *data;
  gsize length;

  g_return_val_if_fail (node != NULL, self);

  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &length);
  self->body = g_bytes_new_take (data, length);
  self->content_type = g_strdup ("application/json");
  return self;
}

/* A JSON body already written as text. */
QuarryTodoResponse *
quarry_todo_response_new_json_text (guint       status,
                                    const char *text)
{
  QuarryTodoResponse *self = quarry_todo_response_new (status);

  g_return_val_if_fail (text != NULL, self);

  self->body = g_bytes_new (text, strlen (text));
  self->content_type = g_strdup ("application/json");
  return self;
}

/* `{"error": {"code": "not_found", "message": "…"}}` with the error's
 * status. Errors of other domains than QUARRY_TODO_API_ERROR are the
 * server's own failures: 500, "storage_error". */
QuarryTodoResponse *
quarry_todo_response_new_error (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;
  QuarryTodoApiError code = QUARRY_TODO_API_ERROR_STORAGE;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == QUARRY_TODO_API_ERROR)
    code = error->code;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, quarry_todo_api_error_get_name (code));
  json_builder_set_member_name (builder, "message");
  /* A message may quote the request (a path with %FF in it). */
  message = g_utf8_make_valid (error->message, -1);
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return quarry_todo_response_new_json (quarry_todo_api_error_get_status (code), root);
}

QuarryTodoResponse *
quarry_todo_response_ref (QuarryTodoResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_rc_box_acquire (self);
}

void
quarry_todo_response_unref (QuarryTodoResponse *self)
{
  g_return_if_fail (self != NULL);

  g_rc_box_release_full (self, quarry_todo_response_clear);
}

static void
set_headers_and_body (QuarryTodoResponse *self,
                      SoupServerMessage  *msg,
                      gboolean            replayed)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  if (self->etag != NULL)
    soup_message_headers_replace (headers, "ETag", self->etag);
  if (self->location != NULL)
    soup_message_headers_replace (headers, "Location", self->location);
  if (self->allow != NULL)
    soup_message_headers_replace (headers, "Allow", self->allow);
  if (replayed)
    soup_message_headers_replace (headers, "Idempotent-Replayed", "true");

  soup_message_body_truncate (body);
  if (self->body != NULL)
    {
      soup_message_headers_set_content_type (headers, self->content_type, NULL);
      soup_message_body_append_bytes (body, self->body);
    }
  else
    {
      soup_message_headers_remove (headers, "Content-Type");
    }
}

/* Sets @msg's status, headers and body. @replayed marks a response that
 * repeats the one first given for an Idempotency-Key. */
void
quarry_todo_response_send (QuarryTodoResponse *self,
                           SoupServerMessage  *msg,
                           gboolean            replayed)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  soup_server_message_set_status (msg, self->status, NULL);
  set_headers_and_body (self, msg, replayed);
}

/* Sets @msg's headers and body, but not its status: what goes out if
 * libsoup answers @msg itself, with a status of its own, before any
 * handler has run (a status set here would keep the handlers from
 * running). quarry_todo_response_send() replaces them. */
void
quarry_todo_response_preset (QuarryTodoResponse *self,
                             SoupServerMessage  *msg)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  set_headers_and_body (self, msg, FALSE);
}
