/* quarry-todo-request.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-todo-api-error.h"
#include "quarry-todo-json.h"
#include "quarry-todo-request.h"

/* Decodes a percent-encoded path (the server has SoupServer:raw-paths set,
 * so that a path libsoup cannot decode still gets an answer of the API).
 * A path that does not decode to UTF-8 text, or whose escapes hide a NUL
 * or a "/" (which would make new segments, ".." ones among them, of what
 * was one), has no decoded form: NULL, and no resource is there. */
static char *
decode_path (const char *raw_path)
{
  g_autofree char *path = g_uri_unescape_string (raw_path, "/");

  if (path == NULL || !g_utf8_validate (path, -1, NULL))
    return NULL;
  return g_steal_pointer (&path);
}

/**
 * quarry_todo_request_new_from_message:
 * @msg: a request that libsoup has read
 *
 * Copies what the API needs, so that a request can be answered after its
 * handler has returned (a delayed response).
 *
 * Returns: (transfer full): the request
 */
QuarryTodoRequest *
quarry_todo_request_new_from_message (SoupServerMessage *msg)
{
  QuarryTodoRequest *self;
  SoupMessageBody *body;
  GUri *uri;

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), NULL);

  uri = soup_server_message_get_uri (msg);
  self = g_new0 (QuarryTodoRequest, 1);
  self->method = g_strdup (soup_server_message_get_method (msg));
  self->raw_path = g_strdup (g_uri_get_path (uri));
  self->path = decode_path (self->raw_path);
  self->query = g_strdup (g_uri_get_query (uri));
  self->headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  /* A body dropped for its size was not kept. */
  body = soup_server_message_get_request_body (msg);
  if (soup_message_body_get_accumulate (body))
    self->body = soup_message_body_flatten (body);
  else
    self->body = g_bytes_new (NULL, 0);

  return self;
}

void
quarry_todo_request_free (QuarryTodoRequest *self)
{
  if (self == NULL)
    return;

  g_free (self->method);
  g_free (self->raw_path);
  g_free (self->path);
  g_free (self->query);
  soup_message_headers_unref (self->headers);
  g_bytes_unref (self->body);
  g_free (self);
}

/**
 * quarry_todo_request_describe:
 * @self: a request
 *
 * Describes @self for a log: its method, path and query as sent, with
 * anything but printable ASCII escaped, so that a request cannot write
 * invalid UTF-8 or lines of its own into the log.
 *
 * Returns: (transfer full): "GET /todos/%FF?q=a", one printable line
 */
char *
quarry_todo_request_describe (QuarryTodoRequest *self)
{
  g_autofree char *line = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  line = g_strdup_printf ("%s %s%s%s", self->method, self->raw_path,
                          self->query != NULL ? "?" : "", self->query != NULL ? self->query : "");
  return g_strescape (line, NULL);
}

gboolean
quarry_todo_request_is_write (QuarryTodoRequest *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_str_equal (self->method, "POST")
      || g_str_equal (self->method, "PATCH")
      || g_str_equal (self->method, "PUT")
      || g_str_equal (self->method, "DELETE");
}

const char *
quarry_todo_request_get_header (QuarryTodoRequest *self,
                                const char        *name)
{
  g_return_val_if_fail (self != NULL, NULL);

  return soup_message_headers_get_one (self->headers, name);
}

/* application/json, or any application/…+json. */
static gboolean
is_json_media_type (const char *content_type)
{
  g_autofree char *lower = g_ascii_strdown (content_type, -1);

  return g_str_equal (lower, "application/json")
      || (g_str_has_prefix (lower, "application/") && g_str_has_suffix (lower, "+json"));
}

/**
 * quarry_todo_request_parse_body:
 * @self: a request
 * @error: the place for an error
 *
 * Reads the body of a write as a JSON object. A body of more than 1 MiB is
 * `too_large`; a body with a Content-Type that is not JSON, or that cannot
 * be parsed, is `unsupported_media_type` (a missing Content-Type is taken
 * for JSON); anything but a JSON object is `invalid_json`, and so is what
 * json-glib would take wrongly (see quarry_todo_json_parse()): a string
 * that is not UTF-8 or holds a `\u0000`, deep nesting.
 *
 * Returns: (transfer full): the body's root node, an object
 */
JsonNode *
quarry_todo_request_parse_body (QuarryTodoRequest  *self,
                                GError            **error)
{
  g_autoptr(GError) parse_error = NULL;
  const char *content_type_header;
  const char *content_type;
  JsonNode *root;
  gsize length;
  const char *data;

  g_return_val_if_fail (self != NULL, NULL);

  data = g_bytes_get_data (self->body, &length);
  if (self->body_too_large || length > QUARRY_TODO_MAX_BODY_SIZE)
    {
      g_set_error (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_TOO_LARGE,
                   "The request body is more than %d bytes", QUARRY_TODO_MAX_BODY_SIZE);
      return NULL;
    }

  /* libsoup gives no media type for a header it cannot parse ("text"):
   * that is not JSON either. */
  content_type_header = soup_message_headers_get_one (self->headers, "Content-Type");
  content_type = soup_message_headers_get_content_type (self->headers, NULL);
  if (length > 0 && content_type_header != NULL
      && (content_type == NULL || !is_json_media_type (content_type)))
    {
      g_set_error (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_UNSUPPORTED_MEDIA_TYPE,
                   "The request body must be application/json, not “%s”", content_type_header);
      return NULL;
    }

  if (length == 0)
    {
      g_set_error_literal (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_JSON,
                           "The request needs a JSON object as its body");
      return NULL;
    }

  root = quarry_todo_json_parse (data, length, &parse_error);
  if (root == NULL)
    {
      g_set_error (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_JSON,
                   "The request body is not valid JSON: %s", parse_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      json_node_unref (root);
      g_set_error_literal (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_JSON,
                           "The request body must be a JSON object");
      return NULL;
    }

  return root;
}

static gboolean
etag_equal_weak (const char *a,
                 const char *b)
{
  if (g_str_has_prefix (a, "W/"))
    a += 2;
  if (g_str_has_prefix (b, "W/"))
    b += 2;
  return g_str_equal (a, b);
}

/* Whether If-None-Match names @etag (weak comparison, as RFC 9110 asks for
 * If-None-Match) or is "*". */
gboolean
quarry_todo_request_matches_etag (QuarryTodoRequest *self,
                                  const char        *etag)
{
  const char *header;
  g_auto(GStrv) tags = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (etag != NULL, FALSE);

  header = soup_message_headers_get_list (self->headers, "If-None-Match");
  if (header == NULL)
    return FALSE;

  tags = g_strsplit (header, ",", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_equal (tag, "*") || etag_equal_weak (tag, etag))
        return TRUE;
    }
  return FALSE;
}
