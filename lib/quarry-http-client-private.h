/* quarry-http-client-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-fetch-context.h"
#include "quarry-http-client.h"

G_BEGIN_DECLS

void _quarry_http_client_prepare (QuarryHttpClient   *self,
                                  SoupMessage        *message,
                                  QuarryFetchContext *context);

G_END_DECLS
