/* quarry-fetch-context-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-clock.h"
#include "quarry-entry-private.h"
#include "quarry-fetch-context.h"

G_BEGIN_DECLS

/* Where a context's result goes: a query's fetch or a mutation's run. The
 * owner is referenced and released on the client's main context only;
 * mark_consumed may be called from any thread. */
typedef struct
{
  gpointer (*ref)           (gpointer owner);
  void     (*unref)         (gpointer owner);
  void     (*deliver)       (gpointer                     owner,
                             guint                        attempt,
                             GValue                      *value,
                             GError                      *error,
                             const QuarryFetchResultInfo *info);
  void     (*mark_consumed) (gpointer owner);
  /* Optional: a key shared by all the attempts of the owner's run. */
  const char *(*idempotency_key) (gpointer owner);
} QuarryFetchSink;

QuarryFetchContext *_quarry_fetch_context_new (const QuarryFetchSink *sink,
                                               gpointer               owner,
                                               guint                  attempt,
                                               QuarryKey             *key,
                                               const GValue          *variables,
                                               GCancellable          *cancellable,
                                               GVariant              *meta,
                                               QuarryClock           *clock);

void                _quarry_fetch_context_set_page (QuarryFetchContext   *self,
                                                    const GValue         *param,
                                                    QuarryFetchDirection  direction);
void                _quarry_fetch_context_set_current (QuarryFetchContext *self,
                                                       const GValue       *value,
                                                       const char         *validator);
const GValue       *_quarry_fetch_context_get_current (QuarryFetchContext *self);
QuarryClock        *_quarry_fetch_context_get_clock   (QuarryFetchContext *self);

G_END_DECLS
