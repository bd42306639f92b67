/* test-todo-app.c: quarry-todo end to end
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each test starts a real todo server (QuarryTodoServer on a thread of its
 * own, a temporary data file, a few seeded todos), then the real
 * application with `--server URI`, run by g_application_run () on a
 * private Xvfb display. The test's steps run in an ::activate handler
 * connected after the application's own, once the window is up; they
 * drive the widgets as a user would (entries, check buttons, the
 * simulation popover's controls, the pagination actions), wait for
 * conditions (never for a fixed time), check what the widgets show and
 * what the server stores, and save a screenshot of the window at each
 * step in $QUARRY_SNAPSHOT_DIR. Closing the window ends the application.
 */

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "quarry-gtk-test-util.h"
#include "quarry-todo-all-page.h"
#include "quarry-todo-application.h"
#include "quarry-todo-detail.h"
#include "quarry-todo-item.h"
#include "quarry-todo-list-page.h"
#include "quarry-todo-notification.h"
#include "quarry-todo-paged-page.h"
#include "quarry-todo-row.h"
#include "quarry-todo-server.h"
#include "quarry-todo-simulation-popover.h"
#include "quarry-todo-window.h"

typedef struct _Fixture Fixture;
typedef void (*TestBody) (Fixture *f);

struct _Fixture
{
  char *dir;
  QuarryTodoServerThread *server;
  SoupSession *session;            /* the test's own look at the server */
  QuarryTodoApplication *app;
  QuarryTodoWindow *window;
  QuarryTodoService *service;
  TestBody body;
  gboolean ran;
};

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

static gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static QuarryTodoListPage *
list_page (Fixture *f)
{
  return template_child (f->window, QUARRY_TYPE_TODO_WINDOW, "list_page");
}

static gpointer
list_page_child (Fixture    *f,
                 const char *name)
{
  return template_child (list_page (f), QUARRY_TYPE_TODO_LIST_PAGE, name);
}

static GtkSingleSelection *
selection (Fixture *f)
{
  GtkListView *list_view = list_page_child (f, "list_view");

  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (list_view));
}

static guint
n_todos (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (selection (f)));
}

static QuarryTodoItem *
todo_at (Fixture *f,
         guint    position)
{
  g_autoptr(QuarryTodoItem) item = g_list_model_get_item (G_LIST_MODEL (selection (f)), position);

  g_assert_nonnull (item);
  return item;   /* the model keeps it */
}

static QuarryTodoItem *
find_todo (Fixture    *f,
           const char *title)
{
  for (guint i = 0; i < n_todos (f); i++)
    if (g_strcmp0 (quarry_todo_item_get_title (todo_at (f, i)), title) == 0)
      return todo_at (f, i);
  return NULL;
}

static QuarryTodoItem *
find_todo_by_id (Fixture *f,
                 gint64   id)
{
  for (guint i = 0; i < n_todos (f); i++)
    if (quarry_todo_item_get_id (todo_at (f, i)) == id)
      return todo_at (f, i);
  return NULL;
}

/* The row that shows @item now, or NULL when it is not on screen. */
static QuarryTodoRow *
find_row_in (GtkWidget      *widget,
             QuarryTodoItem *item)
{
  if (QUARRY_IS_TODO_ROW (widget) && quarry_todo_row_get_item (QUARRY_TODO_ROW (widget)) == item)
    return QUARRY_TODO_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      QuarryTodoRow *row = find_row_in (child, item);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* The row of @item, scrolled into view. */
static QuarryTodoRow *
row_of (Fixture        *f,
        QuarryTodoItem *item)
{
  QuarryTodoRow *row;
  guint position;

  for (position = 0; position < n_todos (f); position++)
    if (todo_at (f, position) == item)
      break;
  g_assert_cmpuint (position, <, n_todos (f));
  gtk_widget_activate_action (list_page_child (f, "list_view"), "list.scroll-to-item", "u", position);
  quarry_gtk_test_settle (GTK_WIDGET (f->window));
  row = find_row_in (list_page_child (f, "list_view"), item);
  g_assert_nonnull (row);
  g_assert_true (quarry_gtk_test_is_showing (GTK_WIDGET (row)));
  return row;
}

static gboolean
query_idle (QuarryQuery *query)
{
  return quarry_query_get_fetch_status (query) == QUARRY_FETCH_STATUS_IDLE;
}

static gboolean
settled (Fixture *f)
{
  QuarryQueryClient *client = quarry_todo_service_get_client (f->service);

  return quarry_query_client_get_is_mutating (client) == 0 &&
         quarry_query_client_get_is_fetching (client) == 0;
}

static void
after_paint_cb (GdkFrameClock  *frame_clock,
                GskRenderNode **node)
{
  GtkWidget *window = g_object_get_data (G_OBJECT (frame_clock), "quarry-test-window");
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

  if (*node != NULL)
    return;
  GTK_WIDGET_GET_CLASS (window)->snapshot (window, snapshot);
  *node = gtk_snapshot_to_node (snapshot);
}

/* Renders the whole window, header bar included, to @name.png in
 * $QUARRY_SNAPSHOT_DIR. (quarry_gtk_test_snapshot () renders a widget
 * inside a window; a window's own paintable draws nothing.) */
static void
snapshot (Fixture    *f,
          const char *name)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  g_autoptr(GskRenderNode) node = NULL;
  GdkFrameClock *frame_clock;
  gulong handler;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  graphene_rect_t bounds;

  /* Drawn from the frame clock's after-paint, when the layout is done. */
  quarry_gtk_test_settle (window);
  frame_clock = gtk_widget_get_frame_clock (window);
  g_object_set_data (G_OBJECT (frame_clock), "quarry-test-window", window);
  handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), &node);
  gtk_widget_queue_draw (window);
  SPIN_UNTIL (node != NULL);
  g_signal_handler_disconnect (frame_clock, handler);
  g_assert_nonnull (node);
  gsk_render_node_get_bounds (node, &bounds);
  g_assert_cmpfloat (bounds.size.width, >, 0);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, &bounds);

  dir = g_strdup (g_getenv ("QUARRY_SNAPSHOT_DIR"));
  if (dir == NULL)
    dir = g_test_build_filename (G_TEST_BUILT, "snapshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("snapshot: %s", path);
}

/* GET @path from the server with the test's own session. */
static JsonNode *
server_get (Fixture    *f,
            const char *path)
{
  g_autofree char *uri = g_strconcat (quarry_todo_server_thread_get_uri (f->server), path + 1, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  body = soup_session_send_and_read (f->session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);
  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  return node;
}

static JsonObject *
server_todo (Fixture *f,
             gint64   id)
{
  g_autofree char *path = g_strdup_printf ("/todos/%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) node = server_get (f, path);

  return json_object_ref (json_node_get_object (node));
}

static gint64
server_total (Fixture *f)
{
  g_autoptr(JsonNode) node = server_get (f, "/todos");

  return json_object_get_int_member (json_node_get_object (node), "total");
}

static QuarryTodoNotification *
notification (Fixture *f)
{
  return template_child (f->window, QUARRY_TYPE_TODO_WINDOW, "notification");
}

static gboolean
notification_shows (Fixture    *f,
                    const char *prefix)
{
  QuarryTodoNotification *n = notification (f);
  gboolean revealed;

  g_object_get (n, "revealed", &revealed, NULL);
  return revealed && g_str_has_prefix (quarry_todo_notification_get_message (n), prefix);
}

static gpointer
popover_child (Fixture    *f,
               const char *name)
{
  gpointer popover = template_child (f->window, QUARRY_TYPE_TODO_WINDOW, "simulation_popover");

  return template_child (popover, QUARRY_TYPE_TODO_SIMULATION_POPOVER, name);
}

static double
cached_setting (Fixture    *f,
                const char *member)
{
  g_autoptr(QuarryKey) key = quarry_key_new_from_string ("[\"settings\"]", NULL);
  const GValue *value = quarry_query_client_get_query_data (quarry_todo_service_get_client (f->service), key);
  JsonNode *node = value != NULL ? g_value_get_boxed (value) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return -1;
  return json_object_get_double_member (json_node_get_object (node), member);
}

/* Sets the failure rate with the popover's scale, as a user would, and
 * waits until the server has it. */
static void
set_fail_rate (Fixture *f,
               double   percent)
{
  GtkMenuButton *button = template_child (f->window, QUARRY_TYPE_TODO_WINDOW, "simulation_button");
  GtkRange *scale = popover_child (f, "fail_scale");

  gtk_menu_button_popup (button);
  quarry_gtk_test_settle (GTK_WIDGET (f->window));
  gtk_range_set_value (scale, percent);
  SPIN_UNTIL (G_APPROX_VALUE (cached_setting (f, "fail_rate"), percent / 100.0, 1e-9));
  gtk_menu_button_popdown (button);
}

/* Renames a todo as a user would: clicks its title, types, presses Enter. */
static void
rename_in_row (QuarryTodoRow *row,
               const char    *title)
{
  GtkWidget *button = template_child (row, QUARRY_TYPE_TODO_ROW, "title_button");
  GtkWidget *entry = template_child (row, QUARRY_TYPE_TODO_ROW, "title_entry");

  quarry_gtk_test_click (button);
  g_assert_true (gtk_widget_get_visible (entry) && gtk_widget_get_child_visible (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), title);
  g_signal_emit_by_name (entry, "activate");
  g_assert_false (gtk_widget_get_child_visible (entry));
}

/* Types @text into @entry and presses Enter. */
static void
type_and_enter (GtkWidget  *entry,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
}

/* ------------------------------------------------------------------------
 * Running the application
 * ------------------------------------------------------------------------ */

static void
activate_cb (GApplication *application,
             Fixture      *f)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  g_assert_true (QUARRY_IS_TODO_WINDOW (window));
  f->window = QUARRY_TODO_WINDOW (window);
  f->service = quarry_todo_application_get_service (f->app);
  g_assert_nonnull (f->service);

  SPIN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  quarry_gtk_test_settle (GTK_WIDGET (window));

  f->body (f);
  f->ran = TRUE;

  /* Whatever is still in flight, then close: the application quits. */
  SPIN_UNTIL (settled (f));
  gtk_window_destroy (window);
  f->window = NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  guint seed = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("quarry-todo-e2e-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "todos.json", NULL);
  f->server = quarry_todo_server_thread_start (path, seed != 0 ? seed : 30, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->server);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "todos.json", NULL);

  g_clear_object (&f->session);
  g_clear_pointer (&f->server, quarry_todo_server_thread_stop);
  g_unlink (path);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
run_app (Fixture  *f,
         TestBody  body)
{
  const char *uri = quarry_todo_server_thread_get_uri (f->server);
  char *argv[] = { (char *) "quarry-todo", (char *) "--server", (char *) uri, NULL };
  int status;

  f->body = body;
  f->app = quarry_todo_application_new ();
  g_signal_connect_after (f->app, "activate", G_CALLBACK (activate_cb), f);

  status = g_application_run (G_APPLICATION (f->app), G_N_ELEMENTS (argv) - 1, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (f->ran);

  g_assert_cmpstr (quarry_todo_application_get_server_uri (f->app), ==, uri);
  g_clear_object (&f->app);
}

/* ------------------------------------------------------------------------
 * The tests
 * ------------------------------------------------------------------------ */

/* The list loads, and a todo added with the entry shows at once with a
 * temporary id, then with the server's. */
static void
list_and_add (Fixture *f)
{
  QuarryQuery *query = quarry_todo_list_page_get_query (list_page (f));
  GtkWidget *entry = list_page_child (f, "add_entry");
  QuarryTodoItem *item;
  QuarryQueryView *view = list_page_child (f, "view");
  GtkLabel *count = list_page_child (f, "count_label");

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query));
  g_assert_cmpint (quarry_query_view_get_state (view), ==, QUARRY_QUERY_VIEW_STATE_CONTENT);
  g_assert_cmpstr (gtk_label_get_label (count), ==, "30 todos");
  for (guint i = 0; i < 30; i++)
    g_assert_cmpint (quarry_todo_item_get_id (todo_at (f, i)), ==, i + 1);
  g_assert_nonnull (row_of (f, todo_at (f, 0)));
  snapshot (f, "01-list");

  /* Enter adds: the todo shows before the server answered. */
  type_and_enter (entry, "Buy oat milk");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  item = find_todo (f, "Buy oat milk");
  g_assert_nonnull (item);
  g_assert_cmpint (quarry_todo_item_get_id (item), <, 0);
  g_assert_true (quarry_todo_item_get_pending (item));
  g_assert_cmpuint (n_todos (f), ==, 31);
  g_assert_cmpint (server_total (f), ==, 30);
  snapshot (f, "02-add-pending");

  /* Then with the id the server gave it. */
  SPIN_UNTIL ((item = find_todo (f, "Buy oat milk")) != NULL && quarry_todo_item_get_id (item) == 31);
  SPIN_UNTIL (settled (f));
  item = find_todo (f, "Buy oat milk");
  g_assert_false (quarry_todo_item_get_pending (item));
  g_assert_null (find_todo_by_id (f, -1));
  g_assert_cmpuint (n_todos (f), ==, 31);
  g_assert_cmpint (server_total (f), ==, 31);
  g_assert_cmpstr (gtk_label_get_label (count), ==, "31 todos");
  g_assert_nonnull (row_of (f, item));
  snapshot (f, "03-add-saved");

  /* An empty title adds nothing. */
  type_and_enter (entry, "   ");
  g_assert_cmpuint (n_todos (f), ==, 31);
}

static void
test_list_and_add (Fixture       *f,
                   gconstpointer  data)
{
  run_app (f, list_and_add);
}

/* Selecting a todo fills the pane at once from the list's copy, then from
 * the todo's own fetch. */
static void
detail_from_cache (Fixture *f)
{
  QuarryTodoListPage *page = list_page (f);
  QuarryTodoDetail *detail = list_page_child (f, "detail");
  GtkLabel *title = template_child (detail, QUARRY_TYPE_TODO_DETAIL, "title_label");
  GtkLabel *status = template_child (detail, QUARRY_TYPE_TODO_DETAIL, "status_label");
  GtkLabel *id = template_child (detail, QUARRY_TYPE_TODO_DETAIL, "id_label");
  QuarryQuery *query = quarry_todo_detail_get_query (detail);
  QuarryTodoItem *item;
  g_autofree char *expected_id = NULL;

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (quarry_todo_list_page_get_query (page)));

  /* The first todo is selected when the list arrives. */
  SPIN_UNTIL (query_idle (query) && quarry_query_get_key (query) != NULL);
  g_assert_cmpstr (gtk_label_get_label (title), ==, quarry_todo_item_get_title (todo_at (f, 0)));

  /* Another one: no fetch has answered yet, and the pane shows it. */
  item = todo_at (f, 4);
  gtk_single_selection_set_selected (selection (f), 4);
  g_assert_cmpstr (gtk_label_get_label (title), ==, quarry_todo_item_get_title (item));
  g_assert_cmpstr (gtk_label_get_label (status), ==,
                   quarry_todo_item_get_done (item) ? "Done" : "Open");
  expected_id = g_strdup_printf ("%" G_GINT64_FORMAT, quarry_todo_item_get_id (item));
  g_assert_cmpstr (gtk_label_get_label (id), ==, expected_id);
  g_assert_true (quarry_query_get_is_success (query));
  g_assert_cmpint (quarry_query_get_data_updated_at (query), ==,
                   quarry_query_get_data_updated_at (quarry_todo_list_page_get_query (page)));

  /* The list's copy was as old as the list: stale, refetched. */
  SPIN_UNTIL (quarry_query_get_is_fetched_after_mount (query) && query_idle (query));
  g_assert_cmpstr (gtk_label_get_label (title), ==, quarry_todo_item_get_title (item));
  snapshot (f, "04-detail");
}

static void
test_detail_from_cache (Fixture       *f,
                        gconstpointer  data)
{
  run_app (f, detail_from_cache);
}

static gboolean
all_todos_match (Fixture    *f,
                 const char *text,
                 int         done)
{
  for (guint i = 0; i < n_todos (f); i++)
    {
      QuarryTodoItem *item = todo_at (f, i);
      g_autofree char *title = g_utf8_casefold (quarry_todo_item_get_title (item), -1);

      if (text != NULL && strstr (title, text) == NULL)
        return FALSE;
      if (done >= 0 && quarry_todo_item_get_done (item) != done)
        return FALSE;
    }
  return TRUE;
}

/* The search entry and the All / Open / Done filter change the list's key;
 * Ctrl+F goes to the search entry. */
static void
search_and_filter (Fixture *f)
{
  QuarryQuery *query = quarry_todo_list_page_get_query (list_page (f));
  GtkWidget *search = list_page_child (f, "search_entry");
  GtkToggleButton *done = list_page_child (f, "done_button");
  GtkToggleButton *all = list_page_child (f, "all_button");
  QuarryQueryView *view = list_page_child (f, "view");
  g_auto(GStrv) find_accels = NULL;
  g_auto(GStrv) quit_accels = NULL;
  g_autoptr(JsonNode) matches = NULL;
  g_autoptr(JsonNode) done_matches = NULL;
  GtkWidget *focus;

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query));

  /* Ctrl+F and Ctrl+Q. */
  find_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "win.find");
  quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "app.quit");
  g_assert_cmpstr (find_accels[0], ==, "<Control>f");
  g_assert_cmpstr (quit_accels[0], ==, "<Control>q");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->window), "show-help-overlay"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "about"));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "find", NULL);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == search || gtk_widget_is_ancestor (focus, search));

  /* The server's own answer is what the list must show. */
  matches = server_get (f, "/todos?q=MILK");
  gtk_editable_set_text (GTK_EDITABLE (search), "MILK");
  SPIN_UNTIL (quarry_query_get_key (query) != NULL &&
              g_str_has_suffix (quarry_key_to_string (quarry_query_get_key (query)), "\"q\":\"MILK\"}]") &&
              query_idle (query) && !quarry_query_get_is_placeholder_data (query));
  g_assert_cmpint (n_todos (f), ==, json_object_get_int_member (json_node_get_object (matches), "total"));
  g_assert_cmpint (n_todos (f), >, 0);
  g_assert_true (all_todos_match (f, "milk", -1));

  done_matches = server_get (f, "/todos?q=MILK&done=true");
  gtk_toggle_button_set_active (done, TRUE);
  g_assert_false (gtk_toggle_button_get_active (all));
  SPIN_UNTIL (strstr (quarry_key_to_string (quarry_query_get_key (query)), "\"done\":true") != NULL &&
              query_idle (query) && !quarry_query_get_is_placeholder_data (query));
  g_assert_cmpint (n_todos (f), ==, json_object_get_int_member (json_node_get_object (done_matches), "total"));
  g_assert_true (all_todos_match (f, "milk", TRUE));
  snapshot (f, "15-search-done");

  /* Nothing matches: the empty page says why. */
  gtk_editable_set_text (GTK_EDITABLE (search), "no such todo");
  SPIN_UNTIL (quarry_query_view_get_state (view) == QUARRY_QUERY_VIEW_STATE_EMPTY && query_idle (query));
  g_assert_cmpuint (n_todos (f), ==, 0);
  snapshot (f, "16-no-match");

  /* Back to everything. */
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  gtk_toggle_button_set_active (all, TRUE);
  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query) && !quarry_query_get_is_placeholder_data (query));
}

static void
test_search_and_filter (Fixture       *f,
                        gconstpointer  data)
{
  run_app (f, search_and_filter);
}

/* With every request failing, a change shows at once, is rolled back, and
 * the notification says why. */
static void
failures_roll_back (Fixture *f)
{
  QuarryQuery *query = quarry_todo_list_page_get_query (list_page (f));
  QuarryTodoItem *first, *second;
  GtkCheckButton *check;
  GtkLabel *label;
  g_autofree char *title = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonObject) stored = NULL;

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query));
  first = todo_at (f, 0);
  second = todo_at (f, 1);
  g_assert_false (quarry_todo_item_get_done (first));

  set_fail_rate (f, 100);

  /* Toggle: done at once, then back. */
  check = template_child (row_of (f, first), QUARRY_TYPE_TODO_ROW, "check");
  gtk_widget_activate (GTK_WIDGET (check));
  g_assert_true (quarry_todo_item_get_done (first));
  g_assert_true (quarry_todo_item_get_pending (first));
  g_assert_true (gtk_check_button_get_active (check));

  expected = g_strdup_printf ("Could not mark “%s” as done: ", quarry_todo_item_get_title (first));
  SPIN_UNTIL (!quarry_todo_item_get_done (first) && notification_shows (f, expected));
  g_assert_false (quarry_todo_item_get_pending (first));
  g_assert_false (gtk_check_button_get_active (check));
  g_assert_nonnull (strstr (quarry_todo_notification_get_message (notification (f)), "503"));
  snapshot (f, "05-toggle-failed");

  /* Rename: the new title at once, then the old one. */
  title = g_strdup (quarry_todo_item_get_title (second));
  label = template_child (row_of (f, second), QUARRY_TYPE_TODO_ROW, "title_label");
  rename_in_row (row_of (f, second), "Water the cactus");
  g_assert_cmpstr (quarry_todo_item_get_title (second), ==, "Water the cactus");
  g_assert_cmpstr (gtk_label_get_label (label), ==, "Water the cactus");

  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Could not rename “%s”: ", title);
  SPIN_UNTIL (g_strcmp0 (quarry_todo_item_get_title (second), title) == 0 && notification_shows (f, expected));
  g_assert_cmpstr (gtk_label_get_label (label), ==, title);
  snapshot (f, "06-rename-failed");

  /* Add: shown with a temporary id, then gone again. */
  type_and_enter (list_page_child (f, "add_entry"), "Doomed todo");
  g_assert_nonnull (find_todo (f, "Doomed todo"));
  g_assert_cmpuint (n_todos (f), ==, 31);
  SPIN_UNTIL (find_todo (f, "Doomed todo") == NULL && notification_shows (f, "Could not add “Doomed todo”: "));
  g_assert_cmpuint (n_todos (f), ==, 30);

  /* Delete: hidden at once, then back in its place. */
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Could not delete “%s”: ", quarry_todo_item_get_title (find_todo_by_id (f, 3)));
  quarry_gtk_test_click (template_child (row_of (f, find_todo_by_id (f, 3)), QUARRY_TYPE_TODO_ROW, "delete_button"));
  g_assert_null (find_todo_by_id (f, 3));
  SPIN_UNTIL (find_todo_by_id (f, 3) != NULL && notification_shows (f, expected));
  g_assert_cmpint (quarry_todo_item_get_id (todo_at (f, 2)), ==, 3);
  g_assert_cmpuint (n_todos (f), ==, 30);

  /* The close button hides the notification. */
  quarry_gtk_test_click (template_child (notification (f), QUARRY_TYPE_TODO_NOTIFICATION, "close_button"));
  SPIN_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (notification (f))));

  /* The server works again: the list's failed refetch recovers, and
   * nothing changed there. */
  set_fail_rate (f, 0);
  quarry_query_refetch (query);
  SPIN_UNTIL (settled (f) && quarry_query_get_error (query) == NULL);
  g_assert_cmpuint (n_todos (f), ==, 30);
  stored = server_todo (f, 1);
  g_assert_false (json_object_get_boolean_member (stored, "done"));
  g_clear_pointer (&stored, json_object_unref);
  stored = server_todo (f, 2);
  g_assert_cmpstr (json_object_get_string_member (stored, "title"), ==, title);
  g_assert_false (quarry_todo_item_get_done (first));
  g_assert_cmpstr (quarry_todo_item_get_title (second), ==, title);
}

static void
test_failures_roll_back (Fixture       *f,
                         gconstpointer  data)
{
  run_app (f, failures_roll_back);
}

static void
count_undone_cb (QuarryTodoItem *item,
                 GParamSpec     *pspec,
                 guint          *n_undone)
{
  if (!quarry_todo_item_get_done (item))
    (*n_undone)++;
}

/* A change made while the list refetches is not undone by the refetch,
 * which left the server before the change. */
static void
change_during_refetch (Fixture *f)
{
  QuarryQuery *query = quarry_todo_list_page_get_query (list_page (f));
  GtkSpinButton *latency = popover_child (f, "latency_spin");
  GtkCheckButton *check;
  QuarryTodoItem *item;
  g_autoptr(JsonObject) stored = NULL;
  guint n_undone = 0;
  gulong handler;

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query));
  item = find_todo_by_id (f, 2);
  g_assert_false (quarry_todo_item_get_done (item));

  gtk_spin_button_set_value (latency, 1000);
  SPIN_UNTIL (cached_setting (f, "latency_ms") == 1000);

  quarry_query_refetch (query);
  g_assert_true (quarry_query_get_is_fetching (query));
  check = template_child (row_of (f, item), QUARRY_TYPE_TODO_ROW, "check");
  handler = g_signal_connect (item, "notify::done", G_CALLBACK (count_undone_cb), &n_undone);
  gtk_widget_activate (GTK_WIDGET (check));
  g_assert_true (quarry_todo_item_get_done (item));

  SPIN_UNTIL (settled (f) && !quarry_todo_item_get_pending (item));
  g_signal_handler_disconnect (item, handler);
  g_assert_cmpuint (n_undone, ==, 0);
  g_assert_true (quarry_todo_item_get_done (item));

  gtk_spin_button_set_value (latency, 0);
  SPIN_UNTIL (cached_setting (f, "latency_ms") == 0);
  stored = server_todo (f, 2);
  g_assert_true (json_object_get_boolean_member (stored, "done"));
}

static void
test_change_during_refetch (Fixture       *f,
                            gconstpointer  data)
{
  run_app (f, change_during_refetch);
}

/* Deleting hides the todo at once and the server forgets it; so does the
 * Delete key's action on the selected todo. */
static void
delete_todos (Fixture *f)
{
  QuarryQuery *query = quarry_todo_list_page_get_query (list_page (f));
  GtkListView *list_view = list_page_child (f, "list_view");
  QuarryTodoItem *item;
  GtkWidget *button;

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query));

  item = find_todo_by_id (f, 3);
  button = template_child (row_of (f, item), QUARRY_TYPE_TODO_ROW, "delete_button");
  quarry_gtk_test_click (button);
  g_assert_null (find_todo_by_id (f, 3));
  g_assert_cmpuint (n_todos (f), ==, 29);
  SPIN_UNTIL (settled (f));
  g_assert_cmpint (server_total (f), ==, 29);
  g_assert_null (find_todo_by_id (f, 3));

  /* The Delete key deletes the selected todo. */
  gtk_single_selection_set_selected (selection (f), 0);
  g_assert_cmpint (quarry_todo_item_get_id (gtk_single_selection_get_selected_item (selection (f))), ==, 1);
  gtk_widget_grab_focus (GTK_WIDGET (list_view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list_view), "todo.delete-selected", NULL));
  g_assert_null (find_todo_by_id (f, 1));
  SPIN_UNTIL (settled (f));
  g_assert_cmpint (server_total (f), ==, 28);
  g_assert_cmpuint (n_todos (f), ==, 28);
  snapshot (f, "07-deleted");
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  run_app (f, delete_todos);
}

/* Offline, changes pause (the banner counts them) and show at once; back
 * online they reach the server in the order they were made. */
static void
offline_then_online (Fixture *f)
{
  QuarryQuery *query = quarry_todo_list_page_get_query (list_page (f));
  QuarryQueryClient *client = quarry_todo_service_get_client (f->service);
  GtkSwitch *offline = popover_child (f, "offline_switch");
  GtkRevealer *banner = template_child (f->window, QUARRY_TYPE_TODO_WINDOW, "offline_revealer");
  GtkLabel *banner_label = template_child (f->window, QUARRY_TYPE_TODO_WINDOW, "offline_label");
  GtkCheckButton *check;
  QuarryTodoItem *first, *third;
  g_autoptr(JsonObject) todo1 = NULL;
  g_autoptr(JsonObject) todo3 = NULL;

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query));
  first = find_todo_by_id (f, 1);
  third = find_todo_by_id (f, 3);

  gtk_switch_set_active (offline, TRUE);
  g_assert_false (quarry_query_client_get_online (client));
  g_assert_true (gtk_revealer_get_reveal_child (banner));

  /* Three changes: mark #1 done, rename #3 twice. */
  check = template_child (row_of (f, first), QUARRY_TYPE_TODO_ROW, "check");
  gtk_widget_activate (GTK_WIDGET (check));
  rename_in_row (row_of (f, third), "First name");
  rename_in_row (row_of (f, third), "Second name");

  g_assert_true (quarry_todo_item_get_done (first));
  g_assert_cmpstr (quarry_todo_item_get_title (third), ==, "Second name");
  g_assert_cmpuint (quarry_todo_service_get_n_paused (f->service), ==, 3);
  g_assert_nonnull (strstr (gtk_label_get_label (banner_label), "3 changes waiting"));
  quarry_gtk_test_settle (GTK_WIDGET (f->window));
  snapshot (f, "08-offline");

  /* Nothing reached the server. */
  todo1 = server_todo (f, 1);
  todo3 = server_todo (f, 3);
  g_assert_false (json_object_get_boolean_member (todo1, "done"));
  g_assert_cmpstr (json_object_get_string_member (todo3, "title"), !=, "Second name");
  g_clear_pointer (&todo1, json_object_unref);
  g_clear_pointer (&todo3, json_object_unref);

  /* Online: in order, so the last name wins. */
  gtk_switch_set_active (offline, FALSE);
  g_assert_true (quarry_query_client_get_online (client));
  SPIN_UNTIL (quarry_todo_service_get_n_paused (f->service) == 0 && settled (f));
  SPIN_UNTIL (!gtk_revealer_get_child_revealed (banner));
  todo1 = server_todo (f, 1);
  todo3 = server_todo (f, 3);
  g_assert_true (json_object_get_boolean_member (todo1, "done"));
  g_assert_cmpstr (json_object_get_string_member (todo3, "title"), ==, "Second name");
  g_assert_true (quarry_todo_item_get_done (first));
  g_assert_cmpstr (quarry_todo_item_get_title (third), ==, "Second name");
  g_assert_false (quarry_todo_item_get_pending (third));
  snapshot (f, "09-online");

  /* The banner's button goes online too, and the switch follows. */
  gtk_switch_set_active (offline, TRUE);
  SPIN_UNTIL (gtk_revealer_get_child_revealed (banner));
  g_assert_nonnull (strstr (gtk_label_get_label (banner_label), "back online"));
  quarry_gtk_test_click (quarry_gtk_test_find (GTK_WIDGET (banner), GTK_TYPE_BUTTON, "_Go Online"));
  g_assert_true (quarry_query_client_get_online (client));
  g_assert_false (gtk_switch_get_active (offline));
  g_assert_false (gtk_revealer_get_reveal_child (banner));
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  run_app (f, offline_then_online);
}

/* The "All Todos" page loads the next 50 when scrolled to the end. */
static void
all_page_scrolls (Fixture *f)
{
  GtkStack *stack = template_child (f->window, QUARRY_TYPE_TODO_WINDOW, "stack");
  GtkWidget *page = template_child (f->window, QUARRY_TYPE_TODO_WINDOW, "all_page");
  QuarryInfiniteListView *list = template_child (page, QUARRY_TYPE_TODO_ALL_PAGE, "list");
  QuarryInfiniteQuery *query = quarry_infinite_list_view_get_query (list);
  GListModel *model = quarry_infinite_query_get_items (query);

  /* A hidden page fetches nothing. */
  quarry_gtk_test_settle (GTK_WIDGET (f->window));
  g_assert_false (quarry_query_get_is_fetched (QUARRY_QUERY (query)));

  gtk_stack_set_visible_child_name (stack, "all");
  SPIN_UNTIL (g_list_model_get_n_items (model) >= 50 && query_idle (QUARRY_QUERY (query)));
  quarry_gtk_test_settle (GTK_WIDGET (f->window));
  SPIN_UNTIL (query_idle (QUARRY_QUERY (query)));
  /* The window is full before the last page: more needs a scroll. */
  g_assert_cmpuint (g_list_model_get_n_items (model), <, 120);
  g_assert_true (quarry_infinite_query_get_has_next_page (query));
  snapshot (f, "10-all-first-page");

  /* Scrolled to the end, the next page loads, until there is none. */
  while (quarry_infinite_query_get_has_next_page (query))
    {
      guint n = g_list_model_get_n_items (model);

      quarry_infinite_list_view_scroll_to (list, n - 1);
      SPIN_UNTIL (g_list_model_get_n_items (model) > n && query_idle (QUARRY_QUERY (query)));
    }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 120);
  for (guint i = 0; i < 120; i++)
    {
      g_autoptr(QuarryJsonItem) item = g_list_model_get_item (model, i);

      g_assert_cmpint (quarry_json_item_get_int (item, "id"), ==, i + 1);
    }
  quarry_gtk_test_settle (GTK_WIDGET (f->window));
  snapshot (f, "11-all-end");
}

static void
test_all_page (Fixture       *f,
               gconstpointer  data)
{
  run_app (f, all_page_scrolls);
}

static gint64
first_id (GListModel *model)
{
  g_autoptr(QuarryJsonItem) item = g_list_model_get_item (model, 0);

  return item != NULL ? quarry_json_item_get_int (item, "id") : 0;
}

/* The "Pages" page goes to the next page and back, keeping the page on
 * show while the next loads. */
static void
pages_next_previous (Fixture *f)
{
  GtkStack *stack = template_child (f->window, QUARRY_TYPE_TODO_WINDOW, "stack");
  GtkWidget *page = template_child (f->window, QUARRY_TYPE_TODO_WINDOW, "paged_page");
  QuarryPaginationBar *bar = template_child (page, QUARRY_TYPE_TODO_PAGED_PAGE, "pagination_bar");
  GtkListView *list_view = template_child (page, QUARRY_TYPE_TODO_PAGED_PAGE, "list_view");
  GtkLabel *range = template_child (page, QUARRY_TYPE_TODO_PAGED_PAGE, "range_label");
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (list_view));
  QuarryQuery *query = quarry_pagination_bar_get_query (bar);
  GtkSpinButton *latency = popover_child (f, "latency_spin");

  gtk_stack_set_visible_child_name (stack, "pages");
  SPIN_UNTIL (g_list_model_get_n_items (model) == 20 && query_idle (query));
  g_assert_cmpint (first_id (model), ==, 1);
  g_assert_true (quarry_pagination_bar_get_has_more (bar));
  g_assert_cmpstr (gtk_label_get_label (range), ==, "Todos 1 to 20 of 30");
  snapshot (f, "12-page-1");

  /* A slow server: page 1 stays while page 2 loads. */
  gtk_spin_button_set_value (latency, 1500);
  SPIN_UNTIL (cached_setting (f, "latency_ms") == 1500);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "pagination.next", NULL));
  SPIN_UNTIL (quarry_pagination_bar_get_is_loading (bar));
  g_assert_true (quarry_query_get_is_placeholder_data (query));
  g_assert_cmpint (first_id (model), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 20);
  snapshot (f, "13-page-2-loading");

  SPIN_UNTIL (!quarry_pagination_bar_get_is_loading (bar) && query_idle (query));
  g_assert_cmpint (quarry_pagination_bar_get_page (bar), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);
  g_assert_cmpint (first_id (model), ==, 21);
  g_assert_false (quarry_pagination_bar_get_has_more (bar));
  g_assert_cmpstr (gtk_label_get_label (range), ==, "Todos 21 to 30 of 30");
  snapshot (f, "14-page-2");

  gtk_spin_button_set_value (latency, 0);
  SPIN_UNTIL (cached_setting (f, "latency_ms") == 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "pagination.previous", NULL));
  SPIN_UNTIL (quarry_pagination_bar_get_page (bar) == 1 && first_id (model) == 1 && query_idle (query));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 20);
}

static void
test_pages (Fixture       *f,
            gconstpointer  data)
{
  run_app (f, pages_next_previous);
}

/* Without --server, the app starts its own server, seeded with 10 000
 * todos kept in $XDG_DATA_HOME/quarry-todo/todos.json, and stops it when
 * it quits. */
static void
embedded_server (Fixture *f)
{
  QuarryQuery *query = quarry_todo_list_page_get_query (list_page (f));
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "quarry-todo", "todos.json", NULL);
  const char *uri = quarry_todo_application_get_server_uri (f->app);

  g_assert_true (g_str_has_prefix (uri, "http://127.0.0.1:"));
  g_assert_cmpstr (uri, !=, quarry_todo_server_thread_get_uri (f->server));
  SPIN_UNTIL (n_todos (f) == 10000 && query_idle (query));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_embedded_server (Fixture       *f,
                      gconstpointer  data)
{
  char *argv[] = { (char *) "quarry-todo", NULL };

  f->body = embedded_server;
  f->app = quarry_todo_application_new ();
  g_signal_connect_after (f->app, "activate", G_CALLBACK (activate_cb), f);
  g_assert_cmpint (g_application_run (G_APPLICATION (f->app), 1, argv), ==, 0);
  g_assert_true (f->ran);
  g_clear_object (&f->app);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Bad command lines fail with a message, and start nothing. */
static void
test_bad_server_uri (void)
{
  if (g_test_subprocess ())
    {
      QuarryTodoApplication *app = quarry_todo_application_new ();
      char *argv[] = { (char *) "quarry-todo", (char *) "--server", (char *) "ftp://example.org/", NULL };
      int status = g_application_run (G_APPLICATION (app), 3, argv);

      g_object_unref (app);

      /* This process made its own $XDG_DATA_HOME in main (). */
      remove_tree (g_getenv ("XDG_DATA_HOME"));
      exit (status);
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*ftp://example.org/* is not an http:// or https:// URL*");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("quarry-todo-e2e-data-XXXXXX", NULL);
  int status;

  /* Where the app keeps its own server's todos; before anything reads it. */
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  quarry_gtk_test_init (&argc, &argv);

  g_test_add ("/todo-app/list-and-add", Fixture, NULL, fixture_setup, test_list_and_add, fixture_teardown);
  g_test_add ("/todo-app/search-and-filter", Fixture, NULL, fixture_setup, test_search_and_filter, fixture_teardown);
  g_test_add ("/todo-app/detail-from-cache", Fixture, NULL, fixture_setup, test_detail_from_cache, fixture_teardown);
  g_test_add ("/todo-app/failures-roll-back", Fixture, NULL, fixture_setup, test_failures_roll_back, fixture_teardown);
  g_test_add ("/todo-app/change-during-refetch", Fixture, NULL, fixture_setup, test_change_during_refetch, fixture_teardown);
  g_test_add ("/todo-app/delete", Fixture, NULL, fixture_setup, test_delete, fixture_teardown);
  g_test_add ("/todo-app/offline", Fixture, NULL, fixture_setup, test_offline, fixture_teardown);
  g_test_add ("/todo-app/all-page", Fixture, GUINT_TO_POINTER (120), fixture_setup, test_all_page, fixture_teardown);
  g_test_add ("/todo-app/pages", Fixture, NULL, fixture_setup, test_pages, fixture_teardown);

  g_test_add ("/todo-app/embedded-server", Fixture, NULL, fixture_setup, test_embedded_server, fixture_teardown);
  g_test_add_func ("/todo-app/bad-server-uri", test_bad_server_uri);

  status = g_test_run ();
  remove_tree (data_home);
  return status;
}
