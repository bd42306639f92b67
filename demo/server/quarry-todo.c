/* quarry-todo.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "quarry-todo.h"

QuarryTodo *
quarry_todo_new (gint64      id,
                 const char *title,
                 gboolean    done,
                 const char *created_at,
                 const char *updated_at)
{
  QuarryTodo *todo;

  g_return_val_if_fail (id > 0, NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (created_at != NULL, NULL);
  g_return_val_if_fail (updated_at != NULL, NULL);

  todo = g_new0 (QuarryTodo, 1);
  todo->id = id;
  todo->title = g_strdup (title);
  todo->folded_title = g_utf8_casefold (title, -1);
  todo->done = !!done;
  todo->created_at = g_strdup (created_at);
  todo->updated_at = g_strdup (updated_at);

  return todo;
}

/* The member's string, or NULL when it is missing or not a string (the
 * json-glib getters warn about the latter). */
static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *member = json_object_get_member (object, name);

  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (member);
}

static gboolean
is_timestamp (const char *text)
{
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return FALSE;

  time = g_date_time_new_from_iso8601 (text, NULL);
  return time != NULL;
}

/* Reads a todo of the data file: every member present and of its type,
 * a positive id, a valid title and ISO 8601 timestamps. The messages are
 * shown to whoever starts the server, so they are translated. */
QuarryTodo *
quarry_todo_new_from_json (JsonNode  *node,
                           GError   **error)
{
  JsonObject *object;
  JsonNode *member;
  gint64 id;
  const char *title;
  const char *created_at;
  const char *updated_at;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("a todo is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);

  member = json_object_get_member (object, "id");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_INT64
      || (id = json_node_get_int (member)) <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("a todo has no positive integer “id”"));
      return NULL;
    }

  title = get_string_member (object, "title");
  if (title == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("todo %" PRId64 " has no string “title”"), id);
      return NULL;
    }
  /* json-glib turns a lone surrogate escape ("\ud800") into bytes that
   * are not UTF-8, which every answer would then carry. */
  if (!g_utf8_validate (title, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("the “title” of todo %" PRId64 " is not valid UTF-8"), id);
      return NULL;
    }

  member = json_object_get_member (object, "done");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("todo %" PRId64 " has no boolean “done”"), id);
      return NULL;
    }

  created_at = get_string_member (object, "created_at");
  updated_at = get_string_member (object, "updated_at");
  if (!is_timestamp (created_at) || !is_timestamp (updated_at))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("todo %" PRId64 " has no ISO 8601 “created_at” and “updated_at”"),
                   id);
      return NULL;
    }

  return quarry_todo_new (id, title, json_node_get_boolean (member), created_at, updated_at);
}

QuarryTodo *
quarry_todo_copy (const QuarryTodo *todo)
{
  g_return_val_if_fail (todo != NULL, NULL);

  return quarry_todo_new (todo->id, todo->title, todo->done, todo->created_at, todo->updated_at);
}

void
quarry_todo_free (QuarryTodo *todo)
{
  if (todo == NULL)
    return;

  g_free (todo->title);
  g_free (todo->folded_title);
  g_free (todo->created_at);
  g_free (todo->updated_at);
  g_free (todo);
}

void
quarry_todo_set_title (QuarryTodo *todo,
                       const char *title)
{
  g_return_if_fail (todo != NULL);
  g_return_if_fail (title != NULL);

  g_free (todo->title);
  g_free (todo->folded_title);
  todo->title = g_strdup (title);
  todo->folded_title = g_utf8_casefold (title, -1);
}

void
quarry_todo_set_updated_at (QuarryTodo *todo,
                            const char *updated_at)
{
  g_return_if_fail (todo != NULL);
  g_return_if_fail (updated_at != NULL);

  g_free (todo->updated_at);
  todo->updated_at = g_strdup (updated_at);
}

/* @done is -1 for either, else FALSE or TRUE; @folded_query is casefolded
 * (NULL or "" matches every title). */
gboolean
quarry_todo_matches (const QuarryTodo *todo,
                     int               done,
                     const char       *folded_query)
{
  if (done >= 0 && todo->done != !!done)
    return FALSE;
  if (folded_query != NULL && folded_query[0] != '\0'
      && strstr (todo->folded_title, folded_query) == NULL)
    return FALSE;
  return TRUE;
}

/* Adds the todo as an object value: in an array, or after a member name. */
void
quarry_todo_build (const QuarryTodo *todo,
                   JsonBuilder      *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, todo->id);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, todo->title);
  json_builder_set_member_name (builder, "done");
  json_builder_add_boolean_value (builder, todo->done);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, todo->created_at);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_string_value (builder, todo->updated_at);
  json_builder_end_object (builder);
}

/* "2026-11-21T10:00:00Z": UTC, to the second. */
char *
quarry_todo_format_timestamp (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}
