# SPDX-License-Identifier: LGPL-2.1-or-later
import os

from gi.repository import GObject, Gtk

from .item import TodoItem


@Gtk.Template(filename=os.path.join(os.path.dirname(__file__), "row.ui"))
class TodoRow(Gtk.Box):
    """A row of the list: a check button for done, the title and a delete
    button.

    Rows are recycled, so a row keeps nothing but its ``item``: setting it
    binds the item's properties to the widgets and undoes the bindings of
    the previous item. The row asks for changes with ::toggle-done and
    ::delete; it changes nothing itself. While a change to its todo is
    pending (``saving``) the row is insensitive."""

    __gtype_name__ = "QuarryTodoPyRow"

    __gsignals__ = {
        # The user clicked the check button: the todo's done should become
        # the argument.
        "toggle-done": (GObject.SignalFlags.RUN_LAST, None, (TodoItem, bool)),
        # The user clicked the delete button.
        "delete": (GObject.SignalFlags.RUN_LAST, None, (TodoItem,)),
    }

    check = Gtk.Template.Child()
    title_label = Gtk.Template.Child()
    delete_button = Gtk.Template.Child()

    def __init__(self, **kwargs):
        self._item = None
        self._bindings = []
        super().__init__(**kwargs)

    @GObject.Property(type=TodoItem)
    def item(self):
        """The todo shown, or None."""
        return self._item

    @item.setter
    def item(self, item):
        if item is self._item:
            return
        for binding in self._bindings:
            binding.unbind()
        self._item = item
        self._bindings = []
        if item is not None:
            flags = GObject.BindingFlags.SYNC_CREATE
            self._bindings = [
                item.bind_property("title", self.title_label, "label", flags),
                item.bind_property("done", self.check, "active", flags),
                item.bind_property("saving", self, "sensitive", flags | GObject.BindingFlags.INVERT_BOOLEAN),
            ]

    @Gtk.Template.Callback()
    def on_check_toggled(self, check):
        # The binding sets the check button from the item too; only a click
        # makes them differ.
        if self._item is not None and check.props.active != self._item.props.done:
            self.emit("toggle-done", self._item, check.props.active)
            # The check button shows the item, changed at once or not at all.
            check.props.active = self._item.props.done

    @Gtk.Template.Callback()
    def on_delete_clicked(self, button):
        if self._item is not None:
            self.emit("delete", self._item)
