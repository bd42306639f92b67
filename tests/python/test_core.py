# SPDX-License-Identifier: LGPL-2.1-or-later
"""Quarry's core from Python, through the overrides (gi/overrides/Quarry.py):
keys are lists, data is plain Python values, fetch functions return their
data or raise."""
import threading

import gi

gi.require_version("Quarry", "1.0")
gi.require_version("Json", "1.0")

import pytest
from gi.repository import Gio, GLib, GObject, Quarry

from conftest import wait_until

TEST_DOMAIN = "quarry-python-test"


class Fetcher:
    """A fetch function that keeps its contexts, to complete them later."""

    def __init__(self):
        self.keys = []
        self.contexts = []

    def __call__(self, context):
        self.keys.append(context.get_key())
        self.contexts.append(context)

    @property
    def calls(self):
        return len(self.contexts)

    def resolve(self, index, value):
        self.contexts[index].return_value(value)

    def fail(self, index, message="refused"):
        self.contexts[index].return_error(RuntimeError(message))


# --- keys --------------------------------------------------------------------

def test_key_from_a_list_is_canonical():
    k = Quarry.Key(["todos", {"page": 2, "id": 5}])
    assert isinstance(k, Quarry.Key)
    assert k.to_string() == '["todos",{"id":5,"page":2}]'
    assert str(k) == '["todos",{"id":5,"page":2}]'
    assert k.get_length() == 2 and len(k) == 2
    assert k.to_list() == ["todos", {"id": 5, "page": 2}]
    assert list(k) == ["todos", {"id": 5, "page": 2}]
    assert k[0] == "todos"
    # An integral float is the integer; member order does not count.
    assert k == ["todos", {"id": 5, "page": 2.0}]
    assert k == ("todos", {"page": 2, "id": 5})
    assert k != '["todos", {"id": 5, "page": 2}]'  # a string is not a key: their hashes differ
    assert k == Quarry.Key('["todos",{"id":5,"page":2.0}]')
    assert Quarry.Key.equal(k, Quarry.Key(["todos", {"id": 5, "page": 2}]))
    assert hash(k) == hash(Quarry.Key(["todos", {"page": 2.0, "id": 5}]))
    assert k != ["todos", {"id": 5, "page": 3}]
    assert k != ["todos"]
    assert k != "not json"
    assert repr(k) == "Quarry.Key(['todos', {'id': 5, 'page': 2}])"
    assert k.matches(["todos"])
    assert k.matches(["todos", {"page": 2}])
    assert not k.matches(["todos"], exact=True)
    assert k.matches(["todos", {"page": 2, "id": 5}], True)
    assert not k.matches(["users"])


def test_invalid_key_raises_quarry_error():
    with pytest.raises(GLib.Error) as info:
        Quarry.Key('{"not": "an array"}')
    assert info.value.matches(Quarry.error_quark(), Quarry.Error.INVALID_KEY)
    assert "array" in info.value.message

    # A list that has no JSON form is an invalid key too.
    with pytest.raises(GLib.Error) as info:
        Quarry.Key(["todos", {1, 2}])
    assert info.value.matches(Quarry.error_quark(), Quarry.Error.INVALID_KEY)
    assert "set" in info.value.message

    with pytest.raises(TypeError):
        Quarry.Key(42)


# --- fetching ----------------------------------------------------------------

def test_python_fetch_function_and_main_loop(client, clock):
    calls = []

    def fetch(context):
        calls.append(context.get_key())
        return [{"id": 1, "title": "Buy milk"}]

    query = Quarry.Query(client, ["todos"], fetch)
    assert query.props.status == Quarry.Status.PENDING
    assert query.get_key() == ["todos"]
    assert query.props.key == ["todos"]
    clock.flush()
    assert calls == [["todos"]]
    assert isinstance(calls[0], list)
    assert query.props.status == Quarry.Status.SUCCESS
    assert not query.props.is_fetching
    assert query.get_data() == [{"id": 1, "title": "Buy milk"}]
    assert query.get_value() == [{"id": 1, "title": "Buy milk"}]
    assert query.props.data == [{"id": 1, "title": "Buy milk"}]
    assert client.get_query_data(["todos"]) == [{"id": 1, "title": "Buy milk"}]


def test_fetch_function_can_return_each_json_type(client, clock):
    values = {"dict": {"a": [1, 2.5, None, True, "x"]}, "list": [], "str": "s", "int": 2 ** 62,
              "float": 0.25, "true": True, "false": False, "none": None}
    queries = {}
    for name, value in values.items():
        def fetch(context, value=value):
            if value is None:
                # None means "later": a JSON null is returned explicitly.
                context.return_value(None)
            return value

        queries[name] = Quarry.Query(client, ["type", name], fetch, retry=0)
    clock.flush()
    for name, value in values.items():
        assert queries[name].props.status == Quarry.Status.SUCCESS, name
        data = queries[name].get_data()
        assert data == value and type(data) is type(value), name


def test_async_completion_from_a_real_main_loop(system_client):
    """A real (system) clock and GLib.MainLoop, completing later."""
    loop = GLib.MainLoop()
    kept = []

    def fetch(context):
        kept.append(context)

        def later():
            context.return_value("hello")
            return GLib.SOURCE_REMOVE

        GLib.timeout_add(10, later)
        # Returns None: the context completes later.

    query = Quarry.Query(system_client, ["greeting"], fetch)
    query.connect("notify::status", lambda q, p: loop.quit() if q.props.status != Quarry.Status.PENDING else None)
    guard = GLib.timeout_add_seconds(5, loop.quit)
    loop.run()
    GLib.source_remove(guard)
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_data() == "hello"
    assert query.props.data == "hello"
    assert len(kept) == 1


def test_fetch_error_keeps_message_and_domain(client, clock):
    def fetch(context):
        raise GLib.Error("Not found", GLib.quark_to_string(Quarry.http_error_quark()),
                         int(Quarry.HttpError.NOT_FOUND))

    query = Quarry.Query(client, ["missing"], fetch, retry=0)
    assert query.props.retry == 0
    clock.flush()
    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert error.matches(Quarry.http_error_quark(), Quarry.HttpError.NOT_FOUND)
    assert error.message == "Not found"
    assert query.props.is_loading_error
    assert query.get_data() is None


def test_python_exception_becomes_the_error(client, clock):
    def fetch(context):
        raise KeyError("no such todo")

    def silent(context):
        raise ValueError()

    query = Quarry.Query(client, ["broken"], fetch, retry=0)
    other = Quarry.Query(client, ["silent"], silent, retry=0)
    clock.flush()
    assert query.props.status == Quarry.Status.ERROR
    assert query.get_error().matches(Quarry.error_quark(), Quarry.Error.FAILED)
    assert query.get_error().message == str(KeyError("no such todo"))
    # An exception without a message is named by its type.
    assert other.get_error().matches(Quarry.error_quark(), Quarry.Error.FAILED)
    assert other.get_error().message == "ValueError"


def test_return_error_takes_an_exception_or_a_glib_error(client, clock):
    fetcher = Fetcher()
    first = Quarry.Query(client, ["one"], fetcher, retry=0)
    second = Quarry.Query(client, ["two"], fetcher, retry=0)
    clock.flush()
    fetcher.contexts[0].return_error(OSError("disk full"))
    fetcher.contexts[1].return_error(GLib.Error("teapot", TEST_DOMAIN, 418))
    clock.flush()
    assert first.get_error().matches(Quarry.error_quark(), Quarry.Error.FAILED)
    assert first.get_error().message == "disk full"
    assert second.get_error().matches(GLib.quark_from_string(TEST_DOMAIN), 418)
    assert second.get_error().message == "teapot"


def test_returning_a_value_with_no_json_form_fails_the_query(client, clock):
    query = Quarry.Query(client, ["set"], lambda context: {1, 2}, retry=0)
    clock.flush()
    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert error.domain == GLib.quark_to_string(Quarry.error_quark())
    assert "set cannot be stored as JSON" in error.message


def test_retries_back_off_on_the_manual_clock(client, clock):
    attempts = []

    def fetch(context):
        attempts.append(context.get_attempt())
        raise RuntimeError("down %d" % context.get_attempt())

    query = Quarry.Query(client, ["flaky"], fetch)
    clock.flush()
    assert attempts == [1]
    assert query.props.failure_count == 1
    assert query.props.failure_reason.message == "down 1"
    assert query.props.status == Quarry.Status.PENDING
    assert query.props.is_fetching
    assert query.get_error() is None
    # 1 s, 2 s and 4 s, to the millisecond.
    clock.advance(999)
    assert attempts == [1]
    clock.advance(1)
    assert attempts == [1, 2]
    assert query.props.failure_count == 2
    clock.advance(1999)
    assert attempts == [1, 2]
    clock.advance(1)
    assert attempts == [1, 2, 3]
    clock.advance(3999)
    assert attempts == [1, 2, 3]
    assert query.props.status == Quarry.Status.PENDING
    clock.advance(1)
    assert attempts == [1, 2, 3, 4]
    assert query.props.status == Quarry.Status.ERROR
    assert not query.props.is_fetching
    assert query.props.failure_count == 4
    error = query.get_error()
    assert error.matches(Quarry.error_quark(), Quarry.Error.FAILED)
    assert error.message == "down 4"
    clock.advance(60_000)
    assert attempts == [1, 2, 3, 4]


def test_a_retry_that_succeeds_clears_the_failures(client, clock):
    attempts = []

    def fetch(context):
        attempts.append(context.get_attempt())
        if context.get_attempt() < 3:
            raise RuntimeError("blip")
        return {"ok": True}

    query = Quarry.Query(client, ["flaky"], fetch, retry_delay=50)
    clock.flush()
    clock.advance(49)
    assert attempts == [1]
    clock.advance(1)
    assert attempts == [1, 2]
    assert query.props.failure_count == 2
    clock.advance(50)
    assert attempts == [1, 2, 3]
    assert query.get_data() == {"ok": True}
    assert query.props.failure_count == 0
    assert query.props.failure_reason is None
    assert query.get_error() is None


# --- the cache ---------------------------------------------------------------

def test_set_and_get_query_data(client):
    k = ["todos", {"id": 1}]
    assert client.set_query_data(k, {"title": "x", "done": False})
    stored = client.get_query_data('["todos",{"id":1}]')
    assert stored == {"title": "x", "done": False}
    assert list(stored) == ["title", "done"]  # member order kept
    assert client.get_query_data(("todos", {"id": 1.0})) == stored
    assert client.get_query_data(["todos", {"id": 2}]) is None
    state = client.get_query_state(k)
    assert state.get_status() == Quarry.Status.SUCCESS
    assert state.get_data_update_count() == 1
    assert state.get_data() == {"title": "x", "done": False}
    assert state.get_value() == {"title": "x", "done": False}
    assert client.get_query_state(["nothing"]) is None


def test_updater_computes_from_previous_data(client):
    k = ["counter"]
    seen = []

    def increment(previous):
        seen.append(previous)
        return None if previous is None else previous + 1

    # Returning None leaves the entry alone: none is made.
    assert client.set_query_data(k, increment)
    assert client.get_query_data(k) is None
    assert client.get_query_state(k) is None
    client.set_query_data(k, 1)
    assert client.set_query_data(k, increment)
    assert client.set_query_data_with_updater(k, increment)
    assert client.get_query_data(k) == 3
    assert seen == [None, 1, 2]
    assert client.get_query_state(k).get_data_update_count() == 3

    todos = ["todos"]
    client.set_query_data(todos, [{"id": 1, "done": False}])
    client.set_query_data(todos, lambda old: [{**todo, "done": True} for todo in old] + [{"id": 2}])
    assert client.get_query_data(todos) == [{"id": 1, "done": True}, {"id": 2}]


def test_updater_that_raises_leaves_the_data(client):
    client.set_query_data(["n"], 1)

    def broken(previous):
        raise ValueError("cannot update")

    # The exception propagates, and nothing changes.
    with pytest.raises(ValueError, match="cannot update"):
        client.set_query_data(["n"], broken)
    assert client.get_query_data(["n"]) == 1
    assert client.get_query_state(["n"]).get_data_update_count() == 1


def test_invalidate_refetches_active_queries(client, clock):
    count = [0]

    def fetch(context):
        count[0] += 1
        return count[0]

    query = Quarry.Query(client, ["todos", 1], fetch, stale_time=Quarry.TIME_INFINITE)
    clock.flush()
    assert query.get_data() == 1
    client.invalidate_queries(["todos"])
    clock.flush()
    assert query.get_data() == 2
    assert count[0] == 2
    client.invalidate_queries(key=["todos", 1], exact=True)
    clock.flush()
    assert query.get_data() == 3
    client.invalidate_queries(Quarry.QueryFilter(key=["todos"]))
    clock.flush()
    assert query.get_data() == 4
    # Another key: nothing happens.
    client.invalidate_queries(["users"])
    clock.flush()
    assert count[0] == 4


def test_invalidation_refetches_active_and_marks_inactive_stale(client, clock):
    fetches = []

    def fetch(context):
        fetches.append(context.get_key())
        return {"n": len(fetches)}

    active = Quarry.Query(client, ["todos", "active"], fetch, stale_time=Quarry.TIME_INFINITE)
    clock.flush()
    client.set_query_data(["todos", "inactive"], {"n": 0})
    client.set_query_data(["users"], [])
    assert not client.get_query_state(["todos", "inactive"]).get_is_invalidated()
    assert client.find_keys(stale=True) == []
    assert not active.props.is_stale

    client.invalidate_queries(["todos"])
    assert active.props.is_stale
    clock.flush()
    assert fetches == [["todos", "active"], ["todos", "active"]]
    assert active.get_data() == {"n": 2}
    assert not active.props.is_stale

    inactive = client.get_query_state(["todos", "inactive"])
    assert inactive.get_is_invalidated()
    assert inactive.get_data() == {"n": 0}
    assert inactive.get_fetch_status() == Quarry.FetchStatus.IDLE
    assert not client.get_query_state(["users"]).get_is_invalidated()
    assert client.find_keys(stale=True) == [["todos", "inactive"]]
    assert client.find_keys(key=["todos"], type=Quarry.QueryType.INACTIVE) == [["todos", "inactive"]]

    # refetch_type NONE only marks; ALL fetches the inactive one as well.
    client.invalidate_queries(["todos", "active"], refetch_type=Quarry.RefetchType.NONE)
    clock.flush()
    assert len(fetches) == 2
    assert active.props.is_stale


def test_invalidate_all_refetches_an_inactive_entry_with_a_fetch_function(client, clock):
    fetches = []

    def fetch(context):
        fetches.append(context.get_key())
        return len(fetches)

    query = Quarry.Query(client, ["todos", 1], fetch)
    clock.flush()
    query.set_key(["todos", 2])  # ["todos", 1] is now inactive
    clock.flush()
    assert fetches == [["todos", 1], ["todos", 2]]
    client.invalidate_queries(["todos"], refetch_type=Quarry.RefetchType.ALL)
    clock.flush()
    # In the cache's order, the order the entries were made in.
    assert fetches[2:] == [["todos", 1], ["todos", 2]]
    assert client.get_query_data(["todos", 1]) == 3
    assert query.get_data() == 4
    assert not client.get_query_state(["todos", 1]).get_is_invalidated()

    # ACTIVE (like the default) leaves the inactive entry marked, unfetched.
    client.invalidate_queries(["todos"], refetch_type=Quarry.RefetchType.ACTIVE)
    clock.flush()
    assert fetches[4:] == [["todos", 2]]
    assert client.get_query_state(["todos", 1]).get_is_invalidated()
    # INACTIVE fetches it, and leaves the active query marked.
    client.invalidate_queries(["todos"], refetch_type=Quarry.RefetchType.INACTIVE)
    clock.flush()
    assert fetches[5:] == [["todos", 1]]
    assert client.get_query_data(["todos", 1]) == 6
    assert query.props.is_stale
    assert client.get_query_state(["todos", 2]).get_is_invalidated()


def test_filter_properties_and_find_keys(client):
    for k in (["a", 1], ["a", 2], ["b"]):
        client.set_query_data(k, str(k))
    keys = client.find_keys(Quarry.QueryFilter(key=["a"]))
    assert keys == [["a", 1], ["a", 2]]
    assert all(type(k) is list for k in keys)
    assert client.find_keys(["a"]) == [["a", 1], ["a", 2]]
    assert client.find_keys(key=["a", 2]) == [["a", 2]]
    assert client.find_keys() == [["a", 1], ["a", 2], ["b"]]
    exact = Quarry.QueryFilter(key=["b"], exact=True)
    assert exact.get_key() == ["b"]
    assert exact.props.key == ["b"]
    assert exact.props.exact
    assert client.find_keys(exact) == [["b"]]
    assert client.find_keys(["a"], exact=True) == []
    assert client.find_keys(predicate=lambda k, state: k[-1] == 2) == [["a", 2]]
    assert client.find_keys(key=["a"], predicate=lambda k, state: state.get_data() == "['a', 1]") == [["a", 1]]
    with pytest.raises(TypeError):
        client.find_keys(Quarry.QueryFilter(key=["a"]), exact=True)


def test_remove_and_reset_queries_with_keyword_filters(client, clock):
    for k in (["todos", 1], ["todos", 2], ["users"]):
        client.set_query_data(k, k[-1])
    client.remove_queries(key=["todos"], exact=True)
    assert client.find_keys() == [["todos", 1], ["todos", 2], ["users"]]
    client.remove_queries(key=["todos", 1], exact=True)
    assert client.find_keys() == [["todos", 2], ["users"]]
    client.remove_queries(["todos"])
    assert client.find_keys() == [["users"]]
    assert client.get_query_data(["todos", 2]) is None

    # Reset: back to the initial data, and the active query fetches again.
    fetcher = Fetcher()
    query = Quarry.Query(client, ["profile"], fetcher, initial_data={"name": "?"},
                         stale_time=Quarry.TIME_INFINITE)
    assert query.get_data() == {"name": "?"}
    assert query.props.initial_data == {"name": "?"}
    client.set_query_data(["profile"], {"name": "Ann"})
    clock.flush()
    assert fetcher.calls == 0
    client.reset_queries(key=["profile"])
    assert query.get_data() == {"name": "?"}
    clock.flush()
    assert fetcher.calls == 1
    fetcher.resolve(0, {"name": "Bob"})
    clock.flush()
    assert query.get_data() == {"name": "Bob"}
    assert client.get_query_data(["users"]) == "users"


def test_options_object_and_defaults(client, clock):
    defaults = Quarry.QueryOptions(stale_time=60_000)
    client.set_query_defaults(["todos"], defaults)
    client.set_query_defaults(["users"], stale_time=1000, retry=1)
    query = Quarry.Query(client, ["todos", 5], None)
    assert query.props.stale_time == 60_000
    assert query.props.gc_time == 300_000
    assert defaults.is_set("stale-time")
    assert not defaults.is_set("retry")
    user = Quarry.Query(client, ["users", 1], lambda context: "ann")
    assert user.props.stale_time == 1000
    assert user.props.retry == 1
    own = Quarry.Query(client, ["users", 2], lambda context: "bob", stale_time=5)
    assert own.props.stale_time == 5
    assert own.props.retry == 1
    clock.flush()
    # No fetch function: a clear error, not a crash.
    assert query.props.status == Quarry.Status.ERROR
    assert query.get_error().matches(Quarry.error_quark(), Quarry.Error.MISSING_FETCH_FUNC)
    assert user.get_data() == "ann"
    assert own.get_data() == "bob"


def test_query_cannot_show_an_opaque_python_object(client, clock):
    def fetch(context):
        return GObject.Value(GObject.TYPE_PYOBJECT, {"a": 1})

    query = Quarry.Query(client, ["opaque"], fetch, retry=0)
    clock.flush()
    assert query.props.status == Quarry.Status.ERROR
    assert query.get_error().matches(Quarry.error_quark(), Quarry.Error.UNSUPPORTED_TYPE)


# --- select ------------------------------------------------------------------

def test_select_function_returns_a_value(client, clock):
    def fetch(context):
        return 21

    def double(data):
        if data < 0:
            raise GLib.Error("negative")
        return data * 2

    query = Quarry.Query(client, ["n"], fetch, select=double)
    clock.flush()
    assert query.get_data() == 42
    assert client.get_query_data(["n"]) == 21

    client.set_query_data(["n"], -1)
    assert query.props.status == Quarry.Status.ERROR
    assert query.props.error.message == "negative"
    assert query.get_data() == 42
    # The entry itself is fine.
    assert client.get_query_state(["n"]).get_status() == Quarry.Status.SUCCESS

    client.set_query_data(["n"], 5)
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_data() == 10


def test_select_function_returning_native_values(client, clock):
    def fetch(context):
        return [{"id": 1, "title": "a", "done": False},
                {"id": 2, "title": "b", "done": True},
                {"id": 3, "title": "c", "done": False}]

    query = Quarry.Query(client, ["todos"], fetch)
    query.set_select_func(lambda todos: {"open": [t["title"] for t in todos if not t["done"]],
                                         "count": len(todos)})
    counter = Quarry.Query(client, ["todos"], fetch, select=len)
    clock.flush()
    assert query.get_data() == {"open": ["a", "c"], "count": 3}
    assert query.props.data == {"open": ["a", "c"], "count": 3}
    assert counter.get_data() == 3
    assert client.get_query_data(["todos"])[1] == {"id": 2, "title": "b", "done": True}

    client.set_query_data(["todos"], lambda todos: [{**t, "done": True} for t in todos])
    assert query.get_data() == {"open": [], "count": 3}
    # Without select the query shows the entry's data.
    query.set_select_func(None)
    assert query.get_data() == client.get_query_data(["todos"])


def test_select_function_that_raises_a_python_exception(client, clock):
    def fetch(context):
        return 1

    def broken(data):
        raise ValueError("not a GLib.Error")

    query = Quarry.Query(client, ["n"], fetch)
    query.set_select_func(broken)
    clock.flush()
    assert query.props.status == Quarry.Status.ERROR
    assert query.props.error.matches(Quarry.error_quark(), Quarry.Error.SELECT)
    assert query.props.error.message == "not a GLib.Error"
    assert query.get_data() is None


# --- observing ---------------------------------------------------------------

def test_stale_while_revalidate(client, clock):
    fetcher = Fetcher()
    first = Quarry.Query(client, ["todos"], fetcher)
    clock.flush()
    assert first.props.is_loading
    fetcher.resolve(0, ["a"])
    clock.flush()
    assert first.get_data() == ["a"]
    assert first.props.is_stale  # stale-time 0

    # A second query of the key shows the cached data at once, and
    # revalidates it in the background because it is stale.
    clock.advance(1000)
    second = Quarry.Query(client, ["todos"], fetcher)
    assert second.props.status == Quarry.Status.SUCCESS
    assert second.get_data() == ["a"]
    assert second.props.is_stale
    assert not second.props.is_fetched_after_mount
    clock.flush()
    assert fetcher.calls == 2
    for query in (first, second):
        assert query.props.is_fetching
        assert query.props.is_refetching
        assert not query.props.is_loading
        assert query.props.status == Quarry.Status.SUCCESS
        assert query.props.fetch_status == Quarry.FetchStatus.FETCHING
        assert query.get_data() == ["a"]
    assert client.count_fetching() == 1

    fetcher.resolve(1, ["a", "b"])
    clock.flush()
    for query in (first, second):
        assert query.get_data() == ["a", "b"]
        assert not query.props.is_fetching
    assert second.props.is_fetched_after_mount
    assert client.get_query_data(["todos"]) == ["a", "b"]
    assert client.get_n_entries() == 1


def test_stale_time_on_the_manual_clock(client, clock):
    fetcher = Fetcher()
    query = Quarry.Query(client, ["todos"], fetcher, stale_time=5000)
    clock.flush()
    fetcher.resolve(0, [1])
    clock.flush()
    updated_at = query.props.data_updated_at
    assert updated_at == clock.get_wall_time()
    assert not query.props.is_stale

    # Fresh data: a new query mounting does not refetch.
    clock.advance(4000)
    other = Quarry.Query(client, ["todos"], fetcher, stale_time=5000)
    clock.flush()
    assert fetcher.calls == 1
    assert other.get_data() == [1]
    assert not other.props.is_fetching

    # The stale timer flips is-stale just after stale-time, without a fetch.
    clock.advance(999)
    assert not query.props.is_stale
    clock.advance(2)
    assert query.props.is_stale and other.props.is_stale
    assert fetcher.calls == 1

    # Stale: a third query mounting revalidates while showing the cache.
    third = Quarry.Query(client, ["todos"], fetcher, stale_time=5000)
    assert third.get_data() == [1]
    clock.flush()
    assert fetcher.calls == 2
    assert third.props.is_refetching and query.props.is_refetching
    fetcher.resolve(1, [1, 2])
    clock.flush()
    assert [q.get_data() for q in (query, other, third)] == [[1, 2]] * 3
    assert not query.props.is_stale
    assert query.props.data_updated_at == clock.get_wall_time() > updated_at


def test_many_queries_of_one_key_share_one_fetch(client, clock):
    fetcher = Fetcher()
    queries = [Quarry.Query(client, ["todos", {"page": 1}], fetcher) for _ in range(5)]
    queries.append(Quarry.Query(client, ("todos", {"page": 1.0}), fetcher))
    clock.flush()
    assert fetcher.calls == 1
    assert fetcher.keys == [["todos", {"page": 1}]]
    assert all(q.props.is_loading for q in queries)
    assert client.count_fetching() == 1
    assert client.get_n_entries() == 1
    fetcher.resolve(0, {"items": [1, 2]})
    clock.flush()
    assert [q.get_data() for q in queries] == [{"items": [1, 2]}] * 6
    assert fetcher.calls == 1
    assert client.count_fetching() == 0


def test_key_change_fetches_the_new_key_and_drops_the_old_result(client, clock):
    fetcher = Fetcher()
    query = Quarry.Query(client, ["todos", 1], fetcher)
    shown = []
    query.connect("notify::data", lambda q, p: shown.append(q.get_data()))
    clock.flush()
    assert fetcher.keys == [["todos", 1]]

    query.set_key(["todos", 2])
    assert query.get_key() == ["todos", 2]
    assert query.props.key == ["todos", 2]
    assert query.props.status == Quarry.Status.PENDING
    assert query.get_data() is None
    clock.flush()
    assert fetcher.keys == [["todos", 1], ["todos", 2]]
    assert query.props.is_loading

    # The old key's result arrives first: the query never shows it.
    fetcher.resolve(0, "todo 1")
    clock.flush()
    assert query.get_data() is None
    assert query.props.status == Quarry.Status.PENDING
    assert client.get_query_data(["todos", 1]) == "todo 1"
    fetcher.resolve(1, "todo 2")
    clock.flush()
    assert query.get_data() == "todo 2"
    assert shown == ["todo 2"]

    # Back to the first key: its cached data at once, revalidated since stale.
    query.props.key = ["todos", 1]
    assert query.get_key() == ["todos", 1]
    assert query.get_data() == "todo 1"
    clock.flush()
    assert fetcher.keys[2:] == [["todos", 1]]
    assert query.props.is_refetching


def test_key_change_while_both_fetches_run_shows_only_the_new_key(client, clock):
    fetcher = Fetcher()
    query = Quarry.Query(client, ["search", "qu"], fetcher)
    clock.flush()
    query.set_key(["search", "quarry"])
    clock.flush()
    shown = []
    query.connect("notify::data", lambda q, p: shown.append(q.get_data()))
    fetcher.resolve(1, ["quarry"])
    clock.flush()
    fetcher.resolve(0, ["quartz", "quarry"])  # late, for the old key
    clock.flush()
    assert query.get_data() == ["quarry"]
    assert shown == [["quarry"]]


def test_count_fetching_with_keyword_filters(client, clock):
    fetcher = Fetcher()
    queries = [Quarry.Query(client, k, fetcher) for k in (["todos", 1], ["todos", 2], ["users"])]
    clock.flush()
    assert fetcher.calls == 3
    assert client.count_fetching() == 3
    assert client.count_fetching(["todos"]) == 2
    assert client.count_fetching(key=["todos"]) == 2
    assert client.count_fetching(key=["todos"], exact=True) == 0
    assert client.count_fetching(key=["todos", 2], exact=True) == 1
    assert client.count_fetching(Quarry.QueryFilter(key=["users"])) == 1
    assert client.count_fetching(fetch_status=Quarry.FetchStatus.FETCHING) == 3
    assert client.count_fetching(predicate=lambda k, state: k == ["users"]) == 1
    fetcher.resolve(0, 1)
    clock.flush()
    assert client.count_fetching(key=["todos"]) == 1
    assert client.count_fetching(fetch_status=Quarry.FetchStatus.IDLE) == 0
    assert client.find_keys(fetch_status=Quarry.FetchStatus.IDLE) == [["todos", 1]]
    assert client.props.is_fetching == 2
    assert len(queries) == 3


def test_cancel_queries_restores_the_data(client, clock):
    fetcher = Fetcher()
    query = Quarry.Query(client, ["todos"], fetcher)
    clock.flush()
    fetcher.resolve(0, ["a"])
    clock.flush()
    updates = client.get_query_state(["todos"]).get_data_update_count()

    query.refetch()
    clock.flush()
    assert fetcher.calls == 2
    assert query.props.is_refetching
    assert client.count_fetching(key=["todos"]) == 1
    client.cancel_queries(key=["todos"])
    assert not query.props.is_fetching
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_data() == ["a"]
    assert query.get_error() is None
    assert client.count_fetching() == 0
    assert fetcher.contexts[1].get_cancellable().is_cancelled()
    # The cancelled fetch's late result is dropped.
    fetcher.resolve(1, ["late"])
    clock.flush()
    assert query.get_data() == ["a"]
    assert client.get_query_state(["todos"]).get_data_update_count() == updates


def test_cancel_queries_keeps_data_written_during_the_fetch(client, clock):
    fetcher = Fetcher()
    query = Quarry.Query(client, ["todos"], fetcher)
    clock.flush()
    fetcher.resolve(0, ["a"])
    clock.flush()
    client.invalidate_queries(["todos"])
    clock.flush()
    assert query.props.is_fetching
    client.set_query_data(["todos"], ["a", "written"])
    client.cancel_queries(["todos"])
    assert not query.props.is_fetching
    assert query.get_data() == ["a", "written"]


def test_cancel_queries_of_a_first_load_goes_back_to_pending(client, clock):
    fetcher = Fetcher()
    query = Quarry.Query(client, ["todos"], fetcher)
    clock.flush()
    client.cancel_queries()
    assert query.props.status == Quarry.Status.PENDING
    assert not query.props.is_fetching
    assert query.get_data() is None
    assert query.get_error() is None


# --- imperative fetching -----------------------------------------------------

def test_fetch_query_async_gives_native_data(client, clock):
    calls = []
    results = []

    def fetch(context):
        calls.append(context.get_key())
        return {"id": context.get_key()[1], "name": "Ann"}

    def done(client, result):
        try:
            results.append(("ok", client.fetch_query_finish(result)))
        except GLib.Error as error:
            results.append(("error", error.message))

    client.fetch_query_async(["user", 1], fetch, callback=done)
    clock.flush()
    assert results == [("ok", {"id": 1, "name": "Ann"})]
    assert calls == [["user", 1]]
    assert client.get_query_data(["user", 1]) == {"id": 1, "name": "Ann"}

    # Fresh under stale_time: the cached data, no fetch.
    client.fetch_query_async(["user", 1], fetch, callback=done, stale_time=60_000)
    clock.flush()
    assert results[1:] == [("ok", {"id": 1, "name": "Ann"})]
    assert len(calls) == 1
    # Stale (the default stale_time of 0): fetched again.
    client.fetch_query_async(["user", 1], fetch, callback=done)
    clock.flush()
    assert len(calls) == 2
    assert len(results) == 3

    # An exception fails the call with its message, without retrying.
    def broken(context):
        calls.append("broken")
        raise RuntimeError("server on fire")

    client.fetch_query_async(["user", 2], broken, callback=done)
    clock.flush()
    assert results[3:] == [("error", "server on fire")]
    assert calls.count("broken") == 1
    clock.advance(10_000)
    assert calls.count("broken") == 1
    assert client.get_query_state(["user", 2]).get_error().message == "server on fire"

    # With retry set as a keyword argument, it retries.
    client.fetch_query_async(["user", 3], broken, callback=done, retry=1, retry_delay=10)
    clock.flush()
    assert calls.count("broken") == 2
    clock.advance(10)
    assert calls.count("broken") == 3
    assert results[4:] == [("error", "server on fire")]


def test_fetch_query_async_shares_a_fetch_in_flight(client, clock):
    fetcher = Fetcher()
    query = Quarry.Query(client, ["todos"], fetcher)
    clock.flush()
    results = []
    client.fetch_query_async(["todos"], fetcher,
                             callback=lambda c, r: results.append(c.fetch_query_finish(r)))
    clock.flush()
    assert fetcher.calls == 1
    fetcher.resolve(0, [1, 2])
    clock.flush()
    assert results == [[1, 2]]
    assert query.get_data() == [1, 2]


def test_prefetch_query_async_fills_the_cache_and_never_fails(client, clock):
    done = []

    def finished(client, result):
        client.prefetch_query_finish(result)  # never raises
        done.append(True)

    client.prefetch_query_async(["todos"], lambda context: [{"id": 1}], callback=finished)
    clock.flush()
    assert done == [True]
    assert client.get_query_data(["todos"]) == [{"id": 1}]

    def broken(context):
        raise RuntimeError("no network")

    client.prefetch_query_async(["users"], broken, callback=finished)
    clock.flush()
    assert done == [True, True]
    state = client.get_query_state(["users"])
    assert state.get_status() == Quarry.Status.ERROR
    assert state.get_error().message == "no network"
    assert state.get_data() is None

    # No callback at all.
    client.prefetch_query_async(["tags"], lambda context: ["x"])
    clock.flush()
    assert client.get_query_data(["tags"]) == ["x"]

    # A query mounting later shows the prefetched data without loading.
    fetcher = Fetcher()
    query = Quarry.Query(client, ["todos"], fetcher, stale_time=60_000)
    assert query.get_data() == [{"id": 1}]
    clock.flush()
    assert fetcher.calls == 0


def test_ensure_query_data_async_uses_the_cache_whatever_its_age(client, clock):
    calls = []
    results = []

    def fetch(context):
        calls.append(context.get_key())
        return {"fetched": len(calls)}

    def done(client, result):
        results.append(client.ensure_query_data_finish(result))

    client.ensure_query_data_async(["config"], fetch, callback=done)
    clock.flush()
    assert results == [{"fetched": 1}]
    clock.advance(60_000)  # long stale, not yet collected
    client.ensure_query_data_async(["config"], fetch, callback=done)
    clock.flush()
    assert results == [{"fetched": 1}, {"fetched": 1}]
    assert calls == [["config"]]

    client.set_query_data(["config", "b"], [True, None])
    client.ensure_query_data_async(["config", "b"], fetch, callback=done)
    clock.flush()
    assert results[2:] == [[True, None]]
    assert len(calls) == 1


# --- worker threads ----------------------------------------------------------

def test_run_in_thread_returns_native_data(client):
    main = threading.get_ident()
    threads = []

    def load(cancellable, *user_data):
        threads.append((threading.get_ident(), isinstance(cancellable, Gio.Cancellable),
                        user_data))
        return [{"id": 1, "tags": ["a", "b"], "score": 0.5}]

    def fetch(context):
        context.run_in_thread(load, "extra")

    query = Quarry.Query(client, ["threaded"], fetch)
    wait_until(lambda: query.props.status != Quarry.Status.PENDING)
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_data() == [{"id": 1, "tags": ["a", "b"], "score": 0.5}]
    assert len(threads) == 1
    assert threads[0][0] != main
    assert threads[0][1:] == (True, ("extra",))


def test_run_in_thread_errors(client):
    def fail(cancellable):
        raise RuntimeError("thread failed")

    def nothing(cancellable):
        return None

    failing = Quarry.Query(client, ["fail"], lambda context: context.run_in_thread(fail), retry=0)
    empty = Quarry.Query(client, ["none"], lambda context: context.run_in_thread(nothing), retry=0)
    wait_until(lambda: failing.props.is_error and empty.props.is_error)
    assert failing.get_error().matches(Quarry.error_quark(), Quarry.Error.FAILED)
    assert failing.get_error().message == "thread failed"
    assert empty.get_error().matches(Quarry.error_quark(), Quarry.Error.NO_RESULT)


def test_run_in_thread_with_the_system_clock(system_client):
    query = Quarry.Query(system_client, ["threaded"],
                         lambda context: context.run_in_thread(lambda cancellable: {"ok": [1]}))
    wait_until(lambda: query.props.status != Quarry.Status.PENDING)
    assert query.get_data() == {"ok": [1]}


# --- optimistic updates ------------------------------------------------------

def test_optimistic_value_function(client):
    k = ["title"]
    update = Quarry.OptimisticUpdate(Quarry.OptimisticKind.SET, k, value_func=lambda variables: variables.upper())
    assert update.get_key() == ["title"]
    assert update.props.key == ["title"]
    restorer = update.apply(client, "draft")
    assert restorer.get_key() == ["title"]
    assert client.get_query_data(k) == "DRAFT"
    restorer.restore()
    assert client.get_query_data(k) is None

    # A value function getting and returning structured data.
    client.set_query_data(["todo", 1], {"id": 1, "title": "a"})
    update = Quarry.OptimisticUpdate.new(Quarry.OptimisticKind.SET, ["todo", 1])
    update.set_value_func(lambda variables: {"id": variables["id"], "title": variables["title"] + "!"})
    restorer = update.apply(client, {"id": 1, "title": "b"})
    assert client.get_query_data(["todo", 1]) == {"id": 1, "title": "b!"}
    restorer.commit()
    assert client.get_query_data(["todo", 1]) == {"id": 1, "title": "b!"}
    assert not restorer.get_is_pending()
