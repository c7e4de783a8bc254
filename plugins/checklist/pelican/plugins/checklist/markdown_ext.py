"""The checklist block, as the widget core knows it.

``CHECKLIST`` is the block type: the core's one preprocessor finds each
``::: checklist`` block, and this module parses and renders it. Outside
Pelican, ``markdown.Markdown(extensions=[ChecklistExtension()])`` renders
checklists in any text.
"""

from __future__ import annotations

from pathlib import Path

from pelican_widget_blocks import BlockType, find_blocks

from .parse import NAME, parse_block
from .render import render, render_feed, render_summary_stub

TAG = "tip-checklist"
STATIC = Path(__file__).parent / "static" / "widgets"


def _parse(block, lines, path):
    # An untitled checklist without an id is named after its place in the file.
    before = [b for b in find_blocks(lines, [NAME], path) if b.start < block.start]
    return parse_block(block, lines, path, ordinal=len(before) + 1)


CHECKLIST = BlockType(
    name=NAME,
    tag=TAG,
    parse=_parse,
    render=render,
    id_of=lambda checklist: checklist.id,
    plugin="pelican.plugins.checklist",
    static_dir=str(STATIC),
    stylesheet="checklist.css",
    script="checklist.js",
    summary_stub=render_summary_stub,
    feed_version=lambda checklist, link: render_feed(checklist),
    same_id_fix="give each checklist its own id: '::: checklist another-id'",
)


# ``markdown.Markdown(extensions=[ChecklistExtension()])`` renders checklists in any text.
ChecklistExtension = makeExtension = CHECKLIST.extension
