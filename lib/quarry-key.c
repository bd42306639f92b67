/* quarry-key.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-key-private.h"

#include "quarry-error.h"
#include "quarry-i18n-private.h"
#include "quarry-key-builder-private.h"
#include "quarry-key-parser-private.h"

/**
 * QuarryKey:
 *
 * An immutable query key: an array of JSON values, as TanStack Query's
 * query keys.
 *
 * Keys identify cache entries. Two keys are equal when their values are
 * equal: the order of array elements matters, the order of object members
 * does not, and a number with an integral value equals the same integer
 * (`1.0` is `1`). Numbers that JSON cannot write (NaN, infinities) are
 * `null`, as `JSON.stringify()` makes them.
 *
 * ```c
 * g_autoptr(QuarryKey) key = quarry_key_new_from_string ("[\"todos\", {\"id\": 5}]", &error);
 * ```
 *
 * A key holds its values in a compact canonical encoding, made once when
 * the key is made, with its hash: equality is a comparison of bytes. Its
 * text ([method@Key.to_string]) and `GVariant` ([method@Key.get_variant])
 * forms are made on first use. In C, `QuarryKeyBuilder` makes a key
 * fastest, value by value.
 *
 * A key *matches* a filter key when the filter is a prefix of it, objects
 * matching by subset: `["todos"]` matches `["todos", 1]` and
 * `["todos", {"page": 2}]`, and `[{"a": 1}]` matches `[{"a": 1, "b": 2}]`.
 * See [method@Key.matches].
 *
 * Arrays and objects nest at most 128 deep inside a key.
 */

struct _QuarryKey
{
  gatomicrefcount ref_count;
  guint hash;
  guint32 size;         /* of data */
  guint32 length;       /* values in data */
  GVariant *variant;    /* made on first use */
  char *string;         /* made on first use */
  guint8 data[];        /* the canonical encoding of the values */
};

G_DEFINE_BOXED_TYPE (QuarryKey, quarry_key, quarry_key_ref, quarry_key_unref)

QuarryKey *
_quarry_key_new_from_encoding (const guint8 *data,
                               gsize         size,
                               guint         length)
{
  QuarryKey *self = g_malloc (sizeof (QuarryKey) + size);

  g_atomic_ref_count_init (&self->ref_count);
  self->hash = _quarry_key_hash_bytes (data, size);
  self->size = size;
  self->length = length;
  self->variant = NULL;
  self->string = NULL;
  memcpy (self->data, data, size);

  return self;
}

const guint8 *
_quarry_key_get_encoding (QuarryKey *self,
                          gsize     *size)
{
  *size = self->size;
  return self->data;
}

static void
set_depth_error (GError **error)
{
  g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
               _("A query key cannot nest arrays and objects more than %d deep"),
               QUARRY_KEY_MAX_DEPTH);
}

static gboolean
check_depth (QuarryKeyBuilder  *builder,
             GError           **error)
{
  if (_quarry_key_builder_get_depth (builder) < QUARRY_KEY_MAX_DEPTH)
    return TRUE;

  set_depth_error (error);
  return FALSE;
}

/* The size of @text when it is UTF-8, or -1 with @error set. */
static gssize
checked_utf8_size (const char  *text,
                   GError     **error)
{
  const char *p = text;
  const char *end;

  while ((guchar) *p - 1u < 0x7fu)
    p++;
  if (*p == '\0')
    return p - text;
  if (g_utf8_validate (p, -1, &end))
    return end - text;

  g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
               _("A query key can only hold text that is valid UTF-8"));
  return -1;
}

static gboolean
add_json (QuarryKeyBuilder  *builder,
          JsonNode          *node,
          GError           **error)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      quarry_key_builder_add_null (builder);
      return TRUE;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_INT64)
          quarry_key_builder_add_int (builder, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          quarry_key_builder_add_double (builder, json_node_get_double (node));
        else if (type == G_TYPE_BOOLEAN)
          quarry_key_builder_add_boolean (builder, json_node_get_boolean (node));
        else if (type == G_TYPE_STRING)
          {
            const char *string = json_node_get_string (node);
            gssize size = checked_utf8_size (string, error);

            if (size < 0)
              return FALSE;
            _quarry_key_builder_add_string_len (builder, string, size);
          }
        else
          {
            g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                         _("A query key cannot hold a value of type “%s”"), g_type_name (type));
            return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        if (!check_depth (builder, error))
          return FALSE;

        quarry_key_builder_open_array (builder);
        for (guint i = 0; i < n; i++)
          if (!add_json (builder, json_array_get_element (array, i), error))
            return FALSE;
        quarry_key_builder_close_array (builder);
        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (!check_depth (builder, error))
          return FALSE;

        /* The builder sorts the members when the object is closed. */
        quarry_key_builder_open_object (builder);
        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          {
            gssize size = checked_utf8_size (name, error);

            if (size < 0)
              return FALSE;
            _quarry_key_builder_add_member_len (builder, name, size);
            if (!add_json (builder, member, error))
              return FALSE;
          }
        quarry_key_builder_close_object (builder);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

static gboolean
add_variant (QuarryKeyBuilder  *builder,
             GVariant          *variant,
             GError           **error)
{
  g_autoptr(GVariant) inner = NULL;

  /* Variants and non-empty maybes are unwrapped, all the way down. */
  for (;;)
    {
      GVariantClass klass = g_variant_classify (variant);
      GVariant *unwrapped;

      if (klass == G_VARIANT_CLASS_VARIANT)
        unwrapped = g_variant_get_variant (variant);
      else if (klass == G_VARIANT_CLASS_MAYBE)
        {
          unwrapped = g_variant_get_maybe (variant);
          if (unwrapped == NULL)
            {
              quarry_key_builder_add_null (builder);
              return TRUE;
            }
        }
      else
        break;

      g_clear_pointer (&inner, g_variant_unref);
      variant = inner = unwrapped;
    }

  switch (g_variant_classify (variant))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      quarry_key_builder_add_boolean (builder, g_variant_get_boolean (variant));
      return TRUE;
    case G_VARIANT_CLASS_BYTE:
      quarry_key_builder_add_int (builder, g_variant_get_byte (variant));
      return TRUE;
    case G_VARIANT_CLASS_INT16:
      quarry_key_builder_add_int (builder, g_variant_get_int16 (variant));
      return TRUE;
    case G_VARIANT_CLASS_UINT16:
      quarry_key_builder_add_int (builder, g_variant_get_uint16 (variant));
      return TRUE;
    case G_VARIANT_CLASS_INT32:
      quarry_key_builder_add_int (builder, g_variant_get_int32 (variant));
      return TRUE;
    case G_VARIANT_CLASS_UINT32:
      quarry_key_builder_add_int (builder, g_variant_get_uint32 (variant));
      return TRUE;
    case G_VARIANT_CLASS_INT64:
      quarry_key_builder_add_int (builder, g_variant_get_int64 (variant));
      return TRUE;
    case G_VARIANT_CLASS_HANDLE:
      quarry_key_builder_add_int (builder, g_variant_get_handle (variant));
      return TRUE;
    case G_VARIANT_CLASS_UINT64:
      {
        guint64 u = g_variant_get_uint64 (variant);

        if (u <= G_MAXINT64)
          quarry_key_builder_add_int (builder, (gint64) u);
        else
          quarry_key_builder_add_double (builder, (double) u);
        return TRUE;
      }
    case G_VARIANT_CLASS_DOUBLE:
      quarry_key_builder_add_double (builder, g_variant_get_double (variant));
      return TRUE;
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      {
        gsize size;
        const char *string = g_variant_get_string (variant, &size);

        _quarry_key_builder_add_string_len (builder, string, size);
        return TRUE;
      }
    case G_VARIANT_CLASS_ARRAY:
      if (g_variant_type_is_dict_entry (g_variant_type_element (g_variant_get_type (variant))))
        {
          const GVariantType *key_type = g_variant_type_key (g_variant_type_element (g_variant_get_type (variant)));
          gsize n = g_variant_n_children (variant);

          if (!g_variant_type_equal (key_type, G_VARIANT_TYPE_STRING) &&
              !g_variant_type_equal (key_type, G_VARIANT_TYPE_OBJECT_PATH) &&
              !g_variant_type_equal (key_type, G_VARIANT_TYPE_SIGNATURE))
            {
              g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                           _("A query key can only hold dictionaries with string keys"));
              return FALSE;
            }
          if (!check_depth (builder, error))
            return FALSE;

          /* The builder sorts the members when the object is closed, a
           * repeated name keeping its last value. */
          quarry_key_builder_open_object (builder);
          for (gsize i = 0; i < n; i++)
            {
              g_autoptr(GVariant) entry = g_variant_get_child_value (variant, i);
              g_autoptr(GVariant) entry_key = g_variant_get_child_value (entry, 0);
              g_autoptr(GVariant) entry_value = g_variant_get_child_value (entry, 1);
              gsize size;
              const char *name = g_variant_get_string (entry_key, &size);

              _quarry_key_builder_add_member_len (builder, name, size);
              if (!add_variant (builder, entry_value, error))
                return FALSE;
            }
          quarry_key_builder_close_object (builder);
          return TRUE;
        }
      G_GNUC_FALLTHROUGH;
    case G_VARIANT_CLASS_TUPLE:
      {
        gsize n = g_variant_n_children (variant);

        if (!check_depth (builder, error))
          return FALSE;

        quarry_key_builder_open_array (builder);
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr(GVariant) element = g_variant_get_child_value (variant, i);

            if (!add_variant (builder, element, error))
              return FALSE;
          }
        quarry_key_builder_close_array (builder);
        return TRUE;
      }
    case G_VARIANT_CLASS_DICT_ENTRY:
    default:
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                   _("A query key cannot hold a value of type “%s”"),
                   g_variant_get_type_string (variant));
      return FALSE;
    }
}

/**
 * quarry_key_new_from_json:
 * @node: a JSON array
 * @error: return location for a [error@Quarry.Error]
 *
 * Makes a key from a JSON array.
 *
 * Returns: (transfer full): a new key, or `NULL` with @error set when @node
 *   is not an array, holds text that is not UTF-8 or nests deeper than 128
 */
QuarryKey *
quarry_key_new_from_json (JsonNode  *node,
                          GError   **error)
{
  QuarryKeyBuilder builder;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  _quarry_i18n_init ();

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                   _("A query key must be a JSON array, not “%s”"),
                   json_node_type_name (node));
      return NULL;
    }

  quarry_key_builder_init (&builder);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    if (!add_json (&builder, json_array_get_element (array, i), error))
      {
        quarry_key_builder_clear (&builder);
        return NULL;
      }

  return quarry_key_builder_end (&builder);
}

static char *
describe_character (const char *p)
{
  gunichar c = g_utf8_get_char_validated (p, -1);

  if (c == (gunichar) -1 || c == (gunichar) -2)
    return g_strdup_printf ("\\x%02x", (guchar) *p);
  if (!g_unichar_isprint (c))
    return g_strdup_printf ("U+%04X", c);
  return g_strndup (p, g_utf8_next_char (p) - p);
}

/* What is wrong in @text, and where, for people: "line 1, column 5:
 * invalid number". */
static char *
describe_parse_error (const char           *text,
                      QuarryKeyParseStatus  status,
                      gsize                 offset)
{
  g_autofree char *problem = NULL;
  guint line = 1;
  guint column = 1;

  for (gsize i = 0; i < offset; i++)
    {
      guchar c = text[i];

      if (c == '\n')
        {
          line++;
          column = 1;
        }
      else if ((c & 0xc0) != 0x80)
        column++;
    }

  switch (status)
    {
    case QUARRY_KEY_PARSE_END:
      problem = g_strdup (_("the text ends too early"));
      break;
    case QUARRY_KEY_PARSE_CHARACTER:
      {
        g_autofree char *character = describe_character (text + offset);

        /* Translators: %s is a character, such as “x” or “U+0007” */
        problem = g_strdup_printf (_("unexpected character “%s”"), character);
        break;
      }
    case QUARRY_KEY_PARSE_NUMBER:
      problem = g_strdup (_("invalid number"));
      break;
    case QUARRY_KEY_PARSE_ESCAPE:
      problem = g_strdup (_("invalid escape sequence"));
      break;
    case QUARRY_KEY_PARSE_SURROGATE:
      problem = g_strdup (_("lone UTF-16 surrogate in a \\u escape"));
      break;
    case QUARRY_KEY_PARSE_UTF8:
      problem = g_strdup (_("invalid UTF-8"));
      break;
    case QUARRY_KEY_PARSE_CONTROL:
      problem = g_strdup (_("unescaped control character in a string"));
      break;
    case QUARRY_KEY_PARSE_OK:
    case QUARRY_KEY_PARSE_NUL:
    case QUARRY_KEY_PARSE_DEPTH:
    default:
      g_assert_not_reached ();
    }

  /* Translators: the last %s is a problem, such as “invalid number” */
  return g_strdup_printf (_("line %u, column %u: %s"), line, column, problem);
}

/* Names what the JSON text @value holds as json-glib names the types of
 * its nodes (json_node_type_name()). */
static const char *
value_type_name (const char *value)
{
  switch (*value)
    {
    case '{':
      return "JsonObject";
    case '[':
      return "JsonArray";
    case '"':
      return "String";
    case 't':
    case 'f':
      return "Boolean";
    case 'n':
      return "NULL";
    default:
      return strpbrk (value, ".eE") != NULL ? "Floating Point" : "Integer";
    }
}

/* Sets @error for @text, which the parser rejected with @status at
 * @offset. */
static void
set_parse_error (const char            *text,
                 QuarryKeyParseStatus   status,
                 gsize                  offset,
                 GError               **error)
{
  g_autofree char *description = NULL;
  const char *p = text;

  if (g_str_has_prefix (p, "\xef\xbb\xbf"))
    p += 3;
  while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
    p++;

  if (*p == '\0')
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                   _("A query key must be a JSON array, not empty text"));
      return;
    }

  /* Not an array: say what it is, if it is JSON, or what is wrong in it. */
  if (*p != '[')
    {
      QuarryKeyBuilder builder;

      quarry_key_builder_init (&builder);
      status = _quarry_key_parse_value (text, &builder, &offset);
      quarry_key_builder_clear (&builder);
      if (status == QUARRY_KEY_PARSE_OK)
        {
          g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                       _("A query key must be a JSON array, not “%s”"), value_type_name (p));
          return;
        }
    }

  switch (status)
    {
    case QUARRY_KEY_PARSE_DEPTH:
      set_depth_error (error);
      return;

    case QUARRY_KEY_PARSE_NUL:
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                   _("A query key cannot hold the character U+0000"));
      return;

    default:
      description = describe_parse_error (text, status, offset);
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                   _("A query key must be valid JSON: %s"), description);
    }
}

/**
 * quarry_key_new_from_string:
 * @json: a JSON array, as text
 * @error: return location for a [error@Quarry.Error]
 *
 * Makes a key from the text of a JSON array, such as
 * `["todos", {"id": 5}]`.
 *
 * The text must be JSON as RFC 8259 defines it: no comments, no single
 * quotes, no trailing commas, nothing but white space after the array.
 * Numbers are read exactly: an integer in the 64-bit range is that
 * integer, any other number a double.
 *
 * Returns: (transfer full): a new key, or `NULL` with @error set when @json
 *   is not valid JSON or not an array, holds U+0000 or nests deeper than 128
 */
QuarryKey *
quarry_key_new_from_string (const char  *json,
                            GError     **error)
{
  QuarryKeyBuilder builder;
  QuarryKeyParseStatus status;
  gsize offset;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  quarry_key_builder_init (&builder);
  status = _quarry_key_parse (json, &builder, &offset);
  if (G_LIKELY (status == QUARRY_KEY_PARSE_OK))
    return quarry_key_builder_end (&builder);

  quarry_key_builder_clear (&builder);
  _quarry_i18n_init ();
  set_parse_error (json, status, offset, error);
  return NULL;
}

/**
 * quarry_key_new_from_variant:
 * @variant: an array or tuple
 * @error: return location for a [error@Quarry.Error]
 *
 * Makes a key from a `GVariant` array or tuple.
 *
 * Strings, object paths and signatures become JSON strings, every integer
 * type becomes a JSON number, dictionaries with string keys become JSON
 * objects, arrays and tuples become JSON arrays, variants are unwrapped and
 * an empty maybe is `null`. @variant may be floating; it is sunk.
 *
 * Returns: (transfer full): a new key, or `NULL` with @error set when
 *   @variant is not an array or tuple, holds a dictionary whose keys are
 *   not strings or nests deeper than 128
 */
QuarryKey *
quarry_key_new_from_variant (GVariant  *variant,
                             GError   **error)
{
  QuarryKeyBuilder builder;
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(GVariant) unboxed = NULL;
  GVariantClass klass;
  gsize n;

  g_return_val_if_fail (variant != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  _quarry_i18n_init ();

  owned = g_variant_ref_sink (variant);
  if (g_variant_is_of_type (owned, G_VARIANT_TYPE_VARIANT))
    unboxed = g_variant_get_variant (owned);
  else
    unboxed = g_variant_ref (owned);

  klass = g_variant_classify (unboxed);
  if (klass != G_VARIANT_CLASS_TUPLE &&
      (klass != G_VARIANT_CLASS_ARRAY ||
       g_variant_type_is_dict_entry (g_variant_type_element (g_variant_get_type (unboxed)))))
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                   _("A query key must be an array or a tuple, not “%s”"),
                   g_variant_get_type_string (unboxed));
      return NULL;
    }

  quarry_key_builder_init (&builder);
  n = g_variant_n_children (unboxed);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) element = g_variant_get_child_value (unboxed, i);

      if (!add_variant (&builder, element, error))
        {
          quarry_key_builder_clear (&builder);
          return NULL;
        }
    }

  return quarry_key_builder_end (&builder);
}

/**
 * quarry_key_new_from_strv:
 * @segments: (array zero-terminated=1): the key's elements, all UTF-8
 *   strings
 *
 * Makes a key whose elements are all strings, such as `["todos", "list"]`.
 *
 * Returns: (transfer full): a new key
 */
QuarryKey *
quarry_key_new_from_strv (const char * const *segments)
{
  QuarryKeyBuilder builder;

  g_return_val_if_fail (segments != NULL, NULL);

  quarry_key_builder_init (&builder);
  for (guint i = 0; segments[i] != NULL; i++)
    quarry_key_builder_add_string (&builder, segments[i]);

  return quarry_key_builder_end (&builder);
}

/**
 * quarry_key_ref:
 * @self: a key
 *
 * Acquires a reference on @self.
 *
 * Returns: (transfer full): @self
 */
QuarryKey *
quarry_key_ref (QuarryKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * quarry_key_unref:
 * @self: (transfer full): a key
 *
 * Releases a reference on @self, freeing it when it was the last one.
 */
void
quarry_key_unref (QuarryKey *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_clear_pointer (&self->variant, g_variant_unref);
      g_free (self->string);
      g_free (self);
    }
}

/**
 * quarry_key_hash:
 * @self: (type QuarryKey): a key
 *
 * Gets the canonical hash of @self, computed once when it was made.
 *
 * Suitable for `GHashTable` together with [method@Key.equal].
 *
 * Returns: the hash
 */
guint
quarry_key_hash (gconstpointer self)
{
  g_return_val_if_fail (self != NULL, 0);

  return ((const QuarryKey *) self)->hash;
}

/**
 * quarry_key_equal:
 * @a: (type QuarryKey): a key
 * @b: (type QuarryKey): another key
 *
 * Checks whether two keys hold equal values.
 *
 * Returns: `TRUE` when @a and @b are equal
 */
gboolean
quarry_key_equal (gconstpointer a,
                  gconstpointer b)
{
  const QuarryKey *ka = a;
  const QuarryKey *kb = b;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return ka == kb ||
         (ka->hash == kb->hash &&
          ka->size == kb->size &&
          memcmp (ka->data, kb->data, ka->size) == 0);
}

/**
 * quarry_key_matches:
 * @self: a key
 * @filter: the key to match against
 * @exact: whether @self must equal @filter
 *
 * Checks whether @self matches @filter, as TanStack Query's filters do.
 *
 * With @exact, the keys must be equal. Otherwise @filter must be a prefix of
 * @self, element by element, where an object matches when it has every
 * member of the filter's object with a matching value, and an array matches
 * when the filter's array is a prefix of it: `["todos"]` matches
 * `["todos", 1]`, and `[{"a": 1}]` matches `[{"a": 1, "b": 2}]`.
 *
 * Returns: `TRUE` if @self matches @filter
 */
gboolean
quarry_key_matches (QuarryKey *self,
                    QuarryKey *filter,
                    gboolean   exact)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (filter != NULL, FALSE);

  if (exact)
    return quarry_key_equal (self, filter);

  return _quarry_key_values_match_prefix (self->data, self->length, filter->data, filter->length);
}

/**
 * quarry_key_get_length:
 * @self: a key
 *
 * Gets the number of elements of @self.
 *
 * Returns: the length
 */
guint
quarry_key_get_length (QuarryKey *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->length;
}

/**
 * quarry_key_to_string:
 * @self: a key
 *
 * Gets the canonical JSON text of @self, with object members sorted by name
 * and no white space, such as `["todos",{"id":5,"page":1}]`.
 *
 * Equal keys have the same text. Use it for diagnostics and logs. It is
 * made on first use, then kept.
 *
 * Returns: (transfer none): the canonical text, owned by @self
 */
const char *
quarry_key_to_string (QuarryKey *self)
{
  char *string;

  g_return_val_if_fail (self != NULL, NULL);

  string = g_atomic_pointer_get (&self->string);
  if (string == NULL)
    {
      GString *out = g_string_sized_new (self->size + 16);

      _quarry_key_values_append_text (out, self->data, self->length);
      string = g_string_free (out, FALSE);
      if (!g_atomic_pointer_compare_and_exchange (&self->string, NULL, string))
        {
          g_free (string);
          string = g_atomic_pointer_get (&self->string);
        }
    }

  return string;
}

/**
 * quarry_key_to_json:
 * @self: a key
 *
 * Gets @self as a JSON array, with object members sorted by name.
 *
 * Returns: (transfer full): a new, sealed JSON array
 */
JsonNode *
quarry_key_to_json (QuarryKey *self)
{
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  node = _quarry_key_values_to_json (self->data, self->length);
  json_node_seal (node);
  return node;
}

/**
 * quarry_key_get_variant:
 * @self: a key
 *
 * Gets the canonical `GVariant` form of @self: an array of variants (`av`)
 * whose elements are strings (`s`), 64-bit integers (`x`), doubles (`d`),
 * booleans (`b`), `null` (`mv`), arrays (`av`) and objects with sorted
 * members (`a{sv}`).
 *
 * It is made on first use, then kept.
 *
 * Returns: (transfer none): the canonical value, owned by @self
 */
GVariant *
quarry_key_get_variant (QuarryKey *self)
{
  GVariant *variant;

  g_return_val_if_fail (self != NULL, NULL);

  variant = g_atomic_pointer_get (&self->variant);
  if (variant == NULL)
    {
      variant = g_variant_ref_sink (_quarry_key_values_to_variant (self->data, self->length));
      if (!g_atomic_pointer_compare_and_exchange (&self->variant, NULL, variant))
        {
          g_variant_unref (variant);
          variant = g_atomic_pointer_get (&self->variant);
        }
    }

  return variant;
}

/**
 * quarry_key_dup_segment:
 * @self: a key
 * @index: the index of an element, less than [method@Key.get_length]
 *
 * Gets one element of @self as JSON.
 *
 * Returns: (transfer full): a new, sealed JSON node
 */
JsonNode *
quarry_key_dup_segment (QuarryKey *self,
                        guint      index)
{
  const guint8 *p;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->length, NULL);

  p = self->data;
  for (guint i = 0; i < index; i++)
    p += _quarry_key_value_size (p);

  node = _quarry_key_value_to_json (p);
  json_node_seal (node);
  return node;
}
