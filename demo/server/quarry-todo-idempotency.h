/* quarry-todo-idempotency.h: the responses remembered by Idempotency-Key
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-todo-response.h"

G_BEGIN_DECLS

/* What the API promises: 24 hours, the 1000 most recent keys. */
#define QUARRY_TODO_IDEMPOTENCY_LIFETIME (24 * G_TIME_SPAN_HOUR)
#define QUARRY_TODO_IDEMPOTENCY_CAPACITY 1000

typedef struct _QuarryTodoIdempotency QuarryTodoIdempotency;

QuarryTodoIdempotency *quarry_todo_idempotency_new      (guint                   capacity,
                                                         GTimeSpan               lifetime);
void                   quarry_todo_idempotency_free     (QuarryTodoIdempotency  *self);
QuarryTodoResponse    *quarry_todo_idempotency_lookup   (QuarryTodoIdempotency  *self,
                                                         const char             *method,
                                                         const char             *path,
                                                         const char             *key,
                                                         gint64                  now);
void                   quarry_todo_idempotency_remember (QuarryTodoIdempotency  *self,
                                                         const char             *method,
                                                         const char             *path,
                                                         const char             *key,
                                                         QuarryTodoResponse     *response,
                                                         gint64                  now);
guint                  quarry_todo_idempotency_get_size (QuarryTodoIdempotency  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryTodoIdempotency, quarry_todo_idempotency_free)

G_END_DECLS
