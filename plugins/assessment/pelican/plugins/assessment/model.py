"""The plain data model between the parser, the validator and the renderer.

Nothing here knows about Pelican or Markdown. Author text is kept as written
(``Text.source``) with the line it starts on, so every later stage can point
at the right line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

# Kinds of author text, from the most to the least restricted.
from pelican_widget_blocks.inline import BLOCK, LINKS, PLAIN  # noqa: F401 (the kinds of text)


@dataclass
class Text:
    """A piece of author text (Markdown) and the file line it starts on."""

    source: str
    line: int
    kind: str = PLAIN


@dataclass
class Statement:
    id: str
    text: Text
    line: int
    number: int = 0  # 1-based position in the whole assessment
    reverse: bool = False
    weight_source: str | None = None  # as written; None means 1
    explicit_id: bool = False

    @property
    def weight(self) -> Fraction:
        """The weight as an exact number (valid only after validation)."""
        return Fraction(self.weight_source) if self.weight_source else Fraction(1)


@dataclass
class Band:
    id: str
    name: Text
    low: int
    high: int
    line: int
    verdict: Text | None = None
    tips: list[Text] = field(default_factory=list)


@dataclass
class Dimension:
    id: str
    name: Text
    line: int
    description: Text | None = None
    statements: list[Statement] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    explicit_id: bool = False


@dataclass
class Assessment:
    id: str
    path: str
    line: int  # the `::: assessment` line
    end_line: int  # the closing `:::` line
    title: Text | None = None
    scale: list[Text] = field(default_factory=list)
    scale_line: int | None = None
    intro: Text | None = None
    dimensions: list[Dimension] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)  # overall bands
    overall_line: int | None = None

    @property
    def points(self) -> int:
        """k, the number of points on the scale (first label = 1)."""
        return len(self.scale)

    @property
    def statements(self) -> list[Statement]:
        return [s for d in self.dimensions for s in d.statements]

    def texts(self):
        """Every piece of author text, in document order."""
        if self.title:
            yield self.title
        yield from self.scale
        if self.intro:
            yield self.intro
        for dim in self.dimensions:
            yield dim.name
            if dim.description:
                yield dim.description
            for st in dim.statements:
                yield st.text
            yield from _band_texts(dim.bands)
        yield from _band_texts(self.bands)


def _band_texts(bands):
    for band in bands:
        yield band.name
        if band.verdict:
            yield band.verdict
        yield from band.tips
