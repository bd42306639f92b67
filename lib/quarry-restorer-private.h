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

/* Where a change goes in an entry's data, and how:
 *
 * - @id_member: the member holding an item's id (NULL for "id");
 * - @updating_member: set to true on the changed item while pending;
 * - @items_member: for an upsert or a deletion, the member of a JSON
 *   object (an envelope such as {"items": [...], "total": 2}) that holds
 *   the collection, or NULL when the data is the collection;
 * - @count_member: a number in the envelope moved by one when an item is
 *   inserted or deleted;
 * - @merge: the value's members are set on the existing object (the data
 *   for a set, the item of the same id for an upsert, never inserted)
 *   instead of replacing it. */
typedef struct
{
  const char *id_member;
  const char *updating_member;
  const char *items_member;
  const char *count_member;
  gboolean    merge;
} QuarryOptimisticShape;

void            _quarry_optimistic_stack_unref     (QuarryOptimisticStack *self);
void            _quarry_optimistic_stack_detach    (QuarryOptimisticStack *self);
gboolean        _quarry_optimistic_stack_is_writing (QuarryOptimisticStack *self);
const GValue   *_quarry_optimistic_stack_get_base  (QuarryOptimisticStack *self);
GValue         *_quarry_optimistic_stack_rebase    (QuarryOptimisticStack *self,
                                                    const GValue          *confirmed);
void            _quarry_optimistic_stack_refold    (QuarryOptimisticStack *self,
                                                    gboolean               rebase_from_entry);

gboolean        _quarry_optimistic_check_value     (QuarryOptimisticKind         kind,
                                                    const GValue                *value,
                                                    const QuarryOptimisticShape *shape,
                                                    GError                     **error);
QuarryRestorer *_quarry_restorer_new_layer         (QuarryQueryClient           *client,
                                                    QuarryKey                   *key,
                                                    QuarryOptimisticKind         kind,
                                                    const GValue                *value,
                                                    const QuarryOptimisticShape *shape,
                                                    GError                     **error);
QuarryRestorer *_quarry_restorer_new_layers        (QuarryQueryClient           *client,
                                                    QuarryKey                   *key,
                                                    GPtrArray                   *keys,
                                                    QuarryOptimisticKind         kind,
                                                    const GValue                *value,
                                                    const QuarryOptimisticShape *shape);

G_END_DECLS
