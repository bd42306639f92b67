/* quarry-mutation-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-clock-private.h"
#include "quarry-mutation.h"
#include "quarry-mutation-options-private.h"
#include "quarry-mutation-state-private.h"

G_BEGIN_DECLS

/* The client's mutations: TanStack's MutationCache. */
typedef struct
{
  QuarryQueryClient *client;       /* unowned: the client owns the cache */
  GQueue runs;                     /* QuarryMutationRun, owned, oldest first */
  GHashTable *scopes;              /* scope id → GQueue of pending runs, unowned */
  QuarryMutationOptions *default_options;
  GArray *defaults;                /* MutationDefaults, in registration order */
  guint64 next_id;
  guint n_pending;
  gboolean disposed;
} QuarryMutationCache;

/* One execution of a mutation function: TanStack's Mutation. Each
 * quarry_mutation_mutate() makes one; it lives in the cache, so it runs to
 * the end without the QuarryMutation that started it. */
typedef struct _QuarryMutationRun QuarryMutationRun;

struct _QuarryMutationRun
{
  gint ref_count;
  QuarryMutationCache *cache;      /* NULL once removed */
  guint64 id;
  QuarryKey *key;
  GList link;                      /* in the cache's list */
  QuarryMutationConfig config;
  QuarryMutationStateData state;
  QuarryMutation *owner;           /* unowned: emits the lifecycle signals */
  QuarryMutation *observer;        /* unowned: shows this run's state */
  GPtrArray *restorers;            /* QuarryRestorer of its optimistic updates */
  GPtrArray *waiters;              /* Waiter of mutate_async () calls */
  GCancellable *cancellable;
  QuarryTimer *retry_timer;
  QuarryTimer *gc_timer;
  char *idempotency_key;           /* made when an attempt asks for it */
  guint attempt;
  guint settled : 1;
  guint paused : 1;
  guint started : 1;
  guint counted_pending : 1;
  guint in_scope : 1;
};

typedef enum
{
  QUARRY_MUTATION_EVENT_ADDED,
  QUARRY_MUTATION_EVENT_REMOVED,
  QUARRY_MUTATION_EVENT_UPDATED,
} QuarryMutationEvent;

/* The cache (quarry-mutation-cache.c). */
QuarryMutationCache *_quarry_mutation_cache_new        (QuarryQueryClient     *client);
void                 _quarry_mutation_cache_dispose    (QuarryMutationCache   *self);
void                 _quarry_mutation_cache_clear      (QuarryMutationCache   *self);
void                 _quarry_mutation_cache_free       (QuarryMutationCache   *self);
void                 _quarry_mutation_cache_resolve    (QuarryMutationCache   *self,
                                                        QuarryKey             *key,
                                                        QuarryMutationOptions *options,
                                                        QuarryMutationConfig  *config);
void                 _quarry_mutation_cache_resume     (QuarryMutationCache   *self);
typedef void (*QuarryResumedFunc) (QuarryQueryClient *client,
                                   gboolean           focus);
void                 _quarry_mutation_cache_resume_then (QuarryMutationCache  *self,
                                                         QuarryResumedFunc     func,
                                                         gboolean              focus);
void                 _quarry_mutation_cache_run_next   (QuarryMutationCache   *self,
                                                        const char            *scope_id);
gboolean             _quarry_mutation_cache_can_run    (QuarryMutationCache   *self,
                                                        QuarryMutationRun     *run);

/* Runs (quarry-mutation-run.c). */
QuarryMutationRun   *_quarry_mutation_run_new          (QuarryMutationCache   *cache,
                                                        QuarryMutation        *owner,
                                                        QuarryKey             *key,
                                                        QuarryMutationConfig  *config,
                                                        const GValue          *variables);
QuarryMutationRun   *_quarry_mutation_run_ref          (QuarryMutationRun     *self);
void                 _quarry_mutation_run_unref        (QuarryMutationRun     *self);
void                 _quarry_mutation_run_execute      (QuarryMutationRun     *self);
void                 _quarry_mutation_run_continue     (QuarryMutationRun     *self);
void                 _quarry_mutation_run_cancel       (QuarryMutationRun     *self,
                                                        const GError          *error);
void                 _quarry_mutation_run_add_waiter   (QuarryMutationRun     *self,
                                                        GTask                 *task);
void                 _quarry_mutation_run_set_observer (QuarryMutationRun     *self,
                                                        QuarryMutation        *observer);
void                 _quarry_mutation_run_remove       (QuarryMutationRun     *self);
QuarryMutationState *_quarry_mutation_run_dup_state    (QuarryMutationRun     *self);

/* What runs call on their QuarryMutation (quarry-mutation.c). */
GValue              *_quarry_mutation_emit_mutate      (QuarryMutation        *self,
                                                        QuarryMutationRun     *run);
void                 _quarry_mutation_emit_result      (QuarryMutation        *self,
                                                        QuarryMutationRun     *run,
                                                        const GValue          *data,
                                                        const GError          *error);
void                 _quarry_mutation_run_updated      (QuarryMutation        *self,
                                                        QuarryMutationRun     *run,
                                                        QuarryMutationAction   action);
void                 _quarry_mutation_run_finished     (QuarryMutation        *self,
                                                        QuarryMutationRun     *run);

/* The client (quarry-query-client.c). */
QuarryMutationCache *_quarry_query_client_get_mutation_cache (QuarryQueryClient   *self);
void                 _quarry_query_client_mutation_event     (QuarryQueryClient   *self,
                                                              QuarryMutationRun   *run,
                                                              QuarryMutationEvent  event,
                                                              QuarryMutationAction action);
void                 _quarry_query_client_notify_is_mutating (QuarryQueryClient   *self);

G_END_DECLS
