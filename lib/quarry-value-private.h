/* quarry-value-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

gboolean _quarry_value_equal    (const GValue  *a,
                                 const GValue  *b);
gboolean _quarry_value_validate (const GValue  *value,
                                 GError       **error);
void     _quarry_value_store    (GValue        *dest,
                                 const GValue  *src);
void     _quarry_value_adopt    (GValue        *dest,
                                 const GValue  *src);
GValue  *_quarry_value_dup      (const GValue  *value);
void     _quarry_value_free     (GValue        *value);

/* GLib has g_auto (GValue) for values on the stack; this is for values
 * from _quarry_value_dup (). */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GValue, _quarry_value_free)

static inline gboolean
_quarry_value_is_set (const GValue *value)
{
  return value != NULL && G_VALUE_TYPE (value) != G_TYPE_INVALID;
}

G_END_DECLS
