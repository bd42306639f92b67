/* quarry-item-list.c: the items of all the pages of an infinite query,
 * flattened into one GListModel.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "quarry-infinite-models-private.h"
#include "quarry-json-item.h"

/* The items of one page: those of a GListModel page, taken when the page
 * arrives (pages are snapshots; a store changed later does not change the
 * list), or the elements of a JSON array, made into QuarryJsonItems when
 * first asked for. */
typedef struct
{
  JsonArray *array;
  GPtrArray *items;            /* GObject; NULL slots for array items not made yet */
  guint n_items;
} Segment;

struct _QuarryItemList
{
  GObject parent_instance;

  QuarryInfiniteData *data;
  GPtrArray *segments;         /* Segment, one per page */
  GArray *offsets;             /* guint: the first item of each segment */
  guint n_items;
  gboolean offsets_valid;
  /* data given by an items-changed handler while updating */
  QuarryInfiniteData *pending;
  char *pending_member;
  gboolean updating;
  gboolean has_pending;
  gboolean rebuild_pending;
  char *rebuild_member;
};

static void
unref_item (gpointer item)
{
  /* Slots of items not made yet are NULL. */
  if (item != NULL)
    g_object_unref (item);
}

static void
segment_free (gpointer data)
{
  Segment *segment = data;

  g_clear_pointer (&segment->array, json_array_unref);
  g_clear_pointer (&segment->items, g_ptr_array_unref);
  g_free (segment);
}

static Segment *
segment_new (const GValue *page,
             const char   *items_member)
{
  Segment *segment = g_new0 (Segment, 1);

  if (G_VALUE_HOLDS_OBJECT (page) && G_IS_LIST_MODEL (g_value_get_object (page)))
    {
      GListModel *model = g_value_get_object (page);

      segment->n_items = g_list_model_get_n_items (model);
      segment->items = g_ptr_array_new_full (segment->n_items, unref_item);
      for (guint i = 0; i < segment->n_items; i++)
        g_ptr_array_add (segment->items, g_list_model_get_item (model, i));
    }
  else if (G_VALUE_HOLDS (page, JSON_TYPE_NODE) && g_value_get_boxed (page) != NULL)
    {
      JsonNode *node = g_value_get_boxed (page);

      /* With an items member, only that member of an object page counts,
       * as the fetch checks. */
      if (items_member != NULL)
        node = JSON_NODE_HOLDS_OBJECT (node)
             ? json_object_get_member (json_node_get_object (node), items_member)
             : NULL;

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          segment->array = json_array_ref (json_node_get_array (node));
          segment->n_items = json_array_get_length (segment->array);
          segment->items = g_ptr_array_new_full (segment->n_items, unref_item);
          g_ptr_array_set_size (segment->items, segment->n_items);
        }
    }

  return segment;
}

static gpointer
segment_get_item (Segment *segment,
                  guint    index)
{
  gpointer item = g_ptr_array_index (segment->items, index);

  if (item == NULL)
    {
      item = quarry_json_item_new (json_array_get_element (segment->array, index));
      g_ptr_array_index (segment->items, index) = item;
    }
  return g_object_ref (item);
}

static void
ensure_offsets (QuarryItemList *self)
{
  guint offset = 0;

  if (self->offsets_valid)
    return;

  g_array_set_size (self->offsets, self->segments->len);
  for (guint i = 0; i < self->segments->len; i++)
    {
      Segment *segment = g_ptr_array_index (self->segments, i);

      g_array_index (self->offsets, guint, i) = offset;
      offset += segment->n_items;
    }
  self->offsets_valid = TRUE;
}

static GType
quarry_item_list_get_item_type (GListModel *model)
{
  return G_TYPE_OBJECT;
}

static guint
quarry_item_list_get_n_items (GListModel *model)
{
  return QUARRY_ITEM_LIST (model)->n_items;
}

static gpointer
quarry_item_list_get_item (GListModel *model,
                           guint       position)
{
  QuarryItemList *self = QUARRY_ITEM_LIST (model);
  guint lo = 0, hi;

  if (position >= self->n_items)
    return NULL;

  ensure_offsets (self);

  /* The last segment whose first item is at or before @position. */
  hi = self->segments->len;
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->offsets, guint, mid) <= position)
        lo = mid;
      else
        hi = mid;
    }
  while (((Segment *) g_ptr_array_index (self->segments, lo))->n_items == 0 ||
         position - g_array_index (self->offsets, guint, lo) >=
           ((Segment *) g_ptr_array_index (self->segments, lo))->n_items)
    lo++;

  return segment_get_item (g_ptr_array_index (self->segments, lo),
                           position - g_array_index (self->offsets, guint, lo));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = quarry_item_list_get_item_type;
  iface->get_n_items = quarry_item_list_get_n_items;
  iface->get_item = quarry_item_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (QuarryItemList, quarry_item_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
quarry_item_list_finalize (GObject *object)
{
  QuarryItemList *self = (QuarryItemList *)object;

  g_clear_pointer (&self->data, quarry_infinite_data_unref);
  g_clear_pointer (&self->pending, quarry_infinite_data_unref);
  g_free (self->pending_member);
  g_free (self->rebuild_member);
  g_ptr_array_unref (self->segments);
  g_array_unref (self->offsets);

  G_OBJECT_CLASS (quarry_item_list_parent_class)->finalize (object);
}

static void
quarry_item_list_class_init (QuarryItemListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = quarry_item_list_finalize;
}

static void
quarry_item_list_init (QuarryItemList *self)
{
  self->segments = g_ptr_array_new_with_free_func (segment_free);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (guint));
}

QuarryItemList *
_quarry_item_list_new (void)
{
  return g_object_new (QUARRY_TYPE_ITEM_LIST, NULL);
}

static void
rebuild (QuarryItemList     *self,
         QuarryInfiniteData *data,
         const char         *items_member)
{
  guint removed = self->n_items;
  guint n_pages = data ? quarry_infinite_data_get_n_pages (data) : 0;

  g_ptr_array_set_size (self->segments, 0);
  self->n_items = 0;
  for (guint i = 0; i < n_pages; i++)
    {
      Segment *segment = segment_new (quarry_infinite_data_get_page (data, i), items_member);

      g_ptr_array_add (self->segments, segment);
      self->n_items += segment->n_items;
    }
  self->offsets_valid = FALSE;

  if (removed > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->n_items);
}

static void update_once (QuarryItemList *self, QuarryInfiniteData *data, const char *items_member);
static void rebuild (QuarryItemList *self, QuarryInfiniteData *data, const char *items_member);

/* A handler of items-changed may change the data again: the new data is
 * applied once the runs in progress are done, never in their middle. */
void
_quarry_item_list_update (QuarryItemList     *self,
                          QuarryInfiniteData *data,
                          const char         *items_member)
{
  if (self->updating)
    {
      g_clear_pointer (&self->pending, quarry_infinite_data_unref);
      self->pending = data ? quarry_infinite_data_ref (data) : NULL;
      g_free (self->pending_member);
      self->pending_member = g_strdup (items_member);
      self->has_pending = TRUE;
      return;
    }

  g_object_ref (self);
  self->updating = TRUE;
  update_once (self, data, items_member);
  while (self->has_pending)
    {
      g_autoptr(QuarryInfiniteData) next = g_steal_pointer (&self->pending);
      g_autofree char *member = g_steal_pointer (&self->pending_member);

      self->has_pending = FALSE;
      update_once (self, next, member);
    }
  if (self->rebuild_pending)
    {
      g_autofree char *member = g_steal_pointer (&self->rebuild_member);

      self->rebuild_pending = FALSE;
      rebuild (self, self->data, member);
    }
  self->updating = FALSE;
  g_object_unref (self);
}

static void
update_once (QuarryItemList     *self,
             QuarryInfiniteData *data,
             const char         *items_member)
{
  g_autoptr(QuarryInfiniteData) old = g_steal_pointer (&self->data);
  g_autoptr(GArray) runs = NULL;

  self->data = data ? quarry_infinite_data_ref (data) : NULL;
  if (old == data)
    return;

  runs = _quarry_page_runs (old, data);
  for (guint r = 0; r < runs->len; r++)
    {
      const QuarryPageRun *run = &g_array_index (runs, QuarryPageRun, r);
      guint position, removed = 0, added = 0;

      ensure_offsets (self);
      position = run->new_start < self->segments->len
               ? g_array_index (self->offsets, guint, run->new_start)
               : self->n_items;

      for (guint k = 0; k < run->n_removed; k++)
        removed += ((Segment *) g_ptr_array_index (self->segments, run->new_start + k))->n_items;
      g_ptr_array_remove_range (self->segments, run->new_start, run->n_removed);

      for (guint k = 0; k < run->n_added; k++)
        {
          guint j = run->new_start + k;
          Segment *segment = segment_new (quarry_infinite_data_get_page (data, j), items_member);

          added += segment->n_items;
          g_ptr_array_insert (self->segments, j, segment);
        }

      self->n_items = self->n_items - removed + added;
      self->offsets_valid = FALSE;
      if (removed > 0 || added > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
    }
}

/* The items member changed: every page is read again. */
void
_quarry_item_list_reset (QuarryItemList *self,
                         const char     *items_member)
{
  if (self->updating)
    {
      g_free (self->rebuild_member);
      self->rebuild_member = g_strdup (items_member);
      self->rebuild_pending = TRUE;
      return;
    }
  rebuild (self, self->data, items_member);
}
