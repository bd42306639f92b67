# SPDX-License-Identifier: LGPL-2.1-or-later
"""Wrappers that let Python callbacks take and return Python values and
raise exceptions."""
import functools
import logging

from gi.module import get_introspection_module
from gi.repository import GLib

from .values import DOMAIN, out_value, to_native

Quarry = get_introspection_module("Quarry")

_log = logging.getLogger("quarry")


def error_from(exception, code=Quarry.Error.FAILED):
    """A GLib.Error for @exception, keeping a GLib.Error's own domain."""
    if isinstance(exception, GLib.Error):
        return exception
    message = str(exception) or type(exception).__name__
    return GLib.Error(message, DOMAIN, int(code))


def raising_glib_error(func, code):
    """Wraps a callback whose failure PyGObject reports through a GError
    out argument: any exception is raised again as a GLib.Error, since
    PyGObject 3.42 only prints other exceptions and reports no value."""

    @functools.wraps(func)
    def wrapper(*args):
        try:
            return func(*args)
        except GLib.Error:
            raise
        except Exception as exception:  # noqa: BLE001 - it is the callback's error
            _log.debug("Quarry callback %r raised", func, exc_info=True)
            raise error_from(exception, code) from exception

    return wrapper


def complete(context, func, args):
    """Runs a fetch or mutation function and completes @context with what it
    returned or raised. None with @context still open means the function
    completes it later itself."""
    try:
        result = func(context, *args)
        if result is not None and not context.is_completed():
            context.return_value(result)
    except Exception as exception:  # noqa: BLE001 - it is the fetch's error
        _log.debug("Quarry fetch function %r failed", func, exc_info=True)
        if not context.is_completed():
            context.return_error(error_from(exception))


def fetch_func(func):
    """Wraps a Python fetch function: fetch(context) -> data."""
    if func is None or getattr(func, "_quarry_wrapped", None) is True:
        return func

    @functools.wraps(func)
    def fetch(context, *user_data):
        complete(context, func, user_data)

    fetch._quarry_wrapped = True
    return fetch


def mutation_func(func):
    """Wraps a Python mutation function: mutate(context, variables) -> data."""
    if func is None or getattr(func, "_quarry_wrapped", None) is True:
        return func
    if isinstance(getattr(func, "__self__", None), Quarry.HttpEndpoint):
        return func  # HttpEndpoint.mutate takes the raw variables

    @functools.wraps(func)
    def mutate(context, variables, *user_data):
        complete(context, func, (to_native(variables),) + user_data)

    mutate._quarry_wrapped = True
    return mutate


def value_func(func, code, convert_args):
    """Wraps a callback that fills an out GValue: its return value is
    converted with out_value(), its arguments with @convert_args."""

    @functools.wraps(func)
    def call(*args):
        return out_value(func(*convert_args(args)))

    return raising_glib_error(call, code)


def first_native(args):
    return (to_native(args[0]),) + tuple(args[1:])


def retry_func(func):
    """Wraps a retry function, retry(failure_count, error) -> bool. It has
    no way to report an error: an exception is logged and means no retry."""

    @functools.wraps(func)
    def call(failure_count, error, *user_data):
        try:
            return bool(func(failure_count, error, *user_data))
        except Exception:  # noqa: BLE001 - logged, and the fetch fails
            _log.exception("Quarry retry function %r raised; not retrying", func)
            return False

    return call


def retry_delay_func(func):
    """Wraps a retry delay function, delay(failure_count, error) -> ms. An
    exception is logged and means TanStack's default back-off."""

    @functools.wraps(func)
    def call(failure_count, error, *user_data):
        try:
            return int(func(failure_count, error, *user_data))
        except Exception:  # noqa: BLE001 - logged, and the default applies
            _log.exception("Quarry retry delay function %r raised; using the default delay", func)
            return min(1000 << min(failure_count, 5), 30_000)  # TanStack's, as the C side

    return call


class Raised:
    """Collects the exceptions of callbacks that run inside one synchronous
    call and cannot report errors themselves (filter predicates), to raise
    the first again once the call returned."""

    def __init__(self):
        self.exceptions = []

    def wrap(self, func, convert_args=lambda args: args):
        @functools.wraps(func)
        def call(*args):
            try:
                return func(*convert_args(args))
            except Exception as exception:  # noqa: BLE001 - raised again by check()
                self.exceptions.append(exception)
                return False

        return call

    def check(self):
        if self.exceptions:
            exception = self.exceptions[0]
            self.exceptions.clear()
            raise exception
