"""Pelican wiring: read checklist blocks in Markdown, load the script only on
pages that have a checklist, check ids across the site, and give feeds a plain
list instead of a form.

Signals used:
- readers_init: add the Markdown extension to MARKDOWN["extensions"] and wrap
  this Readers instance's read_file so the extension knows which file it reads.
  No MarkdownReader subclass: any other plugin's reader class (or subclass)
  keeps working and gets the checklist extension through the settings.
- content_object_init: `widget_scripts` on content that has a checklist.
- all_generators_finalized: duplicate ids across the site (an error, so
  `--fatal errors` stops before output is written).
- feed_generated: widgets in feed items become plain lists.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

from pelican import signals

from .markdown_ext import SOURCE_PATH, ChecklistExtension
from .model import ChecklistError
from .parse import parse_text
from .render import SCRIPT, plain_lists

logger = logging.getLogger(__name__)

PLUGIN_NAME = "checklist"
MARKER = "<tip-checklist"
# Lists of content objects each generator keeps (articles, pages, drafts…).
CONTENT_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "hidden_translations",
    "draft_pages",
    "draft_translations",
)


def enabled(settings) -> bool:
    """Blinker signals are process-wide, so once registered our receivers also
    hear later builds in the same process (tests build many sites). They only
    act when this build lists the plugin."""
    for plugin in (settings or {}).get("PLUGINS") or ():
        name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        if name.rsplit(".", 1)[-1] == PLUGIN_NAME:
            return True
    return False


def display_path(path: str) -> str:
    """A path as an author wants it in a message: relative to the working
    directory when the file is inside it (content/pages/x.md), else absolute."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative


def on_readers_init(readers) -> None:
    if not enabled(readers.settings):
        return
    markdown = readers.settings.setdefault("MARKDOWN", {})
    extensions = markdown.setdefault("extensions", [])
    if not any(isinstance(ext, ChecklistExtension) for ext in extensions):
        extensions.append(ChecklistExtension())
    original = readers.read_file
    if getattr(original, "checklist_wrapped", False):
        return

    @functools.wraps(original)
    def read_file(base_path, path, *args, **kwargs):
        token = SOURCE_PATH.set(display_path(os.path.join(base_path, path)))
        try:
            return original(base_path, path, *args, **kwargs)
        finally:
            SOURCE_PATH.reset(token)

    read_file.checklist_wrapped = True
    # An attribute on this one instance: other plugins may wrap it as well.
    readers.read_file = read_file


def on_content_object_init(content) -> None:
    if not enabled(getattr(content, "settings", None)):
        return
    if MARKER not in (getattr(content, "_content", None) or ""):
        return
    scripts = list(getattr(content, "widget_scripts", None) or [])
    if SCRIPT not in scripts:
        scripts.append(SCRIPT)
    content.widget_scripts = scripts


def _contents(generators):
    seen = set()
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or ():
                if id(content) not in seen and MARKER in (getattr(content, "_content", "") or ""):
                    seen.add(id(content))
                    yield content


def on_all_generators_finalized(generators) -> None:
    generators = list(generators)
    if not generators or not enabled(generators[0].settings):
        return
    first: dict[str, tuple[str, int]] = {}
    sources = sorted({content.source_path for content in _contents(generators)})
    for source in sources:
        path = display_path(source)
        try:
            blocks = parse_text(Path(source).read_text(encoding="utf-8"), path)
        except (OSError, UnicodeDecodeError, ChecklistError):  # reported when read
            continue
        for block in blocks:
            checklist = block.checklist
            if checklist.id in first and first[checklist.id][0] != path:
                other_path, other_line = first[checklist.id]
                logger.error(
                    "%s",
                    ChecklistError(
                        path,
                        checklist.line,
                        f"checklist id '{checklist.id}' is also used in {other_path}:{other_line}"
                        " (ids must be unique across the site: readers' ticks are saved by id)",
                        "give one of them another id",
                    ),
                )
            first.setdefault(checklist.id, (path, checklist.line))


def on_feed_generated(context, feed) -> None:
    if not enabled(context):
        return
    for item in feed.items:
        for key in ("description", "content"):
            value = item.get(key)
            if value and MARKER in value:
                item[key] = plain_lists(value)


def register() -> None:
    signals.readers_init.connect(on_readers_init)
    signals.content_object_init.connect(on_content_object_init)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.feed_generated.connect(on_feed_generated)
