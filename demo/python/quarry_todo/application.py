# SPDX-License-Identifier: LGPL-2.1-or-later
import signal
import sys

from gi.repository import Gio, GLib, Gtk, Quarry, QuarryGtk

from . import APPLICATION_ID, VERSION, i18n
from .api import TodoApi
from .i18n import _
from .server import TodoServer
from .window import TodoWindow


def check_server_uri(uri):
    """Raises ValueError, with a translated message, unless @uri is an
    http or https URL."""
    try:
        parsed = GLib.Uri.parse(uri, GLib.UriFlags.NONE)
    except GLib.Error as error:
        raise ValueError(_("“{uri}” is not a URL: {reason}").format(uri=uri, reason=error.message)) from error
    if parsed.get_scheme() not in ("http", "https") or not parsed.get_host():
        raise ValueError(_("“{uri}” is not an http or https URL").format(uri=uri))


class TodoApplication(Gtk.Application):
    """The application: one window on one todo server, the server given
    with --server or else started as a subprocess (see TodoServer) and
    ended on shutdown. The windows' focus drives the query client's
    (QuarryGtk.track_application), so stale lists refetch when the user
    comes back."""

    def __init__(self):
        super().__init__(application_id=APPLICATION_ID, flags=Gio.ApplicationFlags.NON_UNIQUE)
        self.client = None
        self.api = None
        self.server = None
        self.server_uri = None
        self.exit_status = 0
        self.set_option_context_summary(_("A todo list kept on a server, in Python with Quarry."))
        self.add_main_option("server", 0, GLib.OptionFlags.NONE, GLib.OptionArg.STRING,
                             _("Use the todo server at URL instead of starting one"), _("URL"))
        self.add_main_option("version", 0, GLib.OptionFlags.NONE, GLib.OptionArg.NONE,
                             _("Show the version and exit"), None)

    def do_handle_local_options(self, options):
        if options.contains("version"):
            print(f"quarry-todo.py {VERSION}")
            return 0
        server = options.lookup_value("server", GLib.VariantType.new("s"))
        if server is not None:
            try:
                check_server_uri(server.get_string())
            except ValueError as error:
                print(error, file=sys.stderr)
                return 2
            self.server_uri = server.get_string()
        return -1

    def do_startup(self):
        Gtk.Application.do_startup(self)
        i18n.bind()
        self.client = Quarry.QueryClient()
        QuarryGtk.track_application(self.client, self)

        quit_action = Gio.SimpleAction(name="quit")
        quit_action.connect("activate", lambda action, parameter: self.quit())
        self.add_action(quit_action)
        self.set_accels_for_action("app.quit", ["<Control>q"])
        self.set_accels_for_action("win.search", ["<Control>f"])
        self.set_accels_for_action("window.close", ["<Control>w"])

        # Killed politely (a logout, kill, a closed terminal), it still
        # shuts down, and so stops its server.
        for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, number, self._on_signal)

    def _on_signal(self):
        self.quit()
        return GLib.SOURCE_CONTINUE

    def do_activate(self):
        window = self.get_active_window()
        if window is not None:
            window.present()
        elif self.api is not None:
            self._open_window()
        elif self.server_uri is not None:
            self._on_server(self.server_uri, None)
        elif self.server is None:
            # Until the server listens, nothing is shown; the application
            # stays up.
            self.hold()
            self.server = TodoServer()
            self.server.start(self._on_server_started)

    def _on_server_started(self, uri, error):
        self.release()
        self._on_server(uri, error)

    def _on_server(self, uri, error):
        if error is not None:
            print(error, file=sys.stderr)
            self.exit_status = 1
            self.quit()
            return
        self.api = TodoApi(uri, self.client)
        self._open_window()

    def _open_window(self):
        TodoWindow(api=self.api, application=self).present()

    def do_shutdown(self):
        if self.server is not None:
            self.server.stop()
        if self.client is not None:
            QuarryGtk.untrack_application(self.client, self)
        Gtk.Application.do_shutdown(self)


def main(argv=None):
    application = TodoApplication()
    status = application.run(sys.argv if argv is None else argv)
    return status or application.exit_status
