/* quarry-todo-application.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "quarry-todo-service.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_APPLICATION (quarry_todo_application_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoApplication, quarry_todo_application, QUARRY, TODO_APPLICATION, GtkApplication)

QuarryTodoApplication *quarry_todo_application_new            (void);
const char            *quarry_todo_application_get_server_uri (QuarryTodoApplication *self);
QuarryTodoService     *quarry_todo_application_get_service    (QuarryTodoApplication *self);

G_END_DECLS
