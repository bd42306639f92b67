/* quarry-optimistic-update.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <glib-object.h>

#include "quarry-key.h"
#include "quarry-query-client.h"
#include "quarry-query-filter.h"
#include "quarry-restorer.h"
#include "quarry-types.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_OPTIMISTIC_UPDATE (quarry_optimistic_update_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryOptimisticUpdate, quarry_optimistic_update, QUARRY, OPTIMISTIC_UPDATE, GObject)

/**
 * QuarryOptimisticKeyFunc:
 * @variables: (nullable): the mutation's variables
 * @user_data: the data given with the function
 *
 * Computes the key an optimistic update touches from a mutation's
 * variables, such as `["todos", 5]` from a todo whose id is 5.
 *
 * Returns: (transfer full) (nullable): the key, or `NULL` to skip the update
 */
typedef QuarryKey *(*QuarryOptimisticKeyFunc) (const GValue *variables,
                                               gpointer      user_data);

/**
 * QuarryOptimisticValueFunc:
 * @variables: (nullable): the mutation's variables
 * @value: (out caller-allocates): an unset value to store the result in
 * @user_data: the data given with the function
 * @error: return location for an error
 *
 * Computes what an optimistic update writes from a mutation's variables:
 * the new data for [enum@Quarry.OptimisticKind.set], the item for
 * [enum@Quarry.OptimisticKind.upsert], the id for
 * [enum@Quarry.OptimisticKind.delete]. It stores it in @value (initialising
 * it with `g_value_init()`), or sets @error; leaving both unset is an error.
 */
typedef void (*QuarryOptimisticValueFunc) (const GValue  *variables,
                                           GValue        *value,
                                           gpointer       user_data,
                                           GError       **error);

/**
 * QuarryOptimisticMatchFunc:
 * @variables: (nullable): the mutation's variables
 * @key: the key of a cache entry the update's filter matched
 * @user_data: the data given with the function
 *
 * Decides, for one run of a mutation, whether an update with a
 * [property@OptimisticUpdate:filter] changes the entry of @key: a new todo
 * goes into the lists whose search and filter show it, and no other.
 *
 * Returns: `TRUE` to change the entry
 */
typedef gboolean (*QuarryOptimisticMatchFunc) (const GValue *variables,
                                               QuarryKey    *key,
                                               gpointer      user_data);

QUARRY_AVAILABLE_IN_ALL
QuarryOptimisticUpdate *quarry_optimistic_update_new                 (QuarryOptimisticKind       kind,
                                                                      QuarryKey                 *key) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryOptimisticKind    quarry_optimistic_update_get_kind            (QuarryOptimisticUpdate    *self);
QUARRY_AVAILABLE_IN_ALL
QuarryKey              *quarry_optimistic_update_get_key             (QuarryOptimisticUpdate    *self);
QUARRY_AVAILABLE_IN_ALL
void                    quarry_optimistic_update_set_key             (QuarryOptimisticUpdate    *self,
                                                                      QuarryKey                 *key);
QUARRY_AVAILABLE_IN_ALL
const char             *quarry_optimistic_update_get_id_member       (QuarryOptimisticUpdate    *self);
QUARRY_AVAILABLE_IN_ALL
void                    quarry_optimistic_update_set_id_member       (QuarryOptimisticUpdate    *self,
                                                                      const char                *id_member);
QUARRY_AVAILABLE_IN_ALL
const char             *quarry_optimistic_update_get_updating_member (QuarryOptimisticUpdate    *self);
QUARRY_AVAILABLE_IN_ALL
void                    quarry_optimistic_update_set_updating_member (QuarryOptimisticUpdate    *self,
                                                                      const char                *updating_member);
QUARRY_AVAILABLE_IN_ALL
gboolean                quarry_optimistic_update_get_append_id       (QuarryOptimisticUpdate    *self);
QUARRY_AVAILABLE_IN_ALL
void                    quarry_optimistic_update_set_append_id       (QuarryOptimisticUpdate    *self,
                                                                      gboolean                   append_id);
QUARRY_AVAILABLE_IN_ALL
const char             *quarry_optimistic_update_get_items_member    (QuarryOptimisticUpdate    *self);
QUARRY_AVAILABLE_IN_ALL
void                    quarry_optimistic_update_set_items_member    (QuarryOptimisticUpdate    *self,
                                                                      const char                *items_member);
QUARRY_AVAILABLE_IN_ALL
const char             *quarry_optimistic_update_get_count_member    (QuarryOptimisticUpdate    *self);
QUARRY_AVAILABLE_IN_ALL
void                    quarry_optimistic_update_set_count_member    (QuarryOptimisticUpdate    *self,
                                                                      const char                *count_member);
QUARRY_AVAILABLE_IN_ALL
gboolean                quarry_optimistic_update_get_merge           (QuarryOptimisticUpdate    *self);
QUARRY_AVAILABLE_IN_ALL
void                    quarry_optimistic_update_set_merge           (QuarryOptimisticUpdate    *self,
                                                                      gboolean                   merge);
QUARRY_AVAILABLE_IN_ALL
QuarryQueryFilter      *quarry_optimistic_update_get_filter          (QuarryOptimisticUpdate    *self);
QUARRY_AVAILABLE_IN_ALL
void                    quarry_optimistic_update_set_filter          (QuarryOptimisticUpdate    *self,
                                                                      QuarryQueryFilter         *filter);
QUARRY_AVAILABLE_IN_ALL
void                    quarry_optimistic_update_set_match_func      (QuarryOptimisticUpdate    *self,
                                                                      QuarryOptimisticMatchFunc  match_func,
                                                                      gpointer                   user_data,
                                                                      GDestroyNotify             destroy);
QUARRY_AVAILABLE_IN_ALL
void                    quarry_optimistic_update_set_key_func        (QuarryOptimisticUpdate    *self,
                                                                      QuarryOptimisticKeyFunc    key_func,
                                                                      gpointer                   user_data,
                                                                      GDestroyNotify             destroy);
QUARRY_AVAILABLE_IN_ALL
void                    quarry_optimistic_update_set_value_func      (QuarryOptimisticUpdate    *self,
                                                                      QuarryOptimisticValueFunc  value_func,
                                                                      gpointer                   user_data,
                                                                      GDestroyNotify             destroy);
QUARRY_AVAILABLE_IN_ALL
QuarryRestorer         *quarry_optimistic_update_apply               (QuarryOptimisticUpdate    *self,
                                                                      QuarryQueryClient         *client,
                                                                      const GValue              *variables,
                                                                      GError                   **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
