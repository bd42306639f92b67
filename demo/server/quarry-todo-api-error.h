/* quarry-todo-api-error.h: the errors the todo API answers with
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define QUARRY_TODO_API_ERROR (quarry_todo_api_error_quark ())

/**
 * QuarryTodoApiError:
 *
 * The failures the REST API reports, each with its HTTP status and the
 * `code` of the JSON error body. The error's message is the body's
 * `message`: API output in English, not translated.
 */
typedef enum
{
  QUARRY_TODO_API_ERROR_INVALID_JSON,           /* 400 invalid_json */
  QUARRY_TODO_API_ERROR_INVALID_TITLE,          /* 400 invalid_title */
  QUARRY_TODO_API_ERROR_INVALID_TYPE,           /* 400 invalid_type */
  QUARRY_TODO_API_ERROR_INVALID_PARAMETER,      /* 400 invalid_parameter */
  QUARRY_TODO_API_ERROR_NOT_FOUND,              /* 404 not_found */
  QUARRY_TODO_API_ERROR_METHOD_NOT_ALLOWED,     /* 405 method_not_allowed */
  QUARRY_TODO_API_ERROR_TOO_LARGE,              /* 413 too_large */
  QUARRY_TODO_API_ERROR_UNSUPPORTED_MEDIA_TYPE, /* 415 unsupported_media_type */
  QUARRY_TODO_API_ERROR_INJECTED_FAILURE,       /* 503 injected_failure */
  QUARRY_TODO_API_ERROR_STORAGE,                /* 500 storage_error */
} QuarryTodoApiError;

GQuark      quarry_todo_api_error_quark      (void);
guint       quarry_todo_api_error_get_status (QuarryTodoApiError code);
const char *quarry_todo_api_error_get_name   (QuarryTodoApiError code);

G_END_DECLS
