/* quarry-key.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "quarry-version.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_KEY (quarry_key_get_type ())

typedef struct _QuarryKey QuarryKey;

QUARRY_AVAILABLE_IN_ALL
GType        quarry_key_get_type         (void) G_GNUC_CONST;
QUARRY_AVAILABLE_IN_ALL
QuarryKey   *quarry_key_new_from_string  (const char       *json,
                                          GError          **error) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryKey   *quarry_key_new_from_json    (JsonNode         *node,
                                          GError          **error) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryKey   *quarry_key_new_from_variant (GVariant         *variant,
                                          GError          **error) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryKey   *quarry_key_new_from_strv    (const char * const *segments) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryKey   *quarry_key_ref              (QuarryKey        *self);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_unref            (QuarryKey        *self);
QUARRY_AVAILABLE_IN_ALL
guint        quarry_key_hash             (gconstpointer     self);
QUARRY_AVAILABLE_IN_ALL
gboolean     quarry_key_equal            (gconstpointer     a,
                                          gconstpointer     b);
QUARRY_AVAILABLE_IN_ALL
gboolean     quarry_key_matches          (QuarryKey        *self,
                                          QuarryKey        *filter,
                                          gboolean          exact);
QUARRY_AVAILABLE_IN_ALL
guint        quarry_key_get_length       (QuarryKey        *self);
QUARRY_AVAILABLE_IN_ALL
const char  *quarry_key_to_string        (QuarryKey        *self);
QUARRY_AVAILABLE_IN_ALL
JsonNode    *quarry_key_to_json          (QuarryKey        *self) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
GVariant    *quarry_key_get_variant      (QuarryKey        *self);
QUARRY_AVAILABLE_IN_ALL
JsonNode    *quarry_key_dup_segment      (QuarryKey        *self,
                                          guint             index) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryKey, quarry_key_unref)

G_END_DECLS
