/* quarry-todo-row.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "quarry-todo-item.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_ROW (quarry_todo_row_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoRow, quarry_todo_row, QUARRY, TODO_ROW, GtkWidget)

GtkWidget      *quarry_todo_row_new      (void);
QuarryTodoItem *quarry_todo_row_get_item (QuarryTodoRow  *self);
void            quarry_todo_row_set_item (QuarryTodoRow  *self,
                                          QuarryTodoItem *item);

G_END_DECLS
