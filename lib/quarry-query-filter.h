/* quarry-query-filter.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <glib-object.h>

#include "quarry-key.h"
#include "quarry-query-state.h"
#include "quarry-types.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_QUERY_FILTER (quarry_query_filter_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryQueryFilter, quarry_query_filter, QUARRY, QUERY_FILTER, GObject)

/**
 * QuarryQueryPredicate:
 * @key: the entry's key
 * @state: the entry's state
 * @user_data: the data given with the predicate
 *
 * Decides whether a cache entry matches a [class@QueryFilter]. It runs last,
 * after every other criterion of the filter matched.
 *
 * Returns: `TRUE` if the entry matches
 */
typedef gboolean (*QuarryQueryPredicate) (QuarryKey        *key,
                                          QuarryQueryState *state,
                                          gpointer          user_data);

QUARRY_AVAILABLE_IN_ALL
QuarryQueryFilter *quarry_query_filter_new              (QuarryKey            *key) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryKey         *quarry_query_filter_get_key          (QuarryQueryFilter    *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_filter_set_key          (QuarryQueryFilter    *self,
                                                         QuarryKey            *key);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_filter_get_exact        (QuarryQueryFilter    *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_filter_set_exact        (QuarryQueryFilter    *self,
                                                         gboolean              exact);
QUARRY_AVAILABLE_IN_ALL
QuarryQueryType    quarry_query_filter_get_query_type   (QuarryQueryFilter    *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_filter_set_query_type   (QuarryQueryFilter    *self,
                                                         QuarryQueryType       type);
QUARRY_AVAILABLE_IN_ALL
QuarryStaleness    quarry_query_filter_get_staleness    (QuarryQueryFilter    *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_filter_set_staleness    (QuarryQueryFilter    *self,
                                                         QuarryStaleness       staleness);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_filter_get_match_fetch_status (QuarryQueryFilter *self);
QUARRY_AVAILABLE_IN_ALL
QuarryFetchStatus  quarry_query_filter_get_fetch_status (QuarryQueryFilter    *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_filter_set_fetch_status (QuarryQueryFilter    *self,
                                                         QuarryFetchStatus     fetch_status);
QUARRY_AVAILABLE_IN_ALL
const char        *quarry_query_filter_get_tag          (QuarryQueryFilter    *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_filter_set_tag          (QuarryQueryFilter    *self,
                                                         const char           *tag);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_filter_set_predicate    (QuarryQueryFilter    *self,
                                                         QuarryQueryPredicate  predicate,
                                                         gpointer              user_data,
                                                         GDestroyNotify        destroy);

G_END_DECLS
