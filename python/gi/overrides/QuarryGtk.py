# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyGObject overrides for QuarryGtk.

Importing ``QuarryGtk`` calls ``QuarryGtk.init()``, so ``Gtk.Builder``
finds QuarryGtk's types by name in ``.ui`` files (types of a library loaded
through its typelib are not visible to GtkBuilder otherwise). Keys and
values take the same plain Python forms as in the Quarry overrides:

- ``PaginationBar.set_base_key(["todos", "page"])`` takes a list, tuple or
  JSON string, and ``get_base_key()`` returns a list;
- ``PaginationBar.set_has_more_func(func)`` calls ``func(data)`` with the
  page's data as a plain value;
- ``MutationButton.set_variables({"id": 3})`` takes plain values, and
  ``get_variables()`` returns them;
- the same forms work as constructor keywords (``PaginationBar(base_key=[...])``,
  ``MutationButton(variables={...})``);
- a Python subclass's ``do_has_more(data)`` (PaginationBar) and
  ``do_is_empty(data)`` (QueryView) get the data as stored (a ``Json.Node``
  for JSON), so that chaining up to the parent's implementation works;
  ``Quarry.to_native(data)`` gives the plain value.
"""
import importlib

from gi.module import get_introspection_module
from gi.overrides import override

from ._quarry.values import key_list as _key_list, to_key as _key, to_native as _native, to_value as _value

# Quarry's overrides first: QuarryGtk's widgets hand out Quarry objects.
importlib.import_module("gi.repository.Quarry")

QuarryGtk = get_introspection_module("QuarryGtk")
QuarryGtk.init()

__all__ = []


def _export(cls):
    cls = override(cls)
    __all__.append(cls.__name__)
    return cls


@_export
class PaginationBar(QuarryGtk.PaginationBar):
    def __init__(self, **kwargs):
        base_key = kwargs.pop("base_key", None)
        super().__init__(**kwargs)
        if base_key is not None:
            self.set_base_key(base_key)

    def get_base_key(self):
        return _key_list(super().get_base_key())

    def set_base_key(self, key):
        super().set_base_key(_key(key))

    def set_has_more_func(self, func, *user_data):
        if func is None:
            super().set_has_more_func(None)
            return

        def has_more(data, *args):
            return bool(func(_native(data), *args))

        super().set_has_more_func(has_more, *user_data)


@_export
class MutationButton(QuarryGtk.MutationButton):
    def __init__(self, **kwargs):
        variables = kwargs.pop("variables", None)
        super().__init__(**kwargs)
        if variables is not None:
            self.set_variables(variables)

    def get_variables(self):
        return _native(super().get_variables())

    def set_variables(self, variables):
        super().set_variables(None if variables is None else _value(variables))
