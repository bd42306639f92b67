# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Python examples run to the end and print what they promise.

Each runs as a subprocess with this interpreter and this environment (the
typelib, library and override paths the test suite runs with)."""
import os
import pathlib
import subprocess
import sys

import pytest

TODOS = pathlib.Path(__file__).resolve().parents[2] / "examples" / "todos.py"


def run_todos(*args):
    result = subprocess.run([sys.executable, str(TODOS), *args], env=dict(os.environ),
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, f"exit status {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout.splitlines()


def line_index(lines, text):
    """The index of the first line that starts with @text."""
    for index, line in enumerate(lines):
        if line.startswith(text):
            return index
    pytest.fail(f"no line starts with {text!r} in:\n" + "\n".join(lines))


def test_todos_adds_a_todo_optimistically():
    lines = run_todos()

    loading = line_index(lines, "loading todos...")
    loaded = line_index(lines, "loaded: #1 Buy milk, #2 Call mum [done]")
    optimistic = line_index(lines, "optimistic: #1 Buy milk, #2 Call mum [done], #new Water the plants (saving...)")
    posted = line_index(lines, "  server: POST /todos -> 201")
    saved = line_index(lines, "the server's item: #3 Water the plants")
    refetched = line_index(lines, "refetched: #1 Buy milk, #2 Call mum [done], #3 Water the plants")
    assert loading < loaded < optimistic < posted < saved < refetched
    assert lines[-1] == "finally: #1 Buy milk [done], #2 Call mum [done], #3 Water the plants"
    assert not any(line.startswith("error:") for line in lines)


def test_todos_rolls_back_when_the_server_fails():
    lines = run_todos("--fail")

    optimistic = line_index(lines, "optimistic: #1 Buy milk, #2 Call mum [done], #new Water the plants (saving...)")
    posted = line_index(lines, "  server: POST /todos -> 500")
    error = line_index(lines, "error: The server answered 500 Internal Server Error: The database is read-only")
    rolled_back = line_index(lines, "rolled back: #1 Buy milk, #2 Call mum [done]")
    assert optimistic < posted < error < rolled_back
    assert lines[rolled_back] == "rolled back: #1 Buy milk, #2 Call mum [done]"
    assert not any("#3" in line for line in lines)
    assert lines[-1] == "finally: #1 Buy milk [done], #2 Call mum [done]"
