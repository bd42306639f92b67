/* test-pagination-bar.c: QuarryPaginationBar in real windows, over a query
 * on a manual clock whose fetches the test completes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-gtk-test-util.h"
#include "quarry-test-util.h"

/* The library logs with the structured API, which g_test_expect_message ()
 * does not see: expected warnings are caught by a writer function that
 * swallows the next expected QuarryGtk warning matching a pattern. */
static guint expected_warnings;
static const char *expected_pattern;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if (expected_warnings > 0 && (log_level & G_LOG_LEVEL_WARNING))
    {
      const char *domain = NULL;
      const char *message = NULL;

      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
            domain = fields[i].value;
          else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
            message = fields[i].value;
        }

      if (g_strcmp0 (domain, "QuarryGtk") == 0 && message != NULL &&
          g_pattern_match_simple (expected_pattern, message))
        {
          expected_warnings--;
          return G_LOG_WRITER_HANDLED;
        }
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
expect_warning (const char *pattern)
{
  g_assert_cmpuint (expected_warnings, ==, 0);
  expected_pattern = pattern;
  expected_warnings = 1;
}

typedef struct
{
  Fixture base;
  Fetcher *fetcher;
  QuarryQuery *query;
  QuarryPaginationBar *bar;
  GtkWidget *data_label;   /* shows the title of the query's data */
  GtkWindow *window;
  GHashTable *counts;      /* notifications of the bar */
} BarFixture;

/* The application's view of the data: a label with the page's title. */
static void
data_changed_cb (QuarryQuery *query,
                 GParamSpec  *pspec,
                 GtkLabel    *label)
{
  const GValue *value = quarry_query_get_value (query);
  const char *title = "(no data)";

  if (value != NULL && JSON_NODE_HOLDS_OBJECT ((JsonNode *) g_value_get_boxed (value)))
    title = json_object_get_string_member (json_node_get_object (g_value_get_boxed (value)), "title");
  gtk_label_set_label (label, title);
}

static void
bar_setup (BarFixture    *f,
           gconstpointer  data)
{
  fixture_setup (&f->base, data);
  f->fetcher = fetcher_new ();
  f->query = make_query (&f->base, NULL, f->fetcher);
  quarry_query_set_retry (f->query, 0);
  f->counts = g_hash_table_new (g_str_hash, g_str_equal);
  f->bar = QUARRY_PAGINATION_BAR (g_object_ref_sink (quarry_pagination_bar_new ()));
  g_signal_connect (f->bar, "notify", G_CALLBACK (count_notify_cb), f->counts);
  f->data_label = gtk_label_new ("(no data)");
  g_signal_connect_object (f->query, "notify::data", G_CALLBACK (data_changed_cb), f->data_label, 0);
}

static void
bar_teardown (BarFixture    *f,
              gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  quarry_gtk_test_settle (GTK_WIDGET (f->bar));
  g_assert_finalize_object (f->bar);
  g_assert_finalize_object (f->query);
  fetcher_free (f->fetcher);
  g_hash_table_unref (f->counts);
  fixture_teardown (&f->base, data);
  g_assert_cmpuint (expected_warnings, ==, 0);
}

static void
show_bar (BarFixture *f)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), f->data_label);
  gtk_widget_set_halign (GTK_WIDGET (f->bar), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->bar));
  f->window = quarry_gtk_test_window_new (box, 280, 100);
}

/* The button of the bar that activates @action. */
static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  if (GTK_IS_BUTTON (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
previous_button (QuarryPaginationBar *bar)
{
  return find_action_button (GTK_WIDGET (bar), "pagination.previous");
}

static GtkWidget *
next_button (QuarryPaginationBar *bar)
{
  return find_action_button (GTK_WIDGET (bar), "pagination.next");
}

static const char *
page_label (QuarryPaginationBar *bar)
{
  return gtk_label_get_label (GTK_LABEL (quarry_gtk_test_find (GTK_WIDGET (bar), GTK_TYPE_LABEL, NULL)));
}

static GtkSpinner *
bar_spinner (QuarryPaginationBar *bar)
{
  return GTK_SPINNER (quarry_gtk_test_find (GTK_WIDGET (bar), GTK_TYPE_SPINNER, NULL));
}

/* The bar shows page @page; its buttons' sensitivity and its spinner are
 * as given. */
static void
assert_bar (QuarryPaginationBar *bar,
            int                  page,
            gboolean             previous_sensitive,
            gboolean             next_sensitive,
            gboolean             loading)
{
  g_autofree char *text = g_strdup_printf ("Page %d", page);

  g_assert_cmpint (quarry_pagination_bar_get_page (bar), ==, page);
  g_assert_cmpstr (page_label (bar), ==, text);
  g_assert_cmpint (gtk_widget_is_sensitive (previous_button (bar)), ==, previous_sensitive);
  g_assert_cmpint (gtk_widget_is_sensitive (next_button (bar)), ==, next_sensitive);
  g_assert_cmpint (quarry_pagination_bar_get_is_loading (bar), ==, loading);
  g_assert_cmpint (gtk_spinner_get_spinning (bar_spinner (bar)), ==, loading);
  if (gtk_widget_get_mapped (GTK_WIDGET (bar)))
    {
      quarry_gtk_test_settle (GTK_WIDGET (bar));
      g_assert_true (quarry_gtk_test_is_showing (previous_button (bar)));
      g_assert_true (quarry_gtk_test_is_showing (next_button (bar)));
      g_assert_true (quarry_gtk_test_is_showing (GTK_WIDGET (bar_spinner (bar))));
    }
}

static void
assert_key (QuarryQuery *query,
            const char  *key_json)
{
  g_autoptr(QuarryKey) key = key_new (key_json);

  g_assert_nonnull (quarry_query_get_key (query));
  g_assert_cmpstr (quarry_key_to_string (quarry_query_get_key (query)), ==, quarry_key_to_string (key));
}

static void
assert_fetch (Fetcher    *fetcher,
              guint       index,
              const char *key_json)
{
  g_autoptr(QuarryKey) key = key_new (key_json);

  g_assert_cmpuint (index, <, fetcher->keys->len);
  g_assert_cmpstr (quarry_key_to_string (g_ptr_array_index (fetcher->keys, index)), ==,
                   quarry_key_to_string (key));
}

/* The test: the previous page stays on screen while the next one
 * loads, and next is insensitive meanwhile and on the last page. */
static void
test_keep_previous_page (BarFixture    *f,
                         gconstpointer  data)
{
  g_autoptr(QuarryKey) base = key_new ("[\"todos\", \"page\"]");
  g_autofree char *snapshot = NULL;

  g_assert_false (quarry_query_get_keep_previous_data (f->query));
  quarry_pagination_bar_set_base_key (f->bar, base);
  quarry_pagination_bar_set_query (f->bar, f->query);
  g_assert_true (quarry_query_get_keep_previous_data (f->query));
  assert_key (f->query, "[\"todos\", \"page\", 1]");
  show_bar (f);

  /* Page 1 loads. Nothing to page through before it arrives. */
  quarry_clock_flush (f->base.clock);
  g_assert_cmpuint (f->fetcher->calls, ==, 1);
  assert_fetch (f->fetcher, 0, "[\"todos\", \"page\", 1]");
  assert_bar (f->bar, 1, FALSE, FALSE, TRUE);
  fetcher_resolve_json (f->fetcher, 0, "{\"title\": \"First todos\", \"has_more\": true}");
  quarry_clock_flush (f->base.clock);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (f->data_label)), ==, "First todos");
  g_assert_true (quarry_pagination_bar_get_has_more (f->bar));
  assert_bar (f->bar, 1, FALSE, TRUE, FALSE);
  snapshot = quarry_gtk_test_snapshot (GTK_WIDGET (f->bar), "pagination-bar-page-1");
  g_clear_pointer (&snapshot, g_free);

  /* Next: page 2's key, while page 1 stays on screen as placeholder
   * data; next is insensitive and the spinner spins until page 2 comes. */
  quarry_gtk_test_click (next_button (f->bar));
  assert_key (f->query, "[\"todos\", \"page\", 2]");
  quarry_clock_flush (f->base.clock);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  assert_fetch (f->fetcher, 1, "[\"todos\", \"page\", 2]");
  g_assert_true (quarry_query_get_is_placeholder_data (f->query));
  g_assert_cmpint (quarry_query_get_status (f->query), ==, QUARRY_STATUS_SUCCESS);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (f->data_label)), ==, "First todos");
  assert_bar (f->bar, 2, TRUE, FALSE, TRUE);
  g_assert_cmpuint (count_of (f->counts, "page"), ==, 1);
  g_assert_cmpuint (count_of (f->counts, "is-loading"), ==, 3);
  snapshot = quarry_gtk_test_snapshot (GTK_WIDGET (f->bar), "pagination-bar-loading-next");
  g_clear_pointer (&snapshot, g_free);

  /* Next does nothing while the page loads. */
  quarry_pagination_bar_next_page (f->bar);
  g_assert_cmpint (quarry_pagination_bar_get_page (f->bar), ==, 2);

  /* Page 2 arrives, and it is the last. */
  fetcher_resolve_json (f->fetcher, 1, "{\"title\": \"More todos\", \"has_more\": false}");
  quarry_clock_flush (f->base.clock);
  g_assert_false (quarry_query_get_is_placeholder_data (f->query));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (f->data_label)), ==, "More todos");
  g_assert_false (quarry_pagination_bar_get_has_more (f->bar));
  assert_bar (f->bar, 2, TRUE, FALSE, FALSE);
  quarry_pagination_bar_next_page (f->bar);
  g_assert_cmpint (quarry_pagination_bar_get_page (f->bar), ==, 2);

  /* Previous: page 1 is cached, so it shows at once (and revalidates in
   * the background, no spinner); previous is insensitive on the first
   * page. */
  quarry_gtk_test_click (previous_button (f->bar));
  assert_key (f->query, "[\"todos\", \"page\", 1]");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (f->data_label)), ==, "First todos");
  g_assert_false (quarry_query_get_is_placeholder_data (f->query));
  assert_bar (f->bar, 1, FALSE, TRUE, FALSE);
  quarry_clock_flush (f->base.clock);
  g_assert_cmpuint (f->fetcher->calls, ==, 3);
  assert_fetch (f->fetcher, 2, "[\"todos\", \"page\", 1]");
  assert_bar (f->bar, 1, FALSE, TRUE, FALSE);
  fetcher_resolve_json (f->fetcher, 2, "{\"title\": \"First todos\", \"has_more\": true}");
  quarry_clock_flush (f->base.clock);
  quarry_pagination_bar_previous_page (f->bar);
  g_assert_cmpint (quarry_pagination_bar_get_page (f->bar), ==, 1);
  g_assert_cmpuint (count_of (f->counts, "page"), ==, 2);

  /* Unsetting the query gives it its keep-previous-data back. */
  quarry_pagination_bar_set_query (f->bar, NULL);
  g_assert_false (quarry_query_get_keep_previous_data (f->query));
  g_assert_false (quarry_pagination_bar_get_has_more (f->bar));
  assert_bar (f->bar, 1, FALSE, FALSE, FALSE);
}

/* A page that fails: no placeholder any more, nothing to go forward to,
 * but the way back is open. */
static void
test_next_page_fails (BarFixture    *f,
                      gconstpointer  data)
{
  g_autoptr(QuarryKey) base = key_new ("[\"todos\"]");

  quarry_pagination_bar_set_base_key (f->bar, base);
  quarry_pagination_bar_set_query (f->bar, f->query);
  show_bar (f);
  quarry_clock_flush (f->base.clock);
  fetcher_resolve_json (f->fetcher, 0, "{\"title\": \"First todos\"}");
  quarry_clock_flush (f->base.clock);
  assert_bar (f->bar, 1, FALSE, TRUE, FALSE);

  quarry_gtk_test_click (next_button (f->bar));
  quarry_clock_flush (f->base.clock);
  assert_bar (f->bar, 2, TRUE, FALSE, TRUE);
  fetcher_reject (f->fetcher, 1, "Server error");
  quarry_clock_flush (f->base.clock);
  g_assert_cmpint (quarry_query_get_status (f->query), ==, QUARRY_STATUS_ERROR);
  g_assert_false (quarry_query_get_is_placeholder_data (f->query));
  assert_bar (f->bar, 2, TRUE, FALSE, FALSE);

  quarry_gtk_test_click (previous_button (f->bar));
  assert_key (f->query, "[\"todos\", 1]");
  assert_bar (f->bar, 1, FALSE, TRUE, FALSE);
}

static void
page_changed_cb (QuarryPaginationBar *bar,
                 GParamSpec          *pspec,
                 QuarryQuery         *query)
{
  g_autofree char *json = g_strdup_printf ("[\"items\", {\"page\": %d, \"per_page\": 20}]",
                                           quarry_pagination_bar_get_page (bar));
  g_autoptr(QuarryKey) key = key_new (json);

  quarry_query_set_key (query, key);
}

/* Without a base key the application sets the key, here with the page in
 * an object; the bar leaves the key alone. */
static void
test_app_driven (BarFixture    *f,
                 gconstpointer  data)
{
  g_autoptr(QuarryKey) first = key_new ("[\"items\", {\"page\": 1, \"per_page\": 20}]");

  quarry_query_set_key (f->query, first);
  quarry_pagination_bar_set_query (f->bar, f->query);
  g_signal_connect (f->bar, "notify::page", G_CALLBACK (page_changed_cb), f->query);
  g_assert_null (quarry_pagination_bar_get_base_key (f->bar));
  assert_key (f->query, "[\"items\", {\"page\": 1, \"per_page\": 20}]");
  show_bar (f);

  quarry_clock_flush (f->base.clock);
  fetcher_resolve_json (f->fetcher, 0, "{\"title\": \"Items 1-20\", \"has_more\": true}");
  quarry_clock_flush (f->base.clock);
  assert_bar (f->bar, 1, FALSE, TRUE, FALSE);

  quarry_gtk_test_click (next_button (f->bar));
  assert_key (f->query, "[\"items\", {\"page\": 2, \"per_page\": 20}]");
  quarry_clock_flush (f->base.clock);
  assert_fetch (f->fetcher, 1, "[\"items\", {\"page\": 2, \"per_page\": 20}]");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (f->data_label)), ==, "Items 1-20");
  assert_bar (f->bar, 2, TRUE, FALSE, TRUE);
  fetcher_resolve_json (f->fetcher, 1, "{\"title\": \"Items 21-40\", \"has_more\": null}");
  quarry_clock_flush (f->base.clock);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (f->data_label)), ==, "Items 21-40");
  assert_bar (f->bar, 2, TRUE, FALSE, FALSE);

  /* The page set from code goes the same way. */
  quarry_pagination_bar_set_page (f->bar, 7);
  assert_key (f->query, "[\"items\", {\"page\": 7, \"per_page\": 20}]");
  g_assert_cmpuint (count_of (f->counts, "page"), ==, 2);
  quarry_pagination_bar_set_page (f->bar, 7);
  g_assert_cmpuint (count_of (f->counts, "page"), ==, 2);
  quarry_clock_flush (f->base.clock);
}

typedef struct
{
  const char *json;
  gboolean has_more;
} HasMoreCase;

static void
set_data (BarFixture *f,
          const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, node);
  g_assert_true (quarry_query_client_set_query_data (f->base.client, quarry_query_get_key (f->query),
                                                     &value, NULL));
  quarry_clock_flush (f->base.clock);
}

static gboolean
full_page_has_more (const GValue *data,
                    gpointer      user_data)
{
  JsonNode *node = g_value_get_boxed (data);
  guint *calls = user_data;

  (*calls)++;
  return json_array_get_length (json_object_get_array_member (json_node_get_object (node), "items")) == 2;
}

static void
count_destroy (gpointer data)
{
  guint *calls = data;

  *calls = G_MAXUINT;
}

/* How has-more is read from the data: the member's value, another member,
 * a function. */
static void
test_has_more (BarFixture    *f,
               gconstpointer  data)
{
  g_autoptr(QuarryKey) base = key_new ("[\"todos\"]");
  const HasMoreCase cases[] = {
    { "{\"title\": \"t\", \"has_more\": true}", TRUE },
    { "{\"title\": \"t\", \"has_more\": false}", FALSE },
    { "{\"title\": \"t\", \"has_more\": null}", FALSE },
    { "{\"title\": \"t\", \"has_more\": \"yes\"}", TRUE },
    { "{\"title\": \"t\"}", TRUE },
  };
  guint calls = 0;

  quarry_query_set_stale_time (f->query, QUARRY_TIME_INFINITE);
  quarry_query_set_enabled (f->query, FALSE);
  quarry_pagination_bar_set_base_key (f->bar, base);
  quarry_pagination_bar_set_query (f->bar, f->query);
  g_assert_cmpstr (quarry_pagination_bar_get_has_more_member (f->bar), ==, "has_more");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      set_data (f, cases[i].json);
      g_assert_cmpint (quarry_pagination_bar_get_has_more (f->bar), ==, cases[i].has_more);
      g_assert_cmpint (gtk_widget_is_sensitive (next_button (f->bar)), ==, cases[i].has_more);
    }

  /* Another member; then none at all: always more. */
  set_data (f, "{\"title\": \"t\", \"has_more\": false, \"more\": true}");
  g_assert_false (quarry_pagination_bar_get_has_more (f->bar));
  quarry_pagination_bar_set_has_more_member (f->bar, "more");
  g_assert_true (quarry_pagination_bar_get_has_more (f->bar));
  g_assert_cmpuint (count_of (f->counts, "has-more-member"), ==, 1);
  quarry_pagination_bar_set_has_more_member (f->bar, "more");
  g_assert_cmpuint (count_of (f->counts, "has-more-member"), ==, 1);
  quarry_pagination_bar_set_has_more_member (f->bar, "has_more");
  g_assert_false (quarry_pagination_bar_get_has_more (f->bar));
  quarry_pagination_bar_set_has_more_member (f->bar, NULL);
  g_assert_true (quarry_pagination_bar_get_has_more (f->bar));
  quarry_pagination_bar_set_has_more_member (f->bar, "has_more");

  /* Data that is not a JSON object: next stays enabled. */
  set_data (f, "[1, 2, 3]");
  g_assert_true (quarry_pagination_bar_get_has_more (f->bar));

  /* A function decides instead: a full page (two items) has more. */
  set_data (f, "{\"title\": \"t\", \"items\": [1, 2], \"has_more\": false}");
  quarry_pagination_bar_set_has_more_func (f->bar, full_page_has_more, &calls, count_destroy);
  g_assert_cmpuint (calls, ==, 1);
  g_assert_true (quarry_pagination_bar_get_has_more (f->bar));
  set_data (f, "{\"title\": \"t\", \"items\": [1]}");
  g_assert_false (quarry_pagination_bar_get_has_more (f->bar));
  g_assert_false (gtk_widget_is_sensitive (next_button (f->bar)));
  quarry_pagination_bar_set_has_more_func (f->bar, NULL, NULL, NULL);
  g_assert_cmpuint (calls, ==, G_MAXUINT);
  g_assert_true (quarry_pagination_bar_get_has_more (f->bar));
}

static void
count_key_cb (QuarryQuery *query,
              GParamSpec  *pspec,
              guint       *count)
{
  (*count)++;
}

/* The application moves the query to another page itself (a deep link, a
 * "go to page" entry): the bar adopts the page without setting the key
 * again. A key that is not the base key with a page leaves the page as it
 * is. */
static void
test_external_key (BarFixture    *f,
                   gconstpointer  data)
{
  g_autoptr(QuarryKey) base = key_new ("[\"todos\", \"page\"]");
  g_autoptr(QuarryKey) page3 = key_new ("[\"todos\", \"page\", 3]");
  g_autoptr(QuarryKey) page0 = key_new ("[\"todos\", \"page\", 0]");
  g_autoptr(QuarryKey) other = key_new ("[\"users\", \"page\", 7]");
  g_autoptr(QuarryKey) longer = key_new ("[\"todos\", \"page\", 5, 1]");
  g_autoptr(QuarryKey) text = key_new ("[\"todos\", \"page\", \"5\"]");
  guint key_changes = 0;

  quarry_pagination_bar_set_base_key (f->bar, base);
  quarry_pagination_bar_set_query (f->bar, f->query);
  show_bar (f);
  quarry_clock_flush (f->base.clock);
  fetcher_resolve_json (f->fetcher, 0, "{\"title\": \"Page 1\", \"has_more\": true}");
  quarry_clock_flush (f->base.clock);
  assert_bar (f->bar, 1, FALSE, TRUE, FALSE);
  g_assert_cmpuint (count_of (f->counts, "page"), ==, 0);
  g_signal_connect (f->query, "notify::key", G_CALLBACK (count_key_cb), &key_changes);

  /* The app jumps to page 3: the bar follows, once, and leaves the key. */
  quarry_query_set_key (f->query, page3);
  g_assert_cmpuint (key_changes, ==, 1);
  assert_key (f->query, "[\"todos\", \"page\", 3]");
  g_assert_cmpuint (count_of (f->counts, "page"), ==, 1);
  quarry_clock_flush (f->base.clock);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  assert_fetch (f->fetcher, 1, "[\"todos\", \"page\", 3]");
  assert_bar (f->bar, 3, TRUE, FALSE, TRUE);
  fetcher_resolve_json (f->fetcher, 1, "{\"title\": \"Page 3\", \"has_more\": true}");
  quarry_clock_flush (f->base.clock);
  assert_bar (f->bar, 3, TRUE, TRUE, FALSE);

  /* Next goes on from there. */
  quarry_gtk_test_click (next_button (f->bar));
  assert_key (f->query, "[\"todos\", \"page\", 4]");
  g_assert_cmpuint (key_changes, ==, 2);
  g_assert_cmpuint (count_of (f->counts, "page"), ==, 2);
  quarry_clock_flush (f->base.clock);
  assert_fetch (f->fetcher, 2, "[\"todos\", \"page\", 4]");
  fetcher_resolve_json (f->fetcher, 2, "{\"title\": \"Page 4\", \"has_more\": true}");
  quarry_clock_flush (f->base.clock);
  assert_bar (f->bar, 4, TRUE, TRUE, FALSE);

  /* Keys that are not the base key with a page number (not less than the
   * first page) leave the page alone, and the bar does not fight them. */
  quarry_query_set_key (f->query, other);
  quarry_query_set_key (f->query, longer);
  quarry_query_set_key (f->query, text);
  quarry_query_set_key (f->query, page0);
  g_assert_cmpuint (key_changes, ==, 6);
  assert_key (f->query, "[\"todos\", \"page\", 0]");
  g_assert_cmpint (quarry_pagination_bar_get_page (f->bar), ==, 4);
  g_assert_cmpuint (count_of (f->counts, "page"), ==, 2);

  /* The next page change sets the key from the base key again. */
  quarry_pagination_bar_set_page (f->bar, 2);
  assert_key (f->query, "[\"todos\", \"page\", 2]");
  g_assert_cmpuint (count_of (f->counts, "page"), ==, 3);

  /* With first-page 0, page 0 is a page like any other. */
  quarry_pagination_bar_set_first_page (f->bar, 0);
  quarry_query_set_key (f->query, page0);
  g_assert_cmpint (quarry_pagination_bar_get_page (f->bar), ==, 0);
  g_assert_cmpuint (count_of (f->counts, "page"), ==, 4);
  assert_key (f->query, "[\"todos\", \"page\", 0]");
  quarry_clock_flush (f->base.clock);

  g_signal_handlers_disconnect_by_func (f->query, count_key_cb, &key_changes);
}

/* The has-more function's data is freed when the bar is disposed, not
 * only when it is finalized: the data may hold the bar (a Python closure
 * over it), a cycle that only dispose can break. */
static void
test_has_more_func_freed_at_dispose (BarFixture    *f,
                                     gconstpointer  data)
{
  guint calls = 0;

  quarry_pagination_bar_set_has_more_func (f->bar, full_page_has_more, &calls, count_destroy);
  g_object_ref (f->bar);
  g_object_run_dispose (G_OBJECT (f->bar));
  g_assert_cmpuint (calls, ==, G_MAXUINT);
  g_object_unref (f->bar);
}

/* A subclass overrides the virtual function: a page has more when its
 * "next" member is not null, as a cursor-paged API says. */
typedef struct
{
  QuarryPaginationBar parent_instance;
} TestCursorBar;

typedef struct
{
  QuarryPaginationBarClass parent_class;
} TestCursorBarClass;

GType test_cursor_bar_get_type (void);
G_DEFINE_TYPE (TestCursorBar, test_cursor_bar, QUARRY_TYPE_PAGINATION_BAR)

static gboolean
test_cursor_bar_has_more (QuarryPaginationBar *bar,
                          const GValue        *data)
{
  JsonObject *object = json_node_get_object (g_value_get_boxed (data));

  return !json_object_get_null_member (object, "next");
}

static void
test_cursor_bar_class_init (TestCursorBarClass *klass)
{
  QUARRY_PAGINATION_BAR_CLASS (klass)->has_more = test_cursor_bar_has_more;
}

static void
test_cursor_bar_init (TestCursorBar *self)
{
}

static void
test_has_more_subclass (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) base = key_new ("[\"cursor\"]");
  QuarryQuery *query = make_query (f, NULL, fetcher);
  QuarryPaginationBar *bar = g_object_new (test_cursor_bar_get_type (),
                                           "base-key", base,
                                           "query", query,
                                           NULL);
  GtkWindow *window;

  g_object_ref_sink (bar);
  window = quarry_gtk_test_window_new (GTK_WIDGET (bar), 200, 60);
  g_assert_cmpstr (page_label (bar), ==, "Page 1");
  quarry_clock_flush (f->clock);
  fetcher_resolve_json (fetcher, 0, "{\"next\": \"abc\", \"has_more\": false}");
  quarry_clock_flush (f->clock);
  g_assert_true (quarry_pagination_bar_get_has_more (bar));

  quarry_gtk_test_click (next_button (bar));
  quarry_clock_flush (f->clock);
  fetcher_resolve_json (fetcher, 1, "{\"next\": null, \"has_more\": true}");
  quarry_clock_flush (f->clock);
  g_assert_false (quarry_pagination_bar_get_has_more (bar));
  assert_bar (bar, 2, TRUE, FALSE, FALSE);

  gtk_window_destroy (window);
  quarry_gtk_test_settle (GTK_WIDGET (bar));
  g_assert_finalize_object (bar);
  g_assert_finalize_object (query);
}

/* APIs that count pages from zero. */
static void
test_first_page (BarFixture    *f,
                 gconstpointer  data)
{
  g_autoptr(QuarryKey) base = key_new ("[\"todos\"]");

  g_assert_cmpint (quarry_pagination_bar_get_first_page (f->bar), ==, 1);
  g_assert_cmpint (quarry_pagination_bar_get_page (f->bar), ==, 1);

  /* The page follows the first page until it is set. */
  quarry_pagination_bar_set_first_page (f->bar, 0);
  g_assert_cmpint (quarry_pagination_bar_get_page (f->bar), ==, 0);
  g_assert_cmpuint (count_of (f->counts, "first-page"), ==, 1);
  g_assert_cmpuint (count_of (f->counts, "page"), ==, 1);
  quarry_pagination_bar_set_base_key (f->bar, base);
  quarry_pagination_bar_set_query (f->bar, f->query);
  assert_key (f->query, "[\"todos\", 0]");
  show_bar (f);
  quarry_clock_flush (f->base.clock);
  fetcher_resolve_json (f->fetcher, 0, "{\"title\": \"Zero\", \"has_more\": true}");
  quarry_clock_flush (f->base.clock);
  assert_bar (f->bar, 0, FALSE, TRUE, FALSE);

  /* Once set, the page stays when the first page moves below it, and is
   * raised when it moves above it. A page before the first is the
   * first. */
  quarry_pagination_bar_set_page (f->bar, 3);
  assert_key (f->query, "[\"todos\", 3]");
  quarry_pagination_bar_set_first_page (f->bar, 1);
  g_assert_cmpint (quarry_pagination_bar_get_page (f->bar), ==, 3);
  quarry_pagination_bar_set_first_page (f->bar, 5);
  g_assert_cmpint (quarry_pagination_bar_get_page (f->bar), ==, 5);
  assert_key (f->query, "[\"todos\", 5]");
  quarry_pagination_bar_set_page (f->bar, 2);
  g_assert_cmpint (quarry_pagination_bar_get_page (f->bar), ==, 5);
  quarry_clock_flush (f->base.clock);
}

/* Built from a .ui string, the query handed in by the application. */
static void
test_builder (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(QuarryKey) base = NULL;
  g_autofree char *base_json = NULL;
  QuarryQuery *query = make_query (f, NULL, fetcher);
  QuarryPaginationBar *bar;
  GtkWindow *window;
  int first_page, page;
  const char *ui =
    "<interface>"
    "  <object class='GtkWindow' id='window'>"
    "    <property name='default-width'>240</property>"
    "    <property name='child'>"
    "      <object class='QuarryPaginationBar' id='bar'>"
    "        <property name='page'>0</property>"
    "        <property name='first-page'>0</property>"
    "        <property name='base-key-json'>[\"todos\", {\"per_page\": 10}]</property>"
    "        <property name='has-more-member'>more</property>"
    "        <property name='query'>todos</property>"
    "        <property name='halign'>center</property>"
    "      </object>"
    "    </property>"
    "  </object>"
    "</interface>";

  gtk_builder_expose_object (builder, "todos", G_OBJECT (query));
  g_assert_true (gtk_builder_add_from_string (builder, ui, -1, &error));
  g_assert_no_error (error);
  bar = QUARRY_PAGINATION_BAR (gtk_builder_get_object (builder, "bar"));
  window = GTK_WINDOW (gtk_builder_get_object (builder, "window"));

  g_object_get (bar, "first-page", &first_page, "page", &page, "base-key-json", &base_json, NULL);
  g_assert_cmpint (first_page, ==, 0);
  g_assert_cmpint (page, ==, 0);
  g_assert_cmpstr (base_json, ==, "[\"todos\",{\"per_page\":10}]");
  g_assert_true (quarry_pagination_bar_get_query (bar) == query);
  g_assert_cmpstr (quarry_pagination_bar_get_has_more_member (bar), ==, "more");
  g_assert_true (quarry_query_get_keep_previous_data (query));
  assert_key (query, "[\"todos\", {\"per_page\": 10}, 0]");

  gtk_window_present (window);
  SPIN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  quarry_clock_flush (f->clock);
  fetcher_resolve_json (fetcher, 0, "{\"title\": \"t\", \"more\": true}");
  quarry_clock_flush (f->clock);
  assert_bar (bar, 0, FALSE, TRUE, FALSE);

  /* The actions work from inside the bar as the buttons use them. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar_spinner (bar)), "pagination.next", NULL));
  assert_key (query, "[\"todos\", {\"per_page\": 10}, 1]");
  assert_bar (bar, 1, TRUE, FALSE, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar_spinner (bar)), "pagination.previous", NULL));
  assert_key (query, "[\"todos\", {\"per_page\": 10}, 0]");

  /* Text that is not a key: a warning, and no base key. The query keeps
   * its key. */
  expect_warning ("*base-key-json is not a key*");
  g_object_set (bar, "base-key-json", "{\"not\": \"an array\"}", NULL);
  g_assert_cmpuint (expected_warnings, ==, 0);
  g_assert_null (quarry_pagination_bar_get_base_key (bar));
  assert_key (query, "[\"todos\", {\"per_page\": 10}, 0]");
  quarry_pagination_bar_set_page (bar, 4);
  assert_key (query, "[\"todos\", {\"per_page\": 10}, 0]");
  base = key_new ("[\"todos\"]");
  g_object_set (bar, "base-key", base, NULL);
  assert_key (query, "[\"todos\", 4]");

  quarry_clock_flush (f->clock);
  gtk_window_destroy (window);
  quarry_gtk_test_settle (GTK_WIDGET (bar));
  g_clear_object (&builder);
  g_assert_finalize_object (query);
}

int
main (int   argc,
      char *argv[])
{
  quarry_gtk_test_init (&argc, &argv);
  g_log_set_writer_func (log_writer, NULL, NULL);

#define ADD(path, func) g_test_add (path, BarFixture, NULL, bar_setup, func, bar_teardown)
  ADD ("/PaginationBar/keep-previous-page", test_keep_previous_page);
  ADD ("/PaginationBar/next-page-fails", test_next_page_fails);
  ADD ("/PaginationBar/app-driven", test_app_driven);
  ADD ("/PaginationBar/has-more", test_has_more);
  ADD ("/PaginationBar/first-page", test_first_page);
  ADD ("/PaginationBar/external-key", test_external_key);
  ADD ("/PaginationBar/has-more-func-freed-at-dispose", test_has_more_func_freed_at_dispose);
#undef ADD
  g_test_add ("/PaginationBar/has-more-subclass", Fixture, NULL,
              fixture_setup, test_has_more_subclass, fixture_teardown);
  g_test_add ("/PaginationBar/builder", Fixture, NULL,
              fixture_setup, test_builder, fixture_teardown);

  return g_test_run ();
}
