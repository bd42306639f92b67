/* quarry-todo-input.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-todo.h"
#include "quarry-todo-api-error.h"
#include "quarry-todo-input.h"

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/**
 * quarry_todo_input_parse:
 * @input: (out caller-allocates): where to put the members
 * @body: the request body, a JSON object
 * @creating: %TRUE for a POST (a title is required), %FALSE for a PATCH
 *   (a title, a done flag or both are required)
 * @error: the place for an error
 *
 * Reads `title` and `done`; other members are ignored. A member of the
 * wrong type is `invalid_type`; a missing (on POST), empty, blank or
 * too long title is `invalid_title`; a PATCH with neither member is
 * `invalid_parameter`.
 *
 * Returns: whether the body is valid; @input is filled only then
 */
gboolean
quarry_todo_input_parse (QuarryTodoInput  *input,
                         JsonNode         *body,
                         gboolean          creating,
                         GError          **error)
{
  JsonObject *object;
  JsonNode *title;
  JsonNode *done;
  const char *text = NULL;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (body != NULL && JSON_NODE_HOLDS_OBJECT (body), FALSE);

  object = json_node_get_object (body);
  title = json_object_get_member (object, "title");
  done = json_object_get_member (object, "done");

  if (title != NULL && json_node_get_value_type (title) != G_TYPE_STRING)
    {
      g_set_error_literal (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_TYPE,
                           "“title” must be a string");
      return FALSE;
    }
  if (done != NULL && json_node_get_value_type (done) != G_TYPE_BOOLEAN)
    {
      g_set_error_literal (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_TYPE,
                           "“done” must be true or false");
      return FALSE;
    }

  if (title != NULL)
    text = json_node_get_string (title);

  if (text == NULL && creating)
    {
      g_set_error_literal (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_TITLE,
                           "A todo needs a “title”");
      return FALSE;
    }
  if (text != NULL && is_blank (text))
    {
      g_set_error_literal (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_TITLE,
                           "The title must not be empty");
      return FALSE;
    }
  if (text != NULL && g_utf8_strlen (text, -1) > QUARRY_TODO_MAX_TITLE_LENGTH)
    {
      g_set_error (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_TITLE,
                   "The title is longer than %d characters", QUARRY_TODO_MAX_TITLE_LENGTH);
      return FALSE;
    }
  if (text == NULL && done == NULL)
    {
      g_set_error_literal (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_PARAMETER,
                           "A change needs a “title”, a “done” or both");
      return FALSE;
    }

  input->title = g_strdup (text);
  input->done = done != NULL ? json_node_get_boolean (done) : -1;
  return TRUE;
}

void
quarry_todo_input_clear (QuarryTodoInput *input)
{
  g_clear_pointer (&input->title, g_free);
  input->done = -1;
}
