/* quarry-test-server.h: a real HTTP server on loopback for the HTTP tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A SoupServer listening on 127.0.0.1 on a random port, in the thread-default
 * main context, which records every request it receives. */
typedef struct
{
  SoupServer *server;
  char *base_uri;            /* "http://127.0.0.1:PORT", no trailing slash */
  GPtrArray *requests;       /* TestRequest, in arrival order */
} TestServer;

/* What the server saw of one request. */
typedef struct
{
  char *method;
  char *path;                /* decoded path, "/todos/5" */
  char *raw_path;            /* the path as sent, percent-encoded */
  char *query;               /* the raw query string, or NULL */
  SoupMessageHeaders *headers;
  GBytes *body;
} TestRequest;

TestServer        *test_server_new           (void);
void               test_server_free          (TestServer         *server);
/* Records the request; call it first in every handler. */
TestRequest       *test_server_record        (TestServer         *server,
                                              SoupServerMessage  *msg);
guint              test_server_count         (TestServer         *server,
                                              const char         *path);
void               test_server_respond_json  (SoupServerMessage  *msg,
                                              guint               status,
                                              const char         *json);
/* Pauses @msg, never to answer it, and sets *closed to TRUE when the client
 * closes the connection. libsoup 3.2 does not notice that while a message
 * is paused (no "disconnected"), so this watches the socket for the end of
 * stream. The watch lasts as long as @msg (at most until the server is
 * freed). Call it from a handler, after test_server_record (). */
void               test_server_hold          (SoupServerMessage  *msg,
                                              gboolean           *closed);
/* Iterates the thread-default main context until *flag is TRUE. */
void               test_wait_for             (gboolean           *flag);

/* Like test_server_new(), but the server leaves request paths percent-encoded
 * (SoupServer:raw-paths), so that TestRequest.raw_path is the path exactly as
 * the client sent it ("/files/a%20b%2Fc"). With test_server_new() SoupServer
 * decodes the path before the handler runs, and raw_path is decoded too. */
TestServer        *test_server_new_raw_paths (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestServer, test_server_free)

/* A todo for the JSON <-> GObject mapping tests (the endpoint's object-type,
 * GObject variables): "id" (int, 0..G_MAXINT), "title" (string),
 * "done" (boolean), "priority" (int, 0..10), all defaulting to 0 / NULL /
 * FALSE / 0. json_gobject_serialize () leaves out properties that hold
 * their default value. */
#define TEST_TYPE_TODO (test_todo_get_type ())
G_DECLARE_FINAL_TYPE (TestTodo, test_todo, TEST, TODO, GObject)

struct _TestTodo
{
  GObject parent_instance;
  gint id;
  char *title;
  gboolean done;
  gint priority;
};

G_END_DECLS
