#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""quarry-todo in Python: the demo's todo list, on Quarry and QuarryGtk.

Needs PyGObject (Debian's python3-gi: run it with /usr/bin/python3) and
Quarry's typelibs and overrides; demo/python/run sets those up from the
build tree. See demo/python/README.md."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from quarry_todo.application import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
