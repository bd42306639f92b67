# SPDX-License-Identifier: LGPL-2.1-or-later
import functools

from gi.repository import GObject, Quarry

from . import VERSION
from .i18n import _

# Every list is cached under ["todos", {filters}]: ["todos", {}] is all of
# them, ["todos", {"q": "milk", "done": False}] the open ones whose title has
# "milk" in it. The filters become the query string of GET /todos.
TODOS_KEY = ["todos"]
# The mutations run one after another, in the order they were asked for.
SCOPE_ID = "todos"


def list_key(search="", done=None):
    """The key of the list of todos whose title contains @search (all of
    them if empty) and whose done is @done (either if None)."""
    filters = {}
    if search:
        filters["q"] = search
    if done is not None:
        filters["done"] = done
    return ["todos", filters]


def matches(todo, filters):
    """Whether the server would list @todo under @filters."""
    if "done" in filters and todo.get("done") != filters["done"]:
        return False
    search = filters.get("q")
    return not search or search.casefold() in todo.get("title", "").casefold()


def _put(items, filters, todo):
    """@items with @todo in place of the item with its id, or inserted where
    the server would list it (by id; new todos with a temporary, negative id
    last), or without it if it does not match @filters."""
    keep = matches(todo, filters)
    result = []
    replaced = False
    for item in items:
        if item.get("id") == todo["id"]:
            if keep:
                result.append(todo)
                replaced = True
        else:
            result.append(item)
    if keep and not replaced:
        if todo["id"] < 0:
            result.append(todo)
        else:
            position = next((i for i, item in enumerate(result)
                             if item.get("id", 0) < 0 or item.get("id", 0) > todo["id"]), len(result))
            result.insert(position, todo)
    return result


def _remove(items, filters, todo_id, found=None):
    """@items without the item @todo_id, which is added to @found."""
    result = [item for item in items if item.get("id") != todo_id]
    if len(result) == len(items):
        return items
    if found is not None:
        found.extend(item for item in items if item.get("id") == todo_id)
    return result


def _patch(items, filters, todo_id, changes, found):
    """@items with @changes made to the item @todo_id, which is added to
    @found as it was; without it if it no longer matches @filters."""
    for item in items:
        if item.get("id") == todo_id:
            found.append(item)
            return _put(items, filters, {**item, **changes})
    return items


def _replace(items, filters, todo_id, todo):
    """@items with @todo in place of the item @todo_id (a temporary id)."""
    return _put(_remove(items, filters, todo_id), filters, todo)


def _confirmed(todo):
    """@todo without the marker of a pending change."""
    return {name: value for name, value in todo.items() if name != "saving"}


def _changed_list(data, filters, change):
    """A list's data, {"items": [...], "total": N}, with @change applied to
    its items, or None to leave it as it is."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return None
    items = change(data["items"], filters)
    if items is data["items"]:
        return None
    total = data.get("total", len(data["items"])) + len(items) - len(data["items"])
    return {**data, "items": items, "total": max(total, 0)}


def _reason(error):
    return error.message if error is not None else _("Unknown error")


class TodoApi(GObject.Object):
    """The demo server's REST API, for a window: the list query and the
    mutations that add, toggle and delete todos.

    Each mutation is optimistic, as TanStack's onMutate: the lists on show
    change at once, the changed todo marked "saving" until the server has
    answered; a failure takes the change back out of the lists it was made
    in and emits ::failed with a message for the user. Once the last
    pending mutation has settled, every list under ["todos"] is
    invalidated, so what is shown is the server's again. (The last one
    only: a refetch while another change is pending would show the list
    without that change for a moment.) The mutations share a scope, so
    they reach the server in the order they were made.

    The lists are {"items": [...], "total": N} objects, which
    Quarry.OptimisticUpdate cannot change (it knows JSON arrays and objects
    keyed by id), so the optimistic updates are written by hand, with
    QueryClient.set_query_data()."""

    __gtype_name__ = "QuarryTodoPyApi"

    __gsignals__ = {
        # A mutation failed and was rolled back; the argument is a
        # translated message for the user.
        "failed": (GObject.SignalFlags.RUN_LAST, None, (str,)),
    }

    def __init__(self, base_uri, client=None):
        super().__init__()
        self.client = client if client is not None else Quarry.QueryClient()
        self.http = Quarry.HttpClient.new(base_uri)
        self.http.set_user_agent(f"quarry-todo.py/{VERSION}")
        self._list_endpoint = self.http.endpoint("GET", "/todos")
        self._next_temporary_id = -1

        self.add_mutation = self._mutation(["todos", "add"], "POST", "/todos",
                                           self._on_add_mutate, self._on_add_success, self._on_add_error)
        self.toggle_mutation = self._mutation(["todos", "toggle"], "PATCH", "/todos/{id}",
                                              self._on_toggle_mutate, self._on_saved, self._on_toggle_error)
        self.delete_mutation = self._mutation(["todos", "delete"], "DELETE", "/todos/{id}",
                                              self._on_delete_mutate, None, self._on_delete_error)

    def _mutation(self, key, method, path, on_mutate, on_success, on_error):
        mutation = Quarry.Mutation(self.client, key, self.http.endpoint(method, path).mutate, scope_id=SCOPE_ID)
        mutation.connect("mutate", on_mutate)
        if on_success is not None:
            mutation.connect("success", on_success)
        mutation.connect("error", on_error)
        mutation.connect("settled", self._on_settled)
        return mutation

    # --- the list ------------------------------------------------------------

    def list_query(self, key):
        """A query of GET /todos under @key (see list_key()). It keeps the
        previous list on show while the list of a new key loads."""
        return Quarry.Query(self.client, key, self._list_endpoint.fetch, keep_previous_data=True)

    def _shown_lists(self):
        """The keys of the lists some query shows. Only those change at
        once; the others are refetched when shown again (they are
        invalidated when the mutations have settled)."""
        return [key for key in self.client.find_keys(key=TODOS_KEY, type=Quarry.QueryType.ACTIVE)
                if len(key) == 2 and isinstance(key[1], dict)]

    def _update_lists(self, change, keys=None):
        """Applies change(items, filters) to the lists of @keys (by default
        the lists shown); gives the keys. A refetch of a list in flight
        would bring the list as it was before the change: those are
        cancelled first."""
        keys = self._shown_lists() if keys is None else keys
        self.client.cancel_queries(TODOS_KEY)
        for key in keys:
            self.client.set_query_data(key, functools.partial(_changed_list, filters=key[1], change=change))
        return keys

    # --- adding --------------------------------------------------------------

    def add_todo(self, title):
        """POST /todos. The todo shows at once with a temporary, negative id,
        and takes the server's id when it answers."""
        self.add_mutation.mutate({"title": title, "done": False})

    def _on_add_mutate(self, mutation, variables):
        temporary_id = self._next_temporary_id
        self._next_temporary_id -= 1
        todo = {**variables, "id": temporary_id, "saving": True}
        keys = self._update_lists(functools.partial(_put, todo=todo))
        return {"temporary_id": temporary_id, "keys": keys}

    def _on_add_success(self, mutation, todo, variables, context):
        self._update_lists(functools.partial(_replace, todo_id=context["temporary_id"], todo=todo))

    def _on_add_error(self, mutation, error, variables, context):
        self._update_lists(functools.partial(_remove, todo_id=context["temporary_id"]), context["keys"])
        self.emit("failed", _("Could not add “{title}”: {reason}").format(
            title=variables["title"], reason=_reason(error)))

    # --- marking done --------------------------------------------------------

    def set_done(self, todo_id, done):
        """PATCH /todos/{id} with {"done": done}."""
        self.toggle_mutation.mutate({"id": todo_id, "done": done})

    def _on_toggle_mutate(self, mutation, variables):
        found = []
        keys = self._update_lists(functools.partial(_patch, todo_id=variables["id"], found=found,
                                                    changes={"done": variables["done"], "saving": True}))
        return {"previous": _confirmed(found[0]) if found else None, "keys": keys}

    def _on_saved(self, mutation, todo, variables, context):
        self._update_lists(functools.partial(_put, todo=todo))

    def _on_toggle_error(self, mutation, error, variables, context):
        previous = context["previous"]
        if previous is not None:
            self._update_lists(functools.partial(_put, todo=previous), context["keys"])
        title = previous["title"] if previous is not None else str(variables["id"])
        if variables["done"]:
            message = _("Could not mark “{title}” as done: {reason}")
        else:
            message = _("Could not mark “{title}” as not done: {reason}")
        self.emit("failed", message.format(title=title, reason=_reason(error)))

    # --- deleting ------------------------------------------------------------

    def delete_todo(self, todo_id):
        """DELETE /todos/{id}. The todo disappears at once, and comes back if
        the server refuses."""
        self.delete_mutation.mutate({"id": todo_id})

    def _on_delete_mutate(self, mutation, variables):
        found = []
        keys = self._update_lists(functools.partial(_remove, todo_id=variables["id"], found=found))
        return {"previous": _confirmed(found[0]) if found else None, "keys": keys}

    def _on_delete_error(self, mutation, error, variables, context):
        previous = context["previous"]
        if previous is not None:
            self._update_lists(functools.partial(_put, todo=previous), context["keys"])
        title = previous["title"] if previous is not None else str(variables["id"])
        self.emit("failed", _("Could not delete “{title}”: {reason}").format(title=title, reason=_reason(error)))

    # --- settling ------------------------------------------------------------

    def _on_settled(self, mutation, data, error, variables, context):
        # This run is still counted while its ::settled runs.
        if self.client.count_mutating(key=TODOS_KEY) <= 1:
            self.client.invalidate_queries(TODOS_KEY)
