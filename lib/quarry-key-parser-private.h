/* quarry-key-parser-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-key.h"

G_BEGIN_DECLS

typedef enum
{
  QUARRY_KEY_PARSE_OK,
  QUARRY_KEY_PARSE_END,         /* the text ends too early */
  QUARRY_KEY_PARSE_CHARACTER,   /* a character that cannot come here */
  QUARRY_KEY_PARSE_NUMBER,      /* a malformed number */
  QUARRY_KEY_PARSE_ESCAPE,      /* an unknown or malformed escape */
  QUARRY_KEY_PARSE_SURROGATE,   /* a \u escape of half a surrogate pair */
  QUARRY_KEY_PARSE_UTF8,        /* bytes that are not UTF-8 */
  QUARRY_KEY_PARSE_CONTROL,     /* a control character in a string */
  QUARRY_KEY_PARSE_NUL,         /* U+0000 in a string, as \u0000 */
  QUARRY_KEY_PARSE_DEPTH,       /* containers nested too deep */
} QuarryKeyParseStatus;

/* Parses @text, a JSON array (RFC 8259, strictly: no comments, no
 * single quotes, no leading zeros, no trailing commas, nothing after the
 * array but white space), into @builder's key: the array's elements are
 * the key's. A UTF-8 byte order mark at the start is ignored. On failure
 * @builder holds a partial key, and @error_offset is where in @text the
 * problem is, in bytes. */
QuarryKeyParseStatus _quarry_key_parse       (const char       *text,
                                              QuarryKeyBuilder *builder,
                                              gsize            *error_offset);

/* The same for a single JSON value of any kind, added to @builder as the
 * key's one element: for telling what a text that is not an array is. */
QuarryKeyParseStatus _quarry_key_parse_value (const char       *text,
                                              QuarryKeyBuilder *builder,
                                              gsize            *error_offset);

G_END_DECLS
