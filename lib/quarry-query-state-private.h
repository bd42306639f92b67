/* quarry-query-state-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-query-state.h"

G_BEGIN_DECLS

/* The part of an entry's state that most entries never need: errors, the
 * failures of retries and HTTP validation. */
typedef struct
{
  GError *error;
  GError *failure_reason;
  char *validator;             /* an HTTP ETag of the fetched data, or NULL */
  gint64 error_updated_at;
  gint64 max_age;              /* how long the fetched data is fresh, or -1 */
  guint error_update_count;
  guint failure_count;
} QuarryStateExtra;

/* The state of a cache entry, TanStack's QueryState. */
typedef struct
{
  GValue data;
  gint64 data_updated_at;
  guint data_update_count;
  guint status : 8;            /* QuarryStatus */
  guint fetch_status : 8;      /* QuarryFetchStatus */
  guint fetch_direction : 8;   /* QuarryFetchDirection, of the last fetch (fetchMeta) */
  guint is_invalidated : 1;
  QuarryStateExtra *extra;     /* NULL while none of its fields was set */
} QuarryStateData;

void              _quarry_state_data_init  (QuarryStateData       *data);
void              _quarry_state_data_clear (QuarryStateData       *data);
void              _quarry_state_data_copy  (QuarryStateData       *dest,
                                            const QuarryStateData *src);
QuarryStateExtra *_quarry_state_data_ensure_extra (QuarryStateData *data);
void              _quarry_state_data_set_error          (QuarryStateData *data,
                                                         const GError    *error);
void              _quarry_state_data_set_failure_reason (QuarryStateData *data,
                                                         const GError    *error);
QuarryQueryState *_quarry_query_state_new  (const QuarryStateData *data);

static inline gboolean
_quarry_state_data_has_data (const QuarryStateData *data)
{
  return G_VALUE_TYPE (&data->data) != G_TYPE_INVALID;
}

static inline const GError *
_quarry_state_data_get_error (const QuarryStateData *data)
{
  return data->extra != NULL ? data->extra->error : NULL;
}

static inline const GError *
_quarry_state_data_get_failure_reason (const QuarryStateData *data)
{
  return data->extra != NULL ? data->extra->failure_reason : NULL;
}

static inline const char *
_quarry_state_data_get_validator (const QuarryStateData *data)
{
  return data->extra != NULL ? data->extra->validator : NULL;
}

static inline gint64
_quarry_state_data_get_error_updated_at (const QuarryStateData *data)
{
  return data->extra != NULL ? data->extra->error_updated_at : 0;
}

static inline gint64
_quarry_state_data_get_max_age (const QuarryStateData *data)
{
  return data->extra != NULL ? data->extra->max_age : -1;
}

static inline guint
_quarry_state_data_get_error_update_count (const QuarryStateData *data)
{
  return data->extra != NULL ? data->extra->error_update_count : 0;
}

static inline guint
_quarry_state_data_get_failure_count (const QuarryStateData *data)
{
  return data->extra != NULL ? data->extra->failure_count : 0;
}

/* Forgets the failures of the current fetch: no count, no reason. */
static inline void
_quarry_state_data_clear_failure (QuarryStateData *data)
{
  if (data->extra != NULL)
    {
      data->extra->failure_count = 0;
      g_clear_error (&data->extra->failure_reason);
    }
}

/* Forgets what a server said about the data: no validator, no max-age. */
static inline void
_quarry_state_data_clear_validation (QuarryStateData *data)
{
  if (data->extra != NULL)
    {
      g_clear_pointer (&data->extra->validator, g_free);
      data->extra->max_age = -1;
    }
}

G_END_DECLS
