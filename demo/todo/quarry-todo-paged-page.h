/* quarry-todo-paged-page.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <quarry-gtk.h>

#include "quarry-todo-service.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_PAGED_PAGE (quarry_todo_paged_page_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoPagedPage, quarry_todo_paged_page, QUARRY, TODO_PAGED_PAGE, GtkWidget)

GtkWidget         *quarry_todo_paged_page_new         (void);
QuarryTodoService *quarry_todo_paged_page_get_service (QuarryTodoPagedPage *self);
void               quarry_todo_paged_page_set_service (QuarryTodoPagedPage *self,
                                                       QuarryTodoService   *service);
QuarryQuery       *quarry_todo_paged_page_get_query   (QuarryTodoPagedPage *self);

G_END_DECLS
