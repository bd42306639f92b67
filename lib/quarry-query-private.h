/* quarry-query-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-entry-private.h"
#include "quarry-query.h"

G_BEGIN_DECLS

void     _quarry_query_entry_updated       (QuarryQuery       *self,
                                            QuarryQueryAction  action);
gboolean _quarry_query_is_enabled          (QuarryQuery       *self);
gint64   _quarry_query_get_effective_stale (QuarryQuery       *self);
gboolean _quarry_query_should_fetch_on     (QuarryQuery       *self,
                                            QuarryRefetchMode  mode);
QuarryRefetchMode _quarry_query_get_refetch_on_reconnect_mode (QuarryQuery *self);
void     _quarry_query_fetch               (QuarryQuery       *self,
                                            gboolean           cancel_refetch,
                                            GTask             *waiter);
void     _quarry_query_fetch_direction     (QuarryQuery          *self,
                                            gboolean              cancel_refetch,
                                            QuarryFetchDirection  direction,
                                            GTask                *waiter);
void     _quarry_query_push_options        (QuarryQuery       *self);
const QuarryStateData *_quarry_query_get_entry_state (QuarryQuery *self);
void     _quarry_query_get_fetch_options   (QuarryQuery       *self,
                                            QuarryFetchOptions *options);
void     _quarry_query_entry_removed       (QuarryQuery       *self);

G_END_DECLS
