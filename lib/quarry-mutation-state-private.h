/* quarry-mutation-state-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-mutation-state.h"

G_BEGIN_DECLS

/* The state of a mutation run, TanStack's MutationState. */
typedef struct
{
  QuarryMutationStatus status;
  GValue data;
  GError *error;
  GValue variables;
  GValue context;
  guint failure_count;
  GError *failure_reason;
  gint64 submitted_at;
  guint is_paused : 1;
} QuarryMutationStateData;

void                 _quarry_mutation_state_data_clear (QuarryMutationStateData       *data);
void                 _quarry_mutation_state_data_copy  (QuarryMutationStateData       *dest,
                                                        const QuarryMutationStateData *src);
QuarryMutationState *_quarry_mutation_state_new        (guint64                        mutation_id,
                                                        QuarryKey                     *mutation_key,
                                                        const char                    *scope_id,
                                                        const QuarryMutationStateData *data);

G_END_DECLS
