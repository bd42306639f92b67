# SPDX-License-Identifier: LGPL-2.1-or-later
import gi

gi.require_version("Quarry", "1.0")
gi.require_version("Json", "1.0")

import pytest
from gi.repository import GLib, Json, Quarry


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


def iterate_until(predicate, timeout_s=5.0):
    """Iterates the default main context until predicate() holds. The
    timeout is a guard against a hang, not a wait: returns False when it
    passes first."""
    context = GLib.MainContext.default()
    deadline = GLib.get_monotonic_time() + int(timeout_s * 1_000_000)
    # Wakes a blocking iteration up now and then, so the deadline is checked.
    wakeup = GLib.timeout_add(20, lambda: GLib.SOURCE_CONTINUE)
    try:
        while not predicate():
            if GLib.get_monotonic_time() > deadline:
                return False
            context.iteration(True)
        return True
    finally:
        GLib.source_remove(wakeup)


def key(text):
    return Quarry.Key.new_from_string(text)


def json_value(text):
    return Json.from_string(text)
