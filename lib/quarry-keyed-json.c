/* quarry-keyed-json.c: JSON comparisons and JSON → GValue conversion for
 * the keyed list model and its items.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "quarry-keyed-json-private.h"

static gboolean
values_equal (JsonNode *a,
              JsonNode *b)
{
  GType type = json_node_get_value_type (a);

  /* json-glib compares an integer and a double by value. */
  if (type != json_node_get_value_type (b))
    return json_node_equal (a, b);

  switch (type)
    {
    case G_TYPE_INT64:
      return json_node_get_int (a) == json_node_get_int (b);
    case G_TYPE_BOOLEAN:
      return !json_node_get_boolean (a) == !json_node_get_boolean (b);
    case G_TYPE_STRING:
      return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
    case G_TYPE_DOUBLE:
      return json_node_get_double (a) == json_node_get_double (b);
    default:
      return json_node_equal (a, b);
    }
}

/* Objects built alike (a parser fed the same member names in the same
 * order) keep their members in the same hash table layout, so iterating
 * both side by side pairs equal names without a lookup. When the names
 * stop lining up, the rest is looked up by name. */
static gboolean
objects_equal (JsonObject *a,
               JsonObject *b)
{
  JsonObjectIter iter_a, iter_b;
  const char *name_a, *name_b;
  JsonNode *member_a, *member_b;
  gboolean side_by_side = TRUE;

  if (a == b)
    return TRUE;
  if (json_object_get_size (a) != json_object_get_size (b))
    return FALSE;

  json_object_iter_init (&iter_a, a);
  json_object_iter_init (&iter_b, b);
  while (json_object_iter_next (&iter_a, &name_a, &member_a))
    {
      if (side_by_side)
        {
          if (!json_object_iter_next (&iter_b, &name_b, &member_b))
            return FALSE;
          side_by_side = strcmp (name_a, name_b) == 0;
        }
      if (!side_by_side)
        member_b = json_object_get_member (b, name_a);
      if (!_quarry_keyed_json_equal (member_a, member_b))
        return FALSE;
    }

  return TRUE;
}

static gboolean
arrays_equal (JsonArray *a,
              JsonArray *b)
{
  guint length = json_array_get_length (a);

  if (a == b)
    return TRUE;
  if (length != json_array_get_length (b))
    return FALSE;

  for (guint i = 0; i < length; i++)
    if (!_quarry_keyed_json_equal (json_array_get_element (a, i), json_array_get_element (b, i)))
      return FALSE;

  return TRUE;
}

gboolean
_quarry_keyed_json_equal (JsonNode *a,
                          JsonNode *b)
{
  JsonNodeType type;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  type = json_node_get_node_type (a);
  if (type != json_node_get_node_type (b))
    return FALSE;

  switch (type)
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_VALUE:
      return values_equal (a, b);

    case JSON_NODE_OBJECT:
    case JSON_NODE_ARRAY:
      /* Sealed containers keep a hash of their contents: different hashes
       * are different contents, found without walking them. */
      if (json_node_is_immutable (a) && json_node_is_immutable (b) &&
          json_node_hash (a) != json_node_hash (b))
        return FALSE;
      if (type == JSON_NODE_OBJECT)
        return objects_equal (json_node_get_object (a), json_node_get_object (b));
      return arrays_equal (json_node_get_array (a), json_node_get_array (b));

    default:
      g_assert_not_reached ();
    }
}

guint
_quarry_keyed_json_diff_members (JsonNode             *old_node,
                                 JsonNode             *new_node,
                                 QuarryMemberDiffFunc  func,
                                 gpointer              user_data)
{
  JsonObject *old_object = NULL, *new_object = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  guint n_changed = 0;

  if (old_node != NULL && JSON_NODE_HOLDS_OBJECT (old_node))
    old_object = json_node_get_object (old_node);
  if (new_node != NULL && JSON_NODE_HOLDS_OBJECT (new_node))
    new_object = json_node_get_object (new_node);
  if (old_object == new_object)
    return 0;

  if (old_object != NULL)
    {
      json_object_iter_init_ordered (&iter, old_object);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          if (new_object == NULL || !json_object_has_member (new_object, name))
            {
              func (name, member, NULL, user_data);
              n_changed++;
            }
        }
    }

  if (new_object != NULL)
    {
      json_object_iter_init_ordered (&iter, new_object);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          JsonNode *old_member = old_object ? json_object_get_member (old_object, name) : NULL;

          if (!_quarry_keyed_json_equal (old_member, member))
            {
              func (name, old_member, member, user_data);
              n_changed++;
            }
        }
    }

  return n_changed;
}

/* JSON → GValue */

static gboolean
json_integer (JsonNode *node,
              gint64   *out)
{
  GType type;

  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* The range first: casting a double that does not fit (2^63 itself
       * included, or NaN) is undefined. */
      if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
        return FALSE;
      if (d != (double) (gint64) d)
        return FALSE;
      *out = (gint64) d;
      return TRUE;
    }
  return FALSE;
}

static gboolean
json_number (JsonNode *node,
             double   *out)
{
  GType type;

  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

static const char *
json_string (JsonNode *node)
{
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Sets an integer of any width, clamped to the property's range by
 * g_param_value_validate() afterwards. */
static gboolean
set_integer (GValue   *value,
             JsonNode *node)
{
  gint64 v;

  if (!json_integer (node, &v))
    return FALSE;

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_CHAR:
      g_value_set_schar (value, (gint8) CLAMP (v, G_MININT8, G_MAXINT8));
      break;
    case G_TYPE_UCHAR:
      g_value_set_uchar (value, (guint8) CLAMP (v, 0, G_MAXUINT8));
      break;
    case G_TYPE_INT:
      g_value_set_int (value, (gint) CLAMP (v, G_MININT, G_MAXINT));
      break;
    case G_TYPE_UINT:
      g_value_set_uint (value, (guint) CLAMP (v, 0, (gint64) G_MAXUINT));
      break;
    case G_TYPE_LONG:
      g_value_set_long (value, (glong) CLAMP (v, G_MINLONG, G_MAXLONG));
      break;
    case G_TYPE_ULONG:
      g_value_set_ulong (value, (gulong) MAX (v, 0));
      break;
    case G_TYPE_INT64:
      g_value_set_int64 (value, v);
      break;
    case G_TYPE_UINT64:
      g_value_set_uint64 (value, (guint64) MAX (v, 0));
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static gboolean
set_enum (GValue   *value,
          JsonNode *node)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (G_VALUE_TYPE (value));
  const char *text = json_string (node);
  GEnumValue *found = NULL;
  gint64 v;

  if (text != NULL)
    {
      found = g_enum_get_value_by_nick (klass, text);
      if (found == NULL)
        found = g_enum_get_value_by_name (klass, text);
    }
  else if (json_integer (node, &v) && v >= G_MININT && v <= G_MAXINT)
    found = g_enum_get_value (klass, (gint) v);

  if (found == NULL)
    return FALSE;
  g_value_set_enum (value, found->value);
  return TRUE;
}

static gboolean
flag_by_name (GFlagsClass *klass,
              const char  *text,
              guint       *flags)
{
  g_autofree char *name = g_strstrip (g_strdup (text));
  GFlagsValue *found;

  if (*name == '\0')
    return TRUE;
  found = g_flags_get_value_by_nick (klass, name);
  if (found == NULL)
    found = g_flags_get_value_by_name (klass, name);
  if (found == NULL)
    return FALSE;
  *flags |= found->value;
  return TRUE;
}

static gboolean
set_flags (GValue   *value,
           JsonNode *node)
{
  g_autoptr(GFlagsClass) klass = g_type_class_ref (G_VALUE_TYPE (value));
  const char *text = json_string (node);
  guint flags = 0;
  gint64 v;

  if (text != NULL)
    {
      g_auto(GStrv) names = g_strsplit_set (text, "|,", -1);

      for (guint i = 0; names[i] != NULL; i++)
        if (!flag_by_name (klass, names[i], &flags))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *name = json_string (json_array_get_element (array, i));

          if (name == NULL || !flag_by_name (klass, name, &flags))
            return FALSE;
        }
    }
  else if (json_integer (node, &v) && v >= 0 && v <= G_MAXUINT)
    {
      if ((v & ~(gint64) klass->mask) != 0)
        return FALSE;
      flags = (guint) v;
    }
  else
    return FALSE;

  g_value_set_flags (value, flags);
  return TRUE;
}

static gboolean
set_strv (GValue   *value,
          JsonNode *node)
{
  JsonArray *array;
  GStrv strv;
  guint length;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  array = json_node_get_array (node);
  length = json_array_get_length (array);
  strv = g_new0 (char *, length + 1);
  for (guint i = 0; i < length; i++)
    {
      const char *text = json_string (json_array_get_element (array, i));

      if (text == NULL)
        {
          g_strfreev (strv);
          return FALSE;
        }
      strv[i] = g_strdup (text);
    }
  g_value_take_boxed (value, strv);
  return TRUE;
}

static gboolean
set_boxed (GValue   *value,
           JsonNode *node)
{
  GType type = G_VALUE_TYPE (value);

  if (type == JSON_TYPE_NODE)
    g_value_set_boxed (value, node);
  else if (type == JSON_TYPE_OBJECT && JSON_NODE_HOLDS_OBJECT (node))
    g_value_set_boxed (value, json_node_get_object (node));
  else if (type == JSON_TYPE_ARRAY && JSON_NODE_HOLDS_ARRAY (node))
    g_value_set_boxed (value, json_node_get_array (node));
  else if (type == G_TYPE_STRV)
    return set_strv (value, node);
  else if (type == G_TYPE_DATE_TIME && json_string (node) != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      GDateTime *date_time = g_date_time_new_from_iso8601 (json_string (node), utc);

      if (date_time == NULL)
        return FALSE;
      g_value_take_boxed (value, date_time);
    }
  else
    return FALSE;
  return TRUE;
}

static gboolean
set_variant (GParamSpec *pspec,
             GValue     *value,
             JsonNode   *node)
{
  const GVariantType *type = G_PARAM_SPEC_VARIANT (pspec)->type;
  g_autofree char *signature = NULL;
  GVariant *variant;

  if (type != NULL && g_variant_type_is_definite (type))
    signature = g_variant_type_dup_string (type);

  variant = json_gvariant_deserialize (node, signature, NULL);
  if (variant == NULL)
    return FALSE;
  if (type != NULL && !g_variant_is_of_type (variant, type))
    {
      g_variant_unref (g_variant_ref_sink (variant));
      return FALSE;
    }
  g_value_take_variant (value, g_variant_ref_sink (variant));
  return TRUE;
}

static gboolean
set_object (GValue   *value,
            JsonNode *node)
{
  GType type = G_VALUE_TYPE (value);
  GObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node) || G_TYPE_IS_ABSTRACT (type))
    return FALSE;

  object = json_gobject_deserialize (type, node);
  if (object == NULL)
    return FALSE;
  g_value_take_object (value, object);
  return TRUE;
}

gboolean
_quarry_keyed_json_to_value (GParamSpec *pspec,
                             JsonNode   *node,
                             GValue     *value)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  gboolean ok = FALSE;
  double d;

  g_value_init (value, type);

  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_param_value_set_default (pspec, value);
      return TRUE;
    }

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING:
      if (json_string (node) != NULL)
        {
          g_value_set_string (value, json_string (node));
          ok = TRUE;
        }
      break;

    case G_TYPE_BOOLEAN:
      if (JSON_NODE_TYPE (node) == JSON_NODE_VALUE &&
          json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        {
          g_value_set_boolean (value, json_node_get_boolean (node));
          ok = TRUE;
        }
      break;

    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
      ok = set_integer (value, node);
      break;

    case G_TYPE_FLOAT:
      /* Clamped to the range of a float before the cast, which is
       * undefined outside it; then to the property's range below. */
      if ((ok = json_number (node, &d)))
        g_value_set_float (value, (float) CLAMP (d, -G_MAXFLOAT, G_MAXFLOAT));
      break;

    case G_TYPE_DOUBLE:
      if ((ok = json_number (node, &d)))
        g_value_set_double (value, d);
      break;

    case G_TYPE_ENUM:
      ok = set_enum (value, node);
      break;

    case G_TYPE_FLAGS:
      ok = set_flags (value, node);
      break;

    case G_TYPE_BOXED:
      ok = set_boxed (value, node);
      break;

    case G_TYPE_VARIANT:
      ok = set_variant (pspec, value, node);
      break;

    case G_TYPE_OBJECT:
      ok = set_object (value, node);
      break;

    default:
      break;
    }

  if (!ok)
    {
      g_value_unset (value);
      return FALSE;
    }

  /* Numbers out of the property's range are clamped to it. */
  g_param_value_validate (pspec, value);
  return TRUE;
}
