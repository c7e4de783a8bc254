"""The assessment block, as the widget core knows it.

``ASSESSMENT`` is the block type: the core's one preprocessor finds each
``::: assessment`` block, and this module parses, validates and renders it.
Outside Pelican, ``markdown.Markdown(extensions=[AssessmentExtension()])``
renders assessments in any text.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican_widget_blocks import BlockType

from . import links, render
from .parser import NAME, parse_block
from .validate import check

logger = logging.getLogger(__name__)

TAG = "habit-assessment"
STATIC = Path(__file__).parent / "static" / "widgets"


def parse_and_check(block, lines, path):
    """The assessment of a block, validated; errors raise, warnings are logged."""
    assessment = parse_block(block, lines, path)
    for warning in check(assessment):
        logger.warning("%s", warning)
    return assessment


def feed_version(assessment, link: str) -> str:
    return render.render_feed(assessment, f"{link}#{assessment.id}--assessment")


ASSESSMENT = BlockType(
    name=NAME,
    tag=TAG,
    parse=parse_and_check,
    render=render.render_widget,
    id_of=lambda assessment: assessment.id,
    plugin="pelican.plugins.assessment",
    static_dir=str(STATIC),
    stylesheet="assessment.css",
    script="assessment.js",
    summary_stub=render.render_summary_stub,
    feed_version=feed_version,
    site_check=links.link_problems,
    same_id_fix="give each assessment its own id: '::: assessment other-id'",
)


# ``markdown.Markdown(extensions=[AssessmentExtension()])`` renders assessments in any text.
AssessmentExtension = makeExtension = ASSESSMENT.extension
