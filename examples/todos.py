#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A todo list over a JSON REST API, from Python.

Starts a small todo API on 127.0.0.1 (a Soup.Server in this process), then
loads the list with a query, adds a todo with a mutation whose optimistic
update shows it at once, refetches the list once the server has answered,
and marks the first todo done with a PATCH.

With --fail the server answers the POST with 500: the optimistic todo is
rolled back and the server's message is shown.

Run it against the build tree, from the top of the source tree:

    GI_TYPELIB_PATH=build/lib LD_LIBRARY_PATH=build/lib PYTHONPATH=python \\
        /usr/bin/python3 examples/todos.py [--fail]
"""
import argparse
import json
import sys

import gi

gi.require_version("Quarry", "1.0")
gi.require_version("Soup", "3.0")

from gi.repository import Gio, GLib, Quarry, Soup  # noqa: E402

TIMEOUT_SECONDS = 10


# --- the server --------------------------------------------------------------

class TodoServer:
    """GET /todos, POST /todos and PATCH /todos/{id}, with JSON bodies."""

    def __init__(self, fail_posts):
        self.fail_posts = fail_posts
        self.todos = [
            {"id": 1, "title": "Buy milk", "done": False},
            {"id": 2, "title": "Call mum", "done": True},
        ]
        self.next_id = 3
        self.soup = Soup.Server()
        self.soup.listen(Gio.InetSocketAddress.new_from_string("127.0.0.1", 0), 0)
        self.soup.add_handler("/todos", self.handle)
        self.base_uri = f"http://127.0.0.1:{self.soup.get_uris()[0].get_port()}/"

    def handle(self, soup, msg, path, query):
        method = msg.get_method()
        body = msg.get_request_body().flatten().get_data()
        status, reply = self.answer(method, path, json.loads(body) if body else None)
        print(f"  server: {method} {path} -> {status}")
        msg.set_status(status, None)
        msg.set_response("application/json", Soup.MemoryUse.COPY, json.dumps(reply).encode("utf-8"))

    def answer(self, method, path, body):
        if path == "/todos" and method == "GET":
            return 200, self.todos
        if path == "/todos" and method == "POST":
            if self.fail_posts:
                return 500, {"message": "The database is read-only"}
            todo = {"id": self.next_id, "title": body["title"], "done": False}
            self.next_id += 1
            self.todos.append(todo)
            return 201, todo
        if path.startswith("/todos/") and method == "PATCH":
            for todo in self.todos:
                if str(todo["id"]) == path[len("/todos/"):]:
                    todo.update(body)
                    return 200, todo
            return 404, {"message": "There is no such todo"}
        return 405, {"message": f"{method} {path} is not supported"}

    def stop(self):
        self.soup.disconnect()


# --- the client --------------------------------------------------------------

def describe(todos):
    if todos is None:
        return "(no data)"
    return ", ".join(f"#{todo['id']} {todo['title']}"
                     + (" [done]" if todo.get("done") else "")
                     + (" (saving...)" if todo.get("saving") else "")
                     for todo in todos)


class TodoApp:
    def __init__(self, base_uri):
        self.loop = GLib.MainLoop()
        self.finished = False
        self.client = Quarry.QueryClient()
        self.http = Quarry.HttpClient.new(base_uri)

        # The list: GET /todos.
        self.todos = Quarry.Query(self.client, ["todos"], self.http.endpoint("GET", "/todos").fetch)
        self.todos.connect("notify::is-loading", self.on_loading)
        self.todos.connect("notify::status", self.on_status)

        # Adding a todo: POST /todos with the variables as the body. The
        # optimistic update shows it at once under a temporary id, the
        # server's todo replaces it on success, and a failure removes it.
        self.add = Quarry.Mutation(self.client, ["todos", "add"], self.http.endpoint("POST", "/todos").mutate)
        options = self.add.get_options()
        options.add_optimistic_update(Quarry.OptimisticUpdate(
            Quarry.OptimisticKind.UPSERT, ["todos"],
            value_func=lambda todo: {**todo, "id": "new"},
            updating_member="saving"))
        options.add_invalidate_key(["todos"])   # refetch the list once settled

        # Marking a todo done: PATCH /todos/{id}, {id} from the variables.
        self.mark_done = Quarry.Mutation(self.client, ["todos", "done"],
                                         self.http.endpoint("PATCH", "/todos/{id}").mutate)
        self.mark_done.get_options().add_optimistic_update(Quarry.OptimisticUpdate(
            Quarry.OptimisticKind.UPSERT, ["todos"], value_func=self.patched, updating_member="saving"))

    def on_loading(self, query, pspec):
        if query.props.is_loading:
            print("loading todos...")

    def on_status(self, query, pspec):
        if query.props.status == Quarry.Status.SUCCESS:
            query.disconnect_by_func(self.on_status)
            print("loaded:", describe(query.props.data))
            self.add_todo("Water the plants")
        elif query.props.status == Quarry.Status.ERROR:
            print("could not load the todos:", query.get_error().message)
            self.loop.quit()

    def add_todo(self, title):
        print(f"adding {title!r}")
        self.add.mutate({"title": title}, on_success=self.on_added, on_error=self.on_add_failed,
                        on_settled=lambda *args: self.when_idle(self.finish_add))
        print("optimistic:", describe(self.client.get_query_data(["todos"])))

    def on_added(self, todo, variables, context):
        print("the server's item:", describe([todo]))
        print("saved:", describe(self.client.get_query_data(["todos"])))

    def on_add_failed(self, error, variables, context):
        print("error:", error.message)
        print("rolled back:", describe(self.client.get_query_data(["todos"])))

    def finish_add(self):
        print("refetched:", describe(self.todos.get_data()))
        first = self.todos.get_data()[0]
        print(f"marking #{first['id']} done")
        self.mark_done.mutate({"id": first["id"], "done": True},
                              on_settled=lambda *args: self.when_idle(self.finish))
        print("optimistic:", describe(self.client.get_query_data(["todos"])))

    def patched(self, variables):
        todo = next(t for t in self.client.get_query_data(["todos"]) if t["id"] == variables["id"])
        return {**todo, **variables}

    def finish(self):
        print("finally:", describe(self.todos.get_data()))
        self.finished = True
        self.loop.quit()

    def when_idle(self, then):
        """Calls @then once the list is not fetching (an invalidation may
        have started a refetch)."""
        if not self.todos.props.is_fetching:
            then()
            return

        def on_fetching(query, pspec):
            if not query.props.is_fetching:
                query.disconnect(handler)
                then()

        handler = self.todos.connect("notify::is-fetching", on_fetching)

    def run(self, timeout_seconds):
        """Runs the main loop until the end, a failure to load the list, or
        the timeout; returns whether it reached the end."""
        timed_out = False

        def on_timeout():
            nonlocal timed_out
            timed_out = True
            print(f"timed out after {timeout_seconds} s", file=sys.stderr)
            self.loop.quit()
            return GLib.SOURCE_REMOVE

        guard = GLib.timeout_add_seconds(timeout_seconds, on_timeout)
        self.loop.run()
        if not timed_out:
            GLib.source_remove(guard)
        return self.finished


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fail", action="store_true", help="the server answers the POST with 500")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    server = TodoServer(fail_posts=args.fail)
    finished = TodoApp(server.base_uri).run(TIMEOUT_SECONDS)
    server.stop()
    return 0 if finished else 1


if __name__ == "__main__":
    sys.exit(main())
