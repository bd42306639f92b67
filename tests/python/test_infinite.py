# SPDX-License-Identifier: LGPL-2.1-or-later
"""Infinite queries from Python, through the overrides (python/gi/overrides/
Quarry.py): Quarry.InfiniteQuery, Quarry.InfiniteData, Quarry.Page and
Quarry.JsonItem (docs/design.md, "Infinite queries"; TanStack §1.9).

Keys are lists; pages and page parameters are plain Python values; fetch
functions return their page (or complete their context later) and raise
their errors; the data reads back as TanStack's
``{"pages": [...], "pageParams": [...]}``, and ``get_infinite_data()`` gives
the raw Quarry.InfiniteData where its equality matters."""
import gc
import sys

import gi

gi.require_version("Quarry", "1.0")
gi.require_version("Json", "1.0")

import pytest
from gi.repository import GLib, GObject, Json, Quarry

TEST_DOMAIN = GLib.quark_from_string("quarry-python-test")
FORWARD = Quarry.FetchDirection.FORWARD
BACKWARD = Quarry.FetchDirection.BACKWARD
NONE = Quarry.FetchDirection.NONE


# --- helpers -----------------------------------------------------------------

def infinite(pages, params):
    """Infinite data as a plain value: TanStack's shape."""
    return {"pages": list(pages), "pageParams": list(params)}


def params_of(query):
    """The page parameters the query shows."""
    data = query.get_data()
    return None if data is None else data["pageParams"]


def pages_of(query):
    data = query.get_data()
    return None if data is None else data["pages"]


def raw_query_data(client, key):
    """What the cache holds for @key, through the typelib (no conversion):
    a Quarry.InfiniteData for an infinite entry, a Json.Node for JSON."""
    return super(Quarry.QueryClient, client).get_query_data(Quarry.Key(key))


def model_items(model):
    return [model.get_item(i) for i in range(model.get_n_items())]


def item_values(model):
    """The items of an items model, each a Quarry.JsonItem, as plain values."""
    values = []
    for item in model_items(model):
        assert isinstance(item, Quarry.JsonItem)
        values.append(item.to_native())
    return values


def number_page(param):
    """The page fetched with integer parameter @param: two items."""
    return [{"id": param * 10}, {"id": param * 10 + 1}]


def page_error(param):
    return GLib.Error.new_literal(TEST_DOMAIN, "page %s failed" % (param,), 3)


class Recorder:
    """Records items-changed emissions and keeps a mirror of the model made
    only from them, to check that they describe the change exactly."""

    def __init__(self, model):
        self.model = model
        self.emissions = []
        self.mirror = model_items(model)
        model.connect("items-changed", self.on_items_changed)

    def on_items_changed(self, model, position, removed, added):
        self.emissions.append((position, removed, added))
        new = [model.get_item(i) for i in range(position, position + added)]
        self.mirror[position:position + removed] = new

    def take(self):
        emissions, self.emissions = self.emissions, []
        return emissions

    def mirror_matches(self):
        current = model_items(self.model)
        return (len(current) == len(self.mirror)
                and all(a is b for a, b in zip(current, self.mirror)))


class PageServer:
    """An infinite query's fetch function.

    pages maps a page parameter to the page's plain value. With auto, each
    fetch returns its page at once (or raises); otherwise it returns None
    and its context waits in pending until complete() is called. Parameters
    in errors fail with a GLib.Error of TEST_DOMAIN, code 3."""

    def __init__(self, pages=None, auto=True, page_func=None):
        self.pages = pages if pages is not None else {}
        self.page_func = page_func
        self.auto = auto
        self.errors = set()
        self.calls = []
        self.pending = []

    def __call__(self, context):
        param = context.get_page_param()
        self.calls.append((param, context.get_direction()))
        if self.auto:
            return self.answer(param)
        self.pending.append(context)
        return None

    def params(self):
        return [param for param, direction in self.calls]

    def answer(self, param):
        if param in self.errors:
            raise page_error(param)
        if self.page_func is not None:
            return self.page_func(param)
        return self.pages[param]

    def complete(self, index=0):
        context = self.pending.pop(index)
        try:
            page = self.answer(context.get_page_param())
        except GLib.Error as error:
            context.return_error(error)
        else:
            context.return_value(page)


def numbered_query(client, k=("feed",), first=0, last=3, previous=True, auto=True):
    """An infinite query over integer pages first..last, page n holding the
    items n*10 and n*10+1, starting at page 0."""
    server = PageServer(auto=auto, page_func=number_page)
    query = Quarry.InfiniteQuery(client, list(k), server, retry=0, initial_page_param=0)

    def next_param(page, data, param):
        return param + 1 if param < last else None

    def previous_param(page, data, param):
        return param - 1 if param > first else None

    query.set_next_page_param_func(next_param)
    if previous:
        query.set_previous_page_param_func(previous_param)
    return query, server


def test_the_override_is_loaded():
    assert "gi.overrides.Quarry" in sys.modules
    assert Quarry.InfiniteQuery.__module__ == "gi.overrides.Quarry"
    assert Quarry.InfiniteData.__module__ == "gi.overrides.Quarry"
    assert Quarry.JsonItem.__module__ == "gi.overrides.Quarry"


# --- Quarry.InfiniteData ------------------------------------------------------

def test_infinite_data_is_an_immutable_list_of_pages_and_params():
    empty = Quarry.InfiniteData.new()
    assert empty.get_n_pages() == 0
    assert len(empty) == 0
    assert empty.to_native() == infinite([], [])

    one = empty.append_page([{"id": 1}], 1)
    assert len(empty) == 0
    assert len(one) == 1
    two = one.append_page([{"id": 2}], 2)
    three = two.prepend_page([{"id": 0}], 0)
    assert three.get_pages() == [[{"id": 0}], [{"id": 1}], [{"id": 2}]]
    assert three.get_page_params() == [0, 1, 2]
    assert three.get_page(1) == [{"id": 1}]
    assert three.get_page_param(2) == 2
    assert two.to_native() == infinite([[{"id": 1}], [{"id": 2}]], [1, 2])

    replaced = three.replace_page(1, [{"id": 11}])
    assert replaced.get_pages() == [[{"id": 0}], [{"id": 11}], [{"id": 2}]]
    assert replaced.get_page_params() == [0, 1, 2]
    assert three.get_pages() == [[{"id": 0}], [{"id": 1}], [{"id": 2}]]

    middle = three.slice(1, 2)
    assert isinstance(middle, Quarry.InfiniteData)
    assert middle.to_native() == infinite([[{"id": 1}], [{"id": 2}]], [1, 2])

    # == is Quarry.InfiniteData.equal for data, to_native() for a dict.
    assert middle == two
    assert Quarry.InfiniteData.equal(middle, two)
    assert not (three == replaced)
    assert middle == infinite([[{"id": 1}], [{"id": 2}]], [1, 2])
    assert not (middle == infinite([[{"id": 1}], [{"id": 2}]], [1, 3]))
    # Equal is by content, not identity.
    again = Quarry.InfiniteData.new().append_page([{"id": 1}], 1).append_page([{"id": 2}], 2)
    assert again is not two
    assert again == two
    # A different parameter makes the data different.
    other = Quarry.InfiniteData.new().append_page([{"id": 1}], 1).append_page([{"id": 2}], 3)
    assert not (other == two)
    assert not Quarry.InfiniteData.equal(other, two)
    # Infinite data is mutable-looking but compares by value: not hashable.
    with pytest.raises(TypeError):
        hash(two)


def test_infinite_data_not_equal_is_the_negation_of_equal():
    two = Quarry.InfiniteData.new().append_page([{"id": 1}], 1).append_page([{"id": 2}], 2)
    again = Quarry.InfiniteData.new().append_page([{"id": 1}], 1).append_page([{"id": 2}], 2)
    other = again.replace_page(0, [{"id": 9}])
    assert two != other
    assert two != infinite([[{"id": 9}]], [1])
    assert not (two != again)
    assert not (two != infinite([[{"id": 1}], [{"id": 2}]], [1, 2]))


def test_infinite_data_json_round_trip():
    plain = {"pages": [[{"id": 1}], {"items": [2]}], "pageParams": [None, "b"]}
    data = Quarry.InfiniteData.new_from_json(plain)
    assert data.get_n_pages() == 2
    assert data.get_pages() == [[{"id": 1}], {"items": [2]}]
    assert data.get_page_params() == [None, "b"]
    # A JSON null parameter is "no parameter".
    assert data.get_page_param(0) is None
    assert data.to_native() == plain

    back = data.to_json()
    assert isinstance(back, Json.Node)
    assert Quarry.to_native(back) == plain
    assert Quarry.InfiniteData.new_from_json(back) == data
    # A Json.Node is taken as it is.
    assert Quarry.InfiniteData.new_from_json(Quarry.to_json(plain)) == data


@pytest.mark.parametrize("value", [
    [1, 2],
    {"pages": [[1]]},
    {"pages": [[1], [2]], "pageParams": [0]},
    {"pages": 3, "pageParams": 4},
])
def test_infinite_data_from_json_refuses_other_shapes(value):
    with pytest.raises(GLib.Error) as info:
        Quarry.InfiniteData.new_from_json(value)
    assert info.value.matches(Quarry.error_quark(), Quarry.Error.UNSUPPORTED_TYPE)


def test_infinite_data_refuses_values_without_json_form():
    with pytest.raises(TypeError):
        Quarry.InfiniteData.new().append_page({1, 2}, 0)
    with pytest.raises(ValueError):
        Quarry.InfiniteData.new().append_page([float("nan")], 0)


# --- loading, next and previous pages -----------------------------------------

def test_first_page_loads_with_the_initial_param(client, clock):
    query, server = numbered_query(client, previous=False)
    assert isinstance(query, Quarry.Query)
    assert query.get_key() == ["feed"]
    assert query.get_initial_page_param() == 0
    assert query.props.initial_page_param == 0
    assert query.props.status == Quarry.Status.PENDING
    assert query.get_data() is None
    assert query.get_infinite_data() is None
    assert query.props.data is None
    assert not query.props.has_next_page
    assert not query.props.has_previous_page

    clock.flush()
    assert server.calls == [(0, FORWARD)]
    assert query.props.status == Quarry.Status.SUCCESS
    expected = infinite([number_page(0)], [0])
    assert query.get_data() == expected
    assert query.props.data == expected
    raw = query.get_infinite_data()
    assert isinstance(raw, Quarry.InfiniteData)
    assert raw == expected
    # The shown value is the same, and the cache holds it as InfiniteData.
    assert query.get_value() == expected
    assert client.get_query_data(["feed"]) == expected
    stored = raw_query_data(client, ["feed"])
    assert isinstance(stored, Quarry.InfiniteData)
    assert stored == raw

    assert query.props.has_next_page
    # No previous function: no previous page.
    assert not query.props.has_previous_page
    assert not query.props.is_fetching_next_page
    assert not query.props.is_fetching_previous_page
    assert not query.props.is_fetch_next_page_error
    assert not query.props.is_fetch_previous_page_error


def test_initial_param_can_be_a_string(client, clock):
    server = PageServer(pages={"start": ["a", "b"]})
    query = Quarry.InfiniteQuery.new(client, ["letters"], server)
    query.set_initial_page_param("start")
    assert query.get_initial_page_param() == "start"
    assert query.props.initial_page_param == "start"
    clock.flush()
    assert server.params() == ["start"]
    assert query.get_data() == infinite([["a", "b"]], ["start"])
    # Without a next function there is no next page.
    assert not query.props.has_next_page


def test_initial_param_can_be_an_object(client, clock):
    seen = []

    def fetch(context):
        seen.append(context.get_page_param())
        return {"cursor": context.get_page_param()}

    query = Quarry.InfiniteQuery(client, ["objects"], fetch)
    query.props.initial_page_param = {"after": None, "limit": 2}
    assert query.get_initial_page_param() == {"after": None, "limit": 2}
    clock.flush()
    assert seen == [{"after": None, "limit": 2}]
    assert query.get_data() == infinite([{"cursor": {"after": None, "limit": 2}}],
                                        [{"after": None, "limit": 2}])


def test_plain_query_context_has_no_page_param(client, clock):
    seen = []

    def fetch(context):
        seen.append((context.get_page_param(), context.get_direction()))
        return [1]

    query = Quarry.Query(client, ["plain"], fetch)
    clock.flush()
    assert seen == [(None, NONE)]
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_data() == [1]


def test_fetch_next_page_appends_until_there_is_none(client, clock):
    query, server = numbered_query(client, last=2, previous=False)
    clock.flush()

    query.fetch_next_page()
    clock.flush()
    assert server.calls == [(0, FORWARD), (1, FORWARD)]
    assert query.get_data() == infinite([number_page(0), number_page(1)], [0, 1])
    assert query.props.has_next_page
    # A page fetch is not a refetch.
    assert not query.props.is_refetching

    query.fetch_next_page()
    clock.flush()
    assert params_of(query) == [0, 1, 2]
    assert not query.props.has_next_page
    assert query.props.status == Quarry.Status.SUCCESS

    # No next parameter: the stored data stays, the fetch function is not called.
    before = query.get_data()
    raw_before = query.get_infinite_data()
    query.fetch_next_page()
    clock.flush()
    assert len(server.calls) == 3
    assert query.get_data() == before
    assert query.get_infinite_data() == raw_before
    assert query.props.status == Quarry.Status.SUCCESS


def test_next_page_function_sees_the_last_page_and_all_pages(client, clock):
    seen = []
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery(client, ["feed"], server, initial_page_param=0)

    def next_param(page, data, param):
        assert isinstance(data, Quarry.InfiniteData)
        seen.append((page, data.to_native(), param))
        return param + 1

    query.set_next_page_param_func(next_param)
    clock.flush()
    seen.clear()
    query.fetch_next_page()
    clock.flush()
    # The parameter of the next page comes from the last page (0) and the data.
    assert (number_page(0), infinite([number_page(0)], [0]), 0) in seen
    assert server.params() == [0, 1]


def test_is_fetching_next_page_while_in_flight(client, clock):
    query, server = numbered_query(client, auto=False)
    clock.flush()
    server.complete()
    clock.flush()

    query.fetch_next_page()
    clock.flush()
    assert server.calls[-1] == (1, FORWARD)
    assert query.props.is_fetching
    assert query.props.is_fetching_next_page
    assert not query.props.is_fetching_previous_page
    assert not query.props.is_refetching
    # The shown pages do not change while the page loads.
    assert params_of(query) == [0]

    server.complete()
    clock.flush()
    assert not query.props.is_fetching
    assert not query.props.is_fetching_next_page
    assert params_of(query) == [0, 1]


def test_fetch_previous_page_prepends(client, clock):
    query, server = numbered_query(client, first=1, last=5, auto=False)
    query.set_initial_page_param(3)
    clock.flush()
    server.complete()
    clock.flush()
    assert params_of(query) == [3]
    assert query.props.has_previous_page
    assert query.props.has_next_page

    query.fetch_previous_page()
    clock.flush()
    assert server.calls[-1] == (2, BACKWARD)
    assert query.props.is_fetching_previous_page
    assert not query.props.is_fetching_next_page
    assert not query.props.is_refetching
    server.complete()
    clock.flush()
    assert not query.props.is_fetching_previous_page
    assert query.get_data() == infinite([number_page(2), number_page(3)], [2, 3])

    query.fetch_previous_page()
    clock.flush()
    server.complete()
    clock.flush()
    assert params_of(query) == [1, 2, 3]
    assert not query.props.has_previous_page

    calls = len(server.calls)
    query.fetch_previous_page()
    clock.flush()
    assert len(server.calls) == calls
    assert server.pending == []
    assert params_of(query) == [1, 2, 3]


def test_max_pages_drops_the_page_at_the_other_end(client, clock):
    query, server = numbered_query(client, last=5)
    query.set_max_pages(2)
    assert query.get_max_pages() == 2
    clock.flush()

    query.fetch_next_page()
    clock.flush()
    assert params_of(query) == [0, 1]
    query.fetch_next_page()
    clock.flush()
    assert query.get_data() == infinite([number_page(1), number_page(2)], [1, 2])
    assert query.props.has_previous_page

    query.fetch_previous_page()
    clock.flush()
    assert query.get_data() == infinite([number_page(0), number_page(1)], [0, 1])

    # A refetch refetches only the stored pages.
    del server.calls[:]
    query.refetch()
    clock.flush()
    assert server.params() == [0, 1]
    assert params_of(query) == [0, 1]


def test_has_next_page_is_memoised_per_data_update(client, clock):
    count = [0]
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery(client, ["feed"], server, initial_page_param=0)

    def next_param(page, data, param):
        count[0] += 1
        return param + 1

    query.set_next_page_param_func(next_param)
    clock.flush()
    assert query.props.has_next_page
    calls = count[0]
    assert calls >= 1
    for _ in range(5):
        assert query.props.has_next_page
        assert query.get_has_next_page()
    assert count[0] == calls


def test_changing_the_next_function_recomputes_has_next_page(client, clock):
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery(client, ["feed"], server, initial_page_param=0)
    query.set_next_page_param_func(lambda page, data, param: None)
    clock.flush()
    assert not query.props.has_next_page
    notified = []
    query.connect("notify::has-next-page", lambda q, p: notified.append(q.props.has_next_page))
    query.set_next_page_param_func(lambda page, data, param: param + 1)
    clock.flush()
    assert query.props.has_next_page
    assert notified == [True]
    query.set_next_page_param_func(None)
    clock.flush()
    assert not query.props.has_next_page


def test_initial_data_in_json_shape(client, clock):
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery(client, ["feed"], server, stale_time=Quarry.TIME_INFINITE,
                                 initial_page_param=0)
    query.set_next_page_param_func(lambda page, data, param: param + 1)
    query.set_initial_data(infinite([[{"id": 50}], [{"id": 60}]], [5, 6]))
    clock.flush()
    assert server.calls == []
    assert isinstance(query.get_infinite_data(), Quarry.InfiniteData)
    assert query.get_data() == infinite([[{"id": 50}], [{"id": 60}]], [5, 6])
    assert item_values(query.get_items()) == [{"id": 50}, {"id": 60}]
    query.fetch_next_page()
    clock.flush()
    assert server.params() == [7]


def test_fetch_previous_page_without_a_previous_function(client, clock):
    query, server = numbered_query(client, previous=False)
    clock.flush()
    assert not query.props.has_previous_page
    query.fetch_previous_page()
    clock.flush()
    assert server.params() == [0]
    assert query.props.status == Quarry.Status.SUCCESS
    assert params_of(query) == [0]


def test_cancelling_a_page_fetch_keeps_the_pages(client, clock):
    query, server = numbered_query(client, auto=False)
    clock.flush()
    server.complete()
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    assert query.props.is_fetching_next_page
    context = server.pending[0]
    client.cancel_queries(["feed"])
    clock.flush()
    assert context.get_cancellable().is_cancelled()
    assert not query.props.is_fetching
    assert not query.props.is_fetching_next_page
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_data() == infinite([number_page(0)], [0])


def test_fetch_next_page_without_pages_is_a_whole_fetch(client, clock):
    query, server = numbered_query(client)
    server.errors = {0}
    clock.flush()
    assert query.props.status == Quarry.Status.ERROR
    assert query.get_data() is None
    assert not query.props.has_next_page

    server.errors = set()
    del server.calls[:]
    query.fetch_next_page()
    clock.flush()
    # The initial parameter, not a next one.
    assert server.params() == [0]
    assert query.props.status == Quarry.Status.SUCCESS
    assert params_of(query) == [0]


def test_without_cancel_refetch_a_page_request_shares_the_fetch(client, clock):
    query, server = numbered_query(client, auto=False)
    query.set_cancel_refetch(False)
    assert not query.get_cancel_refetch()
    clock.flush()
    server.complete()
    clock.flush()

    query.refetch()
    clock.flush()
    assert len(server.pending) == 1
    refetch_context = server.pending[0]
    query.fetch_next_page()
    clock.flush()
    assert not refetch_context.get_cancellable().is_cancelled()
    assert len(server.pending) == 1
    server.complete()
    clock.flush()
    assert server.pending == []
    assert params_of(query) == [0]
    assert query.props.status == Quarry.Status.SUCCESS


def test_queries_of_one_key_share_the_pages(client, clock):
    query, server = numbered_query(client)
    clock.flush()
    query.fetch_next_page()
    clock.flush()

    other = Quarry.InfiniteQuery(client, ["feed"], server, stale_time=Quarry.TIME_INFINITE)
    assert params_of(other) == [0, 1]
    assert other.get_infinite_data() == query.get_infinite_data()
    assert item_values(other.get_items()) == number_page(0) + number_page(1)
    clock.flush()
    assert len(server.calls) == 2


def test_invalidation_refetches_every_page(client, clock):
    query, server = numbered_query(client)
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    del server.calls[:]
    client.invalidate_queries(["feed"])
    clock.flush()
    assert server.calls == [(0, FORWARD), (1, FORWARD), (2, FORWARD)]
    assert params_of(query) == [0, 1, 2]


def test_exhaust_runs_the_page_request_after_the_fetch_in_flight(client, clock):
    # cancel-refetch stays TRUE: with EXHAUST the page request trails the
    # fetch in flight instead of cancelling it (with cancel-refetch FALSE it
    # would only share it, see above).
    query, server = numbered_query(client, auto=False)
    query.set_concurrency(Quarry.Concurrency.EXHAUST)
    clock.flush()
    server.complete()
    clock.flush()

    query.refetch()
    clock.flush()
    assert len(server.pending) == 1
    refetch_context = server.pending[0]
    query.fetch_next_page()
    query.fetch_next_page()
    clock.flush()
    assert not refetch_context.get_cancellable().is_cancelled()
    assert len(server.pending) == 1
    server.complete()
    clock.flush()
    # One trailing fetch, in its direction.
    assert server.calls[-1] == (1, FORWARD)
    assert len(server.pending) == 1
    assert query.props.is_fetching_next_page
    server.complete()
    clock.flush()
    assert server.pending == []
    assert params_of(query) == [0, 1]


def test_a_json_null_parameter_means_no_page(client, clock):
    server = PageServer({
        "start": {"items": [1], "next": "a"},
        "a": {"items": [2], "next": None},
    })
    query = Quarry.InfiniteQuery(client, ["cursors"], server, initial_page_param="start")
    query.set_items_member("items")
    # Returns the "next" member as JSON: a JSON string, then a JSON null
    # (not Python's None, which is "no page" on its own).
    returned = []

    def next_param(page, data, param):
        node = Quarry.to_json(page["next"])
        returned.append(node.get_node_type())
        return node

    query.set_next_page_param_func(next_param)
    clock.flush()
    assert query.props.has_next_page
    query.fetch_next_page()
    clock.flush()
    assert server.params() == ["start", "a"]
    assert Json.NodeType.NULL in returned
    assert not query.props.has_next_page
    query.fetch_next_page()
    clock.flush()
    assert server.params() == ["start", "a"]
    assert item_values(query.get_items()) == [1, 2]


# --- refetch ------------------------------------------------------------------

def cursor_query(client, server, k=("cursors",)):
    query = Quarry.InfiniteQuery(client, list(k), server, retry=0, initial_page_param="start")
    query.set_items_member("items")
    assert query.get_items_member() == "items"
    query.set_next_page_param_func(lambda page, data, param: page["next"])
    return query


def test_refetch_follows_changed_cursors_one_page_after_another(client, clock):
    server = PageServer({
        "start": {"items": [1, 2], "next": "a"},
        "a": {"items": [3, 4], "next": "b"},
        "b": {"items": [5], "next": None},
    })
    query = cursor_query(client, server)
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    assert params_of(query) == ["start", "a", "b"]
    assert not query.props.has_next_page
    assert item_values(query.get_items()) == [1, 2, 3, 4, 5]
    old = query.get_data()
    old_raw = query.get_infinite_data()

    # The server's cursors move.
    server.pages = {
        "start": {"items": [0, 1, 2], "next": "x"},
        "x": {"items": [3], "next": "y"},
        "y": {"items": [4, 5], "next": "z"},
        "z": {"items": [6], "next": None},
    }
    server.auto = False
    del server.calls[:]
    query.refetch()
    clock.flush()
    # One page at a time, each parameter computed from the fresh pages.
    assert server.calls == [("start", FORWARD)]
    assert query.props.is_refetching
    assert not query.props.is_fetching_next_page
    server.complete()
    clock.flush()
    assert server.params() == ["start", "x"]
    assert len(server.pending) == 1
    # Nothing is committed before the last page.
    assert query.get_data() == old
    assert query.get_infinite_data() == old_raw
    server.complete()
    clock.flush()
    assert server.params() == ["start", "x", "y"]
    assert query.get_data() == old
    assert query.get_infinite_data() == old_raw
    server.complete()
    clock.flush()
    # As many pages as were stored: "z" is not fetched.
    assert server.params() == ["start", "x", "y"]
    assert server.pending == []
    assert query.get_data() == infinite([server.pages[p] for p in ("start", "x", "y")],
                                        ["start", "x", "y"])
    assert item_values(query.get_items()) == [0, 1, 2, 3, 4, 5]
    assert query.props.has_next_page
    assert not query.props.is_refetching

    # An absent next parameter ends the refetch early: the list shrinks.
    server.pages["start"] = {"items": [9], "next": None}
    server.auto = True
    del server.calls[:]
    query.refetch()
    clock.flush()
    assert server.params() == ["start"]
    assert query.get_data() == infinite([{"items": [9], "next": None}], ["start"])
    assert item_values(query.get_items()) == [9]
    assert not query.props.has_next_page


def test_failing_page_fails_the_whole_refetch_and_pages_stay(client, clock):
    query, server = numbered_query(client)
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    old = query.get_data()
    old_raw = query.get_infinite_data()

    query.props.retry = 1
    server.errors = {1}
    del server.calls[:]
    query.refetch()
    clock.flush()
    assert server.params() == [0, 1]
    assert query.props.failure_count == 1
    # The retry starts again from the first page.
    clock.advance(1000)
    assert server.params() == [0, 1, 0, 1]
    assert query.props.status == Quarry.Status.ERROR
    assert query.get_error().matches(TEST_DOMAIN, 3)
    assert query.props.is_refetch_error
    assert not query.props.is_fetch_next_page_error
    assert query.get_data() == old
    assert query.get_infinite_data() == old_raw


def test_error_on_the_second_page_keeps_the_pages(client, clock):
    query, server = numbered_query(client)
    clock.flush()
    server.errors = {1}
    query.fetch_next_page()
    clock.flush()
    assert server.calls == [(0, FORWARD), (1, FORWARD)]
    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert error.matches(TEST_DOMAIN, 3)
    assert error.message == "page 1 failed"
    assert query.props.is_fetch_next_page_error
    assert not query.props.is_fetch_previous_page_error
    assert not query.props.is_refetch_error
    assert not query.props.is_loading_error
    assert not query.props.is_fetching_next_page
    assert query.get_data() == infinite([number_page(0)], [0])
    assert item_values(query.get_items()) == number_page(0)
    assert query.props.has_next_page

    # The flag stays until the next fetch, which clears it.
    server.errors = set()
    query.fetch_next_page()
    clock.flush()
    assert query.props.status == Quarry.Status.SUCCESS
    assert not query.props.is_fetch_next_page_error
    assert params_of(query) == [0, 1]


def test_error_on_a_previous_page(client, clock):
    query, server = numbered_query(client, first=-2)
    clock.flush()
    server.errors = {-1}
    query.fetch_previous_page()
    clock.flush()
    assert server.calls[-1] == (-1, BACKWARD)
    assert query.props.status == Quarry.Status.ERROR
    assert query.get_error().message == "page -1 failed"
    assert query.props.is_fetch_previous_page_error
    assert not query.props.is_fetch_next_page_error
    assert params_of(query) == [0]


def test_error_completed_later_keeps_its_domain(client, clock):
    query, server = numbered_query(client, auto=False)
    clock.flush()
    server.complete()
    clock.flush()
    server.errors = {1}
    query.fetch_next_page()
    clock.flush()
    server.complete()
    clock.flush()
    assert query.get_error().matches(TEST_DOMAIN, 3)
    assert query.get_error().message == "page 1 failed"
    assert query.props.is_fetch_next_page_error
    assert params_of(query) == [0]


def test_fetch_next_page_cancels_a_refetch_in_flight(client, clock):
    query, server = numbered_query(client, auto=False)
    assert query.get_cancel_refetch()
    clock.flush()
    server.complete()
    clock.flush()

    query.refetch()
    clock.flush()
    assert len(server.pending) == 1
    refetch_context = server.pending[0]
    query.fetch_next_page()
    clock.flush()
    assert refetch_context.get_cancellable().is_cancelled()
    assert server.calls[-1] == (1, FORWARD)
    server.complete(-1)
    clock.flush()
    assert query.get_data() == infinite([number_page(0), number_page(1)], [0, 1])


# --- page parameter functions that fail --------------------------------------

def test_next_page_function_raising_glib_error_fails_the_fetch(client, clock):
    broken = [False]
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery(client, ["feed"], server, retry=0, initial_page_param=0)

    def next_param(page, data, param):
        if broken[0]:
            raise GLib.Error.new_literal(TEST_DOMAIN, "no cursor", 5)
        return param + 1

    query.set_next_page_param_func(next_param)
    clock.flush()
    assert query.props.has_next_page

    broken[0] = True
    query.fetch_next_page()
    clock.flush()
    assert server.params() == [0]
    assert query.props.status == Quarry.Status.ERROR
    assert query.get_error().matches(TEST_DOMAIN, 5)
    assert query.get_error().message == "no cursor"
    assert query.props.is_fetch_next_page_error
    assert params_of(query) == [0]


def test_python_exception_in_next_page_function_becomes_page_param_error(client, clock):
    broken = [False]
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery(client, ["feed"], server, retry=0, initial_page_param=0)

    def next_param(page, data, param):
        if broken[0]:
            raise KeyError("next")
        return param + 1

    query.set_next_page_param_func(next_param)
    clock.flush()
    assert query.props.has_next_page

    broken[0] = True
    query.fetch_next_page()
    clock.flush()
    assert server.params() == [0]
    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert error.matches(Quarry.error_quark(), Quarry.Error.PAGE_PARAM)
    assert error.message == str(KeyError("next"))
    assert query.props.is_fetch_next_page_error
    assert params_of(query) == [0]


def test_python_exception_in_next_page_function_fails_a_refetch(client, clock):
    broken = [False]
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery(client, ["feed"], server, retry=0, initial_page_param=0)

    def next_param(page, data, param):
        if broken[0]:
            raise ValueError("cursor next gone")
        return param + 1

    query.set_next_page_param_func(next_param)
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    old = query.get_data()
    old_raw = query.get_infinite_data()

    broken[0] = True
    del server.calls[:]
    query.refetch()
    clock.flush()
    # Page 0 was fetched; the parameter of page 1 failed the whole fetch.
    assert server.params() == [0]
    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert error.matches(Quarry.error_quark(), Quarry.Error.PAGE_PARAM)
    assert error.message == "cursor next gone"
    assert query.props.is_refetch_error
    assert query.get_data() == old
    assert query.get_infinite_data() == old_raw


def test_python_exception_in_previous_page_function(client, clock):
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery(client, ["feed"], server, retry=0, initial_page_param=0)
    query.set_next_page_param_func(lambda page, data, param: None)
    query.set_previous_page_param_func(lambda page, data, param: {}["previous"])
    clock.flush()
    # has-previous-page calls the function: it fails, the query shows the
    # error, the entry keeps its pages.
    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert error.matches(Quarry.error_quark(), Quarry.Error.PAGE_PARAM)
    assert error.message == str(KeyError("previous"))
    assert not query.props.has_previous_page
    assert client.get_query_data(["feed"]) == infinite([number_page(0)], [0])


def test_page_param_function_returning_a_value_without_json_form(client, clock):
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery(client, ["feed"], server, retry=0, initial_page_param=0)
    query.set_next_page_param_func(lambda page, data, param: {param + 1})
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    assert server.params() == [0]
    error = query.get_error()
    assert error.matches(Quarry.error_quark(), Quarry.Error.PAGE_PARAM)
    assert "set" in error.message
    assert query.props.is_fetch_next_page_error
    assert params_of(query) == [0]


# --- the models ---------------------------------------------------------------

def test_items_model_and_its_emissions(client, clock):
    query, server = numbered_query(client, first=-3, last=3)
    items = query.get_items()
    assert items is query.get_items()
    assert items.get_n_items() == 0
    recorder = Recorder(items)

    clock.flush()
    assert items.get_n_items() == 2
    assert recorder.take() == [(0, 0, 2)]
    first = model_items(items)
    assert all(isinstance(item, Quarry.JsonItem) for item in first)
    assert first[0].to_native() == {"id": 0}
    assert first[1].to_native() == {"id": 1}
    assert first[1].get_member("id") == 1
    assert first[1]["id"] == 1

    # Appending a page: one insertion at the end, old items keep their objects.
    query.fetch_next_page()
    clock.flush()
    assert recorder.take() == [(2, 0, 2)]
    assert item_values(items) == number_page(0) + number_page(1)
    assert items.get_item(0) is first[0] and items.get_item(1) is first[1]
    assert recorder.mirror_matches()

    # Prepending a page: one insertion at the start.
    query.fetch_previous_page()
    clock.flush()
    assert recorder.take() == [(0, 0, 2)]
    assert item_values(items) == number_page(-1) + number_page(0) + number_page(1)
    assert items.get_item(2) is first[0] and items.get_item(3) is first[1]
    assert recorder.mirror_matches()
    assert items.get_n_items() == 6


def test_items_model_with_max_pages_and_a_refetch_changing_one_page(client, clock):
    version = {1: "a"}

    def page(param):
        return [{"id": param * 10, "v": version.get(param, "a")},
                {"id": param * 10 + 1, "v": version.get(param, "a")}]

    query, server = numbered_query(client, last=9)
    server.page_func = page
    query.set_max_pages(3)
    items = query.get_items()
    pages = query.get_pages()
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    assert params_of(query) == [0, 1, 2]
    recorder = Recorder(items)
    page_recorder = Recorder(pages)
    kept_items = model_items(items)
    kept_pages = model_items(pages)

    # A refetch that changes only page 1 replaces only its items.
    version[1] = "b"
    query.refetch()
    clock.flush()
    assert [item["v"] for item in model_items(items)] == ["a", "a", "b", "b", "a", "a"]
    assert recorder.take() == [(2, 2, 2)]
    assert page_recorder.take() == [(1, 1, 1)]
    now = model_items(items)
    for i in (0, 1, 4, 5):
        assert now[i] is kept_items[i]
    assert pages.get_item(0) is kept_pages[0]
    assert pages.get_item(2) is kept_pages[2]
    assert pages.get_item(1) is not kept_pages[1]
    assert pages.get_item(1).get_data() == page(1)
    assert recorder.mirror_matches() and page_recorder.mirror_matches()

    # max-pages trimming: a removal at the start and an insertion at the end.
    query.fetch_next_page()
    clock.flush()
    assert params_of(query) == [1, 2, 3]
    emissions = recorder.take()
    assert sorted(emissions) in ([(0, 2, 0), (4, 0, 2)], [(0, 2, 0), (6, 0, 2)])
    assert recorder.mirror_matches()
    assert sorted(page_recorder.take()) in ([(0, 1, 0), (2, 0, 1)], [(0, 1, 0), (3, 0, 1)])
    assert page_recorder.mirror_matches()
    assert [item["id"] for item in model_items(items)] == [10, 11, 20, 21, 30, 31]


def test_pages_model_holds_page_objects(client, clock):
    query, server = numbered_query(client)
    pages = query.get_pages()
    assert pages.get_n_items() == 0
    recorder = Recorder(pages)
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    assert recorder.take() == [(0, 0, 1), (1, 0, 1)]
    assert pages.get_n_items() == 2
    page0, page1 = model_items(pages)
    assert isinstance(page0, Quarry.Page)
    assert page0.get_data() == number_page(0)
    assert page0.get_param() == 0
    assert page0.props.data == number_page(0)
    assert page0.props.param == 0
    assert page1.get_data() == number_page(1)
    assert page1.get_param() == 1


def test_items_member_picks_the_array_of_object_pages(client, clock):
    server = PageServer({0: {"results": [{"n": 1}, {"n": 2}], "total": 3}})
    query = Quarry.InfiniteQuery(client, ["objects"], server, retry=0, initial_page_param=0)
    query.set_items_member("results")
    clock.flush()
    assert item_values(query.get_items()) == [{"n": 1}, {"n": 2}]

    # A fetched page without the array fails its fetch.
    server.pages[0] = {"other": []}
    query.refetch()
    clock.flush()
    assert query.props.status == Quarry.Status.ERROR
    assert query.get_error().matches(Quarry.error_quark(), Quarry.Error.UNSUPPORTED_TYPE)
    assert item_values(query.get_items()) == [{"n": 1}, {"n": 2}]
    assert query.get_data() == infinite([{"results": [{"n": 1}, {"n": 2}], "total": 3}], [0])


def test_pages_that_are_not_lists_add_no_items(client, clock):
    server = PageServer({0: {"results": [1, 2]}})
    query = Quarry.InfiniteQuery(client, ["objects"], server, initial_page_param=0)
    clock.flush()
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_items().get_n_items() == 0
    assert query.get_pages().get_n_items() == 1


def test_json_item_alone():
    item = Quarry.JsonItem({"id": 4, "title": "x"})
    assert isinstance(item, Quarry.JsonItem)
    notified = []
    item.connect("notify::node", lambda i, p: notified.append(i.to_native()))
    assert item.get_member("title") == "x"
    assert item["title"] == "x"
    assert "title" in item
    assert item.get_member("missing") is None
    assert "missing" not in item
    with pytest.raises(KeyError):
        item["missing"]
    item.set_node({"id": 4, "title": "x"})
    assert notified == []
    item.set_node({"id": 4, "title": "y"})
    assert notified == [{"id": 4, "title": "y"}]
    assert item.to_native() == {"id": 4, "title": "y"}
    # props give the raw node.
    assert isinstance(item.props.node, Json.Node)
    assert Json.to_string(item.props.node, False) == '{"id":4,"title":"y"}'
    # A member that is JSON null is there, and reads as None.
    null = Quarry.JsonItem({"gone": None})
    assert "gone" in null
    assert null["gone"] is None


def test_items_of_list_model_pages(client, clock):
    from gi.repository import Gio

    query, server = idle_infinite_query(client, ["stores"])
    first = Gio.ListStore.new(Quarry.JsonItem)
    a, b = Quarry.JsonItem(1), Quarry.JsonItem(2)
    first.append(a)
    first.append(b)
    second = Gio.ListStore.new(Quarry.JsonItem)
    c = Quarry.JsonItem(3)
    second.append(c)
    data = Quarry.InfiniteData.new().append_page(first, 0).append_page(second, 1)
    assert data.get_page(0) is first
    assert client.set_query_data(["stores"], data)
    clock.flush()
    items = model_items(query.get_items())
    assert len(items) == 3
    assert items[0] is a and items[1] is b and items[2] is c
    assert [item.to_native() for item in items] == [1, 2, 3]
    assert query.get_data() == {"pages": [first, second], "pageParams": [0, 1]}


# --- writing the data ---------------------------------------------------------

def idle_infinite_query(client, k):
    """An infinite query that never fetches on its own."""
    server = PageServer(page_func=number_page, auto=False)
    query = Quarry.InfiniteQuery(client, k, server, stale_time=Quarry.TIME_INFINITE,
                                 initial_page_param=0)
    query.set_next_page_param_func(lambda page, data, param: param + 1 if param < 3 else None)
    return query, server


def test_set_query_data_with_infinite_data(client, clock):
    query, server = idle_infinite_query(client, ["feed"])
    data = Quarry.InfiniteData.new()
    data = data.append_page([{"id": 1}, {"id": 2}], 1)
    data = data.append_page([{"id": 3}], 2)
    assert client.set_query_data(["feed"], data)
    clock.flush()
    assert server.calls == []
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_infinite_data() == data
    assert query.get_data() == data.to_native()
    assert item_values(query.get_items()) == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert query.get_pages().get_n_items() == 2
    assert query.props.has_next_page

    server.auto = True
    query.fetch_next_page()
    clock.flush()
    assert server.calls == [(3, FORWARD)]
    assert params_of(query) == [1, 2, 3]
    assert not query.props.has_next_page


def test_set_query_data_with_a_plain_dict(client, clock):
    query, server = idle_infinite_query(client, ["feed"])
    assert client.set_query_data(["feed"], infinite([[{"id": 1}], [{"id": 2}, {"id": 3}]], [1, 2]))
    clock.flush()
    assert isinstance(query.get_infinite_data(), Quarry.InfiniteData)
    assert query.get_data() == infinite([[{"id": 1}], [{"id": 2}, {"id": 3}]], [1, 2])
    # The entry converted it: the cache holds InfiniteData.
    assert isinstance(raw_query_data(client, ["feed"]), Quarry.InfiniteData)
    assert item_values(query.get_items()) == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert query.props.has_next_page

    server.auto = True
    query.fetch_next_page()
    clock.flush()
    assert server.params() == [3]
    assert params_of(query)[-1] == 3


def test_set_query_data_refuses_other_shapes(client, clock):
    query, server = idle_infinite_query(client, ["feed"])
    client.set_query_data(["feed"], infinite([[{"id": 1}]], [1]))
    clock.flush()
    state = client.get_query_state(["feed"])
    updates = state.get_data_update_count()

    for value in ([{"id": 9}],
                  {"pages": [[1]]},
                  "not pages",
                  GObject.Value(GObject.TYPE_STRING, "not pages")):
        with pytest.raises(GLib.Error) as info:
            client.set_query_data(["feed"], value)
        assert info.value.matches(Quarry.error_quark(), Quarry.Error.UNSUPPORTED_TYPE)

    clock.flush()
    assert query.get_data() == infinite([[{"id": 1}]], [1])
    assert item_values(query.get_items()) == [{"id": 1}]
    assert client.get_query_state(["feed"]).get_data_update_count() == updates
    assert query.props.status == Quarry.Status.SUCCESS


def test_an_entry_stays_infinite(client, clock):
    query, server = idle_infinite_query(client, ["feed"])
    clock.flush()
    del query
    gc.collect()
    clock.flush()
    client.set_query_data(["feed"], infinite([[{"id": 1}]], [1]))
    stored = raw_query_data(client, ["feed"])
    assert isinstance(stored, Quarry.InfiniteData)
    assert stored.get_pages() == [[{"id": 1}]]
    assert client.get_query_data(["feed"]) == infinite([[{"id": 1}]], [1])
    # Still infinite: other shapes are refused.
    with pytest.raises(GLib.Error) as info:
        client.set_query_data(["feed"], [{"id": 9}])
    assert info.value.matches(Quarry.error_quark(), Quarry.Error.UNSUPPORTED_TYPE)


def test_a_plain_entry_keeps_such_json_as_it_is(client, clock):
    plain = infinite([[{"id": 1}]], [1])
    client.set_query_data(["plain"], plain)
    stored = raw_query_data(client, ["plain"])
    assert isinstance(stored, Json.Node)
    assert Json.to_string(stored, False) == '{"pages":[[{"id":1}]],"pageParams":[1]}'
    assert client.get_query_data(["plain"]) == plain
    # Still plain: another shape is taken.
    client.set_query_data(["plain"], [{"id": 9}])
    assert client.get_query_data(["plain"]) == [{"id": 9}]


# --- native usage, end to end --------------------------------------------------

POSTS = [{"id": n, "title": "post %d" % n} for n in range(1, 8)]


def posts_server(calls, fail_on=None):
    """A cursor-paginated API: the cursor is the id after which to list,
    3 posts a page; fail_on is the cursor whose fetch raises."""

    def fetch(context):
        cursor = context.get_page_param()
        calls.append(cursor)
        if cursor == fail_on:
            raise ConnectionError("server unreachable at cursor %s" % (cursor,))
        after = [post for post in POSTS if post["id"] > cursor]
        page = after[:3]
        return {"items": page, "next": page[-1]["id"] if len(after) > 3 else None}

    return fetch


def test_cursor_pagination_end_to_end(client, clock):
    calls = []
    query = Quarry.InfiniteQuery(client, ["posts", {"sort": "id"}], posts_server(calls),
                                 initial_page_param=0, retry=0)
    query.set_next_page_param_func(lambda page, data, param: page["next"])
    query.set_items_member("items")
    items = query.get_items()
    recorder = Recorder(items)

    clock.flush()
    assert query.props.status == Quarry.Status.SUCCESS
    rounds = 0
    while query.props.has_next_page:
        rounds += 1
        assert rounds < 10
        query.fetch_next_page()
        clock.flush()
    assert rounds == 2
    assert calls == [0, 3, 6]
    assert recorder.take() == [(0, 0, 3), (3, 0, 3), (6, 0, 1)]
    assert recorder.mirror_matches()

    assert query.get_data() == {
        "pages": [{"items": POSTS[0:3], "next": 3},
                  {"items": POSTS[3:6], "next": 6},
                  {"items": POSTS[6:7], "next": None}],
        "pageParams": [0, 3, 6],
    }
    assert all(isinstance(item, Quarry.JsonItem) for item in model_items(items))
    assert [item["id"] for item in model_items(items)] == [1, 2, 3, 4, 5, 6, 7]
    assert model_items(items)[4]["title"] == "post 5"
    assert [page.get_param() for page in model_items(query.get_pages())] == [0, 3, 6]
    assert client.get_query_data(["posts", {"sort": "id"}]) == query.get_data()
    # No next page: fetching one calls nothing.
    query.fetch_next_page()
    clock.flush()
    assert calls == [0, 3, 6]


def test_fetch_function_raising_on_page_two_keeps_page_one(client, clock):
    calls = []
    query = Quarry.InfiniteQuery(client, ["posts"], posts_server(calls, fail_on=3),
                                 initial_page_param=0, retry=0, items_member="items")
    query.set_next_page_param_func(lambda page, data, param: page["next"])
    clock.flush()
    first = query.get_data()
    assert first == infinite([{"items": POSTS[0:3], "next": 3}], [0])

    query.fetch_next_page()
    clock.flush()
    assert calls == [0, 3]
    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert error.matches(Quarry.error_quark(), Quarry.Error.FAILED)
    assert error.message == "server unreachable at cursor 3"
    assert query.props.is_fetch_next_page_error
    assert not query.props.is_refetch_error
    assert query.props.has_next_page
    assert query.get_data() == first
    assert [item["id"] for item in model_items(query.get_items())] == [1, 2, 3]


def test_set_query_data_on_an_infinite_key_with_a_dict(client, clock):
    calls = []
    query = Quarry.InfiniteQuery(client, ["posts"], posts_server(calls), initial_page_param=0,
                                 stale_time=Quarry.TIME_INFINITE, items_member="items")
    query.set_next_page_param_func(lambda page, data, param: page["next"])
    client.set_query_data(["posts"], {"pages": [{"items": POSTS[0:3], "next": 3}],
                                      "pageParams": [0]})
    clock.flush()
    assert calls == []
    assert query.props.status == Quarry.Status.SUCCESS
    assert [item["id"] for item in model_items(query.get_items())] == [1, 2, 3]
    assert query.props.has_next_page

    # TanStack's updater pattern: map over the pages of the previous data.
    def rename(old):
        assert old == infinite([{"items": POSTS[0:3], "next": 3}], [0])
        return {"pages": [{**page, "items": [{**post, "title": post["title"].upper()}
                                             for post in page["items"]]}
                          for page in old["pages"]],
                "pageParams": old["pageParams"]}

    client.set_query_data(["posts"], rename)
    clock.flush()
    assert [item["title"] for item in model_items(query.get_items())] == ["POST 1", "POST 2", "POST 3"]
    assert isinstance(raw_query_data(client, ["posts"]), Quarry.InfiniteData)

    # The next page continues from the written cursor.
    query.fetch_next_page()
    clock.flush()
    assert calls == [3]
    assert params_of(query) == [0, 3]
    assert [item["id"] for item in model_items(query.get_items())] == [1, 2, 3, 4, 5, 6]


def test_get_query_data_of_an_infinite_key(client, clock):
    calls = []
    assert client.get_query_data(["posts"]) is None
    query = Quarry.InfiniteQuery(client, ["posts"], posts_server(calls), initial_page_param=0)
    query.set_next_page_param_func(lambda page, data, param: page["next"])
    clock.flush()
    query.fetch_next_page()
    clock.flush()

    data = client.get_query_data(["posts"])
    assert isinstance(data, dict)
    assert data == {"pages": [{"items": POSTS[0:3], "next": 3}, {"items": POSTS[3:6], "next": 6}],
                    "pageParams": [0, 3]}
    # A tuple or a JSON string names the same entry.
    assert client.get_query_data(("posts",)) == data
    assert client.get_query_data('["posts"]') == data
    assert client.get_query_state(["posts"]).get_data() == data
    # The returned value is a copy: changing it changes nothing.
    data["pages"].clear()
    assert len(client.get_query_data(["posts"])["pages"]) == 2


# --- a real main loop ---------------------------------------------------------

def run_loop(loop, seconds=5):
    guard = GLib.timeout_add_seconds(seconds, loop.quit)
    loop.run()
    GLib.source_remove(guard)


def test_fetch_next_page_async_from_a_real_main_loop():
    client = Quarry.QueryClient.new()
    client.set_network_monitor(None)
    client.set_online(True)
    loop = GLib.MainLoop()
    calls = []

    def fetch(context):
        param = context.get_page_param()
        calls.append(param)

        def later():
            context.return_value(number_page(param))
            return GLib.SOURCE_REMOVE

        GLib.timeout_add(10, later)

    query = Quarry.InfiniteQuery(client, ["async-feed"], fetch, initial_page_param=0)
    query.set_next_page_param_func(lambda page, data, param: param + 1 if param < 1 else None)
    handler = query.connect("notify::status",
                            lambda q, p: loop.quit() if q.props.status != Quarry.Status.PENDING else None)
    run_loop(loop)
    query.disconnect(handler)
    assert query.props.status == Quarry.Status.SUCCESS
    assert calls == [0]

    results = []

    def done(query, result):
        try:
            results.append(query.fetch_next_page_finish(result))
        except GLib.Error as error:
            results.append(error)
        loop.quit()

    query.fetch_next_page_async(None, done)
    assert query.props.is_fetching_next_page
    run_loop(loop)
    assert len(results) == 1
    assert results[0] == infinite([number_page(0), number_page(1)], [0, 1])
    assert params_of(query) == [0, 1]
    assert not query.props.is_fetching_next_page

    # No next page: the stored data, without a fetch.
    query.fetch_next_page_async(None, done)
    run_loop(loop)
    assert len(results) == 2
    assert results[1] == infinite([number_page(0), number_page(1)], [0, 1])
    assert calls == [0, 1]
    client.clear()


def test_fetch_next_page_async_reports_the_error(client, clock):
    query, server = numbered_query(client)
    clock.flush()
    server.errors = {1}
    results = []

    def done(query, result):
        try:
            results.append(query.fetch_next_page_finish(result))
        except GLib.Error as error:
            results.append(error)

    query.fetch_next_page_async(None, done)
    clock.flush()
    assert len(results) == 1
    assert isinstance(results[0], GLib.Error)
    assert results[0].matches(TEST_DOMAIN, 3)
    assert params_of(query) == [0]

    server.errors = set()
    query.fetch_previous_page_async(None, done)
    clock.flush()
    assert len(results) == 2
    # No previous page below 0 (first defaults to 0).
    assert results[1] == infinite([number_page(0)], [0])


# --- a paginated (page-number) plain query -------------------------------------

def page_key(page):
    return ["projects", {"page": page}]


class ProjectServer:
    """A plain query's fetch function over page-number keys; each fetch
    waits in pending until complete()."""

    def __init__(self):
        self.calls = []
        self.pending = []

    def __call__(self, context):
        self.calls.append(context.get_key())
        self.pending.append(context)

    def complete(self):
        context = self.pending.pop(0)
        page = context.get_key()[1]["page"]
        context.return_value({"page": page, "items": number_page(page)})


def test_paginated_query_keeps_previous_data(client, clock):
    server = ProjectServer()
    query = Quarry.Query(client, page_key(0), server, keep_previous_data=True, stale_time=60_000)
    clock.flush()
    server.complete()
    clock.flush()
    assert query.get_data() == {"page": 0, "items": number_page(0)}
    assert not query.props.is_placeholder_data

    # Page 1: page 0 stays on show, as placeholder, while it loads.
    query.set_key(page_key(1))
    clock.flush()
    assert server.calls[-1] == ["projects", {"page": 1}]
    assert query.get_key() == ["projects", {"page": 1}]
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.props.is_placeholder_data
    assert query.props.is_fetching
    assert query.get_data() == {"page": 0, "items": number_page(0)}
    server.complete()
    clock.flush()
    assert not query.props.is_placeholder_data
    assert query.get_data() == {"page": 1, "items": number_page(1)}

    # Back to page 0, still fresh in the cache: shown at once, no fetch.
    n_calls = len(server.calls)
    query.set_key(page_key(0))
    assert not query.props.is_placeholder_data
    assert query.get_data()["page"] == 0
    clock.flush()
    assert len(server.calls) == n_calls
    assert not query.props.is_fetching


def test_prefetching_the_next_page_makes_the_switch_instant(client, clock):
    server = ProjectServer()
    query = Quarry.Query(client, page_key(1), server, keep_previous_data=True, stale_time=60_000)
    clock.flush()
    server.complete()
    clock.flush()
    assert query.get_data()["page"] == 1

    done = []
    client.prefetch_query_async(page_key(2), server, stale_time=60_000,
                                callback=lambda c, r: done.append(c.prefetch_query_finish(r)))
    clock.flush()
    assert server.calls[-1] == ["projects", {"page": 2}]
    server.complete()
    clock.flush()
    assert done == [None]
    assert client.get_query_data(page_key(2)) == {"page": 2, "items": number_page(2)}

    n_calls = len(server.calls)
    query.set_key(page_key(2))
    assert not query.props.is_placeholder_data
    assert query.get_data()["page"] == 2
    clock.flush()
    assert len(server.calls) == n_calls
    assert not query.props.is_fetching
    assert not query.props.is_placeholder_data
    assert query.get_data() == {"page": 2, "items": number_page(2)}
