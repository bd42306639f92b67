# SPDX-License-Identifier: LGPL-2.1-or-later
"""quarry-todo in Python: the demo's main window, on Quarry and QuarryGtk
through their typelibs, against the demo's REST server.

One class per module: ``application`` (the Gtk.Application and its command
line), ``server`` (the server subprocess), ``api`` (the HTTP client, the
list query and the mutations with their optimistic updates), ``window``,
``row``, ``item`` (the list's item type) and ``notification`` (the in-app
notification). ``i18n`` sets up gettext."""
import gi

gi.require_version("Gdk", "4.0")
gi.require_version("Gtk", "4.0")
gi.require_version("Json", "1.0")
gi.require_version("Quarry", "1.0")
gi.require_version("QuarryGtk", "1.0")

APPLICATION_ID = "org.gnome.Quarry.Todo.Python"
VERSION = "1.0"
