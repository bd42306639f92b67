/* quarry-key-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-key.h"
#include "quarry-key-encoding-private.h"

G_BEGIN_DECLS

/* A new key holding a copy of @size bytes of canonical encoding (see
 * quarry-key-encoding-private.h): @length values. */
QuarryKey    *_quarry_key_new_from_encoding (const guint8 *data,
                                             gsize         size,
                                             guint         length);

/* The key's encoding: its elements, one value after the other. */
const guint8 *_quarry_key_get_encoding      (QuarryKey    *self,
                                             gsize        *size);

G_END_DECLS
