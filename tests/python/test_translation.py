# SPDX-License-Identifier: LGPL-2.1-or-later
"""The translations in po/: the German one is complete, matches the strings
of the sources, and is what the library, the widgets, the demo server and
both demo apps show when the user's language is German.

Which catalogs the running code uses is decided by the C library's gettext,
once per process: every check that switches the language runs a fresh
process with ``LANGUAGE=de`` and ``LC_ALL=C.UTF-8`` (glibc honours LANGUAGE
for any locale but plain C, and C.UTF-8 is built in, so no locale needs to
be generated). Each also runs in English once, so that a catalog that is
not loaded at all cannot pass for a translated one.

The catalogs are the ones the build made, ``<build>/po/<lang>/LC_MESSAGES``;
the build directory is $QUARRY_BUILD_LOCALEDIR's parent if that is set, else
the one whose ``lib`` is on GI_TYPELIB_PATH (tests/meson.build puts it
there)."""
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SOURCE_ROOT = Path(__file__).resolve().parents[2]
PO_DIR = SOURCE_ROOT / "po"
DOMAIN = "quarry"
# A guard against a hung child, not a wait.
TIMEOUT = 60

# The xgettext arguments of meson's i18n.gettext(preset: 'glib'), which
# po/meson.build uses to make quarry.pot.
GLIB_PRESET_ARGS = [
    "--from-code=UTF-8",
    "--add-comments",
    "--keyword=_",
    "--keyword=N_",
    "--keyword=C_:1c,2",
    "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3",
    "--keyword=g_dpgettext2:2c,3",
]

# What marks a translatable string, by the kind of file.
MARKERS = {
    ".c": re.compile(r'\b(?:_|N_|C_|NC_|Q_|ngettext|g_dngettext|g_dpgettext2|g_dcgettext)\s*\(\s*"'),
    ".h": re.compile(r'\b(?:_|N_|C_|NC_|Q_|ngettext|g_dngettext|g_dpgettext2|g_dcgettext)\s*\(\s*"'),
    ".py": re.compile(r"""\b(?:_|N_|ngettext|pgettext|npgettext)\(\s*[rRuU]?["']"""),
    ".ui": re.compile(r'translatable="yes"'),
}
SCANNED_DIRS = ("lib", "demo")


def linguas():
    lines = (PO_DIR / "LINGUAS").read_text(encoding="utf-8").splitlines()
    return [word for line in lines if not line.lstrip().startswith("#") for word in line.split()]


def potfiles():
    lines = (PO_DIR / "POTFILES.in").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def gettext_tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: the gettext package)")
    return path


def tool_env():
    """The gettext tools speak English, whatever the user's language."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "LANGUAGE"))}
    env["LC_ALL"] = "C.UTF-8"
    return env


def language_env(language, localedir=None):
    """The environment of a child that runs in @language ("de", or "" for
    the untranslated strings)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("LC_", "LANG", "QUARRY_TODO_LOCALEDIR"))}
    env["LC_ALL"] = "C.UTF-8"
    env["LANGUAGE"] = language
    if localedir is not None:
        env["QUARRY_TODO_LOCALEDIR"] = str(localedir)
    return env


def build_root():
    """The meson build directory the tests run from, or None."""
    explicit = os.environ.get("QUARRY_BUILD_LOCALEDIR")
    if explicit:
        return Path(explicit).parent
    for entry in os.environ.get("GI_TYPELIB_PATH", "").split(os.pathsep):
        path = Path(entry)
        if path.name == "lib" and (path.parent / "meson-private").is_dir():
            return path.parent
    return None


@pytest.fixture(scope="module")
def localedir():
    """The build tree's catalogs; every language of LINGUAS must be there."""
    root = build_root()
    if root is None:
        pytest.skip("no meson build directory on GI_TYPELIB_PATH and no $QUARRY_BUILD_LOCALEDIR: "
                    "run the tests with meson test")
    directory = Path(os.environ.get("QUARRY_BUILD_LOCALEDIR") or root / "po")
    gettext_tool("msgfmt")  # without it, the build makes no catalogs
    for language in linguas():
        catalog = directory / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        assert catalog.is_file(), (f"{catalog} was not built: build the quarry-gmo target "
                                   "(after adding a language to po/LINGUAS, meson reconfigures)")
    return directory


def run(argv, env, **kwargs):
    return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=TIMEOUT, **kwargs)


def run_python(script, env):
    """Runs @script in a fresh Python with @env; gives its stdout."""
    result = run([sys.executable, "-c", textwrap.dedent(script)], env)
    assert result.returncode == 0, f"the child failed ({result.returncode}):\n{result.stderr}"
    return result.stdout


# --- po/ itself ------------------------------------------------------------

def test_linguas_lists_german_and_every_language_has_a_po_file():
    languages = linguas()
    assert "de" in languages
    assert languages == sorted(languages), "po/LINGUAS is not sorted"
    for language in languages:
        assert (PO_DIR / f"{language}.po").is_file(), f"po/LINGUAS names {language}, which has no .po file"


def test_potfiles_lists_every_source_with_translatable_strings():
    listed = potfiles()
    assert listed == sorted(listed), "po/POTFILES.in is not sorted"
    missing_files = [name for name in listed if not (SOURCE_ROOT / name).is_file()]
    assert not missing_files, f"po/POTFILES.in names files that do not exist: {missing_files}"

    marked = set()
    for directory in SCANNED_DIRS:
        for path in (SOURCE_ROOT / directory).rglob("*"):
            pattern = MARKERS.get(path.suffix)
            if pattern is not None and path.is_file() and pattern.search(path.read_text(encoding="utf-8")):
                marked.add(path.relative_to(SOURCE_ROOT).as_posix())
    assert sorted(marked - set(listed)) == [], "files with translatable strings missing from po/POTFILES.in"
    assert sorted(set(listed) - marked) == [], "files in po/POTFILES.in without translatable strings"


@pytest.mark.parametrize("language", linguas())
def test_translation_is_valid_and_complete(language):
    msgfmt = gettext_tool("msgfmt")
    result = run([msgfmt, "--check", "--statistics", "--output-file", os.devnull, str(PO_DIR / f"{language}.po")],
                 tool_env())
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip()
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), f"{language}.po: {statistics}"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """quarry.pot, made from the sources as po/meson.build makes it (but not
    in the source tree)."""
    xgettext = gettext_tool("xgettext")
    output = tmp_path_factory.mktemp("pot") / f"{DOMAIN}.pot"
    result = run([xgettext, f"--package-name={DOMAIN}", "--directory", str(SOURCE_ROOT),
                  "--output", str(output), *GLIB_PRESET_ARGS, *potfiles()],
                 tool_env())
    assert result.returncode == 0, result.stderr
    return output


@pytest.mark.parametrize("language", linguas())
def test_translation_matches_the_sources(template, language):
    """Every string of the sources is translated, and nothing is translated
    that the sources no longer have: else run meson compile quarry-update-po
    and translate what it marks."""
    msgcmp = gettext_tool("msgcmp")
    po = str(PO_DIR / f"{language}.po")
    untranslated = run([msgcmp, po, str(template)], tool_env())
    assert untranslated.returncode == 0, f"{language}.po lacks strings of the sources:\n{untranslated.stderr}"
    stale = run([msgcmp, "--use-untranslated", str(template), po], tool_env())
    assert stale.returncode == 0, f"{language}.po has strings the sources no longer have:\n{stale.stderr}"


def test_template_has_the_contexts_of_the_ui_files(template):
    """GtkBuilder's context= attributes become msgctxt: "All" of the filter
    buttons and "All" elsewhere are translated apart."""
    text = template.read_text(encoding="utf-8")
    for context in ("filter", "todos"):
        for msgid in ("All", "Open", "Done"):
            assert f'msgctxt "{context}"\nmsgid "{msgid}"\n' in text


# --- at run time -------------------------------------------------------------

# The library binds the domain to its install prefix the first time one of
# its types or error domains initialises, so the build tree's catalogs are
# bound after that, as the demo apps do.
LIBRARY_SCRIPT = """
    import locale
    locale.setlocale(locale.LC_ALL, "")
    import gi
    gi.require_version("Quarry", "1.0")
    from gi.repository import GLib, Quarry
    Quarry.error_quark()
    locale.bindtextdomain("quarry", {localedir!r})
    try:
        Quarry.Key.new_from_string("")
    except GLib.Error as error:
        assert error.matches(Quarry.error_quark(), Quarry.Error.INVALID_KEY), error
        print(error.message)
"""


@pytest.mark.parametrize("language, expected", [
    ("de", "Ein Abfrageschlüssel muss ein JSON-Array sein, kein leerer Text"),
    ("", "A query key must be a JSON array, not empty text"),
])
def test_library_error_message_is_translated(localedir, language, expected):
    output = run_python(LIBRARY_SCRIPT.format(localedir=str(localedir)), language_env(language))
    assert output.strip() == expected


# In a fresh GTK on the session's display: QueryView (its .ui template and
# a label its C code sets), one of the demo's .ui files, and a translatable
# property with a context.
GTK_SCRIPT = """
    import json, locale
    locale.setlocale(locale.LC_ALL, "")
    import gi
    for namespace, version in (("Gtk", "4.0"), ("Quarry", "1.0"), ("QuarryGtk", "1.0")):
        gi.require_version(namespace, version)
    from gi.repository import Gtk, Quarry, QuarryGtk
    assert Gtk.init_check()
    Quarry.error_quark()
    QuarryGtk.init()
    locale.bindtextdomain("quarry", {localedir!r})

    def texts(widget):
        found = []
        if isinstance(widget, (Gtk.Button, Gtk.Label)) and widget.get_label():
            found.append(widget.get_label())
        child = widget.get_first_child()
        while child is not None:
            found += texts(child)
            child = child.get_next_sibling()
        return found

    view = QuarryGtk.QueryView()
    help_overlay = Gtk.Builder.new_from_file({help_overlay!r})
    shortcuts = [help_overlay.get_object("help_overlay")]
    titles = []
    while shortcuts:
        widget = shortcuts.pop()
        if isinstance(widget, (Gtk.ShortcutsGroup, Gtk.ShortcutsShortcut)):
            titles.append(widget.props.title)
        child = widget.get_first_child()
        while child is not None:
            shortcuts.append(child)
            child = child.get_next_sibling()
    context = Gtk.Builder.new_from_string('''
        <interface domain="quarry">
          <object class="GtkLabel" id="label">
            <property name="label" translatable="yes" context="todos">Done</property>
          </object>
        </interface>''', -1)
    print(json.dumps({{"view": texts(view), "help_overlay": titles,
                       "context": context.get_object("label").get_label()}}))
"""


@pytest.mark.parametrize("language, expected", [
    ("de", {"view": ["_Erneut versuchen", "Laden fehlgeschlagen", "Wird geladen …", "Hier ist nichts"],
            "help_overlay": ["Aufgaben", "Suchen", "Die ausgewählte Aufgabe löschen", "Tastenkürzel"],
            "context": "Erledigt"}),
    ("", {"view": ["_Retry", "Could Not Load", "Loading…", "Nothing Here"],
          "help_overlay": ["Todos", "Search", "Delete the selected todo", "Keyboard Shortcuts"],
          "context": "Done"}),
])
def test_widget_labels_are_translated(gtk, localedir, language, expected):
    env = language_env(language)
    help_overlay = str(SOURCE_ROOT / "demo" / "todo" / "gtk" / "help-overlay.ui")
    shown = json.loads(run_python(GTK_SCRIPT.format(localedir=str(localedir), help_overlay=help_overlay), env))
    for text in expected["view"]:
        assert text in shown["view"], f"QueryView shows no “{text}” but {shown['view']}"
    for text in expected["help_overlay"]:
        assert text in shown["help_overlay"], \
            f"the shortcuts window has no “{text}” but {shown['help_overlay']}"
    assert shown["context"] == expected["context"]


def todo_server():
    path = os.environ.get("QUARRY_TODO_SERVER")
    if not path:
        pytest.skip("$QUARRY_TODO_SERVER is not set: tests/meson.build sets it once the demo server is built")
    return path


@pytest.mark.parametrize("language, expected_help, expected_error", [
    ("de", "Auf Port N lauschen (Vorgabe 8080; 0 wählt einen freien Port)",
     "Der Port muss zwischen 0 und 65535 liegen"),
    ("", "Listen on port N (default 8080; 0 picks a free port)", "The port must be from 0 to 65535"),
])
def test_todo_server_messages_are_translated(localedir, language, expected_help, expected_error):
    server = todo_server()
    env = language_env(language)
    result = run([server, "--help"], env)
    assert result.returncode == 0, result.stderr
    assert expected_help in result.stdout
    result = run([server, "--port", "70000"], env)
    assert result.returncode == 2
    assert expected_error in result.stderr


@pytest.mark.parametrize("language, expected", [
    ("de", ["Eine Aufgabenliste auf einem Server, in Python mit Quarry.",
            "Den Aufgaben-Server unter URL verwenden, statt einen zu starten"]),
    ("", ["A todo list kept on a server, in Python with Quarry.",
          "Use the todo server at URL instead of starting one"]),
])
def test_python_demo_help_is_translated(localedir, language, expected):
    script = SOURCE_ROOT / "demo" / "python" / "quarry-todo.py"
    result = run([sys.executable, str(script), "--help"], language_env(language, localedir))
    assert result.returncode == 0, result.stderr
    for text in expected:
        assert text in result.stdout


@pytest.mark.parametrize("language, expected", [
    ("de", ["Eine Aufgabenliste auf einem REST-Server, mit Quarry aktuell gehalten.",
            "Den Aufgaben-Server unter URL verwenden, statt einen zu starten"]),
    ("", ["A todo list on a REST server, kept up to date with Quarry.",
          "Use the todo server at URL instead of starting one"]),
])
def test_c_demo_help_is_translated(localedir, language, expected):
    """quarry-todo, run from the build tree, finds the build's catalogs."""
    app = build_root() / "demo" / "todo" / "quarry-todo"
    if not app.is_file():
        pytest.skip(f"{app} is not built")
    result = run([str(app), "--help"], language_env(language))
    assert result.returncode == 0, result.stderr
    for text in expected:
        assert text in result.stdout
