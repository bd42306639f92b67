# SPDX-License-Identifier: LGPL-2.1-or-later
"""Quarry.KeyedListModel from Python, through the overrides: a query's
plain-value list shown with one stable item per id (docs/lists.md)."""
import gi

gi.require_version("Quarry", "1.0")

import pytest
from gi.repository import Gio, GObject, Quarry


def todos(*items):
    return [{"id": i, "title": t, "done": d} for i, t, d in items]


@pytest.fixture
def query(client):
    client.set_query_data(["todos"], todos((1, "Milk", False), (2, "Bread", True), (3, "Eggs", False)))
    query = Quarry.Query(client, ["todos"], lambda context: [])
    query.props.stale_time = 2**62
    return query


class Changes:
    def __init__(self, model):
        self.log = []
        model.connect("items-changed", lambda m, p, r, a: self.log.append((p, r, a)))

    def take(self):
        log, self.log = self.log, []
        return log


def test_items_read_naturally(query):
    model = Quarry.KeyedListModel.new(query, GObject.TYPE_NONE)
    assert isinstance(model, Gio.ListModel)
    assert model.get_item_type() == Quarry.JsonItem.__gtype__
    assert model.props.n_items == len(model) == 3
    assert [item["title"] for item in model] == ["Milk", "Bread", "Eggs"]
    assert model[1].get_boolean("done") is True
    assert model[0].get_string("title") == "Milk"
    assert model[2].get_int("id") == 3
    assert model[0].to_native() == {"id": 1, "title": "Milk", "done": False}
    item, position = model.lookup(2)
    assert item["title"] == "Bread" and position == 1
    item, position = model.lookup("3")
    assert position == 2
    assert model.lookup("nope")[0] is None


def test_items_stable_across_set_query_data(client, query):
    model = Quarry.KeyedListModel(query=query)
    changes = Changes(model)
    milk, bread, eggs = list(model)
    notified = []
    bread.connect("changed::title", lambda item, member: notified.append(member))

    # Bread's title changes: the same object, updated in place, no list change.
    client.set_query_data(["todos"], todos((1, "Milk", False), (2, "Rye bread", True), (3, "Eggs", False)))
    assert changes.take() == []
    assert list(model) == [milk, bread, eggs]
    assert bread["title"] == "Rye bread"
    assert notified == ["title"]

    # A reorder, a removal and an insertion keep the items of the ids that stay.
    client.set_query_data(["todos"], todos((3, "Eggs", False), (1, "Milk", False), (4, "Tea", False)))
    assert changes.take() == [(0, 3, 3)]
    items = list(model)
    assert items[0] is eggs and items[1] is milk
    assert items[2]["title"] == "Tea"
    assert model.props.n_skipped == 0


def test_id_func_gets_plain_values(client, query):
    model = Quarry.KeyedListModel.new(query, GObject.TYPE_NONE)
    seen = []

    def id_of(element, prefix):
        seen.append(element)
        return f"{prefix}{element['title'].lower()}"

    model.set_id_func(id_of, "todo:")
    assert len(model) == 3
    assert {"id": 1, "title": "Milk", "done": False} in seen
    item, position = model.lookup("todo:eggs")
    assert item["id"] == 3 and position == 2

    # Elements that are not objects, and ids from a number.
    client.set_query_data(["todos"], ["a", "b", "a", 7])
    model.set_id_func(lambda element: element)
    assert [item.to_native() for item in model] == ["a", "b", 7]
    assert model.props.n_skipped == 1
    assert model.lookup(7)[1] == 2

    model.set_id_func(None)
    assert len(model) == 0


class Todo(GObject.Object):
    __gtype_name__ = "PyKeyedTodo"

    id = GObject.Property(type=GObject.TYPE_INT64)
    title = GObject.Property(type=str)
    done = GObject.Property(type=bool, default=False)


def test_python_item_type(client, query):
    model = Quarry.KeyedListModel.new(query, Todo.__gtype__)
    milk = model[0]
    assert isinstance(milk, Todo)
    assert (milk.id, milk.title, milk.done) == (1, "Milk", False)

    notified = []
    milk.connect("notify", lambda item, pspec: notified.append(pspec.name))
    client.set_query_data(["todos"], todos((1, "Oat milk", True), (2, "Bread", True), (3, "Eggs", False)))
    assert model[0] is milk
    assert milk.title == "Oat milk" and milk.done is True
    assert sorted(notified) == ["done", "title"]


def test_query_swap_and_none(client, query):
    client.set_query_data(["other"], todos((3, "Eggs", False), (9, "Jam", False)))
    other = Quarry.Query(client, ["other"], lambda context: [])
    other.props.stale_time = 2**62
    model = Quarry.KeyedListModel(query=query)
    eggs = model[2]
    changes = Changes(model)

    model.props.query = other
    assert model[0] is eggs
    assert [item["title"] for item in model] == ["Eggs", "Jam"]
    assert changes.take() == [(0, 2, 0), (1, 0, 1)]

    model.set_query(None)
    assert len(model) == 0
    assert changes.take() == [(0, 2, 0)]
