/* quarry-todo-json.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "quarry-todo-json.h"

/*
 * json-glib 1.6 reads more than JSON, and some JSON wrongly. What it would
 * let through and the server must not:
 *
 * - deep nesting: its parser recurses once per level, so a 1 MiB body of
 *   "[[[[…" overflows the stack and crashes the server;
 * - `\u0000` in a string: the string is silently cut there;
 * - a lone surrogate escape (`"\ud800"`): it becomes bytes that are not
 *   UTF-8, which every later answer (and the saved file) would carry;
 * - comments and single-quoted strings, which are not JSON;
 * - control characters in a string, which JSON requires escaped.
 *
 * quarry_todo_json_parse() checks the text for the first (and the syntax
 * the others need to be found reliably) before json-glib sees it, and
 * every string and member name of the result for the third. Its messages
 * are English: they end up in API answers.
 */

/* Checks the lexical structure json-glib is lax about. A text that passes
 * may still be invalid JSON: the parser decides that. */
static gboolean
check_text (const char  *data,
            gsize        length,
            GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) data[i];

      if (in_string)
        {
          if (c == '"')
            {
              in_string = FALSE;
            }
          else if (c < 0x20)
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   "a string holds a control character; JSON needs it escaped");
              return FALSE;
            }
          else if (c == '\\')
            {
              if (i + 5 < length && data[i + 1] == 'u' && strncmp (data + i + 2, "0000", 4) == 0)
                {
                  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                       "a string holds \\u0000, a NUL character, which text here cannot");
                  return FALSE;
                }
              /* The escaped character cannot end the string. */
              i++;
            }
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > QUARRY_TODO_JSON_MAX_DEPTH)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "arrays and objects nest more than %d deep", QUARRY_TODO_JSON_MAX_DEPTH);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;

        case '\'':
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "single quotes are not JSON: strings take double quotes");
          return FALSE;

        case '/':
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "comments are not JSON");
          return FALSE;

        default:
          break;
        }
    }

  return TRUE;
}

/* Whether every string and member name under @root is UTF-8. Iterative:
 * the depth is bounded, but a wide document need not cost stack. */
static gboolean
is_utf8 (JsonNode *root)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();

  g_ptr_array_add (pending, root);
  while (pending->len > 0)
    {
      JsonNode *node = g_ptr_array_steal_index_fast (pending, pending->len - 1);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      JsonArray *array;

      switch (json_node_get_node_type (node))
        {
        case JSON_NODE_OBJECT:
          json_object_iter_init (&iter, json_node_get_object (node));
          while (json_object_iter_next (&iter, &name, &member))
            {
              if (!g_utf8_validate (name, -1, NULL))
                return FALSE;
              g_ptr_array_add (pending, member);
            }
          break;

        case JSON_NODE_ARRAY:
          array = json_node_get_array (node);
          for (guint i = 0; i < json_array_get_length (array); i++)
            g_ptr_array_add (pending, json_array_get_element (array, i));
          break;

        case JSON_NODE_VALUE:
          if (json_node_get_value_type (node) == G_TYPE_STRING
              && !g_utf8_validate (json_node_get_string (node), -1, NULL))
            return FALSE;
          break;

        case JSON_NODE_NULL:
        default:
          break;
        }
    }

  return TRUE;
}

/**
 * quarry_todo_json_parse:
 * @data: JSON text
 * @length: its length in bytes
 * @error: the place for an error
 *
 * Parses @data strictly (see above).
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 *   (%G_IO_ERROR_INVALID_DATA, or a #JsonParserError) when @data is not
 *   JSON as the server takes it, or has no value at all
 */
JsonNode *
quarry_todo_json_parse (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_text (data, length, error))
    return NULL;

  if (!json_parser_load_from_data (parser, data, (gssize) length, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "there is no JSON value");
      return NULL;
    }

  if (!is_utf8 (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "a string is not valid UTF-8 (a lone surrogate escape?)");
      return NULL;
    }

  return json_node_ref (root);
}
