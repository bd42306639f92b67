/* quarry-json-item.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-json-item.h"

/**
 * QuarryJsonItem:
 *
 * A JSON value as a list item: the items of JSON pages in
 * [method@InfiniteQuery.get_items] are `QuarryJsonItem`s.
 *
 * The node is sealed (immutable); replacing it with
 * [method@JsonItem.set_node] notifies [property@JsonItem:node].
 *
 * ```c
 * QuarryJsonItem *item = g_list_model_get_item (items, 0);
 * const char *title = json_node_get_string (quarry_json_item_get_member (item, "title"));
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

G_DEFINE_FINAL_TYPE (QuarryJsonItem, quarry_json_item, G_TYPE_OBJECT)

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
 * Replaces the item's value; [property@JsonItem:node] is notified when the
 * new value differs.
 */
void
quarry_json_item_set_node (QuarryJsonItem *self,
                           JsonNode       *node)
{
  g_return_if_fail (QUARRY_IS_JSON_ITEM (self));
  g_return_if_fail (node != NULL);

  if (node == self->node || json_node_equal (node, self->node))
    return;

  if (!json_node_is_immutable (node))
    json_node_seal (node);
  json_node_unref (self->node);
  self->node = json_node_ref (node);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE]);
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
