/* quarry-todo-list-page.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <quarry-gtk.h>

#include "quarry-todo-service.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_LIST_PAGE (quarry_todo_list_page_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoListPage, quarry_todo_list_page, QUARRY, TODO_LIST_PAGE, GtkWidget)

GtkWidget         *quarry_todo_list_page_new          (void);
QuarryTodoService *quarry_todo_list_page_get_service  (QuarryTodoListPage *self);
void               quarry_todo_list_page_set_service  (QuarryTodoListPage *self,
                                                       QuarryTodoService  *service);
QuarryQuery       *quarry_todo_list_page_get_query    (QuarryTodoListPage *self);
void               quarry_todo_list_page_focus_search (QuarryTodoListPage *self);

G_END_DECLS
