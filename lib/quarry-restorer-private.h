/* quarry-restorer-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-entry-private.h"
#include "quarry-restorer.h"

G_BEGIN_DECLS

/* The optimistic layers of one cache entry: the confirmed data (the base)
 * and, on top of it, each pending optimistic change in the order they were
 * made. What the entry shows is the base with every layer applied; new
 * confirmed data (a fetch, a manual write) replaces the base and the layers
 * are applied again. A rollback removes one layer, a commit folds it into
 * the base: neither touches another layer or newer server data. */
typedef struct _QuarryOptimisticStack QuarryOptimisticStack;

void            _quarry_optimistic_stack_unref     (QuarryOptimisticStack *self);
void            _quarry_optimistic_stack_detach    (QuarryOptimisticStack *self);
gboolean        _quarry_optimistic_stack_is_writing (QuarryOptimisticStack *self);
const GValue   *_quarry_optimistic_stack_get_base  (QuarryOptimisticStack *self);
GValue         *_quarry_optimistic_stack_rebase    (QuarryOptimisticStack *self,
                                                    const GValue          *confirmed);
void            _quarry_optimistic_stack_refold    (QuarryOptimisticStack *self,
                                                    gboolean               rebase_from_entry);

QuarryRestorer *_quarry_restorer_new_layer         (QuarryQueryClient     *client,
                                                    QuarryKey             *key,
                                                    QuarryOptimisticKind   kind,
                                                    const GValue          *value,
                                                    const char            *id_member,
                                                    const char            *updating_member,
                                                    GError               **error);

G_END_DECLS
