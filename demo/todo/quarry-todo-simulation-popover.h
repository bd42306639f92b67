/* quarry-todo-simulation-popover.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <quarry-gtk.h>

#include "quarry-todo-service.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_SIMULATION_POPOVER (quarry_todo_simulation_popover_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoSimulationPopover, quarry_todo_simulation_popover, QUARRY, TODO_SIMULATION_POPOVER, GtkPopover)

GtkWidget         *quarry_todo_simulation_popover_new         (void);
QuarryTodoService *quarry_todo_simulation_popover_get_service (QuarryTodoSimulationPopover *self);
void               quarry_todo_simulation_popover_set_service (QuarryTodoSimulationPopover *self,
                                                               QuarryTodoService           *service);

G_END_DECLS
