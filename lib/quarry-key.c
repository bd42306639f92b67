/* quarry-key.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "quarry-error.h"
#include "quarry-i18n-private.h"
#include "quarry-key-private.h"

/**
 * QuarryKey:
 *
 * An immutable query key: an array of JSON values, as TanStack Query's
 * query keys.
 *
 * Keys identify cache entries. Two keys are equal when their values are
 * equal: the order of array elements matters, the order of object members
 * does not, and a number with an integral value equals the same integer
 * (`1.0` is `1`). The canonical hash is computed once, when the key is made.
 *
 * ```c
 * g_autoptr(QuarryKey) key = quarry_key_new_from_string ("[\"todos\", {\"id\": 5}]", &error);
 * ```
 *
 * A key *matches* a filter key when the filter is a prefix of it, objects
 * matching by subset: `["todos"]` matches `["todos", 1]` and
 * `["todos", {"page": 2}]`, and `[{"a": 1}]` matches `[{"a": 1, "b": 2}]`.
 * See [method@Key.matches].
 */

struct _QuarryKey
{
  gatomicrefcount ref_count;
  guint hash;
  GVariant *value;
  char *string;
};

G_DEFINE_BOXED_TYPE (QuarryKey, quarry_key, quarry_key_ref, quarry_key_unref)

#define NULL_TYPE ((const GVariantType *) "mv")

static GVariant *
new_null (void)
{
  return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
}

static GVariant *
canonical_double (double d)
{
  /* JSON cannot write NaN or infinities: like JSON.stringify() in TanStack's
   * hashKey(), they are null, so that the canonical text stays valid JSON. */
  if (!isfinite (d))
    return new_null ();
  if (d == floor (d) && d >= -9.2233720368547758e18 && d < 9.2233720368547758e18)
    return g_variant_new_int64 ((gint64) d);

  return g_variant_new_double (d);
}

static gint
compare_members (gconstpointer a,
                 gconstpointer b)
{
  const char * const *ma = a;
  const char * const *mb = b;

  return strcmp (*ma, *mb);
}

/* Builds "a{sv}" from parallel arrays of names and canonical values, sorted
 * by name. A repeated name keeps its last value. */
static GVariant *
build_object (GPtrArray *names,
              GPtrArray *values)
{
  GVariantBuilder builder;
  g_autofree guint *order = NULL;
  g_autofree const char **sorted = NULL;
  guint n = names->len;

  /* Sort indices by name, stable, so that "last wins" is well defined. */
  sorted = g_new (const char *, n * 2 + 1);
  for (guint i = 0; i < n; i++)
    {
      sorted[i * 2] = g_ptr_array_index (names, i);
      sorted[i * 2 + 1] = GUINT_TO_POINTER (i);
    }
  g_qsort_with_data (sorted, n, sizeof (const char *) * 2,
                     (GCompareDataFunc) compare_members, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < n; i++)
    {
      const char *name = sorted[i * 2];
      guint index = GPOINTER_TO_UINT (sorted[i * 2 + 1]);

      if (i + 1 < n && strcmp (name, sorted[(i + 1) * 2]) == 0)
        continue;

      g_variant_builder_add (&builder, "{sv}", name, g_ptr_array_index (values, index));
    }

  return g_variant_builder_end (&builder);
}

static GVariant *
canonical_from_json (JsonNode  *node,
                     GError   **error)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      return new_null ();

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_INT64)
          return g_variant_new_int64 (json_node_get_int (node));
        if (type == G_TYPE_DOUBLE)
          return canonical_double (json_node_get_double (node));
        if (type == G_TYPE_BOOLEAN)
          return g_variant_new_boolean (json_node_get_boolean (node));
        if (type == G_TYPE_STRING)
          return g_variant_new_string (json_node_get_string (node));

        g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                     _("A query key cannot hold a value of type “%s”"), g_type_name (type));
        return NULL;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        GVariantBuilder builder;

        g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
        for (guint i = 0; i < n; i++)
          {
            GVariant *child = canonical_from_json (json_array_get_element (array, i), error);

            if (child == NULL)
              {
                g_variant_builder_clear (&builder);
                return NULL;
              }
            g_variant_builder_add (&builder, "v", child);
          }
        return g_variant_builder_end (&builder);
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();
        g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, object);
        while (json_object_iter_next (&iter, &name, &member))
          {
            GVariant *child = canonical_from_json (member, error);

            if (child == NULL)
              return NULL;
            g_ptr_array_add (names, (gpointer) name);
            g_ptr_array_add (values, g_variant_ref_sink (child));
          }
        return build_object (names, values);
      }

    default:
      g_assert_not_reached ();
    }
}

static GVariant *
canonical_from_variant (GVariant  *variant,
                        GError   **error)
{
  const GVariantType *type = g_variant_get_type (variant);

  switch (g_variant_classify (variant))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      return g_variant_new_boolean (g_variant_get_boolean (variant));
    case G_VARIANT_CLASS_BYTE:
      return g_variant_new_int64 (g_variant_get_byte (variant));
    case G_VARIANT_CLASS_INT16:
      return g_variant_new_int64 (g_variant_get_int16 (variant));
    case G_VARIANT_CLASS_UINT16:
      return g_variant_new_int64 (g_variant_get_uint16 (variant));
    case G_VARIANT_CLASS_INT32:
      return g_variant_new_int64 (g_variant_get_int32 (variant));
    case G_VARIANT_CLASS_UINT32:
      return g_variant_new_int64 (g_variant_get_uint32 (variant));
    case G_VARIANT_CLASS_INT64:
      return g_variant_new_int64 (g_variant_get_int64 (variant));
    case G_VARIANT_CLASS_HANDLE:
      return g_variant_new_int64 (g_variant_get_handle (variant));
    case G_VARIANT_CLASS_UINT64:
      {
        guint64 u = g_variant_get_uint64 (variant);

        if (u <= G_MAXINT64)
          return g_variant_new_int64 ((gint64) u);
        return g_variant_new_double ((double) u);
      }
    case G_VARIANT_CLASS_DOUBLE:
      return canonical_double (g_variant_get_double (variant));
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      return g_variant_new_string (g_variant_get_string (variant, NULL));
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr(GVariant) inner = g_variant_get_variant (variant);
        return canonical_from_variant (inner, error);
      }
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr(GVariant) inner = g_variant_get_maybe (variant);

        if (inner == NULL)
          return new_null ();
        return canonical_from_variant (inner, error);
      }
    case G_VARIANT_CLASS_ARRAY:
      if (g_variant_type_is_dict_entry (g_variant_type_element (type)))
        {
          const GVariantType *key_type = g_variant_type_key (g_variant_type_element (type));
          g_autoptr(GPtrArray) names = g_ptr_array_new ();
          g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
          g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
          gsize n = g_variant_n_children (variant);

          if (!g_variant_type_equal (key_type, G_VARIANT_TYPE_STRING) &&
              !g_variant_type_equal (key_type, G_VARIANT_TYPE_OBJECT_PATH) &&
              !g_variant_type_equal (key_type, G_VARIANT_TYPE_SIGNATURE))
            {
              g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                           _("A query key can only hold dictionaries with string keys"));
              return NULL;
            }

          for (gsize i = 0; i < n; i++)
            {
              GVariant *entry = g_variant_get_child_value (variant, i);
              GVariant *entry_key = g_variant_get_child_value (entry, 0);
              g_autoptr(GVariant) entry_value = g_variant_get_child_value (entry, 1);
              GVariant *child;

              g_variant_unref (entry);
              g_ptr_array_add (keys, entry_key);
              child = canonical_from_variant (entry_value, error);
              if (child == NULL)
                return NULL;
              g_ptr_array_add (names, (gpointer) g_variant_get_string (entry_key, NULL));
              g_ptr_array_add (values, g_variant_ref_sink (child));
            }
          return build_object (names, values);
        }
      G_GNUC_FALLTHROUGH;
    case G_VARIANT_CLASS_TUPLE:
      {
        GVariantBuilder builder;
        gsize n = g_variant_n_children (variant);

        g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr(GVariant) element = g_variant_get_child_value (variant, i);
            GVariant *child = canonical_from_variant (element, error);

            if (child == NULL)
              {
                g_variant_builder_clear (&builder);
                return NULL;
              }
            g_variant_builder_add (&builder, "v", child);
          }
        return g_variant_builder_end (&builder);
      }
    case G_VARIANT_CLASS_DICT_ENTRY:
    default:
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                   _("A query key cannot hold a value of type “%s”"),
                   g_variant_get_type_string (variant));
      return NULL;
    }
}

static guint
hash_bytes (guint         seed,
            const guint8 *data,
            gsize         size)
{
  guint32 h = seed;

  /* FNV-1a: simple, fast, and good enough on canonical serialized data. */
  for (gsize i = 0; i < size; i++)
    {
      h ^= data[i];
      h *= 16777619u;
    }
  return h;
}

static guint
variant_hash (GVariant *value)
{
  const char *type = g_variant_get_type_string (value);
  gsize size = g_variant_get_size (value);
  guint h = hash_bytes (2166136261u, (const guint8 *) type, strlen (type));

  if (size > 0)
    h = hash_bytes (h, g_variant_get_data (value), size);
  return h;
}

static QuarryKey *
key_new_take (GVariant *canonical)
{
  QuarryKey *self = g_slice_new0 (QuarryKey);

  g_atomic_ref_count_init (&self->ref_count);
  self->value = g_variant_ref_sink (canonical);
  self->hash = variant_hash (self->value);

  return self;
}

/**
 * quarry_key_new_from_json:
 * @node: a JSON array
 * @error: return location for a [error@Quarry.Error]
 *
 * Makes a key from a JSON array.
 *
 * Returns: (transfer full): a new key, or `NULL` with @error set when @node
 *   is not an array
 */
QuarryKey *
quarry_key_new_from_json (JsonNode  *node,
                          GError   **error)
{
  GVariant *canonical;

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

  canonical = canonical_from_json (node, error);
  if (canonical == NULL)
    return NULL;

  return key_new_take (canonical);
}

/**
 * quarry_key_new_from_string:
 * @json: a JSON array, as text
 * @error: return location for a [error@Quarry.Error]
 *
 * Makes a key from the text of a JSON array, such as
 * `["todos", {"id": 5}]`.
 *
 * Returns: (transfer full): a new key, or `NULL` with @error set when @json
 *   is not valid JSON or not an array
 */
QuarryKey *
quarry_key_new_from_string (const char  *json,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  _quarry_i18n_init ();

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                   _("A query key must be valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                   _("A query key must be a JSON array, not empty text"));
      return NULL;
    }

  return quarry_key_new_from_json (root, error);
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
 *   @variant is not an array or tuple, or holds a dictionary whose keys are
 *   not strings
 */
QuarryKey *
quarry_key_new_from_variant (GVariant  *variant,
                             GError   **error)
{
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(GVariant) unboxed = NULL;
  GVariant *canonical;
  GVariantClass klass;

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

  canonical = canonical_from_variant (unboxed, error);
  if (canonical == NULL)
    return NULL;

  return key_new_take (canonical);
}

/**
 * quarry_key_new_from_strv:
 * @segments: (array zero-terminated=1): the key's elements, all strings
 *
 * Makes a key whose elements are all strings, such as `["todos", "list"]`.
 *
 * Returns: (transfer full): a new key
 */
QuarryKey *
quarry_key_new_from_strv (const char * const *segments)
{
  GVariantBuilder builder;

  g_return_val_if_fail (segments != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
  for (guint i = 0; segments[i] != NULL; i++)
    g_variant_builder_add (&builder, "v", g_variant_new_string (segments[i]));

  return key_new_take (g_variant_builder_end (&builder));
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
      g_variant_unref (self->value);
      g_free (self->string);
      g_slice_free (QuarryKey, self);
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
  gsize size;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (ka == kb)
    return TRUE;
  if (ka->hash != kb->hash)
    return FALSE;

  size = g_variant_get_size (ka->value);
  if (size != g_variant_get_size (kb->value))
    return FALSE;

  return size == 0 || memcmp (g_variant_get_data (ka->value), g_variant_get_data (kb->value), size) == 0;
}

gboolean
_quarry_segment_is_container (GVariant *segment)
{
  return g_variant_is_of_type (segment, G_VARIANT_TYPE ("av")) ||
         g_variant_is_of_type (segment, G_VARIANT_TYPE_VARDICT);
}

gboolean
_quarry_segment_matches (GVariant *value,
                         GVariant *filter)
{
  if (!g_variant_type_equal (g_variant_get_type (value), g_variant_get_type (filter)))
    return FALSE;

  if (g_variant_is_of_type (filter, G_VARIANT_TYPE ("av")))
    {
      gsize n_filter = g_variant_n_children (filter);

      if (n_filter > g_variant_n_children (value))
        return FALSE;

      for (gsize i = 0; i < n_filter; i++)
        {
          g_autoptr(GVariant) boxed_f = g_variant_get_child_value (filter, i);
          g_autoptr(GVariant) boxed_v = g_variant_get_child_value (value, i);
          g_autoptr(GVariant) f = g_variant_get_variant (boxed_f);
          g_autoptr(GVariant) v = g_variant_get_variant (boxed_v);

          if (!_quarry_segment_matches (v, f))
            return FALSE;
        }
      return TRUE;
    }

  if (g_variant_is_of_type (filter, G_VARIANT_TYPE_VARDICT))
    {
      GVariantIter iter;
      const char *name;
      GVariant *f;

      g_variant_iter_init (&iter, filter);
      while (g_variant_iter_loop (&iter, "{&sv}", &name, &f))
        {
          g_autoptr(GVariant) v = g_variant_lookup_value (value, name, NULL);

          if (v == NULL || !_quarry_segment_matches (v, f))
            {
              g_variant_unref (f);
              return FALSE;
            }
        }
      return TRUE;
    }

  return g_variant_equal (value, filter);
}

guint
_quarry_segment_hash (gconstpointer segment)
{
  return variant_hash ((GVariant *) segment);
}

gboolean
_quarry_segment_equal (gconstpointer a,
                       gconstpointer b)
{
  return g_variant_equal (a, b);
}

GVariant *
_quarry_key_dup_segment (QuarryKey *self,
                         guint      index)
{
  g_autoptr(GVariant) boxed = g_variant_get_child_value (self->value, index);

  return g_variant_get_variant (boxed);
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

  return _quarry_segment_matches (self->value, filter->value);
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

  return g_variant_n_children (self->value);
}

static void
append_json_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_canonical (GString  *out,
                  GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE ("av")))
    {
      gsize n = g_variant_n_children (value);

      g_string_append_c (out, '[');
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) boxed = g_variant_get_child_value (value, i);
          g_autoptr(GVariant) child = g_variant_get_variant (boxed);

          if (i > 0)
            g_string_append_c (out, ',');
          append_canonical (out, child);
        }
      g_string_append_c (out, ']');
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    {
      GVariantIter iter;
      const char *name;
      GVariant *child;
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      g_variant_iter_init (&iter, value);
      while (g_variant_iter_loop (&iter, "{&sv}", &name, &child))
        {
          if (!first)
            g_string_append_c (out, ',');
          first = FALSE;
          append_json_string (out, name);
          g_string_append_c (out, ':');
          append_canonical (out, child);
        }
      g_string_append_c (out, '}');
    }
  else if (g_variant_is_of_type (value, NULL_TYPE))
    g_string_append (out, "null");
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    append_json_string (out, g_variant_get_string (value, NULL));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append (out, g_ascii_dtostr (buf, sizeof buf, g_variant_get_double (value)));
    }
  else
    g_assert_not_reached ();
}

/**
 * quarry_key_to_string:
 * @self: a key
 *
 * Gets the canonical JSON text of @self, with object members sorted by name
 * and no white space, such as `["todos",{"id":5,"page":1}]`.
 *
 * Equal keys have the same text. Use it for diagnostics and logs.
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
      GString *out = g_string_new (NULL);

      append_canonical (out, self->value);
      string = g_string_free (out, FALSE);
      if (!g_atomic_pointer_compare_and_exchange (&self->string, NULL, string))
        {
          g_free (string);
          string = g_atomic_pointer_get (&self->string);
        }
    }

  return string;
}

static JsonNode *
canonical_to_json (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE ("av")))
    {
      g_autoptr(JsonArray) array = json_array_new ();
      gsize n = g_variant_n_children (value);

      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) boxed = g_variant_get_child_value (value, i);
          g_autoptr(GVariant) child = g_variant_get_variant (boxed);

          json_array_add_element (array, canonical_to_json (child));
        }
      /* json_node_init_array() takes its own reference. */
      return json_node_init_array (json_node_alloc (), array);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    {
      g_autoptr(JsonObject) object = json_object_new ();
      GVariantIter iter;
      const char *name;
      GVariant *child;

      g_variant_iter_init (&iter, value);
      while (g_variant_iter_loop (&iter, "{&sv}", &name, &child))
        json_object_set_member (object, name, canonical_to_json (child));
      return json_node_init_object (json_node_alloc (), object);
    }
  else if (g_variant_is_of_type (value, NULL_TYPE))
    return json_node_init_null (json_node_alloc ());
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return json_node_init_string (json_node_alloc (), g_variant_get_string (value, NULL));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return json_node_init_int (json_node_alloc (), g_variant_get_int64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return json_node_init_boolean (json_node_alloc (), g_variant_get_boolean (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return json_node_init_double (json_node_alloc (), g_variant_get_double (value));

  g_assert_not_reached ();
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

  node = canonical_to_json (self->value);
  json_node_seal (node);
  return node;
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
  g_autoptr(GVariant) segment = NULL;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < g_variant_n_children (self->value), NULL);

  segment = _quarry_key_dup_segment (self, index);
  node = canonical_to_json (segment);
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
 * Returns: (transfer none): the canonical value, owned by @self
 */
GVariant *
quarry_key_get_variant (QuarryKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->value;
}
