# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import signal
import threading

from gi.repository import Gio, GLib

from .i18n import _

SERVER_NAME = "quarry-todo-server"
LISTENING = "Listening on "
# How long the server may take to say where it listens, and to stop.
START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 5

_SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def find_server():
    """The server's executable: $QUARRY_TODO_SERVER, else the one built in the
    source tree's build directory, else quarry-todo-server on $PATH; None if
    there is none."""
    path = os.environ.get("QUARRY_TODO_SERVER")
    if path:
        return path
    path = os.path.join(_SOURCE_ROOT, "build", "demo", "server", SERVER_NAME)
    if os.access(path, os.X_OK):
        return path
    return shutil.which(SERVER_NAME)


def default_data_path():
    return os.path.join(GLib.get_user_data_dir(), "quarry-todo", "todos.json")


class TodoServer:
    """quarry-todo-server run as a subprocess on 127.0.0.1, on a port of its
    choosing: start() starts it and calls back with its base URI once it
    has printed it (its first line), stop() ends it.

    What it prints afterwards is read and dropped, so that it never blocks
    on a full pipe; what it writes to stderr goes to ours."""

    def __init__(self, executable=None, data_path=None, seed=10_000):
        self.executable = executable or find_server()
        self.data_path = data_path or default_data_path()
        self.seed = seed
        self.uri = None
        self._process = None
        self._stdout = None
        self._cancellable = Gio.Cancellable()
        self._start_timeout = 0

    def start(self, callback):
        """Starts the server; @callback(uri, error) is called from the main
        loop once it listens (error None) or failed to start (uri None,
        error a translated message)."""
        self._cancellable = Gio.Cancellable()
        if self.executable is None:
            GLib.idle_add(self._once, callback, None,
                          _("Cannot find {name}: build it (meson compile -C build), set $QUARRY_TODO_SERVER, "
                            "or give --server").format(name=SERVER_NAME))
            return
        # A bare file name lives in the current folder, which exists.
        folder = os.path.dirname(self.data_path)
        try:
            if folder:
                os.makedirs(folder, exist_ok=True)
        except OSError as error:
            GLib.idle_add(self._once, callback, None,
                          _("Cannot create the folder {path}: {reason}").format(path=folder,
                                                                                 reason=error.strerror or error))
            return
        argv = [self.executable, "--port", "0", "--data", self.data_path, "--seed", str(self.seed)]
        try:
            self._process = Gio.Subprocess.new(argv, Gio.SubprocessFlags.STDOUT_PIPE)
        except GLib.Error as error:
            GLib.idle_add(self._once, callback, None,
                          _("Cannot start {path}: {reason}").format(path=self.executable, reason=error.message))
            return
        self._stdout = Gio.DataInputStream.new(self._process.get_stdout_pipe())
        self._start_timeout = GLib.timeout_add_seconds(START_TIMEOUT_SECONDS, self._on_start_timeout, callback)
        self._stdout.read_line_async(GLib.PRIORITY_DEFAULT, self._cancellable, self._on_first_line, callback)

    @staticmethod
    def _once(callback, uri, error):
        callback(uri, error)
        return GLib.SOURCE_REMOVE

    def _on_start_timeout(self, callback):
        self._start_timeout = 0
        self._cancellable.cancel()
        self.stop()
        callback(None, _("{path} did not say where it listens within {seconds} s").format(
            path=self.executable, seconds=START_TIMEOUT_SECONDS))
        return GLib.SOURCE_REMOVE

    def _cancel_start_timeout(self):
        if self._start_timeout:
            GLib.source_remove(self._start_timeout)
            self._start_timeout = 0

    def _on_first_line(self, stream, result, callback):
        try:
            line, _length = stream.read_line_finish_utf8(result)
            reason = _("it exited") if line is None else _("it printed “{line}”").format(line=line)
        except GLib.Error as error:
            if error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED):
                return  # timed out (already reported) or stopped on purpose
            line, reason = None, error.message
        self._cancel_start_timeout()
        if line is not None and line.startswith(LISTENING):
            self.uri = line[len(LISTENING):].strip()
            self._drain()
            callback(self.uri, None)
            return
        self.stop()
        callback(None, _("{path} did not start: {reason}").format(path=self.executable, reason=reason))

    def _drain(self):
        def on_line(stream, result):
            try:
                line, _length = stream.read_line_finish_utf8(result)
            except GLib.Error:
                return
            if line is not None:
                self._drain()

        self._stdout.read_line_async(GLib.PRIORITY_LOW, self._cancellable, on_line)

    def stop(self):
        """Ends the server (SIGTERM, then SIGKILL after a few seconds), and
        waits for it. A start still under way is abandoned: its callback is
        not called. Returns the server's exit status (0 after a clean stop;
        minus the signal's number when one killed it), or None when no
        server was running."""
        self._cancel_start_timeout()
        self._cancellable.cancel()
        process, self._process = self._process, None
        if process is None:
            return None
        process.send_signal(signal.SIGTERM)
        killer = threading.Timer(STOP_TIMEOUT_SECONDS, process.force_exit)
        killer.start()
        try:
            process.wait(None)
        except GLib.Error:
            pass
        finally:
            killer.cancel()
        if process.get_if_exited():
            return process.get_exit_status()
        if process.get_if_signaled():
            return -process.get_term_sig()
        return None
