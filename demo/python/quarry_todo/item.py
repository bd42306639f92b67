# SPDX-License-Identifier: LGPL-2.1-or-later
from gi.repository import GObject


class TodoItem(GObject.Object):
    """One todo of the list. Quarry.KeyedListModel makes one per id and sets
    these properties from the JSON members of the same name; a refetch
    updates them in place, so rows bound to them follow.

    ``saving`` is the marker of an optimistic change: true while the
    server has not confirmed the todo as shown. A todo the server has not
    created yet has a negative (temporary) id."""

    __gtype_name__ = "QuarryTodoPyItem"

    id = GObject.Property(type=GObject.TYPE_INT64, default=0)
    title = GObject.Property(type=str, default="")
    done = GObject.Property(type=bool, default=False)
    saving = GObject.Property(type=bool, default=False)
