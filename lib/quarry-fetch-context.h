/* quarry-fetch-context.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "quarry-key.h"
#include "quarry-types.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_FETCH_CONTEXT (quarry_fetch_context_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryFetchContext, quarry_fetch_context, QUARRY, FETCH_CONTEXT, GObject)

/**
 * QuarryFetchFunc:
 * @context: the fetch's context: key, cancellable, and where the result goes
 * @user_data: the data given with the function
 *
 * Fetches the data of a query.
 *
 * The function completes @context exactly once, with
 * [method@FetchContext.return_value] or [method@FetchContext.return_error],
 * now or later, from the client's main context. To complete later it keeps a
 * reference on @context. A context dropped without a result completes with
 * [error@Quarry.Error.NO_RESULT].
 */
typedef void (*QuarryFetchFunc) (QuarryFetchContext *context,
                                 gpointer            user_data);

/**
 * QuarryThreadFunc:
 * @cancellable: (nullable): the fetch's cancellable
 * @value: (out caller-allocates): an unset value to store the result in
 * @user_data: the data given with the function
 * @error: return location for an error
 *
 * Blocking work run in a worker thread by [method@FetchContext.run_in_thread].
 *
 * It must not touch Quarry objects: it computes a value and stores it in
 * @value (initialising it with `g_value_init()`), or sets @error. Leaving
 * both unset fails the fetch with [error@Quarry.Error.NO_RESULT].
 */
typedef void (*QuarryThreadFunc) (GCancellable  *cancellable,
                                  GValue        *value,
                                  gpointer       user_data,
                                  GError       **error);

QUARRY_AVAILABLE_IN_ALL
QuarryKey    *quarry_fetch_context_get_key          (QuarryFetchContext *self);
QUARRY_AVAILABLE_IN_ALL
GCancellable *quarry_fetch_context_get_cancellable  (QuarryFetchContext *self);
QUARRY_AVAILABLE_IN_ALL
const GValue *quarry_fetch_context_get_variables    (QuarryFetchContext *self);
QUARRY_AVAILABLE_IN_ALL
const GValue *quarry_fetch_context_get_page_param   (QuarryFetchContext *self);
QUARRY_AVAILABLE_IN_ALL
QuarryFetchDirection quarry_fetch_context_get_direction (QuarryFetchContext *self);
QUARRY_AVAILABLE_IN_ALL
GVariant     *quarry_fetch_context_get_meta         (QuarryFetchContext *self);
QUARRY_AVAILABLE_IN_ALL
guint         quarry_fetch_context_get_attempt      (QuarryFetchContext *self);
QUARRY_AVAILABLE_IN_ALL
gboolean      quarry_fetch_context_is_completed     (QuarryFetchContext *self);
QUARRY_AVAILABLE_IN_ALL
const char   *quarry_fetch_context_get_validator    (QuarryFetchContext *self);
QUARRY_AVAILABLE_IN_ALL
void          quarry_fetch_context_set_validator    (QuarryFetchContext *self,
                                                     const char         *validator);
QUARRY_AVAILABLE_IN_ALL
void          quarry_fetch_context_set_max_age      (QuarryFetchContext *self,
                                                     gint64              max_age);
QUARRY_AVAILABLE_IN_ALL
const char   *quarry_fetch_context_get_idempotency_key (QuarryFetchContext *self);
QUARRY_AVAILABLE_IN_ALL
void          quarry_fetch_context_return_unchanged (QuarryFetchContext *self);
QUARRY_AVAILABLE_IN_ALL
void          quarry_fetch_context_return_value     (QuarryFetchContext *self,
                                                     const GValue       *value);
QUARRY_AVAILABLE_IN_ALL
void          quarry_fetch_context_return_json      (QuarryFetchContext *self,
                                                     JsonNode           *node);
QUARRY_AVAILABLE_IN_ALL
void          quarry_fetch_context_return_error     (QuarryFetchContext *self,
                                                     GError             *error);
QUARRY_AVAILABLE_IN_ALL
void          quarry_fetch_context_return_error_literal (QuarryFetchContext *self,
                                                         GQuark              domain,
                                                         gint                code,
                                                         const char         *message);
QUARRY_AVAILABLE_IN_ALL
void          quarry_fetch_context_run_in_thread    (QuarryFetchContext *self,
                                                     QuarryThreadFunc    func,
                                                     gpointer            user_data,
                                                     GDestroyNotify      destroy);

G_END_DECLS
