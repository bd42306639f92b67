/* quarry-todo-simulation-popover.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "quarry-todo-simulation-popover.h"

/*
 * QuarryTodoSimulationPopover:
 *
 * Makes the server slow or unreliable, and the app offline, to show what
 * Quarry does then:
 *
 * - the latency and the failure rate are the server's own settings,
 *   changed with `PATCH /settings` (so they also work with a server given
 *   by `--server`), a moment after the last change of the controls;
 * - "Offline" sets the client offline: queries and changes pause, and the
 *   changes are sent in order once the client is online again (see
 *   quarry_todo_service_set_offline()).
 */

#define APPLY_DELAY_MS 250

struct _QuarryTodoSimulationPopover
{
  GtkPopover parent_instance;

  GtkSpinButton *latency_spin;
  GtkScale *fail_scale;
  GtkSwitch *offline_switch;

  QuarryTodoService *service;
  QuarryQuery *settings;
  guint apply_id;
  gboolean updating;
};

G_DEFINE_FINAL_TYPE (QuarryTodoSimulationPopover, quarry_todo_simulation_popover, GTK_TYPE_POPOVER)

enum {
  PROP_0,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The controls show the server's settings. */
static void
update_controls (QuarryTodoSimulationPopover *self)
{
  const GValue *value = quarry_query_get_value (self->settings);
  JsonNode *node = value != NULL && G_VALUE_HOLDS (value, JSON_TYPE_NODE) ? g_value_get_boxed (value) : NULL;
  JsonObject *settings;

  /* Not while a change of the user's waits to be sent. */
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) || self->apply_id != 0)
    return;

  settings = json_node_get_object (node);
  self->updating = TRUE;
  gtk_spin_button_set_value (self->latency_spin,
                             json_object_get_int_member_with_default (settings, "latency_ms", 0));
  gtk_range_set_value (GTK_RANGE (self->fail_scale),
                       100.0 * json_object_get_double_member_with_default (settings, "fail_rate", 0.0));
  self->updating = FALSE;
}

static void
update_offline_switch (QuarryTodoSimulationPopover *self)
{
  self->updating = TRUE;
  gtk_switch_set_active (self->offline_switch, quarry_todo_service_get_offline (self->service));
  self->updating = FALSE;
}

static gboolean
apply_cb (gpointer user_data)
{
  QuarryTodoSimulationPopover *self = user_data;

  self->apply_id = 0;
  if (self->service != NULL)
    quarry_todo_service_update_settings (self->service,
                                     (guint) gtk_spin_button_get_value_as_int (self->latency_spin),
                                     gtk_range_get_value (GTK_RANGE (self->fail_scale)) / 100.0);
  return G_SOURCE_REMOVE;
}

static void
on_setting_changed_cb (QuarryTodoSimulationPopover *self)
{
  if (self->updating)
    return;

  g_clear_handle_id (&self->apply_id, g_source_remove);
  self->apply_id = g_timeout_add (APPLY_DELAY_MS, apply_cb, self);
}

static char *
format_percent_cb (GtkScale *scale,
                   double    value,
                   gpointer  user_data)
{
  /* Translators: a percentage, as in "25 %". */
  return g_strdup_printf (_("%.0f %%"), value);
}

static void
on_offline_changed_cb (QuarryTodoSimulationPopover *self,
                       GParamSpec                  *pspec,
                       GtkSwitch                   *offline_switch)
{
  if (self->updating || self->service == NULL)
    return;

  quarry_todo_service_set_offline (self->service, gtk_switch_get_active (offline_switch));
}

static void
quarry_todo_simulation_popover_dispose (GObject *object)
{
  QuarryTodoSimulationPopover *self = (QuarryTodoSimulationPopover *)object;

  g_clear_handle_id (&self->apply_id, g_source_remove);
  g_clear_object (&self->settings);
  g_clear_object (&self->service);

  gtk_widget_dispose_template (GTK_WIDGET (self), QUARRY_TYPE_TODO_SIMULATION_POPOVER);

  G_OBJECT_CLASS (quarry_todo_simulation_popover_parent_class)->dispose (object);
}

static void
quarry_todo_simulation_popover_get_property (GObject    *object,
                                             guint       prop_id,
                                             GValue     *value,
                                             GParamSpec *pspec)
{
  QuarryTodoSimulationPopover *self = QUARRY_TODO_SIMULATION_POPOVER (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, quarry_todo_simulation_popover_get_service (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_simulation_popover_set_property (GObject      *object,
                                             guint         prop_id,
                                             const GValue *value,
                                             GParamSpec   *pspec)
{
  QuarryTodoSimulationPopover *self = QUARRY_TODO_SIMULATION_POPOVER (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      quarry_todo_simulation_popover_set_service (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_simulation_popover_class_init (QuarryTodoSimulationPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quarry_todo_simulation_popover_dispose;
  object_class->get_property = quarry_todo_simulation_popover_get_property;
  object_class->set_property = quarry_todo_simulation_popover_set_property;

  /* The server to simulate with; set once. */
  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL,
                         QUARRY_TYPE_TODO_SERVICE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gnome/Quarry/Todo/quarry-todo-simulation-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoSimulationPopover, latency_spin);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoSimulationPopover, fail_scale);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoSimulationPopover, offline_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_setting_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_offline_changed_cb);
}

static void
quarry_todo_simulation_popover_init (QuarryTodoSimulationPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_scale_set_format_value_func (self->fail_scale, format_percent_cb, NULL, NULL);
}

GtkWidget *
quarry_todo_simulation_popover_new (void)
{
  return g_object_new (QUARRY_TYPE_TODO_SIMULATION_POPOVER, NULL);
}

QuarryTodoService *
quarry_todo_simulation_popover_get_service (QuarryTodoSimulationPopover *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SIMULATION_POPOVER (self), NULL);
  return self->service;
}

void
quarry_todo_simulation_popover_set_service (QuarryTodoSimulationPopover *self,
                                            QuarryTodoService           *service)
{
  g_return_if_fail (QUARRY_IS_TODO_SIMULATION_POPOVER (self));
  g_return_if_fail (QUARRY_IS_TODO_SERVICE (service));
  g_return_if_fail (self->service == NULL);

  self->service = g_object_ref (service);

  /* Fetched while the popover shows. */
  self->settings = quarry_todo_service_new_settings_query (service);
  quarry_gtk_tie_query (self->settings, GTK_WIDGET (self));
  g_signal_connect_object (self->settings, "notify::data", G_CALLBACK (update_controls),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (service, "notify::offline",
                           G_CALLBACK (update_offline_switch), self, G_CONNECT_SWAPPED);
  update_controls (self);
  update_offline_switch (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
}
