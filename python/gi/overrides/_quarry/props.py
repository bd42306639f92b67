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

    def __get__(self, obj, cls=None):
        raw = RAW_PROPS.__get__(obj, cls)
        return raw if obj is None else _Props(raw, self.values, self.keys)
