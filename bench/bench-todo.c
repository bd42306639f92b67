/* bench-todo.c: the keys and data of W1 and W2
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Four public, documented ways to build a key are measured (--key-from);
 * the builder is the default, the way C code builds keys it makes often:
 *
 * - builder: a QuarryKeyBuilder on the stack, no intermediate objects;
 * - json: a JsonArray with a JsonObject, built with json-glib's
 *   json_array_add_*_element() and json_object_set_*_member(), then
 *   quarry_key_new_from_json();
 * - string: the key's JSON text, printf'd, then quarry_key_new_from_string();
 * - variant: a "(sa{sv})" tuple from a GVariantDict, then
 *   quarry_key_new_from_variant().
 */

#include "bench-todo.h"

static QuarryKey *
key_from_json (guint i)
{
  JsonArray *array = json_array_sized_new (2);
  JsonObject *object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  QuarryKey *key;

  json_object_set_int_member (object, "page", i % 100);
  json_object_set_int_member (object, "id", i);
  json_array_add_string_element (array, "todos");
  json_array_add_object_element (array, object);
  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);

  key = quarry_key_new_from_json (node, &error);
  if (key == NULL)
    g_error ("quarry_key_new_from_json: %s", error->message);
  return key;
}

static QuarryKey *
key_from_string (guint i)
{
  char json[64];
  g_autoptr(GError) error = NULL;
  QuarryKey *key;

  g_snprintf (json, sizeof json, "[\"todos\",{\"page\":%u,\"id\":%u}]", i % 100, i);
  key = quarry_key_new_from_string (json, &error);
  if (key == NULL)
    g_error ("quarry_key_new_from_string: %s", error->message);
  return key;
}

static QuarryKey *
key_from_variant (guint i)
{
  GVariantDict dict;
  g_autoptr(GError) error = NULL;
  QuarryKey *key;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "page", "x", (gint64) (i % 100));
  g_variant_dict_insert (&dict, "id", "x", (gint64) i);
  key = quarry_key_new_from_variant (g_variant_new ("(s@a{sv})", "todos", g_variant_dict_end (&dict)),
                                     &error);
  if (key == NULL)
    g_error ("quarry_key_new_from_variant: %s", error->message);
  return key;
}

static QuarryKey *
key_from_builder (guint i)
{
  QuarryKeyBuilder builder;

  quarry_key_builder_init (&builder);
  quarry_key_builder_add_string (&builder, "todos");
  quarry_key_builder_open_object (&builder);
  quarry_key_builder_add_member_int (&builder, "page", i % 100);
  quarry_key_builder_add_member_int (&builder, "id", i);
  quarry_key_builder_close_object (&builder);
  return quarry_key_builder_end (&builder);
}

QuarryKey *
bench_todo_key (BenchKeyFrom key_from,
                guint        i)
{
  switch (key_from)
    {
    case BENCH_KEY_FROM_JSON:
      return key_from_json (i);
    case BENCH_KEY_FROM_STRING:
      return key_from_string (i);
    case BENCH_KEY_FROM_VARIANT:
      return key_from_variant (i);
    case BENCH_KEY_FROM_BUILDER:
      return key_from_builder (i);
    default:
      g_assert_not_reached ();
    }
}

JsonNode *
bench_todo_data (guint i)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;
  char title[16];

  g_snprintf (title, sizeof title, "t%u", i);
  json_object_set_int_member (object, "id", i);
  json_object_set_string_member (object, "title", title);
  json_object_set_boolean_member (object, "done", FALSE);
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}
