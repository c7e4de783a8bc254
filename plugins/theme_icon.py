"""The theme's SVG icon as a data: URL, for ``<link rel="icon">`` in base.html.

Inlined, the icon costs no request of its own (an article may make five:
tools/bench/pages.py): the browser draws it from the page it already has.
The file stays the one source (theme/static/favicon.svg; share_cards draws
the PNG icons from the same shape), read when a page is written.

A Jinja filter, registered through the JINJA_FILTERS setting in
pelicanconf.py (so every build has it, whatever PLUGINS lists):

    <link rel="icon" href="{{ (THEME ~ '/static/favicon.svg')|svg_data_uri }}" type="image/svg+xml">

The SVG is percent-encoded, not base64: it stays readable and smaller once
gzipped, and every character that could end the attribute or upset a URL
parser (quotes, ``<``, ``>``, ``&``, ``#``, ``%``, white space) is encoded,
so the value is safe in any HTML attribute as it is. (Not a plugin: it is
never listed in PLUGINS. The page's CSP allows ``img-src data:``.)
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

# Beside letters, digits and "_.-~": URL delimiters that mean nothing in a
# data: URL's body and need no escaping in HTML.
SAFE = "/:=;,"


class ThemeIconError(ValueError):
    """The icon file cannot be read: says which file and how to fix it."""


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@lru_cache(maxsize=8)
def _encoded(path: str, _mtime_ns: int, _size: int) -> str:
    text = Path(path).read_text(encoding="utf-8")
    if "<svg" not in text:
        raise ThemeIconError(
            f"{_shown(Path(path))}: the site icon is not an SVG image (no <svg> element); "
            "put the theme's icon there as SVG (theme/static/favicon.svg)"
        )
    return "data:image/svg+xml," + quote(text, safe=SAFE)


def svg_data_uri(path) -> str:
    """The SVG file at ``path`` as a ``data:image/svg+xml,…`` URL. Read once
    per build (again only when the file changes, as under the dev server)."""
    path = Path(os.fspath(path))
    try:
        stat = path.stat()
        return _encoded(str(path), stat.st_mtime_ns, stat.st_size)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ThemeIconError(
            f"{_shown(path)}: cannot read the site icon ({reason}); the theme's "
            '<link rel="icon"> (theme/templates/base.html) inlines this SVG file: '
            "restore it, or point the template at the theme's SVG icon"
        ) from exc


FILTERS = {"svg_data_uri": svg_data_uri}
