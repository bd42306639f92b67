/* quarry-json-item.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-json-item.h"
#include "quarry-keyed-json-private.h"

/**
 * QuarryJsonItem:
 *
 * A JSON value as a list item: the items of JSON pages in
 * [method@InfiniteQuery.get_items] are `QuarryJsonItem`s.
 *
 * The node is sealed (immutable); replacing it with
 * [method@JsonItem.set_node] notifies [property@JsonItem:node] and then
 * emits [signal@JsonItem::changed] once for each member that differs, with
 * the member's name as detail. [class@KeyedListModel] replaces the node of
 * its items this way when a refetch changes them, so a row can follow one
 * member:
 *
 * ```c
 * static void
 * on_title_changed (QuarryJsonItem *item, const char *member, GtkLabel *label)
 * {
 *   gtk_label_set_label (label, quarry_json_item_get_string (item, "title"));
 * }
 *
 * g_signal_connect_object (item, "changed::title", G_CALLBACK (on_title_changed),
 *                          label, 0);
 * ```
 *
 * The typed getters ([method@JsonItem.get_string], [method@JsonItem.get_int],
 * [method@JsonItem.get_double], [method@JsonItem.get_boolean]) read a member
 * of an object item and give a documented default when it is missing or of
 * another type:
 *
 * ```c
 * QuarryJsonItem *item = g_list_model_get_item (items, 0);
 * const char *title = quarry_json_item_get_string (item, "title");
 * gboolean done = quarry_json_item_get_boolean (item, "done");
 * ```
 */

struct _QuarryJsonItem
{
  GObject parent_instance;

  JsonNode *node;
};

enum {
  PROP_0,
  PROP_NODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (QuarryJsonItem, quarry_json_item, G_TYPE_OBJECT)

static void
collect_member_cb (const char *name,
                   JsonNode   *old_member,
                   JsonNode   *new_member,
                   gpointer    user_data)
{
  g_ptr_array_add (user_data, (gpointer) name);
}

/* The member @name if the item is an object holding a value (not null, an
 * object or an array) there. */
static JsonNode *
value_member (QuarryJsonItem *self,
              const char     *name)
{
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (self->node))
    return NULL;
  member = json_object_get_member (json_node_get_object (self->node), name);
  if (member == NULL || JSON_NODE_TYPE (member) != JSON_NODE_VALUE)
    return NULL;
  return member;
}

static void
quarry_json_item_finalize (GObject *object)
{
  QuarryJsonItem *self = (QuarryJsonItem *)object;

  g_clear_pointer (&self->node, json_node_unref);

  G_OBJECT_CLASS (quarry_json_item_parent_class)->finalize (object);
}

static void
quarry_json_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  QuarryJsonItem *self = QUARRY_JSON_ITEM (object);

  switch (prop_id)
    {
    case PROP_NODE:
      g_value_set_boxed (value, self->node);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_json_item_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  QuarryJsonItem *self = QUARRY_JSON_ITEM (object);

  switch (prop_id)
    {
    case PROP_NODE:
      quarry_json_item_set_node (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_json_item_class_init (QuarryJsonItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quarry_json_item_finalize;
  object_class->get_property = quarry_json_item_get_property;
  object_class->set_property = quarry_json_item_set_property;

  /**
   * QuarryJsonItem:node:
   *
   * The item's JSON value, sealed.
   */
  properties[PROP_NODE] =
    g_param_spec_boxed ("node", NULL, NULL, JSON_TYPE_NODE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QuarryJsonItem::changed:
   * @self: the item
   * @member: the name of the member that changed
   *
   * Emitted after [property@JsonItem:node] is notified, once for each member
   * of the new value that differs from the old one: changed, added or
   * removed. The detail is the member's name, so `changed::title` is
   * emitted only when the title changed. A value that is not an object
   * counts as an object without members.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
quarry_json_item_init (QuarryJsonItem *self)
{
  self->node = json_node_new (JSON_NODE_NULL);
  json_node_seal (self->node);
}

/**
 * quarry_json_item_new:
 * @node: a JSON value
 *
 * Makes an item for @node, which is sealed if it is not yet.
 *
 * Returns: (transfer full): a new item
 */
QuarryJsonItem *
quarry_json_item_new (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return g_object_new (QUARRY_TYPE_JSON_ITEM, "node", node, NULL);
}

/**
 * quarry_json_item_get_node:
 * @self: an item
 *
 * Gets the item's JSON value.
 *
 * Returns: (transfer none): the item's JSON value
 */
JsonNode *
quarry_json_item_get_node (QuarryJsonItem *self)
{
  g_return_val_if_fail (QUARRY_IS_JSON_ITEM (self), NULL);

  return self->node;
}

/**
 * quarry_json_item_set_node:
 * @self: an item
 * @node: a JSON value
 *
 * Replaces the item's value. When the new value differs,
 * [property@JsonItem:node] is notified, then [signal@JsonItem::changed] is
 * emitted for each member that differs.
 */
void
quarry_json_item_set_node (QuarryJsonItem *self,
                           JsonNode       *node)
{
  g_autoptr(GPtrArray) changed = NULL;
  JsonNode *old_node, *new_node;
  guint n_changed;

  g_return_if_fail (QUARRY_IS_JSON_ITEM (self));
  g_return_if_fail (node != NULL);

  if (node == self->node)
    return;

  if (!json_node_is_immutable (node))
    json_node_seal (node);

  /* The names point into the two nodes, kept alive until the signals are
   * out even if a handler replaces the node again. */
  old_node = self->node;
  new_node = json_node_ref (node);
  changed = g_ptr_array_new ();
  n_changed = _quarry_keyed_json_diff_members (old_node, new_node, collect_member_cb, changed);
  if (n_changed == 0 && _quarry_keyed_json_equal (old_node, new_node))
    {
      json_node_unref (new_node);
      return;
    }

  self->node = json_node_ref (new_node);
  g_object_ref (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE]);
  for (guint i = 0; i < changed->len; i++)
    {
      const char *name = g_ptr_array_index (changed, i);

      /* A name nobody connected to has no quark yet: no need to make one. */
      g_signal_emit (self, signals[SIGNAL_CHANGED], g_quark_try_string (name), name);
    }
  g_object_unref (self);
  json_node_unref (old_node);
  json_node_unref (new_node);
}

/**
 * quarry_json_item_get_member:
 * @self: an item
 * @name: a member name
 *
 * Looks up a member of an item that is a JSON object.
 *
 * Returns: (transfer none) (nullable): the member, or `NULL` if the item
 *   is not an object or has no such member
 */
JsonNode *
quarry_json_item_get_member (QuarryJsonItem *self,
                             const char     *name)
{
  g_return_val_if_fail (QUARRY_IS_JSON_ITEM (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (self->node))
    return NULL;
  return json_object_get_member (json_node_get_object (self->node), name);
}

/**
 * quarry_json_item_get_string:
 * @self: an item
 * @member: a member name
 *
 * Reads a string member of an item that is a JSON object.
 *
 * Returns: (transfer none) (nullable): the string, or `NULL` if the item
 *   is not an object, has no such member, or the member is not a string
 */
const char *
quarry_json_item_get_string (QuarryJsonItem *self,
                             const char     *member)
{
  JsonNode *node;

  g_return_val_if_fail (QUARRY_IS_JSON_ITEM (self), NULL);
  g_return_val_if_fail (member != NULL, NULL);

  node = value_member (self, member);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * quarry_json_item_get_int:
 * @self: an item
 * @member: a member name
 *
 * Reads a number member of an item that is a JSON object, as an integer:
 * a number with a fraction is truncated toward zero.
 *
 * Returns: the number, or 0 if the item is not an object, has no such
 *   member, or the member is not a number (or does not fit in 64 bits)
 */
gint64
quarry_json_item_get_int (QuarryJsonItem *self,
                          const char     *member)
{
  JsonNode *node;
  GType type;

  g_return_val_if_fail (QUARRY_IS_JSON_ITEM (self), 0);
  g_return_val_if_fail (member != NULL, 0);

  node = value_member (self, member);
  if (node == NULL)
    return 0;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d < 9223372036854775808.0 && d > -9223372036854775808.0)
        return (gint64) d;
    }
  return 0;
}

/**
 * quarry_json_item_get_double:
 * @self: an item
 * @member: a member name
 *
 * Reads a number member of an item that is a JSON object, integer or not.
 *
 * Returns: the number, or 0.0 if the item is not an object, has no such
 *   member, or the member is not a number
 */
double
quarry_json_item_get_double (QuarryJsonItem *self,
                             const char     *member)
{
  JsonNode *node;
  GType type;

  g_return_val_if_fail (QUARRY_IS_JSON_ITEM (self), 0.0);
  g_return_val_if_fail (member != NULL, 0.0);

  node = value_member (self, member);
  if (node == NULL)
    return 0.0;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  return 0.0;
}

/**
 * quarry_json_item_get_boolean:
 * @self: an item
 * @member: a member name
 *
 * Reads a boolean member of an item that is a JSON object.
 *
 * Returns: the boolean, or `FALSE` if the item is not an object, has no
 *   such member, or the member is not a boolean
 */
gboolean
quarry_json_item_get_boolean (QuarryJsonItem *self,
                              const char     *member)
{
  JsonNode *node;

  g_return_val_if_fail (QUARRY_IS_JSON_ITEM (self), FALSE);
  g_return_val_if_fail (member != NULL, FALSE);

  node = value_member (self, member);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  return json_node_get_boolean (node);
}
