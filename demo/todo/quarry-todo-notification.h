/* quarry-todo-notification.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_NOTIFICATION (quarry_todo_notification_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoNotification, quarry_todo_notification, QUARRY, TODO_NOTIFICATION, GtkWidget)

GtkWidget  *quarry_todo_notification_new         (void);
const char *quarry_todo_notification_get_message (QuarryTodoNotification *self);
guint       quarry_todo_notification_get_timeout (QuarryTodoNotification *self);
void        quarry_todo_notification_set_timeout (QuarryTodoNotification *self,
                                                  guint                   timeout);
void        quarry_todo_notification_show        (QuarryTodoNotification *self,
                                                  const char             *message);
void        quarry_todo_notification_dismiss     (QuarryTodoNotification *self);

G_END_DECLS
