"""Pelican glue: the assessment block joins the widget core, which reads it,
checks ids and links across the site, ships its browser files and gives
feeds a readable version (see pelican_widget_blocks.pelican_glue)."""

from __future__ import annotations

from pelican_widget_blocks import use

from .focus import FOCUS
from .links import iter_assessments
from .markdown_ext import ASSESSMENT

__all__ = ["iter_assessments", "register"]


def register() -> None:
    use(ASSESSMENT)
    use(FOCUS)
