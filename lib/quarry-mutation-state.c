/* quarry-mutation-state.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "quarry-mutation-state-private.h"
#include "quarry-value-private.h"

/**
 * QuarryMutationState:
 *
 * A snapshot of one mutation run's state, as listed by
 * [method@QueryClient.find_mutations], given to a
 * [callback@MutationPredicate] and carried by the client's
 * [signal@QueryClient::mutation-updated].
 *
 * Each [method@Mutation.mutate] call makes one run, with its own id. A
 * snapshot does not change after it was taken; TanStack's
 * `useMutationState` is a [method@QueryClient.find_mutations] done again on
 * [signal@QueryClient::mutation-updated].
 */

struct _QuarryMutationState
{
  gatomicrefcount ref_count;
  guint64 mutation_id;
  QuarryKey *mutation_key;
  char *scope_id;
  QuarryMutationStateData data;
};

G_DEFINE_BOXED_TYPE (QuarryMutationState, quarry_mutation_state,
                     quarry_mutation_state_ref, quarry_mutation_state_unref)

static void
copy_value (GValue       *dest,
            const GValue *src)
{
  memset (dest, 0, sizeof *dest);
  if (_quarry_value_is_set (src))
    {
      g_value_init (dest, G_VALUE_TYPE (src));
      g_value_copy (src, dest);
    }
}

static void
clear_value (GValue *value)
{
  if (_quarry_value_is_set (value))
    g_value_unset (value);
}

void
_quarry_mutation_state_data_clear (QuarryMutationStateData *data)
{
  clear_value (&data->data);
  clear_value (&data->variables);
  clear_value (&data->context);
  g_clear_error (&data->error);
  g_clear_error (&data->failure_reason);
}

void
_quarry_mutation_state_data_copy (QuarryMutationStateData       *dest,
                                  const QuarryMutationStateData *src)
{
  *dest = *src;
  copy_value (&dest->data, &src->data);
  copy_value (&dest->variables, &src->variables);
  copy_value (&dest->context, &src->context);
  dest->error = src->error ? g_error_copy (src->error) : NULL;
  dest->failure_reason = src->failure_reason ? g_error_copy (src->failure_reason) : NULL;
}

QuarryMutationState *
_quarry_mutation_state_new (guint64                        mutation_id,
                            QuarryKey                     *mutation_key,
                            const char                    *scope_id,
                            const QuarryMutationStateData *data)
{
  QuarryMutationState *self = g_new0 (QuarryMutationState, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->mutation_id = mutation_id;
  self->mutation_key = mutation_key ? quarry_key_ref (mutation_key) : NULL;
  self->scope_id = g_strdup (scope_id);
  _quarry_mutation_state_data_copy (&self->data, data);
  return self;
}

/**
 * quarry_mutation_state_ref:
 * @self: a state
 *
 * Acquires a reference on @self.
 *
 * Returns: (transfer full): @self
 */
QuarryMutationState *
quarry_mutation_state_ref (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * quarry_mutation_state_unref:
 * @self: (transfer full): a state
 *
 * Releases a reference on @self.
 */
void
quarry_mutation_state_unref (QuarryMutationState *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_clear_pointer (&self->mutation_key, quarry_key_unref);
      g_free (self->scope_id);
      _quarry_mutation_state_data_clear (&self->data);
      g_free (self);
    }
}

/**
 * quarry_mutation_state_get_mutation_id:
 * @self: a state
 *
 * Gets the id of the run: it increases with each run a client starts.
 *
 * Returns: the id
 */
guint64
quarry_mutation_state_get_mutation_id (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->mutation_id;
}

/**
 * quarry_mutation_state_get_mutation_key:
 * @self: a state
 *
 * Gets the mutation key the run was started with.
 *
 * Returns: (transfer none) (nullable): the key
 */
QuarryKey *
quarry_mutation_state_get_mutation_key (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->mutation_key;
}

/**
 * quarry_mutation_state_get_scope_id:
 * @self: a state
 *
 * Gets the scope the run belongs to.
 *
 * Returns: (nullable): the scope id
 */
const char *
quarry_mutation_state_get_scope_id (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->scope_id;
}

/**
 * quarry_mutation_state_get_status:
 * @self: a state
 *
 * Gets where the run was in its lifecycle.
 *
 * Returns: the status
 */
QuarryMutationStatus
quarry_mutation_state_get_status (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, QUARRY_MUTATION_STATUS_IDLE);
  return self->data.status;
}

/**
 * quarry_mutation_state_get_value:
 * @self: a state
 *
 * Gets what the mutation function returned.
 *
 * Returns: (transfer none) (nullable): the data, or `NULL` before success
 */
const GValue *
quarry_mutation_state_get_value (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _quarry_value_is_set (&self->data.data) ? &self->data.data : NULL;
}

/**
 * quarry_mutation_state_get_error:
 * @self: a state
 *
 * Gets why the run failed.
 *
 * Returns: (transfer none) (nullable): the error
 */
const GError *
quarry_mutation_state_get_error (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->data.error;
}

/**
 * quarry_mutation_state_get_variables:
 * @self: a state
 *
 * Gets the variables the run was given, for example to show a pending
 * change in the interface before the server confirms it.
 *
 * Returns: (transfer none) (nullable): the variables
 */
const GValue *
quarry_mutation_state_get_variables (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _quarry_value_is_set (&self->data.variables) ? &self->data.variables : NULL;
}

/**
 * quarry_mutation_state_get_context:
 * @self: a state
 *
 * Gets what [signal@Mutation::mutate] returned for the run.
 *
 * Returns: (transfer none) (nullable): the context
 */
const GValue *
quarry_mutation_state_get_context (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _quarry_value_is_set (&self->data.context) ? &self->data.context : NULL;
}

/**
 * quarry_mutation_state_get_failure_count:
 * @self: a state
 *
 * Gets how many attempts of the run failed.
 *
 * Returns: the count
 */
guint
quarry_mutation_state_get_failure_count (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->data.failure_count;
}

/**
 * quarry_mutation_state_get_failure_reason:
 * @self: a state
 *
 * Gets the error of the last failed attempt.
 *
 * Returns: (transfer none) (nullable): the error
 */
const GError *
quarry_mutation_state_get_failure_reason (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->data.failure_reason;
}

/**
 * quarry_mutation_state_get_is_paused:
 * @self: a state
 *
 * Gets whether the run was paused: offline, queued behind its scope, or
 * waiting for focus between retries.
 *
 * Returns: `TRUE` if paused
 */
gboolean
quarry_mutation_state_get_is_paused (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->data.is_paused;
}

/**
 * quarry_mutation_state_get_submitted_at:
 * @self: a state
 *
 * Gets when the run was submitted, in wall-clock milliseconds.
 *
 * Returns: the time, or 0 for an idle state
 */
gint64
quarry_mutation_state_get_submitted_at (QuarryMutationState *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->data.submitted_at;
}
