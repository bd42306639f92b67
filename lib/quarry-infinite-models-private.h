/* quarry-infinite-models-private.h: the list models of infinite queries.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "quarry-infinite-data.h"
#include "quarry-page.h"

G_BEGIN_DECLS

QuarryPage *_quarry_page_new (const GValue *data,
                              const GValue *param);

/* Matches the pages of @new_data with those of @old_data: the longest
 * common subsequence of equal pages (page and parameter). Fills @match with
 * one entry per new page: the index of its old page, or -1. Either data may
 * be NULL (no pages). */
void _quarry_page_diff (QuarryInfiniteData *old_data,
                        QuarryInfiniteData *new_data,
                        gint               *match);

/* A changed run of pages: @n_removed old pages from @old_start replaced by
 * @n_added new pages from @new_start. Applied in order, a run's position
 * in the model being updated is @new_start. */
typedef struct
{
  guint old_start;
  guint n_removed;
  guint new_start;
  guint n_added;
} QuarryPageRun;

/* The runs (QuarryPageRun) that turn the pages of @old_data into those of
 * @new_data; none when they are equal. */
GArray *_quarry_page_runs (QuarryInfiniteData *old_data,
                           QuarryInfiniteData *new_data);

/* One QuarryPage per page. */
#define QUARRY_TYPE_PAGE_LIST (quarry_page_list_get_type ())
G_DECLARE_FINAL_TYPE (QuarryPageList, quarry_page_list, QUARRY, PAGE_LIST, GObject)

QuarryPageList *_quarry_page_list_new    (void);
void            _quarry_page_list_update (QuarryPageList     *self,
                                          QuarryInfiniteData *data);

/* The items of every page, flattened. */
#define QUARRY_TYPE_ITEM_LIST (quarry_item_list_get_type ())
G_DECLARE_FINAL_TYPE (QuarryItemList, quarry_item_list, QUARRY, ITEM_LIST, GObject)

QuarryItemList *_quarry_item_list_new    (void);
void            _quarry_item_list_update (QuarryItemList     *self,
                                          QuarryInfiniteData *data,
                                          const char         *items_member);
void            _quarry_item_list_reset  (QuarryItemList     *self,
                                          const char         *items_member);

G_END_DECLS
