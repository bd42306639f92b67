/* quarry-todo-notification.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-todo-notification.h"

/*
 * QuarryTodoNotification:
 *
 * An in-app notification: a message and a close button that slide up at
 * the bottom of the window, and hide again after a few seconds (GTK 4.8
 * has no AdwToast). Put it in a GtkOverlay over the content. A new message
 * replaces the one on show and restarts the countdown.
 */

#define DEFAULT_TIMEOUT 6

struct _QuarryTodoNotification
{
  GtkWidget parent_instance;

  GtkRevealer *revealer;
  GtkLabel *label;
  GtkButton *close_button;

  char *message;
  guint timeout;
  guint timeout_id;
};

G_DEFINE_FINAL_TYPE (QuarryTodoNotification, quarry_todo_notification, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MESSAGE,
  PROP_TIMEOUT,
  PROP_REVEALED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
timeout_cb (gpointer user_data)
{
  QuarryTodoNotification *self = user_data;

  self->timeout_id = 0;
  quarry_todo_notification_dismiss (self);
  return G_SOURCE_REMOVE;
}

static void
on_close_clicked_cb (QuarryTodoNotification *self,
                     GtkButton              *button)
{
  quarry_todo_notification_dismiss (self);
}

static void
on_child_revealed_cb (QuarryTodoNotification *self,
                      GParamSpec             *pspec,
                      GtkRevealer            *revealer)
{
  /* Out of the way of the content below once hidden. */
  if (!gtk_revealer_get_child_revealed (revealer) && !gtk_revealer_get_reveal_child (revealer))
    gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static void
quarry_todo_notification_dispose (GObject *object)
{
  QuarryTodoNotification *self = (QuarryTodoNotification *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUARRY_TYPE_TODO_NOTIFICATION);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (quarry_todo_notification_parent_class)->dispose (object);
}

static void
quarry_todo_notification_finalize (GObject *object)
{
  QuarryTodoNotification *self = (QuarryTodoNotification *)object;

  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (quarry_todo_notification_parent_class)->finalize (object);
}

static void
quarry_todo_notification_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  QuarryTodoNotification *self = QUARRY_TODO_NOTIFICATION (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_string (value, quarry_todo_notification_get_message (self));
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, quarry_todo_notification_get_timeout (self));
      break;
    case PROP_REVEALED:
      g_value_set_boolean (value, gtk_revealer_get_reveal_child (self->revealer));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_notification_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  QuarryTodoNotification *self = QUARRY_TODO_NOTIFICATION (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      quarry_todo_notification_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_notification_class_init (QuarryTodoNotificationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quarry_todo_notification_dispose;
  object_class->finalize = quarry_todo_notification_finalize;
  object_class->get_property = quarry_todo_notification_get_property;
  object_class->set_property = quarry_todo_notification_set_property;

  /* The message on show, or the last one. */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Seconds before the notification hides by itself; 0 for never. */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, DEFAULT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Whether a message is on show. */
  properties[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Quarry/Todo/quarry-todo-notification.ui");
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoNotification, revealer);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoNotification, label);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoNotification, close_button);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_child_revealed_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "quarrytodonotification");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);
}

static void
quarry_todo_notification_init (QuarryTodoNotification *self)
{
  self->timeout = DEFAULT_TIMEOUT;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
quarry_todo_notification_new (void)
{
  return g_object_new (QUARRY_TYPE_TODO_NOTIFICATION, NULL);
}

const char *
quarry_todo_notification_get_message (QuarryTodoNotification *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_NOTIFICATION (self), NULL);
  return self->message;
}

guint
quarry_todo_notification_get_timeout (QuarryTodoNotification *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_NOTIFICATION (self), 0);
  return self->timeout;
}

void
quarry_todo_notification_set_timeout (QuarryTodoNotification *self,
                                      guint                   timeout)
{
  g_return_if_fail (QUARRY_IS_TODO_NOTIFICATION (self));

  if (self->timeout == timeout)
    return;
  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * quarry_todo_notification_show:
 * @self: a notification
 * @message: what to say
 *
 * Shows @message in place of any message on show, for the timeout.
 */
void
quarry_todo_notification_show (QuarryTodoNotification *self,
                               const char             *message)
{
  gboolean was_revealed;

  g_return_if_fail (QUARRY_IS_TODO_NOTIFICATION (self));
  g_return_if_fail (message != NULL);

  was_revealed = gtk_revealer_get_reveal_child (self->revealer);

  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      gtk_label_set_label (self->label, message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }

  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, message,
                                  -1);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->timeout > 0)
    self->timeout_id = g_timeout_add_seconds (self->timeout, timeout_cb, self);

  if (!was_revealed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}

/**
 * quarry_todo_notification_dismiss:
 * @self: a notification
 *
 * Hides the message on show.
 */
void
quarry_todo_notification_dismiss (QuarryTodoNotification *self)
{
  g_return_if_fail (QUARRY_IS_TODO_NOTIFICATION (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (!gtk_revealer_get_reveal_child (self->revealer))
    return;
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}
