"""Publish the theme's stylesheets without comments and spare whitespace.

The theme's CSS is written to be read: about a quarter of its gzipped bytes
are comments explaining why. Readers download it on every page, so at
``finalized`` (after Pelican copied the theme's static files) each ``.css``
file under THEME_STATIC_DIR in the output is rewritten, atomically, as
rcssmin (a small, long-kept CSS minifier) makes it. The files in theme/ stay
as written. Widget stylesheets, which their plugins publish, are left as
they are.

Setting: COMPACT_CSS (default True); False publishes the theme's CSS as is.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import rcssmin
from pelican import signals

logger = logging.getLogger(__name__)


def compact(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    compacted = rcssmin.cssmin(source)
    if compacted == source:
        return
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".compact-", suffix=".css")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(compacted)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def compact_theme_css(pelican) -> None:
    setting = pelican.settings.get("COMPACT_CSS", True)
    if not isinstance(setting, bool):
        logger.error("COMPACT_CSS must be True or False, not %r: leaving the CSS as is", setting)
        return
    if not setting:
        return
    root = Path(pelican.settings["OUTPUT_PATH"]) / pelican.settings["THEME_STATIC_DIR"]
    for path in sorted(root.rglob("*.css")):
        compact(path)


def register() -> None:
    signals.finalized.connect(compact_theme_css)
