# SPDX-License-Identifier: LGPL-2.1-or-later
"""Quarry's mutations from Python, through the overrides
(gi/overrides/Quarry.py): variables, data and contexts are plain Python
values, mutation functions return their result or raise, and optimistic
updates take plain values."""
import gi

gi.require_version("Quarry", "1.0")
gi.require_version("Json", "1.0")

import pytest
from gi.repository import Gio, GLib, Quarry

TEST_DOMAIN = "quarry-python-test"
TEST_QUARK = GLib.quark_from_string(TEST_DOMAIN)


class Server:
    """A mutation function that keeps its contexts, to complete them later."""

    def __init__(self):
        self.calls = []
        self.contexts = []

    def __call__(self, context, variables):
        self.calls.append(variables)
        self.contexts.append(context)
        # Returns None: the context completes later.

    def succeed(self, index, value):
        self.contexts[index].return_value(value)

    def fail(self, index, message="refused"):
        self.contexts[index].return_error(GLib.Error(message, TEST_DOMAIN, 7))


class Fetcher:
    """A fetch function that keeps its contexts, to complete them later."""

    def __init__(self):
        self.contexts = []

    def __call__(self, context):
        self.contexts.append(context)

    def resolve(self, index, value):
        self.contexts[index].return_value(value)


# --- the lifecycle -----------------------------------------------------------

def test_synchronous_function_runs_the_lifecycle_in_order(client, clock):
    events = []

    def add_todo(context, variables):
        events.append(("function", variables, m.props.status))
        return {"id": 7, "title": variables["title"]}

    m = Quarry.Mutation(client, ["todos", "add"], add_todo)
    assert m.props.status == Quarry.MutationStatus.IDLE
    assert m.props.is_idle
    assert m.get_mutation_key() == ["todos", "add"]
    assert m.props.mutation_key == ["todos", "add"]

    m.connect("mutate", lambda m, v: events.append(("mutate", v)))
    m.connect("success", lambda m, d, v, c: events.append(("success", d, m.props.status)))
    m.connect("error", lambda m, e, v, c: events.append(("error",)))
    m.connect("settled", lambda m, d, e, v, c: events.append(("settled", d, e, m.props.status)))

    def on_state_changed(m, action):
        if action in (Quarry.MutationAction.SUCCESS, Quarry.MutationAction.ERROR):
            events.append(("state-changed", action, m.props.status))

    m.connect("state-changed", on_state_changed)

    def done(m, data, error, variables, context):
        events.append(("callback", data, error, variables, m.props.status))

    m.mutate({"title": "Buy milk"}, done)
    # The function ran at once; its result is delivered on a later iteration.
    assert events == [("mutate", {"title": "Buy milk"}),
                      ("function", {"title": "Buy milk"}, Quarry.MutationStatus.PENDING)]
    assert m.props.is_pending
    assert client.props.is_mutating == 1
    assert m.props.submitted_at == clock.get_wall_time()

    clock.flush()
    PENDING, SUCCESS = Quarry.MutationStatus.PENDING, Quarry.MutationStatus.SUCCESS
    todo = {"id": 7, "title": "Buy milk"}
    assert events[2:] == [
        ("success", todo, PENDING),
        ("settled", todo, None, PENDING),
        ("state-changed", Quarry.MutationAction.SUCCESS, SUCCESS),
        ("callback", todo, None, {"title": "Buy milk"}, SUCCESS),
    ]
    assert m.props.is_success
    assert m.props.data == todo
    assert m.get_data() == todo
    assert m.get_value() == todo
    assert m.props.variables == {"title": "Buy milk"}
    assert m.get_variables() == {"title": "Buy milk"}
    assert m.props.error is None
    assert m.props.failure_count == 0
    assert client.props.is_mutating == 0


def test_completion_from_a_timeout_in_a_real_main_loop(system_client):
    """A system clock and GLib.MainLoop; the function completes 10 ms later."""
    loop = GLib.MainLoop()
    kept = []
    results = []

    def rename(context, variables):
        kept.append(context)

        def later():
            context.return_value("renamed to " + variables)
            return GLib.SOURCE_REMOVE

        GLib.timeout_add(10, later)

    def done(m, data, error, variables, context):
        results.append((data, error, variables))
        loop.quit()

    m = Quarry.Mutation(system_client, None, rename)
    assert m.get_mutation_key() is None
    m.mutate("Alice", done)
    assert m.props.is_pending
    guard = GLib.timeout_add_seconds(5, loop.quit)
    loop.run()
    GLib.source_remove(guard)
    assert results == [("renamed to Alice", None, "Alice")]
    assert m.props.status == Quarry.MutationStatus.SUCCESS
    assert m.props.data == "renamed to Alice"
    assert system_client.props.is_mutating == 0


def test_context_from_the_mutate_handler_reaches_every_handler(client, clock):
    seen = []
    m = Quarry.Mutation(client, None, lambda context, v: True)

    # The first handler that returns a value wins; every handler runs.
    m.connect("mutate", lambda m, v: seen.append(("mutate-1", v)))
    m.connect("mutate", lambda m, v: seen.append(("mutate-2", v)) or "rollback-" + v)
    m.connect("mutate", lambda m, v: seen.append(("mutate-3", v)) or "ignored")
    m.connect("success", lambda m, d, v, c: seen.append(("success", d, c)))
    m.connect("settled", lambda m, d, e, v, c: seen.append(("settled", c)))

    m.mutate("x", lambda m, d, e, v, c: seen.append(("callback", c)))
    assert m.props.context == "rollback-x"
    clock.flush()
    assert seen == [("mutate-1", "x"), ("mutate-2", "x"), ("mutate-3", "x"),
                    ("success", True, "rollback-x"), ("settled", "rollback-x"),
                    ("callback", "rollback-x")]
    assert m.props.context == "rollback-x"
    assert m.get_context() == "rollback-x"
    state = m.dup_state()
    assert state.get_context() == "rollback-x"
    assert state.get_variables() == "x"
    assert state.get_data() is True


def test_structured_context_from_the_mutate_handler(client, clock):
    seen = []
    m = Quarry.Mutation(client, ["todos", "edit"], lambda context, v: {"saved": v["id"]})
    m.connect("mutate", lambda m, v: {"previous": [{"id": v["id"], "title": "old"}], "n": 2})
    m.connect("success", lambda m, d, v, c: seen.append((d, v, c)))
    m.mutate({"id": 3, "title": "new"})
    clock.flush()
    context = {"previous": [{"id": 3, "title": "old"}], "n": 2}
    assert seen == [({"saved": 3}, {"id": 3, "title": "new"}, context)]
    assert m.props.context == context


def test_error_reaches_handlers_state_and_callback(client, clock):
    seen = []

    def refuse(context, variables):
        raise GLib.Error("No such todo", GLib.quark_to_string(Quarry.http_error_quark()),
                         int(Quarry.HttpError.NOT_FOUND))

    m = Quarry.Mutation(client, ["todos", "delete"], refuse)
    m.connect("mutate", lambda m, v: "ctx")
    m.connect("success", lambda *args: seen.append(("success",)))
    m.connect("error", lambda m, e, v, c: seen.append(("error", e.domain, e.code, e.message, v, c,
                                                       m.props.status)))
    m.connect("settled", lambda m, d, e, v, c: seen.append(("settled", d, e.code, v, c)))

    def done(m, data, error, variables, context):
        seen.append(("callback", data, error.matches(Quarry.http_error_quark(), 404),
                     variables, context))

    m.mutate(5, done)
    clock.flush()
    domain = GLib.quark_to_string(Quarry.http_error_quark())
    assert seen == [
        ("error", domain, 404, "No such todo", 5, "ctx", Quarry.MutationStatus.PENDING),
        ("settled", None, 404, 5, "ctx"),
        ("callback", None, True, 5, "ctx"),
    ]
    assert m.props.status == Quarry.MutationStatus.ERROR
    assert m.props.is_error
    error = m.props.error
    assert error.matches(Quarry.http_error_quark(), Quarry.HttpError.NOT_FOUND)
    assert error.message == "No such todo"
    assert m.props.data is None
    assert m.props.failure_count == 1
    assert m.props.failure_reason.message == "No such todo"


def test_python_exception_in_the_mutation_function_is_the_error(client, clock):
    def broken(context, variables):
        raise ZeroDivisionError("division by zero in " + variables)

    errors = []
    m = Quarry.Mutation(client, None, broken)
    m.connect("error", lambda m, e, v, c: errors.append((e.domain, e.code, e.message)))
    m.mutate("save")
    clock.flush()
    assert errors == [(GLib.quark_to_string(Quarry.error_quark()), int(Quarry.Error.FAILED),
                       "division by zero in save")]
    assert m.props.error.matches(Quarry.error_quark(), Quarry.Error.FAILED)
    assert m.props.error.message == "division by zero in save"


def test_returning_a_value_with_no_json_form_fails_the_run(client, clock):
    m = Quarry.Mutation(client, None, lambda context, variables: {1, 2})
    m.mutate("x")
    clock.flush()
    assert m.props.is_error
    error = m.props.error
    assert error.domain == GLib.quark_to_string(Quarry.error_quark())
    assert "set cannot be stored as JSON" in error.message


def test_tanstack_style_per_call_callbacks(client, clock):
    server = Server()
    m = Quarry.Mutation(client, None, server)
    m.connect("mutate", lambda m, v: {"v": v})
    seen = []
    m.mutate(1, on_success=lambda d, v, c: seen.append(("success", d, v, c)),
             on_error=lambda e, v, c: seen.append(("error", e.message, v, c)),
             on_settled=lambda d, e, v, c: seen.append(("settled", d, e, v, c)))
    server.succeed(0, [1, 2])
    clock.flush()
    assert seen == [("success", [1, 2], 1, {"v": 1}), ("settled", [1, 2], None, 1, {"v": 1})]

    seen.clear()
    m.mutate(2, on_error=lambda e, v, c: seen.append(("error", e.message, v, c)),
             on_settled=lambda d, e, v, c: seen.append(("settled", d, e.message, v, c)))
    server.fail(1, "nope")
    clock.flush()
    assert seen == [("error", "nope", 2, {"v": 2}), ("settled", None, "nope", 2, {"v": 2})]

    # Only the latest call's callbacks run.
    seen.clear()
    m.mutate(3, on_success=lambda d, v, c: seen.append(("first", d)))
    m.mutate(4, on_success=lambda d, v, c: seen.append(("second", d)))
    server.succeed(2, "three")
    server.succeed(3, "four")
    clock.flush()
    assert seen == [("second", "four")]


def test_mutate_async_success_and_failure(client, clock):
    server = Server()
    m = Quarry.Mutation(client, None, server)
    outcomes = []

    def finished(m, result):
        try:
            outcomes.append(("ok", m.mutate_finish(result)))
        except GLib.Error as error:
            outcomes.append(("error", error.domain, error.code, error.message))

    m.mutate_async({"n": 1}, None, finished)
    server.succeed(0, {"saved": 1})
    clock.flush()
    assert outcomes == [("ok", {"saved": 1})]
    assert m.props.is_success

    m.mutate_async({"n": 2}, callback=finished)
    server.fail(1, "disk full")
    clock.flush()
    assert outcomes[1:] == [("error", TEST_DOMAIN, 7, "disk full")]
    assert m.props.is_error
    assert server.calls == [{"n": 1}, {"n": 2}]


def test_cancelling_mutate_async_fails_the_run_with_cancelled(client, clock):
    server = Server()
    m = Quarry.Mutation(client, None, server)
    outcomes = []

    def finished(m, result):
        with pytest.raises(GLib.Error) as info:
            m.mutate_finish(result)
        outcomes.append(info.value)

    cancellable = Gio.Cancellable()
    m.mutate_async("x", cancellable, finished)
    assert len(server.calls) == 1
    cancellable.cancel()
    clock.flush()
    assert len(outcomes) == 1
    assert outcomes[0].matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)
    assert server.contexts[0].get_cancellable().is_cancelled()
    assert m.props.is_error
    # A late answer from the function is dropped.
    server.succeed(0, "too late")
    clock.flush()
    assert m.props.is_error
    assert m.props.data is None


# --- retries -----------------------------------------------------------------

def test_retries_follow_the_manual_clock(client, clock):
    attempts = []

    def flaky(context, variables):
        attempts.append(context.get_attempt())
        raise RuntimeError("down %d" % context.get_attempt())

    m = Quarry.Mutation(client, None, flaky, retry=2)
    assert m.get_options().props.retry == 2
    errors = []
    m.connect("error", lambda m, e, v, c: errors.append(e.message))
    m.mutate("v")
    clock.flush()
    assert attempts == [1]
    assert m.props.is_pending
    assert m.props.failure_count == 1
    assert m.props.failure_reason.message == "down 1"
    assert m.props.error is None
    assert errors == []

    clock.advance(999)
    assert attempts == [1]
    clock.advance(1)
    assert attempts == [1, 2]
    assert m.props.failure_count == 2

    clock.advance(1999)
    assert attempts == [1, 2]
    clock.advance(1)
    assert attempts == [1, 2, 3]
    assert m.props.is_error
    assert m.props.failure_count == 3
    assert m.props.error.message == "down 3"
    assert m.props.error.matches(Quarry.error_quark(), Quarry.Error.FAILED)
    assert errors == ["down 3"]
    clock.advance(60_000)
    assert attempts == [1, 2, 3]


def test_success_after_a_retry_resets_the_failure_count(client, clock):
    attempts = []

    def once_flaky(context, variables):
        attempts.append(context.get_attempt())
        if context.get_attempt() == 1:
            raise RuntimeError("blip")
        return "ok"

    m = Quarry.Mutation(client, None, once_flaky, retry=3, retry_delay=50)
    m.mutate()
    clock.flush()
    assert m.props.failure_count == 1
    clock.advance(49)
    assert attempts == [1]
    clock.advance(1)
    assert attempts == [1, 2]
    assert m.props.is_success
    assert m.props.data == "ok"
    assert m.props.failure_count == 0
    assert m.props.failure_reason is None


# --- scopes, offline, defaults -----------------------------------------------

def test_scope_runs_one_after_another(client, clock):
    server = Server()
    mutated = []
    first = Quarry.Mutation(client, None, server, scope_id="todos")
    second = Quarry.Mutation(client, None, server)
    second.get_options().props.scope_id = "todos"
    unscoped = Quarry.Mutation(client, None, server)
    for m in (first, second):
        m.connect("mutate", lambda m, v: mutated.append(v))

    first.mutate("a")
    second.mutate("b")
    unscoped.mutate("c")
    # The second run waits for the first; its ::mutate already ran.
    assert server.calls == ["a", "c"]
    assert mutated == ["a", "b"]
    assert not first.props.is_paused
    assert second.props.is_paused and second.props.is_pending
    assert client.props.is_mutating == 3
    scoped = client.find_mutations(status=Quarry.MutationStatus.PENDING)
    assert [(s.get_variables(), s.get_scope_id(), s.get_is_paused()) for s in scoped] == [
        ("a", "todos", False), ("b", "todos", True), ("c", None, False)]

    server.succeed(1, "c done")
    clock.flush()
    assert server.calls == ["a", "c"]

    server.fail(0)
    clock.flush()
    assert first.props.is_error
    # A failure also lets the next run of the scope start.
    assert server.calls == ["a", "c", "b"]
    assert not second.props.is_paused
    server.succeed(2, "b done")
    clock.flush()
    assert second.props.data == "b done"
    assert client.props.is_mutating == 0


def test_offline_runs_pause_and_resume_in_submission_order(client, clock):
    server = Server()
    mutated = []
    m1 = Quarry.Mutation(client, None, server)
    m2 = Quarry.Mutation(client, None, server)
    for m in (m1, m2):
        m.connect("mutate", lambda m, v: mutated.append(v) or "ctx-" + v)

    client.set_online(False)
    m1.mutate("first")
    m2.mutate("second")
    assert server.calls == []
    assert mutated == ["first", "second"]
    assert m1.props.is_paused and m1.props.is_pending
    assert m2.props.is_paused
    assert m1.props.context == "ctx-first"
    assert client.props.is_mutating == 2
    assert client.count_mutating() == 2
    clock.advance(60_000)
    assert server.calls == []

    client.set_online(True)
    assert server.calls == ["first", "second"]
    assert not m1.props.is_paused and not m2.props.is_paused
    server.succeed(0, "1")
    server.succeed(1, "2")
    clock.flush()
    assert (m1.props.data, m2.props.data) == ("1", "2")
    assert m2.props.context == "ctx-second"
    assert client.props.is_mutating == 0


def test_mutation_defaults_give_the_function_and_options(client, clock):
    calls = []

    def add_todo(context, variables):
        calls.append((context.get_key(), variables))
        raise RuntimeError("no")

    defaults = Quarry.MutationOptions.new()
    defaults.set_mutation_func(add_todo)
    defaults.props.retry = 1
    defaults.props.retry_delay = 10
    client.set_mutation_defaults(["todos"], defaults)

    m = Quarry.Mutation(client, ["todos", "add"], None)
    m.mutate("t")
    clock.flush()
    assert calls == [(["todos", "add"], "t")]
    clock.advance(10)
    assert len(calls) == 2
    assert m.props.is_error
    assert m.props.failure_count == 2
    assert m.props.error.message == "no"

    # Another key gets none of it.
    other = Quarry.Mutation(client, ["users", "add"], None)
    other.mutate("u")
    clock.flush()
    assert other.props.is_error
    assert other.props.error.matches(Quarry.error_quark(), Quarry.Error.MISSING_FETCH_FUNC)
    assert len(calls) == 2


def test_mutation_defaults_as_keyword_arguments(client, clock):
    calls = []

    def add_todo(context, variables):
        calls.append((context.get_key(), variables))
        raise RuntimeError("no")

    client.set_mutation_defaults(["todos"], mutation_func=add_todo, retry=1, retry_delay=10)
    m = Quarry.Mutation(client, ["todos", "add"], None)
    m.mutate({"title": "t"})
    clock.flush()
    assert calls == [(["todos", "add"], {"title": "t"})]
    clock.advance(10)
    assert len(calls) == 2
    assert m.props.is_error
    assert m.props.error.message == "no"

    client.set_mutation_defaults(["echo"], mutation_func=lambda context, v: {"echo": v})
    echo = Quarry.Mutation(client, ["echo"], None)
    echo.mutate([1, "a"])
    clock.flush()
    assert echo.props.is_success
    assert echo.props.data == {"echo": [1, "a"]}


def test_mutation_defaults_from_an_options_object(client, clock):
    calls = []
    defaults = Quarry.MutationOptions()
    defaults.set_mutation_func(lambda context, v: calls.append(v) or {"echo": v})
    defaults.props.retry = 0
    client.set_mutation_defaults(["echo"], defaults)
    m = Quarry.Mutation(client, ["echo", 1], None)
    m.mutate([1, "a"])
    clock.flush()
    assert calls == [[1, "a"]]
    assert m.props.data == {"echo": [1, "a"]}
    with pytest.raises(TypeError):
        client.set_mutation_defaults(["echo"], defaults, retry=2)


def test_defaults_registered_while_paused_give_the_function(client, clock):
    calls = []
    client.set_online(False)
    m = Quarry.Mutation(client, ["sync"], None)
    m.mutate("offline edit")
    assert m.props.is_paused

    defaults = Quarry.MutationOptions.new()
    defaults.set_mutation_func(lambda context, v: calls.append(v) or 1)
    client.set_mutation_defaults(["sync"], defaults)
    client.set_online(True)
    clock.flush()
    assert calls == ["offline edit"]
    assert m.props.is_success
    assert m.props.data == 1


def test_find_mutations_and_count_mutating_with_filters(client, clock):
    server = Server()
    add = Quarry.Mutation(client, ["todos", "add"], server)
    remove = Quarry.Mutation(client, ["todos", "remove"], server)
    user = Quarry.Mutation(client, ["users", "add"], server)
    anonymous = Quarry.Mutation(client, None, server)
    for i, m in enumerate((add, remove, user, anonymous)):
        m.mutate(i)
    assert client.props.is_mutating == 4

    assert client.count_mutating(["todos"]) == 2
    assert client.count_mutating(key=["todos"]) == 2
    assert client.count_mutating(Quarry.MutationFilter.new(["todos", "add"])) == 1
    assert client.count_mutating(key=["todos"], exact=True) == 0
    todos = Quarry.MutationFilter(key=["todos"])
    assert todos.get_key() == ["todos"]
    assert todos.props.key == ["todos"]
    assert client.count_mutating(todos) == 2

    states = client.find_mutations(todos)
    assert [s.get_mutation_key() for s in states] == [["todos", "add"], ["todos", "remove"]]
    assert [s.get_variables() for s in states] == [0, 1]
    assert all(s.get_status() == Quarry.MutationStatus.PENDING for s in states)
    assert states[0].get_mutation_id() < states[1].get_mutation_id()
    assert len(client.find_mutations()) == 4
    assert client.find_mutations(key=["users"])[0].get_mutation_key() == ["users", "add"]

    server.succeed(0, "added")
    server.fail(1)
    server.succeed(2, "user")
    server.succeed(3, "anon")
    clock.flush()
    assert client.props.is_mutating == 0
    assert client.count_mutating(todos) == 0

    succeeded = Quarry.MutationFilter(key=["todos"], status=Quarry.MutationStatus.SUCCESS)
    assert succeeded.props.match_status
    assert [s.get_data() for s in client.find_mutations(succeeded)] == ["added"]
    assert [s.get_value() for s in client.find_mutations(key=["todos"], status=Quarry.MutationStatus.SUCCESS)] \
        == ["added"]

    failed = Quarry.MutationFilter.new(None)
    assert not failed.props.match_status
    failed.set_status(Quarry.MutationStatus.ERROR)
    assert failed.props.match_status
    found = client.find_mutations(failed)
    assert [(s.get_variables(), s.get_error().message) for s in found] == [(1, "refused")]
    assert found[0].get_failure_count() == 1


def test_settled_runs_are_listed_until_gc_time_after_no_mutation_shows_them(client, clock):
    m = Quarry.Mutation(client, ["gc"], lambda c, v: 1, gc_time=1000)
    m.mutate()
    clock.flush()
    assert len(client.find_mutations()) == 1
    clock.advance(5000)
    assert len(client.find_mutations()) == 1  # still shown by m
    m.reset()
    assert m.props.is_idle
    assert m.props.data is None
    clock.advance(999)
    assert len(client.find_mutations()) == 1
    clock.advance(1)
    assert client.find_mutations() == []


def test_only_the_latest_mutate_callback_runs(client, clock):
    server = Server()
    m = Quarry.Mutation(client, None, server)
    successes = []
    callbacks = []
    m.connect("success", lambda m, d, v, c: successes.append(v))
    m.mutate("one", lambda m, d, e, v, c: callbacks.append(("one", d)))
    m.mutate("two", lambda m, d, e, v, c: callbacks.append(("two", d)))
    assert server.calls == ["one", "two"]
    server.succeed(1, "second")
    server.succeed(0, "first")
    clock.flush()
    # Both runs emit the mutation's signals; the state shows the latest run.
    assert sorted(successes) == ["one", "two"]
    assert callbacks == [("two", "second")]
    assert m.props.variables == "two"
    assert m.props.data == "second"


def test_disposed_mutation_reports_disposed(client, clock):
    server = Server()
    m = Quarry.Mutation(client, None, server)
    m.run_dispose()
    assert m.props.client is None
    seen = []

    def done(m, data, error, variables, context):
        seen.append((data, error.domain, error.code, variables, context))

    m.mutate("v", done)
    # At once, not on a later iteration.
    assert seen == [(None, GLib.quark_to_string(Quarry.error_quark()), Quarry.Error.DISPOSED, "v", None)]
    assert server.calls == []

    outcomes = []

    def finished(m, result):
        try:
            m.mutate_finish(result)
        except GLib.Error as error:
            outcomes.append(error)

    m.mutate_async("w", None, finished)
    clock.flush()
    assert len(outcomes) == 1
    assert outcomes[0].matches(Quarry.error_quark(), Quarry.Error.DISPOSED)
    assert server.calls == []
    assert client.props.is_mutating == 0


# --- optimistic updates: the client's helpers --------------------------------

def test_optimistic_helpers_restore_and_commit(client):
    k = ["todos"]
    client.set_query_data(k, [{"id": 1, "title": "a"}])

    restorer = client.optimistic_upsert(k, {"id": 2, "title": "b"}, updating_member="isUpdating")
    assert restorer.get_is_pending()
    assert restorer.get_key() == ["todos"]
    assert client.get_query_data(k) == [{"id": 1, "title": "a"}, {"id": 2, "title": "b", "isUpdating": True}]
    restorer.restore()
    assert not restorer.get_is_pending()
    assert client.get_query_data(k) == [{"id": 1, "title": "a"}]

    # An item made with a temporary id takes the server's id on commit.
    restorer = client.optimistic_upsert(k, {"id": "tmp", "title": "c"}, "id", "isUpdating")
    assert client.get_query_data(k) == [{"id": 1, "title": "a"},
                                        {"id": "tmp", "title": "c", "isUpdating": True}]
    restorer.commit({"id": 3, "title": "C"})
    assert not restorer.get_is_pending()
    assert client.get_query_data(k) == [{"id": 1, "title": "a"}, {"id": 3, "title": "C"}]
    restorer.restore()  # does nothing once committed
    assert client.get_query_data(k) == [{"id": 1, "title": "a"}, {"id": 3, "title": "C"}]

    # Two pending changes: rolling back the older keeps the newer.
    older = client.optimistic_delete(k, 1)
    newer = client.optimistic_upsert(k, {"id": 4, "title": "d"})
    assert client.get_query_data(k) == [{"id": 3, "title": "C"}, {"id": 4, "title": "d"}]
    older.restore()
    assert client.get_query_data(k) == [{"id": 1, "title": "a"}, {"id": 3, "title": "C"}, {"id": 4, "title": "d"}]
    newer.commit()
    assert client.get_query_data(k) == [{"id": 1, "title": "a"}, {"id": 3, "title": "C"}, {"id": 4, "title": "d"}]

    with pytest.raises(GLib.Error) as info:
        client.optimistic_upsert(k, {"title": "no id"})
    assert info.value.matches(Quarry.error_quark(), Quarry.Error.UNSUPPORTED_TYPE)
    assert client.get_query_data(k) == [{"id": 1, "title": "a"}, {"id": 3, "title": "C"}, {"id": 4, "title": "d"}]


def test_optimistic_set_of_a_singleton(client):
    k = ["todo", 5]
    client.set_query_data(k, {"id": 5, "title": "old", "done": False})

    restorer = client.optimistic_set(k, {"id": 5, "title": "new", "done": True}, updating_member="saving")
    assert client.get_query_data(k) == {"id": 5, "title": "new", "done": True, "saving": True}
    assert restorer.get_key() == ["todo", 5]
    restorer.restore()
    assert client.get_query_data(k) == {"id": 5, "title": "old", "done": False}

    # Committed with the server's version, the marker goes.
    restorer = client.optimistic_set(k, {"id": 5, "title": "newer"}, "saving")
    assert client.get_query_data(k) == {"id": 5, "title": "newer", "saving": True}
    restorer.commit({"id": 5, "title": "newer", "rev": 9})
    assert client.get_query_data(k) == {"id": 5, "title": "newer", "rev": 9}
    assert not restorer.get_is_pending()

    # Committed without one, the optimistic value stays, without the marker.
    restorer = client.optimistic_set(k, {"id": 5, "title": "last"}, "saving")
    restorer.commit()
    assert client.get_query_data(k) == {"id": 5, "title": "last"}

    # Any JSON value, not only objects; on a key with nothing cached.
    restorer = client.optimistic_set(["count"], 41)
    assert client.get_query_data(["count"]) == 41
    restorer.restore()
    assert client.get_query_data(["count"]) is None


def test_optimistic_delete_with_an_updating_member(client):
    k = ["todos"]
    client.set_query_data(k, [{"id": 1, "title": "a"}, {"id": 2, "title": "b"}])

    # With a marker, the item stays visible, marked, until committed.
    restorer = client.optimistic_delete(k, 2, updating_member="deleting")
    assert client.get_query_data(k) == [{"id": 1, "title": "a"}, {"id": 2, "title": "b", "deleting": True}]
    restorer.commit()
    assert client.get_query_data(k) == [{"id": 1, "title": "a"}]

    # Another id member, and an object keyed by id.
    client.set_query_data(["users"], [{"uid": "x", "name": "X"}, {"uid": "y", "name": "Y"}])
    restorer = client.optimistic_delete(["users"], "x", id_member="uid")
    assert client.get_query_data(["users"]) == [{"uid": "y", "name": "Y"}]
    restorer.restore()
    assert client.get_query_data(["users"]) == [{"uid": "x", "name": "X"}, {"uid": "y", "name": "Y"}]

    client.set_query_data(["by-id"], {"1": {"id": 1, "t": "a"}, "2": {"id": 2, "t": "b"}})
    restorer = client.optimistic_delete(["by-id"], 1)
    assert client.get_query_data(["by-id"]) == {"2": {"id": 2, "t": "b"}}
    upsert = client.optimistic_upsert(["by-id"], {"id": 3, "t": "c"})
    assert client.get_query_data(["by-id"]) == {"2": {"id": 2, "t": "b"}, "3": {"id": 3, "t": "c"}}
    restorer.restore()
    assert client.get_query_data(["by-id"]) == {"1": {"id": 1, "t": "a"}, "2": {"id": 2, "t": "b"},
                                                "3": {"id": 3, "t": "c"}}
    upsert.restore()
    assert client.get_query_data(["by-id"]) == {"1": {"id": 1, "t": "a"}, "2": {"id": 2, "t": "b"}}


def test_optimistic_change_survives_a_refetch_and_rolls_back_onto_it(client, clock):
    fetcher = Fetcher()
    query = Quarry.Query(client, ["todos"], fetcher)
    clock.flush()
    fetcher.resolve(0, [{"id": 1, "title": "a"}])
    clock.flush()

    restorer = client.optimistic_upsert(["todos"], {"id": 2, "title": "b"})
    assert query.get_data() == [{"id": 1, "title": "a"}, {"id": 2, "title": "b"}]
    # Confirmed data arriving meanwhile becomes the base, under the change.
    query.refetch()
    clock.flush()
    fetcher.resolve(1, [{"id": 1, "title": "a (server)"}])
    clock.flush()
    assert query.get_data() == [{"id": 1, "title": "a (server)"}, {"id": 2, "title": "b"}]
    restorer.restore()
    assert query.get_data() == [{"id": 1, "title": "a (server)"}]


def test_optimistic_change_cancels_a_refetch_in_flight(client, clock):
    fetcher = Fetcher()
    query = Quarry.Query(client, ["todos"], fetcher)
    clock.flush()
    fetcher.resolve(0, [{"id": 1}])
    clock.flush()
    query.refetch()
    clock.flush()
    assert query.props.is_fetching
    restorer = client.optimistic_upsert(["todos"], {"id": 2})
    assert not query.props.is_fetching
    # The stale answer of the cancelled fetch never overwrites the change.
    fetcher.resolve(1, [{"id": 1}, {"id": 99}])
    clock.flush()
    assert query.get_data() == [{"id": 1}, {"id": 2}]
    restorer.commit()
    assert query.get_data() == [{"id": 1}, {"id": 2}]


# --- optimistic updates: declarative, on a mutation's options -----------------

def test_declarative_update_rolls_back_when_the_function_raises(client, clock):
    todos = ["todos"]
    client.set_query_data(todos, [{"id": 1, "title": "a"}])
    query = Quarry.Query(client, todos, Fetcher(), stale_time=Quarry.TIME_INFINITE)
    seen = []

    def add(context, variables):
        seen.append(("function", client.get_query_data(todos)))
        raise ValueError("title %r is taken" % variables["title"])

    update = Quarry.OptimisticUpdate(Quarry.OptimisticKind.UPSERT, todos, updating_member="isUpdating")
    assert update.get_key() == ["todos"]
    assert update.props.kind == Quarry.OptimisticKind.UPSERT
    assert update.props.updating_member == "isUpdating"
    m = Quarry.Mutation(client, ["todos", "add"], add)
    m.get_options().add_optimistic_update(update)
    m.connect("error", lambda m, e, v, c: seen.append(("error", e.message, client.get_query_data(todos))))
    m.connect("settled", lambda m, d, e, v, c: seen.append(("settled", client.get_query_data(todos))))

    before = [{"id": 1, "title": "a"}]
    optimistic = [{"id": 1, "title": "a"}, {"id": 2, "title": "b", "isUpdating": True}]
    assert client.get_query_data(todos) == before
    m.mutate({"id": 2, "title": "b"})
    # While pending: the optimistic list, in the cache and in the query.
    assert m.props.is_pending
    assert client.get_query_data(todos) == optimistic
    assert query.get_data() == optimistic
    assert seen == [("function", optimistic)]

    clock.flush()
    # Rolled back before the handlers run; the error message is kept.
    assert seen[1:] == [("error", "title 'b' is taken", before), ("settled", before)]
    assert m.props.is_error
    assert m.props.error.matches(Quarry.error_quark(), Quarry.Error.FAILED)
    assert m.props.error.message == "title 'b' is taken"
    assert client.get_query_data(todos) == before
    assert query.get_data() == before


def test_declarative_update_stays_through_retries_and_rolls_back_at_the_end(client, clock):
    todos = ["todos"]
    client.set_query_data(todos, [{"id": 1, "done": False}])
    attempts = []

    def toggle(context, variables):
        attempts.append(context.get_attempt())
        raise ConnectionError("offline %d" % context.get_attempt())

    m = Quarry.Mutation(client, None, toggle, retry=1, retry_delay=100)
    m.get_options().add_optimistic_update(
        Quarry.OptimisticUpdate(Quarry.OptimisticKind.UPSERT, todos,
                                value_func=lambda v: {"id": v["id"], "done": v["done"]}))
    m.mutate({"id": 1, "done": True, "ignored": "by the value function"})
    assert client.get_query_data(todos) == [{"id": 1, "done": True}]
    clock.flush()
    assert attempts == [1]
    assert m.props.is_pending
    assert client.get_query_data(todos) == [{"id": 1, "done": True}]
    clock.advance(100)
    assert attempts == [1, 2]
    assert m.props.is_error
    assert m.props.error.message == "offline 2"
    assert client.get_query_data(todos) == [{"id": 1, "done": False}]


def test_declarative_update_rolls_back_on_error_and_invalidates(client, clock):
    todos = ["todos"]
    fetches = []

    def fetch(context):
        fetches.append(context.get_key())
        if len(fetches) == 1:
            return [{"id": 1, "title": "a"}]
        return [{"id": 1, "title": "a (server)"}]

    query = Quarry.Query(client, todos, fetch, stale_time=Quarry.TIME_INFINITE)
    clock.flush()
    assert fetches == [["todos"]]

    server = Server()
    m = Quarry.Mutation(client, ["todos", "add"], server)
    update = Quarry.OptimisticUpdate.new(Quarry.OptimisticKind.UPSERT, todos)
    update.props.updating_member = "isUpdating"
    m.get_options().add_optimistic_update(update)
    m.get_options().add_invalidate_key(todos)
    seen = []
    m.connect("mutate", lambda m, v: seen.append(("mutate", client.get_query_data(todos))))
    m.connect("error", lambda m, e, v, c: seen.append(("error", client.get_query_data(todos))))
    m.connect("settled", lambda m, d, e, v, c: seen.append(("settled", len(fetches))))

    m.mutate({"id": 2, "title": "b"})
    optimistic = [{"id": 1, "title": "a"}, {"id": 2, "title": "b", "isUpdating": True}]
    assert client.get_query_data(todos) == optimistic
    assert query.get_data() == optimistic

    server.fail(0)
    clock.flush()
    assert seen == [("mutate", optimistic),
                    ("error", [{"id": 1, "title": "a"}]),
                    ("settled", 1)]
    # Invalidation after the handlers refetched the active query.
    assert fetches == [["todos"], ["todos"]]
    assert query.get_data() == [{"id": 1, "title": "a (server)"}]
    assert m.props.is_error


def test_declarative_update_commits_the_server_version(client, clock):
    todos = ["todos"]
    client.set_query_data(todos, [{"id": 1, "title": "a"}])
    server = Server()
    m = Quarry.Mutation(client, None, server)
    update = Quarry.OptimisticUpdate.new(Quarry.OptimisticKind.UPSERT, todos)
    update.set_updating_member("isUpdating")
    m.get_options().add_optimistic_update(update)

    m.mutate({"id": 1, "title": "A"})
    assert client.get_query_data(todos) == [{"id": 1, "title": "A", "isUpdating": True}]
    server.succeed(0, {"id": 1, "title": "A!", "rev": 2})
    clock.flush()
    assert client.get_query_data(todos) == [{"id": 1, "title": "A!", "rev": 2}]


def test_declarative_updates_with_key_and_value_functions(client, clock):
    client.set_query_data(["todo", 1], {"id": 1, "title": "a"})
    client.set_query_data(["todos"], [{"id": 1, "title": "a"}, {"id": 2, "title": "b"}])
    server = Server()
    m = Quarry.Mutation(client, ["todos", "rename"], server)
    options = m.get_options()
    # The singleton of the todo, keyed by its id; a None key skips it.
    options.add_optimistic_update(Quarry.OptimisticUpdate(
        Quarry.OptimisticKind.SET,
        key_func=lambda v: ["todo", v["id"]] if v["id"] != 2 else None,
        value_func=lambda v: {"id": v["id"], "title": v["title"]}))
    # And the list it is in.
    options.add_optimistic_update(Quarry.OptimisticUpdate(
        Quarry.OptimisticKind.UPSERT, ["todos"],
        value_func=lambda v: {"id": v["id"], "title": v["title"].upper()}))

    m.mutate({"id": 1, "title": "x"})
    assert client.get_query_data(["todo", 1]) == {"id": 1, "title": "x"}
    assert client.get_query_data(["todos"]) == [{"id": 1, "title": "X"}, {"id": 2, "title": "b"}]
    server.fail(0)
    clock.flush()
    assert client.get_query_data(["todo", 1]) == {"id": 1, "title": "a"}
    assert client.get_query_data(["todos"]) == [{"id": 1, "title": "a"}, {"id": 2, "title": "b"}]

    m.mutate({"id": 2, "title": "y"})
    assert client.get_query_data(["todo", 2]) is None
    assert client.get_query_data(["todos"]) == [{"id": 1, "title": "a"}, {"id": 2, "title": "Y"}]
    server.succeed(1, "ok")
    clock.flush()
    assert client.get_query_data(["todos"]) == [{"id": 1, "title": "a"}, {"id": 2, "title": "Y"}]


def test_declarative_delete(client, clock):
    client.set_query_data(["todos"], [{"id": 1}, {"id": 2}, {"id": 3}])
    server = Server()
    m = Quarry.Mutation(client, ["todos", "delete"], server)
    m.get_options().add_optimistic_update(Quarry.OptimisticUpdate(Quarry.OptimisticKind.DELETE, ["todos"]))
    m.mutate(2)
    assert client.get_query_data(["todos"]) == [{"id": 1}, {"id": 3}]
    server.fail(0, "locked")
    clock.flush()
    assert client.get_query_data(["todos"]) == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert m.props.error.message == "locked"
    m.mutate(3)
    server.succeed(1, True)
    clock.flush()
    assert client.get_query_data(["todos"]) == [{"id": 1}, {"id": 2}]


def test_concurrent_optimistic_mutations_roll_back_independently(client, clock):
    todos = ["todos"]
    client.set_query_data(todos, [{"id": 1, "title": "a"}])
    server = Server()
    add = Quarry.Mutation(client, ["todos", "add"], server)
    add.get_options().add_optimistic_update(
        Quarry.OptimisticUpdate(Quarry.OptimisticKind.UPSERT, todos, updating_member="pending"))
    remove = Quarry.Mutation(client, ["todos", "remove"], server)
    remove.get_options().add_optimistic_update(Quarry.OptimisticUpdate(Quarry.OptimisticKind.DELETE, todos))

    add.mutate({"id": 2, "title": "b"})
    other = Quarry.Mutation(client, ["todos", "add"], server)
    other.get_options().add_optimistic_update(
        Quarry.OptimisticUpdate(Quarry.OptimisticKind.UPSERT, todos, updating_member="pending"))
    other.mutate({"id": 3, "title": "c"})
    remove.mutate(1)
    assert server.calls == [{"id": 2, "title": "b"}, {"id": 3, "title": "c"}, 1]
    assert client.get_query_data(todos) == [{"id": 2, "title": "b", "pending": True},
                                            {"id": 3, "title": "c", "pending": True}]
    assert client.count_mutating(["todos"]) == 3

    # The first one fails: only its change is undone.
    server.fail(0, "b refused")
    clock.flush()
    assert add.props.is_error
    assert add.props.error.message == "b refused"
    assert client.get_query_data(todos) == [{"id": 3, "title": "c", "pending": True}]

    # The others succeed, in another order than they started.
    server.succeed(2, True)
    clock.flush()
    assert client.get_query_data(todos) == [{"id": 3, "title": "c", "pending": True}]
    server.succeed(1, {"id": 3, "title": "c", "created": True})
    clock.flush()
    assert client.get_query_data(todos) == [{"id": 3, "title": "c", "created": True}]
    assert other.props.is_success and remove.props.is_success
    assert client.count_mutating() == 0


def test_concurrent_mutations_where_the_later_one_fails(client, clock):
    todos = ["todos"]
    client.set_query_data(todos, [{"id": 1, "n": 0}, {"id": 2, "n": 0}])
    server = Server()
    mutations = []
    for _ in range(2):
        m = Quarry.Mutation(client, None, server)
        m.get_options().add_optimistic_update(Quarry.OptimisticUpdate(Quarry.OptimisticKind.UPSERT, todos))
        mutations.append(m)
    mutations[0].mutate({"id": 1, "n": 1})
    mutations[1].mutate({"id": 2, "n": 2})
    assert client.get_query_data(todos) == [{"id": 1, "n": 1}, {"id": 2, "n": 2}]
    server.fail(1)
    clock.flush()
    assert client.get_query_data(todos) == [{"id": 1, "n": 1}, {"id": 2, "n": 0}]
    server.succeed(0, None)  # a JSON null: the optimistic item is kept
    clock.flush()
    assert mutations[0].props.is_success
    assert client.get_query_data(todos) == [{"id": 1, "n": 1}, {"id": 2, "n": 0}]


# --- TanStack's onMutate / onError / onSettled pattern -----------------------

def test_on_mutate_snapshot_and_rollback_with_the_returned_context(client, clock):
    todos = ["todos"]
    fetches = []

    def fetch(context):
        fetches.append(len(fetches))
        return [{"id": 1, "title": "server %d" % len(fetches)}]

    query = Quarry.Query(client, todos, fetch, stale_time=Quarry.TIME_INFINITE)
    clock.flush()
    assert query.get_data() == [{"id": 1, "title": "server 1"}]

    server = Server()
    m = Quarry.Mutation(client, ["todos", "add"], server)
    seen = []

    def on_mutate(m, new_todo):
        client.cancel_queries(todos)
        previous = client.get_query_data(todos)
        client.set_query_data(todos, lambda old: old + [new_todo])
        return {"previous": previous}

    def on_error(m, error, new_todo, context):
        seen.append(("error", error.message, new_todo, context))
        client.set_query_data(todos, context["previous"])

    def on_settled(m, data, error, new_todo, context):
        seen.append(("settled", client.get_query_data(todos)))
        client.invalidate_queries(todos)

    m.connect("mutate", on_mutate)
    m.connect("error", on_error)
    m.connect("settled", on_settled)

    m.mutate({"id": 2, "title": "new"})
    assert query.get_data() == [{"id": 1, "title": "server 1"}, {"id": 2, "title": "new"}]
    assert m.props.context == {"previous": [{"id": 1, "title": "server 1"}]}

    server.fail(0, "validation failed")
    # The error handler runs on the next iteration; the refetch after it.
    clock.flush()
    assert seen == [("error", "validation failed", {"id": 2, "title": "new"},
                     {"previous": [{"id": 1, "title": "server 1"}]}),
                    ("settled", [{"id": 1, "title": "server 1"}])]
    assert len(fetches) == 2
    assert query.get_data() == [{"id": 1, "title": "server 2"}]
    assert m.props.is_error
    assert m.props.error.message == "validation failed"


def test_on_mutate_cancels_a_refetch_that_would_overwrite_the_optimistic_write(client, clock):
    todos = ["todos"]
    fetcher = Fetcher()
    query = Quarry.Query(client, todos, fetcher)
    clock.flush()
    fetcher.resolve(0, ["a"])
    clock.flush()
    query.refetch()
    clock.flush()
    assert query.props.is_fetching

    def on_mutate(m, item):
        client.cancel_queries(todos)
        previous = client.get_query_data(todos)
        client.set_query_data(todos, previous + [item])
        return previous

    server = Server()
    m = Quarry.Mutation(client, None, server)
    m.connect("mutate", on_mutate)
    m.connect("error", lambda m, e, v, previous: client.set_query_data(todos, previous))
    m.mutate("b")
    assert not query.props.is_fetching
    assert query.get_data() == ["a", "b"]
    fetcher.resolve(1, ["stale"])  # the cancelled refetch answers late
    clock.flush()
    assert query.get_data() == ["a", "b"]
    server.fail(0)
    clock.flush()
    assert query.get_data() == ["a"]
    assert m.props.context == ["a"]


# --- invalidation after settling ---------------------------------------------

def test_invalidate_keys_refetch_after_the_handlers(client, clock):
    fetches = []

    def fetch(context):
        fetches.append(context.get_key())
        return {"version": len(fetches)}

    users = []
    active = Quarry.Query(client, ["todos", "list"], fetch, stale_time=Quarry.TIME_INFINITE)
    unrelated = Quarry.Query(client, ["users"], lambda context: users.append(1) or ["ann"],
                             stale_time=Quarry.TIME_INFINITE)
    clock.flush()
    client.set_query_data(["todos", "inactive"], {"version": 0})
    assert fetches == [["todos", "list"]]

    server = Server()
    m = Quarry.Mutation(client, ["todos", "add"], server)
    m.get_options().add_invalidate_key(["todos"])
    seen = []
    m.connect("success", lambda m, d, v, c: seen.append(("success", len(fetches))))
    m.connect("settled", lambda m, d, e, v, c: seen.append(("settled", len(fetches))))
    m.connect("state-changed", lambda m, action: seen.append(("state", action, active.props.is_fetching))
              if action == Quarry.MutationAction.SUCCESS else None)

    m.mutate({"title": "c"})
    clock.flush()
    assert len(fetches) == 1
    assert not client.get_query_state(["todos", "list"]).get_is_invalidated()
    server.succeed(0, {"id": 3})
    clock.flush()
    # Invalidated after ::settled and before the status changed; refetched.
    assert seen == [("success", 1), ("settled", 1), ("state", Quarry.MutationAction.SUCCESS, True)]
    assert fetches == [["todos", "list"], ["todos", "list"]]
    assert active.get_data() == {"version": 2}
    # Other keys are left alone.
    assert users == [1]
    assert unrelated.get_data() == ["ann"]
    assert not client.get_query_state(["users"]).get_is_invalidated()
    # The inactive entry is only marked stale.
    assert client.get_query_state(["todos", "inactive"]).get_is_invalidated()
    assert client.get_query_data(["todos", "inactive"]) == {"version": 0}

    # On an error too.
    m.mutate({"title": "d"})
    server.fail(1)
    clock.flush()
    assert fetches[2:] == [["todos", "list"]]
    assert active.get_data() == {"version": 3}
    assert users == [1]


def test_invalidate_key_from_mutation_defaults(client, clock):
    fetches = []
    query = Quarry.Query(client, ["todos"], lambda context: fetches.append(1) or len(fetches),
                         stale_time=Quarry.TIME_INFINITE)
    clock.flush()
    defaults = Quarry.MutationOptions()
    defaults.add_invalidate_key(("todos",))
    defaults.set_mutation_func(lambda context, v: "done")
    client.set_mutation_defaults(["todos"], defaults)
    m = Quarry.Mutation(client, ["todos", "add"], None)
    m.mutate("x")
    clock.flush()
    assert m.props.data == "done"
    assert query.get_data() == 2
    assert len(fetches) == 2
