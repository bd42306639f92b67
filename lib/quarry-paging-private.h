/* quarry-paging-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-entry-private.h"
#include "quarry-fetch-context-private.h"
#include "quarry-infinite-data-private.h"

G_BEGIN_DECLS

/* The paging rules of an infinite entry, from its infinite queries:
 * TanStack's initialPageParam, getNextPageParam, getPreviousPageParam and
 * maxPages, plus what a page's items are. Immutable once made. */
struct _QuarryPaging
{
  gatomicrefcount ref_count;
  GValue initial_param;        /* unset: none */
  QuarryClosure *next;         /* QuarryPageParamFunc */
  QuarryClosure *previous;     /* QuarryPageParamFunc, or NULL */
  guint max_pages;             /* 0: no limit */
  char *items_member;
};

QuarryPaging *_quarry_paging_new   (const GValue       *initial_param,
                                    QuarryClosure      *next,
                                    QuarryClosure      *previous,
                                    guint               max_pages,
                                    const char         *items_member);
QuarryPaging *_quarry_paging_ref   (QuarryPaging       *self);
void          _quarry_paging_unref (QuarryPaging       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryPaging, _quarry_paging_unref)

/* Computes the parameter of the page after the last (or before the first)
 * page of @data into the unset @param; leaves it unset when there is no
 * such page. FALSE with @error when the function failed. */
gboolean      _quarry_paging_get_param   (QuarryPaging        *self,
                                          QuarryInfiniteData  *data,
                                          gboolean             previous,
                                          GValue              *param,
                                          GError             **error);
/* Checks a fetched page against the items member. */
gboolean      _quarry_paging_check_page  (QuarryPaging        *self,
                                          const GValue        *page,
                                          GError             **error);
/* What set_query_data stores in an infinite entry: infinite data as it is,
 * TanStack's JSON shape converted; anything else is refused. */
gboolean      _quarry_paging_normalize   (QuarryPaging        *self,
                                          const GValue        *value,
                                          GValue              *normalized,
                                          GError             **error);

/* One attempt of a fetch of an infinite entry: calls @fetcher once per
 * page, one page after another, and delivers the whole set of pages (or
 * the first error) to @sink with @attempt. @old is the entry's data when
 * the fetch started. */
void          _quarry_paging_run         (QuarryPaging          *self,
                                          QuarryFetchDirection   direction,
                                          QuarryInfiniteData    *old,
                                          QuarryClosure         *fetcher,
                                          QuarryKey             *key,
                                          GCancellable          *cancellable,
                                          GVariant              *meta,
                                          QuarryClock           *clock,
                                          const QuarryFetchSink *sink,
                                          gpointer               owner,
                                          guint                  attempt);

G_END_DECLS
