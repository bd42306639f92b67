/* quarry-mutation-filter-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-mutation-filter.h"
#include "quarry-mutation-state-private.h"

G_BEGIN_DECLS

gboolean _quarry_mutation_filter_matches (QuarryMutationFilter          *self,
                                          guint64                        mutation_id,
                                          QuarryKey                     *mutation_key,
                                          const char                    *scope_id,
                                          const QuarryMutationStateData *state);

G_END_DECLS
