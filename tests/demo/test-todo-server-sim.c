/* test-todo-server-sim.c: what the todo server adds around its resources
 *
 * Idempotency keys, the simulation settings (latency, injected failures),
 * and requests that are still waiting when their client or the server
 * goes away.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-todo-idempotency.h"
#include "todo-server-test-util.h"

#define ADD(path, seed, func) \
  g_test_add (path, TodoFixture, TODO_SEED (seed), todo_fixture_set_up, func, todo_fixture_tear_down)

static gint64
count_todos (TodoFixture *fixture)
{
  g_autoptr(TodoResponse) response = todo_request (fixture, "GET", "/todos", NULL, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_get_int_member (todo_response_object (response), "total");
}

/* Idempotency */

static void
test_idempotent_post (TodoFixture   *fixture,
                      gconstpointer  data)
{
  g_autoptr(TodoResponse) first = NULL;
  g_autoptr(TodoResponse) repeat = NULL;
  g_autoptr(TodoResponse) other_key = NULL;
  g_autoptr(TodoResponse) no_key = NULL;

  first = todo_request (fixture, "POST", "/todos", "{\"title\": \"Once\"}",
                        "Idempotency-Key", "key-1", NULL);
  g_assert_cmpuint (first->status, ==, 201);
  g_assert_null (todo_response_header (first, "Idempotent-Replayed"));

  /* The same key, even with another body: the first answer, and nothing
   * new stored. */
  repeat = todo_request (fixture, "POST", "/todos", "{\"title\": \"Twice\"}",
                         "Idempotency-Key", "key-1", NULL);
  g_assert_cmpuint (repeat->status, ==, 201);
  g_assert_cmpstr (todo_response_text (repeat), ==, todo_response_text (first));
  g_assert_cmpstr (todo_response_header (repeat, "Location"), ==, "/todos/1");
  g_assert_cmpstr (soup_message_headers_get_content_type (repeat->headers, NULL), ==,
                   "application/json");
  g_assert_cmpstr (todo_response_header (repeat, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpint (count_todos (fixture), ==, 1);

  /* Another key, or none: applied. */
  other_key = todo_request (fixture, "POST", "/todos", "{\"title\": \"Once\"}",
                            "Idempotency-Key", "key-2", NULL);
  g_assert_cmpuint (other_key->status, ==, 201);
  g_assert_cmpint (json_object_get_int_member (todo_response_object (other_key), "id"), ==, 2);
  no_key = todo_request (fixture, "POST", "/todos", "{\"title\": \"Once\"}", NULL);
  g_assert_cmpuint (no_key->status, ==, 201);
  g_assert_cmpint (count_todos (fixture), ==, 3);
}

static void
test_idempotent_patch_delete (TodoFixture   *fixture,
                              gconstpointer  data)
{
  g_autoptr(TodoResponse) rename = NULL;
  g_autoptr(TodoResponse) other = NULL;
  g_autoptr(TodoResponse) replay = NULL;
  g_autoptr(TodoResponse) current = NULL;
  g_autoptr(TodoResponse) deleted = NULL;
  g_autoptr(TodoResponse) deleted_again = NULL;
  g_autoptr(TodoResponse) unkeyed = NULL;

  rename = todo_request (fixture, "PATCH", "/todos/1", "{\"title\": \"A\"}",
                         "Idempotency-Key", "patch-key", NULL);
  g_assert_cmpuint (rename->status, ==, 200);
  other = todo_request (fixture, "PATCH", "/todos/1", "{\"title\": \"B\"}", NULL);
  g_assert_cmpuint (other->status, ==, 200);

  /* The retry of the first PATCH answers as the first did, and does not
   * undo the second. */
  replay = todo_request (fixture, "PATCH", "/todos/1", "{\"title\": \"A\"}",
                         "Idempotency-Key", "patch-key", NULL);
  g_assert_cmpuint (replay->status, ==, 200);
  g_assert_cmpstr (todo_response_text (replay), ==, todo_response_text (rename));
  current = todo_request (fixture, "GET", "/todos/1", NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (todo_response_object (current), "title"), ==, "B");

  /* A DELETE retried: 204 again, not 404. */
  deleted = todo_request (fixture, "DELETE", "/todos/2", NULL, "Idempotency-Key", "delete-key", NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  deleted_again = todo_request (fixture, "DELETE", "/todos/2", NULL,
                                "Idempotency-Key", "delete-key", NULL);
  g_assert_cmpuint (deleted_again->status, ==, 204);
  g_assert_cmpstr (todo_response_header (deleted_again, "Idempotent-Replayed"), ==, "true");
  unkeyed = todo_request (fixture, "DELETE", "/todos/2", NULL, NULL);
  todo_assert_error (unkeyed, 404, "not_found");
}

static void
test_idempotency_scope (TodoFixture   *fixture,
                        gconstpointer  data)
{
  g_autoptr(TodoResponse) patch1 = NULL;
  g_autoptr(TodoResponse) patch2 = NULL;
  g_autoptr(TodoResponse) delete1 = NULL;
  g_autoptr(TodoResponse) post = NULL;

  /* One key, but another path or another method: a new request. */
  patch1 = todo_request (fixture, "PATCH", "/todos/1", "{\"done\": true}",
                         "Idempotency-Key", "shared", NULL);
  patch2 = todo_request (fixture, "PATCH", "/todos/2", "{\"done\": true}",
                         "Idempotency-Key", "shared", NULL);
  g_assert_cmpuint (patch1->status, ==, 200);
  g_assert_cmpuint (patch2->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (todo_response_object (patch2), "id"), ==, 2);
  g_assert_null (todo_response_header (patch2, "Idempotent-Replayed"));

  delete1 = todo_request (fixture, "DELETE", "/todos/1", NULL, "Idempotency-Key", "shared", NULL);
  g_assert_cmpuint (delete1->status, ==, 204);
  post = todo_request (fixture, "POST", "/todos", "{\"title\": \"new\"}",
                       "Idempotency-Key", "shared", NULL);
  g_assert_cmpuint (post->status, ==, 201);
  g_assert_cmpint (count_todos (fixture), ==, 3);
}

static void
test_idempotency_errors_not_remembered (TodoFixture   *fixture,
                                        gconstpointer  data)
{
  g_autoptr(TodoResponse) invalid = NULL;
  g_autoptr(TodoResponse) valid = NULL;
  g_autoptr(TodoResponse) injected = NULL;
  g_autoptr(TodoResponse) retried = NULL;
  g_autoptr(TodoResponse) replayed = NULL;

  /* An error changed nothing: the same key may then succeed. */
  invalid = todo_request (fixture, "POST", "/todos", "{\"title\": \"\"}",
                          "Idempotency-Key", "k", NULL);
  todo_assert_error (invalid, 400, "invalid_title");
  valid = todo_request (fixture, "POST", "/todos", "{\"title\": \"fixed\"}",
                        "Idempotency-Key", "k", NULL);
  g_assert_cmpuint (valid->status, ==, 201);

  /* An injected failure is not remembered either. */
  todo_set_settings (fixture, "{\"fail_rate\": 1.0}");
  injected = todo_request (fixture, "POST", "/todos", "{\"title\": \"flaky\"}",
                           "Idempotency-Key", "k2", NULL);
  todo_assert_error (injected, 503, "injected_failure");
  todo_set_settings (fixture, "{\"fail_rate\": 0}");
  retried = todo_request (fixture, "POST", "/todos", "{\"title\": \"flaky\"}",
                          "Idempotency-Key", "k2", NULL);
  g_assert_cmpuint (retried->status, ==, 201);
  replayed = todo_request (fixture, "POST", "/todos", "{\"title\": \"flaky\"}",
                           "Idempotency-Key", "k2", NULL);
  g_assert_cmpstr (todo_response_text (replayed), ==, todo_response_text (retried));
  g_assert_cmpint (count_todos (fixture), ==, 2);
}

static void
test_idempotency_bad_key (TodoFixture   *fixture,
                          gconstpointer  data)
{
  g_autofree char *long_key = g_strnfill (256, 'k');
  g_autofree char *longest_key = g_strnfill (255, 'k');
  g_autofree char *before = todo_snapshot (fixture);
  g_autofree char *after = NULL;
  g_autoptr(TodoResponse) too_long = NULL;
  g_autoptr(TodoResponse) spaced = NULL;
  g_autoptr(TodoResponse) fine = NULL;

  too_long = todo_request (fixture, "POST", "/todos", "{\"title\": \"a\"}",
                           "Idempotency-Key", long_key, NULL);
  todo_assert_error (too_long, 400, "invalid_parameter");
  spaced = todo_request (fixture, "POST", "/todos", "{\"title\": \"a\"}",
                         "Idempotency-Key", "two words", NULL);
  todo_assert_error (spaced, 400, "invalid_parameter");
  after = todo_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);

  fine = todo_request (fixture, "POST", "/todos", "{\"title\": \"a\"}",
                       "Idempotency-Key", longest_key, NULL);
  g_assert_cmpuint (fine->status, ==, 201);
}

static void
test_idempotency_reads_ignore_key (TodoFixture   *fixture,
                                   gconstpointer  data)
{
  g_autoptr(TodoResponse) first = todo_request (fixture, "GET", "/todos", NULL,
                                                "Idempotency-Key", "read", NULL);
  g_autoptr(TodoResponse) second = NULL;

  todo_create (fixture, "new", FALSE);
  second = todo_request (fixture, "GET", "/todos", NULL, "Idempotency-Key", "read", NULL);
  g_assert_cmpint (json_object_get_int_member (todo_response_object (second), "total"), ==, 2);
}

/* The cache itself, with a clock of our own. */
static void
test_idempotency_cache (void)
{
  g_autoptr(QuarryTodoIdempotency) cache = NULL;
  g_autoptr(QuarryTodoResponse) response = quarry_todo_response_new (204);
  const gint64 hour = G_TIME_SPAN_HOUR;
  QuarryTodoResponse *found;

  cache = quarry_todo_idempotency_new (QUARRY_TODO_IDEMPOTENCY_CAPACITY,
                                       QUARRY_TODO_IDEMPOTENCY_LIFETIME);
  quarry_todo_idempotency_remember (cache, "DELETE", "/todos/1", "a", response, 0);

  found = quarry_todo_idempotency_lookup (cache, "DELETE", "/todos/1", "a", 24 * hour - 1);
  g_assert_true (found == response);
  quarry_todo_response_unref (found);
  g_assert_null (quarry_todo_idempotency_lookup (cache, "DELETE", "/todos/2", "a", 0));
  g_assert_null (quarry_todo_idempotency_lookup (cache, "PATCH", "/todos/1", "a", 0));
  g_assert_null (quarry_todo_idempotency_lookup (cache, "DELETE", "/todos/1", "b", 0));

  /* After 24 hours, it is forgotten. */
  g_assert_null (quarry_todo_idempotency_lookup (cache, "DELETE", "/todos/1", "a", 24 * hour));
  g_assert_cmpuint (quarry_todo_idempotency_get_size (cache), ==, 0);

  /* The 1000 most recent are kept: the 1001st drops the oldest. */
  for (guint i = 0; i <= QUARRY_TODO_IDEMPOTENCY_CAPACITY; i++)
    {
      g_autofree char *key = g_strdup_printf ("key-%u", i);

      quarry_todo_idempotency_remember (cache, "POST", "/todos", key, response, 30 * hour + i);
    }
  g_assert_cmpuint (quarry_todo_idempotency_get_size (cache), ==, QUARRY_TODO_IDEMPOTENCY_CAPACITY);
  g_assert_null (quarry_todo_idempotency_lookup (cache, "POST", "/todos", "key-0", 31 * hour));
  found = quarry_todo_idempotency_lookup (cache, "POST", "/todos", "key-1", 31 * hour);
  g_assert_nonnull (found);
  quarry_todo_response_unref (found);
  found = quarry_todo_idempotency_lookup (cache, "POST", "/todos", "key-1000", 31 * hour);
  g_assert_nonnull (found);
  quarry_todo_response_unref (found);

  /* Remembering a known key again replaces it, without growing. */
  quarry_todo_idempotency_remember (cache, "POST", "/todos", "key-500", response, 32 * hour);
  g_assert_cmpuint (quarry_todo_idempotency_get_size (cache), ==, QUARRY_TODO_IDEMPOTENCY_CAPACITY);

  /* Expiry goes oldest first: a day after the batch, only key-500 stays. */
  found = quarry_todo_idempotency_lookup (cache, "POST", "/todos", "key-500", 55 * hour);
  g_assert_nonnull (found);
  quarry_todo_response_unref (found);
  g_assert_cmpuint (quarry_todo_idempotency_get_size (cache), ==, 1);
}

/* Settings */

static void
test_settings (TodoFixture   *fixture,
               gconstpointer  data)
{
  g_autoptr(TodoResponse) initial = todo_request (fixture, "GET", "/settings", NULL, NULL);
  g_autoptr(TodoResponse) latency = NULL;
  g_autoptr(TodoResponse) rate = NULL;
  g_autoptr(TodoResponse) both = NULL;
  g_autoptr(TodoResponse) read_back = NULL;
  JsonObject *object;

  g_assert_cmpuint (initial->status, ==, 200);
  g_assert_cmpstr (todo_response_text (initial), ==, "{\"latency_ms\":0,\"fail_rate\":0.0}");
  object = todo_response_object (initial);
  g_assert_cmpuint (json_node_get_value_type (json_object_get_member (object, "fail_rate")), ==,
                    G_TYPE_DOUBLE);

  latency = todo_request (fixture, "PATCH", "/settings", "{\"latency_ms\": 250}", NULL);
  g_assert_cmpstr (todo_response_text (latency), ==, "{\"latency_ms\":250,\"fail_rate\":0.0}");
  g_assert_cmpuint (quarry_todo_server_get_latency_ms (fixture->server), ==, 250);

  rate = todo_request (fixture, "PATCH", "/settings", "{\"fail_rate\": 0.1}", NULL);
  g_assert_cmpstr (todo_response_text (rate), ==, "{\"latency_ms\":250,\"fail_rate\":0.1}");
  g_assert_cmpfloat (quarry_todo_server_get_fail_rate (fixture->server), ==, 0.1);

  both = todo_request (fixture, "PATCH", "/settings", "{\"latency_ms\": 0, \"fail_rate\": 1}", NULL);
  g_assert_cmpstr (todo_response_text (both), ==, "{\"latency_ms\":0,\"fail_rate\":1.0}");

  /* The properties are the settings. */
  g_object_set (fixture->server, "latency-ms", 10000, "fail-rate", 0.25, NULL);
  read_back = todo_request (fixture, "GET", "/settings", NULL, NULL);
  g_assert_cmpstr (todo_response_text (read_back), ==, "{\"latency_ms\":10000,\"fail_rate\":0.25}");
}

static void
test_settings_bad (TodoFixture   *fixture,
                   gconstpointer  data)
{
  const struct {
    const char *body;
    const char *code;
  } cases[] = {
    { "{}", "invalid_parameter" },
    { "{\"latency\": 5}", "invalid_parameter" },
    { "{\"latency_ms\": -1}", "invalid_parameter" },
    { "{\"latency_ms\": 10001}", "invalid_parameter" },
    { "{\"latency_ms\": 1.5}", "invalid_type" },
    { "{\"latency_ms\": \"5\"}", "invalid_type" },
    { "{\"latency_ms\": null}", "invalid_type" },
    { "{\"fail_rate\": 1.5}", "invalid_parameter" },
    { "{\"fail_rate\": -0.1}", "invalid_parameter" },
    { "{\"fail_rate\": 2}", "invalid_parameter" },
    { "{\"fail_rate\": \"0.5\"}", "invalid_type" },
    { "{\"fail_rate\": true}", "invalid_type" },
    /* All or nothing: a valid member does not go through with a bad one. */
    { "{\"latency_ms\": 100, \"fail_rate\": 7}", "invalid_parameter" },
    { "{\"latency_ms\": 100, \"fail_rate\": []}", "invalid_type" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TodoResponse) response = todo_request (fixture, "PATCH", "/settings", cases[i].body, NULL);
      g_autoptr(TodoResponse) settings = todo_request (fixture, "GET", "/settings", NULL, NULL);

      g_test_message ("PATCH /settings %s", cases[i].body);
      todo_assert_error (response, 400, cases[i].code);
      g_assert_cmpstr (todo_response_text (settings), ==, "{\"latency_ms\":0,\"fail_rate\":0.0}");
    }
}

/* Latency */

static void
test_latency (TodoFixture   *fixture,
              gconstpointer  data)
{
  g_autoptr(TodoResponse) list = NULL;
  g_autoptr(TodoResponse) created = NULL;
  g_autoptr(TodoResponse) missing = NULL;
  g_autoptr(TodoResponse) settings = NULL;
  g_autoptr(TodoResponse) fetched = NULL;

  todo_set_settings (fixture, "{\"latency_ms\": 600}");

  /* A lower bound only: the machine may be slow, never fast. */
  list = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpint (list->elapsed_us, >=, 600 * 1000);

  created = todo_request (fixture, "POST", "/todos", "{\"title\": \"slow\"}", NULL);
  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpint (created->elapsed_us, >=, 600 * 1000);

  missing = todo_request (fixture, "GET", "/todos/99", NULL, NULL);
  todo_assert_error (missing, 404, "not_found");
  g_assert_cmpint (missing->elapsed_us, >=, 600 * 1000);

  /* /settings is never delayed. */
  settings = todo_request (fixture, "GET", "/settings", NULL, NULL);
  g_assert_cmpuint (settings->status, ==, 200);
  g_assert_cmpint (settings->elapsed_us, <, 600 * 1000);

  todo_set_settings (fixture, "{\"latency_ms\": 0}");
  fetched = todo_request (fixture, "GET", "/todos/2", NULL, NULL);
  g_assert_cmpuint (fetched->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (todo_response_object (fetched), "title"), ==, "slow");
}

static void
test_latency_parallel (TodoFixture   *fixture,
                       gconstpointer  data)
{
  g_autoptr(TodoResponse) fast = NULL;

  /* While one request waits, the server goes on answering others: the
   * delay is a timer, not a sleep. */
  todo_set_settings (fixture, "{\"latency_ms\": 10000}");
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autofree char *uri = g_strconcat (fixture->uri, "todos", NULL);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    msg = soup_message_new ("GET", uri);
    soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                      NULL, NULL);
    fast = todo_request (fixture, "GET", "/settings", NULL, NULL);
    g_assert_cmpuint (fast->status, ==, 200);
    g_assert_cmpint (fast->elapsed_us, <, 10000 * 1000);
    g_cancellable_cancel (cancellable);
  }
}

typedef struct
{
  gboolean read;
  gboolean done;
  GError *error;
} Pending;

static void
request_read_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  Pending *pending = user_data;

  pending->read = TRUE;
}

static void
pending_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                              &pending->error);

  pending->done = TRUE;
}

/* Starts @method @path, with a JSON @body if not NULL, and waits until the
 * server has read it (and, with a latency, paused it). */
static SoupMessage *
start_pending (TodoFixture  *fixture,
               const char   *method,
               const char   *path,
               const char   *body,
               GCancellable *cancellable,
               Pending      *pending)
{
  SoupServer *soup = quarry_todo_server_get_soup_server (fixture->server);
  g_autofree char *uri = g_strconcat (fixture->uri, path + 1, NULL);
  SoupMessage *msg = soup_message_new (method, uri);
  gulong id = g_signal_connect (soup, "request-read", G_CALLBACK (request_read_cb), pending);

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    pending_done_cb, pending);
  todo_wait_for (&pending->read);
  g_signal_handler_disconnect (soup, id);
  return msg;
}

static gboolean
one_dropped (gpointer data)
{
  TodoFixture *fixture = data;

  return quarry_todo_server_get_n_dropped (fixture->server) == 1;
}

static void
test_latency_client_gone (TodoFixture   *fixture,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(TodoResponse) after = NULL;
  g_autoptr(TodoResponse) kept = NULL;
  Pending pending = { FALSE, FALSE, NULL };

  todo_set_settings (fixture, "{\"latency_ms\": 1000}");
  msg = start_pending (fixture, "POST", "/todos", "{\"title\": \"abandoned\"}", cancellable, &pending);

  /* The client gives up while its request waits: the server sees the
   * connection close, and drops the request. */
  g_cancellable_cancel (cancellable);
  todo_wait_for (&pending.done);
  g_assert_error (pending.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&pending.error);
  todo_wait_until (one_dropped, fixture);

  /* A request sent after it waits as long, so the abandoned one's timer
   * would have fired by the time this one is answered: the POST was not
   * carried out. */
  after = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_cmpint (after->elapsed_us, >=, 1000 * 1000);
  g_assert_cmpint (json_object_get_int_member (todo_response_object (after), "total"), ==, 3);
  g_assert_cmpint (quarry_todo_store_get_next_id (quarry_todo_server_get_store (fixture->server)), ==, 4);

  /* A client that stays is answered, and its POST carried out. */
  kept = todo_request (fixture, "POST", "/todos", "{\"title\": \"kept\"}", NULL);
  g_assert_cmpuint (kept->status, ==, 201);
  g_assert_cmpint (json_object_get_int_member (todo_response_object (kept), "id"), ==, 4);
  g_assert_cmpuint (quarry_todo_server_get_n_dropped (fixture->server), ==, 1);
}

static void
test_latency_server_gone (void)
{
  TodoFixture fixture = { NULL, };
  g_autoptr(SoupMessage) msg = NULL;
  Pending pending = { FALSE, FALSE, NULL };

  todo_fixture_set_up (&fixture, TODO_SEED (3));
  todo_set_settings (&fixture, "{\"latency_ms\": 5000}");
  msg = start_pending (&fixture, "GET", "/todos", NULL, NULL, &pending);

  /* The server goes away with the request still paused: no crash, no
   * leak, and the client hears of it. */
  g_assert_finalize_object (fixture.server);
  fixture.server = NULL;
  todo_wait_for (&pending.done);
  g_assert_nonnull (pending.error);
  g_clear_error (&pending.error);

  /* The tear-down wants a server to finalize. */
  fixture.server = quarry_todo_server_new (NULL, NULL);
  todo_fixture_tear_down (&fixture, NULL);
}

/* Injected failures */

static void
test_fail_rate_one (TodoFixture   *fixture,
                    gconstpointer  data)
{
  const struct {
    const char *method;
    const char *path;
    const char *body;
  } requests[] = {
    { "GET", "/todos", NULL },
    { "GET", "/todos?limit=2", NULL },
    { "GET", "/todos/1", NULL },
    { "GET", "/todos/99", NULL },
    { "POST", "/todos", "{\"title\": \"never\"}" },
    { "PATCH", "/todos/1", "{\"done\": true}" },
    { "DELETE", "/todos/2", NULL },
  };
  g_autofree char *before = todo_snapshot (fixture);
  g_autofree char *after = NULL;
  g_autoptr(TodoResponse) settings = NULL;

  todo_set_settings (fixture, "{\"fail_rate\": 1.0}");
  for (guint round = 0; round < 5; round++)
    for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
      {
        g_autoptr(TodoResponse) response = todo_request (fixture, requests[i].method, requests[i].path,
                                                         requests[i].body, NULL);

        todo_assert_error (response, 503, "injected_failure");
      }

  /* /settings never fails. */
  settings = todo_request (fixture, "GET", "/settings", NULL, NULL);
  g_assert_cmpuint (settings->status, ==, 200);

  todo_set_settings (fixture, "{\"fail_rate\": 0.0}");
  after = todo_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
}

static void
test_fail_rate_zero (TodoFixture   *fixture,
                     gconstpointer  data)
{
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(TodoResponse) response = todo_request (fixture, "GET", "/todos/1", NULL, NULL);

      g_assert_cmpuint (response->status, ==, 200);
    }
}

static GString *
failure_pattern (TodoFixture *fixture,
                 guint        n)
{
  GString *pattern = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TodoResponse) response = todo_request (fixture, "GET", "/todos", NULL, NULL);

      g_assert_true (response->status == 200 || response->status == 503);
      g_string_append_c (pattern, response->status == 200 ? '.' : 'X');
    }
  return pattern;
}

static void
test_fail_rate_deterministic (TodoFixture   *fixture,
                              gconstpointer  data)
{
  g_autoptr(GString) first = NULL;
  g_autoptr(GString) second = NULL;
  g_autoptr(GString) other_seed = NULL;
  guint failures = 0;

  g_object_set (fixture->server, "random-seed", (guint64) 7, NULL);
  todo_set_settings (fixture, "{\"fail_rate\": 0.5}");
  first = failure_pattern (fixture, 60);

  /* Some fail, some do not. */
  for (guint i = 0; i < first->len; i++)
    failures += first->str[i] == 'X';
  g_assert_cmpuint (failures, >, 10);
  g_assert_cmpuint (failures, <, 50);

  /* The same seed, the same sequence. */
  quarry_todo_server_set_random_seed (fixture->server, 7);
  second = failure_pattern (fixture, 60);
  g_assert_cmpstr (second->str, ==, first->str);

  quarry_todo_server_set_random_seed (fixture->server, 8);
  other_seed = failure_pattern (fixture, 60);
  g_assert_cmpstr (other_seed->str, !=, first->str);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/todo-server/idempotency/post", 0, test_idempotent_post);
  ADD ("/todo-server/idempotency/patch-delete", 3, test_idempotent_patch_delete);
  ADD ("/todo-server/idempotency/scope", 3, test_idempotency_scope);
  ADD ("/todo-server/idempotency/errors-not-remembered", 0, test_idempotency_errors_not_remembered);
  ADD ("/todo-server/idempotency/bad-key", 0, test_idempotency_bad_key);
  ADD ("/todo-server/idempotency/reads-ignore-key", 1, test_idempotency_reads_ignore_key);
  g_test_add_func ("/todo-server/idempotency/cache", test_idempotency_cache);
  ADD ("/todo-server/settings/get-patch", 0, test_settings);
  ADD ("/todo-server/settings/bad", 0, test_settings_bad);
  ADD ("/todo-server/latency/delays", 1, test_latency);
  ADD ("/todo-server/latency/parallel", 1, test_latency_parallel);
  ADD ("/todo-server/latency/client-gone", 3, test_latency_client_gone);
  g_test_add_func ("/todo-server/latency/server-gone", test_latency_server_gone);
  ADD ("/todo-server/fail-rate/one", 3, test_fail_rate_one);
  ADD ("/todo-server/fail-rate/zero", 1, test_fail_rate_zero);
  ADD ("/todo-server/fail-rate/deterministic", 1, test_fail_rate_deterministic);

  return g_test_run ();
}
