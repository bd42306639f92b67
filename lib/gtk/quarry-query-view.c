/* quarry-query-view.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-gtk.h"
#include "quarry-gtk-i18n-private.h"

/**
 * QuarryQueryView:
 *
 * Shows the page that fits a query's state: a spinner while it loads, an
 * error with a Retry button when it failed, an empty page when there is
 * nothing to show, and the content otherwise.
 *
 * Set [property@QueryView:query] and [property@QueryView:child], the widget
 * that shows the data, and the view does the rest. Its
 * [property@QueryView:state] is, in this order:
 *
 * - [enum@QuarryGtk.QueryViewState.loading] while the query has no data and
 *   is fetching it (or waits to: offline, or not yet mounted);
 * - [enum@QuarryGtk.QueryViewState.error] when the query failed and has no
 *   data to show: the error's message and a Retry button;
 * - [enum@QuarryGtk.QueryViewState.empty] when the data is empty (see
 *   [vfunc@QueryView.is_empty]), or the query is unset or disabled (no
 *   key, or [property@Quarry.Query:enabled] off);
 * - [enum@QuarryGtk.QueryViewState.content] otherwise.
 *
 * Once there is data it stays on show (stale-while-revalidate): a
 * background refetch keeps the content and shows a small spinner in a
 * bubble in the top-end corner (unless
 * [property@QueryView:show-refetch-indicator] is off), and a failed
 * refetch keeps the content and reveals a strip above it with the error's
 * message, a Retry button and a close button. A closed strip stays closed
 * until the query fails again. The spinner never takes a click: pointer
 * events at its place go to the content under it.
 *
 * The view follows the query and [property@QueryView:model] once per
 * main-loop iteration, before the next frame is drawn: a query update and
 * the `items-changed` of a model fed from it show no intermediate page,
 * and the page changes only when the state does. Reading
 * [property@QueryView:state] brings it up to date at once.
 *
 * ## Emptiness
 *
 * When [property@QueryView:model] is set, the data is empty when the model
 * has no items; the view follows its `items-changed`. Otherwise
 * [vfunc@QueryView.is_empty] decides; by default a `NULL` value, JSON
 * `null`, an empty JSON array, an empty [iface@Gio.ListModel], an empty
 * string array and an array or maybe [struct@GLib.Variant] without
 * children are empty. A JSON object is never empty: for a response such as
 * `{"items": []}`, set [property@QueryView:model] to a model of the items,
 * or override the virtual function. For a [class@Quarry.InfiniteQuery],
 * set the model to its [property@Quarry.InfiniteQuery:items].
 *
 * ## Replacing pages
 *
 * The default pages can be replaced with [property@QueryView:loading-widget],
 * [property@QueryView:error-widget] and [property@QueryView:empty-widget];
 * the empty page's texts are also set with
 * [property@QueryView:empty-title], [property@QueryView:empty-description]
 * and [property@QueryView:empty-icon-name]. Buttons in any page can use the
 * view's actions: `query-view.retry` emits [signal@QueryView::retry] (by
 * default, a refetch), and `query-view.dismiss-error` closes the refetch
 * error strip.
 *
 * ## Visibility
 *
 * With [property@QueryView:track-visibility] (the default) the query is
 * tied to the view with [func@tie_query]: it is subscribed to its cache
 * entry, so it fetches and refetches, only while the view is mapped. When
 * the view is destroyed the query stays unsubscribed, as the query of an
 * unmounted component; setting another query, or turning the property
 * off, unties it and subscribes it again.
 *
 * ## QuarryQueryView as GtkBuildable
 *
 * A child without a type is the content; children of type `loading`,
 * `error` and `empty` replace the default pages:
 *
 * ```xml
 * <object class="QuarryQueryView" id="view">
 *   <property name="empty-title" translatable="yes">No Todos</property>
 *   <property name="empty-icon-name">checkbox-checked-symbolic</property>
 *   <child type="error">
 *     <object class="GtkButton">
 *       <property name="label" translatable="yes">Try Again</property>
 *       <property name="action-name">query-view.retry</property>
 *       <property name="halign">center</property>
 *       <property name="valign">center</property>
 *     </object>
 *   </child>
 *   <child>
 *     <object class="GtkScrolledWindow">
 *       <property name="child">
 *         <object class="GtkListView" id="list"/>
 *       </property>
 *     </object>
 *   </child>
 * </object>
 * ```
 *
 * Applications that load such a `.ui` file themselves call
 * [func@init] first, so that [class@Gtk.Builder] knows the type.
 *
 * From code:
 *
 * ```c
 * GtkWidget *view = quarry_query_view_new ();
 *
 * quarry_query_view_set_query (QUARRY_QUERY_VIEW (view), todos);
 * quarry_query_view_set_model (QUARRY_QUERY_VIEW (view), G_LIST_MODEL (todo_items));
 * quarry_query_view_set_child (QUARRY_QUERY_VIEW (view), scrolled_list);
 * ```
 *
 * ## CSS nodes
 *
 * `QuarryQueryView` has a single CSS node with name `queryview`. The
 * default loading, error and empty pages carry the style classes
 * `.loading`, `.error` and `.empty`; the refetch error strip is an
 * `.app-notification`. The refetch spinner is in a box with the style
 * classes `.refetch-indicator` and `.osd`: the theme's on-screen-display
 * colours, and a padding and rounded corners that QuarryGtk gives it at
 * the lowest priority, so themes and applications can restyle it.
 *
 * ## Accessibility
 *
 * `QuarryQueryView` uses the `GTK_ACCESSIBLE_ROLE_GROUP` role; its spinners
 * have accessible labels.
 */

typedef struct
{
  QuarryQuery *query;
  GListModel *model;
  GtkWidget *child;
  GtkWidget *custom_pages[QUARRY_QUERY_VIEW_STATE_CONTENT];

  char *empty_title;
  char *empty_description;
  char *empty_icon_name;

  QuarryQueryViewState state;
  guint update_source;
  guint dismissed_error_count;
  QuarryKey *dismissed_key;     /* error-update-count is per key */

  guint track_visibility : 1;
  guint show_refetch_indicator : 1;
  guint tied : 1;
  guint error_dismissed : 1;

  /* The default pages, kept alive while replaced; indexed by state. */
  GtkWidget *default_pages[QUARRY_QUERY_VIEW_STATE_CONTENT + 1];

  /* Template children */
  GtkWidget *box;
  GtkOverlay *overlay;
  GtkStack *stack;
  GtkWidget *loading_page;
  GtkWidget *error_page;
  GtkWidget *empty_page;
  GtkWidget *content_placeholder;
  GtkLabel *error_description;
  GtkRevealer *refetch_error_revealer;
  GtkLabel *refetch_error_label;
  GtkWidget *refetch_indicator;
  GtkSpinner *refetch_spinner;
} QuarryQueryViewPrivate;

enum {
  PROP_0,
  PROP_QUERY,
  PROP_CHILD,
  PROP_LOADING_WIDGET,
  PROP_ERROR_WIDGET,
  PROP_EMPTY_WIDGET,
  PROP_MODEL,
  PROP_STATE,
  PROP_EMPTY_TITLE,
  PROP_EMPTY_DESCRIPTION,
  PROP_EMPTY_ICON_NAME,
  PROP_TRACK_VISIBILITY,
  PROP_SHOW_REFETCH_INDICATOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_RETRY,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void quarry_query_view_buildable_init (GtkBuildableIface *iface);

G_DEFINE_TYPE_WITH_CODE (QuarryQueryView, quarry_query_view, GTK_TYPE_WIDGET,
                         G_ADD_PRIVATE (QuarryQueryView)
                         G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, quarry_query_view_buildable_init))

static GtkBuildableIface *parent_buildable_iface;

#define PRIV(self) ((QuarryQueryViewPrivate *) quarry_query_view_get_instance_private (self))

/* The stack page of each state, indexed by QuarryQueryViewState. */
static const char * const page_names[] = {
  "loading",
  "error",
  "empty",
  "content",
};

G_STATIC_ASSERT (G_N_ELEMENTS (page_names) == QUARRY_QUERY_VIEW_STATE_CONTENT + 1);

static gboolean
string_is_not_empty (gpointer    this,
                     const char *string)
{
  return string != NULL && string[0] != '\0';
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
query_will_fetch (QuarryQuery *query)
{
  return quarry_query_get_key (query) != NULL && quarry_query_get_enabled (query);
}

static QuarryQueryViewState
compute_state (QuarryQueryView *self)
{
  QuarryQueryViewPrivate *priv = PRIV (self);
  QuarryQueryViewClass *klass = QUARRY_QUERY_VIEW_GET_CLASS (self);
  const GValue *data;

  if (priv->query == NULL)
    {
      if (priv->model != NULL && g_list_model_get_n_items (priv->model) > 0)
        return QUARRY_QUERY_VIEW_STATE_CONTENT;
      return QUARRY_QUERY_VIEW_STATE_EMPTY;
    }

  data = quarry_query_get_value (priv->query);

  if (data == NULL)
    {
      /* A fetch after a failure shows the spinner, not the old error. */
      if (quarry_query_get_fetch_status (priv->query) != QUARRY_FETCH_STATUS_IDLE)
        return QUARRY_QUERY_VIEW_STATE_LOADING;
      if (quarry_query_get_status (priv->query) == QUARRY_STATUS_ERROR)
        return QUARRY_QUERY_VIEW_STATE_ERROR;
      /* Pending and idle: about to mount, or waiting to be subscribed, if
       * the query can fetch at all; disabled otherwise. */
      if (query_will_fetch (priv->query))
        return QUARRY_QUERY_VIEW_STATE_LOADING;
      return QUARRY_QUERY_VIEW_STATE_EMPTY;
    }

  if (klass->is_empty != NULL && klass->is_empty (self, data))
    return QUARRY_QUERY_VIEW_STATE_EMPTY;

  return QUARRY_QUERY_VIEW_STATE_CONTENT;
}

static void
set_state (QuarryQueryView      *self,
           QuarryQueryViewState  state)
{
  QuarryQueryViewPrivate *priv = PRIV (self);

  if (priv->state == state)
    return;

  priv->state = state;
  gtk_stack_set_visible_child_name (priv->stack, page_names[state]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* The spinner and error strip over the data (empty or content), and the
 * error page's text. */
static gboolean
keys_equal (QuarryKey *a,
            QuarryKey *b)
{
  return a == b || (a != NULL && b != NULL && quarry_key_equal (a, b));
}

static void
update_decorations (QuarryQueryView *self)
{
  QuarryQueryViewPrivate *priv = PRIV (self);
  gboolean has_data = priv->query != NULL && quarry_query_get_value (priv->query) != NULL;
  gboolean refetching = has_data && quarry_query_get_is_refetching (priv->query);
  gboolean indicator = refetching && priv->show_refetch_indicator;
  gboolean strip = FALSE;
  const GError *error = priv->query != NULL ? quarry_query_get_error (priv->query) : NULL;

  if (has_data &&
      quarry_query_get_is_refetch_error (priv->query) &&
      !quarry_query_get_is_fetching (priv->query))
    {
      guint count = quarry_query_get_error_update_count (priv->query);

      /* A dismissed strip stays closed until the query fails again, for
       * the same key: each key's entry counts its own errors. */
      if (priv->error_dismissed &&
          (count != priv->dismissed_error_count ||
           !keys_equal (priv->dismissed_key, quarry_query_get_key (priv->query))))
        priv->error_dismissed = FALSE;
      strip = !priv->error_dismissed;
    }

  if (error != NULL)
    {
      if (priv->state == QUARRY_QUERY_VIEW_STATE_ERROR)
        gtk_label_set_label (priv->error_description, error->message);
      if (strip)
        {
          g_autofree char *text = NULL;

          /* Translators: shown over data that could not be refreshed; %s is
           * the error's message. */
          text = g_strdup_printf (_("Could not refresh: %s"), error->message);
          gtk_label_set_label (priv->refetch_error_label, text);
          /* One line, ellipsized: the whole message is in the tooltip. */
          gtk_widget_set_tooltip_text (GTK_WIDGET (priv->refetch_error_label), text);
        }
    }

  if (gtk_widget_get_visible (priv->refetch_indicator) != indicator)
    {
      gtk_widget_set_visible (priv->refetch_indicator, indicator);
      gtk_spinner_set_spinning (priv->refetch_spinner, indicator);
    }
  gtk_revealer_set_reveal_child (priv->refetch_error_revealer, strip);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "query-view.retry", priv->query != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "query-view.dismiss-error", strip);
}

static void
update (QuarryQueryView *self)
{
  QuarryQueryViewPrivate *priv = PRIV (self);

  g_clear_handle_id (&priv->update_source, g_source_remove);
  set_state (self, compute_state (self));
  update_decorations (self);
}

static gboolean
update_cb (gpointer user_data)
{
  QuarryQueryView *self = user_data;
  QuarryQueryViewPrivate *priv = PRIV (self);

  priv->update_source = 0;
  update (self);
  return G_SOURCE_REMOVE;
}

/* Updates before the next frame: GDK draws at GDK_PRIORITY_REDRAW, below
 * G_PRIORITY_HIGH_IDLE. Several changes in one main-loop iteration (the
 * query's, then its model's) make one update. */
static void
queue_update (QuarryQueryView *self)
{
  QuarryQueryViewPrivate *priv = PRIV (self);

  if (priv->update_source != 0)
    return;

  priv->update_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_cb, self, NULL);
  g_source_set_name_by_id (priv->update_source, "[quarry] QuarryQueryView update");
}

static void
flush_update (QuarryQueryView *self)
{
  if (PRIV (self)->update_source != 0)
    update (self);
}

static void
query_notify_cb (QuarryQueryView *self,
                 GParamSpec      *pspec,
                 QuarryQuery     *query)
{
  g_assert (QUARRY_IS_QUERY_VIEW (self));

  queue_update (self);
}

static void
model_items_changed_cb (QuarryQueryView *self,
                        guint            position,
                        guint            removed,
                        guint            added,
                        GListModel      *model)
{
  g_assert (QUARRY_IS_QUERY_VIEW (self));

  if (removed != added)
    queue_update (self);
}

static void
tie (QuarryQueryView *self)
{
  QuarryQueryViewPrivate *priv = PRIV (self);
  gboolean want = priv->query != NULL && priv->track_visibility;

  if (want == priv->tied)
    return;

  if (want)
    quarry_gtk_tie_query (priv->query, GTK_WIDGET (self));
  else
    quarry_gtk_untie_query (priv->query, GTK_WIDGET (self));
  priv->tied = want;
}

static void
untie (QuarryQueryView *self)
{
  QuarryQueryViewPrivate *priv = PRIV (self);

  if (priv->tied)
    {
      quarry_gtk_untie_query (priv->query, GTK_WIDGET (self));
      priv->tied = FALSE;
    }
}

/* Puts @widget, or the default page when it is NULL, in the stack page of
 * @state, keeping that page on show if it is. */
static void
set_page (QuarryQueryView      *self,
          QuarryQueryViewState  state,
          GtkWidget            *widget)
{
  QuarryQueryViewPrivate *priv = PRIV (self);
  GtkWidget *old = gtk_stack_get_child_by_name (priv->stack, page_names[state]);
  GtkWidget *new = widget != NULL ? widget : priv->default_pages[state];

  if (old == new)
    return;

  if (old != NULL)
    gtk_stack_remove (priv->stack, old);
  gtk_stack_add_named (priv->stack, new, page_names[state]);
  if (priv->state == state)
    gtk_stack_set_visible_child_full (priv->stack, page_names[state], GTK_STACK_TRANSITION_TYPE_NONE);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  quarry_query_view_retry (QUARRY_QUERY_VIEW (widget));
}

static void
dismiss_error_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  QuarryQueryView *self = QUARRY_QUERY_VIEW (widget);
  QuarryQueryViewPrivate *priv = PRIV (self);

  if (priv->query == NULL)
    return;

  priv->error_dismissed = TRUE;
  priv->dismissed_error_count = quarry_query_get_error_update_count (priv->query);
  g_clear_pointer (&priv->dismissed_key, quarry_key_unref);
  if (quarry_query_get_key (priv->query) != NULL)
    priv->dismissed_key = quarry_key_ref (quarry_query_get_key (priv->query));
  update (self);
}

static gboolean
quarry_query_view_real_is_empty (QuarryQueryView *self,
                                 const GValue    *data)
{
  QuarryQueryViewPrivate *priv = PRIV (self);
  GType type = G_VALUE_TYPE (data);

  if (priv->model != NULL)
    return g_list_model_get_n_items (priv->model) == 0;

  if (type == JSON_TYPE_NODE)
    {
      JsonNode *node = g_value_get_boxed (data);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        return TRUE;
      if (JSON_NODE_HOLDS_ARRAY (node))
        return json_array_get_length (json_node_get_array (node)) == 0;
      return FALSE;
    }

  if (type == G_TYPE_STRV)
    {
      const char * const *strv = g_value_get_boxed (data);

      return strv == NULL || strv[0] == NULL;
    }

  if (type == G_TYPE_VARIANT)
    {
      GVariant *variant = g_value_get_variant (data);

      if (variant == NULL)
        return TRUE;
      if (g_variant_is_of_type (variant, G_VARIANT_TYPE_ARRAY) ||
          g_variant_is_of_type (variant, G_VARIANT_TYPE_MAYBE))
        return g_variant_n_children (variant) == 0;
      return FALSE;
    }

  if (G_VALUE_HOLDS_OBJECT (data))
    {
      GObject *object = g_value_get_object (data);

      if (object == NULL)
        return TRUE;
      if (G_IS_LIST_MODEL (object))
        return g_list_model_get_n_items (G_LIST_MODEL (object)) == 0;
      return FALSE;
    }

  if (G_VALUE_HOLDS_BOXED (data))
    return g_value_get_boxed (data) == NULL;

  if (G_VALUE_HOLDS_STRING (data))
    return g_value_get_string (data) == NULL;

  return FALSE;
}

static void
quarry_query_view_real_retry (QuarryQueryView *self)
{
  QuarryQueryViewPrivate *priv = PRIV (self);

  if (priv->query != NULL)
    quarry_query_refetch (priv->query);
}

/* The shape of the refetch indicator's bubble; the theme's `.osd` gives
 * its colours. Added for the display at the lowest priority, so that any
 * theme or application style wins. */
static const char refetch_indicator_css[] =
  "queryview .refetch-indicator {\n"
  "  padding: 6px;\n"
  "  border-radius: 9999px;\n"
  "}\n";

static void
ensure_style (GdkDisplay *display)
{
  static GQuark style_quark;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (style_quark == 0)
    style_quark = g_quark_from_static_string ("quarry-query-view-style");
  if (g_object_get_qdata (G_OBJECT (display), style_quark) != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, refetch_indicator_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_FALLBACK);
  g_object_set_qdata_full (G_OBJECT (display), style_quark,
                           g_steal_pointer (&provider), g_object_unref);
}

static void
quarry_query_view_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (quarry_query_view_parent_class)->root (widget);

  ensure_style (gtk_widget_get_display (widget));
}

/* The view expands as its pages do: the box around them expands its
 * overlay only to give it the height the strip leaves. */
static void
quarry_query_view_compute_expand (GtkWidget *widget,
                                  gboolean  *hexpand,
                                  gboolean  *vexpand)
{
  QuarryQueryViewPrivate *priv = PRIV (QUARRY_QUERY_VIEW (widget));

  *hexpand = priv->stack != NULL && gtk_widget_compute_expand (GTK_WIDGET (priv->stack), GTK_ORIENTATION_HORIZONTAL);
  *vexpand = priv->stack != NULL && gtk_widget_compute_expand (GTK_WIDGET (priv->stack), GTK_ORIENTATION_VERTICAL);
}

static void
quarry_query_view_dispose (GObject *object)
{
  QuarryQueryView *self = QUARRY_QUERY_VIEW (object);
  QuarryQueryViewPrivate *priv = PRIV (self);

  /* No untie: a destroyed view is an unmounted component, and the tie ends
   * by itself when the view is finalized, leaving the query unsubscribed. */
  priv->tied = FALSE;
  g_clear_handle_id (&priv->update_source, g_source_remove);
  if (priv->query != NULL)
    g_signal_handlers_disconnect_by_func (priv->query, query_notify_cb, self);
  g_clear_object (&priv->query);
  if (priv->model != NULL)
    g_signal_handlers_disconnect_by_func (priv->model, model_items_changed_cb, self);
  g_clear_object (&priv->model);

  /* Not gtk_widget_dispose_template (): GTK 4.8 looks the template up on
   * the instance's class, so it fails for a subclass without a template of
   * its own, such as a Python subclass. Unparenting the template's root
   * does the same; GTK drops its references to the template children when
   * the view is finalized. */
  if (priv->box != NULL)
    gtk_widget_unparent (priv->box);
  priv->box = NULL;
  priv->overlay = NULL;
  priv->stack = NULL;
  priv->loading_page = NULL;
  priv->error_page = NULL;
  priv->empty_page = NULL;
  priv->content_placeholder = NULL;
  priv->error_description = NULL;
  priv->refetch_error_revealer = NULL;
  priv->refetch_error_label = NULL;
  priv->refetch_indicator = NULL;
  priv->refetch_spinner = NULL;

  priv->child = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (priv->custom_pages); i++)
    priv->custom_pages[i] = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (priv->default_pages); i++)
    g_clear_object (&priv->default_pages[i]);

  G_OBJECT_CLASS (quarry_query_view_parent_class)->dispose (object);
}

static void
quarry_query_view_finalize (GObject *object)
{
  QuarryQueryViewPrivate *priv = PRIV (QUARRY_QUERY_VIEW (object));

  g_clear_pointer (&priv->empty_title, g_free);
  g_clear_pointer (&priv->dismissed_key, quarry_key_unref);
  g_clear_pointer (&priv->empty_description, g_free);
  g_clear_pointer (&priv->empty_icon_name, g_free);

  G_OBJECT_CLASS (quarry_query_view_parent_class)->finalize (object);
}

static void
quarry_query_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  QuarryQueryView *self = QUARRY_QUERY_VIEW (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_object (value, quarry_query_view_get_query (self));
      break;
    case PROP_CHILD:
      g_value_set_object (value, quarry_query_view_get_child (self));
      break;
    case PROP_LOADING_WIDGET:
      g_value_set_object (value, quarry_query_view_get_loading_widget (self));
      break;
    case PROP_ERROR_WIDGET:
      g_value_set_object (value, quarry_query_view_get_error_widget (self));
      break;
    case PROP_EMPTY_WIDGET:
      g_value_set_object (value, quarry_query_view_get_empty_widget (self));
      break;
    case PROP_MODEL:
      g_value_set_object (value, quarry_query_view_get_model (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, quarry_query_view_get_state (self));
      break;
    case PROP_EMPTY_TITLE:
      g_value_set_string (value, quarry_query_view_get_empty_title (self));
      break;
    case PROP_EMPTY_DESCRIPTION:
      g_value_set_string (value, quarry_query_view_get_empty_description (self));
      break;
    case PROP_EMPTY_ICON_NAME:
      g_value_set_string (value, quarry_query_view_get_empty_icon_name (self));
      break;
    case PROP_TRACK_VISIBILITY:
      g_value_set_boolean (value, quarry_query_view_get_track_visibility (self));
      break;
    case PROP_SHOW_REFETCH_INDICATOR:
      g_value_set_boolean (value, quarry_query_view_get_show_refetch_indicator (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_query_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  QuarryQueryView *self = QUARRY_QUERY_VIEW (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      quarry_query_view_set_query (self, g_value_get_object (value));
      break;
    case PROP_CHILD:
      quarry_query_view_set_child (self, g_value_get_object (value));
      break;
    case PROP_LOADING_WIDGET:
      quarry_query_view_set_loading_widget (self, g_value_get_object (value));
      break;
    case PROP_ERROR_WIDGET:
      quarry_query_view_set_error_widget (self, g_value_get_object (value));
      break;
    case PROP_EMPTY_WIDGET:
      quarry_query_view_set_empty_widget (self, g_value_get_object (value));
      break;
    case PROP_MODEL:
      quarry_query_view_set_model (self, g_value_get_object (value));
      break;
    case PROP_EMPTY_TITLE:
      quarry_query_view_set_empty_title (self, g_value_get_string (value));
      break;
    case PROP_EMPTY_DESCRIPTION:
      quarry_query_view_set_empty_description (self, g_value_get_string (value));
      break;
    case PROP_EMPTY_ICON_NAME:
      quarry_query_view_set_empty_icon_name (self, g_value_get_string (value));
      break;
    case PROP_TRACK_VISIBILITY:
      quarry_query_view_set_track_visibility (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_REFETCH_INDICATOR:
      quarry_query_view_set_show_refetch_indicator (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_query_view_class_init (QuarryQueryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  _quarry_gtk_i18n_init ();

  object_class->dispose = quarry_query_view_dispose;
  object_class->finalize = quarry_query_view_finalize;
  object_class->get_property = quarry_query_view_get_property;
  object_class->set_property = quarry_query_view_set_property;

  widget_class->compute_expand = quarry_query_view_compute_expand;
  widget_class->root = quarry_query_view_root;

  klass->is_empty = quarry_query_view_real_is_empty;
  klass->retry = quarry_query_view_real_retry;

  /**
   * QuarryQueryView:query:
   *
   * The query whose state the view shows, or `NULL`.
   *
   * Without a query the view shows the empty page, or the content when
   * [property@QueryView:model] has items.
   */
  properties[PROP_QUERY] =
    g_param_spec_object ("query", NULL, NULL, QUARRY_TYPE_QUERY, rw);

  /**
   * QuarryQueryView:child:
   *
   * The widget that shows the query's data, on the content page.
   */
  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET, rw);

  /**
   * QuarryQueryView:loading-widget:
   *
   * A widget to show instead of the default loading page (a spinner and
   * "Loading…"), or `NULL` for the default.
   */
  properties[PROP_LOADING_WIDGET] =
    g_param_spec_object ("loading-widget", NULL, NULL, GTK_TYPE_WIDGET, rw);

  /**
   * QuarryQueryView:error-widget:
   *
   * A widget to show instead of the default error page (the error's message
   * and a Retry button), or `NULL` for the default.
   *
   * A button in it can retry with the action `query-view.retry`.
   */
  properties[PROP_ERROR_WIDGET] =
    g_param_spec_object ("error-widget", NULL, NULL, GTK_TYPE_WIDGET, rw);

  /**
   * QuarryQueryView:empty-widget:
   *
   * A widget to show instead of the default empty page, or `NULL` for the
   * default.
   *
   * To only change the default page's texts, set
   * [property@QueryView:empty-title], [property@QueryView:empty-description]
   * and [property@QueryView:empty-icon-name].
   */
  properties[PROP_EMPTY_WIDGET] =
    g_param_spec_object ("empty-widget", NULL, NULL, GTK_TYPE_WIDGET, rw);

  /**
   * QuarryQueryView:model:
   *
   * A list model that decides whether the data is empty, or `NULL`.
   *
   * When it is set, the data is empty exactly when the model has no items
   * (unless a subclass overrides [vfunc@QueryView.is_empty]), and the view
   * follows the model's `items-changed`. Use the model the
   * content shows, such as a [class@Quarry.KeyedListModel] fed by the
   * query or an infinite query's [property@Quarry.InfiniteQuery:items].
   */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL, rw);

  /**
   * QuarryQueryView:state:
   *
   * The page the view shows.
   *
   * It changes, and is notified, only when the page does.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       QUARRY_TYPE_QUERY_VIEW_STATE, QUARRY_QUERY_VIEW_STATE_EMPTY,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryQueryView:empty-title:
   *
   * The title of the default empty page, or `NULL` for none.
   *
   * The default is "Nothing Here", translated.
   */
  properties[PROP_EMPTY_TITLE] =
    g_param_spec_string ("empty-title", NULL, NULL, _("Nothing Here"), rw);

  /**
   * QuarryQueryView:empty-description:
   *
   * The description under the default empty page's title, or `NULL` for
   * none.
   */
  properties[PROP_EMPTY_DESCRIPTION] =
    g_param_spec_string ("empty-description", NULL, NULL, NULL, rw);

  /**
   * QuarryQueryView:empty-icon-name:
   *
   * The name of the icon of the default empty page, or `NULL` for none.
   */
  properties[PROP_EMPTY_ICON_NAME] =
    g_param_spec_string ("empty-icon-name", NULL, NULL, "folder-symbolic", rw);

  /**
   * QuarryQueryView:track-visibility:
   *
   * Whether the query is subscribed to its cache entry only while the view
   * is mapped, with [func@tie_query].
   *
   * A query hidden with its view then stops refetching on focus, reconnect
   * and interval, and its entry can be garbage-collected; when the view
   * shows again, the query refetches if its data is stale.
   */
  properties[PROP_TRACK_VISIBILITY] =
    g_param_spec_boolean ("track-visibility", NULL, NULL, TRUE, rw);

  /**
   * QuarryQueryView:show-refetch-indicator: (getter get_show_refetch_indicator) (setter set_show_refetch_indicator)
   *
   * Whether a spinner shows over the content while the query refetches
   * its data in the background.
   *
   * Turn it off when the window already shows that queries are fetching,
   * for example with a [class@FetchingIndicator] in its header bar.
   */
  properties[PROP_SHOW_REFETCH_INDICATOR] =
    g_param_spec_boolean ("show-refetch-indicator", NULL, NULL, TRUE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QuarryQueryView::retry:
   * @self: the view
   *
   * Emitted when the user asks to retry, with a Retry button or the
   * `query-view.retry` action.
   *
   * The default handler refetches the query with [method@Quarry.Query.refetch].
   * Connect to it to retry differently, for example by invalidating several
   * queries, and stop the emission with g_signal_stop_emission_by_name().
   */
  signals[SIGNAL_RETRY] =
    g_signal_new ("retry",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (QuarryQueryViewClass, retry),
                  NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * QuarryQueryView|query-view.retry:
   *
   * Emits [signal@QueryView::retry]. Enabled while the view has a query.
   */
  gtk_widget_class_install_action (widget_class, "query-view.retry", NULL, retry_action);

  /**
   * QuarryQueryView|query-view.dismiss-error:
   *
   * Closes the strip that shows a failed refetch, until the query fails
   * again. Enabled while the strip shows.
   */
  gtk_widget_class_install_action (widget_class, "query-view.dismiss-error", NULL, dismiss_error_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Quarry/Gtk/quarry-query-view.ui");
  gtk_widget_class_bind_template_child_private (widget_class, QuarryQueryView, box);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryQueryView, overlay);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryQueryView, stack);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryQueryView, loading_page);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryQueryView, error_page);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryQueryView, empty_page);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryQueryView, content_placeholder);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryQueryView, error_description);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryQueryView, refetch_error_revealer);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryQueryView, refetch_error_label);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryQueryView, refetch_indicator);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryQueryView, refetch_spinner);
  gtk_widget_class_bind_template_callback (widget_class, string_is_not_empty);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "queryview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
quarry_query_view_init (QuarryQueryView *self)
{
  QuarryQueryViewPrivate *priv = PRIV (self);

  priv->track_visibility = TRUE;
  priv->show_refetch_indicator = TRUE;
  priv->empty_title = g_strdup (_("Nothing Here"));
  priv->empty_icon_name = g_strdup ("folder-symbolic");
  priv->state = QUARRY_QUERY_VIEW_STATE_EMPTY;

  gtk_widget_init_template (GTK_WIDGET (self));

  priv->default_pages[QUARRY_QUERY_VIEW_STATE_LOADING] = g_object_ref (priv->loading_page);
  priv->default_pages[QUARRY_QUERY_VIEW_STATE_ERROR] = g_object_ref (priv->error_page);
  priv->default_pages[QUARRY_QUERY_VIEW_STATE_EMPTY] = g_object_ref (priv->empty_page);
  priv->default_pages[QUARRY_QUERY_VIEW_STATE_CONTENT] = g_object_ref (priv->content_placeholder);

  gtk_stack_set_visible_child_full (priv->stack, page_names[priv->state], GTK_STACK_TRANSITION_TYPE_NONE);
  update_decorations (self);
}

static void
quarry_query_view_buildable_add_child (GtkBuildable *buildable,
                                       GtkBuilder   *builder,
                                       GObject      *child,
                                       const char   *type)
{
  QuarryQueryView *self = QUARRY_QUERY_VIEW (buildable);
  QuarryQueryViewPrivate *priv = PRIV (self);

  /* The template's own child arrives before the template is complete. */
  if (priv->box == NULL)
    parent_buildable_iface->add_child (buildable, builder, child, type);
  else if (g_strcmp0 (type, "loading") == 0 && GTK_IS_WIDGET (child))
    quarry_query_view_set_loading_widget (self, GTK_WIDGET (child));
  else if (g_strcmp0 (type, "error") == 0 && GTK_IS_WIDGET (child))
    quarry_query_view_set_error_widget (self, GTK_WIDGET (child));
  else if (g_strcmp0 (type, "empty") == 0 && GTK_IS_WIDGET (child))
    quarry_query_view_set_empty_widget (self, GTK_WIDGET (child));
  else if (type == NULL && GTK_IS_WIDGET (child))
    quarry_query_view_set_child (self, GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
quarry_query_view_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = quarry_query_view_buildable_add_child;
}

/**
 * quarry_query_view_new:
 *
 * Creates a query view without a query.
 *
 * Returns: the new view
 */
GtkWidget *
quarry_query_view_new (void)
{
  return g_object_new (QUARRY_TYPE_QUERY_VIEW, NULL);
}

/**
 * quarry_query_view_get_query: (get-property query)
 * @self: a query view
 *
 * Gets the query whose state the view shows.
 *
 * Returns: (nullable) (transfer none): the query
 */
QuarryQuery *
quarry_query_view_get_query (QuarryQueryView *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_VIEW (self), NULL);

  return PRIV (self)->query;
}

/**
 * quarry_query_view_set_query: (set-property query)
 * @self: a query view
 * @query: (nullable): a query
 *
 * Sets the query whose state the view shows.
 *
 * With [property@QueryView:track-visibility], the view ties the query to
 * its visibility, and unties the previous one.
 */
void
quarry_query_view_set_query (QuarryQueryView *self,
                             QuarryQuery     *query)
{
  QuarryQueryViewPrivate *priv;

  g_return_if_fail (QUARRY_IS_QUERY_VIEW (self));
  g_return_if_fail (query == NULL || QUARRY_IS_QUERY (query));

  priv = PRIV (self);

  if (priv->query == query)
    return;

  untie (self);
  if (priv->query != NULL)
    g_signal_handlers_disconnect_by_func (priv->query, query_notify_cb, self);

  g_set_object (&priv->query, query);
  priv->error_dismissed = FALSE;
  priv->dismissed_error_count = 0;

  if (query != NULL)
    g_signal_connect_object (query, "notify", G_CALLBACK (query_notify_cb), self, G_CONNECT_SWAPPED);
  tie (self);

  queue_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

/**
 * quarry_query_view_get_child: (get-property child)
 * @self: a query view
 *
 * Gets the widget that shows the data.
 *
 * Returns: (nullable) (transfer none): the content widget
 */
GtkWidget *
quarry_query_view_get_child (QuarryQueryView *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_VIEW (self), NULL);

  return PRIV (self)->child;
}

/**
 * quarry_query_view_set_child: (set-property child)
 * @self: a query view
 * @child: (nullable): the content widget
 *
 * Sets the widget that shows the data, on the content page.
 */
void
quarry_query_view_set_child (QuarryQueryView *self,
                             GtkWidget       *child)
{
  QuarryQueryViewPrivate *priv;

  g_return_if_fail (QUARRY_IS_QUERY_VIEW (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  priv = PRIV (self);

  if (priv->child == child)
    return;

  g_return_if_fail (child == NULL || gtk_widget_get_parent (child) == NULL);

  priv->child = child;
  set_page (self, QUARRY_QUERY_VIEW_STATE_CONTENT, child);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

static void
set_custom_page (QuarryQueryView      *self,
                 QuarryQueryViewState  state,
                 GtkWidget            *widget,
                 guint                 prop)
{
  QuarryQueryViewPrivate *priv = PRIV (self);

  if (priv->custom_pages[state] == widget)
    return;

  g_return_if_fail (widget == NULL || gtk_widget_get_parent (widget) == NULL);

  priv->custom_pages[state] = widget;
  set_page (self, state, widget);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * quarry_query_view_get_loading_widget: (get-property loading-widget)
 * @self: a query view
 *
 * Gets the widget shown instead of the default loading page.
 *
 * Returns: (nullable) (transfer none): the loading widget
 */
GtkWidget *
quarry_query_view_get_loading_widget (QuarryQueryView *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_VIEW (self), NULL);

  return PRIV (self)->custom_pages[QUARRY_QUERY_VIEW_STATE_LOADING];
}

/**
 * quarry_query_view_set_loading_widget: (set-property loading-widget)
 * @self: a query view
 * @widget: (nullable): a widget, or `NULL` for the default page
 *
 * Sets the widget shown while the query loads, instead of the default
 * spinner.
 */
void
quarry_query_view_set_loading_widget (QuarryQueryView *self,
                                      GtkWidget       *widget)
{
  g_return_if_fail (QUARRY_IS_QUERY_VIEW (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  set_custom_page (self, QUARRY_QUERY_VIEW_STATE_LOADING, widget, PROP_LOADING_WIDGET);
}

/**
 * quarry_query_view_get_error_widget: (get-property error-widget)
 * @self: a query view
 *
 * Gets the widget shown instead of the default error page.
 *
 * Returns: (nullable) (transfer none): the error widget
 */
GtkWidget *
quarry_query_view_get_error_widget (QuarryQueryView *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_VIEW (self), NULL);

  return PRIV (self)->custom_pages[QUARRY_QUERY_VIEW_STATE_ERROR];
}

/**
 * quarry_query_view_set_error_widget: (set-property error-widget)
 * @self: a query view
 * @widget: (nullable): a widget, or `NULL` for the default page
 *
 * Sets the widget shown when the query failed without data, instead of the
 * default error page.
 */
void
quarry_query_view_set_error_widget (QuarryQueryView *self,
                                    GtkWidget       *widget)
{
  g_return_if_fail (QUARRY_IS_QUERY_VIEW (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  set_custom_page (self, QUARRY_QUERY_VIEW_STATE_ERROR, widget, PROP_ERROR_WIDGET);
}

/**
 * quarry_query_view_get_empty_widget: (get-property empty-widget)
 * @self: a query view
 *
 * Gets the widget shown instead of the default empty page.
 *
 * Returns: (nullable) (transfer none): the empty widget
 */
GtkWidget *
quarry_query_view_get_empty_widget (QuarryQueryView *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_VIEW (self), NULL);

  return PRIV (self)->custom_pages[QUARRY_QUERY_VIEW_STATE_EMPTY];
}

/**
 * quarry_query_view_set_empty_widget: (set-property empty-widget)
 * @self: a query view
 * @widget: (nullable): a widget, or `NULL` for the default page
 *
 * Sets the widget shown when there is nothing to show, instead of the
 * default empty page.
 */
void
quarry_query_view_set_empty_widget (QuarryQueryView *self,
                                    GtkWidget       *widget)
{
  g_return_if_fail (QUARRY_IS_QUERY_VIEW (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  set_custom_page (self, QUARRY_QUERY_VIEW_STATE_EMPTY, widget, PROP_EMPTY_WIDGET);
}

/**
 * quarry_query_view_get_model: (get-property model)
 * @self: a query view
 *
 * Gets the model that decides whether the data is empty.
 *
 * Returns: (nullable) (transfer none): the model
 */
GListModel *
quarry_query_view_get_model (QuarryQueryView *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_VIEW (self), NULL);

  return PRIV (self)->model;
}

/**
 * quarry_query_view_set_model: (set-property model)
 * @self: a query view
 * @model: (nullable): a list model
 *
 * Sets the model that decides whether the data is empty: it is when the
 * model has no items.
 */
void
quarry_query_view_set_model (QuarryQueryView *self,
                             GListModel      *model)
{
  QuarryQueryViewPrivate *priv;

  g_return_if_fail (QUARRY_IS_QUERY_VIEW (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  priv = PRIV (self);

  if (priv->model == model)
    return;

  if (priv->model != NULL)
    g_signal_handlers_disconnect_by_func (priv->model, model_items_changed_cb, self);
  g_set_object (&priv->model, model);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed", G_CALLBACK (model_items_changed_cb),
                             self, G_CONNECT_SWAPPED);

  queue_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * quarry_query_view_get_state: (get-property state)
 * @self: a query view
 *
 * Gets the page the view shows, brought up to date with the query and the
 * model.
 *
 * Returns: the state
 */
QuarryQueryViewState
quarry_query_view_get_state (QuarryQueryView *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_VIEW (self), QUARRY_QUERY_VIEW_STATE_EMPTY);

  flush_update (self);
  return PRIV (self)->state;
}

/**
 * quarry_query_view_get_empty_title: (get-property empty-title)
 * @self: a query view
 *
 * Gets the title of the default empty page.
 *
 * Returns: (nullable): the title
 */
const char *
quarry_query_view_get_empty_title (QuarryQueryView *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_VIEW (self), NULL);

  return PRIV (self)->empty_title;
}

/**
 * quarry_query_view_set_empty_title: (set-property empty-title)
 * @self: a query view
 * @title: (nullable): the title, or `NULL` for none
 *
 * Sets the title of the default empty page.
 */
void
quarry_query_view_set_empty_title (QuarryQueryView *self,
                                   const char      *title)
{
  g_return_if_fail (QUARRY_IS_QUERY_VIEW (self));

  if (set_string (&PRIV (self)->empty_title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY_TITLE]);
}

/**
 * quarry_query_view_get_empty_description: (get-property empty-description)
 * @self: a query view
 *
 * Gets the description of the default empty page.
 *
 * Returns: (nullable): the description
 */
const char *
quarry_query_view_get_empty_description (QuarryQueryView *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_VIEW (self), NULL);

  return PRIV (self)->empty_description;
}

/**
 * quarry_query_view_set_empty_description: (set-property empty-description)
 * @self: a query view
 * @description: (nullable): the description, or `NULL` for none
 *
 * Sets the description under the default empty page's title.
 */
void
quarry_query_view_set_empty_description (QuarryQueryView *self,
                                         const char      *description)
{
  g_return_if_fail (QUARRY_IS_QUERY_VIEW (self));

  if (set_string (&PRIV (self)->empty_description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY_DESCRIPTION]);
}

/**
 * quarry_query_view_get_empty_icon_name: (get-property empty-icon-name)
 * @self: a query view
 *
 * Gets the name of the default empty page's icon.
 *
 * Returns: (nullable): the icon name
 */
const char *
quarry_query_view_get_empty_icon_name (QuarryQueryView *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_VIEW (self), NULL);

  return PRIV (self)->empty_icon_name;
}

/**
 * quarry_query_view_set_empty_icon_name: (set-property empty-icon-name)
 * @self: a query view
 * @icon_name: (nullable): an icon name, or `NULL` for none
 *
 * Sets the icon of the default empty page.
 */
void
quarry_query_view_set_empty_icon_name (QuarryQueryView *self,
                                       const char      *icon_name)
{
  g_return_if_fail (QUARRY_IS_QUERY_VIEW (self));

  if (set_string (&PRIV (self)->empty_icon_name, icon_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY_ICON_NAME]);
}

/**
 * quarry_query_view_get_track_visibility: (get-property track-visibility)
 * @self: a query view
 *
 * Gets whether the query is subscribed only while the view is mapped.
 *
 * Returns: `TRUE` if the view ties its query to its visibility
 */
gboolean
quarry_query_view_get_track_visibility (QuarryQueryView *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_VIEW (self), FALSE);

  return PRIV (self)->track_visibility;
}

/**
 * quarry_query_view_set_track_visibility: (set-property track-visibility)
 * @self: a query view
 * @track_visibility: whether to tie the query to the view's visibility
 *
 * Sets whether the query is subscribed only while the view is mapped.
 *
 * Turning it off unties the query, which is then subscribed whether the
 * view shows or not.
 */
void
quarry_query_view_set_track_visibility (QuarryQueryView *self,
                                        gboolean         track_visibility)
{
  QuarryQueryViewPrivate *priv;

  g_return_if_fail (QUARRY_IS_QUERY_VIEW (self));

  priv = PRIV (self);
  track_visibility = !!track_visibility;

  if (priv->track_visibility == track_visibility)
    return;

  priv->track_visibility = track_visibility;
  tie (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACK_VISIBILITY]);
}

/**
 * quarry_query_view_retry:
 * @self: a query view
 *
 * Retries as the Retry buttons do: emits [signal@QueryView::retry], whose
 * default handler refetches the query.
 */
void
quarry_query_view_retry (QuarryQueryView *self)
{
  g_return_if_fail (QUARRY_IS_QUERY_VIEW (self));

  g_signal_emit (self, signals[SIGNAL_RETRY], 0);
}

/**
 * quarry_query_view_get_show_refetch_indicator: (get-property show-refetch-indicator)
 * @self: a query view
 *
 * Gets whether a spinner shows over the content during a background
 * refetch.
 *
 * Returns: whether the refetch spinner shows
 */
gboolean
quarry_query_view_get_show_refetch_indicator (QuarryQueryView *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_VIEW (self), FALSE);

  return PRIV (self)->show_refetch_indicator;
}

/**
 * quarry_query_view_set_show_refetch_indicator: (set-property show-refetch-indicator)
 * @self: a query view
 * @show_refetch_indicator: whether to show the refetch spinner
 *
 * Sets whether a spinner shows over the content while the query refetches
 * its data in the background.
 */
void
quarry_query_view_set_show_refetch_indicator (QuarryQueryView *self,
                                              gboolean         show_refetch_indicator)
{
  QuarryQueryViewPrivate *priv;

  g_return_if_fail (QUARRY_IS_QUERY_VIEW (self));

  priv = PRIV (self);
  show_refetch_indicator = !!show_refetch_indicator;

  if (priv->show_refetch_indicator == show_refetch_indicator)
    return;

  priv->show_refetch_indicator = show_refetch_indicator;
  /* Not after dispose. */
  if (priv->refetch_indicator != NULL)
    queue_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_REFETCH_INDICATOR]);
}
