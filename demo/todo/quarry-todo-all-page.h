/* quarry-todo-all-page.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <quarry-gtk.h>

#include "quarry-todo-service.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_ALL_PAGE (quarry_todo_all_page_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoAllPage, quarry_todo_all_page, QUARRY, TODO_ALL_PAGE, GtkWidget)

GtkWidget           *quarry_todo_all_page_new         (void);
QuarryTodoService   *quarry_todo_all_page_get_service (QuarryTodoAllPage *self);
void                 quarry_todo_all_page_set_service (QuarryTodoAllPage *self,
                                                       QuarryTodoService *service);
QuarryInfiniteQuery *quarry_todo_all_page_get_query   (QuarryTodoAllPage *self);

G_END_DECLS
