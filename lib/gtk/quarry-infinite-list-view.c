/* quarry-infinite-list-view.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-gtk.h"

#include "quarry-gtk-i18n-private.h"
#include "quarry-infinite-footer-private.h"

/**
 * QuarryInfiniteListView:
 *
 * A scrolling list of the items of a [class@Quarry.InfiniteQuery] that
 * loads the next page when the user scrolls near its end: infinite
 * scrolling, TanStack Query's `useInfiniteQuery` with an intersection
 * observer.
 *
 * The view is a [class@Gtk.ScrolledWindow] around a [class@Gtk.ListView].
 * The list shows the items of [property@InfiniteListView:model] (by default
 * the query's [property@Quarry.InfiniteQuery:items]), made into rows by
 * [property@InfiniteListView:factory], and one more row at the end, the
 * *footer*, which shows:
 *
 * - a spinner and "Loading more…" while the next page loads;
 * - the error and a "Retry" button when loading the next page failed;
 * - a "Load more" button when there is a next page;
 * - "No more items" when there is none (and there are items);
 * - nothing, and no row at all, before the query has its first page:
 *   showing the first load is the business of a view around this one,
 *   such as [class@QueryView].
 *
 * ## Loading
 *
 * With [property@InfiniteListView:auto-load] set (the default), the view
 * calls [method@Quarry.InfiniteQuery.fetch_next_page] when the end of the
 * content comes within [property@InfiniteListView:threshold] pixels of the
 * bottom of the viewport. It checks after each scroll, each change of the
 * content's size, and each change of the query, once the list has been laid
 * out again, so that a burst of changes loads one page. That includes
 * content shorter than the viewport, for which GTK never emits
 * [signal@Gtk.ScrolledWindow::edge-reached]: a first page of three rows in
 * a tall window loads pages until the window is full, then stops.
 *
 * A change of the query reaches the footer, and the check, only once every
 * handler of the change has run, before the next frame: a model over the
 * query, such as a [class@Quarry.KeyedListModel], which follows the
 * query's `data` after the query has notified its other properties, has
 * then taken the new page. So the next page never loads before the items
 * of the last one are in the model and laid out, and only when the end is
 * then still near.
 *
 * It never loads while the query is fetching (a next page or a refetch of
 * every page), when it has no next page, before the first page is there,
 * nor after loading the next page failed: the user retries with the
 * footer's button. Without auto-load, only the footer's "Load more" button
 * loads.
 *
 * ## Rows
 *
 * The factory may be a [class@Gtk.SignalListItemFactory] or a
 * [class@Gtk.BuilderListItemFactory], used as a [class@Gtk.ListView] would
 * use it. The footer is a row of the same list, and GTK recycles rows: a
 * [class@Gtk.ListItem] set up by the factory may show the footer for a
 * while. The factory is never asked to bind the footer: the view puts the
 * item's child aside while the footer shows in it and gives it back after.
 * Expressions in a builder factory's template do see the footer's item (a
 * private type) in [property@Gtk.ListItem:item]: a `<lookup>` with a
 * `type` ignores it, and a `<closure>` taking the item must check its type.
 *
 * ## Selection and activation
 *
 * [property@InfiniteListView:selection-mode] picks how rows are selected.
 * [property@InfiniteListView:selection-model] is the selection over the
 * items, whose positions are those of the model; the footer is never
 * selected, and [signal@InfiniteListView::activate] is never emitted for
 * it.
 *
 * ```c
 * static void
 * bind_row (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
 * {
 *   QuarryJsonItem *item = gtk_list_item_get_item (list_item);
 *   JsonNode *title = quarry_json_item_get_member (item, "title");
 *
 *   gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)),
 *                        title != NULL ? json_node_get_string (title) : "");
 * }
 *
 * factory = gtk_signal_list_item_factory_new ();
 * g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
 * g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
 * view = quarry_infinite_list_view_new (query, factory);
 * ```
 *
 * In a `.ui` file (call [func@init] first):
 *
 * ```xml
 * <object class="QuarryInfiniteListView" id="feed">
 *   <property name="threshold">200</property>
 *   <property name="factory">
 *     <object class="GtkBuilderListItemFactory">
 *       <property name="resource">/org/example/App/feed-row.ui</property>
 *     </object>
 *   </property>
 * </object>
 * ```
 *
 * ## CSS nodes
 *
 * `QuarryInfiniteListView` has a single CSS node with name
 * `infinitelistview`, holding the scrolled window. The footer's node is
 * `infinitefooter`, inside the last row.
 */

/* ------------------------------------------------------------------------
 * QuarryFooterSelection: the list view's model. The rows of an inner
 * selection model (the items, selected as the mode says) and, after them,
 * one footer row, which can be neither selected nor counted by the inner
 * selection. Changes are forwarded as they are; the footer's row comes and
 * goes with its own items-changed, emitted after the inner change it
 * follows, so every emission matches what get_n_items () says at that time.
 * ------------------------------------------------------------------------ */

typedef enum
{
  FOOTER_HIDDEN,
  FOOTER_SHOWN,
  FOOTER_SHOWN_WITH_ITEMS,   /* only when there are items */
} FooterVisibility;

#define QUARRY_TYPE_FOOTER_SELECTION (_quarry_footer_selection_get_type ())

G_DECLARE_FINAL_TYPE (QuarryFooterSelection, _quarry_footer_selection,
                      QUARRY, FOOTER_SELECTION, GObject)

struct _QuarryFooterSelection
{
  GObject parent_instance;

  GtkSelectionModel *selection;   /* never NULL */
  GObject *footer;
  FooterVisibility visibility;

  /* what the last emission told */
  guint n_items;                  /* the inner rows */
  gboolean footer_shown;
};

static void footer_selection_list_model_iface_init (GListModelInterface *iface);
static void footer_selection_selection_model_iface_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (QuarryFooterSelection, _quarry_footer_selection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      footer_selection_list_model_iface_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      footer_selection_selection_model_iface_init))

static gboolean
footer_selection_wants_footer (QuarryFooterSelection *self,
                               guint                  n_items)
{
  switch (self->visibility)
    {
    case FOOTER_SHOWN:
      return TRUE;
    case FOOTER_SHOWN_WITH_ITEMS:
      return n_items > 0;
    case FOOTER_HIDDEN:
    default:
      return FALSE;
    }
}

/* Adds or removes the footer's row to match the visibility. */
static void
footer_selection_sync_footer (QuarryFooterSelection *self)
{
  gboolean shown = footer_selection_wants_footer (self, self->n_items);

  if (shown == self->footer_shown)
    return;

  self->footer_shown = shown;
  g_list_model_items_changed (G_LIST_MODEL (self), self->n_items, shown ? 0 : 1, shown ? 1 : 0);
}

static void
footer_selection_items_changed_cb (QuarryFooterSelection *self,
                                   guint                  position,
                                   guint                  removed,
                                   guint                  added,
                                   GListModel            *selection)
{
  self->n_items = g_list_model_get_n_items (selection);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  footer_selection_sync_footer (self);
}

static void
footer_selection_selection_changed_cb (QuarryFooterSelection *self,
                                       guint                  position,
                                       guint                  n_items,
                                       GtkSelectionModel     *selection)
{
  if (position >= self->n_items)
    return;
  gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position,
                                         MIN (n_items, self->n_items - position));
}

static GType
footer_selection_get_item_type (GListModel *model)
{
  return G_TYPE_OBJECT;
}

static guint
footer_selection_get_n_items (GListModel *model)
{
  QuarryFooterSelection *self = QUARRY_FOOTER_SELECTION (model);

  return self->n_items + (self->footer_shown ? 1 : 0);
}

static gpointer
footer_selection_get_item (GListModel *model,
                           guint       position)
{
  QuarryFooterSelection *self = QUARRY_FOOTER_SELECTION (model);

  if (position < self->n_items)
    return g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (position == self->n_items && self->footer_shown)
    return g_object_ref (self->footer);
  return NULL;
}

static void
footer_selection_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = footer_selection_get_item_type;
  iface->get_n_items = footer_selection_get_n_items;
  iface->get_item = footer_selection_get_item;
}

static gboolean
footer_selection_is_selected (GtkSelectionModel *model,
                              guint              position)
{
  QuarryFooterSelection *self = QUARRY_FOOTER_SELECTION (model);

  return position < self->n_items && gtk_selection_model_is_selected (self->selection, position);
}

static GtkBitset *
footer_selection_get_selection_in_range (GtkSelectionModel *model,
                                         guint              position,
                                         guint              n_items)
{
  QuarryFooterSelection *self = QUARRY_FOOTER_SELECTION (model);

  if (position >= self->n_items)
    return gtk_bitset_new_empty ();
  return gtk_selection_model_get_selection_in_range (self->selection, position,
                                                     MIN (n_items, self->n_items - position));
}

static gboolean
footer_selection_select_item (GtkSelectionModel *model,
                              guint              position,
                              gboolean           unselect_rest)
{
  QuarryFooterSelection *self = QUARRY_FOOTER_SELECTION (model);

  if (position >= self->n_items)
    return FALSE;
  return gtk_selection_model_select_item (self->selection, position, unselect_rest);
}

static gboolean
footer_selection_unselect_item (GtkSelectionModel *model,
                                guint              position)
{
  QuarryFooterSelection *self = QUARRY_FOOTER_SELECTION (model);

  if (position >= self->n_items)
    return FALSE;
  return gtk_selection_model_unselect_item (self->selection, position);
}

static gboolean
footer_selection_select_range (GtkSelectionModel *model,
                               guint              position,
                               guint              n_items,
                               gboolean           unselect_rest)
{
  QuarryFooterSelection *self = QUARRY_FOOTER_SELECTION (model);

  if (position >= self->n_items)
    return FALSE;
  return gtk_selection_model_select_range (self->selection, position,
                                           MIN (n_items, self->n_items - position), unselect_rest);
}

static gboolean
footer_selection_unselect_range (GtkSelectionModel *model,
                                 guint              position,
                                 guint              n_items)
{
  QuarryFooterSelection *self = QUARRY_FOOTER_SELECTION (model);

  if (position >= self->n_items)
    return FALSE;
  return gtk_selection_model_unselect_range (self->selection, position,
                                             MIN (n_items, self->n_items - position));
}

static gboolean
footer_selection_select_all (GtkSelectionModel *model)
{
  QuarryFooterSelection *self = QUARRY_FOOTER_SELECTION (model);

  return gtk_selection_model_select_all (self->selection);
}

static gboolean
footer_selection_unselect_all (GtkSelectionModel *model)
{
  QuarryFooterSelection *self = QUARRY_FOOTER_SELECTION (model);

  return gtk_selection_model_unselect_all (self->selection);
}

static gboolean
footer_selection_set_selection (GtkSelectionModel *model,
                                GtkBitset         *selected,
                                GtkBitset         *mask)
{
  QuarryFooterSelection *self = QUARRY_FOOTER_SELECTION (model);
  g_autoptr(GtkBitset) items_mask = gtk_bitset_copy (mask);

  /* The footer's bit, if asked for, is not the inner selection's. */
  gtk_bitset_remove_range_closed (items_mask, self->n_items, G_MAXUINT);
  return gtk_selection_model_set_selection (self->selection, selected, items_mask);
}

static void
footer_selection_selection_model_iface_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = footer_selection_is_selected;
  iface->get_selection_in_range = footer_selection_get_selection_in_range;
  iface->select_item = footer_selection_select_item;
  iface->unselect_item = footer_selection_unselect_item;
  iface->select_range = footer_selection_select_range;
  iface->unselect_range = footer_selection_unselect_range;
  iface->select_all = footer_selection_select_all;
  iface->unselect_all = footer_selection_unselect_all;
  iface->set_selection = footer_selection_set_selection;
}

static void
footer_selection_dispose (GObject *object)
{
  QuarryFooterSelection *self = (QuarryFooterSelection *)object;

  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->footer);

  G_OBJECT_CLASS (_quarry_footer_selection_parent_class)->dispose (object);
}

static void
_quarry_footer_selection_class_init (QuarryFooterSelectionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = footer_selection_dispose;
}

static void
_quarry_footer_selection_init (QuarryFooterSelection *self)
{
}

static void
footer_selection_connect (QuarryFooterSelection *self)
{
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (footer_selection_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (footer_selection_selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static QuarryFooterSelection *
footer_selection_new (GtkSelectionModel *selection,
                      GObject           *footer)
{
  QuarryFooterSelection *self = g_object_new (QUARRY_TYPE_FOOTER_SELECTION, NULL);

  self->selection = g_object_ref (selection);
  self->footer = g_object_ref (footer);
  self->n_items = g_list_model_get_n_items (G_LIST_MODEL (selection));
  self->visibility = FOOTER_HIDDEN;
  footer_selection_connect (self);
  return self;
}

/* Replaces the inner selection. With @same_items (a new selection mode
 * over the same model) the rows stay and only the selection changes. */
static void
footer_selection_set_inner (QuarryFooterSelection *self,
                            GtkSelectionModel     *selection,
                            gboolean               same_items)
{
  guint n_old = self->n_items + (self->footer_shown ? 1 : 0);
  guint n_new;

  if (self->selection == selection)
    return;

  g_signal_handlers_disconnect_by_data (self->selection, self);
  g_set_object (&self->selection, selection);
  footer_selection_connect (self);

  if (same_items)
    {
      g_warn_if_fail (self->n_items == g_list_model_get_n_items (G_LIST_MODEL (selection)));
      if (self->n_items > 0)
        gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), 0, self->n_items);
      return;
    }

  self->n_items = g_list_model_get_n_items (G_LIST_MODEL (selection));
  self->footer_shown = footer_selection_wants_footer (self, self->n_items);
  n_new = self->n_items + (self->footer_shown ? 1 : 0);
  if (n_old > 0 || n_new > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, n_new);
}

static void
footer_selection_set_visibility (QuarryFooterSelection *self,
                                 FooterVisibility       visibility)
{
  self->visibility = visibility;
  footer_selection_sync_footer (self);
}

/* ------------------------------------------------------------------------
 * QuarryInfiniteListView
 * ------------------------------------------------------------------------ */

typedef struct
{
  QuarryInfiniteQuery *query;
  GListModel *model;               /* as set; NULL for the query's items */
  GListModel *shown_model;         /* model, or the query's items */
  GtkListItemFactory *factory;
  double threshold;
  gboolean auto_load;
  GtkSelectionMode selection_mode;

  GtkSelectionModel *selection;    /* over shown_model */
  QuarryFooterSelection *rows;     /* the list view's model */
  QuarryInfiniteFooterItem *footer_item;
  GObject *selected_item;
  guint selected;

  GSignalGroup *query_signals;
  GSignalGroup *adjustment_signals;

  /* The footer's update after a change of the query, in an idle: once
   * a model over the query has followed the change too. */
  guint footer_idle;

  /* The load check: after the next frame (so the list is laid out for the
   * latest change), then in an idle. */
  GdkFrameClock *check_clock;
  gulong check_handler;
  guint check_idle;

  /* template */
  GtkScrolledWindow *scrolled_window;
  GtkListView *list_view;
  GtkSignalListItemFactory *row_factory;
} QuarryInfiniteListViewPrivate;

enum {
  PROP_0,
  PROP_QUERY,
  PROP_MODEL,
  PROP_FACTORY,
  PROP_THRESHOLD,
  PROP_AUTO_LOAD,
  PROP_SINGLE_CLICK_ACTIVATE,
  PROP_SELECTION_MODE,
  PROP_SELECTION_MODEL,
  PROP_SELECTED_ITEM,
  PROP_SELECTED,
  PROP_LIST_VIEW,
  PROP_SCROLLED_WINDOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ACTIVATE,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

/* Per list item: the app factory that set it up, its footer widget, and
 * what the footer put aside while it shows (a RowStash). */
static GQuark row_factory_quark;
static GQuark row_footer_quark;
static GQuark row_stash_quark;

G_DEFINE_TYPE_WITH_PRIVATE (QuarryInfiniteListView, quarry_infinite_list_view, GTK_TYPE_WIDGET)

/* Loading. */

static gboolean
query_has_data (QuarryInfiniteQuery *query)
{
  return query != NULL && quarry_infinite_query_get_data (query) != NULL;
}

/* Whether the next page may be loaded without the user asking. */
static gboolean
can_auto_load (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);
  QuarryInfiniteQuery *query = priv->query;

  return priv->auto_load &&
         query_has_data (query) &&
         quarry_infinite_query_get_has_next_page (query) &&
         !quarry_infinite_query_get_is_fetching_next_page (query) &&
         !quarry_infinite_query_get_is_fetch_next_page_error (query) &&
         quarry_query_get_fetch_status (QUARRY_QUERY (query)) == QUARRY_FETCH_STATUS_IDLE;
}

static void
load_if_near_end (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);
  GtkAdjustment *adjustment;
  double page_size, distance, threshold;

  /* The model may not have the last page yet: the footer's update
   * checks again once it has. */
  if (priv->footer_idle != 0)
    return;

  if (!can_auto_load (self) || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  adjustment = gtk_scrolled_window_get_vadjustment (priv->scrolled_window);
  page_size = gtk_adjustment_get_page_size (adjustment);
  if (page_size <= 0)
    return;

  threshold = priv->threshold < 0 ? page_size : priv->threshold;
  distance = gtk_adjustment_get_upper (adjustment) -
             (gtk_adjustment_get_value (adjustment) + page_size);
  if (distance <= threshold)
    quarry_infinite_query_fetch_next_page (priv->query);
}

static void
cancel_check (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  if (priv->check_clock != NULL)
    g_clear_signal_handler (&priv->check_handler, priv->check_clock);
  g_clear_object (&priv->check_clock);
  g_clear_handle_id (&priv->check_idle, g_source_remove);
}

static gboolean
check_idle_cb (gpointer user_data)
{
  QuarryInfiniteListView *self = user_data;
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  priv->check_idle = 0;
  load_if_near_end (self);
  return G_SOURCE_REMOVE;
}

static void
check_after_paint_cb (QuarryInfiniteListView *self,
                      GdkFrameClock          *frame_clock)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_clear_signal_handler (&priv->check_handler, frame_clock);
  g_clear_object (&priv->check_clock);
  if (priv->check_idle == 0)
    priv->check_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, check_idle_cb, self, NULL);
}

/* Checks whether to load once the list has been laid out for whatever
 * changed: GTK adjusts the scrolled window's adjustment in the layout of
 * the next frame, so a check right now would see the previous size. */
static void
queue_check (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);
  GdkFrameClock *frame_clock;

  if (!priv->auto_load || priv->check_handler != 0)
    return;

  /* A pending idle would read a layout older than this change. */
  g_clear_handle_id (&priv->check_idle, g_source_remove);

  /* map () checks again. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (frame_clock == NULL)
    return;

  priv->check_clock = g_object_ref (frame_clock);
  priv->check_handler = g_signal_connect_object (frame_clock, "after-paint",
                                                 G_CALLBACK (check_after_paint_cb), self,
                                                 G_CONNECT_SWAPPED);
  gdk_frame_clock_request_phase (frame_clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

/* The footer. */

static QuarryInfiniteFooterState
footer_state (QuarryInfiniteListView  *self,
              const char             **message)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);
  QuarryInfiniteQuery *query = priv->query;

  *message = NULL;

  if (!query_has_data (query))
    return QUARRY_INFINITE_FOOTER_NONE;

  if (quarry_infinite_query_get_is_fetching_next_page (query))
    return QUARRY_INFINITE_FOOTER_LOADING;

  if (quarry_infinite_query_get_is_fetch_next_page_error (query))
    {
      const GError *error = quarry_query_get_error (QUARRY_QUERY (query));

      *message = error != NULL ? error->message : NULL;
      return QUARRY_INFINITE_FOOTER_ERROR;
    }

  if (quarry_infinite_query_get_has_next_page (query))
    return QUARRY_INFINITE_FOOTER_LOAD_MORE;

  return QUARRY_INFINITE_FOOTER_END;
}

static void
update_footer (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);
  QuarryInfiniteFooterState state;
  FooterVisibility visibility;
  const char *message;

  g_clear_handle_id (&priv->footer_idle, g_source_remove);

  /* After dispose. */
  if (priv->rows == NULL)
    return;

  state = footer_state (self, &message);
  _quarry_infinite_footer_item_update (priv->footer_item, state, message);

  switch (state)
    {
    case QUARRY_INFINITE_FOOTER_NONE:
      visibility = FOOTER_HIDDEN;
      break;
    case QUARRY_INFINITE_FOOTER_END:
      visibility = FOOTER_SHOWN_WITH_ITEMS;
      break;
    case QUARRY_INFINITE_FOOTER_LOADING:
    case QUARRY_INFINITE_FOOTER_ERROR:
    case QUARRY_INFINITE_FOOTER_LOAD_MORE:
    default:
      visibility = FOOTER_SHOWN;
      break;
    }
  footer_selection_set_visibility (priv->rows, visibility);
}

static void
footer_load_requested_cb (QuarryInfiniteListView   *self,
                          QuarryInfiniteFooterItem *footer_item)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  if (priv->query != NULL && !quarry_infinite_query_get_is_fetching_next_page (priv->query))
    quarry_infinite_query_fetch_next_page (priv->query);
}

static gboolean
footer_idle_cb (gpointer user_data)
{
  QuarryInfiniteListView *self = user_data;
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  priv->footer_idle = 0;
  update_footer (self);
  queue_check (self);
  return G_SOURCE_REMOVE;
}

/* The query notifies its properties one by one, and a model over it (a
 * QuarryKeyedListModel follows notify::data) may catch up with the change
 * after the notification this handles: a footer row added now could come
 * before the page's items, and a check could load while the content is
 * still that of the previous page. So the footer follows the query in an
 * idle, once every handler has run, before the next frame's layout; the
 * load check waits for it and for the layout after it. */
static void
query_changed_cb (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  if (priv->footer_idle != 0)
    return;

  priv->footer_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, footer_idle_cb, self, NULL);
  g_source_set_name_by_id (priv->footer_idle, "[quarry] QuarryInfiniteListView footer");
}

/* The first items under a footer that was the only row (a model that
 * showed none of the first pages' items). GtkListView keeps the row it
 * scrolls by, its anchor, where it is when rows go in before it, and the
 * only row is that anchor: the items would go above the viewport and the
 * footer stay in view, loading page after page. Scrolling to the first item
 * makes it the anchor, at the top. Connected after the list's own handler,
 * so the list knows the items. */
static void
rows_changed_after_cb (QuarryInfiniteListView *self,
                       guint                   position,
                       guint                   removed,
                       guint                   added,
                       GListModel             *rows)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  if (priv->list_view != NULL &&
      position == 0 && removed == 0 && added > 0 &&
      priv->rows->footer_shown && priv->rows->n_items == added)
    gtk_widget_activate_action (GTK_WIDGET (priv->list_view), "list.scroll-to-item", "u", 0);
}

/* Selection. */

static GtkSelectionModel *
selection_new (GtkSelectionMode  mode,
               GListModel       *model)
{
  GListModel *owned = model != NULL ? g_object_ref (model) : NULL;
  GtkSingleSelection *single;

  switch (mode)
    {
    case GTK_SELECTION_NONE:
      return GTK_SELECTION_MODEL (gtk_no_selection_new (owned));

    case GTK_SELECTION_MULTIPLE:
      return GTK_SELECTION_MODEL (gtk_multi_selection_new (owned));

    case GTK_SELECTION_BROWSE:
      single = gtk_single_selection_new (owned);
      gtk_single_selection_set_autoselect (single, TRUE);
      gtk_single_selection_set_can_unselect (single, FALSE);
      return GTK_SELECTION_MODEL (single);

    case GTK_SELECTION_SINGLE:
    default:
      single = gtk_single_selection_new (owned);
      gtk_single_selection_set_autoselect (single, FALSE);
      gtk_single_selection_set_can_unselect (single, TRUE);
      return GTK_SELECTION_MODEL (single);
    }
}

static void
update_selected (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GObject) item = NULL;
  guint position = GTK_INVALID_LIST_POSITION;

  if (priv->selection == NULL)
    return;

  selected = gtk_selection_model_get_selection (priv->selection);
  if (!gtk_bitset_is_empty (selected))
    {
      position = gtk_bitset_get_minimum (selected);
      item = g_list_model_get_item (G_LIST_MODEL (priv->selection), position);
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (priv->selected != position)
    {
      priv->selected = position;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
    }
  if (g_set_object (&priv->selected_item, item))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ITEM]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Makes a selection of the mode over the shown model and puts it in the
 * list. */
static void
update_selection (QuarryInfiniteListView *self,
                  gboolean                same_items)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);
  g_autoptr(GtkSelectionModel) selection = NULL;

  /* After dispose. */
  if (priv->rows == NULL)
    return;

  selection = selection_new (priv->selection_mode, priv->shown_model);
  g_set_object (&priv->selection, selection);
  footer_selection_set_inner (priv->rows, selection, same_items);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_MODEL]);
  update_selected (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
update_shown_model (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);
  GListModel *shown = priv->model;

  if (shown == NULL && priv->query != NULL)
    shown = quarry_infinite_query_get_items (priv->query);

  if (!g_set_object (&priv->shown_model, shown))
    return;

  update_selection (self, FALSE);
  queue_check (self);
}

/* Rows: the app's factory for items, the footer for the footer item. */

typedef struct
{
  GtkWidget *child;
  gboolean selectable;
  gboolean activatable;
} RowStash;

static void
row_stash_free (gpointer data)
{
  RowStash *stash = data;

  g_clear_object (&stash->child);
  g_free (stash);
}

static void
bind_footer (QuarryInfiniteListView *self,
             GtkListItem            *list_item)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);
  GtkWidget *footer = g_object_get_qdata (G_OBJECT (list_item), row_footer_quark);
  RowStash *stash = g_new0 (RowStash, 1);
  GtkWidget *child = gtk_list_item_get_child (list_item);

  stash->child = child != NULL ? g_object_ref (child) : NULL;
  stash->selectable = gtk_list_item_get_selectable (list_item);
  stash->activatable = gtk_list_item_get_activatable (list_item);
  g_object_set_qdata_full (G_OBJECT (list_item), row_stash_quark, stash, row_stash_free);

  if (footer == NULL)
    {
      footer = g_object_ref_sink (_quarry_infinite_footer_new ());
      g_object_set_qdata_full (G_OBJECT (list_item), row_footer_quark, footer, g_object_unref);
    }

  _quarry_infinite_footer_set_item (QUARRY_INFINITE_FOOTER (footer), priv->footer_item);
  gtk_list_item_set_child (list_item, footer);
  gtk_list_item_set_selectable (list_item, FALSE);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
unbind_footer (QuarryInfiniteListView *self,
               GtkListItem            *list_item)
{
  RowStash *stash = g_object_steal_qdata (G_OBJECT (list_item), row_stash_quark);
  GtkWidget *footer = g_object_get_qdata (G_OBJECT (list_item), row_footer_quark);

  g_assert (stash != NULL);

  if (footer != NULL)
    _quarry_infinite_footer_set_item (QUARRY_INFINITE_FOOTER (footer), NULL);

  /* Unless GTK already took the child out (it does before ::teardown). */
  if (footer != NULL && gtk_list_item_get_child (list_item) == footer)
    gtk_list_item_set_child (list_item, stash->child);
  gtk_list_item_set_selectable (list_item, stash->selectable);
  gtk_list_item_set_activatable (list_item, stash->activatable);
  row_stash_free (stash);
}

/* A GtkBuilderListItemFactory's setup, with public API: its template
 * extends the list item, with the list item as the current object, so its
 * expressions follow the list item as they would in a GtkListView. */
static void
builder_factory_setup (GtkBuilderListItemFactory *factory,
                       GtkListItem               *list_item)
{
  GBytes *bytes = gtk_builder_list_item_factory_get_bytes (factory);
  GtkBuilderScope *scope = gtk_builder_list_item_factory_get_scope (factory);
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;

  if (bytes == NULL)
    return;

  builder = gtk_builder_new ();
  gtk_builder_set_current_object (builder, G_OBJECT (list_item));
  if (scope != NULL)
    gtk_builder_set_scope (builder, scope);

  if (!gtk_builder_extend_with_template (builder, G_OBJECT (list_item), GTK_TYPE_LIST_ITEM,
                                         g_bytes_get_data (bytes, NULL),
                                         g_bytes_get_size (bytes),
                                         &error))
    g_critical ("Error building template for list item: %s", error->message);
}

static void
row_setup_cb (QuarryInfiniteListView   *self,
              GObject                  *object,
              GtkSignalListItemFactory *row_factory)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);
  GtkListItem *list_item = GTK_LIST_ITEM (object);
  GtkListItemFactory *factory = priv->factory;

  if (factory == NULL)
    return;

  g_object_set_qdata_full (object, row_factory_quark, g_object_ref (factory), g_object_unref);

  if (GTK_IS_SIGNAL_LIST_ITEM_FACTORY (factory))
    g_signal_emit_by_name (factory, "setup", list_item);
  else if (GTK_IS_BUILDER_LIST_ITEM_FACTORY (factory))
    builder_factory_setup (GTK_BUILDER_LIST_ITEM_FACTORY (factory), list_item);
}

static void
row_bind_cb (QuarryInfiniteListView   *self,
             GObject                  *object,
             GtkSignalListItemFactory *row_factory)
{
  GtkListItem *list_item = GTK_LIST_ITEM (object);
  GtkListItemFactory *factory = g_object_get_qdata (object, row_factory_quark);

  if (QUARRY_IS_INFINITE_FOOTER_ITEM (gtk_list_item_get_item (list_item)))
    bind_footer (self, list_item);
  else if (GTK_IS_SIGNAL_LIST_ITEM_FACTORY (factory))
    g_signal_emit_by_name (factory, "bind", list_item);
}

static void
row_unbind_cb (QuarryInfiniteListView   *self,
               GObject                  *object,
               GtkSignalListItemFactory *row_factory)
{
  GtkListItem *list_item = GTK_LIST_ITEM (object);
  GtkListItemFactory *factory = g_object_get_qdata (object, row_factory_quark);

  if (g_object_get_qdata (object, row_stash_quark) != NULL)
    unbind_footer (self, list_item);
  else if (GTK_IS_SIGNAL_LIST_ITEM_FACTORY (factory))
    g_signal_emit_by_name (factory, "unbind", list_item);
}

static void
row_teardown_cb (QuarryInfiniteListView   *self,
                 GObject                  *object,
                 GtkSignalListItemFactory *row_factory)
{
  GtkListItem *list_item = GTK_LIST_ITEM (object);
  GtkListItemFactory *factory = g_object_get_qdata (object, row_factory_quark);

  if (g_object_get_qdata (object, row_stash_quark) != NULL)
    unbind_footer (self, list_item);

  if (GTK_IS_SIGNAL_LIST_ITEM_FACTORY (factory))
    g_signal_emit_by_name (factory, "teardown", list_item);

  g_object_set_qdata (object, row_footer_quark, NULL);
  g_object_set_qdata (object, row_factory_quark, NULL);
}

/* Rebuilds every row with the current app factory. */
static void
reset_rows (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  if (priv->list_view == NULL)
    return;

  gtk_list_view_set_factory (priv->list_view, NULL);
  gtk_list_view_set_factory (priv->list_view, GTK_LIST_ITEM_FACTORY (priv->row_factory));
}

/* Template callbacks. */

static void
list_activate_cb (QuarryInfiniteListView *self,
                  guint                   position,
                  GtkListView            *list_view)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  if (position < g_list_model_get_n_items (G_LIST_MODEL (priv->selection)))
    g_signal_emit (self, signals[SIGNAL_ACTIVATE], 0, position);
}

static void
edge_reached_cb (QuarryInfiniteListView *self,
                 GtkPositionType         position,
                 GtkScrolledWindow      *scrolled_window)
{
  if (position == GTK_POS_BOTTOM)
    queue_check (self);
}

static void
vadjustment_changed_cb (QuarryInfiniteListView *self,
                        GParamSpec             *pspec,
                        GtkScrolledWindow      *scrolled_window)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_signal_group_set_target (priv->adjustment_signals,
                             gtk_scrolled_window_get_vadjustment (scrolled_window));
  queue_check (self);
}

/* GObject and GtkWidget. */

static void
quarry_infinite_list_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (quarry_infinite_list_view_parent_class)->map (widget);

  queue_check (QUARRY_INFINITE_LIST_VIEW (widget));
}

static void
quarry_infinite_list_view_unmap (GtkWidget *widget)
{
  cancel_check (QUARRY_INFINITE_LIST_VIEW (widget));

  GTK_WIDGET_CLASS (quarry_infinite_list_view_parent_class)->unmap (widget);
}

static void
quarry_infinite_list_view_dispose (GObject *object)
{
  QuarryInfiniteListView *self = (QuarryInfiniteListView *)object;
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  cancel_check (self);
  g_clear_handle_id (&priv->footer_idle, g_source_remove);

  /* First, so that the rows are torn down by the factory that set them
   * up: emptying the list tears its rows down while the view is whole.
   *
   * Not gtk_widget_dispose_template (): GTK 4.8 looks the template up on
   * the instance's class, so it fails for a subclass without a template of
   * its own (a Python subclass, say) and walks the wrong children for a
   * subclass with one. Unparenting the template's root does the same;
   * GTK drops its references to the template children when the view is
   * finalized, so the template's handlers on them are disconnected here. */
  if (priv->list_view != NULL)
    {
      gtk_list_view_set_model (priv->list_view, NULL);
      gtk_list_view_set_factory (priv->list_view, NULL);
      g_signal_handlers_disconnect_by_data (priv->list_view, self);
    }
  if (priv->row_factory != NULL)
    g_signal_handlers_disconnect_by_data (priv->row_factory, self);
  if (priv->scrolled_window != NULL)
    {
      g_signal_handlers_disconnect_by_data (priv->scrolled_window, self);
      gtk_widget_unparent (GTK_WIDGET (priv->scrolled_window));
    }
  priv->scrolled_window = NULL;
  priv->list_view = NULL;
  priv->row_factory = NULL;

  if (priv->query_signals != NULL)
    g_signal_group_set_target (priv->query_signals, NULL);
  if (priv->adjustment_signals != NULL)
    g_signal_group_set_target (priv->adjustment_signals, NULL);
  if (priv->footer_item != NULL)
    g_signal_handlers_disconnect_by_data (priv->footer_item, self);

  g_clear_object (&priv->query_signals);
  g_clear_object (&priv->adjustment_signals);
  g_clear_object (&priv->query);
  g_clear_object (&priv->model);
  g_clear_object (&priv->shown_model);
  g_clear_object (&priv->factory);
  g_clear_object (&priv->selection);
  g_clear_object (&priv->rows);
  g_clear_object (&priv->footer_item);
  g_clear_object (&priv->selected_item);

  G_OBJECT_CLASS (quarry_infinite_list_view_parent_class)->dispose (object);
}

static void
quarry_infinite_list_view_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  QuarryInfiniteListView *self = QUARRY_INFINITE_LIST_VIEW (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_object (value, quarry_infinite_list_view_get_query (self));
      break;
    case PROP_MODEL:
      g_value_set_object (value, quarry_infinite_list_view_get_model (self));
      break;
    case PROP_FACTORY:
      g_value_set_object (value, quarry_infinite_list_view_get_factory (self));
      break;
    case PROP_THRESHOLD:
      g_value_set_double (value, quarry_infinite_list_view_get_threshold (self));
      break;
    case PROP_AUTO_LOAD:
      g_value_set_boolean (value, quarry_infinite_list_view_get_auto_load (self));
      break;
    case PROP_SINGLE_CLICK_ACTIVATE:
      g_value_set_boolean (value, quarry_infinite_list_view_get_single_click_activate (self));
      break;
    case PROP_SELECTION_MODE:
      g_value_set_enum (value, quarry_infinite_list_view_get_selection_mode (self));
      break;
    case PROP_SELECTION_MODEL:
      g_value_set_object (value, quarry_infinite_list_view_get_selection_model (self));
      break;
    case PROP_SELECTED_ITEM:
      g_value_set_object (value, quarry_infinite_list_view_get_selected_item (self));
      break;
    case PROP_SELECTED:
      g_value_set_uint (value, quarry_infinite_list_view_get_selected (self));
      break;
    case PROP_LIST_VIEW:
      g_value_set_object (value, quarry_infinite_list_view_get_list_view (self));
      break;
    case PROP_SCROLLED_WINDOW:
      g_value_set_object (value, quarry_infinite_list_view_get_scrolled_window (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_infinite_list_view_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  QuarryInfiniteListView *self = QUARRY_INFINITE_LIST_VIEW (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      quarry_infinite_list_view_set_query (self, g_value_get_object (value));
      break;
    case PROP_MODEL:
      quarry_infinite_list_view_set_model (self, g_value_get_object (value));
      break;
    case PROP_FACTORY:
      quarry_infinite_list_view_set_factory (self, g_value_get_object (value));
      break;
    case PROP_THRESHOLD:
      quarry_infinite_list_view_set_threshold (self, g_value_get_double (value));
      break;
    case PROP_AUTO_LOAD:
      quarry_infinite_list_view_set_auto_load (self, g_value_get_boolean (value));
      break;
    case PROP_SINGLE_CLICK_ACTIVATE:
      quarry_infinite_list_view_set_single_click_activate (self, g_value_get_boolean (value));
      break;
    case PROP_SELECTION_MODE:
      quarry_infinite_list_view_set_selection_mode (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_infinite_list_view_class_init (QuarryInfiniteListViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  _quarry_gtk_i18n_init ();

  object_class->dispose = quarry_infinite_list_view_dispose;
  object_class->get_property = quarry_infinite_list_view_get_property;
  object_class->set_property = quarry_infinite_list_view_set_property;

  widget_class->map = quarry_infinite_list_view_map;
  widget_class->unmap = quarry_infinite_list_view_unmap;

  /**
   * QuarryInfiniteListView:query: (getter get_query) (setter set_query)
   *
   * The infinite query whose pages the view shows and loads.
   *
   * The view does not keep the query subscribed or mounted: the
   * application owns it.
   */
  properties[PROP_QUERY] =
    g_param_spec_object ("query", NULL, NULL, QUARRY_TYPE_INFINITE_QUERY, rw);

  /**
   * QuarryInfiniteListView:model: (getter get_model) (setter set_model)
   *
   * The items to show, or `NULL` (the default) for the query's
   * [property@Quarry.InfiniteQuery:items].
   *
   * Set it to a model over the query's items, such as a
   * [class@Quarry.KeyedListModel], a [class@Gtk.FilterListModel] or a
   * [class@Gtk.SortListModel], to show them differently. Loading still
   * follows the query, and the end of what the model shows: a page loads
   * once the model has the previous one.
   */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL, rw);

  /**
   * QuarryInfiniteListView:factory: (getter get_factory) (setter set_factory)
   *
   * The factory making the rows of the items: a
   * [class@Gtk.SignalListItemFactory] or a
   * [class@Gtk.BuilderListItemFactory].
   *
   * Rows are recycled between items and the footer; see the class
   * description.
   */
  properties[PROP_FACTORY] =
    g_param_spec_object ("factory", NULL, NULL, GTK_TYPE_LIST_ITEM_FACTORY, rw);

  /**
   * QuarryInfiniteListView:threshold: (getter get_threshold) (setter set_threshold)
   *
   * How close, in pixels, the end of the content must come to the bottom
   * of the viewport for the next page to load; a negative value (the
   * default, -1) means the height of the viewport.
   */
  properties[PROP_THRESHOLD] =
    g_param_spec_double ("threshold", NULL, NULL, -1.0, G_MAXDOUBLE, -1.0, rw);

  /**
   * QuarryInfiniteListView:auto-load: (getter get_auto_load) (setter set_auto_load)
   *
   * Whether the next page loads when the end of the content comes near;
   * otherwise only the footer's "Load more" button loads it.
   */
  properties[PROP_AUTO_LOAD] =
    g_param_spec_boolean ("auto-load", NULL, NULL, TRUE, rw);

  /**
   * QuarryInfiniteListView:single-click-activate: (getter get_single_click_activate) (setter set_single_click_activate)
   *
   * Whether a single click on a row activates it, as
   * [property@Gtk.ListView:single-click-activate].
   */
  properties[PROP_SINGLE_CLICK_ACTIVATE] =
    g_param_spec_boolean ("single-click-activate", NULL, NULL, FALSE, rw);

  /**
   * QuarryInfiniteListView:selection-mode: (getter get_selection_mode) (setter set_selection_mode)
   *
   * How items are selected: `GTK_SELECTION_NONE` (not at all),
   * `GTK_SELECTION_SINGLE` (the default: at most one),
   * `GTK_SELECTION_BROWSE` (always one while there are items) or
   * `GTK_SELECTION_MULTIPLE`.
   *
   * Changing it clears the selection.
   */
  properties[PROP_SELECTION_MODE] =
    g_param_spec_enum ("selection-mode", NULL, NULL, GTK_TYPE_SELECTION_MODE,
                       GTK_SELECTION_SINGLE, rw);

  /**
   * QuarryInfiniteListView:selection-model: (getter get_selection_model)
   *
   * The selection over the shown items: a [class@Gtk.NoSelection], a
   * [class@Gtk.SingleSelection] or a [class@Gtk.MultiSelection] over
   * [property@InfiniteListView:model] (or the query's items), as
   * [property@InfiniteListView:selection-mode] says. Its positions are
   * the model's; the footer is not in it.
   *
   * Select items through it. It is replaced when the mode, the model or
   * the query changes.
   */
  properties[PROP_SELECTION_MODEL] =
    g_param_spec_object ("selection-model", NULL, NULL, GTK_TYPE_SELECTION_MODEL, ro);

  /**
   * QuarryInfiniteListView:selected-item: (getter get_selected_item)
   *
   * The selected item, or `NULL`; with several selected, the first.
   */
  properties[PROP_SELECTED_ITEM] =
    g_param_spec_object ("selected-item", NULL, NULL, G_TYPE_OBJECT, ro);

  /**
   * QuarryInfiniteListView:selected: (getter get_selected)
   *
   * The position of [property@InfiniteListView:selected-item], or
   * `GTK_INVALID_LIST_POSITION`.
   */
  properties[PROP_SELECTED] =
    g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, GTK_INVALID_LIST_POSITION, ro);

  /**
   * QuarryInfiniteListView:list-view: (getter get_list_view)
   *
   * The view's [class@Gtk.ListView], to customise it (style classes,
   * `show-separators`, an accessible label).
   *
   * Do not replace its model or factory.
   */
  properties[PROP_LIST_VIEW] =
    g_param_spec_object ("list-view", NULL, NULL, GTK_TYPE_LIST_VIEW, ro);

  /**
   * QuarryInfiniteListView:scrolled-window: (getter get_scrolled_window)
   *
   * The view's [class@Gtk.ScrolledWindow], to customise it (scroll bar
   * policies, kinetic scrolling).
   *
   * Do not replace its child.
   */
  properties[PROP_SCROLLED_WINDOW] =
    g_param_spec_object ("scrolled-window", NULL, NULL, GTK_TYPE_SCROLLED_WINDOW, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QuarryInfiniteListView::activate:
   * @self: the view
   * @position: the position of the item in
   *   [property@InfiniteListView:model]
   *
   * Emitted when the user activates the row of an item: a double click,
   * a single click with [property@InfiniteListView:single-click-activate],
   * or Enter. Never emitted for the footer.
   */
  signals[SIGNAL_ACTIVATE] =
    g_signal_new ("activate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (QuarryInfiniteListViewClass, activate),
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  row_factory_quark = g_quark_from_static_string ("quarry-infinite-list-view-factory");
  row_footer_quark = g_quark_from_static_string ("quarry-infinite-list-view-footer");
  row_stash_quark = g_quark_from_static_string ("quarry-infinite-list-view-stash");

  g_type_ensure (QUARRY_TYPE_INFINITE_FOOTER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gnome/Quarry/Gtk/quarry-infinite-list-view.ui");
  gtk_widget_class_bind_template_child_private (widget_class, QuarryInfiniteListView,
                                                scrolled_window);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryInfiniteListView, list_view);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryInfiniteListView,
                                                row_factory);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, edge_reached_cb);
  gtk_widget_class_bind_template_callback (widget_class, vadjustment_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_teardown_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "infinitelistview");
}

static void
quarry_infinite_list_view_init (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  priv->threshold = -1.0;
  priv->auto_load = TRUE;
  priv->selection_mode = GTK_SELECTION_SINGLE;
  priv->selected = GTK_INVALID_LIST_POSITION;

  priv->footer_item = _quarry_infinite_footer_item_new ();
  g_signal_connect_object (priv->footer_item, "load-requested",
                           G_CALLBACK (footer_load_requested_cb), self, G_CONNECT_SWAPPED);

  priv->selection = selection_new (priv->selection_mode, NULL);
  priv->rows = footer_selection_new (priv->selection, G_OBJECT (priv->footer_item));
  /* The rows forward the changes of whatever selection they hold. */
  g_signal_connect_object (priv->rows, "items-changed",
                           G_CALLBACK (queue_check), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->rows, "items-changed",
                           G_CALLBACK (update_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->rows, "selection-changed",
                           G_CALLBACK (update_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->rows, "items-changed",
                           G_CALLBACK (rows_changed_after_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  priv->query_signals = g_signal_group_new (QUARRY_TYPE_INFINITE_QUERY);
  g_signal_group_connect_swapped (priv->query_signals, "notify::status",
                                  G_CALLBACK (query_changed_cb), self);
  g_signal_group_connect_swapped (priv->query_signals, "notify::fetch-status",
                                  G_CALLBACK (query_changed_cb), self);
  g_signal_group_connect_swapped (priv->query_signals, "notify::data",
                                  G_CALLBACK (query_changed_cb), self);
  g_signal_group_connect_swapped (priv->query_signals, "notify::error",
                                  G_CALLBACK (query_changed_cb), self);
  g_signal_group_connect_swapped (priv->query_signals, "notify::has-next-page",
                                  G_CALLBACK (query_changed_cb), self);
  g_signal_group_connect_swapped (priv->query_signals, "notify::is-fetching-next-page",
                                  G_CALLBACK (query_changed_cb), self);
  g_signal_group_connect_swapped (priv->query_signals, "notify::is-fetch-next-page-error",
                                  G_CALLBACK (query_changed_cb), self);

  priv->adjustment_signals = g_signal_group_new (GTK_TYPE_ADJUSTMENT);
  g_signal_group_connect_swapped (priv->adjustment_signals, "changed",
                                  G_CALLBACK (queue_check), self);
  g_signal_group_connect_swapped (priv->adjustment_signals, "value-changed",
                                  G_CALLBACK (queue_check), self);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_view_set_model (priv->list_view, GTK_SELECTION_MODEL (priv->rows));
  g_signal_group_set_target (priv->adjustment_signals,
                             gtk_scrolled_window_get_vadjustment (priv->scrolled_window));
}

/**
 * quarry_infinite_list_view_new:
 * @query: (nullable): the infinite query to show
 * @factory: (nullable): the factory of the item rows
 *
 * Creates a view of the items of @query, made into rows by @factory.
 *
 * Returns: the new view
 */
GtkWidget *
quarry_infinite_list_view_new (QuarryInfiniteQuery *query,
                               GtkListItemFactory  *factory)
{
  g_return_val_if_fail (query == NULL || QUARRY_IS_INFINITE_QUERY (query), NULL);
  g_return_val_if_fail (factory == NULL || GTK_IS_LIST_ITEM_FACTORY (factory), NULL);

  return g_object_new (QUARRY_TYPE_INFINITE_LIST_VIEW,
                       "query", query,
                       "factory", factory,
                       NULL);
}

/**
 * quarry_infinite_list_view_get_query: (get-property query)
 * @self: an infinite list view
 *
 * Gets the infinite query the view shows.
 *
 * Returns: (transfer none) (nullable): the query
 */
QuarryInfiniteQuery *
quarry_infinite_list_view_get_query (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self), NULL);

  return priv->query;
}

/**
 * quarry_infinite_list_view_set_query: (set-property query)
 * @self: an infinite list view
 * @query: (nullable): the infinite query to show
 *
 * Sets the infinite query the view shows and loads.
 */
void
quarry_infinite_list_view_set_query (QuarryInfiniteListView *self,
                                     QuarryInfiniteQuery    *query)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self));
  g_return_if_fail (query == NULL || QUARRY_IS_INFINITE_QUERY (query));

  if (!g_set_object (&priv->query, query))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  g_signal_group_set_target (priv->query_signals, query);
  update_shown_model (self);
  update_footer (self);
  queue_check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quarry_infinite_list_view_get_model: (get-property model)
 * @self: an infinite list view
 *
 * Gets the model set with [method@InfiniteListView.set_model].
 *
 * Returns: (transfer none) (nullable): the model, or `NULL` when the view
 *   shows the query's items
 */
GListModel *
quarry_infinite_list_view_get_model (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self), NULL);

  return priv->model;
}

/**
 * quarry_infinite_list_view_set_model: (set-property model)
 * @self: an infinite list view
 * @model: (nullable): the items to show, or `NULL` for the query's items
 *
 * Sets the items the view shows.
 */
void
quarry_infinite_list_view_set_model (QuarryInfiniteListView *self,
                                     GListModel             *model)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (!g_set_object (&priv->model, model))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  update_shown_model (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quarry_infinite_list_view_get_factory: (get-property factory)
 * @self: an infinite list view
 *
 * Gets the factory of the item rows.
 *
 * Returns: (transfer none) (nullable): the factory
 */
GtkListItemFactory *
quarry_infinite_list_view_get_factory (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self), NULL);

  return priv->factory;
}

/**
 * quarry_infinite_list_view_set_factory: (set-property factory)
 * @self: an infinite list view
 * @factory: (nullable): a [class@Gtk.SignalListItemFactory] or a
 *   [class@Gtk.BuilderListItemFactory]
 *
 * Sets the factory of the item rows. Every row is made again.
 */
void
quarry_infinite_list_view_set_factory (QuarryInfiniteListView *self,
                                       GtkListItemFactory     *factory)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self));
  g_return_if_fail (factory == NULL || GTK_IS_LIST_ITEM_FACTORY (factory));

  if (factory != NULL &&
      !GTK_IS_SIGNAL_LIST_ITEM_FACTORY (factory) &&
      !GTK_IS_BUILDER_LIST_ITEM_FACTORY (factory))
    {
      g_critical ("QuarryInfiniteListView cannot use a %s as its factory: "
                  "use a GtkSignalListItemFactory or a GtkBuilderListItemFactory",
                  G_OBJECT_TYPE_NAME (factory));
      return;
    }

  if (!g_set_object (&priv->factory, factory))
    return;

  reset_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FACTORY]);
}

/**
 * quarry_infinite_list_view_get_threshold: (get-property threshold)
 * @self: an infinite list view
 *
 * Gets how close to the end the next page loads.
 *
 * Returns: the threshold in pixels, or -1 for the height of the viewport
 */
double
quarry_infinite_list_view_get_threshold (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self), -1.0);

  return priv->threshold;
}

/**
 * quarry_infinite_list_view_set_threshold: (set-property threshold)
 * @self: an infinite list view
 * @threshold: the distance in pixels, or a negative value for the height
 *   of the viewport
 *
 * Sets how close the end of the content must come to the bottom of the
 * viewport for the next page to load.
 */
void
quarry_infinite_list_view_set_threshold (QuarryInfiniteListView *self,
                                         double                  threshold)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self));

  if (threshold < 0)
    threshold = -1.0;

  if (priv->threshold == threshold)
    return;

  priv->threshold = threshold;
  queue_check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THRESHOLD]);
}

/**
 * quarry_infinite_list_view_get_auto_load: (get-property auto-load)
 * @self: an infinite list view
 *
 * Gets whether the next page loads when the end comes near.
 *
 * Returns: whether the view loads pages by itself
 */
gboolean
quarry_infinite_list_view_get_auto_load (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self), FALSE);

  return priv->auto_load;
}

/**
 * quarry_infinite_list_view_set_auto_load: (set-property auto-load)
 * @self: an infinite list view
 * @auto_load: whether the next page loads when the end comes near
 *
 * Sets whether the next page loads when the end of the content comes
 * near, or only from the footer's "Load more" button.
 */
void
quarry_infinite_list_view_set_auto_load (QuarryInfiniteListView *self,
                                         gboolean                auto_load)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self));

  auto_load = !!auto_load;
  if (priv->auto_load == auto_load)
    return;

  priv->auto_load = auto_load;
  if (auto_load)
    queue_check (self);
  else
    cancel_check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_LOAD]);
}

/**
 * quarry_infinite_list_view_get_single_click_activate: (get-property single-click-activate)
 * @self: an infinite list view
 *
 * Gets whether a single click activates a row.
 *
 * Returns: whether a single click activates a row
 */
gboolean
quarry_infinite_list_view_get_single_click_activate (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self), FALSE);

  /* After dispose. */
  if (priv->list_view == NULL)
    return FALSE;

  return gtk_list_view_get_single_click_activate (priv->list_view);
}

/**
 * quarry_infinite_list_view_set_single_click_activate: (set-property single-click-activate)
 * @self: an infinite list view
 * @single_click_activate: whether a single click activates a row
 *
 * Sets whether a single click on a row activates it.
 */
void
quarry_infinite_list_view_set_single_click_activate (QuarryInfiniteListView *self,
                                                     gboolean                single_click_activate)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self));

  single_click_activate = !!single_click_activate;
  if (priv->list_view == NULL ||
      gtk_list_view_get_single_click_activate (priv->list_view) == single_click_activate)
    return;

  gtk_list_view_set_single_click_activate (priv->list_view, single_click_activate);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SINGLE_CLICK_ACTIVATE]);
}

/**
 * quarry_infinite_list_view_get_selection_mode: (get-property selection-mode)
 * @self: an infinite list view
 *
 * Gets how items are selected.
 *
 * Returns: the selection mode
 */
GtkSelectionMode
quarry_infinite_list_view_get_selection_mode (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self), GTK_SELECTION_NONE);

  return priv->selection_mode;
}

/**
 * quarry_infinite_list_view_set_selection_mode: (set-property selection-mode)
 * @self: an infinite list view
 * @mode: the selection mode
 *
 * Sets how items are selected. The selection is cleared (and, in
 * `GTK_SELECTION_BROWSE`, the first item selected).
 */
void
quarry_infinite_list_view_set_selection_mode (QuarryInfiniteListView *self,
                                              GtkSelectionMode        mode)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self));
  g_return_if_fail (mode <= GTK_SELECTION_MULTIPLE);

  if (priv->selection_mode == mode)
    return;

  priv->selection_mode = mode;
  g_object_freeze_notify (G_OBJECT (self));
  update_selection (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_MODE]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quarry_infinite_list_view_get_selection_model: (get-property selection-model)
 * @self: an infinite list view
 *
 * Gets the selection over the shown items, without the footer.
 *
 * Returns: (transfer none): the selection model
 */
GtkSelectionModel *
quarry_infinite_list_view_get_selection_model (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self), NULL);

  return priv->selection;
}

/**
 * quarry_infinite_list_view_get_selected_item: (get-property selected-item)
 * @self: an infinite list view
 *
 * Gets the selected item; with several selected, the first.
 *
 * Returns: (transfer none) (nullable): the selected item
 */
GObject *
quarry_infinite_list_view_get_selected_item (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self), NULL);

  return priv->selected_item;
}

/**
 * quarry_infinite_list_view_get_selected: (get-property selected)
 * @self: an infinite list view
 *
 * Gets the position of the selected item; with several selected, of the
 * first.
 *
 * Returns: the position, or `GTK_INVALID_LIST_POSITION`
 */
guint
quarry_infinite_list_view_get_selected (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self), GTK_INVALID_LIST_POSITION);

  return priv->selected;
}

/**
 * quarry_infinite_list_view_get_list_view: (get-property list-view)
 * @self: an infinite list view
 *
 * Gets the view's list view, to customise it.
 *
 * Returns: (transfer none): the list view
 */
GtkListView *
quarry_infinite_list_view_get_list_view (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self), NULL);

  return priv->list_view;
}

/**
 * quarry_infinite_list_view_get_scrolled_window: (get-property scrolled-window)
 * @self: an infinite list view
 *
 * Gets the view's scrolled window, to customise it.
 *
 * Returns: (transfer none): the scrolled window
 */
GtkScrolledWindow *
quarry_infinite_list_view_get_scrolled_window (QuarryInfiniteListView *self)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self), NULL);

  return priv->scrolled_window;
}

/**
 * quarry_infinite_list_view_scroll_to:
 * @self: an infinite list view
 * @position: the position of an item in the model
 *
 * Scrolls the row of the item at @position into view.
 *
 * GTK 4.8 has no `gtk_list_view_scroll_to()`; this activates the list's
 * `list.scroll-to-item` action.
 */
void
quarry_infinite_list_view_scroll_to (QuarryInfiniteListView *self,
                                     guint                   position)
{
  QuarryInfiniteListViewPrivate *priv = quarry_infinite_list_view_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_LIST_VIEW (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (priv->selection)));

  gtk_widget_activate_action (GTK_WIDGET (priv->list_view), "list.scroll-to-item", "u", position);
}
