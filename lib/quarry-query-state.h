/* quarry-query-state.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <glib-object.h>

#include "quarry-types.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_QUERY_STATE (quarry_query_state_get_type ())

typedef struct _QuarryQueryState QuarryQueryState;

QUARRY_AVAILABLE_IN_ALL
GType              quarry_query_state_get_type               (void) G_GNUC_CONST;
QUARRY_AVAILABLE_IN_ALL
QuarryQueryState  *quarry_query_state_ref                    (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_state_unref                  (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
QuarryStatus       quarry_query_state_get_status             (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
QuarryFetchStatus  quarry_query_state_get_fetch_status       (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
const GValue      *quarry_query_state_get_value              (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_state_has_data               (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
guint              quarry_query_state_get_data_update_count  (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
gint64             quarry_query_state_get_data_updated_at    (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
const GError      *quarry_query_state_get_error              (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
guint              quarry_query_state_get_error_update_count (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
gint64             quarry_query_state_get_error_updated_at   (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
guint              quarry_query_state_get_failure_count      (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
const GError      *quarry_query_state_get_failure_reason     (QuarryQueryState *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_state_get_is_invalidated     (QuarryQueryState *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryQueryState, quarry_query_state_unref)

G_END_DECLS
