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
typedef struct _QuarryKeyBuilder QuarryKeyBuilder;

struct _QuarryKeyBuilder
{
  /*< private >*/
  guint64 _private[36];
};

/**
 * QUARRY_KEY_BUILDER_INIT: (skip)
 *
 * Initializes a `QuarryKeyBuilder` where it is declared, as
 * `quarry_key_builder_init()` does, so that it can be declared with
 * `g_auto()`:
 *
 * ```c
 * g_auto(QuarryKeyBuilder) builder = QUARRY_KEY_BUILDER_INIT;
 * ```
 */
#define QUARRY_KEY_BUILDER_INIT { { 0, } }

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

QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_init               (QuarryKeyBuilder *builder);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_clear              (QuarryKeyBuilder *builder);
QUARRY_AVAILABLE_IN_ALL
QuarryKey   *quarry_key_builder_end                (QuarryKeyBuilder *builder) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_add_string         (QuarryKeyBuilder *builder,
                                                    const char       *value);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_add_int            (QuarryKeyBuilder *builder,
                                                    gint64            value);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_add_double         (QuarryKeyBuilder *builder,
                                                    double            value);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_add_boolean        (QuarryKeyBuilder *builder,
                                                    gboolean          value);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_add_null           (QuarryKeyBuilder *builder);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_open_array         (QuarryKeyBuilder *builder);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_close_array        (QuarryKeyBuilder *builder);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_open_object        (QuarryKeyBuilder *builder);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_close_object       (QuarryKeyBuilder *builder);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_add_member         (QuarryKeyBuilder *builder,
                                                    const char       *name);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_add_member_string  (QuarryKeyBuilder *builder,
                                                    const char       *name,
                                                    const char       *value);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_add_member_int     (QuarryKeyBuilder *builder,
                                                    const char       *name,
                                                    gint64            value);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_add_member_double  (QuarryKeyBuilder *builder,
                                                    const char       *name,
                                                    double            value);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_add_member_boolean (QuarryKeyBuilder *builder,
                                                    const char       *name,
                                                    gboolean          value);
QUARRY_AVAILABLE_IN_ALL
void         quarry_key_builder_add_member_null    (QuarryKeyBuilder *builder,
                                                    const char       *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryKey, quarry_key_unref)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QuarryKeyBuilder, quarry_key_builder_clear)

G_END_DECLS
