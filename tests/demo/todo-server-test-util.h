/* todo-server-test-util.h: a QuarryTodoServer on loopback and a client for it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "quarry-todo-server-private.h"

G_BEGIN_DECLS

/* A server on 127.0.0.1 (random port) over a JSON file in a fresh
 * temporary folder, and a session to talk to it, all on the thread-default
 * main context. */
typedef struct
{
  char *dir;
  char *data_path;
  QuarryTodoServer *server;
  SoupSession *session;
  char *uri;                 /* "http://127.0.0.1:PORT/" */
} TodoFixture;

/* The fixture data of a test: how many todos to seed. */
#define TODO_SEED(n) GUINT_TO_POINTER (n)

void          todo_fixture_set_up      (TodoFixture    *fixture,
                                        gconstpointer   seed);
void          todo_fixture_tear_down   (TodoFixture    *fixture,
                                        gconstpointer   seed);
void          todo_fixture_restart     (TodoFixture    *fixture);
/* Like todo_fixture_set_up(), over a data file written with @contents
 * first; torn down by todo_fixture_tear_down(). */
void          todo_fixture_set_up_with_file (TodoFixture *fixture,
                                             const char  *contents);

typedef struct
{
  guint status;
  SoupMessageHeaders *headers;
  GBytes *body;
  char *text;                /* the body, NUL-terminated; "" for none */
  JsonNode *json;            /* the body parsed, or NULL */
  GError *error;             /* a transport error, or NULL */
  gint64 elapsed_us;         /* monotonic, from sending to the whole body */
} TodoResponse;

void          todo_response_free       (TodoResponse   *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TodoResponse, todo_response_free)

/* Sends a request and waits for its whole response. A non-NULL @body goes
 * as application/json. The variable arguments are header names and
 * values, then NULL. */
TodoResponse *todo_request             (TodoFixture    *fixture,
                                        const char     *method,
                                        const char     *path,
                                        const char     *body,
                                        ...) G_GNUC_NULL_TERMINATED;
/* Same, with the Content-Type given (NULL: none), a body of any bytes, and
 * chunked encoding instead of a Content-Length when @chunked. */
TodoResponse *todo_request_full        (SoupSession    *session,
                                        const char     *base_uri,
                                        const char     *method,
                                        const char     *path,
                                        const char     *content_type,
                                        GBytes         *body,
                                        gboolean        chunked,
                                        const char * const *headers);

const char   *todo_response_header     (TodoResponse   *response,
                                        const char     *name);
const char   *todo_response_text       (TodoResponse   *response);
JsonObject   *todo_response_object     (TodoResponse   *response);
/* Asserts a JSON error answer: the status, the code, a message, and the
 * Content-Type. */
void          todo_assert_error        (TodoResponse   *response,
                                        guint           status,
                                        const char     *code);

/* POSTs a todo and returns its id. */
gint64        todo_create              (TodoFixture    *fixture,
                                        const char     *title,
                                        gboolean        done);
/* GET /todos and the data file, side by side: equal snapshots mean that
 * nothing changed, in memory or on disk. */
char         *todo_snapshot            (TodoFixture    *fixture);
/* PATCH /settings with @json, asserting 200. */
void          todo_set_settings        (TodoFixture    *fixture,
                                        const char     *json);

/* Iterates the thread-default main context until *flag is TRUE, failing
 * the test after 20 s. */
void          todo_wait_for            (gboolean       *flag);
/* Same, until @condition (@data) holds. */
void          todo_wait_until          (gboolean      (*condition) (gpointer data),
                                        gpointer        data);

/* The ids in the "items" array of @object. */
GArray       *todo_item_ids            (JsonObject     *object);

G_END_DECLS
