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


def key(text):
    return Quarry.Key.new_from_string(text)


def json_value(text):
    return Json.from_string(text)
