# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyGObject overrides for Quarry.

PyGObject 3.42 swallows (prints) a Python exception raised in a callback
that fills an out value, and the C side then sees "no value". The wrappers
here turn such exceptions into GLib.Error in Quarry's domain, so they
surface as the query's error with their message kept.
"""
import functools

from gi.module import get_introspection_module
from gi.overrides import override
from gi.repository import GLib

Quarry = get_introspection_module("Quarry")

__all__ = []

_DOMAIN = GLib.quark_to_string(Quarry.error_quark())


def _as_glib_error(func, code):
    """Wraps a Python callback so that any exception becomes a GLib.Error."""

    @functools.wraps(func)
    def wrapper(*args):
        try:
            return func(*args)
        except GLib.Error:
            raise
        except Exception as error:  # noqa: BLE001 - any failure is the query's error
            raise GLib.Error(f"{type(error).__name__}: {error}", _DOMAIN, int(code)) from error

    return wrapper


class InfiniteQuery(Quarry.InfiniteQuery):
    def set_next_page_param_func(self, func, *user_data):
        if func is not None:
            func = _as_glib_error(func, Quarry.Error.PAGE_PARAM)
        return super().set_next_page_param_func(func, *user_data)

    def set_previous_page_param_func(self, func, *user_data):
        if func is not None:
            func = _as_glib_error(func, Quarry.Error.PAGE_PARAM)
        return super().set_previous_page_param_func(func, *user_data)


InfiniteQuery = override(InfiniteQuery)
__all__.append("InfiniteQuery")
