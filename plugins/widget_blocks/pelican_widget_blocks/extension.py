"""The Python-Markdown side: block types, and the one preprocessor that
swaps every ``::: name`` block for its widget.

A widget plugin describes its block once (``BlockType``): its name, the
custom element it renders, a parser that turns the block's lines into a
model (raising ``BlockError`` for mistakes), a renderer, and where its
browser files are. The preprocessor finds the blocks of every type this
``Markdown`` instance knows, parses them all (so one build lists every
mistake of a file, not the first), checks that ids are unique in the file,
and replaces each block with its HTML, kept whole in Markdown's stash.

It runs at priority 29: after whitespace normalisation (30), which keeps the
number of lines, and before ``meta`` (27), which removes the metadata header,
and before ``fenced_code`` (25). So index + 1 is the line number in the file.
The line count is kept too: a block becomes one placeholder line and blank
lines.

The source path comes from ``READING`` (set by the Pelican reader around
each file, see ``pelican_glue``) or, outside Pelican, from the extension's
``source_path`` option.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from html import escape

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from .errors import BlockError, Problem, display_path
from .scanner import Block, find_blocks

PRIORITY = 29


@dataclass
class Reading:
    """The file being read, and the widgets found in it (filled by the
    preprocessor): set by the Pelican reader around each file."""

    path: str
    found: list = field(default_factory=list)


READING: ContextVar[Reading | None] = ContextVar("widget_blocks_reading", default=None)
# Where the widgets' browser files are, as the plugin writes them; the
# Pelican glue registers them so that Pelican resolves these links for each
# page, relative URLs included.
ASSET_LINK = "{filename}/" + "__widget_assets__/"


@dataclass(frozen=True)
class Found:
    """A widget read from a file: the type's name, its id, where, its model."""

    kind: str
    id: str
    path: str
    line: int
    model: object = field(compare=False, repr=False)


@dataclass(frozen=True)
class BlockType:
    """What a widget plugin tells the core about its block.

    - ``name``: the word after ``:::``.
    - ``tag``: the custom element the widget renders (block-level for
      Markdown, left alone by typogrify).
    - ``parse(block, lines, path)``: the model; raises ``BlockError``.
    - ``render(model)``: the widget's HTML, without its asset links.
    - ``id_of(model)``: the id readers' saved data is keyed by; unique per
      type across the site.
    - ``stylesheet``, ``script``: file names in the plugin's ``static_dir``,
      linked from the first widget of the type on each page; every file of
      that folder is published (modules the script imports, say).
    - ``plugin``: the plugin's module name; the type is active in a build
      whose ``PLUGINS`` names it.
    - ``unique_on_site``: False for a block whose id names something else
      (an assessment whose result it shows), which several pages may name;
      ids stay unique within a page.
    """

    name: str
    tag: str
    parse: Callable[[Block, list[str], str], object]
    render: Callable[[object], str]
    id_of: Callable[[object], str]
    plugin: str
    static_dir: str = ""
    stylesheet: str = ""
    script: str = ""
    summary_stub: Callable[[object], str] | None = None
    feed_version: Callable[[object, str], str] | None = None
    site_check: Callable[[dict], list] | None = None
    same_id_fix: str = "give each one its own id"
    unique_on_site: bool = True

    def extension(self, **kwargs) -> WidgetBlocksExtension:
        """A Markdown extension for this block alone, for use outside Pelican:
        ``markdown.Markdown(extensions=[CHECKLIST.extension(source_path="x.md")])``."""
        return WidgetBlocksExtension(types=[self], **kwargs)

    def asset_tags(self) -> str:
        tags = []
        if self.stylesheet:
            tags.append(f'<link rel="stylesheet" href="{ASSET_LINK}{escape(self.stylesheet)}">')
        if self.script:
            tags.append(f'<script type="module" src="{ASSET_LINK}{escape(self.script)}"></script>')
        return "".join(tags)


class WidgetBlockPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, types: dict[str, BlockType], source_path: str) -> None:
        super().__init__(md)
        self.types = types
        self.source_path = source_path

    def run(self, lines: list[str]) -> list[str]:
        reading = READING.get()
        path = reading.path if reading else display_path(self.source_path)
        found = reading.found if reading else []
        self.md.widget_blocks = found
        blocks = find_blocks(lines, self.types, path)
        if not blocks:
            return lines
        problems: list[Problem] = []
        parsed: list[tuple[Block, BlockType, object]] = []
        first: dict[tuple[str, str], int] = {}
        for block in blocks:
            kind = self.types[block.name]
            try:
                model = kind.parse(block, lines, path)
            except BlockError as error:
                problems.extend(error.problems)
                continue
            ident = kind.id_of(model)
            if (kind.name, ident) in first:
                problems.append(
                    Problem(
                        path,
                        block.line,
                        f"{kind.name} id '{ident}' is already used on line "
                        f"{first[kind.name, ident]} of this file",
                        kind.same_id_fix,
                    )
                )
                continue
            first[kind.name, ident] = block.line
            parsed.append((block, kind, model))
        if problems:
            raise BlockError(problems)
        lines = list(lines)
        linked: set[str] = set()
        for block, kind, model in parsed:
            html = kind.render(model)
            if kind.name not in linked:
                # The first widget of a type on the page links its files:
                # any theme shows them, and the CSP needs nothing inline.
                linked.add(kind.name)
                opening_end = html.index(">") + 1
                html = html[:opening_end] + kind.asset_tags() + html[opening_end:]
            placeholder = self.md.htmlStash.store(html)
            span = block.end - block.start + 1
            lines[block.start : block.end + 1] = ["", placeholder] + [""] * (span - 2)
            found.append(Found(kind.name, kind.id_of(model), path, block.line, model))
        return lines


class WidgetBlocksExtension(Extension):
    """Markdown extension for the given block types.

    ``WidgetBlocksExtension(types=[...], source_path="page.md")``; inside
    Pelican the plugins add it for you.
    """

    def __init__(self, **kwargs) -> None:
        self.config = {
            "types": [[], "BlockType objects to recognise"],
            "source_path": ["", "file name used in error messages outside Pelican"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        types = {t.name: t for t in self.getConfig("types")}
        for kind in types.values():
            if kind.tag not in md.block_level_elements:
                md.block_level_elements.append(kind.tag)
        md.widget_blocks = []
        md.preprocessors.register(
            WidgetBlockPreprocessor(md, types, self.getConfig("source_path")),
            "widget_blocks",
            PRIORITY,
        )

    def reset(self) -> None:
        pass


def makeExtension(**kwargs) -> WidgetBlocksExtension:
    return WidgetBlocksExtension(**kwargs)
