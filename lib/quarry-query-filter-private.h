/* quarry-query-filter-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-query-filter.h"
#include "quarry-query-state-private.h"

G_BEGIN_DECLS

gboolean _quarry_query_filter_get_type_is_set  (QuarryQueryFilter     *self);
gboolean _quarry_query_filter_has_predicate    (QuarryQueryFilter     *self);
gboolean _quarry_query_filter_run_predicate    (QuarryQueryFilter     *self,
                                                QuarryKey             *key,
                                                const QuarryStateData *state);

G_END_DECLS
