/* quarry-todo-list-page.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "quarry-todo-detail.h"
#include "quarry-todo-item.h"
#include "quarry-todo-list-page.h"
#include "quarry-todo-row.h"

/*
 * QuarryTodoListPage:
 *
 * The "Todos" page: a search entry and an All / Open / Done filter, an
 * entry to add a todo, the list, and the selected todo in a pane beside
 * it.
 *
 * The list is one query whose key follows the search and the filter,
 * `["todos", {"done": …, "q": …}]`, shown through a QuarryKeyedListModel
 * under a GtkSingleSelection: a refetch updates the rows in place, so the
 * selection and the scroll position stay. A QuarryQueryView shows the
 * first load, a failure with Retry, and "No Todos".
 *
 * The rows ask for changes with the actions `todo.set-done`,
 * `todo.rename` and `todo.delete`, which this page implements with the
 * app's mutations, and select themselves with `todo.select` when the focus
 * enters them; `todo.delete-current` (the Delete key) deletes the todo of
 * the row holding the focus, or else the selected one.
 *
 * A new todo is selected and scrolled to at once, and stays selected when
 * the server's id replaces its temporary one.
 */

struct _QuarryTodoListPage
{
  GtkWidget parent_instance;

  GtkPaned *paned;
  GtkSearchEntry *search_entry;
  GtkToggleButton *all_button;
  GtkToggleButton *open_button;
  GtkToggleButton *done_button;
  GtkEntry *add_entry;
  GtkButton *add_button;
  QuarryQueryView *view;
  GtkListView *list_view;
  GtkLabel *count_label;
  QuarryTodoDetail *detail;

  QuarryTodoService *service;
  QuarryQuery *query;
  QuarryKeyedListModel *model;
  GtkSingleSelection *selection;
  QuarryQuery *detail_query;
  gint64 follow_id;   /* a new todo to keep selected until the server created it */
};

G_DEFINE_FINAL_TYPE (QuarryTodoListPage, quarry_todo_list_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_QUERY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static QuarryTodoFilter
current_filter (QuarryTodoListPage *self)
{
  if (gtk_toggle_button_get_active (self->open_button))
    return QUARRY_TODO_FILTER_OPEN;
  if (gtk_toggle_button_get_active (self->done_button))
    return QUARRY_TODO_FILTER_DONE;
  return QUARRY_TODO_FILTER_ALL;
}

static void
update_key (QuarryTodoListPage *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (search));
  QuarryTodoFilter filter = current_filter (self);
  g_autoptr(QuarryKey) key = quarry_todo_service_list_key (stripped, filter);

  if (stripped[0] != '\0' || filter != QUARRY_TODO_FILTER_ALL)
    quarry_query_view_set_empty_description (self->view, _("No todo matches the search and the filter"));
  else
    quarry_query_view_set_empty_description (self->view, _("Add one with the entry above"));

  if (self->query != NULL)
    quarry_query_set_key (self->query, key);
}

static void
update_count (QuarryTodoListPage *self)
{
  const GValue *value = quarry_query_get_value (self->query);
  JsonNode *node = value != NULL && G_VALUE_HOLDS (value, JSON_TYPE_NODE) ? g_value_get_boxed (value) : NULL;
  g_autofree char *text = NULL;
  gint64 total;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      gtk_label_set_label (self->count_label, "");
      return;
    }

  total = CLAMP (json_object_get_int_member_with_default (json_node_get_object (node), "total", 0), 0, G_MAXINT);
  text = g_strdup_printf (ngettext ("%d todo", "%d todos", (int) total), (int) total);
  gtk_label_set_label (self->count_label, text);
}

/* The pane shows the selected todo: at once from the list's copy, then
 * from its own fetch. A copy the server confirmed is initial data, as old
 * as the list's. A copy with changes the server has not confirmed, or of a
 * todo it has not created yet, is only placeholder data, which the cache
 * does not keep: it must not outlive a rollback. */
static void
update_detail (QuarryTodoListPage *self)
{
  QuarryTodoItem *item = gtk_single_selection_get_selected_item (self->selection);
  g_autoptr(QuarryKey) key = NULL;
  g_auto(GValue) copy = G_VALUE_INIT;
  JsonNode *todo;
  gboolean confirmed;
  gint64 id;

  if (item == NULL || quarry_todo_item_get_id (item) == 0)
    {
      quarry_query_set_key (self->detail_query, NULL);
      return;
    }

  id = quarry_todo_item_get_id (item);
  key = quarry_todo_service_detail_key (id);
  todo = quarry_todo_service_find_todo (quarry_query_get_value (self->query), id);
  confirmed = id > 0 && !quarry_todo_item_get_pending (item);

  if (todo != NULL)
    {
      g_value_init (&copy, JSON_TYPE_NODE);
      g_value_set_boxed (&copy, todo);
    }
  quarry_query_set_initial_data (self->detail_query, todo != NULL && confirmed ? &copy : NULL);
  quarry_query_set_initial_data_updated_at (self->detail_query,
                                            quarry_query_get_data_updated_at (self->query));
  quarry_query_set_placeholder_data (self->detail_query, todo != NULL && !confirmed ? &copy : NULL);

  /* The server knows no todo by a temporary id. */
  quarry_query_set_enabled (self->detail_query, id > 0);
  quarry_query_set_key (self->detail_query, key);
}

/* A todo shown from placeholder data follows the list's copy. */
static void
on_list_data_changed (QuarryTodoListPage *self)
{
  if (self->detail_query != NULL && quarry_query_get_is_placeholder_data (self->detail_query))
    update_detail (self);
}

static gboolean
select_id (QuarryTodoListPage *self,
           gint64              id)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  guint position;

  if (quarry_keyed_list_model_lookup (self->model, text, &position) == NULL)
    return FALSE;

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  return TRUE;
}

/* The server created a todo added here: it stays selected under its new
 * id. */
static void
on_created_cb (QuarryTodoListPage *self,
               gint64              temporary_id,
               gint64              id,
               QuarryTodoService  *service)
{
  QuarryTodoItem *selected = gtk_single_selection_get_selected_item (self->selection);

  if (self->follow_id != temporary_id)
    return;
  self->follow_id = 0;

  if (selected == NULL ||
      quarry_todo_item_get_id (selected) == temporary_id ||
      quarry_todo_item_get_id (selected) == id)
    select_id (self, id);
}

static void
on_search_changed_cb (QuarryTodoListPage *self,
                      GtkSearchEntry     *entry)
{
  update_key (self);
}

static void
on_search_stop_cb (QuarryTodoListPage *self,
                   GtkSearchEntry     *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
on_filter_toggled_cb (QuarryTodoListPage *self,
                      GtkToggleButton    *button)
{
  if (gtk_toggle_button_get_active (button))
    update_key (self);
}

static void
add_todo (QuarryTodoListPage *self)
{
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_entry))));
  gint64 id;

  if (self->service == NULL)
    return;

  if (title[0] == '\0')
    {
      gtk_widget_error_bell (GTK_WIDGET (self->add_entry));
      return;
    }

  id = quarry_todo_service_add (self->service, title);
  gtk_editable_set_text (GTK_EDITABLE (self->add_entry), "");

  /* Where the user sees it, when the list shows it. */
  if (select_id (self, id))
    self->follow_id = id;
}

static void
on_add_activate_cb (QuarryTodoListPage *self,
                    GtkWidget          *widget)
{
  add_todo (self);
}

static void
on_add_entry_changed_cb (QuarryTodoListPage *self,
                         GtkEditable        *entry)
{
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), title[0] != '\0');
}

/* Actions. */

static void
set_done_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  QuarryTodoListPage *self = QUARRY_TODO_LIST_PAGE (widget);
  gint64 id;
  gboolean done;

  g_variant_get (parameter, "(xb)", &id, &done);
  if (self->service != NULL && id != 0)
    quarry_todo_service_set_done (self->service, id, done);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QuarryTodoListPage *self = QUARRY_TODO_LIST_PAGE (widget);
  const char *title;
  gint64 id;

  g_variant_get (parameter, "(x&s)", &id, &title);
  if (self->service != NULL && id != 0 && title[0] != '\0')
    quarry_todo_service_set_title (self->service, id, title);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QuarryTodoListPage *self = QUARRY_TODO_LIST_PAGE (widget);
  gint64 id = g_variant_get_int64 (parameter);

  if (self->service != NULL && id != 0)
    quarry_todo_service_delete (self->service, id);
}

/* The todo of the row that holds the focus: in GTK 4.8 a click on a
 * row's button focuses the row without selecting it. */
static QuarryTodoItem *
focused_item (QuarryTodoListPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)))
    return NULL;

  row = gtk_widget_get_ancestor (focus, QUARRY_TYPE_TODO_ROW);
  /* The list's own item widget, around a row. */
  if (row == NULL && QUARRY_IS_TODO_ROW (gtk_widget_get_first_child (focus)))
    row = gtk_widget_get_first_child (focus);

  return row != NULL ? quarry_todo_row_get_item (QUARRY_TODO_ROW (row)) : NULL;
}

static void
delete_current_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  QuarryTodoListPage *self = QUARRY_TODO_LIST_PAGE (widget);
  QuarryTodoItem *item;

  if (self->service == NULL)
    return;

  item = focused_item (self);
  if (item == NULL)
    item = gtk_single_selection_get_selected_item (self->selection);
  if (item != NULL && quarry_todo_item_get_id (item) != 0)
    quarry_todo_service_delete (self->service, quarry_todo_item_get_id (item));
}

static void
select_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QuarryTodoListPage *self = QUARRY_TODO_LIST_PAGE (widget);
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (parameter));
  guint position;

  if (self->model != NULL && quarry_keyed_list_model_lookup (self->model, text, &position) != NULL)
    gtk_single_selection_set_selected (self->selection, position);
}

static void
quarry_todo_list_page_dispose (GObject *object)
{
  QuarryTodoListPage *self = (QuarryTodoListPage *)object;
  GtkWidget *child;

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  if (self->detail != NULL)
    quarry_todo_detail_set_query (self->detail, NULL);
  if (self->view != NULL)
    {
      quarry_query_view_set_model (self->view, NULL);
      quarry_query_view_set_query (self->view, NULL);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), QUARRY_TYPE_TODO_LIST_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->query);
  g_clear_object (&self->detail_query);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (quarry_todo_list_page_parent_class)->dispose (object);
}

static void
quarry_todo_list_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  QuarryTodoListPage *self = QUARRY_TODO_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, quarry_todo_list_page_get_service (self));
      break;
    case PROP_QUERY:
      g_value_set_object (value, quarry_todo_list_page_get_query (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_list_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  QuarryTodoListPage *self = QUARRY_TODO_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      quarry_todo_list_page_set_service (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_list_page_class_init (QuarryTodoListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quarry_todo_list_page_dispose;
  object_class->get_property = quarry_todo_list_page_get_property;
  object_class->set_property = quarry_todo_list_page_set_property;

  /* The server's todos; set once. */
  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL,
                         QUARRY_TYPE_TODO_SERVICE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The list's query, once there is an service. */
  properties[PROP_QUERY] =
    g_param_spec_object ("query", NULL, NULL,
                         QUARRY_TYPE_QUERY,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QUARRY_TYPE_QUERY_VIEW);
  g_type_ensure (QUARRY_TYPE_TODO_DETAIL);
  g_type_ensure (QUARRY_TYPE_TODO_ITEM);
  g_type_ensure (QUARRY_TYPE_TODO_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Quarry/Todo/quarry-todo-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoListPage, paned);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoListPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoListPage, all_button);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoListPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoListPage, done_button);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoListPage, add_entry);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoListPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoListPage, view);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoListPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoListPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, QuarryTodoListPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_entry_changed_cb);

  gtk_widget_class_install_action (widget_class, "todo.set-done", "(xb)", set_done_action);
  gtk_widget_class_install_action (widget_class, "todo.rename", "(xs)", rename_action);
  gtk_widget_class_install_action (widget_class, "todo.delete", "x", delete_action);
  gtk_widget_class_install_action (widget_class, "todo.delete-current", NULL, delete_current_action);
  gtk_widget_class_install_action (widget_class, "todo.select", "x", select_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "quarrytodolistpage");
}

static void
quarry_todo_list_page_init (QuarryTodoListPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_key (self);
}

GtkWidget *
quarry_todo_list_page_new (void)
{
  return g_object_new (QUARRY_TYPE_TODO_LIST_PAGE, NULL);
}

QuarryTodoService *
quarry_todo_list_page_get_service (QuarryTodoListPage *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_LIST_PAGE (self), NULL);
  return self->service;
}

/**
 * quarry_todo_list_page_set_service:
 * @self: the page
 * @service: the service the page shows and changes
 *
 * Sets the service, once, and with it makes the page's queries.
 */
void
quarry_todo_list_page_set_service (QuarryTodoListPage *self,
                                   QuarryTodoService  *service)
{
  g_autoptr(QuarryKey) key = NULL;

  g_return_if_fail (QUARRY_IS_TODO_LIST_PAGE (self));
  g_return_if_fail (QUARRY_IS_TODO_SERVICE (service));
  g_return_if_fail (self->service == NULL);

  self->service = g_object_ref (service);

  key = quarry_todo_service_list_key (NULL, current_filter (self));
  self->query = quarry_todo_service_new_list_query (service, key);
  update_key (self);
  g_signal_connect_object (self->query, "notify::data", G_CALLBACK (update_count),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->query, "notify::data", G_CALLBACK (on_list_data_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (service, "created", G_CALLBACK (on_created_cb), self, G_CONNECT_SWAPPED);

  self->model = quarry_keyed_list_model_new (self->query, QUARRY_TYPE_TODO_ITEM);
  quarry_keyed_list_model_set_items_member (self->model, "items");
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (update_detail),
                           self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  quarry_query_view_set_query (self->view, self->query);
  quarry_query_view_set_model (self->view, G_LIST_MODEL (self->model));

  self->detail_query = quarry_todo_service_new_detail_query (service);
  quarry_todo_detail_set_query (self->detail, self->detail_query);

  update_count (self);
  update_detail (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

QuarryQuery *
quarry_todo_list_page_get_query (QuarryTodoListPage *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_LIST_PAGE (self), NULL);
  return self->query;
}

void
quarry_todo_list_page_focus_search (QuarryTodoListPage *self)
{
  g_return_if_fail (QUARRY_IS_TODO_LIST_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
