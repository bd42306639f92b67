/* quarry-todo-window.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <quarry-gtk.h>

#include "quarry-todo-all-page.h"
#include "quarry-todo-list-page.h"
#include "quarry-todo-notification.h"
#include "quarry-todo-paged-page.h"
#include "quarry-todo-simulation-popover.h"
#include "quarry-todo-window.h"

/*
 * QuarryTodoWindow:
 *
 * The main window: three pages in a stack, switched from the header bar
 * ("Todos", "All Todos", "Pages"); a spinner in the header bar while
 * anything loads in the background; the simulation popover; a
 * banner while the app is offline, with the number of changes waiting; and
 * a notification when a change failed and was rolled back.
 */

struct _QuarryTodoWindow
{
  GtkApplicationWindow parent_instance;

  GtkStack *stack;
  QuarryTodoListPage *list_page;
  QuarryTodoAllPage *all_page;
  QuarryTodoPagedPage *paged_page;
  QuarryFetchingIndicator *fetching_indicator;
  GtkMenuButton *simulation_button;
  QuarryTodoSimulationPopover *simulation_popover;
  GtkRevealer *offline_revealer;
  GtkLabel *offline_label;
  QuarryTodoNotification *notification;

  QuarryTodoService *service;
};

G_DEFINE_FINAL_TYPE (QuarryTodoWindow, quarry_todo_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_offline_banner (QuarryTodoWindow *self)
{
  gboolean offline = quarry_todo_service_get_offline (self->service);
  guint n_paused = quarry_todo_service_get_n_paused (self->service);
  g_autofree char *text = NULL;

  if (n_paused == 0)
    text = g_strdup (_("Offline — changes will be sent when you are back online"));
  else
    /* Translators: the banner shown while offline; %u is how many changes wait. */
    text = g_strdup_printf (ngettext ("Offline — changes will be sent when you are back online (%u change waiting)",
                                      "Offline — changes will be sent when you are back online (%u changes waiting)",
                                      n_paused),
                            n_paused);

  gtk_label_set_label (self->offline_label, text);
  gtk_revealer_set_reveal_child (self->offline_revealer, offline);
}

static void
on_failed_cb (QuarryTodoWindow  *self,
              const char        *message,
              QuarryTodoService *service)
{
  quarry_todo_notification_show (self->notification, message);
}

static void
find_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  QuarryTodoWindow *self = user_data;

  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->list_page));
  quarry_todo_list_page_focus_search (self->list_page);
}

static void
go_online_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  QuarryTodoWindow *self = user_data;

  quarry_todo_service_set_offline (self->service, FALSE);
}

static void
quarry_todo_window_constructed (GObject *object)
{
  QuarryTodoWindow *self = (QuarryTodoWindow *)object;
  QuarryQueryClient *client;

  G_OBJECT_CLASS (quarry_todo_window_parent_class)->constructed (object);

  g_assert (self->service != NULL);
  client = quarry_todo_service_get_client (self->service);

  quarry_todo_list_page_set_service (self->list_page, self->service);
  quarry_todo_all_page_set_service (self->all_page, self->service);
  quarry_todo_paged_page_set_service (self->paged_page, self->service);
  quarry_todo_simulation_popover_set_service (self->simulation_popover, self->service);
  quarry_fetching_indicator_set_client (self->fetching_indicator, client);

  g_signal_connect_object (self->service, "failed", G_CALLBACK (on_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->service, "notify::n-paused", G_CALLBACK (update_offline_banner),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->service, "notify::offline", G_CALLBACK (update_offline_banner),
                           self, G_CONNECT_SWAPPED);
  update_offline_banner (self);
}

static void
quarry_todo_window_dispose (GObject *object)
{
  QuarryTodoWindow *self = (QuarryTodoWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), QUARRY_TYPE_TODO_WINDOW);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (quarry_todo_window_parent_class)->dispose (object);
}

static void
quarry_todo_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  QuarryTodoWindow *self = QUARRY_TODO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_window_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  QuarryTodoWindow *self = QUARRY_TODO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_window_class_init (QuarryTodoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = quarry_todo_window_constructed;
  object_class->dispose = quarry_todo_window_dispose;
  object_class->get_property = quarry_todo_window_get_property;
  object_class->set_property = quarry_todo_window_set_property;

  /* The server's todos. */
  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL,
                         QUARRY_TYPE_TODO_SERVICE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QUARRY_TYPE_FETCHING_INDICATOR);
  g_type_ensure (QUARRY_TYPE_TODO_ALL_PAGE);
  g_type_ensure (QUARRY_TYPE_TODO_LIST_PAGE);
  g_type_ensure (QUARRY_TYPE_TODO_NOTIFICATION);
  g_type_ensure (QUARRY_TYPE_TODO_PAGED_PAGE);
  g_type_ensure (QUARRY_TYPE_TODO_SIMULATION_POPOVER);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Quarry/Todo/quarry-todo-window.ui");
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoWindow, list_page);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoWindow, all_page);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoWindow, paged_page);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoWindow, fetching_indicator);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoWindow, simulation_button);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoWindow, simulation_popover);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoWindow, notification);
}

static const GActionEntry actions[] = {
  { .name = "find", .activate = find_action },
  { .name = "go-online", .activate = go_online_action },
};

static void
quarry_todo_window_init (QuarryTodoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
}

QuarryTodoWindow *
quarry_todo_window_new (GtkApplication    *application,
                        QuarryTodoService *service)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (QUARRY_IS_TODO_SERVICE (service), NULL);

  return g_object_new (QUARRY_TYPE_TODO_WINDOW,
                       "application", application,
                       "service", service,
                       NULL);
}

QuarryTodoService *
quarry_todo_window_get_service (QuarryTodoWindow *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_WINDOW (self), NULL);
  return self->service;
}
