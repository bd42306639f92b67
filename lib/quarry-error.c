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

/* The private data of QUARRY_HTTP_ERROR errors. */
typedef struct
{
  gint64 retry_after;
} QuarryHttpErrorPrivate;

/* Where GLib keeps the private data of an extended error: just before the
 * GError, aligned as G_DEFINE_EXTENDED_ERROR () computes it. */
static QuarryHttpErrorPrivate *
http_error_get_private (const GError *error)
{
  const gsize sa = 2 * sizeof (gsize);
  const gsize as = (sizeof (QuarryHttpErrorPrivate) + (sa - 1)) & -sa;

  return (QuarryHttpErrorPrivate *) (((guint8 *) error) - as);
}

static void
http_error_private_init (GError *error)
{
  QuarryHttpErrorPrivate *priv = http_error_get_private (error);

  priv->retry_after = -1;
}

static void
http_error_private_copy (const GError *src,
                         GError       *dest)
{
  const QuarryHttpErrorPrivate *from = http_error_get_private (src);
  QuarryHttpErrorPrivate *to = http_error_get_private (dest);

  to->retry_after = from->retry_after;
}

static void
http_error_private_clear (GError *error)
{
}

/**
 * quarry_http_error_quark:
 *
 * Gets the `QUARRY_HTTP_ERROR` error domain, whose codes are HTTP
 * statuses.
 *
 * Returns: the error domain
 */
/* An extended domain must be registered before its first error is made, or
 * that error has no room for its private data; PyGObject, for one, can make
 * errors of any domain by name. So it is registered when the library is
 * loaded. */
static void register_http_error (void) __attribute__((constructor));

static void
register_http_error (void)
{
  (void) quarry_http_error_quark ();
}

GQuark
quarry_http_error_quark (void)
{
  static gsize quark;

  _quarry_i18n_init ();

  if (g_once_init_enter (&quark))
    {
      GQuark q = g_error_domain_register_static ("quarry-http-error-quark",
                                                 sizeof (QuarryHttpErrorPrivate),
                                                 http_error_private_init,
                                                 http_error_private_copy,
                                                 http_error_private_clear);

      g_once_init_leave (&quark, q);
    }
  return (GQuark) quark;
}

/**
 * quarry_http_error_new:
 * @status: the HTTP status, 400 or more
 * @retry_after: how long the server asked to wait before trying again, in
 *   milliseconds, or -1
 * @message: the message, translated
 *
 * Makes an error of the `QUARRY_HTTP_ERROR` domain.
 *
 * Returns: (transfer full): the new error
 */
GError *
quarry_http_error_new (guint       status,
                       gint64      retry_after,
                       const char *message)
{
  GError *error;

  g_return_val_if_fail (message != NULL, NULL);

  error = g_error_new_literal (QUARRY_HTTP_ERROR, (gint) status, message);
  http_error_get_private (error)->retry_after = MAX (retry_after, -1);
  return error;
}

/**
 * quarry_http_error_get_retry_after:
 * @error: an error
 *
 * Gets how long the server asked to wait before trying again, from the
 * `Retry-After` header of a 429 or 503 response.
 *
 * Retries wait at least this long, whatever their
 * [property@Query:retry-delay].
 *
 * Returns: the delay in milliseconds, or -1 when @error is not an HTTP
 *   error or the server did not say
 */
gint64
quarry_http_error_get_retry_after (const GError *error)
{
  QuarryHttpErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, -1);

  if (error->domain != QUARRY_HTTP_ERROR)
    return -1;
  priv = http_error_get_private (error);
  return priv->retry_after;
}

/**
 * quarry_error_is_transient:
 * @error: an error
 *
 * Gets whether retrying might help with @error. It is what the default
 * retry policy asks: a query retries an error unless this returns `FALSE`.
 *
 * A client error (an HTTP status below 500, except 408 Request Timeout,
 * 425 Too Early and 429 Too Many Requests), malformed JSON, a body
 * over the size limit and a request that could not be made are not
 * transient; every other error is, as TanStack Query retries whatever a
 * fetch function throws.
 *
 * Returns: `FALSE` when retrying cannot help
 */
gboolean
quarry_error_is_transient (const GError *error)
{
  g_return_val_if_fail (error != NULL, TRUE);

  if (error->domain == QUARRY_HTTP_ERROR)
    return error->code >= 500 ||
           error->code == 408 || error->code == 425 || error->code == 429;

  return !g_error_matches (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_JSON) &&
         !g_error_matches (error, QUARRY_ERROR, QUARRY_ERROR_BODY_TOO_LARGE) &&
         !g_error_matches (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_REQUEST) &&
         !g_error_matches (error, QUARRY_ERROR, QUARRY_ERROR_MISSING_FETCH_FUNC);
}
