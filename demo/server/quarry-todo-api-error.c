/* quarry-todo-api-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "quarry-todo-api-error.h"

G_DEFINE_QUARK (quarry-todo-api-error-quark, quarry_todo_api_error)

static const struct {
  guint status;
  const char *name;
} api_errors[] = {
  [QUARRY_TODO_API_ERROR_INVALID_JSON] = { SOUP_STATUS_BAD_REQUEST, "invalid_json" },
  [QUARRY_TODO_API_ERROR_INVALID_TITLE] = { SOUP_STATUS_BAD_REQUEST, "invalid_title" },
  [QUARRY_TODO_API_ERROR_INVALID_TYPE] = { SOUP_STATUS_BAD_REQUEST, "invalid_type" },
  [QUARRY_TODO_API_ERROR_INVALID_PARAMETER] = { SOUP_STATUS_BAD_REQUEST, "invalid_parameter" },
  [QUARRY_TODO_API_ERROR_NOT_FOUND] = { SOUP_STATUS_NOT_FOUND, "not_found" },
  [QUARRY_TODO_API_ERROR_METHOD_NOT_ALLOWED] = { SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed" },
  [QUARRY_TODO_API_ERROR_TOO_LARGE] = { SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large" },
  [QUARRY_TODO_API_ERROR_UNSUPPORTED_MEDIA_TYPE] = { SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type" },
  [QUARRY_TODO_API_ERROR_INJECTED_FAILURE] = { SOUP_STATUS_SERVICE_UNAVAILABLE, "injected_failure" },
  [QUARRY_TODO_API_ERROR_STORAGE] = { SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage_error" },
};

guint
quarry_todo_api_error_get_status (QuarryTodoApiError code)
{
  g_return_val_if_fail (code < G_N_ELEMENTS (api_errors), SOUP_STATUS_INTERNAL_SERVER_ERROR);

  return api_errors[code].status;
}

const char *
quarry_todo_api_error_get_name (QuarryTodoApiError code)
{
  g_return_val_if_fail (code < G_N_ELEMENTS (api_errors), "storage_error");

  return api_errors[code].name;
}
