# SPDX-License-Identifier: LGPL-2.1-or-later
"""Infinite queries from Python, through the typelib: Quarry.InfiniteQuery,
Quarry.InfiniteData, Quarry.Page and Quarry.JsonItem (docs/design.md,
"Infinite queries"; TanStack §1.9)."""
import json
import sys

import gi

gi.require_version("Quarry", "1.0")
gi.require_version("Json", "1.0")

import pytest
from gi.repository import GLib, GObject, Json, Quarry

from conftest import json_value, key

TEST_DOMAIN = GLib.quark_from_string("quarry-python-test")
FORWARD = Quarry.FetchDirection.FORWARD
BACKWARD = Quarry.FetchDirection.BACKWARD
NONE = Quarry.FetchDirection.NONE

# The override wrapping the page parameter functions (python/gi/overrides/
# Quarry.py) is loaded by "from gi.repository import Quarry" when it exists.
HAVE_OVERRIDE = "gi.overrides.Quarry" in sys.modules


# --- helpers -----------------------------------------------------------------

def to_json(node):
    return Json.to_string(node, False)


def plain(value):
    """A page, parameter or item as a plain Python value (JSON decoded)."""
    if isinstance(value, Json.Node):
        return json.loads(Json.to_string(value, False))
    return value


def page_list(data):
    """The pages of a Quarry.InfiniteData, as plain Python values."""
    if data is None:
        return None
    return [plain(data.get_page(i)) for i in range(data.get_n_pages())]


def param_list(data):
    if data is None:
        return None
    return [plain(data.get_page_param(i)) for i in range(data.get_n_pages())]


def model_items(model):
    return [model.get_item(i) for i in range(model.get_n_items())]


def item_values(model):
    """The items of an items model, each a Quarry.JsonItem, decoded."""
    values = []
    for item in model_items(model):
        assert isinstance(item, Quarry.JsonItem)
        values.append(plain(item.get_node()))
    return values


def number_page(param):
    """The page fetched with integer parameter @param: two items."""
    return [{"id": param * 10}, {"id": param * 10 + 1}]


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

    pages maps a page parameter to the page's JSON-able value. With auto,
    each fetch completes at once; otherwise its context waits in pending
    until complete() is called. Parameters in errors fail."""

    def __init__(self, pages=None, auto=True, page_func=None):
        self.pages = pages if pages is not None else {}
        self.page_func = page_func
        self.auto = auto
        self.errors = set()
        self.calls = []
        self.pending = []

    def __call__(self, context):
        param = plain(context.get_page_param())
        self.calls.append((param, context.get_direction()))
        if self.auto:
            self.answer(context)
        else:
            self.pending.append(context)

    def params(self):
        return [param for param, direction in self.calls]

    def answer(self, context):
        param = plain(context.get_page_param())
        if param in self.errors:
            context.return_error_literal(TEST_DOMAIN, 3, "page %s failed" % (param,))
        elif self.page_func is not None:
            context.return_json(json_value(json.dumps(self.page_func(param))))
        else:
            context.return_json(json_value(json.dumps(self.pages[param])))

    def complete(self, index=0):
        self.answer(self.pending.pop(index))


def numbered_query(client, k='["feed"]', first=0, last=3, previous=True, auto=True):
    """An infinite query over integer pages first..last, page n holding the
    items n*10 and n*10+1, starting at page 0 (or first when previous)."""
    server = PageServer(auto=auto, page_func=number_page)
    query = Quarry.InfiniteQuery.new(client, key(k), server)
    query.props.retry = 0
    query.set_initial_page_param(first if not previous else 0)

    def next_param(page, data, param):
        param = plain(param)
        return param + 1 if param < last else None

    def previous_param(page, data, param):
        param = plain(param)
        return param - 1 if param > first else None

    query.set_next_page_param_func(next_param)
    if previous:
        query.set_previous_page_param_func(previous_param)
    return query, server


# --- Quarry.InfiniteData ------------------------------------------------------

def test_infinite_data_is_an_immutable_list_of_pages_and_params():
    empty = Quarry.InfiniteData.new()
    assert empty.get_n_pages() == 0

    one = empty.append_page(json_value('[{"id": 1}]'), 1)
    assert empty.get_n_pages() == 0
    assert one.get_n_pages() == 1
    two = one.append_page(json_value('[{"id": 2}]'), 2)
    three = two.prepend_page(json_value('[{"id": 0}]'), 0)
    assert page_list(three) == [[{"id": 0}], [{"id": 1}], [{"id": 2}]]
    assert param_list(three) == [0, 1, 2]
    assert page_list(two) == [[{"id": 1}], [{"id": 2}]]

    replaced = three.replace_page(1, json_value('[{"id": 11}]'))
    assert page_list(replaced) == [[{"id": 0}], [{"id": 11}], [{"id": 2}]]
    assert param_list(replaced) == [0, 1, 2]

    middle = three.slice(1, 2)
    assert page_list(middle) == [[{"id": 1}], [{"id": 2}]]
    assert param_list(middle) == [1, 2]

    assert Quarry.InfiniteData.equal(middle, two)
    assert not Quarry.InfiniteData.equal(three, replaced)
    # Equal is by content, not identity.
    again = Quarry.InfiniteData.new().append_page(json_value('[{"id": 1}]'), 1)
    again = again.append_page(json_value('[{"id": 2}]'), 2)
    assert Quarry.InfiniteData.equal(again, two)
    # A different parameter makes the data different.
    other = Quarry.InfiniteData.new().append_page(json_value('[{"id": 1}]'), 1)
    other = other.append_page(json_value('[{"id": 2}]'), 3)
    assert not Quarry.InfiniteData.equal(other, two)


def test_infinite_data_json_round_trip():
    node = json_value('{"pages": [[{"id": 1}], {"items": [2]}], "pageParams": [null, "b"]}')
    data = Quarry.InfiniteData.new_from_json(node)
    assert data.get_n_pages() == 2
    assert page_list(data) == [[{"id": 1}], {"items": [2]}]
    assert param_list(data)[1] == "b"
    # A JSON null parameter is "no parameter".
    assert plain(data.get_page_param(0)) is None

    back = data.to_json()
    assert json.loads(to_json(back)) == {"pages": [[{"id": 1}], {"items": [2]}],
                                         "pageParams": [None, "b"]}
    assert Quarry.InfiniteData.equal(Quarry.InfiniteData.new_from_json(back), data)


@pytest.mark.parametrize("text", [
    '[1, 2]',
    '{"pages": [[1]]}',
    '{"pages": [[1], [2]], "pageParams": [0]}',
    '{"pages": 3, "pageParams": 4}',
])
def test_infinite_data_from_json_refuses_other_shapes(text):
    with pytest.raises(GLib.Error) as info:
        Quarry.InfiniteData.new_from_json(json_value(text))
    assert info.value.matches(Quarry.error_quark(), Quarry.Error.UNSUPPORTED_TYPE)


# --- loading, next and previous pages -----------------------------------------

def test_first_page_loads_with_the_initial_param(client, clock):
    query, server = numbered_query(client, previous=False)
    assert isinstance(query, Quarry.Query)
    assert query.get_initial_page_param() == 0
    assert query.props.status == Quarry.Status.PENDING
    assert query.get_data() is None
    assert not query.props.has_next_page
    assert not query.props.has_previous_page

    clock.flush()
    assert server.calls == [(0, FORWARD)]
    assert query.props.status == Quarry.Status.SUCCESS
    data = query.get_data()
    assert isinstance(data, Quarry.InfiniteData)
    assert page_list(data) == [number_page(0)]
    assert param_list(data) == [0]
    # The shown value is the InfiniteData too, and the cache holds it.
    shown = query.get_value()
    assert isinstance(shown, Quarry.InfiniteData)
    assert Quarry.InfiniteData.equal(shown, data)
    assert page_list(client.get_query_data(key('["feed"]'))) == [number_page(0)]

    assert query.props.has_next_page
    # No previous function: no previous page.
    assert not query.props.has_previous_page
    assert not query.props.is_fetching_next_page
    assert not query.props.is_fetching_previous_page
    assert not query.props.is_fetch_next_page_error
    assert not query.props.is_fetch_previous_page_error


def test_initial_param_can_be_a_string(client, clock):
    server = PageServer(pages={"start": ["a", "b"]})
    query = Quarry.InfiniteQuery.new(client, key('["letters"]'), server)
    query.set_initial_page_param("start")
    assert query.get_initial_page_param() == "start"
    clock.flush()
    assert server.params() == ["start"]
    assert param_list(query.get_data()) == ["start"]
    # Without a next function there is no next page.
    assert not query.props.has_next_page


def test_plain_query_context_has_no_page_param(client, clock):
    seen = []

    def fetch(context):
        seen.append((context.get_page_param(), context.get_direction()))
        context.return_json(json_value('[1]'))

    query = Quarry.Query.new(client, key('["plain"]'), fetch)
    clock.flush()
    assert seen == [(None, NONE)]
    assert query.props.status == Quarry.Status.SUCCESS


def test_fetch_next_page_appends_until_there_is_none(client, clock):
    query, server = numbered_query(client, last=2, previous=False)
    clock.flush()

    query.fetch_next_page()
    clock.flush()
    assert server.calls == [(0, FORWARD), (1, FORWARD)]
    assert page_list(query.get_data()) == [number_page(0), number_page(1)]
    assert param_list(query.get_data()) == [0, 1]
    assert query.props.has_next_page
    # A page fetch is not a refetch.
    assert not query.props.is_refetching

    query.fetch_next_page()
    clock.flush()
    assert param_list(query.get_data()) == [0, 1, 2]
    assert not query.props.has_next_page
    assert query.props.status == Quarry.Status.SUCCESS

    # No next parameter: the stored data stays, the fetch function is not called.
    before = query.get_data()
    query.fetch_next_page()
    clock.flush()
    assert len(server.calls) == 3
    assert Quarry.InfiniteData.equal(query.get_data(), before)
    assert query.props.status == Quarry.Status.SUCCESS


def test_next_page_function_sees_the_last_page_and_all_pages(client, clock):
    seen = []
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery.new(client, key('["feed"]'), server)
    query.set_initial_page_param(0)

    def next_param(page, data, param):
        seen.append((plain(page), data.get_n_pages(), plain(param)))
        return param + 1

    query.set_next_page_param_func(next_param)
    clock.flush()
    seen.clear()
    query.fetch_next_page()
    clock.flush()
    # The parameter of the next page comes from the last page (0) and the data.
    assert (number_page(0), 1, 0) in seen
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
    assert param_list(query.get_data()) == [0]

    server.complete()
    clock.flush()
    assert not query.props.is_fetching
    assert not query.props.is_fetching_next_page
    assert param_list(query.get_data()) == [0, 1]


def test_fetch_previous_page_prepends(client, clock):
    query, server = numbered_query(client, first=1, last=5, auto=False)
    query.set_initial_page_param(3)
    clock.flush()
    server.complete()
    clock.flush()
    assert param_list(query.get_data()) == [3]
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
    assert param_list(query.get_data()) == [2, 3]
    assert page_list(query.get_data()) == [number_page(2), number_page(3)]

    query.fetch_previous_page()
    clock.flush()
    server.complete()
    clock.flush()
    assert param_list(query.get_data()) == [1, 2, 3]
    assert not query.props.has_previous_page

    calls = len(server.calls)
    query.fetch_previous_page()
    clock.flush()
    assert len(server.calls) == calls
    assert server.pending == []
    assert param_list(query.get_data()) == [1, 2, 3]


def test_max_pages_drops_the_page_at_the_other_end(client, clock):
    query, server = numbered_query(client, last=5)
    query.set_max_pages(2)
    assert query.get_max_pages() == 2
    clock.flush()

    query.fetch_next_page()
    clock.flush()
    assert param_list(query.get_data()) == [0, 1]
    query.fetch_next_page()
    clock.flush()
    assert param_list(query.get_data()) == [1, 2]
    assert page_list(query.get_data()) == [number_page(1), number_page(2)]
    assert query.props.has_previous_page

    query.fetch_previous_page()
    clock.flush()
    assert param_list(query.get_data()) == [0, 1]
    assert page_list(query.get_data()) == [number_page(0), number_page(1)]

    # A refetch refetches only the stored pages.
    del server.calls[:]
    query.refetch()
    clock.flush()
    assert server.params() == [0, 1]
    assert param_list(query.get_data()) == [0, 1]


def test_has_next_page_is_memoised_per_data_update(client, clock):
    count = [0]
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery.new(client, key('["feed"]'), server)
    query.set_initial_page_param(0)

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
    query = Quarry.InfiniteQuery.new(client, key('["feed"]'), server)
    query.set_initial_page_param(0)
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
    query = Quarry.InfiniteQuery.new(client, key('["feed"]'), server)
    query.props.stale_time = Quarry.TIME_INFINITE
    query.set_initial_page_param(0)
    query.set_next_page_param_func(lambda page, data, param: plain(param) + 1)
    query.set_initial_data(GObject.Value(Json.Node, json_value(
        '{"pages": [[{"id": 50}], [{"id": 60}]], "pageParams": [5, 6]}')))
    clock.flush()
    assert server.calls == []
    data = query.get_data()
    assert isinstance(data, Quarry.InfiniteData)
    assert param_list(data) == [5, 6]
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
    assert param_list(query.get_data()) == [0]


def test_cancelling_a_page_fetch_keeps_the_pages(client, clock):
    query, server = numbered_query(client, auto=False)
    clock.flush()
    server.complete()
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    assert query.props.is_fetching_next_page
    context = server.pending[0]
    client.cancel_queries(Quarry.QueryFilter.new(key('["feed"]')))
    clock.flush()
    assert context.get_cancellable().is_cancelled()
    assert not query.props.is_fetching
    assert not query.props.is_fetching_next_page
    assert query.props.status == Quarry.Status.SUCCESS
    assert param_list(query.get_data()) == [0]


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
    assert param_list(query.get_data()) == [0]


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
    assert param_list(query.get_data()) == [0]
    assert query.props.status == Quarry.Status.SUCCESS


def test_queries_of_one_key_share_the_pages(client, clock):
    query, server = numbered_query(client)
    clock.flush()
    query.fetch_next_page()
    clock.flush()

    other = Quarry.InfiniteQuery.new(client, key('["feed"]'), server)
    other.props.stale_time = Quarry.TIME_INFINITE
    assert param_list(other.get_data()) == [0, 1]
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
    client.invalidate_queries(Quarry.QueryFilter.new(key('["feed"]')), Quarry.RefetchType.DEFAULT)
    clock.flush()
    assert server.calls == [(0, FORWARD), (1, FORWARD), (2, FORWARD)]
    assert param_list(query.get_data()) == [0, 1, 2]


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
    assert param_list(query.get_data()) == [0, 1]


def test_a_json_null_parameter_means_no_page(client, clock):
    server = PageServer({
        "start": {"items": [1], "next": "a"},
        "a": {"items": [2], "next": None},
    })
    query = Quarry.InfiniteQuery.new(client, key('["cursors"]'), server)
    query.set_initial_page_param("start")
    query.set_items_member("items")
    # Returns the "next" member itself: a JSON string, then a JSON null.
    query.set_next_page_param_func(lambda page, data, param: page.get_object().get_member("next"))
    clock.flush()
    assert query.props.has_next_page
    query.fetch_next_page()
    clock.flush()
    assert server.params() == ["start", "a"]
    assert not query.props.has_next_page
    query.fetch_next_page()
    clock.flush()
    assert server.params() == ["start", "a"]
    assert item_values(query.get_items()) == [1, 2]


# --- refetch ------------------------------------------------------------------

def cursor_query(client, server, k='["cursors"]'):
    query = Quarry.InfiniteQuery.new(client, key(k), server)
    query.props.retry = 0
    query.set_initial_page_param("start")
    query.set_items_member("items")
    assert query.get_items_member() == "items"
    query.set_next_page_param_func(lambda page, data, param: plain(page)["next"])
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
    assert param_list(query.get_data()) == ["start", "a", "b"]
    assert not query.props.has_next_page
    assert item_values(query.get_items()) == [1, 2, 3, 4, 5]
    old = query.get_data()

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
    assert Quarry.InfiniteData.equal(query.get_data(), old)
    server.complete()
    clock.flush()
    assert server.params() == ["start", "x", "y"]
    assert Quarry.InfiniteData.equal(query.get_data(), old)
    server.complete()
    clock.flush()
    # As many pages as were stored: "z" is not fetched.
    assert server.params() == ["start", "x", "y"]
    assert server.pending == []
    assert param_list(query.get_data()) == ["start", "x", "y"]
    assert page_list(query.get_data()) == [server.pages[p] for p in ("start", "x", "y")]
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
    assert param_list(query.get_data()) == ["start"]
    assert item_values(query.get_items()) == [9]
    assert not query.props.has_next_page


def test_failing_page_fails_the_whole_refetch_and_pages_stay(client, clock):
    query, server = numbered_query(client)
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    old = query.get_data()

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
    assert Quarry.InfiniteData.equal(query.get_data(), old)


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
    assert param_list(query.get_data()) == [0]
    assert item_values(query.get_items()) == number_page(0)
    assert query.props.has_next_page

    # The flag stays until the next fetch, which clears it.
    server.errors = set()
    query.fetch_next_page()
    clock.flush()
    assert query.props.status == Quarry.Status.SUCCESS
    assert not query.props.is_fetch_next_page_error
    assert param_list(query.get_data()) == [0, 1]


def test_error_on_a_previous_page(client, clock):
    query, server = numbered_query(client, first=-2)
    clock.flush()
    server.errors = {-1}
    query.fetch_previous_page()
    clock.flush()
    assert server.calls[-1] == (-1, BACKWARD)
    assert query.props.status == Quarry.Status.ERROR
    assert query.props.is_fetch_previous_page_error
    assert not query.props.is_fetch_next_page_error
    assert param_list(query.get_data()) == [0]


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
    assert param_list(query.get_data()) == [0, 1]


# --- page parameter functions that fail --------------------------------------

def test_next_page_function_raising_glib_error_fails_the_fetch(client, clock):
    broken = [False]
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery.new(client, key('["feed"]'), server)
    query.props.retry = 0
    query.set_initial_page_param(0)

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
    assert param_list(query.get_data()) == [0]


@pytest.mark.xfail(not HAVE_OVERRIDE, reason="python/gi/overrides/Quarry.py is missing")
def test_python_exception_in_next_page_function_becomes_page_param_error(client, clock):
    broken = [False]
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery.new(client, key('["feed"]'), server)
    query.props.retry = 0
    query.set_initial_page_param(0)

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
    assert "next" in error.message
    assert query.props.is_fetch_next_page_error
    assert param_list(query.get_data()) == [0]


@pytest.mark.xfail(not HAVE_OVERRIDE, reason="python/gi/overrides/Quarry.py is missing")
def test_python_exception_in_next_page_function_fails_a_refetch(client, clock):
    broken = [False]
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery.new(client, key('["feed"]'), server)
    query.props.retry = 0
    query.set_initial_page_param(0)

    def next_param(page, data, param):
        if broken[0]:
            raise ValueError("cursor next gone")
        return param + 1

    query.set_next_page_param_func(next_param)
    clock.flush()
    query.fetch_next_page()
    clock.flush()
    old = query.get_data()

    broken[0] = True
    del server.calls[:]
    query.refetch()
    clock.flush()
    # Page 0 was fetched; the parameter of page 1 failed the whole fetch.
    assert server.params() == [0]
    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert error.matches(Quarry.error_quark(), Quarry.Error.PAGE_PARAM)
    assert "cursor next gone" in error.message
    assert query.props.is_refetch_error
    assert Quarry.InfiniteData.equal(query.get_data(), old)


@pytest.mark.xfail(not HAVE_OVERRIDE, reason="python/gi/overrides/Quarry.py is missing")
def test_python_exception_in_previous_page_function(client, clock):
    server = PageServer(page_func=number_page)
    query = Quarry.InfiniteQuery.new(client, key('["feed"]'), server)
    query.props.retry = 0
    query.set_initial_page_param(0)
    query.set_next_page_param_func(lambda page, data, param: None)
    query.set_previous_page_param_func(lambda page, data, param: {}["previous"])
    clock.flush()
    # has-previous-page calls the function: it fails, the query shows the
    # error, the entry keeps its pages.
    assert query.props.status == Quarry.Status.ERROR
    error = query.get_error()
    assert error.matches(Quarry.error_quark(), Quarry.Error.PAGE_PARAM)
    assert "previous" in error.message
    assert not query.props.has_previous_page
    assert page_list(client.get_query_data(key('["feed"]'))) == [number_page(0)]


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
    assert to_json(first[0].get_node()) == '{"id":0}'
    assert to_json(first[1].get_node()) == '{"id":1}'
    assert to_json(first[1].get_member("id")) == "1"

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
    assert param_list(query.get_data()) == [0, 1, 2]
    recorder = Recorder(items)
    page_recorder = Recorder(pages)
    kept_items = model_items(items)
    kept_pages = model_items(pages)

    # A refetch that changes only page 1 replaces only its items.
    version[1] = "b"
    query.refetch()
    clock.flush()
    assert [plain(i.get_node())["v"] for i in model_items(items)] == ["a", "a", "b", "b", "a", "a"]
    assert recorder.take() == [(2, 2, 2)]
    assert page_recorder.take() == [(1, 1, 1)]
    now = model_items(items)
    for i in (0, 1, 4, 5):
        assert now[i] is kept_items[i]
    assert pages.get_item(0) is kept_pages[0]
    assert pages.get_item(2) is kept_pages[2]
    assert pages.get_item(1) is not kept_pages[1]
    assert recorder.mirror_matches() and page_recorder.mirror_matches()

    # max-pages trimming: a removal at the start and an insertion at the end.
    query.fetch_next_page()
    clock.flush()
    assert param_list(query.get_data()) == [1, 2, 3]
    emissions = recorder.take()
    assert sorted(emissions) in ([(0, 2, 0), (4, 0, 2)], [(0, 2, 0), (6, 0, 2)])
    assert recorder.mirror_matches()
    assert sorted(page_recorder.take()) in ([(0, 1, 0), (2, 0, 1)], [(0, 1, 0), (3, 0, 1)])
    assert page_recorder.mirror_matches()
    assert [plain(i.get_node())["id"] for i in model_items(items)] == [10, 11, 20, 21, 30, 31]


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
    assert plain(page0.get_data()) == number_page(0)
    assert page0.get_param() == 0
    assert plain(page1.get_data()) == number_page(1)
    assert page1.get_param() == 1


def test_items_member_picks_the_array_of_object_pages(client, clock):
    server = PageServer({0: {"results": [{"n": 1}, {"n": 2}], "total": 3}})
    query = Quarry.InfiniteQuery.new(client, key('["objects"]'), server)
    query.props.retry = 0
    query.set_initial_page_param(0)
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


def test_pages_that_are_not_lists_add_no_items(client, clock):
    server = PageServer({0: {"results": [1, 2]}})
    query = Quarry.InfiniteQuery.new(client, key('["objects"]'), server)
    query.set_initial_page_param(0)
    clock.flush()
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.get_items().get_n_items() == 0
    assert query.get_pages().get_n_items() == 1


def test_json_item_alone():
    item = Quarry.JsonItem.new(json_value('{"id": 4, "title": "x"}'))
    notified = []
    item.connect("notify::node", lambda i, p: notified.append(to_json(i.get_node())))
    assert to_json(item.get_member("title")) == '"x"'
    assert item.get_member("missing") is None
    item.set_node(json_value('{"id": 4, "title": "x"}'))
    assert notified == []
    item.set_node(json_value('{"id": 4, "title": "y"}'))
    assert notified == ['{"id":4,"title":"y"}']
    assert to_json(item.props.node) == '{"id":4,"title":"y"}'


def test_items_of_list_model_pages(client, clock):
    from gi.repository import Gio

    query, server = idle_infinite_query(client, '["stores"]')
    first = Gio.ListStore.new(Quarry.JsonItem)
    a, b = Quarry.JsonItem.new(json_value('1')), Quarry.JsonItem.new(json_value('2'))
    first.append(a)
    first.append(b)
    second = Gio.ListStore.new(Quarry.JsonItem)
    c = Quarry.JsonItem.new(json_value('3'))
    second.append(c)
    data = Quarry.InfiniteData.new().append_page(first, 0).append_page(second, 1)
    client.set_query_data(key('["stores"]'), data)
    clock.flush()
    items = model_items(query.get_items())
    assert len(items) == 3
    assert items[0] is a and items[1] is b and items[2] is c


# --- writing the data ---------------------------------------------------------

def idle_infinite_query(client, k):
    """An infinite query that never fetches on its own."""
    server = PageServer(page_func=number_page, auto=False)
    query = Quarry.InfiniteQuery.new(client, key(k), server)
    query.props.stale_time = Quarry.TIME_INFINITE
    query.set_initial_page_param(0)
    query.set_next_page_param_func(
        lambda page, data, param: plain(param) + 1 if plain(param) < 3 else None)
    return query, server


def test_set_query_data_with_infinite_data(client, clock):
    query, server = idle_infinite_query(client, '["feed"]')
    data = Quarry.InfiniteData.new()
    data = data.append_page(json_value('[{"id": 1}, {"id": 2}]'), 1)
    data = data.append_page(json_value('[{"id": 3}]'), 2)
    assert client.set_query_data(key('["feed"]'), data)
    clock.flush()
    assert server.calls == []
    assert query.props.status == Quarry.Status.SUCCESS
    assert Quarry.InfiniteData.equal(query.get_data(), data)
    assert item_values(query.get_items()) == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert query.get_pages().get_n_items() == 2
    assert query.props.has_next_page

    server.auto = True
    query.fetch_next_page()
    clock.flush()
    assert server.calls == [(3, FORWARD)]
    assert param_list(query.get_data()) == [1, 2, 3]
    assert not query.props.has_next_page


def test_set_query_data_with_a_json_object(client, clock):
    query, server = idle_infinite_query(client, '["feed"]')
    node = json_value('{"pages": [[{"id": 1}], [{"id": 2}, {"id": 3}]], "pageParams": [1, 2]}')
    assert client.set_query_data(key('["feed"]'), GObject.Value(Json.Node, node))
    clock.flush()
    data = query.get_data()
    assert isinstance(data, Quarry.InfiniteData)
    assert page_list(data) == [[{"id": 1}], [{"id": 2}, {"id": 3}]]
    assert param_list(data) == [1, 2]
    # The entry converted it: the cache holds InfiniteData.
    assert isinstance(client.get_query_data(key('["feed"]')), Quarry.InfiniteData)
    assert item_values(query.get_items()) == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert query.props.has_next_page

    server.auto = True
    query.fetch_next_page()
    clock.flush()
    assert server.params() == [3]
    assert param_list(query.get_data())[-1] == 3


def test_set_query_data_refuses_other_shapes(client, clock):
    query, server = idle_infinite_query(client, '["feed"]')
    node = json_value('{"pages": [[{"id": 1}]], "pageParams": [1]}')
    client.set_query_data(key('["feed"]'), GObject.Value(Json.Node, node))
    clock.flush()
    state = client.get_query_state(key('["feed"]'))
    updates = state.get_data_update_count()

    for value in (GObject.Value(Json.Node, json_value('[{"id": 9}]')),
                  GObject.Value(Json.Node, json_value('{"pages": [[1]]}')),
                  GObject.Value(GObject.TYPE_STRING, "not pages")):
        with pytest.raises(GLib.Error) as info:
            client.set_query_data(key('["feed"]'), value)
        assert info.value.matches(Quarry.error_quark(), Quarry.Error.UNSUPPORTED_TYPE)

    clock.flush()
    assert page_list(query.get_data()) == [[{"id": 1}]]
    assert item_values(query.get_items()) == [{"id": 1}]
    assert client.get_query_state(key('["feed"]')).get_data_update_count() == updates
    assert query.props.status == Quarry.Status.SUCCESS


def test_an_entry_stays_infinite(client, clock):
    import gc

    query, server = idle_infinite_query(client, '["feed"]')
    clock.flush()
    del query
    gc.collect()
    clock.flush()
    node = json_value('{"pages": [[{"id": 1}]], "pageParams": [1]}')
    client.set_query_data(key('["feed"]'), GObject.Value(Json.Node, node))
    stored = client.get_query_data(key('["feed"]'))
    assert isinstance(stored, Quarry.InfiniteData)
    assert page_list(stored) == [[{"id": 1}]]


def test_a_plain_entry_keeps_such_json_as_it_is(client, clock):
    node = json_value('{"pages": [[{"id": 1}]], "pageParams": [1]}')
    client.set_query_data(key('["plain"]'), GObject.Value(Json.Node, node))
    stored = client.get_query_data(key('["plain"]'))
    assert isinstance(stored, Json.Node)
    assert to_json(stored) == '{"pages":[[{"id":1}]],"pageParams":[1]}'


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
            context.return_json(json_value(json.dumps(number_page(param))))
            return GLib.SOURCE_REMOVE

        GLib.timeout_add(10, later)

    query = Quarry.InfiniteQuery.new(client, key('["async-feed"]'), fetch)
    query.set_initial_page_param(0)
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
    assert isinstance(results[0], Quarry.InfiniteData)
    assert param_list(results[0]) == [0, 1]
    assert page_list(results[0]) == [number_page(0), number_page(1)]
    assert param_list(query.get_data()) == [0, 1]
    assert not query.props.is_fetching_next_page

    # No next page: the stored data, without a fetch.
    query.fetch_next_page_async(None, done)
    run_loop(loop)
    assert len(results) == 2
    assert isinstance(results[1], Quarry.InfiniteData)
    assert param_list(results[1]) == [0, 1]
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
    assert param_list(query.get_data()) == [0]

    server.errors = set()
    query.fetch_previous_page_async(None, done)
    clock.flush()
    assert len(results) == 2
    # No previous page below 0 (first defaults to 0).
    assert isinstance(results[1], Quarry.InfiniteData)
    assert param_list(results[1]) == [0]


# --- a paginated (page-number) plain query -------------------------------------

def test_paginated_query_keeps_previous_data_and_prefetches(client, clock):
    calls = []
    pending = []

    def fetch(context):
        k = context.get_key()
        calls.append(k.to_string())
        pending.append(context)

    def complete():
        context = pending.pop(0)
        page = json.loads(context.get_key().to_string())[1]["page"]
        context.return_json(json_value(json.dumps({"page": page, "items": number_page(page)})))

    def page_key(page):
        return key('["projects", {"page": %d}]' % page)

    query = Quarry.Query.new(client, page_key(0), fetch)
    query.props.keep_previous_data = True
    query.props.stale_time = 60_000
    clock.flush()
    complete()
    clock.flush()
    assert plain(query.get_value())["page"] == 0
    assert not query.props.is_placeholder_data

    # Page 1: page 0 stays on show, as placeholder, while it loads.
    query.set_key(page_key(1))
    clock.flush()
    assert calls[-1] == '["projects",{"page":1}]'
    assert query.props.status == Quarry.Status.SUCCESS
    assert query.props.is_placeholder_data
    assert query.props.is_fetching
    assert plain(query.get_value())["page"] == 0
    complete()
    clock.flush()
    assert not query.props.is_placeholder_data
    assert plain(query.get_value())["page"] == 1

    # Prefetching page 2 makes the switch instant.
    done = []
    # (PyGObject hands the fetch data to the function when it is named.)
    client.prefetch_query_async(page_key(2), lambda context, *data: fetch(context),
                                options=Quarry.QueryOptions(stale_time=60_000),
                                callback=lambda c, r: done.append(c.prefetch_query_finish(r)))
    clock.flush()
    assert calls[-1] == '["projects",{"page":2}]'
    complete()
    clock.flush()
    assert done == [None]
    assert plain(client.get_query_data(page_key(2)))["page"] == 2

    n_calls = len(calls)
    query.set_key(page_key(2))
    assert not query.props.is_placeholder_data
    assert plain(query.get_value())["page"] == 2
    clock.flush()
    assert len(calls) == n_calls
    assert not query.props.is_fetching
    assert not query.props.is_placeholder_data
    assert plain(query.get_value())["page"] == 2
