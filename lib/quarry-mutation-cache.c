/* quarry-mutation-cache.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-error.h"
#include "quarry-i18n-private.h"
#include "quarry-mutation-filter-private.h"
#include "quarry-mutation-private.h"
#include "quarry-value-private.h"

/* The client's mutations, TanStack's MutationCache: every run in creation
 * order, the pending runs of each scope in submission order, and the
 * mutation defaults. The public functions here are QueryClient methods. */

typedef struct
{
  QuarryKey *key;
  QuarryMutationOptions *options;
} MutationDefaults;

static void
mutation_defaults_clear (gpointer data)
{
  MutationDefaults *defaults = data;

  g_clear_pointer (&defaults->key, quarry_key_unref);
  g_clear_object (&defaults->options);
}

QuarryMutationCache *
_quarry_mutation_cache_new (QuarryQueryClient *client)
{
  QuarryMutationCache *self = g_new0 (QuarryMutationCache, 1);

  self->client = client;
  g_queue_init (&self->runs);
  self->scopes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_queue_free);
  self->default_options = quarry_mutation_options_new ();
  self->defaults = g_array_new (FALSE, TRUE, sizeof (MutationDefaults));
  g_array_set_clear_func (self->defaults, mutation_defaults_clear);
  return self;
}

/* The client goes: pending runs fail, their handlers run, and every run
 * leaves the cache. */
void
_quarry_mutation_cache_dispose (QuarryMutationCache *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) _quarry_mutation_run_unref);

  if (self->disposed)
    return;
  self->disposed = TRUE;

  error = g_error_new_literal (QUARRY_ERROR, QUARRY_ERROR_DISPOSED,
                               _("The client was disposed before the mutation finished"));

  for (GList *l = self->runs.head; l != NULL; l = l->next)
    g_ptr_array_add (runs, _quarry_mutation_run_ref (l->data));

  for (guint i = 0; i < runs->len; i++)
    _quarry_mutation_run_cancel (g_ptr_array_index (runs, i), error);

  while (self->runs.head != NULL)
    _quarry_mutation_run_remove (self->runs.head->data);
}

/* Removes the settled runs, TanStack's MutationCache.clear () without
 * cutting pending runs off from their client. */
void
_quarry_mutation_cache_clear (QuarryMutationCache *self)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) _quarry_mutation_run_unref);

  for (GList *l = self->runs.head; l != NULL; l = l->next)
    {
      QuarryMutationRun *run = l->data;

      if (run->settled)
        g_ptr_array_add (runs, _quarry_mutation_run_ref (run));
    }

  for (guint i = 0; i < runs->len; i++)
    _quarry_mutation_run_remove (g_ptr_array_index (runs, i));
}

void
_quarry_mutation_cache_free (QuarryMutationCache *self)
{
  g_assert (self->runs.length == 0);

  g_hash_table_unref (self->scopes);
  g_clear_object (&self->default_options);
  g_array_unref (self->defaults);
  g_free (self);
}

void
_quarry_mutation_cache_resolve (QuarryMutationCache   *self,
                                QuarryKey             *key,
                                QuarryMutationOptions *options,
                                QuarryMutationConfig  *config)
{
  _quarry_mutation_config_init (config);
  _quarry_mutation_config_merge (config, self->default_options);

  if (key != NULL)
    {
      for (guint i = 0; i < self->defaults->len; i++)
        {
          MutationDefaults *defaults = &g_array_index (self->defaults, MutationDefaults, i);

          if (quarry_key_matches (key, defaults->key, FALSE))
            _quarry_mutation_config_merge (config, defaults->options);
        }
    }

  _quarry_mutation_config_merge (config, options);
}

/* TanStack's canRun: a scoped run runs when it is the first pending run of
 * its scope. */
gboolean
_quarry_mutation_cache_can_run (QuarryMutationCache *self,
                                QuarryMutationRun   *run)
{
  GQueue *queue;

  if (run->config.scope_id == NULL || !run->in_scope)
    return TRUE;

  queue = g_hash_table_lookup (self->scopes, run->config.scope_id);
  return queue == NULL || queue->head == NULL || queue->head->data == run;
}

void
_quarry_mutation_cache_run_next (QuarryMutationCache *self,
                                 const char          *scope_id)
{
  GQueue *queue = g_hash_table_lookup (self->scopes, scope_id);

  if (queue != NULL && queue->head != NULL)
    _quarry_mutation_run_continue (queue->head->data);
}

/* Continues every paused run, oldest first; scopes keep their order.
 * Returns the runs it continued. */
static GPtrArray *
resume_runs (QuarryMutationCache *self)
{
  GPtrArray *runs = g_ptr_array_new_with_free_func ((GDestroyNotify) _quarry_mutation_run_unref);

  for (GList *l = self->runs.head; l != NULL; l = l->next)
    {
      QuarryMutationRun *run = l->data;

      if (run->paused && !run->settled)
        g_ptr_array_add (runs, _quarry_mutation_run_ref (run));
    }

  for (guint i = 0; i < runs->len; i++)
    _quarry_mutation_run_continue (g_ptr_array_index (runs, i));

  return runs;
}

void
_quarry_mutation_cache_resume (QuarryMutationCache *self)
{
  g_autoptr(GPtrArray) runs = resume_runs (self);
}

/* The wait for resumed runs to settle: shared by one waiter per run, so it
 * goes with the last of them even if a run never completes its waiters. */
typedef struct
{
  gint ref_count;
  guint pending;
  GWeakRef client;
  QuarryResumedFunc func;
  gboolean focus;
} Resumption;

static Resumption *
resumption_ref (Resumption *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

static void
resumption_unref (Resumption *self)
{
  if (g_atomic_int_dec_and_test (&self->ref_count))
    {
      g_weak_ref_clear (&self->client);
      g_free (self);
    }
}

static void
resumption_done (Resumption *self)
{
  g_autoptr(QuarryQueryClient) client = g_weak_ref_get (&self->client);

  /* A client that is going fails its runs: nothing is left to refetch. A
   * client offline again by now is told of the reconnect when it is back. */
  if (client != NULL && !_quarry_query_client_get_mutation_cache (client)->disposed &&
      (self->focus || quarry_query_client_get_online (client)))
    self->func (client, self->focus);
}

static void
resumed_run_settled_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Resumption *self = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GValue *value = g_task_propagate_pointer (G_TASK (result), &error);

  g_clear_pointer (&value, _quarry_value_free);
  if (--self->pending == 0)
    resumption_done (self);
}

/* TanStack's `await resumePausedMutations()` before the queries are told of
 * focus or reconnection: continues every paused run, then calls @func once
 * all of them have settled, or at once when none was paused. */
void
_quarry_mutation_cache_resume_then (QuarryMutationCache *self,
                                    QuarryResumedFunc    func,
                                    gboolean             focus)
{
  g_autoptr(GPtrArray) runs = resume_runs (self);
  Resumption *resumption;

  resumption = g_new0 (Resumption, 1);
  resumption->ref_count = 1;
  g_weak_ref_init (&resumption->client, self->client);
  resumption->func = func;
  resumption->focus = focus;

  for (guint i = 0; i < runs->len; i++)
    {
      QuarryMutationRun *run = g_ptr_array_index (runs, i);
      g_autoptr(GTask) task = NULL;

      if (run->settled)
        continue;

      task = g_task_new (NULL, NULL, resumed_run_settled_cb, NULL);
      g_task_set_source_tag (task, _quarry_mutation_cache_resume_then);
      g_task_set_task_data (task, resumption_ref (resumption), (GDestroyNotify) resumption_unref);
      _quarry_mutation_run_add_waiter (run, task);
      resumption->pending++;
    }

  if (resumption->pending == 0)
    resumption_done (resumption);
  resumption_unref (resumption);
}

/**
 * quarry_query_client_get_default_mutation_options:
 * @self: a client
 *
 * Gets the options every mutation of the client starts from.
 *
 * Returns: (transfer none): the default mutation options
 */
QuarryMutationOptions *
quarry_query_client_get_default_mutation_options (QuarryQueryClient *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  return _quarry_query_client_get_mutation_cache (self)->default_options;
}

/**
 * quarry_query_client_set_mutation_defaults:
 * @self: a client
 * @key: a mutation key prefix
 * @options: (nullable): the options for mutations whose key matches @key,
 *   or `NULL` to forget them
 *
 * Registers options for the mutations whose key matches @key, TanStack's
 * `setMutationDefaults`.
 *
 * Every registered entry that matches a mutation's key applies, in
 * registration order, between the client's default options and the
 * mutation's own. Registering a key again replaces its options. A mutation
 * function registered here lets a mutation run, or resume after a pause,
 * without the code that started it:
 *
 * ```c
 * g_autoptr(QuarryMutationOptions) options = quarry_mutation_options_new ();
 *
 * quarry_mutation_options_set_mutation_func (options, add_todo, NULL, NULL);
 * quarry_query_client_set_mutation_defaults (client, add_todo_key, options);
 * ```
 */
void
quarry_query_client_set_mutation_defaults (QuarryQueryClient     *self,
                                           QuarryKey             *key,
                                           QuarryMutationOptions *options)
{
  QuarryMutationCache *cache;
  MutationDefaults defaults;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (options == NULL || QUARRY_IS_MUTATION_OPTIONS (options));

  cache = _quarry_query_client_get_mutation_cache (self);

  for (guint i = 0; i < cache->defaults->len; i++)
    {
      MutationDefaults *existing = &g_array_index (cache->defaults, MutationDefaults, i);

      if (quarry_key_equal (existing->key, key))
        {
          if (options != NULL)
            g_set_object (&existing->options, options);
          else
            g_array_remove_index (cache->defaults, i);
          return;
        }
    }

  if (options == NULL)
    return;

  defaults.key = quarry_key_ref (key);
  defaults.options = g_object_ref (options);
  g_array_append_val (cache->defaults, defaults);
}

/**
 * quarry_query_client_get_is_mutating: (get-property is-mutating)
 * @self: a client
 *
 * Gets how many mutation runs are pending, paused ones included.
 *
 * Returns: the number of pending runs
 */
guint
quarry_query_client_get_is_mutating (QuarryQueryClient *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), 0);
  return _quarry_query_client_get_mutation_cache (self)->n_pending;
}

/**
 * quarry_query_client_count_mutating:
 * @self: a client
 * @filter: (nullable): which runs to count, or `NULL` for all
 *
 * Counts the pending mutation runs that match @filter, TanStack's
 * `isMutating (filters)`. Paused runs count.
 *
 * Returns: the number of matching pending runs
 */
guint
quarry_query_client_count_mutating (QuarryQueryClient    *self,
                                    QuarryMutationFilter *filter)
{
  QuarryMutationCache *cache;
  guint count = 0;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), 0);
  g_return_val_if_fail (filter == NULL || QUARRY_IS_MUTATION_FILTER (filter), 0);

  cache = _quarry_query_client_get_mutation_cache (self);
  if (filter == NULL)
    return cache->n_pending;

  for (GList *l = cache->runs.head; l != NULL; l = l->next)
    {
      QuarryMutationRun *run = l->data;

      if (run->state.status == QUARRY_MUTATION_STATUS_PENDING &&
          _quarry_mutation_filter_matches (filter, run->id, run->key, run->config.scope_id, &run->state))
        count++;
    }

  return count;
}

/**
 * quarry_query_client_find_mutations:
 * @self: a client
 * @filter: (nullable): which runs to list, or `NULL` for all
 *
 * Lists the state of the mutation runs that match @filter, oldest first,
 * TanStack's `useMutationState`. Settled runs are listed until they are
 * garbage-collected, [property@MutationOptions:gc-time] after no
 * [class@Mutation] shows them.
 *
 * Returns: (transfer container) (element-type QuarryMutationState): the
 *   states
 */
GPtrArray *
quarry_query_client_find_mutations (QuarryQueryClient    *self,
                                    QuarryMutationFilter *filter)
{
  GPtrArray *states;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) _quarry_mutation_run_unref);

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  g_return_val_if_fail (filter == NULL || QUARRY_IS_MUTATION_FILTER (filter), NULL);

  states = g_ptr_array_new_with_free_func ((GDestroyNotify) quarry_mutation_state_unref);

  /* Hold the runs: a predicate may start or remove some. */
  for (GList *l = _quarry_query_client_get_mutation_cache (self)->runs.head; l != NULL; l = l->next)
    g_ptr_array_add (runs, _quarry_mutation_run_ref (l->data));

  for (guint i = 0; i < runs->len; i++)
    {
      QuarryMutationRun *run = g_ptr_array_index (runs, i);

      if (run->cache != NULL &&
          _quarry_mutation_filter_matches (filter, run->id, run->key, run->config.scope_id, &run->state))
        g_ptr_array_add (states, _quarry_mutation_run_dup_state (run));
    }

  return states;
}

/**
 * quarry_query_client_resume_paused_mutations:
 * @self: a client
 *
 * Continues the paused mutation runs, oldest first; runs of one scope still
 * run one after another. Does nothing while the client is offline.
 *
 * The client does this by itself when it comes online or gains focus, so
 * this is for runs whose function became available later, such as through
 * [method@QueryClient.set_mutation_defaults].
 */
void
quarry_query_client_resume_paused_mutations (QuarryQueryClient *self)
{
  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));

  if (!quarry_query_client_get_online (self))
    return;

  _quarry_mutation_cache_resume (_quarry_query_client_get_mutation_cache (self));
}
