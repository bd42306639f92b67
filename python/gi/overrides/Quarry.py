# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyGObject overrides for Quarry.

With them, Python code uses Quarry with plain Python values:

- keys are lists or tuples (of str, int, float, bool, None, dict and list),
  or JSON strings, anywhere a ``Quarry.Key`` is taken; keys read back as
  lists (``Quarry.Key`` itself compares equal to, and iterates like, a list);
- data, variables, page parameters and optimistic values are ``dict``,
  ``list``, ``str``, ``int`` (64-bit), ``float``, ``bool`` or ``None``, stored
  as JSON; GObjects and ``Json.Node`` pass through unchanged;
- fetch and mutation functions return their result; an exception raised in
  a fetch, mutation, select, page parameter, optimistic value or thread
  function becomes the query's or mutation's error with its message kept
  (``Quarry.Error.FAILED``; a ``GLib.Error`` keeps its own domain and code),
  one raised in an updater or a filter predicate propagates out of the call
  that ran it, and one raised in a retry function is logged and means no
  retry (the default back-off for a retry delay function);
- filters and options can be given as keyword arguments, and ``retry``
  takes TanStack's forms (True, False, a number, a function);
- ``bind_property()`` of a property holding data gives plain values.

Everything the typelib offers stays reachable: ``props`` and the signals of
objects other than ``Quarry.Mutation`` give the raw values.
"""
import functools

from gi.module import get_introspection_module
from gi.overrides import override
from gi.repository import GLib, GObject, Json

from ._quarry.callbacks import (Raised, error_from, fetch_func as _fetch_func, first_native as _first_native,
                                mutation_func as _mutation_func, raising_glib_error, retry_delay_func,
                                retry_func, value_func as _value_func)
from ._quarry.props import PropsDescriptor as _PropsDescriptor, bind_value_property
from ._quarry.values import DOMAIN, key_list as _key_list, out_value, to_json, to_key as _key, to_native, to_value

Quarry = get_introspection_module("Quarry")

__all__ = ["to_json", "to_value", "to_native"]


def _export(cls):
    cls = override(cls)
    __all__.append(cls.__name__)
    return cls


# --- mixins ------------------------------------------------------------------

def _call_with(func, user_data, binding, value):
    return func(binding, value, user_data)


class _KeyProperty:
    """get_key() as a list, set_key() of any key form."""

    def get_key(self):
        return _key_list(super().get_key())

    def set_key(self, key):
        super().set_key(_key(key))


class _ValueBindings:
    """bind_property() of data properties with plain values (see
    _quarry.props.bind_value_property)."""

    def bind_property(self, source_property, target, target_property,
                      flags=GObject.BindingFlags.DEFAULT, transform_to=None, transform_from=None,
                      user_data=None):
        if not self._holds_value(source_property):
            return super().bind_property(source_property, target, target_property, flags,
                                         transform_to, transform_from, user_data)
        if user_data is not None:
            transform_to = transform_to and functools.partial(_call_with, transform_to, user_data)
            transform_from = transform_from and functools.partial(_call_with, transform_from, user_data)
        return bind_value_property(self, source_property, target, target_property, flags,
                                   transform_to, transform_from)

    @classmethod
    def _holds_value(cls, name):
        descriptor = next(c.__dict__["props"] for c in cls.__mro__ if "props" in c.__dict__)
        return isinstance(descriptor, _PropsDescriptor) and descriptor.holds_value(name)


# --- keys --------------------------------------------------------------------

@_export
class Key(Quarry.Key):
    """A query key. It compares equal to the list it was made from, iterates
    like it, and ``list(key)`` or ``key.to_list()`` gives that list."""

    def __new__(cls, segments):
        return _key(segments)

    def __init__(self, *args):
        pass

    def to_list(self):
        return _key_list(self)

    def __eq__(self, other):
        if isinstance(other, (Quarry.Key, list, tuple)):
            try:
                return Quarry.Key.equal(self, _key(other))
            except GLib.Error:
                return False
        return NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return hash(self.to_string())

    def __iter__(self):
        return iter(self.to_list())

    def __len__(self):
        return self.get_length()

    def __getitem__(self, index):
        return self.to_list()[index]

    def __repr__(self):
        return f"Quarry.Key({self.to_list()!r})"

    def __str__(self):
        return self.to_string()

    def matches(self, filter, exact=False):
        return super().matches(_key(filter), exact)

    def equal(self, other):
        return super().equal(_key(other))


# --- data containers ---------------------------------------------------------

@_export
class InfiniteData(Quarry.InfiniteData):
    """An infinite query's pages. ``get_pages()`` and ``get_page_params()``
    give plain lists; ``to_native()`` TanStack's ``{"pages", "pageParams"}``."""

    @classmethod
    def new_from_json(cls, node):
        return super().new_from_json(to_json(node))

    def _check_index(self, index):
        if not 0 <= index < self.get_n_pages():
            raise IndexError(f"page {index} of {self.get_n_pages()}")

    def get_page(self, index):
        self._check_index(index)
        return to_native(super().get_page(index))

    def get_page_param(self, index):
        self._check_index(index)
        return to_native(super().get_page_param(index))

    def __iter__(self):
        return iter(self.get_pages())

    def __getitem__(self, index):
        return self.get_pages()[index]

    def get_pages(self):
        return [self.get_page(i) for i in range(self.get_n_pages())]

    def get_page_params(self):
        return [self.get_page_param(i) for i in range(self.get_n_pages())]

    def append_page(self, page, param=None):
        return super().append_page(to_value(page), None if param is None else to_value(param))

    def prepend_page(self, page, param=None):
        return super().prepend_page(to_value(page), None if param is None else to_value(param))

    def replace_page(self, index, page):
        return super().replace_page(index, to_value(page))

    def to_native(self):
        return to_native(self)

    def __len__(self):
        return self.get_n_pages()

    def __eq__(self, other):
        if isinstance(other, Quarry.InfiniteData):
            return Quarry.InfiniteData.equal(self, other)
        if isinstance(other, dict):
            return self.to_native() == other
        return NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None


@_export
class Page(_ValueBindings, Quarry.Page):
    props = _PropsDescriptor(values=("data", "param"))

    def get_data(self):
        return to_native(super().get_data())

    def get_param(self):
        return to_native(super().get_param())


@_export
class JsonItem(Quarry.JsonItem):
    """A JSON object item of a list model; ``item["title"]`` reads a member."""

    def __new__(cls, node=None):
        return Quarry.JsonItem.new(to_json(node if node is not None else {}))

    def __init__(self, *args, **kwargs):
        pass

    def get_member(self, name):
        return to_native(super().get_member(name))

    def set_node(self, node):
        super().set_node(to_json(node))

    def to_native(self):
        return to_native(self.get_node())

    def __getitem__(self, name):
        node = super().get_member(name)
        if node is None:
            raise KeyError(name)
        return to_native(node)

    def __contains__(self, name):
        return super().get_member(name) is not None


@_export
class KeyedListModel(Quarry.KeyedListModel):
    """A list model of a query's list with one stable item per id. The id
    function gets each element as a plain value and may return any value
    (made a string); ``lookup()`` takes an int or a str id."""

    def set_id_func(self, func, *user_data):
        if func is None:
            super().set_id_func(None)
            return

        def call(node, *args):
            result = func(to_native(node), *args)
            return None if result is None else str(result)

        super().set_id_func(call, *user_data)

    def lookup(self, id):
        return super().lookup(str(id))


@_export
class QueryState(Quarry.QueryState):
    def get_value(self):
        return to_native(super().get_value())

    get_data = get_value


@_export
class MutationState(Quarry.MutationState):
    def get_value(self):
        return to_native(super().get_value())

    get_data = get_value

    def get_variables(self):
        return to_native(super().get_variables())

    def get_context(self):
        return to_native(super().get_context())

    def get_mutation_key(self):
        return _key_list(super().get_mutation_key())


@_export
class Restorer(Quarry.Restorer):
    def get_key(self):
        return _key_list(super().get_key())

    def commit(self, confirmed=None):
        super().commit(None if confirmed is None else to_value(confirmed))


# --- fetching ----------------------------------------------------------------

@_export
class FetchContext(Quarry.FetchContext):
    """What a fetch function gets. A fetch function may return its data, or
    keep the context and call ``return_value()`` or ``return_error()`` later."""

    def get_key(self):
        return _key_list(super().get_key())

    def get_variables(self):
        return to_native(super().get_variables())

    def get_page_param(self):
        return to_native(super().get_page_param())

    def return_value(self, value):
        if isinstance(value, Json.Node):
            super().return_json(value)
        else:
            super().return_value(to_value(value))

    def return_json(self, node):
        super().return_json(to_json(node))

    def return_error(self, error):
        """Completes the fetch with @error, a GLib.Error or any exception."""
        error = error_from(error)
        super().return_error_literal(GLib.quark_from_string(error.domain), error.code, error.message)

    def run_in_thread(self, func, *user_data):
        """Runs func(cancellable, *user_data) in a worker thread; what it
        returns is the fetch's data, what it raises its error."""

        def call(cancellable, *args):
            result = func(cancellable, *args)
            if result is None:
                raise GLib.Error("The thread function returned None", DOMAIN, int(Quarry.Error.NO_RESULT))
            return out_value(result)

        super().run_in_thread(raising_glib_error(call, Quarry.Error.FAILED), *user_data)


@_export
class HttpEndpoint(Quarry.HttpEndpoint):
    def mutate(self, context, variables):
        super().mutate(context, None if variables is None else to_value(variables))


# --- options and filters -----------------------------------------------------

def _set_props(obj, values):
    for name, value in values.items():
        obj.set_property(name.replace("_", "-"), value)


def _options(options, values, cls):
    """@options with @values (keyword arguments) applied to a copy, or new
    options of @cls made from @values."""
    if not values:
        return options
    if options is not None:
        raise TypeError("give either options or keyword arguments, not both")
    return cls(**values)


def _query_options(options=None, **values):
    return _options(options, values, QueryOptions)


def _mutation_options(options=None, **values):
    return _options(options, values, MutationOptions)


@_export
class QueryOptions(Quarry.QueryOptions):
    """Options for set_query_defaults() and the fetch shortcuts:
    ``Quarry.QueryOptions(stale_time=60_000, retry=False)``."""

    def __init__(self, **props):
        retry_func, delay_func = _pop_retry(props)
        if retry_func is not None or delay_func is not None:
            raise TypeError("retry and retry_delay functions are set on a Query or on "
                            "MutationOptions, not on QueryOptions")
        super().__init__(**props)


@_export
class QueryFilter(_KeyProperty, Quarry.QueryFilter):
    """Which cache entries an operation applies to:
    ``Quarry.QueryFilter(key=["todos"], exact=True, predicate=func)``."""

    props = _PropsDescriptor(keys=("key",))

    def __init__(self, key=None, predicate=None, type=None, stale=None, **props):
        if type is not None:
            props["query_type"] = type
        if stale is not None:
            props["staleness"] = Quarry.Staleness.STALE if stale else Quarry.Staleness.FRESH
        super().__init__(**props)
        if key is not None:
            self.set_key(key)
        if predicate is not None:
            self.set_predicate(predicate)

    @classmethod
    def new(cls, key=None):
        return cls(key=key)

    def set_predicate(self, predicate, *user_data):
        """predicate(key, state) -> bool, with key as a list. An exception
        it raises propagates out of the client method using the filter."""
        if predicate is None:
            super().set_predicate(None)
            return
        self._quarry_raised = Raised()
        super().set_predicate(self._quarry_raised.wrap(
            lambda key, *args: bool(predicate(_key_list(key), *args))), *user_data)


@_export
class MutationFilter(_KeyProperty, Quarry.MutationFilter):
    """Which mutations an operation applies to:
    ``Quarry.MutationFilter(key=["todos"], status=Quarry.MutationStatus.PENDING)``."""

    props = _PropsDescriptor(keys=("key",))

    def __init__(self, key=None, predicate=None, **props):
        super().__init__(**props)
        if key is not None:
            self.set_key(key)
        if predicate is not None:
            self.set_predicate(predicate)

    @classmethod
    def new(cls, key=None):
        return cls(key=key)

    def set_predicate(self, predicate, *user_data):
        """predicate(state) -> bool. An exception it raises propagates out of
        the client method using the filter."""
        if predicate is None:
            super().set_predicate(None)
            return
        self._quarry_raised = Raised()
        super().set_predicate(self._quarry_raised.wrap(lambda *args: bool(predicate(*args))), *user_data)


def _check_predicate(filter):
    """Raises again what the filter's predicate raised during a call."""
    raised = getattr(filter, "_quarry_raised", None)
    if raised is not None:
        raised.check()


def _query_filter(filter=None, **values):
    """A QueryFilter from a filter, a key, or keyword arguments."""
    if filter is not None and not isinstance(filter, Quarry.QueryFilter):
        if "key" in values:
            raise TypeError("give the key once, as the filter or as key=")
        values["key"] = filter
        filter = None
    if not values:
        return filter
    if filter is not None:
        raise TypeError("give either a filter or keyword arguments, not both")
    return QueryFilter(**values)


def _mutation_filter(filter=None, **values):
    if filter is not None and not isinstance(filter, Quarry.MutationFilter):
        if "key" in values:
            raise TypeError("give the key once, as the filter or as key=")
        values["key"] = filter
        filter = None
    if not values:
        return filter
    if filter is not None:
        raise TypeError("give either a filter or keyword arguments, not both")
    return MutationFilter(**values)


@_export
class MutationOptions(Quarry.MutationOptions):
    """A mutation's options: ``Quarry.MutationOptions(mutation_func=add,
    retry=3)``; ``retry`` and ``retry_delay`` may be functions."""

    def __init__(self, mutation_func=None, **props):
        retry_func, delay_func = _pop_retry(props)
        super().__init__(**props)
        if mutation_func is not None:
            self.set_mutation_func(mutation_func)
        if retry_func is not None:
            self.set_retry_func(retry_func)
        if delay_func is not None:
            self.set_retry_delay_func(delay_func)

    def set_retry_func(self, func, *user_data):
        super().set_retry_func(func and retry_func(func), *user_data)

    def set_retry_delay_func(self, func, *user_data):
        super().set_retry_delay_func(func and retry_delay_func(func), *user_data)

    def set_mutation_func(self, func, *user_data):
        super().set_mutation_func(_mutation_func(func), *user_data)

    def add_invalidate_key(self, key):
        super().add_invalidate_key(_key(key))


@_export
class OptimisticUpdate(_KeyProperty, Quarry.OptimisticUpdate):
    """A declarative optimistic update of a mutation:
    ``Quarry.OptimisticUpdate(Quarry.OptimisticKind.UPSERT, ["todos"],
    value_func=lambda todo: {**todo, "id": -1})``."""

    props = _PropsDescriptor(keys=("key",))

    def __init__(self, kind=Quarry.OptimisticKind.SET, key=None, key_func=None, value_func=None, **props):
        super().__init__(kind=kind, **props)
        if key is not None:
            self.set_key(key)
        if key_func is not None:
            self.set_key_func(key_func)
        if value_func is not None:
            self.set_value_func(value_func)

    @classmethod
    def new(cls, kind, key=None):
        return cls(kind, key)

    def set_key_func(self, func, *user_data):
        """func(variables) -> key (a list), or None to skip the update."""
        if func is None:
            super().set_key_func(None)
            return

        def call(variables, *args):
            return _key(func(to_native(variables), *args))

        super().set_key_func(call, *user_data)

    def set_value_func(self, func, *user_data):
        """func(variables) -> the data, item or id the update writes."""
        if func is None:
            super().set_value_func(None)
            return
        super().set_value_func(_value_func(func, Quarry.Error.FAILED, _first_native), *user_data)

    def apply(self, client, variables=None):
        return super().apply(client, None if variables is None else to_value(variables))


# --- queries -----------------------------------------------------------------

def _split_props(cls, values):
    """Splits keyword arguments into GObject properties of @cls and the rest."""
    names = {spec.name.replace("-", "_") for spec in cls.list_properties()}
    props = {name: value for name, value in values.items() if name in names}
    rest = {name: value for name, value in values.items() if name not in names}
    return props, rest


_QUERY_VALUE_PROPS = ("placeholder_data", "initial_data", "initial_page_param")


def _pop_retry(props):
    """Takes TanStack's forms of ``retry`` and ``retry_delay`` out of @props:
    True (retry forever), False (never) and functions, the latter returned as
    (retry_func, retry_delay_func)."""
    retry = props.get("retry")
    if isinstance(retry, bool):
        props["retry"] = Quarry.RETRY_INFINITE if retry else 0
    retry_func = props.pop("retry") if callable(retry) else None
    delay_func = props.pop("retry_delay") if callable(props.get("retry_delay")) else None
    return retry_func, delay_func


@_export
class Query(_ValueBindings, _KeyProperty, Quarry.Query):
    """A query: ``Quarry.Query(client, ["todos"], fetch, stale_time=5000)``,
    where ``fetch(context)`` returns the data (or completes the context
    later). ``get_data()`` gives the data as plain Python values."""

    props = _PropsDescriptor(values=("data", "placeholder_data", "initial_data"), keys=("key",))

    def __init__(self, client=None, key=None, fetch_func=None, **props):
        for name in _QUERY_VALUE_PROPS:
            if props.get(name) is not None:
                props[name] = to_value(props[name])
        select = props.pop("select", None)
        retry_func, delay_func = _pop_retry(props)
        if client is not None:
            props["client"] = client
        super().__init__(**props)
        if fetch_func is not None:
            self.set_fetch_func(fetch_func)
        if select is not None:
            self.set_select_func(select)
        if retry_func is not None:
            self.set_retry_func(retry_func)
        if delay_func is not None:
            self.set_retry_delay_func(delay_func)
        if key is not None:
            self.set_key(key)

    @classmethod
    def new(cls, client, key, fetch_func=None, *user_data):
        return super().new(client, _key(key), _fetch_func(fetch_func), *user_data)

    def set_fetch_func(self, fetch_func, *user_data):
        super().set_fetch_func(_fetch_func(fetch_func), *user_data)

    def set_select_func(self, select_func, *user_data):
        """select_func(data) -> what the query shows (None shows as None)."""
        if select_func is None:
            super().set_select_func(None)
            return

        def select(data, *args):
            selected = select_func(data, *args)
            return to_json(None) if selected is None else selected

        super().set_select_func(_value_func(select, Quarry.Error.SELECT, _first_native), *user_data)

    def set_retry_func(self, func, *user_data):
        """func(failure_count, error) -> whether to retry; an exception it
        raises is logged and means no retry."""
        super().set_retry_func(func and retry_func(func), *user_data)

    def set_retry_delay_func(self, func, *user_data):
        """func(failure_count, error) -> the delay in ms; an exception it
        raises is logged and means the default back-off."""
        super().set_retry_delay_func(func and retry_delay_func(func), *user_data)

    def get_value(self):
        return to_native(super().get_value())

    def get_data(self):
        """The data the query shows, as plain Python values, or None."""
        return self.get_value()

    def get_placeholder_data(self):
        return to_native(super().get_placeholder_data())

    def set_placeholder_data(self, value):
        super().set_placeholder_data(None if value is None else to_value(value))

    def get_initial_data(self):
        return to_native(super().get_initial_data())

    def set_initial_data(self, value):
        super().set_initial_data(None if value is None else to_value(value))

    def refetch_finish(self, result):
        return to_native(super().refetch_finish(result))


@_export
class InfiniteQuery(Quarry.InfiniteQuery, Query):
    """An infinite query. ``fetch(context)`` reads
    ``context.get_page_param()``; the page parameter functions are
    ``func(page, data, page_param) -> next parameter or None``, with @page
    and @page_param plain values and @data a ``Quarry.InfiniteData``."""

    props = _PropsDescriptor(values=("data", "placeholder_data", "initial_data", "initial_page_param"),
                             keys=("key",))

    def __init__(self, client=None, key=None, fetch_func=None, next_page_param=None,
                 previous_page_param=None, **props):
        super().__init__(client, None, fetch_func, **props)
        if next_page_param is not None:
            self.set_next_page_param_func(next_page_param)
        if previous_page_param is not None:
            self.set_previous_page_param_func(previous_page_param)
        if key is not None:
            self.set_key(key)

    @classmethod
    def new(cls, client, key, fetch_func=None, *user_data):
        return Quarry.InfiniteQuery.new(client, _key(key), _fetch_func(fetch_func), *user_data)

    def _param_func(self, func):
        def call(page, data, page_param, *args):
            return func(to_native(page), data, to_native(page_param), *args)

        return _value_func(call, Quarry.Error.PAGE_PARAM, lambda args: args)

    def set_next_page_param_func(self, func, *user_data):
        Quarry.InfiniteQuery.set_next_page_param_func(
            self, None if func is None else self._param_func(func), *user_data)

    def set_previous_page_param_func(self, func, *user_data):
        Quarry.InfiniteQuery.set_previous_page_param_func(
            self, None if func is None else self._param_func(func), *user_data)

    def get_initial_page_param(self):
        return to_native(Quarry.InfiniteQuery.get_initial_page_param(self))

    def set_initial_page_param(self, param):
        Quarry.InfiniteQuery.set_initial_page_param(self, None if param is None else to_value(param))

    def get_data(self):
        """The pages as ``{"pages": [...], "pageParams": [...]}``, or what
        the select function made of them, or None."""
        return self.get_value()

    def get_infinite_data(self):
        """The pages as a ``Quarry.InfiniteData``, or None."""
        return Quarry.InfiniteQuery.get_data(self)

    def fetch_next_page_finish(self, result):
        return to_native(Quarry.InfiniteQuery.fetch_next_page_finish(self, result))

    def fetch_previous_page_finish(self, result):
        return to_native(Quarry.InfiniteQuery.fetch_previous_page_finish(self, result))


# --- the client --------------------------------------------------------------

@_export
class QueryClient(Quarry.QueryClient):
    """The cache. Keys are lists; data is plain Python values; filters are a
    key or keyword arguments: ``client.invalidate_queries(["todos"])``,
    ``client.remove_queries(key=["todos"], exact=True)``."""

    def get_query_data(self, key):
        return to_native(super().get_query_data(_key(key)))

    def get_query_state(self, key):
        return super().get_query_state(_key(key))

    def set_query_data(self, key, data):
        """Writes @data, or what ``data(previous)`` returns if it is callable
        (TanStack's updater; returning None leaves the entry unchanged)."""
        if callable(data) and not isinstance(data, (GObject.Object, GObject.Value)):
            return self.set_query_data_with_updater(key, data)
        return super().set_query_data(_key(key), to_value(data))

    def set_query_data_with_updater(self, key, func, *user_data):
        """func(previous) -> the new data, or None to leave the entry as it
        is. An exception it raises propagates, and nothing changes."""
        raised = []

        def call(previous, *args):
            try:
                return out_value(func(to_native(previous), *args))
            except Exception as exception:  # noqa: BLE001 - raised again below
                raised.append(exception)
                return None

        changed = super().set_query_data_with_updater(_key(key), call, *user_data)
        if raised:
            raise raised[0]
        return changed

    def set_query_defaults(self, key, options=None, **values):
        super().set_query_defaults(_key(key), _query_options(options, **values))

    def set_mutation_defaults(self, key, options=None, **values):
        """Options for the mutations whose key starts with @key, given as
        options or as keyword arguments (``mutation_func=``, ``retry=``...)."""
        super().set_mutation_defaults(_key(key), _mutation_options(options, **values))

    def _filtered(self, method, filter, values, *args):
        filter = _query_filter(filter, **values)
        result = method(self, filter, *args)
        _check_predicate(filter)
        return result

    def count_fetching(self, filter=None, **values):
        return self._filtered(Quarry.QueryClient.count_fetching, filter, values)

    def find_keys(self, filter=None, **values):
        """The keys of the matching entries, each a list."""
        return [_key_list(key) for key in self._filtered(Quarry.QueryClient.find_keys, filter, values)]

    def invalidate_queries(self, filter=None, refetch_type=Quarry.RefetchType.DEFAULT, **values):
        self._filtered(Quarry.QueryClient.invalidate_queries, filter, values, refetch_type)

    def refetch_queries(self, filter=None, **values):
        self._filtered(Quarry.QueryClient.refetch_queries, filter, values)

    def refetch_queries_async(self, filter=None, cancellable=None, callback=None, *user_data, **values):
        self._filtered(Quarry.QueryClient.refetch_queries_async, filter, values,
                       cancellable, callback, *user_data)

    def cancel_queries(self, filter=None, **values):
        self._filtered(Quarry.QueryClient.cancel_queries, filter, values)

    def remove_queries(self, filter=None, **values):
        self._filtered(Quarry.QueryClient.remove_queries, filter, values)

    def reset_queries(self, filter=None, **values):
        self._filtered(Quarry.QueryClient.reset_queries, filter, values)

    def _fetch_async(self, method, key, fetch_func, options, cancellable, callback, user_data, values):
        fetch = _fetch_func(fetch_func)
        if callback is not None and user_data:
            done = callback

            def callback(client, result, *ignored):
                done(client, result, *user_data)

        # By keyword, as the fetch function's data comes before the options;
        # PyGObject then passes that data (None) to the fetch function.
        method(self, key=_key(key), fetch_func=fetch and (lambda context, *ignored: fetch(context)),
               options=_query_options(options, **values), cancellable=cancellable, callback=callback)

    def fetch_query_async(self, key, fetch_func, options=None, cancellable=None, callback=None,
                          *user_data, **values):
        self._fetch_async(Quarry.QueryClient.fetch_query_async, key, fetch_func, options,
                          cancellable, callback, user_data, values)

    def fetch_query_finish(self, result):
        return to_native(super().fetch_query_finish(result))

    def prefetch_query_async(self, key, fetch_func, options=None, cancellable=None, callback=None,
                             *user_data, **values):
        self._fetch_async(Quarry.QueryClient.prefetch_query_async, key, fetch_func, options,
                          cancellable, callback, user_data, values)

    def ensure_query_data_async(self, key, fetch_func, options=None, cancellable=None, callback=None,
                                *user_data, **values):
        self._fetch_async(Quarry.QueryClient.ensure_query_data_async, key, fetch_func, options,
                          cancellable, callback, user_data, values)

    def ensure_query_data_finish(self, result):
        return to_native(super().ensure_query_data_finish(result))

    def count_mutating(self, filter=None, **values):
        filter = _mutation_filter(filter, **values)
        count = super().count_mutating(filter)
        _check_predicate(filter)
        return count

    def find_mutations(self, filter=None, **values):
        filter = _mutation_filter(filter, **values)
        states = list(super().find_mutations(filter))
        _check_predicate(filter)
        return states

    def optimistic_set(self, key, value, updating_member=None):
        return super().optimistic_set(_key(key), to_value(value), updating_member)

    def optimistic_upsert(self, key, item, id_member="id", updating_member=None):
        return super().optimistic_upsert(_key(key), to_json(item), id_member, updating_member)

    def optimistic_delete(self, key, id, id_member="id", updating_member=None):
        return super().optimistic_delete(_key(key), to_json(id), id_member, updating_member)


# --- mutations ---------------------------------------------------------------

_MUTATION_SIGNALS = {"mutate", "success", "error", "settled"}


def _native_args(args):
    return tuple(to_native(arg) if isinstance(arg, (Json.Node, Quarry.InfiniteData)) else arg
                 for arg in args)


@_export
class Mutation(_ValueBindings, Quarry.Mutation):
    """A mutation: ``Quarry.Mutation(client, ["todos", "add"], add)`` where
    ``add(context, variables)`` returns the result (or completes the context
    later). The handlers of ``mutate``, ``success``, ``error`` and
    ``settled`` get plain Python values, and what a ``mutate`` handler
    returns is the context the others get, as TanStack's ``onMutate``."""

    props = _PropsDescriptor(values=("data", "variables", "context"), keys=("mutation_key",))

    def __init__(self, client=None, mutation_key=None, mutation_func=None, **props):
        if client is not None:
            props["client"] = client
        props, options = _split_props(Quarry.Mutation, props)
        retry_func, delay_func = _pop_retry(options)
        super().__init__(**props)
        if mutation_key is not None:
            self.set_mutation_key(mutation_key)
        if mutation_func is not None:
            self.get_options().set_mutation_func(_mutation_func(mutation_func))
        _set_props(self.get_options(), options)
        if retry_func is not None:
            self.get_options().set_retry_func(retry_func)
        if delay_func is not None:
            self.get_options().set_retry_delay_func(delay_func)

    @classmethod
    def new(cls, client, mutation_key, mutation_func=None, *user_data):
        return super().new(client, _key(mutation_key), _mutation_func(mutation_func), *user_data)

    def get_mutation_key(self):
        return _key_list(super().get_mutation_key())

    def set_mutation_key(self, mutation_key):
        super().set_mutation_key(_key(mutation_key))

    def get_value(self):
        return to_native(super().get_value())

    def get_data(self):
        """What the last run returned, as plain Python values, or None."""
        return self.get_value()

    def get_variables(self):
        return to_native(super().get_variables())

    def get_context(self):
        return to_native(super().get_context())

    def mutate(self, variables=None, callback=None, *user_data,
               on_success=None, on_error=None, on_settled=None):
        """Runs the mutation with @variables. @callback(mutation, data,
        error, variables, context), or the TanStack-style @on_success(data,
        variables, context), @on_error(error, variables, context) and
        @on_settled(data, error, variables, context), run once when this
        call's run settles."""
        if callback is not None and (on_success or on_error or on_settled):
            raise TypeError("give either callback or on_success/on_error/on_settled, not both")
        if on_success or on_error or on_settled:
            def callback(mutation, data, error, vars, context, *args):
                if error is None and on_success is not None:
                    on_success(data, vars, context)
                if error is not None and on_error is not None:
                    on_error(error, vars, context)
                if on_settled is not None:
                    on_settled(data, error, vars, context)

        if callback is not None:
            done = callback

            def callback(mutation, *args):
                return done(mutation, *_native_args(args))

        super().mutate(None if variables is None else to_value(variables), callback, *user_data)

    def mutate_async(self, variables=None, cancellable=None, callback=None, *user_data):
        super().mutate_async(None if variables is None else to_value(variables),
                             cancellable, callback, *user_data)

    def mutate_finish(self, result):
        return to_native(super().mutate_finish(result))

    def _handler(self, signal, handler):
        name = signal.split("::", 1)[0].replace("_", "-")
        if name not in _MUTATION_SIGNALS:
            return handler

        @functools.wraps(handler)
        def call(mutation, *args):
            result = handler(mutation, *_native_args(args))
            if name == "mutate":
                return None if result is None else to_value(result)
            return result

        return call

    def connect(self, signal, handler, *args):
        return super().connect(signal, self._handler(signal, handler), *args)

    def connect_after(self, signal, handler, *args):
        return super().connect_after(signal, self._handler(signal, handler), *args)

    def connect_data(self, signal, handler, *data, **kwargs):
        return super().connect_data(signal, self._handler(signal, handler), *data, **kwargs)

    def connect_object(self, signal, handler, gobject, *args):
        return super().connect_object(signal, self._handler(signal, handler), gobject, *args)

    def connect_object_after(self, signal, handler, gobject, *args):
        return super().connect_object_after(signal, self._handler(signal, handler), gobject, *args)
