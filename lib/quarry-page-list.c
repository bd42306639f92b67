/* quarry-page-list.c: the pages of an infinite query as a GListModel.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-infinite-models-private.h"

struct _QuarryPageList
{
  GObject parent_instance;

  QuarryInfiniteData *data;    /* what the pages show, or NULL */
  GPtrArray *pages;            /* QuarryPage */
  /* data given by an items-changed handler while updating */
  QuarryInfiniteData *pending;
  gboolean updating;
  gboolean has_pending;
};

static GType
quarry_page_list_get_item_type (GListModel *model)
{
  return QUARRY_TYPE_PAGE;
}

static guint
quarry_page_list_get_n_items (GListModel *model)
{
  return QUARRY_PAGE_LIST (model)->pages->len;
}

static gpointer
quarry_page_list_get_item (GListModel *model,
                           guint       position)
{
  QuarryPageList *self = QUARRY_PAGE_LIST (model);

  if (position >= self->pages->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->pages, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = quarry_page_list_get_item_type;
  iface->get_n_items = quarry_page_list_get_n_items;
  iface->get_item = quarry_page_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (QuarryPageList, quarry_page_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
quarry_page_list_finalize (GObject *object)
{
  QuarryPageList *self = (QuarryPageList *)object;

  g_clear_pointer (&self->data, quarry_infinite_data_unref);
  g_clear_pointer (&self->pending, quarry_infinite_data_unref);
  g_ptr_array_unref (self->pages);

  G_OBJECT_CLASS (quarry_page_list_parent_class)->finalize (object);
}

static void
quarry_page_list_class_init (QuarryPageListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = quarry_page_list_finalize;
}

static void
quarry_page_list_init (QuarryPageList *self)
{
  self->pages = g_ptr_array_new_with_free_func (g_object_unref);
}

QuarryPageList *
_quarry_page_list_new (void)
{
  return g_object_new (QUARRY_TYPE_PAGE_LIST, NULL);
}

static void update_once (QuarryPageList *self, QuarryInfiniteData *data);

/* A handler of items-changed may change the data again: the new data is
 * applied once the runs in progress are done, never in their middle. */
void
_quarry_page_list_update (QuarryPageList     *self,
                          QuarryInfiniteData *data)
{
  if (self->updating)
    {
      g_clear_pointer (&self->pending, quarry_infinite_data_unref);
      self->pending = data ? quarry_infinite_data_ref (data) : NULL;
      self->has_pending = TRUE;
      return;
    }

  g_object_ref (self);
  self->updating = TRUE;
  update_once (self, data);
  while (self->has_pending)
    {
      g_autoptr(QuarryInfiniteData) next = g_steal_pointer (&self->pending);

      self->has_pending = FALSE;
      update_once (self, next);
    }
  self->updating = FALSE;
  g_object_unref (self);
}

static void
update_once (QuarryPageList     *self,
             QuarryInfiniteData *data)
{
  g_autoptr(QuarryInfiniteData) old = g_steal_pointer (&self->data);
  g_autoptr(GArray) runs = NULL;

  if (old == data)
    {
      self->data = g_steal_pointer (&old);
      return;
    }

  self->data = data ? quarry_infinite_data_ref (data) : NULL;
  runs = _quarry_page_runs (old, data);

  for (guint r = 0; r < runs->len; r++)
    {
      const QuarryPageRun *run = &g_array_index (runs, QuarryPageRun, r);

      g_ptr_array_remove_range (self->pages, run->new_start, run->n_removed);
      for (guint k = 0; k < run->n_added; k++)
        {
          guint j = run->new_start + k;

          g_ptr_array_insert (self->pages, j,
                              _quarry_page_new (quarry_infinite_data_get_page (data, j),
                                                quarry_infinite_data_get_page_param (data, j)));
        }
      g_list_model_items_changed (G_LIST_MODEL (self), run->new_start, run->n_removed, run->n_added);
    }
}
