# SPDX-License-Identifier: LGPL-2.1-or-later
"""The conversions of Quarry's PyGObject overrides (python/gi/overrides/):
keys as lists, data as plain Python values, exceptions as errors, filters
and options as keyword arguments."""
import gi

gi.require_version("Quarry", "1.0")
gi.require_version("Json", "1.0")

import pytest
from gi.repository import Gio, GLib, GObject, Json, Quarry

INT64_MAX = 2 ** 63 - 1
INT64_MIN = -(2 ** 63)


# --- the snippet of the issue -----------------------------------------------

def test_set_and_get_query_data_with_plain_values():
    client = Quarry.QueryClient()
    client.set_query_data(["todos", {"id": 1}], {"title": "x", "done": False})
    assert client.get_query_data(["todos", {"id": 1}]) == {"title": "x", "done": False}


# --- keys --------------------------------------------------------------------

@pytest.mark.parametrize("form", [
    ["todos", {"id": 1, "page": 2}],
    ("todos", {"page": 2, "id": 1}),
    '["todos", {"page": 2, "id": 1.0}]',
])
def test_a_key_can_be_a_list_a_tuple_or_json(client, form):
    client.set_query_data(["todos", {"id": 1, "page": 2}], [1, 2])
    assert client.get_query_data(form) == [1, 2]


def test_keys_read_back_as_lists(client, clock):
    query = Quarry.Query(client, ("todos", 5, None, True, 1.5, [1, "a"]), lambda context: 1)
    expected = ["todos", 5, None, True, 1.5, [1, "a"]]
    assert query.get_key() == expected
    assert isinstance(query.get_key(), list)
    assert query.props.key == expected
    clock.flush()
    assert client.find_keys() == [expected]


def test_key_objects_behave_like_lists():
    key = Quarry.Key(["todos", {"id": 5}])
    assert isinstance(key, Quarry.Key)
    assert key == ["todos", {"id": 5}]
    assert key == ("todos", {"id": 5.0})
    assert key != '["todos",{"id":5}]'  # a string is not a key: their hashes differ
    assert key != ["todos", {"id": 6}]
    assert key != 42
    assert list(key) == ["todos", {"id": 5}]
    assert len(key) == 2 and key[0] == "todos" and key[-1] == {"id": 5}
    assert hash(key) == hash(Quarry.Key(("todos", {"id": 5})))
    assert {key: "value"}[Quarry.Key(["todos", {"id": 5}])] == "value"
    assert repr(key) == "Quarry.Key(['todos', {'id': 5}])"
    assert key.matches(["todos"])
    assert not key.matches(["todos"], True)
    # The typelib's own methods stay.
    assert key.to_string() == '["todos",{"id":5}]'
    assert Quarry.Key.new_from_string('["todos",{"id":5}]') == key


@pytest.mark.parametrize("bad", [
    ["todos", float("nan")],
    ["todos", {1: "not a str member name"}],
    ["todos", 2 ** 64],
    ["todos", b"bytes"],
    ["todos", {"id": object()}],
])
def test_a_key_that_is_not_json_is_an_invalid_key_error(client, bad):
    with pytest.raises(GLib.Error) as info:
        client.get_query_data(bad)
    assert info.value.matches(Quarry.error_quark(), Quarry.Error.INVALID_KEY)


def test_a_key_that_is_not_an_array_is_refused(client):
    with pytest.raises(GLib.Error) as info:
        client.get_query_data('{"not": "an array"}')
    assert info.value.matches(Quarry.error_quark(), Quarry.Error.INVALID_KEY)
    with pytest.raises(TypeError):
        client.get_query_data(42)


# --- values ------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    {"title": "é 😀 \"quoted\"\n", "done": False, "tags": [], "meta": {}},
    [INT64_MAX, INT64_MIN, 0, -1],
    [0.1, 1e300, -2.5, 1.5e-10, 1.0],
    "just a string",
    12,
    2.5,
    True,
    False,
    [None, [None], {"n": None}],
])
def test_plain_values_round_trip_exactly(client, value):
    client.set_query_data(["v"], value)
    back = client.get_query_data(["v"])
    assert back == value
    assert type(back) is type(value)


def test_json_types_are_kept_apart(client):
    client.set_query_data(["v"], [1, 1.0, True, "1"])
    back = client.get_query_data(["v"])
    assert [type(x) for x in back] == [int, float, bool, str]


def test_tuples_are_stored_as_arrays(client):
    client.set_query_data(["v"], (1, ("a", "b")))
    assert client.get_query_data(["v"]) == [1, ["a", "b"]]


def test_json_null_is_data(client):
    client.set_query_data(["v"], None)
    assert client.get_query_state(["v"]).get_status() == Quarry.Status.SUCCESS
    assert client.get_query_data(["v"]) is None


@pytest.mark.parametrize("bad, error", [
    ({"x": float("inf")}, ValueError),
    ([2 ** 63], ValueError),
    ([INT64_MIN - 1], ValueError),
    ({1: "x"}, TypeError),
    ({"x": {1, 2}}, TypeError),
    ({"x": "nul \u0000 inside"}, ValueError),
    ({"nul \u0000 inside": 1}, ValueError),
    (b"bytes", TypeError),
])
def test_values_without_an_exact_json_form_are_refused_and_nothing_changes(client, bad, error):
    client.set_query_data(["v"], {"kept": True})
    with pytest.raises(error):
        client.set_query_data(["v"], bad)
    assert client.get_query_data(["v"]) == {"kept": True}


def test_gobjects_and_json_nodes_pass_through(client):
    item = Gio.SimpleAction.new("an-object", None)
    client.set_query_data(["object"], item)
    assert client.get_query_data(["object"]) is item
    client.set_query_data(["node"], Json.from_string('{"a": [1]}'))
    assert client.get_query_data(["node"]) == {"a": [1]}


def test_the_updater_gets_and_returns_plain_values(client):
    client.set_query_data(["todos"], [{"id": 1}])
    client.set_query_data(["todos"], lambda todos: todos + [{"id": 2}])
    assert client.get_query_data(["todos"]) == [{"id": 1}, {"id": 2}]
    # None from the updater leaves the entry unchanged, as TanStack's undefined.
    updated_at = client.get_query_state(["todos"]).get_data_updated_at()
    count = client.get_query_state(["todos"]).get_data_update_count()
    client.set_query_data(["todos"], lambda todos: None)
    assert client.get_query_data(["todos"]) == [{"id": 1}, {"id": 2}]
    assert client.get_query_state(["todos"]).get_data_update_count() == count
    assert client.get_query_state(["todos"]).get_data_updated_at() == updated_at


def test_an_exception_in_the_updater_is_an_error_and_changes_nothing(client):
    client.set_query_data(["todos"], [1])

    def updater(todos):
        raise RuntimeError("cannot update")

    with pytest.raises(RuntimeError, match="cannot update"):
        client.set_query_data(["todos"], updater)
    assert client.get_query_data(["todos"]) == [1]


def test_to_native_and_to_value_are_public():
    node = Quarry.to_json({"a": [1, 2.5]})
    assert isinstance(node, Json.Node)
    assert Quarry.to_native(node) == {"a": [1, 2.5]}
    value = Quarry.to_value([1])
    assert isinstance(value, GObject.Value)
    assert Quarry.to_native(value) == [1]
    assert Quarry.to_native("plain") == "plain"


# --- fetch functions ---------------------------------------------------------

def test_a_fetch_function_returns_its_data(client, clock):
    seen = []

    def fetch(context):
        seen.append((context.get_key(), context.get_attempt()))
        return {"id": context.get_key()[1], "title": "Buy milk"}

    query = Quarry.Query(client, ["todo", 7], fetch)
    clock.flush()
    assert seen == [(["todo", 7], 1)]
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_data() == {"id": 7, "title": "Buy milk"}
    assert query.props.data == {"id": 7, "title": "Buy milk"}
    assert query.get_value() == query.get_data()


def test_a_fetch_function_completes_later_with_plain_values(client, clock):
    kept = []
    query = Quarry.Query(client, ["later"], kept.append)
    clock.flush()
    assert query.props.status == Quarry.Status.PENDING and query.props.is_fetching
    kept[0].return_value([1, 2, 3])
    clock.flush()
    assert query.get_data() == [1, 2, 3]


@pytest.mark.parametrize("exception, message", [
    (ValueError("server exploded"), "server exploded"),
    (KeyError("id"), "'id'"),
    (RuntimeError(), "RuntimeError"),
])
def test_an_exception_in_a_fetch_function_is_the_query_error(client, clock, exception, message):
    def fetch(context):
        raise exception

    query = Quarry.Query(client, ["boom"], fetch, retry=0)
    clock.flush()
    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert error.matches(Quarry.error_quark(), Quarry.Error.FAILED)
    assert error.message == message


def test_a_glib_error_from_a_fetch_function_keeps_its_domain_and_code(client, clock):
    def fetch(context):
        raise GLib.Error("Not found", GLib.quark_to_string(Quarry.http_error_quark()), 404)

    query = Quarry.Query(client, ["missing"], fetch, retry=0)
    clock.flush()
    assert query.get_error().matches(Quarry.http_error_quark(), 404)
    assert query.get_error().message == "Not found"


def test_an_exception_keeps_the_cached_data_and_is_retried(client, clock):
    calls = []

    def fetch(context):
        calls.append(context.get_attempt())
        if len(calls) > 1:
            raise ConnectionError("offline")
        return ["cached"]

    query = Quarry.Query(client, ["todos"], fetch)
    clock.flush()
    query.refetch()
    clock.flush()
    assert calls == [1, 1]
    assert query.props.failure_count == 1
    clock.advance(1000)
    clock.advance(2000)
    clock.advance(4000)
    assert calls == [1, 1, 2, 3, 4]
    assert query.props.status == Quarry.Status.ERROR
    assert query.get_error().message == "offline"
    assert query.get_data() == ["cached"]


def test_returning_nothing_without_keeping_the_context_is_no_result(client, clock):
    query = Quarry.Query(client, ["nothing"], lambda context: None, retry=0)
    clock.flush()
    assert query.get_error().matches(Quarry.error_quark(), Quarry.Error.NO_RESULT)


def test_return_error_takes_any_exception(client, clock):
    kept = []
    query = Quarry.Query(client, ["later"], kept.append, retry=0)
    clock.flush()
    kept[0].return_error(TimeoutError("too slow"))
    clock.flush()
    assert query.get_error().message == "too slow"


def test_select_gets_and_returns_plain_values(client, clock):
    query = Quarry.Query(client, ["todos"], lambda c: [{"done": True}, {"done": False}],
                         select=lambda todos: [t for t in todos if not t["done"]])
    clock.flush()
    assert query.get_data() == [{"done": False}]
    assert client.get_query_data(["todos"]) == [{"done": True}, {"done": False}]


def test_an_exception_in_select_is_a_select_error(client, clock):
    query = Quarry.Query(client, ["todos"], lambda c: [], select=lambda todos: todos[0])
    clock.flush()
    assert query.get_error().matches(Quarry.error_quark(), Quarry.Error.SELECT)
    assert "index out of range" in query.get_error().message


# --- properties and keyword arguments ----------------------------------------

def test_query_keyword_arguments_are_properties(client, clock):
    query = Quarry.Query(client, ["todos"], lambda c: [1], stale_time=5000, retry=1,
                         placeholder_data=["placeholder"], tags=["lists"])
    assert query.props.stale_time == 5000 and query.props.retry == 1
    assert query.get_data() == ["placeholder"]
    assert query.props.is_placeholder_data
    assert query.props.placeholder_data == ["placeholder"]
    clock.flush()
    assert query.get_data() == [1]
    query.props.key = ["todos", 2]
    assert query.get_key() == ["todos", 2]
    query.props.initial_data = {"initial": True}
    assert query.get_initial_data() == {"initial": True}


def test_filters_take_keys_and_keyword_arguments(client, clock):
    for key in (["todos", 1], ["todos", 2], ["users", 1]):
        client.set_query_data(key, 0)
    active = Quarry.Query(client, ["todos", 1], lambda c: 1, stale_time=Quarry.TIME_INFINITE)
    assert sorted(client.find_keys(["todos"])) == [["todos", 1], ["todos", 2]]
    assert client.find_keys(key=["todos", 1], exact=True) == [["todos", 1]]
    assert client.find_keys(["todos"], type=Quarry.QueryType.ACTIVE) == [["todos", 1]]
    assert sorted(client.find_keys(type=Quarry.QueryType.INACTIVE)) == [["todos", 2], ["users", 1]]
    assert client.find_keys(predicate=lambda key, state: key[0] == "users") == [["users", 1]]
    assert client.find_keys(Quarry.QueryFilter(key=["users"])) == [["users", 1]]
    assert client.count_fetching(["todos"]) == 0
    client.remove_queries(["users"])
    assert sorted(client.find_keys()) == [["todos", 1], ["todos", 2]]
    with pytest.raises(TypeError):
        client.find_keys(Quarry.QueryFilter(), exact=True)
    del active


def test_stale_filter_follows_the_clock(client, clock):
    queries = [Quarry.Query(client, ["fresh"], lambda c: 1, stale_time=10_000),
               Quarry.Query(client, ["stale"], lambda c: 1, stale_time=0)]
    clock.flush()
    clock.advance(1)
    assert client.find_keys(stale=True) == [["stale"]]
    assert client.find_keys(stale=False) == [["fresh"]]
    clock.advance(10_000)
    assert sorted(client.find_keys(stale=True)) == [["fresh"], ["stale"]]
    del queries


def test_defaults_take_keyword_arguments(client, clock):
    client.set_query_defaults(["todos"], stale_time=60_000, retry=0)
    query = Quarry.Query(client, ["todos", 1], lambda c: 1)
    assert query.props.stale_time == 60_000
    with pytest.raises(TypeError):
        client.set_query_defaults(["todos"], Quarry.QueryOptions(), retry=1)


# --- mutations ---------------------------------------------------------------

def test_mutation_handlers_and_callbacks_get_plain_values(client, clock):
    events = []
    mutation = Quarry.Mutation(client, ["todos", "add"], lambda c, todo: {**todo, "id": 7})
    mutation.connect("mutate", lambda m, todo: events.append(("mutate", todo)) or {"snapshot": []})
    mutation.connect("success", lambda m, data, todo, context: events.append(("success", data, context)))
    mutation.connect_after("settled", lambda m, data, error, todo, context: events.append(("settled", error)))
    mutation.mutate({"title": "Buy milk"},
                    on_success=lambda data, todo, context: events.append(("on_success", data["id"])),
                    on_settled=lambda data, error, todo, context: events.append(("on_settled", todo)))
    clock.flush()
    assert events == [
        ("mutate", {"title": "Buy milk"}),
        ("success", {"title": "Buy milk", "id": 7}, {"snapshot": []}),
        ("settled", None),
        ("on_success", 7),
        ("on_settled", {"title": "Buy milk"}),
    ]
    assert mutation.get_data() == {"title": "Buy milk", "id": 7}
    assert mutation.props.variables == {"title": "Buy milk"}
    assert mutation.props.context == {"snapshot": []}
    assert mutation.get_mutation_key() == ["todos", "add"]
    state = client.find_mutations(["todos"])[0]
    assert state.get_variables() == {"title": "Buy milk"}
    assert state.get_mutation_key() == ["todos", "add"]


def test_an_exception_in_a_mutation_function_is_the_mutation_error(client, clock):
    errors = []

    def add(context, todo):
        raise ValueError(f"title {todo['title']!r} is taken")

    mutation = Quarry.Mutation(client, None, add)
    mutation.mutate({"title": "x"}, on_error=lambda error, todo, context: errors.append(error.message))
    clock.flush()
    assert errors == ["title 'x' is taken"]
    assert mutation.get_error().matches(Quarry.error_quark(), Quarry.Error.FAILED)
    assert mutation.props.status == Quarry.MutationStatus.ERROR


def test_mutation_keyword_arguments_reach_its_options(client, clock):
    attempts = []

    def flaky(context, variables):
        attempts.append(context.get_attempt())
        raise OSError("down")

    mutation = Quarry.Mutation(client, ["sync"], flaky, retry=2)
    assert mutation.get_options().props.retry == 2
    mutation.mutate(None)
    clock.flush()
    clock.advance(1000)
    clock.advance(2000)
    assert attempts == [1, 2, 3]
    assert client.count_mutating(["sync"]) == 0
    assert client.find_mutations(key=["sync"], status=Quarry.MutationStatus.ERROR)


def test_optimistic_helpers_take_plain_values(client):
    client.set_query_data(["todos"], [{"id": 1, "title": "a"}])
    restorer = client.optimistic_upsert(["todos"], {"id": 2, "title": "b"}, updating_member="saving")
    assert client.get_query_data(["todos"]) == [{"id": 1, "title": "a"},
                                                {"id": 2, "title": "b", "saving": True}]
    assert restorer.get_key() == ["todos"]
    restorer.restore()
    assert client.get_query_data(["todos"]) == [{"id": 1, "title": "a"}]
    restorer = client.optimistic_delete(["todos"], 1)
    assert client.get_query_data(["todos"]) == []
    restorer.commit()
    assert client.get_query_data(["todos"]) == []


def test_a_fetch_status_filter_matches_only_that_status(client, clock):
    kept = []
    fetching = Quarry.Query(client, ["fetching"], kept.append)
    idle = Quarry.Query(client, ["idle"], lambda c: 1)
    clock.flush()
    assert client.find_keys(fetch_status=Quarry.FetchStatus.FETCHING) == [["fetching"]]
    assert client.find_keys(fetch_status=Quarry.FetchStatus.IDLE) == [["idle"]]
    assert client.count_fetching() == 1
    kept[0].return_value(1)
    clock.flush()
    assert client.find_keys(fetch_status=Quarry.FetchStatus.FETCHING) == []
    del fetching, idle


def test_retry_takes_tanstack_forms(client, clock):
    attempts = []

    def fetch(context):
        attempts.append(context.get_attempt())
        raise OSError("down" if len(attempts) < 3 else "gone")

    forever = Quarry.Query(client, ["forever"], lambda c: 1, retry=True)
    assert forever.props.retry == Quarry.RETRY_INFINITE
    never = Quarry.Query(client, ["never"], lambda c: 1, retry=False)
    assert never.props.retry == 0
    query = Quarry.Query(client, ["custom"], fetch,
                         retry=lambda failure_count, error: error.message == "down",
                         retry_delay=lambda failure_count, error: 100 * failure_count)
    clock.flush()
    clock.advance(100)
    clock.advance(200)
    assert attempts == [1, 2, 3]
    clock.advance(60_000)
    assert attempts == [1, 2, 3]
    assert query.get_error().message == "gone"
    del forever, never


def test_an_infinite_query_takes_its_functions_as_keyword_arguments(client, clock):
    query = Quarry.InfiniteQuery(client, ["pages"], lambda c: {"n": c.get_page_param()},
                                 initial_page_param=1,
                                 next_page_param=lambda page, data, param: param + 1 if param < 3 else None)
    assert query.get_initial_page_param() == 1
    assert query.props.initial_page_param == 1
    clock.flush()
    assert query.props.has_next_page
    query.fetch_next_page()
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    assert query.get_data() == {"pages": [{"n": 1}, {"n": 2}, {"n": 3}], "pageParams": [1, 2, 3]}
    assert query.props.data == query.get_data()
    assert not query.props.has_next_page
    assert client.get_query_data(["pages"]) == query.get_data()
    assert query.get_infinite_data().get_pages() == [{"n": 1}, {"n": 2}, {"n": 3}]


# --- bindings ----------------------------------------------------------------

class Target(GObject.Object):
    text = GObject.Property(type=str, default="")
    value = GObject.Property(type=object)


def test_binding_data_gives_plain_values_also_when_there_is_none(client, clock):
    target = Target()
    query = Quarry.Query(client, ["todos"], lambda c: [{"title": "a"}, {"title": "b"}])
    binding = query.bind_property("data", target, "text", GObject.BindingFlags.SYNC_CREATE,
                                  lambda binding, todos: f"{len(todos or [])} todos")
    assert isinstance(binding, GObject.Binding)
    assert target.props.text == "0 todos"
    clock.flush()
    assert target.props.text == "2 todos"
    client.reset_queries(["todos"])
    assert target.props.text == "0 todos"
    binding.unbind()
    client.set_query_data(["todos"], [1])
    assert target.props.text == "0 todos"


def test_binding_data_without_a_transform_and_with_user_data(client, clock):
    target = Target()
    query = Quarry.Query(client, ["todos"], lambda c: {"n": 1})
    query.bind_property("data", target, "value", GObject.BindingFlags.DEFAULT)
    query.bind_property("data", target, "text", GObject.BindingFlags.DEFAULT,
                        lambda binding, data, suffix: f"{data}{suffix}", None, "!")
    clock.flush()
    assert target.props.value == {"n": 1}
    assert target.props.text == "{'n': 1}!"


def test_a_bidirectional_binding_writes_plain_values_back(client):
    target = Target()
    query = Quarry.Query(client, ["todos"], lambda c: [])
    query.bind_property("initial-data", target, "value",
                        GObject.BindingFlags.BIDIRECTIONAL | GObject.BindingFlags.SYNC_CREATE)
    target.props.value = {"from": "target"}
    assert query.get_initial_data() == {"from": "target"}
    query.set_initial_data(["from", "query"])
    assert target.props.value == ["from", "query"]


def test_other_properties_bind_as_usual(client, clock):
    target = Target()
    mutation = Quarry.Mutation(client, None, lambda c, v: v)
    mutation.bind_property("status", target, "text", GObject.BindingFlags.SYNC_CREATE,
                           lambda binding, status: status.value_nick)
    mutation.bind_property("data", target, "value", GObject.BindingFlags.DEFAULT)
    assert target.props.text == "idle"
    mutation.mutate({"x": [1]})
    clock.flush()
    assert target.props.text == "success"
    assert target.props.value == {"x": [1]}


# --- found in review ---------------------------------------------------------

@pytest.mark.parametrize("value", [1e20, 2e22, 1e17, -1e18, [1.5e300, 1e20]])
def test_doubles_json_glib_writes_oddly_read_back(client, value):
    # json-glib 1.6 writes 1e20 as "1e+20.0", which no JSON parser reads.
    client.set_query_data(["price", 1e20], {"price": value})
    assert client.get_query_data(["price", 1e20]) == {"price": value}
    assert client.find_keys(["price"]) == [["price", 1e20]]


def test_fetch_shortcuts_without_a_function_use_the_entry_one(client, clock):
    calls = []
    query = Quarry.Query(client, ["user", 1], lambda c: calls.append(1) or {"n": len(calls)})
    clock.flush()
    results = []
    client.fetch_query_async(["user", 1], None,
                             callback=lambda c, result: results.append(c.fetch_query_finish(result)))
    clock.flush()
    assert results == [{"n": 2}]
    del query


def test_a_mock_can_be_a_fetch_and_a_mutation_function(client, clock):
    from unittest import mock

    fetch = mock.Mock(return_value={"name": "Ada"})
    query = Quarry.Query(client, ["user"], fetch, retry=0)
    clock.flush()
    assert query.get_data() == {"name": "Ada"}
    fetch.assert_called_once()
    save = mock.Mock(return_value={"saved": True})
    mutation = Quarry.Mutation(client, None, save)
    mutation.mutate({"name": "Ada"})
    clock.flush()
    assert mutation.get_data() == {"saved": True}
    assert save.call_args[0][1] == {"name": "Ada"}


def test_unbinding_disconnects_the_mirror(client, clock):
    calls = []
    query = Quarry.Query(client, ["t"], lambda c: [1])
    for _ in range(50):
        target = Target()
        query.bind_property("data", target, "text", GObject.BindingFlags.DEFAULT,
                            lambda binding, value: calls.append(value) or "").unbind()
    for _ in range(50):
        target = Target()
        query.bind_property("data", target, "text", GObject.BindingFlags.DEFAULT,
                            lambda binding, value: calls.append(value) or "")
        del target
    clock.flush()
    assert calls == []


def test_query_options_take_tanstack_retry_forms(client, clock):
    client.set_query_defaults(["todos"], retry=True)
    assert Quarry.Query(client, ["todos", 1], lambda c: 1).props.retry == Quarry.RETRY_INFINITE
    assert Quarry.QueryOptions(retry=False).props.retry == 0
    with pytest.raises(TypeError):
        Quarry.QueryOptions(retry=lambda failure_count, error: True)


def test_a_predicate_exception_propagates_out_of_the_client_call(client):
    client.set_query_data(["a"], 1)
    with pytest.raises(ZeroDivisionError):
        client.find_keys(predicate=lambda key, state: 1 / 0)
    assert client.find_keys(predicate=lambda key, state: True) == [["a"]]


def test_a_mutation_filter_takes_a_predicate(client, clock):
    mutation = Quarry.Mutation(client, ["todos", "add"], lambda c, v: v)
    mutation.mutate({"title": "x"})
    clock.flush()
    states = client.find_mutations(predicate=lambda state: state.get_variables() == {"title": "x"})
    assert [s.get_mutation_key() for s in states] == [["todos", "add"]]
    with pytest.raises(ZeroDivisionError):
        client.find_mutations(predicate=lambda state: 1 / 0)


def test_failing_retry_functions_fall_back_to_safe_behaviour(client, clock):
    attempts = []

    def fetch(context):
        attempts.append(context.get_attempt())
        raise OSError("down")

    no_retry = Quarry.Query(client, ["no-retry"], fetch, retry=lambda n, error: 1 / 0)
    clock.flush()
    clock.advance(60_000)
    assert attempts == [1]
    assert no_retry.props.status == Quarry.Status.ERROR
    attempts.clear()
    query = Quarry.Query(client, ["default-delay"], fetch, retry=1, retry_delay=lambda n, error: 1 / 0)
    clock.flush()
    clock.advance(999)
    assert attempts == [1]
    clock.advance(1)
    assert attempts == [1, 2]
    del query, no_retry


def test_select_returning_none_shows_none(client, clock):
    query = Quarry.Query(client, ["todos"], lambda c: [{"id": 1}],
                         select=lambda todos: next((t for t in todos if t["id"] == 5), None))
    clock.flush()
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_data() is None


def test_an_infinite_query_get_data_follows_select(client, clock):
    query = Quarry.InfiniteQuery(client, ["pages"], lambda c: [c.get_page_param()], initial_page_param=1,
                                 select=lambda data: [x for page in data["pages"] for x in page])
    clock.flush()
    assert query.get_data() == [1]
    assert query.props.data == [1]
    assert query.get_infinite_data() is None  # the pages shown: none, select made a list
    assert client.get_query_data(["pages"]) == {"pages": [[1]], "pageParams": [1]}


def test_mutation_connect_variants_convert(client, clock):
    seen = []
    mutation = Quarry.Mutation(client, None, lambda c, v: v)
    mutation.connect_data("success", lambda m, data, variables, context, extra: seen.append((data, extra)), "x")
    other = Target()
    mutation.connect_object("settled", lambda obj, data, *rest: seen.append((obj is other, data)), other)
    mutation.mutate({"n": 1})
    clock.flush()
    assert seen == [({"n": 1}, "x"), (True, {"n": 1})]


def test_ambiguous_calls_are_refused(client):
    mutation = Quarry.Mutation(client, None, lambda c, v: v)
    with pytest.raises(TypeError):
        mutation.mutate(1, lambda *args: None, on_success=lambda *args: None)
    with pytest.raises(TypeError):
        client.find_keys(["a"], key=["b"])


def test_infinite_data_is_a_sequence_of_pages():
    data = Quarry.InfiniteData.new().append_page([1], 0).append_page([2], 1)
    assert list(data) == [[1], [2]] and data[1] == [2] and len(data) == 2
    with pytest.raises(IndexError):
        data.get_page(2)


def test_bytes_and_variants_are_stored_as_they_are(client):
    client.set_query_data(["bytes"], GLib.Bytes.new(b"\x89PNG"))
    assert client.get_query_data(["bytes"]).get_data() == b"\x89PNG"
    client.set_query_data(["variant"], GLib.Variant("as", ["a"]))
    assert client.get_query_data(["variant"]).unpack() == ["a"]
