/* quarry-todo-server-private.h: what tests may see of a QuarryTodoServer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "quarry-todo-server.h"
#include "quarry-todo-store.h"

G_BEGIN_DECLS

SoupServer      *quarry_todo_server_get_soup_server (QuarryTodoServer *self);
QuarryTodoStore *quarry_todo_server_get_store       (QuarryTodoServer *self);
goffset          quarry_todo_server_get_max_request_body (QuarryTodoServer *self);
guint            quarry_todo_server_get_n_dropped   (QuarryTodoServer *self);

G_END_DECLS
