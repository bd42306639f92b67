/* quarry-todo-file.h: the store's file: locked, read, replaced atomically
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _QuarryTodoFile QuarryTodoFile;

QuarryTodoFile *quarry_todo_file_open       (const char      *path,
                                             GError         **error) G_GNUC_WARN_UNUSED_RESULT;
const char     *quarry_todo_file_get_target (QuarryTodoFile  *self);
gboolean        quarry_todo_file_read       (QuarryTodoFile  *self,
                                             char           **contents,
                                             gsize           *length,
                                             GError         **error);
gboolean        quarry_todo_file_write      (QuarryTodoFile  *self,
                                             const char      *contents,
                                             gsize            length,
                                             GError         **error);
void            quarry_todo_file_free       (QuarryTodoFile  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryTodoFile, quarry_todo_file_free)

G_END_DECLS
