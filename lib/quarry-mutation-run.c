/* quarry-mutation-run.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "quarry-error.h"
#include "quarry-fetch-context-private.h"
#include "quarry-i18n-private.h"
#include "quarry-mutation-private.h"
#include "quarry-value-private.h"

/* One execution of a mutation function with its retries, TanStack's
 * Mutation#execute. The order of a run is TanStack's:
 *
 *   pending → optimistic updates, ::mutate → the function, with retries →
 *   commit or roll back, ::success or ::error, ::settled → invalidation →
 *   success or error → the per-call callback and mutate_async() callers →
 *   the next run of the scope.
 *
 * The status stays pending while the handlers run, so a mutation reports
 * success only once its handlers ran. */

typedef struct
{
  GTask *task;
  GSource *cancel_source;
} Waiter;

static void
waiter_free (gpointer data)
{
  Waiter *waiter = data;

  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  g_object_unref (waiter->task);
  g_free (waiter);
}

static QuarryQueryClient *
run_client (QuarryMutationRun *self)
{
  return self->cache ? self->cache->client : NULL;
}

static gint64
wall_now (QuarryMutationRun *self)
{
  return quarry_clock_get_wall_time (quarry_query_client_get_clock (run_client (self)));
}

static const GValue *
variables_of (QuarryMutationRun *self)
{
  return _quarry_value_is_set (&self->state.variables) ? &self->state.variables : NULL;
}

/* TanStack's canFetch, canStart and canContinue. */
static gboolean
can_fetch (QuarryMutationRun *self)
{
  return self->config.fetch.network_mode != QUARRY_NETWORK_MODE_ONLINE ||
         quarry_query_client_get_online (run_client (self));
}

static gboolean
can_start (QuarryMutationRun *self)
{
  return can_fetch (self) && _quarry_mutation_cache_can_run (self->cache, self);
}

static gboolean
can_continue (QuarryMutationRun *self)
{
  QuarryQueryClient *client = run_client (self);

  return quarry_query_client_get_focused (client) &&
         (self->config.fetch.network_mode == QUARRY_NETWORK_MODE_ALWAYS ||
          quarry_query_client_get_online (client)) &&
         _quarry_mutation_cache_can_run (self->cache, self);
}

static void
dispatch (QuarryMutationRun    *self,
          QuarryMutationAction  action)
{
  gboolean pending = self->state.status == QUARRY_MUTATION_STATUS_PENDING && self->cache != NULL;

  _quarry_mutation_run_ref (self);

  if (pending != self->counted_pending && self->cache != NULL)
    {
      self->counted_pending = pending;
      if (pending)
        self->cache->n_pending++;
      else
        self->cache->n_pending--;
      _quarry_query_client_notify_is_mutating (self->cache->client);
    }

  if (self->observer != NULL)
    _quarry_mutation_run_updated (self->observer, self, action);

  if (self->cache != NULL)
    _quarry_query_client_mutation_event (self->cache->client, self,
                                         QUARRY_MUTATION_EVENT_UPDATED, action);

  _quarry_mutation_run_unref (self);
}

/* Lifecycle. */

QuarryMutationRun *
_quarry_mutation_run_new (QuarryMutationCache  *cache,
                          QuarryMutation       *owner,
                          QuarryKey            *key,
                          QuarryMutationConfig *config,
                          const GValue         *variables)
{
  QuarryMutationRun *self = g_new0 (QuarryMutationRun, 1);

  self->ref_count = 2;          /* the cache's, and the caller's */
  self->cache = cache;
  self->id = ++cache->next_id;
  self->key = key ? quarry_key_ref (key) : NULL;
  self->link.data = self;
  self->config = *config;       /* stolen */
  memset (config, 0, sizeof *config);
  self->owner = owner;
  self->restorers = g_ptr_array_new_with_free_func ((GDestroyNotify) quarry_restorer_unref);
  self->waiters = g_ptr_array_new_with_free_func (waiter_free);
  self->cancellable = g_cancellable_new ();
  self->state.status = QUARRY_MUTATION_STATUS_IDLE;
  if (_quarry_value_is_set (variables))
    {
      g_value_init (&self->state.variables, G_VALUE_TYPE (variables));
      g_value_copy (variables, &self->state.variables);
    }

  g_queue_push_tail_link (&cache->runs, &self->link);
  _quarry_query_client_mutation_event (cache->client, self, QUARRY_MUTATION_EVENT_ADDED,
                                       QUARRY_MUTATION_ACTION_PENDING);
  return self;
}

QuarryMutationRun *
_quarry_mutation_run_ref (QuarryMutationRun *self)
{
  self->ref_count++;
  return self;
}

void
_quarry_mutation_run_unref (QuarryMutationRun *self)
{
  if (--self->ref_count > 0)
    return;

  g_assert (self->cache == NULL);
  g_assert (self->retry_timer == NULL && self->gc_timer == NULL);

  g_clear_pointer (&self->key, quarry_key_unref);
  _quarry_mutation_config_clear (&self->config);
  _quarry_mutation_state_data_clear (&self->state);
  g_ptr_array_unref (self->restorers);
  g_ptr_array_unref (self->waiters);
  g_clear_object (&self->cancellable);
  g_free (self->idempotency_key);
  g_free (self);
}

QuarryMutationState *
_quarry_mutation_run_dup_state (QuarryMutationRun *self)
{
  return _quarry_mutation_state_new (self->id, self->key, self->config.scope_id, &self->state);
}

static void
gc_cb (gpointer data)
{
  QuarryMutationRun *self = data;

  self->gc_timer = NULL;

  /* A run still pending is kept; it is looked at again when it settles. */
  if (self->observer == NULL && self->settled)
    _quarry_mutation_run_remove (self);
}

static void
schedule_gc (QuarryMutationRun *self)
{
  _quarry_clear_timer (&self->gc_timer);

  if (self->cache == NULL || self->observer != NULL || !self->settled)
    return;
  if (self->config.fetch.gc_time == QUARRY_TIME_INFINITE)
    return;

  self->gc_timer = _quarry_clock_schedule (quarry_query_client_get_clock (run_client (self)),
                                           self->config.fetch.gc_time, gc_cb, self);
}

void
_quarry_mutation_run_set_observer (QuarryMutationRun *self,
                                   QuarryMutation    *observer)
{
  self->observer = observer;
  if (observer != NULL)
    _quarry_clear_timer (&self->gc_timer);
  else
    schedule_gc (self);
}

static void
leave_scope (QuarryMutationRun *self)
{
  GQueue *queue;

  if (!self->in_scope || self->cache == NULL)
    return;

  self->in_scope = FALSE;
  queue = g_hash_table_lookup (self->cache->scopes, self->config.scope_id);
  if (queue != NULL)
    {
      g_queue_remove (queue, self);
      if (queue->length == 0)
        g_hash_table_remove (self->cache->scopes, self->config.scope_id);
    }
}

/* Takes the run out of the cache: by gc, or when the client goes. */
void
_quarry_mutation_run_remove (QuarryMutationRun *self)
{
  QuarryMutationCache *cache = self->cache;

  if (cache == NULL)
    return;

  _quarry_mutation_run_ref (self);

  _quarry_clear_timer (&self->gc_timer);
  _quarry_clear_timer (&self->retry_timer);
  leave_scope (self);
  if (self->counted_pending)
    {
      self->counted_pending = FALSE;
      cache->n_pending--;
      _quarry_query_client_notify_is_mutating (cache->client);
    }

  g_queue_unlink (&cache->runs, &self->link);
  _quarry_query_client_mutation_event (cache->client, self, QUARRY_MUTATION_EVENT_REMOVED,
                                       QUARRY_MUTATION_ACTION_PENDING);
  self->cache = NULL;
  _quarry_mutation_run_unref (self);   /* the cache's reference */

  _quarry_mutation_run_unref (self);
}

/* Attempts. */

static gpointer
sink_ref (gpointer owner)
{
  return _quarry_mutation_run_ref (owner);
}

static void
sink_unref (gpointer owner)
{
  _quarry_mutation_run_unref (owner);
}

static void deliver (gpointer owner, guint attempt, GValue *value, GError *error,
                     const QuarryFetchResultInfo *info);

static void
sink_mark_consumed (gpointer owner)
{
}

/* One key for all the attempts of a run: a retried request is the same
 * request to the server. */
static const char *
sink_idempotency_key (gpointer owner)
{
  QuarryMutationRun *self = owner;

  if (self->idempotency_key == NULL)
    self->idempotency_key = g_uuid_string_random ();
  return self->idempotency_key;
}

static const QuarryFetchSink run_sink = {
  sink_ref, sink_unref, deliver, sink_mark_consumed, sink_idempotency_key,
};

static void
run_attempt (QuarryMutationRun *self)
{
  g_autoptr(QuarryFetchContext) context = NULL;
  QuarryClosure *func;

  self->started = TRUE;
  self->attempt++;

  /* Defaults registered after the run was made still give it a function,
   * as for a mutation resumed without the code that started it. */
  if (self->config.fetch.fetcher == NULL)
    {
      QuarryMutationConfig fresh;

      _quarry_mutation_cache_resolve (self->cache, self->key, NULL, &fresh);
      self->config.fetch.fetcher = g_steal_pointer (&fresh.fetch.fetcher);
      _quarry_mutation_config_clear (&fresh);
    }

  context = _quarry_fetch_context_new (&run_sink, self, self->attempt, self->key,
                                       variables_of (self), self->cancellable,
                                       self->config.fetch.meta,
                                       quarry_query_client_get_clock (run_client (self)));

  func = self->config.fetch.fetcher;
  if (func == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("Missing mutation function for the mutation %s"),
                         self->key ? quarry_key_to_string (self->key) : "[]");

      quarry_fetch_context_return_error_literal (context, QUARRY_ERROR,
                                                 QUARRY_ERROR_MISSING_FETCH_FUNC, message);
      return;
    }

  ((QuarryMutationFunc) func->func) (context, variables_of (self), func->data);
}

static void
run_pause (QuarryMutationRun *self)
{
  self->paused = TRUE;
  if (!self->state.is_paused)
    {
      self->state.is_paused = TRUE;
      dispatch (self, QUARRY_MUTATION_ACTION_PAUSE);
    }
}

static void
retry_timer_cb (gpointer data)
{
  QuarryMutationRun *self = data;

  self->retry_timer = NULL;

  if (self->settled || self->cache == NULL)
    return;

  if (!can_continue (self))
    run_pause (self);
  else
    run_attempt (self);
}

void
_quarry_mutation_run_continue (QuarryMutationRun *self)
{
  /* A disposed client starts nothing: it is failing its runs. */
  if (self->settled || !self->paused || self->cache == NULL || self->cache->disposed)
    return;

  /* A run that never started waits for the network and its scope; a
   * paused retry also waits for focus. */
  if (self->started ? !can_continue (self) : !can_start (self))
    return;

  self->paused = FALSE;
  self->state.is_paused = FALSE;
  _quarry_mutation_run_ref (self);
  dispatch (self, QUARRY_MUTATION_ACTION_CONTINUE);
  if (!self->settled && !self->paused)
    run_attempt (self);
  _quarry_mutation_run_unref (self);
}

/* Settling. */

static void
invalidate (QuarryMutationRun *self)
{
  QuarryQueryClient *client = run_client (self);

  if (client == NULL || self->cache->disposed || self->config.invalidate_keys == NULL)
    return;

  for (guint i = 0; i < self->config.invalidate_keys->len; i++)
    {
      g_autoptr(QuarryQueryFilter) filter =
        quarry_query_filter_new (g_ptr_array_index (self->config.invalidate_keys, i));

      quarry_query_client_invalidate_queries (client, filter, QUARRY_REFETCH_TYPE_DEFAULT);
    }
}

static void
complete_waiters (QuarryMutationRun *self,
                  const GValue      *data,
                  const GError      *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  self->waiters = g_ptr_array_new_with_free_func (waiter_free);

  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);

      if (waiter->cancel_source != NULL)
        {
          g_source_destroy (waiter->cancel_source);
          g_clear_pointer (&waiter->cancel_source, g_source_unref);
        }
      if (error != NULL)
        g_task_return_error (waiter->task, g_error_copy (error));
      else
        g_task_return_pointer (waiter->task,
                               _quarry_value_is_set (data) ? _quarry_value_dup (data) : NULL,
                               (GDestroyNotify) _quarry_value_free);
    }
}

static void
finish (QuarryMutationRun    *self,
        QuarryMutationAction  action)
{
  g_autofree char *scope_id = g_strdup (self->config.scope_id);
  QuarryMutationCache *cache = self->cache;
  QuarryMutation *owner = self->owner;

  self->state.is_paused = FALSE;
  self->paused = FALSE;
  leave_scope (self);
  dispatch (self, action);

  complete_waiters (self,
                    action == QUARRY_MUTATION_ACTION_SUCCESS ? &self->state.data : NULL,
                    self->state.error);

  if (owner != NULL && self->owner == owner)
    {
      self->owner = NULL;
      _quarry_mutation_run_finished (owner, self);
    }

  /* TanStack's runNext: the next run of the scope may start. */
  if (cache != NULL && self->cache == cache && scope_id != NULL)
    _quarry_mutation_cache_run_next (cache, scope_id);

  schedule_gc (self);
}

static void
settle_success (QuarryMutationRun *self,
                const GValue      *value)
{
  _quarry_mutation_run_ref (self);

  self->settled = TRUE;
  _quarry_clear_timer (&self->retry_timer);

  for (guint i = 0; i < self->restorers->len; i++)
    quarry_restorer_commit (g_ptr_array_index (self->restorers, i), value);
  g_ptr_array_set_size (self->restorers, 0);

  if (self->owner != NULL)
    _quarry_mutation_emit_result (self->owner, self, value, NULL);

  invalidate (self);

  if (_quarry_value_is_set (&self->state.data))
    g_value_unset (&self->state.data);
  if (_quarry_value_is_set (value))
    {
      g_value_init (&self->state.data, G_VALUE_TYPE (value));
      g_value_copy (value, &self->state.data);
    }
  g_clear_error (&self->state.error);
  g_clear_error (&self->state.failure_reason);
  self->state.failure_count = 0;
  self->state.status = QUARRY_MUTATION_STATUS_SUCCESS;

  finish (self, QUARRY_MUTATION_ACTION_SUCCESS);
  _quarry_mutation_run_unref (self);
}

static void
settle_error (QuarryMutationRun *self,
              const GError      *reason)
{
  g_autoptr(GError) error = g_error_copy (reason);

  _quarry_mutation_run_ref (self);

  self->settled = TRUE;
  _quarry_clear_timer (&self->retry_timer);

  /* Newest first, as the changes were made. */
  for (guint i = self->restorers->len; i > 0; i--)
    quarry_restorer_restore (g_ptr_array_index (self->restorers, i - 1));
  g_ptr_array_set_size (self->restorers, 0);

  if (self->owner != NULL)
    _quarry_mutation_emit_result (self->owner, self, NULL, error);

  invalidate (self);

  g_clear_error (&self->state.error);
  self->state.error = g_error_copy (error);
  g_clear_error (&self->state.failure_reason);
  self->state.failure_reason = g_error_copy (error);
  self->state.failure_count++;
  self->state.status = QUARRY_MUTATION_STATUS_ERROR;

  finish (self, QUARRY_MUTATION_ACTION_ERROR);
  _quarry_mutation_run_unref (self);
}

static void
deliver (gpointer                     owner,
         guint                        attempt,
         GValue                      *value,
         GError                      *error,
         const QuarryFetchResultInfo *info)
{
  QuarryMutationRun *self = owner;
  g_autoptr(GError) local_error = error;

  /* A result for a run that was cancelled or removed, or for an attempt
   * that is not the current one, is dropped. */
  if (self->settled || attempt != self->attempt || self->cache == NULL)
    return;

  if (local_error == NULL && _quarry_value_is_set (value) &&
      !_quarry_value_validate (value, &local_error))
    g_assert (local_error != NULL);

  if (local_error == NULL)
    {
      settle_success (self, value);
      return;
    }

  if (!_quarry_fetch_options_should_retry (&self->config.fetch, self->state.failure_count,
                                           local_error))
    {
      settle_error (self, local_error);
      return;
    }

  {
    gint64 delay = _quarry_fetch_options_retry_delay (&self->config.fetch,
                                                      self->state.failure_count, local_error);

    self->state.failure_count++;
    g_clear_error (&self->state.failure_reason);
    self->state.failure_reason = g_error_copy (local_error);
    _quarry_mutation_run_ref (self);
    dispatch (self, QUARRY_MUTATION_ACTION_FAILED);
    if (!self->settled && self->cache != NULL)
      self->retry_timer = _quarry_clock_schedule (quarry_query_client_get_clock (run_client (self)),
                                                  delay, retry_timer_cb, self);
    _quarry_mutation_run_unref (self);
  }
}

void
_quarry_mutation_run_execute (QuarryMutationRun *self)
{
  g_autoptr(GValue) context = NULL;
  gboolean can;

  _quarry_mutation_run_ref (self);

  if (self->config.scope_id != NULL)
    {
      GQueue *queue = g_hash_table_lookup (self->cache->scopes, self->config.scope_id);

      if (queue == NULL)
        {
          queue = g_queue_new ();
          g_hash_table_insert (self->cache->scopes, g_strdup (self->config.scope_id), queue);
        }
      g_queue_push_tail (queue, self);
      self->in_scope = TRUE;
    }

  /* TanStack's "pending" action. */
  can = can_start (self);
  self->state.status = QUARRY_MUTATION_STATUS_PENDING;
  self->state.submitted_at = wall_now (self);
  self->state.is_paused = !can;
  self->state.failure_count = 0;
  dispatch (self, QUARRY_MUTATION_ACTION_PENDING);

  /* onMutate: the optimistic updates, then ::mutate. Both run even when
   * the run is paused, offline or queued behind its scope. */
  if (!self->settled && self->config.optimistic_updates != NULL)
    {
      for (guint i = 0; i < self->config.optimistic_updates->len && !self->settled; i++)
        {
          g_autoptr(GError) error = NULL;
          QuarryRestorer *restorer;

          restorer = quarry_optimistic_update_apply (g_ptr_array_index (self->config.optimistic_updates, i),
                                                     run_client (self), variables_of (self), &error);
          if (restorer != NULL)
            g_ptr_array_add (self->restorers, restorer);
          else if (error != NULL)
            {
              settle_error (self, error);
              break;
            }
        }
    }

  if (!self->settled && self->owner != NULL)
    {
      context = _quarry_mutation_emit_mutate (self->owner, self);
      if (context != NULL && !self->settled)
        {
          g_value_init (&self->state.context, G_VALUE_TYPE (context));
          g_value_copy (context, &self->state.context);
          dispatch (self, QUARRY_MUTATION_ACTION_PENDING);
        }
    }

  if (!self->settled && self->cache != NULL)
    {
      if (can_start (self))
        {
          if (self->state.is_paused)
            {
              self->state.is_paused = FALSE;
              dispatch (self, QUARRY_MUTATION_ACTION_CONTINUE);
            }
          if (!self->settled)
            run_attempt (self);
        }
      else
        {
          /* TanStack's retryer dispatches "pause" when it cannot start,
           * even though "pending" already said so. */
          self->paused = TRUE;
          self->state.is_paused = TRUE;
          dispatch (self, QUARRY_MUTATION_ACTION_PAUSE);
        }
    }

  _quarry_mutation_run_unref (self);
}

void
_quarry_mutation_run_cancel (QuarryMutationRun *self,
                             const GError      *error)
{
  if (self->settled)
    return;

  g_cancellable_cancel (self->cancellable);
  settle_error (self, error);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  QuarryMutationRun *self = user_data;
  g_autoptr(GError) error = NULL;

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The mutation was cancelled"));
  _quarry_mutation_run_cancel (self, error);
  return G_SOURCE_REMOVE;
}

/* A mutate_async () caller: completed when the run settles. Cancelling
 * its cancellable cancels the run. */
void
_quarry_mutation_run_add_waiter (QuarryMutationRun *self,
                                 GTask             *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  Waiter *waiter = g_new0 (Waiter, 1);

  waiter->task = g_object_ref (task);
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb),
                             _quarry_mutation_run_ref (self),
                             (GDestroyNotify) _quarry_mutation_run_unref);
      g_source_set_name (waiter->cancel_source, "[quarry] mutation cancelled");
      g_source_attach (waiter->cancel_source,
                       _quarry_clock_get_context (quarry_query_client_get_clock (run_client (self))));
    }
  g_ptr_array_add (self->waiters, waiter);
}
