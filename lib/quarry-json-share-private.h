/* quarry-json-share-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode *_quarry_json_share (JsonNode *old,
                              JsonNode *fresh);

G_END_DECLS
