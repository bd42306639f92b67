/* quarry-todo-paged-page.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "quarry-todo-paged-page.h"
#include "quarry-todo-summary-row.h"

/*
 * QuarryTodoPagedPage:
 *
 * The "Pages" page: the todos 20 at a time, by page number, with previous
 * and next buttons (QuarryPaginationBar). The bar moves the query's key
 * (`["todos", "pages", N]`) and keeps the page on show while the next one
 * loads, so the list never flashes empty. The rows show a
 * QuarryKeyedListModel of QuarryJsonItems, which keeps a todo's row when a
 * refetch of the page changes it.
 */

struct _QuarryTodoPagedPage
{
  GtkWidget parent_instance;

  QuarryQueryView *view;
  GtkListView *list_view;
  QuarryPaginationBar *pagination_bar;
  GtkLabel *range_label;

  QuarryTodoService *service;
  QuarryQuery *query;
  QuarryKeyedListModel *model;
};

G_DEFINE_FINAL_TYPE (QuarryTodoPagedPage, quarry_todo_paged_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_QUERY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_range (QuarryTodoPagedPage *self)
{
  const GValue *value = quarry_query_get_value (self->query);
  JsonNode *node = value != NULL && G_VALUE_HOLDS (value, JSON_TYPE_NODE) ? g_value_get_boxed (value) : NULL;
  g_autofree char *text = NULL;
  JsonObject *page;
  gint64 number, per_page, total, n_items;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      gtk_label_set_label (self->range_label, "");
      return;
    }

  page = json_node_get_object (node);
  number = json_object_get_int_member_with_default (page, "page", 1);
  per_page = json_object_get_int_member_with_default (page, "per_page", QUARRY_TODO_PAGE_SIZE);
  total = CLAMP (json_object_get_int_member_with_default (page, "total", 0), 0, G_MAXINT);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  if (n_items == 0)
    text = g_strdup ("");
  else
    /* Translators: "Todos 21 to 40 of 10000". */
    text = g_strdup_printf (ngettext ("Todos %d to %d of %d", "Todos %d to %d of %d", (int) total),
                            (int) ((number - 1) * per_page + 1),
                            (int) ((number - 1) * per_page + n_items),
                            (int) total);
  gtk_label_set_label (self->range_label, text);
}

static void
quarry_todo_paged_page_dispose (GObject *object)
{
  QuarryTodoPagedPage *self = (QuarryTodoPagedPage *)object;
  GtkWidget *child;

  if (self->view != NULL)
    {
      quarry_query_view_set_model (self->view, NULL);
      quarry_query_view_set_query (self->view, NULL);
    }
  if (self->pagination_bar != NULL)
    quarry_pagination_bar_set_query (self->pagination_bar, NULL);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), QUARRY_TYPE_TODO_PAGED_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->model);
  g_clear_object (&self->query);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (quarry_todo_paged_page_parent_class)->dispose (object);
}

static void
quarry_todo_paged_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  QuarryTodoPagedPage *self = QUARRY_TODO_PAGED_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, quarry_todo_paged_page_get_service (self));
      break;
    case PROP_QUERY:
      g_value_set_object (value, quarry_todo_paged_page_get_query (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_paged_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  QuarryTodoPagedPage *self = QUARRY_TODO_PAGED_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      quarry_todo_paged_page_set_service (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_paged_page_class_init (QuarryTodoPagedPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quarry_todo_paged_page_dispose;
  object_class->get_property = quarry_todo_paged_page_get_property;
  object_class->set_property = quarry_todo_paged_page_set_property;

  /* The server's todos; set once. */
  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL,
                         QUARRY_TYPE_TODO_SERVICE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The page's query, once there is an service. */
  properties[PROP_QUERY] =
    g_param_spec_object ("query", NULL, NULL,
                         QUARRY_TYPE_QUERY,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QUARRY_TYPE_QUERY_VIEW);
  g_type_ensure (QUARRY_TYPE_PAGINATION_BAR);
  g_type_ensure (QUARRY_TYPE_TODO_SUMMARY_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Quarry/Todo/quarry-todo-paged-page.ui");
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoPagedPage, view);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoPagedPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoPagedPage, pagination_bar);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoPagedPage, range_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "quarrytodopagedpage");
}

static void
quarry_todo_paged_page_init (QuarryTodoPagedPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
quarry_todo_paged_page_new (void)
{
  return g_object_new (QUARRY_TYPE_TODO_PAGED_PAGE, NULL);
}

QuarryTodoService *
quarry_todo_paged_page_get_service (QuarryTodoPagedPage *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_PAGED_PAGE (self), NULL);
  return self->service;
}

void
quarry_todo_paged_page_set_service (QuarryTodoPagedPage *self,
                                    QuarryTodoService   *service)
{
  g_autoptr(QuarryKey) base_key = NULL;
  GtkNoSelection *selection;

  g_return_if_fail (QUARRY_IS_TODO_PAGED_PAGE (self));
  g_return_if_fail (QUARRY_IS_TODO_SERVICE (service));
  g_return_if_fail (self->service == NULL);

  self->service = g_object_ref (service);
  self->query = quarry_todo_service_new_page_query (service);
  self->model = quarry_keyed_list_model_new (self->query, G_TYPE_NONE);
  quarry_keyed_list_model_set_items_member (self->model, "items");
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update_range),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->query, "notify::data", G_CALLBACK (update_range),
                           self, G_CONNECT_SWAPPED);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  base_key = quarry_key_new_from_string ("[\"todos\", \"pages\"]", NULL);
  quarry_pagination_bar_set_base_key (self->pagination_bar, base_key);
  quarry_pagination_bar_set_query (self->pagination_bar, self->query);

  quarry_query_view_set_model (self->view, G_LIST_MODEL (self->model));
  quarry_query_view_set_query (self->view, self->query);
  update_range (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

QuarryQuery *
quarry_todo_paged_page_get_query (QuarryTodoPagedPage *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_PAGED_PAGE (self), NULL);
  return self->query;
}
