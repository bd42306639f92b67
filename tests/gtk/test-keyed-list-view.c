/* test-keyed-list-view.c: a QuarryKeyedListModel in a real GtkListView
 * (GtkScrolledWindow, GtkSingleSelection), over a query on a manual clock
 * whose fetches the test completes: a refetch that reorders and changes
 * items keeps the selected item object, its selection and the scroll
 * position; one that only changes contents keeps the rows and shows the
 * new text through a binding to the item's property.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-gtk-test-util.h"
#include "quarry-test-util.h"

/* ------------------------------------------------------------------------
 * KeyedTodo: the application's item type, shown through a
 * GtkBuilderListItemFactory whose label binds its "title".
 * ------------------------------------------------------------------------ */

#define KEYED_TYPE_TODO (keyed_todo_get_type ())
G_DECLARE_FINAL_TYPE (KeyedTodo, keyed_todo, KEYED, TODO, GObject)

struct _KeyedTodo
{
  GObject parent_instance;
  gint64 id;
  char *title;
};

enum { TODO_PROP_0, TODO_PROP_ID, TODO_PROP_TITLE, TODO_N_PROPS };

static GParamSpec *todo_props[TODO_N_PROPS];

G_DEFINE_FINAL_TYPE (KeyedTodo, keyed_todo, G_TYPE_OBJECT)

static void
keyed_todo_finalize (GObject *object)
{
  g_free (KEYED_TODO (object)->title);
  G_OBJECT_CLASS (keyed_todo_parent_class)->finalize (object);
}

static void
keyed_todo_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KeyedTodo *self = KEYED_TODO (object);

  switch (prop_id)
    {
    case TODO_PROP_ID: g_value_set_int64 (value, self->id); break;
    case TODO_PROP_TITLE: g_value_set_string (value, self->title); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
keyed_todo_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  KeyedTodo *self = KEYED_TODO (object);

  switch (prop_id)
    {
    case TODO_PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case TODO_PROP_TITLE:
      if (g_strcmp0 (self->title, g_value_get_string (value)) == 0)
        return;
      g_free (self->title);
      self->title = g_value_dup_string (value);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
keyed_todo_class_init (KeyedTodoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = keyed_todo_finalize;
  object_class->get_property = keyed_todo_get_property;
  object_class->set_property = keyed_todo_set_property;
  todo_props[TODO_PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  todo_props[TODO_PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, TODO_N_PROPS, todo_props);
}

static void
keyed_todo_init (KeyedTodo *self)
{
}

static const char row_ui[] =
  "<interface>"
  "  <template class=\"GtkListItem\">"
  "    <property name=\"child\">"
  "      <object class=\"GtkLabel\">"
  "        <property name=\"xalign\">0</property>"
  "        <property name=\"margin-top\">4</property>"
  "        <property name=\"margin-bottom\">4</property>"
  "        <binding name=\"label\">"
  "          <lookup name=\"title\" type=\"KeyedTodo\">"
  "            <lookup name=\"item\">GtkListItem</lookup>"
  "          </lookup>"
  "        </binding>"
  "      </object>"
  "    </property>"
  "  </template>"
  "</interface>";

/* ------------------------------------------------------------------------
 * The fixture: a client on a manual clock, a query fetching with a
 * Fetcher, the keyed model, a single selection and a list view in a
 * scrolled window in a window.
 * ------------------------------------------------------------------------ */

#define N_TODOS 200

typedef struct
{
  Fixture base;
  Fetcher *fetcher;
  QuarryQuery *query;
  QuarryKeyedListModel *model;
  GtkSingleSelection *selection;
  GtkListView *list;
  GtkScrolledWindow *scrolled;
  GtkWindow *window;
  GString *changes;
} ViewFixture;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%s(%u,%u,%u)", log->len > 0 ? " " : "", position, removed, added);
}

/* The list as the server sends it: the ids of @order (1-based, in that
 * order), titled "Item <id>", or "Item <id> v<rev>" for those in @changed. */
static char *
list_json (const guint *order,
           guint        n,
           const guint *changed,
           guint        n_changed,
           guint        rev)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    {
      gboolean is_changed = FALSE;

      for (guint c = 0; c < n_changed; c++)
        is_changed |= changed[c] == order[i];
      g_string_append_printf (json, "%s{\"id\":%u,\"title\":\"Item %u", i > 0 ? "," : "", order[i], order[i]);
      if (is_changed)
        g_string_append_printf (json, " v%u", rev);
      g_string_append (json, "\"}");
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static void
resolve (ViewFixture *f,
         guint        index,
         const char  *json)
{
  fetcher_resolve_json (f->fetcher, index, json);
  quarry_clock_flush (f->base.clock);
}

static void
view_setup (ViewFixture   *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (row_ui, sizeof row_ui - 1);
  g_autofree guint *order = g_new (guint, N_TODOS);
  g_autofree char *json = NULL;
  GtkListItemFactory *factory;

  fixture_setup (&f->base, data);
  g_type_ensure (KEYED_TYPE_TODO);
  f->fetcher = fetcher_new ();
  f->changes = g_string_new (NULL);
  f->query = make_query (&f->base, "[\"todos\"]", f->fetcher);
  f->model = quarry_keyed_list_model_new (f->query, KEYED_TYPE_TODO);
  g_signal_connect (f->model, "items-changed", G_CALLBACK (items_changed_cb), f->changes);
  f->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (f->model)));
  gtk_single_selection_set_autoselect (f->selection, FALSE);
  gtk_single_selection_set_can_unselect (f->selection, TRUE);
  factory = gtk_builder_list_item_factory_new_from_bytes (NULL, bytes);
  f->list = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (f->selection)), factory));
  f->scrolled = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_policy (f->scrolled, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (f->scrolled, GTK_WIDGET (f->list));
  f->window = quarry_gtk_test_window_new (GTK_WIDGET (f->scrolled), 320, 400);

  /* The first fetch lands: 200 todos. */
  quarry_clock_flush (f->base.clock);
  g_assert_cmpuint (f->fetcher->calls, ==, 1);
  for (guint i = 0; i < N_TODOS; i++)
    order[i] = i + 1;
  json = list_json (order, N_TODOS, NULL, 0, 0);
  resolve (f, 0, json);
  g_assert_cmpstr (f->changes->str, ==, "(0,0,200)");
  g_string_truncate (f->changes, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->selection)), ==, N_TODOS);
  quarry_gtk_test_settle (GTK_WIDGET (f->window));
}

static void
view_teardown (ViewFixture   *f,
               gconstpointer  data)
{
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->selection);
  g_signal_handlers_disconnect_by_data (f->model, f->changes);
  quarry_keyed_list_model_set_query (f->model, NULL);
  g_assert_finalize_object (f->model);
  g_assert_finalize_object (f->query);
  fetcher_free (f->fetcher);
  g_string_free (f->changes, TRUE);
  fixture_teardown (&f->base, data);
}

static GtkAdjustment *
vadjustment (ViewFixture *f)
{
  return gtk_scrolled_window_get_vadjustment (f->scrolled);
}

/* The label showing @text, if a row shows it. */
static GtkWidget *
row_label (ViewFixture *f,
           const char  *text)
{
  return quarry_gtk_test_find (GTK_WIDGET (f->list), GTK_TYPE_LABEL, text);
}

/* Whether @widget lies within the scrolled window's viewport. */
static gboolean
in_viewport (ViewFixture *f,
             GtkWidget   *widget)
{
  graphene_rect_t bounds;

  if (widget == NULL || !gtk_widget_get_mapped (widget))
    return FALSE;
  if (!gtk_widget_compute_bounds (widget, GTK_WIDGET (f->scrolled), &bounds))
    return FALSE;
  return bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (GTK_WIDGET (f->scrolled));
}

/* Scrolls row @position into view and selects it. */
static void
scroll_and_select (ViewFixture *f,
                   guint        position)
{
  gtk_widget_activate_action (GTK_WIDGET (f->list), "list.scroll-to-item", "u", position);
  quarry_gtk_test_settle (GTK_WIDGET (f->window));
  gtk_single_selection_set_selected (f->selection, position);
  quarry_gtk_test_settle (GTK_WIDGET (f->window));
  g_assert_cmpuint (gtk_single_selection_get_selected (f->selection), ==, position);
}

/* A refetch that moves the selected todo (101, at 100) up by four rows and
 * todo 120 up to the place after 89, and changes the titles of the
 * selected todo and of two others: the selected todo stays the same object,
 * selected, at its new place, and the rows on screen stay the same
 * widgets. */
static void
test_reorder_keeps_selection_and_scroll (ViewFixture   *f,
                                         gconstpointer  data)
{
  g_autofree guint *order = g_new (guint, N_TODOS);
  static const guint changed[] = { 101, 50, 191 };
  g_autofree char *json = NULL;
  GObject *selected;
  GtkWidget *label, *neighbour;
  graphene_rect_t before, after;
  double value_before, value_after;
  graphene_rect_t row;
  double row_height;
  guint n = 0;

  scroll_and_select (f, 100);
  selected = gtk_single_selection_get_selected_item (f->selection);
  g_assert_true (KEYED_IS_TODO (selected));
  g_assert_cmpint (KEYED_TODO (selected)->id, ==, 101);
  label = row_label (f, "Item 101");
  neighbour = row_label (f, "Item 102");
  g_assert_true (in_viewport (f, label));
  g_assert_true (gtk_widget_compute_bounds (label, GTK_WIDGET (f->scrolled), &before));
  value_before = gtk_adjustment_get_value (vadjustment (f));
  g_assert_cmpfloat (value_before, >, 0);

  /* 1..89, 120, 90..96, 101, 97..100, 102..119, 121..200. */
  for (guint id = 1; id <= 89; id++)
    order[n++] = id;
  order[n++] = 120;
  for (guint id = 90; id <= 96; id++)
    order[n++] = id;
  order[n++] = 101;
  for (guint id = 97; id <= 200; id++)
    if (id != 101 && id != 120)
      order[n++] = id;
  g_assert_cmpuint (n, ==, N_TODOS);
  json = list_json (order, N_TODOS, changed, G_N_ELEMENTS (changed), 1);

  quarry_query_refetch (f->query);
  quarry_clock_flush (f->base.clock);
  g_assert_cmpuint (f->fetcher->calls, ==, 2);
  resolve (f, 1, json);
  quarry_gtk_test_settle (GTK_WIDGET (f->window));

  /* Both moves in one emission, from the first place they touch (after
   * 89) to the last (120's old place): 31 todos removed and added, the
   * same objects. */
  g_assert_cmpstr (f->changes->str, ==, "(89,31,31)");

  /* The same object, still selected, at its new place; its title changed
   * in place. */
  g_assert_true (gtk_single_selection_get_selected_item (f->selection) == selected);
  g_assert_cmpuint (gtk_single_selection_get_selected (f->selection), ==, 97);
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (f->selection), 97));
  g_assert_cmpstr (KEYED_TODO (selected)->title, ==, "Item 101 v1");

  /* The rows keep their widgets: the label that showed 101 shows its new
   * title, the one that showed 102 still shows 102. */
  g_assert_true (row_label (f, "Item 101 v1") == label);
  g_assert_true (row_label (f, "Item 102") == neighbour);

  value_after = gtk_adjustment_get_value (vadjustment (f));
  g_assert_true (gtk_widget_compute_bounds (label, GTK_WIDGET (f->scrolled), &after));
  g_test_message ("value %g -> %g, row y %g -> %g (row height %g)", value_before, value_after,
                  before.origin.y, after.origin.y, before.size.height);
  g_assert_true (in_viewport (f, label));

  /* GTK 4.8 keeps the list anchored on the row it scrolled to (the
   * tracker follows an item removed and added in one emission): that row
   * stays at the same height on screen, and the scroll offset follows it,
   * three rows up. */
  g_assert_true (gtk_widget_compute_bounds (gtk_widget_get_parent (label), GTK_WIDGET (f->scrolled), &row));
  row_height = row.size.height;
  g_assert_cmpfloat (row_height, >, 0);
  g_assert_cmpfloat (after.origin.y, ==, before.origin.y);
  g_assert_cmpfloat (value_after, ==, value_before - 3 * row_height);
  g_free (quarry_gtk_test_snapshot (GTK_WIDGET (f->window), "keyed-list-view-reordered"));
}

/* A refetch that only changes the titles of visible todos (the selected
 * one among them): no items-changed, the same row widgets, the new text. */
static void
test_contents_keep_rows (ViewFixture   *f,
                         gconstpointer  data)
{
  g_autofree guint *order = g_new (guint, N_TODOS);
  static const guint changed[] = { 95, 98, 101 };
  g_autofree char *json = NULL;
  GtkWidget *labels[G_N_ELEMENTS (changed)];
  GObject *selected;
  double value_before;

  scroll_and_select (f, 100);
  selected = gtk_single_selection_get_selected_item (f->selection);
  value_before = gtk_adjustment_get_value (vadjustment (f));
  for (guint c = 0; c < G_N_ELEMENTS (changed); c++)
    {
      g_autofree char *text = g_strdup_printf ("Item %u", changed[c]);

      labels[c] = row_label (f, text);
      g_assert_true (in_viewport (f, labels[c]));
    }

  for (guint i = 0; i < N_TODOS; i++)
    order[i] = i + 1;
  json = list_json (order, N_TODOS, changed, G_N_ELEMENTS (changed), 2);
  quarry_query_refetch (f->query);
  quarry_clock_flush (f->base.clock);
  resolve (f, 1, json);
  quarry_gtk_test_settle (GTK_WIDGET (f->window));

  g_assert_cmpstr (f->changes->str, ==, "");
  g_assert_true (gtk_single_selection_get_selected_item (f->selection) == selected);
  g_assert_cmpuint (gtk_single_selection_get_selected (f->selection), ==, 100);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment (f)), ==, value_before);
  for (guint c = 0; c < G_N_ELEMENTS (changed); c++)
    {
      g_autofree char *text = g_strdup_printf ("Item %u v2", changed[c]);

      /* The very label that showed the old title. */
      g_assert_true (row_label (f, text) == labels[c]);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (labels[c])), ==, text);
      g_assert_true (in_viewport (f, labels[c]));
    }
  g_assert_null (row_label (f, "Item 101"));
}

int
main (int argc, char *argv[])
{
  quarry_gtk_test_init (&argc, &argv);

  g_test_add ("/keyed-list-view/reorder-keeps-selection-and-scroll", ViewFixture, NULL,
              view_setup, test_reorder_keeps_selection_and_scroll, view_teardown);
  g_test_add ("/keyed-list-view/contents-keep-rows", ViewFixture, NULL,
              view_setup, test_contents_keep_rows, view_teardown);

  return g_test_run ();
}
