/* quarry-todo-json.h: JSON text read strictly, where json-glib 1.6 is lax
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How deeply arrays and objects may nest: far more than any todo body or
 * store needs, far less than what would overflow json-glib's recursive
 * parser. */
#define QUARRY_TODO_JSON_MAX_DEPTH 128

JsonNode *quarry_todo_json_parse (const char  *data,
                                  gsize        length,
                                  GError     **error);

G_END_DECLS
