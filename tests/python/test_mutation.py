# SPDX-License-Identifier: LGPL-2.1-or-later
"""Quarry's mutations from Python, through the typelib (no overrides yet)."""
import gi

gi.require_version("Quarry", "1.0")
gi.require_version("Json", "1.0")

import pytest
from gi.repository import Gio, GLib, GObject, Json, Quarry

from conftest import json_value, key

TEST_DOMAIN = GLib.quark_from_string("quarry-python-test")


def to_json(node):
    return Json.to_string(node, False)


class Server:
    """A mutation function that keeps its contexts, to complete them later."""

    def __init__(self):
        self.calls = []
        self.contexts = []

    def __call__(self, context, variables):
        self.calls.append(variables)
        self.contexts.append(context)

    def succeed(self, index, text):
        self.contexts[index].return_json(json_value(text))

    def answer(self, index, text):
        self.contexts[index].return_value(GObject.Value(GObject.TYPE_STRING, text))

    def fail(self, index, message="refused"):
        self.contexts[index].return_error_literal(TEST_DOMAIN, 7, message)


def test_synchronous_function_runs_the_lifecycle_in_order(client, clock):
    events = []

    def add_todo(context, variables):
        events.append(("function", to_json(variables), m.props.status))
        context.return_json(json_value('{"id": 7, "title": "Buy milk"}'))

    m = Quarry.Mutation.new(client, key('["todos", "add"]'), add_todo)
    assert m.props.status == Quarry.MutationStatus.IDLE
    assert m.props.is_idle

    m.connect("mutate", lambda m, v: events.append(("mutate", to_json(v))))
    m.connect("success", lambda m, d, v, c: events.append(("success", to_json(d), m.props.status)))
    m.connect("error", lambda m, e, v, c: events.append(("error",)))
    m.connect("settled", lambda m, d, e, v, c: events.append(("settled", to_json(d), e, m.props.status)))

    def on_state_changed(m, action):
        if action in (Quarry.MutationAction.SUCCESS, Quarry.MutationAction.ERROR):
            events.append(("state-changed", action, m.props.status))

    m.connect("state-changed", on_state_changed)

    def done(m, data, error, variables, context):
        events.append(("callback", to_json(data), error, to_json(variables), m.props.status))

    m.mutate(json_value('{"title": "Buy milk"}'), done)
    # The function ran at once; its result is delivered on a later iteration.
    assert events == [("mutate", '{"title":"Buy milk"}'),
                      ("function", '{"title":"Buy milk"}', Quarry.MutationStatus.PENDING)]
    assert m.props.is_pending
    assert client.props.is_mutating == 1
    assert m.props.submitted_at == clock.get_wall_time()

    clock.flush()
    PENDING, SUCCESS = Quarry.MutationStatus.PENDING, Quarry.MutationStatus.SUCCESS
    assert events[2:] == [
        ("success", '{"id":7,"title":"Buy milk"}', PENDING),
        ("settled", '{"id":7,"title":"Buy milk"}', None, PENDING),
        ("state-changed", Quarry.MutationAction.SUCCESS, SUCCESS),
        ("callback", '{"id":7,"title":"Buy milk"}', None, '{"title":"Buy milk"}', SUCCESS),
    ]
    assert m.props.is_success
    assert to_json(m.props.data) == '{"id":7,"title":"Buy milk"}'
    assert to_json(m.props.variables) == '{"title":"Buy milk"}'
    assert m.props.error is None
    assert m.props.failure_count == 0
    assert client.props.is_mutating == 0


def test_completion_from_a_timeout_in_a_real_main_loop():
    """A system clock and GLib.MainLoop; the function completes 10 ms later."""
    client = Quarry.QueryClient.new()
    client.set_network_monitor(None)
    client.set_online(True)
    loop = GLib.MainLoop()
    kept = []
    results = []

    def rename(context, variables):
        kept.append(context)

        def later():
            context.return_value(GObject.Value(GObject.TYPE_STRING, "renamed to " + variables))
            return GLib.SOURCE_REMOVE

        GLib.timeout_add(10, later)

    def done(m, data, error, variables, context):
        results.append((data, error, variables))
        loop.quit()

    m = Quarry.Mutation.new(client, None, rename)
    m.mutate("Alice", done)
    assert m.props.is_pending
    guard = GLib.timeout_add_seconds(5, loop.quit)
    loop.run()
    GLib.source_remove(guard)
    assert results == [("renamed to Alice", None, "Alice")]
    assert m.props.status == Quarry.MutationStatus.SUCCESS
    assert m.props.data == "renamed to Alice"
    assert client.props.is_mutating == 0


def test_context_from_the_mutate_handler_reaches_every_handler(client, clock):
    seen = []
    m = Quarry.Mutation.new(client, None, lambda context, v: context.return_json(json_value("true")))

    # The first handler that returns a value wins; every handler runs.
    m.connect("mutate", lambda m, v: seen.append(("mutate-1", v)))
    m.connect("mutate", lambda m, v: seen.append(("mutate-2", v)) or "rollback-" + v)
    m.connect("mutate", lambda m, v: seen.append(("mutate-3", v)) or "ignored")
    m.connect("success", lambda m, d, v, c: seen.append(("success", c)))
    m.connect("settled", lambda m, d, e, v, c: seen.append(("settled", c)))

    m.mutate("x", lambda m, d, e, v, c: seen.append(("callback", c)))
    assert m.props.context == "rollback-x"
    clock.flush()
    assert seen == [("mutate-1", "x"), ("mutate-2", "x"), ("mutate-3", "x"),
                    ("success", "rollback-x"), ("settled", "rollback-x"),
                    ("callback", "rollback-x")]
    assert m.props.context == "rollback-x"
    state = m.dup_state()
    assert state.get_context() == "rollback-x"
    assert state.get_variables() == "x"


def test_error_reaches_handlers_state_and_callback(client, clock):
    seen = []

    def refuse(context, variables):
        context.return_error_literal(Quarry.http_error_quark(), Quarry.HttpError.NOT_FOUND,
                                     "No such todo")

    m = Quarry.Mutation.new(client, key('["todos", "delete"]'), refuse)
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


def test_mutate_async_success_and_failure(client, clock):
    server = Server()
    m = Quarry.Mutation.new(client, None, server)
    outcomes = []

    def finished(m, result):
        try:
            outcomes.append(("ok", to_json(m.mutate_finish(result))))
        except GLib.Error as error:
            outcomes.append(("error", error.domain, error.code, error.message))

    m.mutate_async(json_value('{"n": 1}'), None, finished)
    server.succeed(0, '{"saved": 1}')
    clock.flush()
    assert outcomes == [("ok", '{"saved":1}')]
    assert m.props.is_success

    m.mutate_async(json_value('{"n": 2}'), None, finished)
    server.fail(1, "disk full")
    clock.flush()
    assert outcomes[1:] == [("error", GLib.quark_to_string(TEST_DOMAIN), 7, "disk full")]
    assert m.props.is_error
    assert [to_json(v) for v in server.calls] == ['{"n":1}', '{"n":2}']


def test_cancelling_mutate_async_fails_the_run_with_cancelled(client, clock):
    server = Server()
    m = Quarry.Mutation.new(client, None, server)
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
    server.answer(0, "too late")
    clock.flush()
    assert m.props.is_error
    assert m.props.data is None


def test_retries_follow_the_manual_clock(client, clock):
    attempts = []

    def flaky(context, variables):
        attempts.append(context.get_attempt())
        context.return_error_literal(TEST_DOMAIN, 1, "down %d" % context.get_attempt())

    m = Quarry.Mutation.new(client, None, flaky)
    m.get_options().props.retry = 2
    errors = []
    m.connect("error", lambda m, e, v, c: errors.append(e.message))
    m.mutate("v", None)
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

    clock.advance(2000)
    assert attempts == [1, 2, 3]
    assert m.props.is_error
    assert m.props.failure_count == 3
    assert m.props.error.message == "down 3"
    assert errors == ["down 3"]
    clock.advance(60_000)
    assert attempts == [1, 2, 3]


def test_success_after_a_retry_resets_the_failure_count(client, clock):
    attempts = []

    def once_flaky(context, variables):
        attempts.append(context.get_attempt())
        if context.get_attempt() == 1:
            context.return_error_literal(TEST_DOMAIN, 1, "blip")
        else:
            context.return_json(json_value('"ok"'))

    m = Quarry.Mutation.new(client, None, once_flaky)
    m.get_options().props.retry = 3
    m.get_options().props.retry_delay = 50
    m.mutate(None, None)
    clock.flush()
    assert m.props.failure_count == 1
    clock.advance(50)
    assert attempts == [1, 2]
    assert m.props.is_success
    assert m.props.failure_count == 0
    assert m.props.failure_reason is None


def test_scope_runs_one_after_another(client, clock):
    server = Server()
    mutated = []
    first = Quarry.Mutation.new(client, None, server)
    second = Quarry.Mutation.new(client, None, server)
    unscoped = Quarry.Mutation.new(client, None, server)
    for m in (first, second):
        m.get_options().props.scope_id = "todos"
        m.connect("mutate", lambda m, v: mutated.append(v))

    first.mutate("a", None)
    second.mutate("b", None)
    unscoped.mutate("c", None)
    # The second run waits for the first; its ::mutate already ran.
    assert server.calls == ["a", "c"]
    assert mutated == ["a", "b"]
    assert not first.props.is_paused
    assert second.props.is_paused and second.props.is_pending
    assert client.props.is_mutating == 3
    scoped = client.find_mutations(Quarry.MutationFilter(status=Quarry.MutationStatus.PENDING))
    assert [(s.get_variables(), s.get_scope_id(), s.get_is_paused()) for s in scoped] == [
        ("a", "todos", False), ("b", "todos", True), ("c", None, False)]

    server.answer(1, "c done")
    clock.flush()
    assert server.calls == ["a", "c"]

    server.fail(0)
    clock.flush()
    assert first.props.is_error
    # A failure also lets the next run of the scope start.
    assert server.calls == ["a", "c", "b"]
    assert not second.props.is_paused
    server.answer(2, "b done")
    clock.flush()
    assert second.props.data == "b done"
    assert client.props.is_mutating == 0


def test_offline_runs_pause_and_resume_in_submission_order(client, clock):
    server = Server()
    mutated = []
    m1 = Quarry.Mutation.new(client, None, server)
    m2 = Quarry.Mutation.new(client, None, server)
    for m in (m1, m2):
        m.connect("mutate", lambda m, v: mutated.append(v) or "ctx-" + v)

    client.set_online(False)
    m1.mutate("first", None)
    m2.mutate("second", None)
    assert server.calls == []
    assert mutated == ["first", "second"]
    assert m1.props.is_paused and m1.props.is_pending
    assert m2.props.is_paused
    assert m1.props.context == "ctx-first"
    assert client.props.is_mutating == 2
    assert client.count_mutating(None) == 2
    clock.advance(60_000)
    assert server.calls == []

    client.set_online(True)
    assert server.calls == ["first", "second"]
    assert not m1.props.is_paused and not m2.props.is_paused
    server.answer(0, "1")
    server.answer(1, "2")
    clock.flush()
    assert (m1.props.data, m2.props.data) == ("1", "2")
    assert m2.props.context == "ctx-second"
    assert client.props.is_mutating == 0


def test_mutation_defaults_give_the_function_and_options(client, clock):
    calls = []

    def add_todo(context, variables):
        calls.append((context.get_key().to_string(), variables))
        context.return_error_literal(TEST_DOMAIN, 1, "no")

    defaults = Quarry.MutationOptions.new()
    defaults.set_mutation_func(add_todo)
    defaults.props.retry = 1
    defaults.props.retry_delay = 10
    client.set_mutation_defaults(key('["todos"]'), defaults)

    m = Quarry.Mutation.new(client, key('["todos", "add"]'), None)
    m.mutate("t", None)
    clock.flush()
    assert calls == [('["todos","add"]', "t")]
    clock.advance(10)
    assert len(calls) == 2
    assert m.props.is_error
    assert m.props.failure_count == 2

    # Another key gets none of it.
    other = Quarry.Mutation.new(client, key('["users", "add"]'), None)
    other.mutate("u", None)
    clock.flush()
    assert other.props.is_error
    assert other.props.error.matches(Quarry.error_quark(), Quarry.Error.MISSING_FETCH_FUNC)
    assert len(calls) == 2


def test_defaults_registered_while_paused_give_the_function(client, clock):
    calls = []
    client.set_online(False)
    m = Quarry.Mutation.new(client, key('["sync"]'), None)
    m.mutate("offline edit", None)
    assert m.props.is_paused

    defaults = Quarry.MutationOptions.new()
    defaults.set_mutation_func(lambda context, v: calls.append(v) or context.return_json(json_value("1")))
    client.set_mutation_defaults(key('["sync"]'), defaults)
    client.set_online(True)
    clock.flush()
    assert calls == ["offline edit"]
    assert m.props.is_success


def test_find_mutations_and_count_mutating_with_filters(client, clock):
    server = Server()
    add = Quarry.Mutation.new(client, key('["todos", "add"]'), server)
    remove = Quarry.Mutation.new(client, key('["todos", "remove"]'), server)
    user = Quarry.Mutation.new(client, key('["users", "add"]'), server)
    anonymous = Quarry.Mutation.new(client, None, server)
    for i, m in enumerate((add, remove, user, anonymous)):
        m.mutate(i, None)
    assert client.props.is_mutating == 4

    todos = Quarry.MutationFilter(key=key('["todos"]'))
    assert client.count_mutating(todos) == 2
    assert client.count_mutating(Quarry.MutationFilter.new(key('["todos", "add"]'))) == 1
    exact = Quarry.MutationFilter(key=key('["todos"]'), exact=True)
    assert client.count_mutating(exact) == 0

    states = client.find_mutations(todos)
    assert [s.get_mutation_key().to_string() for s in states] == ['["todos","add"]', '["todos","remove"]']
    assert [s.get_variables() for s in states] == [0, 1]
    assert all(s.get_status() == Quarry.MutationStatus.PENDING for s in states)
    assert states[0].get_mutation_id() < states[1].get_mutation_id()
    assert len(client.find_mutations(None)) == 4

    server.answer(0, "added")
    server.fail(1)
    server.answer(2, "user")
    server.answer(3, "anon")
    clock.flush()
    assert client.props.is_mutating == 0
    assert client.count_mutating(todos) == 0

    succeeded = Quarry.MutationFilter(key=key('["todos"]'), status=Quarry.MutationStatus.SUCCESS)
    assert succeeded.props.match_status
    assert [s.get_value() for s in client.find_mutations(succeeded)] == ["added"]

    failed = Quarry.MutationFilter.new(None)
    assert not failed.props.match_status
    failed.set_status(Quarry.MutationStatus.ERROR)
    assert failed.props.match_status
    found = client.find_mutations(failed)
    assert [(s.get_variables(), s.get_error().message) for s in found] == [(1, "refused")]
    assert found[0].get_failure_count() == 1


def test_settled_runs_are_listed_until_gc_time_after_no_mutation_shows_them(client, clock):
    m = Quarry.Mutation.new(client, key('["gc"]'), lambda c, v: c.return_json(json_value("1")))
    m.get_options().props.gc_time = 1000
    m.mutate(None, None)
    clock.flush()
    assert len(client.find_mutations(None)) == 1
    clock.advance(5000)
    assert len(client.find_mutations(None)) == 1  # still shown by m
    m.reset()
    assert m.props.is_idle
    assert m.props.data is None
    clock.advance(999)
    assert len(client.find_mutations(None)) == 1
    clock.advance(1)
    assert client.find_mutations(None) == []


def test_only_the_latest_mutate_callback_runs(client, clock):
    server = Server()
    m = Quarry.Mutation.new(client, None, server)
    successes = []
    callbacks = []
    m.connect("success", lambda m, d, v, c: successes.append(v))
    m.mutate("one", lambda m, d, e, v, c: callbacks.append(("one", d)))
    m.mutate("two", lambda m, d, e, v, c: callbacks.append(("two", d)))
    assert server.calls == ["one", "two"]
    server.answer(1, "second")
    server.answer(0, "first")
    clock.flush()
    # Both runs emit the mutation's signals; the state shows the latest run.
    assert sorted(successes) == ["one", "two"]
    assert callbacks == [("two", "second")]
    assert m.props.variables == "two"
    assert m.props.data == "second"


def test_optimistic_helpers_restore_and_commit(client):
    k = key('["todos"]')
    client.set_query_data(k, GObject.Value(Json.Node, json_value('[{"id": 1, "title": "a"}]')))

    restorer = client.optimistic_upsert(k, json_value('{"id": 2, "title": "b"}'), "id", "isUpdating")
    assert restorer.get_is_pending()
    assert restorer.get_key().to_string() == '["todos"]'
    assert to_json(client.get_query_data(k)) == \
        '[{"id":1,"title":"a"},{"id":2,"title":"b","isUpdating":true}]'
    restorer.restore()
    assert not restorer.get_is_pending()
    assert to_json(client.get_query_data(k)) == '[{"id":1,"title":"a"}]'

    # An item made with a temporary id takes the server's id on commit.
    restorer = client.optimistic_upsert(k, json_value('{"id": "tmp", "title": "c"}'), "id", "isUpdating")
    assert to_json(client.get_query_data(k)) == \
        '[{"id":1,"title":"a"},{"id":"tmp","title":"c","isUpdating":true}]'
    restorer.commit(GObject.Value(Json.Node, json_value('{"id": 3, "title": "C"}')))
    assert not restorer.get_is_pending()
    assert to_json(client.get_query_data(k)) == '[{"id":1,"title":"a"},{"id":3,"title":"C"}]'
    restorer.restore()  # does nothing once committed
    assert to_json(client.get_query_data(k)) == '[{"id":1,"title":"a"},{"id":3,"title":"C"}]'

    # Two pending changes: rolling back the older keeps the newer.
    older = client.optimistic_delete(k, json_value("1"), "id", None)
    newer = client.optimistic_upsert(k, json_value('{"id": 4, "title": "d"}'), "id", None)
    assert to_json(client.get_query_data(k)) == '[{"id":3,"title":"C"},{"id":4,"title":"d"}]'
    older.restore()
    assert to_json(client.get_query_data(k)) == \
        '[{"id":1,"title":"a"},{"id":3,"title":"C"},{"id":4,"title":"d"}]'
    newer.commit(None)
    assert to_json(client.get_query_data(k)) == \
        '[{"id":1,"title":"a"},{"id":3,"title":"C"},{"id":4,"title":"d"}]'

    with pytest.raises(GLib.Error) as info:
        client.optimistic_upsert(k, json_value('{"title": "no id"}'), "id", None)
    assert info.value.matches(Quarry.error_quark(), Quarry.Error.UNSUPPORTED_TYPE)


def test_declarative_update_rolls_back_on_error_and_invalidates(client, clock):
    todos = key('["todos"]')
    fetches = []

    def fetch(context):
        fetches.append(context.get_key().to_string())
        if len(fetches) == 1:
            context.return_json(json_value('[{"id": 1, "title": "a"}]'))
        else:
            context.return_json(json_value('[{"id": 1, "title": "a (server)"}]'))

    query = Quarry.Query.new(client, todos, fetch)
    query.props.stale_time = Quarry.TIME_INFINITE
    clock.flush()
    assert fetches == ['["todos"]']

    server = Server()
    m = Quarry.Mutation.new(client, key('["todos", "add"]'), server)
    update = Quarry.OptimisticUpdate.new(Quarry.OptimisticKind.UPSERT, todos)
    update.props.updating_member = "isUpdating"
    m.get_options().add_optimistic_update(update)
    m.get_options().add_invalidate_key(todos)
    seen = []
    m.connect("mutate", lambda m, v: seen.append(("mutate", to_json(client.get_query_data(todos)))))
    m.connect("error", lambda m, e, v, c: seen.append(("error", to_json(client.get_query_data(todos)))))
    m.connect("settled", lambda m, d, e, v, c: seen.append(("settled", len(fetches))))

    m.mutate(json_value('{"id": 2, "title": "b"}'), None)
    optimistic = '[{"id":1,"title":"a"},{"id":2,"title":"b","isUpdating":true}]'
    assert to_json(client.get_query_data(todos)) == optimistic
    assert to_json(query.get_value()) == optimistic

    server.fail(0)
    clock.flush()
    assert seen == [("mutate", optimistic),
                    ("error", '[{"id":1,"title":"a"}]'),
                    ("settled", 1)]
    # Invalidation after the handlers refetched the active query.
    assert fetches == ['["todos"]', '["todos"]']
    assert to_json(query.get_value()) == '[{"id":1,"title":"a (server)"}]'
    assert m.props.is_error


def test_declarative_update_commits_the_server_version(client, clock):
    todos = key('["todos"]')
    client.set_query_data(todos, GObject.Value(Json.Node, json_value('[{"id": 1, "title": "a"}]')))
    server = Server()
    m = Quarry.Mutation.new(client, None, server)
    update = Quarry.OptimisticUpdate.new(Quarry.OptimisticKind.UPSERT, todos)
    update.set_updating_member("isUpdating")
    m.get_options().add_optimistic_update(update)

    m.mutate(json_value('{"id": 1, "title": "A"}'), None)
    assert to_json(client.get_query_data(todos)) == '[{"id":1,"title":"A","isUpdating":true}]'
    server.succeed(0, '{"id": 1, "title": "A!", "rev": 2}')
    clock.flush()
    assert to_json(client.get_query_data(todos)) == '[{"id":1,"title":"A!","rev":2}]'


def test_disposed_mutation_reports_disposed(client, clock):
    server = Server()
    m = Quarry.Mutation.new(client, None, server)
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
