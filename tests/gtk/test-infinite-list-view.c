/* test-infinite-list-view.c: QuarryInfiniteListView in real windows, over
 * an infinite query on a manual clock whose page fetches the test
 * completes one by one.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-gtk-test-util.h"
#include "quarry-test-util.h"


/* ------------------------------------------------------------------------
 * Row factories. Both make a GtkLabel per row showing the item's "title";
 * the signal one counts its calls and checks, on every call, that the list
 * item holds the label it made (so that a row that showed the footer got
 * its child back).
 * ------------------------------------------------------------------------ */

typedef struct
{
  guint setups;
  guint binds;
  guint unbinds;
  guint teardowns;
} RowCounts;

static GQuark label_quark;

static const char *
item_title (GObject *item)
{
  JsonNode *title;

  g_assert_true (QUARRY_IS_JSON_ITEM (item));
  title = quarry_json_item_get_member (QUARRY_JSON_ITEM (item), "title");
  g_assert_nonnull (title);
  return json_node_get_string (title);
}

static void
signal_setup_cb (GtkSignalListItemFactory *factory,
                 GObject                  *object,
                 RowCounts                *counts)
{
  GtkListItem *list_item = GTK_LIST_ITEM (object);
  GtkWidget *label = gtk_label_new (NULL);

  g_assert_null (gtk_list_item_get_child (list_item));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_item_set_child (list_item, label);
  g_object_set_qdata (object, label_quark, label);
  counts->setups++;
}

static void
signal_bind_cb (GtkSignalListItemFactory *factory,
                GObject                  *object,
                RowCounts                *counts)
{
  GtkListItem *list_item = GTK_LIST_ITEM (object);
  GtkWidget *label = g_object_get_qdata (object, label_quark);

  g_assert_nonnull (label);
  g_assert_true (gtk_list_item_get_child (list_item) == label);
  g_assert_true (gtk_list_item_get_selectable (list_item));
  g_assert_true (gtk_list_item_get_activatable (list_item));
  gtk_label_set_label (GTK_LABEL (label), item_title (gtk_list_item_get_item (list_item)));
  counts->binds++;
}

static void
signal_unbind_cb (GtkSignalListItemFactory *factory,
                  GObject                  *object,
                  RowCounts                *counts)
{
  GtkListItem *list_item = GTK_LIST_ITEM (object);
  GtkWidget *label = g_object_get_qdata (object, label_quark);

  g_assert_true (gtk_list_item_get_child (list_item) == label);
  g_assert_true (QUARRY_IS_JSON_ITEM (gtk_list_item_get_item (list_item)));
  gtk_label_set_label (GTK_LABEL (label), "");
  counts->unbinds++;
}

static void
signal_teardown_cb (GtkSignalListItemFactory *factory,
                    GObject                  *object,
                    RowCounts                *counts)
{
  GtkWidget *child = gtk_list_item_get_child (GTK_LIST_ITEM (object));

  /* GTK 4.8 takes the child out before it emits ::teardown. */
  g_assert_true (child == NULL || child == g_object_get_qdata (object, label_quark));
  g_object_set_qdata (object, label_quark, NULL);
  counts->teardowns++;
}

static GtkListItemFactory *
signal_factory_new (RowCounts *counts)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (signal_setup_cb), counts);
  g_signal_connect (factory, "bind", G_CALLBACK (signal_bind_cb), counts);
  g_signal_connect (factory, "unbind", G_CALLBACK (signal_unbind_cb), counts);
  g_signal_connect (factory, "teardown", G_CALLBACK (signal_teardown_cb), counts);
  return factory;
}

/* The builder factory's closure: the list item is `this`, then the item.
 * It also sees the footer's item, which is no QuarryJsonItem. */
static guint builder_title_calls;
static guint builder_foreign_items;

static char *
builder_row_title (GtkListItem *list_item,
                   GObject     *item)
{
  g_assert_true (GTK_IS_LIST_ITEM (list_item));
  builder_title_calls++;
  if (item == NULL)
    return g_strdup ("");
  if (!QUARRY_IS_JSON_ITEM (item))
    {
      builder_foreign_items++;
      return g_strdup ("");
    }
  return g_strdup (item_title (item));
}

static const char builder_row_ui[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<interface>\n"
  "  <template class=\"GtkListItem\">\n"
  "    <property name=\"child\">\n"
  "      <object class=\"GtkLabel\">\n"
  "        <property name=\"xalign\">0</property>\n"
  "        <property name=\"margin-start\">12</property>\n"
  "        <property name=\"margin-top\">6</property>\n"
  "        <property name=\"margin-bottom\">6</property>\n"
  "        <binding name=\"label\">\n"
  "          <closure type=\"gchararray\" function=\"builder_row_title\">\n"
  "            <lookup name=\"item\">GtkListItem</lookup>\n"
  "          </closure>\n"
  "        </binding>\n"
  "      </object>\n"
  "    </property>\n"
  "  </template>\n"
  "</interface>\n";

static GtkListItemFactory *
builder_factory_new (void)
{
  g_autoptr(GtkBuilderScope) scope = gtk_builder_cscope_new ();
  g_autoptr(GBytes) bytes = g_bytes_new_static (builder_row_ui, sizeof builder_row_ui - 1);

  gtk_builder_cscope_add_callback_symbol (GTK_BUILDER_CSCOPE (scope), "builder_row_title",
                                          G_CALLBACK (builder_row_title));
  return gtk_builder_list_item_factory_new_from_bytes (scope, bytes);
}

/* ------------------------------------------------------------------------
 * The fixture: an infinite query on ["feed"] whose pages the test answers.
 * Page p's parameter is the int64 p (from 0); the next page of p is p + 1
 * while p < last_page. Page p of n items holds {"id": 100p + k, "title":
 * "Item <id>"}, k = 1..n.
 * ------------------------------------------------------------------------ */

typedef struct
{
  Fixture base;
  Fetcher *fetcher;
  QuarryInfiniteQuery *query;
  QuarryInfiniteListView *view;
  GtkWindow *window;
  gint64 last_page;
  RowCounts counts;
  GArray *activated;       /* guint positions of ::activate */
  GString *changes;        /* items-changed of the list's model, "(p,r,a)" */
  GHashTable *footer_rows; /* row widgets seen holding the footer (weak) */
} ListFixture;

static void
next_param_func (const GValue        *page,
                 QuarryInfiniteData  *data,
                 const GValue        *page_param,
                 GValue              *param,
                 gpointer             user_data,
                 GError             **error)
{
  ListFixture *f = user_data;
  gint64 p = value_get_int (page_param);

  if (p < f->last_page)
    {
      g_value_init (param, G_TYPE_INT64);
      g_value_set_int64 (param, p + 1);
    }
}

static void
activate_cb (QuarryInfiniteListView *view,
             guint                   position,
             ListFixture            *f)
{
  g_array_append_val (f->activated, position);
}

static void
rows_changed_cb (GListModel  *model,
                 guint        position,
                 guint        removed,
                 guint        added,
                 ListFixture *f)
{
  g_string_append_printf (f->changes, "(%u,%u,%u)", position, removed, added);
}

/* The view (without a factory) of a fresh query, not yet in a window. The
 * query mounts, and fetches its first page, once the main loop runs. */
static void
list_setup (ListFixture   *f,
            gconstpointer  data)
{
  g_autoptr(QuarryKey) key = key_new ("[\"feed\"]");
  GValue initial = G_VALUE_INIT;

  fixture_setup (&f->base, data);
  f->fetcher = fetcher_new ();
  f->last_page = 100;
  f->activated = g_array_new (FALSE, FALSE, sizeof (guint));
  f->changes = g_string_new (NULL);
  f->footer_rows = g_hash_table_new (NULL, NULL);
  builder_title_calls = 0;
  builder_foreign_items = 0;

  f->query = quarry_infinite_query_new (f->base.client, key, fetcher_func, f->fetcher, NULL);
  g_value_init (&initial, G_TYPE_INT64);
  g_value_set_int64 (&initial, 0);
  quarry_infinite_query_set_initial_page_param (f->query, &initial);
  g_value_unset (&initial);
  quarry_infinite_query_set_next_page_param_func (f->query, next_param_func, f, NULL);
  quarry_query_set_retry (QUARRY_QUERY (f->query), 0);

  f->view = QUARRY_INFINITE_LIST_VIEW (g_object_ref_sink (quarry_infinite_list_view_new (f->query, NULL)));
  g_signal_connect (f->view, "activate", G_CALLBACK (activate_cb), f);
  g_signal_connect (gtk_list_view_get_model (quarry_infinite_list_view_get_list_view (f->view)),
                    "items-changed", G_CALLBACK (rows_changed_cb), f);
}

static void
list_teardown (ListFixture   *f,
               gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  g_assert_finalize_object (f->view);

  /* Every row set up was torn down, every bind undone. */
  g_assert_cmpuint (f->counts.setups, ==, f->counts.teardowns);
  g_assert_cmpuint (f->counts.binds, ==, f->counts.unbinds);
  g_assert_cmpuint (g_hash_table_size (f->footer_rows), ==, 0);
  g_hash_table_unref (f->footer_rows);

  g_assert_finalize_object (f->query);
  fetcher_free (f->fetcher);
  g_array_unref (f->activated);
  g_string_free (f->changes, TRUE);
  fixture_teardown (&f->base, data);
}

static void
use_signal_factory (ListFixture *f)
{
  g_autoptr(GtkListItemFactory) factory = signal_factory_new (&f->counts);

  quarry_infinite_list_view_set_factory (f->view, factory);
}

static void
use_builder_factory (ListFixture *f)
{
  g_autoptr(GtkListItemFactory) factory = builder_factory_new ();

  quarry_infinite_list_view_set_factory (f->view, factory);
}

/* Puts the view in a 300 × 400 window. */
static void
show_view (ListFixture *f)
{
  f->window = quarry_gtk_test_window_new (GTK_WIDGET (f->view), 300, 400);
  quarry_gtk_test_settle (GTK_WIDGET (f->view));
}

/* Lets every consequence of the last change happen: the layout, the
 * view's load check after it, a fetch it starts. Waits for frames, not
 * for time. */
static void
settle (ListFixture *f)
{
  for (guint i = 0; i < 3; i++)
    {
      quarry_clock_flush (f->base.clock);
      quarry_gtk_test_settle (GTK_WIDGET (f->view));
    }
}

static gint64
call_page (ListFixture *f,
           guint        index)
{
  QuarryFetchContext *context = fetcher_take (f->fetcher, index);

  return value_get_int (quarry_fetch_context_get_page_param (context));
}

/* Answers fetch @index with @n_items items of its page. */
static void
answer_page (ListFixture *f,
             guint        index,
             guint        n_items)
{
  gint64 p = call_page (f, index);
  GString *json = g_string_new ("[");

  for (guint k = 1; k <= n_items; k++)
    {
      gint64 id = 100 * p + k;

      g_string_append_printf (json, "%s{\"id\":%" G_GINT64_FORMAT ",\"title\":\"Item %" G_GINT64_FORMAT "\"}",
                              k > 1 ? "," : "", id, id);
    }
  g_string_append (json, "]");
  fetcher_resolve_json (f->fetcher, index, json->str);
  g_string_free (json, TRUE);
}

/* Waits for the first fetch and answers it with @n_items items. */
static void
load_first_page (ListFixture *f,
                 guint        n_items)
{
  SPIN_UNTIL (f->fetcher->calls == 1);
  g_assert_cmpint (call_page (f, 0), ==, 0);
  answer_page (f, 0, n_items);
  SPIN_UNTIL (quarry_infinite_query_get_data (f->query) != NULL);
  settle (f);
}

static GListModel *
rows_model (ListFixture *f)
{
  return G_LIST_MODEL (gtk_list_view_get_model (quarry_infinite_list_view_get_list_view (f->view)));
}

static guint
n_items (ListFixture *f)
{
  return g_list_model_get_n_items (quarry_infinite_query_get_items (f->query));
}

static GtkAdjustment *
vadjustment (ListFixture *f)
{
  return gtk_scrolled_window_get_vadjustment (quarry_infinite_list_view_get_scrolled_window (f->view));
}

static void
scroll_to_end (ListFixture *f)
{
  GtkAdjustment *adjustment = vadjustment (f);

  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
}

/* The footer widget on screen, or NULL. */
static GtkWidget *
find_footer (GtkWidget *root)
{
  if (g_strcmp0 (gtk_widget_get_css_name (root), "infinitefooter") == 0 &&
      quarry_gtk_test_is_showing (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_footer (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
footer_row_finalized_cb (gpointer  data,
                         GObject  *row)
{
  g_hash_table_remove (data, row);
}

/* Remembers the row widget that holds the footer now. */
static void
note_footer_row (ListFixture *f,
                 GtkWidget   *footer)
{
  GtkWidget *row = gtk_widget_get_parent (footer);

  g_assert_cmpstr (gtk_widget_get_css_name (row), ==, "row");
  if (g_hash_table_add (f->footer_rows, row))
    g_object_weak_ref (G_OBJECT (row), footer_row_finalized_cb, f->footer_rows);
}

/* The footer is on screen and shows the page @name, and only it. */
static GtkWidget *
assert_footer (ListFixture *f,
               const char  *name)
{
  GtkWidget *footer;
  GtkStack *stack;

  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  footer = find_footer (GTK_WIDGET (f->view));
  g_assert_nonnull (footer);
  note_footer_row (f, footer);
  stack = GTK_STACK (quarry_gtk_test_find (footer, GTK_TYPE_STACK, NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, name);
  g_assert_true (quarry_gtk_test_is_showing (gtk_stack_get_visible_child (stack)));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != gtk_stack_get_visible_child (stack))
      g_assert_false (gtk_widget_get_mapped (child));
  return footer;
}

/* A widget of @type labelled @label, showing, inside @root. */
static GtkWidget *
find_showing (GtkWidget  *root,
              GType       type,
              const char *label)
{
  GtkWidget *widget = quarry_gtk_test_find (root, type, label);

  g_assert_nonnull (widget);
  g_assert_true (quarry_gtk_test_is_showing (widget));
  return widget;
}

/* The row widgets of the list, in order. */
static GPtrArray *
row_widgets (ListFixture *f)
{
  GtkWidget *list = GTK_WIDGET (quarry_infinite_list_view_get_list_view (f->view));
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (gtk_widget_get_css_name (child), "row") == 0 && gtk_widget_get_child_visible (child))
      g_ptr_array_add (rows, child);
  return rows;
}

#define ANY (-1)

/* Every row on screen shows either an item of the query (a label with its
 * title) or, after every item row, the footer. @footer says whether the
 * footer row is on screen (TRUE, FALSE or ANY). Returns the number of item
 * rows on screen. */
static guint
assert_rows (ListFixture *f,
             int          footer)
{
  GtkAdjustment *adjustment = vadjustment (f);
  GListModel *items = quarry_infinite_query_get_items (f->query);
  g_autoptr(GPtrArray) rows = NULL;
  guint shown_items = 0;
  gboolean footer_seen = FALSE;
  double top = gtk_adjustment_get_value (adjustment);
  double bottom = top + gtk_adjustment_get_page_size (adjustment);

  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  rows = row_widgets (f);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      GtkWidget *child = gtk_widget_get_first_child (row);
      graphene_point_t point;

      g_assert_nonnull (child);
      g_assert_null (gtk_widget_get_next_sibling (child));
      g_assert_true (gtk_widget_compute_point (row, GTK_WIDGET (quarry_infinite_list_view_get_list_view (f->view)),
                                               &GRAPHENE_POINT_INIT (0, 0), &point));
      /* Rows kept off screen are not checked. */
      if (point.y + top + gtk_widget_get_height (row) <= top || point.y + top >= bottom)
        continue;

      if (g_strcmp0 (gtk_widget_get_css_name (child), "infinitefooter") == 0)
        {
          g_assert_false (footer_seen);
          footer_seen = TRUE;
          note_footer_row (f, child);
          continue;
        }

      g_assert_false (footer_seen);
      g_assert_true (GTK_IS_LABEL (child));
      {
        const char *text = gtk_label_get_label (GTK_LABEL (child));
        gboolean found = FALSE;

        g_assert_true (g_str_has_prefix (text, "Item "));
        for (guint j = 0; j < g_list_model_get_n_items (items) && !found; j++)
          {
            g_autoptr(GObject) item = g_list_model_get_item (items, j);

            found = g_strcmp0 (item_title (item), text) == 0;
          }
        g_assert_true (found);
      }
      shown_items++;
    }

  if (footer != ANY)
    g_assert_cmpint (footer_seen, ==, footer);
  return shown_items;
}

/* The title of the item in the row at the top of the viewport. */
static char *
top_row_title (ListFixture *f)
{
  GtkWidget *list = GTK_WIDGET (quarry_infinite_list_view_get_list_view (f->view));
  g_autoptr(GPtrArray) rows = NULL;

  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  rows = row_widgets (f);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      GtkWidget *child = gtk_widget_get_first_child (row);
      graphene_point_t point;

      g_assert_true (gtk_widget_compute_point (row, list, &GRAPHENE_POINT_INIT (0, 0), &point));
      if (point.y <= 0 && point.y + gtk_widget_get_height (row) > 0 && GTK_IS_LABEL (child))
        return g_strdup (gtk_label_get_label (GTK_LABEL (child)));
    }
  g_assert_not_reached ();
}

/* The label of the item at @position is on screen. */
static void
assert_item_shown (ListFixture *f,
                   guint        position)
{
  g_autoptr(GObject) item = g_list_model_get_item (quarry_infinite_query_get_items (f->query), position);

  g_assert_nonnull (item);
  find_showing (GTK_WIDGET (f->view), GTK_TYPE_LABEL, item_title (item));
}

/* ------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------ */

/* Before the first page there is no row at all, and no load. */
static void
test_no_rows_before_first_page (ListFixture   *f,
                                gconstpointer  data)
{
  use_signal_factory (f);
  show_view (f);
  SPIN_UNTIL (f->fetcher->calls == 1);
  settle (f);

  g_assert_cmpuint (f->fetcher->calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (rows_model (f)), ==, 0);
  g_assert_null (find_footer (GTK_WIDGET (f->view)));

  /* A failed first load shows no footer either (it is the business of a
   * QueryView around the list) and loads nothing more. */
  fetcher_reject (f->fetcher, 0, "Server down");
  SPIN_UNTIL (quarry_query_get_status (QUARRY_QUERY (f->query)) == QUARRY_STATUS_ERROR);
  settle (f);
  g_assert_cmpuint (f->fetcher->calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (rows_model (f)), ==, 0);
  g_assert_cmpstr (f->changes->str, ==, "");
}

/* Three items in a 400 px window: pages load with no scrolling until the
 * content is taller than the viewport, then loading stops. */
static void
test_short_page_fills_viewport (ListFixture   *f,
                                gconstpointer  data)
{
  GtkAdjustment *adjustment;
  GtkWidget *label;
  double row_height, upper, page_size;
  guint pages = 1;

  use_signal_factory (f);
  quarry_infinite_list_view_set_threshold (f->view, 0);
  show_view (f);
  load_first_page (f, 3);

  /* Each answered page leads to the next fetch, without scrolling. */
  while (f->fetcher->calls > pages)
    {
      g_assert_cmpuint (f->fetcher->calls, ==, pages + 1);
      g_assert_cmpint (call_page (f, pages), ==, pages);
      g_assert_cmpint (quarry_fetch_context_get_direction (fetcher_take (f->fetcher, pages)), ==,
                       QUARRY_FETCH_DIRECTION_FORWARD);
      g_assert_true (quarry_infinite_query_get_is_fetching_next_page (f->query));
      assert_footer (f, "loading");
      answer_page (f, pages, 3);
      pages++;
      SPIN_UNTIL (n_items (f) == 3 * pages);
      settle (f);
      g_assert_cmpuint (pages, <, 40);
    }

  g_assert_cmpuint (f->fetcher->calls, ==, pages);
  g_assert_cmpuint (pages, >, 1);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment (f)), ==, 0);

  /* It stopped as soon as the content was taller than the viewport: one
   * page (three rows) fewer would not have been. */
  adjustment = vadjustment (f);
  upper = gtk_adjustment_get_upper (adjustment);
  page_size = gtk_adjustment_get_page_size (adjustment);
  label = find_showing (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Item 1");
  row_height = gtk_widget_get_height (gtk_widget_get_parent (label));
  g_test_message ("%u pages of 3 rows of %.0f px fill a viewport of %.0f px (upper %.0f)",
                  pages, row_height, page_size, upper);
  g_assert_cmpfloat (page_size, >=, 300);
  g_assert_cmpfloat (upper - page_size, >, 0);
  g_assert_cmpfloat (upper - 3 * row_height - page_size, <=, 0);

  /* The footer, at the end of the content, is partly in view. */
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (f->query));
  assert_footer (f, "load-more");
  assert_rows (f, TRUE);
}

/* A first page longer than the viewport loads nothing until the user
 * scrolls to the end; then exactly one page loads, with a spinner in the
 * footer, and the scroll position stays where it was. */
static void
test_long_page_loads_at_end (ListFixture   *f,
                             gconstpointer  data)
{
  GtkAdjustment *adjustment;
  g_autofree char *snapshot = NULL;
  g_autofree char *top = NULL;
  g_autofree char *top_after = NULL;
  double value;

  use_signal_factory (f);
  show_view (f);
  load_first_page (f, 50);

  g_assert_cmpuint (f->fetcher->calls, ==, 1);
  g_assert_cmpuint (assert_rows (f, FALSE), >, 5);
  assert_item_shown (f, 0);

  /* Half-way down is still more than a viewport from the end. */
  adjustment = vadjustment (f);
  gtk_adjustment_set_value (adjustment, (gtk_adjustment_get_upper (adjustment) -
                                         gtk_adjustment_get_page_size (adjustment)) / 4);
  settle (f);
  g_assert_cmpuint (f->fetcher->calls, ==, 1);

  scroll_to_end (f);
  SPIN_UNTIL (f->fetcher->calls == 2);
  settle (f);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  g_assert_cmpint (call_page (f, 1), ==, 1);
  g_assert_true (quarry_infinite_query_get_is_fetching_next_page (f->query));

  assert_footer (f, "loading");
  find_showing (GTK_WIDGET (f->view), GTK_TYPE_SPINNER, NULL);
  find_showing (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Loading more…");
  assert_rows (f, TRUE);
  snapshot = quarry_gtk_test_snapshot (GTK_WIDGET (f->view), "infinite-footer-loading");

  /* The page lands: one insertion after the first page's 50 items, and
   * the same rows stay in view (the footer keeps its height from the
   * spinner to the button). */
  value = gtk_adjustment_get_value (adjustment);
  top = top_row_title (f);
  g_string_truncate (f->changes, 0);
  answer_page (f, 1, 50);
  SPIN_UNTIL (n_items (f) == 100);
  g_assert_cmpstr (f->changes->str, ==, "(50,0,50)");
  settle (f);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, value);
  top_after = top_row_title (f);
  g_assert_cmpstr (top_after, ==, top);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  assert_item_shown (f, 49);
  assert_rows (f, FALSE);
}

/* Pages appended while the user reads the middle of the list leave the
 * scroll position exactly where it is. */
static void
test_append_keeps_position (ListFixture   *f,
                            gconstpointer  data)
{
  GtkAdjustment *adjustment;
  g_autofree char *top = NULL;
  g_autofree char *top_after = NULL;

  use_signal_factory (f);
  quarry_infinite_list_view_set_auto_load (f->view, FALSE);
  show_view (f);
  load_first_page (f, 40);

  adjustment = vadjustment (f);
  gtk_adjustment_set_value (adjustment, 300);
  settle (f);
  top = top_row_title (f);

  for (guint page = 1; page <= 3; page++)
    {
      quarry_infinite_query_fetch_next_page (f->query);
      SPIN_UNTIL (f->fetcher->calls == page + 1);
      answer_page (f, page, 40);
      SPIN_UNTIL (n_items (f) == 40 * (page + 1));
      settle (f);
      g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 300);
      top_after = top_row_title (f);
      g_assert_cmpstr (top_after, ==, top);
      g_clear_pointer (&top_after, g_free);
    }
  assert_rows (f, FALSE);
}

/* The next page loads when the end comes within the threshold: 100 px,
 * then the default, the height of the viewport. */
static void
scroll_to_distance (ListFixture *f,
                    double       distance)
{
  GtkAdjustment *adjustment = vadjustment (f);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment) - distance);
  settle (f);
}

static void
test_threshold (ListFixture   *f,
                gconstpointer  data)
{
  double page_size;

  use_signal_factory (f);
  quarry_infinite_list_view_set_threshold (f->view, 100);
  show_view (f);
  load_first_page (f, 60);

  scroll_to_distance (f, 101);
  g_assert_cmpuint (f->fetcher->calls, ==, 1);
  scroll_to_distance (f, 99);
  SPIN_UNTIL (f->fetcher->calls == 2);
  answer_page (f, 1, 60);
  SPIN_UNTIL (n_items (f) == 120);
  settle (f);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);

  quarry_infinite_list_view_set_threshold (f->view, -1);
  page_size = gtk_adjustment_get_page_size (vadjustment (f));
  scroll_to_distance (f, page_size + 1);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  scroll_to_distance (f, page_size - 1);
  SPIN_UNTIL (f->fetcher->calls == 3);
  g_assert_cmpint (call_page (f, 2), ==, 2);
}

/* No page loads while the query refetches its pages: a next page would
 * cancel the refetch. It loads once the refetch is over. */
static void
test_waits_for_refetch (ListFixture   *f,
                        gconstpointer  data)
{
  use_signal_factory (f);
  quarry_infinite_list_view_set_auto_load (f->view, FALSE);
  show_view (f);
  load_first_page (f, 3);

  quarry_query_refetch (QUARRY_QUERY (f->query));
  SPIN_UNTIL (f->fetcher->calls == 2);
  g_assert_cmpint (call_page (f, 1), ==, 0);
  quarry_infinite_list_view_set_auto_load (f->view, TRUE);
  settle (f);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  g_assert_false (quarry_infinite_query_get_is_fetching_next_page (f->query));

  answer_page (f, 1, 3);
  SPIN_UNTIL (f->fetcher->calls == 3);
  g_assert_cmpint (call_page (f, 2), ==, 1);
  g_assert_false (g_cancellable_is_cancelled (quarry_fetch_context_get_cancellable (fetcher_take (f->fetcher, 1))));
}

/* A view that is not on screen has no viewport to fill: it loads once it
 * is shown. */
static void
test_hidden_view_waits (ListFixture   *f,
                        gconstpointer  data)
{
  use_signal_factory (f);
  show_view (f);
  gtk_widget_set_visible (GTK_WIDGET (f->view), FALSE);
  load_first_page (f, 3);
  g_assert_cmpuint (f->fetcher->calls, ==, 1);

  gtk_widget_set_visible (GTK_WIDGET (f->view), TRUE);
  SPIN_UNTIL (f->fetcher->calls == 2);
  g_assert_cmpint (call_page (f, 1), ==, 1);
}

/* A failed next page shows the error and Retry in the footer, loads
 * nothing by itself, and Retry loads the page again. */
static void
test_next_page_error_retry (ListFixture   *f,
                            gconstpointer  data)
{
  GtkWidget *footer, *retry;
  g_autofree char *snapshot = NULL;

  use_signal_factory (f);
  show_view (f);
  load_first_page (f, 30);

  scroll_to_end (f);
  SPIN_UNTIL (f->fetcher->calls == 2);
  fetcher_reject (f->fetcher, 1, "The server is on fire");
  SPIN_UNTIL (quarry_infinite_query_get_is_fetch_next_page_error (f->query));
  settle (f);
  scroll_to_end (f);
  settle (f);

  /* No retry without the user, even at the end. */
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  footer = assert_footer (f, "error");
  find_showing (footer, GTK_TYPE_LABEL, "Could not load more items");
  find_showing (footer, GTK_TYPE_LABEL, "The server is on fire");
  retry = find_showing (footer, GTK_TYPE_BUTTON, "Retry");
  g_assert_cmpuint (n_items (f), ==, 30);
  snapshot = quarry_gtk_test_snapshot (GTK_WIDGET (f->view), "infinite-footer-error");

  quarry_gtk_test_click (retry);
  SPIN_UNTIL (f->fetcher->calls == 3);
  g_assert_cmpint (call_page (f, 2), ==, 1);
  assert_footer (f, "loading");

  answer_page (f, 2, 30);
  SPIN_UNTIL (n_items (f) == 60);
  settle (f);
  g_assert_false (quarry_infinite_query_get_is_fetch_next_page_error (f->query));
  g_assert_cmpuint (f->fetcher->calls, ==, 3);
  scroll_to_end (f);
  SPIN_UNTIL (f->fetcher->calls == 4);
  assert_footer (f, "loading");
}

/* The last page: "No more items", and scrolling to the end loads
 * nothing. */
static void
test_last_page (ListFixture   *f,
                gconstpointer  data)
{
  GtkWidget *footer;
  g_autofree char *snapshot = NULL;

  use_signal_factory (f);
  f->last_page = 1;
  show_view (f);
  load_first_page (f, 30);

  scroll_to_end (f);
  SPIN_UNTIL (f->fetcher->calls == 2);
  answer_page (f, 1, 5);
  SPIN_UNTIL (n_items (f) == 35);
  g_assert_false (quarry_infinite_query_get_has_next_page (f->query));
  settle (f);
  scroll_to_end (f);
  settle (f);

  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  footer = assert_footer (f, "end");
  find_showing (footer, GTK_TYPE_LABEL, "No more items");
  assert_item_shown (f, 34);
  assert_rows (f, TRUE);
  snapshot = quarry_gtk_test_snapshot (GTK_WIDGET (f->view), "infinite-footer-end");

  /* The footer row is the last row, after the 35 items. */
  g_assert_cmpuint (g_list_model_get_n_items (rows_model (f)), ==, 36);
  {
    g_autoptr(GObject) last = g_list_model_get_item (rows_model (f), 35);

    g_assert_false (QUARRY_IS_JSON_ITEM (last));
    g_assert_null (g_list_model_get_item (rows_model (f), 36));
  }
}

/* An empty only page: no items and no next page, so no footer row
 * ("No more items" under nothing would say nothing). */
static void
test_empty_last_page (ListFixture   *f,
                      gconstpointer  data)
{
  use_signal_factory (f);
  f->last_page = 0;
  show_view (f);
  load_first_page (f, 0);

  g_assert_cmpuint (f->fetcher->calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (rows_model (f)), ==, 0);
  g_assert_null (find_footer (GTK_WIDGET (f->view)));
}

/* With auto-load off, only "Load more" loads. */
static void
test_auto_load_off (ListFixture   *f,
                    gconstpointer  data)
{
  GtkWidget *footer, *button;
  g_autofree char *snapshot = NULL;

  use_signal_factory (f);
  quarry_infinite_list_view_set_auto_load (f->view, FALSE);
  g_assert_false (quarry_infinite_list_view_get_auto_load (f->view));
  show_view (f);
  load_first_page (f, 3);

  g_assert_cmpuint (f->fetcher->calls, ==, 1);
  footer = assert_footer (f, "load-more");
  button = find_showing (footer, GTK_TYPE_BUTTON, "Load more");
  assert_rows (f, TRUE);
  snapshot = quarry_gtk_test_snapshot (GTK_WIDGET (f->view), "infinite-footer-load-more");

  quarry_gtk_test_click (button);
  SPIN_UNTIL (f->fetcher->calls == 2);
  g_assert_cmpint (call_page (f, 1), ==, 1);
  assert_footer (f, "loading");
  answer_page (f, 1, 3);
  SPIN_UNTIL (n_items (f) == 6);
  settle (f);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  assert_footer (f, "load-more");

  /* Turning it on loads at once: the content is short. */
  quarry_infinite_list_view_set_auto_load (f->view, TRUE);
  SPIN_UNTIL (f->fetcher->calls == 3);
  g_assert_cmpint (call_page (f, 2), ==, 2);
}

/* items-changed of the list's model: the footer row comes after the
 * first page, pages insert before it, and it goes when the data goes. */
static void
test_rows_model_changes (ListFixture   *f,
                         gconstpointer  data)
{
  GListModel *rows;

  use_signal_factory (f);
  quarry_infinite_list_view_set_auto_load (f->view, FALSE);
  show_view (f);
  load_first_page (f, 3);

  rows = rows_model (f);
  g_assert_cmpstr (f->changes->str, ==, "(0,0,3)(3,0,1)");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 4);
  g_assert_true (g_list_model_get_item_type (rows) == G_TYPE_OBJECT);

  g_string_truncate (f->changes, 0);
  quarry_infinite_query_fetch_next_page (f->query);
  SPIN_UNTIL (f->fetcher->calls == 2);
  answer_page (f, 1, 4);
  SPIN_UNTIL (n_items (f) == 7);
  g_assert_cmpstr (f->changes->str, ==, "(3,0,4)");

  /* Removing the query's data removes the footer too. */
  g_string_truncate (f->changes, 0);
  quarry_query_client_reset_queries (f->base.client, NULL);
  SPIN_UNTIL (g_list_model_get_n_items (rows) == 0);
  g_assert_cmpstr (f->changes->str, ==, "(0,7,0)(0,1,0)");
}

/* The number of rows on screen showing an item now that held the footer
 * before: rows GTK recycled from the footer to an item. */
static guint
recycled_footer_rows (ListFixture *f)
{
  g_autoptr(GPtrArray) rows = row_widgets (f);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      if (g_hash_table_contains (f->footer_rows, row) && GTK_IS_LABEL (gtk_widget_get_first_child (row)))
        n++;
    }
  return n;
}

static void
load_more_by_button (ListFixture *f,
                     guint        n_page_items)
{
  guint calls = f->fetcher->calls;
  guint n = n_items (f);
  GtkWidget *button;

  scroll_to_end (f);
  settle (f);
  button = find_showing (assert_footer (f, "load-more"), GTK_TYPE_BUTTON, "Load more");
  quarry_gtk_test_click (button);
  SPIN_UNTIL (f->fetcher->calls == calls + 1);
  answer_page (f, calls, n_page_items);
  SPIN_UNTIL (n_items (f) == n + n_page_items);
  settle (f);
  assert_rows (f, ANY);
}

/* Both factory kinds make the item rows, and rows keep showing the right
 * item while the footer moves down page after page and the view scrolls
 * through recycled rows: GTK 4.8 keeps about 200 rows, and reuses the
 * row widgets it drops, the footer's included, for the rows that come
 * into view. */
static void
check_factory_rows (ListFixture *f)
{
  GtkAdjustment *adjustment;
  guint recycled = 0;

  show_view (f);
  quarry_infinite_list_view_set_auto_load (f->view, FALSE);
  load_first_page (f, 3);

  for (guint i = 0; i < 3; i++)
    assert_item_shown (f, i);
  assert_footer (f, "load-more");
  assert_rows (f, TRUE);

  /* The footer moves down a few rows at a time, then past the viewport. */
  for (guint page = 1; page < 4; page++)
    {
      load_more_by_button (f, 3);
      assert_item_shown (f, 3 * page);
    }
  for (guint page = 4; page < 8; page++)
    load_more_by_button (f, 100);
  g_assert_cmpuint (n_items (f), ==, 412);

  /* Back to the top, to the end, and to the middle, twice. */
  adjustment = vadjustment (f);
  for (guint round = 0; round < 2; round++)
    {
      gtk_adjustment_set_value (adjustment, 0);
      settle (f);
      assert_rows (f, FALSE);
      assert_item_shown (f, 0);
      recycled += recycled_footer_rows (f);

      scroll_to_end (f);
      settle (f);
      assert_rows (f, TRUE);
      assert_footer (f, "load-more");
      assert_item_shown (f, n_items (f) - 1);

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) / 2);
      settle (f);
      assert_rows (f, FALSE);
      recycled += recycled_footer_rows (f);
    }

  /* Rows that held the footer came back as items, with their own child. */
  g_test_message ("%u rows seen holding the footer, %u seen recycled to items",
                  g_hash_table_size (f->footer_rows), recycled);
  g_assert_cmpuint (recycled, >, 0);
}

static void
test_signal_factory_rows (ListFixture   *f,
                          gconstpointer  data)
{
  use_signal_factory (f);
  check_factory_rows (f);

  g_assert_cmpuint (f->counts.setups, >, 0);
  g_assert_cmpuint (f->counts.binds, >=, n_items (f));
  g_test_message ("signal factory: %u setups, %u binds, %u unbinds, %u teardowns",
                  f->counts.setups, f->counts.binds, f->counts.unbinds, f->counts.teardowns);
}

static void
test_builder_factory_rows (ListFixture   *f,
                           gconstpointer  data)
{
  use_builder_factory (f);
  check_factory_rows (f);

  g_assert_cmpuint (builder_title_calls, >, 0);
  g_test_message ("builder factory: %u title evaluations, %u of the footer's item",
                  builder_title_calls, builder_foreign_items);
}

/* Replacing the factory makes every row again with the new one; the old
 * one tears down what it set up. */
static void
test_factory_replaced (ListFixture   *f,
                       gconstpointer  data)
{
  use_signal_factory (f);
  quarry_infinite_list_view_set_auto_load (f->view, FALSE);
  show_view (f);
  load_first_page (f, 3);
  assert_item_shown (f, 0);
  g_assert_cmpuint (f->counts.setups, >, 0);

  use_builder_factory (f);
  settle (f);
  g_assert_cmpuint (f->counts.setups, ==, f->counts.teardowns);
  g_assert_cmpuint (f->counts.binds, ==, f->counts.unbinds);
  assert_item_shown (f, 0);
  assert_footer (f, "load-more");
  assert_rows (f, TRUE);
}

/* Only item rows activate, with their positions; the footer row never
 * does. */
static void
test_activate (ListFixture   *f,
               gconstpointer  data)
{
  GtkWidget *list;
  GtkWidget *label;
  GtkWidget *footer;
  guint n_rows;

  use_signal_factory (f);
  quarry_infinite_list_view_set_auto_load (f->view, FALSE);
  show_view (f);
  load_first_page (f, 3);
  list = GTK_WIDGET (quarry_infinite_list_view_get_list_view (f->view));
  n_rows = g_list_model_get_n_items (rows_model (f));
  g_assert_cmpuint (n_rows, ==, 4);

  /* Through the row's own action, as a double click or Enter does. */
  label = find_showing (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Item 2");
  g_assert_true (gtk_widget_activate (gtk_widget_get_parent (label)));
  footer = assert_footer (f, "load-more");
  g_assert_true (gtk_widget_activate (gtk_widget_get_parent (footer)));

  /* Through the list's action, by position. */
  gtk_widget_activate_action (list, "list.activate-item", "u", 0);
  gtk_widget_activate_action (list, "list.activate-item", "u", 3);
  settle (f);

  g_assert_cmpuint (f->activated->len, ==, 2);
  g_assert_cmpuint (g_array_index (f->activated, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (f->activated, guint, 1), ==, 0);

  quarry_infinite_list_view_set_single_click_activate (f->view, TRUE);
  g_assert_true (quarry_infinite_list_view_get_single_click_activate (f->view));
  g_assert_true (gtk_list_view_get_single_click_activate (GTK_LIST_VIEW (list)));
}

/* The selection covers the items only. */
static void
test_selection (ListFixture   *f,
                gconstpointer  data)
{
  GtkSelectionModel *rows, *selection;
  GtkWidget *list, *label;
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GObject) item1 = NULL;

  use_signal_factory (f);
  quarry_infinite_list_view_set_auto_load (f->view, FALSE);
  show_view (f);
  load_first_page (f, 3);
  list = GTK_WIDGET (quarry_infinite_list_view_get_list_view (f->view));
  rows = GTK_SELECTION_MODEL (rows_model (f));

  g_assert_cmpint (quarry_infinite_list_view_get_selection_mode (f->view), ==, GTK_SELECTION_SINGLE);
  selection = quarry_infinite_list_view_get_selection_model (f->view);
  g_assert_true (GTK_IS_SINGLE_SELECTION (selection));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 3);
  g_assert_null (quarry_infinite_list_view_get_selected_item (f->view));
  g_assert_cmpuint (quarry_infinite_list_view_get_selected (f->view), ==, GTK_INVALID_LIST_POSITION);

  /* Clicking a row selects its item. */
  label = find_showing (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Item 2");
  g_assert_true (gtk_widget_activate_action (gtk_widget_get_parent (label), "listitem.select", "(bb)", FALSE, FALSE));
  item1 = g_list_model_get_item (quarry_infinite_query_get_items (f->query), 1);
  g_assert_true (quarry_infinite_list_view_get_selected_item (f->view) == item1);
  g_assert_cmpuint (quarry_infinite_list_view_get_selected (f->view), ==, 1);
  g_assert_true (gtk_selection_model_is_selected (rows, 1));

  /* The footer cannot be selected, not even by position. */
  g_assert_false (gtk_selection_model_select_item (rows, 3, TRUE));
  g_assert_false (gtk_selection_model_is_selected (rows, 3));
  gtk_widget_activate_action (list, "list.select-item", "(ubb)", 3, FALSE, FALSE);
  g_assert_false (gtk_selection_model_is_selected (rows, 3));
  g_assert_cmpuint (quarry_infinite_list_view_get_selected (f->view), ==, 1);

  /* Pages appended keep the selection. */
  quarry_infinite_query_fetch_next_page (f->query);
  SPIN_UNTIL (f->fetcher->calls == 2);
  answer_page (f, 1, 3);
  SPIN_UNTIL (n_items (f) == 6);
  g_assert_true (quarry_infinite_list_view_get_selected_item (f->view) == item1);

  /* Multiple: select-all selects the six items, not the footer. */
  quarry_infinite_list_view_set_selection_mode (f->view, GTK_SELECTION_MULTIPLE);
  selection = quarry_infinite_list_view_get_selection_model (f->view);
  g_assert_true (GTK_IS_MULTI_SELECTION (selection));
  g_assert_null (quarry_infinite_list_view_get_selected_item (f->view));
  g_assert_true (gtk_widget_activate_action (list, "list.select-all", NULL));
  selected = gtk_selection_model_get_selection (selection);
  g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 6);
  g_assert_true (gtk_selection_model_is_selected (rows, 5));
  g_assert_false (gtk_selection_model_is_selected (rows, 6));
  g_assert_cmpuint (quarry_infinite_list_view_get_selected (f->view), ==, 0);
  {
    g_autoptr(GtkBitset) in_range = gtk_selection_model_get_selection_in_range (rows, 0, 7);

    g_assert_false (gtk_bitset_contains (in_range, 6));
    g_assert_cmpuint (gtk_bitset_get_size_in_range (in_range, 0, 6), ==, 6);
  }

  /* None: nothing is selected. */
  quarry_infinite_list_view_set_selection_mode (f->view, GTK_SELECTION_NONE);
  g_assert_true (GTK_IS_NO_SELECTION (quarry_infinite_list_view_get_selection_model (f->view)));
  g_assert_false (gtk_selection_model_is_selected (rows, 0));
  g_assert_null (quarry_infinite_list_view_get_selected_item (f->view));

  /* Browse selects the first item at once. */
  quarry_infinite_list_view_set_selection_mode (f->view, GTK_SELECTION_BROWSE);
  g_assert_cmpuint (quarry_infinite_list_view_get_selected (f->view), ==, 0);
}

/* A model over the query's items (here a filter) is what the view shows;
 * loading still follows the query. */
static gboolean
odd_id_filter (gpointer item,
               gpointer user_data)
{
  JsonNode *id = quarry_json_item_get_member (QUARRY_JSON_ITEM (item), "id");

  return json_node_get_int (id) % 2 == 1;
}

static void
test_custom_model (ListFixture   *f,
                   gconstpointer  data)
{
  g_autoptr(GtkFilterListModel) filtered = NULL;
  GtkCustomFilter *filter;

  use_signal_factory (f);
  quarry_infinite_list_view_set_auto_load (f->view, FALSE);
  filter = gtk_custom_filter_new (odd_id_filter, NULL, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (quarry_infinite_query_get_items (f->query)),
                                        GTK_FILTER (filter));
  quarry_infinite_list_view_set_model (f->view, G_LIST_MODEL (filtered));
  g_assert_true (quarry_infinite_list_view_get_model (f->view) == G_LIST_MODEL (filtered));
  show_view (f);
  load_first_page (f, 4);

  /* Items 1 and 3, and the footer. */
  g_assert_cmpuint (g_list_model_get_n_items (rows_model (f)), ==, 3);
  find_showing (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Item 3");
  g_assert_null (quarry_gtk_test_find (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Item 2"));
  assert_footer (f, "load-more");

  /* Back to the query's items. */
  quarry_infinite_list_view_set_model (f->view, NULL);
  settle (f);
  g_assert_cmpuint (g_list_model_get_n_items (rows_model (f)), ==, 5);
  find_showing (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Item 2");
}

/* A QuarryKeyedListModel of the query as the view's model, as apps that
 * keep one item per id have it. The model follows the query's
 * notify::data, which comes after other notifications of the query: the
 * view must not show its footer, nor load, before the model has the page.
 * Before the fix it loaded every page, the footer row coming first and
 * GtkListView keeping it in view as each page's items went in above it. */

/* The distance from the end of the content to the bottom of the
 * viewport. */
static double
distance_to_end (ListFixture *f)
{
  GtkAdjustment *adjustment = vadjustment (f);

  return gtk_adjustment_get_upper (adjustment) -
         gtk_adjustment_get_value (adjustment) -
         gtk_adjustment_get_page_size (adjustment);
}

/* Answers every fetch once the view has settled after the last one, as a
 * fast server would, until the view asks for no more. Pages hold 50 items;
 * *answered counts the fetches answered. Each fetch after the first must
 * have been needed: when it started, with the content of the pages before
 * it laid out, the end was within the threshold (the default, the
 * viewport's height) of the bottom of the viewport. */
static void
serve_pages (ListFixture *f,
             guint       *answered)
{
  for (;;)
    {
      settle (f);
      if (f->fetcher->calls == *answered)
        break;
      g_assert_cmpuint (f->fetcher->calls, ==, *answered + 1);
      g_assert_cmpint (call_page (f, *answered), ==, *answered);
      if (*answered > 0)
        {
          g_assert_cmpuint (g_list_model_get_n_items (quarry_infinite_list_view_get_model (f->view)), ==,
                            50 * *answered);
          g_assert_cmpfloat (distance_to_end (f), <=, gtk_adjustment_get_page_size (vadjustment (f)));
        }
      answer_page (f, *answered, 50);
      (*answered)++;
      SPIN_UNTIL (n_items (f) == 50 * *answered);
    }

  /* And the view stopped once it was no longer needed. */
  g_assert_cmpfloat (distance_to_end (f), >, gtk_adjustment_get_page_size (vadjustment (f)));
}

static void
test_keyed_model_loads_what_fills (ListFixture   *f,
                                   gconstpointer  data)
{
  g_autoptr(QuarryKeyedListModel) keyed = NULL;
  GtkAdjustment *adjustment;
  GtkWidget *label;
  guint answered = 0;

  use_signal_factory (f);
  f->last_page = 9;   /* 500 items */
  keyed = quarry_keyed_list_model_new (QUARRY_QUERY (f->query), QUARRY_TYPE_JSON_ITEM);
  quarry_infinite_list_view_set_model (f->view, G_LIST_MODEL (keyed));
  f->window = quarry_gtk_test_window_new (GTK_WIDGET (f->view), 300, 900);
  quarry_gtk_test_settle (GTK_WIDGET (f->view));

  SPIN_UNTIL (f->fetcher->calls == 1);
  serve_pages (f, &answered);

  /* The rows model got the items first, then the footer after them; the
   * next page only inserted items before it. */
  g_assert_cmpstr (f->changes->str, ==, "(0,0,50)(50,0,1)(50,0,50)");

  /* Rows of 28 px: one page (1400 px and the footer) ends less than a
   * viewport (900 px) below the viewport, two pages end more. */
  adjustment = vadjustment (f);
  label = find_showing (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Item 1");
  g_assert_cmpint (gtk_widget_get_height (gtk_widget_get_parent (label)), ==, 28);
  g_assert_cmpfloat (gtk_adjustment_get_page_size (adjustment), ==, 900);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keyed)), ==, 100);

  /* The list stayed at its top. */
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  assert_item_shown (f, 0);
  g_assert_null (find_footer (GTK_WIDGET (f->view)));
  assert_rows (f, FALSE);

  /* At the end, one more page, and no other. */
  scroll_to_end (f);
  serve_pages (f, &answered);
  g_assert_cmpuint (f->fetcher->calls, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keyed)), ==, 150);
  assert_item_shown (f, 99);
  assert_rows (f, FALSE);
}

/* A footer that was the only row (the model had none of the first page's
 * items yet: a model that follows the query later than the view, or shows
 * none of its first items) gives way to the first items that come: the
 * list shows them from the top. GtkListView keeps the row it scrolls by in
 * place when rows go in before it, and the footer was that row: without
 * care the items would go above the viewport, the footer staying in view
 * (and, with auto-load, loading page after page). */
static void
test_first_items_under_footer (ListFixture   *f,
                               gconstpointer  data)
{
  g_autoptr(GListStore) store = g_list_store_new (QUARRY_TYPE_JSON_ITEM);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  use_signal_factory (f);
  quarry_infinite_list_view_set_auto_load (f->view, FALSE);
  quarry_infinite_list_view_set_model (f->view, G_LIST_MODEL (store));
  show_view (f);

  for (guint k = 1; k <= 30; k++)
    {
      g_autofree char *json = g_strdup_printf ("{\"id\":%u,\"title\":\"Item %u\"}", k, k);
      g_autoptr(JsonNode) node = json_from_string (json, NULL);

      g_ptr_array_add (items, quarry_json_item_new (node));
    }

  /* The footer comes alone with the first page; the items come in before
   * the list is laid out again. */
  SPIN_UNTIL (f->fetcher->calls == 1);
  answer_page (f, 0, 3);
  SPIN_UNTIL (g_list_model_get_n_items (rows_model (f)) == 1);
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  g_assert_cmpstr (f->changes->str, ==, "(0,0,1)(0,0,30)");
  settle (f);

  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment (f)), ==, 0);
  find_showing (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Item 1");
  g_assert_null (find_footer (GTK_WIDGET (f->view)));
  g_assert_cmpuint (f->fetcher->calls, ==, 1);

  /* Once laid out, the same: the footer alone, then items before it. */
  g_list_store_remove_all (store);
  settle (f);
  assert_footer (f, "load-more");
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  settle (f);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment (f)), ==, 0);
  find_showing (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Item 1");
  g_assert_null (find_footer (GTK_WIDGET (f->view)));
}

/* Properties go through their setters, notify once per change, and take
 * what GtkBuilder gives them. */
static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_properties (ListFixture   *f,
                 gconstpointer  data)
{
  guint threshold_notifies = 0;
  double threshold;
  gboolean auto_load;
  GtkSelectionMode mode;
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  QuarryInfiniteListView *built;
  static const char ui[] =
    "<interface>"
    "  <object class=\"QuarryInfiniteListView\" id=\"view\">"
    "    <property name=\"threshold\">120</property>"
    "    <property name=\"auto-load\">false</property>"
    "    <property name=\"selection-mode\">multiple</property>"
    "    <property name=\"single-click-activate\">true</property>"
    "    <property name=\"factory\">"
    "      <object class=\"GtkSignalListItemFactory\"/>"
    "    </property>"
    "  </object>"
    "</interface>";

  g_assert_true (quarry_infinite_list_view_get_query (f->view) == f->query);
  g_assert_null (quarry_infinite_list_view_get_model (f->view));
  g_assert_null (quarry_infinite_list_view_get_factory (f->view));
  g_assert_cmpfloat (quarry_infinite_list_view_get_threshold (f->view), ==, -1);
  g_assert_true (GTK_IS_LIST_VIEW (quarry_infinite_list_view_get_list_view (f->view)));
  g_assert_true (gtk_scrolled_window_get_child (quarry_infinite_list_view_get_scrolled_window (f->view)) ==
                 GTK_WIDGET (quarry_infinite_list_view_get_list_view (f->view)));
  g_assert_cmpstr (gtk_widget_get_css_name (GTK_WIDGET (f->view)), ==, "infinitelistview");

  g_signal_connect (f->view, "notify::threshold", G_CALLBACK (count_cb), &threshold_notifies);
  quarry_infinite_list_view_set_threshold (f->view, 50);
  quarry_infinite_list_view_set_threshold (f->view, 50);
  g_object_set (f->view, "threshold", 50.0, NULL);
  g_assert_cmpuint (threshold_notifies, ==, 1);
  g_assert_cmpfloat (quarry_infinite_list_view_get_threshold (f->view), ==, 50);
  quarry_infinite_list_view_set_threshold (f->view, -5);
  g_assert_cmpfloat (quarry_infinite_list_view_get_threshold (f->view), ==, -1);
  g_assert_cmpuint (threshold_notifies, ==, 2);

  builder = gtk_builder_new ();
  g_assert_true (gtk_builder_add_from_string (builder, ui, -1, &error));
  g_assert_no_error (error);
  built = QUARRY_INFINITE_LIST_VIEW (gtk_builder_get_object (builder, "view"));
  g_object_get (built, "threshold", &threshold, "auto-load", &auto_load, "selection-mode", &mode, NULL);
  g_assert_cmpfloat (threshold, ==, 120);
  g_assert_false (auto_load);
  g_assert_cmpint (mode, ==, GTK_SELECTION_MULTIPLE);
  g_assert_true (GTK_IS_MULTI_SELECTION (quarry_infinite_list_view_get_selection_model (built)));
  g_assert_true (quarry_infinite_list_view_get_single_click_activate (built));
  g_assert_true (GTK_IS_SIGNAL_LIST_ITEM_FACTORY (quarry_infinite_list_view_get_factory (built)));
  g_assert_null (quarry_infinite_list_view_get_query (built));

  /* The view drops the query when told to. */
  quarry_infinite_list_view_set_query (f->view, NULL);
  g_assert_null (quarry_infinite_list_view_get_query (f->view));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (quarry_infinite_list_view_get_selection_model (f->view))), ==, 0);
}

/* A factory that is neither a signal nor a builder factory is refused
 * with a critical that says what to use. */
static void
test_other_factory_refused (ListFixture   *f,
                            gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GtkListItemFactory) other = g_object_new (GTK_TYPE_LIST_ITEM_FACTORY, NULL);

      quarry_infinite_list_view_set_factory (f->view, other);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*QuarryInfiniteListView cannot use a GtkListItemFactory as its factory: "
                             "use a GtkSignalListItemFactory or a GtkBuilderListItemFactory*");
  g_assert_null (quarry_infinite_list_view_get_factory (f->view));
}

/* scroll_to () brings a far row into view. */
static void
test_scroll_to (ListFixture   *f,
                gconstpointer  data)
{
  use_signal_factory (f);
  quarry_infinite_list_view_set_auto_load (f->view, FALSE);
  show_view (f);
  load_first_page (f, 99);

  g_assert_null (find_footer (GTK_WIDGET (f->view)));
  quarry_infinite_list_view_scroll_to (f->view, 80);
  settle (f);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment (f)), >, 0);
  assert_item_shown (f, 80);
  assert_rows (f, FALSE);
}

/* ------------------------------------------------------------------------
 * Subclasses: one that only adds behaviour (no template of its own, like a
 * Python subclass) and one with a template of its own adding a banner.
 * Disposing either must tear the rows down and leak nothing.
 * ------------------------------------------------------------------------ */

typedef struct { QuarryInfiniteListView parent; } PlainFeed;
typedef struct { QuarryInfiniteListViewClass parent_class; } PlainFeedClass;
static GType plain_feed_get_type (void);
G_DEFINE_TYPE (PlainFeed, plain_feed, QUARRY_TYPE_INFINITE_LIST_VIEW)

static void plain_feed_class_init (PlainFeedClass *klass) {}
static void plain_feed_init (PlainFeed *self) {}

typedef struct { QuarryInfiniteListView parent; GtkWidget *banner; } BannerFeed;
typedef struct { QuarryInfiniteListViewClass parent_class; } BannerFeedClass;
static GType banner_feed_get_type (void);
G_DEFINE_TYPE (BannerFeed, banner_feed, QUARRY_TYPE_INFINITE_LIST_VIEW)

static const char banner_feed_ui[] =
  "<interface>"
  "  <template class=\"BannerFeed\" parent=\"QuarryInfiniteListView\">"
  "    <child>"
  "      <object class=\"GtkLabel\" id=\"banner\">"
  "        <property name=\"label\">Banner</property>"
  "      </object>"
  "    </child>"
  "  </template>"
  "</interface>";

static void
banner_feed_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), banner_feed_get_type ());
  G_OBJECT_CLASS (banner_feed_parent_class)->dispose (object);
}

static void
banner_feed_class_init (BannerFeedClass *klass)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (banner_feed_ui, sizeof banner_feed_ui - 1);

  G_OBJECT_CLASS (klass)->dispose = banner_feed_dispose;
  gtk_widget_class_set_template (GTK_WIDGET_CLASS (klass), bytes);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), BannerFeed, banner);
}

static void
banner_feed_init (BannerFeed *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Replaces the fixture's view with one of @type over the same query. */
static void
use_subclass (ListFixture *f,
              GType        type)
{
  g_assert_finalize_object (f->view);
  f->view = g_object_ref_sink (g_object_new (type, "query", f->query, NULL));
  g_signal_connect (f->view, "activate", G_CALLBACK (activate_cb), f);
  g_signal_connect (gtk_list_view_get_model (quarry_infinite_list_view_get_list_view (f->view)),
                    "items-changed", G_CALLBACK (rows_changed_cb), f);
}

/* Rows shown, then the window destroyed: no critical, every row torn down
 * by the app's factory, the view and its template children finalized
 * (checked by the teardown). */
static void
test_subclass_without_template (ListFixture   *f,
                                gconstpointer  data)
{
  GtkWidget *scrolled_window;

  use_subclass (f, plain_feed_get_type ());
  use_signal_factory (f);
  show_view (f);
  load_first_page (f, 5);
  g_assert_cmpuint (f->counts.binds, >=, 5);
  assert_item_shown (f, 4);

  scrolled_window = GTK_WIDGET (quarry_infinite_list_view_get_scrolled_window (f->view));
  g_object_add_weak_pointer (G_OBJECT (scrolled_window), (gpointer *)&scrolled_window);
  gtk_window_destroy (g_steal_pointer (&f->window));
  g_assert_finalize_object (g_steal_pointer (&f->view));
  g_assert_cmpuint (f->counts.setups, >=, 5);
  g_assert_cmpuint (f->counts.setups, ==, f->counts.teardowns);
  g_assert_cmpuint (f->counts.binds, ==, f->counts.unbinds);
  g_assert_null (scrolled_window);
  /* For the teardown. */
  f->view = QUARRY_INFINITE_LIST_VIEW (g_object_ref_sink (quarry_infinite_list_view_new (NULL, NULL)));
}

static void
test_subclass_with_template (ListFixture   *f,
                             gconstpointer  data)
{
  GtkWidget *banner;
  GtkWidget *scrolled_window;

  use_subclass (f, banner_feed_get_type ());
  banner = ((BannerFeed *)f->view)->banner;
  g_assert_true (GTK_IS_LABEL (banner));
  g_assert_true (gtk_widget_get_parent (banner) == GTK_WIDGET (f->view));
  use_signal_factory (f);
  show_view (f);
  load_first_page (f, 5);
  assert_item_shown (f, 4);

  scrolled_window = GTK_WIDGET (quarry_infinite_list_view_get_scrolled_window (f->view));
  g_object_add_weak_pointer (G_OBJECT (scrolled_window), (gpointer *)&scrolled_window);
  g_object_add_weak_pointer (G_OBJECT (banner), (gpointer *)&banner);
  gtk_window_destroy (g_steal_pointer (&f->window));
  g_assert_finalize_object (g_steal_pointer (&f->view));
  g_assert_cmpuint (f->counts.setups, >=, 5);
  g_assert_cmpuint (f->counts.setups, ==, f->counts.teardowns);
  g_assert_cmpuint (f->counts.binds, ==, f->counts.unbinds);
  g_assert_null (scrolled_window);
  g_assert_null (banner);
  f->view = QUARRY_INFINITE_LIST_VIEW (g_object_ref_sink (quarry_infinite_list_view_new (NULL, NULL)));
}

int
main (int   argc,
      char *argv[])
{
  quarry_gtk_test_init (&argc, &argv);
  label_quark = g_quark_from_static_string ("test-row-label");

#define ADD(path, func) \
  g_test_add ("/infinite-list-view/" path, ListFixture, NULL, list_setup, func, list_teardown)

  ADD ("no-rows-before-first-page", test_no_rows_before_first_page);
  ADD ("short-page-fills-viewport", test_short_page_fills_viewport);
  ADD ("long-page-loads-at-end", test_long_page_loads_at_end);
  ADD ("append-keeps-position", test_append_keeps_position);
  ADD ("threshold", test_threshold);
  ADD ("waits-for-refetch", test_waits_for_refetch);
  ADD ("hidden-view-waits", test_hidden_view_waits);
  ADD ("next-page-error-retry", test_next_page_error_retry);
  ADD ("last-page", test_last_page);
  ADD ("empty-last-page", test_empty_last_page);
  ADD ("auto-load-off", test_auto_load_off);
  ADD ("rows-model-changes", test_rows_model_changes);
  ADD ("signal-factory-rows", test_signal_factory_rows);
  ADD ("builder-factory-rows", test_builder_factory_rows);
  ADD ("factory-replaced", test_factory_replaced);
  ADD ("activate", test_activate);
  ADD ("selection", test_selection);
  ADD ("custom-model", test_custom_model);
  ADD ("keyed-model-loads-what-fills", test_keyed_model_loads_what_fills);
  ADD ("first-items-under-footer", test_first_items_under_footer);
  ADD ("properties", test_properties);
  ADD ("other-factory-refused", test_other_factory_refused);
  ADD ("scroll-to", test_scroll_to);
  ADD ("subclass-without-template", test_subclass_without_template);
  ADD ("subclass-with-template", test_subclass_with_template);

#undef ADD

  return g_test_run ();
}
