# SPDX-License-Identifier: LGPL-2.1-or-later
"""Quarry's HTTP layer from Python, in the style the overrides give (keys
and data as plain Python values), against a real Soup.Server on 127.0.0.1
in the same process and main context.

The query client runs on a manual clock: retry delays and the HTTP timeout
only pass when a test advances it. The network I/O is real, so the tests
iterate the default main context until what they wait for holds, with a
deadline that fails the test instead of hanging; they never sleep."""
import json

import gi

gi.require_version("Quarry", "1.0")
gi.require_version("Soup", "3.0")

import pytest
from gi.repository import Gio, GLib, Quarry, Soup

from conftest import drain, wait_until

TODOS = [{"id": 1, "title": "Buy milk", "done": False},
         {"id": 2, "title": "Walk the dog", "done": True}]


# --- the server --------------------------------------------------------------

class Request:
    """What the server saw of one request, and what it answered."""

    def __init__(self, msg):
        uri = msg.get_uri()
        self.method = msg.get_method()
        self.path = uri.get_path()
        self.query = uri.get_query()
        self.headers = {}
        msg.get_request_headers().foreach(lambda name, value: self.headers.__setitem__(name.lower(), value))
        self.body = msg.get_request_body().flatten().get_data() or b""
        self.status = None

    def json(self):
        return json.loads(self.body.decode("utf-8"))


class Reply:
    """An answer: @body is sent as JSON, @raw as it is. (A route given HOLD
    never answers: the server pauses the request.)"""

    def __init__(self, status, body=None, raw=None, headers=None, content_type="application/json"):
        self.status = status
        self.raw = raw if raw is not None else (None if body is None else json.dumps(body).encode("utf-8"))
        self.headers = headers or {}
        self.content_type = content_type


HOLD = object()


class Server:
    """A Soup.Server on 127.0.0.1 that answers each route with its replies
    in turn (the last one for good) and records every request. A reply may
    be a function of the Request. An unknown route gets a JSON 404."""

    def __init__(self):
        self.soup = Soup.Server()
        address = Gio.InetSocketAddress.new_from_string("127.0.0.1", 0)
        assert self.soup.listen(address, 0)
        port = self.soup.get_uris()[0].get_port()
        assert port > 0
        self.base = f"http://127.0.0.1:{port}"
        self.routes = {}
        self.requests = []
        self.held = []
        self.errors = []
        self.soup.add_handler(None, self._handle)

    def route(self, method, path, *replies):
        assert replies
        self.routes[(method, path)] = list(replies)

    def seen(self, method, path):
        return [r for r in self.requests if r.method == method and r.path == path]

    def count(self, method, path):
        return len(self.seen(method, path))

    def _handle(self, soup, msg, path, query):
        request = Request(msg)
        self.requests.append(request)
        replies = self.routes.get((request.method, request.path))
        if replies is None:
            reply = Reply(404, {"message": "no such route"})
        else:
            reply = replies.pop(0) if len(replies) > 1 else replies[0]
        if callable(reply):
            try:
                reply = reply(request)
            except Exception as error:  # noqa: BLE001 - reported when the server closes
                self.errors.append(error)
                reply = Reply(500, raw=repr(error).encode(), content_type="text/plain")
        if reply is HOLD:
            msg.pause()
            self.held.append(msg)
            return
        request.status = reply.status
        msg.set_status(reply.status, None)
        for name, value in reply.headers.items():
            msg.get_response_headers().replace(name, value)
        if reply.raw is not None:
            msg.set_response(reply.content_type, Soup.MemoryUse.COPY, reply.raw)

    def close(self):
        for msg in self.held:
            msg.set_status(503, None)
            msg.unpause()
        self.held.clear()
        drain()
        self.soup.disconnect()
        assert not self.errors, f"a route's function raised: {self.errors!r}"


# --- main context ------------------------------------------------------------



def settle(query):
    """Waits until @query fetched: its fetch starts on the clock's next
    dispatch, which flush() runs at once."""
    query.get_client().get_clock().flush()
    wait_until(lambda: not query.props.is_fetching, "the query to settle")


def refetch_and_settle(query):
    query.refetch()
    assert query.props.is_fetching
    settle(query)


def run(mutation, variables):
    """Mutates and waits for this run to settle; gives (data, error, variables, context)."""
    results = []
    mutation.mutate(variables, on_settled=lambda *args: results.append(args))
    wait_until(lambda: results, "the mutation to settle")
    assert len(results) == 1
    return results[0]


class Counter:
    """A fetch function that counts its calls and lets @endpoint fetch."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.calls = 0

    def __call__(self, context):
        self.calls += 1
        self.endpoint.fetch(context)


@pytest.fixture
def server():
    server = Server()
    yield server
    server.close()


@pytest.fixture
def http(server):
    return Quarry.HttpClient.new(server.base)


# --- queries -----------------------------------------------------------------

def test_fetch_a_json_list_as_native_data(client, server, http):
    server.route("GET", "/todos", Reply(200, TODOS))
    endpoint = http.endpoint("GET", "/todos")

    query = Quarry.Query(client, ["todos"], endpoint.fetch)
    assert query.props.status == Quarry.Status.PENDING
    assert query.get_data() is None
    settle(query)

    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_key() == ["todos"]
    assert query.props.key == ["todos"]
    data = query.get_data()
    assert data == TODOS
    assert isinstance(data, list) and isinstance(data[0], dict)
    assert query.props.data == TODOS
    assert client.get_query_data(["todos"]) == TODOS
    assert client.get_query_state(["todos"]).get_data() == TODOS
    assert client.find_keys(["todos"]) == [["todos"]]

    assert len(server.requests) == 1
    request = server.requests[0]
    assert (request.method, request.path, request.query) == ("GET", "/todos", None)
    assert request.headers["accept"] == "application/json"
    assert "idempotency-key" not in request.headers
    assert "if-none-match" not in request.headers


def test_path_template_takes_members_of_the_key_object(client, server, http):
    server.route("GET", "/todos/5", Reply(200, {"id": 5, "title": "Call mum"}))
    server.route("GET", "/todos", Reply(200, [TODOS[1]]))
    one = http.endpoint("GET", "/todos/{id}")
    listing = http.endpoint("GET", "/todos")

    todo = Quarry.Query(client, ["todos", {"id": 5}], one.fetch)
    done = Quarry.Query(client, ["todos", {"done": True, "tag": ["a b", "c"]}], listing.fetch)
    settle(todo)
    settle(done)

    request = server.seen("GET", "/todos/5")[0]
    assert request.query is None
    assert todo.get_key() == ["todos", {"id": 5}]
    assert todo.get_data() == {"id": 5, "title": "Call mum"}
    assert client.get_query_data(["todos", {"id": 5}]) == {"id": 5, "title": "Call mum"}
    # The members the path did not use become the query string.
    request = server.seen("GET", "/todos")[0]
    assert request.query == "done=true&tag=a%20b&tag=c"
    assert done.get_data() == [TODOS[1]]
    assert len(server.requests) == 2


def test_not_found_is_an_http_error_quark_404(client, server, http):
    server.route("GET", "/todos/9", Reply(404, {"message": "no such todo"}))
    endpoint = http.endpoint("GET", "/todos/{id}")
    fetch = Counter(endpoint)

    query = Quarry.Query(client, ["todos", {"id": 9}], fetch)
    assert query.props.retry == 3
    settle(query)

    assert query.props.status == Quarry.Status.ERROR
    assert query.props.is_loading_error
    error = query.get_error()
    assert isinstance(error, GLib.Error)
    assert error.matches(Quarry.http_error_quark(), 404)
    assert error.matches(Quarry.http_error_quark(), Quarry.HttpError.NOT_FOUND)
    assert not error.matches(Quarry.error_quark(), 404)
    assert error.message == "The server answered 404 Not Found: no such todo"
    assert query.props.error.matches(Quarry.http_error_quark(), 404)
    assert query.get_data() is None
    # A 404 is not transient: no retry, however long one waits.
    client.get_clock().advance(120_000)
    drain()
    assert fetch.calls == 1
    assert len(server.requests) == 1
    assert query.props.failure_count == 1


def test_a_failing_refetch_keeps_the_cached_data(client, server, http):
    server.route("GET", "/todos", Reply(200, TODOS), Reply(404, {"message": "gone"}))
    query = Quarry.Query(client, ["todos"], http.endpoint("GET", "/todos").fetch)
    settle(query)
    assert query.get_data() == TODOS

    refetch_and_settle(query)

    assert len(server.requests) == 2
    assert query.props.status == Quarry.Status.ERROR
    assert query.props.is_refetch_error
    assert not query.props.is_loading_error
    assert query.get_error().matches(Quarry.http_error_quark(), 404)
    assert query.get_error().message == "The server answered 404 Not Found: gone"
    assert query.get_data() == TODOS
    assert query.props.data == TODOS
    assert client.get_query_data(["todos"]) == TODOS


def test_server_error_is_retried_after_the_retry_delay(client, clock, server, http):
    server.route("GET", "/todos", Reply(500, {"message": "database down"}), Reply(200, TODOS))
    fetch = Counter(http.endpoint("GET", "/todos"))

    query = Quarry.Query(client, ["todos"], fetch, retry=2, retry_delay=250)
    wait_until(lambda: query.props.failure_count == 1, "the first failure")

    # Waiting for the retry, on the manual clock.
    assert query.props.is_fetching
    assert query.props.status == Quarry.Status.PENDING
    assert query.get_error() is None
    reason = query.props.failure_reason
    assert reason.matches(Quarry.http_error_quark(), 500)
    assert "database down" in reason.message
    assert Quarry.error_is_transient(reason)
    drain()
    clock.advance(249)
    drain()
    assert fetch.calls == 1
    assert len(server.requests) == 1

    clock.advance(1)
    assert fetch.calls == 2
    settle(query)

    assert len(server.requests) == 2
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_data() == TODOS
    assert query.props.failure_count == 0
    assert query.props.failure_reason is None


def test_retry_waits_for_the_servers_retry_after(client, clock, server, http):
    server.route("GET", "/todos", Reply(503, {"message": "busy"}, headers={"Retry-After": "2"}),
                 Reply(200, TODOS))
    fetch = Counter(http.endpoint("GET", "/todos"))

    query = Quarry.Query(client, ["todos"], fetch, retry=1, retry_delay=100)
    wait_until(lambda: query.props.failure_count == 1, "the first failure")
    reason = query.props.failure_reason
    assert reason.matches(Quarry.http_error_quark(), Quarry.HttpError.SERVICE_UNAVAILABLE)
    assert reason.message == "The server answered 503 Service Unavailable: busy"

    # At least the server's two seconds, whatever the retry delay.
    clock.advance(1999)
    drain()
    assert fetch.calls == 1
    clock.advance(1)
    assert fetch.calls == 2
    settle(query)
    assert query.get_data() == TODOS
    assert len(server.requests) == 2


def test_server_error_after_the_last_retry_is_the_query_error(client, clock, server, http):
    server.route("GET", "/todos", Reply(500, {"message": "database down"}))
    fetch = Counter(http.endpoint("GET", "/todos"))

    query = Quarry.Query(client, ["todos"], fetch, retry=1)
    wait_until(lambda: query.props.failure_count == 1, "the first failure")
    # The default back-off: 1 s after the first failure.
    clock.advance(999)
    drain()
    assert fetch.calls == 1
    clock.advance(1)
    assert fetch.calls == 2
    settle(query)

    assert len(server.requests) == 2
    assert query.props.status == Quarry.Status.ERROR
    assert query.props.failure_count == 2
    error = query.get_error()
    assert error.matches(Quarry.http_error_quark(), Quarry.HttpError.INTERNAL_SERVER_ERROR)
    assert error.message == "The server answered 500 Internal Server Error: database down"


def test_the_request_timeout_runs_on_the_client_clock(client, clock, server, http):
    server.route("GET", "/slow", HOLD)
    http.set_timeout(5000)
    query = Quarry.Query(client, ["slow"], http.endpoint("GET", "/slow").fetch, retry=0)
    wait_until(lambda: server.held, "the request to reach the server")

    clock.advance(4999)
    drain()
    assert query.props.is_fetching
    assert query.props.status == Quarry.Status.PENDING

    clock.advance(1)
    settle(query)
    assert query.props.status == Quarry.Status.ERROR
    assert query.get_error().matches(Quarry.error_quark(), Quarry.Error.TIMED_OUT)
    assert len(server.requests) == 1


def test_malformed_json_is_invalid_json_and_keeps_the_data(client, clock, server, http):
    server.route("GET", "/todos", Reply(200, TODOS),
                 Reply(200, raw=b'{\n  "id": 1,\n  "title": tru\n}'))
    fetch = Counter(http.endpoint("GET", "/todos"))
    query = Quarry.Query(client, ["todos"], fetch)
    settle(query)
    assert query.get_data() == TODOS

    refetch_and_settle(query)

    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert error.matches(Quarry.error_quark(), Quarry.Error.INVALID_JSON)
    assert error.message.startswith("The server sent malformed JSON at line 3, column ")
    assert not Quarry.error_is_transient(error)
    assert query.get_data() == TODOS
    assert client.get_query_data(["todos"]) == TODOS
    # Not retried.
    clock.advance(120_000)
    drain()
    assert fetch.calls == 2
    assert len(server.requests) == 2


def test_etag_and_304_leave_the_data_untouched(client, clock, server, http):
    version = {"etag": '"v1"', "todos": TODOS}

    def todos(request):
        if request.headers.get("if-none-match") == version["etag"]:
            return Reply(304, headers={"ETag": version["etag"]})
        return Reply(200, version["todos"], headers={"ETag": version["etag"]})

    server.route("GET", "/todos", todos)
    query = Quarry.Query(client, ["todos"], http.endpoint("GET", "/todos").fetch, stale_time=10_000)
    settle(query)
    assert query.get_data() == TODOS
    first_updated_at = query.props.data_updated_at
    notified = []
    query.connect("notify::data", lambda q, pspec: notified.append(q.get_data()))

    clock.advance(20_000)
    assert query.props.is_stale
    client.invalidate_queries(["todos"])
    assert query.props.is_fetching
    settle(query)

    assert [r.status for r in server.requests] == [200, 304]
    assert "if-none-match" not in server.requests[0].headers
    assert server.requests[1].headers["if-none-match"] == '"v1"'
    assert notified == []
    assert query.get_data() == TODOS
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_error() is None
    assert not query.props.is_stale
    assert query.props.data_updated_at == first_updated_at + 20_000
    assert query.props.data_updated_at == clock.get_wall_time()

    # A changed resource has a new ETag and new data.
    version["etag"], version["todos"] = '"v2"', TODOS[:1]
    refetch_and_settle(query)
    assert [r.status for r in server.requests] == [200, 304, 200]
    assert server.requests[2].headers["if-none-match"] == '"v1"'
    assert notified == [TODOS[:1]]
    assert query.get_data() == TODOS[:1]


def test_infinite_query_pages_through_a_cursor(client, server, http):
    def todos(request):
        if request.query is None:
            return Reply(200, {"items": TODOS, "next": "b c"})
        if request.query == "cursor=b%20c":
            return Reply(200, {"items": [{"id": 3, "title": "Call mum", "done": False}], "next": None})
        return Reply(400, {"message": "bad cursor"})

    server.route("GET", "/todos", todos)
    endpoint = http.endpoint("GET", "/todos?cursor={pageParam}")
    query = Quarry.InfiniteQuery(client, ["todos", "feed"], endpoint.fetch, items_member="items")
    query.set_next_page_param_func(lambda page, data, param: page["next"])
    settle(query)

    # No page parameter yet: the template's query part leaves it out.
    assert [r.query for r in server.requests] == [None]
    assert query.get_data() == {"pages": [{"items": TODOS, "next": "b c"}], "pageParams": [None]}
    assert query.props.has_next_page

    query.fetch_next_page()
    assert query.props.is_fetching_next_page
    wait_until(lambda: not query.props.is_fetching_next_page, "the next page")

    assert [r.query for r in server.requests] == [None, "cursor=b%20c"]
    assert query.get_data()["pageParams"] == [None, "b c"]
    assert not query.props.has_next_page
    items = query.props.items
    assert [items.get_item(i)["title"] for i in range(items.get_n_items())] == \
        ["Buy milk", "Walk the dog", "Call mum"]
    assert all(isinstance(items.get_item(i), Quarry.JsonItem) for i in range(items.get_n_items()))


# --- mutations ---------------------------------------------------------------

def test_post_mutation_sends_native_variables_with_an_idempotency_key(client, server, http):
    server.route("POST", "/todos", Reply(201, {"id": 3, "title": "Water plants", "done": False}))
    m = Quarry.Mutation(client, ["todos", "add"], http.endpoint("POST", "/todos").mutate)
    events = []
    m.connect("success", lambda m, data, variables, context: events.append(("success", data, variables)))

    data, error, variables, context = run(m, {"title": "Water plants", "tags": ["home"], "due": None})

    assert error is None
    assert data == {"id": 3, "title": "Water plants", "done": False}
    assert variables == {"title": "Water plants", "tags": ["home"], "due": None}
    assert events == [("success", data, variables)]
    assert m.props.is_success
    assert m.get_data() == data
    assert m.props.data == data
    assert m.get_variables() == variables
    assert m.get_mutation_key() == ["todos", "add"]

    assert len(server.requests) == 1
    request = server.requests[0]
    assert (request.method, request.path) == ("POST", "/todos")
    assert request.headers["content-type"].split(";")[0] == "application/json"
    assert request.json() == {"title": "Water plants", "tags": ["home"], "due": None}
    assert GLib.uuid_string_is_valid(request.headers["idempotency-key"])

    # Each run has a key of its own.
    run(m, {"title": "Sweep"})
    assert len(server.requests) == 2
    assert server.requests[1].json() == {"title": "Sweep"}
    assert GLib.uuid_string_is_valid(server.requests[1].headers["idempotency-key"])
    assert server.requests[1].headers["idempotency-key"] != request.headers["idempotency-key"]


def test_patch_mutation_fills_the_path_from_its_variables(client, server, http):
    server.route("PATCH", "/todos/5", Reply(200, {"id": 5, "title": "Call mum", "done": True}))
    m = Quarry.Mutation(client, ["todos", "update"], http.endpoint("PATCH", "/todos/{id}").mutate)

    data, error, variables, context = run(m, {"id": 5, "done": True})

    assert error is None
    assert [(r.method, r.path) for r in server.requests] == [("PATCH", "/todos/5")]
    # The member the path used is not sent again.
    assert server.requests[0].json() == {"done": True}
    assert GLib.uuid_string_is_valid(server.requests[0].headers["idempotency-key"])
    assert data == {"id": 5, "title": "Call mum", "done": True}
    assert m.props.data == data
    assert m.props.variables == {"id": 5, "done": True}


def test_mutation_defaults_take_an_endpoint(client, server, http):
    server.route("DELETE", "/todos/2", Reply(204))
    client.set_mutation_defaults(["todos", "delete"], mutation_func=http.endpoint("DELETE", "/todos/{id}").mutate)
    m = Quarry.Mutation(client, ["todos", "delete", {"id": 2}])

    data, error, variables, context = run(m, None)

    assert error is None
    # No variables: the path takes the id from the mutation key's object.
    assert [(r.method, r.path, r.body) for r in server.requests] == [("DELETE", "/todos/2", b"")]
    assert "idempotency-key" not in server.requests[0].headers
    # An empty body is JSON null.
    assert data is None
    assert m.props.is_success


def test_fetch_query_async_with_an_endpoint(client, server, http):
    server.route("GET", "/todos/1", Reply(200, TODOS[0]))
    endpoint = http.endpoint("GET", "/todos/{id}")
    results = []

    def done(client, result):
        try:
            results.append(client.fetch_query_finish(result))
        except GLib.Error as error:
            results.append(error)

    client.fetch_query_async(["todos", {"id": 1}], endpoint.fetch, callback=done)
    wait_until(lambda: results, "fetch_query_async to finish")

    assert results == [TODOS[0]]
    assert client.get_query_data(["todos", {"id": 1}]) == TODOS[0]
    assert [r.path for r in server.requests] == ["/todos/1"]

    # Fresh data under a stale time is not fetched again; a 404 is raised.
    results.clear()
    client.fetch_query_async(["todos", {"id": 1}], endpoint.fetch, stale_time=60_000, callback=done)
    wait_until(lambda: results, "fetch_query_async to finish")
    assert results == [TODOS[0]]
    assert len(server.requests) == 1
    results.clear()
    client.fetch_query_async(["todos", {"id": 7}], endpoint.fetch, retry=0, callback=done)
    wait_until(lambda: results, "fetch_query_async to finish")
    (error,) = results
    assert isinstance(error, GLib.Error)
    assert error.matches(Quarry.http_error_quark(), 404)
    assert len(server.requests) == 2


def test_optimistic_update_is_rolled_back_on_a_server_error(client, server, http):
    client.set_query_data(["todos"], TODOS)
    seen_by_server = []

    def refuse(request):
        seen_by_server.append(client.get_query_data(["todos"]))
        return Reply(500, raw=b"database down", content_type="text/plain")

    server.route("PATCH", "/todos/1", refuse)
    m = Quarry.Mutation(client, ["todos", "update"], http.endpoint("PATCH", "/todos/{id}").mutate)

    def patched(variables):
        # An upsert replaces the item: a PATCH shows the cached one, patched.
        cached = next(t for t in client.get_query_data(["todos"]) if t["id"] == variables["id"])
        return {**cached, **variables}

    m.get_options().add_optimistic_update(
        Quarry.OptimisticUpdate(Quarry.OptimisticKind.UPSERT, ["todos"], value_func=patched,
                                updating_member="isUpdating"))
    handled = []
    m.connect("error", lambda m, error, variables, context: handled.append((error.code, variables)))

    data, error, variables, context = run(m, {"id": 1, "done": True})

    # The server saw the optimistic version in the cache...
    assert len(server.requests) == 1
    assert server.requests[0].json() == {"done": True}
    assert seen_by_server == [[{"id": 1, "title": "Buy milk", "done": True, "isUpdating": True}, TODOS[1]]]
    # ...which the failure rolled back.
    assert data is None
    assert error.matches(Quarry.http_error_quark(), 500)
    assert error.message == "The server answered 500 Internal Server Error: database down"
    assert m.props.is_error
    assert m.props.error.matches(Quarry.http_error_quark(), 500)
    assert variables == {"id": 1, "done": True}
    assert handled == [(500, {"id": 1, "done": True})]
    assert client.get_query_data(["todos"]) == TODOS


def test_invalidation_after_a_mutation_refetches_the_list(client, server, http):
    todos = list(TODOS)

    def add(request):
        todo = dict(request.json(), id=len(todos) + 1, done=False)
        todos.append(todo)
        return Reply(201, todo)

    server.route("GET", "/todos", lambda request: Reply(200, todos))
    server.route("POST", "/todos", add)
    query = Quarry.Query(client, ["todos"], http.endpoint("GET", "/todos").fetch, stale_time=60_000)
    settle(query)
    assert query.get_data() == TODOS

    m = Quarry.Mutation(client, ["todos", "add"], http.endpoint("POST", "/todos").mutate)
    m.get_options().add_invalidate_key(["todos"])
    data, error, _, _ = run(m, {"title": "Water plants"})
    assert error is None
    assert data == {"title": "Water plants", "id": 3, "done": False}

    wait_until(lambda: server.count("GET", "/todos") == 2, "the refetch of the list")
    settle(query)
    assert [(r.method, r.path) for r in server.requests] == [("GET", "/todos"), ("POST", "/todos"),
                                                             ("GET", "/todos")]
    assert query.get_data() == TODOS + [{"title": "Water plants", "id": 3, "done": False}]
    assert client.get_query_data(["todos"]) == query.get_data()
    assert not query.props.is_stale
    # Nothing else refetches it.
    drain()
    assert server.count("GET", "/todos") == 2
