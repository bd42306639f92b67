/* quarry-todo-detail.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <quarry-gtk.h>

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_DETAIL (quarry_todo_detail_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoDetail, quarry_todo_detail, QUARRY, TODO_DETAIL, GtkWidget)

GtkWidget   *quarry_todo_detail_new       (void);
QuarryQuery *quarry_todo_detail_get_query (QuarryTodoDetail *self);
void         quarry_todo_detail_set_query (QuarryTodoDetail *self,
                                           QuarryQuery      *query);

G_END_DECLS
