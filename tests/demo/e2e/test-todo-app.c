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
 *
 * Overlapping changes on a slow server are watched through notify logs of
 * the items: a change must show once and never be undone on screen by a
 * refetch, another change's answer or going back online. Keys are real
 * X key presses (XTest), which reach the app as a user's do.
 */

#include <glib/gstdio.h>
#include <gmodule.h>
#include <gdk/x11/gdkx.h>
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
  g_autofree char *text = NULL;
  JsonNode *node;

  body = soup_session_send_and_read (f->session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);
  /* The body has no NUL at its end. */
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  node = json_from_string (text, &error);
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

/* Makes the server answer every /todos request @ms late. */
static void
set_latency (Fixture *f,
             guint    ms)
{
  GtkSpinButton *latency = popover_child (f, "latency_spin");

  gtk_spin_button_set_value (latency, ms);
  SPIN_UNTIL (cached_setting (f, "latency_ms") == ms);
}

/* Notify logs: each change of an item's title or done, as "[…]". */
static void
log_title_cb (QuarryTodoItem *item,
              GParamSpec     *pspec,
              GString        *log)
{
  g_string_append_printf (log, "[%s]", quarry_todo_item_get_title (item));
}

static void
log_done_cb (QuarryTodoItem *item,
             GParamSpec     *pspec,
             GString        *log)
{
  g_string_append (log, quarry_todo_item_get_done (item) ? "[done]" : "[open]");
}

/* The row of @item as it is on screen, without scrolling. */
static QuarryTodoRow *
visible_row (Fixture        *f,
             QuarryTodoItem *item)
{
  QuarryTodoRow *row;

  quarry_gtk_test_settle (GTK_WIDGET (f->window));
  row = find_row_in (list_page_child (f, "list_view"), item);
  return row != NULL && quarry_gtk_test_is_showing (GTK_WIDGET (row)) ? row : NULL;
}

/* Real key presses, through XTest, which the test loads at run time
 * (libXtst has no development files here). */

typedef int (*FakeKeyEventFunc) (Display *display, unsigned int keycode, Bool is_press, unsigned long delay);

static FakeKeyEventFunc
fake_key_event_func (void)
{
  static FakeKeyEventFunc func;

  if (func == NULL)
    {
      /* Kept open for the rest of the process. */
      GModule *module = g_module_open ("libXtst.so.6", G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

      if (module == NULL || !g_module_symbol (module, "XTestFakeKeyEvent", (gpointer *) &func))
        g_error ("XTest is not available: %s", g_module_error ());
    }
  return func;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                guint                 *n_pressed)
{
  (*n_pressed)++;
  return GDK_EVENT_PROPAGATE;
}

/* Presses and releases @keyval on the keyboard, in the window, and waits
 * until the window has seen the press. (The release may find no widget
 * left to go to: the key may have deleted the focused row.) */
static void
press_key (Fixture *f,
           guint    keyval)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  Display *display = gdk_x11_display_get_xdisplay (gtk_widget_get_display (window));
  Window xid = gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window)));
  KeyCode keycode = XKeysymToKeycode (display, keyval);
  GtkEventController *watch = gtk_event_controller_key_new ();
  guint n_pressed = 0;

  g_assert_cmpuint (keycode, !=, 0);
  gtk_event_controller_set_propagation_phase (watch, GTK_PHASE_CAPTURE);
  g_signal_connect (watch, "key-pressed", G_CALLBACK (key_pressed_cb), &n_pressed);
  gtk_widget_add_controller (window, watch);

  XSetInputFocus (display, xid, RevertToParent, CurrentTime);
  fake_key_event_func () (display, keycode, True, CurrentTime);
  fake_key_event_func () (display, keycode, False, CurrentTime);
  XFlush (display);
  SPIN_UNTIL (n_pressed > 0);

  gtk_widget_remove_controller (window, watch);
  quarry_gtk_test_settle (window);
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
  g_autofree char *lock = g_build_filename (f->dir, "todos.json.lock", NULL);

  g_clear_object (&f->session);
  g_clear_pointer (&f->server, quarry_todo_server_thread_stop);
  g_unlink (path);
  g_unlink (lock);
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
  QuarryTodoDetail *detail = list_page_child (f, "detail");
  QuarryQueryView *detail_view = template_child (detail, QUARRY_TYPE_TODO_DETAIL, "view");
  GtkLabel *detail_title = template_child (detail, QUARRY_TYPE_TODO_DETAIL, "title_label");
  GtkLabel *detail_id = template_child (detail, QUARRY_TYPE_TODO_DETAIL, "id_label");
  GtkWidget *detail_pending = template_child (detail, QUARRY_TYPE_TODO_DETAIL, "pending_label");

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query));
  g_assert_cmpint (quarry_query_view_get_state (view), ==, QUARRY_QUERY_VIEW_STATE_CONTENT);
  g_assert_cmpstr (gtk_label_get_label (count), ==, "30 todos");
  for (guint i = 0; i < 30; i++)
    g_assert_cmpint (quarry_todo_item_get_id (todo_at (f, i)), ==, i + 1);
  g_assert_nonnull (row_of (f, todo_at (f, 0)));
  snapshot (f, "01-list");

  /* Enter adds: the todo shows before the server answered, selected and
   * scrolled to (it is the last of 31, below the fold), with the pane
   * showing it. */
  set_latency (f, 300);
  type_and_enter (entry, "Buy oat milk");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  item = find_todo (f, "Buy oat milk");
  g_assert_nonnull (item);
  g_assert_cmpint (quarry_todo_item_get_id (item), <, 0);
  g_assert_true (quarry_todo_item_get_pending (item));
  g_assert_cmpuint (n_todos (f), ==, 31);
  g_assert_cmpint (server_total (f), ==, 30);
  g_assert_true (gtk_single_selection_get_selected_item (selection (f)) == item);
  g_assert_nonnull (visible_row (f, item));
  g_assert_cmpstr (gtk_label_get_label (detail_title), ==, "Buy oat milk");
  g_assert_cmpint (quarry_query_view_get_state (detail_view), ==, QUARRY_QUERY_VIEW_STATE_CONTENT);
  g_assert_true (gtk_widget_get_visible (detail_pending));
  /* Each row's buttons name their todo. */
  gtk_test_accessible_assert_property (template_child (visible_row (f, item), QUARRY_TYPE_TODO_ROW, "check"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Mark “Buy oat milk” as done");
  gtk_test_accessible_assert_property (template_child (visible_row (f, item), QUARRY_TYPE_TODO_ROW, "delete_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Delete “Buy oat milk”");
  snapshot (f, "02-add-pending");

  /* Then with the id the server gave it, still selected and in view. */
  SPIN_UNTIL ((item = find_todo (f, "Buy oat milk")) != NULL && quarry_todo_item_get_id (item) == 31);
  SPIN_UNTIL (settled (f));
  item = find_todo (f, "Buy oat milk");
  g_assert_false (quarry_todo_item_get_pending (item));
  g_assert_true (gtk_single_selection_get_selected_item (selection (f)) == item);
  g_assert_nonnull (visible_row (f, item));
  g_assert_cmpstr (gtk_label_get_label (detail_title), ==, "Buy oat milk");
  g_assert_cmpstr (gtk_label_get_label (detail_id), ==, "31");
  set_latency (f, 0);
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
  /* The reason is the app's, in the user's language, not the server's
   * English text. */
  g_assert_cmpstr (strstr (quarry_todo_notification_get_message (notification (f)), ": "), ==,
                   ": The server is busy; try again later");
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
  GtkWidget *check;

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query));

  item = find_todo_by_id (f, 3);
  button = template_child (row_of (f, item), QUARRY_TYPE_TODO_ROW, "delete_button");
  quarry_gtk_test_click (button);
  g_assert_null (find_todo_by_id (f, 3));
  g_assert_cmpuint (n_todos (f), ==, 29);
  SPIN_UNTIL (settled (f));
  g_assert_cmpint (server_total (f), ==, 29);
  g_assert_null (find_todo_by_id (f, 3));

  /* The Delete key deletes the todo whose row has the focus, here after
   * its check button was used; the first todo is the selected one until
   * then. */
  gtk_single_selection_set_selected (selection (f), 0);
  g_assert_cmpint (quarry_todo_item_get_id (gtk_single_selection_get_selected_item (selection (f))), ==, 1);
  item = find_todo_by_id (f, 5);
  check = template_child (row_of (f, item), QUARRY_TYPE_TODO_ROW, "check");
  gtk_widget_grab_focus (check);
  gtk_widget_activate (check);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), GTK_WIDGET (list_view)));
  press_key (f, GDK_KEY_Delete);
  g_assert_null (find_todo_by_id (f, 5));
  g_assert_nonnull (find_todo_by_id (f, 1));
  SPIN_UNTIL (settled (f));
  g_assert_cmpint (server_total (f), ==, 28);
  g_assert_cmpuint (n_todos (f), ==, 28);
  g_assert_nonnull (find_todo_by_id (f, 1));
  snapshot (f, "07-deleted");

  /* And with the row itself focused, as the arrow keys leave it. */
  item = find_todo_by_id (f, 7);
  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row_of (f, item)))));
  press_key (f, GDK_KEY_Delete);
  g_assert_null (find_todo_by_id (f, 7));
  SPIN_UNTIL (settled (f));
  g_assert_cmpint (server_total (f), ==, 27);
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
  g_autoptr(GString) log1 = g_string_new ("");
  g_autoptr(GString) log3 = g_string_new ("");

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

  /* Online, on a slow server: in order, so the last name wins, and the
   * list never shows the todos as they were while the changes are sent
   * (the refetch of coming online answers first). */
  set_latency (f, 200);
  g_signal_connect (first, "notify::done", G_CALLBACK (log_done_cb), log1);
  g_signal_connect (third, "notify::title", G_CALLBACK (log_title_cb), log3);
  gtk_switch_set_active (offline, FALSE);
  g_assert_true (quarry_query_client_get_online (client));
  SPIN_UNTIL (quarry_todo_service_get_n_paused (f->service) == 0 && settled (f));
  SPIN_UNTIL (!gtk_revealer_get_child_revealed (banner));
  g_signal_handlers_disconnect_by_func (first, log_done_cb, log1);
  g_signal_handlers_disconnect_by_func (third, log_title_cb, log3);
  g_assert_cmpstr (log1->str, ==, "");
  g_assert_cmpstr (log3->str, ==, "");
  set_latency (f, 0);
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

/* Changes that overlap on a slow server: each shows once, and nothing
 * undoes it on screen, neither another change's answer nor the refetch
 * every change asks for once settled. */
static void
overlapping_changes (Fixture *f)
{
  QuarryQuery *query = quarry_todo_list_page_get_query (list_page (f));
  QuarryTodoItem *second, *third, *fourth, *fifth;
  g_autoptr(GString) titles3 = g_string_new ("");
  g_autoptr(GString) titles2 = g_string_new ("");
  g_autoptr(GString) done2 = g_string_new ("");
  g_autoptr(GString) done5 = g_string_new ("");
  g_autoptr(JsonObject) stored = NULL;

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query));
  second = find_todo_by_id (f, 2);
  third = find_todo_by_id (f, 3);
  fourth = find_todo_by_id (f, 4);
  fifth = find_todo_by_id (f, 5);
  set_latency (f, 300);

  /* Two renames of one todo. */
  g_signal_connect (third, "notify::title", G_CALLBACK (log_title_cb), titles3);
  rename_in_row (row_of (f, third), "First name");
  rename_in_row (row_of (f, third), "Second name");
  g_assert_true (quarry_todo_item_get_pending (third));
  SPIN_UNTIL (settled (f) && !quarry_todo_item_get_pending (third));
  g_signal_handlers_disconnect_by_func (third, log_title_cb, titles3);
  g_assert_cmpstr (titles3->str, ==, "[First name][Second name]");

  /* A toggle, then a rename, of one todo. */
  g_assert_false (quarry_todo_item_get_done (second));
  g_signal_connect (second, "notify::title", G_CALLBACK (log_title_cb), titles2);
  g_signal_connect (second, "notify::done", G_CALLBACK (log_done_cb), done2);
  gtk_widget_activate (template_child (row_of (f, second), QUARRY_TYPE_TODO_ROW, "check"));
  rename_in_row (row_of (f, second), "Renamed");
  snapshot (f, "17-overlapping-pending");
  SPIN_UNTIL (settled (f) && !quarry_todo_item_get_pending (second));
  g_signal_handlers_disconnect_by_func (second, log_title_cb, titles2);
  g_signal_handlers_disconnect_by_func (second, log_done_cb, done2);
  g_assert_cmpstr (titles2->str, ==, "[Renamed]");
  g_assert_cmpstr (done2->str, ==, "[done]");

  /* Toggles of two todos: the first one's refetch runs while the second
   * is pending. */
  g_assert_false (quarry_todo_item_get_done (fourth));
  g_assert_false (quarry_todo_item_get_done (fifth));
  g_signal_connect (fifth, "notify::done", G_CALLBACK (log_done_cb), done5);
  gtk_widget_activate (template_child (row_of (f, fourth), QUARRY_TYPE_TODO_ROW, "check"));
  gtk_widget_activate (template_child (row_of (f, fifth), QUARRY_TYPE_TODO_ROW, "check"));
  SPIN_UNTIL (settled (f) && !quarry_todo_item_get_pending (fifth));
  g_signal_handlers_disconnect_by_func (fifth, log_done_cb, done5);
  g_assert_cmpstr (done5->str, ==, "[done]");
  g_assert_true (quarry_todo_item_get_done (fourth));

  set_latency (f, 0);
  stored = server_todo (f, 3);
  g_assert_cmpstr (json_object_get_string_member (stored, "title"), ==, "Second name");
  g_clear_pointer (&stored, json_object_unref);
  stored = server_todo (f, 2);
  g_assert_cmpstr (json_object_get_string_member (stored, "title"), ==, "Renamed");
  g_assert_true (json_object_get_boolean_member (stored, "done"));
  g_clear_pointer (&stored, json_object_unref);
  stored = server_todo (f, 5);
  g_assert_true (json_object_get_boolean_member (stored, "done"));
}

static void
test_overlapping_changes (Fixture       *f,
                          gconstpointer  data)
{
  run_app (f, overlapping_changes);
}

/* Several pending changes fail: each rollback takes back its own change
 * only, and the list ends as the server has it. Then the middle one of
 * three changes of a todo fails (the server refuses a title too long) and
 * the other two stay. */
static void
failures_roll_back_alone (Fixture *f)
{
  QuarryQuery *query = quarry_todo_list_page_get_query (list_page (f));
  QuarryTodoItem *first, *second, *fourth;
  GtkCheckButton *check;
  g_autoptr(GString) done1 = g_string_new ("");
  g_autoptr(GString) titles2 = g_string_new ("");
  g_autoptr(GString) titles4 = g_string_new ("");
  g_autoptr(GString) done4 = g_string_new ("");
  g_autoptr(JsonObject) stored = NULL;
  g_autofree char *title2 = NULL;
  g_autofree char *title4 = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *too_long = g_strnfill (501, 'x');

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query));
  first = find_todo_by_id (f, 1);
  second = find_todo_by_id (f, 2);
  fourth = find_todo_by_id (f, 4);
  title2 = g_strdup (quarry_todo_item_get_title (second));
  title4 = g_strdup (quarry_todo_item_get_title (fourth));
  g_assert_false (quarry_todo_item_get_done (first));

  set_latency (f, 300);
  set_fail_rate (f, 100);
  g_signal_connect (first, "notify::done", G_CALLBACK (log_done_cb), done1);
  g_signal_connect (second, "notify::title", G_CALLBACK (log_title_cb), titles2);
  check = template_child (row_of (f, first), QUARRY_TYPE_TODO_ROW, "check");
  gtk_widget_activate (GTK_WIDGET (check));   /* done */
  gtk_widget_activate (GTK_WIDGET (check));   /* open again */
  rename_in_row (row_of (f, second), "A");
  rename_in_row (row_of (f, second), "B");
  SPIN_UNTIL (settled (f) && !quarry_todo_item_get_pending (first) && !quarry_todo_item_get_pending (second));
  g_signal_handlers_disconnect_by_func (first, log_done_cb, done1);
  g_signal_handlers_disconnect_by_func (second, log_title_cb, titles2);
  g_assert_cmpstr (done1->str, ==, "[done][open]");
  expected = g_strdup_printf ("[A][B][%s]", title2);
  g_assert_cmpstr (titles2->str, ==, expected);
  g_assert_false (quarry_todo_item_get_done (first));
  g_assert_cmpstr (quarry_todo_item_get_title (second), ==, title2);

  set_fail_rate (f, 0);
  stored = server_todo (f, 1);
  g_assert_false (json_object_get_boolean_member (stored, "done"));
  g_clear_pointer (&stored, json_object_unref);
  stored = server_todo (f, 2);
  g_assert_cmpstr (json_object_get_string_member (stored, "title"), ==, title2);
  g_clear_pointer (&stored, json_object_unref);

  /* A rename, a rename the server refuses, a toggle. */
  g_signal_connect (fourth, "notify::title", G_CALLBACK (log_title_cb), titles4);
  g_signal_connect (fourth, "notify::done", G_CALLBACK (log_done_cb), done4);
  rename_in_row (row_of (f, fourth), "Alpha");
  quarry_todo_service_set_title (f->service, 4, too_long);
  gtk_widget_activate (template_child (row_of (f, fourth), QUARRY_TYPE_TODO_ROW, "check"));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Could not rename “Alpha”: The server refused the change");
  SPIN_UNTIL (settled (f) && !quarry_todo_item_get_pending (fourth) && notification_shows (f, expected));
  g_signal_handlers_disconnect_by_func (fourth, log_title_cb, titles4);
  g_signal_handlers_disconnect_by_func (fourth, log_done_cb, done4);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("[Alpha][%s][Alpha]", too_long);
  g_assert_cmpstr (titles4->str, ==, expected);
  g_assert_cmpstr (done4->str, ==, "[done]");
  set_latency (f, 0);
  stored = server_todo (f, 4);
  g_assert_cmpstr (json_object_get_string_member (stored, "title"), ==, "Alpha");
  g_assert_true (json_object_get_boolean_member (stored, "done"));
}

static void
test_failures_roll_back_alone (Fixture       *f,
                               gconstpointer  data)
{
  run_app (f, failures_roll_back_alone);
}

/* A todo added offline can be renamed, marked done or deleted before the
 * server created it; back online, the changes reach it under its new id. */
static void
changes_to_new_todos (Fixture *f)
{
  QuarryQuery *query = quarry_todo_list_page_get_query (list_page (f));
  GtkSwitch *offline = popover_child (f, "offline_switch");
  GtkWidget *entry = list_page_child (f, "add_entry");
  QuarryTodoItem *draft, *scratch;
  g_autoptr(JsonNode) found = NULL;
  JsonArray *items;
  gint64 draft_id, scratch_id;

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query));
  gtk_switch_set_active (offline, TRUE);

  type_and_enter (entry, "Draft");
  type_and_enter (entry, "Scratch");
  draft = find_todo (f, "Draft");
  scratch = find_todo (f, "Scratch");
  draft_id = quarry_todo_item_get_id (draft);
  scratch_id = quarry_todo_item_get_id (scratch);
  g_assert_cmpint (draft_id, <, 0);
  g_assert_cmpint (scratch_id, <, 0);

  rename_in_row (row_of (f, draft), "Final draft");
  gtk_widget_activate (template_child (row_of (f, draft), QUARRY_TYPE_TODO_ROW, "check"));
  quarry_gtk_test_click (template_child (row_of (f, scratch), QUARRY_TYPE_TODO_ROW, "delete_button"));
  g_assert_cmpstr (quarry_todo_item_get_title (draft), ==, "Final draft");
  g_assert_true (quarry_todo_item_get_done (draft));
  g_assert_null (find_todo (f, "Scratch"));
  g_assert_cmpuint (n_todos (f), ==, 31);
  g_assert_cmpuint (quarry_todo_service_get_n_paused (f->service), ==, 5);
  snapshot (f, "18-new-todos-offline");

  gtk_switch_set_active (offline, FALSE);
  SPIN_UNTIL (quarry_todo_service_get_n_paused (f->service) == 0 && settled (f));

  /* On the server: the draft, renamed and done; no scratch. */
  found = server_get (f, "/todos?q=draft");
  items = json_object_get_array_member (json_node_get_object (found), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "title"), ==,
                   "Final draft");
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (items, 0), "done"));
  g_clear_pointer (&found, json_node_unref);
  found = server_get (f, "/todos?q=scratch");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (found), "total"), ==, 0);
  g_assert_cmpint (server_total (f), ==, 31);

  draft = find_todo (f, "Final draft");
  g_assert_nonnull (draft);
  g_assert_cmpint (quarry_todo_item_get_id (draft), >, 0);
  g_assert_true (quarry_todo_item_get_done (draft));
  g_assert_false (quarry_todo_item_get_pending (draft));
  g_assert_null (find_todo_by_id (f, draft_id));
  g_assert_null (find_todo (f, "Scratch"));
  g_assert_cmpuint (n_todos (f), ==, 31);
}

static void
test_changes_to_new_todos (Fixture       *f,
                           gconstpointer  data)
{
  run_app (f, changes_to_new_todos);
}

/* A todo selected while a change of it is pending: the pane shows the
 * change, and no longer once it is rolled back. */
static void
detail_not_from_pending (Fixture *f)
{
  QuarryQuery *query = quarry_todo_list_page_get_query (list_page (f));
  QuarryTodoDetail *detail = list_page_child (f, "detail");
  QuarryQuery *detail_query = quarry_todo_detail_get_query (detail);
  GtkLabel *status = template_child (detail, QUARRY_TYPE_TODO_DETAIL, "status_label");
  GtkWidget *saving = template_child (detail, QUARRY_TYPE_TODO_DETAIL, "pending_label");
  QuarryQueryClient *client = quarry_todo_service_get_client (f->service);
  g_autoptr(QuarryKey) key = quarry_todo_service_detail_key (5);
  QuarryTodoItem *item;
  const GValue *cached;

  SPIN_UNTIL (n_todos (f) == 30 && query_idle (query));
  item = find_todo_by_id (f, 5);
  g_assert_false (quarry_todo_item_get_done (item));

  set_latency (f, 300);
  set_fail_rate (f, 100);
  gtk_widget_activate (template_child (row_of (f, item), QUARRY_TYPE_TODO_ROW, "check"));
  gtk_single_selection_set_selected (selection (f), 4);
  g_assert_cmpstr (gtk_label_get_label (status), ==, "Done");
  g_assert_true (gtk_widget_get_visible (saving));

  SPIN_UNTIL (settled (f) && !quarry_todo_item_get_pending (item));
  g_assert_false (quarry_todo_item_get_done (item));
  /* The copy with the change was never cached; the todo's own fetch
   * failed too, and the pane says so. */
  cached = quarry_query_client_get_query_data (client, key);
  g_assert_true (cached == NULL ||
                 (!json_object_get_boolean_member (json_node_get_object (g_value_get_boxed (cached)), "done") &&
                  !json_object_has_member (json_node_get_object (g_value_get_boxed (cached)), "pending")));
  g_assert_false (quarry_query_get_is_placeholder_data (detail_query) && gtk_widget_get_visible (saving));

  /* The server answers again: the pane shows the todo as it is. */
  set_fail_rate (f, 0);
  set_latency (f, 0);
  quarry_query_refetch (detail_query);
  SPIN_UNTIL (settled (f) && quarry_query_get_is_success (detail_query));
  g_assert_cmpstr (gtk_label_get_label (status), ==, "Open");
  g_assert_false (gtk_widget_get_visible (saving));
}

static void
test_detail_not_from_pending (Fixture       *f,
                              gconstpointer  data)
{
  run_app (f, detail_not_from_pending);
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
  g_test_add ("/todo-app/overlapping-changes", Fixture, NULL, fixture_setup, test_overlapping_changes, fixture_teardown);
  g_test_add ("/todo-app/failures-roll-back-alone", Fixture, NULL, fixture_setup, test_failures_roll_back_alone, fixture_teardown);
  g_test_add ("/todo-app/changes-to-new-todos", Fixture, NULL, fixture_setup, test_changes_to_new_todos, fixture_teardown);
  g_test_add ("/todo-app/detail-not-from-pending", Fixture, NULL, fixture_setup, test_detail_not_from_pending, fixture_teardown);
  g_test_add ("/todo-app/all-page", Fixture, GUINT_TO_POINTER (120), fixture_setup, test_all_page, fixture_teardown);
  g_test_add ("/todo-app/pages", Fixture, NULL, fixture_setup, test_pages, fixture_teardown);

  g_test_add ("/todo-app/embedded-server", Fixture, NULL, fixture_setup, test_embedded_server, fixture_teardown);
  g_test_add_func ("/todo-app/bad-server-uri", test_bad_server_uri);

  status = g_test_run ();
  remove_tree (data_home);
  return status;
}
