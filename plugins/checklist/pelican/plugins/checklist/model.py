"""The checklist model: what the parser produces and the renderer consumes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pelican_widget_blocks import BlockError

# The checklist's errors are the widget core's: one type for every widget.
ChecklistError = BlockError


@dataclass(frozen=True)
class Item:
    """One action. `text` is the Markdown as written (continuation lines
    joined), `html` its inline rendering, checked to be safe."""

    text: str
    html: str
    line: int


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    items: tuple[Item, ...]
    weekly: bool = False
    path: str = ""
    line: int = 0  # line of the `::: checklist` opener
    explicit_id: bool = field(default=True, compare=False)
    title_html: str = ""  # the title's inline Markdown, rendered and checked

    @property
    def item_hash(self) -> str:
        """Short SHA-256 of the normalised item texts. The browser keys saved
        ticks with it, so a list whose items were edited, added, removed or
        reordered starts clean instead of misapplying old ticks. Title and
        type changes keep the ticks."""
        normalised = "\n".join(" ".join(item.text.split()) for item in self.items)
        return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:12]

    @property
    def dom_id(self) -> str:
        return f"checklist-{self.id}"
