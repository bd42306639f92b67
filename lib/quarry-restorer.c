/* quarry-restorer.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "quarry-error.h"
#include "quarry-i18n-private.h"
#include "quarry-mutation.h"
#include "quarry-query-client-private.h"
#include "quarry-restorer-private.h"
#include "quarry-value-private.h"

/**
 * QuarryRestorer:
 *
 * Undoes, or confirms, one optimistic update.
 *
 * The optimistic helpers [method@QueryClient.optimistic_set],
 * [method@QueryClient.optimistic_upsert] and
 * [method@QueryClient.optimistic_delete] change cached data before the
 * server answered, and return a restorer. When the server refuses,
 * [method@Restorer.restore] rolls the change back; when it accepts,
 * [method@Restorer.commit] keeps it, with the server's version of the data
 * if it gave one, and clears the "updating" marker.
 *
 * Each entry keeps its confirmed data apart from the optimistic changes
 * made on top of it, so that several mutations can change the same data at
 * once: a rollback removes only its own change, never another mutation's
 * change, and never data a refetch brought in the meantime. A refetch that
 * completes while changes are pending shows the new data with the pending
 * changes applied on top.
 *
 * A restorer dropped while its change is pending commits it.
 *
 * ```c
 * g_autoptr(QuarryRestorer) restorer =
 *   quarry_query_client_optimistic_upsert (client, todos_key, todo, "id", "isUpdating", &error);
 * …
 * if (server_error != NULL)
 *   quarry_restorer_restore (restorer);
 * else
 *   quarry_restorer_commit (restorer, server_todo);
 * ```
 */

typedef struct
{
  QuarryOptimisticKind kind;
  GValue value;          /* SET: the data; UPSERT: the item; DELETE: the id */
  char *id_member;
  char *updating_member;
} Layer;

struct _QuarryOptimisticStack
{
  gint ref_count;
  QuarryEntry *entry;    /* unowned: the entry holds the stack */
  GValue base;           /* unset while the entry has no confirmed data */
  GQueue layers;         /* Layer, oldest first */
  gboolean writing;
};

struct _QuarryRestorer
{
  gatomicrefcount ref_count;
  QuarryKey *key;
  QuarryOptimisticStack *stack;   /* NULL once restored or committed */
  Layer *layer;
};

G_DEFINE_BOXED_TYPE (QuarryRestorer, quarry_restorer, quarry_restorer_ref, quarry_restorer_unref)

/* JSON collections. */

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
ids_equal (JsonNode *a,
           JsonNode *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  if (is_number (a) && is_number (b))
    return json_node_get_double (a) == json_node_get_double (b);
  return json_node_equal (a, b);
}

/* The member name an id has in an object collection. */
static char *
id_to_name (JsonNode *id)
{
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id))
    return NULL;

  switch (json_node_get_value_type (id))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (id));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];
        double d = json_node_get_double (id);

        if (d == (double) (gint64) d)
          return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) d);
        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, d));
      }
    default:
      return NULL;
    }
}

static JsonNode *
item_id (JsonNode   *item,
         const char *id_member)
{
  if (item == NULL || !JSON_NODE_HOLDS_OBJECT (item))
    return NULL;
  return json_object_get_member (json_node_get_object (item), id_member);
}

/* @item with its marker member set to true, or @item itself. */
static JsonNode *
mark (JsonNode   *item,
      const char *marker)
{
  JsonObject *copy;
  JsonNode *node;
  g_autoptr(GList) members = NULL;

  if (marker == NULL || !JSON_NODE_HOLDS_OBJECT (item))
    return json_node_ref (item);

  copy = json_object_new ();
  members = json_object_get_members (json_node_get_object (item));
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            json_node_ref (json_object_get_member (json_node_get_object (item), l->data)));
  json_object_set_boolean_member (copy, marker, TRUE);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, copy);
  return node;
}

static JsonNode *
json_of (const GValue *value)
{
  if (!_quarry_value_is_set (value) || !G_VALUE_HOLDS (value, JSON_TYPE_NODE))
    return NULL;
  return g_value_get_boxed (value);
}

static gboolean
is_collection (JsonNode *node)
{
  return node != NULL && (JSON_NODE_HOLDS_ARRAY (node) || JSON_NODE_HOLDS_OBJECT (node));
}

/* A new collection with the member of @id replaced by @replacement (NULL to
 * drop it), or @replacement appended when @id is absent. */
static JsonNode *
collection_put (JsonNode   *collection,
                JsonNode   *id,
                const char *id_member,
                JsonNode   *replacement,
                gboolean    insert)
{
  JsonNode *result;

  if (JSON_NODE_HOLDS_ARRAY (collection))
    {
      JsonArray *array = json_node_get_array (collection);
      guint n = json_array_get_length (array);
      JsonArray *copy = json_array_sized_new (n + 1);
      gboolean found = FALSE;

      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!found && ids_equal (item_id (element, id_member), id))
            {
              found = TRUE;
              if (replacement != NULL)
                json_array_add_element (copy, json_node_ref (replacement));
              continue;
            }
          json_array_add_element (copy, json_node_ref (element));
        }
      if (!found && insert && replacement != NULL)
        json_array_add_element (copy, json_node_ref (replacement));

      result = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (result, copy);
    }
  else
    {
      JsonObject *object = json_node_get_object (collection);
      JsonObject *copy = json_object_new ();
      g_autofree char *name = id_to_name (id);
      g_autoptr(GList) members = json_object_get_members (object);
      gboolean found = FALSE;

      for (GList *l = members; l != NULL; l = l->next)
        {
          if (name != NULL && g_str_equal (l->data, name))
            {
              found = TRUE;
              if (replacement != NULL)
                json_object_set_member (copy, l->data, json_node_ref (replacement));
              continue;
            }
          json_object_set_member (copy, l->data, json_node_ref (json_object_get_member (object, l->data)));
        }
      if (!found && insert && replacement != NULL && name != NULL)
        json_object_set_member (copy, name, json_node_ref (replacement));

      result = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (result, copy);
    }

  return result;
}

static JsonNode *
collection_find (JsonNode   *collection,
                 JsonNode   *id,
                 const char *id_member)
{
  if (JSON_NODE_HOLDS_ARRAY (collection))
    {
      JsonArray *array = json_node_get_array (collection);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (ids_equal (item_id (element, id_member), id))
            return element;
        }
      return NULL;
    }
  else
    {
      g_autofree char *name = id_to_name (id);
      JsonObject *object = json_node_get_object (collection);

      return name && json_object_has_member (object, name) ? json_object_get_member (object, name) : NULL;
    }
}

static GValue *
json_value_new (JsonNode *node)
{
  GValue *value = g_new0 (GValue, 1);

  g_value_init (value, JSON_TYPE_NODE);
  g_value_take_boxed (value, node);
  return value;
}

/* Applies @layer to @data; @item stands for the layer's own value when it
 * is not NULL (the server's version, on commit). Returns new data, or NULL
 * when the layer does not apply to @data. */
static GValue *
apply (const Layer  *layer,
       const GValue *data,
       const GValue *item,
       gboolean      with_marker)
{
  const char *marker = with_marker ? layer->updating_member : NULL;
  const GValue *value = item ? item : &layer->value;
  JsonNode *collection = json_of (data);

  switch (layer->kind)
    {
    case QUARRY_OPTIMISTIC_SET:
      if (marker != NULL && json_of (value) != NULL)
        return json_value_new (mark (json_of (value), marker));
      return _quarry_value_dup (value);

    case QUARRY_OPTIMISTIC_UPSERT:
      {
        JsonNode *node = json_of (value);
        g_autoptr(JsonNode) marked = NULL;

        if (!is_collection (collection) || node == NULL)
          return NULL;
        marked = mark (node, marker);
        return json_value_new (collection_put (collection, item_id (node, layer->id_member),
                                               layer->id_member, marked, TRUE));
      }

    case QUARRY_OPTIMISTIC_DELETE:
      {
        JsonNode *id = json_of (&layer->value);
        JsonNode *existing;
        g_autoptr(JsonNode) marked = NULL;

        if (!is_collection (collection) || id == NULL)
          return NULL;
        existing = collection_find (collection, id, layer->id_member);
        if (existing == NULL)
          return NULL;
        if (marker != NULL)
          marked = mark (existing, marker);
        return json_value_new (collection_put (collection, id, layer->id_member, marked, FALSE));
      }

    default:
      g_assert_not_reached ();
    }
}

/* Layers. */

static void
layer_free (Layer *layer)
{
  if (_quarry_value_is_set (&layer->value))
    g_value_unset (&layer->value);
  g_free (layer->id_member);
  g_free (layer->updating_member);
  g_free (layer);
}

/* Stacks. */

static QuarryOptimisticStack *
stack_ref (QuarryOptimisticStack *self)
{
  self->ref_count++;
  return self;
}

void
_quarry_optimistic_stack_unref (QuarryOptimisticStack *self)
{
  if (--self->ref_count > 0)
    return;

  g_queue_clear_full (&self->layers, (GDestroyNotify) layer_free);
  if (_quarry_value_is_set (&self->base))
    g_value_unset (&self->base);
  g_free (self);
}

void
_quarry_optimistic_stack_detach (QuarryOptimisticStack *self)
{
  self->entry = NULL;
}

gboolean
_quarry_optimistic_stack_is_writing (QuarryOptimisticStack *self)
{
  return self->writing;
}

const GValue *
_quarry_optimistic_stack_get_base (QuarryOptimisticStack *self)
{
  return _quarry_value_is_set (&self->base) ? &self->base : NULL;
}

/* The base with every layer applied, or NULL if that is no data. */
static GValue *
fold (QuarryOptimisticStack *self)
{
  GValue *current = _quarry_value_is_set (&self->base) ? _quarry_value_dup (&self->base) : NULL;

  for (GList *l = self->layers.head; l != NULL; l = l->next)
    {
      GValue *next = apply (l->data, current, NULL, TRUE);

      if (next != NULL)
        {
          _quarry_value_free (current);
          current = next;
        }
    }

  return current;
}

GValue *
_quarry_optimistic_stack_rebase (QuarryOptimisticStack *self,
                                 const GValue          *confirmed)
{
  if (_quarry_value_is_set (&self->base))
    g_value_unset (&self->base);
  _quarry_value_store (&self->base, confirmed);
  return fold (self);
}

/* Shows the base with the remaining layers, and lets go of the entry once
 * no layer is left. */
static void
show (QuarryOptimisticStack *self)
{
  QuarryEntry *entry = self->entry;
  g_autoptr(GValue) shown = NULL;

  if (entry == NULL)
    return;

  _quarry_entry_ref (entry);
  stack_ref (self);

  shown = fold (self);
  if (self->layers.length == 0)
    {
      /* Stop following writes before the last one. */
      g_clear_pointer (&entry->optimistic, _quarry_optimistic_stack_unref);
      self->entry = NULL;
    }

  self->writing = TRUE;
  if (shown != NULL)
    _quarry_entry_set_data (entry, shown, 0, TRUE, NULL);
  else if (entry->client != NULL)
    _quarry_entry_clear_data (entry);
  self->writing = FALSE;

  _quarry_optimistic_stack_unref (self);
  _quarry_entry_unref (entry);
}

void
_quarry_optimistic_stack_refold (QuarryOptimisticStack *self,
                                 gboolean               rebase_from_entry)
{
  if (rebase_from_entry && self->entry != NULL)
    {
      if (_quarry_value_is_set (&self->base))
        g_value_unset (&self->base);
      if (_quarry_state_data_has_data (&self->entry->state))
        _quarry_value_store (&self->base, &self->entry->state.data);
    }
  show (self);
}

static QuarryOptimisticStack *
stack_for_entry (QuarryEntry *entry)
{
  QuarryOptimisticStack *self;

  if (entry->optimistic != NULL)
    return entry->optimistic;

  self = g_new0 (QuarryOptimisticStack, 1);
  self->ref_count = 1;   /* the entry's */
  self->entry = entry;
  g_queue_init (&self->layers);
  if (_quarry_state_data_has_data (&entry->state))
    _quarry_value_store (&self->base, &entry->state.data);
  entry->optimistic = self;
  return self;
}

/* Restorers. */

static void
resolve (QuarryRestorer *self,
         gboolean        keep,
         const GValue   *confirmed)
{
  QuarryOptimisticStack *stack = g_steal_pointer (&self->stack);
  Layer *layer = g_steal_pointer (&self->layer);

  if (stack == NULL)
    return;

  g_queue_remove (&stack->layers, layer);

  if (keep)
    {
      g_autoptr(GValue) base = NULL;
      const GValue *item = NULL;

      /* The server's version replaces the optimistic one when it has the
       * right shape: any value for a singleton, an object with an id for an
       * item (a reply such as {"ok": true} is not the item). */
      if (_quarry_value_is_set (confirmed) &&
          (layer->kind == QUARRY_OPTIMISTIC_SET ||
           (layer->kind == QUARRY_OPTIMISTIC_UPSERT && json_of (confirmed) != NULL &&
            item_id (json_of (confirmed), layer->id_member) != NULL &&
            JSON_NODE_HOLDS_VALUE (item_id (json_of (confirmed), layer->id_member)))))
        item = confirmed;

      base = apply (layer, _quarry_value_is_set (&stack->base) ? &stack->base : NULL, item, FALSE);
      if (base != NULL)
        {
          if (_quarry_value_is_set (&stack->base))
            g_value_unset (&stack->base);
          _quarry_value_store (&stack->base, base);
        }
    }

  layer_free (layer);
  show (stack);
  _quarry_optimistic_stack_unref (stack);
}

QuarryRestorer *
_quarry_restorer_new_layer (QuarryQueryClient     *client,
                            QuarryKey             *key,
                            QuarryOptimisticKind   kind,
                            const GValue          *value,
                            const char            *id_member,
                            const char            *updating_member,
                            GError               **error)
{
  QuarryRestorer *self;
  QuarryEntry *entry;
  QuarryOptimisticStack *stack;
  Layer *layer;

  if (kind == QUARRY_OPTIMISTIC_SET)
    {
      if (!_quarry_value_validate (value, error))
        return NULL;
      entry = _quarry_query_client_ensure_entry (client, key);
    }
  else
    {
      entry = _quarry_query_client_lookup_entry (client, key);
      if (entry != NULL)
        _quarry_entry_ref (entry);
    }

  if (entry != NULL && _quarry_state_data_has_data (&entry->state) && kind != QUARRY_OPTIMISTIC_SET &&
      !is_collection (json_of (&entry->state.data)))
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                   _("The data of %s is not a JSON collection"), quarry_key_to_string (key));
      _quarry_entry_unref (entry);
      return NULL;
    }

  self = g_new0 (QuarryRestorer, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->key = quarry_key_ref (key);

  /* Nothing is cached under the key: there is nothing to change, and
   * nothing to undo. */
  if (entry == NULL || entry->client == NULL)
    {
      g_clear_pointer (&entry, _quarry_entry_unref);
      return self;
    }

  /* A fetch in flight would overwrite the optimistic data with what the
   * server had before the change: cancel it, back to the data it started
   * from. A first load is left alone: its data becomes the base, with the
   * change applied on top. */
  if (_quarry_state_data_has_data (&entry->state))
    _quarry_entry_cancel (entry, TRUE, FALSE);

  layer = g_new0 (Layer, 1);
  layer->kind = kind;
  _quarry_value_store (&layer->value, value);
  layer->id_member = g_strdup (id_member ? id_member : "id");
  layer->updating_member = g_strdup (updating_member);

  stack = stack_for_entry (entry);
  g_queue_push_tail (&stack->layers, layer);
  self->stack = stack_ref (stack);
  self->layer = layer;

  show (stack);

  _quarry_entry_unref (entry);
  return self;
}

/**
 * quarry_restorer_ref:
 * @self: a restorer
 *
 * Acquires a reference on @self.
 *
 * Returns: (transfer full): @self
 */
QuarryRestorer *
quarry_restorer_ref (QuarryRestorer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * quarry_restorer_unref:
 * @self: (transfer full): a restorer
 *
 * Releases a reference on @self. Dropping the last reference while the
 * change is pending commits it.
 */
void
quarry_restorer_unref (QuarryRestorer *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      resolve (self, TRUE, NULL);
      quarry_key_unref (self->key);
      g_free (self);
    }
}

/**
 * quarry_restorer_get_key:
 * @self: a restorer
 *
 * Gets the key whose data the update changed.
 *
 * Returns: (transfer none): the key
 */
QuarryKey *
quarry_restorer_get_key (QuarryRestorer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->key;
}

/**
 * quarry_restorer_get_is_pending:
 * @self: a restorer
 *
 * Gets whether the change is still applied and neither restored nor
 * committed. An update of a key with nothing cached is never pending.
 *
 * Returns: `TRUE` while pending
 */
gboolean
quarry_restorer_get_is_pending (QuarryRestorer *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->stack != NULL;
}

/**
 * quarry_restorer_restore:
 * @self: a restorer
 *
 * Rolls the change back: the entry shows its confirmed data with the other
 * pending changes applied. Does nothing once restored or committed.
 */
void
quarry_restorer_restore (QuarryRestorer *self)
{
  g_return_if_fail (self != NULL);
  resolve (self, FALSE, NULL);
}

/**
 * quarry_restorer_commit:
 * @self: a restorer
 * @confirmed: (nullable): the server's version of the changed data, or
 *   `NULL` to keep the optimistic one
 *
 * Keeps the change as confirmed data and clears its "updating" marker.
 *
 * For a singleton, @confirmed replaces the data; for an upsert, a JSON
 * object in @confirmed is stored by its own id (so an item created with a
 * temporary id takes the id the server gave it); for a deletion it is not
 * used. Does nothing once restored or committed.
 */
void
quarry_restorer_commit (QuarryRestorer *self,
                        const GValue   *confirmed)
{
  g_return_if_fail (self != NULL);
  resolve (self, TRUE, confirmed);
}

/* The client's helpers. */

/**
 * quarry_query_client_optimistic_set:
 * @self: a client
 * @key: the key of a singleton, such as `["todos", 5]`
 * @value: the data to show
 * @updating_member: (nullable): a member set to `true` on @value while the
 *   change is pending, when @value is a JSON object, or `NULL`
 * @error: return location for an error
 *
 * Shows @value as the data of @key until the returned restorer restores or
 * commits it. A fetch of @key in flight is cancelled first.
 *
 * Returns: (transfer full): the restorer, or `NULL` with @error set when
 *   @value cannot be cached
 */
QuarryRestorer *
quarry_query_client_optimistic_set (QuarryQueryClient  *self,
                                    QuarryKey          *key,
                                    const GValue       *value,
                                    const char         *updating_member,
                                    GError            **error)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _quarry_restorer_new_layer (self, key, QUARRY_OPTIMISTIC_SET, value,
                                     NULL, updating_member, error);
}

static gboolean
check_item (JsonNode    *item,
            const char  *id_member,
            GError     **error)
{
  JsonNode *id = item_id (item, id_member);

  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id))
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                   _("The item is not a JSON object with a “%s” member"), id_member);
      return FALSE;
    }
  return TRUE;
}

/**
 * quarry_query_client_optimistic_upsert:
 * @self: a client
 * @key: the key of a JSON collection, such as `["todos"]`
 * @item: a JSON object with an id member
 * @id_member: (nullable): the name of the id member, or `NULL` for `id`
 * @updating_member: (nullable): a member set to `true` on @item while the
 *   change is pending, or `NULL`
 * @error: return location for an error
 *
 * Shows @item in the collection of @key, replacing the member with the
 * same id or appended when there is none, until the returned restorer
 * restores or commits it. A fetch of @key in flight is cancelled first.
 *
 * The collection is a JSON array of objects, matched by their id member,
 * or a JSON object whose member names are the ids. Nothing changes when
 * nothing is cached under @key.
 *
 * Returns: (transfer full): the restorer, or `NULL` with @error set when
 *   @item has no id or the data of @key is not a collection
 */
QuarryRestorer *
quarry_query_client_optimistic_upsert (QuarryQueryClient  *self,
                                       QuarryKey          *key,
                                       JsonNode           *item,
                                       const char         *id_member,
                                       const char         *updating_member,
                                       GError            **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (item != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_item (item, id_member ? id_member : "id", error))
    return NULL;

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, item);
  return _quarry_restorer_new_layer (self, key, QUARRY_OPTIMISTIC_UPSERT, &value,
                                     id_member, updating_member, error);
}

/**
 * quarry_query_client_optimistic_delete:
 * @self: a client
 * @key: the key of a JSON collection, such as `["todos"]`
 * @id: the id of the member to delete, a JSON string or number
 * @id_member: (nullable): the name of the id member, or `NULL` for `id`
 * @updating_member: (nullable): a member set to `true` on the item, which
 *   then stays visible until the deletion is committed, or `NULL` to hide
 *   it at once
 * @error: return location for an error
 *
 * Hides the member @id of the collection of @key, or marks it, until the
 * returned restorer restores or commits the deletion. A fetch of @key in
 * flight is cancelled first.
 *
 * Returns: (transfer full): the restorer, or `NULL` with @error set when
 *   @id is not a scalar or the data of @key is not a collection
 */
QuarryRestorer *
quarry_query_client_optimistic_delete (QuarryQueryClient  *self,
                                       QuarryKey          *key,
                                       JsonNode           *id,
                                       const char         *id_member,
                                       const char         *updating_member,
                                       GError            **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_VALUE (id))
    {
      g_set_error_literal (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                           _("An id must be a JSON string or number"));
      return NULL;
    }

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, id);
  return _quarry_restorer_new_layer (self, key, QUARRY_OPTIMISTIC_DELETE, &value,
                                     id_member, updating_member, error);
}
