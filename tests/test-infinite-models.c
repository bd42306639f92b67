/* test-infinite-models.c: the list models of infinite queries (pages and
 * flattened items), QuarryJsonItem, and paginated page-number queries with
 * keep-previous-data and prefetching.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-util.h"

/* ------------------------------------------------------------------------
 * A page server: the fetch function of the infinite queries below. It
 * answers each call at once from its table, by the context's page
 * parameter (an int64), and records the parameter and direction of each
 * call.
 *
 * Page p holds three items {"id": 3p+1..3p+3, "rev": rev[p]}, as a JSON
 * array, or as the "items" member of a JSON object when wrap is set. A page
 * can be overridden with literal JSON text (an error when it starts with
 * "!") or with a GListModel. The
 * parameter functions go from first to last (inclusive).
 * ------------------------------------------------------------------------ */

#define SERVER_BASE 8
#define SERVER_SIZE 32

typedef struct
{
  guint calls;
  GArray *params;       /* gint64 of each call */
  GArray *directions;   /* QuarryFetchDirection of each call */
  gint64 first;
  gint64 last;
  gint64 id_offset;     /* added to every generated id */
  gboolean wrap;
  gboolean hold;        /* keep the contexts in held instead of answering */
  GPtrArray *held;
  guint rev[SERVER_SIZE];
  char *override[SERVER_SIZE];
  GListModel *stores[SERVER_SIZE];
} Server;

static Server *
server_new (void)
{
  Server *s = g_new0 (Server, 1);

  s->params = g_array_new (FALSE, FALSE, sizeof (gint64));
  s->directions = g_array_new (FALSE, FALSE, sizeof (QuarryFetchDirection));
  s->held = g_ptr_array_new_with_free_func (g_object_unref);
  s->first = 0;
  s->last = 7;
  return s;
}

static void
server_free (Server *s)
{
  for (guint i = 0; i < SERVER_SIZE; i++)
    {
      g_free (s->override[i]);
      g_clear_object (&s->stores[i]);
    }
  for (guint i = 0; i < s->held->len; i++)
    {
      QuarryFetchContext *context = g_ptr_array_index (s->held, i);

      if (!quarry_fetch_context_is_completed (context))
        quarry_fetch_context_return_error_literal (context, G_IO_ERROR, G_IO_ERROR_CANCELLED, "test over");
    }
  g_ptr_array_unref (s->held);
  g_array_unref (s->params);
  g_array_unref (s->directions);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static guint
server_slot (gint64 p)
{
  g_assert_cmpint (p, >=, -SERVER_BASE);
  g_assert_cmpint (p, <, SERVER_SIZE - SERVER_BASE);
  return (guint) (p + SERVER_BASE);
}

static void
server_override (Server     *s,
                 gint64      p,
                 const char *json)
{
  guint slot = server_slot (p);

  g_free (s->override[slot]);
  s->override[slot] = g_strdup (json);
}

static void
server_bump (Server *s,
             gint64  p)
{
  s->rev[server_slot (p)]++;
}

static char *
server_page_json (Server *s,
                  gint64  p)
{
  guint slot = server_slot (p);
  GString *str;

  if (s->override[slot] != NULL)
    return g_strdup (s->override[slot]);

  str = g_string_new (s->wrap ? "{\"items\":[" : "[");
  for (gint64 k = 1; k <= 3; k++)
    g_string_append_printf (str, "%s{\"id\":%" G_GINT64_FORMAT ",\"rev\":%u}",
                            k > 1 ? "," : "", s->id_offset + 3 * p + k, s->rev[slot]);
  g_string_append (str, "]");
  if (s->wrap)
    g_string_append_printf (str, ",\"page\":%" G_GINT64_FORMAT "}", p);
  return g_string_free (str, FALSE);
}

static void
server_answer (Server             *s,
               QuarryFetchContext *context)
{
  gint64 p = value_get_int (quarry_fetch_context_get_page_param (context));
  guint slot = server_slot (p);

  if (s->stores[slot] != NULL)
    {
      GValue value = G_VALUE_INIT;

      g_value_init (&value, G_OBJECT_TYPE (s->stores[slot]));
      g_value_set_object (&value, s->stores[slot]);
      quarry_fetch_context_return_value (context, &value);
      g_value_unset (&value);
    }
  else if (s->override[slot] != NULL && s->override[slot][0] == '!')
    quarry_fetch_context_return_error_literal (context, G_IO_ERROR, G_IO_ERROR_FAILED,
                                               s->override[slot] + 1);
  else
    {
      g_autofree char *json = server_page_json (s, p);
      g_autoptr(JsonNode) node = json_from_string (json, NULL);

      g_assert_nonnull (node);
      quarry_fetch_context_return_json (context, node);
    }
}

static void
server_fetch (QuarryFetchContext *context,
              gpointer            user_data)
{
  Server *s = user_data;
  const GValue *param = quarry_fetch_context_get_page_param (context);
  QuarryFetchDirection direction = quarry_fetch_context_get_direction (context);
  gint64 p;

  g_assert_nonnull (param);
  p = value_get_int (param);
  server_slot (p);
  s->calls++;
  g_array_append_val (s->params, p);
  g_array_append_val (s->directions, direction);

  if (s->hold)
    g_ptr_array_add (s->held, g_object_ref (context));
  else
    server_answer (s, context);
}

/* Stops holding and answers the held calls. */
static void
server_release (Server *s)
{
  s->hold = FALSE;
  for (guint i = 0; i < s->held->len; i++)
    {
      QuarryFetchContext *context = g_ptr_array_index (s->held, i);

      if (!quarry_fetch_context_is_completed (context))
        server_answer (s, context);
    }
  g_ptr_array_set_size (s->held, 0);
}

/* The parameters the server was called with, as "0 1 2". */
static char *
server_calls (Server *s)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < s->params->len; i++)
    g_string_append_printf (str, "%s%" G_GINT64_FORMAT, i ? " " : "",
                            g_array_index (s->params, gint64, i));
  return g_string_free (str, FALSE);
}

static void
server_forget_calls (Server *s)
{
  g_array_set_size (s->params, 0);
  g_array_set_size (s->directions, 0);
}

static void
next_param_func (const GValue        *page,
                 QuarryInfiniteData  *data,
                 const GValue        *page_param,
                 GValue              *param,
                 gpointer             user_data,
                 GError             **error)
{
  Server *s = user_data;
  gint64 p = value_get_int (page_param);

  g_assert_nonnull (page);
  g_assert_nonnull (data);
  if (p + 1 <= s->last)
    {
      g_value_init (param, G_TYPE_INT64);
      g_value_set_int64 (param, p + 1);
    }
}

static void
previous_param_func (const GValue        *page,
                     QuarryInfiniteData  *data,
                     const GValue        *page_param,
                     GValue              *param,
                     gpointer             user_data,
                     GError             **error)
{
  Server *s = user_data;
  gint64 p = value_get_int (page_param);

  g_assert_nonnull (page);
  g_assert_nonnull (data);
  if (p - 1 >= s->first)
    {
      g_value_init (param, G_TYPE_INT64);
      g_value_set_int64 (param, p - 1);
    }
}

/* An infinite query on @key_json fetching from @s, configured right after
 * construction (it mounts in an idle): initial parameter 0, both parameter
 * functions, no retries. */
static QuarryInfiniteQuery *
make_infinite (Fixture    *f,
               const char *key_json,
               Server     *s)
{
  g_autoptr(QuarryKey) key = key_new (key_json);
  QuarryInfiniteQuery *query = quarry_infinite_query_new (f->client, key, server_fetch, s, NULL);
  GValue initial = G_VALUE_INIT;

  g_value_init (&initial, G_TYPE_INT64);
  g_value_set_int64 (&initial, 0);
  quarry_infinite_query_set_initial_page_param (query, &initial);
  g_value_unset (&initial);
  quarry_infinite_query_set_next_page_param_func (query, next_param_func, s, NULL);
  quarry_infinite_query_set_previous_page_param_func (query, previous_param_func, s, NULL);
  quarry_query_set_retry (QUARRY_QUERY (query), 0);
  return query;
}

/* ------------------------------------------------------------------------
 * A recorder of items-changed. It keeps a shadow copy of the model (the
 * item pointers) and applies each emission to it; after each emission the
 * shadow must be exactly the model's content: the emission's range must fit
 * the content before, the added items must be where it says, and the items
 * outside the range must be the very same objects as before.
 * ------------------------------------------------------------------------ */

typedef struct
{
  GListModel *model;
  gulong handler;
  GPtrArray *shadow;
  GString *log;          /* "(position,removed,added)" separated by spaces */
  guint inconsistent;
  char *first_problem;
} Recorder;

static void
clear_object_maybe (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
recorder_resync (Recorder *r)
{
  guint n = g_list_model_get_n_items (r->model);

  g_ptr_array_set_size (r->shadow, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (r->shadow, g_list_model_get_item (r->model, i));
}

static void
recorder_problem (Recorder   *r,
                  const char *format,
                  ...) G_GNUC_PRINTF (2, 3);

static void
recorder_problem (Recorder   *r,
                  const char *format,
                  ...)
{
  va_list args;

  r->inconsistent++;
  if (r->first_problem == NULL)
    {
      va_start (args, format);
      r->first_problem = g_strdup_vprintf (format, args);
      va_end (args);
    }
}

static void
recorder_items_changed_cb (GListModel *model,
                           guint       position,
                           guint       removed,
                           guint       added,
                           Recorder   *r)
{
  guint n = g_list_model_get_n_items (model);

  g_string_append_printf (r->log, "%s(%u,%u,%u)", r->log->len ? " " : "",
                          position, removed, added);

  if (removed == 0 && added == 0)
    recorder_problem (r, "empty emission (%u,0,0)", position);

  if ((guint64) position + removed > r->shadow->len)
    {
      recorder_problem (r, "(%u,%u,%u) does not fit the %u items before",
                        position, removed, added, r->shadow->len);
      recorder_resync (r);
      return;
    }

  if (n != r->shadow->len - removed + added)
    {
      recorder_problem (r, "(%u,%u,%u) on %u items, but the model has %u",
                        position, removed, added, r->shadow->len, n);
      recorder_resync (r);
      return;
    }

  g_ptr_array_remove_range (r->shadow, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (r->shadow, position + i,
                        g_list_model_get_item (model, position + i));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (item == NULL || item != g_ptr_array_index (r->shadow, i))
        {
          recorder_problem (r, "after (%u,%u,%u) item %u is %p, expected %p",
                            position, removed, added, i, (gpointer) item,
                            g_ptr_array_index (r->shadow, i));
          recorder_resync (r);
          return;
        }
    }
}

static Recorder *
recorder_new (GListModel *model)
{
  Recorder *r = g_new0 (Recorder, 1);

  g_assert_true (G_IS_LIST_MODEL (model));
  r->model = g_object_ref (model);
  r->shadow = g_ptr_array_new_with_free_func (clear_object_maybe);
  r->log = g_string_new (NULL);
  recorder_resync (r);
  r->handler = g_signal_connect (model, "items-changed",
                                 G_CALLBACK (recorder_items_changed_cb), r);
  return r;
}

static void
recorder_free (Recorder *r)
{
  g_signal_handler_disconnect (r->model, r->handler);
  g_ptr_array_unref (r->shadow);
  g_string_free (r->log, TRUE);
  g_free (r->first_problem);
  g_object_unref (r->model);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

static void
recorder_reset (Recorder *r)
{
  g_string_truncate (r->log, 0);
}

/* Asserts the emissions since the last reset, and that each was consistent
 * with the model; then resets. */
#define assert_emissions(r, expected) \
  G_STMT_START { \
    g_assert_cmpstr ((r)->first_problem, ==, NULL); \
    g_assert_cmpuint ((r)->inconsistent, ==, 0); \
    g_assert_cmpstr ((r)->log->str, ==, (expected)); \
    recorder_reset (r); \
  } G_STMT_END

/* The same, when two orders are acceptable. */
#define assert_emissions_either(r, expected1, expected2) \
  G_STMT_START { \
    g_assert_cmpstr ((r)->first_problem, ==, NULL); \
    g_assert_cmpuint ((r)->inconsistent, ==, 0); \
    if (g_strcmp0 ((r)->log->str, (expected1)) != 0) \
      g_assert_cmpstr ((r)->log->str, ==, (expected2)); \
    recorder_reset (r); \
  } G_STMT_END

/* ------------------------------------------------------------------------
 * Model inspection.
 * ------------------------------------------------------------------------ */

/* The id of an item: the "id" member of a QuarryJsonItem object, an integer
 * QuarryJsonItem, or the "id" data of another object. */
static gint64
item_id (GObject *item)
{
  if (QUARRY_IS_JSON_ITEM (item))
    {
      JsonNode *node = quarry_json_item_get_node (QUARRY_JSON_ITEM (item));

      g_assert_nonnull (node);
      if (JSON_NODE_HOLDS_OBJECT (node))
        return json_object_get_int_member (json_node_get_object (node), "id");
      return json_node_get_int (node);
    }
  return GPOINTER_TO_INT (g_object_get_data (item, "id"));
}

/* The ids of the items of @model, as "1 2 3". */
static char *
item_ids (GListModel *model)
{
  GString *str = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_nonnull (item);
      g_string_append_printf (str, "%s%" G_GINT64_FORMAT, i ? " " : "", item_id (item));
    }
  return g_string_free (str, FALSE);
}

/* The parameters of the pages of @model, as "0 1 2". */
static char *
page_params (GListModel *model)
{
  GString *str = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuarryPage) page = g_list_model_get_item (model, i);

      g_assert_true (QUARRY_IS_PAGE (page));
      g_string_append_printf (str, "%s%" G_GINT64_FORMAT, i ? " " : "",
                              value_get_int (quarry_page_get_param (page)));
    }
  return g_string_free (str, FALSE);
}

#define assert_ids(query, expected) \
  G_STMT_START { \
    g_autofree char *ids_ = item_ids (quarry_infinite_query_get_items (query)); \
    g_assert_cmpstr (ids_, ==, (expected)); \
  } G_STMT_END

#define assert_params(query, expected) \
  G_STMT_START { \
    g_autofree char *params_ = page_params (quarry_infinite_query_get_pages (query)); \
    g_assert_cmpstr (params_, ==, (expected)); \
  } G_STMT_END

static gboolean
page_values_equal (const GValue *a,
                   const GValue *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  if (G_VALUE_TYPE (a) != G_VALUE_TYPE (b))
    return FALSE;
  if (G_VALUE_HOLDS (a, JSON_TYPE_NODE))
    return json_node_equal (g_value_get_boxed (a), g_value_get_boxed (b));
  if (G_VALUE_HOLDS_OBJECT (a))
    return g_value_get_object (a) == g_value_get_object (b);
  if (G_VALUE_HOLDS_INT64 (a))
    return g_value_get_int64 (a) == g_value_get_int64 (b);
  g_assert_not_reached ();
}

/* Every GListModel invariant and the agreement of both models with the
 * shown data: one QuarryPage per page with its data and parameter, and the
 * items model being exactly the items of the pages, in order. Returns the
 * number of items. */
static guint
check_models (QuarryInfiniteQuery *query)
{
  GListModel *pages = quarry_infinite_query_get_pages (query);
  GListModel *items = quarry_infinite_query_get_items (query);
  QuarryInfiniteData *data = quarry_infinite_query_get_data (query);
  const char *member = quarry_infinite_query_get_items_member (query);
  guint n_pages = g_list_model_get_n_items (pages);
  guint n_items = g_list_model_get_n_items (items);
  guint at = 0;

  /* The models are the query's, the same ones every time. */
  g_assert_true (pages == quarry_infinite_query_get_pages (query));
  g_assert_true (items == quarry_infinite_query_get_items (query));
  g_assert_true (g_type_is_a (g_list_model_get_item_type (pages), QUARRY_TYPE_PAGE) ||
                 g_type_is_a (QUARRY_TYPE_PAGE, g_list_model_get_item_type (pages)));

  if (data == NULL)
    g_assert_cmpuint (n_pages, ==, 0);
  else
    g_assert_cmpuint (n_pages, ==, quarry_infinite_data_get_n_pages (data));

  for (guint i = 0; i < n_pages; i++)
    {
      g_autoptr(QuarryPage) page = g_list_model_get_item (pages, i);
      const GValue *value;

      g_assert_true (QUARRY_IS_PAGE (page));
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (page, g_list_model_get_item_type (pages)));
      value = quarry_page_get_data (page);
      g_assert_true (page_values_equal (value, quarry_infinite_data_get_page (data, i)));
      g_assert_true (page_values_equal (quarry_page_get_param (page),
                                        quarry_infinite_data_get_page_param (data, i)));

      if (G_VALUE_HOLDS_OBJECT (value) && G_IS_LIST_MODEL (g_value_get_object (value)))
        {
          GListModel *store = g_value_get_object (value);
          guint n = g_list_model_get_n_items (store);

          for (guint j = 0; j < n; j++)
            {
              g_autoptr(GObject) expected = g_list_model_get_item (store, j);
              g_autoptr(GObject) item = g_list_model_get_item (items, at + j);

              g_assert_nonnull (item);
              g_assert_true (item == expected);
            }
          at += n;
        }
      else if (G_VALUE_HOLDS (value, JSON_TYPE_NODE))
        {
          JsonNode *node = g_value_get_boxed (value);
          JsonArray *array = NULL;

          if (member != NULL && JSON_NODE_HOLDS_OBJECT (node))
            {
              JsonNode *m = json_object_get_member (json_node_get_object (node), member);

              if (m != NULL && JSON_NODE_HOLDS_ARRAY (m))
                array = json_node_get_array (m);
            }
          else if (member == NULL && JSON_NODE_HOLDS_ARRAY (node))
            array = json_node_get_array (node);

          if (array != NULL)
            {
              guint n = json_array_get_length (array);

              for (guint j = 0; j < n; j++)
                {
                  g_autoptr(GObject) item = g_list_model_get_item (items, at + j);

                  g_assert_true (QUARRY_IS_JSON_ITEM (item));
                  g_assert_true (json_node_equal (quarry_json_item_get_node (QUARRY_JSON_ITEM (item)),
                                                  json_array_get_element (array, j)));
                }
              at += n;
            }
        }
    }

  g_assert_cmpuint (n_items, ==, at);
  g_assert_null (g_list_model_get_item (items, n_items));
  g_assert_null (g_list_model_get_item (pages, n_pages));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (items, i);

      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (item, g_list_model_get_item_type (items)));
    }
  return n_items;
}

/* References on every item of @model, to compare identities later. */
static GPtrArray *
snapshot (GListModel *model)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (model, i));
  return items;
}

/* Whether item @i of @model is the object at @j of @before. */
static gboolean
same_object (GListModel *model,
             guint       i,
             GPtrArray  *before,
             guint       j)
{
  g_autoptr(GObject) item = g_list_model_get_item (model, i);

  g_assert_cmpuint (j, <, before->len);
  return item != NULL && item == g_ptr_array_index (before, j);
}

/* A query with its two recorders. */
typedef struct
{
  QuarryInfiniteQuery *query;
  Recorder *items;
  Recorder *pages;
} Watched;

static void
watched_init (Watched             *w,
              QuarryInfiniteQuery *query)
{
  w->query = query;
  w->items = recorder_new (quarry_infinite_query_get_items (query));
  w->pages = recorder_new (quarry_infinite_query_get_pages (query));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (w->items->model)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (w->pages->model)), ==, 0);
}

/* Drops the recorders, then the query; the models go with the query. */
static void
watched_clear (Watched *w)
{
  GListModel *items = quarry_infinite_query_get_items (w->query);
  GListModel *pages = quarry_infinite_query_get_pages (w->query);

  g_object_add_weak_pointer (G_OBJECT (items), (gpointer *) &items);
  g_object_add_weak_pointer (G_OBJECT (pages), (gpointer *) &pages);
  recorder_free (w->items);
  recorder_free (w->pages);
  g_assert_finalize_object (w->query);
  g_assert_null (items);
  g_assert_null (pages);
}

/* The recorder itself catches emissions that do not match the content. */
static void
test_recorder_self_check (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) c = g_object_new (G_TYPE_OBJECT, NULL);
  Recorder *r = recorder_new (G_LIST_MODEL (store));

  /* Honest emissions. */
  g_list_store_append (store, a);
  g_list_store_append (store, b);
  g_list_store_insert (store, 0, c);
  g_list_store_remove (store, 2);
  g_assert_cmpstr (r->log->str, ==, "(0,0,1) (1,0,1) (0,0,1) (2,1,0)");
  g_assert_cmpuint (r->inconsistent, ==, 0);
  g_assert_null (r->first_problem);
  recorder_reset (r);

  /* A wrong position: the items outside the range are not the old ones. */
  g_signal_handler_block (store, r->handler);
  g_list_store_insert (store, 0, b);            /* b c a */
  g_signal_handler_unblock (store, r->handler);
  g_list_model_items_changed (G_LIST_MODEL (store), 2, 0, 1);
  g_assert_cmpuint (r->inconsistent, ==, 1);
  g_assert_nonnull (r->first_problem);

  /* A wrong count. */
  g_list_model_items_changed (G_LIST_MODEL (store), 0, 0, 1);
  g_assert_cmpuint (r->inconsistent, ==, 2);

  /* A range beyond the content. */
  g_list_model_items_changed (G_LIST_MODEL (store), 2, 5, 5);
  g_assert_cmpuint (r->inconsistent, ==, 3);

  recorder_free (r);
}

/* ------------------------------------------------------------------------
 * 1. items-changed emissions.
 * ------------------------------------------------------------------------ */

static void
test_append_prepend (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  Watched w;

  s->first = -2;
  watched_init (&w, make_infinite (f, "[\"feed\"]", s));

  /* First page. */
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (s->calls, ==, 1);
  assert_emissions (w.items, "(0,0,3)");
  assert_emissions (w.pages, "(0,0,1)");
  assert_ids (w.query, "1 2 3");
  assert_params (w.query, "0");
  g_assert_cmpuint (check_models (w.query), ==, 3);

  /* The next page is one insertion at the end. */
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (s->calls, ==, 2);
  g_assert_cmpint (g_array_index (s->params, gint64, 1), ==, 1);
  g_assert_cmpint (g_array_index (s->directions, QuarryFetchDirection, 1), ==, QUARRY_FETCH_DIRECTION_FORWARD);
  assert_emissions (w.items, "(3,0,3)");
  assert_emissions (w.pages, "(1,0,1)");
  assert_ids (w.query, "1 2 3 4 5 6");
  assert_params (w.query, "0 1");
  g_assert_cmpuint (check_models (w.query), ==, 6);

  /* The previous page is one insertion at the start. */
  quarry_infinite_query_fetch_previous_page (w.query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (s->calls, ==, 3);
  g_assert_cmpint (g_array_index (s->params, gint64, 2), ==, -1);
  g_assert_cmpint (g_array_index (s->directions, QuarryFetchDirection, 2), ==, QUARRY_FETCH_DIRECTION_BACKWARD);
  assert_emissions (w.items, "(0,0,3)");
  assert_emissions (w.pages, "(0,0,1)");
  assert_ids (w.query, "-2 -1 0 1 2 3 4 5 6");
  assert_params (w.query, "-1 0 1");
  g_assert_cmpuint (check_models (w.query), ==, 9);

  /* And again backwards, with a page of another size. */
  server_override (s, -2, "[{\"id\":-4},{\"id\":-3}]");
  quarry_infinite_query_fetch_previous_page (w.query);
  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "(0,0,2)");
  assert_emissions (w.pages, "(0,0,1)");
  assert_ids (w.query, "-4 -3 -2 -1 0 1 2 3 4 5 6");
  g_assert_cmpuint (check_models (w.query), ==, 11);

  /* No page before the first one: nothing is fetched, nothing changes. */
  g_assert_false (quarry_infinite_query_get_has_previous_page (w.query));
  quarry_infinite_query_fetch_previous_page (w.query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (s->calls, ==, 4);
  assert_emissions (w.items, "");
  assert_emissions (w.pages, "");

  watched_clear (&w);
}

static void
test_max_pages (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(GPtrArray) before = NULL;
  GListModel *items;
  Watched w;

  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  quarry_infinite_query_set_max_pages (w.query, 2);
  items = quarry_infinite_query_get_items (w.query);

  quarry_clock_flush (f->clock);
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "(0,0,3) (3,0,3)");
  assert_emissions (w.pages, "(0,0,1) (1,0,1)");
  assert_ids (w.query, "1 2 3 4 5 6");

  /* Forward past max-pages: the first page goes (a removal at the start)
   * and the new one comes (an insertion at the end), in either order; each
   * emission is checked against the content when it is emitted. */
  before = snapshot (items);
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  assert_emissions_either (w.items, "(0,3,0) (3,0,3)", "(6,0,3) (0,3,0)");
  assert_emissions_either (w.pages, "(0,1,0) (1,0,1)", "(2,0,1) (0,1,0)");
  assert_ids (w.query, "4 5 6 7 8 9");
  assert_params (w.query, "1 2");
  g_assert_cmpuint (check_models (w.query), ==, 6);
  /* The kept page keeps its items. */
  for (guint i = 0; i < 3; i++)
    g_assert_true (same_object (items, i, before, 3 + i));
  g_clear_pointer (&before, g_ptr_array_unref);

  /* Backward past max-pages: an insertion at the start, a removal at the
   * end. */
  before = snapshot (items);
  quarry_infinite_query_fetch_previous_page (w.query);
  quarry_clock_flush (f->clock);
  assert_emissions_either (w.items, "(0,0,3) (6,3,0)", "(3,3,0) (0,0,3)");
  assert_emissions_either (w.pages, "(0,0,1) (2,1,0)", "(1,1,0) (0,0,1)");
  assert_ids (w.query, "1 2 3 4 5 6");
  assert_params (w.query, "0 1");
  g_assert_cmpuint (check_models (w.query), ==, 6);
  for (guint i = 0; i < 3; i++)
    g_assert_true (same_object (items, 3 + i, before, i));

  watched_clear (&w);
}

/* Loads pages 0, 1 and 2 and forgets the emissions. */
static void
load_three_pages (Fixture *f,
                  Watched *w)
{
  quarry_clock_flush (f->clock);
  quarry_infinite_query_fetch_next_page (w->query);
  quarry_clock_flush (f->clock);
  quarry_infinite_query_fetch_next_page (w->query);
  quarry_clock_flush (f->clock);
  assert_params (w->query, "0 1 2");
  assert_emissions (w->items, "(0,0,3) (3,0,3) (6,0,3)");
  assert_emissions (w->pages, "(0,0,1) (1,0,1) (2,0,1)");
}

static void
test_refetch_one_page_changes (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) pages_before = NULL;
  GListModel *items;
  GListModel *pages;
  Watched w;

  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  items = quarry_infinite_query_get_items (w.query);
  pages = quarry_infinite_query_get_pages (w.query);
  load_three_pages (f, &w);
  before = snapshot (items);
  pages_before = snapshot (pages);

  /* The second page changes on the server; a refetch fetches all three. */
  server_bump (s, 1);
  server_forget_calls (s);
  quarry_query_refetch (QUARRY_QUERY (w.query));
  quarry_clock_flush (f->clock);
  {
    g_autofree char *calls = server_calls (s);
    g_assert_cmpstr (calls, ==, "0 1 2");
  }
  g_assert_false (quarry_query_get_is_fetching (QUARRY_QUERY (w.query)));

  /* Only the second page's items are replaced, in one emission. */
  assert_emissions (w.items, "(3,3,3)");
  assert_emissions (w.pages, "(1,1,1)");
  g_assert_cmpuint (check_models (w.query), ==, 9);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (items, 3 + i);

      g_assert_true (same_object (items, i, before, i));
      g_assert_true (same_object (items, 6 + i, before, 6 + i));
      g_assert_false (same_object (items, 3 + i, before, 3 + i));
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (quarry_json_item_get_node (QUARRY_JSON_ITEM (item))), "rev"), ==, 1);
    }
  g_assert_true (same_object (pages, 0, pages_before, 0));
  g_assert_false (same_object (pages, 1, pages_before, 1));
  g_assert_true (same_object (pages, 2, pages_before, 2));

  watched_clear (&w);
}

static void
test_refetch_unchanged (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) pages_before = NULL;
  GListModel *items;
  GListModel *pages;
  Watched w;

  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  items = quarry_infinite_query_get_items (w.query);
  pages = quarry_infinite_query_get_pages (w.query);
  load_three_pages (f, &w);
  before = snapshot (items);
  pages_before = snapshot (pages);

  /* Equal pages (new JSON nodes, equal content): no emission at all. */
  server_forget_calls (s);
  quarry_clock_advance (f->clock, 1000);
  quarry_query_refetch (QUARRY_QUERY (w.query));
  quarry_clock_flush (f->clock);
  {
    g_autofree char *calls = server_calls (s);
    g_assert_cmpstr (calls, ==, "0 1 2");
  }
  g_assert_false (quarry_query_get_is_fetching (QUARRY_QUERY (w.query)));
  assert_emissions (w.items, "");
  assert_emissions (w.pages, "");
  g_assert_cmpuint (check_models (w.query), ==, 9);
  for (guint i = 0; i < 9; i++)
    g_assert_true (same_object (items, i, before, i));
  for (guint i = 0; i < 3; i++)
    g_assert_true (same_object (pages, i, pages_before, i));

  watched_clear (&w);
}

static void
test_refetch_shrinks (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(GPtrArray) before = NULL;
  GListModel *items;
  Watched w;

  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  items = quarry_infinite_query_get_items (w.query);
  load_three_pages (f, &w);
  before = snapshot (items);

  /* Now there is no page after page 1: the refetch stops there. */
  s->last = 1;
  server_forget_calls (s);
  quarry_query_refetch (QUARRY_QUERY (w.query));
  quarry_clock_flush (f->clock);
  {
    g_autofree char *calls = server_calls (s);
    g_assert_cmpstr (calls, ==, "0 1");
  }
  assert_emissions (w.items, "(6,3,0)");
  assert_emissions (w.pages, "(2,1,0)");
  assert_ids (w.query, "1 2 3 4 5 6");
  assert_params (w.query, "0 1");
  g_assert_cmpuint (check_models (w.query), ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_true (same_object (items, i, before, i));
  g_assert_false (quarry_infinite_query_get_has_next_page (w.query));

  watched_clear (&w);
}

static void
test_set_query_data_removes_middle (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"feed\"]");
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) pages_before = NULL;
  g_autoptr(QuarryInfiniteData) first = NULL;
  g_autoptr(QuarryInfiniteData) edited = NULL;
  g_autoptr(GError) error = NULL;
  QuarryInfiniteData *current;
  GListModel *items;
  GListModel *pages;
  GValue value = G_VALUE_INIT;
  Watched w;

  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  items = quarry_infinite_query_get_items (w.query);
  pages = quarry_infinite_query_get_pages (w.query);
  load_three_pages (f, &w);
  before = snapshot (items);
  pages_before = snapshot (pages);

  /* Pages 0 and 2, without page 1. */
  current = quarry_infinite_query_get_data (w.query);
  g_assert_nonnull (current);
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (current), ==, 3);
  first = quarry_infinite_data_slice (current, 0, 1);
  edited = quarry_infinite_data_append_page (first,
                                             quarry_infinite_data_get_page (current, 2),
                                             quarry_infinite_data_get_page_param (current, 2));
  g_assert_cmpuint (quarry_infinite_data_get_n_pages (edited), ==, 2);

  g_value_init (&value, QUARRY_TYPE_INFINITE_DATA);
  g_value_set_boxed (&value, edited);
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, &error));
  g_assert_no_error (error);
  g_value_unset (&value);
  quarry_clock_flush (f->clock);

  assert_emissions (w.items, "(3,3,0)");
  assert_emissions (w.pages, "(1,1,0)");
  assert_ids (w.query, "1 2 3 7 8 9");
  assert_params (w.query, "0 2");
  g_assert_cmpuint (check_models (w.query), ==, 6);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (same_object (items, i, before, i));
      g_assert_true (same_object (items, 3 + i, before, 6 + i));
    }
  g_assert_true (same_object (pages, 0, pages_before, 0));
  g_assert_true (same_object (pages, 1, pages_before, 2));
  g_assert_cmpuint (s->calls, ==, 3);

  watched_clear (&w);
}

/* A whole refetch commits once: when a later page fails, the models keep
 * the pages shown, even the earlier page that had changed. */
static void
test_refetch_fails_midway (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(GPtrArray) before = NULL;
  GListModel *items;
  Watched w;

  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  items = quarry_infinite_query_get_items (w.query);
  load_three_pages (f, &w);
  before = snapshot (items);

  server_bump (s, 0);
  server_override (s, 1, "!boom");
  server_forget_calls (s);
  quarry_query_refetch (QUARRY_QUERY (w.query));
  quarry_clock_flush (f->clock);
  {
    g_autofree char *calls = server_calls (s);
    g_assert_cmpstr (calls, ==, "0 1");
  }
  g_assert_true (quarry_query_get_is_error (QUARRY_QUERY (w.query)));
  g_assert_false (quarry_query_get_is_fetching (QUARRY_QUERY (w.query)));
  assert_emissions (w.items, "");
  assert_emissions (w.pages, "");
  g_assert_cmpuint (check_models (w.query), ==, 9);
  for (guint i = 0; i < 9; i++)
    g_assert_true (same_object (items, i, before, i));

  /* The next refetch succeeds: only the first page changed. */
  server_override (s, 1, NULL);
  quarry_query_refetch (QUARRY_QUERY (w.query));
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_query_get_is_error (QUARRY_QUERY (w.query)));
  assert_emissions (w.items, "(0,3,3)");
  assert_emissions (w.pages, "(0,1,1)");
  g_assert_cmpuint (check_models (w.query), ==, 9);
  for (guint i = 3; i < 9; i++)
    g_assert_true (same_object (items, i, before, i));

  watched_clear (&w);
}

static void
select_last_page (const GValue  *value,
                  GValue        *selected,
                  gpointer       user_data,
                  GError       **error)
{
  QuarryInfiniteData *data = g_value_get_boxed (value);
  guint n = quarry_infinite_data_get_n_pages (data);

  g_value_init (selected, QUARRY_TYPE_INFINITE_DATA);
  g_value_take_boxed (selected, quarry_infinite_data_slice (data, n - 1, 1));
}

/* The models show the selected data, not the entry's. */
static void
test_select (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  Watched w;

  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  quarry_query_set_select_func (QUARRY_QUERY (w.query), select_last_page, NULL, NULL);
  quarry_clock_flush (f->clock);
  assert_ids (w.query, "1 2 3");
  assert_emissions (w.items, "(0,0,3)");
  assert_emissions (w.pages, "(0,0,1)");

  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  assert_ids (w.query, "4 5 6");
  assert_params (w.query, "1");
  g_assert_cmpuint (check_models (w.query), ==, 3);
  assert_emissions (w.items, "(0,3,3)");
  assert_emissions (w.pages, "(0,1,1)");

  watched_clear (&w);
}

/* Two pages change, apart, one of them growing; an empty page sits between
 * them: two emissions, the second at the offset after the first. */
static void
test_refetch_two_runs (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(GPtrArray) before = NULL;
  GListModel *items;
  Watched w;

  s->last = 3;
  server_override (s, 2, "[]");
  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  items = quarry_infinite_query_get_items (w.query);
  quarry_clock_flush (f->clock);
  for (guint i = 0; i < 3; i++)
    {
      quarry_infinite_query_fetch_next_page (w.query);
      quarry_clock_flush (f->clock);
    }
  assert_params (w.query, "0 1 2 3");
  assert_ids (w.query, "1 2 3 4 5 6 10 11 12");
  assert_emissions (w.items, "(0,0,3) (3,0,3) (6,0,3)");
  assert_emissions (w.pages, "(0,0,1) (1,0,1) (2,0,1) (3,0,1)");
  g_assert_cmpuint (check_models (w.query), ==, 9);
  before = snapshot (items);

  server_override (s, 1, "[{\"id\":40},{\"id\":41},{\"id\":42},{\"id\":43},{\"id\":44}]");
  server_bump (s, 3);
  quarry_query_refetch (QUARRY_QUERY (w.query));
  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "(3,3,5) (8,3,3)");
  assert_emissions (w.pages, "(1,1,1) (3,1,1)");
  assert_ids (w.query, "1 2 3 40 41 42 43 44 10 11 12");
  g_assert_cmpuint (check_models (w.query), ==, 11);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (same_object (items, i, before, i));
      g_assert_false (same_object (items, 8 + i, before, 6 + i));
    }

  /* And back: the first page shrinks; the offsets follow again. */
  server_override (s, 1, NULL);
  quarry_query_refetch (QUARRY_QUERY (w.query));
  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "(3,5,3)");
  assert_emissions (w.pages, "(1,1,1)");
  assert_ids (w.query, "1 2 3 4 5 6 10 11 12");
  g_assert_cmpuint (check_models (w.query), ==, 9);

  watched_clear (&w);
}

/* Data written with set_query_data in another shape is refused, and the
 * models stay; TanStack's JSON shape is taken. */
static void
test_set_query_data_shapes (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"feed\"]");
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *items;
  GValue value = G_VALUE_INIT;
  Watched w;

  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  items = quarry_infinite_query_get_items (w.query);
  load_three_pages (f, &w);
  before = snapshot (items);

  {
    g_autoptr(JsonNode) node = json_from_string ("[1,2,3]", NULL);

    g_value_init (&value, JSON_TYPE_NODE);
    g_value_set_boxed (&value, node);
    g_assert_false (quarry_query_client_set_query_data (f->client, key, &value, &error));
    g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE);
    g_clear_error (&error);
    g_value_unset (&value);
  }
  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "");
  assert_emissions (w.pages, "");
  g_assert_cmpuint (check_models (w.query), ==, 9);
  for (guint i = 0; i < 9; i++)
    g_assert_true (same_object (items, i, before, i));

  {
    g_autoptr(JsonNode) node = json_from_string ("{\"pages\":[[{\"id\":70}],[{\"id\":80},{\"id\":81}]],"
                                                 "\"pageParams\":[0,1]}", NULL);

    g_value_init (&value, JSON_TYPE_NODE);
    g_value_set_boxed (&value, node);
    g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, &error));
    g_assert_no_error (error);
    g_value_unset (&value);
  }
  quarry_clock_flush (f->clock);
  assert_ids (w.query, "70 80 81");
  assert_params (w.query, "0 1");
  g_assert_cmpuint (check_models (w.query), ==, 3);
  g_assert_cmpstr (w.items->first_problem, ==, NULL);
  g_assert_cmpstr (w.pages->first_problem, ==, NULL);

  watched_clear (&w);
}

/* ------------------------------------------------------------------------
 * 2. Items of JSON pages.
 * ------------------------------------------------------------------------ */

static void
test_json_array_items (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(GObject) item = NULL;
  GListModel *items;
  Watched w;

  server_override (s, 1, "[{\"id\":10,\"name\":\"ten\"},11,\"twelve\",null,[13]]");
  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  items = quarry_infinite_query_get_items (w.query);
  g_assert_null (quarry_infinite_query_get_items_member (w.query));

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (check_models (w.query), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 3);
  item = g_list_model_get_item (items, 1);
  g_assert_true (QUARRY_IS_JSON_ITEM (item));
  expected = json_from_string ("{\"id\":2,\"rev\":0}", NULL);
  g_assert_true (json_node_equal (quarry_json_item_get_node (QUARRY_JSON_ITEM (item)), expected));
  g_clear_object (&item);
  g_clear_pointer (&expected, json_node_unref);

  /* Any JSON element is an item, whatever its type. */
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "(0,0,3) (3,0,5)");
  g_assert_cmpuint (check_models (w.query), ==, 8);
  {
    const char *texts[] = { "{\"id\":10,\"name\":\"ten\"}", "11", "\"twelve\"", "null", "[13]" };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        g_autoptr(GObject) it = g_list_model_get_item (items, 3 + i);
        g_autofree char *text = NULL;

        g_assert_true (QUARRY_IS_JSON_ITEM (it));
        text = json_to_string (quarry_json_item_get_node (QUARRY_JSON_ITEM (it)), FALSE);
        g_assert_cmpstr (text, ==, texts[i]);
      }
  }

  /* An empty array page adds a page and no items: no items-changed. */
  server_override (s, 2, "[]");
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "");
  assert_emissions (w.pages, "(0,0,1) (1,0,1) (2,0,1)");
  g_assert_cmpuint (check_models (w.query), ==, 8);

  watched_clear (&w);
}

static void
test_items_member (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(GObject) item = NULL;
  g_autoptr(QuarryPage) page = NULL;
  GListModel *items;
  JsonNode *node;
  Watched w;

  s->wrap = TRUE;
  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  quarry_infinite_query_set_items_member (w.query, "items");
  g_assert_cmpstr (quarry_infinite_query_get_items_member (w.query), ==, "items");
  items = quarry_infinite_query_get_items (w.query);

  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "(0,0,3)");
  assert_emissions (w.pages, "(0,0,1)");
  assert_ids (w.query, "1 2 3");
  g_assert_cmpuint (check_models (w.query), ==, 3);

  /* The page is the whole object; the items are its "items" elements. */
  page = g_list_model_get_item (quarry_infinite_query_get_pages (w.query), 0);
  node = g_value_get_boxed (quarry_page_get_data (page));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "page"), ==, 0);
  item = g_list_model_get_item (items, 2);
  g_assert_true (QUARRY_IS_JSON_ITEM (item));
  node = quarry_json_item_get_node (QUARRY_JSON_ITEM (item));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "id"), ==, 3);
  g_assert_false (json_object_has_member (json_node_get_object (node), "page"));

  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "(3,0,3)");
  assert_emissions (w.pages, "(1,0,1)");
  assert_ids (w.query, "1 2 3 4 5 6");
  g_assert_cmpuint (check_models (w.query), ==, 6);

  /* A page whose array is empty is fine and adds no items. */
  server_override (s, 2, "{\"items\":[],\"page\":2}");
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_query_get_is_error (QUARRY_QUERY (w.query)));
  assert_emissions (w.items, "");
  assert_emissions (w.pages, "(2,0,1)");
  g_assert_cmpuint (check_models (w.query), ==, 6);

  watched_clear (&w);
}

/* Without items-member, JSON pages that are not arrays add no items. */
static void
test_non_list_pages (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  Watched w;

  s->wrap = TRUE;
  server_override (s, 1, "[{\"id\":4}]");
  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_query_get_is_error (QUARRY_QUERY (w.query)));
  assert_emissions (w.pages, "(0,0,1)");
  assert_emissions (w.items, "");
  g_assert_cmpuint (check_models (w.query), ==, 0);

  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  assert_emissions (w.pages, "(1,0,1)");
  assert_emissions (w.items, "(0,0,1)");
  assert_ids (w.query, "4");
  g_assert_cmpuint (check_models (w.query), ==, 1);

  watched_clear (&w);
}

/* Changing items-member reads every shown page again. */
static void
test_items_member_change (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  Watched w;

  s->wrap = TRUE;
  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  quarry_clock_flush (f->clock);
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  assert_emissions (w.pages, "(0,0,1) (1,0,1)");
  assert_emissions (w.items, "");
  g_assert_cmpuint (check_models (w.query), ==, 0);

  quarry_infinite_query_set_items_member (w.query, "items");
  assert_emissions (w.items, "(0,0,6)");
  assert_emissions (w.pages, "");
  assert_ids (w.query, "1 2 3 4 5 6");
  g_assert_cmpuint (check_models (w.query), ==, 6);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (check_models (w.query), ==, 6);
  recorder_reset (w.items);
  recorder_reset (w.pages);

  quarry_infinite_query_set_items_member (w.query, NULL);
  assert_emissions (w.items, "(0,6,0)");
  assert_emissions (w.pages, "");
  g_assert_cmpuint (check_models (w.query), ==, 0);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (check_models (w.query), ==, 0);

  watched_clear (&w);
}

/* Placeholder data shows in the models until the first page arrives. */
static void
test_placeholder_data (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(QuarryInfiniteData) empty = quarry_infinite_data_new ();
  g_autoptr(QuarryInfiniteData) placeholder = NULL;
  g_autoptr(JsonNode) page = json_from_string ("[{\"id\":-1},{\"id\":-2}]", NULL);
  GValue page_value = G_VALUE_INIT;
  GValue param = G_VALUE_INIT;
  GValue value = G_VALUE_INIT;
  Watched w;

  g_value_init (&page_value, JSON_TYPE_NODE);
  g_value_set_boxed (&page_value, page);
  g_value_init (&param, G_TYPE_INT64);
  g_value_set_int64 (&param, 0);
  placeholder = quarry_infinite_data_append_page (empty, &page_value, &param);
  g_value_unset (&page_value);
  g_value_unset (&param);

  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  g_value_init (&value, QUARRY_TYPE_INFINITE_DATA);
  g_value_set_boxed (&value, placeholder);
  quarry_query_set_placeholder_data (QUARRY_QUERY (w.query), &value);
  g_value_unset (&value);
  s->hold = TRUE;
  quarry_clock_flush (f->clock);

  g_assert_true (quarry_query_get_is_placeholder_data (QUARRY_QUERY (w.query)));
  g_assert_cmpint (quarry_query_get_status (QUARRY_QUERY (w.query)), ==, QUARRY_STATUS_SUCCESS);
  assert_ids (w.query, "-1 -2");
  assert_params (w.query, "0");
  g_assert_cmpuint (check_models (w.query), ==, 2);
  assert_emissions (w.items, "(0,0,2)");
  assert_emissions (w.pages, "(0,0,1)");

  server_release (s);
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_query_get_is_placeholder_data (QUARRY_QUERY (w.query)));
  assert_ids (w.query, "1 2 3");
  g_assert_cmpuint (check_models (w.query), ==, 3);
  assert_emissions (w.items, "(0,2,3)");
  assert_emissions (w.pages, "(0,1,1)");

  watched_clear (&w);
}

/* ------------------------------------------------------------------------
 * 3. Pages holding a GListModel.
 * ------------------------------------------------------------------------ */

static GListStore *
store_new (gint first_id,
           guint n)
{
  GListStore *store = g_list_store_new (G_TYPE_OBJECT);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);

      g_object_set_data (object, "id", GINT_TO_POINTER (first_id + (gint) i));
      g_list_store_append (store, object);
    }
  return store;
}

static void
test_list_model_pages (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(GPtrArray) before = NULL;
  GListModel *items;
  GListModel *stores[3];
  Watched w;

  for (guint p = 0; p < 3; p++)
    {
      s->stores[server_slot (p)] = G_LIST_MODEL (store_new (100 * (p + 1), 3 - p));
      stores[p] = s->stores[server_slot (p)];
    }
  s->last = 2;
  watched_init (&w, make_infinite (f, "[\"objects\"]", s));
  items = quarry_infinite_query_get_items (w.query);

  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "(0,0,3)");
  assert_emissions (w.pages, "(0,0,1)");
  assert_ids (w.query, "100 101 102");
  g_assert_cmpuint (check_models (w.query), ==, 3);

  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "(3,0,2) (5,0,1)");
  assert_emissions (w.pages, "(1,0,1) (2,0,1)");
  assert_ids (w.query, "100 101 102 200 201 300");
  g_assert_cmpuint (check_models (w.query), ==, 6);

  /* The items are the stores' own objects. */
  {
    guint at = 0;

    for (guint p = 0; p < 3; p++)
      for (guint j = 0; j < g_list_model_get_n_items (stores[p]); j++, at++)
        {
          g_autoptr(GObject) expected = g_list_model_get_item (stores[p], j);
          g_autoptr(GObject) item = g_list_model_get_item (items, at);

          g_assert_true (item == expected);
        }
    g_assert_cmpuint (at, ==, 6);
  }

  /* A refetch returning the same stores changes nothing. */
  before = snapshot (items);
  quarry_query_refetch (QUARRY_QUERY (w.query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (s->calls, ==, 6);
  assert_emissions (w.items, "");
  assert_emissions (w.pages, "");

  /* A refetch returning another store for the middle page replaces its
   * items only. */
  g_clear_object (&s->stores[server_slot (1)]);
  s->stores[server_slot (1)] = G_LIST_MODEL (store_new (250, 4));
  quarry_query_refetch (QUARRY_QUERY (w.query));
  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "(3,2,4)");
  assert_emissions (w.pages, "(1,1,1)");
  assert_ids (w.query, "100 101 102 250 251 252 253 300");
  g_assert_cmpuint (check_models (w.query), ==, 8);
  for (guint i = 0; i < 3; i++)
    g_assert_true (same_object (items, i, before, i));
  g_assert_true (same_object (items, 7, before, 5));

  /* A page is a snapshot: a store changed after its page arrived changes
   * neither the items nor their count, and nothing is emitted. */
  {
    g_autoptr(GObject) extra = g_object_new (G_TYPE_OBJECT, NULL);

    g_list_store_remove (G_LIST_STORE (s->stores[server_slot (1)]), 0);
    g_list_store_append (G_LIST_STORE (stores[0]), extra);
    assert_emissions (w.items, "");
    assert_ids (w.query, "100 101 102 250 251 252 253 300");
    g_assert_cmpuint (g_list_model_get_n_items (items), ==, 8);
  }

  watched_clear (&w);
}

/* A handler of the first of two items-changed emissions (max-pages trimming
 * is a removal and an insertion) writes other pages: the second run is not
 * applied to the rewritten list; the models end up showing the written
 * pages, consistent at every emission. */
typedef struct
{
  QuarryQueryClient *client;
  gboolean done;
} Rewrite;

static void
rewrite_on_first_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  Rewrite *rewrite = user_data;
  g_autoptr(QuarryKey) key = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  if (rewrite->done)
    return;
  rewrite->done = TRUE;

  key = quarry_key_new_from_string ("[\"feed\"]", NULL);
  node = json_from_string ("{\"pages\":[[{\"id\":100}]],\"pageParams\":[9]}", NULL);
  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, node);
  g_assert_true (quarry_query_client_set_query_data (rewrite->client, key, &value, &error));
  g_assert_no_error (error);
}

static void
test_reentrant_update (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  Rewrite rewrite = { f->client, FALSE };
  Watched w;

  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  quarry_infinite_query_set_max_pages (w.query, 2);
  quarry_clock_flush (f->clock);
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  assert_ids (w.query, "1 2 3 4 5 6");

  g_signal_connect (quarry_infinite_query_get_items (w.query), "items-changed",
                    G_CALLBACK (rewrite_on_first_cb), &rewrite);
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  g_assert_true (rewrite.done);
  assert_ids (w.query, "100");
  g_assert_cmpuint (check_models (w.query), ==, 1);
  g_signal_handlers_disconnect_by_func (quarry_infinite_query_get_items (w.query),
                                        rewrite_on_first_cb, &rewrite);

  watched_clear (&w);
}

/* ------------------------------------------------------------------------
 * 4. items-member set, a page without the array.
 * ------------------------------------------------------------------------ */

static void
test_missing_items_member (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  QuarryInfiniteData *returned;
  GListModel *items;
  const GError *shown;
  Watched w;

  s->wrap = TRUE;
  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  quarry_infinite_query_set_items_member (w.query, "items");
  items = quarry_infinite_query_get_items (w.query);
  quarry_clock_flush (f->clock);
  assert_emissions (w.items, "(0,0,3)");
  assert_emissions (w.pages, "(0,0,1)");
  before = snapshot (items);

  /* The next page is an object without "items": its fetch fails. */
  server_override (s, 1, "{\"entries\":[{\"id\":4}],\"page\":1}");
  quarry_infinite_query_fetch_next_page_async (w.query, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_nonnull (result);
  g_assert_cmpuint (s->calls, ==, 2);
  returned = quarry_infinite_query_fetch_next_page_finish (w.query, result, &error);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE);
  g_assert_null (returned);
  g_clear_error (&error);
  g_clear_object (&result);

  g_assert_true (quarry_query_get_is_error (QUARRY_QUERY (w.query)));
  shown = quarry_query_get_error (QUARRY_QUERY (w.query));
  g_assert_error ((GError *) shown, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE);
  g_assert_true (quarry_infinite_query_get_is_fetch_next_page_error (w.query));
  g_assert_false (quarry_query_get_is_fetching (QUARRY_QUERY (w.query)));

  /* The loaded page and its items stay, untouched. */
  assert_emissions (w.items, "");
  assert_emissions (w.pages, "");
  assert_params (w.query, "0");
  g_assert_cmpuint (check_models (w.query), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (same_object (items, i, before, i));

  /* A "items" member that is not an array fails too: here on a whole
   * refetch, whose first page is now broken. */
  server_override (s, 0, "{\"items\":{\"id\":1},\"page\":0}");
  quarry_query_refetch_async (QUARRY_QUERY (w.query), NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_nonnull (result);
  {
    GValue *value = quarry_query_refetch_finish (QUARRY_QUERY (w.query), result, &error);

    g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE);
    g_assert_null (value);
  }
  g_clear_error (&error);
  g_clear_object (&result);
  assert_emissions (w.items, "");
  assert_emissions (w.pages, "");
  g_assert_cmpuint (check_models (w.query), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (same_object (items, i, before, i));

  /* Once the server is fixed, the next page loads. */
  server_override (s, 0, NULL);
  server_override (s, 1, NULL);
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_query_get_is_error (QUARRY_QUERY (w.query)));
  assert_emissions (w.items, "(3,0,3)");
  assert_ids (w.query, "1 2 3 4 5 6");
  g_assert_cmpuint (check_models (w.query), ==, 6);

  watched_clear (&w);
}

/* ------------------------------------------------------------------------
 * 5. QuarryPage objects.
 * ------------------------------------------------------------------------ */

static void
test_page_objects (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(QuarryPage) p0 = NULL;
  g_autoptr(QuarryPage) p1 = NULL;
  g_autoptr(QuarryPage) again0 = NULL;
  g_autoptr(QuarryPage) again1 = NULL;
  g_autoptr(JsonNode) expected0 = NULL;
  g_autoptr(JsonNode) expected1 = NULL;
  GListModel *pages;
  const GValue *value;
  Watched w;

  watched_init (&w, make_infinite (f, "[\"feed\"]", s));
  pages = quarry_infinite_query_get_pages (w.query);
  quarry_clock_flush (f->clock);
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 2);
  g_assert_true (g_list_model_get_item_type (pages) == QUARRY_TYPE_PAGE);

  p0 = g_list_model_get_item (pages, 0);
  p1 = g_list_model_get_item (pages, 1);
  g_assert_true (QUARRY_IS_PAGE (p0));
  g_assert_true (QUARRY_IS_PAGE (p1));

  expected0 = json_from_string ("[{\"id\":1,\"rev\":0},{\"id\":2,\"rev\":0},{\"id\":3,\"rev\":0}]", NULL);
  value = quarry_page_get_data (p0);
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS (value, JSON_TYPE_NODE));
  g_assert_true (json_node_equal (g_value_get_boxed (value), expected0));
  g_assert_nonnull (quarry_page_get_param (p0));
  g_assert_cmpint (value_get_int (quarry_page_get_param (p0)), ==, 0);

  expected1 = json_from_string ("[{\"id\":4,\"rev\":0},{\"id\":5,\"rev\":0},{\"id\":6,\"rev\":0}]", NULL);
  value = quarry_page_get_data (p1);
  g_assert_true (json_node_equal (g_value_get_boxed (value), expected1));
  g_assert_cmpint (value_get_int (quarry_page_get_param (p1)), ==, 1);

  /* A refetch changing page 1 only: page 0 keeps its object, page 1 gets a
   * new one with the new data; the old object still has the old data. */
  server_bump (s, 1);
  quarry_query_refetch (QUARRY_QUERY (w.query));
  quarry_clock_flush (f->clock);
  again0 = g_list_model_get_item (pages, 0);
  again1 = g_list_model_get_item (pages, 1);
  g_assert_true (again0 == p0);
  g_assert_true (again1 != p1);
  g_assert_true (json_node_equal (g_value_get_boxed (quarry_page_get_data (p1)), expected1));
  g_assert_false (json_node_equal (g_value_get_boxed (quarry_page_get_data (again1)), expected1));
  g_assert_cmpint (value_get_int (quarry_page_get_param (again1)), ==, 1);
  g_assert_cmpuint (check_models (w.query), ==, 6);

  /* A page equal to one shown before, at another place, keeps its object
   * too: after a previous page is prepended, page 0 is still p0. */
  s->first = -1;
  quarry_infinite_query_fetch_previous_page (w.query);
  quarry_clock_flush (f->clock);
  g_clear_object (&again0);
  again0 = g_list_model_get_item (pages, 1);
  g_assert_true (again0 == p0);

  watched_clear (&w);
}

/* ------------------------------------------------------------------------
 * 6. The models follow the shown data across key changes.
 * ------------------------------------------------------------------------ */

static void
test_key_change (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(QuarryKey) a = key_new ("[\"feed\",\"a\"]");
  g_autoptr(QuarryKey) b = key_new ("[\"feed\",\"b\"]");
  QuarryQuery *query;
  Watched w;

  watched_init (&w, make_infinite (f, "[\"feed\",\"a\"]", s));
  query = QUARRY_QUERY (w.query);
  quarry_query_set_stale_time (query, 60000);
  quarry_clock_flush (f->clock);
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  recorder_reset (w.items);
  recorder_reset (w.pages);
  assert_ids (w.query, "1 2 3 4 5 6");

  /* A key without data: pending, nothing shown, both models empty. */
  s->id_offset = 100;
  s->hold = TRUE;
  quarry_query_set_key (query, b);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);
  g_assert_false (quarry_query_get_is_placeholder_data (query));
  g_assert_null (quarry_infinite_query_get_data (w.query));
  assert_emissions (w.items, "(0,6,0)");
  assert_emissions (w.pages, "(0,2,0)");
  g_assert_cmpuint (check_models (w.query), ==, 0);
  quarry_clock_flush (f->clock);
  g_assert_true (quarry_query_get_is_loading (query));
  assert_emissions (w.items, "");
  assert_emissions (w.pages, "");
  g_assert_cmpuint (check_models (w.query), ==, 0);

  /* Key b's first page loads. */
  server_release (s);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  assert_emissions (w.items, "(0,0,3)");
  assert_emissions (w.pages, "(0,0,1)");
  assert_ids (w.query, "101 102 103");
  g_assert_cmpuint (check_models (w.query), ==, 3);

  /* Back to a (cached, fresh): its two pages at once, replacing b's page
   * in one run. */
  quarry_query_set_key (query, a);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  assert_ids (w.query, "1 2 3 4 5 6");
  assert_params (w.query, "0 1");
  g_assert_cmpuint (check_models (w.query), ==, 6);
  assert_emissions (w.items, "(0,3,6)");
  assert_emissions (w.pages, "(0,1,2)");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (s->calls, ==, 3);
  assert_emissions (w.items, "");
  assert_ids (w.query, "1 2 3 4 5 6");

  watched_clear (&w);
}

static void
test_key_change_keep_previous (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  g_autoptr(QuarryKey) b = key_new ("[\"feed\",\"b\"]");
  g_autoptr(GPtrArray) before = NULL;
  QuarryQuery *query;
  GListModel *items;
  Watched w;

  watched_init (&w, make_infinite (f, "[\"feed\",\"a\"]", s));
  query = QUARRY_QUERY (w.query);
  items = quarry_infinite_query_get_items (w.query);
  quarry_query_set_keep_previous_data (query, TRUE);
  quarry_clock_flush (f->clock);
  quarry_infinite_query_fetch_next_page (w.query);
  quarry_clock_flush (f->clock);
  recorder_reset (w.items);
  recorder_reset (w.pages);
  before = snapshot (items);

  /* The previous key's pages stay on show as placeholder. */
  s->id_offset = 100;
  s->hold = TRUE;
  quarry_query_set_key (query, b);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_true (quarry_query_get_is_placeholder_data (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (s->held->len, ==, 1);
  g_assert_true (quarry_query_get_is_fetching (query));
  g_assert_true (quarry_query_get_is_placeholder_data (query));
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  assert_emissions (w.items, "");
  assert_emissions (w.pages, "");
  assert_ids (w.query, "1 2 3 4 5 6");
  assert_params (w.query, "0 1");
  g_assert_cmpuint (check_models (w.query), ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_true (same_object (items, i, before, i));

  /* Key b's first page (a first load fetches one page) replaces the
   * placeholder. */
  server_release (s);
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_query_get_is_fetching (query));
  g_assert_false (quarry_query_get_is_placeholder_data (query));
  assert_ids (w.query, "101 102 103");
  assert_params (w.query, "0");
  g_assert_cmpuint (check_models (w.query), ==, 3);
  assert_emissions (w.items, "(0,6,3)");
  assert_emissions (w.pages, "(0,2,1)");

  watched_clear (&w);
}

/* A model may outlive its query (a list view keeping it): it stays a valid
 * list model, and any emission is consistent. */
static void
test_models_outlive_query (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Server) s = server_new ();
  QuarryInfiniteQuery *query = make_infinite (f, "[\"feed\"]", s);
  g_autoptr(GListModel) items = g_object_ref (quarry_infinite_query_get_items (query));
  g_autoptr(GListModel) pages = g_object_ref (quarry_infinite_query_get_pages (query));
  g_autoptr(Recorder) ri = recorder_new (items);
  g_autoptr(Recorder) rp = recorder_new (pages);
  guint n;

  quarry_clock_flush (f->clock);
  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  assert_emissions (ri, "(0,0,3) (3,0,3)");
  assert_emissions (rp, "(0,0,1) (1,0,1)");

  g_assert_finalize_object (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpstr (ri->first_problem, ==, NULL);
  g_assert_cmpstr (rp->first_problem, ==, NULL);

  n = g_list_model_get_n_items (items);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (items, i);

      g_assert_true (QUARRY_IS_JSON_ITEM (item));
    }
  g_assert_null (g_list_model_get_item (items, n));
  n = g_list_model_get_n_items (pages);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) page = g_list_model_get_item (pages, i);

      g_assert_true (QUARRY_IS_PAGE (page));
    }
  g_assert_null (g_list_model_get_item (pages, n));
}

/* ------------------------------------------------------------------------
 * 7. QuarryJsonItem.
 * ------------------------------------------------------------------------ */

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_json_item (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"id\":1,\"name\":\"one\",\"tags\":[\"a\"]}", NULL);
  g_autoptr(JsonNode) other = json_from_string ("{\"id\":2}", NULL);
  g_autoptr(JsonNode) scalar = json_from_string ("7", NULL);
  g_autoptr(QuarryJsonItem) item = NULL;
  JsonNode *member;
  JsonNode *from_property = NULL;
  guint notified = 0;

  item = quarry_json_item_new (node);
  g_assert_true (QUARRY_IS_JSON_ITEM (item));
  g_assert_nonnull (quarry_json_item_get_node (item));
  g_assert_true (json_node_equal (quarry_json_item_get_node (item), node));

  member = quarry_json_item_get_member (item, "name");
  g_assert_nonnull (member);
  g_assert_cmpstr (json_node_get_string (member), ==, "one");
  member = quarry_json_item_get_member (item, "id");
  g_assert_nonnull (member);
  g_assert_cmpint (json_node_get_int (member), ==, 1);
  member = quarry_json_item_get_member (item, "tags");
  g_assert_nonnull (member);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (member));
  g_assert_null (quarry_json_item_get_member (item, "missing"));

  /* The node property. */
  g_object_get (item, "node", &from_property, NULL);
  g_assert_nonnull (from_property);
  g_assert_true (json_node_equal (from_property, node));
  json_node_unref (from_property);

  /* The item's value is sealed: nobody changes it behind its back. */
  g_assert_true (json_node_is_immutable (quarry_json_item_get_node (item)));

  g_signal_connect (item, "notify::node", G_CALLBACK (count_cb), &notified);

  /* An equal value changes and notifies nothing. */
  {
    g_autoptr(JsonNode) equal = json_from_string ("{\"id\":1,\"name\":\"one\",\"tags\":[\"a\"]}", NULL);

    quarry_json_item_set_node (item, equal);
    g_assert_cmpuint (notified, ==, 0);
  }

  quarry_json_item_set_node (item, other);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (json_node_equal (quarry_json_item_get_node (item), other));
  g_assert_cmpint (json_node_get_int (quarry_json_item_get_member (item, "id")), ==, 2);
  g_assert_null (quarry_json_item_get_member (item, "name"));

  /* A non-object node has no members. */
  quarry_json_item_set_node (item, scalar);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpint (json_node_get_int (quarry_json_item_get_node (item)), ==, 7);
  g_assert_null (quarry_json_item_get_member (item, "id"));

  /* Set through the property as well. */
  g_object_set (item, "node", node, NULL);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_true (json_node_equal (quarry_json_item_get_node (item), node));

  g_assert_finalize_object (g_steal_pointer (&item));
}

/* ------------------------------------------------------------------------
 * 8. Paginated page-number queries.
 * ------------------------------------------------------------------------ */

typedef struct
{
  GArray *statuses;   /* QuarryStatus at each notify::status */
  guint placeholder_notifies;
} StatusWatch;

static void
status_cb (QuarryQuery *query,
           GParamSpec  *pspec,
           StatusWatch *watch)
{
  QuarryStatus status = quarry_query_get_status (query);

  g_array_append_val (watch->statuses, status);
}

static void
placeholder_cb (QuarryQuery *query,
                GParamSpec  *pspec,
                StatusWatch *watch)
{
  watch->placeholder_notifies++;
}

/* The "projects" ids of the JSON object shown, as "1 2", and hasMore. */
static char *
shown_projects (QuarryQuery *query,
                gboolean    *has_more)
{
  const GValue *value = quarry_query_get_value (query);
  GString *str = g_string_new (NULL);
  JsonObject *object;
  JsonArray *projects;

  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS (value, JSON_TYPE_NODE));
  object = json_node_get_object (g_value_get_boxed (value));
  g_assert_nonnull (object);
  projects = json_object_get_array_member (object, "projects");
  for (guint i = 0; i < json_array_get_length (projects); i++)
    g_string_append_printf (str, "%s%" G_GINT64_FORMAT, i ? " " : "",
                            json_object_get_int_member (json_array_get_object_element (projects, i), "id"));
  *has_more = json_object_get_boolean_member (object, "hasMore");
  return g_string_free (str, FALSE);
}

#define assert_projects(query, expected, expected_more) \
  G_STMT_START { \
    gboolean more_ = !(expected_more); \
    g_autofree char *ids_ = shown_projects ((query), &more_); \
    g_assert_cmpstr (ids_, ==, (expected)); \
    g_assert_cmpint (more_, ==, (expected_more)); \
  } G_STMT_END

static void
test_paginated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) page0 = key_new ("[\"projects\",0]");
  g_autoptr(QuarryKey) page1 = key_new ("[\"projects\",1]");
  g_autoptr(QuarryKey) page2 = key_new ("[\"projects\",2]");
  g_autoptr(GAsyncResult) result = NULL;
  StatusWatch watch = { g_array_new (FALSE, FALSE, sizeof (QuarryStatus)), 0 };
  QuarryQuery *query = make_query (f, "[\"projects\",0]", fetcher);

  quarry_query_set_keep_previous_data (query, TRUE);
  quarry_query_set_stale_time (query, 60000);
  g_assert_true (quarry_query_get_keep_previous_data (query));

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  fetcher_resolve_json (fetcher, 0, "{\"projects\":[{\"id\":1},{\"id\":2}],\"hasMore\":true}");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_false (quarry_query_get_is_placeholder_data (query));
  assert_projects (query, "1 2", TRUE);

  /* Prefetch page 1. */
  quarry_query_client_prefetch_query_async (f->client, page1, fetcher_func, fetcher, NULL,
                                            NULL, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_true (quarry_key_equal (g_ptr_array_index (fetcher->keys, 1), page1));
  fetcher_resolve_json (fetcher, 1, "{\"projects\":[{\"id\":3},{\"id\":4}],\"hasMore\":true}");
  quarry_clock_flush (f->clock);
  g_assert_nonnull (result);
  quarry_query_client_prefetch_query_finish (f->client, result);
  g_clear_object (&result);
  g_assert_nonnull (quarry_query_client_get_query_data (f->client, page1));
  /* The query still shows page 0. */
  assert_projects (query, "1 2", TRUE);

  g_signal_connect (query, "notify::status", G_CALLBACK (status_cb), &watch);
  g_signal_connect (query, "notify::is-placeholder-data", G_CALLBACK (placeholder_cb), &watch);

  /* Page 1 was prefetched: shown at once, real data, no loading. */
  quarry_query_set_key (query, page1);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_false (quarry_query_get_is_placeholder_data (query));
  g_assert_false (quarry_query_get_is_loading (query));
  g_assert_false (quarry_query_get_is_pending (query));
  assert_projects (query, "3 4", TRUE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);   /* fresh: not fetched again */
  g_assert_false (quarry_query_get_is_fetching (query));
  g_assert_false (quarry_query_get_is_placeholder_data (query));
  assert_projects (query, "3 4", TRUE);
  g_assert_cmpuint (watch.placeholder_notifies, ==, 0);

  /* Page 2 was not: page 1 stays on show as placeholder while it loads. */
  quarry_query_set_key (query, page2);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_true (quarry_query_get_is_placeholder_data (query));
  assert_projects (query, "3 4", TRUE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_true (quarry_key_equal (g_ptr_array_index (fetcher->keys, 2), page2));
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_true (quarry_query_get_is_placeholder_data (query));
  g_assert_true (quarry_query_get_is_fetching (query));
  g_assert_false (quarry_query_get_is_pending (query));
  g_assert_false (quarry_query_get_is_loading (query));
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_FETCHING);
  assert_projects (query, "3 4", TRUE);
  /* Placeholder data is never written into the cache. */
  g_assert_null (quarry_query_client_get_query_data (f->client, page2));

  fetcher_resolve_json (fetcher, 2, "{\"projects\":[{\"id\":5}],\"hasMore\":false}");
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_query_get_is_placeholder_data (query));
  g_assert_false (quarry_query_get_is_fetching (query));
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  assert_projects (query, "5", FALSE);
  g_assert_cmpuint (watch.placeholder_notifies, ==, 2);

  /* Back to page 0, cached: shown at once. */
  quarry_query_set_key (query, page0);
  g_assert_false (quarry_query_get_is_placeholder_data (query));
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  assert_projects (query, "1 2", TRUE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_projects (query, "1 2", TRUE);

  /* The status never went back to pending. */
  for (guint i = 0; i < watch.statuses->len; i++)
    g_assert_cmpint (g_array_index (watch.statuses, QuarryStatus, i), ==, QUARRY_STATUS_SUCCESS);

  g_signal_handlers_disconnect_by_data (query, &watch);
  g_assert_finalize_object (query);
  g_array_unref (watch.statuses);
}

/* The same with stale data: switching to a prefetched page shows it at once
 * and only revalidates it in the background (a refetch, not a load). */
static void
test_paginated_stale (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) page1 = key_new ("[\"projects\",1]");
  g_autoptr(GAsyncResult) result = NULL;
  StatusWatch watch = { g_array_new (FALSE, FALSE, sizeof (QuarryStatus)), 0 };
  QuarryQuery *query = make_query (f, "[\"projects\",0]", fetcher);

  quarry_query_set_keep_previous_data (query, TRUE);
  quarry_clock_flush (f->clock);
  fetcher_resolve_json (fetcher, 0, "{\"projects\":[{\"id\":1}],\"hasMore\":true}");
  quarry_clock_flush (f->clock);

  quarry_query_client_prefetch_query_async (f->client, page1, fetcher_func, fetcher, NULL,
                                            NULL, NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  fetcher_resolve_json (fetcher, 1, "{\"projects\":[{\"id\":2}],\"hasMore\":true}");
  quarry_clock_flush (f->clock);
  g_assert_nonnull (result);
  quarry_query_client_prefetch_query_finish (f->client, result);
  g_clear_object (&result);

  g_signal_connect (query, "notify::status", G_CALLBACK (status_cb), &watch);
  g_signal_connect (query, "notify::is-placeholder-data", G_CALLBACK (placeholder_cb), &watch);

  quarry_clock_advance (f->clock, 5000);
  quarry_query_set_key (query, page1);
  g_assert_false (quarry_query_get_is_placeholder_data (query));
  assert_projects (query, "2", TRUE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  g_assert_true (quarry_query_get_is_fetching (query));
  g_assert_true (quarry_query_get_is_refetching (query));
  g_assert_false (quarry_query_get_is_loading (query));
  g_assert_false (quarry_query_get_is_placeholder_data (query));
  fetcher_resolve_json (fetcher, 2, "{\"projects\":[{\"id\":2},{\"id\":3}],\"hasMore\":false}");
  quarry_clock_flush (f->clock);
  assert_projects (query, "2 3", FALSE);
  g_assert_cmpuint (watch.placeholder_notifies, ==, 0);
  g_assert_cmpuint (watch.statuses->len, ==, 0);

  g_signal_handlers_disconnect_by_data (query, &watch);
  g_assert_finalize_object (query);
  g_array_unref (watch.statuses);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/infinite-models/append-prepend", test_append_prepend);
  ADD ("/infinite-models/max-pages", test_max_pages);
  ADD ("/infinite-models/refetch-one-page-changes", test_refetch_one_page_changes);
  ADD ("/infinite-models/refetch-unchanged", test_refetch_unchanged);
  ADD ("/infinite-models/refetch-shrinks", test_refetch_shrinks);
  ADD ("/infinite-models/set-query-data-removes-middle", test_set_query_data_removes_middle);
  ADD ("/infinite-models/refetch-two-runs", test_refetch_two_runs);
  ADD ("/infinite-models/refetch-fails-midway", test_refetch_fails_midway);
  ADD ("/infinite-models/select", test_select);
  ADD ("/infinite-models/set-query-data-shapes", test_set_query_data_shapes);
  ADD ("/infinite-models/json-array-items", test_json_array_items);
  ADD ("/infinite-models/items-member", test_items_member);
  ADD ("/infinite-models/non-list-pages", test_non_list_pages);
  ADD ("/infinite-models/items-member-change", test_items_member_change);
  ADD ("/infinite-models/placeholder-data", test_placeholder_data);
  ADD ("/infinite-models/list-model-pages", test_list_model_pages);
  ADD ("/infinite-models/reentrant-update", test_reentrant_update);
  ADD ("/infinite-models/missing-items-member", test_missing_items_member);
  ADD ("/infinite-models/page-objects", test_page_objects);
  ADD ("/infinite-models/key-change", test_key_change);
  ADD ("/infinite-models/key-change-keep-previous", test_key_change_keep_previous);
  ADD ("/infinite-models/models-outlive-query", test_models_outlive_query);
  ADD ("/infinite-models/paginated", test_paginated);
  ADD ("/infinite-models/paginated-stale", test_paginated_stale);
#undef ADD
  g_test_add_func ("/infinite-models/json-item", test_json_item);
  g_test_add_func ("/infinite-models/recorder-self-check", test_recorder_self_check);

  return g_test_run ();
}
