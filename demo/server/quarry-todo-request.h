/* quarry-todo-request.h: what the todo API reads of an HTTP request
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The largest request body the API reads: 1 MiB. */
#define QUARRY_TODO_MAX_BODY_SIZE (1024 * 1024)

typedef struct
{
  char *method;
  char *raw_path;                /* as sent: percent-encoded */
  char *path;                    /* decoded, or NULL when it cannot be */
  char *query;                   /* as sent, or NULL */
  SoupMessageHeaders *headers;
  GBytes *body;                  /* never NULL */
  gboolean body_too_large;       /* over the limit, and dropped unread */
} QuarryTodoRequest;

QuarryTodoRequest *quarry_todo_request_new_from_message (SoupServerMessage  *msg);
void               quarry_todo_request_free             (QuarryTodoRequest  *self);
char              *quarry_todo_request_describe         (QuarryTodoRequest  *self);
gboolean           quarry_todo_request_is_write         (QuarryTodoRequest  *self);
const char        *quarry_todo_request_get_header       (QuarryTodoRequest  *self,
                                                         const char         *name);
JsonNode          *quarry_todo_request_parse_body       (QuarryTodoRequest  *self,
                                                         GError            **error);
gboolean           quarry_todo_request_matches_etag     (QuarryTodoRequest  *self,
                                                         const char         *etag);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryTodoRequest, quarry_todo_request_free)

G_END_DECLS
