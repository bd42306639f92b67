/* quarry-http-endpoint.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-error.h"
#include "quarry-http-client-private.h"
#include "quarry-http-endpoint.h"
#include "quarry-http-request-private.h"
#include "quarry-http-url-private.h"
#include "quarry-i18n-private.h"

/**
 * QuarryHttpEndpoint:
 *
 * One REST endpoint of a [class@HttpClient]: an HTTP method and a path
 * template. It is a fetch function for queries
 * ([method@HttpEndpoint.fetch], or [func@http_fetch_func] in C) and a
 * mutation function for mutations ([method@HttpEndpoint.mutate], or
 * [func@http_mutation_func]).
 *
 * ## Path templates
 *
 * A template such as `/todos/{id}` is appended to the client's
 * [property@HttpClient:base-uri] (a template that is a whole `http://` or
 * `https://` URL is used as it is). Its placeholders are filled with
 * percent-encoded values:
 *
 * - `{name}`: a member of the JSON objects of the query's key
 *   (`["todos", {"id": 5}]` gives `/todos/5`), or for a mutation a member
 *   of its variables, then of its mutation key's objects;
 * - `{0}`, `{1}`, …: the key's element at that position;
 * - `{pageParam}`: the page parameter of an [class@InfiniteQuery]'s fetch.
 *
 * Strings go in as they are, other values as their JSON text. A
 * placeholder without a value fails the fetch with
 * [error@Quarry.Error.INVALID_REQUEST], without sending anything; in the
 * template's own query part (`/todos?cursor={pageParam}`) it leaves that
 * parameter out instead.
 *
 * The members the path did not use become the query string of a GET,
 * HEAD or DELETE request, sorted by name (`["todos", {"done": true}]` on
 * `/todos` asks for `/todos?done=true`; a list repeats the parameter, null
 * leaves it out), and the JSON body of a POST, PUT or PATCH request. A
 * mutation whose variables are not a JSON object sends them as the body as
 * they are; GObject variables are serialized with json-glib.
 *
 * ## Results
 *
 * The response body is parsed in a worker thread into a `JsonNode` (an
 * empty body is JSON null), or, with [property@HttpEndpoint:object-type],
 * into an object of that type (a JSON object) or a `GListStore` of them (a
 * JSON array), members mapped to properties by name.
 */

struct _QuarryHttpEndpoint
{
  GObject parent_instance;

  QuarryHttpClient *client;
  char *method;                /* interned */
  char *path_template;
  GType object_type;
};

G_DEFINE_FINAL_TYPE (QuarryHttpEndpoint, quarry_http_endpoint, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_METHOD,
  PROP_PATH_TEMPLATE,
  PROP_OBJECT_TYPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quarry_http_endpoint_finalize (GObject *object)
{
  QuarryHttpEndpoint *self = (QuarryHttpEndpoint *)object;

  g_clear_object (&self->client);
  g_clear_pointer (&self->path_template, g_free);

  G_OBJECT_CLASS (quarry_http_endpoint_parent_class)->finalize (object);
}

static void
quarry_http_endpoint_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  QuarryHttpEndpoint *self = QUARRY_HTTP_ENDPOINT (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;
    case PROP_PATH_TEMPLATE:
      g_value_set_string (value, self->path_template);
      break;
    case PROP_OBJECT_TYPE:
      g_value_set_gtype (value, self->object_type);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_http_endpoint_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  QuarryHttpEndpoint *self = QUARRY_HTTP_ENDPOINT (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_METHOD:
      {
        g_autofree char *upper = g_ascii_strup (g_value_get_string (value) ? g_value_get_string (value)
                                                                           : "GET", -1);

        self->method = (char *) g_intern_string (upper);
      }
      break;
    case PROP_PATH_TEMPLATE:
      self->path_template = g_value_dup_string (value);
      break;
    case PROP_OBJECT_TYPE:
      quarry_http_endpoint_set_object_type (self, g_value_get_gtype (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_http_endpoint_class_init (QuarryHttpEndpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quarry_http_endpoint_finalize;
  object_class->get_property = quarry_http_endpoint_get_property;
  object_class->set_property = quarry_http_endpoint_set_property;

  /**
   * QuarryHttpEndpoint:client:
   *
   * The client whose session, base URI, headers and limits apply.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         QUARRY_TYPE_HTTP_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * QuarryHttpEndpoint:method:
   *
   * The HTTP method, in upper case.
   */
  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL,
                         "GET",
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * QuarryHttpEndpoint:path-template:
   *
   * The path, with `{name}` placeholders.
   */
  properties[PROP_PATH_TEMPLATE] =
    g_param_spec_string ("path-template", NULL, NULL,
                         "/",
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * QuarryHttpEndpoint:object-type:
   *
   * The GObject type responses map to, or `G_TYPE_NONE` for JSON.
   */
  properties[PROP_OBJECT_TYPE] =
    g_param_spec_gtype ("object-type", NULL, NULL,
                        G_TYPE_NONE,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  _quarry_i18n_init ();
}

static void
quarry_http_endpoint_init (QuarryHttpEndpoint *self)
{
  self->object_type = G_TYPE_NONE;
}

/**
 * quarry_http_endpoint_new:
 * @client: the client
 * @method: the HTTP method
 * @path_template: the path, with `{name}` placeholders
 *
 * Creates an endpoint; [method@HttpClient.endpoint] does the same.
 *
 * Returns: (transfer full): a new endpoint
 */
QuarryHttpEndpoint *
quarry_http_endpoint_new (QuarryHttpClient *client,
                          const char       *method,
                          const char       *path_template)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_CLIENT (client), NULL);
  g_return_val_if_fail (method != NULL && method[0] != '\0', NULL);
  g_return_val_if_fail (path_template != NULL, NULL);

  return g_object_new (QUARRY_TYPE_HTTP_ENDPOINT,
                       "client", client,
                       "method", method,
                       "path-template", path_template,
                       NULL);
}

/**
 * quarry_http_endpoint_get_client: (get-property client)
 * @self: an endpoint
 *
 * Gets the client of the endpoint.
 *
 * Returns: (transfer none): the client
 */
QuarryHttpClient *
quarry_http_endpoint_get_client (QuarryHttpEndpoint *self)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_ENDPOINT (self), NULL);
  return self->client;
}

/**
 * quarry_http_endpoint_get_method: (get-property method)
 * @self: an endpoint
 *
 * Gets the HTTP method.
 *
 * Returns: the method, in upper case
 */
const char *
quarry_http_endpoint_get_method (QuarryHttpEndpoint *self)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_ENDPOINT (self), NULL);
  return self->method;
}

/**
 * quarry_http_endpoint_get_path_template: (get-property path-template)
 * @self: an endpoint
 *
 * Gets the path template.
 *
 * Returns: the path template
 */
const char *
quarry_http_endpoint_get_path_template (QuarryHttpEndpoint *self)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_ENDPOINT (self), NULL);
  return self->path_template;
}

/**
 * quarry_http_endpoint_get_object_type: (get-property object-type)
 * @self: an endpoint
 *
 * Gets the type responses map to.
 *
 * Returns: the type, or `G_TYPE_NONE` for JSON
 */
GType
quarry_http_endpoint_get_object_type (QuarryHttpEndpoint *self)
{
  g_return_val_if_fail (QUARRY_IS_HTTP_ENDPOINT (self), G_TYPE_NONE);
  return self->object_type;
}

/**
 * quarry_http_endpoint_set_object_type: (set-property object-type)
 * @self: an endpoint
 * @object_type: a GObject type, or `G_TYPE_NONE` for JSON
 *
 * Makes responses map to objects of @object_type: a JSON object becomes one
 * object, its members set as properties of the same name
 * (`json_gobject_deserialize()`), and a JSON array becomes a `GListStore`
 * of them. Other JSON fails with [error@Quarry.Error.INVALID_JSON].
 *
 * The objects are made in the worker thread that parses the response, so
 * the type's construction and property setters must not touch anything
 * that belongs to the main thread (widgets, say).
 */
void
quarry_http_endpoint_set_object_type (QuarryHttpEndpoint *self,
                                      GType               object_type)
{
  g_return_if_fail (QUARRY_IS_HTTP_ENDPOINT (self));
  g_return_if_fail (object_type == G_TYPE_NONE ||
                    (g_type_is_a (object_type, G_TYPE_OBJECT) && !G_TYPE_IS_ABSTRACT (object_type)));

  if (self->object_type == object_type)
    return;
  self->object_type = object_type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OBJECT_TYPE]);
}

/* libsoup has no METHOD_PATCH. */
#define METHOD_PATCH (g_intern_static_string ("PATCH"))

static gboolean
method_has_body (const char *method)
{
  return method == SOUP_METHOD_POST || method == SOUP_METHOD_PUT || method == METHOD_PATCH;
}

/* @variables minus the members the path used, or the variables as they are
 * when they are not an object. */
static GBytes *
body_of (JsonNode   *variables,
         GHashTable *used)
{
  g_autoptr(JsonNode) body = NULL;
  gsize length;
  char *text;

  if (variables == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (variables) && g_hash_table_size (used) > 0)
    {
      JsonObject *object = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (variables));
      while (json_object_iter_next (&iter, &name, &member))
        if (!g_hash_table_contains (used, name))
          json_object_set_member (object, name, json_node_ref (member));

      body = json_node_init_object (json_node_alloc (), object);
      json_object_unref (object);
    }
  else
    body = json_node_ref (variables);

  text = json_to_string (body, FALSE);
  length = strlen (text);
  return g_bytes_new_take (text, length);
}

/* Builds and sends the request of @context. @variables are a mutation's,
 * already JSON; a query's values come from its key. */
static void
send_request (QuarryHttpEndpoint *self,
              QuarryFetchContext *context,
              JsonNode           *variables,
              gboolean            mutation)
{
  g_autoptr(JsonNode) key = NULL;
  g_autoptr(GHashTable) used = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) leftover_body = NULL;
  QuarryHttpUrlSource source = { 0 };
  gboolean with_body = method_has_body (self->method);
  const char *validator;

  if (self->client == NULL)
    {
      quarry_fetch_context_return_error_literal (context, QUARRY_ERROR, QUARRY_ERROR_INVALID_REQUEST,
                                                 _("The endpoint has no HTTP client"));
      return;
    }

  if (quarry_fetch_context_get_key (context) != NULL)
    key = quarry_key_to_json (quarry_fetch_context_get_key (context));

  source.key = key;
  source.page_param = quarry_fetch_context_get_page_param (context);
  source.mutation = mutation;
  if (variables != NULL && JSON_NODE_HOLDS_OBJECT (variables))
    source.variables = json_node_get_object (variables);

  url = _quarry_http_build_url (quarry_http_client_get_base_uri (self->client), self->path_template,
                                &source, !with_body, &used, &error);
  if (url != NULL)
    uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      quarry_fetch_context_return_error (context,
                                         g_error_new (QUARRY_ERROR, QUARRY_ERROR_INVALID_REQUEST,
                                                      _("Cannot make a request to “%s”: %s"),
                                                      self->path_template, error->message));
      return;
    }

  message = soup_message_new_from_uri (self->method, uri);

  if (with_body)
    {
      /* A query's body is what its key's objects have left. */
      if (!mutation)
        {
          g_autoptr(JsonObject) rest = _quarry_http_leftovers (&source, used);

          leftover_body = json_node_init_object (json_node_alloc (), rest);
          body = body_of (leftover_body, used);
        }
      else
        body = body_of (variables, used);

      if (body != NULL)
        soup_message_set_request_body_from_bytes (message, "application/json", body);
    }

  if (mutation && quarry_http_client_get_use_idempotency_keys (self->client) &&
      (self->method == SOUP_METHOD_POST || self->method == METHOD_PATCH))
    soup_message_headers_replace (soup_message_get_request_headers (message), "Idempotency-Key",
                                  quarry_fetch_context_get_idempotency_key (context));

  validator = quarry_fetch_context_get_validator (context);
  if (!mutation && validator != NULL && quarry_http_client_get_use_etags (self->client) &&
      (self->method == SOUP_METHOD_GET || self->method == SOUP_METHOD_HEAD))
    soup_message_headers_replace (soup_message_get_request_headers (message), "If-None-Match",
                                  validator);

  _quarry_http_client_prepare (self->client, message, context);
  _quarry_http_request_send (self->client, context, message, self->object_type);
}

/**
 * quarry_http_endpoint_fetch:
 * @self: an endpoint
 * @context: the fetch to complete
 *
 * Fetches the data of a query: sends the request that @context's key
 * describes and completes @context with the response.
 *
 * From Python, the bound method is a fetch function:
 * `Quarry.Query.new(client, key, endpoint.fetch)`.
 */
void
quarry_http_endpoint_fetch (QuarryHttpEndpoint *self,
                            QuarryFetchContext *context)
{
  g_return_if_fail (QUARRY_IS_HTTP_ENDPOINT (self));
  g_return_if_fail (QUARRY_IS_FETCH_CONTEXT (context));

  send_request (self, context, NULL, FALSE);
}

/**
 * quarry_http_endpoint_mutate:
 * @self: an endpoint
 * @context: the mutation run to complete
 * @variables: (nullable): the mutation's variables
 *
 * Runs a mutation: sends the request that @variables describe and
 * completes @context with the response.
 *
 * From Python, the bound method is a mutation function:
 * `options.set_mutation_func(endpoint.mutate)`.
 */
void
quarry_http_endpoint_mutate (QuarryHttpEndpoint *self,
                             QuarryFetchContext *context,
                             const GValue       *variables)
{
  g_autoptr(JsonNode) json = NULL;

  g_return_if_fail (QUARRY_IS_HTTP_ENDPOINT (self));
  g_return_if_fail (QUARRY_IS_FETCH_CONTEXT (context));

  json = _quarry_http_value_to_json (variables);
  if (json == NULL && variables != NULL && G_IS_VALUE (variables) &&
      G_VALUE_TYPE (variables) != G_TYPE_INVALID)
    {
      quarry_fetch_context_return_error (context,
                                         g_error_new (QUARRY_ERROR, QUARRY_ERROR_INVALID_REQUEST,
                                                      _("Cannot send variables of type %s as JSON"),
                                                      G_VALUE_TYPE_NAME (variables)));
      return;
    }

  send_request (self, context, json, TRUE);
}

/**
 * quarry_http_fetch_func: (skip)
 * @context: the fetch to complete
 * @endpoint: a [class@HttpEndpoint]
 *
 * A [callback@FetchFunc] that calls [method@HttpEndpoint.fetch]:
 *
 * ```c
 * query = quarry_query_new (client, key, quarry_http_fetch_func,
 *                           quarry_http_client_endpoint (http, "GET", "/todos/{id}"),
 *                           g_object_unref);
 * ```
 */
void
quarry_http_fetch_func (QuarryFetchContext *context,
                        gpointer            endpoint)
{
  quarry_http_endpoint_fetch (endpoint, context);
}

/**
 * quarry_http_mutation_func: (skip)
 * @context: the mutation run to complete
 * @variables: (nullable): the mutation's variables
 * @endpoint: a [class@HttpEndpoint]
 *
 * A [callback@MutationFunc] that calls [method@HttpEndpoint.mutate]:
 *
 * ```c
 * quarry_mutation_options_set_mutation_func (options, quarry_http_mutation_func,
 *                                            quarry_http_client_endpoint (http, "PATCH", "/todos/{id}"),
 *                                            g_object_unref);
 * ```
 */
void
quarry_http_mutation_func (QuarryFetchContext *context,
                           const GValue       *variables,
                           gpointer            endpoint)
{
  quarry_http_endpoint_mutate (endpoint, context, variables);
}
