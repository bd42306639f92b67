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
  g_autoptr(GVariant) segment = _quarry_key_dup_segment (big, 0);
  g_autoptr(GVariant) limit_segment = _quarry_key_dup_segment (limit, 0);

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
      g_autoptr(GVariant) segment = _quarry_key_dup_segment (key, i);

      g_assert_cmpstr (g_variant_get_type_string (segment), ==, segment_types[i]);
    }

  {
    g_autoptr(GVariant) object = _quarry_key_dup_segment (key, 6);
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

  return g_test_run ();
}
