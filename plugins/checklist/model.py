"""The checklist model: what the parser produces and the renderer consumes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


class ChecklistError(ValueError):
    """An authoring mistake in a checklist block, tied to a file and line.

    str(error) reads `path:line: problem. Fix: what to do.` so an author can
    jump straight to the line from the build log.
    """

    def __init__(self, path: str, line: int, problem: str, fix: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        self.fix = fix
        super().__init__(f"{path}:{line}: {problem}. Fix: {fix}")


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


@dataclass(frozen=True)
class Block:
    """A checklist found in a document: its model and the lines it spans
    (0-based, `end` inclusive) so the Markdown preprocessor can replace them."""

    checklist: Checklist
    start: int
    end: int
