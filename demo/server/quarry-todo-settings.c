/* quarry-todo-settings.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-todo-api.h"
#include "quarry-todo-api-error.h"
#include "quarry-todo-settings.h"

/* The shortest text that reads back as @value, as Python's repr() gives:
 * 0.1 is "0.1", not the "0.10000000000000001" of json-glib's "%.17g".
 * Always with a fraction or exponent, so that it reads as a JSON double. */
static char *
format_double (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }

  if (strpbrk (buffer, ".eEn") == NULL)
    return g_strconcat (buffer, ".0", NULL);
  return g_strdup (buffer);
}

/* `{"latency_ms": 0, "fail_rate": 0.0}`, written by hand for the double's
 * sake (see format_double()). */
static QuarryTodoResponse *
settings_response (QuarryTodoServer *self)
{
  g_autofree char *rate = format_double (quarry_todo_server_get_fail_rate (self));
  g_autofree char *text = g_strdup_printf ("{\"latency_ms\":%u,\"fail_rate\":%s}",
                                           quarry_todo_server_get_latency_ms (self), rate);

  return quarry_todo_response_new_json_text (SOUP_STATUS_OK, text);
}

/* Applies a PATCH /settings body: all of it, or nothing when a member is
 * invalid. */
static gboolean
update_settings (QuarryTodoServer  *self,
                 JsonNode          *body,
                 GError           **error)
{
  JsonObject *object = json_node_get_object (body);
  JsonNode *latency = json_object_get_member (object, "latency_ms");
  JsonNode *fail_rate = json_object_get_member (object, "fail_rate");
  gint64 latency_ms = quarry_todo_server_get_latency_ms (self);
  double rate = quarry_todo_server_get_fail_rate (self);

  if (latency == NULL && fail_rate == NULL)
    {
      g_set_error_literal (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_PARAMETER,
                           "A change needs a “latency_ms”, a “fail_rate” or both");
      return FALSE;
    }

  if (latency != NULL)
    {
      if (json_node_get_value_type (latency) != G_TYPE_INT64)
        {
          g_set_error_literal (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_TYPE,
                               "“latency_ms” must be an integer");
          return FALSE;
        }
      latency_ms = json_node_get_int (latency);
      if (latency_ms < 0 || latency_ms > QUARRY_TODO_SERVER_MAX_LATENCY_MS)
        {
          g_set_error (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_PARAMETER,
                       "“latency_ms” must be from 0 to %d", QUARRY_TODO_SERVER_MAX_LATENCY_MS);
          return FALSE;
        }
    }

  if (fail_rate != NULL)
    {
      GType type = json_node_get_value_type (fail_rate);

      if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
        {
          g_set_error_literal (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_TYPE,
                               "“fail_rate” must be a number");
          return FALSE;
        }
      rate = json_node_get_double (fail_rate);
      if (!(rate >= 0.0 && rate <= 1.0))
        {
          g_set_error_literal (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_PARAMETER,
                               "“fail_rate” must be from 0 to 1");
          return FALSE;
        }
    }

  g_object_freeze_notify (G_OBJECT (self));
  quarry_todo_server_set_latency_ms (self, (guint) latency_ms);
  quarry_todo_server_set_fail_rate (self, rate);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/**
 * quarry_todo_settings_handle:
 * @self: the server
 * @request: a request to /settings
 *
 * Answers GET (the settings, with an ETag) and PATCH (a change of
 * `latency_ms`, `fail_rate` or both, validated before any is applied) on
 * /settings. The settings are the server's #QuarryTodoServer:latency-ms
 * and #QuarryTodoServer:fail-rate.
 *
 * Returns: (transfer full): the response
 */
QuarryTodoResponse *
quarry_todo_settings_handle (QuarryTodoServer  *self,
                             QuarryTodoRequest *request)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  QuarryTodoResponse *response;

  if (g_str_equal (request->method, "GET") || g_str_equal (request->method, "HEAD"))
    return quarry_todo_api_get (request, "settings", settings_response (self));

  if (!g_str_equal (request->method, "PATCH"))
    {
      g_set_error (&error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_METHOD_NOT_ALLOWED,
                   "%s is not allowed on /settings; use GET, HEAD, PATCH", request->method);
      response = quarry_todo_response_new_error (error);
      response->allow = g_strdup ("GET, HEAD, PATCH");
      return response;
    }

  body = quarry_todo_request_parse_body (request, &error);
  if (body == NULL || !update_settings (self, body, &error))
    return quarry_todo_response_new_error (error);

  return settings_response (self);
}
