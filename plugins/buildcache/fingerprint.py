"""Stable fingerprints of what a Markdown read depends on.

A cache entry is only as good as its key. Everything that can change what a
reader returns for a file goes in:

- the file's bytes, its absolute path and the working directory (plugins
  put display paths such as ``content/articles/x.md`` into their output);
- the reader: its class and base classes (plugins wrap the Markdown reader)
  and the settings it reads with, all of them except the few that only
  matter when writing (``WRITE_ONLY``), rendered by ``stable()`` so that
  Markdown extension objects, classes and functions compare by what they
  are, not by their address in memory;
- the code of every loaded plugin (every file in its package), every
  ``*.py`` below ``PLUGIN_PATHS``, and every module the plugins import that
  is neither in the standard library nor in site-packages (editable
  installs), or is named ``pelican.plugins.*`` or ``pelican_widget_blocks*``
  (``plugin_code_modules``);
- the versions of Python, Pelican, Markdown, Pygments, typogrify and
  smartypants.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import re
import sys
from importlib import metadata
from pathlib import Path

# Settings that cannot change what a reader returns: where and how output is
# written, URLs (content objects compute theirs from the live settings; the
# cache re-attaches them on load), feeds, the theme and the caches. Anything
# not listed here is part of the key, so a new or unknown setting costs a
# cache miss, never a stale page.
WRITE_ONLY = {
    "OUTPUT_PATH",
    "CACHE_PATH",
    "DELETE_OUTPUT_DIRECTORY",
    "OUTPUT_RETENTION",
    "OUTPUT_SOURCES",
    "OUTPUT_SOURCES_EXTENSION",
    "SITEURL",
    "RELATIVE_URLS",
    "FEED_DOMAIN",
    "FEED_MAX_ITEMS",
    "FEED_APPEND_REF",
    "RSS_FEED_SUMMARY_ONLY",
    "THEME",
    "THEME_STATIC_DIR",
    "THEME_STATIC_PATHS",
    "THEME_TEMPLATES_OVERRIDES",
    "CSS_FILE",
    "DIRECT_TEMPLATES",
    "PAGINATED_TEMPLATES",
    "DEFAULT_PAGINATION",
    "DEFAULT_ORPHANS",
    "PAGINATION_PATTERNS",
    "TEMPLATE_PAGES",
    "TEMPLATE_EXTENSIONS",
    "JINJA_ENVIRONMENT",
    "JINJA_FILTERS",
    "JINJA_GLOBALS",
    "JINJA_TESTS",
    "CACHE_CONTENT",
    "LOAD_CONTENT_CACHE",
    "CONTENT_CACHING_LAYER",
    "GZIP_CACHE",
    "CHECK_MODIFIED_METHOD",
    "WRITE_SELECTED",
    "BIND",
    "PORT",
    "SITEMAP",
    "BUILD_CACHE",
}
WRITE_ONLY_SUFFIXES = ("_URL", "_SAVE_AS", "_FEED_ATOM", "_FEED_RSS", "_FEED_ATOM_URL")

VERSIONED = ("pelican", "markdown", "pygments", "typogrify", "smartypants")


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _name(obj) -> str:
    module = getattr(obj, "__module__", None) or type(obj).__module__
    qualname = getattr(obj, "__qualname__", None) or type(obj).__qualname__
    return f"{module}.{qualname}"


def stable(value, _depth: int = 0) -> str:
    """A text that is equal for equal settings values in any process.

    Containers are walked (dicts sorted by key); Markdown extension objects
    become their class and configuration; classes, functions and modules
    their qualified name; regular expressions their pattern and flags; other
    objects their class and attributes, a few levels deep."""
    if _depth > 8:
        return f"<{_name(value)}>"
    d = _depth + 1
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return repr(value)
    if isinstance(value, dict):
        items = sorted((stable(k, d), stable(v, d)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        inner = ",".join(stable(v, d) for v in value)
        return ("[" if isinstance(value, list) else "(") + inner + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(stable(v, d) for v in value)) + "}"
    if isinstance(value, re.Pattern):
        return f"re({value.pattern!r},{value.flags})"
    named = inspect.ismodule(value) or inspect.isclass(value) or callable(value)
    if named and not hasattr(value, "getConfigs"):
        return f"<{_name(value)}>"
    get_configs = getattr(value, "getConfigs", None)
    if callable(get_configs):  # a Markdown extension
        try:
            return f"ext<{_name(value)}>{stable(get_configs(), d)}"
        except Exception:
            return f"ext<{_name(value)}>"
    state = getattr(value, "__dict__", None)
    if isinstance(state, dict):
        return f"obj<{_name(value)}>{stable(state, d)}"
    return f"<{_name(value)}>{value!r}"


def reading_settings(settings: dict) -> dict:
    return {
        k: v
        for k, v in settings.items()
        if k not in WRITE_ONLY and not k.endswith(WRITE_ONLY_SUFFIXES) and k.isupper()
    }


def versions() -> str:
    found = [f"python={sys.version}"]
    for name in VERSIONED:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return ";".join(found)


def _files_below(folder: Path, pattern: str):
    for path in sorted(folder.rglob(pattern)):
        if "__pycache__" not in path.parts and path.is_file():
            yield path


# -- the code ----------------------------------------------------------------

# Names of modules that belong to the widget plugins wherever they are
# installed (editable or not): they are always part of the key.
PLUGIN_MODULE_PREFIXES = ("pelican.plugins.", "pelican_widget_blocks")


def _library_folders() -> tuple[str, ...]:
    """Where the standard library and installed packages live: their code
    is keyed by the versions above (Python's and the libraries')."""
    import site
    import sysconfig

    folders = set()
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(name)
        if path:
            folders.add(path)
    folders.update(getattr(site, "getsitepackages", list)())
    folders.add(os.path.dirname(os.__file__))  # the standard library
    # site-packages folders added by .pth files or PYTHONPATH
    folders.update(
        p for p in sys.path if os.path.basename(p.rstrip("/")) in ("site-packages", "dist-packages")
    )
    user = getattr(site, "getusersitepackages", lambda: None)()
    if user:
        folders.add(user)
    resolved = set()
    for folder in folders:
        resolved.add(os.path.join(os.path.realpath(folder), ""))
    return tuple(sorted(resolved))


def _module_file(module) -> str | None:
    path = getattr(module, "__file__", None)
    return os.path.realpath(path) if isinstance(path, str) else None


def _under(path: str, folders) -> bool:
    return any(path.startswith(folder) for folder in folders)


def _is_ours(name: str, path: str | None, libraries, plugin_folders) -> bool:
    if name.startswith(PLUGIN_MODULE_PREFIXES):
        return True
    if path is None:
        return False
    return _under(path, plugin_folders) or not _under(path, libraries)


def plugin_code_modules(plugin_modules, plugin_paths=()) -> dict[str, object]:
    """The modules whose code can change what a read returns: every loaded
    plugin and its submodules, every module named `pelican.plugins.*` or
    `pelican_widget_blocks*`, every module below `PLUGIN_PATHS`, and,
    transitively, every module they import (or import names from) that is
    neither in the standard library nor in site-packages (editable installs,
    helpers next to the settings)."""
    libraries = _library_folders()
    plugin_folders = tuple(
        os.path.join(os.path.realpath(p), "") for p in plugin_paths or () if os.path.isdir(p)
    )
    modules = dict(sys.modules)
    roots = {getattr(m, "__name__", "") for m in plugin_modules}
    found: dict[str, object] = {}
    todo = []
    for name, module in modules.items():
        if module is None:
            continue
        path = _module_file(module)
        in_plugin = any(name == r or name.startswith(r + ".") for r in roots if r)
        named = name.startswith(PLUGIN_MODULE_PREFIXES)
        below = path is not None and _under(path, plugin_folders)
        if in_plugin or named or below:
            found[name] = module
            todo.append(module)
    while todo:
        module = todo.pop()
        try:
            values = list(vars(module).values())
        except TypeError:
            continue
        for value in values:
            if inspect.ismodule(value):
                other = value
            else:
                owner = getattr(value, "__module__", None)
                other = modules.get(owner) if isinstance(owner, str) else None
            if other is None:
                continue
            name = getattr(other, "__name__", None)
            if not isinstance(name, str) or name in found:
                continue
            if _is_ours(name, _module_file(other), libraries, plugin_folders):
                found[name] = other
                todo.append(other)
    return found


# A Python file's hash is taken the first time this process sees it: Python
# imports a module once, so a process that builds again (Pelican's
# autoreload, the tests) keys its reads by the code it actually runs, even if
# the file changed on disk since. Other files of a plugin package (data it may
# read at build time) are hashed afresh on every build.
_PY_HASHES: dict[str, str] = {}


def _file_hash(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "<unreadable>"


def code_fingerprint(plugin_modules, plugin_paths=()) -> str:
    """Hash of the code of every module `plugin_code_modules` finds, of every
    file in the loaded plugins' packages and of every *.py below
    PLUGIN_PATHS."""
    files: set[str] = set()
    for module in plugin_modules:
        for folder in getattr(module, "__path__", None) or ():
            if os.path.isdir(folder):
                files.update(os.path.realpath(p) for p in _files_below(Path(folder), "*"))
    modules = plugin_code_modules(plugin_modules, plugin_paths)
    for module in modules.values():
        path = _module_file(module)
        if path and os.path.isfile(path):
            files.add(path)
    for folder in plugin_paths or ():
        if os.path.isdir(folder):
            files.update(os.path.realpath(p) for p in _files_below(Path(folder), "*.py"))
    # this plugin too, wherever it was loaded from
    files.update(os.path.realpath(p) for p in _files_below(Path(__file__).parent, "*.py"))
    parts = []
    for path in sorted(files):
        if path.endswith(".py"):
            if path not in _PY_HASHES:
                _PY_HASHES[path] = _file_hash(path)
            parts += [path, _PY_HASHES[path]]
        elif not path.endswith((".pyc", ".pyo")):
            parts += [path, _file_hash(path)]
    return digest(*parts)
