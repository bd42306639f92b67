/* quarry-mutation-options-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-entry-private.h"
#include "quarry-mutation-options.h"

G_BEGIN_DECLS

/* What a mutation run is configured with, once the client's defaults, the
 * defaults of its key and its own options were merged in that order. */
typedef struct
{
  QuarryFetchOptions fetch;        /* fetcher: the mutation function */
  char *scope_id;
  GPtrArray *optimistic_updates;   /* QuarryOptimisticUpdate */
  GPtrArray *invalidate_keys;      /* QuarryKey */
} QuarryMutationConfig;

void _quarry_mutation_config_init  (QuarryMutationConfig  *config);
void _quarry_mutation_config_merge (QuarryMutationConfig  *config,
                                    QuarryMutationOptions *options);
void _quarry_mutation_config_clear (QuarryMutationConfig  *config);

G_END_DECLS
