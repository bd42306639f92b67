/* quarry-fetching-indicator.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-gtk.h"
#include "quarry-gtk-i18n-private.h"

/**
 * QuarryFetchingIndicator:
 *
 * A spinner that shows while a client fetches anything, as TanStack's
 * global background-fetching indicator built on `useIsFetching`.
 *
 * The indicator is [property@FetchingIndicator:active] while the client's
 * [property@Quarry.QueryClient:is-fetching] count is not zero, and, with
 * [property@FetchingIndicator:include-mutations], while its
 * [property@Quarry.QueryClient:is-mutating] count is not zero either
 * (TanStack's `useIsMutating`). While active it shows a spinning spinner
 * whose tooltip and accessible label say “Loading…”, or “Saving…” while
 * mutations run; otherwise it shows nothing and takes no space.
 *
 * It fits the end of a header bar:
 *
 * ```xml
 * <object class="GtkHeaderBar">
 *   <child type="end">
 *     <object class="QuarryFetchingIndicator">
 *       <property name="client">client</property>
 *       <property name="include-mutations">true</property>
 *     </object>
 *   </child>
 * </object>
 * ```
 *
 * An application can also mark itself busy while the client fetches, so
 * that the desktop shows it:
 *
 * ```c
 * g_application_bind_busy_property (G_APPLICATION (app), client, "is-fetching");
 * ```
 *
 * ## CSS nodes
 *
 * `QuarryFetchingIndicator` has a single CSS node with name
 * `fetchingindicator`.
 *
 * ## Accessibility
 *
 * `QuarryFetchingIndicator` uses the `GTK_ACCESSIBLE_ROLE_STATUS` role.
 */

struct _QuarryFetchingIndicator
{
  GtkWidget parent_instance;

  QuarryQueryClient *client;
  gboolean include_mutations;
  gboolean active;

  /* Template children */
  GtkWidget *spinner;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_INCLUDE_MUTATIONS,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (QuarryFetchingIndicator, quarry_fetching_indicator, GTK_TYPE_WIDGET)

static void
update (QuarryFetchingIndicator *self)
{
  gboolean fetching = FALSE;
  gboolean mutating = FALSE;
  gboolean active;
  const char *text = NULL;

  if (self->client != NULL)
    {
      fetching = quarry_query_client_get_is_fetching (self->client) > 0;
      mutating = self->include_mutations &&
                 quarry_query_client_get_is_mutating (self->client) > 0;
    }

  active = fetching || mutating;

  /* Saving matters more to the user than loading: unsaved changes. */
  if (mutating)
    text = _("Saving…");
  else if (fetching)
    text = _("Loading…");

  gtk_widget_set_tooltip_text (self->spinner, text);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL);

  if (self->active == active)
    return;

  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
client_changed_cb (QuarryFetchingIndicator *self)
{
  update (self);
}

static void
quarry_fetching_indicator_dispose (GObject *object)
{
  QuarryFetchingIndicator *self = QUARRY_FETCHING_INDICATOR (object);

  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_clear_object (&self->client);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), QUARRY_TYPE_FETCHING_INDICATOR);

  G_OBJECT_CLASS (quarry_fetching_indicator_parent_class)->dispose (object);
}

static void
quarry_fetching_indicator_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  QuarryFetchingIndicator *self = QUARRY_FETCHING_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, quarry_fetching_indicator_get_client (self));
      break;
    case PROP_INCLUDE_MUTATIONS:
      g_value_set_boolean (value, quarry_fetching_indicator_get_include_mutations (self));
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, quarry_fetching_indicator_get_active (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_fetching_indicator_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  QuarryFetchingIndicator *self = QUARRY_FETCHING_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      quarry_fetching_indicator_set_client (self, g_value_get_object (value));
      break;
    case PROP_INCLUDE_MUTATIONS:
      quarry_fetching_indicator_set_include_mutations (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_fetching_indicator_class_init (QuarryFetchingIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  _quarry_gtk_i18n_init ();

  object_class->dispose = quarry_fetching_indicator_dispose;
  object_class->get_property = quarry_fetching_indicator_get_property;
  object_class->set_property = quarry_fetching_indicator_set_property;

  /**
   * QuarryFetchingIndicator:client: (getter get_client) (setter set_client)
   *
   * The client whose fetches the indicator shows.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, QUARRY_TYPE_QUERY_CLIENT, rw);

  /**
   * QuarryFetchingIndicator:include-mutations: (getter get_include_mutations) (setter set_include_mutations)
   *
   * Whether pending mutations make the indicator active too.
   */
  properties[PROP_INCLUDE_MUTATIONS] =
    g_param_spec_boolean ("include-mutations", NULL, NULL, FALSE, rw);

  /**
   * QuarryFetchingIndicator:active: (getter get_active)
   *
   * Whether the client fetches (or, with
   * [property@FetchingIndicator:include-mutations], mutates), so that the
   * spinner shows.
   */
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Quarry/Gtk/quarry-fetching-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, QuarryFetchingIndicator, spinner);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fetchingindicator");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
quarry_fetching_indicator_init (QuarryFetchingIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * quarry_fetching_indicator_new:
 * @client: (nullable): the client whose fetches to show
 *
 * Creates an indicator of @client's fetches.
 *
 * Returns: (transfer full): a new fetching indicator
 */
GtkWidget *
quarry_fetching_indicator_new (QuarryQueryClient *client)
{
  g_return_val_if_fail (client == NULL || QUARRY_IS_QUERY_CLIENT (client), NULL);

  return g_object_new (QUARRY_TYPE_FETCHING_INDICATOR,
                       "client", client,
                       NULL);
}

/**
 * quarry_fetching_indicator_get_client: (get-property client)
 * @self: a fetching indicator
 *
 * Gets the client whose fetches the indicator shows.
 *
 * Returns: (transfer none) (nullable): the client
 */
QuarryQueryClient *
quarry_fetching_indicator_get_client (QuarryFetchingIndicator *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCHING_INDICATOR (self), NULL);

  return self->client;
}

/**
 * quarry_fetching_indicator_set_client: (set-property client)
 * @self: a fetching indicator
 * @client: (nullable): a client
 *
 * Sets the client whose fetches the indicator shows.
 */
void
quarry_fetching_indicator_set_client (QuarryFetchingIndicator *self,
                                      QuarryQueryClient       *client)
{
  g_return_if_fail (QUARRY_IS_FETCHING_INDICATOR (self));
  g_return_if_fail (client == NULL || QUARRY_IS_QUERY_CLIENT (client));

  if (self->client == client)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_clear_object (&self->client);
    }

  if (client != NULL)
    {
      self->client = g_object_ref (client);
      g_signal_connect_object (client, "notify::is-fetching",
                               G_CALLBACK (client_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::is-mutating",
                               G_CALLBACK (client_changed_cb), self, G_CONNECT_SWAPPED);
    }

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quarry_fetching_indicator_get_include_mutations: (get-property include-mutations)
 * @self: a fetching indicator
 *
 * Gets whether pending mutations make the indicator active.
 *
 * Returns: `TRUE` if mutations count
 */
gboolean
quarry_fetching_indicator_get_include_mutations (QuarryFetchingIndicator *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCHING_INDICATOR (self), FALSE);

  return self->include_mutations;
}

/**
 * quarry_fetching_indicator_set_include_mutations: (set-property include-mutations)
 * @self: a fetching indicator
 * @include_mutations: whether mutations count
 *
 * Sets whether pending mutations make the indicator active, with the label
 * “Saving…”.
 */
void
quarry_fetching_indicator_set_include_mutations (QuarryFetchingIndicator *self,
                                                 gboolean                 include_mutations)
{
  g_return_if_fail (QUARRY_IS_FETCHING_INDICATOR (self));

  include_mutations = !!include_mutations;
  if (self->include_mutations == include_mutations)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->include_mutations = include_mutations;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCLUDE_MUTATIONS]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quarry_fetching_indicator_get_active: (get-property active)
 * @self: a fetching indicator
 *
 * Gets whether the client fetches (or mutates, with
 * [property@FetchingIndicator:include-mutations]).
 *
 * Returns: `TRUE` while the spinner shows
 */
gboolean
quarry_fetching_indicator_get_active (QuarryFetchingIndicator *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCHING_INDICATOR (self), FALSE);

  return self->active;
}
