/* quarry-mutation.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "quarry-key.h"
#include "quarry-mutation-filter.h"
#include "quarry-mutation-options.h"
#include "quarry-mutation-state.h"
#include "quarry-query-client.h"
#include "quarry-types.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_MUTATION (quarry_mutation_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryMutation, quarry_mutation, QUARRY, MUTATION, GObject)

/**
 * QuarryMutateCallback:
 * @mutation: the mutation
 * @data: (nullable): what the mutation function returned, or `NULL` if the
 *   run failed
 * @error: (nullable): why the run failed, or `NULL` if it succeeded
 * @variables: (nullable): the variables the run was given
 * @context: (nullable): what [signal@Mutation::mutate] returned
 * @user_data: the data given with the callback
 *
 * Called once when the run started by one [method@Mutation.mutate] call
 * settles, after the mutation's own [signal@Mutation::success] or
 * [signal@Mutation::error] and [signal@Mutation::settled] handlers, as
 * TanStack's per-call `onSuccess`, `onError` and `onSettled`.
 */
typedef void (*QuarryMutateCallback) (QuarryMutation *mutation,
                                      const GValue   *data,
                                      const GError   *error,
                                      const GValue   *variables,
                                      const GValue   *context,
                                      gpointer        user_data);

QUARRY_AVAILABLE_IN_ALL
QuarryMutation        *quarry_mutation_new                (QuarryQueryClient    *client,
                                                           QuarryKey            *mutation_key,
                                                           QuarryMutationFunc    mutation_func,
                                                           gpointer              user_data,
                                                           GDestroyNotify        destroy) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryQueryClient     *quarry_mutation_get_client         (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
QuarryKey             *quarry_mutation_get_mutation_key   (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
void                   quarry_mutation_set_mutation_key   (QuarryMutation       *self,
                                                           QuarryKey            *mutation_key);
QUARRY_AVAILABLE_IN_ALL
QuarryMutationOptions *quarry_mutation_get_options        (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
QuarryMutationStatus   quarry_mutation_get_status         (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
const GValue          *quarry_mutation_get_value          (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
const GError          *quarry_mutation_get_error          (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
const GValue          *quarry_mutation_get_variables      (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
const GValue          *quarry_mutation_get_context        (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
guint                  quarry_mutation_get_failure_count  (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
const GError          *quarry_mutation_get_failure_reason (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
gboolean               quarry_mutation_get_is_paused      (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
gint64                 quarry_mutation_get_submitted_at   (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
gboolean               quarry_mutation_get_is_idle        (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
gboolean               quarry_mutation_get_is_pending     (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
gboolean               quarry_mutation_get_is_success     (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
gboolean               quarry_mutation_get_is_error       (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
QuarryMutationState   *quarry_mutation_dup_state          (QuarryMutation       *self) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
void                   quarry_mutation_mutate             (QuarryMutation       *self,
                                                           const GValue         *variables,
                                                           QuarryMutateCallback  callback,
                                                           gpointer              user_data,
                                                           GDestroyNotify        destroy);
QUARRY_AVAILABLE_IN_ALL
void                   quarry_mutation_mutate_async       (QuarryMutation       *self,
                                                           const GValue         *variables,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
QUARRY_AVAILABLE_IN_ALL
GValue                *quarry_mutation_mutate_finish      (QuarryMutation       *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
QUARRY_AVAILABLE_IN_ALL
void                   quarry_mutation_cancel             (QuarryMutation       *self);
QUARRY_AVAILABLE_IN_ALL
void                   quarry_mutation_reset              (QuarryMutation       *self);

/* The client's mutation cache. */

QUARRY_AVAILABLE_IN_ALL
QuarryMutationOptions *quarry_query_client_get_default_mutation_options (QuarryQueryClient    *self);
QUARRY_AVAILABLE_IN_ALL
void                   quarry_query_client_set_mutation_defaults        (QuarryQueryClient    *self,
                                                                         QuarryKey            *key,
                                                                         QuarryMutationOptions *options);
QUARRY_AVAILABLE_IN_ALL
guint                  quarry_query_client_get_is_mutating              (QuarryQueryClient    *self);
QUARRY_AVAILABLE_IN_ALL
guint                  quarry_query_client_count_mutating               (QuarryQueryClient    *self,
                                                                         QuarryMutationFilter *filter);
QUARRY_AVAILABLE_IN_ALL
GPtrArray             *quarry_query_client_find_mutations               (QuarryQueryClient    *self,
                                                                         QuarryMutationFilter *filter) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
void                   quarry_query_client_resume_paused_mutations      (QuarryQueryClient    *self);

/* Optimistic updates, each returning what undoes it. */

QUARRY_AVAILABLE_IN_ALL
QuarryRestorer        *quarry_query_client_optimistic_set               (QuarryQueryClient    *self,
                                                                         QuarryKey            *key,
                                                                         const GValue         *value,
                                                                         const char           *updating_member,
                                                                         GError              **error) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryRestorer        *quarry_query_client_optimistic_upsert            (QuarryQueryClient    *self,
                                                                         QuarryKey            *key,
                                                                         JsonNode             *item,
                                                                         const char           *id_member,
                                                                         const char           *updating_member,
                                                                         GError              **error) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryRestorer        *quarry_query_client_optimistic_delete            (QuarryQueryClient    *self,
                                                                         QuarryKey            *key,
                                                                         JsonNode             *id,
                                                                         const char           *id_member,
                                                                         const char           *updating_member,
                                                                         GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
