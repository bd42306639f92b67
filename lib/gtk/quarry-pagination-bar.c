/* quarry-pagination-bar.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-gtk.h"
#include "quarry-gtk-i18n-private.h"

/**
 * QuarryPaginationBar:
 *
 * Previous and next buttons and a page label for a query that shows one
 * page at a time, as TanStack Query's paginated queries.
 *
 * The bar holds a page number, [property@PaginationBar:page], that its
 * buttons move between [property@PaginationBar:first-page] and the last
 * page. The query shows that page in one of two ways:
 *
 * - with [property@PaginationBar:base-key] set, the bar sets the query's
 *   key itself: the base key with the page number appended, so that the
 *   base key `["todos", "page"]` gives `["todos", "page", 2]` on page 2;
 * - without it, the application listens to `notify::page` and sets the
 *   key (or the fetch function's parameters) itself.
 *
 * With a base key, the bar also follows the query's key when the
 * application changes it (a deep link, a "go to page" entry): when the new
 * key is the base key with a page number, not less than
 * [property@PaginationBar:first-page], appended, that number becomes
 * [property@PaginationBar:page]. A key that does not start with the base
 * key (or ends with something else) leaves the page as it is; the bar sets
 * the key again, from its base key, on the next page change.
 *
 * The bar sets the query's [property@Quarry.Query:keep-previous-data], so
 * while the next page loads the query keeps showing the previous one as
 * placeholder data ([property@Quarry.Query:is-placeholder-data]), as
 * TanStack's `placeholderData: keepPreviousData`: the list does not flash
 * empty between pages. Meanwhile [property@PaginationBar:is-loading] is set,
 * a small spinner spins, and the next button is insensitive.
 *
 * The next button is also insensitive on the last page. Whether there is a
 * next page is read from the data of the page on show
 * ([property@PaginationBar:has-more]): by default from the boolean member
 * named by [property@PaginationBar:has-more-member] (`has_more`) of a JSON
 * object, such as `{"items": [...], "has_more": true}`. For other data, set
 * a function with [method@PaginationBar.set_has_more_func] or override
 * [vfunc@PaginationBar.has_more]. The previous button is insensitive on
 * the first page.
 *
 * ```c
 * g_autoptr(QuarryKey) base = quarry_key_new_from_string ("[\"todos\", \"page\"]", NULL);
 * GtkWidget *bar = quarry_pagination_bar_new ();
 *
 * quarry_pagination_bar_set_base_key (QUARRY_PAGINATION_BAR (bar), base);
 * quarry_pagination_bar_set_query (QUARRY_PAGINATION_BAR (bar), todos_query);
 * ```
 *
 * In a `.ui` file:
 *
 * ```xml
 * <object class="QuarryPaginationBar">
 *   <property name="query">todos_query</property>
 *   <property name="base-key-json">["todos", "page"]</property>
 *   <property name="halign">center</property>
 * </object>
 * ```
 *
 * ## Prefetching
 *
 * TanStack's pagination example prefetches the next page while the current
 * one is on show. The bar does not: it does not know the query's fetch
 * function. Applications that want it call
 * [method@Quarry.QueryClient.prefetch_query_async] with the next page's key
 * and their fetch function when `notify::has-more` reports a next page.
 *
 * ## Actions
 *
 * The buttons activate the actions `pagination.previous` and
 * `pagination.next`, which the bar enables and disables; widgets inside
 * the bar can use them too.
 *
 * ## CSS nodes
 *
 * `QuarryPaginationBar` has a single CSS node with name `paginationbar`.
 * Its page label has the style class `.numeric`.
 *
 * ## Accessibility
 *
 * `QuarryPaginationBar` uses the `GTK_ACCESSIBLE_ROLE_GROUP` role; its
 * buttons and spinner have accessible labels.
 */

typedef struct
{
  QuarryQuery *query;
  QuarryKey *base_key;
  char *has_more_member;

  QuarryHasMoreFunc has_more_func;
  gpointer has_more_data;
  GDestroyNotify has_more_destroy;

  int page;
  int first_page;

  guint page_set : 1;
  guint has_more : 1;
  guint is_loading : 1;
  guint query_kept_previous_data : 1;

  /* Template children */
  GtkWidget *previous_button;
  GtkWidget *page_overlay;
  GtkWidget *page_label;
  GtkWidget *spinner;
  GtkWidget *next_button;
} QuarryPaginationBarPrivate;

enum {
  PROP_0,
  PROP_QUERY,
  PROP_PAGE,
  PROP_FIRST_PAGE,
  PROP_BASE_KEY,
  PROP_BASE_KEY_JSON,
  PROP_HAS_MORE_MEMBER,
  PROP_HAS_MORE,
  PROP_IS_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_TYPE_WITH_PRIVATE (QuarryPaginationBar, quarry_pagination_bar, GTK_TYPE_WIDGET)

#define PRIV(self) ((QuarryPaginationBarPrivate *) quarry_pagination_bar_get_instance_private (self))

static char *
page_label_text (gpointer unused,
                 int      page)
{
  /* Translators: the label between the previous and next buttons of a
   * paginated list; %d is the number of the page on show. */
  return g_strdup_printf (_("Page %d"), page);
}

/* Sets the query's key to the base key with the page appended. */
static void
apply_key (QuarryPaginationBar *self)
{
  QuarryPaginationBarPrivate *priv = PRIV (self);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  guint length;

  if (priv->query == NULL || priv->base_key == NULL)
    return;

  length = quarry_key_get_length (priv->base_key);
  array = json_array_sized_new (length + 1);
  for (guint i = 0; i < length; i++)
    json_array_add_element (array, quarry_key_dup_segment (priv->base_key, i));
  json_array_add_int_element (array, priv->page);
  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);

  key = quarry_key_new_from_json (node, &error);
  g_assert_no_error (error);
  quarry_query_set_key (priv->query, key);
}

static void
update_state (QuarryPaginationBar *self)
{
  QuarryPaginationBarPrivate *priv = PRIV (self);
  gboolean has_more = FALSE;
  gboolean is_loading = FALSE;

  if (priv->query != NULL)
    {
      const GValue *data = quarry_query_get_value (priv->query);

      is_loading = quarry_query_get_is_placeholder_data (priv->query) ||
                   quarry_query_get_is_loading (priv->query);
      if (data != NULL)
        has_more = !!QUARRY_PAGINATION_BAR_GET_CLASS (self)->has_more (self, data);
    }

  if (priv->has_more != has_more)
    {
      priv->has_more = has_more;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
    }

  if (priv->is_loading != is_loading)
    {
      priv->is_loading = is_loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_LOADING]);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pagination.previous",
                                 priv->page > priv->first_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pagination.next",
                                 has_more && !is_loading);
}

static void
query_changed_cb (QuarryPaginationBar *self)
{
  update_state (self);
}

/* The page number in @key if it is the base key with a page number
 * appended, else -1. */
static int
page_in_key (QuarryPaginationBar *self,
             QuarryKey           *key)
{
  QuarryPaginationBarPrivate *priv = PRIV (self);
  g_autoptr(JsonNode) last = NULL;
  guint length;
  gint64 page;

  if (key == NULL || priv->base_key == NULL)
    return -1;

  length = quarry_key_get_length (priv->base_key);
  if (quarry_key_get_length (key) != length + 1)
    return -1;

  for (guint i = 0; i < length; i++)
    {
      g_autoptr(JsonNode) a = quarry_key_dup_segment (priv->base_key, i);
      g_autoptr(JsonNode) b = quarry_key_dup_segment (key, i);

      if (!json_node_equal (a, b))
        return -1;
    }

  last = quarry_key_dup_segment (key, length);
  if (!JSON_NODE_HOLDS_VALUE (last) || json_node_get_value_type (last) != G_TYPE_INT64)
    return -1;

  page = json_node_get_int (last);
  if (page < 0 || page > G_MAXINT)
    return -1;

  return (int) page;
}

/* The query's key changed, by the bar or by the application: adopts the
 * page of a key made of the base key and a page, without setting the key
 * again. */
static void
query_key_changed_cb (QuarryPaginationBar *self)
{
  QuarryPaginationBarPrivate *priv = PRIV (self);
  int page = page_in_key (self, quarry_query_get_key (priv->query));

  if (page < priv->first_page || page == priv->page)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  priv->page_set = TRUE;
  priv->page = page;
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
member_says_more (JsonNode   *node,
                  const char *member_name)
{
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;

  member = json_object_get_member (json_node_get_object (node), member_name);
  if (member == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (member))
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (member);

  return TRUE;
}

static gboolean
quarry_pagination_bar_real_has_more (QuarryPaginationBar *self,
                                     const GValue        *data)
{
  QuarryPaginationBarPrivate *priv = PRIV (self);

  if (priv->has_more_func != NULL)
    return priv->has_more_func (data, priv->has_more_data);

  if (priv->has_more_member == NULL)
    return TRUE;

  if (G_VALUE_HOLDS (data, JSON_TYPE_NODE))
    return member_says_more (g_value_get_boxed (data), priv->has_more_member);

  if (G_VALUE_HOLDS (data, QUARRY_TYPE_JSON_ITEM) && g_value_get_object (data) != NULL)
    return member_says_more (quarry_json_item_get_node (g_value_get_object (data)),
                             priv->has_more_member);

  return TRUE;
}

static void
set_base_key_json (QuarryPaginationBar *self,
                   const char          *json)
{
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(GError) error = NULL;

  if (json != NULL)
    {
      key = quarry_key_new_from_string (json, &error);
      if (key == NULL)
        g_warning ("QuarryPaginationBar: base-key-json is not a key: %s", error->message);
    }

  quarry_pagination_bar_set_base_key (self, key);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  quarry_pagination_bar_previous_page (QUARRY_PAGINATION_BAR (widget));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  quarry_pagination_bar_next_page (QUARRY_PAGINATION_BAR (widget));
}

static void
quarry_pagination_bar_dispose (GObject *object)
{
  QuarryPaginationBar *self = QUARRY_PAGINATION_BAR (object);

  QuarryPaginationBarPrivate *priv = PRIV (self);

  quarry_pagination_bar_set_query (self, NULL);

  /* Here rather than in finalize: the function's data may hold the bar (a
   * Python closure over it, say), a cycle that dispose has to break. */
  if (priv->has_more_destroy != NULL)
    {
      GDestroyNotify destroy = g_steal_pointer (&priv->has_more_destroy);

      destroy (g_steal_pointer (&priv->has_more_data));
    }
  priv->has_more_func = NULL;
  priv->has_more_data = NULL;

  /* Not gtk_widget_dispose_template (): GTK 4.8 looks the template up on
   * the instance's class, so it fails for a subclass without a template of
   * its own, such as a Python subclass. Unparenting the children does the
   * same; GTK drops its references to them when the bar is finalized. */
  g_clear_pointer (&priv->previous_button, gtk_widget_unparent);
  g_clear_pointer (&priv->page_overlay, gtk_widget_unparent);
  priv->page_label = NULL;
  priv->spinner = NULL;
  g_clear_pointer (&priv->next_button, gtk_widget_unparent);

  G_OBJECT_CLASS (quarry_pagination_bar_parent_class)->dispose (object);
}

static void
quarry_pagination_bar_finalize (GObject *object)
{
  QuarryPaginationBarPrivate *priv = PRIV (QUARRY_PAGINATION_BAR (object));

  g_clear_pointer (&priv->base_key, quarry_key_unref);
  g_clear_pointer (&priv->has_more_member, g_free);

  G_OBJECT_CLASS (quarry_pagination_bar_parent_class)->finalize (object);
}

static void
quarry_pagination_bar_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  QuarryPaginationBar *self = QUARRY_PAGINATION_BAR (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_object (value, quarry_pagination_bar_get_query (self));
      break;
    case PROP_PAGE:
      g_value_set_int (value, quarry_pagination_bar_get_page (self));
      break;
    case PROP_FIRST_PAGE:
      g_value_set_int (value, quarry_pagination_bar_get_first_page (self));
      break;
    case PROP_BASE_KEY:
      g_value_set_boxed (value, quarry_pagination_bar_get_base_key (self));
      break;
    case PROP_BASE_KEY_JSON:
      {
        QuarryKey *base_key = quarry_pagination_bar_get_base_key (self);

        g_value_set_string (value, base_key ? quarry_key_to_string (base_key) : NULL);
      }
      break;
    case PROP_HAS_MORE_MEMBER:
      g_value_set_string (value, quarry_pagination_bar_get_has_more_member (self));
      break;
    case PROP_HAS_MORE:
      g_value_set_boolean (value, quarry_pagination_bar_get_has_more (self));
      break;
    case PROP_IS_LOADING:
      g_value_set_boolean (value, quarry_pagination_bar_get_is_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_pagination_bar_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  QuarryPaginationBar *self = QUARRY_PAGINATION_BAR (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      quarry_pagination_bar_set_query (self, g_value_get_object (value));
      break;
    case PROP_PAGE:
      quarry_pagination_bar_set_page (self, g_value_get_int (value));
      break;
    case PROP_FIRST_PAGE:
      quarry_pagination_bar_set_first_page (self, g_value_get_int (value));
      break;
    case PROP_BASE_KEY:
      quarry_pagination_bar_set_base_key (self, g_value_get_boxed (value));
      break;
    case PROP_BASE_KEY_JSON:
      set_base_key_json (self, g_value_get_string (value));
      break;
    case PROP_HAS_MORE_MEMBER:
      quarry_pagination_bar_set_has_more_member (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_pagination_bar_class_init (QuarryPaginationBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  _quarry_gtk_i18n_init ();

  object_class->dispose = quarry_pagination_bar_dispose;
  object_class->finalize = quarry_pagination_bar_finalize;
  object_class->get_property = quarry_pagination_bar_get_property;
  object_class->set_property = quarry_pagination_bar_set_property;

  klass->has_more = quarry_pagination_bar_real_has_more;

  /**
   * QuarryPaginationBar:query: (getter get_query) (setter set_query)
   *
   * The query that shows the pages.
   *
   * Setting it turns on its [property@Quarry.Query:keep-previous-data]
   * (unsetting it restores the previous value) and, with
   * [property@PaginationBar:base-key] set, sets its key to the page's.
   */
  properties[PROP_QUERY] =
    g_param_spec_object ("query", NULL, NULL, QUARRY_TYPE_QUERY, rw);

  /**
   * QuarryPaginationBar:page: (getter get_page) (setter set_page)
   *
   * The number of the page on show.
   *
   * It is never less than [property@PaginationBar:first-page], and
   * follows it until it is set.
   */
  properties[PROP_PAGE] =
    g_param_spec_int ("page", NULL, NULL, 0, G_MAXINT, 1, rw);

  /**
   * QuarryPaginationBar:first-page: (getter get_first_page) (setter set_first_page)
   *
   * The number of the first page, where the previous button is
   * insensitive: 1 by default, 0 for APIs that count pages from zero.
   */
  properties[PROP_FIRST_PAGE] =
    g_param_spec_int ("first-page", NULL, NULL, 0, G_MAXINT, 1, rw | G_PARAM_CONSTRUCT);

  /**
   * QuarryPaginationBar:base-key: (getter get_base_key) (setter set_base_key)
   *
   * The key of the query without its page; the bar appends the page
   * number to it and sets the result as the query's key.
   *
   * When `NULL`, the application changes the query's key itself when
   * [property@PaginationBar:page] changes.
   */
  properties[PROP_BASE_KEY] =
    g_param_spec_boxed ("base-key", NULL, NULL, QUARRY_TYPE_KEY, rw);

  /**
   * QuarryPaginationBar:base-key-json:
   *
   * [property@PaginationBar:base-key] as the text of a JSON array, such as
   * `["todos", "page"]`, for `.ui` files.
   *
   * Reading it gives the key's canonical text. Text that is not a JSON
   * array logs a warning and unsets the base key.
   */
  properties[PROP_BASE_KEY_JSON] =
    g_param_spec_string ("base-key-json", NULL, NULL, NULL, rw);

  /**
   * QuarryPaginationBar:has-more-member: (getter get_has_more_member) (setter set_has_more_member)
   *
   * The member of the page's JSON object that says whether a next page
   * exists, `has_more` by default.
   *
   * The member counts as `FALSE` when it is `false` or `null`, and as
   * `TRUE` otherwise; when the data is not a JSON object or lacks the
   * member, or the property is `NULL`, there is always a next page. A
   * function set with [method@PaginationBar.set_has_more_func] replaces
   * this lookup.
   */
  properties[PROP_HAS_MORE_MEMBER] =
    g_param_spec_string ("has-more-member", NULL, NULL, "has_more", rw);

  /**
   * QuarryPaginationBar:has-more: (getter get_has_more)
   *
   * Whether there is a page after the one on show, as
   * [vfunc@PaginationBar.has_more] says from its data; `FALSE` while the
   * query has no data.
   */
  properties[PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL, FALSE, ro);

  /**
   * QuarryPaginationBar:is-loading: (getter get_is_loading)
   *
   * Whether the page asked for is loading: the query shows the previous
   * page as placeholder data, or has no data yet and fetches it.
   */
  properties[PROP_IS_LOADING] =
    g_param_spec_boolean ("is-loading", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "pagination.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "pagination.next", NULL, next_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Quarry/Gtk/quarry-pagination-bar.ui");
  gtk_widget_class_bind_template_child_private (widget_class, QuarryPaginationBar, previous_button);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryPaginationBar, page_overlay);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryPaginationBar, page_label);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryPaginationBar, spinner);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryPaginationBar, next_button);
  gtk_widget_class_bind_template_callback (widget_class, page_label_text);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "paginationbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
quarry_pagination_bar_init (QuarryPaginationBar *self)
{
  QuarryPaginationBarPrivate *priv = PRIV (self);
  GtkLayoutManager *layout;

  priv->page = 1;
  priv->first_page = 1;
  priv->has_more_member = g_strdup ("has_more");

  gtk_widget_init_template (GTK_WIDGET (self));
  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  update_state (self);
}

/**
 * quarry_pagination_bar_new:
 *
 * Creates a pagination bar on page 1, without a query.
 *
 * Returns: (transfer full): a new pagination bar
 */
GtkWidget *
quarry_pagination_bar_new (void)
{
  return g_object_new (QUARRY_TYPE_PAGINATION_BAR, NULL);
}

/**
 * quarry_pagination_bar_get_query: (get-property query)
 * @self: a pagination bar
 *
 * Gets the query that shows the pages.
 *
 * Returns: (transfer none) (nullable): the query
 */
QuarryQuery *
quarry_pagination_bar_get_query (QuarryPaginationBar *self)
{
  g_return_val_if_fail (QUARRY_IS_PAGINATION_BAR (self), NULL);

  return PRIV (self)->query;
}

/**
 * quarry_pagination_bar_set_query: (set-property query)
 * @self: a pagination bar
 * @query: (nullable): a query
 *
 * Sets the query that shows the pages, and turns on its
 * [property@Quarry.Query:keep-previous-data].
 */
void
quarry_pagination_bar_set_query (QuarryPaginationBar *self,
                                 QuarryQuery         *query)
{
  QuarryPaginationBarPrivate *priv;

  g_return_if_fail (QUARRY_IS_PAGINATION_BAR (self));
  g_return_if_fail (query == NULL || QUARRY_IS_QUERY (query));

  priv = PRIV (self);
  if (priv->query == query)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  if (priv->query != NULL)
    {
      g_signal_handlers_disconnect_by_data (priv->query, self);
      if (!priv->query_kept_previous_data)
        quarry_query_set_keep_previous_data (priv->query, FALSE);
      g_clear_object (&priv->query);
    }

  if (query != NULL)
    {
      priv->query = g_object_ref (query);
      priv->query_kept_previous_data = quarry_query_get_keep_previous_data (query);
      quarry_query_set_keep_previous_data (query, TRUE);
      g_signal_connect_object (query, "notify::data",
                               G_CALLBACK (query_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (query, "notify::is-placeholder-data",
                               G_CALLBACK (query_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (query, "notify::is-loading",
                               G_CALLBACK (query_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (query, "notify::key",
                               G_CALLBACK (query_key_changed_cb), self, G_CONNECT_SWAPPED);
      apply_key (self);
    }

  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quarry_pagination_bar_get_page: (get-property page)
 * @self: a pagination bar
 *
 * Gets the number of the page on show.
 *
 * Returns: the page number
 */
int
quarry_pagination_bar_get_page (QuarryPaginationBar *self)
{
  g_return_val_if_fail (QUARRY_IS_PAGINATION_BAR (self), 0);

  return PRIV (self)->page;
}

static void
change_page (QuarryPaginationBar *self,
             int                  page)
{
  QuarryPaginationBarPrivate *priv = PRIV (self);

  page = MAX (page, priv->first_page);
  if (priv->page == page)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  priv->page = page;
  apply_key (self);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quarry_pagination_bar_set_page: (set-property page)
 * @self: a pagination bar
 * @page: a page number
 *
 * Shows page @page: with [property@PaginationBar:base-key] set, the query's
 * key becomes the page's. A number less than
 * [property@PaginationBar:first-page] shows the first page.
 */
void
quarry_pagination_bar_set_page (QuarryPaginationBar *self,
                                int                  page)
{
  g_return_if_fail (QUARRY_IS_PAGINATION_BAR (self));
  g_return_if_fail (page >= 0);

  PRIV (self)->page_set = TRUE;
  change_page (self, page);
}

/**
 * quarry_pagination_bar_get_first_page: (get-property first-page)
 * @self: a pagination bar
 *
 * Gets the number of the first page.
 *
 * Returns: the first page's number
 */
int
quarry_pagination_bar_get_first_page (QuarryPaginationBar *self)
{
  g_return_val_if_fail (QUARRY_IS_PAGINATION_BAR (self), 0);

  return PRIV (self)->first_page;
}

/**
 * quarry_pagination_bar_set_first_page: (set-property first-page)
 * @self: a pagination bar
 * @first_page: the number of the first page
 *
 * Sets the number of the first page. Until [property@PaginationBar:page] is
 * set, the bar shows this page; it never shows a page before it.
 */
void
quarry_pagination_bar_set_first_page (QuarryPaginationBar *self,
                                      int                  first_page)
{
  QuarryPaginationBarPrivate *priv;

  g_return_if_fail (QUARRY_IS_PAGINATION_BAR (self));
  g_return_if_fail (first_page >= 0);

  priv = PRIV (self);
  if (priv->first_page == first_page)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  priv->first_page = first_page;
  if (!priv->page_set || priv->page < first_page)
    change_page (self, first_page);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_PAGE]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quarry_pagination_bar_get_base_key: (get-property base-key)
 * @self: a pagination bar
 *
 * Gets the key the bar appends the page number to.
 *
 * Returns: (transfer none) (nullable): the base key
 */
QuarryKey *
quarry_pagination_bar_get_base_key (QuarryPaginationBar *self)
{
  g_return_val_if_fail (QUARRY_IS_PAGINATION_BAR (self), NULL);

  return PRIV (self)->base_key;
}

/**
 * quarry_pagination_bar_set_base_key: (set-property base-key)
 * @self: a pagination bar
 * @base_key: (nullable): the query's key without the page
 *
 * Sets the key the bar appends the page number to, and sets the result as
 * the query's key. With `NULL`, the application sets the query's key
 * itself when [property@PaginationBar:page] changes.
 */
void
quarry_pagination_bar_set_base_key (QuarryPaginationBar *self,
                                    QuarryKey           *base_key)
{
  QuarryPaginationBarPrivate *priv;

  g_return_if_fail (QUARRY_IS_PAGINATION_BAR (self));

  priv = PRIV (self);
  if (priv->base_key == base_key ||
      (priv->base_key != NULL && base_key != NULL && quarry_key_equal (priv->base_key, base_key)))
    return;

  g_clear_pointer (&priv->base_key, quarry_key_unref);
  priv->base_key = base_key ? quarry_key_ref (base_key) : NULL;
  apply_key (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_KEY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_KEY_JSON]);
}

/**
 * quarry_pagination_bar_get_has_more_member: (get-property has-more-member)
 * @self: a pagination bar
 *
 * Gets the JSON member that says whether there is a next page.
 *
 * Returns: (nullable): the member's name
 */
const char *
quarry_pagination_bar_get_has_more_member (QuarryPaginationBar *self)
{
  g_return_val_if_fail (QUARRY_IS_PAGINATION_BAR (self), NULL);

  return PRIV (self)->has_more_member;
}

/**
 * quarry_pagination_bar_set_has_more_member: (set-property has-more-member)
 * @self: a pagination bar
 * @member: (nullable): the name of a member of the page's JSON object
 *
 * Sets the member of the page's JSON object that says whether there is a
 * next page. See [property@PaginationBar:has-more-member].
 */
void
quarry_pagination_bar_set_has_more_member (QuarryPaginationBar *self,
                                           const char          *member)
{
  QuarryPaginationBarPrivate *priv;

  g_return_if_fail (QUARRY_IS_PAGINATION_BAR (self));

  priv = PRIV (self);
  if (g_strcmp0 (priv->has_more_member, member) == 0)
    return;

  g_free (priv->has_more_member);
  priv->has_more_member = g_strdup (member);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE_MEMBER]);
}

/**
 * quarry_pagination_bar_set_has_more_func:
 * @self: a pagination bar
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   decides whether there is a next page, or `NULL` to read
 *   [property@PaginationBar:has-more-member]
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Sets the function that decides from the data of the page on show
 * whether there is a next page, for data that is not a JSON object with a
 * boolean member: a [struct@GLib.Variant], a list model, or a page whose
 * length tells.
 *
 * ```c
 * static gboolean
 * full_page_has_more (const GValue *data,
 *                     gpointer      user_data)
 * {
 *   JsonNode *node = g_value_get_boxed (data);
 *
 *   return json_array_get_length (json_node_get_array (node)) == PAGE_SIZE;
 * }
 * ```
 */
void
quarry_pagination_bar_set_has_more_func (QuarryPaginationBar *self,
                                         QuarryHasMoreFunc    func,
                                         gpointer             user_data,
                                         GDestroyNotify       destroy)
{
  QuarryPaginationBarPrivate *priv;
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (QUARRY_IS_PAGINATION_BAR (self));

  priv = PRIV (self);
  old_destroy = priv->has_more_destroy;
  old_data = priv->has_more_data;

  priv->has_more_func = func;
  priv->has_more_data = user_data;
  priv->has_more_destroy = destroy;

  if (old_destroy != NULL)
    old_destroy (old_data);

  update_state (self);
}

/**
 * quarry_pagination_bar_get_has_more: (get-property has-more)
 * @self: a pagination bar
 *
 * Gets whether there is a page after the one on show.
 *
 * Returns: `TRUE` if there is a next page
 */
gboolean
quarry_pagination_bar_get_has_more (QuarryPaginationBar *self)
{
  g_return_val_if_fail (QUARRY_IS_PAGINATION_BAR (self), FALSE);

  return PRIV (self)->has_more;
}

/**
 * quarry_pagination_bar_get_is_loading: (get-property is-loading)
 * @self: a pagination bar
 *
 * Gets whether the page asked for is loading.
 *
 * Returns: `TRUE` while the page loads
 */
gboolean
quarry_pagination_bar_get_is_loading (QuarryPaginationBar *self)
{
  g_return_val_if_fail (QUARRY_IS_PAGINATION_BAR (self), FALSE);

  return PRIV (self)->is_loading;
}

/**
 * quarry_pagination_bar_next_page:
 * @self: a pagination bar
 *
 * Shows the next page, as the next button does. Does nothing while the
 * button is insensitive: on the last page, or while a page loads.
 */
void
quarry_pagination_bar_next_page (QuarryPaginationBar *self)
{
  QuarryPaginationBarPrivate *priv;

  g_return_if_fail (QUARRY_IS_PAGINATION_BAR (self));

  priv = PRIV (self);
  if (!priv->has_more || priv->is_loading || priv->page == G_MAXINT)
    return;

  quarry_pagination_bar_set_page (self, priv->page + 1);
}

/**
 * quarry_pagination_bar_previous_page:
 * @self: a pagination bar
 *
 * Shows the previous page, as the previous button does. Does nothing on
 * the first page.
 */
void
quarry_pagination_bar_previous_page (QuarryPaginationBar *self)
{
  QuarryPaginationBarPrivate *priv;

  g_return_if_fail (QUARRY_IS_PAGINATION_BAR (self));

  priv = PRIV (self);
  if (priv->page <= priv->first_page)
    return;

  quarry_pagination_bar_set_page (self, priv->page - 1);
}
