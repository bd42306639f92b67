/* quarry-fetch-context-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-entry-private.h"
#include "quarry-fetch-context.h"

G_BEGIN_DECLS

QuarryFetchContext *_quarry_fetch_context_new (QuarryFetch  *fetch,
                                               guint         attempt,
                                               QuarryKey    *key,
                                               GCancellable *cancellable,
                                               GVariant     *meta,
                                               GMainContext *context);

G_END_DECLS
