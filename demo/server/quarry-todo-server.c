/* quarry-todo-server.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "quarry-todo-api.h"
#include "quarry-todo-api-error.h"
#include "quarry-todo-idempotency.h"
#include "quarry-todo-server-private.h"
#include "quarry-todo-settings.h"
#include "quarry-todo-store.h"

/**
 * QuarryTodoServer:
 *
 * The todo demo's REST server: the `/todos` resources over a
 * QuarryTodoStore, and `/settings`, which simulates a slow or flaky
 * server. It depends on GIO, json-glib and libsoup only, not on Quarry, so
 * that it is an independent witness of what Quarry sends.
 *
 * Around the resources it adds:
 *
 * - latency: with #QuarryTodoServer:latency-ms above 0, each `/todos`
 *   request is paused on arrival and handled when the delay is over (a
 *   timeout on the server's main context). libsoup does not read from a
 *   paused message's connection, so the server watches it: when the
 *   client closes it meanwhile (end of file), the request is dropped,
 *   never carried out (a POST creates nothing), and the connection is
 *   closed with a bare 499, as nginx logs it. A client that has sent more
 *   on the connection (a pipelined request) cannot be watched that way,
 *   and its request is carried out when the delay is over;
 * - injected failures: #QuarryTodoServer:fail-rate of the `/todos`
 *   requests, drawn from a PRNG seeded with
 *   #QuarryTodoServer:random-seed, answer `503 injected_failure`
 *   without touching the store;
 * - idempotency: a write with an `Idempotency-Key` that was seen with the
 *   same method and path gets the first response again, marked
 *   `Idempotent-Replayed: true`, and changes nothing. Only successful
 *   responses are remembered: an error (bad input, an unknown id, a
 *   storage failure, an injected failure) changed nothing, so a retry with
 *   the same key is handled afresh and can succeed.
 *
 * The body of a request is limited to 1 MiB: one announced larger by its
 * Content-Length is answered `413 too_large` at once, and its body read
 * and dropped, never held; a chunked one is held up to the limit, then
 * dropped, and answered 413 when it ends.
 *
 * Paths are decoded by the server, not by libsoup (SoupServer:raw-paths),
 * so that every path gets an answer of the API, a JSON 404 for one that
 * does not decode. A request whose URI libsoup cannot parse at all
 * (`?q=%ZZ`) it answers itself, with a 400; that answer still carries the
 * API's JSON error, `invalid_parameter`, which every message is given
 * before libsoup reads it.
 *
 * The server answers on the thread-default main context of the thread that
 * calls quarry_todo_server_listen(), and must be used from that thread.
 */

struct _QuarryTodoServer
{
  GObject parent_instance;

  QuarryTodoStore *store;
  SoupServer *soup;
  GMainContext *context;
  char *uri;
  QuarryTodoIdempotency *idempotency;
  GHashTable *delayed;          /* SoupServerMessage → Delayed */
  GRand *rand;
  QuarryTodoResponse *fallback; /* what libsoup sends when it answers */

  /* For tests: the most body bytes held for one request, and how many
   * delayed requests were dropped because their client left. */
  goffset max_request_body;
  guint n_dropped;

  guint latency_ms;
  double fail_rate;
  guint64 random_seed;
};

G_DEFINE_FINAL_TYPE (QuarryTodoServer, quarry_todo_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  PROP_LATENCY_MS,
  PROP_FAIL_RATE,
  PROP_RANDOM_SEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A paused message waiting for its latency to pass. */
typedef struct
{
  QuarryTodoServer *server;
  SoupServerMessage *msg;
  QuarryTodoRequest *request;
  GSource *timeout;
  GSource *watch;               /* the client's connection, or NULL */
  gulong finished_id;
  gulong disconnected_id;
} Delayed;

static void
delayed_stop_watching (Delayed *delayed)
{
  if (delayed->watch == NULL)
    return;

  g_source_destroy (delayed->watch);
  g_clear_pointer (&delayed->watch, g_source_unref);
}

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_signal_handler_disconnect (delayed->msg, delayed->finished_id);
  g_signal_handler_disconnect (delayed->msg, delayed->disconnected_id);
  g_source_destroy (delayed->timeout);
  g_source_unref (delayed->timeout);
  delayed_stop_watching (delayed);
  quarry_todo_request_free (delayed->request);
  g_object_unref (delayed->msg);
  g_free (delayed);
}

static void
quarry_todo_server_dispose (GObject *object)
{
  QuarryTodoServer *self = QUARRY_TODO_SERVER (object);

  /* Drop the delays first: their messages go with the connections. */
  if (self->delayed != NULL)
    g_hash_table_remove_all (self->delayed);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (quarry_todo_server_parent_class)->dispose (object);
}

static void
quarry_todo_server_finalize (GObject *object)
{
  QuarryTodoServer *self = QUARRY_TODO_SERVER (object);

  g_clear_pointer (&self->delayed, g_hash_table_unref);
  g_clear_pointer (&self->idempotency, quarry_todo_idempotency_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->fallback, quarry_todo_response_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->uri, g_free);

  G_OBJECT_CLASS (quarry_todo_server_parent_class)->finalize (object);
}

static void
quarry_todo_server_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  QuarryTodoServer *self = QUARRY_TODO_SERVER (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, quarry_todo_server_get_uri (self));
      break;
    case PROP_LATENCY_MS:
      g_value_set_uint (value, quarry_todo_server_get_latency_ms (self));
      break;
    case PROP_FAIL_RATE:
      g_value_set_double (value, quarry_todo_server_get_fail_rate (self));
      break;
    case PROP_RANDOM_SEED:
      g_value_set_uint64 (value, quarry_todo_server_get_random_seed (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_server_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  QuarryTodoServer *self = QUARRY_TODO_SERVER (object);

  switch (prop_id)
    {
    case PROP_LATENCY_MS:
      quarry_todo_server_set_latency_ms (self, g_value_get_uint (value));
      break;
    case PROP_FAIL_RATE:
      quarry_todo_server_set_fail_rate (self, g_value_get_double (value));
      break;
    case PROP_RANDOM_SEED:
      quarry_todo_server_set_random_seed (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_server_class_init (QuarryTodoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = quarry_todo_server_dispose;
  object_class->finalize = quarry_todo_server_finalize;
  object_class->get_property = quarry_todo_server_get_property;
  object_class->set_property = quarry_todo_server_set_property;

  /**
   * QuarryTodoServer:uri:
   *
   * Where the server listens, "http://127.0.0.1:PORT/", once it does.
   */
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * QuarryTodoServer:latency-ms:
   *
   * How long every `/todos` request waits before it is handled, in
   * milliseconds (0 to 10000).
   */
  properties[PROP_LATENCY_MS] =
    g_param_spec_uint ("latency-ms", NULL, NULL,
                       0, QUARRY_TODO_SERVER_MAX_LATENCY_MS, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * QuarryTodoServer:fail-rate:
   *
   * The fraction of `/todos` requests, reads and writes, that fail with
   * `503 injected_failure` (0 to 1).
   */
  properties[PROP_FAIL_RATE] =
    g_param_spec_double ("fail-rate", NULL, NULL,
                         0.0, 1.0, 0.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * QuarryTodoServer:random-seed:
   *
   * The seed of the PRNG that picks the injected failures; setting it
   * restarts the sequence.
   */
  properties[PROP_RANDOM_SEED] =
    g_param_spec_uint64 ("random-seed", NULL, NULL,
                         0, G_MAXUINT64, QUARRY_TODO_SERVER_DEFAULT_RANDOM_SEED,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void request_started_cb (SoupServer        *soup,
                                SoupServerMessage *msg,
                                gpointer           user_data);
static void early_handler_cb (SoupServer        *soup,
                              SoupServerMessage *msg,
                              const char        *path,
                              GHashTable        *query,
                              gpointer           user_data);
static void handler_cb       (SoupServer        *soup,
                              SoupServerMessage *msg,
                              const char        *path,
                              GHashTable        *query,
                              gpointer           user_data);

static GRand *
new_rand (guint64 seed)
{
  guint32 words[2] = { (guint32) (seed >> 32), (guint32) seed };

  return g_rand_new_with_seed_array (words, G_N_ELEMENTS (words));
}

static void
quarry_todo_server_init (QuarryTodoServer *self)
{
  g_autoptr(GError) error = NULL;

  self->soup = soup_server_new ("server-header", "quarry-todo-server/" PACKAGE_VERSION " ",
                                "raw-paths", TRUE,
                                NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (request_started_cb), self, 0);
  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  self->idempotency = quarry_todo_idempotency_new (QUARRY_TODO_IDEMPOTENCY_CAPACITY,
                                                   QUARRY_TODO_IDEMPOTENCY_LIFETIME);
  self->delayed = g_hash_table_new_full (NULL, NULL, NULL, delayed_free);
  self->random_seed = QUARRY_TODO_SERVER_DEFAULT_RANDOM_SEED;
  self->rand = new_rand (self->random_seed);

  g_set_error_literal (&error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_PARAMETER,
                       "The request cannot be read: its URI or its headers are not valid "
                       "(a bad percent-encoding such as %ZZ?)");
  self->fallback = quarry_todo_response_new_error (error);
}

/* Requests */

typedef QuarryTodoResponse *(*Handler) (QuarryTodoServer  *self,
                                        QuarryTodoRequest *request);

static QuarryTodoResponse *
handle_todos (QuarryTodoServer  *self,
              QuarryTodoRequest *request)
{
  return quarry_todo_api_handle (self->store, request);
}

static QuarryTodoResponse *
handle_settings (QuarryTodoServer  *self,
                 QuarryTodoRequest *request)
{
  return quarry_todo_settings_handle (self, request);
}

static QuarryTodoResponse *
handle_unknown (QuarryTodoServer  *self,
                QuarryTodoRequest *request)
{
  g_autoptr(GError) error = NULL;

  /* A path that does not decode is quoted as it came. */
  g_set_error (&error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_NOT_FOUND,
               "There is nothing at %s", request->path != NULL ? request->path : request->raw_path);
  return quarry_todo_response_new_error (error);
}

static gboolean
is_todos_path (const char *path)
{
  return path != NULL && (g_str_equal (path, "/todos") || g_str_has_prefix (path, "/todos/"));
}

/* An Idempotency-Key is 1 to 255 visible ASCII characters. */
static gboolean
is_valid_key (const char *key)
{
  gsize length = strlen (key);

  if (length == 0 || length > 255)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (key[i] < 0x21 || key[i] > 0x7e)
      return FALSE;
  return TRUE;
}

/* Answers @request with @handler, through the idempotency cache for
 * writes. Sets @replayed when the answer is a remembered one. */
static QuarryTodoResponse *
handle_idempotently (QuarryTodoServer  *self,
                     QuarryTodoRequest *request,
                     Handler            handler,
                     gboolean          *replayed)
{
  const char *key = NULL;
  QuarryTodoResponse *response;
  gint64 now = g_get_monotonic_time ();

  if (quarry_todo_request_is_write (request))
    key = quarry_todo_request_get_header (request, "Idempotency-Key");

  if (key != NULL)
    {
      if (!is_valid_key (key))
        {
          g_autoptr(GError) error = NULL;

          g_set_error_literal (&error, QUARRY_TODO_API_ERROR,
                               QUARRY_TODO_API_ERROR_INVALID_PARAMETER,
                               "An Idempotency-Key must be 1 to 255 visible ASCII characters");
          return quarry_todo_response_new_error (error);
        }

      response = quarry_todo_idempotency_lookup (self->idempotency, request->method,
                                                 request->path, key, now);
      if (response != NULL)
        {
          *replayed = TRUE;
          return response;
        }
    }

  response = handler (self, request);

  if (key != NULL && SOUP_STATUS_IS_SUCCESSFUL (response->status))
    quarry_todo_idempotency_remember (self->idempotency, request->method, request->path, key,
                                      response, now);
  return response;
}

static QuarryTodoResponse *
handle (QuarryTodoServer  *self,
        QuarryTodoRequest *request,
        gboolean          *replayed)
{
  if (request->body_too_large)
    {
      g_autoptr(GError) error = NULL;

      g_set_error (&error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_TOO_LARGE,
                   "The request body is more than %d bytes", QUARRY_TODO_MAX_BODY_SIZE);
      return quarry_todo_response_new_error (error);
    }

  if (is_todos_path (request->path))
    {
      if (self->fail_rate > 0.0 && g_rand_double (self->rand) < self->fail_rate)
        {
          g_autoptr(GError) error = NULL;

          g_set_error_literal (&error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INJECTED_FAILURE,
                               "This failure was injected by the server's fail_rate setting");
          return quarry_todo_response_new_error (error);
        }
      return handle_idempotently (self, request, handle_todos, replayed);
    }

  if (g_strcmp0 (request->path, "/settings") == 0)
    return handle_idempotently (self, request, handle_settings, replayed);

  return handle_unknown (self, request);
}

static void
answer (QuarryTodoServer  *self,
        SoupServerMessage *msg,
        QuarryTodoRequest *request)
{
  g_autoptr(QuarryTodoResponse) response = NULL;
  g_autofree char *line = NULL;
  gboolean replayed = FALSE;

  response = handle (self, request, &replayed);
  quarry_todo_response_send (response, msg, replayed);

  line = quarry_todo_request_describe (request);
  g_debug ("%s -> %u%s", line, response->status, replayed ? " (replayed)" : "");
}

static gboolean
delayed_cb (gpointer data)
{
  Delayed *delayed = data;
  QuarryTodoServer *self = delayed->server;
  g_autoptr(SoupServerMessage) msg = g_object_ref (delayed->msg);
  g_autoptr(QuarryTodoRequest) request = g_steal_pointer (&delayed->request);

  /* Frees @delayed, and destroys this source. */
  g_hash_table_remove (self->delayed, msg);

  answer (self, msg, request);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* What nginx logs for a request whose client closed the connection
 * first. Nobody reads it: it only lets libsoup finish the message, and
 * close the connection. */
#define STATUS_CLIENT_CLOSED_REQUEST 499

static void
drop (Delayed *delayed)
{
  QuarryTodoServer *self = delayed->server;
  g_autoptr(SoupServerMessage) msg = g_object_ref (delayed->msg);
  g_autoptr(QuarryTodoRequest) request = g_steal_pointer (&delayed->request);
  g_autoptr(QuarryTodoResponse) response = quarry_todo_response_new (STATUS_CLIENT_CLOSED_REQUEST);
  g_autofree char *line = quarry_todo_request_describe (request);

  /* Frees @delayed, and destroys its sources. */
  g_hash_table_remove (self->delayed, msg);
  self->n_dropped++;

  quarry_todo_response_send (response, msg, FALSE);
  soup_server_message_set_status (msg, STATUS_CLIENT_CLOSED_REQUEST, "Client Closed Request");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_unpause (msg);

  g_debug ("%s -> dropped: the client closed the connection while the request waited", line);
}

/* The connection of a delayed request became readable, or failed: did
 * its client leave? */
static gboolean
client_watch_cb (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      data)
{
  Delayed *delayed = data;
  char byte;
  gssize n;

  if (condition & (G_IO_HUP | G_IO_ERR))
    {
      drop (delayed);
      return G_SOURCE_REMOVE;
    }

  do
    n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);

  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return G_SOURCE_CONTINUE;

  if (n > 0)
    {
      /* More from the client, which stays readable until libsoup reads
       * it: the client is there, but can no longer be watched. */
      delayed_stop_watching (delayed);
      return G_SOURCE_REMOVE;
    }

  /* The end of the stream (n == 0), or a reset. */
  drop (delayed);
  return G_SOURCE_REMOVE;
}

static void
delayed_gone_cb (SoupServerMessage *msg,
                 gpointer           data)
{
  Delayed *delayed = data;

  g_hash_table_remove (delayed->server->delayed, msg);
}

static void
delay (QuarryTodoServer  *self,
       SoupServerMessage *msg,
       QuarryTodoRequest *request)
{
  Delayed *delayed = g_new0 (Delayed, 1);
  GSocket *socket = soup_server_message_get_socket (msg);

  delayed->server = self;
  delayed->msg = g_object_ref (msg);
  delayed->request = request;
  delayed->timeout = g_timeout_source_new (self->latency_ms);
  g_source_set_callback (delayed->timeout, delayed_cb, delayed, NULL);
  g_source_set_name (delayed->timeout, "[quarry-todo-server] latency");
  g_source_attach (delayed->timeout, self->context);
  if (socket != NULL)
    {
      delayed->watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (delayed->watch, G_SOURCE_FUNC (client_watch_cb), delayed, NULL);
      g_source_set_name (delayed->watch, "[quarry-todo-server] client watch");
      g_source_attach (delayed->watch, self->context);
    }
  delayed->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (delayed_gone_cb), delayed);
  delayed->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (delayed_gone_cb), delayed);
  g_hash_table_insert (self->delayed, msg, delayed);

  soup_server_message_pause (msg);
}

static GQuark
too_large_quark (void)
{
  return g_quark_from_static_string ("quarry-todo-server-too-large");
}

/* Counts what is held of a request body, and drops a chunked one (whose
 * size the early handler could not know) once it is over the limit. */
static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  QuarryTodoServer *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  self->max_request_body = MAX (self->max_request_body, body->length);

  if (body->length > QUARRY_TODO_MAX_BODY_SIZE)
    {
      soup_message_body_truncate (body);
      soup_message_body_set_accumulate (body, FALSE);
      g_object_set_qdata (G_OBJECT (msg), too_large_quark (), GINT_TO_POINTER (TRUE));
    }
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  QuarryTodoServer *self = user_data;

  /* What libsoup sends if it answers the request itself (see above). */
  quarry_todo_response_preset (self->fallback, msg);

  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self, 0);
}

/* Turns away a body announced as too large before it is read, so that a
 * client cannot make the server hold gigabytes. libsoup still reads the
 * body (unless the client waits for "100 Continue") before it answers,
 * so it is dropped as it comes. */
static void
early_handler_cb (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(QuarryTodoResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  goffset length;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return;
  length = soup_message_headers_get_content_length (headers);
  if (length <= QUARRY_TODO_MAX_BODY_SIZE)
    return;

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);

  g_set_error (&error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_TOO_LARGE,
               "The request body is %" G_GOFFSET_FORMAT " bytes; the limit is %d",
               length, QUARRY_TODO_MAX_BODY_SIZE);
  response = quarry_todo_response_new_error (error);
  quarry_todo_response_send (response, msg, FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
}

static void
handler_cb (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  QuarryTodoServer *self = user_data;
  g_autoptr(QuarryTodoRequest) request = quarry_todo_request_new_from_message (msg);

  request->body_too_large = g_object_get_qdata (G_OBJECT (msg), too_large_quark ()) != NULL;

  if (self->latency_ms > 0 && is_todos_path (request->path))
    delay (self, msg, g_steal_pointer (&request));
  else
    answer (self, msg, request);
}

/* Public API */

/**
 * quarry_todo_server_new:
 * @data_path: (nullable): the JSON file of the todos, created when missing;
 *   %NULL keeps them in memory only
 * @error: the place for an error
 *
 * Makes a server over the todos of @data_path. It does not listen yet.
 *
 * Returns: (transfer full): the server, or %NULL with @error set when the
 *   file cannot be read or created, or is not a valid store
 */
QuarryTodoServer *
quarry_todo_server_new (const char  *data_path,
                        GError     **error)
{
  g_autoptr(QuarryTodoStore) store = NULL;
  QuarryTodoServer *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  store = quarry_todo_store_new (data_path, error);
  if (store == NULL)
    return NULL;

  self = g_object_new (QUARRY_TYPE_TODO_SERVER, NULL);
  self->store = g_steal_pointer (&store);
  return self;
}

/**
 * quarry_todo_server_seed:
 * @self: a server
 * @n_todos: how many todos to generate
 * @error: the place for an error
 *
 * Fills the store with @n_todos generated todos, when it is empty.
 *
 * Returns: %TRUE, or %FALSE with @error set when they could not be saved
 */
gboolean
quarry_todo_server_seed (QuarryTodoServer  *self,
                         guint              n_todos,
                         GError           **error)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return quarry_todo_store_seed (self->store, n_todos, error);
}

/**
 * quarry_todo_server_listen:
 * @self: a server
 * @address: (nullable): an IP address, "127.0.0.1" when %NULL
 * @port: a TCP port, or 0 for a free one
 * @error: the place for an error
 *
 * Starts listening, on the thread-default main context, which the server
 * then uses for everything. A server listens once.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
quarry_todo_server_listen (QuarryTodoServer  *self,
                           const char        *address,
                           guint              port,
                           GError           **error)
{
  g_autoptr(GInetAddress) inet_address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  GSList *uris;

  g_return_val_if_fail (QUARRY_IS_TODO_SERVER (self), FALSE);
  g_return_val_if_fail (self->uri == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (address == NULL)
    address = "127.0.0.1";

  inet_address = g_inet_address_new_from_string (address);
  if (inet_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address"), address);
      return FALSE;
    }
  if (port > G_MAXUINT16)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%u is not a TCP port (0 to 65535)"), port);
      return FALSE;
    }

  socket_address = g_inet_socket_address_new (inet_address, (guint16) port);
  if (!soup_server_listen (self->soup, socket_address, 0, error))
    {
      g_prefix_error (error, _("Could not listen on %s port %u: "), address, port);
      return FALSE;
    }

  self->context = g_main_context_ref_thread_default ();

  uris = soup_server_get_uris (self->soup);
  g_assert (uris != NULL);
  self->uri = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (!g_str_has_suffix (self->uri, "/"))
    {
      char *with_slash = g_strconcat (self->uri, "/", NULL);

      g_free (self->uri);
      self->uri = with_slash;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
  return TRUE;
}

/**
 * quarry_todo_server_get_uri:
 * @self: a server
 *
 * Returns: (nullable): "http://127.0.0.1:PORT/", or %NULL before the
 *   server listens
 */
const char *
quarry_todo_server_get_uri (QuarryTodoServer *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVER (self), NULL);

  return self->uri;
}

guint
quarry_todo_server_get_latency_ms (QuarryTodoServer *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVER (self), 0);

  return self->latency_ms;
}

void
quarry_todo_server_set_latency_ms (QuarryTodoServer *self,
                                   guint             latency_ms)
{
  g_return_if_fail (QUARRY_IS_TODO_SERVER (self));
  g_return_if_fail (latency_ms <= QUARRY_TODO_SERVER_MAX_LATENCY_MS);

  if (self->latency_ms == latency_ms)
    return;

  self->latency_ms = latency_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY_MS]);
}

double
quarry_todo_server_get_fail_rate (QuarryTodoServer *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVER (self), 0.0);

  return self->fail_rate;
}

void
quarry_todo_server_set_fail_rate (QuarryTodoServer *self,
                                  double            fail_rate)
{
  g_return_if_fail (QUARRY_IS_TODO_SERVER (self));
  g_return_if_fail (fail_rate >= 0.0 && fail_rate <= 1.0);

  if (self->fail_rate == fail_rate)
    return;

  self->fail_rate = fail_rate;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAIL_RATE]);
}

guint64
quarry_todo_server_get_random_seed (QuarryTodoServer *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVER (self), 0);

  return self->random_seed;
}

/* Restarts the failure sequence, even with the same seed. */
void
quarry_todo_server_set_random_seed (QuarryTodoServer *self,
                                    guint64           random_seed)
{
  g_return_if_fail (QUARRY_IS_TODO_SERVER (self));

  g_rand_free (self->rand);
  self->rand = new_rand (random_seed);

  if (self->random_seed == random_seed)
    return;

  self->random_seed = random_seed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RANDOM_SEED]);
}

SoupServer *
quarry_todo_server_get_soup_server (QuarryTodoServer *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVER (self), NULL);

  return self->soup;
}

QuarryTodoStore *
quarry_todo_server_get_store (QuarryTodoServer *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVER (self), NULL);

  return self->store;
}

/* The most body bytes the server has held for one request. */
goffset
quarry_todo_server_get_max_request_body (QuarryTodoServer *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVER (self), 0);

  return self->max_request_body;
}

/* How many delayed requests were dropped because their client left. */
guint
quarry_todo_server_get_n_dropped (QuarryTodoServer *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVER (self), 0);

  return self->n_dropped;
}
