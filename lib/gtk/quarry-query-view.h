/* quarry-query-view.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_GTK_INSIDE) && !defined(QUARRY_GTK_COMPILATION)
#error "Only <quarry-gtk.h> can be included directly."
#endif

#include <gtk/gtk.h>
#include <quarry.h>

G_BEGIN_DECLS

/**
 * QuarryQueryViewState:
 * @QUARRY_QUERY_VIEW_STATE_LOADING: the query has no data yet and is
 *   fetching it, or is about to
 * @QUARRY_QUERY_VIEW_STATE_ERROR: the query failed and has no data to show
 * @QUARRY_QUERY_VIEW_STATE_EMPTY: there is nothing to show: the data is
 *   empty, or the query is disabled or unset
 * @QUARRY_QUERY_VIEW_STATE_CONTENT: the data is shown
 *
 * Which page a [class@QueryView] shows.
 *
 * The enumeration may be extended in later versions.
 */
typedef enum
{
  QUARRY_QUERY_VIEW_STATE_LOADING,
  QUARRY_QUERY_VIEW_STATE_ERROR,
  QUARRY_QUERY_VIEW_STATE_EMPTY,
  QUARRY_QUERY_VIEW_STATE_CONTENT,
} QuarryQueryViewState;

#define QUARRY_TYPE_QUERY_VIEW (quarry_query_view_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (QuarryQueryView, quarry_query_view, QUARRY, QUERY_VIEW, GtkWidget)

/**
 * QuarryQueryViewClass:
 * @parent_class: the parent class
 * @is_empty: decides whether the query's data is empty
 * @retry: class handler of [signal@QueryView::retry]
 *
 * The class structure of [class@QueryView].
 */

/**
 * QuarryQueryViewClass::is_empty:
 * @self: a query view
 * @data: the query's data; never `NULL`
 *
 * Decides whether the query's data is empty, so that the view shows its
 * empty page instead of the content.
 *
 * The default implementation follows [property@QueryView:model] when it is
 * set: the data is empty when the model has no items. Otherwise a value
 * holding `NULL`, JSON `null`, an empty JSON array, an empty
 * [iface@Gio.ListModel], an empty string array, or an array or maybe
 * [struct@GLib.Variant] without children is empty; anything else, a JSON
 * object included, is not.
 *
 * Override it for other shapes, such as `{"items": [], "total": 0}`, and
 * chain up for the rest. It must depend on @data and the model only: the
 * view calls it when either changes.
 *
 * Returns: `TRUE` to show the empty page
 */
struct _QuarryQueryViewClass
{
  GtkWidgetClass parent_class;

  gboolean (*is_empty) (QuarryQueryView *self,
                        const GValue    *data);
  void     (*retry)    (QuarryQueryView *self);

  /*< private >*/
  gpointer _reserved[8];
};

QUARRY_AVAILABLE_IN_ALL
GtkWidget            *quarry_query_view_new                        (void) G_GNUC_WARN_UNUSED_RESULT;

QUARRY_AVAILABLE_IN_ALL
QuarryQuery          *quarry_query_view_get_query                  (QuarryQueryView *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_query_view_set_query                  (QuarryQueryView *self,
                                                                    QuarryQuery     *query);
QUARRY_AVAILABLE_IN_ALL
GtkWidget            *quarry_query_view_get_child                  (QuarryQueryView *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_query_view_set_child                  (QuarryQueryView *self,
                                                                    GtkWidget       *child);
QUARRY_AVAILABLE_IN_ALL
GtkWidget            *quarry_query_view_get_loading_widget         (QuarryQueryView *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_query_view_set_loading_widget         (QuarryQueryView *self,
                                                                    GtkWidget       *widget);
QUARRY_AVAILABLE_IN_ALL
GtkWidget            *quarry_query_view_get_error_widget           (QuarryQueryView *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_query_view_set_error_widget           (QuarryQueryView *self,
                                                                    GtkWidget       *widget);
QUARRY_AVAILABLE_IN_ALL
GtkWidget            *quarry_query_view_get_empty_widget           (QuarryQueryView *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_query_view_set_empty_widget           (QuarryQueryView *self,
                                                                    GtkWidget       *widget);
QUARRY_AVAILABLE_IN_ALL
GListModel           *quarry_query_view_get_model                  (QuarryQueryView *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_query_view_set_model                  (QuarryQueryView *self,
                                                                    GListModel      *model);
QUARRY_AVAILABLE_IN_ALL
QuarryQueryViewState  quarry_query_view_get_state                  (QuarryQueryView *self);
QUARRY_AVAILABLE_IN_ALL
const char           *quarry_query_view_get_empty_title            (QuarryQueryView *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_query_view_set_empty_title            (QuarryQueryView *self,
                                                                    const char      *title);
QUARRY_AVAILABLE_IN_ALL
const char           *quarry_query_view_get_empty_description      (QuarryQueryView *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_query_view_set_empty_description      (QuarryQueryView *self,
                                                                    const char      *description);
QUARRY_AVAILABLE_IN_ALL
const char           *quarry_query_view_get_empty_icon_name        (QuarryQueryView *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_query_view_set_empty_icon_name        (QuarryQueryView *self,
                                                                    const char      *icon_name);
QUARRY_AVAILABLE_IN_ALL
gboolean              quarry_query_view_get_track_visibility       (QuarryQueryView *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_query_view_set_track_visibility       (QuarryQueryView *self,
                                                                    gboolean         track_visibility);
QUARRY_AVAILABLE_IN_ALL
gboolean              quarry_query_view_get_show_refetch_indicator (QuarryQueryView *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_query_view_set_show_refetch_indicator (QuarryQueryView *self,
                                                                    gboolean         show_refetch_indicator);

QUARRY_AVAILABLE_IN_ALL
void                  quarry_query_view_retry                      (QuarryQueryView *self);

G_END_DECLS
