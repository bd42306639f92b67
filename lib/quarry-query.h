/* quarry-query.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "quarry-fetch-context.h"
#include "quarry-key.h"
#include "quarry-query-client.h"
#include "quarry-types.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_QUERY (quarry_query_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (QuarryQuery, quarry_query, QUARRY, QUERY, GObject)

/**
 * QuarryQueryClass:
 * @parent_class: the parent class
 * @state_changed: class handler of [signal@Query::state-changed]
 *
 * The class structure of [class@Query].
 */
struct _QuarryQueryClass
{
  GObjectClass parent_class;

  void (*state_changed) (QuarryQuery       *self,
                         QuarryQueryAction  action);

  /*< private >*/
  gpointer _reserved[8];
};

/**
 * QuarrySelectFunc:
 * @data: the entry's data
 * @selected: (out caller-allocates): an unset value to store the derived value in
 * @user_data: the data given with the function
 * @error: return location for an error
 *
 * Derives what a query shows from its entry's data, as TanStack's `select`,
 * storing it in @selected (initialising it with `g_value_init()`), or sets
 * @error. An error becomes the query's error; the entry itself stays
 * successful. Leaving both unset is an error too.
 */
typedef void (*QuarrySelectFunc) (const GValue  *data,
                                  GValue        *selected,
                                  gpointer       user_data,
                                  GError       **error);

QUARRY_AVAILABLE_IN_ALL
QuarryQuery       *quarry_query_new                      (QuarryQueryClient    *client,
                                                          QuarryKey            *key,
                                                          QuarryFetchFunc       fetch_func,
                                                          gpointer              user_data,
                                                          GDestroyNotify        destroy) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryQueryClient *quarry_query_get_client               (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
QuarryKey         *quarry_query_get_key                  (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_set_key                  (QuarryQuery          *self,
                                                          QuarryKey            *key);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_set_fetch_func           (QuarryQuery          *self,
                                                          QuarryFetchFunc       fetch_func,
                                                          gpointer              user_data,
                                                          GDestroyNotify        destroy);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_set_select_func          (QuarryQuery          *self,
                                                          QuarrySelectFunc      select_func,
                                                          gpointer              user_data,
                                                          GDestroyNotify        destroy);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_set_retry_func           (QuarryQuery          *self,
                                                          QuarryRetryFunc       retry_func,
                                                          gpointer              user_data,
                                                          GDestroyNotify        destroy);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_set_retry_delay_func     (QuarryQuery          *self,
                                                          QuarryRetryDelayFunc  retry_delay_func,
                                                          gpointer              user_data,
                                                          GDestroyNotify        destroy);
QUARRY_AVAILABLE_IN_ALL
const GValue      *quarry_query_get_placeholder_data     (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_set_placeholder_data     (QuarryQuery          *self,
                                                          const GValue         *value);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_keep_previous_data   (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_set_keep_previous_data   (QuarryQuery          *self,
                                                          gboolean              keep_previous_data);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_subscribed           (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_set_subscribed           (QuarryQuery          *self,
                                                          gboolean              subscribed);
QUARRY_AVAILABLE_IN_ALL
const GValue      *quarry_query_get_initial_data         (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_set_initial_data         (QuarryQuery          *self,
                                                          const GValue         *value);
QUARRY_AVAILABLE_IN_ALL
gint64             quarry_query_get_initial_data_updated_at (QuarryQuery       *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_set_initial_data_updated_at (QuarryQuery       *self,
                                                             gint64             updated_at);
QUARRY_AVAILABLE_IN_ALL
GVariant          *quarry_query_get_meta                 (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_set_meta                 (QuarryQuery          *self,
                                                          GVariant             *meta);
QUARRY_AVAILABLE_IN_ALL
const char * const *quarry_query_get_tags                (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_set_tags                 (QuarryQuery          *self,
                                                          const char * const   *tags);

QUARRY_AVAILABLE_IN_ALL
QuarryStatus       quarry_query_get_status               (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
QuarryFetchStatus  quarry_query_get_fetch_status         (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
const GValue      *quarry_query_get_value                (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
const GError      *quarry_query_get_error                (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gint64             quarry_query_get_data_updated_at      (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gint64             quarry_query_get_error_updated_at     (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
guint              quarry_query_get_error_update_count   (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
guint              quarry_query_get_failure_count        (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
const GError      *quarry_query_get_failure_reason       (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_stale             (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_fetching          (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_paused            (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_pending           (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_success           (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_error             (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_loading           (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_refetching        (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_loading_error     (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_refetch_error     (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_placeholder_data  (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_fetched           (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_query_get_is_fetched_after_mount (QuarryQuery        *self);

QUARRY_AVAILABLE_IN_ALL
void               quarry_query_refetch                  (QuarryQuery          *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_query_refetch_async            (QuarryQuery          *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
QUARRY_AVAILABLE_IN_ALL
GValue            *quarry_query_refetch_finish           (QuarryQuery          *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS

#include "quarry-query-option-accessors.h"
