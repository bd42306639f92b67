/* quarry-todo-listing.h: a GET /todos request (filters and paging) and its answer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-todo-store.h"

G_BEGIN_DECLS

/* Bounds of the paging parameters. */
#define QUARRY_TODO_MAX_PAGE_SIZE     200
#define QUARRY_TODO_DEFAULT_LIMIT     50
#define QUARRY_TODO_DEFAULT_PER_PAGE  20

typedef enum
{
  QUARRY_TODO_PAGING_NONE,
  QUARRY_TODO_PAGING_CURSOR,
  QUARRY_TODO_PAGING_PAGE,
} QuarryTodoPaging;

typedef struct
{
  int done;               /* -1: either */
  char *folded_query;     /* casefolded q=, or NULL */
  QuarryTodoPaging paging;
  guint limit;            /* cursor paging */
  gint64 after_id;        /* cursor paging: 0 for the first page */
  gint64 page;            /* page paging, from 1 */
  guint per_page;
} QuarryTodoListing;

QuarryTodoListing *quarry_todo_listing_new_from_query (const char         *query,
                                                       GError            **error);
void               quarry_todo_listing_free           (QuarryTodoListing  *self);
JsonNode          *quarry_todo_listing_run            (QuarryTodoListing  *self,
                                                       QuarryTodoStore    *store);
gboolean           quarry_todo_parse_id               (const char         *text,
                                                       gint64             *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryTodoListing, quarry_todo_listing_free)

G_END_DECLS
