/* quarry-key-encoding-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <string.h>

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The canonical encoding of a key's values: what a QuarryKey holds, what it
 * hashes and what its equality compares. Every value has exactly one
 * encoding, so equal values have equal bytes:
 *
 *   value := 'n'                           null
 *          | 't' | 'f'                     true, false
 *          | 'i' varint                    an integer, zig-zag encoded
 *          | 'd' 8 bytes                   a finite double that is not an
 *                                          integer in the int64 range (host
 *                                          byte order)
 *          | 's' varint(size) bytes        a string: UTF-8 without U+0000
 *          | 'a' varint(count) value*      an array
 *          | 'o' varint(count) member*     an object, members sorted by name
 *                                          (bytes, as strcmp()), names unique
 *   member := varint(size) bytes value     a name and its value
 *
 * A varint is unsigned LEB128: 7 bits a byte, low bits first, the high bit
 * set on every byte but the last. A key's bytes are its elements, one value
 * after the other; the key's header holds their count. An encoding is
 * self-delimiting, so no value's bytes are a proper prefix of another's.
 *
 * Keys are made by QuarryKeyBuilder (quarry-key-builder.c) and read by the
 * functions below (quarry-key-encoding.c); nothing else looks at the bytes. */

#define QUARRY_KEY_TAG_NULL   'n'
#define QUARRY_KEY_TAG_TRUE   't'
#define QUARRY_KEY_TAG_FALSE  'f'
#define QUARRY_KEY_TAG_INT    'i'
#define QUARRY_KEY_TAG_DOUBLE 'd'
#define QUARRY_KEY_TAG_STRING 's'
#define QUARRY_KEY_TAG_ARRAY  'a'
#define QUARRY_KEY_TAG_OBJECT 'o'

/* Arrays and objects nest at most this deep inside a key, so that every
 * walk over a key's values recurses a bounded number of times. */
#define QUARRY_KEY_MAX_DEPTH 128

/* The most bytes a varint takes. */
#define QUARRY_VARINT_MAX 10

static inline guint
_quarry_varint_size (guint64 value)
{
  guint size = 1;

  while (value >= 0x80)
    {
      value >>= 7;
      size++;
    }
  return size;
}

static inline guint8 *
_quarry_varint_write (guint8  *out,
                      guint64  value)
{
  while (value >= 0x80)
    {
      *out++ = (guint8) (value | 0x80);
      value >>= 7;
    }
  *out++ = (guint8) value;
  return out;
}

static inline const guint8 *
_quarry_varint_read (const guint8 *in,
                     guint64      *value)
{
  guint64 result;
  guint shift;

  if (G_LIKELY (*in < 0x80))
    {
      *value = *in;
      return in + 1;
    }

  result = 0;
  shift = 0;
  do
    {
      result |= (guint64) (*in & 0x7f) << shift;
      shift += 7;
    }
  while (*in++ & 0x80);

  *value = result;
  return in;
}

static inline guint64
_quarry_zigzag_encode (gint64 value)
{
  return ((guint64) value << 1) ^ (guint64) (value >> 63);
}

static inline gint64
_quarry_zigzag_decode (guint64 value)
{
  return (gint64) (value >> 1) ^ -(gint64) (value & 1);
}

static inline gboolean
_quarry_key_value_is_container (const guint8 *value)
{
  return *value == QUARRY_KEY_TAG_ARRAY || *value == QUARRY_KEY_TAG_OBJECT;
}

/* Reads the name of the member at @member: returns its bytes and stores
 * their size in @size. */
static inline const guint8 *
_quarry_key_member_name (const guint8 *member,
                         gsize        *size)
{
  guint64 n;
  const guint8 *name = _quarry_varint_read (member, &n);

  *size = (gsize) n;
  return name;
}

/* Compares two names as strcmp() compares them (neither holds a 0 byte). */
static inline int
_quarry_key_name_compare (const guint8 *a,
                          gsize         a_size,
                          const guint8 *b,
                          gsize         b_size)
{
  gsize n = MIN (a_size, b_size);

  /* Names are short: a loop beats a call to memcmp(). */
  for (gsize i = 0; i < n; i++)
    if (a[i] != b[i])
      return a[i] < b[i] ? -1 : 1;
  return a_size < b_size ? -1 : a_size > b_size;
}

/* The number of bytes of the value at @value. */
gsize     _quarry_key_value_size          (const guint8 *value);

/* A 32-bit hash of @size bytes, for keys and for their segments. */
guint     _quarry_key_hash_bytes          (const guint8 *data,
                                           gsize         size);

/* Partial matching, as TanStack's partialMatchKey(): an object matches when
 * it has every member of @filter with a matching value, an array when
 * @filter's elements match its first elements, any other value when it
 * equals @filter. */
gboolean  _quarry_key_value_matches       (const guint8 *value,
                                           const guint8 *filter);

/* The same, for the @n_values values at @values (a key's elements) and
 * the @n_filter values at @filter: @filter must be a prefix. */
gboolean  _quarry_key_values_match_prefix (const guint8 *values,
                                           guint         n_values,
                                           const guint8 *filter,
                                           guint         n_filter);

/* Appends the canonical JSON text of @n values, as a JSON array. */
void      _quarry_key_values_append_text  (GString      *out,
                                           const guint8 *values,
                                           guint         n);

/* A new, unsealed JSON node for the value at @value, and one holding the
 * @n values at @values as an array. */
JsonNode *_quarry_key_value_to_json       (const guint8 *value);
JsonNode *_quarry_key_values_to_json      (const guint8 *values,
                                           guint         n);

/* The canonical GVariant form (see quarry_key_get_variant()) of @n values,
 * as a floating "av". */
GVariant *_quarry_key_values_to_variant   (const guint8 *values,
                                           guint         n);

G_END_DECLS
