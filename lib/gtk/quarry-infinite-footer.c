/* quarry-infinite-footer.c: the last row of a QuarryInfiniteListView
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-infinite-footer-private.h"

#include "quarry-gtk-i18n-private.h"

/* QuarryInfiniteFooterState */

G_DEFINE_ENUM_TYPE (QuarryInfiniteFooterState, _quarry_infinite_footer_state,
  G_DEFINE_ENUM_VALUE (QUARRY_INFINITE_FOOTER_NONE, "none"),
  G_DEFINE_ENUM_VALUE (QUARRY_INFINITE_FOOTER_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (QUARRY_INFINITE_FOOTER_ERROR, "error"),
  G_DEFINE_ENUM_VALUE (QUARRY_INFINITE_FOOTER_LOAD_MORE, "load-more"),
  G_DEFINE_ENUM_VALUE (QUARRY_INFINITE_FOOTER_END, "end"))

/* QuarryInfiniteFooterItem
 *
 * The one item of the footer row. The view owns it and updates it; footer
 * widgets bound to it show its state. */

struct _QuarryInfiniteFooterItem
{
  GObject parent_instance;

  QuarryInfiniteFooterState state;
  char *message;
};

enum {
  ITEM_PROP_0,
  ITEM_PROP_STATE,
  ITEM_PROP_MESSAGE,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

enum {
  ITEM_SIGNAL_LOAD_REQUESTED,
  N_ITEM_SIGNALS,
};

static guint item_signals[N_ITEM_SIGNALS];

G_DEFINE_FINAL_TYPE (QuarryInfiniteFooterItem, _quarry_infinite_footer_item, G_TYPE_OBJECT)

static void
quarry_infinite_footer_item_finalize (GObject *object)
{
  QuarryInfiniteFooterItem *self = (QuarryInfiniteFooterItem *)object;

  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (_quarry_infinite_footer_item_parent_class)->finalize (object);
}

static void
quarry_infinite_footer_item_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  QuarryInfiniteFooterItem *self = QUARRY_INFINITE_FOOTER_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_STATE:
      g_value_set_enum (value, _quarry_infinite_footer_item_get_state (self));
      break;
    case ITEM_PROP_MESSAGE:
      g_value_set_string (value, _quarry_infinite_footer_item_get_message (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
_quarry_infinite_footer_item_class_init (QuarryInfiniteFooterItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = quarry_infinite_footer_item_finalize;
  object_class->get_property = quarry_infinite_footer_item_get_property;

  /* What the footer shows. */
  item_properties[ITEM_PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, QUARRY_TYPE_INFINITE_FOOTER_STATE,
                       QUARRY_INFINITE_FOOTER_NONE, ro);

  /* The message of the error that failed the next page, in the error
   * state; NULL otherwise. */
  item_properties[ITEM_PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);

  /* Emitted when the user asks for the next page: "Load more" or "Retry". */
  item_signals[ITEM_SIGNAL_LOAD_REQUESTED] =
    g_signal_new ("load-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
_quarry_infinite_footer_item_init (QuarryInfiniteFooterItem *self)
{
  self->state = QUARRY_INFINITE_FOOTER_NONE;
}

QuarryInfiniteFooterItem *
_quarry_infinite_footer_item_new (void)
{
  return g_object_new (QUARRY_TYPE_INFINITE_FOOTER_ITEM, NULL);
}

QuarryInfiniteFooterState
_quarry_infinite_footer_item_get_state (QuarryInfiniteFooterItem *self)
{
  g_return_val_if_fail (QUARRY_IS_INFINITE_FOOTER_ITEM (self), QUARRY_INFINITE_FOOTER_NONE);

  return self->state;
}

const char *
_quarry_infinite_footer_item_get_message (QuarryInfiniteFooterItem *self)
{
  g_return_val_if_fail (QUARRY_IS_INFINITE_FOOTER_ITEM (self), NULL);

  return self->message;
}

/* Sets the state and the message together, notifying what changed once
 * both are set, so that bindings never see one without the other. */
void
_quarry_infinite_footer_item_update (QuarryInfiniteFooterItem  *self,
                                     QuarryInfiniteFooterState  state,
                                     const char                *message)
{
  g_return_if_fail (QUARRY_IS_INFINITE_FOOTER_ITEM (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_MESSAGE]);
    }

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_STATE]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

void
_quarry_infinite_footer_item_request_load (QuarryInfiniteFooterItem *self)
{
  g_return_if_fail (QUARRY_IS_INFINITE_FOOTER_ITEM (self));

  g_signal_emit (self, item_signals[ITEM_SIGNAL_LOAD_REQUESTED], 0);
}

/* QuarryInfiniteFooter
 *
 * The footer row's widget (CSS name `infinitefooter`): a stack with one
 * page per state, named as the state's nick ("none", "loading", "error",
 * "load-more", "end"), following its item through bindings in its
 * template. Rows are recycled, so the view creates one per list item that
 * ever shows the footer and sets and clears its item on bind and unbind. */

struct _QuarryInfiniteFooter
{
  GtkWidget parent_instance;

  QuarryInfiniteFooterItem *item;

  GtkWidget *stack;
};

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (QuarryInfiniteFooter, _quarry_infinite_footer, GTK_TYPE_WIDGET)

/* The stack page of @state (a template closure). */
static char *
page_name_cb (QuarryInfiniteFooter      *self,
              QuarryInfiniteFooterState  state)
{
  GEnumClass *enum_class = g_type_class_peek (QUARRY_TYPE_INFINITE_FOOTER_STATE);
  GEnumValue *value = g_enum_get_value (enum_class, state);

  return g_strdup (value != NULL ? value->value_nick : "none");
}

static void
load_clicked_cb (QuarryInfiniteFooter *self,
                 GtkButton            *button)
{
  g_assert (QUARRY_IS_INFINITE_FOOTER (self));

  if (self->item != NULL)
    _quarry_infinite_footer_item_request_load (self->item);
}

static void
quarry_infinite_footer_dispose (GObject *object)
{
  QuarryInfiniteFooter *self = (QuarryInfiniteFooter *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), QUARRY_TYPE_INFINITE_FOOTER);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (_quarry_infinite_footer_parent_class)->dispose (object);
}

static void
quarry_infinite_footer_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  QuarryInfiniteFooter *self = QUARRY_INFINITE_FOOTER (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, _quarry_infinite_footer_get_item (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_infinite_footer_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  QuarryInfiniteFooter *self = QUARRY_INFINITE_FOOTER (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      _quarry_infinite_footer_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
_quarry_infinite_footer_class_init (QuarryInfiniteFooterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  _quarry_gtk_i18n_init ();

  object_class->dispose = quarry_infinite_footer_dispose;
  object_class->get_property = quarry_infinite_footer_get_property;
  object_class->set_property = quarry_infinite_footer_set_property;

  /* The footer item whose state the footer shows, or NULL. */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, QUARRY_TYPE_INFINITE_FOOTER_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QUARRY_TYPE_INFINITE_FOOTER_ITEM);
  g_type_class_ref (QUARRY_TYPE_INFINITE_FOOTER_STATE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gnome/Quarry/Gtk/quarry-infinite-footer.ui");
  gtk_widget_class_bind_template_child (widget_class, QuarryInfiniteFooter, stack);
  gtk_widget_class_bind_template_callback (widget_class, page_name_cb);
  gtk_widget_class_bind_template_callback (widget_class, load_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "infinitefooter");
}

static void
_quarry_infinite_footer_init (QuarryInfiniteFooter *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
_quarry_infinite_footer_new (void)
{
  return g_object_new (QUARRY_TYPE_INFINITE_FOOTER, NULL);
}

QuarryInfiniteFooterItem *
_quarry_infinite_footer_get_item (QuarryInfiniteFooter *self)
{
  g_return_val_if_fail (QUARRY_IS_INFINITE_FOOTER (self), NULL);

  return self->item;
}

void
_quarry_infinite_footer_set_item (QuarryInfiniteFooter     *self,
                                  QuarryInfiniteFooterItem *item)
{
  g_return_if_fail (QUARRY_IS_INFINITE_FOOTER (self));
  g_return_if_fail (item == NULL || QUARRY_IS_INFINITE_FOOTER_ITEM (item));

  if (g_set_object (&self->item, item))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
