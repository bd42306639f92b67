/* quarry-http-client.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-fetch-context.h"
#include "quarry-http-client-private.h"
#include "quarry-http-endpoint.h"
#include "quarry-i18n-private.h"

/**
 * QuarryHttpClient:
 *
 * Talks to one JSON REST API: a shared `SoupSession`, a base URI, default
 * headers (an auth token, say), a user agent, a request timeout and a size
 * limit. It makes [class@HttpEndpoint]s, which are fetch functions for
 * queries and mutation functions for mutations.
 *
 * ```c
 * g_autoptr(QuarryHttpClient) http = quarry_http_client_new ("https://api.example.com/v1");
 * g_autoptr(QuarryKey) key = quarry_key_new_from_string ("[\"todos\", {\"id\": 5}]", NULL);
 *
 * quarry_http_client_set_header (http, "Authorization", "Bearer s3cr3t");
 * query = quarry_query_new (client, key, quarry_http_fetch_func,
 *                           quarry_http_client_endpoint (http, "GET", "/todos/{id}"),
 *                           g_object_unref);
 * ```
 *
 * ```python
 * http = Quarry.HttpClient.new("https://api.example.com/v1")
 * todo = http.endpoint("GET", "/todos/{id}")
 * query = Quarry.Query.new(client, Quarry.Key.new_from_string('["todos", {"id": 5}]'), todo.fetch)
 * ```
 *
 * Responses are read without blocking the main loop and parsed into
 * `JsonNode`s in a worker thread. Failures are errors of
 * [error@Quarry.HttpError] (an HTTP status of 400 or more, with the
 * server's message when its body has one) or [error@Quarry.Error]
 * (unreachable server, refused or closed connection, timeout, malformed
 * JSON, a body over the size limit); cancelling the query aborts the HTTP
 * request.
 *
 * The client also makes HTTP's own freshness rules work for the cache: an
 * `ETag` is kept with the data and sent back as `If-None-Match`, and a 304
 * keeps the cached data untouched while it counts as fetched
 * ([property@HttpClient:use-etags]); a `Cache-Control: max-age` can replace
 * the queries' stale time ([property@HttpClient:use-max-age]); retries wait
 * at least as long as a 429 or 503 response's `Retry-After`; and mutation
 * requests carry an `Idempotency-Key` that stays the same across retries
 * ([property@HttpClient:use-idempotency-keys]).
 */

struct _QuarryHttpClient
{
  GObject parent_instance;

  SoupSession *session;
  char *base_uri;
  char *user_agent;
  SoupMessageHeaders *headers;
  guint timeout;
  guint64 max_body_size;
  guint use_etags : 1;
  guint use_max_age : 1;
  guint use_idempotency_keys : 1;
};

G_DEFINE_FINAL_TYPE (QuarryHttpClient, quarry_http_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BASE_URI,
  PROP_USER_AGENT,
  PROP_TIMEOUT,
  PROP_MAX_BODY_SIZE,
  PROP_USE_ETAGS,
  PROP_USE_MAX_AGE,
  PROP_USE_IDEMPOTENCY_KEYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PREPARE_REQUEST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* set_str () is GLib 2.76. */
static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
quarry_http_client_constructed (GObject *object)
{
  QuarryHttpClient *self = (QuarryHttpClient *)object;

  G_OBJECT_CLASS (quarry_http_client_parent_class)->constructed (object);

  /* As many connections to a host as browsers open. */
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("max-conns-per-host", 6, NULL);
}

static void
quarry_http_client_finalize (GObject *object)
{
  QuarryHttpClient *self = (QuarryHttpClient *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_uri, g_free);
  g_clear_pointer (&self->user_agent, g_free);
  g_clear_pointer (&self->headers, soup_message_headers_unref);

  G_OBJECT_CLASS (quarry_http_client_parent_class)->finalize (object);
}

static void
quarry_http_client_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  QuarryHttpClient *self = QUARRY_HTTP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BASE_URI:
      g_value_set_string (value, self->base_uri);
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;
    case PROP_USE_ETAGS:
      g_value_set_boolean (value, self->use_etags);
      break;
    case PROP_USE_MAX_AGE:
      g_value_set_boolean (value, self->use_max_age);
      break;
    case PROP_USE_IDEMPOTENCY_KEYS:
      g_value_set_boolean (value, self->use_idempotency_keys);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_http_client_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  QuarryHttpClient *self = QUARRY_HTTP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_BASE_URI:
      quarry_http_client_set_base_uri (self, g_value_get_string (value));
      break;
    case PROP_USER_AGENT:
      quarry_http_client_set_user_agent (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      quarry_http_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_BODY_SIZE:
      quarry_http_client_set_max_body_size (self, g_value_get_uint64 (value));
      break;
    case PROP_USE_ETAGS:
      quarry_http_client_set_use_etags (self, g_value_get_boolean (value));
      break;
    case PROP_USE_MAX_AGE:
      quarry_http_client_set_use_max_age (self, g_value_get_boolean (value));
      break;
    case PROP_USE_IDEMPOTENCY_KEYS:
      quarry_http_client_set_use_idempotency_keys (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_http_client_class_init (QuarryHttpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = quarry_http_client_constructed;
  object_class->finalize = quarry_http_client_finalize;
  object_class->get_property = quarry_http_client_get_property;
  object_class->set_property = quarry_http_client_set_property;

  /**
   * QuarryHttpClient:session:
   *
   * The session requests go through, shared with the rest of the
   * application if it likes. A new one when none is given.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SOUP_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * QuarryHttpClient:base-uri:
   *
   * What relative path templates are appended to, for example
   * `https://api.example.com/v1`: `/todos` then means
   * `https://api.example.com/v1/todos`.
   */
  properties[PROP_BASE_URI] =
    g_param_spec_string ("base-uri", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * QuarryHttpClient:user-agent:
   *
   * The `User-Agent` header of every request.
   */
  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL,
                         "Quarry/" PACKAGE_VERSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * QuarryHttpClient:timeout:
   *
   * How long a whole request may take, from connecting to the last byte
   * of the body, in milliseconds, or 0 for no limit. It runs on the query
   * client's [class@Clock]. A request that takes longer is aborted and fails
   * with [error@Quarry.Error.TIMED_OUT].
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, QUARRY_HTTP_DEFAULT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  /**
   * QuarryHttpClient:max-body-size:
   *
   * The largest response body read, in bytes, or 0 for no limit. A larger
   * one fails with [error@Quarry.Error.BODY_TOO_LARGE], before any of it is
   * read when its `Content-Length` says so.
   */
  properties[PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL,
                         0, G_MAXUINT64, QUARRY_HTTP_DEFAULT_MAX_BODY_SIZE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * QuarryHttpClient:use-etags:
   *
   * Whether the `ETag` of a GET response is kept with the data and sent
   * back as `If-None-Match` when the query refetches. A `304 Not Modified`
   * answer then keeps the cached data untouched: nothing is notified but
   * [property@Query:data-updated-at], and the data is fresh again.
   */
  properties[PROP_USE_ETAGS] =
    g_param_spec_boolean ("use-etags", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /**
   * QuarryHttpClient:use-max-age:
   *
   * Whether a response's `Cache-Control: max-age` decides how long its data
   * is fresh, instead of the queries' [property@Query:stale-time];
   * `no-cache` and `no-store` make it stale at once. Off by default, as
   * TanStack Query leaves freshness to the application.
   */
  properties[PROP_USE_MAX_AGE] =
    g_param_spec_boolean ("use-max-age", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /**
   * QuarryHttpClient:use-idempotency-keys:
   *
   * Whether the POST and PATCH requests of mutations carry an
   * `Idempotency-Key` header: a random key that stays the same for all the
   * retries of one mutation run, so a server that honours it applies the
   * change once.
   */
  properties[PROP_USE_IDEMPOTENCY_KEYS] =
    g_param_spec_boolean ("use-idempotency-keys", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QuarryHttpClient::prepare-request:
   * @self: the client
   * @message: the request about to be sent
   * @context: the fetch or mutation it is for
   *
   * Emitted before each request is sent, with its headers and body set.
   * A handler may add headers, for example a token that changes.
   */
  signals[SIGNAL_PREPARE_REQUEST] =
    g_signal_new ("prepare-request", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2,
                  SOUP_TYPE_MESSAGE, QUARRY_TYPE_FETCH_CONTEXT);

  _quarry_i18n_init ();
}

static void
quarry_http_client_init (QuarryHttpClient *self)
{
  self->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
}

/**
 * quarry_http_client_new:
 * @base_uri: (nullable): what relative path templates are appended to
 *
 * Creates a client with a session of its own.
 *
 * Returns: (transfer full): a new client
 */
QuarryHttpClient *
quarry_http_client_new (const char *base_uri)
{
  return g_object_new (QUARRY_TYPE_HTTP_CLIENT, "base-uri", base_uri, NULL);
}

/**
 * quarry_http_client_new_with_session:
 * @session: the session to send requests through
 * @base_uri: (nullable): what relative path templates are appended to
 *
 * Creates a client that shares @session.
 *
 * Returns: (transfer full): a new client
 */
QuarryHttpClient *
quarry_http_client_new_with_session (SoupSession *session,
                                     const char  *base_uri)
{
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  return g_object_new (QUARRY_TYPE_HTTP_CLIENT, "session", session, "base-uri", base_uri, NULL);
}

/**
 * quarry_http_client_get_session: (get-property session)
 * @self: a client
 *
 * Gets the session requests go through.
 *
 * Returns: (transfer none): the session
 */
SoupSession *
quarry_http_client_get_session (QuarryHttpClient *self)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_CLIENT (self), NULL);
  return self->session;
}

/**
 * quarry_http_client_get_base_uri: (get-property base-uri)
 * @self: a client
 *
 * Gets what relative path templates are appended to.
 *
 * Returns: (nullable): the base URI
 */
const char *
quarry_http_client_get_base_uri (QuarryHttpClient *self)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_CLIENT (self), NULL);
  return self->base_uri;
}

/**
 * quarry_http_client_set_base_uri: (set-property base-uri)
 * @self: a client
 * @base_uri: (nullable): the new base URI
 *
 * Sets what relative path templates are appended to. Requests already
 * sent are not affected.
 */
void
quarry_http_client_set_base_uri (QuarryHttpClient *self,
                                 const char       *base_uri)
{
  g_return_if_fail (QUARRY_IS_HTTP_CLIENT (self));

  if (set_str (&self->base_uri, base_uri))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URI]);
}

/**
 * quarry_http_client_get_user_agent: (get-property user-agent)
 * @self: a client
 *
 * Gets the `User-Agent` header of requests.
 *
 * Returns: (nullable): the user agent
 */
const char *
quarry_http_client_get_user_agent (QuarryHttpClient *self)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_CLIENT (self), NULL);
  return self->user_agent;
}

/**
 * quarry_http_client_set_user_agent: (set-property user-agent)
 * @self: a client
 * @user_agent: (nullable): the user agent, or `NULL` for none
 *
 * Sets the `User-Agent` header of requests.
 */
void
quarry_http_client_set_user_agent (QuarryHttpClient *self,
                                   const char       *user_agent)
{
  g_return_if_fail (QUARRY_IS_HTTP_CLIENT (self));

  if (set_str (&self->user_agent, user_agent))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_AGENT]);
}

/**
 * quarry_http_client_get_timeout: (get-property timeout)
 * @self: a client
 *
 * Gets how long a request may take.
 *
 * Returns: the timeout in milliseconds, 0 for none
 */
guint
quarry_http_client_get_timeout (QuarryHttpClient *self)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_CLIENT (self), 0);
  return self->timeout;
}

/**
 * quarry_http_client_set_timeout: (set-property timeout)
 * @self: a client
 * @timeout: the timeout in milliseconds, 0 for none
 *
 * Sets how long a whole request may take.
 */
void
quarry_http_client_set_timeout (QuarryHttpClient *self,
                                guint             timeout)
{
  g_return_if_fail (QUARRY_IS_HTTP_CLIENT (self));

  if (self->timeout == timeout)
    return;
  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * quarry_http_client_get_max_body_size: (get-property max-body-size)
 * @self: a client
 *
 * Gets the largest response body read.
 *
 * Returns: the limit in bytes, 0 for none
 */
guint64
quarry_http_client_get_max_body_size (QuarryHttpClient *self)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_CLIENT (self), 0);
  return self->max_body_size;
}

/**
 * quarry_http_client_set_max_body_size: (set-property max-body-size)
 * @self: a client
 * @max_body_size: the limit in bytes, 0 for none
 *
 * Sets the largest response body read.
 */
void
quarry_http_client_set_max_body_size (QuarryHttpClient *self,
                                      guint64           max_body_size)
{
  g_return_if_fail (QUARRY_IS_HTTP_CLIENT (self));

  if (self->max_body_size == max_body_size)
    return;
  self->max_body_size = max_body_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BODY_SIZE]);
}

/**
 * quarry_http_client_get_use_etags: (get-property use-etags)
 * @self: a client
 *
 * Gets whether ETags revalidate cached data.
 *
 * Returns: whether ETags are used
 */
gboolean
quarry_http_client_get_use_etags (QuarryHttpClient *self)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_CLIENT (self), FALSE);
  return self->use_etags;
}

/**
 * quarry_http_client_set_use_etags: (set-property use-etags)
 * @self: a client
 * @use_etags: whether to use ETags
 *
 * Sets whether ETags revalidate cached data.
 */
void
quarry_http_client_set_use_etags (QuarryHttpClient *self,
                                  gboolean          use_etags)
{
  g_return_if_fail (QUARRY_IS_HTTP_CLIENT (self));

  use_etags = !!use_etags;
  if (self->use_etags == use_etags)
    return;
  self->use_etags = use_etags;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_ETAGS]);
}

/**
 * quarry_http_client_get_use_max_age: (get-property use-max-age)
 * @self: a client
 *
 * Gets whether `Cache-Control: max-age` decides freshness.
 *
 * Returns: whether max-age is used
 */
gboolean
quarry_http_client_get_use_max_age (QuarryHttpClient *self)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_CLIENT (self), FALSE);
  return self->use_max_age;
}

/**
 * quarry_http_client_set_use_max_age: (set-property use-max-age)
 * @self: a client
 * @use_max_age: whether to use max-age
 *
 * Sets whether `Cache-Control: max-age` decides freshness.
 */
void
quarry_http_client_set_use_max_age (QuarryHttpClient *self,
                                    gboolean          use_max_age)
{
  g_return_if_fail (QUARRY_IS_HTTP_CLIENT (self));

  use_max_age = !!use_max_age;
  if (self->use_max_age == use_max_age)
    return;
  self->use_max_age = use_max_age;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_MAX_AGE]);
}

/**
 * quarry_http_client_get_use_idempotency_keys: (get-property use-idempotency-keys)
 * @self: a client
 *
 * Gets whether mutation requests carry an `Idempotency-Key`.
 *
 * Returns: whether idempotency keys are sent
 */
gboolean
quarry_http_client_get_use_idempotency_keys (QuarryHttpClient *self)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_CLIENT (self), FALSE);
  return self->use_idempotency_keys;
}

/**
 * quarry_http_client_set_use_idempotency_keys: (set-property use-idempotency-keys)
 * @self: a client
 * @use_idempotency_keys: whether to send idempotency keys
 *
 * Sets whether the POST and PATCH requests of mutations carry an
 * `Idempotency-Key`.
 */
void
quarry_http_client_set_use_idempotency_keys (QuarryHttpClient *self,
                                             gboolean          use_idempotency_keys)
{
  g_return_if_fail (QUARRY_IS_HTTP_CLIENT (self));

  use_idempotency_keys = !!use_idempotency_keys;
  if (self->use_idempotency_keys == use_idempotency_keys)
    return;
  self->use_idempotency_keys = use_idempotency_keys;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_IDEMPOTENCY_KEYS]);
}

/**
 * quarry_http_client_get_header:
 * @self: a client
 * @name: a header name
 *
 * Gets a header that every request carries.
 *
 * Returns: (nullable): its value, or `NULL` when it is not set
 */
const char *
quarry_http_client_get_header (QuarryHttpClient *self,
                               const char       *name)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return soup_message_headers_get_one (self->headers, name);
}

/**
 * quarry_http_client_set_header:
 * @self: a client
 * @name: a header name
 * @value: (nullable): its value, or `NULL` to remove it
 *
 * Sets a header that every request carries from now on, such as
 * `Authorization`.
 */
void
quarry_http_client_set_header (QuarryHttpClient *self,
                               const char       *name,
                               const char       *value)
{
  g_return_if_fail (QUARRY_IS_HTTP_CLIENT (self));
  g_return_if_fail (name != NULL && name[0] != '\0');

  if (value != NULL)
    soup_message_headers_replace (self->headers, name, value);
  else
    soup_message_headers_remove (self->headers, name);
}

/**
 * quarry_http_client_endpoint:
 * @self: a client
 * @method: the HTTP method: `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, …
 * @path_template: the path, relative to [property@HttpClient:base-uri],
 *   with `{name}` placeholders
 *
 * Creates an endpoint of this client: see [class@HttpEndpoint].
 *
 * Returns: (transfer full): a new endpoint
 */
QuarryHttpEndpoint *
quarry_http_client_endpoint (QuarryHttpClient *self,
                             const char       *method,
                             const char       *path_template)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_CLIENT (self), NULL);

  return quarry_http_endpoint_new (self, method, path_template);
}

/* The client's headers go on every message, then the application's
 * handlers see it. */
void
_quarry_http_client_prepare (QuarryHttpClient   *self,
                             SoupMessage        *message,
                             QuarryFetchContext *context)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->user_agent != NULL)
    soup_message_headers_replace (headers, "User-Agent", self->user_agent);

  soup_message_headers_iter_init (&iter, self->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_replace (headers, name, value);

  g_signal_emit (self, signals[SIGNAL_PREPARE_REQUEST], 0, message, context);
}
