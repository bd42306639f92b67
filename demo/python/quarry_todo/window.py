# SPDX-License-Identifier: LGPL-2.1-or-later
import os

from gi.repository import Gio, GLib, GObject, Gtk, Json, Quarry, QuarryGtk  # noqa: F401 - QuarryGtk: the .ui's types

from .api import list_key
from .i18n import _, ngettext
from .item import TodoItem
from .notification import TodoNotification  # noqa: F401 - the .ui's type
from .row import TodoRow


@Gtk.Template(filename=os.path.join(os.path.dirname(__file__), "window.ui"))
class TodoWindow(Gtk.ApplicationWindow):
    """The main window: an entry to add todos, a search entry and an
    All/Open/Done filter, and the list.

    The list is one query whose key follows the search and the filter
    (["todos", {"q": …, "done": …}]), shown by a QuarryGtk.QueryView
    (loading, error with Retry, empty, or the list) through a
    Quarry.KeyedListModel, which keeps one TodoItem per todo across
    refetches, so rows, selection and scroll position stay. A new key keeps
    the previous list on show until its own list arrives. The header bar's
    QuarryGtk.FetchingIndicator spins while anything is fetched."""

    __gtype_name__ = "QuarryTodoPyWindow"

    fetching_indicator = Gtk.Template.Child()
    notification = Gtk.Template.Child()
    add_entry = Gtk.Template.Child()
    add_button = Gtk.Template.Child()
    search_entry = Gtk.Template.Child()
    filter_all = Gtk.Template.Child()
    filter_open = Gtk.Template.Child()
    filter_done = Gtk.Template.Child()
    view = Gtk.Template.Child()
    list_view = Gtk.Template.Child()
    count_label = Gtk.Template.Child()

    def __init__(self, api, **kwargs):
        """@api is a TodoApi: the server and the client the window uses."""
        super().__init__(**kwargs)
        self.api = api

        self.query = api.list_query(self._list_key())
        self.todos = Quarry.KeyedListModel.new(self.query, TodoItem.__gtype__)
        self.todos.set_items_member("items")

        factory = Gtk.SignalListItemFactory()
        factory.connect("setup", self._on_setup_row)
        factory.connect("bind", self._on_bind_row)
        factory.connect("unbind", self._on_unbind_row)
        self.list_view.set_factory(factory)
        self.list_view.set_model(Gtk.SingleSelection(model=self.todos, autoselect=False, can_unselect=True))

        self.view.set_query(self.query)
        self.view.set_model(self.todos)
        self.fetching_indicator.set_client(api.client)
        self.query.connect("notify::data", self._on_data_changed)
        self._on_data_changed(self.query, None)
        self.add_entry.bind_property("text", self.add_button, "sensitive", GObject.BindingFlags.SYNC_CREATE,
                                     lambda binding, text: bool(text.strip()))
        self.search_entry.set_key_capture_widget(self)
        self._show_empty_page()

        search = Gio.SimpleAction(name="search")
        search.connect("activate", lambda action, parameter: self.search_entry.grab_focus())
        self.add_action(search)

        self._failed_handler = 0

    # --- the list ------------------------------------------------------------

    def _list_key(self):
        done = None
        if self.filter_open.props.active:
            done = False
        elif self.filter_done.props.active:
            done = True
        return list_key(self.search_entry.props.text.strip(), done)

    def _show_empty_page(self):
        if self._list_key() == list_key():
            self.view.props.empty_title = _("No Todos")
            self.view.props.empty_description = _("Add one above.")
        else:
            self.view.props.empty_title = _("No Matching Todos")
            self.view.props.empty_description = _("Try another search or filter.")

    @Gtk.Template.Callback()
    def on_filter_changed(self, widget):
        # Of the two toggle buttons a click changes, one goes inactive.
        if isinstance(widget, Gtk.ToggleButton) and not widget.props.active:
            return
        if not hasattr(self, "query"):
            return  # the template is still being built
        key = self._list_key()
        if self.query.get_key() != key:
            self.query.set_key(key)
            self._show_empty_page()

    def _on_data_changed(self, query, pspec):
        # The total only: query.get_property() gives the Json.Node as it is,
        # where props and bind_property() would convert the whole list.
        data = query.get_property("data")
        total = None
        if isinstance(data, Json.Node) and data.get_node_type() == Json.NodeType.OBJECT:
            member = data.get_object().get_member("total")
            if member is not None and member.get_value_type() == GObject.TYPE_INT64:
                total = member.get_int()
        self.count_label.props.label = ("" if total is None else
                                        ngettext("{count:n} todo", "{count:n} todos", total).format(count=total))

    def _on_setup_row(self, factory, list_item):
        row = TodoRow()
        row.connect("toggle-done", lambda row, item, done: self.api.set_done(item.props.id, done))
        row.connect("delete", lambda row, item: self.api.delete_todo(item.props.id))
        list_item.set_child(row)
        list_item.set_activatable(False)

    def _on_bind_row(self, factory, list_item):
        list_item.get_child().props.item = list_item.get_item()

    def _on_unbind_row(self, factory, list_item):
        list_item.get_child().props.item = None

    # --- adding --------------------------------------------------------------

    @Gtk.Template.Callback()
    def on_add(self, widget):
        title = self.add_entry.props.text.strip()
        if not title:
            return
        self.api.add_todo(title)
        self.add_entry.props.text = ""
        # New todos come last: show it.
        n_items = self.todos.get_n_items()
        if n_items > 0 and self.todos.get_item(n_items - 1).props.id < 0:
            self.list_view.activate_action("list.scroll-to-item", GLib.Variant("u", n_items - 1))

    # --- failures ------------------------------------------------------------

    def do_realize(self):
        # Failures are told while the window is there to show them; the
        # API (the application's) does not keep a closed window alive.
        Gtk.ApplicationWindow.do_realize(self)
        self._failed_handler = self.api.connect("failed", self._on_failed)

    def do_unrealize(self):
        self.api.disconnect(self._failed_handler)
        self._failed_handler = 0
        Gtk.ApplicationWindow.do_unrealize(self)

    def _on_failed(self, api, message):
        self.notification.show_message(message)
