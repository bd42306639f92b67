# SPDX-License-Identifier: LGPL-2.1-or-later
"""Conversions between Python values and what Quarry stores: JSON for
plain values, Quarry.Key for keys."""
import json
import math

from gi.module import get_introspection_module
from gi.repository import GLib, GObject, Json

Quarry = get_introspection_module("Quarry")

DOMAIN = GLib.quark_to_string(Quarry.error_quark())
_INT64_MIN = -(2 ** 63)
_INT64_MAX = 2 ** 63 - 1


def _check_json(obj, path="value"):
    """Raises TypeError or ValueError if @obj cannot be stored as JSON exactly."""
    if obj is None or isinstance(obj, bool):
        return
    if isinstance(obj, str):
        if "\0" in obj:
            raise ValueError(f"{path}: JSON strings here cannot hold U+0000")
        return
    if isinstance(obj, float):
        if not math.isfinite(obj):
            raise ValueError(f"{path}: {obj!r} cannot be stored as JSON")
        return
    if isinstance(obj, int):
        if not _INT64_MIN <= obj <= _INT64_MAX:
            raise ValueError(f"{path}: {obj} does not fit in a 64-bit JSON integer")
        return
    if isinstance(obj, dict):
        for name, member in obj.items():
            if not isinstance(name, str):
                raise TypeError(f"{path}: JSON object member names must be str, not {type(name).__name__}")
            _check_json(name, f"{path} member name")
            _check_json(member, f"{path}[{name!r}]")
        return
    if isinstance(obj, (list, tuple)):
        for index, element in enumerate(obj):
            _check_json(element, f"{path}[{index}]")
        return
    if isinstance(obj, Json.Node):
        return
    raise TypeError(f"{path}: a {type(obj).__name__} cannot be stored as JSON "
                    "(use dict, list, str, int, float, bool or None)")


def _json_default(obj):
    if isinstance(obj, Json.Node):
        return json_native(obj)
    raise TypeError(f"a {type(obj).__name__} cannot be stored as JSON")


def _walk(node):
    kind = node.get_node_type()
    if kind == Json.NodeType.OBJECT:
        members = node.get_object()
        return {name: _walk(members.get_member(name)) for name in members.get_members()}
    if kind == Json.NodeType.ARRAY:
        return [_walk(element) for element in node.get_array().get_elements()]
    if kind == Json.NodeType.NULL:
        return None
    value_type = node.get_value_type()
    if value_type == GObject.TYPE_INT64:
        return node.get_int()
    if value_type == GObject.TYPE_DOUBLE:
        return node.get_double()
    if value_type == GObject.TYPE_BOOLEAN:
        return node.get_boolean()
    return node.get_string()


def json_native(node):
    """A Json.Node as a plain Python value.

    Parsing json-glib's text is fast, but json-glib 1.6 writes some doubles
    (1e20 as "1e+20.0") as no JSON parser reads them; such trees are walked."""
    try:
        return json.loads(Json.to_string(node, False))
    except ValueError:
        return _walk(node)


def dumps(obj):
    _check_json(obj)
    return json.dumps(obj, allow_nan=False, ensure_ascii=False,
                      separators=(",", ":"), default=_json_default)


def to_json(obj):
    """Converts a plain Python value to a ``Json.Node``.

    A ``Json.Node`` is returned as it is.

    Raises:
        TypeError, ValueError: if @obj has no exact JSON form (a set, bytes,
            an object, NaN, an integer beyond 64 bits, a non-str member name)
    """
    if isinstance(obj, Json.Node):
        return obj
    return Json.from_string(dumps(obj))


def to_value(obj):
    """Converts a Python value to the ``GObject.Value`` Quarry stores.

    Plain values become JSON; a GObject, ``Json.Node``,
    ``Quarry.InfiniteData``, ``GLib.Bytes``, ``GLib.Variant`` or
    ``GObject.Value`` is stored as it is.
    """
    if isinstance(obj, GObject.Value):
        return obj
    if isinstance(obj, GObject.Object):
        return GObject.Value(type(obj).__gtype__, obj)
    if isinstance(obj, (Quarry.InfiniteData, GLib.Bytes)):
        return GObject.Value(type(obj).__gtype__, obj)
    if isinstance(obj, GLib.Variant):
        return GObject.Value(GObject.TYPE_VARIANT, obj)
    return GObject.Value(Json.Node, to_json(obj))


def to_native(value):
    """Converts what Quarry stores to a plain Python value.

    JSON becomes dict, list, str, int, float, bool or None; an infinite
    query's data becomes TanStack's ``{"pages": [...], "pageParams": [...]}``;
    anything else (a GObject, a string) is returned as it is.
    """
    if isinstance(value, GObject.Value):
        value = value.get_value()
    if isinstance(value, Json.Node):
        return json_native(value)
    if isinstance(value, Quarry.InfiniteData):
        n_pages = Quarry.InfiniteData.get_n_pages(value)
        return {"pages": [to_native(Quarry.InfiniteData.get_page(value, i)) for i in range(n_pages)],
                "pageParams": [to_native(Quarry.InfiniteData.get_page_param(value, i)) for i in range(n_pages)]}
    return value


def to_key(key):
    """A Quarry.Key from a key, list, tuple or JSON string; None stays None."""
    if key is None or isinstance(key, Quarry.Key):
        return key
    if isinstance(key, str):
        return Quarry.Key.new_from_string(key)
    if isinstance(key, (list, tuple)):
        try:
            text = dumps(key)
        except (TypeError, ValueError) as error:
            raise GLib.Error(f"Invalid key: {error}", DOMAIN, int(Quarry.Error.INVALID_KEY)) from error
        return Quarry.Key.new_from_string(text)
    raise TypeError(f"a key is a list, tuple or JSON string, not {type(key).__name__}")


def key_list(key):
    return None if key is None else json_native(key.to_json())


def out_value(obj):
    """What a callback returns for PyGObject to store in an out GValue.

    PyGObject 3.42 copies a returned GObject.Value shallowly, leaving the
    out value pointing at memory freed with the Python object; a Json.Node
    or GObject it stores with a reference of its own."""
    if obj is None or isinstance(obj, (Json.Node, GObject.Object, Quarry.InfiniteData,
                                       GLib.Bytes, GLib.Variant)):
        return obj
    if isinstance(obj, GObject.Value):
        return out_value(obj.get_value())
    return to_json(obj)
