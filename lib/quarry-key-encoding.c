/* quarry-key-encoding.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-key-encoding-private.h"

/* Names and strings are copied here to be 0-terminated when they are short
 * enough; longer ones go to the heap. */
#define STACK_STRING_SIZE 64

gsize
_quarry_key_value_size (const guint8 *value)
{
  const guint8 *p = value + 1;
  guint64 n;

  switch (*value)
    {
    case QUARRY_KEY_TAG_NULL:
    case QUARRY_KEY_TAG_TRUE:
    case QUARRY_KEY_TAG_FALSE:
      return 1;

    case QUARRY_KEY_TAG_INT:
      p = _quarry_varint_read (p, &n);
      return p - value;

    case QUARRY_KEY_TAG_DOUBLE:
      return 1 + sizeof (double);

    case QUARRY_KEY_TAG_STRING:
      p = _quarry_varint_read (p, &n);
      return (p - value) + n;

    case QUARRY_KEY_TAG_ARRAY:
      p = _quarry_varint_read (p, &n);
      for (; n > 0; n--)
        p += _quarry_key_value_size (p);
      return p - value;

    case QUARRY_KEY_TAG_OBJECT:
      p = _quarry_varint_read (p, &n);
      for (; n > 0; n--)
        {
          gsize name_size;
          const guint8 *name = _quarry_key_member_name (p, &name_size);

          p = name + name_size;
          p += _quarry_key_value_size (p);
        }
      return p - value;

    default:
      g_assert_not_reached ();
    }
}

static inline guint64
read_word (const guint8 *p)
{
  guint64 word;

  memcpy (&word, p, sizeof word);
  return word;
}

static inline guint64
mix_word (guint64 h,
          guint64 word)
{
  h = (h ^ word) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  return h ^ (h >> 31);
}

guint
_quarry_key_hash_bytes (const guint8 *data,
                        gsize         size)
{
  guint64 h = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ size;

  /* A word at a time, then the tail; the final mix is MurmurHash3's, so
   * that the low bits (which open addressing uses) depend on every byte. */
  for (; size >= 8; data += 8, size -= 8)
    h = mix_word (h, read_word (data));

  if (size > 0)
    {
      guint64 tail = 0;

      for (gsize i = 0; i < size; i++)
        tail |= (guint64) data[i] << (i * 8);
      h = mix_word (h, tail);
    }

  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 33;

  return (guint) h;
}

static gboolean
values_match (const guint8 *values,
              const guint8 *filter,
              guint64       n)
{
  for (; n > 0; n--)
    {
      if (!_quarry_key_value_matches (values, filter))
        return FALSE;
      values += _quarry_key_value_size (values);
      filter += _quarry_key_value_size (filter);
    }
  return TRUE;
}

static gboolean
object_matches (const guint8 *value,
                const guint8 *filter)
{
  guint64 n_value;
  guint64 n_filter;

  value = _quarry_varint_read (value + 1, &n_value);
  filter = _quarry_varint_read (filter + 1, &n_filter);
  if (n_filter > n_value)
    return FALSE;

  /* Both sides are sorted by name: one merge pass. */
  for (; n_filter > 0; n_filter--)
    {
      gsize filter_name_size;
      const guint8 *filter_name = _quarry_key_member_name (filter, &filter_name_size);
      const guint8 *filter_value = filter_name + filter_name_size;

      for (;;)
        {
          gsize name_size;
          const guint8 *name;
          const guint8 *member_value;
          int cmp;

          if (n_value == 0)
            return FALSE;

          name = _quarry_key_member_name (value, &name_size);
          member_value = name + name_size;
          cmp = _quarry_key_name_compare (name, name_size, filter_name, filter_name_size);
          if (cmp > 0)
            return FALSE;

          value = member_value + _quarry_key_value_size (member_value);
          n_value--;
          if (cmp == 0)
            {
              if (!_quarry_key_value_matches (member_value, filter_value))
                return FALSE;
              break;
            }
        }

      filter = filter_value + _quarry_key_value_size (filter_value);
    }

  return TRUE;
}

gboolean
_quarry_key_value_matches (const guint8 *value,
                           const guint8 *filter)
{
  if (*value != *filter)
    return FALSE;

  switch (*filter)
    {
    case QUARRY_KEY_TAG_ARRAY:
      {
        guint64 n_value;
        guint64 n_filter;

        value = _quarry_varint_read (value + 1, &n_value);
        filter = _quarry_varint_read (filter + 1, &n_filter);
        return n_filter <= n_value && values_match (value, filter, n_filter);
      }

    case QUARRY_KEY_TAG_OBJECT:
      return object_matches (value, filter);

    default:
      {
        gsize size = _quarry_key_value_size (filter);

        return _quarry_key_value_size (value) == size && memcmp (value, filter, size) == 0;
      }
    }
}

gboolean
_quarry_key_values_match_prefix (const guint8 *values,
                                 guint         n_values,
                                 const guint8 *filter,
                                 guint         n_filter)
{
  return n_filter <= n_values && values_match (values, filter, n_filter);
}

/* Reads the string at @value (tagged or a member name, after the tag):
 * returns its bytes and stores their size. */
static const guint8 *
read_string (const guint8 *p,
             gsize        *size)
{
  guint64 n;
  const guint8 *bytes = _quarry_varint_read (p, &n);

  *size = (gsize) n;
  return bytes;
}

/* A 0-terminated copy of @size bytes, in @buffer when they fit, else on
 * the heap (then stored in @heap, for the caller to free). */
static const char *
terminated (const guint8  *bytes,
            gsize          size,
            char          *buffer,
            char         **heap)
{
  if (size < STACK_STRING_SIZE)
    {
      memcpy (buffer, bytes, size);
      buffer[size] = '\0';
      *heap = NULL;
      return buffer;
    }

  *heap = g_strndup ((const char *) bytes, size);
  return *heap;
}

static void
append_json_string (GString      *out,
                    const guint8 *s,
                    gsize         size)
{
  const guint8 *end = s + size;
  const guint8 *run = s;

  g_string_append_c (out, '"');
  for (; s < end; s++)
    {
      guchar c = *s;
      const char *escape;

      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        default:
          if (c >= 0x20)
            continue;
          escape = NULL;
        }

      g_string_append_len (out, (const char *) run, s - run);
      if (escape != NULL)
        g_string_append (out, escape);
      else
        g_string_append_printf (out, "\\u%04x", c);
      run = s + 1;
    }
  g_string_append_len (out, (const char *) run, end - run);
  g_string_append_c (out, '"');
}

static const guint8 *
append_value_text (GString      *out,
                   const guint8 *value)
{
  const guint8 *p = value + 1;
  guint64 n;

  switch (*value)
    {
    case QUARRY_KEY_TAG_NULL:
      g_string_append (out, "null");
      return p;

    case QUARRY_KEY_TAG_TRUE:
      g_string_append (out, "true");
      return p;

    case QUARRY_KEY_TAG_FALSE:
      g_string_append (out, "false");
      return p;

    case QUARRY_KEY_TAG_INT:
      p = _quarry_varint_read (p, &n);
      g_string_append_printf (out, "%" G_GINT64_FORMAT, _quarry_zigzag_decode (n));
      return p;

    case QUARRY_KEY_TAG_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];
        double d;

        memcpy (&d, p, sizeof d);
        g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, d));
        return p + sizeof d;
      }

    case QUARRY_KEY_TAG_STRING:
      {
        gsize size;
        const guint8 *bytes = read_string (p, &size);

        append_json_string (out, bytes, size);
        return bytes + size;
      }

    case QUARRY_KEY_TAG_ARRAY:
      p = _quarry_varint_read (p, &n);
      g_string_append_c (out, '[');
      for (guint64 i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          p = append_value_text (out, p);
        }
      g_string_append_c (out, ']');
      return p;

    case QUARRY_KEY_TAG_OBJECT:
      p = _quarry_varint_read (p, &n);
      g_string_append_c (out, '{');
      for (guint64 i = 0; i < n; i++)
        {
          gsize size;
          const guint8 *name = read_string (p, &size);

          if (i > 0)
            g_string_append_c (out, ',');
          append_json_string (out, name, size);
          g_string_append_c (out, ':');
          p = append_value_text (out, name + size);
        }
      g_string_append_c (out, '}');
      return p;

    default:
      g_assert_not_reached ();
    }
}

void
_quarry_key_values_append_text (GString      *out,
                                const guint8 *values,
                                guint         n)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      values = append_value_text (out, values);
    }
  g_string_append_c (out, ']');
}

static const guint8 *
value_to_json (const guint8  *value,
               JsonNode     **node)
{
  const guint8 *p = value + 1;
  guint64 n;

  switch (*value)
    {
    case QUARRY_KEY_TAG_NULL:
      *node = json_node_init_null (json_node_alloc ());
      return p;

    case QUARRY_KEY_TAG_TRUE:
    case QUARRY_KEY_TAG_FALSE:
      *node = json_node_init_boolean (json_node_alloc (), *value == QUARRY_KEY_TAG_TRUE);
      return p;

    case QUARRY_KEY_TAG_INT:
      p = _quarry_varint_read (p, &n);
      *node = json_node_init_int (json_node_alloc (), _quarry_zigzag_decode (n));
      return p;

    case QUARRY_KEY_TAG_DOUBLE:
      {
        double d;

        memcpy (&d, p, sizeof d);
        *node = json_node_init_double (json_node_alloc (), d);
        return p + sizeof d;
      }

    case QUARRY_KEY_TAG_STRING:
      {
        char buffer[STACK_STRING_SIZE];
        g_autofree char *heap = NULL;
        gsize size;
        const guint8 *bytes = read_string (p, &size);

        *node = json_node_init_string (json_node_alloc (), terminated (bytes, size, buffer, &heap));
        return bytes + size;
      }

    case QUARRY_KEY_TAG_ARRAY:
      {
        JsonArray *array;

        p = _quarry_varint_read (p, &n);
        array = json_array_sized_new (n);
        for (; n > 0; n--)
          {
            JsonNode *child;

            p = value_to_json (p, &child);
            json_array_add_element (array, child);
          }
        *node = json_node_init_array (json_node_alloc (), array);
        json_array_unref (array);
        return p;
      }

    case QUARRY_KEY_TAG_OBJECT:
      {
        JsonObject *object = json_object_new ();

        p = _quarry_varint_read (p, &n);
        for (; n > 0; n--)
          {
            char buffer[STACK_STRING_SIZE];
            g_autofree char *heap = NULL;
            gsize size;
            const guint8 *name = read_string (p, &size);
            JsonNode *child;

            p = value_to_json (name + size, &child);
            json_object_set_member (object, terminated (name, size, buffer, &heap), child);
          }
        *node = json_node_init_object (json_node_alloc (), object);
        json_object_unref (object);
        return p;
      }

    default:
      g_assert_not_reached ();
    }
}

JsonNode *
_quarry_key_value_to_json (const guint8 *value)
{
  JsonNode *node;

  value_to_json (value, &node);
  return node;
}

JsonNode *
_quarry_key_values_to_json (const guint8 *values,
                            guint         n)
{
  JsonArray *array = json_array_sized_new (n);
  JsonNode *node;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *child;

      values = value_to_json (values, &child);
      json_array_add_element (array, child);
    }

  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  return node;
}

static const guint8 *value_to_variant (const guint8  *value,
                                       GVariant     **variant);

static const guint8 *
values_to_variant (const guint8  *values,
                   guint64        n,
                   GVariant     **variant)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
  for (; n > 0; n--)
    {
      GVariant *child;

      values = value_to_variant (values, &child);
      g_variant_builder_add_value (&builder, g_variant_new_variant (child));
    }

  *variant = g_variant_builder_end (&builder);
  return values;
}

static const guint8 *
value_to_variant (const guint8  *value,
                  GVariant     **variant)
{
  const guint8 *p = value + 1;
  guint64 n;

  switch (*value)
    {
    case QUARRY_KEY_TAG_NULL:
      *variant = g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
      return p;

    case QUARRY_KEY_TAG_TRUE:
    case QUARRY_KEY_TAG_FALSE:
      *variant = g_variant_new_boolean (*value == QUARRY_KEY_TAG_TRUE);
      return p;

    case QUARRY_KEY_TAG_INT:
      p = _quarry_varint_read (p, &n);
      *variant = g_variant_new_int64 (_quarry_zigzag_decode (n));
      return p;

    case QUARRY_KEY_TAG_DOUBLE:
      {
        double d;

        memcpy (&d, p, sizeof d);
        *variant = g_variant_new_double (d);
        return p + sizeof d;
      }

    case QUARRY_KEY_TAG_STRING:
      {
        gsize size;
        const guint8 *bytes = read_string (p, &size);

        *variant = g_variant_new_take_string (g_strndup ((const char *) bytes, size));
        return bytes + size;
      }

    case QUARRY_KEY_TAG_ARRAY:
      p = _quarry_varint_read (p, &n);
      return values_to_variant (p, n, variant);

    case QUARRY_KEY_TAG_OBJECT:
      {
        GVariantBuilder builder;

        p = _quarry_varint_read (p, &n);
        g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
        for (; n > 0; n--)
          {
            char buffer[STACK_STRING_SIZE];
            g_autofree char *heap = NULL;
            gsize size;
            const guint8 *name = read_string (p, &size);
            GVariant *child;

            p = value_to_variant (name + size, &child);
            g_variant_builder_add_value (&builder,
                                         g_variant_new_dict_entry (g_variant_new_string (terminated (name, size, buffer, &heap)),
                                                                   g_variant_new_variant (child)));
          }
        *variant = g_variant_builder_end (&builder);
        return p;
      }

    default:
      g_assert_not_reached ();
    }
}

GVariant *
_quarry_key_values_to_variant (const guint8 *values,
                               guint         n)
{
  GVariant *variant;

  values_to_variant (values, n, &variant);
  return variant;
}
