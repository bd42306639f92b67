/* quarry-gtk-focus.c: the client's focused state from GtkWindow:is-active
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * TanStack's focusManager follows the browser tab's visibility; a desktop
 * application is focused when one of its windows is the active one. A
 * tracker, kept on the client as object data, watches GtkWindow:is-active
 * of every window it was given, directly or through a GtkApplication, and
 * sets QuarryQueryClient:focused to "one of them is active".
 */

#include "config.h"

#include "quarry-gtk.h"

#define TRACKER_KEY "quarry-gtk-focus-tracker"

typedef struct
{
  GtkWindow *window;            /* weak */
  GtkApplication *application;  /* the tracked application it belongs to */
  guint tracked : 1;            /* given to quarry_gtk_track_window () */
} TrackedWindow;

typedef struct
{
  QuarryQueryClient *client;    /* unowned: the tracker dies with it */
  GPtrArray *windows;           /* TrackedWindow */
  GPtrArray *applications;      /* GtkApplication, weak */
  guint loss_source;
} Tracker;

static void window_weak_notify      (gpointer data, GObject *where_the_window_was);
static void application_weak_notify (gpointer data, GObject *where_the_application_was);
static void window_active_cb        (GtkWindow *window, GParamSpec *pspec, Tracker *tracker);
static void window_mapped_cb        (GtkWidget *window, Tracker *tracker);
static void window_added_cb         (GtkApplication *application, GtkWindow *window, Tracker *tracker);
static void window_removed_cb       (GtkApplication *application, GtkWindow *window, Tracker *tracker);

static gboolean
any_window_active (Tracker *tracker)
{
  for (guint i = 0; i < tracker->windows->len; i++)
    {
      TrackedWindow *tw = g_ptr_array_index (tracker->windows, i);

      /* GTK leaves is-active set on a window that is hidden or destroyed
       * while it has the focus: only a mapped window counts. */
      if (gtk_window_is_active (tw->window) && gtk_widget_get_mapped (GTK_WIDGET (tw->window)))
        return TRUE;
    }

  return FALSE;
}

static gboolean
apply_loss_cb (gpointer data)
{
  Tracker *tracker = data;

  tracker->loss_source = 0;
  quarry_query_client_set_focused (tracker->client, any_window_active (tracker));
  return G_SOURCE_REMOVE;
}

/* Gaining the focus takes effect at once. Losing it waits until the events
 * already queued have been handled: moving the focus from one tracked
 * window to another deactivates the first before it activates the second,
 * and a loss followed by a gain would refetch. */
static void
tracker_update (Tracker *tracker)
{
  if (any_window_active (tracker))
    {
      g_clear_handle_id (&tracker->loss_source, g_source_remove);
      quarry_query_client_set_focused (tracker->client, TRUE);
    }
  else if (tracker->loss_source == 0)
    {
      tracker->loss_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, apply_loss_cb, tracker, NULL);
      g_source_set_name_by_id (tracker->loss_source, "[quarry-gtk] focus loss");
    }
}

static TrackedWindow *
find_window (Tracker   *tracker,
             GtkWindow *window,
             guint     *index)
{
  for (guint i = 0; i < tracker->windows->len; i++)
    {
      TrackedWindow *tw = g_ptr_array_index (tracker->windows, i);

      if (tw->window == window)
        {
          if (index != NULL)
            *index = i;
          return tw;
        }
    }

  return NULL;
}

static TrackedWindow *
add_window (Tracker   *tracker,
            GtkWindow *window)
{
  TrackedWindow *tw = find_window (tracker, window, NULL);

  if (tw != NULL)
    return tw;

  tw = g_new0 (TrackedWindow, 1);
  tw->window = window;
  g_ptr_array_add (tracker->windows, tw);
  g_object_weak_ref (G_OBJECT (window), window_weak_notify, tracker);
  g_signal_connect (window, "notify::is-active", G_CALLBACK (window_active_cb), tracker);
  g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), tracker);
  g_signal_connect (window, "unmap", G_CALLBACK (window_mapped_cb), tracker);
  return tw;
}

static void
release_window (Tracker       *tracker,
                TrackedWindow *tw)
{
  g_signal_handlers_disconnect_by_data (tw->window, tracker);
  g_object_weak_unref (G_OBJECT (tw->window), window_weak_notify, tracker);
}

/* Stops watching the window at @index when nothing tracks it any more. */
static void
drop_window_if_unused (Tracker *tracker,
                       guint    index)
{
  TrackedWindow *tw = g_ptr_array_index (tracker->windows, index);

  if (tw->tracked || tw->application != NULL)
    return;

  release_window (tracker, tw);
  g_ptr_array_remove_index_fast (tracker->windows, index);
}

/* Forgets @application's part in every window it brought in. */
static void
forget_application_windows (Tracker        *tracker,
                            GtkApplication *application)
{
  for (guint i = tracker->windows->len; i > 0; i--)
    {
      TrackedWindow *tw = g_ptr_array_index (tracker->windows, i - 1);

      if (tw->application == application)
        {
          tw->application = NULL;
          drop_window_if_unused (tracker, i - 1);
        }
    }
}

static void
release_application (Tracker        *tracker,
                     GtkApplication *application)
{
  g_signal_handlers_disconnect_by_data (application, tracker);
  g_object_weak_unref (G_OBJECT (application), application_weak_notify, tracker);
}

static void
tracker_free (gpointer data)
{
  Tracker *tracker = data;

  g_clear_handle_id (&tracker->loss_source, g_source_remove);
  for (guint i = 0; i < tracker->windows->len; i++)
    release_window (tracker, g_ptr_array_index (tracker->windows, i));
  for (guint i = 0; i < tracker->applications->len; i++)
    release_application (tracker, g_ptr_array_index (tracker->applications, i));
  g_ptr_array_unref (tracker->windows);
  g_ptr_array_unref (tracker->applications);
  g_free (tracker);
}

static Tracker *
tracker_get (QuarryQueryClient *client,
             gboolean           create)
{
  Tracker *tracker = g_object_get_data (G_OBJECT (client), TRACKER_KEY);

  if (tracker == NULL && create)
    {
      tracker = g_new0 (Tracker, 1);
      tracker->client = client;
      tracker->windows = g_ptr_array_new_with_free_func (g_free);
      tracker->applications = g_ptr_array_new ();
      g_object_set_data_full (G_OBJECT (client), TRACKER_KEY, tracker, tracker_free);
    }

  return tracker;
}

/* After an untrack call: when nothing is tracked any more, the client goes
 * back to the focused state of an application that does not track. */
static void
tracker_release_if_done (Tracker *tracker)
{
  QuarryQueryClient *client = tracker->client;

  if (tracker->windows->len > 0 || tracker->applications->len > 0)
    {
      tracker_update (tracker);
      return;
    }

  g_object_set_data (G_OBJECT (client), TRACKER_KEY, NULL);
  quarry_query_client_set_focused (client, TRUE);
}

static void
window_active_cb (GtkWindow  *window,
                  GParamSpec *pspec,
                  Tracker    *tracker)
{
  tracker_update (tracker);
}

static void
window_mapped_cb (GtkWidget *window,
                  Tracker   *tracker)
{
  tracker_update (tracker);
}

/* A destroyed window stops counting, as if it had lost the focus. */
static void
window_weak_notify (gpointer  data,
                    GObject  *where_the_window_was)
{
  Tracker *tracker = data;
  guint index;

  if (find_window (tracker, (GtkWindow *) where_the_window_was, &index))
    g_ptr_array_remove_index_fast (tracker->windows, index);
  tracker_update (tracker);
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window,
                 Tracker        *tracker)
{
  TrackedWindow *tw = add_window (tracker, window);

  tw->application = application;
  tracker_update (tracker);
}

static void
window_removed_cb (GtkApplication *application,
                   GtkWindow      *window,
                   Tracker        *tracker)
{
  TrackedWindow *tw;
  guint index;

  tw = find_window (tracker, window, &index);
  if (tw == NULL || tw->application != application)
    return;

  tw->application = NULL;
  drop_window_if_unused (tracker, index);
  tracker_update (tracker);
}

static void
application_weak_notify (gpointer  data,
                         GObject  *where_the_application_was)
{
  Tracker *tracker = data;

  g_ptr_array_remove_fast (tracker->applications, where_the_application_was);
  forget_application_windows (tracker, (GtkApplication *) where_the_application_was);
  tracker_update (tracker);
}

/**
 * quarry_gtk_track_window:
 * @client: a client
 * @window: a window of the application
 *
 * Makes @client's [property@Quarry.QueryClient:focused] follow
 * [property@Gtk.Window:is-active] of @window: the client is focused while
 * any window it tracks is the active one, as TanStack's `focusManager`
 * follows the browser tab's visibility.
 *
 * When the application gains the focus, stale active queries refetch (see
 * [property@Quarry.Query:refetch-on-window-focus]); while it has not,
 * retries wait. Moving the focus from one tracked window to another is
 * neither a loss nor a gain: a loss takes effect only once the events
 * already queued have been handled, so it does not refetch. Until a
 * tracked window is active the client is not focused, so track windows
 * before or when presenting them.
 *
 * ```c
 * static void
 * app_activate_cb (GtkApplication *app,
 *                  MyApp          *self)
 * {
 *   GtkWidget *window = my_window_new (app, self->client);
 *
 *   quarry_gtk_track_window (self->client, GTK_WINDOW (window));
 *   gtk_window_present (GTK_WINDOW (window));
 * }
 * ```
 *
 * An application with a [class@Gtk.Application] usually tracks it instead,
 * with [func@track_application], which covers every window it has and
 * gets.
 *
 * Only a mapped window counts: a hidden window does not, even if GTK
 * still reports it active. The client holds no reference on @window; a
 * destroyed window stops counting. Tracking a window twice does nothing. The tracking ends with
 * [func@untrack_window] or when @client is finalized.
 */
void
quarry_gtk_track_window (QuarryQueryClient *client,
                         GtkWindow         *window)
{
  Tracker *tracker;
  TrackedWindow *tw;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (client));
  g_return_if_fail (GTK_IS_WINDOW (window));

  tracker = tracker_get (client, TRUE);
  tw = add_window (tracker, window);
  tw->tracked = TRUE;
  tracker_update (tracker);
}

/**
 * quarry_gtk_untrack_window:
 * @client: a client
 * @window: a window given to [func@track_window]
 *
 * Stops counting @window in @client's [property@Quarry.QueryClient:focused],
 * unless it belongs to an application tracked with
 * [func@track_application].
 *
 * When the client then tracks nothing, it is focused again, as a client
 * that never tracked any window.
 */
void
quarry_gtk_untrack_window (QuarryQueryClient *client,
                           GtkWindow         *window)
{
  Tracker *tracker;
  TrackedWindow *tw;
  guint index;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (client));
  g_return_if_fail (GTK_IS_WINDOW (window));

  tracker = tracker_get (client, FALSE);
  if (tracker == NULL)
    return;
  tw = find_window (tracker, window, &index);
  if (tw == NULL || !tw->tracked)
    return;

  tw->tracked = FALSE;
  drop_window_if_unused (tracker, index);
  tracker_release_if_done (tracker);
}

/**
 * quarry_gtk_track_application:
 * @client: a client
 * @application: the application
 *
 * Makes @client's [property@Quarry.QueryClient:focused] follow the windows
 * of @application: the client is focused while any of them is active.
 *
 * Every window @application has now and every window added to it later
 * (see [signal@Gtk.Application::window-added]) is tracked as with
 * [func@track_window], until it is removed from the application or
 * destroyed. Windows that do not belong to the application, such as
 * another program's, do not count.
 *
 * Call it once, when the client is made, in the application's
 * [signal@Gio.Application::startup] handler or its first
 * [signal@Gio.Application::activate]:
 *
 * ```c
 * static void
 * app_startup_cb (GtkApplication *app,
 *                 MyApp          *self)
 * {
 *   self->client = quarry_query_client_new ();
 *   quarry_gtk_track_application (self->client, app);
 * }
 * ```
 *
 * In Python:
 *
 * ```python
 * def do_startup(self):
 *     Gtk.Application.do_startup(self)
 *     self.client = Quarry.QueryClient()
 *     QuarryGtk.track_application(self.client, self)
 * ```
 *
 * The client is not focused until a window of @application is active.
 * The client holds no reference on @application. The tracking ends with
 * [func@untrack_application] or when either object is finalized.
 */
void
quarry_gtk_track_application (QuarryQueryClient *client,
                              GtkApplication    *application)
{
  Tracker *tracker;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (client));
  g_return_if_fail (GTK_IS_APPLICATION (application));

  tracker = tracker_get (client, TRUE);
  if (g_ptr_array_find (tracker->applications, application, NULL))
    return;

  g_ptr_array_add (tracker->applications, application);
  g_object_weak_ref (G_OBJECT (application), application_weak_notify, tracker);
  g_signal_connect (application, "window-added", G_CALLBACK (window_added_cb), tracker);
  g_signal_connect (application, "window-removed", G_CALLBACK (window_removed_cb), tracker);

  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    {
      TrackedWindow *tw = add_window (tracker, l->data);

      tw->application = application;
    }

  tracker_update (tracker);
}

/**
 * quarry_gtk_untrack_application:
 * @client: a client
 * @application: an application given to [func@track_application]
 *
 * Stops following the windows of @application in @client's
 * [property@Quarry.QueryClient:focused]. Windows also given to
 * [func@track_window] still count.
 *
 * When the client then tracks nothing, it is focused again, as a client
 * that never tracked any window.
 */
void
quarry_gtk_untrack_application (QuarryQueryClient *client,
                                GtkApplication    *application)
{
  Tracker *tracker;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (client));
  g_return_if_fail (GTK_IS_APPLICATION (application));

  tracker = tracker_get (client, FALSE);
  if (tracker == NULL || !g_ptr_array_remove_fast (tracker->applications, application))
    return;

  release_application (tracker, application);
  forget_application_windows (tracker, application);
  tracker_release_if_done (tracker);
}
