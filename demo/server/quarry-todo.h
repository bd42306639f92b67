/* quarry-todo.h: one todo of the server's store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The longest title the API accepts, in characters. */
#define QUARRY_TODO_MAX_TITLE_LENGTH 500

typedef struct
{
  gint64 id;
  char *title;
  char *folded_title;   /* g_utf8_casefold() of @title, for the q= filter */
  gboolean done;
  char *created_at;     /* UTC, ISO 8601: "2026-11-21T10:00:00Z" */
  char *updated_at;
} QuarryTodo;

QuarryTodo *quarry_todo_new                (gint64             id,
                                            const char        *title,
                                            gboolean           done,
                                            const char        *created_at,
                                            const char        *updated_at);
QuarryTodo *quarry_todo_new_from_json      (JsonNode          *node,
                                            GError           **error);
QuarryTodo *quarry_todo_copy               (const QuarryTodo  *todo);
void        quarry_todo_free               (QuarryTodo        *todo);
void        quarry_todo_set_title          (QuarryTodo        *todo,
                                            const char        *title);
void        quarry_todo_set_updated_at     (QuarryTodo        *todo,
                                            const char        *updated_at);
gboolean    quarry_todo_matches            (const QuarryTodo  *todo,
                                            int                done,
                                            const char        *folded_query);
void        quarry_todo_build              (const QuarryTodo  *todo,
                                            JsonBuilder       *builder);
char       *quarry_todo_format_timestamp   (GDateTime         *time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryTodo, quarry_todo_free)

G_END_DECLS
