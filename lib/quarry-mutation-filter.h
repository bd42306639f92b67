/* quarry-mutation-filter.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <glib-object.h>

#include "quarry-key.h"
#include "quarry-mutation-state.h"
#include "quarry-types.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_MUTATION_FILTER (quarry_mutation_filter_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryMutationFilter, quarry_mutation_filter, QUARRY, MUTATION_FILTER, GObject)

/**
 * QuarryMutationPredicate:
 * @state: the mutation run's state
 * @user_data: the data given with the predicate
 *
 * Decides whether a mutation run matches a [class@MutationFilter]. It runs
 * last, after every other criterion of the filter matched.
 *
 * Returns: `TRUE` if the run matches
 */
typedef gboolean (*QuarryMutationPredicate) (QuarryMutationState *state,
                                             gpointer             user_data);

QUARRY_AVAILABLE_IN_ALL
QuarryMutationFilter *quarry_mutation_filter_new              (QuarryKey               *key) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryKey            *quarry_mutation_filter_get_key          (QuarryMutationFilter    *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_mutation_filter_set_key          (QuarryMutationFilter    *self,
                                                               QuarryKey               *key);
QUARRY_AVAILABLE_IN_ALL
gboolean              quarry_mutation_filter_get_exact        (QuarryMutationFilter    *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_mutation_filter_set_exact        (QuarryMutationFilter    *self,
                                                               gboolean                 exact);
QUARRY_AVAILABLE_IN_ALL
gboolean              quarry_mutation_filter_get_match_status (QuarryMutationFilter    *self);
QUARRY_AVAILABLE_IN_ALL
QuarryMutationStatus  quarry_mutation_filter_get_status       (QuarryMutationFilter    *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_mutation_filter_set_status       (QuarryMutationFilter    *self,
                                                               QuarryMutationStatus     status);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_mutation_filter_set_predicate    (QuarryMutationFilter    *self,
                                                               QuarryMutationPredicate  predicate,
                                                               gpointer                 user_data,
                                                               GDestroyNotify           destroy);

G_END_DECLS
