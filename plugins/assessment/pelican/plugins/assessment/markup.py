"""Assessment text to safe HTML, through the widget core's allowlist.

``Text`` knows its kind (``PLAIN``, ``LINKS`` or ``BLOCK``) and its line; the
core renders it and refuses raw HTML, attribute lists, images and unsafe
links (see ``pelican_widget_blocks.inline``). Only the assessment's own rule
is added here: a one-line text must not turn into a block (a heading, list
or quote), as the rest of its line would be lost.
"""

from __future__ import annotations

import re

from pelican_widget_blocks import inline
from pelican_widget_blocks.errors import BlockError, Problem

from .model import BLOCK, Text

WHERE = {
    inline.PLAIN: "a title, scale label, name or statement",
    inline.LINKS: "a description, verdict or tip",
    inline.BLOCK: "the intro",
}
BLOCK_SYNTAX = re.compile(r"^(?:#{1,6}(?:[ \t]|$)|>|[-*+][ \t]|\d{1,9}[.)][ \t])")
BLOCK_FIX = (
    "write it as plain words; a line starting with '#', '>', '-' or '1.' is read "
    "as Markdown block syntax (write \\# or \\- to keep the character)"
)


def problems(text: Text, path: str) -> list[Problem]:
    """Every reason ``text`` is refused (empty when it is fine)."""
    if text.kind != BLOCK and BLOCK_SYNTAX.match(text.source):
        return [
            Problem(
                path,
                text.line,
                "this text would turn into a block (a heading, list or quote) where "
                "only one line of text is allowed",
                BLOCK_FIX,
            )
        ]
    return inline.problems(text.source, text.kind, WHERE[text.kind], path, text.line)


def to_html(text: Text, path: str) -> str:
    """Safe HTML for ``text``; raises ``BlockError`` if it is refused."""
    found = problems(text, path)
    if found:
        raise BlockError(found)
    return inline.render(text.source, text.kind, WHERE[text.kind])


def plain(text: Text, path: str) -> str:
    return inline.to_plain(to_html(text, path))


to_plain = inline.to_plain
hrefs = inline.hrefs
