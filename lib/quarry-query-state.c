/* quarry-query-state.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "quarry-query-state-private.h"
#include "quarry-value-private.h"

/**
 * QuarryQueryState:
 *
 * A snapshot of a cache entry's state, as returned by
 * [method@QueryClient.get_query_state] and given to a
 * [callback@QueryPredicate].
 *
 * It does not change after it was taken.
 */

struct _QuarryQueryState
{
  gatomicrefcount ref_count;
  QuarryStateData data;
};

G_DEFINE_BOXED_TYPE (QuarryQueryState, quarry_query_state, quarry_query_state_ref, quarry_query_state_unref)

void
_quarry_state_data_init (QuarryStateData *data)
{
  memset (data, 0, sizeof *data);
  data->status = QUARRY_STATUS_PENDING;
  data->fetch_status = QUARRY_FETCH_STATUS_IDLE;
  data->fetch_direction = QUARRY_FETCH_DIRECTION_NONE;
}

static void
extra_free (QuarryStateExtra *extra)
{
  g_clear_error (&extra->error);
  g_clear_error (&extra->failure_reason);
  g_free (extra->validator);
  g_free (extra);
}

void
_quarry_state_data_clear (QuarryStateData *data)
{
  if (_quarry_state_data_has_data (data))
    g_value_unset (&data->data);
  g_clear_pointer (&data->extra, extra_free);
}

/* Copies @src into @dest, which holds nothing (not even an extra part). */
void
_quarry_state_data_copy (QuarryStateData       *dest,
                         const QuarryStateData *src)
{
  *dest = *src;
  memset (&dest->data, 0, sizeof dest->data);
  if (_quarry_state_data_has_data (src))
    {
      g_value_init (&dest->data, G_VALUE_TYPE (&src->data));
      g_value_copy (&src->data, &dest->data);
    }
  if (src->extra != NULL)
    {
      dest->extra = g_memdup2 (src->extra, sizeof *src->extra);
      dest->extra->error = src->extra->error ? g_error_copy (src->extra->error) : NULL;
      dest->extra->failure_reason = src->extra->failure_reason ? g_error_copy (src->extra->failure_reason) : NULL;
      dest->extra->validator = g_strdup (src->extra->validator);
    }
}

QuarryStateExtra *
_quarry_state_data_ensure_extra (QuarryStateData *data)
{
  if (data->extra == NULL)
    {
      data->extra = g_new0 (QuarryStateExtra, 1);
      data->extra->max_age = -1;
    }
  return data->extra;
}

/* Replaces the error with a copy of @error, or with none. */
void
_quarry_state_data_set_error (QuarryStateData *data,
                              const GError    *error)
{
  GError *copy;

  if (error == NULL && data->extra == NULL)
    return;
  /* Copied first: @error may be the one it replaces. */
  copy = error ? g_error_copy (error) : NULL;
  g_clear_error (&_quarry_state_data_ensure_extra (data)->error);
  data->extra->error = copy;
}

/* Replaces the failure reason with a copy of @error, or with none. */
void
_quarry_state_data_set_failure_reason (QuarryStateData *data,
                                       const GError    *error)
{
  GError *copy;

  if (error == NULL && data->extra == NULL)
    return;
  copy = error ? g_error_copy (error) : NULL;
  g_clear_error (&_quarry_state_data_ensure_extra (data)->failure_reason);
  data->extra->failure_reason = copy;
}

QuarryQueryState *
_quarry_query_state_new (const QuarryStateData *data)
{
  QuarryQueryState *self = g_new0 (QuarryQueryState, 1);

  g_atomic_ref_count_init (&self->ref_count);
  _quarry_state_data_copy (&self->data, data);
  return self;
}

/**
 * quarry_query_state_ref:
 * @self: a state
 *
 * Acquires a reference on @self.
 *
 * Returns: (transfer full): @self
 */
QuarryQueryState *
quarry_query_state_ref (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * quarry_query_state_unref:
 * @self: (transfer full): a state
 *
 * Releases a reference on @self.
 */
void
quarry_query_state_unref (QuarryQueryState *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      _quarry_state_data_clear (&self->data);
      g_free (self);
    }
}

/**
 * quarry_query_state_get_status:
 * @self: a state
 *
 * Gets what was known about the data.
 *
 * Returns: the status
 */
QuarryStatus
quarry_query_state_get_status (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, QUARRY_STATUS_PENDING);
  return self->data.status;
}

/**
 * quarry_query_state_get_fetch_status:
 * @self: a state
 *
 * Gets what the fetch function was doing.
 *
 * Returns: the fetch status
 */
QuarryFetchStatus
quarry_query_state_get_fetch_status (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, QUARRY_FETCH_STATUS_IDLE);
  return self->data.fetch_status;
}

/**
 * quarry_query_state_get_value:
 * @self: a state
 *
 * Gets the entry's data.
 *
 * Returns: (nullable) (transfer none): the data, or `NULL` if there was none
 */
const GValue *
quarry_query_state_get_value (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _quarry_state_data_has_data (&self->data) ? &self->data.data : NULL;
}

/**
 * quarry_query_state_has_data:
 * @self: a state
 *
 * Gets whether the entry had data.
 *
 * Returns: `TRUE` if there was data
 */
gboolean
quarry_query_state_has_data (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return _quarry_state_data_has_data (&self->data);
}

/**
 * quarry_query_state_get_data_update_count:
 * @self: a state
 *
 * Gets how many times data arrived, from fetches or written by hand.
 *
 * Returns: the count
 */
guint
quarry_query_state_get_data_update_count (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->data.data_update_count;
}

/**
 * quarry_query_state_get_data_updated_at:
 * @self: a state
 *
 * Gets when the data was last updated.
 *
 * Returns: wall-clock milliseconds since the Unix epoch, or 0
 */
gint64
quarry_query_state_get_data_updated_at (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->data.data_updated_at;
}

/**
 * quarry_query_state_get_error:
 * @self: a state
 *
 * Gets the error of the last fetch, if it failed.
 *
 * Returns: (nullable) (transfer none): the error
 */
const GError *
quarry_query_state_get_error (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _quarry_state_data_get_error (&self->data);
}

/**
 * quarry_query_state_get_error_update_count:
 * @self: a state
 *
 * Gets how many fetches failed for good.
 *
 * Returns: the count
 */
guint
quarry_query_state_get_error_update_count (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return _quarry_state_data_get_error_update_count (&self->data);
}

/**
 * quarry_query_state_get_error_updated_at:
 * @self: a state
 *
 * Gets when the last error happened.
 *
 * Returns: wall-clock milliseconds since the Unix epoch, or 0
 */
gint64
quarry_query_state_get_error_updated_at (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return _quarry_state_data_get_error_updated_at (&self->data);
}

/**
 * quarry_query_state_get_failure_count:
 * @self: a state
 *
 * Gets how many attempts of the current or last fetch failed.
 *
 * Returns: the count
 */
guint
quarry_query_state_get_failure_count (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return _quarry_state_data_get_failure_count (&self->data);
}

/**
 * quarry_query_state_get_failure_reason:
 * @self: a state
 *
 * Gets the error of the last failed attempt.
 *
 * Returns: (nullable) (transfer none): the error
 */
const GError *
quarry_query_state_get_failure_reason (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _quarry_state_data_get_failure_reason (&self->data);
}

/**
 * quarry_query_state_get_is_invalidated:
 * @self: a state
 *
 * Gets whether the data was marked invalid, by an invalidation or an error.
 *
 * Returns: `TRUE` if invalidated
 */
gboolean
quarry_query_state_get_is_invalidated (QuarryQueryState *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->data.is_invalidated;
}
