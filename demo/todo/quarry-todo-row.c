/* quarry-todo-row.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "quarry-todo-row.h"

/*
 * QuarryTodoRow:
 *
 * A row of the todo list: a check button that marks the todo done, its
 * title (click to rename, Enter to save, Escape to cancel) and a delete
 * button. A todo the server has not created yet (a temporary id) changes
 * like any other. The focus entering the row selects it (`todo.select`).
 *
 * The title is a flat button that turns into an entry, not a
 * GtkEditableLabel: in GTK 4.8 a GtkEditableLabel that loses the focus
 * leaves a 100 ms timeout behind that outlives it (the row can be
 * destroyed meanwhile, and the timeout then uses a freed controller).
 *
 * The row keeps no state of its own: it shows its
 * [property@TodoRow:item] through bindings, and asks for changes with the
 * widget actions `todo.set-done (xb)`, `todo.rename (xs)` and
 * `todo.delete (x)`, which a widget above it implements. The changes come
 * back through the item.
 */

struct _QuarryTodoRow
{
  GtkWidget parent_instance;

  GtkCheckButton *check;
  GtkStack *title_stack;
  GtkButton *title_button;
  GtkLabel *title_label;
  GtkEntry *title_entry;
  GtkSpinner *spinner;
  GtkButton *delete_button;

  QuarryTodoItem *item;
  GBinding *done_binding;
  GBinding *title_binding;
  GBinding *pending_binding;
  gulong title_handler;
  gboolean editing;
};

G_DEFINE_FINAL_TYPE (QuarryTodoRow, quarry_todo_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Each row's buttons say which todo they act on. */
static void
update_accessible_labels (QuarryTodoRow *self)
{
  const char *title = self->item != NULL ? quarry_todo_item_get_title (self->item) : NULL;
  g_autofree char *done = NULL;
  g_autofree char *rename = NULL;
  g_autofree char *delete = NULL;

  if (title == NULL)
    title = "";

  /* Translators: the accessible name of a todo's check button; %s is its title. */
  done = g_strdup_printf (_("Mark “%s” as done"), title);
  /* Translators: the accessible name of a todo's title, a button that starts renaming it; %s is the title. */
  rename = g_strdup_printf (_("Rename “%s”"), title);
  /* Translators: the accessible name of a todo's delete button; %s is its title. */
  delete = g_strdup_printf (_("Delete “%s”"), title);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check), GTK_ACCESSIBLE_PROPERTY_LABEL, done, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->title_button), GTK_ACCESSIBLE_PROPERTY_LABEL, rename, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->delete_button), GTK_ACCESSIBLE_PROPERTY_LABEL, delete, -1);
}

static void
on_focus_enter_cb (QuarryTodoRow           *self,
                   GtkEventControllerFocus *controller)
{
  if (self->item != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "todo.select", "x", quarry_todo_item_get_id (self->item));
}

static void
on_check_toggled_cb (QuarryTodoRow  *self,
                     GtkCheckButton *check)
{
  gboolean active = gtk_check_button_get_active (check);

  /* The binding from the item sets the same value: only the user's
   * clicks differ from the item. */
  if (self->item == NULL || active == quarry_todo_item_get_done (self->item))
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "todo.set-done", "(xb)",
                              quarry_todo_item_get_id (self->item), active);
}

static void
start_editing (QuarryTodoRow *self)
{
  if (self->item == NULL || self->editing)
    return;

  self->editing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), quarry_todo_item_get_title (self->item));
  gtk_stack_set_visible_child (self->title_stack, GTK_WIDGET (self->title_entry));
  gtk_widget_grab_focus (GTK_WIDGET (self->title_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->title_entry), 0, -1);
}

/* Back to the label; with @commit, asks to rename the todo to what the
 * entry says. */
static void
stop_editing (QuarryTodoRow *self,
              gboolean       commit)
{
  g_autofree char *title = NULL;
  gboolean had_focus;

  /* Hiding the entry moves the focus, which comes back here. */
  if (!self->editing)
    return;
  self->editing = FALSE;

  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_entry))));
  had_focus = gtk_widget_has_focus (GTK_WIDGET (self->title_entry)) ||
              gtk_widget_get_focus_child (GTK_WIDGET (self->title_entry)) != NULL;
  gtk_stack_set_visible_child (self->title_stack, GTK_WIDGET (self->title_button));
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->title_button));

  if (!commit || self->item == NULL || g_strcmp0 (title, quarry_todo_item_get_title (self->item)) == 0)
    return;

  if (title[0] == '\0')
    {
      /* A todo needs a title: it keeps the one it has. */
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  gtk_widget_activate_action (GTK_WIDGET (self), "todo.rename", "(xs)",
                              quarry_todo_item_get_id (self->item), title);
}

static void
on_title_clicked_cb (QuarryTodoRow *self,
                     GtkButton     *button)
{
  start_editing (self);
}

static void
on_title_activate_cb (QuarryTodoRow *self,
                      GtkEntry      *entry)
{
  stop_editing (self, TRUE);
}

static void
on_title_focus_leave_cb (QuarryTodoRow           *self,
                         GtkEventControllerFocus *controller)
{
  stop_editing (self, TRUE);
}

static gboolean
on_title_key_pressed_cb (QuarryTodoRow         *self,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         GtkEventControllerKey *controller)
{
  if (keyval != GDK_KEY_Escape)
    return GDK_EVENT_PROPAGATE;

  stop_editing (self, FALSE);
  return GDK_EVENT_STOP;
}

static void
on_delete_clicked_cb (QuarryTodoRow *self,
                      GtkButton     *button)
{
  if (self->item == NULL)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "todo.delete", "x",
                              quarry_todo_item_get_id (self->item));
}

static void
quarry_todo_row_dispose (GObject *object)
{
  QuarryTodoRow *self = (QuarryTodoRow *)object;
  GtkWidget *child;

  quarry_todo_row_set_item (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUARRY_TYPE_TODO_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (quarry_todo_row_parent_class)->dispose (object);
}

static void
quarry_todo_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  QuarryTodoRow *self = QUARRY_TODO_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, quarry_todo_row_get_item (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  QuarryTodoRow *self = QUARRY_TODO_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      quarry_todo_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_row_class_init (QuarryTodoRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quarry_todo_row_dispose;
  object_class->get_property = quarry_todo_row_get_property;
  object_class->set_property = quarry_todo_row_set_property;

  /* The todo the row shows. */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         QUARRY_TYPE_TODO_ITEM,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Quarry/Todo/quarry-todo-row.ui");
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoRow, check);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoRow, title_stack);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoRow, title_button);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoRow, title_entry);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoRow, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, on_check_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_title_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_title_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_title_focus_leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_title_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_focus_enter_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "quarrytodorow");
}

static void
quarry_todo_row_init (QuarryTodoRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_accessible_labels (self);
}

GtkWidget *
quarry_todo_row_new (void)
{
  return g_object_new (QUARRY_TYPE_TODO_ROW, NULL);
}

QuarryTodoItem *
quarry_todo_row_get_item (QuarryTodoRow *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_ROW (self), NULL);
  return self->item;
}

void
quarry_todo_row_set_item (QuarryTodoRow  *self,
                          QuarryTodoItem *item)
{
  g_return_if_fail (QUARRY_IS_TODO_ROW (self));
  g_return_if_fail (item == NULL || QUARRY_IS_TODO_ITEM (item));

  if (self->item == item)
    return;

  g_clear_pointer (&self->done_binding, g_binding_unbind);
  g_clear_pointer (&self->title_binding, g_binding_unbind);
  g_clear_pointer (&self->pending_binding, g_binding_unbind);
  if (self->item != NULL)
    g_clear_signal_handler (&self->title_handler, self->item);

  /* A recycled row leaves an edit of the todo it showed before. */
  stop_editing (self, FALSE);

  g_set_object (&self->item, item);

  if (item != NULL)
    {
      self->done_binding = g_object_bind_property (item, "done", self->check, "active",
                                                   G_BINDING_SYNC_CREATE);
      self->title_binding = g_object_bind_property (item, "title", self->title_label, "label",
                                                    G_BINDING_SYNC_CREATE);
      self->pending_binding = g_object_bind_property (item, "pending", self->spinner, "spinning",
                                                      G_BINDING_SYNC_CREATE);
      self->title_handler = g_signal_connect_object (item, "notify::title", G_CALLBACK (update_accessible_labels),
                                                     self, G_CONNECT_SWAPPED);
    }
  else
    gtk_spinner_set_spinning (self->spinner, FALSE);

  update_accessible_labels (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
