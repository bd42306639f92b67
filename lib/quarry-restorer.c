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
 * One restorer may stand for the same change in several entries: a
 * [class@OptimisticUpdate] with a [property@OptimisticUpdate:filter]
 * changes every cached list it matches, as TanStack's `setQueriesData`
 * does, and its restorer rolls back or commits the change in all of them,
 * with the same guarantees in each.
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
  char *items_member;    /* the envelope's member holding the collection */
  char *count_member;    /* the envelope's member counting the items */
  gboolean merge;        /* the value's members go onto the existing object */
} Layer;

struct _QuarryOptimisticStack
{
  gint ref_count;
  QuarryEntry *entry;    /* unowned: the entry holds the stack */
  GValue base;           /* unset while the entry has no confirmed data */
  GQueue layers;         /* Layer, oldest first */
  gboolean writing;
};

/* The change in one entry. */
typedef struct
{
  QuarryKey *key;
  QuarryOptimisticStack *stack;   /* NULL once restored or committed */
  Layer *layer;
} Part;

struct _QuarryRestorer
{
  gatomicrefcount ref_count;
  QuarryKey *key;                 /* the key, or the filter's; may be NULL */
  GPtrArray *parts;               /* Part, one per changed entry */
  gboolean resolved;
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

static gboolean
is_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node);
}

static JsonNode *
object_node_new (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

/* A copy of the object @item with the members of the object @patch set on
 * it (NULL for none), and its marker member set to true (NULL for none). */
static JsonNode *
merge_into (JsonNode   *item,
            JsonNode   *patch,
            const char *marker)
{
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (json_node_get_object (item));

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            json_node_ref (json_object_get_member (json_node_get_object (item), l->data)));

  if (patch != NULL)
    {
      g_autoptr(GList) changed = json_object_get_members (json_node_get_object (patch));

      for (GList *l = changed; l != NULL; l = l->next)
        json_object_set_member (copy, l->data,
                                json_node_ref (json_object_get_member (json_node_get_object (patch), l->data)));
    }

  if (marker != NULL)
    json_object_set_boolean_member (copy, marker, TRUE);

  return object_node_new (copy);
}

/* @item with its marker member set to true, or @item itself. */
static JsonNode *
mark (JsonNode   *item,
      const char *marker)
{
  if (marker == NULL || !JSON_NODE_HOLDS_OBJECT (item))
    return json_node_ref (item);
  return merge_into (item, NULL, marker);
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
 * drop it), or @replacement appended when @id is absent; @delta tells
 * whether that removed (-1) or added (1) an item. */
static JsonNode *
collection_put (JsonNode   *collection,
                JsonNode   *id,
                const char *id_member,
                JsonNode   *replacement,
                gboolean    insert,
                int        *delta)
{
  gboolean found = FALSE;
  JsonNode *result;

  if (JSON_NODE_HOLDS_ARRAY (collection))
    {
      JsonArray *array = json_node_get_array (collection);
      guint n = json_array_get_length (array);
      JsonArray *copy = json_array_sized_new (n + 1);

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
      else if (!found)
        insert = FALSE;

      result = object_node_new (copy);
    }

  if (found && replacement == NULL)
    *delta = -1;
  else if (!found && insert && replacement != NULL)
    *delta = 1;
  else
    *delta = 0;

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

/* The collection a layer edits in @data: @data itself, or its items
 * member; NULL when @data has none. */
static JsonNode *
collection_of (const Layer *layer,
               JsonNode    *data)
{
  JsonNode *items;

  if (data == NULL)
    return NULL;
  if (layer->items_member == NULL)
    return is_collection (data) ? data : NULL;
  if (!JSON_NODE_HOLDS_OBJECT (data))
    return NULL;
  items = json_object_get_member (json_node_get_object (data), layer->items_member);
  return is_collection (items) ? items : NULL;
}

/* @data with @collection in place of the collection the layer edits, and
 * the envelope's count moved by @delta. */
static JsonNode *
with_collection (const Layer *layer,
                 JsonNode    *data,
                 JsonNode    *collection,
                 int          delta)
{
  JsonObject *envelope;
  JsonObject *copy;
  g_autoptr(GList) members = NULL;

  if (layer->items_member == NULL)
    return collection;

  envelope = json_node_get_object (data);
  copy = json_object_new ();
  members = json_object_get_members (envelope);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *member = json_object_get_member (envelope, name);

      if (g_str_equal (name, layer->items_member))
        json_object_set_member (copy, name, json_node_ref (collection));
      else if (delta != 0 && g_strcmp0 (name, layer->count_member) == 0 &&
               JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_INT64)
        json_object_set_int_member (copy, name, MAX (0, json_node_get_int (member) + delta));
      else
        json_object_set_member (copy, name, json_node_ref (member));
    }

  json_node_unref (collection);
  return object_node_new (copy);
}

/* Whether a layer has something to edit in @data. */
static gboolean
fits (const Layer *layer,
      JsonNode    *data)
{
  switch (layer->kind)
    {
    case QUARRY_OPTIMISTIC_SET:
      return !layer->merge || is_object (data);
    case QUARRY_OPTIMISTIC_UPSERT:
    case QUARRY_OPTIMISTIC_DELETE:
      return collection_of (layer, data) != NULL;
    default:
      g_assert_not_reached ();
    }
}

/* The collection @collection with the layer's item (or @node, the server's
 * version of it) put in, merged in, or deleted. */
static JsonNode *
edit_collection (const Layer *layer,
                 JsonNode    *collection,
                 JsonNode    *node,
                 const char  *marker,
                 int         *delta)
{
  g_autoptr(JsonNode) replacement = NULL;
  JsonNode *target;
  JsonNode *existing;

  if (layer->kind == QUARRY_OPTIMISTIC_UPSERT && !layer->merge)
    {
      /* Stored by its own id: an item created with a temporary id takes
       * the id the server gave it. */
      replacement = mark (node, marker);
      return collection_put (collection, item_id (node, layer->id_member), layer->id_member,
                             replacement, TRUE, delta);
    }

  target = layer->kind == QUARRY_OPTIMISTIC_DELETE ? json_of (&layer->value)
                                                   : item_id (json_of (&layer->value), layer->id_member);
  existing = collection_find (collection, target, layer->id_member);
  if (existing == NULL)
    return NULL;

  if (layer->kind == QUARRY_OPTIMISTIC_UPSERT)
    {
      if (!is_object (existing))
        return NULL;
      replacement = merge_into (existing, node, marker);
    }
  else if (marker != NULL)
    replacement = mark (existing, marker);

  return collection_put (collection, target, layer->id_member, replacement, FALSE, delta);
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
  JsonNode *json = json_of (data);

  switch (layer->kind)
    {
    case QUARRY_OPTIMISTIC_SET:
      if (layer->merge)
        {
          if (!is_object (json) || !is_object (json_of (value)))
            return NULL;
          return json_value_new (merge_into (json, json_of (value), marker));
        }
      if (marker != NULL && json_of (value) != NULL)
        return json_value_new (mark (json_of (value), marker));
      return _quarry_value_dup (value);

    case QUARRY_OPTIMISTIC_UPSERT:
    case QUARRY_OPTIMISTIC_DELETE:
      {
        JsonNode *collection = collection_of (layer, json);
        JsonNode *edited;
        int delta = 0;

        if (collection == NULL || json_of (value) == NULL)
          return NULL;
        edited = edit_collection (layer, collection, json_of (value), marker, &delta);
        if (edited == NULL)
          return NULL;
        return json_value_new (with_collection (layer, json, edited, delta));
      }

    default:
      g_assert_not_reached ();
    }
}

/* Whether @confirmed, the server's answer, is the changed data: any value
 * for a singleton, an object for a merge, an object with an id for an item
 * (a reply such as {"ok": true} is not the item). */
static gboolean
is_confirmed_data (const Layer  *layer,
                   const GValue *confirmed)
{
  JsonNode *id;

  if (!_quarry_value_is_set (confirmed))
    return FALSE;

  switch (layer->kind)
    {
    case QUARRY_OPTIMISTIC_SET:
      return !layer->merge || is_object (json_of (confirmed));
    case QUARRY_OPTIMISTIC_UPSERT:
      id = item_id (json_of (confirmed), layer->id_member);
      return id != NULL && JSON_NODE_HOLDS_VALUE (id);
    case QUARRY_OPTIMISTIC_DELETE:
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

/* Layers. */

static Layer *
layer_new (QuarryOptimisticKind         kind,
           const GValue                *value,
           const QuarryOptimisticShape *shape)
{
  Layer *layer = g_new0 (Layer, 1);

  layer->kind = kind;
  _quarry_value_store (&layer->value, value);
  layer->id_member = g_strdup (shape->id_member ? shape->id_member : "id");
  layer->updating_member = g_strdup (shape->updating_member);
  if (kind != QUARRY_OPTIMISTIC_SET)
    {
      layer->items_member = g_strdup (shape->items_member);
      layer->count_member = shape->items_member != NULL ? g_strdup (shape->count_member) : NULL;
    }
  layer->merge = kind != QUARRY_OPTIMISTIC_DELETE && shape->merge;
  return layer;
}

static void
layer_free (Layer *layer)
{
  if (_quarry_value_is_set (&layer->value))
    g_value_unset (&layer->value);
  g_free (layer->id_member);
  g_free (layer->updating_member);
  g_free (layer->items_member);
  g_free (layer->count_member);
  g_free (layer);
}

static void
layer_set_value (Layer    *layer,
                 JsonNode *node)
{
  g_value_unset (&layer->value);
  g_value_init (&layer->value, JSON_TYPE_NODE);
  g_value_take_boxed (&layer->value, node);
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

/* The pending changes of an item whose id the server replaced (a todo
 * created with a temporary id) follow it to its new id. */
static void
follow_id (QuarryOptimisticStack *stack,
           JsonNode              *old_id,
           JsonNode              *new_id)
{
  for (GList *l = stack->layers.head; l != NULL; l = l->next)
    {
      Layer *layer = l->data;
      JsonNode *node = json_of (&layer->value);

      if (layer->kind == QUARRY_OPTIMISTIC_DELETE && ids_equal (node, old_id))
        layer_set_value (layer, json_node_copy (new_id));
      else if (layer->kind == QUARRY_OPTIMISTIC_UPSERT && ids_equal (item_id (node, layer->id_member), old_id))
        {
          JsonNode *moved = merge_into (node, NULL, NULL);

          json_object_set_member (json_node_get_object (moved), layer->id_member, json_node_copy (new_id));
          layer_set_value (layer, moved);
        }
    }
}

/* Parts and restorers. */

static void
part_free (Part *part)
{
  g_clear_pointer (&part->stack, _quarry_optimistic_stack_unref);
  g_clear_pointer (&part->layer, layer_free);
  quarry_key_unref (part->key);
  g_free (part);
}

static void
part_resolve (Part         *part,
              gboolean      keep,
              const GValue *confirmed)
{
  QuarryOptimisticStack *stack = g_steal_pointer (&part->stack);
  Layer *layer = g_steal_pointer (&part->layer);

  if (stack == NULL)
    return;

  g_queue_remove (&stack->layers, layer);

  if (keep)
    {
      g_autoptr(GValue) base = NULL;
      const GValue *item = is_confirmed_data (layer, confirmed) ? confirmed : NULL;

      base = apply (layer, _quarry_value_is_set (&stack->base) ? &stack->base : NULL, item, FALSE);
      if (base != NULL)
        {
          if (_quarry_value_is_set (&stack->base))
            g_value_unset (&stack->base);
          _quarry_value_store (&stack->base, base);
        }

      if (item != NULL && layer->kind == QUARRY_OPTIMISTIC_UPSERT)
        {
          JsonNode *old_id = item_id (json_of (&layer->value), layer->id_member);
          JsonNode *new_id = item_id (json_of (item), layer->id_member);

          if (old_id != NULL && !ids_equal (old_id, new_id))
            follow_id (stack, old_id, new_id);
        }
    }

  layer_free (layer);
  show (stack);
  _quarry_optimistic_stack_unref (stack);
}

static void
resolve (QuarryRestorer *self,
         gboolean        keep,
         const GValue   *confirmed)
{
  /* Shown data notifies: a handler may use the restorer again. */
  if (self->resolved)
    return;
  self->resolved = TRUE;

  for (guint i = 0; i < self->parts->len; i++)
    part_resolve (g_ptr_array_index (self->parts, i), keep, confirmed);
}

static QuarryRestorer *
restorer_new (QuarryKey *key)
{
  QuarryRestorer *self = g_new0 (QuarryRestorer, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->key = key != NULL ? quarry_key_ref (key) : NULL;
  self->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
  return self;
}

/* Puts @layer on top of @entry's changes and shows it. */
static void
add_part (QuarryRestorer *self,
          QuarryEntry    *entry,
          Layer          *layer)
{
  QuarryOptimisticStack *stack;
  Part *part;

  /* A fetch in flight would overwrite the optimistic data with what the
   * server had before the change: cancel it, back to the data it started
   * from. A first load is left alone: its data becomes the base, with the
   * change applied on top. */
  if (_quarry_state_data_has_data (&entry->state))
    _quarry_entry_cancel (entry, TRUE, FALSE);

  stack = stack_for_entry (entry);
  g_queue_push_tail (&stack->layers, layer);

  part = g_new0 (Part, 1);
  part->key = quarry_key_ref (entry->key);
  part->stack = stack_ref (stack);
  part->layer = layer;
  g_ptr_array_add (self->parts, part);

  show (stack);
}

gboolean
_quarry_optimistic_check_value (QuarryOptimisticKind          kind,
                                const GValue                 *value,
                                const QuarryOptimisticShape  *shape,
                                GError                      **error)
{
  const char *id_member = shape->id_member ? shape->id_member : "id";
  JsonNode *node = json_of (value);
  JsonNode *id;

  switch (kind)
    {
    case QUARRY_OPTIMISTIC_SET:
      if (!shape->merge)
        return _quarry_value_validate (value, error);
      if (!is_object (node))
        {
          g_set_error_literal (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                               _("The members to merge are not a JSON object"));
          return FALSE;
        }
      return TRUE;

    case QUARRY_OPTIMISTIC_UPSERT:
      id = item_id (node, id_member);
      if (id == NULL || !JSON_NODE_HOLDS_VALUE (id))
        {
          g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                       _("The item is not a JSON object with a “%s” member"), id_member);
          return FALSE;
        }
      return TRUE;

    case QUARRY_OPTIMISTIC_DELETE:
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        {
          g_set_error_literal (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                               _("An id must be a JSON string or number"));
          return FALSE;
        }
      return TRUE;

    default:
      g_return_val_if_reached (FALSE);
    }
}

QuarryRestorer *
_quarry_restorer_new_layer (QuarryQueryClient            *client,
                            QuarryKey                    *key,
                            QuarryOptimisticKind          kind,
                            const GValue                 *value,
                            const QuarryOptimisticShape  *shape,
                            GError                      **error)
{
  QuarryRestorer *self;
  QuarryEntry *entry;
  Layer *layer;

  if (!_quarry_optimistic_check_value (kind, value, shape, error))
    return NULL;

  /* A set shows its value even where nothing was cached; the others
   * change what is there. */
  if (kind == QUARRY_OPTIMISTIC_SET && !shape->merge)
    entry = _quarry_query_client_ensure_entry (client, key);
  else
    {
      entry = _quarry_query_client_lookup_entry (client, key);
      if (entry != NULL)
        _quarry_entry_ref (entry);
    }

  layer = layer_new (kind, value, shape);

  if (entry != NULL && _quarry_state_data_has_data (&entry->state) &&
      !fits (layer, json_of (&entry->state.data)))
    {
      if (kind == QUARRY_OPTIMISTIC_SET)
        g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                     _("The data of %s is not a JSON object"), quarry_key_to_string (key));
      else if (layer->items_member != NULL)
        g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                     _("The data of %s is not a JSON object with a collection in “%s”"),
                     quarry_key_to_string (key), layer->items_member);
      else
        g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                     _("The data of %s is not a JSON collection"), quarry_key_to_string (key));
      layer_free (layer);
      _quarry_entry_unref (entry);
      return NULL;
    }

  self = restorer_new (key);

  /* Nothing is cached under the key: there is nothing to change, and
   * nothing to undo. */
  if (entry == NULL || entry->client == NULL)
    {
      layer_free (layer);
      g_clear_pointer (&entry, _quarry_entry_unref);
      return self;
    }

  add_part (self, entry, layer);
  _quarry_entry_unref (entry);
  return self;
}

/* One change in each entry of @keys that has data it applies to, as
 * TanStack's setQueriesData: entries without data, or with data of
 * another shape, are left as they are. @key, which may be NULL, is what
 * the restorer says it changed. */
QuarryRestorer *
_quarry_restorer_new_layers (QuarryQueryClient           *client,
                             QuarryKey                   *key,
                             GPtrArray                   *keys,
                             QuarryOptimisticKind         kind,
                             const GValue                *value,
                             const QuarryOptimisticShape *shape)
{
  QuarryRestorer *self = restorer_new (key);

  for (guint i = 0; i < keys->len; i++)
    {
      QuarryEntry *entry = _quarry_query_client_lookup_entry (client, g_ptr_array_index (keys, i));
      Layer *layer;

      if (entry == NULL || entry->client == NULL || !_quarry_state_data_has_data (&entry->state))
        continue;

      /* A set replaces data of its own type only: never the pages of an
       * infinite query with JSON. */
      if (kind == QUARRY_OPTIMISTIC_SET && !shape->merge &&
          G_VALUE_TYPE (&entry->state.data) != G_VALUE_TYPE (value))
        continue;

      layer = layer_new (kind, value, shape);
      if (!fits (layer, json_of (&entry->state.data)))
        {
          layer_free (layer);
          continue;
        }

      _quarry_entry_ref (entry);
      add_part (self, entry, layer);
      _quarry_entry_unref (entry);
    }

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
      g_ptr_array_unref (self->parts);
      g_clear_pointer (&self->key, quarry_key_unref);
      g_free (self);
    }
}

/**
 * quarry_restorer_get_key:
 * @self: a restorer
 *
 * Gets the key whose data the update changed; for an update of every entry
 * a filter matched (see [property@OptimisticUpdate:filter]), the filter's
 * key.
 *
 * Returns: (transfer none) (nullable): the key, or `NULL` for a filter
 *   without a key
 */
QuarryKey *
quarry_restorer_get_key (QuarryRestorer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->key;
}

/**
 * quarry_restorer_get_keys:
 * @self: a restorer
 *
 * Gets the keys of the entries the update changed: none when nothing was
 * cached, one for an update of one key, as many as had data to change for
 * an update of the entries a filter matched.
 *
 * Returns: (transfer container) (element-type QuarryKey): the keys
 */
GPtrArray *
quarry_restorer_get_keys (QuarryRestorer *self)
{
  GPtrArray *keys;

  g_return_val_if_fail (self != NULL, NULL);

  keys = g_ptr_array_new_full (self->parts->len, (GDestroyNotify) quarry_key_unref);
  for (guint i = 0; i < self->parts->len; i++)
    g_ptr_array_add (keys, quarry_key_ref (((Part *) g_ptr_array_index (self->parts, i))->key));
  return keys;
}

/**
 * quarry_restorer_get_is_pending:
 * @self: a restorer
 *
 * Gets whether the change is still applied and neither restored nor
 * committed. An update that found nothing cached to change is never
 * pending.
 *
 * Returns: `TRUE` while pending
 */
gboolean
quarry_restorer_get_is_pending (QuarryRestorer *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return !self->resolved && self->parts->len > 0;
}

/**
 * quarry_restorer_restore:
 * @self: a restorer
 *
 * Rolls the change back, in every entry it changed: each shows its
 * confirmed data with the other pending changes applied. Does nothing once
 * restored or committed.
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
 * Keeps the change as confirmed data, in every entry it changed, and
 * clears its "updating" marker.
 *
 * For a singleton, @confirmed replaces the data (or, for a merge, its
 * members are set on it); for an upsert, a JSON object with an id in
 * @confirmed is stored by its own id, so an item created with a temporary
 * id takes the id the server gave it, and the item's other pending
 * changes in the same entries follow it to that id; for a merge it is
 * merged into the item; for a deletion it is not used. Does nothing once
 * restored or committed.
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
  QuarryOptimisticShape shape = { .updating_member = updating_member };

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _quarry_restorer_new_layer (self, key, QUARRY_OPTIMISTIC_SET, value, &shape, error);
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
 * A collection inside an envelope (`{"items": [...], "total": 2}`), a
 * change merged into the item, and a change of every list under a prefix
 * are the work of a [class@OptimisticUpdate], which can be applied by
 * hand with [method@OptimisticUpdate.apply].
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
  QuarryOptimisticShape shape = { .id_member = id_member, .updating_member = updating_member };
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (item != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, item);
  return _quarry_restorer_new_layer (self, key, QUARRY_OPTIMISTIC_UPSERT, &value, &shape, error);
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
  QuarryOptimisticShape shape = { .id_member = id_member, .updating_member = updating_member };
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, id);
  return _quarry_restorer_new_layer (self, key, QUARRY_OPTIMISTIC_DELETE, &value, &shape, error);
}
