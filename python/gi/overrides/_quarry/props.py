# SPDX-License-Identifier: LGPL-2.1-or-later
"""``props`` of Quarry objects with data and keys as Python values."""
from gi.repository import GObject

from .values import key_list, to_key, to_native, to_value


RAW_PROPS = next(c for c in GObject.Object.__mro__ if "props" in c.__dict__).__dict__["props"]


class _Props:
    """An object's ``props`` with Quarry's values and keys as Python values."""

    __slots__ = ("_raw", "_values", "_keys")

    def __init__(self, raw, values, keys):
        object.__setattr__(self, "_raw", raw)
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "_keys", keys)

    def __getattr__(self, name):
        value = getattr(self._raw, name)
        if name in self._values:
            return to_native(value)
        if name in self._keys:
            return key_list(value)
        return value

    def __setattr__(self, name, value):
        if name in self._values and value is not None:
            value = to_value(value)
        elif name in self._keys:
            value = to_key(value)
        setattr(self._raw, name, value)

    def __dir__(self):
        return dir(self._raw)

    def __iter__(self):
        return iter(self._raw)


class PropsDescriptor:
    """Gives ``obj.props`` as _Props: the properties named in @values hold
    data (GValues), those in @keys hold a Quarry.Key."""

    def __init__(self, values=(), keys=()):
        self.values = frozenset(values)
        self.keys = frozenset(keys)

    def holds_value(self, name):
        return name.replace("-", "_") in self.values

    def __get__(self, obj, cls=None):
        raw = RAW_PROPS.__get__(obj, cls)
        return raw if obj is None else _Props(raw, self.values, self.keys)


class _Mirror(GObject.Object):
    """A plain-value copy of a Quarry object's data property, for bindings."""

    __gtype_name__ = "QuarryPythonValueMirror"
    # PyGObject registers no GType for classes of gi.overrides modules.
    __module__ = "quarry_python"

    value = GObject.Property(type=object)


def bind_value_property(source, name, target, target_property, flags, transform_to, transform_from):
    """Binds the data property @name of @source (a GValue) to @target.

    PyGObject 3.42 crashes passing an unset GValue-typed property to a
    transform function, and would pass a set one as a Json.Node. The binding
    reads a mirror holding the plain value instead. The source's notify
    handler holds the mirror; it is disconnected when the binding goes
    (unbind(), or the target finalized)."""
    attribute = name.replace("-", "_")
    mirror = _Mirror()
    updating = False

    def update(obj, *args):
        nonlocal updating
        updating = True
        try:
            mirror.props.value = getattr(obj.props, attribute)
        finally:
            updating = False

    update(source)
    handler = source.connect(f"notify::{name.replace('_', '-')}", update)
    source_ref = source.weak_ref()
    if flags & GObject.BindingFlags.BIDIRECTIONAL:
        def write_back(*args):
            obj = source_ref()
            if obj is not None and not updating:
                setattr(obj.props, attribute, mirror.props.value)

        mirror.connect("notify::value", write_back)
    if transform_to is None:
        def transform_to(binding, value):
            return value
    if transform_from is None and flags & GObject.BindingFlags.BIDIRECTIONAL:
        def transform_from(binding, value):
            return value
    binding = mirror.bind_property("value", target, target_property, flags, transform_to, transform_from)

    def disconnect(*args):
        obj = source_ref()
        if obj is not None:
            obj.disconnect(handler)

    binding.weak_ref(disconnect)
    return binding
