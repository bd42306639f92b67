/* test-key.c: QuarryKey, its canonical form, matching and the prefix index.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-util.h"

#include <math.h>

#include "quarry-key-index-private.h"
#include "quarry-key-private.h"

/* Helpers */

static void
assert_canonical (const char *json,
                  const char *expected)
{
  g_autoptr(QuarryKey) key = key_new (json);

  g_assert_cmpstr (quarry_key_to_string (key), ==, expected);
}

static void
assert_keys_equal (const char *a,
                   const char *b)
{
  g_autoptr(QuarryKey) ka = key_new (a);
  g_autoptr(QuarryKey) kb = key_new (b);

  if (!quarry_key_equal (ka, kb) || !quarry_key_equal (kb, ka))
    g_error ("expected %s and %s to be equal (%s vs %s)", a, b,
             quarry_key_to_string (ka), quarry_key_to_string (kb));
  g_assert_cmpuint (quarry_key_hash (ka), ==, quarry_key_hash (kb));
  g_assert_cmpstr (quarry_key_to_string (ka), ==, quarry_key_to_string (kb));
  g_assert_true (quarry_key_matches (ka, kb, TRUE));
  g_assert_true (quarry_key_matches (kb, ka, TRUE));
}

static void
assert_keys_differ (const char *a,
                    const char *b)
{
  g_autoptr(QuarryKey) ka = key_new (a);
  g_autoptr(QuarryKey) kb = key_new (b);

  if (quarry_key_equal (ka, kb) || quarry_key_equal (kb, ka))
    g_error ("expected %s and %s to differ", a, b);
  g_assert_cmpstr (quarry_key_to_string (ka), !=, quarry_key_to_string (kb));
  g_assert_false (quarry_key_matches (ka, kb, TRUE));
  g_assert_false (quarry_key_matches (kb, ka, TRUE));
}

static gboolean
matches (const char *key,
         const char *filter)
{
  g_autoptr(QuarryKey) k = key_new (key);
  g_autoptr(QuarryKey) f = key_new (filter);

  return quarry_key_matches (k, f, FALSE);
}

static void
assert_invalid_string (const char *json)
{
  g_autoptr(GError) error = NULL;
  QuarryKey *key = quarry_key_new_from_string (json, &error);

  if (key != NULL)
    g_error ("“%s” was accepted as %s", json, quarry_key_to_string (key));
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

static void
assert_invalid_variant (GVariant *variant)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) owned = g_variant_ref_sink (variant);
  QuarryKey *key = quarry_key_new_from_variant (owned, &error);

  if (key != NULL)
    g_error ("%s was accepted as %s", g_variant_print (owned, TRUE), quarry_key_to_string (key));
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY);
  g_assert_cmpstr (error->message, !=, "");
}

static QuarryKey *
key_from_variant (GVariant *variant)
{
  g_autoptr(GError) error = NULL;
  QuarryKey *key = quarry_key_new_from_variant (variant, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

/* Element @index of @key's canonical GVariant. */
static GVariant *
dup_variant_segment (QuarryKey *key,
                     guint      index)
{
  g_autoptr(GVariant) boxed = g_variant_get_child_value (quarry_key_get_variant (key), index);

  return g_variant_get_variant (boxed);
}

static char *
node_to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* Construction */

static void
test_key_from_string (void)
{
  g_autoptr(QuarryKey) key = key_new ("  [ \"todos\" , 5, true, false, null, 1.5, [1, \"a\"], {\"x\": 1} ]\n");
  g_autoptr(QuarryKey) empty = key_new ("[]");

  g_assert_cmpuint (quarry_key_get_length (key), ==, 8);
  g_assert_cmpstr (quarry_key_to_string (key), ==,
                   "[\"todos\",5,true,false,null,1.5,[1,\"a\"],{\"x\":1}]");
  g_assert_cmpuint (quarry_key_get_length (empty), ==, 0);
  g_assert_cmpstr (quarry_key_to_string (empty), ==, "[]");
}

static void
test_key_from_json (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(QuarryKey) expected = key_new ("[\"todos\", {\"page\": 2, \"id\": 5}, 7, 2.5, null]");
  g_autoptr(GError) error = NULL;

  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "todos");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "page");
  json_builder_add_int_value (builder, 2);
  json_builder_set_member_name (builder, "id");
  json_builder_add_double_value (builder, 5.0);
  json_builder_end_object (builder);
  json_builder_add_int_value (builder, 7);
  json_builder_add_double_value (builder, 2.5);
  json_builder_add_null_value (builder);
  json_builder_end_array (builder);
  node = json_builder_get_root (builder);

  key = quarry_key_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_true (quarry_key_equal (key, expected));
  g_assert_cmpstr (quarry_key_to_string (key), ==, "[\"todos\",{\"id\":5,\"page\":2},7,2.5,null]");
}

static void
test_key_from_json_value_types (void)
{
  /* A JsonNode holding a GType other than the JSON ones is rejected, and
   * json-glib's own int/float GValue conversions are accepted. */
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 3);
  json_array_add_element (array, json_node_init_int (json_node_alloc (), 1));
  {
    JsonNode *element = json_node_new (JSON_NODE_VALUE);

    json_node_set_value (element, &value);
    json_array_add_element (array, element);
  }
  g_value_unset (&value);
  json_node_set_array (node, array);

  key = quarry_key_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quarry_key_to_string (key), ==, "[1,3]");
}

static void
test_key_from_variant_tuple (void)
{
  g_autoptr(QuarryKey) key = key_from_variant (g_variant_new ("(si)", "todos", 5));
  g_autoptr(QuarryKey) expected = key_new ("[\"todos\", 5]");
  g_autoptr(QuarryKey) unit = key_from_variant (g_variant_new ("()"));

  g_assert_cmpstr (quarry_key_to_string (key), ==, "[\"todos\",5]");
  g_assert_true (quarry_key_equal (key, expected));
  g_assert_cmpuint (quarry_key_hash (key), ==, quarry_key_hash (expected));
  g_assert_cmpstr (quarry_key_to_string (unit), ==, "[]");
}

static void
test_key_from_variant_scalars (void)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(QuarryKey) expected = NULL;

  variant = g_variant_ref_sink (g_variant_new ("(bynqiuxthdsog)",
                                               TRUE, (guchar) 200, (gint16) -300, (guint16) 60000,
                                               (gint32) -70000, (guint32) 4000000000u,
                                               G_MININT64, (guint64) 42, (gint32) 3,
                                               2.0, "s", "/o/p", "a{sv}"));
  key = key_from_variant (variant);
  expected = key_new ("[true, 200, -300, 60000, -70000, 4000000000, -9223372036854775808,"
                      " 42, 3, 2, \"s\", \"/o/p\", \"a{sv}\"]");
  g_assert_cmpstr (quarry_key_to_string (key), ==, quarry_key_to_string (expected));
  g_assert_true (quarry_key_equal (key, expected));
  g_assert_cmpuint (quarry_key_hash (key), ==, quarry_key_hash (expected));
}

static void
test_key_from_variant_strv (void)
{
  const char * const strv[] = { "todos", "list", "open", NULL };
  g_autoptr(QuarryKey) key = key_from_variant (g_variant_new_strv (strv, -1));
  g_autoptr(QuarryKey) from_strv = quarry_key_new_from_strv (strv);
  g_autoptr(QuarryKey) empty = key_from_variant (g_variant_new_strv (NULL, 0));

  g_assert_cmpstr (quarry_key_to_string (key), ==, "[\"todos\",\"list\",\"open\"]");
  g_assert_true (quarry_key_equal (key, from_strv));
  g_assert_cmpstr (quarry_key_to_string (empty), ==, "[]");
}

static void
test_key_from_variant_av (void)
{
  GVariantBuilder builder;
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(QuarryKey) expected = key_new ("[\"todos\", 5, [1, 2], null]");

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
  g_variant_builder_add (&builder, "v", g_variant_new_string ("todos"));
  g_variant_builder_add (&builder, "v", g_variant_new_uint16 (5));
  g_variant_builder_add (&builder, "v", g_variant_new_parsed ("[1, 2]"));
  /* A variant inside a variant is unwrapped all the way. */
  g_variant_builder_add (&builder, "v", g_variant_new_variant (g_variant_new_maybe (G_VARIANT_TYPE_STRING, NULL)));
  key = key_from_variant (g_variant_builder_end (&builder));

  g_assert_cmpstr (quarry_key_to_string (key), ==, "[\"todos\",5,[1,2],null]");
  g_assert_true (quarry_key_equal (key, expected));
}

static void
test_key_from_variant_dict_inside (void)
{
  g_autoptr(QuarryKey) key = key_from_variant (g_variant_new_parsed ("('todos', {'page': <2>, 'id': <5>})"));
  g_autoptr(QuarryKey) typed = key_from_variant (g_variant_new_parsed ("('todos', {'page': 2, 'id': 5})"));
  g_autoptr(QuarryKey) paths = key_from_variant (g_variant_new_parsed ("('todos', {objectpath '/page': 2})"));
  g_autoptr(QuarryKey) expected = key_new ("[\"todos\", {\"id\": 5, \"page\": 2}]");

  g_assert_cmpstr (quarry_key_to_string (key), ==, "[\"todos\",{\"id\":5,\"page\":2}]");
  g_assert_true (quarry_key_equal (key, expected));
  g_assert_cmpuint (quarry_key_hash (key), ==, quarry_key_hash (expected));
  /* a{si} is an object too. */
  g_assert_true (quarry_key_equal (typed, expected));
  g_assert_cmpstr (quarry_key_to_string (paths), ==, "[\"todos\",{\"/page\":2}]");
}

static void
test_key_from_variant_dict_repeated (void)
{
  /* A dictionary may repeat a name: the last value wins, as in JSON. */
  g_autoptr(QuarryKey) key = key_from_variant (g_variant_new_parsed ("({'b': <1>, 'a': <1>, 'b': <2>, 'c': <3>, 'a': <4>},)"));

  g_assert_cmpstr (quarry_key_to_string (key), ==, "[{\"a\":4,\"b\":2,\"c\":3}]");
}

static void
test_key_from_variant_boxed (void)
{
  const char * const strv[] = { "a", "b", NULL };
  g_autoptr(QuarryKey) key = key_from_variant (g_variant_new_variant (g_variant_new_strv (strv, -1)));
  g_autoptr(QuarryKey) tuple = key_from_variant (g_variant_new_variant (g_variant_new ("(sb)", "a", FALSE)));

  g_assert_cmpstr (quarry_key_to_string (key), ==, "[\"a\",\"b\"]");
  g_assert_cmpstr (quarry_key_to_string (tuple), ==, "[\"a\",false]");
}

static void
test_key_from_variant_maybe (void)
{
  g_autoptr(QuarryKey) nothing = key_from_variant (g_variant_new ("(sms)", "a", NULL));
  g_autoptr(QuarryKey) just = key_from_variant (g_variant_new ("(sms)", "a", "b"));
  g_autoptr(QuarryKey) nothing_int = key_from_variant (g_variant_new_parsed ("('a', @mi nothing)"));
  g_autoptr(QuarryKey) expected = key_new ("[\"a\", null]");

  g_assert_cmpstr (quarry_key_to_string (nothing), ==, "[\"a\",null]");
  g_assert_true (quarry_key_equal (nothing, expected));
  /* Every empty maybe is the same null, whatever its element type. */
  g_assert_true (quarry_key_equal (nothing_int, expected));
  g_assert_cmpstr (quarry_key_to_string (just), ==, "[\"a\",\"b\"]");
}

static void
test_key_from_variant_uint64 (void)
{
  g_autoptr(QuarryKey) big = key_from_variant (g_variant_new ("(t)", G_MAXUINT64));
  g_autoptr(QuarryKey) limit = key_from_variant (g_variant_new ("(t)", (guint64) G_MAXINT64));
  g_autoptr(QuarryKey) limit_int = key_new ("[9223372036854775807]");
  g_autoptr(GVariant) segment = dup_variant_segment (big, 0);
  g_autoptr(GVariant) limit_segment = dup_variant_segment (limit, 0);

  g_assert_cmpstr (g_variant_get_type_string (segment), ==, "d");
  g_assert_cmpfloat (g_variant_get_double (segment), ==, 18446744073709551615.0);
  g_assert_cmpstr (g_variant_get_type_string (limit_segment), ==, "x");
  g_assert_cmpint (g_variant_get_int64 (limit_segment), ==, G_MAXINT64);
  g_assert_true (quarry_key_equal (limit, limit_int));
  g_assert_false (quarry_key_equal (big, limit));
}

static void
test_key_from_strv (void)
{
  const char * const strv[] = { "todos", "list", NULL };
  const char * const none[] = { NULL };
  g_autoptr(QuarryKey) key = quarry_key_new_from_strv (strv);
  g_autoptr(QuarryKey) expected = key_new ("[\"todos\", \"list\"]");
  g_autoptr(QuarryKey) empty = quarry_key_new_from_strv (none);

  g_assert_cmpuint (quarry_key_get_length (key), ==, 2);
  g_assert_cmpstr (quarry_key_to_string (key), ==, "[\"todos\",\"list\"]");
  g_assert_true (quarry_key_equal (key, expected));
  g_assert_cmpuint (quarry_key_hash (key), ==, quarry_key_hash (expected));
  g_assert_cmpuint (quarry_key_get_length (empty), ==, 0);
  g_assert_cmpstr (quarry_key_to_string (empty), ==, "[]");
}

/* Canonical form */

static void
test_key_canonical_sorted (void)
{
  assert_canonical ("[\"todos\", {\"page\": 2, \"id\": 5}]", "[\"todos\",{\"id\":5,\"page\":2}]");
  assert_canonical ("[{\"b\": {\"d\": 1, \"c\": 2}, \"a\": [{\"z\": 1, \"y\": 2}]}]",
                    "[{\"a\":[{\"y\":2,\"z\":1}],\"b\":{\"c\":2,\"d\":1}}]");
  assert_canonical ("[{}, [], {\"\": 0}]", "[{},[],{\"\":0}]");
  /* Byte order: upper case before lower case, shorter prefix first. */
  assert_canonical ("[{\"b\": 1, \"B\": 2, \"ab\": 3, \"a\": 4}]", "[{\"B\":2,\"a\":4,\"ab\":3,\"b\":1}]");
}

static void
test_key_canonical_member_order (void)
{
  assert_keys_equal ("[\"todos\", {\"page\": 2, \"id\": 5}]", "[\"todos\", {\"id\": 5, \"page\": 2}]");
  assert_keys_equal ("[{\"o\": {\"x\": 1, \"y\": [1, {\"q\": 1, \"p\": 2}]}}]",
                     "[{\"o\": {\"y\": [1, {\"p\": 2, \"q\": 1}], \"x\": 1}}]");
}

static void
test_key_canonical_array_order (void)
{
  assert_keys_differ ("[\"todos\", 1]", "[1, \"todos\"]");
  assert_keys_differ ("[[1, 2]]", "[[2, 1]]");
  assert_keys_differ ("[\"todos\"]", "[\"todos\", 1]");
}

static void
test_key_canonical_numbers (void)
{
  assert_keys_equal ("[1.0]", "[1]");
  assert_keys_equal ("[1e2]", "[100]");
  assert_keys_equal ("[-0.0]", "[0]");
  assert_keys_equal ("[{\"n\": 2.0}]", "[{\"n\": 2}]");
  assert_canonical ("[1.0, -3.0, 1.5, -0.25]", "[1,-3,1.5,-0.25]");
  assert_keys_differ ("[1.5]", "[1]");
  assert_keys_differ ("[\"1\"]", "[1]");
  assert_keys_differ ("[true]", "[1]");
  assert_keys_differ ("[false]", "[0]");
  assert_keys_differ ("[0]", "[null]");
  assert_keys_differ ("[\"\"]", "[null]");
}

static void
test_key_canonical_non_finite (void)
{
  /* As JSON.stringify() in TanStack's hashKey(), a number that JSON cannot
   * write is null, so the canonical text stays valid JSON. */
  g_autoptr(QuarryKey) huge = key_new ("[1e400, -1e400]");
  g_autoptr(QuarryKey) from_variant = key_from_variant (g_variant_new ("(ddd)", INFINITY, -INFINITY, NAN));
  g_autoptr(QuarryKey) nulls = key_new ("[null, null, null]");
  g_autoptr(QuarryKey) reparsed = NULL;

  g_assert_cmpstr (quarry_key_to_string (huge), ==, "[null,null]");
  g_assert_cmpstr (quarry_key_to_string (from_variant), ==, "[null,null,null]");
  g_assert_true (quarry_key_equal (from_variant, nulls));
  g_assert_cmpuint (quarry_key_hash (from_variant), ==, quarry_key_hash (nulls));
  reparsed = key_new (quarry_key_to_string (huge));
  g_assert_true (quarry_key_equal (reparsed, huge));
}

static void
test_key_canonical_null (void)
{
  assert_canonical ("[null]", "[null]");
  assert_keys_differ ("[{\"a\": null}]", "[{}]");
  assert_keys_differ ("[null]", "[]");
  assert_keys_differ ("[null]", "[[]]");
  assert_keys_differ ("[null]", "[{}]");
  assert_keys_differ ("[{}]", "[[]]");
}

static void
test_key_canonical_escaping (void)
{
  g_autoptr(QuarryKey) key = key_new ("[\"a\\\"b\\\\c/d\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f é ✓ 😀\", {\"k\\\"\\n\": 1}]");
  const char *expected = "[\"a\\\"b\\\\c/d\\n\\r\\t\\b\\f\\u0001\\u001f\x7f é ✓ 😀\",{\"k\\\"\\n\":1}]";
  g_autoptr(QuarryKey) reparsed = NULL;
  g_autoptr(JsonNode) segment = quarry_key_dup_segment (key, 0);

  g_assert_cmpstr (quarry_key_to_string (key), ==, expected);
  g_assert_true (g_utf8_validate (quarry_key_to_string (key), -1, NULL));
  g_assert_cmpstr (json_node_get_string (segment), ==, "a\"b\\c/d\n\r\t\b\f\001\037\177 é ✓ 😀");

  /* The canonical text is valid JSON for the same key. */
  reparsed = key_new (quarry_key_to_string (key));
  g_assert_true (quarry_key_equal (key, reparsed));
  g_assert_cmpstr (quarry_key_to_string (reparsed), ==, expected);

  /* Escaped and literal unicode are the same string. */
  assert_keys_equal ("[\"\\u00e9\"]", "[\"é\"]");
}

static void
test_key_canonical_cached (void)
{
  g_autoptr(QuarryKey) key = key_new ("[1, 2]");
  const char *first = quarry_key_to_string (key);

  g_assert_true (quarry_key_to_string (key) == first);
}

/* Equality and hash */

static void
test_key_equal_hash (void)
{
  const char *groups[][3] = {
    { "[\"todos\", {\"page\": 2, \"id\": 5}]", "[\"todos\",{\"id\":5,\"page\":2.0}]", "[ \"todos\" , { \"id\" : 5.0 , \"page\" : 2 } ]" },
    { "[1]", "[1.0]", "[1e0]" },
    { "[[null, true], {}]", "[[null,true],{}]", "[ [ null , true ] , { } ]" },
  };
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) quarry_key_unref);

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    for (guint i = 0; i < 3; i++)
      g_ptr_array_add (keys, key_new (groups[g][i]));

  for (guint i = 0; i < keys->len; i++)
    for (guint j = 0; j < keys->len; j++)
      {
        QuarryKey *a = g_ptr_array_index (keys, i);
        QuarryKey *b = g_ptr_array_index (keys, j);
        gboolean same_group = i / 3 == j / 3;

        g_assert_cmpint (quarry_key_equal (a, b), ==, same_group);
        if (same_group)
          g_assert_cmpuint (quarry_key_hash (a), ==, quarry_key_hash (b));
      }
}

static void
test_key_hash_table (void)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (quarry_key_hash, quarry_key_equal,
                                                       (GDestroyNotify) quarry_key_unref, g_free);
  g_autoptr(QuarryKey) lookup = key_new ("[\"todos\", {\"id\": 5, \"page\": 2}]");
  g_autoptr(QuarryKey) lookup_int = key_new ("[\"item\", 17]");
  g_autoptr(QuarryKey) missing = key_new ("[\"todos\", {\"id\": 5}]");

  g_hash_table_insert (table, key_new ("[\"todos\", {\"page\": 2, \"id\": 5}]"), g_strdup ("todos"));
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *json = g_strdup_printf ("[\"item\", %u.0]", i);

      g_hash_table_insert (table, key_new (json), g_strdup_printf ("item %u", i));
    }
  g_assert_cmpuint (g_hash_table_size (table), ==, 201);

  g_assert_cmpstr (g_hash_table_lookup (table, lookup), ==, "todos");
  g_assert_cmpstr (g_hash_table_lookup (table, lookup_int), ==, "item 17");
  g_assert_null (g_hash_table_lookup (table, missing));

  /* Replacing through an equal key does not grow the table. */
  g_hash_table_replace (table, key_new ("[\"todos\",{\"id\":5,\"page\":2}]"), g_strdup ("again"));
  g_assert_cmpuint (g_hash_table_size (table), ==, 201);
  g_assert_cmpstr (g_hash_table_lookup (table, lookup), ==, "again");
}

/* Matching */

static void
test_key_matches_exact (void)
{
  g_autoptr(QuarryKey) key = key_new ("[\"todos\", {\"page\": 2, \"id\": 5}]");
  g_autoptr(QuarryKey) same = key_new ("[\"todos\", {\"id\": 5, \"page\": 2}]");
  g_autoptr(QuarryKey) prefix = key_new ("[\"todos\"]");
  g_autoptr(QuarryKey) subset = key_new ("[\"todos\", {\"id\": 5}]");

  g_assert_true (quarry_key_matches (key, key, TRUE));
  g_assert_true (quarry_key_matches (key, same, TRUE));
  g_assert_true (quarry_key_matches (key, same, FALSE));
  g_assert_false (quarry_key_matches (key, prefix, TRUE));
  g_assert_true (quarry_key_matches (key, prefix, FALSE));
  g_assert_false (quarry_key_matches (key, subset, TRUE));
  g_assert_true (quarry_key_matches (key, subset, FALSE));
}

static void
test_key_matches_prefix (void)
{
  g_assert_true (matches ("[\"todos\", 1]", "[\"todos\"]"));
  g_assert_true (matches ("[\"todos\", {\"page\": 2}]", "[\"todos\"]"));
  g_assert_true (matches ("[\"todos\"]", "[\"todos\"]"));
  g_assert_true (matches ("[\"todos\", 1, \"x\"]", "[\"todos\", 1]"));
  g_assert_false (matches ("[\"todos\", 1]", "[\"todos\", 2]"));
  g_assert_false (matches ("[\"todo\"]", "[\"todos\"]"));
  g_assert_false (matches ("[\"todos\"]", "[\"todo\"]"));
  g_assert_false (matches ("[\"users\", \"todos\"]", "[\"todos\"]"));
}

static void
test_key_matches_object_subset (void)
{
  g_assert_true (matches ("[{\"a\": 1, \"b\": 2}]", "[{\"a\": 1}]"));
  g_assert_true (matches ("[{\"a\": 1, \"b\": 2}]", "[{}]"));
  g_assert_true (matches ("[{\"a\": 1, \"b\": 2}]", "[{\"b\": 2, \"a\": 1}]"));
  g_assert_false (matches ("[{\"a\": 1}]", "[{\"a\": 1, \"b\": 2}]"));
  g_assert_false (matches ("[{\"a\": 1, \"b\": 2}]", "[{\"a\": 2}]"));
  g_assert_false (matches ("[{\"a\": 1}]", "[{\"c\": 1}]"));
  /* A null member in the filter needs a null member in the key. */
  g_assert_true (matches ("[{\"a\": null, \"b\": 1}]", "[{\"a\": null}]"));
  g_assert_false (matches ("[{\"b\": 1}]", "[{\"a\": null}]"));
  /* Subsets apply recursively. */
  g_assert_true (matches ("[{\"o\": {\"x\": 1, \"y\": 2}, \"z\": 3}]", "[{\"o\": {\"y\": 2}}]"));
  g_assert_false (matches ("[{\"o\": {\"x\": 1}}]", "[{\"o\": {\"y\": 2}}]"));
  g_assert_true (matches ("[\"todos\", {\"page\": 2, \"id\": 5}]", "[\"todos\", {\"id\": 5.0}]"));
}

static void
test_key_matches_nested_array (void)
{
  g_assert_true (matches ("[[\"x\", \"y\"], 1]", "[[\"x\"]]"));
  g_assert_true (matches ("[[\"x\", \"y\"], 1]", "[[]]"));
  g_assert_true (matches ("[[\"x\", \"y\"]]", "[[\"x\", \"y\"]]"));
  g_assert_false (matches ("[[\"x\", \"y\"]]", "[[\"y\"]]"));
  g_assert_false (matches ("[[\"x\"]]", "[[\"x\", \"y\"]]"));
  g_assert_true (matches ("[{\"list\": [1, 2, 3]}]", "[{\"list\": [1, 2]}]"));
  g_assert_false (matches ("[{\"list\": [1, 2, 3]}]", "[{\"list\": [2]}]"));
  g_assert_true (matches ("[[{\"a\": 1, \"b\": 2}, 5]]", "[[{\"b\": 2}]]"));
}

static void
test_key_matches_longer_filter (void)
{
  g_assert_false (matches ("[\"todos\"]", "[\"todos\", 1]"));
  g_assert_false (matches ("[]", "[\"todos\"]"));
}

static void
test_key_matches_nested_key (void)
{
  g_assert_false (matches ("[\"todos\", 1]", "[[\"todos\", 1]]"));
  g_assert_false (matches ("[\"todos\"]", "[[\"todos\"]]"));
  g_assert_false (matches ("[[\"todos\"]]", "[\"todos\"]"));
}

static void
test_key_matches_types (void)
{
  g_assert_false (matches ("[null]", "[{}]"));
  g_assert_false (matches ("[{}]", "[null]"));
  g_assert_false (matches ("[null]", "[[]]"));
  g_assert_false (matches ("[{\"a\": 1}]", "[[]]"));
  g_assert_false (matches ("[[1]]", "[{}]"));
  g_assert_false (matches ("[1]", "[\"1\"]"));
  g_assert_false (matches ("[\"1\"]", "[1]"));
  g_assert_false (matches ("[1]", "[true]"));
  g_assert_false (matches ("[1.5]", "[1]"));
  g_assert_true (matches ("[1]", "[1.0]"));
  g_assert_true (matches ("[null, 1]", "[null]"));
}

static void
test_key_matches_empty_filter (void)
{
  const char *keys[] = { "[]", "[\"todos\"]", "[null]", "[{\"a\": 1}]", "[[1, 2], 3]" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (matches (keys[i], "[]"));
}

/* Errors */

static void
test_key_invalid_string (void)
{
  assert_invalid_string ("[1,");
  assert_invalid_string ("[\"todos\"");
  assert_invalid_string ("todos");
  assert_invalid_string ("[1] x");
  assert_invalid_string ("[1]]");
  assert_invalid_string ("[1],");
  assert_invalid_string ("{\"a\": 1}");
  assert_invalid_string ("\"x\"");
  assert_invalid_string ("5");
  assert_invalid_string ("null");
  assert_invalid_string ("true");
  assert_invalid_string ("");
  assert_invalid_string ("   ");
}

static void
test_key_invalid_json (void)
{
  g_autoptr(JsonNode) object = json_from_string ("{\"a\": 1}", NULL);
  g_autoptr(JsonNode) string = json_node_init_string (json_node_alloc (), "x");
  g_autoptr(JsonNode) null = json_node_init_null (json_node_alloc ());
  JsonNode *nodes[] = { object, string, null };

  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      g_autoptr(GError) error = NULL;
      QuarryKey *key = quarry_key_new_from_json (nodes[i], &error);

      g_assert_null (key);
      g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_key_invalid_variant (void)
{
  assert_invalid_variant (g_variant_new_parsed ("{'a': <1>}"));
  assert_invalid_variant (g_variant_new_parsed ("@a{sv} {}"));
  assert_invalid_variant (g_variant_new_parsed ("<{'a': <1>}>"));
  assert_invalid_variant (g_variant_new_parsed ("{1: <1>}"));
  assert_invalid_variant (g_variant_new_parsed ("('todos', {1: <2>})"));
  assert_invalid_variant (g_variant_new_parsed ("[{1: 'x'}]"));
  assert_invalid_variant (g_variant_new_string ("todos"));
  assert_invalid_variant (g_variant_new_int32 (5));
  assert_invalid_variant (g_variant_new_parsed ("@ms 'x'"));
  assert_invalid_variant (g_variant_new_variant (g_variant_new_string ("x")));
}

static void
test_key_invalid_no_error_location (void)
{
  /* A NULL error location is allowed. */
  g_assert_null (quarry_key_new_from_string ("[1,", NULL));
  g_assert_null (quarry_key_new_from_string ("{}", NULL));
  g_assert_null (quarry_key_new_from_variant (g_variant_new_parsed ("('x', {1: <2>})"), NULL));
}

/* Accessors */

static void
test_key_to_json (void)
{
  const char *inputs[] = {
    "[\"todos\", {\"page\": 2, \"id\": 5}]",
    "[]",
    "[null, true, false, 1.5, -7, \"s\", [[]], {\"a\": {\"c\": [1], \"b\": null}}]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(QuarryKey) key = key_new (inputs[i]);
      g_autoptr(JsonNode) node = quarry_key_to_json (key);
      g_autoptr(QuarryKey) again = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) parsed = json_from_string (inputs[i], NULL);

      g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
      g_assert_true (json_node_is_immutable (node));
      g_assert_true (json_node_equal (node, parsed));

      again = quarry_key_new_from_json (node, &error);
      g_assert_no_error (error);
      g_assert_true (quarry_key_equal (key, again));
      g_assert_cmpstr (quarry_key_to_string (again), ==, quarry_key_to_string (key));

      /* Members come out sorted. */
      text = node_to_string (node);
      g_assert_cmpstr (text, ==, quarry_key_to_string (key));
    }
}

static void
test_key_dup_segment (void)
{
  g_autoptr(QuarryKey) key = key_new ("[\"todos\", {\"page\": 2, \"id\": 5}, 3, 2.5, null, true, [1, \"a\"]]");
  const char *expected[] = {
    "\"todos\"", "{\"id\":5,\"page\":2}", "3", "2.5", "null", "true", "[1,\"a\"]",
  };

  g_assert_cmpuint (quarry_key_get_length (key), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(JsonNode) segment = quarry_key_dup_segment (key, i);
      g_autofree char *text = node_to_string (segment);

      g_assert_true (json_node_is_immutable (segment));
      g_assert_cmpstr (text, ==, expected[i]);
    }

  {
    g_autoptr(JsonNode) number = quarry_key_dup_segment (key, 2);
    g_autoptr(JsonNode) fraction = quarry_key_dup_segment (key, 3);

    g_assert_cmpuint (json_node_get_value_type (number), ==, G_TYPE_INT64);
    g_assert_cmpint (json_node_get_int (number), ==, 3);
    g_assert_cmpuint (json_node_get_value_type (fraction), ==, G_TYPE_DOUBLE);
    g_assert_cmpfloat (json_node_get_double (fraction), ==, 2.5);
  }
}

static void
test_key_get_length (void)
{
  const struct { const char *json; guint length; } cases[] = {
    { "[]", 0 },
    { "[[]]", 1 },
    { "[[1, 2, 3]]", 1 },
    { "[{\"a\": 1, \"b\": 2}]", 1 },
    { "[1, 2, 3, 4, 5]", 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(QuarryKey) key = key_new (cases[i].json);

      g_assert_cmpuint (quarry_key_get_length (key), ==, cases[i].length);
    }
}

static void
test_key_get_variant (void)
{
  g_autoptr(QuarryKey) key = key_new ("[\"todos\", 5, 1.5, true, null, [1], {\"b\": 1, \"a\": 2}]");
  g_autoptr(QuarryKey) from_variant = NULL;
  GVariant *variant = quarry_key_get_variant (key);
  const char *segment_types[] = { "s", "x", "d", "b", "mv", "av", "a{sv}" };

  g_assert_nonnull (variant);
  g_assert_false (g_variant_is_floating (variant));
  g_assert_cmpstr (g_variant_get_type_string (variant), ==, "av");
  g_assert_cmpuint (g_variant_n_children (variant), ==, G_N_ELEMENTS (segment_types));
  g_assert_true (quarry_key_get_variant (key) == variant);

  for (guint i = 0; i < G_N_ELEMENTS (segment_types); i++)
    {
      g_autoptr(GVariant) segment = dup_variant_segment (key, i);

      g_assert_cmpstr (g_variant_get_type_string (segment), ==, segment_types[i]);
    }

  {
    g_autoptr(GVariant) object = dup_variant_segment (key, 6);
    g_autoptr(GVariant) first = g_variant_get_child_value (object, 0);
    const char *name = NULL;

    g_variant_get_child (first, 0, "&s", &name);
    g_assert_cmpstr (name, ==, "a");
  }

  /* Feeding the canonical variant back gives the same key. */
  from_variant = key_from_variant (variant);
  g_assert_true (quarry_key_equal (key, from_variant));
}

/* Boxed type and reference counting */

static void
test_key_boxed (void)
{
  GValue value = G_VALUE_INIT;
  QuarryKey *key = key_new ("[\"todos\", 1]");
  QuarryKey *dup;
  char *text;

  g_assert_true (G_TYPE_IS_BOXED (QUARRY_TYPE_KEY));
  g_assert_cmpstr (g_type_name (QUARRY_TYPE_KEY), ==, "QuarryKey");

  g_value_init (&value, QUARRY_TYPE_KEY);
  g_assert_true (G_VALUE_HOLDS (&value, QUARRY_TYPE_KEY));
  g_value_set_boxed (&value, key);
  g_assert_true (g_value_get_boxed (&value) == key);

  /* The value holds its own reference. */
  quarry_key_unref (key);
  g_assert_cmpstr (quarry_key_to_string (g_value_get_boxed (&value)), ==, "[\"todos\",1]");

  dup = g_value_dup_boxed (&value);
  g_assert_true (dup == g_value_get_boxed (&value));
  g_value_unset (&value);

  text = g_strdup (quarry_key_to_string (dup));
  g_assert_cmpstr (text, ==, "[\"todos\",1]");
  g_free (text);

  {
    QuarryKey *copy = g_boxed_copy (QUARRY_TYPE_KEY, dup);

    g_assert_true (copy == dup);
    g_boxed_free (QUARRY_TYPE_KEY, copy);
  }

  g_assert_cmpstr (quarry_key_to_string (dup), ==, "[\"todos\",1]");
  quarry_key_unref (dup);
}

static void
test_key_ref (void)
{
  QuarryKey *key = key_new ("[1]");
  QuarryKey *ref = quarry_key_ref (key);

  g_assert_true (ref == key);
  quarry_key_unref (key);
  g_assert_cmpuint (quarry_key_get_length (ref), ==, 1);
  quarry_key_unref (ref);
}

static void
test_key_threads_string_worker (gpointer data,
                                gpointer user_data)
{
  QuarryKey *key = user_data;

  g_assert_cmpstr (quarry_key_to_string (key), ==, "[\"a\",{\"b\":1,\"c\":2}]");
}

static void
test_key_threads (void)
{
  /* Several threads filling in the cached text at once agree on it. */
  for (guint round = 0; round < 20; round++)
    {
      QuarryKey *key = key_new ("[\"a\", {\"c\": 2, \"b\": 1}]");
      GThreadPool *pool = g_thread_pool_new (test_key_threads_string_worker, key, 4, TRUE, NULL);

      for (guint i = 0; i < 8; i++)
        g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
      g_thread_pool_free (pool, FALSE, TRUE);
      quarry_key_unref (key);
    }
}

/* Prefix index */

static void
insert_json (QuarryKeyIndex *index,
             const char     *json,
             gpointer        value)
{
  g_autoptr(QuarryKey) key = key_new (json);

  _quarry_key_index_insert (index, key, value);
}

static void
remove_json (QuarryKeyIndex *index,
             const char     *json)
{
  g_autoptr(QuarryKey) key = key_new (json);

  _quarry_key_index_remove (index, key);
}

static gint
compare_pointers (gconstpointer a,
                  gconstpointer b)
{
  guintptr pa = GPOINTER_TO_SIZE (*(gconstpointer *) a);
  guintptr pb = GPOINTER_TO_SIZE (*(gconstpointer *) b);

  return pa < pb ? -1 : pa > pb;
}

/* Collects under @prefix and returns the values, sorted, as a string of
 * integers such as "1 3 4", so that duplicates show. */
static char *
collect_json (QuarryKeyIndex *index,
              const char     *prefix)
{
  g_autoptr(QuarryKey) key = key_new (prefix);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  _quarry_key_index_collect (index, key, values);
  g_ptr_array_sort (values, compare_pointers);
  for (guint i = 0; i < values->len; i++)
    g_string_append_printf (out, "%s%u", i > 0 ? " " : "", GPOINTER_TO_UINT (g_ptr_array_index (values, i)));
  return g_string_free (out, FALSE);
}

#define assert_collect(index, prefix, expected) \
  G_STMT_START { \
    g_autofree char *__got = collect_json ((index), (prefix)); \
    g_assert_cmpstr (__got, ==, (expected)); \
  } G_STMT_END

static const char *index_keys[] = {
  /* 1 */ "[\"todos\"]",
  /* 2 */ "[\"todos\", 1]",
  /* 3 */ "[\"todos\", 2]",
  /* 4 */ "[\"todos\", {\"page\": 1, \"filter\": \"open\"}]",
  /* 5 */ "[\"todos\", {\"page\": 2, \"filter\": \"open\"}]",
  /* 6 */ "[\"todos\", {\"page\": 1, \"filter\": \"done\"}]",
  /* 7 */ "[\"users\", [\"admin\", \"x\"], 1]",
  /* 8 */ "[\"users\", [\"admin\", \"y\"], 2]",
  /* 9 */ "[\"users\", [\"guest\"], 1]",
  /* 10 */ "[\"users\", [\"admin\"]]",
  /* 11 */ "[1, \"todos\"]",
  /* 12 */ "[]",
  /* 13 */ "[\"todos\", {\"page\": 1, \"filter\": \"open\"}, \"detail\"]",
  /* 14 */ "[null]",
  /* 15 */ "[\"todos\", 1.5]",
};

static QuarryKeyIndex *
index_new_filled (void)
{
  QuarryKeyIndex *index = _quarry_key_index_new ();

  for (guint i = 0; i < G_N_ELEMENTS (index_keys); i++)
    insert_json (index, index_keys[i], GUINT_TO_POINTER (i + 1));
  return index;
}

static void
test_key_index_collect (void)
{
  QuarryKeyIndex *index = index_new_filled ();

  assert_collect (index, "[]", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15");
  assert_collect (index, "[\"todos\"]", "1 2 3 4 5 6 13 15");
  assert_collect (index, "[\"todos\", 1]", "2");
  assert_collect (index, "[\"todos\", 1.0]", "2");
  assert_collect (index, "[\"todos\", 1.5]", "15");
  assert_collect (index, "[\"todos\", \"1\"]", "");
  assert_collect (index, "[\"todos\", 3]", "");
  assert_collect (index, "[\"users\"]", "7 8 9 10");
  assert_collect (index, "[\"nobody\"]", "");
  assert_collect (index, "[1]", "11");
  assert_collect (index, "[null]", "14");
  assert_collect (index, "[\"todos\", 1, \"more\"]", "");
  assert_collect (index, "[1, \"todos\", \"more\"]", "");

  _quarry_key_index_free (index);
}

static void
test_key_index_collect_object (void)
{
  QuarryKeyIndex *index = index_new_filled ();

  assert_collect (index, "[\"todos\", {}]", "4 5 6 13");
  assert_collect (index, "[\"todos\", {\"page\": 1}]", "4 6 13");
  assert_collect (index, "[\"todos\", {\"filter\": \"open\"}]", "4 5 13");
  assert_collect (index, "[\"todos\", {\"filter\": \"open\", \"page\": 1.0}]", "4 13");
  assert_collect (index, "[\"todos\", {\"filter\": \"open\", \"page\": 1}, \"detail\"]", "13");
  assert_collect (index, "[\"todos\", {\"page\": 1}, \"detail\"]", "13");
  assert_collect (index, "[\"todos\", {\"page\": 3}]", "");
  assert_collect (index, "[\"todos\", {\"sort\": \"asc\"}]", "");
  assert_collect (index, "[\"todos\", {\"page\": 1, \"filter\": \"open\", \"x\": 0}]", "");
  assert_collect (index, "[{}]", "");

  _quarry_key_index_free (index);
}

static void
test_key_index_collect_array (void)
{
  QuarryKeyIndex *index = index_new_filled ();

  assert_collect (index, "[\"users\", []]", "7 8 9 10");
  assert_collect (index, "[\"users\", [\"admin\"]]", "7 8 10");
  assert_collect (index, "[\"users\", [\"admin\", \"x\"]]", "7");
  assert_collect (index, "[\"users\", [\"admin\"], 1]", "7");
  assert_collect (index, "[\"users\", [\"admin\"], 2]", "8");
  assert_collect (index, "[\"users\", [], 1]", "7 9");
  assert_collect (index, "[\"users\", [\"guest\", \"x\"]]", "");
  assert_collect (index, "[\"users\", [\"adm\"]]", "");
  assert_collect (index, "[\"users\", {}]", "");
  assert_collect (index, "[[]]", "");

  _quarry_key_index_free (index);
}

static void
test_key_index_remove (void)
{
  QuarryKeyIndex *index = index_new_filled ();

  /* Removing an inner key keeps the keys below it. */
  remove_json (index, "[\"todos\"]");
  assert_collect (index, "[\"todos\"]", "2 3 4 5 6 13 15");

  /* Removing a leaf keeps its parent. */
  remove_json (index, "[\"todos\", {\"filter\": \"open\", \"page\": 1}, \"detail\"]");
  assert_collect (index, "[\"todos\", {\"page\": 1}]", "4 6");
  remove_json (index, "[\"todos\", {\"filter\": \"open\", \"page\": 1}]");
  assert_collect (index, "[\"todos\", {\"page\": 1}]", "6");
  assert_collect (index, "[\"todos\", {}]", "5 6");

  /* Removing what is not there changes nothing. */
  remove_json (index, "[\"todos\", 99]");
  remove_json (index, "[\"todos\", 1, \"deeper\"]");
  remove_json (index, "[\"nowhere\", 1, 2]");
  remove_json (index, "[\"todos\", {\"filter\": \"open\", \"page\": 1}]");
  assert_collect (index, "[]", "2 3 5 6 7 8 9 10 11 12 14 15");

  /* Pruning: the whole "users" branch goes away leaf by leaf. */
  remove_json (index, "[\"users\", [\"admin\", \"x\"], 1]");
  remove_json (index, "[\"users\", [\"admin\", \"y\"], 2]");
  assert_collect (index, "[\"users\"]", "9 10");
  remove_json (index, "[\"users\", [\"admin\"]]");
  remove_json (index, "[\"users\", [\"guest\"], 1]");
  assert_collect (index, "[\"users\"]", "");
  assert_collect (index, "[\"users\", []]", "");

  /* A pruned branch can be filled again. */
  insert_json (index, "[\"users\", [\"admin\", \"x\"], 1]", GUINT_TO_POINTER (70));
  assert_collect (index, "[\"users\", [\"admin\"]]", "70");

  /* The root key [] holds a value of its own. */
  remove_json (index, "[]");
  assert_collect (index, "[]", "2 3 5 6 11 14 15 70");

  _quarry_key_index_free (index);
}

static void
test_key_index_replace (void)
{
  QuarryKeyIndex *index = _quarry_key_index_new ();

  insert_json (index, "[\"a\", {\"x\": 1, \"y\": 2}]", GUINT_TO_POINTER (1));
  insert_json (index, "[\"a\", {\"y\": 2, \"x\": 1.0}]", GUINT_TO_POINTER (2));
  assert_collect (index, "[\"a\"]", "2");
  remove_json (index, "[\"a\", {\"x\": 1, \"y\": 2}]");
  assert_collect (index, "[]", "");

  _quarry_key_index_free (index);
}

static void
test_key_index_many (void)
{
  QuarryKeyIndex *index = _quarry_key_index_new ();
  const guint n = 2000;
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  /* value v = 1 + i, key ["k<i % 10>", {"page": i % 7, "id": i}, i] */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = g_strdup_printf ("[\"k%u\", {\"page\": %u, \"id\": %u}, %u]", i % 10, i % 7, i, i);

      insert_json (index, json, GUINT_TO_POINTER (i + 1));
    }

  {
    g_autoptr(QuarryKey) all = key_new ("[]");

    _quarry_key_index_collect (index, all, values);
    g_assert_cmpuint (values->len, ==, n);
    for (guint i = 0; i < values->len; i++)
      g_assert_true (g_hash_table_add (seen, g_ptr_array_index (values, i)));
    g_assert_cmpuint (g_hash_table_size (seen), ==, n);
  }

  for (guint bucket = 0; bucket < 10; bucket++)
    for (guint page = 0; page < 7; page++)
      {
        g_autofree char *json = g_strdup_printf ("[\"k%u\", {\"page\": %u}]", bucket, page);
        g_autoptr(QuarryKey) prefix = key_new (json);
        guint expected = 0;

        for (guint i = 0; i < n; i++)
          if (i % 10 == bucket && i % 7 == page)
            expected++;

        g_ptr_array_set_size (values, 0);
        _quarry_key_index_collect (index, prefix, values);
        g_assert_cmpuint (values->len, ==, expected);
        for (guint i = 0; i < values->len; i++)
          {
            guint v = GPOINTER_TO_UINT (g_ptr_array_index (values, i)) - 1;

            g_assert_cmpuint (v % 10, ==, bucket);
            g_assert_cmpuint (v % 7, ==, page);
          }
      }

  /* Remove the odd ones; the even ones stay, once each. */
  for (guint i = 1; i < n; i += 2)
    {
      g_autofree char *json = g_strdup_printf ("[\"k%u\", {\"id\": %u, \"page\": %u}, %u]", i % 10, i, i % 7, i);

      remove_json (index, json);
    }

  {
    g_autoptr(QuarryKey) all = key_new ("[]");

    g_ptr_array_set_size (values, 0);
    g_hash_table_remove_all (seen);
    _quarry_key_index_collect (index, all, values);
    g_assert_cmpuint (values->len, ==, n / 2);
    for (guint i = 0; i < values->len; i++)
      {
        guint v = GPOINTER_TO_UINT (g_ptr_array_index (values, i)) - 1;

        g_assert_cmpuint (v % 2, ==, 0);
        g_assert_true (g_hash_table_add (seen, g_ptr_array_index (values, i)));
      }
  }

  assert_collect (index, "[\"k1\"]", "");
  assert_collect (index, "[\"k3\", {}]", "");

  /* Remove the rest: the index is empty. */
  for (guint i = 0; i < n; i += 2)
    {
      g_autofree char *json = g_strdup_printf ("[\"k%u\", {\"page\": %u, \"id\": %u}, %u]", i % 10, i % 7, i, i);

      remove_json (index, json);
    }
  assert_collect (index, "[]", "");

  _quarry_key_index_free (index);
}

static void
test_key_index_free_filled (void)
{
  /* Freeing an index that still holds keys frees every node (valgrind). */
  QuarryKeyIndex *index = index_new_filled ();

  assert_collect (index, "[\"todos\", 2]", "3");
  _quarry_key_index_free (index);
}

/* Builder */

/* Adds @node to @builder, object members in the order the node iterates
 * them. */
static void
builder_add_node (QuarryKeyBuilder *builder,
                  JsonNode         *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      quarry_key_builder_add_null (builder);
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        quarry_key_builder_add_int (builder, json_node_get_int (node));
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        quarry_key_builder_add_double (builder, json_node_get_double (node));
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        quarry_key_builder_add_boolean (builder, json_node_get_boolean (node));
      else
        quarry_key_builder_add_string (builder, json_node_get_string (node));
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        quarry_key_builder_open_array (builder);
        for (guint i = 0; i < json_array_get_length (array); i++)
          builder_add_node (builder, json_array_get_element (array, i));
        quarry_key_builder_close_array (builder);
        break;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        quarry_key_builder_open_object (builder);
        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          {
            quarry_key_builder_add_member (builder, name);
            builder_add_node (builder, member);
          }
        quarry_key_builder_close_object (builder);
        break;
      }

    default:
      g_assert_not_reached ();
    }
}

static QuarryKey *
key_from_builder_node (JsonNode *node)
{
  QuarryKeyBuilder builder;
  JsonArray *array = json_node_get_array (node);

  quarry_key_builder_init (&builder);
  for (guint i = 0; i < json_array_get_length (array); i++)
    builder_add_node (&builder, json_array_get_element (array, i));
  return quarry_key_builder_end (&builder);
}

static void
assert_same_key (QuarryKey *a,
                 QuarryKey *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  if (!quarry_key_equal (a, b) || !quarry_key_equal (b, a))
    g_error ("expected equal keys: %s and %s", quarry_key_to_string (a), quarry_key_to_string (b));
  g_assert_cmpuint (quarry_key_hash (a), ==, quarry_key_hash (b));
  g_assert_cmpstr (quarry_key_to_string (a), ==, quarry_key_to_string (b));
  g_assert_cmpuint (quarry_key_get_length (a), ==, quarry_key_get_length (b));
}

static void
test_key_builder_basic (void)
{
  QuarryKeyBuilder builder;
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(QuarryKey) expected = key_new ("[\"todos\", {\"page\": 7, \"id\": 123}]");

  quarry_key_builder_init (&builder);
  quarry_key_builder_add_string (&builder, "todos");
  quarry_key_builder_open_object (&builder);
  quarry_key_builder_add_member_int (&builder, "page", 7);
  quarry_key_builder_add_member_int (&builder, "id", 123);
  quarry_key_builder_close_object (&builder);
  key = quarry_key_builder_end (&builder);

  assert_same_key (key, expected);
  g_assert_cmpstr (quarry_key_to_string (key), ==, "[\"todos\",{\"id\":123,\"page\":7}]");

  /* The builder is cleared by end(), and can be used again. */
  quarry_key_builder_clear (&builder);
  quarry_key_builder_init (&builder);
  {
    g_autoptr(QuarryKey) empty = quarry_key_builder_end (&builder);

    g_assert_cmpuint (quarry_key_get_length (empty), ==, 0);
    g_assert_cmpstr (quarry_key_to_string (empty), ==, "[]");
  }
}

static void
test_key_builder_types (void)
{
  g_auto(QuarryKeyBuilder) builder = QUARRY_KEY_BUILDER_INIT;
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(QuarryKey) expected = key_new ("[\"s\", -5, 2.5, true, false, null, [], {},"
                                           " [1, [\"x\", {\"b\": null, \"a\": [true]}]],"
                                           " {\"z\": \"zz\", \"d\": 0.5, \"t\": true, \"n\": null,"
                                           "  \"o\": {\"k\": [1, 2]}, \"i\": -1}]");

  quarry_key_builder_add_string (&builder, "s");
  quarry_key_builder_add_int (&builder, -5);
  quarry_key_builder_add_double (&builder, 2.5);
  quarry_key_builder_add_boolean (&builder, TRUE);
  quarry_key_builder_add_boolean (&builder, FALSE);
  quarry_key_builder_add_null (&builder);
  quarry_key_builder_open_array (&builder);
  quarry_key_builder_close_array (&builder);
  quarry_key_builder_open_object (&builder);
  quarry_key_builder_close_object (&builder);

  quarry_key_builder_open_array (&builder);
  quarry_key_builder_add_int (&builder, 1);
  quarry_key_builder_open_array (&builder);
  quarry_key_builder_add_string (&builder, "x");
  quarry_key_builder_open_object (&builder);
  quarry_key_builder_add_member_null (&builder, "b");
  quarry_key_builder_add_member (&builder, "a");
  quarry_key_builder_open_array (&builder);
  quarry_key_builder_add_boolean (&builder, TRUE);
  quarry_key_builder_close_array (&builder);
  quarry_key_builder_close_object (&builder);
  quarry_key_builder_close_array (&builder);
  quarry_key_builder_close_array (&builder);

  quarry_key_builder_open_object (&builder);
  quarry_key_builder_add_member_string (&builder, "z", "zz");
  quarry_key_builder_add_member_double (&builder, "d", 0.5);
  quarry_key_builder_add_member_boolean (&builder, "t", TRUE);
  quarry_key_builder_add_member_null (&builder, "n");
  quarry_key_builder_add_member (&builder, "o");
  quarry_key_builder_open_object (&builder);
  quarry_key_builder_add_member (&builder, "k");
  quarry_key_builder_open_array (&builder);
  quarry_key_builder_add_int (&builder, 1);
  quarry_key_builder_add_double (&builder, 2.0);
  quarry_key_builder_close_array (&builder);
  quarry_key_builder_close_object (&builder);
  quarry_key_builder_add_member_int (&builder, "i", -1);
  quarry_key_builder_close_object (&builder);

  key = quarry_key_builder_end (&builder);
  assert_same_key (key, expected);
  g_assert_cmpstr (quarry_key_to_string (key), ==,
                   "[\"s\",-5,2.5,true,false,null,[],{},[1,[\"x\",{\"a\":[true],\"b\":null}]],"
                   "{\"d\":0.5,\"i\":-1,\"n\":null,\"o\":{\"k\":[1,2]},\"t\":true,\"z\":\"zz\"}]");
}

static void
test_key_builder_canonical (void)
{
  g_auto(QuarryKeyBuilder) builder = QUARRY_KEY_BUILDER_INIT;
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(QuarryKey) expected = key_new ("[1, 0, null, null, null, -9223372036854775808, 9223372036854775808.0,"
                                           " 1e300, {\"a\": 3, \"b\": 2}]");

  /* Integral doubles are integers; NaN and infinities are null; a
   * repeated name keeps its last value. */
  quarry_key_builder_add_double (&builder, 1.0);
  quarry_key_builder_add_double (&builder, -0.0);
  quarry_key_builder_add_double (&builder, NAN);
  quarry_key_builder_add_double (&builder, INFINITY);
  quarry_key_builder_add_double (&builder, -INFINITY);
  quarry_key_builder_add_double (&builder, -9223372036854775808.0);
  quarry_key_builder_add_double (&builder, 9223372036854775808.0);
  quarry_key_builder_add_double (&builder, 1e300);
  quarry_key_builder_open_object (&builder);
  quarry_key_builder_add_member_int (&builder, "b", 1);
  quarry_key_builder_add_member_int (&builder, "a", 1);
  quarry_key_builder_add_member_int (&builder, "b", 2);
  quarry_key_builder_add_member_int (&builder, "a", 3);
  quarry_key_builder_close_object (&builder);
  key = quarry_key_builder_end (&builder);

  assert_same_key (key, expected);
  g_assert_cmpstr (quarry_key_to_string (key), ==,
                   "[1,0,null,null,null,-9223372036854775808,9.2233720368547758e+18,1.0000000000000001e+300,"
                   "{\"a\":3,\"b\":2}]");
}

static void
test_key_builder_two_members (void)
{
  g_autofree char *long_string = g_strnfill (300, 'y');
  g_autofree char *long_json = g_strdup_printf ("[{\"a\": 1, \"b\": \"%s\"}]", long_string);
  const struct { const char *json; const char *canonical; } cases[] = {
    { "[{\"a\": 1, \"b\": 2}]", "[{\"a\":1,\"b\":2}]" },
    { "[{\"b\": 2, \"a\": 1}]", "[{\"a\":1,\"b\":2}]" },
    { "[{\"ab\": [1, {\"y\": 2, \"x\": 3}], \"a\": {}}]", "[{\"a\":{},\"ab\":[1,{\"x\":3,\"y\":2}]}]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_canonical (cases[i].json, cases[i].canonical);

  /* A repeated name, and a first member too long for the stack. */
  {
    g_auto(QuarryKeyBuilder) builder = QUARRY_KEY_BUILDER_INIT;
    g_autoptr(QuarryKey) key = NULL;
    g_autoptr(QuarryKey) expected = key_new ("[{\"a\": 2}, 0]");

    quarry_key_builder_open_object (&builder);
    quarry_key_builder_add_member_int (&builder, "a", 1);
    quarry_key_builder_add_member_int (&builder, "a", 2);
    quarry_key_builder_close_object (&builder);
    quarry_key_builder_add_int (&builder, 0);
    key = quarry_key_builder_end (&builder);
    assert_same_key (key, expected);
  }
  {
    g_auto(QuarryKeyBuilder) builder = QUARRY_KEY_BUILDER_INIT;
    g_autoptr(QuarryKey) key = NULL;
    g_autoptr(QuarryKey) expected = key_new (long_json);

    quarry_key_builder_open_object (&builder);
    quarry_key_builder_add_member_string (&builder, "b", long_string);
    quarry_key_builder_add_member_int (&builder, "a", 1);
    quarry_key_builder_close_object (&builder);
    key = quarry_key_builder_end (&builder);
    assert_same_key (key, expected);
  }
}

static void
test_key_builder_large (void)
{
  g_auto(QuarryKeyBuilder) builder = QUARRY_KEY_BUILDER_INIT;
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(QuarryKey) parsed = NULL;
  g_autoptr(GString) json = g_string_new ("[");
  g_autofree char *long_string = g_strnfill (300, 'x');

  /* Past every inline buffer: a long string (a two-byte varint), an
   * array of 200 elements (a two-byte count), an object of 40 members
   * given in reverse order with repeats, and 100 nested arrays. */
  quarry_key_builder_add_string (&builder, long_string);
  g_string_append_printf (json, "\"%s\",", long_string);

  quarry_key_builder_open_array (&builder);
  g_string_append_c (json, '[');
  for (guint i = 0; i < 200; i++)
    {
      quarry_key_builder_add_int (&builder, (gint64) i * 1000003);
      g_string_append_printf (json, "%s%u", i > 0 ? "," : "", i * 1000003);
    }
  quarry_key_builder_close_array (&builder);
  g_string_append (json, "],{");

  quarry_key_builder_open_object (&builder);
  for (guint i = 40; i-- > 0;)
    {
      g_autofree char *name = g_strdup_printf ("m%02u", i % 30);

      quarry_key_builder_add_member (&builder, name);
      quarry_key_builder_open_array (&builder);
      quarry_key_builder_add_int (&builder, i);
      quarry_key_builder_close_array (&builder);
      if (i < 30)
        g_string_append_printf (json, "\"%s\":[%u]%s", name, i, i > 0 ? "," : "");
    }
  quarry_key_builder_close_object (&builder);
  g_string_append (json, "},");

  for (guint i = 0; i < 100; i++)
    {
      quarry_key_builder_open_array (&builder);
      g_string_append_c (json, '[');
    }
  quarry_key_builder_add_string (&builder, "deep");
  g_string_append (json, "\"deep\"");
  for (guint i = 0; i < 100; i++)
    {
      quarry_key_builder_close_array (&builder);
      g_string_append_c (json, ']');
    }
  g_string_append_c (json, ']');

  key = quarry_key_builder_end (&builder);
  parsed = key_new (json->str);
  assert_same_key (key, parsed);
  g_assert_cmpuint (quarry_key_get_length (key), ==, 4);
}

typedef void (*Misuse) (QuarryKeyBuilder *builder);

static void
misuse_value_without_name (QuarryKeyBuilder *builder)
{
  quarry_key_builder_open_object (builder);
  quarry_key_builder_add_int (builder, 1);
}

static void
misuse_member_outside_object (QuarryKeyBuilder *builder)
{
  quarry_key_builder_open_array (builder);
  quarry_key_builder_add_member (builder, "a");
}

static void
misuse_member_at_top (QuarryKeyBuilder *builder)
{
  quarry_key_builder_add_member_int (builder, "a", 1);
}

static void
misuse_two_names (QuarryKeyBuilder *builder)
{
  quarry_key_builder_open_object (builder);
  quarry_key_builder_add_member (builder, "a");
  quarry_key_builder_add_member (builder, "b");
}

static void
misuse_close_nothing (QuarryKeyBuilder *builder)
{
  quarry_key_builder_close_array (builder);
}

static void
misuse_close_wrong_array (QuarryKeyBuilder *builder)
{
  quarry_key_builder_open_object (builder);
  quarry_key_builder_close_array (builder);
}

static void
misuse_close_wrong_object (QuarryKeyBuilder *builder)
{
  quarry_key_builder_open_array (builder);
  quarry_key_builder_close_object (builder);
}

static void
misuse_close_without_value (QuarryKeyBuilder *builder)
{
  quarry_key_builder_open_object (builder);
  quarry_key_builder_add_member (builder, "a");
  quarry_key_builder_close_object (builder);
}

static void
misuse_too_deep (QuarryKeyBuilder *builder)
{
  for (guint i = 0; i < 129; i++)
    quarry_key_builder_open_array (builder);
}

static void
misuse_string_utf8 (QuarryKeyBuilder *builder)
{
  quarry_key_builder_add_string (builder, "caf\xc3");
}

static void
misuse_name_utf8 (QuarryKeyBuilder *builder)
{
  quarry_key_builder_open_object (builder);
  quarry_key_builder_add_member (builder, "\xed\xa0\x80");
}

static void
misuse_null_string (QuarryKeyBuilder *builder)
{
  quarry_key_builder_add_string (builder, NULL);
  /* g_return_if_fail() does not poison the builder: poison it now. */
  quarry_key_builder_add_member (builder, "x");
}

static void
test_key_builder_misuse (void)
{
  const struct { Misuse func; const char *message; } cases[] = {
    { misuse_value_without_name, "*add_int: a value inside an object needs a member name first*" },
    { misuse_member_outside_object, "*add_member: a member name can only be added inside an object*" },
    { misuse_member_at_top, "*add_member_int: a member name can only be added inside an object*" },
    { misuse_two_names, "*add_member: the previous member has no value yet*" },
    { misuse_close_nothing, "*close_array: no array is open*" },
    { misuse_close_wrong_array, "*close_array: no array is open*" },
    { misuse_close_wrong_object, "*close_object: no object is open*" },
    { misuse_close_without_value, "*close_object: the last member has no value*" },
    { misuse_too_deep, "*open_array: arrays and objects cannot nest more than 128 deep*" },
    { misuse_string_utf8, "*add_string: the string is not valid UTF-8*" },
    { misuse_name_utf8, "*add_member: the member name is not valid UTF-8*" },
    { misuse_null_string, "*add_string: assertion*value != NULL*" },
  };

  if (!g_test_undefined ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      QuarryKeyBuilder builder;

      quarry_key_builder_init (&builder);
      quarry_key_builder_add_string (&builder, "before");
      g_test_expect_message ("Quarry", G_LOG_LEVEL_CRITICAL, cases[i].message);
      if (cases[i].func == misuse_null_string)
        g_test_expect_message ("Quarry", G_LOG_LEVEL_CRITICAL, "*add_member: a member name*");
      cases[i].func (&builder);
      g_test_assert_expected_messages ();

      /* The builder ignores the rest, quietly, and makes no key. */
      quarry_key_builder_add_int (&builder, 5);
      quarry_key_builder_open_object (&builder);
      quarry_key_builder_add_member_string (&builder, "a", "b");
      quarry_key_builder_close_array (&builder);
      g_assert_null (quarry_key_builder_end (&builder));
      quarry_key_builder_clear (&builder);
    }

  /* Ending with a container open. */
  {
    g_auto(QuarryKeyBuilder) builder = QUARRY_KEY_BUILDER_INIT;

    quarry_key_builder_open_array (&builder);
    quarry_key_builder_open_object (&builder);
    g_test_expect_message ("Quarry", G_LOG_LEVEL_CRITICAL, "*builder_end: an object is still open*");
    g_assert_null (quarry_key_builder_end (&builder));
    g_test_assert_expected_messages ();
  }

  /* Abandoning a builder that went to the heap frees it (valgrind). */
  {
    g_auto(QuarryKeyBuilder) builder = QUARRY_KEY_BUILDER_INIT;

    for (guint i = 0; i < 50; i++)
      {
        quarry_key_builder_open_object (&builder);
        quarry_key_builder_add_member (&builder, "a long member name, past the inline bytes");
      }
  }
}

/* Constructors agree */

/* A GVariant with the value of @node, in one of the forms that
 * quarry_key_new_from_variant() takes, chosen by @rand. */
static GVariant *
node_to_variant (JsonNode *node,
                 GRand    *rand)
{
  GVariant *variant = NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      variant = g_variant_new_maybe (g_rand_boolean (rand) ? G_VARIANT_TYPE_STRING : G_VARIANT_TYPE_INT32, NULL);
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        {
          gint64 v = json_node_get_int (node);

          if (v >= G_MININT32 && v <= G_MAXINT32 && g_rand_boolean (rand))
            variant = g_variant_new_int32 (v);
          else if (v >= 0 && g_rand_boolean (rand))
            variant = g_variant_new_uint64 (v);
          else if (v >= 0 && v <= G_MAXUINT16 && g_rand_boolean (rand))
            variant = g_variant_new_uint16 (v);
          else
            variant = g_variant_new_int64 (v);
        }
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        variant = g_variant_new_double (json_node_get_double (node));
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        variant = g_variant_new_boolean (json_node_get_boolean (node));
      else
        variant = g_variant_new_string (json_node_get_string (node));
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        gboolean tuple = g_rand_boolean (rand);
        g_autofree GVariant **children = g_new (GVariant *, n + 1);

        for (guint i = 0; i < n; i++)
          {
            GVariant *child = node_to_variant (json_array_get_element (array, i), rand);

            children[i] = tuple ? child : g_variant_new_variant (child);
          }
        variant = tuple ? g_variant_new_tuple (children, n)
                        : g_variant_new_array (G_VARIANT_TYPE_VARIANT, children, n);
        break;
      }

    case JSON_NODE_OBJECT:
      {
        GVariantBuilder builder;
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          g_variant_builder_add (&builder, "{sv}", name, node_to_variant (member, rand));
        variant = g_variant_builder_end (&builder);
        break;
      }

    default:
      g_assert_not_reached ();
    }

  /* Boxes are unwrapped. */
  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0:
      return g_variant_new_variant (variant);
    case 1:
      return g_variant_new_maybe (NULL, variant);
    default:
      return variant;
    }
}

/* A GVariant for the key @node: an "av" or a tuple, maybe in a variant. */
static GVariant *
key_node_to_variant (JsonNode *node,
                     GRand    *rand)
{
  for (;;)
    {
      GVariant *variant = node_to_variant (node, rand);

      if (!g_variant_is_of_type (variant, G_VARIANT_TYPE_MAYBE))
        return variant;
      g_variant_unref (g_variant_ref_sink (variant));
    }
}

/* Makes @json (a JSON array) into a key in every way there is, checks that
 * they agree, and returns one. */
static QuarryKey *
assert_constructors_agree (const char *json,
                           GRand      *rand)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  g_autoptr(QuarryKey) from_string = NULL;
  g_autoptr(QuarryKey) from_json = NULL;
  g_autoptr(QuarryKey) from_builder = NULL;
  g_autoptr(QuarryKey) from_variant = NULL;
  g_autoptr(QuarryKey) from_canonical_variant = NULL;
  g_autoptr(QuarryKey) from_text = NULL;
  g_autoptr(QuarryKey) from_to_json = NULL;
  g_autoptr(JsonNode) to_json = NULL;

  g_assert_no_error (error);

  from_string = quarry_key_new_from_string (json, &error);
  g_assert_no_error (error);
  from_json = quarry_key_new_from_json (node, &error);
  g_assert_no_error (error);
  from_builder = key_from_builder_node (node);
  from_variant = quarry_key_new_from_variant (key_node_to_variant (node, rand), &error);
  g_assert_no_error (error);

  assert_same_key (from_string, from_json);
  assert_same_key (from_string, from_builder);
  assert_same_key (from_string, from_variant);

  /* Each form of the key gives it back. */
  from_text = quarry_key_new_from_string (quarry_key_to_string (from_json), &error);
  g_assert_no_error (error);
  assert_same_key (from_string, from_text);

  from_canonical_variant = quarry_key_new_from_variant (quarry_key_get_variant (from_builder), &error);
  g_assert_no_error (error);
  assert_same_key (from_string, from_canonical_variant);

  to_json = quarry_key_to_json (from_variant);
  from_to_json = quarry_key_new_from_json (to_json, &error);
  g_assert_no_error (error);
  assert_same_key (from_string, from_to_json);

  for (guint i = 0; i < quarry_key_get_length (from_string); i++)
    {
      g_autoptr(JsonNode) segment = quarry_key_dup_segment (from_string, i);

      g_assert_true (json_node_equal (segment, json_array_get_element (json_node_get_array (to_json), i)));
    }

  return g_steal_pointer (&from_string);
}

static void
test_key_constructors_agree (void)
{
  const char *groups[][3] = {
    { "[\"todos\", {\"page\": 7, \"id\": 123}]", "[\"todos\",{\"id\":123,\"page\":7}]", "[\"todos\", {\"id\": 123.0, \"page\": 7e0}]" },
    { "[1, -1, 0]", "[1.0, -1.0, -0.0]", "[1e0, -10e-1, 0e5]" },
    { "[{\"b\": {\"d\": [1, {\"y\": 1, \"x\": 2}], \"c\": null}, \"a\": []}]",
      "[{\"a\": [], \"b\": {\"c\": null, \"d\": [1, {\"x\": 2, \"y\": 1}]}}]",
      "[{\"a\":[],\"b\":{\"d\":[1.0,{\"y\":1,\"x\":2.0}],\"c\":null}}]" },
    { "[\"é\", \"😀\", \"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\"]",
      "[\"\\u00e9\", \"\\ud83d\\ude00\", \"\\\"\\\\\\/\\u0008\\u000c\\u000a\\u000d\\u0009\\u0001\"]",
      "[\"\\u00E9\", \"\\uD83D\\uDE00\", \"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\"]" },
    { "[{\"é\": 1, \"e\": 2, \"E\": 3}]", "[{\"E\": 3, \"e\": 2, \"\\u00e9\": 1}]", "[{\"e\": 2, \"\\u00e9\": 1, \"E\": 3}]" },
    { "[[], {}, [[]], [{}], \"\"]", "[ [ ] , { } , [ [ ] ] , [ { } ] , \"\" ]", "[[],{},[[]],[{}],\"\"]" },
    { "[9223372036854775807, -9223372036854775808]", "[9223372036854775807, -9223372036854775808]",
      "[9223372036854775807, -9223372036854775808.0e0]" },
    { "[0.5, 1e300, -2.5e-300]", "[5e-1, 1e+300, -25e-301]", "[0.50, 10e299, -0.25e-299]" },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      g_autoptr(QuarryKey) first = assert_constructors_agree (groups[g][0], rand);

      for (guint i = 1; i < 3; i++)
        {
          g_autoptr(QuarryKey) other = assert_constructors_agree (groups[g][i], rand);

          assert_same_key (first, other);
        }

      /* Different groups differ. */
      for (guint h = 0; h < g; h++)
        {
          g_autoptr(QuarryKey) other = key_new (groups[h][0]);

          g_assert_false (quarry_key_equal (first, other));
        }
    }
}

static void
test_key_from_variant_non_finite (void)
{
  /* NaN and infinities, which JSON text cannot hold, are null from a
   * GVariant and from a JsonNode too. */
  g_autoptr(QuarryKey) expected = key_new ("[null, null, null, {\"x\": null}]");
  g_autoptr(QuarryKey) from_variant = key_from_variant (g_variant_new_parsed ("(@d nan, @d inf, @d -inf, {'x': <@d nan>})"));
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(QuarryKey) from_json = NULL;
  g_autoptr(GError) error = NULL;

  json_array_add_double_element (array, NAN);
  json_array_add_double_element (array, INFINITY);
  json_array_add_double_element (array, -INFINITY);
  json_object_set_double_member (object, "x", NAN);
  json_array_add_object_element (array, g_steal_pointer (&object));
  json_node_set_array (node, array);
  from_json = quarry_key_new_from_json (node, &error);
  g_assert_no_error (error);

  assert_same_key (from_variant, expected);
  assert_same_key (from_json, expected);
}

static void
test_key_from_json_invalid_utf8 (void)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  QuarryKey *key;

  json_array_add_string_element (array, "caf\xc3");
  json_node_set_array (node, array);
  key = quarry_key_new_from_json (node, &error);
  g_assert_null (key);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY);
  g_assert_cmpstr (error->message, ==, "A query key can only hold text that is valid UTF-8");
  g_clear_error (&error);

  json_array_remove_element (array, 0);
  json_object_set_int_member (object, "\xff", 1);
  json_array_add_object_element (array, g_steal_pointer (&object));
  key = quarry_key_new_from_json (node, &error);
  g_assert_null (key);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY);
}

/* Parser */

static void
assert_parse_error (const char *json,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  QuarryKey *key = quarry_key_new_from_string (json, &error);

  if (key != NULL)
    g_error ("“%s” was accepted as %s", json, quarry_key_to_string (key));
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY);
  if (!g_pattern_match_simple (message, error->message))
    g_error ("“%s”: the message “%s” does not match “%s”", json, error->message, message);
}

static void
test_key_parser_strict (void)
{
  /* What json-glib accepts but JSON does not. */
  assert_parse_error ("[01]", "A query key must be valid JSON: line 1, column 3: invalid number");
  assert_parse_error ("[-01]", "*line 1, column 4: invalid number");
  assert_parse_error ("[.5]", "*line 1, column 2: unexpected character “.”");
  assert_parse_error ("[1.]", "*line 1, column 4: invalid number");
  assert_parse_error ("[1.e5]", "*");
  assert_parse_error ("[0x10]", "*line 1, column 3: unexpected character “x”");
  assert_parse_error ("['a']", "*unexpected character “'”");
  assert_parse_error ("[1] /* comment */", "*line 1, column 5: unexpected character “/”");
  assert_parse_error ("[1, // comment\n 2]", "*");
  assert_parse_error ("[\"a\tb\"]", "*line 1, column 4: unescaped control character in a string");
  assert_parse_error ("[\"a\\xb\"]", "*line 1, column 4: invalid escape sequence");
  assert_parse_error ("[\"\\u12\"]", "*");
  assert_parse_error ("[\"a\\\n\"]", "*");
  assert_parse_error ("[ident]", "*");
  assert_parse_error ("[NaN]", "*");
  assert_parse_error ("[Infinity]", "*");
  assert_parse_error ("[-Infinity]", "*");
  assert_parse_error ("[+1]", "*");
  assert_parse_error ("[tru]", "*");
  assert_parse_error ("[nul]", "*");
  assert_parse_error ("[truex]", "*");
  assert_parse_error ("[1e]", "*");
  assert_parse_error ("[1e+]", "*");
  assert_parse_error ("[-]", "*");
  assert_parse_error ("[\"a\" \"b\"]", "*");
  assert_parse_error ("[{\"a\" 1}]", "*");
  assert_parse_error ("[{\"a\": 1 \"b\": 2}]", "*");
  assert_parse_error ("[{a: 1}]", "*");
  assert_parse_error ("[{1: 1}]", "*");
  assert_parse_error ("[\x0b" "1]", "*");
  assert_parse_error ("[\xc2\xa0" "1]", "*");

  /* Trailing commas, missing elements, trailing text. */
  assert_parse_error ("[1,]", "*");
  assert_parse_error ("[,1]", "*");
  assert_parse_error ("[1,,2]", "*");
  assert_parse_error ("[{\"a\": 1,}]", "*");
  assert_parse_error ("[[1,],2]", "*");
  assert_parse_error ("[1] x", "*");
  assert_parse_error ("[1]]", "*");
  assert_parse_error ("[1] [2]", "*");
  assert_parse_error ("[1", "*");
  assert_parse_error ("[\"abc", "*");
  assert_parse_error ("[\"abc\\", "*");
  assert_parse_error ("[{\"a\":", "*");
  assert_parse_error ("[{", "*");
  assert_parse_error ("[", "*");

  /* Not arrays: the messages json-glib's parser gave, as before. */
  assert_parse_error ("", "A query key must be a JSON array, not empty text");
  assert_parse_error (" \n\t ", "A query key must be a JSON array, not empty text");
  assert_parse_error ("\xef\xbb\xbf ", "A query key must be a JSON array, not empty text");
  assert_parse_error ("{\"a\": [1]}", "A query key must be a JSON array, not “JsonObject”");
  assert_parse_error (" 5 ", "A query key must be a JSON array, not “Integer”");
  assert_parse_error ("-5.5", "A query key must be a JSON array, not “Floating Point”");
  assert_parse_error ("\"x\"", "A query key must be a JSON array, not “String”");
  assert_parse_error ("true", "A query key must be a JSON array, not “Boolean”");
  assert_parse_error ("null", "A query key must be a JSON array, not “NULL”");
  assert_parse_error ("{\"a\": 1", "A query key must be valid JSON: line 1, column 8: the text ends too early");
  assert_parse_error ("5 5", "A query key must be valid JSON: line 1, column 3: unexpected character “5”");
  assert_parse_error ("[1,", "A query key must be valid JSON: line 1, column 4: the text ends too early");
  assert_parse_error ("[1 2]", "A query key must be valid JSON: line 1, column 4: unexpected character “2”");
  assert_parse_error ("[\"\x01\"]", "*line 1, column 3: unescaped control character in a string");
  assert_parse_error ("[\"\xff\"]", "*line 1, column 3: invalid UTF-8");
  assert_parse_error ("[\x7f]", "*line 1, column 2: unexpected character “U+007F”");
  assert_parse_error ("[\xff]", "*line 1, column 2: unexpected character “\\xff”");
  assert_parse_error ("[\"\\ud800\"]", "*line 1, column 3: lone UTF-16 surrogate in a \\u escape");
}

static void
test_key_parser_unicode (void)
{
  g_autoptr(QuarryKey) pair = key_new ("[\"\\ud83d\\ude00\", \"\\u00e9\\u4e2d\\uffff\"]");
  g_autoptr(QuarryKey) literal = key_new ("[\"😀\", \"é中\xef\xbf\xbf\"]");
  g_autoptr(QuarryKey) bom = key_new ("\xef\xbb\xbf[1]");
  g_autoptr(QuarryKey) one = key_new ("[1]");

  assert_same_key (pair, literal);
  assert_same_key (bom, one);

  /* Lone surrogates and U+0000 cannot be UTF-8 text. */
  assert_parse_error ("[\"\\ud800\"]", "A query key must be valid JSON: *");
  assert_parse_error ("[\"\\udc00\"]", "*");
  assert_parse_error ("[\"\\ud800\\u0041\"]", "*");
  assert_parse_error ("[\"\\ud800\\udbff\"]", "*");
  assert_parse_error ("[\"a\\u0000b\"]", "A query key cannot hold the character U+0000");
  assert_parse_error ("[{\"\\u0000\": 1}]", "A query key cannot hold the character U+0000");

  /* Invalid UTF-8: a stray continuation byte, an overlong form, an
   * encoded surrogate, a code point above U+10FFFF, a truncated
   * sequence, in strings and names, after an escape or not. */
  assert_parse_error ("[\"\x80\"]", "*");
  assert_parse_error ("[\"\xc0\x80\"]", "*");
  assert_parse_error ("[\"\xe0\x80\x80\"]", "*");
  assert_parse_error ("[\"\xed\xa0\x80\"]", "*");
  assert_parse_error ("[\"\xf4\x90\x80\x80\"]", "*");
  assert_parse_error ("[\"\xe2\x82\"]", "*");
  assert_parse_error ("[\"\\n\xff\"]", "*");
  assert_parse_error ("[{\"\xff\": 1}]", "*");
  assert_parse_error ("[\xff]", "*");
}

static void
test_key_parser_numbers (void)
{
  const struct { const char *json; const char *canonical; } cases[] = {
    { "[0, -0, 0.0, -0.0, 0e10, -0E-10]", "[0,0,0,0,0,0]" },
    { "[9223372036854775807, -9223372036854775808]", "[9223372036854775807,-9223372036854775808]" },
    { "[9223372036854775808]", "[9.2233720368547758e+18]" },
    { "[-9223372036854775809]", "[-9223372036854775808]" },
    { "[12345678901234567890123]", "[1.2345678901234568e+22]" },
    { "[1e400, -1e400, 1e-400, -1e-400]", "[null,null,0,0]" },
    { "[1e18, 1e19, 1.5e1, 150e-1]", "[1000000000000000000,1e+19,15,15]" },
    { "[0.1, 0.30000000000000004, 5e-324, 2.2250738585072014e-308]",
      "[0.10000000000000001,0.30000000000000004,4.9406564584124654e-324,2.2250738585072014e-308]" },
    { "[1.7976931348623157e308, 1.7976931348623159e308]", "[1.7976931348623157e+308,null]" },
    { "[0.000000000000000000000000000001]", "[1.0000000000000001e-30]" },
    { "[123456789012345678901234567890e-10]", "[1.2345678901234567e+19]" },
    { "[100000000000000000000000000000.0e-29]", "[1]" },
    { "[1E2, 1e+2, 1e-2, 1E-2]", "[100,100,0.01,0.01]" },
    { "[123.456e5, 4.35, 1e22, 1e23]", "[12345600,4.3499999999999996,1e+22,9.9999999999999992e+22]" },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *digits = g_strnfill (400, '0');
  g_autofree char *huge = g_strdup_printf ("[1%s]", digits);
  g_autofree char *tiny = g_strdup_printf ("[0.%s1]", digits);
  g_autofree char *long_one = g_strdup_printf ("[1.%s, 1%s.0e-400]", digits, digits);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_canonical (cases[i].json, cases[i].canonical);
  assert_canonical (huge, "[null]");
  assert_canonical (tiny, "[0]");
  assert_canonical (long_one, "[1,1]");

  /* Whatever the digits, a number is the double g_ascii_strtod() reads,
   * canonical: random doubles in several notations. */
  for (guint i = 0; i < 5000; i++)
    {
      guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      const char *formats[] = { "%.17g", "%.15g", "%.3e", "%.20f", "%.1f" };
      char text[400];
      char json[420];
      double d;

      memcpy (&d, &bits, sizeof d);
      if (i % 3 == 0)
        d = g_rand_double_range (rand, -1e6, 1e6);
      if (!isfinite (d))
        continue;

      g_ascii_formatd (text, sizeof text, formats[i % G_N_ELEMENTS (formats)], d);
      g_snprintf (json, sizeof json, "[%s]", text);
      {
        g_autoptr(QuarryKey) parsed = key_new (json);
        g_auto(QuarryKeyBuilder) builder = QUARRY_KEY_BUILDER_INIT;
        g_autoptr(QuarryKey) built = NULL;

        quarry_key_builder_add_double (&builder, g_ascii_strtod (text, NULL));
        built = quarry_key_builder_end (&builder);
        if (!quarry_key_equal (parsed, built))
          g_error ("%s is %s, not %s", json, quarry_key_to_string (parsed), quarry_key_to_string (built));
      }
    }
}

static void
test_key_parser_whitespace (void)
{
  g_autoptr(QuarryKey) spaced = key_new (" \t\r\n[ \t\r\n\"a\" \t\r\n, \t\r\n{ \t\r\n\"b\" \t\r\n: \t\r\n[ \t\r\n1 \t\r\n] \t\r\n} \t\r\n] \t\r\n");
  g_autoptr(QuarryKey) compact = key_new ("[\"a\",{\"b\":[1]}]");

  assert_same_key (spaced, compact);
  assert_parse_error ("[1,\n  01]", "*line 2, column 4: invalid number");
  assert_parse_error ("[\"é\", 01]", "*line 1, column 8: invalid number");
}

static void
test_key_parser_deep (void)
{
  g_autoptr(GString) ok = g_string_new (NULL);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) object = g_string_new ("[");
  g_autofree char *very_deep = NULL;
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(QuarryKey) again = NULL;
  g_autoptr(QuarryKey) from_variant = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  GVariant *variant;

  /* 128 containers inside the key: fine, in every form. */
  g_string_append_c (ok, '[');
  for (guint i = 0; i < 128; i++)
    g_string_append (ok, i % 2 ? "{\"k\":" : "[");
  g_string_append (ok, "1");
  for (guint i = 128; i-- > 0;)
    g_string_append (ok, i % 2 ? "}" : "]");
  g_string_append_c (ok, ']');

  key = assert_constructors_agree (ok->str, rand);
  again = key_new (quarry_key_to_string (key));
  assert_same_key (key, again);
  g_assert_true (quarry_key_matches (key, again, FALSE));

  /* 129: an error from every constructor. */
  g_string_append_c (deep, '[');
  for (guint i = 0; i < 129; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 130; i++)
    g_string_append_c (deep, ']');
  assert_parse_error (deep->str, "A query key cannot nest arrays and objects more than 128 deep");

  node = json_from_string (deep->str, NULL);
  g_assert_nonnull (node);
  g_assert_null (quarry_key_new_from_json (node, &error));
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY);
  g_clear_error (&error);

  variant = g_variant_new_int32 (1);
  for (guint i = 0; i < 130; i++)
    variant = g_variant_new_tuple (&variant, 1);
  g_assert_null (quarry_key_new_from_variant (variant, &error));
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY);
  g_clear_error (&error);

  /* Objects count too. */
  for (guint i = 0; i < 129; i++)
    g_string_append (object, "{\"a\":");
  g_string_append (object, "1");
  for (guint i = 0; i < 129; i++)
    g_string_append_c (object, '}');
  g_string_append_c (object, ']');
  assert_parse_error (object->str, "A query key cannot nest arrays and objects more than 128 deep");

  /* Far deeper: no recursion to overflow the stack. */
  very_deep = g_strnfill (1000000, '[');
  assert_parse_error (very_deep, "A query key cannot nest arrays and objects more than 128 deep");

  /* Variants inside variants are unwrapped without recursion. */
  variant = g_variant_new_int32 (5);
  for (guint i = 0; i < 100000; i++)
    variant = g_variant_new_variant (variant);
  variant = g_variant_new_tuple (&variant, 1);
  from_variant = key_from_variant (variant);
  g_assert_cmpstr (quarry_key_to_string (from_variant), ==, "[5]");
}

/* Random keys */

static const char *random_names[] = { "a", "b", "B", "ab", "page", "id", "é", "", "\"q\"", "x\ny" };
static const char *random_strings[] = {
  "", "a", "todos", "é", "✓", "😀", "\"", "\\", "a/b", "\n\t", "\001", "\037", "\177", "page", "B", "ab",
};

static JsonNode *
random_node (GRand *rand,
             guint  depth)
{
  switch (g_rand_int_range (rand, 0, depth < 3 ? 10 : 7))
    {
    case 0:
      return json_node_init_null (json_node_alloc ());
    case 1:
      return json_node_init_boolean (json_node_alloc (), g_rand_boolean (rand));
    case 2:
      return json_node_init_int (json_node_alloc (), g_rand_int_range (rand, -300, 300));
    case 3:
      {
        /* Shifted as unsigned: a left shift into a negative gint64 is
         * undefined. */
        gint64 v = (gint64) (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand));

        return json_node_init_int (json_node_alloc (), v >> g_rand_int_range (rand, 0, 63));
      }
    case 4:
      {
        double d;

        switch (g_rand_int_range (rand, 0, 5))
          {
          case 0: d = g_rand_int_range (rand, -50, 50); break;
          case 1: d = g_rand_double_range (rand, -1000, 1000); break;
          case 2: d = g_rand_double_range (rand, -1, 1) * 1e25; break;
          case 3: d = g_rand_double_range (rand, -1, 1) * 1e-200; break;
          default: d = -0.0; break;
          }
        return json_node_init_double (json_node_alloc (), d);
      }
    case 5:
    case 6:
      return json_node_init_string (json_node_alloc (),
                                    random_strings[g_rand_int_range (rand, 0, G_N_ELEMENTS (random_strings))]);
    case 7:
    case 8:
      {
        JsonArray *array = json_array_new ();
        guint n = g_rand_int_range (rand, 0, 4);

        JsonNode *node;

        for (guint i = 0; i < n; i++)
          json_array_add_element (array, random_node (rand, depth + 1));
        node = json_node_init_array (json_node_alloc (), array);
        json_array_unref (array);
        return node;
      }
    default:
      {
        JsonObject *object = json_object_new ();
        guint n = g_rand_int_range (rand, 0, 5);

        JsonNode *node;

        for (guint i = 0; i < n; i++)
          json_object_set_member (object, random_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (random_names))],
                                  random_node (rand, depth + 1));
        node = json_node_init_object (json_node_alloc (), object);
        json_object_unref (object);
        return node;
      }
    }
}

static void
append_space (GString *out,
              GRand   *rand)
{
  const char *spaces[] = { "", "", "", " ", "\n", "\t ", "\r\n  " };

  g_string_append (out, spaces[g_rand_int_range (rand, 0, G_N_ELEMENTS (spaces))]);
}

/* Writes @s as a JSON string, escaping at random what may be escaped. */
static void
append_random_string (GString    *out,
                      const char *s,
                      GRand      *rand)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean escape = g_rand_int_range (rand, 0, 4) == 0;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '/' && escape)
        g_string_append (out, "\\/");
      else if (c < 0x20 || escape)
        {
          if (c == '\n' && g_rand_boolean (rand))
            g_string_append (out, "\\n");
          else if (c < 0x10000)
            g_string_append_printf (out, g_rand_boolean (rand) ? "\\u%04x" : "\\u%04X", c);
          else
            g_string_append_printf (out, "\\u%04x\\u%04x",
                                    0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff));
        }
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  g_string_append_c (out, '"');
}

/* Writes @node as JSON text, with random spacing, escapes, number forms
 * and member order. */
static void
append_random_text (GString  *out,
                    JsonNode *node,
                    GRand    *rand)
{
  append_space (out, rand);
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        {
          gint64 v = json_node_get_int (node);

          if (v > -1000000 && v < 1000000 && g_rand_int_range (rand, 0, 4) == 0)
            g_string_append_printf (out, "%" G_GINT64_FORMAT ".0%s", v, g_rand_boolean (rand) ? "e0" : "");
          else
            g_string_append_printf (out, "%" G_GINT64_FORMAT, v);
        }
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.17g", json_node_get_double (node)));
        }
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      else
        append_random_string (out, json_node_get_string (node), rand);
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_random_text (out, json_array_get_element (array, i), rand);
          }
        append_space (out, rand);
        g_string_append_c (out, ']');
        break;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();

        for (GList *l = members; l != NULL; l = l->next)
          g_ptr_array_insert (names, g_rand_int_range (rand, 0, names->len + 1), l->data);

        g_string_append_c (out, '{');
        for (guint i = 0; i < names->len; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_space (out, rand);
            append_random_string (out, g_ptr_array_index (names, i), rand);
            append_space (out, rand);
            g_string_append_c (out, ':');
            append_random_text (out, json_object_get_member (object, g_ptr_array_index (names, i)), rand);
          }
        append_space (out, rand);
        g_string_append_c (out, '}');
        break;
      }

    default:
      g_assert_not_reached ();
    }
  append_space (out, rand);
}

static void
test_key_random_constructors (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240611);

  for (guint round = 0; round < 3000; round++)
    {
      JsonArray *array = json_array_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GString) text2 = g_string_new (NULL);
      g_autoptr(QuarryKey) key = NULL;
      g_autoptr(QuarryKey) key2 = NULL;
      guint n = g_rand_int_range (rand, 0, 5);

      for (guint i = 0; i < n; i++)
        json_array_add_element (array, random_node (rand, 0));
      node = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);

      /* The same value, written two ways. */
      append_random_text (text, node, rand);
      append_random_text (text2, node, rand);
      key = assert_constructors_agree (text->str, rand);
      key2 = assert_constructors_agree (text2->str, rand);
      assert_same_key (key, key2);
      g_assert_true (quarry_key_matches (key, key2, FALSE));
      g_assert_true (quarry_key_matches (key2, key, TRUE));
    }
}

/* TanStack's partialMatchKey() on JSON nodes, as the reference. */
static gboolean
reference_matches (JsonNode *value,
                   JsonNode *filter)
{
  if (json_node_get_node_type (value) != json_node_get_node_type (filter))
    return FALSE;

  switch (json_node_get_node_type (filter))
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_VALUE:
      {
        /* Scalars are equal when their canonical text is. */
        g_autoptr(JsonArray) va = json_array_new ();
        g_autoptr(JsonArray) fa = json_array_new ();
        g_autoptr(JsonNode) vn = json_node_init_array (json_node_alloc (), va);
        g_autoptr(JsonNode) fn = json_node_init_array (json_node_alloc (), fa);
        g_autoptr(QuarryKey) vk = NULL;
        g_autoptr(QuarryKey) fk = NULL;

        json_array_add_element (va, json_node_copy (value));
        json_array_add_element (fa, json_node_copy (filter));
        vk = quarry_key_new_from_json (vn, NULL);
        fk = quarry_key_new_from_json (fn, NULL);
        return g_strcmp0 (quarry_key_to_string (vk), quarry_key_to_string (fk)) == 0;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *v = json_node_get_array (value);
        JsonArray *f = json_node_get_array (filter);

        if (json_array_get_length (f) > json_array_get_length (v))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (f); i++)
          if (!reference_matches (json_array_get_element (v, i), json_array_get_element (f, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *v = json_node_get_object (value);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (filter));
        while (json_object_iter_next (&iter, &name, &member))
          if (!json_object_has_member (v, name) ||
              !reference_matches (json_object_get_member (v, name), member))
            return FALSE;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* A filter made from @node: parts dropped, parts changed, at random. */
static JsonNode *
derive_filter (JsonNode *node,
               GRand    *rand)
{
  if (g_rand_int_range (rand, 0, 8) == 0)
    return random_node (rand, 2);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        JsonArray *filter = json_array_new ();
        guint n = g_rand_int_range (rand, 0, json_array_get_length (array) + 2);

        JsonNode *result;

        for (guint i = 0; i < MIN (n, json_array_get_length (array)); i++)
          json_array_add_element (filter, derive_filter (json_array_get_element (array, i), rand));
        result = json_node_init_array (json_node_alloc (), filter);
        json_array_unref (filter);
        return result;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        JsonObject *filter = json_object_new ();
        JsonNode *result;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (g_rand_boolean (rand))
            json_object_set_member (filter, name, derive_filter (member, rand));
        if (g_rand_int_range (rand, 0, 6) == 0)
          json_object_set_member (filter, "zz", random_node (rand, 3));
        result = json_node_init_object (json_node_alloc (), filter);
        json_object_unref (filter);
        return result;
      }

    default:
      return json_node_copy (node);
    }
}

static void
test_key_random_matches (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  guint matched = 0;

  for (guint round = 0; round < 5000; round++)
    {
      JsonArray *array = json_array_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonNode) filter = NULL;
      g_autoptr(QuarryKey) key = NULL;
      g_autoptr(QuarryKey) filter_key = NULL;
      gboolean expected;

      for (guint i = g_rand_int_range (rand, 0, 4); i > 0; i--)
        json_array_add_element (array, random_node (rand, 1));
      node = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);
      filter = derive_filter (node, rand);
      if (!JSON_NODE_HOLDS_ARRAY (filter))
        continue;

      key = quarry_key_new_from_json (node, NULL);
      filter_key = quarry_key_new_from_json (filter, NULL);
      expected = reference_matches (node, filter);
      if (quarry_key_matches (key, filter_key, FALSE) != expected)
        g_error ("%s %s %s", quarry_key_to_string (key), expected ? "should match" : "should not match",
                 quarry_key_to_string (filter_key));
      matched += expected;
    }

  /* Both outcomes were tried, plenty. */
  g_assert_cmpuint (matched, >, 500);
  g_assert_cmpuint (matched, <, 4500);
}

static const char *index_segments[] = {
  "\"a\"", "\"b\"", "1", "2", "1.5", "null", "true", "\"\"", "[]", "[1]", "[1, 2]", "[1, [2]]", "[[1], 2]",
  "{}", "{\"p\": 1}", "{\"p\": 1, \"q\": 2}", "{\"q\": 2}", "{\"p\": {\"x\": 1}}", "{\"p\": {\"x\": 1, \"y\": 2}}",
};

static char *
random_index_key (GRand *rand)
{
  GString *out = g_string_new ("[");

  for (guint i = g_rand_int_range (rand, 0, 5); i > 0; i--)
    g_string_append_printf (out, "%s%s", out->len > 1 ? "," : "",
                            index_segments[g_rand_int_range (rand, 0, G_N_ELEMENTS (index_segments))]);
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

/* The index finds what a linear scan with quarry_key_matches() finds. */
static void
assert_index_agrees (QuarryKeyIndex *index,
                     GPtrArray      *keys,
                     GHashTable     *present,
                     QuarryKey      *filter)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autoptr(GHashTable) found = g_hash_table_new (NULL, NULL);
  guint expected = 0;

  _quarry_key_index_collect (index, filter, values);
  for (guint i = 0; i < values->len; i++)
    g_assert_true (g_hash_table_add (found, g_ptr_array_index (values, i)));

  for (guint i = 0; i < keys->len; i++)
    {
      QuarryKey *key = g_ptr_array_index (keys, i);
      gboolean in = g_hash_table_contains (present, key) && quarry_key_matches (key, filter, FALSE);

      if (in != g_hash_table_contains (found, GUINT_TO_POINTER (i + 1)))
        g_error ("%s under %s: expected %s", quarry_key_to_string (key), quarry_key_to_string (filter),
                 in ? "found" : "not found");
      expected += in;
    }
  g_assert_cmpuint (values->len, ==, expected);
}

static void
test_key_random_index (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) quarry_key_unref);
  g_autoptr(GHashTable) present = g_hash_table_new (quarry_key_hash, quarry_key_equal);
  g_autoptr(GPtrArray) filters = g_ptr_array_new_with_free_func ((GDestroyNotify) quarry_key_unref);
  QuarryKeyIndex *index = _quarry_key_index_new ();

  /* Distinct keys; value i + 1 is keys[i]. */
  for (guint i = 0; i < 3000 && keys->len < 600; i++)
    {
      g_autofree char *json = random_index_key (rand);
      g_autoptr(QuarryKey) key = key_new (json);
      gboolean seen = FALSE;

      for (guint j = 0; j < keys->len && !seen; j++)
        seen = quarry_key_equal (key, g_ptr_array_index (keys, j));
      if (!seen)
        g_ptr_array_add (keys, g_steal_pointer (&key));
    }

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *json = random_index_key (rand);

      g_ptr_array_add (filters, key_new (json));
    }
  for (guint i = 0; i < keys->len; i += 7)
    g_ptr_array_add (filters, quarry_key_ref (g_ptr_array_index (keys, i)));

  for (guint round = 0; round < 4; round++)
    {
      /* Insert some, remove some (with equal but distinct keys), check. */
      for (guint i = 0; i < keys->len; i++)
        {
          QuarryKey *key = g_ptr_array_index (keys, i);
          g_autoptr(QuarryKey) twin = key_new (quarry_key_to_string (key));

          if (g_rand_int_range (rand, 0, 3) > 0)
            {
              _quarry_key_index_insert (index, g_rand_boolean (rand) ? key : twin, GUINT_TO_POINTER (i + 1));
              g_hash_table_add (present, key);
            }
          else
            {
              _quarry_key_index_remove (index, g_rand_boolean (rand) ? key : twin);
              g_hash_table_remove (present, key);
            }
        }

      for (guint i = 0; i < filters->len; i++)
        assert_index_agrees (index, keys, present, g_ptr_array_index (filters, i));
    }

  /* Emptied, the index finds nothing. */
  for (guint i = 0; i < keys->len; i++)
    _quarry_key_index_remove (index, g_ptr_array_index (keys, i));
  g_hash_table_remove_all (present);
  for (guint i = 0; i < filters->len; i++)
    assert_index_agrees (index, keys, present, g_ptr_array_index (filters, i));

  _quarry_key_index_free (index);
}

static void
test_key_index_wide (void)
{
  /* W1's shape: many leaves under one node, as the table grows and
   * shrinks again. */
  QuarryKeyIndex *index = _quarry_key_index_new ();
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) quarry_key_unref);
  g_autoptr(GHashTable) hashes = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  const guint n = 20000;

  for (guint i = 0; i < n; i++)
    {
      QuarryKeyBuilder builder;

      quarry_key_builder_init (&builder);
      quarry_key_builder_add_string (&builder, "todos");
      quarry_key_builder_open_object (&builder);
      quarry_key_builder_add_member_int (&builder, "page", i % 100);
      quarry_key_builder_add_member_int (&builder, "id", i);
      quarry_key_builder_close_object (&builder);
      g_ptr_array_add (keys, quarry_key_builder_end (&builder));
      _quarry_key_index_insert (index, g_ptr_array_index (keys, i), GUINT_TO_POINTER (i + 1));
      g_hash_table_add (hashes, GUINT_TO_POINTER (quarry_key_hash (g_ptr_array_index (keys, i))));
    }

  /* Hardly any two of them share a hash. */
  g_assert_cmpuint (g_hash_table_size (hashes), >=, n - 2);

  assert_collect (index, "[\"todos\", {\"page\": 7, \"id\": 7}]", "8");
  assert_collect (index, "[\"todos\", {\"id\": 19999}]", "20000");
  {
    g_autoptr(QuarryKey) prefix = key_new ("[\"todos\", {\"page\": 42}]");

    _quarry_key_index_collect (index, prefix, values);
    g_assert_cmpuint (values->len, ==, n / 100);
  }

  for (guint i = 0; i < n; i++)
    if (i % 1000 != 0)
      _quarry_key_index_remove (index, g_ptr_array_index (keys, i));
  assert_collect (index, "[\"todos\"]", "1 1001 2001 3001 4001 5001 6001 7001 8001 9001 10001 11001 12001 13001 "
                                        "14001 15001 16001 17001 18001 19001");

  _quarry_key_index_free (index);
}

static void
test_key_index_leaves (void)
{
  /* A leaf that gets children becomes a node, and back. */
  QuarryKeyIndex *index = _quarry_key_index_new ();

  insert_json (index, "[\"a\"]", GUINT_TO_POINTER (1));
  insert_json (index, "[\"a\", 1]", GUINT_TO_POINTER (2));
  insert_json (index, "[\"a\", 1, 2]", GUINT_TO_POINTER (3));
  assert_collect (index, "[\"a\"]", "1 2 3");
  remove_json (index, "[\"a\", 1, 2]");
  assert_collect (index, "[\"a\"]", "1 2");
  assert_collect (index, "[\"a\", 1]", "2");
  insert_json (index, "[\"a\", 1]", GUINT_TO_POINTER (4));
  assert_collect (index, "[\"a\"]", "1 4");
  remove_json (index, "[\"a\", 1]");
  assert_collect (index, "[\"a\"]", "1");
  insert_json (index, "[\"a\", 1, 2]", GUINT_TO_POINTER (5));
  assert_collect (index, "[\"a\", 1]", "5");
  remove_json (index, "[\"a\"]");
  assert_collect (index, "[]", "5");
  remove_json (index, "[\"a\", 1]");
  remove_json (index, "[\"a\", 1, 2, 3]");
  remove_json (index, "[\"a\", 1, 2]");
  assert_collect (index, "[]", "");

  /* A key that is a prefix of another is not confused with it. */
  insert_json (index, "[[1, 2]]", GUINT_TO_POINTER (6));
  insert_json (index, "[[1]]", GUINT_TO_POINTER (7));
  assert_collect (index, "[[1]]", "6 7");
  assert_collect (index, "[[1, 2]]", "6");
  remove_json (index, "[[1]]");
  assert_collect (index, "[[1]]", "6");

  _quarry_key_index_free (index);
}

static void
test_key_threads_variant_worker (gpointer data,
                                 gpointer user_data)
{
  QuarryKey *key = user_data;
  GVariant *variant = quarry_key_get_variant (key);

  g_assert_cmpstr (g_variant_get_type_string (variant), ==, "av");
  g_assert_true (quarry_key_get_variant (key) == variant);
}

static void
test_key_threads_variant (void)
{
  for (guint round = 0; round < 20; round++)
    {
      QuarryKey *key = key_new ("[\"a\", {\"c\": 2, \"b\": [1]}]");
      GThreadPool *pool = g_thread_pool_new (test_key_threads_variant_worker, key, 4, TRUE, NULL);

      for (guint i = 0; i < 8; i++)
        g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
      g_thread_pool_free (pool, FALSE, TRUE);
      quarry_key_unref (key);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Quarry/Key/from-string", test_key_from_string);
  g_test_add_func ("/Quarry/Key/from-json", test_key_from_json);
  g_test_add_func ("/Quarry/Key/from-json/value-types", test_key_from_json_value_types);
  g_test_add_func ("/Quarry/Key/from-variant/tuple", test_key_from_variant_tuple);
  g_test_add_func ("/Quarry/Key/from-variant/scalars", test_key_from_variant_scalars);
  g_test_add_func ("/Quarry/Key/from-variant/strv", test_key_from_variant_strv);
  g_test_add_func ("/Quarry/Key/from-variant/av", test_key_from_variant_av);
  g_test_add_func ("/Quarry/Key/from-variant/dict-inside", test_key_from_variant_dict_inside);
  g_test_add_func ("/Quarry/Key/from-variant/dict-repeated", test_key_from_variant_dict_repeated);
  g_test_add_func ("/Quarry/Key/from-variant/boxed", test_key_from_variant_boxed);
  g_test_add_func ("/Quarry/Key/from-variant/maybe", test_key_from_variant_maybe);
  g_test_add_func ("/Quarry/Key/from-variant/uint64", test_key_from_variant_uint64);
  g_test_add_func ("/Quarry/Key/from-strv", test_key_from_strv);
  g_test_add_func ("/Quarry/Key/canonical/sorted", test_key_canonical_sorted);
  g_test_add_func ("/Quarry/Key/canonical/member-order", test_key_canonical_member_order);
  g_test_add_func ("/Quarry/Key/canonical/array-order", test_key_canonical_array_order);
  g_test_add_func ("/Quarry/Key/canonical/numbers", test_key_canonical_numbers);
  g_test_add_func ("/Quarry/Key/canonical/null", test_key_canonical_null);
  g_test_add_func ("/Quarry/Key/canonical/non-finite", test_key_canonical_non_finite);
  g_test_add_func ("/Quarry/Key/canonical/escaping", test_key_canonical_escaping);
  g_test_add_func ("/Quarry/Key/canonical/cached", test_key_canonical_cached);
  g_test_add_func ("/Quarry/Key/equal-hash", test_key_equal_hash);
  g_test_add_func ("/Quarry/Key/hash-table", test_key_hash_table);
  g_test_add_func ("/Quarry/Key/matches/exact", test_key_matches_exact);
  g_test_add_func ("/Quarry/Key/matches/prefix", test_key_matches_prefix);
  g_test_add_func ("/Quarry/Key/matches/object-subset", test_key_matches_object_subset);
  g_test_add_func ("/Quarry/Key/matches/nested-array", test_key_matches_nested_array);
  g_test_add_func ("/Quarry/Key/matches/longer-filter", test_key_matches_longer_filter);
  g_test_add_func ("/Quarry/Key/matches/nested-key", test_key_matches_nested_key);
  g_test_add_func ("/Quarry/Key/matches/types", test_key_matches_types);
  g_test_add_func ("/Quarry/Key/matches/empty-filter", test_key_matches_empty_filter);
  g_test_add_func ("/Quarry/Key/invalid/string", test_key_invalid_string);
  g_test_add_func ("/Quarry/Key/invalid/json", test_key_invalid_json);
  g_test_add_func ("/Quarry/Key/invalid/variant", test_key_invalid_variant);
  g_test_add_func ("/Quarry/Key/invalid/no-error-location", test_key_invalid_no_error_location);
  g_test_add_func ("/Quarry/Key/to-json", test_key_to_json);
  g_test_add_func ("/Quarry/Key/dup-segment", test_key_dup_segment);
  g_test_add_func ("/Quarry/Key/get-length", test_key_get_length);
  g_test_add_func ("/Quarry/Key/get-variant", test_key_get_variant);
  g_test_add_func ("/Quarry/Key/boxed", test_key_boxed);
  g_test_add_func ("/Quarry/Key/ref", test_key_ref);
  g_test_add_func ("/Quarry/Key/threads", test_key_threads);
  g_test_add_func ("/Quarry/Key/index/collect", test_key_index_collect);
  g_test_add_func ("/Quarry/Key/index/collect-object", test_key_index_collect_object);
  g_test_add_func ("/Quarry/Key/index/collect-array", test_key_index_collect_array);
  g_test_add_func ("/Quarry/Key/index/remove", test_key_index_remove);
  g_test_add_func ("/Quarry/Key/index/replace", test_key_index_replace);
  g_test_add_func ("/Quarry/Key/index/many", test_key_index_many);
  g_test_add_func ("/Quarry/Key/index/free-filled", test_key_index_free_filled);
  g_test_add_func ("/Quarry/Key/index/wide", test_key_index_wide);
  g_test_add_func ("/Quarry/Key/index/leaves", test_key_index_leaves);
  g_test_add_func ("/Quarry/Key/builder/basic", test_key_builder_basic);
  g_test_add_func ("/Quarry/Key/builder/types", test_key_builder_types);
  g_test_add_func ("/Quarry/Key/builder/canonical", test_key_builder_canonical);
  g_test_add_func ("/Quarry/Key/builder/two-members", test_key_builder_two_members);
  g_test_add_func ("/Quarry/Key/builder/large", test_key_builder_large);
  g_test_add_func ("/Quarry/Key/builder/misuse", test_key_builder_misuse);
  g_test_add_func ("/Quarry/Key/constructors/agree", test_key_constructors_agree);
  g_test_add_func ("/Quarry/Key/from-variant/non-finite", test_key_from_variant_non_finite);
  g_test_add_func ("/Quarry/Key/from-json/invalid-utf8", test_key_from_json_invalid_utf8);
  g_test_add_func ("/Quarry/Key/parser/strict", test_key_parser_strict);
  g_test_add_func ("/Quarry/Key/parser/unicode", test_key_parser_unicode);
  g_test_add_func ("/Quarry/Key/parser/numbers", test_key_parser_numbers);
  g_test_add_func ("/Quarry/Key/parser/whitespace", test_key_parser_whitespace);
  g_test_add_func ("/Quarry/Key/parser/deep", test_key_parser_deep);
  g_test_add_func ("/Quarry/Key/random/constructors", test_key_random_constructors);
  g_test_add_func ("/Quarry/Key/random/matches", test_key_random_matches);
  g_test_add_func ("/Quarry/Key/random/index", test_key_random_index);
  g_test_add_func ("/Quarry/Key/threads/variant", test_key_threads_variant);

  return g_test_run ();
}
