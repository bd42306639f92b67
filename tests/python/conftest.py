# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import select
import shutil
import subprocess
import tempfile
import time

import gi

gi.require_version("Quarry", "1.0")

import pytest
from gi.repository import GLib, Quarry


@pytest.fixture
def clock():
    return Quarry.Clock.new_manual(1_700_000_000_000)


@pytest.fixture
def client(clock):
    client = Quarry.QueryClient.new_with_clock(clock)
    yield client
    client.clear()
    clock.flush()


@pytest.fixture
def system_client():
    """A client on the system clock, online whatever the machine's network."""
    client = Quarry.QueryClient.new()
    client.set_network_monitor(None)
    client.set_online(True)
    yield client
    client.clear()


def wait_until(predicate, what="the condition", timeout=10.0):
    """Iterates the default main context until predicate() holds; fails the
    test if it does not within @timeout seconds. The timeout is a guard
    against a hang, not a wait. A short repeating source keeps the
    iterations coming so the deadline is checked."""
    context = GLib.MainContext.default()
    wake = GLib.timeout_add(20, lambda: GLib.SOURCE_CONTINUE)
    deadline = time.monotonic() + timeout
    try:
        while not predicate():
            if time.monotonic() > deadline:
                pytest.fail(f"waited {timeout} s for {what() if callable(what) else what}")
            context.iteration(True)
    finally:
        GLib.source_remove(wake)


def drain(limit=10_000):
    """Dispatches what is ready in the default main context, without waiting."""
    context = GLib.MainContext.default()
    for _ in range(limit):
        if not context.iteration(False):
            return
    pytest.fail("the main context never went idle")


# --- the display -------------------------------------------------------------

def start_xvfb(timeout=10.0):
    """Starts Xvfb on a free display; gives the process and the display name.

    The server is started with -terminate: it exits by itself when its last
    client, this process, disconnects. It is never killed while GTK may still
    talk to it: GDK ends the process on an X I/O error, even from an object
    finalized late (the current GL context, objects in reference cycles)."""
    path = shutil.which("Xvfb")
    if path is None:
        pytest.fail("Xvfb is not installed, and DISPLAY is not set: the GTK tests need one "
                    "(install the xvfb package)", pytrace=False)
    read_end, write_end = os.pipe()
    # Its messages go to a file: a pipe nobody reads could fill and block it.
    with tempfile.TemporaryFile() as log:
        try:
            process = subprocess.Popen([path, "-displayfd", str(write_end), "-nolisten", "tcp",
                                        "-terminate", "-screen", "0", "1024x768x24"],
                                       pass_fds=(write_end,), stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=log)
        finally:
            os.close(write_end)
        # Xvfb writes the display number, then a newline, once it accepts clients.
        text = b""
        deadline = time.monotonic() + timeout
        try:
            while not text.endswith(b"\n"):
                remaining = deadline - time.monotonic()
                ready = remaining > 0 and select.select([read_end], [], [], remaining)[0]
                chunk = os.read(read_end, 64) if ready else b""
                if not chunk:
                    process.kill()
                    process.wait()
                    log.seek(0)
                    pytest.fail(f"Xvfb gave no display number (waited at most {timeout} s; exit status "
                                f"{process.returncode}): {log.read().decode(errors='replace')}",
                                pytrace=False)
                text += chunk
        finally:
            os.close(read_end)
    return process, ":" + text.decode().strip()


class Gtk4:
    """What the gtk fixture gives: the GTK modules, once initialised."""

    def __init__(self, Gtk, Gdk, GdkPixbuf, QuarryGtk):
        self.Gtk = Gtk
        self.Gdk = Gdk
        self.GdkPixbuf = GdkPixbuf
        self.QuarryGtk = QuarryGtk


@pytest.fixture(scope="session")
def gtk():
    """GTK 4 on one private Xvfb for the whole session (a display GTK has
    opened is never closed: see start_xvfb). Gtk is imported only here, once
    DISPLAY is set: importing it initialises GTK."""
    xvfb = None
    if not os.environ.get("DISPLAY"):
        xvfb, os.environ["DISPLAY"] = start_xvfb()
    os.environ["GDK_BACKEND"] = "x11"
    os.environ["GTK_A11Y"] = "none"
    os.environ.setdefault("GSK_RENDERER", "cairo")
    for namespace, version in (("Gdk", "4.0"), ("Gtk", "4.0"), ("GdkPixbuf", "2.0"), ("QuarryGtk", "1.0")):
        gi.require_version(namespace, version)

    from gi.repository import Gdk, GdkPixbuf, Gtk, QuarryGtk
    assert Gtk.init_check(), f"GTK could not open the display {os.environ['DISPLAY']}"
    display = Gdk.Display.get_default()
    assert display is not None
    assert type(display).__name__ == "X11Display"
    Gtk.Settings.get_default().props.gtk_enable_animations = False
    yield Gtk4(Gtk, Gdk, GdkPixbuf, QuarryGtk)
    drain()
    if xvfb is not None:
        # Exits when this process closes its connection; reaped here if it
        # already has.
        xvfb.poll()
