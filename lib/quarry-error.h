/* quarry-error.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <glib.h>

#include "quarry-version.h"

G_BEGIN_DECLS

/**
 * QUARRY_ERROR:
 *
 * The error domain of Quarry's own errors. Its codes are [error@Quarry.Error].
 */
#define QUARRY_ERROR (quarry_error_quark ())

/**
 * QUARRY_HTTP_ERROR:
 *
 * The error domain of HTTP failures. The error code is the HTTP status
 * (404, 500, …): 400 or more, or a redirection that was not followed. An error of this domain can also say how long the server
 * asked to wait before trying again: see [func@http_error_get_retry_after].
 */
#define QUARRY_HTTP_ERROR (quarry_http_error_quark ())

/**
 * QuarryError:
 * @QUARRY_ERROR_FAILED: a generic failure
 * @QUARRY_ERROR_INVALID_KEY: a key is not a JSON array, or is not valid JSON
 * @QUARRY_ERROR_MISSING_FETCH_FUNC: a fetch was needed but the query has no
 *   fetch function
 * @QUARRY_ERROR_NO_RESULT: a fetch function completed without a value, or
 *   its context was dropped before it completed
 * @QUARRY_ERROR_UNSUPPORTED_TYPE: a value of a type Quarry cannot store was
 *   given (for example an opaque Python object)
 * @QUARRY_ERROR_SELECT: a select function failed without giving a reason
 * @QUARRY_ERROR_REMOVED: the entry was removed from the cache while the
 *   operation waited on it
 * @QUARRY_ERROR_DISPOSED: the mutation or its client was disposed before
 *   the operation could finish
 * @QUARRY_ERROR_PAGE_PARAM: a page parameter function of an
 *   [class@InfiniteQuery] failed without giving a reason
 * @QUARRY_ERROR_NETWORK: the server could not be reached (its name did not
 *   resolve, the network is down, TLS failed, …)
 * @QUARRY_ERROR_CONNECTION_REFUSED: the server refused the connection
 * @QUARRY_ERROR_CONNECTION_CLOSED: the connection closed before the whole
 *   response arrived
 * @QUARRY_ERROR_TIMED_OUT: the server did not answer within the request
 *   timeout
 * @QUARRY_ERROR_INVALID_JSON: a response is not valid JSON, or does not map
 *   to the requested type; the message names the position
 * @QUARRY_ERROR_BODY_TOO_LARGE: a response is larger than the size limit
 * @QUARRY_ERROR_INVALID_REQUEST: a request could not be made, for example
 *   because the key lacks a value its path template needs
 *
 * Error codes of the `QUARRY_ERROR` domain.
 *
 * This enumeration can be extended at a later date.
 */
typedef enum
{
  QUARRY_ERROR_FAILED,
  QUARRY_ERROR_INVALID_KEY,
  QUARRY_ERROR_MISSING_FETCH_FUNC,
  QUARRY_ERROR_NO_RESULT,
  QUARRY_ERROR_UNSUPPORTED_TYPE,
  QUARRY_ERROR_SELECT,
  QUARRY_ERROR_REMOVED,
  QUARRY_ERROR_DISPOSED,
  QUARRY_ERROR_PAGE_PARAM,
  QUARRY_ERROR_NETWORK,
  QUARRY_ERROR_CONNECTION_REFUSED,
  QUARRY_ERROR_CONNECTION_CLOSED,
  QUARRY_ERROR_TIMED_OUT,
  QUARRY_ERROR_INVALID_JSON,
  QUARRY_ERROR_BODY_TOO_LARGE,
  QUARRY_ERROR_INVALID_REQUEST,
} QuarryError;

/**
 * QuarryHttpError:
 * @QUARRY_HTTP_ERROR_BAD_REQUEST: 400 Bad Request
 * @QUARRY_HTTP_ERROR_UNAUTHORIZED: 401 Unauthorized
 * @QUARRY_HTTP_ERROR_FORBIDDEN: 403 Forbidden
 * @QUARRY_HTTP_ERROR_NOT_FOUND: 404 Not Found
 * @QUARRY_HTTP_ERROR_CONFLICT: 409 Conflict
 * @QUARRY_HTTP_ERROR_TOO_MANY_REQUESTS: 429 Too Many Requests
 * @QUARRY_HTTP_ERROR_INTERNAL_SERVER_ERROR: 500 Internal Server Error
 * @QUARRY_HTTP_ERROR_BAD_GATEWAY: 502 Bad Gateway
 * @QUARRY_HTTP_ERROR_SERVICE_UNAVAILABLE: 503 Service Unavailable
 * @QUARRY_HTTP_ERROR_GATEWAY_TIMEOUT: 504 Gateway Timeout
 *
 * Common codes of the `QUARRY_HTTP_ERROR` domain. The code of an HTTP
 * error is always its HTTP status, named here or not.
 */
typedef enum
{
  QUARRY_HTTP_ERROR_BAD_REQUEST = 400,
  QUARRY_HTTP_ERROR_UNAUTHORIZED = 401,
  QUARRY_HTTP_ERROR_FORBIDDEN = 403,
  QUARRY_HTTP_ERROR_NOT_FOUND = 404,
  QUARRY_HTTP_ERROR_CONFLICT = 409,
  QUARRY_HTTP_ERROR_TOO_MANY_REQUESTS = 429,
  QUARRY_HTTP_ERROR_INTERNAL_SERVER_ERROR = 500,
  QUARRY_HTTP_ERROR_BAD_GATEWAY = 502,
  QUARRY_HTTP_ERROR_SERVICE_UNAVAILABLE = 503,
  QUARRY_HTTP_ERROR_GATEWAY_TIMEOUT = 504,
} QuarryHttpError;

QUARRY_AVAILABLE_IN_ALL
GQuark quarry_error_quark      (void);
QUARRY_AVAILABLE_IN_ALL
GQuark quarry_http_error_quark (void);

QUARRY_AVAILABLE_IN_ALL
GError *quarry_http_error_new             (guint         status,
                                           gint64        retry_after,
                                           const char   *message);
QUARRY_AVAILABLE_IN_ALL
gint64  quarry_http_error_get_retry_after (const GError *error);
QUARRY_AVAILABLE_IN_ALL
gboolean quarry_error_is_transient        (const GError *error);

G_END_DECLS
