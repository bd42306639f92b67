/* quarry-query-state-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-query-state.h"

G_BEGIN_DECLS

/* The state of a cache entry, TanStack's QueryState. */
typedef struct
{
  QuarryStatus status;
  QuarryFetchStatus fetch_status;
  GValue data;
  guint data_update_count;
  gint64 data_updated_at;
  GError *error;
  guint error_update_count;
  gint64 error_updated_at;
  guint failure_count;
  GError *failure_reason;
  QuarryFetchDirection fetch_direction;   /* of the last fetch (fetchMeta) */
  char *validator;             /* an HTTP ETag of the fetched data, or NULL */
  gint64 max_age;              /* how long the fetched data is fresh, or -1 */
  guint is_invalidated : 1;
} QuarryStateData;

void              _quarry_state_data_init  (QuarryStateData       *data);
void              _quarry_state_data_clear (QuarryStateData       *data);
void              _quarry_state_data_copy  (QuarryStateData       *dest,
                                            const QuarryStateData *src);
QuarryQueryState *_quarry_query_state_new  (const QuarryStateData *data);

static inline gboolean
_quarry_state_data_has_data (const QuarryStateData *data)
{
  return G_VALUE_TYPE (&data->data) != G_TYPE_INVALID;
}

G_END_DECLS
