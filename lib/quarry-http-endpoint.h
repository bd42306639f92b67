/* quarry-http-endpoint.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include "quarry-fetch-context.h"
#include "quarry-http-client.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_HTTP_ENDPOINT (quarry_http_endpoint_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryHttpEndpoint, quarry_http_endpoint, QUARRY, HTTP_ENDPOINT, GObject)

QUARRY_AVAILABLE_IN_ALL
QuarryHttpEndpoint *quarry_http_endpoint_new               (QuarryHttpClient   *client,
                                                            const char         *method,
                                                            const char         *path_template) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryHttpClient   *quarry_http_endpoint_get_client        (QuarryHttpEndpoint *self);
QUARRY_AVAILABLE_IN_ALL
const char         *quarry_http_endpoint_get_method        (QuarryHttpEndpoint *self);
QUARRY_AVAILABLE_IN_ALL
const char         *quarry_http_endpoint_get_path_template (QuarryHttpEndpoint *self);
QUARRY_AVAILABLE_IN_ALL
GType               quarry_http_endpoint_get_object_type   (QuarryHttpEndpoint *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_http_endpoint_set_object_type   (QuarryHttpEndpoint *self,
                                                            GType               object_type);
QUARRY_AVAILABLE_IN_ALL
void                quarry_http_endpoint_fetch             (QuarryHttpEndpoint *self,
                                                            QuarryFetchContext *context);
QUARRY_AVAILABLE_IN_ALL
void                quarry_http_endpoint_mutate            (QuarryHttpEndpoint *self,
                                                            QuarryFetchContext *context,
                                                            const GValue       *variables);

QUARRY_AVAILABLE_IN_ALL
void                quarry_http_fetch_func                 (QuarryFetchContext *context,
                                                            gpointer            endpoint);
QUARRY_AVAILABLE_IN_ALL
void                quarry_http_mutation_func              (QuarryFetchContext *context,
                                                            const GValue       *variables,
                                                            gpointer            endpoint);

G_END_DECLS
