/* quarry-value.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "quarry-error.h"
#include "quarry-i18n-private.h"
#include "quarry-infinite-data.h"
#include "quarry-value-private.h"

/* Equality of cached data: structural for JSON, GVariant, infinite data,
 * strings and fundamental types, identity for objects and other boxed types. Setting
 * data equal to the current data changes and notifies nothing. */
gboolean
_quarry_value_equal (const GValue *a,
                     const GValue *b)
{
  GType type;

  if (!_quarry_value_is_set (a) || !_quarry_value_is_set (b))
    return _quarry_value_is_set (a) == _quarry_value_is_set (b);

  type = G_VALUE_TYPE (a);
  if (type != G_VALUE_TYPE (b))
    return FALSE;

  if (type == JSON_TYPE_NODE)
    {
      JsonNode *na = g_value_get_boxed (a);
      JsonNode *nb = g_value_get_boxed (b);

      if (na == NULL || nb == NULL)
        return na == nb;
      if (na == nb)
        return TRUE;
      /* Sealed nodes keep their hash: different hashes are different data,
       * found without walking a large tree on the main thread. */
      if (json_node_is_immutable (na) && json_node_is_immutable (nb) &&
          json_node_hash (na) != json_node_hash (nb))
        return FALSE;
      return json_node_equal (na, nb);
    }

  if (type == QUARRY_TYPE_INFINITE_DATA)
    {
      QuarryInfiniteData *da = g_value_get_boxed (a);
      QuarryInfiniteData *db = g_value_get_boxed (b);

      if (da == NULL || db == NULL)
        return da == db;
      return quarry_infinite_data_equal (da, db);
    }

  if (type == G_TYPE_VARIANT)
    {
      GVariant *va = g_value_get_variant (a);
      GVariant *vb = g_value_get_variant (b);

      if (va == NULL || vb == NULL)
        return va == vb;
      return va == vb || g_variant_equal (va, vb);
    }

  if (type == G_TYPE_STRV)
    {
      const char * const *sa = g_value_get_boxed (a);
      const char * const *sb = g_value_get_boxed (b);

      if (sa == NULL || sb == NULL)
        return sa == sb;
      return g_strv_equal (sa, sb);
    }

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING:
      return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    case G_TYPE_BOOLEAN:
      return !g_value_get_boolean (a) == !g_value_get_boolean (b);
    case G_TYPE_CHAR:
      return g_value_get_schar (a) == g_value_get_schar (b);
    case G_TYPE_UCHAR:
      return g_value_get_uchar (a) == g_value_get_uchar (b);
    case G_TYPE_INT:
      return g_value_get_int (a) == g_value_get_int (b);
    case G_TYPE_UINT:
      return g_value_get_uint (a) == g_value_get_uint (b);
    case G_TYPE_LONG:
      return g_value_get_long (a) == g_value_get_long (b);
    case G_TYPE_ULONG:
      return g_value_get_ulong (a) == g_value_get_ulong (b);
    case G_TYPE_INT64:
      return g_value_get_int64 (a) == g_value_get_int64 (b);
    case G_TYPE_UINT64:
      return g_value_get_uint64 (a) == g_value_get_uint64 (b);
    case G_TYPE_FLOAT:
      return g_value_get_float (a) == g_value_get_float (b);
    case G_TYPE_DOUBLE:
      return g_value_get_double (a) == g_value_get_double (b);
    case G_TYPE_ENUM:
      return g_value_get_enum (a) == g_value_get_enum (b);
    case G_TYPE_FLAGS:
      return g_value_get_flags (a) == g_value_get_flags (b);
    default:
      if (!g_value_fits_pointer (a))
        return FALSE;
      return g_value_peek_pointer (a) == g_value_peek_pointer (b);
    }
}

/* Checks that a value can be cached: it must be set, and not an opaque
 * Python object that C cannot read. */
gboolean
_quarry_value_validate (const GValue  *value,
                        GError       **error)
{
  if (!_quarry_value_is_set (value))
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_NO_RESULT,
                   _("The fetch function completed without a value"));
      return FALSE;
    }

  if (g_strcmp0 (g_type_name (G_VALUE_TYPE (value)), "PyObject") == 0)
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                   _("Cannot store an opaque Python object; pass JSON, a GVariant, "
                     "a string, a number or a GObject"));
      return FALSE;
    }

  return TRUE;
}

/* Copies @src into the unset @dest. JSON nodes are sealed so that nobody can
 * change cached data behind the cache's back; a sealed node is shared, not
 * copied, so the same data keeps the same pointer (and compares at once). */
void
_quarry_value_store (GValue       *dest,
                     const GValue *src)
{
  g_value_init (dest, G_VALUE_TYPE (src));

  if (G_VALUE_HOLDS (src, JSON_TYPE_NODE) && g_value_get_boxed (src) != NULL &&
      json_node_is_immutable (g_value_get_boxed (src)))
    {
      g_value_take_boxed (dest, json_node_ref (g_value_get_boxed (src)));
      return;
    }

  g_value_copy (src, dest);

  if (G_VALUE_HOLDS (dest, JSON_TYPE_NODE))
    {
      JsonNode *node = g_value_get_boxed (dest);

      if (node != NULL && !json_node_is_immutable (node))
        json_node_seal (node);
    }
}

/* Stores @src into the unset @dest as _quarry_value_store () does, but a
 * JSON node that is not sealed yet is sealed as it is and shared, not copied:
 * for data handed over to the cache, whose documentation says that the node
 * must not be changed afterwards. The shallow copy _quarry_value_store ()
 * makes shares (and seals) the node's contents anyway; adopting saves the
 * copy. */
void
_quarry_value_adopt (GValue       *dest,
                     const GValue *src)
{
  JsonNode *node;

  if (G_VALUE_TYPE (src) != JSON_TYPE_NODE || (node = g_value_get_boxed (src)) == NULL)
    {
      _quarry_value_store (dest, src);
      return;
    }

  if (!json_node_is_immutable (node))
    json_node_seal (node);
  g_value_init (dest, JSON_TYPE_NODE);
  g_value_take_boxed (dest, json_node_ref (node));
}

GValue *
_quarry_value_dup (const GValue *value)
{
  GValue *copy = g_new0 (GValue, 1);

  if (_quarry_value_is_set (value))
    _quarry_value_store (copy, value);
  return copy;
}

void
_quarry_value_free (GValue *value)
{
  if (value == NULL)
    return;
  if (_quarry_value_is_set (value))
    g_value_unset (value);
  g_free (value);
}
