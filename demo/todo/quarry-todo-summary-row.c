/* quarry-todo-summary-row.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "quarry-todo-summary-row.h"

/*
 * QuarryTodoSummaryRow:
 *
 * A read-only row for the browsing pages ("All Todos", "Pages"): whether
 * the todo is done, its title and its number. Its
 * [property@TodoSummaryRow:item] is the todo's JSON (a QuarryJsonItem, the
 * items of an infinite query), and the row follows it, so a refetch that
 * changes the todo shows in place.
 */

struct _QuarryTodoSummaryRow
{
  GtkWidget parent_instance;

  GtkImage *done_icon;
  GtkLabel *title_label;
  GtkLabel *id_label;

  QuarryJsonItem *item;
  gulong notify_handler;
};

G_DEFINE_FINAL_TYPE (QuarryTodoSummaryRow, quarry_todo_summary_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (QuarryTodoSummaryRow *self)
{
  g_autofree char *number = NULL;
  g_autofree char *id = NULL;
  gboolean done;

  if (self->item == NULL)
    return;

  done = quarry_json_item_get_boolean (self->item, "done");
  number = g_strdup_printf ("%" G_GINT64_FORMAT, quarry_json_item_get_int (self->item, "id"));
  /* Translators: a todo's number, as in "#17". */
  id = g_strdup_printf (_("#%s"), number);

  gtk_image_set_from_icon_name (self->done_icon, done ? "checkbox-checked-symbolic" : "checkbox-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->done_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, done ? _("Done") : _("Open"),
                                  -1);
  gtk_label_set_label (self->title_label, quarry_json_item_get_string (self->item, "title"));
  gtk_label_set_label (self->id_label, id);
  if (done)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "dim-label");
}

static void
quarry_todo_summary_row_dispose (GObject *object)
{
  QuarryTodoSummaryRow *self = (QuarryTodoSummaryRow *)object;
  GtkWidget *child;

  quarry_todo_summary_row_set_item (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUARRY_TYPE_TODO_SUMMARY_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (quarry_todo_summary_row_parent_class)->dispose (object);
}

static void
quarry_todo_summary_row_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  QuarryTodoSummaryRow *self = QUARRY_TODO_SUMMARY_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, quarry_todo_summary_row_get_item (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_summary_row_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  QuarryTodoSummaryRow *self = QUARRY_TODO_SUMMARY_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      quarry_todo_summary_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_summary_row_class_init (QuarryTodoSummaryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quarry_todo_summary_row_dispose;
  object_class->get_property = quarry_todo_summary_row_get_property;
  object_class->set_property = quarry_todo_summary_row_set_property;

  /* The todo the row shows. */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         QUARRY_TYPE_JSON_ITEM,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Quarry/Todo/quarry-todo-summary-row.ui");
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoSummaryRow, done_icon);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoSummaryRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoSummaryRow, id_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "quarrytodosummaryrow");
}

static void
quarry_todo_summary_row_init (QuarryTodoSummaryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
quarry_todo_summary_row_new (void)
{
  return g_object_new (QUARRY_TYPE_TODO_SUMMARY_ROW, NULL);
}

QuarryJsonItem *
quarry_todo_summary_row_get_item (QuarryTodoSummaryRow *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SUMMARY_ROW (self), NULL);
  return self->item;
}

void
quarry_todo_summary_row_set_item (QuarryTodoSummaryRow *self,
                                  QuarryJsonItem       *item)
{
  g_return_if_fail (QUARRY_IS_TODO_SUMMARY_ROW (self));
  g_return_if_fail (item == NULL || QUARRY_IS_JSON_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_clear_signal_handler (&self->notify_handler, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    self->notify_handler = g_signal_connect_object (item, "notify::node", G_CALLBACK (update),
                                                    self, G_CONNECT_SWAPPED);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
