# SPDX-License-Identifier: LGPL-2.1-or-later
import os

from gi.repository import GLib, GObject, Gtk

# How long a message stays, unless closed before.
TIMEOUT_SECONDS = 5


@Gtk.Template(filename=os.path.join(os.path.dirname(__file__), "notification.ui"))
class TodoNotification(Gtk.Box):
    """An in-app notification: a message with a close button that slides
    down over the top of the window and goes away by itself after a few
    seconds. A new message replaces the one shown and starts the time
    again. (GTK 4.8 has no toast.)"""

    __gtype_name__ = "QuarryTodoPyNotification"

    revealer = Gtk.Template.Child()
    label = Gtk.Template.Child()
    close_button = Gtk.Template.Child()

    def __init__(self, **kwargs):
        self._timeout = 0
        super().__init__(**kwargs)

    @GObject.Property(type=str, default="", flags=GObject.ParamFlags.READABLE)
    def message(self):
        """The message shown, or the last one shown."""
        return self.label.props.label

    @GObject.Property(type=bool, default=False, flags=GObject.ParamFlags.READABLE)
    def revealed(self):
        """Whether a message is shown (or sliding in)."""
        return self.revealer.props.reveal_child

    def show_message(self, message):
        """Shows @message for a few seconds."""
        self.label.props.label = message
        self.notify("message")
        self._cancel_timeout()
        self._timeout = GLib.timeout_add_seconds(TIMEOUT_SECONDS, self._on_timeout)
        if not self.revealer.props.reveal_child:
            self.revealer.props.reveal_child = True
            self.notify("revealed")

    def dismiss(self):
        """Hides the message."""
        self._cancel_timeout()
        if self.revealer.props.reveal_child:
            self.revealer.props.reveal_child = False
            self.notify("revealed")

    def _cancel_timeout(self):
        if self._timeout:
            GLib.source_remove(self._timeout)
            self._timeout = 0

    def _on_timeout(self):
        self._timeout = 0
        self.dismiss()
        return GLib.SOURCE_REMOVE

    @Gtk.Template.Callback()
    def on_close_clicked(self, button):
        self.dismiss()

    def do_unmap(self):
        # A notification is for the user to see: hidden (its window closed),
        # it goes, and no timeout is left behind.
        self.dismiss()
        Gtk.Box.do_unmap(self)
