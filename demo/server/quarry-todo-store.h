/* quarry-todo-store.h: the todos, in memory and in their JSON file
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "quarry-todo.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_STORE (quarry_todo_store_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoStore, quarry_todo_store, QUARRY, TODO_STORE, GObject)

QuarryTodoStore  *quarry_todo_store_new             (const char       *path,
                                                     GError          **error) G_GNUC_WARN_UNUSED_RESULT;
const char       *quarry_todo_store_get_path        (QuarryTodoStore  *self);
guint             quarry_todo_store_get_n_todos     (QuarryTodoStore  *self);
const QuarryTodo *quarry_todo_store_get_nth         (QuarryTodoStore  *self,
                                                     guint             index);
guint             quarry_todo_store_get_index_after (QuarryTodoStore  *self,
                                                     gint64            id);
const QuarryTodo *quarry_todo_store_lookup          (QuarryTodoStore  *self,
                                                     gint64            id);
gint64            quarry_todo_store_get_next_id     (QuarryTodoStore  *self);
guint64           quarry_todo_store_get_revision    (QuarryTodoStore  *self);
const QuarryTodo *quarry_todo_store_create          (QuarryTodoStore  *self,
                                                     const char       *title,
                                                     gboolean          done,
                                                     GError          **error);
const QuarryTodo *quarry_todo_store_update          (QuarryTodoStore  *self,
                                                     gint64            id,
                                                     const char       *title,
                                                     int               done,
                                                     GError          **error);
gboolean          quarry_todo_store_delete          (QuarryTodoStore  *self,
                                                     gint64            id,
                                                     GError          **error);
gboolean          quarry_todo_store_seed            (QuarryTodoStore  *self,
                                                     guint             n_todos,
                                                     GError          **error);

G_END_DECLS
