/* quarry-json-share.c: structural sharing of sealed JSON
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * TanStack's replaceEqualDeep for json-glib: a freshly parsed tree is
 * rebuilt so that every part equal to the cached tree is the cached node
 * itself. A refetch that changes one item of a long list then gives a new
 * list that shares all the other items with the old one: comparing them
 * stops at the first pointer, freeing the old list frees one item, and list
 * models keep their item objects.
 *
 * It runs in the worker thread that parsed @fresh, on sealed trees. It only
 * reads @old and takes references on its nodes, which json-glib counts
 * atomically; it never takes references on @old's objects or arrays, whose
 * counts are not atomic and belong to the main thread.
 */

#include "config.h"

#include "quarry-json-share-private.h"

static gboolean
same (JsonNode *old,
      JsonNode *fresh)
{
  return json_node_hash (old) == json_node_hash (fresh) && json_node_equal (old, fresh);
}

static JsonNode *
share_array (JsonArray *old,
             JsonArray *fresh)
{
  guint n_old = json_array_get_length (old);
  guint n = json_array_get_length (fresh);
  JsonArray *array = json_array_sized_new (n);
  JsonNode *node;

  for (guint i = 0; i < n; i++)
    json_array_add_element (array, _quarry_json_share (i < n_old ? json_array_get_element (old, i) : NULL,
                                                       json_array_get_element (fresh, i)));

  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  return node;
}

static JsonNode *
share_object (JsonObject *old,
              JsonObject *fresh)
{
  JsonObject *object = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  JsonNode *node;

  json_object_iter_init (&iter, fresh);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (object, name,
                            _quarry_json_share (json_object_get_member (old, name), member));

  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

/*
 * _quarry_json_share:
 * @old: (nullable): the cached tree, sealed
 * @fresh: the new tree, sealed
 *
 * Returns: (transfer full): @old when it equals @fresh, else a sealed tree
 *   equal to @fresh made of @old's equal parts and @fresh's other parts
 */
JsonNode *
_quarry_json_share (JsonNode *old,
                    JsonNode *fresh)
{
  JsonNode *node;

  if (old == NULL)
    return json_node_ref (fresh);
  if (same (old, fresh))
    return json_node_ref (old);

  if (JSON_NODE_HOLDS_ARRAY (old) && JSON_NODE_HOLDS_ARRAY (fresh))
    node = share_array (json_node_get_array (old), json_node_get_array (fresh));
  else if (JSON_NODE_HOLDS_OBJECT (old) && JSON_NODE_HOLDS_OBJECT (fresh))
    node = share_object (json_node_get_object (old), json_node_get_object (fresh));
  else
    return json_node_ref (fresh);

  json_node_seal (node);
  return node;
}
