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
void        quarry_todo_item_set_id         (QuarryTodoItem *self,
                                             gint64          id);
const char *quarry_todo_item_get_title      (QuarryTodoItem *self);
void        quarry_todo_item_set_title      (QuarryTodoItem *self,
                                             const char     *title);
gboolean    quarry_todo_item_get_done       (QuarryTodoItem *self);
void        quarry_todo_item_set_done       (QuarryTodoItem *self,
                                             gboolean        done);
GDateTime  *quarry_todo_item_get_created_at (QuarryTodoItem *self);
void        quarry_todo_item_set_created_at (QuarryTodoItem *self,
                                             GDateTime      *created_at);
GDateTime  *quarry_todo_item_get_updated_at (QuarryTodoItem *self);
void        quarry_todo_item_set_updated_at (QuarryTodoItem *self,
                                             GDateTime      *updated_at);
gboolean    quarry_todo_item_get_pending    (QuarryTodoItem *self);
void        quarry_todo_item_set_pending    (QuarryTodoItem *self,
                                             gboolean        pending);

G_END_DECLS
