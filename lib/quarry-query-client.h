/* quarry-query-client.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "quarry-clock.h"
#include "quarry-fetch-context.h"
#include "quarry-key.h"
#include "quarry-query-filter.h"
#include "quarry-query-options.h"
#include "quarry-query-state.h"
#include "quarry-types.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_QUERY_CLIENT (quarry_query_client_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryQueryClient, quarry_query_client, QUARRY, QUERY_CLIENT, GObject)

/**
 * QuarryUpdateFunc:
 * @previous: (nullable): the entry's current data, or `NULL` if it has none
 * @data: (out caller-allocates): an unset value to store the new data in
 * @user_data: the data given with the function
 *
 * Computes new data for [method@QueryClient.set_query_data_with_updater]
 * from the current data, storing it in @data (initialising it with
 * `g_value_init()`). Leaving @data unset leaves the entry as it is.
 */
typedef void (*QuarryUpdateFunc) (const GValue *previous,
                                  GValue       *data,
                                  gpointer      user_data);

QUARRY_AVAILABLE_IN_ALL
QuarryQueryClient  *quarry_query_client_new                  (void) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryQueryClient  *quarry_query_client_new_with_clock       (QuarryClock         *clock) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryClock        *quarry_query_client_get_clock            (QuarryQueryClient   *self);
QUARRY_AVAILABLE_IN_ALL
QuarryQueryOptions *quarry_query_client_get_default_options  (QuarryQueryClient   *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_set_query_defaults   (QuarryQueryClient   *self,
                                                              QuarryKey           *key,
                                                              QuarryQueryOptions  *options);
QUARRY_AVAILABLE_IN_ALL
gboolean            quarry_query_client_get_online           (QuarryQueryClient   *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_set_online           (QuarryQueryClient   *self,
                                                              gboolean             online);
QUARRY_AVAILABLE_IN_ALL
GNetworkMonitor    *quarry_query_client_get_network_monitor  (QuarryQueryClient   *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_set_network_monitor  (QuarryQueryClient   *self,
                                                              GNetworkMonitor     *monitor);
QUARRY_AVAILABLE_IN_ALL
gboolean            quarry_query_client_get_focused          (QuarryQueryClient   *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_set_focused          (QuarryQueryClient   *self,
                                                              gboolean             focused);
QUARRY_AVAILABLE_IN_ALL
guint               quarry_query_client_get_is_fetching      (QuarryQueryClient   *self);
QUARRY_AVAILABLE_IN_ALL
guint               quarry_query_client_get_n_entries        (QuarryQueryClient   *self);
QUARRY_AVAILABLE_IN_ALL
guint               quarry_query_client_count_fetching       (QuarryQueryClient   *self,
                                                              QuarryQueryFilter   *filter);
QUARRY_AVAILABLE_IN_ALL
GPtrArray          *quarry_query_client_find_keys            (QuarryQueryClient   *self,
                                                              QuarryQueryFilter   *filter) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
const GValue       *quarry_query_client_get_query_data       (QuarryQueryClient   *self,
                                                              QuarryKey           *key);
QUARRY_AVAILABLE_IN_ALL
QuarryQueryState   *quarry_query_client_get_query_state      (QuarryQueryClient   *self,
                                                              QuarryKey           *key) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
gboolean            quarry_query_client_set_query_data       (QuarryQueryClient   *self,
                                                              QuarryKey           *key,
                                                              const GValue        *value,
                                                              GError             **error);
QUARRY_AVAILABLE_IN_ALL
gboolean            quarry_query_client_set_query_data_with_updater (QuarryQueryClient *self,
                                                                     QuarryKey         *key,
                                                                     QuarryUpdateFunc   func,
                                                                     gpointer           user_data,
                                                                     GError           **error);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_invalidate_queries   (QuarryQueryClient   *self,
                                                              QuarryQueryFilter   *filter,
                                                              QuarryRefetchType    refetch_type);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_refetch_queries      (QuarryQueryClient   *self,
                                                              QuarryQueryFilter   *filter);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_refetch_queries_async (QuarryQueryClient  *self,
                                                               QuarryQueryFilter  *filter,
                                                               GCancellable       *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer            user_data);
QUARRY_AVAILABLE_IN_ALL
gboolean            quarry_query_client_refetch_queries_finish (QuarryQueryClient *self,
                                                                GAsyncResult      *result,
                                                                GError           **error);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_cancel_queries       (QuarryQueryClient   *self,
                                                              QuarryQueryFilter   *filter);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_remove_queries       (QuarryQueryClient   *self,
                                                              QuarryQueryFilter   *filter);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_reset_queries        (QuarryQueryClient   *self,
                                                              QuarryQueryFilter   *filter);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_clear                (QuarryQueryClient   *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_fetch_query_async    (QuarryQueryClient   *self,
                                                              QuarryKey           *key,
                                                              QuarryFetchFunc      fetch_func,
                                                              gpointer             fetch_data,
                                                              GDestroyNotify       fetch_data_destroy,
                                                              QuarryQueryOptions  *options,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
QUARRY_AVAILABLE_IN_ALL
GValue             *quarry_query_client_fetch_query_finish   (QuarryQueryClient   *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_prefetch_query_async (QuarryQueryClient   *self,
                                                              QuarryKey           *key,
                                                              QuarryFetchFunc      fetch_func,
                                                              gpointer             fetch_data,
                                                              GDestroyNotify       fetch_data_destroy,
                                                              QuarryQueryOptions  *options,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_prefetch_query_finish (QuarryQueryClient  *self,
                                                               GAsyncResult       *result);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_client_ensure_query_data_async (QuarryQueryClient *self,
                                                                 QuarryKey         *key,
                                                                 QuarryFetchFunc    fetch_func,
                                                                 gpointer           fetch_data,
                                                                 GDestroyNotify     fetch_data_destroy,
                                                                 QuarryQueryOptions *options,
                                                                 GCancellable      *cancellable,
                                                                 GAsyncReadyCallback callback,
                                                                 gpointer           user_data);
QUARRY_AVAILABLE_IN_ALL
GValue             *quarry_query_client_ensure_query_data_finish (QuarryQueryClient *self,
                                                                  GAsyncResult      *result,
                                                                  GError           **error);

G_END_DECLS
