# SPDX-License-Identifier: LGPL-2.1-or-later
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
