/* bench-todo.h: the keys and data of W1 and W2
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "bench-util.h"

G_BEGIN_DECLS

/* The key ["todos", {"page": i % 100, "id": i}], built the way @key_from
 * says, as an application builds a key for each of its calls. */
QuarryKey *bench_todo_key  (BenchKeyFrom key_from,
                            guint        i);

/* The data {"id": i, "title": "t<i>", "done": false}, a new JSON object
 * built with json_object_set_*_member(). */
JsonNode  *bench_todo_data (guint        i);

G_END_DECLS
