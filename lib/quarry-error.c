/* quarry-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-error.h"
#include "quarry-i18n-private.h"

/**
 * quarry_error_quark:
 *
 * Gets the `QUARRY_ERROR` error domain.
 *
 * Returns: the error domain
 */
GQuark
quarry_error_quark (void)
{
  _quarry_i18n_init ();
  return g_quark_from_static_string ("quarry-error-quark");
}

/**
 * quarry_http_error_quark:
 *
 * Gets the `QUARRY_HTTP_ERROR` error domain, whose codes are HTTP
 * statuses.
 *
 * Returns: the error domain
 */
GQuark
quarry_http_error_quark (void)
{
  _quarry_i18n_init ();
  return g_quark_from_static_string ("quarry-http-error-quark");
}
