/* quarry-key-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-key.h"

G_BEGIN_DECLS

/* A segment is the canonical value of one key element: "s", "x", "d", "b",
 * "mv" (null), "av" (array) or "a{sv}" (object with sorted members). */
GVariant *_quarry_key_dup_segment      (QuarryKey *self,
                                        guint      index);
guint     _quarry_segment_hash         (gconstpointer segment);
gboolean  _quarry_segment_equal        (gconstpointer a,
                                        gconstpointer b);
gboolean  _quarry_segment_matches      (GVariant  *value,
                                        GVariant  *filter);
gboolean  _quarry_segment_is_container (GVariant  *segment);

G_END_DECLS
