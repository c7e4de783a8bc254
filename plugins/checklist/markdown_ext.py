"""Python-Markdown extension: one preprocessor that swaps each checklist block
for the rendered widget (kept whole in Markdown's HTML stash).

It runs at priority 29.5: after whitespace normalisation (30), which keeps the
line count, and before the `meta` preprocessor (27), which removes the
metadata header, and before other widget preprocessors registered at 29 (the
assessment plugin's). So the line numbers in errors are the file's own. It
keeps the line count too (a block becomes blank lines around one placeholder
line), so preprocessors that run after it still report true line numbers.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from .model import ChecklistError
from .parse import parse_document
from .render import render

logger = logging.getLogger(__name__)

# The file being read, set around each Pelican read (see plugin.py); Pelican's
# MarkdownReader does not tell extensions which file they are converting.
SOURCE_PATH: ContextVar[str] = ContextVar("checklist_source_path", default="<markdown>")
PRIORITY = 29.5


class ChecklistPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, source_path: str | None) -> None:
        super().__init__(md)
        self.source_path = source_path

    def run(self, lines: list[str]) -> list[str]:
        path = self.source_path or SOURCE_PATH.get()
        try:
            blocks = parse_document(lines, path)
        except ChecklistError as error:
            # Logged as an error so `pelican --fatal errors` stops here, before
            # anything is written; raised so Pelican skips the file otherwise.
            logger.error("%s", error)
            raise
        lines = list(lines)
        for block in blocks:
            # A block has at least 3 lines (opener, an item, closer): the
            # placeholder gets a blank line on each side and the count holds.
            span = block.end - block.start + 1
            placeholder = self.md.htmlStash.store(render(block.checklist))
            lines[block.start : block.end + 1] = ["", placeholder] + [""] * (span - 2)
        return lines


class ChecklistExtension(Extension):
    """`source_path` names the file in error messages; the Pelican plugin
    leaves it unset and supplies the path of the file being read."""

    def __init__(self, **kwargs) -> None:
        self.config = {"source_path": ["", "file name used in error messages"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # A block-level tag, so the stashed widget is not wrapped in <p>.
        if "tip-checklist" not in md.block_level_elements:
            md.block_level_elements.append("tip-checklist")
        md.preprocessors.register(
            ChecklistPreprocessor(md, self.getConfig("source_path") or None),
            "checklist",
            PRIORITY,
        )


def makeExtension(**kwargs) -> ChecklistExtension:
    return ChecklistExtension(**kwargs)
