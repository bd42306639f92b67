/* quarry-todo-response.h: an HTTP response of the todo API, before it is sent
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Reference counted, so that the idempotency cache can keep one and
 * replay it. Every field may be NULL. */
typedef struct
{
  guint status;
  GBytes *body;
  char *content_type;
  char *etag;
  char *location;
  char *allow;
} QuarryTodoResponse;

QuarryTodoResponse *quarry_todo_response_new        (guint                status);
QuarryTodoResponse *quarry_todo_response_new_json   (guint                status,
                                                     JsonNode            *node);
QuarryTodoResponse *quarry_todo_response_new_json_text (guint           status,
                                                        const char     *text);
QuarryTodoResponse *quarry_todo_response_new_error  (const GError        *error);
QuarryTodoResponse *quarry_todo_response_ref        (QuarryTodoResponse  *self);
void                quarry_todo_response_unref      (QuarryTodoResponse  *self);
void                quarry_todo_response_send       (QuarryTodoResponse  *self,
                                                     SoupServerMessage   *msg,
                                                     gboolean             replayed);
void                quarry_todo_response_preset     (QuarryTodoResponse  *self,
                                                     SoupServerMessage   *msg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryTodoResponse, quarry_todo_response_unref)

G_END_DECLS
