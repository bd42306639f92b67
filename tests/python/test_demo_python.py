# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Python port of the demo (demo/python) against the real demo server.

Each test starts quarry-todo-server ($QUARRY_TODO_SERVER, which
tests/meson.build sets once the server is built) as a subprocess on a
random port with 20 seeded todos in a temporary file, builds the port's
main window on it under conftest's session-wide Xvfb, and acts as a user
does: types into the entries, clicks the rows' buttons. Everything is real:
HTTP over loopback, JSON parsed off the main thread, GTK drawing; the tests
iterate the main context until what they wait for holds, with a deadline,
and never sleep. Failures come from the server's own fault injection
(PATCH /settings {"fail_rate": 1}).

Set QUARRY_SNAPSHOT_DIR to keep a PNG of the window at each step."""
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import gi

gi.require_version("Quarry", "1.0")

import pytest
from gi.repository import GLib, Quarry

from conftest import wait_until

DEMO_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "demo", "python")
SEED = 20
# How long the server may take to say where it listens (a guard against a
# hang, not a wait).
START_TIMEOUT = 30.0


# --- the server --------------------------------------------------------------

class Server:
    """quarry-todo-server in a subprocess, and a small HTTP client of its
    API for the tests' own checks."""

    def __init__(self, executable, data_path):
        self.process = subprocess.Popen([executable, "--port", "0", "--data", str(data_path),
                                         "--seed", str(SEED)],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
        self.drain = None
        self.uri = self._read_uri()

    def _read_uri(self):
        line = b""
        deadline = time.monotonic() + START_TIMEOUT
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            ready = remaining > 0 and select.select([self.process.stdout], [], [], remaining)[0]
            chunk = os.read(self.process.stdout.fileno(), 1) if ready else b""
            if not chunk:
                self.stop(check=False)
                pytest.fail(f"quarry-todo-server printed no URI (exit status {self.process.returncode}); "
                            f"it printed {line!r}", pytrace=False)
            line += chunk
        text = line.decode().strip()
        assert text.startswith("Listening on http://127.0.0.1:"), text
        # Whatever it prints afterwards is read and dropped, so that it
        # never blocks on a full pipe.
        self.drain = threading.Thread(target=self.process.stdout.read, daemon=True)
        self.drain.start()
        return text[len("Listening on "):]

    def request(self, method, path, body=None):
        """Sends a request; gives (status, parsed body or None)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.uri.rstrip("/") + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"} if data else {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                content = response.read()
                return response.status, json.loads(content) if content else None
        except urllib.error.HTTPError as error:
            content = error.read()
            return error.code, json.loads(content) if content else None

    def todo(self, todo_id):
        status, todo = self.request("GET", f"/todos/{todo_id}")
        return todo if status == 200 else None

    def set_fail_rate(self, fail_rate):
        status, settings = self.request("PATCH", "/settings", {"fail_rate": fail_rate})
        assert status == 200 and settings["fail_rate"] == fail_rate, settings

    def stop(self, check=True):
        """Stops the server with SIGTERM; with @check, fails the test unless
        it exits cleanly (status 0), as it must on SIGTERM."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.drain is not None:
            self.drain.join(timeout=10)
        self.process.stdout.close()
        if check and self.process.returncode != 0:
            pytest.fail(f"quarry-todo-server exited with status {self.process.returncode} on SIGTERM",
                        pytrace=False)


@pytest.fixture
def server_executable():
    executable = os.environ.get("QUARRY_TODO_SERVER")
    if not executable:
        pytest.skip("QUARRY_TODO_SERVER is not set: the demo server (demo/server) is not built")
    return executable


@pytest.fixture
def server(server_executable, tmp_path):
    server = Server(server_executable, tmp_path / "todos.json")
    yield server
    server.stop()


# --- the window --------------------------------------------------------------

@pytest.fixture
def demo(gtk):
    """The port's modules, imported from demo/python once GTK is up."""
    if DEMO_DIR not in sys.path:
        sys.path.insert(0, DEMO_DIR)
    import quarry_todo.api
    import quarry_todo.server
    import quarry_todo.window
    return quarry_todo


class App:
    """The port's main window on @server, and what the tests do with it."""

    def __init__(self, gtk, demo, uri, snapshot_dir):
        self.Gtk = gtk.Gtk
        self.client = Quarry.QueryClient.new()
        # Online whatever the machine's network; no retry of a failed list,
        # so an unreachable server shows its error at once.
        self.client.set_network_monitor(None)
        self.client.set_online(True)
        self.client.set_query_defaults(["todos"], retry=0)
        self.api = demo.api.TodoApi(uri, self.client)
        self.window = demo.window.TodoWindow(api=self.api)
        self.snapshot_dir = snapshot_dir
        self.window.present()
        wait_until(lambda: self.window.get_mapped(), "the window to be mapped")

    def close(self):
        self.window.destroy()
        self.client.clear()

    # What is shown.

    def items(self):
        model = self.window.todos
        return [model.get_item(i) for i in range(model.get_n_items())]

    def item(self, title):
        found = [item for item in self.items() if item.props.title == title]
        return found[0] if found else None

    def rows(self):
        """The rows on screen (within the scrolled window's view), each a
        TodoRow with an item."""
        rows = []
        scrolled = self.window.list_view.get_parent()

        def on_screen(row):
            if not row.get_mapped():
                return False
            # A row made since the last layout has no size yet.
            found, bounds = row.compute_bounds(scrolled)
            return (found and bounds.get_height() > 0 and bounds.get_y() >= 0
                    and bounds.get_y() + bounds.get_height() <= scrolled.get_height())

        def walk(widget):
            if type(widget).__name__ == "TodoRow":
                if widget.props.item is not None and on_screen(widget):
                    rows.append(widget)
                return
            child = widget.get_first_child()
            while child is not None:
                walk(child)
                child = child.get_next_sibling()

        walk(self.window.list_view)
        return rows

    def row(self, item):
        found = [row for row in self.rows() if row.props.item is item]
        assert found, f"no row shows {item.props.title!r}"
        return found[0]

    def wait_for_list(self, n_items):
        wait_until(lambda: (self.window.view.props.state == self.view_state("CONTENT")
                            and len(self.items()) == n_items and not self.window.query.props.is_fetching
                            and len(self.rows()) > 0),
                   lambda: f"{n_items} todos on show; the view shows {self.window.view.props.state}, "
                           f"the list has {len(self.items())}")

    def view_state(self, name):
        from gi.repository import QuarryGtk
        return getattr(QuarryGtk.QueryViewState, name)

    def wait_until_settled(self):
        wait_until(lambda: self.client.count_mutating() == 0 and self.client.count_fetching() == 0,
                   "the mutations and the refetch to end")

    # What the user does.

    def add(self, title):
        self.window.add_entry.props.text = title
        self.window.add_entry.emit("activate")

    def snapshot(self, name):
        """Keeps a PNG of the window in $QUARRY_SNAPSHOT_DIR, if set."""
        if not self.snapshot_dir:
            return
        from test_gtk import save_png, wait_for_paint

        wait_for_paint(self.window)
        os.makedirs(self.snapshot_dir, exist_ok=True)
        save_png(self.Gtk, self.window, self.window.get_renderer(),
                 os.path.join(self.snapshot_dir, f"demo-python-{name}.png"))


@pytest.fixture
def app(gtk, demo, server):
    app = App(gtk, demo, server.uri, os.environ.get("QUARRY_SNAPSHOT_DIR"))
    yield app
    app.close()


def seeded_titles(server):
    status, data = server.request("GET", "/todos")
    assert status == 200
    return [todo["title"] for todo in data["items"]]


# --- tests -------------------------------------------------------------------

def test_shows_the_servers_todos(app, server):
    app.wait_for_list(SEED)
    assert [item.props.title for item in app.items()] == seeded_titles(server)
    assert [item.props.id for item in app.items()] == list(range(1, SEED + 1))
    # The rows on screen show their todos.
    rows = app.rows()
    assert len(rows) >= 5
    for row in rows:
        assert row.title_label.props.label == row.props.item.props.title
        assert row.check.props.active == row.props.item.props.done
        assert row.get_sensitive()
    assert app.window.count_label.props.label == f"{SEED} todos"
    assert app.window.fetching_indicator.get_client() is app.client
    app.snapshot("list")


def test_add_shows_the_todo_at_once_then_with_the_servers_id(app, server):
    app.wait_for_list(SEED)
    app.add("Buy oat milk")

    # At once, before the server answered: a temporary, negative id.
    item = app.item("Buy oat milk")
    assert item is not None
    assert item.props.id < 0 and item.props.saving
    assert app.window.add_entry.props.text == ""
    assert app.items()[-1] is app.item("Buy oat milk")
    # The list scrolls to it (a row shows it, with the temporary id or,
    # if the server was quick, with its own).
    wait_until(lambda: any(row.props.item.props.title == "Buy oat milk" for row in app.rows()),
               "a row to show the new todo")
    app.snapshot("adding")

    # Then the server's.
    wait_until(lambda: app.item("Buy oat milk") is not None and app.item("Buy oat milk").props.id > 0,
               "the todo to take the server's id")
    app.wait_until_settled()
    item = app.item("Buy oat milk")
    assert item.props.id == SEED + 1 and not item.props.saving
    assert server.todo(item.props.id)["title"] == "Buy oat milk"
    assert len(app.items()) == SEED + 1
    assert app.window.count_label.props.label == f"{SEED + 1} todos"
    assert not app.window.notification.props.revealed
    # A title made of spaces adds nothing.
    app.add("   ")
    assert len(app.items()) == SEED + 1 and app.client.count_mutating() == 0


def test_failed_toggle_is_rolled_back_with_a_notification(app, server):
    app.wait_for_list(SEED)
    item = next(item for item in app.items() if not item.props.done)
    title = item.props.title
    server.set_fail_rate(1.0)

    app.row(item).check.activate()
    # At once: done, and insensitive while it is saved.
    assert item.props.done and item.props.saving
    assert app.row(item).check.props.active and not app.row(item).get_sensitive()

    # The server refuses: back as it was, and the user is told.
    wait_until(lambda: app.window.notification.props.revealed, "the notification")
    assert not item.props.done and not item.props.saving
    assert app.item(title) is item
    assert app.window.notification.props.message.startswith(f"Could not mark “{title}” as done: ")
    assert "503" in app.window.notification.props.message
    wait_until(lambda: app.row(item).get_sensitive() and not app.row(item).check.props.active,
               "the row to show the todo as not done")
    app.snapshot("toggle-failed")
    app.wait_until_settled()
    server.set_fail_rate(0.0)
    assert server.todo(item.props.id)["done"] is False

    # The close button hides it.
    app.window.notification.close_button.emit("clicked")
    assert not app.window.notification.props.revealed


def test_toggle_is_saved(app, server):
    app.wait_for_list(SEED)
    item = next(item for item in app.items() if not item.props.done)
    app.row(item).check.activate()
    assert item.props.done
    app.wait_until_settled()
    wait_until(lambda: not item.props.saving, "the toggle to be saved")
    assert item.props.done and server.todo(item.props.id)["done"] is True
    assert app.item(item.props.title) is item


def test_failed_add_is_rolled_back(app, server):
    app.wait_for_list(SEED)
    server.set_fail_rate(1.0)
    app.add("Call the plumber")
    assert app.item("Call the plumber").props.id < 0

    wait_until(lambda: app.window.notification.props.revealed, "the notification")
    assert app.item("Call the plumber") is None
    assert app.window.notification.props.message.startswith("Could not add “Call the plumber”: ")
    app.wait_until_settled()
    server.set_fail_rate(0.0)
    assert "Call the plumber" not in seeded_titles(server)


def test_delete_removes_the_todo(app, server):
    app.wait_for_list(SEED)
    item = app.items()[2]
    todo_id, title = item.props.id, item.props.title

    app.row(item).delete_button.emit("clicked")
    # Gone at once.
    assert app.item(title) is None and len(app.items()) == SEED - 1
    app.wait_until_settled()
    assert server.todo(todo_id) is None
    assert app.item(title) is None and len(app.items()) == SEED - 1
    assert app.window.count_label.props.label == f"{SEED - 1} todos"
    assert not app.window.notification.props.revealed


def test_failed_delete_brings_the_todo_back(app, server):
    app.wait_for_list(SEED)
    item = app.items()[2]
    todo_id, title = item.props.id, item.props.title
    server.set_fail_rate(1.0)

    app.row(item).delete_button.emit("clicked")
    assert app.item(title) is None
    wait_until(lambda: app.window.notification.props.revealed, "the notification")
    # Back in its place.
    assert [i.props.id for i in app.items()][:4] == [1, 2, todo_id, 4]
    assert app.window.notification.props.message.startswith(f"Could not delete “{title}”: ")
    app.wait_until_settled()
    server.set_fail_rate(0.0)
    assert server.todo(todo_id)["title"] == title


def test_queued_changes_show_at_once_and_the_list_refetches_once_after_them(app, server):
    app.wait_for_list(SEED)
    status, _settings = server.request("PATCH", "/settings", {"latency_ms": 150})
    assert status == 200
    refetches = []
    app.window.query.connect("notify::is-fetching",
                             lambda query, pspec: refetches.append(True) if query.props.is_fetching else None)
    first, second = app.items()[0], app.items()[1]
    done = first.props.done

    # Three changes while the server is slow: all on show at once.
    app.row(first).check.activate()
    app.row(second).delete_button.emit("clicked")
    app.add("Sweep the floor")
    assert first.props.done is not done and first.props.saving
    assert app.item(second.props.title) is None
    assert app.item("Sweep the floor").props.id < 0
    assert app.client.count_mutating() == 3

    # They reach the server one after another; the list is refetched once,
    # after the last.
    app.wait_until_settled()
    assert refetches == [True]
    assert server.todo(first.props.id)["done"] is not done
    assert server.todo(second.props.id) is None
    assert app.item("Sweep the floor").props.id == SEED + 1
    assert [item.props.title for item in app.items()] == seeded_titles(server)
    assert not any(item.props.saving for item in app.items())


def test_search_and_filter_change_the_list(app, server):
    app.wait_for_list(SEED)

    # Done only: the server's answer, and the previous list stays on
    # show (no loading page) while it loads.
    app.window.filter_done.activate()
    assert app.window.view.props.state == app.view_state("CONTENT")
    status, done = server.request("GET", "/todos?done=true")
    wait_until(lambda: [i.props.id for i in app.items()] == [t["id"] for t in done["items"]],
               "the done todos")
    assert all(item.props.done for item in app.items())

    # A search on top of it.
    title = done["items"][0]["title"]
    app.window.search_entry.props.text = title
    wait_until(lambda: [i.props.title for i in app.items()] == [title], "the search's todo")

    # Nothing matches: the empty page says so.
    app.window.search_entry.props.text = "no such todo"
    wait_until(lambda: app.window.view.props.state == app.view_state("EMPTY"), "the empty page")
    assert app.window.view.props.empty_title == "No Matching Todos"
    app.snapshot("no-match")

    # Back to all of them: the same item objects as before.
    app.window.search_entry.props.text = ""
    app.window.filter_all.activate()
    app.wait_for_list(SEED)
    assert [item.props.id for item in app.items()] == list(range(1, SEED + 1))
    assert app.window.view.props.empty_title == "No Todos"


def test_unreachable_server_shows_the_error(gtk, demo, server):
    uri = server.uri
    server.stop()
    app = App(gtk, demo, uri, os.environ.get("QUARRY_SNAPSHOT_DIR"))
    try:
        wait_until(lambda: app.window.view.props.state == app.view_state("ERROR"), "the error page")
        assert app.window.query.get_error() is not None
        assert app.window.count_label.props.label == ""
        app.snapshot("unreachable")
    finally:
        app.close()


def test_application_starts_and_stops_its_server(demo, server_executable, tmp_path):
    started = []
    todo_server = demo.server.TodoServer(server_executable, str(tmp_path / "data" / "todos.json"), seed=3)
    todo_server.start(lambda uri, error: started.append((uri, error)))
    wait_until(lambda: started, "the server to start")
    uri, error = started[0]
    assert error is None and uri.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(uri.rstrip("/") + "/todos", timeout=10) as response:
        assert json.loads(response.read())["total"] == 3
    # A clean stop: status 0 after SIGTERM. Stopping again is a no-op.
    assert todo_server.stop() == 0
    assert todo_server.stop() is None
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(uri.rstrip("/") + "/todos", timeout=10)
    # The data directory was made, and the store written there.
    assert (tmp_path / "data" / "todos.json").exists()

    # A server that cannot start is reported, translated, not raised.
    failed = []
    demo.server.TodoServer("/nonexistent/quarry-todo-server", str(tmp_path / "todos.json")).start(
        lambda uri, error: failed.append((uri, error)))
    wait_until(lambda: failed, "the failure to be reported")
    assert failed[0][0] is None and "/nonexistent/quarry-todo-server" in failed[0][1]


def test_server_stopped_before_it_listens(demo, server_executable, tmp_path, monkeypatch):
    """stop() before the server's first line abandons the start: no
    callback, not even the start timeout's failure, once it is due."""
    monkeypatch.setattr(demo.server, "START_TIMEOUT_SECONDS", 1)
    called = []
    todo_server = demo.server.TodoServer(server_executable, str(tmp_path / "todos.json"), seed=3)
    todo_server.start(lambda uri, error: called.append((uri, error)))
    # So early, the server may not have set up its handler yet.
    assert todo_server.stop() in (0, -signal.SIGTERM)

    # Timers fire in order: once this later one has, the start timeout
    # would have too.
    later = []

    def fire():
        later.append(True)
        return GLib.SOURCE_REMOVE

    GLib.timeout_add(1500, fire)
    wait_until(lambda: later, "a timer due after the start timeout")
    assert called == []

    # It starts again, and then calls back.
    todo_server.start(lambda uri, error: called.append((uri, error)))
    wait_until(lambda: called, "the server to start again")
    assert called[0][1] is None and called[0][0].startswith("http://127.0.0.1:")
    assert todo_server.stop() == 0


def test_server_folder_errors_are_reported(demo, server_executable, tmp_path, monkeypatch):
    """A data folder that cannot be made is reported through the callback,
    not raised; a bare file name is one in the current folder."""
    (tmp_path / "a-file").write_text("not a folder")
    failed = []
    todo_server = demo.server.TodoServer(server_executable, str(tmp_path / "a-file" / "sub" / "todos.json"))
    todo_server.start(lambda uri, error: failed.append((uri, error)))
    wait_until(lambda: failed, "the failure to be reported")
    uri, error = failed[0]
    assert uri is None and str(tmp_path / "a-file" / "sub") in error
    assert todo_server.stop() is None

    monkeypatch.chdir(tmp_path)
    started = []
    todo_server = demo.server.TodoServer(server_executable, "todos.json", seed=2)
    todo_server.start(lambda uri, error: started.append((uri, error)))
    wait_until(lambda: started, "the server to start")
    assert started[0][1] is None
    assert todo_server.stop() == 0
    assert json.loads((tmp_path / "todos.json").read_text())["next_id"] == 3


def test_server_option_is_checked(demo, capsys):
    from quarry_todo.application import TodoApplication, check_server_uri

    check_server_uri("http://127.0.0.1:8080/")
    for bad in ("foo", "ftp://example.com/", "http://"):
        with pytest.raises(ValueError):
            check_server_uri(bad)

    # The command line says so and exits with 2, before any window.
    assert TodoApplication().run(["quarry-todo.py", "--server", "ftp://example.com/"]) == 2
    assert "“ftp://example.com/” is not an http or https URL" in capsys.readouterr().err
    assert TodoApplication().run(["quarry-todo.py", "--version"]) == 0
    assert capsys.readouterr().out.startswith("quarry-todo.py ")
