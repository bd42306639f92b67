/* quarry-key-builder-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-key.h"
#include "quarry-key-encoding-private.h"

G_BEGIN_DECLS

/* The number of arrays and objects open. */
guint   _quarry_key_builder_get_depth      (QuarryKeyBuilder *builder);

/* Adds a string value, or names an object's next member, from @size bytes
 * of valid UTF-8 without U+0000 (checked by the caller). */
void    _quarry_key_builder_add_string_len (QuarryKeyBuilder *builder,
                                            const char       *value,
                                            gsize             size);
void    _quarry_key_builder_add_member_len (QuarryKeyBuilder *builder,
                                            const char       *name,
                                            gsize             size);

/* Writes a string value (or a member name, with @member) of at most
 * @max_size bytes in place: the caller writes the bytes where
 * begin_string() points, then end_string() says how many it wrote. On
 * misuse begin_string() returns NULL. */
guint8 *_quarry_key_builder_begin_string   (QuarryKeyBuilder *builder,
                                            gboolean          member,
                                            gsize             max_size);
void    _quarry_key_builder_end_string     (QuarryKeyBuilder *builder,
                                            gsize             size);

G_END_DECLS
