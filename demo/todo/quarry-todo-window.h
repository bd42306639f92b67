/* quarry-todo-window.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "quarry-todo-service.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_WINDOW (quarry_todo_window_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoWindow, quarry_todo_window, QUARRY, TODO_WINDOW, GtkApplicationWindow)

QuarryTodoWindow  *quarry_todo_window_new         (GtkApplication    *application,
                                                   QuarryTodoService *service);
QuarryTodoService *quarry_todo_window_get_service (QuarryTodoWindow  *self);

G_END_DECLS
