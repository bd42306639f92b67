/* quarry-optimistic-update.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-enums.h"
#include "quarry-error.h"
#include "quarry-i18n-private.h"
#include "quarry-mutation.h"
#include "quarry-restorer-private.h"
#include "quarry-value-private.h"

/**
 * QuarryOptimisticUpdate:
 *
 * An optimistic update declared once and applied to each run of a
 * mutation with its variables, following the `mutationOptions` pattern
 * that wraps TanStack's `onMutate`, `onError` and `onSettled`.
 *
 * Add it with [method@MutationOptions.add_optimistic_update]. Before the
 * mutation function runs, the update is applied (see
 * [method@QueryClient.optimistic_set], [method@QueryClient.optimistic_upsert]
 * and [method@QueryClient.optimistic_delete]); if the run fails it is
 * rolled back, and if it succeeds it is committed with what the mutation
 * function returned.
 *
 * By default the variables are the value written: the new data for
 * [enum@Quarry.OptimisticKind.set], the item for
 * [enum@Quarry.OptimisticKind.upsert]; for
 * [enum@Quarry.OptimisticKind.delete] the id is the variables' id member
 * when they are a JSON object, else the variables themselves. A
 * [callback@OptimisticValueFunc] and a [callback@OptimisticKeyFunc] derive
 * something else.
 *
 * Updating a todo in the list and in its own query:
 *
 * ```c
 * g_autoptr(QuarryOptimisticUpdate) in_list =
 *   quarry_optimistic_update_new (QUARRY_OPTIMISTIC_UPSERT, todos_key);
 * g_autoptr(QuarryOptimisticUpdate) alone =
 *   quarry_optimistic_update_new (QUARRY_OPTIMISTIC_SET, todos_key);
 *
 * quarry_optimistic_update_set_updating_member (in_list, "isUpdating");
 * quarry_optimistic_update_set_append_id (alone, TRUE);   // ["todos", 5]
 * quarry_mutation_options_add_optimistic_update (options, in_list);
 * quarry_mutation_options_add_optimistic_update (options, alone);
 * ```
 *
 * ## Lists in an envelope, and every list under a prefix
 *
 * A server often sends a list in an object, with members of its own:
 * `{"items": [...], "total": 2}`. With
 * [property@OptimisticUpdate:items-member] the update edits the collection
 * in that member and keeps the others, moving a count such as `total` by
 * one when an item is inserted or deleted
 * ([property@OptimisticUpdate:count-member]).
 *
 * An app usually caches several lists of the same items, one per search
 * or filter: `["todos", {"done": false}]`, `["todos", {"q": "milk"}]`…
 * With a [property@OptimisticUpdate:filter] the update changes every cached
 * entry the filter matches that has data of the right shape, as TanStack's
 * `setQueriesData` does, and its one restorer rolls back or commits the
 * change in all of them. A [callback@OptimisticMatchFunc] picks among them
 * for each run, such as the lists whose search shows a new item.
 *
 * A change of some members of an item (a `PATCH`) is a
 * [property@OptimisticUpdate:merge]: the variables' members are set on the
 * cached item, so that two pending changes of one item (done, then a new
 * title) roll back independently.
 *
 * ```c
 * g_autoptr(QuarryQueryFilter) lists = quarry_query_filter_new (todos_key);
 * g_autoptr(QuarryOptimisticUpdate) rename =
 *   quarry_optimistic_update_new (QUARRY_OPTIMISTIC_UPSERT, NULL);
 *
 * quarry_optimistic_update_set_filter (rename, lists);        // every list under ["todos"]
 * quarry_optimistic_update_set_items_member (rename, "items");
 * quarry_optimistic_update_set_merge (rename, TRUE);          // {"id": 5, "title": "…"}
 * quarry_optimistic_update_set_updating_member (rename, "pending");
 * quarry_mutation_options_add_optimistic_update (options, rename);
 * ```
 *
 * Applied by hand with [method@OptimisticUpdate.apply], an update is
 * TanStack's `onMutate` with `setQueriesData`, and its restorer the
 * rollback.
 */

struct _QuarryOptimisticUpdate
{
  GObject parent_instance;

  QuarryOptimisticKind kind;
  QuarryKey *key;
  char *id_member;
  char *updating_member;
  char *items_member;
  char *count_member;
  QuarryQueryFilter *filter;
  QuarryOptimisticKeyFunc key_func;
  gpointer key_func_data;
  GDestroyNotify key_func_destroy;
  QuarryOptimisticValueFunc value_func;
  gpointer value_func_data;
  GDestroyNotify value_func_destroy;
  QuarryOptimisticMatchFunc match_func;
  gpointer match_func_data;
  GDestroyNotify match_func_destroy;
  gboolean append_id;
  gboolean merge;
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_KEY,
  PROP_ID_MEMBER,
  PROP_UPDATING_MEMBER,
  PROP_APPEND_ID,
  PROP_ITEMS_MEMBER,
  PROP_COUNT_MEMBER,
  PROP_MERGE,
  PROP_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (QuarryOptimisticUpdate, quarry_optimistic_update, G_TYPE_OBJECT)

/* set_str () is GLib 2.76. */
static gboolean
set_str (char       **slot,
         const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static void
clear_funcs (QuarryOptimisticUpdate *self)
{
  if (self->key_func_destroy != NULL)
    self->key_func_destroy (self->key_func_data);
  self->key_func = NULL;
  self->key_func_data = NULL;
  self->key_func_destroy = NULL;

  if (self->value_func_destroy != NULL)
    self->value_func_destroy (self->value_func_data);
  self->value_func = NULL;
  self->value_func_data = NULL;
  self->value_func_destroy = NULL;

  if (self->match_func_destroy != NULL)
    self->match_func_destroy (self->match_func_data);
  self->match_func = NULL;
  self->match_func_data = NULL;
  self->match_func_destroy = NULL;
}

static void
quarry_optimistic_update_finalize (GObject *object)
{
  QuarryOptimisticUpdate *self = (QuarryOptimisticUpdate *)object;

  clear_funcs (self);
  g_clear_pointer (&self->key, quarry_key_unref);
  g_clear_pointer (&self->id_member, g_free);
  g_clear_pointer (&self->updating_member, g_free);
  g_clear_pointer (&self->items_member, g_free);
  g_clear_pointer (&self->count_member, g_free);
  g_clear_object (&self->filter);

  G_OBJECT_CLASS (quarry_optimistic_update_parent_class)->finalize (object);
}

static void
quarry_optimistic_update_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  QuarryOptimisticUpdate *self = QUARRY_OPTIMISTIC_UPDATE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, quarry_optimistic_update_get_kind (self));
      break;
    case PROP_KEY:
      g_value_set_boxed (value, quarry_optimistic_update_get_key (self));
      break;
    case PROP_ID_MEMBER:
      g_value_set_string (value, quarry_optimistic_update_get_id_member (self));
      break;
    case PROP_UPDATING_MEMBER:
      g_value_set_string (value, quarry_optimistic_update_get_updating_member (self));
      break;
    case PROP_APPEND_ID:
      g_value_set_boolean (value, quarry_optimistic_update_get_append_id (self));
      break;
    case PROP_ITEMS_MEMBER:
      g_value_set_string (value, quarry_optimistic_update_get_items_member (self));
      break;
    case PROP_COUNT_MEMBER:
      g_value_set_string (value, quarry_optimistic_update_get_count_member (self));
      break;
    case PROP_MERGE:
      g_value_set_boolean (value, quarry_optimistic_update_get_merge (self));
      break;
    case PROP_FILTER:
      g_value_set_object (value, quarry_optimistic_update_get_filter (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_optimistic_update_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  QuarryOptimisticUpdate *self = QUARRY_OPTIMISTIC_UPDATE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_KEY:
      quarry_optimistic_update_set_key (self, g_value_get_boxed (value));
      break;
    case PROP_ID_MEMBER:
      quarry_optimistic_update_set_id_member (self, g_value_get_string (value));
      break;
    case PROP_UPDATING_MEMBER:
      quarry_optimistic_update_set_updating_member (self, g_value_get_string (value));
      break;
    case PROP_APPEND_ID:
      quarry_optimistic_update_set_append_id (self, g_value_get_boolean (value));
      break;
    case PROP_ITEMS_MEMBER:
      quarry_optimistic_update_set_items_member (self, g_value_get_string (value));
      break;
    case PROP_COUNT_MEMBER:
      quarry_optimistic_update_set_count_member (self, g_value_get_string (value));
      break;
    case PROP_MERGE:
      quarry_optimistic_update_set_merge (self, g_value_get_boolean (value));
      break;
    case PROP_FILTER:
      quarry_optimistic_update_set_filter (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_optimistic_update_class_init (QuarryOptimisticUpdateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = quarry_optimistic_update_finalize;
  object_class->get_property = quarry_optimistic_update_get_property;
  object_class->set_property = quarry_optimistic_update_set_property;

  /**
   * QuarryOptimisticUpdate:kind: (getter get_kind)
   *
   * The shape of the update.
   */
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, QUARRY_TYPE_OPTIMISTIC_KIND, QUARRY_OPTIMISTIC_SET,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryOptimisticUpdate:key: (getter get_key) (setter set_key)
   *
   * The key whose data the update changes, unless a
   * [callback@OptimisticKeyFunc] computes it.
   */
  properties[PROP_KEY] = g_param_spec_boxed ("key", NULL, NULL, QUARRY_TYPE_KEY, rw);

  /**
   * QuarryOptimisticUpdate:id-member: (getter get_id_member) (setter set_id_member)
   *
   * The member that holds an item's id.
   */
  properties[PROP_ID_MEMBER] = g_param_spec_string ("id-member", NULL, NULL, "id", rw);

  /**
   * QuarryOptimisticUpdate:updating-member: (getter get_updating_member) (setter set_updating_member)
   *
   * A member set to `true` on the changed item while the change is
   * pending, so that the interface can show it as such; `NULL` for none.
   */
  properties[PROP_UPDATING_MEMBER] = g_param_spec_string ("updating-member", NULL, NULL, NULL, rw);

  /**
   * QuarryOptimisticUpdate:append-id: (getter get_append_id) (setter set_append_id)
   *
   * Whether the item's id is appended to [property@OptimisticUpdate:key]:
   * with the key `["todos"]` a set of the todo 5 changes `["todos", 5]`.
   */
  properties[PROP_APPEND_ID] = g_param_spec_boolean ("append-id", NULL, NULL, FALSE, rw);

  /**
   * QuarryOptimisticUpdate:items-member: (getter get_items_member) (setter set_items_member)
   *
   * For an upsert or a deletion, the member of the cached JSON object
   * that holds the collection, such as `items` in
   * `{"items": [...], "total": 2}`; the object's other members stay as they
   * are. `NULL` when the data is the collection itself.
   */
  properties[PROP_ITEMS_MEMBER] = g_param_spec_string ("items-member", NULL, NULL, NULL, rw);

  /**
   * QuarryOptimisticUpdate:count-member: (getter get_count_member) (setter set_count_member)
   *
   * With [property@OptimisticUpdate:items-member], an integer member of
   * the object that counts the items, such as `total`: one more while an
   * inserted item shows, one less while a deleted one is hidden. `NULL`
   * for none.
   */
  properties[PROP_COUNT_MEMBER] = g_param_spec_string ("count-member", NULL, NULL, NULL, rw);

  /**
   * QuarryOptimisticUpdate:merge: (getter get_merge) (setter set_merge)
   *
   * Whether the value's members are set on what is cached, keeping its
   * other members, as a `PATCH` does: on the data for
   * [enum@Quarry.OptimisticKind.set], on the item with the same id for
   * [enum@Quarry.OptimisticKind.upsert] (which then inserts nothing). The
   * value is then a JSON object with the changed members (and the id), and
   * a change of a key with no object cached does nothing.
   */
  properties[PROP_MERGE] = g_param_spec_boolean ("merge", NULL, NULL, FALSE, rw);

  /**
   * QuarryOptimisticUpdate:filter: (getter get_filter) (setter set_filter)
   *
   * The entries the update changes, instead of the one of its key: every
   * cached entry the filter matches (and, when set, the
   * [callback@OptimisticMatchFunc] accepts) whose data has the shape the
   * update edits, TanStack's `setQueriesData`. Entries without data, or
   * with data of another shape (an infinite query's pages, one item of the
   * list), are left alone. [property@OptimisticUpdate:key], its key
   * function and [property@OptimisticUpdate:append-id] are then not used.
   */
  properties[PROP_FILTER] = g_param_spec_object ("filter", NULL, NULL, QUARRY_TYPE_QUERY_FILTER, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quarry_optimistic_update_init (QuarryOptimisticUpdate *self)
{
  self->id_member = g_strdup ("id");
}

/**
 * quarry_optimistic_update_new:
 * @kind: the shape of the update
 * @key: (nullable): the key whose data it changes, or `NULL` when a
 *   [callback@OptimisticKeyFunc] computes it
 *
 * Creates an optimistic update.
 *
 * Returns: (transfer full): the update
 */
QuarryOptimisticUpdate *
quarry_optimistic_update_new (QuarryOptimisticKind  kind,
                              QuarryKey            *key)
{
  return g_object_new (QUARRY_TYPE_OPTIMISTIC_UPDATE, "kind", kind, "key", key, NULL);
}

/**
 * quarry_optimistic_update_get_kind: (get-property kind)
 * @self: an update
 *
 * Gets the shape of the update.
 *
 * Returns: the kind
 */
QuarryOptimisticKind
quarry_optimistic_update_get_kind (QuarryOptimisticUpdate *self)
{
  g_return_val_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self), QUARRY_OPTIMISTIC_SET);
  return self->kind;
}

/**
 * quarry_optimistic_update_get_key: (get-property key)
 * @self: an update
 *
 * Gets the key the update changes.
 *
 * Returns: (transfer none) (nullable): the key
 */
QuarryKey *
quarry_optimistic_update_get_key (QuarryOptimisticUpdate *self)
{
  g_return_val_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self), NULL);
  return self->key;
}

/**
 * quarry_optimistic_update_set_key: (set-property key)
 * @self: an update
 * @key: (nullable): the key
 *
 * Sets the key the update changes.
 */
void
quarry_optimistic_update_set_key (QuarryOptimisticUpdate *self,
                                  QuarryKey              *key)
{
  g_return_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self));

  if (self->key == key || (self->key && key && quarry_key_equal (self->key, key)))
    return;

  g_clear_pointer (&self->key, quarry_key_unref);
  self->key = key ? quarry_key_ref (key) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
}

/**
 * quarry_optimistic_update_get_id_member: (get-property id-member)
 * @self: an update
 *
 * Gets the member that holds an item's id.
 *
 * Returns: the member name
 */
const char *
quarry_optimistic_update_get_id_member (QuarryOptimisticUpdate *self)
{
  g_return_val_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self), NULL);
  return self->id_member;
}

/**
 * quarry_optimistic_update_set_id_member: (set-property id-member)
 * @self: an update
 * @id_member: (nullable): the member name, or `NULL` for `id`
 *
 * Sets the member that holds an item's id.
 */
void
quarry_optimistic_update_set_id_member (QuarryOptimisticUpdate *self,
                                        const char             *id_member)
{
  g_return_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self));

  if (id_member == NULL)
    id_member = "id";
  if (set_str (&self->id_member, id_member))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID_MEMBER]);
}

/**
 * quarry_optimistic_update_get_updating_member: (get-property updating-member)
 * @self: an update
 *
 * Gets the member that marks a pending item.
 *
 * Returns: (nullable): the member name
 */
const char *
quarry_optimistic_update_get_updating_member (QuarryOptimisticUpdate *self)
{
  g_return_val_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self), NULL);
  return self->updating_member;
}

/**
 * quarry_optimistic_update_set_updating_member: (set-property updating-member)
 * @self: an update
 * @updating_member: (nullable): the member name, or `NULL` for no marker
 *
 * Sets the member that marks a pending item.
 */
void
quarry_optimistic_update_set_updating_member (QuarryOptimisticUpdate *self,
                                              const char             *updating_member)
{
  g_return_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self));

  if (set_str (&self->updating_member, updating_member))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATING_MEMBER]);
}

/**
 * quarry_optimistic_update_get_append_id: (get-property append-id)
 * @self: an update
 *
 * Gets whether the item's id is appended to the key.
 *
 * Returns: `TRUE` if it is
 */
gboolean
quarry_optimistic_update_get_append_id (QuarryOptimisticUpdate *self)
{
  g_return_val_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self), FALSE);
  return self->append_id;
}

/**
 * quarry_optimistic_update_set_append_id: (set-property append-id)
 * @self: an update
 * @append_id: whether to append the id
 *
 * Sets whether the item's id is appended to the key.
 */
void
quarry_optimistic_update_set_append_id (QuarryOptimisticUpdate *self,
                                        gboolean                append_id)
{
  g_return_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self));

  append_id = !!append_id;
  if (self->append_id == append_id)
    return;

  self->append_id = append_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPEND_ID]);
}

/**
 * quarry_optimistic_update_get_items_member: (get-property items-member)
 * @self: an update
 *
 * Gets the member that holds the collection.
 *
 * Returns: (nullable): the member name, or `NULL` when the data is the
 *   collection
 */
const char *
quarry_optimistic_update_get_items_member (QuarryOptimisticUpdate *self)
{
  g_return_val_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self), NULL);
  return self->items_member;
}

/**
 * quarry_optimistic_update_set_items_member: (set-property items-member)
 * @self: an update
 * @items_member: (nullable): the member name, or `NULL` when the data is
 *   the collection
 *
 * Sets the member that holds the collection.
 */
void
quarry_optimistic_update_set_items_member (QuarryOptimisticUpdate *self,
                                           const char             *items_member)
{
  g_return_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self));

  if (set_str (&self->items_member, items_member))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS_MEMBER]);
}

/**
 * quarry_optimistic_update_get_count_member: (get-property count-member)
 * @self: an update
 *
 * Gets the member that counts the items.
 *
 * Returns: (nullable): the member name, or `NULL` for none
 */
const char *
quarry_optimistic_update_get_count_member (QuarryOptimisticUpdate *self)
{
  g_return_val_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self), NULL);
  return self->count_member;
}

/**
 * quarry_optimistic_update_set_count_member: (set-property count-member)
 * @self: an update
 * @count_member: (nullable): the member name, or `NULL` for none
 *
 * Sets the member that counts the items.
 */
void
quarry_optimistic_update_set_count_member (QuarryOptimisticUpdate *self,
                                           const char             *count_member)
{
  g_return_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self));

  if (set_str (&self->count_member, count_member))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT_MEMBER]);
}

/**
 * quarry_optimistic_update_get_merge: (get-property merge)
 * @self: an update
 *
 * Gets whether the value's members are merged into what is cached.
 *
 * Returns: `TRUE` if they are
 */
gboolean
quarry_optimistic_update_get_merge (QuarryOptimisticUpdate *self)
{
  g_return_val_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self), FALSE);
  return self->merge;
}

/**
 * quarry_optimistic_update_set_merge: (set-property merge)
 * @self: an update
 * @merge: whether to merge
 *
 * Sets whether the value's members are merged into what is cached.
 */
void
quarry_optimistic_update_set_merge (QuarryOptimisticUpdate *self,
                                    gboolean                merge)
{
  g_return_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self));

  merge = !!merge;
  if (self->merge == merge)
    return;

  self->merge = merge;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MERGE]);
}

/**
 * quarry_optimistic_update_get_filter: (get-property filter)
 * @self: an update
 *
 * Gets the filter of the entries the update changes.
 *
 * Returns: (transfer none) (nullable): the filter, or `NULL` when the
 *   update changes the entry of its key
 */
QuarryQueryFilter *
quarry_optimistic_update_get_filter (QuarryOptimisticUpdate *self)
{
  g_return_val_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self), NULL);
  return self->filter;
}

/**
 * quarry_optimistic_update_set_filter: (set-property filter)
 * @self: an update
 * @filter: (nullable): the filter, or `NULL` to change the entry of the
 *   update's key
 *
 * Sets the filter of the entries the update changes. The filter is used
 * as it is when the update is applied, not copied.
 */
void
quarry_optimistic_update_set_filter (QuarryOptimisticUpdate *self,
                                     QuarryQueryFilter      *filter)
{
  g_return_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self));
  g_return_if_fail (filter == NULL || QUARRY_IS_QUERY_FILTER (filter));

  if (g_set_object (&self->filter, filter))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

/**
 * quarry_optimistic_update_set_match_func:
 * @self: an update
 * @match_func: (nullable) (scope notified) (closure user_data) (destroy destroy): picks the entries
 * @user_data: data for @match_func
 * @destroy: (nullable): frees @user_data
 *
 * Sets a function that decides, for each run, which of the entries
 * [property@OptimisticUpdate:filter] matches the update changes.
 */
void
quarry_optimistic_update_set_match_func (QuarryOptimisticUpdate    *self,
                                         QuarryOptimisticMatchFunc  match_func,
                                         gpointer                   user_data,
                                         GDestroyNotify             destroy)
{
  g_return_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self));

  if (self->match_func_destroy != NULL)
    self->match_func_destroy (self->match_func_data);
  self->match_func = match_func;
  self->match_func_data = user_data;
  self->match_func_destroy = destroy;
}

/**
 * quarry_optimistic_update_set_key_func:
 * @self: an update
 * @key_func: (nullable) (scope notified) (closure user_data) (destroy destroy): computes the key
 * @user_data: data for @key_func
 * @destroy: (nullable): frees @user_data
 *
 * Sets a function that computes the key from a run's variables, instead of
 * [property@OptimisticUpdate:key].
 */
void
quarry_optimistic_update_set_key_func (QuarryOptimisticUpdate  *self,
                                       QuarryOptimisticKeyFunc  key_func,
                                       gpointer                 user_data,
                                       GDestroyNotify           destroy)
{
  g_return_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self));

  if (self->key_func_destroy != NULL)
    self->key_func_destroy (self->key_func_data);
  self->key_func = key_func;
  self->key_func_data = user_data;
  self->key_func_destroy = destroy;
}

/**
 * quarry_optimistic_update_set_value_func:
 * @self: an update
 * @value_func: (nullable) (scope notified) (closure user_data) (destroy destroy): computes the value
 * @user_data: data for @value_func
 * @destroy: (nullable): frees @user_data
 *
 * Sets a function that computes what the update writes from a run's
 * variables, instead of using the variables themselves.
 */
void
quarry_optimistic_update_set_value_func (QuarryOptimisticUpdate    *self,
                                         QuarryOptimisticValueFunc  value_func,
                                         gpointer                   user_data,
                                         GDestroyNotify             destroy)
{
  g_return_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self));

  if (self->value_func_destroy != NULL)
    self->value_func_destroy (self->value_func_data);
  self->value_func = value_func;
  self->value_func_data = user_data;
  self->value_func_destroy = destroy;
}

/* A JSON node for a scalar GValue: a string or an integer id. */
static JsonNode *
node_from_value (const GValue *value)
{
  JsonNode *node = NULL;

  if (!_quarry_value_is_set (value))
    return NULL;

  if (G_VALUE_HOLDS (value, JSON_TYPE_NODE))
    return g_value_get_boxed (value) ? json_node_ref (g_value_get_boxed (value)) : NULL;

  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, g_value_get_string (value));
    }
  else if (g_value_type_transformable (G_VALUE_TYPE (value), G_TYPE_INT64) &&
           !G_VALUE_HOLDS_DOUBLE (value) && !G_VALUE_HOLDS_FLOAT (value) &&
           !G_VALUE_HOLDS_BOOLEAN (value))
    {
      g_auto(GValue) as_int = G_VALUE_INIT;

      g_value_init (&as_int, G_TYPE_INT64);
      g_value_transform (value, &as_int);
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, g_value_get_int64 (&as_int));
    }

  return node;
}

/* What the update writes for @variables. */
static GValue *
value_for (QuarryOptimisticUpdate  *self,
           const GValue            *variables,
           GError                 **error)
{
  g_autoptr(JsonNode) node = NULL;
  GValue *value;

  if (self->value_func != NULL)
    {
      GError *local_error = NULL;

      value = g_new0 (GValue, 1);
      self->value_func (variables, value, self->value_func_data, &local_error);
      if (local_error != NULL || !_quarry_value_is_set (value))
        {
          if (local_error == NULL)
            local_error = g_error_new_literal (QUARRY_ERROR, QUARRY_ERROR_NO_RESULT,
                                               _("The optimistic value function returned nothing"));
          g_propagate_error (error, local_error);
          g_clear_pointer (&value, _quarry_value_free);
        }
      return value;
    }

  if (self->kind == QUARRY_OPTIMISTIC_SET)
    {
      if (!_quarry_value_is_set (variables))
        {
          g_set_error_literal (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                               _("An optimistic update needs variables to write"));
          return NULL;
        }
      return _quarry_value_dup (variables);
    }

  node = node_from_value (variables);
  if (node != NULL && self->kind == QUARRY_OPTIMISTIC_DELETE && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *id = json_object_get_member (json_node_get_object (node), self->id_member);

      g_clear_pointer (&node, json_node_unref);
      if (id != NULL)
        node = json_node_ref (id);
    }

  if (node == NULL)
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                   self->kind == QUARRY_OPTIMISTIC_DELETE
                     ? _("The variables give no id to delete")
                     : _("The variables are not a JSON item"));
      return NULL;
    }

  value = g_new0 (GValue, 1);
  g_value_init (value, JSON_TYPE_NODE);
  g_value_take_boxed (value, g_steal_pointer (&node));
  return value;
}

static QuarryKey *
key_for (QuarryOptimisticUpdate  *self,
         const GValue            *variables,
         const GValue            *value,
         GError                 **error)
{
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonNode *id = NULL;

  if (self->key_func != NULL)
    key = self->key_func (variables, self->key_func_data);
  else if (self->key != NULL)
    key = quarry_key_ref (self->key);

  if (key == NULL || !self->append_id)
    return g_steal_pointer (&key);

  if (G_VALUE_HOLDS (value, JSON_TYPE_NODE) && g_value_get_boxed (value) != NULL)
    {
      JsonNode *node = g_value_get_boxed (value);

      if (JSON_NODE_HOLDS_OBJECT (node))
        id = json_object_get_member (json_node_get_object (node), self->id_member);
      else if (JSON_NODE_HOLDS_VALUE (node))
        id = node;
    }

  if (id == NULL)
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                   _("The item has no “%s” member to append to the key %s"),
                   self->id_member, quarry_key_to_string (key));
      return NULL;
    }

  json = quarry_key_to_json (key);
  json_array_add_element (json_node_get_array (json), json_node_copy (id));
  return quarry_key_new_from_json (json, error);
}

/**
 * quarry_optimistic_update_apply:
 * @self: an update
 * @client: the client whose cache it changes
 * @variables: (nullable): a mutation's variables
 * @error: return location for an error
 *
 * Applies the update for @variables, as a mutation does before its
 * function runs.
 *
 * With a [property@OptimisticUpdate:filter], the change goes into every
 * matching entry that has data of the right shape, and the restorer stands
 * for all of them; none is an error.
 *
 * Returns: (transfer full) (nullable): the restorer that rolls it back or
 *   commits it, or `NULL` with @error set; `NULL` without an error when a
 *   [callback@OptimisticKeyFunc] gave no key
 */
QuarryRestorer *
quarry_optimistic_update_apply (QuarryOptimisticUpdate  *self,
                                QuarryQueryClient       *client,
                                const GValue            *variables,
                                GError                 **error)
{
  QuarryOptimisticShape shape = {
    .id_member = self->id_member,
    .updating_member = self->updating_member,
    .items_member = self->items_member,
    .count_member = self->count_member,
    .merge = self->merge,
  };
  g_autoptr(GValue) value = NULL;
  g_autoptr(QuarryKey) key = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (self), NULL);
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (client), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  value = value_for (self, variables, error);
  if (value == NULL)
    return NULL;

  if (self->kind != QUARRY_OPTIMISTIC_SET &&
      (!G_VALUE_HOLDS (value, JSON_TYPE_NODE) || g_value_get_boxed (value) == NULL))
    {
      g_set_error_literal (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                           _("The optimistic value is not JSON"));
      return NULL;
    }

  if (self->filter != NULL)
    {
      g_autoptr(GPtrArray) keys = NULL;

      if (!_quarry_optimistic_check_value (self->kind, value, &shape, error))
        return NULL;

      keys = quarry_query_client_find_keys (client, self->filter);
      if (self->match_func != NULL)
        for (guint i = keys->len; i > 0; i--)
          if (!self->match_func (variables, g_ptr_array_index (keys, i - 1), self->match_func_data))
            g_ptr_array_remove_index (keys, i - 1);

      return _quarry_restorer_new_layers (client, quarry_query_filter_get_key (self->filter), keys,
                                          self->kind, value, &shape);
    }

  key = key_for (self, variables, value, &local_error);
  if (key == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      return NULL;
    }

  return _quarry_restorer_new_layer (client, key, self->kind, value, &shape, error);
}
