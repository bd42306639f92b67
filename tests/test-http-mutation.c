/* test-http-mutation.c: mutations through the HTTP layer, against a real
 * SoupServer on 127.0.0.1: request methods, paths and bodies, idempotency
 * keys, errors, Retry-After, optimistic rollback, GObject variables and
 * cancellation (the mutation side of /tmp/q/http-spec.md).
 *
 * Time (retry delays, the request timeout) follows the fixture's manual
 * clock; real I/O is waited for with test_wait_for (), never with a sleep.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-server.h"
#include "quarry-test-util.h"

/* The fixture: the core fixture (a client on a manual clock), a server that
 * answers with scripted replies, and an HTTP client for it. */

typedef struct
{
  guint status;
  char *content_type;     /* of the body; NULL for none */
  char *body;             /* NULL for an empty body */
  char *retry_after;      /* the Retry-After header, or NULL */
  gboolean hold;          /* pause the request and never answer it */
} Reply;

typedef struct _HttpFixture HttpFixture;
typedef void (*RequestHook) (HttpFixture *hf, TestRequest *request);

struct _HttpFixture
{
  Fixture f;
  TestServer *server;
  QuarryHttpClient *http;
  GQueue replies;         /* Reply, used in order */
  guint prepared;         /* emissions of QuarryHttpClient::prepare-request */
  gboolean requested;     /* the server got a request since the flag was cleared */
  gboolean closed;        /* a held request's connection closed */
  RequestHook on_request; /* called as the server handles each request */
  char *snapshot;         /* what on_request saw, for the test to check */
};

/* The JSON text of this file is written with single quotes, which j ()
 * turns into double quotes. No text here has an apostrophe of its own. */
static char *
j (const char *text)
{
  char *json = g_strdup (text);

  for (char *p = json; *p != '\0'; p++)
    if (*p == '\'')
      *p = '"';
  return json;
}

static JsonNode *
json_new (const char *text)
{
  g_autofree char *json = j (text);
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
reply_free (gpointer data)
{
  Reply *reply = data;

  g_free (reply->content_type);
  g_free (reply->body);
  g_free (reply->retry_after);
  g_free (reply);
}

/* Queues the answer to the next request that has none yet. */
static Reply *
reply_raw (HttpFixture *hf,
           guint        status,
           const char  *content_type,
           const char  *body)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->body = g_strdup (body);
  g_queue_push_tail (&hf->replies, reply);
  return reply;
}

static Reply *
reply_json (HttpFixture *hf,
            guint        status,
            const char  *text)
{
  g_autofree char *json = j (text);

  return reply_raw (hf, status, "application/json", json);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  HttpFixture *hf = user_data;
  TestRequest *request = test_server_record (hf->server, msg);
  Reply *reply = g_queue_pop_head (&hf->replies);

  hf->requested = TRUE;
  if (hf->on_request != NULL)
    hf->on_request (hf, request);

  if (reply == NULL)
    {
      test_server_respond_json (msg, SOUP_STATUS_NOT_IMPLEMENTED, "{\"error\":\"no reply scripted\"}");
      return;
    }

  if (reply->hold)
    test_server_hold (msg, &hf->closed);
  else
    {
      soup_server_message_set_status (msg, reply->status, NULL);
      if (reply->retry_after != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", reply->retry_after);
      if (reply->body != NULL)
        soup_server_message_set_response (msg, reply->content_type, SOUP_MEMORY_COPY,
                                          reply->body, strlen (reply->body));
    }

  reply_free (reply);
}

static void
prepare_request_cb (QuarryHttpClient   *http,
                    SoupMessage        *message,
                    QuarryFetchContext *context,
                    gpointer            user_data)
{
  HttpFixture *hf = user_data;

  g_assert_true (SOUP_IS_MESSAGE (message));
  g_assert_true (QUARRY_IS_FETCH_CONTEXT (context));
  hf->prepared++;
}

static void
http_setup (HttpFixture   *hf,
            gconstpointer  data)
{
  fixture_setup (&hf->f, data);
  g_queue_init (&hf->replies);

  hf->server = test_server_new ();
  soup_server_add_handler (hf->server->server, NULL, server_cb, hf, NULL);

  hf->http = quarry_http_client_new (hf->server->base_uri);
  g_signal_connect (hf->http, "prepare-request", G_CALLBACK (prepare_request_cb), hf);
}

static void
http_teardown (HttpFixture   *hf,
               gconstpointer  data)
{
  /* The client's mutation cache keeps the runs, and their endpoints, until
   * it is cleared. */
  quarry_query_client_clear (hf->f.client);
  quarry_clock_flush (hf->f.clock);

  g_assert_finalize_object (hf->http);
  test_server_free (hf->server);
  g_queue_clear_full (&hf->replies, reply_free);
  g_free (hf->snapshot);

  /* Let the closed connections go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  fixture_teardown (&hf->f, data);
}

/* Helpers. */

/* A mutation of the fixture's client sending @method requests to @path. */
static QuarryMutation *
http_mutation_new (HttpFixture *hf,
                   const char  *method,
                   const char  *path)
{
  QuarryHttpEndpoint *endpoint = quarry_http_client_endpoint (hf->http, method, path);

  return quarry_mutation_new (hf->f.client, NULL, quarry_http_mutation_func, endpoint, g_object_unref);
}

/* Retries @retry times, without delay unless the server asks for one. */
static void
set_retry (QuarryMutation *mutation,
           gint            retry)
{
  g_object_set (quarry_mutation_get_options (mutation),
                "retry", retry, "retry-delay", (gint64) 0, NULL);
}

static void
settled_cb (QuarryMutation *mutation,
            const GValue   *data,
            const GError   *error,
            const GValue   *variables,
            const GValue   *context,
            gpointer        user_data)
{
  gboolean *settled = user_data;

  *settled = TRUE;
}

static void
notify_flag_cb (GObject    *object,
                GParamSpec *pspec,
                gpointer    user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
}

/* Starts a run with the JSON variables @text; *settled becomes TRUE when it
 * settles. */
static void
mutate_json (QuarryMutation *mutation,
             const char     *text,
             gboolean       *settled)
{
  g_auto(GValue) variables = G_VALUE_INIT;

  g_value_init (&variables, JSON_TYPE_NODE);
  g_value_take_boxed (&variables, json_new (text));
  quarry_mutation_mutate (mutation, &variables, settled_cb, settled, NULL);
}

/* Runs the mutation with the JSON variables @text until it settles. */
static void
mutate_and_wait (QuarryMutation *mutation,
                 const char     *text)
{
  gboolean settled = FALSE;

  mutate_json (mutation, text, &settled);
  test_wait_for (&settled);
}

static TestRequest *
request_at (HttpFixture *hf,
            guint        index)
{
  g_assert_cmpuint (index, <, hf->server->requests->len);
  return g_ptr_array_index (hf->server->requests, index);
}

static const char *
header (TestRequest *request,
        const char  *name)
{
  return soup_message_headers_get_one (request->headers, name);
}

static const char *
idempotency_key (HttpFixture *hf,
                 guint        index)
{
  return header (request_at (hf, index), "Idempotency-Key");
}

/* The request's body parsed as JSON. */
static JsonNode *
body_node (TestRequest *request)
{
  gsize size;
  const char *data = g_bytes_get_data (request->body, &size);
  g_autofree char *text = g_strndup (data, size);
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
body_json (TestRequest *request)
{
  g_autoptr(JsonNode) node = body_node (request);

  return json_to_string (node, FALSE);
}

#define assert_body(request, expected)                                  \
  G_STMT_START {                                                        \
    g_autofree char *assert_actual = body_json (request);               \
    g_autofree char *assert_expected = j (expected);                    \
    g_assert_cmpstr (assert_actual, ==, assert_expected);               \
  } G_STMT_END

/* The JSON text of the mutation's data. */
static char *
data_json (QuarryMutation *mutation)
{
  const GValue *value = quarry_mutation_get_value (mutation);

  g_assert_nonnull (value);
  return value_to_json (value);
}

#define assert_data(mutation, expected)                                 \
  G_STMT_START {                                                        \
    g_autofree char *assert_actual = data_json (mutation);              \
    g_autofree char *assert_expected = j (expected);                    \
    g_assert_cmpstr (assert_actual, ==, assert_expected);               \
  } G_STMT_END

/* The JSON text of the data cached under @key_text, or NULL. */
static char *
cached_json (HttpFixture *hf,
             const char  *key_text)
{
  g_autofree char *json = j (key_text);
  g_autoptr(QuarryKey) key = key_new (json);
  const GValue *value = quarry_query_client_get_query_data (hf->f.client, key);

  return value != NULL ? value_to_json (value) : NULL;
}

static void
set_cached_json (HttpFixture *hf,
                 const char  *key_text,
                 const char  *text)
{
  g_autofree char *json = j (key_text);
  g_autoptr(QuarryKey) key = key_new (json);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_take_boxed (&value, json_new (text));
  g_assert_true (quarry_query_client_set_query_data (hf->f.client, key, &value, NULL));
}

/* 1. POST: a JSON body, the server's answer as data. */

static void
test_post_body_and_data (HttpFixture   *hf,
                         gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "POST", "/todos");
  TestRequest *request;

  reply_json (hf, SOUP_STATUS_CREATED, "{'id':1,'title':'x'}");
  mutate_and_wait (mutation, "{'title':'x'}");

  g_assert_cmpuint (hf->server->requests->len, ==, 1);
  request = request_at (hf, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/todos");
  g_assert_null (request->query);
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==, "application/json");
  g_assert_cmpstr (header (request, "Accept"), ==, "application/json");
  assert_body (request, "{'title':'x'}");

  g_assert_true (quarry_mutation_get_is_success (mutation));
  g_assert_null (quarry_mutation_get_error (mutation));
  assert_data (mutation, "{'id':1,'title':'x'}");

  g_assert_finalize_object (mutation);
}

/* 2. The path takes its members from the variables; PATCH and PUT send the
 * rest as the body, DELETE as the query string. */

static void
test_patch_path_member_removed (HttpFixture   *hf,
                                gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "PATCH", "/todos/{id}");
  TestRequest *request;

  reply_json (hf, SOUP_STATUS_OK, "{'id':5,'title':'a','done':true}");
  mutate_and_wait (mutation, "{'id':5,'done':true}");

  g_assert_cmpuint (hf->server->requests->len, ==, 1);
  request = request_at (hf, 0);
  g_assert_cmpstr (request->method, ==, "PATCH");
  g_assert_cmpstr (request->path, ==, "/todos/5");
  g_assert_null (request->query);
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==, "application/json");
  assert_body (request, "{'done':true}");
  assert_data (mutation, "{'id':5,'title':'a','done':true}");

  g_assert_finalize_object (mutation);
}

static void
test_put_path_member_removed (HttpFixture   *hf,
                              gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "PUT", "/todos/{id}");
  TestRequest *request;

  reply_json (hf, SOUP_STATUS_OK, "{'id':5,'title':'b'}");
  mutate_and_wait (mutation, "{'id':5,'title':'b'}");

  g_assert_cmpuint (hf->server->requests->len, ==, 1);
  request = request_at (hf, 0);
  g_assert_cmpstr (request->method, ==, "PUT");
  g_assert_cmpstr (request->path, ==, "/todos/5");
  assert_body (request, "{'title':'b'}");
  assert_data (mutation, "{'id':5,'title':'b'}");

  g_assert_finalize_object (mutation);
}

static void
test_delete_query_string_and_no_content (HttpFixture   *hf,
                                         gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "DELETE", "/todos/{id}");
  TestRequest *request;
  const GValue *value;

  reply_raw (hf, SOUP_STATUS_NO_CONTENT, NULL, NULL);
  mutate_and_wait (mutation, "{'id':5,'hard':true}");

  g_assert_cmpuint (hf->server->requests->len, ==, 1);
  request = request_at (hf, 0);
  g_assert_cmpstr (request->method, ==, "DELETE");
  g_assert_cmpstr (request->path, ==, "/todos/5");
  g_assert_cmpstr (request->query, ==, "hard=true");
  g_assert_cmpuint (g_bytes_get_size (request->body), ==, 0);
  g_assert_null (header (request, "Content-Type"));

  g_assert_true (quarry_mutation_get_is_success (mutation));
  value = quarry_mutation_get_value (mutation);
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS (value, JSON_TYPE_NODE));
  g_assert_nonnull (g_value_get_boxed (value));
  g_assert_true (JSON_NODE_HOLDS_NULL ((JsonNode *) g_value_get_boxed (value)));

  g_assert_finalize_object (mutation);
}

/* 3. Idempotency keys. */

/* Every attempt of one run carries the same key. */
static void
test_idempotency_key_kept_across_retries (HttpFixture   *hf,
                                          gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "POST", "/todos");
  const char *key;

  set_retry (mutation, 2);
  reply_json (hf, SOUP_STATUS_SERVICE_UNAVAILABLE, "{'error':'busy'}");
  reply_json (hf, SOUP_STATUS_SERVICE_UNAVAILABLE, "{'error':'busy'}");
  reply_json (hf, SOUP_STATUS_CREATED, "{'id':1,'title':'x'}");
  mutate_and_wait (mutation, "{'title':'x'}");

  g_assert_cmpuint (hf->server->requests->len, ==, 3);
  g_assert_true (quarry_mutation_get_is_success (mutation));
  assert_data (mutation, "{'id':1,'title':'x'}");

  key = idempotency_key (hf, 0);
  g_assert_nonnull (key);
  g_assert_true (g_uuid_string_is_valid (key));
  g_assert_cmpstr (idempotency_key (hf, 1), ==, key);
  g_assert_cmpstr (idempotency_key (hf, 2), ==, key);

  g_assert_finalize_object (mutation);
}

/* Another mutate () call is another operation: another key. */
static void
test_idempotency_key_per_call (HttpFixture   *hf,
                               gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "POST", "/todos");

  reply_json (hf, SOUP_STATUS_CREATED, "{'id':1,'title':'x'}");
  reply_json (hf, SOUP_STATUS_CREATED, "{'id':2,'title':'x'}");
  mutate_and_wait (mutation, "{'title':'x'}");
  mutate_and_wait (mutation, "{'title':'x'}");

  g_assert_cmpuint (hf->server->requests->len, ==, 2);
  g_assert_true (g_uuid_string_is_valid (idempotency_key (hf, 0)));
  g_assert_true (g_uuid_string_is_valid (idempotency_key (hf, 1)));
  g_assert_cmpstr (idempotency_key (hf, 0), !=, idempotency_key (hf, 1));

  g_assert_finalize_object (mutation);
}

static void
test_idempotency_key_patch (HttpFixture   *hf,
                            gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "PATCH", "/todos/{id}");

  reply_json (hf, SOUP_STATUS_OK, "{'id':5,'done':true}");
  mutate_and_wait (mutation, "{'id':5,'done':true}");

  g_assert_cmpuint (hf->server->requests->len, ==, 1);
  g_assert_nonnull (idempotency_key (hf, 0));
  g_assert_true (g_uuid_string_is_valid (idempotency_key (hf, 0)));

  g_assert_finalize_object (mutation);
}

/* PUT and DELETE are idempotent already, GET is no change at all. */
static void
test_idempotency_key_none_for_idempotent_methods (HttpFixture   *hf,
                                                  gconstpointer  data)
{
  static const char * const methods[] = { "PUT", "DELETE", "GET" };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      QuarryMutation *mutation = http_mutation_new (hf, methods[i], "/todos/{id}");
      TestRequest *request;

      reply_json (hf, SOUP_STATUS_OK, "{'id':5}");
      mutate_and_wait (mutation, "{'id':5,'done':true}");

      g_assert_cmpuint (hf->server->requests->len, ==, i + 1);
      request = request_at (hf, i);
      g_assert_cmpstr (request->method, ==, methods[i]);
      g_assert_true (quarry_mutation_get_is_success (mutation));
      g_assert_null (header (request, "Idempotency-Key"));

      g_assert_finalize_object (mutation);
    }
}

/* A query's GET fetch never carries a key either. */
static void
test_idempotency_key_none_for_fetches (HttpFixture   *hf,
                                       gconstpointer  data)
{
  QuarryHttpEndpoint *endpoint = quarry_http_client_endpoint (hf->http, "GET", "/todos");
  g_autoptr(QuarryKey) key = key_new ("[\"todos\"]");
  QuarryQuery *query;
  gboolean status_changed = FALSE;

  reply_json (hf, SOUP_STATUS_OK, "[{'id':1}]");
  query = quarry_query_new (hf->f.client, key, quarry_http_fetch_func, endpoint, g_object_unref);
  g_signal_connect (query, "notify::status", G_CALLBACK (notify_flag_cb), &status_changed);
  test_wait_for (&status_changed);

  g_assert_cmpuint (hf->server->requests->len, ==, 1);
  g_assert_cmpstr (request_at (hf, 0)->method, ==, "GET");
  g_assert_null (idempotency_key (hf, 0));
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);

  g_assert_finalize_object (query);
}

static void
test_idempotency_keys_disabled (HttpFixture   *hf,
                                gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "POST", "/todos");

  g_assert_true (quarry_http_client_get_use_idempotency_keys (hf->http));
  quarry_http_client_set_use_idempotency_keys (hf->http, FALSE);
  g_assert_false (quarry_http_client_get_use_idempotency_keys (hf->http));

  reply_json (hf, SOUP_STATUS_CREATED, "{'id':1}");
  mutate_and_wait (mutation, "{'title':'x'}");

  g_assert_cmpuint (hf->server->requests->len, ==, 1);
  g_assert_true (quarry_mutation_get_is_success (mutation));
  g_assert_null (idempotency_key (hf, 0));

  g_assert_finalize_object (mutation);
}

/* 4. Errors. */

/* A 4xx is the client's fault: retrying cannot help. */
static void
test_error_client_not_retried (HttpFixture   *hf,
                               gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "POST", "/todos");
  const GError *error;

  set_retry (mutation, 3);
  reply_json (hf, SOUP_STATUS_BAD_REQUEST, "{'error':{'message':'title is empty'}}");
  /* Answers for retries that must not come. */
  reply_json (hf, SOUP_STATUS_CREATED, "{'id':1}");
  reply_json (hf, SOUP_STATUS_CREATED, "{'id':1}");
  reply_json (hf, SOUP_STATUS_CREATED, "{'id':1}");
  mutate_and_wait (mutation, "{'title':''}");

  g_assert_true (quarry_mutation_get_is_error (mutation));
  error = quarry_mutation_get_error (mutation);
  g_assert_error (error, QUARRY_HTTP_ERROR, 400);
  g_assert_cmpstr (error->message, ==, "The server answered 400 Bad Request: title is empty");
  g_assert_cmpint (quarry_http_error_get_retry_after (error), ==, -1);
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 1);
  g_assert_cmpuint (hf->server->requests->len, ==, 1);
  g_assert_cmpuint (hf->prepared, ==, 1);

  g_assert_finalize_object (mutation);
}

static void
test_error_text_body (HttpFixture   *hf,
                      gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "POST", "/todos");
  const GError *error;

  reply_raw (hf, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain", "boom");
  mutate_and_wait (mutation, "{'title':'x'}");

  g_assert_true (quarry_mutation_get_is_error (mutation));
  error = quarry_mutation_get_error (mutation);
  g_assert_error (error, QUARRY_HTTP_ERROR, 500);
  g_assert_nonnull (strstr (error->message, "boom"));
  g_assert_cmpstr (error->message, ==, "The server answered 500 Internal Server Error: boom");
  /* Mutations do not retry by default, even what is transient. */
  g_assert_true (quarry_error_is_transient (error));
  g_assert_cmpuint (hf->server->requests->len, ==, 1);

  g_assert_finalize_object (mutation);
}

static void
test_error_malformed_json (HttpFixture   *hf,
                           gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "POST", "/todos");
  const GError *error;

  set_retry (mutation, 3);
  reply_raw (hf, SOUP_STATUS_CREATED, "application/json", "{\"id\": 1,");
  reply_json (hf, SOUP_STATUS_CREATED, "{'id':1}");
  mutate_and_wait (mutation, "{'title':'x'}");

  g_assert_true (quarry_mutation_get_is_error (mutation));
  error = quarry_mutation_get_error (mutation);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_JSON);
  g_assert_true (g_str_has_prefix (error->message, "The server sent malformed JSON at line 1, column "));
  g_assert_null (quarry_mutation_get_value (mutation));
  g_assert_cmpuint (hf->server->requests->len, ==, 1);

  g_assert_finalize_object (mutation);
}

static void
test_error_missing_template_variable (HttpFixture   *hf,
                                      gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "PATCH", "/todos/{id}");
  const GError *error;

  set_retry (mutation, 3);
  reply_json (hf, SOUP_STATUS_OK, "{'id':5}");
  mutate_and_wait (mutation, "{'done':true}");

  g_assert_true (quarry_mutation_get_is_error (mutation));
  error = quarry_mutation_get_error (mutation);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 1);
  g_assert_cmpuint (hf->prepared, ==, 0);
  g_assert_cmpuint (hf->server->requests->len, ==, 0);

  g_assert_finalize_object (mutation);
}

/* 5. Retry-After. */

static void
failed_cb (QuarryMutation       *mutation,
           QuarryMutationAction  action,
           gpointer              user_data)
{
  gboolean *failed = user_data;

  if (action == QUARRY_MUTATION_ACTION_FAILED)
    *failed = TRUE;
}

/* The server's Retry-After is the least a retry waits, on the client's
 * clock, even with a retry delay of 0. */
static void
test_retry_after (HttpFixture   *hf,
                  gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "POST", "/todos");
  gboolean failed = FALSE, settled = FALSE;
  Reply *busy;

  set_retry (mutation, 1);
  busy = reply_json (hf, 429, "{'error':'slow down'}");
  busy->retry_after = g_strdup ("3");
  reply_json (hf, SOUP_STATUS_CREATED, "{'id':1}");

  g_signal_connect (mutation, "state-changed", G_CALLBACK (failed_cb), &failed);
  mutate_json (mutation, "{'title':'x'}", &settled);
  test_wait_for (&failed);

  g_assert_true (quarry_mutation_get_is_pending (mutation));
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 1);
  g_assert_error (quarry_mutation_get_failure_reason (mutation), QUARRY_HTTP_ERROR, 429);
  g_assert_cmpint (quarry_http_error_get_retry_after (quarry_mutation_get_failure_reason (mutation)), ==, 3000);
  g_assert_cmpuint (hf->prepared, ==, 1);

  quarry_clock_advance (hf->f.clock, 2999);
  g_assert_cmpuint (hf->prepared, ==, 1);
  g_assert_cmpuint (hf->server->requests->len, ==, 1);
  g_assert_false (settled);

  hf->requested = FALSE;
  quarry_clock_advance (hf->f.clock, 1);
  test_wait_for (&hf->requested);
  g_assert_cmpuint (hf->prepared, ==, 2);
  test_wait_for (&settled);
  g_assert_cmpuint (hf->server->requests->len, ==, 2);
  g_assert_true (quarry_mutation_get_is_success (mutation));
  g_assert_cmpstr (idempotency_key (hf, 1), ==, idempotency_key (hf, 0));

  g_assert_finalize_object (mutation);
}

/* 6. An optimistic update rolled back when the server refuses. */

#define TODOS "[{'id':5,'title':'a','done':false},{'id':6,'title':'b','done':false}]"

static void
snapshot_list (HttpFixture *hf,
               TestRequest *request)
{
  g_free (hf->snapshot);
  hf->snapshot = cached_json (hf, "['todos']");
}

static void
test_optimistic_rollback (HttpFixture   *hf,
                          gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "PATCH", "/todos/{id}");
  g_autoptr(QuarryKey) todos = key_new ("[\"todos\"]");
  g_autoptr(QuarryOptimisticUpdate) update = quarry_optimistic_update_new (QUARRY_OPTIMISTIC_UPSERT, todos);
  g_autofree char *original = j (TODOS);
  g_autofree char *after = NULL;

  quarry_optimistic_update_set_updating_member (update, "isUpdating");
  quarry_mutation_options_add_optimistic_update (quarry_mutation_get_options (mutation), update);
  set_cached_json (hf, "['todos']", TODOS);

  hf->on_request = snapshot_list;
  reply_raw (hf, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain", "database down");
  mutate_and_wait (mutation, "{'id':5,'done':true}");

  /* The server saw the optimistic version in the cache... */
  g_assert_cmpuint (hf->server->requests->len, ==, 1);
  assert_body (request_at (hf, 0), "{'done':true}");
  g_assert_nonnull (hf->snapshot);
  g_assert_cmpstr (hf->snapshot, !=, original);
  g_assert_nonnull (strstr (hf->snapshot, "\"isUpdating\":true"));

  /* ...which the failure rolled back. */
  g_assert_true (quarry_mutation_get_is_error (mutation));
  g_assert_error (quarry_mutation_get_error (mutation), QUARRY_HTTP_ERROR, 500);
  after = cached_json (hf, "['todos']");
  g_assert_cmpstr (after, ==, original);

  g_assert_finalize_object (mutation);
}

/* 7. GObject variables, serialized with json_gobject_serialize (). The
 * todo's "id" keeps its default (0), and json_gobject_serialize () leaves
 * out properties that hold their default, so the body has exactly the
 * three members that were set. */

static void
test_gobject_variables (HttpFixture   *hf,
                        gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "POST", "/todos");
  g_autoptr(TestTodo) todo = g_object_new (TEST_TYPE_TODO, "title", "x", "done", TRUE, "priority", 2, NULL);
  g_autoptr(JsonNode) expected = json_gobject_serialize (G_OBJECT (todo));
  g_autoptr(JsonNode) literal = json_new ("{'title':'x','done':true,'priority':2}");
  g_autoptr(JsonNode) body = NULL;
  g_auto(GValue) variables = G_VALUE_INIT;
  gboolean settled = FALSE;

  reply_json (hf, SOUP_STATUS_CREATED, "{'id':1,'title':'x','done':true,'priority':2}");
  g_value_init (&variables, TEST_TYPE_TODO);
  g_value_set_object (&variables, todo);
  quarry_mutation_mutate (mutation, &variables, settled_cb, &settled, NULL);
  test_wait_for (&settled);

  g_assert_cmpuint (hf->server->requests->len, ==, 1);
  g_assert_cmpstr (soup_message_headers_get_content_type (request_at (hf, 0)->headers, NULL), ==,
                   "application/json");
  body = body_node (request_at (hf, 0));
  g_assert_true (json_node_equal (expected, literal));
  g_assert_true (json_node_equal (body, expected));
  g_assert_true (quarry_mutation_get_is_success (mutation));
  assert_data (mutation, "{'id':1,'title':'x','done':true,'priority':2}");

  g_assert_finalize_object (mutation);
}

/* 8. Cancelling a run aborts its request. */

static void
test_cancel_aborts_request (HttpFixture   *hf,
                            gconstpointer  data)
{
  QuarryMutation *mutation = http_mutation_new (hf, "POST", "/todos");
  gboolean settled = FALSE;

  reply_raw (hf, 0, NULL, NULL)->hold = TRUE;
  mutate_json (mutation, "{'title':'x'}", &settled);
  test_wait_for (&hf->requested);
  g_assert_false (hf->closed);
  g_assert_true (quarry_mutation_get_is_pending (mutation));

  quarry_mutation_cancel (mutation);
  test_wait_for (&hf->closed);
  test_wait_for (&settled);

  g_assert_true (quarry_mutation_get_is_error (mutation));
  g_assert_error (quarry_mutation_get_error (mutation), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (hf->server->requests->len, ==, 1);

  g_assert_finalize_object (mutation);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/http-mutation/" path, HttpFixture, NULL, http_setup, func, http_teardown)

  ADD ("post/body-and-data", test_post_body_and_data);
  ADD ("patch/path-member-removed", test_patch_path_member_removed);
  ADD ("put/path-member-removed", test_put_path_member_removed);
  ADD ("delete/query-string-and-no-content", test_delete_query_string_and_no_content);
  ADD ("idempotency/kept-across-retries", test_idempotency_key_kept_across_retries);
  ADD ("idempotency/per-call", test_idempotency_key_per_call);
  ADD ("idempotency/patch", test_idempotency_key_patch);
  ADD ("idempotency/none-for-idempotent-methods", test_idempotency_key_none_for_idempotent_methods);
  ADD ("idempotency/none-for-fetches", test_idempotency_key_none_for_fetches);
  ADD ("idempotency/disabled", test_idempotency_keys_disabled);
  ADD ("error/client-not-retried", test_error_client_not_retried);
  ADD ("error/text-body", test_error_text_body);
  ADD ("error/malformed-json", test_error_malformed_json);
  ADD ("error/missing-template-variable", test_error_missing_template_variable);
  ADD ("retry-after", test_retry_after);
  ADD ("optimistic/rollback", test_optimistic_rollback);
  ADD ("gobject-variables", test_gobject_variables);
  ADD ("cancel/aborts-request", test_cancel_aborts_request);

#undef ADD

  return g_test_run ();
}
