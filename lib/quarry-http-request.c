/* quarry-http-request.c: one HTTP request of a fetch or a mutation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The request is sent and its body read asynchronously on the client's main
 * context, a chunk at a time, so a large body never blocks it; the body is
 * parsed in a worker thread. Every way it can end completes the fetch
 * context exactly once.
 */

#include "config.h"

#include "quarry-clock-private.h"
#include "quarry-error.h"
#include "quarry-fetch-context-private.h"
#include "quarry-http-request-private.h"
#include "quarry-i18n-private.h"
#include "quarry-json-share-private.h"

#define READ_CHUNK_SIZE (64 * 1024)
/* How much of an error response is read for its message. */
#define ERROR_BODY_LIMIT (64 * 1024)
#define PREALLOCATE_LIMIT (1024 * 1024)

typedef struct
{
  QuarryHttpClient *client;
  QuarryFetchContext *context;
  SoupMessage *message;
  GType object_type;
  GCancellable *cancellable;     /* ours: the context's, the timeout */
  GCancellable *context_cancellable;
  gulong cancelled_id;
  QuarryTimer *timer;
  GInputStream *stream;
  GByteArray *body;
  guint64 limit;
  guint timeout;
  char *where;                   /* "host:port", for messages */
  gboolean timer_started;
  gboolean timed_out;
} Request;

static void
request_free (Request *self)
{
  _quarry_clear_timer (&self->timer);
  g_signal_handlers_disconnect_by_data (self->message, self);
  if (self->cancelled_id != 0)
    g_cancellable_disconnect (self->context_cancellable, self->cancelled_id);
  g_clear_object (&self->context_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->body, g_byte_array_unref);
  g_clear_object (&self->message);
  g_clear_object (&self->context);
  g_clear_object (&self->client);
  g_free (self->where);
  g_free (self);
}

static void
finish_error (Request *self,
              GError  *error)
{
  quarry_fetch_context_return_error (self->context, error);
  request_free (self);
}

/* A GIO or libsoup failure as one of Quarry's errors. */
static GError *
transport_error (Request *self,
                 GError  *error)
{
  g_autoptr(GError) local_error = error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!self->timed_out)
        return g_steal_pointer (&local_error);
      return g_error_new (QUARRY_ERROR, QUARRY_ERROR_TIMED_OUT,
                          _("The server at %s did not answer within %g seconds"),
                          self->where, self->timeout / 1000.0);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (QUARRY_ERROR, QUARRY_ERROR_TIMED_OUT,
                        _("The server at %s did not answer in time"), self->where);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (QUARRY_ERROR, QUARRY_ERROR_CONNECTION_REFUSED,
                        _("Could not connect to %s: the connection was refused"), self->where);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    return g_error_new (QUARRY_ERROR, QUARRY_ERROR_CONNECTION_CLOSED,
                        _("The connection to %s closed before the whole response arrived"),
                        self->where);

  return g_error_new (QUARRY_ERROR, QUARRY_ERROR_NETWORK,
                      _("Could not reach %s: %s"), self->where, error->message);
}

static GError *
too_large_error (Request *self)
{
  g_autofree char *size = g_format_size (self->limit);

  return g_error_new (QUARRY_ERROR, QUARRY_ERROR_BODY_TOO_LARGE,
                      _("The response from %s is larger than the limit of %s"),
                      self->where, size);
}

/* Parsing. */

typedef struct
{
  GBytes *body;
  GType object_type;
  JsonNode *current;             /* the cached data, to share when equal */
} ParseWork;

static void
parse_work_free (gpointer data)
{
  ParseWork *work = data;

  g_bytes_unref (work->body);
  g_clear_pointer (&work->current, json_node_unref);
  g_free (work);
}

typedef struct
{
  guint line;
  guint column;
} ParsePosition;

static void
parser_error_cb (JsonParser   *parser,
                 const GError *error,
                 gpointer      user_data)
{
  ParsePosition *position = user_data;

  position->line = json_parser_get_current_line (parser);
  position->column = json_parser_get_current_pos (parser);
}

/* json-glib prefixes its messages with "<data>:LINE:COLUMN: "; the position
 * is said in the message already. */
static const char *
strip_position (const char *message)
{
  const char *p = message;

  for (guint colons = 0; colons < 3; colons++)
    {
      p = strchr (p, ':');
      if (p == NULL)
        return message;
      p++;
    }
  return g_str_has_prefix (message, "<data>") ? p + strspn (p, " ") : message;
}

static gboolean
map_objects (JsonNode  *node,
             GType      object_type,
             GValue    *value,
             GError   **error)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      GObject *object = json_gobject_deserialize (object_type, node);

      g_value_init (value, object_type);
      g_value_take_object (value, object);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GListStore) store = g_list_store_new (object_type);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autoptr(GObject) object = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            {
              g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_JSON,
                           _("The server sent JSON that does not map to %s: item %u is not an object"),
                           g_type_name (object_type), i);
              return FALSE;
            }
          object = json_gobject_deserialize (object_type, element);
          g_list_store_append (store, object);
        }

      g_value_init (value, G_TYPE_LIST_STORE);
      g_value_set_object (value, store);
      return TRUE;
    }

  g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_JSON,
               _("The server sent JSON that does not map to %s: it is neither an object nor a list"),
               g_type_name (object_type));
  return FALSE;
}

static void
parse_thread (GCancellable  *cancellable,
              GValue        *value,
              gpointer       user_data,
              GError       **error)
{
  ParseWork *work = user_data;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) node = NULL;
  ParsePosition position = { 0, 0 };
  gsize size;
  const char *data = g_bytes_get_data (work->body, &size);

  if (size == 0)
    node = json_node_init_null (json_node_alloc ());
  else
    {
      g_signal_connect (parser, "error", G_CALLBACK (parser_error_cb), &position);
      if (!json_parser_load_from_data (parser, data, size, &parse_error))
        {
          g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_JSON,
                       _("The server sent malformed JSON at line %u, column %u: %s"),
                       position.line, position.column, strip_position (parse_error->message));
          return;
        }
      node = json_parser_steal_root (parser);
      if (node == NULL)
        node = json_node_init_null (json_node_alloc ());
    }

  if (work->object_type != G_TYPE_NONE)
    {
      map_objects (node, work->object_type, value, error);
      return;
    }

  /* What did not change stays the very same nodes: the cache compares
   * pointers, not trees, and frees only what changed. */
  g_value_init (value, JSON_TYPE_NODE);
  g_value_take_boxed (value, _quarry_json_share (work->current, node));
}

/* Success. */

/* Cache-Control's max-age in milliseconds; no-cache and no-store are 0. */
static gint64
max_age_of (SoupMessageHeaders *headers)
{
  const char *cache_control = soup_message_headers_get_one (headers, "Cache-Control");
  g_autoptr(GHashTable) params = NULL;
  const char *max_age;
  gint64 seconds;

  if (cache_control == NULL)
    return -1;

  params = soup_header_parse_param_list (cache_control);
  if (g_hash_table_contains (params, "no-cache") || g_hash_table_contains (params, "no-store"))
    return 0;

  max_age = g_hash_table_lookup (params, "max-age");
  if (max_age == NULL || !g_ascii_string_to_signed (max_age, 10, 0, G_MAXINT64 / 1000, &seconds, NULL))
    return -1;
  return seconds * 1000;
}

static void
finish_success (Request *self)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (self->message);
  ParseWork *work = g_new0 (ParseWork, 1);
  const GValue *current = _quarry_fetch_context_get_current (self->context);
  const char *method = soup_message_get_method (self->message);

  if (quarry_http_client_get_use_etags (self->client) &&
      (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD) &&
      quarry_fetch_context_get_direction (self->context) == QUARRY_FETCH_DIRECTION_NONE)
    quarry_fetch_context_set_validator (self->context,
                                        soup_message_headers_get_one (headers, "ETag"));

  if (quarry_http_client_get_use_max_age (self->client))
    quarry_fetch_context_set_max_age (self->context, max_age_of (headers));

  work->body = g_byte_array_free_to_bytes (g_steal_pointer (&self->body));
  work->object_type = self->object_type;
  if (current != NULL && G_VALUE_HOLDS (current, JSON_TYPE_NODE) && g_value_get_boxed (current) != NULL)
    work->current = json_node_ref (g_value_get_boxed (current));

  quarry_fetch_context_run_in_thread (self->context, parse_thread, work, parse_work_free);
  request_free (self);
}

/* HTTP errors. */

/* The message of a JSON error body: "message", "error" (a string or an
 * object with a message), "detail" or "title". */
static char *
server_message_of_json (JsonNode *node)
{
  static const char * const members[] = { "message", "error", "detail", "title" };
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      JsonNode *member = json_object_get_member (object, members[i]);

      if (member == NULL)
        continue;
      if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (member));
      if (JSON_NODE_HOLDS_OBJECT (member))
        {
          char *inner = server_message_of_json (member);

          if (inner != NULL)
            return inner;
        }
    }
  return NULL;
}

static char *
server_message (Request *self)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (self->message);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  const char *data = (const char *) self->body->data;
  gsize size = self->body->len;

  if (size == 0 || !g_utf8_validate_len (data, size, NULL))
    return NULL;

  if (type == NULL || g_str_has_suffix (type, "json"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, data, size, NULL))
        return server_message_of_json (json_parser_get_root (parser));
      if (type != NULL)
        return NULL;
    }

  /* A short plain text answer says what went wrong. */
  if (type == NULL || g_str_has_prefix (type, "text/plain"))
    {
      g_autofree char *text = g_strstrip (g_strndup (data, size));

      if (text[0] != '\0' && g_utf8_strlen (text, -1) <= 200 && strchr (text, '\n') == NULL)
        return g_steal_pointer (&text);
    }
  return NULL;
}

/* Retry-After in milliseconds: delta-seconds or an HTTP date. */
static gint64
retry_after_of (Request *self)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (self->message);
  const char *text = soup_message_headers_get_one (headers, "Retry-After");
  g_autoptr(GDateTime) date = NULL;
  gint64 seconds;

  if (text == NULL)
    return -1;
  if (g_ascii_string_to_signed (text, 10, 0, G_MAXINT64 / 1000, &seconds, NULL))
    return seconds * 1000;

  date = soup_date_time_new_from_http_string (text);
  if (date == NULL)
    return -1;
  return MAX (0, g_date_time_to_unix (date) * 1000 -
                 quarry_clock_get_wall_time (_quarry_fetch_context_get_clock (self->context)));
}

static void
finish_http_error (Request *self)
{
  guint status = soup_message_get_status (self->message);
  const char *phrase = soup_message_get_reason_phrase (self->message);
  g_autofree char *from_server = server_message (self);
  g_autofree char *message = NULL;
  gint64 retry_after = -1;

  if (phrase == NULL || phrase[0] == '\0')
    phrase = soup_status_get_phrase (status);

  if (from_server != NULL)
    message = g_strdup_printf (_("The server answered %u %s: %s"), status, phrase, from_server);
  else
    message = g_strdup_printf (_("The server answered %u %s"), status, phrase);

  if (status == 429 || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    retry_after = retry_after_of (self);

  finish_error (self, quarry_http_error_new (status, retry_after, message));
}

/* Reading the body. */

static gboolean
is_success (Request *self)
{
  return SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (self->message));
}

static void read_next (Request *self);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      /* The status says enough when the rest of an error body is lost. */
      if (!is_success (self) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_error_free (error);
          finish_http_error (self);
          return;
        }
      finish_error (self, transport_error (self, error));
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      _quarry_clear_timer (&self->timer);
      if (is_success (self))
        finish_success (self);
      else
        finish_http_error (self);
      return;
    }

  if (self->limit > 0 && self->body->len + size > self->limit)
    {
      /* An error's body is only read for its message. */
      if (!is_success (self))
        {
          finish_http_error (self);
          return;
        }
      finish_error (self, too_large_error (self));
      return;
    }

  g_byte_array_append (self->body, g_bytes_get_data (bytes, NULL), size);
  read_next (self);
}

static void
read_next (Request *self)
{
  g_input_stream_read_bytes_async (self->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   self->cancellable, read_cb, self);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *self = user_data;
  SoupMessageHeaders *headers;
  GError *error = NULL;
  goffset length = -1;

  self->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (self->stream == NULL)
    {
      finish_error (self, transport_error (self, error));
      return;
    }

  if (soup_message_get_status (self->message) == SOUP_STATUS_NOT_MODIFIED &&
      quarry_fetch_context_get_validator (self->context) != NULL)
    {
      const char *etag = soup_message_headers_get_one (soup_message_get_response_headers (self->message),
                                                       "ETag");

      if (etag != NULL)
        quarry_fetch_context_set_validator (self->context, etag);
      /* Without a Cache-Control of its own, a 304 keeps the max-age the
       * data came with. */
      if (quarry_http_client_get_use_max_age (self->client))
        quarry_fetch_context_set_max_age (self->context,
                                          max_age_of (soup_message_get_response_headers (self->message)));
      quarry_fetch_context_return_unchanged (self->context);
      request_free (self);
      return;
    }

  if (!is_success (self))
    self->limit = ERROR_BODY_LIMIT;

  headers = soup_message_get_response_headers (self->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);

  /* A HEAD response announces a body it does not have. */
  if (length >= 0 && self->limit > 0 && (guint64) length > self->limit && is_success (self) &&
      soup_message_get_method (self->message) != SOUP_METHOD_HEAD)
    {
      finish_error (self, too_large_error (self));
      return;
    }

  /* Room for what the server announces, within reason: it may lie. */
  self->body = g_byte_array_sized_new (length > 0 ? (guint) MIN (length, PREALLOCATE_LIMIT)
                                                  : READ_CHUNK_SIZE);
  read_next (self);
}

static void
timeout_cb (gpointer data)
{
  Request *self = data;

  self->timer = NULL;
  self->timed_out = TRUE;
  g_cancellable_cancel (self->cancellable);
}

static void
start_timer (Request *self)
{
  if (self->timer != NULL || self->timer_started)
    return;
  self->timer_started = TRUE;
  self->timer = _quarry_clock_schedule (_quarry_fetch_context_get_clock (self->context), self->timeout,
                                        timeout_cb, self);
}

static void
context_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  Request *self = user_data;

  /* Nothing is left to time out: the request ends with the cancellation. */
  _quarry_clear_timer (&self->timer);
  self->timer_started = TRUE;
  g_cancellable_cancel (self->cancellable);
}


/*
 * _quarry_http_request_send:
 * @client: the client whose session and limits apply
 * @context: the fetch or mutation to complete
 * @message: the request, with its headers and body
 * @object_type: the type JSON maps to, or %G_TYPE_NONE for JSON
 *
 * Sends @message and completes @context with its parsed body or an error.
 */
void
_quarry_http_request_send (QuarryHttpClient   *client,
                           QuarryFetchContext *context,
                           SoupMessage        *message,
                           GType               object_type)
{
  Request *self = g_new0 (Request, 1);
  GUri *uri = soup_message_get_uri (message);

  self->client = g_object_ref (client);
  self->context = g_object_ref (context);
  self->message = g_object_ref (message);
  self->object_type = object_type;
  self->limit = quarry_http_client_get_max_body_size (client);
  self->timeout = quarry_http_client_get_timeout (client);
  self->cancellable = g_cancellable_new ();
  self->where = g_uri_get_port (uri) > 0
              ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
              : g_strdup (g_uri_get_host (uri));

  /* The timeout runs from when the request leaves libsoup's queue: waiting
   * for a free connection to the host is not the server being slow. */
  if (self->timeout > 0)
    {
      g_signal_connect_swapped (message, "network-event", G_CALLBACK (start_timer), self);
      g_signal_connect_swapped (message, "starting", G_CALLBACK (start_timer), self);
    }

  /* Runs at once when the fetch is cancelled already. */
  self->context_cancellable = g_object_ref (quarry_fetch_context_get_cancellable (context));
  self->cancelled_id = g_cancellable_connect (self->context_cancellable,
                                              G_CALLBACK (context_cancelled_cb), self, NULL);

  soup_session_send_async (quarry_http_client_get_session (client), message, G_PRIORITY_DEFAULT,
                           self->cancellable, send_cb, self);
}
