/* quarry-todo-all-page.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "quarry-todo-all-page.h"
#include "quarry-todo-summary-row.h"

/*
 * QuarryTodoAllPage:
 *
 * The "All Todos" page: every todo on the server, 50 at a time, loaded as
 * the list is scrolled (a QuarryInfiniteQuery following the server's
 * cursors, in a QuarryInfiniteListView), one QuarryJsonItem per todo.
 *
 * The view shows the query's own items: with another model (a
 * QuarryKeyedListModel of the query), QuarryInfiniteListView shows its
 * "Load more" row before the items arrive, GtkListView keeps that row in
 * view as the items are inserted above it, and the view loads every page.
 */

struct _QuarryTodoAllPage
{
  GtkWidget parent_instance;

  QuarryQueryView *view;
  QuarryInfiniteListView *list;
  GtkLabel *status_label;

  QuarryTodoService *service;
  QuarryInfiniteQuery *query;
};

G_DEFINE_FINAL_TYPE (QuarryTodoAllPage, quarry_todo_all_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_QUERY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_status (QuarryTodoAllPage *self)
{
  QuarryInfiniteData *data = quarry_infinite_query_get_data (self->query);
  guint n_loaded = g_list_model_get_n_items (quarry_infinite_query_get_items (self->query));
  g_autofree char *text = NULL;
  gint64 total = 0;

  if (data != NULL && quarry_infinite_data_get_n_pages (data) > 0)
    {
      const GValue *first = quarry_infinite_data_get_page (data, 0);
      JsonNode *node = G_VALUE_HOLDS (first, JSON_TYPE_NODE) ? g_value_get_boxed (first) : NULL;

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        total = json_object_get_int_member_with_default (json_node_get_object (node), "total", 0);
    }

  if (data == NULL)
    {
      gtk_label_set_label (self->status_label, "");
      return;
    }

  total = CLAMP (total, 0, G_MAXINT);
  /* Translators: "150 of 10000 todos loaded". */
  text = g_strdup_printf (ngettext ("%u of %d todo loaded", "%u of %d todos loaded", (int) total),
                          n_loaded, (int) total);
  gtk_label_set_label (self->status_label, text);
}

static void
quarry_todo_all_page_dispose (GObject *object)
{
  QuarryTodoAllPage *self = (QuarryTodoAllPage *)object;
  GtkWidget *child;

  if (self->view != NULL)
    {
      quarry_query_view_set_model (self->view, NULL);
      quarry_query_view_set_query (self->view, NULL);
    }
  if (self->list != NULL)
    quarry_infinite_list_view_set_query (self->list, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), QUARRY_TYPE_TODO_ALL_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->query);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (quarry_todo_all_page_parent_class)->dispose (object);
}

static void
quarry_todo_all_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  QuarryTodoAllPage *self = QUARRY_TODO_ALL_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, quarry_todo_all_page_get_service (self));
      break;
    case PROP_QUERY:
      g_value_set_object (value, quarry_todo_all_page_get_query (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_all_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  QuarryTodoAllPage *self = QUARRY_TODO_ALL_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      quarry_todo_all_page_set_service (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_all_page_class_init (QuarryTodoAllPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quarry_todo_all_page_dispose;
  object_class->get_property = quarry_todo_all_page_get_property;
  object_class->set_property = quarry_todo_all_page_set_property;

  /* The server's todos; set once. */
  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL,
                         QUARRY_TYPE_TODO_SERVICE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The page's infinite query, once there is an service. */
  properties[PROP_QUERY] =
    g_param_spec_object ("query", NULL, NULL,
                         QUARRY_TYPE_INFINITE_QUERY,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QUARRY_TYPE_QUERY_VIEW);
  g_type_ensure (QUARRY_TYPE_INFINITE_LIST_VIEW);
  g_type_ensure (QUARRY_TYPE_TODO_SUMMARY_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Quarry/Todo/quarry-todo-all-page.ui");
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoAllPage, view);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoAllPage, list);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoAllPage, status_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "quarrytodoallpage");
}

static void
quarry_todo_all_page_init (QuarryTodoAllPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
quarry_todo_all_page_new (void)
{
  return g_object_new (QUARRY_TYPE_TODO_ALL_PAGE, NULL);
}

QuarryTodoService *
quarry_todo_all_page_get_service (QuarryTodoAllPage *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_ALL_PAGE (self), NULL);
  return self->service;
}

void
quarry_todo_all_page_set_service (QuarryTodoAllPage *self,
                                  QuarryTodoService *service)
{
  g_return_if_fail (QUARRY_IS_TODO_ALL_PAGE (self));
  g_return_if_fail (QUARRY_IS_TODO_SERVICE (service));
  g_return_if_fail (self->service == NULL);

  self->service = g_object_ref (service);
  self->query = quarry_todo_service_new_all_query (service);
  g_signal_connect_object (quarry_infinite_query_get_items (self->query), "items-changed",
                           G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->query, "notify::data", G_CALLBACK (update_status),
                           self, G_CONNECT_SWAPPED);

  quarry_infinite_list_view_set_query (self->list, self->query);
  quarry_query_view_set_model (self->view, quarry_infinite_query_get_items (self->query));
  quarry_query_view_set_query (self->view, QUARRY_QUERY (self->query));
  update_status (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

QuarryInfiniteQuery *
quarry_todo_all_page_get_query (QuarryTodoAllPage *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_ALL_PAGE (self), NULL);
  return self->query;
}
