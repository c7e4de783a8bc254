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
- the code of every loaded plugin (every file in its package) and every
  ``*.py`` below ``PLUGIN_PATHS``;
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
    "BUILD_WORKERS",
    "BUILD_PARALLEL_MIN_FILES",
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


# Computed once per process: Python imports a plugin once, so later builds
# in the same process (tests, Pelican's autoreload) run the code that was
# hashed first, even if the files changed since. A fresh process hashes anew.
_CODE: dict[tuple, str] = {}


def code_fingerprint(plugin_modules, plugin_paths) -> str:
    """Hash of the plugins' code: every file of each loaded plugin package
    (or the module file), and every *.py below PLUGIN_PATHS."""
    modules = tuple(
        (getattr(m, "__name__", ""), getattr(m, "__file__", None)) for m in plugin_modules
    )
    key = (modules, tuple(str(p) for p in plugin_paths or ()))
    if key not in _CODE:
        _CODE[key] = _code_fingerprint(plugin_modules, plugin_paths)
    return _CODE[key]


def _code_fingerprint(plugin_modules, plugin_paths) -> str:
    files: set[Path] = set()
    for module in plugin_modules:
        folders = getattr(module, "__path__", None)
        if folders:
            for folder in folders:
                files.update(_files_below(Path(folder), "*"))
        elif getattr(module, "__file__", None):
            files.add(Path(module.__file__))
    for folder in plugin_paths or ():
        if os.path.isdir(folder):
            files.update(_files_below(Path(folder), "*.py"))
    # this plugin too, wherever it was loaded from
    files.update(_files_below(Path(__file__).parent, "*.py"))
    parts = []
    for path in sorted(files):
        try:
            parts += [str(path.resolve()), path.read_bytes()]
        except OSError:
            parts += [str(path), b"<unreadable>"]
    return digest(*parts)
