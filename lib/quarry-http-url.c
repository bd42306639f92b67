/* quarry-http-url.c: filling a path template from a key or variables
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-error.h"
#include "quarry-http-url-private.h"
#include "quarry-i18n-private.h"

/* How a value looks in a URL: a string as it is, any other scalar as its
 * JSON text. Containers are JSON text too, but only a query string takes
 * them. */
static char *
scalar_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

/*
 * _quarry_http_value_to_json:
 * @value: (nullable): a value of a type JSON can hold
 *
 * JSON as it is, a GObject through json-glib's GObject serialization, a
 * GVariant through its JSON form, a string, a number or a boolean as a JSON
 * scalar.
 *
 * Returns: (transfer full) (nullable): the JSON, or NULL for an unset value
 *   or one of another type
 */
JsonNode *
_quarry_http_value_to_json (const GValue *value)
{
  JsonNode *node;

  if (value == NULL || !G_IS_VALUE (value))
    return NULL;

  if (G_VALUE_HOLDS (value, JSON_TYPE_NODE))
    {
      node = g_value_get_boxed (value);
      return node != NULL ? json_node_ref (node) : NULL;
    }

  if (G_VALUE_HOLDS_OBJECT (value))
    {
      GObject *object = g_value_get_object (value);

      return object != NULL ? json_gobject_serialize (object) : NULL;
    }

  if (G_VALUE_HOLDS_VARIANT (value))
    {
      GVariant *variant = g_value_get_variant (value);

      return variant != NULL ? json_gvariant_serialize (variant) : NULL;
    }

  node = json_node_alloc ();
  if (G_VALUE_HOLDS_BOOLEAN (value))
    json_node_init_boolean (node, g_value_get_boolean (value));
  else if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) == NULL)
    json_node_init_null (node);
  else if (G_VALUE_HOLDS_STRING (value))
    json_node_init_string (node, g_value_get_string (value));
  else if (G_VALUE_HOLDS_DOUBLE (value) || G_VALUE_HOLDS_FLOAT (value))
    json_node_init_double (node, G_VALUE_HOLDS_DOUBLE (value) ? g_value_get_double (value)
                                                              : g_value_get_float (value));
  else if (g_value_type_transformable (G_VALUE_TYPE (value), G_TYPE_INT64))
    {
      g_auto(GValue) n = G_VALUE_INIT;

      g_value_init (&n, G_TYPE_INT64);
      g_value_transform (value, &n);
      json_node_init_int (node, g_value_get_int64 (&n));
    }
  else
    {
      json_node_unref (node);
      return NULL;
    }
  return node;
}

/* The value of {name}, or NULL. */
static JsonNode *
lookup (const QuarryHttpUrlSource *source,
        const char                *name)
{
  JsonArray *key;
  char *end;
  guint64 index;

  if (g_str_equal (name, "pageParam"))
    return _quarry_http_value_to_json (source->page_param);

  if (source->variables != NULL && json_object_has_member (source->variables, name))
    return json_node_ref (json_object_get_member (source->variables, name));

  if (source->key == NULL || !JSON_NODE_HOLDS_ARRAY (source->key))
    return NULL;
  key = json_node_get_array (source->key);

  index = g_ascii_strtoull (name, &end, 10);
  if (*name != '\0' && *end == '\0')
    return index < json_array_get_length (key) ? json_array_dup_element (key, index) : NULL;

  /* Later objects of the key win. */
  for (guint i = json_array_get_length (key); i > 0; i--)
    {
      JsonNode *element = json_array_get_element (key, i - 1);

      if (JSON_NODE_HOLDS_OBJECT (element) &&
          json_object_has_member (json_node_get_object (element), name))
        return json_object_dup_member (json_node_get_object (element), name);
    }
  return NULL;
}

typedef enum
{
  EXPAND_OK,
  EXPAND_MISSING,
  EXPAND_ERROR,
} ExpandResult;

/* Appends @text with its {placeholders} filled and percent-encoded. In a
 * path a missing value is an error; in a query pair it drops the pair. */
static ExpandResult
expand (GString                   *out,
        const char                *text,
        gsize                      length,
        const QuarryHttpUrlSource *source,
        const char                *path_template,
        gboolean                   in_query,
        GHashTable                *used,
        GError                   **error)
{
  const char *p = text;
  const char *end = text + length;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  while (p < end)
    {
      const char *open = memchr (p, '{', end - p);
      const char *close;
      g_autofree char *name = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *value = NULL;
      g_autofree char *escaped = NULL;

      if (open == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, open - p);

      close = memchr (open, '}', end - open);
      if (close == NULL)
        {
          g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_REQUEST,
                       _("The path template “%s” has an unclosed “{”"), path_template);
          return EXPAND_ERROR;
        }

      name = g_strndup (open + 1, close - open - 1);
      node = lookup (source, name);
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          if (in_query)
            return EXPAND_MISSING;
          g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_REQUEST,
                       _("The path template “%s” needs a value for “%s”, which the query has not"),
                       path_template, name);
          return EXPAND_ERROR;
        }
      if (!in_query && !JSON_NODE_HOLDS_VALUE (node))
        {
          g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_REQUEST,
                       _("The value of “%s” in the path template “%s” is not a string, a number or a boolean"),
                       name, path_template);
          return EXPAND_ERROR;
        }

      value = scalar_text (node);
      escaped = g_uri_escape_string (value, NULL, FALSE);
      g_string_append (out, escaped);
      g_ptr_array_add (names, g_steal_pointer (&name));
      p = close + 1;
    }

  /* Only a part that is kept uses its values. */
  for (guint i = 0; i < names->len; i++)
    g_hash_table_add (used, g_strdup (g_ptr_array_index (names, i)));
  return EXPAND_OK;
}

static void
append_param (GString    *url,
              gboolean   *first,
              const char *name,
              JsonNode   *node)
{
  g_autofree char *escaped_name = NULL;

  if (JSON_NODE_HOLDS_NULL (node))
    return;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        append_param (url, first, name, json_array_get_element (array, i));
      return;
    }

  {
    g_autofree char *value = scalar_text (node);
    g_autofree char *escaped_value = g_uri_escape_string (value, NULL, FALSE);

    escaped_name = g_uri_escape_string (name, NULL, FALSE);
    g_string_append_c (url, *first ? '?' : '&');
    g_string_append_printf (url, "%s=%s", escaped_name, escaped_value);
    *first = FALSE;
  }
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* The members that the template did not use, by name: the variables', or
 * a query's key objects' (a later object wins). */
JsonObject *
_quarry_http_leftovers (const QuarryHttpUrlSource *source,
                        GHashTable                *used)
{
  JsonObject *rest = json_object_new ();

  if (source->variables != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, source->variables);
      while (json_object_iter_next (&iter, &name, &member))
        if (!g_hash_table_contains (used, name))
          json_object_set_member (rest, name, json_node_ref (member));
      return rest;
    }

  /* A mutation's key names the mutation; it is not a request's parameters. */
  if (!source->mutation && source->key != NULL && JSON_NODE_HOLDS_ARRAY (source->key))
    {
      JsonArray *key = json_node_get_array (source->key);

      for (guint i = 0; i < json_array_get_length (key); i++)
        {
          JsonNode *element = json_array_get_element (key, i);
          JsonObjectIter iter;
          const char *name;
          JsonNode *member;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          json_object_iter_init (&iter, json_node_get_object (element));
          while (json_object_iter_next (&iter, &name, &member))
            if (!g_hash_table_contains (used, name))
              json_object_set_member (rest, name, json_node_ref (member));
        }
    }
  return rest;
}

/*
 * _quarry_http_build_url:
 * @base_uri: (nullable): what a relative template is appended to
 * @path_template: "/todos/{id}", possibly with its own query part
 * @source: where the values come from
 * @leftovers_in_query: whether the members the path did not use go into the
 *   query string, sorted by name
 * @used: (out) (optional): the names the template used
 *
 * Returns: the URL, or NULL with @error set
 */
char *
_quarry_http_build_url (const char                 *base_uri,
                        const char                 *path_template,
                        const QuarryHttpUrlSource  *source,
                        gboolean                    leftovers_in_query,
                        GHashTable                **used,
                        GError                    **error)
{
  g_autoptr(GString) url = g_string_new (NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *query = strchr (path_template, '?');
  gsize path_length = query != NULL ? (gsize) (query - path_template) : strlen (path_template);
  gboolean first = TRUE;

  if (!g_str_has_prefix (path_template, "http://") &&
      !g_str_has_prefix (path_template, "https://") &&
      base_uri != NULL)
    {
      gsize base_length = strlen (base_uri);

      while (base_length > 0 && base_uri[base_length - 1] == '/')
        base_length--;
      g_string_append_len (url, base_uri, base_length);
      if (path_template[0] != '/')
        g_string_append_c (url, '/');
    }

  if (expand (url, path_template, path_length, source, path_template, FALSE, names, error) != EXPAND_OK)
    return NULL;

  /* The template's own query pairs; one without a value is left out. */
  if (query != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (query + 1, "&", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          gsize mark = url->len;
          ExpandResult result;

          if (pairs[i][0] == '\0')
            continue;
          g_string_append_c (url, first ? '?' : '&');
          result = expand (url, pairs[i], strlen (pairs[i]), source, path_template, TRUE, names, error);
          if (result == EXPAND_ERROR)
            return NULL;
          if (result == EXPAND_MISSING)
            g_string_truncate (url, mark);
          else
            first = FALSE;
        }
    }

  if (leftovers_in_query)
    {
      g_autoptr(JsonObject) rest = _quarry_http_leftovers (source, names);
      g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, rest);
      while (json_object_iter_next (&iter, &name, &member))
        g_ptr_array_add (sorted, (gpointer) name);
      g_ptr_array_sort (sorted, compare_names);

      for (guint i = 0; i < sorted->len; i++)
        {
          name = g_ptr_array_index (sorted, i);
          append_param (url, &first, name, json_object_get_member (rest, name));
        }
    }

  if (used != NULL)
    *used = g_steal_pointer (&names);

  return g_string_free (g_steal_pointer (&url), FALSE);
}
