"""Table of contents: which headings are the article's `##` sections, and
where the list goes.

Reading (cached with the read by buildcache): a Markdown treeprocessor that
runs after the `toc` extension takes the ids of the `h2` elements at the top
of the document tree. Those are exactly the author's `##` headings: a
widget's own headings and raw HTML are stashed by Markdown, not in the tree.
The reader hook (``TocReaderMixin``) stores them as the ``section_ids``
metadata. Pelican's Markdown reader keeps its Markdown instance private, so
the treeprocessor hands the ids over through a context variable the hook
sets for the length of one read.

Writing (the ``article_toc`` Jinja filter): the heading texts are taken from
the published HTML, after typogrify, so the list shows what the headings
show; the body is split before the first section, so the list comes after
the introduction. One regular-expression pass over the body per article.
"""

from __future__ import annotations

import html
import re
from contextvars import ContextVar
from dataclasses import dataclass

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup
from pelican.readers import MarkdownReader

METADATA_KEY = "section_ids"
WORDS_KEY = "word_count"
MIN_SECTIONS_SETTING = "ARTICLE_TOC_MIN_SECTIONS"
DEFAULT_MIN_SECTIONS = 4

# One list per Markdown conversion of the current read: Pelican converts the
# body first, then formatted metadata such as a Summary.
_CONVERSIONS: ContextVar[list[list[str]] | None] = ContextVar("article_toc", default=None)


class SectionIdsTreeprocessor(Treeprocessor):
    def run(self, root) -> None:
        conversions = _CONVERSIONS.get()
        if conversions is None:
            return
        conversions.append([el.get("id") for el in root if el.tag == "h2" and el.get("id")])


class SectionIdsExtension(Extension):
    """Records the ids of top-level `h2` elements (after the `toc` extension,
    priority 5, has given them ids) for ``TocReaderMixin``."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(SectionIdsTreeprocessor(md), "article_nav_sections", 4)


class TocReaderMixin:
    def read(self, source_path):
        conversions: list[list[str]] = []
        token = _CONVERSIONS.set(conversions)
        try:
            content, metadata = super().read(source_path)
        finally:
            _CONVERSIONS.reset(token)
        if conversions and METADATA_KEY not in metadata:
            metadata[METADATA_KEY] = tuple(conversions[0])
        # Counted once here, so a warm build answered by the cache has it
        # (the theme's reading time counted every body on every build).
        metadata[WORDS_KEY] = word_count(content)
        return content, metadata


def word_count(html: str) -> int:
    """The words of a body as the theme's ``striptags|wordcount`` counts
    them. Counted before typogrify, which adds markup and character
    references around words but never splits or joins them."""
    return len(_WORD.findall(Markup(html).striptags()))


_WORD = re.compile(r"\w+")  # Jinja's wordcount

_wrapped: dict[type, type] = {}


def with_toc_hook(cls: type) -> type:
    if cls not in _wrapped:
        # Same name as the base, so Pelican's `reader` metadata stays "markdown".
        _wrapped[cls] = type(cls.__name__, (TocReaderMixin, cls), {})
    return _wrapped[cls]


def wrap_readers(readers) -> None:
    for ext, cls in list(readers.reader_classes.items()):
        if (
            isinstance(cls, type)
            and issubclass(cls, MarkdownReader)
            and not issubclass(cls, TocReaderMixin)
        ):
            readers.reader_classes[ext] = with_toc_hook(cls)


def add_extension(settings) -> None:
    markdown = dict(settings.get("MARKDOWN") or {})
    extensions = [
        e for e in markdown.get("extensions", []) if not isinstance(e, SectionIdsExtension)
    ]
    extensions.append(SectionIdsExtension())
    settings["MARKDOWN"] = {**markdown, "extensions": extensions}


@dataclass(frozen=True)
class TocEntry:
    id: str
    # the heading's inner HTML as published: show it with |meta_text
    html: str


@dataclass(frozen=True)
class Toc:
    before: Markup  # the body up to the first section (the introduction)
    entries: tuple[TocEntry, ...]  # empty: no list for this article
    after: Markup  # the body from the first section on


H2 = re.compile(r'<h2\s[^>]*?\bid="(?P<id>[^"]*)"[^>]*>(?P<inner>.*?)</h2\s*>', re.S | re.I)


def article_toc(article, minimum=None) -> Toc:
    """The body of ``article`` split before its first `##` section, and the
    sections to list: none when it has fewer than ``minimum`` (the setting
    ARTICLE_TOC_MIN_SECTIONS, 4 by default)."""
    content = getattr(article, "content", None) or ""
    if minimum is None:
        settings = getattr(article, "settings", None) or {}
        minimum = settings.get(MIN_SECTIONS_SETTING, DEFAULT_MIN_SECTIONS)
    ids = tuple(getattr(article, METADATA_KEY, None) or ())
    whole = Toc(Markup(content), (), Markup(""))
    if len(ids) < max(int(minimum), 1):
        return whole
    wanted = set(ids)
    found: dict[str, str] = {}
    first = None
    for match in H2.finditer(content):
        heading_id = html.unescape(match["id"])
        if heading_id in wanted and heading_id not in found:
            found[heading_id] = match["inner"]
            if first is None:
                first = match.start()
    entries = tuple(TocEntry(i, found[i]) for i in ids if i in found)
    if first is None or len(entries) < minimum:
        return whole
    return Toc(Markup(content[:first]), entries, Markup(content[first:]))


FILTERS = {"article_toc": article_toc}
