/* quarry-infinite-list-view.h
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

#define QUARRY_TYPE_INFINITE_LIST_VIEW (quarry_infinite_list_view_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (QuarryInfiniteListView, quarry_infinite_list_view, QUARRY, INFINITE_LIST_VIEW, GtkWidget)

/**
 * QuarryInfiniteListViewClass:
 * @parent_class: the parent class
 * @activate: the class handler of [signal@InfiniteListView::activate]
 *
 * The class structure of [class@InfiniteListView].
 */
struct _QuarryInfiniteListViewClass
{
  GtkWidgetClass parent_class;

  void (*activate) (QuarryInfiniteListView *self,
                    guint                   position);

  /*< private >*/
  gpointer _reserved[8];
};

QUARRY_AVAILABLE_IN_ALL
GtkWidget           *quarry_infinite_list_view_new                       (QuarryInfiniteQuery    *query,
                                                                          GtkListItemFactory     *factory) G_GNUC_WARN_UNUSED_RESULT;

QUARRY_AVAILABLE_IN_ALL
QuarryInfiniteQuery *quarry_infinite_list_view_get_query                 (QuarryInfiniteListView *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_list_view_set_query                 (QuarryInfiniteListView *self,
                                                                          QuarryInfiniteQuery    *query);
QUARRY_AVAILABLE_IN_ALL
GListModel          *quarry_infinite_list_view_get_model                 (QuarryInfiniteListView *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_list_view_set_model                 (QuarryInfiniteListView *self,
                                                                          GListModel             *model);
QUARRY_AVAILABLE_IN_ALL
GtkListItemFactory  *quarry_infinite_list_view_get_factory               (QuarryInfiniteListView *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_list_view_set_factory               (QuarryInfiniteListView *self,
                                                                          GtkListItemFactory     *factory);
QUARRY_AVAILABLE_IN_ALL
double               quarry_infinite_list_view_get_threshold             (QuarryInfiniteListView *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_list_view_set_threshold             (QuarryInfiniteListView *self,
                                                                          double                  threshold);
QUARRY_AVAILABLE_IN_ALL
gboolean             quarry_infinite_list_view_get_auto_load             (QuarryInfiniteListView *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_list_view_set_auto_load             (QuarryInfiniteListView *self,
                                                                          gboolean                auto_load);
QUARRY_AVAILABLE_IN_ALL
gboolean             quarry_infinite_list_view_get_single_click_activate (QuarryInfiniteListView *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_list_view_set_single_click_activate (QuarryInfiniteListView *self,
                                                                          gboolean                single_click_activate);
QUARRY_AVAILABLE_IN_ALL
GtkSelectionMode     quarry_infinite_list_view_get_selection_mode        (QuarryInfiniteListView *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_list_view_set_selection_mode        (QuarryInfiniteListView *self,
                                                                          GtkSelectionMode        mode);
QUARRY_AVAILABLE_IN_ALL
GtkSelectionModel   *quarry_infinite_list_view_get_selection_model       (QuarryInfiniteListView *self);
QUARRY_AVAILABLE_IN_ALL
GObject             *quarry_infinite_list_view_get_selected_item         (QuarryInfiniteListView *self);
QUARRY_AVAILABLE_IN_ALL
guint                quarry_infinite_list_view_get_selected              (QuarryInfiniteListView *self);
QUARRY_AVAILABLE_IN_ALL
GtkListView         *quarry_infinite_list_view_get_list_view             (QuarryInfiniteListView *self);
QUARRY_AVAILABLE_IN_ALL
GtkScrolledWindow   *quarry_infinite_list_view_get_scrolled_window       (QuarryInfiniteListView *self);

QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_list_view_scroll_to                 (QuarryInfiniteListView *self,
                                                                          guint                   position);

G_END_DECLS
