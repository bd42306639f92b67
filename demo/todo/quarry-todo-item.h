/* quarry-todo-item.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_ITEM (quarry_todo_item_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoItem, quarry_todo_item, QUARRY, TODO_ITEM, GObject)

gint64      quarry_todo_item_get_id         (QuarryTodoItem *self);
const char *quarry_todo_item_get_title      (QuarryTodoItem *self);
gboolean    quarry_todo_item_get_done       (QuarryTodoItem *self);
GDateTime  *quarry_todo_item_get_created_at (QuarryTodoItem *self);
GDateTime  *quarry_todo_item_get_updated_at (QuarryTodoItem *self);
gboolean    quarry_todo_item_get_pending    (QuarryTodoItem *self);

G_END_DECLS
