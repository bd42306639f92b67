/* quarry-infinite-query-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-infinite-query.h"
#include "quarry-paging-private.h"
#include "quarry-query-state-private.h"

G_BEGIN_DECLS

/* Called by QuarryQuery while it computes its result from @state (the
 * entry's): FALSE with @error when a page parameter function failed. */
gboolean      _quarry_infinite_query_compute    (QuarryInfiniteQuery   *self,
                                                 const QuarryStateData *state,
                                                 GError               **error);
/* Called by QuarryQuery once its new result is in place, before it
 * notifies: updates the flags and models, adding the changed properties to
 * @changed (GParamSpec). */
void          _quarry_infinite_query_commit     (QuarryInfiniteQuery   *self,
                                                 GPtrArray             *changed);
QuarryPaging *_quarry_infinite_query_dup_paging (QuarryInfiniteQuery   *self);

G_END_DECLS
