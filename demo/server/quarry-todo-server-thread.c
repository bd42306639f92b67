/* quarry-todo-server-thread.c: a QuarryTodoServer on a thread of its own
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-todo-server.h"

/*
 * QuarryTodoServerThread:
 *
 * Runs a server on a thread with its own GMainContext, so that a GUI app
 * can embed one without its main loop ever waiting for the server (or the
 * server for the app: a request that the app makes and waits for in its
 * own loop is answered meanwhile). Everything the server does happens on
 * that thread, from its creation to its disposal.
 */

struct _QuarryTodoServerThread
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;

  /* Written by the server thread before it signals that it started. */
  GMutex mutex;
  GCond cond;
  gboolean started;
  char *uri;
  GError *error;

  char *data_path;
  guint seed_todos;
};

static void
thread_free (QuarryTodoServerThread *thread)
{
  g_mutex_clear (&thread->mutex);
  g_cond_clear (&thread->cond);
  g_clear_pointer (&thread->loop, g_main_loop_unref);
  g_clear_pointer (&thread->context, g_main_context_unref);
  g_clear_pointer (&thread->uri, g_free);
  g_clear_error (&thread->error);
  g_clear_pointer (&thread->data_path, g_free);
  g_free (thread);
}

static QuarryTodoServer *
start_server (QuarryTodoServerThread  *thread,
              GError                 **error)
{
  g_autoptr(QuarryTodoServer) server = quarry_todo_server_new (thread->data_path, error);

  if (server == NULL
      || !quarry_todo_server_seed (server, thread->seed_todos, error)
      || !quarry_todo_server_listen (server, "127.0.0.1", 0, error))
    return NULL;

  return g_steal_pointer (&server);
}

static gpointer
thread_main (gpointer data)
{
  QuarryTodoServerThread *thread = data;
  g_autoptr(QuarryTodoServer) server = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (thread->context);

  server = start_server (thread, &error);

  g_mutex_lock (&thread->mutex);
  if (server != NULL)
    thread->uri = g_strdup (quarry_todo_server_get_uri (server));
  else
    thread->error = g_steal_pointer (&error);
  thread->started = TRUE;
  g_cond_signal (&thread->cond);
  g_mutex_unlock (&thread->mutex);

  if (server != NULL)
    g_main_loop_run (thread->loop);

  /* Closes the connections; then lets what that scheduled run. */
  g_clear_object (&server);
  while (g_main_context_iteration (thread->context, FALSE))
    ;

  g_main_context_pop_thread_default (thread->context);
  return NULL;
}

/**
 * quarry_todo_server_thread_start:
 * @data_path: (nullable): the JSON file of the todos, or %NULL for memory
 *   only
 * @seed_todos: how many todos to generate when the store is empty
 * @error: the place for an error
 *
 * Starts a server listening on 127.0.0.1, on a free port, in a new thread,
 * and waits until it listens.
 *
 * Returns: (transfer full): the running server, to stop with
 *   quarry_todo_server_thread_stop(), or %NULL with @error set
 */
QuarryTodoServerThread *
quarry_todo_server_thread_start (const char  *data_path,
                                 guint        seed_todos,
                                 GError     **error)
{
  QuarryTodoServerThread *thread;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  thread = g_new0 (QuarryTodoServerThread, 1);
  g_mutex_init (&thread->mutex);
  g_cond_init (&thread->cond);
  thread->context = g_main_context_new ();
  thread->loop = g_main_loop_new (thread->context, FALSE);
  thread->data_path = g_strdup (data_path);
  thread->seed_todos = seed_todos;

  thread->thread = g_thread_try_new ("quarry-todo-server", thread_main, thread, error);
  if (thread->thread == NULL)
    {
      thread_free (thread);
      return NULL;
    }

  g_mutex_lock (&thread->mutex);
  while (!thread->started)
    g_cond_wait (&thread->cond, &thread->mutex);
  g_mutex_unlock (&thread->mutex);

  if (thread->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&thread->error));
      g_thread_join (thread->thread);
      thread_free (thread);
      return NULL;
    }

  return thread;
}

/**
 * quarry_todo_server_thread_get_uri:
 * @thread: a running server
 *
 * Returns: where it listens, "http://127.0.0.1:PORT/"
 */
const char *
quarry_todo_server_thread_get_uri (QuarryTodoServerThread *thread)
{
  g_return_val_if_fail (thread != NULL, NULL);

  return thread->uri;
}

static gboolean
quit_cb (gpointer data)
{
  QuarryTodoServerThread *thread = data;

  g_main_loop_quit (thread->loop);
  return G_SOURCE_REMOVE;
}

/**
 * quarry_todo_server_thread_stop:
 * @thread: (transfer full): a running server
 *
 * Stops the server, closing its connections, waits for its thread to end,
 * and frees @thread. Requests still waiting for an answer fail.
 */
void
quarry_todo_server_thread_stop (QuarryTodoServerThread *thread)
{
  GSource *source;

  g_return_if_fail (thread != NULL);

  /* Quit from inside the loop: a quit from here could come before the
   * thread has entered g_main_loop_run(), and be lost. */
  source = g_idle_source_new ();
  g_source_set_callback (source, quit_cb, thread, NULL);
  g_source_attach (source, thread->context);
  g_source_unref (source);

  g_thread_join (thread->thread);
  thread_free (thread);
}
