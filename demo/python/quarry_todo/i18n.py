# SPDX-License-Identifier: LGPL-2.1-or-later
"""Translations: gettext domain ``quarry``, shared with the library and the C
demo.

Python's strings go through ``_()`` and ``ngettext()`` of this module; the
``.ui`` templates' strings go through GTK, which asks the C library's
gettext, so the domain is bound there too (``bind()``)."""
import gettext
import locale
import os

DOMAIN = "quarry"
_SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _has_catalogs(directory):
    try:
        return any(os.path.isfile(os.path.join(directory, language, "LC_MESSAGES", DOMAIN + ".mo"))
                   for language in os.listdir(directory))
    except OSError:
        return False


def locale_dir():
    """Where the catalogs are: $QUARRY_TODO_LOCALEDIR, else the build tree's
    ``build/po`` when running from a source tree that has compiled
    catalogs, else None (the system's)."""
    directory = os.environ.get("QUARRY_TODO_LOCALEDIR")
    if directory:
        return directory
    directory = os.path.join(_SOURCE_ROOT, "build", "po")
    return directory if _has_catalogs(directory) else None


_translation = gettext.translation(DOMAIN, localedir=locale_dir(), fallback=True)
_ = _translation.gettext
ngettext = _translation.ngettext


def bind():
    """Binds the domain for GTK's lookups (the .ui strings); GTK set the
    locale when it was imported. Quarry binds the domain to its own install
    prefix the first time it needs it, which would undo this: that happens
    first, here, through Quarry.error_quark()."""
    from gi.repository import Quarry, QuarryGtk

    Quarry.error_quark()
    QuarryGtk.init()
    directory = locale_dir()
    if directory is not None:
        locale.bindtextdomain(DOMAIN, directory)
