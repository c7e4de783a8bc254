"""The scoring model: answers -> dimension scores, overall score, bands.

This is the reference implementation. The browser step must match it
exactly; ``plugins/assessment/tests/vectors.json`` holds cases for both.

Definitions (k = number of scale points; the first label is worth 1):

- An answer ``a`` is a whole number from 1 to k.
- Its value ``v`` is ``a``, or ``k + 1 - a`` for a reverse-scored statement.
- Its points are ``w * v`` where ``w`` is the statement's weight (default 1).
- The score of a set of answered statements is

      score = round_half_up(100 * sum(w * (v - 1)) / ((k - 1) * sum(w)))

  which is the same as 100 * (points - lowest) / (highest - lowest), where
  lowest = sum(w) and highest = k * sum(w) over the answered statements.
  It is an integer from 0 to 100; None when nothing is answered.
- ``round_half_up(x) = floor(x + 1/2)``, computed exactly (no floating
  point). In JavaScript: with integer weights ``W = round(100 * w)``,
  ``n = 100 * sum(W * (v - 1))`` and ``d = (k - 1) * sum(W)``, the score is
  ``Math.floor((2 * n + d) / (2 * d))`` (all integers, so exact).
- A dimension's score uses that dimension's answered statements; the overall
  score uses every answered statement (it is not an average of dimensions).
- Bands are integer score ranges that tile 0-100. A dimension's band is
  given only when all its statements are answered (and it has bands); the
  overall band only when every statement is answered.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction


def round_half_up(x: Fraction) -> int:
    """``floor(x + 1/2)``, exactly: 12.5 -> 13, 12.4999 -> 12."""
    return math.floor(Fraction(x) + Fraction(1, 2))


@dataclass(frozen=True)
class Item:
    id: str
    reverse: bool
    weight: Fraction


@dataclass(frozen=True)
class BandRange:
    id: str
    low: int
    high: int


@dataclass(frozen=True)
class Group:
    id: str
    items: tuple[Item, ...]
    bands: tuple[BandRange, ...]


@dataclass(frozen=True)
class ScoringModel:
    """What scoring needs, built from the model or from the embedded JSON."""

    points: int
    dimensions: tuple[Group, ...]
    bands: tuple[BandRange, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for g in self.dimensions for i in g.items)

    @classmethod
    def from_assessment(cls, a) -> ScoringModel:
        return cls(
            points=a.points,
            dimensions=tuple(
                Group(
                    d.id,
                    tuple(Item(s.id, s.reverse, s.weight) for s in d.statements),
                    tuple(BandRange(b.id, b.low, b.high) for b in d.bands),
                )
                for d in a.dimensions
            ),
            bands=tuple(BandRange(b.id, b.low, b.high) for b in a.bands),
        )


@dataclass(frozen=True)
class Result:
    dimension_scores: dict[str, int | None]
    dimension_bands: dict[str, str | None]
    overall_score: int | None
    overall_band: str | None

    def as_dict(self) -> dict:
        return {
            "dimensions": {
                k: {"score": v, "band": self.dimension_bands[k]}
                for k, v in self.dimension_scores.items()
            },
            "overall": {"score": self.overall_score, "band": self.overall_band},
        }


def value(item: Item, answer: int, points: int) -> int:
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise ValueError(f"answer for {item.id!r} must be a whole number: {answer!r}")
    if not 1 <= answer <= points:
        raise ValueError(f"answer for {item.id!r} must be 1 to {points}: {answer}")
    return points + 1 - answer if item.reverse else answer


def percent(items, answers: Mapping[str, int | None], points: int) -> int | None:
    """Score (0-100) of the answered ``items``; None if none is answered."""
    num = Fraction(0)
    weights = Fraction(0)
    for item in items:
        answer = answers.get(item.id)
        if answer is None:
            continue
        num += item.weight * (value(item, answer, points) - 1)
        weights += item.weight
    if not weights:
        return None
    return round_half_up(100 * num / ((points - 1) * weights))


def band_for(bands, score: int | None) -> str | None:
    if score is None:
        return None
    for band in bands:
        if band.low <= score <= band.high:
            return band.id
    return None


def score(model, answers: Mapping[str, int | None]) -> Result:
    """Score answers (statement id -> 1..k, or None/missing = unanswered).

    ``model`` is a ``ScoringModel`` or an ``Assessment``.
    """
    if not isinstance(model, ScoringModel):
        model = ScoringModel.from_assessment(model)
    known = {i.id for i in model.items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValueError(f"no statement with id {', '.join(map(repr, unknown))}")
    dim_scores: dict[str, int | None] = {}
    dim_bands: dict[str, str | None] = {}
    for group in model.dimensions:
        s = percent(group.items, answers, model.points)
        complete = all(answers.get(i.id) is not None for i in group.items)
        dim_scores[group.id] = s
        dim_bands[group.id] = band_for(group.bands, s) if complete else None
    overall = percent(model.items, answers, model.points)
    complete = all(answers.get(i.id) is not None for i in model.items)
    return Result(
        dim_scores,
        dim_bands,
        overall,
        band_for(model.bands, overall) if complete else None,
    )


# -- paper scoring ----------------------------------------------------------


def totals(items, points: int) -> list[Fraction]:
    """Every total of points reachable when all ``items`` are answered."""
    sums = {Fraction(0)}
    for item in items:
        sums = {s + item.weight * v for s in sums for v in range(1, points + 1)}
    return sorted(sums)


def total_range(items, points: int) -> tuple[Fraction, Fraction]:
    weights = sum((i.weight for i in items), Fraction(0))
    return weights, weights * points


def score_of_total(total: Fraction, items, points: int) -> int:
    """The score of a total of points when every item is answered."""
    low, high = total_range(items, points)
    return round_half_up(100 * (total - low) / (high - low))


def band_point_ranges(items, bands, points: int) -> dict[str, tuple | None]:
    """For each band id, the lowest and highest reachable total in it.

    These are the "X to Y points" of the printed scoring key. A band that no
    total reaches maps to None.
    """
    found: dict[str, list[Fraction]] = {b.id: [] for b in bands}
    for total in totals(items, points):
        band = band_for(bands, score_of_total(total, items, points))
        if band is not None:
            found[band].append(total)
    return {k: (v[0], v[-1]) if v else None for k, v in found.items()}


def format_number(x: Fraction) -> str:
    """Fractions from weights with at most 2 decimals, written as decimals."""
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    text = f"{float(x):.2f}".rstrip("0").rstrip(".")
    return text
