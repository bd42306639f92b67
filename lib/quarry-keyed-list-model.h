/* quarry-keyed-list-model.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "quarry-query.h"
#include "quarry-version.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_KEYED_LIST_MODEL (quarry_keyed_list_model_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryKeyedListModel, quarry_keyed_list_model, QUARRY, KEYED_LIST_MODEL, GObject)

/**
 * QuarryItemIdFunc:
 * @item: an element of the list, a JSON value
 * @user_data: the data given with the function
 *
 * Computes the id of a list element for [class@KeyedListModel], in place
 * of its [property@KeyedListModel:id-member].
 *
 * Returns: (transfer full) (nullable): the element's id, or `NULL` to keep
 *   the element out of the model
 */
typedef char *(*QuarryItemIdFunc) (JsonNode *item,
                                   gpointer  user_data);

QUARRY_AVAILABLE_IN_ALL
QuarryKeyedListModel *quarry_keyed_list_model_new               (QuarryQuery          *query,
                                                                 GType                 item_type) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryQuery          *quarry_keyed_list_model_get_query         (QuarryKeyedListModel *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_keyed_list_model_set_query         (QuarryKeyedListModel *self,
                                                                 QuarryQuery          *query);
QUARRY_AVAILABLE_IN_ALL
const char           *quarry_keyed_list_model_get_id_member     (QuarryKeyedListModel *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_keyed_list_model_set_id_member     (QuarryKeyedListModel *self,
                                                                 const char           *id_member);
QUARRY_AVAILABLE_IN_ALL
const char           *quarry_keyed_list_model_get_items_member  (QuarryKeyedListModel *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_keyed_list_model_set_items_member  (QuarryKeyedListModel *self,
                                                                 const char           *items_member);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_keyed_list_model_set_id_func       (QuarryKeyedListModel *self,
                                                                 QuarryItemIdFunc      func,
                                                                 gpointer              user_data,
                                                                 GDestroyNotify        destroy);
QUARRY_AVAILABLE_IN_ALL
guint                 quarry_keyed_list_model_get_n_skipped     (QuarryKeyedListModel *self);
QUARRY_AVAILABLE_IN_ALL
gpointer              quarry_keyed_list_model_lookup            (QuarryKeyedListModel *self,
                                                                 const char           *id,
                                                                 guint                *position);

G_END_DECLS
