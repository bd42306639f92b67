/* quarry-gtk-activity.c: queries that are subscribed only while a widget
 * is on screen
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * TanStack ties a query observer to its component: mounted, it fetches and
 * refetches; unmounted, it stops. A GTK widget's equivalent of being
 * mounted is being mapped: a page hidden in a GtkStack or GtkNotebook, or a
 * widget not shown, is unmapped. A tie keeps QuarryQuery:subscribed equal
 * to "one of the tied widgets is mapped".
 */

#include "config.h"

#include "quarry-gtk.h"

#define TIES_KEY "quarry-gtk-ties"

/* Every tie of one query; the query owns it through its object data. */
typedef struct
{
  QuarryQuery *query;          /* unowned: the ties die with it */
  GPtrArray *widgets;          /* GtkWidget, weak */
  gboolean was_subscribed;     /* before the first tie, restored by the last untie */
} Ties;

static void widget_weak_notify (gpointer data, GObject *where_the_widget_was);
static void widget_mapped_cb   (GtkWidget *widget, Ties *ties);

static void
ties_update (Ties *ties)
{
  gboolean mapped = FALSE;

  for (guint i = 0; i < ties->widgets->len && !mapped; i++)
    mapped = gtk_widget_get_mapped (g_ptr_array_index (ties->widgets, i));

  /* Handlers of what subscribing brings may drop the app's last reference. */
  g_object_ref (ties->query);
  quarry_query_set_subscribed (ties->query, mapped);
  g_object_unref (ties->query);
}

static void
ties_release_widget (Ties      *ties,
                     GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (widget, widget_mapped_cb, ties);
  g_object_weak_unref (G_OBJECT (widget), widget_weak_notify, ties);
}

static void
ties_free (gpointer data)
{
  Ties *ties = data;

  /* The query is being finalized: only the widgets need letting go. */
  for (guint i = 0; i < ties->widgets->len; i++)
    ties_release_widget (ties, g_ptr_array_index (ties->widgets, i));
  g_ptr_array_unref (ties->widgets);
  g_free (ties);
}

static void
widget_mapped_cb (GtkWidget *widget,
                  Ties      *ties)
{
  ties_update (ties);
}

/* A finalized widget is as good as unmapped: an unmounted component. */
static void
widget_weak_notify (gpointer  data,
                    GObject  *where_the_widget_was)
{
  Ties *ties = data;

  g_ptr_array_remove_fast (ties->widgets, where_the_widget_was);
  ties_update (ties);
}

/**
 * quarry_gtk_tie_query:
 * @query: a query
 * @widget: the widget that shows @query's data
 *
 * Ties @query to @widget, so that the query is subscribed to its cache
 * entry only while @widget is mapped, as a TanStack query is active only
 * while its component is mounted.
 *
 * A page hidden in a [class@Gtk.Stack] or [class@Gtk.Notebook], or a widget
 * not shown, is unmapped: its query does not fetch, refetch on window focus,
 * on reconnection, on an interval or on invalidation, and its entry can be
 * garbage-collected. When the widget is mapped again the query shows the
 * cached data at once and refetches it if stale. See
 * [property@Quarry.Query:subscribed].
 *
 * A query can be tied to several widgets; it is subscribed while any of
 * them is mapped. A tie ends with [func@untie_query], or when the widget is
 * finalized (the query then stays unsubscribed if no other widget holds
 * it). The tie holds no reference on either object.
 *
 * [class@QueryView] ties its query itself unless
 * [property@QueryView:track-visibility] is unset.
 */
void
quarry_gtk_tie_query (QuarryQuery *query,
                      GtkWidget   *widget)
{
  Ties *ties;

  g_return_if_fail (QUARRY_IS_QUERY (query));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  ties = g_object_get_data (G_OBJECT (query), TIES_KEY);
  if (ties == NULL)
    {
      ties = g_new0 (Ties, 1);
      ties->query = query;
      ties->widgets = g_ptr_array_new ();
      ties->was_subscribed = quarry_query_get_subscribed (query);
      g_object_set_data_full (G_OBJECT (query), TIES_KEY, ties, ties_free);
    }
  else if (g_ptr_array_find (ties->widgets, widget, NULL))
    return;

  g_ptr_array_add (ties->widgets, widget);
  g_object_weak_ref (G_OBJECT (widget), widget_weak_notify, ties);
  g_signal_connect (widget, "map", G_CALLBACK (widget_mapped_cb), ties);
  g_signal_connect (widget, "unmap", G_CALLBACK (widget_mapped_cb), ties);
  ties_update (ties);
}

/**
 * quarry_gtk_untie_query:
 * @query: a query
 * @widget: a widget @query is tied to
 *
 * Ends the tie made by [func@tie_query]. When no widget holds @query any
 * more, its [property@Quarry.Query:subscribed] goes back to what it was
 * before the first tie.
 */
void
quarry_gtk_untie_query (QuarryQuery *query,
                        GtkWidget   *widget)
{
  Ties *ties;

  g_return_if_fail (QUARRY_IS_QUERY (query));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  ties = g_object_get_data (G_OBJECT (query), TIES_KEY);
  if (ties == NULL || !g_ptr_array_remove_fast (ties->widgets, widget))
    return;

  ties_release_widget (ties, widget);
  if (ties->widgets->len > 0)
    ties_update (ties);
  else
    {
      gboolean was_subscribed = ties->was_subscribed;

      g_object_set_data (G_OBJECT (query), TIES_KEY, NULL);
      g_object_ref (query);
      quarry_query_set_subscribed (query, was_subscribed);
      g_object_unref (query);
    }
}
