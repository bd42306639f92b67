# SPDX-License-Identifier: LGPL-2.1-or-later
"""Quarry in a real GTK 4 window, through the typelibs, under Xvfb.

QuarryGtk's widgets do not exist yet, so this binds Quarry into plain GTK
the way a Python application does today: a Gtk.Stack whose visible page
follows the query's state (a spinner, an error with a Retry button, a
Gtk.ListView over an infinite query's items), and the window's
``is-active`` driving the client's ``focused``.

The query client runs on a manual clock and the fetch function answers
when the test says, so every state is reached on purpose; GTK's own work
(layout, drawing, X events) is real, so the tests iterate the default main
context until what they wait for holds, with a deadline that fails the test
instead of hanging; they never sleep.

The display is conftest's session-wide ``gtk`` fixture."""
import ctypes
import os
import struct

import gi

gi.require_version("Quarry", "1.0")
gi.require_version("Gdk", "4.0")
gi.require_version("Gtk", "4.0")
gi.require_version("GdkPixbuf", "2.0")

import pytest
from gi.repository import GObject, Quarry

from conftest import drain, wait_until

STALE_TIME = 60_000
PAGES = {
    0: {"items": [{"id": 1, "title": "Buy milk"}, {"id": 2, "title": "Walk the dog"},
                  {"id": 3, "title": "Call mum"}], "next": 1},
    1: {"items": [{"id": 4, "title": "Water plants"}, {"id": 5, "title": "Pay rent"}], "next": None},
}


def titles(*params):
    return [item["title"] for param in params for item in PAGES[param]["items"]]


# --- main context ------------------------------------------------------------



def wait_for_paint(window):
    """Waits until @window drew a frame from now on: what it shows is then
    laid out and drawn."""
    painted = []
    clock = window.get_frame_clock()
    handler = clock.connect("after-paint", lambda clock: painted.append(True))
    try:
        window.queue_draw()
        wait_until(lambda: painted, "a frame of the window")
    finally:
        clock.disconnect(handler)


# --- the application ---------------------------------------------------------

class Backend:
    """The infinite query's fetch function: keeps each fetch's context, for
    the test to answer when it likes."""

    def __init__(self):
        self.contexts = []

    def __call__(self, context):
        self.contexts.append(context)
        # Returns None: the context is completed later.

    @property
    def pending(self):
        return [c for c in self.contexts if not c.is_completed()]

    def params(self):
        return [c.get_page_param() for c in self.contexts]

    def answer(self, page):
        (context,) = self.pending
        context.return_value(page)

    def fail(self, message):
        (context,) = self.pending
        context.return_error(RuntimeError(message))


def make_query(client, backend):
    query = Quarry.InfiniteQuery(client, ["todos", "feed"], backend, initial_page_param=0, retry=0,
                                 stale_time=STALE_TIME)
    query.set_items_member("items")
    query.set_next_page_param_func(lambda page, data, param: page["next"])
    return query


class TodoWindow:
    """A todo list window bound to an infinite query, as a Python
    application writes it with plain GTK."""

    def __init__(self, Gtk, client, query):
        self.query = query
        self.window = Gtk.Window(title="Todos", default_width=360, default_height=480)
        self.window.connect("notify::is-active", lambda window, pspec: client.set_focused(window.props.is_active))
        self.stack = Gtk.Stack()
        self.window.set_child(self.stack)

        self.spinner = Gtk.Spinner(halign=Gtk.Align.CENTER, valign=Gtk.Align.CENTER)
        self.stack.add_named(self.spinner, "loading")

        self.error_page = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=12, valign=Gtk.Align.CENTER)
        self.error_label = Gtk.Label(wrap=True)
        self.retry = Gtk.Button(label="Retry", halign=Gtk.Align.CENTER)
        self.retry.connect("clicked", lambda button: query.refetch())
        self.error_page.append(self.error_label)
        self.error_page.append(self.retry)
        self.stack.add_named(self.error_page, "error")

        self.content = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)
        self.refreshing = Gtk.Label(label="Refreshing…")
        query.bind_property("is-refetching", self.refreshing, "visible", GObject.BindingFlags.SYNC_CREATE)
        factory = Gtk.SignalListItemFactory()
        factory.connect("setup", lambda factory, list_item: list_item.set_child(Gtk.Label(xalign=0)))
        factory.connect("bind", lambda factory, list_item:
                        list_item.get_child().set_text(list_item.get_item()["title"]))
        self.list_view = Gtk.ListView(model=Gtk.NoSelection(model=query.props.items), factory=factory)
        self.load_more = Gtk.Button(label="Load more")
        query.bind_property("has-next-page", self.load_more, "sensitive", GObject.BindingFlags.SYNC_CREATE)
        self.load_more.connect("clicked", lambda button: query.fetch_next_page())
        self.content.append(self.refreshing)
        self.content.append(Gtk.ScrolledWindow(child=self.list_view, vexpand=True))
        self.content.append(self.load_more)
        self.stack.add_named(self.content, "content")

        query.connect("notify::status", self.sync)
        query.connect("notify::error", self.sync)
        self.sync()

    def sync(self, *args):
        status = self.query.props.status
        self.spinner.props.spinning = status == Quarry.Status.PENDING
        if status == Quarry.Status.ERROR:
            self.error_label.set_text(self.query.get_error().message)
            self.stack.set_visible_child_name("error")
        elif status == Quarry.Status.SUCCESS:
            self.stack.set_visible_child_name("content")
        else:
            self.stack.set_visible_child_name("loading")

    # What the window shows.

    def shown_page(self):
        """The name of the stack page that is visible and drawn."""
        wait_for_paint(self.window)
        name = self.stack.get_visible_child_name()
        assert self.stack.get_child_by_name(name).get_mapped()
        mapped = [page for page in ("loading", "error", "content")
                  if self.stack.get_child_by_name(page).get_mapped()]
        assert mapped == [name]
        return name

    def row_texts(self):
        """The texts of the list view's rows that are on screen."""
        texts = []
        row = self.list_view.get_first_child()
        while row is not None:
            label = row.get_first_child()
            if row.get_mapped() and label is not None:
                texts.append(label.get_text())
            row = row.get_next_sibling()
        return texts

    def wait_for_rows(self, expected):
        wait_until(lambda: self.row_texts() == expected,
                   lambda: f"the rows {expected}; the list view shows {self.row_texts()}")
        wait_for_paint(self.window)
        assert self.row_texts() == expected

    def activate(self):
        """Gives the window the focus, as clicking it would. Xvfb has no
        window manager: presenting focuses the window (XSetInputFocus)."""
        self.window.present()
        wait_until(lambda: self.window.props.is_active, "the window to become active")

    def close(self):
        self.window.destroy()
        drain()


@pytest.fixture
def backend():
    return Backend()


@pytest.fixture
def app(gtk, client, backend):
    todo = TodoWindow(gtk.Gtk, client, make_query(client, backend))
    todo.window.present()
    yield todo
    todo.close()


def show_first_page(app, backend, clock):
    clock.flush()
    assert backend.params() == [0]
    backend.answer(PAGES[0])
    clock.flush()
    assert app.query.props.status == Quarry.Status.SUCCESS
    app.wait_for_rows(titles(0))


# --- rendering to PNG --------------------------------------------------------

class _Rect(ctypes.Structure):
    _fields_ = [("x", ctypes.c_float), ("y", ctypes.c_float),
                ("width", ctypes.c_float), ("height", ctypes.c_float)]


def _pointer(obj):
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype = ctypes.c_void_p
    get.argtypes = [ctypes.py_object, ctypes.c_char_p]
    return get(obj.__gpointer__, None)


def save_png(Gtk, widget, renderer, path):
    """Draws @widget as it is on screen into a PNG at @path:
    Gtk.WidgetPaintable → Gtk.Snapshot → render node → @renderer's
    render_texture() → Gdk.Texture.save_to_png().

    PyGObject before 3.50 cannot wrap a GskRenderNode (a fundamental type
    that is no GObject: "No means to translate argument or return value
    for 'GskContainerNode'"), so the calls from the node on go through
    ctypes, on the snapshot and renderer PyGObject made."""
    width, height = widget.get_width(), widget.get_height()
    snapshot = Gtk.Snapshot()
    Gtk.WidgetPaintable(widget=widget).snapshot(snapshot, width, height)

    lib = ctypes.CDLL("libgtk-4.so.1")
    lib.gtk_snapshot_to_node.restype = ctypes.c_void_p
    lib.gtk_snapshot_to_node.argtypes = [ctypes.c_void_p]
    lib.gsk_renderer_render_texture.restype = ctypes.c_void_p
    lib.gsk_renderer_render_texture.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(_Rect)]
    lib.gdk_texture_save_to_png.restype = ctypes.c_int
    lib.gdk_texture_save_to_png.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.gsk_render_node_unref.argtypes = [ctypes.c_void_p]
    lib.g_object_unref.argtypes = [ctypes.c_void_p]

    node = lib.gtk_snapshot_to_node(_pointer(snapshot))
    assert node, "the widget drew nothing"
    try:
        texture = lib.gsk_renderer_render_texture(_pointer(renderer), node,
                                                  ctypes.byref(_Rect(0, 0, width, height)))
        assert texture
        try:
            assert lib.gdk_texture_save_to_png(texture, os.fsencode(path))
        finally:
            lib.g_object_unref(texture)
    finally:
        lib.gsk_render_node_unref(node)
    return width, height


# --- tests -------------------------------------------------------------------

def test_stack_follows_loading_error_retry_and_content(app, backend, client, clock):
    assert app.window.get_mapped()
    clock.flush()
    assert backend.params() == [0]
    assert app.query.props.status == Quarry.Status.PENDING
    assert app.shown_page() == "loading"
    assert app.spinner.props.spinning

    backend.fail("The server exploded")
    clock.flush()
    assert app.query.props.status == Quarry.Status.ERROR
    assert app.shown_page() == "error"
    assert app.error_label.get_text() == "The server exploded"
    assert app.error_label.get_mapped() and app.retry.get_mapped()
    assert not app.spinner.props.spinning

    app.retry.emit("clicked")
    assert backend.params() == [0, 0]
    assert app.query.props.is_fetching
    # No data to show yet: as TanStack, a refetch after a first failure is pending.
    assert app.query.props.status == Quarry.Status.PENDING
    assert app.shown_page() == "loading"
    assert app.spinner.props.spinning

    backend.answer(PAGES[0])
    clock.flush()
    assert app.query.props.status == Quarry.Status.SUCCESS
    assert app.shown_page() == "content"
    app.wait_for_rows(titles(0))
    assert app.load_more.get_sensitive()
    assert not app.refreshing.get_visible()
    assert not app.spinner.props.spinning


def test_fetch_next_page_grows_the_list_view(gtk, app, backend, client, clock, tmp_path):
    show_first_page(app, backend, clock)
    model = app.list_view.get_model()
    items = app.query.props.items
    assert model.get_model() == items
    assert items.get_n_items() == 3
    assert all(isinstance(items.get_item(i), Quarry.JsonItem) for i in range(3))
    changes = []
    items.connect("items-changed", lambda model, position, removed, added: changes.append((position, removed, added)))

    app.load_more.emit("clicked")
    assert app.query.props.is_fetching_next_page
    assert backend.params() == [0, 1]
    backend.answer(PAGES[1])
    clock.flush()

    assert not app.query.props.is_fetching_next_page
    assert changes == [(3, 0, 2)]
    assert model.get_n_items() == 5
    assert [model.get_item(i)["title"] for i in range(5)] == titles(0, 1)
    assert app.query.get_data() == {"pages": [PAGES[0], PAGES[1]], "pageParams": [0, 1]}
    app.wait_for_rows(titles(0, 1))
    assert app.shown_page() == "content"
    assert not app.query.props.has_next_page
    assert not app.load_more.get_sensitive()

    path = tmp_path / "todos.png"
    width, height = save_png(gtk.Gtk, app.window, app.window.get_renderer(), path)
    print(f"\nsnapshot of the content page: {path}")
    assert path.stat().st_size > 2000
    with open(path, "rb") as png:
        header = png.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (width, height)
    assert (width, height) == (360, 480)
    # Drawn text, not a blank window: anti-aliased glyphs give many shades,
    # and dark ones where the first row's title is.
    image = gtk.GdkPixbuf.Pixbuf.new_from_file(str(path))
    assert (image.get_width(), image.get_height()) == (width, height)
    pixels, stride, channels = image.get_pixels(), image.get_rowstride(), image.get_n_channels()

    def pixel(x, y):
        return tuple(pixels[y * stride + x * channels:y * stride + x * channels + 3])

    shades = {pixel(x, y) for y in range(0, height, 2) for x in range(0, width, 2)}
    assert len(shades) > 10
    first_row = [pixel(x, y) for y in range(0, 20) for x in range(0, 100)]
    assert min(sum(p) for p in first_row) < 200


def test_window_focus_refetches_a_stale_query(gtk, app, backend, client, clock):
    show_first_page(app, backend, clock)
    app.activate()
    assert client.props.focused

    # Another window takes the focus, then gives it back while the data is
    # fresh: nothing refetches.
    other = gtk.Gtk.Window(title="Another application", default_width=200, default_height=100)
    try:
        other.present()
        wait_until(lambda: not app.window.props.is_active, "the todo window to lose the focus")
        assert not client.props.focused
        app.activate()
        assert client.props.focused
        drain()
        clock.flush()
        assert backend.params() == [0]

        # Away until the data is stale; coming back refetches it.
        other.present()
        wait_until(lambda: not client.props.focused, "the client to lose the focus")
        clock.advance(STALE_TIME + 1)
        assert app.query.props.is_stale
        clock.flush()
        assert backend.params() == [0]
        app.activate()
    finally:
        other.destroy()
    assert client.props.focused
    clock.flush()
    assert backend.params() == [0, 0]
    assert app.query.props.is_refetching
    # The data stays on screen while it refetches.
    assert app.query.props.status == Quarry.Status.SUCCESS
    assert app.shown_page() == "content"
    assert app.refreshing.get_mapped()

    fresh = {"items": [{"id": 1, "title": "Buy oat milk"}] + PAGES[0]["items"][1:], "next": 1}
    backend.answer(fresh)
    clock.flush()
    assert not app.query.props.is_fetching
    assert not app.query.props.is_stale
    app.wait_for_rows(["Buy oat milk"] + titles(0)[1:])
    assert not app.refreshing.get_visible()
    assert app.shown_page() == "content"
