/* quarry-todo-server.h: the todo demo's REST server, embeddable
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define QUARRY_TYPE_TODO_SERVER (quarry_todo_server_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoServer, quarry_todo_server, QUARRY, TODO_SERVER, GObject)

/* The limits of the simulation settings. */
#define QUARRY_TODO_SERVER_MAX_LATENCY_MS 10000
#define QUARRY_TODO_SERVER_DEFAULT_RANDOM_SEED 20261121

QuarryTodoServer *quarry_todo_server_new             (const char        *data_path,
                                                      GError           **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean          quarry_todo_server_seed            (QuarryTodoServer  *self,
                                                      guint              n_todos,
                                                      GError           **error);
gboolean          quarry_todo_server_listen          (QuarryTodoServer  *self,
                                                      const char        *address,
                                                      guint              port,
                                                      GError           **error);
const char       *quarry_todo_server_get_uri         (QuarryTodoServer  *self);
guint             quarry_todo_server_get_latency_ms  (QuarryTodoServer  *self);
void              quarry_todo_server_set_latency_ms  (QuarryTodoServer  *self,
                                                      guint              latency_ms);
double            quarry_todo_server_get_fail_rate   (QuarryTodoServer  *self);
void              quarry_todo_server_set_fail_rate   (QuarryTodoServer  *self,
                                                      double             fail_rate);
guint64           quarry_todo_server_get_random_seed (QuarryTodoServer  *self);
void              quarry_todo_server_set_random_seed (QuarryTodoServer  *self,
                                                      guint64            random_seed);

/* A server on a thread of its own, with its own GMainContext: an app can
 * embed it without blocking its main loop. */
typedef struct _QuarryTodoServerThread QuarryTodoServerThread;

QuarryTodoServerThread *quarry_todo_server_thread_start   (const char              *data_path,
                                                           guint                    seed_todos,
                                                           GError                 **error) G_GNUC_WARN_UNUSED_RESULT;
const char             *quarry_todo_server_thread_get_uri (QuarryTodoServerThread  *thread);
void                    quarry_todo_server_thread_stop    (QuarryTodoServerThread  *thread);

G_END_DECLS
