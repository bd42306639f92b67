/* quarry-http-request-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-fetch-context.h"
#include "quarry-http-client.h"

G_BEGIN_DECLS

void _quarry_http_request_send (QuarryHttpClient   *client,
                                QuarryFetchContext *context,
                                SoupMessage        *message,
                                GType               object_type);

G_END_DECLS
