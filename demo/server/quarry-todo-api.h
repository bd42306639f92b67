/* quarry-todo-api.h: the /todos resources
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-todo-request.h"
#include "quarry-todo-response.h"
#include "quarry-todo-store.h"

G_BEGIN_DECLS

QuarryTodoResponse *quarry_todo_api_handle    (QuarryTodoStore    *store,
                                               QuarryTodoRequest  *request);
QuarryTodoResponse *quarry_todo_api_get       (QuarryTodoRequest  *request,
                                               const char         *etag_prefix,
                                               QuarryTodoResponse *response);

G_END_DECLS
