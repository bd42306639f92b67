/* quarry-paging.c: the paging behaviour of infinite entries, TanStack's
 * infiniteQueryBehavior.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "quarry-error.h"
#include "quarry-i18n-private.h"
#include "quarry-infinite-query.h"
#include "quarry-paging-private.h"
#include "quarry-value-private.h"

QuarryPaging *
_quarry_paging_new (const GValue  *initial_param,
                    QuarryClosure *next,
                    QuarryClosure *previous,
                    guint          max_pages,
                    const char    *items_member)
{
  QuarryPaging *self = g_new0 (QuarryPaging, 1);

  g_atomic_ref_count_init (&self->ref_count);
  if (initial_param != NULL && _quarry_value_is_set (initial_param))
    _quarry_value_store (&self->initial_param, initial_param);
  self->next = next ? _quarry_closure_ref (next) : NULL;
  self->previous = previous ? _quarry_closure_ref (previous) : NULL;
  self->max_pages = max_pages;
  self->items_member = g_strdup (items_member);
  return self;
}

QuarryPaging *
_quarry_paging_ref (QuarryPaging *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
_quarry_paging_unref (QuarryPaging *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  if (_quarry_value_is_set (&self->initial_param))
    g_value_unset (&self->initial_param);
  g_clear_pointer (&self->next, _quarry_closure_unref);
  g_clear_pointer (&self->previous, _quarry_closure_unref);
  g_free (self->items_member);
  g_free (self);
}

gboolean
_quarry_paging_get_param (QuarryPaging        *self,
                          QuarryInfiniteData  *data,
                          gboolean             previous,
                          GValue              *param,
                          GError             **error)
{
  QuarryClosure *closure = previous ? self->previous : self->next;
  guint n_pages = data != NULL ? quarry_infinite_data_get_n_pages (data) : 0;
  guint index = previous ? 0 : n_pages - 1;
  GError *local_error = NULL;

  /* TanStack calls neither function without pages. */
  if (closure == NULL || n_pages == 0)
    return TRUE;

  ((QuarryPageParamFunc) closure->func) (quarry_infinite_data_get_page (data, index), data,
                                         quarry_infinite_data_get_page_param (data, index),
                                         param, closure->data, &local_error);
  if (local_error != NULL)
    {
      if (_quarry_value_is_set (param))
        g_value_unset (param);
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (_quarry_value_is_set (param) && _quarry_page_param_is_none (param))
    g_value_unset (param);
  return TRUE;
}

gboolean
_quarry_paging_check_page (QuarryPaging  *self,
                           const GValue  *page,
                           GError       **error)
{
  JsonNode *node, *member;

  if (self->items_member == NULL || !G_VALUE_HOLDS (page, JSON_TYPE_NODE))
    return TRUE;

  node = g_value_get_boxed (page);
  member = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
         ? json_object_get_member (json_node_get_object (node), self->items_member)
         : NULL;
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                   _("A page must be a JSON object with an array “%s”"), self->items_member);
      return FALSE;
    }
  return TRUE;
}

gboolean
_quarry_paging_normalize (QuarryPaging  *self,
                          const GValue  *value,
                          GValue        *normalized,
                          GError       **error)
{
  g_autoptr(QuarryInfiniteData) data = NULL;

  if (G_VALUE_HOLDS (value, QUARRY_TYPE_INFINITE_DATA) && g_value_get_boxed (value) != NULL)
    {
      _quarry_value_store (normalized, value);
      return TRUE;
    }

  if (G_VALUE_HOLDS (value, JSON_TYPE_NODE) && g_value_get_boxed (value) != NULL)
    data = quarry_infinite_data_new_from_json (g_value_get_boxed (value), error);
  else
    g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                 _("The data of an infinite query must be pages with their parameters, "
                   "not a value of type %s"), G_VALUE_TYPE_NAME (value));
  if (data == NULL)
    return FALSE;

  g_value_init (normalized, QUARRY_TYPE_INFINITE_DATA);
  g_value_take_boxed (normalized, g_steal_pointer (&data));
  return TRUE;
}

/* One attempt, page by page. */

typedef struct
{
  gint ref_count;
  QuarryPaging *paging;
  QuarryClosure *fetcher;
  QuarryKey *key;
  GCancellable *cancellable;
  GVariant *meta;
  QuarryClock *clock;
  const QuarryFetchSink *sink;
  gpointer owner;
  guint attempt;

  QuarryInfiniteData *result;
  guint remaining;             /* pages of a whole fetch still to fetch */
  gboolean one_page;           /* a next or previous page */
  gboolean previous;
  GValue param;                /* of the page being fetched */
} PageRun;

static PageRun *
page_run_ref (PageRun *run)
{
  run->ref_count++;
  return run;
}

static void
page_run_unref (PageRun *run)
{
  if (--run->ref_count > 0)
    return;

  run->sink->unref (run->owner);
  _quarry_paging_unref (run->paging);
  _quarry_closure_unref (run->fetcher);
  g_clear_pointer (&run->key, quarry_key_unref);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->meta, g_variant_unref);
  g_object_unref (run->clock);
  g_clear_pointer (&run->result, quarry_infinite_data_unref);
  if (_quarry_value_is_set (&run->param))
    g_value_unset (&run->param);
  g_free (run);
}

static void
finish (PageRun *run,
        GError  *error)
{
  if (error != NULL)
    {
      run->sink->deliver (run->owner, run->attempt, NULL, error, NULL);
    }
  else
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, QUARRY_TYPE_INFINITE_DATA);
      g_value_set_boxed (&value, run->result);
      run->sink->deliver (run->owner, run->attempt, &value, NULL, NULL);
    }
}

static gpointer page_sink_ref (gpointer owner) { return page_run_ref (owner); }
static void page_sink_unref (gpointer owner) { page_run_unref (owner); }
static void page_sink_deliver (gpointer owner, guint attempt, GValue *value, GError *error,
                               const QuarryFetchResultInfo *info);

static void
page_sink_mark_consumed (gpointer owner)
{
  PageRun *run = owner;

  run->sink->mark_consumed (run->owner);
}

static const QuarryFetchSink page_sink = {
  page_sink_ref, page_sink_unref, page_sink_deliver, page_sink_mark_consumed, NULL,
};

static void
fetch_page (PageRun *run)
{
  g_autoptr(QuarryFetchContext) context = NULL;

  /* Cancelled between pages: the fetch is over, nothing more is asked. */
  if (g_cancellable_is_cancelled (run->cancellable))
    {
      finish (run, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The fetch was cancelled")));
      return;
    }

  context = _quarry_fetch_context_new (&page_sink, run, run->attempt, run->key, NULL,
                                       run->cancellable, run->meta, run->clock);
  _quarry_fetch_context_set_page (context, &run->param,
                                  run->previous ? QUARRY_FETCH_DIRECTION_BACKWARD
                                                : QUARRY_FETCH_DIRECTION_FORWARD);
  ((QuarryFetchFunc) run->fetcher->func) (context, run->fetcher->data);
}

/* TanStack's addToEnd / addToStart with maxPages. */
static QuarryInfiniteData *
add_page (QuarryInfiniteData *data,
          const GValue       *page,
          const GValue       *param,
          gboolean            previous,
          guint               max_pages)
{
  g_autoptr(QuarryInfiniteData) added = NULL;
  guint n;

  added = previous ? quarry_infinite_data_prepend_page (data, page, param)
                   : quarry_infinite_data_append_page (data, page, param);
  n = quarry_infinite_data_get_n_pages (added);
  if (max_pages == 0 || n <= max_pages)
    return g_steal_pointer (&added);

  return previous ? quarry_infinite_data_slice (added, 0, max_pages)
                  : quarry_infinite_data_slice (added, n - max_pages, max_pages);
}

static void
page_sink_deliver (gpointer                     owner,
                   guint                        attempt,
                   GValue                      *value,
                   GError                      *error,
                   const QuarryFetchResultInfo *info)
{
  PageRun *run = owner;
  g_autoptr(GError) local_error = error;
  QuarryInfiniteData *result;

  if (local_error == NULL && !_quarry_value_validate (value, &local_error))
    g_assert (local_error != NULL);
  if (local_error == NULL)
    _quarry_paging_check_page (run->paging, value, &local_error);
  if (local_error != NULL)
    {
      finish (run, g_steal_pointer (&local_error));
      return;
    }

  result = add_page (run->result, value, &run->param, run->previous, run->paging->max_pages);
  quarry_infinite_data_unref (run->result);
  run->result = result;

  if (run->one_page || --run->remaining == 0)
    {
      finish (run, NULL);
      return;
    }

  /* The next parameter comes from the fresh pages: moved cursors are
   * followed. No next page ends the fetch early. */
  g_value_unset (&run->param);
  if (!_quarry_paging_get_param (run->paging, run->result, FALSE, &run->param, &local_error))
    {
      finish (run, g_steal_pointer (&local_error));
      return;
    }
  if (!_quarry_value_is_set (&run->param))
    {
      finish (run, NULL);
      return;
    }

  fetch_page (run);
}

void
_quarry_paging_run (QuarryPaging          *self,
                    QuarryFetchDirection   direction,
                    QuarryInfiniteData    *old,
                    QuarryClosure         *fetcher,
                    QuarryKey             *key,
                    GCancellable          *cancellable,
                    GVariant              *meta,
                    QuarryClock           *clock,
                    const QuarryFetchSink *sink,
                    gpointer               owner,
                    guint                  attempt)
{
  PageRun *run = g_new0 (PageRun, 1);
  guint n_old = old != NULL ? quarry_infinite_data_get_n_pages (old) : 0;

  run->ref_count = 1;
  run->paging = _quarry_paging_ref (self);
  run->fetcher = _quarry_closure_ref (fetcher);
  run->key = key ? quarry_key_ref (key) : NULL;
  run->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  run->meta = meta ? g_variant_ref (meta) : NULL;
  run->clock = g_object_ref (clock);
  run->sink = sink;
  run->owner = sink->ref (owner);
  run->attempt = attempt;

  if (direction != QUARRY_FETCH_DIRECTION_NONE && n_old > 0)
    {
      GError *error = NULL;

      run->one_page = TRUE;
      run->previous = direction == QUARRY_FETCH_DIRECTION_BACKWARD;
      run->result = quarry_infinite_data_ref (old);

      if (!_quarry_paging_get_param (self, old, run->previous, &run->param, &error))
        finish (run, error);
      else if (!_quarry_value_is_set (&run->param))
        finish (run, NULL);   /* no such page: the data as it is */
      else
        fetch_page (run);
    }
  else
    {
      const GValue *first = n_old > 0 ? quarry_infinite_data_get_page_param (old, 0) : NULL;

      /* From the first stored parameter (a stored JSON null included), or
       * the initial one; as many pages as are stored, at least one. */
      run->remaining = MAX (n_old, 1);
      run->result = quarry_infinite_data_new ();
      if (first != NULL)
        _quarry_value_store (&run->param, first);
      else if (_quarry_value_is_set (&self->initial_param))
        _quarry_value_store (&run->param, &self->initial_param);
      fetch_page (run);
    }

  page_run_unref (run);
}
