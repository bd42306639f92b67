# SPDX-License-Identifier: LGPL-2.1-or-later
"""The QuarryGtk overrides: types known to GtkBuilder on import, keys and
values as plain Python values."""
from gi.repository import Quarry


def test_builder_knows_the_types_after_import(gtk):
    builder = gtk.Gtk.Builder.new_from_string(
        '<interface><object class="QuarryPaginationBar" id="bar"/>'
        '<object class="QuarryFetchingIndicator" id="spinner"/></interface>', -1)
    assert isinstance(builder.get_object("bar"), gtk.QuarryGtk.PaginationBar)
    assert isinstance(builder.get_object("spinner"), gtk.QuarryGtk.FetchingIndicator)


def test_pagination_bar_takes_a_list_key_and_a_plain_has_more_func(gtk, client, clock):
    pages = []

    def fetch(context):
        page = context.get_key()[-1]
        pages.append(page)
        return {"items": [page], "more": page < 2}

    seen = []
    query = Quarry.Query(client, ["todos", "page", 1], fetch)
    bar = gtk.QuarryGtk.PaginationBar()
    bar.set_base_key(("todos", "page"))
    assert bar.get_base_key() == ["todos", "page"]
    bar.set_has_more_func(lambda data: seen.append(data) or data["more"])
    bar.set_query(query)
    clock.flush()
    assert query.get_data() == {"items": [1], "more": True}
    assert seen[-1] == {"items": [1], "more": True}
    assert bar.get_has_more()

    bar.next_page()
    clock.flush()
    assert query.get_key() == ["todos", "page", 2]
    assert query.get_data() == {"items": [2], "more": False}
    assert not bar.get_has_more()
    assert pages == [1, 2]


def test_mutation_button_takes_plain_variables(gtk, client, clock):
    received = []
    mutation = Quarry.Mutation(client, ["add"], lambda context, variables: received.append(variables) or variables)
    button = gtk.QuarryGtk.MutationButton.new_with_label(mutation, "Add")
    button.set_variables({"title": "Buy milk", "tags": ["home"]})
    assert button.get_variables() == {"title": "Buy milk", "tags": ["home"]}

    button.emit("clicked")
    clock.flush()
    assert received == [{"title": "Buy milk", "tags": ["home"]}]
    assert mutation.props.is_success

    button.set_variables(None)
    assert button.get_variables() is None


def test_constructor_keywords_take_plain_values(gtk, client):
    bar = gtk.QuarryGtk.PaginationBar(base_key=["todos", "page"], first_page=0)
    assert bar.get_base_key() == ["todos", "page"]
    assert bar.get_first_page() == 0
    mutation = Quarry.Mutation(client, ["add"], lambda context, variables: variables)
    button = gtk.QuarryGtk.MutationButton(mutation=mutation, variables={"title": "Buy milk"})
    assert button.get_variables() == {"title": "Buy milk"}
    assert button.get_mutation() is mutation
