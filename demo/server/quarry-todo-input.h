/* quarry-todo-input.h: the body of a POST or PATCH of a todo, validated
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *title;   /* NULL: not given */
  int done;      /* -1: not given */
} QuarryTodoInput;

gboolean quarry_todo_input_parse (QuarryTodoInput  *input,
                                  JsonNode         *body,
                                  gboolean          creating,
                                  GError          **error);
void     quarry_todo_input_clear (QuarryTodoInput  *input);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QuarryTodoInput, quarry_todo_input_clear)

G_END_DECLS
