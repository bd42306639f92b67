/* quarry-json-item.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "quarry-version.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_JSON_ITEM (quarry_json_item_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryJsonItem, quarry_json_item, QUARRY, JSON_ITEM, GObject)

QUARRY_AVAILABLE_IN_ALL
QuarryJsonItem *quarry_json_item_new        (JsonNode       *node) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
JsonNode       *quarry_json_item_get_node   (QuarryJsonItem *self);
QUARRY_AVAILABLE_IN_ALL
void            quarry_json_item_set_node   (QuarryJsonItem *self,
                                             JsonNode       *node);
QUARRY_AVAILABLE_IN_ALL
JsonNode       *quarry_json_item_get_member (QuarryJsonItem *self,
                                             const char     *name);
QUARRY_AVAILABLE_IN_ALL
const char     *quarry_json_item_get_string  (QuarryJsonItem *self,
                                              const char     *member);
QUARRY_AVAILABLE_IN_ALL
gint64          quarry_json_item_get_int     (QuarryJsonItem *self,
                                              const char     *member);
QUARRY_AVAILABLE_IN_ALL
double          quarry_json_item_get_double  (QuarryJsonItem *self,
                                              const char     *member);
QUARRY_AVAILABLE_IN_ALL
gboolean        quarry_json_item_get_boolean (QuarryJsonItem *self,
                                              const char     *member);

G_END_DECLS
