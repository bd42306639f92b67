/* test-query-view.c: QuarryQueryView in real windows, driven by a query on a
 * manual clock whose fetches the test completes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-gtk-test-util.h"
#include "quarry-test-util.h"

typedef struct
{
  Fixture base;
  Fetcher *fetcher;
  QuarryQuery *query;
  QuarryQueryView *view;
  GtkWidget *content;
  GtkWindow *window;
  GArray *states;      /* QuarryQueryViewState, each notified value */
} ViewFixture;

static void
state_notify_cb (QuarryQueryView *view,
                 GParamSpec      *pspec,
                 GArray          *states)
{
  QuarryQueryViewState state = quarry_query_view_get_state (view);

  g_array_append_val (states, state);
}

static GtkWidget *
make_content (void)
{
  GtkWidget *list = gtk_list_box_new ();
  const char *titles[] = { "Buy milk", "Walk the dog", "Call mum" };

  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      GtkWidget *label = gtk_label_new (titles[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_append (GTK_LIST_BOX (list), label);
    }
  return list;
}

/* A view of a query on ["todos"] (retry off) with a list as content, not
 * yet in a window. */
static void
view_setup (ViewFixture   *f,
            gconstpointer  data)
{
  fixture_setup (&f->base, data);
  f->fetcher = fetcher_new ();
  f->query = make_query (&f->base, "[\"todos\"]", f->fetcher);
  quarry_query_set_retry (f->query, 0);
  f->states = g_array_new (FALSE, FALSE, sizeof (QuarryQueryViewState));

  f->view = QUARRY_QUERY_VIEW (g_object_ref_sink (quarry_query_view_new ()));
  g_signal_connect (f->view, "notify::state", G_CALLBACK (state_notify_cb), f->states);
  f->content = make_content ();
  quarry_query_view_set_child (f->view, f->content);
  quarry_query_view_set_query (f->view, f->query);
}

static void
view_teardown (ViewFixture   *f,
               gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  g_assert_finalize_object (f->view);
  g_assert_finalize_object (f->query);
  fetcher_free (f->fetcher);
  g_array_unref (f->states);
  fixture_teardown (&f->base, data);
}

static void
show_view (ViewFixture *f)
{
  f->window = quarry_gtk_test_window_new (GTK_WIDGET (f->view), 360, 360);
  quarry_clock_flush (f->base.clock);
  quarry_gtk_test_settle (GTK_WIDGET (f->view));
}

static GtkStack *
view_stack (QuarryQueryView *view)
{
  return GTK_STACK (quarry_gtk_test_find (GTK_WIDGET (view), GTK_TYPE_STACK, NULL));
}

static GtkWidget *
view_overlay (QuarryQueryView *view)
{
  return quarry_gtk_test_find (GTK_WIDGET (view), GTK_TYPE_OVERLAY, NULL);
}

/* The overlay child of @type over the pages: the refetch indicator. */
static GtkWidget *
overlay_child (QuarryQueryView *view,
               GType            type)
{
  GtkWidget *overlay = view_overlay (view);

  for (GtkWidget *child = gtk_widget_get_first_child (overlay);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
      return child;

  g_assert_not_reached ();
}

/* The bubble over the content during a refetch, and its spinner. */
static GtkWidget *
refetch_indicator (QuarryQueryView *view)
{
  GtkWidget *indicator = overlay_child (view, GTK_TYPE_BOX);

  g_assert_true (gtk_widget_has_css_class (indicator, "refetch-indicator"));
  return indicator;
}

static GtkWidget *
refetch_spinner (QuarryQueryView *view)
{
  GtkWidget *spinner = gtk_widget_get_first_child (refetch_indicator (view));

  g_assert_true (GTK_IS_SPINNER (spinner));
  return spinner;
}

/* The refetch error strip, above the pages. */
static GtkRevealer *
error_strip (QuarryQueryView *view)
{
  GtkWidget *strip = gtk_widget_get_prev_sibling (view_overlay (view));

  g_assert_true (GTK_IS_REVEALER (strip));
  return GTK_REVEALER (strip);
}

static GtkWidget *
find_button_with_icon (GtkWidget  *root,
                       const char *icon_name)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (root)), icon_name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_icon (child, icon_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
visible_page (QuarryQueryView *view)
{
  return gtk_stack_get_visible_child (view_stack (view));
}

/* The view is in @state and shows the page named @name, drawn, and no
 * other page. */
static void
assert_page (QuarryQueryView      *view,
             QuarryQueryViewState  state,
             const char           *name)
{
  GtkStack *stack = view_stack (view);

  g_assert_cmpint (quarry_query_view_get_state (view), ==, state);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, name);

  if (!gtk_widget_get_mapped (GTK_WIDGET (view)))
    return;

  quarry_gtk_test_settle (GTK_WIDGET (view));
  g_assert_true (quarry_gtk_test_is_showing (gtk_stack_get_visible_child (stack)));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != gtk_stack_get_visible_child (stack))
      g_assert_false (gtk_widget_get_child_visible (child) && gtk_widget_get_mapped (child));
}

static void
assert_states (GArray                     *states,
               const QuarryQueryViewState *expected,
               guint                       n_expected)
{
  g_assert_cmpmem (states->data, states->len * sizeof (QuarryQueryViewState),
                   expected, n_expected * sizeof (QuarryQueryViewState));
}

#define ASSERT_STATES(states, ...)                                          \
  G_STMT_START {                                                            \
    const QuarryQueryViewState _expected[] = { __VA_ARGS__ };               \
    assert_states (states, _expected, G_N_ELEMENTS (_expected));           \
  } G_STMT_END

#define LOADING QUARRY_QUERY_VIEW_STATE_LOADING
#define ERROR   QUARRY_QUERY_VIEW_STATE_ERROR
#define EMPTY   QUARRY_QUERY_VIEW_STATE_EMPTY
#define CONTENT QUARRY_QUERY_VIEW_STATE_CONTENT

static void
snapshot (GtkWidget  *widget,
          const char *name)
{
  g_autofree char *path = quarry_gtk_test_snapshot (widget, name);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* Resolves the first fetch with a non-empty list and checks the content. */
static void
show_content (ViewFixture *f)
{
  g_assert_cmpuint (f->fetcher->calls, ==, 1);
  fetcher_resolve_json (f->fetcher, 0, "[{\"id\":1,\"title\":\"Buy milk\"}]");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, CONTENT, "content");
  g_assert_true (visible_page (f->view) == f->content);
}

/* --- tests ---------------------------------------------------------------- */

static void
test_defaults (void)
{
  QuarryQueryView *view = QUARRY_QUERY_VIEW (g_object_ref_sink (quarry_query_view_new ()));
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GtkWidget) label = g_object_ref_sink (gtk_label_new ("content"));
  GtkWidget *retry;

  g_assert_cmpstr (gtk_widget_get_css_name (GTK_WIDGET (view)), ==, "queryview");
  g_assert_null (quarry_query_view_get_query (view));
  g_assert_null (quarry_query_view_get_child (view));
  g_assert_null (quarry_query_view_get_loading_widget (view));
  g_assert_null (quarry_query_view_get_error_widget (view));
  g_assert_null (quarry_query_view_get_empty_widget (view));
  g_assert_null (quarry_query_view_get_model (view));
  g_assert_cmpstr (quarry_query_view_get_empty_title (view), ==, "Nothing Here");
  g_assert_null (quarry_query_view_get_empty_description (view));
  g_assert_cmpstr (quarry_query_view_get_empty_icon_name (view), ==, "folder-symbolic");
  g_assert_true (quarry_query_view_get_track_visibility (view));
  g_assert_true (quarry_query_view_get_show_refetch_indicator (view));

  /* Without a query there is nothing to show, and nothing to retry. */
  assert_page (view, EMPTY, "empty");
  retry = quarry_gtk_test_find (GTK_WIDGET (view), GTK_TYPE_BUTTON, "_Retry");
  g_assert_nonnull (retry);
  g_assert_false (gtk_widget_get_sensitive (retry));

  /* Setters notify only on change. */
  g_signal_connect (view, "notify", G_CALLBACK (count_notify_cb), counts);
  quarry_query_view_set_empty_title (view, "Nothing Here");
  quarry_query_view_set_empty_description (view, NULL);
  quarry_query_view_set_empty_icon_name (view, "folder-symbolic");
  quarry_query_view_set_track_visibility (view, TRUE);
  quarry_query_view_set_show_refetch_indicator (view, TRUE);
  quarry_query_view_set_query (view, NULL);
  quarry_query_view_set_model (view, NULL);
  quarry_query_view_set_child (view, NULL);
  quarry_query_view_set_empty_widget (view, NULL);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);

  quarry_query_view_set_empty_title (view, "No Todos");
  quarry_query_view_set_empty_title (view, "No Todos");
  quarry_query_view_set_child (view, label);
  quarry_query_view_set_child (view, label);
  quarry_query_view_set_track_visibility (view, FALSE);
  quarry_query_view_set_track_visibility (view, FALSE);
  g_assert_cmpuint (count_of (counts, "empty-title"), ==, 1);
  g_assert_cmpuint (count_of (counts, "child"), ==, 1);
  g_assert_cmpuint (count_of (counts, "track-visibility"), ==, 1);
  g_assert_cmpuint (count_of (counts, "state"), ==, 0);
  g_assert_true (quarry_query_view_get_child (view) == label);
  g_assert_true (gtk_widget_is_ancestor (label, GTK_WIDGET (view)));

  /* The view expands as its content does, no more. */
  g_assert_false (gtk_widget_compute_expand (GTK_WIDGET (view), GTK_ORIENTATION_VERTICAL));
  g_assert_false (gtk_widget_compute_expand (GTK_WIDGET (view), GTK_ORIENTATION_HORIZONTAL));
  gtk_widget_set_vexpand (label, TRUE);
  g_assert_true (gtk_widget_compute_expand (GTK_WIDGET (view), GTK_ORIENTATION_VERTICAL));
  g_assert_false (gtk_widget_compute_expand (GTK_WIDGET (view), GTK_ORIENTATION_HORIZONTAL));

  /* g_object_get() goes through the same getters. */
  {
    g_autofree char *title = NULL;
    QuarryQueryViewState state;
    gboolean track;

    g_object_get (view, "empty-title", &title, "state", &state, "track-visibility", &track, NULL);
    g_assert_cmpstr (title, ==, "No Todos");
    g_assert_cmpint (state, ==, EMPTY);
    g_assert_false (track);
  }

  g_assert_finalize_object (view);
  g_assert_null (gtk_widget_get_parent (label));
}

static void
test_loading_then_content (ViewFixture   *f,
                           gconstpointer  data)
{
  GtkWidget *page;

  /* Not mapped yet: tied to the view, the query is not subscribed, so it
   * has not fetched; it will as soon as the view shows. */
  quarry_clock_flush (f->base.clock);
  g_assert_cmpuint (f->fetcher->calls, ==, 0);
  assert_page (f->view, LOADING, "loading");

  show_view (f);
  g_assert_cmpuint (f->fetcher->calls, ==, 1);
  g_assert_true (quarry_query_get_is_loading (f->query));
  assert_page (f->view, LOADING, "loading");
  page = visible_page (f->view);
  g_assert_true (gtk_widget_has_css_class (page, "loading"));
  g_assert_true (quarry_gtk_test_is_showing (quarry_gtk_test_find (page, GTK_TYPE_LABEL, "Loading…")));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (quarry_gtk_test_find (page, GTK_TYPE_SPINNER, NULL))));
  g_assert_false (gtk_widget_get_visible (refetch_indicator (f->view)));
  g_assert_false (gtk_revealer_get_reveal_child (error_strip (f->view)));
  snapshot (GTK_WIDGET (f->window), "query-view-loading");

  show_content (f);
  g_assert_true (quarry_gtk_test_is_showing (f->content));
  g_assert_false (gtk_widget_get_visible (refetch_indicator (f->view)));
  g_assert_false (gtk_revealer_get_reveal_child (error_strip (f->view)));
  snapshot (GTK_WIDGET (f->window), "query-view-content");

  ASSERT_STATES (f->states, LOADING, CONTENT);
}

static void
test_error_retry (ViewFixture   *f,
                  gconstpointer  data)
{
  GtkWidget *page, *retry;

  show_view (f);
  assert_page (f->view, LOADING, "loading");

  fetcher_reject (f->fetcher, 0, "The server exploded");
  quarry_clock_flush (f->base.clock);
  g_assert_true (quarry_query_get_is_loading_error (f->query));
  assert_page (f->view, ERROR, "error");
  page = visible_page (f->view);
  g_assert_true (gtk_widget_has_css_class (page, "error"));
  g_assert_true (quarry_gtk_test_is_showing (quarry_gtk_test_find (page, GTK_TYPE_LABEL, "Could Not Load")));
  g_assert_true (quarry_gtk_test_is_showing (quarry_gtk_test_find (page, GTK_TYPE_LABEL, "The server exploded")));
  /* No data: no refetch strip over the error page. */
  g_assert_false (gtk_revealer_get_reveal_child (error_strip (f->view)));
  snapshot (GTK_WIDGET (f->window), "query-view-error");

  retry = quarry_gtk_test_find (page, GTK_TYPE_BUTTON, "_Retry");
  quarry_gtk_test_click (retry);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  g_assert_true (quarry_query_get_is_fetching (f->query));
  assert_page (f->view, LOADING, "loading");

  fetcher_resolve_json (f->fetcher, 1, "[{\"id\":1}]");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, CONTENT, "content");
  g_assert_true (quarry_gtk_test_is_showing (f->content));

  ASSERT_STATES (f->states, LOADING, ERROR, LOADING, CONTENT);
}

static void
test_error_message_follows (ViewFixture   *f,
                            gconstpointer  data)
{
  show_view (f);
  fetcher_reject (f->fetcher, 0, "First failure");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, ERROR, "error");

  /* A fetch the user did not ask for (here a refetch from code) that fails
   * again shows the new message; while it runs, the spinner shows. */
  quarry_query_refetch (f->query);
  assert_page (f->view, LOADING, "loading");
  fetcher_reject (f->fetcher, 1, "Second failure");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, ERROR, "error");
  g_assert_nonnull (quarry_gtk_test_find (visible_page (f->view), GTK_TYPE_LABEL, "Second failure"));
  g_assert_null (quarry_gtk_test_find (visible_page (f->view), GTK_TYPE_LABEL, "First failure"));

  ASSERT_STATES (f->states, LOADING, ERROR, LOADING, ERROR);
}

static void
test_empty_list (ViewFixture   *f,
                 gconstpointer  data)
{
  GtkWidget *page, *icon;

  quarry_query_view_set_empty_title (f->view, "No Todos");
  quarry_query_view_set_empty_description (f->view, "Add a todo with the + button.");
  quarry_query_view_set_empty_icon_name (f->view, "checkbox-checked-symbolic");
  show_view (f);

  fetcher_resolve_json (f->fetcher, 0, "[]");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, EMPTY, "empty");
  page = visible_page (f->view);
  g_assert_true (gtk_widget_has_css_class (page, "empty"));
  g_assert_true (quarry_gtk_test_is_showing (quarry_gtk_test_find (page, GTK_TYPE_LABEL, "No Todos")));
  g_assert_true (quarry_gtk_test_is_showing (quarry_gtk_test_find (page, GTK_TYPE_LABEL,
                                                                   "Add a todo with the + button.")));
  icon = quarry_gtk_test_find (page, GTK_TYPE_IMAGE, NULL);
  g_assert_true (quarry_gtk_test_is_showing (icon));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, "checkbox-checked-symbolic");
  g_assert_false (quarry_gtk_test_is_showing (f->content));
  snapshot (GTK_WIDGET (f->window), "query-view-empty");

  /* The page follows its properties; unset texts and icon are hidden. */
  quarry_query_view_set_empty_title (f->view, "Nothing To Do");
  quarry_query_view_set_empty_description (f->view, NULL);
  quarry_query_view_set_empty_icon_name (f->view, NULL);
  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  g_assert_true (quarry_gtk_test_is_showing (quarry_gtk_test_find (page, GTK_TYPE_LABEL, "Nothing To Do")));
  g_assert_null (quarry_gtk_test_find (page, GTK_TYPE_LABEL, "Add a todo with the + button."));
  g_assert_false (gtk_widget_get_visible (icon));
  for (GtkWidget *child = gtk_widget_get_first_child (page); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), "Nothing To Do") != 0)
      g_assert_false (gtk_widget_get_visible (child));

  /* A refetch that brings items shows them. */
  quarry_query_refetch (f->query);
  assert_page (f->view, EMPTY, "empty");
  g_assert_true (gtk_widget_get_visible (refetch_indicator (f->view)));
  fetcher_resolve_json (f->fetcher, 1, "[{\"id\":1}]");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, CONTENT, "content");

  ASSERT_STATES (f->states, LOADING, EMPTY, CONTENT);
}

static void
test_custom_pages_code (ViewFixture   *f,
                        gconstpointer  data)
{
  GtkWidget *loading = gtk_label_new ("Fetching todos");
  GtkWidget *error = gtk_button_new_with_label ("Try Again");
  GtkWidget *empty = gtk_label_new ("No todos yet");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);

  gulong handler = g_signal_connect (f->view, "notify", G_CALLBACK (count_notify_cb), counts);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (error), "query-view.retry");
  quarry_query_view_set_loading_widget (f->view, loading);
  quarry_query_view_set_error_widget (f->view, error);
  quarry_query_view_set_empty_widget (f->view, empty);
  g_assert_cmpuint (count_of (counts, "loading-widget"), ==, 1);
  g_assert_cmpuint (count_of (counts, "error-widget"), ==, 1);
  g_assert_cmpuint (count_of (counts, "empty-widget"), ==, 1);
  g_assert_true (quarry_query_view_get_loading_widget (f->view) == loading);
  g_assert_true (quarry_query_view_get_error_widget (f->view) == error);
  g_assert_true (quarry_query_view_get_empty_widget (f->view) == empty);
  g_signal_handler_disconnect (f->view, handler);

  show_view (f);
  assert_page (f->view, LOADING, "loading");
  g_assert_true (visible_page (f->view) == loading);
  g_assert_true (quarry_gtk_test_is_showing (loading));

  /* Back to the default while on show: the default page shows at once. */
  quarry_query_view_set_loading_widget (f->view, NULL);
  assert_page (f->view, LOADING, "loading");
  g_assert_null (quarry_query_view_get_loading_widget (f->view));
  g_assert_true (quarry_gtk_test_is_showing (quarry_gtk_test_find (visible_page (f->view), GTK_TYPE_LABEL,
                                                                   "Loading…")));

  fetcher_reject (f->fetcher, 0, "The server exploded");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, ERROR, "error");
  g_assert_true (visible_page (f->view) == error);

  /* The app's own button retries through the view's action. */
  quarry_gtk_test_click (error);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  assert_page (f->view, LOADING, "loading");

  fetcher_resolve_json (f->fetcher, 1, "[]");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, EMPTY, "empty");
  g_assert_true (visible_page (f->view) == empty);
  g_assert_true (quarry_gtk_test_is_showing (empty));

  /* Replacing the custom page on show by another. */
  {
    GtkWidget *other = gtk_label_new ("Still nothing");

    quarry_query_view_set_empty_widget (f->view, other);
    assert_page (f->view, EMPTY, "empty");
    g_assert_true (visible_page (f->view) == other);
    g_assert_true (quarry_gtk_test_is_showing (other));
  }

  ASSERT_STATES (f->states, LOADING, ERROR, LOADING, EMPTY);
}

static const char builder_ui[] =
  "<interface>"
  "  <object class='QuarryQueryView' id='view'>"
  "    <property name='empty-title'>No Todos</property>"
  "    <child type='loading'>"
  "      <object class='GtkLabel' id='loading'><property name='label'>Fetching todos</property></object>"
  "    </child>"
  "    <child type='error'>"
  "      <object class='GtkButton' id='error'>"
  "        <property name='label'>Try Again</property>"
  "        <property name='action-name'>query-view.retry</property>"
  "      </object>"
  "    </child>"
  "    <child type='empty'>"
  "      <object class='GtkLabel' id='empty'><property name='label'>No todos yet</property></object>"
  "    </child>"
  "    <child>"
  "      <object class='GtkLabel' id='content'><property name='label'>Todos</property></object>"
  "    </child>"
  "    <child>"
  "      <object class='GtkGestureClick' id='click'/>"
  "    </child>"
  "  </object>"
  "</interface>";

static void
test_custom_pages_builder (ViewFixture   *f,
                           gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_string (builder_ui, -1);
  QuarryQueryView *view = QUARRY_QUERY_VIEW (gtk_builder_get_object (builder, "view"));
  GtkWidget *loading = GTK_WIDGET (gtk_builder_get_object (builder, "loading"));
  GtkWidget *error = GTK_WIDGET (gtk_builder_get_object (builder, "error"));
  GtkWidget *empty = GTK_WIDGET (gtk_builder_get_object (builder, "empty"));
  GtkWidget *content = GTK_WIDGET (gtk_builder_get_object (builder, "content"));
  GtkEventController *click = GTK_EVENT_CONTROLLER (gtk_builder_get_object (builder, "click"));
  GtkWindow *window;

  g_assert_true (QUARRY_IS_QUERY_VIEW (view));
  g_assert_true (quarry_query_view_get_loading_widget (view) == loading);
  g_assert_true (quarry_query_view_get_error_widget (view) == error);
  g_assert_true (quarry_query_view_get_empty_widget (view) == empty);
  g_assert_true (quarry_query_view_get_child (view) == content);
  g_assert_cmpstr (quarry_query_view_get_empty_title (view), ==, "No Todos");
  /* Anything else goes to GtkWidget: an event controller is added as one. */
  g_assert_true (gtk_event_controller_get_widget (click) == GTK_WIDGET (view));
  assert_page (view, EMPTY, "empty");

  quarry_query_view_set_query (view, f->query);
  window = quarry_gtk_test_window_new (GTK_WIDGET (view), 360, 360);
  quarry_clock_flush (f->base.clock);
  assert_page (view, LOADING, "loading");
  g_assert_true (quarry_gtk_test_is_showing (loading));

  fetcher_reject (f->fetcher, 0, "The server exploded");
  quarry_clock_flush (f->base.clock);
  assert_page (view, ERROR, "error");
  g_assert_true (quarry_gtk_test_is_showing (error));
  quarry_gtk_test_click (error);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  assert_page (view, LOADING, "loading");

  fetcher_resolve_json (f->fetcher, 1, "[1, 2]");
  quarry_clock_flush (f->base.clock);
  assert_page (view, CONTENT, "content");
  g_assert_true (quarry_gtk_test_is_showing (content));

  gtk_window_destroy (window);
  quarry_gtk_test_settle (GTK_WIDGET (view));
}

static void
test_builder_bad_child_type (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new ();

      gtk_builder_add_from_string (builder,
                                   "<interface><object class='QuarryQueryView'>"
                                   "<child type='sidebar'><object class='GtkLabel'/></child>"
                                   "</object></interface>", -1, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*sidebar*");
}

static void
test_background_refetch (ViewFixture   *f,
                         gconstpointer  data)
{
  GtkWidget *indicator, *spinner;

  show_view (f);
  show_content (f);
  indicator = refetch_indicator (f->view);
  spinner = refetch_spinner (f->view);
  g_assert_false (gtk_widget_get_visible (indicator));
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));

  quarry_clock_advance (f->base.clock, 1000);
  quarry_query_refetch (f->query);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  g_assert_true (quarry_query_get_is_refetching (f->query));
  assert_page (f->view, CONTENT, "content");
  g_assert_true (quarry_gtk_test_is_showing (f->content));
  g_assert_true (quarry_gtk_test_is_showing (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  /* It sits in the top-end corner, over the content, in a bubble: padded
   * around the spinner, 12 px from the edges, with the theme's OSD look. */
  {
    graphene_rect_t bubble, inner;
    double view_width = gtk_widget_get_width (GTK_WIDGET (f->view));

    g_assert_true (gtk_widget_has_css_class (indicator, "osd"));
    g_assert_false (gtk_widget_get_can_target (indicator));
    g_assert_true (gtk_widget_compute_bounds (indicator, GTK_WIDGET (f->view), &bubble));
    g_assert_true (gtk_widget_compute_bounds (spinner, GTK_WIDGET (f->view), &inner));
    g_assert_cmpfloat (bubble.origin.x + bubble.size.width, ==, view_width - 12);
    g_assert_cmpfloat (bubble.origin.y, ==, 12);
    g_assert_cmpfloat (inner.origin.x, ==, bubble.origin.x + 6);
    g_assert_cmpfloat (inner.origin.y, ==, bubble.origin.y + 6);
    g_assert_cmpfloat (bubble.size.width, ==, inner.size.width + 12);
    g_assert_cmpfloat (bubble.size.height, ==, inner.size.height + 12);
  }
  snapshot (GTK_WIDGET (f->window), "query-view-refetching");

  fetcher_resolve_json (f->fetcher, 1, "[{\"id\":1,\"title\":\"Buy oat milk\"}]");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, CONTENT, "content");
  g_assert_false (gtk_widget_get_visible (indicator));
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));

  /* The content never left the screen. */
  ASSERT_STATES (f->states, LOADING, CONTENT);
}

/* show-refetch-indicator off: no spinner over the content while the
 * query refetches; turned on and off during a refetch, it follows. */
static void
test_refetch_indicator_off (ViewFixture   *f,
                            gconstpointer  data)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *indicator;

  g_signal_connect (f->view, "notify", G_CALLBACK (count_notify_cb), counts);
  quarry_query_view_set_show_refetch_indicator (f->view, FALSE);
  quarry_query_view_set_show_refetch_indicator (f->view, FALSE);
  g_assert_false (quarry_query_view_get_show_refetch_indicator (f->view));
  g_assert_cmpuint (count_of (counts, "show-refetch-indicator"), ==, 1);

  show_view (f);
  show_content (f);
  indicator = refetch_indicator (f->view);

  quarry_clock_advance (f->base.clock, 1000);
  quarry_query_refetch (f->query);
  g_assert_true (quarry_query_get_is_refetching (f->query));
  assert_page (f->view, CONTENT, "content");
  g_assert_false (gtk_widget_get_visible (indicator));
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (refetch_spinner (f->view))));
  g_assert_true (quarry_gtk_test_is_showing (f->content));

  /* On during the refetch: the spinner shows at once. */
  g_object_set (f->view, "show-refetch-indicator", TRUE, NULL);
  g_assert_cmpuint (count_of (counts, "show-refetch-indicator"), ==, 2);
  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  g_assert_true (quarry_gtk_test_is_showing (refetch_spinner (f->view)));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (refetch_spinner (f->view))));

  /* Off again: it goes. */
  quarry_query_view_set_show_refetch_indicator (f->view, FALSE);
  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  g_assert_false (gtk_widget_get_visible (indicator));
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (refetch_spinner (f->view))));

  fetcher_resolve_json (f->fetcher, 1, "[{\"id\":1,\"title\":\"Buy oat milk\"}]");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, CONTENT, "content");
  g_assert_false (gtk_widget_get_visible (indicator));
  ASSERT_STATES (f->states, LOADING, CONTENT);
  g_signal_handlers_disconnect_by_data (f->view, counts);
}

/* The property from a .ui file. */
static void
test_refetch_indicator_builder (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_string ("<interface><object class='QuarryQueryView' id='view'>"
                                 "<property name='show-refetch-indicator'>false</property>"
                                 "</object></interface>", -1);
  QuarryQueryView *view = QUARRY_QUERY_VIEW (gtk_builder_get_object (builder, "view"));
  gboolean show = TRUE;

  g_object_ref_sink (view);
  g_assert_false (quarry_query_view_get_show_refetch_indicator (view));
  g_object_get (view, "show-refetch-indicator", &show, NULL);
  g_assert_false (show);
  g_clear_object (&builder);
  g_assert_finalize_object (view);
}

/* The spinner takes no click: a button of the content under it, such as a
 * first row's trailing button, gets the pointer there. */
static void
test_refetch_indicator_click_through (ViewFixture   *f,
                                      gconstpointer  data)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new ("Buy milk");
  GtkWidget *button = gtk_button_new_with_label ("Edit the todo");
  GtkWidget *indicator, *picked;
  graphene_rect_t bubble;
  graphene_point_t center, in_button;

  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (row), label);
  gtk_widget_set_size_request (button, 120, 64);
  gtk_box_append (GTK_BOX (row), button);
  gtk_box_append (GTK_BOX (content), row);
  f->content = content;
  quarry_query_view_set_child (f->view, content);

  show_view (f);
  show_content (f);
  quarry_clock_advance (f->base.clock, 1000);
  quarry_query_refetch (f->query);
  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  indicator = refetch_indicator (f->view);
  g_assert_true (quarry_gtk_test_is_showing (indicator));

  /* The bubble's centre is over the button... */
  g_assert_true (gtk_widget_compute_bounds (indicator, GTK_WIDGET (f->window), &bubble));
  graphene_rect_get_center (&bubble, &center);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (f->window), button, &center, &in_button));
  g_assert_true (gtk_widget_contains (button, in_button.x, in_button.y));

  /* ...and the pointer there finds the button, not the spinner. */
  picked = gtk_widget_pick (GTK_WIDGET (f->window), center.x, center.y, GTK_PICK_DEFAULT);
  g_assert_nonnull (picked);
  g_assert_true (picked == button || gtk_widget_is_ancestor (picked, button));
  g_assert_false (picked == indicator || gtk_widget_is_ancestor (picked, indicator));

  fetcher_resolve_json (f->fetcher, 1, "[{\"id\":1,\"title\":\"Buy oat milk\"}]");
  quarry_clock_flush (f->base.clock);
}

static void
test_refetch_error (ViewFixture   *f,
                    gconstpointer  data)
{
  GtkRevealer *strip;
  GtkWidget *retry, *close;
  guint state_notifies;

  show_view (f);
  show_content (f);
  strip = error_strip (f->view);
  retry = quarry_gtk_test_find (GTK_WIDGET (strip), GTK_TYPE_BUTTON, "_Retry");
  close = find_button_with_icon (GTK_WIDGET (strip), "window-close-symbolic");
  g_assert_false (gtk_revealer_get_reveal_child (strip));
  state_notifies = f->states->len;

  quarry_query_refetch (f->query);
  fetcher_reject (f->fetcher, 1, "Connection reset");
  quarry_clock_flush (f->base.clock);
  g_assert_true (quarry_query_get_is_refetch_error (f->query));
  assert_page (f->view, CONTENT, "content");
  g_assert_true (gtk_revealer_get_reveal_child (strip));
  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  g_assert_true (quarry_gtk_test_is_showing (GTK_WIDGET (strip)));
  g_assert_true (quarry_gtk_test_is_showing (quarry_gtk_test_find (GTK_WIDGET (strip), GTK_TYPE_LABEL,
                                                                   "Could not refresh: Connection reset")));
  g_assert_true (quarry_gtk_test_is_showing (f->content));
  g_assert_false (gtk_widget_get_visible (refetch_indicator (f->view)));
  g_assert_true (gtk_widget_get_sensitive (close));
  /* Above the content, which it pushes down, across the view's width. */
  {
    graphene_point_t point;

    g_assert_true (gtk_widget_compute_point (f->content, GTK_WIDGET (f->view), &GRAPHENE_POINT_INIT (0, 0), &point));
    g_assert_cmpfloat (point.y, >=, gtk_widget_get_height (GTK_WIDGET (strip)));
    g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (strip)), >, 0);
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (strip)), ==, gtk_widget_get_width (GTK_WIDGET (f->view)));
    g_assert_cmpint (gtk_widget_get_height (f->content), ==,
                     gtk_widget_get_height (GTK_WIDGET (f->view)) - gtk_widget_get_height (GTK_WIDGET (strip)));
  }
  snapshot (GTK_WIDGET (f->window), "query-view-refetch-error");

  /* Retry in the strip: it closes while the fetch runs, the spinner shows. */
  quarry_gtk_test_click (retry);
  g_assert_cmpuint (f->fetcher->calls, ==, 3);
  assert_page (f->view, CONTENT, "content");
  g_assert_false (gtk_revealer_get_reveal_child (strip));
  g_assert_true (gtk_widget_get_visible (refetch_indicator (f->view)));

  /* It fails again: the strip comes back with the new message. */
  fetcher_reject (f->fetcher, 2, "Connection refused");
  quarry_clock_flush (f->base.clock);
  g_assert_true (gtk_revealer_get_reveal_child (strip));
  g_assert_nonnull (quarry_gtk_test_find (GTK_WIDGET (strip), GTK_TYPE_LABEL,
                                          "Could not refresh: Connection refused"));

  /* Closed, it stays closed... */
  quarry_gtk_test_click (close);
  g_assert_false (gtk_revealer_get_reveal_child (strip));
  g_assert_false (gtk_widget_get_sensitive (close));
  quarry_clock_advance (f->base.clock, 1000);
  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  g_assert_false (gtk_revealer_get_reveal_child (strip));

  /* ...until the query fails again. */
  quarry_query_refetch (f->query);
  g_assert_false (gtk_revealer_get_reveal_child (strip));
  fetcher_reject (f->fetcher, 3, "Connection timed out");
  quarry_clock_flush (f->base.clock);
  g_assert_true (gtk_revealer_get_reveal_child (strip));
  g_assert_nonnull (quarry_gtk_test_find (GTK_WIDGET (strip), GTK_TYPE_LABEL,
                                          "Could not refresh: Connection timed out"));

  /* A successful refetch closes it. */
  quarry_query_refetch (f->query);
  fetcher_resolve_json (f->fetcher, 4, "[{\"id\":1}]");
  quarry_clock_flush (f->base.clock);
  g_assert_false (quarry_query_get_is_refetch_error (f->query));
  g_assert_false (gtk_revealer_get_reveal_child (strip));
  g_assert_cmpuint (f->fetcher->calls, ==, 5);

  /* The content stayed on show throughout. */
  g_assert_cmpuint (f->states->len, ==, state_notifies);
  ASSERT_STATES (f->states, LOADING, CONTENT);
}

static void
test_model (ViewFixture   *f,
            gconstpointer  data)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  quarry_query_view_set_model (f->view, G_LIST_MODEL (model));
  g_assert_true (quarry_query_view_get_model (f->view) == G_LIST_MODEL (model));
  show_view (f);
  assert_page (f->view, LOADING, "loading");

  /* With a model, a non-empty response with no items is empty. */
  fetcher_resolve_json (f->fetcher, 0, "{\"items\": [], \"total\": 0}");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, EMPTY, "empty");

  gtk_string_list_append (model, "Buy milk");
  assert_page (f->view, CONTENT, "content");
  gtk_string_list_append (model, "Walk the dog");
  gtk_string_list_splice (model, 0, 1, (const char *[]) { "Buy oat milk", NULL });
  assert_page (f->view, CONTENT, "content");
  gtk_string_list_splice (model, 0, 2, NULL);
  assert_page (f->view, EMPTY, "empty");

  /* Emptied and refilled in one go: no page change at all. */
  gtk_string_list_append (model, "Buy milk");
  assert_page (f->view, CONTENT, "content");
  gtk_string_list_remove (model, 0);
  gtk_string_list_append (model, "Buy oat milk");
  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  assert_page (f->view, CONTENT, "content");

  ASSERT_STATES (f->states, LOADING, EMPTY, CONTENT, EMPTY, CONTENT);

  /* Without a query, the model alone decides. */
  quarry_query_view_set_query (f->view, NULL);
  assert_page (f->view, CONTENT, "content");
  gtk_string_list_remove (model, 0);
  assert_page (f->view, EMPTY, "empty");

  /* Without the model, the query's data decides again. */
  quarry_query_view_set_query (f->view, f->query);
  quarry_query_view_set_model (f->view, NULL);
  assert_page (f->view, CONTENT, "content");
}

/* What an application does: fill its model from the query's data. */
static void
fill_model_cb (QuarryQuery   *query,
               GParamSpec    *pspec,
               GtkStringList *model)
{
  JsonNode *node;
  JsonArray *array;

  if (quarry_query_get_value (query) == NULL)
    return;
  node = g_value_get_boxed (quarry_query_get_value (query));
  array = json_node_get_array (node);
  gtk_string_list_splice (model, 0, g_list_model_get_n_items (G_LIST_MODEL (model)), NULL);
  for (guint i = 0; i < json_array_get_length (array); i++)
    gtk_string_list_append (model, json_array_get_string_element (array, i));
}

static void
test_model_fed_by_query (ViewFixture   *f,
                         gconstpointer  data)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  gulong handler;

  /* Connected after the view: the model changes after the view saw the
   * new data, yet the empty page never shows. */
  quarry_query_view_set_model (f->view, G_LIST_MODEL (model));
  handler = g_signal_connect (f->query, "notify::data", G_CALLBACK (fill_model_cb), model);
  show_view (f);

  fetcher_resolve_json (f->fetcher, 0, "[\"Buy milk\", \"Walk the dog\"]");
  quarry_clock_flush (f->base.clock);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  assert_page (f->view, CONTENT, "content");

  /* An empty response empties the model: the empty page shows. */
  quarry_query_refetch (f->query);
  fetcher_resolve_json (f->fetcher, 1, "[]");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, EMPTY, "empty");

  ASSERT_STATES (f->states, LOADING, CONTENT, EMPTY);
  g_signal_handler_disconnect (f->query, handler);
}

static void
test_query_changes (ViewFixture   *f,
                    gconstpointer  data)
{
  g_autoptr(Fetcher) other_fetcher = fetcher_new ();
  QuarryQuery *other;
  g_autoptr(QuarryKey) key = key_new ("[\"other\"]");
  g_autoptr(QuarryKey) todos = key_new ("[\"todos\"]");
  g_autoptr(QuarryKey) fresh = key_new ("[\"fresh\"]");

  show_view (f);
  show_content (f);

  /* No query: nothing to show. */
  quarry_query_view_set_query (f->view, NULL);
  assert_page (f->view, EMPTY, "empty");
  g_assert_false (gtk_widget_get_sensitive (quarry_gtk_test_find (GTK_WIDGET (f->view), GTK_TYPE_BUTTON,
                                                                  "_Retry")));

  /* A disabled query (no key) is empty, not loading, and does not fetch. */
  other = make_query (&f->base, NULL, other_fetcher);
  quarry_query_set_retry (other, 0);
  quarry_query_view_set_query (f->view, other);
  g_assert_true (quarry_query_view_get_query (f->view) == other);
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, EMPTY, "empty");
  g_assert_cmpuint (other_fetcher->calls, ==, 0);

  /* Given a key, it loads. */
  quarry_query_set_key (other, key);
  quarry_clock_flush (f->base.clock);
  g_assert_cmpuint (other_fetcher->calls, ==, 1);
  assert_page (f->view, LOADING, "loading");
  fetcher_resolve_json (other_fetcher, 0, "[3]");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, CONTENT, "content");

  /* To a key with cached data: the data shows at once, and revalidates
   * in the background. */
  quarry_query_set_key (other, todos);
  assert_page (f->view, CONTENT, "content");
  quarry_clock_flush (f->base.clock);
  g_assert_cmpuint (other_fetcher->calls, ==, 2);
  g_assert_true (quarry_query_get_is_refetching (other));
  assert_page (f->view, CONTENT, "content");
  fetcher_resolve_json (other_fetcher, 1, "[{\"id\":1}]");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, CONTENT, "content");

  /* Not enabled, on a key without data: empty, not loading. */
  quarry_query_set_enabled (other, FALSE);
  quarry_query_set_key (other, fresh);
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, EMPTY, "empty");
  g_assert_cmpuint (other_fetcher->calls, ==, 2);

  ASSERT_STATES (f->states, LOADING, CONTENT, EMPTY, LOADING, CONTENT, EMPTY);

  quarry_query_view_set_query (f->view, f->query);
  assert_page (f->view, CONTENT, "content");
  g_assert_finalize_object (other);
}

static void
test_track_visibility (ViewFixture   *f,
                       gconstpointer  data)
{
  g_autoptr(Fetcher) other_fetcher = fetcher_new ();
  QuarryQuery *other;

  g_assert_false (quarry_query_get_subscribed (f->query));
  show_view (f);
  g_assert_true (quarry_query_get_subscribed (f->query));
  show_content (f);

  /* Hidden, the query is not subscribed; shown again, it is. */
  gtk_widget_set_visible (GTK_WIDGET (f->view), FALSE);
  g_assert_false (quarry_query_get_subscribed (f->query));
  gtk_widget_set_visible (GTK_WIDGET (f->view), TRUE);
  g_assert_true (quarry_query_get_subscribed (f->query));

  /* Not tracking: subscribed whether the view shows or not. */
  gtk_widget_set_visible (GTK_WIDGET (f->view), FALSE);
  g_assert_false (quarry_query_get_subscribed (f->query));
  quarry_query_view_set_track_visibility (f->view, FALSE);
  g_assert_true (quarry_query_get_subscribed (f->query));
  quarry_query_view_set_track_visibility (f->view, TRUE);
  g_assert_false (quarry_query_get_subscribed (f->query));

  /* Another query, made now: tied to the hidden view before it mounts, it
   * does not fetch. The first query is let go. */
  other = make_query (&f->base, "[\"other\"]", other_fetcher);
  g_assert_true (quarry_query_get_subscribed (other));
  quarry_query_view_set_query (f->view, other);
  g_assert_true (quarry_query_get_subscribed (f->query));
  g_assert_false (quarry_query_get_subscribed (other));
  quarry_clock_flush (f->base.clock);
  g_assert_cmpuint (other_fetcher->calls, ==, 0);
  gtk_widget_set_visible (GTK_WIDGET (f->view), TRUE);
  quarry_clock_flush (f->base.clock);
  g_assert_true (quarry_query_get_subscribed (other));
  g_assert_cmpuint (other_fetcher->calls, ==, 1);

  /* A destroyed view leaves its query unsubscribed, as an unmounted
   * component's. */
  gtk_window_destroy (f->window);
  f->window = NULL;
  quarry_gtk_test_settle (GTK_WIDGET (f->view));
  g_assert_false (quarry_query_get_subscribed (other));
  g_object_unref (f->view);
  f->view = QUARRY_QUERY_VIEW (g_object_ref_sink (quarry_query_view_new ()));
  g_assert_false (quarry_query_get_subscribed (other));
  g_assert_finalize_object (other);
}

static void
retry_cb (QuarryQueryView *view,
          guint           *count)
{
  (*count)++;
  g_signal_stop_emission_by_name (view, "retry");
}

static void
test_retry_signal (ViewFixture   *f,
                   gconstpointer  data)
{
  guint retries = 0;
  gulong handler;

  show_view (f);
  fetcher_reject (f->fetcher, 0, "The server exploded");
  quarry_clock_flush (f->base.clock);
  assert_page (f->view, ERROR, "error");

  /* An application's handler replaces the refetch. */
  handler = g_signal_connect (f->view, "retry", G_CALLBACK (retry_cb), &retries);
  quarry_gtk_test_click (quarry_gtk_test_find (visible_page (f->view), GTK_TYPE_BUTTON, "_Retry"));
  g_assert_cmpuint (retries, ==, 1);
  g_assert_cmpuint (f->fetcher->calls, ==, 1);
  assert_page (f->view, ERROR, "error");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "query-view.retry", NULL));
  g_assert_cmpuint (retries, ==, 2);
  g_assert_cmpuint (f->fetcher->calls, ==, 1);

  /* The default handler refetches. */
  g_signal_handler_disconnect (f->view, handler);
  quarry_query_view_retry (f->view);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  assert_page (f->view, LOADING, "loading");
}

/* --- emptiness ------------------------------------------------------------ */

typedef struct
{
  const char *name;
  gboolean empty;
  void (*fill) (GValue *value);
} EmptyCase;

static void
json_value (GValue     *value,
            const char *json)
{
  g_value_init (value, JSON_TYPE_NODE);
  g_value_take_boxed (value, json_from_string (json, NULL));
}

static void fill_json_empty_array (GValue *v) { json_value (v, "[]"); }
static void fill_json_array (GValue *v) { json_value (v, "[0]"); }
static void fill_json_null (GValue *v) { json_value (v, "null"); }
static void fill_json_empty_object (GValue *v) { json_value (v, "{}"); }
static void fill_json_object_empty_items (GValue *v) { json_value (v, "{\"items\": []}"); }
static void fill_json_zero (GValue *v) { json_value (v, "0"); }
static void fill_json_empty_string (GValue *v) { json_value (v, "\"\""); }

static void
fill_strv_empty (GValue *v)
{
  g_value_init (v, G_TYPE_STRV);
  g_value_take_boxed (v, g_new0 (char *, 1));
}

static void
fill_strv (GValue *v)
{
  const char *strv[] = { "a", NULL };

  g_value_init (v, G_TYPE_STRV);
  g_value_set_boxed (v, strv);
}

static void
fill_variant_empty_array (GValue *v)
{
  g_value_init (v, G_TYPE_VARIANT);
  g_value_set_variant (v, g_variant_new_strv (NULL, 0));
}

static void
fill_variant_array (GValue *v)
{
  const char *strv[] = { "a" };

  g_value_init (v, G_TYPE_VARIANT);
  g_value_set_variant (v, g_variant_new_strv (strv, 1));
}

static void
fill_variant_nothing (GValue *v)
{
  g_value_init (v, G_TYPE_VARIANT);
  g_value_set_variant (v, g_variant_new_maybe (G_VARIANT_TYPE_STRING, NULL));
}

static void
fill_variant_tuple (GValue *v)
{
  g_value_init (v, G_TYPE_VARIANT);
  g_value_set_variant (v, g_variant_new ("(s)", "a"));
}

static void
fill_list_model_empty (GValue *v)
{
  g_value_init (v, G_TYPE_LIST_MODEL);
  g_value_take_object (v, g_list_store_new (G_TYPE_OBJECT));
}

static void
fill_list_model (GValue *v)
{
  GListStore *store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(GObject) item = g_object_new (G_TYPE_OBJECT, NULL);

  g_list_store_append (store, item);
  g_value_init (v, G_TYPE_LIST_MODEL);
  g_value_take_object (v, store);
}

static void
fill_int (GValue *v)
{
  g_value_init (v, G_TYPE_INT64);
  g_value_set_int64 (v, 0);
}

static void
fill_string_empty (GValue *v)
{
  g_value_init (v, G_TYPE_STRING);
  g_value_set_string (v, "");
}

static const EmptyCase empty_cases[] = {
  { "json-empty-array", TRUE, fill_json_empty_array },
  { "json-array", FALSE, fill_json_array },
  { "json-null", TRUE, fill_json_null },
  { "json-empty-object", FALSE, fill_json_empty_object },
  { "json-object-empty-items", FALSE, fill_json_object_empty_items },
  { "json-zero", FALSE, fill_json_zero },
  { "json-empty-string", FALSE, fill_json_empty_string },
  { "strv-empty", TRUE, fill_strv_empty },
  { "strv", FALSE, fill_strv },
  { "variant-empty-array", TRUE, fill_variant_empty_array },
  { "variant-array", FALSE, fill_variant_array },
  { "variant-nothing", TRUE, fill_variant_nothing },
  { "variant-tuple", FALSE, fill_variant_tuple },
  { "list-model-empty", TRUE, fill_list_model_empty },
  { "list-model", FALSE, fill_list_model },
  { "int", FALSE, fill_int },
  { "string-empty", FALSE, fill_string_empty },
};

/* Each case's data written into the cache, seen by a query that does not
 * fetch (infinite stale time) through a view that is not tied. */
static void
check_empty_cases (GType      view_type,
                   const EmptyCase *cases,
                   guint      n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      Fixture f;
      g_autoptr(Fetcher) fetcher = fetcher_new ();
      g_autoptr(QuarryKey) key = key_new ("[\"data\"]");
      g_autoptr(GError) error = NULL;
      GValue value = G_VALUE_INIT;
      QuarryQuery *query;
      QuarryQueryView *view;

      g_test_message ("case %s", cases[i].name);
      fixture_setup (&f, NULL);
      cases[i].fill (&value);
      g_assert_true (quarry_query_client_set_query_data (f.client, key, &value, &error));
      g_assert_no_error (error);
      g_value_unset (&value);

      query = make_query (&f, "[\"data\"]", fetcher);
      quarry_query_set_stale_time (query, QUARRY_TIME_INFINITE);
      view = QUARRY_QUERY_VIEW (g_object_ref_sink (g_object_new (view_type, "track-visibility", FALSE, NULL)));
      quarry_query_view_set_query (view, query);
      quarry_clock_flush (f.clock);
      g_assert_cmpuint (fetcher->calls, ==, 0);
      g_assert_nonnull (quarry_query_get_value (query));
      if (cases[i].empty)
        assert_page (view, EMPTY, "empty");
      else
        assert_page (view, CONTENT, "content");

      g_assert_finalize_object (view);
      g_assert_finalize_object (query);
      g_clear_pointer (&fetcher, fetcher_free);
      fixture_teardown (&f, NULL);
    }
}

static void
test_is_empty_default (void)
{
  check_empty_cases (QUARRY_TYPE_QUERY_VIEW, empty_cases, G_N_ELEMENTS (empty_cases));
}

/* An application's view for responses like {"items": [...]}. */
typedef struct
{
  QuarryQueryView parent_instance;
} TestItemsView;

typedef struct
{
  QuarryQueryViewClass parent_class;
} TestItemsViewClass;

static GType test_items_view_get_type (void);
G_DEFINE_TYPE (TestItemsView, test_items_view, QUARRY_TYPE_QUERY_VIEW)

static gboolean
test_items_view_is_empty (QuarryQueryView *self,
                          const GValue    *data)
{
  if (G_VALUE_HOLDS (data, JSON_TYPE_NODE) && JSON_NODE_HOLDS_OBJECT (g_value_get_boxed (data)))
    {
      JsonObject *object = json_node_get_object (g_value_get_boxed (data));
      JsonNode *items = json_object_get_member (object, "items");

      return items == NULL || !JSON_NODE_HOLDS_ARRAY (items) ||
             json_array_get_length (json_node_get_array (items)) == 0;
    }

  return QUARRY_QUERY_VIEW_CLASS (test_items_view_parent_class)->is_empty (self, data);
}

static void
test_items_view_class_init (TestItemsViewClass *klass)
{
  QUARRY_QUERY_VIEW_CLASS (klass)->is_empty = test_items_view_is_empty;
}

static void
test_items_view_init (TestItemsView *self)
{
}

static void fill_items_empty (GValue *v) { json_value (v, "{\"items\": [], \"total\": 0}"); }
static void fill_items (GValue *v) { json_value (v, "{\"items\": [1], \"total\": 1}"); }

static const EmptyCase subclass_cases[] = {
  { "items-empty", TRUE, fill_items_empty },
  { "items", FALSE, fill_items },
  { "empty-object", TRUE, fill_json_empty_object },
  /* Chained up. */
  { "json-empty-array", TRUE, fill_json_empty_array },
  { "json-array", FALSE, fill_json_array },
};

static void
test_is_empty_subclass (void)
{
  check_empty_cases (test_items_view_get_type (), subclass_cases, G_N_ELEMENTS (subclass_cases));
}

#define ADD(path, func) \
  g_test_add (path, ViewFixture, NULL, view_setup, func, view_teardown)

/* A strip dismissed for one key does not hide the first refetch error of
 * another: each key's entry counts its own errors. */
static void
test_dismissed_error_per_key (void)
{
  Fixture f;
  Fetcher *fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key_b = key_new ("[\"todos\",\"b\"]");
  QuarryQuery *query;
  GtkWidget *view;
  GtkWindow *window;
  GtkRevealer *strip;

  fixture_setup (&f, NULL);
  query = make_query (&f, "[\"todos\",\"a\"]", fetcher);
  quarry_query_set_retry (query, 0);
  view = g_object_ref_sink (quarry_query_view_new ());
  quarry_query_view_set_query (QUARRY_QUERY_VIEW (view), query);
  quarry_query_view_set_child (QUARRY_QUERY_VIEW (view), gtk_label_new ("content"));
  window = quarry_gtk_test_window_new (view, 300, 300);
  strip = error_strip (QUARRY_QUERY_VIEW (view));

  quarry_clock_flush (f.clock);
  fetcher_resolve_json (fetcher, 0, "[1]");
  quarry_clock_flush (f.clock);
  quarry_query_refetch (query);
  fetcher_reject (fetcher, 1, "A failed");
  quarry_clock_flush (f.clock);
  quarry_gtk_test_settle (view);
  g_assert_true (gtk_revealer_get_reveal_child (strip));
  gtk_widget_activate_action (view, "query-view.dismiss-error", NULL);
  g_assert_false (gtk_revealer_get_reveal_child (strip));

  quarry_query_set_key (query, key_b);
  quarry_clock_flush (f.clock);
  fetcher_resolve_json (fetcher, 2, "[2]");
  quarry_clock_flush (f.clock);
  quarry_query_refetch (query);
  fetcher_reject (fetcher, 3, "B failed");
  quarry_clock_flush (f.clock);
  quarry_gtk_test_settle (view);
  g_assert_true (quarry_query_get_is_refetch_error (query));
  g_assert_cmpuint (quarry_query_get_error_update_count (query), ==, 1);
  g_assert_true (gtk_revealer_get_reveal_child (strip));

  gtk_window_destroy (window);
  quarry_gtk_test_settle (view);
  g_assert_finalize_object (view);
  g_assert_finalize_object (query);
  fetcher_free (fetcher);
  fixture_teardown (&f, NULL);
}

int
main (int   argc,
      char *argv[])
{
  quarry_gtk_test_init (&argc, &argv);

  g_test_add_func ("/QueryView/defaults", test_defaults);
  ADD ("/QueryView/loading-then-content", test_loading_then_content);
  ADD ("/QueryView/error-retry", test_error_retry);
  ADD ("/QueryView/error-message-follows", test_error_message_follows);
  ADD ("/QueryView/empty-list", test_empty_list);
  ADD ("/QueryView/custom-pages/code", test_custom_pages_code);
  ADD ("/QueryView/custom-pages/builder", test_custom_pages_builder);
  g_test_add_func ("/QueryView/custom-pages/builder-bad-child-type", test_builder_bad_child_type);
  ADD ("/QueryView/background-refetch", test_background_refetch);
  ADD ("/QueryView/refetch-indicator-off", test_refetch_indicator_off);
  ADD ("/QueryView/refetch-indicator-click-through", test_refetch_indicator_click_through);
  g_test_add_func ("/QueryView/refetch-indicator-builder", test_refetch_indicator_builder);
  ADD ("/QueryView/refetch-error", test_refetch_error);
  g_test_add_func ("/QueryView/dismissed-error-per-key", test_dismissed_error_per_key);
  ADD ("/QueryView/model", test_model);
  ADD ("/QueryView/model-fed-by-query", test_model_fed_by_query);
  ADD ("/QueryView/query-changes", test_query_changes);
  ADD ("/QueryView/track-visibility", test_track_visibility);
  ADD ("/QueryView/retry-signal", test_retry_signal);
  g_test_add_func ("/QueryView/is-empty/default", test_is_empty_default);
  g_test_add_func ("/QueryView/is-empty/subclass", test_is_empty_subclass);

  return g_test_run ();
}
