/* quarry-todo-detail.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "quarry-todo-detail.h"

/*
 * QuarryTodoDetail:
 *
 * The pane beside the list: the selected todo's title, whether it is done,
 * and when it was created and last changed, from the query of that todo
 * alone (`["todos", "detail", {"id": …}]`). The list page gives that query
 * the list's copy of the todo as initial data (or, while a change of it is
 * pending, as placeholder data), so the pane fills at once and then
 * refreshes from `GET /todos/{id}` in the background.
 */

struct _QuarryTodoDetail
{
  GtkWidget parent_instance;

  QuarryQueryView *view;
  GtkLabel *title_label;
  GtkImage *status_icon;
  GtkLabel *status_label;
  GtkLabel *created_label;
  GtkLabel *updated_label;
  GtkLabel *id_label;
  GtkLabel *pending_label;

  QuarryQuery *query;
  gulong data_handler;
};

G_DEFINE_FINAL_TYPE (QuarryTodoDetail, quarry_todo_detail, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_QUERY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_time (JsonObject *todo,
             const char *member)
{
  const char *text = json_object_get_string_member_with_default (todo, member, NULL);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (text == NULL)
    return g_strdup ("—");
  utc = g_date_time_new_from_iso8601 (text, NULL);
  if (utc == NULL)
    return g_strdup (text);
  local = g_date_time_to_local (utc);
  /* Translators: when a todo was created or changed; see the format
   * specifiers of g_date_time_format(). */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M"));
}

static void
update (QuarryTodoDetail *self)
{
  const GValue *value = self->query != NULL ? quarry_query_get_value (self->query) : NULL;
  JsonNode *node = value != NULL && G_VALUE_HOLDS (value, JSON_TYPE_NODE) ? g_value_get_boxed (value) : NULL;
  JsonObject *todo;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *id = NULL;
  gboolean done;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  todo = json_node_get_object (node);
  done = json_object_get_boolean_member_with_default (todo, "done", FALSE);
  created = format_time (todo, "created_at");
  updated = format_time (todo, "updated_at");
  /* A todo the server has not created yet has no number. */
  if (json_object_get_int_member_with_default (todo, "id", 0) > 0)
    id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (todo, "id"));
  else
    id = g_strdup ("—");

  gtk_label_set_label (self->title_label, json_object_get_string_member_with_default (todo, "title", ""));
  gtk_image_set_from_icon_name (self->status_icon, done ? "object-select-symbolic" : "radio-symbolic");
  gtk_label_set_label (self->status_label, done ? _("Done") : _("Open"));
  gtk_label_set_label (self->created_label, created);
  gtk_label_set_label (self->updated_label, updated);
  gtk_label_set_label (self->id_label, id);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_label),
                          json_object_get_boolean_member_with_default (todo, "pending", FALSE));
}

static void
quarry_todo_detail_dispose (GObject *object)
{
  QuarryTodoDetail *self = (QuarryTodoDetail *)object;
  GtkWidget *child;

  quarry_todo_detail_set_query (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUARRY_TYPE_TODO_DETAIL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (quarry_todo_detail_parent_class)->dispose (object);
}

static void
quarry_todo_detail_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  QuarryTodoDetail *self = QUARRY_TODO_DETAIL (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_object (value, quarry_todo_detail_get_query (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_detail_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  QuarryTodoDetail *self = QUARRY_TODO_DETAIL (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      quarry_todo_detail_set_query (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_detail_class_init (QuarryTodoDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quarry_todo_detail_dispose;
  object_class->get_property = quarry_todo_detail_get_property;
  object_class->set_property = quarry_todo_detail_set_property;

  /* The query of the todo on show; without a key, nothing is selected. */
  properties[PROP_QUERY] =
    g_param_spec_object ("query", NULL, NULL,
                         QUARRY_TYPE_QUERY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QUARRY_TYPE_QUERY_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Quarry/Todo/quarry-todo-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoDetail, view);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoDetail, status_icon);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoDetail, created_label);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoDetail, updated_label);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoDetail, id_label);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoDetail, pending_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "quarrytododetail");
}

static void
quarry_todo_detail_init (QuarryTodoDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
quarry_todo_detail_new (void)
{
  return g_object_new (QUARRY_TYPE_TODO_DETAIL, NULL);
}

QuarryQuery *
quarry_todo_detail_get_query (QuarryTodoDetail *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_DETAIL (self), NULL);
  return self->query;
}

void
quarry_todo_detail_set_query (QuarryTodoDetail *self,
                              QuarryQuery      *query)
{
  g_return_if_fail (QUARRY_IS_TODO_DETAIL (self));
  g_return_if_fail (query == NULL || QUARRY_IS_QUERY (query));

  if (self->query == query)
    return;

  if (self->query != NULL)
    g_clear_signal_handler (&self->data_handler, self->query);
  g_set_object (&self->query, query);
  if (query != NULL)
    self->data_handler = g_signal_connect_object (query, "notify::data", G_CALLBACK (update),
                                                  self, G_CONNECT_SWAPPED);

  if (self->view != NULL)
    quarry_query_view_set_query (self->view, query);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}
