/* quarry-infinite-query.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "quarry-infinite-data.h"
#include "quarry-query.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_INFINITE_QUERY (quarry_infinite_query_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (QuarryInfiniteQuery, quarry_infinite_query, QUARRY, INFINITE_QUERY, QuarryQuery)

/**
 * QuarryInfiniteQueryClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@InfiniteQuery].
 */
struct _QuarryInfiniteQueryClass
{
  QuarryQueryClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

/**
 * QuarryPageParamFunc:
 * @page: the last page (for the next page) or the first page (for the
 *   previous page)
 * @data: all the pages and their parameters
 * @page_param: (nullable): the parameter @page was fetched with
 * @param: (out caller-allocates): an unset value to store the parameter of
 *   the page to fetch in
 * @user_data: the data given with the function
 * @error: return location for an error
 *
 * Computes the parameter of the page after the last one, or before the
 * first one, as TanStack's `getNextPageParam` and `getPreviousPageParam`.
 *
 * The function stores the parameter in @param (initialising it with
 * `g_value_init()`). Leaving @param unset, or storing a `NULL` pointer or a
 * JSON `null`, means there is no such page. Setting @error fails the fetch
 * that needed the parameter with that error.
 */
typedef void (*QuarryPageParamFunc) (const GValue        *page,
                                     QuarryInfiniteData  *data,
                                     const GValue        *page_param,
                                     GValue              *param,
                                     gpointer             user_data,
                                     GError             **error);

QUARRY_AVAILABLE_IN_ALL
QuarryInfiniteQuery *quarry_infinite_query_new                        (QuarryQueryClient    *client,
                                                                       QuarryKey            *key,
                                                                       QuarryFetchFunc       fetch_func,
                                                                       gpointer              user_data,
                                                                       GDestroyNotify        destroy) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_query_set_next_page_param_func     (QuarryInfiniteQuery  *self,
                                                                       QuarryPageParamFunc   func,
                                                                       gpointer              user_data,
                                                                       GDestroyNotify        destroy);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_query_set_previous_page_param_func (QuarryInfiniteQuery  *self,
                                                                       QuarryPageParamFunc   func,
                                                                       gpointer              user_data,
                                                                       GDestroyNotify        destroy);
QUARRY_AVAILABLE_IN_ALL
const GValue        *quarry_infinite_query_get_initial_page_param       (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_query_set_initial_page_param       (QuarryInfiniteQuery  *self,
                                                                       const GValue         *param);
QUARRY_AVAILABLE_IN_ALL
guint                quarry_infinite_query_get_max_pages                (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_query_set_max_pages                (QuarryInfiniteQuery  *self,
                                                                       guint                 max_pages);
QUARRY_AVAILABLE_IN_ALL
gboolean             quarry_infinite_query_get_cancel_refetch           (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_query_set_cancel_refetch           (QuarryInfiniteQuery  *self,
                                                                       gboolean              cancel_refetch);
QUARRY_AVAILABLE_IN_ALL
const char          *quarry_infinite_query_get_items_member             (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_query_set_items_member             (QuarryInfiniteQuery  *self,
                                                                       const char           *member);

QUARRY_AVAILABLE_IN_ALL
QuarryInfiniteData  *quarry_infinite_query_get_data                     (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
GListModel          *quarry_infinite_query_get_pages                    (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
GListModel          *quarry_infinite_query_get_items                    (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
gboolean             quarry_infinite_query_get_has_next_page            (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
gboolean             quarry_infinite_query_get_has_previous_page        (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
gboolean             quarry_infinite_query_get_is_fetching_next_page    (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
gboolean             quarry_infinite_query_get_is_fetching_previous_page (QuarryInfiniteQuery *self);
QUARRY_AVAILABLE_IN_ALL
gboolean             quarry_infinite_query_get_is_fetch_next_page_error (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
gboolean             quarry_infinite_query_get_is_fetch_previous_page_error (QuarryInfiniteQuery *self);

QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_query_fetch_next_page              (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_query_fetch_next_page_async        (QuarryInfiniteQuery  *self,
                                                                       GCancellable         *cancellable,
                                                                       GAsyncReadyCallback   callback,
                                                                       gpointer              user_data);
QUARRY_AVAILABLE_IN_ALL
QuarryInfiniteData  *quarry_infinite_query_fetch_next_page_finish       (QuarryInfiniteQuery  *self,
                                                                       GAsyncResult         *result,
                                                                       GError              **error);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_query_fetch_previous_page          (QuarryInfiniteQuery  *self);
QUARRY_AVAILABLE_IN_ALL
void                 quarry_infinite_query_fetch_previous_page_async    (QuarryInfiniteQuery  *self,
                                                                       GCancellable         *cancellable,
                                                                       GAsyncReadyCallback   callback,
                                                                       gpointer              user_data);
QUARRY_AVAILABLE_IN_ALL
QuarryInfiniteData  *quarry_infinite_query_fetch_previous_page_finish   (QuarryInfiniteQuery  *self,
                                                                       GAsyncResult         *result,
                                                                       GError              **error);

G_END_DECLS
