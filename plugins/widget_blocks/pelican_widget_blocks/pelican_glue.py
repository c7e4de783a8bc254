"""Pelican wiring shared by every widget plugin, on documented seams only.

- ``initialized``: typogrify leaves the widgets' elements alone.
- ``readers_init``: every Markdown reader class is replaced by a subclass
  that adds the blocks extension, tells it which file it reads (the one
  source-path hook), records the widgets found in the metadata and gives a
  page with widgets a summary without them.
- ``static_generator_finalized``: the widgets' browser files become static
  files of the site, so Pelican copies them and resolves the links to them
  on every page, with relative or absolute URLs.
- ``all_generators_finalized`` (after reading, before writing): stop if any
  file failed to read, or if two files use the same id for a widget of one
  type (readers' saved data is keyed by it).
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from pelican import signals, utils
from pelican.contents import Static
from pelican.readers import MarkdownReader

from .errors import BlockBuildError, BlockError, Problem, display_path
from .extension import ASSET_LINK, READING, BlockType, Found, Reading, WidgetBlocksExtension
from .scanner import find_blocks

logger = logging.getLogger(__name__)

METADATA_KEY = "widget_blocks"
ASSETS_SETTING = "WIDGET_ASSETS_DIR"
DEFAULT_ASSETS_DIR = "widgets"
CORE_STATIC = Path(__file__).parent / "static" / "widgets"

TYPES: dict[str, BlockType] = {}
_connected = False


def use(kind: BlockType) -> None:
    """Make ``kind`` known; called by a widget plugin's ``register()``."""
    global _connected
    TYPES[kind.name] = kind
    if not _connected:
        _connected = True
        signals.initialized.connect(on_initialized)
        signals.readers_init.connect(on_readers_init)
        signals.static_generator_finalized.connect(on_static_generator_finalized)
        signals.all_generators_finalized.connect(on_all_generators_finalized)
        signals.feed_generated.connect(on_feed_generated)


def active_types(settings) -> dict[str, BlockType]:
    """The block types whose plugin this build lists.

    Blinker signals are process-wide: once registered, receivers also hear
    later builds in the same process, so each acts only for its own.
    """
    names = set()
    for plugin in (settings or {}).get("PLUGINS") or ():
        name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        names.add(name)
        names.add(name.rsplit(".", 1)[-1])
    return {
        n: t for n, t in TYPES.items() if t.plugin in names or t.plugin.rsplit(".", 1)[-1] in names
    }


def on_initialized(pelican) -> None:
    """The extension goes into the MARKDOWN setting, so every Markdown reader
    class has it, even one another plugin swaps in after ours; typogrify
    leaves the widgets' elements alone."""
    settings = pelican.settings
    types = active_types(settings)
    if not types:
        return
    tags = list(settings.get("TYPOGRIFY_IGNORE_TAGS") or [])
    tags += [kind.tag for kind in types.values() if kind.tag not in tags]
    settings["TYPOGRIFY_IGNORE_TAGS"] = tags
    markdown = dict(settings.get("MARKDOWN") or {})
    extensions = [
        e for e in markdown.get("extensions", []) if not isinstance(e, WidgetBlocksExtension)
    ]
    extensions.append(WidgetBlocksExtension(types=list(types.values())))
    settings["MARKDOWN"] = {**markdown, "extensions": extensions}


class WidgetReaderMixin:
    """The one source-path hook: tells the blocks extension which file it
    reads, and keeps what it found in the file's metadata.

    (A plugin that later swaps in a Markdown reader class of its own without
    subclassing the one it finds drops this hook: widgets still render,
    but errors name "<markdown>" and the site-wide checks miss them.)
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget_errors: list[BlockError] = []

    def read(self, source_path):
        reading = Reading(display_path(source_path))
        token = READING.set(reading)
        try:
            content, metadata = super().read(source_path)
        except BlockError as error:
            self.widget_errors.append(error)
            # Pelican's own "Could not process" line leaves the reason out.
            logger.error("%s", error)
            raise
        finally:
            READING.reset(token)
        found = reading.found
        if not found and METADATA_KEY not in metadata and _has_widgets(content, self.settings):
            # Answered without running Markdown: a read cache sits beneath
            # this class. Find the widgets in the source again.
            found = widgets_in_source(source_path, reading.path, active_types(self.settings))
        if found:
            metadata[METADATA_KEY] = found
            if "summary" not in metadata:
                metadata["summary"] = summary_without_widgets(content, found, self.settings)
        return content, metadata


def _has_widgets(content, settings) -> bool:
    types = active_types(settings).values()
    return bool(content) and any(f"<{kind.tag}" in content for kind in types)


def widgets_in_source(source_path, path: str, types: dict[str, BlockType]) -> list[Found]:
    """The widgets of a file, parsed from its text as the preprocessor does."""
    text = Path(source_path).read_text(encoding="utf-8").lstrip("\ufeff")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found = []
    for block in find_blocks(lines, types, path):
        kind = types[block.name]
        model = kind.parse(block, lines, path)
        found.append(Found(kind.name, kind.id_of(model), path, block.line, model))
    return found


_wrapped: dict[type, type] = {}


def with_widget_hook(cls: type) -> type:
    if cls not in _wrapped:
        # Same name as the base, so Pelican's `reader` metadata stays "markdown".
        _wrapped[cls] = type(cls.__name__, (WidgetReaderMixin, cls), {})
    return _wrapped[cls]


def on_readers_init(readers) -> None:
    if not active_types(readers.settings):
        return
    for ext, cls in list(readers.reader_classes.items()):
        if (
            isinstance(cls, type)
            and issubclass(cls, MarkdownReader)
            and not issubclass(cls, WidgetReaderMixin)
        ):
            readers.reader_classes[ext] = with_widget_hook(cls)


def widget_pattern(types) -> re.Pattern:
    tags = "|".join(re.escape(t.tag) for t in types)
    return re.compile(rf"<(?P<tag>{tags})\b[^>]*>.*?(?:</(?P=tag)>|\Z)", re.S)


def summary_without_widgets(content: str, found, settings) -> str:
    """The automatic summary Pelican would make, with each widget replaced by
    a one-line stub, so a listing never shows half a form."""
    types = {t.tag: t for t in TYPES.values()}
    models = iter(found)

    def stub(match):
        kind = types[match["tag"]]
        model = next((f.model for f in models if f.kind == kind.name), None)
        return kind.summary_stub(model) if kind.summary_stub and model is not None else ""

    html = widget_pattern(types.values()).sub(stub, content)
    paragraphs = settings.get("SUMMARY_MAX_PARAGRAPHS")
    if paragraphs is not None:
        html = utils.truncate_html_paragraphs(html, paragraphs)
    if settings.get("SUMMARY_MAX_LENGTH") is not None:
        html = utils.truncate_html_words(
            html, settings["SUMMARY_MAX_LENGTH"], settings.get("SUMMARY_END_SUFFIX", "…")
        )
    strip_toc = getattr(utils, "strip_toc_elements_from_html", None)
    return strip_toc(html) if strip_toc else html


def assets_dir(settings) -> str:
    value = settings.get(ASSETS_SETTING, DEFAULT_ASSETS_DIR)
    if not isinstance(value, str) or not value.strip("/") or ".." in value.split("/"):
        logger.error(
            "%s = %r is not a folder name inside the output; using %r. Fix: set it "
            "to a relative path such as 'widgets'",
            ASSETS_SETTING,
            value,
            DEFAULT_ASSETS_DIR,
        )
        return DEFAULT_ASSETS_DIR
    return value.strip("/")


def on_static_generator_finalized(generator) -> None:
    """The browser files of every active type become static files, saved in
    WIDGET_ASSETS_DIR and known under the key the widgets link to."""
    types = active_types(generator.settings)
    if not types:
        return
    files = {}
    for folder in [CORE_STATIC, *(Path(kind.static_dir) for kind in types.values())]:
        for source in folder.iterdir() if folder.is_dir() else ():
            if source.is_file() and not source.name.startswith("."):
                files[source.name] = source
    folder = assets_dir(generator.settings)
    key_prefix = ASSET_LINK[len("{filename}/") :]
    for name, source in sorted(files.items()):
        target = f"{folder}/{name}"
        static = Static(
            content=None,
            metadata={"title": name, "save_as": target, "url": target},
            settings=generator.settings,
            source_path=os.fspath(source),
            context=generator.context,
        )
        generator.staticfiles.append(static)
        generator.context["generated_content"][key_prefix + name] = static


def found_widgets(context):
    """(content, Found) for every widget in the site's default-language
    content (a translation keeps its original's ids on purpose)."""
    for content in list((context or {}).get("generated_content", {}).values()):
        if getattr(content, "in_default_lang", True) is False:
            continue
        for found in getattr(content, METADATA_KEY, None) or ():
            yield content, found


def on_all_generators_finalized(generators) -> None:
    generators = list(generators)
    if not generators or not active_types(generators[0].settings):
        return
    failed = 0
    for generator in generators:
        readers = getattr(getattr(generator, "readers", None), "readers", {}) or {}
        for reader in readers.values():
            failed += len(getattr(reader, "widget_errors", ()))
    if failed:
        raise BlockBuildError(
            f"{failed} file{'s' * (failed > 1)} with widget errors (listed above): "
            "stopping before anything is written"
        )
    context = next((g.context for g in generators if hasattr(g, "context")), {})
    problems = duplicate_ids(context)
    for kind in active_types(generators[0].settings).values():
        if kind.site_check:
            problems.extend(kind.site_check(context))
    for problem in problems:
        if problem.severity == "warning":
            logger.warning("%s", problem)
    errors = [p for p in problems if p.severity != "warning"]
    if errors:
        for problem in errors:
            logger.error("%s", problem)
        raise BlockBuildError(
            f"{len(errors)} widget error{'s' * (len(errors) > 1)} (listed above): "
            "stopping before anything is written"
        )


def duplicate_ids(context) -> list[Problem]:
    """Two widgets of one type with one id on the site: readers' saved
    answers and ticks would mix. Reported at the later file."""
    first: dict[tuple[str, str], object] = {}
    problems = []
    for _, found in sorted(found_widgets(context), key=lambda e: (e[1].path, e[1].line)):
        if not getattr(TYPES.get(found.kind), "unique_on_site", True):
            continue
        key = (found.kind, found.id)
        other = first.setdefault(key, found)
        if other is not found and other.path != found.path:
            problems.append(
                Problem(
                    found.path,
                    found.line,
                    f"{found.kind} id '{found.id}' is already used by {other.path}:{other.line}; "
                    "ids must be unique on the site, as readers' saved data is kept by id",
                    f"give one of them another id: '::: {found.kind} {found.id}-2'",
                )
            )
    return problems


def intrasite_key(href: str, content) -> str | None:
    """The content-folder path a ``{filename}`` link of ``content`` names."""
    match = re.match(r"^\{filename\}(?P<path>[^#?]*)", href)
    if not match:
        return None
    path = unquote(match["path"])
    if path.startswith("/"):
        return path[1:]
    return posixpath.normpath(posixpath.join(getattr(content, "relative_dir", ""), path))


def intrasite_target(href: str, content, context):
    """The content object a ``{filename}`` link of ``content`` points to, or
    None; what Pelican itself looks up when it writes a page."""
    key = intrasite_key(href, content)
    if key is None:
        return None
    found = context.get("generated_content", {}).get(key)
    return found if found is not None else context.get("static_content", {}).get(key)


def resolve_links(fragment: str, content, context) -> str:
    """``{filename}`` links in a fragment made absolute, for feeds."""
    siteurl = (context.get("SITEURL") or "").rstrip("/")

    def replace(match):
        href = html.unescape(match["href"])
        target = intrasite_target(href, content, context)
        if target is None:
            return match[0]
        rest = re.sub(r"^\{filename\}[^#?]*", "", href)
        return f'href="{html.escape(f"{siteurl}/{target.url}{rest}")}"'

    return re.sub(r'href="(?P<href>\{filename\}[^"]*)"', replace, fragment)


def on_feed_generated(context, feed) -> None:
    """Feed readers run no script: each widget becomes its readable version."""
    types = active_types(context)
    if not types:
        return
    index = {(f.kind, f.id): (content, f) for content, f in found_widgets(context)}
    by_tag = {t.tag: t for t in types.values()}
    pattern = widget_pattern(types.values())
    id_attr = re.compile(r'\bdata-(?:[a-z]+-)?id="(?P<id>[^"]*)"')

    def replace(match, link):
        kind = by_tag[match["tag"]]
        opening = match[0][: match[0].index(">") + 1]
        ident = id_attr.search(opening)
        entry = index.get((kind.name, html.unescape(ident["id"]))) if ident else None
        if entry is None or kind.feed_version is None:
            return f'<p><a href="{html.escape(link)}">Open this on the site</a>.</p>'
        content, found = entry
        return resolve_links(kind.feed_version(found.model, link), content, context)

    for item in feed.items:
        link = (item.get("link") or "").split("#")[0]
        for field in ("content", "description"):
            value = item.get(field)
            if value and any(f"<{tag}" in value for tag in by_tag):
                item[field] = pattern.sub(lambda m, link=link: replace(m, link), value)
