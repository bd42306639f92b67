/* test-infinite-query.c: QuarryInfiniteData and QuarryInfiniteQuery paging
 * (docs/design.md "Infinite queries", TANSTACK.md §1.9).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-util.h"

/* Helpers. */

/* A JSON text, or "unset" / "NULL" / "<Type>" for what is not JSON. */
static char *
param_string (const GValue *value)
{
  if (value == NULL || !G_IS_VALUE (value))
    return g_strdup ("unset");
  if (G_VALUE_HOLDS (value, JSON_TYPE_NODE))
    {
      JsonNode *node = g_value_get_boxed (value);

      return node != NULL ? json_to_string (node, FALSE) : g_strdup ("NULL");
    }
  if (G_VALUE_HOLDS_INT64 (value))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));
  if (G_VALUE_HOLDS_STRING (value))
    return g_strdup_printf ("\"%s\"", g_value_get_string (value));
  return g_strdup_printf ("<%s>", G_VALUE_TYPE_NAME (value));
}

static void
json_value_init (GValue     *value,
                 const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_value_init (value, JSON_TYPE_NODE);
  g_value_set_boxed (value, node);
}

/* {"pages":[...],"pageParams":[...]} in this member order, compact. */
static char *
canonical_data_json (JsonNode *node)
{
  JsonObject *object;
  g_autofree char *pages = NULL;
  g_autofree char *params = NULL;

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_true (json_object_has_member (object, "pages"));
  g_assert_true (json_object_has_member (object, "pageParams"));
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  pages = json_to_string (json_object_get_member (object, "pages"), FALSE);
  params = json_to_string (json_object_get_member (object, "pageParams"), FALSE);
  return g_strdup_printf ("{\"pages\":%s,\"pageParams\":%s}", pages, params);
}

static char *
data_string (QuarryInfiniteData *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (data == NULL)
    return g_strdup ("NULL");
  node = quarry_infinite_data_to_json (data, &error);
  g_assert_no_error (error);
  return canonical_data_json (node);
}

static char *
expected_string (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (json == NULL)
    return g_strdup ("NULL");
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  return canonical_data_json (node);
}

#define assert_data(data, expected) \
  G_STMT_START { \
    g_autofree char *_actual = data_string (data); \
    g_autofree char *_expected = expected_string (expected); \
    g_assert_cmpstr (_actual, ==, _expected); \
  } G_STMT_END

/* The entry's data of @key, as QuarryInfiniteData (or NULL). */
static QuarryInfiniteData *
entry_data (Fixture    *f,
            const char *key_json)
{
  g_autoptr(QuarryKey) key = key_new (key_json);
  const GValue *value = quarry_query_client_get_query_data (f->client, key);

  if (value == NULL)
    return NULL;
  g_assert_true (G_VALUE_HOLDS (value, QUARRY_TYPE_INFINITE_DATA));
  return g_value_get_boxed (value);
}

static QuarryQueryState *
entry_state (Fixture    *f,
             const char *key_json)
{
  g_autoptr(QuarryKey) key = key_new (key_json);

  return quarry_query_client_get_query_state (f->client, key);
}

#define assert_ctx(fetcher, index, param, direction) \
  G_STMT_START { \
    QuarryFetchContext *_ctx = fetcher_take ((fetcher), (index)); \
    g_autofree char *_param = param_string (quarry_fetch_context_get_page_param (_ctx)); \
    g_assert_cmpstr (_param, ==, (param)); \
    g_assert_cmpint (quarry_fetch_context_get_direction (_ctx), ==, (direction)); \
  } G_STMT_END

static gboolean
context_cancelled (Fetcher *fetcher,
                   guint    index)
{
  return g_cancellable_is_cancelled (quarry_fetch_context_get_cancellable (fetcher_take (fetcher, index)));
}

/* A page parameter function reading @member of a JSON object page, and
 * recording its last call. With @error set and @fail_now TRUE, or a page
 * with "fail": true, it fails with a copy of @error. */
typedef struct
{
  const char *member;
  guint calls;
  char *last_page;
  guint last_n_pages;
  char *last_param;
  GError *error;
  gboolean fail_now;
} ParamFunc;

static void
param_func_clear (ParamFunc *pf)
{
  g_clear_pointer (&pf->last_page, g_free);
  g_clear_pointer (&pf->last_param, g_free);
  g_clear_error (&pf->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ParamFunc, param_func_clear)

static void
member_param_func (const GValue        *page,
                   QuarryInfiniteData  *data,
                   const GValue        *page_param,
                   GValue              *param,
                   gpointer             user_data,
                   GError             **error)
{
  ParamFunc *pf = user_data;
  JsonNode *node;
  JsonObject *object;

  pf->calls++;
  g_free (pf->last_page);
  pf->last_page = param_string (page);
  pf->last_n_pages = quarry_infinite_data_get_n_pages (data);
  g_free (pf->last_param);
  pf->last_param = param_string (page_param);

  g_assert_nonnull (page);
  g_assert_true (G_VALUE_HOLDS (page, JSON_TYPE_NODE));
  node = g_value_get_boxed (page);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);

  if (pf->error != NULL &&
      (pf->fail_now || json_object_get_boolean_member_with_default (object, "fail", FALSE)))
    {
      g_set_error_literal (error, pf->error->domain, pf->error->code, pf->error->message);
      return;
    }

  if (!json_object_has_member (object, pf->member))
    return;
  g_value_init (param, JSON_TYPE_NODE);
  g_value_set_boxed (param, json_object_get_member (object, pf->member));
}

static void
set_initial_param (QuarryInfiniteQuery *query,
                   const char          *json)
{
  GValue value = G_VALUE_INIT;

  json_value_init (&value, json);
  quarry_infinite_query_set_initial_page_param (query, &value);
  g_value_unset (&value);
}

/* An infinite query on @key_json fetching with @fetcher, with @next and
 * @prev (each may be NULL) and the initial page parameter @initial (JSON,
 * or NULL for none). Retries are off. */
static QuarryInfiniteQuery *
make_iq (Fixture    *f,
         const char *key_json,
         Fetcher    *fetcher,
         ParamFunc  *next,
         ParamFunc  *prev,
         const char *initial)
{
  g_autoptr(QuarryKey) key = key_new (key_json);
  QuarryInfiniteQuery *query = quarry_infinite_query_new (f->client, key, fetcher_func, fetcher, NULL);

  g_assert_true (QUARRY_IS_INFINITE_QUERY (query));
  g_assert_true (QUARRY_IS_QUERY (query));
  if (next != NULL)
    quarry_infinite_query_set_next_page_param_func (query, member_param_func, next, NULL);
  if (prev != NULL)
    quarry_infinite_query_set_previous_page_param_func (query, member_param_func, prev, NULL);
  if (initial != NULL)
    set_initial_param (query, initial);
  quarry_query_set_retry (QUARRY_QUERY (query), 0);
  return query;
}

/* Completes call @index with @page and lets the result arrive. */
static void
answer (Fixture    *f,
        Fetcher    *fetcher,
        guint       index,
        const char *page)
{
  fetcher_resolve_json (fetcher, index, page);
  quarry_clock_flush (f->clock);
}

static void
fail (Fixture    *f,
      Fetcher    *fetcher,
      guint       index,
      const char *message)
{
  fetcher_reject (fetcher, index, message);
  quarry_clock_flush (f->clock);
}

/* Mounts and answers the first page with @page. */
static void
load_first (Fixture             *f,
            Fetcher             *fetcher,
            QuarryInfiniteQuery *query,
            const char          *page)
{
  guint calls = fetcher->calls;

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, calls + 1);
  answer (f, fetcher, calls, page);
  g_assert_cmpint (quarry_query_get_status (QUARRY_QUERY (query)), ==, QUARRY_STATUS_SUCCESS);
}

/* fetch_next_page, answered with @page. */
static void
next_page (Fixture             *f,
           Fetcher             *fetcher,
           QuarryInfiniteQuery *query,
           const char          *page)
{
  guint calls = fetcher->calls;

  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, calls + 1);
  g_assert_cmpint (quarry_fetch_context_get_direction (fetcher_take (fetcher, calls)), ==,
                   QUARRY_FETCH_DIRECTION_FORWARD);
  answer (f, fetcher, calls, page);
}

static void
prev_page (Fixture             *f,
           Fetcher             *fetcher,
           QuarryInfiniteQuery *query,
           const char          *page)
{
  guint calls = fetcher->calls;

  quarry_infinite_query_fetch_previous_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, calls + 1);
  g_assert_cmpint (quarry_fetch_context_get_direction (fetcher_take (fetcher, calls)), ==,
                   QUARRY_FETCH_DIRECTION_BACKWARD);
  answer (f, fetcher, calls, page);
}

static QuarryInfiniteData *
finish_next (QuarryInfiniteQuery  *query,
             GAsyncResult        **result,
             GError              **error)
{
  QuarryInfiniteData *data;

  g_assert_nonnull (*result);
  data = quarry_infinite_query_fetch_next_page_finish (query, *result, error);
  g_clear_object (result);
  return data;
}

static QuarryInfiniteData *
finish_previous (QuarryInfiniteQuery  *query,
                 GAsyncResult        **result,
                 GError              **error)
{
  QuarryInfiniteData *data;

  g_assert_nonnull (*result);
  data = quarry_infinite_query_fetch_previous_page_finish (query, *result, error);
  g_clear_object (result);
  return data;
}

#define Q(q) QUARRY_QUERY (q)

/* 1. QuarryInfiniteData. */

static QuarryInfiniteData *
data_append_json (QuarryInfiniteData *data,
                  const char         *page,
                  const char         *param)
{
  GValue page_value = G_VALUE_INIT;
  GValue param_value = G_VALUE_INIT;
  QuarryInfiniteData *result;

  json_value_init (&page_value, page);
  if (param != NULL)
    json_value_init (&param_value, param);
  result = quarry_infinite_data_append_page (data, &page_value, param ? &param_value : NULL);
  g_value_unset (&page_value);
  if (param != NULL)
    g_value_unset (&param_value);
  return result;
}

static QuarryInfiniteData *
data_prepend_json (QuarryInfiniteData *data,
                   const char         *page,
                   const char         *param)
{
  GValue page_value = G_VALUE_INIT;
  GValue param_value = G_VALUE_INIT;
  QuarryInfiniteData *result;

  json_value_init (&page_value, page);
  if (param != NULL)
    json_value_init (&param_value, param);
  result = quarry_infinite_data_prepend_page (data, &page_value, param ? &param_value : NULL);
  g_value_unset (&page_value);
  if (param != NULL)
    g_value_unset (&param_value);
  return result;
}

static void
assert_page (QuarryInfiniteData *data,
             guint               index,
             const char         *page,
             const char         *param)
{
  g_autofree char *p = param_string (quarry_infinite_data_get_page (data, index));
  g_autofree char *pp = param_string (quarry_infinite_data_get_page_param (data, index));

  g_assert_cmpstr (p, ==, page);
  g_assert_cmpstr (pp, ==, param);
}

static void
test_data_basics (void)
{
  g_autoptr(QuarryInfiniteData) empty = quarry_infinite_data_new ();
  g_autoptr(QuarryInfiniteData) one = NULL;
  g_autoptr(QuarryInfiniteData) two = NULL;
  g_autoptr(QuarryInfiniteData) three = NULL;
  g_autoptr(QuarryInfiniteData) replaced = NULL;
  g_autoptr(QuarryInfiniteData) sliced = NULL;
  g_autoptr(QuarryInfiniteData) one_again = NULL;
  g_autoptr(QuarryInfiniteData) other_param = NULL;
  g_autoptr(QuarryInfiniteData) other_page = NULL;
  g_autoptr(QuarryInfiniteData) empty2 = quarry_infinite_data_new ();
  QuarryInfiniteData *copy;
  GValue page = G_VALUE_INIT;
  const GValue *null_param;

  g_assert_cmpuint (quarry_infinite_data_get_n_pages (empty), ==, 0);
  assert_data (empty, "{\"pages\":[],\"pageParams\":[]}");
  g_assert_true (quarry_infinite_data_equal (empty, empty2));

  /* append: copy on write. */
  one = data_append_json (empty, "{\"n\":1}", "1");
  g_assert_true (one != empty);
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (empty), ==, 0);
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (one), ==, 1);
  assert_page (one, 0, "{\"n\":1}", "1");
  assert_data (one, "{\"pages\":[{\"n\":1}],\"pageParams\":[1]}");

  /* A NULL parameter is allowed (TanStack allows any pageParam). */
  two = data_append_json (one, "[2,2]", NULL);
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (one), ==, 1);
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (two), ==, 2);
  assert_page (two, 0, "{\"n\":1}", "1");
  {
    g_autofree char *p = param_string (quarry_infinite_data_get_page (two, 1));

    g_assert_cmpstr (p, ==, "[2,2]");
  }
  null_param = quarry_infinite_data_get_page_param (two, 1);
  g_assert_true (null_param == NULL || !G_IS_VALUE (null_param) ||
                 (G_VALUE_HOLDS (null_param, JSON_TYPE_NODE) &&
                  (g_value_get_boxed (null_param) == NULL ||
                   JSON_NODE_HOLDS_NULL ((JsonNode *) g_value_get_boxed (null_param)))));
  assert_data (two, "{\"pages\":[{\"n\":1},[2,2]],\"pageParams\":[1,null]}");

  /* prepend. */
  three = data_prepend_json (two, "\"zero\"", "0");
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (two), ==, 2);
  assert_data (two, "{\"pages\":[{\"n\":1},[2,2]],\"pageParams\":[1,null]}");
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (three), ==, 3);
  assert_page (three, 0, "\"zero\"", "0");
  assert_page (three, 1, "{\"n\":1}", "1");
  assert_data (three, "{\"pages\":[\"zero\",{\"n\":1},[2,2]],\"pageParams\":[0,1,null]}");

  /* replace keeps the parameter. */
  json_value_init (&page, "{\"n\":\"one\"}");
  replaced = quarry_infinite_data_replace_page (three, 1, &page);
  g_value_unset (&page);
  assert_data (three, "{\"pages\":[\"zero\",{\"n\":1},[2,2]],\"pageParams\":[0,1,null]}");
  assert_data (replaced, "{\"pages\":[\"zero\",{\"n\":\"one\"},[2,2]],\"pageParams\":[0,1,null]}");
  assert_page (replaced, 1, "{\"n\":\"one\"}", "1");

  /* slice. */
  sliced = quarry_infinite_data_slice (three, 1, 2);
  assert_data (three, "{\"pages\":[\"zero\",{\"n\":1},[2,2]],\"pageParams\":[0,1,null]}");
  assert_data (sliced, "{\"pages\":[{\"n\":1},[2,2]],\"pageParams\":[1,null]}");
  {
    g_autoptr(QuarryInfiniteData) first = quarry_infinite_data_slice (three, 0, 1);

    assert_data (first, "{\"pages\":[\"zero\"],\"pageParams\":[0]}");
  }

  /* equal: page by page and parameter by parameter. */
  one_again = data_append_json (empty, "{\"n\":1}", "1");
  other_param = data_append_json (empty, "{\"n\":1}", "2");
  other_page = data_append_json (empty, "{\"n\":9}", "1");
  g_assert_true (quarry_infinite_data_equal (one, one_again));
  g_assert_true (quarry_infinite_data_equal (one, one));
  g_assert_false (quarry_infinite_data_equal (one, other_param));
  g_assert_false (quarry_infinite_data_equal (one, other_page));
  g_assert_false (quarry_infinite_data_equal (one, two));
  g_assert_false (quarry_infinite_data_equal (empty, one));
  g_assert_true (quarry_infinite_data_equal (sliced, two));

  /* A boxed type with reference semantics. */
  copy = g_boxed_copy (QUARRY_TYPE_INFINITE_DATA, one);
  g_assert_true (quarry_infinite_data_equal (copy, one));
  g_boxed_free (QUARRY_TYPE_INFINITE_DATA, copy);
  copy = quarry_infinite_data_ref (one);
  g_assert_true (copy == one);
  quarry_infinite_data_unref (copy);
}

static void
test_data_int_params (void)
{
  g_autoptr(QuarryInfiniteData) empty = quarry_infinite_data_new ();
  g_autoptr(QuarryInfiniteData) a = NULL;
  g_autoptr(QuarryInfiniteData) b = NULL;
  GValue *param = value_new_int (7);
  GValue page = G_VALUE_INIT;

  json_value_init (&page, "[1]");
  a = quarry_infinite_data_append_page (empty, &page, param);
  b = quarry_infinite_data_append_page (empty, &page, param);
  g_assert_true (quarry_infinite_data_equal (a, b));
  g_assert_cmpint (value_get_int (quarry_infinite_data_get_page_param (a, 0)), ==, 7);
  g_value_unset (&page);
  g_value_unset (param);
  g_free (param);
}

static void
test_data_json (void)
{
  const char *text = "{\"pages\":[{\"a\":1},[1,2],\"x\",null],\"pageParams\":[null,2,\"c\",{\"o\":1}]}";
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(QuarryInfiniteData) data = quarry_infinite_data_new_from_json (node, &error);
  g_autoptr(QuarryInfiniteData) data2 = NULL;
  g_autoptr(QuarryInfiniteData) built = NULL;
  g_autoptr(QuarryInfiniteData) step = NULL;
  g_autoptr(JsonNode) back = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (data);
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (data), ==, 4);
  {
    g_autofree char *p0 = param_string (quarry_infinite_data_get_page (data, 0));

    g_assert_cmpstr (p0, ==, "{\"a\":1}");
  }
  assert_data (data, text);

  /* Pages are JSON values. */
  g_assert_true (G_VALUE_HOLDS (quarry_infinite_data_get_page (data, 1), JSON_TYPE_NODE));
  assert_page (data, 1, "[1,2]", "2");
  assert_page (data, 2, "\"x\"", "\"c\"");

  /* Round trip. */
  back = quarry_infinite_data_to_json (data, &error);
  g_assert_no_error (error);
  data2 = quarry_infinite_data_new_from_json (back, &error);
  g_assert_no_error (error);
  g_assert_true (quarry_infinite_data_equal (data, data2));
  assert_data (data2, text);

  /* Equal to the same data built with JSON values. */
  {
    g_autoptr(JsonNode) n2 = json_from_string ("{\"pages\":[[1],[2]],\"pageParams\":[1,2]}", NULL);
    g_autoptr(QuarryInfiniteData) parsed = quarry_infinite_data_new_from_json (n2, &error);
    g_autoptr(QuarryInfiniteData) start = quarry_infinite_data_new ();

    g_assert_no_error (error);
    step = data_append_json (start, "[1]", "1");
    built = data_append_json (step, "[2]", "2");
    g_assert_true (quarry_infinite_data_equal (parsed, built));
  }
}

static void
test_data_json_errors (void)
{
  static const char *bad[] = {
    "[1,2]",
    "42",
    "{}",
    "{\"pages\":[1]}",
    "{\"pageParams\":[1]}",
    "{\"pages\":[1,2],\"pageParams\":[1]}",
    "{\"pages\":[],\"pageParams\":[null]}",
    "{\"pages\":1,\"pageParams\":[1]}",
    "{\"pages\":[1],\"pageParams\":{\"a\":1}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(QuarryInfiniteData) data = NULL;

      g_test_message ("new_from_json (%s)", bad[i]);
      g_assert_nonnull (node);
      data = quarry_infinite_data_new_from_json (node, &error);
      g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE);
      g_assert_null (data);
    }
}

/* 2. First load. */

static void
test_first_load (Fixture       *f,
                 gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  const GValue *value;

  g_assert_cmpuint (fetcher->calls, ==, 0);
  g_assert_null (quarry_infinite_query_get_data (query));
  g_assert_false (quarry_infinite_query_get_has_next_page (query));
  g_assert_false (quarry_infinite_query_get_has_previous_page (query));
  g_assert_cmpuint (next.calls, ==, 0);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  assert_ctx (fetcher, 0, "1", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_true (quarry_query_get_is_loading (Q (query)));
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (query));
  g_assert_false (quarry_infinite_query_get_is_fetching_previous_page (query));
  g_assert_false (quarry_query_get_is_refetching (Q (query)));
  g_assert_false (quarry_infinite_query_get_has_next_page (query));
  /* No pages: the parameter functions are not called. */
  g_assert_cmpuint (next.calls, ==, 0);

  answer (f, fetcher, 0, "{\"n\":1,\"next\":2}");
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (quarry_query_get_fetch_status (Q (query)), ==, QUARRY_FETCH_STATUS_IDLE);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}");
  assert_data (entry_data (f, "[\"feed\"]"),
               "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}");
  value = quarry_query_get_value (Q (query));
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS (value, QUARRY_TYPE_INFINITE_DATA));
  g_assert_true (quarry_infinite_data_equal (g_value_get_boxed (value),
                                             quarry_infinite_query_get_data (query)));
  g_assert_true (quarry_infinite_query_get_has_next_page (query));
  g_assert_false (quarry_infinite_query_get_has_previous_page (query));
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (query));
  g_assert_cmpuint (next.calls, >=, 1);
  g_assert_cmpstr (next.last_page, ==, "{\"n\":1,\"next\":2}");
  g_assert_cmpuint (next.last_n_pages, ==, 1);
  g_assert_cmpstr (next.last_param, ==, "1");
  g_assert_cmpuint (g_list_model_get_n_items (quarry_infinite_query_get_pages (query)), ==, 1);

  /* Nothing more is fetched on its own. */
  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  /* has-next-page is memoised per data update: a fetch starting, and equal
   * data arriving, do not call the function again. */
  {
    guint calls = next.calls;

    quarry_query_refetch (Q (query));
    quarry_clock_flush (f->clock);
    g_assert_cmpuint (fetcher->calls, ==, 2);
    g_assert_cmpuint (next.calls, ==, calls);
    answer (f, fetcher, 1, "{\"n\":1,\"next\":2}");
    g_assert_cmpuint (next.calls, ==, calls);
    g_assert_true (quarry_infinite_query_get_has_next_page (query));
  }

  g_assert_finalize_object (query);
}

/* Without an initial parameter the first page is fetched with none. */
static void
test_first_load_no_initial_param (Fixture       *f,
                                  gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, NULL);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  {
    g_autofree char *p = param_string (quarry_fetch_context_get_page_param (fetcher_take (fetcher, 0)));

    g_assert_true (g_str_equal (p, "unset") || g_str_equal (p, "null") || g_str_equal (p, "NULL"));
  }
  answer (f, fetcher, 0, "{\"n\":0,\"next\":1}");
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (quarry_infinite_query_get_data (query)), ==, 1);
  next_page (f, fetcher, query, "{\"n\":1}");
  assert_ctx (fetcher, 1, "1", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (quarry_infinite_query_get_data (query)), ==, 2);

  g_assert_finalize_object (query);
}

/* 3. Forward paging. */

static void
test_forward (Fixture       *f,
              gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuarryInfiniteData) returned = NULL;
  g_autoptr(GError) error = NULL;
  QuarryInfiniteData *before;
  const char *three =
    "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2,\"next\":3},{\"n\":3}],\"pageParams\":[1,2,3]}";

  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");

  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  assert_ctx (fetcher, 1, "2", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_cmpstr (next.last_page, ==, "{\"n\":1,\"next\":2}");
  g_assert_cmpuint (next.last_n_pages, ==, 1);
  g_assert_cmpstr (next.last_param, ==, "1");
  g_assert_true (quarry_infinite_query_get_is_fetching_next_page (query));
  g_assert_false (quarry_infinite_query_get_is_fetching_previous_page (query));
  g_assert_true (quarry_query_get_is_fetching (Q (query)));
  g_assert_false (quarry_query_get_is_refetching (Q (query)));
  g_assert_false (quarry_query_get_is_loading (Q (query)));
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}");

  answer (f, fetcher, 1, "{\"n\":2,\"next\":3}");
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (query));
  g_assert_cmpint (quarry_query_get_fetch_status (Q (query)), ==, QUARRY_FETCH_STATUS_IDLE);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2,\"next\":3}],\"pageParams\":[1,2]}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  /* The next function gets the last page, all the data and its param. */
  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_ctx (fetcher, 2, "3", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_cmpstr (next.last_page, ==, "{\"n\":2,\"next\":3}");
  g_assert_cmpuint (next.last_n_pages, ==, 2);
  g_assert_cmpstr (next.last_param, ==, "2");
  answer (f, fetcher, 2, "{\"n\":3}");
  assert_data (quarry_infinite_query_get_data (query), three);
  g_assert_false (quarry_infinite_query_get_has_next_page (query));

  /* No next page: the fetch function is not called, the data stays. */
  before = quarry_infinite_query_get_data (query);
  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (query));
  g_assert_true (quarry_infinite_query_get_data (query) == before);
  assert_data (quarry_infinite_query_get_data (query), three);

  quarry_infinite_query_fetch_next_page_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  returned = finish_next (query, &result, &error);
  g_assert_no_error (error);
  assert_data (returned, three);
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_SUCCESS);

  g_assert_finalize_object (query);
}

/* A JSON null next parameter means no next page. */
static void
test_forward_null_param (Fixture       *f,
                         gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuarryInfiniteData) returned = NULL;
  g_autoptr(GError) error = NULL;

  load_first (f, fetcher, query, "{\"n\":1,\"next\":null}");
  g_assert_cmpuint (next.calls, >=, 1);
  g_assert_false (quarry_infinite_query_get_has_next_page (query));

  quarry_infinite_query_fetch_next_page_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  returned = finish_next (query, &result, &error);
  g_assert_no_error (error);
  assert_data (returned, "{\"pages\":[{\"n\":1,\"next\":null}],\"pageParams\":[1]}");
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":null}],\"pageParams\":[1]}");

  g_assert_finalize_object (query);
}

/* 4. Backward paging. */

static void
test_backward (Fixture       *f,
               gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  g_auto(ParamFunc) prev = { .member = "prev" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, &prev, "5");

  load_first (f, fetcher, query, "{\"n\":5,\"prev\":4}");
  g_assert_true (quarry_infinite_query_get_has_previous_page (query));
  g_assert_false (quarry_infinite_query_get_has_next_page (query));

  quarry_infinite_query_fetch_previous_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  assert_ctx (fetcher, 1, "4", QUARRY_FETCH_DIRECTION_BACKWARD);
  g_assert_cmpstr (prev.last_page, ==, "{\"n\":5,\"prev\":4}");
  g_assert_cmpuint (prev.last_n_pages, ==, 1);
  g_assert_cmpstr (prev.last_param, ==, "5");
  g_assert_true (quarry_infinite_query_get_is_fetching_previous_page (query));
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (query));
  g_assert_false (quarry_query_get_is_refetching (Q (query)));

  answer (f, fetcher, 1, "{\"n\":4,\"prev\":3}");
  g_assert_false (quarry_infinite_query_get_is_fetching_previous_page (query));
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":4,\"prev\":3},{\"n\":5,\"prev\":4}],\"pageParams\":[4,5]}");

  /* The previous function gets the first page and its param. */
  quarry_infinite_query_fetch_previous_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_ctx (fetcher, 2, "3", QUARRY_FETCH_DIRECTION_BACKWARD);
  g_assert_cmpstr (prev.last_page, ==, "{\"n\":4,\"prev\":3}");
  g_assert_cmpuint (prev.last_n_pages, ==, 2);
  g_assert_cmpstr (prev.last_param, ==, "4");
  answer (f, fetcher, 2, "{\"n\":3,\"prev\":null}");
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":3,\"prev\":null},{\"n\":4,\"prev\":3},{\"n\":5,\"prev\":4}],"
               "\"pageParams\":[3,4,5]}");
  g_assert_false (quarry_infinite_query_get_has_previous_page (query));

  /* No previous page: no call. */
  quarry_infinite_query_fetch_previous_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_false (quarry_infinite_query_get_is_fetching_previous_page (query));
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (quarry_infinite_query_get_data (query)), ==, 3);

  g_assert_finalize_object (query);
}

/* Without a previous function there is no previous page. */
static void
test_backward_no_func (Fixture       *f,
                       gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "5");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuarryInfiniteData) returned = NULL;
  g_autoptr(GError) error = NULL;

  load_first (f, fetcher, query, "{\"n\":5,\"prev\":4,\"next\":6}");
  g_assert_false (quarry_infinite_query_get_has_previous_page (query));
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  quarry_infinite_query_fetch_previous_page_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  returned = finish_previous (query, &result, &error);
  g_assert_no_error (error);
  assert_data (returned, "{\"pages\":[{\"n\":5,\"prev\":4,\"next\":6}],\"pageParams\":[5]}");

  g_assert_finalize_object (query);
}

/* 5. max-pages. */

static void
test_max_pages (Fixture       *f,
                gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  g_auto(ParamFunc) prev = { .member = "prev" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, &prev, "1");

  quarry_infinite_query_set_max_pages (query, 3);
  g_assert_cmpuint (quarry_infinite_query_get_max_pages (query), ==, 3);

  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  next_page (f, fetcher, query, "{\"n\":2,\"prev\":1,\"next\":3}");
  next_page (f, fetcher, query, "{\"n\":3,\"prev\":2,\"next\":4}");
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2,\"prev\":1,\"next\":3},"
               "{\"n\":3,\"prev\":2,\"next\":4}],\"pageParams\":[1,2,3]}");

  /* A fourth page forward drops the first page and its param. */
  next_page (f, fetcher, query, "{\"n\":4,\"prev\":3,\"next\":5}");
  assert_ctx (fetcher, 3, "4", QUARRY_FETCH_DIRECTION_FORWARD);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":2,\"prev\":1,\"next\":3},{\"n\":3,\"prev\":2,\"next\":4},"
               "{\"n\":4,\"prev\":3,\"next\":5}],\"pageParams\":[2,3,4]}");
  g_assert_true (quarry_infinite_query_get_has_previous_page (query));

  /* A page backward drops the last. */
  prev_page (f, fetcher, query, "{\"n\":1,\"next\":2}");
  assert_ctx (fetcher, 4, "1", QUARRY_FETCH_DIRECTION_BACKWARD);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2,\"prev\":1,\"next\":3},"
               "{\"n\":3,\"prev\":2,\"next\":4}],\"pageParams\":[1,2,3]}");
  g_assert_false (quarry_infinite_query_get_has_previous_page (query));
  g_assert_cmpuint (g_list_model_get_n_items (quarry_infinite_query_get_pages (query)), ==, 3);

  g_assert_finalize_object (query);
}

/* 6. Whole refetches. */

/* Loads pages 1, 2, 3 (cursors 2, 3, 4). */
static void
load_three (Fixture             *f,
            Fetcher             *fetcher,
            QuarryInfiniteQuery *query)
{
  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  next_page (f, fetcher, query, "{\"n\":2,\"next\":3}");
  next_page (f, fetcher, query, "{\"n\":3,\"next\":4}");
}

#define THREE_PAGES \
  "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2,\"next\":3},{\"n\":3,\"next\":4}],\"pageParams\":[1,2,3]}"

/* The refetch of three stored pages, started by @trigger: page by page,
 * following the fresh cursors, committed at the end. */
static void
check_sequential_refetch (Fixture             *f,
                          Fetcher             *fetcher,
                          ParamFunc           *next,
                          QuarryInfiniteQuery *query,
                          guint                base)
{
  g_autoptr(QuarryQueryState) state = NULL;
  guint updates;

  state = entry_state (f, "[\"feed\"]");
  updates = quarry_query_state_get_data_update_count (state);
  g_clear_pointer (&state, quarry_query_state_unref);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, base + 1);
  assert_ctx (fetcher, base, "1", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_true (quarry_query_get_is_refetching (Q (query)));
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (query));
  g_assert_false (quarry_infinite_query_get_is_fetching_previous_page (query));

  /* The first page moved its cursor: the second request follows it. */
  answer (f, fetcher, base, "{\"n\":1,\"v\":2,\"next\":12}");
  g_assert_cmpuint (fetcher->calls, ==, base + 2);
  assert_ctx (fetcher, base + 1, "12", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_cmpstr (next->last_page, ==, "{\"n\":1,\"v\":2,\"next\":12}");
  g_assert_cmpuint (next->last_n_pages, ==, 1);
  g_assert_cmpstr (next->last_param, ==, "1");
  assert_data (quarry_infinite_query_get_data (query), THREE_PAGES);
  assert_data (entry_data (f, "[\"feed\"]"), THREE_PAGES);
  g_assert_true (quarry_query_get_is_fetching (Q (query)));

  answer (f, fetcher, base + 1, "{\"n\":12,\"next\":13}");
  g_assert_cmpuint (fetcher->calls, ==, base + 3);
  assert_ctx (fetcher, base + 2, "13", QUARRY_FETCH_DIRECTION_FORWARD);
  assert_data (quarry_infinite_query_get_data (query), THREE_PAGES);
  state = entry_state (f, "[\"feed\"]");
  g_assert_cmpuint (quarry_query_state_get_data_update_count (state), ==, updates);
  g_clear_pointer (&state, quarry_query_state_unref);

  answer (f, fetcher, base + 2, "{\"n\":13,\"next\":14}");
  g_assert_cmpuint (fetcher->calls, ==, base + 3);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"v\":2,\"next\":12},{\"n\":12,\"next\":13},{\"n\":13,\"next\":14}],"
               "\"pageParams\":[1,12,13]}");
  g_assert_cmpint (quarry_query_get_fetch_status (Q (query)), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_false (quarry_query_get_is_refetching (Q (query)));
  g_assert_true (quarry_infinite_query_get_has_next_page (query));
  state = entry_state (f, "[\"feed\"]");
  g_assert_cmpuint (quarry_query_state_get_data_update_count (state), ==, updates + 1);

  /* Nothing more. */
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, base + 3);
}

static void
test_refetch_sequential (Fixture       *f,
                         gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_three (f, fetcher, query);
  assert_data (quarry_infinite_query_get_data (query), THREE_PAGES);

  quarry_query_refetch (Q (query));
  check_sequential_refetch (f, fetcher, &next, query, 3);

  g_assert_finalize_object (query);
}

static void
test_refetch_invalidate (Fixture       *f,
                         gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(QuarryKey) key = key_new ("[\"feed\"]");
  g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (key);

  load_three (f, fetcher, query);
  quarry_query_client_invalidate_queries (f->client, filter, QUARRY_REFETCH_TYPE_DEFAULT);
  check_sequential_refetch (f, fetcher, &next, query, 3);

  g_assert_finalize_object (query);
}

static void
test_refetch_focus (Fixture       *f,
                    gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_three (f, fetcher, query);
  quarry_query_client_set_focused (f->client, FALSE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  quarry_query_client_set_focused (f->client, TRUE);
  check_sequential_refetch (f, fetcher, &next, query, 3);

  g_assert_finalize_object (query);
}

/* An absent next parameter ends a refetch early: the list shrinks. */
static void
test_refetch_shrinks (Fixture       *f,
                      gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_three (f, fetcher, query);
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 4);
  assert_ctx (fetcher, 3, "1", QUARRY_FETCH_DIRECTION_FORWARD);
  answer (f, fetcher, 3, "{\"n\":1,\"next\":2}");
  g_assert_cmpuint (fetcher->calls, ==, 5);
  assert_ctx (fetcher, 4, "2", QUARRY_FETCH_DIRECTION_FORWARD);
  assert_data (quarry_infinite_query_get_data (query), THREE_PAGES);
  answer (f, fetcher, 4, "{\"n\":2,\"next\":null}");
  g_assert_cmpuint (fetcher->calls, ==, 5);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2,\"next\":null}],\"pageParams\":[1,2]}");
  g_assert_false (quarry_infinite_query_get_has_next_page (query));
  g_assert_cmpint (quarry_query_get_fetch_status (Q (query)), ==, QUARRY_FETCH_STATUS_IDLE);

  /* And it can shrink to one page (cursor member missing). */
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 6);
  answer (f, fetcher, 5, "{\"n\":1}");
  g_assert_cmpuint (fetcher->calls, ==, 6);
  assert_data (quarry_infinite_query_get_data (query), "{\"pages\":[{\"n\":1}],\"pageParams\":[1]}");

  g_assert_finalize_object (query);
}

/* With max-pages the refetch count is the stored count, from the stored
 * first param. */
static void
test_refetch_max_pages (Fixture       *f,
                        gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  quarry_infinite_query_set_max_pages (query, 2);
  load_three (f, fetcher, query);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":2,\"next\":3},{\"n\":3,\"next\":4}],\"pageParams\":[2,3]}");

  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 4);
  assert_ctx (fetcher, 3, "2", QUARRY_FETCH_DIRECTION_FORWARD);
  answer (f, fetcher, 3, "{\"n\":2,\"next\":3}");
  g_assert_cmpuint (fetcher->calls, ==, 5);
  assert_ctx (fetcher, 4, "3", QUARRY_FETCH_DIRECTION_FORWARD);
  answer (f, fetcher, 4, "{\"n\":3,\"v\":2,\"next\":4}");
  g_assert_cmpuint (fetcher->calls, ==, 5);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":2,\"next\":3},{\"n\":3,\"v\":2,\"next\":4}],\"pageParams\":[2,3]}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  g_assert_finalize_object (query);
}

/* 7. Errors. */

static void
test_refetch_page_fails (Fixture       *f,
                         gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_three (f, fetcher, query);
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  answer (f, fetcher, 3, "{\"n\":1,\"v\":2,\"next\":2}");
  g_assert_cmpuint (fetcher->calls, ==, 5);
  fail (f, fetcher, 4, "page two broke");

  /* No further page is requested; the stored pages stay. */
  g_assert_cmpuint (fetcher->calls, ==, 5);
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpint (quarry_query_get_fetch_status (Q (query)), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_error (quarry_query_get_error (Q (query)), G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (quarry_query_get_error (Q (query))->message, ==, "page two broke");
  g_assert_true (quarry_query_get_is_refetch_error (Q (query)));
  g_assert_false (quarry_query_get_is_loading_error (Q (query)));
  g_assert_false (quarry_infinite_query_get_is_fetch_next_page_error (query));
  g_assert_false (quarry_infinite_query_get_is_fetch_previous_page_error (query));
  assert_data (quarry_infinite_query_get_data (query), THREE_PAGES);
  assert_data (entry_data (f, "[\"feed\"]"), THREE_PAGES);
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  g_assert_finalize_object (query);
}

/* A retry starts again from the first page. */
static void
test_refetch_retry_restarts (Fixture       *f,
                             gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  next_page (f, fetcher, query, "{\"n\":2,\"next\":3}");

  quarry_query_set_retry (Q (query), 1);
  quarry_query_set_retry_delay (Q (query), 100);
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  answer (f, fetcher, 2, "{\"n\":1,\"next\":2}");
  g_assert_cmpuint (fetcher->calls, ==, 4);
  assert_ctx (fetcher, 3, "2", QUARRY_FETCH_DIRECTION_FORWARD);
  fail (f, fetcher, 3, "flaky");
  g_assert_cmpuint (fetcher->calls, ==, 4);
  g_assert_cmpuint (quarry_query_get_failure_count (Q (query)), ==, 1);
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_SUCCESS);
  g_assert_true (quarry_query_get_is_fetching (Q (query)));

  quarry_clock_advance (f->clock, 99);
  g_assert_cmpuint (fetcher->calls, ==, 4);
  quarry_clock_advance (f->clock, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 5);
  assert_ctx (fetcher, 4, "1", QUARRY_FETCH_DIRECTION_FORWARD);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2,\"next\":3}],\"pageParams\":[1,2]}");
  answer (f, fetcher, 4, "{\"n\":1,\"v\":3,\"next\":7}");
  g_assert_cmpuint (fetcher->calls, ==, 6);
  assert_ctx (fetcher, 5, "7", QUARRY_FETCH_DIRECTION_FORWARD);
  answer (f, fetcher, 5, "{\"n\":7}");
  g_assert_cmpuint (fetcher->calls, ==, 6);
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_SUCCESS);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"v\":3,\"next\":7},{\"n\":7}],\"pageParams\":[1,7]}");

  g_assert_finalize_object (query);
}

static void
test_next_page_fails (Fixture       *f,
                      gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  g_auto(ParamFunc) prev = { .member = "prev" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, &prev, "5");
  const char *one = "{\"pages\":[{\"n\":5,\"prev\":4,\"next\":6}],\"pageParams\":[5]}";

  load_first (f, fetcher, query, "{\"n\":5,\"prev\":4,\"next\":6}");

  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  fail (f, fetcher, 1, "no page 6");
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpstr (quarry_query_get_error (Q (query))->message, ==, "no page 6");
  g_assert_true (quarry_infinite_query_get_is_fetch_next_page_error (query));
  g_assert_false (quarry_infinite_query_get_is_fetch_previous_page_error (query));
  g_assert_false (quarry_query_get_is_refetch_error (Q (query)));
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (query));
  assert_data (quarry_infinite_query_get_data (query), one);
  assert_data (entry_data (f, "[\"feed\"]"), one);

  /* The flag clears when the next fetch (backward) starts. */
  quarry_infinite_query_fetch_previous_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_ctx (fetcher, 2, "4", QUARRY_FETCH_DIRECTION_BACKWARD);
  g_assert_false (quarry_infinite_query_get_is_fetch_next_page_error (query));
  g_assert_true (quarry_infinite_query_get_is_fetching_previous_page (query));

  fail (f, fetcher, 2, "no page 4");
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpstr (quarry_query_get_error (Q (query))->message, ==, "no page 4");
  g_assert_true (quarry_infinite_query_get_is_fetch_previous_page_error (query));
  g_assert_false (quarry_infinite_query_get_is_fetch_next_page_error (query));
  g_assert_false (quarry_query_get_is_refetch_error (Q (query)));
  assert_data (quarry_infinite_query_get_data (query), one);

  /* A refetch clears the page flags as soon as it starts. */
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 4);
  g_assert_false (quarry_infinite_query_get_is_fetch_previous_page_error (query));
  g_assert_false (quarry_infinite_query_get_is_fetch_next_page_error (query));
  answer (f, fetcher, 3, "{\"n\":5,\"prev\":4,\"next\":6}");
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_SUCCESS);
  g_assert_null (quarry_query_get_error (Q (query)));
  g_assert_false (quarry_query_get_is_refetch_error (Q (query)));
  assert_data (quarry_infinite_query_get_data (query), one);

  g_assert_finalize_object (query);
}

/* The page flags stay set after the fetch ended, until another starts. */
static void
test_next_page_error_then_next (Fixture       *f,
                                gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  fail (f, fetcher, 1, "nope");
  g_assert_true (quarry_infinite_query_get_is_fetch_next_page_error (query));
  quarry_clock_advance (f->clock, 60000);
  g_assert_true (quarry_infinite_query_get_is_fetch_next_page_error (query));
  g_assert_cmpuint (fetcher->calls, ==, 2);

  /* Trying again succeeds and clears everything. */
  next_page (f, fetcher, query, "{\"n\":2}");
  assert_ctx (fetcher, 2, "2", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_SUCCESS);
  g_assert_false (quarry_infinite_query_get_is_fetch_next_page_error (query));
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2}],\"pageParams\":[1,2]}");

  g_assert_finalize_object (query);
}

/* 8. Parameter function errors. */

static void
test_param_func_error_fetch (Fixture       *f,
                             gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuarryInfiniteData) returned = NULL;
  g_autoptr(GError) error = NULL;
  const char *one = "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}";

  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  next.error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "cursor expired");
  next.fail_now = TRUE;
  quarry_infinite_query_fetch_next_page_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  next.fail_now = FALSE;
  returned = finish_next (query, &result, &error);
  g_assert_null (returned);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "cursor expired");

  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_ERROR);
  g_assert_error (quarry_query_get_error (Q (query)), G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (quarry_query_get_error (Q (query))->message, ==, "cursor expired");
  g_assert_true (quarry_infinite_query_get_is_fetch_next_page_error (query));
  g_assert_cmpint (quarry_query_get_fetch_status (Q (query)), ==, QUARRY_FETCH_STATUS_IDLE);
  assert_data (entry_data (f, "[\"feed\"]"), one);

  g_assert_finalize_object (query);
}

/* A failing has-next-page computation is the query's error; the entry is
 * untouched. */
static void
test_param_func_error_has_next (Fixture       *f,
                                gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(QuarryQueryState) state = NULL;

  next.error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad cursor");
  quarry_clock_flush (f->clock);
  answer (f, fetcher, 0, "{\"n\":1,\"fail\":true}");

  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_ERROR);
  g_assert_error (quarry_query_get_error (Q (query)), G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (quarry_query_get_error (Q (query))->message, ==, "bad cursor");
  g_assert_false (quarry_infinite_query_get_has_next_page (query));
  state = entry_state (f, "[\"feed\"]");
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_SUCCESS);
  g_assert_null (quarry_query_state_get_error (state));
  g_clear_pointer (&state, quarry_query_state_unref);
  assert_data (entry_data (f, "[\"feed\"]"), "{\"pages\":[{\"n\":1,\"fail\":true}],\"pageParams\":[1]}");

  /* New data that the function accepts clears it. */
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  answer (f, fetcher, 1, "{\"n\":1,\"next\":2}");
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_SUCCESS);
  g_assert_null (quarry_query_get_error (Q (query)));
  g_assert_true (quarry_infinite_query_get_has_next_page (query));
  assert_data (quarry_infinite_query_get_data (query), "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}");

  g_assert_finalize_object (query);
}

/* A parameter function failing in the middle of a refetch fails it with
 * that error; the stored pages stay. */
static void
test_param_func_error_refetch (Fixture       *f,
                               gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  next_page (f, fetcher, query, "{\"n\":2}");
  next.error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad cursor");

  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  answer (f, fetcher, 2, "{\"n\":1,\"fail\":true}");
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_ERROR);
  g_assert_error (quarry_query_get_error (Q (query)), G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (quarry_query_get_error (Q (query))->message, ==, "bad cursor");
  g_assert_true (quarry_query_get_is_refetch_error (Q (query)));
  assert_data (entry_data (f, "[\"feed\"]"),
               "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2}],\"pageParams\":[1,2]}");

  g_assert_finalize_object (query);
}

/* 9. Cancellation and sharing. */

static void
test_cancel_next_page (Fixture       *f,
                       gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(QuarryQueryState) state = NULL;
  const char *one = "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}";
  guint updates;

  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  state = entry_state (f, "[\"feed\"]");
  updates = quarry_query_state_get_data_update_count (state);
  g_clear_pointer (&state, quarry_query_state_unref);

  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_true (quarry_infinite_query_get_is_fetching_next_page (query));

  quarry_query_client_cancel_queries (f->client, NULL);
  quarry_clock_flush (f->clock);
  g_assert_true (context_cancelled (fetcher, 1));
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpint (quarry_query_get_fetch_status (Q (query)), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (query));
  g_assert_null (quarry_query_get_error (Q (query)));
  assert_data (quarry_infinite_query_get_data (query), one);

  /* The late page is ignored. */
  answer (f, fetcher, 1, "{\"n\":2}");
  assert_data (quarry_infinite_query_get_data (query), one);
  assert_data (entry_data (f, "[\"feed\"]"), one);
  state = entry_state (f, "[\"feed\"]");
  g_assert_cmpuint (quarry_query_state_get_data_update_count (state), ==, updates);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  g_assert_finalize_object (query);
}

/* A cancel reverts the direction with the rest of the state: after a
 * refetch error, a cancelled next page leaves a refetch error, not a
 * next-page error. */
static void
test_cancel_reverts_direction (Fixture       *f,
                               gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  fail (f, fetcher, 1, "refetch broke");
  g_assert_true (quarry_query_get_is_refetch_error (Q (query)));
  g_assert_false (quarry_infinite_query_get_is_fetch_next_page_error (query));

  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_true (quarry_infinite_query_get_is_fetching_next_page (query));

  quarry_query_client_cancel_queries (f->client, NULL);
  quarry_clock_flush (f->clock);
  g_assert_true (context_cancelled (fetcher, 2));
  g_assert_cmpint (quarry_query_get_fetch_status (Q (query)), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_ERROR);
  g_assert_cmpstr (quarry_query_get_error (Q (query))->message, ==, "refetch broke");
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (query));
  g_assert_true (quarry_query_get_is_refetch_error (Q (query)));
  g_assert_false (quarry_infinite_query_get_is_fetch_next_page_error (query));
  assert_data (quarry_infinite_query_get_data (query), "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}");

  g_assert_finalize_object (query);
}

/* fetch_next_page cancels a refetch with data in flight (cancel-refetch);
 * the refetch's late results are ignored. */
static void
test_next_cancels_refetch (Fixture       *f,
                           gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  g_assert_true (quarry_infinite_query_get_cancel_refetch (query));
  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  next_page (f, fetcher, query, "{\"n\":2,\"next\":3}");

  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_true (quarry_query_get_is_refetching (Q (query)));

  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_true (context_cancelled (fetcher, 2));
  g_assert_cmpuint (fetcher->calls, ==, 4);
  assert_ctx (fetcher, 3, "3", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_true (quarry_infinite_query_get_is_fetching_next_page (query));
  g_assert_false (quarry_query_get_is_refetching (Q (query)));

  /* The cancelled refetch's first page arrives: ignored, and its second page
   * is not requested. */
  answer (f, fetcher, 2, "{\"n\":1,\"v\":2,\"next\":9}");
  g_assert_cmpuint (fetcher->calls, ==, 4);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2,\"next\":3}],\"pageParams\":[1,2]}");
  g_assert_true (quarry_infinite_query_get_is_fetching_next_page (query));

  answer (f, fetcher, 3, "{\"n\":3}");
  g_assert_cmpuint (fetcher->calls, ==, 4);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2,\"next\":3},{\"n\":3}],\"pageParams\":[1,2,3]}");
  g_assert_cmpint (quarry_query_get_fetch_status (Q (query)), ==, QUARRY_FETCH_STATUS_IDLE);

  g_assert_finalize_object (query);
}

/* With cancel-refetch FALSE fetch_next_page shares the refetch in flight. */
static void
test_next_shares_refetch (Fixture       *f,
                          gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuarryInfiniteData) returned = NULL;
  g_autoptr(GError) error = NULL;
  const char *fresh =
    "{\"pages\":[{\"n\":1,\"v\":2,\"next\":2},{\"n\":2,\"v\":2,\"next\":3}],\"pageParams\":[1,2]}";

  quarry_infinite_query_set_cancel_refetch (query, FALSE);
  g_assert_false (quarry_infinite_query_get_cancel_refetch (query));
  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  next_page (f, fetcher, query, "{\"n\":2,\"next\":3}");

  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);

  quarry_infinite_query_fetch_next_page_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_false (context_cancelled (fetcher, 2));
  g_assert_null (result);

  answer (f, fetcher, 2, "{\"n\":1,\"v\":2,\"next\":2}");
  g_assert_cmpuint (fetcher->calls, ==, 4);
  assert_ctx (fetcher, 3, "2", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_null (result);
  answer (f, fetcher, 3, "{\"n\":2,\"v\":2,\"next\":3}");
  g_assert_cmpuint (fetcher->calls, ==, 4);
  assert_data (quarry_infinite_query_get_data (query), fresh);

  returned = finish_next (query, &result, &error);
  g_assert_no_error (error);
  assert_data (returned, fresh);

  /* No page was added after the shared fetch. */
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 4);

  g_assert_finalize_object (query);
}

/* A next-page request during the first load shares it. */
static void
test_next_during_first_load (Fixture       *f,
                             gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuarryInfiniteData) returned = NULL;
  g_autoptr(GError) error = NULL;
  const char *one = "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}";

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  quarry_infinite_query_fetch_next_page_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_false (context_cancelled (fetcher, 0));
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (query));
  g_assert_true (quarry_query_get_is_loading (Q (query)));

  answer (f, fetcher, 0, "{\"n\":1,\"next\":2}");
  g_assert_cmpuint (fetcher->calls, ==, 1);
  assert_data (quarry_infinite_query_get_data (query), one);
  returned = finish_next (query, &result, &error);
  g_assert_no_error (error);
  assert_data (returned, one);

  g_assert_finalize_object (query);
}


/* Concurrency EXHAUST: a next page during a refetch runs once after it,
 * forward, from the refetched pages. */
static void
test_exhaust_next_after_refetch (Fixture       *f,
                                 gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  quarry_query_set_concurrency (Q (query), QUARRY_CONCURRENCY_EXHAUST);
  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");

  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  quarry_infinite_query_fetch_next_page_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_false (context_cancelled (fetcher, 1));
  g_assert_true (quarry_query_get_is_refetching (Q (query)));

  answer (f, fetcher, 1, "{\"n\":1,\"next\":5}");
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_ctx (fetcher, 2, "5", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_true (quarry_infinite_query_get_is_fetching_next_page (query));
  assert_data (quarry_infinite_query_get_data (query), "{\"pages\":[{\"n\":1,\"next\":5}],\"pageParams\":[1]}");
  g_assert_null (result);

  answer (f, fetcher, 2, "{\"n\":5}");
  {
    g_autoptr(QuarryInfiniteData) data = finish_next (query, &result, &error);

    g_assert_no_error (error);
    assert_data (data, "{\"pages\":[{\"n\":1,\"next\":5},{\"n\":5}],\"pageParams\":[1,5]}");
  }
  g_assert_cmpuint (fetcher->calls, ==, 3);

  g_assert_finalize_object (query);
}

/* The flags follow the parameter functions when they change. */
static void
test_change_param_funcs (Fixture       *f,
                         gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  g_auto(ParamFunc) cursor = { .member = "cursor" };
  g_auto(ParamFunc) prev = { .member = "prev" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_first (f, fetcher, query, "{\"n\":1,\"next\":2,\"prev\":0}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));
  g_assert_false (quarry_infinite_query_get_has_previous_page (query));

  quarry_infinite_query_set_next_page_param_func (query, member_param_func, &cursor, NULL);
  g_assert_false (quarry_infinite_query_get_has_next_page (query));
  quarry_infinite_query_set_previous_page_param_func (query, member_param_func, &prev, NULL);
  g_assert_true (quarry_infinite_query_get_has_previous_page (query));
  quarry_infinite_query_set_next_page_param_func (query, member_param_func, &next, NULL);
  g_assert_true (quarry_infinite_query_get_has_next_page (query));
  quarry_infinite_query_set_next_page_param_func (query, NULL, NULL, NULL);
  g_assert_false (quarry_infinite_query_get_has_next_page (query));

  /* Without a next function a refetch fetches only the first page. */
  quarry_infinite_query_set_next_page_param_func (query, member_param_func, &next, NULL);
  next_page (f, fetcher, query, "{\"n\":2}");
  quarry_infinite_query_set_next_page_param_func (query, NULL, NULL, NULL);
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  answer (f, fetcher, 2, "{\"n\":1,\"next\":2}");
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_data (quarry_infinite_query_get_data (query), "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}");

  g_assert_finalize_object (query);
}

/* refetch_queries of the client refetches every page too. */
static void
test_client_refetch_queries (Fixture       *f,
                             gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_three (f, fetcher, query);
  quarry_query_client_refetch_queries (f->client, NULL);
  check_sequential_refetch (f, fetcher, &next, query, 3);

  g_assert_finalize_object (query);
}

/* With items-member set, a page without the array fails its fetch. */
static void
test_items_member_check (Fixture       *f,
                         gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  quarry_infinite_query_set_items_member (query, "items");
  quarry_clock_flush (f->clock);
  answer (f, fetcher, 0, "{\"items\":[1,2],\"next\":2}");
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_SUCCESS);

  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  answer (f, fetcher, 1, "{\"things\":[3],\"next\":3}");
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_ERROR);
  g_assert_error (quarry_query_get_error (Q (query)), QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE);
  g_assert_true (quarry_infinite_query_get_is_fetch_next_page_error (query));
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"items\":[1,2],\"next\":2}],\"pageParams\":[1]}");

  g_assert_finalize_object (query);
}

/* Regression: the items model of a JSON array page whose items were never
 * read used to g_object_unref (NULL) each of them when finalized (a
 * critical). */
static void
test_items_model_finalize (Fixture       *f,
                           gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, NULL, NULL, "1");

  quarry_clock_flush (f->clock);
  answer (f, fetcher, 0, "[1,2,3]");
  g_assert_cmpuint (g_list_model_get_n_items (quarry_infinite_query_get_items (query)), ==, 3);
  /* Items never read: finalizing the model must not unref NULL. */
  g_assert_finalize_object (query);
}

/* Offline, a next page waits (paused, not fetching) and runs when back
 * online. */
static void
test_next_page_offline (Fixture       *f,
                        gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  quarry_query_set_refetch_on_reconnect (Q (query), QUARRY_REFETCH_MODE_NEVER);
  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  quarry_query_client_set_online (f->client, FALSE);
  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_cmpint (quarry_query_get_fetch_status (Q (query)), ==, QUARRY_FETCH_STATUS_PAUSED);
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (query));

  quarry_query_client_set_online (f->client, TRUE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  assert_ctx (fetcher, 1, "2", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_true (quarry_infinite_query_get_is_fetching_next_page (query));
  answer (f, fetcher, 1, "{\"n\":2}");
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2}],\"pageParams\":[1,2]}");

  g_assert_finalize_object (query);
}

/* A failed next page is retried with the same parameter, forward. */
static void
test_next_page_retry (Fixture       *f,
                      gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  quarry_query_set_retry (Q (query), 1);
  quarry_query_set_retry_delay (Q (query), 100);
  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  fail (f, fetcher, 1, "flaky");
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_true (quarry_infinite_query_get_is_fetching_next_page (query));
  quarry_clock_advance (f->clock, 100);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_ctx (fetcher, 2, "2", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_cmpuint (quarry_fetch_context_get_attempt (fetcher_take (fetcher, 2)), >,
                    quarry_fetch_context_get_attempt (fetcher_take (fetcher, 1)));
  answer (f, fetcher, 2, "{\"n\":2}");
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2}],\"pageParams\":[1,2]}");
  g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_SUCCESS);

  g_assert_finalize_object (query);
}

/* Two infinite queries of one key share the pages. */
static void
test_shared_pages (Fixture       *f,
                   gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  g_auto(ParamFunc) next2 = { .member = "next" };
  QuarryInfiniteQuery *a = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  QuarryInfiniteQuery *b;

  quarry_query_set_stale_time (Q (a), 60000);
  load_first (f, fetcher, a, "{\"n\":1,\"next\":2}");
  b = make_iq (f, "[\"feed\"]", fetcher, &next2, NULL, "1");
  quarry_query_set_stale_time (Q (b), 60000);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  assert_data (quarry_infinite_query_get_data (b), "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}");
  g_assert_true (quarry_infinite_query_get_has_next_page (b));

  next_page (f, fetcher, b, "{\"n\":2}");
  assert_data (quarry_infinite_query_get_data (a),
               "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2}],\"pageParams\":[1,2]}");
  g_assert_false (quarry_infinite_query_get_has_next_page (a));
  g_assert_false (quarry_infinite_query_get_has_next_page (b));

  g_assert_finalize_object (b);
  g_assert_finalize_object (a);
}

/* Switching the key shows the other entry's pages, each entry paging on
 * its own. */
static void
test_key_change (Fixture       *f,
                 gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\",\"a\"]", fetcher, &next, NULL, "1");
  g_autoptr(QuarryKey) b = key_new ("[\"feed\",\"b\"]");
  g_autoptr(QuarryKey) a = key_new ("[\"feed\",\"a\"]");

  quarry_query_set_stale_time (Q (query), 60000);
  load_first (f, fetcher, query, "{\"n\":\"a1\",\"next\":2}");
  next_page (f, fetcher, query, "{\"n\":\"a2\"}");

  quarry_query_set_key (Q (query), b);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_ctx (fetcher, 2, "1", QUARRY_FETCH_DIRECTION_FORWARD);
  answer (f, fetcher, 2, "{\"n\":\"b1\",\"next\":2}");
  assert_data (quarry_infinite_query_get_data (query), "{\"pages\":[{\"n\":\"b1\",\"next\":2}],\"pageParams\":[1]}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  quarry_query_set_key (Q (query), a);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":\"a1\",\"next\":2},{\"n\":\"a2\"}],\"pageParams\":[1,2]}");
  g_assert_false (quarry_infinite_query_get_has_next_page (query));
  assert_data (entry_data (f, "[\"feed\",\"b\"]"), "{\"pages\":[{\"n\":\"b1\",\"next\":2}],\"pageParams\":[1]}");

  g_assert_finalize_object (query);
}

/* A parameter function storing a string: a NULL string means no page. */
static void
string_param_func (const GValue        *page,
                   QuarryInfiniteData  *data,
                   const GValue        *page_param,
                   GValue              *param,
                   gpointer             user_data,
                   GError             **error)
{
  JsonObject *object = json_node_get_object (g_value_get_boxed (page));

  g_value_init (param, G_TYPE_STRING);
  if (json_object_has_member (object, "cursor"))
    g_value_set_string (param, json_object_get_string_member (object, "cursor"));
  else
    g_value_set_string (param, NULL);
}

static void
test_null_pointer_param (Fixture       *f,
                         gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"feed\"]");
  QuarryInfiniteQuery *query = quarry_infinite_query_new (f->client, key, fetcher_func, fetcher, NULL);

  quarry_infinite_query_set_next_page_param_func (query, string_param_func, NULL, NULL);
  quarry_query_set_retry (Q (query), 0);
  quarry_clock_flush (f->clock);
  answer (f, fetcher, 0, "{\"n\":1,\"cursor\":\"abc\"}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  next_page (f, fetcher, query, "{\"n\":2}");
  assert_ctx (fetcher, 1, "\"abc\"", QUARRY_FETCH_DIRECTION_FORWARD);
  g_assert_false (quarry_infinite_query_get_has_next_page (query));
  /* The string parameter is written to JSON as a string. */
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":1,\"cursor\":\"abc\"},{\"n\":2}],\"pageParams\":[null,\"abc\"]}");

  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  g_assert_finalize_object (query);
}

/* A stored JSON null first parameter is reused by a refetch (TanStack
 * 5.108), not replaced by the initial one. */
static void
test_refetch_stored_null_param (Fixture       *f,
                                gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(QuarryKey) key = key_new ("[\"feed\"]");
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;

  load_first (f, fetcher, query, "{\"n\":1}");
  json_value_init (&value, "{\"pages\":[{\"n\":0,\"next\":5}],\"pageParams\":[null]}");
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, &error));
  g_assert_no_error (error);
  g_value_unset (&value);

  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  assert_ctx (fetcher, 1, "null", QUARRY_FETCH_DIRECTION_FORWARD);

  g_assert_finalize_object (query);
}

/* select: the last page only. */
static void
select_last_page (const GValue  *data,
                  GValue        *selected,
                  gpointer       user_data,
                  GError       **error)
{
  QuarryInfiniteData *pages = g_value_get_boxed (data);
  guint n = quarry_infinite_data_get_n_pages (pages);

  g_value_init (selected, QUARRY_TYPE_INFINITE_DATA);
  g_value_take_boxed (selected, quarry_infinite_data_slice (pages, n - 1, 1));
}

/* The parameters come from the entry's pages, not from the selected ones. */
static void
test_select (Fixture       *f,
             gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  g_auto(ParamFunc) prev = { .member = "prev" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, &prev, "1");

  quarry_query_set_select_func (Q (query), select_last_page, NULL, NULL);
  load_first (f, fetcher, query, "{\"n\":1,\"next\":2,\"prev\":0}");
  next_page (f, fetcher, query, "{\"n\":2,\"next\":3}");
  assert_data (quarry_infinite_query_get_data (query), "{\"pages\":[{\"n\":2,\"next\":3}],\"pageParams\":[2]}");
  assert_data (entry_data (f, "[\"feed\"]"),
               "{\"pages\":[{\"n\":1,\"next\":2,\"prev\":0},{\"n\":2,\"next\":3}],\"pageParams\":[1,2]}");
  /* The previous page of the entry's first page, not of the shown one. */
  g_assert_true (quarry_infinite_query_get_has_previous_page (query));
  g_assert_cmpstr (prev.last_page, ==, "{\"n\":1,\"next\":2,\"prev\":0}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));
  g_assert_cmpuint (g_list_model_get_n_items (quarry_infinite_query_get_pages (query)), ==, 1);

  g_assert_finalize_object (query);
}

/* 10. Out-of-order results. */

static void
test_out_of_order (Fixture       *f,
                   gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  const char *v3 = "{\"pages\":[{\"n\":1,\"v\":3}],\"pageParams\":[1]}";

  load_first (f, fetcher, query, "{\"n\":1,\"v\":1}");

  /* Refetch A, replaced by refetch B. */
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_true (context_cancelled (fetcher, 1));
  assert_ctx (fetcher, 2, "1", QUARRY_FETCH_DIRECTION_FORWARD);

  answer (f, fetcher, 2, "{\"n\":1,\"v\":3}");
  assert_data (quarry_infinite_query_get_data (query), v3);
  answer (f, fetcher, 1, "{\"n\":1,\"v\":2}");
  assert_data (quarry_infinite_query_get_data (query), v3);
  assert_data (entry_data (f, "[\"feed\"]"), v3);
  g_assert_cmpuint (fetcher->calls, ==, 3);

  g_assert_finalize_object (query);
}

/* A refetch's page 1 cancelled by fetch_next_page answers after the new
 * page: not written. */
static void
test_out_of_order_next (Fixture       *f,
                        gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  const char *two = "{\"pages\":[{\"n\":1,\"next\":2},{\"n\":2}],\"pageParams\":[1,2]}";

  load_first (f, fetcher, query, "{\"n\":1,\"next\":2}");
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_true (context_cancelled (fetcher, 1));

  answer (f, fetcher, 2, "{\"n\":2}");
  assert_data (quarry_infinite_query_get_data (query), two);
  answer (f, fetcher, 1, "{\"n\":1,\"v\":9,\"next\":5}");
  assert_data (quarry_infinite_query_get_data (query), two);
  assert_data (entry_data (f, "[\"feed\"]"), two);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_cmpint (quarry_query_get_fetch_status (Q (query)), ==, QUARRY_FETCH_STATUS_IDLE);

  g_assert_finalize_object (query);
}

/* 11. set_query_data. */

static void
test_set_query_data (Fixture       *f,
                     gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(QuarryKey) key = key_new ("[\"feed\"]");
  g_autoptr(QuarryInfiniteData) empty = quarry_infinite_data_new ();
  g_autoptr(QuarryInfiniteData) mine = NULL;
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;
  const char *nine = "{\"pages\":[{\"n\":9,\"next\":10}],\"pageParams\":[9]}";

  load_first (f, fetcher, query, "{\"n\":1}");
  g_assert_false (quarry_infinite_query_get_has_next_page (query));

  /* A QuarryInfiniteData is stored as is. */
  mine = data_append_json (empty, "{\"n\":7,\"next\":8}", "7");
  g_value_init (&value, QUARRY_TYPE_INFINITE_DATA);
  g_value_set_boxed (&value, mine);
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, &error));
  g_assert_no_error (error);
  g_value_unset (&value);
  g_assert_true (quarry_infinite_data_equal (entry_data (f, "[\"feed\"]"), mine));
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":7,\"next\":8}],\"pageParams\":[7]}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  /* A JSON {pages, pageParams} object is converted. */
  json_value_init (&value, nine);
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, &error));
  g_assert_no_error (error);
  g_value_unset (&value);
  assert_data (entry_data (f, "[\"feed\"]"), nine);
  assert_data (quarry_infinite_query_get_data (query), nine);
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  /* Anything else is refused and the pages stay. */
  {
    static const char *bad_json[] = {
      "[1,2]",
      "{\"pages\":[1]}",
      "{\"pages\":[1,2],\"pageParams\":[1]}",
      "\"text\"",
    };
    GValue *number = value_new_int (42);

    for (guint i = 0; i < G_N_ELEMENTS (bad_json); i++)
      {
        g_test_message ("set_query_data (%s)", bad_json[i]);
        json_value_init (&value, bad_json[i]);
        g_assert_false (quarry_query_client_set_query_data (f->client, key, &value, &error));
        g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE);
        g_clear_error (&error);
        g_value_unset (&value);
        assert_data (entry_data (f, "[\"feed\"]"), nine);
      }

    g_assert_false (quarry_query_client_set_query_data (f->client, key, number, &error));
    g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE);
    g_clear_error (&error);
    g_value_unset (number);
    g_free (number);
    assert_data (entry_data (f, "[\"feed\"]"), nine);
    assert_data (quarry_infinite_query_get_data (query), nine);
    g_assert_cmpint (quarry_query_get_status (Q (query)), ==, QUARRY_STATUS_SUCCESS);
  }

  /* A refetch starts from the stored first param. */
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  assert_ctx (fetcher, 1, "9", QUARRY_FETCH_DIRECTION_FORWARD);
  answer (f, fetcher, 1, "{\"n\":9}");
  assert_data (quarry_infinite_query_get_data (query), "{\"pages\":[{\"n\":9}],\"pageParams\":[9]}");

  g_assert_finalize_object (query);
}


/* set_query_data before any infinite query attached: a QuarryInfiniteData
 * is taken as the pages. */
static void
test_set_query_data_before_attach (Fixture       *f,
                                   gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  g_autoptr(QuarryKey) key = key_new ("[\"feed\"]");
  g_autoptr(QuarryInfiniteData) empty = quarry_infinite_data_new ();
  g_autoptr(QuarryInfiniteData) seeded = data_append_json (empty, "{\"n\":3,\"next\":4}", "3");
  g_autoptr(GError) error = NULL;
  QuarryInfiniteQuery *query;
  GValue value = G_VALUE_INIT;

  g_value_init (&value, QUARRY_TYPE_INFINITE_DATA);
  g_value_set_boxed (&value, seeded);
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, &error));
  g_assert_no_error (error);
  g_value_unset (&value);

  query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":3,\"next\":4}],\"pageParams\":[3]}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  /* Stale: the mount refetches from the stored first param. */
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  assert_ctx (fetcher, 0, "3", QUARRY_FETCH_DIRECTION_FORWARD);
  answer (f, fetcher, 0, "{\"n\":3,\"v\":2}");
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":3,\"v\":2}],\"pageParams\":[3]}");

  g_assert_finalize_object (query);
}

/* Regression: JSON pages written before an infinite query attached stayed
 * a JsonNode, so the query showed no pages and refetched from the initial
 * param. */
/* The same seeded as JSON {"pages", "pageParams"} (what a persisted cache
 * or a server-side render gives): the infinite query takes it as pages
 * once it attaches, as TanStack does. */
static void
test_set_query_data_json_before_attach (Fixture       *f,
                                        gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  g_autoptr(QuarryKey) key = key_new ("[\"feed\"]");
  g_autoptr(GError) error = NULL;
  QuarryInfiniteQuery *query;
  GValue value = G_VALUE_INIT;

  json_value_init (&value, "{\"pages\":[{\"n\":3,\"next\":4}],\"pageParams\":[3]}");
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, &error));
  g_assert_no_error (error);
  g_value_unset (&value);

  query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":3,\"next\":4}],\"pageParams\":[3]}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  assert_ctx (fetcher, 0, "3", QUARRY_FETCH_DIRECTION_FORWARD);
  answer (f, fetcher, 0, "{\"n\":3,\"v\":2}");
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":3,\"v\":2}],\"pageParams\":[3]}");

  g_assert_finalize_object (query);
}


/* Initial data given as JSON pages is taken as pages too. */
static void
test_initial_data_json (Fixture       *f,
                        gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  GValue value = G_VALUE_INIT;

  json_value_init (&value, "{\"pages\":[{\"n\":3,\"next\":4}],\"pageParams\":[3]}");
  quarry_query_set_initial_data (Q (query), &value);
  g_value_unset (&value);

  quarry_clock_flush (f->clock);
  assert_data (entry_data (f, "[\"feed\"]"), "{\"pages\":[{\"n\":3,\"next\":4}],\"pageParams\":[3]}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));
  g_assert_cmpuint (fetcher->calls, ==, 1);
  assert_ctx (fetcher, 0, "3", QUARRY_FETCH_DIRECTION_FORWARD);

  g_assert_finalize_object (query);
}


/* Initial data given as a QuarryInfiniteData is the pages. */
static void
test_initial_data (Fixture       *f,
                   gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(QuarryInfiniteData) empty = quarry_infinite_data_new ();
  g_autoptr(QuarryInfiniteData) initial = data_append_json (empty, "{\"n\":3,\"next\":4}", "3");
  GValue value = G_VALUE_INIT;

  g_value_init (&value, QUARRY_TYPE_INFINITE_DATA);
  g_value_set_boxed (&value, initial);
  quarry_query_set_initial_data (Q (query), &value);
  g_value_unset (&value);

  quarry_clock_flush (f->clock);
  assert_data (entry_data (f, "[\"feed\"]"), "{\"pages\":[{\"n\":3,\"next\":4}],\"pageParams\":[3]}");
  assert_data (quarry_infinite_query_get_data (query), "{\"pages\":[{\"n\":3,\"next\":4}],\"pageParams\":[3]}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));
  /* Stale initial data: the mount refetches from its first param. */
  g_assert_cmpuint (fetcher->calls, ==, 1);
  assert_ctx (fetcher, 0, "3", QUARRY_FETCH_DIRECTION_FORWARD);
  answer (f, fetcher, 0, "{\"n\":3}");
  assert_data (quarry_infinite_query_get_data (query), "{\"pages\":[{\"n\":3}],\"pageParams\":[3]}");

  g_assert_finalize_object (query);
}

/* 12. Async variants. */

static void
test_async (Fixture       *f,
            gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  g_auto(ParamFunc) prev = { .member = "prev" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, &prev, "5");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  load_first (f, fetcher, query, "{\"n\":5,\"prev\":4,\"next\":6}");

  quarry_infinite_query_fetch_next_page_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_null (result);
  answer (f, fetcher, 1, "{\"n\":6}");
  {
    g_autoptr(QuarryInfiniteData) data = finish_next (query, &result, &error);

    g_assert_no_error (error);
    assert_data (data, "{\"pages\":[{\"n\":5,\"prev\":4,\"next\":6},{\"n\":6}],\"pageParams\":[5,6]}");
  }

  quarry_infinite_query_fetch_previous_page_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_ctx (fetcher, 2, "4", QUARRY_FETCH_DIRECTION_BACKWARD);
  g_assert_null (result);
  answer (f, fetcher, 2, "{\"n\":4}");
  {
    g_autoptr(QuarryInfiniteData) data = finish_previous (query, &result, &error);

    g_assert_no_error (error);
    assert_data (data, "{\"pages\":[{\"n\":4},{\"n\":5,\"prev\":4,\"next\":6},{\"n\":6}],"
                       "\"pageParams\":[4,5,6]}");
  }

  g_assert_finalize_object (query);
}

static void
test_async_error (Fixture       *f,
                  gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  g_auto(ParamFunc) prev = { .member = "prev" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, &prev, "5");
  g_autoptr(GAsyncResult) result = NULL;

  load_first (f, fetcher, query, "{\"n\":5,\"prev\":4,\"next\":6}");

  quarry_infinite_query_fetch_next_page_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  fail (f, fetcher, 1, "next broke");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(QuarryInfiniteData) data = finish_next (query, &result, &error);

    g_assert_null (data);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    g_assert_cmpstr (error->message, ==, "next broke");
  }

  quarry_infinite_query_fetch_previous_page_async (query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  fail (f, fetcher, 2, "previous broke");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(QuarryInfiniteData) data = finish_previous (query, &result, &error);

    g_assert_null (data);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    g_assert_cmpstr (error->message, ==, "previous broke");
  }
  assert_data (quarry_infinite_query_get_data (query),
               "{\"pages\":[{\"n\":5,\"prev\":4,\"next\":6}],\"pageParams\":[5]}");

  g_assert_finalize_object (query);
}

/* 13. Entry removed. */

static void
test_removed_restarts (Fixture       *f,
                       gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_three (f, fetcher, query);
  quarry_query_client_remove_queries (f->client, NULL);
  quarry_clock_flush (f->clock);
  g_assert_null (entry_data (f, "[\"feed\"]"));
  g_assert_false (quarry_infinite_query_get_has_next_page (query));

  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 4);
  assert_ctx (fetcher, 3, "1", QUARRY_FETCH_DIRECTION_FORWARD);
  answer (f, fetcher, 3, "{\"n\":1,\"next\":2}");
  g_assert_cmpuint (fetcher->calls, ==, 4);
  assert_data (quarry_infinite_query_get_data (query), "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}");
  assert_data (entry_data (f, "[\"feed\"]"), "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}");
  g_assert_true (quarry_infinite_query_get_has_next_page (query));

  g_assert_finalize_object (query);
}

/* With no pages, fetch_next_page is a whole fetch from the initial param. */
static void
test_removed_next_page (Fixture       *f,
                        gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");

  load_three (f, fetcher, query);
  quarry_query_client_remove_queries (f->client, NULL);
  quarry_clock_flush (f->clock);

  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 4);
  {
    g_autofree char *p = param_string (quarry_fetch_context_get_page_param (fetcher_take (fetcher, 3)));

    g_assert_cmpstr (p, ==, "1");
  }
  answer (f, fetcher, 3, "{\"n\":1,\"next\":2}");
  g_assert_cmpuint (fetcher->calls, ==, 4);
  assert_data (quarry_infinite_query_get_data (query), "{\"pages\":[{\"n\":1,\"next\":2}],\"pageParams\":[1]}");

  g_assert_finalize_object (query);
}

/* 14. Notifications. */

static void
test_notify (Fixture       *f,
             gconstpointer  unused)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_auto(ParamFunc) next = { .member = "next" };
  QuarryInfiniteQuery *query = make_iq (f, "[\"feed\"]", fetcher, &next, NULL, "1");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean value = FALSE;

  g_signal_connect (query, "notify", G_CALLBACK (count_notify_cb), counts);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (count_of (counts, "has-next-page"), ==, 0);
  g_assert_cmpuint (count_of (counts, "is-fetching-next-page"), ==, 0);
  answer (f, fetcher, 0, "{\"n\":1,\"next\":2}");
  g_assert_cmpuint (count_of (counts, "has-next-page"), ==, 1);
  g_object_get (query, "has-next-page", &value, NULL);
  g_assert_true (value);
  g_assert_cmpuint (count_of (counts, "is-fetching-next-page"), ==, 0);

  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (count_of (counts, "is-fetching-next-page"), ==, 1);
  g_object_get (query, "is-fetching-next-page", &value, NULL);
  g_assert_true (value);
  answer (f, fetcher, 1, "{\"n\":2,\"next\":3}");
  g_assert_cmpuint (count_of (counts, "is-fetching-next-page"), ==, 2);
  g_object_get (query, "is-fetching-next-page", &value, NULL);
  g_assert_false (value);
  /* Still a next page: no change, no notification. */
  g_assert_cmpuint (count_of (counts, "has-next-page"), ==, 1);

  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  answer (f, fetcher, 2, "{\"n\":3}");
  g_assert_cmpuint (count_of (counts, "is-fetching-next-page"), ==, 4);
  g_assert_cmpuint (count_of (counts, "has-next-page"), ==, 2);
  g_object_get (query, "has-next-page", &value, NULL);
  g_assert_false (value);
  g_assert_cmpuint (count_of (counts, "is-fetching-previous-page"), ==, 0);
  g_assert_cmpuint (count_of (counts, "has-previous-page"), ==, 0);

  /* A refetch does not touch is-fetching-next-page. */
  quarry_query_refetch (Q (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (count_of (counts, "is-fetching-next-page"), ==, 4);

  g_signal_handlers_disconnect_by_data (query, counts);
  g_assert_finalize_object (query);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/infinite-query/data/basics", test_data_basics);
  g_test_add_func ("/infinite-query/data/int-params", test_data_int_params);
  g_test_add_func ("/infinite-query/data/json", test_data_json);
  g_test_add_func ("/infinite-query/data/json-errors", test_data_json_errors);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/infinite-query/first-load", test_first_load);
  ADD ("/infinite-query/first-load/no-initial-param", test_first_load_no_initial_param);
  ADD ("/infinite-query/forward", test_forward);
  ADD ("/infinite-query/forward/null-param", test_forward_null_param);
  ADD ("/infinite-query/backward", test_backward);
  ADD ("/infinite-query/backward/no-function", test_backward_no_func);
  ADD ("/infinite-query/max-pages", test_max_pages);
  ADD ("/infinite-query/refetch/sequential", test_refetch_sequential);
  ADD ("/infinite-query/refetch/invalidate", test_refetch_invalidate);
  ADD ("/infinite-query/refetch/focus", test_refetch_focus);
  ADD ("/infinite-query/refetch/shrinks", test_refetch_shrinks);
  ADD ("/infinite-query/refetch/max-pages", test_refetch_max_pages);
  ADD ("/infinite-query/error/refetch-page", test_refetch_page_fails);
  ADD ("/infinite-query/error/retry-restarts", test_refetch_retry_restarts);
  ADD ("/infinite-query/error/next-and-previous-page", test_next_page_fails);
  ADD ("/infinite-query/error/next-page-then-next", test_next_page_error_then_next);
  ADD ("/infinite-query/param-func-error/fetch", test_param_func_error_fetch);
  ADD ("/infinite-query/param-func-error/has-next-page", test_param_func_error_has_next);
  ADD ("/infinite-query/param-func-error/refetch", test_param_func_error_refetch);
  ADD ("/infinite-query/cancel/next-page", test_cancel_next_page);
  ADD ("/infinite-query/cancel/reverts-direction", test_cancel_reverts_direction);
  ADD ("/infinite-query/cancel/next-cancels-refetch", test_next_cancels_refetch);
  ADD ("/infinite-query/cancel/next-shares-refetch", test_next_shares_refetch);
  ADD ("/infinite-query/cancel/next-during-first-load", test_next_during_first_load);
  ADD ("/infinite-query/cancel/exhaust-next-after-refetch", test_exhaust_next_after_refetch);
  ADD ("/infinite-query/param-funcs-change", test_change_param_funcs);
  ADD ("/infinite-query/refetch/client-refetch-queries", test_client_refetch_queries);
  ADD ("/infinite-query/items-member-check", test_items_member_check);
  ADD ("/infinite-query/offline-next-page", test_next_page_offline);
  ADD ("/infinite-query/error/next-page-retry", test_next_page_retry);
  ADD ("/infinite-query/shared-pages", test_shared_pages);
  ADD ("/infinite-query/key-change", test_key_change);
  ADD ("/infinite-query/select", test_select);
  ADD ("/infinite-query/forward/null-pointer-param", test_null_pointer_param);
  ADD ("/infinite-query/refetch/stored-null-param", test_refetch_stored_null_param);
  ADD ("/infinite-query/items-model-finalize", test_items_model_finalize);
  ADD ("/infinite-query/out-of-order/refetch", test_out_of_order);
  ADD ("/infinite-query/out-of-order/next-page", test_out_of_order_next);
  ADD ("/infinite-query/set-query-data", test_set_query_data);
  ADD ("/infinite-query/set-query-data/before-attach", test_set_query_data_before_attach);
  ADD ("/infinite-query/set-query-data/json-before-attach", test_set_query_data_json_before_attach);
  ADD ("/infinite-query/initial-data-json", test_initial_data_json);
  ADD ("/infinite-query/initial-data", test_initial_data);
  ADD ("/infinite-query/async/success", test_async);
  ADD ("/infinite-query/async/error", test_async_error);
  ADD ("/infinite-query/removed/refetch", test_removed_restarts);
  ADD ("/infinite-query/removed/next-page", test_removed_next_page);
  ADD ("/infinite-query/notify", test_notify);
#undef ADD

  return g_test_run ();
}
