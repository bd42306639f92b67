# SPDX-License-Identifier: LGPL-2.1-or-later
"""Quarry's core from Python, through the typelib (no overrides yet)."""
import gi

gi.require_version("Quarry", "1.0")
gi.require_version("Json", "1.0")

import pytest
from gi.repository import GLib, GObject, Json, Quarry

from conftest import json_value, key


def test_key_from_string_is_canonical():
    k = key('["todos", {"page": 2, "id": 5}]')
    assert k.to_string() == '["todos",{"id":5,"page":2}]'
    assert k.get_length() == 2
    assert Quarry.Key.equal(k, key('["todos",{"id":5,"page":2.0}]'))
    assert k.matches(key('["todos"]'), False)
    assert not k.matches(key('["todos"]'), True)


def test_invalid_key_raises_quarry_error():
    with pytest.raises(GLib.Error) as info:
        Quarry.Key.new_from_string('{"not": "an array"}')
    assert info.value.matches(Quarry.error_quark(), Quarry.Error.INVALID_KEY)
    assert "array" in info.value.message


def test_python_fetch_function_and_main_loop(client, clock):
    calls = []

    def fetch(context):
        calls.append(context.get_key().to_string())
        context.return_json(json_value('[{"id": 1, "title": "Buy milk"}]'))

    query = Quarry.Query.new(client, key('["todos"]'), fetch)
    assert query.props.status == Quarry.Status.PENDING
    clock.flush()
    assert calls == ['["todos"]']
    assert query.props.status == Quarry.Status.SUCCESS
    assert not query.props.is_fetching
    node = query.get_value()
    assert isinstance(node, Json.Node)
    assert Json.to_string(node, False) == '[{"id":1,"title":"Buy milk"}]'


def test_async_completion_from_a_real_main_loop():
    """A real (system) clock and GLib.MainLoop, completing later."""
    client = Quarry.QueryClient.new()
    client.set_network_monitor(None)
    client.set_online(True)
    loop = GLib.MainLoop()
    kept = []

    def fetch(context):
        kept.append(context)

        def later():
            value = GObject.Value(GObject.TYPE_STRING, "hello")
            context.return_value(value)
            return GLib.SOURCE_REMOVE

        GLib.timeout_add(10, later)

    query = Quarry.Query.new(client, key('["greeting"]'), fetch)
    query.connect("notify::status", lambda q, p: loop.quit() if q.props.status != Quarry.Status.PENDING else None)
    GLib.timeout_add_seconds(5, loop.quit)
    loop.run()
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_value() == "hello"
    assert query.props.data == "hello"


def test_fetch_error_keeps_message_and_domain(client, clock):
    def fetch(context):
        context.return_error_literal(Quarry.http_error_quark(), 404, "Not found")

    query = Quarry.Query.new(client, key('["missing"]'), fetch)
    query.props.retry = 0
    clock.flush()
    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert error.matches(Quarry.http_error_quark(), Quarry.HttpError.NOT_FOUND)
    assert error.message == "Not found"
    assert query.props.is_loading_error


def test_retries_follow_the_clock(client, clock):
    attempts = []

    def fetch(context):
        attempts.append(context.get_attempt())
        context.return_error_literal(GLib.quark_from_string("test"), 1, "down")

    query = Quarry.Query.new(client, key('["flaky"]'), fetch)
    clock.flush()
    assert attempts == [1]
    assert query.props.failure_count == 1
    clock.advance(1000)
    assert attempts == [1, 2]
    clock.advance(2000 + 4000)
    assert attempts == [1, 2, 3, 4]
    assert query.props.status == Quarry.Status.ERROR
    assert query.props.failure_count == 4


def test_set_and_get_query_data(client):
    k = key('["todos", {"id": 1}]')
    node = json_value('{"title": "x", "done": false}')
    value = GObject.Value(Json.Node, node)
    assert client.set_query_data(k, value)
    stored = client.get_query_data(key('["todos",{"id":1}]'))
    assert Json.to_string(stored, False) == '{"title":"x","done":false}'
    state = client.get_query_state(k)
    assert state.get_status() == Quarry.Status.SUCCESS
    assert state.get_data_update_count() == 1


def test_invalidate_refetches_active_queries(client, clock):
    count = [0]

    def fetch(context):
        count[0] += 1
        context.return_value(GObject.Value(GObject.TYPE_INT64, count[0]))

    query = Quarry.Query.new(client, key('["todos", 1]'), fetch)
    query.props.stale_time = Quarry.TIME_INFINITE
    clock.flush()
    assert query.get_value() == 1
    client.invalidate_queries(Quarry.QueryFilter.new(key('["todos"]')), Quarry.RefetchType.DEFAULT)
    clock.flush()
    assert query.get_value() == 2
    assert count[0] == 2


def test_filter_properties_and_find_keys(client):
    for text in ('["a", 1]', '["a", 2]', '["b"]'):
        client.set_query_data(key(text), GObject.Value(GObject.TYPE_STRING, text))
    keys = client.find_keys(Quarry.QueryFilter(key=key('["a"]')))
    assert [k.to_string() for k in keys] == ['["a",1]', '["a",2]']
    exact = Quarry.QueryFilter(key=key('["b"]'), exact=True)
    assert [k.to_string() for k in client.find_keys(exact)] == ['["b"]']


def test_options_object_and_defaults(client, clock):
    defaults = Quarry.QueryOptions(stale_time=60_000)
    client.set_query_defaults(key('["todos"]'), defaults)
    query = Quarry.Query.new(client, key('["todos", 5]'), None)
    assert query.props.stale_time == 60_000
    assert query.props.gc_time == 300_000
    assert defaults.is_set("stale-time")
    assert not defaults.is_set("retry")
    clock.flush()
    # No fetch function: a clear error, not a crash.
    assert query.props.status == Quarry.Status.ERROR
    assert query.get_error().matches(Quarry.error_quark(), Quarry.Error.MISSING_FETCH_FUNC)


def test_query_cannot_show_an_opaque_python_object(client, clock):
    def fetch(context):
        context.return_value(GObject.Value(GObject.TYPE_PYOBJECT, {"a": 1}))

    query = Quarry.Query.new(client, key('["opaque"]'), fetch)
    query.props.retry = 0
    clock.flush()
    assert query.props.status == Quarry.Status.ERROR
    assert query.get_error().matches(Quarry.error_quark(), Quarry.Error.UNSUPPORTED_TYPE)


def test_select_function_returns_a_value(client, clock):
    """Value-returning callbacks fill a caller-allocated GValue, which
    PyGObject can do: a returned GValue would be freed with the wrong
    allocator on GLib 2.74."""

    def fetch(context):
        context.return_value(GObject.Value(GObject.TYPE_INT64, 21))

    def double(data):
        if data < 0:
            raise GLib.Error("negative")
        return GObject.Value(GObject.TYPE_INT64, data * 2)

    query = Quarry.Query.new(client, key('["n"]'), fetch)
    query.set_select_func(double)
    clock.flush()
    assert query.get_value() == 42
    assert client.get_query_data(key('["n"]')) == 21

    client.set_query_data(key('["n"]'), GObject.Value(GObject.TYPE_INT64, -1))
    assert query.props.status == Quarry.Status.ERROR
    assert query.props.error.message == "negative"
    assert query.get_value() == 42


def test_select_function_that_raises_a_python_exception(client, clock):
    def fetch(context):
        context.return_value(GObject.Value(GObject.TYPE_INT64, 1))

    def broken(data):
        raise ValueError("not a GLib.Error")

    query = Quarry.Query.new(client, key('["n"]'), fetch)
    query.set_select_func(broken)
    clock.flush()
    assert query.props.status == Quarry.Status.ERROR
    assert query.props.error.matches(Quarry.error_quark(), Quarry.Error.SELECT)


def test_updater_computes_from_previous_data(client):
    k = key('["counter"]')

    def increment(previous):
        return None if previous is None else GObject.Value(GObject.TYPE_INT64, previous + 1)

    assert client.set_query_data_with_updater(k, increment)
    assert client.get_query_data(k) is None
    client.set_query_data(k, GObject.Value(GObject.TYPE_INT64, 1))
    assert client.set_query_data_with_updater(k, increment)
    assert client.set_query_data_with_updater(k, increment)
    assert client.get_query_data(k) == 3


def test_fetch_in_a_worker_thread():
    client = Quarry.QueryClient.new()
    client.set_network_monitor(None)
    client.set_online(True)
    loop = GLib.MainLoop()

    def load(cancellable):
        return Json.from_string('[{"id": 1}]')

    def fetch(context):
        context.run_in_thread(load)

    query = Quarry.Query.new(client, key('["threaded"]'), fetch)
    query.connect("notify::status", lambda q, p: loop.quit())
    GLib.timeout_add_seconds(5, loop.quit)
    loop.run()
    assert query.props.status == Quarry.Status.SUCCESS
    assert Json.to_string(query.get_value(), False) == '[{"id":1}]'


def test_optimistic_value_function(client):
    k = key('["title"]')
    update = Quarry.OptimisticUpdate.new(Quarry.OptimisticKind.SET, k)
    # A plain str: PyGObject 3.42 copies a returned GObject.Value shallowly,
    # so one holding a string would be freed with its Python wrapper.
    update.set_value_func(lambda variables: variables.upper())
    restorer = update.apply(client, GObject.Value(GObject.TYPE_STRING, "draft"))
    assert client.get_query_data(k) == "DRAFT"
    restorer.restore()
    assert client.get_query_data(k) is None
