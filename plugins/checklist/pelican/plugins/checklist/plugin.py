"""Pelican glue: the checklist block joins the widget core, which reads it,
checks ids across the site, ships its browser files and gives feeds a plain
list (see pelican_widget_blocks.pelican_glue)."""

from __future__ import annotations

from pelican_widget_blocks import use

from .markdown_ext import CHECKLIST


def register() -> None:
    use(CHECKLIST)
