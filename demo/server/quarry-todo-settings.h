/* quarry-todo-settings.h: the /settings resource, which simulates a slow or flaky server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-todo-request.h"
#include "quarry-todo-response.h"
#include "quarry-todo-server.h"

G_BEGIN_DECLS

QuarryTodoResponse *quarry_todo_settings_handle (QuarryTodoServer  *self,
                                                 QuarryTodoRequest *request);

G_END_DECLS
