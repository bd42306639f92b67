/* quarry-http-client.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <libsoup/soup.h>

#include "quarry-version.h"

G_BEGIN_DECLS

/**
 * QUARRY_HTTP_DEFAULT_TIMEOUT:
 *
 * The default [property@HttpClient:timeout]: 60 seconds, in milliseconds.
 */
#define QUARRY_HTTP_DEFAULT_TIMEOUT 60000

/**
 * QUARRY_HTTP_DEFAULT_MAX_BODY_SIZE:
 *
 * The default [property@HttpClient:max-body-size]: 64 MiB.
 */
#define QUARRY_HTTP_DEFAULT_MAX_BODY_SIZE (G_GUINT64_CONSTANT (64) * 1024 * 1024)

typedef struct _QuarryHttpEndpoint QuarryHttpEndpoint;

#define QUARRY_TYPE_HTTP_CLIENT (quarry_http_client_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryHttpClient, quarry_http_client, QUARRY, HTTP_CLIENT, GObject)

QUARRY_AVAILABLE_IN_ALL
QuarryHttpClient   *quarry_http_client_new                      (const char       *base_uri) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryHttpClient   *quarry_http_client_new_with_session         (SoupSession      *session,
                                                                 const char       *base_uri) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
SoupSession        *quarry_http_client_get_session              (QuarryHttpClient *self);
QUARRY_AVAILABLE_IN_ALL
const char         *quarry_http_client_get_base_uri             (QuarryHttpClient *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_http_client_set_base_uri             (QuarryHttpClient *self,
                                                                 const char       *base_uri);
QUARRY_AVAILABLE_IN_ALL
const char         *quarry_http_client_get_user_agent           (QuarryHttpClient *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_http_client_set_user_agent           (QuarryHttpClient *self,
                                                                 const char       *user_agent);
QUARRY_AVAILABLE_IN_ALL
guint               quarry_http_client_get_timeout              (QuarryHttpClient *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_http_client_set_timeout              (QuarryHttpClient *self,
                                                                 guint             timeout);
QUARRY_AVAILABLE_IN_ALL
guint64             quarry_http_client_get_max_body_size        (QuarryHttpClient *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_http_client_set_max_body_size        (QuarryHttpClient *self,
                                                                 guint64           max_body_size);
QUARRY_AVAILABLE_IN_ALL
gboolean            quarry_http_client_get_use_etags            (QuarryHttpClient *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_http_client_set_use_etags            (QuarryHttpClient *self,
                                                                 gboolean          use_etags);
QUARRY_AVAILABLE_IN_ALL
gboolean            quarry_http_client_get_use_max_age          (QuarryHttpClient *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_http_client_set_use_max_age          (QuarryHttpClient *self,
                                                                 gboolean          use_max_age);
QUARRY_AVAILABLE_IN_ALL
gboolean            quarry_http_client_get_use_idempotency_keys (QuarryHttpClient *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_http_client_set_use_idempotency_keys (QuarryHttpClient *self,
                                                                 gboolean          use_idempotency_keys);
QUARRY_AVAILABLE_IN_ALL
const char         *quarry_http_client_get_header               (QuarryHttpClient *self,
                                                                 const char       *name);
QUARRY_AVAILABLE_IN_ALL
void                quarry_http_client_set_header               (QuarryHttpClient *self,
                                                                 const char       *name,
                                                                 const char       *value);
QUARRY_AVAILABLE_IN_ALL
QuarryHttpEndpoint *quarry_http_client_endpoint                 (QuarryHttpClient *self,
                                                                 const char       *method,
                                                                 const char       *path_template) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
