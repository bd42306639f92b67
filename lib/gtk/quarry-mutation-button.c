/* quarry-mutation-button.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>

#include "quarry-gtk.h"
#include "quarry-gtk-i18n-private.h"

/**
 * QuarryMutationButton:
 *
 * A button that runs a mutation when clicked, and shows that it runs: while
 * the mutation is pending the button is insensitive and a spinner spins in
 * it, as TanStack's `isPending` is used to disable a submit button.
 *
 * Set [property@MutationButton:mutation], a label or an icon, and the
 * variables of the run, from code or from a `.ui` file:
 *
 * ```xml
 * <object class="QuarryMutationButton">
 *   <property name="mutation">delete_todo</property>
 *   <property name="label" translatable="yes">_Delete</property>
 *   <property name="use-underline">true</property>
 *   <property name="icon-name">user-trash-symbolic</property>
 *   <property name="variables-json">{"id": 5}</property>
 *   <style>
 *     <class name="destructive-action"/>
 *   </style>
 * </object>
 * ```
 *
 * Here `delete_todo` is a [class@Quarry.Mutation] the application made in
 * code and gave the builder with [method@Gtk.Builder.expose_object].
 *
 * ```c
 * GtkWidget *button = quarry_mutation_button_new_with_label (add_todo, _("_Add"));
 *
 * gtk_button_set_use_underline (GTK_BUTTON (button), TRUE);
 * quarry_mutation_button_set_variables (QUARRY_MUTATION_BUTTON (button), &todo);
 * ```
 *
 * A click emits [signal@MutationButton::mutate], whose default handler
 * calls [method@Quarry.Mutation.mutate] with
 * [property@MutationButton:variables]. A handler can set the variables for
 * this click first (from an entry, say), or return `TRUE` to run the
 * mutation itself, or not at all. The mutation's own signals
 * ([signal@Quarry.Mutation::success], [signal@Quarry.Mutation::error]) tell
 * how the run ends.
 *
 * When the mutation stops being pending, the button is made sensitive again
 * if it was the one that made it insensitive. While it is pending a click
 * (or a `clicked` emission) never runs the mutation again.
 *
 * The button's label and icon replace [property@Gtk.Button:label] and
 * [property@Gtk.Button:icon-name] of its parent class: set them through
 * the properties or [method@MutationButton.set_label] and
 * [method@MutationButton.set_icon_name], never with
 * [method@Gtk.Button.set_label] or [method@Gtk.Button.set_child], which
 * would replace the button's content, spinner included.
 *
 * ## CSS nodes
 *
 * `QuarryMutationButton` has a single CSS node with name `button` and the
 * style class `.mutation-button`, plus `.text-button` when it has a label
 * and `.image-button` when it has only an icon, as [class@Gtk.Button].
 *
 * ## Accessibility
 *
 * `QuarryMutationButton` uses the `GTK_ACCESSIBLE_ROLE_BUTTON` role; its
 * label is its accessible label, and it is busy while the mutation is
 * pending.
 */

typedef struct
{
  QuarryMutation *mutation;
  char *label;
  char *icon_name;
  GValue *variables;
  char *variables_json;

  guint is_pending : 1;
  guint made_insensitive : 1;

  /* Template children */
  GtkWidget *spinner;
  GtkWidget *image;
  GtkWidget *label_widget;
} QuarryMutationButtonPrivate;

enum {
  PROP_0,
  PROP_MUTATION,
  PROP_VARIABLES,
  PROP_VARIABLES_JSON,
  PROP_IS_PENDING,
  PROP_LABEL,
  PROP_ICON_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_MUTATE,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_TYPE_WITH_PRIVATE (QuarryMutationButton, quarry_mutation_button, GTK_TYPE_BUTTON)

#define PRIV(self) ((QuarryMutationButtonPrivate *) quarry_mutation_button_get_instance_private (self))

static gboolean
string_is_not_empty (gpointer    unused,
                     const char *string)
{
  return string != NULL && string[0] != '\0';
}

static gboolean
image_is_visible (gpointer    unused,
                  const char *icon_name,
                  gboolean    is_pending)
{
  return string_is_not_empty (NULL, icon_name) && !is_pending;
}

static void
value_free (GValue *value)
{
  g_value_unset (value);
  g_free (value);
}

static gboolean
values_equal (const GValue *a,
              const GValue *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (G_VALUE_TYPE (a) != G_VALUE_TYPE (b))
    return FALSE;

  if (G_VALUE_HOLDS (a, JSON_TYPE_NODE))
    {
      JsonNode *na = g_value_get_boxed (a);
      JsonNode *nb = g_value_get_boxed (b);

      if (na == NULL || nb == NULL)
        return na == nb;
      return na == nb || json_node_equal (na, nb);
    }

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (a)))
    {
    case G_TYPE_BOOLEAN:
      return !g_value_get_boolean (a) == !g_value_get_boolean (b);
    case G_TYPE_CHAR:
      return g_value_get_schar (a) == g_value_get_schar (b);
    case G_TYPE_UCHAR:
      return g_value_get_uchar (a) == g_value_get_uchar (b);
    case G_TYPE_INT:
      return g_value_get_int (a) == g_value_get_int (b);
    case G_TYPE_UINT:
      return g_value_get_uint (a) == g_value_get_uint (b);
    case G_TYPE_LONG:
      return g_value_get_long (a) == g_value_get_long (b);
    case G_TYPE_ULONG:
      return g_value_get_ulong (a) == g_value_get_ulong (b);
    case G_TYPE_INT64:
      return g_value_get_int64 (a) == g_value_get_int64 (b);
    case G_TYPE_UINT64:
      return g_value_get_uint64 (a) == g_value_get_uint64 (b);
    case G_TYPE_ENUM:
      return g_value_get_enum (a) == g_value_get_enum (b);
    case G_TYPE_FLAGS:
      return g_value_get_flags (a) == g_value_get_flags (b);
    case G_TYPE_FLOAT:
      {
        float fa = g_value_get_float (a);
        float fb = g_value_get_float (b);

        return fa == fb || (isnan (fa) && isnan (fb));
      }
    case G_TYPE_DOUBLE:
      {
        double da = g_value_get_double (a);
        double db = g_value_get_double (b);

        return da == db || (isnan (da) && isnan (db));
      }
    case G_TYPE_STRING:
      return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    case G_TYPE_VARIANT:
      {
        GVariant *va = g_value_get_variant (a);
        GVariant *vb = g_value_get_variant (b);

        if (va == NULL || vb == NULL)
          return va == vb;
        return g_variant_equal (va, vb);
      }
    default:
      /* Objects, boxed values, pointers, ...: the same instance. */
      if (g_value_fits_pointer (a))
        return g_value_peek_pointer (a) == g_value_peek_pointer (b);
      return FALSE;
    }
}

static void
update_style (QuarryMutationButton *self)
{
  QuarryMutationButtonPrivate *priv = PRIV (self);
  gboolean has_label = string_is_not_empty (NULL, priv->label);
  gboolean has_icon = string_is_not_empty (NULL, priv->icon_name);

  if (has_label)
    gtk_widget_add_css_class (GTK_WIDGET (self), "text-button");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "text-button");

  if (has_icon && !has_label)
    gtk_widget_add_css_class (GTK_WIDGET (self), "image-button");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "image-button");

  if (has_label)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, priv->label,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
update_pending (QuarryMutationButton *self)
{
  QuarryMutationButtonPrivate *priv = PRIV (self);
  gboolean is_pending = priv->mutation != NULL && quarry_mutation_get_is_pending (priv->mutation);

  if (priv->is_pending == is_pending)
    return;

  priv->is_pending = is_pending;

  if (is_pending && gtk_widget_get_sensitive (GTK_WIDGET (self)))
    {
      priv->made_insensitive = TRUE;
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
    }
  else if (!is_pending && priv->made_insensitive)
    {
      priv->made_insensitive = FALSE;
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
    }

  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_BUSY, is_pending,
                               -1);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_PENDING]);
}

static void
set_variables_json (QuarryMutationButton *self,
                    const char           *json)
{
  g_autoptr(JsonNode) node = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  if (json == NULL)
    {
      quarry_mutation_button_set_variables (self, NULL);
      return;
    }

  node = json_from_string (json, &error);
  if (node == NULL)
    {
      /* json_from_string () gives no error for an empty string. */
      g_warning ("QuarryMutationButton: variables-json is not valid JSON (%s); "
                 "the button has no variables",
                 error ? error->message : "empty text");
      quarry_mutation_button_set_variables (self, NULL);
      return;
    }

  json_node_seal (node);
  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, node);
  quarry_mutation_button_set_variables (self, &value);
}

static void
mutation_pending_cb (QuarryMutationButton *self)
{
  update_pending (self);
}

static gboolean
quarry_mutation_button_real_mutate (QuarryMutationButton *self)
{
  QuarryMutationButtonPrivate *priv = PRIV (self);

  if (priv->mutation == NULL)
    return FALSE;

  quarry_mutation_mutate (priv->mutation, priv->variables, NULL, NULL, NULL);
  return TRUE;
}

static void
quarry_mutation_button_clicked (GtkButton *button)
{
  QuarryMutationButton *self = QUARRY_MUTATION_BUTTON (button);
  gboolean handled = FALSE;

  if (GTK_BUTTON_CLASS (quarry_mutation_button_parent_class)->clicked != NULL)
    GTK_BUTTON_CLASS (quarry_mutation_button_parent_class)->clicked (button);

  /* One run at a time, whatever the sensitivity. */
  if (PRIV (self)->is_pending)
    return;

  g_signal_emit (self, signals[SIGNAL_MUTATE], 0, &handled);
}

static void
quarry_mutation_button_dispose (GObject *object)
{
  QuarryMutationButton *self = QUARRY_MUTATION_BUTTON (object);
  QuarryMutationButtonPrivate *priv = PRIV (self);

  if (priv->mutation != NULL)
    {
      g_signal_handlers_disconnect_by_data (priv->mutation, self);
      g_clear_object (&priv->mutation);
    }

  /* Not gtk_widget_dispose_template (): GTK 4.8 looks the template up on
   * the instance's class, so it fails for a subclass without a template of
   * its own, such as a Python subclass. GtkButton unparents its child, the
   * template's box; GTK drops its references to the template children when
   * the button is finalized. */
  priv->spinner = NULL;
  priv->image = NULL;
  priv->label_widget = NULL;

  G_OBJECT_CLASS (quarry_mutation_button_parent_class)->dispose (object);
}

static void
quarry_mutation_button_finalize (GObject *object)
{
  QuarryMutationButtonPrivate *priv = PRIV (QUARRY_MUTATION_BUTTON (object));

  g_clear_pointer (&priv->label, g_free);
  g_clear_pointer (&priv->icon_name, g_free);
  g_clear_pointer (&priv->variables, value_free);
  g_clear_pointer (&priv->variables_json, g_free);

  G_OBJECT_CLASS (quarry_mutation_button_parent_class)->finalize (object);
}

static void
quarry_mutation_button_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  QuarryMutationButton *self = QUARRY_MUTATION_BUTTON (object);

  switch (prop_id)
    {
    case PROP_MUTATION:
      g_value_set_object (value, quarry_mutation_button_get_mutation (self));
      break;
    case PROP_VARIABLES:
      g_value_set_boxed (value, quarry_mutation_button_get_variables (self));
      break;
    case PROP_VARIABLES_JSON:
      g_value_set_string (value, PRIV (self)->variables_json);
      break;
    case PROP_IS_PENDING:
      g_value_set_boolean (value, quarry_mutation_button_get_is_pending (self));
      break;
    case PROP_LABEL:
      g_value_set_string (value, quarry_mutation_button_get_label (self));
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, quarry_mutation_button_get_icon_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_mutation_button_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  QuarryMutationButton *self = QUARRY_MUTATION_BUTTON (object);

  switch (prop_id)
    {
    case PROP_MUTATION:
      quarry_mutation_button_set_mutation (self, g_value_get_object (value));
      break;
    case PROP_VARIABLES:
      quarry_mutation_button_set_variables (self, g_value_get_boxed (value));
      break;
    case PROP_VARIABLES_JSON:
      set_variables_json (self, g_value_get_string (value));
      break;
    case PROP_LABEL:
      quarry_mutation_button_set_label (self, g_value_get_string (value));
      break;
    case PROP_ICON_NAME:
      quarry_mutation_button_set_icon_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_mutation_button_class_init (QuarryMutationButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkButtonClass *button_class = GTK_BUTTON_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  _quarry_gtk_i18n_init ();

  object_class->dispose = quarry_mutation_button_dispose;
  object_class->finalize = quarry_mutation_button_finalize;
  object_class->get_property = quarry_mutation_button_get_property;
  object_class->set_property = quarry_mutation_button_set_property;

  button_class->clicked = quarry_mutation_button_clicked;

  klass->mutate = quarry_mutation_button_real_mutate;

  /**
   * QuarryMutationButton:mutation: (getter get_mutation) (setter set_mutation)
   *
   * The mutation the button runs.
   */
  properties[PROP_MUTATION] =
    g_param_spec_object ("mutation", NULL, NULL, QUARRY_TYPE_MUTATION, rw);

  /**
   * QuarryMutationButton:variables: (getter get_variables) (setter set_variables)
   *
   * The variables a click runs the mutation with, or `NULL` for none.
   */
  properties[PROP_VARIABLES] =
    g_param_spec_boxed ("variables", NULL, NULL, G_TYPE_VALUE, rw);

  /**
   * QuarryMutationButton:variables-json:
   *
   * [property@MutationButton:variables] as JSON text, such as
   * `{"id": 5, "done": true}`, for `.ui` files; the mutation function gets
   * a [struct@Json.Node].
   *
   * Reading it gives the variables' JSON text, or `NULL` when they are not
   * JSON. Text that is not valid JSON logs a warning and leaves the button
   * without variables.
   */
  properties[PROP_VARIABLES_JSON] =
    g_param_spec_string ("variables-json", NULL, NULL, NULL, rw);

  /**
   * QuarryMutationButton:is-pending: (getter get_is_pending)
   *
   * Whether the mutation is pending: the spinner spins, the button is
   * insensitive and clicks do not run the mutation.
   */
  properties[PROP_IS_PENDING] =
    g_param_spec_boolean ("is-pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, PROP_LABEL, properties);

  /**
   * QuarryMutationButton:label: (getter get_label) (setter set_label)
   *
   * The text of the button, next to its icon; it may hold a mnemonic
   * when [property@Gtk.Button:use-underline] is set.
   */
  g_object_class_override_property (object_class, PROP_LABEL, "label");
  properties[PROP_LABEL] = g_object_class_find_property (object_class, "label");

  /**
   * QuarryMutationButton:icon-name: (getter get_icon_name) (setter set_icon_name)
   *
   * The name of the icon shown before the label; the spinner takes its
   * place while the mutation is pending.
   */
  g_object_class_override_property (object_class, PROP_ICON_NAME, "icon-name");
  properties[PROP_ICON_NAME] = g_object_class_find_property (object_class, "icon-name");

  /**
   * QuarryMutationButton::mutate:
   * @self: the button
   *
   * Emitted when the button is clicked, to run the mutation.
   *
   * The default handler calls [method@Quarry.Mutation.mutate] with
   * [property@MutationButton:variables]. Handlers connected without
   * `G_CONNECT_AFTER` run before it: they can set the variables for this
   * click, or return `TRUE` to stop the default handler, for example to ask
   * for a confirmation first and run the mutation themselves.
   *
   * Returns: `TRUE` to stop other handlers, the default one included
   */
  signals[SIGNAL_MUTATE] =
    g_signal_new ("mutate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (QuarryMutationButtonClass, mutate),
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Quarry/Gtk/quarry-mutation-button.ui");
  gtk_widget_class_bind_template_child_private (widget_class, QuarryMutationButton, spinner);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryMutationButton, image);
  gtk_widget_class_bind_template_child_private (widget_class, QuarryMutationButton, label_widget);
  gtk_widget_class_bind_template_callback (widget_class, string_is_not_empty);
  gtk_widget_class_bind_template_callback (widget_class, image_is_visible);

  gtk_widget_class_set_css_name (widget_class, "button");
}

static void
quarry_mutation_button_init (QuarryMutationButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "mutation-button");
}

/**
 * quarry_mutation_button_new:
 * @mutation: (nullable): the mutation to run
 *
 * Creates a button that runs @mutation when clicked. Give it a label or an
 * icon.
 *
 * Returns: (transfer full): a new mutation button
 */
GtkWidget *
quarry_mutation_button_new (QuarryMutation *mutation)
{
  g_return_val_if_fail (mutation == NULL || QUARRY_IS_MUTATION (mutation), NULL);

  return g_object_new (QUARRY_TYPE_MUTATION_BUTTON,
                       "mutation", mutation,
                       NULL);
}

/**
 * quarry_mutation_button_new_with_label:
 * @mutation: (nullable): the mutation to run
 * @label: (nullable): the button's text
 *
 * Creates a button with the text @label that runs @mutation when clicked.
 *
 * Returns: (transfer full): a new mutation button
 */
GtkWidget *
quarry_mutation_button_new_with_label (QuarryMutation *mutation,
                                       const char     *label)
{
  g_return_val_if_fail (mutation == NULL || QUARRY_IS_MUTATION (mutation), NULL);

  return g_object_new (QUARRY_TYPE_MUTATION_BUTTON,
                       "mutation", mutation,
                       "label", label,
                       NULL);
}

/**
 * quarry_mutation_button_get_mutation: (get-property mutation)
 * @self: a mutation button
 *
 * Gets the mutation the button runs.
 *
 * Returns: (transfer none) (nullable): the mutation
 */
QuarryMutation *
quarry_mutation_button_get_mutation (QuarryMutationButton *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION_BUTTON (self), NULL);

  return PRIV (self)->mutation;
}

/**
 * quarry_mutation_button_set_mutation: (set-property mutation)
 * @self: a mutation button
 * @mutation: (nullable): the mutation to run
 *
 * Sets the mutation the button runs and whose pending state it shows.
 */
void
quarry_mutation_button_set_mutation (QuarryMutationButton *self,
                                     QuarryMutation       *mutation)
{
  QuarryMutationButtonPrivate *priv;

  g_return_if_fail (QUARRY_IS_MUTATION_BUTTON (self));
  g_return_if_fail (mutation == NULL || QUARRY_IS_MUTATION (mutation));

  priv = PRIV (self);
  if (priv->mutation == mutation)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  if (priv->mutation != NULL)
    {
      g_signal_handlers_disconnect_by_data (priv->mutation, self);
      g_clear_object (&priv->mutation);
    }

  if (mutation != NULL)
    {
      priv->mutation = g_object_ref (mutation);
      g_signal_connect_object (mutation, "notify::is-pending",
                               G_CALLBACK (mutation_pending_cb), self, G_CONNECT_SWAPPED);
    }

  update_pending (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTATION]);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quarry_mutation_button_get_label: (get-property label)
 * @self: a mutation button
 *
 * Gets the text of the button.
 *
 * Returns: (nullable): the label
 */
const char *
quarry_mutation_button_get_label (QuarryMutationButton *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION_BUTTON (self), NULL);

  return PRIV (self)->label;
}

/**
 * quarry_mutation_button_set_label: (set-property label)
 * @self: a mutation button
 * @label: (nullable): the text of the button
 *
 * Sets the text of the button, shown after its icon.
 */
void
quarry_mutation_button_set_label (QuarryMutationButton *self,
                                  const char           *label)
{
  QuarryMutationButtonPrivate *priv;

  g_return_if_fail (QUARRY_IS_MUTATION_BUTTON (self));

  priv = PRIV (self);
  if (g_strcmp0 (priv->label, label) == 0)
    return;

  g_free (priv->label);
  priv->label = g_strdup (label);
  update_style (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

/**
 * quarry_mutation_button_get_icon_name: (get-property icon-name)
 * @self: a mutation button
 *
 * Gets the name of the button's icon.
 *
 * Returns: (nullable): the icon name
 */
const char *
quarry_mutation_button_get_icon_name (QuarryMutationButton *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION_BUTTON (self), NULL);

  return PRIV (self)->icon_name;
}

/**
 * quarry_mutation_button_set_icon_name: (set-property icon-name)
 * @self: a mutation button
 * @icon_name: (nullable): the name of an icon
 *
 * Sets the icon shown before the label.
 */
void
quarry_mutation_button_set_icon_name (QuarryMutationButton *self,
                                      const char           *icon_name)
{
  QuarryMutationButtonPrivate *priv;

  g_return_if_fail (QUARRY_IS_MUTATION_BUTTON (self));

  priv = PRIV (self);
  if (g_strcmp0 (priv->icon_name, icon_name) == 0)
    return;

  g_free (priv->icon_name);
  priv->icon_name = g_strdup (icon_name);
  update_style (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

/**
 * quarry_mutation_button_get_variables: (get-property variables)
 * @self: a mutation button
 *
 * Gets the variables a click runs the mutation with.
 *
 * Returns: (transfer none) (nullable): the variables
 */
const GValue *
quarry_mutation_button_get_variables (QuarryMutationButton *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION_BUTTON (self), NULL);

  return PRIV (self)->variables;
}

/**
 * quarry_mutation_button_set_variables: (set-property variables)
 * @self: a mutation button
 * @variables: (nullable): the variables, or `NULL` for none
 *
 * Sets the variables a click runs the mutation with, copying @variables.
 * The mutation function receives them as given: a [struct@Json.Node], a
 * [struct@GLib.Variant], a string, a number or an object.
 */
void
quarry_mutation_button_set_variables (QuarryMutationButton *self,
                                      const GValue         *variables)
{
  QuarryMutationButtonPrivate *priv;
  g_autofree char *old_json = NULL;

  g_return_if_fail (QUARRY_IS_MUTATION_BUTTON (self));
  g_return_if_fail (variables == NULL || G_IS_VALUE (variables));

  if (variables != NULL && g_strcmp0 (G_VALUE_TYPE_NAME (variables), "PyObject") == 0)
    {
      g_warning ("QuarryMutationButton: the variables cannot be an opaque Python object; "
                 "pass a Json.Node or a GLib.Variant, or set variables-json");
      return;
    }

  priv = PRIV (self);
  if (values_equal (priv->variables, variables))
    return;

  g_clear_pointer (&priv->variables, value_free);
  if (variables != NULL)
    {
      priv->variables = g_new0 (GValue, 1);
      g_value_init (priv->variables, G_VALUE_TYPE (variables));
      g_value_copy (variables, priv->variables);
    }

  old_json = g_steal_pointer (&priv->variables_json);
  if (variables != NULL && G_VALUE_HOLDS (variables, JSON_TYPE_NODE) &&
      g_value_get_boxed (variables) != NULL)
    priv->variables_json = json_to_string (g_value_get_boxed (variables), FALSE);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VARIABLES]);
  if (g_strcmp0 (old_json, priv->variables_json) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VARIABLES_JSON]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quarry_mutation_button_get_is_pending: (get-property is-pending)
 * @self: a mutation button
 *
 * Gets whether the button's mutation is pending.
 *
 * Returns: `TRUE` while the mutation is pending
 */
gboolean
quarry_mutation_button_get_is_pending (QuarryMutationButton *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION_BUTTON (self), FALSE);

  return PRIV (self)->is_pending;
}
