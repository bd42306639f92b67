/* test-http-query.c: queries (GET) through the HTTP layer, against a real
 * SoupServer on 127.0.0.1: URL building, headers, status and network
 * errors, body limits, cancellation, the timeout, ETag / 304, max-age,
 * Retry-After, dedup, GObject mapping and infinite queries (the query side
 * of /tmp/q/http-spec.md).
 *
 * Time (retry delays, the request timeout, staleness) follows the fixture's
 * manual clock; real I/O is waited for by iterating the main context (with
 * a guard of 20 s of real time), never with a sleep.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "quarry-test-server.h"
#include "quarry-test-util.h"

/* Scripted replies. Request n (counting every request the server got, from
 * 0) is answered with reply n, or with the last reply once the script is
 * exhausted. */

typedef enum
{
  REPLY_NORMAL,           /* status, headers, body through SoupServer */
  REPLY_HOLD,             /* never answer; note when the client closes */
  REPLY_CLOSE_EARLY,      /* close the connection before any response */
  REPLY_CLOSE_MID_BODY,   /* Content-Length: 1000, 10 bytes, close */
  REPLY_CHUNKED,          /* a chunked body of @size bytes, complete */
  REPLY_CHUNKED_ENDLESS,  /* a chunk of @size bytes, then nothing, ever */
  REPLY_LENGTH_STALLED,   /* Content-Length: @size, 100 bytes, then nothing */
} ReplyKind;

typedef struct
{
  ReplyKind kind;
  guint status;
  const char *body;           /* JSON unless content_type says otherwise */
  const char *content_type;
  gsize size;                 /* a body of a JSON string of this many bytes */
  const char *headers[6];     /* name, value, name, value, …, NULL */
} Reply;

typedef struct
{
  Fixture fx;
  TestServer *server;
  QuarryHttpClient *http;
  const Reply *replies;
  guint n_replies;
  guint n_held;               /* replies that held their connection… */
  gboolean held_closed[8];    /* …and whether the client closed each */
  QuarryHttpEndpoint *counted; /* the endpoint of counting_fetch */
  guint attempts;             /* calls of counting_fetch */
} HttpFixture;

static const Reply default_reply = { .status = 200, .body = "[]" };

/* A JSON string of exactly @size bytes, quotes included. */
static char *
big_json (gsize size)
{
  char *text = g_malloc (size + 1);

  g_assert_cmpuint (size, >=, 2);
  memset (text, 'x', size);
  text[0] = text[size - 1] = '"';
  text[size] = '\0';
  return text;
}

/* Takes the connection of @msg from the server and writes @text to it. */
static GIOStream *
steal_and_write (SoupServerMessage *msg,
                 const char        *text)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (stream), text, strlen (text),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  return stream;
}

static void
close_stream (GIOStream *stream)
{
  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
}

/* Keeps a stolen connection open until the client closes it. */
typedef struct
{
  GIOStream *stream;
  gboolean *closed;
  char buffer[256];
} Held;

static void
held_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Held *held = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n > 0)
    {
      g_input_stream_read_async (G_INPUT_STREAM (object), held->buffer, sizeof held->buffer,
                                 G_PRIORITY_DEFAULT, NULL, held_read_cb, held);
      return;
    }
  *held->closed = TRUE;
  close_stream (held->stream);
  g_free (held);
}

static void
hold_stream (GIOStream *stream,
             gboolean  *closed)
{
  Held *held = g_new0 (Held, 1);

  held->stream = stream;
  held->closed = closed;
  g_input_stream_read_async (g_io_stream_get_input_stream (stream), held->buffer,
                             sizeof held->buffer, G_PRIORITY_DEFAULT, NULL, held_read_cb, held);
}

static gboolean *
next_held_flag (HttpFixture *f)
{
  g_assert_cmpuint (f->n_held, <, G_N_ELEMENTS (f->held_closed));
  return &f->held_closed[f->n_held++];
}

static void
serve_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  HttpFixture *f = user_data;
  guint index;
  const Reply *reply;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *body = NULL;

  test_server_record (f->server, msg);
  index = f->server->requests->len - 1;
  if (f->n_replies == 0)
    reply = &default_reply;
  else
    reply = &f->replies[MIN (index, f->n_replies - 1)];

  if (reply->size > 0)
    body = big_json (reply->size);
  else
    body = g_strdup (reply->body);

  switch (reply->kind)
    {
    case REPLY_NORMAL:
      soup_server_message_set_status (msg, reply->status, NULL);
      for (guint i = 0; reply->headers[i] != NULL; i += 2)
        soup_message_headers_append (headers, reply->headers[i], reply->headers[i + 1]);
      if (body != NULL)
        soup_server_message_set_response (msg, reply->content_type ? reply->content_type : "application/json",
                                          SOUP_MEMORY_COPY, body, strlen (body));
      break;

    case REPLY_HOLD:
      test_server_hold (msg, next_held_flag (f));
      break;

    case REPLY_CLOSE_EARLY:
      close_stream (steal_and_write (msg, ""));
      break;

    case REPLY_CLOSE_MID_BODY:
      close_stream (steal_and_write (msg,
                                     "HTTP/1.1 200 OK\r\n"
                                     "Content-Type: application/json\r\n"
                                     "Content-Length: 1000\r\n"
                                     "\r\n"
                                     "[1,2,3,4,5"));
      break;

    case REPLY_LENGTH_STALLED:
      {
        g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\n"
                                                 "Content-Type: application/json\r\n"
                                                 "Content-Length: %zu\r\n"
                                                 "\r\n"
                                                 "%.100s",
                                                 strlen (body), body);

        hold_stream (steal_and_write (msg, head), next_held_flag (f));
      }
      break;

    case REPLY_CHUNKED:
    case REPLY_CHUNKED_ENDLESS:
      {
        GString *text = g_string_new ("HTTP/1.1 200 OK\r\n"
                                      "Content-Type: application/json\r\n"
                                      "Transfer-Encoding: chunked\r\n"
                                      "Connection: close\r\n"
                                      "\r\n");
        gsize chunk = reply->kind == REPLY_CHUNKED ? 500 : strlen (body);
        GIOStream *stream;

        for (gsize at = 0; at < strlen (body); at += chunk)
          {
            gsize n = MIN (chunk, strlen (body) - at);

            g_string_append_printf (text, "%zx\r\n", n);
            g_string_append_len (text, body + at, n);
            g_string_append (text, "\r\n");
          }
        if (reply->kind == REPLY_CHUNKED)
          g_string_append (text, "0\r\n\r\n");

        stream = steal_and_write (msg, text->str);
        g_string_free (text, TRUE);
        if (reply->kind == REPLY_CHUNKED)
          close_stream (stream);
        else
          hold_stream (stream, next_held_flag (f));
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
http_setup (HttpFixture   *f,
            gconstpointer  data)
{
  fixture_setup (&f->fx, data);
  f->server = test_server_new_raw_paths ();
  soup_server_add_handler (f->server->server, NULL, serve_cb, f, NULL);
  f->http = quarry_http_client_new (f->server->base_uri);
}

static void
http_teardown (HttpFixture   *f,
               gconstpointer  data)
{
  g_clear_object (&f->counted);
  fixture_teardown (&f->fx, data);
  g_assert_finalize_object (f->http);
  test_server_free (f->server);
}

static void
set_replies (HttpFixture *f,
             const Reply *replies,
             guint        n_replies)
{
  f->replies = replies;
  f->n_replies = n_replies;
}

#define SET_REPLIES(f, replies) set_replies ((f), (replies), G_N_ELEMENTS (replies))

/* Waiting for real I/O. */

static gboolean
wait_expired_cb (gpointer data)
{
  g_error ("Waited 20 s of real time for %s", (const char *) data);
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @cond holds. */
#define WAIT_UNTIL(cond) \
  G_STMT_START { \
    GSource *_guard = g_timeout_source_new_seconds (20); \
    g_source_set_callback (_guard, wait_expired_cb, (gpointer) #cond, NULL); \
    g_source_attach (_guard, NULL); \
    while (!(cond)) \
      g_main_context_iteration (NULL, TRUE); \
    g_source_destroy (_guard); \
    g_source_unref (_guard); \
  } G_STMT_END

/* Lets a fetch that is starting (a mount) start, then waits for it to end. */
static void
settle (HttpFixture *f,
        QuarryQuery *query)
{
  quarry_clock_flush (f->fx.clock);
  WAIT_UNTIL (!quarry_query_get_is_fetching (query));
}

static void
refetch_and_settle (HttpFixture *f,
                    QuarryQuery *query)
{
  quarry_query_refetch (query);
  g_assert_true (quarry_query_get_is_fetching (query));
  settle (f, query);
}

/* Queries. */

static QuarryQuery *
make_http_query (HttpFixture *f,
                 const char  *key_json,
                 const char  *path_template)
{
  g_autoptr(QuarryKey) key = key_new (key_json);
  QuarryHttpEndpoint *endpoint = quarry_http_client_endpoint (f->http, "GET", path_template);

  return quarry_query_new (f->fx.client, key, quarry_http_fetch_func, endpoint, g_object_unref);
}

/* A fetch function that counts its calls (the attempts) before handing the
 * fetch to the HTTP layer, so that a test knows at once whether an attempt
 * started, before any I/O. */
static void
counting_fetch (QuarryFetchContext *context,
                gpointer            user_data)
{
  HttpFixture *f = user_data;

  f->attempts++;
  quarry_http_fetch_func (context, f->counted);
}

static QuarryQuery *
make_counted_query (HttpFixture *f,
                    const char  *key_json,
                    const char  *path_template)
{
  g_autoptr(QuarryKey) key = key_new (key_json);

  g_assert_null (f->counted);
  f->counted = quarry_http_client_endpoint (f->http, "GET", path_template);
  return quarry_query_new (f->fx.client, key, counting_fetch, f, NULL);
}

/* Loads @key_json from @path_template with retries off, and returns the
 * request the server saw for it. */
static TestRequest *
load_once (HttpFixture *f,
           const char  *key_json,
           const char  *path_template)
{
  QuarryQuery *query = make_http_query (f, key_json, path_template);
  guint before = f->server->requests->len;

  quarry_query_set_retry (query, 0);
  settle (f, query);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_finalize_object (query);

  g_assert_cmpuint (f->server->requests->len, ==, before + 1);
  return g_ptr_array_index (f->server->requests, before);
}

static TestRequest *
request_at (HttpFixture *f,
            guint        index)
{
  g_assert_cmpuint (index, <, f->server->requests->len);
  return g_ptr_array_index (f->server->requests, index);
}

static const char *
request_header (HttpFixture *f,
                guint        index,
                const char  *name)
{
  return soup_message_headers_get_one (request_at (f, index)->headers, name);
}

/* Values. */

static JsonNode *
value_node (const GValue *value)
{
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS (value, JSON_TYPE_NODE));
  g_assert_nonnull (g_value_get_boxed (value));
  return g_value_get_boxed (value);
}

#define assert_value_json(value, expected) \
  G_STMT_START { \
    g_autoptr(JsonNode) _expected_node = json_from_string ((expected), NULL); \
    g_autofree char *_expected = json_to_string (_expected_node, FALSE); \
    g_autofree char *_actual = json_to_string (value_node (value), FALSE); \
    g_assert_cmpstr (_actual, ==, _expected); \
  } G_STMT_END

static void
seed_json (HttpFixture *f,
           const char  *key_json,
           const char  *json)
{
  g_autoptr(QuarryKey) key = key_new (key_json);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, node);
  quarry_query_client_set_query_data (f->fx.client, key, &value, &error);
  g_assert_no_error (error);
}

static GHashTable *
watch_notify (QuarryQuery *query)
{
  GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);

  g_signal_connect (query, "notify", G_CALLBACK (count_notify_cb), counts);
  return counts;
}

static void
unwatch_notify (QuarryQuery *query,
                GHashTable  *counts)
{
  g_signal_handlers_disconnect_by_data (query, counts);
  g_hash_table_unref (counts);
}

/* 1. Success. */

static void
test_success (HttpFixture   *f,
              gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "[{\"id\":1,\"title\":\"milk\"},{\"id\":2,\"title\":\"tea\"}]" },
  };
  QuarryQuery *query;
  TestRequest *request;

  SET_REPLIES (f, replies);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  settle (f, query);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_null (quarry_query_get_error (query));
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 0);
  assert_value_json (quarry_query_get_value (query),
                     "[{\"id\":1,\"title\":\"milk\"},{\"id\":2,\"title\":\"tea\"}]");
  g_assert_cmpint (quarry_query_get_data_updated_at (query), ==,
                   quarry_clock_get_wall_time (f->fx.clock));

  g_assert_cmpuint (f->server->requests->len, ==, 1);
  request = request_at (f, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/todos");
  g_assert_null (request->query);
  g_assert_cmpuint (g_bytes_get_size (request->body), ==, 0);
  g_assert_cmpstr (request_header (f, 0, "Accept"), ==, "application/json");
  g_assert_true (g_str_has_prefix (quarry_http_client_get_user_agent (f->http), "Quarry/"));
  g_assert_cmpstr (request_header (f, 0, "User-Agent"), ==,
                   quarry_http_client_get_user_agent (f->http));
  g_assert_null (request_header (f, 0, "Idempotency-Key"));
  g_assert_null (request_header (f, 0, "If-None-Match"));

  g_assert_finalize_object (query);
}

/* The user-agent property is what the server sees. */
static void
test_user_agent (HttpFixture   *f,
                 gconstpointer  data)
{
  quarry_http_client_set_user_agent (f->http, "TodoApp/2.1");
  load_once (f, "[\"todos\"]", "/todos");
  g_assert_cmpstr (request_header (f, 0, "User-Agent"), ==, "TodoApp/2.1");
}

/* 204 and an empty 200 give a JSON null. */
static void
test_empty_body (HttpFixture   *f,
                 gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 204 },
    { .status = 200, .body = "" },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      query = make_http_query (f, i == 0 ? "[\"a\"]" : "[\"b\"]", "/empty");
      quarry_query_set_retry (query, 0);
      settle (f, query);
      g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
      g_assert_true (JSON_NODE_HOLDS_NULL (value_node (quarry_query_get_value (query))));
      g_assert_finalize_object (query);
    }
}

/* 2. Path templates. */

static void
test_path_named (HttpFixture   *f,
                 gconstpointer  data)
{
  TestRequest *request = load_once (f, "[\"todos\", {\"id\": 5}]", "/todos/{id}");

  g_assert_cmpstr (request->raw_path, ==, "/todos/5");
  g_assert_null (request->query);   /* id went into the path */
}

static void
test_path_positional (HttpFixture   *f,
                      gconstpointer  data)
{
  TestRequest *request = load_once (f, "[\"todo\", 7]", "/todo/{1}");

  g_assert_cmpstr (request->raw_path, ==, "/todo/7");
  g_assert_null (request->query);

  request = load_once (f, "[\"todo\", \"x y\"]", "/{0}/{1}");
  g_assert_cmpstr (request->raw_path, ==, "/todo/x%20y");
}

/* All object elements of the key are merged, later ones win. */
static void
test_path_merged_objects (HttpFixture   *f,
                          gconstpointer  data)
{
  TestRequest *request = load_once (f, "[\"todos\", {\"id\": 1, \"x\": \"a\"}, {\"id\": 2}]",
                                    "/todos/{id}");

  g_assert_cmpstr (request->raw_path, ==, "/todos/2");
  g_assert_cmpstr (request->query, ==, "x=a");
}

static void
test_path_percent_encoding (HttpFixture   *f,
                            gconstpointer  data)
{
  TestRequest *request = load_once (f, "[\"files\", {\"name\": \"a b/c\"}]", "/files/{name}");

  g_assert_cmpstr (request->raw_path, ==, "/files/a%20b%2Fc");
  g_assert_cmpstr (request->path, ==, "/files/a b/c");

  request = load_once (f, "[\"files\", {\"name\": \"\\u00e9\"}]", "/files/{name}");
  g_assert_cmpstr (request->raw_path, ==, "/files/%C3%A9");
  g_assert_cmpstr (request->path, ==, "/files/\xc3\xa9");

  /* Unreserved characters stay as they are. */
  request = load_once (f, "[\"files\", {\"name\": \"A-z_0.9~\"}]", "/files/{name}");
  g_assert_cmpstr (request->raw_path, ==, "/files/A-z_0.9~");

  /* Numbers and booleans as JSON text. */
  request = load_once (f, "[\"v\", {\"n\": 2.5, \"b\": false}]", "/v/{n}/{b}");
  g_assert_cmpstr (request->raw_path, ==, "/v/2.5/false");
}

/* Members the path does not use become the query string: sorted, null
 * omitted, arrays repeated, strings encoded. */
static void
test_path_query_string (HttpFixture   *f,
                        gconstpointer  data)
{
  TestRequest *request =
    load_once (f,
               "[\"todos\", {\"q\": \"milk tea\", \"done\": true, \"none\": null,"
               " \"tag\": [\"a\", \"b&c\"], \"page\": 2}]",
               "/todos");

  g_assert_cmpstr (request->raw_path, ==, "/todos");
  g_assert_cmpstr (request->query, ==, "done=true&page=2&q=milk%20tea&tag=a&tag=b%26c");
}

/* A template's own query part is kept, the extra members follow it. */
static void
test_path_template_query (HttpFixture   *f,
                          gconstpointer  data)
{
  TestRequest *request = load_once (f, "[\"todos\", {\"q\": \"x\", \"list\": 3}]",
                                    "/lists/{list}/todos?limit=20");

  g_assert_cmpstr (request->raw_path, ==, "/lists/3/todos");
  g_assert_cmpstr (request->query, ==, "limit=20&q=x");
}

/* A path in the base URI is kept, with one slash before the template. */
static void
test_path_base_prefix (HttpFixture   *f,
                       gconstpointer  data)
{
  g_autofree char *api = g_strconcat (f->server->base_uri, "/api", NULL);
  g_autofree char *api_slash = g_strconcat (f->server->base_uri, "/api/", NULL);
  TestRequest *request;

  quarry_http_client_set_base_uri (f->http, api);
  g_assert_cmpstr (quarry_http_client_get_base_uri (f->http), ==, api);
  request = load_once (f, "[\"todos\", {\"id\": 5}]", "/todos/{id}");
  g_assert_cmpstr (request->raw_path, ==, "/api/todos/5");

  quarry_http_client_set_base_uri (f->http, api_slash);
  request = load_once (f, "[\"todos\", {\"id\": 6}]", "/todos/{id}");
  g_assert_cmpstr (request->raw_path, ==, "/api/todos/6");

  request = load_once (f, "[\"todos\", {\"id\": 7}]", "todos/{id}");
  g_assert_cmpstr (request->raw_path, ==, "/api/todos/7");
}

/* An absolute URL template ignores the base URI. */
static void
test_path_absolute (HttpFixture   *f,
                    gconstpointer  data)
{
  g_autofree char *absolute = g_strconcat (f->server->base_uri, "/elsewhere/{id}", NULL);
  TestRequest *request;

  quarry_http_client_set_base_uri (f->http, "http://127.0.0.1:1/api");
  request = load_once (f, "[\"todos\", {\"id\": 5}]", absolute);
  g_assert_cmpstr (request->raw_path, ==, "/elsewhere/5");
}

/* A missing, null, array or object value in the path: INVALID_REQUEST,
 * nothing sent, nothing retried. */
static void
test_path_missing_value (HttpFixture   *f,
                         gconstpointer  data)
{
  static const struct { const char *key; const char *template; } cases[] = {
    { "[\"todos\"]", "/todos/{id}" },
    { "[\"todos\", {\"other\": 1}]", "/todos/{id}" },
    { "[\"todos\", {\"id\": null}]", "/todos/{id}" },
    { "[\"todos\", {\"id\": [1, 2]}]", "/todos/{id}" },
    { "[\"todos\", {\"id\": {\"a\": 1}}]", "/todos/{id}" },
    { "[\"todo\"]", "/todo/{1}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      QuarryQuery *query = make_http_query (f, cases[i].key, cases[i].template);

      g_assert_cmpint (quarry_query_get_retry (query), ==, 3);
      settle (f, query);

      g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
      g_assert_error (quarry_query_get_error (query), QUARRY_ERROR, QUARRY_ERROR_INVALID_REQUEST);
      g_assert_false (quarry_error_is_transient (quarry_query_get_error (query)));
      g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 1);

      quarry_clock_advance (f->fx.clock, 60000);
      g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 1);
      g_assert_false (quarry_query_get_is_fetching (query));
      g_assert_finalize_object (query);
    }
  g_assert_cmpuint (f->server->requests->len, ==, 0);
}

/* 3. Status errors. */

/* 404 is final at once, though retry is 3; the seeded data stays. */
static void
test_status_404_not_retried (HttpFixture   *f,
                             gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 404, .body = "{\"message\": \"no such todo\"}" },
  };
  QuarryQuery *query;
  const GError *error;

  SET_REPLIES (f, replies);
  seed_json (f, "[\"todos\", {\"id\": 9}]", "{\"id\": 9, \"title\": \"seeded\"}");
  query = make_counted_query (f, "[\"todos\", {\"id\": 9}]", "/todos/{id}");
  g_assert_cmpint (quarry_query_get_retry (query), ==, 3);
  settle (f, query);

  g_assert_cmpuint (f->attempts, ==, 1);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  error = quarry_query_get_error (query);
  g_assert_error (error, QUARRY_HTTP_ERROR, 404);
  g_assert_cmpstr (error->message, ==, "The server answered 404 Not Found: no such todo");
  g_assert_false (quarry_error_is_transient (error));
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 1);
  assert_value_json (quarry_query_get_value (query), "{\"id\": 9, \"title\": \"seeded\"}");
  g_assert_true (quarry_query_get_is_refetch_error (query));

  quarry_clock_advance (f->fx.clock, 120000);
  g_assert_cmpuint (f->attempts, ==, 1);
  g_assert_cmpuint (test_server_count (f->server, "/todos/9"), ==, 1);

  g_assert_finalize_object (query);
}

/* A 404 after a success keeps the data it had. */
static void
test_status_404_keeps_data (HttpFixture   *f,
                            gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "[1, 2]" },
    { .status = 404 },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  settle (f, query);
  assert_value_json (quarry_query_get_value (query), "[1, 2]");

  refetch_and_settle (f, query);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_error (quarry_query_get_error (query), QUARRY_HTTP_ERROR, QUARRY_HTTP_ERROR_NOT_FOUND);
  g_assert_cmpstr (quarry_query_get_error (query)->message, ==, "The server answered 404 Not Found");
  assert_value_json (quarry_query_get_value (query), "[1, 2]");
  g_assert_cmpuint (f->server->requests->len, ==, 2);

  g_assert_finalize_object (query);
}

/* Where the message of an error status comes from. */
static void
test_status_server_message (HttpFixture   *f,
                            gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 400, .body = "{\"error\": \"bad cursor\"}" },
    { .status = 409, .body = "{\"error\": {\"message\": \"version mismatch\", \"code\": 7}}" },
    { .status = 422, .body = "{\"detail\": \"title is required\"}" },
    { .status = 403, .body = "{\"title\": \"Not yours\"}" },
    { .status = 401, .body = "log in first", .content_type = "text/plain" },
    { .status = 410, .body = "[\"no message here\"]" },
  };
  static const char *messages[] = {
    "bad cursor",
    "version mismatch",
    "title is required",
    "Not yours",
    "log in first",
    NULL,
  };

  SET_REPLIES (f, replies);
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autofree char *key = g_strdup_printf ("[\"case\", %u]", i);
      QuarryQuery *query = make_http_query (f, key, "/fail");
      g_autofree char *expected = NULL;
      const GError *error;

      settle (f, query);
      error = quarry_query_get_error (query);
      g_assert_error (error, QUARRY_HTTP_ERROR, (gint) replies[i].status);
      if (messages[i] != NULL)
        expected = g_strdup_printf ("The server answered %u %s: %s", replies[i].status,
                                    soup_status_get_phrase (replies[i].status), messages[i]);
      else
        expected = g_strdup_printf ("The server answered %u %s", replies[i].status,
                                    soup_status_get_phrase (replies[i].status));
      g_assert_cmpstr (error->message, ==, expected);
      g_assert_finalize_object (query);
    }
  g_assert_cmpuint (f->server->requests->len, ==, G_N_ELEMENTS (replies));
}

/* 4. 500 is retried with the back-off. */
static void
test_status_500_retried (HttpFixture   *f,
                         gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 500, .body = "{\"message\": \"database down\"}" },
  };
  QuarryQuery *query;
  const GError *error;

  SET_REPLIES (f, replies);
  query = make_counted_query (f, "[\"todos\"]", "/todos");
  quarry_query_set_retry (query, 1);
  quarry_clock_flush (f->fx.clock);
  WAIT_UNTIL (quarry_query_get_failure_count (query) == 1);

  /* Waiting for the retry. */
  g_assert_true (quarry_query_get_is_fetching (query));
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  g_assert_error (quarry_query_get_failure_reason (query), QUARRY_HTTP_ERROR, 500);
  g_assert_true (quarry_error_is_transient (quarry_query_get_failure_reason (query)));
  g_assert_cmpuint (f->attempts, ==, 1);

  quarry_clock_advance (f->fx.clock, 999);
  g_assert_cmpuint (f->attempts, ==, 1);
  quarry_clock_advance (f->fx.clock, 1);
  g_assert_cmpuint (f->attempts, ==, 2);
  WAIT_UNTIL (!quarry_query_get_is_fetching (query));

  g_assert_cmpuint (test_server_count (f->server, "/todos"), ==, 2);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 2);
  error = quarry_query_get_error (query);
  g_assert_error (error, QUARRY_HTTP_ERROR, QUARRY_HTTP_ERROR_INTERNAL_SERVER_ERROR);
  g_assert_nonnull (strstr (error->message, "database down"));

  g_assert_finalize_object (query);
}

/* 5. Malformed JSON: INVALID_JSON with the position, data kept, no retry. */
static void
test_invalid_json (HttpFixture   *f,
                   gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "[1]" },
    { .status = 200, .body = "{\n  \"id\": 1,\n  \"title\": tru\n}" },
  };
  QuarryQuery *query;
  const GError *error;

  SET_REPLIES (f, replies);
  query = make_counted_query (f, "[\"todos\"]", "/todos");
  settle (f, query);
  assert_value_json (quarry_query_get_value (query), "[1]");

  refetch_and_settle (f, query);
  g_assert_cmpuint (f->attempts, ==, 2);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  error = quarry_query_get_error (query);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_JSON);
  g_assert_true (g_str_has_prefix (error->message, "The server sent malformed JSON at line 3, column "));
  g_assert_nonnull (strstr (error->message, "line"));
  g_assert_nonnull (strstr (error->message, "column"));
  g_assert_false (quarry_error_is_transient (error));
  assert_value_json (quarry_query_get_value (query), "[1]");

  quarry_clock_advance (f->fx.clock, 120000);
  g_assert_cmpuint (f->attempts, ==, 2);
  g_assert_cmpuint (f->server->requests->len, ==, 2);

  g_assert_finalize_object (query);
}

/* 6. Bodies over max-body-size. */

static void
assert_too_large (QuarryQuery *query)
{
  const GError *error = quarry_query_get_error (query);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_BODY_TOO_LARGE);
  g_assert_false (quarry_error_is_transient (error));
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 1);
  g_assert_null (quarry_query_get_value (query));
}

static void
test_body_too_large_content_length (HttpFixture   *f,
                                    gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .size = 5000 },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  g_assert_cmpuint (quarry_http_client_get_max_body_size (f->http), ==,
                    QUARRY_HTTP_DEFAULT_MAX_BODY_SIZE);
  quarry_http_client_set_max_body_size (f->http, 1000);
  query = make_http_query (f, "[\"big\"]", "/big");
  settle (f, query);   /* default retry 3: the error is final at once */

  assert_too_large (query);
  g_assert_cmpuint (f->server->requests->len, ==, 1);
  g_assert_finalize_object (query);
}

/* A Content-Length over the limit fails before the body: here only 100
 * bytes of it ever come, so waiting for more would hang. */
static void
test_body_too_large_before_body (HttpFixture   *f,
                                 gconstpointer  data)
{
  static const Reply replies[] = {
    { .kind = REPLY_LENGTH_STALLED, .size = 5000 },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  quarry_http_client_set_max_body_size (f->http, 1000);
  query = make_http_query (f, "[\"big\"]", "/big");
  settle (f, query);

  assert_too_large (query);
  WAIT_UNTIL (f->held_closed[0]);
  g_assert_finalize_object (query);
}

/* The limit is a limit: 1000 bytes pass. */
static void
test_body_at_limit (HttpFixture   *f,
                    gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .size = 1000 },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  quarry_http_client_set_max_body_size (f->http, 1000);
  query = make_http_query (f, "[\"big\"]", "/big");
  settle (f, query);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpuint (strlen (json_node_get_string (value_node (quarry_query_get_value (query)))), ==, 998);
  g_assert_finalize_object (query);
}

static void
test_body_too_large_chunked (HttpFixture   *f,
                             gconstpointer  data)
{
  static const Reply replies[] = {
    { .kind = REPLY_CHUNKED, .size = 5000 },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  quarry_http_client_set_max_body_size (f->http, 1000);
  query = make_http_query (f, "[\"big\"]", "/big");
  settle (f, query);

  assert_too_large (query);
  g_assert_cmpuint (f->server->requests->len, ==, 1);
  g_assert_finalize_object (query);
}

/* Without a length the read stops as soon as it passes the limit: the body
 * never ends here, so waiting for its end would hang. */
static void
test_body_too_large_endless (HttpFixture   *f,
                             gconstpointer  data)
{
  static const Reply replies[] = {
    { .kind = REPLY_CHUNKED_ENDLESS, .size = 1500 },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  quarry_http_client_set_max_body_size (f->http, 1000);
  query = make_http_query (f, "[\"big\"]", "/big");
  settle (f, query);

  assert_too_large (query);
  /* And the connection is dropped. */
  WAIT_UNTIL (f->held_closed[0]);
  g_assert_finalize_object (query);
}

/* 7. Cancellation aborts the request. */

static void
test_cancel_refetch (HttpFixture   *f,
                     gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "[1]" },
    { .kind = REPLY_HOLD },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  settle (f, query);

  quarry_query_refetch (query);
  WAIT_UNTIL (f->server->requests->len == 2);
  g_assert_true (quarry_query_get_is_refetching (query));

  quarry_query_client_cancel_queries (f->fx.client, NULL);
  WAIT_UNTIL (f->held_closed[0]);

  quarry_clock_flush (f->fx.clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_null (quarry_query_get_error (query));
  g_assert_cmpuint (quarry_query_get_error_update_count (query), ==, 0);
  assert_value_json (quarry_query_get_value (query), "[1]");

  g_assert_finalize_object (query);
}

/* A cancelled first load goes back to pending, without an error. */
static void
test_cancel_first_load (HttpFixture   *f,
                        gconstpointer  data)
{
  static const Reply replies[] = {
    { .kind = REPLY_HOLD },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  quarry_clock_flush (f->fx.clock);
  WAIT_UNTIL (f->server->requests->len == 1);
  g_assert_true (quarry_query_get_is_loading (query));

  quarry_query_client_cancel_queries (f->fx.client, NULL);
  WAIT_UNTIL (f->held_closed[0]);

  quarry_clock_flush (f->fx.clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_null (quarry_query_get_error (query));
  g_assert_null (quarry_query_get_value (query));
  g_assert_cmpuint (quarry_clock_get_n_timers (f->fx.clock), ==, 0);

  g_assert_finalize_object (query);
}

/* 8. The connection closes early. */

static void
assert_connection_closed (HttpFixture *f,
                          const Reply *reply)
{
  QuarryQuery *query;
  const GError *error;

  set_replies (f, reply, 1);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  quarry_query_set_retry (query, 0);
  settle (f, query);

  error = quarry_query_get_error (query);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_CONNECTION_CLOSED);
  g_assert_true (quarry_error_is_transient (error));
  g_assert_null (quarry_query_get_value (query));
  g_assert_finalize_object (query);
}

static void
test_closed_mid_body (HttpFixture   *f,
                      gconstpointer  data)
{
  static const Reply reply = { .kind = REPLY_CLOSE_MID_BODY };

  assert_connection_closed (f, &reply);
  g_assert_cmpuint (f->server->requests->len, ==, 1);
}

static void
test_closed_before_headers (HttpFixture   *f,
                            gconstpointer  data)
{
  static const Reply reply = { .kind = REPLY_CLOSE_EARLY };

  assert_connection_closed (f, &reply);
}

/* 9. Nobody listens. */
static void
test_connection_refused (HttpFixture   *f,
                         gconstpointer  data)
{
  TestServer *dead = test_server_new ();
  g_autofree char *dead_uri = g_strdup (dead->base_uri);
  QuarryQuery *query;
  const GError *error;

  test_server_free (dead);
  quarry_http_client_set_base_uri (f->http, dead_uri);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  quarry_query_set_retry (query, 0);
  settle (f, query);

  error = quarry_query_get_error (query);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_CONNECTION_REFUSED);
  g_assert_true (quarry_error_is_transient (error));
  g_assert_finalize_object (query);
}

/* 10. The timeout runs on the client's clock. */
static void
test_timeout (HttpFixture   *f,
              gconstpointer  data)
{
  static const Reply replies[] = {
    { .kind = REPLY_HOLD },
  };
  QuarryQuery *query;
  const GError *error;

  SET_REPLIES (f, replies);
  g_assert_cmpuint (quarry_http_client_get_timeout (f->http), ==, QUARRY_HTTP_DEFAULT_TIMEOUT);
  quarry_http_client_set_timeout (f->http, 5000);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  quarry_query_set_retry (query, 0);
  quarry_clock_flush (f->fx.clock);
  WAIT_UNTIL (f->server->requests->len == 1);

  quarry_clock_advance (f->fx.clock, 4999);
  g_assert_true (quarry_query_get_is_fetching (query));
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 0);

  quarry_clock_advance (f->fx.clock, 1);
  WAIT_UNTIL (!quarry_query_get_is_fetching (query));
  error = quarry_query_get_error (query);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_TIMED_OUT);
  g_assert_true (quarry_error_is_transient (error));

  /* The request was aborted. */
  WAIT_UNTIL (f->held_closed[0]);
  g_assert_finalize_object (query);
}

/* A timed-out attempt is retried like any transient failure. */
static void
test_timeout_retried (HttpFixture   *f,
                      gconstpointer  data)
{
  static const Reply replies[] = {
    { .kind = REPLY_HOLD },
    { .status = 200, .body = "[2]" },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  quarry_http_client_set_timeout (f->http, 5000);
  query = make_counted_query (f, "[\"todos\"]", "/todos");
  quarry_query_set_retry (query, 1);
  quarry_query_set_retry_delay (query, 0);
  quarry_clock_flush (f->fx.clock);
  WAIT_UNTIL (f->server->requests->len == 1);

  quarry_clock_advance (f->fx.clock, 5000);
  WAIT_UNTIL (!quarry_query_get_is_fetching (query));
  g_assert_cmpuint (f->attempts, ==, 2);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  assert_value_json (quarry_query_get_value (query), "[2]");
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 0);
  WAIT_UNTIL (f->held_closed[0]);
  g_assert_finalize_object (query);
}

/* timeout 0: no timeout at all. */
static void
test_timeout_none (HttpFixture   *f,
                   gconstpointer  data)
{
  static const Reply replies[] = {
    { .kind = REPLY_HOLD },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  quarry_http_client_set_timeout (f->http, 0);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  quarry_clock_flush (f->fx.clock);
  WAIT_UNTIL (f->server->requests->len == 1);

  quarry_clock_advance (f->fx.clock, 24 * 3600 * 1000);
  g_assert_true (quarry_query_get_is_fetching (query));
  g_assert_cmpuint (quarry_query_get_failure_count (query), ==, 0);
  g_assert_false (f->held_closed[0]);

  quarry_query_client_cancel_queries (f->fx.client, NULL);
  WAIT_UNTIL (f->held_closed[0]);
  g_assert_finalize_object (query);
}

/* 11. ETag and 304. */

static const Reply etag_replies[] = {
  { .status = 200, .body = "[1, 2]", .headers = { "ETag", "\"v1\"" } },
  { .status = 304, .headers = { "ETag", "\"v1\"" } },
};

static void
test_etag_not_modified (HttpFixture   *f,
                        gconstpointer  data)
{
  QuarryQuery *query;
  JsonNode *node;
  GHashTable *counts;
  gint64 first_updated_at;

  SET_REPLIES (f, etag_replies);
  g_assert_true (quarry_http_client_get_use_etags (f->http));
  query = make_http_query (f, "[\"todos\"]", "/todos");
  quarry_query_set_stale_time (query, 10000);
  settle (f, query);
  g_assert_null (request_header (f, 0, "If-None-Match"));
  node = value_node (quarry_query_get_value (query));
  first_updated_at = quarry_query_get_data_updated_at (query);

  quarry_clock_advance (f->fx.clock, 20000);
  g_assert_true (quarry_query_get_is_stale (query));

  counts = watch_notify (query);
  quarry_query_client_invalidate_queries (f->fx.client, NULL, QUARRY_REFETCH_TYPE_DEFAULT);
  g_assert_true (quarry_query_get_is_fetching (query));
  settle (f, query);

  g_assert_cmpuint (f->server->requests->len, ==, 2);
  g_assert_cmpstr (request_header (f, 1, "If-None-Match"), ==, "\"v1\"");

  /* The very same data, untouched. */
  g_assert_true (value_node (quarry_query_get_value (query)) == node);
  assert_value_json (quarry_query_get_value (query), "[1, 2]");
  g_assert_cmpuint (count_of (counts, "data"), ==, 0);
  g_assert_cmpuint (count_of (counts, "data-updated-at"), >=, 1);
  g_assert_cmpint (quarry_query_get_data_updated_at (query), ==, first_updated_at + 20000);
  g_assert_cmpint (quarry_query_get_data_updated_at (query), ==,
                   quarry_clock_get_wall_time (f->fx.clock));
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_null (quarry_query_get_error (query));
  g_assert_false (quarry_query_get_is_stale (query));

  /* The ETag is still there for the next one. */
  refetch_and_settle (f, query);
  g_assert_cmpstr (request_header (f, 2, "If-None-Match"), ==, "\"v1\"");
  g_assert_true (value_node (quarry_query_get_value (query)) == node);
  g_assert_cmpuint (count_of (counts, "data"), ==, 0);

  unwatch_notify (query, counts);
  g_assert_finalize_object (query);
}

/* A new ETag replaces the old one. */
static void
test_etag_changes (HttpFixture   *f,
                   gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "[1]", .headers = { "ETag", "\"v1\"" } },
    { .status = 200, .body = "[2]", .headers = { "ETag", "W/\"v2\"" } },
    { .status = 304 },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  settle (f, query);
  refetch_and_settle (f, query);
  assert_value_json (quarry_query_get_value (query), "[2]");
  refetch_and_settle (f, query);

  g_assert_cmpstr (request_header (f, 1, "If-None-Match"), ==, "\"v1\"");
  g_assert_cmpstr (request_header (f, 2, "If-None-Match"), ==, "W/\"v2\"");
  assert_value_json (quarry_query_get_value (query), "[2]");
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_finalize_object (query);
}

/* A refetch that changes one item keeps the other items' nodes: the new
 * list is built from the cached one's equal parts, so comparing and freeing
 * cost what changed, and item identity survives. An unchanged refetch keeps
 * the very same root node. */
static void
test_structural_sharing (HttpFixture   *f,
                         gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "[{\"id\": 1, \"t\": \"a\"}, {\"id\": 2, \"t\": \"b\"}, {\"id\": 3, \"t\": \"c\"}]" },
    { .status = 200, .body = "[{\"id\": 1, \"t\": \"a\"}, {\"id\": 2, \"t\": \"B\"}, {\"id\": 3, \"t\": \"c\"}]" },
    { .status = 200, .body = "[{\"id\": 1, \"t\": \"a\"}, {\"id\": 2, \"t\": \"B\"}, {\"id\": 3, \"t\": \"c\"}]" },
  };
  QuarryQuery *query;
  JsonNode *first, *second;
  JsonArray *before, *after;

  SET_REPLIES (f, replies);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  settle (f, query);
  first = json_node_ref (g_value_get_boxed (quarry_query_get_value (query)));

  refetch_and_settle (f, query);
  second = g_value_get_boxed (quarry_query_get_value (query));
  g_assert_true (second != first);
  assert_value_json (quarry_query_get_value (query),
                     "[{\"id\":1,\"t\":\"a\"},{\"id\":2,\"t\":\"B\"},{\"id\":3,\"t\":\"c\"}]");
  before = json_node_get_array (first);
  after = json_node_get_array (second);
  g_assert_true (json_array_get_element (after, 0) == json_array_get_element (before, 0));
  g_assert_true (json_array_get_element (after, 1) != json_array_get_element (before, 1));
  g_assert_true (json_array_get_element (after, 2) == json_array_get_element (before, 2));
  g_assert_true (json_node_is_immutable (second));

  refetch_and_settle (f, query);
  g_assert_true (g_value_get_boxed (quarry_query_get_value (query)) == second);

  json_node_unref (first);
  g_assert_finalize_object (query);
}

/* set_query_data drops the ETag. */
static void
test_etag_dropped_by_set_query_data (HttpFixture   *f,
                                     gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "[1, 2]", .headers = { "ETag", "\"v1\"" } },
    { .status = 200, .body = "[3]" },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  settle (f, query);

  seed_json (f, "[\"todos\"]", "[9]");
  assert_value_json (quarry_query_get_value (query), "[9]");
  refetch_and_settle (f, query);

  g_assert_cmpuint (f->server->requests->len, ==, 2);
  g_assert_null (request_header (f, 1, "If-None-Match"));
  assert_value_json (quarry_query_get_value (query), "[3]");
  g_assert_finalize_object (query);
}

/* use-etags FALSE never sends If-None-Match. */
static void
test_etag_disabled (HttpFixture   *f,
                    gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "[1, 2]", .headers = { "ETag", "\"v1\"" } },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  quarry_http_client_set_use_etags (f->http, FALSE);
  g_assert_false (quarry_http_client_get_use_etags (f->http));
  query = make_http_query (f, "[\"todos\"]", "/todos");
  settle (f, query);
  refetch_and_settle (f, query);
  refetch_and_settle (f, query);

  g_assert_cmpuint (f->server->requests->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_null (request_header (f, i, "If-None-Match"));
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_finalize_object (query);
}

/* 12. Cache-Control: max-age. */

static const Reply max_age_replies[] = {
  { .status = 200, .body = "[1]", .headers = { "Cache-Control", "public, max-age=60" } },
};

static void
test_max_age (HttpFixture   *f,
              gconstpointer  data)
{
  QuarryQuery *query;

  SET_REPLIES (f, max_age_replies);
  g_assert_false (quarry_http_client_get_use_max_age (f->http));
  quarry_http_client_set_use_max_age (f->http, TRUE);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  g_assert_cmpint (quarry_query_get_stale_time (query), ==, 0);
  settle (f, query);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_false (quarry_query_get_is_stale (query));
  /* As for stale-time (test-query.c), the flip comes just after the 60 s. */
  quarry_clock_advance (f->fx.clock, 59999);
  g_assert_false (quarry_query_get_is_stale (query));
  quarry_clock_advance (f->fx.clock, 2);
  g_assert_true (quarry_query_get_is_stale (query));
  g_assert_cmpuint (f->server->requests->len, ==, 1);

  g_assert_finalize_object (query);
}

static void
test_max_age_ignored (HttpFixture   *f,
                      gconstpointer  data)
{
  QuarryQuery *query;

  SET_REPLIES (f, max_age_replies);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  settle (f, query);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_true (quarry_query_get_is_stale (query));
  g_assert_finalize_object (query);
}

/* no-cache makes the data stale at once, whatever the stale-time. */
static void
test_max_age_no_cache (HttpFixture   *f,
                       gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "[1]", .headers = { "Cache-Control", "no-cache" } },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  quarry_http_client_set_use_max_age (f->http, TRUE);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  quarry_query_set_stale_time (query, 60000);
  settle (f, query);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_true (quarry_query_get_is_stale (query));
  g_assert_finalize_object (query);
}

/* max-age does not override a static stale time. */
static void
test_max_age_static (HttpFixture   *f,
                     gconstpointer  data)
{
  QuarryQuery *query;

  SET_REPLIES (f, max_age_replies);
  quarry_http_client_set_use_max_age (f->http, TRUE);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  quarry_query_set_stale_time (query, QUARRY_STALE_TIME_STATIC);
  settle (f, query);

  quarry_clock_advance (f->fx.clock, 120000);
  g_assert_false (quarry_query_get_is_stale (query));
  g_assert_finalize_object (query);
}

/* 13. Retry-After. */

static void
test_retry_after_seconds (HttpFixture   *f,
                          gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 503, .headers = { "Retry-After", "7" } },
  };
  QuarryQuery *query;
  const GError *reason;

  SET_REPLIES (f, replies);
  query = make_counted_query (f, "[\"todos\"]", "/todos");
  quarry_query_set_retry (query, 1);
  quarry_query_set_retry_delay (query, 0);
  quarry_clock_flush (f->fx.clock);
  WAIT_UNTIL (quarry_query_get_failure_count (query) == 1);

  reason = quarry_query_get_failure_reason (query);
  g_assert_error (reason, QUARRY_HTTP_ERROR, QUARRY_HTTP_ERROR_SERVICE_UNAVAILABLE);
  g_assert_cmpint (quarry_http_error_get_retry_after (reason), ==, 7000);
  g_assert_true (quarry_query_get_is_fetching (query));

  quarry_clock_advance (f->fx.clock, 6999);
  g_assert_cmpuint (f->attempts, ==, 1);
  g_assert_cmpuint (f->server->requests->len, ==, 1);
  quarry_clock_advance (f->fx.clock, 1);
  g_assert_cmpuint (f->attempts, ==, 2);
  WAIT_UNTIL (!quarry_query_get_is_fetching (query));

  g_assert_cmpuint (f->server->requests->len, ==, 2);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpint (quarry_http_error_get_retry_after (quarry_query_get_error (query)), ==, 7000);
  g_assert_finalize_object (query);
}

/* The back-off wins when it is longer than Retry-After. */
static void
test_retry_after_shorter_than_backoff (HttpFixture   *f,
                                       gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 429, .headers = { "Retry-After", "1" } },
  };
  QuarryQuery *query;

  SET_REPLIES (f, replies);
  query = make_counted_query (f, "[\"todos\"]", "/todos");
  quarry_query_set_retry (query, 1);
  quarry_query_set_retry_delay (query, 3000);
  quarry_clock_flush (f->fx.clock);
  WAIT_UNTIL (quarry_query_get_failure_count (query) == 1);
  g_assert_cmpint (quarry_http_error_get_retry_after (quarry_query_get_failure_reason (query)), ==, 1000);

  quarry_clock_advance (f->fx.clock, 2999);
  g_assert_cmpuint (f->attempts, ==, 1);
  quarry_clock_advance (f->fx.clock, 1);
  g_assert_cmpuint (f->attempts, ==, 2);
  WAIT_UNTIL (!quarry_query_get_is_fetching (query));
  g_assert_error (quarry_query_get_error (query), QUARRY_HTTP_ERROR, QUARRY_HTTP_ERROR_TOO_MANY_REQUESTS);
  g_assert_finalize_object (query);
}

/* An HTTP date counts from the client clock's wall time. */
static void
test_retry_after_date (HttpFixture   *f,
                       gconstpointer  data)
{
  gint64 wall = quarry_clock_get_wall_time (f->fx.clock);
  g_autoptr(GDateTime) later = g_date_time_new_from_unix_utc (wall / 1000 + 7);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  Reply replies[] = {
    { .status = 429, .body = "{\"message\": \"slow down\"}", .headers = { "Retry-After", date } },
  };
  QuarryQuery *query;
  const GError *error;

  g_assert_cmpint (wall % 1000, ==, 0);
  SET_REPLIES (f, replies);
  query = make_http_query (f, "[\"todos\"]", "/todos");
  quarry_query_set_retry (query, 0);
  settle (f, query);

  error = quarry_query_get_error (query);
  g_assert_error (error, QUARRY_HTTP_ERROR, QUARRY_HTTP_ERROR_TOO_MANY_REQUESTS);
  g_assert_true (quarry_error_is_transient (error));
  g_assert_nonnull (strstr (error->message, "slow down"));
  g_assert_cmpint (quarry_http_error_get_retry_after (error), ==, 7000);
  g_assert_finalize_object (query);
}

/* 14. Dedup: ten queries, one request. */
static void
test_dedup (HttpFixture   *f,
            gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "[{\"id\": 1}]" },
  };
  QuarryQuery *queries[10];

  SET_REPLIES (f, replies);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    queries[i] = make_http_query (f, "[\"todos\"]", "/todos");
  quarry_clock_flush (f->fx.clock);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    WAIT_UNTIL (!quarry_query_get_is_fetching (queries[i]));

  g_assert_cmpuint (test_server_count (f->server, "/todos"), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_assert_cmpint (quarry_query_get_status (queries[i]), ==, QUARRY_STATUS_SUCCESS);
      assert_value_json (quarry_query_get_value (queries[i]), "[{\"id\": 1}]");
    }
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    g_assert_finalize_object (queries[i]);
}

/* 15. The endpoint's object-type. */

static QuarryQuery *
make_todo_query (HttpFixture *f,
                 const char  *key_json)
{
  g_autoptr(QuarryKey) key = key_new (key_json);
  QuarryHttpEndpoint *endpoint = quarry_http_client_endpoint (f->http, "GET", "/todos");
  QuarryQuery *query;

  g_assert_true (quarry_http_endpoint_get_object_type (endpoint) == G_TYPE_NONE);
  quarry_http_endpoint_set_object_type (endpoint, TEST_TYPE_TODO);
  g_assert_true (quarry_http_endpoint_get_object_type (endpoint) == TEST_TYPE_TODO);
  query = quarry_query_new (f->fx.client, key, quarry_http_fetch_func, endpoint, g_object_unref);
  quarry_query_set_retry (query, 0);
  return query;
}

static void
assert_todo (gpointer    object,
             gint        id,
             const char *title)
{
  g_assert_true (TEST_IS_TODO (object));
  g_assert_cmpint (TEST_TODO (object)->id, ==, id);
  g_assert_cmpstr (TEST_TODO (object)->title, ==, title);
}

static void
test_object_type_list (HttpFixture   *f,
                       gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "[{\"id\": 1, \"title\": \"milk\"}, {\"id\": 2, \"title\": \"tea\"}]" },
  };
  QuarryQuery *query;
  const GValue *value;
  GListModel *model;

  SET_REPLIES (f, replies);
  query = make_todo_query (f, "[\"todos\"]");
  settle (f, query);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  value = quarry_query_get_value (query);
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS_OBJECT (value));
  g_assert_true (G_IS_LIST_STORE (g_value_get_object (value)));
  model = g_value_get_object (value);
  g_assert_true (g_list_model_get_item_type (model) == TEST_TYPE_TODO);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      assert_todo (item, i + 1, i == 0 ? "milk" : "tea");
    }
  g_assert_finalize_object (query);
}

static void
test_object_type_object (HttpFixture   *f,
                         gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "{\"id\": 5, \"title\": \"bread\"}" },
  };
  QuarryQuery *query;
  const GValue *value;

  SET_REPLIES (f, replies);
  query = make_todo_query (f, "[\"todo\"]");
  settle (f, query);

  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  value = quarry_query_get_value (query);
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS_OBJECT (value));
  assert_todo (g_value_get_object (value), 5, "bread");
  g_assert_finalize_object (query);
}

static void
test_object_type_scalar (HttpFixture   *f,
                         gconstpointer  data)
{
  static const Reply replies[] = {
    { .status = 200, .body = "42" },
  };
  QuarryQuery *query;
  const GError *error;

  SET_REPLIES (f, replies);
  query = make_todo_query (f, "[\"todo\"]");
  settle (f, query);

  error = quarry_query_get_error (query);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_ERROR);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_JSON);
  g_assert_nonnull (strstr (error->message, "does not map to TestTodo"));
  g_assert_null (quarry_query_get_value (query));
  g_assert_finalize_object (query);
}

/* 16. Infinite queries: {pageParam} in the template. */

static void
next_cursor_func (const GValue        *page,
                  QuarryInfiniteData  *data,
                  const GValue        *page_param,
                  GValue              *param,
                  gpointer             user_data,
                  GError             **error)
{
  JsonObject *object = json_node_get_object (value_node (page));

  if (!json_object_has_member (object, "next"))
    return;
  g_value_init (param, JSON_TYPE_NODE);
  g_value_set_boxed (param, json_object_get_member (object, "next"));
}

static QuarryInfiniteQuery *
make_cursor_query (HttpFixture *f)
{
  g_autoptr(QuarryKey) key = key_new ("[\"todos\", {\"done\": false}]");
  QuarryHttpEndpoint *endpoint = quarry_http_client_endpoint (f->http, "GET", "/todos?cursor={pageParam}");
  QuarryInfiniteQuery *query =
    quarry_infinite_query_new (f->fx.client, key, quarry_http_fetch_func, endpoint, g_object_unref);
  g_autoptr(JsonNode) initial = json_from_string ("0", NULL);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, initial);
  quarry_infinite_query_set_initial_page_param (query, &value);
  quarry_infinite_query_set_next_page_param_func (query, next_cursor_func, NULL, NULL);
  quarry_query_set_retry (QUARRY_QUERY (query), 0);
  return query;
}

#define PAGE_1 { .status = 200, .body = "{\"items\": [1, 2], \"next\": \"b c\"}", .headers = { "ETag", "\"p1\"" } }
#define PAGE_2 { .status = 200, .body = "{\"items\": [3]}", .headers = { "ETag", "\"p2\"" } }

/* Two pages, twice: a load and a refetch. */
static const Reply page_replies[] = { PAGE_1, PAGE_2, PAGE_1, PAGE_2 };

static void
test_infinite_cursor (HttpFixture   *f,
                      gconstpointer  data)
{
  QuarryInfiniteQuery *query;

  SET_REPLIES (f, page_replies);
  query = make_cursor_query (f);
  settle (f, QUARRY_QUERY (query));
  g_assert_cmpint (quarry_query_get_status (QUARRY_QUERY (query)), ==, QUARRY_STATUS_SUCCESS);
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  quarry_infinite_query_fetch_next_page (query);
  settle (f, QUARRY_QUERY (query));
  g_assert_false (quarry_infinite_query_get_has_next_page (query));

  g_assert_cmpuint (f->server->requests->len, ==, 2);
  g_assert_cmpstr (request_at (f, 0)->raw_path, ==, "/todos");
  g_assert_cmpstr (request_at (f, 0)->query, ==, "cursor=0&done=false");
  g_assert_cmpstr (request_at (f, 1)->query, ==, "cursor=b%20c&done=false");
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (quarry_infinite_query_get_data (query)), ==, 2);

  g_assert_finalize_object (query);
}

/* Page fetches never send If-None-Match. */
static void
test_infinite_no_etag (HttpFixture   *f,
                       gconstpointer  data)
{
  QuarryInfiniteQuery *query;

  SET_REPLIES (f, page_replies);
  query = make_cursor_query (f);
  settle (f, QUARRY_QUERY (query));
  quarry_infinite_query_fetch_next_page (query);
  settle (f, QUARRY_QUERY (query));

  /* A refetch of both pages. */
  refetch_and_settle (f, QUARRY_QUERY (query));
  g_assert_cmpuint (f->server->requests->len, ==, 4);
  g_assert_cmpstr (request_at (f, 2)->query, ==, "cursor=0&done=false");
  g_assert_cmpstr (request_at (f, 3)->query, ==, "cursor=b%20c&done=false");
  for (guint i = 0; i < 4; i++)
    g_assert_null (request_header (f, i, "If-None-Match"));
  g_assert_cmpint (quarry_query_get_status (QUARRY_QUERY (query)), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (quarry_infinite_query_get_data (query)), ==, 2);

  g_assert_finalize_object (query);
}

/* 17. prepare-request. */

typedef struct
{
  guint calls;
  char *key;
} Prepared;

static void
prepare_request_cb (QuarryHttpClient   *http,
                    SoupMessage        *message,
                    QuarryFetchContext *context,
                    Prepared           *prepared)
{
  g_assert_true (SOUP_IS_MESSAGE (message));
  g_assert_true (QUARRY_IS_FETCH_CONTEXT (context));
  prepared->calls++;
  g_free (prepared->key);
  prepared->key = g_strdup (quarry_key_to_string (quarry_fetch_context_get_key (context)));
  soup_message_headers_replace (soup_message_get_request_headers (message), "X-Request-Tag", "tagged");
}

static void
test_prepare_request (HttpFixture   *f,
                      gconstpointer  data)
{
  g_autoptr(QuarryKey) key = key_new ("[\"todos\", {\"id\": 3}]");
  Prepared prepared = { 0, };

  g_signal_connect (f->http, "prepare-request", G_CALLBACK (prepare_request_cb), &prepared);
  load_once (f, "[\"todos\", {\"id\": 3}]", "/todos/{id}");

  g_assert_cmpuint (prepared.calls, ==, 1);
  g_assert_cmpstr (prepared.key, ==, quarry_key_to_string (key));
  g_assert_cmpstr (request_header (f, 0, "X-Request-Tag"), ==, "tagged");
  /* The default headers are already there for the handler to change. */
  g_assert_cmpstr (request_header (f, 0, "Accept"), ==, "application/json");

  g_signal_handlers_disconnect_by_data (f->http, &prepared);
  g_free (prepared.key);
}

/* 18. Default headers. */
static void
test_default_headers (HttpFixture   *f,
                      gconstpointer  data)
{
  QuarryQuery *query;

  g_assert_null (quarry_http_client_get_header (f->http, "Authorization"));
  quarry_http_client_set_header (f->http, "Authorization", "Bearer x");
  quarry_http_client_set_header (f->http, "X-Client", "tests");
  g_assert_cmpstr (quarry_http_client_get_header (f->http, "Authorization"), ==, "Bearer x");

  query = make_http_query (f, "[\"todos\"]", "/todos");
  settle (f, query);
  g_assert_cmpstr (request_header (f, 0, "Authorization"), ==, "Bearer x");
  g_assert_cmpstr (request_header (f, 0, "X-Client"), ==, "tests");

  quarry_http_client_set_header (f->http, "Authorization", "Bearer y");
  refetch_and_settle (f, query);
  g_assert_cmpstr (request_header (f, 1, "Authorization"), ==, "Bearer y");

  quarry_http_client_set_header (f->http, "Authorization", NULL);
  g_assert_null (quarry_http_client_get_header (f->http, "Authorization"));
  refetch_and_settle (f, query);
  g_assert_null (request_header (f, 2, "Authorization"));
  g_assert_cmpstr (request_header (f, 2, "X-Client"), ==, "tests");

  g_assert_finalize_object (query);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, HttpFixture, NULL, http_setup, func, http_teardown)
  ADD ("/http-query/success", test_success);
  ADD ("/http-query/user-agent", test_user_agent);
  ADD ("/http-query/empty-body", test_empty_body);
  ADD ("/http-query/path/named", test_path_named);
  ADD ("/http-query/path/positional", test_path_positional);
  ADD ("/http-query/path/merged-objects", test_path_merged_objects);
  ADD ("/http-query/path/percent-encoding", test_path_percent_encoding);
  ADD ("/http-query/path/query-string", test_path_query_string);
  ADD ("/http-query/path/template-query", test_path_template_query);
  ADD ("/http-query/path/base-prefix", test_path_base_prefix);
  ADD ("/http-query/path/absolute", test_path_absolute);
  ADD ("/http-query/path/missing-value", test_path_missing_value);
  ADD ("/http-query/status/404-not-retried", test_status_404_not_retried);
  ADD ("/http-query/status/404-keeps-data", test_status_404_keeps_data);
  ADD ("/http-query/status/server-message", test_status_server_message);
  ADD ("/http-query/status/500-retried", test_status_500_retried);
  ADD ("/http-query/invalid-json", test_invalid_json);
  ADD ("/http-query/body/too-large-content-length", test_body_too_large_content_length);
  ADD ("/http-query/body/too-large-before-body", test_body_too_large_before_body);
  ADD ("/http-query/body/at-limit", test_body_at_limit);
  ADD ("/http-query/body/too-large-chunked", test_body_too_large_chunked);
  ADD ("/http-query/body/too-large-endless", test_body_too_large_endless);
  ADD ("/http-query/cancel/refetch", test_cancel_refetch);
  ADD ("/http-query/cancel/first-load", test_cancel_first_load);
  ADD ("/http-query/closed/mid-body", test_closed_mid_body);
  ADD ("/http-query/closed/before-headers", test_closed_before_headers);
  ADD ("/http-query/connection-refused", test_connection_refused);
  ADD ("/http-query/timeout", test_timeout);
  ADD ("/http-query/timeout/retried", test_timeout_retried);
  ADD ("/http-query/timeout/none", test_timeout_none);
  ADD ("/http-query/etag/not-modified", test_etag_not_modified);
  ADD ("/http-query/etag/changes", test_etag_changes);
  ADD ("/http-query/etag/set-query-data", test_etag_dropped_by_set_query_data);
  ADD ("/http-query/etag/disabled", test_etag_disabled);
  ADD ("/http-query/structural-sharing", test_structural_sharing);
  ADD ("/http-query/max-age", test_max_age);
  ADD ("/http-query/max-age/ignored", test_max_age_ignored);
  ADD ("/http-query/max-age/no-cache", test_max_age_no_cache);
  ADD ("/http-query/max-age/static", test_max_age_static);
  ADD ("/http-query/retry-after/seconds", test_retry_after_seconds);
  ADD ("/http-query/retry-after/backoff-longer", test_retry_after_shorter_than_backoff);
  ADD ("/http-query/retry-after/date", test_retry_after_date);
  ADD ("/http-query/dedup", test_dedup);
  ADD ("/http-query/object-type/list", test_object_type_list);
  ADD ("/http-query/object-type/object", test_object_type_object);
  ADD ("/http-query/object-type/scalar", test_object_type_scalar);
  ADD ("/http-query/infinite/cursor", test_infinite_cursor);
  ADD ("/http-query/infinite/no-etag", test_infinite_no_etag);
  ADD ("/http-query/prepare-request", test_prepare_request);
  ADD ("/http-query/default-headers", test_default_headers);
#undef ADD

  return g_test_run ();
}
