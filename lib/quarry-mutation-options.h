/* quarry-mutation-options.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <glib-object.h>

#include "quarry-fetch-context.h"
#include "quarry-key.h"
#include "quarry-optimistic-update.h"
#include "quarry-types.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_MUTATION_OPTIONS (quarry_mutation_options_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryMutationOptions, quarry_mutation_options, QUARRY, MUTATION_OPTIONS, GObject)

/**
 * QuarryMutationFunc:
 * @context: the run's context: mutation key, cancellable, and where the
 *   result goes
 * @variables: (nullable): what was given to [method@Mutation.mutate]
 * @user_data: the data given with the function
 *
 * Performs a mutation: creates, updates or deletes something on the server.
 *
 * Like a [callback@FetchFunc], it completes @context exactly once, now or
 * later, from the client's main context, with
 * [method@FetchContext.return_value] or [method@FetchContext.return_error].
 * The value becomes the mutation's [property@Mutation:data]. A mutation
 * with nothing to return, such as a deletion answered with no content,
 * completes with an unset value (`G_VALUE_INIT`): it succeeds with no data.
 */
typedef void (*QuarryMutationFunc) (QuarryFetchContext *context,
                                    const GValue       *variables,
                                    gpointer            user_data);

QUARRY_AVAILABLE_IN_ALL
QuarryMutationOptions *quarry_mutation_options_new                   (void) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
gboolean               quarry_mutation_options_is_set                (QuarryMutationOptions  *self,
                                                                      const char             *name);
QUARRY_AVAILABLE_IN_ALL
void                   quarry_mutation_options_unset                 (QuarryMutationOptions  *self,
                                                                      const char             *name);
QUARRY_AVAILABLE_IN_ALL
void                   quarry_mutation_options_set_mutation_func     (QuarryMutationOptions  *self,
                                                                      QuarryMutationFunc      mutation_func,
                                                                      gpointer                user_data,
                                                                      GDestroyNotify          destroy);
QUARRY_AVAILABLE_IN_ALL
void                   quarry_mutation_options_set_retry_func        (QuarryMutationOptions  *self,
                                                                      QuarryRetryFunc         retry_func,
                                                                      gpointer                user_data,
                                                                      GDestroyNotify          destroy);
QUARRY_AVAILABLE_IN_ALL
void                   quarry_mutation_options_set_retry_delay_func  (QuarryMutationOptions  *self,
                                                                      QuarryRetryDelayFunc    retry_delay_func,
                                                                      gpointer                user_data,
                                                                      GDestroyNotify          destroy);
QUARRY_AVAILABLE_IN_ALL
void                   quarry_mutation_options_add_optimistic_update (QuarryMutationOptions  *self,
                                                                      QuarryOptimisticUpdate *update);
QUARRY_AVAILABLE_IN_ALL
void                   quarry_mutation_options_add_invalidate_key    (QuarryMutationOptions  *self,
                                                                      QuarryKey              *key);

G_END_DECLS
