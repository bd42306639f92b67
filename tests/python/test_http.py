# SPDX-License-Identifier: LGPL-2.1-or-later
"""Quarry's HTTP layer from Python, through the typelib, against a real
Soup.Server on 127.0.0.1 in the same process and main context."""
import json
import time

import gi

gi.require_version("Quarry", "1.0")
gi.require_version("Json", "1.0")
gi.require_version("Soup", "3.0")

import pytest
from gi.repository import Gio, GLib, Json, Quarry, Soup

from conftest import json_value, key


class Request:
    """What the server saw of one request."""

    def __init__(self, msg):
        uri = msg.get_uri()
        self.method = msg.get_method()
        self.path = uri.get_path()
        self.query = uri.get_query()
        self.headers = {}
        msg.get_request_headers().foreach(lambda name, value: self.headers.__setitem__(name.lower(), value))
        self.body = msg.get_request_body().flatten().get_data() or b""

    def json(self):
        return json.loads(self.body.decode("utf-8"))


class Server:
    """A Soup.Server on 127.0.0.1 that answers routes with JSON and records
    every request. An unknown route gets a 404 with a JSON message."""

    def __init__(self):
        self.soup = Soup.Server()
        address = Gio.InetSocketAddress.new_from_string("127.0.0.1", 0)
        assert self.soup.listen(address, 0)
        port = self.soup.get_uris()[0].get_port()
        assert port > 0
        self.base = f"http://127.0.0.1:{port}"
        self.routes = {}
        self.requests = []
        self.soup.add_handler(None, self._handle)

    def route(self, method, path, status, body):
        self.routes[(method, path)] = (status, body)

    def _handle(self, soup, msg, path, query):
        request = Request(msg)
        self.requests.append(request)
        status, body = self.routes.get((request.method, request.path),
                                       (404, {"message": "no such route"}))
        msg.set_status(status, None)
        if body is not None:
            msg.set_response("application/json", Soup.MemoryUse.COPY, json.dumps(body).encode("utf-8"))

    def close(self):
        self.soup.disconnect()


def wait_until(predicate, timeout=10.0):
    """Iterates the default main context until predicate() is true; a short
    repeating timeout keeps the iterations coming so the guard is checked."""
    context = GLib.MainContext.default()
    wake = GLib.timeout_add(20, lambda: GLib.SOURCE_CONTINUE)
    deadline = time.monotonic() + timeout
    try:
        while not predicate():
            assert time.monotonic() < deadline, "waited too long"
            context.iteration(True)
    finally:
        GLib.source_remove(wake)


def native(value):
    """A query's or mutation's JSON data as Python values, whether the
    bindings give a Json.Node or already native values."""
    if isinstance(value, Json.Node):
        return json.loads(Json.to_string(value, False))
    return value


@pytest.fixture
def server():
    server = Server()
    yield server
    server.close()


@pytest.fixture
def http(server):
    return Quarry.HttpClient.new(server.base)


def settle(query):
    wait_until(lambda: query.props.status != Quarry.Status.PENDING)


TODOS = [{"id": 1, "title": "Buy milk", "done": False},
         {"id": 2, "title": "Walk the dog", "done": True}]


def test_fetch_a_json_list(client, server, http):
    server.route("GET", "/todos", 200, TODOS)
    ep = http.endpoint("GET", "/todos")

    query = Quarry.Query.new(client, key('["todos"]'), ep.fetch)
    settle(query)

    assert query.props.status == Quarry.Status.SUCCESS
    assert native(query.get_value()) == TODOS
    assert len(server.requests) == 1
    request = server.requests[0]
    assert request.method == "GET"
    assert request.path == "/todos"
    assert request.headers["accept"] == "application/json"
    assert "idempotency-key" not in request.headers


def test_path_template_takes_a_member_of_the_key_object(client, server, http):
    server.route("GET", "/todos/5", 200, {"id": 5, "title": "Call mum"})
    ep = http.endpoint("GET", "/todos/{id}")

    query = Quarry.Query.new(client, key('["todos", {"id": 5}]'), ep.fetch)
    settle(query)

    assert [r.path for r in server.requests] == ["/todos/5"]
    assert server.requests[0].query is None
    assert query.props.status == Quarry.Status.SUCCESS
    assert native(query.get_value()) == {"id": 5, "title": "Call mum"}


def test_not_found_is_an_http_error(client, server, http):
    server.route("GET", "/todos/9", 404, {"message": "no such todo"})
    ep = http.endpoint("GET", "/todos/{id}")

    query = Quarry.Query.new(client, key('["todos", {"id": 9}]'), ep.fetch)
    settle(query)

    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert isinstance(error, GLib.Error)
    assert error.matches(Quarry.http_error_quark(), 404)
    assert error.code == Quarry.HttpError.NOT_FOUND
    assert "no such todo" in error.message
    # A 404 is not transient: no retry.
    assert len(server.requests) == 1
    assert query.props.failure_count == 1


def test_post_mutation_sends_its_variables_with_an_idempotency_key(client, server, http):
    server.route("POST", "/todos", 201, {"id": 3, "title": "Water plants"})
    ep = http.endpoint("POST", "/todos")
    m = Quarry.Mutation.new(client, None, None)
    m.get_options().set_mutation_func(ep.mutate)
    results = []

    def done(mutation, data, error, variables, context):
        results.append((native(data), error))

    m.mutate(json_value('{"title": "Water plants"}'), done)
    wait_until(lambda: results)

    assert results == [({"id": 3, "title": "Water plants"}, None)]
    assert m.props.is_success
    assert native(m.props.data) == {"id": 3, "title": "Water plants"}
    assert len(server.requests) == 1
    request = server.requests[0]
    assert request.method == "POST"
    assert request.path == "/todos"
    assert request.headers["content-type"].split(";")[0] == "application/json"
    assert request.json() == {"title": "Water plants"}
    assert GLib.uuid_string_is_valid(request.headers["idempotency-key"])


def test_patch_mutation_fills_the_path_from_its_variables(client, server, http):
    server.route("PATCH", "/todos/5", 200, {"id": 5, "title": "Call mum", "done": True})
    ep = http.endpoint("PATCH", "/todos/{id}")
    m = Quarry.Mutation.new(client, None, ep.mutate)
    results = []

    m.mutate(json_value('{"id": 5, "done": true}'),
             lambda mutation, data, error, variables, context: results.append(error))
    wait_until(lambda: results)

    assert results == [None]
    assert [(r.method, r.path) for r in server.requests] == [("PATCH", "/todos/5")]
    assert server.requests[0].json() == {"done": True}
    assert native(m.props.data) == {"id": 5, "title": "Call mum", "done": True}
