/* quarry-todo-summary-row.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <quarry-gtk.h>

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_SUMMARY_ROW (quarry_todo_summary_row_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoSummaryRow, quarry_todo_summary_row, QUARRY, TODO_SUMMARY_ROW, GtkWidget)

GtkWidget      *quarry_todo_summary_row_new      (void);
QuarryJsonItem *quarry_todo_summary_row_get_item (QuarryTodoSummaryRow *self);
void            quarry_todo_summary_row_set_item (QuarryTodoSummaryRow *self,
                                                  QuarryJsonItem       *item);

G_END_DECLS
